//! Memberships as their holders, the resource gate and the administrators' members list read
//! them. They are written only beside their certificate (issue, import, renewal, expiry,
//! revocation), in the same transaction; see `domain::membership`.

use super::{on_db, order_by, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use crate::domain::{
    certificate::{issue_date, Status},
    membership::{Held, MembershipStatus},
};
use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

type HeldRow = (String, String, NaiveDate, Option<DateTime<Utc>>);

fn held_from(rows: Vec<HeldRow>) -> Result<Vec<Held>, sqlx::Error> {
    rows.into_iter()
        .map(|(status, certificate, ends_on, ended_at)| {
            Ok(Held {
                status: MembershipStatus::parse(&status)
                    .ok_or_else(|| unknown("memberships.status", &status))?,
                certificate: Status::parse(&certificate)
                    .ok_or_else(|| unknown("certificates.status", &certificate))?,
                ends_on,
                ended_on: ended_at.map(issue_date),
            })
        })
        .collect()
}

/// A stored value outside its enum: an error, never a default.
fn unknown(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{column}: unknown value {value:?}").into())
}

/// Every membership `user_id` holds, with its certificate's status: what their standing is
/// read from (`membership::standing`).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn held(db: &Db, user_id: i64) -> Result<Vec<Held>, sqlx::Error> {
    let rows: Vec<HeldRow> = on_db!(db, pool => {
        sqlx::query_as(
            "SELECT m.status, c.status, m.ends_on, m.ended_at FROM memberships m \
             JOIN certificates c ON c.id = m.certificate_id WHERE m.user_id = $1",
        )
        .bind(user_id).fetch_all(pool).await
    })?;
    held_from(rows)
}

/// One member in the administrators' list: their newest membership and its certificate.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub certificate_id: i64,
    pub number: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: String,
    pub certificate_status: String,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Which members the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberFilter {
    /// Only current members (`Some(true)`) or only former ones (`Some(false)`), on the day
    /// of the query.
    pub current: Option<bool>,
    /// Only memberships whose last day is before this one.
    pub ends_before: Option<NaiveDate>,
}

/// The columns the members list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSort {
    Name,
    Since,
    Through,
    Standing,
}

impl SortKey for MemberSort {
    const ALL: &'static [MemberSort] = &[
        MemberSort::Name,
        MemberSort::Since,
        MemberSort::Through,
        MemberSort::Standing,
    ];
    const DEFAULT: (MemberSort, Dir) = (MemberSort::Through, Dir::Asc);
    fn key(self) -> &'static str {
        match self {
            MemberSort::Name => "name",
            MemberSort::Since => "since",
            MemberSort::Through => "through",
            MemberSort::Standing => "standing",
        }
    }
}

/// Current on the day bound as `$1` (the same rule as `membership::standing`): 1, else 0.
const CURRENT: &str =
    "CASE WHEN m.status = 'active' AND c.status <> 'revoked' AND m.ends_on >= $1 THEN 1 ELSE 0 END";

impl OrderBy for MemberSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            MemberSort::Name => &["LOWER(u.name)"],
            MemberSort::Since => &["m.starts_on"],
            MemberSort::Through => &["m.ends_on"],
            MemberSort::Standing => &[CURRENT],
        }
    }
}

/// Each person's newest membership (the latest last day; ties by id), with `$1` today,
/// `$2` current (1, 0 or NULL for either) and `$3` the bound on the last day.
fn from_where() -> String {
    format!(
        "FROM memberships m JOIN certificates c ON c.id = m.certificate_id JOIN users u ON u.id = m.user_id \
         WHERE NOT EXISTS (SELECT 1 FROM memberships n WHERE n.user_id = m.user_id \
                           AND (n.ends_on > m.ends_on OR (n.ends_on = m.ends_on AND n.id > m.id))) \
         AND ($2 IS NULL OR {CURRENT} = $2) AND ($3 IS NULL OR m.ends_on < $3)"
    )
}

/// How many people `filter` selects on `today`.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn count(db: &Db, filter: MemberFilter, today: NaiveDate) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) {}", from_where());
    on_db!(db, pool => sqlx::query_scalar(&sql)
        .bind(today).bind(filter.current.map(i64::from)).bind(filter.ends_before)
        .fetch_one(pool).await)
}

/// The people `filter` selects on `today`, each with their newest membership, in `sort`
/// order: `limit` of them (all: `None`) after skipping `offset`.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list(
    db: &Db,
    filter: MemberFilter,
    today: NaiveDate,
    sort: Sort<MemberSort>,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<MemberRow>, sqlx::Error> {
    let sql = format!(
        "SELECT u.id AS user_id, u.name, u.email, u.agency, c.id AS certificate_id, c.number, m.starts_on, m.ends_on, \
         m.status, c.status AS certificate_status, m.ended_at {} {} LIMIT $4 OFFSET $5",
        from_where(),
        order_by(sort, "m.id")
    );
    on_db!(db, pool => sqlx::query_as(&sql)
        .bind(today).bind(filter.current.map(i64::from)).bind(filter.ends_before)
        .bind(limit.unwrap_or(i64::MAX)).bind(offset)
        .fetch_all(pool).await)
}

impl MemberRow {
    /// This membership as the standing rule reads it.
    pub fn held(&self) -> Result<Held, sqlx::Error> {
        held_from(vec![(
            self.status.clone(),
            self.certificate_status.clone(),
            self.ends_on,
            self.ended_at,
        )])?
        .pop()
        .ok_or_else(|| unknown("memberships", "none"))
    }
}
