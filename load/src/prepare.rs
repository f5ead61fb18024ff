//! The database the benchmark runs on, prepared through the app's own data layer: the
//! catalog, a bank of questions and a published test for the coordinator course, one class
//! that has ended, and N takers with a paid, confirmed seat and full attendance, so that
//! every one of them may start the test now.

use crate::Result;
use app::{
    auth::password_hash,
    db::{
        self,
        attendance::{NewMark, Source},
        exams::ExamRecord,
        offerings::NewOffering,
        registrations::Details,
        users::NewUser,
        Db,
    },
    domain::{
        agency::AgencyType,
        attendance_rule::AttendanceStatus,
        catalog::Eligibility,
        email::Email,
        payment::{PaymentRecord, PaymentStatus},
        question::{OptionDraft, QuestionDraft, QuestionKind, QuestionStatus},
        registration::RegistrationStatus,
        role::Role,
    },
};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tokio::{sync::Semaphore, task::JoinSet};

/// Every taker's password. One Argon2 hash of it is stored for all: hashing 10,000 times
/// would take minutes and measure nothing.
pub const PASSWORD: &str = "lantern orbit mercy walnut";

/// The course the test is taken in.
const COURSE: &str = "CITC";

/// Writes in flight while preparing (PostgreSQL commits overlap; SQLite queues them).
const PARALLEL_WRITES: usize = 16;

/// What the test looks like.
#[derive(Debug, Clone, Copy)]
pub struct Test {
    pub takers: usize,
    pub questions: usize,
    pub minutes: i64,
}

/// One taker: how they sign in and which registration they start the test from.
#[derive(Debug, Clone)]
pub struct Taker {
    pub email: String,
    pub registration_id: i64,
}

pub async fn prepare(db: &Db, test: Test) -> Result<Vec<Taker>> {
    let now = Utc::now();
    cit_server::commands::seed::run(db).await?;
    let hash = password_hash::hash(PASSWORD.to_owned()).await?;
    let admin = account(db, "load-admin@load.example.org", &hash, Role::Admin, now).await?;
    let (course, _) = db::courses::id_and_title(db, COURSE)
        .await?
        .ok_or("the catalog has no coordinator course")?;
    publish_test(db, course, admin, test, now).await?;
    let offering = ended_class(db, test.takers, now).await?;
    let takers = seats(db, offering, admin, &hash, test.takers, now).await?;
    attendance(db, offering, &takers, admin, now).await?;
    db::exams::set_window(
        db,
        offering,
        now - Duration::hours(1),
        now + Duration::days(1),
    )
    .await?;
    statistics(db).await?;
    Ok(takers)
}

