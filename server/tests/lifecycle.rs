//! The certification life cycle after the first pass, on both databases: a certified person
//! is not offered or allowed the test again, a second pass issues nothing, the answer key
//! waits until no attempt is left, and the membership is visible to its holder and to
//! administrators and moves with the certificate (revocation, expiry), the resource gate
//! with it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{certificate_issue, exams::ExamRecord},
    domain::certificate::issue_date,
};
use chrono::{Duration, Utc};
use common::{
    exam::{eligible, make_eligible, objective_bank, publish_exam, registered, take_test},
    TestApp,
};

on_both_databases!(
    a_certified_person_is_not_offered_the_test_again,
    a_second_pass_issues_nothing,
    the_answer_key_waits_until_no_attempt_is_left,
    the_membership_is_seen_and_moves_with_its_certificate,
);

async fn count(app: &TestApp, sql: &str, user: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(sql).bind(user).fetch_one(pool).await.unwrap())
}

const CERTIFICATES: &str =
    "SELECT COUNT(*) FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = $1";
const ACTIVE_MEMBERSHIPS: &str = "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND m.status = 'active'";

async fn a_certified_person_is_not_offered_the_test_again(app: &TestApp) {
    objective_bank(app).await;
    let email = "pat@agency.gov";
    let (b, registration) = eligible(app, "Pat Passer", email).await;
    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(
        dashboard.contains("Go to the test"),
        "offered before the pass"
    );
    take_test(app, &b, registration, "0").await;
    assert_eq!(count(app, CERTIFICATES, email).await, 1);

    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(
        !dashboard.contains("Go to the test"),
        "not offered after the pass"
    );
    assert!(dashboard.contains("You are certified: certificate CITC-"));
    let (_, _, home) = app
        .get(&b, &format!("/registrations/{registration}/test"))
        .await;
    assert!(home.contains("do not sit its test again"), "{home}");
    let done = app
        .submit(
            &b,
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    let refusal = done.error.expect("the start is refused").to_string();
    assert!(refusal.contains("hold an active certificate"), "{refusal}");
    assert_eq!(count(app, CERTIFICATES, email).await, 1);
}

async fn a_second_pass_issues_nothing(app: &TestApp) {
    objective_bank(app).await;
    let email = "twice@agency.gov";
    // Two classes of the course, both attended; both tests started before either is passed
    // (the start rule cannot see a pass that has not happened yet).
    let (b, first, _) = registered(app, "Twice Over", email).await;
    let offerings: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT o.id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'CITC' ORDER BY o.id").fetch_all(pool).await.unwrap());
    let first_offering: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT offering_id FROM registrations WHERE id = $1").bind(first).fetch_one(pool).await.unwrap());
    let second_offering = *offerings.iter().find(|o| **o != first_offering).unwrap();
    let user: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(pool).await.unwrap());
    let second: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("INSERT INTO registrations (offering_id, user_id, status, payment_status, amount_due_cents, created_at, updated_at) VALUES ($1, $2, 'confirmed', 'unpaid', 45000, $3, $3) RETURNING id").bind(second_offering).bind(user).bind(Utc::now()).fetch_one(pool).await.unwrap());
    make_eligible(app, first, first_offering).await;
    make_eligible(app, second, second_offering).await;
    let one = take_test(app, &b, first, "0").await;
    // The second attempt was drawn before the first pass: finish it as passed by hand.
    let two: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("INSERT INTO attempts (registration_id, user_id, course_id, number, seed, status, started_at, deadline_at, finished_at, finished_by, score_centi, max_centi, passed, current_position, last_seq) SELECT $1, user_id, course_id, 1, 7, 'final', started_at, deadline_at, finished_at, finished_by, score_centi, max_centi, passed, 0, 0 FROM attempts WHERE id = $2 RETURNING id").bind(second).bind(one).fetch_one(pool).await.unwrap());
    let issued = certificate_issue::issue(&app.db, two, Utc::now())
        .await
        .unwrap();
    assert!(
        matches!(issued, certificate_issue::Issued::AlreadyHeld { .. }),
        "{issued:?}"
    );
    assert_eq!(count(app, CERTIFICATES, email).await, 1);
    assert_eq!(count(app, ACTIVE_MEMBERSHIPS, email).await, 1);
    // The database refuses a second active certificate whatever the code does.
    let duplicate = app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, issued_at, status_index) SELECT 'CITC-2099-000001', 'DUPLICATECODE000', user_id, course_id, kind, holder_name, issued_on, expires_on, issued_at, 999999 FROM certificates WHERE user_id = $1").bind(user).execute(pool).await.map(|_| ()));
    assert!(duplicate.is_err(), "a second active certificate was stored");
}

