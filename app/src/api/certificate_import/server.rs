//! Server side of the certificate import: reading the upload, keeping the draft, building the
//! preview, confirming it.

use super::{CertificateImportView, ImportPreview, ImportRow, MAX_IMPORT_BYTES};
use crate::{
    api::upload::{clean_filename, read_form},
    db::{
        self,
        certificate_imports::{Draft, ImportError, Imported},
    },
    domain::{
        certificate::{self, long_date, Status},
        certificate_import::check,
        record_holder::{preview_label, NEW_ACCOUNT, PENDING_ACCOUNT},
    },
    error::AppError,
};
use base64::Engine;
use rand::RngCore;
use server_fn::codec::MultipartData;
use std::collections::HashSet;

const FIELD: &str = "file";

/// Reads the form's file field: its name and bytes, at most [`MAX_IMPORT_BYTES`].
pub async fn read_upload(data: MultipartData) -> Result<(String, Vec<u8>), AppError> {
    let too_large = || {
        AppError::invalid(FIELD, "The file is larger than 1 MB: split it into smaller files and import them one after the other.")
    };
    let form = read_form(data, FIELD, MAX_IMPORT_BYTES)
        .await
        .map_err(|e| e.into_app_error(too_large))?;
    let (filename, bytes) = (form.filename, form.bytes);
    if bytes.is_empty() {
        return Err(AppError::invalid(
            FIELD,
            if filename.trim().is_empty() {
                "Choose the CSV file to upload."
            } else {
                "The file is empty: choose the CSV file with the coordinators."
            },
        ));
    }
    Ok((filename, bytes))
}

/// Keeps a readable file as a draft for `user_id`; returns its id. A file that is not text,
/// or not CSV with the five columns, is refused next to the field and not kept.
pub async fn save_draft(
    user_id: i64,
    filename: String,
    bytes: Vec<u8>,
) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let content = String::from_utf8(bytes).map_err(|_| {
        AppError::invalid(
            FIELD,
            "The file is not UTF-8 text: in the spreadsheet, save it as \"CSV UTF-8\" and upload that.",
        )
    })?;
    check(content.as_bytes(), &HashSet::new())
        .map_err(|message| AppError::invalid(FIELD, message))?;
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    let draft = Draft {
        id: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random),
        uploaded_by: user_id,
        filename: clean_filename(&filename, "coordinators.csv"),
        content,
        created_at: crate::clock::now(),
    };
    db::certificate_imports::save_draft(&state.db, &draft).await?;
    tracing::info!(user_id, "certificate import uploaded");
    Ok(draft.id)
}

/// The page: the preview of `draft`, checked against the numbers and accounts there are now.
pub async fn page(user_id: i64, draft: Option<&str>) -> Result<CertificateImportView, AppError> {
    let state = crate::state::app_state()?;
    let now = crate::clock::now();
    let found = match draft {
        Some(id) => db::certificate_imports::find_draft(&state.db, id, user_id, now).await?,
        None => None,
    };
    let preview = match &found {
        Some(d) => Some(preview(&state.db, d, certificate::issue_date(now)).await?),
        None => None,
    };
    Ok(CertificateImportView {
        draft_missing: draft.is_some() && found.is_none(),
        preview,
    })
}

async fn preview(
    db: &db::Db,
    draft: &Draft,
    today: chrono::NaiveDate,
) -> Result<ImportPreview, AppError> {
    let known = db::certificate_imports::used_numbers(db).await?;
    // The file was readable when it was uploaded, and it has not changed since.
    let rows = check(draft.content.as_bytes(), &known).map_err(AppError::internal)?;
    let emails: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    let accounts = db::certificate_imports::accounts(db, &emails).await?;
    let rows: Vec<ImportRow> = rows
        .into_iter()
        .map(|r| ImportRow {
            line: r.line,
            account: preview_label(
                accounts
                    .get(&r.email)
                    .map(|(name, facts)| (name.as_str(), *facts)),
            ),
            status: r
                .expires_on
                .map(|d| {
                    certificate::status_on(Status::Active, Some(d), today)
                        .label()
                        .to_owned()
                })
                .unwrap_or_default(),
            issued: r.issued_on.map(long_date).unwrap_or_default(),
            expires: r.expires_on.map(long_date).unwrap_or_default(),
            name: r.name,
            email: r.email,
            number: r.number,
            problems: r.problems,
        })
        .collect();
    Ok(ImportPreview {
        draft: draft.id.clone(),
        filename: draft.filename.clone(),
        with_problems: rows.iter().filter(|r| !r.problems.is_empty()).count(),
        new_accounts: rows.iter().filter(|r| r.account == NEW_ACCOUNT).count(),
        pending: rows.iter().filter(|r| r.account == PENDING_ACCOUNT).count(),
        rows,
    })
}

/// Imports the draft, mapping each refusal to what the administrator should do.
pub async fn confirm(user_id: i64, draft: &str) -> Result<Imported, AppError> {
    let state = crate::state::app_state()?;
    match db::certificate_imports::import(&state.db, draft, user_id, crate::clock::now()).await {
        Ok(done) => {
            tracing::info!(user_id, certificates = done.certificates, accounts_created = done.accounts_created, pending = done.pending, "certificates imported");
            Ok(done)
        }
        Err(ImportError::Gone) => Err(AppError::Conflict(
            "This preview is no longer available: the file was imported already, or it was uploaded more than a day ago. Upload it again to see a fresh preview.".into(),
        )),
        Err(ImportError::Problems(n)) => Err(AppError::Conflict(format!(
            "Nothing was imported: {n} {} a problem (shown in the table below). Fix the file and upload it again.",
            if n == 1 { "row has" } else { "rows have" }
        ))),
        Err(ImportError::AlreadyHeld { email, number }) => Err(AppError::Conflict(format!(
            "Nothing was imported: {email} already holds the active certificate {number}. A person holds one active certificate at a time; remove that row and import again."
        ))),
        Err(ImportError::NoCourse) => Err(AppError::internal("no course issues coordinator certificates")),
        Err(ImportError::Db(e)) => Err(e.into()),
    }
}
