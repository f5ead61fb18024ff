//! Registrations, seats and the waitlist, and their payments.
//!
//! Seats are counted in `offerings.seats_taken`, changed only by conditional UPDATEs inside a
//! write transaction: on PostgreSQL the row lock makes a second UPDATE re-check the condition
//! after the first commits; on SQLite `BEGIN IMMEDIATE` serialises writers. Either way two
//! people can never take the last seat.

use super::{
    audit, is_unique_violation, on_db,
    outbox::{Attachment, Enqueue, NewMessage},
    BeginWrite, Db,
};
use crate::domain::{
    catalog::Eligibility,
    payment::PaymentRecord,
    registration::{status_with_seat, RegistrationStatus},
};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// What a person gives when registering (the call-center fields only for the 911 course).
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub call_center: String,
    pub job_role: String,
    pub supervisor_contact: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("already registered")]
    AlreadyRegistered,
    #[error("the offering is not open")]
    NotScheduled,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Who a message goes to.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub name: String,
    pub email: String,
}

/// What happened to a registration, for the message that tells its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Registered(RegistrationStatus),
    Promoted(RegistrationStatus),
    Cancelled,
    Approved,
    Rejected(String),
    /// The whole offering was cancelled, with the administrator's explanation.
    OfferingCancelled(String),
    /// The class's sessions changed. `removed` are the sessions taken out (to withdraw
    /// from calendars); `seat` says whether the person holds a seat (and gets the file).
    Rescheduled {
        removed: Vec<crate::domain::calendar::OfferingMeeting>,
        seat: bool,
    },
}

/// A composed message.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub kind: &'static str,
}

/// Composes the message for an event. The data layer calls it inside the transaction, so a
/// message is stored exactly when the change that caused it is committed.
pub type Compose<'a> = &'a (dyn Fn(&Recipient, &Event) -> Option<Outgoing> + Send + Sync);

/// Stores the message for `$event` to user `$user_id`, inside the write transaction `$tx`.
macro_rules! notify {
    ($tx:expr, $compose:expr, $user_id:expr, $event:expr, $now:expr) => {{
        let (name, email): (String, String) =
            sqlx::query_as("SELECT name, email FROM users WHERE id = $1")
                .bind($user_id)
                .fetch_one(&mut *$tx)
                .await?;
        let recipient = Recipient { name, email };
        if let Some(m) = ($compose)(&recipient, &$event) {
            let message = NewMessage {
                to: &recipient.email,
                subject: &m.subject,
                body_text: &m.body,
                attachments: &m.attachments,
                kind: m.kind,
                secret_link: None,
            };
            Enqueue::enqueue(&mut *$tx, &message, $now).await?;
        }
    }};
}
pub(crate) use notify;

/// Someone who moved up from the waitlist, to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub registration_id: i64,
    pub user_id: i64,
    pub status: RegistrationStatus,
}

/// Registers a person: a seat if one is free (confirmed, or pending approval), else the
/// waitlist. Returns the new registration's id and status.
#[instrument(skip_all, fields(db = db.backend(), offering_id, user_id))]
#[allow(clippy::too_many_arguments)] // each is a distinct fact of the registration
pub async fn register(
    db: &Db,
    offering_id: i64,
    user_id: i64,
    eligibility: Eligibility,
    amount_due_cents: i64,
    details: &Details,
    compose: Compose<'_>,
    now: DateTime<Utc>,
) -> Result<(i64, RegistrationStatus), RegisterError> {
    let result: Result<(i64, RegistrationStatus), RegisterError> = on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let scheduled: Option<String> = sqlx::query_scalar("SELECT status FROM offerings WHERE id = $1").bind(offering_id).fetch_optional(&mut *tx).await?;
        if scheduled.as_deref() != Some("scheduled") {
            return Err(RegisterError::NotScheduled);
        }
        let taken = sqlx::query("UPDATE offerings SET seats_taken = seats_taken + 1, updated_at = $2 WHERE id = $1 AND seats_taken < capacity")
            .bind(offering_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let status = status_with_seat(taken == 1, eligibility);
        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO registrations (offering_id, user_id, status, holds_seat, call_center, job_role, supervisor_contact, amount_due_cents, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(offering_id)
        .bind(user_id)
        .bind(status.as_str())
        .bind(status.holds_seat())
        .bind(&details.call_center)
        .bind(&details.job_role)
        .bind(&details.supervisor_contact)
        .bind(amount_due_cents)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        // Dropping the transaction rolls the seat back too.
        let id = inserted.map_err(|e| if is_unique_violation(&e) { RegisterError::AlreadyRegistered } else { RegisterError::Db(e) })?;
        notify!(tx, compose, user_id, Event::Registered(status), now);
        tx.commit().await?;
        Ok((id, status))
    });
    result
}

