//! A course's instructors and administrators: correct the key of one question version and
//! regrade every finished attempt that drew it, after a preview of whose result changes.
//! Every function checks that the caller teaches the course (or is an administrator).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One option (for a short answer, one accepted answer) with its weight now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyOption {
    pub text: String,
    pub weight: i64,
}

/// One attempt whose score changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The anonymous code ("K7M-2QX"); administrators also see the person's name.
    pub attempt: String,
    /// "2 → 0".
    pub item_points: String,
    pub old_percent: i64,
    pub new_percent: i64,
    /// "fail → pass", "pass → fail", "score only".
    pub change: String,
}

/// What applying the corrected weights would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegradePreview {
    pub weights: Vec<i64>,
    /// The plan's fingerprint: applying refuses if the plan moved on since this preview.
    pub plan: String,
    pub rows: Vec<PreviewRow>,
    /// What else happens: attempts unchanged, grades by hand kept.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegradeView {
    pub code: String,
    pub question_id: i64,
    pub version: i64,
    /// "Single choice", ...
    pub kind: String,
    pub short_answer: bool,
    pub stem_html: String,
    pub points: i64,
    pub options: Vec<KeyOption>,
    /// "3 finished attempts drew this version (pass mark 80%)."
    pub drawn: String,
    /// Present when weights were sent for a preview: the preview, or why it was refused.
    pub preview: Option<Result<RegradePreview, AppError>>,
}

/// The version `question_id` of course `code` with its key, and, when `weights` are given
/// (`weights[0]`, `weights[1]`, ... in percent), the preview of correcting the key to them.
#[server(prefix = "/api", endpoint = "regrade_question")]
pub async fn regrade_question(
    code: String,
    question_id: i64,
    weights: Option<BTreeMap<String, String>>,
) -> Result<RegradeView, AppError> {
    let (user, course_id) = crate::state::require_course_staff(&code).await?;
    server::view(&user, course_id, &code, question_id, weights).await
}

/// Corrects the key to `weights` and regrades the attempts (audited), if the plan is still
/// the one previewed (`plan`, its fingerprint).
#[server(prefix = "/api", endpoint = "apply_regrade")]
pub async fn apply_regrade(
    code: String,
    question_id: i64,
    weights: Option<BTreeMap<String, String>>,
    plan: String,
) -> Result<(), AppError> {
    let (user, course_id) = crate::state::require_course_staff(&code).await?;
    let changed = server::apply(
        user.id,
        course_id,
        question_id,
        &weights.unwrap_or_default(),
        &plan,
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/teach/bank/{code}/questions/{question_id}/regrade?applied={changed}"
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::{
        db::{self, regrade::ApplyError},
        domain::{
            grading::{percent, show_points},
            question::QuestionKind,
            regrade::{parse_weight, Plan},
            role::Role,
        },
        model::CurrentUser,
    };

    fn not_found() -> AppError {
        AppError::NotFound("That question is not in this bank.".into())
    }

    /// The weights as typed, one per option; a wrong one is refused next to its field.
    fn parse_weights(input: &BTreeMap<String, String>, count: usize) -> Result<Vec<i64>, AppError> {
        (0..count)
            .map(|i| {
                parse_weight(input.get(&i.to_string()).map_or("", String::as_str))
                    .map_err(|m| AppError::invalid(format!("weight-{i}"), m))
            })
            .collect()
    }

    fn preview(plan: &Plan, names: Option<&BTreeMap<i64, String>>) -> RegradePreview {
        let rows = plan
            .changes
            .iter()
            .map(|c| PreviewRow {
                attempt: match names.and_then(|n| n.get(&c.attempt_id)) {
                    Some(name) => format!("{name} · {}", c.label),
                    None => c.label.clone(),
                },
                item_points: format!(
                    "{} → {}",
                    c.old_item
                        .map_or_else(|| "not graded".to_owned(), show_points),
                    show_points(c.new_item)
                ),
                old_percent: percent(c.old_score, c.max_centi),
                new_percent: percent(c.new_score, c.max_centi),
                change: if c.new_passed.is_none() {
                    "score only (still awaiting grading)".to_owned()
                } else {
                    c.effect.words().to_owned()
                },
            })
            .collect();
        // (how many, what one attempt does, what several do)
        let notes = [
            (plan.unchanged, "attempt scores the same under both keys.", "attempts score the same under both keys."),
            (plan.kept_hand_graded, "attempt graded by hand keeps its grade.", "attempts graded by hand keep their grades."),
            (
                plan.kept_unmatched,
                "attempt whose answer matches no accepted answer keeps its score (an instructor grades it).",
                "attempts whose answers match no accepted answer keep their scores (an instructor grades them).",
            ),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, several)| format!("{n} {}", if n == 1 { one } else { several }))
        .collect();
        RegradePreview {
            weights: plan.weights.clone(),
            plan: plan.fingerprint(),
            rows,
            notes,
        }
    }

    pub async fn view(
        user: &CurrentUser,
        course_id: i64,
        code: &str,
        question_id: i64,
        weights: Option<BTreeMap<String, String>>,
    ) -> Result<RegradeView, AppError> {
        let state = crate::state::app_state()?;
        let loaded = db::regrade::load(&state.db, question_id)
            .await?
            .filter(|l| l.question.course_id == course_id)
            .ok_or_else(not_found)?;
        let names = user.role.allows(Role::Admin).then_some(&loaded.names);
        let preview = weights.map(|w| {
            let weights = parse_weights(&w, loaded.options.len())?;
            let plan = loaded
                .plan(&weights)
                .map_err(|m| AppError::invalid("weights", m))?;
            Ok(preview(&plan, names))
        });
        let q = &loaded.question;
        let finished = loaded.drawn.len();
        Ok(RegradeView {
            code: code.to_uppercase(),
            question_id,
            version: q.version,
            kind: q.kind().label().to_owned(),
            short_answer: q.kind() == QuestionKind::ShortAnswer,
            stem_html: crate::domain::markdown::to_safe_html(&q.stem),
            points: q.points,
            options: loaded
                .options
                .iter()
                .map(|o| KeyOption {
                    text: o.text.clone(),
                    weight: o.weight_percent,
                })
                .collect(),
            drawn: format!(
                "{finished} finished attempt{} drew this version (pass mark {}%){}.",
                if finished == 1 { "" } else { "s" },
                loaded.pass_percent,
                match loaded.in_progress {
                    0 => String::new(),
                    n => format!("; {n} still in progress will be scored with the key in place when they finish"),
                }
            ),
            preview,
        })
    }

    /// Applies the correction; returns how many attempts changed.
    pub async fn apply(
        user_id: i64,
        course_id: i64,
        question_id: i64,
        weights: &BTreeMap<String, String>,
        plan: &str,
    ) -> Result<usize, AppError> {
        let state = crate::state::app_state()?;
        let (_, options) = db::questions::find(&state.db, question_id)
            .await?
            .filter(|(q, _)| q.course_id == course_id)
            .ok_or_else(not_found)?;
        let weights = parse_weights(weights, options.len())?;
        match db::regrade::apply(&state.db, question_id, &weights, plan, user_id, crate::clock::now()).await {
            Ok(plan) => Ok(plan.changes.len()),
            Err(ApplyError::NotFound) => Err(not_found()),
            Err(ApplyError::Invalid(m)) => Err(AppError::invalid("weights", m)),
            Err(ApplyError::Changed) => Err(AppError::Conflict(
                "The attempts changed since this preview (one was finished or graded): nothing was applied. Preview the regrade again."
                    .into(),
            )),
            Err(ApplyError::Db(e)) => Err(e.into()),
        }
    }
}
