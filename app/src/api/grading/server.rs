//! Server side of grading: permissions (the class's instructors and administrators; names
//! only for administrators who ask), the queue, a grade, and the staff review.

use super::*;
use crate::{
    db::{
        self,
        grading::{Grade, GradeError, ResultMail},
    },
    domain::{
        attempt_rules::AttemptStatus,
        grading::{
            attempt_code, check_change, parse_points, percent, result_ready_mail, show_points,
            Outcome,
        },
        markdown::to_safe_html,
        question::QuestionKind,
        role::Role,
        scoring::Response,
    },
    model::CurrentUser,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

fn not_found() -> AppError {
    AppError::NotFound("There is no such answer to grade.".into())
}

/// Names are shown only to administrators who asked for them.
fn show_names(user: &CurrentUser, asked: bool) -> bool {
    asked && user.role.allows(Role::Admin)
}

fn who(seed: i64, person: &str, names: bool) -> String {
    if names {
        format!("{person} ({})", attempt_code(seed))
    } else {
        format!("Attempt {}", attempt_code(seed))
    }
}

fn kind_label(kind: &str) -> String {
    match kind {
        "essay" => "Essay",
        "short_answer" => "Short answer",
        "multiple" => "Multiple choice",
        "true_false" => "True or false",
        _ => "Single choice",
    }
    .to_owned()
}

async fn zone() -> Tz {
    crate::api::offerings::server::viewer_zone()
        .await
        .unwrap_or(chrono_tz::America::Denver)
}

fn time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%-d %b %Y, %-I:%M:%S %P")
        .to_string()
}

