//! What item analysis reads: every final attempt of a course's test with what it earned on
//! each question and the options it chose, and the questions to report.

use super::{on_db, Db};
use crate::domain::{
    item_analysis::{FinalAttempt, ItemScore},
    scoring::Response,
};
use std::collections::HashMap;
use tracing::instrument;

/// One question version as the analysis describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysedQuestion {
    pub id: i64,
    pub version: i64,
    pub kind: String,
    pub title: String,
    pub stem: String,
    pub status: String,
    /// In written order.
    pub options: Vec<AnalysedOption>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysedOption {
    pub id: i64,
    pub text: String,
    pub weight_percent: i64,
}

/// A course's final attempts and the questions to report on.
#[derive(Debug, Clone, Default)]
pub struct CourseResults {
    pub attempts: Vec<FinalAttempt>,
    /// The active questions and every version a final attempt drew, by id.
    pub questions: Vec<AnalysedQuestion>,
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    score_centi: Option<i64>,
    max_centi: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    attempt_id: i64,
    question_id: i64,
    score_centi: Option<i64>,
    points: i64,
    response: Option<String>,
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    version: i64,
    kind: String,
    title: String,
    stem: String,
    status: String,
}

#[derive(sqlx::FromRow)]
struct OptionRow {
    id: i64,
    question_id: i64,
    text: String,
    weight_percent: i64,
}

/// Every final attempt of course `course_id` (attempts waiting for grading are left out:
/// their scores may still change), read in one transaction so attempts and items agree.
#[instrument(skip_all, fields(db = db.backend(), course_id))]
pub async fn course_results(db: &Db, course_id: i64) -> Result<CourseResults, sqlx::Error> {
    let attempts_sql = "SELECT id, score_centi, max_centi FROM attempts WHERE course_id = $1 AND status = 'final' ORDER BY id";
    let items_sql = "SELECT i.attempt_id, i.question_id, i.score_centi, q.points, i.response \
                     FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id JOIN questions q ON q.id = i.question_id \
                     WHERE a.course_id = $1 AND a.status = 'final' ORDER BY i.attempt_id, i.position";
    let questions_sql = "SELECT q.id, q.version, q.kind, q.title, q.stem, q.status FROM questions q WHERE q.course_id = $1 \
                         AND (q.status = 'active' OR EXISTS (SELECT 1 FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id \
                         WHERE i.question_id = q.id AND a.status = 'final')) ORDER BY q.id";
    let options_sql = "SELECT o.id, o.question_id, o.text, o.weight_percent FROM question_options o \
                       JOIN questions q ON q.id = o.question_id WHERE q.course_id = $1 ORDER BY o.question_id, o.position";
    let (attempts, items, questions, options): (
        Vec<AttemptRow>,
        Vec<ItemRow>,
        Vec<QuestionRow>,
        Vec<OptionRow>,
    ) = on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        let attempts = sqlx::query_as(attempts_sql).bind(course_id).fetch_all(&mut *tx).await?;
        let items = sqlx::query_as(items_sql).bind(course_id).fetch_all(&mut *tx).await?;
        let questions = sqlx::query_as(questions_sql).bind(course_id).fetch_all(&mut *tx).await?;
        let options = sqlx::query_as(options_sql).bind(course_id).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        (attempts, items, questions, options)
    });
    Ok(assemble(attempts, items, questions, options))
}

fn assemble(
    attempts: Vec<AttemptRow>,
    items: Vec<ItemRow>,
    questions: Vec<QuestionRow>,
    options: Vec<OptionRow>,
) -> CourseResults {
    let mut options_of: HashMap<i64, Vec<AnalysedOption>> = HashMap::new();
    for o in options {
        options_of
            .entry(o.question_id)
            .or_default()
            .push(AnalysedOption {
                id: o.id,
                text: o.text,
                weight_percent: o.weight_percent,
            });
    }
    let mut items_of: HashMap<i64, Vec<ItemScore>> = HashMap::new();
    for i in items {
        let written: Vec<i64> = options_of
            .get(&i.question_id)
            .map(|o| o.iter().map(|o| o.id).collect())
            .unwrap_or_default();
        let response: Option<Response> = i
            .response
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok());
        items_of.entry(i.attempt_id).or_default().push(ItemScore {
            question_id: i.question_id,
            earned_centi: i.score_centi.unwrap_or(0),
            max_centi: i.points * 100,
            option_ids: chosen_options(response.as_ref(), &written),
        });
    }
    CourseResults {
        attempts: attempts
            .into_iter()
            .map(|a| FinalAttempt {
                total_centi: a.score_centi.unwrap_or(0),
                max_centi: a.max_centi.unwrap_or(0),
                items: items_of.remove(&a.id).unwrap_or_default(),
            })
            .collect(),
        questions: questions
            .into_iter()
            .map(|q| AnalysedQuestion {
                options: options_of.remove(&q.id).unwrap_or_default(),
                id: q.id,
                version: q.version,
                kind: q.kind,
                title: q.title,
                stem: q.stem,
                status: q.status,
            })
            .collect(),
    }
}

/// The ids of the options a response chose. A saved choice holds option indexes in written
/// order (not the shuffled order shown), so index i is the i-th option by position; an
/// index out of range (a forged request) is ignored.
pub fn chosen_options(response: Option<&Response>, written: &[i64]) -> Vec<i64> {
    match response {
        Some(Response::Choice(indexes)) => indexes
            .iter()
            .filter_map(|&i| written.get(i).copied())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_indexes_become_option_ids() {
        let written = [41, 42, 43];
        let choice = Response::Choice(vec![2, 0, 9]);
        assert_eq!(chosen_options(Some(&choice), &written), vec![43, 41]);
        assert!(chosen_options(Some(&Response::Text("x".into())), &written).is_empty());
        assert!(chosen_options(None, &written).is_empty());
    }

    #[test]
    fn items_join_their_attempt_with_the_question_maximum() {
        let results = assemble(
            vec![AttemptRow {
                id: 7,
                score_centi: Some(200),
                max_centi: Some(300),
            }],
            vec![ItemRow {
                attempt_id: 7,
                question_id: 3,
                score_centi: Some(200),
                points: 2,
                response: Some(r#"{"kind":"choice","value":[1]}"#.into()),
            }],
            vec![],
            vec![
                OptionRow {
                    id: 30,
                    question_id: 3,
                    text: "A".into(),
                    weight_percent: 0,
                },
                OptionRow {
                    id: 31,
                    question_id: 3,
                    text: "B".into(),
                    weight_percent: 100,
                },
            ],
        );
        assert_eq!(
            results.attempts,
            vec![FinalAttempt {
                total_centi: 200,
                max_centi: 300,
                items: vec![ItemScore {
                    question_id: 3,
                    earned_centi: 200,
                    max_centi: 200,
                    option_ids: vec![31],
                }],
            }]
        );
    }
}
