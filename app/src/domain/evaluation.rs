//! Course evaluations: after a class ends, each person who held a confirmed seat rates it once
//! on fixed items and may leave a comment, which an administrator may publish on the course
//! page if its author agreed. Plain functions: the caller passes the facts and `now`.
//!
//! Rules:
//! - The evaluation **opens** when the class's last session ends, and stays open; it is sent
//!   **once** (a unique key in the database backs this up).
//! - Only a **confirmed** seat is evaluated: a cancelled, rejected, waitlisted or pending
//!   registration has no class to rate, and a cancelled class has none either.
//! - Every item needs a rating from 1 to 5; the comment is optional. Consent to publish
//!   counts only with a comment.
//! - The **invitation** goes out once, within [`INVITE_WITHIN_DAYS`] of the end (so that
//!   classes long past are not written to when the feature first runs).
//! - **Results**: per item the count of each rating and the mean (in hundredths, rounded half
//!   up); the response rate is responses over confirmed seats, in whole percents.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The fixed items, in the order of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Item {
    Content,
    Presenters,
    Balance,
    Relevance,
    Overall,
}

/// The words of the agreement scale, from 1 to 5.
pub const AGREEMENT: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neutral",
    "Agree",
    "Strongly agree",
];

/// The words of the quality scale (the overall rating), from 1 to 5.
pub const QUALITY: [&str; 5] = ["Poor", "Fair", "Good", "Very good", "Excellent"];

impl Item {
    pub const ALL: [Item; 5] = [
        Item::Content,
        Item::Presenters,
        Item::Balance,
        Item::Relevance,
        Item::Overall,
    ];

    /// The form field and the database column.
    pub fn key(self) -> &'static str {
        match self {
            Item::Content => "content",
            Item::Presenters => "presenters",
            Item::Balance => "balance",
            Item::Relevance => "relevance",
            Item::Overall => "overall",
        }
    }

    /// Its name in results: "Content", "Relevance to my work".
    pub fn name(self) -> &'static str {
        match self {
            Item::Content => "Content",
            Item::Presenters => "Presenters",
            Item::Balance => "Balance of lecture and questions",
            Item::Relevance => "Relevance to my work",
            Item::Overall => "Overall",
        }
    }

    /// What the person rates, as the form's legend.
    pub fn statement(self) -> &'static str {
        match self {
            Item::Content => "The content was clear, accurate and well organised.",
            Item::Presenters => "The presenters knew the subject and explained it well.",
            Item::Balance => "The class had a good balance of lecture and time for questions.",
            Item::Relevance => "What I learned is relevant to my work.",
            Item::Overall => "Overall, how would you rate this class?",
        }
    }

    /// The words for 1 to 5.
    pub fn scale(self) -> [&'static str; 5] {
        match self {
            Item::Overall => QUALITY,
            _ => AGREEMENT,
        }
    }

    /// The words for `rating` (1..=5): "Neutral", "Excellent"; "" for anything else.
    pub fn label(self, rating: u8) -> &'static str {
        self.scale()
            .get(usize::from(rating.wrapping_sub(1)))
            .copied()
            .unwrap_or("")
    }
}

/// The longest comment kept.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// A complete evaluation, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    /// In the order of [`Item::ALL`], each 1..=5.
    pub ratings: [u8; 5],
    /// Trimmed; empty when none was given.
    pub comment: String,
    /// "You may publish my comment": only ever true with a comment.
    pub consent: bool,
}

/// What is wrong with a sent form; the message goes next to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// No rating (or not one of the five) for this item; `more` other items lack one too.
    Missing {
        item: Item,
        more: usize,
    },
    CommentTooLong {
        chars: usize,
    },
}

impl AnswerProblem {
    /// The form field the message belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            AnswerProblem::Missing { item, .. } => item.key(),
            AnswerProblem::CommentTooLong { .. } => "comment",
        }
    }

    pub fn message(&self) -> String {
        match self {
            AnswerProblem::Missing { item, more: 0 } => {
                format!("Choose a rating for “{}”.", item.name())
            }
            AnswerProblem::Missing { item, more } => format!(
                "Choose a rating for “{}”. {more} more item{} below need{} one too.",
                item.name(),
                if *more == 1 { "" } else { "s" },
                if *more == 1 { "s" } else { "" },
            ),
            AnswerProblem::CommentTooLong { chars } => format!(
                "Keep the comment to {MAX_COMMENT_CHARS} characters or fewer (it has {chars})."
            ),
        }
    }
}

