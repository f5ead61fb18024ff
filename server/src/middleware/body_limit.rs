//! A size limit on every request body, with an answer a person can read.
//!
//! Server functions read their whole body before deciding anything, and nothing else bounded
//! it. A form is a few kilobytes (a pasted GIFT bank a few hundred); uploads are multipart,
//! with their own limit per file and per text field inside.

use axum::{
    body::Body,
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use http_body_util::BodyExt;

/// A URL-encoded form or JSON body: a thousand-question GIFT bank pasted whole fits.
pub const FORM_LIMIT: usize = 4 * 1024 * 1024;

/// The largest body for a request of this content type.
pub fn limit_for(content_type: Option<&str>) -> usize {
    match content_type {
        Some(t) if t.trim_start().starts_with("multipart/form-data") => crate::uploads::BODY_LIMIT,
        _ => FORM_LIMIT,
    }
}

pub async fn limit(request: Request, next: Next) -> Response {
    let limit = limit_for(
        request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    );
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(n) = declared.filter(|n| *n > limit) {
        tracing::info!(limit, "request body over the limit refused");
        // A browser that is cut off mid-upload shows a reset connection, not the answer:
        // read a body up to four times the limit to its end (throwing it away) first. Beyond
        // that, the connection is cut.
        if n <= 4 * limit {
            let mut body = request.into_body();
            while let Some(Ok(_)) = body.frame().await {}
        }
        return too_large(limit);
    }
    // A body sent without a length is cut at the limit as it streams in.
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

fn too_large(limit: usize) -> Response {
    let megabytes = limit / (1024 * 1024);
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too large to send</title></head>\
             <body><main><h1>Too large to send</h1><p>What you sent is larger than {megabytes} MB, \
             the most this site accepts in one form. Nothing was saved. Go back, make it smaller \
             (split a long text or file in two), and send it again.</p></main></body></html>"
        )),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_get_the_upload_limit_and_everything_else_the_form_limit() {
        assert_eq!(
            limit_for(Some("multipart/form-data; boundary=x")),
            crate::uploads::BODY_LIMIT
        );
        assert_eq!(
            limit_for(Some("application/x-www-form-urlencoded")),
            FORM_LIMIT
        );
        assert_eq!(limit_for(None), FORM_LIMIT);
    }
}
