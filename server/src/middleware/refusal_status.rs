//! Honest status codes for server functions.
//!
//! server_fn answers every `Err` of a server function with 500 (its error response), so a
//! refused form (a bad field, a missing permission, a conflict) looked like a fault: monitoring
//! could not tell them apart, and the trace layer logged each at ERROR. This layer gives such a
//! response the status its [`AppError`] names ([`AppError::status`]: 400, 401, 403, 404, 409,
//! 429; 500 only for `Internal`) and leaves the body, the JSON-encoded error, as it is, so the
//! browser's form still puts the message next to its field. A refusal is logged at INFO.
//!
//! Forms posted without JavaScript are not touched: server_fn and leptos_axum answer them with
//! a redirect back (302, the error in the URL), which is what those browsers need.

use app::error::AppError;
use axum::{
    body::{Body, HttpBody},
    extract::Request,
    http::StatusCode,
    middleware::Next,
    response::Response,
};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Error bodies are a few kilobytes (a GIFT refusal lists at most twenty lines); anything
/// larger is passed on as it came.
const MAX_ERROR_BODY: u64 = 256 * 1024;

pub async fn set(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
        || response
            .body()
            .size_hint()
            .upper()
            .is_none_or(|n| n > MAX_ERROR_BODY)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The size was checked above, so the limit is not what fails here; a body that cannot be
    // read is a fault of ours and stays a 500.
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY as usize).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "server function error body unreadable");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if let Some(error) = decode(&bytes) {
        let status = status_of(&error);
        if status.is_client_error() {
            // Kind and field only: messages can repeat what the person typed.
            tracing::info!(
                status = status.as_u16(),
                kind = kind(&error),
                field = field(&error),
                "request refused"
            );
        }
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The error a server function's error body holds, if it is one of ours.
fn decode(body: &[u8]) -> Option<AppError> {
    serde_json::from_slice(body).ok()
}

/// The status a server function's error answers with.
pub fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn kind(error: &AppError) -> &'static str {
    match error {
        AppError::Invalid { .. } => "invalid",
        AppError::Unauthenticated => "unauthenticated",
        AppError::Forbidden => "forbidden",
        AppError::NotFound(_) => "not_found",
        AppError::Conflict(_) => "conflict",
        AppError::Finished { .. } => "finished",
        AppError::TooManyRequests(_) => "too_many_requests",
        AppError::Request(_) => "request",
        AppError::Unreachable => "unreachable",
        AppError::Internal => "internal",
    }
}

fn field(error: &AppError) -> &str {
    match error {
        AppError::Invalid { field, .. } => field,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{http::header, Router};
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;
    use tracing_subscriber::layer::SubscriberExt;

    fn encoded(error: &AppError) -> String {
        serde_json::to_string(error).unwrap_or_default()
    }

    #[test]
    fn refusals_get_their_own_status_and_faults_stay_500() {
        let cases = [
            (AppError::invalid("gift", "Line 3: no answer"), 400),
            (AppError::Request("unreadable".into()), 400),
            (AppError::Unauthenticated, 401),
            (AppError::Forbidden, 403),
            (AppError::NotFound("gone".into()), 404),
            (AppError::Conflict("taken".into()), 409),
            (AppError::TooManyRequests("wait".into()), 429),
            (AppError::Internal, 500),
        ];
        for (error, status) in cases {
            let back = decode(encoded(&error).as_bytes());
            assert_eq!(back.as_ref(), Some(&error));
            assert_eq!(status_of(&error).as_u16(), status, "{error:?}");
        }
        assert_eq!(decode(b"Internal Server Error"), None);
    }

    /// A server function's error response, as server_fn builds it.
    fn failing(error: AppError) -> Router {
        let body = encoded(&error);
        // A fallback, not a route: the authorization matrix counts every route of the crate.
        Router::new()
            .fallback(move || {
                let body = body.clone();
                async move {
                    Response::builder()
                        .status(StatusCode::INTERNAL_SERVER_ERROR)
                        .header(SERVER_FN_ERROR_HEADER, "/api/f")
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(body))
                        .unwrap_or_default()
                }
            })
            .layer(axum::middleware::from_fn(set))
    }

    async fn call(router: Router) -> (StatusCode, String) {
        let request = Request::post("/api/f")
            .body(Body::empty())
            .unwrap_or_default();
        let response = router.oneshot(request).await.unwrap_or_default();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Every event's level and message, as a log would show them.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<(tracing::Level, String)>>>);

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Captured {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            let mut text = String::new();
            let mut visit = |f: &tracing::field::Field, v: &dyn std::fmt::Debug| {
                text.push_str(&format!("{}={v:?} ", f.name()));
            };
            event.record(&mut visit);
            if let Ok(mut lines) = self.0.lock() {
                lines.push((*event.metadata().level(), text));
            }
        }
    }

    #[test]
    fn a_refusal_keeps_its_body_and_is_logged_below_error() {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::registry().with(captured.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let _guard = tracing::subscriber::set_default(subscriber);
        let refusal = AppError::invalid("payment_method-7", "Say how it was paid.");
        let (status, body) = runtime.block_on(call(failing(refusal.clone())));
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body, encoded(&refusal));
        let (status, body) = runtime.block_on(call(failing(AppError::Internal)));
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, encoded(&AppError::Internal));
        let lines = captured.0.lock().map(|l| l.clone()).unwrap_or_default();
        assert!(
            lines
                .iter()
                .all(|(level, _)| *level > tracing::Level::ERROR),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(level, text)| *level == tracing::Level::INFO
                    && text.contains("field=\"payment_method-7\"")
                    && !text.contains("Say how")),
            "{lines:?}"
        );
    }

    #[test]
    fn other_responses_pass_untouched() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        // A 500 without server_fn's header (a page, a file route) is left alone.
        let plain = Router::new()
            .fallback(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "\"Forbidden\"") })
            .layer(axum::middleware::from_fn(set));
        let (status, _) = runtime.block_on(call(plain));
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
