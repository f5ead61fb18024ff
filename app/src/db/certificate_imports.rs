//! Coordinators certified before the platform, imported from a CSV file: the draft an
//! administrator previews (kept a day, for the uploader only) and the import itself, which
//! checks the file again and writes every row in one write transaction, or nothing.

use super::{
    audit,
    certificate_issue::{new_code, TAKE_STATUS_INDEX},
    is_unique_violation, on_db, BeginWrite, Db,
};
use crate::{
    auth::password_hash::NO_PASSWORD,
    domain::{
        certificate::{self, Kind, Status},
        certificate_import::{self, coordinator_sequence, Row},
        record_holder::{destination, AccountFacts, Destination},
    },
};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};
use tracing::instrument;

/// How long an uploaded file waits to be imported.
pub const DRAFT_LIFETIME: Duration = Duration::days(1);

/// An uploaded file waiting for its uploader to confirm it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub id: String,
    pub uploaded_by: i64,
    pub filename: String,
    /// The file's text, checked afresh on every preview and at the import.
    pub content: String,
    pub created_at: DateTime<Utc>,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub certificates: usize,
    /// Accounts created for people who had none (the rest were matched by email).
    pub accounts_created: usize,
    /// Of `certificates`, those kept for an account that has not verified its address: they
    /// are attached when it does.
    pub pending: usize,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The draft was imported already (a second click), expired, or is someone else's.
    #[error("the draft is gone")]
    Gone,
    /// Checked again inside the transaction, the file has rows with problems (a number used
    /// since the preview, or a file that had problems all along): how many.
    #[error("{0} rows have problems")]
    Problems(usize),
    /// A row's person already holds an active coordinator certificate (here or earlier in
    /// the file): one active certificate per person and credential.
    #[error("{email} already holds the active certificate {number}")]
    AlreadyHeld { email: String, number: String },
    /// The catalog has no course that issues coordinator certificates.
    #[error("no coordinator course")]
    NoCourse,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Stores a draft (expiring a day after `draft.created_at`) and deletes every expired one.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn save_draft(db: &Db, draft: &Draft) -> Result<(), sqlx::Error> {
    let now = draft.created_at;
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM certificate_import_drafts WHERE expires_at <= $1")
            .bind(now).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO certificate_import_drafts (id, uploaded_by, filename, content, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&draft.id).bind(draft.uploaded_by).bind(&draft.filename).bind(&draft.content)
        .bind(now).bind(now + DRAFT_LIFETIME)
        .execute(&mut *tx).await?;
        tx.commit().await
    })
}

/// The draft `id` uploaded by `user_id`, unless it expired.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn find_draft(
    db: &Db,
    id: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Draft>, sqlx::Error> {
    let sql =
        "SELECT id, uploaded_by, filename, content, created_at FROM certificate_import_drafts \
               WHERE id = $1 AND uploaded_by = $2 AND expires_at > $3";
    on_db!(db, pool => sqlx::query_as(sql).bind(id).bind(user_id).bind(now).fetch_optional(pool).await)
}

/// Every certificate number in use, including those of imported certificates waiting for
/// their account to verify its address.
const NUMBERS: &str =
    "SELECT number FROM certificates UNION SELECT number FROM pending_certificates";

/// Every certificate number in use, for the preview's checks.
pub async fn used_numbers(db: &Db) -> Result<HashSet<String>, sqlx::Error> {
    let numbers: Vec<String> =
        on_db!(db, pool => sqlx::query_scalar(NUMBERS).fetch_all(pool).await)?;
    Ok(numbers.into_iter().collect())
}