/// A rating as sent: "1" to "5" (spaces ignored); anything else is none.
pub fn parse_rating(sent: Option<&str>) -> Option<u8> {
    sent.and_then(|s| s.trim().parse::<u8>().ok())
        .filter(|r| (1..=5).contains(r))
}

/// Checks a sent form: `ratings` in the order of [`Item::ALL`]. The first item without a
/// rating is named (and how many more lack one).
pub fn parse_answers(
    ratings: [Option<&str>; 5],
    comment: &str,
    consent: bool,
) -> Result<Answers, AnswerProblem> {
    let parsed = ratings.map(parse_rating);
    let missing: Vec<Item> = Item::ALL
        .into_iter()
        .zip(parsed)
        .filter(|(_, r)| r.is_none())
        .map(|(item, _)| item)
        .collect();
    if let Some(item) = missing.first() {
        return Err(AnswerProblem::Missing {
            item: *item,
            more: missing.len() - 1,
        });
    }
    let comment = comment.trim();
    let chars = comment.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(AnswerProblem::CommentTooLong { chars });
    }
    Ok(Answers {
        ratings: parsed.map(|r| r.unwrap_or(0)),
        comment: comment.to_owned(),
        consent: consent && !comment.is_empty(),
    })
}

/// How a published comment is signed: the first name and the agency, as the form says
/// ("Dana, Denver Police Department"; the first name alone without an agency).
pub fn attribution(full_name: &str, agency: &str) -> String {
    let first = full_name.split_whitespace().next().unwrap_or("");
    match (first, agency.trim()) {
        ("", "") => "A participant".to_owned(),
        ("", agency) => format!("A participant, {agency}"),
        (first, "") => first.to_owned(),
        (first, agency) => format!("{first}, {agency}"),
    }
}

/// The facts about one registration that decide whether its person may evaluate now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    /// The registration is confirmed (the code's definition of a confirmed seat).
    pub confirmed: bool,
    pub class_cancelled: bool,
    /// When the class's last session ends (`None`: it has no sessions).
    pub ends_at: Option<DateTime<Utc>>,
    /// When this registration's evaluation was sent, if it was.
    pub sent_at: Option<DateTime<Utc>>,
}

/// Why someone may not evaluate now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Sent already, at this moment.
    AlreadySent(DateTime<Utc>),
    /// Not a confirmed seat (cancelled, rejected, waitlisted, waiting for approval).
    NoSeat,
    ClassCancelled,
    NoSessions,
    /// The class has not ended; the evaluation opens at this moment.
    NotEnded(DateTime<Utc>),
}

/// Whether the person of `seat` may send their evaluation at `now`.
pub fn may_evaluate(seat: &Seat, now: DateTime<Utc>) -> Result<(), Refusal> {
    if let Some(at) = seat.sent_at {
        return Err(Refusal::AlreadySent(at));
    }
    if !seat.confirmed {
        return Err(Refusal::NoSeat);
    }
    if seat.class_cancelled {
        return Err(Refusal::ClassCancelled);
    }
    match seat.ends_at {
        None => Err(Refusal::NoSessions),
        Some(end) if now < end => Err(Refusal::NotEnded(end)),
        Some(_) => Ok(()),
    }
}

/// The invitation is sent only for classes that ended at most this many days ago.
pub const INVITE_WITHIN_DAYS: i64 = 14;

/// The dashboard asks for an evaluation for this many days after the class ends (the page
/// stays open after that).
pub const PROMPT_DAYS: i64 = 60;

/// Classes that ended after this moment (and by `now`) are due an invitation.
pub fn invite_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(INVITE_WITHIN_DAYS)
}

/// Classes that ended after this moment (and by `now`) are prompted for on the dashboard.
pub fn prompt_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(PROMPT_DAYS)
}

/// One item's figures: how many chose each rating, and the mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemSummary {
    /// `counts[0]` chose 1, ..., `counts[4]` chose 5.
    pub counts: [u64; 5],
}

