//! What the administrators' reports read: raw rows (instants, outcomes, counts) for one
//! course or all (`course`: a course code, `None` for all) in a range of instants. Months are
//! bucketed in Rust (`domain::report`), in the organisation's zone, on both databases alike:
//! SQLite's strftime and PostgreSQL's date_trunc would bucket in UTC, and the rows per report
//! are few (one per registration, attempt or certificate).

use super::{on_db, Db};
use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

/// Every course, as (code, title), in catalog order: the report's course filter.
pub async fn courses(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = "SELECT code, title FROM courses ORDER BY position, id";
    on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await)
}

/// When each registration in the range was made (whatever became of it since).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn registrations_made(
    db: &Db,
    course: Option<&str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    let sql = "SELECT r.created_at FROM registrations r \
               JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
               WHERE ($1 IS NULL OR c.code = $1) AND r.created_at >= $2 AND r.created_at < $3";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(course).bind(start).bind(end).fetch_all(pool).await)
}

/// A class's seats and marked attendance.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OfferingFigures {
    pub id: i64,
    pub course_code: String,
    pub first_start: DateTime<Utc>,
    pub capacity: i64,
    pub seats_taken: i64,
    /// Attendance rows marked for its sessions.
    pub marked: i64,
    /// Of those: present, late, left early, or made up (see `domain::report::attended`).
    pub attended: i64,
}

/// Classes (not cancelled) whose first session starts in the range, in order of it.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn offerings(
    db: &Db,
    course: Option<&str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<OfferingFigures>, sqlx::Error> {
    let sql = "SELECT o.id, c.code AS course_code, MIN(m.starts_at) AS first_start, \
                  o.capacity, o.seats_taken, \
                  (SELECT COUNT(*) FROM attendance a JOIN meetings am ON am.id = a.meeting_id \
                    WHERE am.offering_id = o.id) AS marked, \
                  (SELECT COUNT(*) FROM attendance a JOIN meetings am ON am.id = a.meeting_id \
                    WHERE am.offering_id = o.id \
                      AND (a.made_up OR a.status IN ('present', 'late', 'left_early'))) AS attended \
               FROM offerings o JOIN courses c ON c.id = o.course_id \
               JOIN meetings m ON m.offering_id = o.id \
               WHERE o.status <> 'cancelled' AND ($1 IS NULL OR c.code = $1) \
               GROUP BY o.id, c.code, o.capacity, o.seats_taken \
               HAVING MIN(m.starts_at) >= $2 AND MIN(m.starts_at) < $3 \
               ORDER BY first_start, o.id";
    on_db!(db, pool => sqlx::query_as(sql).bind(course).bind(start).bind(end).fetch_all(pool).await)
}

/// A finished test: its course (code, title), when it finished, and whether it passed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Outcome {
    pub code: String,
    pub title: String,
    pub finished_at: DateTime<Utc>,
    pub passed: bool,
}

/// Attempts whose result is final and that finished in the range (those still waiting for
/// an instructor's grade have no result yet).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn test_outcomes(
    db: &Db,
    course: Option<&str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Outcome>, sqlx::Error> {
    let sql = "SELECT c.code, c.title, a.finished_at, COALESCE(a.passed, FALSE) AS passed \
               FROM attempts a JOIN courses c ON c.id = a.course_id \
               WHERE a.status = 'final' AND a.finished_at IS NOT NULL \
                 AND ($1 IS NULL OR c.code = $1) AND a.finished_at >= $2 AND a.finished_at < $3 \
               ORDER BY c.position, c.id, a.finished_at";
    on_db!(db, pool => sqlx::query_as(sql).bind(course).bind(start).bind(end).fetch_all(pool).await)
}

/// Every certificate's stored status and last valid day (the report counts them as they
/// stand today, whenever they were issued).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn certificate_states(
    db: &Db,
    course: Option<&str>,
) -> Result<Vec<(String, Option<NaiveDate>)>, sqlx::Error> {
    let sql = "SELECT ce.status, ce.expires_on FROM certificates ce \
               JOIN courses c ON c.id = ce.course_id WHERE ($1 IS NULL OR c.code = $1)";
    on_db!(db, pool => sqlx::query_as(sql).bind(course).fetch_all(pool).await)
}

/// When each renewal in the range happened. A certificate keeps only its latest renewal, so
/// they are read from the audit log, which keeps every one.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn renewals(
    db: &Db,
    course: Option<&str>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    let sql = "SELECT l.at FROM audit_log l \
               JOIN certificates ce ON ce.id = l.entity_id JOIN courses c ON c.id = ce.course_id \
               WHERE l.action = 'certificate.renewed' AND l.entity = 'certificate' \
                 AND ($1 IS NULL OR c.code = $1) AND l.at >= $2 AND l.at < $3";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(course).bind(start).bind(end).fetch_all(pool).await)
}
