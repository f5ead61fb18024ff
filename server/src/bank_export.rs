//! `/teach/bank/{code}/export.gift`: a course's current questions (drafts and active ones, with
//! their answer keys) and scenario groups in Moodle's GIFT format, for administrators and the
//! instructors of the course's classes; importing the file into an empty bank gives the same
//! questions and groups. Anyone else gets 404, as for a course without a bank.

use app::{
    auth::AuthSession,
    db::{self, Db},
    domain::{
        gift::write_gift,
        question_export::{bank_items, TopicQuestion},
        scenario::ScenarioDraft,
        teaching_scope::CourseReach,
    },
    error::AppError,
    model::CurrentUser,
    state::course_reach,
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
    let code = file.trim_end_matches(".gift").to_uppercase();
    let course_id = match staff_course(&db, &user, &code).await {
        Ok(Some(id)) => id,
        Ok(None) => return (StatusCode::NOT_FOUND, "Not found.").into_response(),
        Err(e) => return trouble(&e),
    };
    match export(&db, course_id, &code).await {
        Ok(text) => (
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
        Err(e) => trouble(&e),
    }
}

/// Course `code`'s id if `user` is its staff; `None` for an unknown course and for anyone
/// else alike, so that the answer key of another course is not even confirmed to exist.
async fn staff_course(db: &Db, user: &CurrentUser, code: &str) -> Result<Option<i64>, AppError> {
    let Some((course_id, _)) = db::courses::id_and_title(db, code).await? else {
        return Ok(None);
    };
    Ok((course_reach(db, user, course_id).await? == CourseReach::Staff).then_some(course_id))
}

fn trouble(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "gift export failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Please try again.",
    )
        .into_response()
}

/// The GIFT text of course `course_id` (whose code is `code`).
async fn export(db: &Db, course_id: i64, code: &str) -> Result<String, sqlx::Error> {
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
    Ok(format!(
        "// {code}: {count} questions and {} scenario groups exported from CIT Academy\n\n{}",
        grouped.len(),
        write_gift(&bank_items(&standalone, &grouped))
    ))
}
