//! People on their way to the certification test: registered for the first coordinator
//! class through the pages, then made eligible (every session attended, paid, window open).

use super::{Browser, TestApp};
use app::{
    db::{
        attendance::{NewMark, Source},
        exams::{self, ExamRecord},
        questions,
    },
    domain::{
        attendance_rule::AttendanceStatus,
        question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
    },
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

/// Two single-choice questions (the first option right), both drawn in order; pass mark 50%.
pub async fn objective_bank(app: &TestApp) {
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.expect("test setup"));
    let qs = vec![
        single_choice(topic, "First"),
        single_choice(topic, "Second"),
    ];
    questions::insert(
        &app.db,
        course,
        &qs,
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .expect("test setup");
    let admin = app.create_user("registrar@cit.org", "admin").await;
    let exam = ExamRecord {
        shuffle_questions: false,
        shuffle_options: false,
        pass_percent: 50,
        ..ExamRecord::defaults(course)
    };
    publish_exam(app, &exam, &[(topic, 2)], admin).await;
}

/// A one-point single-choice question on `topic`: the first option right, the second wrong.
pub fn single_choice(topic: i64, stem: &str) -> QuestionDraft {
    QuestionDraft {
        topic_id: Some(topic),
        group_id: None,
        kind: QuestionKind::Single,
        title: stem.into(),
        stem: stem.into(),
        points: 1,
        explanation: String::new(),
        pin_order: false,
        options: vec![
            OptionDraft {
                text: format!("{stem}: right"),
                weight_percent: 100,
                feedback: String::new(),
            },
            OptionDraft {
                text: format!("{stem}: wrong"),
                weight_percent: 0,
                feedback: String::new(),
            },
        ],
    }
}

/// Saves `exam` with `blueprint` (topic, questions drawn) and publishes it, as `admin`.
pub async fn publish_exam(app: &TestApp, exam: &ExamRecord, blueprint: &[(i64, i64)], admin: i64) {
    exams::save(
        &app.db,
        exam,
        &blueprint.iter().copied().collect(),
        Some(admin),
        Utc::now(),
    )
    .await
    .expect("test setup");
    assert!(
        exams::publish(&app.db, exam.course_id, Some(admin), Utc::now())
            .await
            .expect("test setup")
    );
}

/// Someone registered for a coordinator class and eligible for its test:
/// (browser, registration).
pub async fn eligible(app: &TestApp, name: &str, email: &str) -> (Browser, i64) {
    let (b, registration, offering) = registered(app, name, email).await;
    make_eligible(app, registration, offering).await;
    (b, registration)
}

/// Starts the test, answers both questions with `choice` ("0" is right) and submits:
/// the attempt's id.
pub async fn take_test(app: &TestApp, b: &Browser, registration: i64, choice: &str) -> i64 {
    let done = app
        .submit(
            b,
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    let attempt: i64 = done
        .location
        .expect("test setup")
        .trim_start_matches("/attempts/")
        .parse()
        .expect("test setup");
    for (seq, position) in [(1, "0"), (2, "1")] {
        let done = app
            .submit(
                b,
                &format!("/attempts/{attempt}"),
                "save_answer",
                &[
                    ("attempt_id", &attempt.to_string()),
                    ("position", position),
                    ("seq", &seq.to_string()),
                    ("single", choice),
                ],
            )
            .await;
        assert_eq!(done.error, None);
    }
    let done = app
        .submit(
            b,
            "/attempts",
            "submit_attempt",
            &[("attempt_id", &attempt.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    attempt
}
