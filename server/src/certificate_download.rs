//! `/certificates/{id}/certificate.pdf`: the certificate as PDF, for its holder, administrators
//! and the instructors of the holder's classes. Anyone else gets 404, so that a certificate's existence is not given away by its id. A
//! revoked certificate is no longer given to its holder: a fresh copy would look valid.

use crate::certificate_pdf::{render, CertificatePage};
use app::{
    auth::AuthSession,
    db::{certificates, certificates::CertificateRecord, Db},
    domain::{certificate::display_code, teaching_scope::FileReach},
    state::file_reach,
};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use std::sync::Arc;

/// What the download needs: the database and the public address the QR code points at.
#[derive(Clone)]
pub struct DownloadState {
    pub db: Db,
    pub public_url: Arc<str>,
}

/// The public verification page of a code.
pub fn verify_url(public_url: &str, code: &str) -> String {
    format!("{}/verify/{code}", public_url.trim_end_matches('/'))
}

/// The PDF of `c`, off the async workers (rendering and compressing take a few milliseconds).
pub async fn pdf_of(c: &CertificateRecord, public_url: &str) -> Result<Vec<u8>, String> {
    let c = c.clone();
    let url = verify_url(public_url, &c.verification_code);
    tokio::task::spawn_blocking(move || {
        let code = display_code(&c.verification_code);
        render(&CertificatePage {
            holder_name: &c.holder_name,
            credential: c.kind().credential(),
            course_title: &c.course_title,
            number: &c.number,
            code: &code,
            issued_on: c.issued_on,
            expires_on: c.expires_on,
            verify_url: &url,
        })
        .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The file name people save it as.
pub fn filename(c: &CertificateRecord) -> String {
    format!("{}.pdf", c.number)
}

pub async fn download(
    State(state): State<DownloadState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to("/signin").into_response();
    };
    let not_found = || (StatusCode::NOT_FOUND, "No such certificate.").into_response();
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let certificate = match certificates::find(&state.db, id).await {
        Ok(Some(c)) => c,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "certificate download: database error");
            return trouble();
        }
    };
    match file_reach(&state.db, &user, certificate.user_id).await {
        Ok(FileReach::Staff) => {}
        Ok(FileReach::Owner) if certificate.status != "revoked" => {}
        Ok(_) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "certificate download: database error");
            return trouble();
        }
    }
    match pdf_of(&certificate, &state.public_url).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", filename(&certificate)),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, certificate_id = id, "certificate pdf failed");
            trouble()
        }
    }
}

fn trouble() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Please try again.",
    )
        .into_response()
}
