//! The person's own account: verifying the email address, resetting a forgotten password,
//! and the settings page (profile, shipping address, time zone, password).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub agency: String,
    pub agency_type: String,
    pub time_zone: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

/// What became of an emailed link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkOutcome {
    /// It worked (or, when only checked, it will work).
    Valid,
    Used,
    Expired,
    Unknown,
}

/// The signed-in person's settings.
#[server(prefix = "/api", endpoint = "account_settings")]
pub async fn account_settings() -> Result<AccountDetails, AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let r = crate::db::users::find_account(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(AccountDetails {
        name: r.name,
        email: r.email,
        email_verified: r.email_verified_at.is_some(),
        agency: r.agency,
        agency_type: r.agency_type,
        time_zone: r.time_zone,
        street: r.ship_street,
        city: r.ship_city,
        region: r.ship_region,
        postal_code: r.ship_postal_code,
        country: r.ship_country,
    })
}

/// Uses an email-verification link (the page at `/verify-email/<token>` calls this).
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<LinkOutcome, AppError> {
    use crate::db::tokens::{self, Effect};
    let state = crate::state::app_state()?;
    let state = tokens::redeem(
        &state.db,
        &tokens::hash(&token),
        Effect::VerifyEmail,
        chrono::Utc::now(),
    )
    .await?;
    Ok(support::outcome(state))
}

/// Sends a new verification link to the signed-in person (a few per hour at most).
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::{db, domain::mail::KIND_VERIFY_EMAIL};
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let now = chrono::Utc::now();
    let sent = db::outbox::count_recent(
        &state.db,
        &user.email,
        KIND_VERIFY_EMAIL,
        now - chrono::Duration::hours(1),
    )
    .await?;
    if sent >= 5 {
        return Err(AppError::TooManyRequests(
            "We have sent several links in the last hour. Please look for them in your inbox (and spam folder), or try again later.".into(),
        ));
    }
    support::send_verification(&state.db, user.id, &user.email, &user.name, now).await?;
    leptos_axum::redirect("/dashboard?verification=sent");
    Ok(())
}

/// Sends a password-reset link if an account has this email. The answer is the same either
/// way, so that the form does not tell who has an account.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::{db::tokens::Purpose, domain::email::Email};
    let state = crate::state::app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid("email", e.to_string()))?;
    let now = chrono::Utc::now();
    support::throttle_request(&state.db, Purpose::ResetPassword, &email, now).await?;
    if let Some(user) = crate::db::users::find_by_email(&state.db, &email).await? {
        support::send_reset(&state.db, user.id, &user.email, &user.name, now).await?;
    }
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset link still works (the page says so before asking for a password).
#[server(prefix = "/api", endpoint = "check_reset_link")]
pub async fn check_reset_link(token: String) -> Result<LinkOutcome, AppError> {
    use crate::db::tokens::{self, Purpose};
    let state = crate::state::app_state()?;
    let state = tokens::peek(
        &state.db,
        Purpose::ResetPassword,
        &tokens::hash(&token),
        chrono::Utc::now(),
    )
    .await?;
    Ok(support::outcome(state))
}

/// Sets a new password with a reset link, which it uses up, and signs the person in. Every
/// other session of the account ends (sessions carry the password hash).
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::db::tokens::{self, Effect, Purpose, TokenState};
    let state = crate::state::app_state()?;
    let hash = tokens::hash(&token);
    let user_id =
        match tokens::peek(&state.db, Purpose::ResetPassword, &hash, chrono::Utc::now()).await? {
            TokenState::Valid(id) => id,
            other => return Err(support::link_error(other)),
        };
    let record = crate::db::users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| support::link_error(TokenState::Unknown))?;
    let new_hash = support::new_password_hash(
        &record,
        password,
        &password_confirm,
        "password",
        "password_confirm",
    )
    .await?;
    match tokens::redeem(
        &state.db,
        &hash,
        Effect::SetPasswordHash(&new_hash),
        chrono::Utc::now(),
    )
    .await?
    {
        TokenState::Valid(_) => {}
        other => return Err(support::link_error(other)),
    }
    support::sign_in_again(&state.db, user_id).await?;
    tracing::info!(user_id, "password reset");
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// Changes name, agency and agency type.
#[server(prefix = "/api", endpoint = "update_profile")]
pub async fn update_profile(
    name: String,
    agency: String,
    agency_type: String,
) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let p = crate::domain::account::parse_profile(&name, &agency, &agency_type)?;
    crate::db::users::update_profile(
        &state.db,
        user.id,
        &p.name,
        &p.agency,
        p.agency_type,
        chrono::Utc::now(),
    )
    .await?;
    leptos_axum::redirect("/settings?saved=profile");
    Ok(())
}

/// Changes the shipping address (all fields empty removes it).
#[server(prefix = "/api", endpoint = "update_shipping")]
pub async fn update_shipping(
    street: String,
    city: String,
    region: String,
    postal_code: String,
    country: String,
) -> Result<(), AppError> {
    use crate::domain::account::{parse_shipping, ShippingInput};
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let address = parse_shipping(&ShippingInput {
        street,
        city,
        region,
        postal_code,
        country,
    })?;
    crate::db::users::update_shipping(&state.db, user.id, &address, chrono::Utc::now()).await?;
    leptos_axum::redirect("/settings?saved=shipping");
    Ok(())
}

