//! Item analysis of one test from its final attempts (issue 6): how hard each question
//! was (facility), whether it separates strong candidates from weak ones (discrimination
//! index and corrected point-biserial correlation), how often each option was chosen, how
//! reliable the test is (Cronbach's alpha) and a histogram of scores.
//!
//! Attempts draw a random subset of a question bank, so every statistic of a question uses
//! only the attempts that drew it; only the test-wide figures use every attempt.
//! Nothing is computed until there are enough attempts ([`MIN_ATTEMPTS`] for the test,
//! [`MIN_ITEM_ATTEMPTS`] for a question); instead the result says how many there are.
//! Degenerate data (no spread) gives `None` or a reason, never NaN.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// Fewest final attempts before a test is analysed at all.
pub const MIN_ATTEMPTS: usize = 10;
/// Fewest attempts that drew a question before its statistics are given.
pub const MIN_ITEM_ATTEMPTS: usize = 5;
/// Percent of a question's attempts in each of the upper and lower groups (Kelley's 27%).
const GROUP_PERCENT: usize = 27;
/// Floating-point noise: a discrimination must be below minus this to count as negative.
const ROUNDING: f64 = 1e-9;

/// One final attempt: its recorded score and what it earned on each question it drew.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalAttempt {
    /// The attempt's recorded score, in centi-points (normally the sum of `items`).
    pub total_centi: i64,
    /// The most the attempt could score, in centi-points. Attempts with no positive
    /// maximum have no percentage and are left out of the analysis.
    pub max_centi: i64,
    pub items: Vec<ItemScore>,
}

/// One drawn question in an attempt. A question listed twice counts once (the first), and
/// one with no positive maximum counts as not drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemScore {
    pub question_id: i64,
    pub earned_centi: i64,
    pub max_centi: i64,
    /// Options chosen, for choice questions (empty otherwise or when unanswered).
    pub option_ids: Vec<i64>,
}

/// Too few attempts for statistics to mean anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotEnough {
    pub have: usize,
    pub need: usize,
}

impl fmt::Display for NotEnough {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not enough attempts (have {}, need {})",
            self.have, self.need
        )
    }
}

/// Statistics, or the reason there are none yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Analysis<T> {
    Ready(T),
    NotEnough(NotEnough),
}

/// The whole test. Scores are percentages of each attempt's own maximum, since random
/// draws can give attempts different maxima.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestAnalysis {
    pub attempts: usize,
    pub mean_percent: f64,
    /// Sample standard deviation (divided by n − 1), as usual for a cohort that stands
    /// for later ones; 0 when every score is the same.
    pub sd_percent: f64,
    pub alpha: Alpha,
    /// Attempts per band of score percent: 0–9, 10–19, …, 90–100 (100 and anything
    /// above in the last band, anything below 0 in the first).
    pub histogram: [usize; 10],
    /// The questions asked for, in that order, then any others the attempts drew, by id.
    pub items: Vec<ItemAnalysis>,
}

/// Cronbach's alpha, α = k/(k−1) · (1 − Σ item variances / variance of the sum), over the
/// questions that every attempt drew, scored in points (so heavier questions weigh more,
/// as in the real score). Alpha needs everyone to have answered the same items; questions
/// only some attempts drew are left out rather than imputed. For right/wrong questions
/// this is KR-20.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Alpha {
    Value {
        alpha: f64,
        common_items: usize,
    },
    /// Fewer than two questions were drawn by every attempt.
    TooFewCommonItems {
        common_items: usize,
    },
    /// Every attempt scored the same on the common questions.
    NoScoreVariance,
}

/// One question, over the attempts that drew it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAnalysis {
    pub question_id: i64,
    /// Attempts that drew it.
    pub attempts: usize,
    pub stats: Analysis<ItemStats>,
}

