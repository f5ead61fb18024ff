use app::{
    db::{self, offerings::NewOffering},
    domain::{catalog::seed_courses, offering_plan},
};
use chrono::{Duration, Utc};

/// Loads the catalog, and upcoming offerings into an empty schedule; returns how many
/// courses were new.
pub async fn run(db: &db::Db) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let now = Utc::now();
    let created = db::courses::upsert_seed(db, &seed_courses(), now).await?;
    tracing::info!(created, "catalog loaded");
    if db::offerings::count(db).await? == 0 {
        let added = offerings(db, now).await?;
        tracing::info!(added, "upcoming offerings added");
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

/// Loads the catalog only into an empty database, so that a restart never overwrites what
/// administrators changed.
pub async fn if_empty(db: &db::Db) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if db::courses::list(db).await?.is_empty() {
        run(db).await?;
    }
    Ok(())
}
