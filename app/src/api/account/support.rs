//! Server-side helpers of the account server functions (and of sign-up, which sends the
//! first verification link).

use super::LinkOutcome;
use crate::{
    auth::{password_hash, SessionUser},
    db::{
        self,
        outbox::NewMessage,
        sign_in_failures::Reservation,
        tokens::{self, MailRequest, Purpose, TokenState},
        users::UserRecord,
        Db,
    },
    domain::{
        email::Email,
        mail::{self, SiteUrl, Text},
        password,
        throttle::{Throttle, ThrottlePolicy},
    },
    error::AppError,
    state::AppState,
};
use chrono::{DateTime, Utc};
use leptos::prelude::use_context;

pub fn outcome(state: TokenState) -> LinkOutcome {
    match state {
        TokenState::Valid(_) => LinkOutcome::Valid,
        TokenState::Used => LinkOutcome::Used,
        TokenState::Expired => LinkOutcome::Expired,
        TokenState::Unknown => LinkOutcome::Unknown,
    }
}

/// The message for a reset link that no longer works.
pub fn link_error(state: TokenState) -> AppError {
    AppError::Conflict(match state {
        TokenState::Used => "This link has already been used. Ask for a new one if you still need to reset your password.",
        TokenState::Expired => "This link has expired (links work for one hour). Ask for a new one.",
        _ => "This link is not valid. Check that you opened the whole link from the email, or ask for a new one.",
    }.to_owned())
}

/// The message for a verification link that no longer works.
pub fn verify_link_error(state: TokenState) -> AppError {
    AppError::Conflict(match state {
        TokenState::Used => "This link has already been used. Each link works once.",
        TokenState::Expired => "This link has expired (links work for 24 hours). Sign in and choose “Send the link again” on your dashboard.",
        _ => "This link is not valid. Check that you opened the whole link from the email.",
    }.to_owned())
}

fn site() -> Result<SiteUrl, AppError> {
    use_context::<SiteUrl>().ok_or_else(|| AppError::internal("SiteUrl missing from context"))
}

/// Issues a token for `purpose` and queues the message `text` makes around its link. The
/// link is stored apart from the body (see `db::outbox`), so it can be erased once sent.
async fn send_link(
    db: &Db,
    user_id: i64,
    to: &str,
    purpose: Purpose,
    text: impl FnOnce(&str) -> Text,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (token, hash) = tokens::generate();
    let path = match purpose {
        Purpose::VerifyEmail => "/verify-email/",
        Purpose::ResetPassword => "/reset-password/",
    };
    let link = site()?.link(&format!("{path}{token}"));
    let text = text(mail::LINK_SLOT);
    let message = NewMessage {
        to,
        subject: &text.subject,
        body_text: &text.body,
        attachments: &[],
        kind: purpose.as_str(),
        secret_link: Some(&link),
    };
    tokens::issue(db, user_id, purpose, &hash, &message, now).await?;
    Ok(())
}

/// Stores a verification link and the email that carries it.
pub async fn send_verification(
    db: &Db,
    user_id: i64,
    to: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    send_link(
        db,
        user_id,
        to,
        Purpose::VerifyEmail,
        mail::verify_email,
        now,
    )
    .await
}

pub async fn send_reset(
    db: &Db,
    user_id: i64,
    to: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    send_link(
        db,
        user_id,
        to,
        Purpose::ResetPassword,
        mail::reset_password,
        now,
    )
    .await
}

/// Tells the owner of an existing account that someone tried to sign up with its address
/// (in place of the verification link a new account gets).
pub async fn send_sign_up_existing(db: &Db, to: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let site = site()?;
    let text = mail::sign_up_existing(&site.link("/signin"), &site.link("/forgot-password"));
    let message = NewMessage {
        to,
        subject: &text.subject,
        body_text: &text.body,
        attachments: &[],
        kind: mail::KIND_SIGN_UP_EXISTING,
        secret_link: None,
    };
    db::outbox::enqueue(db, &message, now).await?;
    Ok(())
}

/// The limits of "Forgot your password?": 3 per address an hour, 20 per client address.
pub const RESET_REQUESTS: ThrottlePolicy = ThrottlePolicy {
    window: chrono::Duration::hours(1),
    per_account: 3,
    per_address: 20,
};