pub async fn queue(
    user: &CurrentUser,
    offering_id: i64,
    names: bool,
) -> Result<QueueView, AppError> {
    let state = crate::state::app_state()?;
    let (offering, _) = db::offerings::find(&state.db, offering_id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such class.".into()))?;
    let names_shown = show_names(user, names);
    let rows = db::grading::queue(&state.db, offering_id).await?;
    let (mut pending, mut graded) = (Vec::new(), Vec::new());
    for r in rows {
        let entry = QueueEntry {
            item_id: r.item_id,
            attempt_id: r.attempt_id,
            who: who(r.seed, &r.person, names_shown),
            question: format!("Question {} · {}", r.position + 1, r.question_title),
            kind: kind_label(&r.kind),
            grade: r
                .score_centi
                .map(|s| format!("{} of {} points", show_points(s), r.points)),
        };
        if r.score_centi.is_none() {
            pending.push(entry);
        } else {
            graded.push(entry);
        }
    }
    Ok(QueueView {
        offering_id,
        course_title: offering.course_title,
        names_shown,
        may_show_names: user.role.allows(Role::Admin),
        pending,
        graded,
    })
}

/// The item, once the caller is known to run its class.
async fn staff_item(item_id: i64) -> Result<(CurrentUser, db::grading::GradeItemRow), AppError> {
    let state = crate::state::app_state()?;
    // Signed-in staff only, before anything about the item is looked at.
    crate::state::require_role(Role::Instructor).await?;
    let row = db::grading::item(&state.db, item_id)
        .await?
        .ok_or_else(not_found)?;
    let user = crate::state::require_offering_staff(row.offering_id).await?;
    Ok((user, row))
}

pub async fn item(item_id: i64, names: bool) -> Result<GradeItemView, AppError> {
    let state = crate::state::app_state()?;
    let (user, row) = staff_item(item_id).await?;
    let (question, options) = db::questions::find(&state.db, row.question_id)
        .await?
        .ok_or_else(not_found)?;
    let kind = question.kind();
    if !matches!(kind, QuestionKind::Essay | QuestionKind::ShortAnswer) {
        return Err(AppError::Conflict(
            "This question is scored by its key, not by hand.".into(),
        ));
    }
    let answer = row
        .response
        .as_deref()
        .and_then(|r| serde_json::from_str::<Response>(r).ok())
        .and_then(|r| match r {
            Response::Text(t) => Some(t),
            Response::Choice(_) => None,
        });
    let waiting = db::grading::queue(&state.db, row.offering_id)
        .await?
        .iter()
        .filter(|r| r.score_centi.is_none())
        .count();
    let names_shown = show_names(&user, names);
    Ok(GradeItemView {
        item_id,
        offering_id: row.offering_id,
        attempt_id: row.attempt_id,
        who: who(row.seed, &row.person, names_shown),
        names_shown,
        number: usize::try_from(row.position + 1).unwrap_or(1),
        kind: kind_label(kind.as_str()),
        stem_html: to_safe_html(&question.stem),
        points: question.points,
        answer,
        accepted: if kind == QuestionKind::ShortAnswer {
            options
                .iter()
                .map(|o| format!("{} ({}%)", o.text, o.weight_percent))
                .collect()
        } else {
            Vec::new()
        },
        explanation_html: to_safe_html(&question.explanation),
        current: row.score_centi.map(show_points),
        graded_by_hand: row.graded_at.is_some(),
        feedback: row.feedback,
        waiting,
    })
}

pub async fn grade(
    item_id: i64,
    points: &str,
    feedback: &str,
    reason: &str,
    next: bool,
    names: bool,
) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let (user, row) = staff_item(item_id).await?;
    let (question, _) = db::questions::find(&state.db, row.question_id)
        .await?
        .ok_or_else(not_found)?;
    if !matches!(
        question.kind(),
        QuestionKind::Essay | QuestionKind::ShortAnswer
    ) {
        return Err(AppError::Conflict(
            "This question is scored by its key, not by hand.".into(),
        ));
    }
    let score_centi =
        parse_points(points, question.points).map_err(|m| AppError::invalid("points", m))?;
    if feedback.chars().count() > 5_000 {
        return Err(AppError::invalid(
            "feedback",
            "Keep the feedback under 5,000 characters.",
        ));
    }
    if check_change(row.graded_at.is_some(), reason).is_err() {
        return Err(AppError::invalid(
            "reason",
            "This answer was graded before. Say why the grade changes; the reason is kept in the audit log.",
        ));
    }
    let site = crate::api::offerings::server::site_url()?;
    let link = site.link(&format!("/attempts/{}/result", row.attempt_id));
    let mail: ResultMail = Box::new(move |name: &str, course: &str| {
        let text = result_ready_mail(name, course, &link);
        Some((text.subject, text.body))
    });
    let graded = db::grading::grade(
        &state.db,
        &Grade {
            item_id,
            actor_id: user.id,
            score_centi,
            feedback: feedback.trim(),
            reason,
        },
        &mail,
        crate::clock::now(),
    )
    .await
    .map_err(|e| match e {
        GradeError::NotFound => not_found(),
        GradeError::Running => AppError::Conflict("This attempt is still running; grade it once it is submitted.".into()),
        GradeError::ReasonNeeded => AppError::invalid(
            "reason",
            "Someone graded this answer meanwhile. Say why the grade changes; the reason is kept in the audit log.",
        ),
        GradeError::Db(e) => e.into(),
    })?;
    tracing::info!(item_id, actor = user.id, "item graded");
    let suffix = if names { "?names=true" } else { "" };
    if next {
        let following = db::grading::queue(&state.db, row.offering_id)
            .await?
            .into_iter()
            .find(|r| r.score_centi.is_none() && r.item_id != item_id);
        match following {
            Some(r) => leptos_axum::redirect(&format!("/teach/grading/{}{suffix}", r.item_id)),
            None => leptos_axum::redirect(&format!(
                "/teach/offerings/{}/grading?done=1{}",
                row.offering_id,
                if names { "&names=true" } else { "" }
            )),
        }
    } else {
        leptos_axum::redirect(&format!(
            "/teach/grading/{item_id}?saved=1{}",
            if names { "&names=true" } else { "" }
        ));
    }
    Ok(match graded.after {
        Outcome::AwaitingGrading => {
            "Grade saved. Other answers of this attempt still wait for grading.".into()
        }
        Outcome::Final {
            score_centi,
            max_centi,
            passed,
        } => format!(
            "Grade saved. The attempt is final: {}%, {}. The attendee was told.",
            percent(score_centi, max_centi),
            if passed { "passed" } else { "not passed" }
        ),
    })
}

