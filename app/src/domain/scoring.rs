//! Scoring one answer. Points are counted in hundredths (centi-points) so that partial
//! credit adds up exactly.
//!
//! The rules, as the attendee's review states them:
//! - single choice and true/false: the chosen option's weight (100% for the right one);
//! - multiple choice: the sum of the chosen options' weights, never below 0 nor above the
//!   question's points. Its wrong options must carry negative weights that together cancel
//!   the right ones ([`multiple_answer_loophole`], checked when a question is saved, imported
//!   or its key corrected, and when a test is published), so that every wrong tick costs
//!   points and ticking every option scores 0: a question whose wrong options cost nothing
//!   would give full marks for ticking everything;
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

/// How ticking options of a multiple-answer question could earn more than its key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loophole {
    /// The wrong option at `index` (written order) weighs 0%: ticking it costs nothing.
    FreeWrongOption { index: usize },
    /// Every wrong option costs something, but ticking every option still earns `percent`.
    TickingAllEarns { percent: i64 },
}

/// Whether a multiple-answer key (weights in percent, written order) can be gamed. A key
/// whose options are all right has none (ticking them all is the answer). Otherwise every
/// wrong option (weight 0 or less) must weigh less than 0, and all weights together must add
/// up to 0 or less, so that ticking every option scores nothing: Moodle's advice for its
/// multiple-answer questions, made a rule. Scoring itself stays the plain sum, so attempts
/// already scored keep their scores.
pub fn multiple_answer_loophole(weights: &[i64]) -> Option<Loophole> {
    if weights.iter().all(|w| *w > 0) {
        return None;
    }
    if let Some(index) = weights.iter().position(|w| *w == 0) {
        return Some(Loophole::FreeWrongOption { index });
    }
    let all: i64 = weights.iter().sum();
    (all > 0).then_some(Loophole::TickingAllEarns {
        percent: all.min(100),
    })
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
    fn wrong_options_that_cost_nothing_are_a_loophole() {
        use Loophole::*;
        assert_eq!(multiple_answer_loophole(&[50, -50, 50, -50]), None);
        assert_eq!(multiple_answer_loophole(&[50, 50, -100]), None);
        assert_eq!(multiple_answer_loophole(&[33, 33, 34]), None, "all right");
        assert_eq!(
            multiple_answer_loophole(&[50, 0, 50, 0]),
            Some(FreeWrongOption { index: 1 }),
            "the issue's question: ticking all four scored 100%"
        );
        assert_eq!(
            multiple_answer_loophole(&[50, 50, -50]),
            Some(TickingAllEarns { percent: 50 })
        );
        assert_eq!(
            multiple_answer_loophole(&[34, 33, 33, -33, -33, -33]),
            Some(TickingAllEarns { percent: 1 })
        );
        assert_eq!(multiple_answer_loophole(&[34, 33, 33, -34, -33, -33]), None);
        // Ticking all four of the issue's question is full marks today, which the rule forbids.
        let loophole = choice(&[50, 0, 50, 0], true);
        assert_eq!(
            score(&loophole, 1, picked(&[0, 1, 2, 3]).as_ref()),
            Scored::Points(100)
        );
    }

    /// Multiple-answer keys as the editor accepts them before the rule: right weights adding
    /// up to 99 or 100, wrong ones from -100 to 0.
    fn keys() -> impl proptest::strategy::Strategy<Value = Vec<i64>> {
        use proptest::prelude::*;
        (1usize..=4, proptest::collection::vec(-100i64..=0, 1..=4)).prop_flat_map(
            |(rights, wrongs)| {
                proptest::collection::vec(1i64..=100, rights).prop_map(move |raw| {
                    // Scale the right weights to add up to 100.
                    let total: i64 = raw.iter().sum();
                    let mut right: Vec<i64> =
                        raw.iter().map(|w| (w * 100 / total).max(1)).collect();
                    let gap = 100 - right.iter().sum::<i64>();
                    right[0] = (right[0] + gap).max(1);
                    right.into_iter().chain(wrongs.clone()).collect()
                })
            },
        )
    }

    proptest::proptest! {
        /// A key the rule accepts gives nothing for ticking everything, and every wrong tick
        /// lowers the score of any answer that has something to lose.
        #[test]
        fn a_key_without_loophole_cannot_be_gamed(weights in keys(), mask in proptest::prelude::any::<u16>()) {
            let key = choice(&weights, true);
            let chosen: Vec<usize> = (0..weights.len()).filter(|i| mask & (1 << i) != 0).collect();
            let right_only: Vec<usize> = chosen.iter().copied().filter(|&i| weights[i] > 0).collect();
            let all: Vec<usize> = (0..weights.len()).collect();
            let points = |picks: &[usize]| score(&key, 1, Some(&Response::Choice(picks.to_vec())));
            match multiple_answer_loophole(&weights) {
                None => {
                    proptest::prop_assert_eq!(points(&all), Scored::Points(0));
                    let (Scored::Points(with), Scored::Points(without)) = (points(&chosen), points(&right_only)) else {
                        unreachable!("choices are scored at once")
                    };
                    proptest::prop_assert!(with <= without);
                    if chosen.len() > right_only.len() && without > 0 {
                        proptest::prop_assert!(with < without, "a wrong tick costs something");
                    }
                }
                // What the rule refuses is exactly what could be gamed: a free wrong tick, or
                // points for ticking everything.
                Some(Loophole::FreeWrongOption { index }) => {
                    proptest::prop_assert_eq!(weights[index], 0);
                }
                Some(Loophole::TickingAllEarns { percent }) => {
                    proptest::prop_assert!(percent > 0);
                    proptest::prop_assert_eq!(points(&all), Scored::Points(percent));
                }
            }
        }
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
