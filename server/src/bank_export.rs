//! `/teach/bank/{code}/export.gift`: a course's current questions (drafts and active ones) in
//! Moodle's GIFT format, for instructors and administrators.

use app::{
    auth::AuthSession,
    db::{self, Db},
    domain::{gift::to_gift, question_import::to_gift_question, role::Role},
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
    let mut questions = Vec::new();
    for q in db::questions::list(db, course_id).await? {
        if q.status == "retired" {
            continue;
        }
        let Some((q, options)) = db::questions::find(db, q.id).await? else {
            continue;
        };
        let topic = topics
            .iter()
            .find(|(id, _)| Some(*id) == q.topic_id)
            .map(|(_, t)| t.as_str())
            .unwrap_or("");
        let draft = q.draft(&options);
        questions.push(to_gift_question(&draft, topic));
    }
    Ok(Some(format!(
        "// {code}: {} questions exported from CIT Academy\n\n{}",
        questions.len(),
        to_gift(&questions)
    )))
}
