//! The administrators' list of certificates: filtered by status and expiry, sorted by a
//! chosen column, a page at a time (or whole, for the CSV).

use super::{certificates::CertificateRecord, on_db, order_by, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use crate::domain::certificate::Status;
use chrono::NaiveDate;
use tracing::instrument;

/// A certificate with its holder's email, for administrators.
#[derive(Debug, Clone, sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    certificate: CertificateRecord,
    email: String,
}

/// Which certificates the administrators' list shows; every part optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    /// Only those whose last valid day is before this one (certificates of completion
    /// never are).
    pub expires_before: Option<NaiveDate>,
    /// Only those with this status on the day of the query.
    pub status: Option<Status>,
}

/// A certificate's status on the day bound as `$1` (see [`CertificateRecord::status_on`]).
const STATUS_ON: &str = "CASE WHEN c.status = 'revoked' THEN 'revoked' \
                         WHEN c.status = 'expired' OR c.expires_on < $1 THEN 'expired' ELSE 'active' END";

/// The columns the administrators' list of certificates sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateSort {
    Number,
    Holder,
    Issued,
    Expires,
    Status,
}

impl SortKey for CertificateSort {
    const ALL: &'static [CertificateSort] = &[
        CertificateSort::Number,
        CertificateSort::Holder,
        CertificateSort::Issued,
        CertificateSort::Expires,
        CertificateSort::Status,
    ];
    const DEFAULT: (CertificateSort, Dir) = (CertificateSort::Issued, Dir::Desc);
    fn key(self) -> &'static str {
        match self {
            CertificateSort::Number => "number",
            CertificateSort::Holder => "holder",
            CertificateSort::Issued => "issued",
            CertificateSort::Expires => "expires",
            CertificateSort::Status => "status",
        }
    }
}

impl OrderBy for CertificateSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            CertificateSort::Number => &["c.number"],
            CertificateSort::Holder => &["LOWER(c.holder_name)"],
            CertificateSort::Issued => &["c.issued_on"],
            // No expiry is later than any date.
            CertificateSort::Expires => &[crate::nulls_last!("c.expires_on"), "c.expires_on"],
            CertificateSort::Status => &[STATUS_ON],
        }
    }
}

/// `$1` is today, `$2` the expiry bound, `$3` the status (NULL: any).
const LIST_WHERE: &str = "JOIN users u ON u.id = c.user_id \
                          WHERE ($2 IS NULL OR c.expires_on < $2) AND ($3 IS NULL OR ";

fn list_where() -> String {
    format!("{LIST_WHERE}{STATUS_ON} = $3)")
}

/// How many certificates `filter` selects on `today`.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn count(db: &Db, filter: ListFilter, today: NaiveDate) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM certificates c {}", list_where());
    on_db!(db, pool => sqlx::query_scalar(&sql)
        .bind(today).bind(filter.expires_before).bind(filter.status.map(Status::as_str))
        .fetch_one(pool).await)
}

/// The certificates `filter` selects on `today`, with their holders' emails, in `sort`
/// order: `limit` of them (all: `None`) after skipping `offset`.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn list(
    db: &Db,
    filter: ListFilter,
    today: NaiveDate,
    sort: Sort<CertificateSort>,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<(CertificateRecord, String)>, sqlx::Error> {
    let select = super::certificates::SELECT
        .replace(" FROM certificates c", ", u.email FROM certificates c");
    let sql = format!(
        "{select} {} {} LIMIT $4 OFFSET $5",
        list_where(),
        order_by(sort, "c.id")
    );
    let rows: Vec<ListedRow> = on_db!(db, pool => sqlx::query_as(&sql)
        .bind(today).bind(filter.expires_before).bind(filter.status.map(Status::as_str))
        .bind(limit.unwrap_or(i64::MAX)).bind(offset)
        .fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|r| (r.certificate, r.email)).collect())
}
