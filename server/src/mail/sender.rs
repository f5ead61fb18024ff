//! The background sender: claims due messages, sends them, records the outcome. Safe with
//! several servers running, since a claim is taken by one conditional UPDATE.

use super::Mailer;
use app::db::{outbox, Db};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// Messages claimed per round.
const BATCH: i64 = 10;
/// How long a claim holds: far longer than sending a batch takes (30 s timeout per message),
/// so that no other server takes a message that is still being sent.
const LEASE: Duration = Duration::minutes(10);

/// The wait before attempt `attempts + 1`, after `attempts` failures: 1 minute, doubling,
/// at most 6 hours.
pub fn retry_delay(attempts: i64) -> Duration {
    let exponent = (attempts.max(1) - 1).min(20) as u32;
    Duration::minutes(1i64 << exponent).min(Duration::hours(6))
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// One round: claim what is due at `now`, send it, record each outcome.
pub async fn run_once(db: &Db, mailer: &Mailer, now: DateTime<Utc>) -> Result<Round, sqlx::Error> {
    let claim = format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    );
    let rows = outbox::claim(db, &claim, now, now + LEASE, BATCH).await?;
    let mut round = Round::default();
    for row in rows {
        match mailer.send(&row).await {
            Ok(()) => {
                outbox::mark_sent(db, row.id, &claim, app::clock::now()).await?;
                tracing::info!(outbox_id = row.id, kind = %row.kind, "mail sent");
                round.sent += 1;
            }
            Err(e) => {
                let attempts = row.attempts + 1;
                let next = now.max(app::clock::now()) + retry_delay(attempts);
                outbox::mark_failed(db, row.id, &claim, &e.to_string(), next).await?;
                if attempts >= outbox::MAX_ATTEMPTS {
                    tracing::error!(outbox_id = row.id, kind = %row.kind, attempts, category = e.category(), "mail given up");
                } else {
                    tracing::warn!(outbox_id = row.id, kind = %row.kind, attempts, category = e.category(), "mail not sent; will retry");
                }
                round.failed += 1;
            }
        }
    }
    Ok(round)
}

/// Runs rounds every `every` until the runtime stops.
pub fn spawn(
    db: Db,
    mailer: Arc<Mailer>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&db, &mailer, app::clock::now()).await {
                tracing::error!(error = %e, "mail round failed");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::retry_delay;
    use chrono::Duration;

    #[test]
    fn retries_back_off_exponentially_up_to_six_hours() {
        assert_eq!(retry_delay(1), Duration::minutes(1));
        assert_eq!(retry_delay(2), Duration::minutes(2));
        assert_eq!(retry_delay(4), Duration::minutes(8));
        assert_eq!(retry_delay(9), Duration::minutes(256));
        assert_eq!(retry_delay(10), Duration::hours(6));
        assert_eq!(retry_delay(60), Duration::hours(6));
    }
}
