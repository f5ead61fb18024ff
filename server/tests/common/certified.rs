//! People holding a coordinator certificate in a given state, written straight into the
//! database (as an import would): for the resource gate and renewal, which care about the
//! certificate's dates and status, not how it was earned.

use super::{Browser, TestApp};
use chrono::{Months, NaiveDate, Utc};

/// The organisation's calendar day now.
pub fn today() -> NaiveDate {
    app::domain::certificate::issue_date(Utc::now())
}

/// Signs `name` up, verifies their address (records matched by email wait for that), and
/// gives them a coordinator certificate issued on `issued_on` (expiring three years later)
/// with `status`; returns their browser and the certificate's id.
pub async fn holder(
    app: &TestApp,
    name: &str,
    email: &str,
    issued_on: NaiveDate,
    status: &str,
) -> (Browser, i64) {
    let b = app.sign_up(name, email).await;
    app.verify_email(email).await;
    let id = certify(app, email, issued_on, status).await;
    (b, id)
}

/// Gives the account `email` a coordinator certificate (and its membership); returns its id.
pub async fn certify(app: &TestApp, email: &str, issued_on: NaiveDate, status: &str) -> i64 {
    let expires_on = app::domain::certificate::expiry(issued_on);
    let number = format!("CITC-TEST-{:06}", rand::random::<u32>() % 1_000_000);
    let code = format!("{:016}", rand::random::<u64>() % 10_000_000_000_000_000);
    let now = Utc::now();
    let membership = if status == "active" {
        "active"
    } else {
        "ended"
    };
    app::db::on_db!(&app.db, pool => {
        let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email).fetch_one(pool).await.expect("user");
        let course_id: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE code = 'CITC'")
            .fetch_one(pool).await.expect("course");
        // Its place in the revocation status list, taken as issuing takes it.
        let status_index: i64 = sqlx::query_scalar("UPDATE status_list_counter SET next_index = next_index + 1 WHERE list = 'revocation' RETURNING next_index - 1")
            .fetch_one(pool).await.expect("status index");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, mailed_at, status_index) \
             VALUES ($1, $2, $3, $4, 'coordinator', 'Test Holder', $5, $6, $7, $8, $8, $9) RETURNING id",
        )
        .bind(&number).bind(&code).bind(user_id).bind(course_id).bind(issued_on).bind(expires_on).bind(status).bind(now).bind(status_index)
        .fetch_one(pool).await.expect("certificate");
        sqlx::query("INSERT INTO memberships (user_id, certificate_id, starts_on, ends_on, status) VALUES ($1, $2, $3, $4, $5)")
            .bind(user_id).bind(id).bind(issued_on).bind(expires_on).bind(membership)
            .execute(pool).await.expect("membership");
        id
    })
}

/// A day `years` years (and `days` days) before today.
pub fn years_ago(years: u32, days: u64) -> NaiveDate {
    today()
        .checked_sub_months(Months::new(12 * years))
        .and_then(|d| d.checked_sub_days(chrono::Days::new(days)))
        .expect("a date")
}
