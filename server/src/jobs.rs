//! Background housekeeping. Each job is idempotent, so several servers may run it at once.

use crate::{mail::Mailer, session_store::AnyStore};
use app::db::{attempts, attendance, certificates, outbox, sign_in_failures, tokens, Db};
use std::{sync::Arc, time::Duration};
use tower_sessions::session_store::ExpiredDeletion;

/// How often the outbox is looked at.
pub const MAIL_EVERY: Duration = Duration::from_secs(5);

/// How long delivered mail stays in the outbox, for questions such as "did my
/// confirmation go out?".
pub const KEEP_SENT_MAIL_DAYS: i64 = 90;

/// How long after a session ends people still unmarked become absent: time for the
/// instructor to finish the roll call or import the meeting report.
pub const ABSENT_AFTER_MINUTES: i64 = 30;

/// How often ended sessions are looked at.
pub const ATTENDANCE_EVERY: Duration = Duration::from_secs(60);

/// Marks absent everyone still unmarked [`ABSENT_AFTER_MINUTES`] after a session ended.
/// Idempotent and safe with several servers (see `attendance::mark_unmarked_absent`).
pub async fn close_attendance(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    attendance::mark_unmarked_absent(
        db,
        now - chrono::Duration::minutes(ABSENT_AFTER_MINUTES),
        now,
    )
    .await
}

/// How often running tests are checked for a passed deadline.
pub const DEADLINES_EVERY: Duration = Duration::from_secs(15);

/// Finishes every test whose deadline (plus the save grace) has passed, with the answers
/// saved in time. Finishing is a conditional UPDATE, so two servers never finish (or score)
/// one attempt twice. Returns how many this call finished.
pub async fn close_overdue_tests(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    let mut finished = 0;
    for id in attempts::overdue(db, now).await? {
        if attempts::finish(db, id, "deadline", now).await?.is_some() {
            finished += 1;
        }
    }
    Ok(finished)
}

/// How often new certificates are announced and due ones expired.
pub const CERTIFICATES_EVERY: Duration = Duration::from_secs(5);
pub const EXPIRY_EVERY: Duration = Duration::from_secs(15 * 60);

/// Marks expired the certificates whose last valid day (in the organisation's zone) has
/// passed, and ends their memberships. Idempotent, safe with several servers.
pub async fn expire_certificates(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    certificates::expire_due(db, app::domain::certificate::issue_date(now), now).await
}

/// Sends the renewal reminders that fell due (window opens; 90, 30 and 7 days before expiry;
/// expired), each once per certificate and period, however many servers run this at once
/// (see `renewal::send_reminders`).
pub async fn send_renewal_reminders(
    db: &Db,
    policy: app::domain::renewal::Policy,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    let dashboard = format!("{}/dashboard", public_url.trim_end_matches('/'));
    app::db::renewal::send_reminders(db, policy, &dashboard, now).await
}

/// How often ended classes are looked at for evaluation invitations.
pub const EVALUATIONS_EVERY: Duration = Duration::from_secs(60);

/// Invites everyone with a confirmed seat in a class that has just ended to evaluate it,
/// once per seat however many servers run this at once (see
/// `evaluations::send_invitations`).
pub async fn invite_to_evaluations(
    db: &Db,
    public_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, sqlx::Error> {
    app::db::evaluations::send_invitations(db, public_url, now).await
}

/// Starts the jobs on the current runtime.
pub fn spawn(
    db: Db,
    store: AnyStore,
    mailer: Mailer,
    public_url: Arc<str>,
    renewal: app::domain::renewal::Policy,
) {
    let reminders_url = public_url.clone();
    let evaluations_url = public_url.clone();
    let evaluations_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVALUATIONS_EVERY);
        loop {
            tick.tick().await;
            match invite_to_evaluations(&evaluations_db, &evaluations_url, app::clock::now()).await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(invited = n, "invitations to evaluate sent"),
                Err(e) => tracing::error!(error = %e, "inviting to evaluations failed"),
            }
        }
    });
    let certificates_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CERTIFICATES_EVERY);
        loop {
            tick.tick().await;
            let now = app::clock::now();
            match crate::certificate_mail::announce_new(&certificates_db, &public_url, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(announced = n, "new certificates announced"),
                Err(e) => tracing::error!(error = %e, "announcing new certificates failed"),
            }
        }
    });
    let expiry_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EXPIRY_EVERY);
        loop {
            tick.tick().await;
            match expire_certificates(&expiry_db, app::clock::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "certificates expired at their date"),
                Err(e) => tracing::error!(error = %e, "expiring certificates failed"),
            }
            // After the expiry above, so that an "expired" reminder follows the status.
            match send_renewal_reminders(&expiry_db, renewal, &reminders_url, app::clock::now())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "renewal reminders sent"),
                Err(e) => tracing::error!(error = %e, "sending renewal reminders failed"),
            }
        }
    });
    crate::mail::sender::spawn(db.clone(), Arc::new(mailer), MAIL_EVERY);
    let tests_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(DEADLINES_EVERY);
        loop {
            tick.tick().await;
            match close_overdue_tests(&tests_db, app::clock::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(finished = n, "tests finished at their deadline"),
                Err(e) => tracing::error!(error = %e, "finishing tests at their deadline failed"),
            }
        }
    });
    let attendance_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ATTENDANCE_EVERY);
        loop {
            tick.tick().await;
            match close_attendance(&attendance_db, app::clock::now()).await {
                Ok(0) => {}
                Ok(marked) => {
                    tracing::info!(marked, "unmarked people marked absent after their session")
                }
                Err(e) => tracing::error!(error = %e, "marking unmarked people absent failed"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(15 * 60));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::error!(error = %e, "deleting expired sessions failed");
            }
            // A day of failures is plenty for any throttling window.
            let before = app::clock::now() - chrono::Duration::days(1);
            if let Err(e) = sign_in_failures::prune(&db, before).await {
                tracing::error!(error = %e, "pruning sign-in failures failed");
            }
            if let Err(e) = certificates::prune_lookups(&db, before).await {
                tracing::error!(error = %e, "pruning verification look-ups failed");
            }
            if let Err(e) = tokens::prune(&db, before).await {
                tracing::error!(error = %e, "pruning email links failed");
            }
            let sent_before = app::clock::now() - chrono::Duration::days(KEEP_SENT_MAIL_DAYS);
            if let Err(e) = outbox::prune_sent(&db, sent_before).await {
                tracing::error!(error = %e, "pruning delivered mail failed");
            }
        }
    });
}