pub async fn review(attempt_id: i64) -> Result<StaffReviewView, AppError> {
    let state = crate::state::app_state()?;
    crate::state::require_role(Role::Instructor).await?;
    let missing = || AppError::NotFound("There is no such attempt.".into());
    let offering_id = db::grading::attempt_offering(&state.db, attempt_id)
        .await?
        .ok_or_else(missing)?;
    let user = crate::state::require_offering_staff(offering_id).await?;
    let attempt = db::attempts::find(&state.db, attempt_id)
        .await?
        .ok_or_else(missing)?;
    let (offering, _) = db::offerings::find(&state.db, offering_id)
        .await?
        .ok_or_else(missing)?;
    let (exam, _) = db::exams::find(&state.db, attempt.course_id).await?;
    let pass_percent = exam.pass_percent;
    let zone = zone().await;
    let saves = db::grading::saves(&state.db, attempt_id).await?;
    let mut items = Vec::new();
    for item in db::attempts::items(&state.db, attempt_id).await? {
        let Some((question, options)) = db::questions::find(&state.db, item.question_id).await?
        else {
            continue;
        };
        let kind = question.kind();
        let response = item.response();
        let chosen: Vec<usize> = match &response {
            Some(Response::Choice(c)) => c.clone(),
            _ => Vec::new(),
        };
        let shown = if kind.has_choices() {
            item.order()
                .iter()
                .filter_map(|w| {
                    options.get(*w).map(|o| ReviewOption {
                        text: o.text.clone(),
                        weight_percent: o.weight_percent,
                        chosen: chosen.contains(w),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let gradable = matches!(kind, QuestionKind::Essay | QuestionKind::ShortAnswer)
            && attempt.status != AttemptStatus::InProgress;
        items.push(ReviewItem {
            number: usize::try_from(item.position + 1).unwrap_or(1),
            item_id: item.id,
            title: question.title.clone(),
            version: question.version,
            kind: kind_label(kind.as_str()),
            stem_html: to_safe_html(&question.stem),
            points: question.points,
            options: shown,
            text: match response {
                Some(Response::Text(t)) => Some(t),
                _ => None,
            },
            score: match item.score_centi {
                Some(s) => format!("{} of {}", show_points(s), question.points),
                None if attempt.status == AttemptStatus::InProgress => "Not scored yet".into(),
                None => "Waiting for grading".into(),
            },
            flagged: item.flagged,
            feedback: item.feedback.clone(),
            saves: saves
                .iter()
                .filter(|(_, p, _)| *p == item.position)
                .map(|(seq, _, at)| format!("{} (save {seq})", time(*at, zone)))
                .collect(),
            gradable,
        });
    }
    let mut timeline = format!(
        "Started {} · deadline {}",
        time(attempt.started_at, zone),
        time(attempt.deadline_at, zone)
    );
    if let Some(at) = attempt.finished_at {
        let how = if attempt.finished_by.as_deref() == Some("deadline") {
            "closed at the deadline"
        } else {
            "submitted"
        };
        timeline.push_str(&format!(" · {how} {}", time(at, zone)));
    }
    let status = match (
        attempt.status,
        attempt.score_centi,
        attempt.max_centi,
        attempt.passed,
    ) {
        (AttemptStatus::Final, Some(s), Some(m), Some(p)) => format!(
            "Final: {}% (pass mark {pass_percent}%), {}",
            percent(s, m),
            if p { "passed" } else { "not passed" }
        ),
        (AttemptStatus::InProgress, ..) => "In progress".into(),
        _ => "Waiting for grading".into(),
    };
    let person = db::users::find_account(&state.db, attempt.user_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    Ok(StaffReviewView {
        attempt_id,
        offering_id,
        who: who(attempt.seed, &person, user.role.allows(Role::Admin)),
        course_title: offering.course_title,
        number: attempt.number,
        seed: attempt.seed,
        timeline,
        status,
        items,
    })
}
