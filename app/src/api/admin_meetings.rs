//! Administrators: moving, adding and removing a class's sessions. Everyone registered is
//! told, with a calendar file that updates (or withdraws) the sessions they already have.
//!
//! Errors about a session's fields are reported as `day-<id>`, `start-<id>`, `end-<id>`
//! (or `-new` for an added session), so the page can put each message next to the right
//! session's input.

use crate::error::AppError;
use leptos::prelude::*;

/// Moves one session to another day or time.
#[server(prefix = "/api", endpoint = "move_meeting")]
pub async fn move_meeting(
    offering_id: i64,
    meeting_id: i64,
    day: String,
    start: String,
    end: String,
) -> Result<(), AppError> {
    use crate::domain::meeting_change::{MeetingChange, SessionInput};
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let to = SessionInput { day, start, end };
    server::change(
        admin.id,
        offering_id,
        MeetingChange::Move { id: meeting_id, to },
        &meeting_id.to_string(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/admin/offerings/{offering_id}?rescheduled=1#sessions"
    ));
    Ok(())
}

/// Adds a session (on any day: sessions need not be consecutive).
#[server(prefix = "/api", endpoint = "add_meeting")]
pub async fn add_meeting(
    offering_id: i64,
    day: String,
    start: String,
    end: String,
) -> Result<(), AppError> {
    use crate::domain::meeting_change::{MeetingChange, SessionInput};
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let to = SessionInput { day, start, end };
    server::change(admin.id, offering_id, MeetingChange::Add(to), "new").await?;
    leptos_axum::redirect(&format!(
        "/admin/offerings/{offering_id}?rescheduled=1#sessions"
    ));
    Ok(())
}

/// Takes a session that has not started out of the class.
#[server(prefix = "/api", endpoint = "remove_meeting")]
pub async fn remove_meeting(offering_id: i64, meeting_id: i64) -> Result<(), AppError> {
    use crate::domain::meeting_change::MeetingChange;
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    server::change(
        admin.id,
        offering_id,
        MeetingChange::Remove { id: meeting_id },
        &meeting_id.to_string(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/admin/offerings/{offering_id}?rescheduled=1#sessions"
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use crate::{
        api::offerings::server::{compose_with, site_url},
        db::{
            self,
            meeting_changes::{BoxedCompose, Change, ChangeMeetingError},
            offerings::MeetingRecord,
        },
        domain::{
            meeting_change::{check_change, MeetingChange, Session},
            schedule::parse_zone,
        },
        error::AppError,
    };

    /// Checks `change` against the stored sessions and applies it; field errors get the
    /// suffix `-{suffix}`.
    pub async fn change(
        admin: i64,
        offering_id: i64,
        change: MeetingChange,
        suffix: &str,
    ) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let (offering, records) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let zone = parse_zone(&offering.zone).map_err(AppError::internal)?;
        let sessions: Vec<Session> = records
            .iter()
            .map(|m| Session {
                id: m.id,
                starts_at: m.starts_at,
                ends_at: m.ends_at,
            })
            .collect();
        let now = crate::clock::now();
        let checked = check_change(&sessions, &change, zone, now)
            .map_err(|e| AppError::invalid(format!("{}-{suffix}", e.field), e.message))?;
        let apply = match (&change, checked) {
            (MeetingChange::Move { id, .. }, Some(to)) => Change::Move { id: *id, to },
            (MeetingChange::Add(_), Some(to)) => Change::Add(to),
            (MeetingChange::Remove { id }, _) => Change::Remove { id: *id },
            (_, None) => return Err(AppError::internal("a move or addition without times")),
        };
        let site = site_url()?;
        let compose_for = |meetings: &[MeetingRecord]| -> BoxedCompose {
            Box::new(compose_with(&site, &offering, meetings))
        };
        match db::meeting_changes::change_meeting(
            &state.db,
            offering_id,
            apply,
            admin,
            &compose_for,
            now,
        )
        .await
        {
            Ok(told) => {
                tracing::info!(offering_id, told, "sessions changed");
                Ok(())
            }
            Err(ChangeMeetingError::NotScheduled) => Err(AppError::Conflict(
                "Only a scheduled class can be rescheduled.".into(),
            )),
            Err(ChangeMeetingError::SessionStarted) => Err(AppError::Conflict(
                "That session has started or was changed by someone else. Reload the page.".into(),
            )),
            Err(ChangeMeetingError::Db(e)) => Err(e.into()),
        }
    }
}
