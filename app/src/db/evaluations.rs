//! Course evaluations: the facts that decide whether a person may evaluate, sending one
//! (once: a unique key), the classes waiting for the person's evaluation, and (in the
//! submodules) the results, testimonials and invitations. The rules are in
//! `domain::evaluation`.

mod invitations;
mod results;

pub use invitations::send_invitations;
pub use results::{
    class_lines, comments, ratings, set_published, testimonials, ClassLine, CommentRow, Published,
    Scope,
};

use super::{on_db, Db};
use crate::domain::evaluation::{Answers, Seat};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// One registration with what an evaluation of it needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvaluationContext {
    pub registration_id: i64,
    pub user_id: i64,
    /// The registration's status ("confirmed", "cancelled", ...).
    pub status: String,
    pub offering_id: i64,
    pub offering_status: String,
    pub zone: String,
    pub course_code: String,
    pub course_title: String,
    pub first_starts_at: Option<DateTime<Utc>>,
    pub last_ends_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl EvaluationContext {
    /// The facts `domain::evaluation::may_evaluate` decides on.
    pub fn seat(&self) -> Seat {
        Seat {
            confirmed: self.status == "confirmed",
            class_cancelled: self.offering_status == "cancelled",
            ends_at: self.last_ends_at,
            sent_at: self.submitted_at,
        }
    }
}

/// The registration `registration_id` with its class and evaluation, if it exists.
#[instrument(skip_all, fields(db = db.backend(), registration_id))]
pub async fn context(
    db: &Db,
    registration_id: i64,
) -> Result<Option<EvaluationContext>, sqlx::Error> {
    let sql = "SELECT r.id AS registration_id, r.user_id, r.status, o.id AS offering_id, o.status AS offering_status, o.zone, \
               c.code AS course_code, c.title AS course_title, \
               (SELECT MIN(m.starts_at) FROM meetings m WHERE m.offering_id = o.id) AS first_starts_at, \
               (SELECT MAX(m.ends_at) FROM meetings m WHERE m.offering_id = o.id) AS last_ends_at, \
               (SELECT v.submitted_at FROM evaluations v WHERE v.registration_id = r.id) AS submitted_at \
               FROM registrations r JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
               WHERE r.id = $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(registration_id).fetch_optional(pool).await)
}

/// What became of a sent evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Saved,
    /// One was there already (another tab, a double click), sent at this moment.
    AlreadySent(DateTime<Utc>),
}

/// Stores the evaluation of `registration_id` (in `offering_id`). A second one for the same
/// registration, even sent at the same instant, is not stored: the unique key decides, and
/// the first one's time is returned.
#[instrument(skip_all, fields(db = db.backend(), registration_id))]
pub async fn insert(
    db: &Db,
    registration_id: i64,
    offering_id: i64,
    answers: &Answers,
    attribution: &str,
    now: DateTime<Utc>,
) -> Result<Sent, sqlx::Error> {
    let [content, presenters, balance, relevance, overall] = answers.ratings.map(i64::from);
    let sql = "INSERT INTO evaluations (registration_id, offering_id, content, presenters, balance, relevance, overall, comment, consent, attribution, submitted_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (registration_id) DO NOTHING";
    let stored = on_db!(db, pool => sqlx::query(sql)
        .bind(registration_id).bind(offering_id)
        .bind(content).bind(presenters).bind(balance).bind(relevance).bind(overall)
        .bind(&answers.comment).bind(answers.consent).bind(attribution).bind(now)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    if stored == 1 {
        return Ok(Sent::Saved);
    }
    let first: DateTime<Utc> = on_db!(db, pool => sqlx::query_scalar("SELECT submitted_at FROM evaluations WHERE registration_id = $1")
        .bind(registration_id).fetch_one(pool).await)?;
    Ok(Sent::AlreadySent(first))
}

/// A class waiting for its attendee's evaluation: (registration, course title, end of the
/// last session).
pub type Waiting = (i64, String, DateTime<Utc>);

/// `user_id`'s confirmed seats in classes that ended after `since` (and by `now`) and that
/// they have not evaluated, most recent first.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn waiting_for(
    db: &Db,
    user_id: i64,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Waiting>, sqlx::Error> {
    let sql = "SELECT r.id, c.title, MAX(m.ends_at) AS ends_at \
               FROM registrations r JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
               JOIN meetings m ON m.offering_id = o.id \
               WHERE r.user_id = $1 AND r.status = 'confirmed' AND o.status <> 'cancelled' \
               AND NOT EXISTS (SELECT 1 FROM evaluations v WHERE v.registration_id = r.id) \
               GROUP BY r.id, c.title HAVING MAX(m.ends_at) <= $2 AND MAX(m.ends_at) > $3 \
               ORDER BY MAX(m.ends_at) DESC, r.id DESC LIMIT 20";
    on_db!(db, pool => sqlx::query_as(sql).bind(user_id).bind(now).bind(since).fetch_all(pool).await)
}
