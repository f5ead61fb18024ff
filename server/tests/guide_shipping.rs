//! The best-practice guide on both databases: a first coordinator certificate queues it; the
//! holder gives an address (checked next to the field); administrators mark it shipped with
//! carrier and tracking (audited); nobody else may.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use common::{
    exam::{eligible, objective_bank, take_test},
    TestApp, PASSWORD,
};
use reqwest::StatusCode;

on_both_databases!(the_guide_is_queued_addressed_and_shipped);

const NAME: &str = "Quinn Okafor";
const EMAIL: &str = "quinn@valleycit.org";

async fn the_guide_is_queued_addressed_and_shipped(app: &TestApp) {
    objective_bank(app).await;
    let (holder, registration) = eligible(app, NAME, EMAIL).await;
    take_test(app, &holder, registration, "0").await;
    let shipment: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM guide_shipments").fetch_one(pool).await.unwrap());
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    let ship = |b, carrier: &'static str, tracking: &'static str| {
        let id = shipment.to_string();
        async move {
            app.submit(
                b,
                "/admin/shipments",
                "mark_guide_shipped",
                &[
                    ("shipment_id", id.as_str()),
                    ("carrier", carrier),
                    ("tracking", tracking),
                ],
            )
            .await
        }
    };

    // Queued, waiting for the address: it cannot ship yet.
    let (status, _, page) = app.get(&admin, "/admin/shipments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NAME), "{page}");
    assert!(
        page.contains("Waiting for the holder&#x27;s address.")
            || page.contains("Waiting for the holder's address."),
        "{page}"
    );
    let done = ship(&admin, "UPS", "1Z999").await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "{:?}",
        done.error
    );

    // The holder is asked for it; an empty one is refused next to the field.
    let (_, _, page) = app.get(&holder, "/certificates").await;
    assert!(
        page.contains("Your best-practice guide") && page.contains("Shipping address"),
        "{page}"
    );
    let done = app
        .submit(
            &holder,
            "/certificates",
            "set_guide_address",
            &[("address", "  \n ")],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "address"),
        "{:?}",
        done.error
    );
    let done = app
        .submit(
            &holder,
            "/certificates",
            "set_guide_address",
            &[(
                "address",
                " Quinn Okafor\r\n 40 Elm St \n Pueblo, CO 81003 ",
            )],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(done.location.as_deref(), Some("/certificates?address=1"));
    let address: Option<String> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT address FROM guide_shipments WHERE id = $1").bind(shipment).fetch_one(pool).await.unwrap());
    assert_eq!(
        address.as_deref(),
        Some("Quinn Okafor\n40 Elm St\nPueblo, CO 81003")
    );
    // Someone without a guide waiting has nothing to address.
    let other = app.sign_up("Ray Other", "ray@other.gov").await;
    let done = app
        .submit(
            &other,
            "/certificates",
            "set_guide_address",
            &[("address", "1 Road")],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "{:?}",
        done.error
    );

    // Only administrators see the queue and ship.
    let (status, _, _) = app.get(&holder, "/admin/shipments").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let done = ship(&holder, "UPS", "1Z999").await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    let done = ship(&admin, " ", "1Z999").await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "carrier"),
        "{:?}",
        done.error
    );
    let done = ship(&admin, "UPS", "1Z999AA10123456784").await;
    assert_eq!(done.error, None);
    let done = ship(&admin, "UPS", "again").await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "shipped twice: {:?}",
        done.error
    );
    let (_, _, page) = app.get(&holder, "/certificates").await;
    assert!(
        page.contains("by UPS, tracking 1Z999AA10123456784"),
        "{page}"
    );
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'guide.shipped' AND entity_id = $1").bind(shipment).fetch_one(pool).await.unwrap());
    assert_eq!(audited, 1);
}
