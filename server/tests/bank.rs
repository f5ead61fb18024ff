//! The question bank page on both databases: a GIFT import is checked first and saved only
//! when every question reads; the bank downloads as GIFT for instructors only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use common::TestApp;
use reqwest::StatusCode;

on_both_databases!(
    gift_is_checked_imported_and_exported,
    one_question_is_written_and_edited_in_versions
);

async fn one_question_is_written_and_edited_in_versions(app: &TestApp) {
    app.create_user("teacher@cit.org", "instructor").await;
    let teacher = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    let topic: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let t = topic.to_string();
    let save = |id: Option<String>, gift: &'static str, points: &'static str| {
        let mut fields = vec![
            ("code", "CITC".to_owned()),
            ("topic_id", t.clone()),
            ("points", points.to_owned()),
            ("gift", gift.to_owned()),
        ];
        if let Some(id) = id {
            fields.push(("id", id));
        }
        fields
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let teacher = &teacher;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(
                teacher,
                "/teach/bank/CITC/questions/new",
                "save_question",
                &pairs,
            )
            .await
        }
    };
    // Two questions, or bad points, are refused next to their field.
    let done = post(save(None, "One? {T}\n\nTwo? {F}", "1")).await;
    assert!(done
        .error
        .unwrap()
        .field_message("gift")
        .unwrap()
        .contains("exactly one question"));
    let done = post(save(None, "One? {T}", "0")).await;
    assert!(done.error.unwrap().field_message("points").is_some());
    let done = post(save(
        None,
        "Who leads a CIT program? {=The coordinator ~Nobody#Someone must}",
        "2",
    ))
    .await;
    assert_eq!(done.error, None);
    let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM questions").fetch_one(pool).await.unwrap());
    let (q, options) = app::db::questions::find(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (q.status.as_str(), q.points, options.len()),
        ("draft", 2, 2)
    );
    // The editor shows it back in GIFT.
    let (_, _, page) = app
        .get(&teacher, &format!("/teach/bank/CITC/questions/{id}"))
        .await;
    assert!(
        page.contains("=The coordinator") && page.contains("Someone must"),
        "{page}"
    );
    // Active, then edited: a new version; the old one retired.
    app::db::questions::set_status(
        &app.db,
        id,
        app::domain::question::QuestionStatus::Active,
        1,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let done = post(save(
        Some(id.to_string()),
        "Who leads a CIT program? {=The CIT coordinator ~Nobody}",
        "2",
    ))
    .await;
    assert_eq!(done.error, None);
    let versions: Vec<(i64, String)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT version, status FROM questions ORDER BY version").fetch_all(pool).await.unwrap());
    assert_eq!(
        versions,
        vec![(1, "retired".to_owned()), (2, "active".to_owned())]
    );
}

const GOOD: &str = "$CATEGORY: Defining the CIT model\n\n\
    ::q1:: What does CIT stand for? {=Crisis Intervention Team ~Critical Incident Team#Not quite}\n\n\
    CIT pairs officers with mental-health partners. {T}\n\n\
    $CATEGORY: Resources\n\n\
    Describe one resource a coordinator should keep current. {}\n";

async fn gift_is_checked_imported_and_exported(app: &TestApp) {
    app.create_user("teacher@cit.org", "instructor").await;
    let teacher = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    let send = |gift: &'static str, mode: &'static str| {
        let teacher = &teacher;
        async move {
            app.submit(
                teacher,
                "/teach/bank/CITC",
                "import_gift",
                &[("code", "CITC"), ("gift", gift), ("mode", mode)],
            )
            .await
        }
    };
    // One bad item: reported by line, nothing saved even with "import".
    let bad = "$CATEGORY: Defining the CIT model\n\nGood one? {T}\n\nHow many? {#3}\n";
    let done = send(bad, "import").await;
    let message = done.error.unwrap().field_message("gift").unwrap();
    assert!(
        message.contains("Line 5") && message.contains("nothing was saved"),
        "{message}"
    );
    let count = || async {
        app::db::on_db!(&app.db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM questions").fetch_one(pool).await.unwrap())
    };
    assert_eq!(count().await, 0);
    // Check, then import.
    let done = send(GOOD, "check").await;
    assert_eq!(done.error, None);
    assert!(done.location.unwrap().contains("checked=3"));
    assert_eq!(count().await, 0, "checking saves nothing");
    let done = send(GOOD, "import").await;
    assert_eq!(
        done.location.as_deref(),
        Some("/teach/bank/CITC?imported=3")
    );
    assert_eq!(count().await, 3);
    let (status, _, page) = app.get(&teacher, "/teach/bank/CITC").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("What does CIT stand for?") && page.contains("draft"),
        "{page}"
    );
    // Activate them one by one from the page; then a preview draws from the active ones.
    let ids: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM questions ORDER BY id").fetch_all(pool).await.unwrap());
    for id in &ids {
        let id = id.to_string();
        let done = app
            .submit(
                &teacher,
                "/teach/bank/CITC",
                "set_question_status",
                &[("code", "CITC"), ("question_id", &id), ("status", "active")],
            )
            .await;
        assert_eq!(done.error, None);
    }
    let active: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE status = 'active'").fetch_one(pool).await.unwrap());
    assert_eq!(active, 3);
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let exam = app::db::exams::ExamRecord::defaults(course);
    app::db::exams::save(
        &app.db,
        &exam,
        &[(topic, 2)].into_iter().collect(),
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (status, _, preview) = app.get(&teacher, "/teach/bank/CITC/preview").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        preview.contains("What does CIT stand for?") && preview.contains("Critical Incident Team"),
        "{preview}"
    );
    assert!(
        !preview.contains("Not quite") && !preview.contains("weight"),
        "no feedback or weights in the preview"
    );
    // Export.
    let response = teacher
        .get(app.url("/teach/bank/CITC/export.gift"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("$CATEGORY: Resources")
            && text.contains("::q1::")
            && text.contains("=Crisis Intervention Team"),
        "{text}"
    );
    // Attendees neither import nor export.
    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let done = app
        .submit(
            &jane,
            "/teach/bank/CITC",
            "import_gift",
            &[("code", "CITC"), ("gift", GOOD), ("mode", "import")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    assert_eq!(
        jane.get(app.url("/teach/bank/CITC/export.gift"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}
