//! Scenario groups of a course's bank: a case vignette whose questions are drawn together.
//! Titles are unique per course (case aside). Every change is audited. A question joins a
//! group through its own edit (`questions::revise`), so that an active question moving in or
//! out of a group becomes a new version and attempts keep what they drew.

use super::{
    audit, is_unique_violation, on_db,
    questions::{insert_new, insert_version},
    BeginWrite, Db,
};
use crate::domain::{
    question::{QuestionDraft, QuestionStatus},
    question_import::BankImport,
    scenario::ScenarioDraft,
};
use chrono::{DateTime, Utc};
use tracing::instrument;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GroupRecord {
    pub id: i64,
    pub course_id: i64,
    pub title: String,
    pub vignette: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl GroupRecord {
    pub fn draft(&self) -> ScenarioDraft {
        ScenarioDraft {
            title: self.title.clone(),
            vignette: self.vignette.clone(),
        }
    }
}

const COLUMNS: &str = "id, course_id, title, vignette, status, created_at, updated_at";

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error("no such scenario group")]
    NotFound,
    /// Another group of the course has this title; carries the title.
    #[error("a scenario group is already called {0:?}")]
    DuplicateTitle(String),
    #[error(transparent)]
    Db(sqlx::Error),
}

impl GroupError {
    fn from_db(e: sqlx::Error, title: &str) -> Self {
        if is_unique_violation(&e) {
            GroupError::DuplicateTitle(title.to_owned())
        } else {
            GroupError::Db(e)
        }
    }
}

impl From<sqlx::Error> for GroupError {
    fn from(e: sqlx::Error) -> Self {
        GroupError::Db(e)
    }
}

macro_rules! insert_group {
    ($tx:expr, $course_id:expr, $g:expr, $status:expr, $actor:expr, $now:expr) => {{
        let title = $g.title.trim();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scenario_groups (course_id, title, vignette, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind($course_id)
        .bind(title)
        .bind($g.vignette.trim())
        .bind($status.as_str())
        .bind($now)
        .fetch_one(&mut *$tx)
        .await
        .map_err(|e| GroupError::from_db(e, title))?;
        audit::record!($tx, $actor, "scenario.created", "scenario_group", id, None::<String>, format!("{title} · {}", $status.as_str()), $now);
        id
    }};
}

/// Adds a group to a course's bank (checked already); returns its id.
#[instrument(skip_all, fields(db = db.backend(), course_id))]
pub async fn create(
    db: &Db,
    course_id: i64,
    group: &ScenarioDraft,
    status: QuestionStatus,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<i64, GroupError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id = insert_group!(tx, course_id, group, status, Some(actor), now);
        tx.commit().await?;
        Ok(id)
    })
}

/// Changes a group's title, vignette and status (audited, with the values before).
#[instrument(skip_all, fields(db = db.backend(), group_id = id))]
pub async fn update(
    db: &Db,
    id: i64,
    group: &ScenarioDraft,
    status: QuestionStatus,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), GroupError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let sql = format!("SELECT {COLUMNS} FROM scenario_groups WHERE id = $1");
        let old: Option<GroupRecord> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *tx).await?;
        let old = old.ok_or(GroupError::NotFound)?;
        let title = group.title.trim();
        sqlx::query("UPDATE scenario_groups SET title = $1, vignette = $2, status = $3, updated_at = $4 WHERE id = $5")
            .bind(title).bind(group.vignette.trim()).bind(status.as_str()).bind(now).bind(id)
            .execute(&mut *tx).await
            .map_err(|e| GroupError::from_db(e, title))?;
        let describe = |title: &str, status: &str, vignette: &str| format!("{title} · {status} · {vignette}");
        audit::record!(tx, Some(actor), "scenario.edited", "scenario_group", id,
            Some(describe(&old.title, &old.status, &old.vignette)), describe(title, status.as_str(), group.vignette.trim()), now);
        tx.commit().await?;
        Ok(())
    })
}

/// Activates, retires or returns a group to draft (audited). False if it does not exist.
pub async fn set_status(
    db: &Db,
    id: i64,
    status: QuestionStatus,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let before: Option<String> = sqlx::query_scalar("SELECT status FROM scenario_groups WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some(before) = before else { return Ok(false) };
        sqlx::query("UPDATE scenario_groups SET status = $1, updated_at = $2 WHERE id = $3").bind(status.as_str()).bind(now).bind(id).execute(&mut *tx).await?;
        audit::record!(tx, Some(actor), "scenario.status", "scenario_group", id, Some(before), status.as_str(), now);
        tx.commit().await?;
        Ok(true)
    })
}

/// One group.
pub async fn find(db: &Db, id: i64) -> Result<Option<GroupRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM scenario_groups WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// A course's groups, oldest first.
pub async fn list(db: &Db, course_id: i64) -> Result<Vec<GroupRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM scenario_groups WHERE course_id = $1 ORDER BY id LIMIT 1000"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(course_id).fetch_all(pool).await)
}

/// Saves what a GIFT file gave (checked already: no problems) in one transaction: its
/// scenarios as new groups and its questions, each in its new group or in none, all with
/// `status`; either everything is saved or nothing. Returns (group ids, question ids).
#[instrument(skip_all, fields(db = db.backend(), course_id, groups = read.scenarios.len(), questions = read.questions.len()))]
pub async fn import(
    db: &Db,
    course_id: i64,
    read: &BankImport,
    status: QuestionStatus,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Vec<i64>, Vec<i64>), GroupError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut group_ids = Vec::new();
        for s in &read.scenarios {
            group_ids.push(insert_group!(tx, course_id, s.draft, status, actor, now));
        }
        let mut ids = Vec::new();
        for q in &read.questions {
            let draft = QuestionDraft {
                group_id: q.scenario.and_then(|i| group_ids.get(i).copied()),
                ..q.draft.clone()
            };
            ids.push(insert_new!(tx, course_id, draft, status, actor, now));
        }
        tx.commit().await?;
        Ok((group_ids, ids))
    })
}
