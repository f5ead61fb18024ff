//! The course catalog.

use super::{audit, on_db, BeginWrite, Db};
use crate::{
    domain::catalog::SeedCourse,
    model::{CourseDetail, CourseSummary},
};
use chrono::{DateTime, Utc};
use tracing::instrument;

#[derive(sqlx::FromRow)]
struct CourseRow {
    id: i64,
    code: String,
    title: String,
    kind: String,
    summary: String,
    description: String,
    hours: i64,
    fee_cents: i64,
    includes_membership: bool,
    eligibility: String,
    format: String,
    ce_hours: i64,
    attendance_threshold_percent: i64,
    excused_counts: bool,
}

impl CourseRow {
    fn rule(&self) -> crate::domain::attendance_rule::Rule {
        crate::domain::attendance_rule::Rule {
            threshold_percent: self.attendance_threshold_percent,
            excused_counts: self.excused_counts,
        }
    }

    fn summary(self) -> (i64, String, i64, CourseSummary) {
        let summary = CourseSummary {
            code: self.code,
            title: self.title,
            kind: self.kind,
            summary: self.summary,
            hours: self.hours,
            fee_cents: self.fee_cents,
            includes_membership: self.includes_membership,
            eligibility: self.eligibility,
            format: self.format,
        };
        (self.id, self.description, self.ce_hours, summary)
    }
}

const COLUMNS: &str = "id, code, title, kind, summary, description, hours, fee_cents, includes_membership, eligibility, format, ce_hours, attendance_threshold_percent, excused_counts";

/// Every course, in catalog order.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list(db: &Db) -> Result<Vec<CourseSummary>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM courses ORDER BY position, id");
    let rows: Vec<CourseRow> = on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|r| r.summary().3).collect())
}

/// One course with its topics, by code (case-insensitive).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn find(db: &Db, code: &str) -> Result<Option<CourseDetail>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM courses WHERE UPPER(code) = UPPER($1)");
    on_db!(db, pool => {
        let row: Option<CourseRow> = sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?;
        let Some(row) = row else { return Ok(None) };
        let attendance_rule = row.rule();
        let (id, description, ce_hours, course) = row.summary();
        let topics: Vec<String> = sqlx::query_scalar("SELECT title FROM course_topics WHERE course_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(pool)
            .await?;
        let description_html = crate::domain::markdown::to_safe_html(&description);
        Ok(Some(CourseDetail { course, description, description_html, ce_hours, attendance_rule, topics }))
    })
}

/// Loads the catalog: inserts missing courses and brings seeded ones up to date, topics
/// included. Idempotent; returns how many courses were new.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn upsert_seed(
    db: &Db,
    courses: &[SeedCourse],
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let upsert = "INSERT INTO courses (code, title, kind, summary, description, hours, fee_cents, includes_membership, eligibility, format, position, created_at, updated_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
                  ON CONFLICT (code) DO UPDATE SET title = excluded.title, kind = excluded.kind, summary = excluded.summary, \
                  description = excluded.description, hours = excluded.hours, fee_cents = excluded.fee_cents, \
                  includes_membership = excluded.includes_membership, eligibility = excluded.eligibility, \
                  format = excluded.format, position = excluded.position, updated_at = excluded.updated_at";
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut created = 0;
        for (position, c) in courses.iter().enumerate() {
            let existed: Option<i64> = sqlx::query_scalar("SELECT id FROM courses WHERE code = $1").bind(c.code).fetch_optional(&mut *tx).await?;
            sqlx::query(upsert)
                .bind(c.code)
                .bind(c.title)
                .bind(c.kind.as_str())
                .bind(c.summary)
                .bind(c.description)
                .bind(c.hours)
                .bind(c.fee_cents)
                .bind(c.includes_membership)
                .bind(c.eligibility.as_str())
                .bind(c.format)
                .bind(position as i64)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE code = $1").bind(c.code).fetch_one(&mut *tx).await?;
            sqlx::query("DELETE FROM course_topics WHERE course_id = $1").bind(id).execute(&mut *tx).await?;
            for (i, topic) in c.topics.iter().enumerate() {
                sqlx::query("INSERT INTO course_topics (course_id, position, title) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(i as i64 + 1)
                    .bind(*topic)
                    .execute(&mut *tx)
                    .await?;
            }
            if existed.is_none() {
                created += 1;
            }
        }
        tx.commit().await?;
        Ok(created)
    })
}