/// Gathers PostgreSQL's planner statistics on the tables just filled. A production server's
/// autovacuum does this long before 10,000 people sit a test; the test server runs with
/// autovacuum off, and without statistics the planner takes 10,000 registrations for a
/// handful (the attendance job's anti-join then took 29 s a minute). SQLite is left as the
/// app leaves it.
async fn statistics(db: &Db) -> Result<()> {
    if let Db::Postgres(pool) = db {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    Ok(())
}

/// How often autovacuum looks for tables to analyze on a default PostgreSQL server
/// (`autovacuum_naptime`).
const AUTOANALYZE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Stands in for autovacuum's autoanalyze during the scenario, until dropped (PostgreSQL only;
/// returns at once on SQLite). The attempt tables go from empty to 100,000 rows in the first
/// minute; with autovacuum off, as on the test server, the statistics kept saying "empty", the
/// plans the server's connections cached in the first seconds (whole-table scans) were never
/// replanned, and PostgreSQL used more CPU than the server. A default server checks every
/// minute and analyzes a table once a tenth of it has changed, which on a test day is every
/// minute for these three.
pub async fn autoanalyze(db: Db) {
    let Db::Postgres(pool) = db else { return };
    loop {
        tokio::time::sleep(AUTOANALYZE_EVERY).await;
        if let Err(e) = sqlx::query("ANALYZE attempts, attempt_items, attempt_saves")
            .execute(&pool)
            .await
        {
            eprintln!("warning: autoanalyze stand-in failed: {e}");
        }
    }
}

async fn account(db: &Db, email: &str, hash: &str, role: Role, now: DateTime<Utc>) -> Result<i64> {
    let email = Email::parse(email).map_err(|e| format!("{email}: {e}"))?;
    let new = NewUser {
        email: &email,
        name: "Load Taker",
        password_hash: hash,
        agency: "Load Test Agency",
        agency_type: AgencyType::LawEnforcement,
        role,
    };
    let id = db::users::insert(db, &new, now)
        .await
        .map_err(|e| format!("account {email}: {e}"))?;
    db::users::mark_verified(db, id, now).await?;
    Ok(id)
}

/// A bank of exactly `questions` active questions on the course's first topic, alternately
/// single choice (four options) and short answer, and a published test drawing all of them
/// in a shuffled order with shuffled options, as a real test is.
async fn publish_test(
    db: &Db,
    course: i64,
    admin: i64,
    test: Test,
    now: DateTime<Utc>,
) -> Result<()> {
    let (topic, _) = db::courses::topics(db, course)
        .await?
        .into_iter()
        .next()
        .ok_or("the coordinator course has no topics")?;
    let option = |text: String, weight_percent: i64| OptionDraft {
        text,
        weight_percent,
        feedback: String::new(),
    };
    let bank: Vec<QuestionDraft> = (0..test.questions)
        .map(|i| {
            let single = i % 2 == 0;
            QuestionDraft {
                topic_id: Some(topic),
                group_id: None,
                kind: if single {
                    QuestionKind::Single
                } else {
                    QuestionKind::ShortAnswer
                },
                title: String::new(),
                stem: format!("Load question {i}: what does the coordinator do first?"),
                points: 1,
                explanation: String::new(),
                pin_order: false,
                options: if single {
                    (0..4)
                        .map(|o| option(format!("Option {o}"), if o == 0 { 100 } else { 0 }))
                        .collect()
                } else {
                    vec![option("de-escalate".into(), 100)]
                },
            }
        })
        .collect();
    db::questions::insert(db, course, &bank, QuestionStatus::Active, Some(admin), now).await?;
    let exam = ExamRecord {
        time_limit_minutes: test.minutes,
        ..ExamRecord::defaults(course)
    };
    let blueprint = [(topic, i64::try_from(test.questions)?)]
        .into_iter()
        .collect();
    db::exams::save(db, &exam, &blueprint, Some(admin), now).await?;
    if !db::exams::publish(db, course, Some(admin), now).await? {
        return Err("the test could not be published".into());
    }
    Ok(())
}

/// A class of the course with room for everyone, shaped like the catalog's first one (its
/// zone, preset and session lengths, hence its attendance rule) but ended yesterday.
async fn ended_class(db: &Db, takers: usize, now: DateTime<Utc>) -> Result<i64> {
    let (model, meetings) = db::offerings::upcoming_for_course(db, COURSE, now)
        .await?
        .into_iter()
        .next()
        .ok_or("the catalog has no upcoming coordinator class to copy")?;
    let last_end = meetings
        .iter()
        .map(|m| m.ends_at)
        .max()
        .ok_or("the class has no sessions")?;
    let shift = (now - Duration::days(1)) - last_end;
    let new = NewOffering {
        course_id: model.course_id,
        zone: model.zone.clone(),
        preset: model.preset.clone(),
        capacity: i64::try_from(takers)?,
        registration_opens_at: now - Duration::days(60),
        registration_closes_at: now + Duration::days(1),
        meeting_url: String::new(),
        meetings: meetings
            .iter()
            .map(|m| (m.starts_at + shift, m.ends_at + shift))
            .collect(),
        instructor_ids: Vec::new(),
    };
    Ok(db::offerings::insert(db, &new, None, now).await?)
}

/// The takers' accounts and confirmed, paid seats.
async fn seats(
    db: &Db,
    offering: i64,
    admin: i64,
    hash: &str,
    takers: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Taker>> {
    let gate = Arc::new(Semaphore::new(PARALLEL_WRITES));
    let hash: Arc<str> = Arc::from(hash);
    let mut tasks = JoinSet::new();
    for i in 0..takers {
        let (db, gate, hash) = (db.clone(), gate.clone(), hash.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let email = format!("taker{i}@load.example.org");
            let user = account(&db, &email, &hash, Role::Attendee, now).await?;
            let (registration_id, status) = db::registrations::register(
                &db,
                offering,
                user,
                Eligibility::Anyone,
                0,
                &Details::default(),
                &|_, _| None,
                now,
            )
            .await
            .map_err(|e| format!("registration of {email}: {e}"))?;
            if status != RegistrationStatus::Confirmed {
                return Err(format!("{email} got {status:?}, not a seat").into());
            }
            let paid = PaymentRecord {
                status: PaymentStatus::Paid,
                method: None,
                reference: String::new(),
            };
            db::registrations::record_payment(&db, registration_id, &paid, admin, now).await?;
            Result::Ok((
                i,
                Taker {
                    email,
                    registration_id,
                },
            ))
        });
    }
    let mut made = Vec::with_capacity(takers);
    while let Some(done) = tasks.join_next().await {
        made.push(done??);
    }
    made.sort_by_key(|(i, _)| *i);
    Ok(made.into_iter().map(|(_, t)| t).collect())
}

/// Everyone present for the whole of every session, as a roll call records it.
async fn attendance(
    db: &Db,
    offering: i64,
    takers: &[Taker],
    admin: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let (_, meetings) = db::offerings::find(db, offering)
        .await?
        .ok_or("the class vanished")?;
    let mut tasks = JoinSet::new();
    for meeting in meetings {
        let minutes = (meeting.ends_at - meeting.starts_at).num_minutes();
        let marks: Vec<NewMark> = takers
            .iter()
            .map(|t| NewMark {
                registration_id: t.registration_id,
                status: AttendanceStatus::Present,
                minutes,
                note: String::new(),
            })
            .collect();
        let db = db.clone();
        tasks.spawn(async move {
            db::attendance::record_marks(
                &db,
                meeting.id,
                &marks,
                Source::RollCall,
                Some(admin),
                now,
            )
            .await
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}
