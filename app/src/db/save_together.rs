//! Answer saves written together: group commit.
//!
//! Thousands of takers autosave every 15 seconds and all save at once at a deadline. Written
//! one transaction each, every save paid for a commit (a WAL flush on PostgreSQL) and, on
//! SQLite, its own turn at the single write lock behind starts and submits. Here each save
//! joins a queue for its database; one writer task per queue takes every save waiting, writes
//! them in one transaction and answers each, and goes on until the queue is empty. A save is
//! acknowledged only after that commit, so "saved" still means "in the database".
//!
//! The writer is a task of its own: a request that goes away (a closed tab) must not cancel
//! the transaction carrying other people's answers. (A first version let the waiting requests
//! take turns at a writer lock; under load thousands of them woke one by one to find their
//! save already written, and the real writer queued behind them.)
//!
//! A writer keeps its connection from one batch to the next while saves keep coming: taking
//! one from the pool for every batch put it behind every page and start of a test day waiting
//! for the same pool.
//!
//! SQLite has one write lock, so one writer per file. PostgreSQL lets transactions on
//! different rows write side by side, and a single writer there made every save wait for one
//! network round trip per statement of everyone ahead of it; so saves are spread over
//! [`POSTGRES_WRITERS`] queues by attempt. All saves of one attempt share a queue, which keeps
//! a tab's saves in order, and two writers never touch the same rows.

use super::{take_turn, Db, Priority};
use crate::domain::attempt_rules;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{pool::PoolConnection, Connection, Pool, Postgres, Sqlite};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, LazyLock, Mutex},
};
use tokio::sync::oneshot;

use super::attempts::SaveError;

/// At most this many saves in one transaction, so that one batch never holds the write lock
/// for long; the rest go in the next.
const MOST_PER_BATCH: usize = 200;

/// Writers per PostgreSQL database (each with a pooled connection while it has work): enough
/// to keep the server busy while each waits for its round trips, few enough to leave most
/// of the pool to pages and starts.
const POSTGRES_WRITERS: i64 = 4;

/// One save waiting to be written.
pub(super) struct Job {
    pub attempt_id: i64,
    pub user_id: i64,
    pub position: i64,
    /// The response as stored (JSON), or None to clear it.
    pub response: Option<String>,
    pub flagged: bool,
    pub seq: i64,
    pub now: DateTime<Utc>,
    reply: oneshot::Sender<Result<(), SaveError>>,
}

/// The saves waiting for one database, and whether a writer is at work on them.
#[derive(Default)]
struct Queue {
    state: Mutex<Waiting>,
}

#[derive(Default)]
struct Waiting {
    jobs: Vec<Job>,
    writing: bool,
}

/// The queue for an attempt's saves: one per SQLite file, [`POSTGRES_WRITERS`] per PostgreSQL
/// server and database (chosen by attempt), shared by every pool of this process on it.
fn queue_for(db: &Db, attempt_id: i64) -> Arc<Queue> {
    static QUEUES: LazyLock<Mutex<HashMap<String, Arc<Queue>>>> = LazyLock::new(Default::default);
    let key = match db {
        Db::Sqlite(pool) => format!("sqlite:{}", pool.connect_options().get_filename().display()),
        Db::Postgres(pool) => {
            let o = pool.connect_options();
            format!(
                "postgres:{}:{}/{}#{}",
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or_default(),
                attempt_id.rem_euclid(POSTGRES_WRITERS)
            )
        }
    };
    // A poisoned map only means another thread panicked while inserting; the map is intact.
    let mut queues = QUEUES.lock().unwrap_or_else(|e| e.into_inner());
    queues.entry(key).or_default().clone()
}

/// Queues one save and waits until it is committed (or refused).
#[allow(clippy::too_many_arguments)]
pub(super) async fn save(
    db: &Db,
    attempt_id: i64,
    user_id: i64,
    position: i64,
    response: Option<String>,
    flagged: bool,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), SaveError> {
    let queue = queue_for(db, attempt_id);
    let (reply, answer) = oneshot::channel();
    let job = Job {
        attempt_id,
        user_id,
        position,
        response,
        flagged,
        seq,
        now,
        reply,
    };
    let start_writer = {
        let mut waiting = queue.state.lock().unwrap_or_else(|e| e.into_inner());
        waiting.jobs.push(job);
        !std::mem::replace(&mut waiting.writing, true)
    };
    if start_writer {
        // Detached, so that this request going away cannot cancel the others' saves.
        tokio::spawn(write_until_empty(db.clone(), queue));
    }
    answer
        .await
        .unwrap_or_else(|_| Err(batch_failed("the writer stopped")))
}

