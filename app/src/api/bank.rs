//! A course's instructors (of one of its classes) and administrators: its question bank, how
//! well it covers the test's blueprint, writing one question, and a preview draw. Importing
//! is in `bank_import`, scenario groups in `scenarios`.

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
    /// The title of its scenario group.
    pub scenario: Option<String>,
}

/// A scenario group with its case and its current questions in written order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioLine {
    pub id: i64,
    pub title: String,
    pub vignette_html: String,
    pub status: String,
    pub questions: Vec<QuestionLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankView {
    pub code: String,
    pub title: String,
    /// "60 minutes · pass mark 80% · 27 questions · published" and so on.
    pub test: String,
    pub coverage: Vec<TopicCoverage>,
    /// Active groups with at least one active question, against the number a test draws.
    pub scenarios_available: i64,
    pub scenarios_drawn: i64,
    pub scenarios: Vec<ScenarioLine>,
    /// A page of the questions.
    pub questions: Vec<QuestionLine>,
    pub paging: crate::components::paging::Paging,
}

/// The bank of course `code`.
#[server(prefix = "/api", endpoint = "question_bank")]
pub async fn question_bank(
    code: String,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<BankView, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_course_staff(&code).await?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    server::bank(&code, sort, parse_page(page.as_deref())).await
}

/// The question banks the signed-in person may open, as (code, title) in catalog order: every
/// course's for an administrator, those of the courses they teach for an instructor.
#[server(prefix = "/api", endpoint = "my_question_banks")]
pub async fn my_question_banks() -> Result<Vec<(String, String)>, AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    server::banks_of(&user).await
}

/// One question for the editor: its topic, points and the question in GIFT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionEditView {
    pub code: String,
    pub id: Option<i64>,
    pub topics: Vec<(i64, String)>,
    pub topic_id: i64,
    /// The course's scenario groups that are not retired (and the question's own).
    pub groups: Vec<(i64, String)>,
    pub group_id: Option<i64>,
    pub points: i64,
    pub gift: String,
    /// "draft" or "active": editing an active question saves a new version.
    pub status: String,
    pub version: i64,
}

/// The editor's data: an existing question (`id`) or a blank one, in scenario group `group`
/// when that is one of the bank's.
#[server(prefix = "/api", endpoint = "question_for_edit")]
pub async fn question_for_edit(
    code: String,
    id: Option<i64>,
    group: Option<i64>,
) -> Result<QuestionEditView, AppError> {
    crate::state::require_course_staff(&code).await?;
    server::for_edit(&code, id, group).await
}

/// Saves one question written in GIFT: a new draft, or an edit (a new version when the
/// question is active, so attempts keep the version they drew). `group_id` puts it in a
/// scenario group (empty: none).
#[server(prefix = "/api", endpoint = "save_question")]
pub async fn save_question(
    code: String,
    id: Option<i64>,
    topic_id: i64,
    group_id: Option<String>,
    points: String,
    gift: String,
) -> Result<(), AppError> {
    let (user, _) = crate::state::require_course_staff(&code).await?;
    let form = server::QuestionForm {
        topic_id,
        group_id: group_id.as_deref().unwrap_or(""),
        points: &points,
        gift: &gift,
    };
    let saved = server::save_one(user.id, &code, id, &form).await?;
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
    let (user, _) = crate::state::require_course_staff(&code).await?;
    server::set_status(user.id, &code, question_id, &status).await?;
    leptos_axum::redirect(&format!("/teach/bank/{code}?status={question_id}"));
    Ok(())
}

