//! Course evaluations on both databases: sent once, only by the person with a confirmed seat,
//! only after the class ended (a second send, two sends at the same instant, another
//! person's registration, a cancelled or waitlisted one, a class not yet over); a missing
//! rating named next to its item with the answers kept; results (means, counts, response
//! rates) checked against seeded answers, each chart's SVG holding its table's numbers;
//! testimonials published only with consent, audited, shown on the course page and gone when
//! withdrawn; the invitation mailed once through a real SMTP listener.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    domain::evaluation::{Answers, KIND_INVITATION},
    error::AppError,
};
use chrono::{DateTime, Duration, Utc};
use common::{smtp_sink::deliver_from_two_servers, Browser, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    an_evaluation_is_sent_once_by_the_person_with_the_seat,
    a_missing_rating_is_named_next_to_its_item_and_the_answers_kept,
    results_match_the_seeded_answers,
    testimonials_need_consent_and_show_on_the_course_page,
    the_invitation_is_mailed_once,
);

/// A course of the test's own, so that no seeded class mixes into its results.
async fn course(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO courses (code, title, kind, summary, description, hours, fee_cents, includes_membership, eligibility, format, position, created_at, updated_at) \
         VALUES ('EVAL', 'Evaluation practice', 'training', 'A course.', 'A course.', 8, 0, FALSE, 'anyone', 'Online, live', 99, $1, $1) RETURNING id",
    ).bind(Utc::now()).fetch_one(pool).await.unwrap())
}

/// A class of `course` with two four-hour sessions on consecutive days, the first starting
/// `from_now` from now (negative: in the past).
async fn class(app: &TestApp, course: i64, from_now: Duration) -> i64 {
    let now = Utc::now();
    let first = now + from_now;
    app::db::on_db!(&app.db, pool => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO offerings (course_id, capacity, seats_taken, registration_opens_at, registration_closes_at, status, created_at, updated_at) \
             VALUES ($1, 20, 0, $2, $2, 'scheduled', $2, $2) RETURNING id")
            .bind(course).bind(first - Duration::days(30)).fetch_one(pool).await.unwrap();
        for day in 0..2 {
            let starts = first + Duration::days(day);
            sqlx::query("INSERT INTO meetings (offering_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                .bind(id).bind(starts).bind(starts + Duration::hours(4)).execute(pool).await.unwrap();
        }
        id
    })
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(pool).await.unwrap())
}

/// A person without a browser (results need none).
async fn person(app: &TestApp, name: &str, email: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, agency, created_at, updated_at, email_verified_at) VALUES ($1, $2, 'x', 'Denver Police Department', $3, $3, $3) RETURNING id")
        .bind(email).bind(name).bind(Utc::now()).fetch_one(pool).await.unwrap())
}

/// `user`'s registration in `offering` with `status`.
async fn seat(app: &TestApp, offering: i64, user: i64, status: &str) -> i64 {
    let holds = matches!(status, "confirmed" | "pending_approval");
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO registrations (offering_id, user_id, status, holds_seat, amount_due_cents, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id")
        .bind(offering).bind(user).bind(status).bind(holds).bind(Utc::now()).fetch_one(pool).await.unwrap())
}

/// Someone signed up (name and agency as the sign-up helper gives them) with a seat of
/// `status` in `offering`: (browser, registration).
async fn attendee(
    app: &TestApp,
    name: &str,
    email: &str,
    offering: i64,
    status: &str,
) -> (Browser, i64) {
    let b = app.sign_up(name, email).await;
    let registration = seat(app, offering, user_id(app, email).await, status).await;
    (b, registration)
}

async fn evaluations(app: &TestApp, registration: i64) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM evaluations WHERE registration_id = $1").bind(registration).fetch_one(pool).await.unwrap())
}

/// Every field of a complete form for `registration`.
fn full_form(registration: &str) -> Vec<(&'static str, String)> {
    vec![
        ("registration_id", registration.to_owned()),
        ("content", "4".into()),
        ("presenters", "5".into()),
        ("balance", "3".into()),
        ("relevance", "5".into()),
        ("overall", "4".into()),
        ("comment", "Great role plays.".into()),
        ("consent", "on".into()),
    ]
}

