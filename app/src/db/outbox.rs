//! The outbox: every email is stored here first, in the same transaction as the change that
//! caused it, and a background sender delivers it. Claims make it safe with several servers.

use super::{on_db, Db};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tracing::instrument;

/// Delivery is abandoned after this many failed attempts (the row stays, with its last error).
pub const MAX_ATTEMPTS: i64 = 10;

/// A file sent with a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content_base64: String,
}

/// A message to store. `kind` names the template (`verify_email`, ...), for logs and throttling.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub attachments: &'a [Attachment],
    pub kind: &'a str,
    /// A link that grants something (a token): the body marks its place with
    /// [`LINK_SLOT`](crate::domain::mail::LINK_SLOT), and it is stored apart and erased once
    /// the message is sent, so that the database never keeps a usable link.
    pub secret_link: Option<&'a str>,
}

/// A stored message, as the sender and the tests read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub attachments: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The link the body's slot stands for, until the message is sent or given up.
    pub secret_link: Option<String>,
}

impl OutboxRow {
    /// The body as it is sent: with its secret link, if it has one.
    pub fn body_to_send(&self) -> String {
        match &self.secret_link {
            Some(link) => crate::domain::mail::fill_link(&self.body_text, link),
            None => self.body_text.clone(),
        }
    }

    /// The attachments stored as JSON.
    pub fn attachments(&self) -> Result<Vec<Attachment>, serde_json::Error> {
        serde_json::from_str(&self.attachments)
    }
}

const COLUMNS: &str =
    "id, to_address, subject, body_text, attachments, kind, created_at, attempts, \
                       next_attempt_at, sent_at, last_error, secret_link";

const INSERT: &str = "INSERT INTO outbox (to_address, subject, body_text, attachments, kind, created_at, next_attempt_at, secret_link) \
                      VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id";

/// Sends a message once: in one write transaction on `$db`, runs `$claim` (an `INSERT ... ON
/// CONFLICT DO NOTHING` of a key that stands for this message) and, only when it inserted the
/// key, stores `$message`. A key already there (another run, another server) means it was
/// sent. Evaluates to whether this call stored it.
macro_rules! enqueue_once {
    ($db:expr, $claim:expr, $message:expr, $now:expr) => {
        $crate::db::on_db!($db, pool => {
            use $crate::db::{outbox::Enqueue, BeginWrite};
            let mut tx = pool.begin_write().await?;
            let claimed = $claim.execute(&mut *tx).await?.rows_affected() == 1;
            if claimed {
                tx.enqueue($message, $now).await?;
                tx.commit().await?;
            }
            claimed
        })
    };
}
pub(crate) use enqueue_once;

/// Stores a message on a connection or inside a caller's transaction (`&mut *tx`), so that
/// the message exists exactly when the change that caused it was committed.
pub trait Enqueue {
    fn enqueue(
        &mut self,
        message: &NewMessage<'_>,
        now: DateTime<Utc>,
    ) -> impl std::future::Future<Output = Result<i64, sqlx::Error>> + Send;
}

macro_rules! insert_message {
    ($conn:expr, $m:expr, $now:expr) => {{
        let attachments =
            serde_json::to_string($m.attachments).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query_scalar(INSERT)
            .bind($m.to)
            .bind($m.subject)
            .bind($m.body_text)
            .bind(attachments)
            .bind($m.kind)
            .bind($now)
            .bind($m.secret_link)
            .fetch_one($conn)
            .await
    }};
}

impl Enqueue for sqlx::SqliteConnection {
    async fn enqueue(
        &mut self,
        m: &NewMessage<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        insert_message!(&mut *self, m, now)
    }
}

impl Enqueue for sqlx::PgConnection {
    async fn enqueue(
        &mut self,
        m: &NewMessage<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        insert_message!(&mut *self, m, now)
    }
}

/// Stores a message on its own (outside any transaction).
#[instrument(skip_all, fields(db = db.backend(), kind = message.kind))]
pub async fn enqueue(
    db: &Db,
    message: &NewMessage<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => {
        let mut conn = pool.acquire().await?;
        conn.enqueue(message, now).await
    })
}

/// The SQL condition of a message that waits for its recipient to verify their address: it is
/// not an account message and goes to an account whose address is not verified (see
/// [`sent_before_verification`](crate::domain::mail::sent_before_verification)). Messages are
/// addressed with the account's stored email, so equality finds it. Verifying releases them:
/// they are due from then on, in the order they were made.
fn held_condition() -> String {
    let kinds = crate::domain::mail::ACCOUNT_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "(outbox.kind NOT IN ({kinds}) AND EXISTS (SELECT 1 FROM users \
           WHERE users.email = outbox.to_address AND users.email_verified_at IS NULL))"
    )
}

