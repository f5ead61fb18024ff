//! Single-use links sent by email (verify the address, reset the password), and the requests
//! that ask for them. Only a token's SHA-256 is stored: a copy of the database gives no
//! working link.

use super::{
    on_db,
    outbox::{Enqueue, NewMessage},
    pending_records::AttachPending,
    sign_in_failures::Times,
    BeginWrite, Db,
};
use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tracing::instrument;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }

    /// How long a link works: a day to verify, an hour to reset a password.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            Purpose::VerifyEmail => chrono::Duration::hours(24),
            Purpose::ResetPassword => chrono::Duration::hours(1),
        }
    }
}

/// A fresh token: 32 random bytes from the operating system's generator (through `rand`'s
/// thread-local CSPRNG), URL-safe base64 without padding. Returns the token and its hash.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

/// The stored form of a token: lowercase hex SHA-256.
pub fn hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Stores a token's hash and the email that carries the link, in one write transaction.
#[instrument(skip_all, fields(db = db.backend(), user_id, purpose = purpose.as_str()))]
pub async fn issue(
    db: &Db,
    user_id: i64,
    purpose: Purpose,
    token_hash: &str,
    message: &NewMessage<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO email_tokens (user_id, purpose, token_hash, created_at, expires_at) \
               VALUES ($1, $2, $3, $4, $5)";
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(sql)
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(token_hash)
            .bind(now)
            .bind(now + purpose.lifetime())
            .execute(&mut *tx)
            .await?;
        tx.enqueue(message, now).await?;
        tx.commit().await
    })
}

/// What a link turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// Usable, for this account.
    Valid(i64),
    Used,
    Expired,
    Unknown,
}

/// Looks at a token without using it (the reset page checks it before asking for a password).
#[instrument(skip_all, fields(db = db.backend(), purpose = purpose.as_str()))]
pub async fn peek(
    db: &Db,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<TokenState, sqlx::Error> {
    let sql = "SELECT user_id, used_at, expires_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2";
    let row: Option<(i64, Option<DateTime<Utc>>, DateTime<Utc>)> = on_db!(db, pool => {
        sqlx::query_as(sql).bind(token_hash).bind(purpose.as_str()).fetch_optional(pool).await
    })?;
    Ok(state_of(row, now))
}

fn state_of(
    row: Option<(i64, Option<DateTime<Utc>>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> TokenState {
    match row {
        None => TokenState::Unknown,
        Some((_, Some(_), _)) => TokenState::Used,
        Some((_, None, expires)) if expires <= now => TokenState::Expired,
        Some((user_id, None, _)) => TokenState::Valid(user_id),
    }
}

/// What redeeming a token does to the account, in the same transaction.
#[derive(Debug, Clone, Copy)]
pub enum Effect<'a> {
    /// Marks the email address verified (keeping the first verification time).
    VerifyEmail,
    /// Replaces the password hash, which ends every session of the account. The link came
    /// by email, so it verifies the address too (an imported account's holder proves it so).
    SetPasswordHash(&'a str),
}

impl Effect<'_> {
    fn purpose(&self) -> Purpose {
        match self {
            Effect::VerifyEmail => Purpose::VerifyEmail,
            Effect::SetPasswordHash(_) => Purpose::ResetPassword,
        }
    }
}

/// Uses a token once: marks it used, applies `effect`, and retires the account's other
/// unused links for the same purpose. Either effect proves the address, so the records that
/// waited for it to be verified are attached in the same transaction. Returns `Valid(user_id)` on success, else why not.
/// The conditional UPDATE makes two simultaneous uses of one link succeed at most once.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn redeem(
    db: &Db,
    token_hash: &str,
    effect: Effect<'_>,
    now: DateTime<Utc>,
) -> Result<TokenState, sqlx::Error> {
    let purpose = effect.purpose().as_str();
    let take = "UPDATE email_tokens SET used_at = $1 \
                WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
                RETURNING user_id";
    let why = "SELECT user_id, used_at, expires_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2";
    let retire = "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL";
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(take)
            .bind(now)
            .bind(token_hash)
            .bind(purpose)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(user_id) = user_id else {
            let row = sqlx::query_as(why).bind(token_hash).bind(purpose).fetch_optional(&mut *tx).await?;
            tx.rollback().await?;
            return Ok(match state_of(row, now) {
                // Lost a race to a simultaneous use.
                TokenState::Valid(_) => TokenState::Used,
                other => other,
            });
        };
        match effect {
            Effect::VerifyEmail => {
                sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
                    .bind(now)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            Effect::SetPasswordHash(hash) => {
                sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2, \
                             email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3")
                    .bind(hash)
                    .bind(now)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        (*tx).attach_pending(user_id, now).await?;
        sqlx::query(retire).bind(now).bind(user_id).bind(purpose).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(TokenState::Valid(user_id))
    })
}

/// A request that sends mail to an address someone typed, counted for throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailRequest {
    /// "Forgot your password?"
    ResetPassword,
    /// Sign-up (a verification link, or a notice to an existing account).
    SignUp,
}

impl MailRequest {
    pub fn as_str(self) -> &'static str {
        match self {
            // The same value as the link's purpose: requests stored before stay counted.
            MailRequest::ResetPassword => "reset_password",
            MailRequest::SignUp => "sign_up",
        }
    }
}

/// Times of recent requests of this kind naming this email, and from this client address.
#[instrument(skip_all, fields(db = db.backend(), purpose = purpose.as_str()))]
pub async fn recent_requests(
    db: &Db,
    purpose: MailRequest,
    email: &str,
    address: &str,
    since: DateTime<Utc>,
) -> Result<(Times, Times), sqlx::Error> {
    let by_email = "SELECT at FROM mail_requests WHERE purpose = $1 AND email = $2 AND at > $3";
    let by_address = "SELECT at FROM mail_requests WHERE purpose = $1 AND address = $2 AND at > $3";
    on_db!(db, pool => {
        let e = sqlx::query_scalar(by_email).bind(purpose.as_str()).bind(email).bind(since).fetch_all(pool).await?;
        let a = sqlx::query_scalar(by_address).bind(purpose.as_str()).bind(address).bind(since).fetch_all(pool).await?;
        Ok((e, a))
    })
}

/// Notes a request (whether or not the email belongs to an account).
#[instrument(skip_all, fields(db = db.backend(), purpose = purpose.as_str()))]
pub async fn record_request(
    db: &Db,
    purpose: MailRequest,
    email: &str,
    address: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO mail_requests (purpose, email, address, at) VALUES ($1, $2, $3, $4)";
    on_db!(db, pool => {
        sqlx::query(sql).bind(purpose.as_str()).bind(email).bind(address).bind(at).execute(pool).await.map(|_| ())
    })
}

/// Forgets requests and links older than `before` (a background job calls this).
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        let a = sqlx::query("DELETE FROM mail_requests WHERE at < $1").bind(before).execute(pool).await?;
        let b = sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(before).execute(pool).await?;
        Ok(a.rows_affected() + b.rows_affected())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_url_safe_and_distinct() {
        let (a, ha) = generate();
        let (b, _) = generate();
        assert_eq!(a.len(), 43);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, b);
        assert_eq!(ha, hash(&a));
        assert_eq!(ha.len(), 64);
        assert_ne!(ha, a);
    }
}
