//! Scoring that cannot be gamed (issue 21, defect 10), on both databases: a multiple-answer
//! question whose wrong options cost nothing (ticking every option would score 100%) is
//! refused when written, when imported or checked from GIFT, and, if it was saved before the
//! rule, when the test is published; a key that makes every wrong tick cost is accepted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::questions,
    domain::question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
    error::AppError,
};
use chrono::Utc;
use common::TestApp;

on_both_databases!(a_key_that_ticking_everything_games_is_refused_everywhere);

/// The question: two right options at 50%, two wrong ones that cost nothing.
const GAMEABLE: &str = "::Partners:: Which agencies are CIT partners? {~%50%Police ~%50%Mental health ~Nobody ~Only the courts}";
const FAIR: &str = "::Partners:: Which agencies are CIT partners? {~%50%Police ~%50%Mental health ~%-50%Nobody ~%-50%Only the courts}";

async fn a_key_that_ticking_everything_games_is_refused_everywhere(app: &TestApp) {
    let (course, topic, title): (i64, i64, String) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id, t.title FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let bank = "/teach/bank/CITC";

    // Checked or imported from GIFT: refused by line, naming the free option; nothing saved.
    let gift = format!("$CATEGORY: {title}\n\n{GAMEABLE}\n");
    for mode in ["check", "import"] {
        let done = app
            .submit(
                &admin,
                bank,
                "import_gift",
                &[("code", "CITC"), ("gift", &gift), ("mode", mode)],
            )
            .await;
        let message = done.error.as_ref().and_then(|e| e.field_message("gift"));
        assert!(
            message.as_deref().is_some_and(
                |m| m.contains("Line 3") && m.contains("\"Nobody\" takes no points away")
            ),
            "{mode}: {done:?}"
        );
    }
    assert_eq!(questions::count(&app.db, course).await.unwrap(), 0);

    // Written in the editor: refused next to the GIFT field.
    let t = topic.to_string();
    let write = |gift: &'static str| {
        vec![
            ("code", "CITC"),
            ("topic_id", t.as_str()),
            ("points", "1"),
            ("gift", gift),
        ]
    };
    let done = app
        .submit(&admin, bank, "save_question", &write(GAMEABLE))
        .await;
    let message = done.error.as_ref().and_then(|e| e.field_message("gift"));
    assert!(
        message.is_some_and(|m| m.contains("negative weight")),
        "{done:?}"
    );
    assert_eq!(questions::count(&app.db, course).await.unwrap(), 0);
    // Every wrong tick costs: accepted.
    let done = app
        .submit(&admin, bank, "save_question", &write(FAIR))
        .await;
    assert_eq!(done.error, None);
    assert_eq!(questions::count(&app.db, course).await.unwrap(), 1);
    let fair: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM questions WHERE course_id = $1").bind(course).fetch_one(pool).await.unwrap());
    let status = |id: String, status: &'static str| {
        let admin = &admin;
        async move {
            let fields = [
                ("code", "CITC"),
                ("question_id", id.as_str()),
                ("status", status),
            ];
            app.submit(admin, bank, "set_question_status", &fields)
                .await
        }
    };
    assert_eq!(status(fair.to_string(), "active").await.error, None);

    // A question saved before the rule (straight into the bank, active) stops publication,
    // named, until its key is corrected or it is retired.
    let option = |text: &str, weight: i64| OptionDraft {
        text: text.into(),
        weight_percent: weight,
        feedback: String::new(),
    };
    let old = QuestionDraft {
        topic_id: Some(topic),
        group_id: None,
        kind: QuestionKind::Multiple,
        title: "Old partners".into(),
        stem: "Which agencies are CIT partners?".into(),
        points: 1,
        explanation: String::new(),
        pin_order: false,
        options: vec![
            option("Police", 50),
            option("Mental health", 50),
            option("Nobody", 0),
        ],
    };
    let ids = questions::insert(
        &app.db,
        course,
        &[old],
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let drawn = format!("blueprint[{t}]");
    let settings = [
        ("code", "CITC"),
        ("time_limit_minutes", "45"),
        ("pass_percent", "75"),
        ("attempts_allowed", "3"),
        ("wait_hours", "12"),
        ("review_policy", "score"),
        (drawn.as_str(), "1"),
    ];
    let test_page = "/admin/courses/CITC/test";
    let done = app
        .submit(&admin, test_page, "save_test_settings", &settings)
        .await;
    assert_eq!(done.error, None);
    let done = app
        .submit(&admin, test_page, "publish_test", &[("code", "CITC")])
        .await;
    assert!(
        matches!(&done.error, Some(AppError::Conflict(m)) if m.contains("\"Old partners\" can be gamed") && m.contains(&format!("/questions/{}/regrade", ids[0]))),
        "{done:?}"
    );
    assert!(!published(app, course).await);
    assert_eq!(status(ids[0].to_string(), "retired").await.error, None);
    let done = app
        .submit(&admin, test_page, "publish_test", &[("code", "CITC")])
        .await;
    assert_eq!(done.error, None);
    assert!(published(app, course).await);
}

async fn published(app: &TestApp, course: i64) -> bool {
    let (exam, _) = app::db::exams::find(&app.db, course).await.unwrap();
    exam.published_at.is_some()
}
