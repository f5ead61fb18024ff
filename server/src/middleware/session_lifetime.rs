//! The absolute session lifetime: however active, a session ends this long after sign-in.
//! (The idle timeout is the session cookie's own expiry.)

use app::{auth::AuthSession, state::SIGNED_IN_AT};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use std::time::Duration;

/// Whether a session that began at `signed_in_at` (Unix seconds) has outlived `max` at `now`.
/// A session without the stamp is treated as expired: every sign-in writes it.
pub fn expired(signed_in_at: Option<i64>, now: i64, max: Duration) -> bool {
    match signed_in_at {
        None => true,
        Some(at) => now.saturating_sub(at) >= max.as_secs() as i64,
    }
}

pub async fn enforce(State(max): State<Duration>, mut request: Request, next: Next) -> Response {
    if let Some(mut auth) = request.extensions().get::<AuthSession>().cloned() {
        if auth.user.is_some() {
            let at: Option<i64> = auth.session.get(SIGNED_IN_AT).await.ok().flatten();
            if expired(at, app::clock::now().timestamp(), max) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_at_the_maximum() {
        let max = Duration::from_secs(3600);
        assert!(!expired(Some(1000), 1000 + 3599, max));
        assert!(expired(Some(1000), 1000 + 3600, max));
        assert!(expired(None, 0, max));
    }
}