/// Statistics of one question; fractions are earned ÷ maximum, from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    /// Mean fraction earned (partial credit counts).
    pub facility: f64,
    /// Attempts in each of the upper and lower groups: 27% of those that drew the
    /// question, rounded, at least 1.
    pub group_size: usize,
    pub upper_facility: f64,
    pub lower_facility: f64,
    /// D = upper − lower facility. The groups are ranked by total score percent among the
    /// attempts that drew this question (not all attempts: then a group could hold few or
    /// none who saw it). Attempts tied at a cut share the places left equally, so the
    /// result does not depend on the order attempts are listed in.
    pub discrimination: f64,
    /// Pearson correlation of the fraction earned with the rest of the attempt
    /// ((total − this item) ÷ (maximum − this item's maximum)), so the item does not
    /// correlate with itself. For right/wrong questions this is the point-biserial.
    /// `None` when either has no spread; attempts that had no other question are left out.
    pub point_biserial: Option<f64>,
    /// Options chosen, by id; share of the attempts that drew the question, so shares of
    /// a multiple-answer question can add up to more than 1. Never-chosen options are
    /// absent (the question knows its options; this does not).
    pub options: Vec<OptionCount>,
    /// D or the correlation is below zero: either one says weaker candidates did better,
    /// the usual sign of a wrong key or a misleading question. D ignores the middle 46%
    /// and the correlation uses everyone, so each can catch what the other misses; a
    /// false alarm costs a reviewer a minute, a missed bad key costs candidates points.
    pub negative_discrimination: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionCount {
    pub option_id: i64,
    pub count: usize,
    pub share: f64,
}

/// Analyses a test from its final attempts. `question_ids` lists the questions to report
/// (e.g. the bank), so a question nobody drew is reported with 0 attempts.
pub fn analyse(question_ids: &[i64], attempts: &[FinalAttempt]) -> Analysis<TestAnalysis> {
    let sheets: Vec<Sheet> = attempts
        .iter()
        .filter(|a| a.max_centi > 0)
        .map(Sheet::new)
        .collect();
    if sheets.len() < MIN_ATTEMPTS {
        return Analysis::NotEnough(NotEnough {
            have: sheets.len(),
            need: MIN_ATTEMPTS,
        });
    }
    let percents: Vec<f64> = sheets.iter().map(|s| s.percent()).collect();
    let items = report_order(question_ids, &sheets)
        .into_iter()
        .map(|id| analyse_item(id, &sheets))
        .collect();
    Analysis::Ready(TestAnalysis {
        attempts: sheets.len(),
        mean_percent: mean(&percents),
        sd_percent: sample_sd(&percents),
        alpha: cronbach_alpha(&sheets),
        histogram: histogram(&sheets),
        items,
    })
}

/// An attempt with its questions looked up by id.
struct Sheet<'a> {
    total: i64,
    max: i64,
    items: HashMap<i64, &'a ItemScore>,
}

impl<'a> Sheet<'a> {
    fn new(attempt: &'a FinalAttempt) -> Self {
        let mut items = HashMap::new();
        for item in attempt.items.iter().filter(|i| i.max_centi > 0) {
            items.entry(item.question_id).or_insert(item);
        }
        Sheet {
            total: attempt.total_centi,
            max: attempt.max_centi,
            items,
        }
    }

    fn percent(&self) -> f64 {
        self.total as f64 * 100.0 / self.max as f64
    }

    /// Compares score percentages exactly (cross-multiplied), so ties are real ties.
    fn cmp_score(&self, other: &Sheet) -> Ordering {
        let mine = i128::from(self.total) * i128::from(other.max);
        let theirs = i128::from(other.total) * i128::from(self.max);
        mine.cmp(&theirs)
    }
}

fn report_order(question_ids: &[i64], sheets: &[Sheet]) -> Vec<i64> {
    let mut seen = HashSet::new();
    let mut order: Vec<i64> = question_ids
        .iter()
        .copied()
        .filter(|id| seen.insert(*id))
        .collect();
    let others: BTreeSet<i64> = sheets
        .iter()
        .flat_map(|s| s.items.keys().copied())
        .filter(|id| !seen.contains(id))
        .collect();
    order.extend(others);
    order
}

