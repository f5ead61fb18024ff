//! Administrators' reports and the audit log viewer, on both databases: figures checked
//! against seeded rows with known answers (January–April 2025, well before the catalog's
//! seeded classes), each chart's SVG holding the same numbers as its table, the CSVs, the
//! filters, the audit log's pages, order and CSV, and everyone else refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use chrono::{DateTime, Days, NaiveDate, Utc};
use common::{TestApp, PASSWORD};
use reqwest::StatusCode;

on_both_databases!(
    report_figures_match_the_seeded_answers,
    audit_log_filters_pages_sorts_and_exports,
    reports_and_audit_are_for_administrators_only
);

const RANGE: &str = "from=2025-01-01&to=2025-04-30";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn course_id(app: &TestApp, code: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM courses WHERE code = $1").bind(code).fetch_one(pool).await.unwrap())
}

async fn user(app: &TestApp, n: usize) -> i64 {
    let now = Utc::now();
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES ($1, $2, 'x', $3, $3) RETURNING id")
        .bind(format!("person{n}@reports.test")).bind(format!("Person {n}")).bind(now)
        .fetch_one(pool).await.unwrap())
}

/// A class with sessions starting at `starts` (two hours each); returns (class, sessions).
async fn offering(
    app: &TestApp,
    code: &str,
    capacity: i64,
    seats_taken: i64,
    status: &str,
    starts: &[&str],
) -> (i64, Vec<i64>) {
    let course = course_id(app, code).await;
    let now = Utc::now();
    app::db::on_db!(&app.db, pool => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO offerings (course_id, capacity, seats_taken, registration_opens_at, registration_closes_at, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4, $5, $4, $4) RETURNING id")
            .bind(course).bind(capacity).bind(seats_taken).bind(now).bind(status)
            .fetch_one(pool).await.unwrap();
        let mut meetings = Vec::new();
        for s in starts {
            let start = at(s);
            let m: i64 = sqlx::query_scalar("INSERT INTO meetings (offering_id, starts_at, ends_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(id).bind(start).bind(start + chrono::Duration::hours(2))
                .fetch_one(pool).await.unwrap();
            meetings.push(m);
        }
        (id, meetings)
    })
}

async fn registration(app: &TestApp, offering: i64, user: i64, created: &str) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO registrations (offering_id, user_id, status, holds_seat, amount_due_cents, created_at, updated_at) \
         VALUES ($1, $2, 'confirmed', TRUE, 45000, $3, $3) RETURNING id")
        .bind(offering).bind(user).bind(at(created))
        .fetch_one(pool).await.unwrap())
}

async fn mark(app: &TestApp, registration: i64, meeting: i64, status: &str, made_up: bool) {
    app::db::on_db!(&app.db, pool => sqlx::query(
        "INSERT INTO attendance (registration_id, meeting_id, status, minutes, source, made_up, recorded_at) VALUES ($1, $2, $3, 0, 'roll_call', $4, $5)")
        .bind(registration).bind(meeting).bind(status).bind(made_up).bind(Utc::now())
        .execute(pool).await.map(|_| ()).unwrap());
}

/// A finished attempt (or one waiting for grading, `status`), passed or not.
async fn attempt(
    app: &TestApp,
    registration: i64,
    number: i64,
    status: &str,
    finished: &str,
    passed: bool,
) {
    let finished = at(finished);
    app::db::on_db!(&app.db, pool => sqlx::query(
        "INSERT INTO attempts (registration_id, user_id, course_id, number, seed, started_at, deadline_at, status, finished_by, finished_at, passed) \
         SELECT r.id, r.user_id, o.course_id, $2, 7, $3, $3, $4, 'submitted', $3, $5 \
         FROM registrations r JOIN offerings o ON o.id = r.offering_id WHERE r.id = $1")
        .bind(registration).bind(number).bind(finished).bind(status).bind(passed)
        .execute(pool).await.map(|_| ()).unwrap());
}

