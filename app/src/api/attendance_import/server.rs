//! Server side of the import: reading the upload, keeping the draft, building the preview,
//! applying it.

use super::plan::{self, Person, Session};
use super::upload::Upload;
use super::{AppliedView, ImportPageView, MatchView, PersonView, PreviewView, RollLine};
use crate::db::{self, attendance::RollRow, attendance_imports::Draft, offerings::MeetingRecord};
use crate::domain::{
    attendance::{check_report_fits, group_by_person, parse_report, ReportSource},
    attendance_rule::AttendanceStatus,
    attendance_source::marks_open,
    role::Role,
    schedule::{parse_zone, Meeting},
    time_display::{describe_instant, describe_session},
};
use crate::error::AppError;
use base64::Engine;
use chrono_tz::Tz;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const GONE: &str = "This preview is no longer available: the report was applied already, or it was uploaded more than a day ago. Upload the file again to see a fresh preview.";

/// The offering of meeting `meeting_id`, for the permission check. Only staff learn
/// whether the meeting exists.
pub async fn offering_of(meeting_id: i64) -> Result<i64, AppError> {
    crate::state::require_role(Role::Instructor).await?;
    let state = crate::state::app_state()?;
    let (offering, ..) = find_meeting(&state.db, meeting_id).await?;
    Ok(offering.id)
}

async fn find_meeting(
    db: &db::Db,
    meeting_id: i64,
) -> Result<
    (
        db::offerings::OfferingRecord,
        Vec<MeetingRecord>,
        MeetingRecord,
    ),
    AppError,
> {
    db::offerings::find_meeting(db, meeting_id)
        .await?
        .ok_or_else(|| AppError::NotFound("We could not find that session.".into()))
}

/// Parses the report in the class's zone and keeps its participants as a draft for the
/// uploader. Returns the draft's id. A session that has not started, and a report of
/// another meeting (no one in it during the session), are refused next to the file field.
pub async fn save_draft(user_id: i64, upload: &Upload) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let (offering, _, meeting) = find_meeting(&state.db, upload.meeting_id).await?;
    let zone = parse_zone(&offering.zone).map_err(AppError::internal)?;
    refuse_before_start(&meeting, zone)?;
    let report = parse_report(&upload.bytes, zone)
        .map_err(|e| AppError::invalid("report", e.to_string()))?;
    check_report_fits(&report, meeting.starts_at, meeting.ends_at, zone)
        .map_err(|e| AppError::invalid("report", e.to_string()))?;
    let people: Vec<Person> = group_by_person(&report)
        .into_iter()
        .map(Person::from)
        .collect();
    let mut random = [0u8; 32];
    rand::rng().fill_bytes(&mut random);
    let draft = Draft {
        id: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random),
        meeting_id: upload.meeting_id,
        uploaded_by: user_id,
        file_sha256: format!("{:x}", Sha256::digest(&upload.bytes)),
        source: report.source.as_str().to_owned(),
        filename: upload.filename.clone(),
        participants: serde_json::to_string(&people).map_err(AppError::internal)?,
        created_at: crate::clock::now(),
    };
    db::attendance_imports::save_draft(&state.db, &draft).await?;
    tracing::info!(
        meeting_id = upload.meeting_id,
        participants = people.len(),
        "attendance report uploaded"
    );
    Ok(draft.id)
}

/// A report of a session that has not started yet cannot be its report.
fn refuse_before_start(meeting: &MeetingRecord, zone: Tz) -> Result<(), AppError> {
    if marks_open(meeting.starts_at, crate::clock::now()) {
        return Ok(());
    }
    let when = describe_session(
        &Meeting {
            starts_at: meeting.starts_at,
            ends_at: meeting.ends_at,
        },
        zone,
    );
    Err(AppError::invalid(
        "report",
        format!("This session has not started yet ({when}): import its report after the meeting."),
    ))
}

/// The page: the meeting, and the draft's preview or the applied report's result.
pub async fn page(
    user_id: i64,
    meeting_id: i64,
    draft: Option<&str>,
    applied: Option<i64>,
) -> Result<ImportPageView, AppError> {
    let state = crate::state::app_state()?;
    let (offering, meetings, meeting) = find_meeting(&state.db, meeting_id).await?;
    let zone = parse_zone(&offering.zone).map_err(AppError::internal)?;
    let number = meetings
        .iter()
        .position(|m| m.id == meeting_id)
        .unwrap_or(0)
        + 1;
    let when = describe_session(
        &Meeting {
            starts_at: meeting.starts_at,
            ends_at: meeting.ends_at,
        },
        zone,
    );
    let found = match draft {
        Some(id) => {
            db::attendance_imports::find_draft(
                &state.db,
                id,
                meeting_id,
                user_id,
                crate::clock::now(),
            )
            .await?
        }
        None => None,
    };
    let preview = match &found {
        Some(draft) => Some(preview(&state.db, draft, &meeting, zone).await?),
        None => None,
    };
    let applied = match applied {
        Some(id) => db::attendance_imports::find_applied(&state.db, id, meeting_id).await?,
        None => None,
    };
    Ok(ImportPageView {
        meeting_id,
        course_title: offering.course_title,
        session: format!("Session {number} of {}: {when}", meetings.len()),
        draft_missing: draft.is_some() && found.is_none(),
        preview,
        applied: applied.map(|a| AppliedView {
            filename: a.filename,
            participants: a.participants,
            changed: a.changed,
        }),
    })
}

