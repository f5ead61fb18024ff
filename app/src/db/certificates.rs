//! Certificates as their holders, the public and the jobs read them; the message announcing a
//! new one; expiry at the date.

use super::{
    audit,
    certificate_revoke::{RevokeCertificate, Revoked},
    on_db,
    outbox::Enqueue,
    outbox::NewMessage,
    BeginWrite, Db,
};
use crate::domain::certificate::{self, Kind, Status};
use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

/// A certificate with its course's title.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRecord {
    pub id: i64,
    pub number: String,
    pub verification_code: String,
    pub user_id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub kind: String,
    pub holder_name: String,
    pub issued_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub status: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub reissues: i64,
    pub reissued_at: Option<DateTime<Utc>>,
    pub course_code: String,
    /// Its bit in the revocation status list.
    pub status_index: i64,
}

impl CertificateRecord {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Completion)
    }

    /// The status on `today` (an expiry the job has not marked yet counts).
    pub fn status_on(&self, today: NaiveDate) -> Status {
        certificate::status_on(
            Status::parse(&self.status).unwrap_or(Status::Active),
            self.expires_on,
            today,
        )
    }
}

pub(super) const SELECT: &str = "SELECT c.id, c.number, c.verification_code, c.user_id, c.course_id, co.title AS course_title, \
                      c.kind, c.holder_name, c.issued_on, c.expires_on, c.status, c.revoked_at, c.revoked_reason, \
                      c.issued_at, c.reissues, c.reissued_at, co.code AS course_code, c.status_index \
                      FROM certificates c JOIN courses co ON co.id = c.course_id";

/// A person's certificates, newest first.
pub async fn for_user(db: &Db, user_id: i64) -> Result<Vec<CertificateRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.user_id = $1 ORDER BY c.issued_at DESC, c.id DESC");
    on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await)
}

/// The person's certificate of this course that is active on `today`, if any (at most one
/// is stored active; one past its expiry that the job has not marked yet does not count).
pub async fn active_for(
    db: &Db,
    user_id: i64,
    course_id: i64,
    today: NaiveDate,
) -> Result<Option<CertificateRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.user_id = $1 AND c.course_id = $2 AND c.status = 'active'");
    let held: Option<CertificateRecord> = on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).bind(course_id).fetch_optional(pool).await)?;
    Ok(held.filter(|c| c.status_on(today) == Status::Active))
}

pub async fn find(db: &Db, id: i64) -> Result<Option<CertificateRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// By its verification code in canonical form (see `certificate::normalize_code`).
pub async fn by_code(db: &Db, code: &str) -> Result<Option<CertificateRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.verification_code = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(code).fetch_optional(pool).await)
}

/// By its number, as printed (`CITC-2026-000123`).
pub async fn by_number(db: &Db, number: &str) -> Result<Option<CertificateRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.number = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(number).fetch_optional(pool).await)
}

/// Certificates whose announcement is not in the outbox yet, oldest first, with the holder's
/// address.
pub async fn unannounced(
    db: &Db,
    limit: i64,
) -> Result<Vec<(CertificateRecord, String)>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.mailed_at IS NULL ORDER BY c.id LIMIT $1");
    let rows: Vec<CertificateRecord> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(email) = holder_email(db, row.user_id).await? {
            out.push((row, email));
        }
    }
    Ok(out)
}

/// Stores the message announcing certificate `id` as it was at reissue number `reissues`,
/// unless one was stored already (by another server, or an earlier run) or the certificate
/// was reissued since the message was made (the next run sends the new one): the claim and
/// the message commit together. Whether it stored it.
#[instrument(skip_all, fields(db = db.backend(), certificate_id = id))]
pub async fn announce(
    db: &Db,
    id: i64,
    reissues: i64,
    message: &NewMessage<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let claimed = sqlx::query("UPDATE certificates SET mailed_at = $1 WHERE id = $2 AND mailed_at IS NULL AND reissues = $3")
            .bind(now).bind(id).bind(reissues).execute(&mut *tx).await?.rows_affected();
        if claimed == 0 {
            return Ok(false);
        }
        tx.enqueue(message, now).await?;
        tx.commit().await?;
        Ok(true)
    })
}

