//! Grading by hand through the pages, on both databases: the queue is anonymous (names only
//! for administrators who ask), only the class's staff may grade, a grade outside the range
//! changes nothing, the result is computed when the last item is graded and the attendee is
//! told once, a change needs a reason and is audited, and the staff review shows every save.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{exams::ExamRecord, questions},
    domain::{
        grading::{attempt_code, KIND_RESULT_READY},
        question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
    },
    error::AppError,
};
use chrono::Utc;
use common::{Browser, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    an_essay_is_graded_anonymously_and_the_result_follows,
    only_the_class_staff_may_grade,
);

const NAME: &str = "Jordan Quill";
const EMAIL: &str = "jordan@denver.gov";

/// Two single-choice questions (right option "Answer A"), an essay worth 2 and a short answer
/// accepting "de-escalation": all four drawn, in written order; pass mark 75%.
async fn bank(app: &TestApp) {
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let option = |text: &str, weight: i64| OptionDraft {
        text: text.into(),
        weight_percent: weight,
        feedback: String::new(),
    };
    let question = |kind, stem: &str, points, options| QuestionDraft {
        topic_id: Some(topic),
        group_id: None,
        kind,
        title: stem.into(),
        stem: stem.into(),
        points,
        explanation: "Listen first.".into(),
        pin_order: false,
        options,
    };
    let qs = vec![
        question(
            QuestionKind::Single,
            "Choice one",
            1,
            vec![option("Answer A1", 100), option("Answer B1", 0)],
        ),
        question(
            QuestionKind::Single,
            "Choice two",
            1,
            vec![option("Answer A2", 100), option("Answer B2", 0)],
        ),
        question(
            QuestionKind::Essay,
            "Describe how you would open the call",
            2,
            vec![],
        ),
        question(
            QuestionKind::ShortAnswer,
            "Name the skill",
            1,
            vec![option("de-escalation", 100)],
        ),
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
    .unwrap();
    let admin = app.create_user("chief@cit.org", "admin").await;
    let exam = ExamRecord {
        shuffle_questions: false,
        shuffle_options: false,
        pass_percent: 75,
        ..ExamRecord::defaults(course)
    };
    common::exam::publish_exam(app, &exam, &[(topic, 4)], admin).await;
}

/// The attendee registered, attended, paid, with the window open: (browser, offering).
async fn eligible_attendee(app: &TestApp) -> (Browser, i64, i64) {
    let (b, registration, offering) = common::exam::registered(app, NAME, EMAIL).await;
    common::exam::make_eligible(app, registration, offering).await;
    (b, registration, offering)
}

/// Takes the test: both choices right, an essay, an unmatched short answer; submits.
async fn sit_the_test(app: &TestApp, b: &Browser, registration: i64) -> i64 {
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
        .unwrap()
        .trim_start_matches("/attempts/")
        .parse()
        .unwrap();
    let save = |position: usize, seq: i64, field: &'static str, value: &'static str| {
        let (a, p, s) = (attempt.to_string(), position.to_string(), seq.to_string());
        async move {
            let done = app
                .submit(
                    b,
                    &format!("/attempts/{attempt}"),
                    "save_answer",
                    &[
                        ("attempt_id", a.as_str()),
                        ("position", p.as_str()),
                        ("seq", s.as_str()),
                        (field, value),
                    ],
                )
                .await;
            assert_eq!(done.error, None);
        }
    };
    // The draw's order is random; answer each question by its kind. Options are not
    // shuffled: "Answer A" is shown first.
    let mut seq = 0;
    for position in 0..4_i64 {
        let kind: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT q.kind FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1 AND i.position = $2").bind(attempt).bind(position).fetch_one(pool).await.unwrap());
        let p = usize::try_from(position).unwrap();
        seq += 1;
        match kind.as_str() {
            "single" => save(p, seq, "single", "0").await,
            "short_answer" => save(p, seq, "text", "talking them down").await,
            _ => {
                save(
                    p,
                    seq,
                    "text",
                    "I would introduce myself, slow down and listen.",
                )
                .await;
                // A second save of the essay: the review lists both.
                seq += 1;
                save(
                    p,
                    seq,
                    "text",
                    "I would introduce myself, slow down and listen first.",
                )
                .await;
            }
        }
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

/// The attempt's item holding the question of `kind`.
async fn item_id(app: &TestApp, attempt: i64, kind: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT i.id FROM attempt_items i JOIN questions q ON q.id = i.question_id WHERE i.attempt_id = $1 AND q.kind = $2").bind(attempt).bind(kind).fetch_one(pool).await.unwrap())
}

async fn grade(
    app: &TestApp,
    b: &Browser,
    item: i64,
    points: &str,
    reason: &str,
    next: &str,
) -> common::Submitted {
    app.submit(
        b,
        &format!("/teach/grading/{item}"),
        "grade_item",
        &[
            ("item_id", &item.to_string()),
            ("points", points),
            ("feedback", "Good opening."),
            ("reason", reason),
            ("next", next),
        ],
    )
    .await
}

async fn certificates_for(app: &TestApp, attempt: i64) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE attempt_id = $1").bind(attempt).fetch_one(pool).await.unwrap())
}

async fn attempt_state(app: &TestApp, attempt: i64) -> (String, Option<i64>, Option<bool>) {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT status, score_centi, passed FROM attempts WHERE id = $1").bind(attempt).fetch_one(pool).await.unwrap())
}

async fn an_essay_is_graded_anonymously_and_the_result_follows(app: &TestApp) {
    bank(app).await;
    let (attendee, registration, offering) = eligible_attendee(app).await;
    let attempt = sit_the_test(app, &attendee, registration).await;
    let (status, _, passed) = attempt_state(app, attempt).await;
    assert_eq!((status.as_str(), passed), ("awaiting_grading", None));
    let (_, _, result) = app
        .get(&attendee, &format!("/attempts/{attempt}/result"))
        .await;
    assert!(
        result.contains("graded") || result.contains("grading"),
        "{result}"
    );

    let teacher = app.create_user("teacher@cit.org", "instructor").await;
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(offering).bind(teacher).execute(pool).await.map(|_| ()).unwrap());
    let (instructor, _) = app.sign_in("teacher@cit.org", common::PASSWORD).await;
    let seed: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT seed FROM attempts WHERE id = $1").bind(attempt).fetch_one(pool).await.unwrap());
    let code = attempt_code(seed);

    // The queue: the essay and the unmatched short answer, by code, never by name, even
    // when an instructor asks for names.
    for path in [
        format!("/teach/offerings/{offering}/grading"),
        format!("/teach/offerings/{offering}/grading?names=true"),
    ] {
        let (status, _, queue) = app.get(&instructor, &path).await;
        assert_eq!(status, StatusCode::OK, "{queue}");
        assert!(queue.contains(&format!("Attempt {code}")), "{queue}");
        assert!(queue.contains("Waiting for grading (2)"), "{queue}");
        assert!(
            !queue.contains(NAME) && !queue.contains(EMAIL),
            "a name in the anonymous queue: {queue}"
        );
    }
    // The instructor's dashboard counts what waits, without a name.
    let (_, _, dashboard) = app.get(&instructor, "/dashboard").await;
    assert!(dashboard.contains("2 answers in 1 attempt"), "{dashboard}");
    assert!(
        dashboard.contains(&format!("href=\"/teach/offerings/{offering}/grading\"")),
        "{dashboard}"
    );
    let essay = item_id(app, attempt, "essay").await;
    let short = item_id(app, attempt, "short_answer").await;
    let (_, _, page) = app
        .get(&instructor, &format!("/teach/grading/{essay}"))
        .await;
    assert!(page.contains("slow down and listen first."), "{page}");
    assert!(!page.contains(NAME), "{page}");
    // An administrator may reveal names.
    app.create_user("registrar@cit.org", "admin").await;
    let (admin, _) = app.sign_in("registrar@cit.org", common::PASSWORD).await;
    let (_, _, named) = app
        .get(
            &admin,
            &format!("/teach/offerings/{offering}/grading?names=true"),
        )
        .await;
    assert!(named.contains(&format!("{NAME} ({code})")), "{named}");
    let (_, _, unnamed) = app
        .get(&admin, &format!("/teach/offerings/{offering}/grading"))
        .await;
    assert!(!unnamed.contains(NAME), "{unnamed}");

    // Outside the range: refused next to the field, nothing stored.
    for bad in ["3", "-1", "two", "1.234"] {
        let done = grade(app, &instructor, essay, bad, "", "next").await;
        assert!(
            matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "points"),
            "{bad}: {:?}",
            done.error
        );
    }
    assert_eq!(attempt_state(app, attempt).await.0, "awaiting_grading");
    let stored: Option<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT score_centi FROM attempt_items WHERE id = $1").bind(essay).fetch_one(pool).await.unwrap());
    assert_eq!(stored, None);

    // "Save and grade next" goes on to the short answer.
    let done = grade(app, &instructor, essay, "1.5", "", "next").await;
    assert_eq!(
        (done.error, done.location),
        (None, Some(format!("/teach/grading/{short}")))
    );
    assert_eq!(attempt_state(app, attempt).await.0, "awaiting_grading");
    assert_eq!(
        app.emails_to(EMAIL, KIND_RESULT_READY).await,
        0,
        "told before grading finished"
    );
    assert_eq!(
        certificates_for(app, attempt).await,
        0,
        "issued before the result"
    );

    // The last item: 1 + 1 + 1.5 + 1 = 4.5 of 5 = 90%, a pass, and the attendee is told once.
    let done = grade(app, &instructor, short, "1", "", "next").await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!("/teach/offerings/{offering}/grading?done=1"))
    );
    assert_eq!(
        attempt_state(app, attempt).await,
        ("final".into(), Some(450), Some(true))
    );
    assert_eq!(app.emails_to(EMAIL, KIND_RESULT_READY).await, 1);
    let (_, _, dashboard) = app.get(&instructor, "/dashboard").await;
    assert!(
        dashboard.contains("No answers are waiting to be graded."),
        "{dashboard}"
    );
    // The grade that made it a pass issued the certificate, in the same transaction.
    assert_eq!(certificates_for(app, attempt).await, 1);
    let link = app.emailed_link(EMAIL, KIND_RESULT_READY).await.unwrap();
    assert_eq!(link, format!("/attempts/{attempt}/result"));
    let (_, _, result) = app.get(&attendee, &link).await;
    assert!(
        result.contains("Passed: 90%") && result.contains("pass mark 75%"),
        "{result}"
    );

    // A change needs a reason; with one it is stored, audited and the result recomputed:
    // 1 + 1 + 0 + 1 = 3 of 5 = 60%, not a pass. Nobody is told twice.
    let done = grade(app, &instructor, essay, "0", "  ", "stay").await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "reason"),
        "{:?}",
        done.error
    );
    assert_eq!(attempt_state(app, attempt).await.1, Some(450));
    let done = grade(
        app,
        &instructor,
        essay,
        "0",
        "Answered a different question",
        "stay",
    )
    .await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!("/teach/grading/{essay}?saved=1"))
    );
    assert_eq!(
        attempt_state(app, attempt).await,
        ("final".into(), Some(300), Some(false))
    );
    let audit: Vec<(String, String)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT action, after_value FROM audit_log WHERE entity = 'attempt_item' AND entity_id = $1 ORDER BY id").bind(essay).fetch_all(pool).await.unwrap());
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0].0, "grade");
    assert_eq!(audit[1].0, "change_grade");
    assert!(
        audit[1].1.contains("Answered a different question"),
        "{:?}",
        audit[1]
    );
    assert_eq!(app.emails_to(EMAIL, KIND_RESULT_READY).await, 1);
    let (_, _, result) = app
        .get(&attendee, &format!("/attempts/{attempt}/result"))
        .await;
    assert!(result.contains("Not passed: 60%"), "{result}");

    // The staff review: the seed, every item, both saves of the essay.
    let (status, _, review) = app
        .get(&instructor, &format!("/teach/attempts/{attempt}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(review.contains(&seed.to_string()), "the seed: {review}");
    let essay_saves: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT s.seq FROM attempt_saves s JOIN attempt_items i ON i.attempt_id = s.attempt_id AND i.position = s.position WHERE i.id = $1 ORDER BY s.seq").bind(essay).fetch_all(pool).await.unwrap());
    assert_eq!(essay_saves.len(), 2, "both saves of the essay are kept");
    for seq in essay_saves {
        assert!(
            review.contains(&format!("(save {seq})")),
            "save {seq}: {review}"
        );
    }
    assert!(
        review.contains("Final: 60% (pass mark 75%), not passed"),
        "{review}"
    );
    assert!(
        !review.contains(NAME),
        "an instructor's review is anonymous: {review}"
    );
}

async fn only_the_class_staff_may_grade(app: &TestApp) {
    bank(app).await;
    let (attendee, registration, _offering) = eligible_attendee(app).await;
    let attempt = sit_the_test(app, &attendee, registration).await;
    let essay = item_id(app, attempt, "essay").await;
    // An instructor of no class of this attempt, and the attendee themselves.
    app.create_user("other@cit.org", "instructor").await;
    let (other, _) = app.sign_in("other@cit.org", common::PASSWORD).await;
    for (who, b) in [
        ("another class's instructor", &other),
        ("the attendee", &attendee),
    ] {
        let done = grade(app, b, essay, "2", "", "next").await;
        assert_eq!(done.error, Some(AppError::Forbidden), "{who}");
        let (status, _, _) = app.get(b, &format!("/teach/grading/{essay}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: the grading page");
        let (status, _, _) = app.get(b, &format!("/teach/attempts/{attempt}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: the attempt review");
    }
    let done = grade(app, &app.browser(), essay, "2", "", "next").await;
    assert_eq!(done.error, Some(AppError::Unauthenticated));
    assert_eq!(attempt_state(app, attempt).await.0, "awaiting_grading");
    // A missing item: not found, not a hint that it exists.
    app.create_user("boss@cit.org", "admin").await;
    let (admin, _) = app.sign_in("boss@cit.org", common::PASSWORD).await;
    let (status, _, _) = app.get(&admin, "/teach/grading/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
