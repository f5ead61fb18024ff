//! Sign-in attempts that did not (yet) succeed, kept in the database so that every server of
//! a cluster sees them.

use super::{on_db, BeginWrite, Db};
use crate::domain::throttle::{Throttle, ThrottlePolicy};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// Failure times, in no particular order.
pub type Times = Vec<DateTime<Utc>>;

/// What [`reserve`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may check the password. It is already counted as a failure (row `id`)
    /// until [`forgive`] or [`release`] says it succeeded.
    Reserved { id: i64 },
    /// Too many recent failures: no password check at all until this instant.
    Refused { until: DateTime<Utc> },
}

/// Counts the recent failures of this email and of this address and, if the policy allows
/// one more attempt, records it, in one write transaction, before any password is hashed.
///
/// Counting first and recording after the hash let a burst of concurrent guesses all pass
/// the count (200 of 200 in a penetration test). Here every attempt is a failure until it
/// succeeds, and the count and the record are one step: SQLite serialises it with
/// `BEGIN IMMEDIATE`; PostgreSQL with transaction-level advisory locks on the email and on
/// the address, so that several servers on one database agree too.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn reserve(
    db: &Db,
    policy: &ThrottlePolicy,
    email: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Reservation, sqlx::Error> {
    let since = now - policy.window;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        if matches!(db, Db::Postgres(_)) {
            // Two keys, always taken in the same order, so two attempts never deadlock.
            let mut keys = [format!("sign-in email {email}"), format!("sign-in address {address}")];
            keys.sort();
            for key in &keys {
                sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let by_email: Vec<DateTime<Utc>> =
            sqlx::query_scalar("SELECT at FROM sign_in_failures WHERE email = $1 AND at > $2")
                .bind(email)
                .bind(since)
                .fetch_all(&mut *tx)
                .await?;
        let by_address: Vec<DateTime<Utc>> =
            sqlx::query_scalar("SELECT at FROM sign_in_failures WHERE address = $1 AND at > $2")
                .bind(address)
                .bind(since)
                .fetch_all(&mut *tx)
                .await?;
        if let Throttle::Wait { until } = policy.decide(now, &by_email, &by_address) {
            tx.rollback().await?;
            return Ok(Reservation::Refused { until });
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(email)
        .bind(address)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Reservation::Reserved { id })
    })
}

/// A successful sign-in: its own reservation was no failure, and the account's earlier
/// failures are forgiven (the address's other failures are not).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn forgive(db: &Db, reserved: i64, email: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sign_in_failures WHERE id = $1 OR email = $2")
            .bind(reserved)
            .bind(email)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// An attempt that succeeded without forgiving anything else (the current password checked
/// before a change): only its own reservation goes.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn release(db: &Db, reserved: i64) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
            .bind(reserved)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// Forgets failures older than `before` (a background job calls this).
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(before).execute(pool).await.map(|r| r.rows_affected())
    })
}
