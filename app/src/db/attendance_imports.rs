//! Meeting reports on their way into the attendance record: the draft an instructor previews
//! (kept a day, for the uploader and that meeting only) and the history of applied reports.

use super::{on_db, BeginWrite, Db};
use chrono::{DateTime, Duration, Utc};
use tracing::instrument;

/// How long an uploaded report waits to be applied.
pub const DRAFT_LIFETIME: Duration = Duration::days(1);

/// A parsed report waiting for the uploader to apply it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub id: String,
    pub meeting_id: i64,
    pub uploaded_by: i64,
    pub file_sha256: String,
    /// "zoom" or "teams".
    pub source: String,
    pub filename: String,
    /// The participants and their intervals, as JSON.
    pub participants: String,
    pub created_at: DateTime<Utc>,
}

/// A report that was applied to a meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Applied {
    pub id: i64,
    pub filename: String,
    pub participants: i64,
    pub changed: i64,
    pub imported_at: DateTime<Utc>,
}

/// Stores a draft (expiring a day after `draft.created_at`) and deletes every expired one.
#[instrument(skip_all, fields(db = db.backend(), meeting_id = draft.meeting_id))]
pub async fn save_draft(db: &Db, draft: &Draft) -> Result<(), sqlx::Error> {
    let now = draft.created_at;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM attendance_import_drafts WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO attendance_import_drafts (id, meeting_id, uploaded_by, file_sha256, source, filename, participants, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&draft.id)
        .bind(draft.meeting_id)
        .bind(draft.uploaded_by)
        .bind(&draft.file_sha256)
        .bind(&draft.source)
        .bind(&draft.filename)
        .bind(&draft.participants)
        .bind(now)
        .bind(now + DRAFT_LIFETIME)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })
}

/// The draft `id` of meeting `meeting_id` uploaded by `user_id`, unless it expired.
#[instrument(skip_all, fields(db = db.backend(), meeting_id))]
pub async fn find_draft(
    db: &Db,
    id: &str,
    meeting_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Draft>, sqlx::Error> {
    let sql = "SELECT id, meeting_id, uploaded_by, file_sha256, source, filename, participants, created_at \
               FROM attendance_import_drafts WHERE id = $1 AND meeting_id = $2 AND uploaded_by = $3 AND expires_at > $4";
    on_db!(db, pool => sqlx::query_as(sql).bind(id).bind(meeting_id).bind(user_id).bind(now).fetch_optional(pool).await)
}

/// Records that `draft` was applied (`changed` marks changed) and deletes it, in one
/// transaction. Returns the history row's id, or `None` when the draft was already gone
/// (applied by a second click in the meantime).
#[instrument(skip_all, fields(db = db.backend(), meeting_id = draft.meeting_id, changed))]
pub async fn finish(
    db: &Db,
    draft: &Draft,
    participants: usize,
    changed: usize,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    let (participants, changed) = (participants as i64, changed as i64);
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let deleted = sqlx::query("DELETE FROM attendance_import_drafts WHERE id = $1")
            .bind(&draft.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            return Ok(None);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attendance_imports (meeting_id, file_sha256, source, filename, participants, changed, imported_by, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(draft.meeting_id)
        .bind(&draft.file_sha256)
        .bind(&draft.source)
        .bind(&draft.filename)
        .bind(participants)
        .bind(changed)
        .bind(draft.uploaded_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    })
}

/// An applied report of meeting `meeting_id`.
pub async fn find_applied(
    db: &Db,
    id: i64,
    meeting_id: i64,
) -> Result<Option<Applied>, sqlx::Error> {
    let sql = "SELECT id, filename, participants, changed, imported_at FROM attendance_imports WHERE id = $1 AND meeting_id = $2";
    on_db!(db, pool => sqlx::query_as(sql).bind(id).bind(meeting_id).fetch_optional(pool).await)
}

/// When a file with this SHA-256 was last applied to meeting `meeting_id`, if ever.
pub async fn last_applied(
    db: &Db,
    meeting_id: i64,
    file_sha256: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let sql = "SELECT imported_at FROM attendance_imports WHERE meeting_id = $1 AND file_sha256 = $2 ORDER BY imported_at DESC LIMIT 1";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(meeting_id).bind(file_sha256).fetch_optional(pool).await)
}