/// Changes the preferred time zone: one of the common zones, or any IANA name under "other".
#[server(prefix = "/api", endpoint = "update_time_zone")]
pub async fn update_time_zone(
    time_zone: String,
    time_zone_other: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::{is_known_time_zone, parse_time_zone};
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let zone = parse_time_zone(
        &time_zone,
        time_zone_other.as_deref().unwrap_or_default(),
        is_known_time_zone,
    )?;
    crate::db::users::update_time_zone(&state.db, user.id, &zone, chrono::Utc::now()).await?;
    leptos_axum::redirect("/settings?saved=time_zone");
    Ok(())
}

/// Changes the password after checking the current one. Every other session of the account
/// ends; this one continues on a fresh session id.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let record = crate::db::users::find_by_id(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    support::check_current_password(&state, &record, current_password).await?;
    let hash = support::new_password_hash(
        &record,
        new_password,
        &new_password_confirm,
        "new_password",
        "new_password_confirm",
    )
    .await?;
    crate::db::users::set_password_hash(&state.db, user.id, &hash, chrono::Utc::now()).await?;
    support::sign_in_again(&state.db, user.id).await?;
    tracing::info!(user_id = user.id, "password changed");
    leptos_axum::redirect("/settings?saved=password");
    Ok(())
}

/// Server-side helpers of the functions above (and of sign-up, which sends the first link).
#[cfg(feature = "ssr")]
pub(crate) mod support {
    use super::LinkOutcome;
    use crate::{
        auth::{password_hash, SessionUser},
        db::{
            self,
            outbox::NewMessage,
            tokens::{self, Purpose, TokenState},
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

    fn site() -> Result<SiteUrl, AppError> {
        use_context::<SiteUrl>().ok_or_else(|| AppError::internal("SiteUrl missing from context"))
    }

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
        let text = text(&site()?.link(&format!("{path}{token}")));
        let message = NewMessage {
            to,
            subject: &text.subject,
            body_text: &text.body,
            attachments: &[],
            kind: purpose.as_str(),
        };
        tokens::issue(db, user_id, purpose, &hash, &message, now).await?;
        Ok(())
    }

    /// Stores a verification link and the email that carries it.
    pub async fn send_verification(
        db: &Db,
        user_id: i64,
        to: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        send_link(
            db,
            user_id,
            to,
            Purpose::VerifyEmail,
            |link| mail::verify_email(name, link),
            now,
        )
        .await
    }

    pub async fn send_reset(
        db: &Db,
        user_id: i64,
        to: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        send_link(
            db,
            user_id,
            to,
            Purpose::ResetPassword,
            |link| mail::reset_password(name, link),
            now,
        )
        .await
    }

    /// Requests that mail a typed-in address: 3 per address an hour, 20 per client address.
    /// Counted whether or not an account exists, so the limit tells nothing either.
    pub async fn throttle_request(
        db: &Db,
        purpose: Purpose,
        email: &Email,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let policy = ThrottlePolicy {
            window: chrono::Duration::hours(1),
            per_account: 3,
            per_address: 20,
        };
        let address = crate::state::client_address();
        let (by_email, by_address) =
            tokens::recent_requests(db, purpose, email.as_str(), &address, now - policy.window)
                .await?;
        if let Throttle::Wait { until } = policy.decide(now, &by_email, &by_address) {
            tracing::warn!("mail request throttled");
            let minutes = ((until - now).num_seconds().max(1) + 59) / 60;
            return Err(AppError::TooManyRequests(format!(
                "Too many requests. Please look for the email we already sent, or try again in {minutes} minutes."
            )));
        }
        tokens::record_request(db, purpose, email.as_str(), &address, now).await?;
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

    /// Verifies the current password, throttled like sign-in (failures count against the
    /// account), so that a borrowed session cannot guess it at leisure.
    pub async fn check_current_password(
        state: &AppState,
        record: &UserRecord,
        current: String,
    ) -> Result<(), AppError> {
        let now = Utc::now();
        let address = crate::state::client_address();
        let (by_email, by_address) = db::sign_in_failures::recent(
            &state.db,
            &record.email,
            &address,
            now - state.throttle.window,
        )
        .await?;
        if let Throttle::Wait { until } = state.throttle.decide(now, &by_email, &by_address) {
            return Err(AppError::TooManyRequests(
                crate::domain::throttle::wait_message(now, until),
            ));
        }
        if current.is_empty() {
            return Err(AppError::invalid(
                "current_password",
                "Enter your current password.",
            ));
        }
        let ok = password_hash::verify(current, Some(record.password_hash.clone()))
            .await
            .map_err(AppError::internal)?;
        if !ok {
            db::sign_in_failures::record(&state.db, &record.email, &address, now).await?;
            return Err(AppError::invalid(
                "current_password",
                "This is not your current password.",
            ));
        }
        Ok(())
    }

    /// Signs the person in again with their new password hash, on a fresh session id.
    pub async fn sign_in_again(db: &Db, user_id: i64) -> Result<(), AppError> {
        let record = db::users::find_by_id(db, user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        crate::api::session::start_session(SessionUser::from(record)).await
    }
}
