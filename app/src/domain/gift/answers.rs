//! The answer block, `{...}`: which kind of question it makes, in Moodle's order (empty:
//! essay; `#` first: numerical; any `~`: choice; `=` with `->`: matching; `T`/`F`: true or
//! false; otherwise `=` answers: short answer), and the options with weights and feedback.

use super::escape::{collect, find, has_arrow, split_once, trim, Piece};
use super::model::{Choice, QuestionKind, ShortAnswerOption, TextFormat};
use super::weights::{check_range, split_weight, whole_percentages};

/// What an answer block gives.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Answers {
    pub kind: QuestionKind,
    pub general_feedback: Option<String>,
}

/// Reads the inside of an answer block; `format` is the question's text format.
pub(super) fn parse_answers(block: &[Piece], format: TextFormat) -> Result<Answers, String> {
    let (rest, general_feedback) = match last_general_feedback_mark(block) {
        Some(i) => (&block[..i], formatted(&block[i + 4..], format)?),
        None => (block, None),
    };
    let rest = trim(rest);
    let kind = if rest.is_empty() {
        QuestionKind::Essay
    } else if rest[0].is('#') {
        return Err("numerical question ({#...}): not supported".into());
    } else if find(rest, '~').is_some() {
        choices(rest, format)?
    } else if is_matching(rest) {
        return Err("matching question (=item -> match): not supported".into());
    } else if let Some(kind) = true_false(rest, format)? {
        kind
    } else {
        short_answer(rest, format)?
    };
    Ok(Answers {
        kind,
        general_feedback,
    })
}

/// Where the last `####` starts: general feedback follows it (Moodle takes the last one).
fn last_general_feedback_mark(block: &[Piece]) -> Option<usize> {
    (0..block.len().saturating_sub(3))
        .rev()
        .find(|&i| block[i..i + 4].iter().all(|p| p.is('#')))
}

/// Trimmed text of `pieces` without a format prefix naming the question's own format (the
/// bank keeps one format per question, so another one is refused); `None` when empty.
pub(super) fn formatted(pieces: &[Piece], format: TextFormat) -> Result<Option<String>, String> {
    let text = collect(pieces);
    let text = text.trim();
    let text = match TextFormat::split_prefix(text) {
        Some((own, rest)) if own == format => rest.trim(),
        Some((other, _)) => {
            return Err(format!(
                "\"{text}\" is in {} but the question is in {}: one text format per question",
                other.prefix(),
                format.prefix()
            ))
        }
        None => text,
    };
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// One answer as written: its marker, weight, text and feedback.
struct Written {
    marker: char,
    weight: Option<f64>,
    text: String,
    feedback: Option<String>,
}

/// Splits `rest` into answers, each starting with one of `markers`.
fn written_answers(
    rest: &[Piece],
    markers: &[char],
    format: TextFormat,
) -> Result<Vec<Written>, String> {
    let starts: Vec<usize> = (0..rest.len())
        .filter(|&i| markers.iter().any(|m| rest[i].is(*m)))
        .collect();
    let lead = trim(&rest[..starts.first().copied().unwrap_or(rest.len())]);
    if !lead.is_empty() {
        return Err(format!(
            "\"{}\" comes before the first answer: each answer starts with = (right) or ~ (wrong)",
            collect(lead)
        ));
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(rest.len());
            read_answer(rest[start].ch, trim(&rest[start + 1..end]), format)
        })
        .collect()
}

fn read_answer(marker: char, body: &[Piece], format: TextFormat) -> Result<Written, String> {
    let (weight, body) = match split_weight(body) {
        Some((weight, len)) => (Some(weight), &body[len..]),
        None => (None, body),
    };
    let (text, feedback) = split_once(body, '#').unwrap_or((body, &[]));
    let Some(text) = formatted(text, format)? else {
        return Err(format!("an answer after {marker} has no text"));
    };
    let feedback = formatted(feedback, format)?;
    Ok(Written {
        marker,
        weight,
        text,
        feedback,
    })
}

