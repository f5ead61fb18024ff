//! Starts the real application on a free port, on a fresh SQLite file or a fresh PostgreSQL
//! database, and drives it over HTTP the way a browser without JavaScript would.

#![allow(dead_code)] // each test binary uses a different part of this

pub mod certified;
pub mod exam;
pub mod multipart;
pub mod site;
pub mod smtp_sink;

use app::{db::Db, error::AppError};
use base64::Engine;
use cit_server::{commands, config::Config, router};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{header, redirect::Policy, Client, StatusCode};
use std::{net::SocketAddr, ops::Deref, sync::Arc, time::Duration};

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    /// The server URL to create a fresh database on.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL from `CIT_TEST_POSTGRES_URL`, or `None` (with a loud note) when unset.
    pub fn postgres() -> Option<Backend> {
        match std::env::var("CIT_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Backend::Postgres(url)),
            _ => {
                eprintln!("\n*** CIT_TEST_POSTGRES_URL is not set: the PostgreSQL half of this test did NOT run ***\n");
                None
            }
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The database's URL, for other processes (`cit-academy` commands, more servers).
    pub database_url: String,
    pub backend: Backend,
    pg_name: Option<String>,
    _dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

/// Where every accepted sign-up goes ("check your inbox"), new address or not.
pub const SIGNED_UP: &str = "/signup?sent=1";

/// A strong password that the policy accepts.
pub const PASSWORD: &str = "lantern orbit mercy walnut";

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts the app; `adjust` may change the configuration first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        cit_server::telemetry::init();
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg_name) = fresh_database(&backend, dir.path()).await;
        let db = commands::migrate::open_migrated(&url)
            .await
            .expect("migrated database");
        commands::seed::run(&db).await.expect("catalog");

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config {
            database_url: url.clone(),
            bind: addr,
            data_dir: dir.path().to_path_buf(),
            public_url: format!("http://{addr}"),
            trusted_proxies: Default::default(),
            session_idle: Duration::from_secs(3600),
            session_max: Duration::from_secs(12 * 3600),
            site_root: dir.path().join("site").display().to_string(),
            smtp_url: None,
            mail_from: cit_server::config::DEFAULT_MAIL_FROM.to_owned(),
            badge_key: None,
            renewal: Default::default(),
            // Every test browser is 127.0.0.1: the per-address limit has a test of its own.
            sign_ups_per_address: 10_000,
        };
        adjust(&mut config);
        let (app, _store) = router::build(&config, db.clone()).await.expect("router");
        let server = tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        TestApp {
            base: format!("http://{addr}"),
            db,
            database_url: url,
            backend,
            pg_name,
            _dir: dir,
            server,
        }
    }

    /// A browser: keeps cookies, does not follow redirects (tests look at them).
    pub fn browser(&self) -> Browser {
        browser_at(&self.base)
    }

    /// The absolute URL of a path (absolute URLs, as in redirects, pass through).
    pub fn url(&self, path: &str) -> String {
        absolute(&self.base, path)
    }

    /// Submits a form to a server function as a browser without JavaScript does: URL-encoded,
    /// accepting HTML, with the page it came from as Referer.
    pub async fn submit(
        &self,
        client: &Browser,
        from_page: &str,
        function: &str,
        fields: &[(&str, &str)],
    ) -> Submitted {
        submit_at(&self.base, client, from_page, function, fields).await
    }

    /// Signs up a new attendee, then signs them in (sign-up itself signs nobody in: it
    /// answers "check your inbox" whether or not the address had an account), and returns
    /// their signed-in browser.
    pub async fn sign_up(&self, name: &str, email: &str) -> Browser {
        let client = self.browser();
        let done = self
            .submit(
                &client,
                "/signup",
                "sign_up",
                &sign_up_fields(name, email, PASSWORD),
            )
            .await;
        assert_eq!(
            done.location.as_deref(),
            Some(SIGNED_UP),
            "sign-up failed: {:?}",
            done.error
        );
        let signed_in = self
            .submit(
                &client,
                "/signin",
                "sign_in",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            signed_in.location.as_deref(),
            Some("/dashboard"),
            "sign-in after sign-up failed: {:?}",
            signed_in.error
        );
        client
    }

    /// Opens the newest verification link mailed to `email` in a fresh browser, as the
    /// account's owner reading their mail elsewhere would, and confirms it with the account's
    /// password. Returns the browser, now signed in.
    pub async fn verify_email(&self, email: &str) -> Browser {
        let link = self
            .emailed_link(email, "verify_email")
            .await
            .expect("a verification link");
        self.confirm_link(&link).await
    }

    /// Confirms the verification link `link` (`/verify-email/<token>`) in a fresh browser
    /// with the account's password; returns the browser, now signed in.
    pub async fn confirm_link(&self, link: &str) -> Browser {
        let client = self.browser();
        let (status, _, html) = self.get(&client, link).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Confirm my email address"), "{html}");
        let token = link.trim_start_matches("/verify-email/");
        let done = self
            .submit(
                &client,
                link,
                "confirm_email",
                &[("token", token), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            done.location.as_deref(),
            Some("/dashboard?verified=1"),
            "verification failed: {:?}",
            done.error
        );
        client
    }

    /// Creates an account with a role directly (as the command line does).
    pub async fn create_user(&self, email: &str, role: &str) -> i64 {
        let account = commands::user_add::Account {
            email,
            name: "Staff Member",
            role,
            agency: "CIT Academy",
        };
        commands::user_add::create(&self.db, &account, PASSWORD)
            .await
            .expect("user created")
    }

    /// Signs in and returns the browser.
    pub async fn sign_in(&self, email: &str, password: &str) -> (Browser, Submitted) {
        let client = self.browser();
        let done = self
            .submit(
                &client,
                "/signin",
                "sign_in",
                &[("email", email), ("password", password)],
            )
            .await;
        (client, done)
    }

    pub async fn get(&self, client: &Browser, path: &str) -> (StatusCode, Option<String>, String) {
        get_at(&self.base, client, path).await
    }

    /// The path of the newest emailed link of `kind` to `to` (`/verify-email/<token>`, ...),
    /// read from the outbox as the recipient would read it in the message.
    pub async fn emailed_link(&self, to: &str, kind: &str) -> Option<String> {
        let rows = app::db::outbox::recent(&self.db, 1000)
            .await
            .expect("outbox");
        let row = rows
            .into_iter()
            .find(|r| r.to_address == to && r.kind == kind)?;
        let body = row.body_to_send();
        let start = body.find(&self.base)? + self.base.len();
        body[start..].split_whitespace().next().map(str::to_owned)
    }

    /// How many messages of `kind` went to `to`.
    pub async fn emails_to(&self, to: &str, kind: &str) -> usize {
        app::db::outbox::recent(&self.db, 1000)
            .await
            .expect("outbox")
            .iter()
            .filter(|r| r.to_address == to && r.kind == kind)
            .count()
    }

    /// Makes every emailed link expire (as if the time had passed).
    pub async fn expire_links(&self) {
        let past = chrono::Utc::now() - chrono::Duration::minutes(1);
        app::db::on_db!(&self.db, pool => {
            sqlx::query("UPDATE email_tokens SET expires_at = $1")
                .bind(past)
                .execute(pool)
                .await
                .expect("expire links");
        });
    }

    /// Stops the server and drops the PostgreSQL database.
    pub async fn finish(self) {
        self.server.abort();
        self.db.close().await;
        if let (Backend::Postgres(server), Some(name)) = (&self.backend, &self.pg_name) {
            drop_database(server, name).await;
        }
    }
}

