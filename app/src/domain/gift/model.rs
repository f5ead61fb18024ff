//! The questions a GIFT file holds, in the shape the question bank keeps them: weights in
//! whole percent (-100 to 100), true/false as a flag, every text trimmed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One question read from (or written to) GIFT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The path of the last `$CATEGORY:` line before the question.
    pub category: Option<String>,
    /// The `::title::` it was given.
    pub title: Option<String>,
    /// The question text; an answer block written mid-sentence leaves [`BLANK`] in its place.
    pub stem: String,
    /// How the stem, answers and feedback are written (`[markdown]` and friends).
    pub stem_format: TextFormat,
    pub kind: QuestionKind,
    /// Shown to everyone after answering (`####` in GIFT).
    pub general_feedback: Option<String>,
    /// 1-based line of the file where the question starts (0 for a question not read from a
    /// file). Import bookkeeping: compare questions with [`Question::without_line`].
    pub line: usize,
}

impl Question {
    /// The same question with `line` set to 0, for comparing content only.
    pub fn without_line(&self) -> Question {
        Question {
            line: 0,
            ..self.clone()
        }
    }
}

/// The placeholder an answer block leaves in the middle of a stem ("fill the blank").
pub const BLANK: &str = "_____";

/// What kind of answer a question takes, with its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One option to pick: exactly one is worth 100%, the others their weight (default 0).
    SingleChoice { options: Vec<Choice> },
    /// Several options to tick: the chosen weights add up; the positive ones make 100%.
    MultipleChoice { options: Vec<Choice> },
    TrueFalse {
        answer: bool,
        /// Shown to someone who answered "true".
        feedback_true: Option<String>,
        /// Shown to someone who answered "false".
        feedback_false: Option<String>,
    },
    /// Accepted answers; one is worth 100%.
    ShortAnswer { answers: Vec<ShortAnswerOption> },
    /// Written answer graded by hand.
    Essay,
}

/// An option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Share of the points, -100 to 100.
    pub weight_percent: i64,
    pub feedback: Option<String>,
}

/// An accepted answer of a short-answer question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortAnswerOption {
    pub text: String,
    /// Share of the points, 0 to 100.
    pub weight_percent: i64,
    pub feedback: Option<String>,
}

/// Moodle's text formats; GIFT names them in a `[name]` prefix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextFormat {
    /// Moodle's own: HTML where line breaks count. GIFT's default.
    #[default]
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl TextFormat {
    pub const ALL: [TextFormat; 4] = [
        TextFormat::Moodle,
        TextFormat::Html,
        TextFormat::Plain,
        TextFormat::Markdown,
    ];

    /// The name between the brackets of the prefix.
    pub fn name(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle",
            TextFormat::Html => "html",
            TextFormat::Plain => "plain",
            TextFormat::Markdown => "markdown",
        }
    }

    /// The prefix as written, `[markdown]`.
    pub fn prefix(self) -> String {
        format!("[{}]", self.name())
    }

    /// Splits a leading `[name]` prefix off `text` (names are lowercase, as Moodle reads them).
    pub fn split_prefix(text: &str) -> Option<(TextFormat, &str)> {
        let inner = text.strip_prefix('[')?;
        let (name, rest) = inner.split_once(']')?;
        let format = TextFormat::ALL.into_iter().find(|f| f.name() == name)?;
        Some((format, rest))
    }
}

/// Text without an answer block (Moodle's "description"): not a question, but the bank reads
/// one as a scenario's vignette (see `question_import`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// The path of the last `$CATEGORY:` line before it.
    pub category: Option<String>,
    pub title: Option<String>,
    /// The text, its format prefix taken off.
    pub text: String,
    pub format: TextFormat,
    /// 1-based line where it starts (0 when not read from a file).
    pub line: usize,
}

/// One item of a GIFT file, in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Item {
    Question(Question),
    Description(Description),
}

/// Everything a GIFT file holds: its questions and descriptions in order, and one problem
/// for each item that is neither.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GiftFile {
    pub items: Vec<Item>,
    pub problems: Vec<Problem>,
}

/// What a GIFT file gave: the questions read, and one problem for each item that was not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GiftImport {
    pub questions: Vec<Question>,
    pub problems: Vec<Problem>,
}

/// An item of the file that did not become a question, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line where the item starts.
    pub line: usize,
    pub title: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(title) = &self.title {
            write!(f, " ({title})")?;
        }
        write!(f, ": {}", self.message)
    }
}