/// Writes batches until no save is waiting, then steps down (under the same lock as the
/// queueing, so a save queued meanwhile either is taken or starts the next writer).
async fn write_until_empty(db: Db, queue: Arc<Queue>) {
    // Should this task end early (a panic, a runtime shutting down), the next save starts a
    // new writer instead of waiting for this one forever.
    let mut step_down = StepDown {
        queue: queue.clone(),
        done: false,
    };
    let mut kept = Kept::default();
    loop {
        let batch = {
            let mut waiting = queue.state.lock().unwrap_or_else(|e| e.into_inner());
            if waiting.jobs.is_empty() {
                waiting.writing = false;
                step_down.done = true;
                return;
            }
            let take = waiting.jobs.len().min(MOST_PER_BATCH);
            let mut batch: Vec<Job> = waiting.jobs.drain(..take).collect();
            // One order for row locks across servers (no deadlock between two batches), and
            // a tab's older save before its newer one.
            batch.sort_by_key(|j| (j.attempt_id, j.seq));
            batch
        };
        write(&db, &mut kept, batch).await;
    }
}

/// The connection a writer keeps while it has work (one field per backend).
#[derive(Default)]
struct Kept {
    sqlite: Option<PoolConnection<Sqlite>>,
    postgres: Option<PoolConnection<Postgres>>,
}

/// The kept connection, taken from the pool if there is none yet.
async fn connection<'a, DB: sqlx::Database>(
    slot: &'a mut Option<PoolConnection<DB>>,
    pool: &Pool<DB>,
) -> Result<&'a mut PoolConnection<DB>, sqlx::Error> {
    Ok(match slot.take() {
        Some(conn) => slot.insert(conn),
        None => slot.insert(pool.acquire().await?),
    })
}

/// Marks the queue as having no writer if the writer ends before the queue is empty.
struct StepDown {
    queue: Arc<Queue>,
    done: bool,
}

impl Drop for StepDown {
    fn drop(&mut self) {
        if !self.done {
            self.queue
                .state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .writing = false;
        }
    }
}

fn batch_failed(why: impl std::fmt::Display) -> SaveError {
    SaveError::Db(sqlx::Error::Protocol(format!("save batch failed: {why}")))
}

/// Writes a batch in one transaction and answers every save in it.
async fn write(db: &Db, kept: &mut Kept, batch: Vec<Job>) {
    let outcomes = match write_all(db, kept, &batch).await {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tracing::error!(error = %e, saves = batch.len(), "a batch of answer saves failed");
            // The connection may be what failed; the next batch takes a fresh one.
            *kept = Kept::default();
            batch.iter().map(|_| Err(batch_failed(&e))).collect()
        }
    };
    for (job, outcome) in batch.into_iter().zip(outcomes) {
        // The person may have gone; the save stands either way.
        let _ = job.reply.send(outcome);
    }
}

/// Judges the batch against its attempts as read, writes what was taken in the open
/// transaction `$tx` with `$sql` (a [`BatchSql`]), commits, and evaluates to the outcomes.
/// A macro because the transaction's type differs per backend.
macro_rules! write_planned {
    ($tx:ident, $sql:expr, $batch:expr, $attempts:expr) => {{
        let plan = Plan::new($batch, &$attempts);
        let mut found = HashSet::new();
        if !plan.items.is_empty() {
            let rows: Vec<(i64, i64)> = sqlx::query_as($sql.items)
                .bind(plan.items_json($batch))
                .fetch_all(&mut *$tx)
                .await?;
            found.extend(rows);
        }
        if !plan.last_seqs.is_empty() {
            sqlx::query($sql.last_seqs)
                .bind(plan.last_seqs_json())
                .execute(&mut *$tx)
                .await?;
        }
        let (outcomes, log) = plan.finish($batch, &found);
        if !log.is_empty() {
            sqlx::query($sql.log).bind(log).execute(&mut *$tx).await?;
        }
        $tx.commit().await?;
        Ok(outcomes)
    }};
}

