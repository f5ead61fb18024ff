//! Course materials over plain HTTP: `GET /materials/{id}` (a file download or a redirect to
//! a link) and `POST /teach/offerings/{id}/materials/upload` (a multipart form, which works
//! with JavaScript on or off). Who may do what is decided in `app::api::materials::server`,
//! on every request.

use app::{
    api::materials::server::{self as materials, Opened, Upload},
    auth::AuthSession,
    error::AppError,
    state::AppState,
    storage::accept::{content_disposition, MAX_FILE_BYTES},
};
use axum::{
    extract::{multipart::Field, DefaultBodyLimit, Multipart, Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};

/// The upload's whole body may be this large. A file over the 20 MB limit is still read to
/// the end (and thrown away as it arrives), so that the person gets the form back with the
/// message rather than a broken connection; beyond this the connection is cut.
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The form's text fields are short; longer values are cut here (and then refused).
const TEXT_LIMIT: usize = 4096;

/// The paths served here; `router::FILE_ROUTES` lists them.
pub const DOWNLOAD: &str = "/materials/{id}";
pub const UPLOAD: &str = "/teach/offerings/{id}/materials/upload";

/// The routes, ready to merge into the application's router.
pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route(DOWNLOAD, get(download))
        .route(
            UPLOAD,
            post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .with_state(state)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "We could not find that material.").into_response()
}

/// Our fault (logged where it happened): the plain apology, 500.
pub(crate) fn trouble() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Internal.to_string(),
    )
        .into_response()
}

/// Sends a material to someone allowed to open it. Anyone else signed in gets 404, as for a
/// material that does not exist; the signed-out are sent to sign in.
pub async fn download(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to(&format!("/signin?next=/materials/{id}")).into_response();
    };
    match materials::open(&state, &user, id).await {
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
        Err(AppError::NotFound(_)) => not_found(),
        Err(_) => trouble(),
    }
}

/// A stored file sent as a download, with our content type (never the uploader's), not to
/// be sniffed or kept in shared caches. Resources are sent the same way.
pub(crate) fn attachment(bytes: Vec<u8>, filename: &str, content_type: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, content_disposition(filename)),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
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
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to(&format!("/signin?next={page}")).into_response();
    };
    match app::state::may_run_offering(&state.db, &user, offering_id).await {
        Ok(true) => {}
        Ok(false) => {
            return (StatusCode::FORBIDDEN, AppError::Forbidden.to_string()).into_response()
        }
        Err(_) => return trouble(),
    }
    let mut form = Upload::default();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if let Err(e) = read_field(field, &mut form).await {
                    return unreadable(&page, e);
                }
            }
            Ok(None) => break,
            Err(e) => return unreadable(&page, e),
        }
    }
    match materials::add_file(&state, user.id, offering_id, form).await {
        Ok(_) => Redirect::to(&format!("{page}?added=file")).into_response(),
        Err(refusal) => {
            Redirect::to(&format!("{page}?refused={}#add-file", refusal.code())).into_response()
        }
    }
}

/// Reads one form field into `form`; the file's bytes only up to the limit.
async fn read_field(
    mut field: Field<'_>,
    form: &mut Upload,
) -> Result<(), axum::extract::multipart::MultipartError> {
    match field.name() {
        Some("title") => form.title = read_text(field).await?,
        Some("meeting_id") => form.meeting = read_text(field).await?,
        Some("file") => {
            (form.filename, form.bytes, form.too_large) = read_file(field).await?;
        }
        _ => while field.chunk().await?.is_some() {},
    }
    Ok(())
}

/// An uploaded file (of this or another upload form): its name, its bytes up to
/// [`MAX_FILE_BYTES`], and whether it was larger (its bytes are then dropped as they arrive).
pub(crate) async fn read_file(
    mut field: Field<'_>,
) -> Result<(String, Vec<u8>, bool), axum::extract::multipart::MultipartError> {
    let filename = field.file_name().unwrap_or_default().to_owned();
    let (mut bytes, mut too_large) = (Vec::new(), false);
    while let Some(chunk) = field.chunk().await? {
        if too_large || bytes.len() + chunk.len() > MAX_FILE_BYTES {
            too_large = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((filename, bytes, too_large))
}

/// A text field (of this or another upload form), at most [`TEXT_LIMIT`] bytes of it.
pub(crate) async fn read_text(
    mut field: Field<'_>,
) -> Result<String, axum::extract::multipart::MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = TEXT_LIMIT.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The body could not be read: over the body limit (the file is far too large), or broken.
fn unreadable(page: &str, e: axum::extract::multipart::MultipartError) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Redirect::to(&format!("{page}?refused=too_large#add-file")).into_response();
    }
    tracing::info!(error = %e, "material upload unreadable");
    (
        StatusCode::BAD_REQUEST,
        "The upload could not be read. Please try again.",
    )
        .into_response()
}