/// A choice question: one `=` answer makes a single choice (`~` options may carry partial
/// credit); none, or several, make a multiple choice, several `=` sharing 100% equally.
fn choices(rest: &[Piece], format: TextFormat) -> Result<QuestionKind, String> {
    let written = written_answers(rest, &['~', '='], format)?;
    if written.len() < 2 {
        return Err("a choice question needs at least two options".into());
    }
    let right = written.iter().filter(|a| a.marker == '=').count();
    let mut exact = Vec::with_capacity(written.len());
    for answer in &written {
        if let Some(weight) = answer.weight {
            check_range(weight, -100.0)?;
        }
        exact.push(match (answer.marker, answer.weight) {
            ('=', Some(w)) if w != 100.0 => {
                return Err(format!(
                    "= marks a right answer (100%); write ~%{w}% for partial credit"
                ))
            }
            ('=', _) => 100.0 / right as f64,
            (_, weight) => weight.unwrap_or(0.0),
        });
    }
    let weights = whole_percentages(&exact);
    let options: Vec<Choice> = written
        .into_iter()
        .zip(&weights)
        .map(|(a, w)| Choice {
            text: a.text,
            weight_percent: *w,
            feedback: a.feedback,
        })
        .collect();
    if right == 1 {
        if weights.iter().filter(|w| **w == 100).count() > 1 {
            return Err("several options are worth 100% in a single-choice question".into());
        }
        return Ok(QuestionKind::SingleChoice { options });
    }
    let positive: i64 = weights.iter().filter(|w| **w > 0).sum();
    if positive == 0 {
        return Err(
            "no right answer: mark it with =, or give the right options weights (~%50%)".into(),
        );
    }
    // 99 lets three whole thirds (33% each) through, as the question bank does.
    if !(99..=100).contains(&positive) {
        return Err(format!(
            "the right options' weights add up to {positive}%, not 100%"
        ));
    }
    Ok(QuestionKind::MultipleChoice { options })
}

/// Moodle's test for matching: an `=` answer holding `->` (before any feedback).
fn is_matching(rest: &[Piece]) -> bool {
    let mut chunks = rest.split(|p| p.is('='));
    chunks.next();
    chunks.any(|chunk| has_arrow(split_once(chunk, '#').map_or(chunk, |(answer, _)| answer)))
}

/// `T`, `TRUE`, `F` or `FALSE`, then `#` feedback for a wrong answer and `#` for a right one.
fn true_false(rest: &[Piece], format: TextFormat) -> Result<Option<QuestionKind>, String> {
    let (word, feedback) = split_once(rest, '#').unwrap_or((rest, &[]));
    let word = collect(trim(word));
    let answer = match word.as_str() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        w if ["T", "TRUE", "F", "FALSE"]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(w)) =>
        {
            return Err(format!(
                "write {} in capitals for a true/false question",
                w.to_uppercase()
            ))
        }
        _ => return Ok(None),
    };
    let (wrong, right) = split_once(feedback, '#').unwrap_or((feedback, &[]));
    let (wrong, right) = (formatted(wrong, format)?, formatted(right, format)?);
    let (feedback_true, feedback_false) = if answer {
        (right, wrong)
    } else {
        (wrong, right)
    };
    Ok(Some(QuestionKind::TrueFalse {
        answer,
        feedback_true,
        feedback_false,
    }))
}

/// `=` answers, each worth 100% unless weighted (0% to 100%).
fn short_answer(rest: &[Piece], format: TextFormat) -> Result<QuestionKind, String> {
    let mut answers = Vec::new();
    for answer in written_answers(rest, &['='], format)? {
        let weight = answer.weight.unwrap_or(100.0);
        check_range(weight, 0.0)?;
        answers.push(ShortAnswerOption {
            text: answer.text,
            weight_percent: weight.round() as i64,
            feedback: answer.feedback,
        });
    }
    if !answers.iter().any(|a| a.weight_percent == 100) {
        return Err("no accepted answer is worth 100%".into());
    }
    Ok(QuestionKind::ShortAnswer { answers })
}
