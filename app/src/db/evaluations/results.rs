//! Evaluation results for a class or a course (ratings, the classes with their response
//! counts, comments), publishing a comment as a testimonial, and the published ones.

use crate::db::{audit, on_db, BeginWrite, Db};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// Which evaluations: of one course, of one class, of the classes one instructor teaches;
/// each part optional, together they narrow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub course_id: Option<i64>,
    pub offering_id: Option<i64>,
    /// Only classes this person is an instructor of.
    pub instructor_id: Option<i64>,
}

/// The scope as SQL on offerings `o`, binding $1, $2, $3 (a missing part lets every row
/// through, so one query serves every scope on both databases).
const SCOPE: &str = "($1 IS NULL OR o.course_id = $1) AND ($2 IS NULL OR o.id = $2) \
                     AND ($3 IS NULL OR EXISTS (SELECT 1 FROM offering_instructors i WHERE i.offering_id = o.id AND i.user_id = $3))";

/// Every evaluation's ratings in the scope: (class, ratings in the order of `Item::ALL`).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn ratings(db: &Db, scope: Scope) -> Result<Vec<(i64, [u8; 5])>, sqlx::Error> {
    let sql = format!(
        "SELECT e.offering_id, e.content, e.presenters, e.balance, e.relevance, e.overall \
         FROM evaluations e JOIN offerings o ON o.id = e.offering_id WHERE {SCOPE} ORDER BY e.id"
    );
    let rows: Vec<(i64, i64, i64, i64, i64, i64)> = on_db!(db, pool => sqlx::query_as(&sql)
        .bind(scope.course_id).bind(scope.offering_id).bind(scope.instructor_id)
        .fetch_all(pool).await)?;
    let rating = |r: i64| u8::try_from(r).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|(o, a, b, c, d, e)| (o, [a, b, c, d, e].map(rating)))
        .collect())
}

/// A class in the results, with the people invited (confirmed seats) and the responses.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClassLine {
    pub offering_id: i64,
    pub zone: String,
    pub first_starts_at: DateTime<Utc>,
    pub last_ends_at: DateTime<Utc>,
    pub invited: i64,
    pub responses: i64,
}

/// The classes in the scope (not cancelled; with `ended_by`, only those whose last session
/// ended by then), most recent first.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn class_lines(
    db: &Db,
    scope: Scope,
    ended_by: Option<DateTime<Utc>>,
) -> Result<Vec<ClassLine>, sqlx::Error> {
    let sql = format!(
        "SELECT o.id AS offering_id, o.zone, MIN(m.starts_at) AS first_starts_at, MAX(m.ends_at) AS last_ends_at, \
         (SELECT COUNT(*) FROM registrations r WHERE r.offering_id = o.id AND r.status = 'confirmed') AS invited, \
         (SELECT COUNT(*) FROM evaluations e WHERE e.offering_id = o.id) AS responses \
         FROM offerings o JOIN meetings m ON m.offering_id = o.id \
         WHERE o.status <> 'cancelled' AND {SCOPE} \
         GROUP BY o.id, o.zone HAVING ($4 IS NULL OR MAX(m.ends_at) <= $4) \
         ORDER BY MIN(m.starts_at) DESC, o.id DESC LIMIT 500"
    );
    on_db!(db, pool => sqlx::query_as(&sql)
        .bind(scope.course_id).bind(scope.offering_id).bind(scope.instructor_id).bind(ended_by)
        .fetch_all(pool).await)
}

/// A comment of an evaluation. The attribution is the author's name: pages show it to
/// administrators only.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub offering_id: i64,
    pub comment: String,
    pub consent: bool,
    pub attribution: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// The comments in the scope, newest first.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn comments(db: &Db, scope: Scope) -> Result<Vec<CommentRow>, sqlx::Error> {
    let sql = format!(
        "SELECT e.id, e.offering_id, e.comment, e.consent, e.attribution, e.published_at \
         FROM evaluations e JOIN offerings o ON o.id = e.offering_id \
         WHERE e.comment <> '' AND {SCOPE} ORDER BY e.submitted_at DESC, e.id DESC LIMIT 500"
    );
    on_db!(db, pool => sqlx::query_as(&sql)
        .bind(scope.course_id).bind(scope.offering_id).bind(scope.instructor_id)
        .fetch_all(pool).await)
}

/// What became of a request to publish or unpublish a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    NotFound,
    /// Its author did not agree to publication (or there is no comment): nothing changed.
    NoConsent,
    /// Done (or it already was so); the course's code, for the way back.
    Done {
        course_code: String,
    },
}

/// Publishes (or, with `publish` false, withdraws) evaluation `id`'s comment as a testimonial
/// on its course's page, by `actor`; refused without its author's consent. A change is
/// audited in the same transaction; asking for what already is changes and audits nothing.
#[instrument(skip_all, fields(db = db.backend(), evaluation_id = id))]
pub async fn set_published(
    db: &Db,
    id: i64,
    publish: bool,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Published, sqlx::Error> {
    type Found = (bool, String, Option<DateTime<Utc>>, String);
    let read = "SELECT e.consent, e.comment, e.published_at, c.code FROM evaluations e \
                JOIN offerings o ON o.id = e.offering_id JOIN courses c ON c.id = o.course_id WHERE e.id = $1";
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<Found> = sqlx::query_as(read).bind(id).fetch_optional(&mut *tx).await?;
        let Some((consent, comment, published_at, course_code)) = found else {
            return Ok(Published::NotFound);
        };
        let publishable = consent && !comment.trim().is_empty();
        if publish && !publishable {
            return Ok(Published::NoConsent);
        }
        if published_at.is_some() == publish {
            return Ok(Published::Done { course_code });
        }
        let (at, by) = if publish { (Some(now), Some(actor)) } else { (None, None) };
        sqlx::query("UPDATE evaluations SET published_at = $1, published_by = $2 WHERE id = $3")
            .bind(at).bind(by).bind(id).execute(&mut *tx).await?;
        let action = if publish { "evaluation.published" } else { "evaluation.unpublished" };
        let before = serde_json::json!({ "published": !publish }).to_string();
        let after = serde_json::json!({ "published": publish }).to_string();
        audit::record!(tx, Some(actor), action, "evaluation", id, Some(before), after, now);
        tx.commit().await?;
        Ok(Published::Done { course_code })
    })
}

/// The published testimonials of course `code`, newest first: (comment, attribution).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn testimonials(
    db: &Db,
    code: &str,
    limit: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = "SELECT e.comment, e.attribution FROM evaluations e \
               JOIN offerings o ON o.id = e.offering_id JOIN courses c ON c.id = o.course_id \
               WHERE c.code = $1 AND e.published_at IS NOT NULL \
               ORDER BY e.published_at DESC, e.id DESC LIMIT $2";
    on_db!(db, pool => sqlx::query_as(sql).bind(code).bind(limit).fetch_all(pool).await)
}
