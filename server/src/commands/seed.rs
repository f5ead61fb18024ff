use app::{
    db::{self, offerings::NewOffering},
    domain::{catalog::seed_courses, offering_plan},
};
use chrono::{Duration, Utc};

/// Loads the course catalog (courses and their topics) without undoing anything an
/// administrator changed (see `db::courses::upsert_seed`); returns how many courses were new.
/// This is all a production database gets.
pub async fn catalog(db: &db::Db) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let created = db::courses::upsert_seed(db, &seed_courses(), app::clock::now()).await?;
    tracing::info!(created, "catalog loaded");
    Ok(created)
}

/// The catalog, and three months of demonstration classes into an empty schedule; returns how
/// many courses were new. For demonstrations and tests: a real schedule is the
/// administrators' to make.
pub async fn run(db: &db::Db) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let created = catalog(db).await?;
    if db::offerings::count(db).await? == 0 {
        let added = offerings(db, app::clock::now()).await?;
        tracing::info!(added, "upcoming demonstration classes added");
    }
    Ok(created)
}

/// Three months of classes in the organisation's pattern (see `offering_plan`), open for
/// registration from now until a day before each class.
async fn offerings(
    db: &db::Db,
    now: chrono::DateTime<Utc>,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let zone = chrono_tz::America::Denver;
    let plan = offering_plan::upcoming(now.with_timezone(&zone).date_naive(), 3);
    let courses = db::courses::ids_by_code(db).await?;
    let mut added = 0;
    for planned in plan {
        let Some(&course_id) = courses.get(planned.course_code) else {
            continue;
        };
        let meetings = planned.meetings(zone)?;
        let Some(first) = meetings.first() else {
            continue;
        };
        let new = NewOffering {
            course_id,
            zone: zone.name().to_owned(),
            preset: planned.preset.as_str().to_owned(),
            capacity: if planned.course_code == offering_plan::COORDINATOR_COURSE {
                30
            } else {
                24
            },
            registration_opens_at: now,
            registration_closes_at: first.starts_at - Duration::days(1),
            meeting_url: String::new(),
            meetings: meetings.iter().map(|m| (m.starts_at, m.ends_at)).collect(),
            instructor_ids: Vec::new(),
        };
        db::offerings::insert(db, &new, None, now).await?;
        added += 1;
    }
    Ok(added)
}

/// What `serve` loads: the catalog only, and only into a database without courses, so that
/// a production start never adds demonstration data nor races another server's seeding.
pub async fn if_empty(db: &db::Db) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if db::courses::list(db).await?.is_empty() {
        catalog(db).await?;
    }
    Ok(())
}

/// Everything a demonstration needs besides its accounts (`demo`, `seed --demo`): the
/// catalog, upcoming classes, and the demonstration question bank with its published tests.
/// Each part is loaded only where missing, so it runs again on the same data without change.
/// Returns how many courses were new.
pub async fn demonstration(db: &db::Db) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let created = run(db).await?;
    let questions = bank(db).await?;
    if questions > 0 {
        tracing::info!(questions, "demonstration question bank loaded");
    }
    Ok(created)
}

/// The demonstration question bank (`server/seed/questions/*.gift`, original questions on
/// every topic, and for the 911 course scenario groups) and a published test for each
/// course, loaded into a course that has no questions yet. Returns how many questions were
/// added.
pub async fn bank(db: &db::Db) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    use app::{
        db::exams::ExamRecord,
        domain::{
            exam_draw::{check_coverage, Blueprint},
            gift::read_gift,
            question::QuestionStatus,
            question_import::drafts,
        },
    };
    let now = app::clock::now();
    let courses = db::courses::ids_by_code(db).await?;
    let mut added = 0;
    for seed in SEED_BANKS {
        let Some(&course_id) = courses.get(seed.code) else {
            continue;
        };
        if db::questions::count(db, course_id).await? > 0 {
            continue;
        }
        let topics = db::courses::offered_topics(db, course_id).await?;
        let read = drafts(&read_gift(seed.gift), &topics);
        for p in &read.problems {
            tracing::warn!(course = seed.code, line = p.line, problem = %p.message, "seed question skipped");
        }
        let (_, ids) =
            db::scenario_groups::import(db, course_id, &read, QuestionStatus::Active, None, now)
                .await
                .map_err(|e| e.to_string())?;
        added += ids.len();
        let blueprint: std::collections::BTreeMap<i64, i64> =
            topics.iter().map(|(id, _)| (*id, seed.per_topic)).collect();
        let exam = ExamRecord {
            time_limit_minutes: seed.minutes,
            review_policy: "wrong".into(),
            scenario_groups: seed.scenario_groups,
            ..ExamRecord::defaults(course_id)
        };
        db::exams::save(db, &exam, &blueprint, None, now).await?;
        let plan = Blueprint {
            per_topic: blueprint
                .iter()
                .map(|(t, n)| (*t, usize::try_from(*n).unwrap_or(0)))
                .collect(),
            scenario_groups: usize::try_from(seed.scenario_groups).unwrap_or(0),
            ..Blueprint::default()
        };
        match check_coverage(&db::questions::active_bank(db, course_id).await?, &plan) {
            Ok(()) => {
                db::exams::publish(db, course_id, None, now).await?;
            }
            Err(e) => {
                tracing::warn!(course = seed.code, problem = %e, "seed test left unpublished")
            }
        }
    }
    Ok(added)
}

/// A course's demonstration bank and the test drawn from it.
struct SeedBank {
    code: &'static str,
    gift: &'static str,
    /// Questions drawn per topic.
    per_topic: i64,
    scenario_groups: i64,
    minutes: i64,
}

const SEED_BANKS: [SeedBank; 2] = [
    SeedBank {
        code: "CITC",
        gift: include_str!("../../seed/questions/citc.gift"),
        per_topic: 1,
        scenario_groups: 0,
        minutes: 60,
    },
    SeedBank {
        code: "CIT911",
        gift: include_str!("../../seed/questions/cit911.gift"),
        per_topic: 2,
        scenario_groups: 1,
        minutes: 45,
    },
];

#[cfg(test)]
mod tests {
    use super::SEED_BANKS;
    use app::domain::{catalog::seed_courses, gift::read_gift, question_import::drafts};

    #[test]
    fn the_seed_banks_read_without_problems_and_cover_the_blueprint_twice() {
        for seed in SEED_BANKS {
            let course = seed_courses()
                .into_iter()
                .find(|c| c.code == seed.code)
                .unwrap();
            let topics: Vec<(i64, String)> = course
                .topics
                .iter()
                .enumerate()
                .map(|(i, t)| (i as i64 + 1, (*t).to_owned()))
                .collect();
            let read = drafts(&read_gift(seed.gift), &topics);
            assert!(
                read.problems.is_empty(),
                "{}: {:?}",
                seed.code,
                read.problems
            );
            for (id, title) in &topics {
                let n = read
                    .questions
                    .iter()
                    .filter(|q| q.draft.topic_id == Some(*id) && q.scenario.is_none())
                    .count();
                assert!(
                    n as i64 >= seed.per_topic * 2,
                    "{}: {title} has {n} questions",
                    seed.code
                );
            }
            assert!(
                read.scenarios.len() as i64 >= seed.scenario_groups * 2,
                "{}",
                seed.code
            );
            for (i, s) in read.scenarios.iter().enumerate() {
                let n = read
                    .questions
                    .iter()
                    .filter(|q| q.scenario == Some(i))
                    .count();
                assert_eq!(n, 3, "{}: {} has {n} questions", seed.code, s.draft.title);
            }
        }
    }
}
