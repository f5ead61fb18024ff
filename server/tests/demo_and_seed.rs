//! `cit-academy serve`, `seed` and `demo`, run as the real binary on one data directory, on
//! both databases: a production start loads the catalog and nothing else; `demo` started
//! again keeps the data and gives the demo accounts fresh passwords; `seed` runs any number
//! of times (issue 21, defects 1 and 3).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{smtp_sink::unused_port, Backend};
use std::{process::Stdio, time::Duration};

#[test]
fn serve_on_an_empty_sqlite_database_loads_the_catalog_only() {
    common::run(serve_on_an_empty_database(Backend::Sqlite));
}

#[test]
fn serve_on_an_empty_postgres_database_loads_the_catalog_only() {
    if let Some(backend) = Backend::postgres() {
        common::run(serve_on_an_empty_database(backend));
    }
}

#[test]
fn demo_twice_and_seed_three_times_on_sqlite() {
    common::run(demo_twice_and_seed_three_times(Backend::Sqlite));
}

#[test]
fn demo_twice_and_seed_three_times_on_postgres() {
    if let Some(backend) = Backend::postgres() {
        common::run(demo_twice_and_seed_three_times(backend));
    }
}

/// Issue 22: over https, badges signed with a key made at start-up would stop verifying at
/// the next restart; the server refuses to start without a configured key and says how to
/// make one, and starts once it has one.
#[test]
fn https_without_a_badge_key_refuses_to_start() {
    common::run(async {
        let site = Site::new(Backend::Sqlite).await;
        site.run(&["migrate"]).await;
        let port = unused_port().await;
        let bind = format!("127.0.0.1:{port}");
        let serve = |key: Option<&str>| {
            let mut cmd = site.command(&["serve", "--bind", &bind]);
            cmd.env("CIT_PUBLIC_URL", "https://academy.example.org")
                .env_remove("CIT_BADGE_SIGNING_KEY")
                .env_remove("CIT_BADGE_SIGNING_KEY_FILE");
            if let Some(key) = key {
                cmd.env("CIT_BADGE_SIGNING_KEY", key);
            }
            cmd
        };
        let refused = tokio::time::timeout(Duration::from_secs(60), serve(None).output())
            .await
            .expect("the server stops at once")
            .unwrap();
        let said = String::from_utf8_lossy(&refused.stderr).into_owned()
            + &String::from_utf8_lossy(&refused.stdout);
        assert!(!refused.status.success(), "{said}");
        assert!(
            said.contains("CIT_BADGE_SIGNING_KEY") && said.contains("cit-academy badge-key"),
            "{said}"
        );
        // With a key (made by the command the message names) it starts.
        let key = site.run(&["badge-key"]).await;
        let mut started = serve(Some(&key))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let client = reqwest::Client::new();
        let mut up = false;
        for _ in 0..600 {
            if let Ok(r) = client.get(format!("http://{bind}/healthz")).send().await {
                up = r.status().is_success();
                break;
            }
            assert!(
                started.try_wait().unwrap().is_none(),
                "the server with a key exited"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "the server with a key did not answer");
        started.kill().await.unwrap();
        site.finish().await;
    });
}

/// A data directory and an empty database, dropped (PostgreSQL) at the end.
struct Site {
    dir: tempfile::TempDir,
    database_url: String,
    backend: Backend,
    pg_name: Option<String>,
}

impl Site {
    async fn new(backend: Backend) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, pg_name) = common::fresh_database(&backend, dir.path()).await;
        Site {
            dir,
            database_url,
            backend,
            pg_name,
        }
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_cit-academy"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("DATABASE_URL", &self.database_url)
            .env("CIT_DATA_DIR", self.data())
            .env("LEPTOS_SITE_ROOT", self.data())
            .env_remove("SMTP_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// Runs a command that ends; returns its standard output, failing on an error.
    async fn run(&self, args: &[&str]) -> String {
        let out = self.command(args).output().await.unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "cit-academy {args:?}: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// Starts a serving command (`serve`, `demo`), waits until it answers, runs `while_up`
    /// against its address, stops it and returns what it printed.
    async fn serving<F, Fut>(&self, command: &str, while_up: F) -> String
    where
        F: FnOnce(String) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let port = unused_port().await;
        let base = format!("http://127.0.0.1:{port}");
        let mut child = self
            .command(&[command, "--bind", &format!("127.0.0.1:{port}")])
            .env("CIT_PUBLIC_URL", &base)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let client = reqwest::Client::new();
        let mut up = false;
        for _ in 0..600 {
            if let Ok(Some(status)) = child.try_wait() {
                let out = child.wait_with_output().await.unwrap();
                panic!(
                    "cit-academy {command} exited ({status}):\n{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
                if r.status().is_success() {
                    up = true;
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "cit-academy {command} did not come up within 60 s");
        while_up(base).await;
        child.start_kill().unwrap();
        let out = child.wait_with_output().await.unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    async fn db(&self) -> app::db::Db {
        cit_server::commands::migrate::open_migrated(&self.database_url)
            .await
            .unwrap()
    }

    async fn finish(self) {
        if let (Backend::Postgres(server), Some(name)) = (&self.backend, &self.pg_name) {
            common::drop_database(server, name).await;
        }
    }
}

/// What a database holds, counted: enough to see that a command kept or added nothing.
#[derive(Debug, PartialEq, Eq)]
struct Contents {
    courses: i64,
    topic_ids: Vec<i64>,
    questions: i64,
    published_tests: i64,
    offerings: i64,
    users: i64,
    registrations: i64,
}

async fn contents(db: &app::db::Db) -> Contents {
    let count = |sql: &'static str| async move {
        app::db::on_db!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
    };
    Contents {
        courses: count("SELECT COUNT(*) FROM courses").await,
        topic_ids: app::db::on_db!(db, pool => sqlx::query_scalar("SELECT id FROM course_topics ORDER BY id").fetch_all(pool).await.unwrap()),
        questions: count("SELECT COUNT(*) FROM questions").await,
        published_tests: count("SELECT COUNT(*) FROM exams WHERE published_at IS NOT NULL").await,
        offerings: count("SELECT COUNT(*) FROM offerings").await,
        users: count("SELECT COUNT(*) FROM users").await,
        registrations: count("SELECT COUNT(*) FROM registrations").await,
    }
}

/// The demo accounts' passwords as `demo` printed them: (email, password).
fn printed_passwords(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [_, email, password] if email.ends_with("@demo.cit-academy.org") => {
                    Some(((*email).to_owned(), (*password).to_owned()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Whether `password` signs `email` in at the site at `base` (a form post without JavaScript).
async fn signs_in(base: &str, email: &str, password: &str) -> bool {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(format!("{base}/api/sign_in"))
        .header(reqwest::header::ACCEPT, "text/html")
        .header(reqwest::header::REFERER, format!("{base}/signin"))
        .header(reqwest::header::ORIGIN, base)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    r.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        == Some("/dashboard")
}

async fn serve_on_an_empty_database(backend: Backend) {
    let site = Site::new(backend).await;
    let printed = site.serving("serve", |_| async {}).await;
    assert!(!printed.contains("password"), "{printed}");
    let db = site.db().await;
    let c = contents(&db).await;
    let catalog = app::domain::catalog::seed_courses();
    let topics: usize = catalog.iter().map(|c| c.topics.len()).sum();
    assert_eq!(
        (c.courses, c.topic_ids.len()),
        (catalog.len() as i64, topics),
        "the catalog"
    );
    assert_eq!(
        (
            c.questions,
            c.published_tests,
            c.offerings,
            c.users,
            c.registrations
        ),
        (0, 0, 0, 0, 0),
        "no demonstration data: {c:?}"
    );
    db.close().await;
    site.finish().await;
}

async fn demo_twice_and_seed_three_times(backend: Backend) {
    let site = Site::new(backend).await;
    let first = site.serving("demo", |_| async {}).await;
    let first_passwords = printed_passwords(&first);
    assert_eq!(first_passwords.len(), 3, "{first}");
    assert!(first.contains("accounts created"), "{first}");
    let db = site.db().await;
    let loaded = contents(&db).await;
    db.close().await;
    assert!(
        loaded.questions > 0 && loaded.published_tests > 0 && loaded.offerings > 0,
        "{loaded:?}"
    );

    // Started again: nothing lost or doubled, fresh passwords that work, old ones that don't.
    let (admin, old) = first_passwords[0].clone();
    let second = site
        .serving("demo", |base| async move {
            assert!(!signs_in(&base, &admin, &old).await, "the old password");
        })
        .await;
    let second_passwords = printed_passwords(&second);
    assert_eq!(second_passwords.len(), 3, "{second}");
    assert!(
        second.contains("everything in it was kept") && second.contains("new passwords"),
        "{second}"
    );
    let db = site.db().await;
    for (a, b) in first_passwords.iter().zip(&second_passwords) {
        assert_eq!(a.0, b.0);
        assert_ne!(a.1, b.1, "a fresh password for {}", a.0);
        let email = app::domain::email::Email::parse(&b.0).unwrap();
        let stored = app::db::users::find_by_email(&db, &email)
            .await
            .unwrap()
            .unwrap()
            .password_hash;
        let verify = |p: &str| app::auth::password_hash::verify(p.to_owned(), Some(stored.clone()));
        assert!(verify(&b.1).await.unwrap(), "the new password works");
        assert!(!verify(&a.1).await.unwrap(), "the old one does not");
    }
    assert_eq!(contents(&db).await, loaded, "demo kept the data");
    // The demo instructor teaches the coordinator course, so its bank is open to them
    // (instructors reach only the banks of courses they teach).
    let instructor = app::domain::email::Email::parse("instructor@demo.cit-academy.org").unwrap();
    let instructor = app::db::users::find_by_email(&db, &instructor)
        .await
        .unwrap()
        .unwrap();
    let citc = app::db::courses::ids_by_code(&db).await.unwrap()["CITC"];
    assert_eq!(
        app::db::teaching::courses_taught(&db, instructor.id)
            .await
            .unwrap(),
        vec![citc]
    );
    db.close().await;

    // `seed` any number of times, with or without the demonstration data: nothing changes.
    for args in [&["seed"][..], &["seed", "--demo"], &["seed"]] {
        let out = site.run(args).await;
        assert!(out.contains("Catalog loaded (0 new courses)"), "{out}");
        let db = site.db().await;
        assert_eq!(contents(&db).await, loaded, "after {args:?}");
        db.close().await;
    }
    site.finish().await;
}
