//! Test attempts: started with their draw frozen, answers saved with a sequence number (an
//! older tab never overwrites a newer answer), finished once (by the person or at the
//! deadline) and scored in the same transaction.
//!
//! A save and a finish race safely: both begin with a conditional UPDATE of the attempt row
//! (`status = 'in_progress'`), which PostgreSQL's row lock and SQLite's `BEGIN IMMEDIATE`
//! serialise. A save that commits first is scored; one that comes after the finish is
//! refused and the person is told, so an acknowledged save is never lost.

use super::{certificate_issue::IssueCertificate, on_db, BeginWrite, Db};
use crate::domain::{
    attempt_rules::{AttemptStatus, SAVE_GRACE_SECONDS},
    exam_draw::DrawnItem,
    question::{key, OptionDraft, QuestionKind},
    scoring::{score, Response, Scored},
};
use chrono::{DateTime, Duration, Utc};
use tracing::instrument;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRecord {
    pub id: i64,
    pub registration_id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub number: i64,
    pub seed: i64,
    pub started_at: DateTime<Utc>,
    pub deadline_at: DateTime<Utc>,
    /// Read into its enum where the row is decoded: an unknown value is an error.
    pub status: AttemptStatus,
    pub finished_by: Option<String>,
    pub finished_at: Option<DateTime<Utc>>,
    pub last_seq: i64,
    pub score_centi: Option<i64>,
    pub max_centi: Option<i64>,
    pub passed: Option<bool>,
    /// The question last opened (from 0).
    pub current_position: i64,
}

// The status column is text on both databases; it decodes into the domain's enum or fails.
impl<DB: sqlx::Database> sqlx::Type<DB> for AttemptStatus
where
    str: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <str as sqlx::Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <str as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for AttemptStatus
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(
        value: <DB as sqlx::Database>::ValueRef<'r>,
    ) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
        AttemptStatus::parse(text)
            .ok_or_else(|| format!("attempts.status: unknown value {text:?}").into())
    }
}

const COLUMNS: &str = "id, registration_id, user_id, course_id, number, seed, started_at, deadline_at, status, finished_by, finished_at, last_seq, score_centi, max_centi, passed, current_position";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRecord {
    pub id: i64,
    pub position: i64,
    pub question_id: i64,
    pub option_order: String,
    pub response: Option<String>,
    pub flagged: bool,
    pub saved_at: Option<DateTime<Utc>>,
    pub score_centi: Option<i64>,
    /// A grader's feedback (hand-graded items).
    pub feedback: String,
}

/// The stored order options were shown in (written positions, in screen order).
fn parse_order(stored: &str) -> Vec<usize> {
    serde_json::from_str(stored).unwrap_or_default()
}

impl ItemRecord {
    pub fn order(&self) -> Vec<usize> {
        parse_order(&self.option_order)
    }

