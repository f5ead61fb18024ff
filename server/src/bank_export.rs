//! `/teach/bank/{code}/export.gift`: a course's current questions (drafts and active ones) and
//! scenario groups in Moodle's GIFT format, for instructors and administrators; importing the
//! file into an empty bank gives the same questions and groups.

use app::{
    auth::AuthSession,
    db::{self, Db},
    domain::{
        gift::write_gift,
        question_export::{bank_items, TopicQuestion},
        role::Role,
        scenario::ScenarioDraft,
    },
};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

pub async fn download(
    State(db): State<Db>,
    auth: AuthSession,
    Path(file): Path<String>,
) -> Response {
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to("/signin").into_response();
    };
    if !user.role.allows(Role::Instructor) {
        return (StatusCode::NOT_FOUND, "Not found.").into_response();
    }
    let code = file.trim_end_matches(".gift").to_uppercase();
    match export(&db, &code).await {
        Ok(Some(text)) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{}-questions.gift\"",
                        code.to_lowercase()
                    ),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            text,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "No such course.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "gift export failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again.",
            )
                .into_response()
        }
    }
}

async fn export(db: &Db, code: &str) -> Result<Option<String>, sqlx::Error> {
    let Some(&course_id) = db::courses::ids_by_code(db).await?.get(code) else {
        return Ok(None);
    };
    let topics = db::courses::topics(db, course_id).await?;
    let groups = db::scenario_groups::list(db, course_id).await?;
    let mut standalone: Vec<TopicQuestion> = Vec::new();
    let mut grouped: Vec<(ScenarioDraft, Vec<TopicQuestion>)> =
        groups.iter().map(|g| (g.draft(), Vec::new())).collect();
    let mut current = db::questions::list(db, course_id).await?;
    // Written order: a new version keeps its question's place.
    current.sort_by_key(|q| (q.family_id.unwrap_or(q.id), q.id));
    let mut count = 0;
    for q in current {
        if q.status == "retired" {
            continue;
        }
        let Some((q, options)) = db::questions::find(db, q.id).await? else {
            continue;
        };
        let topic = topics
            .iter()
            .find(|(id, _)| Some(*id) == q.topic_id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let entry = (q.draft(&options), topic);
        count += 1;
        match q
            .group_id
            .and_then(|g| groups.iter().position(|x| x.id == g))
        {
            Some(i) => grouped[i].1.push(entry),
            None => standalone.push(entry),
        }
    }
    // Standalone questions by topic, as the bank page lists them.
    standalone.sort_by_key(|(d, _)| d.topic_id);
    Ok(Some(format!(
        "// {code}: {count} questions and {} scenario groups exported from CIT Academy\n\n{}",
        grouped.len(),
        write_gift(&bank_items(&standalone, &grouped))
    )))
}