/// Gives a freed seat to the first person on the waitlist, or returns it to the offering.
/// Expands inside a write transaction `$tx`; evaluates to `Option<Promotion>`.
macro_rules! release_seat {
    ($tx:expr, $offering_id:expr, $compose:expr, $now:expr) => {{
        let eligibility: String = sqlx::query_scalar("SELECT c.eligibility FROM offerings o JOIN courses c ON c.id = o.course_id WHERE o.id = $1")
            .bind($offering_id)
            .fetch_one(&mut *$tx)
            .await?;
        let eligibility: Eligibility = eligibility.parse().unwrap_or(Eligibility::Anyone);
        let first: Option<(i64, i64)> = sqlx::query_as(
            "SELECT id, user_id FROM registrations WHERE offering_id = $1 AND status = 'waitlisted' ORDER BY created_at, id LIMIT 1",
        )
        .bind($offering_id)
        .fetch_optional(&mut *$tx)
        .await?;
        match first {
            Some((registration_id, user_id)) => {
                let status = status_with_seat(true, eligibility);
                sqlx::query("UPDATE registrations SET status = $1, holds_seat = TRUE, updated_at = $2 WHERE id = $3")
                    .bind(status.as_str())
                    .bind($now)
                    .bind(registration_id)
                    .execute(&mut *$tx)
                    .await?;
                notify!($tx, $compose, user_id, Event::Promoted(status), $now);
                Some(Promotion { registration_id, user_id, status })
            }
            None => {
                sqlx::query("UPDATE offerings SET seats_taken = seats_taken - 1, updated_at = $2 WHERE id = $1 AND seats_taken > 0")
                    .bind($offering_id)
                    .bind($now)
                    .execute(&mut *$tx)
                    .await?;
                None
            }
        }
    }};
}

/// A registration as its owner and the rules need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegistrationRecord {
    pub id: i64,
    pub offering_id: i64,
    pub user_id: i64,
    pub status: String,
    pub holds_seat: bool,
    pub amount_due_cents: i64,
    pub payment_status: String,
    pub payment_method: String,
    pub payment_reference: String,
    pub decision_reason: String,
    pub created_at: DateTime<Utc>,
}

impl RegistrationRecord {
    pub fn status(&self) -> RegistrationStatus {
        self.status.parse().unwrap_or(RegistrationStatus::Cancelled)
    }
}

const COLUMNS: &str = "id, offering_id, user_id, status, holds_seat, amount_due_cents, payment_status, payment_method, payment_reference, decision_reason, created_at";

pub async fn find(db: &Db, id: i64) -> Result<Option<RegistrationRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// The person's live registration for an offering, if any.
pub async fn find_live(
    db: &Db,
    offering_id: i64,
    user_id: i64,
) -> Result<Option<RegistrationRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE offering_id = $1 AND user_id = $2 AND status NOT IN ('cancelled', 'rejected')");
    on_db!(db, pool => sqlx::query_as(&sql).bind(offering_id).bind(user_id).fetch_optional(pool).await)
}

/// Cancels a live registration; a freed seat goes to the first on the waitlist. Returns
/// `None` when there was nothing live to cancel.
#[instrument(skip_all, fields(db = db.backend(), registration_id))]
pub async fn cancel(
    db: &Db,
    registration_id: i64,
    actor: Option<i64>,
    compose: Compose<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Option<Promotion>>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(i64, i64, String, bool)> = sqlx::query_as("SELECT offering_id, user_id, status, holds_seat FROM registrations WHERE id = $1")
            .bind(registration_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((offering_id, owner, status, held)) = row else { return Ok(None) };
        if !status.parse::<RegistrationStatus>().map(|s| s.is_live()).unwrap_or(false) {
            return Ok(None);
        }
        sqlx::query("UPDATE registrations SET status = 'cancelled', holds_seat = FALSE, cancelled_at = $1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(registration_id)
            .execute(&mut *tx)
            .await?;
        notify!(tx, compose, owner, Event::Cancelled, now);
        let promotion = if held { release_seat!(tx, offering_id, compose, now) } else { None };
        audit::record!(tx, actor, "registration.cancelled", "registration", registration_id, &status, "cancelled", now);
        tx.commit().await?;
        Ok(Some(promotion))
    })
}

