//! A question of the bank as authors write it, checked before it is saved, and the scoring
//! key derived from it (which stays on the server until an attempt is final).

use super::{
    person::FieldError,
    scoring::{multiple_answer_loophole, Key, Loophole},
};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
    ShortAnswer,
    Essay,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
        QuestionKind::ShortAnswer,
        QuestionKind::Essay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::ShortAnswer => "short_answer",
            QuestionKind::Essay => "essay",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Single => "Single choice",
            QuestionKind::Multiple => "Multiple choice (partial credit)",
            QuestionKind::TrueFalse => "True or false",
            QuestionKind::ShortAnswer => "Short answer",
            QuestionKind::Essay => "Essay (graded by hand)",
        }
    }

    /// The person picks among options (as opposed to typing).
    pub fn has_choices(self) -> bool {
        matches!(
            self,
            QuestionKind::Single | QuestionKind::Multiple | QuestionKind::TrueFalse
        )
    }
}

impl FromStr for QuestionKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        QuestionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QuestionStatus {
    Draft,
    Active,
    Retired,
}

impl QuestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::Draft => "draft",
            QuestionStatus::Active => "active",
            QuestionStatus::Retired => "retired",
        }
    }
}

impl FromStr for QuestionStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "draft" => Ok(QuestionStatus::Draft),
            "active" => Ok(QuestionStatus::Active),
            "retired" => Ok(QuestionStatus::Retired),
            _ => Err(()),
        }
    }
}

/// An option (or, for short answer, an accepted answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionDraft {
    pub text: String,
    /// Share of the points, -100 to 100.
    pub weight_percent: i64,
    pub feedback: String,
}

/// A question as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDraft {
    pub topic_id: Option<i64>,
    pub group_id: Option<i64>,
    pub kind: QuestionKind,
    pub title: String,
    /// Markdown.
    pub stem: String,
    pub points: i64,
    pub explanation: String,
    pub pin_order: bool,
    pub options: Vec<OptionDraft>,
}

/// Longest stem, option or explanation.
pub const MAX_TEXT: usize = 10_000;

/// Checks a question: a stem; points 1-100; for single choice and true/false exactly one
/// option worth 100%; for multiple choice positive weights adding up to 100% and wrong
/// options that cannot be gamed ([`no_loophole`]); for short answer at least one accepted
/// answer with a positive weight; no options for an essay.
pub fn check(q: &QuestionDraft) -> Result<(), FieldError> {
    if q.stem.trim().is_empty() {
        return Err(FieldError::new("stem", "Write the question."));
    }
    if q.stem.chars().count() > MAX_TEXT || q.explanation.chars().count() > MAX_TEXT {
        return Err(FieldError::new(
            "stem",
            "Keep the question and its explanation under 10,000 characters each.",
        ));
    }
    if !(1..=100).contains(&q.points) {
        return Err(FieldError::new(
            "points",
            "Give the question 1 to 100 points.",
        ));
    }
    let options = &q.options;
    if options.iter().any(|o| o.text.trim().is_empty()) {
        return Err(FieldError::new("options", "An option has no text."));
    }
    if options
        .iter()
        .any(|o| !(-100..=100).contains(&o.weight_percent))
    {
        return Err(FieldError::new(
            "options",
            "Weights run from -100% to 100%.",
        ));
    }
    let full = options.iter().filter(|o| o.weight_percent == 100).count();
    match q.kind {
        QuestionKind::Single | QuestionKind::TrueFalse => {
            let true_false = q.kind == QuestionKind::TrueFalse;
            if options.len() < 2 || (true_false && options.len() != 2) {
                return Err(FieldError::new(
                    "options",
                    "Give at least two options (true or false: exactly two).",
                ));
            }
            if full != 1 {
                return Err(FieldError::new(
                    "options",
                    "Mark exactly one option as the right answer (100%).",
                ));
            }
        }
        QuestionKind::Multiple => {
            if options.len() < 2 {
                return Err(FieldError::new("options", "Give at least two options."));
            }
            let positive: i64 = options
                .iter()
                .map(|o| o.weight_percent)
                .filter(|w| *w > 0)
                .sum();
            if !(99..=100).contains(&positive) {
                return Err(FieldError::new(
                    "options",
                    format!("The right options' weights must add up to 100% (they add up to {positive}%)."),
                ));
            }
            let weights: Vec<i64> = options.iter().map(|o| o.weight_percent).collect();
            no_loophole(&weights, |i| options.get(i).map(|o| o.text.as_str()))?;
        }
        QuestionKind::ShortAnswer => {
            if !options.iter().any(|o| o.weight_percent > 0) {
                return Err(FieldError::new(
                    "options",
                    "Give at least one accepted answer.",
                ));
            }
        }
        QuestionKind::Essay => {
            if !options.is_empty() {
                return Err(FieldError::new(
                    "options",
                    "An essay question has no options.",
                ));
            }
        }
    }
    Ok(())
}

