//! The audit log: who changed what, when, and the values before and after.

/// Inserts one audit entry; bind actor id, action, entity, entity id, before, after, at.
pub(crate) const INSERT: &str =
    "INSERT INTO audit_log (actor_id, action, entity, entity_id, before_value, after_value, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Records one audit entry inside the write transaction `$tx`, so that the entry exists
/// exactly when the change does: actor, action, entity, entity id, before, after, at.
macro_rules! record {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $id:expr, $before:expr, $after:expr, $now:expr) => {
        sqlx::query($crate::db::audit::INSERT)
            .bind($actor)
            .bind($action)
            .bind($entity)
            .bind($id)
            .bind($before)
            .bind($after)
            .bind($now)
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use record;

use super::{on_db, order_by, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// Which entries the viewer shows; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The person who made the change (system changes have none and match no actor).
    pub actor_id: Option<i64>,
    /// The kind of record: "certificate", "registration", ...
    pub entity: Option<String>,
    /// From this instant (included) ...
    pub start: Option<DateTime<Utc>>,
    /// ... to this one (excluded).
    pub end: Option<DateTime<Utc>>,
}

/// One entry as the viewer shows it, with the actor's name and email.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
}

/// The columns the audit log viewer sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditSort {
    When,
    Who,
    Action,
    Record,
}

impl SortKey for AuditSort {
    const ALL: &'static [AuditSort] = &[
        AuditSort::When,
        AuditSort::Who,
        AuditSort::Action,
        AuditSort::Record,
    ];
    const DEFAULT: (AuditSort, Dir) = (AuditSort::When, Dir::Desc);
    fn key(self) -> &'static str {
        match self {
            AuditSort::When => "when",
            AuditSort::Who => "who",
            AuditSort::Action => "action",
            AuditSort::Record => "record",
        }
    }
}

impl OrderBy for AuditSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            AuditSort::When => &["l.at"],
            // Changes made by a job (no person) after everyone's.
            AuditSort::Who => &[crate::nulls_last!("u.name"), "LOWER(u.name)"],
            AuditSort::Action => &["l.action"],
            AuditSort::Record => &["l.entity", "l.entity_id"],
        }
    }
}

/// One WHERE clause for both databases: a missing part of the filter is a NULL parameter
/// that lets every row through.
const WHERE: &str = "WHERE ($1 IS NULL OR l.actor_id = $1) AND ($2 IS NULL OR l.entity = $2) \
                     AND ($3 IS NULL OR l.at >= $3) AND ($4 IS NULL OR l.at < $4)";

/// How many entries the filter selects.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn count(db: &Db, f: &AuditFilter) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM audit_log l {WHERE}");
    on_db!(db, pool => sqlx::query_scalar(&sql)
        .bind(f.actor_id).bind(f.entity.as_deref()).bind(f.start).bind(f.end)
        .fetch_one(pool).await)
}

/// The entries the filter selects in `sort` order (the id breaks ties), `limit` of them
/// after skipping `offset` (no limit: `None`, for the CSV).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list(
    db: &Db,
    f: &AuditFilter,
    sort: Sort<AuditSort>,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let order = order_by(sort, "l.id");
    // -1 is "no limit" to SQLite; PostgreSQL takes NULL for it.
    let sql = format!(
        "SELECT l.id, l.at, u.name AS actor_name, u.email AS actor_email, l.action, l.entity, \
                l.entity_id, l.before_value, l.after_value \
         FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id {WHERE} \
         {order} LIMIT $5 OFFSET $6"
    );
    match db {
        Db::Sqlite(pool) => {
            sqlx::query_as(&sql)
                .bind(f.actor_id)
                .bind(f.entity.as_deref())
                .bind(f.start)
                .bind(f.end)
                .bind(limit.unwrap_or(-1))
                .bind(offset)
                .fetch_all(pool)
                .await
        }
        Db::Postgres(pool) => {
            sqlx::query_as(&sql)
                .bind(f.actor_id)
                .bind(f.entity.as_deref())
                .bind(f.start)
                .bind(f.end)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await
        }
    }
}

/// Everyone who has made a change, as (id, name, email), by name: the actor filter.
pub async fn actors(db: &Db) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let sql = "SELECT u.id, u.name, u.email FROM users u \
               WHERE EXISTS (SELECT 1 FROM audit_log l WHERE l.actor_id = u.id) \
               ORDER BY u.name, u.id";
    on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await)
}

/// Every kind of record in the log, alphabetically: the entity filter.
pub async fn entities(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let sql = "SELECT DISTINCT entity FROM audit_log ORDER BY entity";
    on_db!(db, pool => sqlx::query_scalar(sql).fetch_all(pool).await)
}
