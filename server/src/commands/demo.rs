//! Demonstration mode: demo accounts with fresh random passwords, printed on the console.

use super::{migrate::anyhow_like::Result, user_add};
use app::{auth::password_hash, db, domain::email::Email};
use rand::{distr::Alphanumeric, Rng};

/// The demonstration accounts: email, name, role, agency.
pub const ACCOUNTS: [(&str, &str, &str, &str); 3] = [
    (
        "admin@demo.cit-academy.org",
        "Avery Admin",
        "admin",
        "CIT Academy",
    ),
    (
        "instructor@demo.cit-academy.org",
        "Ingrid Instructor",
        "instructor",
        "CIT Academy",
    ),
    (
        "attendee@demo.cit-academy.org",
        "Alex Attendee",
        "attendee",
        "Metro Police Department",
    ),
];

/// A random password: 20 letters and digits (about 119 bits).
fn fresh_password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

/// Creates the demo accounts, or gives existing ones a fresh password, and prints them.
pub async fn prepare(db: &db::Db) -> Result<()> {
    let mut lines = Vec::new();
    let mut existed = 0;
    for (email, name, role, agency) in ACCOUNTS {
        let password = fresh_password();
        let parsed = Email::parse(email).map_err(|e| format!("{email}: {e}"))?;
        match db::users::find_by_email(db, &parsed).await? {
            Some(existing) => {
                existed += 1;
                let hash = password_hash::hash(password.clone()).await?;
                db::users::set_password_hash(db, existing.id, &hash, app::clock::now()).await?;
            }
            None => {
                user_add::create(
                    db,
                    &user_add::Account {
                        email,
                        name,
                        role,
                        agency,
                    },
                    &password,
                )
                .await?;
            }
        }
        lines.push(format!("  {role:<11} {email:<34} {password}"));
    }
    if existed > 0 {
        println!("\nDemo mode started again on the same data: everything in it was kept, and the demonstration accounts have new passwords (the old ones no longer work):");
    } else {
        println!("\nDemonstration accounts created (demo mode only; new passwords every start):");
    }
    println!("  {:<11} {:<34} password", "role", "email");
    for line in lines {
        println!("{line}");
    }
    println!();
    Ok(())
}

/// A coordinator class that ended yesterday, which the demo attendee attended in full (fee
/// waived), with its test window open: a newcomer can sign in as the attendee and take a
/// real test at once. Added once.
pub async fn finished_class(db: &db::Db) -> Result<()> {
    use app::{
        db::{
            attendance::{NewMark, Source},
            offerings::NewOffering,
        },
        domain::{attendance_rule::AttendanceStatus, catalog::Eligibility},
    };
    use chrono::Duration;
    let attendee = Email::parse(ACCOUNTS[2].0).map_err(|e| e.to_string())?;
    let Some(user) = db::users::find_by_email(db, &attendee).await? else {
        return Ok(());
    };
    let Some(&course_id) = db::courses::ids_by_code(db).await?.get("CITC") else {
        return Ok(());
    };
    // The demo instructor teaches it: instructors reach only the banks of courses they teach,
    // and a newcomer signing in as the instructor should find the coordinator course's bank.
    let instructor = Email::parse(ACCOUNTS[1].0).map_err(|e| e.to_string())?;
    let instructor_ids = db::users::find_by_email(db, &instructor)
        .await?
        .map(|u| vec![u.id])
        .unwrap_or_default();
    let now = app::clock::now();
    // Two 4-hour sessions ending yesterday and the day before.
    let end = now - Duration::days(1);
    let meetings = vec![
        (
            end - Duration::days(1) - Duration::hours(4),
            end - Duration::days(1),
        ),
        (end - Duration::hours(4), end),
    ];
    let new = NewOffering {
        course_id,
        zone: "America/Denver".into(),
        preset: "day".into(),
        capacity: 30,
        registration_opens_at: now - Duration::days(30),
        registration_closes_at: meetings[0].0,
        meeting_url: "https://meet.example.org/cit-demo".into(),
        meetings: meetings.clone(),
        instructor_ids,
    };
    if db::registrations::list_for_user(db, user.id, now)
        .await?
        .iter()
        .any(|r| r.sessions > 0 && r.next_starts_at.is_none())
    {
        return Ok(());
    }
    let offering = db::offerings::insert(db, &new, None, now).await?;
    let compose = |_: &db::registrations::Recipient, _: &db::registrations::Event| None;
    let (registration, _) = db::registrations::register(
        db,
        offering,
        user.id,
        Eligibility::Anyone,
        45_000,
        &Default::default(),
        &compose,
        now,
    )
    .await?;
    let waived =
        app::domain::payment::parse_record("waived", "", "demo").map_err(|(_, m)| m.to_owned())?;
    db::registrations::record_payment(db, registration, &waived, user.id, now).await?;
    let (_, records) = db::offerings::find(db, offering)
        .await?
        .ok_or("demo class vanished")?;
    for m in records {
        let mark = NewMark {
            registration_id: registration,
            status: AttendanceStatus::Present,
            minutes: 240,
            note: "Demonstration".into(),
        };
        db::attendance::record_marks(db, m.id, &[mark], Source::RollCall, None, now).await?;
    }
    db::exams::set_window(
        db,
        offering,
        now - Duration::hours(1),
        now + Duration::days(30),
    )
    .await?;
    println!("A finished coordinator class is ready: sign in as {} and open the dashboard to take the test.", ACCOUNTS[2].0);
    Ok(())
}
