//! The question bank: questions with their options, in versions. A draft is edited in place;
//! editing an active question saves a new version (same family) and retires the old one, so
//! attempts keep the version they drew. Every change is audited.

use super::{audit, on_db, BeginWrite, Db};
use crate::domain::{
    exam_draw::BankItem,
    question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
};
use chrono::{DateTime, Utc};
use tracing::instrument;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRecord {
    pub id: i64,
    pub course_id: i64,
    pub family_id: Option<i64>,
    pub version: i64,
    pub topic_id: Option<i64>,
    pub group_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub stem: String,
    pub points: i64,
    pub explanation: String,
    pub pin_order: bool,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

impl QuestionRecord {
    pub fn kind(&self) -> QuestionKind {
        self.kind.parse().unwrap_or(QuestionKind::Essay)
    }

    /// The question as written, with its options, for editing or export.
    pub fn draft(&self, options: &[OptionRecord]) -> QuestionDraft {
        QuestionDraft {
            topic_id: self.topic_id,
            group_id: self.group_id,
            kind: self.kind(),
            title: self.title.clone(),
            stem: self.stem.clone(),
            points: self.points,
            explanation: self.explanation.clone(),
            pin_order: self.pin_order,
            options: options.iter().map(OptionRecord::draft).collect(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OptionRecord {
    pub question_id: i64,
    pub position: i64,
    pub text: String,
    pub weight_percent: i64,
    pub feedback: String,
}

impl OptionRecord {
    pub fn draft(&self) -> OptionDraft {
        OptionDraft {
            text: self.text.clone(),
            weight_percent: self.weight_percent,
            feedback: self.feedback.clone(),
        }
    }
}

pub(super) const COLUMNS: &str = "id, course_id, family_id, version, topic_id, group_id, kind, title, stem, points, explanation, pin_order, status, created_at";

#[derive(Debug, thiserror::Error)]
pub enum ReviseError {
    #[error("no such question")]
    NotFound,
    /// A retired version is history; edit the current one.
    #[error("the question is retired")]
    Retired,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

macro_rules! insert_version {
    ($tx:expr, $course_id:expr, $family:expr, $version:expr, $q:expr, $status:expr, $actor:expr, $now:expr) => {{
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO questions (course_id, family_id, version, topic_id, group_id, kind, title, stem, points, explanation, pin_order, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind($course_id)
        .bind($family)
        .bind($version)
        .bind($q.topic_id)
        .bind($q.group_id)
        .bind($q.kind.as_str())
        .bind(&$q.title)
        .bind(&$q.stem)
        .bind($q.points)
        .bind(&$q.explanation)
        .bind($q.pin_order)
        .bind($status.as_str())
        .bind($actor)
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        if $family.is_none() {
            sqlx::query("UPDATE questions SET family_id = id WHERE id = $1").bind(id).execute(&mut *$tx).await?;
        }
        for (i, o) in $q.options.iter().enumerate() {
            sqlx::query("INSERT INTO question_options (question_id, position, text, weight_percent, feedback) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(i64::try_from(i).unwrap_or(i64::MAX))
                .bind(&o.text)
                .bind(o.weight_percent)
                .bind(&o.feedback)
                .execute(&mut *$tx)
                .await?;
        }
        id
    }};
}

pub(super) use insert_version;

/// Inserts a question's first version inside `$tx` and audits it; gives its id.
macro_rules! insert_new {
    ($tx:expr, $course_id:expr, $q:expr, $status:expr, $actor:expr, $now:expr) => {{
        let id = insert_version!(
            $tx,
            $course_id,
            None::<i64>,
            1_i64,
            $q,
            $status,
            $actor,
            $now
        );
        audit::record!(
            $tx,
            $actor,
            "question.created",
            "question",
            id,
            None::<String>,
            format!("{} · {}", $q.kind.as_str(), $status.as_str()),
            $now
        );
        id
    }};
}
pub(super) use insert_new;

/// Adds questions (already checked) to a course's bank in one transaction; returns their ids.
#[instrument(skip_all, fields(db = db.backend(), course_id, count = questions.len()))]
pub async fn insert(
    db: &Db,
    course_id: i64,
    questions: &[QuestionDraft],
    status: QuestionStatus,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut ids = Vec::new();
        for q in questions {
            ids.push(insert_new!(tx, course_id, q, status, actor, now));
        }
        tx.commit().await?;
        Ok(ids)
    })
}

/// Saves an edit. A draft changes in place (same id); an active question gets a new version
/// (returned) and the old one is retired. Returns the id that now holds the question.
#[instrument(skip_all, fields(db = db.backend(), question_id = id))]
pub async fn revise(
    db: &Db,
    id: i64,
    q: &QuestionDraft,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<i64, ReviseError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let sql = format!("SELECT {COLUMNS} FROM questions WHERE id = $1");
        let old: Option<QuestionRecord> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *tx).await?;
        let old = old.ok_or(ReviseError::NotFound)?;
        let new_id = match old.status.as_str() {
            "draft" => {
                sqlx::query("UPDATE questions SET topic_id = $1, group_id = $2, kind = $3, title = $4, stem = $5, points = $6, explanation = $7, pin_order = $8 WHERE id = $9")
                    .bind(q.topic_id).bind(q.group_id).bind(q.kind.as_str()).bind(&q.title).bind(&q.stem).bind(q.points).bind(&q.explanation).bind(q.pin_order).bind(id)
                    .execute(&mut *tx).await?;
                sqlx::query("DELETE FROM question_options WHERE question_id = $1").bind(id).execute(&mut *tx).await?;
                for (i, o) in q.options.iter().enumerate() {
                    sqlx::query("INSERT INTO question_options (question_id, position, text, weight_percent, feedback) VALUES ($1, $2, $3, $4, $5)")
                        .bind(id).bind(i64::try_from(i).unwrap_or(i64::MAX)).bind(&o.text).bind(o.weight_percent).bind(&o.feedback)
                        .execute(&mut *tx).await?;
                }
                audit::record!(tx, Some(actor), "question.edited", "question", id, Some(old.stem.clone()), q.stem.clone(), now);
                id
            }
            "active" => {
                // Only the current version is edited; a newer version means someone else did.
                let newer: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE family_id = $1 AND version > $2")
                    .bind(old.family_id.unwrap_or(id)).bind(old.version).fetch_one(&mut *tx).await?;
                if newer > 0 {
                    return Err(ReviseError::Retired);
                }
                sqlx::query("UPDATE questions SET status = 'retired' WHERE id = $1").bind(id).execute(&mut *tx).await?;
                let family = Some(old.family_id.unwrap_or(id));
                let new_id = insert_version!(tx, old.course_id, family, old.version + 1, q, QuestionStatus::Active, Some(actor), now);
                audit::record!(tx, Some(actor), "question.revised", "question", new_id, Some(format!("version {} (#{id})", old.version)), format!("version {}", old.version + 1), now);
                new_id
            }
            _ => return Err(ReviseError::Retired),
        };
        tx.commit().await?;
        Ok(new_id)
    })
}

/// Activates, retires or returns a question to draft (audited). False if it does not exist.
pub async fn set_status(
    db: &Db,
    id: i64,
    status: QuestionStatus,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let before: Option<String> = sqlx::query_scalar("SELECT status FROM questions WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some(before) = before else { return Ok(false) };
        sqlx::query("UPDATE questions SET status = $1 WHERE id = $2").bind(status.as_str()).bind(id).execute(&mut *tx).await?;
        audit::record!(tx, Some(actor), "question.status", "question", id, Some(before), status.as_str(), now);
        tx.commit().await?;
        Ok(true)
    })
}

/// One question version with its options in written order.
pub async fn find(
    db: &Db,
    id: i64,
) -> Result<Option<(QuestionRecord, Vec<OptionRecord>)>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM questions WHERE id = $1");
    on_db!(db, pool => {
        let q: Option<QuestionRecord> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
        let Some(q) = q else { return Ok(None) };
        let options = sqlx::query_as("SELECT question_id, position, text, weight_percent, feedback FROM question_options WHERE question_id = $1 ORDER BY position")
            .bind(id).fetch_all(pool).await?;
        Ok(Some((q, options)))
    })
}

/// A course's questions (current versions: drafts and active ones, and retired ones whose
/// family has no newer version), by topic then id.
pub async fn list(db: &Db, course_id: i64) -> Result<Vec<QuestionRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM questions q WHERE course_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM questions n WHERE n.family_id = q.family_id AND n.version > q.version) \
         ORDER BY topic_id, id LIMIT 5000"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(course_id).fetch_all(pool).await)
}

