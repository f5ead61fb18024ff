//! Revoking a certificate inside the caller's write transaction: by an administrator (with
//! their reason) or by a regrade that turned the pass which earned it into a fail. Either way
//! the membership ends with it and the change is audited with the status before and after;
//! the public status list reads revocation from the certificate's status, so its bit flips
//! in the same commit.

use super::audit;
use crate::domain::certificate::{self, Status};
use chrono::{DateTime, Utc};

/// What asking to revoke did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoked {
    /// Revoked now: the certificate's id.
    Now { id: i64 },
    /// It was revoked already.
    Already,
    /// There is no such certificate (or the attempt earned none).
    None,
}

/// The reason recorded when a regrade takes the pass away.
pub const REGRADE_REASON: &str = "Regrade: score below the pass mark";

macro_rules! revoke_body {
    ($tx:expr, $id:expr, $reason:expr, $actor:expr, $now:expr) => {{
        let id: i64 = $id;
        let reason: &str = $reason;
        let now: DateTime<Utc> = $now;
        let before: Option<String> = sqlx::query_scalar("SELECT status FROM certificates WHERE id = $1")
            .bind(id).fetch_optional(&mut *$tx).await?;
        let Some(before) = before else {
            return Ok(Revoked::None);
        };
        let stored = Status::parse(&before)
            .ok_or_else(|| sqlx::Error::Decode(format!("certificates.status: unknown value {before:?}").into()))?;
        if certificate::next(stored, certificate::Event::Revoke).is_none() {
            return Ok(Revoked::Already);
        }
        sqlx::query("UPDATE certificates SET status = 'revoked', revoked_at = $1, revoked_reason = $2 WHERE id = $3")
            .bind(now).bind(reason).bind(id).execute(&mut *$tx).await?;
        sqlx::query("UPDATE memberships SET status = 'ended', ended_at = $1 WHERE certificate_id = $2 AND status = 'active'")
            .bind(now).bind(id).execute(&mut *$tx).await?;
        let after = serde_json::json!({ "status": "revoked", "reason": reason }).to_string();
        let before = serde_json::json!({ "status": before }).to_string();
        audit::record!($tx, $actor, "certificate.revoked", "certificate", id, Some(before), after, now);
        Ok(Revoked::Now { id })
    }};
}

/// Revoking on either database's connection, inside the caller's write transaction.
pub trait RevokeCertificate {
    /// Revokes certificate `id` with `reason`, as `actor` (None: the system).
    fn revoke_certificate(
        &mut self,
        id: i64,
        reason: &str,
        actor: Option<i64>,
        now: DateTime<Utc>,
    ) -> impl std::future::Future<Output = Result<Revoked, sqlx::Error>> + Send;

    /// Revokes the certificate attempt `attempt_id` earned, if it has one.
    fn revoke_for_attempt(
        &mut self,
        attempt_id: i64,
        reason: &str,
        actor: Option<i64>,
        now: DateTime<Utc>,
    ) -> impl std::future::Future<Output = Result<Revoked, sqlx::Error>> + Send;
}

macro_rules! implement {
    ($connection:ty) => {
        impl RevokeCertificate for $connection {
            async fn revoke_certificate(
                &mut self,
                id: i64,
                reason: &str,
                actor: Option<i64>,
                now: DateTime<Utc>,
            ) -> Result<Revoked, sqlx::Error> {
                let tx = self;
                revoke_body!(tx, id, reason, actor, now)
            }

            async fn revoke_for_attempt(
                &mut self,
                attempt_id: i64,
                reason: &str,
                actor: Option<i64>,
                now: DateTime<Utc>,
            ) -> Result<Revoked, sqlx::Error> {
                let id: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM certificates WHERE attempt_id = $1")
                        .bind(attempt_id)
                        .fetch_optional(&mut *self)
                        .await?;
                match id {
                    Some(id) => self.revoke_certificate(id, reason, actor, now).await,
                    None => Ok(Revoked::None),
                }
            }
        }
    };
}

implement!(sqlx::SqliteConnection);
implement!(sqlx::PgConnection);
