//! Correcting a question version's key and regrading the attempts that drew it, through the
//! pages as a browser without JavaScript uses them, on SQLite and PostgreSQL: the preview
//! lists exactly whose result changes, applying writes exactly that (and audits it), a stale
//! preview or an invalid key changes nothing, and only the course's staff may do it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{attempts, exams, questions, regrade},
    domain::{
        exam_draw::DrawnItem,
        grading::attempt_code,
        question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
        regrade::{Effect, Plan},
        scoring::Response,
    },
    error::AppError,
};
use chrono::{Duration, Utc};
use common::{Browser, TestApp, PASSWORD};
use reqwest::StatusCode;

on_both_databases!(
    the_preview_lists_who_changes_and_apply_writes_exactly_that,
    an_invalid_key_is_refused_next_to_the_field_and_nothing_changes,
    only_the_course_staff_may_regrade,
    a_grade_given_by_hand_is_kept,
);

/// The wrong key: option A at 100%; the right answer is B.
const WRONG: [i64; 3] = [100, 0, 0];
const FIXED: [i64; 3] = [0, 100, 0];

fn single(topic: i64, stem: &str, weights: [i64; 3]) -> QuestionDraft {
    let option = |text: &str, weight_percent| OptionDraft {
        text: text.into(),
        weight_percent,
        feedback: String::new(),
    };
    QuestionDraft {
        topic_id: Some(topic),
        group_id: None,
        kind: QuestionKind::Single,
        title: String::new(),
        stem: stem.into(),
        points: 1,
        explanation: String::new(),
        pin_order: true,
        options: vec![
            option("Answer A", weights[0]),
            option("Answer B", weights[1]),
            option("Answer C", weights[2]),
        ],
    }
}

struct Setup {
    /// The version with the wrong key.
    question: i64,
    /// A question nobody drew.
    undrawn: i64,
    /// (attempt id, seed, person's name), in the order Ann, Ben, Cat.
    attempts: Vec<(i64, i64, &'static str)>,
}

/// A test of four 1-point questions with a pass mark of 75% (3 of 4), where the first has a
/// wrong key, and three finished attempts: Ann picked B (the right answer, scored 0: 2 of 4,
/// fail), Ben and Cat picked A (scored 1: Ben 3 of 4, a pass; Cat 4 of 4).
async fn setup(app: &TestApp) -> Setup {
    let (course, topic): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap());
    let mut qs = vec![single(topic, "Who leads a CIT program?", WRONG)];
    for i in 1..=4 {
        qs.push(single(topic, &format!("Filler {i}"), [100, 0, 0]));
    }
    let ids = questions::insert(
        &app.db,
        course,
        &qs,
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let exam = exams::ExamRecord {
        pass_percent: 75,
        ..exams::ExamRecord::defaults(course)
    };
    exams::save(
        &app.db,
        &exam,
        &[(topic, 4)].into_iter().collect(),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let offering: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM offerings WHERE course_id = $1 ORDER BY id LIMIT 1").bind(course).fetch_one(pool).await.unwrap());
    // (name, option picked on the faulty question, fillers right)
    let people = [
        ("Ann Attendee", 1, [true, true, false]),
        ("Ben Attendee", 0, [true, true, false]),
        ("Cat Attendee", 0, [true, true, true]),
    ];
    let mut attempts_made = Vec::new();
    for (n, (name, pick, fillers)) in people.into_iter().enumerate() {
        let email = format!("person{n}@denver.gov");
        let account = cit_server::commands::user_add::Account {
            email: &email,
            name,
            role: "attendee",
            agency: "Denver Police Department",
        };
        let user = cit_server::commands::user_add::create(&app.db, &account, PASSWORD)
            .await
            .unwrap();
        let compose =
            |_: &app::db::registrations::Recipient, _: &app::db::registrations::Event| None;
        let (registration, _) = app::db::registrations::register(
            &app.db,
            offering,
            user,
            app::domain::catalog::Eligibility::Anyone,
            45_000,
            &Default::default(),
            &compose,
            Utc::now(),
        )
        .await
        .unwrap();
        let items: Vec<DrawnItem> = ids[..4]
            .iter()
            .map(|&question_id| DrawnItem {
                question_id,
                option_order: vec![0, 1, 2],
            })
            .collect();
        let seed = 1000 + i64::try_from(n).unwrap();
        let now = Utc::now();
        let attempt = attempts::start(
            &app.db,
            registration,
            user,
            course,
            seed,
            now,
            now + Duration::minutes(90),
            &items,
        )
        .await
        .unwrap();
        let picks = std::iter::once(pick).chain(fillers.iter().map(|&right| usize::from(!right)));
        for (position, (seq, picked)) in (1_i64..).zip(picks).enumerate() {
            let response = Response::Choice(vec![picked]);
            let position = i64::try_from(position).unwrap();
            attempts::save(
                &app.db,
                attempt,
                user,
                position,
                Some(&response),
                false,
                seq,
                now,
            )
            .await
            .unwrap();
        }
        attempts::finish(&app.db, attempt, "submitted", Utc::now())
            .await
            .unwrap()
            .unwrap();
        attempts_made.push((attempt, seed, name));
    }
    Setup {
        question: ids[0],
        undrawn: ids[4],
        attempts: attempts_made,
    }
}

/// An instructor of the course's first class, signed in.
async fn teacher(app: &TestApp) -> Browser {
    let teacher = app.create_user("teacher@cit.org", "instructor").await;
    let offering: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT o.id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'CITC' ORDER BY o.id LIMIT 1").fetch_one(pool).await.unwrap());
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(offering).bind(teacher).execute(pool).await.map(|_| ()).unwrap());
    app.sign_in("teacher@cit.org", PASSWORD).await.0
}

fn page(question: i64) -> String {
    format!("/teach/bank/CITC/questions/{question}/regrade")
}

/// The page previewing `weights` (the query a GET form sends).
fn preview_url(question: i64, weights: &[&str]) -> String {
    let mut url = format!("{}?preview=1", page(question));
    for (i, w) in weights.iter().enumerate() {
        url.push_str(&format!("&weights%5B{i}%5D={w}"));
    }
    url
}

async fn apply(
    app: &TestApp,
    who: &Browser,
    question: i64,
    weights: &[&str],
    plan: &str,
) -> common::Submitted {
    let q = question.to_string();
    let names: Vec<String> = (0..weights.len())
        .map(|i| format!("weights[{i}]"))
        .collect();
    let mut fields = vec![
        ("code", "CITC"),
        ("question_id", q.as_str()),
        ("plan", plan),
    ];
    fields.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(weights.iter().copied()),
    );
    app.submit(
        who,
        &preview_url(question, weights),
        "apply_regrade",
        &fields,
    )
    .await
}