async fn send(
    app: &TestApp,
    b: &Browser,
    registration: i64,
    fields: &[(&'static str, String)],
) -> common::Submitted {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = format!("/registrations/{registration}/evaluation");
    app.submit(b, &page, "send_evaluation", &fields).await
}

fn is_conflict(e: &Option<AppError>, words: &str) -> bool {
    matches!(e, Some(AppError::Conflict(m)) if m.contains(words))
}

async fn an_evaluation_is_sent_once_by_the_person_with_the_seat(app: &TestApp) {
    let course = course(app).await;
    let ended = class(app, course, -Duration::days(3)).await;
    let upcoming = class(app, course, Duration::days(5)).await;
    let (ada, ada_reg) = attendee(app, "Ada Lovelace", "ada@eval.test", ended, "confirmed").await;
    let (bo, bo_reg) = attendee(app, "Bo Brandt", "bo@eval.test", ended, "confirmed").await;
    let (cy, cy_reg) = attendee(app, "Cy Cancel", "cy@eval.test", ended, "cancelled").await;
    let (di, di_reg) = attendee(app, "Di Wait", "di@eval.test", ended, "waitlisted").await;
    let (ed, ed_reg) = attendee(app, "Ed Early", "ed@eval.test", upcoming, "confirmed").await;
    let page = format!("/registrations/{ada_reg}/evaluation");

    // The dashboard asks; the page has the form: five fieldsets, the consent and its signature.
    let (_, _, html) = app.get(&ada, "/dashboard").await;
    assert!(
        html.contains("Tell us how your class went") && html.contains(&page),
        "{html}"
    );
    let (status, _, html) = app.get(&ada, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<legend>").count(), 5, "{html}");
    assert_eq!(html.matches("type=\"radio\"").count(), 25);
    assert!(html.contains("You may publish my comment on the course page"));
    assert!(html.contains("“Ada, Denver Police Department”"), "{html}");

    // Sent complete: stored once, the page and the dashboard say so.
    let done = send(app, &ada, ada_reg, &full_form(&ada_reg.to_string())).await;
    assert_eq!(done.error, None);
    assert_eq!(done.location, Some(format!("{page}?sent=1")));
    assert_eq!(evaluations(app, ada_reg).await, 1);
    let (_, _, html) = app.get(&ada, &format!("{page}?sent=1")).await;
    assert!(
        html.contains("Thank you: your evaluation was sent."),
        "{html}"
    );
    assert!(html.contains("You sent your evaluation on "), "{html}");
    assert!(!html.contains("type=\"radio\""), "no form once sent");
    let (_, _, html) = app.get(&ada, "/dashboard").await;
    assert!(!html.contains(&page), "no longer asked for: {html}");

    // A second send is refused, saying when the first was sent; nothing more is stored.
    let again = send(app, &ada, ada_reg, &full_form(&ada_reg.to_string())).await;
    assert!(
        is_conflict(&again.error, "You sent your evaluation on "),
        "{:?}",
        again.error
    );
    assert_eq!(evaluations(app, ada_reg).await, 1);

    // Two sends at the same instant: one is stored, the other told it was sent.
    let form = full_form(&bo_reg.to_string());
    let (first, second) =
        tokio::join!(send(app, &bo, bo_reg, &form), send(app, &bo, bo_reg, &form));
    let errors = [&first.error, &second.error];
    assert_eq!(
        errors.iter().filter(|e| e.is_none()).count(),
        1,
        "{errors:?}"
    );
    assert_eq!(
        errors
            .iter()
            .filter(|e| is_conflict(e, "You sent your evaluation on "))
            .count(),
        1,
        "{errors:?}"
    );
    assert_eq!(evaluations(app, bo_reg).await, 1);

    // Someone else's registration does not exist for Ada, page or form.
    let (status, _, _) = app
        .get(&ada, &format!("/registrations/{bo_reg}/evaluation"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = send(app, &ada, bo_reg, &full_form(&bo_reg.to_string())).await;
    assert!(
        matches!(other.error, Some(AppError::NotFound(_))),
        "{:?}",
        other.error
    );

    // No confirmed seat (cancelled, waitlisted), or before the end: refused, page and form.
    for (b, reg, words) in [
        (&cy, cy_reg, "there is nothing to evaluate"),
        (&di, di_reg, "there is nothing to evaluate"),
        (&ed, ed_reg, "The evaluation opens when the class ends, on "),
    ] {
        let (status, _, html) = app
            .get(b, &format!("/registrations/{reg}/evaluation"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(words), "{words}: {html}");
        assert!(!html.contains("type=\"radio\""), "no form");
        let refused = send(app, b, reg, &full_form(&reg.to_string())).await;
        assert!(is_conflict(&refused.error, words), "{:?}", refused.error);
        assert_eq!(evaluations(app, reg).await, 0);
    }

    // Signed out: asked to sign in.
    let anonymous = send(
        app,
        &app.browser(),
        ada_reg,
        &full_form(&ada_reg.to_string()),
    )
    .await;
    assert_eq!(anonymous.error, Some(AppError::Unauthenticated));
}

/// The `<input ...>` tag of the element with id `id` in `html`.
fn input_tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

async fn a_missing_rating_is_named_next_to_its_item_and_the_answers_kept(app: &TestApp) {
    let course = course(app).await;
    let ended = class(app, course, -Duration::days(3)).await;
    let (ada, reg) = attendee(app, "Ada Lovelace", "ada@eval.test", ended, "confirmed").await;
    let page = format!("/registrations/{reg}/evaluation");
    let mut form = full_form(&reg.to_string());
    form.retain(|(k, _)| *k != "presenters");

    let done = send(app, &ada, reg, &form).await;
    assert_eq!(
        done.error,
        Some(AppError::invalid(
            "presenters",
            "Choose a rating for “Presenters”."
        ))
    );
    assert_eq!(evaluations(app, reg).await, 0, "nothing stored");
    // Back to the form with the answers in the address, and the error as Leptos carries it.
    let location = done.location.unwrap();
    assert!(
        location.starts_with(&format!("{page}?content=4&")),
        "{location}"
    );
    assert!(location.contains("comment=Great%20role%20plays.") && location.contains("consent=on"));
    assert!(location.contains("__path=%2Fapi%2Fsend_evaluation") && location.contains("__err="));

    let (status, _, html) = app.get(&ada, &location).await;
    assert_eq!(status, StatusCode::OK);
    let presenters = &html[html.find("The presenters knew").unwrap()..];
    let presenters = &presenters[..presenters.find("</fieldset>").unwrap()];
    assert!(
        presenters.contains("Choose a rating for “Presenters”."),
        "next to its item: {presenters}"
    );
    assert!(presenters.contains("id=\"presenters-error\""));
    assert_eq!(
        html.matches("Choose a rating for").count(),
        1,
        "next to that item only"
    );
    for (id, checked) in [
        ("content-4", true),
        ("content-5", false),
        ("balance-3", true),
        ("relevance-5", true),
        ("overall-4", true),
        ("presenters-5", false),
    ] {
        assert_eq!(
            input_tag(&html, id).contains("checked"),
            checked,
            "{id}: {}",
            input_tag(&html, id)
        );
    }
    assert!(html.contains(">Great role plays.</textarea>"), "{html}");
    assert!(input_tag(&html, "field-consent").contains("checked"));

    // Several missing: the first is named, with how many more.
    let done = send(
        app,
        &ada,
        reg,
        &[
            ("registration_id", reg.to_string()),
            ("content", "4".into()),
        ],
    )
    .await;
    let message = done
        .error
        .as_ref()
        .and_then(|e| e.field_message("presenters"));
    assert_eq!(
        message.as_deref(),
        Some("Choose a rating for “Presenters”. 3 more items below need one too.")
    );

    // A comment over the limit is refused next to the comment.
    let mut long = full_form(&reg.to_string());
    long.retain(|(k, _)| *k != "comment");
    long.push(("comment", "x".repeat(2001)));
    let done = send(app, &ada, reg, &long).await;
    assert!(
        done.error
            .as_ref()
            .and_then(|e| e.field_message("comment"))
            .is_some(),
        "{:?}",
        done.error
    );
    assert_eq!(evaluations(app, reg).await, 0);
}

/// Stores an evaluation as the form would.
async fn evaluated(
    app: &TestApp,
    registration: i64,
    offering: i64,
    ratings: [u8; 5],
    comment: &str,
    consent: bool,
    signature: &str,
) -> i64 {
    let answers = Answers {
        ratings,
        comment: comment.to_owned(),
        consent,
    };
    let sent = app::db::evaluations::insert(
        &app.db,
        registration,
        offering,
        &answers,
        signature,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(sent, app::db::evaluations::Sent::Saved);
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM evaluations WHERE registration_id = $1").bind(registration).fetch_one(pool).await.unwrap())
}

/// The seeded results: class A (5 confirmed, 1 cancelled, 4 evaluations) taught by Ian, and
/// class B (2 confirmed, 2 evaluations). Returns (A, B, the consented comment of A, the one
/// without consent).
async fn seed_results(app: &TestApp) -> (i64, i64, i64, i64) {
    let course = course(app).await;
    let a = class(app, course, -Duration::days(10)).await;
    let b = class(app, course, -Duration::days(3)).await;
    let mut regs = Vec::new();
    for n in 0..5 {
        let u = person(
            app,
            &format!("Quinn Person{n}"),
            &format!("quinn{n}@eval.test"),
        )
        .await;
        regs.push(seat(app, a, u, "confirmed").await);
    }
    let gone = person(app, "Gone Person", "gone@eval.test").await;
    seat(app, a, gone, "cancelled").await;
    let consented = evaluated(
        app,
        regs[0],
        a,
        [5, 4, 3, 5, 5],
        "Excellent scenarios.",
        true,
        "Quinn, Denver Police Department",
    )
    .await;
    evaluated(app, regs[1], a, [4, 4, 2, 5, 4], "", false, "").await;
    let refused = evaluated(
        app,
        regs[2],
        a,
        [5, 5, 3, 4, 5],
        "More breaks, please.",
        false,
        "",
    )
    .await;
    evaluated(app, regs[3], a, [2, 3, 4, 4, 3], "", false, "").await;
    for n in 0..2 {
        let u = person(
            app,
            &format!("Robin Other{n}"),
            &format!("robin{n}@eval.test"),
        )
        .await;
        let r = seat(app, b, u, "confirmed").await;
        if n == 0 {
            evaluated(
                app,
                r,
                b,
                [1, 1, 1, 1, 1],
                "Too fast.",
                true,
                "Robin, Denver Police Department",
            )
            .await;
        } else {
            evaluated(app, r, b, [2, 2, 2, 2, 2], "", false, "").await;
        }
    }
    let ian = app.create_user("ian@eval.test", "instructor").await;
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)")
        .bind(a).bind(ian).execute(pool).await.map(|_| ()).unwrap());
    (a, b, consented, refused)
}

/// The texts of the elements with `class="<class>"` in `html`, in order.
fn texts(html: &str, class: &str) -> Vec<String> {
    html.split(&format!("class=\"{class}\""))
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_owned()
        })
        .collect()
}

/// The counts of item `key`'s chart: its SVG's and its table's, which must agree.
fn chart_counts(page: &str, key: &str) -> Vec<String> {
    let id = format!("item-{key}");
    let section = &page[page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"))..];
    let section = &section[..section.find("</section>").unwrap()];
    let (svg, table) = section.split_at(section.find("</svg>").expect("an SVG"));
    assert!(
        svg.contains("role=\"img\"")
            && svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\""))
    );
    assert!(table.contains("<caption>") && table.contains("scope=\"row\""));
    let (svg, table) = (texts(svg, "chart-value"), texts(table, "chart-value"));
    assert_eq!(svg, table, "chart {id}: the SVG and the table differ");
    table
}

async fn results_match_the_seeded_answers(app: &TestApp) {
    let (a, b, _, _) = seed_results(app).await;
    let (ian, _) = app.sign_in("ian@eval.test", common::PASSWORD).await;

    // Class A, for its instructor: 4 of 5 confirmed seats answered (the cancelled one is not
    // invited); counts per rating and means per item.
    let (status, _, html) = app
        .get(&ian, &format!("/teach/offerings/{a}/evaluations"))
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("4 of 5 (80%)"), "{html}");
    assert_eq!(
        texts(&html, "mean"),
        ["4.00", "4.00", "3.00", "4.50", "4.25"]
    );
    let expected = [
        ("content", ["0", "1", "0", "1", "2"]),
        ("presenters", ["0", "0", "1", "2", "1"]),
        ("balance", ["0", "1", "2", "1", "0"]),
        ("relevance", ["0", "0", "0", "2", "2"]),
        ("overall", ["0", "0", "1", "1", "2"]),
    ];
    for (key, counts) in expected {
        assert_eq!(chart_counts(&html, key), counts, "{key}");
    }
    // Comments, without names; not class B's.
    assert!(html.contains("Excellent scenarios.") && html.contains("More breaks, please."));
    assert!(!html.contains("Too fast."));
    assert!(!html.contains("Quinn"), "no names for instructors");

    // Not his other class, nor the results of a course he does not teach.
    assert_eq!(
        app.get(&ian, &format!("/teach/offerings/{b}/evaluations"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&ian, "/teach/courses/CITC/evaluations").await.0,
        StatusCode::FORBIDDEN
    );
    let call = app
        .submit(
            &ian,
            "/",
            "offering_evaluations",
            &[("offering_id", &b.to_string())],
        )
        .await;
    assert_eq!(call.error, Some(AppError::Forbidden));

    // The course, for him: only the class he teaches.
    let (status, _, html) = app.get(&ian, "/teach/courses/EVAL/evaluations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("The 1 class you teach that have ended"),
        "{html}"
    );
    assert!(html.contains("4 of 5 (80%)") && !html.contains("Too fast."));

    // The course, for an administrator: both classes together, a row each.
    app.create_user("admin@eval.test", "admin").await;
    let (admin, _) = app.sign_in("admin@eval.test", common::PASSWORD).await;
    let (status, _, html) = app.get(&admin, "/teach/courses/EVAL/evaluations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2 classes that have ended"), "{html}");
    // 6 of 7 is 85.7%; content sums to 19 of 6 answers (3.1666...): both round up.
    assert!(html.contains("6 of 7 (86%)"), "{html}");
    assert_eq!(
        texts(&html, "mean"),
        ["3.17", "3.17", "2.50", "3.50", "3.33"]
    );
    assert_eq!(chart_counts(&html, "content"), ["1", "2", "0", "1", "2"]);
    assert_eq!(chart_counts(&html, "overall"), ["1", "1", "1", "1", "2"]);
    let row = |id: i64| {
        let start = html
            .find(&format!("href=\"/teach/offerings/{id}/evaluations\""))
            .unwrap();
        let row = &html[start..];
        row[..row.find("</tr>").unwrap()].to_owned()
    };
    let row_a = row(a);
    assert!(row_a.contains("4 of 5 (80%)"), "{row_a}");
    for mean in ["4.00", "3.00", "4.50", "4.25"] {
        assert!(
            row_a.contains(&format!("<td>{mean}</td>")),
            "{mean}: {row_a}"
        );
    }
    let row_b = row(b);
    assert!(
        row_b.contains("2 of 2 (100%)") && row_b.matches("<td>1.50</td>").count() == 5,
        "{row_b}"
    );
    assert!(
        html.contains("Too fast.")
            && html.contains("would be signed “Robin, Denver Police Department”")
    );

    // Attendees see no results at all.
    let (someone, _) = attendee(app, "Sam Seat", "sam@eval.test", a, "confirmed").await;
    assert_eq!(
        app.get(&someone, "/teach/courses/EVAL/evaluations").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&someone, &format!("/teach/offerings/{a}/evaluations"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

async fn audited(app: &TestApp, evaluation: i64) -> Vec<String> {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'evaluation' AND entity_id = $1 ORDER BY id")
        .bind(evaluation).fetch_all(pool).await.unwrap())
}

async fn published(app: &TestApp, evaluation: i64) -> bool {
    let at: Option<DateTime<Utc>> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT published_at FROM evaluations WHERE id = $1").bind(evaluation).fetch_one(pool).await.unwrap());
    at.is_some()
}

async fn testimonials_need_consent_and_show_on_the_course_page(app: &TestApp) {
    let (_, _, consented, refused) = seed_results(app).await;
    app.create_user("admin@eval.test", "admin").await;
    let (admin, _) = app.sign_in("admin@eval.test", common::PASSWORD).await;
    let (ian, _) = app.sign_in("ian@eval.test", common::PASSWORD).await;
    let results = "/teach/courses/EVAL/evaluations";
    let set = |who: &'static str, id: i64, publish: bool| {
        let b = if who == "admin" { &admin } else { &ian };
        let fields = [
            ("evaluation_id", id.to_string()),
            ("publish", publish.to_string()),
        ];
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(b, results, "set_testimonial", &fields).await
        }
    };

    // Its author did not agree: refused on the server, nothing changes.
    let done = set("admin", refused, true).await;
    assert!(
        is_conflict(&done.error, "did not agree"),
        "{:?}",
        done.error
    );
    assert!(!published(app, refused).await && audited(app, refused).await.is_empty());
    // Only administrators publish.
    assert_eq!(
        set("ian", consented, true).await.error,
        Some(AppError::Forbidden)
    );
    let (_, _, html) = app.get(&app.browser(), "/courses/EVAL").await;
    assert!(!html.contains("What participants say") && !html.contains("Excellent scenarios."));

    // Published: on the course page, signed as the form said; audited once.
    let done = set("admin", consented, true).await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location.as_deref(),
        Some("/teach/courses/EVAL/evaluations?published=1#comments")
    );
    let (_, _, html) = app.get(&app.browser(), "/courses/EVAL").await;
    assert!(html.contains("What participants say"), "{html}");
    assert!(
        html.contains("<blockquote><p>Excellent scenarios.</p></blockquote>"),
        "{html}"
    );
    assert!(html.contains("— Quinn, Denver Police Department"), "{html}");
    assert!(!html.contains("More breaks, please."));
    assert_eq!(
        set("admin", consented, true).await.error,
        None,
        "again: nothing to do"
    );
    assert_eq!(audited(app, consented).await, ["evaluation.published"]);
    let (_, _, html) = app.get(&admin, results).await;
    assert!(html.contains("Published on the course page"), "{html}");

    // Withdrawn: gone from the course page; audited.
    assert_eq!(set("admin", consented, false).await.error, None);
    let (_, _, html) = app.get(&app.browser(), "/courses/EVAL").await;
    assert!(!html.contains("Excellent scenarios.") && !html.contains("What participants say"));
    assert_eq!(
        audited(app, consented).await,
        ["evaluation.published", "evaluation.unpublished"]
    );
    let missing = set("admin", 999_999, true).await;
    assert!(
        matches!(missing.error, Some(AppError::NotFound(_))),
        "{:?}",
        missing.error
    );
}

