//! Public verification on both databases: by code (as typed, dashes and case ignored) and by
//! number and last name, on the page and as JSON; active, then expired after the date (the
//! job ends the membership), then revoked; a wrong code is a plain "not found"; the email
//! never appears; look-ups are rate-limited per client address.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::certificates,
    domain::certificate::{display_code, expiry, issue_date, long_date},
};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{
    exam::{eligible, objective_bank, take_test},
    TestApp,
};
use reqwest::StatusCode;

on_both_databases!(
    a_certificate_is_verified_active_then_expired_then_revoked,
    verification_is_rate_limited_per_address,
);

const NAME: &str = "Morgan Ashdown";
const EMAIL: &str = "morgan.ashdown@county.gov";

/// A passed attendee's certificate: (id, number, code, issued on).
async fn issued(app: &TestApp) -> (i64, String, String, NaiveDate) {
    objective_bank(app).await;
    let (b, registration) = eligible(app, NAME, EMAIL).await;
    take_test(app, &b, registration, "0").await;
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, number, verification_code, issued_on FROM certificates").fetch_one(pool).await.unwrap())
}

async fn json(app: &TestApp, path: &str) -> (StatusCode, serde_json::Value, String) {
    let response = app.browser().get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap(), text)
}

async fn a_certificate_is_verified_active_then_expired_then_revoked(app: &TestApp) {
    let (id, number, code, issued_on) = issued(app).await;
    let visitor = app.browser();
    let last_day = expiry(issued_on);

    // Active, by the link in the QR code and by the code typed with dashes in lower case.
    let typed = display_code(&code).to_lowercase();
    for path in [format!("/verify/{code}"), format!("/verify?code={typed}")] {
        let (status, _, page) = app.get(&visitor, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {page}");
        for expected in [
            NAME,
            number.as_str(),
            "Certified CIT Coordinator",
            "Active",
            &long_date(issued_on),
            &long_date(last_day),
        ] {
            assert!(page.contains(expected), "{expected:?} missing on {path}");
        }
        assert!(
            !page.contains(EMAIL) && !page.contains("@county.gov"),
            "the email shows on {path}"
        );
    }
    let (status, body, text) = json(app, &format!("/api/verify/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "active");
    assert_eq!(body["number"], number.as_str());
    assert_eq!(body["holder_name"], NAME);
    assert_eq!(body["issued_on"], issued_on.to_string());
    assert_eq!(body["expires_on"], last_day.to_string());
    assert!(!text.contains(EMAIL));

    // By number and last name (case ignored); a wrong name finds nothing; a missing one is
    // asked for next to its field.
    let (status, _, page) = app
        .get(
            &visitor,
            &format!("/verify?number={}&last_name=ASHDOWN", number.to_lowercase()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NAME) && page.contains("Active"));
    let (status, _, page) = app
        .get(
            &visitor,
            &format!("/verify?number={number}&last_name=Morgan"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Not found") && !page.contains(NAME));
    let (status, _, page) = app
        .get(&visitor, &format!("/verify?number={number}&last_name="))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Enter the holder&#x27;s last name.")
            || page.contains("Enter the holder's last name."),
        "{page}"
    );
    assert!(
        page.contains("aria-invalid=\"true\""),
        "the field is marked: {page}"
    );

    // A wrong code, or something that cannot be a code: a plain "not found".
    for wrong in [
        "0000-0000-0000-0000",
        "not-a-code",
        "<script>alert(1)</script>",
    ] {
        let (status, _, page) = app.get(&visitor, &format!("/verify?code={wrong}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(
            page.contains("No certificate has that verification code."),
            "{wrong}"
        );
        assert!(!page.contains(NAME));
    }
    let (status, body, _) = json(app, "/api/verify/0000000000000000").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not found"))
    );

    // The expiry job: nothing on the last valid day (in Denver), expired the day after,
    // with the membership ended; once.
    let denver_noon = |d: NaiveDate| {
        chrono_tz::America::Denver
            .from_local_datetime(&d.and_hms_opt(12, 0, 0).unwrap())
            .single()
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(
        cit_server::jobs::expire_certificates(&app.db, denver_noon(last_day))
            .await
            .unwrap(),
        0
    );
    let day_after = denver_noon(last_day) + Duration::days(1);
    assert_eq!(
        cit_server::jobs::expire_certificates(&app.db, day_after)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        cit_server::jobs::expire_certificates(&app.db, day_after)
            .await
            .unwrap(),
        0
    );
    let membership: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT status FROM memberships WHERE certificate_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(membership, "ended");
    let (_, _, page) = app.get(&visitor, &format!("/verify/{code}")).await;
    assert!(
        page.contains(&format!("Expired (valid through {})", long_date(last_day))),
        "{page}"
    );
    assert_eq!(
        json(app, &format!("/api/verify/{code}")).await.1["status"],
        "expired"
    );

    // Revoked: says so, with the date, whatever it was before.
    let admin = app.create_user("board@cit.org", "admin").await;
    certificates::revoke(&app.db, id, "Issued in error", admin, Utc::now())
        .await
        .unwrap();
    let (_, _, page) = app.get(&visitor, &format!("/verify/{code}")).await;
    let revoked_on = long_date(issue_date(Utc::now()));
    assert!(page.contains(&format!("Revoked on {revoked_on}")), "{page}");
    assert!(
        !page.contains("Issued in error"),
        "the reason is not public"
    );
    let (_, body, _) = json(app, &format!("/api/verify/{code}")).await;
    assert_eq!(body["status"], "revoked");
    assert_eq!(body["revoked_on"], issue_date(Utc::now()).to_string());
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'certificate' AND entity_id = $1 AND action IN ('certificate.expired', 'certificate.revoked')").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(audited, 2);
}

async fn verification_is_rate_limited_per_address(app: &TestApp) {
    let visitor = app.browser();
    let limit = app::api::certificates::server::LOOKUP_LIMIT;
    for i in 0..limit {
        let path = if i % 2 == 0 {
            "/verify?code=0000000000000000"
        } else {
            "/api/verify/0000000000000000"
        };
        let status = visitor.get(app.url(path)).send().await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND, "look-up {i}");
    }
    let (status, _, page) = app.get(&visitor, "/verify?code=0000000000000000").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("Too many look-ups"), "{page}");
    let (status, body, _) = json(app, "/api/verify/0000000000000000").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("Too many look-ups"));
    // Refused look-ups write nothing (issue 22): a flood cannot grow the table.
    for _ in 0..20 {
        json(app, "/api/verify/0000000000000000").await;
    }
    let kept: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM verification_requests").fetch_one(pool).await.unwrap());
    assert_eq!(kept, limit, "only admitted look-ups are recorded");
    // The form itself, with nothing asked, still opens.
    let (status, _, _) = app.get(&visitor, "/verify").await;
    assert_eq!(status, StatusCode::OK);
}