/// Each save's outcome, in batch order; Err only when the transaction itself failed (then
/// nothing of the batch was written).
///
/// A batch costs a handful of statements whatever its size: the attempts are read (and on
/// PostgreSQL locked) together, each save is judged in memory as if the saves had been
/// written one after another, and the answers, sequence numbers and save log are written in
/// one statement each. Three statements per save made a batch of 200 wait for 600 round trips
/// (on SQLite, 600 hops to the connection's thread), each a chance to wait for a busy core.
async fn write_all(
    db: &Db,
    kept: &mut Kept,
    batch: &[Job],
) -> Result<Vec<Result<(), SaveError>>, sqlx::Error> {
    let ids: Vec<i64> = batch.iter().map(|j| j.attempt_id).collect();
    match db {
        Db::Sqlite(pool) => {
            // The turn first: a writer waiting for it holds only its own connection.
            let _turn = take_turn(pool, Priority::First).await?;
            let conn = connection(&mut kept.sqlite, pool).await?;
            let mut tx = conn.begin_with(SQLITE.begin).await?;
            let attempts: Vec<AttemptRow> = sqlx::query_as("SELECT id, user_id, status, last_seq, deadline_at FROM attempts WHERE id IN (SELECT value FROM json_each($1))")
                .bind(json_array(&ids)).fetch_all(&mut *tx).await?;
            write_planned!(tx, SQLITE, batch, attempts)
        }
        Db::Postgres(pool) => {
            let conn = connection(&mut kept.postgres, pool).await?;
            let mut tx = conn.begin_with(POSTGRES.begin).await?;
            // Locked in id order: one lock order for every writer of every server.
            let attempts: Vec<AttemptRow> = sqlx::query_as("SELECT id, user_id, status, last_seq, deadline_at FROM attempts WHERE id = ANY($1) ORDER BY id FOR UPDATE")
                .bind(&ids).fetch_all(&mut *tx).await?;
            write_planned!(tx, POSTGRES, batch, attempts)
        }
    }
}

/// A batch's writes in one backend's dialect; each takes its rows as one JSON parameter.
struct BatchSql {
    /// Opens the batch's transaction.
    begin: &'static str,
    /// Answers (attempt_id, position, response, flagged, saved_at, seq), returning the
    /// (attempt_id, position) of each question found.
    items: &'static str,
    /// Highest sequence numbers (id, seq).
    last_seqs: &'static str,
    /// Save log rows (attempt_id, seq, position, saved_at).
    log: &'static str,
}

const SQLITE: BatchSql = BatchSql {
    // The write lock at once: a batch never starts reading and then waits to write.
    begin: "BEGIN IMMEDIATE",
    items: "UPDATE attempt_items SET response = t.response, flagged = t.flagged, saved_at = t.saved_at, save_seq = t.seq \
        FROM (SELECT value->>'attempt_id' AS attempt_id, value->>'position' AS position, value->>'response' AS response, \
              value->>'flagged' AS flagged, value->>'saved_at' AS saved_at, value->>'seq' AS seq FROM json_each($1)) AS t \
        WHERE attempt_items.attempt_id = t.attempt_id AND attempt_items.position = t.position \
        RETURNING attempt_items.attempt_id, attempt_items.position",
    last_seqs: "UPDATE attempts SET last_seq = t.seq FROM (SELECT value->>'id' AS id, value->>'seq' AS seq FROM json_each($1)) AS t WHERE attempts.id = t.id",
    log: "INSERT INTO attempt_saves (attempt_id, seq, position, saved_at) \
        SELECT value->>'attempt_id', value->>'seq', value->>'position', value->>'saved_at' FROM json_each($1)",
};

const POSTGRES: BatchSql = BatchSql {
    // Joins by key only, in the BEGIN's round trip (one simple query). The planner cannot see
    // how many rows the JSON holds (it guesses 100), and while attempt_items was small (a test
    // day's first minutes) it hashed the whole table for every batch; a batch touches at most
    // 200 rows, each by its key.
    begin: "BEGIN; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off",
    items: "UPDATE attempt_items AS i SET response = t.response, flagged = t.flagged, saved_at = t.saved_at, save_seq = t.seq \
        FROM jsonb_to_recordset($1::jsonb) AS t(attempt_id BIGINT, position BIGINT, response TEXT, flagged BOOLEAN, saved_at TIMESTAMPTZ, seq BIGINT) \
        WHERE i.attempt_id = t.attempt_id AND i.position = t.position \
        RETURNING i.attempt_id, i.position",
    last_seqs: "UPDATE attempts AS a SET last_seq = t.seq FROM jsonb_to_recordset($1::jsonb) AS t(id BIGINT, seq BIGINT) WHERE a.id = t.id",
    log: "INSERT INTO attempt_saves (attempt_id, seq, position, saved_at) \
        SELECT attempt_id, seq, position, saved_at FROM jsonb_to_recordset($1::jsonb) AS t(attempt_id BIGINT, seq BIGINT, position BIGINT, saved_at TIMESTAMPTZ)",
};

