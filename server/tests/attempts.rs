//! The question bank and attempts in the data layer, on SQLite and PostgreSQL: versions,
//! a frozen draw, saves with sequence numbers, finishing once, scoring, and saves racing the
//! finish without losing an acknowledged answer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{
        attempts::{self, SaveError},
        questions,
    },
    domain::{
        exam_draw::{draw, Blueprint},
        question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
        scoring::Response,
    },
};
use chrono::{Duration, Utc};
use common::TestApp;

on_both_databases!(
    editing_an_active_question_makes_a_new_version,
    an_attempt_is_drawn_saved_finished_and_scored_once,
    saves_are_refused_when_stale_late_or_after_the_finish,
    saves_racing_the_finish_are_either_scored_or_refused,
    saves_written_together_are_answered_each_on_its_own,
);

fn option(text: &str, weight: i64) -> OptionDraft {
    OptionDraft {
        text: text.into(),
        weight_percent: weight,
        feedback: String::new(),
    }
}

fn single(topic: i64, stem: &str) -> QuestionDraft {
    QuestionDraft {
        topic_id: Some(topic),
        group_id: None,
        kind: QuestionKind::Single,
        title: String::new(),
        stem: stem.into(),
        points: 1,
        explanation: String::new(),
        pin_order: false,
        options: vec![
            option("Right", 100),
            option("Wrong", 0),
            option("Also wrong", 0),
        ],
    }
}

/// The coordinator course's id and its first topic's id.
async fn course(app: &TestApp) -> (i64, i64) {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT c.id, t.id FROM courses c JOIN course_topics t ON t.course_id = c.id WHERE c.code = 'CITC' ORDER BY t.position LIMIT 1").fetch_one(pool).await.unwrap())
}

/// A confirmed registration for the first coordinator class: (registration id, user id).
async fn registration(app: &TestApp, email: &str) -> (i64, i64) {
    let user = app.create_user(email, "attendee").await;
    let offering: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT o.id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'CITC' ORDER BY o.id LIMIT 1").fetch_one(pool).await.unwrap());
    let compose = |_: &app::db::registrations::Recipient, _: &app::db::registrations::Event| None;
    let (id, _) = app::db::registrations::register(
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
    (id, user)
}

async fn editing_an_active_question_makes_a_new_version(app: &TestApp) {
    let (course, topic) = course(app).await;
    let admin = app.create_user("chief@cit.org", "admin").await;
    let ids = questions::insert(
        &app.db,
        course,
        &[single(topic, "Version one")],
        QuestionStatus::Active,
        Some(admin),
        Utc::now(),
    )
    .await
    .unwrap();
    let first = ids[0];
    let second = questions::revise(
        &app.db,
        first,
        &single(topic, "Version two"),
        admin,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_ne!(first, second);
    let (old, _) = questions::find(&app.db, first).await.unwrap().unwrap();
    let (new, options) = questions::find(&app.db, second).await.unwrap().unwrap();
    assert_eq!((old.status.as_str(), old.version), ("retired", 1));
    assert_eq!(
        (new.status.as_str(), new.version, new.family_id),
        ("active", 2, Some(first))
    );
    assert_eq!(options.len(), 3);
    // The list shows the current version only; the old one cannot be edited.
    let listed: Vec<i64> = questions::list(&app.db, course)
        .await
        .unwrap()
        .iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(listed, vec![second]);
    assert!(
        questions::revise(&app.db, first, &single(topic, "x"), admin, Utc::now())
            .await
            .is_err()
    );
    // A draft changes in place.
    let draft = questions::insert(
        &app.db,
        course,
        &[single(topic, "Draft")],
        QuestionStatus::Draft,
        Some(admin),
        Utc::now(),
    )
    .await
    .unwrap()[0];
    assert_eq!(
        questions::revise(
            &app.db,
            draft,
            &single(topic, "Draft, edited"),
            admin,
            Utc::now()
        )
        .await
        .unwrap(),
        draft
    );
    assert_eq!(
        questions::active_bank(&app.db, course).await.unwrap().len(),
        1,
        "drafts are not drawn"
    );
}

/// Five active questions on one topic, a blueprint of three, and a started attempt.
async fn started(app: &TestApp, email: &str, minutes: i64) -> (i64, i64, Vec<i64>) {
    let (course, topic) = course(app).await;
    let qs: Vec<QuestionDraft> = (0..5)
        .map(|i| single(topic, &format!("Question {i}")))
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
    let bank = questions::active_bank(&app.db, course).await.unwrap();
    let blueprint = Blueprint {
        per_topic: [(topic, 3)].into_iter().collect(),
        scenario_groups: 0,
        shuffle_questions: true,
        shuffle_options: true,
    };
    let drawn = draw(&bank, &blueprint, 7).unwrap();
    let (registration, user) = registration(app, email).await;
    let now = Utc::now();
    let id = attempts::start(
        &app.db,
        registration,
        user,
        course,
        7,
        now,
        now + Duration::minutes(minutes),
        &drawn,
    )
    .await
    .unwrap();
    (id, user, drawn.iter().map(|d| d.question_id).collect())
}

/// The response that picks the right (or a wrong) option of item `position`.
async fn answer(app: &TestApp, attempt: i64, position: usize, right: bool) -> Response {
    let items = attempts::items(&app.db, attempt).await.unwrap();
    let item = &items[position];
    let (_, options) = questions::find(&app.db, item.question_id)
        .await
        .unwrap()
        .unwrap();
    let written = options
        .iter()
        .position(|o| (o.weight_percent == 100) == right)
        .unwrap();
    Response::Choice(vec![written])
}

async fn an_attempt_is_drawn_saved_finished_and_scored_once(app: &TestApp) {
    let (attempt, user, drawn) = started(app, "jane@denver.gov", 90).await;
    let items = attempts::items(&app.db, attempt).await.unwrap();
    assert_eq!(
        items.iter().map(|i| i.question_id).collect::<Vec<_>>(),
        drawn,
        "the draw is frozen in order"
    );
    assert!(items.iter().all(|i| i.order().len() == 3));
    // A second start for the same registration is refused while this one runs.
    let a = attempts::find_for_user(&app.db, attempt, user)
        .await
        .unwrap()
        .unwrap();
    let again = attempts::start(
        &app.db,
        a.registration_id,
        user,
        a.course_id,
        8,
        Utc::now(),
        Utc::now(),
        &[],
    )
    .await;
    assert!(matches!(again, Err(attempts::StartError::AlreadyRunning)));
    // Someone else cannot see it.
    assert!(attempts::find_for_user(&app.db, attempt, user + 1000)
        .await
        .unwrap()
        .is_none());

    let right = answer(app, attempt, 0, true).await;
    let wrong = answer(app, attempt, 1, false).await;
    attempts::save(
        &app.db,
        attempt,
        user,
        0,
        Some(&right),
        false,
        1,
        Utc::now(),
    )
    .await
    .unwrap();
    attempts::save(&app.db, attempt, user, 1, Some(&wrong), true, 2, Utc::now())
        .await
        .unwrap();
    let done = attempts::finish(&app.db, attempt, "submitted", Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (done.score_centi, done.max_centi, done.passed),
        (100, 300, Some(false))
    );
    assert!(
        attempts::finish(&app.db, attempt, "deadline", Utc::now())
            .await
            .unwrap()
            .is_none(),
        "finished once"
    );
    let a = attempts::find_for_user(&app.db, attempt, user)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.status.as_str(), a.finished_by.as_deref(), a.score_centi),
        ("final", Some("submitted"), Some(100))
    );
    let items = attempts::items(&app.db, attempt).await.unwrap();
    assert_eq!(
        items.iter().map(|i| i.score_centi).collect::<Vec<_>>(),
        vec![Some(100), Some(0), Some(0)]
    );
    assert!(items[1].flagged);
}

