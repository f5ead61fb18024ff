//! Instructors: a class's sessions and attendance grid, and the roll call of one session.
//! Every function checks on the server that the caller runs that class (an administrator,
//! or an instructor assigned to it).

use crate::{domain::roll_call::RollCallInput, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One session in the instructor's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachSession {
    pub id: i64,
    pub number: usize,
    pub label: String,
    /// "12 of 14 marked".
    pub marked: String,
}

/// One person's row of the attendance grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub registration_id: i64,
    /// Accommodations for the test: extra time (%) and extra attempts.
    pub extra_time_percent: i64,
    pub extra_attempts: i64,
    pub name: String,
    pub email: String,
    /// Per session: "Present · 240 min", "Absent (made up)", or "Not marked".
    pub cells: Vec<String>,
    pub payment: String,
    /// Empty when the person may sit the test.
    pub shortfalls: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachOfferingView {
    pub offering_id: i64,
    pub course_title: String,
    pub when: String,
    pub sessions: Vec<TeachSession>,
    pub rows: Vec<GridRow>,
    /// "At least 90% of each session; excused does not count."
    pub rule: String,
    /// The test window as dates in the class's zone ("2026-06-18"), for the form.
    pub test_opens_on: String,
    pub test_closes_on: String,
}

/// One person on the roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollEntry {
    pub registration_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    /// "" when not marked yet.
    pub status: String,
    pub minutes: Option<i64>,
    pub note: String,
    /// "Roll call", "Meeting report", "Self check-in", "End of session (not marked)",
    /// "Make-up", or "".
    pub recorded_by: String,
    /// "Checked in 8:58 am" or "".
    pub checked_in: String,
    pub made_up: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCallView {
    pub meeting_id: i64,
    pub offering_id: i64,
    pub course_title: String,
    /// "Session 1 of 2: Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT".
    pub session: String,
    pub length_minutes: i64,
    pub rows: Vec<RollEntry>,
}

/// A class's sessions and its attendance grid.
#[server(prefix = "/api", endpoint = "teach_offering")]
pub async fn teach_offering(offering_id: i64) -> Result<TeachOfferingView, AppError> {
    crate::state::require_offering_staff(offering_id).await?;
    server::offering(offering_id).await
}

/// Sets when the class's people may take the test: from the start of `opens_on` to the end
/// of `closes_on`, in the class's time zone.
#[server(prefix = "/api", endpoint = "set_test_window")]
pub async fn set_test_window(
    offering_id: i64,
    opens_on: String,
    closes_on: String,
) -> Result<(), AppError> {
    crate::state::require_offering_staff(offering_id).await?;
    server::window(offering_id, &opens_on, &closes_on).await?;
    leptos_axum::redirect(&format!("/teach/offerings/{offering_id}?window=1"));
    Ok(())
}

/// Records a person's test accommodations: extra time (percent of the limit) and extra
/// attempts, with a note (audited).
#[server(prefix = "/api", endpoint = "set_accommodation")]
pub async fn set_accommodation(
    offering_id: i64,
    registration_id: i64,
    extra_time_percent: String,
    extra_attempts: String,
    note: Option<String>,
) -> Result<(), AppError> {
    let user = crate::state::require_offering_staff(offering_id).await?;
    let (time, attempts) =
        crate::domain::attempt_rules::parse_accommodation(&extra_time_percent, &extra_attempts)
            .map_err(|e| AppError::invalid(format!("{}-{registration_id}", e.field), e.message))?;
    let note = note.unwrap_or_default();
    if note.chars().count() > 500 {
        return Err(AppError::invalid(
            format!("note-{registration_id}"),
            "Keep the note under 500 characters.",
        ));
    }
    server::accommodate(
        user.id,
        offering_id,
        registration_id,
        time,
        attempts,
        note.trim(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/teach/offerings/{offering_id}?accommodated={registration_id}"
    ));
    Ok(())
}

