//! The server side of taking a test. Every function finds the attempt or registration only
//! among the caller's own: another person's id is "not found".

use super::*;
use crate::{
    api::teach::server::assess,
    db::{self, attempts::SaveError, exams::ExamRecord},
    domain::{
        attempt_rules::{
            answers_may_be_shown, deadline, may_start, test_window, AttemptStatus, StartFacts,
        },
        exam_draw::{draw, Blueprint},
        markdown::to_safe_html,
        payment::PaymentStatus,
        question::QuestionKind,
        registration::RegistrationStatus,
        schedule::parse_zone,
        scoring::Response,
        time_display::describe_instant,
    },
};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

fn not_found() -> AppError {
    AppError::NotFound("We could not find that test.".into())
}

/// The registration, if it is the caller's and confirmed.
async fn own_registration(
    user_id: i64,
    registration_id: i64,
) -> Result<db::registrations::RegistrationRecord, AppError> {
    let state = crate::state::app_state()?;
    db::registrations::find(&state.db, registration_id)
        .await?
        .filter(|r| r.user_id == user_id && r.status() == RegistrationStatus::Confirmed)
        .ok_or_else(not_found)
}

fn zone_of(offering: &db::offerings::OfferingRecord) -> Tz {
    parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver)
}

fn summary(exam: &ExamRecord, extra_attempts: i64) -> String {
    format!(
        "{} minutes · pass mark {}% · {} attempt{}",
        exam.time_limit_minutes,
        exam.pass_percent,
        exam.attempts_allowed + extra_attempts,
        if exam.attempts_allowed + extra_attempts == 1 {
            ""
        } else {
            "s"
        }
    )
}

fn outcome(a: &db::attempts::AttemptRecord) -> String {
    let percent = match (a.score_centi, a.max_centi) {
        (Some(s), Some(m)) if m > 0 => Some(s * 100 / m),
        _ => None,
    };
    match (a.status, a.passed, percent) {
        (AttemptStatus::InProgress, _, _) => "In progress".into(),
        (AttemptStatus::AwaitingGrading, _, _) => "Waiting for grading".into(),
        (_, Some(true), Some(p)) => format!("Passed · {p}%"),
        (_, Some(false), Some(p)) => format!("Not passed · {p}%"),
        _ => "Finished".into(),
    }
}

/// Everything `may_start` needs, and the exam.
async fn start_facts(
    registration: &db::registrations::RegistrationRecord,
    attempts: &[db::attempts::AttemptRecord],
    now: DateTime<Utc>,
) -> Result<
    (
        StartFacts,
        ExamRecord,
        BTreeMap<i64, i64>,
        db::offerings::OfferingRecord,
        i64,
        i64,
    ),
    AppError,
> {
    let state = crate::state::app_state()?;
    let db = &state.db;
    // One after another: side by side (tokio::try_join!) they took five of SQLite's eight
    // pooled connections per start, and the saves of people writing waited for a connection.
    let found = db::offerings::find(db, registration.offering_id).await?;
    let marks = db::attendance::marks_for_registration(db, registration.id).await?;
    let rule = db::attendance::rule_for_offering(db, registration.offering_id).await?;
    let set_window = db::exams::window(db, registration.offering_id).await?;
    let (extra_time, extra_attempts) = db::exams::accommodation(db, registration.id).await?;
    let (offering, meetings) = found.ok_or_else(not_found)?;
    let (exam, blueprint) = db::exams::find(db, offering.course_id).await?;
    let certified = db::certificates::active_for(
        db,
        registration.user_id,
        offering.course_id,
        crate::domain::certificate::issue_date(now),
    )
    .await?
    .is_some();
    let payment: PaymentStatus = registration
        .payment_status
        .parse()
        .unwrap_or(PaymentStatus::Unpaid);
    let shortfalls = assess(&meetings, &marks, registration.id, payment, rule);
    let (opens_at, closes_at) =
        test_window(set_window, meetings.iter().map(|m| m.ends_at).max(), now);
    let facts = StartFacts {
        attendance_shortfalls: shortfalls.len(),
        exam_published: exam.published_at.is_some(),
        opens_at,
        closes_at,
        attempts_used: i64::try_from(attempts.len()).unwrap_or(i64::MAX),
        attempts_allowed: exam.attempts_allowed,
        extra_attempts,
        last_finished_at: attempts.iter().filter_map(|a| a.finished_at).max(),
        wait_hours: exam.wait_hours,
        in_progress: attempts
            .iter()
            .any(|a| a.status == AttemptStatus::InProgress && a.deadline_at > now),
        awaiting_grading: attempts
            .iter()
            .any(|a| a.status == AttemptStatus::AwaitingGrading),
        certified,
        passed: attempts
            .iter()
            .any(|a| a.status == AttemptStatus::Final && a.passed == Some(true)),
    };
    Ok((facts, exam, blueprint, offering, extra_time, extra_attempts))
}

