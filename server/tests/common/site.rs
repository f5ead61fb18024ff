//! The real `cit-academy` program for rehearsals of years of use: one data directory, one
//! database and one mail sink kept for the whole rehearsal, the program stopped (SIGTERM) and
//! started again between phases with its clock moved by whole days (`CIT_CLOCK_OFFSET_DAYS`).

use super::{
    browser_at, get_at, smtp_sink::SmtpSink, submit_at, Backend, Browser, Submitted, PASSWORD,
};
use app::db::{on_db, Db};
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use std::{io::Write, process::Stdio, time::Instant};

/// Days of grace after expiry for a late renewal (the rehearsal's organisation allows a
/// month; production's default is none).
pub const GRACE_DAYS: i64 = 30;

pub struct Site {
    pub base: String,
    pub database_url: String,
    /// The rehearsal's own pool: setup through the data layer, and the invariant checks.
    pub db: Db,
    /// How far the running program's clock is moved.
    pub offset_days: i64,
    pub mail: SmtpSink,
    backend: Backend,
    pg_name: Option<String>,
    port: u16,
    data: tempfile::TempDir,
    process: Option<tokio::process::Child>,
    started: Instant,
}

impl Site {
    /// A fresh database and data directory, the program started at today's date.
    pub async fn create(backend: Backend) -> Site {
        let data = tempfile::tempdir().expect("data dir");
        let (database_url, pg_name) = super::fresh_database(&backend, data.path()).await;
        let port = super::smtp_sink::unused_port().await;
        let mail = SmtpSink::start().await;
        let mut site = Site {
            base: format!("http://127.0.0.1:{port}"),
            database_url,
            // Replaced once the program has created and migrated the database.
            db: Db::Sqlite(sqlx::SqlitePool::connect_lazy("sqlite::memory:").expect("pool")),
            offset_days: 0,
            mail,
            backend,
            pg_name,
            port,
            data,
            process: None,
            started: Instant::now(),
        };
        site.start(0).await;
        site.db = cit_server::commands::migrate::open_migrated(&site.database_url)
            .await
            .expect("the program's database");
        site
    }

