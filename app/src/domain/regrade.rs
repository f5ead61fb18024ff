//! Correcting the key of one question version and regrading the attempts that drew it.
//!
//! A correction changes the weights of a version's options (for a short answer, of its
//! accepted answers) in place, because the key was wrong for everyone who drew that version;
//! the texts do not change. Editing a question in the bank instead makes a new version, for
//! future attempts.
//!
//! [`plan`] is the one place that decides what a correction does. The preview shows its plan;
//! applying recomputes it inside the write transaction and writes exactly that plan, so what
//! was previewed and what is written cannot differ (and [`Plan::fingerprint`] lets the
//! apply refuse when the attempts moved on since the preview).
//!
//! The rules:
//! - an item graded by hand keeps its grade: an instructor decided it, the key did not;
//! - an item whose new score would wait for an instructor keeps its old score. Only a short
//!   answer matching no accepted answer waits, and a correction changes weights, not texts,
//!   so such an answer did not match before either: it keeps what it had (nothing yet, or
//!   an instructor's grade);
//! - an attempt still in progress is not part of a regrade: it is scored when it finishes,
//!   with the key in place then;
//! - the new result comes from [`outcome`] with the test's pass mark; the old one is the
//!   result as recorded. An attempt whose item keeps its score is not touched at all.

use super::{
    grading::{outcome, Outcome},
    question::{check, QuestionDraft, QuestionKind},
    scoring::{score, Key, Response, Scored},
};
use serde::{Deserialize, Serialize};

/// One finished attempt (submitted or closed at the deadline) that drew the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub attempt_id: i64,
    /// How the attempt is shown: its anonymous code, or a name for administrators.
    pub label: String,
    /// The attempt's item that holds the version (a draw never repeats a question).
    pub item_id: i64,
    /// The item's score in hundredths (None: waiting for an instructor).
    pub item_score: Option<i64>,
    pub response: Option<Response>,
    pub hand_graded: bool,
    /// The scores of the attempt's other items.
    pub other_scores: Vec<Option<i64>>,
    pub max_centi: i64,
    pub pass_percent: i64,
    /// The attempt's total as recorded (the scored items' sum while some wait).
    pub recorded_score: i64,
    /// Pass or fail as recorded (None while items wait for an instructor).
    pub recorded_passed: Option<bool>,
}

/// What a change does to an attempt's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    FailToPass,
    PassToFail,
    /// The score moves, the result does not (or is still waiting for grading).
    ScoreOnly,
}

impl Effect {
    /// "fail → pass", "pass → fail", "score only".
    pub fn words(self) -> &'static str {
        match self {
            Effect::FailToPass => "fail → pass",
            Effect::PassToFail => "pass → fail",
            Effect::ScoreOnly => "score only",
        }
    }
}

/// One attempt whose item scores differently under the corrected key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub attempt_id: i64,
    pub label: String,
    pub item_id: i64,
    pub old_item: Option<i64>,
    pub new_item: i64,
    pub old_score: i64,
    pub new_score: i64,
    pub max_centi: i64,
    pub old_passed: Option<bool>,
    pub new_passed: Option<bool>,
    pub effect: Effect,
}

/// Everything a correction does to the attempts that drew the version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The corrected weights, in written order.
    pub weights: Vec<i64>,
    /// By attempt id.
    pub changes: Vec<Change>,
    /// Attempts whose item scores the same under both keys.
    pub unchanged: usize,
    /// Items graded by hand, kept as graded.
    pub kept_hand_graded: usize,
    /// Short answers matching no accepted answer, kept as they were.
    pub kept_unmatched: usize,
}

impl Plan {
    /// The attempts whose pass or fail changes.
    pub fn flips(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.effect != Effect::ScoreOnly)
    }

    /// A short digest of what the plan writes (labels aside): the same plan, the same text.
    /// The preview carries it so that applying can refuse a plan that moved on since.
    pub fn fingerprint(&self) -> String {
        let mut text = format!(
            "{:?}|{}|{}|{}",
            self.weights, self.unchanged, self.kept_hand_graded, self.kept_unmatched
        );
        for c in &self.changes {
            text.push_str(&format!(
                "|{},{},{:?},{},{},{},{},{:?},{:?}",
                c.attempt_id,
                c.item_id,
                c.old_item,
                c.new_item,
                c.old_score,
                c.new_score,
                c.max_centi,
                c.old_passed,
                c.new_passed
            ));
        }
        // FNV-1a: stable across builds and platforms, unlike the std hasher.
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{hash:016x}")
    }
}

