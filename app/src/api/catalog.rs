//! The public course catalog.

use crate::{
    error::AppError,
    model::{CourseDetail, CourseSummary},
};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_courses")]
pub async fn list_courses() -> Result<Vec<CourseSummary>, AppError> {
    let state = crate::state::app_state()?;
    Ok(crate::db::courses::list(&state.db).await?)
}

#[server(prefix = "/api", endpoint = "get_course")]
pub async fn get_course(code: String) -> Result<CourseDetail, AppError> {
    let state = crate::state::app_state()?;
    crate::db::courses::find(&state.db, &code)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(
                "We could not find that course. It may have been renamed; see the catalog.".into(),
            )
        })
}
