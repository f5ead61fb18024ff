//! A course's question bank as its list shows it: the current version of each question,
//! sorted by a chosen column, a page at a time.

use super::{
    on_db, order_by,
    questions::{QuestionRecord, COLUMNS},
    Db, OrderBy,
};
use crate::components::paging::{Dir, Sort, SortKey};
use tracing::instrument;

/// The columns the bank's list of questions sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionSort {
    /// In the course's order of topics (questions without one last).
    Topic,
    Question,
    Kind,
    Status,
    Version,
}

impl SortKey for QuestionSort {
    const ALL: &'static [QuestionSort] = &[
        QuestionSort::Topic,
        QuestionSort::Question,
        QuestionSort::Kind,
        QuestionSort::Status,
        QuestionSort::Version,
    ];
    const DEFAULT: (QuestionSort, Dir) = (QuestionSort::Topic, Dir::Asc);
    fn key(self) -> &'static str {
        match self {
            QuestionSort::Topic => "topic",
            QuestionSort::Question => "question",
            QuestionSort::Kind => "kind",
            QuestionSort::Status => "status",
            QuestionSort::Version => "version",
        }
    }
}

impl OrderBy for QuestionSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            QuestionSort::Topic => &[
                crate::nulls_last!("q.topic_id"),
                "(SELECT t.position FROM course_topics t WHERE t.id = q.topic_id)",
            ],
            QuestionSort::Question => &["LOWER(q.stem)"],
            QuestionSort::Kind => &["q.kind"],
            QuestionSort::Status => &["q.status"],
            QuestionSort::Version => &["q.version"],
        }
    }
}

/// Current versions only: drafts and active ones, and retired ones whose family has no
/// newer version.
const CURRENT: &str = "FROM questions q WHERE q.course_id = $1 \
     AND NOT EXISTS (SELECT 1 FROM questions n WHERE n.family_id = q.family_id AND n.version > q.version)";

/// How many questions the bank of `course_id` lists.
#[instrument(skip_all, fields(db = db.backend(), course_id))]
pub async fn count(db: &Db, course_id: i64) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) {CURRENT}");
    on_db!(db, pool => sqlx::query_scalar(&sql).bind(course_id).fetch_one(pool).await)
}

/// A page of the bank of `course_id` in `sort` order: `limit` questions after skipping
/// `offset`.
#[instrument(skip_all, fields(db = db.backend(), course_id))]
pub async fn page(
    db: &Db,
    course_id: i64,
    sort: Sort<QuestionSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<QuestionRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} {CURRENT} {} LIMIT $2 OFFSET $3",
        order_by(sort, "q.id")
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(course_id).bind(limit).bind(offset).fetch_all(pool).await)
}

/// The current questions of the bank's scenario groups (for the groups' lists).
#[instrument(skip_all, fields(db = db.backend(), course_id))]
pub async fn grouped(db: &Db, course_id: i64) -> Result<Vec<QuestionRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} {CURRENT} AND q.group_id IS NOT NULL ORDER BY q.id");
    on_db!(db, pool => sqlx::query_as(&sql).bind(course_id).fetch_all(pool).await)
}