/// The classes the signed-in instructor is assigned to, recent and upcoming: (id, course,
/// when).
#[server(prefix = "/api", endpoint = "my_classes")]
pub async fn my_classes() -> Result<Vec<(i64, String, String)>, AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::classes_of(user.id).await
}

/// The roll of one session.
#[server(prefix = "/api", endpoint = "roll_call")]
pub async fn roll_call(meeting_id: i64) -> Result<RollCallView, AppError> {
    let offering_id = server::offering_of(meeting_id).await?;
    crate::state::require_offering_staff(offering_id).await?;
    server::roll(meeting_id).await
}

/// Saves the roll call: each row's status, minutes and note (a blank status leaves the
/// person as they are). Only changed marks are written, each audited.
#[server(prefix = "/api", endpoint = "save_roll_call")]
pub async fn save_roll_call(
    meeting_id: i64,
    rows: Option<Vec<RollCallInput>>,
) -> Result<(), AppError> {
    let offering_id = server::offering_of(meeting_id).await?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    let changed = server::save(user.id, meeting_id, &rows.unwrap_or_default()).await?;
    leptos_axum::redirect(&format!("/teach/meetings/{meeting_id}?saved={changed}"));
    Ok(())
}

/// Marks everyone not yet marked as present for the whole session (marks already recorded,
/// by hand or from a meeting report, are kept).
#[server(prefix = "/api", endpoint = "mark_all_present")]
pub async fn mark_all_present(meeting_id: i64) -> Result<(), AppError> {
    let offering_id = server::offering_of(meeting_id).await?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    let changed = server::all_present(user.id, meeting_id).await?;
    leptos_axum::redirect(&format!("/teach/meetings/{meeting_id}?saved={changed}"));
    Ok(())
}

