//! Admission of the heavy requests of a test day.
//!
//! A class told "begin now" starts its tests in the same second, and submits them together at
//! the deadline. Each start or submit costs tens of statements and a turn at the write lock; a
//! save costs four. Let through a few starts and submits at a time (per core) and the rest wait
//! here, so that the saves of people writing never queue behind a crowd: a start may wait
//! seconds, a save should not wait at all. Only signed-in requests queue (this runs after
//! authentication): an anonymous one is refused by its server function at once, and a flood
//! of them cannot push real starts back.

use app::auth::AuthSession;
use axum::{extract::Request, middleware::Next, response::Response};
use std::sync::{Arc, LazyLock};
use tokio::sync::Semaphore;

/// The server functions that are admitted a few at a time.
pub fn is_heavy(path: &str) -> bool {
    matches!(path, "/api/start_test" | "/api/submit_attempt")
}

fn turns() -> Arc<Semaphore> {
    static TURNS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Arc::new(Semaphore::new(cores * 2))
    });
    TURNS.clone()
}

pub async fn admit(request: Request, next: Next) -> Response {
    let signed_in = request
        .extensions()
        .get::<AuthSession>()
        .is_some_and(|auth| auth.user.is_some());
    if !signed_in || !is_heavy(request.uri().path()) {
        return next.run(request).await;
    }
    // The semaphore is never closed, so acquiring cannot fail; if it did, go on unqueued.
    let _turn = turns().acquire_owned().await.ok();
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_starts_and_submits_wait() {
        assert!(is_heavy("/api/start_test"));
        assert!(is_heavy("/api/submit_attempt"));
        assert!(!is_heavy("/api/save_answer"));
        assert!(!is_heavy("/attempts/3"));
    }
}
