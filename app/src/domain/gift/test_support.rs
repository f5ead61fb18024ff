//! Short ways to write expected questions in the tests.

use super::model::{Choice, Question, QuestionKind, ShortAnswerOption, TextFormat};
use super::{parse_gift, Problem};

/// An option or accepted answer: text, weight, feedback.
pub(super) type Opt<'a> = (&'a str, i64, Option<&'a str>);

/// An untitled Moodle-format question without category, line 0.
pub(super) fn q(stem: &str, kind: QuestionKind) -> Question {
    Question {
        category: None,
        title: None,
        stem: stem.into(),
        stem_format: TextFormat::Moodle,
        kind,
        general_feedback: None,
        line: 0,
    }
}

pub(super) fn titled(title: &str, question: Question) -> Question {
    Question {
        title: Some(title.into()),
        ..question
    }
}

fn choices(options: &[Opt]) -> Vec<Choice> {
    options
        .iter()
        .map(|(text, weight, feedback)| Choice {
            text: (*text).into(),
            weight_percent: *weight,
            feedback: feedback.map(Into::into),
        })
        .collect()
}

pub(super) fn single(options: &[Opt]) -> QuestionKind {
    QuestionKind::SingleChoice {
        options: choices(options),
    }
}

pub(super) fn multiple(options: &[Opt]) -> QuestionKind {
    QuestionKind::MultipleChoice {
        options: choices(options),
    }
}

pub(super) fn short(answers: &[Opt]) -> QuestionKind {
    QuestionKind::ShortAnswer {
        answers: answers
            .iter()
            .map(|(text, weight, feedback)| ShortAnswerOption {
                text: (*text).into(),
                weight_percent: *weight,
                feedback: feedback.map(Into::into),
            })
            .collect(),
    }
}

pub(super) fn true_false(
    answer: bool,
    feedback_true: Option<&str>,
    feedback_false: Option<&str>,
) -> QuestionKind {
    QuestionKind::TrueFalse {
        answer,
        feedback_true: feedback_true.map(Into::into),
        feedback_false: feedback_false.map(Into::into),
    }
}

/// The one question `text` holds, line reset; fails on any problem.
pub(super) fn only_question(text: &str) -> Question {
    let import = parse_gift(text);
    assert_eq!(import.problems, vec![], "{text}");
    assert_eq!(import.questions.len(), 1, "{text}");
    import.questions[0].without_line()
}

/// The one problem `text` holds; fails if anything was imported.
pub(super) fn only_problem(text: &str) -> Problem {
    let import = parse_gift(text);
    assert_eq!(import.questions, vec![], "{text}");
    assert_eq!(import.problems.len(), 1, "{text}");
    import.problems[0].clone()
}

/// The questions with their lines reset.
pub(super) fn without_lines(questions: &[Question]) -> Vec<Question> {
    questions.iter().map(Question::without_line).collect()
}
