//! The resource area over plain HTTP: `GET /resources/{id}/open` (a file download, or a
//! redirect to a link or page) and `POST /admin/resources/upload` (a multipart form, which
//! works with JavaScript on or off). The gate is `app::api::resources::server::open`, asked
//! on every request: a guessed address gets 403 and no bytes.

use crate::uploads::{
    attachment, downloader, file_routes, read_form, redirect_private, refused, signed_in_admin,
    trouble, unreadable,
};
use app::{
    api::resources::server::{self as resources, Opened, Upload},
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

const ADMIN_PAGE: &str = "/admin/resources";

/// The paths served here; `router::FILE_ROUTES` lists them.
pub const OPEN: &str = "/resources/{id}/open";
pub const UPLOAD: &str = "/admin/resources/upload";

/// The routes, ready to merge into the application's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    file_routes(state, (OPEN, open), (UPLOAD, upload))
}

/// Sends a resource to someone the gate lets through; anyone else signed in gets 403 with
/// a pointer to the library page, which explains why; the signed-out are sent to sign in.
pub async fn open(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    const MISSING: &str = "We could not find that resource.";
    let not_found = || (StatusCode::NOT_FOUND, MISSING).into_response();
    let (id, user) = match downloader(auth, &id, |id| format!("/resources/{id}/open"), MISSING) {
        Ok(asking) => asking,
        Err(answer) => return answer,
    };
    match resources::open(&state, &user, id, app::clock::now()).await {
        Ok(Opened::File(file)) => attachment(file),
        Ok(Opened::Link(url)) => redirect_private(&url),
        Ok(Opened::Page(id)) => Redirect::to(&format!("/resources/{id}")).into_response(),
        Err(AppError::Forbidden) => (
            StatusCode::FORBIDDEN,
            "The resource library is open to certified coordinators only. See /resources for how to get (or renew) your certification.",
        )
            .into_response(),
        Err(AppError::NotFound(_)) => not_found(),
        Err(_) => trouble(),
    }
}

/// Publishes a file (administrators only), then sends the browser back to the
/// administrators' page: `?added=file`, or `?refused=<code>` with nothing stored.
pub async fn upload(
    State(state): State<AppState>,
    auth: AuthSession,
    mut multipart: Multipart,
) -> Response {
    let user = match signed_in_admin(auth, ADMIN_PAGE) {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    let mut posted = match read_form(&mut multipart, &["title", "category", "summary"]).await {
        Ok(posted) => posted,
        Err(e) => return unreadable(ADMIN_PAGE, "add-file", "resource upload", e),
    };
    let form = Upload {
        title: posted.text("title"),
        category: posted.text("category"),
        summary: posted.text("summary"),
        file: std::mem::take(&mut posted.file),
    };
    match resources::add_file(&state, user.id, form).await {
        Ok(_) => Redirect::to(&format!("{ADMIN_PAGE}?added=file")).into_response(),
        Err(refusal) => refused(ADMIN_PAGE, refusal.code(), "add-file"),
    }
}
