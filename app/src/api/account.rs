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

/// What the verification page needs: whether the link works, and whether the account's
/// password must be typed (anyone but the account's own signed-in session).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyLink {
    pub outcome: LinkOutcome,
    pub needs_password: bool,
    /// The account has no password yet (made by an import): a reset link sets one, and
    /// verifies the address with it.
    pub has_password: bool,
}

/// Looks at an email-verification link without using it. Opening the link changes nothing:
/// a mail scanner that follows links, or the address's owner clicking a link that a stranger
/// caused (by signing up with their address), must not verify that stranger's account.
#[server(prefix = "/api", endpoint = "check_verify_link")]
pub async fn check_verify_link(token: String) -> Result<VerifyLink, AppError> {
    use crate::db::tokens::{self, Purpose, TokenState};
    let state = crate::state::app_state()?;
    let found = tokens::peek(
        &state.db,
        Purpose::VerifyEmail,
        &tokens::hash(&token),
        crate::clock::now(),
    )
    .await?;
    let (needs_password, has_password) = match found {
        TokenState::Valid(id) => {
            let own = crate::state::current_user().await?.map(|u| u.id) == Some(id);
            let record = crate::db::users::find_by_id(&state.db, id).await?;
            let has_password = record.is_some_and(|r| r.facts().has_password);
            (!own, has_password)
        }
        _ => (true, true),
    };
    Ok(VerifyLink {
        outcome: support::outcome(found),
        needs_password,
        has_password,
    })
}

/// Confirms an email address with its link: in the account's own signed-in session by the
/// press of a button, anywhere else with the account's password too (which signs the person
/// in). Holding the link proves the address; the session or the password proves the account,
/// so the records and mail that wait for a verified address go to its real owner.
#[server(prefix = "/api", endpoint = "confirm_email")]
pub async fn confirm_email(token: String, password: Option<String>) -> Result<(), AppError> {
    use crate::db::tokens::{self, Effect, Purpose, TokenState};
    let state = crate::state::app_state()?;
    let hash = tokens::hash(&token);
    let now = crate::clock::now();
    let user_id = match tokens::peek(&state.db, Purpose::VerifyEmail, &hash, now).await? {
        TokenState::Valid(id) => id,
        other => return Err(support::verify_link_error(other)),
    };
    let own = crate::state::current_user().await?.map(|u| u.id) == Some(user_id);
    if !own {
        let record = crate::db::users::find_by_id(&state.db, user_id)
            .await?
            .ok_or_else(|| support::verify_link_error(TokenState::Unknown))?;
        support::check_password(
            &state,
            &record,
            password.unwrap_or_default(),
            support::PasswordField::ACCOUNT,
        )
        .await?;
    }
    match tokens::redeem(&state.db, &hash, Effect::VerifyEmail, now).await? {
        TokenState::Valid(_) => {}
        other => return Err(support::verify_link_error(other)),
    }
    if !own {
        support::sign_in_again(&state.db, user_id).await?;
    }
    tracing::info!(user_id, "email address verified");
    leptos_axum::redirect("/dashboard?verified=1");
    Ok(())
}

/// Sends a new verification link to the signed-in person (a few per hour at most).
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::{db, domain::mail::KIND_VERIFY_EMAIL};
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let now = crate::clock::now();
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
    support::send_verification(&state.db, user.id, &user.email, now).await?;
    leptos_axum::redirect("/dashboard?verification=sent");
    Ok(())
}

/// Sends a password-reset link if an account has this email. The answer is the same either
/// way, so that the form does not tell who has an account.
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::{db::tokens::MailRequest, domain::email::Email};
    let state = crate::state::app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid("email", e.to_string()))?;
    let now = crate::clock::now();
    let policy = support::RESET_REQUESTS;
    support::throttle_request(&state.db, MailRequest::ResetPassword, policy, &email, now).await?;
    if let Some(user) = crate::db::users::find_by_email(&state.db, &email).await? {
        support::send_reset(&state.db, user.id, &user.email, now).await?;
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
        crate::clock::now(),
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
    let user_id = match tokens::peek(
        &state.db,
        Purpose::ResetPassword,
        &hash,
        crate::clock::now(),
    )
    .await?
    {
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
        crate::clock::now(),
    )
    .await?
    {
        TokenState::Valid(_) => {}
        other => return Err(support::link_error(other)),
    }
    support::notify_password_changed(&state.db, &record.email).await;
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
        crate::clock::now(),
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
    crate::db::users::update_shipping(&state.db, user.id, &address, crate::clock::now()).await?;
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
    crate::db::users::update_time_zone(&state.db, user.id, &zone, crate::clock::now()).await?;
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
    support::check_password(
        &state,
        &record,
        current_password,
        support::PasswordField::CURRENT,
    )
    .await?;
    let hash = support::new_password_hash(
        &record,
        new_password,
        &new_password_confirm,
        "new_password",
        "new_password_confirm",
    )
    .await?;
    crate::db::users::set_password_hash(&state.db, user.id, &hash, crate::clock::now()).await?;
    support::notify_password_changed(&state.db, &record.email).await;
    support::sign_in_again(&state.db, user.id).await?;
    tracing::info!(user_id = user.id, "password changed");
    leptos_axum::redirect("/settings?saved=password");
    Ok(())
}

/// Server-side helpers of the functions above (and of sign-up, which sends the first link).
#[cfg(feature = "ssr")]
pub(crate) mod support;
