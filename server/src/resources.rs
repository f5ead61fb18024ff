//! The resource area over plain HTTP: `GET /resources/{id}/open` (a file download, or a
//! redirect to a link or page) and `POST /admin/resources/upload` (a multipart form, which
//! works with JavaScript on or off). The gate is `app::api::resources::server::open`, asked
//! on every request: a guessed address gets 403 and no bytes.

use crate::materials::{attachment, trouble};
use app::{
    api::resources::server::{self as resources, Opened, Upload},
    auth::AuthSession,
    domain::role::Role,
    error::AppError,
    state::AppState,
};
use axum::{
    extract::{multipart::Field, DefaultBodyLimit, Multipart, Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};

/// As for course materials: a file over the limit is read to the end and thrown away, so the
/// administrator gets the form back with the message; beyond this the connection is cut.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

const ADMIN_PAGE: &str = "/admin/resources";

/// The paths served here; `router::FILE_ROUTES` lists them.
pub const OPEN: &str = "/resources/{id}/open";
pub const UPLOAD: &str = "/admin/resources/upload";

/// The routes, ready to merge into the application's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route(OPEN, get(open))
        .route(
            UPLOAD,
            post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .with_state(state)
}

/// Sends a resource to someone the gate lets through; anyone else signed in gets 403 with
/// a pointer to the library page, which explains why; the signed-out are sent to sign in.
pub async fn open(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "We could not find that resource.").into_response();
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to(&format!("/signin?next=/resources/{id}/open")).into_response();
    };
    match resources::open(&state, &user, id, chrono::Utc::now()).await {
        Ok(Opened::File {
            bytes,
            filename,
            content_type,
        }) => attachment(bytes, &filename, content_type),
        Ok(Opened::Link(url)) => (
            [(header::CACHE_CONTROL, "private, no-store")],
            Redirect::to(&url),
        )
            .into_response(),
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
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to(&format!("/signin?next={ADMIN_PAGE}")).into_response();
    };
    if !user.role.allows(Role::Admin) {
        return (StatusCode::FORBIDDEN, AppError::Forbidden.to_string()).into_response();
    }
    let mut form = Upload::default();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if let Err(e) = read_field(field, &mut form).await {
                    return unreadable(e);
                }
            }
            Ok(None) => break,
            Err(e) => return unreadable(e),
        }
    }
    match resources::add_file(&state, user.id, form).await {
        Ok(_) => Redirect::to(&format!("{ADMIN_PAGE}?added=file")).into_response(),
        Err(refusal) => Redirect::to(&format!("{ADMIN_PAGE}?refused={}#add-file", refusal.code()))
            .into_response(),
    }
}

/// Reads one form field into `form`; the file's bytes only up to the limit.
async fn read_field(
    mut field: Field<'_>,
    form: &mut Upload,
) -> Result<(), axum::extract::multipart::MultipartError> {
    use crate::materials::{read_file, read_text};
    match field.name() {
        Some("title") => form.title = read_text(field).await?,
        Some("category") => form.category = read_text(field).await?,
        Some("summary") => form.summary = read_text(field).await?,
        Some("file") => {
            (form.filename, form.bytes, form.too_large) = read_file(field).await?;
        }
        _ => while field.chunk().await?.is_some() {},
    }
    Ok(())
}

/// The body could not be read: over the body limit (the file is far too large), or broken.
fn unreadable(e: axum::extract::multipart::MultipartError) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Redirect::to(&format!("{ADMIN_PAGE}?refused=too_large#add-file")).into_response();
    }
    tracing::info!(error = %e, "resource upload unreadable");
    (
        StatusCode::BAD_REQUEST,
        "The upload could not be read. Please try again.",
    )
        .into_response()
}
