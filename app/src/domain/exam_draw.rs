//! Drawing a test from the question bank: for each topic of the blueprint, that many active
//! questions at random, plus whole scenario groups (a case vignette with its questions, kept
//! together and in their written order); then, when the exam says so, the questions and
//! each question's options shuffled. Everything comes from one seed stored on the attempt:
//! the same seed and bank give the same test. The draw is also frozen into the attempt when
//! it starts, so a later change of the bank (or of the `rand` crate's algorithms) never
//! changes a test someone is taking.

use rand::{seq::SliceRandom, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// One active question, as the draw sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankItem {
    pub question_id: i64,
    pub topic_id: i64,
    /// The scenario group it belongs to; such questions are drawn only with their group.
    pub group_id: Option<i64>,
    /// Options to order (0 for short answer and essay).
    pub option_count: usize,
    /// The author fixed the option order ("All of the above" last, say).
    pub pin_order: bool,
}

/// How many questions of each topic, and how many scenario groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blueprint {
    /// topic id -> number of standalone questions.
    pub per_topic: BTreeMap<i64, usize>,
    pub scenario_groups: usize,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
}

impl Blueprint {
    pub fn total_questions_without_groups(&self) -> usize {
        self.per_topic.values().sum()
    }
}

/// One drawn item, in test order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnItem {
    pub question_id: i64,
    /// The order options are shown in: indexes into the question's options as written.
    pub option_order: Vec<usize>,
}

/// Why a bank cannot serve a blueprint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("Topic {topic_id} has {have} active questions; the blueprint draws {need}.")]
    TooFewQuestions {
        topic_id: i64,
        have: usize,
        need: usize,
    },
    #[error("The bank has {have} active scenario groups; the blueprint draws {need}.")]
    TooFewGroups { have: usize, need: usize },
    #[error("The blueprint draws no questions.")]
    Empty,
}

/// Whether `bank` can serve `blueprint` at all: checked when an exam is published, so that
/// nobody finds out when they start.
pub fn check_coverage(bank: &[BankItem], blueprint: &Blueprint) -> Result<(), DrawError> {
    if blueprint.total_questions_without_groups() == 0 && blueprint.scenario_groups == 0 {
        return Err(DrawError::Empty);
    }
    for (&topic_id, &need) in &blueprint.per_topic {
        let have = standalone(bank, topic_id).count();
        if have < need {
            return Err(DrawError::TooFewQuestions {
                topic_id,
                have,
                need,
            });
        }
    }
    let have = groups(bank).len();
    if have < blueprint.scenario_groups {
        return Err(DrawError::TooFewGroups {
            have,
            need: blueprint.scenario_groups,
        });
    }
    Ok(())
}

fn standalone(bank: &[BankItem], topic_id: i64) -> impl Iterator<Item = &BankItem> {
    bank.iter()
        .filter(move |q| q.topic_id == topic_id && q.group_id.is_none())
}

/// Each group's questions in written (bank) order, groups by id.
fn groups(bank: &[BankItem]) -> BTreeMap<i64, Vec<&BankItem>> {
    let mut out: BTreeMap<i64, Vec<&BankItem>> = BTreeMap::new();
    for q in bank {
        if let Some(g) = q.group_id {
            out.entry(g).or_default().push(q);
        }
    }
    out
}

