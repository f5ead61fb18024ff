//! Grading by hand: the queue of items a machine could not score (essays, short answers that
//! matched no accepted answer), a grade and its audit, and the attempt's result recomputed
//! in the same transaction. When the last item of an attempt is graded, the attendee's
//! "result ready" message is stored with it.

use super::{
    audit::record, certificate_issue::IssueCertificate, on_db, outbox::Enqueue, outbox::NewMessage,
    BeginWrite, Db,
};
use crate::domain::grading::{outcome, Outcome};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// One item in an offering's grading queue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub item_id: i64,
    pub attempt_id: i64,
    pub seed: i64,
    pub position: i64,
    pub question_title: String,
    pub kind: String,
    pub points: i64,
    pub score_centi: Option<i64>,
    pub graded_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub person: String,
}

/// Essay and short-answer items of an offering's finished attempts that wait for a grade or
/// were graded by hand, oldest attempt first. Short answers the key scored are not listed.
pub async fn queue(db: &Db, offering_id: i64) -> Result<Vec<QueueRow>, sqlx::Error> {
    let sql = "SELECT i.id AS item_id, i.attempt_id, a.seed, i.position, q.title AS question_title, q.kind, q.points, \
                      i.score_centi, i.graded_at, a.finished_at, u.name AS person \
               FROM attempt_items i \
               JOIN attempts a ON a.id = i.attempt_id \
               JOIN registrations r ON r.id = a.registration_id \
               JOIN questions q ON q.id = i.question_id \
               JOIN users u ON u.id = a.user_id \
               WHERE r.offering_id = $1 AND a.status <> 'in_progress' \
                 AND q.kind IN ('essay', 'short_answer') \
                 AND (i.score_centi IS NULL OR i.graded_at IS NOT NULL) \
               ORDER BY a.finished_at, a.id, i.position";
    on_db!(db, pool => sqlx::query_as(sql).bind(offering_id).fetch_all(pool).await)
}

/// One item as a grader sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GradeItemRow {
    pub item_id: i64,
    pub attempt_id: i64,
    pub attempt_status: String,
    pub seed: i64,
    pub position: i64,
    pub question_id: i64,
    pub offering_id: i64,
    pub response: Option<String>,
    pub score_centi: Option<i64>,
    pub feedback: String,
    pub graded_at: Option<DateTime<Utc>>,
    pub person: String,
}

pub async fn item(db: &Db, item_id: i64) -> Result<Option<GradeItemRow>, sqlx::Error> {
    let sql = "SELECT i.id AS item_id, i.attempt_id, a.status AS attempt_status, a.seed, i.position, i.question_id, \
                      r.offering_id, i.response, i.score_centi, i.feedback, i.graded_at, u.name AS person \
               FROM attempt_items i \
               JOIN attempts a ON a.id = i.attempt_id \
               JOIN registrations r ON r.id = a.registration_id \
               JOIN users u ON u.id = a.user_id \
               WHERE i.id = $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(item_id).fetch_optional(pool).await)
}

/// The offering an attempt belongs to (for permission checks).
pub async fn attempt_offering(db: &Db, attempt_id: i64) -> Result<Option<i64>, sqlx::Error> {
    let sql = "SELECT r.offering_id FROM attempts a JOIN registrations r ON r.id = a.registration_id WHERE a.id = $1";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(attempt_id).fetch_optional(pool).await)
}

/// Every save of an attempt, in order: (sequence, position, when).
pub async fn saves(
    db: &Db,
    attempt_id: i64,
) -> Result<Vec<(i64, i64, DateTime<Utc>)>, sqlx::Error> {
    let sql =
        "SELECT seq, position, saved_at FROM attempt_saves WHERE attempt_id = $1 ORDER BY seq";
    on_db!(db, pool => sqlx::query_as(sql).bind(attempt_id).fetch_all(pool).await)
}

/// A grade to store.
#[derive(Debug, Clone)]
pub struct Grade<'a> {
    pub item_id: i64,
    pub actor_id: i64,
    pub score_centi: i64,
    pub feedback: &'a str,
    /// Required (by the caller) when the item was graded before.
    pub reason: &'a str,
}

/// An item as a grade finds it: attempt, attempt status, score, feedback, graded at.
type ItemState = (i64, String, Option<i64>, String, Option<DateTime<Utc>>);

/// What grading did to the attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graded {
    pub before: Outcome,
    pub after: Outcome,
}

/// Why a grade was not stored.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    #[error("no such item")]
    NotFound,
    /// The attempt is still running: nothing to grade yet.
    #[error("attempt still running")]
    Running,
    /// The item was graded meanwhile (or before) and no reason was given.
    #[error("reason needed")]
    ReasonNeeded,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The message to store when grading finishes an attempt: (subject, body) for (name, course).
pub type ResultMail = Box<dyn Fn(&str, &str) -> Option<(String, String)> + Send + Sync>;

