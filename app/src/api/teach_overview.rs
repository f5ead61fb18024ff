//! The instructor's dashboard across all their classes: the sessions ahead with how full each
//! class is, the answers waiting for a grade, and who may not sit the test yet, with why.
//! Only the classes the signed-in person is assigned to (administrators too, when they
//! teach).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A session ahead (or running now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAhead {
    pub meeting_id: i64,
    pub offering_id: i64,
    pub course_title: String,
    /// "Session 1 of 2".
    pub number: String,
    /// "Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT", in the class's zone.
    pub when: String,
    /// "12 of 14 seats taken · 2 wait-listed".
    pub roster: String,
    pub confirmed: i64,
}

/// A class with answers to grade by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradingLine {
    pub offering_id: i64,
    pub course_title: String,
    /// "3 answers in 2 attempts".
    pub waiting: String,
    /// "Waiting since Thursday, June 18, 2026, 2:05 pm MDT".
    pub since: String,
}

/// Someone in a class under way who may not sit the test yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotYetEligible {
    pub offering_id: i64,
    pub course_title: String,
    pub registration_id: i64,
    pub name: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TeachingView {
    /// Whether the person teaches any class at all (the page words its empty lists by it).
    pub teaches: bool,
    pub sessions: Vec<SessionAhead>,
    pub grading: Vec<GradingLine>,
    pub not_eligible: Vec<NotYetEligible>,
}

/// The signed-in instructor's overview (administrators get theirs as teachers).
#[server(prefix = "/api", endpoint = "teaching_overview")]
pub async fn teaching_overview() -> Result<TeachingView, AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::overview(&crate::state::app_state()?.db, user.id, crate::clock::now()).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        api::teach::server::assess,
        db::{self, teaching::UpcomingSession},
        domain::{
            attendance_rule::Shortfall,
            payment::PaymentStatus,
            schedule::{parse_zone, Meeting},
            teaching_overview::{actionable, RosterCounts},
            time_display::{describe_instant, describe_session},
        },
    };
    use chrono::{DateTime, Duration, Utc};

    /// Sessions shown ahead; a term's worth for a busy instructor.
    const SESSIONS_SHOWN: i64 = 20;
    /// How long after its last session a class still shows who fell short.
    const UNDER_WAY_DAYS: i64 = 60;

    /// The overview of `user_id`'s classes at `now`.
    pub async fn overview(
        database: &db::Db,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<TeachingView, AppError> {
        // Classes that ended longer ago than this no longer count as the person's.
        let since = now - Duration::days(UNDER_WAY_DAYS);
        let taught = db::offerings::taught_by(database, user_id, since).await?;
        let sessions = db::teaching::upcoming_sessions(database, user_id, now, SESSIONS_SHOWN)
            .await?
            .into_iter()
            .map(session_ahead)
            .collect();
        let grading = db::teaching::grading_waiting(database, user_id)
            .await?
            .into_iter()
            .map(|g| {
                let zone = parse_zone(&g.zone).unwrap_or(chrono_tz::America::Denver);
                GradingLine {
                    offering_id: g.offering_id,
                    course_title: g.course_title,
                    waiting: format!(
                        "{} {} in {} {}",
                        g.items,
                        if g.items == 1 { "answer" } else { "answers" },
                        g.attempts,
                        if g.attempts == 1 {
                            "attempt"
                        } else {
                            "attempts"
                        }
                    ),
                    since: g
                        .oldest
                        .map(|t| format!("Waiting since {}", describe_instant(t, zone)))
                        .unwrap_or_default(),
                }
            })
            .collect();
        let mut not_eligible = Vec::new();
        for id in db::teaching::classes_under_way(database, user_id, now, since).await? {
            not_eligible.extend(short_of_the_rule(database, id, now).await?);
        }
        Ok(TeachingView {
            teaches: !taught.is_empty(),
            sessions,
            grading,
            not_eligible,
        })
    }

    fn session_ahead(s: UpcomingSession) -> SessionAhead {
        let zone = parse_zone(&s.zone).unwrap_or(chrono_tz::America::Denver);
        let counts = RosterCounts {
            capacity: s.capacity,
            confirmed: s.confirmed,
            waitlisted: s.waitlisted,
            pending: s.pending,
        };
        SessionAhead {
            meeting_id: s.meeting_id,
            offering_id: s.offering_id,
            course_title: s.course_title,
            number: format!("Session {} of {}", s.number, s.sessions),
            when: describe_session(
                &Meeting {
                    starts_at: s.starts_at,
                    ends_at: s.ends_at,
                },
                zone,
            ),
            roster: counts.describe(),
            confirmed: s.confirmed,
        }
    }

    /// The confirmed people of class `offering_id` with a shortfall an instructor can act on.
    async fn short_of_the_rule(
        database: &db::Db,
        offering_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<NotYetEligible>, AppError> {
        let Some((offering, meetings)) = db::offerings::find(database, offering_id).await? else {
            return Ok(Vec::new());
        };
        let rule = db::attendance::rule_for_offering(database, offering_id).await?;
        let marks = db::attendance::marks_for_offering(database, offering_id).await?;
        let ends: Vec<_> = meetings.iter().map(|m| m.ends_at).collect();
        let mut out = Vec::new();
        for r in db::registrations::roster(database, offering_id).await? {
            if r.status != "confirmed" {
                continue;
            }
            let payment: PaymentStatus = r.payment_status.parse().unwrap_or(PaymentStatus::Unpaid);
            let reasons = actionable(assess(&meetings, &marks, r.id, payment, rule), &ends, now);
            if !reasons.is_empty() {
                out.push(NotYetEligible {
                    offering_id,
                    course_title: offering.course_title.clone(),
                    registration_id: r.id,
                    name: r.name,
                    reasons: reasons.iter().map(Shortfall::message).collect(),
                });
            }
        }
        Ok(out)
    }
}
