//! People on their way to the certification test: registered for the first coordinator
//! class through the pages, then made eligible (every session attended, paid, window open).

use super::{Browser, TestApp};
use app::{
    db::{
        attendance::{NewMark, Source},
        exams,
    },
    domain::attendance_rule::AttendanceStatus,
};
use chrono::{Duration, Utc};

/// Signs `name` up and registers them for the first coordinator class listed:
/// (browser, registration, offering).
pub async fn registered(app: &TestApp, name: &str, email: &str) -> (Browser, i64, i64) {
    let (_, _, html) = app.get(&app.browser(), "/courses/CITC").await;
    let offering: i64 = html
        .split("href=\"/offerings/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("a coordinator class on the course page");
    let b = app.sign_up(name, email).await;
    app.submit(
        &b,
        &format!("/offerings/{offering}"),
        "register",
        &[("offering_id", &offering.to_string())],
    )
    .await;
    let registration: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1").bind(email).fetch_one(pool).await.expect("registration"));
    (b, registration, offering)
}

/// Present at every session for 240 minutes, the fee paid, and the test window open.
pub async fn make_eligible(app: &TestApp, registration: i64, offering: i64) {
    let meetings: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1").bind(offering).fetch_all(pool).await.expect("meetings"));
    for m in meetings {
        let mark = NewMark {
            registration_id: registration,
            status: AttendanceStatus::Present,
            minutes: 240,
            note: String::new(),
        };
        app::db::attendance::record_marks(&app.db, m, &[mark], Source::RollCall, None, Utc::now())
            .await
            .expect("marks");
    }
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE registrations SET payment_status = 'paid' WHERE id = $1").bind(registration).execute(pool).await.map(|_| ()).expect("paid"));
    exams::set_window(
        &app.db,
        offering,
        Utc::now() - Duration::hours(1),
        Utc::now() + Duration::days(1),
    )
    .await
    .expect("window");
}
