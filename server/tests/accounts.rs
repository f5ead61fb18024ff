//! Accounts and sessions through the real router, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{db, domain::email::Email, error::AppError};
use common::{sign_up_fields, Backend, TestApp, PASSWORD, SIGNED_UP};
use reqwest::StatusCode;

on_both_databases!(
    sign_up_creates_an_attendee_and_asks_to_check_the_inbox,
    sign_up_answers_the_same_for_an_existing_email,
    sign_up_is_throttled_per_email,
    a_chosen_name_never_reaches_an_unverified_address,
    weak_password_is_refused_and_nothing_is_stored,
    unknown_email_and_wrong_password_get_the_same_answer,
    sign_in_is_throttled_per_account,
    sign_in_is_throttled_per_address,
    a_burst_of_guesses_gets_no_more_checks_than_the_limit,
    sign_out_ends_the_session_on_the_server,
    sign_in_rotates_the_session_id,
    session_cookie_is_http_only_and_same_site,
);

async fn sign_up_creates_an_attendee_and_asks_to_check_the_inbox(app: &TestApp) {
    let client = app.browser();
    let done = app
        .submit(
            &client,
            "/signup",
            "sign_up",
            &sign_up_fields("Jane Doe", "  Jane.Doe@Denver.GOV ", PASSWORD),
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND);
    assert_eq!(done.location.as_deref(), Some(SIGNED_UP));
    let (status, _, html) = app.get(&client, SIGNED_UP).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Check your inbox"), "{html}");
    // Nobody is signed in by signing up: an existing address could not be, and the two
    // answers must be the same.
    let (_, location, _) = app.get(&client, "/dashboard").await;
    assert!(
        location.unwrap_or_default().starts_with("/signin"),
        "sign-up must not sign in"
    );
    assert_eq!(
        app.emails_to("jane.doe@denver.gov", "verify_email").await,
        1
    );

    let stored = db::users::find_by_email(&app.db, &Email::parse("jane.doe@denver.gov").unwrap())
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored.email, "jane.doe@denver.gov");
    assert_eq!(stored.role, "attendee");
    assert_eq!(stored.agency_type, "law_enforcement");
    assert!(stored
        .password_hash
        .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!stored.password_hash.contains(PASSWORD));

    let (client, signed_in) = app.sign_in("jane.doe@denver.gov", PASSWORD).await;
    assert_eq!(signed_in.location.as_deref(), Some("/dashboard"));
    let (status, _, html) = app.get(&client, "/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Welcome, Jane Doe"), "{html}");
    assert!(html.contains("Attendee"));
}

/// The pen test signed up with a taken address and read "An account with this email already
/// exists": the form told who has an account. Now both answers are the same, and the owner
/// is told by email instead.
async fn sign_up_answers_the_same_for_an_existing_email(app: &TestApp) {
    let fresh = app
        .submit(
            &app.browser(),
            "/signup",
            "sign_up",
            &sign_up_fields("Jane Doe", "jane@denver.gov", PASSWORD),
        )
        .await;
    let again = app
        .submit(
            &app.browser(),
            "/signup",
            "sign_up",
            &sign_up_fields(
                "Other Jane",
                "JANE@denver.gov",
                "a different long passphrase",
            ),
        )
        .await;
    assert_eq!(
        (fresh.status, &fresh.location, &fresh.error),
        (again.status, &again.location, &again.error)
    );
    assert_eq!(again.location.as_deref(), Some(SIGNED_UP));
    assert_eq!(db::users::count(&app.db).await.unwrap(), 1);
    // The account is untouched: its own password still works, the new one does not.
    assert_eq!(
        app.sign_in("jane@denver.gov", PASSWORD)
            .await
            .1
            .location
            .as_deref(),
        Some("/dashboard")
    );
    // One verification link (the first sign-up), and one notice to the owner offering
    // sign-in and a password reset, with nothing the second visitor typed.
    assert_eq!(app.emails_to("jane@denver.gov", "verify_email").await, 1);
    let rows = db::outbox::recent(&app.db, 10).await.unwrap();
    let notice = rows
        .iter()
        .find(|r| r.kind == "sign_up_existing")
        .expect("a notice to the owner");
    assert_eq!(notice.to_address, "jane@denver.gov");
    assert!(
        notice.body_text.contains(&app.url("/signin")),
        "{}",
        notice.body_text
    );
    assert!(notice.body_text.contains(&app.url("/forgot-password")));
    assert!(!notice.body_text.contains("Other Jane"));
}

