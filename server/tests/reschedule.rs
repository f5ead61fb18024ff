//! Rescheduling a class through the administrator's forms, as a browser without JavaScript
//! does, on both databases: sessions move, are added on days that are not consecutive, and
//! are removed; everyone registered is told with a calendar file whose SEQUENCE went up.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use app::error::AppError;
use chrono::{DateTime, Duration, Utc};
use common::{Browser, TestApp};
use icalendar::Component;

on_both_databases!(
    moving_a_session_raises_its_sequence_and_tells_everyone,
    sessions_are_added_on_any_day_and_removed_with_a_cancelled_event,
    bad_session_input_is_refused_next_to_the_field_and_changes_nothing,
    only_administrators_reschedule,
);

/// The first seeded coordinator class, and an admin's browser.
async fn setup(app: &TestApp) -> (i64, Browser) {
    let (_, _, html) = app.get(&app.browser(), "/courses/CITC").await;
    let offering: i64 = html
        .split("href=\"/offerings/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an upcoming class")
        .parse()
        .unwrap();
    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    (offering, admin)
}

async fn register(app: &TestApp, offering: i64, name: &str, email: &str) {
    let b = app.sign_up(name, email).await;
    let done = app
        .submit(
            &b,
            &format!("/offerings/{offering}"),
            "register",
            &[("offering_id", &offering.to_string())],
        )
        .await;
    assert_eq!(done.error, None);
}

/// (id, starts_at, ends_at, sequence) of the class's sessions in order.
async fn sessions(app: &TestApp, offering: i64) -> Vec<(i64, DateTime<Utc>, DateTime<Utc>, i64)> {
    app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT id, starts_at, ends_at, sequence FROM meetings WHERE offering_id = $1 ORDER BY starts_at")
        .bind(offering).fetch_all(pool).await.unwrap())
}

