//! Course materials: handouts, slides and pre-reading attached to an offering or to one of
//! its meetings, as a stored file or an https link. Every addition and removal is audited.

use super::{audit, on_db, BeginWrite, Db};
use crate::storage::keep::FileColumns;
use chrono::{DateTime, Utc};
use tracing::instrument;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MaterialRecord {
    pub id: i64,
    pub offering_id: i64,
    /// `None`: for the whole class.
    pub meeting_id: Option<i64>,
    /// "file" or "link".
    pub kind: String,
    pub title: String,
    pub url: String,
    pub storage_key: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub added_by: i64,
    pub added_at: DateTime<Utc>,
}

impl MaterialRecord {
    pub fn is_file(&self) -> bool {
        self.kind == "file"
    }
}

/// What a new material is: a stored file or a link.
#[derive(Debug, Clone)]
pub enum Content<'a> {
    File(FileColumns<'a>),
    Link { url: &'a str },
}

/// A new material, already checked.
#[derive(Debug, Clone)]
pub struct NewMaterial<'a> {
    pub offering_id: i64,
    pub meeting_id: Option<i64>,
    pub title: &'a str,
    pub content: Content<'a>,
}

const COLUMNS: &str = "id, offering_id, meeting_id, kind, title, url, storage_key, filename, content_type, size_bytes, added_by, added_at";

/// Adds a material; returns its id.
#[instrument(skip_all, fields(db = db.backend(), offering_id = new.offering_id))]
pub async fn insert(
    db: &Db,
    new: &NewMaterial<'_>,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let (kind, url, file) = match &new.content {
        Content::File(file) => ("file", "", *file),
        Content::Link { url } => ("link", *url, FileColumns::NONE),
    };
    let after = match &new.content {
        Content::File(f) => format!(
            "file {:?}: {} ({} bytes)",
            new.title, f.filename, f.size_bytes
        ),
        Content::Link { url } => format!("link {:?}: {url}", new.title),
    };
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO course_materials (offering_id, meeting_id, kind, title, url, storage_key, filename, content_type, size_bytes, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(new.offering_id)
        .bind(new.meeting_id)
        .bind(kind)
        .bind(new.title)
        .bind(url)
        .bind(file.storage_key)
        .bind(file.filename)
        .bind(file.content_type)
        .bind(file.size_bytes)
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit::record!(tx, Some(actor), "material.added", "course_material", id, None::<String>, &after, now);
        tx.commit().await?;
        Ok(id)
    })
}

#[instrument(skip_all, fields(db = db.backend(), material_id = id))]
pub async fn find(db: &Db, id: i64) -> Result<Option<MaterialRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM course_materials WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// An offering's materials in the order they were added.
#[instrument(skip_all, fields(db = db.backend(), offering_id))]
pub async fn list_for_offering(
    db: &Db,
    offering_id: i64,
) -> Result<Vec<MaterialRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM course_materials WHERE offering_id = $1 ORDER BY added_at, id"
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(offering_id).fetch_all(pool).await)
}

/// Removes a material; returns what was removed (its stored file is the caller's to delete,
/// after the commit), or `None` when there was no such material.
#[instrument(skip_all, fields(db = db.backend(), material_id = id))]
pub async fn delete(
    db: &Db,
    id: i64,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Option<MaterialRecord>, sqlx::Error> {
    let select = format!("SELECT {COLUMNS} FROM course_materials WHERE id = $1");
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<MaterialRecord> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
        let Some(material) = found else { return Ok(None) };
        sqlx::query("DELETE FROM course_materials WHERE id = $1").bind(id).execute(&mut *tx).await?;
        let before = if material.is_file() {
            format!("file {:?}: {} ({} bytes)", material.title, material.filename, material.size_bytes)
        } else {
            format!("link {:?}: {}", material.title, material.url)
        };
        audit::record!(tx, Some(actor), "material.removed", "course_material", id, &before, None::<String>, now);
        tx.commit().await?;
        Ok(Some(material))
    })
}
