//! Seats, the waitlist and approvals in the data layer, on SQLite and PostgreSQL: the rules
//! that must hold however many people press "Register" at once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::{
    db::{
        offerings::{self, NewOffering},
        registrations::{self, Details, Event, Outgoing, Recipient, RegisterError},
    },
    domain::{catalog::Eligibility, payment::parse_record, registration::RegistrationStatus},
};
use chrono::{Duration, Utc};
use common::TestApp;

on_both_databases!(
    two_people_racing_for_the_last_seat_get_one_seat_and_one_waitlist,
    many_people_racing_never_overbook,
    cancelling_promotes_the_first_in_line,
    a_second_registration_is_refused,
    approval_and_rejection_for_the_911_course,
    payments_are_recorded_and_audited,
);

async fn offering(app: &TestApp, code: &str, capacity: i64) -> i64 {
    let course = app::db::courses::find(&app.db, code)
        .await
        .unwrap()
        .unwrap();
    let course_id: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT id FROM courses WHERE code = $1").bind(&course.course.code).fetch_one(pool).await.unwrap());
    let now = Utc::now();
    let first = now + Duration::days(30);
    let new = NewOffering {
        course_id,
        zone: "America/Denver".into(),
        preset: "day".into(),
        capacity,
        registration_opens_at: now - Duration::days(1),
        registration_closes_at: first - Duration::days(1),
        meeting_url: "https://meet.example.org/cit".into(),
        meetings: vec![
            (first, first + Duration::hours(4)),
            (
                first + Duration::days(1),
                first + Duration::days(1) + Duration::hours(4),
            ),
        ],
        instructor_ids: vec![],
    };
    offerings::insert(&app.db, &new, None, now).await.unwrap()
}

/// Records each event as a message whose subject names it.
fn compose(to: &Recipient, event: &Event) -> Option<Outgoing> {
    Some(Outgoing {
        subject: format!("{event:?}"),
        body: format!("to {}", to.name),
        attachments: vec![],
        kind: "test",
    })
}

/// The subjects of the messages stored for an address, oldest first.
async fn mail_to(app: &TestApp, email: &str) -> Vec<String> {
    app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT subject FROM outbox WHERE to_address = $1 ORDER BY id").bind(email).fetch_all(pool).await.unwrap())
}

async fn people(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            app.create_user(&format!("person{i}@agency.gov"), "attendee")
                .await,
        );
    }
    ids
}

async fn seats_taken(app: &TestApp, offering_id: i64) -> i64 {
    offerings::find(&app.db, offering_id)
        .await
        .unwrap()
        .unwrap()
        .0
        .seats_taken
}

async fn two_people_racing_for_the_last_seat_get_one_seat_and_one_waitlist(app: &TestApp) {
    let offering_id = offering(app, "CITC", 1).await;
    let ids = people(app, 2).await;
    let none = Details::default();
    let (a, b) = tokio::join!(
        registrations::register(
            &app.db,
            offering_id,
            ids[0],
            Eligibility::Anyone,
            45_000,
            &none,
            &compose,
            Utc::now()
        ),
        registrations::register(
            &app.db,
            offering_id,
            ids[1],
            Eligibility::Anyone,
            45_000,
            &none,
            &compose,
            Utc::now()
        ),
    );
    let mut statuses = vec![a.unwrap().1, b.unwrap().1];
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(
        statuses,
        vec![
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waitlisted
        ]
    );
    assert_eq!(seats_taken(app, offering_id).await, 1);
}

