//! Correcting the key of a question version in place and regrading the finished attempts
//! that drew it (see `domain::regrade` for the rules).
//!
//! [`load`] reads what the preview needs; [`apply`] reads the same inputs again inside one
//! write transaction, computes the plan with the same function, refuses if it is not the plan
//! the preview showed, and writes exactly it: the new weights, each changed item and
//! attempt, and an audit entry for the key and for each attempt.

use super::{
    audit,
    certificate_issue::IssueCertificate,
    certificate_revoke::{RevokeCertificate, REGRADE_REASON},
    on_db,
    questions::{OptionRecord, QuestionRecord},
    BeginWrite, Db,
};
use crate::domain::{
    grading::attempt_code,
    question::key,
    regrade::{correct, plan, Change, Drawn, Plan},
    scoring::Response,
};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use tracing::instrument;

/// A question version and the attempts that drew it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub question: QuestionRecord,
    pub options: Vec<OptionRecord>,
    pub pass_percent: i64,
    /// Finished attempts, each labelled with its anonymous code.
    pub drawn: Vec<Drawn>,
    /// The names of the people whose attempts these are, by attempt id (for administrators).
    pub names: BTreeMap<i64, String>,
    /// Attempts still running: scored with the key in place when they finish.
    pub in_progress: i64,
}

impl Loaded {
    /// The plan of correcting the key to `weights`, or why the correction is refused.
    pub fn plan(&self, weights: &[i64]) -> Result<Plan, String> {
        let corrected = correct(&self.question.draft(&self.options), weights)?;
        Ok(plan(
            &key(corrected.kind, &corrected.options),
            corrected.points,
            weights,
            &self.drawn,
        ))
    }
}

/// item id, attempt id, item score, response, graded by hand at, seed, attempt score, max,
/// passed, person's name.
type DrawnRow = (
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<DateTime<Utc>>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<bool>,
    String,
);

/// Reads a version and the attempts that drew it through `$tx`; evaluates to
/// `Option<Loaded>` (None: no such question).
macro_rules! load_in {
    ($tx:expr, $question_id:expr) => {{
        let question: Option<QuestionRecord> = sqlx::query_as(&format!("SELECT {} FROM questions WHERE id = $1", super::questions::COLUMNS))
            .bind($question_id).fetch_optional(&mut *$tx).await?;
        match question {
            None => None,
            Some(question) => {
                let options: Vec<OptionRecord> = sqlx::query_as("SELECT question_id, position, text, weight_percent, feedback FROM question_options WHERE question_id = $1 ORDER BY position")
                    .bind($question_id).fetch_all(&mut *$tx).await?;
                let pass_percent: Option<i64> = sqlx::query_scalar("SELECT pass_percent FROM exams WHERE course_id = $1")
                    .bind(question.course_id).fetch_optional(&mut *$tx).await?;
                let rows: Vec<DrawnRow> = sqlx::query_as(
                    "SELECT i.id, i.attempt_id, i.score_centi, i.response, i.graded_at, a.seed, a.score_centi, a.max_centi, a.passed, u.name \
                     FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id JOIN users u ON u.id = a.user_id \
                     WHERE i.question_id = $1 AND a.status <> 'in_progress' ORDER BY a.id",
                )
                .bind($question_id).fetch_all(&mut *$tx).await?;
                let others: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
                    "SELECT i.attempt_id, i.id, i.score_centi FROM attempt_items i \
                     WHERE i.attempt_id IN (SELECT o.attempt_id FROM attempt_items o JOIN attempts a ON a.id = o.attempt_id WHERE o.question_id = $1 AND a.status <> 'in_progress') \
                     ORDER BY i.attempt_id, i.position",
                )
                .bind($question_id).fetch_all(&mut *$tx).await?;
                let in_progress: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id WHERE i.question_id = $1 AND a.status = 'in_progress'")
                    .bind($question_id).fetch_one(&mut *$tx).await?;
                Some(assemble(question, options, pass_percent.unwrap_or(80), rows, &others, in_progress))
            }
        }
    }};
}

fn assemble(
    question: QuestionRecord,
    options: Vec<OptionRecord>,
    pass_percent: i64,
    rows: Vec<DrawnRow>,
    others: &[(i64, i64, Option<i64>)],
    in_progress: i64,
) -> Loaded {
    let mut names = BTreeMap::new();
    let drawn = rows
        .into_iter()
        .map(
            |(
                item_id,
                attempt_id,
                item_score,
                response,
                graded_at,
                seed,
                score,
                max,
                passed,
                name,
            )| {
                names.insert(attempt_id, name);
                Drawn {
                    attempt_id,
                    label: attempt_code(seed),
                    item_id,
                    item_score,
                    response: response
                        .as_deref()
                        .and_then(|r| serde_json::from_str::<Response>(r).ok()),
                    hand_graded: graded_at.is_some(),
                    other_scores: others
                        .iter()
                        .filter(|(a, i, _)| *a == attempt_id && *i != item_id)
                        .map(|(_, _, s)| *s)
                        .collect(),
                    max_centi: max.unwrap_or(0),
                    pass_percent,
                    recorded_score: score.unwrap_or(0),
                    recorded_passed: passed,
                }
            },
        )
        .collect();
    Loaded {
        question,
        options,
        pass_percent,
        drawn,
        names,
        in_progress,
    }
}

