//! Paging and sorting of the lists that grow, on both databases: more than a page of rows is
//! seeded straight into the database for the certificates, classes, accounts and a question
//! bank; every sort column, both ways, must give the rows in the order a sort in Rust over the
//! same data gives (the id breaking ties), page after page with nothing repeated or skipped;
//! an unknown column is the list's default, a page past the end is the last; the links keep
//! the filters.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::components::paging::Paging;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::{Browser, TestApp};
use reqwest::{header, StatusCode};

on_both_databases!(
    certificates_page_and_sort_by_every_column,
    classes_page_and_sort_by_every_column,
    accounts_page_and_sort_by_every_column,
    the_question_bank_pages_and_sorts_by_every_column,
);

/// A list as its server function gives it: the function, where its rows are in the answer,
/// and the filters to send.
struct List {
    function: &'static str,
    rows: &'static str,
    fields: Vec<(&'static str, String)>,
}

/// A row's sort key for one column, and its id.
type Keyed = (String, i64);

/// Calls the list's server function as the hydrated page does (JSON back): the ids of the
/// rows shown, and where the list is.
async fn fetch(
    app: &TestApp,
    who: &Browser,
    list: &List,
    sort: &str,
    dir: &str,
    page: &str,
) -> (Vec<i64>, Paging) {
    let mut fields: Vec<(&str, String)> = list.fields.clone();
    fields.extend([
        ("sort", sort.to_owned()),
        ("dir", dir.to_owned()),
        ("page", page.to_owned()),
    ]);
    let response = who
        .post(app.url(&format!("/api/{}", list.function)))
        .header(header::ORIGIN, &app.base)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{}", list.function);
    let body: serde_json::Value = response.json().await.unwrap();
    let ids = body[list.rows]
        .as_array()
        .unwrap_or_else(|| panic!("no {} in {body}", list.rows))
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let paging = serde_json::from_value(body["paging"].clone()).unwrap();
    (ids, paging)
}

/// Every page in turn, joined: all full but the last.
async fn every_page(app: &TestApp, who: &Browser, list: &List, sort: &str, dir: &str) -> Vec<i64> {
    let (mut all, paging) = fetch(app, who, list, sort, dir, "1").await;
    assert_eq!(paging.sort, sort);
    assert_eq!(paging.dir.as_str(), dir);
    for page in 2..=paging.count() {
        assert_eq!(
            all.len() as u64,
            (page - 1) * 50,
            "full pages before the last"
        );
        let (ids, shown) = fetch(app, who, list, sort, dir, &page.to_string()).await;
        assert_eq!(shown.page, page);
        all.extend(ids);
    }
    assert_eq!(all.len() as u64, paging.total);
    all
}

/// The ids in the order of `keys` (then the id), ascending or reversed.
fn sorted(mut keys: Vec<Keyed>, dir: &str) -> Vec<i64> {
    keys.sort();
    let ids = keys.into_iter().map(|(_, id)| id);
    if dir == "desc" {
        ids.rev().collect()
    } else {
        ids.collect()
    }
}

/// Checks every column both ways against the order `key` gives, page 2 on its own, an
/// unknown column (the default's order) and a page past the end (the last).
async fn check_list<R>(
    app: &TestApp,
    who: &Browser,
    list: &List,
    rows: &[R],
    columns: &[&str],
    default: (&str, &str),
    key: impl Fn(&R, &str) -> Keyed,
) {
    assert!(rows.len() > 50, "more than a page seeded");
    for column in columns {
        for dir in ["asc", "desc"] {
            let expected = sorted(rows.iter().map(|r| key(r, column)).collect(), dir);
            let shown = every_page(app, who, list, column, dir).await;
            assert_eq!(shown, expected, "{} by {column} {dir}", list.function);
        }
    }
    let (column, dir) = default;
    let expected = sorted(rows.iter().map(|r| key(r, column)).collect(), dir);
    let (page_two, paging) = fetch(app, who, list, column, dir, "2").await;
    assert_eq!(page_two, expected[50..], "page 2 holds the rest");
    assert_eq!(
        paging.summary(),
        format!("Rows 51–{} of {}", rows.len(), rows.len())
    );

    let (first, paging) = fetch(app, who, list, "id; DROP TABLE users", "", "").await;
    assert_eq!((paging.sort.as_str(), paging.dir.as_str()), default);
    assert_eq!(
        first,
        expected[..50],
        "an unknown column is the default order"
    );

    let (past, paging) = fetch(app, who, list, column, dir, "99").await;
    assert_eq!(paging.page, 2, "a page past the end is the last");
    assert_eq!(past, expected[50..]);
}

/// The page (without JavaScript) of page 2 sorted by `sort`: its link back to page 1 keeps
/// the order, and the sorted column says so.
async fn second_page_links(app: &TestApp, who: &Browser, path: &str, sort: &str, dir: &str) {
    let (status, _, html) = app
        .get(who, &format!("{path}?sort={sort}&dir={dir}&page=2"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let prev = format!("href=\"{path}?sort={sort}&amp;dir={dir}\" rel=\"prev\"");
    assert!(html.contains(&prev), "{html}");
    let spoken = if dir == "asc" {
        "ascending"
    } else {
        "descending"
    };
    assert!(html.contains(&format!("aria-sort=\"{spoken}\"")));
    assert_eq!(html.matches("aria-sort=").count(), 1);
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `at` as text that sorts as the instant does.
fn instant(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// Adds an attendee account; returns its id.
async fn user(app: &TestApp, email: &str, name: &str, role: &str, at: DateTime<Utc>) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, agency, role, created_at, updated_at) \
         VALUES ($1, $2, 'x', 'Metro', $3, $4, $4) RETURNING id")
        .bind(email).bind(name).bind(role).bind(at).fetch_one(pool).await.unwrap())
}

async fn admin(app: &TestApp) -> Browser {
    app.create_user("registrar@cit.org", "admin").await;
    app.sign_in("registrar@cit.org", common::PASSWORD).await.0
}

struct Certificate {
    id: i64,
    number: String,
    holder: String,
    issued: NaiveDate,
    expires: Option<NaiveDate>,
    status: &'static str,
}

async fn certificates_page_and_sort_by_every_column(app: &TestApp) {
    let today = app::domain::certificate::issue_date(Utc::now());
    let issued_days = [
        "2024-01-10",
        "2024-03-01",
        "2025-06-30",
        "2020-03-01",
        "2024-03-01",
    ];
    let names = ["Avery Stone", "blake Reyes", "Casey Young", "dana Quinn"];
    let course_id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM courses WHERE code = 'CITC'").fetch_one(pool).await.unwrap());
    let mut seeded = Vec::new();
    for i in 0..63_i64 {
        let owner = user(
            app,
            &format!("holder{i}@paging.test"),
            "Holder",
            "attendee",
            Utc::now(),
        )
        .await;
        let issued = day(issued_days[(i % 5) as usize]);
        // Every sixth is a certificate of completion, which never expires.
        let (kind, expires) = if i % 6 == 0 {
            ("completion", None)
        } else {
            (
                "coordinator",
                Some(app::domain::certificate::expiry(issued)),
            )
        };
        let stored = if i % 7 == 3 { "revoked" } else { "active" };
        let number = format!("P-{:04}", (i * 37) % 63);
        let holder = names[(i % 4) as usize];
        let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
            "INSERT INTO certificates (number, verification_code, user_id, course_id, kind, holder_name, issued_on, expires_on, status, issued_at, mailed_at, status_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id")
            .bind(&number).bind(format!("CODE{i:012}")).bind(owner).bind(course_id).bind(kind).bind(holder)
            .bind(issued).bind(expires).bind(stored).bind(Utc::now()).bind(1000 + i)
            .fetch_one(pool).await.unwrap());
        // An active one past its last day counts as expired before the job marks it.
        let status = app::domain::certificate::status_on(
            app::domain::certificate::Status::parse(stored).unwrap(),
            expires,
            today,
        )
        .as_str();
        seeded.push(Certificate {
            id,
            number,
            holder: holder.to_owned(),
            issued,
            expires,
            status,
        });
    }
    assert!(seeded.iter().any(|c| c.status == "expired"));
    let admin = admin(app).await;
    let key = |c: &Certificate, column: &str| -> Keyed {
        let k = match column {
            "number" => c.number.clone(),
            "holder" => c.holder.to_ascii_lowercase(),
            "issued" => c.issued.to_string(),
            "expires" => c.expires.map_or("~".to_owned(), |d| d.to_string()),
            _ => c.status.to_owned(),
        };
        (k, c.id)
    };
    let list = List {
        function: "admin_certificates",
        rows: "rows",
        fields: Vec::new(),
    };
    let columns = ["number", "holder", "issued", "expires", "status"];
    check_list(
        app,
        &admin,
        &list,
        &seeded,
        &columns,
        ("issued", "desc"),
        key,
    )
    .await;