/// The plan of regrading `drawn` with the corrected `key` of a question worth `points`;
/// `weights` are the corrected weights the key was made from.
pub fn plan(key: &Key, points: i64, weights: &[i64], drawn: &[Drawn]) -> Plan {
    let mut plan = Plan {
        weights: weights.to_vec(),
        changes: Vec::new(),
        unchanged: 0,
        kept_hand_graded: 0,
        kept_unmatched: 0,
    };
    for d in drawn {
        if d.hand_graded {
            plan.kept_hand_graded += 1;
            continue;
        }
        let new_item = match score(key, points, d.response.as_ref()) {
            Scored::Points(p) => p,
            Scored::NeedsGrading => {
                plan.kept_unmatched += 1;
                continue;
            }
        };
        if d.item_score == Some(new_item) {
            plan.unchanged += 1;
            continue;
        }
        let mut scores = d.other_scores.clone();
        scores.push(Some(new_item));
        let (new_score, new_passed) = match outcome(&scores, d.max_centi, d.pass_percent) {
            Outcome::Final {
                score_centi,
                passed,
                ..
            } => (score_centi, Some(passed)),
            Outcome::AwaitingGrading => (scores.iter().flatten().sum(), None),
        };
        let effect = match (d.recorded_passed, new_passed) {
            (Some(false), Some(true)) => Effect::FailToPass,
            (Some(true), Some(false)) => Effect::PassToFail,
            _ => Effect::ScoreOnly,
        };
        plan.changes.push(Change {
            attempt_id: d.attempt_id,
            label: d.label.clone(),
            item_id: d.item_id,
            old_item: d.item_score,
            new_item,
            old_score: d.recorded_score,
            new_score,
            max_centi: d.max_centi,
            old_passed: d.recorded_passed,
            new_passed,
            effect,
        });
    }
    plan.changes.sort_by_key(|c| c.attempt_id);
    plan
}

/// Reads one weight as typed: a whole percent from -100 to 100 ("50", "-25", "100%").
pub fn parse_weight(input: &str) -> Result<i64, String> {
    let typed = input.trim().trim_end_matches('%').trim();
    match typed.parse::<i64>() {
        Ok(w) if (-100..=100).contains(&w) => Ok(w),
        _ => Err("Enter a whole percent from -100 to 100.".into()),
    }
}

