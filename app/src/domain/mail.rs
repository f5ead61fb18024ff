//! The texts of the messages the platform sends. Plain functions: the caller gives names and
//! links; nothing here reads the clock or the database.

/// The address people use to reach the site (`CIT_PUBLIC_URL`), provided to server functions
/// so that emailed links point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl(pub String);

impl SiteUrl {
    /// An absolute link to `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.0.trim_end_matches('/'), path)
    }
}

/// A message's subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub subject: String,
    pub body: String,
}

/// Outbox kinds, used for logs and throttling.
pub const KIND_VERIFY_EMAIL: &str = "verify_email";
pub const KIND_RESET_PASSWORD: &str = "reset_password";
pub const KIND_PASSWORD_CHANGED: &str = "password_changed";
pub const KIND_SIGN_UP_EXISTING: &str = "sign_up_existing";

/// The account messages: they carry no name or other text a person chose, so they go to an
/// address that is not verified yet. Every other message (a registration, a result, a
/// certificate, ...) greets the account by the name it was given, which a stranger who signed
/// up with someone else's address chose; it waits until the address is verified.
pub const ACCOUNT_KINDS: [&str; 4] = [
    KIND_VERIFY_EMAIL,
    KIND_RESET_PASSWORD,
    KIND_PASSWORD_CHANGED,
    KIND_SIGN_UP_EXISTING,
];

/// Whether a message of `kind` may go to an account whose address is not verified.
pub fn sent_before_verification(kind: &str) -> bool {
    ACCOUNT_KINDS.contains(&kind)
}

/// Where a secret-bearing link goes in a stored body. The link itself is stored apart from
/// the body and put in only when the message is sent, so that the body in the database never
/// holds it (see `db::outbox`).
pub const LINK_SLOT: &str = "{{secret link}}";
/// What a sent message's body says where its link was.
pub const LINK_REMOVED: &str = "[link removed after sending]";

/// The body as it is sent: the slot filled with the link.
pub fn fill_link(body: &str, link: &str) -> String {
    body.replace(LINK_SLOT, link)
}

/// The body as it is kept once sent: the slot says the link is gone.
pub fn remove_link(body: &str) -> String {
    body.replace(LINK_SLOT, LINK_REMOVED)
}

const SIGNATURE: &str = "CIT Academy\nCrisis Intervention Team training and certification";

/// Sent after sign-up and on "Send the link again". No name: the address is not verified
/// yet, so whatever name the account carries was typed by someone who may not own it.
pub fn verify_email(link: &str) -> Text {
    Text {
        subject: "Please verify your email address".to_owned(),
        body: format!(
            "Hello,\n\n\
             Someone (we hope you) created an account at CIT Academy with this email address. \
             Please confirm that this is your email address by opening this link:\n\n\
             {link}\n\n\
             The link works once, for 24 hours. If it has expired, sign in and choose \
             \"Send the link again\" on your dashboard.\n\n\
             If you did not create an account at CIT Academy, you can ignore this message.\n\n\
             {SIGNATURE}\n"
        ),
    }
}

/// Sent on "Forgot your password?" for an existing account. No name, as for every
/// account message: the address may not be verified (see [`verify_email`]).
pub fn reset_password(link: &str) -> Text {
    Text {
        subject: "Reset your CIT Academy password".to_owned(),
        body: format!(
            "Hello,\n\n\
             Someone (we hope you) asked to reset the password of your CIT Academy account. \
             To choose a new password, open this link:\n\n\
             {link}\n\n\
             The link works once, for one hour. Setting a new password signs you out on every \
             other device.\n\n\
             If you did not ask for this, you can ignore this message: your password stays as \
             it is.\n\n\
             {SIGNATURE}\n"
        ),
    }
}

/// Sent after a password was changed or reset, so that a person whose account was taken
/// over learns of it. No name (see [`reset_password`]).
pub fn password_changed(reset_link: &str) -> Text {
    Text {
        subject: "Your CIT Academy password was changed".to_owned(),
        body: format!(
            "Hello,\n\n\
             The password of your CIT Academy account was just changed, and every other \
             device was signed out.\n\n\
             If you did this, there is nothing more to do.\n\n\
             If you did not, choose a new password at once:\n\n\
             {reset_link}\n\n\
             and tell the training office.\n\n\
             {SIGNATURE}\n"
        ),
    }
}

/// Sent instead of a verification link when someone signs up with an address that already
/// has an account: the owner learns of it and is offered sign-in and a password reset, and
/// the sign-up page answers exactly as for a new address.
pub fn sign_up_existing(sign_in_link: &str, reset_link: &str) -> Text {
    Text {
        subject: "Someone tried to create a CIT Academy account with your email".to_owned(),
        body: format!(
            "Hello,\n\n\
             Someone (perhaps you) just tried to create a CIT Academy account with this email \
             address. There is already an account with it, so no new account was made.\n\n\
             To sign in, go to:\n\n\
             {sign_in_link}\n\n\
             If you do not know your password (or never set one), choose a new one here:\n\n\
             {reset_link}\n\n\
             If you did not try to sign up, you can ignore this message: nothing changed.\n\n\
             {SIGNATURE}\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_absolute_and_texts_carry_them() {
        let site = SiteUrl("https://academy.example.org/".into());
        let link = site.link("/verify-email/abc");
        assert_eq!(link, "https://academy.example.org/verify-email/abc");
        let text = verify_email(&link);
        assert!(text.body.contains(&link) && text.body.starts_with("Hello,\n"));
        assert!(reset_password(&link).body.contains("one hour"));
        assert!(password_changed(&link).body.contains(&link));
        let existing = sign_up_existing("https://a/signin", "https://a/forgot-password");
        assert!(existing.body.contains("https://a/signin"));
        assert!(existing.body.contains("https://a/forgot-password"));
    }

    #[test]
    fn only_account_messages_go_to_an_unverified_address() {
        for kind in ACCOUNT_KINDS {
            assert!(sent_before_verification(kind), "{kind}");
        }
        for kind in [
            "registration",
            "certificate",
            "grading",
            "renewal_reminder",
            "",
        ] {
            assert!(!sent_before_verification(kind), "{kind}");
        }
    }

    #[test]
    fn a_secret_link_is_filled_in_to_send_and_removed_after() {
        let stored = verify_email(LINK_SLOT).body;
        let link = "https://academy.example.org/verify-email/t0k3n";
        assert!(!stored.contains(link));
        assert!(fill_link(&stored, link).contains(link));
        let kept = remove_link(&stored);
        assert!(kept.contains(LINK_REMOVED) && !kept.contains(LINK_SLOT));
    }
}
