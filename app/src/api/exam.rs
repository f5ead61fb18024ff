//! Taking the certification test: the attendee's test page, starting an attempt, one
//! question at a time with saves, the review before submitting, and the result. No answer
//! key, option weight or feedback leaves the server before the attempt is final.

// Form-backed server functions take one argument per field (the client stub too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One past or running attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptLine {
    pub id: i64,
    pub number: i64,
    /// "In progress", "Waiting for grading", "Passed · 85%", "Not passed · 62%".
    pub outcome: String,
    pub started: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestHomeView {
    pub registration_id: i64,
    pub course_title: String,
    /// "90 minutes · pass mark 80% · 2 attempts".
    pub summary: String,
    /// Why the person may not start now (None: they may).
    pub refusal: Option<String>,
    pub running: Option<i64>,
    pub attempts: Vec<AttemptLine>,
}

/// An option as shown: `value` is its place on the screen (0, 1, ...), never its place in
/// the author's list, which could give the answer away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceView {
    pub value: usize,
    pub text: String,
}

/// The case a question of a scenario group belongs to, shown above its stem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioView {
    pub id: i64,
    pub title: String,
    /// The vignette, rendered and sanitised.
    pub vignette_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub position: usize,
    /// "single", "multiple", "true_false", "short_answer", "essay".
    pub kind: String,
    pub scenario: Option<ScenarioView>,
    pub stem_html: String,
    pub points: i64,
    pub options: Vec<ChoiceView>,
    pub chosen: Vec<usize>,
    pub text: String,
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapEntry {
    pub position: usize,
    pub answered: bool,
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub id: i64,
    pub course_title: String,
    pub total: usize,
    pub item: ItemView,
    pub map: Vec<MapEntry>,
    /// "Ends at 10:47 am MST".
    pub ends_at: String,
    /// Milliseconds since the epoch, for the live countdown.
    pub deadline_ms: i64,
    /// The sequence number the next save must carry.
    pub next_seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultView {
    pub attempt_id: i64,
    pub registration_id: i64,
    pub course_title: String,
    /// "final" or "awaiting_grading".
    pub status: String,
    pub percent: Option<i64>,
    pub passed: Option<bool>,
    pub pass_percent: i64,
    /// Question numbers answered wrongly or partly, when the review policy shows them.
    pub wrong: Option<Vec<usize>>,
    /// (question number, stem, the right answers), when the review policy shows them.
    pub answers: Option<Vec<(usize, String, String)>>,
    /// The policy shows the answers, but not yet: an attempt is still open to the person.
    pub answers_later: bool,
    /// (question number, the grader's feedback), once the attempt is final.
    pub feedback: Vec<(usize, String)>,
    /// The time ran out: what was saved was submitted for the person.
    pub time_ran_out: bool,
    /// After a pass: the certificate it earned (None while it is being issued).
    pub certificate: Option<EarnedCertificate>,
    /// After a final result without a pass: when (or whether) the person may try again.
    pub next_try: Option<String>,
}

/// The certificate a pass earned, as the result page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarnedCertificate {
    pub number: String,
    pub pdf_href: String,
    /// "September 3, 2029".
    pub expires: String,
}

/// The attendee's test page for one registration.
#[server(prefix = "/api", endpoint = "test_home")]
pub async fn test_home(registration_id: i64) -> Result<TestHomeView, AppError> {
    let user = crate::state::require_user().await?;
    server::home(user.id, registration_id).await
}

/// Starts an attempt (when the rules allow) and opens its first question.
#[server(prefix = "/api", endpoint = "start_test")]
pub async fn start_test(registration_id: i64) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let id = server::start(user.id, registration_id).await?;
    leptos_axum::redirect(&format!("/attempts/{id}"));
    Ok(())
}

/// One question of a running attempt (`position` from 0). Without a position, the question
/// the person last opened: coming back after a closed tab or a restart lands there.
#[server(prefix = "/api", endpoint = "attempt_question")]
pub async fn attempt_question(
    attempt_id: i64,
    position: Option<usize>,
) -> Result<AttemptView, AppError> {
    let user = crate::state::require_user().await?;
    server::question(user.id, attempt_id, position).await
}

/// Saves the answer to one question. `single` is a chosen option, `picked` the ticked ones
/// (multiple choice), `text` a typed answer. `next` says where to go: a question number from
/// 0, or "review"; without it (the live app's autosave) nothing else happens.
#[server(prefix = "/api", endpoint = "save_answer")]
pub async fn save_answer(
    attempt_id: i64,
    position: usize,
    seq: i64,
    single: Option<String>,
    picked: Option<BTreeMap<String, String>>,
    text: Option<String>,
    flagged: Option<String>,
    next: Option<String>,
) -> Result<String, AppError> {
    let user = crate::state::require_user().await?;
    let saved = server::save(
        user.id,
        attempt_id,
        position,
        seq,
        single,
        picked,
        text,
        flagged.is_some(),
    )
    .await?;
    match next.as_deref() {
        Some("review") => leptos_axum::redirect(&format!("/attempts/{attempt_id}/review")),
        Some(n) => {
            if let Ok(n) = n.parse::<usize>() {
                leptos_axum::redirect(&format!("/attempts/{attempt_id}?q={n}"));
            }
        }
        None => {}
    }
    Ok(saved)
}

/// The server's clock, in milliseconds since the epoch. The test page measures the browser's
/// offset from it once, so that a computer whose clock is wrong still counts down to the
/// server's deadline.
#[server(prefix = "/api", endpoint = "server_clock")]
pub async fn server_clock() -> Result<i64, AppError> {
    crate::state::require_user().await?;
    Ok(crate::clock::now().timestamp_millis())
}

/// Finishes the attempt: scored at once, essays wait for an instructor.
#[server(prefix = "/api", endpoint = "submit_attempt")]
pub async fn submit_attempt(attempt_id: i64) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    server::submit(user.id, attempt_id).await?;
    leptos_axum::redirect(&format!("/attempts/{attempt_id}/result"));
    Ok(())
}

/// The result, as far as the course's review policy shows it (final attempts only).
#[server(prefix = "/api", endpoint = "attempt_result")]
pub async fn attempt_result(attempt_id: i64) -> Result<ResultView, AppError> {
    let user = crate::state::require_user().await?;
    server::result(user.id, attempt_id).await
}

#[cfg(feature = "ssr")]
pub mod server;
