//! Importing a video-meeting participant report (Zoom or Teams) into one meeting's
//! attendance: upload (kept as a draft for a day), preview with matches by email and by
//! hand, apply. Every function checks on the server that the caller runs that class.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{MultipartData, MultipartFormData};
use std::collections::HashMap;

/// The largest report accepted; real ones are a few kilobytes.
pub const MAX_REPORT_BYTES: usize = 5 * 1024 * 1024;

/// The import page: the meeting, and the preview or the result when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPageView {
    pub meeting_id: i64,
    pub course_title: String,
    /// "Session 1 of 2: Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT".
    pub session: String,
    pub preview: Option<PreviewView>,
    /// A draft was asked for but is gone (applied, expired, or someone else's).
    pub draft_missing: bool,
    pub applied: Option<AppliedView>,
}

/// What applying a draft would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewView {
    pub draft: String,
    /// "Zoom participants export".
    pub source: String,
    pub filename: String,
    pub people: Vec<PersonView>,
    /// The roll for matching by hand: (registration id, "Name (email)").
    pub roll: Vec<(i64, String)>,
    /// People on the roll whom no one in the report matched by email.
    pub unmatched_roll: Vec<RollLine>,
    /// "This file was applied to this session on ..." when it was.
    pub applied_before: Option<String>,
}

/// One person found in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    /// The form key of the hand-matching select: `p0`, `p1`, ...
    pub key: String,
    pub name: String,
    pub email: String,
    pub guest: bool,
    pub minutes: i64,
    /// "Present", "Late", ...
    pub suggested: String,
    /// Matched by email: the registration's name and what changes.
    pub matched: Option<MatchView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchView {
    pub name: String,
    /// "Absent · 0 min" or "Not recorded".
    pub recorded: String,
    /// Whether applying changes the recorded mark (to the person's own minutes and status).
    pub changes: bool,
}

/// Someone on the roll, with what is recorded for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollLine {
    pub name: String,
    pub email: String,
    pub recorded: String,
}

/// An applied report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedView {
    pub filename: String,
    pub participants: i64,
    pub changed: i64,
}

/// The import page of meeting `meeting_id`, with the preview of `draft` or the result of
/// the applied report `applied`.
#[server(prefix = "/api", endpoint = "attendance_import_page")]
pub async fn attendance_import_page(
    meeting_id: i64,
    draft: Option<String>,
    applied: Option<i64>,
) -> Result<ImportPageView, AppError> {
    let offering_id = server::offering_of(meeting_id).await?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    server::page(user.id, meeting_id, draft.as_deref(), applied).await
}

/// Reads an uploaded report (form fields `meeting_id`, then the file `report`) into a draft
/// and redirects to its preview. Nothing is written to the attendance record.
#[server(prefix = "/api", endpoint = "upload_attendance_report", input = MultipartFormData)]
pub async fn upload_attendance_report(data: MultipartData) -> Result<(), AppError> {
    // Before reading the file: only staff get that far.
    crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    let upload = upload::read_upload(data).await?;
    let offering_id = server::offering_of(upload.meeting_id).await?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    let draft = server::save_draft(user.id, &upload).await?;
    leptos_axum::redirect(&format!(
        "/teach/meetings/{}/import?draft={draft}",
        upload.meeting_id
    ));
    Ok(())
}

/// Applies a draft: the marks of everyone matched (by email, or by hand in `matches`,
/// `p{index}` → registration id), audited; then shows how many changed.
#[server(prefix = "/api", endpoint = "apply_attendance_import")]
pub async fn apply_attendance_import(
    meeting_id: i64,
    draft: String,
    matches: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let offering_id = server::offering_of(meeting_id).await?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    let applied = server::apply(user.id, meeting_id, &draft, &matches.unwrap_or_default()).await?;
    leptos_axum::redirect(&format!(
        "/teach/meetings/{meeting_id}/import?applied={applied}"
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
mod plan;
#[cfg(feature = "ssr")]
mod server;
#[cfg(feature = "ssr")]
mod upload;
