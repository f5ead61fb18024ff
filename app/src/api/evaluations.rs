//! Course evaluations: the attendee's form (once, after the class ends), the dashboard's
//! reminder, results per class and per course for its instructors and administrators
//! (anonymous: figures, charts and comments without names), and testimonials that
//! administrators publish, with the author's consent, on the course page.

// Form-backed server functions take one argument per field (the client stub too).
#![allow(clippy::too_many_arguments)]

use crate::{components::chart::ChartData, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a person's evaluation of a class stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormState {
    /// The form may be sent.
    Open,
    /// The class has not ended: when it opens, in a sentence.
    NotYet(String),
    /// Sent already: "You sent your evaluation on ...".
    Sent(String),
    /// Not a confirmed seat, or a cancelled class: why, in a sentence.
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationFormView {
    pub registration_id: i64,
    pub course_title: String,
    /// "Class of June 17, 2026".
    pub class: String,
    pub state: FormState,
    /// How a published comment would be signed ("Dana, Denver Police Department").
    pub signature: String,
}

/// A class waiting for the person's evaluation, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingEvaluation {
    pub registration_id: i64,
    pub course_title: String,
    /// "June 18, 2026".
    pub ended: String,
}

/// One item's results: its chart (and table) of how many chose each rating, and its mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub name: String,
    pub statement: String,
    /// "4.25", or "no answers".
    pub mean: String,
    pub answers: u64,
    pub chart: ChartData,
}

/// One class of a course's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRow {
    pub offering_id: i64,
    /// "Class of June 17, 2026".
    pub label: String,
    /// "3 of 4 (75%)".
    pub responses: String,
    /// The mean of each item, in the order of `Item::ALL`.
    pub means: Vec<String>,
}

/// A comment, without its author's name (shown to administrators as the signature it would
/// be published with, and only when its author agreed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub class: String,
    pub text: String,
    pub consent: bool,
    pub published: bool,
    pub signature: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsView {
    pub course_code: String,
    pub course_title: String,
    /// The class, for one class's results.
    pub offering_id: Option<i64>,
    /// "Class of June 17, 2026", or "3 classes that have ended", or "The 2 classes you teach".
    pub scope: String,
    /// "3 of 4 (75%)": responses of the people invited (confirmed seats).
    pub responses: String,
    /// Why there is nothing yet, if so.
    pub note: Option<String>,
    pub items: Vec<ItemResult>,
    /// Per class (a course's results).
    pub classes: Vec<ClassRow>,
    pub comments: Vec<CommentView>,
    /// Administrators publish comments from a course's results.
    pub may_publish: bool,
}

/// A published comment and how its author agreed to sign it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Testimonial {
    pub text: String,
    pub signature: String,
}

/// The person's evaluation form for one of their registrations (another's: not found).
#[server(prefix = "/api", endpoint = "evaluation_form")]
pub async fn evaluation_form(registration_id: i64) -> Result<EvaluationFormView, AppError> {
    let user = crate::state::require_user().await?;
    send::form_view(&user, registration_id, crate::clock::now()).await
}

/// Sends the evaluation: a rating (1 to 5) for every item, an optional comment and the
/// consent to publish it. Once, after the class ends, for a confirmed seat.
#[server(prefix = "/api", endpoint = "send_evaluation")]
pub async fn send_evaluation(
    registration_id: i64,
    content: Option<String>,
    presenters: Option<String>,
    balance: Option<String>,
    relevance: Option<String>,
    overall: Option<String>,
    comment: Option<String>,
    consent: Option<String>,
) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let sent = send::SentForm {
        ratings: [content, presenters, balance, relevance, overall],
        comment: comment.unwrap_or_default(),
        consent: consent.is_some(),
    };
    match send::send(&user, registration_id, &sent, crate::clock::now()).await {
        Ok(()) => {
            leptos_axum::redirect(&format!(
                "/registrations/{registration_id}/evaluation?sent=1"
            ));
            Ok(())
        }
        Err(e @ AppError::Invalid { .. }) => {
            send::back_with_answers(registration_id, &sent, &e);
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The signed-in person's classes that ended lately and wait for their evaluation.
#[server(prefix = "/api", endpoint = "my_waiting_evaluations")]
pub async fn my_waiting_evaluations() -> Result<Vec<WaitingEvaluation>, AppError> {
    let user = crate::state::require_user().await?;
    send::waiting(user.id, crate::clock::now()).await
}

/// One class's results, for its instructors and administrators.
#[server(prefix = "/api", endpoint = "offering_evaluations")]
pub async fn offering_evaluations(offering_id: i64) -> Result<ResultsView, AppError> {
    crate::state::require_offering_staff(offering_id).await?;
    results::for_offering(offering_id).await
}

/// A course's results over its classes that have ended: administrators see all of them,
/// an instructor those they teach.
#[server(prefix = "/api", endpoint = "course_evaluations")]
pub async fn course_evaluations(code: String) -> Result<ResultsView, AppError> {
    let (user, _) = crate::state::require_course_staff(&code).await?;
    results::for_course(&user, &code, crate::clock::now()).await
}

/// Publishes a comment on its course's page, or (`publish` false) withdraws it.
/// Administrators only; refused for a comment whose author did not agree. Audited.
#[server(prefix = "/api", endpoint = "set_testimonial")]
pub async fn set_testimonial(evaluation_id: i64, publish: bool) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let code = results::publish(user.id, evaluation_id, publish, crate::clock::now()).await?;
    let done = if publish { "published" } else { "withdrawn" };
    leptos_axum::redirect(&format!(
        "/teach/courses/{code}/evaluations?{done}=1#comments"
    ));
    Ok(())
}

/// The testimonials published on course `code`'s page, newest first.
#[server(prefix = "/api", endpoint = "course_testimonials")]
pub async fn course_testimonials(code: String) -> Result<Vec<Testimonial>, AppError> {
    results::testimonials(&code).await
}

#[cfg(feature = "ssr")]
mod results;
#[cfg(feature = "ssr")]
mod send;