impl ItemSummary {
    /// The figures of `ratings` (values outside 1..=5 are not counted).
    pub fn of(ratings: impl IntoIterator<Item = u8>) -> ItemSummary {
        let mut counts = [0u64; 5];
        for r in ratings {
            if let Some(c) = counts.get_mut(usize::from(r.wrapping_sub(1))) {
                *c += 1;
            }
        }
        ItemSummary { counts }
    }

    /// The two summaries together (a course over its classes).
    pub fn merge(self, other: ItemSummary) -> ItemSummary {
        let mut counts = self.counts;
        for (c, o) in counts.iter_mut().zip(other.counts) {
            *c += o;
        }
        ItemSummary { counts }
    }

    /// How many rated the item.
    pub fn answers(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The mean rating in hundredths (425 is 4.25), rounded half up; `None` without answers.
    pub fn mean_centi(&self) -> Option<u64> {
        let n = self.answers();
        let sum: u64 = (1..=5).zip(self.counts).map(|(r, c)| r * c).sum();
        (n > 0).then(|| (200 * sum + n) / (2 * n))
    }

    /// "4.25", or "no answers".
    pub fn mean_text(&self) -> String {
        match self.mean_centi() {
            Some(m) => format!("{}.{:02}", m / 100, m % 100),
            None => "no answers".to_owned(),
        }
    }
}

/// The summaries of every item from rows of ratings (each in the order of [`Item::ALL`]).
pub fn summarize(rows: &[[u8; 5]]) -> [ItemSummary; 5] {
    let mut out = [ItemSummary::default(); 5];
    for (i, summary) in out.iter_mut().enumerate() {
        *summary = ItemSummary::of(rows.iter().filter_map(|r| r.get(i).copied()));
    }
    out
}

/// Responses as a whole percent of the people invited (rounded half up); `None` when nobody
/// was invited.
pub fn response_rate(responses: u64, invited: u64) -> Option<u64> {
    (invited > 0).then(|| (200 * responses + invited) / (2 * invited))
}

/// "3 of 4 (75%)", or "0 of 0".
pub fn response_text(responses: u64, invited: u64) -> String {
    match response_rate(responses, invited) {
        Some(rate) => format!("{responses} of {invited} ({rate}%)"),
        None => format!("{responses} of {invited}"),
    }
}

/// Outbox kind of the invitation.
pub const KIND_INVITATION: &str = "evaluation_invitation";

/// The invitation to evaluate a class: (subject, body).
pub fn invitation_mail(name: &str, course: &str, link: &str) -> (String, String) {
    (
        format!("How was {course}? Your evaluation, in five questions"),
        format!(
            "Hello {name},\n\n\
             Thank you for taking part in {course}. Please tell us how it went: five ratings \
             and, if you like, a comment. It takes a few minutes, you can send it once, and \
             instructors see the answers only together with everyone else's, without names.\n\n\
             {link}\n\nCIT Academy\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 18, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn seat() -> Seat {
        Seat {
            confirmed: true,
            class_cancelled: false,
            ends_at: Some(at(19)),
            sent_at: None,
        }
    }

    #[test]
    fn a_confirmed_seat_evaluates_from_the_end_of_the_last_session() {
        let s = seat();
        assert_eq!(may_evaluate(&s, at(18)), Err(Refusal::NotEnded(at(19))));
        assert_eq!(may_evaluate(&s, at(19)), Ok(()), "the moment it ends");
        assert_eq!(may_evaluate(&s, at(23)), Ok(()));
    }

    #[test]
    fn once_only_and_only_for_a_confirmed_seat_of_a_real_class() {
        let sent = Seat {
            sent_at: Some(at(20)),
            ..seat()
        };
        assert_eq!(
            may_evaluate(&sent, at(21)),
            Err(Refusal::AlreadySent(at(20)))
        );
        let cancelled = Seat {
            confirmed: false,
            ..seat()
        };
        assert_eq!(may_evaluate(&cancelled, at(21)), Err(Refusal::NoSeat));
        let class_cancelled = Seat {
            class_cancelled: true,
            ..seat()
        };
        assert_eq!(
            may_evaluate(&class_cancelled, at(21)),
            Err(Refusal::ClassCancelled)
        );
        let no_sessions = Seat {
            ends_at: None,
            ..seat()
        };
        assert_eq!(may_evaluate(&no_sessions, at(21)), Err(Refusal::NoSessions));
    }

    #[test]
    fn every_item_needs_a_rating_and_the_first_missing_is_named() {
        let all = [Some("5"), Some("4"), Some(" 3 "), Some("2"), Some("1")];
        let ok = parse_answers(all, "  Very useful.  ", true).expect("complete");
        assert_eq!(ok.ratings, [5, 4, 3, 2, 1]);
        assert_eq!(ok.comment, "Very useful.");
        assert!(ok.consent);

        let one_missing = [Some("5"), None, Some("3"), Some("2"), Some("1")];
        let e = parse_answers(one_missing, "", false).unwrap_err();
        assert_eq!(
            e,
            AnswerProblem::Missing {
                item: Item::Presenters,
                more: 0
            }
        );
        assert_eq!(e.field(), "presenters");
        assert_eq!(e.message(), "Choose a rating for “Presenters”.");

        let bad = [Some("5"), Some("4"), Some("0"), Some("six"), Some("")];
        let e = parse_answers(bad, "", false).unwrap_err();
        assert_eq!(e.field(), "balance");
        assert!(
            e.message().contains("2 more items below need one too"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn consent_counts_only_with_a_comment_and_comments_are_bounded() {
        let all = [Some("5"); 5];
        assert!(!parse_answers(all, "   ", true).expect("ok").consent);
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        let e = parse_answers(all, &long, false).unwrap_err();
        assert_eq!(e.field(), "comment");
        assert!(parse_answers(all, &"é".repeat(MAX_COMMENT_CHARS), false).is_ok());
    }

    #[test]
    fn means_counts_and_rates() {
        let s = ItemSummary::of([5, 4, 4, 3]);
        assert_eq!(s.counts, [0, 0, 1, 2, 1]);
        assert_eq!(s.answers(), 4);
        assert_eq!(s.mean_centi(), Some(400));
        assert_eq!(s.mean_text(), "4.00");
        // 13 / 3 = 4.333...: 4.33; 14 / 3 = 4.666...: 4.67; 9 / 2 = 4.5.
        assert_eq!(ItemSummary::of([5, 4, 4]).mean_text(), "4.33");
        assert_eq!(ItemSummary::of([5, 5, 4]).mean_text(), "4.67");
        assert_eq!(ItemSummary::of([5, 4]).mean_text(), "4.50");
        assert_eq!(ItemSummary::default().mean_centi(), None);
        assert_eq!(ItemSummary::default().mean_text(), "no answers");
        assert_eq!(ItemSummary::of([0, 6, 3]).counts, [0, 0, 1, 0, 0]);
        let merged = ItemSummary::of([5, 4]).merge(ItemSummary::of([1]));
        assert_eq!(merged.counts, [1, 0, 0, 1, 1]);

        let rows = [[5, 4, 3, 2, 1], [3, 4, 5, 2, 1]];
        let items = summarize(&rows);
        assert_eq!(items[0].counts, [0, 0, 1, 0, 1]);
        assert_eq!(items[1].mean_text(), "4.00");
        assert_eq!(items[4].counts, [2, 0, 0, 0, 0]);

        assert_eq!(response_rate(3, 4), Some(75));
        assert_eq!(response_rate(2, 3), Some(67));
        assert_eq!(response_rate(1, 8), Some(13), "12.5 rounds up");
        assert_eq!(response_rate(0, 0), None);
        assert_eq!(response_text(3, 4), "3 of 4 (75%)");
        assert_eq!(response_text(0, 0), "0 of 0");
    }

    #[test]
    fn invitations_and_prompts_follow_the_end_of_the_class() {
        let now = at(12);
        assert_eq!(now - invite_since(now), Duration::days(INVITE_WITHIN_DAYS));
        assert_eq!(now - prompt_since(now), Duration::days(PROMPT_DAYS));
    }

    #[test]
    fn a_published_comment_is_signed_with_first_name_and_agency() {
        assert_eq!(
            attribution("Dana Q. Director", "Denver Police Department"),
            "Dana, Denver Police Department"
        );
        assert_eq!(attribution("Dana Director", "  "), "Dana");
        assert_eq!(attribution("", "Denver 911"), "A participant, Denver 911");
        assert_eq!(Item::Balance.label(3), "Neutral");
        assert_eq!(Item::Overall.label(5), "Excellent");
        assert_eq!(Item::Overall.label(0), "");
    }
}
