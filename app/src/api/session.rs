//! Signing up, in and out, and who is signed in.

use crate::{error::AppError, model::CurrentUser};
use leptos::prelude::*;

/// The signed-in person, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    crate::state::current_user().await
}

/// Creates an account (always an attendee), signs the person in and goes to the dashboard.
#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    name: String,
    email: String,
    password: String,
    agency: String,
    agency_type: String,
) -> Result<(), AppError> {
    use crate::{
        auth::{password_hash, SessionUser},
        db::users::{self, InsertUserError, NewUser},
        domain::{password, person, role::Role},
    };
    let state = crate::state::app_state()?;
    let input = person::SignUpInput {
        name,
        email,
        password,
        agency,
        agency_type,
    };
    let person = person::parse_sign_up(&input, password::check)?;
    let hash = password_hash::hash(person.password.clone())
        .await
        .map_err(AppError::internal)?;
    let new = NewUser {
        email: &person.email,
        name: &person.name,
        password_hash: &hash,
        agency: &person.agency,
        agency_type: person.agency_type,
        role: Role::Attendee,
    };
    let id = match users::insert(&state.db, &new, crate::clock::now()).await {
        Ok(id) => id,
        Err(InsertUserError::DuplicateEmail) => {
            return Err(AppError::invalid(
                "email",
                "An account with this email already exists. Sign in instead, or use another email.",
            ));
        }
        Err(InsertUserError::Db(e)) => return Err(e.into()),
    };
    let record = users::find_by_id(&state.db, id)
        .await?
        .ok_or_else(|| AppError::internal("new account vanished"))?;
    // The account stands even if the link cannot be queued; "Send the link again" recovers.
    if let Err(e) = crate::api::account::support::send_verification(
        &state.db,
        id,
        &record.email,
        &record.name,
        crate::clock::now(),
    )
    .await
    {
        tracing::error!(error = %e, "verification email not queued");
    }
    start_session(SessionUser::from(record)).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// Signs in. Unknown email and wrong password get the same answer; repeated failures are
/// throttled per account and per client address.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::{
        auth::Credentials,
        db::sign_in_failures::{self, Reservation},
        domain::{
            email::Email,
            throttle::wait_message,
        },
    };
    let state = crate::state::app_state()?;
    let email = Email::parse(&email).map_err(|e| AppError::invalid("email", e.to_string()))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    let address = crate::state::client_address();
    let now = crate::clock::now();
    let reserved = match sign_in_failures::reserve(
        &state.db,
        &state.throttle,
        email.as_str(),
        &address,
        now,
    )
    .await?
    {
        Reservation::Reserved { id } => id,
        Reservation::Refused { until } => {
            tracing::warn!("sign-in throttled");
            return Err(AppError::TooManyRequests(wait_message(now, until)));
        }
    };
    let auth = crate::state::auth_session().await?;
    let user = auth
        .authenticate(Credentials {
            email: email.clone(),
            password,
        })
        .await
        .map_err(AppError::internal)?;
    // A wrong password leaves the reservation standing: it is the recorded failure.
    let Some(user) = user else {
        return Err(AppError::invalid("", "Email or password is incorrect."));
    };
    sign_in_failures::forgive(&state.db, reserved, email.as_str()).await?;
    start_session(user).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// Ends the session on the server (the stored session is deleted, not just the cookie).
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let mut auth = crate::state::auth_session().await?;
    auth.logout().await.map_err(AppError::internal)?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Signs a person in on a fresh session id (no session fixation) and stamps the time, from
/// which the absolute lifetime counts.
#[cfg(feature = "ssr")]
pub(crate) async fn start_session(user: crate::auth::SessionUser) -> Result<(), AppError> {
    let mut auth = crate::state::auth_session().await?;
    auth.session.cycle_id().await.map_err(AppError::internal)?;
    auth.login(&user).await.map_err(AppError::internal)?;
    auth.session
        .insert(crate::state::SIGNED_IN_AT, crate::clock::now().timestamp())
        .await
        .map_err(AppError::internal)?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(())
}