/// The accounts these (lower-case) emails already have, by email: name, and whether records
/// may go to them now (`domain::record_holder`).
#[instrument(skip_all, fields(db = db.backend(), emails = emails.len()))]
pub async fn accounts(
    db: &Db,
    emails: &[String],
) -> Result<HashMap<String, (String, AccountFacts)>, sqlx::Error> {
    let mut found = HashMap::new();
    // A few hundred placeholders a query: well inside both databases' limits.
    for chunk in emails.chunks(500) {
        let placeholders: Vec<String> = (2..=chunk.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT LOWER(email), name, email_verified_at IS NOT NULL, password_hash <> $1 \
             FROM users WHERE LOWER(email) IN ({})",
            placeholders.join(", ")
        );
        let rows: Vec<(String, String, bool, bool)> = on_db!(db, pool => {
            let mut query = sqlx::query_as(&sql).bind(NO_PASSWORD);
            for email in chunk {
                query = query.bind(email);
            }
            query.fetch_all(pool).await
        })?;
        found.extend(
            rows.into_iter()
                .map(|(email, name, email_verified, has_password)| {
                    (
                        email,
                        (
                            name,
                            AccountFacts {
                                email_verified,
                                has_password,
                            },
                        ),
                    )
                }),
        );
    }
    Ok(found)
}

/// The highest imported sequence of each year: the counters must stay at or above it.
fn highest_per_year(rows: &[Row]) -> BTreeMap<i32, i64> {
    let mut highest = BTreeMap::new();
    for (year, sequence) in rows.iter().filter_map(|r| coordinator_sequence(&r.number)) {
        let entry = highest.entry(year).or_insert(0);
        *entry = sequence.max(*entry);
    }
    highest
}