/// A fresh draw of the course's test, shown as an attendee would see it; nothing recorded.
#[server(prefix = "/api", endpoint = "preview_test")]
pub async fn preview_test(code: String) -> Result<Vec<crate::api::exam::ItemView>, AppError> {
    crate::state::require_course_staff(&code).await?;
    server::preview(&code).await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::*;
    use crate::{
        components::paging::{Paging, Sort},
        db::{
            self, question_list::QuestionSort, questions::QuestionRecord,
            scenario_groups::GroupRecord,
        },
        domain::{
            course_topics::offered, gift::read_gift, markdown::to_safe_html,
            question::QuestionStatus, question_import::drafts,
        },
    };

    /// The course of a bank page: (id, title), or not found.
    pub(crate) async fn course(code: &str) -> Result<(i64, String), AppError> {
        let state = crate::state::app_state()?;
        let (id, title) = db::courses::id_and_title(&state.db, code)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
        Ok((id, title))
    }

    pub async fn banks_of(
        user: &crate::model::CurrentUser,
    ) -> Result<Vec<(String, String)>, AppError> {
        use crate::domain::teaching_scope::{course_reach, CourseReach};
        let state = crate::state::app_state()?;
        let taught = db::teaching::courses_taught(&state.db, user.id).await?;
        let ids = db::courses::ids_by_code(&state.db).await?;
        Ok(db::courses::list(&state.db)
            .await?
            .into_iter()
            .filter(|c| {
                ids.get(&c.code)
                    .is_some_and(|id| course_reach(user.role, &taught, *id) == CourseReach::Staff)
            })
            .map(|c| (c.code, c.title))
            .collect())
    }

    fn count(n: usize) -> i64 {
        i64::try_from(n).unwrap_or(i64::MAX)
    }

    /// A question as a line of the bank's lists.
    pub(crate) fn line(
        q: &QuestionRecord,
        topics: &[(i64, String)],
        groups: &[GroupRecord],
    ) -> QuestionLine {
        QuestionLine {
            id: q.id,
            topic: q
                .topic_id
                .and_then(|id| topics.iter().find(|(t, _)| *t == id))
                .map_or_else(|| "No topic".to_owned(), |(_, title)| title.clone()),
            kind: q.kind().label().to_owned(),
            stem: q.stem.chars().take(140).collect(),
            status: q.status.clone(),
            version: q.version,
            scenario: q
                .group_id
                .and_then(|g| groups.iter().find(|x| x.id == g))
                .map(|g| g.title.clone()),
        }
    }

    /// The current questions of group `id`, in written order (first versions' order).
    pub(crate) fn in_group(questions: &[QuestionRecord], id: i64) -> Vec<&QuestionRecord> {
        let mut qs: Vec<&QuestionRecord> = questions
            .iter()
            .filter(|q| q.group_id == Some(id))
            .collect();
        qs.sort_by_key(|q| (q.family_id.unwrap_or(q.id), q.id));
        qs
    }

    pub async fn bank(
        code: &str,
        sort: Sort<QuestionSort>,
        page: u64,
    ) -> Result<BankView, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, title) = course(code).await?;
        let topics = db::courses::topics(&state.db, course_id).await?;
        let (exam, blueprint) = db::exams::find(&state.db, course_id).await?;
        let active = db::questions::active_bank(&state.db, course_id).await?;
        let groups = db::scenario_groups::list(&state.db, course_id).await?;
        let grouped = db::question_list::grouped(&state.db, course_id).await?;
        let total = db::question_list::count(&state.db, course_id).await?;
        let paging = Paging::new(
            &format!("/teach/bank/{}", code.to_uppercase()),
            Vec::new(),
            page,
            sort,
            u64::try_from(total).unwrap_or(0),
        );
        let (limit, offset) = paging.window();
        let questions = db::question_list::page(&state.db, course_id, sort, limit, offset).await?;
        let drawn: i64 = blueprint.values().sum();
        let available: std::collections::BTreeSet<i64> =
            active.iter().filter_map(|q| q.group_id).collect();
        Ok(BankView {
            code: code.to_uppercase(),
            title,
            test: format!(
                "{} minutes · pass mark {}% · {} attempts · {} questions and {} scenario groups drawn · {}",
                exam.time_limit_minutes,
                exam.pass_percent,
                exam.attempts_allowed,
                drawn,
                exam.scenario_groups,
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
                    active: count(
                        active
                            .iter()
                            .filter(|q| q.topic_id == *id && q.group_id.is_none())
                            .count(),
                    ),
                    drawn: blueprint.get(id).copied().unwrap_or(0),
                })
                .collect(),
            scenarios_available: count(available.len()),
            scenarios_drawn: exam.scenario_groups,
            scenarios: groups
                .iter()
                .map(|g| ScenarioLine {
                    id: g.id,
                    title: g.title.clone(),
                    vignette_html: to_safe_html(&g.vignette),
                    status: g.status.clone(),
                    questions: in_group(&grouped, g.id)
                        .into_iter()
                        .map(|q| line(q, &topics, &groups))
                        .collect(),
                })
                .collect(),
            questions: questions.iter().map(|q| line(q, &topics, &groups)).collect(),
            paging,
        })
    }

    /// The groups a question may be put in: those not retired, and its own.
    async fn group_choices(
        course_id: i64,
        own: Option<i64>,
    ) -> Result<Vec<(i64, String)>, AppError> {
        let state = crate::state::app_state()?;
        Ok(db::scenario_groups::list(&state.db, course_id)
            .await?
            .into_iter()
            .filter(|g| g.status != "retired" || Some(g.id) == own)
            .map(|g| (g.id, g.title))
            .collect())
    }

    pub async fn for_edit(
        code: &str,
        id: Option<i64>,
        group: Option<i64>,
    ) -> Result<QuestionEditView, AppError> {
        use crate::domain::{gift::to_gift, question_export::to_gift_question};
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let all = db::courses::topics(&state.db, course_id).await?;
        let retired = db::courses::retired_topic_ids(&state.db, course_id).await?;
        let Some(id) = id else {
            // A retired topic is offered for nothing new.
            let topics = offered(all, &retired, |_| false);
            let first_topic = topics.first().map(|(id, _)| *id).unwrap_or(0);
            let groups = group_choices(course_id, None).await?;
            return Ok(QuestionEditView {
                code: code.to_uppercase(),
                id: None,
                topics,
                topic_id: first_topic,
                group_id: group.filter(|g| groups.iter().any(|(id, _)| id == g)),
                groups,
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
        // A question on a retired topic may keep it.
        let topics = offered(all, &retired, |t| Some(t) == q.topic_id);
        let first_topic = topics.first().map(|(id, _)| *id).unwrap_or(0);
        Ok(QuestionEditView {
            code: code.to_uppercase(),
            id: Some(id),
            topics,
            topic_id: q.topic_id.unwrap_or(first_topic),
            groups: group_choices(course_id, q.group_id).await?,
            group_id: q.group_id,
            points: q.points,
            gift: to_gift(&[gift]).trim().to_owned(),
            status: q.status.clone(),
            version: q.version,
        })
    }

    /// The question editor's fields as sent.
    pub struct QuestionForm<'a> {
        pub topic_id: i64,
        /// A group id, or empty for none.
        pub group_id: &'a str,
        pub points: &'a str,
        pub gift: &'a str,
    }

    /// The group the editor named, if it is one of the course's.
    async fn chosen_group(course_id: i64, value: &str) -> Result<Option<i64>, AppError> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(None);
        }
        let state = crate::state::app_state()?;
        let wrong = || {
            AppError::invalid(
                "group_id",
                "Choose one of this bank's scenario groups, or none.",
            )
        };
        let id: i64 = value.parse().map_err(|_| wrong())?;
        db::scenario_groups::find(&state.db, id)
            .await?
            .filter(|g| g.course_id == course_id)
            .map(|g| Some(g.id))
            .ok_or_else(wrong)
    }

    pub async fn save_one(
        user_id: i64,
        code: &str,
        id: Option<i64>,
        form: &QuestionForm<'_>,
    ) -> Result<i64, AppError> {
        use crate::db::questions::ReviseError;
        let state = crate::state::app_state()?;
        let (course_id, _) = course(code).await?;
        let retired = db::courses::retired_topic_ids(&state.db, course_id).await?;
        let current = match id {
            Some(id) => db::questions::find(&state.db, id)
                .await?
                .and_then(|(q, _)| q.topic_id),
            None => None,
        };
        let topics = offered(
            db::courses::topics(&state.db, course_id).await?,
            &retired,
            |t| Some(t) == current,
        );
        let Some((_, topic)) = topics.iter().find(|(t, _)| *t == form.topic_id) else {
            return Err(AppError::invalid(
                "topic_id",
                "Choose one of the course's topics.",
            ));
        };
        let group_id = chosen_group(course_id, form.group_id).await?;
        let points: i64 = form
            .points
            .trim()
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| AppError::invalid("points", "Give the question 1 to 100 points."))?;
        // The topic comes from the form, so the text needs no $CATEGORY: line; the two lines
        // added before it are taken off line numbers in messages.
        let with_topic = format!("$CATEGORY: {topic}\n\n{}", form.gift);
        let read = drafts(&read_gift(&with_topic), &topics);
        if let Some(p) = read.problems.first() {
            return Err(AppError::invalid(
                "gift",
                format!("Line {}: {}", p.line.saturating_sub(2), p.message),
            ));
        }
        let ([one], []) = (read.questions.as_slice(), read.scenarios.as_slice()) else {
            return Err(AppError::invalid(
                "gift",
                format!("Write exactly one question here ({} found), and choose its scenario group above; import several at once on the bank page.", read.questions.len()),
            ));
        };
        let mut draft = one.draft.clone();
        draft.points = points;
        draft.group_id = group_id;
        match id {
            None => {
                let ids = db::questions::insert(
                    &state.db,
                    course_id,
                    std::slice::from_ref(&draft),
                    QuestionStatus::Draft,
                    Some(user_id),
                    crate::clock::now(),
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
                match db::questions::revise(&state.db, id, &draft, user_id, crate::clock::now())
                    .await
                {
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
        db::questions::set_status(&state.db, question.id, status, user_id, crate::clock::now())
            .await?;
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
                scenario: crate::api::exam::server::scenario(q.group_id).await?,
                stem_html: to_safe_html(&q.stem),
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
}