/// Marks expired every active certificate whose last valid day was before `today`, and ends
/// its membership; each change audited. Safe with several servers: a certificate is taken by
/// a conditional UPDATE. Returns how many this call expired.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn expire_due(
    db: &Db,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let due: Vec<i64> = sqlx::query_scalar("SELECT id FROM certificates WHERE status = 'active' AND expires_on < $1 ORDER BY id LIMIT 500")
            .bind(today).fetch_all(&mut *tx).await?;
        let mut expired = 0;
        for id in due {
            let taken = sqlx::query("UPDATE certificates SET status = 'expired' WHERE id = $1 AND status = 'active'")
                .bind(id).execute(&mut *tx).await?.rows_affected();
            if taken == 0 {
                continue;
            }
            sqlx::query("UPDATE memberships SET status = 'ended', ended_at = $1 WHERE certificate_id = $2 AND status = 'active'")
                .bind(now).bind(id).execute(&mut *tx).await?;
            audit::record!(tx, None::<i64>, "certificate.expired", "certificate", id, Some("active"), "expired", now);
            expired += 1;
        }
        tx.commit().await?;
        Ok(expired)
    })
}

/// A membership as its holder sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRecord {
    pub certificate_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: String,
}

pub async fn memberships(db: &Db, user_id: i64) -> Result<Vec<MembershipRecord>, sqlx::Error> {
    let sql = "SELECT certificate_id, starts_on, ends_on, status FROM memberships WHERE user_id = $1 ORDER BY starts_on DESC";
    on_db!(db, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)
}

/// Records a look-up from `address` if fewer than `limit` were made since `since`; whether it
/// was admitted. A refused look-up writes nothing: a flood of them must not grow the table.
pub async fn admit_lookup(
    db: &Db,
    address: &str,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO verification_requests (address, at) SELECT $1, $2 \
             WHERE (SELECT COUNT(*) FROM verification_requests WHERE address = $1 AND at > $3) < $4",
        )
        .bind(address)
        .bind(now)
        .bind(since)
        .bind(limit)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1)
    })
}

/// Forgets look-ups older than `before`.
pub async fn prune_lookups(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => sqlx::query("DELETE FROM verification_requests WHERE at < $1").bind(before).execute(pool).await.map(|r| r.rows_affected()))
}

/// Why a change to a certificate was not made.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such certificate")]
    NotFound,
    /// Revoked already: nothing more can change.
    #[error("already revoked")]
    Revoked,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Revokes certificate `id` with `reason` and ends its membership; audited with the status
/// before and after.
#[instrument(skip_all, fields(db = db.backend(), certificate_id = id))]
pub async fn revoke(
    db: &Db,
    id: i64,
    reason: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), ChangeError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = (*tx).revoke_certificate(id, reason, Some(actor), now).await?;
        match done {
            Revoked::None => return Err(ChangeError::NotFound),
            Revoked::Already => return Err(ChangeError::Revoked),
            Revoked::Now { .. } => {}
        }
        tx.commit().await?;
        Ok(())
    })
}

/// Reissues certificate `id` under `holder_name` (a name change): same number, code and
/// dates; the holder is sent the new PDF. Audited with the name before and after.
#[instrument(skip_all, fields(db = db.backend(), certificate_id = id))]
pub async fn reissue(
    db: &Db,
    id: i64,
    holder_name: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), ChangeError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let before: Option<(String, String)> = sqlx::query_as("SELECT holder_name, status FROM certificates WHERE id = $1")
            .bind(id).fetch_optional(&mut *tx).await?;
        let Some((old_name, status)) = before else {
            return Err(ChangeError::NotFound);
        };
        let stored = Status::parse(&status)
            .ok_or_else(|| sqlx::Error::Decode(format!("certificates.status: unknown value {status:?}").into()))?;
        if certificate::next(stored, certificate::Event::Reissue).is_none() {
            return Err(ChangeError::Revoked);
        }
        // mailed_at cleared: the announcement job sends the reissued PDF.
        sqlx::query("UPDATE certificates SET holder_name = $1, reissues = reissues + 1, reissued_at = $2, mailed_at = NULL WHERE id = $3")
            .bind(holder_name).bind(now).bind(id).execute(&mut *tx).await?;
        let before = serde_json::json!({ "holder_name": old_name }).to_string();
        let after = serde_json::json!({ "holder_name": holder_name }).to_string();
        audit::record!(tx, Some(actor), "certificate.reissued", "certificate", id, Some(before), after, now);
        tx.commit().await?;
        Ok(())
    })
}

/// The email of a certificate's holder.
pub async fn holder_email(db: &Db, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_optional(pool).await)
}

/// The revocation status list as stored: the indexes of the revoked certificates, and how
/// many indexes have been given out.
pub async fn revocation_list(db: &Db) -> Result<(Vec<i64>, i64), sqlx::Error> {
    on_db!(db, pool => {
        let revoked = sqlx::query_scalar("SELECT status_index FROM certificates WHERE status = 'revoked' ORDER BY status_index")
            .fetch_all(pool).await?;
        let given: i64 = sqlx::query_scalar("SELECT next_index FROM status_list_counter WHERE list = 'revocation'")
            .fetch_one(pool).await?;
        Ok((revoked, given))
    })
}