async fn certificate(
    app: &TestApp,
    user: i64,
    code: &str,
    n: usize,
    expires_on: Option<NaiveDate>,
    status: &str,
) -> i64 {
    let course = course_id(app, code).await;
    let kind = if expires_on.is_some() {
        "coordinator"
    } else {
        "completion"
    };
    let now = Utc::now();
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, status_index) \
         VALUES ($1, $2, $3, $4, $5, 'Holder', $6, $7, $8, $9, $10) RETURNING id")
        .bind(format!("REPORT-{n}")).bind(format!("CODE{n:012}")).bind(user).bind(course).bind(kind)
        .bind(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).bind(expires_on).bind(status).bind(now).bind(1000 + n as i64)
        .fetch_one(pool).await.unwrap())
}

async fn audit(
    app: &TestApp,
    actor: Option<i64>,
    action: &str,
    entity: &str,
    id: i64,
    when: DateTime<Utc>,
    after: &str,
) {
    app::db::on_db!(&app.db, pool => sqlx::query(
        "INSERT INTO audit_log (actor_id, action, entity, entity_id, before_value, after_value, at) VALUES ($1, $2, $3, $4, NULL, $5, $6)")
        .bind(actor).bind(action).bind(entity).bind(id).bind(after).bind(when)
        .execute(pool).await.map(|_| ()).unwrap());
}

/// The texts of the elements with `class="chart-value"` in `html`, in order.
fn values(html: &str) -> Vec<String> {
    html.split("class=\"chart-value\"")
        .skip(1)
        .map(|rest| {
            let text = &rest[rest.find('>').unwrap() + 1..];
            text[..text.find('<').unwrap()].to_owned()
        })
        .collect()
}

/// The SVG's values and the table's values of the chart section `id` on the page.
fn chart_and_table(page: &str, id: &str) -> (Vec<String>, Vec<String>) {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let section = &page[start..];
    let section = &section[..section.find("</section>").unwrap()];
    let svg_end = section.find("</svg>").expect("an SVG");
    let (svg, table) = section.split_at(svg_end);
    assert!(svg.contains("role=\"img\""), "{svg}");
    assert!(
        svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")),
        "{svg}"
    );
    assert!(table.contains("<caption>") && table.contains("scope=\"row\""));
    (values(svg), values(table))
}

/// Checks that the chart and its table show `expected`, and returns nothing else.
fn shows(page: &str, id: &str, expected: &[&str]) {
    let (svg, table) = chart_and_table(page, id);
    assert_eq!(svg, table, "chart {id}: the SVG and the table differ");
    assert_eq!(table, expected, "chart {id}");
}

