//! Continuing education and renewal on both databases: a holder in the third year attends a
//! CE class (attendance marked) and has CE done elsewhere recorded (approved counts, not
//! approved and too early do not); the dashboard says where they stand; renewing keeps the
//! number, moves the expiry three years from the old one with the membership, is audited and
//! mailed, and cannot be repeated. Reminders: two runs of the job and a second server on the
//! same database send each due reminder exactly once, through a real SMTP listener.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{
        attendance::{NewMark, Source},
        ce_records::{record_ce, NewCeRecord},
        offerings::NewOffering,
    },
    domain::{
        attendance_rule::AttendanceStatus,
        certificate::{expiry, long_date},
        renewal::{KIND_REMINDER, KIND_RENEWED},
    },
    error::AppError,
};
use chrono::{Days, Duration, Months, NaiveDate, Utc};
use common::{
    certified::{holder, today, years_ago},
    multipart::{post_form, PDF},
    smtp_sink::deliver_from_two_servers,
    TestApp,
};
use reqwest::StatusCode;

on_both_databases!(
    attended_ce_in_the_window_renews_the_certificate,
    outside_ce_counts_once_approved_and_its_evidence_is_guarded,
    reminders_are_sent_once_across_runs_and_servers,
);

/// A two-hour continuing-education course and one class of it, its single session `ago` in
/// the past; returns (offering, meeting).
async fn ce_class(app: &TestApp, starts: chrono::DateTime<Utc>) -> (i64, i64) {
    let now = Utc::now();
    let course: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO courses (code, title, kind, summary, description, hours, fee_cents, includes_membership, eligibility, format, ce_hours, position, created_at, updated_at) \
         VALUES ('CEDE', 'De-escalation update', 'continuing_education', 'Two hours of CE.', 'CE', 2, 0, FALSE, 'anyone', 'Online, live', 2, 99, $1, $1) RETURNING id",
    ).bind(now).fetch_one(pool).await.unwrap());
    let new = NewOffering {
        course_id: course,
        zone: "America/Denver".into(),
        preset: "day".into(),
        capacity: 20,
        registration_opens_at: starts - Duration::days(30),
        registration_closes_at: starts - Duration::days(1),
        meeting_url: "https://meet.example.org/ce".into(),
        meetings: vec![(starts, starts + Duration::hours(2))],
        instructor_ids: vec![],
    };
    let offering = app::db::offerings::insert(&app.db, &new, None, now)
        .await
        .unwrap();
    let meeting: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1").bind(offering).fetch_one(pool).await.unwrap());
    (offering, meeting)
}

/// A confirmed seat for `email` in `offering`, marked present for the whole session.
async fn attended(app: &TestApp, email: &str, offering: i64, meeting: i64) {
    let now = Utc::now();
    let registration: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO registrations (offering_id, user_id, status, holds_seat, amount_due_cents, created_at, updated_at) \
         SELECT $1, id, 'confirmed', TRUE, 0, $2, $2 FROM users WHERE email = $3 RETURNING id",
    ).bind(offering).bind(now).bind(email).fetch_one(pool).await.unwrap());
    let mark = NewMark {
        registration_id: registration,
        status: AttendanceStatus::Present,
        minutes: 120,
        note: String::new(),
    };
    app::db::attendance::record_marks(&app.db, meeting, &[mark], Source::RollCall, None, now)
        .await
        .unwrap();
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(pool).await.unwrap())
}

