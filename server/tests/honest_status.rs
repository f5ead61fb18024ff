//! Honest status codes (issue 21, defect 11), on both databases: a server function that refuses
//! user input (an unreadable GIFT file, a roll-call value, a payment without its method, a
//! missing permission) answers a JavaScript request with the status of its `AppError` (400,
//! 401, 403, 404) and the same JSON body, answers a form posted without JavaScript with the
//! redirect back that carries the message, and logs nothing at ERROR; a fault still answers 500
//! and is logged at ERROR.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use chrono::{Duration, Utc};
use common::{Browser, TestApp};
use reqwest::{header, StatusCode};
use std::sync::{Arc, Mutex, OnceLock};
use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt};

/// `on_both_databases!`, with the log captured before the app sets up its own logging (which
/// then finds a subscriber in place and leaves it).
macro_rules! on_both_databases_logged {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    super::logs();
                    crate::common::run(async {
                        let app = crate::common::TestApp::spawn(crate::common::Backend::Sqlite).await;
                        super::$name(&app).await;
                        app.finish().await;
                    });
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    super::logs();
                    crate::common::run(async {
                        let Some(backend) = crate::common::Backend::postgres() else { return };
                        let app = crate::common::TestApp::spawn(backend).await;
                        super::$name(&app).await;
                        app.finish().await;
                    });
                }
            )*
        }
    };
}

on_both_databases_logged!(
    refusals_answer_their_status_and_their_message_with_or_without_javascript,
    a_fault_still_answers_500_and_is_logged_as_an_error,
    oversized_bodies_and_fields_are_refused_with_a_message,
);

/// A form's fields, as posted.
type Form<'a> = [(&'a str, &'a str)];

/// Functions whose refusals this file makes: none of their requests may log at ERROR.
const REFUSED: [&str; 3] = [
    "/api/import_gift",
    "/api/save_roll_call",
    "/api/record_payment",
];

async fn refusals_answer_their_status_and_their_message_with_or_without_javascript(app: &TestApp) {
    let logs = logs();
    let class = class(app).await;
    let (reg, meeting) = (class.registration.to_string(), class.meeting.to_string());

    // An unreadable GIFT file, checked before import.
    let gift = [
        ("code", "CITC"),
        (
            "gift",
            "::Speed:: How many sessions does the course have? {#2}",
        ),
        ("mode", "check"),
    ];
    // A roll-call status that does not exist.
    let roll = [
        ("meeting_id", meeting.as_str()),
        ("rows[0][registration_id]", reg.as_str()),
        ("rows[0][status]", "asleep"),
        ("rows[0][minutes]", ""),
        ("rows[0][note]", ""),
    ];
    // Paid, but not said how.
    let payment = [
        ("registration_id", reg.as_str()),
        ("payment_status", "paid"),
        ("payment_method", ""),
        ("payment_reference", ""),
    ];
    let cases: [(&str, &Form, String); 3] = [
        ("import_gift", &gift, "gift".to_owned()),
        ("save_roll_call", &roll, format!("status-{reg}")),
        ("record_payment", &payment, format!("payment_method-{reg}")),
    ];
    for (function, fields, field) in &cases {
        let (status, error) = call_as_javascript(app, &class.admin, function, fields).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{function}: {error:?}");
        let message = error.as_ref().and_then(|e| e.field_message(field));
        assert!(message.is_some(), "{function}: {field} in {error:?}");

        // Without JavaScript: the redirect back to the form, with the same message.
        let done = app.submit(&class.admin, "/teach", function, fields).await;
        assert_eq!(done.status, StatusCode::FOUND, "{function}");
        assert_eq!(
            done.error.as_ref().and_then(|e| e.field_message(field)),
            message,
            "{function}"
        );
    }

    // Who may not: 403 signed in, 401 signed out; something gone: 404.
    let (status, error) =
        call_as_javascript(app, &class.attendee, "record_payment", &payment).await;
    assert_eq!(
        (status, error),
        (StatusCode::FORBIDDEN, Some(AppError::Forbidden))
    );
    let (status, error) = call_as_javascript(app, &app.browser(), "record_payment", &payment).await;
    assert_eq!(
        (status, error),
        (StatusCode::UNAUTHORIZED, Some(AppError::Unauthenticated))
    );
    let missing = [
        ("registration_id", "999999"),
        ("payment_status", "waived"),
        ("payment_method", ""),
        ("payment_reference", ""),
    ];
    let (status, error) = call_as_javascript(app, &class.admin, "record_payment", &missing).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error:?}");
    assert!(matches!(error, Some(AppError::NotFound(_))), "{error:?}");

    let lines = logs.lines();
    let errors: Vec<_> = lines
        .iter()
        .filter(|l| l.level == tracing::Level::ERROR && REFUSED.contains(&l.path.as_str()))
        .collect();
    assert!(errors.is_empty(), "refusals logged at ERROR: {errors:?}");
    for function in REFUSED {
        assert!(
            lines
                .iter()
                .any(|l| l.path == function && l.text.contains("request refused")),
            "{function}'s refusals are logged (at INFO): {lines:?}"
        );
    }
}

