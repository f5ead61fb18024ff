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

use super::{on_db, BeginWrite, Db, Priority};
use crate::domain::attempt_rules::SAVE_GRACE_SECONDS;
use chrono::{DateTime, Duration, Utc};
use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};
use tokio::sync::oneshot;

use super::attempts::SaveError;

/// At most this many saves in one transaction, so that one batch never holds the write lock
/// for long; the rest go in the next.
const MOST_PER_BATCH: usize = 200;

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

/// One queue per database (a SQLite file, or a PostgreSQL server and database), shared by
/// every pool of this process on it.
fn queue_for(db: &Db) -> Arc<Queue> {
    static QUEUES: LazyLock<Mutex<HashMap<String, Arc<Queue>>>> = LazyLock::new(Default::default);
    let key = match db {
        Db::Sqlite(pool) => format!("sqlite:{}", pool.connect_options().get_filename().display()),
        Db::Postgres(pool) => {
            let o = pool.connect_options();
            format!(
                "postgres:{}:{}/{}",
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or_default()
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
    let queue = queue_for(db);
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
        write(&db, batch).await;
    }
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
async fn write(db: &Db, batch: Vec<Job>) {
    let outcomes = match write_all(db, &batch).await {
        Ok(outcomes) => outcomes,
        Err(e) => {
            tracing::error!(error = %e, saves = batch.len(), "a batch of answer saves failed");
            batch.iter().map(|_| Err(batch_failed(&e))).collect()
        }
    };
    for (job, outcome) in batch.into_iter().zip(outcomes) {
        // The person may have gone; the save stands either way.
        let _ = job.reply.send(outcome);
    }
}

/// Each save's outcome, in batch order; Err only when the transaction itself failed (then
/// nothing of the batch was written).
async fn write_all(db: &Db, batch: &[Job]) -> Result<Vec<Result<(), SaveError>>, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write_with(Priority::First).await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in batch {
            let cutoff = job.now - Duration::seconds(SAVE_GRACE_SECONDS);
            let taken = sqlx::query("UPDATE attempts SET last_seq = $1 WHERE id = $2 AND user_id = $3 AND status = 'in_progress' AND last_seq < $1 AND deadline_at >= $4")
                .bind(job.seq).bind(job.attempt_id).bind(job.user_id).bind(cutoff)
                .execute(&mut *tx).await?.rows_affected();
            if taken == 0 {
                let row: Option<(String, DateTime<Utc>)> = sqlx::query_as("SELECT status, deadline_at FROM attempts WHERE id = $1 AND user_id = $2")
                    .bind(job.attempt_id).bind(job.user_id).fetch_optional(&mut *tx).await?;
                outcomes.push(Err(match row {
                    None => SaveError::NotFound,
                    Some((status, _)) if status != "in_progress" => SaveError::Finished,
                    Some((_, deadline)) if deadline < cutoff => SaveError::TooLate,
                    Some(_) => SaveError::Stale,
                }));
                continue;
            }
            let updated = sqlx::query("UPDATE attempt_items SET response = $1, flagged = $2, saved_at = $3, save_seq = $4 WHERE attempt_id = $5 AND position = $6")
                .bind(&job.response).bind(job.flagged).bind(job.now).bind(job.seq).bind(job.attempt_id).bind(job.position)
                .execute(&mut *tx).await?.rows_affected();
            if updated == 0 {
                // No such question: nothing saved. The sequence number it used is simply
                // skipped, which refuses nothing later (a save needs a higher one only).
                outcomes.push(Err(SaveError::NotFound));
                continue;
            }
            sqlx::query("INSERT INTO attempt_saves (attempt_id, seq, position, saved_at) VALUES ($1, $2, $3, $4)")
                .bind(job.attempt_id).bind(job.seq).bind(job.position).bind(job.now)
                .execute(&mut *tx).await?;
            outcomes.push(Ok(()));
        }
        tx.commit().await?;
        Ok(outcomes)
    })
}