/// The plan the page carries to its apply form.
fn plan_in(html: &str) -> String {
    html.split("name=\"plan\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the preview carries its plan")
        .to_owned()
}

/// Everything a regrade may write: every option's weight, every item's score, every
/// attempt's (id, score, passed, status), and the number of regrade audit entries.
type Written = (
    Vec<i64>,
    Vec<(i64, Option<i64>)>,
    Vec<(i64, Option<i64>, Option<bool>, String)>,
    i64,
);

async fn state(app: &TestApp) -> Written {
    app::db::on_db!(&app.db, pool => {
        let weights = sqlx::query_scalar("SELECT weight_percent FROM question_options ORDER BY question_id, position").fetch_all(pool).await.unwrap();
        let items = sqlx::query_as("SELECT id, score_centi FROM attempt_items ORDER BY id").fetch_all(pool).await.unwrap();
        let results = sqlx::query_as("SELECT id, score_centi, passed, status FROM attempts ORDER BY id").fetch_all(pool).await.unwrap();
        let audits = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('question.key_corrected', 'attempt.regraded')").fetch_one(pool).await.unwrap();
        (weights, items, results, audits)
    })
}

async fn the_preview_lists_who_changes_and_apply_writes_exactly_that(app: &TestApp) {
    let s = setup(app).await;
    let teacher = teacher(app).await;
    let code = |n: usize| attempt_code(s.attempts[n].1);

    // The editor links here.
    let (_, _, html) = app
        .get(
            &teacher,
            &format!("/teach/bank/CITC/questions/{}", s.question),
        )
        .await;
    assert!(html.contains(&page(s.question)) && html.contains("Correct the key and regrade"));

    // The page shows the key as it is, one labelled field per option.
    let (status, _, html) = app.get(&teacher, &page(s.question)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Who leads a CIT program?")
            && html.contains("3 finished attempts drew this version")
    );
    assert!(html.contains("for=\"field-weight-1\"") && html.contains("name=\"weights[1]\""));

    // The preview: Ann fail → pass, Ben pass → fail, Cat 100% → 75%, by code (no names).
    let (status, _, html) = app
        .get(&teacher, &preview_url(s.question, &["0", "100", "0"]))
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let row = |n: usize| {
        let start = html
            .find(&format!("<th scope=\"row\">{}</th>", code(n)))
            .unwrap_or_else(|| panic!("no row for {}: {html}", code(n)));
        html[start..].split("</tr>").next().unwrap().to_owned()
    };
    assert!(
        row(0).contains("50% → 75%") && row(0).contains("fail → pass"),
        "{}",
        row(0)
    );
    assert!(
        row(1).contains("75% → 50%") && row(1).contains("pass → fail"),
        "{}",
        row(1)
    );
    assert!(
        row(2).contains("100% → 75%") && row(2).contains("score only"),
        "{}",
        row(2)
    );
    assert!(
        !html.contains("Ann Attendee"),
        "instructors see codes, not names"
    );
    assert!(html.contains("Apply the corrected key to 3 attempts"));
    let plan = plan_in(&html);

    // Administrators see names with the codes.
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", PASSWORD).await.0;
    let (_, _, admin_html) = app
        .get(&admin, &preview_url(s.question, &["0", "100", "0"]))
        .await;
    assert!(
        admin_html.contains(&format!("Ann Attendee · {}", code(0))),
        "{admin_html}"
    );
    assert_eq!(plan_in(&admin_html), plan, "the same plan whoever looks");

    // A version nobody drew: no attempt changes.
    let (_, _, html) = app
        .get(&teacher, &preview_url(s.undrawn, &["0", "0", "100"]))
        .await;
    assert!(html.contains("No attempt changes."), "{html}");

    // A plan that is not the one computed now (as if a grade had landed since): refused.
    let before = state(app).await;
    let done = apply(
        app,
        &teacher,
        s.question,
        &["0", "100", "0"],
        "0000000000000000",
    )
    .await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(ref m)) if m.contains("Preview the regrade again")),
        "{done:?}"
    );
    assert_eq!(state(app).await, before, "nothing written");

    // The preview taken just before applying, from the data layer, then the apply.
    let previewed: Plan = regrade::load(&app.db, s.question)
        .await
        .unwrap()
        .unwrap()
        .plan(&FIXED)
        .unwrap();
    assert_eq!(previewed.fingerprint(), plan);
    let effects: Vec<(i64, Effect)> = previewed
        .changes
        .iter()
        .map(|c| (c.attempt_id, c.effect))
        .collect();
    assert_eq!(
        effects,
        vec![
            (s.attempts[0].0, Effect::FailToPass),
            (s.attempts[1].0, Effect::PassToFail),
            (s.attempts[2].0, Effect::ScoreOnly),
        ]
    );
    let done = apply(app, &teacher, s.question, &["0", "100", "0"], &plan).await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!("{}?applied=3", page(s.question)))
    );

    // The database holds exactly the previewed plan.
    let (_, options) = questions::find(&app.db, s.question).await.unwrap().unwrap();
    assert_eq!(
        options.iter().map(|o| o.weight_percent).collect::<Vec<_>>(),
        FIXED
    );
    for c in &previewed.changes {
        let item: Option<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT score_centi FROM attempt_items WHERE id = $1").bind(c.item_id).fetch_one(pool).await.unwrap());
        let (score, passed, status): (Option<i64>, Option<bool>, String) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT score_centi, passed, status FROM attempts WHERE id = $1").bind(c.attempt_id).fetch_one(pool).await.unwrap());
        assert_eq!(
            (item, score, passed, status.as_str()),
            (Some(c.new_item), Some(c.new_score), c.new_passed, "final")
        );
    }
    // Nothing else moved: the other items keep their scores.
    let after = state(app).await;
    let changed_items: Vec<i64> = previewed.changes.iter().map(|c| c.item_id).collect();
    for (old, new) in before.1.iter().zip(&after.1) {
        if !changed_items.contains(&old.0) {
            assert_eq!(old, new);
        }
    }
    // Ann passed now.
    let ann: (Option<i64>, Option<bool>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT score_centi, passed FROM attempts WHERE id = $1").bind(s.attempts[0].0).fetch_one(pool).await.unwrap());
    assert_eq!(ann, (Some(300), Some(true)));

    // Audited: the key with its weights before and after, each attempt with its result.
    let entries: Vec<(String, i64, Option<String>, Option<String>)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT action, entity_id, before_value, after_value FROM audit_log WHERE action IN ('question.key_corrected', 'attempt.regraded') ORDER BY id").fetch_all(pool).await.unwrap());
    assert_eq!(entries.len(), 4, "{entries:?}");
    let key_entry = entries
        .iter()
        .find(|e| e.0 == "question.key_corrected")
        .unwrap();
    assert_eq!(key_entry.1, s.question);
    let json = |v: &Option<String>| {
        serde_json::from_str::<serde_json::Value>(v.as_deref().unwrap()).unwrap()
    };
    assert_eq!(json(&key_entry.2)["weights"], serde_json::json!(WRONG));
    assert_eq!(json(&key_entry.3)["weights"], serde_json::json!(FIXED));
    let ann_entry = entries
        .iter()
        .find(|e| e.0 == "attempt.regraded" && e.1 == s.attempts[0].0)
        .unwrap();
    assert_eq!(
        (
            json(&ann_entry.2)["passed"].clone(),
            json(&ann_entry.3)["passed"].clone()
        ),
        (serde_json::json!(false), serde_json::json!(true))
    );
    assert_eq!(json(&ann_entry.3)["score_centi"], serde_json::json!(300));

    // The page says so, and now shows the corrected key.
    let (_, _, html) = app
        .get(&teacher, &format!("{}?applied=3", page(s.question)))
        .await;
    assert!(html.contains("3 attempts were regraded"), "{html}");
    let field = html
        .split("name=\"weights[1]\"")
        .nth(1)
        .unwrap()
        .split("/>")
        .next()
        .unwrap();
    assert!(field.contains("value=\"100\""), "{field}");
}

