//! Two `cit-academy serve` processes on one PostgreSQL database, as behind a load balancer:
//! a person signed in on one is signed in on the other, and the background jobs (outbox,
//! test deadlines, certificate announcement, expiry, renewal reminders), which both servers
//! run at the same moments, do each piece of work once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::{
    certified::{certify, years_ago},
    exam::{eligible, objective_bank},
    get_at,
    smtp_sink::{unused_port, SmtpSink},
    submit_at, Backend, TestApp, PASSWORD,
};
use std::{collections::HashMap, time::Duration};

/// A `cit-academy serve` process, killed when dropped.
struct Server {
    base: String,
    _process: tokio::process::Child,
    _data: tempfile::TempDir,
}

async fn serve(database_url: &str, smtp_url: &str) -> Server {
    let port = unused_port().await;
    let base = format!("http://127.0.0.1:{port}");
    let data = tempfile::tempdir().unwrap();
    let process = tokio::process::Command::new(env!("CARGO_BIN_EXE_cit-academy"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", database_url)
        .env("CIT_DATA_DIR", data.path())
        .env("CIT_PUBLIC_URL", &base)
        .env("SMTP_URL", smtp_url)
        .env("LEPTOS_SITE_ROOT", data.path())
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .expect("cit-academy serve starts");
    Server {
        base,
        _process: process,
        _data: data,
    }
}

async fn wait_until_up(server: &Server) {
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("{}/healthz", server.base)).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} did not come up within 30 s", server.base);
}

async fn scalar(app: &TestApp, sql: &str, id: i64) -> i64 {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.unwrap())
}