/// Refuses a multiple-answer key that ticking every option would game (the rule is
/// [`multiple_answer_loophole`]); `text` gives an option's text by its written place, to name
/// it. Also used when a test is published, for questions saved before the rule.
pub fn no_loophole<'a>(
    weights: &[i64],
    text: impl Fn(usize) -> Option<&'a str>,
) -> Result<(), FieldError> {
    let right: i64 = weights.iter().filter(|w| **w > 0).sum();
    let message = match multiple_answer_loophole(weights) {
        None => return Ok(()),
        Some(Loophole::FreeWrongOption { index }) => {
            let name: String = text(index).unwrap_or_default().chars().take(60).collect();
            format!(
                "The wrong option \"{name}\" takes no points away, so ticking every option would earn full marks: give each wrong option a negative weight, together -{right}% or less (e.g. ~%-50%)."
            )
        }
        Some(Loophole::TickingAllEarns { percent }) => format!(
            "Ticking every option would still earn {percent}%: make the wrong options' negative weights add up to -{right}% or less."
        ),
    };
    Err(FieldError::new("options", message))
}

/// The scoring key of a checked question.
pub fn key(kind: QuestionKind, options: &[OptionDraft]) -> Key {
    match kind {
        QuestionKind::Single | QuestionKind::TrueFalse | QuestionKind::Multiple => Key::Choice {
            weights: options.iter().map(|o| o.weight_percent).collect(),
            multiple: kind == QuestionKind::Multiple,
        },
        QuestionKind::ShortAnswer => Key::ShortAnswer {
            accepted: options
                .iter()
                .map(|o| (o.text.clone(), o.weight_percent))
                .collect(),
        },
        QuestionKind::Essay => Key::Essay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(text: &str, weight: i64) -> OptionDraft {
        OptionDraft {
            text: text.into(),
            weight_percent: weight,
            feedback: String::new(),
        }
    }

    fn question(kind: QuestionKind, options: Vec<OptionDraft>) -> QuestionDraft {
        QuestionDraft {
            topic_id: Some(1),
            group_id: None,
            kind,
            title: String::new(),
            stem: "What does CIT stand for?".into(),
            points: 1,
            explanation: String::new(),
            pin_order: false,
            options,
        }
    }

    #[test]
    fn well_formed_questions_pass() {
        use QuestionKind::*;
        for q in [
            question(Single, vec![option("a", 100), option("b", 0)]),
            question(TrueFalse, vec![option("True", 0), option("False", 100)]),
            question(
                Multiple,
                vec![option("a", 50), option("b", 50), option("c", -100)],
            ),
            question(
                Multiple,
                vec![option("a", 33), option("b", 33), option("c", 33)],
            ),
            question(
                Multiple,
                vec![
                    option("a", 34),
                    option("b", 33),
                    option("c", 33),
                    option("d", -50),
                    option("e", -50),
                ],
            ),
            question(ShortAnswer, vec![option("Crisis Intervention Team", 100)]),
            question(Essay, vec![]),
        ] {
            assert_eq!(check(&q), Ok(()), "{q:?}");
        }
    }

    #[test]
    fn malformed_questions_are_refused_with_the_field() {
        use QuestionKind::*;
        let cases = [
            (question(Single, vec![option("a", 100)]), "options"),
            (
                question(Single, vec![option("a", 100), option("b", 100)]),
                "options",
            ),
            (
                question(Single, vec![option("a", 50), option("b", 0)]),
                "options",
            ),
            (
                question(
                    TrueFalse,
                    vec![option("True", 100), option("False", 0), option("Maybe", 0)],
                ),
                "options",
            ),
            (
                question(Multiple, vec![option("a", 50), option("b", 0)]),
                "options",
            ),
            // Wrong options that cost nothing, or not enough to cancel the right ones.
            (
                question(
                    Multiple,
                    vec![
                        option("a", 50),
                        option("b", 0),
                        option("c", 50),
                        option("d", 0),
                    ],
                ),
                "options",
            ),
            (
                question(
                    Multiple,
                    vec![option("a", 50), option("b", 50), option("c", -50)],
                ),
                "options",
            ),
            (question(ShortAnswer, vec![option("x", 0)]), "options"),
            (question(Essay, vec![option("x", 100)]), "options"),
            (
                question(Single, vec![option(" ", 100), option("b", 0)]),
                "options",
            ),
            (
                question(Single, vec![option("a", 150), option("b", 0)]),
                "options",
            ),
            (
                QuestionDraft {
                    stem: "  ".into(),
                    ..question(Essay, vec![])
                },
                "stem",
            ),
            (
                QuestionDraft {
                    points: 0,
                    ..question(Essay, vec![])
                },
                "points",
            ),
        ];
        for (q, field) in cases {
            assert_eq!(check(&q).unwrap_err().field, field, "{q:?}");
        }
    }

    #[test]
    fn a_gameable_key_is_refused_naming_the_option() {
        let q = question(
            QuestionKind::Multiple,
            vec![
                option("Partners", 50),
                option("Only police", 0),
                option("Data", 50),
            ],
        );
        let e = check(&q).unwrap_err();
        assert!(e.message.contains("\"Only police\""), "{}", e.message);
        assert!(e.message.contains("-100% or less"), "{}", e.message);
        let q = question(
            QuestionKind::Multiple,
            vec![option("a", 50), option("b", 50), option("c", -40)],
        );
        assert!(check(&q).unwrap_err().message.contains("still earn 60%"));
    }

    #[test]
    fn the_key_follows_the_kind() {
        let opts = vec![option("a", 100), option("b", 0)];
        assert_eq!(
            key(QuestionKind::Single, &opts),
            Key::Choice {
                weights: vec![100, 0],
                multiple: false
            }
        );
        assert_eq!(key(QuestionKind::Essay, &[]), Key::Essay);
        assert!(matches!(
            key(QuestionKind::ShortAnswer, &opts),
            Key::ShortAnswer { .. }
        ));
    }
}
