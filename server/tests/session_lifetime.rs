//! A session outlives its absolute lifetime while its person has a test in progress
//! (issue 22, finding 8), with the application's clock moved a day and then two.
//!
//! The clock is one per process: this file holds one test, which runs the databases one
//! after the other, so that nothing else sees the moved clock.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use chrono::{Duration, Utc};
use common::{exam, Backend, TestApp};
use reqwest::StatusCode;

#[test]
fn a_long_test_keeps_its_session_past_the_absolute_lifetime() {
    common::run(async {
        long_test_session(Backend::Sqlite).await;
        if let Some(pg) = Backend::postgres() {
            long_test_session(pg).await;
        }
    });
}

async fn long_test_session(backend: Backend) {
    app::clock::set_offset_days(0);
    let app = TestApp::spawn_with(backend, |c| {
        c.session_max = std::time::Duration::from_secs(12 * 3600);
    })
    .await;
    exam::objective_bank(&app).await;
    let (candidate, registration) = exam::eligible(&app, "Jane Doe", "jane@denver.gov").await;
    let bystander = app.sign_up("Ann Lee", "ann@denver.gov").await;
    let done = app
        .submit(
            &candidate,
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    let page = done.location.expect("the test started");
    let attempt = page.trim_start_matches("/attempts/").to_owned();
    // The longest test the settings allow: 600 minutes with 300 % extra time, 40 hours.
    let deadline = Utc::now() + Duration::hours(40);
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE attempts SET deadline_at = $1 WHERE id = $2").bind(deadline).bind(attempt.parse::<i64>().unwrap()).execute(pool).await.map(|_| ()).unwrap());

    // A day later: past the 12-hour lifetime, inside the test.
    app::clock::set_offset_days(1);
    let (status, location, _) = app.get(&candidate, &page).await;
    assert_eq!(
        (status, location),
        (StatusCode::OK, None),
        "signed out mid-test"
    );
    let saved = app
        .submit(
            &candidate,
            &page,
            "save_answer",
            &[
                ("attempt_id", attempt.as_str()),
                ("position", "0"),
                ("seq", "1"),
                ("single", "0"),
            ],
        )
        .await;
    assert_eq!(saved.error, None, "a save a day into a 40-hour test");
    // Someone without a test is signed out at the lifetime, as before.
    let (status, location, _) = app.get(&bystander, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );

    // Two days later the deadline and its grace have passed: the session ends too.
    app::clock::set_offset_days(2);
    let (status, location, _) = app.get(&candidate, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );
    app::clock::set_offset_days(0);
    app.finish().await;
}