/// Claims up to `limit` due messages for `claim` (a value unique to this attempt) until
/// `until`, and returns them. A message is due when unsent, under the attempt limit, past its
/// next attempt time, not held for an unverified address and not claimed by anyone (or their
/// claim lapsed). The condition is
/// repeated on the outer UPDATE so that, on PostgreSQL, a server that waited for another's
/// row lock re-checks it and skips what the other claimed; SQLite runs one writer at a time.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn claim(
    db: &Db,
    claim: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OutboxRow>, sqlx::Error> {
    let held = held_condition();
    let update = format!(
        "UPDATE outbox SET claimed_until = $1, claimed_by = $2 \
         WHERE id IN (SELECT id FROM outbox \
                      WHERE sent_at IS NULL AND attempts < $5 AND next_attempt_at <= $3 \
                        AND (claimed_until IS NULL OR claimed_until <= $3) AND NOT {held} \
                      ORDER BY id LIMIT $4) \
           AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $3)"
    );
    let select = format!(
        "SELECT {COLUMNS} FROM outbox WHERE claimed_by = $1 AND sent_at IS NULL ORDER BY id"
    );
    // Looking first keeps an idle outbox from taking SQLite's write lock every few seconds.
    let due = format!(
        "SELECT id FROM outbox WHERE sent_at IS NULL AND attempts < $1 AND next_attempt_at <= $2 \
               AND (claimed_until IS NULL OR claimed_until <= $2) AND NOT {held} LIMIT 1"
    );
    on_db!(db, pool => {
        let any: Option<i64> = sqlx::query_scalar(&due).bind(MAX_ATTEMPTS).bind(now).fetch_optional(pool).await?;
        if any.is_none() {
            return Ok(Vec::new());
        }
        sqlx::query(&update)
            .bind(until)
            .bind(claim)
            .bind(now)
            .bind(limit)
            .bind(MAX_ATTEMPTS)
            .execute(pool)
            .await?;
        sqlx::query_as(&select).bind(claim).fetch_all(pool).await
    })
}

/// Marks a claimed message as delivered, and erases its secret link: the recipient has it,
/// and a copy left here would work for whoever reads the database or a backup.
#[instrument(skip_all, fields(db = db.backend(), outbox_id = id))]
pub async fn mark_sent(
    db: &Db,
    id: i64,
    claim: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    use crate::domain::mail::{LINK_REMOVED, LINK_SLOT};
    let sql = "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
               secret_link = NULL, body_text = REPLACE(body_text, $4, $5) \
               WHERE id = $2 AND claimed_by = $3";
    on_db!(db, pool => {
        sqlx::query(sql).bind(now).bind(id).bind(claim).bind(LINK_SLOT).bind(LINK_REMOVED)
            .execute(pool).await.map(|_| ())
    })
}

/// Records a failed attempt and when to try again; releases the claim. The last attempt
/// erases the secret link as sending would: a message given up is never sent.
#[instrument(skip_all, fields(db = db.backend(), outbox_id = id))]
pub async fn mark_failed(
    db: &Db,
    id: i64,
    claim: &str,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    use crate::domain::mail::{LINK_REMOVED, LINK_SLOT};
    let sql = "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, \
               claimed_until = NULL, \
               secret_link = CASE WHEN attempts + 1 >= $5 THEN NULL ELSE secret_link END, \
               body_text = CASE WHEN attempts + 1 >= $5 THEN REPLACE(body_text, $6, $7) ELSE body_text END \
               WHERE id = $3 AND claimed_by = $4";
    on_db!(db, pool => {
        sqlx::query(sql).bind(error).bind(next_attempt_at).bind(id).bind(claim)
            .bind(MAX_ATTEMPTS).bind(LINK_SLOT).bind(LINK_REMOVED)
            .execute(pool).await.map(|_| ())
    })
}

/// How many messages of `kind` went to `to` since `since` (throttling of "send it again").
#[instrument(skip_all, fields(db = db.backend(), kind))]
pub async fn count_recent(
    db: &Db,
    to: &str,
    kind: &str,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND kind = $2 AND created_at > $3";
    on_db!(db, pool => sqlx::query_scalar(sql).bind(to).bind(kind).bind(since).fetch_one(pool).await)
}

/// The newest messages first (for administrators and tests).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<OutboxRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)
}

/// Deletes messages delivered before `before`: the outbox is a queue, not an archive.
/// Messages never delivered stay, for an administrator to look into. Returns how many went.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn prune_sent(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let sql = "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1";
    on_db!(db, pool => sqlx::query(sql).bind(before).execute(pool).await.map(|r| r.rows_affected()))
}
