//! Offerings: scheduled runs of a course, with their meetings and instructors.

use super::{audit, on_db, order_by, BeginWrite, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// A new offering, already validated by the domain.
#[derive(Debug, Clone)]
pub struct NewOffering {
    pub course_id: i64,
    pub zone: String,
    pub preset: String,
    pub capacity: i64,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub meeting_url: String,
    /// (starts_at, ends_at), in order.
    pub meetings: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    pub instructor_ids: Vec<i64>,
}

/// An offering with its course's facts, as pages and registration need them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfferingRecord {
    pub id: i64,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub fee_cents: i64,
    pub eligibility: String,
    pub zone: String,
    pub preset: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub meeting_url: String,
    pub status: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRecord {
    pub id: i64,
    pub offering_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub sequence: i64,
}

impl MeetingRecord {
    /// The meeting as the calendar needs it.
    pub fn for_calendar(&self) -> crate::domain::calendar::OfferingMeeting {
        crate::domain::calendar::OfferingMeeting {
            id: self.id,
            sequence: u32::try_from(self.sequence).unwrap_or(0),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

const SELECT: &str = "SELECT o.id, o.course_id, c.code AS course_code, c.title AS course_title, c.fee_cents, c.eligibility, \
     o.zone, o.preset, o.capacity, o.seats_taken, o.registration_opens_at, o.registration_closes_at, o.meeting_url, o.status \
     FROM offerings o JOIN courses c ON c.id = o.course_id";

#[instrument(skip_all, fields(db = db.backend()))]
pub async fn insert(
    db: &Db,
    new: &NewOffering,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO offerings (course_id, zone, preset, capacity, registration_opens_at, registration_closes_at, meeting_url, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $8) RETURNING id",
        )
        .bind(new.course_id)
        .bind(&new.zone)
        .bind(&new.preset)
        .bind(new.capacity)
        .bind(new.registration_opens_at)
        .bind(new.registration_closes_at)
        .bind(&new.meeting_url)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for (starts_at, ends_at) in &new.meetings {
            sqlx::query("INSERT INTO meetings (offering_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(starts_at)
                .bind(ends_at)
                .execute(&mut *tx)
                .await?;
        }
        for user_id in &new.instructor_ids {
            sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(id).bind(user_id).execute(&mut *tx).await?;
        }
        audit::record!(tx, actor, "offering.created", "offering", id, None::<String>, format!("capacity {} · {} meetings", new.capacity, new.meetings.len()), now);
        tx.commit().await?;
        Ok(id)
    })
}

#[instrument(skip_all, fields(db = db.backend(), offering_id = id))]
pub async fn find(
    db: &Db,
    id: i64,
) -> Result<Option<(OfferingRecord, Vec<MeetingRecord>)>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE o.id = $1");
    on_db!(db, pool => {
        let offering: Option<OfferingRecord> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
        let Some(offering) = offering else { return Ok(None) };
        let meetings = sqlx::query_as("SELECT id, offering_id, starts_at, ends_at, sequence FROM meetings WHERE offering_id = $1 ORDER BY starts_at, id")
            .bind(id)
            .fetch_all(pool)
            .await?;
        Ok(Some((offering, meetings)))
    })
}

/// Scheduled offerings of a course whose first meeting is still ahead, soonest first.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn upcoming_for_course(
    db: &Db,
    course_code: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(OfferingRecord, Vec<MeetingRecord>)>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE UPPER(c.code) = UPPER($1) AND o.status = 'scheduled' \
         AND (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id) > $2 \
         ORDER BY (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id), o.id LIMIT 24"
    );
    on_db!(db, pool => {
        let offerings: Vec<OfferingRecord> = sqlx::query_as(&sql).bind(course_code).bind(now).fetch_all(pool).await?;
        let mut out = Vec::with_capacity(offerings.len());
        for offering in offerings {
            let meetings = sqlx::query_as("SELECT id, offering_id, starts_at, ends_at, sequence FROM meetings WHERE offering_id = $1 ORDER BY starts_at, id")
                .bind(offering.id)
                .fetch_all(pool)
                .await?;
            out.push((offering, meetings));
        }
        Ok(out)
    })
}

/// How many people wait for a seat.
pub async fn waitlist_length(db: &Db, offering_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE offering_id = $1 AND status = 'waitlisted'").bind(offering_id).fetch_one(pool).await
    })
}

/// Whether there is any offering at all (the seed adds them only to an empty schedule).
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM offerings").fetch_one(pool).await)
}

/// An offering in the administrators' list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdminOfferingRow {
    pub id: i64,
    pub course_title: String,
    pub zone: String,
    pub preset: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub status: String,
    pub first_starts_at: Option<DateTime<Utc>>,
    pub waitlisted: i64,
    pub pending: i64,
}

