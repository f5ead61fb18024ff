//! Roles, cross-site refusal, health, the catalog and error pages, through the real router,
//! on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use common::{TestApp, PASSWORD};
use reqwest::StatusCode;

on_both_databases!(
    attendee_is_refused_admin_pages_and_functions,
    visitor_is_asked_to_sign_in,
    admin_changes_a_role_and_it_is_audited,
    admin_cannot_remove_their_own_admin_role,
    cross_site_posts_are_refused,
    healthz_reports_the_database,
    catalog_and_course_pages_are_complete_without_javascript,
    unknown_paths_get_a_real_404,
    pages_carry_security_headers,
);

async fn attendee_is_refused_admin_pages_and_functions(app: &TestApp) {
    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (status, _, html) = app.get(&jane, "/admin/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("You do not have permission to view this page."));
    assert!(
        !html.contains("jane@denver.gov</td>"),
        "the list must not leak"
    );

    let id = user_id(app, "jane@denver.gov").await;
    let done = app
        .submit(
            &jane,
            "/admin/users",
            "change_role",
            &[("user_id", &id.to_string()), ("role", "admin")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    assert_eq!(role_of(app, "jane@denver.gov").await, "attendee");

    let done = app.submit(&jane, "/admin/users", "list_users", &[]).await;
    assert_eq!(done.error, Some(AppError::Forbidden));
}

async fn visitor_is_asked_to_sign_in(app: &TestApp) {
    let visitor = app.browser();
    let (status, _, html) = app.get(&visitor, "/admin/users").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("Please sign in"));
    let (status, location, _) = app.get(&visitor, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );
    let done = app
        .submit(
            &visitor,
            "/admin/users",
            "change_role",
            &[("user_id", "1"), ("role", "admin")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Unauthenticated));
}

async fn admin_changes_a_role_and_it_is_audited(app: &TestApp) {
    app.create_user("chief@cit.org", "admin").await;
    app.sign_up("Ivan Instructor", "ivan@denver.gov").await;
    let ivan = user_id(app, "ivan@denver.gov").await;
    let (admin, done) = app.sign_in("chief@cit.org", PASSWORD).await;
    assert_eq!(done.location.as_deref(), Some("/dashboard"));
    let (_, _, dashboard) = app.get(&admin, "/dashboard").await;
    assert!(dashboard.contains("Administrator"));

    let (status, _, html) = app.get(&admin, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ivan@denver.gov") && html.contains("Role for ivan@denver.gov"));

    let done = app
        .submit(
            &admin,
            "/admin/users",
            "change_role",
            &[("user_id", &ivan.to_string()), ("role", "instructor")],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(done.location, Some(format!("/admin/users?updated={ivan}")));
    assert_eq!(role_of(app, "ivan@denver.gov").await, "instructor");
    let (_, _, html) = app
        .get(&admin, &format!("/admin/users?updated={ivan}"))
        .await;
    assert!(html.contains("Role updated."));

    type AuditRow = (Option<i64>, String, Option<String>, Option<String>);
    let audit: Vec<AuditRow> = app::db::on_db!(&app.db, pool => {
        sqlx::query_as("SELECT actor_id, action, before_value, after_value FROM audit_log WHERE entity = 'user' AND entity_id = $1")
            .bind(ivan)
            .fetch_all(pool)
            .await
            .unwrap()
    });
    let admin_id = user_id(app, "chief@cit.org").await;
    assert_eq!(
        audit,
        vec![(
            Some(admin_id),
            "user.role_changed".into(),
            Some("attendee".into()),
            Some("instructor".into())
        )]
    );

    // A role outside the list is refused next to the field and changes nothing.
    let done = app
        .submit(
            &admin,
            "/admin/users",
            "change_role",
            &[("user_id", &ivan.to_string()), ("role", "superuser")],
        )
        .await;
    assert!(done.error.and_then(|e| e.field_message("role")).is_some());
    assert_eq!(role_of(app, "ivan@denver.gov").await, "instructor");
}

async fn admin_cannot_remove_their_own_admin_role(app: &TestApp) {
    let id = app.create_user("chief@cit.org", "admin").await;
    let (admin, _) = app.sign_in("chief@cit.org", PASSWORD).await;
    let done = app
        .submit(
            &admin,
            "/admin/users",
            "change_role",
            &[("user_id", &id.to_string()), ("role", "attendee")],
        )
        .await;
    assert!(done.error.and_then(|e| e.field_message("role")).is_some());
    assert_eq!(role_of(app, "chief@cit.org").await, "admin");
}

async fn cross_site_posts_are_refused(app: &TestApp) {
    let client = app.browser();
    let fields = common::sign_up_fields("Mallory", "mallory@evil.example", PASSWORD);
    let by_origin = client
        .post(app.url("/api/sign_up"))
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(by_origin.status(), StatusCode::FORBIDDEN);
    let by_fetch_site = client
        .post(app.url("/api/sign_up"))
        .header("sec-fetch-site", "cross-site")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(by_fetch_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(app::db::users::count(&app.db).await.unwrap(), 0);
    // The same request from our own pages goes through.
    let same = client
        .post(app.url("/api/sign_up"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("referer", app.url("/signup"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::FOUND);
    assert_eq!(app::db::users::count(&app.db).await.unwrap(), 1);
}

async fn healthz_reports_the_database(app: &TestApp) {
    let client = app.browser();
    let (status, _, body) = app.get(&client, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    app.db.close().await;
    let (status, _, _) = app.get(&client, "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

async fn catalog_and_course_pages_are_complete_without_javascript(app: &TestApp) {
    let client = app.browser();
    let (status, _, html) = app.get(&client, "/courses").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "CIT Coordinator Certification",
        "$450",
        "CIT Support Training for 911",
        "$250",
        "href=\"/courses/CITC\"",
    ] {
        assert!(html.contains(text), "catalog lacks {text}");
    }
    let (status, _, html) = app.get(&client, "/courses/CITC").await;
    assert_eq!(status, StatusCode::OK);
    let topics = html
        .split("<ol class=\"topic-list\">")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .expect("topic list");
    assert_eq!(topics.matches("<li>").count(), 27);
    for text in [
        "Defining the CIT model",
        "The 40-hour training week",
        "Resources",
        "8 hours",
        "Two 4-hour online sessions on consecutive days",
        "membership included",
    ] {
        assert!(html.contains(text), "CITC page lacks {text}");
    }
    let (_, _, html) = app.get(&client, "/courses/cit911").await;
    let topics = html
        .split("<ol class=\"topic-list\">")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .expect("topic list");
    assert_eq!(topics.matches("<li>").count(), 7);
    assert!(html.contains("currently employed by an emergency call center"));
    let (status, _, html) = app.get(&client, "/courses/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("We could not find that course"));
}

async fn unknown_paths_get_a_real_404(app: &TestApp) {
    let (status, _, html) = app.get(&app.browser(), "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

async fn pages_carry_security_headers(app: &TestApp) {
    let response = app.browser().get(app.url("/")).send().await.unwrap();
    let headers = response.headers().clone();
    let html = response.text().await.unwrap();
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce in CSP");
    assert!(nonce.len() >= 16);
    // Every inline script carries this request's nonce.
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{html}"
    );
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin");
    assert!(
        headers.get("strict-transport-security").is_none(),
        "no HSTS over plain http"
    );
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app::db::users::find_by_email(&app.db, &app::domain::email::Email::parse(email).unwrap())
        .await
        .unwrap()
        .expect("user")
        .id
}

async fn role_of(app: &TestApp, email: &str) -> String {
    app::db::users::find_by_email(&app.db, &app::domain::email::Email::parse(email).unwrap())
        .await
        .unwrap()
        .expect("user")
        .role
}