/// The calendar files attached to the messages of `kind` to `to`, decoded.
async fn calendars(app: &TestApp, to: &str, kind: &str) -> Vec<String> {
    use base64::Engine;
    app::db::outbox::recent(&app.db, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.to_address == to && r.kind == kind)
        .flat_map(|r| {
            let attachments: Vec<serde_json::Value> = serde_json::from_str(&r.attachments).unwrap();
            attachments
                .into_iter()
                .map(|a| {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(a["content_base64"].as_str().unwrap())
                        .unwrap();
                    String::from_utf8(bytes).unwrap()
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

async fn change(
    app: &TestApp,
    admin: &Browser,
    function: &str,
    fields: &[(&str, &str)],
) -> common::Submitted {
    app.submit(admin, "/admin/offerings", function, fields)
        .await
}

async fn moving_a_session_raises_its_sequence_and_tells_everyone(app: &TestApp) {
    let (offering, admin) = setup(app).await;
    register(app, offering, "Jane Doe", "jane@denver.gov").await;
    let before = sessions(app, offering).await;
    assert_eq!(before.len(), 2);
    let (id, starts, ..) = before[1];
    // A week later than planned, 4:00-8:00 pm in the class's zone (America/Denver).
    let day = (starts + Duration::days(7))
        .with_timezone(&chrono_tz::America::Denver)
        .format("%Y-%m-%d")
        .to_string();
    let done = change(
        app,
        &admin,
        "move_meeting",
        &[
            ("offering_id", &offering.to_string()),
            ("meeting_id", &id.to_string()),
            ("day", &day),
            ("start", "16:00"),
            ("end", "20:00"),
        ],
    )
    .await;
    assert_eq!(done.error, None);
    assert_eq!(
        done.location,
        Some(format!(
            "/admin/offerings/{offering}?rescheduled=1#sessions"
        ))
    );
    let after = sessions(app, offering).await;
    assert_eq!(after[0], before[0], "the other session is untouched");
    assert_eq!(
        (after[1].0, after[1].3),
        (id, 1),
        "same session (same UID), SEQUENCE raised"
    );
    let local = after[1].1.with_timezone(&chrono_tz::America::Denver);
    assert_eq!(
        local.format("%Y-%m-%d %H:%M").to_string(),
        format!("{day} 16:00")
    );
    assert_eq!(after[1].2 - after[1].1, Duration::hours(4));

    let files = calendars(app, "jane@denver.gov", "offering_rescheduled").await;
    assert_eq!(files.len(), 1, "one message, with the updated calendar");
    let parsed: icalendar::Calendar = files[0].parse().unwrap();
    let events: Vec<&icalendar::Event> = parsed
        .components
        .iter()
        .filter_map(icalendar::CalendarComponent::as_event)
        .collect();
    assert_eq!(events.len(), 2);
    let moved = events
        .iter()
        .find(|e| e.get_uid().unwrap().contains(&format!("meeting-{id}@")))
        .unwrap();
    assert_eq!(moved.get_sequence(), Some(1));
    let (_, _, page) = app
        .get(&admin, &format!("/admin/offerings/{offering}"))
        .await;
    assert!(
        page.contains(&local.format("%A, %B %-d, %Y · 4:00 pm-8:00 pm").to_string()),
        "{page}"
    );
    let audited: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'offering.session_moved' AND entity_id = $1").bind(id).fetch_one(pool).await.unwrap());
    assert_eq!(audited, 1);

    // The dashboard shows the next session, not merely the first.
    let jane = app.sign_in("jane@denver.gov", common::PASSWORD).await.0;
    let (_, _, dashboard) = app.get(&jane, "/dashboard").await;
    assert!(dashboard.contains("Next session"), "{dashboard}");
    assert!(dashboard.contains("Session 1 of 2: "), "{dashboard}");
}

async fn sessions_are_added_on_any_day_and_removed_with_a_cancelled_event(app: &TestApp) {
    let (offering, admin) = setup(app).await;
    register(app, offering, "Jane Doe", "jane@denver.gov").await;
    let before = sessions(app, offering).await;
    // A third session ten days after the second: not consecutive.
    let day = (before[1].1 + Duration::days(10))
        .with_timezone(&chrono_tz::America::Denver)
        .format("%Y-%m-%d")
        .to_string();
    let done = change(
        app,
        &admin,
        "add_meeting",
        &[
            ("offering_id", &offering.to_string()),
            ("day", &day),
            ("start", "09:00"),
            ("end", "13:00"),
        ],
    )
    .await;
    assert_eq!(done.error, None);
    let after = sessions(app, offering).await;
    assert_eq!(after.len(), 3);
    assert_eq!(
        calendars(app, "jane@denver.gov", "offering_rescheduled").await[0]
            .matches("BEGIN:VEVENT")
            .count(),
        3
    );

    let removed = after[1].0;
    let done = change(
        app,
        &admin,
        "remove_meeting",
        &[
            ("offering_id", &offering.to_string()),
            ("meeting_id", &removed.to_string()),
        ],
    )
    .await;
    assert_eq!(done.error, None);
    assert_eq!(sessions(app, offering).await.len(), 2);
    let files = calendars(app, "jane@denver.gov", "offering_rescheduled").await;
    let last = files
        .iter()
        .find(|f| f.contains("STATUS:CANCELLED"))
        .expect("a calendar withdrawing the session");
    let parsed: icalendar::Calendar = last.parse().unwrap();
    let withdrawn = parsed
        .components
        .iter()
        .filter_map(icalendar::CalendarComponent::as_event)
        .find(|e| {
            e.get_uid()
                .unwrap()
                .contains(&format!("meeting-{removed}@"))
        })
        .unwrap();
    assert_eq!(
        withdrawn.get_status(),
        Some(icalendar::EventStatus::Cancelled)
    );
    assert_eq!(withdrawn.get_sequence(), Some(1));

    // A session earlier than the first pulls the registration deadline with it.
    let first = sessions(app, offering).await[0].1;
    let earlier = (first - Duration::days(3))
        .with_timezone(&chrono_tz::America::Denver)
        .format("%Y-%m-%d")
        .to_string();
    let done = change(
        app,
        &admin,
        "add_meeting",
        &[
            ("offering_id", &offering.to_string()),
            ("day", &earlier),
            ("start", "09:00"),
            ("end", "13:00"),
        ],
    )
    .await;
    assert_eq!(done.error, None);
    let (closes, new_first): (DateTime<Utc>, DateTime<Utc>) = app::db::on_db!(&app.db, pool => sqlx::query_as("SELECT o.registration_closes_at, (SELECT MIN(starts_at) FROM meetings WHERE offering_id = o.id) FROM offerings o WHERE o.id = $1").bind(offering).fetch_one(pool).await.unwrap());
    assert!(
        closes <= new_first,
        "registration closes by the first session: {closes} vs {new_first}"
    );
}

async fn bad_session_input_is_refused_next_to_the_field_and_changes_nothing(app: &TestApp) {
    let (offering, admin) = setup(app).await;
    let before = sessions(app, offering).await;
    let (first, second) = (before[0], before[1]);
    let local = |at: DateTime<Utc>| at.with_timezone(&chrono_tz::America::Denver);
    let first_day = local(first.1).format("%Y-%m-%d").to_string();
    let yesterday = local(Utc::now() - Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let id = second.0.to_string();
    let o = offering.to_string();
    for (fields, field) in [
        // Onto the first session's time: an overlap.
        (
            vec![
                ("day", first_day.as_str()),
                ("start", "10:00"),
                ("end", "12:00"),
            ],
            format!("day-{id}"),
        ),
        (
            vec![
                ("day", yesterday.as_str()),
                ("start", "09:00"),
                ("end", "13:00"),
            ],
            format!("day-{id}"),
        ),
        (
            vec![
                ("day", first_day.as_str()),
                ("start", "15:00"),
                ("end", "14:00"),
            ],
            format!("end-{id}"),
        ),
        (
            vec![
                ("day", "next tuesday"),
                ("start", "09:00"),
                ("end", "13:00"),
            ],
            format!("day-{id}"),
        ),
    ] {
        let mut all = vec![("offering_id", o.as_str()), ("meeting_id", id.as_str())];
        all.extend(fields);
        let done = change(app, &admin, "move_meeting", &all).await;
        let error = done.error.expect("refused");
        assert!(error.field_message(&field).is_some(), "{field}: {error:?}");
    }
    // The only other session cannot go once one is removed... but first: an unknown session.
    let done = change(
        app,
        &admin,
        "remove_meeting",
        &[("offering_id", &o), ("meeting_id", "999999")],
    )
    .await;
    assert!(done
        .error
        .unwrap()
        .field_message("meeting_id-999999")
        .is_some());
    let done = change(
        app,
        &admin,
        "remove_meeting",
        &[("offering_id", &o), ("meeting_id", &id)],
    )
    .await;
    assert_eq!(done.error, None);
    let done = change(
        app,
        &admin,
        "remove_meeting",
        &[("offering_id", &o), ("meeting_id", &first.0.to_string())],
    )
    .await;
    let message = done
        .error
        .unwrap()
        .field_message(&format!("meeting_id-{}", first.0))
        .unwrap();
    assert!(message.contains("at least one session"), "{message}");
    assert_eq!(sessions(app, offering).await, vec![first]);
    // A started session stays as it is.
    app::db::on_db!(&app.db, pool => sqlx::query("UPDATE meetings SET starts_at = $1 WHERE id = $2").bind(Utc::now() - Duration::minutes(5)).bind(first.0).execute(pool).await.map(|_| ()).unwrap());
    let done = change(
        app,
        &admin,
        "move_meeting",
        &[
            ("offering_id", &o),
            ("meeting_id", &first.0.to_string()),
            ("day", "2030-01-02"),
            ("start", "09:00"),
            ("end", "13:00"),
        ],
    )
    .await;
    assert!(done
        .error
        .unwrap()
        .field_message(&format!("meeting_id-{}", first.0))
        .unwrap()
        .contains("has started"));
    let nothing: i64 = app::db::on_db!(&app.db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'offering_rescheduled'").fetch_one(pool).await.unwrap());
    assert_eq!(nothing, 0, "nobody registered, nobody told");
}

async fn only_administrators_reschedule(app: &TestApp) {
    let (offering, _) = setup(app).await;
    let id = sessions(app, offering).await[1].0.to_string();
    let o = offering.to_string();
    app.create_user("teacher@cit.org", "instructor").await;
    let instructor = app.sign_in("teacher@cit.org", common::PASSWORD).await.0;
    let attendee = app.sign_up("Jane Doe", "jane@denver.gov").await;
    for who in [&app.browser(), &attendee, &instructor] {
        let done = change(
            app,
            who,
            "remove_meeting",
            &[("offering_id", &o), ("meeting_id", &id)],
        )
        .await;
        assert!(
            matches!(
                done.error,
                Some(AppError::Unauthenticated | AppError::Forbidden)
            ),
            "{:?}",
            done.error
        );
    }
    assert_eq!(sessions(app, offering).await.len(), 2);
}