async fn many_people_racing_never_overbook(app: &TestApp) {
    let offering_id = offering(app, "CITC", 5).await;
    let ids = people(app, 16).await;
    let db = app.db.clone();
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|user_id| {
            let db = db.clone();
            tokio::spawn(async move {
                registrations::register(
                    &db,
                    offering_id,
                    user_id,
                    Eligibility::Anyone,
                    45_000,
                    &Details::default(),
                    &compose,
                    Utc::now(),
                )
                .await
            })
        })
        .collect();
    let mut confirmed = 0;
    let mut waitlisted = 0;
    for task in tasks {
        match task.await.unwrap().unwrap().1 {
            RegistrationStatus::Confirmed => confirmed += 1,
            RegistrationStatus::Waitlisted => waitlisted += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((confirmed, waitlisted), (5, 11));
    assert_eq!(seats_taken(app, offering_id).await, 5);
    assert_eq!(
        offerings::waitlist_length(&app.db, offering_id)
            .await
            .unwrap(),
        11
    );
}

async fn cancelling_promotes_the_first_in_line(app: &TestApp) {
    let offering_id = offering(app, "CITC", 1).await;
    let ids = people(app, 3).await;
    let mut regs = Vec::new();
    for (i, user_id) in ids.iter().enumerate() {
        // Distinct times make the waitlist order unambiguous.
        let at = Utc::now() + Duration::seconds(i as i64);
        regs.push(
            registrations::register(
                &app.db,
                offering_id,
                *user_id,
                Eligibility::Anyone,
                45_000,
                &Details::default(),
                &compose,
                at,
            )
            .await
            .unwrap(),
        );
    }
    assert_eq!(
        regs.iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Waitlisted
        ]
    );

    let promoted = registrations::cancel(&app.db, regs[0].0, Some(ids[0]), &compose, Utc::now())
        .await
        .unwrap()
        .expect("was live")
        .expect("someone promoted");
    assert_eq!(
        (promoted.registration_id, promoted.user_id, promoted.status),
        (regs[1].0, ids[1], RegistrationStatus::Confirmed)
    );
    assert_eq!(seats_taken(app, offering_id).await, 1);
    assert_eq!(
        registrations::find(&app.db, regs[2].0)
            .await
            .unwrap()
            .unwrap()
            .status(),
        RegistrationStatus::Waitlisted
    );
    // Each change was told, in the same transaction as the change.
    assert_eq!(
        mail_to(app, "person0@agency.gov").await,
        vec!["Registered(Confirmed)", "Cancelled"]
    );
    assert_eq!(
        mail_to(app, "person1@agency.gov").await,
        vec!["Registered(Waitlisted)", "Promoted(Confirmed)"]
    );
    assert_eq!(
        mail_to(app, "person2@agency.gov").await,
        vec!["Registered(Waitlisted)"]
    );

    // Cancelling a waitlisted registration frees no seat and promotes nobody.
    assert_eq!(
        registrations::cancel(&app.db, regs[2].0, None, &compose, Utc::now())
            .await
            .unwrap(),
        Some(None)
    );
    // The last seat holder cancels with nobody waiting: the seat returns.
    assert_eq!(
        registrations::cancel(&app.db, regs[1].0, None, &compose, Utc::now())
            .await
            .unwrap(),
        Some(None)
    );
    assert_eq!(seats_taken(app, offering_id).await, 0);
    // Cancelling twice changes nothing.
    assert_eq!(
        registrations::cancel(&app.db, regs[1].0, None, &compose, Utc::now())
            .await
            .unwrap(),
        None
    );
}

async fn a_second_registration_is_refused(app: &TestApp) {
    let offering_id = offering(app, "CITC", 2).await;
    let ids = people(app, 1).await;
    registrations::register(
        &app.db,
        offering_id,
        ids[0],
        Eligibility::Anyone,
        45_000,
        &Details::default(),
        &compose,
        Utc::now(),
    )
    .await
    .unwrap();
    let again = registrations::register(
        &app.db,
        offering_id,
        ids[0],
        Eligibility::Anyone,
        45_000,
        &Details::default(),
        &compose,
        Utc::now(),
    )
    .await;
    assert!(
        matches!(again, Err(RegisterError::AlreadyRegistered)),
        "{again:?}"
    );
    assert_eq!(
        seats_taken(app, offering_id).await,
        1,
        "the refused attempt must not keep a seat"
    );
}

