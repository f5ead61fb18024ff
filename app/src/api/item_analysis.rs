//! A course's instructors and administrators: item analysis of a course's test from its final
//! attempts (the statistics are [`crate::domain::item_analysis`]; this shapes them for the
//! page, numbers formatted on the server).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnalysisView {
    pub code: String,
    pub title: String,
    pub body: AnalysisBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnalysisBody {
    /// "Item analysis needs at least 10 finished attempts; this test has 3."
    NotEnough(String),
    Ready(TestSummary),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSummary {
    pub attempts: usize,
    /// "72.50%".
    pub mean: String,
    /// "12.34 percentage points".
    pub sd: String,
    /// "0.81", or "Not available".
    pub alpha: String,
    /// What alpha means here, or why it is not available.
    pub alpha_note: String,
    /// ("0–9%", attempts) for each of the ten bands.
    pub bands: Vec<(String, usize)>,
    /// The histogram in a sentence, for its `aria-label`.
    pub histogram_label: String,
    pub questions: Vec<QuestionRow>,
    /// Questions flagged for negative discrimination.
    pub flagged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRow {
    pub id: i64,
    /// The title, or the stem's first 90 characters.
    pub label: String,
    pub version: i64,
    /// "Single choice", ... and "retired" when it is.
    pub kind: String,
    pub attempts: usize,
    /// The statistics, or why there are none ("Too few attempts (3; needs 5)").
    pub stats: Result<QuestionStats, String>,
    /// "A. Text (earns 100%) · chosen 7 (70%)" per option in written order; empty for typed answers.
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionStats {
    /// Two decimals: "0.70".
    pub facility: String,
    pub discrimination: String,
    /// "0.45" or "Not available (no spread)".
    pub point_biserial: String,
    pub negative: bool,
}

/// Item analysis of course `code`'s test.
#[server(prefix = "/api", endpoint = "item_analysis")]
pub async fn item_analysis(code: String) -> Result<ItemAnalysisView, AppError> {
    // The bank's staff: its course's instructors and administrators, as on the bank page.
    crate::state::require_course_staff(&code).await?;
    server::analysis(&code).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        db::{self, item_analysis::AnalysedQuestion},
        domain::{
            item_analysis::{analyse, Alpha, Analysis, ItemAnalysis, TestAnalysis, MIN_ATTEMPTS},
            question::QuestionKind,
        },
    };

    pub async fn analysis(code: &str) -> Result<ItemAnalysisView, AppError> {
        let state = crate::state::app_state()?;
        let (course_id, title) = db::courses::id_and_title(&state.db, code)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
        let results = db::item_analysis::course_results(&state.db, course_id).await?;
        let active: Vec<i64> = results
            .questions
            .iter()
            .filter(|q| q.status == "active")
            .map(|q| q.id)
            .collect();
        let body = match analyse(&active, &results.attempts) {
            Analysis::NotEnough(n) => AnalysisBody::NotEnough(format!(
                "Item analysis needs at least {MIN_ATTEMPTS} finished attempts; this test has {}.",
                n.have
            )),
            Analysis::Ready(test) => AnalysisBody::Ready(summary(&test, &results.questions)),
        };
        Ok(ItemAnalysisView {
            code: code.to_uppercase(),
            title,
            body,
        })
    }

    /// Two decimals, with a true minus sign, and never "-0.00".
    pub fn decimal(x: f64) -> String {
        let text = format!("{:.2}", x.abs());
        if x < 0.0 && text != "0.00" {
            format!("−{text}")
        } else {
            text
        }
    }

    pub const BAND_LABELS: [&str; 10] = [
        "0–9%",
        "10–19%",
        "20–29%",
        "30–39%",
        "40–49%",
        "50–59%",
        "60–69%",
        "70–79%",
        "80–89%",
        "90–100%",
    ];

    fn summary(test: &TestAnalysis, questions: &[AnalysedQuestion]) -> TestSummary {
        let (alpha, alpha_note) = describe_alpha(&test.alpha);
        let rows: Vec<QuestionRow> = test
            .items
            .iter()
            .map(|item| question_row(item, questions.iter().find(|q| q.id == item.question_id)))
            .collect();
        TestSummary {
            attempts: test.attempts,
            mean: format!("{}%", decimal(test.mean_percent)),
            sd: format!("{} percentage points", decimal(test.sd_percent)),
            alpha,
            alpha_note,
            bands: BAND_LABELS
                .iter()
                .zip(test.histogram)
                .map(|(label, n)| ((*label).to_owned(), n))
                .collect(),
            histogram_label: histogram_label(test),
            flagged: rows
                .iter()
                .filter(|r| r.stats.as_ref().is_ok_and(|s| s.negative))
                .count(),
            questions: rows,
        }
    }

    /// "Histogram of the scores of 12 attempts in ten bands of 10 percentage points; the
    /// most attempts, 5, scored 80–89%. The table that follows lists every band."
    pub fn histogram_label(test: &TestAnalysis) -> String {
        let most = test.histogram.iter().copied().max().unwrap_or(0);
        let peaks: Vec<&str> = BAND_LABELS
            .iter()
            .zip(test.histogram)
            .filter(|(_, n)| *n == most)
            .map(|(label, _)| *label)
            .collect();
        format!(
            "Histogram of the scores of {} attempts in ten bands of 10 percentage points; the most attempts, {most}, scored {}. The table that follows lists every band.",
            test.attempts,
            peaks.join(" and ")
        )
    }

    fn describe_alpha(alpha: &Alpha) -> (String, String) {
        match alpha {
            Alpha::Value { alpha, common_items } => (
                decimal(*alpha),
                format!(
                    "Cronbach's alpha estimates how consistently the questions measure the same thing, \
                     from 0 to 1: 0.70 or more is usually expected before a pass or fail decision rests on \
                     the score; lower means the score owes much to chance. Computed over the {common_items} \
                     questions every attempt drew."
                ),
            ),
            Alpha::TooFewCommonItems { common_items } => (
                "Not available".to_owned(),
                format!(
                    "Cronbach's alpha needs at least two questions that every attempt drew; the random \
                     draw gave all attempts {common_items} question{} in common.",
                    if *common_items == 1 { "" } else { "s" }
                ),
            ),
            Alpha::NoScoreVariance => (
                "Not available".to_owned(),
                "Every attempt scored the same on the questions they all drew, so there is no spread \
                 for Cronbach's alpha to measure."
                    .to_owned(),
            ),
        }
    }

    fn question_row(item: &ItemAnalysis, question: Option<&AnalysedQuestion>) -> QuestionRow {
        let label = question.map_or_else(
            || format!("Question {}", item.question_id),
            |q| {
                if q.title.trim().is_empty() {
                    excerpt(&q.stem, 90)
                } else {
                    q.title.clone()
                }
            },
        );
        let kind = question.map_or_else(String::new, |q| {
            let kind = q
                .kind
                .parse::<QuestionKind>()
                .map_or("Question", QuestionKind::label);
            if q.status == "retired" {
                format!("{kind} (retired)")
            } else {
                kind.to_owned()
            }
        });
        let stats = match &item.stats {
            Analysis::Ready(s) => {
                let options = question.map_or_else(Vec::new, |q| {
                    q.options
                        .iter()
                        .zip('A'..='Z')
                        .map(|(o, letter)| {
                            let chosen = s.options.iter().find(|c| c.option_id == o.id);
                            let (count, share) = chosen.map_or((0, 0.0), |c| (c.count, c.share));
                            let right = if o.weight_percent > 0 {
                                format!(" (earns {}%)", o.weight_percent)
                            } else {
                                String::new()
                            };
                            format!(
                                "{letter}. {}{right} · chosen {count} ({:.0}%)",
                                excerpt(&o.text, 40),
                                share * 100.0
                            )
                        })
                        .collect()
                });
                (
                    Ok(QuestionStats {
                        facility: decimal(s.facility),
                        discrimination: decimal(s.discrimination),
                        point_biserial: s
                            .point_biserial
                            .map_or_else(|| "Not available (no spread)".to_owned(), decimal),
                        negative: s.negative_discrimination,
                    }),
                    options,
                )
            }
            Analysis::NotEnough(n) => (
                Err(format!(
                    "Too few attempts to analyse ({}; needs {})",
                    n.have, n.need
                )),
                Vec::new(),
            ),
        };
        QuestionRow {
            id: item.question_id,
            label,
            version: question.map_or(1, |q| q.version),
            kind,
            attempts: item.attempts,
            stats: stats.0,
            options: stats.1,
        }
    }

    /// The first `n` characters, with "…" when cut.
    fn excerpt(text: &str, n: usize) -> String {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > n {
            format!("{}…", flat.chars().take(n).collect::<String>().trim_end())
        } else {
            flat
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn decimals_have_two_places_and_no_negative_zero() {
            assert_eq!(decimal(0.7), "0.70");
            assert_eq!(decimal(-0.833_333), "−0.83");
            assert_eq!(decimal(-0.001), "0.00");
            assert_eq!(decimal(1.0), "1.00");
            assert_eq!(excerpt("a  b\nc", 10), "a b c");
            assert_eq!(excerpt("abcdef", 3), "abc…");
        }
    }
}
