//! Answer saves written together: group commit.
//!
//! Thousands of takers autosave every 15 seconds and all save at once at a deadline. Written
//! one transaction each, every save paid for a commit (a WAL flush on PostgreSQL) and, on
//! SQLite, its own turn at the single write lock behind starts and submits. Here each save
//! joins a queue for its database; whoever finds the queue's writer free becomes the writer,
//! takes every save waiting and writes them in one transaction, then answers each. A save is
//! acknowledged only after that commit, so "saved" still means "in the database".
//!
//! The write runs in a task of its own: a request that goes away (a closed tab) must not
//! cancel the transaction carrying other people's answers.

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

/// The saves waiting for one database, and who is writing.
#[derive(Default)]
struct Queue {
    waiting: Mutex<Vec<Job>>,
    writer: Arc<tokio::sync::Mutex<()>>,
}

/// One queue per database (a SQLite file, or a PostgreSQL server and database), shared by
/// every pool of this process on it.
fn queue_for(db: &Db) -> Arc<Queue> {
    static QUEUES: LazyLock<Mutex<HashMap<String, Arc<Queue>>>> = LazyLock::new(Default::default);
    let key = match db {
        Db::Sqlite(pool) => format!(
            "sqlite:{}",
            pool.connect_options().get_filename().display()
        ),
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
    let (reply, mut answer) = oneshot::channel();
    queue
        .waiting
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Job {
            attempt_id,
            user_id,
            position,
            response,
            flagged,
            seq,
            now,
            reply,
        });
    loop {
        tokio::select! {
            biased;
            done = &mut answer => {
                return done.unwrap_or_else(|_| Err(batch_failed("the writer stopped")));
            }
            turn = queue.writer.clone().lock_owned() => {
                let batch = take_batch(&queue);
                if batch.is_empty() {
                    // Another writer took ours; its answer is on the way.
                    continue;
                }
                let db = db.clone();
                // Detached, so that this request going away cannot cancel the others' saves.
                let written = tokio::spawn(async move {
                    write(&db, batch).await;
                    drop(turn);
                });
                // Ours may be in a later batch: loop until answered.
                let _ = written.await;
            }
        }
    }
}

fn take_batch(queue: &Queue) -> Vec<Job> {
    let mut waiting = queue.waiting.lock().unwrap_or_else(|e| e.into_inner());
    let take = waiting.len().min(MOST_PER_BATCH);
    let mut batch: Vec<Job> = waiting.drain(..take).collect();
    // One order for row locks across servers (no deadlock between two batches), and a tab's
    // older save before its newer one.
    batch.sort_by_key(|j| (j.attempt_id, j.seq));
    batch
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
