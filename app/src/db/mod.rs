//! The data layer: one function per operation, serving SQLite and PostgreSQL alike.
//!
//! Each query is written once with `$1` placeholders (both backends accept them) and compiled
//! for both pools by [`on_db!`]; per-backend SQL appears only where the dialects differ.

pub mod attempts;
pub mod attendance;
pub mod attendance_imports;
pub mod audit;
pub mod backup;
pub mod ce_records;
pub mod certificate_imports;
pub mod certificate_issue;
pub mod certificate_list;
pub mod certificate_revoke;
pub mod certificates;
pub mod connect;
pub mod courses;
pub mod evaluations;
pub mod exams;
pub mod gradebook;
pub mod grading;
pub mod item_analysis;
pub mod materials;
pub mod meeting_changes;
pub mod memberships;
pub mod offerings;
mod order;
pub mod outbox;
pub mod pending_records;
pub mod pending_registrations;
pub mod question_list;
pub mod questions;
pub mod registrations;
pub mod regrade;
pub mod renewal;
pub mod reports;
pub mod resources;
mod save_together;
pub mod scenario_groups;
pub mod shipments;
pub mod sign_in_failures;
pub mod teaching;
pub mod tokens;
pub mod users;

pub use connect::{connect, migrate};
pub use order::{order_by, OrderBy};

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// The configured database. Cheap to clone (pools are reference-counted).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Db {
    /// "sqlite" or "postgres", for logs and tests.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Runs `$body` with `$pool` bound to the concrete pool, once per backend.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub use on_db;

/// Begins a transaction that will write.
///
/// On SQLite it must be `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes
/// fails at once with "database is locked" when another writer got there first, bypassing
/// the busy timeout; an immediate one waits its turn.
///
/// SQLite's own wait for the lock is a sleep that grows to 100 ms between retries, so under
/// many concurrent writers (thousands of autosaves a minute) most of the time went to sleeping
/// while the lock stood free. The writers of this process therefore queue first on an async
/// lock per database file, in arrival order, and SQLite's busy timeout is left for other
/// processes only.
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<WriteTx<Self::Database>, sqlx::Error>> + Send
    {
        self.begin_write_with(Priority::InTurn)
    }
    fn begin_write_with(
        &self,
        priority: Priority,
    ) -> impl std::future::Future<Output = Result<WriteTx<Self::Database>, sqlx::Error>> + Send;
}

/// Who goes first when writers queue for SQLite's one write lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Everyone else, in arrival order.
    InTurn,
    /// Answer saves (written in batches): they wait behind at most one other writer, so a
    /// crowd of starts or submits at a deadline never delays an autosave by more than one
    /// transaction.
    First,
}

/// A write transaction: used like sqlx's (`&mut *tx`), ended with [`WriteTx::commit`] (or
/// dropped, which rolls back). On SQLite it holds this process's turn to write until then.
pub struct WriteTx<DB: sqlx::Database> {
    tx: Transaction<'static, DB>,
    _turn: Option<Turn>,
}

/// A held turn to write: the lock itself and, for writers in turn, their place at the door.
struct Turn {
    _lock: tokio::sync::OwnedMutexGuard<()>,
    _door: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<DB: sqlx::Database> WriteTx<DB> {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl<DB: sqlx::Database> std::ops::Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}

/// How long a writer waits for its turn before giving up (as long as PostgreSQL's pool wait).
const WRITE_TURN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The queue of writers for one SQLite file (all pools of the process on that file share it).
/// Writers in turn pass a door one at a time before queueing for the lock, so at most one of
/// them is ever ahead of a [`Priority::First`] writer, which goes straight to the lock.
#[derive(Default)]
struct WriteTurns {
    door: std::sync::Arc<tokio::sync::Mutex<()>>,
    lock: std::sync::Arc<tokio::sync::Mutex<()>>,
}

fn write_turns(pool: &SqlitePool) -> std::sync::Arc<WriteTurns> {
    use std::{
        collections::HashMap,
        path::PathBuf,
        sync::{Arc, LazyLock, Mutex},
    };
    static TURNS: LazyLock<Mutex<HashMap<PathBuf, Arc<WriteTurns>>>> =
        LazyLock::new(Default::default);
    let file = pool.connect_options().get_filename().to_path_buf();
    // A poisoned map only means another thread panicked while inserting; the map is intact.
    let mut turns = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    turns.entry(file).or_default().clone()
}

/// Waits for this process's turn to write to the pool's SQLite file; the turn lasts until the
/// value is dropped. For a writer that brings its own connection (the answer-save writer).
async fn take_turn(pool: &SqlitePool, priority: Priority) -> Result<Turn, sqlx::Error> {
    let turns = write_turns(pool);
    let wait = async {
        let door = match priority {
            Priority::InTurn => Some(turns.door.clone().lock_owned().await),
            Priority::First => None,
        };
        let lock = turns.lock.clone().lock_owned().await;
        Turn {
            _lock: lock,
            _door: door,
        }
    };
    tokio::time::timeout(WRITE_TURN_TIMEOUT, wait)
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;
    async fn begin_write_with(&self, priority: Priority) -> Result<WriteTx<Sqlite>, sqlx::Error> {
        let turn = take_turn(self, priority).await?;
        let tx = self.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx {
            tx,
            _turn: Some(turn),
        })
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;
    async fn begin_write_with(&self, _: Priority) -> Result<WriteTx<Postgres>, sqlx::Error> {
        Ok(WriteTx {
            tx: self.begin().await?,
            _turn: None,
        })
    }
}

/// Whether an error is a unique-constraint violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
