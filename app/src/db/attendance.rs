//! Attendance: marks per registration per meeting, self check-ins, and the end-of-meeting
//! job. Every change of a mark is audited with the values before and after; writing the
//! same values again changes nothing and records nothing, so a report imported twice, or a
//! job run by two servers at once, has no further effect. Which record wins when sources
//! disagree is the domain's decision (`domain::attendance_source::decide`).

use super::{audit, on_db, BeginWrite, Db};
use crate::domain::attendance_rule::{AttendanceStatus, Mark, Rule};
use crate::domain::attendance_source::{decide, self_check_in_mark, Decision, MarkValues};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// Where a mark came from (the domain decides which source wins).
pub use crate::domain::attendance_source::MarkSource as Source;

/// A mark to write for one registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMark {
    pub registration_id: i64,
    pub status: AttendanceStatus,
    pub minutes: i64,
    pub note: String,
}

/// One person on a meeting's roll, with what is recorded so far.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RollRow {
    pub registration_id: i64,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub status: Option<String>,
    pub minutes: Option<i64>,
    pub note: Option<String>,
    pub source: Option<String>,
    pub made_up: Option<bool>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

impl RollRow {
    /// The recorded mark, if any.
    pub fn mark(&self) -> Option<Mark> {
        Some(Mark {
            status: self.status.as_deref()?.parse().ok()?,
            minutes: self.minutes.unwrap_or(0),
            made_up: self.made_up.unwrap_or(false),
        })
    }
}

/// Everyone with a seat in the meeting's class (confirmed registrations), by name.
#[instrument(skip_all, fields(db = db.backend(), meeting_id))]
pub async fn roll(db: &Db, meeting_id: i64) -> Result<Vec<RollRow>, sqlx::Error> {
    let sql = "SELECT r.id AS registration_id, u.id AS user_id, u.name, u.email, u.agency, \
               a.status, a.minutes, a.note, a.source, a.made_up, a.recorded_at, c.checked_in_at \
               FROM meetings m \
               JOIN registrations r ON r.offering_id = m.offering_id AND r.status = 'confirmed' \
               JOIN users u ON u.id = r.user_id \
               LEFT JOIN attendance a ON a.registration_id = r.id AND a.meeting_id = m.id \
               LEFT JOIN check_ins c ON c.registration_id = r.id AND c.meeting_id = m.id \
               WHERE m.id = $1 ORDER BY u.name, r.id";
    on_db!(db, pool => sqlx::query_as(sql).bind(meeting_id).fetch_all(pool).await)
}

/// Writes `marks` for meeting `meeting_id`: only for confirmed registrations of the
/// meeting's own class (others are skipped), only where something differs from what is
/// stored. Each write is audited. Returns how many marks changed.
#[instrument(skip_all, fields(db = db.backend(), meeting_id, marks = marks.len()))]
pub async fn record_marks(
    db: &Db,
    meeting_id: i64,
    marks: &[NewMark],
    source: Source,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut changed = 0;
        for mark in marks {
            let belongs: Option<i64> = sqlx::query_scalar("SELECT r.id FROM registrations r JOIN meetings m ON m.offering_id = r.offering_id WHERE r.id = $1 AND m.id = $2 AND r.status = 'confirmed'")
                .bind(mark.registration_id)
                .bind(meeting_id)
                .fetch_optional(&mut *tx)
                .await?;
            if belongs.is_none() {
                continue;
            }
            let before: Option<(String, i64, String, String)> = sqlx::query_as("SELECT status, minutes, note, source FROM attendance WHERE registration_id = $1 AND meeting_id = $2")
                .bind(mark.registration_id)
                .bind(meeting_id)
                .fetch_optional(&mut *tx)
                .await?;
            if decision(before.as_ref(), source, mark)? != Decision::Write {
                continue;
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO attendance (registration_id, meeting_id, status, minutes, note, source, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (registration_id, meeting_id) DO UPDATE SET status = $3, minutes = $4, note = $5, source = $6, recorded_by = $7, recorded_at = $8 \
                 RETURNING id",
            )
            .bind(mark.registration_id)
            .bind(meeting_id)
            .bind(mark.status.as_str())
            .bind(mark.minutes)
            .bind(&mark.note)
            .bind(source.as_str())
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let describe = |status: &str, minutes: i64, note: &str| {
                if note.is_empty() { format!("{status}, {minutes} min") } else { format!("{status}, {minutes} min, note: {note}") }
            };
            let old = before.as_ref().map(|(s, m, n, _)| describe(s, *m, n));
            let new = format!("{} ({})", describe(mark.status.as_str(), mark.minutes, &mark.note), source.as_str());
            audit::record!(tx, actor, "attendance.marked", "attendance", id, old, new, now);
            changed += 1;
        }
        tx.commit().await?;
        Ok(changed)
    })
}