async fn sign_up_is_throttled_per_email(app: &TestApp) {
    // Three an hour per address, counted whether or not the account exists.
    for i in 0..3 {
        let done = app
            .submit(
                &app.browser(),
                "/signup",
                "sign_up",
                &sign_up_fields(&format!("Jane {i}"), "jane@denver.gov", PASSWORD),
            )
            .await;
        assert_eq!(done.location.as_deref(), Some(SIGNED_UP), "{done:?}");
    }
    let refused = app
        .submit(
            &app.browser(),
            "/signup",
            "sign_up",
            &sign_up_fields("Jane 4", "jane@denver.gov", PASSWORD),
        )
        .await;
    match refused.error {
        Some(AppError::TooManyRequests(message)) => {
            assert!(message.contains("try again in"), "{message}")
        }
        other => panic!("expected a throttle, got {other:?}"),
    }
    assert_eq!(app.emails_to("jane@denver.gov", "verify_email").await, 1);
    assert_eq!(
        app.emails_to("jane@denver.gov", "sign_up_existing").await,
        2
    );
    // Another address is not held up by this one.
    let other = app
        .submit(
            &app.browser(),
            "/signup",
            "sign_up",
            &sign_up_fields("Sam Lee", "sam@denver.gov", PASSWORD),
        )
        .await;
    assert_eq!(other.location.as_deref(), Some(SIGNED_UP), "{other:?}");
}

/// The pen test chose the display name "Security Team: your account is suspended. Restore it
/// at https://evil.example/..." and the verification email carried it to the address typed,
/// which need not be the sign-up's own. No text a stranger chose goes to an address not yet
/// verified: not in the verification link, not in the reset link, not in the notice.
async fn a_chosen_name_never_reaches_an_unverified_address(app: &TestApp) {
    let bait = "Security Team your account is suspended Restore it at evil example";
    let done = app
        .submit(
            &app.browser(),
            "/signup",
            "sign_up",
            &sign_up_fields(bait, "victim@denver.gov", PASSWORD),
        )
        .await;
    assert_eq!(done.location.as_deref(), Some(SIGNED_UP), "{done:?}");
    app.submit(
        &app.browser(),
        "/signup",
        "sign_up",
        &sign_up_fields(bait, "victim@denver.gov", PASSWORD),
    )
    .await;
    app.submit(
        &app.browser(),
        "/forgot-password",
        "forgot_password",
        &[("email", "victim@denver.gov")],
    )
    .await;
    let rows = db::outbox::recent(&app.db, 10).await.unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["reset_password", "sign_up_existing", "verify_email"]
    );
    for row in &rows {
        let sent = format!("{}\n{}", row.subject, row.body_to_send());
        assert!(!sent.contains("Security Team"), "{sent}");
        assert!(!sent.contains("evil"), "{sent}");
    }
}

