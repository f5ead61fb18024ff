//! The question bank page on both databases: a GIFT import is checked first and saved only
//! when every question reads; the bank downloads as GIFT for its course's instructors only;
//! scenario groups are imported, written, edited and downloaded the same way; an instructor
//! changes nothing in the bank of a course they do not teach.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use common::{Browser, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    gift_is_checked_imported_and_exported,
    one_question_is_written_and_edited_in_versions,
    scenarios_are_imported_edited_and_exported_again,
    the_seeded_911_test_draws_a_scenario_and_is_published,
    an_instructor_changes_only_the_banks_of_the_courses_they_teach,
);

/// An instructor of a coordinator class, signed in: the coordinator bank is theirs.
async fn citc_teacher(app: &TestApp) -> Browser {
    let offering = app.first_offering("CITC").await;
    app.instructor_of("teacher@cit.org", offering).await
}

/// The 911 bank as stored: every question version's (id, status) and the scenario groups'
/// (id, status, title).
async fn bank_911(app: &TestApp) -> (Vec<(i64, String)>, Vec<(i64, String, String)>) {
    app::db::on_db!(&app.db, pool => {
        let questions = sqlx::query_as("SELECT q.id, q.status FROM questions q JOIN courses c ON c.id = q.course_id WHERE c.code = 'CIT911' ORDER BY q.id").fetch_all(pool).await.unwrap();
        let groups = sqlx::query_as("SELECT g.id, g.status, g.title FROM scenario_groups g JOIN courses c ON c.id = g.course_id WHERE c.code = 'CIT911' ORDER BY g.id").fetch_all(pool).await.unwrap();
        (questions, groups)
    })
}