/// An empty database, not yet migrated: a SQLite file in `dir`, or a new PostgreSQL database
/// (its name returned, for [`drop_database`]).
pub async fn fresh_database(backend: &Backend, dir: &std::path::Path) -> (String, Option<String>) {
    match backend {
        Backend::Sqlite => (format!("sqlite://{}/test.db", dir.display()), None),
        Backend::Postgres(server) => {
            let name = format!("cit_test_{}", rand::random::<u64>());
            let admin = sqlx::PgPool::connect(server)
                .await
                .expect("PostgreSQL reachable at CIT_TEST_POSTGRES_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .expect("create test database");
            admin.close().await;
            (replace_database(server, &name), Some(name))
        }
    }
}

/// Drops a database [`fresh_database`] made on the PostgreSQL server `server`.
pub async fn drop_database(server: &str, name: &str) {
    if let Ok(admin) = sqlx::PgPool::connect(server).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin)
            .await;
        admin.close().await;
    }
}

/// A browser for the server at `base`: keeps cookies, does not follow redirects.
pub fn browser_at(base: &str) -> Browser {
    let jar = Arc::new(Jar::default());
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .build()
        .expect("client");
    Browser {
        client,
        jar,
        base: base.to_owned(),
    }
}

/// `path` on the server at `base` (absolute URLs, as in redirects, pass through).
fn absolute(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else {
        format!("{base}{path}")
    }
}

/// Submits a form to a server function of the server at `base` (see [`TestApp::submit`]).
pub async fn submit_at(
    base: &str,
    client: &Browser,
    from_page: &str,
    function: &str,
    fields: &[(&str, &str)],
) -> Submitted {
    let response = client
        .post(format!("{base}/api/{function}"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, absolute(base, from_page))
        .header(header::ORIGIN, base)
        .form(fields)
        .send()
        .await
        .expect("request");
    Submitted::from(response)
}

/// Opens `path` on the server at `base` as a browser navigates: accepting HTML (Leptos
/// answers redirects with 302 then).
pub async fn get_at(
    base: &str,
    client: &Browser,
    path: &str,
) -> (StatusCode, Option<String>, String) {
    let response = client
        .get(absolute(base, path))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .expect("request");
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.unwrap_or_default())
}

pub fn sign_up_fields<'a>(
    name: &'a str,
    email: &'a str,
    password: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("email", email),
        ("password", password),
        ("agency", "Denver Police Department"),
        ("agency_type", "law_enforcement"),
    ]
}

