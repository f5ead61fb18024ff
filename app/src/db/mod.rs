//! The data layer: one function per operation, serving SQLite and PostgreSQL alike.
//!
//! Each query is written once with `$1` placeholders (both backends accept them) and compiled
//! for both pools by [`on_db!`]; per-backend SQL appears only where the dialects differ.

pub mod attempts;
pub mod attendance;
pub mod attendance_imports;
mod audit;
pub mod certificate_issue;
pub mod certificates;
pub mod connect;
pub mod courses;
pub mod exams;
pub mod gradebook;
pub mod grading;
pub mod item_analysis;
pub mod materials;
pub mod meeting_changes;
pub mod offerings;
pub mod outbox;
pub mod questions;
pub mod registrations;
pub mod regrade;
pub mod scenario_groups;
pub mod shipments;
pub mod sign_in_failures;
pub mod tokens;
pub mod users;

pub use connect::{connect, migrate};

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
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<Transaction<'static, Self::Database>, sqlx::Error>>
           + Send;
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Whether an error is a unique-constraint violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
