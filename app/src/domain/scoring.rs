//! Scoring one answer. Points are counted in hundredths (centi-points) so that partial
//! credit adds up exactly.
//!
//! The rules, as the attendee's review states them:
//! - single choice and true/false: the chosen option's weight (100% for the right one);
//! - multiple choice: the sum of the chosen options' weights (wrong options may carry a
//!   negative weight), never below 0 nor above the question's points;
//! - short answer: the weight of the first accepted answer that matches, ignoring case and
//!   surrounding spaces (and runs of inner spaces); no match waits for an instructor;
//! - essay: always waits for an instructor;
//! - no answer: 0.

use serde::{Deserialize, Serialize};

/// What a question needs for scoring: never sent to a browser before the attempt is final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Key {
    /// Weights of the options in written order (percent of the points).
    Choice {
        weights: Vec<i64>,
        multiple: bool,
    },
    /// Accepted answers with their weights.
    ShortAnswer {
        accepted: Vec<(String, i64)>,
    },
    Essay,
}

/// A saved answer. Option indexes are in written order (not the shuffled display order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Response {
    Choice(Vec<usize>),
    Text(String),
}

/// The result of scoring one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scored {
    /// Hundredths of a point.
    Points(i64),
    /// An instructor decides (essays, unmatched short answers).
    NeedsGrading,
}

/// Scores `response` to a question worth `points` with `key`.
pub fn score(key: &Key, points: i64, response: Option<&Response>) -> Scored {
    let full = points * 100;
    let share = |percent: i64| full * percent / 100;
    match (key, response) {
        (Key::Essay, _) => Scored::NeedsGrading,
        (_, None) => Scored::Points(0),
        (Key::Choice { weights, multiple }, Some(Response::Choice(chosen))) => {
            let mut picked: Vec<usize> = chosen.clone();
            picked.sort_unstable();
            picked.dedup();
            if !multiple && picked.len() > 1 {
                // A forged request: one choice only.
                return Scored::Points(0);
            }
            let percent: i64 = picked.iter().filter_map(|&i| weights.get(i)).sum();
            Scored::Points(share(percent.clamp(0, 100)))
        }
        (Key::ShortAnswer { accepted }, Some(Response::Text(text))) => {
            let typed = normalise(text);
            if typed.is_empty() {
                return Scored::Points(0);
            }
            match accepted.iter().find(|(a, _)| normalise(a) == typed) {
                Some((_, weight)) => Scored::Points(share((*weight).clamp(0, 100))),
                None => Scored::NeedsGrading,
            }
        }
        // A response of the wrong shape scores nothing.
        (_, Some(_)) => Scored::Points(0),
    }
}

/// Lowercase, trimmed, inner runs of whitespace as one space.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(weights: &[i64], multiple: bool) -> Key {
        Key::Choice {
            weights: weights.to_vec(),
            multiple,
        }
    }

    fn picked(i: &[usize]) -> Option<Response> {
        Some(Response::Choice(i.to_vec()))
    }

    #[test]
    fn single_choice_and_true_false() {
        let key = choice(&[0, 100, 0], false);
        assert_eq!(score(&key, 2, picked(&[1]).as_ref()), Scored::Points(200));
        assert_eq!(score(&key, 2, picked(&[0]).as_ref()), Scored::Points(0));
        assert_eq!(score(&key, 2, None), Scored::Points(0));
        assert_eq!(
            score(&key, 2, picked(&[0, 1]).as_ref()),
            Scored::Points(0),
            "two picks on a single choice"
        );
        assert_eq!(
            score(&key, 2, picked(&[7]).as_ref()),
            Scored::Points(0),
            "an index out of range"
        );
    }

    #[test]
    fn multiple_choice_partial_credit_with_penalties_clamped() {
        // Two right answers at 50% each, two wrong at -50%.
        let key = choice(&[50, -50, 50, -50], true);
        assert_eq!(
            score(&key, 3, picked(&[0, 2]).as_ref()),
            Scored::Points(300)
        );
        assert_eq!(score(&key, 3, picked(&[0]).as_ref()), Scored::Points(150));
        assert_eq!(score(&key, 3, picked(&[0, 1]).as_ref()), Scored::Points(0));
        assert_eq!(
            score(&key, 3, picked(&[1, 3]).as_ref()),
            Scored::Points(0),
            "never below zero"
        );
        assert_eq!(
            score(&key, 3, picked(&[0, 0, 2]).as_ref()),
            Scored::Points(300),
            "a repeated pick counts once"
        );
        // Thirds add up exactly in hundredths of a point.
        let thirds = choice(&[33, 33, 34], true);
        assert_eq!(
            score(&thirds, 1, picked(&[0, 1, 2]).as_ref()),
            Scored::Points(100)
        );
    }

    #[test]
    fn short_answers_match_loosely_or_wait_for_an_instructor() {
        let key = Key::ShortAnswer {
            accepted: vec![("Crisis Intervention Team".into(), 100), ("CIT".into(), 50)],
        };
        let text = |t: &str| Some(Response::Text(t.into()));
        assert_eq!(
            score(&key, 1, text("  crisis   intervention team ").as_ref()),
            Scored::Points(100)
        );
        assert_eq!(score(&key, 1, text("cit").as_ref()), Scored::Points(50));
        assert_eq!(
            score(&key, 1, text("crisis team").as_ref()),
            Scored::NeedsGrading
        );
        assert_eq!(score(&key, 1, text("   ").as_ref()), Scored::Points(0));
        assert_eq!(
            score(&Key::Essay, 5, text("My essay").as_ref()),
            Scored::NeedsGrading
        );
        assert_eq!(score(&Key::Essay, 5, None), Scored::NeedsGrading);
    }

    #[test]
    fn a_response_of_the_wrong_shape_scores_nothing() {
        let key = choice(&[100, 0], false);
        assert_eq!(
            score(&key, 1, Some(&Response::Text("0".into()))),
            Scored::Points(0)
        );
    }

    #[test]
    fn responses_serialise_as_tagged_json() {
        let json = serde_json::to_string(&Response::Choice(vec![2, 0])).unwrap();
        assert_eq!(json, r#"{"kind":"choice","value":[2,0]}"#);
        let back: Response = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Response::Choice(vec![2, 0]));
    }
}
