//! The Open Badges 3.0 side of the certificates, all public:
//!
//! - `/api/badges/{code}`: a certificate's credential as JSON-LD, or signed (`application/vc+jwt`)
//!   when asked for with `Accept: application/vc+jwt`; `/api/badges/{code}/jwt` always signed.
//!   Rate-limited like `/api/verify/{code}` (the code is the secret).
//! - `/api/status/revocation` (and `/jwt`): the Bitstring Status List credential, in which a
//!   revoked certificate's bit is on.
//! - `/api/issuer`: the issuer's profile; `/.well-known/jwks.json`: the public key.

use crate::badge_key::{BadgeKey, VC_JWT};
use app::{
    api::certificates::server::{find_by_code, throttle_lookup},
    db::{certificates, certificates::CertificateRecord, Db},
    domain::{badge, status_list},
    error::AppError,
    state::ClientAddress,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::{json, Value};
use std::sync::Arc;

/// The issuer's name in every credential.
pub const ISSUER_NAME: &str = "CIT Academy";

#[derive(Clone)]
pub struct BadgeState {
    pub db: Db,
    pub key: BadgeKey,
    pub public_url: Arc<str>,
}

impl BadgeState {
    fn issuer(&self) -> badge::Issuer<'_> {
        badge::Issuer {
            public_url: &self.public_url,
            name: ISSUER_NAME,
        }
    }

    /// `credential` as JSON-LD, or signed when `signed`.
    fn respond(&self, credential: &Value, signed: bool, cache: &'static str) -> Response {
        let mut response = if signed {
            ([(header::CONTENT_TYPE, VC_JWT)], self.key.sign(credential)).into_response()
        } else {
            (
                [(header::CONTENT_TYPE, "application/ld+json")],
                credential.to_string(),
            )
                .into_response()
        };
        if let Ok(value) = cache.parse() {
            response.headers_mut().insert(header::CACHE_CONTROL, value);
        }
        response
    }
}

/// Whether the client asked for the signed form.
fn wants_jwt(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(VC_JWT))
}

fn facts(c: &CertificateRecord) -> badge::Facts<'_> {
    badge::Facts {
        code: &c.verification_code,
        number: &c.number,
        kind: c.kind(),
        holder_name: &c.holder_name,
        course_code: &c.course_code,
        course_title: &c.course_title,
        issued_at: c.issued_at,
        expires_on: c.expires_on,
        status_index: c.status_index,
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn credential(state: &BadgeState, address: &str, code: &str, signed: bool) -> Response {
    let now = app::clock::now();
    let found = match throttle_lookup(&state.db, address, now).await {
        Ok(()) => find_by_code(&state.db, code).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(c)) => state.respond(
            &badge::credential(&facts(&c), &state.issuer()),
            signed,
            "no-cache",
        ),
        Ok(None) => error(StatusCode::NOT_FOUND, "not found"),
        Err(e @ AppError::TooManyRequests(_)) => {
            error(StatusCode::TOO_MANY_REQUESTS, &e.to_string())
        }
        Err(e) => {
            tracing::error!(error = %e, "badge: lookup failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

pub async fn badge(
    State(state): State<BadgeState>,
    Extension(ClientAddress(address)): Extension<ClientAddress>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    credential(&state, &address, &code, wants_jwt(&headers)).await
}

pub async fn badge_jwt(
    State(state): State<BadgeState>,
    Extension(ClientAddress(address)): Extension<ClientAddress>,
    Path(code): Path<String>,
) -> Response {
    credential(&state, &address, &code, true).await
}

async fn status_list(state: &BadgeState, signed: bool) -> Response {
    let list = match certificates::revocation_list(&state.db).await {
        Ok(list) => list,
        Err(e) => {
            tracing::error!(error = %e, "status list: read failed");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    let (revoked, given) = list;
    let set: Vec<usize> = revoked
        .iter()
        .filter_map(|&i| usize::try_from(i).ok())
        .collect();
    let bytes = status_list::bitstring(&set, usize::try_from(given).unwrap_or(0));
    let encoded = match status_list::encode(&bytes) {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "status list: compression failed");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    let issuer = state.issuer();
    let credential = status_list::credential(
        &issuer.status_list_url(),
        &issuer.profile(),
        &badge::timestamp(app::clock::now()),
        &encoded,
    );
    // Verifiers may cache it briefly; a revocation shows within a minute.
    state.respond(&credential, signed, "public, max-age=60")
}

pub async fn revocation(State(state): State<BadgeState>, headers: HeaderMap) -> Response {
    status_list(&state, wants_jwt(&headers)).await
}

pub async fn revocation_jwt(State(state): State<BadgeState>) -> Response {
    status_list(&state, true).await
}

pub async fn issuer(State(state): State<BadgeState>) -> Response {
    let mut profile = state.issuer().profile();
    profile["@context"] = json!(badge::CONTEXT);
    (
        [(header::CONTENT_TYPE, "application/ld+json")],
        profile.to_string(),
    )
        .into_response()
}

pub async fn jwks(State(state): State<BadgeState>) -> Response {
    Json(json!({ "keys": [state.key.jwk()] })).into_response()
}

/// The paths served here (all GET, all public); `router::FILE_ROUTES` lists them.
pub const BADGE: &str = "/api/badges/{code}";
pub const BADGE_JWT: &str = "/api/badges/{code}/jwt";
pub const REVOCATION: &str = "/api/status/revocation";
pub const REVOCATION_JWT: &str = "/api/status/revocation/jwt";
pub const ISSUER: &str = "/api/issuer";
pub const JWKS: &str = "/.well-known/jwks.json";

/// The routes above, with their state.
pub fn routes<S: Clone + Send + Sync + 'static>(state: BadgeState) -> axum::Router<S> {
    use axum::routing::get;
    axum::Router::new()
        .route(BADGE, get(badge))
        .route(BADGE_JWT, get(badge_jwt))
        .route(REVOCATION, get(revocation))
        .route(REVOCATION_JWT, get(revocation_jwt))
        .route(ISSUER, get(issuer))
        .route(JWKS, get(jwks))
        .with_state(state)
}

/// The configured key, or an ephemeral one (logged: its signatures die with this process).
pub fn key_or_ephemeral(
    configured: Option<&BadgeKey>,
) -> Result<BadgeKey, crate::badge_key::KeyError> {
    match configured {
        Some(key) => Ok(key.clone()),
        None => {
            let key = BadgeKey::ephemeral()?;
            tracing::warn!(kid = key.kid(), "no CIT_BADGE_SIGNING_KEY: badges are signed with an ephemeral key that is lost at restart");
            Ok(key)
        }
    }
}