async fn attended_ce_in_the_window_renews_the_certificate(app: &TestApp) {
    const EMAIL: &str = "robin@cit.gov";
    // Issued two years and ten days ago: the window opened ten days ago.
    let issued = years_ago(2, 10);
    let (b, certificate) = holder(app, "Robin Renewer", EMAIL, issued, "active").await;
    let old_expiry = expiry(issued);
    let opens = issued.checked_add_months(Months::new(24)).unwrap();
    let (offering, meeting) = ce_class(app, Utc::now() - Duration::days(3)).await;
    attended(app, EMAIL, offering, meeting).await;

    let (status, _, html) = app.get(&b, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    let line = format!(
        "Certified through {} · renewal window opened {} · CE hours 2 of 4",
        long_date(old_expiry),
        long_date(opens)
    );
    assert!(html.contains(&line), "{line}: {html}");
    assert!(!html.contains("Renew my certification"));
    let early = app.submit(&b, "/dashboard", "renew_certificate", &[]).await;
    assert!(
        matches!(early.error, Some(AppError::Conflict(_))),
        "{:?}",
        early.error
    );

    // CE done elsewhere: approved counts; not approved, or the day before the window, does not.
    let admin = app.create_user("ce-admin@cit.org", "admin").await;
    let user = user_id(app, EMAIL).await;
    let record = |title, completed_on: NaiveDate, approved| NewCeRecord {
        user_id: user,
        title,
        hours: 2,
        completed_on,
        evidence: "Certificate of attendance, state conference",
        file: None,
        approved,
    };
    let day_before = opens.checked_sub_days(Days::new(1)).unwrap();
    for r in [
        record("Too early", day_before, true),
        record("Not approved", today(), false),
        record("State conference", opens, true),
    ] {
        record_ce(&app.db, &r, admin, Utc::now()).await.unwrap();
    }
    let (_, _, html) = app.get(&b, "/dashboard").await;
    assert!(html.contains("CE hours 4 of 4"), "{html}");
    assert!(html.contains("Renew my certification"), "{html}");

    // Renewing: same number, three years from the old expiry, membership along.
    let done = app.submit(&b, "/dashboard", "renew_certificate", &[]).await;
    assert_eq!(done.error, None);
    assert_eq!(done.location.as_deref(), Some("/dashboard?renewed=1"));
    let new_expiry = expiry(old_expiry);
    let (expires_on, renewals, status): (NaiveDate, i64, String) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT expires_on, renewals, status FROM certificates WHERE id = $1").bind(certificate).fetch_one(pool).await.unwrap());
    assert_eq!(
        (expires_on, renewals, status.as_str()),
        (new_expiry, 1, "active")
    );
    let ends_on: NaiveDate = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT ends_on FROM memberships WHERE certificate_id = $1").bind(certificate).fetch_one(pool).await.unwrap());
    assert_eq!(ends_on, new_expiry);
    assert_eq!(app.emails_to(EMAIL, KIND_RENEWED).await, 1);
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.renewed'").fetch_one(pool).await.unwrap());
    assert_eq!(audited, 1);
    let (_, _, html) = app.get(&b, "/certificates").await;
    assert!(
        html.contains(&long_date(new_expiry)),
        "the new date on the certificates page"
    );
    let (_, _, html) = app.get(&b, "/dashboard?renewed=1").await;
    assert!(html.contains("Your certification is renewed."), "{html}");
    assert!(
        html.contains(&format!("Certified through {}", long_date(new_expiry))),
        "{html}"
    );
    assert!(html.contains("renewed once"), "{html}");

    // The new period's window is two years away: no second renewal on the same hours.
    let again = app.submit(&b, "/dashboard", "renew_certificate", &[]).await;
    assert!(
        matches!(again.error, Some(AppError::Conflict(_))),
        "{:?}",
        again.error
    );
    assert_eq!(app.emails_to(EMAIL, KIND_RENEWED).await, 1);
}

async fn reminder_subject(app: &TestApp, who: &str) -> String {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT subject FROM outbox WHERE to_address = $1 AND kind = $2").bind(who).bind(KIND_REMINDER).fetch_one(pool).await.unwrap())
}

async fn reminders_are_sent_once_across_runs_and_servers(app: &TestApp) {
    let in_days = |days: u64| {
        today()
            .checked_add_days(Days::new(days))
            .and_then(|d| d.checked_sub_months(Months::new(36)))
            .unwrap()
    };
    // Window opens today; expires in 30 days; expired yesterday; a year in (nothing due).
    holder(app, "Wen Window", "wen@cit.gov", years_ago(2, 0), "active").await;
    holder(app, "Tom Thirty", "tom@cit.gov", in_days(30), "active").await;
    holder(app, "Eve Expired", "eve@cit.gov", years_ago(3, 1), "active").await;
    holder(app, "Yan Year", "yan@cit.gov", years_ago(1, 0), "active").await;

    // The sign-up messages are not what this test counts.
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE outbox SET sent_at = $1 WHERE sent_at IS NULL").bind(Utc::now()).execute(pool).await.unwrap().rows_affected());
    let other = common::second_server(&app.db).await;
    let policy = app::domain::renewal::Policy::default();
    let url = app.base.clone();
    let now = Utc::now();
    // Two servers at the same moment, then each once more.
    let (a, b) = tokio::join!(
        cit_server::jobs::send_renewal_reminders(&app.db, policy, &url, now),
        cit_server::jobs::send_renewal_reminders(&other, policy, &url, now),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 3);
    for db in [&app.db, &other] {
        let again =
            cit_server::jobs::send_renewal_reminders(db, policy, &url, now + Duration::minutes(15));
        assert_eq!(again.await.unwrap(), 0);
    }

    // Delivered through SMTP, once each.
    let (sent, received) = deliver_from_two_servers(&app.db, &other, now).await;
    assert_eq!(sent, 3);
    assert_eq!(received.len(), 3);
    let to = |who: &str| {
        received
            .iter()
            .filter(|m| format!("{m:?}").contains(who))
            .count()
    };
    assert_eq!(
        (
            to("wen@cit.gov"),
            to("tom@cit.gov"),
            to("eve@cit.gov"),
            to("yan@cit.gov")
        ),
        (1, 1, 1, 0)
    );
    let subject = |who: &'static str| reminder_subject(app, who);
    assert_eq!(
        subject("wen@cit.gov").await,
        "Your CIT certification renewal window is open"
    );
    assert!(subject("tom@cit.gov")
        .await
        .starts_with("Your CIT certification expires in 30 days"));
    assert_eq!(
        subject("eve@cit.gov").await,
        "Your CIT certification has expired"
    );
    other.close().await;
}

/// GET `path` as `b` without following redirects: status and body.
async fn fetch(app: &TestApp, b: &common::Browser, path: &str) -> (StatusCode, Vec<u8>) {
    let r = b.get(app.url(path)).send().await.unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

/// Posts the form of `/admin/ce` (owned values) as `b`; returns the Location.
async fn post(
    app: &TestApp,
    b: &common::Browser,
    f: &[(&'static str, String)],
    file: Option<(&str, &[u8])>,
) -> Option<String> {
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    record_outside(app, b, &fields, file).await.1
}

/// Posts the form of `/admin/ce` as `b`; returns the status and Location.
async fn record_outside(
    app: &TestApp,
    b: &common::Browser,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, Option<String>) {
    post_form(app, b, "/admin/ce", "/admin/ce/record", fields, file).await
}

async fn ce_count(app: &TestApp) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM ce_records").fetch_one(pool).await.unwrap())
}

async fn outside_ce_counts_once_approved_and_its_evidence_is_guarded(app: &TestApp) {
    const EMAIL: &str = "robin@cit.gov";
    // Issued two years and ten days ago: the window opened ten days ago.
    let issued = years_ago(2, 10);
    let (robin, _) = holder(app, "Robin Renewer", EMAIL, issued, "active").await;
    let (olive, _) = holder(app, "Olive Other", "olive@cit.gov", issued, "active").await;
    app.create_user("ce-admin@cit.org", "admin").await;
    let (admin, _) = app.sign_in("ce-admin@cit.org", common::PASSWORD).await;
    let opens = issued.checked_add_months(Months::new(24)).unwrap();
    let in_window = opens.checked_add_days(Days::new(1)).unwrap().to_string();
    let day_before = opens.checked_sub_days(Days::new(1)).unwrap().to_string();
    let form = |title: &'static str,
                hours: &'static str,
                on: String,
                note: &'static str,
                approved: bool| {
        let mut f = vec![
            ("email", EMAIL.to_owned()),
            ("title", title.to_owned()),
            ("hours", hours.to_owned()),
            ("completed_on", on),
            ("evidence", note.to_owned()),
        ];
        if approved {
            f.push(("approved", "on".to_owned()));
        }
        f
    };

    // Recorded not approved, with its evidence file: it does not count.
    let conference = form("State CIT conference", "4", in_window.clone(), "", false);
    let added = post(app, &admin, &conference, Some(("attendance.pdf", PDF))).await;
    assert_eq!(added.as_deref(), Some("/admin/ce?added=1"));
    let record: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT MAX(id) FROM ce_records").fetch_one(pool).await.unwrap());
    let (_, _, html) = app.get(&robin, "/dashboard").await;
    assert!(html.contains("CE hours 0 of 4"), "{html}");
    assert!(html.contains("Not approved · does not count"), "{html}");
    assert!(!html.contains("Renew my certification"), "{html}");

    // Approved, but completed the day before the window opened: it does not count either.
    let early = form(
        "Early workshop",
        "4",
        day_before,
        "Signed attendance sheet",
        true,
    );
    assert_eq!(
        post(app, &admin, &early, None).await.as_deref(),
        Some("/admin/ce?added=1")
    );
    let (_, _, html) = app.get(&robin, "/dashboard").await;
    assert!(html.contains("CE hours 0 of 4"), "{html}");
    assert!(
        html.contains("Approved · outside your renewal window"),
        "{html}"
    );

    // Bad input comes back with its field's code, and nothing is recorded.
    let future = today().checked_add_days(Days::new(1)).unwrap().to_string();
    let refusals = [
        (
            vec![
                ("email", "nobody@cit.gov".to_owned()),
                ("title", "X".to_owned()),
                ("hours", "2".to_owned()),
                ("completed_on", in_window.clone()),
                ("evidence", "note".to_owned()),
            ],
            None,
            "holder",
        ),
        (
            form("X", "0", in_window.clone(), "note", true),
            None,
            "hours",
        ),
        (form("X", "2", future, "note", true), None, "date"),
        (
            form("X", "2", in_window.clone(), "", true),
            None,
            "no_evidence",
        ),
        (
            form("X", "2", in_window.clone(), "", true),
            Some(("run.exe", &b"MZ"[..])),
            "type",
        ),
    ];
    for (fields, file, code) in refusals {
        let location = post(app, &admin, &fields, file).await;
        assert_eq!(
            location,
            Some(format!("/admin/ce?refused={code}#add-ce")),
            "{code}"
        );
    }
    assert_eq!(ce_count(app).await, 2);
    let (_, _, html) = app.get(&admin, "/admin/ce?refused=hours").await;
    assert!(
        html.contains("Enter the CE hours as a whole number from 1 to 40."),
        "{html}"
    );

    // Only administrators record, approve and see the list.
    let (status, _) = record_outside(
        app,
        &robin,
        &[
            ("email", EMAIL),
            ("title", "Mine"),
            ("hours", "4"),
            ("completed_on", in_window.as_str()),
            ("evidence", "trust me"),
            ("approved", "on"),
        ],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let approve =
        |id: i64, yes: bool| [("record_id", id.to_string()), ("approved", yes.to_string())];
    let fields = approve(record, true);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&robin, "/admin/ce", "set_ce_approval", &fields)
        .await;
    assert_eq!(done.error, Some(AppError::Forbidden));
    assert_eq!(app.get(&robin, "/admin/ce").await.0, StatusCode::FORBIDDEN);
    assert_eq!(ce_count(app).await, 2);
    let (status, _, html) = app.get(&admin, "/admin/ce").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("State CIT conference") && html.contains("robin@cit.gov"),
        "{html}"
    );

    // Approved: it counts, and renewal is offered.
    let done = app
        .submit(&admin, "/admin/ce", "set_ce_approval", &fields)
        .await;
    assert_eq!(done.error, None);
    assert_eq!(done.location.as_deref(), Some("/admin/ce?approved=1"));
    let (_, _, html) = app.get(&robin, "/dashboard").await;
    assert!(html.contains("CE hours 4 of 4"), "{html}");
    assert!(html.contains("Approved · counts toward renewal"), "{html}");
    assert!(html.contains("Renew my certification"), "{html}");
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'ce_record'").fetch_one(pool).await.unwrap());
    assert_eq!(audited, 3, "two recorded, one approval");

    // The evidence file: its holder and staff only; another holder gets what a missing
    // record gets, and the signed-out are sent to sign in.
    let evidence = format!("/ce/{record}/evidence");
    assert!(
        html.contains(&evidence),
        "the holder is shown the link: {html}"
    );
    for b in [&robin, &admin] {
        let (status, bytes) = fetch(app, b, &evidence).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, PDF);
    }
    let (status, bytes) = fetch(app, &olive, &evidence).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!bytes.starts_with(b"%PDF"), "no bytes for another holder");
    let (status, _) = fetch(app, &olive, "/ce/999999/evidence").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, bytes) = fetch(app, &app.browser(), &evidence).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(bytes.is_empty());
    let (_, _, html) = app.get(&olive, "/dashboard").await;
    assert!(
        !html.contains("State CIT conference"),
        "not on another holder's dashboard"
    );

    // Approval withdrawn: it stops counting.
    let fields = approve(record, false);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&admin, "/admin/ce", "set_ce_approval", &fields)
        .await;
    assert_eq!(done.error, None);
    let (_, _, html) = app.get(&robin, "/dashboard").await;
    assert!(html.contains("CE hours 0 of 4"), "{html}");
}