async fn an_invalid_key_is_refused_next_to_the_field_and_nothing_changes(app: &TestApp) {
    let s = setup(app).await;
    let teacher = teacher(app).await;
    let before = state(app).await;
    // No option at 100% for a single choice: refused for the weights as a whole.
    let (_, _, html) = app
        .get(&teacher, &preview_url(s.question, &["0", "0", "0"]))
        .await;
    assert!(
        html.contains("id=\"weights-error\"") && html.contains("exactly one option"),
        "{html}"
    );
    assert!(!html.contains("Apply the corrected key"));
    let done = apply(app, &teacher, s.question, &["0", "0", "0"], "x").await;
    let message = done.error.unwrap().field_message("weights").unwrap();
    assert!(message.contains("exactly one option"), "{message}");
    // A weight that is not a number, or out of range: refused next to that option.
    let done = apply(app, &teacher, s.question, &["0", "lots", "0"], "x").await;
    assert!(done.error.unwrap().field_message("weight-1").is_some());
    let (_, _, html) = app
        .get(&teacher, &preview_url(s.question, &["0", "150", "0"]))
        .await;
    assert!(html.contains("id=\"weight-1-error\""), "{html}");
    // The weights in place now: nothing to correct.
    let done = apply(app, &teacher, s.question, &["100", "0", "0"], "x").await;
    assert!(done
        .error
        .unwrap()
        .field_message("weights")
        .unwrap()
        .contains("in place now"));
    assert_eq!(state(app).await, before, "nothing changed");
}