/// The pen test's finding: an instructor of one coordinator class exported the 911 bank with
/// its answer key, created and activated a 911 question and changed the key of a live one.
async fn an_instructor_changes_only_the_banks_of_the_courses_they_teach(app: &TestApp) {
    cit_server::commands::seed::bank(&app.db).await.unwrap();
    let teacher = citc_teacher(app).await;
    let before = bank_911(app).await;
    let live = before
        .0
        .iter()
        .find(|(_, status)| status == "active")
        .map(|(id, _)| id.to_string())
        .expect("a live 911 question");
    let topic: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT MIN(t.id) FROM course_topics t JOIN courses c ON c.id = t.course_id WHERE c.code = 'CIT911'").fetch_one(pool).await.unwrap());
    let topic = topic.to_string();
    let group = before.1[0].0.to_string();

    // Every change, with input that would be accepted: refused, and nothing stored.
    let attempts: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "import_gift",
            vec![
                ("code", "CIT911"),
                ("gift", "Safe to hang up? {F}"),
                ("mode", "import"),
                ("activate", "on"),
            ],
        ),
        (
            "save_question",
            vec![
                ("code", "CIT911"),
                ("topic_id", &topic),
                ("points", "1"),
                ("gift", "New? {T}"),
            ],
        ),
        (
            "save_question",
            vec![
                ("code", "CIT911"),
                ("id", &live),
                ("topic_id", &topic),
                ("points", "1"),
                ("gift", "Re-keyed? {F}"),
            ],
        ),
        (
            "set_question_status",
            vec![
                ("code", "CIT911"),
                ("question_id", &live),
                ("status", "retired"),
            ],
        ),
        (
            "save_scenario",
            vec![
                ("code", "CIT911"),
                ("title", "Planted"),
                ("vignette", "A planted case."),
                ("status", "active"),
            ],
        ),
        (
            "set_scenario_status",
            vec![
                ("code", "CIT911"),
                ("scenario_id", &group),
                ("status", "retired"),
            ],
        ),
    ];
    for (function, fields) in &attempts {
        let done = app
            .submit(&teacher, "/teach/bank/CIT911", function, fields)
            .await;
        assert_eq!(done.error, Some(AppError::Forbidden), "{function}");
    }
    assert_eq!(
        bank_911(app).await,
        before,
        "nothing changed in the 911 bank"
    );

    // Nothing read either: not the page, not the preview, not the answer key.
    for page in [
        "/teach/bank/CIT911",
        "/teach/bank/CIT911/preview",
        "/teach/bank/CIT911/analysis",
    ] {
        let (status, _, html) = app.get(&teacher, page).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
        assert!(html.contains("Not allowed"), "{page}: {html}");
    }
    let response = teacher
        .get(app.url("/teach/bank/CIT911/export.gift"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!response.text().await.unwrap().contains("$CATEGORY"));

    // Their own course's bank is theirs, and the dashboard offers only it.
    let (status, _, _) = app.get(&teacher, "/teach/bank/CITC").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, dashboard) = app.get(&teacher, "/dashboard").await;
    assert!(
        dashboard.contains("href=\"/teach/bank/CITC\""),
        "{dashboard}"
    );
    assert!(!dashboard.contains("/teach/bank/CIT911"), "{dashboard}");

    // An instructor of no class reaches no bank.
    app.create_user("idle@cit.org", "instructor").await;
    let idle = app.sign_in("idle@cit.org", common::PASSWORD).await.0;
    let done = app
        .submit(
            &idle,
            "/teach/bank/CITC",
            "question_bank",
            &[("code", "CITC")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    let (_, _, dashboard) = app.get(&idle, "/dashboard").await;
    assert!(
        dashboard.contains("no question bank is open to you"),
        "{dashboard}"
    );
    assert!(!dashboard.contains("/teach/bank/"), "{dashboard}");
}

async fn one_question_is_written_and_edited_in_versions(app: &TestApp) {
    let teacher = citc_teacher(app).await;
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

/// Posts GIFT text to the coordinator course's import form.
async fn import(
    app: &TestApp,
    who: &Browser,
    gift: &str,
    mode: &str,
    activate: bool,
) -> common::Submitted {
    let mut fields = vec![("code", "CITC"), ("gift", gift), ("mode", mode)];
    if activate {
        fields.push(("activate", "on"));
    }
    app.submit(who, "/teach/bank/CITC", "import_gift", &fields)
        .await
}

async fn gift_is_checked_imported_and_exported(app: &TestApp) {
    let teacher = citc_teacher(app).await;
    let send = |gift: &'static str, mode: &'static str| import(app, &teacher, gift, mode, false);
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
    let done = import(app, &jane, GOOD, "import", false).await;
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

/// A question on its own and a scenario with its case and three questions.
const SCENARIO: &str = "$CATEGORY: Defining the CIT model\n\n\
    On its own? {T}\n\n\
    $CATEGORY: $course$/CITC/Defining the CIT model/Scenario: Caller on the overpass\n\n\
    ::Caller on the overpass::[markdown]A man calls from an **overpass**.\\n\\n<script>alert(1)</script>He sounds calm.\n\n\
    ::First:: What first? {=His location ~His diagnosis#Location first}\n\n\
    ::Second:: Keep him talking? {T}\n\n\
    $CATEGORY: Resources/Scenario: caller on the overpass\n\n\
    ::Third:: Who follows up? {=Mobile crisis ~Nobody}\n";

/// (group id, title, vignette, status) of every scenario group.
async fn groups(app: &TestApp) -> Vec<(i64, String, String, String)> {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, title, vignette, status FROM scenario_groups ORDER BY id").fetch_all(pool).await.unwrap())
}

/// The current questions of a group as written (group id aside), in written order.
async fn group_drafts(app: &TestApp, group: i64) -> Vec<app::domain::question::QuestionDraft> {
    let ids: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM questions WHERE group_id = $1 AND status <> 'retired' ORDER BY family_id").bind(group).fetch_all(pool).await.unwrap());
    let mut out = Vec::new();
    for id in ids {
        let (q, options) = app::db::questions::find(&app.db, id)
            .await
            .unwrap()
            .unwrap();
        out.push(app::domain::question::QuestionDraft {
            group_id: None,
            ..q.draft(&options)
        });
    }
    out
}

async fn scenarios_are_imported_edited_and_exported_again(app: &TestApp) {
    let teacher = citc_teacher(app).await;
    let send = |gift: String, mode: &'static str| {
        let teacher = &teacher;
        async move { import(app, teacher, &gift, mode, true).await }
    };
    let done = send(SCENARIO.to_owned(), "check").await;
    assert_eq!(done.error, None);
    assert!(done
        .location
        .unwrap()
        .contains("checked=4&kinds=single=2,true_false=2&scenarios=1"));
    let done = send(SCENARIO.to_owned(), "import").await;
    assert_eq!(
        done.location.as_deref(),
        Some("/teach/bank/CITC?imported=4&scenarios=1")
    );
    let saved = groups(app).await;
    assert_eq!(saved.len(), 1);
    let (group, title, vignette, status) = saved[0].clone();
    assert_eq!(
        (title.as_str(), vignette.as_str(), status.as_str()),
        (
            "Caller on the overpass",
            "A man calls from an **overpass**.\n\n<script>alert(1)</script>He sounds calm.",
            "active"
        )
    );
    let stems: Vec<String> = group_drafts(app, group)
        .await
        .into_iter()
        .map(|d| d.stem)
        .collect();
    assert_eq!(
        stems,
        ["What first?", "Keep him talking?", "Who follows up?"]
    );
    // The same scenario again: refused at its line, nothing saved.
    let message = send(SCENARIO.to_owned(), "import")
        .await
        .error
        .unwrap()
        .field_message("gift")
        .unwrap();
    assert!(
        message.contains("Line 7") && message.contains("already has a scenario called"),
        "{message}"
    );
    assert_eq!(groups(app).await.len(), 1);

    // The bank page: the case rendered and sanitised, its questions, the coverage row.
    let (_, _, page) = app.get(&teacher, "/teach/bank/CITC").await;
    assert!(
        page.contains("A man calls from an <strong>overpass</strong>."),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains("Scenario groups (each drawn whole)") && page.contains("Who follows up?"),
        "{page}"
    );

    // The download writes the scenario back as a category with its case.
    let export = teacher
        .get(app.url("/teach/bank/CITC/export.gift"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        export.contains("$CATEGORY: Defining the CIT model/Scenario: Caller on the overpass\n\n::Caller on the overpass::[markdown]A man calls")
            && export.contains("$CATEGORY: Resources/Scenario: Caller on the overpass\n\n::Third::"),
        "{export}"
    );

    // Edited on its page: fields are checked, titles stay unique.
    let edit = |title: &'static str, vignette: &'static str| {
        let teacher = &teacher;
        let id = group.to_string();
        async move {
            app.submit(
                teacher,
                &format!("/teach/bank/CITC/scenarios/{id}"),
                "save_scenario",
                &[
                    ("code", "CITC"),
                    ("id", &id),
                    ("title", title),
                    ("vignette", vignette),
                    ("status", "active"),
                ],
            )
            .await
        }
    };
    assert!(edit(" ", "Case")
        .await
        .error
        .unwrap()
        .field_message("title")
        .is_some());
    assert!(edit("Bridge", " ")
        .await
        .error
        .unwrap()
        .field_message("vignette")
        .is_some());
    let done = edit(
        "Caller on the overpass (2025)",
        "A man calls from an **overpass**.\n\n<script>alert(1)</script>He sounds calm.",
    )
    .await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location.as_deref(),
        Some(&*format!("/teach/bank/CITC?scenario={group}"))
    );
    // The download reads back as the same scenario and questions: import it beside the old.
    let done = send(export, "import").await;
    assert_eq!(
        done.location.as_deref(),
        Some("/teach/bank/CITC?imported=4&scenarios=1"),
        "{:?}",
        done.error
    );
    let saved = groups(app).await;
    assert_eq!(saved.len(), 2);
    assert_eq!(
        (saved[1].1.as_str(), saved[1].2.as_str()),
        ("Caller on the overpass", saved[0].2.as_str())
    );
    assert_eq!(
        group_drafts(app, saved[1].0).await,
        group_drafts(app, group).await
    );
    // A new group may not take a title in use.
    let done = app
        .submit(
            &teacher,
            "/teach/bank/CITC/scenarios/new",
            "save_scenario",
            &[
                ("code", "CITC"),
                ("title", "CALLER ON THE OVERPASS"),
                ("vignette", "Case"),
                ("status", "draft"),
            ],
        )
        .await;
    assert!(done
        .error
        .unwrap()
        .field_message("title")
        .unwrap()
        .contains("Another scenario"));

    // The question editor puts a question in a group; another course's group is refused.
    let topic: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let write = |group: String| {
        let teacher = &teacher;
        let topic = topic.to_string();
        async move {
            app.submit(
                teacher,
                "/teach/bank/CITC/questions/new",
                "save_question",
                &[
                    ("code", "CITC"),
                    ("topic_id", &topic),
                    ("group_id", &group),
                    ("points", "1"),
                    ("gift", "And then? {T}"),
                ],
            )
            .await
        }
    };
    assert_eq!(write(group.to_string()).await.error, None);
    assert_eq!(
        group_drafts(app, group).await.last().unwrap().stem,
        "And then?"
    );
    assert!(write("999999".into())
        .await
        .error
        .unwrap()
        .field_message("group_id")
        .is_some());
    let (_, _, editor) = app.get(&teacher, "/teach/bank/CITC/questions/new").await;
    assert!(
        editor.contains("Scenario group") && editor.contains("Caller on the overpass (2025)"),
        "{editor}"
    );

    // Retired from the bank page; attendees can do none of it.
    let status = |who: &'static str| {
        let id = group.to_string();
        async move {
            let b = match who {
                "teacher" => app.sign_in("teacher@cit.org", common::PASSWORD).await.0,
                _ => app.sign_up("Jane Doe", "jane@denver.gov").await,
            };
            app.submit(
                &b,
                "/teach/bank/CITC",
                "set_scenario_status",
                &[
                    ("code", "CITC"),
                    ("scenario_id", &id),
                    ("status", "retired"),
                ],
            )
            .await
        }
    };
    assert_eq!(status("attendee").await.error, Some(AppError::Forbidden));
    assert_eq!(status("teacher").await.error, None);
    assert_eq!(groups(app).await[0].3, "retired");
}

async fn the_seeded_911_test_draws_a_scenario_and_is_published(app: &TestApp) {
    cit_server::commands::seed::bank(&app.db).await.unwrap();
    let course: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM courses WHERE code = 'CIT911'").fetch_one(pool).await.unwrap());
    let (exam, _) = app::db::exams::find(&app.db, course).await.unwrap();
    assert_eq!(exam.scenario_groups, 1);
    assert!(exam.published_at.is_some(), "the bank covers the blueprint");
    let bank = app::db::questions::active_bank(&app.db, course)
        .await
        .unwrap();
    let mut sizes = std::collections::BTreeMap::new();
    for q in bank.iter().filter_map(|q| q.group_id) {
        *sizes.entry(q).or_insert(0) += 1;
    }
    assert_eq!(sizes.values().copied().collect::<Vec<_>>(), [3, 3, 3]);
}