/// id, topic, group, pinned order, number of options, kind.
#[derive(sqlx::FromRow)]
struct BankRow(i64, Option<i64>, Option<i64>, bool, i64, String);

/// The active questions of a course as the draw needs them, in written order: by family (a
/// new version keeps its question's place, in a scenario group too), a stable order.
pub async fn active_bank(db: &Db, course_id: i64) -> Result<Vec<BankItem>, sqlx::Error> {
    let sql = "SELECT q.id, q.topic_id, q.group_id, q.pin_order, (SELECT COUNT(*) FROM question_options o WHERE o.question_id = q.id) AS options, q.kind \
               FROM questions q LEFT JOIN scenario_groups g ON g.id = q.group_id \
               WHERE q.course_id = $1 AND q.status = 'active' AND (q.group_id IS NULL OR g.status = 'active') ORDER BY q.family_id, q.id";
    let rows: Vec<BankRow> =
        on_db!(db, pool => sqlx::query_as(sql).bind(course_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|BankRow(id, topic, group, pin, options, kind)| BankItem {
            question_id: id,
            topic_id: topic.unwrap_or(0),
            group_id: group,
            option_count: if kind
                .parse::<QuestionKind>()
                .is_ok_and(QuestionKind::has_choices)
            {
                usize::try_from(options).unwrap_or(0)
            } else {
                0
            },
            pin_order: pin,
        })
        .collect())
}

/// A course's active multiple-answer questions with their options in written order, for the
/// check made when its test is published (their keys may predate the rule against gaming).
pub async fn active_multiple(
    db: &Db,
    course_id: i64,
) -> Result<Vec<(QuestionRecord, Vec<OptionRecord>)>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM questions WHERE course_id = $1 AND status = 'active' AND kind = 'multiple' ORDER BY id");
    let options_sql = "SELECT o.question_id, o.position, o.text, o.weight_percent, o.feedback FROM question_options o \
                       JOIN questions q ON q.id = o.question_id \
                       WHERE q.course_id = $1 AND q.status = 'active' AND q.kind = 'multiple' ORDER BY o.question_id, o.position";
    let (questions, options): (Vec<QuestionRecord>, Vec<OptionRecord>) = on_db!(db, pool => {
        let questions = sqlx::query_as(&sql).bind(course_id).fetch_all(pool).await?;
        let options = sqlx::query_as(options_sql).bind(course_id).fetch_all(pool).await?;
        (questions, options)
    });
    Ok(questions
        .into_iter()
        .map(|q| {
            let own = options
                .iter()
                .filter(|o| o.question_id == q.id)
                .cloned()
                .collect();
            (q, own)
        })
        .collect())
}

/// How many questions (any status, any version) a course has.
pub async fn count(db: &Db, course_id: i64) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE course_id = $1").bind(course_id).fetch_one(pool).await)
}
