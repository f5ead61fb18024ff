//! The best-practice guide: the holder gives a shipping address; administrators work the
//! queue and mark each guide shipped with carrier and tracking.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One shipment as the queue and the holder see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipment {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub number: String,
    /// None until the holder gives it.
    pub address: Option<String>,
    /// "November 23, 2026".
    pub requested_on: String,
    /// "Shipped November 24, 2026 by UPS, tracking 1Z...", or None while waiting.
    pub shipped: Option<String>,
}

/// A page of the shipping queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<Shipment>,
    pub paging: crate::components::paging::Paging,
}

/// The signed-in person's guide shipment, if their certificate queued one.
#[server(prefix = "/api", endpoint = "my_guide")]
pub async fn my_guide() -> Result<Option<Shipment>, AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    Ok(crate::db::shipments::for_user(&state.db, user.id)
        .await?
        .map(server::shipment))
}

/// Stores where the holder's guide goes (until it has shipped).
#[server(prefix = "/api", endpoint = "set_guide_address")]
pub async fn set_guide_address(address: String) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let address = server::parse_address(&address)?;
    if !crate::db::shipments::set_address(&state.db, user.id, &address).await? {
        return Err(AppError::Conflict(
            "There is no guide waiting to ship to you.".into(),
        ));
    }
    leptos_axum::redirect("/certificates?address=1");
    Ok(())
}

/// A page of the queue: waiting shipments first (oldest request first), then shipped ones,
/// unless another order is asked for.
#[server(prefix = "/api", endpoint = "shipping_queue")]
pub async fn shipping_queue(
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<QueuePage, AppError> {
    use crate::components::paging::{parse_page, Paging, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let sort = Sort::<crate::db::shipments::ShipmentSort>::parse(sort.as_deref(), dir.as_deref());
    let total = u64::try_from(crate::db::shipments::count(&state.db).await?).unwrap_or(0);
    let paging = Paging::new(
        "/admin/shipments",
        Vec::new(),
        parse_page(page.as_deref()),
        sort,
        total,
    );
    let (limit, offset) = paging.window();
    let rows = crate::db::shipments::queue(&state.db, sort, limit, offset)
        .await?
        .into_iter()
        .map(server::shipment)
        .collect();
    Ok(QueuePage { rows, paging })
}

/// Marks a guide shipped.
#[server(prefix = "/api", endpoint = "mark_guide_shipped")]
pub async fn mark_guide_shipped(
    shipment_id: i64,
    carrier: String,
    tracking: String,
) -> Result<(), AppError> {
    use crate::db::shipments::ShipError;
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let carrier = crate::domain::person::required_text("carrier", &carrier, "the carrier")?;
    let tracking =
        crate::domain::person::required_text("tracking", &tracking, "the tracking number")?;
    crate::db::shipments::mark_shipped(
        &state.db,
        shipment_id,
        &carrier,
        &tracking,
        admin.id,
        crate::clock::now(),
    )
    .await
    .map_err(|e| match e {
        ShipError::NotFound => AppError::NotFound("We could not find that shipment.".into()),
        ShipError::NoAddress => {
            AppError::Conflict("The holder has not given an address yet.".into())
        }
        ShipError::Shipped => AppError::Conflict("This guide has already shipped.".into()),
        ShipError::Db(e) => e.into(),
    })?;
    leptos_axum::redirect("/admin/shipments?shipped=1");
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        db::shipments::ShipmentRow,
        domain::certificate::{issue_date, long_date},
    };

    /// Longest address accepted.
    pub const MAX_ADDRESS: usize = 500;

    /// An address as typed: trimmed, several lines allowed, not empty, bounded.
    pub fn parse_address(typed: &str) -> Result<String, AppError> {
        let lines: Vec<&str> = typed
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return Err(AppError::invalid(
                "address",
                "Enter the address to ship the guide to.",
            ));
        }
        let address = lines.join("\n");
        if address.chars().count() > MAX_ADDRESS
            || address.chars().any(|c| c.is_control() && c != '\n')
        {
            return Err(AppError::invalid(
                "address",
                format!("Enter an address of at most {MAX_ADDRESS} characters."),
            ));
        }
        Ok(address)
    }

    pub fn shipment(r: ShipmentRow) -> Shipment {
        Shipment {
            id: r.id,
            name: r.name,
            email: r.email,
            number: r.number,
            address: r.address,
            requested_on: long_date(issue_date(r.requested_at)),
            shipped: r.shipped_at.map(|at| {
                format!(
                    "Shipped {} by {}, tracking {}",
                    long_date(issue_date(at)),
                    r.carrier.unwrap_or_default(),
                    r.tracking.unwrap_or_default()
                )
            }),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn addresses_are_trimmed_line_by_line_and_bounded() {
            assert_eq!(
                parse_address("  Dana Director \r\n\r\n 12 Main St \n Pueblo, CO 81003  ")
                    .ok()
                    .as_deref(),
                Some("Dana Director\n12 Main St\nPueblo, CO 81003")
            );
            assert!(parse_address(" \n ").is_err());
            assert!(parse_address(&"x".repeat(MAX_ADDRESS + 1)).is_err());
        }
    }
}