async fn the_answer_key_waits_until_no_attempt_is_left(app: &TestApp) {
    objective_bank(app).await;
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let admin: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = 'registrar@cit.org'").fetch_one(pool).await.unwrap());
    let exam = ExamRecord {
        shuffle_questions: false,
        shuffle_options: false,
        pass_percent: 50,
        wait_hours: 0,
        review_policy: "answers".into(),
        ..ExamRecord::defaults(course)
    };
    publish_exam(app, &exam, &[(topic, 2)], admin).await;
    let (b, registration) = eligible(app, "Fay Failer", "fay@agency.gov").await;
    let first = take_test(app, &b, registration, "1").await;
    let (_, _, page) = app.get(&b, &format!("/attempts/{first}/result")).await;
    assert!(page.contains("Not passed"), "{page}");
    assert!(
        !page.contains("Right answer"),
        "the key is shown with an attempt left"
    );
    assert!(
        !page.contains(": right"),
        "a right option is shown with an attempt left"
    );
    assert!(page.contains("once you can no longer sit this test"));
    // The server function itself (what the client reads) carries no key either.
    let json = b
        .post(app.url("/api/attempt_result"))
        .header("Accept", "application/json")
        .header("Origin", &app.base)
        .form(&[("attempt_id", first.to_string())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!json.contains(": right"), "{json}");

    // The second and last attempt, failed too: now both results show the key.
    let second = take_test(app, &b, registration, "1").await;
    for attempt in [first, second] {
        let (_, _, page) = app.get(&b, &format!("/attempts/{attempt}/result")).await;
        assert!(page.contains("Right answer"), "{page}");
        assert!(page.contains("First: right"));
    }
}

async fn the_membership_is_seen_and_moves_with_its_certificate(app: &TestApp) {
    objective_bank(app).await;
    let email = "mel@agency.gov";
    let (b, registration) = eligible(app, "Mel Member", email).await;
    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(
        !dashboard.contains("Member through"),
        "a member before passing"
    );
    take_test(app, &b, registration, "0").await;
    let expiry = app::domain::certificate::expiry(issue_date(Utc::now()));
    let through = format!(
        "Member through {}",
        app::domain::certificate::long_date(expiry)
    );
    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(dashboard.contains(&through), "{dashboard}");
    let (status, _, _) = app.get(&b, "/resources").await;
    assert_eq!(status, 200);
    let (_, _, library) = app.get(&b, "/resources").await;
    assert!(
        !library.contains("renew"),
        "the library is open to a member"
    );

    // Administrators see the member, filter by standing, and download the list.
    app.create_user("office@cit.org", "admin").await;
    let (admin, _) = app.sign_in("office@cit.org", common::PASSWORD).await;
    let (_, _, list) = app.get(&admin, "/admin/members?standing=current").await;
    assert!(
        list.contains("Mel Member") && list.contains(&through),
        "{list}"
    );
    let (_, _, former) = app.get(&admin, "/admin/members?standing=ended").await;
    assert!(!former.contains("Mel Member"));
    let (_, _, bad) = app.get(&admin, "/admin/members?standing=sometimes").await;
    assert!(bad.contains("Choose current members"), "{bad}");
    let csv = admin
        .get(app.url("/admin/members.csv?standing=current"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("Name,Email,Agency,Certificate"), "{csv}");
    assert!(
        csv.contains(email) && csv.contains(&expiry.to_string()),
        "{csv}"
    );

    // Expiry (the job, the day after the last day) ends the membership and shuts the door.
    let certificate: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT c.id FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = $1").bind(email).fetch_one(pool).await.unwrap());
    let later = Utc::now() + Duration::days(3 * 366 + 2);
    app::db::certificates::expire_due(&app.db, issue_date(later), later)
        .await
        .unwrap();
    assert_eq!(count(app, ACTIVE_MEMBERSHIPS, email).await, 0);
    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(
        dashboard.contains("Membership ended") && dashboard.contains("the certificate expired"),
        "{dashboard}"
    );
    let (_, _, former) = app.get(&admin, "/admin/members?standing=ended").await;
    assert!(former.contains("Mel Member"), "{former}");

    // Revoked instead: the same, with the reason named.
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE certificates SET status = 'active' WHERE id = $1").bind(certificate).execute(pool).await.map(|_| ()).unwrap());
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE memberships SET status = 'active', ended_at = NULL WHERE certificate_id = $1").bind(certificate).execute(pool).await.map(|_| ()).unwrap());
    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(dashboard.contains(&through));
    let done = app
        .submit(
            &admin,
            &format!("/admin/certificates/{certificate}"),
            "revoke_certificate",
            &[
                ("certificate_id", &certificate.to_string()),
                ("reason", "Issued in error"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(count(app, ACTIVE_MEMBERSHIPS, email).await, 0);
    let (_, _, dashboard) = app.get(&b, "/dashboard").await;
    assert!(
        dashboard.contains("the certificate was revoked"),
        "{dashboard}"
    );
    let (_, _, library) = app.get(&b, "/resources").await;
    assert!(library.contains("revoked"), "{library}");
}
