//! A course's instructors and administrators: its scenario groups (a case vignette whose
//! questions a test draws together): writing and editing one, and its status. Questions join
//! a group in the question editor.

use crate::{api::bank::QuestionLine, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One scenario group for its editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioEditView {
    pub code: String,
    pub id: Option<i64>,
    pub title: String,
    /// Markdown, as written.
    pub vignette: String,
    pub status: String,
    pub questions: Vec<QuestionLine>,
}

/// The editor's data: an existing group (`id`) or a blank one.
#[server(prefix = "/api", endpoint = "scenario_for_edit")]
pub async fn scenario_for_edit(
    code: String,
    id: Option<i64>,
) -> Result<ScenarioEditView, AppError> {
    crate::state::require_course_staff(&code).await?;
    server::for_edit(&code, id).await
}

/// Saves a scenario group: its title, its case in Markdown and its status.
#[server(prefix = "/api", endpoint = "save_scenario")]
pub async fn save_scenario(
    code: String,
    id: Option<i64>,
    title: String,
    vignette: String,
    status: String,
) -> Result<(), AppError> {
    let (user, _) = crate::state::require_course_staff(&code).await?;
    let saved = server::save(user.id, &code, id, &title, &vignette, &status).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?scenario={saved}"));
    Ok(())
}

/// Makes a scenario group active (drawn), a draft again, or retired (audited).
#[server(prefix = "/api", endpoint = "set_scenario_status")]
pub async fn set_scenario_status(
    code: String,
    scenario_id: i64,
    status: String,
) -> Result<(), AppError> {
    let (user, _) = crate::state::require_course_staff(&code).await?;
    server::set_status(user.id, &code, scenario_id, &status).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?scenario_status={scenario_id}"));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::{
        api::bank::server::{course, in_group, line},
        db::{
            self,
            scenario_groups::{GroupError, GroupRecord},
        },
        domain::{
            question::QuestionStatus,
            scenario::{check, ScenarioDraft},
        },
    };

    fn not_found() -> AppError {
        AppError::NotFound("That scenario is not in this bank.".into())
    }

    /// Group `id` of the course, or not found.
    async fn own_group(course_id: i64, id: i64) -> Result<GroupRecord, AppError> {
        let state = crate::state::app_state()?;
        db::scenario_groups::find(&state.db, id)
            .await?
            .filter(|g| g.course_id == course_id)
            .ok_or_else(not_found)
    }

    fn status_of(value: &str) -> Result<QuestionStatus, AppError> {
        value
            .parse()
            .map_err(|_| AppError::invalid("status", "Choose draft, active or retired."))
    }

    pub async fn for_edit(code: &str, id: Option<i64>) -> Result<ScenarioEditView, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let Some(id) = id else {
            return Ok(ScenarioEditView {
                code: code.to_uppercase(),
                id: None,
                title: String::new(),
                vignette: String::new(),
                status: "draft".into(),
                questions: Vec::new(),
            });
        };
        let group = own_group(course_id, id).await?;
        let topics = db::courses::topics(&state.db, course_id).await?;
        let questions = db::questions::list(&state.db, course_id).await?;
        let groups = [group.clone()];
        Ok(ScenarioEditView {
            code: code.to_uppercase(),
            id: Some(id),
            questions: in_group(&questions, id)
                .into_iter()
                .map(|q| line(q, &topics, &groups))
                .collect(),
            title: group.title,
            vignette: group.vignette,
            status: group.status,
        })
    }

    /// Returns the group's id.
    pub async fn save(
        user_id: i64,
        code: &str,
        id: Option<i64>,
        title: &str,
        vignette: &str,
        status: &str,
    ) -> Result<i64, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let draft = ScenarioDraft {
            title: title.trim().to_owned(),
            vignette: vignette.trim().to_owned(),
        };
        check(&draft)?;
        let status = status_of(status)?;
        let now = crate::clock::now();
        let saved = match id {
            None => {
                db::scenario_groups::create(&state.db, course_id, &draft, status, user_id, now)
                    .await
            }
            Some(id) => {
                own_group(course_id, id).await?;
                db::scenario_groups::update(&state.db, id, &draft, status, user_id, now)
                    .await
                    .map(|()| id)
            }
        };
        saved.map_err(|e| match e {
            GroupError::DuplicateTitle(_) => AppError::invalid(
                "title",
                "Another scenario of this bank has that title; choose another.",
            ),
            GroupError::NotFound => not_found(),
            GroupError::Db(e) => e.into(),
        })
    }

    pub async fn set_status(
        user_id: i64,
        code: &str,
        id: i64,
        status: &str,
    ) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let status = status_of(status)?;
        let group = own_group(course_id, id).await?;
        db::scenario_groups::set_status(&state.db, group.id, status, user_id, crate::clock::now())
            .await?;
        Ok(())
    }
}