fn analyse_item(question_id: i64, sheets: &[Sheet]) -> ItemAnalysis {
    // (attempt, this item, fraction earned), best score percent first.
    let mut drew: Vec<(&Sheet, &ItemScore, f64)> = sheets
        .iter()
        .filter_map(|s| s.items.get(&question_id).map(|i| (s, *i, fraction(i))))
        .collect();
    drew.sort_by(|a, b| b.0.cmp_score(a.0));
    let n = drew.len();
    if n < MIN_ITEM_ATTEMPTS {
        return ItemAnalysis {
            question_id,
            attempts: n,
            stats: Analysis::NotEnough(NotEnough {
                have: n,
                need: MIN_ITEM_ATTEMPTS,
            }),
        };
    }
    let fractions: Vec<f64> = drew.iter().map(|d| d.2).collect();
    let group_size = ((GROUP_PERCENT * n + 50) / 100).max(1);
    let mut ranked: Vec<(&Sheet, f64)> = drew.iter().map(|d| (d.0, d.2)).collect();
    let upper_facility = group_mean(&ranked, group_size);
    ranked.reverse();
    let lower_facility = group_mean(&ranked, group_size);
    let discrimination = upper_facility - lower_facility;
    let (earned, rest): (Vec<f64>, Vec<f64>) = drew
        .iter()
        .filter(|(s, i, _)| s.max > i.max_centi)
        .map(|(s, i, f)| {
            let rest = (s.total - i.earned_centi) as f64 / (s.max - i.max_centi) as f64;
            (*f, rest)
        })
        .unzip();
    let point_biserial = pearson(&earned, &rest);
    let negative_discrimination =
        discrimination < -ROUNDING || point_biserial.is_some_and(|r| r < -ROUNDING);
    ItemAnalysis {
        question_id,
        attempts: n,
        stats: Analysis::Ready(ItemStats {
            facility: mean(&fractions),
            group_size,
            upper_facility,
            lower_facility,
            discrimination,
            point_biserial,
            options: option_counts(drew.iter().map(|d| d.1), n),
            negative_discrimination,
        }),
    }
}

fn fraction(item: &ItemScore) -> f64 {
    item.earned_centi as f64 / item.max_centi as f64
}

/// Mean fraction of the first `size` attempts of `ranked`; attempts tied with the last
/// place share the places left equally (three tied for one place count a third each).
fn group_mean(ranked: &[(&Sheet, f64)], size: usize) -> f64 {
    let mut places_left = size;
    let mut sum = 0.0;
    for tied in ranked.chunk_by(|a, b| a.0.cmp_score(b.0) == Ordering::Equal) {
        if places_left == 0 {
            break;
        }
        let block: f64 = tied.iter().map(|(_, f)| f).sum();
        if tied.len() <= places_left {
            sum += block;
            places_left -= tied.len();
        } else {
            sum += block * places_left as f64 / tied.len() as f64;
            places_left = 0;
        }
    }
    sum / size as f64
}

fn option_counts<'a>(items: impl Iterator<Item = &'a ItemScore>, n: usize) -> Vec<OptionCount> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for item in items {
        let chosen: BTreeSet<i64> = item.option_ids.iter().copied().collect();
        for option_id in chosen {
            *counts.entry(option_id).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(option_id, count)| OptionCount {
            option_id,
            count,
            share: count as f64 / n as f64,
        })
        .collect()
}

fn cronbach_alpha(sheets: &[Sheet]) -> Alpha {
    let mut common: Vec<i64> = sheets
        .first()
        .map(|first| {
            first
                .items
                .keys()
                .copied()
                .filter(|id| sheets.iter().all(|s| s.items.contains_key(id)))
                .collect()
        })
        .unwrap_or_default();
    common.sort_unstable();
    let k = common.len();
    if k < 2 {
        return Alpha::TooFewCommonItems { common_items: k };
    }
    let earned = |s: &Sheet, id: &i64| s.items.get(id).map_or(0, |i| i.earned_centi);
    let item_variances: i128 = common
        .iter()
        .map(|id| scaled_variance(sheets.iter().map(|s| earned(s, id))))
        .sum();
    let total_variance = scaled_variance(
        sheets
            .iter()
            .map(|s| common.iter().map(|id| earned(s, id)).sum()),
    );
    if total_variance == 0 {
        return Alpha::NoScoreVariance;
    }
    let k = k as f64;
    Alpha::Value {
        alpha: k / (k - 1.0) * (1.0 - item_variances as f64 / total_variance as f64),
        common_items: common.len(),
    }
}

/// n² times the variance, n·Σx² − (Σx)², in exact integers: zero means no spread, and
/// the factor cancels in alpha's ratio.
fn scaled_variance(values: impl Iterator<Item = i64>) -> i128 {
    let (mut n, mut sum, mut squares) = (0i128, 0i128, 0i128);
    for x in values.map(i128::from) {
        n += 1;
        sum += x;
        squares += x * x;
    }
    n * squares - sum * sum
}

