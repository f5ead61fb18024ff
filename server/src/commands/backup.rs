//! `cit-academy backup` and `cit-academy restore`: the SQLite database and the uploaded files
//! (`$CIT_DATA_DIR/files`) as one directory that can be copied off the machine.
//!
//! The database is copied first and the files second: a file is stored before the row that
//! names it is committed, so every file the copied database refers to already exists when
//! the files are copied (a file uploaded later is an unused extra, not a hole).

use super::migrate::anyhow_like::Result;
use app::db::backup;
use std::path::Path;

/// The database's name inside a backup directory.
pub const DATABASE_FILE: &str = "cit-academy.db";
/// The uploaded files' folder inside a backup directory and inside the data directory.
pub const FILES_DIR: &str = "files";

/// Writes the backup directory `to` (which must not exist or be empty) from the database of
/// `database_url`. Returns how many uploaded files were copied.
pub async fn run(database_url: &str, data_dir: &Path, to: &Path) -> Result<usize> {
    match backup::sqlite_file(database_url)? {
        None => return Err(backup::BackupError::Postgres.into()),
        Some(file) if !file.is_file() => {
            return Err(format!("there is no database at {}", file.display()).into())
        }
        Some(_) => {}
    }
    if to.exists() && std::fs::read_dir(to)?.next().is_some() {
        return Err(format!(
            "{} is not empty: back up into a new directory",
            to.display()
        )
        .into());
    }
    std::fs::create_dir_all(to)?;
    let db = app::db::connect(database_url).await?;
    let copied = backup::copy_to(&db, &to.join(DATABASE_FILE)).await;
    db.close().await;
    copied?;
    copy_files(&data_dir.join(FILES_DIR), &to.join(FILES_DIR))
}

/// Puts the backup directory `from` in place: its database replaces the SQLite file of
/// `database_url` (only with `replace` when one is there) and its files join the data
/// directory. Every server must be stopped first. Returns how many files were copied.
pub async fn restore(
    database_url: &str,
    data_dir: &Path,
    from: &Path,
    replace: bool,
) -> Result<usize> {
    let Some(target) = backup::sqlite_file(database_url)? else {
        return Err(backup::BackupError::Postgres.into());
    };
    backup::restore(&from.join(DATABASE_FILE), &target, replace).await?;
    copy_files(&from.join(FILES_DIR), &data_dir.join(FILES_DIR))
}

/// Copies the regular files of `from` (if it exists) into `to`, skipping half-written
/// uploads (`.partial`).
fn copy_files(from: &Path, to: &Path) -> Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if !entry.file_type()?.is_file() || name.to_string_lossy().ends_with(".partial") {
            continue;
        }
        std::fs::copy(entry.path(), to.join(&name))?;
        copied += 1;
    }
    Ok(copied)
}
