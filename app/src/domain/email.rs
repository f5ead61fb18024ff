//! Email addresses, normalised once at the edge so that uniqueness holds.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically valid email address, trimmed and lower-cased.
///
/// Lower-casing the local part is not what RFC 5321 says, but every mailbox provider our
/// agencies use treats it case-insensitively, and people do type `J.Smith@` one day and
/// `j.smith@` the next: one account per person matters more here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

/// Why an email address was refused; the text is shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter your email address.")]
    Empty,
    #[error("Enter an email address like name@agency.gov.")]
    Invalid,
}

impl Email {
    /// Parses and normalises user input.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let normalised = input.trim().to_lowercase();
        if normalised.is_empty() {
            return Err(EmailError::Empty);
        }
        if normalised.len() > 254 || !email_address::EmailAddress::is_valid(&normalised) {
            return Err(EmailError::Invalid);
        }
        // The crate accepts `user@localhost`; an agency address always has a dotted domain.
        let domain = normalised.rsplit('@').next().unwrap_or_default();
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(EmailError::Invalid);
        }
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_lowercases() {
        let email = Email::parse("  Jane.Doe@Denver.GOV ").unwrap();
        assert_eq!(email.as_str(), "jane.doe@denver.gov");
    }

    #[test]
    fn refuses_empty_and_malformed() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        for bad in [
            "jane",
            "jane@",
            "@denver.gov",
            "jane@@denver.gov",
            "jane doe@denver.gov",
            "jane@localhost",
            "jane@denver.",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad}");
        }
    }

    #[test]
    fn refuses_overlong() {
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::Invalid));
    }
}
