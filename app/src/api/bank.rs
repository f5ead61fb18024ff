//! Instructors and administrators: a course's question bank, how well it covers the test's
//! blueprint, and importing questions from GIFT (checked first, nothing saved until every
//! question reads).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicCoverage {
    pub title: String,
    pub active: i64,
    pub drawn: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionLine {
    pub id: i64,
    pub topic: String,
    pub kind: String,
    /// The stem's first 140 characters.
    pub stem: String,
    pub status: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankView {
    pub code: String,
    pub title: String,
    /// "60 minutes · pass mark 80% · 27 questions · published" and so on.
    pub test: String,
    pub coverage: Vec<TopicCoverage>,
    pub questions: Vec<QuestionLine>,
}

/// The bank of course `code`.
#[server(prefix = "/api", endpoint = "question_bank")]
pub async fn question_bank(code: String) -> Result<BankView, AppError> {
    crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::bank(&code).await
}

/// Reads GIFT text for course `code`. `mode` "check" only reports; "import" saves every
/// question as a draft (or active, with `activate`), and only when all of them read.
#[server(prefix = "/api", endpoint = "import_gift")]
pub async fn import_gift(
    code: String,
    gift: String,
    mode: String,
    activate: Option<String>,
) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    let saved = server::import(user.id, &code, &gift, mode == "import", activate.is_some()).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?{}", saved));
    Ok(())
}

/// One question for the editor: its topic, points and the question in GIFT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionEditView {
    pub code: String,
    pub id: Option<i64>,
    pub topics: Vec<(i64, String)>,
    pub topic_id: i64,
    pub points: i64,
    pub gift: String,
    /// "draft" or "active": editing an active question saves a new version.
    pub status: String,
    pub version: i64,
}

/// The editor's data: an existing question (`id`) or a blank one.
#[server(prefix = "/api", endpoint = "question_for_edit")]
pub async fn question_for_edit(
    code: String,
    id: Option<i64>,
) -> Result<QuestionEditView, AppError> {
    crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::for_edit(&code, id).await
}

/// Saves one question written in GIFT: a new draft, or an edit (a new version when the
/// question is active, so attempts keep the version they drew).
#[server(prefix = "/api", endpoint = "save_question")]
pub async fn save_question(
    code: String,
    id: Option<i64>,
    topic_id: i64,
    points: String,
    gift: String,
) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    let saved = server::save_one(user.id, &code, id, topic_id, &points, &gift).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?saved={saved}"));
    Ok(())
}

/// Makes a question active, a draft again, or retired (audited).
#[server(prefix = "/api", endpoint = "set_question_status")]
pub async fn set_question_status(
    code: String,
    question_id: i64,
    status: String,
) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::set_status(user.id, &code, question_id, &status).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?status={question_id}"));
    Ok(())
}

