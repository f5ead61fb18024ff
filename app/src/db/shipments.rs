//! The best-practice guide shipped with a person's first coordinator certificate: queued
//! when the certificate is issued, an address snapshot given by the holder, marked shipped by
//! an administrator with carrier and tracking (audited).

use super::{audit, on_db, order_by, BeginWrite, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use chrono::{DateTime, Utc};
use tracing::instrument;

/// One shipment, with its holder and certificate.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ShipmentRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub number: String,
    pub address: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
}

const SELECT: &str = "SELECT s.id, s.user_id, u.name, u.email, c.number, s.address, s.requested_at, s.shipped_at, s.carrier, s.tracking \
                      FROM guide_shipments s JOIN users u ON u.id = s.user_id JOIN certificates c ON c.id = s.certificate_id";

/// A person's shipment, if they have one.
pub async fn for_user(db: &Db, user_id: i64) -> Result<Option<ShipmentRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE s.user_id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).fetch_optional(pool).await)
}

/// The columns the shipping queue sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentSort {
    /// Waiting ones first, each part by when it was requested.
    Status,
    Requested,
    Name,
    Number,
}

impl SortKey for ShipmentSort {
    const ALL: &'static [ShipmentSort] = &[
        ShipmentSort::Status,
        ShipmentSort::Requested,
        ShipmentSort::Name,
        ShipmentSort::Number,
    ];
    const DEFAULT: (ShipmentSort, Dir) = (ShipmentSort::Status, Dir::Asc);
    fn key(self) -> &'static str {
        match self {
            ShipmentSort::Status => "status",
            ShipmentSort::Requested => "requested",
            ShipmentSort::Name => "name",
            ShipmentSort::Number => "number",
        }
    }
}

impl OrderBy for ShipmentSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            ShipmentSort::Status => &[
                "CASE WHEN s.shipped_at IS NULL THEN 0 ELSE 1 END",
                "s.requested_at",
            ],
            ShipmentSort::Requested => &["s.requested_at"],
            ShipmentSort::Name => &["LOWER(u.name)"],
            ShipmentSort::Number => &["c.number"],
        }
    }
}

/// How many shipments there are, waiting or shipped.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM guide_shipments").fetch_one(pool).await)
}

/// A page of every shipment in `sort` order: `limit` of them after skipping `offset`.
pub async fn queue(
    db: &Db,
    sort: Sort<ShipmentSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ShipmentRow>, sqlx::Error> {
    let sql = format!("{SELECT} {} LIMIT $1 OFFSET $2", order_by(sort, "s.id"));
    on_db!(db, pool => sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(pool).await)
}

/// Stores the address the holder gave, while the guide has not shipped. Whether it did.
pub async fn set_address(db: &Db, user_id: i64, address: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => sqlx::query("UPDATE guide_shipments SET address = $1 WHERE user_id = $2 AND shipped_at IS NULL")
        .bind(address).bind(user_id).execute(pool).await.map(|r| r.rows_affected() == 1))
}

/// Why a shipment was not marked shipped.
#[derive(Debug, thiserror::Error)]
pub enum ShipError {
    #[error("no such shipment")]
    NotFound,
    #[error("no address yet")]
    NoAddress,
    #[error("already shipped")]
    Shipped,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Marks shipment `id` shipped with `carrier` and `tracking`; audited.
#[instrument(skip_all, fields(db = db.backend(), shipment_id = id))]
pub async fn mark_shipped(
    db: &Db,
    id: i64,
    carrier: &str,
    tracking: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), ShipError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(Option<String>, Option<DateTime<Utc>>)> = sqlx::query_as("SELECT address, shipped_at FROM guide_shipments WHERE id = $1")
            .bind(id).fetch_optional(&mut *tx).await?;
        match row {
            None => return Err(ShipError::NotFound),
            Some((_, Some(_))) => return Err(ShipError::Shipped),
            Some((None, None)) => return Err(ShipError::NoAddress),
            Some((Some(_), None)) => {}
        }
        sqlx::query("UPDATE guide_shipments SET shipped_at = $1, carrier = $2, tracking = $3, shipped_by = $4 WHERE id = $5 AND shipped_at IS NULL")
            .bind(now).bind(carrier).bind(tracking).bind(actor).bind(id).execute(&mut *tx).await?;
        let after = serde_json::json!({ "carrier": carrier, "tracking": tracking }).to_string();
        audit::record!(tx, Some(actor), "guide.shipped", "guide_shipment", id, None::<String>, after, now);
        tx.commit().await?;
        Ok(())
    })
}
