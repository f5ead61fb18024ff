//! The one error type of the application. It crosses the server-function boundary (JSON), so
//! the browser can put a message next to the right field; internal causes are logged on the
//! server and never sent.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// What went wrong, in terms a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A form field is wrong; `field` is the input's name, the message goes next to it.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// Not signed in.
    #[error("Please sign in to continue.")]
    Unauthenticated,
    /// Signed in, but not allowed.
    #[error("You do not have permission to view this page.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with what is stored (a message for the whole form).
    #[error("{0}")]
    Conflict(String),
    /// A finished test was asked for its questions; `result` is where its result is.
    #[error("{message}")]
    Finished { message: String, result: String },
    /// Throttled; the message says how long to wait.
    #[error("{0}")]
    TooManyRequests(String),
    /// The browser sent something unreadable.
    #[error("{0}")]
    Request(String),
    /// The browser could not reach the server: worth trying again (the test page does).
    #[error("We could not reach the server. Check your connection and try again; nothing was lost on our side.")]
    Unreachable,
    /// Our fault. The cause was logged with the request's span.
    #[error("Something went wrong on our side, and nothing was changed. Please try again; if it keeps happening, contact the training office.")]
    Internal,
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The message for `field`, if this error is about that field.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// The message for the whole form: every error that is not tied to a field.
    pub fn form_message(&self) -> Option<String> {
        match self {
            AppError::Invalid { field, .. } if !field.is_empty() => None,
            other => Some(other.to_string()),
        }
    }

    /// Logs an unexpected failure with its cause and returns the plain apology.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        AppError::Internal
    }

    /// The HTTP status a page showing this error should carry, and a server function's error
    /// response (the server's `refusal_status` layer sets it: server_fn answers 500 for all).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::Request(_) => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) | AppError::Finished { .. } => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Unreachable => 503,
        }
    }
}

impl From<crate::domain::person::FieldError> for AppError {
    fn from(e: crate::domain::person::FieldError) -> Self {
        AppError::invalid(e.field, e.message)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::Request(
                "Part of the form was missing or unreadable. Please check it and send it again."
                    .into(),
            ),
            #[cfg(feature = "ssr")]
            other => AppError::internal(other),
            #[cfg(not(feature = "ssr"))]
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_go_to_their_field_only() {
        let e = AppError::invalid("email", "Enter your email address.");
        assert_eq!(
            e.field_message("email").as_deref(),
            Some("Enter your email address.")
        );
        assert_eq!(e.field_message("password"), None);
        assert_eq!(e.form_message(), None);
        assert!(AppError::Forbidden.form_message().is_some());
    }

    #[test]
    fn transport_errors_get_plain_messages() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::MissingArg("email".into()));
        assert!(matches!(e, AppError::Request(m) if m.contains("missing")));
    }

    #[test]
    fn internal_errors_say_nothing_of_the_cause() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "SELECT * FROM users".into(),
        ));
        assert_eq!(e, AppError::Internal);
        assert!(!e.to_string().contains("SELECT"));
    }
}