/// An administrator's decision on a registration waiting for approval. Rejection frees the
/// seat. Returns `None` when the registration was not waiting.
#[instrument(skip_all, fields(db = db.backend(), registration_id))]
pub async fn decide(
    db: &Db,
    registration_id: i64,
    approve: bool,
    reason: &str,
    admin: i64,
    compose: Compose<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Option<Promotion>>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(i64, i64)> = sqlx::query_as("SELECT offering_id, user_id FROM registrations WHERE id = $1 AND status = 'pending_approval'")
            .bind(registration_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((offering_id, owner)) = row else { return Ok(None) };
        let new_status = if approve { RegistrationStatus::Confirmed } else { RegistrationStatus::Rejected };
        sqlx::query("UPDATE registrations SET status = $1, holds_seat = $2, decision_reason = $3, decided_by = $4, decided_at = $5, updated_at = $5 WHERE id = $6")
            .bind(new_status.as_str())
            .bind(approve)
            .bind(reason)
            .bind(admin)
            .bind(now)
            .bind(registration_id)
            .execute(&mut *tx)
            .await?;
        let event = if approve { Event::Approved } else { Event::Rejected(reason.to_owned()) };
        notify!(tx, compose, owner, event, now);
        let promotion = if approve { None } else { release_seat!(tx, offering_id, compose, now) };
        audit::record!(tx, Some(admin), if approve { "registration.approved" } else { "registration.rejected" }, "registration", registration_id, "pending_approval", new_status.as_str(), now);
        tx.commit().await?;
        Ok(Some(promotion))
    })
}

/// Records how a registration was paid (audited). Returns false when there is no such
/// registration.
#[instrument(skip_all, fields(db = db.backend(), registration_id))]
pub async fn record_payment(
    db: &Db,
    registration_id: i64,
    record: &PaymentRecord,
    admin: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let before: Option<(String, String, String)> = sqlx::query_as("SELECT payment_status, payment_method, payment_reference FROM registrations WHERE id = $1")
            .bind(registration_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(before) = before else { return Ok(false) };
        let method = record.method.map(|m| m.as_str()).unwrap_or("");
        let paid_at = record.status.is_settled().then_some(now);
        sqlx::query("UPDATE registrations SET payment_status = $1, payment_method = $2, payment_reference = $3, paid_at = $4, updated_at = $5 WHERE id = $6")
            .bind(record.status.as_str())
            .bind(method)
            .bind(&record.reference)
            .bind(paid_at)
            .bind(now)
            .bind(registration_id)
            .execute(&mut *tx)
            .await?;
        audit::record!(tx, Some(admin), "registration.payment_recorded", "registration", registration_id, format!("{} {} {}", before.0, before.1, before.2).trim().to_owned(), format!("{} {} {}", record.status.as_str(), method, record.reference).trim().to_owned(), now);
        tx.commit().await?;
        Ok(true)
    })
}

/// A registration as listed on its owner's dashboard.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MyRegistration {
    pub id: i64,
    pub offering_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub zone: String,
    pub status: String,
    pub payment_status: String,
    pub amount_due_cents: i64,
    pub first_starts_at: Option<DateTime<Utc>>,
    /// The first session that has not ended at the time asked about, if any.
    pub next_starts_at: Option<DateTime<Utc>>,
    pub sessions: i64,
    /// Sessions that had ended at the time asked about.
    pub sessions_done: i64,
}

/// The person's registrations, newest offering first (cancelled and rejected ones included),
/// with each class's next session as of `now`.
pub async fn list_for_user(
    db: &Db,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<MyRegistration>, sqlx::Error> {
    let sql = "SELECT r.id, r.offering_id, c.code AS course_code, c.title AS course_title, o.zone, r.status, r.payment_status, r.amount_due_cents, \
               (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id) AS first_starts_at, \
               (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id AND m.ends_at > $2) AS next_starts_at, \
               (SELECT COUNT(*) FROM meetings m WHERE m.offering_id = o.id) AS sessions, \
               (SELECT COUNT(*) FROM meetings m WHERE m.offering_id = o.id AND m.ends_at <= $2) AS sessions_done \
               FROM registrations r JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
               WHERE r.user_id = $1 ORDER BY first_starts_at DESC, r.id DESC LIMIT 100";
    on_db!(db, pool => sqlx::query_as(sql).bind(user_id).bind(now).fetch_all(pool).await)
}

/// A row of an offering's roster.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RosterRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub status: String,
    pub amount_due_cents: i64,
    pub payment_status: String,
    pub payment_method: String,
    pub payment_reference: String,
}

/// Everyone registered for an offering (waitlist included, in line order), cancelled and
/// rejected last.
pub async fn roster(db: &Db, offering_id: i64) -> Result<Vec<RosterRow>, sqlx::Error> {
    let sql = "SELECT r.id, r.user_id, u.name, u.email, u.agency, r.status, r.amount_due_cents, r.payment_status, r.payment_method, r.payment_reference \
               FROM registrations r JOIN users u ON u.id = r.user_id WHERE r.offering_id = $1 \
               ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'pending_approval' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END, r.created_at, r.id";
    on_db!(db, pool => sqlx::query_as(sql).bind(offering_id).fetch_all(pool).await)
}