fn histogram(sheets: &[Sheet]) -> [usize; 10] {
    let mut bins = [0; 10];
    for s in sheets {
        // Integer division: 10% lands in band 1 exactly, with no rounding surprises.
        let band = (i128::from(s.total) * 10).div_euclid(i128::from(s.max));
        let band = usize::try_from(band.clamp(0, 9)).unwrap_or(0);
        if let Some(count) = bins.get_mut(band) {
            *count += 1;
        }
    }
    bins
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Equal values give exactly 0 (summing them could leave rounding dust).
fn all_equal(values: &[f64]) -> bool {
    values.windows(2).all(|w| w[0] == w[1])
}

fn sample_sd(values: &[f64]) -> f64 {
    if values.len() < 2 || all_equal(values) {
        return 0.0;
    }
    let m = mean(values);
    let squares: f64 = values.iter().map(|x| (x - m) * (x - m)).sum();
    (squares / (values.len() - 1) as f64).sqrt()
}

/// Pearson's r; `None` with fewer than two pairs or when either side has no spread.
fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() < 2 || xs.len() != ys.len() || all_equal(xs) || all_equal(ys) {
        return None;
    }
    let (mx, my) = (mean(xs), mean(ys));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(question_id: i64, earned_centi: i64, max_centi: i64, options: &[i64]) -> ItemScore {
        ItemScore {
            question_id,
            earned_centi,
            max_centi,
            option_ids: options.to_vec(),
        }
    }

    /// An attempt whose recorded score is the sum of its items.
    fn attempt(items: Vec<ItemScore>) -> FinalAttempt {
        FinalAttempt {
            total_centi: items.iter().map(|i| i.earned_centi).sum(),
            max_centi: items.iter().map(|i| i.max_centi).sum(),
            items,
        }
    }

    fn ready<T>(analysis: Analysis<T>) -> T {
        match analysis {
            Analysis::Ready(value) => value,
            Analysis::NotEnough(n) => panic!("{n}"),
        }
    }

    fn stats(test: &TestAnalysis, question_id: i64) -> &ItemStats {
        let item = test
            .items
            .iter()
            .find(|i| i.question_id == question_id)
            .unwrap();
        match &item.stats {
            Analysis::Ready(stats) => stats,
            Analysis::NotEnough(n) => panic!("question {question_id}: {n}"),
        }
    }

    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
    }

    /// Ten attempts, every question worth 1 point (100 centi-points). Everyone draws
    /// questions 1 and 2, then question 3 (attempts 1, 2, 3, 5, 7, 8) or 4 (4, 6, 9, 10).
    /// Question 1 is single choice: option 101 is right, 102 and 103 wrong.
    ///
    /// | attempt | q1 (option) | q2 | q3 | q4 | total | percent |
    /// |---------|-------------|----|----|----|-------|---------|
    /// | 1       | 1 (101)     | 1  | 1  |    | 3     | 100     |
    /// | 2       | 1 (101)     | 1  | 0  |    | 2     | 66.7    |
    /// | 3       | 1 (101)     | 0  | 1  |    | 2     | 66.7    |
    /// | 4       | 1 (101)     | 1  |    | 1  | 3     | 100     |
    /// | 5       | 0 (102)     | 1  | 1  |    | 2     | 66.7    |
    /// | 6       | 1 (101)     | 0  |    | 0  | 1     | 33.3    |
    /// | 7       | 0 (103)     | 0  | 0  |    | 0     | 0       |
    /// | 8       | 1 (101)     | 0  | 0  |    | 1     | 33.3    |
    /// | 9       | 0 (102 ×2)  | 0  |    | 0  | 0     | 0       |
    /// | 10      | 0 (none)    | 0  |    | 1  | 1     | 33.3    |
    fn hand_data() -> Vec<FinalAttempt> {
        let rows: [(i64, &[i64], i64, i64, i64); 10] = [
            (1, &[101], 1, 3, 1),
            (1, &[101], 1, 3, 0),
            (1, &[101], 0, 3, 1),
            (1, &[101], 1, 4, 1),
            (0, &[102], 1, 3, 1),
            (1, &[101], 0, 4, 0),
            (0, &[103], 0, 3, 0),
            (1, &[101], 0, 3, 0),
            (0, &[102, 102], 0, 4, 0),
            (0, &[], 0, 4, 1),
        ];
        rows.iter()
            .map(|&(q1, options, q2, third, q3)| {
                attempt(vec![
                    item(1, q1 * 100, 100, options),
                    item(2, q2 * 100, 100, &[]),
                    item(third, q3 * 100, 100, &[]),
                ])
            })
            .collect()
    }

    #[test]
    fn hand_computed_statistics() {
        // Question 5 is in the bank but nobody drew it.
        let test = ready(analyse(&[1, 2, 3, 4, 5], &hand_data()));
        assert_eq!(test.attempts, 10);

        // Totals 3,2,2,3,2,1,0,1,0,1 of 3: sum 15, mean 1.5 points = 50%.
        close(test.mean_percent, 50.0);
        // Deviations ±1.5 (attempts 1, 4, 7, 9) and ±0.5 (the other six):
        // Σd² = 4·2.25 + 6·0.25 = 10.5; sample variance 10.5/9 points²;
        // in percent ×100/3.
        close(test.sd_percent, 100.0 / 3.0 * (10.5f64 / 9.0).sqrt());
        // 0% ×2 (7, 9), 33.3% ×3 (6, 8, 10), 66.7% ×3 (2, 3, 5), 100% ×2 (1, 4).
        assert_eq!(test.histogram, [2, 0, 0, 3, 0, 0, 3, 0, 0, 2]);

        // Alpha over questions 1 and 2, the only ones everyone drew (k = 2), with
        // population variances (n cancels in the ratio):
        // q1 = 1,1,1,1,0,1,0,1,0,0: p = 0.6, variance 0.6·0.4 = 0.24;
        // q2 = 1,1,0,1,1,0,0,0,0,0: p = 0.4, variance 0.24;
        // q1+q2 = 2,2,1,2,1,1,0,1,0,0: mean 1, Σd² = 1+1+0+1+0+0+1+0+1+1 = 6, variance 0.6;
        // α = 2/1 · (1 − 0.48/0.6) = 2 · 0.2 = 0.4.
        match test.alpha {
            Alpha::Value {
                alpha,
                common_items,
            } => {
                close(alpha, 0.4);
                assert_eq!(common_items, 2);
            }
            other => panic!("{other:?}"),
        }

        // Question 1, all 10 attempts: facility 6/10. Groups of round(0.27·10) = 3.
        // Upper: attempts 1 and 4 (100%), then one place for three tied at 66.7%
        // (2, 3, 5 with q1 = 1, 1, 0), a third each: (1 + 1 + (1+1+0)/3) / 3 = 8/9.
        // Lower: attempts 7 and 9 (0%), then one place for three tied at 33.3%
        // (6, 8, 10 with q1 = 1, 1, 0): (0 + 0 + (1+1+0)/3) / 3 = 2/9.
        // D = 8/9 − 2/9 = 2/3.
        let q1 = stats(&test, 1);
        close(q1.facility, 0.6);
        assert_eq!(q1.group_size, 3);
        close(q1.upper_facility, 8.0 / 9.0);
        close(q1.lower_facility, 2.0 / 9.0);
        close(q1.discrimination, 2.0 / 3.0);
        // Rest of the test = (total − q1)/2 = 1, .5, .5, 1, 1, 0, 0, 0, 0, .5 (mean .45).
        // Sxy = Σxy − n·x̄·ȳ = (1+.5+.5+1+0+0) − 10·.6·.45 = 3 − 2.7 = 0.3;
        // Sxx = 10·0.24 = 2.4; Syy = Σy² − n·ȳ² = 3.75 − 2.025 = 1.725;
        // r = 0.3 / √(2.4·1.725) = 0.3/√4.14 ≈ 0.1474.
        close(q1.point_biserial.unwrap(), 0.3 / 4.14f64.sqrt());
        assert!(!q1.negative_discrimination);
        // 101 by six, 102 by attempts 5 and 9 (twice in 9 counts once), 103 by one;
        // attempt 10 chose nothing.
        let options: Vec<(i64, usize)> =
            q1.options.iter().map(|o| (o.option_id, o.count)).collect();
        assert_eq!(options, vec![(101, 6), (102, 2), (103, 1)]);
        close(q1.options[0].share, 0.6);
        close(q1.options[1].share, 0.2);
        close(q1.options[2].share, 0.1);

        // Question 2: facility 4/10. Upper: 1, 4 (q2 = 1, 1) and a third each of 2, 3, 5
        // (1, 0, 1): (2 + 2/3)/3 = 8/9. Lower: 7, 9 and a third each of 6, 8, 10, all 0:
        // 0. D = 8/9.
        let q2 = stats(&test, 2);
        close(q2.facility, 0.4);
        close(q2.discrimination, 8.0 / 9.0);
        // Rest = 1, .5, 1, 1, .5, .5, 0, .5, 0, .5 (mean .55).
        // Sxy = (1+.5+1+.5) − 10·.4·.55 = 3 − 2.2 = 0.8; Sxx = 2.4;
        // Syy = 4.25 − 10·.3025 = 1.225; r = 0.8/√(2.4·1.225) = 0.8/√2.94 ≈ 0.4666.
        close(q2.point_biserial.unwrap(), 0.8 / 2.94f64.sqrt());
        assert!(q2.options.is_empty());

        // Question 3, only the six attempts that drew it (1, 2, 3, 5, 7, 8):
        // q3 = 1, 0, 1, 1, 0, 0: facility 3/6. Groups of round(0.27·6) = round(1.62) = 2.
        // Upper: attempt 1 (100%), then one place for 2, 3, 5 tied at 66.7% (q3 = 0, 1, 1):
        // (1 + 2/3)/2 = 5/6. Lower: 7 (0%) and 8 (33.3%), both 0: 0. D = 5/6.
        let q3 = stats(&test, 3);
        assert_eq!(q3.group_size, 2);
        close(q3.facility, 0.5);
        close(q3.upper_facility, 5.0 / 6.0);
        close(q3.lower_facility, 0.0);
        close(q3.discrimination, 5.0 / 6.0);
        // Rest = (total − q3)/2 = 1, 1, .5, .5, 0, .5 (mean 7/12).
        // Sxy = (1+.5+.5) − 6·.5·7/12 = 2 − 1.75 = 0.25; Sxx = 3 − 6·.25 = 1.5;
        // Syy = 2.75 − 6·49/144 = 17/24; r = 0.25/√(1.5·17/24) = 0.25/√(17/16) = 1/√17.
        close(q3.point_biserial.unwrap(), 1.0 / 17f64.sqrt());

        // Question 4: four attempts drew it, fewer than the five needed.
        let q4 = test.items.iter().find(|i| i.question_id == 4).unwrap();
        assert_eq!(q4.attempts, 4);
        assert_eq!(
            q4.stats,
            Analysis::NotEnough(NotEnough { have: 4, need: 5 })
        );

        // Question 5: in the bank, drawn by nobody; reported in the order asked for.
        let ids: Vec<i64> = test.items.iter().map(|i| i.question_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4, 5]);
        assert_eq!(test.items[4].attempts, 0);
        assert_eq!(
            test.items[4].stats,
            Analysis::NotEnough(NotEnough { have: 0, need: 5 })
        );
    }

    #[test]
    fn ties_at_the_cut_do_not_depend_on_input_order() {
        // Taking the first of the tied attempts would give question 1 an upper facility
        // of 1 in one order (attempt 2 first) and 2/3 in the other (attempt 5 first).
        let forward = ready(analyse(&[], &hand_data()));
        let mut reversed_data = hand_data();
        reversed_data.reverse();
        let reversed = ready(analyse(&[], &reversed_data));
        for id in 1..=3 {
            close(
                stats(&forward, id).upper_facility,
                stats(&reversed, id).upper_facility,
            );
            close(
                stats(&forward, id).lower_facility,
                stats(&reversed, id).lower_facility,
            );
        }
        close(stats(&reversed, 1).upper_facility, 8.0 / 9.0);
        // Unlisted questions are reported by id.
        let ids: Vec<i64> = reversed.items.iter().map(|i| i.question_id).collect();
        assert_eq!(ids, vec![1, 2, 3, 4]);
    }

    #[test]
    fn negative_discrimination_is_flagged() {
        // Five strong attempts: p 3/3, r 1/1, q 0/1 (they chose 202, the wrong option):
        // 400/500 = 80%. Five weak ones: p 0/3, r 0/1, q 1/1: 100/500 = 20%.
        let strong = || {
            attempt(vec![
                item(1, 300, 300, &[]),
                item(2, 0, 100, &[202]),
                item(3, 100, 100, &[]),
            ])
        };
        let weak = || {
            attempt(vec![
                item(1, 0, 300, &[]),
                item(2, 100, 100, &[201]),
                item(3, 0, 100, &[]),
            ])
        };
        let data: Vec<FinalAttempt> = (0..5).flat_map(|_| [strong(), weak()]).collect();
        let test = ready(analyse(&[], &data));
        // q: groups of 3 from five tied at each end, 3/5 each: upper 0, lower 1, D = −1;
        // rest = (p + r)/4 = 1 for the strong, 0 for the weak, against q = 0 / 1: r = −1.
        let q = stats(&test, 2);
        close(q.discrimination, -1.0);
        close(q.point_biserial.unwrap(), -1.0);
        assert!(q.negative_discrimination);
        // p: D = 1; rest = (q + r)/2 = 0.5 for everyone, no spread: no correlation.
        let p = stats(&test, 1);
        close(p.discrimination, 1.0);
        assert_eq!(p.point_biserial, None);
        assert!(!p.negative_discrimination);
        // r: D = 1; rest = (p + q)/4 = .75 against .25: r = 1.
        let r = stats(&test, 3);
        close(r.point_biserial.unwrap(), 1.0);
        assert!(!r.negative_discrimination);
    }

    #[test]
    fn a_negative_correlation_alone_is_flagged() {
        // w worth 10 points scores 10, 9, …, 1; z worth 1 point right for w = 10, 5, 4, 1.
        // Totals of 11: 11, 9, 8, 7, 6, 6, 5, 3, 2, 2.
        // Upper three (11, 9, 8): z = 1, 0, 0 → 1/3. Lower three (3, 2, 2 — w = 3, 2, 1):
        // z = 0, 0, 1 → 1/3. D = 0.
        // Rest = w/10. Σz·w = 10+5+4+1 = 20; Sxy = 20 − 10·.4·5.5 = −2 (in points);
        // Sxx = 2.4; Syy = Σ(w − 5.5)² = 82.5; r = −2/√(2.4·82.5) = −2/√198 ≈ −0.142.
        let right = [10, 5, 4, 1];
        let data: Vec<FinalAttempt> = (1..=10)
            .rev()
            .map(|w: i64| {
                let z = if right.contains(&w) { 100 } else { 0 };
                attempt(vec![item(1, w * 100, 1000, &[]), item(2, z, 100, &[])])
            })
            .collect();
        let z = stats(&ready(analyse(&[], &data)), 2).clone();
        close(z.discrimination, 0.0);
        close(z.point_biserial.unwrap(), -2.0 / 198f64.sqrt());
        assert!(z.negative_discrimination);
    }

    #[test]
    fn everyone_with_the_same_score_gives_no_nan() {
        // Partial credit: 150 of 200 on question 1, nothing on question 2; 50% each.
        let data: Vec<FinalAttempt> = (0..10)
            .map(|_| attempt(vec![item(1, 150, 200, &[]), item(2, 0, 100, &[])]))
            .collect();
        let test = ready(analyse(&[], &data));
        assert_eq!(test.mean_percent, 50.0);
        assert_eq!(test.sd_percent, 0.0);
        assert_eq!(test.alpha, Alpha::NoScoreVariance);
        assert_eq!(test.histogram, [0, 0, 0, 0, 0, 10, 0, 0, 0, 0]);
        let q1 = stats(&test, 1);
        assert_eq!(q1.facility, 0.75);
        assert_eq!(q1.discrimination, 0.0);
        assert_eq!(q1.point_biserial, None);
        assert!(!q1.negative_discrimination);
        assert_eq!(stats(&test, 2).facility, 0.0);
    }

    #[test]
    fn a_single_attempt_is_not_enough() {
        let one = attempt(vec![item(1, 100, 100, &[])]);
        let result = analyse(&[1], &[one]);
        assert_eq!(result, Analysis::NotEnough(NotEnough { have: 1, need: 10 }));
        if let Analysis::NotEnough(n) = result {
            assert_eq!(n.to_string(), "not enough attempts (have 1, need 10)");
        }
        assert_eq!(
            analyse(&[], &[]),
            Analysis::NotEnough(NotEnough { have: 0, need: 10 })
        );
    }

    #[test]
    fn attempts_and_items_without_a_maximum_are_left_out() {
        let mut data = hand_data();
        data.pop();
        // Nine real attempts plus one with no maximum: still not enough.
        data.push(attempt(vec![item(1, 0, 0, &[])]));
        assert_eq!(
            analyse(&[], &data),
            Analysis::NotEnough(NotEnough { have: 9, need: 10 })
        );
        // An item with no maximum counts as not drawn.
        let mut data = hand_data();
        data[0].items.push(item(9, 0, 0, &[]));
        let test = ready(analyse(&[], &data));
        assert!(test.items.iter().all(|i| i.question_id != 9));
    }

    #[test]
    fn histogram_band_edges() {
        // Of 100.00 points: 0 and 9.99 → band 0; 10 and 19.99 → 1; 50 → 5; 89.99 → 8;
        // 90, 99.99, 100, 100 → 9.
        let earned = [0, 999, 1000, 1999, 5000, 8999, 9000, 9999, 10000, 10000];
        let data: Vec<FinalAttempt> = earned
            .iter()
            .map(|&e| attempt(vec![item(1, e, 10000, &[])]))
            .collect();
        let test = ready(analyse(&[], &data));
        assert_eq!(test.histogram, [2, 2, 0, 0, 0, 1, 0, 0, 1, 4]);
        // One question only: no alpha, and no rest of the test to correlate with.
        assert_eq!(test.alpha, Alpha::TooFewCommonItems { common_items: 1 });
        assert_eq!(stats(&test, 1).point_biserial, None);
    }

    #[test]
    fn alpha_over_three_questions() {
        // Right/wrong on three 1-point questions: (1,1,1) ×3, (1,1,0) ×2, (1,0,0) ×2,
        // (0,0,0) ×3. p = .7, .5, .3; variances .21 + .25 + .21 = .67.
        // Sums 3,3,3,2,2,1,1,0,0,0: mean 1.5, Σd² = 6·2.25 + 4·0.25 = 14.5, variance 1.45.
        // α = 3/2 · (1 − .67/1.45) = 1.5 · .78/1.45 = 117/145 ≈ 0.807.
        let rows = [
            [1, 1, 1],
            [1, 1, 1],
            [1, 1, 1],
            [1, 1, 0],
            [1, 1, 0],
            [1, 0, 0],
            [1, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
        ];
        let data: Vec<FinalAttempt> = rows
            .iter()
            .map(|row| {
                attempt(
                    (1..)
                        .zip(row)
                        .map(|(q, &e)| item(q, e * 100, 100, &[]))
                        .collect(),
                )
            })
            .collect();
        match ready(analyse(&[], &data)).alpha {
            Alpha::Value {
                alpha,
                common_items,
            } => {
                close(alpha, 117.0 / 145.0);
                assert_eq!(common_items, 3);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn groups_rank_by_percent_not_points() {
        // Five attempts drew question 1 and a 9-point question 3: 1 + 3 of 10 = 40%
        // (400 centi-points). Five drew question 1 and a 1-point question 2: 0 + 1 of 2 =
        // 50% (only 100). By percent the second five are the upper group: D for question
        // 1 = 0 − 1 = −1 (by raw points it would be +1).
        let data: Vec<FinalAttempt> = (0..5)
            .flat_map(|_| {
                [
                    attempt(vec![item(1, 100, 100, &[]), item(3, 300, 900, &[])]),
                    attempt(vec![item(1, 0, 100, &[]), item(2, 100, 100, &[])]),
                ]
            })
            .collect();
        let q1 = stats(&ready(analyse(&[], &data)), 1).clone();
        close(q1.facility, 0.5);
        close(q1.discrimination, -1.0);
        assert!(q1.negative_discrimination);
    }

    #[test]
    fn alpha_needs_two_questions_everyone_drew() {
        // Everyone draws question 1, then 2 or 3 in turn: one common question.
        let data: Vec<FinalAttempt> = (0..10)
            .map(|i| {
                attempt(vec![
                    item(1, (i % 3) * 50, 100, &[]),
                    item(2 + i % 2, (i % 2) * 100, 100, &[]),
                ])
            })
            .collect();
        let test = ready(analyse(&[], &data));
        assert_eq!(test.alpha, Alpha::TooFewCommonItems { common_items: 1 });
    }
}
