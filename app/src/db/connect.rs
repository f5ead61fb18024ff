//! Opening the database named by `DATABASE_URL`, and migrating it.

use super::Db;
use sqlx::{
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnknownScheme(String),
    #[error("could not create the directory for the SQLite file {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

/// Opens a pool for the URL: the backend is chosen by the scheme.
pub async fn connect(url: &str) -> Result<Db, ConnectError> {
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Durable across application crashes; only an OS crash can lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let file = options.get_filename();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| ConnectError::Directory {
                path: file.display().to_string(),
                source,
            })?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let pool = PgPoolOptions::new()
            // Up to 4 of these are kept by the answer-save writers while saves keep coming.
            .max_connections(20)
            // A class starting its test together queues here for seconds; waiting is better
            // than failing their start.
            .acquire_timeout(Duration::from_secs(30))
            .connect(url)
            .await?;
        Ok(Db::Postgres(pool))
    } else {
        let scheme = url.split(':').next().unwrap_or_default().to_owned();
        Err(ConnectError::UnknownScheme(scheme))
    }
}

/// Applies the backend's migrations (`migrations/sqlite` or `migrations/postgres`).
/// Safe to run from several servers at once: sqlx takes a lock on PostgreSQL.
pub async fn migrate(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    match db {
        Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await,
        Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await,
    }
}
