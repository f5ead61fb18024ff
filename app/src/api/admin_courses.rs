//! Administrators: the course catalog.

// Form-backed server functions take one argument per field (the client stub too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// Creates a course (no `original_code`) or updates the course that had `original_code`.
#[server(prefix = "/api", endpoint = "save_course")]
pub async fn save_course(
    original_code: Option<String>,
    code: String,
    title: String,
    kind: String,
    summary: String,
    description: String,
    hours: String,
    fee: String,
    eligibility: String,
    ce_hours: Option<String>,
    attendance_threshold: Option<String>,
    excused_counts: Option<String>,
    includes_membership: Option<String>,
    format: String,
    // `topics[0][id]`, `topics[0][title]`, ...: one row per existing topic (none for a new course).
    #[server(default)] topics: Vec<crate::domain::course_topics::TopicRowInput>,
    #[server(default)] new_topics: String,
) -> Result<(), AppError> {
    use crate::{
        db::courses::{save, SaveCourseError},
        domain::course_form::{parse, CourseInput},
    };
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let input = CourseInput {
        code,
        title,
        kind,
        summary,
        description,
        hours,
        fee,
        eligibility,
        ce_hours: ce_hours.unwrap_or_default(),
        attendance_threshold: attendance_threshold.unwrap_or_default(),
        excused_counts: excused_counts.is_some(),
        includes_membership: includes_membership.is_some(),
        format,
        topic_rows: topics,
        new_topics,
    };
    let course = parse(&input)?;
    let state = crate::state::app_state()?;
    let original = original_code.filter(|c| !c.is_empty());
    match save(
        &state.db,
        original.as_deref(),
        &course,
        admin.id,
        crate::clock::now(),
    )
    .await
    {
        Ok(()) => {}
        Err(SaveCourseError::DuplicateCode) => {
            return Err(AppError::invalid(
                "code",
                "Another course already has this code.",
            ))
        }
        Err(SaveCourseError::NotFound) => {
            return Err(AppError::NotFound("That course no longer exists.".into()))
        }
        Err(SaveCourseError::Topics(refusal)) => {
            return Err(AppError::invalid(refusal.field, refusal.message))
        }
        Err(SaveCourseError::Db(e)) => return Err(e.into()),
    }
    leptos_axum::redirect(&format!("/courses/{}?saved=1", course.code));
    Ok(())
}

/// Every topic of a course with what uses it, for the course form (administrators only).
#[server(prefix = "/api", endpoint = "course_topics")]
pub async fn course_topics(
    code: String,
) -> Result<Vec<crate::domain::course_topics::StoredTopic>, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let (id, _) = crate::db::courses::id_and_title(&state.db, &code)
        .await?
        .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
    Ok(crate::db::courses::stored_topics(&state.db, id).await?)
}
