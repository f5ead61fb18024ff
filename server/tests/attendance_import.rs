//! Importing a Zoom participants export into a session's attendance, as a browser without
//! JavaScript does, on both databases: upload, preview (nothing written), match a phone by
//! hand, apply (marks and audit), apply the same file again (nothing changes); wrong files,
//! reports of another day (Zoom and Teams) and reports for a session not yet started refused
//! next to the field; an excuse kept against a report's "absent", a self check-in replaced;
//! only the class's staff get in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use chrono::{DateTime, Duration, DurationRound, Utc};
use common::{multipart::draft_of, Browser, Submitted, TestApp};
use reqwest::StatusCode;

on_both_databases!(
    a_report_is_previewed_then_applied_once,
    wrong_files_are_refused_next_to_the_field_and_nothing_is_kept,
    only_the_classes_staff_import,
    reports_of_another_day_are_refused_naming_both_dates,
    a_report_keeps_an_excuse_and_replaces_a_self_check_in,
    a_report_for_a_session_not_yet_started_is_refused,
);

/// A coordinator class with Ana, Bo, Cy and Dee registered, its first session moved to two
/// days ago, and an instructor assigned to it. Returns (meeting id, its start, instructor).
async fn setup(app: &TestApp) -> (i64, DateTime<Utc>, Browser) {
    let (_, _, html) = app.get(&app.browser(), "/courses/CITC").await;
    let offering: i64 = html
        .split("href=\"/offerings/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an upcoming class")
        .parse()
        .unwrap();
    for (name, email) in [
        ("Ana Ruiz", "ana@denver.gov"),
        ("Bo Chen", "bo@denver.gov"),
        ("Cy Diaz", "cy@denver.gov"),
        ("Dee Evans", "dee@denver.gov"),
    ] {
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
    }
    let teacher = app.create_user("teacher@cit.org", "instructor").await;
    let start = (Utc::now() - Duration::days(2))
        .duration_trunc(Duration::hours(1))
        .unwrap();
    let meeting: i64 = app::db::on_db!(&app.db, pool => {
        sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)")
            .bind(offering).bind(teacher).execute(pool).await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1 ORDER BY starts_at LIMIT 1")
            .bind(offering).fetch_one(pool).await.unwrap();
        sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3")
            .bind(start).bind(start + Duration::hours(4)).bind(id).execute(pool).await.unwrap();
        id
    });
    let browser = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    (meeting, start, browser)
}

/// A Zoom export of the session starting at `start` (times in the class's zone, Denver):
/// the instructor; Ana reconnecting (email in capitals); Bo on two devices at once, late;
/// Dee on a phone without an email, leaving an hour early; a guest.
fn zoom_report(start: DateTime<Utc>) -> String {
    let at = |minutes: i64| {
        (start + Duration::minutes(minutes))
            .with_timezone(&chrono_tz::America::Denver)
            .format("%m/%d/%Y %I:%M:%S %p")
            .to_string()
    };
    let rows = [
        ("Staff Member", "teacher@cit.org", -10, 245, "No"),
        ("Ana Ruiz (Ana R.)", "ANA@Denver.gov", -2, 90, "No"),
        ("Ana Ruiz (Ana R.)", "ana@denver.gov", 92, 241, "No"),
        ("Bo Chen", "bo@denver.gov", 15, 120, "No"),
        ("Bo Chen", "bo@denver.gov", 60, 235, "No"),
        ("D Evans iPhone", "", 0, 180, "Yes"),
        ("Guest Caller", "", 20, 50, "Yes"),
    ];
    let mut csv = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        .to_owned();
    for (name, email, join, leave, guest) in rows {
        csv += &format!(
            "{name},{email},{},{},{},{guest}\n",
            at(join),
            at(leave),
            leave - join
        );
    }
    csv
}

/// Posts the upload form as a browser without JavaScript does (multipart, accepting HTML).
async fn upload(
    app: &TestApp,
    client: &Browser,
    meeting: i64,
    filename: &str,
    bytes: &[u8],
) -> Submitted {
    let meeting_id = meeting.to_string();
    common::multipart::post_file(
        app,
        client,
        "upload_attendance_report",
        &format!("/teach/meetings/{meeting}/import"),
        &[("meeting_id", &meeting_id)],
        ("report", filename, bytes),
    )
    .await
}

