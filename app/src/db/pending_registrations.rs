//! Registrations waiting for an administrator's approval, a page at a time.

use super::{on_db, order_by, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use chrono::{DateTime, Utc};

/// A registration waiting for an administrator, with what the person declared.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRegistration {
    pub id: i64,
    pub offering_id: i64,
    pub course_title: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub call_center: String,
    pub job_role: String,
    pub supervisor_contact: String,
    pub created_at: DateTime<Utc>,
}

/// The columns the approval queue sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingSort {
    Submitted,
    Name,
    Course,
}

impl SortKey for PendingSort {
    const ALL: &'static [PendingSort] = &[
        PendingSort::Submitted,
        PendingSort::Name,
        PendingSort::Course,
    ];
    const DEFAULT: (PendingSort, Dir) = (PendingSort::Submitted, Dir::Asc);
    fn key(self) -> &'static str {
        match self {
            PendingSort::Submitted => "submitted",
            PendingSort::Name => "name",
            PendingSort::Course => "course",
        }
    }
}

impl OrderBy for PendingSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            PendingSort::Submitted => &["r.created_at"],
            PendingSort::Name => &["LOWER(u.name)"],
            PendingSort::Course => &["LOWER(c.title)"],
        }
    }
}

/// How many registrations wait for approval.
pub async fn count_pending(db: &Db) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COUNT(*) FROM registrations WHERE status = 'pending_approval'";
    on_db!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await)
}

/// The registrations waiting for approval in `sort` order: `limit` of them after skipping
/// `offset`.
pub async fn list_pending(
    db: &Db,
    sort: Sort<PendingSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<PendingRegistration>, sqlx::Error> {
    let sql = format!(
        "SELECT r.id, r.offering_id, c.title AS course_title, u.name, u.email, u.agency, r.call_center, r.job_role, r.supervisor_contact, r.created_at \
         FROM registrations r JOIN users u ON u.id = r.user_id JOIN offerings o ON o.id = r.offering_id JOIN courses c ON c.id = o.course_id \
         WHERE r.status = 'pending_approval' {} LIMIT $1 OFFSET $2",
        order_by(sort, "r.id")
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(pool).await)
}
