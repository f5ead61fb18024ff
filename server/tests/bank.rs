//! The question bank page on both databases: a GIFT import is checked first and saved only
//! when every question reads; the bank downloads as GIFT for instructors only.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use common::TestApp;
use reqwest::StatusCode;

on_both_databases!(gift_is_checked_imported_and_exported);

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
