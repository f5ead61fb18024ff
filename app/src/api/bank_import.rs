//! A course's instructors and administrators: importing questions and scenario groups into
//! its bank from GIFT, checked first; nothing is saved until every item reads.

use crate::error::AppError;
use leptos::prelude::*;

/// Reads GIFT text for course `code`. `mode` "check" only reports; "import" saves every
/// question and scenario group as a draft (or active, with `activate`), and only when all of
/// them read.
#[server(prefix = "/api", endpoint = "import_gift")]
pub async fn import_gift(
    code: String,
    gift: String,
    mode: String,
    activate: Option<String>,
) -> Result<(), AppError> {
    let (user, _) = crate::state::require_course_staff(&code).await?;
    let saved = server::import(user.id, &code, &gift, mode == "import", activate.is_some()).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?{saved}"));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::{
        api::bank::server::course,
        db::{self, scenario_groups::GroupError},
        domain::{
            gift::{read_gift, Problem},
            question::{QuestionKind, QuestionStatus},
            question_import::{drafts, BankImport},
            scenario::same_title,
        },
    };

    /// Scenarios of the file whose title a group of the bank has already.
    fn taken(import: &BankImport, existing: &[String]) -> Vec<Problem> {
        import
            .scenarios
            .iter()
            .filter(|s| existing.iter().any(|t| same_title(t, &s.draft.title)))
            .map(|s| Problem {
                line: s.line,
                title: None,
                message: format!(
                    "the bank already has a scenario called \"{}\": give this one another title, or put questions in that one with the question editor",
                    s.draft.title
                ),
            })
            .collect()
    }

    /// The field error listing what cannot be imported.
    fn refusal(readable: usize, problems: &[Problem]) -> AppError {
        let list: Vec<String> = problems
            .iter()
            .take(20)
            .map(|p| format!("Line {}: {}", p.line, p.message))
            .collect();
        let more = problems.len().saturating_sub(20);
        AppError::invalid(
            "gift",
            format!(
                "{readable} question{} can be imported, {} cannot; nothing was saved. {}{}",
                if readable == 1 { "" } else { "s" },
                problems.len(),
                list.join(" · "),
                if more > 0 {
                    format!(" · and {more} more")
                } else {
                    String::new()
                }
            ),
        )
    }

    /// Returns the query string for the page: `checked=N&kinds=...` or `imported=N`, each
    /// with `&scenarios=N` when the file has scenario groups.
    pub async fn import(
        user_id: i64,
        code: &str,
        text: &str,
        save: bool,
        activate: bool,
    ) -> Result<String, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        if text.trim().is_empty() {
            return Err(AppError::invalid(
                "gift",
                "Paste the questions in GIFT format.",
            ));
        }
        if text.len() > 1_000_000 {
            return Err(AppError::invalid(
                "gift",
                "Import at most 1 MB of questions at a time.",
            ));
        }
        // An import adds questions, so it finds only topics offered for new work.
        let topics = db::courses::offered_topics(&state.db, course_id).await?;
        let mut read = drafts(&read_gift(text), &topics);
        let existing: Vec<String> = db::scenario_groups::list(&state.db, course_id)
            .await?
            .into_iter()
            .map(|g| g.title)
            .collect();
        read.problems.extend(taken(&read, &existing));
        read.problems.sort_by_key(|p| p.line);
        if !read.problems.is_empty() {
            return Err(refusal(read.questions.len(), &read.problems));
        }
        if read.questions.is_empty() && read.scenarios.is_empty() {
            return Err(AppError::invalid(
                "gift",
                "No questions were found in the text.",
            ));
        }
        let scenarios = match read.scenarios.len() {
            0 => String::new(),
            n => format!("&scenarios={n}"),
        };
        if !save {
            let kinds: Vec<String> = QuestionKind::ALL
                .into_iter()
                .map(|k| {
                    (
                        k,
                        read.questions.iter().filter(|q| q.draft.kind == k).count(),
                    )
                })
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{k}={n}", k = k.as_str()))
                .collect();
            return Ok(format!(
                "checked={}&kinds={}{scenarios}",
                read.questions.len(),
                kinds.join(",")
            ));
        }
        let status = if activate {
            QuestionStatus::Active
        } else {
            QuestionStatus::Draft
        };
        let now = crate::clock::now();
        match db::scenario_groups::import(&state.db, course_id, &read, status, Some(user_id), now).await {
            Ok((group_ids, ids)) => {
                tracing::info!(course_id, imported = ids.len(), scenarios = group_ids.len(), "questions imported");
                Ok(format!("imported={}{scenarios}", ids.len()))
            }
            // Someone else saved a scenario of that title meanwhile.
            Err(GroupError::DuplicateTitle(title)) => Err(AppError::invalid(
                "gift",
                format!("The bank already has a scenario called \"{title}\"; nothing was saved. Give this one another title."),
            )),
            Err(GroupError::NotFound) => Err(AppError::internal("import found no group")),
            Err(GroupError::Db(e)) => Err(e.into()),
        }
    }
}