/// A question version and the finished attempts that drew it; None if there is no such
/// question.
#[instrument(skip_all, fields(db = db.backend(), question_id))]
pub async fn load(db: &Db, question_id: i64) -> Result<Option<Loaded>, sqlx::Error> {
    on_db!(db, pool => {
        // One transaction, so that the items and the attempts are read together.
        let mut tx = pool.begin().await?;
        let loaded = load_in!(tx, question_id);
        tx.commit().await?;
        Ok(loaded)
    })
}

/// Why a correction was not applied (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("no such question")]
    NotFound,
    /// The corrected key is not a valid key: the message is for the weights.
    #[error("{0}")]
    Invalid(String),
    /// The plan is not the one previewed: an attempt was finished or graded since.
    #[error("the attempts changed since the preview")]
    Changed,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The before or after of one regraded attempt, for the audit log.
fn attempt_json(question_id: i64, c: &Change, after: bool) -> String {
    let (item, score, passed) = if after {
        (Some(c.new_item), c.new_score, c.new_passed)
    } else {
        (c.old_item, c.old_score, c.old_passed)
    };
    serde_json::json!({
        "question_id": question_id,
        "item_id": c.item_id,
        "item_score_centi": item,
        "score_centi": score,
        "max_centi": c.max_centi,
        "passed": passed,
    })
    .to_string()
}

/// Corrects version `question_id`'s key to `weights` and regrades the attempts that drew
/// it, in one write transaction, if the plan is still the one whose fingerprint is
/// `expected`. Returns the plan written.
#[instrument(skip_all, fields(db = db.backend(), question_id))]
pub async fn apply(
    db: &Db,
    question_id: i64,
    weights: &[i64],
    expected: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Plan, ApplyError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        // Take the question's row, then the rows of the items of the attempts that drew it,
        // then those attempts: the order grading takes an item and its attempt, so that a
        // grade given meanwhile waits for this regrade or is read by it, and never deadlocks
        // with it (PostgreSQL row locks; SQLite's BEGIN IMMEDIATE already holds the database).
        let found = sqlx::query("UPDATE questions SET status = status WHERE id = $1")
            .bind(question_id).execute(&mut *tx).await?.rows_affected();
        if found == 0 {
            return Err(ApplyError::NotFound);
        }
        sqlx::query("UPDATE attempt_items SET score_centi = score_centi WHERE attempt_id IN \
                     (SELECT o.attempt_id FROM attempt_items o JOIN attempts a ON a.id = o.attempt_id WHERE o.question_id = $1 AND a.status <> 'in_progress')")
            .bind(question_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE attempts SET status = status WHERE status <> 'in_progress' AND id IN (SELECT attempt_id FROM attempt_items WHERE question_id = $1)")
            .bind(question_id).execute(&mut *tx).await?;
        let loaded = load_in!(tx, question_id).ok_or(ApplyError::NotFound)?;
        let plan = loaded.plan(weights).map_err(ApplyError::Invalid)?;
        if plan.fingerprint() != expected {
            return Err(ApplyError::Changed);
        }
        for (position, weight) in weights.iter().enumerate() {
            sqlx::query("UPDATE question_options SET weight_percent = $1 WHERE question_id = $2 AND position = $3")
                .bind(weight).bind(question_id).bind(i64::try_from(position).unwrap_or(i64::MAX))
                .execute(&mut *tx).await?;
        }
        for c in &plan.changes {
            let item = sqlx::query("UPDATE attempt_items SET score_centi = $1 WHERE id = $2 AND graded_at IS NULL")
                .bind(c.new_item).bind(c.item_id).execute(&mut *tx).await?.rows_affected();
            let attempt = sqlx::query("UPDATE attempts SET score_centi = $1, passed = $2 WHERE id = $3 AND status <> 'in_progress'")
                .bind(c.new_score).bind(c.new_passed).bind(c.attempt_id).execute(&mut *tx).await?.rows_affected();
            if item != 1 || attempt != 1 {
                return Err(ApplyError::Changed);
            }
            audit::record!(tx, Some(actor), "attempt.regraded", "attempt", c.attempt_id,
                Some(attempt_json(question_id, c, false)), attempt_json(question_id, c, true), now);
            // A corrected key that turns a fail into a pass issues the certificate (a final
            // attempt only; one awaiting grading gets it from its last grade); one that turns
            // a pass into a fail revokes the certificate that pass earned.
            if c.new_passed == Some(false) {
                (*tx).revoke_for_attempt(c.attempt_id, REGRADE_REASON, Some(actor), now).await?;
            } else {
                (*tx).issue_certificate(c.attempt_id, now).await?;
            }
        }
        let before: Vec<i64> = loaded.options.iter().map(|o| o.weight_percent).collect();
        audit::record!(tx, Some(actor), "question.key_corrected", "question", question_id,
            Some(serde_json::json!({ "weights": before }).to_string()),
            serde_json::json!({ "weights": weights, "attempts_regraded": plan.changes.len() }).to_string(), now);
        tx.commit().await?;
        Ok(plan)
    })
}
