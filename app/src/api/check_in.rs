//! Self check-in: "Check in" on the dashboard (and "Join session", which checks in before it
//! opens the video meeting). During a session's live window, a person with a confirmed seat
//! records their own presence; it counts for the test until roll call or a meeting report
//! says otherwise (`domain::attendance_source`).

use crate::error::AppError;
use leptos::prelude::*;

/// Checks the signed-in person in to session `meeting_id` and goes back to the dashboard.
#[server(prefix = "/api", endpoint = "self_check_in")]
pub async fn self_check_in(meeting_id: i64) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    server::check_in(&state.db, user.id, meeting_id, crate::clock::now()).await?;
    leptos_axum::redirect(&format!("/dashboard?checked_in={meeting_id}"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        db::{self, offerings::OfferingRecord, Db},
        domain::{attendance_rule::join_open, registration::RegistrationStatus},
    };
    use chrono::{DateTime, Utc};

    /// A check-in's answer: the class, for its video-meeting link.
    pub struct CheckedIn {
        pub offering: OfferingRecord,
    }

    /// Records `user_id`'s check-in to `meeting_id` at `now` (the first one only; a mark only
    /// where nothing is recorded yet). Someone without a confirmed seat is told the session
    /// is not found; outside the live window, the check-in is refused as a conflict.
    pub async fn check_in(
        database: &Db,
        user_id: i64,
        meeting_id: i64,
        now: DateTime<Utc>,
    ) -> Result<CheckedIn, AppError> {
        let not_found =
            || AppError::NotFound("You do not have a confirmed seat in that session.".into());
        let (offering, _, meeting) = db::offerings::find_meeting(database, meeting_id)
            .await?
            .ok_or_else(not_found)?;
        let registration = db::registrations::find_live(database, offering.id, user_id)
            .await?
            .filter(|r| r.status() == RegistrationStatus::Confirmed)
            .ok_or_else(not_found)?;
        if offering.status != "scheduled" || !join_open(meeting.starts_at, meeting.ends_at, now) {
            return Err(AppError::Conflict(
                "That session is not open for check-in: check-in opens 15 minutes before a session starts and closes when it ends.".into(),
            ));
        }
        db::attendance::check_in(
            database,
            registration.id,
            user_id,
            (meeting.id, meeting.starts_at, meeting.ends_at),
            now,
        )
        .await?;
        tracing::info!(registration_id = registration.id, meeting_id, "checked in");
        Ok(CheckedIn { offering })
    }
}
