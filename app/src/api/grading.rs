//! Grading by hand and the staff's review of an attempt. The queue is anonymous: graders see
//! an attempt code, not a name. Administrators may reveal names (`names`); instructors may not.

// Form-backed server functions take one argument per field (the client stub too).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub item_id: i64,
    pub attempt_id: i64,
    /// The attempt code ("K7M-2QX"), with the name only when names are shown.
    pub who: String,
    /// "Question 3 · Describe de-escalation".
    pub question: String,
    /// "Essay" or "Short answer".
    pub kind: String,
    /// "1.5 of 2 points", for graded items.
    pub grade: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub offering_id: i64,
    pub course_title: String,
    pub names_shown: bool,
    pub may_show_names: bool,
    pub pending: Vec<QueueEntry>,
    pub graded: Vec<QueueEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeItemView {
    pub item_id: i64,
    pub offering_id: i64,
    pub attempt_id: i64,
    pub who: String,
    pub names_shown: bool,
    pub number: usize,
    pub kind: String,
    pub stem_html: String,
    pub points: i64,
    /// The attendee's answer as typed (None: left blank).
    pub answer: Option<String>,
    /// Short answers: the answers the key accepts, with their weight ("Crisis (100%)").
    pub accepted: Vec<String>,
    pub explanation_html: String,
    /// The grade so far ("1.5"), if graded.
    pub current: Option<String>,
    /// Graded by hand before: a change needs a reason (the server checks it again).
    pub graded_by_hand: bool,
    pub feedback: String,
    /// Items still waiting in this class's queue, this one included if it waits.
    pub waiting: usize,
}

/// One option as the staff review shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewOption {
    pub text: String,
    pub weight_percent: i64,
    pub chosen: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub number: usize,
    pub item_id: i64,
    pub title: String,
    pub version: i64,
    pub kind: String,
    pub stem_html: String,
    pub points: i64,
    /// In the order the attendee saw them.
    pub options: Vec<ReviewOption>,
    pub text: Option<String>,
    /// "1.5 of 2", or "Waiting for grading".
    pub score: String,
    pub flagged: bool,
    pub feedback: String,
    /// The times of every save of this item ("10:32:05 am (save 14)").
    pub saves: Vec<String>,
    pub gradable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffReviewView {
    pub attempt_id: i64,
    pub offering_id: i64,
    pub who: String,
    pub course_title: String,
    pub number: i64,
    pub seed: i64,
    /// "Started 9:02 am · deadline 10:02 am · submitted 9:48 am".
    pub timeline: String,
    /// "Final: 85% (pass mark 80%), passed", "Waiting for grading", "In progress".
    pub status: String,
    pub items: Vec<ReviewItem>,
}

/// The grading queue of one class.
#[server(prefix = "/api", endpoint = "grading_queue")]
pub async fn grading_queue(offering_id: i64, names: bool) -> Result<QueueView, AppError> {
    let user = crate::state::require_offering_staff(offering_id).await?;
    server::queue(&user, offering_id, names).await
}

/// One item to grade.
#[server(prefix = "/api", endpoint = "grading_item")]
pub async fn grading_item(item_id: i64, names: bool) -> Result<GradeItemView, AppError> {
    server::item(item_id, names).await
}

/// Stores a grade. `next` = "next" goes on to the next waiting item of the class.
#[server(prefix = "/api", endpoint = "grade_item")]
pub async fn grade_item(
    item_id: i64,
    points: String,
    feedback: String,
    reason: Option<String>,
    next: Option<String>,
    names: Option<String>,
) -> Result<String, AppError> {
    server::grade(
        item_id,
        &points,
        &feedback,
        reason.as_deref().unwrap_or(""),
        next.as_deref() == Some("next"),
        names.is_some(),
    )
    .await
}

/// Everything about one attempt, for its class's instructors and administrators.
#[server(prefix = "/api", endpoint = "staff_attempt_review")]
pub async fn staff_attempt_review(attempt_id: i64) -> Result<StaffReviewView, AppError> {
    server::review(attempt_id).await
}

#[cfg(feature = "ssr")]
pub mod server;
