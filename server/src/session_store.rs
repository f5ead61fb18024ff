//! Sessions live in the database, so that any server of a cluster can serve any request and a
//! sign-out ends the session everywhere. The store is chosen with the database.
//!
//! The idle timeout slides: every request moves a session's expiry forward (the session layer
//! saves on every response). Writing that to the database on every request would make each
//! autosave of a test cost a second write, so a save whose data is unchanged is written only
//! when it moves the stored expiry by more than a tenth of the idle timeout. A session can
//! therefore end up to that tenth before its cookie says; it never lasts longer than the idle
//! timeout.

use app::db::Db;
use async_trait::async_trait;
use std::{
    collections::{hash_map::DefaultHasher, HashMap},
    hash::{Hash, Hasher},
    sync::{Arc, Mutex},
};
use time::{Duration, OffsetDateTime};
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    SessionStore,
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// What this server last read or wrote of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stored {
    fingerprint: u64,
    expiry: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct AnyStore {
    backend: Backend,
    stored: Arc<Mutex<HashMap<Id, Stored>>>,
    refresh: Duration,
}

impl AnyStore {
    /// The store for this database, with its table created if missing. `idle` is the idle
    /// timeout the session layer applies.
    pub async fn open(db: &Db, idle: Duration) -> Result<Self, sqlx::Error> {
        let backend = match db {
            Db::Sqlite(pool) => {
                let store = SqliteStore::new(pool.clone());
                store.migrate().await?;
                Backend::Sqlite(store)
            }
            Db::Postgres(pool) => {
                let store = PostgresStore::new(pool.clone());
                store.migrate().await?;
                Backend::Postgres(store)
            }
        };
        Ok(Self {
            backend,
            stored: Arc::default(),
            refresh: refresh_interval(idle),
        })
    }

    fn remember(&self, record: &Record) {
        let entry = Stored {
            fingerprint: fingerprint(record),
            expiry: record.expiry_date,
        };
        self.stored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(record.id, entry);
    }

    fn last_stored(&self, id: &Id) -> Option<Stored> {
        self.stored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .copied()
    }

    fn forget(&self, id: &Id) {
        self.stored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }
}

/// How far an unchanged session's expiry may move before it is written again.
fn refresh_interval(idle: Duration) -> Duration {
    idle / 10
}

/// The session's data, whatever the order of its keys.
fn fingerprint(record: &Record) -> u64 {
    let mut keys: Vec<&String> = record.data.keys().collect();
    keys.sort();
    let mut hasher = DefaultHasher::new();
    for key in keys {
        key.hash(&mut hasher);
        record.data[key].to_string().hash(&mut hasher);
    }
    hasher.finish()
}

/// Whether a save must reach the database: new data, a session this server has not seen, or
/// an expiry that moved more than `refresh` past the stored one.
fn needs_write(last: Option<Stored>, now: Stored, refresh: Duration) -> bool {
    match last {
        None => true,
        Some(last) => last.fingerprint != now.fingerprint || now.expiry - last.expiry > refresh,
    }
}

#[async_trait]
impl SessionStore for AnyStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match &self.backend {
            Backend::Sqlite(s) => s.create(record).await?,
            Backend::Postgres(s) => s.create(record).await?,
        }
        self.remember(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let now = Stored {
            fingerprint: fingerprint(record),
            expiry: record.expiry_date,
        };
        if !needs_write(self.last_stored(&record.id), now, self.refresh) {
            return Ok(());
        }
        match &self.backend {
            Backend::Sqlite(s) => s.save(record).await?,
            Backend::Postgres(s) => s.save(record).await?,
        }
        self.remember(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let record = match &self.backend {
            Backend::Sqlite(s) => s.load(id).await?,
            Backend::Postgres(s) => s.load(id).await?,
        };
        match &record {
            Some(r) => self.remember(r),
            None => self.forget(id),
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.forget(id);
        match &self.backend {
            Backend::Sqlite(s) => s.delete(id).await,
            Backend::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for AnyStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = OffsetDateTime::now_utc();
        self.stored
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, s| s.expiry > now);
        match &self.backend {
            Backend::Sqlite(s) => s.delete_expired().await,
            Backend::Postgres(s) => s.delete_expired().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::seconds(secs)
    }

    #[test]
    fn refresh_is_a_tenth_of_the_idle_timeout() {
        assert_eq!(
            refresh_interval(Duration::minutes(120)),
            Duration::minutes(12)
        );
        assert_eq!(
            refresh_interval(Duration::seconds(3)),
            Duration::milliseconds(300)
        );
    }

    #[test]
    fn writes_new_data_and_unknown_sessions_at_once() {
        let last = Stored {
            fingerprint: 1,
            expiry: at(1000),
        };
        let refresh = Duration::minutes(12);
        assert!(needs_write(None, last, refresh));
        assert!(needs_write(
            Some(last),
            Stored {
                fingerprint: 2,
                expiry: at(1000)
            },
            refresh
        ));
    }

    #[test]
    fn writes_an_unchanged_session_only_when_its_expiry_moved_past_the_interval() {
        let last = Stored {
            fingerprint: 1,
            expiry: at(1000),
        };
        let refresh = Duration::minutes(12);
        assert!(!needs_write(
            Some(last),
            Stored {
                fingerprint: 1,
                expiry: at(1000 + 720)
            },
            refresh
        ));
        assert!(needs_write(
            Some(last),
            Stored {
                fingerprint: 1,
                expiry: at(1000 + 721)
            },
            refresh
        ));
    }

    #[test]
    fn the_fingerprint_ignores_key_order_and_sees_values() {
        let mut a = Record {
            id: Id(1),
            data: HashMap::new(),
            expiry_date: at(0),
        };
        a.data.insert("x".into(), serde_json::json!(1));
        a.data.insert("y".into(), serde_json::json!("two"));
        let mut b = Record {
            id: Id(1),
            data: HashMap::new(),
            expiry_date: at(5),
        };
        b.data.insert("y".into(), serde_json::json!("two"));
        b.data.insert("x".into(), serde_json::json!(1));
        assert_eq!(fingerprint(&a), fingerprint(&b));
        b.data.insert("x".into(), serde_json::json!(2));
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }
}