async fn apply(
    app: &TestApp,
    client: &Browser,
    meeting: i64,
    draft: &str,
    matches: &[(&str, &str)],
) -> Submitted {
    let meeting_id = meeting.to_string();
    let mut fields = vec![("meeting_id", meeting_id.as_str()), ("draft", draft)];
    fields.extend_from_slice(matches);
    let page = format!("/teach/meetings/{meeting}/import?draft={draft}");
    app.submit(client, &page, "apply_attendance_import", &fields)
        .await
}

/// (email, status, minutes, source) of every mark of the meeting.
async fn marks(app: &TestApp, meeting: i64) -> Vec<(String, String, i64, String)> {
    app::db::on_db!(&app.db, pool => sqlx::query_as(
        "SELECT u.email, a.status, a.minutes, a.source FROM attendance a JOIN registrations r ON r.id = a.registration_id \
         JOIN users u ON u.id = r.user_id WHERE a.meeting_id = $1 ORDER BY u.email")
        .bind(meeting).fetch_all(pool).await.unwrap())
}

/// The page's text as a reader meets it: without Leptos's hydration markers.
async fn page_text(app: &TestApp, client: &Browser, path: &str) -> (StatusCode, String) {
    let (status, _, html) = app.get(client, path).await;
    (status, html.replace("<!>", ""))
}

/// The cells of the first table row whose header is `name`, as text, separated by " | ".
fn row_text(page: &str, name: &str) -> String {
    let row = page
        .split("<tr>")
        .find(|r| r.starts_with(&format!("<th scope=\"row\">{name}")))
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row for {name} in {page}"));
    let row = row
        .replace("<br>", " ")
        .replace("</td>", " | ")
        .replace("</th>", " | ");
    let mut text = String::new();
    let mut in_tag = false;
    for c in row.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().trim_end_matches('|').trim().to_owned()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap())
}

async fn registration_of(app: &TestApp, email: &str) -> String {
    let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1")
        .bind(email).fetch_one(pool).await.unwrap());
    id.to_string()
}

async fn a_report_is_previewed_then_applied_once(app: &TestApp) {
    let (meeting, start, teacher) = setup(app).await;
    let report = zoom_report(start);
    let draft = draft_of(
        &upload(
            app,
            &teacher,
            meeting,
            "participants_85123.csv",
            report.as_bytes(),
        )
        .await,
    );

    let (status, page) = page_text(
        app,
        &teacher,
        &format!("/teach/meetings/{meeting}/import?draft={draft}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "Preview: nothing is saved yet",
        "Zoom participants export “participants_85123.csv”: 5 people found.",
        "Match D Evans iPhone to someone on the roster",
        "Match Guest Caller to someone on the roster",
        "Match Staff Member to someone on the roster",
        "—not in this class—",
        "Dee Evans (dee@denver.gov)",
    ] {
        assert!(page.contains(expected), "{expected} missing from {page}");
    }
    assert_eq!(
        row_text(&page, "Ana Ruiz"),
        "Ana Ruiz ana@denver.gov | Present · 238 min | Ana Ruiz (by email) | Not recorded | Will change"
    );
    assert_eq!(
        row_text(&page, "Bo Chen"),
        "Bo Chen bo@denver.gov | Late · 220 min | Bo Chen (by email) | Not recorded | Will change"
    );
    assert!(
        row_text(&page, "D Evans iPhone")
            .starts_with("D Evans iPhone (guest) No email | Left early · 180 min | "),
        "{}",
        row_text(&page, "D Evans iPhone")
    );
    assert_eq!(
        row_text(&page, "Cy Diaz"),
        "Cy Diaz | cy@denver.gov | Not recorded",
        "on the roster, not in the report"
    );
    assert_eq!(
        marks(app, meeting).await,
        vec![],
        "a preview writes nothing"
    );

    let dee = registration_of(app, "dee@denver.gov").await;
    // A choice of someone not on this roll is refused next to that select.
    let done = apply(app, &teacher, meeting, &draft, &[("matches[p3]", "999999")]).await;
    assert!(
        matches!(done.error, Some(AppError::Invalid { ref field, .. }) if field == "matches-p3"),
        "{:?}",
        done.error
    );
    assert_eq!(marks(app, meeting).await, vec![]);
    let done = apply(
        app,
        &teacher,
        meeting,
        &draft,
        &[
            ("matches[p3]", &dee),
            ("matches[p4]", ""),
            ("matches[p0]", ""),
        ],
    )
    .await;
    assert_eq!(done.error, None);
    let location = done.location.unwrap();
    assert!(
        location.starts_with(&format!("/teach/meetings/{meeting}/import?applied=")),
        "{location}"
    );
    let row = |email: &str, status: &str, minutes| {
        (
            email.to_owned(),
            status.to_owned(),
            minutes,
            "import".to_owned(),
        )
    };
    assert_eq!(
        marks(app, meeting).await,
        vec![
            row("ana@denver.gov", "present", 238),
            row("bo@denver.gov", "late", 220),
            row("dee@denver.gov", "left_early", 180)
        ],
        "Cy, not in the report, is not marked; the guest and the instructor are no one's"
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.marked'"
        )
        .await,
        3
    );
    let (_, result) = page_text(app, &teacher, &location).await;
    assert!(result.contains("3 marks changed."), "{result}");

    // The same file again: the preview says so, and applying changes nothing.
    let again = draft_of(
        &upload(
            app,
            &teacher,
            meeting,
            "participants_85123.csv",
            report.as_bytes(),
        )
        .await,
    );
    let (_, page) = page_text(
        app,
        &teacher,
        &format!("/teach/meetings/{meeting}/import?draft={again}"),
    )
    .await;
    assert!(
        page.contains("This file was applied to this session on"),
        "{page}"
    );
    assert!(row_text(&page, "Ana Ruiz").ends_with("Present · 238 min | No change"));
    let done = apply(app, &teacher, meeting, &again, &[("matches[p3]", &dee)]).await;
    assert_eq!(done.error, None);
    let (_, result) = page_text(app, &teacher, &done.location.unwrap()).await;
    assert!(
        result.contains("No changes: this report matches what is recorded."),
        "{result}"
    );
    assert_eq!(marks(app, meeting).await.len(), 3);
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.marked'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM attendance_imports WHERE changed = 0 AND participants = 5"
        )
        .await,
        1
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM attendance_import_drafts").await,
        0,
        "applied drafts are deleted"
    );

    // A draft works once.
    let done = apply(app, &teacher, meeting, &again, &[]).await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(ref m)) if m.contains("no longer available")),
        "{:?}",
        done.error
    );
}