/// The domain's decision on writing `mark` from `source` over the stored (status, minutes,
/// note, source). A stored status or source the domain does not know is an error.
fn decision(
    stored: Option<&(String, i64, String, String)>,
    source: Source,
    mark: &NewMark,
) -> Result<Decision, sqlx::Error> {
    let proposed = MarkValues {
        status: mark.status,
        minutes: mark.minutes,
        note: &mark.note,
    };
    let Some((status, minutes, note, stored_source)) = stored else {
        return Ok(decide(None, source, &proposed));
    };
    let unknown = |what: &str| sqlx::Error::Decode(format!("unknown attendance {what}").into());
    let current = MarkValues {
        status: status.parse().map_err(|()| unknown("status"))?,
        minutes: *minutes,
        note,
    };
    let stored_source: Source = stored_source.parse().map_err(|()| unknown("source"))?;
    Ok(decide(Some((stored_source, &current)), source, &proposed))
}

/// Records that a missed meeting was made up (or, with `made_up` false, takes that back),
/// with the instructor's note. Returns false when the person has no seat in that class.
#[instrument(skip_all, fields(db = db.backend(), registration_id, meeting_id))]
pub async fn record_make_up(
    db: &Db,
    registration_id: i64,
    meeting_id: i64,
    made_up: bool,
    note: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let belongs: Option<i64> = sqlx::query_scalar("SELECT r.id FROM registrations r JOIN meetings m ON m.offering_id = r.offering_id WHERE r.id = $1 AND m.id = $2 AND r.status = 'confirmed'")
            .bind(registration_id)
            .bind(meeting_id)
            .fetch_optional(&mut *tx)
            .await?;
        if belongs.is_none() {
            return Ok(false);
        }
        let before: Option<(bool, String)> = sqlx::query_as("SELECT made_up, note FROM attendance WHERE registration_id = $1 AND meeting_id = $2")
            .bind(registration_id)
            .bind(meeting_id)
            .fetch_optional(&mut *tx)
            .await?;
        // A make-up for a meeting nobody marked yet starts from "absent".
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attendance (registration_id, meeting_id, status, minutes, note, source, made_up, recorded_by, recorded_at) \
             VALUES ($1, $2, 'absent', 0, $3, 'make_up', $4, $5, $6) \
             ON CONFLICT (registration_id, meeting_id) DO UPDATE SET note = $3, made_up = $4, source = 'make_up', recorded_by = $5, recorded_at = $6 \
             RETURNING id",
        )
        .bind(registration_id)
        .bind(meeting_id)
        .bind(note)
        .bind(made_up)
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let old = before.map(|(m, n)| format!("made up: {m}, note: {n}"));
        audit::record!(tx, Some(actor), "attendance.make_up", "attendance", id, old, format!("made up: {made_up}, note: {note}"), now);
        tx.commit().await?;
        Ok(true)
    })
}

/// Records a self check-in of `registration_id` (by `actor`, its owner) to the meeting
/// (id, start, end) at `now`: the first check-in's time as evidence for the roll call, and the
/// mark it earns (`self_check_in_mark`) where nothing is recorded yet, audited. One
/// transaction; checking in again changes nothing.
#[instrument(skip_all, fields(db = db.backend(), registration_id, meeting_id = meeting.0))]
pub async fn check_in(
    db: &Db,
    registration_id: i64,
    actor: i64,
    meeting: (i64, DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let (meeting_id, starts_at, ends_at) = meeting;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO check_ins (registration_id, meeting_id, checked_in_at) VALUES ($1, $2, $3) ON CONFLICT (registration_id, meeting_id) DO NOTHING")
            .bind(registration_id)
            .bind(meeting_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let first: DateTime<Utc> = sqlx::query_scalar("SELECT checked_in_at FROM check_ins WHERE registration_id = $1 AND meeting_id = $2")
            .bind(registration_id)
            .bind(meeting_id)
            .fetch_one(&mut *tx)
            .await?;
        let (status, minutes) = self_check_in_mark(starts_at, ends_at, first);
        let mark = NewMark { registration_id, status, minutes, note: String::new() };
        let before: Option<(String, i64, String, String)> = sqlx::query_as("SELECT status, minutes, note, source FROM attendance WHERE registration_id = $1 AND meeting_id = $2")
            .bind(registration_id)
            .bind(meeting_id)
            .fetch_optional(&mut *tx)
            .await?;
        if decision(before.as_ref(), Source::SelfCheckIn, &mark)? == Decision::Write {
            // DO NOTHING: a mark recorded meanwhile by roll call or a report stands.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO attendance (registration_id, meeting_id, status, minutes, note, source, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, '', 'self_check_in', $5, $6) \
                 ON CONFLICT (registration_id, meeting_id) DO NOTHING RETURNING id",
            )
            .bind(registration_id)
            .bind(meeting_id)
            .bind(status.as_str())
            .bind(minutes)
            .bind(actor)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                audit::record!(tx, Some(actor), "attendance.marked", "attendance", id, None::<String>, format!("{}, {minutes} min (self_check_in)", status.as_str()), now);
            }
        }
        tx.commit().await
    })
}

