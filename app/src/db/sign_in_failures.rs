//! Failed sign-ins, kept in the database so that every server of a cluster sees them.

use super::{on_db, Db};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// Failure times, in no particular order.
pub type Times = Vec<DateTime<Utc>>;

/// Failure times since `since` for this email and for this client address.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn recent(
    db: &Db,
    email: &str,
    address: &str,
    since: DateTime<Utc>,
) -> Result<(Times, Times), sqlx::Error> {
    on_db!(db, pool => {
        let by_email: Vec<DateTime<Utc>> = sqlx::query_scalar("SELECT at FROM sign_in_failures WHERE email = $1 AND at > $2")
            .bind(email)
            .bind(since)
            .fetch_all(pool)
            .await?;
        let by_address: Vec<DateTime<Utc>> = sqlx::query_scalar("SELECT at FROM sign_in_failures WHERE address = $1 AND at > $2")
            .bind(address)
            .bind(since)
            .fetch_all(pool)
            .await?;
        Ok((by_email, by_address))
    })
}

#[instrument(skip_all, fields(db = db.backend()))]
pub async fn record(
    db: &Db,
    email: &str,
    address: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)")
            .bind(email)
            .bind(address)
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

/// A successful sign-in forgives the account's earlier failures (not the address's).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn clear_for_email(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1").bind(email).execute(pool).await.map(|_| ())
    })
}

/// Forgets failures older than `before` (a background job calls this).
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(before).execute(pool).await.map(|r| r.rows_affected())
    })
}