/// What a no-JavaScript form submission came back with.
#[derive(Debug)]
pub struct Submitted {
    pub status: StatusCode,
    pub location: Option<String>,
    /// The error the server put into the redirect for the page to show, if any.
    pub error: Option<AppError>,
    pub set_cookie: Vec<String>,
}

impl From<reqwest::Response> for Submitted {
    fn from(r: reqwest::Response) -> Self {
        let location = r
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let set_cookie = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect();
        let error = location.as_deref().and_then(decode_error);
        Submitted {
            status: r.status(),
            location,
            error,
            set_cookie,
        }
    }
}

/// Leptos puts a failed form's error into the redirect: `?__path=...&__err=<base64 JSON>`.
fn decode_error(location: &str) -> Option<AppError> {
    let url = reqwest::Url::parse("http://localhost")
        .ok()?
        .join(location)
        .ok()?;
    let encoded = url
        .query_pairs()
        .find(|(k, _)| k == "__err")?
        .1
        .into_owned();
    let bytes = base64::engine::general_purpose::URL_SAFE
        .decode(encoded.as_bytes())
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// A second connection pool on the same database: another server's, for tests of work that
/// several servers do at once.
pub async fn second_server(db: &Db) -> Db {
    match db {
        Db::Sqlite(pool) => Db::Sqlite(
            sqlx::SqlitePool::connect_with((*pool.connect_options()).clone())
                .await
                .expect("second SQLite pool"),
        ),
        Db::Postgres(pool) => Db::Postgres(
            sqlx::PgPool::connect_with((*pool.connect_options()).clone())
                .await
                .expect("second PostgreSQL pool"),
        ),
    }
}

/// The one runtime every test of a binary runs on, as in production (one runtime per
/// process, several servers on it).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .expect("test runtime")
    })
}

/// Runs a test body on the shared runtime, failing it (rather than hanging CI) after 120 s.
pub fn run<F: std::future::Future<Output = ()> + Send + 'static>(body: F) {
    run_for(Duration::from_secs(120), body);
}

/// Runs a test body on the shared runtime, failing it after `limit`.
pub fn run_for<F: std::future::Future<Output = ()> + Send + 'static>(limit: Duration, body: F) {
    runtime().block_on(async move {
        // Spawned, so that a panic in the body fails this test with its own message.
        let task = tokio::spawn(body);
        match tokio::time::timeout(limit, task).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Ok(Err(e)) => panic!("test task failed: {e}"),
            Err(_) => panic!("test did not finish within {limit:?}"),
        }
    });
}

/// Defines each named async test function twice: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    $crate::common::run(async {
                        let app = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite).await;
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
                    $crate::common::run(async {
                        let Some(backend) = $crate::common::Backend::postgres() else { return };
                        let app = $crate::common::TestApp::spawn(backend).await;
                        super::$name(&app).await;
                        app.finish().await;
                    });
                }
            )*
        }
    };
}

/// A client with a readable cookie jar (a clone shares the cookies).
#[derive(Clone)]
pub struct Browser {
    client: Client,
    jar: Arc<Jar>,
    base: String,
}

impl Browser {
    /// The cookies this browser would send to the app, as a `Cookie` header value.
    pub fn cookies(&self) -> String {
        let url = reqwest::Url::parse(&self.base).expect("base url");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The session cookie pair, e.g. `cit_session=abc`.
    pub fn session_cookie(&self) -> String {
        self.cookies()
            .split("; ")
            .find(|c| c.starts_with("cit_session="))
            .unwrap_or_default()
            .to_owned()
    }
}

impl Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

impl TestApp {
    /// The first class listed on course `code`'s page.
    pub async fn first_offering(&self, code: &str) -> i64 {
        let (_, _, html) = self.get(&self.browser(), &format!("/courses/{code}")).await;
        html.split("href=\"/offerings/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|id| id.parse().ok())
            .expect("a class on the course page")
    }

    /// Creates the instructor `email`, assigns them to class `offering` (so they teach its
    /// course) and signs them in.
    pub async fn instructor_of(&self, email: &str, offering: i64) -> Browser {
        let id = self.create_user(email, "instructor").await;
        app::db::on_db!(&self.db, pool => sqlx::query("INSERT INTO offering_instructors (offering_id, user_id) VALUES ($1, $2)")
            .bind(offering).bind(id).execute(pool).await.map(|_| ()).expect("assigned"));
        let (b, done) = self.sign_in(email, PASSWORD).await;
        assert_eq!(done.error, None, "{email} signs in");
        b
    }

    /// Registers `who` (signed in as `email`) for class `offering` from its page; the
    /// registration's id.
    pub async fn register(&self, who: &Browser, email: &str, offering: i64) -> i64 {
        let done = self
            .submit(
                who,
                &format!("/offerings/{offering}"),
                "register",
                &[("offering_id", &offering.to_string())],
            )
            .await;
        assert_eq!(done.error, None, "registration refused");
        app::db::on_db!(&self.db, pool => sqlx::query_scalar("SELECT r.id FROM registrations r JOIN users u ON u.id = r.user_id WHERE u.email = $1 AND r.offering_id = $2").bind(email).bind(offering).fetch_one(pool).await.expect("registration"))
    }
}
