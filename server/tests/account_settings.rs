//! Account essentials that need email (verification, forgotten password) and the settings
//! page, through the real router without JavaScript, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{db, error::AppError};
use common::{TestApp, PASSWORD};
use reqwest::StatusCode;

const JANE: &str = "jane@denver.gov";
const NEW_PASSWORD: &str = "harbor violet compass thimble";

on_both_databases!(
    verification_link_works_once,
    a_click_on_the_link_alone_verifies_nobody,
    verification_link_expires,
    verification_link_can_be_sent_again,
    forgot_password_answers_the_same_and_mails_only_accounts,
    reset_link_sets_the_password_once_and_ends_other_sessions,
    reset_link_expires,
    forgot_password_is_throttled,
    settings_need_sign_in,
    settings_are_saved,
    settings_refuse_bad_input_next_to_the_field,
    password_change_keeps_this_session_and_ends_the_others,
);

async fn verified(app: &TestApp) -> bool {
    let user = db::users::find_by_email(&app.db, &app::domain::email::Email::parse(JANE).unwrap())
        .await
        .unwrap()
        .unwrap();
    db::users::find_account(&app.db, user.id)
        .await
        .unwrap()
        .unwrap()
        .email_verified_at
        .is_some()
}

async fn verification_link_works_once(app: &TestApp) {
    let jane = app.sign_up("Jane Doe", JANE).await;
    let (_, _, html) = app.get(&jane, "/dashboard").await;
    assert!(html.contains("Please verify your email address"), "{html}");
    assert!(html.contains("Send the link again"));

    let link = app.emailed_link(JANE, "verify_email").await.expect("link");
    assert!(link.starts_with("/verify-email/"), "{link}");
    // In her own session the page asks only for the press of a button.
    let (status, _, html) = app.get(&jane, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Confirm my email address"), "{html}");
    assert!(!html.contains("name=\"password\""), "{html}");
    assert!(!verified(app).await, "opening the link changes nothing");
    let token = link.trim_start_matches("/verify-email/");
    let done = app
        .submit(&jane, &link, "confirm_email", &[("token", token)])
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/dashboard?verified=1"),
        "{done:?}"
    );
    assert!(verified(app).await);
    let (_, _, html) = app.get(&jane, "/dashboard?verified=1").await;
    assert!(html.contains("your email address is verified"), "{html}");
    assert!(!html.contains("Please verify your email address"));

    let (status, _, html) = app.get(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("already been used"), "{html}");
    let again = app
        .submit(&jane, &link, "confirm_email", &[("token", token)])
        .await;
    assert!(
        matches!(&again.error, Some(AppError::Conflict(m)) if m.contains("already been used")),
        "{again:?}"
    );

    let (status, _, html) = app
        .get(&app.browser(), "/verify-email/not-a-real-token")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("not valid"));
}

/// Someone signs up with Jane's address. The link goes to Jane, who clicks it (or her mail
/// scanner does): that must not hand the stranger's account a verified address, with the
/// records and mail that wait for one. Outside the account's session the link needs the
/// account's password, which only the stranger knows.
async fn a_click_on_the_link_alone_verifies_nobody(app: &TestApp) {
    let bait = "Security Team: your account is suspended";
    app.sign_up(bait, JANE).await;
    let link = app.emailed_link(JANE, "verify_email").await.expect("link");
    let token = link.trim_start_matches("/verify-email/");
    let owner = app.browser();
    let (status, _, html) = app.get(&owner, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"password\""), "{html}");
    assert!(
        !html.contains(bait),
        "the stranger's name is not shown: {html}"
    );
    assert!(!verified(app).await, "opening the link changes nothing");

    let without = app
        .submit(&owner, &link, "confirm_email", &[("token", token)])
        .await;
    let message = without
        .error
        .as_ref()
        .and_then(|e| e.field_message("password"));
    assert!(
        message.is_some_and(|m| m.contains("Enter the password")),
        "{without:?}"
    );
    let wrong = app
        .submit(
            &owner,
            &link,
            "confirm_email",
            &[
                ("token", token),
                ("password", "not the stranger's password"),
            ],
        )
        .await;
    let message = wrong
        .error
        .as_ref()
        .and_then(|e| e.field_message("password"));
    assert!(
        message.is_some_and(|m| m.contains("not the password")),
        "{wrong:?}"
    );
    assert!(!verified(app).await);
    let (status, _, _) = app.get(&owner, "/dashboard").await;
    assert_eq!(status, StatusCode::FOUND, "nobody was signed in");

    // The account's password, typed anywhere, confirms it and signs in.
    let elsewhere = app.verify_email(JANE).await;
    assert!(verified(app).await);
    let (status, _, html) = app.get(&elsewhere, "/dashboard?verified=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("your email address is verified"), "{html}");
}