async fn seed(app: &TestApp) {
    let people: Vec<i64> = {
        let mut v = Vec::new();
        for n in 0..8 {
            v.push(user(app, n).await);
        }
        v
    };
    // Coordinator class in January (8 of 10 seats), 911 class in March (5 of 20), a cancelled
    // class in February and a class before the range: neither counts.
    let (jan, jan_m) = offering(
        app,
        "CITC",
        10,
        8,
        "scheduled",
        &["2025-01-21T16:00:00Z", "2025-01-22T16:00:00Z"],
    )
    .await;
    let (mar, _) = offering(app, "CIT911", 20, 5, "scheduled", &["2025-03-06T16:00:00Z"]).await;
    let (cancelled, _) = offering(app, "CITC", 10, 0, "cancelled", &["2025-02-18T16:00:00Z"]).await;
    let (dec, _) = offering(app, "CITC", 10, 1, "scheduled", &["2024-12-20T16:00:00Z"]).await;

    // Registrations: January 3 (one at 10 pm on 31 January in Denver, February in UTC),
    // February none, March 2, April 1; one in December, outside the range.
    let r0 = registration(app, jan, people[0], "2025-01-05T17:00:00Z").await;
    let r1 = registration(app, jan, people[1], "2025-01-06T17:00:00Z").await;
    let r2 = registration(app, jan, people[2], "2025-02-01T05:00:00Z").await;
    let r3 = registration(app, mar, people[3], "2025-03-01T17:00:00Z").await;
    let r4 = registration(app, mar, people[4], "2025-03-02T17:00:00Z").await;
    let r5 = registration(app, mar, people[5], "2025-04-02T17:00:00Z").await;
    registration(app, dec, people[6], "2024-12-01T17:00:00Z").await;
    let _ = cancelled;

    // January's class: 6 marks, 4 attended (present, late, left early, made up).
    mark(app, r0, jan_m[0], "present", false).await;
    mark(app, r1, jan_m[0], "late", false).await;
    mark(app, r2, jan_m[0], "absent", false).await;
    mark(app, r0, jan_m[1], "left_early", false).await;
    mark(app, r1, jan_m[1], "excused", false).await;
    mark(app, r2, jan_m[1], "absent", true).await;

    // Tests: CITC pass and fail in January, pass in February (2 of 3); CIT911 fail and pass
    // in March, fail in April (1 of 3); one waiting for grading and one after the range.
    attempt(app, r0, 1, "final", "2025-01-23T18:00:00Z", true).await;
    attempt(app, r1, 1, "final", "2025-01-23T18:00:00Z", false).await;
    attempt(app, r1, 2, "final", "2025-02-10T18:00:00Z", true).await;
    attempt(app, r3, 1, "final", "2025-03-07T18:00:00Z", false).await;
    attempt(app, r4, 1, "final", "2025-03-07T18:00:00Z", true).await;
    attempt(app, r5, 1, "final", "2025-04-20T18:00:00Z", false).await;
    attempt(
        app,
        r3,
        2,
        "awaiting_grading",
        "2025-03-20T18:00:00Z",
        false,
    )
    .await;
    attempt(app, r4, 2, "final", "2025-05-02T18:00:00Z", true).await;

    // Certificates as they stand today: active far off and a completion (never expires),
    // one expiring within 90 days, two expired (one not yet marked by the job), one revoked.
    let today = app::domain::certificate::issue_date(Utc::now());
    let far = certificate(
        app,
        people[0],
        "CITC",
        1,
        today.checked_add_days(Days::new(400)),
        "active",
    )
    .await;
    certificate(app, people[3], "CIT911", 2, None, "active").await;
    certificate(
        app,
        people[1],
        "CITC",
        3,
        today.checked_add_days(Days::new(30)),
        "active",
    )
    .await;
    certificate(
        app,
        people[2],
        "CITC",
        4,
        today.checked_sub_days(Days::new(1)),
        "active",
    )
    .await;
    certificate(
        app,
        people[5],
        "CITC",
        5,
        today.checked_sub_days(Days::new(100)),
        "expired",
    )
    .await;
    certificate(
        app,
        people[6],
        "CITC",
        6,
        today.checked_add_days(Days::new(500)),
        "revoked",
    )
    .await;

    // Renewals: one in February, two in April, one after the range.
    for when in [
        "2025-02-10T18:00:00Z",
        "2025-04-15T18:00:00Z",
        "2025-04-16T18:00:00Z",
        "2025-06-01T18:00:00Z",
    ] {
        audit(
            app,
            None,
            "certificate.renewed",
            "certificate",
            far,
            at(when),
            "renewed",
        )
        .await;
    }
}