async fn wrong_files_are_refused_next_to_the_field_and_nothing_is_kept(app: &TestApp) {
    let (meeting, start, teacher) = setup(app).await;
    let refused = |done: &Submitted| match &done.error {
        Some(AppError::Invalid { field, message }) if field == "report" => message.clone(),
        other => panic!("expected an error for the file field, got {other:?}"),
    };
    let done = upload(
        app,
        &teacher,
        meeting,
        "invoices.csv",
        b"Invoice,Amount,Due\n1001,450.00,2026-06-01\n",
    )
    .await;
    let message = refused(&done);
    assert!(message.starts_with("This does not look like a Zoom participants export or a Microsoft Teams attendance report"), "{message}");
    let (_, page) = page_text(app, &teacher, &done.location.unwrap()).await;
    assert!(
        page.contains("This does not look like a Zoom participants export"),
        "{page}"
    );
    assert!(
        page.contains("id=\"report-error\""),
        "the message sits by the field: {page}"
    );

    let workbook = upload(
        app,
        &teacher,
        meeting,
        "report.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00",
    )
    .await;
    assert!(refused(&workbook).starts_with("This is an Excel workbook"));
    let nothing = upload(app, &teacher, meeting, "", b"").await;
    assert_eq!(
        refused(&nothing),
        "Choose the participant report to upload."
    );
    let mut huge = zoom_report(start).into_bytes();
    huge.resize(5 * 1024 * 1024 + 1, b'\n');
    assert!(
        refused(&upload(app, &teacher, meeting, "big.csv", &huge).await)
            .contains("larger than 5 MB")
    );

    assert_eq!(
        count(app, "SELECT COUNT(*) FROM attendance_import_drafts").await,
        0
    );
    assert_eq!(marks(app, meeting).await, vec![]);
}

