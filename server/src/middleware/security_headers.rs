//! Headers every response carries. Pages set their own Content-Security-Policy with the
//! request's script nonce; everything else gets a strict default.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// For responses that are not pages (files, server-function results, errors).
const DEFAULT_CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// `State` is whether the site is served over https (then HSTS is sent).
pub async fn add(State(https): State<bool>, request: Request, next: Next) -> Response {
    let signed_in = carries_session(request.headers().get_all(header::COOKIE));
    let mut response = next.run(request).await;
    let signs_in = carries_session(response.headers().get_all(header::SET_COOKIE));
    let headers = response.headers_mut();
    // A signed-in answer (a result page with its answer key, a dashboard) must not be kept
    // by the browser's history or a proxy for the next person at a shared computer. Routes
    // that chose their own policy (public static files, badges) keep it.
    if signed_in || signs_in {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Same-origin keeps the Referer that no-JavaScript forms need to come back to their page,
    // and sends nothing to other sites.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// Whether these `Cookie` or `Set-Cookie` values carry the session cookie.
fn carries_session(values: header::GetAll<'_, HeaderValue>) -> bool {
    values.iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(';').any(|c| {
                c.trim_start()
                    .strip_prefix(crate::router::SESSION_COOKIE)
                    .is_some_and(|rest| rest.starts_with('='))
            })
        })
    })
}