async fn only_the_course_staff_may_regrade(app: &TestApp) {
    let s = setup(app).await;
    let before = state(app).await;
    let url = preview_url(s.question, &["0", "100", "0"]);
    // The plan is real: a refusal is about who asks, not what they send.
    let plan = regrade::load(&app.db, s.question)
        .await
        .unwrap()
        .unwrap()
        .plan(&FIXED)
        .unwrap()
        .fingerprint();

    let attendee = app.sign_up("Jane Doe", "jane@denver.gov").await;
    app.create_user("other@cit.org", "instructor").await;
    let other = app.sign_in("other@cit.org", PASSWORD).await.0;
    for who in [&attendee, &other] {
        let (status, _, html) = app.get(who, &url).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!html.contains(&attempt_code(s.attempts[0].1)));
        let done = apply(app, who, s.question, &["0", "100", "0"], &plan).await;
        assert_eq!(done.error, Some(AppError::Forbidden));
    }
    let visitor = app.browser();
    let done = apply(app, &visitor, s.question, &["0", "100", "0"], &plan).await;
    assert_eq!(done.error, Some(AppError::Unauthenticated));
    assert_eq!(state(app).await, before, "nothing changed");

    // The course's instructor may; a question of another course is not found through this one.
    let teacher = teacher(app).await;
    let (status, _, _) = app.get(&teacher, &url).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app
        .get(
            &teacher,
            &preview_url(s.question, &["0", "100", "0"]).replace("/CITC/", "/CIT911/"),
        )
        .await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
}

async fn a_grade_given_by_hand_is_kept(app: &TestApp) {
    let s = setup(app).await;
    let teacher = teacher(app).await;
    // An instructor graded Ben's answer to the faulty question by hand (1 point).
    let ben = s.attempts[1].0;
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE attempt_items SET graded_at = $1 WHERE attempt_id = $2 AND question_id = $3").bind(Utc::now()).bind(ben).bind(s.question).execute(pool).await.map(|_| ()).unwrap());
    let (_, _, html) = app
        .get(&teacher, &preview_url(s.question, &["0", "100", "0"]))
        .await;
    assert!(!html.contains(&attempt_code(s.attempts[1].1)), "{html}");
    assert!(
        html.contains("1 attempt graded by hand keeps its grade."),
        "{html}"
    );
    assert!(html.contains("Apply the corrected key to 2 attempts"));
    let done = apply(
        app,
        &teacher,
        s.question,
        &["0", "100", "0"],
        &plan_in(&html),
    )
    .await;
    assert_eq!(done.error, None);
    let kept: (Option<i64>, Option<bool>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT score_centi, passed FROM attempts WHERE id = $1").bind(ben).fetch_one(pool).await.unwrap());
    assert_eq!(kept, (Some(300), Some(true)));
}
