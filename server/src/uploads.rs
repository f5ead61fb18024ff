//! What the file routes share (course materials, library resources, the evidence of CE done
//! elsewhere): reading a multipart upload form, answering when it cannot be read, and sending
//! a stored file as a download. Who may upload or download is each route's to check first.

use app::{
    auth::AuthSession,
    domain::role::Role,
    error::AppError,
    model::CurrentUser,
    state::AppState,
    storage::{
        accept::{content_disposition, MAX_FILE_BYTES},
        keep::{Download, UploadedFile},
    },
};
use axum::{
    extract::{
        multipart::{Field, MultipartError},
        DefaultBodyLimit, Multipart,
    },
    handler::Handler,
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use std::collections::HashMap;

/// The upload's whole body may be this large. A file over the 20 MB limit is still read to
/// the end (and thrown away as it arrives), so that the person gets the form back with the
/// message rather than a broken connection; beyond this the connection is cut.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The form's text fields are short; longer values are cut here (and then refused).
const TEXT_LIMIT: usize = 4096;

/// A file route's pair: `GET download` and `POST upload` (multipart, up to [`BODY_LIMIT`]),
/// ready to merge into the application's router.
pub fn file_routes<S, D, DT, U, UT>(
    state: AppState,
    (download_path, download): (&str, D),
    (upload_path, upload): (&str, U),
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    D: Handler<DT, AppState>,
    U: Handler<UT, AppState>,
    DT: 'static,
    UT: 'static,
{
    Router::new()
        .route(download_path, get(download))
        .route(
            upload_path,
            post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .with_state(state)
}

// These return the response to send instead as the error, as axum handlers do; it is built
// once per refused request, so its size (clippy's `result_large_err`) costs nothing that
// boxing would save.

/// The signed-in person, or the answer for the signed-out: sign in, then back to `next`.
#[allow(clippy::result_large_err)]
pub fn signed_in(auth: AuthSession, next: &str) -> Result<CurrentUser, Response> {
    auth.user
        .map(|u| u.current())
        .ok_or_else(|| Redirect::to(&format!("/signin?next={next}")).into_response())
}

/// A download's record id (from its path) and the signed-in person asking, or the answer to
/// send instead: 404 (`missing`) for an id that is not a number, sign-in (back to
/// `path(id)`) for the signed out.
#[allow(clippy::result_large_err)]
pub fn downloader(
    auth: AuthSession,
    id: &str,
    path: impl FnOnce(i64) -> String,
    missing: &'static str,
) -> Result<(i64, CurrentUser), Response> {
    let id = id
        .parse::<i64>()
        .map_err(|_| (StatusCode::NOT_FOUND, missing).into_response())?;
    Ok((id, signed_in(auth, &path(id))?))
}

/// The signed-in administrator, or the answer for anyone else (sign in first, or 403).
#[allow(clippy::result_large_err)]
pub fn signed_in_admin(auth: AuthSession, next: &str) -> Result<CurrentUser, Response> {
    let user = signed_in(auth, next)?;
    if user.role.allows(Role::Admin) {
        Ok(user)
    } else {
        Err(forbidden())
    }
}

/// An upload form as posted: its text fields by name, and its `file` field.
#[derive(Debug, Default)]
pub struct PostedForm {
    texts: HashMap<String, String>,
    pub file: UploadedFile,
}

impl PostedForm {
    /// The text field `name` ("" when it was not sent).
    pub fn text(&mut self, name: &str) -> String {
        self.texts.remove(name).unwrap_or_default()
    }
}

/// Reads the whole form: the text fields named in `names` (others are skipped) and the file.
pub async fn read_form(
    multipart: &mut Multipart,
    names: &[&str],
) -> Result<PostedForm, MultipartError> {
    let mut form = PostedForm::default();
    while let Some(mut field) = multipart.next_field().await? {
        match field.name() {
            Some("file") => form.file = read_file(field).await?,
            Some(name) if names.contains(&name) => {
                let name = name.to_owned();
                let value = read_text(field).await?;
                form.texts.insert(name, value);
            }
            _ => while field.chunk().await?.is_some() {},
        }
    }
    Ok(form)
}

/// An uploaded file: its name, its bytes up to [`MAX_FILE_BYTES`], and whether it was larger
/// (its bytes are then dropped as they arrive).
async fn read_file(mut field: Field<'_>) -> Result<UploadedFile, MultipartError> {
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
    Ok(UploadedFile {
        filename,
        bytes,
        too_large,
    })
}

/// A text field, at most [`TEXT_LIMIT`] bytes of it.
async fn read_text(mut field: Field<'_>) -> Result<String, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = TEXT_LIMIT.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Back to the form's `page` with a refusal's code, at the form (`anchor`), nothing stored.
pub fn refused(page: &str, code: &str, anchor: &str) -> Response {
    Redirect::to(&format!("{page}?refused={code}#{anchor}")).into_response()
}

/// The body could not be read: over the body limit (the file is far too large: back to the
/// form with the message), or broken. `what` names the form in logs.
pub fn unreadable(page: &str, anchor: &str, what: &str, e: MultipartError) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return refused(page, "too_large", anchor);
    }
    tracing::info!(error = %e, what, "upload unreadable");
    (
        StatusCode::BAD_REQUEST,
        "The upload could not be read. Please try again.",
    )
        .into_response()
}

/// Our fault (logged where it happened): the plain apology, 500.
pub fn trouble() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Internal.to_string(),
    )
        .into_response()
}

/// The signed-in person may not do this: 403 with the plain message.
pub fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, AppError::Forbidden.to_string()).into_response()
}

/// A stored file sent as a download, with our content type (never the uploader's), not to
/// be sniffed or kept in shared caches.
pub fn attachment(file: Download) -> Response {
    (
        [
            (header::CONTENT_TYPE, file.content_type),
            (
                header::CONTENT_DISPOSITION,
                content_disposition(&file.filename),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        file.bytes,
    )
        .into_response()
}

/// A link sent on, not kept in shared caches.
pub fn redirect_private(url: &str) -> Response {
    (
        [(header::CACHE_CONTROL, "private, no-store")],
        Redirect::to(url),
    )
        .into_response()
}
