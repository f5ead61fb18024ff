//! What a class's gradebook reads besides the roster and attendance: every attempt of its
//! registrations.

use super::{on_db, Db};
use crate::domain::gradebook::{AttemptFacts, AttemptState};
use chrono::{DateTime, Utc};
use tracing::instrument;

#[derive(Debug, Clone, sqlx::FromRow)]
struct AttemptRow {
    registration_id: i64,
    status: String,
    score_centi: Option<i64>,
    max_centi: Option<i64>,
    passed: Option<bool>,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

/// Every attempt of the offering's registrations, as (registration id, attempt), oldest
/// first.
#[instrument(skip_all, fields(db = db.backend(), offering_id))]
pub async fn attempts_for_offering(
    db: &Db,
    offering_id: i64,
) -> Result<Vec<(i64, AttemptFacts)>, sqlx::Error> {
    let sql = "SELECT a.registration_id, a.status, a.score_centi, a.max_centi, a.passed, a.started_at, a.finished_at \
               FROM attempts a JOIN registrations r ON r.id = a.registration_id \
               WHERE r.offering_id = $1 ORDER BY a.registration_id, a.number";
    let rows: Vec<AttemptRow> =
        on_db!(db, pool => sqlx::query_as(sql).bind(offering_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let facts = AttemptFacts {
                // The schema allows no other value; a running attempt is the safe reading.
                state: AttemptState::parse(&r.status).unwrap_or(AttemptState::InProgress),
                score_centi: r.score_centi,
                max_centi: r.max_centi,
                passed: r.passed,
                started_at: r.started_at,
                finished_at: r.finished_at,
            };
            (r.registration_id, facts)
        })
        .collect())
}
