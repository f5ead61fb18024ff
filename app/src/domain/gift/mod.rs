//! GIFT, Moodle's plain-text format for questions: importing a file into questions the bank
//! can hold, and exporting questions back. Pure functions: no I/O, no database.
//!
//! Read: single choice (one `=`), multiple choice (`~` with weights, or several `=`), true
//! or false, short answer, essay; titles, categories, text formats, weights, per-answer and
//! general feedback, escapes, blocks mid-sentence (left as [`BLANK`] in the stem).
//! Reported as problems, one per item with its line: numerical, matching, several blanks and
//! malformed items. Descriptions (text without an answer block) are problems to
//! [`parse_gift`], which reads questions only; [`read_gift`] keeps them, in file order with
//! the questions, for the bank's scenario vignettes.
//!
//! `parse_gift(&to_gift(&questions))` gives the same questions back (lines aside), and
//! `read_gift(&write_gift(&items))` the same items.

mod answers;
mod escape;
mod export;
mod model;
mod parse;
mod split;
mod weights;

pub use export::{to_gift, write_gift};
pub use model::{
    Choice, Description, GiftFile, GiftImport, Item, Problem, Question, QuestionKind,
    ShortAnswerOption, TextFormat, BLANK,
};
pub use parse::{parse_gift, read_gift, DESCRIPTION_SKIPPED};

#[cfg(test)]
mod description_tests;
#[cfg(test)]
mod examples_tests;
#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod roundtrip_tests;
#[cfg(test)]
mod test_support;