async fn the_invitation_is_mailed_once(app: &TestApp) {
    let course = course(app).await;
    // Ended an hour ago (first session a day and five hours ago); ended a month ago; ahead.
    let recent = class(app, course, -Duration::hours(29)).await;
    let old = class(app, course, -Duration::days(30)).await;
    let ahead = class(app, course, Duration::days(3)).await;
    let mut invited = Vec::new();
    for (n, (offering, status)) in [
        (recent, "confirmed"),
        (recent, "confirmed"),
        (recent, "cancelled"),
        (recent, "waitlisted"),
        (recent, "confirmed"),
        (old, "confirmed"),
        (ahead, "confirmed"),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("p{n}@eval.test");
        let reg = seat(
            app,
            offering,
            person(app, &format!("Pat Person{n}"), &email).await,
            status,
        )
        .await;
        match n {
            0 | 1 => invited.push((email, reg)),
            // Evaluated already (from the link on the dashboard): not asked again.
            4 => {
                evaluated(app, reg, recent, [3; 5], "", false, "").await;
            }
            _ => {}
        }
    }

    let other = common::second_server(&app.db).await;
    let url = app.base.clone();
    let now = Utc::now();
    let (a, b) = tokio::join!(
        cit_server::jobs::invite_to_evaluations(&app.db, &url, now),
        cit_server::jobs::invite_to_evaluations(&other, &url, now),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 2);
    for db in [&app.db, &other] {
        let later = cit_server::jobs::invite_to_evaluations(db, &url, now + Duration::minutes(5));
        assert_eq!(later.await.unwrap(), 0);
    }
    for (email, reg) in &invited {
        assert_eq!(app.emails_to(email, KIND_INVITATION).await, 1);
        let link = app.emailed_link(email, KIND_INVITATION).await;
        assert_eq!(link, Some(format!("/registrations/{reg}/evaluation")));
    }

    // Delivered through SMTP, once each, however many senders run.
    let (sent, received) = deliver_from_two_servers(&app.db, &other, now).await;
    assert_eq!(sent, 2);
    assert_eq!(received.len(), 2);
    for (email, _) in &invited {
        let to_them = received
            .iter()
            .filter(|m| m.to.iter().any(|t| t.contains(email.as_str())))
            .count();
        assert_eq!(to_them, 1, "{email}");
    }
    assert!(
        received
            .iter()
            .all(|m| m.data.contains("How was Evaluation practice?")),
        "{received:?}"
    );
    other.close().await;
}
