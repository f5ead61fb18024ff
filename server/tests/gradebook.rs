//! The gradebook of a class and the item analysis of a test, on both databases: the rows a
//! class's staff see on the page and in the CSV, the statistics once ten attempts are final
//! (and the plain "not enough" before), and who is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{
        attempts,
        attendance::{NewMark, Source},
        questions,
    },
    domain::{
        attendance_rule::AttendanceStatus,
        exam_draw::DrawnItem,
        question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
        scoring::Response,
    },
    error::AppError,
};
use chrono::{Duration, Utc};
use common::{Browser, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    the_gradebook_shows_each_person_on_the_page_and_in_the_csv,
    only_the_people_who_run_the_class_see_its_gradebook,
    item_analysis_waits_for_ten_final_attempts_then_shows_the_statistics,
    only_bank_staff_see_item_analysis,
);

/// The coordinator course's id and its first topic's id.
async fn course(app: &TestApp) -> (i64, i64) {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap())
}

/// The seeded coordinator classes, first one first.
async fn classes(app: &TestApp) -> Vec<i64> {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT o.id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'CITC' ORDER BY o.id").fetch_all(pool).await.unwrap())
}

/// Signs `name` up and registers them for `offering`: (browser, registration id, user id).
async fn registered(app: &TestApp, offering: i64, name: &str, email: &str) -> (Browser, i64, i64) {
    let b = app.sign_up(name, email).await;
    let done = app
        .submit(
            &b,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    let (registration, user): (i64, i64) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT r.id, r.user_id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1").bind(email).fetch_one(pool).await.unwrap());
    (b, registration, user)
}

/// An instructor assigned to `offering`, signed in.
async fn instructor(app: &TestApp, offering: i64, email: &str) -> Browser {
    let id = app.create_user(email, "instructor").await;
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(offering).bind(id).execute(pool).await.map(|_| ()).unwrap());
    app.sign_in(email, common::PASSWORD).await.0
}

/// `n` active single-choice questions ("Question 0", ...), the right option written first.
async fn bank(app: &TestApp, n: usize) -> Vec<i64> {
    let (course, topic) = course(app).await;
    let option = |text: &str, weight: i64| OptionDraft {
        text: text.into(),
        weight_percent: weight,
        feedback: String::new(),
    };
    let drafts: Vec<QuestionDraft> = (0..n)
        .map(|i| QuestionDraft {
            topic_id: Some(topic),
            group_id: None,
            kind: QuestionKind::Single,
            title: String::new(),
            stem: format!("Question {i}"),
            points: 1,
            explanation: String::new(),
            pin_order: false,
            options: vec![
                option("Right", 100),
                option("Wrong", 0),
                option("Also wrong", 0),
            ],
        })
        .collect();
    questions::insert(
        &app.db,
        course,
        &drafts,
        QuestionStatus::Active,
        None,
        Utc::now(),
    )
    .await
    .unwrap()
}

/// A finished attempt of `registration` on `questions`, answering question i right when
/// `right(i)`. Options are shown shuffled; the saved answer holds the written index (0 is
/// right, 1 wrong).
async fn final_attempt(
    app: &TestApp,
    registration: i64,
    user: i64,
    questions: &[i64],
    right: impl Fn(usize) -> bool,
) {
    let (course, _) = course(app).await;
    let items: Vec<DrawnItem> = questions
        .iter()
        .map(|&question_id| DrawnItem {
            question_id,
            option_order: vec![2, 0, 1],
        })
        .collect();
    let now = Utc::now();
    let id = attempts::start(
        &app.db,
        registration,
        user,
        course,
        7,
        now,
        now + Duration::minutes(60),
        &items,
    )
    .await
    .unwrap();
    for i in 0..questions.len() {
        let answer = Response::Choice(vec![if right(i) { 0 } else { 1 }]);
        let position = i64::try_from(i).unwrap();
        attempts::save(
            &app.db,
            id,
            user,
            position,
            Some(&answer),
            false,
            position + 1,
            now,
        )
        .await
        .unwrap();
    }
    let done = attempts::finish(&app.db, id, "submitted", now)
        .await
        .unwrap()
        .unwrap();
    assert!(done.passed.is_some(), "final, not waiting for grading");
}

/// The table row (`<tr>...</tr>`) of `page` that mentions `text`.
fn row<'a>(page: &'a str, text: &str) -> &'a str {
    page.split("<tr")
        .find(|r| r.contains(text))
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row with {text:?} in {page}"))
}