    pub fn response(&self) -> Option<Response> {
        self.response
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Another tab (or a double click) started one a moment ago.
    #[error("an attempt is already running")]
    AlreadyRunning,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Starts attempt number (previous + 1) with its draw frozen. Returns its id.
#[instrument(skip_all, fields(db = db.backend(), registration_id))]
#[allow(clippy::too_many_arguments)] // each is a fact fixed at the start
pub async fn start(
    db: &Db,
    registration_id: i64,
    user_id: i64,
    course_id: i64,
    seed: i64,
    started_at: DateTime<Utc>,
    deadline_at: DateTime<Utc>,
    items: &[DrawnItem],
) -> Result<i64, StartError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM attempts WHERE registration_id = $1")
            .bind(registration_id).fetch_one(&mut *tx).await?;
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO attempts (registration_id, user_id, course_id, number, seed, started_at, deadline_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(registration_id).bind(user_id).bind(course_id).bind(number).bind(seed).bind(started_at).bind(deadline_at)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if super::is_unique_violation(&e) => return Err(StartError::AlreadyRunning),
            Err(e) => return Err(e.into()),
        };
        // One statement for the whole draw: starts come in bursts (a class starting together)
        // and each holds the write lock while it inserts.
        if !items.is_empty() {
            let mut insert = sqlx::QueryBuilder::new("INSERT INTO attempt_items (attempt_id, position, question_id, option_order) ");
            insert.push_values(items.iter().enumerate(), |mut row, (i, item)| {
                let order = serde_json::to_string(&item.option_order).unwrap_or_else(|_| "[]".into());
                row.push_bind(id).push_bind(i64::try_from(i).unwrap_or(i64::MAX)).push_bind(item.question_id).push_bind(order);
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

/// An attempt, only if it belongs to `user_id` (anyone else: none, as if it did not exist).
pub async fn find_for_user(
    db: &Db,
    id: i64,
    user_id: i64,
) -> Result<Option<AttemptRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM attempts WHERE id = $1 AND user_id = $2");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).bind(user_id).fetch_optional(pool).await)
}

/// Any attempt, for staff (whose right to see it the caller has checked).
pub async fn find(db: &Db, id: i64) -> Result<Option<AttemptRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM attempts WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// The attempts of a registration, oldest first.
pub async fn for_registration(
    db: &Db,
    registration_id: i64,
) -> Result<Vec<AttemptRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM attempts WHERE registration_id = $1 ORDER BY number");
    on_db!(db, pool => sqlx::query_as(&sql).bind(registration_id).fetch_all(pool).await)
}

/// Remembers the question the person opened, for their return. Written only when it moved,
/// so that reloading a page costs no write.
pub async fn set_position(db: &Db, attempt_id: i64, position: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => sqlx::query("UPDATE attempts SET current_position = $1 WHERE id = $2 AND status = 'in_progress'")
        .bind(position).bind(attempt_id).execute(pool).await.map(|_| ()))
}

/// The attempt's items in test order.
pub async fn items(db: &Db, attempt_id: i64) -> Result<Vec<ItemRecord>, sqlx::Error> {
    let sql = "SELECT id, position, question_id, option_order, response, flagged, saved_at, score_centi, feedback FROM attempt_items WHERE attempt_id = $1 ORDER BY position";
    on_db!(db, pool => sqlx::query_as(sql).bind(attempt_id).fetch_all(pool).await)
}

/// What a save needs to know of the question at `position` of the caller's own attempt: its
/// type, the order its options were shown in, and how many options it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerSlot {
    pub kind: String,
    pub option_order: String,
    pub option_count: i64,
}

impl AnswerSlot {
    pub fn order(&self) -> Vec<usize> {
        parse_order(&self.option_order)
    }
}

/// The slot a save fills, in one indexed read (saves are the busiest request of a test day).
/// None when the attempt is not the user's or has no such position.
pub async fn answer_slot(
    db: &Db,
    attempt_id: i64,
    user_id: i64,
    position: i64,
) -> Result<Option<AnswerSlot>, sqlx::Error> {
    let sql = "SELECT q.kind, i.option_order, \
               (SELECT COUNT(*) FROM question_options o WHERE o.question_id = q.id) AS option_count \
               FROM attempts a \
               JOIN attempt_items i ON i.attempt_id = a.id AND i.position = $3 \
               JOIN questions q ON q.id = i.question_id \
               WHERE a.id = $1 AND a.user_id = $2";
    on_db!(db, pool => sqlx::query_as(sql).bind(attempt_id).bind(user_id).bind(position).fetch_optional(pool).await)
}

/// Why a save was not taken.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("finished")]
    Finished,
    #[error("too late")]
    TooLate,
    #[error("stale")]
    Stale,
    #[error("no such item")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Saves one answer (and its flag) as save number `seq`. Taken only while the attempt runs,
/// until its deadline plus the grace, and when `seq` is above every save taken before.
#[instrument(skip_all, fields(db = db.backend(), attempt_id, position, seq))]
#[allow(clippy::too_many_arguments)]
pub async fn save(
    db: &Db,
    attempt_id: i64,
    user_id: i64,
    position: i64,
    response: Option<&Response>,
    flagged: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), SaveError> {
    let response = response.and_then(|r| serde_json::to_string(r).ok());
    // Written together with the other saves waiting, in one transaction.
    super::save_together::save(
        db, attempt_id, user_id, position, response, flagged, seq, now,
    )
    .await
}

/// The outcome of finishing an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    pub score_centi: i64,
    pub max_centi: i64,
    /// None while essays or unmatched short answers wait for an instructor.
    pub passed: Option<bool>,
}

