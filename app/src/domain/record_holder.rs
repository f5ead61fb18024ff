//! Who may receive a record matched to a person by email address alone (an imported
//! certificate, CE done elsewhere). Anyone can sign up with any address; until the account has
//! shown that it owns the address, a record found for that address waits, and goes to the
//! account when it verifies it.

/// What is known of the account that has the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountFacts {
    /// The account opened a link sent to the address (verification or password reset).
    pub email_verified: bool,
    /// The account has a password: someone chose it at sign-up (or later). An account made by
    /// a certificate import has none, and nobody can sign in to it until a password-reset link
    /// sent to the address is used, which proves the address.
    pub has_password: bool,
}

/// Where a record matched by email goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// To the account now.
    Account,
    /// Kept under the address until the account with it verifies it.
    Pending,
}

/// Attached now when the account has proved the address, or when nobody can enter it without
/// proving the address (an imported account with no password yet); else it waits.
pub fn destination(account: AccountFacts) -> Destination {
    if account.email_verified || !account.has_password {
        Destination::Account
    } else {
        Destination::Pending
    }
}

/// How the import preview describes the account a row matched, by its name when the row
/// will be attached; `None`: no account has the address, the import creates one.
pub fn preview_label(account: Option<(&str, AccountFacts)>) -> String {
    match account {
        None => NEW_ACCOUNT.to_owned(),
        Some((name, facts)) => match destination(facts) {
            Destination::Account => format!("Existing account ({name})"),
            // The name is not shown: whoever signed up with the address chose it.
            Destination::Pending => PENDING_ACCOUNT.to_owned(),
        },
    }
}

/// The preview's label of a row that creates an account.
pub const NEW_ACCOUNT: &str = "New account";
/// The preview's label of a row whose account has not verified its address.
pub const PENDING_ACCOUNT: &str =
    "Existing account, email not verified: will be attached when verified";

#[cfg(test)]
mod tests {
    use super::*;

    const fn facts(email_verified: bool, has_password: bool) -> AccountFacts {
        AccountFacts {
            email_verified,
            has_password,
        }
    }

    #[test]
    fn a_signed_up_account_gets_records_only_once_its_address_is_verified() {
        assert_eq!(destination(facts(false, true)), Destination::Pending);
        assert_eq!(destination(facts(true, true)), Destination::Account);
    }

    #[test]
    fn an_imported_account_without_a_password_gets_them_at_once() {
        // Entering it takes a reset link sent to the address.
        assert_eq!(destination(facts(false, false)), Destination::Account);
        assert_eq!(destination(facts(true, false)), Destination::Account);
    }

    #[test]
    fn the_preview_names_only_accounts_that_will_receive_the_record() {
        assert_eq!(preview_label(None), "New account");
        assert_eq!(
            preview_label(Some(("Ana Ruiz", facts(true, true)))),
            "Existing account (Ana Ruiz)"
        );
        assert_eq!(
            preview_label(Some(("Security Team", facts(false, true)))),
            "Existing account, email not verified: will be attached when verified"
        );
    }
}