/// Draws a test. `bank` is the active questions in a stable order (by id, say): the same
/// seed and bank give the same test.
pub fn draw(
    bank: &[BankItem],
    blueprint: &Blueprint,
    seed: u64,
) -> Result<Vec<DrawnItem>, DrawError> {
    check_coverage(bank, blueprint)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Blocks: a standalone question is a block of one; a scenario group is one block.
    let mut blocks: Vec<Vec<&BankItem>> = Vec::new();
    for (&topic_id, &need) in &blueprint.per_topic {
        let mut pool: Vec<&BankItem> = standalone(bank, topic_id).collect();
        pool.shuffle(&mut rng);
        blocks.extend(pool.into_iter().take(need).map(|q| vec![q]));
    }
    let mut group_pool: Vec<Vec<&BankItem>> = groups(bank).into_values().collect();
    group_pool.shuffle(&mut rng);
    blocks.extend(group_pool.into_iter().take(blueprint.scenario_groups));
    if blueprint.shuffle_questions {
        blocks.shuffle(&mut rng);
    }
    Ok(blocks
        .into_iter()
        .flatten()
        .map(|q| {
            let mut option_order: Vec<usize> = (0..q.option_count).collect();
            if blueprint.shuffle_options && !q.pin_order {
                option_order.shuffle(&mut rng);
            }
            DrawnItem {
                question_id: q.question_id,
                option_order,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `per_topic` questions on each of `topics` topics, ids topic*100 + n, 4 options each,
    /// plus `groups` scenario groups of 3 questions on topic 99.
    fn bank(topics: i64, per_topic: i64, groups: i64) -> Vec<BankItem> {
        let mut out = Vec::new();
        for t in 1..=topics {
            for n in 0..per_topic {
                out.push(BankItem {
                    question_id: t * 100 + n,
                    topic_id: t,
                    group_id: None,
                    option_count: 4,
                    pin_order: n == 0,
                });
            }
        }
        for g in 1..=groups {
            for n in 0..3 {
                out.push(BankItem {
                    question_id: 10_000 + g * 10 + n,
                    topic_id: 99,
                    group_id: Some(g),
                    option_count: 3,
                    pin_order: false,
                });
            }
        }
        out
    }

    fn blueprint(per_topic: &[(i64, usize)], groups: usize) -> Blueprint {
        Blueprint {
            per_topic: per_topic.iter().copied().collect(),
            scenario_groups: groups,
            shuffle_questions: true,
            shuffle_options: true,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_test_and_another_seed_another() {
        let b = bank(3, 10, 4);
        let bp = blueprint(&[(1, 3), (2, 2), (3, 1)], 2);
        let a = draw(&b, &bp, 42).unwrap();
        assert_eq!(a, draw(&b, &bp, 42).unwrap());
        assert_ne!(a, draw(&b, &bp, 43).unwrap());
        assert_eq!(a.len(), 3 + 2 + 1 + 2 * 3);
    }

    #[test]
    fn the_blueprint_is_always_met_and_groups_stay_whole_and_in_order() {
        let b = bank(3, 6, 4);
        let bp = blueprint(&[(1, 3), (2, 2), (3, 1)], 2);
        for seed in 0..500 {
            let test = draw(&b, &bp, seed).unwrap();
            let topic_of = |id: i64| b.iter().find(|q| q.question_id == id).unwrap();
            for (topic, need) in [(1, 3), (2, 2), (3, 1)] {
                let got = test
                    .iter()
                    .filter(|d| topic_of(d.question_id).topic_id == topic)
                    .count();
                assert_eq!(got, need, "seed {seed}");
            }
            let mut ids: Vec<i64> = test.iter().map(|d| d.question_id).collect();
            // Group members are contiguous and in written order.
            let positions: Vec<usize> = (0..ids.len()).filter(|&i| ids[i] >= 10_000).collect();
            assert_eq!(positions.len(), 6);
            for chunk in positions.chunks(3) {
                assert_eq!(chunk[2] - chunk[0], 2, "seed {seed}: a group was split");
                let (x, y, z) = (ids[chunk[0]], ids[chunk[1]], ids[chunk[2]]);
                assert!(
                    x < y && y < z && z - x == 2,
                    "seed {seed}: group out of order"
                );
            }
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), test.len(), "seed {seed}: a question drawn twice");
        }
    }

    #[test]
    fn every_question_is_drawn_about_equally_often_over_10000_seeds() {
        // 10 questions, 3 drawn: each appears with probability 0.3.
        let b = bank(1, 10, 0);
        let bp = blueprint(&[(1, 3)], 0);
        let runs = 10_000u32;
        let mut counts = [0u32; 10];
        for seed in 0..u64::from(runs) {
            for d in draw(&b, &bp, seed).unwrap() {
                counts[(d.question_id - 100) as usize] += 1;
            }
        }
        let expected = f64::from(runs) * 0.3;
        // Binomial standard deviation: sqrt(n p (1-p)) ~ 45.8; allow 5 of them.
        let tolerance = 5.0 * (f64::from(runs) * 0.3 * 0.7).sqrt();
        for (i, &c) in counts.iter().enumerate() {
            assert!(
                (f64::from(c) - expected).abs() < tolerance,
                "question {i}: {c} vs {expected}"
            );
        }
    }

    #[test]
    fn option_shuffles_are_uniform_and_pinned_orders_stay() {
        let b = bank(1, 2, 0);
        let bp = blueprint(&[(1, 2)], 0);
        // Where option 0 of the unpinned question lands, over many seeds: 1/4 each.
        let runs = 8_000u32;
        let mut lands = [0u32; 4];
        for seed in 0..u64::from(runs) {
            for d in draw(&b, &bp, seed).unwrap() {
                if d.question_id == 100 {
                    assert_eq!(d.option_order, vec![0, 1, 2, 3], "pinned");
                } else {
                    let mut sorted = d.option_order.clone();
                    sorted.sort_unstable();
                    assert_eq!(sorted, vec![0, 1, 2, 3], "a permutation");
                    let at = d.option_order.iter().position(|&o| o == 0).unwrap();
                    lands[at] += 1;
                }
            }
        }
        let expected = f64::from(runs) / 4.0;
        let tolerance = 5.0 * (f64::from(runs) * 0.25 * 0.75).sqrt();
        for (i, &c) in lands.iter().enumerate() {
            assert!(
                (f64::from(c) - expected).abs() < tolerance,
                "position {i}: {c}"
            );
        }
    }

    #[test]
    fn without_shuffling_the_order_is_the_blueprints_and_the_options_as_written() {
        let b = bank(2, 3, 0);
        let mut bp = blueprint(&[(1, 3), (2, 3)], 0);
        bp.shuffle_questions = false;
        bp.shuffle_options = false;
        let test = draw(&b, &bp, 7).unwrap();
        let topics: Vec<i64> = test.iter().map(|d| d.question_id / 100).collect();
        assert_eq!(topics, vec![1, 1, 1, 2, 2, 2]);
        assert!(test.iter().all(|d| d.option_order == vec![0, 1, 2, 3]));
    }

    #[test]
    fn a_bank_too_small_is_refused_with_the_topic() {
        let b = bank(2, 2, 1);
        assert_eq!(
            check_coverage(&b, &blueprint(&[(1, 2), (2, 3)], 0)),
            Err(DrawError::TooFewQuestions {
                topic_id: 2,
                have: 2,
                need: 3
            })
        );
        assert_eq!(
            check_coverage(&b, &blueprint(&[(1, 1)], 2)),
            Err(DrawError::TooFewGroups { have: 1, need: 2 })
        );
        assert_eq!(
            check_coverage(&b, &blueprint(&[], 0)),
            Err(DrawError::Empty)
        );
        assert!(draw(&b, &blueprint(&[(1, 3)], 0), 1).is_err());
    }
}
