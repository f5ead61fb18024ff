//! The instructor's dashboard on both databases: the sessions ahead of their own classes only,
//! with roster counts; who in a class under way may not sit the test yet, and why, leaving
//! out sessions nobody could have recorded yet. (The grading line is checked in
//! `grading.rs`, where an attempt waits for a grade.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::attendance::{NewMark, Source},
    domain::attendance_rule::AttendanceStatus,
};
use chrono::{Duration, Utc};
use common::TestApp;
use reqwest::StatusCode;

on_both_databases!(
    the_dashboard_shows_sessions_ahead_and_who_falls_short,
    an_instructor_without_classes_is_told_so,
);

/// The coordinator classes on the course page, in the order listed.
async fn coordinator_classes(app: &TestApp) -> Vec<i64> {
    let (_, _, html) = app.get(&app.browser(), "/courses/CITC").await;
    let mut ids: Vec<i64> = html
        .split("href=\"/offerings/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    ids.dedup();
    ids
}

async fn register(app: &TestApp, offering: i64, name: &str, email: &str) -> i64 {
    let b = app.sign_up(name, email).await;
    let done = app
        .submit(
            &b,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1").bind(email).fetch_one(pool).await.unwrap())
}

async fn mark(app: &TestApp, meeting: i64, registration: i64, status: AttendanceStatus) {
    let mark = NewMark {
        registration_id: registration,
        status,
        minutes: if status == AttendanceStatus::Present {
            240
        } else {
            0
        },
        note: String::new(),
    };
    app::db::attendance::record_marks(
        &app.db,
        meeting,
        &[mark],
        Source::RollCall,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
}

async fn the_dashboard_shows_sessions_ahead_and_who_falls_short(app: &TestApp) {
    let classes = coordinator_classes(app).await;
    assert!(classes.len() >= 2, "two coordinator classes seeded");
    let (mine, other) = (classes[0], classes[1]);
    let teacher = app.create_user("teacher@cit.org", "instructor").await;
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(mine).bind(teacher).execute(pool).await.map(|_| ()).unwrap());

    let paid = register(app, mine, "Avery Present", "avery@denver.gov").await;
    let absent = register(app, mine, "Blake Absent", "blake@denver.gov").await;
    let unrecorded = register(app, mine, "Casey Unmarked", "casey@denver.gov").await;
    // Someone in the class the instructor does not teach never shows.
    register(app, other, "Drew Elsewhere", "drew@denver.gov").await;
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE registrations SET payment_status = 'paid' WHERE id IN ($1, $2)").bind(paid).bind(absent).execute(pool).await.map(|_| ()).unwrap());

    // Session 1 ended yesterday; session 2 is still ahead.
    let meetings: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1 ORDER BY starts_at").bind(mine).fetch_all(pool).await.unwrap());
    assert_eq!(meetings.len(), 2);
    let start = Utc::now() - Duration::days(1);
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3").bind(start).bind(start + Duration::hours(4)).bind(meetings[0]).execute(pool).await.map(|_| ()).unwrap());
    mark(app, meetings[0], paid, AttendanceStatus::Present).await;
    mark(app, meetings[0], absent, AttendanceStatus::Absent).await;

    let (instructor, _) = app.sign_in("teacher@cit.org", common::PASSWORD).await;
    let (status, _, page) = app.get(&instructor, "/dashboard").await;
    assert_eq!(status, StatusCode::OK, "{page}");

    // Sessions ahead: only session 2 of the instructor's own class, with its roster.
    let capacity: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT capacity FROM offerings WHERE id = $1").bind(mine).fetch_one(pool).await.unwrap());
    assert_eq!(
        page.matches("Roll call for ").count(),
        1,
        "one session ahead: {page}"
    );
    assert!(page.contains("Session 2 of 2"), "{page}");
    assert!(
        page.contains(&format!("3 of {capacity} seats taken")),
        "{page}"
    );
    assert!(
        page.contains(&format!("href=\"/teach/meetings/{}\"", meetings[1])),
        "{page}"
    );

    // Not yet eligible: the absent and the unrecorded-and-unpaid, with why; the one who
    // attended is not listed for the session nobody could have recorded yet.
    let section = page
        .split("id=\"not-eligible-heading\"")
        .nth(1)
        .expect("the section");
    assert!(!section.contains("Avery Present"), "{section}");
    assert!(!section.contains("Drew Elsewhere"), "{section}");
    assert!(!section.contains("Session 2:"), "{section}");
    let row = |name: &str| {
        section
            .split("<tr")
            .find(|r| r.contains(name))
            .unwrap_or_else(|| panic!("{name} listed: {section}"))
            .to_owned()
    };
    assert!(row("Blake Absent").contains("Session 1: recorded as absent."));
    let casey = row("Casey Unmarked");
    assert!(
        casey.contains("Session 1: attendance is not recorded yet."),
        "{casey}"
    );
    assert!(
        casey.contains("The course fee is not yet paid or waived."),
        "{casey}"
    );

    // Once the roll is taken and the fee paid, Casey is no longer listed.
    mark(app, meetings[0], unrecorded, AttendanceStatus::Present).await;
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE registrations SET payment_status = 'paid' WHERE id = $1").bind(unrecorded).execute(pool).await.map(|_| ()).unwrap());
    let (_, _, page) = app.get(&instructor, "/dashboard").await;
    let section = page.split("id=\"not-eligible-heading\"").nth(1).unwrap();
    assert!(!section.contains("Casey Unmarked"), "{section}");
    assert!(section.contains("Blake Absent"), "{section}");
    assert!(
        page.contains("No answers are waiting to be graded."),
        "{page}"
    );
}

async fn an_instructor_without_classes_is_told_so(app: &TestApp) {
    app.create_user("new.teacher@cit.org", "instructor").await;
    let (instructor, _) = app.sign_in("new.teacher@cit.org", common::PASSWORD).await;
    let (status, _, page) = app.get(&instructor, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("No classes are assigned to you yet."),
        "{page}"
    );
    assert_eq!(page.matches("Roll call for ").count(), 0, "{page}");

    // An administrator who teaches nothing sees no teaching sections at all.
    app.create_user("chief@cit.org", "admin").await;
    let (admin, _) = app.sign_in("chief@cit.org", common::PASSWORD).await;
    let (_, _, page) = app.get(&admin, "/dashboard").await;
    assert!(page.contains("Administration"), "{page}");
    assert!(!page.contains("Your sessions ahead"), "{page}");
}
