//! A course's test settings through the admin page, on both databases: checked field by
//! field, saved (which unpublishes), published only when the bank covers the blueprint,
//! and only by administrators.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::questions,
    domain::question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
    error::AppError,
};
use chrono::Utc;
use common::TestApp;

on_both_databases!(settings_are_checked_saved_and_published_when_covered);

async fn post(
    app: &TestApp,
    admin: &common::Browser,
    fields: Vec<(&str, String)>,
    function: &str,
) -> common::Submitted {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.submit(admin, "/admin/courses/CITC/test", function, &pairs)
        .await
}

async fn settings_are_checked_saved_and_published_when_covered(app: &TestApp) {
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let t = topic.to_string();
    let key = format!("blueprint[{t}]");
    let form = |limit: &'static str, drawn: &'static str| {
        vec![
            ("code", "CITC".to_owned()),
            ("time_limit_minutes", limit.to_owned()),
            ("pass_percent", "75".to_owned()),
            ("attempts_allowed", "3".to_owned()),
            ("wait_hours", "12".to_owned()),
            ("review_policy", "answers".to_owned()),
            ("shuffle_questions", "on".to_owned()),
            (key.as_str(), drawn.to_owned()),
        ]
    };
    let done = post(app, &admin, form("1", "2"), "save_test_settings").await;
    assert!(done
        .error
        .unwrap()
        .field_message("time_limit_minutes")
        .is_some());
    let done = post(app, &admin, form("45", "2"), "save_test_settings").await;
    assert_eq!(done.error, None);
    let (exam, blueprint) = app::db::exams::find(&app.db, course).await.unwrap();
    assert_eq!(
        (
            exam.time_limit_minutes,
            exam.pass_percent,
            exam.review_policy.as_str(),
            exam.shuffle_options
        ),
        (45, 75, "answers", false)
    );
    assert_eq!(blueprint.get(&topic), Some(&2));
    // One active question for a blueprint of two: refused, naming the topic.
    let q = QuestionDraft {
        topic_id: Some(topic),
        group_id: None,
        kind: QuestionKind::TrueFalse,
        title: String::new(),
        stem: "CIT stands for Crisis Intervention Team.".into(),
        points: 1,
        explanation: String::new(),
        pin_order: true,
        options: vec![
            OptionDraft {
                text: "True".into(),
                weight_percent: 100,
                feedback: String::new(),
            },
            OptionDraft {
                text: "False".into(),
                weight_percent: 0,
                feedback: String::new(),
            },
        ],
    };
    questions::insert(
        &app.db,
        course,
        std::slice::from_ref(&q),
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let done = post(
        app,
        &admin,
        vec![("code", "CITC".to_owned())],
        "publish_test",
    )
    .await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(ref m)) if m.contains("Defining the CIT model has 1 active questions")),
        "{:?}",
        done.error
    );
    questions::insert(
        &app.db,
        course,
        &[q],
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let done = post(
        app,
        &admin,
        vec![("code", "CITC".to_owned())],
        "publish_test",
    )
    .await;
    assert_eq!(done.error, None);
    assert!(app::db::exams::find(&app.db, course)
        .await
        .unwrap()
        .0
        .published_at
        .is_some());
    // Saving again unpublishes until it is published again.
    post(app, &admin, form("45", "1"), "save_test_settings").await;
    assert!(app::db::exams::find(&app.db, course)
        .await
        .unwrap()
        .0
        .published_at
        .is_none());
    let (_, _, page) = app.get(&admin, "/admin/courses/CITC/test").await;
    assert!(
        page.contains("not published") && page.contains("Defining the CIT model"),
        "{page}"
    );
    // Nobody else.
    app.create_user("teacher@cit.org", "instructor").await;
    let instructor = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    let done = app
        .submit(
            &instructor,
            "/admin/courses/CITC/test",
            "publish_test",
            &[("code", "CITC")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
}
