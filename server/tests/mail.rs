//! The outbox and its sender, against a real SMTP listener, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::db::outbox::{self, Attachment, NewMessage};
use base64::Engine;
use chrono::{Duration, Utc};
use cit_server::mail::{sender::run_once, Mailer};
use common::{smtp_sink::SmtpSink, TestApp};
use std::collections::HashSet;

on_both_databases!(
    messages_are_delivered_over_smtp_once,
    a_failed_message_is_retried_after_the_listener_comes_back,
    delivery_gives_up_after_ten_attempts,
    two_senders_at_once_never_send_a_message_twice,
    attachments_arrive,
    delivered_mail_is_pruned_and_undelivered_mail_kept,
    a_sent_reset_link_is_nowhere_in_the_database,
    mail_to_an_unverified_address_waits_for_verification,
);

fn mailer(url: &str) -> Mailer {
    Mailer::smtp(
        url,
        "CIT Academy <no-reply@cit-academy.local>".parse().unwrap(),
    )
    .unwrap()
}

async fn enqueue(app: &TestApp, to: &str, subject: &str) -> i64 {
    let message = NewMessage {
        to,
        subject,
        body_text: "Hello,\n\nA test message.\n",
        attachments: &[],
        kind: "test",
        secret_link: None,
    };
    outbox::enqueue(&app.db, &message, Utc::now())
        .await
        .unwrap()
}

async fn row(app: &TestApp, id: i64) -> outbox::OutboxRow {
    outbox::recent(&app.db, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id == id)
        .expect("outbox row")
}

