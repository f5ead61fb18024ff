//! Reads for the instructor's dashboard, across every class one person teaches: the sessions
//! ahead with their roster counts, the hand grading waiting, and the classes under way; and
//! what a teacher reaches: the courses they teach, and whether a person is in their classes.

use super::{on_db, Db};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// A session still to run (or running) of a class the person teaches.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpcomingSession {
    pub meeting_id: i64,
    pub offering_id: i64,
    pub course_title: String,
    pub zone: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// 1-based place among the class's sessions.
    pub number: i64,
    pub sessions: i64,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub pending: i64,
}

/// The sessions of `user_id`'s classes that have not ended at `now`, soonest first.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn upcoming_sessions(
    db: &Db,
    user_id: i64,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<UpcomingSession>, sqlx::Error> {
    let sql = "SELECT m.id AS meeting_id, m.offering_id, c.title AS course_title, o.zone, m.starts_at, m.ends_at, \
               (SELECT COUNT(*) FROM meetings e WHERE e.offering_id = m.offering_id \
                  AND (e.starts_at < m.starts_at OR (e.starts_at = m.starts_at AND e.id <= m.id))) AS number, \
               (SELECT COUNT(*) FROM meetings e WHERE e.offering_id = m.offering_id) AS sessions, \
               o.capacity, \
               (SELECT COUNT(*) FROM registrations r WHERE r.offering_id = o.id AND r.status = 'confirmed') AS confirmed, \
               (SELECT COUNT(*) FROM registrations r WHERE r.offering_id = o.id AND r.status = 'waitlisted') AS waitlisted, \
               (SELECT COUNT(*) FROM registrations r WHERE r.offering_id = o.id AND r.status = 'pending_approval') AS pending \
               FROM meetings m \
               JOIN offerings o ON o.id = m.offering_id \
               JOIN courses c ON c.id = o.course_id \
               JOIN offering_instructors i ON i.offering_id = o.id \
               WHERE i.user_id = $1 AND o.status <> 'cancelled' AND m.ends_at > $2 \
               ORDER BY m.starts_at, m.id LIMIT $3";
    on_db!(db, pool => sqlx::query_as(sql).bind(user_id).bind(now).bind(limit).fetch_all(pool).await)
}

/// A class with answers waiting for a grade by hand.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GradingWaiting {
    pub offering_id: i64,
    pub course_title: String,
    pub zone: String,
    /// Items without a grade.
    pub items: i64,
    /// Finished attempts holding them.
    pub attempts: i64,
    /// When the longest-waiting of those attempts was finished.
    pub oldest: Option<DateTime<Utc>>,
}

/// Per class `user_id` teaches, the items of finished attempts that wait for a grade (the
/// ones the grading queue lists as not graded), longest-waiting class first.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn grading_waiting(db: &Db, user_id: i64) -> Result<Vec<GradingWaiting>, sqlx::Error> {
    let sql = "SELECT r.offering_id, c.title AS course_title, o.zone, COUNT(*) AS items, \
               COUNT(DISTINCT a.id) AS attempts, MIN(a.finished_at) AS oldest \
               FROM attempt_items it \
               JOIN attempts a ON a.id = it.attempt_id \
               JOIN registrations r ON r.id = a.registration_id \
               JOIN questions q ON q.id = it.question_id \
               JOIN offerings o ON o.id = r.offering_id \
               JOIN courses c ON c.id = o.course_id \
               JOIN offering_instructors i ON i.offering_id = o.id \
               WHERE i.user_id = $1 AND a.status <> 'in_progress' \
                 AND q.kind IN ('essay', 'short_answer') AND it.score_centi IS NULL \
               GROUP BY r.offering_id, c.title, o.zone \
               ORDER BY MIN(a.finished_at), r.offering_id";
    on_db!(db, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)
}

/// The classes `user_id` teaches whose first session has started by `now` and whose last
/// ended after `since`: the ones where someone can fall short of the test's rule.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn classes_under_way(
    db: &Db,
    user_id: i64,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT o.id FROM offerings o JOIN offering_instructors i ON i.offering_id = o.id \
               WHERE i.user_id = $1 AND o.status <> 'cancelled' \
               AND (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id) <= $2 \
               AND (SELECT MAX(m.ends_at) FROM meetings m WHERE m.offering_id = o.id) > $3 \
               ORDER BY (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id), o.id LIMIT 20";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(user_id).bind(now).bind(since).fetch_all(pool).await)
}

/// The courses `user_id` teaches: those with at least one class they are assigned to (what
/// `domain::teaching_scope` reaches with).
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn courses_taught(db: &Db, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT DISTINCT o.course_id FROM offerings o \
               JOIN offering_instructors i ON i.offering_id = o.id \
               WHERE i.user_id = $1 ORDER BY o.course_id";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(user_id).fetch_all(pool).await)
}

/// Whether `person_id` is registered (not cancelled, not rejected) in a class `instructor_id`
/// teaches: whose files that instructor may see.
#[instrument(skip_all, fields(db = db.backend(), instructor_id, person_id))]
pub async fn teaches_person(
    db: &Db,
    instructor_id: i64,
    person_id: i64,
) -> Result<bool, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM registrations r \
               JOIN offering_instructors i ON i.offering_id = r.offering_id \
               WHERE i.user_id = $1 AND r.user_id = $2 \
               AND r.status NOT IN ('cancelled', 'rejected')";
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(instructor_id).bind(person_id).fetch_one(pool).await)?;
    Ok(n > 0)
}