/// Imports draft `draft_id` of `admin_id`, all rows or none, and deletes the draft. Inside the
/// transaction, first the number counters of the file's years are raised (held until commit,
/// so no certificate of those years is issued meanwhile), then the numbers in use are read
/// and the file is checked again: any problem and nothing is written.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn import(
    db: &Db,
    draft_id: &str,
    admin_id: i64,
    now: DateTime<Utc>,
) -> Result<Imported, ImportError> {
    let series = Kind::Coordinator.prefix();
    let today = certificate::issue_date(now);
    let result: Result<Imported, ImportError> = on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let content: Option<String> = sqlx::query_scalar(
            "DELETE FROM certificate_import_drafts WHERE id = $1 AND uploaded_by = $2 AND expires_at > $3 RETURNING content",
        )
        .bind(draft_id).bind(admin_id).bind(now).fetch_optional(&mut *tx).await?;
        let Some(content) = content else {
            return Err(ImportError::Gone);
        };
        let course_id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM courses WHERE kind = 'certification' AND includes_membership ORDER BY position, id LIMIT 1",
        )
        .fetch_optional(&mut *tx).await?;
        let course_id = course_id.ok_or(ImportError::NoCourse)?;
        // The known numbers are not needed to find the years: a first pass without them.
        let years = certificate_import::check(content.as_bytes(), &HashSet::new())
            .map(|rows| highest_per_year(&rows))
            .unwrap_or_default();
        // Years in ascending order: two imports lock the counter rows in the same order.
        for (year, highest) in years {
            sqlx::query(
                "INSERT INTO certificate_counters (series, year, last_number) VALUES ($1, $2, $3) \
                 ON CONFLICT (series, year) DO UPDATE SET last_number = CASE \
                 WHEN certificate_counters.last_number < excluded.last_number THEN excluded.last_number \
                 ELSE certificate_counters.last_number END",
            )
            .bind(series).bind(year).bind(highest).execute(&mut *tx).await?;
        }
        let known: Vec<String> = sqlx::query_scalar(NUMBERS).fetch_all(&mut *tx).await?;
        let rows = certificate_import::check(content.as_bytes(), &known.into_iter().collect())
            .map_err(|_| ImportError::Problems(1))?;
        let with_problems = rows.iter().filter(|r| !r.problems.is_empty()).count();
        if with_problems > 0 {
            return Err(ImportError::Problems(with_problems));
        }
        let mut accounts_created = 0;
        let mut pending = 0;
        for row in &rows {
            let (Some(issued_on), Some(expires_on)) = (row.issued_on, row.expires_on) else {
                return Err(ImportError::Problems(1));
            };
            let existing: Option<(i64, bool, bool)> = sqlx::query_as(
                "SELECT id, email_verified_at IS NOT NULL, password_hash <> $2 FROM users WHERE LOWER(email) = $1",
            )
            .bind(&row.email).bind(NO_PASSWORD).fetch_optional(&mut *tx).await?;
            let user_id = match existing {
                Some((id, email_verified, has_password)) => {
                    let facts = AccountFacts { email_verified, has_password };
                    if destination(facts) == Destination::Pending {
                        // Whoever signed up with this address may not own it: the certificate
                        // waits for the address to be verified (db::pending_records).
                        let pending_id: i64 = sqlx::query_scalar(
                            "INSERT INTO pending_certificates (email, number, course_id, holder_name, issued_on, expires_on, imported_by, imported_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(&row.email).bind(&row.number).bind(course_id).bind(&row.name)
                        .bind(issued_on).bind(expires_on).bind(admin_id).bind(now)
                        .fetch_one(&mut *tx).await?;
                        let after = serde_json::json!({
                            "number": row.number, "holder_name": row.name, "issued_on": issued_on,
                            "expires_on": expires_on, "source": "certificate import",
                            "waits_for": "email verification", "account_id": id,
                        })
                        .to_string();
                        audit::record!(tx, Some(admin_id), "certificate.import_pending", "pending_certificate", pending_id, None::<String>, after, now);
                        pending += 1;
                        continue;
                    }
                    id
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
                    )
                    .bind(&row.email).bind(&row.name).bind(NO_PASSWORD).bind(now)
                    .fetch_one(&mut *tx).await?;
                    let after = serde_json::json!({ "name": row.name, "source": "certificate import" }).to_string();
                    audit::record!(tx, Some(admin_id), "user.imported", "user", id, None::<String>, after, now);
                    accounts_created += 1;
                    id
                }
            };
            let status = certificate::status_on(Status::Active, Some(expires_on), today);
            if status == Status::Active {
                let held: Option<String> = sqlx::query_scalar(
                    "SELECT number FROM certificates WHERE user_id = $1 AND course_id = $2 AND status = 'active'",
                )
                .bind(user_id).bind(course_id).fetch_optional(&mut *tx).await?;
                if let Some(number) = held {
                    return Err(ImportError::AlreadyHeld { email: row.email.clone(), number });
                }
            }
            let status_index: i64 = sqlx::query_scalar(TAKE_STATUS_INDEX).fetch_one(&mut *tx).await?;
            // mailed_at is set: the announcement is for certificates earned here.
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, mailed_at, status_index) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(&row.number).bind(new_code()).bind(user_id).bind(course_id).bind(Kind::Coordinator.as_str())
            .bind(&row.name).bind(issued_on).bind(expires_on).bind(status.as_str())
            .bind(certificate_import::issued_at(issued_on)).bind(now).bind(status_index)
            .fetch_one(&mut *tx).await?;
            let (membership, ended_at) = match status {
                Status::Active => ("active", None),
                _ => ("ended", Some(now)),
            };
            sqlx::query("INSERT INTO memberships (user_id, certificate_id, starts_on, ends_on, status, ended_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(user_id).bind(id).bind(issued_on).bind(expires_on).bind(membership).bind(ended_at)
                .execute(&mut *tx).await?;
            let after = serde_json::json!({
                "number": row.number, "kind": Kind::Coordinator.as_str(), "holder_name": row.name,
                "issued_on": issued_on, "expires_on": expires_on, "status": status.as_str(),
                "source": "certificate import",
            })
            .to_string();
            audit::record!(tx, Some(admin_id), "certificate.imported", "certificate", id, None::<String>, after, now);
        }
        tx.commit().await?;
        Ok(Imported { certificates: rows.len(), accounts_created, pending })
    });
    result.map_err(|e| match e {
        // A number or an email taken by a concurrent writer between the check and the insert.
        ImportError::Db(ref d) if is_unique_violation(d) => ImportError::Problems(1),
        e => e,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_counters_are_raised_to_each_years_highest_number() {
        let csv = "name,email,number,issued,expires\n\
                   A,a@x.gov,CITC-2019-000042,2019-03-01,2022-03-01\n\
                   B,b@x.gov,CITC-2019-000007,2019-04-01,2022-04-01\n\
                   C,c@x.gov,CITC-2021-000003,2021-04-01,2024-04-01\n\
                   D,d@x.gov,not-a-number,2021-04-01,2024-04-01\n";
        let rows = certificate_import::check(csv.as_bytes(), &HashSet::new()).unwrap();
        assert_eq!(
            highest_per_year(&rows).into_iter().collect::<Vec<_>>(),
            [(2019, 42), (2021, 3)]
        );
    }
}
