//! Instructors: a class's gradebook, people x (attendance, attempts, best score, passed),
//! also downloaded as CSV. Only the class's instructors and administrators see it.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One person's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradebookRow {
    pub registration_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    /// "Confirmed", "On the waitlist", ...
    pub registration: String,
    /// "2 of 2 sessions, 100%".
    pub attendance: String,
    /// Whether attendance meets the course's rule for sitting the test (payment aside).
    pub attendance_rule_met: bool,
    /// Why not, one sentence per session.
    pub attendance_shortfalls: Vec<String>,
    pub attempts_used: usize,
    /// The course's attempts plus the person's extra attempts.
    pub attempts_allowed: i64,
    /// The best final score, percent rounded down.
    pub best_percent: Option<i64>,
    /// "Yes", "No", "Awaiting grading", ...
    pub passed: String,
    /// The day of the last attempt in the class's zone ("2026-06-18"), or "".
    pub last_attempt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradebookView {
    pub offering_id: i64,
    pub course_title: String,
    pub when: String,
    /// "name" or "score", as in `?sort=`.
    pub sort: String,
    /// The attendance rule in a sentence.
    pub rule: String,
    pub pass_percent: i64,
    pub rows: Vec<GradebookRow>,
}

/// The gradebook of class `offering_id`, sorted by `sort` ("name", the default, or "score").
#[server(prefix = "/api", endpoint = "gradebook")]
pub async fn gradebook(offering_id: i64, sort: Option<String>) -> Result<GradebookView, AppError> {
    crate::state::require_offering_staff(offering_id).await?;
    let state = crate::state::app_state()?;
    let sort = crate::domain::gradebook::SortBy::from_query(sort.as_deref());
    server::gradebook_in(&state.db, offering_id, sort).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        api::teach::server::{attendance_of, describe_rule},
        db,
        domain::{
            attendance_rule::{shortfalls, Shortfall},
            gradebook::{sort_rows, standing, summarise_attendance, SortBy},
            registration::RegistrationStatus,
            schedule::{parse_zone, Meeting},
            time_display::describe_meetings,
        },
    };

    /// The gradebook from `db` (also for the CSV download, outside a server function).
    /// Everyone on the class's roster is listed, with their registration's status.
    pub async fn gradebook_in(
        database: &db::Db,
        offering_id: i64,
        sort: SortBy,
    ) -> Result<GradebookView, AppError> {
        let (offering, meetings) = db::offerings::find(database, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let zone = parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver);
        let rule = db::attendance::rule_for_offering(database, offering_id).await?;
        let marks = db::attendance::marks_for_offering(database, offering_id).await?;
        let accommodations = db::exams::accommodations_for_offering(database, offering_id).await?;
        let (exam, _) = db::exams::find(database, offering.course_id).await?;
        let attempts = db::gradebook::attempts_for_offering(database, offering_id).await?;
        let roster = db::registrations::roster(database, offering_id).await?;
        let mut rows: Vec<GradebookRow> = roster
            .into_iter()
            .map(|r| {
                let sessions = attendance_of(&meetings, &marks, r.id);
                // Payment is not part of attendance; the class page shows it.
                let missing = shortfalls(true, &sessions, rule);
                let theirs: Vec<_> = attempts
                    .iter()
                    .filter(|(registration, _)| *registration == r.id)
                    .map(|(_, a)| *a)
                    .collect();
                let standing = standing(&theirs);
                let extra = accommodations.get(&r.id).map_or(0, |(_, a)| *a);
                GradebookRow {
                    registration_id: r.id,
                    registration: r
                        .status
                        .parse::<RegistrationStatus>()
                        .map_or_else(|_| r.status.clone(), |s| s.label().to_owned()),
                    attendance: summarise_attendance(&sessions).describe(),
                    attendance_rule_met: missing.is_empty(),
                    attendance_shortfalls: missing.iter().map(Shortfall::message).collect(),
                    attempts_used: standing.used,
                    attempts_allowed: exam.attempts_allowed + extra,
                    best_percent: standing.best_percent,
                    passed: standing.outcome.label().to_owned(),
                    last_attempt: standing
                        .last_attempt_at
                        .map(|t| t.with_timezone(&zone).format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    name: r.name,
                    email: r.email,
                    agency: r.agency,
                }
            })
            .collect();
        sort_rows(&mut rows, sort, |r| &r.name, |r| r.best_percent);
        let shown: Vec<Meeting> = meetings
            .iter()
            .map(|m| Meeting {
                starts_at: m.starts_at,
                ends_at: m.ends_at,
            })
            .collect();
        Ok(GradebookView {
            offering_id,
            course_title: offering.course_title,
            when: describe_meetings(&shown, zone, None),
            sort: sort.as_query().to_owned(),
            rule: describe_rule(rule),
            pass_percent: exam.pass_percent,
            rows,
        })
    }
}