/// Cancels a whole offering: every live registration is cancelled and told why, the seats are
/// released. Returns how many people were told, or `None` if the offering was not scheduled.
#[instrument(skip_all, fields(db = db.backend(), offering_id))]
pub async fn cancel_offering(
    db: &Db,
    offering_id: i64,
    reason: &str,
    admin: i64,
    compose: Compose<'_>,
    now: DateTime<Utc>,
) -> Result<Option<usize>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query("UPDATE offerings SET status = 'cancelled', seats_taken = 0, updated_at = $1 WHERE id = $2 AND status = 'scheduled'")
            .bind(now)
            .bind(offering_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if updated == 0 {
            return Ok(None);
        }
        let people: Vec<(i64, i64)> = sqlx::query_as("SELECT id, user_id FROM registrations WHERE offering_id = $1 AND status NOT IN ('cancelled', 'rejected')")
            .bind(offering_id)
            .fetch_all(&mut *tx)
            .await?;
        for (registration_id, user_id) in &people {
            sqlx::query("UPDATE registrations SET status = 'cancelled', holds_seat = FALSE, cancelled_at = $1, updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(registration_id)
                .execute(&mut *tx)
                .await?;
            notify!(tx, compose, *user_id, Event::OfferingCancelled(reason.to_owned()), now);
        }
        audit::record!(tx, Some(admin), "offering.cancelled", "offering", offering_id, "scheduled", format!("cancelled: {reason}"), now);
        tx.commit().await?;
        Ok(Some(people.len()))
    })
}

/// What an invoice shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceRecord {
    pub id: i64,
    pub user_id: i64,
    pub offering_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub course_title: String,
    pub amount_due_cents: i64,
    pub payment_status: String,
    pub payment_method: String,
    pub payment_reference: String,
    pub paid_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn invoice(db: &Db, registration_id: i64) -> Result<Option<InvoiceRecord>, sqlx::Error> {
    let sql = "SELECT r.id, r.user_id, r.offering_id, u.name, u.email, u.agency, c.title AS course_title, r.amount_due_cents, \
               r.payment_status, r.payment_method, r.payment_reference, r.paid_at, r.created_at \
               FROM registrations r JOIN users u ON u.id = r.user_id JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
               WHERE r.id = $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(registration_id).fetch_optional(pool).await)
}

/// Saves an administrator's changes to an offering (audited). More seats go to the waitlist,
/// first in line first, in the same transaction; fewer seats than are taken is refused.
/// Returns the people promoted.
#[instrument(skip_all, fields(db = db.backend(), offering_id))]
pub async fn update_offering(
    db: &Db,
    offering_id: i64,
    changes: &super::offerings::OfferingChanges,
    admin: i64,
    compose: Compose<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Promotion>, super::offerings::UpdateOfferingError> {
    use super::offerings::UpdateOfferingError;
    let result: Result<Vec<Promotion>, UpdateOfferingError> = on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(i64, i64, String)> = sqlx::query_as("SELECT capacity, seats_taken, status FROM offerings WHERE id = $1")
            .bind(offering_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((before_capacity, taken, status)) = row.filter(|r| r.2 != "cancelled") else { return Err(UpdateOfferingError::NotFound) };
        if changes.capacity < taken {
            return Err(UpdateOfferingError::CapacityBelowTaken(taken));
        }
        sqlx::query("UPDATE offerings SET capacity = $1, registration_opens_at = $2, registration_closes_at = $3, meeting_url = $4, status = $5, updated_at = $6 WHERE id = $7")
            .bind(changes.capacity)
            .bind(changes.registration_opens_at)
            .bind(changes.registration_closes_at)
            .bind(&changes.meeting_url)
            .bind(&changes.status)
            .bind(now)
            .bind(offering_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM offering_instructors WHERE offering_id = $1").bind(offering_id).execute(&mut *tx).await?;
        for user_id in &changes.instructor_ids {
            sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(offering_id).bind(user_id).execute(&mut *tx).await?;
        }
        // Each new seat goes to the first in line: take the seat, then hand it over.
        let mut promoted = Vec::new();
        for _ in taken..changes.capacity {
            let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE offering_id = $1 AND status = 'waitlisted'").bind(offering_id).fetch_one(&mut *tx).await?;
            if waiting == 0 {
                break;
            }
            sqlx::query("UPDATE offerings SET seats_taken = seats_taken + 1 WHERE id = $1").bind(offering_id).execute(&mut *tx).await?;
            if let Some(p) = release_seat!(tx, offering_id, compose, now) {
                promoted.push(p);
            }
        }
        audit::record!(tx, Some(admin), "offering.updated", "offering", offering_id, format!("capacity {before_capacity} · {status}"), format!("capacity {} · {} · {} instructors", changes.capacity, changes.status, changes.instructor_ids.len()), now);
        tx.commit().await?;
        Ok(promoted)
    });
    result
}