async fn report_figures_match_the_seeded_answers(app: &TestApp) {
    seed(app).await;
    app.create_user("registrar@cit.org", "admin").await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;

    let (status, _, page) = app.get(&admin, &format!("/admin/reports?{RANGE}")).await;
    assert_eq!(status, StatusCode::OK);
    shows(&page, "registrations", &["3", "0", "2", "1"]);
    shows(&page, "fill-rate", &["80%", "25%"]);
    shows(&page, "attendance-rate", &["67%", "no data"]);
    shows(&page, "pass-rate", &["67%", "33%"]);
    shows(&page, "pass-rate-by-month", &["50%", "100%", "50%", "0%"]);
    shows(&page, "certificates", &["2", "1", "2", "1"]);
    shows(&page, "renewals", &["0", "1", "0", "2"]);
    assert!(
        page.contains("CITC Jan 21, 2025") && page.contains("CIT911 Mar 6, 2025"),
        "class labels"
    );
    assert!(
        page.contains("8 of 10") && page.contains("4 of 6"),
        "the counts behind the rates"
    );

    // One course.
    let (_, _, page) = app
        .get(&admin, &format!("/admin/reports?course=CIT911&{RANGE}"))
        .await;
    shows(&page, "registrations", &["0", "0", "2", "1"]);
    shows(&page, "fill-rate", &["25%"]);
    shows(&page, "pass-rate", &["33%"]);
    shows(
        &page,
        "pass-rate-by-month",
        &["no data", "no data", "50%", "0%"],
    );
    shows(&page, "certificates", &["1", "0", "0", "0"]);
    shows(&page, "renewals", &["0", "0", "0", "0"]);

    // The CSVs hold the same figures.
    let csv = |path: String| {
        let admin = &admin;
        async move {
            let r = admin.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            assert!(r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"));
            r.text().await.unwrap()
        }
    };
    assert_eq!(
        csv(format!("/admin/reports/registrations.csv?{RANGE}")).await,
        "Month,Registrations\nJan 2025,3\nFeb 2025,0\nMar 2025,2\nApr 2025,1\n"
    );
    assert_eq!(
        csv(format!("/admin/reports/pass-rate.csv?{RANGE}")).await,
        "Test,Pass rate (%),Part,Whole\nCITC test,67,2,3\nCIT911 test,33,1,3\n"
    );
    assert_eq!(
        csv(format!("/admin/reports/attendance-rate.csv?{RANGE}")).await,
        "Class,Attendance rate (%),Part,Whole\n\"CITC Jan 21, 2025\",67,4,6\n\"CIT911 Mar 6, 2025\",,0,0\n"
    );
    assert_eq!(
        csv("/admin/reports/certificates.csv?course=CITC".into()).await,
        "Standing,Certificates\n\"Active, more than 90 days left\",1\n\"Active, expiring within 90 days\",1\nExpired,2\nRevoked,1\n"
    );
    let r = admin
        .get(app.url("/admin/reports/nothing.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = admin
        .get(app.url("/admin/reports/renewals.csv?from=soon"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // A bad filter: the message by its field, no report.
    let (status, _, page) = app
        .get(&admin, "/admin/reports?from=2025-05-01&to=2025-04-01")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("The first day must be on or before the last day."),
        "{page}"
    );
    assert!(!page.contains("id=\"registrations\""));
    assert!(
        page.contains("CIT Support Training for 911"),
        "the course list is still there"
    );

    // With no range: the last twelve months, twelve bars.
    let (_, _, page) = app.get(&admin, "/admin/reports").await;
    let (svg, table) = chart_and_table(&page, "registrations");
    assert_eq!(svg.len(), 12);
    assert_eq!(svg, table);
}

async fn audit_log_filters_pages_sorts_and_exports(app: &TestApp) {
    let clerk = user(app, 1).await;
    let other = user(app, 2).await;
    let start = at("2025-06-01T15:00:00Z");
    // 120 registration entries on 1 June 2025 (30 of them by the other person), payments
    // the day after, and a certificate entry by the system.
    for i in 0..120 {
        let actor = if i % 4 == 0 { other } else { clerk };
        audit(
            app,
            Some(actor),
            "registration.payment_recorded",
            "registration",
            i,
            start + chrono::Duration::minutes(i),
            &format!("paid {i}"),
        )
        .await;
    }
    audit(
        app,
        Some(clerk),
        "registration.cancelled",
        "registration",
        500,
        at("2025-06-02T15:00:00Z"),
        "cancelled",
    )
    .await;
    audit(
        app,
        None,
        "certificate.expired",
        "certificate",
        9,
        at("2025-06-01T16:00:00Z"),
        "=cmd()",
    )
    .await;
    app.create_user("registrar@cit.org", "admin").await;
    let (admin, _) = app.sign_in("registrar@cit.org", PASSWORD).await;
    let rows = |page: &str| page.matches("<time datetime=").count();
    let day = "entity=registration&from=2025-06-01&to=2025-06-01";

    let (status, _, page) = app.get(&admin, &format!("/admin/audit?{day}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&page), 50);
    assert!(page.contains("Rows 1–50 of 120"), "{page}");
    assert!(
        page.contains("paid 119") && !page.contains("paid 69<"),
        "newest first"
    );
    assert!(page.contains("aria-current=\"page\""));
    assert!(
        page.contains("sort=when&amp;dir=desc&amp;page=3\""),
        "a link to the last page"
    );

    let (_, _, page) = app.get(&admin, &format!("/admin/audit?{day}&page=3")).await;
    assert_eq!(rows(&page), 20);
    assert!(page.contains("Rows 101–120 of 120"));
    assert!(page.contains(">paid 0<") && page.contains(">paid 19<") && !page.contains(">paid 20<"));

    let (_, _, page) = app
        .get(&admin, &format!("/admin/audit?{day}&sort=asc"))
        .await;
    let first = page.find(">paid 0<").unwrap();
    let second = page.find(">paid 1<").unwrap();
    assert!(first < second, "oldest first");
    assert!(!page.contains(">paid 50<"));

    // Page past the end: the last page.
    let (_, _, page) = app
        .get(&admin, &format!("/admin/audit?{day}&page=99"))
        .await;
    assert_eq!(rows(&page), 20);

    // Who: the other person's 30.
    let (_, _, page) = app
        .get(&admin, &format!("/admin/audit?{day}&actor={other}"))
        .await;
    assert!(page.contains("Rows 1–30 of 30"), "{page}");
    // The dates: the day after holds the cancellation only.
    let (_, _, page) = app
        .get(&admin, "/admin/audit?from=2025-06-02&to=2025-06-02")
        .await;
    assert_eq!(rows(&page), 1);
    assert!(page.contains("registration.cancelled"));
    // Kind of record: certificates, by the system.
    let (_, _, page) = app
        .get(&admin, "/admin/audit?entity=certificate&to=2025-12-31")
        .await;
    assert_eq!(rows(&page), 1);
    assert!(page.contains(">System<"));
    // Bad input: the message, nothing listed.
    let (status, _, page) = app.get(&admin, "/admin/audit?from=June").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Enter a date as YYYY-MM-DD.") && rows(&page) == 0);

    // The CSV: every filtered row, in the order asked for.
    let r = admin
        .get(app.url(&format!("/admin/audit.csv?{day}&sort=asc")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 121);
    assert_eq!(
        lines[0],
        "When (UTC),Who,Action,Kind of record,Record id,Before,After,Entry id"
    );
    assert!(lines[1].starts_with("2025-06-01T15:00:00Z,Person 2 <person2@reports.test>,registration.payment_recorded,registration,0,,paid 0,"), "{}", lines[1]);
    assert!(lines[120].contains(",paid 119,"));
    let r = admin
        .get(app.url(&format!("/admin/audit.csv?{day}&actor={other}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap().lines().count(), 31);
    // What people typed cannot run as a formula.
    let csv = admin
        .get(app.url("/admin/audit.csv?entity=certificate"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains(",'=cmd(),"), "{csv}");
}

async fn reports_and_audit_are_for_administrators_only(app: &TestApp) {
    let instructor = app.create_user("teacher@cit.org", "instructor").await;
    let _ = instructor;
    let attendee = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (teacher, _) = app.sign_in("teacher@cit.org", PASSWORD).await;
    for who in [&attendee, &teacher] {
        for path in ["/admin/reports", "/admin/audit"] {
            let (status, _, page) = app.get(who, path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert!(!page.contains("<svg class=\"chart\"") && !page.contains("<time datetime="));
        }
        for path in ["/admin/reports/registrations.csv", "/admin/audit.csv"] {
            let r = who.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let done = app
            .submit(who, "/admin/reports", "admin_reports", &[])
            .await;
        assert_eq!(done.error, Some(AppError::Forbidden));
        let done = app
            .submit(who, "/admin/reports", "report_courses", &[])
            .await;
        assert_eq!(done.error, Some(AppError::Forbidden));
        let done = app.submit(who, "/admin/audit", "admin_audit", &[]).await;
        assert_eq!(done.error, Some(AppError::Forbidden));
    }
    // Signed out: asked to sign in, nothing shown.
    let visitor = app.browser();
    let r = visitor
        .get(app.url("/admin/audit.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _, page) = app.get(&visitor, "/admin/reports").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("Please sign in"));
}