#[test]
fn two_servers_share_sign_ins_and_do_each_job_once() {
    common::run(async {
        let Some(backend) = Backend::postgres() else {
            return;
        };
        // The in-process app only prepares the database: it runs no background jobs.
        let app = TestApp::spawn(backend).await;

        // Work waiting for the jobs. A test whose deadline has passed, with both answers
        // right and saved: finishing it passes it, which issues a certificate to announce.
        objective_bank(&app).await;
        let (taker, registration) = eligible(&app, "Dana Deadline", "dana@example.org").await;
        app.verify_email("dana@example.org").await;
        let started = app
            .submit(
                &taker,
                "/dashboard",
                "start_test",
                &[("registration_id", &registration.to_string())],
            )
            .await;
        let attempt: i64 = started
            .location
            .unwrap()
            .trim_start_matches("/attempts/")
            .parse()
            .unwrap();
        for (seq, position) in [(1, "0"), (2, "1")] {
            let saved = app
                .submit(
                    &taker,
                    &format!("/attempts/{attempt}"),
                    "save_answer",
                    &[
                        ("attempt_id", &attempt.to_string()),
                        ("position", position),
                        ("seq", &seq.to_string()),
                        ("single", "0"),
                    ],
                )
                .await;
            assert_eq!(saved.error, None);
        }
        app::db::on_db!(&app.db, pool => sqlx::query("UPDATE attempts SET deadline_at = deadline_at - INTERVAL '1 day' WHERE id = $1").bind(attempt).execute(pool).await.map(|_| ()).unwrap());
        // A certificate past its last day (expiry, then the "expired" reminder), and one in
        // its renewal window (a reminder).
        // Verified, or their mail would wait for it (see `domain::mail`).
        app.sign_up("Eli Expired", "eli@example.org").await;
        app.verify_email("eli@example.org").await;
        let expired = certify(&app, "eli@example.org", years_ago(3, 1), "active").await;
        app.sign_up("Wren Window", "wren@example.org").await;
        app.verify_email("wren@example.org").await;
        let in_window = certify(&app, "wren@example.org", years_ago(2, 40), "active").await;
        let waiting_mail = scalar(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND id > $1",
            0,
        )
        .await;
        assert!(
            waiting_mail >= 3,
            "sign-up and registration mail should be waiting"
        );

        // Both servers start together, so every job's first run races the other's.
        let sink = SmtpSink::start().await;
        let smtp = sink.url();
        let (a, b) = tokio::join!(
            serve(&app.database_url, &smtp),
            serve(&app.database_url, &smtp)
        );
        tokio::join!(wait_until_up(&a), wait_until_up(&b));

        // Signed in on one, signed in on the other; signed out on the other, out on both.
        let browser = app.browser();
        let signed_in = submit_at(
            &a.base,
            &browser,
            "/signin",
            "sign_in",
            &[("email", "wren@example.org"), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(
            signed_in.location.as_deref(),
            Some("/dashboard"),
            "{:?}",
            signed_in.error
        );
        for server in [&a, &b] {
            let (status, _, html) = get_at(&server.base, &browser, "/dashboard").await;
            assert_eq!(status, 200, "{} does not know the session", server.base);
            assert!(html.contains("Wren Window"));
        }
        submit_at(&b.base, &browser, "/dashboard", "sign_out", &[]).await;
        let (status, location, _) = get_at(&a.base, &browser, "/dashboard").await;
        assert!(
            status.is_redirection(),
            "signed out on B, still in on A ({status})"
        );
        assert!(location.unwrap_or_default().starts_with("/signin"));

        // The jobs finish the work...
        let done = async {
            loop {
                let finished = scalar(
                    &app,
                    "SELECT COUNT(*) FROM attempts WHERE id = $1 AND status <> 'in_progress'",
                    attempt,
                )
                .await;
                let announced = scalar(&app, "SELECT COUNT(*) FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = 'dana@example.org' AND c.mailed_at IS NOT NULL AND c.id > $1", 0).await;
                let unsent = scalar(
                    &app,
                    "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND id > $1",
                    0,
                )
                .await;
                let reminded = scalar(&app, "SELECT COUNT(DISTINCT certificate_id) FROM renewal_reminders WHERE certificate_id >= $1", expired.min(in_window)).await;
                if finished == 1 && announced == 1 && unsent == 0 && reminded == 2 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), done)
            .await
            .expect("the jobs did not finish the work within 60 s");
        // ...and nothing more arrives after two more rounds of every frequent job.
        tokio::time::sleep(cit_server::jobs::MAIL_EVERY * 2 + Duration::from_secs(1)).await;

        // ...once each.
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email = 'dana@example.org' AND c.id > $1", 0).await, 1);
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM certificates WHERE id = $1 AND status = 'expired'",
                expired
            )
            .await,
            1
        );
        for certificate in [expired, in_window] {
            assert_eq!(
                scalar(
                    &app,
                    "SELECT COUNT(*) FROM renewal_reminders WHERE certificate_id = $1",
                    certificate
                )
                .await,
                1
            );
        }
        let outbox = scalar(&app, "SELECT COUNT(*) FROM outbox WHERE id > $1", 0).await;
        let received = sink.messages();
        assert_eq!(
            received.len() as i64,
            outbox,
            "every message delivered exactly once"
        );
        let mut per_message: HashMap<(Vec<String>, String), usize> = HashMap::new();
        for m in &received {
            let subject = m
                .data
                .lines()
                .find(|l| l.starts_with("Subject:"))
                .unwrap_or_default()
                .to_owned();
            *per_message.entry((m.to.clone(), subject)).or_default() += 1;
        }
        let twice: Vec<_> = per_message.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "delivered more than once: {twice:?}");
        let to = |who: &str| {
            received
                .iter()
                .filter(|m| m.to.iter().any(|t| t == who))
                .count()
        };
        assert!(
            to("dana@example.org") >= 3,
            "sign-up, registration and certificate mail"
        );
        assert_eq!(
            to("eli@example.org"),
            2,
            "verification and the expiry notice"
        );
        assert_eq!(
            to("wren@example.org"),
            2,
            "verification and the window reminder"
        );

        drop((a, b));
        sink.stop();
        app.finish().await;
    });
}
