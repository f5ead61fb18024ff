//! Each course's test settings, blueprint and publication; each offering's test window;
//! per-person accommodations.

use super::{audit, on_db, BeginWrite, Db};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A course's test as stored (defaults when none was saved yet).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExamRecord {
    pub course_id: i64,
    pub time_limit_minutes: i64,
    pub pass_percent: i64,
    pub attempts_allowed: i64,
    pub wait_hours: i64,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub review_policy: String,
    pub scenario_groups: i64,
    pub published_at: Option<DateTime<Utc>>,
}

impl ExamRecord {
    pub fn defaults(course_id: i64) -> Self {
        ExamRecord {
            course_id,
            time_limit_minutes: 90,
            pass_percent: 80,
            attempts_allowed: 2,
            wait_hours: 24,
            shuffle_questions: true,
            shuffle_options: true,
            review_policy: "score".into(),
            scenario_groups: 0,
            published_at: None,
        }
    }
}

/// The course's test and its blueprint (topic id -> questions).
pub async fn find(
    db: &Db,
    course_id: i64,
) -> Result<(ExamRecord, BTreeMap<i64, i64>), sqlx::Error> {
    on_db!(db, pool => {
        let exam: Option<ExamRecord> = sqlx::query_as("SELECT course_id, time_limit_minutes, pass_percent, attempts_allowed, wait_hours, shuffle_questions, shuffle_options, review_policy, scenario_groups, published_at FROM exams WHERE course_id = $1")
            .bind(course_id).fetch_optional(pool).await?;
        let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT topic_id, questions FROM exam_blueprint WHERE course_id = $1")
            .bind(course_id).fetch_all(pool).await?;
        Ok((exam.unwrap_or_else(|| ExamRecord::defaults(course_id)), rows.into_iter().collect()))
    })
}

/// Saves the settings and blueprint; a change unpublishes the test until it is checked and
/// published again (audited).
pub async fn save(
    db: &Db,
    exam: &ExamRecord,
    blueprint: &BTreeMap<i64, i64>,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO exams (course_id, time_limit_minutes, pass_percent, attempts_allowed, wait_hours, shuffle_questions, shuffle_options, review_policy, scenario_groups, published_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10) \
             ON CONFLICT (course_id) DO UPDATE SET time_limit_minutes = $2, pass_percent = $3, attempts_allowed = $4, wait_hours = $5, \
             shuffle_questions = $6, shuffle_options = $7, review_policy = $8, scenario_groups = $9, published_at = NULL, updated_at = $10",
        )
        .bind(exam.course_id).bind(exam.time_limit_minutes).bind(exam.pass_percent).bind(exam.attempts_allowed).bind(exam.wait_hours)
        .bind(exam.shuffle_questions).bind(exam.shuffle_options).bind(&exam.review_policy).bind(exam.scenario_groups).bind(now)
        .execute(&mut *tx).await?;
        sqlx::query("DELETE FROM exam_blueprint WHERE course_id = $1").bind(exam.course_id).execute(&mut *tx).await?;
        for (topic, questions) in blueprint.iter().filter(|(_, n)| **n > 0) {
            sqlx::query("INSERT INTO exam_blueprint (course_id, topic_id, questions) VALUES ($1, $2, $3)")
                .bind(exam.course_id).bind(topic).bind(questions).execute(&mut *tx).await?;
        }
        let summary = format!(
            "{} min, pass {}%, {} attempts, {} questions",
            exam.time_limit_minutes, exam.pass_percent, exam.attempts_allowed, blueprint.values().sum::<i64>()
        );
        audit::record!(tx, actor, "exam.saved", "course", exam.course_id, None::<String>, summary, now);
        tx.commit().await?;
        Ok(())
    })
}

/// Marks the test published (the caller checked that the bank covers the blueprint).
pub async fn publish(
    db: &Db,
    course_id: i64,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query("UPDATE exams SET published_at = $1 WHERE course_id = $2")
            .bind(now).bind(course_id).execute(&mut *tx).await?.rows_affected();
        if done > 0 {
            audit::record!(tx, actor, "exam.published", "course", course_id, None::<String>, "published", now);
        }
        tx.commit().await?;
        Ok(done > 0)
    })
}

/// The offering's test window, if one was set.
pub async fn window(
    db: &Db,
    offering_id: i64,
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT opens_at, closes_at FROM exam_windows WHERE offering_id = $1").bind(offering_id).fetch_optional(pool).await)
}

/// Sets the offering's test window.
pub async fn set_window(
    db: &Db,
    offering_id: i64,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = "INSERT INTO exam_windows (offering_id, opens_at, closes_at) VALUES ($1, $2, $3) \
               ON CONFLICT (offering_id) DO UPDATE SET opens_at = $2, closes_at = $3";
    on_db!(db, pool => sqlx::query(sql).bind(offering_id).bind(opens_at).bind(closes_at).execute(pool).await.map(|_| ()))
}

/// (extra time %, extra attempts) for a registration.
pub async fn accommodation(db: &Db, registration_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let row: Option<(i64, i64)> = on_db!(db, pool => sqlx::query_as("SELECT extra_time_percent, extra_attempts FROM accommodations WHERE registration_id = $1").bind(registration_id).fetch_optional(pool).await)?;
    Ok(row.unwrap_or((0, 0)))
}

#[allow(clippy::too_many_arguments)] // each is a fact of the accommodation
/// Sets a registration's accommodations (audited). False if the registration does not
/// belong to `offering_id`.
pub async fn set_accommodation(
    db: &Db,
    offering_id: i64,
    registration_id: i64,
    extra_time_percent: i64,
    extra_attempts: i64,
    note: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let belongs: Option<i64> = sqlx::query_scalar("SELECT id FROM registrations WHERE id = $1 AND offering_id = $2")
            .bind(registration_id).bind(offering_id).fetch_optional(&mut *tx).await?;
        if belongs.is_none() {
            return Ok(false);
        }
        let before: Option<(i64, i64)> = sqlx::query_as("SELECT extra_time_percent, extra_attempts FROM accommodations WHERE registration_id = $1")
            .bind(registration_id).fetch_optional(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO accommodations (registration_id, extra_time_percent, extra_attempts, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (registration_id) DO UPDATE SET extra_time_percent = $2, extra_attempts = $3, note = $4, recorded_by = $5, recorded_at = $6",
        )
        .bind(registration_id).bind(extra_time_percent).bind(extra_attempts).bind(note).bind(actor).bind(now)
        .execute(&mut *tx).await?;
        let describe = |(t, a): (i64, i64)| format!("extra time {t}%, extra attempts {a}");
        audit::record!(tx, Some(actor), "accommodation.set", "registration", registration_id, before.map(describe), describe((extra_time_percent, extra_attempts)), now);
        tx.commit().await?;
        Ok(true)
    })
}

/// registration id -> (extra time %, extra attempts), for an offering's people.
pub async fn accommodations_for_offering(
    db: &Db,
    offering_id: i64,
) -> Result<std::collections::HashMap<i64, (i64, i64)>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64)> = on_db!(db, pool => sqlx::query_as("SELECT a.registration_id, a.extra_time_percent, a.extra_attempts FROM accommodations a JOIN registrations r ON r.id = a.registration_id WHERE r.offering_id = $1").bind(offering_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(r, t, a)| (r, (t, a))).collect())
}
