//! Records matched to a person by email that wait for the account with that address to
//! verify it (`domain::record_holder`): imported certificates and CE done elsewhere. They are
//! attached inside the transaction that marks the address verified, so that a verified
//! account never lacks them and an unverified one never has them.

use super::{
    audit,
    ce_records::NewCeRecord,
    certificate_issue::{new_code, TAKE_STATUS_INDEX},
    on_db, BeginWrite, Db,
};
use crate::domain::{
    certificate::{self, Kind, Status},
    certificate_import,
};
use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

/// What attaching moved to the account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attached {
    pub certificates: usize,
    pub ce_records: usize,
}

type PendingCertificate = (i64, String, i64, String, NaiveDate, NaiveDate, i64);
type PendingCe = (
    i64,
    String,
    i64,
    NaiveDate,
    String,
    String,
    String,
    String,
    i64,
    bool,
    i64,
    DateTime<Utc>,
);

/// The body of [`AttachPending::attach_pending`], the same SQL on either connection.
macro_rules! attach_body {
    ($tx:expr, $user_id:expr, $now:expr) => {{
        let tx = $tx;
        let (user_id, now) = ($user_id, $now);
        let mut attached = Attached::default();
        let email: Option<String> = sqlx::query_scalar("SELECT LOWER(email) FROM users WHERE id = $1")
            .bind(user_id).fetch_optional(&mut *tx).await?;
        let Some(email) = email else { return Ok(attached) };
        let today = certificate::issue_date(now);
        let certificates: Vec<PendingCertificate> = sqlx::query_as(
            "SELECT id, number, course_id, holder_name, issued_on, expires_on, imported_by \
             FROM pending_certificates WHERE email = $1 ORDER BY id",
        )
        .bind(&email).fetch_all(&mut *tx).await?;
        for (pending_id, number, course_id, holder_name, issued_on, expires_on, imported_by) in certificates {
            let status = certificate::status_on(Status::Active, Some(expires_on), today);
            if status == Status::Active {
                let held: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM certificates WHERE user_id = $1 AND course_id = $2 AND status = 'active'",
                )
                .bind(user_id).bind(course_id).fetch_optional(&mut *tx).await?;
                if held.is_some() {
                    // One active certificate per person and credential: it waits for an
                    // administrator (the account earned one here meanwhile).
                    tracing::warn!(user_id, pending_id, "pending certificate not attached: one is active");
                    continue;
                }
            }
            let status_index: i64 = sqlx::query_scalar(TAKE_STATUS_INDEX).fetch_one(&mut *tx).await?;
            // mailed_at is set: the announcement is for certificates earned here.
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, mailed_at, status_index) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(&number).bind(new_code()).bind(user_id).bind(course_id).bind(Kind::Coordinator.as_str())
            .bind(&holder_name).bind(issued_on).bind(expires_on).bind(status.as_str())
            .bind(certificate_import::issued_at(issued_on)).bind(now).bind(status_index)
            .fetch_one(&mut *tx).await?;
            let (membership, ended_at) = match status {
                Status::Active => ("active", None),
                _ => ("ended", Some(now)),
            };
            sqlx::query("INSERT INTO memberships (user_id, certificate_id, starts_on, ends_on, status, ended_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(user_id).bind(id).bind(issued_on).bind(expires_on).bind(membership).bind(ended_at)
                .execute(&mut *tx).await?;
            sqlx::query("DELETE FROM pending_certificates WHERE id = $1").bind(pending_id).execute(&mut *tx).await?;
            let after = serde_json::json!({
                "number": number, "kind": Kind::Coordinator.as_str(), "holder_name": holder_name,
                "issued_on": issued_on, "expires_on": expires_on, "status": status.as_str(),
                "source": "certificate import", "imported_by": imported_by,
                "attached": "email verified",
            })
            .to_string();
            audit::record!(tx, None::<i64>, "certificate.attached", "certificate", id, None::<String>, after, now);
            attached.certificates += 1;
        }
        let records: Vec<PendingCe> = sqlx::query_as(
            "SELECT id, title, hours, completed_on, evidence, storage_key, filename, content_type, size_bytes, approved, recorded_by, recorded_at \
             FROM pending_ce_records WHERE email = $1 ORDER BY id",
        )
        .bind(&email).fetch_all(&mut *tx).await?;
        for (pending_id, title, hours, completed_on, evidence, storage_key, filename, content_type, size_bytes, approved, recorded_by, recorded_at) in records {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ce_records (user_id, title, hours, completed_on, evidence, storage_key, filename, content_type, size_bytes, approved, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(user_id).bind(&title).bind(hours).bind(completed_on).bind(&evidence).bind(&storage_key)
            .bind(&filename).bind(&content_type).bind(size_bytes).bind(approved).bind(recorded_by).bind(recorded_at)
            .fetch_one(&mut *tx).await?;
            sqlx::query("DELETE FROM pending_ce_records WHERE id = $1").bind(pending_id).execute(&mut *tx).await?;
            let after = serde_json::json!({
                "title": title, "hours": hours, "completed_on": completed_on, "approved": approved,
                "attached": "email verified",
            })
            .to_string();
            audit::record!(tx, None::<i64>, "ce.attached", "ce_record", id, None::<String>, after, now);
            attached.ce_records += 1;
        }
        if attached != Attached::default() {
            tracing::info!(user_id, certificates = attached.certificates, ce_records = attached.ce_records, "pending records attached");
        }
        Ok(attached)
    }};
}