async fn the_gradebook_shows_each_person_on_the_page_and_in_the_csv(app: &TestApp) {
    let offering = classes(app).await[0];
    let (_, zoe, zoe_user) = registered(app, offering, "Zoe Zimmer", "zoe@denver.gov").await;
    registered(app, offering, "Blake Brown", "blake@denver.gov").await;
    let teacher = instructor(app, offering, "teacher@cit.org").await;
    // Zoe attended both sessions in full and passed on her first attempt; Blake has done
    // neither yet.
    let meetings: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1").bind(offering).fetch_all(pool).await.unwrap());
    assert_eq!(meetings.len(), 2);
    for m in meetings {
        let mark = NewMark {
            registration_id: zoe,
            status: AttendanceStatus::Present,
            minutes: 240,
            note: String::new(),
        };
        app::db::attendance::record_marks(&app.db, m, &[mark], Source::RollCall, None, Utc::now())
            .await
            .unwrap();
    }
    let qs = bank(app, 3).await;
    final_attempt(app, zoe, zoe_user, &qs, |_| true).await;

    // The class page links to it.
    let (_, _, class) = app
        .get(&teacher, &format!("/teach/offerings/{offering}"))
        .await;
    let path = format!("/teach/offerings/{offering}/gradebook");
    assert!(class.contains(&format!("href=\"{path}\"")), "{class}");

    let (status, _, page) = app.get(&teacher, &path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Gradebook: CIT Coordinator Certification"),
        "{page}"
    );
    let passed = row(&page, "Zoe Zimmer");
    for cell in [
        "zoe@denver.gov",
        "Denver Police Department",
        "Confirmed",
        "2 of 2 sessions, 100%",
        "1 of 2",
        "100%",
        ">Yes<",
    ] {
        assert!(passed.contains(cell), "{cell:?} missing from {passed}");
    }
    let waiting = row(&page, "Blake Brown");
    for cell in [
        "0 of 2 sessions, 0%",
        "Session 1: attendance is not recorded yet.",
        "0 of 2",
        "None yet",
        "No (not attempted)",
    ] {
        assert!(waiting.contains(cell), "{cell:?} missing from {waiting}");
    }
    // By name Blake comes first; by best score Zoe does.
    assert!(page.find("Blake Brown") < page.find("Zoe Zimmer"));
    let (_, _, by_score) = app.get(&teacher, &format!("{path}?sort=score")).await;
    assert!(by_score.find("Zoe Zimmer") < by_score.find("Blake Brown"));
    assert!(by_score.contains("aria-sort=\"descending\""), "{by_score}");

    let response = teacher
        .get(app.url(&format!("{path}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert_eq!(
        lines[0],
        "Name,Email,Agency,Registration status,Attendance,Attendance rule met,Why not,Attempts used,Attempts allowed,Best score (%),Passed,Last attempt"
    );
    assert!(
        lines[1].starts_with("Blake Brown,blake@denver.gov,Denver Police Department,Confirmed,\"0 of 2 sessions, 0%\",No,Session 1: attendance is not recorded yet."),
        "{body}"
    );
    assert!(lines[1].ends_with(",0,2,,No (not attempted),"), "{body}");
    let (start, date) = lines[2].rsplit_once(',').unwrap();
    assert_eq!(
        start,
        "Zoe Zimmer,zoe@denver.gov,Denver Police Department,Confirmed,\"2 of 2 sessions, 100%\",Yes,,1,2,100,Yes"
    );
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{date}"
    );
    // Sorted by best score, as on the page.
    let by_score = teacher
        .get(app.url(&format!("{path}.csv?sort=score")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        by_score.lines().nth(1).unwrap().starts_with("Zoe Zimmer,"),
        "{by_score}"
    );
}

async fn only_the_people_who_run_the_class_see_its_gradebook(app: &TestApp) {
    let all = classes(app).await;
    let (offering, elsewhere) = (all[0], all[1]);
    let (attendee, _, _) = registered(app, offering, "Blake Brown", "blake@denver.gov").await;
    let other = instructor(app, elsewhere, "other@cit.org").await;
    let path = format!("/teach/offerings/{offering}/gradebook");
    for who in [&attendee, &other, &app.browser()] {
        let (status, _, _) = app.get(who, &path).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
            "{status}"
        );
        let done = app
            .submit(
                who,
                &path,
                "gradebook",
                &[("offering_id", &offering.to_string())],
            )
            .await;
        assert!(
            matches!(
                done.error,
                Some(AppError::Unauthenticated | AppError::Forbidden)
            ),
            "{:?}",
            done.error
        );
        let csv = who
            .get(app.url(&format!("{path}.csv")))
            .send()
            .await
            .unwrap();
        assert_ne!(csv.status(), StatusCode::OK);
        assert!(!csv.text().await.unwrap().contains("Blake Brown"));
    }
    // The other instructor sees their own class; an administrator sees any.
    let (status, _, _) = app
        .get(&other, &format!("/teach/offerings/{elsewhere}/gradebook"))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let (status, _, page) = app.get(&admin, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Blake Brown"));
    let csv = admin
        .get(app.url(&format!("{path}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
}

async fn item_analysis_waits_for_ten_final_attempts_then_shows_the_statistics(app: &TestApp) {
    let qs = bank(app, 5).await;
    let offering = classes(app).await[0];
    let staff = instructor(app, offering, "teacher@cit.org").await;
    // Attempt k answers questions 0-3 right when k > i (stronger attempts know more), and
    // question 4 right only when k < 3: the weakest do best on it, a sign of a wrong key.
    let right = |k: usize| move |i: usize| if i < 4 { k > i } else { k < 3 };
    let mut people = Vec::new();
    for k in 0..10 {
        let user = app
            .create_user(&format!("p{k}@denver.gov"), "attendee")
            .await;
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
        people.push((registration, user));
    }
    for (k, (registration, user)) in people.iter().enumerate().take(3) {
        final_attempt(app, *registration, *user, &qs, right(k)).await;
    }
    let (bank_status, _, bank_page) = app.get(&staff, "/teach/bank/CITC").await;
    assert_eq!(bank_status, StatusCode::OK);
    assert!(
        bank_page.contains("href=\"/teach/bank/CITC/analysis\""),
        "{bank_page}"
    );
    let (status, _, page) = app.get(&staff, "/teach/bank/citc/analysis").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Item analysis needs at least 10 finished attempts; this test has 3."),
        "{page}"
    );

    for (k, (registration, user)) in people.iter().enumerate().skip(3) {
        final_attempt(app, *registration, *user, &qs, right(k)).await;
    }
    let (status, _, page) = app.get(&staff, "/teach/bank/CITC/analysis").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains("needs at least 10"), "{page}");
    // Scores 1, 2, 3, 3 and six 4s of 5: mean 33 / 50 = 66%.
    assert!(page.contains("66.00%"), "{page}");
    assert!(page.contains("role=\"img\""), "{page}");
    assert!(
        page.contains("aria-label=\"Histogram of the scores of 10 attempts"),
        "{page}"
    );
    assert!(row(&page, ">80–89%<").contains(">6<"), "{page}");
    // Question 0: nine of ten right, the weak attempt wrong.
    let q0 = row(&page, "Question 0");
    assert!(q0.contains(">10<") && q0.contains("0.90"), "{q0}");
    assert!(q0.contains("No concerns"), "{q0}");
    assert!(
        q0.contains("A. Right (earns 100%) · chosen 9 (90%)"),
        "{q0}"
    );
    let q4 = row(&page, "Question 4");
    assert!(q4.contains("0.30"), "{q4}");
    assert!(
        q4.contains("Negative discrimination: review this question"),
        "{q4}"
    );
    assert!(
        page.contains("1 question with negative discrimination"),
        "{page}"
    );
}

async fn only_bank_staff_see_item_analysis(app: &TestApp) {
    let offering = classes(app).await[0];
    let (attendee, _, _) = registered(app, offering, "Blake Brown", "blake@denver.gov").await;
    for who in [&attendee, &app.browser()] {
        let (status, _, page) = app.get(who, "/teach/bank/CITC/analysis").await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
            "{status}"
        );
        assert!(!page.contains("Item analysis needs"), "{page}");
        let done = app
            .submit(
                who,
                "/teach/bank/CITC/analysis",
                "item_analysis",
                &[("code", "CITC")],
            )
            .await;
        assert!(
            matches!(
                done.error,
                Some(AppError::Unauthenticated | AppError::Forbidden)
            ),
            "{:?}",
            done.error
        );
    }
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let (status, _, page) = app.get(&admin, "/teach/bank/CITC/analysis").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("this test has 0."), "{page}");
}