async fn preview(
    db: &db::Db,
    draft: &Draft,
    meeting: &MeetingRecord,
    zone: Tz,
) -> Result<PreviewView, AppError> {
    let people: Vec<Person> =
        serde_json::from_str(&draft.participants).map_err(AppError::internal)?;
    let roll = db::attendance::roll(db, meeting.id).await?;
    let session = Session {
        start: meeting.starts_at,
        end: meeting.ends_at,
    };
    let by_email = plan::match_by_email(&people, &roll);
    let marks = plan::marks(session, &people, &by_email, &roll);
    let people = people
        .iter()
        .zip(&by_email)
        .enumerate()
        .map(|(i, (person, matched))| {
            let (status, minutes) = plan::presence(session, &person.intervals);
            let row = matched.and_then(|id| roll.iter().find(|r| r.registration_id == id));
            let mark = matched.and_then(|id| marks.iter().find(|m| m.registration_id == id));
            PersonView {
                key: format!("p{i}"),
                name: person.name.clone(),
                email: person.email.clone().unwrap_or_default(),
                guest: person.guest,
                minutes,
                suggested: status.label().to_owned(),
                matched: row.zip(mark).map(|(row, mark)| MatchView {
                    name: row.name.clone(),
                    recorded: recorded(row),
                    changes: plan::changes(row, mark),
                }),
            }
        })
        .collect();
    let applied_before = db::attendance_imports::last_applied(db, meeting.id, &draft.file_sha256)
        .await?
        .map(|at| format!("This file was applied to this session on {}. Applying it again changes only marks that were changed since.", describe_instant(at, zone)));
    Ok(PreviewView {
        draft: draft.id.clone(),
        source: if draft.source == "teams" {
            ReportSource::Teams
        } else {
            ReportSource::Zoom
        }
        .label()
        .to_owned(),
        filename: draft.filename.clone(),
        people,
        roll: roll
            .iter()
            .map(|r| (r.registration_id, format!("{} ({})", r.name, r.email)))
            .collect(),
        unmatched_roll: roll
            .iter()
            .filter(|r| !by_email.contains(&Some(r.registration_id)))
            .map(|r| RollLine {
                name: r.name.clone(),
                email: r.email.clone(),
                recorded: recorded(r),
            })
            .collect(),
        applied_before,
    })
}

fn describe(status: AttendanceStatus, minutes: i64) -> String {
    format!("{} · {minutes} min", status.label())
}

fn recorded(row: &RollRow) -> String {
    match row
        .status
        .as_deref()
        .and_then(|s| s.parse::<AttendanceStatus>().ok())
    {
        Some(status) => describe(status, row.minutes.unwrap_or(0)),
        None => "Not recorded".to_owned(),
    }
}

/// Writes the marks of a draft with the instructor's matches, records the import and
/// deletes the draft. Returns the import's id.
pub async fn apply(
    user_id: i64,
    meeting_id: i64,
    draft_id: &str,
    choices: &HashMap<String, String>,
) -> Result<i64, AppError> {
    let state = crate::state::app_state()?;
    let (offering, _, meeting) = find_meeting(&state.db, meeting_id).await?;
    refuse_before_start(
        &meeting,
        parse_zone(&offering.zone).map_err(AppError::internal)?,
    )?;
    let now = crate::clock::now();
    let draft = db::attendance_imports::find_draft(&state.db, draft_id, meeting_id, user_id, now)
        .await?
        .ok_or_else(|| AppError::Conflict(GONE.into()))?;
    let people: Vec<Person> =
        serde_json::from_str(&draft.participants).map_err(AppError::internal)?;
    let roll = db::attendance::roll(&state.db, meeting_id).await?;
    let by_email = plan::match_by_email(&people, &roll);
    let matched = plan::with_hand_matches(&by_email, choices, &roll).map_err(|key| {
        AppError::invalid(
            format!("matches-{key}"),
            "Choose someone on this class's roster, or \u{201c}not in this class\u{201d}.",
        )
    })?;
    let session = Session {
        start: meeting.starts_at,
        end: meeting.ends_at,
    };
    let marks = plan::marks(session, &people, &matched, &roll);
    let changed = db::attendance::record_marks(
        &state.db,
        meeting_id,
        &marks,
        db::attendance::Source::Import,
        Some(user_id),
        now,
    )
    .await?;
    let id = db::attendance_imports::finish(&state.db, &draft, people.len(), changed, now)
        .await?
        .ok_or_else(|| AppError::Conflict(GONE.into()))?;
    tracing::info!(meeting_id, changed, "attendance report applied");
    Ok(id)
}