async fn saves_are_refused_when_stale_late_or_after_the_finish(app: &TestApp) {
    let (attempt, user, _) = started(app, "jane@denver.gov", 90).await;
    let right = answer(app, attempt, 0, true).await;
    attempts::save(
        &app.db,
        attempt,
        user,
        0,
        Some(&right),
        false,
        5,
        Utc::now(),
    )
    .await
    .unwrap();
    // An older tab's save (lower sequence) never overwrites the newer answer.
    let wrong = answer(app, attempt, 0, false).await;
    assert!(matches!(
        attempts::save(
            &app.db,
            attempt,
            user,
            0,
            Some(&wrong),
            false,
            4,
            Utc::now()
        )
        .await,
        Err(SaveError::Stale)
    ));
    assert_eq!(
        attempts::items(&app.db, attempt).await.unwrap()[0].response(),
        Some(right.clone())
    );
    // Another person's save is refused as not found.
    assert!(matches!(
        attempts::save(&app.db, attempt, user + 1000, 0, None, false, 9, Utc::now()).await,
        Err(SaveError::NotFound)
    ));
    // After the deadline plus 30 seconds: too late; within the grace: taken.
    let deadline = attempts::find_for_user(&app.db, attempt, user)
        .await
        .unwrap()
        .unwrap()
        .deadline_at;
    let right_1 = answer(app, attempt, 1, true).await;
    attempts::save(
        &app.db,
        attempt,
        user,
        1,
        Some(&right_1),
        false,
        6,
        deadline + Duration::seconds(29),
    )
    .await
    .unwrap();
    assert!(matches!(
        attempts::save(
            &app.db,
            attempt,
            user,
            1,
            None,
            false,
            7,
            deadline + Duration::seconds(31)
        )
        .await,
        Err(SaveError::TooLate)
    ));
    // The deadline job finds it and finishes it with the saved answers.
    let overdue = attempts::overdue(&app.db, deadline + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(overdue, vec![attempt]);
    let done = attempts::finish(
        &app.db,
        attempt,
        "deadline",
        deadline + Duration::minutes(1),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(done.score_centi, 200, "both answers saved in time count");
    assert!(matches!(
        attempts::save(&app.db, attempt, user, 2, None, false, 8, Utc::now()).await,
        Err(SaveError::Finished)
    ));
}

async fn saves_racing_the_finish_are_either_scored_or_refused(app: &TestApp) {
    for round in 0..5 {
        let (attempt, user, _) = started(app, &format!("racer{round}@denver.gov"), 90).await;
        let right: Vec<Response> = futures_join(app, attempt).await;
        let db = app.db.clone();
        let saves = (0..3)
            .map(|i| {
                let db = db.clone();
                let r = right[i].clone();
                tokio::spawn(async move {
                    attempts::save(
                        &db,
                        attempt,
                        user,
                        i64::try_from(i).unwrap(),
                        Some(&r),
                        false,
                        i64::try_from(i).unwrap() + 1,
                        Utc::now(),
                    )
                    .await
                    .is_ok()
                })
            })
            .collect::<Vec<_>>();
        let finish = {
            let db = db.clone();
            tokio::spawn(async move {
                attempts::finish(&db, attempt, "submitted", Utc::now())
                    .await
                    .unwrap()
            })
        };
        let mut acknowledged = 0;
        for s in saves {
            if s.await.unwrap() {
                acknowledged += 1;
            }
        }
        let finished = finish.await.unwrap().expect("finished once");
        // Each acknowledged save is a right answer, and each is in the score.
        assert_eq!(finished.score_centi, acknowledged * 100, "round {round}");
        let stored = attempts::items(&app.db, attempt)
            .await
            .unwrap()
            .iter()
            .filter(|i| i.response.is_some())
            .count();
        assert_eq!(
            i64::try_from(stored).unwrap(),
            acknowledged,
            "round {round}"
        );
    }
}

/// The right response for each of the attempt's three items.
async fn futures_join(app: &TestApp, attempt: i64) -> Vec<Response> {
    let mut out = Vec::new();
    for i in 0..3 {
        out.push(answer(app, attempt, i, true).await);
    }
    out
}

/// Saves arriving together are written in one transaction; each still gets its own answer
/// (taken, stale, finished, not yours), one refusal spoils nothing else, and the newest of a
/// burst from one tab is what stays.
async fn saves_written_together_are_answered_each_on_its_own(app: &TestApp) {
    let (running, user, _) = started(app, "burst@denver.gov", 90).await;
    let (finished, finished_user, _) = started(app, "done@denver.gov", 90).await;
    let (other, other_user, _) = started(app, "other@denver.gov", 90).await;
    attempts::finish(&app.db, finished, "submitted", Utc::now())
        .await
        .unwrap()
        .unwrap();
    let right = answer(app, running, 0, true).await;
    let wrong = answer(app, running, 0, false).await;
    let other_right = answer(app, other, 1, true).await;

    let mut burst = Vec::new();
    for seq in 1..=60_i64 {
        let db = app.db.clone();
        // The last (and highest) save is the right answer.
        let response = if seq % 2 == 0 {
            right.clone()
        } else {
            wrong.clone()
        };
        burst.push(tokio::spawn(async move {
            let saved = attempts::save(
                &db,
                running,
                user,
                0,
                Some(&response),
                false,
                seq,
                Utc::now(),
            )
            .await;
            (seq, saved)
        }));
    }
    let db = app.db.clone();
    let late = tokio::spawn(async move {
        attempts::save(&db, finished, finished_user, 0, None, false, 99, Utc::now()).await
    });
    let db = app.db.clone();
    let not_yours = tokio::spawn(async move {
        attempts::save(&db, other, user, 0, None, false, 99, Utc::now()).await
    });
    let db = app.db.clone();
    let r = other_right.clone();
    let mine = tokio::spawn(async move {
        attempts::save(&db, other, other_user, 1, Some(&r), true, 1, Utc::now()).await
    });

    let mut taken = 0;
    for handle in burst {
        let (seq, saved) = handle.await.unwrap();
        match saved {
            Ok(()) => taken += 1,
            Err(SaveError::Stale) => assert_ne!(seq, 60, "the newest save is never stale"),
            Err(e) => panic!("save {seq}: unexpected {e:?}"),
        }
    }
    assert!(matches!(late.await.unwrap(), Err(SaveError::Finished)));
    assert!(matches!(not_yours.await.unwrap(), Err(SaveError::NotFound)));
    mine.await
        .unwrap()
        .expect("a save beside refused ones is taken");

    let items = attempts::items(&app.db, running).await.unwrap();
    assert_eq!(
        items[0].response.as_deref(),
        Some(serde_json::to_string(&right).unwrap().as_str()),
        "the newest answer stays"
    );
    let logged: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM attempt_saves WHERE attempt_id = $1").bind(running).fetch_one(pool).await.unwrap());
    assert_eq!(logged, taken, "one log row per save taken");
    let other_items = attempts::items(&app.db, other).await.unwrap();
    assert!(other_items[1].flagged && other_items[1].response.is_some());
}