/// Course ids by code, for seeding and imports.
pub async fn ids_by_code(db: &Db) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        on_db!(db, pool => sqlx::query_as("SELECT code, id FROM courses").fetch_all(pool).await)?;
    Ok(rows.into_iter().collect())
}

/// Why a course could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveCourseError {
    #[error("another course has this code")]
    DuplicateCode,
    #[error("no such course")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates a course (`original_code` None) or updates one, topics included (audited).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn save(
    db: &Db,
    original_code: Option<&str>,
    c: &crate::domain::course_form::ParsedCourse,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), SaveCourseError> {
    let result: Result<(), SaveCourseError> = on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = match original_code {
            None => {
                let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM courses").fetch_one(&mut *tx).await?;
                sqlx::query_scalar(
                    "INSERT INTO courses (code, title, kind, summary, description, hours, fee_cents, includes_membership, eligibility, format, ce_hours, position, created_at, updated_at, attendance_threshold_percent, excused_counts) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15) RETURNING id",
                )
                .bind(&c.code).bind(&c.title).bind(c.kind.as_str()).bind(&c.summary).bind(&c.description).bind(c.hours).bind(c.fee_cents)
                .bind(c.includes_membership).bind(c.eligibility.as_str()).bind(&c.format).bind(c.ce_hours).bind(position).bind(now)
                .bind(c.attendance_rule.threshold_percent).bind(c.attendance_rule.excused_counts)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| if super::is_unique_violation(&e) { SaveCourseError::DuplicateCode } else { SaveCourseError::Db(e) })?
            }
            Some(original) => {
                let id: Option<i64> = sqlx::query_scalar("SELECT id FROM courses WHERE code = $1").bind(original).fetch_optional(&mut *tx).await?;
                let id = id.ok_or(SaveCourseError::NotFound)?;
                sqlx::query(
                    "UPDATE courses SET code = $1, title = $2, kind = $3, summary = $4, description = $5, hours = $6, fee_cents = $7, \
                     includes_membership = $8, eligibility = $9, format = $10, ce_hours = $11, updated_at = $12, \
                     attendance_threshold_percent = $14, excused_counts = $15 WHERE id = $13",
                )
                .bind(&c.code).bind(&c.title).bind(c.kind.as_str()).bind(&c.summary).bind(&c.description).bind(c.hours).bind(c.fee_cents)
                .bind(c.includes_membership).bind(c.eligibility.as_str()).bind(&c.format).bind(c.ce_hours).bind(now).bind(id)
                .bind(c.attendance_rule.threshold_percent).bind(c.attendance_rule.excused_counts)
                .execute(&mut *tx)
                .await
                .map_err(|e| if super::is_unique_violation(&e) { SaveCourseError::DuplicateCode } else { SaveCourseError::Db(e) })?;
                id
            }
        };
        sqlx::query("DELETE FROM course_topics WHERE course_id = $1").bind(id).execute(&mut *tx).await?;
        for (i, topic) in c.topics.iter().enumerate() {
            sqlx::query("INSERT INTO course_topics (course_id, position, title) VALUES ($1, $2, $3)").bind(id).bind(i as i64 + 1).bind(topic).execute(&mut *tx).await?;
        }
        audit::record!(tx, Some(actor), if original_code.is_some() { "course.updated" } else { "course.created" }, "course", id, original_code.map(str::to_owned), format!("{} · {} · {} cents", c.code, c.title, c.fee_cents), now);
        tx.commit().await?;
        Ok(())
    });
    result
}

/// A course's topics as (id, title), in order.
pub async fn topics(db: &Db, course_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT id, title FROM course_topics WHERE course_id = $1 ORDER BY position").bind(course_id).fetch_all(pool).await)
}

/// A course's id and title by code (case-insensitive).
pub async fn id_and_title(db: &Db, code: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT id, title FROM courses WHERE UPPER(code) = UPPER($1)").bind(code).fetch_optional(pool).await)
}
