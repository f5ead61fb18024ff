//! The certified-only resource area on both databases, driven as a browser without
//! JavaScript would: administrators publish a file, a link and a Markdown page; the gate lets
//! in active coordinators and staff only, for the list, the page and the file's address
//! (a guessed address gets 403 and no bytes); search; refusals change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use common::{
    certified::{holder, years_ago},
    multipart::{post_form, PDF},
    Browser, TestApp,
};
use reqwest::{header, StatusCode};

on_both_databases!(
    the_gate_opens_to_active_holders_and_staff_only,
    the_library_is_searched_by_words_and_category,
    only_administrators_publish_and_bad_input_changes_nothing,
);

async fn admin(app: &TestApp) -> Browser {
    app.create_user("library@cit.org", "admin").await;
    app.sign_in("library@cit.org", common::PASSWORD).await.0
}

/// Posts the upload form as a browser does (multipart); returns the status and Location.
async fn upload(
    app: &TestApp,
    b: &Browser,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, Option<String>) {
    post_form(
        app,
        b,
        "/admin/resources",
        "/admin/resources/upload",
        fields,
        file,
    )
    .await
}

async fn count(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM resources").fetch_one(pool).await.unwrap())
}

async fn newest(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT MAX(id) FROM resources").fetch_one(pool).await.unwrap())
}