/// The columns the administrators' list of classes sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferingSort {
    Course,
    Start,
    Seats,
}

impl SortKey for OfferingSort {
    const ALL: &'static [OfferingSort] = &[
        OfferingSort::Course,
        OfferingSort::Start,
        OfferingSort::Seats,
    ];
    const DEFAULT: (OfferingSort, Dir) = (OfferingSort::Start, Dir::Asc);
    fn key(self) -> &'static str {
        match self {
            OfferingSort::Course => "course",
            OfferingSort::Start => "start",
            OfferingSort::Seats => "seats",
        }
    }
}

impl OrderBy for OfferingSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            OfferingSort::Course => &["LOWER(c.title)"],
            OfferingSort::Start => &["first_starts_at"],
            OfferingSort::Seats => &["o.seats_taken"],
        }
    }
}

const FIRST_START: &str = "(SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id)";

/// How many offerings have their first meeting after `since`.
pub async fn count_for_admin(db: &Db, since: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM offerings o WHERE {FIRST_START} >= $1");
    on_db!(db, pool => sqlx::query_scalar(&sql).bind(since).fetch_one(pool).await)
}

/// Offerings whose first meeting is after `since`, in `sort` order: `limit` of them after
/// skipping `offset`.
pub async fn list_for_admin(
    db: &Db,
    since: DateTime<Utc>,
    sort: Sort<OfferingSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AdminOfferingRow>, sqlx::Error> {
    let sql = format!(
        "SELECT o.id, c.title AS course_title, o.zone, o.preset, o.capacity, o.seats_taken, o.status, \
         {FIRST_START} AS first_starts_at, \
         (SELECT COUNT(*) FROM registrations r WHERE r.offering_id = o.id AND r.status = 'waitlisted') AS waitlisted, \
         (SELECT COUNT(*) FROM registrations r WHERE r.offering_id = o.id AND r.status = 'pending_approval') AS pending \
         FROM offerings o JOIN courses c ON c.id = o.course_id \
         WHERE {FIRST_START} >= $1 {} LIMIT $2 OFFSET $3",
        order_by(sort, "o.id")
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(since).bind(limit).bind(offset).fetch_all(pool).await)
}

/// What an administrator may change on a scheduled offering.
#[derive(Debug, Clone)]
pub struct OfferingChanges {
    pub capacity: i64,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub meeting_url: String,
    /// "scheduled" or "completed" (cancelling has its own operation, which tells people).
    pub status: String,
    pub instructor_ids: Vec<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateOfferingError {
    #[error("{0} seats are taken")]
    CapacityBelowTaken(i64),
    #[error("no such offering, or it is cancelled")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Instructors of an offering: (id, name, email).
pub async fn instructors(
    db: &Db,
    offering_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT u.id, u.name, u.email FROM offering_instructors i JOIN users u ON u.id = i.user_id WHERE i.offering_id = $1 ORDER BY u.name")
        .bind(offering_id)
        .fetch_all(pool)
        .await)
}

/// Whether `user_id` is one of the offering's instructors.
pub async fn is_instructor(db: &Db, offering_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM offering_instructors WHERE offering_id = $1 AND user_id = $2";
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(offering_id).bind(user_id).fetch_one(pool).await)?;
    Ok(n > 0)
}

/// A meeting with its offering.
pub async fn find_meeting(
    db: &Db,
    meeting_id: i64,
) -> Result<Option<(OfferingRecord, Vec<MeetingRecord>, MeetingRecord)>, sqlx::Error> {
    let offering_id: Option<i64> = on_db!(db, pool => sqlx::query_scalar("SELECT offering_id FROM meetings WHERE id = $1").bind(meeting_id).fetch_optional(pool).await)?;
    let Some(offering_id) = offering_id else {
        return Ok(None);
    };
    let Some((offering, meetings)) = find(db, offering_id).await? else {
        return Ok(None);
    };
    let Some(meeting) = meetings.iter().find(|m| m.id == meeting_id).cloned() else {
        return Ok(None);
    };
    Ok(Some((offering, meetings, meeting)))
}

/// The offerings `user_id` teaches whose last session ended after `since`, soonest first.
pub async fn taught_by(
    db: &Db,
    user_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT o.id FROM offerings o JOIN offering_instructors i ON i.offering_id = o.id \
               WHERE i.user_id = $1 AND o.status <> 'cancelled' \
               AND (SELECT MAX(m.ends_at) FROM meetings m WHERE m.offering_id = o.id) > $2 \
               ORDER BY (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id) LIMIT 50";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(user_id).bind(since).fetch_all(pool).await)
}
