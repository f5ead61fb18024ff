//! Consistent copies of a SQLite database, for `cit-academy backup` and `restore`.
//!
//! `VACUUM INTO` reads the whole database inside one read transaction, so the copy is the
//! database as it was at one moment even while the server keeps writing (WAL readers do not
//! block writers), and the copy is compact and self-contained (no `-wal` file beside it).
//! PostgreSQL deployments use `pg_dump`, which does the same for them (see the README).

use super::Db;
use sqlx::{sqlite::SqliteConnectOptions, ConnectOptions, Connection, Row};
use std::path::Path;

/// Why a copy could not be made or used.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "the database is PostgreSQL: back it up with pg_dump (see the README's Backup section)"
    )]
    Postgres,
    #[error("{0} already exists: choose a new name, or pass --force to replace it")]
    Exists(String),
    #[error("{0} is not a CIT Academy database: {1}")]
    NotOurs(String, String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Writes a consistent copy of the live database to `to`, which must not exist yet.
pub async fn copy_to(db: &Db, to: &Path) -> Result<(), BackupError> {
    let Db::Sqlite(pool) = db else {
        return Err(BackupError::Postgres);
    };
    if to.exists() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(to.display().to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Checks that `file` is a whole SQLite database that this program migrated: the integrity
/// check passes and it has the migrations table. Returns how many migrations it holds.
pub async fn check(file: &Path) -> Result<i64, BackupError> {
    let not_ours = |why: String| BackupError::NotOurs(file.display().to_string(), why);
    if !file.is_file() {
        return Err(not_ours("no such file".to_owned()));
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| not_ours(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_ours(format!("integrity check says {integrity:?}")));
    }
    let migrations = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| not_ours("it has no migrations table".to_owned()))?
        .try_get::<i64, _>("n")?;
    conn.close().await?;
    Ok(migrations)
}

/// Puts the checked copy `from` in place of the SQLite database at `target`. The servers
/// must be stopped. The copy is first written beside the target and then renamed over it, so
/// a crash midway leaves either the old database or the restored one, never a mixture; the
/// old `-wal` and `-shm` files go, because they belong to the old database.
pub async fn restore(from: &Path, target: &Path, replace: bool) -> Result<(), BackupError> {
    check(from).await?;
    if target.exists() && !replace {
        return Err(BackupError::Exists(target.display().to_string()));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = target.with_extension("restoring");
    let _ = std::fs::remove_file(&partial);
    let mut source = SqliteConnectOptions::new()
        .filename(from)
        .read_only(true)
        .connect()
        .await?;
    sqlx::query("VACUUM INTO $1")
        .bind(partial.display().to_string())
        .execute(&mut source)
        .await?;
    source.close().await?;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    // The copy is in rollback-journal mode; the next open (`restore` migrates it) sets WAL.
    std::fs::rename(&partial, target)?;
    Ok(())
}

/// The file a `sqlite:` URL names, or `None` for PostgreSQL.
pub fn sqlite_file(database_url: &str) -> Result<Option<std::path::PathBuf>, BackupError> {
    if !database_url.starts_with("sqlite:") {
        return Ok(None);
    }
    use std::str::FromStr;
    let options = SqliteConnectOptions::from_str(database_url)?;
    Ok(Some(options.get_filename().to_path_buf()))
}
