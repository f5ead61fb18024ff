//! Moving, adding and removing a class's sessions, and telling everyone registered with an
//! updated calendar file, in one transaction.

use super::{
    audit,
    offerings::MeetingRecord,
    on_db,
    outbox::{Enqueue, NewMessage},
    registrations::{notify, Event, Outgoing, Recipient},
    BeginWrite, Db,
};
use crate::domain::schedule::Meeting;
use chrono::{DateTime, Utc};
use tracing::instrument;

/// A checked change (see `domain::meeting_change::check_change`).
#[derive(Debug, Clone, Copy)]
pub enum Change {
    Move { id: i64, to: Meeting },
    Add(Meeting),
    Remove { id: i64 },
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeMeetingError {
    /// The class is cancelled or completed, or gone.
    #[error("the offering is not scheduled")]
    NotScheduled,
    /// The session started (or vanished) since the form was shown.
    #[error("the session has started or no longer exists")]
    SessionStarted,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A message composer that owns what it needs.
pub type BoxedCompose = Box<dyn Fn(&Recipient, &Event) -> Option<Outgoing> + Send + Sync>;

/// Builds the message composer from the class's sessions as they are after the change.
pub type ComposeFor<'a> = &'a (dyn Fn(&[MeetingRecord]) -> BoxedCompose + Send + Sync);

/// Applies `change` to offering `offering_id`. A moved session keeps its id (its calendar
/// UID) and its SEQUENCE goes up by one; registration closes no later than the new first
/// session. Everyone confirmed, pending or waitlisted is told. Returns how many were told.
#[instrument(skip_all, fields(db = db.backend(), offering_id))]
pub async fn change_meeting(
    db: &Db,
    offering_id: i64,
    change: Change,
    admin: i64,
    compose_for: ComposeFor<'_>,
    now: DateTime<Utc>,
) -> Result<usize, ChangeMeetingError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        // Locks the offering row on PostgreSQL, so two changes to one class run in turn.
        let scheduled = sqlx::query("UPDATE offerings SET updated_at = $1 WHERE id = $2 AND status = 'scheduled'")
            .bind(now)
            .bind(offering_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if scheduled == 0 {
            return Err(ChangeMeetingError::NotScheduled);
        }
        let before: Option<MeetingRecord> = match change {
            Change::Move { id, .. } | Change::Remove { id } => {
                let found = sqlx::query_as::<_, MeetingRecord>("SELECT id, offering_id, starts_at, ends_at, sequence FROM meetings WHERE id = $1 AND offering_id = $2 AND starts_at > $3")
                    .bind(id)
                    .bind(offering_id)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                Some(found.ok_or(ChangeMeetingError::SessionStarted)?)
            }
            Change::Add(_) => None,
        };
        let mut removed = Vec::new();
        let (action, after) = match (change, &before) {
            (Change::Move { id, to }, _) => {
                sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2, sequence = sequence + 1 WHERE id = $3")
                    .bind(to.starts_at)
                    .bind(to.ends_at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                ("offering.session_moved", describe(&to))
            }
            (Change::Add(to), _) => {
                sqlx::query("INSERT INTO meetings (offering_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                    .bind(offering_id)
                    .bind(to.starts_at)
                    .bind(to.ends_at)
                    .execute(&mut *tx)
                    .await?;
                ("offering.session_added", describe(&to))
            }
            (Change::Remove { id }, Some(old)) => {
                sqlx::query("DELETE FROM meetings WHERE id = $1").bind(id).execute(&mut *tx).await?;
                removed.push(old.for_calendar());
                ("offering.session_removed", "removed".to_owned())
            }
            (Change::Remove { .. }, None) => return Err(ChangeMeetingError::SessionStarted),
        };
        let meetings: Vec<MeetingRecord> = sqlx::query_as("SELECT id, offering_id, starts_at, ends_at, sequence FROM meetings WHERE offering_id = $1 ORDER BY starts_at, id")
            .bind(offering_id)
            .fetch_all(&mut *tx)
            .await?;
        if let Some(first) = meetings.first() {
            sqlx::query("UPDATE offerings SET registration_closes_at = $1 WHERE id = $2 AND registration_closes_at > $1")
                .bind(first.starts_at)
                .bind(offering_id)
                .execute(&mut *tx)
                .await?;
        }
        let compose = compose_for(&meetings);
        let people: Vec<(i64, String)> = sqlx::query_as("SELECT user_id, status FROM registrations WHERE offering_id = $1 AND status IN ('confirmed', 'pending_approval', 'waitlisted') ORDER BY id")
            .bind(offering_id)
            .fetch_all(&mut *tx)
            .await?;
        for (user_id, status) in &people {
            let event = Event::Rescheduled { removed: removed.clone(), seat: status == "confirmed" };
            notify!(tx, compose, *user_id, event, now);
        }
        let subject = before.as_ref().map_or(offering_id, |m| m.id);
        let kind = if before.is_some() { "meeting" } else { "offering" };
        audit::record!(tx, Some(admin), action, kind, subject, before.as_ref().map(|m| describe(&Meeting { starts_at: m.starts_at, ends_at: m.ends_at })), after, now);
        tx.commit().await?;
        Ok(people.len())
    })
}

fn describe(m: &Meeting) -> String {
    format!("{} to {}", m.starts_at.to_rfc3339(), m.ends_at.to_rfc3339())
}
