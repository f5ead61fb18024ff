//! Administrators: a course's test settings (time limit, pass mark, attempts, wait, shuffles,
//! review policy, blueprint) and publishing the test once the bank covers the blueprint.

// Form-backed server functions take one argument per field (the client stub too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One topic's row of the blueprint form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlueprintRow {
    pub topic_id: i64,
    pub title: String,
    pub drawn: i64,
    pub active: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSettingsView {
    pub code: String,
    pub title: String,
    pub time_limit_minutes: i64,
    pub pass_percent: i64,
    pub attempts_allowed: i64,
    pub wait_hours: i64,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub review_policy: String,
    pub scenario_groups: i64,
    pub published: bool,
    pub blueprint: Vec<BlueprintRow>,
}

#[server(prefix = "/api", endpoint = "test_settings")]
pub async fn test_settings(code: String) -> Result<TestSettingsView, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    server::view(&code).await
}

/// Saves the settings; the test is unpublished until it is published again.
#[server(prefix = "/api", endpoint = "save_test_settings")]
pub async fn save_test_settings(
    code: String,
    time_limit_minutes: String,
    pass_percent: String,
    attempts_allowed: String,
    wait_hours: String,
    shuffle_questions: Option<String>,
    shuffle_options: Option<String>,
    review_policy: String,
    scenario_groups: Option<String>,
    blueprint: Option<BTreeMap<String, String>>,
) -> Result<(), AppError> {
    use crate::domain::exam_settings::SettingsInput;
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let input = SettingsInput {
        time_limit_minutes,
        pass_percent,
        attempts_allowed,
        wait_hours,
        shuffle_questions: shuffle_questions.is_some(),
        shuffle_options: shuffle_options.is_some(),
        review_policy,
        scenario_groups: scenario_groups.unwrap_or_default(),
        blueprint: blueprint.unwrap_or_default(),
    };
    server::save(admin.id, &code, &input).await?;
    leptos_axum::redirect(&format!("/admin/courses/{code}/test?saved=1"));
    Ok(())
}

/// Publishes the test when the bank's active questions cover the blueprint.
#[server(prefix = "/api", endpoint = "publish_test")]
pub async fn publish_test(code: String) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    server::publish(admin.id, &code).await?;
    leptos_axum::redirect(&format!("/admin/courses/{code}/test?published=1"));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::{
        db::{self, exams::ExamRecord},
        domain::{
            exam_draw::{check_coverage, Blueprint, DrawError},
            exam_settings::{parse, SettingsInput},
        },
    };

    async fn course(code: &str) -> Result<(i64, String, Vec<(i64, String)>), AppError> {
        let state = crate::state::app_state()?;
        let (id, title) = db::courses::id_and_title(&state.db, code)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
        // The blueprint offers active topics, and retired ones it still draws from (so that
        // they can be set to none).
        let retired = db::courses::retired_topic_ids(&state.db, id).await?;
        let (_, drawn) = db::exams::find(&state.db, id).await?;
        let topics = crate::domain::course_topics::offered(
            db::courses::topics(&state.db, id).await?,
            &retired,
            |t| drawn.get(&t).is_some_and(|n| *n > 0),
        );
        Ok((id, title, topics))
    }

    pub async fn view(code: &str) -> Result<TestSettingsView, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, title, topics) = course(code).await?;
        let (exam, blueprint) = db::exams::find(&state.db, course_id).await?;
        let bank = db::questions::active_bank(&state.db, course_id).await?;
        Ok(TestSettingsView {
            code: code.to_uppercase(),
            title,
            time_limit_minutes: exam.time_limit_minutes,
            pass_percent: exam.pass_percent,
            attempts_allowed: exam.attempts_allowed,
            wait_hours: exam.wait_hours,
            shuffle_questions: exam.shuffle_questions,
            shuffle_options: exam.shuffle_options,
            review_policy: exam.review_policy.clone(),
            scenario_groups: exam.scenario_groups,
            published: exam.published_at.is_some(),
            blueprint: topics
                .into_iter()
                .map(|(id, title)| BlueprintRow {
                    topic_id: id,
                    title,
                    drawn: blueprint.get(&id).copied().unwrap_or(0),
                    active: i64::try_from(
                        bank.iter()
                            .filter(|q| q.topic_id == id && q.group_id.is_none())
                            .count(),
                    )
                    .unwrap_or(0),
                })
                .collect(),
        })
    }

    pub async fn save(admin: i64, code: &str, input: &SettingsInput) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _, topics) = course(code).await?;
        let ids: Vec<i64> = topics.iter().map(|(id, _)| *id).collect();
        let s = parse(input, &ids)?;
        let exam = ExamRecord {
            course_id,
            time_limit_minutes: s.time_limit_minutes,
            pass_percent: s.pass_percent,
            attempts_allowed: s.attempts_allowed,
            wait_hours: s.wait_hours,
            shuffle_questions: s.shuffle_questions,
            shuffle_options: s.shuffle_options,
            review_policy: s.review_policy,
            scenario_groups: s.scenario_groups,
            published_at: None,
        };
        db::exams::save(
            &state.db,
            &exam,
            &s.blueprint,
            Some(admin),
            crate::clock::now(),
        )
        .await?;
        Ok(())
    }

    /// Refuses to publish while an active multiple-answer question can be gamed by ticking
    /// every option (saved before the rule existed): the fix is a corrected key, which
    /// previews and audits what it does to attempts already scored, or retiring the question.
    async fn refuse_gameable(course_id: i64, code: &str) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        for (q, options) in db::questions::active_multiple(&state.db, course_id).await? {
            let weights: Vec<i64> = options.iter().map(|o| o.weight_percent).collect();
            crate::domain::question::no_loophole(&weights, |i| options.get(i).map(|o| o.text.as_str()))
                .map_err(|e| {
                    let name = if q.title.is_empty() { q.stem.chars().take(60).collect() } else { q.title.clone() };
                    AppError::Conflict(format!(
                        "The question \"{name}\" can be gamed. {} Correct its key at /teach/bank/{code}/questions/{}/regrade, or retire it; then publish.",
                        e.message, q.id
                    ))
                })?;
        }
        Ok(())
    }

    pub async fn publish(admin: i64, code: &str) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _, topics) = course(code).await?;
        let (exam, blueprint) = db::exams::find(&state.db, course_id).await?;
        let plan = Blueprint {
            per_topic: blueprint
                .iter()
                .map(|(t, n)| (*t, usize::try_from(*n).unwrap_or(0)))
                .collect(),
            scenario_groups: usize::try_from(exam.scenario_groups).unwrap_or(0),
            ..Blueprint::default()
        };
        let bank = db::questions::active_bank(&state.db, course_id).await?;
        check_coverage(&bank, &plan).map_err(|e| {
            let message = match e {
                DrawError::TooFewQuestions { topic_id, have, need } => {
                    let title = topics.iter().find(|(id, _)| *id == topic_id).map(|(_, t)| t.as_str()).unwrap_or("A topic");
                    format!("{title} has {have} active questions; the test draws {need}. Add questions or draw fewer.")
                }
                other => other.to_string(),
            };
            AppError::Conflict(message)
        })?;
        refuse_gameable(course_id, code).await?;
        if !db::exams::publish(&state.db, course_id, Some(admin), crate::clock::now()).await? {
            return Err(AppError::Conflict("Save the test settings first.".into()));
        }
        Ok(())
    }
}