async fn delivered_mail_is_pruned_and_undelivered_mail_kept(app: &TestApp) {
    let sink = SmtpSink::start().await;
    let delivered = enqueue(app, "sam@denver.gov", "Delivered").await;
    let round = run_once(&app.db, &mailer(&sink.url()), Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 1);
    sink.stop();
    let waiting = enqueue(app, "ann@denver.gov", "Not yet delivered").await;
    let keep = Duration::days(cit_server::jobs::KEEP_SENT_MAIL_DAYS);
    // Within the keeping period nothing goes.
    assert_eq!(
        outbox::prune_sent(&app.db, Utc::now() - keep)
            .await
            .unwrap(),
        0
    );
    // Later, the delivered message goes and the undelivered one stays.
    let later = Utc::now() + keep + Duration::days(1);
    assert_eq!(outbox::prune_sent(&app.db, later - keep).await.unwrap(), 1);
    let left: Vec<i64> = outbox::recent(&app.db, 10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(left, vec![waiting]);
    assert_ne!(waiting, delivered);
}

async fn messages_are_delivered_over_smtp_once(app: &TestApp) {
    let sink = SmtpSink::start().await;
    let mailer = mailer(&sink.url());
    // Sign-up queues the verification email; a second message is queued directly.
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    let id = enqueue(app, "sam@denver.gov", "Your class").await;

    let round = run_once(&app.db, &mailer, Utc::now()).await.unwrap();
    assert_eq!((round.sent, round.failed), (2, 0));
    let received = sink.messages();
    assert_eq!(received.len(), 2);
    let verify = received
        .iter()
        .find(|m| m.to == ["jane@denver.gov"])
        .expect("verification email");
    assert_eq!(verify.from, "no-reply@cit-academy.local");
    assert!(verify
        .data
        .contains("Subject: Please verify your email address"));
    assert!(verify.data.contains("/verify-email/"), "{}", verify.data);
    let from = verify
        .data
        .lines()
        .find(|l| l.starts_with("From: "))
        .unwrap();
    assert!(
        from.contains("CIT Academy") && from.contains("<no-reply@cit-academy.local>"),
        "{from}"
    );
    assert!(row(app, id).await.sent_at.is_some());

    // Nothing is sent twice.
    let again = run_once(&app.db, &mailer, Utc::now() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(sink.messages().len(), 2);
    sink.stop();
}

async fn a_failed_message_is_retried_after_the_listener_comes_back(app: &TestApp) {
    let port = common::smtp_sink::unused_port().await;
    let mailer = mailer(&format!("smtp://127.0.0.1:{port}"));
    let id = enqueue(app, "sam@denver.gov", "Retry me").await;
    let now = Utc::now();

    let round = run_once(&app.db, &mailer, now).await.unwrap();
    assert_eq!((round.sent, round.failed), (0, 1));
    let failed = row(app, id).await;
    assert_eq!(failed.attempts, 1);
    assert!(failed.sent_at.is_none());
    assert!(failed
        .last_error
        .as_deref()
        .unwrap_or_default()
        .contains("smtp"));
    let wait = failed.next_attempt_at - now;
    assert!(
        wait >= Duration::seconds(59) && wait <= Duration::seconds(90),
        "{wait}"
    );

    // Not due yet: a round a moment later leaves it alone even with the listener up.
    let sink = SmtpSink::start_on(port).await;
    let early = run_once(&app.db, &mailer, now + Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!((early.sent, early.failed), (0, 0));
    // Once due, it goes.
    let later = run_once(&app.db, &mailer, now + Duration::seconds(91))
        .await
        .unwrap();
    assert_eq!((later.sent, later.failed), (1, 0));
    assert_eq!(sink.messages().len(), 1);
    assert!(sink.messages()[0].data.contains("Subject: Retry me"));
    let sent = row(app, id).await;
    assert!(sent.sent_at.is_some());
    assert_eq!(sent.attempts, 1);
    sink.stop();
}

async fn delivery_gives_up_after_ten_attempts(app: &TestApp) {
    let port = common::smtp_sink::unused_port().await;
    let mailer = mailer(&format!("smtp://127.0.0.1:{port}"));
    // A message with a secret link: kept for the retries, erased when given up.
    let body = format!("Open {}\n", app::domain::mail::LINK_SLOT);
    let message = NewMessage {
        to: "sam@denver.gov",
        subject: "Never arrives",
        body_text: &body,
        attachments: &[],
        kind: "test",
        secret_link: Some("http://x.test/reset-password/s3cret"),
    };
    let id = outbox::enqueue(&app.db, &message, Utc::now())
        .await
        .unwrap();
    let mut now = Utc::now();
    for attempt in 1..=10 {
        let round = run_once(&app.db, &mailer, now).await.unwrap();
        assert_eq!(round.failed, 1, "attempt {attempt}");
        let r = row(app, id).await;
        assert_eq!(r.attempts, attempt);
        assert_eq!(r.secret_link.is_some(), attempt < 10, "attempt {attempt}");
        now = r.next_attempt_at + Duration::seconds(1);
    }
    let r = row(app, id).await;
    assert_eq!(r.body_text, "Open [link removed after sending]\n");
    // The tenth failure waited the longest: capped at six hours.
    let round = run_once(&app.db, &mailer, now + Duration::days(30))
        .await
        .unwrap();
    assert_eq!(
        (round.sent, round.failed),
        (0, 0),
        "given up, never claimed again"
    );
    assert!(
        r.last_error.is_some() && r.sent_at.is_none(),
        "the row is kept with its error"
    );
}

async fn two_senders_at_once_never_send_a_message_twice(app: &TestApp) {
    let sink = SmtpSink::start().await;
    let (first, second) = (mailer(&sink.url()), mailer(&sink.url()));
    for i in 0..25 {
        enqueue(
            app,
            &format!("person{i}@denver.gov"),
            &format!("Message {i}"),
        )
        .await;
    }
    let now = Utc::now();
    let mut rounds = 0;
    loop {
        let (a, b) = tokio::join!(
            run_once(&app.db, &first, now),
            run_once(&app.db, &second, now)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.failed + b.failed, 0);
        if a.sent + b.sent == 0 {
            break;
        }
        rounds += 1;
        assert!(rounds < 20, "senders did not finish");
    }
    let received = sink.messages();
    let subjects: HashSet<String> = received
        .iter()
        .filter_map(|m| {
            m.data
                .lines()
                .find(|l| l.starts_with("Subject: "))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(received.len(), 25, "each message exactly once");
    assert_eq!(subjects.len(), 25);
    sink.stop();
}

/// A stranger signed up with Ann's address and chose the account's name. Only the account
/// messages (which carry no name) go to her address; a registration greeting the account by
/// that name waits until the account's owner verifies the address, and then goes.
async fn mail_to_an_unverified_address_waits_for_verification(app: &TestApp) {
    const ANN: &str = "ann@denver.gov";
    let bait = "Security Team: restore your account at https://evil.example";
    app.sign_up(bait, ANN).await;
    let body = format!("Hello {bait},\n\nYou are registered.\n");
    let message = NewMessage {
        to: ANN,
        subject: "You are registered",
        body_text: &body,
        attachments: &[],
        kind: "registration",
        secret_link: None,
    };
    let held = outbox::enqueue(&app.db, &message, Utc::now())
        .await
        .unwrap();
    // Read before sending: a sent message keeps no usable link.
    let link = app.emailed_link(ANN, "verify_email").await.expect("link");
    let sink = SmtpSink::start().await;
    let round = run_once(&app.db, &mailer(&sink.url()), Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 1, "{round:?}");
    let received = sink.messages();
    assert!(
        received[0].data.contains("Subject: Please verify"),
        "{}",
        received[0].data
    );
    assert!(received.iter().all(|m| !m.data.contains("evil.example")));
    // Still held on the next rounds, however late.
    let later = Utc::now() + Duration::days(30);
    let round = run_once(&app.db, &mailer(&sink.url()), later)
        .await
        .unwrap();
    assert_eq!(round.sent, 0, "{round:?}");
    assert!(row(app, held).await.sent_at.is_none());

    app.confirm_link(&link).await;
    let round = run_once(&app.db, &mailer(&sink.url()), Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 1, "{round:?}");
    assert!(row(app, held).await.sent_at.is_some());
    assert!(sink.messages()[1]
        .data
        .contains("Subject: You are registered"));
    sink.stop();
}

async fn attachments_arrive(app: &TestApp) {
    let sink = SmtpSink::start().await;
    let bytes: Vec<u8> = (0u8..40).chain([0xff, 0xfe, 0x00]).collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let attachments = [Attachment {
        filename: "class.ics".into(),
        content_type: "application/octet-stream".into(),
        content_base64: encoded.clone(),
    }];
    let message = NewMessage {
        to: "sam@denver.gov",
        subject: "With a file",
        body_text: "See the attached file.\n",
        attachments: &attachments,
        kind: "test",
        secret_link: None,
    };
    outbox::enqueue(&app.db, &message, Utc::now())
        .await
        .unwrap();
    let round = run_once(&app.db, &mailer(&sink.url()), Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 1);
    let data = &sink.messages()[0].data;
    assert!(data.contains("multipart/mixed"), "{data}");
    assert!(data.contains("filename=\"class.ics\""), "{data}");
    assert!(data.contains("See the attached file."), "{data}");
    assert!(data.contains(&encoded), "attachment content: {data}");
    sink.stop();
}

#[test]
fn without_smtp_messages_become_eml_files() {
    common::run(without_smtp_messages_become_eml_files_body());
}

async fn without_smtp_messages_become_eml_files_body() {
    let app = TestApp::spawn(common::Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let config = cit_server::config::Config {
        data_dir: dir.path().to_path_buf(),
        smtp_url: None,
        ..cit_server::config::Config::from_env(None).unwrap()
    };
    let mailer = Mailer::from_config(&config).unwrap();
    let id = enqueue(&app, "sam@denver.gov", "On disk").await;
    let round = run_once(&app.db, &mailer, Utc::now()).await.unwrap();
    assert_eq!(round.sent, 1);
    assert!(row(&app, id).await.sent_at.is_some());
    let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("Subject: On disk") && text.contains("To: sam@denver.gov"));
    app.finish().await;
}

/// Every value of every column of `table`, as text (NULLs left out), on either database.
async fn text_of_table(app: &TestApp, table: &str) -> Vec<String> {
    use app::db::Db;
    let mut values = Vec::new();
    match &app.db {
        Db::Sqlite(pool) => {
            let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(table)
                .fetch_all(pool)
                .await
                .unwrap();
            assert!(!columns.is_empty(), "{table} has no columns?");
            for c in columns {
                let sql = format!("SELECT CAST({c} AS TEXT) FROM {table}");
                let got: Vec<Option<String>> =
                    sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap();
                values.extend(got.into_iter().flatten());
            }
        }
        Db::Postgres(pool) => {
            let columns: Vec<String> = sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = $1",
            )
            .bind(table)
            .fetch_all(pool)
            .await
            .unwrap();
            assert!(!columns.is_empty(), "{table} has no columns?");
            for c in columns {
                let sql = format!("SELECT CAST({c} AS TEXT) FROM {table}");
                let got: Vec<Option<String>> =
                    sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap();
                values.extend(got.into_iter().flatten());
            }
        }
    }
    values
}

/// The pen test read a reset link from `outbox.body_text` after the message was sent, and it
/// reset the password. Now the link travels to the recipient and then exists nowhere: not in
/// the outbox (body or any other column), not in the token table (only its SHA-256).
async fn a_sent_reset_link_is_nowhere_in_the_database(app: &TestApp) {
    app.create_user("jane@denver.gov", "attendee").await;
    let asked = app
        .submit(
            &app.browser(),
            "/forgot-password",
            "forgot_password",
            &[("email", "jane@denver.gov")],
        )
        .await;
    assert_eq!(asked.location.as_deref(), Some("/forgot-password?sent=1"));

    // Before sending, the link waits apart from the body (the sender needs it).
    let waiting = outbox::recent(&app.db, 10).await.unwrap();
    let waiting = waiting.iter().find(|r| r.kind == "reset_password").unwrap();
    assert!(!waiting.body_text.contains("/reset-password/"));
    assert!(waiting.secret_link.is_some());

    let sink = SmtpSink::start().await;
    let round = run_once(&app.db, &mailer(&sink.url()), Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 1);
    let received = sink.messages();
    sink.stop();
    let message = received
        .iter()
        .find(|m| m.to == ["jane@denver.gov"])
        .expect("the reset email");
    // Undo quoted-printable soft line breaks, should the encoder have used them.
    let data = message.data.replace("=\r\n", "");
    let start = data
        .find("/reset-password/")
        .expect("a reset link in the mail")
        + "/reset-password/".len();
    let token: String = data[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert_eq!(token.len(), 43, "{data}");

    for table in ["outbox", "email_tokens"] {
        for value in text_of_table(app, table).await {
            assert!(!value.contains(&token), "the token is in {table}: {value}");
            assert!(
                !value.contains("/reset-password/"),
                "a link is in {table}: {value}"
            );
        }
    }
    let kept = outbox::recent(&app.db, 10).await.unwrap();
    let kept = kept.iter().find(|r| r.kind == "reset_password").unwrap();
    assert!(
        kept.body_text.contains("[link removed after sending]"),
        "{}",
        kept.body_text
    );
    assert_eq!(kept.secret_link, None);

    // The mailed link works: it sets a new password, which signs in.
    let new_password = "copper meadow lantern river";
    let reset = app
        .submit(
            &app.browser(),
            &format!("/reset-password/{token}"),
            "reset_password",
            &[
                ("token", token.as_str()),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(reset.location.as_deref(), Some("/dashboard"), "{reset:?}");
    let (_, signed_in) = app.sign_in("jane@denver.gov", new_password).await;
    assert_eq!(signed_in.location.as_deref(), Some("/dashboard"));
}