    // A filter: only what it selects, in order, page after page.
    let active: Vec<&Certificate> = seeded.iter().filter(|c| c.status == "active").collect();
    let filtered = List {
        function: "admin_certificates",
        rows: "rows",
        fields: vec![
            ("status", "active".into()),
            ("expires_before", "2100-01-01".into()),
        ],
    };
    let expected = sorted(
        active
            .iter()
            .filter(|c| c.expires.is_some())
            .map(|c| key(c, "holder"))
            .collect(),
        "desc",
    );
    assert_eq!(
        every_page(app, &admin, &filtered, "holder", "desc").await,
        expected
    );

    // The page's links keep the filters and the order; one column says how it is sorted.
    let filter = "status=active&amp;expires_before=2100-01-01";
    let (status, _, html) = app
        .get(&admin, "/admin/certificates?status=active&expires_before=2100-01-01&sort=holder&dir=desc&page=1")
        .await;
    assert_eq!(status, StatusCode::OK);
    if expected.len() > 50 {
        assert!(
            html.contains(&format!(
                "href=\"/admin/certificates?{filter}&amp;sort=holder&amp;dir=desc&amp;page=2\""
            )),
            "{html}"
        );
    }
    assert!(
        html.contains(&format!(
            "href=\"/admin/certificates?{filter}&amp;sort=holder&amp;dir=asc\""
        )),
        "the other way"
    );
    assert!(
        html.contains(&format!(
            "href=\"/admin/certificates?{filter}&amp;sort=number&amp;dir=asc\""
        )),
        "another column"
    );
    assert!(
        html.contains(&format!(
            "href=\"/admin/certificates.csv?{filter}&amp;sort=holder&amp;dir=desc\""
        )),
        "the CSV"
    );
    assert_eq!(
        html.matches("aria-sort=").count(),
        1,
        "only the sorted column says so"
    );
    assert!(html.contains("aria-sort=\"descending\""));
    assert!(
        html.contains("sorted descending; sort ascending"),
        "what the link does, spoken"
    );

