//! Continuing education done elsewhere, as administrators record it with its evidence (a
//! note and, optionally, a stored file), approved or not. Every record and every change of
//! its approval is audited. What counts toward renewal is `domain::renewal`'s to say.

use super::{audit, on_db, order_by, BeginWrite, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use crate::storage::keep::FileColumns;
use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CeRecord {
    pub id: i64,
    pub user_id: i64,
    pub holder_name: String,
    pub holder_email: String,
    pub title: String,
    pub hours: i64,
    pub completed_on: NaiveDate,
    /// The administrator's note on the evidence.
    pub evidence: String,
    /// "" when no file was attached.
    pub storage_key: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub approved: bool,
    pub recorded_at: DateTime<Utc>,
}

impl CeRecord {
    pub fn has_file(&self) -> bool {
        !self.storage_key.is_empty()
    }
}

const SELECT: &str = "SELECT c.id, c.user_id, u.name AS holder_name, u.email AS holder_email, c.title, c.hours, \
                      c.completed_on, c.evidence, c.storage_key, c.filename, c.content_type, c.size_bytes, c.approved, c.recorded_at \
                      FROM ce_records c JOIN users u ON u.id = c.user_id";

/// CE done elsewhere, as an administrator records it.
#[derive(Debug, Clone)]
pub struct NewCeRecord<'a> {
    pub user_id: i64,
    pub title: &'a str,
    pub hours: i64,
    pub completed_on: NaiveDate,
    pub evidence: &'a str,
    /// The stored evidence file, if one was attached.
    pub file: Option<FileColumns<'a>>,
    pub approved: bool,
}

/// Records CE done elsewhere; audited. Returns its id.
#[instrument(skip_all, fields(db = db.backend(), user_id = new.user_id))]
pub async fn record_ce(
    db: &Db,
    new: &NewCeRecord<'_>,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let file = new.file.unwrap_or(FileColumns::NONE);
    let after = serde_json::json!({
        "title": new.title, "hours": new.hours, "completed_on": new.completed_on,
        "evidence": new.evidence, "file": file.filename, "approved": new.approved,
    })
    .to_string();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO ce_records (user_id, title, hours, completed_on, evidence, storage_key, filename, content_type, size_bytes, approved, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(new.user_id).bind(new.title).bind(new.hours).bind(new.completed_on).bind(new.evidence)
        .bind(file.storage_key).bind(file.filename).bind(file.content_type).bind(file.size_bytes)
        .bind(new.approved).bind(actor).bind(now)
        .fetch_one(&mut *tx).await?;
        audit::record!(tx, Some(actor), "ce.recorded", "ce_record", id, None::<String>, &after, now);
        tx.commit().await?;
        Ok(id)
    })
}

/// Marks record `id` approved or not; audited when it changes. `None` when there is no such
/// record; otherwise whether anything changed.
#[instrument(skip_all, fields(db = db.backend(), ce_record_id = id, approved))]
pub async fn set_approved(
    db: &Db,
    id: i64,
    approved: bool,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Option<bool>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let was: Option<bool> = sqlx::query_scalar("SELECT approved FROM ce_records WHERE id = $1")
            .bind(id).fetch_optional(&mut *tx).await?;
        let Some(was) = was else { return Ok(None) };
        if was == approved {
            return Ok(Some(false));
        }
        sqlx::query("UPDATE ce_records SET approved = $1 WHERE id = $2")
            .bind(approved).bind(id).execute(&mut *tx).await?;
        let (before, after) = (
            serde_json::json!({ "approved": was }).to_string(),
            serde_json::json!({ "approved": approved }).to_string(),
        );
        audit::record!(tx, Some(actor), "ce.approval", "ce_record", id, Some(before), after, now);
        tx.commit().await?;
        Ok(Some(true))
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Option<CeRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// The columns the administrators' list of CE records sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeSort {
    Holder,
    Title,
    Hours,
    Completed,
    Status,
}

impl SortKey for CeSort {
    const ALL: &'static [CeSort] = &[
        CeSort::Holder,
        CeSort::Title,
        CeSort::Hours,
        CeSort::Completed,
        CeSort::Status,
    ];
    const DEFAULT: (CeSort, Dir) = (CeSort::Completed, Dir::Desc);
    fn key(self) -> &'static str {
        match self {
            CeSort::Holder => "holder",
            CeSort::Title => "title",
            CeSort::Hours => "hours",
            CeSort::Completed => "completed",
            CeSort::Status => "status",
        }
    }
}

impl OrderBy for CeSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            CeSort::Holder => &["LOWER(u.name)"],
            CeSort::Title => &["LOWER(c.title)"],
            CeSort::Hours => &["c.hours"],
            CeSort::Completed => &["c.completed_on"],
            // Not approved before approved, ascending.
            CeSort::Status => &["CASE WHEN c.approved THEN 1 ELSE 0 END"],
        }
    }
}

/// How many records there are.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM ce_records").fetch_one(pool).await)
}

/// A page of every record in `sort` order (for administrators): `limit` of them after
/// skipping `offset`.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list(
    db: &Db,
    sort: Sort<CeSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<CeRecord>, sqlx::Error> {
    let sql = format!("{SELECT} {} LIMIT $1 OFFSET $2", order_by(sort, "c.id"));
    on_db!(db, pool => sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(pool).await)
}

/// `user_id`'s records, newest completion first.
pub async fn for_user(db: &Db, user_id: i64) -> Result<Vec<CeRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.user_id = $1 ORDER BY c.completed_on DESC, c.id DESC");
    on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await)
}