/// Marks absent everyone with a seat who has no mark for a meeting that ended before
/// `ended_before` (the end plus the grace period), in classes that were not cancelled.
/// Idempotent and safe with several servers: a mark that appeared meanwhile is kept.
/// Returns how many were marked.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn mark_unmarked_absent(
    db: &Db,
    ended_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let due: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT r.id, m.id FROM meetings m \
             JOIN offerings o ON o.id = m.offering_id AND o.status <> 'cancelled' \
             JOIN registrations r ON r.offering_id = m.offering_id AND r.status = 'confirmed' \
             WHERE m.ends_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id AND a.meeting_id = m.id) \
             ORDER BY m.id, r.id LIMIT 1000",
        )
        .bind(ended_before)
        .fetch_all(&mut *tx)
        .await?;
        let mut marked = 0;
        for (registration_id, meeting_id) in due {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO attendance (registration_id, meeting_id, status, minutes, note, source, recorded_at) \
                 VALUES ($1, $2, 'absent', 0, 'Not marked by the end of the session.', 'auto_absent', $3) \
                 ON CONFLICT (registration_id, meeting_id) DO NOTHING RETURNING id",
            )
            .bind(registration_id)
            .bind(meeting_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                audit::record!(tx, None::<i64>, "attendance.marked", "attendance", id, None::<String>, "absent, 0 min (auto_absent)", now);
                marked += 1;
            }
        }
        tx.commit().await?;
        Ok(marked)
    })
}

/// The attendance rule of the course an offering belongs to.
pub async fn rule_for_offering(db: &Db, offering_id: i64) -> Result<Rule, sqlx::Error> {
    let sql = "SELECT c.attendance_threshold_percent, c.excused_counts FROM offerings o JOIN courses c ON c.id = o.course_id WHERE o.id = $1";
    let row: Option<(i64, bool)> =
        on_db!(db, pool => sqlx::query_as(sql).bind(offering_id).fetch_optional(pool).await)?;
    Ok(
        row.map_or_else(Rule::default, |(threshold_percent, excused_counts)| Rule {
            threshold_percent,
            excused_counts,
        }),
    )
}

/// One cell of the attendance grid.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GridCell {
    pub registration_id: i64,
    pub meeting_id: i64,
    pub status: String,
    pub minutes: i64,
    pub made_up: bool,
    /// Who recorded it (`roll_call`, `self_check_in`, ...).
    pub source: String,
}

/// Every mark of an offering's confirmed registrations (the grid's filled cells).
#[instrument(skip_all, fields(db = db.backend(), offering_id))]
pub async fn marks_for_offering(db: &Db, offering_id: i64) -> Result<Vec<GridCell>, sqlx::Error> {
    let sql =
        "SELECT a.registration_id, a.meeting_id, a.status, a.minutes, a.made_up, a.source FROM attendance a \
               JOIN meetings m ON m.id = a.meeting_id WHERE m.offering_id = $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(offering_id).fetch_all(pool).await)
}

/// The marks of one registration, by meeting id.
pub async fn marks_for_registration(
    db: &Db,
    registration_id: i64,
) -> Result<Vec<GridCell>, sqlx::Error> {
    let sql = "SELECT registration_id, meeting_id, status, minutes, made_up, source FROM attendance WHERE registration_id = $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(registration_id).fetch_all(pool).await)
}

/// When the person first checked in to the meeting, if they did.
pub async fn checked_in_at(
    db: &Db,
    registration_id: i64,
    meeting_id: i64,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let sql = "SELECT checked_in_at FROM check_ins WHERE registration_id = $1 AND meeting_id = $2";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(registration_id).bind(meeting_id).fetch_optional(pool).await)
}