/// The per-address limit (configured; 20 an hour by default) holds up a run of sign-ups
/// from one client, with new addresses each time, as the pen test's 30 in half a second.
fn sign_ups_are_throttled_per_client_address(backend: Backend) {
    common::run(async move {
        let app = TestApp::spawn_with(backend, |c| c.sign_ups_per_address = 5).await;
        for i in 0..5 {
            let done = app
                .submit(
                    &app.browser(),
                    "/signup",
                    "sign_up",
                    &sign_up_fields("Jane Doe", &format!("jane{i}@denver.gov"), PASSWORD),
                )
                .await;
            assert_eq!(done.location.as_deref(), Some(SIGNED_UP), "{done:?}");
        }
        let client = app.browser();
        let response = client
            .post(app.url("/api/sign_up"))
            .form(&sign_up_fields("Jane Doe", "jane5@denver.gov", PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(db::users::count(&app.db).await.unwrap(), 5);
        app.finish().await;
    });
}

#[test]
fn sign_ups_are_throttled_per_client_address_sqlite() {
    sign_ups_are_throttled_per_client_address(Backend::Sqlite);
}

#[test]
fn sign_ups_are_throttled_per_client_address_postgres() {
    if let Some(backend) = Backend::postgres() {
        sign_ups_are_throttled_per_client_address(backend);
    }
}

async fn weak_password_is_refused_and_nothing_is_stored(app: &TestApp) {
    for (password, expected) in [
        ("password123", "too easy to guess"),
        ("short", "at least 8"),
        (&*"x".repeat(129), "at most 128"),
    ] {
        let done = app
            .submit(
                &app.browser(),
                "/signup",
                "sign_up",
                &sign_up_fields("Jane Doe", "jane@denver.gov", password),
            )
            .await;
        let message = done
            .error
            .and_then(|e| e.field_message("password"))
            .expect("password error");
        assert!(message.contains(expected), "{password}: {message}");
    }
    assert_eq!(db::users::count(&app.db).await.unwrap(), 0);
}

async fn unknown_email_and_wrong_password_get_the_same_answer(app: &TestApp) {
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (_, wrong) = app.sign_in("jane@denver.gov", "not the password").await;
    let (_, unknown) = app.sign_in("nobody@denver.gov", "not the password").await;
    assert_eq!(
        wrong.error,
        Some(AppError::invalid("", "Email or password is incorrect."))
    );
    assert_eq!(wrong.error, unknown.error);
    assert_eq!(wrong.status, unknown.status);
    let (_, _, html) = app
        .get(&app.browser(), wrong.location.as_deref().unwrap())
        .await;
    assert!(
        html.contains("Email or password is incorrect."),
        "the sign-in page must show the error: {html}"
    );

    let (client, right) = app.sign_in("JANE@denver.gov", PASSWORD).await;
    assert_eq!(right.location.as_deref(), Some("/dashboard"));
    assert_eq!(app.get(&client, "/dashboard").await.0, StatusCode::OK);
}

async fn sign_in_is_throttled_per_account(app: &TestApp) {
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    for _ in 0..5 {
        let (_, done) = app.sign_in("jane@denver.gov", "wrong password").await;
        assert_eq!(
            done.error,
            Some(AppError::invalid("", "Email or password is incorrect."))
        );
    }
    // Now even the right password waits, with a message that says how long.
    let (client, done) = app.sign_in("jane@denver.gov", PASSWORD).await;
    match done.error {
        Some(AppError::TooManyRequests(message)) => {
            assert!(message.contains("Please wait 15 minutes"), "{message}")
        }
        other => panic!("expected throttling, got {other:?}"),
    }
    let (status, location, _) = app.get(&client, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );
    // Unknown accounts are throttled the same way (no way to tell them apart).
    for _ in 0..5 {
        app.sign_in("ghost@denver.gov", "wrong password").await;
    }
    let (_, ghost) = app.sign_in("ghost@denver.gov", "wrong password").await;
    assert!(matches!(ghost.error, Some(AppError::TooManyRequests(_))));
}

async fn sign_in_is_throttled_per_address(app: &TestApp) {
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    // 30 failures spread over many accounts from one address...
    for i in 0..30 {
        let (_, done) = app
            .sign_in(&format!("guess{i}@denver.gov"), "wrong password")
            .await;
        assert!(
            matches!(done.error, Some(AppError::Invalid { .. })),
            "attempt {i}: {:?}",
            done.error
        );
    }
    // ...block that address, even for an account with no failures of its own.
    let (_, done) = app.sign_in("jane@denver.gov", PASSWORD).await;
    assert!(
        matches!(done.error, Some(AppError::TooManyRequests(_))),
        "{:?}",
        done.error
    );
}

/// Issue 22, finding 1: 200 concurrent wrong passwords all used to pass the count (it was
/// read before the hash and written after), and the right password inside a second burst
/// signed in. Now each attempt is reserved before its hash.
async fn a_burst_of_guesses_gets_no_more_checks_than_the_limit(app: &TestApp) {
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    let burst = |n: usize, right_at: Option<usize>| async move {
        let guesses = (0..n).map(|i| async move {
            let password = if Some(i) == right_at {
                PASSWORD
            } else {
                "wrong password"
            };
            app.sign_in("jane@denver.gov", password).await.1
        });
        futures::future::join_all(guesses).await
    };
    let first = burst(200, None).await;
    let checked = first
        .iter()
        .filter(|done| matches!(done.error, Some(AppError::Invalid { .. })))
        .count();
    let throttled = first
        .iter()
        .filter(|done| matches!(done.error, Some(AppError::TooManyRequests(_))))
        .count();
    let kept: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures").fetch_one(pool).await.unwrap());
    assert_eq!(
        (checked, throttled, kept),
        (5, 195, 5),
        "of 200 concurrent guesses, at most 5 may reach the password check"
    );
    let second = burst(100, Some(99)).await;
    let right = &second[99];
    assert!(
        matches!(right.error, Some(AppError::TooManyRequests(_))),
        "the right password inside a burst past the limit must wait: {:?} {:?}",
        right.error,
        right.location
    );
    assert!(second
        .iter()
        .all(|done| matches!(done.error, Some(AppError::TooManyRequests(_)))));
}

async fn sign_out_ends_the_session_on_the_server(app: &TestApp) {
    let client = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let cookie = session_cookie(app, &client).await;

    let done = app.submit(&client, "/dashboard", "sign_out", &[]).await;
    assert_eq!(done.location.as_deref(), Some("/"));
    let (status, location, _) = app.get(&client, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );

    // Replaying the old cookie from elsewhere does not work either: the session is gone.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = replay
        .get(app.url("/dashboard"))
        .header("cookie", cookie)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
}

async fn sign_in_rotates_the_session_id(app: &TestApp) {
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (client, first) = app.sign_in("jane@denver.gov", PASSWORD).await;
    assert_eq!(first.location.as_deref(), Some("/dashboard"));
    let before = session_cookie(app, &client).await;
    let second = app
        .submit(
            &client,
            "/signin",
            "sign_in",
            &[("email", "jane@denver.gov"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(second.location.as_deref(), Some("/dashboard"));
    let after = session_cookie(app, &client).await;
    assert_ne!(before, after, "a new sign-in must get a new session id");
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = replay
        .get(app.url("/dashboard"))
        .header("cookie", before)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FOUND,
        "the old id must no longer work"
    );
}

async fn session_cookie_is_http_only_and_same_site(app: &TestApp) {
    app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (_, done) = app.sign_in("jane@denver.gov", PASSWORD).await;
    let cookie = done
        .set_cookie
        .iter()
        .find(|c| c.starts_with("cit_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
}

#[test]
fn secure_cookie_and_hsts_over_https() {
    common::run(secure_cookie_and_hsts_over_https_body());
}

async fn secure_cookie_and_hsts_over_https_body() {
    let app = TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.public_url = "https://academy.example.org".into()
    })
    .await;
    app.create_user("jane@denver.gov", "attendee").await;
    let client = app.browser();
    let response = client
        .post(app.url("/api/sign_in"))
        .header("accept", "text/html")
        .header("referer", app.url("/signin"))
        .form(&[("email", "jane@denver.gov"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("cit_session="))
        .unwrap()
        .to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_some());
    app.finish().await;
}

#[test]
fn sessions_end_at_their_absolute_lifetime() {
    common::run(sessions_end_at_their_absolute_lifetime_body());
}

async fn sessions_end_at_their_absolute_lifetime_body() {
    let app = TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.session_max = std::time::Duration::from_secs(1)
    })
    .await;
    let client = app.sign_up("Jane Doe", "jane@denver.gov").await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (status, location, _) = app.get(&client, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );
    app.finish().await;
}

#[test]
fn the_idle_timeout_slides_with_activity() {
    common::run(the_idle_timeout_slides_with_activity_body());
}

/// A person busy for longer than the idle timeout (a four-hour class, a long test) stays
/// signed in; one who leaves the page alone for the timeout is signed out.
async fn the_idle_timeout_slides_with_activity_body() {
    let app = TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.session_idle = std::time::Duration::from_secs(3)
    })
    .await;
    let client = app.sign_up("Jane Doe", "jane@denver.gov").await;
    for _ in 0..6 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let (status, location, _) = app.get(&client, "/dashboard").await;
        assert_eq!(
            (status, location),
            (StatusCode::OK, None),
            "signed out while active"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    let (status, location, _) = app.get(&client, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );
    app.finish().await;
}

/// The session cookie the browser holds, which must be present.
async fn session_cookie(_app: &TestApp, client: &common::Browser) -> String {
    let cookie = client.session_cookie();
    assert!(!cookie.is_empty(), "no session cookie");
    cookie
}

#[test]
fn a_forged_forwarded_for_does_not_escape_the_address_limit() {
    common::run(async {
        forged_forwarded_for(common::Backend::Sqlite).await;
        if let Some(pg) = common::Backend::postgres() {
            forged_forwarded_for(pg).await;
        }
    });
}

/// Issue 22, finding 4: behind one trusted proxy, the left-most `X-Forwarded-For` entry is
/// whatever the client sent. With a random one per request, 100 of 100 guesses were checked.
/// The load balancer's own entry (here 198.51.100.9, the address it saw) is the one believed.
async fn forged_forwarded_for(backend: common::Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.trusted_proxies = cit_server::middleware::client_address::TrustedProxies::Count(1)
    })
    .await;
    let mut checked = 0;
    for i in 0..100 {
        let response = app
            .browser()
            .post(app.url("/api/sign_in"))
            .header("accept", "text/html")
            .header("referer", app.url("/signin"))
            .header("origin", app.url(""))
            .header(
                "x-forwarded-for",
                format!("10.{}.{}.7, 198.51.100.9", i / 200, i % 200),
            )
            .form(&[
                ("email", format!("guess{i}@denver.gov")),
                ("password", "wrong".into()),
            ])
            .send()
            .await
            .unwrap();
        let done = common::Submitted::from(response);
        match done.error {
            Some(AppError::Invalid { .. }) => checked += 1,
            Some(AppError::TooManyRequests(_)) => {}
            other => panic!("guess {i}: {other:?}"),
        }
    }
    assert_eq!(
        checked, 30,
        "the per-address limit (30) holds whatever the client forges"
    );
    app.finish().await;
}