pub async fn home(user_id: i64, registration_id: i64) -> Result<TestHomeView, AppError> {
    let registration = own_registration(user_id, registration_id).await?;
    let now = crate::clock::now();
    let attempts = finish_overdue_for(registration_id, now).await?;
    let (facts, exam, _, offering, _, extra_attempts) =
        start_facts(&registration, &attempts, now).await?;
    let zone = crate::api::offerings::server::viewer_zone()
        .await
        .unwrap_or_else(|| zone_of(&offering));
    Ok(TestHomeView {
        registration_id,
        course_title: offering.course_title.clone(),
        summary: summary(&exam, extra_attempts),
        refusal: may_start(&facts, now).err().map(|e| refusal_text(e, zone)),
        running: attempts
            .iter()
            .find(|a| a.status == AttemptStatus::InProgress)
            .map(|a| a.id),
        attempts: attempts
            .iter()
            .map(|a| AttemptLine {
                id: a.id,
                number: a.number,
                outcome: outcome(a),
                started: describe_instant(a.started_at, zone),
            })
            .collect(),
    })
}

/// Why the person may not start, in words, with times in their zone.
fn refusal_text(refusal: crate::domain::attempt_rules::StartRefusal, zone: Tz) -> String {
    use crate::domain::attempt_rules::StartRefusal;
    match refusal {
        StartRefusal::NotOpenYet(at) => format!("The test opens {}.", describe_instant(at, zone)),
        StartRefusal::Closed(at) => format!(
            "The test closed {}. Please contact the training office.",
            describe_instant(at, zone)
        ),
        StartRefusal::Wait(at) => {
            format!("You may try again after {}.", describe_instant(at, zone))
        }
        other => other.to_string(),
    }
}