async fn verification_link_expires(app: &TestApp) {
    app.sign_up("Jane Doe", JANE).await;
    let link = app.emailed_link(JANE, "verify_email").await.unwrap();
    app.expire_links().await;
    let (status, _, html) = app.get(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("expired"), "{html}");
    assert!(!verified(app).await);
}

async fn verification_link_can_be_sent_again(app: &TestApp) {
    let jane = app.sign_up("Jane Doe", JANE).await;
    let first = app.emailed_link(JANE, "verify_email").await.unwrap();
    let done = app
        .submit(&jane, "/dashboard", "resend_verification", &[])
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/dashboard?verification=sent"),
        "{done:?}"
    );
    assert_eq!(app.emails_to(JANE, "verify_email").await, 2);
    let (_, _, html) = app.get(&jane, "/dashboard?verification=sent").await;
    assert!(html.contains("We have sent a new link"), "{html}");

    let second = app.emailed_link(JANE, "verify_email").await.unwrap();
    assert_ne!(first, second);
    let token = second.trim_start_matches("/verify-email/");
    let done = app
        .submit(&jane, &second, "confirm_email", &[("token", token)])
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/dashboard?verified=1"),
        "{done:?}"
    );
    // Using one link retires the other.
    assert_eq!(app.get(&app.browser(), &first).await.0, StatusCode::GONE);

    // Signed out, there is no one to send to.
    let anonymous = app
        .submit(&app.browser(), "/dashboard", "resend_verification", &[])
        .await;
    assert_eq!(anonymous.error, Some(AppError::Unauthenticated));
}

async fn forgot_password_answers_the_same_and_mails_only_accounts(app: &TestApp) {
    app.sign_up("Jane Doe", JANE).await;
    let known = app
        .submit(
            &app.browser(),
            "/forgot-password",
            "forgot_password",
            &[("email", JANE)],
        )
        .await;
    let unknown = app
        .submit(
            &app.browser(),
            "/forgot-password",
            "forgot_password",
            &[("email", "nobody@denver.gov")],
        )
        .await;
    assert_eq!(
        known.location.as_deref(),
        Some("/forgot-password?sent=1"),
        "{known:?}"
    );
    assert_eq!(
        (known.status, &known.location, &known.error),
        (unknown.status, &unknown.location, &unknown.error)
    );
    assert_eq!(app.emails_to(JANE, "reset_password").await, 1);
    assert_eq!(
        app.emails_to("nobody@denver.gov", "reset_password").await,
        0
    );
    let (_, _, html) = app.get(&app.browser(), "/forgot-password?sent=1").await;
    assert!(
        html.contains("If an account exists for that address, we have sent a link"),
        "{html}"
    );

    let bad = app
        .submit(
            &app.browser(),
            "/forgot-password",
            "forgot_password",
            &[("email", "not an email")],
        )
        .await;
    assert!(bad.error.and_then(|e| e.field_message("email")).is_some());
}