/// What a save checks of its attempt.
#[derive(Debug, Clone, sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    user_id: i64,
    status: String,
    last_seq: i64,
    deadline_at: DateTime<Utc>,
}

/// A batch judged: which saves are taken, what each question ends with, and each attempt's
/// new highest sequence number.
#[derive(Debug)]
struct Plan {
    /// Per save (batch order): taken, or why not.
    verdicts: Vec<Result<(), SaveRefusal>>,
    /// Per question saved to: the batch index of the last save taken for it (the one whose
    /// answer it keeps; earlier ones in the batch were overwritten within the transaction).
    items: Vec<usize>,
    /// (attempt, highest sequence number taken).
    last_seqs: Vec<(i64, i64)>,
}

/// Why a save was refused before its question was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SaveRefusal {
    NotFound,
    Rule(attempt_rules::SaveRefusal),
}

impl Plan {
    /// Judges the saves of a batch (sorted by attempt and sequence number) one after another,
    /// as separate transactions in that order would have: each against its attempt as the
    /// saves before it left it. A save of another person's attempt finds nothing.
    fn new(batch: &[Job], attempts: &[AttemptRow]) -> Plan {
        let mut state: HashMap<i64, AttemptRow> =
            attempts.iter().map(|a| (a.id, a.clone())).collect();
        let mut verdicts = Vec::with_capacity(batch.len());
        let mut last_per_item: HashMap<(i64, i64), usize> = HashMap::new();
        for (index, job) in batch.iter().enumerate() {
            let verdict = match state.get_mut(&job.attempt_id) {
                Some(a) if a.user_id == job.user_id => attempt_rules::may_save(
                    a.status == "in_progress",
                    a.deadline_at,
                    a.last_seq,
                    job.seq,
                    job.now,
                )
                .map(|()| a.last_seq = job.seq)
                .map_err(SaveRefusal::Rule),
                _ => Err(SaveRefusal::NotFound),
            };
            if verdict.is_ok() {
                last_per_item.insert((job.attempt_id, job.position), index);
            }
            verdicts.push(verdict);
        }
        let mut items: Vec<usize> = last_per_item.into_values().collect();
        items.sort_unstable();
        let mut last_seqs: Vec<(i64, i64)> = batch
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| v.is_ok())
            .filter_map(|(j, _)| state.get(&j.attempt_id).map(|a| (a.id, a.last_seq)))
            .collect();
        last_seqs.sort_unstable();
        last_seqs.dedup();
        Plan {
            verdicts,
            items,
            last_seqs,
        }
    }

    /// The answers to write, one per question, as JSON rows.
    fn items_json(&self, batch: &[Job]) -> String {
        let rows: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|&i| {
                let j = &batch[i];
                serde_json::json!({
                    "attempt_id": j.attempt_id,
                    "position": j.position,
                    "response": j.response,
                    "flagged": j.flagged,
                    "saved_at": stored_time(j.now),
                    "seq": j.seq,
                })
            })
            .collect();
        serde_json::Value::Array(rows).to_string()
    }

    fn last_seqs_json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .last_seqs
            .iter()
            .map(|&(id, seq)| serde_json::json!({ "id": id, "seq": seq }))
            .collect();
        serde_json::Value::Array(rows).to_string()
    }

    /// Every save's outcome once the answers are written (`found`: the questions that
    /// exist), and the save log rows (JSON) for those taken. A taken save of a question the
    /// attempt lacks is refused as not found; its sequence number stays used, which refuses
    /// nothing later (a save needs a higher one only).
    fn finish(
        self,
        batch: &[Job],
        found: &HashSet<(i64, i64)>,
    ) -> (Vec<Result<(), SaveError>>, String) {
        let mut log = Vec::new();
        let outcomes = batch
            .iter()
            .zip(self.verdicts)
            .map(|(j, verdict)| match verdict {
                Ok(()) if found.contains(&(j.attempt_id, j.position)) => {
                    log.push(serde_json::json!({
                        "attempt_id": j.attempt_id,
                        "seq": j.seq,
                        "position": j.position,
                        "saved_at": stored_time(j.now),
                    }));
                    Ok(())
                }
                Ok(()) | Err(SaveRefusal::NotFound) => Err(SaveError::NotFound),
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::Finished)) => {
                    Err(SaveError::Finished)
                }
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::TooLate)) => {
                    Err(SaveError::TooLate)
                }
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::Stale)) => Err(SaveError::Stale),
            })
            .collect();
        let log = if log.is_empty() {
            String::new()
        } else {
            serde_json::Value::Array(log).to_string()
        };
        (outcomes, log)
    }
}

