//! Taking the certification test through the pages, as a browser without JavaScript does,
//! on both databases: who may start, saving and moving between questions, a stale save,
//! submitting, the result, another person's attempt, no answer key in any response, and a
//! scenario group drawn whole with its case above each of its questions.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

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
    error::AppError,
};
use chrono::{Duration, Utc};
use common::{Browser, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    an_eligible_attendee_takes_the_test_and_passes,
    nobody_starts_before_the_rules_allow,
    no_answer_key_reaches_the_browser_and_others_see_nothing,
    accommodations_extend_the_time,
    a_scenario_group_is_drawn_whole_below_its_case,
);

const SECRET: &str = "FEEDBACK-NEVER-SHOWN";

/// Five single-choice questions on the coordinator course's first topic, the right option
/// written first; a published test drawing three, without shuffling questions.
async fn bank(app: &TestApp) -> i64 {
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let option = |text: &str, weight: i64| OptionDraft {
        text: text.into(),
        weight_percent: weight,
        feedback: SECRET.into(),
    };
    let qs: Vec<QuestionDraft> = (0..5)
        .map(|i| QuestionDraft {
            topic_id: Some(topic),
            group_id: None,
            kind: QuestionKind::Single,
            title: String::new(),
            stem: format!("Stem number {i}"),
            points: 1,
            explanation: SECRET.into(),
            pin_order: false,
            options: vec![
                option(&format!("Answer A{i}"), 100),
                option(&format!("Answer B{i}"), 0),
                option(&format!("Answer C{i}"), 0),
            ],
        })
        .collect();
    questions::insert(
        &app.db,
        course,
        &qs,
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let admin = app.create_user("chief@cit.org", "admin").await;
    let exam = ExamRecord {
        shuffle_questions: false,
        review_policy: "wrong".into(),
        pass_percent: 60,
        ..ExamRecord::defaults(course)
    };
    common::exam::publish_exam(app, &exam, &[(topic, 3)], admin).await;
    course
}

/// An attendee with a confirmed seat in the first coordinator class: (browser, registration).
async fn attendee(app: &TestApp, email: &str) -> (Browser, i64, i64) {
    let (_, _, html) = app.get(&app.browser(), "/courses/CITC").await;
    let offering: i64 = html
        .split("href=\"/offerings/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    let b = app.sign_up("Jane Doe", email).await;
    app.submit(
        &b,
        &format!("/offerings/{offering}"),
        "register",
        &[("offering_id", &offering.to_string())],
    )
    .await;
    let registration: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1").bind(email).fetch_one(pool).await.unwrap());
    (b, registration, offering)
}

/// Attendance recorded for every session, the fee paid, and the test window open.
async fn make_eligible(app: &TestApp, registration: i64, offering: i64) {
    let meetings: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1").bind(offering).fetch_all(pool).await.unwrap());
    for m in meetings {
        let mark = NewMark {
            registration_id: registration,
            status: AttendanceStatus::Present,
            minutes: 240,
            note: String::new(),
        };
        app::db::attendance::record_marks(&app.db, m, &[mark], Source::RollCall, None, Utc::now())
            .await
            .unwrap();
    }
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE registrations SET payment_status = 'paid' WHERE id = $1").bind(registration).execute(pool).await.map(|_| ()).unwrap());
    exams::set_window(
        &app.db,
        offering,
        Utc::now() - Duration::hours(1),
        Utc::now() + Duration::days(1),
    )
    .await
    .unwrap();
}

/// Starts the test of `registration` as `b` and returns the attempt's id.
async fn start_attempt(app: &TestApp, b: &Browser, registration: i64) -> i64 {
    let done = app
        .submit(
            b,
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    done.location
        .expect("the attempt's page")
        .trim_start_matches("/attempts/")
        .parse()
        .unwrap()
}

/// Question `position` as the live app's server function gives it, as JSON.
async fn question_json(
    app: &TestApp,
    b: &Browser,
    attempt: i64,
    position: impl ToString,
) -> String {
    b.post(app.url("/api/attempt_question"))
        .header("Origin", app.url(""))
        .form(&[
            ("attempt_id", attempt.to_string()),
            ("position", position.to_string()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Saves the option shown at `place` for question `position` and goes to `next`.
async fn choose(
    app: &TestApp,
    b: &Browser,
    attempt: i64,
    position: usize,
    seq: i64,
    place: usize,
    next: &str,
) -> common::Submitted {
    app.submit(
        b,
        &format!("/attempts/{attempt}"),
        "save_answer",
        &[
            ("attempt_id", &attempt.to_string()),
            ("position", &position.to_string()),
            ("seq", &seq.to_string()),
            ("single", &place.to_string()),
            ("next", next),
        ],
    )
    .await
}

/// The place on screen of the option whose text starts with "Answer A" (the right one).
fn right_place(page: &str) -> usize {
    let options: Vec<&str> = page.split("name=\"single\"").skip(1).collect();
    options
        .iter()
        .position(|o| o.split("</label>").next().unwrap().contains("Answer A"))
        .expect("the right option on the page")
}

async fn an_eligible_attendee_takes_the_test_and_passes(app: &TestApp) {
    bank(app).await;
    let (b, registration, offering) = attendee(app, "jane@denver.gov").await;
    make_eligible(app, registration, offering).await;
    let (status, _, home) = app
        .get(&b, &format!("/registrations/{registration}/test"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("90 minutes · pass mark 60% · 2 attempts"),
        "{home}"
    );
    let done = app
        .submit(
            &b,
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    let location = done.location.unwrap();
    let attempt: i64 = location.trim_start_matches("/attempts/").parse().unwrap();
    // Starting again opens the same attempt.
    let again = app
        .submit(
            &b,
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    assert_eq!(again.location, Some(location.clone()));

    // Question 1 right, question 2 wrong, question 3 right: 2 of 3.
    let (_, _, page) = app.get(&b, &location).await;
    assert!(
        page.contains("Question 1 of 3") && page.contains("Ends at "),
        "{page}"
    );
    let done = choose(app, &b, attempt, 0, 1, right_place(&page), "1").await;
    assert_eq!(
        (done.error, done.location.as_deref()),
        (None, Some(format!("/attempts/{attempt}?q=1").as_str()))
    );
    let (_, _, page) = app.get(&b, &format!("/attempts/{attempt}?q=1")).await;
    let wrong = (right_place(&page) + 1) % 3;
    choose(app, &b, attempt, 1, 2, wrong, "2").await;
    let (_, _, page) = app.get(&b, &format!("/attempts/{attempt}?q=2")).await;
    // An older tab's save (sequence 2 again) is refused and changes nothing.
    let stale = choose(app, &b, attempt, 2, 2, right_place(&page), "review").await;
    assert!(
        matches!(stale.error, Some(AppError::Conflict(ref m)) if m.contains("newer answer")),
        "{:?}",
        stale.error
    );
    let done = choose(app, &b, attempt, 2, 3, right_place(&page), "review").await;
    assert_eq!(done.location, Some(format!("/attempts/{attempt}/review")));
    // Going back shows the saved answer checked.
    let (_, _, first) = app.get(&b, &location).await;
    assert!(
        first.contains("checked"),
        "the saved answer is selected again"
    );

    let (_, _, review) = app.get(&b, &format!("/attempts/{attempt}/review")).await;
    assert!(review.contains("You answered every question."), "{review}");
    let done = app
        .submit(
            &b,
            "/attempts",
            "submit_attempt",
            &[("attempt_id", &attempt.to_string())],
        )
        .await;
    assert_eq!(done.location, Some(format!("/attempts/{attempt}/result")));
    let (_, _, result) = app.get(&b, &format!("/attempts/{attempt}/result")).await;
    assert!(
        result.contains("Passed: 66%") && result.contains("pass mark 60%"),
        "{result}"
    );
    assert!(result.contains("Questions not fully right: 2"), "{result}");
    // Saving after the finish is refused, with the way to the result.
    let late = choose(app, &b, attempt, 0, 9, 0, "1").await;
    assert!(
        matches!(&late.error, Some(AppError::Finished { result, .. }) if *result == format!("/attempts/{attempt}/result")),
        "{late:?}"
    );
    // The result page names the certificate the pass earned and its PDF.
    assert!(result.contains("Your certificate"), "{result}");
    assert!(result.contains("/certificate.pdf"), "{result}");
    // The finished attempt's questions lead to the result (a redirect, for pages without
    // JavaScript), never to an error page.
    let (status, location, _) = app.get(&b, &format!("/attempts/{attempt}")).await;
    assert_eq!(
        (status.as_u16(), location),
        (302, Some(format!("/attempts/{attempt}/result"))),
    );
    let (_, _, home) = app
        .get(&b, &format!("/registrations/{registration}/test"))
        .await;
    assert!(home.contains("Passed · 66%"), "{home}");
}

async fn nobody_starts_before_the_rules_allow(app: &TestApp) {
    bank(app).await;
    let (b, registration, offering) = attendee(app, "jane@denver.gov").await;
    let id = registration.to_string();
    let fields = [("registration_id", id.as_str())];
    let start = || app.submit(&b, "/dashboard", "start_test", &fields);
    // Attendance not recorded, fee unpaid.
    let done = start().await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(ref m)) if m.contains("attendance")),
        "{:?}",
        done.error
    );
    let (_, _, home) = app
        .get(&b, &format!("/registrations/{registration}/test"))
        .await;
    assert!(!home.contains("Start the test"), "{home}");
    make_eligible(app, registration, offering).await;
    // The window closed.
    exams::set_window(
        &app.db,
        offering,
        Utc::now() - Duration::days(2),
        Utc::now() - Duration::days(1),
    )
    .await
    .unwrap();
    let done = start().await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(ref m)) if m.contains("closed")),
        "{:?}",
        done.error
    );
    exams::set_window(
        &app.db,
        offering,
        Utc::now() - Duration::hours(1),
        Utc::now() + Duration::days(1),
    )
    .await
    .unwrap();
    assert_eq!(start().await.error, None);
    let count: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM attempts").fetch_one(pool).await.unwrap());
    assert_eq!(count, 1);
    // A visitor is asked to sign in.
    let done = app
        .submit(
            &app.browser(),
            "/dashboard",
            "start_test",
            &[("registration_id", &registration.to_string())],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Unauthenticated));
}

async fn no_answer_key_reaches_the_browser_and_others_see_nothing(app: &TestApp) {
    bank(app).await;
    let (b, registration, offering) = attendee(app, "jane@denver.gov").await;
    make_eligible(app, registration, offering).await;
    let attempt = start_attempt(app, &b, registration).await;
    let mut responses = Vec::new();
    for q in 0..3 {
        responses.push(app.get(&b, &format!("/attempts/{attempt}?q={q}")).await.2);
        let json = question_json(app, &b, attempt, q).await;
        assert!(
            json.contains("Stem number") && json.contains("Answer A"),
            "the live app's data: {json}"
        );
        responses.push(json);
    }
    responses.push(app.get(&b, &format!("/attempts/{attempt}/review")).await.2);
    for body in &responses {
        assert!(
            !body.contains(SECRET),
            "feedback or explanation leaked: {body}"
        );
        assert!(!body.contains("weight"), "weights leaked: {body}");
    }
    // Someone else gets "not found" for the attempt and its saves.
    let (other, _, _) = attendee(app, "sam@denver.gov").await;
    let (status, _, _) = app.get(&other, &format!("/attempts/{attempt}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let done = choose(app, &other, attempt, 0, 50, 0, "1").await;
    assert!(
        matches!(done.error, Some(AppError::NotFound(_))),
        "{:?}",
        done.error
    );
    let (status, _, _) = app
        .get(&other, &format!("/registrations/{registration}/test"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn accommodations_extend_the_time(app: &TestApp) {
    bank(app).await;
    let (b, registration, offering) = attendee(app, "jane@denver.gov").await;
    make_eligible(app, registration, offering).await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let (o, r) = (offering.to_string(), registration.to_string());
    let fields = |time: &'static str| {
        vec![
            ("offering_id", o.clone()),
            ("registration_id", r.clone()),
            ("extra_time_percent", time.to_owned()),
            ("extra_attempts", "1".to_owned()),
            ("note", "Documented need".to_owned()),
        ]
    };
    let done = send(app, &admin, fields("400")).await;
    assert!(done
        .error
        .unwrap()
        .field_message(&format!("extra_time_percent-{registration}"))
        .is_some());
    let done = send(app, &b, fields("50")).await;
    assert_eq!(
        done.error,
        Some(AppError::Forbidden),
        "the attendee cannot give themselves time"
    );
    assert_eq!(send(app, &admin, fields("50")).await.error, None);
    let (_, _, home) = app
        .get(&b, &format!("/registrations/{registration}/test"))
        .await;
    assert!(home.contains("3 attempts"), "2 + 1 extra: {home}");
    let attempt = start_attempt(app, &b, registration).await;
    let (started, deadline): (chrono::DateTime<Utc>, chrono::DateTime<Utc>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT started_at, deadline_at FROM attempts WHERE id = $1").bind(attempt).fetch_one(pool).await.unwrap());
    assert_eq!(
        deadline - started,
        Duration::minutes(135),
        "90 minutes and half again"
    );
}

async fn send(
    app: &TestApp,
    who: &Browser,
    fields: Vec<(&'static str, String)>,
) -> common::Submitted {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.submit(who, "/teach", "set_accommodation", &pairs).await
}

/// A scenario on the coordinator course's first topic: its case (with a script that must not
/// survive) and three questions whose feedback must never be shown.
const SCENARIO: &str = "$CATEGORY: Defining the CIT model/Scenario: Caller on the overpass\n\n\
    ::Caller on the overpass::[markdown]A man calls from an **overpass**.\\n\\n<script>alert(1)</script>He sounds calm.\n\n\
    ::First:: Scenario step one? {=Answer A1 ~Answer B1#FEEDBACK-NEVER-SHOWN}\n\n\
    ::Second:: Scenario step two? {=Answer A2 ~Answer B2####FEEDBACK-NEVER-SHOWN}\n\n\
    ::Third:: Scenario step three? {=Answer A3 ~Answer B3}\n";

async fn a_scenario_group_is_drawn_whole_below_its_case(app: &TestApp) {
    let course = bank(app).await;
    // An instructor of a coordinator class: the coordinator bank is theirs to change.
    let offering = app.first_offering("CITC").await;
    let teacher = app.instructor_of("teacher@cit.org", offering).await;
    let done = app
        .submit(
            &teacher,
            "/teach/bank/CITC",
            "import_gift",
            &[
                ("code", "CITC"),
                ("gift", SCENARIO),
                ("mode", "import"),
                ("activate", "on"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/teach/bank/CITC?imported=3&scenarios=1")
    );
    // The test draws three questions of the topic and one scenario, shuffled; publishing
    // checks that the bank has an active scenario.
    let (exam, blueprint) = exams::find(&app.db, course).await.unwrap();
    let exam = ExamRecord {
        scenario_groups: 1,
        shuffle_questions: true,
        ..exam
    };
    exams::save(&app.db, &exam, &blueprint, None, Utc::now())
        .await
        .unwrap();
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let publish = || {
        app.submit(
            &admin,
            "/admin/courses/CITC/test",
            "publish_test",
            &[("code", "CITC")],
        )
    };
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE scenario_groups SET status = 'draft'").execute(pool).await.map(|_| ()).unwrap());
    let refused = publish().await.error.unwrap().to_string();
    assert!(refused.contains("0 active scenario groups"), "{refused}");
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE scenario_groups SET status = 'active'").execute(pool).await.map(|_| ()).unwrap());
    assert_eq!(publish().await.error, None);

    let (b, registration, offering) = attendee(app, "jane@denver.gov").await;
    make_eligible(app, registration, offering).await;
    let attempt = start_attempt(app, &b, registration).await;
    // The group's questions are consecutive and in the order written.
    let drawn: Vec<(i64, Option<i64>, String)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT i.position, q.group_id, q.stem FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1 ORDER BY i.position").bind(attempt).fetch_all(pool).await.unwrap());
    assert_eq!(drawn.len(), 6);
    let grouped: Vec<&(i64, Option<i64>, String)> =
        drawn.iter().filter(|(_, g, _)| g.is_some()).collect();
    let stems: Vec<&str> = grouped.iter().map(|(_, _, s)| s.as_str()).collect();
    assert_eq!(
        stems,
        [
            "Scenario step one?",
            "Scenario step two?",
            "Scenario step three?"
        ]
    );
    assert_eq!(
        grouped[2].0 - grouped[0].0,
        2,
        "the group was split: {drawn:?}"
    );
    // Its case above each of its questions, rendered and sanitised; not above the others.
    for (position, group, _) in &drawn {
        let (status, _, page) = app
            .get(&b, &format!("/attempts/{attempt}?q={position}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains(SECRET), "feedback leaked: {page}");
        if group.is_some() {
            assert!(page.contains("Scenario: Caller on the overpass"), "{page}");
            assert!(
                page.contains("A man calls from an <strong>overpass</strong>."),
                "{page}"
            );
            assert!(!page.contains("<script>alert"), "{page}");
            let heading = page.find("Scenario: Caller on the overpass").unwrap();
            assert!(
                heading < page.find("Scenario step").unwrap(),
                "the case comes before the stem"
            );
        } else {
            assert!(!page.contains("Scenario: Caller"), "{page}");
        }
    }
    // The live app's data carries the case too, and no answer key.
    let json = question_json(app, &b, attempt, grouped[0].0).await;
    assert!(
        json.contains("vignette_html") && json.contains("Caller on the overpass"),
        "{json}"
    );
    assert!(!json.contains(SECRET) && !json.contains("weight"), "{json}");
}