async fn only_the_classes_staff_import(app: &TestApp) {
    let (meeting, start, teacher) = setup(app).await;
    let draft = draft_of(
        &upload(
            app,
            &teacher,
            meeting,
            "p.csv",
            zoom_report(start).as_bytes(),
        )
        .await,
    );
    app.create_user("other@cit.org", "instructor").await;
    let other = app.sign_in("other@cit.org", common::PASSWORD).await.0;
    let attendee = app.sign_in("ana@denver.gov", common::PASSWORD).await.0;
    let visitor = app.browser();
    let page = format!("/teach/meetings/{meeting}/import?draft={draft}");
    for (who, expected) in [
        (&other, AppError::Forbidden),
        (&attendee, AppError::Forbidden),
        (&visitor, AppError::Unauthenticated),
    ] {
        let (status, _, _) = app.get(who, &page).await;
        assert_eq!(status.as_u16(), expected.status());
        let m = meeting.to_string();
        let done = app
            .submit(
                who,
                &page,
                "attendance_import_page",
                &[("meeting_id", &m), ("draft", &draft)],
            )
            .await;
        assert_eq!(done.error, Some(expected.clone()));
        let done = upload(app, who, meeting, "p.csv", zoom_report(start).as_bytes()).await;
        assert_eq!(done.error, Some(expected.clone()));
        let done = apply(app, who, meeting, &draft, &[]).await;
        assert_eq!(done.error, Some(expected));
    }
    assert_eq!(marks(app, meeting).await, vec![]);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM attendance_import_drafts").await,
        1
    );

    // An administrator runs every class, but sees only their own drafts.
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let (status, _, html) = app.get(&admin, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("This preview is no longer available"),
        "{html}"
    );
    let done = apply(app, &admin, meeting, &draft, &[]).await;
    assert!(
        matches!(done.error, Some(AppError::Conflict(_))),
        "{:?}",
        done.error
    );
    assert_eq!(marks(app, meeting).await, vec![]);
}

/// A Teams attendance report ("2. Participants", tab-separated, times in Denver like
/// "6/17/2026, 9:02:11 AM") of the session starting at `start`: Ana and Bo.
fn teams_report(start: DateTime<Utc>) -> String {
    let at = |minutes: i64| {
        (start + Duration::minutes(minutes))
            .with_timezone(&chrono_tz::America::Denver)
            .format("%-m/%-d/%Y, %-I:%M:%S %p")
            .to_string()
    };
    let mut text = format!(
        "1. Summary\nMeeting title\tCIT Coordinator Certification\nAttended participants\t2\nStart time\t{}\nEnd time\t{}\n\n2. Participants\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n",
        at(-5),
        at(241)
    );
    for (name, email, join, leave) in [
        ("Ana Ruiz", "ana@denver.gov", -2, 239),
        ("Bo Chen", "bo@denver.gov", 20, 235),
    ] {
        text += &format!(
            "{name}\t{}\t{}\t3h 0m 0s\t{email}\t{email}\tAttendee\n",
            at(join),
            at(leave)
        );
    }
    text
}

/// The message next to the file field of a refused upload.
fn file_refusal(done: &Submitted) -> String {
    match &done.error {
        Some(error @ AppError::Invalid { field, message }) if field == "report" => {
            assert_eq!(error.status(), 400);
            message.clone()
        }
        other => panic!("expected an error for the file field, got {other:?}"),
    }
}

async fn reports_of_another_day_are_refused_naming_both_dates(app: &TestApp) {
    let (meeting, start, teacher) = setup(app).await;
    let day = |t: DateTime<Utc>| {
        t.with_timezone(&chrono_tz::America::Denver)
            .format("%A, %B %-d, %Y")
            .to_string()
    };
    let session_day = day(start);
    for (name, text, report_day) in [
        (
            "participants.csv",
            zoom_report(start - Duration::days(1)),
            day(start - Duration::days(1)),
        ),
        (
            "attendance.csv",
            teams_report(start + Duration::days(1)),
            day(start + Duration::days(1)),
        ),
    ] {
        let done = upload(app, &teacher, meeting, name, text.as_bytes()).await;
        let message = file_refusal(&done);
        assert!(
            message.starts_with(&format!("This report is of a meeting on {report_day}")),
            "{message}"
        );
        assert!(
            message.contains(&format!("but this session is on {session_day}")),
            "{message}"
        );
        let (_, page) = page_text(app, &teacher, &done.location.unwrap()).await;
        assert!(page.contains("id=\"report-error\""), "{page}");
        assert!(
            page.contains(&report_day) && page.contains(&session_day),
            "{page}"
        );
    }
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM attendance_import_drafts").await,
        0,
        "nothing kept"
    );
    assert_eq!(marks(app, meeting).await, vec![]);
    // The same Teams report of the right day is read.
    let done = upload(
        app,
        &teacher,
        meeting,
        "attendance.csv",
        teams_report(start).as_bytes(),
    )
    .await;
    assert_eq!(done.error, None);
}

