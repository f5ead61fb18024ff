//! Attendance on both databases: the roll call (audited, only changes written), "mark
//! everyone present", make-ups, the end-of-session job, "Join session" and "Check in" (a self
//! check-in counts until roll call says otherwise, with or without a meeting link, only in
//! the session's window), marks refused before a session starts, the attendee's standing for
//! the test, the CSV grid, and who may do what.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use chrono::{DateTime, Duration, Utc};
use common::{Browser, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    a_roll_call_is_saved_audited_and_only_changes_are_written,
    bad_roll_call_input_is_refused_next_to_the_field,
    mark_everyone_present_keeps_what_is_recorded,
    the_end_of_session_job_marks_the_unmarked_absent_once,
    the_attendee_sees_attendance_and_standing_for_the_test,
    join_session_checks_in_and_opens_the_meeting_only_in_its_window,
    only_the_people_who_run_the_class_take_attendance,
    the_grid_downloads_as_csv,
    self_check_ins_alone_make_someone_eligible_with_or_without_a_link,
    a_check_in_outside_the_live_window_is_refused,
    roll_call_overrides_a_self_check_in_and_a_check_in_never_overrides_roll_call,
    marks_for_a_session_not_yet_started_are_refused,
);

struct Class {
    offering: i64,
    meetings: Vec<i64>,
    /// (registration id, email)
    people: Vec<(i64, String)>,
    instructor: Browser,
}

