//! The absolute session lifetime: however active, a session ends this long after sign-in,
//! except while its person has a test in progress (`domain::session_lifetime`). (The idle
//! timeout is the session cookie's own expiry.)

use app::{auth::AuthSession, db::Db, domain::session_lifetime, state::SIGNED_IN_AT};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What the check needs: the lifetime and the database (for tests in progress).
#[derive(Clone)]
pub struct Lifetime {
    pub max: Duration,
    pub db: Db,
}

pub async fn enforce(
    State(lifetime): State<Lifetime>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(mut auth) = request.extensions().get::<AuthSession>().cloned() {
        if let Some(user_id) = auth.user.as_ref().map(|u| u.id) {
            let at: Option<i64> = auth.session.get(SIGNED_IN_AT).await.ok().flatten();
            let signed_in_at = at.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0));
            let now = app::clock::now();
            let max = chrono::Duration::from_std(lifetime.max).unwrap_or(chrono::Duration::MAX);
            // The database is asked only for a session past its ordinary end.
            if session_lifetime::ended(signed_in_at, now, max, None)
                && past_any_test(&lifetime.db, user_id, signed_in_at, now, max).await
            {
                if let Err(e) = auth.logout().await {
                    tracing::error!(error = %e, "could not end an expired session");
                }
                // Later extractors must see the signed-out session.
                request.extensions_mut().insert(auth);
            }
        }
    }
    next.run(request).await
}

/// Whether the session has ended even counting the person's test in progress. When the
/// database cannot say, the session is kept: ending it could lose a test's saves, and the
/// idle timeout still applies.
async fn past_any_test(
    db: &Db,
    user_id: i64,
    signed_in_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max: chrono::Duration,
) -> bool {
    match app::db::attempts::open_deadline(db, user_id).await {
        Ok(deadline) => session_lifetime::ended(signed_in_at, now, max, deadline),
        Err(e) => {
            tracing::error!(error = %e, "could not read tests in progress; session kept");
            false
        }
    }
}
