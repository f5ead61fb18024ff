//! CE done elsewhere over plain HTTP: `POST /admin/ce/record` (a multipart form with the
//! evidence file, which works with JavaScript on or off; administrators only) and
//! `GET /ce/{id}/evidence` (the file, for its holder and staff only, asked on every request:
//! anyone else gets 404, as for a record that does not exist).

use crate::uploads::{
    attachment, downloader, file_routes, read_form, refused, signed_in_admin, trouble, unreadable,
};
use app::{
    api::ce_records::server as ce, auth::AuthSession, domain::ce_record::CeForm, error::AppError,
    state::AppState,
};
use axum::{
    extract::{Multipart, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Router,
};

const ADMIN_PAGE: &str = "/admin/ce";
const ANCHOR: &str = "add-ce";

/// The paths served here; `router::FILE_ROUTES` lists them.
pub const EVIDENCE: &str = "/ce/{id}/evidence";
pub const RECORD: &str = "/admin/ce/record";

/// The routes, ready to merge into the application's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    file_routes(state, (EVIDENCE, evidence), (RECORD, record))
}

const MISSING: &str = "We could not find that evidence.";

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, MISSING).into_response()
}

pub async fn evidence(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let (id, user) = match downloader(auth, &id, |id| format!("/ce/{id}/evidence"), MISSING) {
        Ok(asking) => asking,
        Err(answer) => return answer,
    };
    match ce::evidence(&state, &user, id).await {
        Ok(file) => attachment(file),
        Err(AppError::NotFound(_)) => not_found(),
        Err(_) => trouble(),
    }
}

/// Records CE done elsewhere, then sends the browser back to the administrators' page:
/// `?added=1`, or `?refused=<code>` with nothing stored.
pub async fn record(
    State(state): State<AppState>,
    auth: AuthSession,
    mut multipart: Multipart,
) -> Response {
    let user = match signed_in_admin(auth, ADMIN_PAGE) {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let names = [
        "email",
        "title",
        "hours",
        "completed_on",
        "evidence",
        "approved",
    ];
    let mut posted = match read_form(&mut multipart, &names).await {
        Ok(posted) => posted,
        Err(e) => return unreadable(ADMIN_PAGE, ANCHOR, "CE record", e),
    };
    let form = CeForm {
        email: posted.text("email"),
        title: posted.text("title"),
        hours: posted.text("hours"),
        completed_on: posted.text("completed_on"),
        evidence: posted.text("evidence"),
        approved: posted.text("approved"),
    };
    match ce::add(&state, user.id, &form, &posted.file, app::clock::now()).await {
        Ok(ce::Recorded::Attached(_)) => {
            Redirect::to(&format!("{ADMIN_PAGE}?added=1")).into_response()
        }
        Ok(ce::Recorded::Pending(_)) => {
            Redirect::to(&format!("{ADMIN_PAGE}?added=pending")).into_response()
        }
        Err(refusal) => refused(ADMIN_PAGE, refusal.code(), ANCHOR),
    }
}