/// Stores a grade, audits it (before and after, with the reason of a change), recomputes the
/// attempt's result, and when that result became final, stores `mail(name, course)`'s message
/// to the attendee, all in one transaction.
#[instrument(skip_all, fields(db = db.backend(), item_id = grade.item_id))]
pub async fn grade(
    db: &Db,
    grade: &Grade<'_>,
    mail: &ResultMail,
    now: DateTime<Utc>,
) -> Result<Graded, GradeError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<ItemState> = sqlx::query_as(
            "SELECT i.attempt_id, a.status, i.score_centi, i.feedback, i.graded_at FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id WHERE i.id = $1",
        )
        .bind(grade.item_id).fetch_optional(&mut *tx).await?;
        let Some((attempt_id, status, old_score, old_feedback, graded_at)) = row else {
            return Err(GradeError::NotFound);
        };
        if status == "in_progress" {
            return Err(GradeError::Running);
        }
        // Checked again here: a second grader may have graded it since the page was shown.
        if graded_at.is_some() && grade.reason.trim().is_empty() {
            return Err(GradeError::ReasonNeeded);
        }
        let before = (*tx).outcome_of(attempt_id).await?;
        sqlx::query("UPDATE attempt_items SET score_centi = $1, feedback = $2, graded_by = $3, graded_at = $4 WHERE id = $5")
            .bind(grade.score_centi).bind(grade.feedback).bind(grade.actor_id).bind(now).bind(grade.item_id)
            .execute(&mut *tx).await?;
        let after = (*tx).outcome_of(attempt_id).await?;
        let (status, score, max, passed) = match after {
            Outcome::AwaitingGrading => ("awaiting_grading", None, None, None),
            Outcome::Final { score_centi, max_centi, passed } => ("final", Some(score_centi), Some(max_centi), Some(passed)),
        };
        sqlx::query("UPDATE attempts SET status = $1, score_centi = COALESCE($2, score_centi), max_centi = COALESCE($3, max_centi), passed = $4, \
                     graded_at = CASE WHEN $1 = 'final' THEN $5 ELSE graded_at END WHERE id = $6")
            .bind(status).bind(score).bind(max).bind(passed).bind(now).bind(attempt_id)
            .execute(&mut *tx).await?;
        if matches!(after, Outcome::Final { passed: true, .. }) {
            // The last grade made it a pass: the certificate comes with it.
            (*tx).issue_certificate(attempt_id, now).await?;
        }
        let before_json = serde_json::json!({ "score_centi": old_score, "feedback": old_feedback }).to_string();
        let after_json = serde_json::json!({
            "score_centi": grade.score_centi,
            "feedback": grade.feedback,
            "reason": grade.reason.trim(),
            "attempt": outcome_json(&after),
        }).to_string();
        let action = if graded_at.is_some() { "change_grade" } else { "grade" };
        record!(tx, grade.actor_id, action, "attempt_item", grade.item_id, before_json, after_json, now);
        if before == Outcome::AwaitingGrading && after != Outcome::AwaitingGrading {
            let who: Option<(String, String, String)> = sqlx::query_as(
                "SELECT u.email, u.name, c.title FROM attempts a JOIN users u ON u.id = a.user_id JOIN courses c ON c.id = a.course_id WHERE a.id = $1",
            )
            .bind(attempt_id).fetch_optional(&mut *tx).await?;
            if let Some((email, name, course)) = who {
                if let Some((subject, body)) = mail(&name, &course) {
                    tx.enqueue(&NewMessage {
                        to: &email,
                        subject: &subject,
                        body_text: &body,
                        attachments: &[],
                        kind: crate::domain::grading::KIND_RESULT_READY,
                        secret_link: None,
                    }, now).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Graded { before, after })
    })
}

fn outcome_json(o: &Outcome) -> serde_json::Value {
    match o {
        Outcome::AwaitingGrading => serde_json::json!({ "status": "awaiting_grading" }),
        Outcome::Final {
            score_centi,
            max_centi,
            passed,
        } => {
            serde_json::json!({ "status": "final", "score_centi": score_centi, "max_centi": max_centi, "passed": passed })
        }
    }
}

/// The result the attempt's item scores give now, with the course's pass mark.
macro_rules! attempt_outcome_body {
    ($tx:expr, $attempt_id:expr) => {{
        let scores: Vec<(Option<i64>, i64)> = sqlx::query_as(
            "SELECT i.score_centi, q.points FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1",
        )
        .bind($attempt_id).fetch_all(&mut *$tx).await?;
        let pass_percent: Option<i64> = sqlx::query_scalar(
            "SELECT e.pass_percent FROM exams e JOIN attempts a ON a.course_id = e.course_id WHERE a.id = $1",
        )
        .bind($attempt_id).fetch_optional(&mut *$tx).await?;
        let max: i64 = scores.iter().map(|(_, points)| points * 100).sum();
        let items: Vec<Option<i64>> = scores.into_iter().map(|(s, _)| s).collect();
        Ok(outcome(&items, max, pass_percent.unwrap_or(80)))
    }};
}

/// The outcome query on either database's connection.
pub trait OutcomeQueries {
    fn outcome_of(
        &mut self,
        attempt_id: i64,
    ) -> impl std::future::Future<Output = Result<Outcome, sqlx::Error>> + Send;
}

impl OutcomeQueries for sqlx::SqliteConnection {
    async fn outcome_of(&mut self, attempt_id: i64) -> Result<Outcome, sqlx::Error> {
        let tx = self;
        attempt_outcome_body!(tx, attempt_id)
    }
}

impl OutcomeQueries for sqlx::PgConnection {
    async fn outcome_of(&mut self, attempt_id: i64) -> Result<Outcome, sqlx::Error> {
        let tx = self;
        attempt_outcome_body!(tx, attempt_id)
    }
}