/// Attaching on either database's connection, inside the caller's write transaction (the
/// one that marks the address verified).
pub trait AttachPending {
    /// Moves every record waiting for `user_id`'s (lower-case) address to the account.
    fn attach_pending(
        &mut self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> impl std::future::Future<Output = Result<Attached, sqlx::Error>> + Send;
}

impl AttachPending for sqlx::SqliteConnection {
    async fn attach_pending(
        &mut self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Attached, sqlx::Error> {
        attach_body!(self, user_id, now)
    }
}

impl AttachPending for sqlx::PgConnection {
    async fn attach_pending(
        &mut self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Attached, sqlx::Error> {
        attach_body!(self, user_id, now)
    }
}

/// Records CE done elsewhere for an address whose account has not verified it: it waits
/// under `email` (lower-case) and is attached when the address is verified. `new.user_id` is
/// that account's, noted in the audit entry only. Returns the pending record's id.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn record_ce_pending(
    db: &Db,
    email: &str,
    new: &NewCeRecord<'_>,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let file = new.file.unwrap_or(crate::storage::keep::FileColumns::NONE);
    let after = serde_json::json!({
        "title": new.title, "hours": new.hours, "completed_on": new.completed_on,
        "evidence": new.evidence, "file": file.filename, "approved": new.approved,
        "waits_for": "email verification", "account_id": new.user_id,
    })
    .to_string();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pending_ce_records (email, title, hours, completed_on, evidence, storage_key, filename, content_type, size_bytes, approved, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(email).bind(new.title).bind(new.hours).bind(new.completed_on).bind(new.evidence)
        .bind(file.storage_key).bind(file.filename).bind(file.content_type).bind(file.size_bytes)
        .bind(new.approved).bind(actor).bind(now)
        .fetch_one(&mut *tx).await?;
        audit::record!(tx, Some(actor), "ce.recorded_pending", "pending_ce_record", id, None::<String>, &after, now);
        tx.commit().await?;
        Ok(id)
    })
}

/// A CE record that waits for its holder's address to be verified, as `/admin/ce` lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingCeRow {
    pub email: String,
    pub title: String,
    pub hours: i64,
    pub completed_on: NaiveDate,
    pub filename: String,
    pub approved: bool,
    pub recorded_at: DateTime<Utc>,
}

/// The CE records waiting for a verified address, oldest first (at most `limit`).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list_ce(db: &Db, limit: i64) -> Result<Vec<PendingCeRow>, sqlx::Error> {
    let sql = "SELECT email, title, hours, completed_on, filename, approved, recorded_at \
               FROM pending_ce_records ORDER BY id LIMIT $1";
    on_db!(db, pool => sqlx::query_as(sql).bind(limit).fetch_all(pool).await)
}

/// How many records wait for `email` (lower-case): certificates, CE records.
pub async fn count_for(db: &Db, email: &str) -> Result<(i64, i64), sqlx::Error> {
    on_db!(db, pool => {
        let c = sqlx::query_scalar("SELECT COUNT(*) FROM pending_certificates WHERE email = $1").bind(email).fetch_one(pool).await?;
        let e = sqlx::query_scalar("SELECT COUNT(*) FROM pending_ce_records WHERE email = $1").bind(email).fetch_one(pool).await?;
        Ok((c, e))
    })
}