/// Finishes a running attempt (`by` is "submitted" or "deadline") and scores it with the
/// course's pass mark. None if it was not running (already finished: nothing changes).
#[instrument(skip_all, fields(db = db.backend(), attempt_id, by))]
pub async fn finish(
    db: &Db,
    attempt_id: i64,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Option<Finished>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let closed = sqlx::query("UPDATE attempts SET status = 'awaiting_grading', finished_by = $1, finished_at = $2 WHERE id = $3 AND status = 'in_progress'")
            .bind(by).bind(now).bind(attempt_id).execute(&mut *tx).await?.rows_affected();
        if closed == 0 {
            return Ok(None);
        }
        let items: Vec<(i64, i64, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT i.id, i.question_id, q.kind, q.points, i.response FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1 ORDER BY i.position",
        )
        .bind(attempt_id).fetch_all(&mut *tx).await?;
        // Every option of every question drawn, in one read: submissions crowd together at
        // a deadline, and this transaction holds the write lock.
        let option_rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT o.question_id, o.text, o.weight_percent, o.feedback FROM question_options o WHERE o.question_id IN (SELECT question_id FROM attempt_items WHERE attempt_id = $1) ORDER BY o.question_id, o.position",
        )
        .bind(attempt_id).fetch_all(&mut *tx).await?;
        let mut options_of: std::collections::HashMap<i64, Vec<OptionDraft>> = std::collections::HashMap::new();
        for (question_id, text, weight_percent, feedback) in option_rows {
            options_of.entry(question_id).or_default().push(OptionDraft { text, weight_percent, feedback });
        }
        let (mut total, mut max, mut pending) = (0_i64, 0_i64, false);
        let mut scores: Vec<(i64, Option<i64>)> = Vec::with_capacity(items.len());
        for (item_id, question_id, kind, points, response) in items {
            let options = options_of.get(&question_id).map(Vec::as_slice).unwrap_or_default();
            let kind: QuestionKind = kind.parse().unwrap_or(QuestionKind::Essay);
            let response: Option<Response> = response.as_deref().and_then(|r| serde_json::from_str(r).ok());
            max += points * 100;
            let scored = match score(&key(kind, options), points, response.as_ref()) {
                Scored::Points(p) => {
                    total += p;
                    Some(p)
                }
                Scored::NeedsGrading => {
                    pending = true;
                    None
                }
            };
            scores.push((item_id, scored));
        }
        if !scores.is_empty() {
            let mut update = sqlx::QueryBuilder::new("UPDATE attempt_items SET score_centi = CASE id");
            for (item_id, scored) in &scores {
                update.push(" WHEN ").push_bind(*item_id).push(" THEN CAST(").push_bind(*scored).push(" AS BIGINT)");
            }
            update.push(" END WHERE attempt_id = ").push_bind(attempt_id);
            update.build().execute(&mut *tx).await?;
        }
        let pass_percent: Option<i64> = sqlx::query_scalar("SELECT e.pass_percent FROM exams e JOIN attempts a ON a.course_id = e.course_id WHERE a.id = $1")
            .bind(attempt_id).fetch_optional(&mut *tx).await?;
        let pass_percent = pass_percent.unwrap_or(80);
        let passed = (!pending).then(|| max > 0 && total * 100 >= pass_percent * max);
        sqlx::query("UPDATE attempts SET status = $1, score_centi = $2, max_centi = $3, passed = $4 WHERE id = $5")
            .bind(if pending { "awaiting_grading" } else { "final" })
            .bind(total).bind(max).bind(passed).bind(attempt_id)
            .execute(&mut *tx).await?;
        if passed == Some(true) {
            // In the same transaction: the certificate exists exactly when the pass does.
            (*tx).issue_certificate(attempt_id, now).await?;
        }
        tx.commit().await?;
        Ok(Some(Finished { score_centi: total, max_centi: max, passed }))
    })
}

/// Running attempts whose deadline plus the grace has passed at `now`.
pub async fn overdue(db: &Db, now: DateTime<Utc>) -> Result<Vec<i64>, sqlx::Error> {
    let cutoff = now - Duration::seconds(SAVE_GRACE_SECONDS);
    on_db!(db, pool => sqlx::query_scalar("SELECT id FROM attempts WHERE status = 'in_progress' AND deadline_at < $1 ORDER BY id LIMIT 500").bind(cutoff).fetch_all(pool).await)
}

/// The latest deadline among this person's attempts in progress (the session must last
/// until then: `domain::session_lifetime`).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn open_deadline(db: &Db, user_id: i64) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT MAX(deadline_at) FROM attempts WHERE user_id = $1 AND status = 'in_progress'").bind(user_id).fetch_one(pool).await)
}