/// Records (or, unticked, withdraws) a make-up for a missed session, with a note.
#[server(prefix = "/api", endpoint = "record_make_up")]
pub async fn record_make_up(
    meeting_id: i64,
    registration_id: i64,
    note: String,
    made_up: Option<String>,
) -> Result<(), AppError> {
    let offering_id = server::offering_of(meeting_id).await?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    let note = note.trim();
    let made_up = made_up.is_some();
    if made_up && note.is_empty() {
        return Err(AppError::invalid(
            format!("makeup_note-{registration_id}"),
            "Say how the session was made up (for example, which class they attended instead).",
        ));
    }
    if note.chars().count() > crate::domain::roll_call::MAX_NOTE {
        return Err(AppError::invalid(
            format!("makeup_note-{registration_id}"),
            "Keep the note under 500 characters.",
        ));
    }
    server::make_up(user.id, meeting_id, registration_id, made_up, note).await?;
    leptos_axum::redirect(&format!("/teach/meetings/{meeting_id}?saved=1"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        db::{
            self,
            attendance::{GridCell, NewMark, Source},
            offerings::MeetingRecord,
        },
        domain::{
            attendance_rule::{
                shortfalls, AttendanceStatus, Mark, MeetingAttendance, Rule, Shortfall,
            },
            attendance_source::{marks_open, MarkSource},
            payment::PaymentStatus,
            roll_call::check_roll_call,
            schedule::{parse_zone, Meeting},
            time_display::{describe_meetings, describe_session},
        },
    };
    use chrono::Utc;

    pub async fn offering_of(meeting_id: i64) -> Result<i64, AppError> {
        let state = crate::state::app_state()?;
        // Only staff get this far with a real answer; others are refused right after,
        // so a guessed id tells them nothing more than "not found".
        crate::state::require_role(crate::domain::role::Role::Instructor).await?;
        db::offerings::find_meeting(&state.db, meeting_id)
            .await?
            .map(|(o, _, _)| o.id)
            .ok_or_else(|| AppError::NotFound("We could not find that session.".into()))
    }

    fn length(m: &MeetingRecord) -> i64 {
        (m.ends_at - m.starts_at).num_minutes()
    }

    fn meeting(m: &MeetingRecord) -> Meeting {
        Meeting {
            starts_at: m.starts_at,
            ends_at: m.ends_at,
        }
    }

    /// What the rule says about one registration, given the class's sessions and marks.
    pub fn assess(
        meetings: &[MeetingRecord],
        marks: &[GridCell],
        registration_id: i64,
        payment: PaymentStatus,
        rule: Rule,
    ) -> Vec<Shortfall> {
        let attendance = attendance_of(meetings, marks, registration_id);
        shortfalls(payment.is_settled(), &attendance, rule)
    }

    /// One registration's sessions with its marks, as the attendance rule sees them.
    pub fn attendance_of(
        meetings: &[MeetingRecord],
        marks: &[GridCell],
        registration_id: i64,
    ) -> Vec<MeetingAttendance> {
        meetings
            .iter()
            .enumerate()
            .map(|(i, m)| MeetingAttendance {
                number: i + 1,
                length_minutes: length(m),
                mark: marks
                    .iter()
                    .find(|c| c.meeting_id == m.id && c.registration_id == registration_id)
                    .and_then(cell_mark),
            })
            .collect()
    }

    fn cell_mark(c: &GridCell) -> Option<Mark> {
        Some(Mark {
            status: c.status.parse().ok()?,
            minutes: c.minutes,
            made_up: c.made_up,
        })
    }

    /// "Present · 240 min", "Absent (made up)".
    pub fn describe_mark(mark: Option<Mark>) -> String {
        match mark {
            None => "Not marked".to_owned(),
            Some(m) => {
                let mut text = m.status.label().to_owned();
                if m.status.attended() {
                    text.push_str(&format!(" · {} min", m.minutes));
                }
                if m.made_up {
                    text.push_str(" (made up)");
                }
                text
            }
        }
    }

    /// A grid cell in words: its mark, and "(self check-in)" when the attendee recorded it
    /// and no instructor or report has spoken since.
    pub fn describe_cell(cell: Option<&GridCell>) -> String {
        let text = describe_mark(cell.and_then(cell_mark));
        match cell.and_then(|c| c.source.parse::<MarkSource>().ok()) {
            Some(MarkSource::SelfCheckIn) => format!("{text} (self check-in)"),
            _ => text,
        }
    }

    pub fn describe_rule(rule: Rule) -> String {
        format!(
            "To sit the test: paid or waived, and at least {}% of every session attended{}.",
            rule.threshold_percent,
            if rule.excused_counts {
                "; an excused absence counts"
            } else {
                "; an excused absence does not count (record a make-up instead)"
            }
        )
    }

    pub async fn offering(offering_id: i64) -> Result<TeachOfferingView, AppError> {
        offering_in(&crate::state::app_state()?.db, offering_id).await
    }

    /// The class view from `db` (also for the CSV download, outside a server function).
    pub async fn offering_in(
        database: &db::Db,
        offering_id: i64,
    ) -> Result<TeachOfferingView, AppError> {
        let (offering, meetings) = db::offerings::find(database, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let zone = parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver);
        let rule = db::attendance::rule_for_offering(database, offering_id).await?;
        let marks = db::attendance::marks_for_offering(database, offering_id).await?;
        let accommodations = db::exams::accommodations_for_offering(database, offering_id).await?;
        let roster: Vec<_> = db::registrations::roster(database, offering_id)
            .await?
            .into_iter()
            .filter(|r| r.status == "confirmed")
            .collect();
        let sessions = meetings
            .iter()
            .enumerate()
            .map(|(i, m)| TeachSession {
                id: m.id,
                number: i + 1,
                label: describe_session(&meeting(m), zone),
                marked: format!(
                    "{} of {} marked",
                    marks.iter().filter(|c| c.meeting_id == m.id).count(),
                    roster.len()
                ),
            })
            .collect();
        let rows = roster
            .iter()
            .map(|r| {
                let payment: PaymentStatus =
                    r.payment_status.parse().unwrap_or(PaymentStatus::Unpaid);
                let (extra_time_percent, extra_attempts) =
                    accommodations.get(&r.id).copied().unwrap_or((0, 0));
                GridRow {
                    registration_id: r.id,
                    extra_time_percent,
                    extra_attempts,
                    name: r.name.clone(),
                    email: r.email.clone(),
                    cells: meetings
                        .iter()
                        .map(|m| {
                            describe_cell(
                                marks
                                    .iter()
                                    .find(|c| c.meeting_id == m.id && c.registration_id == r.id),
                            )
                        })
                        .collect(),
                    payment: payment.label().to_owned(),
                    shortfalls: assess(&meetings, &marks, r.id, payment, rule)
                        .iter()
                        .map(Shortfall::message)
                        .collect(),
                }
            })
            .collect();
        let (opens, closes) = crate::domain::attempt_rules::test_window(
            db::exams::window(database, offering_id).await?,
            meetings.iter().map(|m| m.ends_at).max(),
            crate::clock::now(),
        );
        let day = |t: chrono::DateTime<Utc>| t.with_timezone(&zone).format("%Y-%m-%d").to_string();
        Ok(TeachOfferingView {
            test_opens_on: day(opens),
            test_closes_on: day(closes - chrono::Duration::seconds(1)),
            offering_id,
            course_title: offering.course_title.clone(),
            when: describe_meetings(
                &meetings.iter().map(meeting).collect::<Vec<_>>(),
                zone,
                None,
            ),
            sessions,
            rows,
            rule: describe_rule(rule),
        })
    }

    pub async fn window(offering_id: i64, opens_on: &str, closes_on: &str) -> Result<(), AppError> {
        use crate::domain::{offering_form::date, schedule::local_to_utc};
        let state = crate::state::app_state()?;
        let (offering, _) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let zone = parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver);
        let opens = date("opens_on", opens_on)?;
        let closes = date("closes_on", closes_on)?;
        let at = |field: &'static str, d: chrono::NaiveDate| {
            local_to_utc(d, chrono::NaiveTime::MIN, zone)
                .map_err(|e| AppError::invalid(field, e.to_string()))
        };
        let opens_at = at("opens_on", opens)?;
        let closes_at = at("closes_on", closes.succ_opt().unwrap_or(closes))?;
        if closes_at <= opens_at {
            return Err(AppError::invalid(
                "closes_on",
                "The test must close after it opens.",
            ));
        }
        db::exams::set_window(&state.db, offering_id, opens_at, closes_at).await?;
        Ok(())
    }

    pub async fn accommodate(
        actor: i64,
        offering_id: i64,
        registration_id: i64,
        time: i64,
        attempts: i64,
        note: &str,
    ) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        if db::exams::set_accommodation(
            &state.db,
            offering_id,
            registration_id,
            time,
            attempts,
            note,
            actor,
            crate::clock::now(),
        )
        .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound(
                "That person is not registered for this class.".into(),
            ))
        }
    }

    pub async fn classes_of(user_id: i64) -> Result<Vec<(i64, String, String)>, AppError> {
        let state = crate::state::app_state()?;
        let since = crate::clock::now() - chrono::Duration::days(60);
        let mut out = Vec::new();
        for id in db::offerings::taught_by(&state.db, user_id, since).await? {
            if let Some((offering, meetings)) = db::offerings::find(&state.db, id).await? {
                let zone = parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver);
                let when = describe_meetings(
                    &meetings.iter().map(meeting).collect::<Vec<_>>(),
                    zone,
                    None,
                );
                out.push((id, offering.course_title, when));
            }
        }
        Ok(out)
    }

    pub async fn roll(meeting_id: i64) -> Result<RollCallView, AppError> {
        let state = crate::state::app_state()?;
        let (offering, meetings, this) = db::offerings::find_meeting(&state.db, meeting_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that session.".into()))?;
        let zone = parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver);
        let number = meetings
            .iter()
            .position(|m| m.id == meeting_id)
            .unwrap_or(0)
            + 1;
        let rows = db::attendance::roll(&state.db, meeting_id)
            .await?
            .into_iter()
            .map(|r| RollEntry {
                registration_id: r.registration_id,
                status: r.status.clone().unwrap_or_default(),
                minutes: r.minutes,
                note: r.note.clone().unwrap_or_default(),
                recorded_by: r
                    .source
                    .as_deref()
                    .and_then(|s| s.parse::<MarkSource>().ok())
                    .map(MarkSource::label)
                    .unwrap_or_default()
                    .to_owned(),
                checked_in: r
                    .checked_in_at
                    .map(|t| format!("Checked in {}", t.with_timezone(&zone).format("%-I:%M %P")))
                    .unwrap_or_default(),
                made_up: r.made_up.unwrap_or(false),
                name: r.name,
                email: r.email,
                agency: r.agency,
            })
            .collect();
        Ok(RollCallView {
            meeting_id,
            offering_id: offering.id,
            course_title: offering.course_title.clone(),
            session: format!(
                "Session {number} of {}: {}",
                meetings.len(),
                describe_session(&meeting(&this), zone)
            ),
            length_minutes: length(&this),
            rows,
        })
    }

    /// Refuses marks for a session that has not started: recorded ahead, they would let
    /// someone qualify for the test before the class.
    pub fn refuse_before_start(
        offering: &db::offerings::OfferingRecord,
        session: &MeetingRecord,
    ) -> Result<(), AppError> {
        if marks_open(session.starts_at, crate::clock::now()) {
            return Ok(());
        }
        let zone = parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver);
        Err(AppError::Conflict(format!(
            "This session has not started yet ({}): attendance can be recorded once it starts.",
            describe_session(&meeting(session), zone)
        )))
    }

    pub async fn save(
        actor: i64,
        meeting_id: i64,
        rows: &[RollCallInput],
    ) -> Result<usize, AppError> {
        let state = crate::state::app_state()?;
        let (offering, _, this) = db::offerings::find_meeting(&state.db, meeting_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that session.".into()))?;
        refuse_before_start(&offering, &this)?;
        let checked = check_roll_call(rows, length(&this))
            .map_err(|e| AppError::invalid(e.key(), e.message))?;
        let marks: Vec<NewMark> = checked
            .into_iter()
            .map(|m| NewMark {
                registration_id: m.registration_id,
                status: m.status,
                minutes: m.minutes,
                note: m.note,
            })
            .collect();
        let changed = db::attendance::record_marks(
            &state.db,
            meeting_id,
            &marks,
            Source::RollCall,
            Some(actor),
            crate::clock::now(),
        )
        .await?;
        tracing::info!(meeting_id, changed, "roll call saved");
        Ok(changed)
    }

    pub async fn all_present(actor: i64, meeting_id: i64) -> Result<usize, AppError> {
        let state = crate::state::app_state()?;
        let (offering, _, this) = db::offerings::find_meeting(&state.db, meeting_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that session.".into()))?;
        refuse_before_start(&offering, &this)?;
        let marks: Vec<NewMark> = db::attendance::roll(&state.db, meeting_id)
            .await?
            .into_iter()
            .filter(|r| r.status.is_none())
            .map(|r| NewMark {
                registration_id: r.registration_id,
                status: AttendanceStatus::Present,
                minutes: length(&this),
                note: String::new(),
            })
            .collect();
        Ok(db::attendance::record_marks(
            &state.db,
            meeting_id,
            &marks,
            Source::RollCall,
            Some(actor),
            crate::clock::now(),
        )
        .await?)
    }

    pub async fn make_up(
        actor: i64,
        meeting_id: i64,
        registration_id: i64,
        made_up: bool,
        note: &str,
    ) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        if made_up {
            // A make-up recorded ahead would count before the session it replaces.
            let (offering, _, this) = db::offerings::find_meeting(&state.db, meeting_id)
                .await?
                .ok_or_else(|| AppError::NotFound("We could not find that session.".into()))?;
            refuse_before_start(&offering, &this)?;
        }
        if db::attendance::record_make_up(
            &state.db,
            registration_id,
            meeting_id,
            made_up,
            note,
            actor,
            crate::clock::now(),
        )
        .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound(
                "That person has no seat in this class.".into(),
            ))
        }
    }
}
