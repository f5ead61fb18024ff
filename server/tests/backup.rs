//! `cit-academy backup` and `restore`, run as the real binary: a backup taken while the site
//! keeps writing is one consistent moment, a restore brings back that moment (database and
//! uploaded files), and the commands refuse what would lose data.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::db::Db;
use cit_server::commands;
use std::{
    path::{Path, PathBuf},
    process::Output,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
};

/// Runs the binary with the site's configuration.
fn cit_academy(database: &Path, data_dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cit-academy"))
        .args(args)
        .env("DATABASE_URL", sqlite_url(database))
        .env("CIT_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("cit-academy runs")
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// The ids of the rows the writer added, in order.
async fn written(db: &Db) -> Vec<i64> {
    let Db::Sqlite(pool) = db else { unreachable!() };
    sqlx::query_scalar(
        "SELECT entity_id FROM audit_log WHERE action = 'backup-test' ORDER BY entity_id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn write_one(db: &Db, n: i64) {
    let Db::Sqlite(pool) = db else { unreachable!() };
    sqlx::query(
        "INSERT INTO audit_log (at, action, entity, entity_id) VALUES ('2026-11-24T00:00:00Z', 'backup-test', 'test', $1)",
    )
    .bind(n)
    .execute(pool)
    .await
    .unwrap();
}

struct Site {
    _dir: tempfile::TempDir,
    database: PathBuf,
    data: PathBuf,
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    Site {
        database: data.join("cit-academy.db"),
        data,
        _dir: dir,
    }
}

#[test]
fn a_backup_taken_while_writing_restores_one_consistent_moment() {
    common::run(async {
        let live = site();
        let db = commands::migrate::open_migrated(&sqlite_url(&live.database))
            .await
            .unwrap();
        std::fs::create_dir_all(live.data.join("files")).unwrap();
        std::fs::write(
            live.data.join("files/0123456789abcdef0123456789abcdef"),
            b"guide",
        )
        .unwrap();
        std::fs::write(live.data.join("files/.fedcba.partial"), b"half").unwrap();

        // A writer keeps committing numbered rows while the backup runs.
        let stop = Arc::new(AtomicBool::new(false));
        let writer = tokio::spawn({
            let (db, stop) = (db.clone(), stop.clone());
            async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    write_one(&db, n).await;
                }
                n
            }
        });
        while written(&db).await.len() < 50 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let backup = live._dir.path().join("backup");
        let out = {
            let (database, data, to) = (live.database.clone(), live.data.clone(), backup.clone());
            tokio::task::spawn_blocking(move || {
                cit_academy(&database, &data, &["backup", "--to", to.to_str().unwrap()])
            })
            .await
            .unwrap()
        };
        assert!(
            out.status.success(),
            "backup failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 uploaded files"));
        stop.store(true, Ordering::Relaxed);
        let last = writer.await.unwrap();
        write_one(&db, last + 1).await; // surely after the backup
        db.close().await;

        // Restore onto a fresh machine's layout.
        let fresh = site();
        let out = cit_academy(
            &fresh.database,
            &fresh.data,
            &["restore", "--from", backup.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "restore failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let restored = commands::migrate::open_migrated(&sqlite_url(&fresh.database))
            .await
            .unwrap();
        let rows = written(&restored).await;
        restored.close().await;
        // One moment: the first k rows, no gap, and not the one written after.
        assert!(rows.len() >= 50, "only {} rows", rows.len());
        assert_eq!(rows, (1..=rows.len() as i64).collect::<Vec<_>>());
        assert!(!rows.contains(&(last + 1)));
        assert_eq!(
            std::fs::read(fresh.data.join("files/0123456789abcdef0123456789abcdef")).unwrap(),
            b"guide"
        );
        assert!(!fresh.data.join("files/.fedcba.partial").exists());
    });
}

#[test]
fn restore_and_backup_refuse_what_would_lose_data() {
    common::run(async {
        let live = site();
        let db = commands::migrate::open_migrated(&sqlite_url(&live.database))
            .await
            .unwrap();
        write_one(&db, 1).await;
        db.close().await;
        let backup = live._dir.path().join("backup");
        let to = backup.to_str().unwrap();
        assert!(
            cit_academy(&live.database, &live.data, &["backup", "--to", to])
                .status
                .success()
        );

        // Into a directory that holds something: refused, nothing overwritten.
        let again = cit_academy(&live.database, &live.data, &["backup", "--to", to]);
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

        // Over a database that is there: only with --force.
        let db = commands::migrate::open_migrated(&sqlite_url(&live.database))
            .await
            .unwrap();
        write_one(&db, 2).await;
        db.close().await;
        let refused = cit_academy(&live.database, &live.data, &["restore", "--from", to]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
        let db = commands::migrate::open_migrated(&sqlite_url(&live.database))
            .await
            .unwrap();
        assert_eq!(
            written(&db).await,
            vec![1, 2],
            "a refused restore changed the database"
        );
        db.close().await;
        let forced = cit_academy(
            &live.database,
            &live.data,
            &["restore", "--from", to, "--force"],
        );
        assert!(
            forced.status.success(),
            "{}",
            String::from_utf8_lossy(&forced.stderr)
        );
        let db = commands::migrate::open_migrated(&sqlite_url(&live.database))
            .await
            .unwrap();
        assert_eq!(
            written(&db).await,
            vec![1],
            "the restore did not bring back the backup"
        );
        db.close().await;

        // Something that is not one of our databases: refused before anything is touched.
        let junk = live._dir.path().join("junk");
        std::fs::create_dir_all(&junk).unwrap();
        std::fs::write(
            junk.join(commands::backup::DATABASE_FILE),
            b"not a database",
        )
        .unwrap();
        let out = cit_academy(
            &live.database,
            &live.data,
            &["restore", "--from", junk.to_str().unwrap(), "--force"],
        );
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not a CIT Academy database"));
        let db = commands::migrate::open_migrated(&sqlite_url(&live.database))
            .await
            .unwrap();
        assert_eq!(written(&db).await, vec![1]);
        db.close().await;
    });
}

#[test]
fn postgres_is_sent_to_pg_dump() {
    let Some(common::Backend::Postgres(url)) = common::Backend::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cit-academy"))
        .args(["backup", "--to", dir.path().join("b").to_str().unwrap()])
        .env("DATABASE_URL", url)
        .env("CIT_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
    assert!(
        !dir.path().join("b").exists(),
        "a PostgreSQL backup left a half directory"
    );
}