async fn reset_link_sets_the_password_once_and_ends_other_sessions(app: &TestApp) {
    let elsewhere = app.sign_up("Jane Doe", JANE).await;
    app.submit(
        &app.browser(),
        "/forgot-password",
        "forgot_password",
        &[("email", JANE)],
    )
    .await;
    let link = app
        .emailed_link(JANE, "reset_password")
        .await
        .expect("link");
    let token = link
        .strip_prefix("/reset-password/")
        .expect("reset link")
        .to_owned();

    let here = app.browser();
    let (status, _, html) = app.get(&here, &link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"password_confirm\""), "{html}");

    let weak = app
        .submit(
            &here,
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", "password123"),
                ("password_confirm", "password123"),
            ],
        )
        .await;
    assert!(weak
        .error
        .and_then(|e| e.field_message("password"))
        .unwrap()
        .contains("too easy"));
    let differ = app
        .submit(
            &here,
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("password_confirm", "harbor violet compass"),
            ],
        )
        .await;
    assert!(differ
        .error
        .and_then(|e| e.field_message("password_confirm"))
        .is_some());

    let done = app
        .submit(
            &here,
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/dashboard"), "{done:?}");
    assert_eq!(app.emails_to(JANE, "password_changed").await, 1);
    assert_eq!(
        app.get(&here, "/dashboard").await.0,
        StatusCode::OK,
        "signed in by the reset"
    );
    let (status, location, _) = app.get(&elsewhere, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin")),
        "other sessions end"
    );
    assert!(app.sign_in(JANE, PASSWORD).await.1.error.is_some());
    assert_eq!(
        app.sign_in(JANE, NEW_PASSWORD).await.1.location.as_deref(),
        Some("/dashboard")
    );

    // Single use.
    let (status, _, html) = app.get(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("already been used"));
    let again = app
        .submit(
            &app.browser(),
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert!(
        matches!(again.error, Some(AppError::Conflict(ref m)) if m.contains("already been used")),
        "{again:?}"
    );
    assert_eq!(
        app.sign_in(JANE, NEW_PASSWORD).await.1.location.as_deref(),
        Some("/dashboard")
    );
}

async fn reset_link_expires(app: &TestApp) {
    app.sign_up("Jane Doe", JANE).await;
    app.submit(
        &app.browser(),
        "/forgot-password",
        "forgot_password",
        &[("email", JANE)],
    )
    .await;
    let link = app.emailed_link(JANE, "reset_password").await.unwrap();
    let token = link.strip_prefix("/reset-password/").unwrap().to_owned();
    app.expire_links().await;
    let (status, _, html) = app.get(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("expired"), "{html}");
    let late = app
        .submit(
            &app.browser(),
            &link,
            "reset_password",
            &[
                ("token", &token),
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert!(
        matches!(late.error, Some(AppError::Conflict(ref m)) if m.contains("expired")),
        "{late:?}"
    );
    assert_eq!(
        app.sign_in(JANE, PASSWORD).await.1.location.as_deref(),
        Some("/dashboard")
    );
}

async fn forgot_password_is_throttled(app: &TestApp) {
    app.sign_up("Jane Doe", JANE).await;
    for email in [JANE, "nobody@denver.gov"] {
        for _ in 0..3 {
            let done = app
                .submit(
                    &app.browser(),
                    "/forgot-password",
                    "forgot_password",
                    &[("email", email)],
                )
                .await;
            assert_eq!(done.error, None);
        }
        let fourth = app
            .submit(
                &app.browser(),
                "/forgot-password",
                "forgot_password",
                &[("email", email)],
            )
            .await;
        assert!(
            matches!(fourth.error, Some(AppError::TooManyRequests(_))),
            "{email}: {fourth:?}"
        );
    }
    assert_eq!(app.emails_to(JANE, "reset_password").await, 3);
}

async fn settings_need_sign_in(app: &TestApp) {
    let (status, location, _) = app.get(&app.browser(), "/settings").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin"))
    );
    let done = app
        .submit(
            &app.browser(),
            "/settings",
            "update_profile",
            &[("name", "X"), ("agency", "Y"), ("agency_type", "other")],
        )
        .await;
    assert_eq!(done.error, Some(AppError::Unauthenticated));
}

async fn settings_are_saved(app: &TestApp) {
    let jane = app.sign_up("Jane Doe", JANE).await;
    let (status, _, html) = app.get(&jane, "/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"Jane Doe\""), "{html}");

    let done = app
        .submit(
            &jane,
            "/settings",
            "update_profile",
            &[
                ("name", "Jane Q. Doe"),
                ("agency", "Denver 911"),
                ("agency_type", "emergency_communications"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/settings?saved=profile"),
        "{done:?}"
    );
    let (_, _, html) = app.get(&jane, "/settings?saved=profile").await;
    assert!(html.contains("Saved."), "{html}");
    assert!(html.contains("value=\"Jane Q. Doe\""));

    let done = app
        .submit(
            &jane,
            "/settings",
            "update_shipping",
            &[
                ("street", "1331 Cherokee St"),
                ("city", "Denver"),
                ("region", "CO"),
                ("postal_code", "80204"),
                ("country", "United States"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/settings?saved=shipping"),
        "{done:?}"
    );
    let done = app
        .submit(
            &jane,
            "/settings",
            "update_time_zone",
            &[("time_zone", "other"), ("time_zone_other", "Europe/London")],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/settings?saved=time_zone"),
        "{done:?}"
    );

    let user = db::users::find_by_email(&app.db, &app::domain::email::Email::parse(JANE).unwrap())
        .await
        .unwrap()
        .unwrap();
    let account = db::users::find_account(&app.db, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            account.name.as_str(),
            account.agency.as_str(),
            account.agency_type.as_str()
        ),
        ("Jane Q. Doe", "Denver 911", "emergency_communications")
    );
    assert_eq!(
        (
            account.ship_city.as_str(),
            account.ship_postal_code.as_str()
        ),
        ("Denver", "80204")
    );
    assert_eq!(account.time_zone, "Europe/London");
    let (_, _, html) = app.get(&jane, "/dashboard").await;
    assert!(
        html.contains("Welcome, Jane Q. Doe"),
        "the session sees the new name"
    );

    let done = app
        .submit(
            &jane,
            "/settings",
            "update_time_zone",
            &[("time_zone", "America/Phoenix"), ("time_zone_other", "")],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(
        db::users::find_account(&app.db, user.id)
            .await
            .unwrap()
            .unwrap()
            .time_zone,
        "America/Phoenix"
    );
}

async fn settings_refuse_bad_input_next_to_the_field(app: &TestApp) {
    let jane = app.sign_up("Jane Doe", JANE).await;
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 5] = [
        (
            "update_profile",
            vec![("name", " "), ("agency", "DPD"), ("agency_type", "other")],
            "name",
        ),
        (
            "update_profile",
            vec![("name", "Jane"), ("agency", "DPD"), ("agency_type", "fire")],
            "agency_type",
        ),
        (
            "update_shipping",
            vec![
                ("street", "1 Main St"),
                ("city", ""),
                ("region", ""),
                ("postal_code", "80204"),
                ("country", "USA"),
            ],
            "city",
        ),
        (
            "update_time_zone",
            vec![
                ("time_zone", "other"),
                ("time_zone_other", "Mars/Olympus_Mons"),
            ],
            "time_zone_other",
        ),
        (
            "update_time_zone",
            vec![("time_zone", "America/Gotham")],
            "time_zone",
        ),
    ];
    for (function, fields, field) in cases {
        let done = app.submit(&jane, "/settings", function, &fields).await;
        let message = done
            .error
            .as_ref()
            .and_then(|e| e.field_message(field))
            .unwrap_or_else(|| panic!("{function}: expected an error for {field}: {done:?}"));
        // Without JavaScript the page it redirects to shows the message next to the field.
        let (_, _, html) = app.get(&jane, done.location.as_deref().unwrap()).await;
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "{function}/{field}: {html}"
        );
        assert!(
            html.contains(&message.replace('"', "&quot;")) || html.contains(&message),
            "{message}"
        );
    }
    let user = db::users::find_by_email(&app.db, &app::domain::email::Email::parse(JANE).unwrap())
        .await
        .unwrap()
        .unwrap();
    let account = db::users::find_account(&app.db, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            account.name.as_str(),
            account.ship_street.as_str(),
            account.time_zone.as_str()
        ),
        ("Jane Doe", "", ""),
        "nothing saved"
    );
}

async fn password_change_keeps_this_session_and_ends_the_others(app: &TestApp) {
    let here = app.sign_up("Jane Doe", JANE).await;
    let (there, _) = app.sign_in(JANE, PASSWORD).await;
    assert_eq!(app.get(&there, "/dashboard").await.0, StatusCode::OK);

    let wrong = app
        .submit(
            &here,
            "/settings",
            "change_password",
            &[
                ("current_password", "not it at all"),
                ("new_password", NEW_PASSWORD),
                ("new_password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert!(wrong
        .error
        .and_then(|e| e.field_message("current_password"))
        .is_some());
    let differ = app
        .submit(
            &here,
            "/settings",
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("new_password_confirm", "something else entirely"),
            ],
        )
        .await;
    assert!(differ
        .error
        .and_then(|e| e.field_message("new_password_confirm"))
        .is_some());
    let weak = app
        .submit(
            &here,
            "/settings",
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "password123"),
                ("new_password_confirm", "password123"),
            ],
        )
        .await;
    assert!(weak
        .error
        .and_then(|e| e.field_message("new_password"))
        .is_some());

    let done = app
        .submit(
            &here,
            "/settings",
            "change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("new_password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/settings?saved=password"),
        "{done:?}"
    );
    assert_eq!(app.emails_to(JANE, "password_changed").await, 1);
    let (status, _, html) = app.get(&here, "/settings?saved=password").await;
    assert_eq!(status, StatusCode::OK, "this browser stays signed in");
    assert!(html.contains("Saved."));
    let (status, location, _) = app.get(&there, "/dashboard").await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::FOUND, Some("/signin")),
        "the other browser is signed out"
    );
    assert!(app.sign_in(JANE, PASSWORD).await.1.error.is_some());
    assert_eq!(
        app.sign_in(JANE, NEW_PASSWORD).await.1.location.as_deref(),
        Some("/dashboard")
    );
}