/// The first seeded coordinator class with `n` people confirmed, an instructor assigned,
/// and its first session moved to have ended yesterday (the second still ahead).
async fn class(app: &TestApp, n: usize) -> Class {
    let (_, _, html) = app.get(&app.browser(), "/courses/CITC").await;
    let offering: i64 = html
        .split("href=\"/offerings/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    let mut people = Vec::new();
    for i in 0..n {
        let email = format!("person{i}@denver.gov");
        let b = app.sign_up(&format!("Person {i}"), &email).await;
        let done = app
            .submit(
                &b,
                &format!("/offerings/{offering}"),
                "register",
                &[("offering_id", &offering.to_string())],
            )
            .await;
        assert_eq!(done.error, None);
        let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1").bind(&email).fetch_one(pool).await.unwrap());
        people.push((id, email));
    }
    let teacher = app.create_user("teacher@cit.org", "instructor").await;
    app::db::on_db!(&app.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)").bind(offering).bind(teacher).execute(pool).await.map(|_| ()).unwrap());
    let meetings = meetings(app, offering).await;
    let start = Utc::now() - Duration::days(1);
    set_times(app, meetings[0], start, start + Duration::hours(4)).await;
    let instructor = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    Class {
        offering,
        meetings,
        people,
        instructor,
    }
}

async fn meetings(app: &TestApp, offering: i64) -> Vec<i64> {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1 ORDER BY starts_at").bind(offering).fetch_all(pool).await.unwrap())
}

async fn set_times(app: &TestApp, meeting: i64, starts: DateTime<Utc>, ends: DateTime<Utc>) {
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3").bind(starts).bind(ends).bind(meeting).execute(pool).await.map(|_| ()).unwrap());
}

/// (status, minutes, source) recorded for a registration at a meeting.
async fn mark(app: &TestApp, registration: i64, meeting: i64) -> Option<(String, i64, String)> {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT status, minutes, source FROM attendance WHERE registration_id = $1 AND meeting_id = $2").bind(registration).bind(meeting).fetch_optional(pool).await.unwrap())
}

async fn audits(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'attendance.%'").fetch_one(pool).await.unwrap())
}

/// The roll-call form's fields for (registration, status, minutes, note) rows.
fn roll_fields(meeting: i64, rows: &[(i64, &str, &str, &str)]) -> Vec<(String, String)> {
    let mut fields = vec![("meeting_id".to_owned(), meeting.to_string())];
    for (i, (id, status, minutes, note)) in rows.iter().enumerate() {
        fields.push((format!("rows[{i}][registration_id]"), id.to_string()));
        fields.push((format!("rows[{i}][status]"), (*status).to_owned()));
        fields.push((format!("rows[{i}][minutes]"), (*minutes).to_owned()));
        fields.push((format!("rows[{i}][note]"), (*note).to_owned()));
    }
    fields
}

async fn save_roll(
    app: &TestApp,
    who: &Browser,
    meeting: i64,
    rows: &[(i64, &str, &str, &str)],
) -> common::Submitted {
    let owned = roll_fields(meeting, rows);
    let fields: Vec<(&str, &str)> = owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.submit(
        who,
        &format!("/teach/meetings/{meeting}"),
        "save_roll_call",
        &fields,
    )
    .await
}

async fn a_roll_call_is_saved_audited_and_only_changes_are_written(app: &TestApp) {
    let c = class(app, 3).await;
    let m = c.meetings[0];
    let (a, b, d) = (c.people[0].0, c.people[1].0, c.people[2].0);
    let done = save_roll(
        app,
        &c.instructor,
        m,
        &[
            (a, "present", "", ""),
            (b, "late", "200", "Joined at 9:40"),
            (d, "", "", ""),
        ],
    )
    .await;
    assert_eq!(done.error, None);
    assert_eq!(done.location, Some(format!("/teach/meetings/{m}?saved=2")));
    assert_eq!(
        mark(app, a, m).await,
        Some(("present".into(), 240, "roll_call".into()))
    );
    assert_eq!(
        mark(app, b, m).await,
        Some(("late".into(), 200, "roll_call".into()))
    );
    assert_eq!(
        mark(app, d, m).await,
        None,
        "a blank status leaves the person unmarked"
    );
    assert_eq!(audits(app).await, 2);
    // The same roll again: nothing written, nothing audited.
    let again = save_roll(
        app,
        &c.instructor,
        m,
        &[
            (a, "present", "240", ""),
            (b, "late", "200", "Joined at 9:40"),
        ],
    )
    .await;
    assert_eq!(again.location, Some(format!("/teach/meetings/{m}?saved=0")));
    assert_eq!(audits(app).await, 2);
    // A change is audited with before and after.
    save_roll(app, &c.instructor, m, &[(b, "left_early", "180", "")]).await;
    let (before, after): (Option<String>, Option<String>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT before_value, after_value FROM audit_log WHERE action = 'attendance.marked' ORDER BY id DESC LIMIT 1").fetch_one(pool).await.unwrap());
    assert_eq!(
        before.as_deref(),
        Some("late, 200 min, note: Joined at 9:40")
    );
    assert_eq!(after.as_deref(), Some("left_early, 180 min (roll_call)"));
    // The page shows the roll with what was recorded.
    let (status, _, page) = app
        .get(&c.instructor, &format!("/teach/meetings/{m}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Person 1") && page.contains("Roll call"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/teach/meetings/{m}/import\"")));
    // A registration of another class cannot be marked through this meeting.
    let other = save_roll(
        app,
        &c.instructor,
        c.meetings[0],
        &[(999_999, "present", "", "")],
    )
    .await;
    assert_eq!(other.location, Some(format!("/teach/meetings/{m}?saved=0")));
}

async fn bad_roll_call_input_is_refused_next_to_the_field(app: &TestApp) {
    let c = class(app, 2).await;
    let m = c.meetings[0];
    let (a, b) = (c.people[0].0, c.people[1].0);
    for (rows, field) in [
        (
            vec![(a, "present", "", ""), (b, "late", "", "")],
            format!("minutes-{b}"),
        ),
        (vec![(a, "present", "241", "")], format!("minutes-{a}")),
        (vec![(a, "asleep", "", "")], format!("status-{a}")),
    ] {
        let done = save_roll(app, &c.instructor, m, &rows).await;
        let error = done.error.expect("refused");
        assert!(error.field_message(&field).is_some(), "{field}: {error:?}");
    }
    assert_eq!(
        mark(app, a, m).await,
        None,
        "a refused roll call saves nothing, not even the good rows"
    );
    assert_eq!(audits(app).await, 0);
}

async fn mark_everyone_present_keeps_what_is_recorded(app: &TestApp) {
    let c = class(app, 3).await;
    let m = c.meetings[0];
    save_roll(app, &c.instructor, m, &[(c.people[0].0, "absent", "", "")]).await;
    let done = app
        .submit(
            &c.instructor,
            "/teach",
            "mark_all_present",
            &[("meeting_id", &m.to_string())],
        )
        .await;
    assert_eq!(done.location, Some(format!("/teach/meetings/{m}?saved=2")));
    assert_eq!(mark(app, c.people[0].0, m).await.unwrap().0, "absent");
    assert_eq!(
        mark(app, c.people[1].0, m).await,
        Some(("present".into(), 240, "roll_call".into()))
    );
    assert_eq!(mark(app, c.people[2].0, m).await.unwrap().0, "present");
}

async fn the_end_of_session_job_marks_the_unmarked_absent_once(app: &TestApp) {
    let c = class(app, 3).await;
    let m = c.meetings[0];
    save_roll(app, &c.instructor, m, &[(c.people[0].0, "present", "", "")]).await;
    // Within the grace period nothing happens.
    let ended = Utc::now() - Duration::minutes(10);
    set_times(app, m, ended - Duration::hours(4), ended).await;
    assert_eq!(
        cit_server::jobs::close_attendance(&app.db, Utc::now())
            .await
            .unwrap(),
        0
    );
    // After it, two servers run the job at once: each unmarked person is marked once.
    set_times(
        app,
        m,
        Utc::now() - Duration::hours(5),
        Utc::now() - Duration::hours(1),
    )
    .await;
    let (x, y) = tokio::join!(
        cit_server::jobs::close_attendance(&app.db, Utc::now()),
        cit_server::jobs::close_attendance(&app.db, Utc::now())
    );
    assert_eq!(x.unwrap() + y.unwrap(), 2);
    assert_eq!(
        mark(app, c.people[0].0, m).await.unwrap().0,
        "present",
        "a recorded mark is kept"
    );
    assert_eq!(
        mark(app, c.people[1].0, m).await,
        Some(("absent".into(), 0, "auto_absent".into()))
    );
    assert_eq!(
        cit_server::jobs::close_attendance(&app.db, Utc::now())
            .await
            .unwrap(),
        0
    );
    // The second session is ahead: untouched.
    assert_eq!(mark(app, c.people[1].0, c.meetings[1]).await, None);
}

async fn the_attendee_sees_attendance_and_standing_for_the_test(app: &TestApp) {
    let c = class(app, 1).await;
    let (reg, email) = c.people[0].clone();
    let attendee = app.sign_in(&email, common::PASSWORD).await.0;
    let (_, _, page) = app.get(&attendee, "/dashboard").await;
    assert!(
        page.contains("Attendance and the certification test"),
        "{page}"
    );
    assert!(page.contains("You may not sit the test yet"));
    assert!(page.contains("The course fee is not yet paid or waived."));
    assert!(page.contains("Session 1: attendance is not recorded yet."));

    // Session 1 absent, session 2 (moved into the past) present; fee paid.
    let m2 = c.meetings[1];
    let start = Utc::now() - Duration::hours(6);
    set_times(app, m2, start, start + Duration::hours(4)).await;
    save_roll(
        app,
        &c.instructor,
        c.meetings[0],
        &[(reg, "absent", "", "")],
    )
    .await;
    save_roll(app, &c.instructor, m2, &[(reg, "left_early", "220", "")]).await;
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE registrations SET payment_status = 'paid' WHERE id = $1").bind(reg).execute(pool).await.map(|_| ()).unwrap());
    let (_, _, page) = app.get(&attendee, "/dashboard").await;
    assert!(page.contains("Session 1: Absent"), "{page}");
    assert!(page.contains("Session 2: Left early · 220 min"));
    assert!(page.contains("Session 1: recorded as absent."));
    assert!(!page.contains("not yet paid"));

    // A make-up needs a note, then counts.
    let m1 = c.meetings[0].to_string();
    let r = reg.to_string();
    let done = app
        .submit(
            &c.instructor,
            "/teach",
            "record_make_up",
            &[
                ("meeting_id", &m1),
                ("registration_id", &r),
                ("note", ""),
                ("made_up", "yes"),
            ],
        )
        .await;
    assert!(done
        .error
        .unwrap()
        .field_message(&format!("makeup_note-{reg}"))
        .is_some());
    let done = app
        .submit(
            &c.instructor,
            "/teach",
            "record_make_up",
            &[
                ("meeting_id", &m1),
                ("registration_id", &r),
                ("note", "Attended session 1 of the July class"),
                ("made_up", "yes"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let (_, _, page) = app.get(&attendee, "/dashboard").await;
    assert!(
        page.contains("You may sit the certification test."),
        "{page}"
    );
    assert!(page.contains("Session 1: Absent (made up)"));
}

async fn join_session_checks_in_and_opens_the_meeting_only_in_its_window(app: &TestApp) {
    let c = class(app, 1).await;
    let (reg, email) = c.people[0].clone();
    let attendee = app.sign_in(&email, common::PASSWORD).await.0;
    let m2 = c.meetings[1];
    // Ahead by days: closed.
    let (_, location, _) = app.get(&attendee, &format!("/join/{m2}")).await;
    assert_eq!(location.as_deref(), Some("/dashboard?join=closed"));
    // Starting in ten minutes: open, and the dashboard offers it.
    let start = Utc::now() + Duration::minutes(10);
    set_times(app, m2, start, start + Duration::hours(4)).await;
    // No video-meeting link yet: checked in all the same, and told so.
    let (_, location, _) = app.get(&attendee, &format!("/join/{m2}")).await;
    assert_eq!(location.as_deref(), Some("/dashboard?join=no_link"));
    let (_, _, dashboard) = app.get(&attendee, "/dashboard?join=no_link").await;
    assert!(
        dashboard.contains("You are checked in, but the video-meeting link"),
        "{dashboard}"
    );
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE offerings SET meeting_url = 'https://meet.example.org/cit' WHERE id = $1").bind(c.offering).execute(pool).await.map(|_| ()).unwrap());
    let (_, _, dashboard) = app.get(&attendee, "/dashboard").await;
    assert!(
        dashboard.contains(&format!("href=\"/join/{m2}\"")),
        "{dashboard}"
    );
    let (status, location, _) = app.get(&attendee, &format!("/join/{m2}")).await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("https://meet.example.org/cit"))
    );
    let checked: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM check_ins WHERE registration_id = $1 AND meeting_id = $2").bind(reg).bind(m2).fetch_one(pool).await.unwrap());
    assert_eq!(checked, 1);
    // Joining again is fine and still one check-in; the instructor sees it on the roll.
    app.get(&attendee, &format!("/join/{m2}")).await;
    let (_, _, roll) = app
        .get(&c.instructor, &format!("/teach/meetings/{m2}"))
        .await;
    assert!(roll.contains("Checked in "), "{roll}");
    // Someone without a seat, and a visitor, are not let through.
    let stranger = app.sign_up("Sam Stranger", "sam@elsewhere.gov").await;
    let (_, location, _) = app.get(&stranger, &format!("/join/{m2}")).await;
    assert_eq!(location.as_deref(), Some("/dashboard?join=unknown"));
    let (_, location, _) = app.get(&app.browser(), &format!("/join/{m2}")).await;
    assert_eq!(location.as_deref(), Some("/signin?next=/dashboard"));
}

async fn only_the_people_who_run_the_class_take_attendance(app: &TestApp) {
    let c = class(app, 1).await;
    let m = c.meetings[0].to_string();
    let reg = c.people[0].0;
    app.create_user("other@cit.org", "instructor").await;
    let other = app.sign_in("other@cit.org", common::PASSWORD).await.0;
    let attendee = app.sign_in(&c.people[0].1, common::PASSWORD).await.0;
    for who in [&app.browser(), &attendee, &other] {
        let done = save_roll(app, who, c.meetings[0], &[(reg, "present", "", "")]).await;
        assert!(
            matches!(
                done.error,
                Some(AppError::Unauthenticated | AppError::Forbidden)
            ),
            "{:?}",
            done.error
        );
        let done = app
            .submit(who, "/teach", "mark_all_present", &[("meeting_id", &m)])
            .await;
        assert!(matches!(
            done.error,
            Some(AppError::Unauthenticated | AppError::Forbidden)
        ));
        let done = app
            .submit(
                who,
                "/teach",
                "record_make_up",
                &[
                    ("meeting_id", &m),
                    ("registration_id", &reg.to_string()),
                    ("note", "x"),
                    ("made_up", "yes"),
                ],
            )
            .await;
        assert!(matches!(
            done.error,
            Some(AppError::Unauthenticated | AppError::Forbidden)
        ));
        let (status, _, _) = app
            .get(who, &format!("/teach/offerings/{}", c.offering))
            .await;
        assert_ne!(status, StatusCode::OK);
    }
    assert_eq!(mark(app, reg, c.meetings[0]).await, None);
    // An administrator may, without being assigned.
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    assert_eq!(
        save_roll(app, &admin, c.meetings[0], &[(reg, "present", "", "")])
            .await
            .error,
        None
    );
    let (status, _, page) = app.get(&c.instructor, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("href=\"/teach/offerings/{}\"", c.offering)),
        "the instructor's dashboard lists the class"
    );
}

async fn the_grid_downloads_as_csv(app: &TestApp) {
    let c = class(app, 2).await;
    save_roll(
        app,
        &c.instructor,
        c.meetings[0],
        &[
            (c.people[0].0, "present", "", ""),
            (c.people[1].0, "absent", "", ""),
        ],
    )
    .await;
    let path = format!("/teach/offerings/{}/attendance.csv", c.offering);
    let response = c.instructor.get(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[0].starts_with("Name,Email,\"Session 1: "), "{body}");
    assert!(
        lines[1].starts_with("Person 0,person0@denver.gov,Present · 240 min,Not marked,Unpaid,No,"),
        "{body}"
    );
    assert!(
        lines[2].starts_with("Person 1,person1@denver.gov,Absent,Not marked,Unpaid,No,"),
        "{body}"
    );
    app.create_user("other@cit.org", "instructor").await;
    let other = app.sign_in("other@cit.org", common::PASSWORD).await.0;
    let refused = other.get(app.url(&path)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let attendee = app.sign_in(&c.people[0].1, common::PASSWORD).await.0;
    assert_eq!(
        attendee.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

/// Moves a session to have started five minutes ago (four hours long): open for check-in.
async fn make_live(app: &TestApp, meeting: i64) {
    let start = Utc::now() - Duration::minutes(5);
    set_times(app, meeting, start, start + Duration::hours(4)).await;
}

/// "Check in" on the dashboard, as a browser without JavaScript posts it.
async fn check_in(app: &TestApp, who: &Browser, meeting: i64) -> common::Submitted {
    app.submit(
        who,
        "/dashboard",
        "self_check_in",
        &[("meeting_id", &meeting.to_string())],
    )
    .await
}

async fn check_ins(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM check_ins").fetch_one(pool).await.unwrap())
}

async fn self_check_ins_alone_make_someone_eligible_with_or_without_a_link(app: &TestApp) {
    let c = class(app, 1).await;
    let (reg, email) = c.people[0].clone();
    let (m1, m2) = (c.meetings[0], c.meetings[1]);
    let attendee = app.sign_in(&email, common::PASSWORD).await.0;
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE registrations SET payment_status = 'paid' WHERE id = $1").bind(reg).execute(pool).await.map(|_| ()).unwrap());

    // Session 1 is on now and the class has no video-meeting link: "Check in", no "Join".
    make_live(app, m1).await;
    let (_, _, dashboard) = app.get(&attendee, "/dashboard").await;
    assert!(
        dashboard.contains("aria-label=\"Check in to session 1 of "),
        "{dashboard}"
    );
    assert!(!dashboard.contains(&format!("href=\"/join/{m1}\"")));
    let done = check_in(app, &attendee, m1).await;
    assert_eq!(done.error, None);
    assert_eq!(done.location, Some(format!("/dashboard?checked_in={m1}")));
    assert_eq!(
        mark(app, reg, m1).await,
        Some(("present".into(), 240, "self_check_in".into())),
        "on time: the whole session"
    );
    assert_eq!(audits(app).await, 1);
    let (_, _, dashboard) = app.get(&attendee, "/dashboard?checked_in=1").await;
    assert!(
        dashboard.contains("You are checked in to this session."),
        "{dashboard}"
    );
    assert!(dashboard.contains("Checked in at "), "{dashboard}");
    assert!(dashboard.contains("Session 1: Present · 240 min (self check-in)"));
    // Again: nothing more.
    assert_eq!(check_in(app, &attendee, m1).await.error, None);
    assert_eq!(audits(app).await, 1);
    assert_eq!(check_ins(app).await, 1);

    // Session 1 is over; session 2 is on, with a link: "Join session" checks in too.
    let yesterday = Utc::now() - Duration::days(1);
    set_times(app, m1, yesterday, yesterday + Duration::hours(4)).await;
    make_live(app, m2).await;
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE offerings SET meeting_url = 'https://meet.example.org/cit' WHERE id = $1").bind(c.offering).execute(pool).await.map(|_| ()).unwrap());
    let (status, location, _) = app.get(&attendee, &format!("/join/{m2}")).await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("https://meet.example.org/cit"))
    );
    assert_eq!(
        mark(app, reg, m2).await,
        Some(("present".into(), 240, "self_check_in".into()))
    );

    // The end-of-session job leaves self check-ins alone.
    cit_server::jobs::close_attendance(&app.db, Utc::now() + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(mark(app, reg, m2).await.unwrap().2, "self_check_in");

    // Paid, and both sessions checked in: the test is open, with no roll call at all.
    let (_, _, dashboard) = app.get(&attendee, "/dashboard").await;
    assert!(
        dashboard.contains("You may sit the certification test."),
        "{dashboard}"
    );
    // The instructor sees which marks are self check-ins, in words.
    let (_, _, grid) = app
        .get(&c.instructor, &format!("/teach/offerings/{}", c.offering))
        .await;
    assert!(grid.contains("Present · 240 min (self check-in)"), "{grid}");
    let (_, _, roll) = app
        .get(&c.instructor, &format!("/teach/meetings/{m1}"))
        .await;
    assert!(roll.contains("Self check-in"), "{roll}");
    assert!(roll.contains("Checked in "), "{roll}");
}

async fn a_check_in_outside_the_live_window_is_refused(app: &TestApp) {
    let c = class(app, 1).await;
    let (reg, email) = c.people[0].clone();
    let attendee = app.sign_in(&email, common::PASSWORD).await.0;
    // Session 2 is days ahead; session 1 ended yesterday.
    for m in [c.meetings[1], c.meetings[0]] {
        let done = check_in(app, &attendee, m).await;
        let error = done.error.expect("refused");
        assert!(
            matches!(error, AppError::Conflict(ref message) if message.contains("not open for check-in")),
            "{error:?}"
        );
        assert_eq!(error.status(), 409);
        assert_eq!(mark(app, reg, m).await, None);
        let (_, location, _) = app.get(&attendee, &format!("/join/{m}")).await;
        assert_eq!(location.as_deref(), Some("/dashboard?join=closed"));
    }
    assert_eq!(check_ins(app).await, 0);
    assert_eq!(audits(app).await, 0);
    // Twenty minutes before the start is too early; fifteen is not, and then it counts whole.
    let m = c.meetings[1];
    let start = Utc::now() + Duration::minutes(20);
    set_times(app, m, start, start + Duration::hours(4)).await;
    assert!(check_in(app, &attendee, m).await.error.is_some());
    let start = Utc::now() + Duration::minutes(14);
    set_times(app, m, start, start + Duration::hours(4)).await;
    assert_eq!(check_in(app, &attendee, m).await.error, None);
    assert_eq!(mark(app, reg, m).await.unwrap().1, 240);
    // A session of a class they have no seat in is not found.
    let stranger = app.sign_up("Sam Stranger", "sam@elsewhere.gov").await;
    assert!(matches!(
        check_in(app, &stranger, m).await.error,
        Some(AppError::NotFound(_))
    ));
    assert_eq!(
        check_in(app, &app.browser(), m).await.error,
        Some(AppError::Unauthenticated)
    );
}

async fn roll_call_overrides_a_self_check_in_and_a_check_in_never_overrides_roll_call(
    app: &TestApp,
) {
    let c = class(app, 3).await;
    let m = c.meetings[0];
    let (a, b, d) = (c.people[0].0, c.people[1].0, c.people[2].0);
    // A late check-in counts from then on.
    let start = Utc::now() - Duration::minutes(40);
    set_times(app, m, start, start + Duration::hours(4)).await;
    for (_, email) in &c.people[..2] {
        let who = app.sign_in(email, common::PASSWORD).await.0;
        assert_eq!(check_in(app, &who, m).await.error, None);
    }
    let (status, minutes, source) = mark(app, a, m).await.unwrap();
    assert_eq!(
        (status.as_str(), source.as_str()),
        ("late", "self_check_in")
    );
    assert!((199..=200).contains(&minutes), "{minutes}");
    // The instructor says A was not there; "mark everyone present" fills only D.
    let done = save_roll(app, &c.instructor, m, &[(a, "absent", "", "Not on camera")]).await;
    assert_eq!(done.location, Some(format!("/teach/meetings/{m}?saved=1")));
    assert_eq!(
        mark(app, a, m).await,
        Some(("absent".into(), 0, "roll_call".into()))
    );
    app.submit(
        &c.instructor,
        "/teach",
        "mark_all_present",
        &[("meeting_id", &m.to_string())],
    )
    .await;
    assert_eq!(mark(app, b, m).await.unwrap().2, "self_check_in");
    assert_eq!(
        mark(app, d, m).await,
        Some(("present".into(), 240, "roll_call".into()))
    );
    // Confirming B's self check-in with the same values makes it the instructor's record.
    let (_, b_minutes, _) = mark(app, b, m).await.unwrap();
    let b_minutes = b_minutes.to_string();
    let done = save_roll(
        app,
        &c.instructor,
        m,
        &[(b, "late", b_minutes.as_str(), "")],
    )
    .await;
    assert_eq!(done.location, Some(format!("/teach/meetings/{m}?saved=1")));
    assert_eq!(mark(app, b, m).await.unwrap().2, "roll_call");
    // Checking in again changes nothing the instructor recorded.
    let audited = audits(app).await;
    let who = app.sign_in(&c.people[0].1, common::PASSWORD).await.0;
    assert_eq!(check_in(app, &who, m).await.error, None);
    assert_eq!(
        mark(app, a, m).await,
        Some(("absent".into(), 0, "roll_call".into()))
    );
    assert_eq!(audits(app).await, audited);
}

async fn marks_for_a_session_not_yet_started_are_refused(app: &TestApp) {
    let c = class(app, 2).await;
    let ahead = c.meetings[1];
    let reg = c.people[0].0;
    let done = save_roll(app, &c.instructor, ahead, &[(reg, "present", "", "")]).await;
    let error = done.error.expect("refused");
    assert!(
        matches!(error, AppError::Conflict(ref message) if message.starts_with("This session has not started yet")),
        "{error:?}"
    );
    assert_eq!(error.status(), 409);
    let back = done.location.expect("back to the roll call");
    let done = app
        .submit(
            &c.instructor,
            "/teach",
            "mark_all_present",
            &[("meeting_id", &ahead.to_string())],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "{:?}",
        done.error
    );
    // Nor is a make-up for it recorded ahead.
    let done = app
        .submit(
            &c.instructor,
            "/teach",
            "record_make_up",
            &[
                ("meeting_id", &ahead.to_string()),
                ("registration_id", &reg.to_string()),
                ("note", "Attended the evening class instead"),
                ("made_up", "on"),
            ],
        )
        .await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "{:?}",
        done.error
    );
    assert_eq!(mark(app, reg, ahead).await, None);
    assert_eq!(mark(app, c.people[1].0, ahead).await, None);
    assert_eq!(audits(app).await, 0);
    // The page says so next to the form (JavaScript off: the error travels in the address).
    let (_, _, page) = app.get(&c.instructor, &back).await;
    assert!(page.contains("This session has not started yet"), "{page}");
    // Once it has started, the same roll call is taken.
    make_live(app, ahead).await;
    let done = save_roll(app, &c.instructor, ahead, &[(reg, "present", "", "")]).await;
    assert_eq!(done.error, None);
}