/// A fresh draw of the course's test, shown as an attendee would see it; nothing recorded.
#[server(prefix = "/api", endpoint = "preview_test")]
pub async fn preview_test(code: String) -> Result<Vec<crate::api::exam::ItemView>, AppError> {
    crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::preview(&code).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::{
        db,
        domain::{
            gift::parse_gift,
            question::{QuestionKind, QuestionStatus},
            question_import::drafts,
        },
    };
    use chrono::Utc;

    async fn course(code: &str) -> Result<(i64, String), AppError> {
        let state = crate::state::app_state()?;
        let (id, title) = db::courses::id_and_title(&state.db, code)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
        Ok((id, title))
    }

    pub async fn bank(code: &str) -> Result<BankView, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, title) = course(code).await?;
        let topics = db::courses::topics(&state.db, course_id).await?;
        let (exam, blueprint) = db::exams::find(&state.db, course_id).await?;
        let active = db::questions::active_bank(&state.db, course_id).await?;
        let topic_title = |id: Option<i64>| {
            id.and_then(|id| topics.iter().find(|(t, _)| *t == id))
                .map(|(_, title)| title.clone())
                .unwrap_or_else(|| "No topic".to_owned())
        };
        let drawn: i64 = blueprint.values().sum();
        Ok(BankView {
            code: code.to_uppercase(),
            title,
            test: format!(
                "{} minutes · pass mark {}% · {} attempts · {} questions drawn · {}",
                exam.time_limit_minutes,
                exam.pass_percent,
                exam.attempts_allowed,
                drawn,
                if exam.published_at.is_some() {
                    "published"
                } else {
                    "not published"
                }
            ),
            coverage: topics
                .iter()
                .map(|(id, title)| TopicCoverage {
                    title: title.clone(),
                    active: i64::try_from(
                        active
                            .iter()
                            .filter(|q| q.topic_id == *id && q.group_id.is_none())
                            .count(),
                    )
                    .unwrap_or(0),
                    drawn: blueprint.get(id).copied().unwrap_or(0),
                })
                .collect(),
            questions: db::questions::list(&state.db, course_id)
                .await?
                .into_iter()
                .map(|q| QuestionLine {
                    id: q.id,
                    topic: topic_title(q.topic_id),
                    kind: q.kind().label().to_owned(),
                    stem: q.stem.chars().take(140).collect(),
                    status: q.status.clone(),
                    version: q.version,
                })
                .collect(),
        })
    }

    pub async fn for_edit(code: &str, id: Option<i64>) -> Result<QuestionEditView, AppError> {
        use crate::domain::{gift::to_gift, question_import::to_gift_question};
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let topics = db::courses::topics(&state.db, course_id).await?;
        let first_topic = topics.first().map(|(id, _)| *id).unwrap_or(0);
        let Some(id) = id else {
            return Ok(QuestionEditView {
                code: code.to_uppercase(),
                id: None,
                topics,
                topic_id: first_topic,
                points: 1,
                gift: "::Title:: The question? {\n=the right answer\n~a wrong answer#why it is wrong\n}".into(),
                status: "draft".into(),
                version: 1,
            });
        };
        let (q, options) = db::questions::find(&state.db, id)
            .await?
            .filter(|(q, _)| q.course_id == course_id)
            .ok_or_else(|| AppError::NotFound("That question is not in this bank.".into()))?;
        let draft = q.draft(&options);
        let mut gift = to_gift_question(&draft, "");
        gift.category = None;
        Ok(QuestionEditView {
            code: code.to_uppercase(),
            id: Some(id),
            topics,
            topic_id: q.topic_id.unwrap_or(first_topic),
            points: q.points,
            gift: to_gift(&[gift]).trim().to_owned(),
            status: q.status.clone(),
            version: q.version,
        })
    }

    pub async fn save_one(
        user_id: i64,
        code: &str,
        id: Option<i64>,
        topic_id: i64,
        points: &str,
        text: &str,
    ) -> Result<i64, AppError> {
        use crate::db::questions::ReviseError;
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let topics = db::courses::topics(&state.db, course_id).await?;
        let Some((_, topic)) = topics.iter().find(|(t, _)| *t == topic_id) else {
            return Err(AppError::invalid(
                "topic_id",
                "Choose one of the course's topics.",
            ));
        };
        let points: i64 = points
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| AppError::invalid("points", "Give the question 1 to 100 points."))?;
        // The topic comes from the form, so the text needs no $CATEGORY: line; the two lines
        // added before it are taken off line numbers in messages.
        let with_topic = format!("$CATEGORY: {topic}\n\n{text}");
        let (ok, problems) = drafts(&parse_gift(&with_topic), &topics);
        if let Some(p) = problems.first() {
            return Err(AppError::invalid(
                "gift",
                format!("Line {}: {}", p.line.saturating_sub(2), p.message),
            ));
        }
        let [one] = ok.as_slice() else {
            return Err(AppError::invalid(
                "gift",
                format!("Write exactly one question here ({} found); import several at once on the bank page.", ok.len()),
            ));
        };
        let mut draft = one.draft.clone();
        draft.points = points;
        match id {
            None => {
                let ids = db::questions::insert(
                    &state.db,
                    course_id,
                    std::slice::from_ref(&draft),
                    QuestionStatus::Draft,
                    Some(user_id),
                    Utc::now(),
                )
                .await?;
                ids.first()
                    .copied()
                    .ok_or_else(|| AppError::internal("insert returned no id"))
            }
            Some(id) => {
                db::questions::find(&state.db, id)
                    .await?
                    .filter(|(q, _)| q.course_id == course_id)
                    .ok_or_else(|| {
                        AppError::NotFound("That question is not in this bank.".into())
                    })?;
                match db::questions::revise(&state.db, id, &draft, user_id, Utc::now()).await {
                    Ok(new_id) => Ok(new_id),
                    Err(ReviseError::NotFound) => Err(AppError::NotFound(
                        "That question is not in this bank.".into(),
                    )),
                    Err(ReviseError::Retired) => Err(AppError::Conflict(
                        "This version is retired; edit the current one.".into(),
                    )),
                    Err(ReviseError::Db(e)) => Err(e.into()),
                }
            }
        }
    }

    pub async fn set_status(
        user_id: i64,
        code: &str,
        question_id: i64,
        status: &str,
    ) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let status: QuestionStatus = status
            .parse()
            .map_err(|_| AppError::invalid("status", "Choose draft, active or retired."))?;
        let (question, _) = db::questions::find(&state.db, question_id)
            .await?
            .filter(|(q, _)| q.course_id == course_id)
            .ok_or_else(|| AppError::NotFound("That question is not in this bank.".into()))?;
        db::questions::set_status(&state.db, question.id, status, user_id, Utc::now()).await?;
        Ok(())
    }

    pub async fn preview(code: &str) -> Result<Vec<crate::api::exam::ItemView>, AppError> {
        use crate::domain::exam_draw::{draw, Blueprint};
        use rand::Rng;
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let (exam, blueprint) = db::exams::find(&state.db, course_id).await?;
        let plan = Blueprint {
            per_topic: blueprint
                .iter()
                .map(|(t, n)| (*t, usize::try_from(*n).unwrap_or(0)))
                .collect(),
            scenario_groups: usize::try_from(exam.scenario_groups).unwrap_or(0),
            shuffle_questions: exam.shuffle_questions,
            shuffle_options: exam.shuffle_options,
        };
        let bank = db::questions::active_bank(&state.db, course_id).await?;
        let seed: u64 = rand::rng().random();
        let drawn = draw(&bank, &plan, seed)
            .map_err(|e| AppError::Conflict(format!("The bank cannot serve this test yet: {e}")))?;
        let mut out = Vec::new();
        for (position, item) in drawn.into_iter().enumerate() {
            let Some((q, options)) = db::questions::find(&state.db, item.question_id).await? else {
                continue;
            };
            out.push(crate::api::exam::ItemView {
                position,
                kind: q.kind().as_str().to_owned(),
                stem_html: crate::domain::markdown::to_safe_html(&q.stem),
                points: q.points,
                options: item
                    .option_order
                    .iter()
                    .enumerate()
                    .filter_map(|(shown, written)| {
                        options.get(*written).map(|o| crate::api::exam::ChoiceView {
                            value: shown,
                            text: o.text.clone(),
                        })
                    })
                    .collect(),
                chosen: Vec::new(),
                text: String::new(),
                flagged: false,
            });
        }
        Ok(out)
    }

    /// Returns the query string for the page: `checked=N` or `imported=N`.
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
        let topics = db::courses::topics(&state.db, course_id).await?;
        let (ok, problems) = drafts(&parse_gift(text), &topics);
        if !problems.is_empty() {
            let list: Vec<String> = problems
                .iter()
                .take(20)
                .map(|p| format!("Line {}: {}", p.line, p.message))
                .collect();
            let more = problems.len().saturating_sub(20);
            return Err(AppError::invalid(
                "gift",
                format!(
                    "{} question{} can be imported, {} cannot; nothing was saved. {}{}",
                    ok.len(),
                    if ok.len() == 1 { "" } else { "s" },
                    problems.len(),
                    list.join(" · "),
                    if more > 0 {
                        format!(" · and {more} more")
                    } else {
                        String::new()
                    }
                ),
            ));
        }
        if ok.is_empty() {
            return Err(AppError::invalid(
                "gift",
                "No questions were found in the text.",
            ));
        }
        if !save {
            let kinds: Vec<String> = QuestionKind::ALL
                .into_iter()
                .map(|k| (k, ok.iter().filter(|q| q.draft.kind == k).count()))
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| format!("{k}={n}", k = k.as_str()))
                .collect();
            return Ok(format!("checked={}&kinds={}", ok.len(), kinds.join(",")));
        }
        let questions: Vec<_> = ok.into_iter().map(|i| i.draft).collect();
        let status = if activate {
            QuestionStatus::Active
        } else {
            QuestionStatus::Draft
        };
        let ids = db::questions::insert(
            &state.db,
            course_id,
            &questions,
            status,
            Some(user_id),
            Utc::now(),
        )
        .await?;
        tracing::info!(course_id, imported = ids.len(), "questions imported");
        Ok(format!("imported={}", ids.len()))
    }
}
