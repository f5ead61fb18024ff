//! The course catalog.

use super::{audit, on_db, BeginWrite, Db};
use crate::{
    domain::{
        catalog::SeedCourse,
        course_topics::{self, StoredTopic, TopicStatus},
    },
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
        // Retired topics are history: the public page lists what the course teaches now.
        let topics: Vec<String> = sqlx::query_scalar("SELECT title FROM course_topics WHERE course_id = $1 AND status = 'active' ORDER BY position")
            .bind(id)
            .fetch_all(pool)
            .await?;
        let description_html = crate::domain::markdown::to_safe_html(&description);
        Ok(Some(CourseDetail { course, description, description_html, ce_hours, attendance_rule, topics }))
    })
}

/// Loads the catalog without ever undoing an administrator's work; returns how many courses
/// were new. Runs any number of times, on any database:
///
/// - a catalog course missing by code is inserted with its topics;
/// - an existing course keeps its fields (title, fee, description, ...) as administrators
///   left them;
/// - a catalog topic is added to an existing course (at the end) only if seed never put it
///   there before (`catalog_topics_loaded`) and no topic of the course has its title (case
///   aside): so a topic an administrator renamed, retired or deleted stays that way;
/// - nothing is ever deleted or renamed.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn upsert_seed(
    db: &Db,
    courses: &[SeedCourse],
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    // DO NOTHING: two servers starting on one empty database may both get here.
    let insert = "INSERT INTO courses (code, title, kind, summary, description, hours, fee_cents, includes_membership, eligibility, format, position, created_at, updated_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT (code) DO NOTHING";
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut created = 0;
        for (position, c) in courses.iter().enumerate() {
            let inserted = sqlx::query(insert)
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
                .await?
                .rows_affected();
            created += usize::from(inserted > 0);
            let id: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE code = $1").bind(c.code).fetch_one(&mut *tx).await?;
            let loaded: Vec<String> = sqlx::query_scalar("SELECT title FROM catalog_topics_loaded WHERE course_id = $1").bind(id).fetch_all(&mut *tx).await?;
            let present: Vec<String> = sqlx::query_scalar("SELECT title FROM course_topics WHERE course_id = $1").bind(id).fetch_all(&mut *tx).await?;
            let mut last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM course_topics WHERE course_id = $1").bind(id).fetch_one(&mut *tx).await?;
            for topic in c.topics {
                if loaded.iter().any(|t| t == topic) {
                    continue;
                }
                if !present.iter().any(|t| t.to_lowercase() == topic.to_lowercase()) {
                    last += 1;
                    sqlx::query("INSERT INTO course_topics (course_id, position, title) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(last)
                        .bind(*topic)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("INSERT INTO catalog_topics_loaded (course_id, title) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id)
                    .bind(*topic)
                    .execute(&mut *tx)
                    .await?;
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
    /// A topic change that may not be made; the field and message are the form's.
    #[error("{}", .0.message)]
    Topics(crate::domain::course_topics::TopicRefusal),
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
        let rows: Vec<StoredRow> = sqlx::query_as(STORED_TOPICS).bind(id).fetch_all(&mut *tx).await?;
        let stored = decode_stored(rows)?;
        let plan = course_topics::plan(&stored, &c.topic_rows, &c.new_topics).map_err(SaveCourseError::Topics)?;
        for gone in &plan.deleted {
            // Only unused topics are deleted; a blueprint row drawing none is all that is left.
            sqlx::query("DELETE FROM exam_blueprint WHERE topic_id = $1 AND questions = 0").bind(gone).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM course_topics WHERE id = $1 AND course_id = $2").bind(gone).bind(id).execute(&mut *tx).await?;
        }
        // Out of the way first: (course_id, position) is unique at every statement.
        sqlx::query("UPDATE course_topics SET position = -id WHERE course_id = $1").bind(id).execute(&mut *tx).await?;
        for t in &plan.topics {
            match t.id {
                Some(topic) => {
                    sqlx::query("UPDATE course_topics SET title = $1, position = $2, status = $3 WHERE id = $4 AND course_id = $5")
                        .bind(&t.title).bind(t.position).bind(t.status.as_str()).bind(topic).bind(id)
                        .execute(&mut *tx).await?;
                }
                None => {
                    sqlx::query("INSERT INTO course_topics (course_id, position, title, status) VALUES ($1, $2, $3, $4)")
                        .bind(id).bind(t.position).bind(&t.title).bind(t.status.as_str())
                        .execute(&mut *tx).await?;
                }
            }
        }
        let changes = plan.summary(&stored);
        let after = format!("{} · {} · {} cents", c.code, c.title, c.fee_cents);
        let after = if changes.is_empty() { after } else { format!("{after} · topics: {changes}") };
        audit::record!(tx, Some(actor), if original_code.is_some() { "course.updated" } else { "course.created" }, "course", id, original_code.map(str::to_owned), after, now);
        tx.commit().await?;
        Ok(())
    });
    result
}

/// A course's topics as (id, title), in order, retired ones included: for showing what
/// questions, attempts and reports point at.
pub async fn topics(db: &Db, course_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT id, title FROM course_topics WHERE course_id = $1 ORDER BY position").bind(course_id).fetch_all(pool).await)
}

/// A course's active topics as (id, title), in order: the ones offered for new questions,
/// imports and blueprints.
pub async fn offered_topics(db: &Db, course_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT id, title FROM course_topics WHERE course_id = $1 AND status = 'active' ORDER BY position").bind(course_id).fetch_all(pool).await)
}

/// The ids of a course's retired topics.
pub async fn retired_topic_ids(db: &Db, course_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT id FROM course_topics WHERE course_id = $1 AND status = 'retired'").bind(course_id).fetch_all(pool).await)
}

/// Every topic of a course with what uses it, in order: the rows of the course form.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn stored_topics(db: &Db, course_id: i64) -> Result<Vec<StoredTopic>, sqlx::Error> {
    let rows: Vec<StoredRow> =
        on_db!(db, pool => sqlx::query_as(STORED_TOPICS).bind(course_id).fetch_all(pool).await)?;
    decode_stored(rows)
}

/// A course's topics with their use: question versions of any status (attempts point at
/// these) and the blueprint's draws.
const STORED_TOPICS: &str = "SELECT t.id, t.title, t.position, t.status, \
     (SELECT COUNT(*) FROM questions q WHERE q.topic_id = t.id) AS questions, \
     (SELECT CAST(COALESCE(SUM(b.questions), 0) AS BIGINT) FROM exam_blueprint b WHERE b.topic_id = t.id) AS drawn \
     FROM course_topics t WHERE t.course_id = $1 ORDER BY t.position";

#[derive(sqlx::FromRow)]
struct StoredRow {
    id: i64,
    title: String,
    position: i64,
    status: String,
    questions: i64,
    drawn: i64,
}

fn decode_stored(rows: Vec<StoredRow>) -> Result<Vec<StoredTopic>, sqlx::Error> {
    rows.into_iter()
        .map(|r| {
            let status: TopicStatus = r
                .status
                .parse()
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok(StoredTopic {
                id: r.id,
                title: r.title,
                position: r.position,
                status,
                questions: r.questions,
                drawn: r.drawn,
            })
        })
        .collect()
}

/// A course's id and title by code (case-insensitive).
pub async fn id_and_title(db: &Db, code: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    on_db!(db, pool => sqlx::query_as("SELECT id, title FROM courses WHERE UPPER(code) = UPPER($1)").bind(code).fetch_optional(pool).await)
}