async fn a_report_keeps_an_excuse_and_replaces_a_self_check_in(app: &TestApp) {
    let (meeting, start, teacher) = setup(app).await;
    let (ana, bo) = (
        registration_of(app, "ana@denver.gov").await,
        registration_of(app, "bo@denver.gov").await,
    );
    // Ana checked in herself as the session began; Bo was excused at the roll call.
    let ana_id: i64 = ana.parse().unwrap();
    let ana_user: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT user_id FROM registrations WHERE id = $1").bind(ana_id).fetch_one(pool).await.unwrap());
    app::db::attendance::check_in(
        &app.db,
        ana_id,
        ana_user,
        (meeting, start, start + Duration::hours(4)),
        start,
    )
    .await
    .unwrap();
    let m = meeting.to_string();
    let done = app
        .submit(
            &teacher,
            &format!("/teach/meetings/{meeting}"),
            "save_roll_call",
            &[
                ("meeting_id", m.as_str()),
                ("rows[0][registration_id]", bo.as_str()),
                ("rows[0][status]", "excused"),
                ("rows[0][minutes]", ""),
                ("rows[0][note]", "Court date"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    // The report has Ana all session, and Bo only in the lobby before it began.
    let at = |minutes: i64| {
        (start + Duration::minutes(minutes))
            .with_timezone(&chrono_tz::America::Denver)
            .format("%m/%d/%Y %I:%M:%S %p")
            .to_string()
    };
    let report = format!(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
         Ana Ruiz,ana@denver.gov,{},{},241,No\n\
         Bo Chen,bo@denver.gov,{},{},20,No\n",
        at(-1),
        at(238),
        at(-40),
        at(-20)
    );
    let draft = draft_of(&upload(app, &teacher, meeting, "p.csv", report.as_bytes()).await);
    let (_, page) = page_text(
        app,
        &teacher,
        &format!("/teach/meetings/{meeting}/import?draft={draft}"),
    )
    .await;
    assert_eq!(
        row_text(&page, "Bo Chen"),
        "Bo Chen bo@denver.gov | Absent · 0 min | Bo Chen (by email) | Excused · 0 min | No change",
        "the excuse stands"
    );
    assert_eq!(
        row_text(&page, "Ana Ruiz"),
        "Ana Ruiz ana@denver.gov | Present · 238 min | Ana Ruiz (by email) | Present · 240 min | Will change",
        "the report replaces the self check-in"
    );
    let done = apply(app, &teacher, meeting, &draft, &[]).await;
    assert_eq!(done.error, None);
    let (_, result) = page_text(app, &teacher, &done.location.unwrap()).await;
    assert!(result.contains("1 mark changed."), "{result}");
    let row = |email: &str, status: &str, minutes, source: &str| {
        (
            email.to_owned(),
            status.to_owned(),
            minutes,
            source.to_owned(),
        )
    };
    assert_eq!(
        marks(app, meeting).await,
        vec![
            row("ana@denver.gov", "present", 238, "import"),
            row("bo@denver.gov", "excused", 0, "roll_call"),
        ]
    );
}

async fn a_report_for_a_session_not_yet_started_is_refused(app: &TestApp) {
    let (meeting, _, teacher) = setup(app).await;
    let start = (Utc::now() + Duration::days(3))
        .duration_trunc(Duration::hours(1))
        .unwrap();
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3").bind(start).bind(start + Duration::hours(4)).bind(meeting).execute(pool).await.map(|_| ()).unwrap());
    // Even a report whose times fit the session: it cannot have happened yet.
    let done = upload(
        app,
        &teacher,
        meeting,
        "p.csv",
        zoom_report(start).as_bytes(),
    )
    .await;
    let message = file_refusal(&done);
    assert!(
        message.starts_with("This session has not started yet"),
        "{message}"
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM attendance_import_drafts").await,
        0
    );
    assert_eq!(marks(app, meeting).await, vec![]);
}
