//! Continuing education and renewal: the CE a person earned (attended CE classes, CE done
//! elsewhere), renewing a coordinator certificate, and the reminders, each sent once.
//! The rules are in `domain::renewal`.

use super::{
    audit,
    certificate_issue::attendance,
    on_db,
    outbox::{self, Enqueue, NewMessage},
    BeginWrite, Db,
};
use crate::domain::{
    attendance_rule::{shortfalls, Rule},
    certificate::issue_date,
    renewal::{self, Credit, Policy, Reminder, Window},
};
use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

/// A coordinator certificate as renewal sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RenewalRecord {
    pub id: i64,
    pub user_id: i64,
    pub number: String,
    pub holder_name: String,
    pub issued_on: NaiveDate,
    pub period_starts_on: Option<NaiveDate>,
    pub expires_on: NaiveDate,
    pub status: String,
    pub renewals: i64,
}

impl RenewalRecord {
    pub fn window(&self, policy: Policy) -> Window {
        renewal::window(
            self.period_starts_on.unwrap_or(self.issued_on),
            self.expires_on,
            policy,
        )
    }
}

const SELECT: &str = "SELECT id, user_id, number, holder_name, issued_on, period_starts_on, expires_on, status, renewals \
                      FROM certificates WHERE kind = 'coordinator' AND status <> 'revoked' AND expires_on IS NOT NULL";

/// The person's coordinator certificate that renewal is about: the one valid longest (never
/// a revoked one).
pub async fn current(db: &Db, user_id: i64) -> Result<Option<RenewalRecord>, sqlx::Error> {
    let sql = format!("{SELECT} AND user_id = $1 ORDER BY expires_on DESC, id DESC LIMIT 1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).fetch_optional(pool).await)
}

/// A CE class the person held a seat in: (registration, offering, CE hours, threshold,
/// excused counts, title).
type CeSeat = (i64, i64, i64, i64, bool, String);

/// One CE class as the dashboard lists it.
#[derive(Debug, Clone)]
pub struct CeClass {
    pub title: String,
    pub credit: Credit,
}

/// The CE classes `user_id` attended (the attendance rule met, payment aside) with their
/// hours, completed on their last session's day in the organisation's zone.
pub async fn attended_classes(db: &Db, user_id: i64) -> Result<Vec<CeClass>, sqlx::Error> {
    on_db!(db, pool => {
        let seats: Vec<CeSeat> = sqlx::query_as(
            "SELECT r.id, o.id, c.ce_hours, c.attendance_threshold_percent, c.excused_counts, c.title \
             FROM registrations r JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
             WHERE r.user_id = $1 AND r.status = 'confirmed' AND c.kind = 'continuing_education'",
        )
        .bind(user_id).fetch_all(pool).await?;
        let mut out = Vec::with_capacity(seats.len());
        for (registration, offering, hours, threshold_percent, excused_counts, title) in seats {
            let meetings: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
                "SELECT id, starts_at, ends_at FROM meetings WHERE offering_id = $1 ORDER BY starts_at",
            )
            .bind(offering).fetch_all(pool).await?;
            let marks: Vec<(i64, String, i64, bool)> = sqlx::query_as(
                "SELECT meeting_id, status, minutes, made_up FROM attendance WHERE registration_id = $1",
            )
            .bind(registration).fetch_all(pool).await?;
            let Some(last) = meetings.last().map(|m| m.1) else { continue };
            let rule = Rule { threshold_percent, excused_counts };
            out.push(CeClass {
                title,
                credit: Credit {
                    completed_on: issue_date(last),
                    hours,
                    counts: shortfalls(true, &attendance(&meetings, &marks), rule).is_empty(),
                },
            });
        }
        Ok(out)
    })
}

/// Every CE credit of `user_id`: attended classes and CE recorded by administrators.
pub async fn credits(db: &Db, user_id: i64) -> Result<Vec<Credit>, sqlx::Error> {
    let mut out: Vec<Credit> = attended_classes(db, user_id)
        .await?
        .into_iter()
        .map(|c| c.credit)
        .collect();
    let recorded: Vec<(NaiveDate, i64, bool)> = on_db!(db, pool => {
        sqlx::query_as("SELECT completed_on, hours, approved FROM ce_records WHERE user_id = $1")
            .bind(user_id).fetch_all(pool).await
    })?;
    out.extend(
        recorded
            .into_iter()
            .map(|(completed_on, hours, counts)| Credit {
                completed_on,
                hours,
                counts,
            }),
    );
    Ok(out)
}

