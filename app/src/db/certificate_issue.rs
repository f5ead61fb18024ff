//! Issuing a certificate inside the transaction that makes an attempt final and passed (the
//! objective finish, the last hand grade, a regrade), so that the certificate exists exactly
//! when the pass does. Idempotent: one certificate per attempt, whoever asks again.

use super::audit;
use crate::domain::{
    attendance_rule::{shortfalls, Mark, MeetingAttendance, Rule},
    certificate::{self, Kind},
    payment::PaymentStatus,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// What asking to issue for an attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    /// A new certificate: its id and number.
    New { id: i64, number: String },
    /// The attempt already has its certificate.
    Already { id: i64 },
    /// The person already holds an active certificate of this course (passed again, or a
    /// test sat while certified): one active certificate per person and credential.
    AlreadyHeld { id: i64 },
    /// The attempt is not final and passed, the attendance rule is not met, or the course
    /// issues no certificate.
    NotEarned,
}

/// Takes the next position in the revocation status list (the counter's row is held until
/// commit, so two issues never share one).
pub(crate) const TAKE_STATUS_INDEX: &str =
    "UPDATE status_list_counter SET next_index = next_index + 1 WHERE list = 'revocation' RETURNING next_index - 1";

/// A fresh verification code from the operating system's generator (80 bits).
pub(crate) fn new_code() -> String {
    certificate::encode_code(&rand::random::<[u8; certificate::CODE_BYTES]>())
}

type AttemptFacts = (String, Option<bool>, i64, i64, i64);
type CourseFacts = (String, bool, i64, bool);

macro_rules! issue_body {
    ($tx:expr, $attempt_id:expr, $now:expr) => {{
        let attempt_id: i64 = $attempt_id;
        let now: DateTime<Utc> = $now;
        // Take the attempt's row first (PostgreSQL; SQLite's BEGIN IMMEDIATE holds the whole
        // database): a second issue for the same attempt waits here, then finds the first's
        // certificate instead of failing on the unique attempt.
        sqlx::query("UPDATE attempts SET status = status WHERE id = $1")
            .bind(attempt_id).execute(&mut *$tx).await?;
        let facts: Option<AttemptFacts> = sqlx::query_as(
            "SELECT status, passed, user_id, course_id, registration_id FROM attempts WHERE id = $1",
        )
        .bind(attempt_id).fetch_optional(&mut *$tx).await?;
        let Some((status, passed, user_id, course_id, registration_id)) = facts else {
            return Ok(Issued::NotEarned);
        };
        if status != "final" || passed != Some(true) {
            return Ok(Issued::NotEarned);
        }
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM certificates WHERE attempt_id = $1")
            .bind(attempt_id).fetch_optional(&mut *$tx).await?;
        if let Some(id) = existing {
            return Ok(Issued::Already { id });
        }
        // One active certificate per person and credential: a second pass issues nothing.
        // One whose last day has passed but that the expiry job has not reached yet is
        // expired here first, so that recertifying after a lapse never waits for the job.
        let held: Option<(i64, Option<NaiveDate>)> = sqlx::query_as(
            "SELECT id, expires_on FROM certificates WHERE user_id = $1 AND course_id = $2 AND status = 'active'",
        )
        .bind(user_id).bind(course_id).fetch_optional(&mut *$tx).await?;
        if let Some((held_id, held_expires_on)) = held {
            if certificate::status_on(certificate::Status::Active, held_expires_on, certificate::issue_date(now)) == certificate::Status::Active {
                return Ok(Issued::AlreadyHeld { id: held_id });
            }
            sqlx::query("UPDATE certificates SET status = 'expired' WHERE id = $1 AND status = 'active'")
                .bind(held_id).execute(&mut *$tx).await?;
            sqlx::query("UPDATE memberships SET status = 'ended', ended_at = $1 WHERE certificate_id = $2 AND status = 'active'")
                .bind(now).bind(held_id).execute(&mut *$tx).await?;
            audit::record!($tx, None::<i64>, "certificate.expired", "certificate", held_id, Some("active"), "expired", now);
        }
        let course: Option<CourseFacts> = sqlx::query_as(
            "SELECT kind, includes_membership, attendance_threshold_percent, excused_counts FROM courses WHERE id = $1",
        )
        .bind(course_id).fetch_optional(&mut *$tx).await?;
        let Some((course_kind, membership, threshold_percent, excused_counts)) = course else {
            return Ok(Issued::NotEarned);
        };
        let Some(kind) = Kind::for_course(&course_kind, membership) else {
            return Ok(Issued::NotEarned);
        };
        // The attendance rule, again: marks may have changed since the test was started.
        let payment: Option<(String, i64)> = sqlx::query_as("SELECT payment_status, offering_id FROM registrations WHERE id = $1")
            .bind(registration_id).fetch_optional(&mut *$tx).await?;
        let Some((payment, offering_id)) = payment else {
            return Ok(Issued::NotEarned);
        };
        let meetings: Vec<(i64, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at FROM meetings WHERE offering_id = $1 ORDER BY starts_at",
        )
        .bind(offering_id).fetch_all(&mut *$tx).await?;
        let marks: Vec<(i64, String, i64, bool)> = sqlx::query_as(
            "SELECT meeting_id, status, minutes, made_up FROM attendance WHERE registration_id = $1",
        )
        .bind(registration_id).fetch_all(&mut *$tx).await?;
        let paid = payment.parse::<PaymentStatus>().is_ok_and(PaymentStatus::is_settled);
        let rule = Rule { threshold_percent, excused_counts };
        if !shortfalls(paid, &attendance(&meetings, &marks), rule).is_empty() {
            return Ok(Issued::NotEarned);
        }

        let issued_on = certificate::issue_date(now);
        let expires_on = kind.expires().then(|| certificate::expiry(issued_on));
        let year = issued_on.year();
        // The next number of the series' year. The counter row is created once (a second
        // creator waits on the first's key and does nothing); the UPDATE then holds the row
        // until commit, so concurrent issues take consecutive numbers one after the other.
        sqlx::query("INSERT INTO certificate_counters (series, year, last_number) VALUES ($1, $2, 0) ON CONFLICT (series, year) DO NOTHING")
            .bind(kind.prefix()).bind(year).execute(&mut *$tx).await?;
        let sequence: i64 = sqlx::query_scalar(
            "UPDATE certificate_counters SET last_number = last_number + 1 WHERE series = $1 AND year = $2 RETURNING last_number",
        )
        .bind(kind.prefix()).bind(year).fetch_one(&mut *$tx).await?;
        let number = certificate::format_number(kind, year, sequence);
        let name: String = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
            .bind(user_id).fetch_one(&mut *$tx).await?;
        let status_index: i64 = sqlx::query_scalar(TAKE_STATUS_INDEX).fetch_one(&mut *$tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, attempt_id, issued_at, status_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&number).bind(new_code()).bind(user_id).bind(course_id).bind(kind.as_str()).bind(&name)
        .bind(issued_on).bind(expires_on).bind(attempt_id).bind(now).bind(status_index)
        .fetch_one(&mut *$tx).await?;
        if let Some(ends_on) = expires_on {
            sqlx::query("INSERT INTO memberships (user_id, certificate_id, starts_on, ends_on) VALUES ($1, $2, $3, $4)")
                .bind(user_id).bind(id).bind(issued_on).bind(ends_on).execute(&mut *$tx).await?;
            // The guide goes with a person's first coordinator certificate only.
            sqlx::query("INSERT INTO guide_shipments (certificate_id, user_id, requested_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING")
                .bind(id).bind(user_id).bind(now).execute(&mut *$tx).await?;
        }
        let after = serde_json::json!({
            "number": number, "kind": kind.as_str(), "holder_name": name, "attempt_id": attempt_id,
            "issued_on": issued_on, "expires_on": expires_on,
        })
        .to_string();
        audit::record!($tx, None::<i64>, "certificate.issued", "certificate", id, None::<String>, after, now);
        Ok(Issued::New { id, number })
    }};
}