async fn a_fault_still_answers_500_and_is_logged_as_an_error(app: &TestApp) {
    let logs = logs();
    // The catalog's table gone: the database fails under a server function that reads it.
    rename(app, "courses", "courses_gone").await;
    let (status, error) = call_as_javascript(app, &app.browser(), "list_courses", &[]).await;
    rename(app, "courses_gone", "courses").await;
    assert_eq!(
        (status, error),
        (StatusCode::INTERNAL_SERVER_ERROR, Some(AppError::Internal))
    );
    assert!(
        logs.lines()
            .iter()
            .any(|l| l.level == tracing::Level::ERROR && l.path == "/api/list_courses"),
        "a fault is logged at ERROR"
    );
}

/// Issue 22, finding 9: a body over the limit is refused before it is read whole, with a
/// page that says why; a text field of an upload form over its limit is refused next to the
/// field. Nothing is stored either way.
async fn oversized_bodies_and_fields_are_refused_with_a_message(app: &TestApp) {
    let class = class(app).await;
    let questions = || async {
        app::db::on_db!(&app.db, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM questions").fetch_one(pool).await.unwrap())
    };
    let before = questions().await;
    let huge = "::Q:: Which? {=a ~b}\n".repeat(300_000);
    let response = class
        .admin
        .post(app.url("/api/import_gift"))
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, &app.base)
        .form(&[
            ("code", "CITC"),
            ("gift", huge.as_str()),
            ("mode", "import"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = response.text().await.unwrap();
    assert!(page.contains("larger than 4 MB"), "{page}");
    assert_eq!(questions().await, before, "nothing imported");

    let long_note = "7".repeat(20_000);
    let done = common::multipart::post_file(
        app,
        &class.admin,
        "upload_attendance_report",
        "/teach",
        &[("meeting_id", long_note.as_str())],
        ("report", "report.csv", b"Name,Email\n"),
    )
    .await;
    let message = done
        .error
        .as_ref()
        .and_then(|e| e.field_message("meeting_id"));
    assert!(
        message.as_deref().is_some_and(|m| m.contains("too long")),
        "{:?}",
        done.error
    );
}

async fn rename(app: &TestApp, from: &str, to: &str) {
    let sql = format!("ALTER TABLE {from} RENAME TO {to}");
    app::db::on_db!(&app.db, pool => sqlx::query(&sql).execute(pool).await.map(|_| ()).unwrap());
}

/// Posts `fields` to a server function as the hydrated page does: URL-encoded, asking for
/// JSON, from the same site. The status and the error the body holds, if any.
async fn call_as_javascript(
    app: &TestApp,
    browser: &Browser,
    function: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Option<AppError>) {
    let response = browser
        .post(app.url(&format!("/api/{function}")))
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, &app.base)
        .form(fields)
        .send()
        .await
        .expect("request");
    let status = response.status();
    let body = response.bytes().await.unwrap_or_default();
    (status, serde_json::from_slice(&body).ok())
}

struct Class {
    admin: Browser,
    attendee: Browser,
    registration: i64,
    /// A session of the class that ended yesterday.
    meeting: i64,
}

/// The first seeded coordinator class with one person registered, its first session moved
/// to yesterday, and an administrator.
async fn class(app: &TestApp) -> Class {
    let offering = app.first_offering("CITC").await;
    let attendee = app.sign_up("Pat Doe", "pat@denver.gov").await;
    let registration = app.register(&attendee, "pat@denver.gov", offering).await;
    let meeting: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM meetings WHERE offering_id = $1 ORDER BY starts_at").bind(offering).fetch_one(pool).await.unwrap());
    let start = Utc::now() - Duration::days(1);
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE meetings SET starts_at = $1, ends_at = $2 WHERE id = $3").bind(start).bind(start + Duration::hours(4)).bind(meeting).execute(pool).await.map(|_| ()).unwrap());
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    Class {
        admin,
        attendee,
        registration,
        meeting,
    }
}

/// One logged event: its level, the path of the request it happened in, its fields.
#[derive(Debug, Clone)]
struct Line {
    level: tracing::Level,
    path: String,
    text: String,
}

/// Every event logged in this process, with the request path of its span.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<Line>>>);

impl Logs {
    fn lines(&self) -> Vec<Line> {
        self.0.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// The process's log, captured from the first test on.
fn logs() -> Logs {
    static LOGS: OnceLock<Logs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        tracing_subscriber::registry()
            .with(tracing_subscriber::filter::LevelFilter::INFO)
            .with(logs.clone())
            .init();
        logs
    })
    .clone()
}

/// A span's `path` field.
struct Path(String);

#[derive(Default)]
struct Text(String);

impl tracing::field::Visit for Text {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S> tracing_subscriber::Layer<S> for Logs
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut text = Text::default();
        attrs.record(&mut text);
        let path = text
            .0
            .split_whitespace()
            .find_map(|f| f.strip_prefix("path="))
            .map(|p| p.to_owned());
        if let (Some(path), Some(span)) = (path, ctx.span(id)) {
            span.extensions_mut().insert(Path(path));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: tracing_subscriber::layer::Context<'_, S>) {
        let mut text = Text::default();
        event.record(&mut text);
        let path = ctx
            .event_scope(event)
            .and_then(|scope| {
                scope
                    .into_iter()
                    .find_map(|span| span.extensions().get::<Path>().map(|p| p.0.clone()))
            })
            .unwrap_or_default();
        if let Ok(mut lines) = self.0.lock() {
            lines.push(Line {
                level: *event.metadata().level(),
                path,
                text: text.0,
            });
        }
    }
}
