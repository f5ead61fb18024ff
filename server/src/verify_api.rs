//! `/api/verify/{code}`: the public verification as JSON, for employers' and courts' systems.
//! The same facts as the page (never the email), the same rate limit, 404 for no match.

use app::{
    api::certificates::server::{find_by_code, throttle_lookup},
    db::Db,
    domain::certificate::issue_date,
    error::AppError,
    state::ClientAddress,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde_json::json;

pub async fn verify(
    State(db): State<Db>,
    Extension(ClientAddress(address)): Extension<ClientAddress>,
    Path(code): Path<String>,
) -> Response {
    let now = app::clock::now();
    let found = match throttle_lookup(&db, &address, now).await {
        Ok(()) => find_by_code(&db, &code).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(c)) => {
            let status = c.status_on(issue_date(now));
            Json(json!({
                "number": c.number,
                "holder_name": c.holder_name,
                "credential": c.kind().credential(),
                "course": c.course_title,
                "issued_on": c.issued_on,
                "expires_on": c.expires_on,
                "status": status.as_str(),
                "revoked_on": c.revoked_at.map(issue_date),
            }))
            .into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, Json(json!({ "error": "not found" }))).into_response(),
        Err(e @ AppError::TooManyRequests(_)) => (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({ "error": e.to_string() })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "verification: lookup failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": "internal error" })),
            )
                .into_response()
        }
    }
}
