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

const SIGNATURE: &str = "CIT Academy\nCrisis Intervention Team training and certification";

/// Sent after sign-up and on "Send the link again".
pub fn verify_email(name: &str, link: &str) -> Text {
    Text {
        subject: "Please verify your email address".to_owned(),
        body: format!(
            "Hello {name},\n\n\
             Please confirm that this is your email address by opening this link:\n\n\
             {link}\n\n\
             The link works once, for 24 hours. If it has expired, sign in and choose \
             \"Send the link again\" on your dashboard.\n\n\
             If you did not create an account at CIT Academy, you can ignore this message.\n\n\
             {SIGNATURE}\n"
        ),
    }
}

/// Sent on "Forgot your password?" for an existing account.
pub fn reset_password(name: &str, link: &str) -> Text {
    Text {
        subject: "Reset your CIT Academy password".to_owned(),
        body: format!(
            "Hello {name},\n\n\
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
/// over learns of it.
pub fn password_changed(name: &str, reset_link: &str) -> Text {
    Text {
        subject: "Your CIT Academy password was changed".to_owned(),
        body: format!(
            "Hello {name},\n\n\
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_absolute_and_texts_carry_them() {
        let site = SiteUrl("https://academy.example.org/".into());
        let link = site.link("/verify-email/abc");
        assert_eq!(link, "https://academy.example.org/verify-email/abc");
        let text = verify_email("Jane", &link);
        assert!(text.body.contains(&link) && text.body.contains("Hello Jane"));
        assert!(reset_password("Jane", &link).body.contains("one hour"));
        assert!(password_changed("Jane", &link).body.contains(&link));
    }
}
