//! The server side of the attendee's evaluation: the form's state, sending it, and the
//! classes waiting for it. A registration is found only among the caller's own: another
//! person's is "not found".

use super::{EvaluationFormView, FormState, SendEvaluation, WaitingEvaluation};
use crate::{
    db::{self, evaluations::EvaluationContext},
    domain::{
        certificate::{issue_date, long_date},
        evaluation::{self, may_evaluate, Item, Refusal},
        registration::RegistrationStatus,
        schedule::parse_zone,
        time_display::describe_instant,
    },
    error::AppError,
    model::CurrentUser,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The form as sent, before it is checked.
pub struct SentForm {
    /// In the order of `Item::ALL`.
    pub ratings: [Option<String>; 5],
    pub comment: String,
    pub consent: bool,
}

fn not_found() -> AppError {
    AppError::NotFound("We could not find that evaluation.".into())
}

/// The caller's registration `registration_id` with its class.
async fn own(user_id: i64, registration_id: i64) -> Result<EvaluationContext, AppError> {
    let state = crate::state::app_state()?;
    db::evaluations::context(&state.db, registration_id)
        .await?
        .filter(|c| c.user_id == user_id)
        .ok_or_else(not_found)
}

fn zone(ctx: &EvaluationContext) -> Tz {
    parse_zone(&ctx.zone).unwrap_or(chrono_tz::America::Denver)
}

/// The day of `at` in the class's zone: "June 18, 2026".
fn day(at: DateTime<Utc>, zone: Tz) -> String {
    long_date(at.with_timezone(&zone).date_naive())
}

/// "Class of June 17, 2026".
pub fn class_label(first: Option<DateTime<Utc>>, zone: Tz) -> String {
    first
        .map(|at| format!("Class of {}", day(at, zone)))
        .unwrap_or_else(|| "Class without sessions".to_owned())
}

fn sent_text(at: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "You sent your evaluation on {}. Thank you: each class is evaluated once.",
        day(at, zone)
    )
}

/// Why the person may not evaluate, as the page shows it.
fn state_of(refusal: Refusal, ctx: &EvaluationContext, zone: Tz) -> FormState {
    match refusal {
        Refusal::AlreadySent(at) => FormState::Sent(sent_text(at, zone)),
        Refusal::NotEnded(at) => FormState::NotYet(format!(
            "The evaluation opens when the class ends, on {}.",
            describe_instant(at, zone)
        )),
        Refusal::NoSeat => {
            let status = ctx
                .status
                .parse::<RegistrationStatus>()
                .map(|s| s.label().to_lowercase())
                .unwrap_or_else(|_| ctx.status.clone());
            FormState::Refused(format!(
                "Evaluations are for people who held a confirmed seat in the class. This \
                 registration is “{status}”, so there is nothing to evaluate."
            ))
        }
        Refusal::ClassCancelled => FormState::Refused(
            "This class was cancelled, so there is nothing to evaluate.".to_owned(),
        ),
        Refusal::NoSessions => FormState::Refused(
            "This class has no sessions, so there is nothing to evaluate yet.".to_owned(),
        ),
    }
}

pub async fn form_view(
    user: &CurrentUser,
    registration_id: i64,
    now: DateTime<Utc>,
) -> Result<EvaluationFormView, AppError> {
    let ctx = own(user.id, registration_id).await?;
    let zone = zone(&ctx);
    let state = match may_evaluate(&ctx.seat(), now) {
        Ok(()) => FormState::Open,
        Err(refusal) => state_of(refusal, &ctx, zone),
    };
    Ok(EvaluationFormView {
        registration_id,
        class: class_label(ctx.first_starts_at, zone),
        course_title: ctx.course_title,
        state,
        signature: evaluation::attribution(&user.name, &user.agency),
    })
}

/// Checks who sends it and when (refusals are conflicts, with the page's sentence), then the
/// answers (a field error naming the first item without a rating), then stores it once.
pub async fn send(
    user: &CurrentUser,
    registration_id: i64,
    form: &SentForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let ctx = own(user.id, registration_id).await?;
    let zone = zone(&ctx);
    let refused = |refusal| match state_of(refusal, &ctx, zone) {
        FormState::NotYet(m) | FormState::Sent(m) | FormState::Refused(m) => AppError::Conflict(m),
        FormState::Open => AppError::Internal,
    };
    may_evaluate(&ctx.seat(), now).map_err(refused)?;
    let ratings = form.ratings.each_ref().map(|r| r.as_deref());
    let answers = evaluation::parse_answers(ratings, &form.comment, form.consent)
        .map_err(|p| AppError::invalid(p.field(), p.message()))?;
    let signature = if answers.consent {
        evaluation::attribution(&user.name, &user.agency)
    } else {
        String::new()
    };
    let state = crate::state::app_state()?;
    let stored = db::evaluations::insert(
        &state.db,
        registration_id,
        ctx.offering_id,
        &answers,
        &signature,
        now,
    )
    .await?;
    match stored {
        db::evaluations::Sent::Saved => Ok(()),
        db::evaluations::Sent::AlreadySent(at) => Err(AppError::Conflict(sent_text(at, zone))),
    }
}

/// A form posted without JavaScript comes back to its page: Leptos would send it to the page
/// it came from with the error alone, and the answers would be lost. So it goes to the page
/// with the answers in the address (the form reads them back) and the error as Leptos
/// carries it (`__path`, `__err`). With JavaScript the form stays on the page as it is.
pub fn back_with_answers(registration_id: i64, form: &SentForm, error: &AppError) {
    use server_fn::{error::ServerFnUrlError, ServerFn};
    let plain_post = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if !plain_post {
        return;
    }
    let mut params: Vec<(&str, String)> = Item::ALL
        .into_iter()
        .zip(&form.ratings)
        .map(|(item, r)| (item.key(), r.clone().unwrap_or_default()))
        .collect();
    params.push(("comment", form.comment.clone()));
    if form.consent {
        params.push(("consent", "on".to_owned()));
    }
    let page = crate::components::paging::link(
        &format!("/registrations/{registration_id}/evaluation"),
        &params,
    );
    if let Ok(url) = ServerFnUrlError::new(SendEvaluation::PATH, error.clone())
        .to_url(&format!("http://localhost{page}"))
    {
        leptos_axum::redirect(&format!(
            "{}?{}",
            url.path(),
            url.query().unwrap_or_default()
        ));
    }
}

pub async fn waiting(user_id: i64, now: DateTime<Utc>) -> Result<Vec<WaitingEvaluation>, AppError> {
    let state = crate::state::app_state()?;
    let since = evaluation::prompt_since(now);
    Ok(db::evaluations::waiting_for(&state.db, user_id, since, now)
        .await?
        .into_iter()
        .map(|(registration_id, course_title, ended)| WaitingEvaluation {
            registration_id,
            course_title,
            ended: long_date(issue_date(ended)),
        })
        .collect())
}