/// The meetings with this registration's marks, as the attendance rule sees them.
pub(crate) fn attendance(
    meetings: &[(i64, DateTime<Utc>, DateTime<Utc>)],
    marks: &[(i64, String, i64, bool)],
) -> Vec<MeetingAttendance> {
    meetings
        .iter()
        .enumerate()
        .map(|(i, (id, starts_at, ends_at))| MeetingAttendance {
            number: i + 1,
            length_minutes: (*ends_at - *starts_at).num_minutes(),
            mark: marks.iter().find(|(meeting, ..)| meeting == id).and_then(
                |(_, status, minutes, made_up)| {
                    Some(Mark {
                        status: status.parse().ok()?,
                        minutes: *minutes,
                        made_up: *made_up,
                    })
                },
            ),
        })
        .collect()
}

/// Issuing on either database's connection, inside the caller's write transaction.
pub trait IssueCertificate {
    /// Issues the certificate attempt `attempt_id` earned, if it earned one and has none.
    fn issue_certificate(
        &mut self,
        attempt_id: i64,
        now: DateTime<Utc>,
    ) -> impl std::future::Future<Output = Result<Issued, sqlx::Error>> + Send;
}

impl IssueCertificate for sqlx::SqliteConnection {
    async fn issue_certificate(
        &mut self,
        attempt_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Issued, sqlx::Error> {
        let tx = self;
        issue_body!(tx, attempt_id, now)
    }
}

impl IssueCertificate for sqlx::PgConnection {
    async fn issue_certificate(
        &mut self,
        attempt_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Issued, sqlx::Error> {
        let tx = self;
        issue_body!(tx, attempt_id, now)
    }
}

/// Issues for attempt `attempt_id` in a transaction of its own (repairs, tests; the normal
/// paths issue inside the transaction that makes the attempt final).
pub async fn issue(
    db: &super::Db,
    attempt_id: i64,
    now: DateTime<Utc>,
) -> Result<Issued, sqlx::Error> {
    use super::BeginWrite;
    super::on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let issued = (*tx).issue_certificate(attempt_id, now).await?;
        tx.commit().await?;
        Ok(issued)
    })
}
