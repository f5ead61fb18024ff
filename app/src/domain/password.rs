//! The password policy: 8 to 128 characters, and not one that is easy to guess.

/// Fewest characters accepted (NIST SP 800-63B's floor for user-chosen secrets).
pub const MIN_CHARS: usize = 8;
/// Most characters accepted: enough for any passphrase, small enough to hash cheaply.
pub const MAX_CHARS: usize = 128;

/// Why a password was refused; the text is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Use at least 8 characters.")]
    TooShort,
    #[error("Use at most 128 characters.")]
    TooLong,
    #[error("This password is too easy to guess. {0}")]
    TooGuessable(String),
}

/// The checks that need no dictionary; the browser runs these too.
pub fn check_length(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        Err(PasswordError::TooShort)
    } else if chars > MAX_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// The full policy: length, then zxcvbn's estimate, which knows common passwords, names,
/// keyboard patterns and dates. `related` are the person's own details (name, email, agency),
/// which make a password easier to guess for someone who knows them.
#[cfg(feature = "ssr")]
pub fn check(password: &str, related: &[&str]) -> Result<(), PasswordError> {
    check_length(password)?;
    let estimate = zxcvbn::zxcvbn(password, related);
    // Score 3 is "safely unguessable: moderate protection from offline slow-hash scenario".
    if (estimate.score() as u8) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.suggestions().first().map(|s| s.to_string()))
            .unwrap_or_else(|| "Try a longer phrase of unrelated words.".to_owned());
        return Err(PasswordError::TooGuessable(hint));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert_eq!(check_length("1234567"), Err(PasswordError::TooShort));
        assert_eq!(check_length("12345678"), Ok(()));
        assert_eq!(check_length(&"é".repeat(128)), Ok(()));
        assert_eq!(check_length(&"a".repeat(129)), Err(PasswordError::TooLong));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_refused() {
        for weak in [
            "password",
            "password123",
            "12345678",
            "qwertyuiop",
            "iloveyou1",
        ] {
            assert!(
                matches!(check(weak, &[]), Err(PasswordError::TooGuessable(_))),
                "{weak}"
            );
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn personal_details_count_against_a_password() {
        // Strong to a stranger, weak to anyone who knows the person's email.
        assert_eq!(check("jane.doe@denver.gov", &[]), Ok(()));
        assert!(check("jane.doe@denver.gov", &["jane.doe@denver.gov"]).is_err());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_passphrase_is_accepted() {
        assert_eq!(check("Correct-Horse-Battery-9", &[]), Ok(()));
        assert_eq!(check("lantern orbit mercy walnut", &["jane"]), Ok(()));
    }
}