async fn approval_and_rejection_for_the_911_course(app: &TestApp) {
    let offering_id = offering(app, "CIT911", 1).await;
    let ids = people(app, 2).await;
    let admin = app.create_user("chief@cit.org", "admin").await;
    let details = Details {
        call_center: "Metro 911".into(),
        job_role: "Call-taker".into(),
        supervisor_contact: "Sam Lee, 555-0100".into(),
    };
    let (first, status) = registrations::register(
        &app.db,
        offering_id,
        ids[0],
        Eligibility::CallCenterStaff,
        25_000,
        &details,
        &compose,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(status, RegistrationStatus::PendingApproval);
    let (second, status) = registrations::register(
        &app.db,
        offering_id,
        ids[1],
        Eligibility::CallCenterStaff,
        25_000,
        &details,
        &compose,
        Utc::now() + Duration::seconds(1),
    )
    .await
    .unwrap();
    assert_eq!(status, RegistrationStatus::Waitlisted);
    let pending = app::db::pending_registrations::list_pending(&app.db, Default::default(), 50, 0)
        .await
        .unwrap();
    assert_eq!(
        pending
            .iter()
            .map(|p| (p.id, p.call_center.as_str()))
            .collect::<Vec<_>>(),
        vec![(first, "Metro 911")]
    );

    // Rejecting frees the seat for the next in line, who then waits for approval in turn.
    let promoted = registrations::decide(
        &app.db,
        first,
        false,
        "Not employed by a call center",
        admin,
        &compose,
        Utc::now(),
    )
    .await
    .unwrap()
    .unwrap()
    .unwrap();
    assert_eq!(
        (promoted.registration_id, promoted.status),
        (second, RegistrationStatus::PendingApproval)
    );
    assert_eq!(
        registrations::find(&app.db, first)
            .await
            .unwrap()
            .unwrap()
            .decision_reason,
        "Not employed by a call center"
    );
    assert_eq!(
        mail_to(app, "person0@agency.gov").await,
        vec![
            "Registered(PendingApproval)",
            "Rejected(\"Not employed by a call center\")"
        ]
    );
    assert_eq!(
        mail_to(app, "person1@agency.gov").await,
        vec!["Registered(Waitlisted)", "Promoted(PendingApproval)"]
    );
    assert_eq!(
        registrations::decide(&app.db, second, true, "", admin, &compose, Utc::now())
            .await
            .unwrap(),
        Some(None)
    );
    assert_eq!(
        registrations::find(&app.db, second)
            .await
            .unwrap()
            .unwrap()
            .status(),
        RegistrationStatus::Confirmed
    );
    // A decided registration cannot be decided again.
    assert_eq!(
        registrations::decide(&app.db, second, false, "", admin, &compose, Utc::now())
            .await
            .unwrap(),
        None
    );
    assert_eq!(seats_taken(app, offering_id).await, 1);
}

async fn payments_are_recorded_and_audited(app: &TestApp) {
    let offering_id = offering(app, "CITC", 2).await;
    let ids = people(app, 1).await;
    let admin = app.create_user("chief@cit.org", "admin").await;
    let (id, _) = registrations::register(
        &app.db,
        offering_id,
        ids[0],
        Eligibility::Anyone,
        45_000,
        &Details::default(),
        &compose,
        Utc::now(),
    )
    .await
    .unwrap();
    let record = parse_record("paid", "check", "1042").unwrap();
    assert!(
        registrations::record_payment(&app.db, id, &record, admin, Utc::now())
            .await
            .unwrap()
    );
    let stored = registrations::find(&app.db, id).await.unwrap().unwrap();
    assert_eq!(
        (
            stored.payment_status.as_str(),
            stored.payment_method.as_str(),
            stored.payment_reference.as_str(),
            stored.amount_due_cents
        ),
        ("paid", "check", "1042", 45_000)
    );
    let audit: Vec<(String, String)> = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT before_value, after_value FROM audit_log WHERE action = 'registration.payment_recorded' AND entity_id = $1").bind(id).fetch_all(pool).await.unwrap());
    assert_eq!(
        audit,
        vec![("unpaid".to_owned(), "paid check 1042".to_owned())]
    );
    assert!(
        !registrations::record_payment(&app.db, 999_999, &record, admin, Utc::now())
            .await
            .unwrap()
    );
}
