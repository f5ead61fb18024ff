//! Course materials over plain HTTP: `GET /materials/{id}` (a file download or a redirect to
//! a link) and `POST /teach/offerings/{id}/materials/upload` (a multipart form, which works
//! with JavaScript on or off). Who may do what is decided in `app::api::materials::server`,
//! on every request.

use crate::uploads::{
    attachment, downloader, file_routes, forbidden, read_form, redirect_private, refused,
    signed_in, trouble, unreadable,
};
use app::{
    api::materials::server::{self as materials, Opened, Upload},
    auth::AuthSession,
    error::AppError,
    state::AppState,
};
use axum::{
    extract::{Multipart, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Router,
};

/// The paths served here; `router::FILE_ROUTES` lists them.
pub const DOWNLOAD: &str = "/materials/{id}";
pub const UPLOAD: &str = "/teach/offerings/{id}/materials/upload";

/// The routes, ready to merge into the application's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    file_routes(state, (DOWNLOAD, download), (UPLOAD, upload))
}

const MISSING: &str = "We could not find that material.";

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, MISSING).into_response()
}

/// Sends a material to someone allowed to open it. Anyone else signed in gets 404, as for a
/// material that does not exist; the signed-out are sent to sign in.
pub async fn download(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let (id, user) = match downloader(auth, &id, |id| format!("/materials/{id}"), MISSING) {
        Ok(asking) => asking,
        Err(answer) => return answer,
    };
    match materials::open(&state, &user, id).await {
        Ok(Opened::File(file)) => attachment(file),
        Ok(Opened::Link(url)) => redirect_private(&url),
        Err(AppError::NotFound(_)) => not_found(),
        Err(_) => trouble(),
    }
}

/// Adds a file to a class (its staff only), then sends the browser back to the materials
/// page: `?added=file`, or `?refused=<code>` with nothing stored.
pub async fn upload(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let Ok(offering_id) = id.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "We could not find that class.").into_response();
    };
    let page = format!("/teach/offerings/{offering_id}/materials");
    let user = match signed_in(auth, &page) {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    match app::state::may_run_offering(&state.db, &user, offering_id).await {
        Ok(true) => {}
        Ok(false) => return forbidden(),
        Err(_) => return trouble(),
    }
    let mut posted = match read_form(&mut multipart, &["title", "meeting_id"]).await {
        Ok(posted) => posted,
        Err(e) => return unreadable(&page, "add-file", "material upload", e),
    };
    let form = Upload {
        title: posted.text("title"),
        meeting: posted.text("meeting_id"),
        file: std::mem::take(&mut posted.file),
    };
    match materials::add_file(&state, user.id, offering_id, form).await {
        Ok(_) => Redirect::to(&format!("{page}?added=file")).into_response(),
        Err(refusal) => refused(&page, refusal.code(), "add-file"),
    }
}