/// Throttles requests that mail a typed-in address, per email and per client address, and
/// counts this one. Counted whether or not an account exists, so the limit tells nothing
/// either. A refusal is a 429 with the wait, logged as a warning (it is not a fault).
pub async fn throttle_request(
    db: &Db,
    request: MailRequest,
    policy: ThrottlePolicy,
    email: &Email,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let address = crate::state::client_address();
    let (by_email, by_address) =
        tokens::recent_requests(db, request, email.as_str(), &address, now - policy.window).await?;
    if let Throttle::Wait { until } = policy.decide(now, &by_email, &by_address) {
        tracing::warn!(request = request.as_str(), "mail request throttled");
        let minutes = ((until - now).num_seconds().max(1) + 59) / 60;
        return Err(AppError::TooManyRequests(format!(
            "Too many requests. Please look for the email we already sent, or try again in {minutes} minutes."
        )));
    }
    tokens::record_request(db, request, email.as_str(), &address, now).await?;
    Ok(())
}

/// Checks a new password (twice typed, the sign-up policy with the person's own details)
/// and hashes it.
pub async fn new_password_hash(
    record: &UserRecord,
    new: String,
    confirm: &str,
    field: &'static str,
    confirm_field: &'static str,
) -> Result<String, AppError> {
    let mut related: Vec<&str> = record.name.split_whitespace().collect();
    related.push(&record.email);
    related.extend(record.email.split(['@', '.']));
    related.push(&record.agency);
    password::check(&new, &related).map_err(|e| AppError::invalid(field, e.to_string()))?;
    if new != confirm {
        return Err(AppError::invalid(
            confirm_field,
            "The two passwords differ. Type the same new password twice.",
        ));
    }
    password_hash::hash(new).await.map_err(AppError::internal)
}

/// Which password field a check answers, and what it says.
#[derive(Debug, Clone, Copy)]
pub struct PasswordField {
    pub name: &'static str,
    pub missing: &'static str,
    pub wrong: &'static str,
}

impl PasswordField {
    /// The settings page's "Current password".
    pub const CURRENT: PasswordField = PasswordField {
        name: "current_password",
        missing: "Enter your current password.",
        wrong: "This is not your current password.",
    };
    /// The verification page's "Password" (the link was opened outside the account's session).
    pub const ACCOUNT: PasswordField = PasswordField {
        name: "password",
        missing: "Enter the password of your CIT Academy account.",
        wrong: "This is not the password of the account this link belongs to.",
    };
}

/// Verifies the account's password, throttled like sign-in (failures count against the
/// account), so that a borrowed session or a forwarded link cannot guess it at leisure.
pub async fn check_password(
    state: &AppState,
    record: &UserRecord,
    password: String,
    field: PasswordField,
) -> Result<(), AppError> {
    let now = crate::clock::now();
    let address = crate::state::client_address();
    if password.is_empty() {
        return Err(AppError::invalid(field.name, field.missing));
    }
    // Reserved before the hash, like sign-in, so a burst cannot outrun the count.
    let reserved = match db::sign_in_failures::reserve(
        &state.db,
        &state.throttle,
        &record.email,
        &address,
        now,
    )
    .await?
    {
        Reservation::Reserved { id } => id,
        Reservation::Refused { until } => {
            return Err(AppError::TooManyRequests(
                crate::domain::throttle::wait_message(now, until),
            ))
        }
    };
    let ok = password_hash::verify(password, Some(record.password_hash.clone()))
        .await
        .map_err(AppError::internal)?;
    if !ok {
        return Err(AppError::invalid(field.name, field.wrong));
    }
    db::sign_in_failures::release(&state.db, reserved).await?;
    Ok(())
}

/// Tells the person their password changed (a failure to queue is logged, not shown: the
/// change itself stands).
pub async fn notify_password_changed(db: &Db, to: &str) {
    let result = async {
        let text = mail::password_changed(&site()?.link("/forgot-password"));
        let message = NewMessage {
            to,
            subject: &text.subject,
            body_text: &text.body,
            attachments: &[],
            kind: mail::KIND_PASSWORD_CHANGED,
            secret_link: None,
        };
        db::outbox::enqueue(db, &message, crate::clock::now()).await?;
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "password-changed notice not queued");
    }
}

/// Signs the person in again with their new password hash, on a fresh session id.
pub async fn sign_in_again(db: &Db, user_id: i64) -> Result<(), AppError> {
    let record = db::users::find_by_id(db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    crate::api::session::start_session(SessionUser::from(record)).await
}