/// Why a renewal was not made.
#[derive(Debug, thiserror::Error)]
pub enum RenewError {
    #[error("no coordinator certificate to renew")]
    NotFound,
    /// Outside the window, or short of hours: the standing says which.
    #[error("not ready to renew")]
    NotReady(renewal::Standing),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Renews `user_id`'s certificate if the CE in its window meets the policy on `now`'s day:
/// the same number, valid three more years from the old expiry, the membership with it, and
/// a message to the holder (the new PDF is on their certificates page). Audited. Two
/// renewals at once renew once: the update is conditional on the old expiry. Returns the
/// new expiry date.
#[instrument(skip_all, fields(db = db.backend(), user_id))]
pub async fn renew(
    db: &Db,
    user_id: i64,
    policy: Policy,
    certificates_link: &str,
    now: DateTime<Utc>,
) -> Result<NaiveDate, RenewError> {
    let cert = current(db, user_id).await?.ok_or(RenewError::NotFound)?;
    let window = cert.window(policy);
    let hours = renewal::hours_in_window(&credits(db, user_id).await?, &window);
    let standing = renewal::standing(&window, hours, policy, issue_date(now));
    if standing != renewal::Standing::Ready {
        return Err(RenewError::NotReady(standing));
    }
    let old = cert.expires_on;
    let new = renewal::renewed_expiry(old);
    let email: String = on_db!(db, pool => sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(pool).await)?;
    let (subject, body) =
        renewal::renewed_mail(&cert.holder_name, &cert.number, new, certificates_link);
    let message = NewMessage {
        to: &email,
        subject: &subject,
        body_text: &body,
        attachments: &[],
        kind: renewal::KIND_RENEWED,
        secret_link: None,
    };
    let before = serde_json::json!({ "expires_on": old, "status": cert.status }).to_string();
    let after =
        serde_json::json!({ "expires_on": new, "status": "active", "ce_hours": hours }).to_string();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE certificates SET period_starts_on = $1, expires_on = $2, status = 'active', renewals = renewals + 1, renewed_at = $3 \
             WHERE id = $4 AND expires_on = $1 AND status <> 'revoked'",
        )
        .bind(old).bind(new).bind(now).bind(cert.id).execute(&mut *tx).await?.rows_affected();
        if changed == 0 {
            // Renewed (or revoked) by someone else meanwhile.
            return Err(RenewError::NotReady(renewal::Standing::NotYet));
        }
        sqlx::query("UPDATE memberships SET ends_on = $1, status = 'active', ended_at = NULL WHERE certificate_id = $2")
            .bind(new).bind(cert.id).execute(&mut *tx).await?;
        audit::record!(tx, None::<i64>, "certificate.renewed", "certificate", cert.id, Some(before), after, now);
        tx.enqueue(&message, now).await?;
        tx.commit().await?;
        Ok(new)
    })
}

/// Sends each coordinator certificate's due reminder (see `renewal::due_reminder`), once:
/// the reminder's key and its message commit together, and a key already there (another run,
/// another server) means it was sent. Returns how many this call sent.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn send_reminders(
    db: &Db,
    policy: Policy,
    dashboard_link: &str,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let today = issue_date(now);
    let since = today
        .checked_sub_days(chrono::Days::new(40))
        .unwrap_or(NaiveDate::MIN);
    let sql = format!("{SELECT} AND expires_on >= $1 ORDER BY id");
    let certs: Vec<RenewalRecord> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(since).fetch_all(pool).await)?;
    let mut sent = 0;
    for cert in certs {
        let window = cert.window(policy);
        let Some(reminder) = renewal::due_reminder(&window, today) else {
            continue;
        };
        let hours = renewal::hours_in_window(&credits(db, cert.user_id).await?, &window);
        // Enough hours already: nothing to remind of but "renew", which the dashboard says.
        if reminder != Reminder::Expired && hours >= policy.hours_needed {
            continue;
        }
        let email: String = on_db!(db, pool => sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(cert.user_id).fetch_one(pool).await)?;
        let (subject, body) = renewal::reminder_mail(
            reminder,
            &cert.holder_name,
            &window,
            hours,
            policy.hours_needed,
            dashboard_link,
        );
        let message = NewMessage {
            to: &email,
            subject: &subject,
            body_text: &body,
            attachments: &[],
            kind: renewal::KIND_REMINDER,
            secret_link: None,
        };
        let claimed = outbox::enqueue_once!(
            db,
            sqlx::query(
                "INSERT INTO renewal_reminders (certificate_id, kind, expires_on, sent_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (certificate_id, kind, expires_on) DO NOTHING",
            )
            .bind(cert.id)
            .bind(reminder.as_str())
            .bind(cert.expires_on)
            .bind(now),
            &message,
            now
        );
        sent += usize::from(claimed);
    }
    Ok(sent)
}

/// A CE class that has not started yet: (offering, course title, CE hours, first and last
/// session start).
pub type UpcomingCe = (i64, String, i64, DateTime<Utc>, DateTime<Utc>);

/// Scheduled CE classes starting after `now`, soonest first.
pub async fn upcoming_ce(db: &Db, now: DateTime<Utc>) -> Result<Vec<UpcomingCe>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as(
        "SELECT o.id, c.title, c.ce_hours, MIN(m.starts_at), MAX(m.starts_at) \
         FROM offerings o JOIN courses c ON c.id = o.course_id JOIN meetings m ON m.offering_id = o.id \
         WHERE c.kind = 'continuing_education' AND o.status = 'scheduled' \
         GROUP BY o.id, c.title, c.ce_hours HAVING MIN(m.starts_at) > $1 ORDER BY MIN(m.starts_at) LIMIT 50",
    )
    .bind(now).fetch_all(pool).await)
}