/// A time as the database stores it: the text sqlx writes for SQLite (which compares times as
/// text, so it must be the same), which PostgreSQL reads as a `timestamptz`.
fn stored_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn json_array(ids: &[i64]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    fn job(attempt_id: i64, position: i64, seq: i64) -> Job {
        Job {
            attempt_id,
            user_id: 7,
            position,
            response: Some(format!("\"answer {seq}\"")),
            flagged: false,
            seq,
            now: at(0),
            reply: oneshot::channel().0,
        }
    }

    fn running(id: i64, last_seq: i64) -> AttemptRow {
        AttemptRow {
            id,
            user_id: 7,
            status: "in_progress".into(),
            last_seq,
            deadline_at: at(600),
        }
    }

    #[test]
    fn saves_of_one_attempt_are_judged_in_turn() {
        let batch = [job(1, 0, 3), job(1, 0, 4), job(1, 1, 4), job(1, 1, 5)];
        let plan = Plan::new(&batch, &[running(1, 2)]);
        assert_eq!(
            plan.verdicts,
            [
                Ok(()),
                Ok(()),
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::Stale)),
                Ok(())
            ]
        );
        // Each question keeps its last save; the attempt's number is the highest taken.
        assert_eq!(plan.items, [1, 3]);
        assert_eq!(plan.last_seqs, [(1, 5)]);
    }

    #[test]
    fn a_save_at_or_below_the_stored_number_is_stale() {
        let plan = Plan::new(&[job(1, 0, 2), job(1, 0, 3)], &[running(1, 2)]);
        assert_eq!(
            plan.verdicts,
            [
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::Stale)),
                Ok(())
            ]
        );
        assert_eq!(plan.items, [1]);
    }

    #[test]
    fn refusals_name_their_reason_and_write_nothing() {
        let mut finished = running(2, 0);
        finished.status = "submitted".into();
        let mut late = running(3, 0);
        late.deadline_at = at(-SAVE_GRACE - 1);
        let mut someone_elses = running(4, 0);
        someone_elses.user_id = 8;
        let batch = [job(2, 0, 1), job(3, 0, 1), job(4, 0, 1), job(5, 0, 1)];
        let plan = Plan::new(&batch, &[finished, late, someone_elses]);
        assert_eq!(
            plan.verdicts,
            [
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::Finished)),
                Err(SaveRefusal::Rule(attempt_rules::SaveRefusal::TooLate)),
                Err(SaveRefusal::NotFound),
                Err(SaveRefusal::NotFound),
            ]
        );
        assert!(plan.items.is_empty());
        assert!(plan.last_seqs.is_empty());
    }

    #[test]
    fn within_the_grace_a_save_is_taken() {
        let mut ending = running(1, 0);
        ending.deadline_at = at(-SAVE_GRACE);
        assert_eq!(Plan::new(&[job(1, 0, 1)], &[ending]).verdicts, [Ok(())]);
    }

    #[test]
    fn a_taken_save_of_a_missing_question_is_not_found_and_not_logged() {
        let batch = [job(1, 0, 1), job(1, 9, 2)];
        let plan = Plan::new(&batch, &[running(1, 0)]);
        assert_eq!(plan.last_seqs, [(1, 2)]);
        let found = HashSet::from([(1, 0)]);
        let (outcomes, log) = plan.finish(&batch, &found);
        assert!(outcomes[0].is_ok());
        assert!(matches!(outcomes[1], Err(SaveError::NotFound)));
        let log: serde_json::Value = serde_json::from_str(&log).unwrap();
        assert_eq!(log.as_array().unwrap().len(), 1);
        assert_eq!(log[0]["seq"], 1);
    }

    #[test]
    fn times_are_written_as_sqlx_writes_them() {
        use sqlx::{Encode, Sqlite};
        let t = DateTime::from_timestamp(1_800_000_000, 123_456_000).unwrap();
        let mut args = Vec::new();
        let _ = Encode::<Sqlite>::encode_by_ref(&t, &mut args);
        let written = format!("{:?}", args[0]);
        assert!(
            written.contains(&stored_time(t)),
            "{written} vs {}",
            stored_time(t)
        );
    }

    const SAVE_GRACE: i64 = attempt_rules::SAVE_GRACE_SECONDS;
}