/// Finishes this registration's attempt if its time ran out (the job does it too; doing it
/// on the next visit means nobody waits for the job), and returns its attempts as they now
/// stand, oldest first.
async fn finish_overdue_for(
    registration_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<db::attempts::AttemptRecord>, AppError> {
    let state = crate::state::app_state()?;
    let cutoff = now - Duration::seconds(crate::domain::attempt_rules::SAVE_GRACE_SECONDS);
    let attempts = db::attempts::for_registration(&state.db, registration_id).await?;
    let mut finished_any = false;
    for a in &attempts {
        if a.status == AttemptStatus::InProgress && a.deadline_at < cutoff {
            db::attempts::finish(&state.db, a.id, "deadline", now).await?;
            finished_any = true;
        }
    }
    if finished_any {
        return Ok(db::attempts::for_registration(&state.db, registration_id).await?);
    }
    Ok(attempts)
}

pub async fn start(user_id: i64, registration_id: i64) -> Result<i64, AppError> {
    use rand::Rng;
    let state = crate::state::app_state()?;
    let registration = own_registration(user_id, registration_id).await?;
    let now = crate::clock::now();
    let attempts = finish_overdue_for(registration_id, now).await?;
    let (facts, exam, blueprint, offering, extra_time, _) =
        start_facts(&registration, &attempts, now).await?;
    if facts.in_progress {
        // A second click on Start opens the running attempt.
        if let Some(a) = attempts
            .iter()
            .find(|a| a.status == AttemptStatus::InProgress)
        {
            return Ok(a.id);
        }
    }
    may_start(&facts, now).map_err(|e| AppError::Conflict(e.to_string()))?;
    let bank = db::questions::active_bank(&state.db, offering.course_id).await?;
    let plan = Blueprint {
        per_topic: blueprint
            .iter()
            .map(|(t, n)| (*t, usize::try_from(*n).unwrap_or(0)))
            .collect(),
        scenario_groups: usize::try_from(exam.scenario_groups).unwrap_or(0),
        shuffle_questions: exam.shuffle_questions,
        shuffle_options: exam.shuffle_options,
    };
    // Positive, so it reads the same in every database and in JSON.
    let seed: i64 = rand::rng().random_range(1..i64::MAX);
    let items = draw(&bank, &plan, seed.unsigned_abs()).map_err(|e| {
        tracing::error!(error = %e, course_id = offering.course_id, "published test cannot be drawn");
        AppError::Conflict("The test cannot be started right now. The training office has been told.".into())
    })?;
    let ends = deadline(now, exam.time_limit_minutes, extra_time);
    match db::attempts::start(
        &state.db,
        registration_id,
        user_id,
        offering.course_id,
        seed,
        now,
        ends,
        &items,
    )
    .await
    {
        Ok(id) => {
            tracing::info!(attempt_id = id, registration_id, "test started");
            Ok(id)
        }
        Err(db::attempts::StartError::AlreadyRunning) => {
            db::attempts::for_registration(&state.db, registration_id)
                .await?
                .into_iter()
                .find(|a| a.status == AttemptStatus::InProgress)
                .map(|a| a.id)
                .ok_or_else(not_found)
        }
        Err(db::attempts::StartError::Db(e)) => Err(e.into()),
    }
}

/// What a request for a finished attempt's questions gets: the way to its result. A page
/// rendered on the server answers with a redirect there (without JavaScript, any request for
/// the attempt after its deadline leads to the result); the live app follows the link.
fn finished(attempt: &db::attempts::AttemptRecord) -> AppError {
    let result = format!("/attempts/{}/result", attempt.id);
    leptos_axum::redirect(&result);
    let message = if attempt.finished_by.as_deref() == Some("deadline") {
        "Your time is up: the answers you saved were submitted."
    } else {
        "This test is finished: it was submitted."
    };
    AppError::Finished {
        message: message.to_owned(),
        result,
    }
}

/// The caller's attempt; finished first if its time ran out.
async fn own_attempt(
    user_id: i64,
    attempt_id: i64,
) -> Result<db::attempts::AttemptRecord, AppError> {
    let state = crate::state::app_state()?;
    let now = crate::clock::now();
    let attempt = db::attempts::find_for_user(&state.db, attempt_id, user_id)
        .await?
        .ok_or_else(not_found)?;
    let cutoff = now - Duration::seconds(crate::domain::attempt_rules::SAVE_GRACE_SECONDS);
    if attempt.status == AttemptStatus::InProgress && attempt.deadline_at < cutoff {
        db::attempts::finish(&state.db, attempt_id, "deadline", now).await?;
        return db::attempts::find_for_user(&state.db, attempt_id, user_id)
            .await?
            .ok_or_else(not_found);
    }
    Ok(attempt)
}

pub async fn question(
    user_id: i64,
    attempt_id: i64,
    position: Option<usize>,
) -> Result<AttemptView, AppError> {
    let state = crate::state::app_state()?;
    let attempt = own_attempt(user_id, attempt_id).await?;
    if attempt.status != AttemptStatus::InProgress {
        return Err(finished(&attempt));
    }
    let items = db::attempts::items(&state.db, attempt_id).await?;
    let current = usize::try_from(attempt.current_position).unwrap_or(0);
    let item = items
        .get(position.unwrap_or(current))
        .or_else(|| items.first())
        .ok_or_else(not_found)?;
    if item.position != attempt.current_position {
        db::attempts::set_position(&state.db, attempt_id, item.position).await?;
    }
    let (question, options) = db::questions::find(&state.db, item.question_id)
        .await?
        .ok_or_else(not_found)?;
    let kind = question.kind();
    let response = item.response();
    // The browser sees options only by their place on the screen: the order the author
    // wrote them in (right answer first, often) never leaves the server.
    let order = item.order();
    let (chosen, text) = match &response {
        Some(Response::Choice(c)) => (
            c.iter()
                .filter_map(|w| order.iter().position(|o| o == w))
                .collect(),
            String::new(),
        ),
        Some(Response::Text(t)) => (Vec::new(), t.clone()),
        None => (Vec::new(), String::new()),
    };
    let shown: Vec<ChoiceView> = if kind.has_choices() {
        order
            .iter()
            .enumerate()
            .filter_map(|(shown, written)| {
                options.get(*written).map(|o| ChoiceView {
                    value: shown,
                    text: o.text.clone(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let (offering_zone, course_title) = {
        let registration = db::registrations::find(&state.db, attempt.registration_id)
            .await?
            .ok_or_else(not_found)?;
        let (offering, _) = db::offerings::find(&state.db, registration.offering_id)
            .await?
            .ok_or_else(not_found)?;
        (zone_of(&offering), offering.course_title)
    };
    let zone = crate::api::offerings::server::viewer_zone()
        .await
        .unwrap_or(offering_zone);
    let local = attempt.deadline_at.with_timezone(&zone);
    Ok(AttemptView {
        id: attempt_id,
        course_title,
        total: items.len(),
        item: ItemView {
            position: usize::try_from(item.position).unwrap_or(0),
            kind: kind.as_str().to_owned(),
            scenario: scenario(question.group_id).await?,
            stem_html: to_safe_html(&question.stem),
            points: question.points,
            options: shown,
            chosen,
            text,
            flagged: item.flagged,
        },
        map: items
            .iter()
            .map(|i| MapEntry {
                position: usize::try_from(i.position).unwrap_or(0),
                answered: i.response.is_some(),
                flagged: i.flagged,
            })
            .collect(),
        ends_at: format!(
            "Ends at {} {}",
            local.format("%-I:%M %P"),
            crate::domain::time_display::zone_abbreviation(zone, attempt.deadline_at)
        ),
        deadline_ms: attempt.deadline_at.timestamp_millis(),
        next_seq: attempt.last_seq + 1,
    })
}

/// The scenario group of a question, for showing its case above the stem.
pub async fn scenario(group_id: Option<i64>) -> Result<Option<ScenarioView>, AppError> {
    let Some(id) = group_id else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    Ok(db::scenario_groups::find(&state.db, id)
        .await?
        .map(|g| ScenarioView {
            id: g.id,
            title: g.title,
            vignette_html: to_safe_html(&g.vignette),
        }))
}

/// The answer as the form sent it, for a question of `kind`.
fn response_from(
    kind: QuestionKind,
    single: Option<String>,
    picked: Option<BTreeMap<String, String>>,
    text: Option<String>,
) -> Option<Response> {
    match kind {
        QuestionKind::Single | QuestionKind::TrueFalse => single
            .and_then(|s| s.parse::<usize>().ok())
            .map(|i| Response::Choice(vec![i])),
        QuestionKind::Multiple => {
            let chosen: Vec<usize> = picked
                .unwrap_or_default()
                .keys()
                .filter_map(|k| k.parse().ok())
                .collect();
            (!chosen.is_empty()).then_some(Response::Choice(chosen))
        }
        QuestionKind::ShortAnswer | QuestionKind::Essay => text
            .map(|t| t.trim_end().to_owned())
            .filter(|t| !t.trim().is_empty())
            .map(|t| Response::Text(t.chars().take(20_000).collect())),
    }
}

/// Returns "Saved 10:32:05 am" for the page to show.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    user_id: i64,
    attempt_id: i64,
    position: usize,
    seq: i64,
    single: Option<String>,
    picked: Option<BTreeMap<String, String>>,
    text: Option<String>,
    flagged: bool,
) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let position = i64::try_from(position).map_err(|_| not_found())?;
    // Only the caller's own attempt: anyone else's reads as not found.
    let slot = db::attempts::answer_slot(&state.db, attempt_id, user_id, position)
        .await?
        .ok_or_else(not_found)?;
    let kind: QuestionKind = slot.kind.parse().unwrap_or(QuestionKind::Essay);
    let option_count = usize::try_from(slot.option_count).unwrap_or(0);
    // Places on the screen back to the options as written; anything else is refused.
    let order = slot.order();
    let response = match response_from(kind, single, picked, text) {
        Some(Response::Choice(shown)) => {
            let written: Option<Vec<usize>> = shown
                .iter()
                .map(|d| order.get(*d).copied().filter(|w| *w < option_count))
                .collect();
            Some(Response::Choice(written.ok_or_else(|| {
                AppError::invalid("single", "Choose one of the options shown.")
            })?))
        }
        other => other,
    };
    let now = crate::clock::now();
    match db::attempts::save(
        &state.db,
        attempt_id,
        user_id,
        position,
        response.as_ref(),
        flagged,
        seq,
        now,
    )
    .await
    {
        Ok(()) => {
            let zone = crate::api::offerings::server::viewer_zone()
                .await
                .unwrap_or(chrono_tz::America::Denver);
            Ok(format!(
                "Saved {}",
                now.with_timezone(&zone).format("%-I:%M:%S %P")
            ))
        }
        Err(SaveError::Finished) => Err(AppError::Finished {
            message: "This test is finished: your saved answers were kept and submitted.".into(),
            result: format!("/attempts/{attempt_id}/result"),
        }),
        Err(SaveError::TooLate) => {
            // Close it now, with what was saved in time.
            db::attempts::finish(&state.db, attempt_id, "deadline", now).await?;
            Err(AppError::Finished {
                message: "Your time is up: answers saved before the end were kept and submitted."
                    .into(),
                result: format!("/attempts/{attempt_id}/result"),
            })
        }
        Err(SaveError::Stale) => Err(AppError::Conflict(
            "A newer answer from another window was already saved. Reload the page to see it."
                .into(),
        )),
        Err(SaveError::NotFound) => Err(not_found()),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

pub async fn submit(user_id: i64, attempt_id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let attempt = own_attempt(user_id, attempt_id).await?;
    if attempt.status == AttemptStatus::InProgress {
        let now = crate::clock::now();
        // The page submits by itself at 0:00 (within the grace): the time ran out.
        let by = if now >= attempt.deadline_at {
            "deadline"
        } else {
            "submitted"
        };
        db::attempts::finish(&state.db, attempt_id, by, now).await?;
        tracing::info!(attempt_id, by, "test submitted");
    }
    Ok(())
}

pub async fn result(user_id: i64, attempt_id: i64) -> Result<ResultView, AppError> {
    let state = crate::state::app_state()?;
    let attempt = own_attempt(user_id, attempt_id).await?;
    if attempt.status == AttemptStatus::InProgress {
        return Err(AppError::Conflict("This test is still running.".into()));
    }
    let registration = db::registrations::find(&state.db, attempt.registration_id)
        .await?
        .ok_or_else(not_found)?;
    let (offering, _) = db::offerings::find(&state.db, registration.offering_id)
        .await?
        .ok_or_else(not_found)?;
    let attempts = finish_overdue_for(registration.id, crate::clock::now()).await?;
    let (facts, exam, ..) = start_facts(&registration, &attempts, crate::clock::now()).await?;
    let final_ = attempt.status == AttemptStatus::Final;
    // The key only once no attempt is left to help (see `answers_may_be_shown`).
    let show_answers = final_
        && exam.review_policy == "answers"
        && answers_may_be_shown(&facts, crate::clock::now());
    let items = db::attempts::items(&state.db, attempt_id).await?;
    let mut wrong = Vec::new();
    let mut answers = Vec::new();
    if final_ && exam.review_policy != "score" {
        for (n, item) in items.iter().enumerate() {
            let (question, options) = db::questions::find(&state.db, item.question_id)
                .await?
                .ok_or_else(not_found)?;
            let full = question.points * 100;
            if item.score_centi.unwrap_or(0) < full {
                wrong.push(n + 1);
            }
            if show_answers {
                let right: Vec<String> = options
                    .iter()
                    .filter(|o| o.weight_percent > 0)
                    .map(|o| o.text.clone())
                    .collect();
                answers.push((n + 1, question.stem.clone(), right.join("; ")));
            }
        }
    }
    let zone = crate::api::offerings::server::viewer_zone()
        .await
        .unwrap_or_else(|| zone_of(&offering));
    let today = crate::domain::certificate::issue_date(crate::clock::now());
    let certificate = if attempt.passed == Some(true) && final_ {
        db::certificates::active_for(&state.db, user_id, offering.course_id, today)
            .await?
            .map(|c| EarnedCertificate {
                pdf_href: format!("/certificates/{}/certificate.pdf", c.id),
                expires: c
                    .expires_on
                    .map(crate::domain::certificate::long_date)
                    .unwrap_or_default(),
                number: c.number,
            })
    } else {
        None
    };
    let next_try = (final_ && attempt.passed != Some(true)).then(|| {
        match may_start(&facts, crate::clock::now()) {
            Ok(()) => "You may try again now, from the test page.".to_owned(),
            Err(e) => refusal_text(e, zone),
        }
    });
    Ok(ResultView {
        time_ran_out: attempt.finished_by.as_deref() == Some("deadline"),
        certificate,
        next_try,
        attempt_id,
        registration_id: attempt.registration_id,
        course_title: offering.course_title,
        status: attempt.status.as_str().to_owned(),
        percent: match (attempt.score_centi, attempt.max_centi) {
            (Some(s), Some(m)) if m > 0 && final_ => Some(s * 100 / m),
            _ => None,
        },
        passed: attempt.passed,
        pass_percent: exam.pass_percent,
        wrong: (final_ && exam.review_policy != "score").then_some(wrong),
        answers: show_answers.then_some(answers),
        answers_later: final_ && exam.review_policy == "answers" && !show_answers,
        feedback: if final_ {
            items
                .iter()
                .enumerate()
                .filter(|(_, i)| !i.feedback.trim().is_empty())
                .map(|(n, i)| (n + 1, i.feedback.clone()))
                .collect()
        } else {
            Vec::new()
        },
    })
}