/// The version `draft` with `weights` in place of its options' weights, checked as the bank
/// checks any question (a single choice needs exactly one option at 100%, and so on). The
/// message is for the weights as a whole.
pub fn correct(draft: &QuestionDraft, weights: &[i64]) -> Result<QuestionDraft, String> {
    if draft.kind == QuestionKind::Essay {
        return Err("An essay has no key to correct: grade its answers by hand.".into());
    }
    if weights.len() != draft.options.len() {
        return Err(format!(
            "Give a weight for each of the {} options.",
            draft.options.len()
        ));
    }
    if draft
        .options
        .iter()
        .zip(weights)
        .all(|(o, w)| o.weight_percent == *w)
    {
        return Err("These are the weights in place now: change at least one.".into());
    }
    let mut corrected = draft.clone();
    for (o, w) in corrected.options.iter_mut().zip(weights) {
        o.weight_percent = *w;
    }
    check(&corrected).map_err(|e| e.message)?;
    Ok(corrected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::question::{key, OptionDraft};

    fn draft(kind: QuestionKind, weights: &[(&str, i64)]) -> QuestionDraft {
        QuestionDraft {
            topic_id: Some(1),
            group_id: None,
            kind,
            title: String::new(),
            stem: "Who leads a CIT program?".into(),
            points: 2,
            explanation: String::new(),
            pin_order: false,
            options: weights
                .iter()
                .map(|(text, w)| OptionDraft {
                    text: (*text).into(),
                    weight_percent: *w,
                    feedback: String::new(),
                })
                .collect(),
        }
    }

    /// An attempt of four 2-point items, pass mark 75% (6 of 8 points): the three others
    /// scored `others` points each; the regraded item was chosen as `picked`.
    fn drawn(id: i64, others: [i64; 3], picked: usize, old_item: i64) -> Drawn {
        let other_scores: Vec<Option<i64>> = others.iter().map(|p| Some(p * 100)).collect();
        let recorded_score = others.iter().sum::<i64>() * 100 + old_item;
        Drawn {
            attempt_id: id,
            label: format!("A{id}"),
            item_id: id * 10,
            item_score: Some(old_item),
            response: Some(Response::Choice(vec![picked])),
            hand_graded: false,
            other_scores,
            max_centi: 800,
            pass_percent: 75,
            recorded_score,
            recorded_passed: Some(recorded_score * 100 >= 75 * 800),
        }
    }

    #[test]
    fn a_wrong_single_choice_key_flips_both_ways() {
        // The key said option 0; the right answer is option 1.
        let weights = [0, 100, 0];
        let k = key(
            QuestionKind::Single,
            &draft(QuestionKind::Single, &[("a", 0), ("b", 100), ("c", 0)]).options,
        );
        let attempts = [
            // Picked 1, scored 0 under the wrong key: 4 of 8, fail → 6 of 8, pass.
            drawn(1, [2, 2, 0], 1, 0),
            // Picked 0, scored 2: 6 of 8, pass → 4 of 8, fail.
            drawn(2, [2, 2, 0], 0, 200),
            // Picked 0, scored 2: 8 of 8 → 6 of 8, still a pass.
            drawn(3, [2, 2, 2], 0, 200),
            // Picked 2: 0 under both keys, untouched.
            drawn(4, [2, 2, 2], 2, 0),
        ];
        let p = plan(&k, 2, &weights, &attempts);
        let summary: Vec<(i64, Option<i64>, i64, i64, i64, Effect)> = p
            .changes
            .iter()
            .map(|c| {
                (
                    c.attempt_id,
                    c.old_item,
                    c.new_item,
                    c.old_score,
                    c.new_score,
                    c.effect,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, Some(0), 200, 400, 600, Effect::FailToPass),
                (2, Some(200), 0, 600, 400, Effect::PassToFail),
                (3, Some(200), 0, 800, 600, Effect::ScoreOnly),
            ]
        );
        assert_eq!(p.unchanged, 1);
        assert_eq!(p.flips().count(), 2);
        assert_eq!(Effect::FailToPass.words(), "fail → pass");
    }

    #[test]
    fn hand_grades_and_unmatched_answers_are_kept_and_pending_stays_pending() {
        let k = Key::ShortAnswer {
            accepted: vec![
                ("Crisis Intervention Team".into(), 100),
                ("CIT".into(), 100),
            ],
        };
        let text = |t: &str| Some(Response::Text(t.into()));
        let base = |id, response, item_score, hand_graded| Drawn {
            attempt_id: id,
            label: String::new(),
            item_id: id,
            item_score,
            response,
            hand_graded,
            other_scores: vec![Some(100)],
            max_centi: 300,
            pass_percent: 80,
            recorded_score: 100 + item_score.unwrap_or(0),
            recorded_passed: item_score.map(|s| (100 + s) * 100 >= 80 * 300),
        };
        let attempts = [
            // "CIT" was worth 50%, now 100%: rescored.
            base(1, text("cit"), Some(100), false),
            // Graded by hand: kept, whatever the key says.
            base(2, text("cit"), Some(50), true),
            // Matches nothing: waits for an instructor, so it keeps its old score.
            base(3, text("crisis team"), None, false),
        ];
        let p = plan(&k, 2, &[100, 100], &attempts);
        assert_eq!(
            (p.kept_hand_graded, p.kept_unmatched, p.unchanged),
            (1, 1, 0)
        );
        assert_eq!(p.changes.len(), 1);
        let c = &p.changes[0];
        assert_eq!(
            (c.new_item, c.new_score, c.new_passed, c.effect),
            (200, 300, Some(true), Effect::FailToPass)
        );

        // Another item still waits: the score moves, the result stays pending.
        let pending = Drawn {
            other_scores: vec![None],
            recorded_score: 100,
            recorded_passed: None,
            ..base(4, text("cit"), Some(100), false)
        };
        let p = plan(&k, 2, &[100, 100], &[pending]);
        assert_eq!(
            (
                p.changes[0].new_score,
                p.changes[0].new_passed,
                p.changes[0].effect
            ),
            (200, None, Effect::ScoreOnly)
        );
    }

    #[test]
    fn the_fingerprint_follows_what_is_written_not_the_labels() {
        let k = Key::Choice {
            weights: vec![0, 100],
            multiple: false,
        };
        let a = [drawn(1, [2, 2, 0], 1, 0)];
        let p = plan(&k, 2, &[0, 100], &a);
        let mut relabelled = a.clone();
        relabelled[0].label = "Jane Doe".into();
        assert_eq!(
            p.fingerprint(),
            plan(&k, 2, &[0, 100], &relabelled).fingerprint()
        );
        let mut graded = a.clone();
        graded[0].other_scores[2] = Some(100);
        assert_ne!(
            p.fingerprint(),
            plan(&k, 2, &[0, 100], &graded).fingerprint()
        );
        assert_eq!(p.fingerprint().len(), 16);
    }

    #[test]
    fn the_same_inputs_give_the_same_plan() {
        // Preview and apply both call `plan`; equal inputs must give an equal plan.
        let k = Key::Choice {
            weights: vec![50, 50, -50],
            multiple: true,
        };
        let a = [drawn(2, [2, 2, 1], 0, 0), drawn(1, [2, 2, 2], 2, 100)];
        let first = plan(&k, 2, &[50, 50, -50], &a);
        assert_eq!(first, plan(&k, 2, &[50, 50, -50], &a));
        assert_eq!(
            first.fingerprint(),
            plan(&k, 2, &[50, 50, -50], &a).fingerprint()
        );
        let ids: Vec<i64> = first.changes.iter().map(|c| c.attempt_id).collect();
        assert_eq!(ids, vec![1, 2], "by attempt id, whatever the input order");
    }

    #[test]
    fn weights_are_read_as_whole_percents() {
        assert_eq!(parse_weight(" 50 "), Ok(50));
        assert_eq!(parse_weight("-25"), Ok(-25));
        assert_eq!(parse_weight("100%"), Ok(100));
        assert!(parse_weight("101").is_err());
        assert!(parse_weight("12.5").is_err());
        assert!(parse_weight("").is_err());
    }

    #[test]
    fn a_correction_is_checked_like_any_question() {
        let single = draft(QuestionKind::Single, &[("a", 100), ("b", 0)]);
        let fixed = correct(&single, &[0, 100]).unwrap();
        assert_eq!(fixed.options[1].weight_percent, 100);
        assert_eq!(fixed.stem, single.stem, "texts do not change");
        assert!(correct(&single, &[0, 0])
            .unwrap_err()
            .contains("exactly one"));
        assert!(correct(&single, &[100, 0])
            .unwrap_err()
            .contains("in place now"));
        assert!(correct(&single, &[0, 100, 0])
            .unwrap_err()
            .contains("each of the 2"));
        let multiple = draft(QuestionKind::Multiple, &[("a", 50), ("b", 50), ("c", 0)]);
        assert!(correct(&multiple, &[50, 0, 0])
            .unwrap_err()
            .contains("add up to 100%"));
        let short = draft(QuestionKind::ShortAnswer, &[("CIT", 100)]);
        assert!(correct(&short, &[0])
            .unwrap_err()
            .contains("accepted answer"));
        assert!(correct(&draft(QuestionKind::Essay, &[]), &[])
            .unwrap_err()
            .contains("essay"));
    }
}
