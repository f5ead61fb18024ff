//! Refuses state-changing requests that another site started (CSRF). Browsers say where a
//! request came from in `Sec-Fetch-Site` (all current ones) or `Origin`; SameSite=Lax cookies
//! are the second line.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

/// Whether a request with these headers may change state. `public_origin` is our own
/// scheme://host[:port]. Requests with neither header come from non-browser clients, which
/// carry no ambient cookies of ours, and are allowed.
pub fn allowed(method: &Method, headers: &HeaderMap, public_origin: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a navigation the person started (typed URL, bookmark).
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin.eq_ignore_ascii_case(public_origin) {
            return true;
        }
        // Behind a proxy the public origin is configured; directly, compare with Host.
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or_default();
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    true
}

pub async fn refuse_cross_site(
    State(public_origin): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    if allowed(request.method(), request.headers(), &public_origin) {
        next.run(request).await
    } else {
        tracing::warn!(path = request.uri().path(), "cross-site request refused");
        (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused. Nothing was changed.",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const ME: &str = "http://127.0.0.1:3000";

    #[test]
    fn reads_are_always_allowed() {
        assert!(allowed(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")]),
            ME
        ));
    }

    #[test]
    fn sec_fetch_site_decides_when_present() {
        assert!(allowed(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-origin")]),
            ME
        ));
        assert!(allowed(
            &Method::POST,
            &headers(&[("sec-fetch-site", "none")]),
            ME
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[("sec-fetch-site", "cross-site")]),
            ME
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[("sec-fetch-site", "same-site")]),
            ME
        ));
        // Sec-Fetch-Site wins over a forged-looking Origin.
        assert!(!allowed(
            &Method::POST,
            &headers(&[("sec-fetch-site", "cross-site"), ("origin", ME)]),
            ME
        ));
    }

    #[test]
    fn origin_must_be_ours() {
        assert!(allowed(
            &Method::POST,
            &headers(&[("origin", "http://127.0.0.1:3000")]),
            ME
        ));
        assert!(allowed(
            &Method::POST,
            &headers(&[
                ("origin", "https://academy.example"),
                ("host", "academy.example")
            ]),
            ME
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            ME
        ));
        assert!(!allowed(
            &Method::DELETE,
            &headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]),
            ME
        ));
    }

    #[test]
    fn non_browser_clients_pass() {
        assert!(allowed(&Method::POST, &HeaderMap::new(), ME));
    }
}