    // The CSV: the whole filtered list, in the same order.
    let csv = admin
        .get(app.url("/admin/certificates.csv?sort=number&dir=asc"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let numbers: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let mut expected: Vec<&str> = seeded.iter().map(|c| c.number.as_str()).collect();
    expected.sort();
    assert_eq!(numbers, expected);
}

struct Class {
    id: i64,
    course: String,
    start: DateTime<Utc>,
    seats: i64,
}

async fn classes_page_and_sort_by_every_column(app: &TestApp) {
    let courses: Vec<(i64, String)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, title FROM courses ORDER BY id").fetch_all(pool).await.unwrap());
    let base = Utc.with_ymd_and_hms(2031, 5, 4, 15, 0, 0).unwrap();
    for i in 0..57_i64 {
        let course = courses[(i % courses.len() as i64) as usize].0;
        let start = base + Duration::days(i % 9);
        app::db::on_db!(&app.db, pool => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO offerings (course_id, capacity, seats_taken, registration_opens_at, registration_closes_at, created_at, updated_at) \
                 VALUES ($1, 30, $2, $3, $4, $3, $3) RETURNING id")
                .bind(course).bind(i % 7).bind(Utc::now()).bind(start).fetch_one(pool).await.unwrap();
            for day in 0..2 {
                sqlx::query("INSERT INTO meetings (offering_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                    .bind(id).bind(start + Duration::days(day)).bind(start + Duration::days(day) + Duration::hours(4))
                    .execute(pool).await.unwrap();
            }
        });
    }
    // Every class the list shows (the seed's too): those starting from a month ago on.
    let since = Utc::now() - Duration::days(30);
    let offerings: Vec<(i64, String, i64)> = app::db::on_db!(&app.db, pool => sqlx::query_as(
        "SELECT o.id, c.title, o.seats_taken FROM offerings o JOIN courses c ON c.id = o.course_id")
        .fetch_all(pool).await.unwrap());
    let meetings: Vec<(i64, DateTime<Utc>)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT offering_id, starts_at FROM meetings").fetch_all(pool).await.unwrap());
    let classes: Vec<Class> = offerings
        .into_iter()
        .filter_map(|(id, course, seats)| {
            let start = meetings.iter().filter(|m| m.0 == id).map(|m| m.1).min()?;
            (start >= since).then_some(Class {
                id,
                course,
                start,
                seats,
            })
        })
        .collect();
    let admin = admin(app).await;
    let list = List {
        function: "admin_offerings",
        rows: "rows",
        fields: Vec::new(),
    };
    let key = |c: &Class, column: &str| -> Keyed {
        let k = match column {
            "course" => c.course.to_ascii_lowercase(),
            "seats" => format!("{:06}", c.seats),
            _ => instant(c.start),
        };
        (k, c.id)
    };
    check_list(
        app,
        &admin,
        &list,
        &classes,
        &["course", "start", "seats"],
        ("start", "asc"),
        key,
    )
    .await;

    second_page_links(app, &admin, "/admin/offerings", "seats", "desc").await;
}

struct Account {
    id: i64,
    name: String,
    email: String,
    role: String,
    joined: DateTime<Utc>,
}

async fn accounts_page_and_sort_by_every_column(app: &TestApp) {
    let base = Utc.with_ymd_and_hms(2026, 2, 1, 9, 30, 0).unwrap();
    let names = ["Robin Ash", "alex Moss", "Sam Birch"];
    let roles = ["attendee", "instructor", "attendee", "admin"];
    for i in 0..58_i64 {
        let email = format!(
            "{}{:02}@paging.test",
            ["zed", "Amy", "kim"][(i % 3) as usize],
            57 - i
        );
        user(
            app,
            &email,
            names[(i % 3) as usize],
            roles[(i % 4) as usize],
            base + Duration::days(i % 4),
        )
        .await;
    }
    let admin = admin(app).await;
    let accounts: Vec<Account> = app::db::on_db!(&app.db, pool => sqlx::query_as::<_, (i64, String, String, String, DateTime<Utc>)>(
        "SELECT id, name, email, role, created_at FROM users").fetch_all(pool).await.unwrap())
        .into_iter()
        .map(|(id, name, email, role, joined)| Account { id, name, email, role, joined })
        .collect();
    let list = List {
        function: "list_users",
        rows: "users",
        fields: Vec::new(),
    };
    let key = |a: &Account, column: &str| -> Keyed {
        let k = match column {
            "name" => a.name.to_ascii_lowercase(),
            "email" => a.email.to_ascii_lowercase(),
            "role" => a.role.clone(),
            _ => instant(a.joined),
        };
        (k, a.id)
    };
    let columns = ["name", "email", "role", "joined"];
    check_list(
        app,
        &admin,
        &list,
        &accounts,
        &columns,
        ("joined", "desc"),
        key,
    )
    .await;
}

/// id, family, version, topic, kind, stem, status.
type QuestionRow = (i64, Option<i64>, i64, Option<i64>, String, String, String);

struct Question {
    id: i64,
    stem: String,
    topic: Option<i64>,
    kind: String,
    status: String,
    version: i64,
}

async fn the_question_bank_pages_and_sorts_by_every_column(app: &TestApp) {
    let (course_id, topics): (i64, Vec<(i64, i64)>) = app::db::on_db!(&app.db, pool => {
        let course: i64 = sqlx::query_scalar("SELECT id FROM courses WHERE code = 'CITC'").fetch_one(pool).await.unwrap();
        let topics = sqlx::query_as("SELECT id, position FROM course_topics WHERE course_id = $1 ORDER BY position")
            .bind(course).fetch_all(pool).await.unwrap();
        (course, topics)
    });
    assert!(topics.len() >= 5);
    let kinds = ["single", "multiple", "true_false", "short_answer", "essay"];
    let statuses = ["draft", "active", "retired"];
    let mut ids = Vec::new();
    for i in 0..64_usize {
        // Topics out of their order, and a few questions without one.
        let topic = (i % 9 != 0).then(|| topics[4 - i % 5].0);
        let stem = format!("{} question {:02}", ["Which", "what", "How"][i % 3], 63 - i);
        let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar(
            "INSERT INTO questions (course_id, topic_id, kind, stem, status, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(course_id).bind(topic).bind(kinds[i % 5]).bind(&stem).bind(statuses[i % 3]).bind(Utc::now())
            .fetch_one(pool).await.unwrap());
        app::db::on_db!(&app.db, pool => { sqlx::query("UPDATE questions SET family_id = id WHERE id = $1").bind(id).execute(pool).await.unwrap(); });
        ids.push(id);
    }
    // A second version of some: the bank lists only the newest of a family.
    for &family in ids.iter().step_by(10) {
        app::db::on_db!(&app.db, pool => { sqlx::query(
            "INSERT INTO questions (course_id, family_id, version, topic_id, kind, stem, status, created_at) \
             SELECT course_id, family_id, 2, topic_id, kind, 'Revised ' || stem, 'active', created_at FROM questions WHERE id = $1")
            .bind(family).execute(pool).await.unwrap(); });
    }
    let all: Vec<QuestionRow> = app::db::on_db!(&app.db, pool => sqlx::query_as(
        "SELECT id, family_id, version, topic_id, kind, stem, status FROM questions WHERE course_id = $1")
        .bind(course_id).fetch_all(pool).await.unwrap());
    let current: Vec<Question> = all
        .iter()
        .filter(|q| !all.iter().any(|n| n.1.is_some() && n.1 == q.1 && n.2 > q.2))
        .map(|q| Question {
            id: q.0,
            stem: q.5.clone(),
            topic: q
                .3
                .map(|t| topics.iter().find(|(id, _)| *id == t).unwrap().1),
            kind: q.4.clone(),
            status: q.6.clone(),
            version: q.2,
        })
        .collect();
    assert_eq!(
        current.len(),
        all.len() - 7,
        "older versions are not listed"
    );
    let admin = admin(app).await;
    let list = List {
        function: "question_bank",
        rows: "questions",
        fields: vec![("code", "citc".into())],
    };
    let key = |q: &Question, column: &str| -> Keyed {
        let k = match column {
            "question" => q.stem.to_ascii_lowercase(),
            "kind" => q.kind.clone(),
            "status" => q.status.clone(),
            "version" => format!("{:04}", q.version),
            _ => q.topic.map_or("~".to_owned(), |p| format!("{p:04}")),
        };
        (k, q.id)
    };
    let columns = ["topic", "question", "kind", "status", "version"];
    check_list(
        app,
        &admin,
        &list,
        &current,
        &columns,
        ("topic", "asc"),
        key,
    )
    .await;

    second_page_links(app, &admin, "/teach/bank/CITC", "kind", "asc").await;
}