    /// The instant the running program reads as now.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::days(self.offset_days)
    }

    /// The organisation's calendar day at [`Site::now`].
    pub fn today(&self) -> chrono::NaiveDate {
        app::domain::certificate::issue_date(self.now())
    }

    /// Stops the program and starts it again `days` days after the rehearsal's start.
    pub async fn restart_at(&mut self, days: i64) {
        self.stop().await;
        self.start(days).await;
        self.wait_for_expiry_job().await;
        eprintln!(
            "[{:>5.1}s] day {days}: {} restarted",
            self.started.elapsed().as_secs_f64(),
            self.today()
        );
    }

    async fn start(&mut self, days: i64) {
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cit-academy"))
            .args(["serve", "--bind", &format!("127.0.0.1:{}", self.port)])
            .envs(self.environment())
            .env("CIT_CLOCK_OFFSET_DAYS", days.to_string())
            .kill_on_drop(true)
            .spawn()
            .expect("cit-academy serve starts");
        self.process = Some(child);
        self.offset_days = days;
        self.wait_until_up().await;
    }

    fn environment(&self) -> Vec<(&'static str, String)> {
        let dir = self.data.path().display().to_string();
        vec![
            ("DATABASE_URL", self.database_url.clone()),
            ("CIT_DATA_DIR", dir.clone()),
            ("CIT_PUBLIC_URL", self.base.clone()),
            ("SMTP_URL", self.mail.url()),
            ("LEPTOS_SITE_ROOT", dir),
            ("CIT_RENEWAL_GRACE_DAYS", GRACE_DAYS.to_string()),
            // Every person of the rehearsal signs up from 127.0.0.1.
            ("CIT_SIGN_UPS_PER_ADDRESS_HOUR", "100000".to_owned()),
            ("RUST_LOG", "warn".to_owned()),
        ]
    }

    async fn wait_until_up(&self) {
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(r) = client.get(format!("{}/healthz", self.base)).send().await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{} did not come up within 30 s", self.base);
    }

    /// The expiry job's first run is at start-up: wait for it, so that every check after a
    /// restart sees the program's view of the new date (and a job that never runs fails).
    async fn wait_for_expiry_job(&self) {
        let today = self.today();
        for _ in 0..200 {
            let due: Vec<chrono::NaiveDate> = on_db!(&self.db, pool => sqlx::query_scalar("SELECT expires_on FROM certificates WHERE status = 'active'").fetch_all(pool).await.expect("certificates"));
            if due.iter().all(|d| *d >= today) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("certificates past their expiry on {today} were not expired by the program");
    }

    /// SIGTERM, then waits for the program to finish its requests and exit.
    pub async fn stop(&mut self) {
        let Some(mut child) = self.process.take() else {
            return;
        };
        if let Some(pid) = child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        match tokio::time::timeout(std::time::Duration::from_secs(15), child.wait()).await {
            Ok(status) => assert!(status.expect("exit status").success(), "unclean stop"),
            Err(_) => panic!("cit-academy did not stop within 15 s of SIGTERM"),
        }
    }

    /// Creates an account with `cit-academy user add`, the password on standard input.
    pub fn add_user(&self, email: &str, name: &str, role: &str) {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cit-academy"))
            .args([
                "user", "add", "--email", email, "--name", name, "--role", role,
            ])
            .envs(self.environment())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("cit-academy user add");
        writeln!(child.stdin.take().expect("stdin"), "{PASSWORD}").expect("password");
        assert!(
            child.wait().expect("user add").success(),
            "user add {email}"
        );
    }

    pub fn browser(&self) -> Browser {
        browser_at(&self.base)
    }

    /// Signs `email` in (sessions end at restarts): the signed-in browser.
    pub async fn sign_in(&self, email: &str) -> Browser {
        let b = self.browser();
        let done = self
            .submit(
                &b,
                "/signin",
                "sign_in",
                &[("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            done.location.as_deref(),
            Some("/dashboard"),
            "{email} could not sign in: {:?}",
            done.error
        );
        b
    }

    /// Signs a new attendee up through the sign-up form, then signs them in (sign-up
    /// answers "check your inbox" and signs nobody in): the signed-in browser.
    pub async fn sign_up(&self, name: &str, email: &str) -> Browser {
        let done = self
            .submit(
                &self.browser(),
                "/signup",
                "sign_up",
                &super::sign_up_fields(name, email, PASSWORD),
            )
            .await;
        assert_eq!(
            done.location.as_deref(),
            Some(super::SIGNED_UP),
            "{:?}",
            done.error
        );
        let b = self.sign_in(email).await;
        self.verify_address(&b, email).await;
        b
    }

    /// Opens the verification link that reached `email`'s mailbox and confirms it in the
    /// account's signed-in browser `b`, as a person does after signing up (until then the
    /// program holds every other message to the address).
    pub async fn verify_address(&self, b: &Browser, email: &str) {
        let mut token = None;
        for _ in 0..400 {
            token = self.mail.messages().iter().rev().find_map(|m| {
                if !m.to.iter().any(|t| t.contains(email)) {
                    return None;
                }
                // Long lines arrive quoted-printable, folded with "=" at the end of a line.
                let text = m.data.replace("=\r\n", "").replace("=\n", "");
                let at = text.find("/verify-email/")? + "/verify-email/".len();
                let token: String = text[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                (!token.is_empty()).then_some(token)
            });
            if token.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let token = token.unwrap_or_else(|| panic!("no verification link reached {email}"));
        self.submit_ok(
            b,
            &format!("/verify-email/{token}"),
            "confirm_email",
            &[("token", &token)],
        )
        .await;
    }

    pub async fn submit(
        &self,
        b: &Browser,
        from_page: &str,
        function: &str,
        fields: &[(&str, &str)],
    ) -> Submitted {
        submit_at(&self.base, b, from_page, function, fields).await
    }

    /// Submits and insists that the server took it (no error in the redirect).
    pub async fn submit_ok(
        &self,
        b: &Browser,
        from_page: &str,
        function: &str,
        fields: &[(&str, &str)],
    ) -> Submitted {
        let done = self.submit(b, from_page, function, fields).await;
        assert!(
            done.error.is_none() && done.status.is_redirection(),
            "{function} refused at {}: {done:?}",
            self.today()
        );
        done
    }

    pub async fn get(&self, b: &Browser, path: &str) -> (StatusCode, Option<String>, String) {
        get_at(&self.base, b, path).await
    }

    /// Waits until the program has announced every new certificate and delivered every
    /// message (its jobs run every few seconds).
    pub async fn settle(&self) {
        for _ in 0..400 {
            let waiting: i64 = on_db!(&self.db, pool => sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL) + (SELECT COUNT(*) FROM certificates WHERE mailed_at IS NULL)").fetch_one(pool).await.expect("outbox"));
            if waiting == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("mail still waiting 20 s later");
    }

    /// Stops the program and drops the PostgreSQL database.
    pub async fn finish(mut self) {
        self.stop().await;
        self.db.close().await;
        if let (Backend::Postgres(server), Some(name)) = (&self.backend, &self.pg_name) {
            super::drop_database(server, name).await;
        }
    }
}
