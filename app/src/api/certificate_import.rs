//! Administrators: importing coordinators certified before the platform from a CSV file
//! (name, email, number, issued, expires). Upload (kept as a draft for a day), a preview of
//! every row with its problems, and a confirmation that imports every row or none: a file
//! with any problem is fixed and uploaded again, so the same people are never half imported.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{MultipartData, MultipartFormData};

/// The largest file accepted: a CSV of ten thousand coordinators is well under it.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// The import page: the preview of a draft when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateImportView {
    pub preview: Option<ImportPreview>,
    /// A draft was asked for but is gone (imported, expired, or someone else's).
    pub draft_missing: bool,
}

/// What confirming a draft would import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub draft: String,
    pub filename: String,
    pub rows: Vec<ImportRow>,
    /// How many rows have problems (none: it can be imported).
    pub with_problems: usize,
    /// How many rows would create an account (the rest match one by email).
    pub new_accounts: usize,
    /// How many rows match an account that has not verified its address: their certificates
    /// wait until it does.
    pub pending: usize,
}

/// One row of the file, as it would be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub name: String,
    pub email: String,
    pub number: String,
    /// "March 15, 2024", or "" when the date cannot be read.
    pub issued: String,
    pub expires: String,
    /// "Active" or "Expired" (today), "" when the dates cannot be read.
    pub status: String,
    /// "Existing account (Ana Ruiz)", "New account", or "Existing account, email not
    /// verified: will be attached when verified".
    pub account: String,
    pub problems: Vec<String>,
}

/// The import page, with the preview of `draft` when it is given.
#[server(prefix = "/api", endpoint = "certificate_import_page")]
pub async fn certificate_import_page(
    draft: Option<String>,
) -> Result<CertificateImportView, AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    server::page(admin.id, draft.as_deref()).await
}

/// Reads an uploaded CSV (the file field `file`) into a draft and redirects to its preview.
/// Nothing is imported. A file that cannot be read at all is refused next to the field.
#[server(prefix = "/api", endpoint = "upload_certificate_import", input = MultipartFormData)]
pub async fn upload_certificate_import(data: MultipartData) -> Result<(), AppError> {
    // Before reading the file: only administrators get that far.
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let (filename, bytes) = server::read_upload(data).await?;
    let draft = server::save_draft(admin.id, filename, bytes).await?;
    leptos_axum::redirect(&format!("/admin/certificates/import?draft={draft}"));
    Ok(())
}

/// Imports every row of `draft` (accounts matched by email or created, certificates,
/// memberships, number counters, audit), or nothing when any row has a problem.
#[server(prefix = "/api", endpoint = "confirm_certificate_import")]
pub async fn confirm_certificate_import(draft: String) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let done = server::confirm(admin.id, &draft).await?;
    leptos_axum::redirect(&format!(
        "/admin/certificates/import?imported={}&created={}&pending={}",
        done.certificates, done.accounts_created, done.pending
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server;