/// Publishes the three kinds; returns (file, link, page) ids.
async fn publish(app: &TestApp, admin: &Browser) -> (i64, i64, i64) {
    let (status, location) = upload(
        app,
        admin,
        &[
            ("title", "Steering committee charter"),
            ("category", "program_materials"),
            ("summary", "A template charter"),
        ],
        Some(("charter.pdf", PDF)),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/admin/resources?added=file"));
    let file = newest(app).await;
    let done = app
        .submit(
            admin,
            "/admin/resources",
            "add_resource_link",
            &[
                ("title", "National data dashboard"),
                ("category", "data_collection"),
                ("summary", ""),
                ("url", "https://data.example.org/cit"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let link = newest(app).await;
    let done = app
        .submit(
            admin,
            "/admin/resources",
            "add_resource_page",
            &[
                ("title", "Policy checklist"),
                ("category", "policies"),
                ("summary", "What every CIT policy covers"),
                (
                    "body",
                    "## Checklist\n\n- **Dispatch** protocol\n\n<script>alert(1)</script>",
                ),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let page = newest(app).await;
    assert_eq!(count(app).await, 3);
    (file, link, page)
}

async fn open(app: &TestApp, b: &Browser, id: i64) -> (StatusCode, Vec<u8>) {
    let r = b
        .get(app.url(&format!("/resources/{id}/open")))
        .send()
        .await
        .unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

async fn the_gate_opens_to_active_holders_and_staff_only(app: &TestApp) {
    let admin = admin(app).await;
    let (file, link, page) = publish(app, &admin).await;

    let (active, _) = holder(app, "Ada Active", "ada@cit.gov", years_ago(1, 0), "active").await;
    // Stored as active, but its last day was yesterday: expired before the job marks it.
    let (lapsed, _) = holder(app, "Lee Lapsed", "lee@cit.gov", years_ago(3, 1), "active").await;
    let (marked, _) = holder(
        app,
        "Max Marked",
        "max@cit.gov",
        years_ago(3, 40),
        "expired",
    )
    .await;
    let (revoked, _) = holder(
        app,
        "Rae Revoked",
        "rae@cit.gov",
        years_ago(1, 0),
        "revoked",
    )
    .await;
    let nobody = app.sign_up("Nia Nobody", "nia@cit.gov").await;
    app.create_user("teacher@cit.org", "instructor").await;
    let (staff, _) = app.sign_in("teacher@cit.org", common::PASSWORD).await;

    // Inside: the library, the page (sanitised), the file's bytes, the link's redirect.
    for b in [&active, &staff, &admin] {
        let (status, _, html) = app.get(b, "/resources").await;
        assert_eq!(status, StatusCode::OK);
        for title in [
            "Steering committee charter",
            "National data dashboard",
            "Policy checklist",
        ] {
            assert!(html.contains(title), "{title}: {html}");
        }
        let (status, _, html) = app.get(b, &format!("/resources/{page}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<strong>Dispatch</strong>"), "{html}");
        assert!(!html.contains("<script>alert"), "sanitised: {html}");
        let (status, bytes) = open(app, b, file).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, PDF);
        let r = b
            .get(app.url(&format!("/resources/{link}/open")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            r.headers()[header::LOCATION],
            "https://data.example.org/cit"
        );
    }
    let (_, _, html) = app.get(&active, "/resources").await;
    assert!(html.contains("valid through"), "{html}");
    // A resource that does not exist, for someone inside: 404.
    assert_eq!(open(app, &active, 999_999).await.0, StatusCode::NOT_FOUND);

    // Outside: what to do instead, a 403, and none of the library.
    let outside = [
        (&lapsed, "Your certification has expired"),
        (&marked, "Your certification has expired"),
        (&revoked, "Your certificate was revoked"),
        (&nobody, "For certified coordinators"),
    ];
    for (b, says) in outside {
        let (status, _, html) = app.get(b, "/resources").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{says}");
        assert!(html.contains(says), "{says}: {html}");
        assert!(!html.contains("Steering committee charter"), "{html}");
        let (status, _, html) = app.get(b, &format!("/resources/{page}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains(says) && !html.contains("Dispatch"), "{html}");
        for id in [file, link, 999_999] {
            let (status, bytes) = open(app, b, id).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{says} {id}");
            assert!(!bytes.starts_with(b"%PDF"), "no bytes");
        }
        // The server function itself hands out nothing either.
        let r = b
            .post(app.url("/api/resource_library"))
            .header(header::ORIGIN, &app.base)
            .form(&[("q", "")])
            .send()
            .await
            .unwrap();
        let body = r.text().await.unwrap();
        assert!(
            body.contains("Closed") && !body.contains("charter"),
            "{body}"
        );
    }
    let (_, _, html) = app.get(&lapsed, "/resources").await;
    let last_day = app::domain::certificate::long_date(
        years_ago(3, 1)
            .checked_add_months(chrono::Months::new(36))
            .unwrap(),
    );
    assert!(html.contains(&last_day), "names the last valid day: {html}");

    // Signed out: sent to sign in, no bytes.
    let anonymous = app.browser();
    let (status, bytes) = open(app, &anonymous, file).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(bytes.is_empty());
    let (status, _, _) = app.get(&anonymous, "/resources").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn the_library_is_searched_by_words_and_category(app: &TestApp) {
    let admin = admin(app).await;
    publish(app, &admin).await;
    let (active, _) = holder(app, "Ada Active", "ada@cit.gov", years_ago(0, 10), "active").await;

    // Words in the title, the summary or the page's text, ignoring case.
    let (_, _, html) = app.get(&active, "/resources?q=CHARTER").await;
    assert!(
        html.contains("Steering committee charter") && !html.contains("Policy checklist"),
        "{html}"
    );
    let (_, _, html) = app.get(&active, "/resources?q=dispatch").await;
    assert!(
        html.contains("Policy checklist") && !html.contains("Steering committee charter"),
        "{html}"
    );
    let (_, _, html) = app
        .get(&active, "/resources?category=data_collection")
        .await;
    assert!(
        html.contains("National data dashboard") && !html.contains("Policy checklist"),
        "{html}"
    );
    let (_, _, html) = app
        .get(&active, "/resources?q=charter&category=policies")
        .await;
    assert!(html.contains("Nothing matches that search"), "{html}");
    // % is a character, not a wildcard.
    let (_, _, html) = app.get(&active, "/resources?q=%25").await;
    assert!(html.contains("Nothing matches that search"), "{html}");
}

async fn only_administrators_publish_and_bad_input_changes_nothing(app: &TestApp) {
    let admin = admin(app).await;
    let (active, _) = holder(app, "Ada Active", "ada@cit.gov", years_ago(0, 10), "active").await;
    let fields = [
        ("title", "Charter"),
        ("category", "program_materials"),
        ("summary", ""),
    ];

    // Certified is not staff: no publishing, no admin page.
    let (status, _) = upload(app, &active, &fields, Some(("charter.pdf", PDF))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let done = app
        .submit(
            &active,
            "/admin/resources",
            "add_resource_page",
            &[
                ("title", "X"),
                ("category", "policies"),
                ("summary", ""),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    let (status, _, _) = app.get(&active, "/admin/resources").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(app).await, 0);

    // Refusals come back next to their field, with nothing stored.
    let refused = |code: &str| Some(format!("/admin/resources?refused={code}#add-file"));
    let (_, location) = upload(app, &admin, &fields, Some(("run.exe", b"MZ\x90\x00"))).await;
    assert_eq!(location, refused("type"));
    let (_, location) = upload(app, &admin, &fields, Some(("fake.pdf", b"not a pdf"))).await;
    assert_eq!(location, refused("content"));
    let no_category = [("title", "Charter"), ("category", ""), ("summary", "")];
    let (_, location) = upload(app, &admin, &no_category, Some(("charter.pdf", PDF))).await;
    assert_eq!(location, refused("category"));
    let (_, _, html) = app.get(&admin, "/admin/resources?refused=category").await;
    assert!(html.contains("Choose a category."), "{html}");
    let done = app
        .submit(
            &admin,
            "/admin/resources",
            "add_resource_link",
            &[
                ("title", "Data"),
                ("category", "training"),
                ("summary", ""),
                ("url", "javascript:alert(1)"),
            ],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "url"),
        "{:?}",
        done.error
    );
    let done = app
        .submit(
            &admin,
            "/admin/resources",
            "add_resource_page",
            &[
                ("title", ""),
                ("category", "policies"),
                ("summary", ""),
                ("body", "text"),
            ],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "title-page"),
        "{:?}",
        done.error
    );
    let done = app
        .submit(
            &admin,
            "/admin/resources",
            "add_resource_page",
            &[
                ("title", "Empty"),
                ("category", "policies"),
                ("summary", ""),
                ("body", "  "),
            ],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "body"),
        "{:?}",
        done.error
    );
    assert_eq!(count(app).await, 0);

    // Publishing and removing, audited; a removed file is gone for everyone.
    let (_, location) = upload(app, &admin, &fields, Some(("charter.pdf", PDF))).await;
    assert_eq!(location.as_deref(), Some("/admin/resources?added=file"));
    let id = newest(app).await;
    assert_eq!(open(app, &active, id).await.0, StatusCode::OK);
    let done = app
        .submit(
            &active,
            "/admin/resources",
            "remove_resource",
            &[("resource_id", &id.to_string())],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    let done = app
        .submit(
            &admin,
            "/admin/resources",
            "remove_resource",
            &[("resource_id", &id.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(open(app, &active, id).await.0, StatusCode::NOT_FOUND);
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'resource'").fetch_one(pool).await.unwrap());
    assert_eq!(audited, 2, "added and removed");
}
