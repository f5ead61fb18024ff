//! Registering through the pages, as a browser without JavaScript does, on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::TestApp;
use reqwest::StatusCode;

on_both_databases!(
    a_coordinator_registers_sees_it_on_the_dashboard_and_cancels,
    the_911_course_asks_for_the_call_center_next_to_the_fields,
    course_pages_list_upcoming_classes_and_offer_a_calendar,
    nobody_cancels_someone_elses_registration,
    an_admin_approves_rejects_and_records_payment,
    an_admin_schedules_a_class_and_bad_input_saves_nothing,
    cancelling_a_class_tells_everyone_registered,
    more_seats_go_to_the_waitlist_and_instructors_are_assigned,
);

/// The first seeded offering of a course, from its page's links.
async fn first_offering(app: &TestApp, code: &str) -> i64 {
    let (_, _, html) = app.get(&app.browser(), &format!("/courses/{code}")).await;
    let after = html
        .split("href=\"/offerings/")
        .nth(1)
        .expect("an upcoming class");
    after.split('"').next().unwrap().parse().unwrap()
}

async fn a_coordinator_registers_sees_it_on_the_dashboard_and_cancels(app: &TestApp) {
    let offering = first_offering(app, "CITC").await;
    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let (status, _, page) = app.get(&jane, &format!("/offerings/{offering}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("30 of 30 seats left"), "{page}");

    let done = app
        .submit(
            &jane,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!("/offerings/{offering}?registered=1"))
    );
    let (_, _, page) = app.get(&jane, done.location.as_deref().unwrap()).await;
    assert!(page.contains("Your registration was received"));
    assert!(
        page.contains("You are registered for this class: <strong>Confirmed</strong>"),
        "{page}"
    );
    assert!(page.contains("29 of 30 seats left"));

    let (_, _, dashboard) = app.get(&jane, "/dashboard").await;
    assert!(
        dashboard.contains("CIT Coordinator Certification")
            && dashboard.contains("Confirmed")
            && dashboard.contains("Unpaid · $450"),
        "{dashboard}"
    );

    // The confirmation waits in the outbox with the sessions attached.
    let (subject, attachments): (String, String) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT subject, attachments FROM outbox WHERE to_address = 'jane@denver.gov' AND kind = 'registration_confirmed'").fetch_one(pool).await.unwrap());
    assert_eq!(
        subject,
        "Registration confirmed: CIT Coordinator Certification"
    );
    assert!(attachments.contains("text/calendar"));

    // Registering twice is refused with a clear message, and takes no second seat.
    let again = app
        .submit(
            &jane,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    assert!(again
        .error
        .unwrap()
        .to_string()
        .contains("already registered"));

    let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM registrations WHERE offering_id = $1").bind(offering).fetch_one(pool).await.unwrap());
    let done = app
        .submit(
            &jane,
            "/dashboard",
            "cancel_registration",
            &[("registration_id", &id.to_string())],
        )
        .await;
    assert_eq!(
        (done.error, done.location.as_deref()),
        (None, Some("/dashboard?cancelled=1"))
    );
    let (_, _, dashboard) = app.get(&jane, "/dashboard").await;
    assert!(dashboard.contains("Cancelled"));
    let (_, _, page) = app.get(&jane, &format!("/offerings/{offering}")).await;
    assert!(page.contains("30 of 30 seats left"));
}

async fn the_911_course_asks_for_the_call_center_next_to_the_fields(app: &TestApp) {
    let offering = first_offering(app, "CIT911").await;
    let sam = app.sign_up("Sam Lee", "sam@metro911.gov").await;
    let (_, _, page) = app.get(&sam, &format!("/offerings/{offering}")).await;
    assert!(page.contains("Emergency call center") && page.contains("Supervisor"));
    let done = app
        .submit(
            &sam,
            &format!("/offerings/{offering}"),
            "register",
            &[
                ("offering_id", &offering.to_string()),
                ("call_center", " "),
                ("job_role", ""),
                ("supervisor_contact", ""),
            ],
        )
        .await;
    let error = done.error.expect("refused");
    assert!(error.field_message("call_center").is_some(), "{error:?}");
    let (_, _, page) = app.get(&sam, done.location.as_deref().unwrap()).await;
    assert!(
        page.contains("Enter the name of your emergency call center."),
        "{page}"
    );
    let count: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM registrations").fetch_one(pool).await.unwrap());
    assert_eq!(count, 0, "nothing saved");

    let fields = [
        ("offering_id", offering.to_string()),
        ("call_center", "Metro 911".into()),
        ("job_role", "Call-taker".into()),
        ("supervisor_contact", "Pat Kim, 555-0100".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&sam, &format!("/offerings/{offering}"), "register", &fields)
        .await;
    assert_eq!(done.error, None);
    let (_, _, dashboard) = app.get(&sam, "/dashboard").await;
    assert!(dashboard.contains("Waiting for approval"), "{dashboard}");
}

async fn course_pages_list_upcoming_classes_and_offer_a_calendar(app: &TestApp) {
    let (_, _, html) = app.get(&app.browser(), "/courses/CIT911").await;
    assert!(html.contains("Upcoming classes"));
    assert!(
        html.contains("Evening class"),
        "the seed alternates day and evening 911 classes"
    );
    assert!(
        html.contains("9:00 am-1:00 pm MT") && html.contains("4:00 pm-8:00 pm MT"),
        "{html}"
    );
    let offering = first_offering(app, "CITC").await;
    let response = app
        .browser()
        .get(app.url(&format!("/offerings/{offering}/calendar.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = response.text().await.unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(ics.contains(&format!("UID:offering-{offering}-meeting-")));
    let (status, _, _) = app.get(&app.browser(), "/offerings/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The browser's zone (a cookie the client sets) adds the visitor's own times.
    let response = app
        .browser()
        .get(app.url("/courses/CIT911"))
        .header("accept", "text/html")
        .header("cookie", "tz=America/New_York")
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(
        html.contains("your time)")
            && (html.contains("11:00 am-3:00 pm E") || html.contains("6:00 pm-10:00 pm E")),
        "{html}"
    );
    let response = app
        .browser()
        .get(app.url("/courses/CIT911"))
        .header("accept", "text/html")
        .header("cookie", "tz=Not/AZone")
        .send()
        .await
        .unwrap();
    assert!(
        !response.text().await.unwrap().contains("your time)"),
        "an unknown zone is ignored"
    );
}

async fn nobody_cancels_someone_elses_registration(app: &TestApp) {
    let offering = first_offering(app, "CITC").await;
    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    app.submit(
        &jane,
        &format!("/offerings/{offering}"),
        "register",
        &[("offering_id", &offering.to_string())],
    )
    .await;
    let id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM registrations").fetch_one(pool).await.unwrap());
    let mallory = app.sign_up("Mallory", "mallory@denver.gov").await;
    let done = app
        .submit(
            &mallory,
            "/dashboard",
            "cancel_registration",
            &[("registration_id", &id.to_string())],
        )
        .await;
    assert!(
        matches!(done.error, Some(app::error::AppError::NotFound(_))),
        "{:?}",
        done.error
    );
    let status: String = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT status FROM registrations WHERE id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(status, "confirmed");
    // A visitor is asked to sign in.
    let done = app
        .submit(
            &app.browser(),
            "/dashboard",
            "cancel_registration",
            &[("registration_id", &id.to_string())],
        )
        .await;
    assert_eq!(done.error, Some(app::error::AppError::Unauthenticated));
}

async fn an_admin_approves_rejects_and_records_payment(app: &TestApp) {
    let offering = first_offering(app, "CIT911").await;
    let fields = |who: &str| {
        vec![
            ("offering_id", offering.to_string()),
            ("call_center", format!("{who} 911")),
            ("job_role", "Dispatcher".into()),
            ("supervisor_contact", "Pat Kim".into()),
        ]
    };
    for (name, email) in [
        ("Sam Lee", "sam@metro911.gov"),
        ("Ria Diaz", "ria@metro911.gov"),
    ] {
        let browser = app.sign_up(name, email).await;
        let f = fields(name);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            app.submit(&browser, &format!("/offerings/{offering}"), "register", &f)
                .await
                .error,
            None
        );
    }
    let ids: Vec<i64> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM registrations ORDER BY id").fetch_all(pool).await.unwrap());

    // Attendees cannot see or act on approvals.
    let sam = app.sign_in("sam@metro911.gov", common::PASSWORD).await.0;
    assert_eq!(
        app.get(&sam, "/admin/registrations").await.0,
        StatusCode::FORBIDDEN
    );
    let done = app
        .submit(
            &sam,
            "/admin/registrations",
            "decide_registration",
            &[
                ("registration_id", &ids[0].to_string()),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(done.error, Some(app::error::AppError::Forbidden));

    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let (status, _, page) = app.get(&admin, "/admin/registrations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Sam Lee") && page.contains("Sam Lee 911") && page.contains("Ria Diaz"),
        "{page}"
    );

    // Rejecting without a reason is refused next to the field; nothing changes.
    let done = app
        .submit(
            &admin,
            "/admin/registrations",
            "decide_registration",
            &[
                ("registration_id", &ids[1].to_string()),
                ("decision", "reject"),
                ("reason", " "),
            ],
        )
        .await;
    assert!(done.error.unwrap().field_message("reason").is_some());
    let done = app
        .submit(
            &admin,
            "/admin/registrations",
            "decide_registration",
            &[
                ("registration_id", &ids[0].to_string()),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let done = app
        .submit(
            &admin,
            "/admin/registrations",
            "decide_registration",
            &[
                ("registration_id", &ids[1].to_string()),
                ("decision", "reject"),
                ("reason", "Not employed by a call center"),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let (_, _, dashboard) = app.get(&sam, "/dashboard").await;
    assert!(dashboard.contains("Confirmed"), "{dashboard}");
    let kinds: Vec<String> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT kind FROM outbox WHERE kind LIKE 'registration_%' ORDER BY id").fetch_all(pool).await.unwrap());
    assert_eq!(
        kinds,
        vec![
            "registration_pending",
            "registration_pending",
            "registration_approved",
            "registration_rejected"
        ]
    );

    // The roster shows both; a payment is recorded and audited, bad input refused by field.
    let (status, _, roster) = app
        .get(&admin, &format!("/admin/offerings/{offering}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        roster.contains("sam@metro911.gov") && roster.contains("Not approved"),
        "{roster}"
    );
    let done = app
        .submit(
            &admin,
            "/admin/offerings",
            "record_payment",
            &[
                ("registration_id", &ids[0].to_string()),
                ("payment_status", "paid"),
                ("payment_method", ""),
                ("payment_reference", ""),
            ],
        )
        .await;
    assert!(done
        .error
        .unwrap()
        .field_message(&format!("payment_method-{}", ids[0]))
        .is_some());
    let done = app
        .submit(
            &admin,
            "/admin/offerings",
            "record_payment",
            &[
                ("registration_id", &ids[0].to_string()),
                ("payment_status", "paid"),
                ("payment_method", "purchase_order"),
                ("payment_reference", "PO-2026-118"),
            ],
        )
        .await;
    assert_eq!(
        done.location,
        Some(format!("/admin/offerings/{offering}?paid={}", ids[0]))
    );
    let (_, _, dashboard) = app.get(&sam, "/dashboard").await;
    assert!(dashboard.contains("Paid · $250"), "{dashboard}");
    // The invoice became a receipt; nobody else may read it.
    assert!(
        dashboard.contains(&format!(
            "href=\"/registrations/{}/invoice\">Receipt",
            ids[0]
        )),
        "{dashboard}"
    );
    let (status, _, receipt) = app
        .get(&sam, &format!("/registrations/{}/invoice", ids[0]))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        receipt.contains("Receipt")
            && receipt.contains("PO-2026-118")
            && receipt.contains("$250")
            && receipt.contains("Sam Lee"),
        "{receipt}"
    );
    let (status, _, _) = app
        .get(&sam, &format!("/registrations/{}/invoice", ids[1]))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, invoice) = app
        .get(&admin, &format!("/registrations/{}/invoice", ids[1]))
        .await;
    assert_eq!(status, StatusCode::OK, "staff may read any invoice");
    assert!(invoice.contains("Invoice") && invoice.contains("Unpaid"));
    let (_, _, list) = app.get(&admin, "/admin/offerings").await;
    assert!(list.contains("CIT Support Training for 911"));
}

async fn an_admin_schedules_a_class_and_bad_input_saves_nothing(app: &TestApp) {
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let (status, _, page) = app.get(&admin, "/admin/offerings/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Schedule a class") && page.contains("CIT Coordinator Certification"));
    let day = (chrono::Utc::now() + chrono::Duration::days(60))
        .format("%Y-%m-%d")
        .to_string();
    let past = (chrono::Utc::now() - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let base = vec![
        ("course_code", "CITC".to_owned()),
        ("first_day", day.clone()),
        ("days", "2".into()),
        ("preset", "evening".into()),
        ("zone", "America/Phoenix".into()),
        ("capacity", "12".into()),
        ("meeting_url", "https://meet.example.org/citc".into()),
    ];
    let count = || async { app::db::offerings::count(&app.db).await.unwrap() };
    let before = count().await;
    for (field, value, expected) in [
        ("first_day", past.as_str(), "first_day"),
        ("capacity", "0", "capacity"),
        ("capacity", "-3", "capacity"),
        ("zone", "Mars/Base", "zone"),
        ("meeting_url", "ftp://x", "meeting_url"),
    ] {
        let mut fields = base.clone();
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value.to_owned()));
        let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let done = app
            .submit(&admin, "/admin/offerings/new", "create_offering", &f)
            .await;
        let error = done.error.expect("refused");
        assert!(
            error.field_message(expected).is_some(),
            "{field}={value}: {error:?}"
        );
        if field == "capacity" {
            let (_, _, page) = app.get(&admin, done.location.as_deref().unwrap()).await;
            assert!(page.contains("Enter between 1 and 500 seats."), "{page}");
        }
    }
    assert_eq!(count().await, before, "nothing saved");
    let f: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = app
        .submit(&admin, "/admin/offerings/new", "create_offering", &f)
        .await;
    assert_eq!(done.error, None);
    assert_eq!(count().await, before + 1);
    let id: i64 = done
        .location
        .unwrap()
        .trim_start_matches("/admin/offerings/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, _, page) = app.get(&admin, &format!("/offerings/{id}")).await;
    assert!(
        page.contains("4:00 pm-8:00 pm MST") && page.contains("12 of 12 seats left"),
        "{page}"
    );
    // An attendee may not schedule classes.
    let jane = app.sign_up("Jane Doe", "jane@denver.gov").await;
    let done = app
        .submit(&jane, "/admin/offerings/new", "create_offering", &f)
        .await;
    assert_eq!(done.error, Some(app::error::AppError::Forbidden));
}

async fn cancelling_a_class_tells_everyone_registered(app: &TestApp) {
    let offering = first_offering(app, "CITC").await;
    for (name, email) in [
        ("Jane Doe", "jane@denver.gov"),
        ("Ann Roe", "ann@denver.gov"),
    ] {
        let b = app.sign_up(name, email).await;
        app.submit(
            &b,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    }
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let done = app
        .submit(
            &admin,
            "/admin/offerings",
            "cancel_offering",
            &[("offering_id", &offering.to_string()), ("reason", "")],
        )
        .await;
    assert!(done.error.unwrap().field_message("reason").is_some());
    let done = app
        .submit(
            &admin,
            "/admin/offerings",
            "cancel_offering",
            &[
                ("offering_id", &offering.to_string()),
                ("reason", "The instructor is ill."),
            ],
        )
        .await;
    assert_eq!(done.error, None);
    let told: Vec<String> = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT to_address FROM outbox WHERE kind = 'offering_cancelled' ORDER BY to_address").fetch_all(pool).await.unwrap());
    assert_eq!(told, vec!["ann@denver.gov", "jane@denver.gov"]);
    let live: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE status <> 'cancelled'").fetch_one(pool).await.unwrap());
    assert_eq!(live, 0);
    let (_, _, page) = app.get(&admin, &format!("/offerings/{offering}")).await;
    assert!(page.contains("this class will not take place"), "{page}");
    let (_, _, course) = app.get(&app.browser(), "/courses/CITC").await;
    assert!(
        !course.contains(&format!("href=\"/offerings/{offering}\"")),
        "a cancelled class is no longer listed"
    );
    // Cancelling twice is refused.
    let again = app
        .submit(
            &admin,
            "/admin/offerings",
            "cancel_offering",
            &[("offering_id", &offering.to_string()), ("reason", "Again")],
        )
        .await;
    assert!(matches!(
        again.error,
        Some(app::error::AppError::Conflict(_))
    ));
}

async fn more_seats_go_to_the_waitlist_and_instructors_are_assigned(app: &TestApp) {
    app.create_user("chief@cit.org", "admin").await;
    app.create_user("ivan@cit.org", "instructor").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let offering = first_offering(app, "CITC").await;
    let change = |capacity: &str, instructors: &str| {
        vec![
            ("offering_id", offering.to_string()),
            ("capacity", capacity.to_owned()),
            ("opens_on", "2026-01-01".to_owned()),
            ("closes_on", "2099-01-01".to_owned()),
            ("meeting_url", "https://meet.example.org/c".to_owned()),
            ("status", "scheduled".to_owned()),
            ("instructors", instructors.to_owned()),
        ]
    };
    let admin = &admin;
    let send = |f: Vec<(&'static str, String)>| async move {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.submit(
            admin,
            &format!("/admin/offerings/{offering}"),
            "update_offering",
            &pairs,
        )
        .await
    };
    assert_eq!(send(change("1", "")).await.error, None);
    for (name, email) in [
        ("Jane Doe", "jane@denver.gov"),
        ("Ann Roe", "ann@denver.gov"),
    ] {
        let b = app.sign_up(name, email).await;
        app.submit(
            &b,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    }
    let statuses = || async {
        app::db::on_db!(&app.db, pool => sqlx::query_scalar::<_, String>("SELECT status FROM registrations ORDER BY id").fetch_all(pool).await.unwrap())
    };
    assert_eq!(statuses().await, vec!["confirmed", "waitlisted"]);
    // Fewer seats than are taken is refused; more seats go to the waitlist at once.
    let done = send(change("0", "")).await;
    assert!(done.error.unwrap().field_message("capacity").is_some());
    let done = send(change("2", "jane@denver.gov")).await;
    assert!(done
        .error
        .unwrap()
        .field_message("instructors")
        .unwrap()
        .contains("not an instructor"));
    assert_eq!(
        statuses().await,
        vec!["confirmed", "waitlisted"],
        "a refused change changes nothing"
    );
    let done = send(change("2", "ivan@cit.org")).await;
    assert_eq!(done.error, None);
    assert_eq!(statuses().await, vec!["confirmed", "confirmed"]);
    let promoted: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'ann@denver.gov' AND kind = 'registration_promoted'").fetch_one(pool).await.unwrap());
    assert_eq!(promoted, 1);
    let (_, _, roster) = app
        .get(admin, &format!("/admin/offerings/{offering}"))
        .await;
    assert!(
        roster.contains("ivan@cit.org") && roster.contains("2 of 2 seats taken"),
        "{roster}"
    );
}
