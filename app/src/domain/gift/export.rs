//! Writing questions as GIFT that Moodle and [`parse_gift`](super::parse_gift) read back
//! to the same questions.

use super::escape::escape;
use super::model::{Choice, Description, Item, Question, QuestionKind, TextFormat, BLANK};
use super::weights::looks_like_weight;

/// Writes `questions` as GIFT, a `$CATEGORY:` line wherever the category changes, a blank
/// line after each question. Line breaks in texts are written `\n`.
pub fn to_gift(questions: &[Question]) -> String {
    let items: Vec<Item> = questions.iter().cloned().map(Item::Question).collect();
    write_gift(&items)
}

/// Writes questions and descriptions as GIFT, in order, as [`to_gift`] does; a description
/// always carries its format prefix, so that it reads back with its text unchanged.
pub fn write_gift(items: &[Item]) -> String {
    let mut out = String::new();
    let mut category: Option<&str> = None;
    for item in items {
        let this = match item {
            Item::Question(q) => q.category.as_deref(),
            Item::Description(d) => d.category.as_deref(),
        };
        if this != category {
            out.push_str("$CATEGORY:");
            if let Some(path) = this {
                out.push(' ');
                // Moodle reads the path raw but for `\\`: escaping only what must be.
                out.push_str(&path.replace('\\', "\\\\").replace('\n', "\\n"));
            }
            out.push_str("\n\n");
            category = this;
        }
        match item {
            Item::Question(q) => write_question(&mut out, q),
            Item::Description(d) => write_description(&mut out, d),
        }
        out.push_str("\n\n");
    }
    out
}

fn write_description(out: &mut String, d: &Description) {
    if let Some(title) = &d.title {
        out.push_str(&format!("::{}::", escape(title)));
    }
    out.push_str(&d.format.prefix());
    out.push_str(&escape(&d.text));
}

fn write_question(out: &mut String, q: &Question) {
    if let Some(title) = &q.title {
        out.push_str(&format!("::{}::", escape(title)));
    }
    // A stem that starts like a format prefix (or, untitled, like a comment) gets its format
    // written out even when it is the default, so the reader takes only that one off.
    let looks_special = TextFormat::split_prefix(&q.stem).is_some()
        || (q.title.is_none() && q.stem.starts_with("//"));
    if q.stem_format != TextFormat::Moodle || looks_special {
        out.push_str(&q.stem_format.prefix());
    }
    let block = answer_block(q);
    match blank_position(&q.stem) {
        Some(i) => {
            out.push_str(&escape(&q.stem[..i]));
            out.push_str(&block);
            out.push_str(&escape(&q.stem[i + BLANK.len()..]));
        }
        None => {
            out.push_str(&escape(&q.stem));
            out.push_str(&block);
        }
    }
}

/// The first blank with text after it: the block goes there. A blank ending the stem stays
/// as text with the block after it, since a block ending the text leaves no blank.
fn blank_position(stem: &str) -> Option<usize> {
    stem.match_indices(BLANK)
        .map(|(i, _)| i)
        .find(|i| i + BLANK.len() < stem.len())
}

fn answer_block(q: &Question) -> String {
    let format = q.stem_format;
    let general = q
        .general_feedback
        .as_deref()
        .map(|g| format!("####{}", text(g, format)))
        .unwrap_or_default();
    let lines: Vec<String> = match &q.kind {
        QuestionKind::Essay => return format!("{{{general}}}"),
        QuestionKind::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            let (word, right, wrong) = if *answer {
                ("TRUE", feedback_true, feedback_false)
            } else {
                ("FALSE", feedback_false, feedback_true)
            };
            let mut block = format!("{{{word}");
            if wrong.is_some() || right.is_some() {
                block.push('#');
                block.push_str(
                    &wrong
                        .as_deref()
                        .map(|w| text(w, format))
                        .unwrap_or_default(),
                );
            }
            if let Some(right) = right {
                block.push('#');
                block.push_str(&text(right, format));
            }
            return format!("{block}{general}}}");
        }
        QuestionKind::SingleChoice { options } => options
            .iter()
            .map(|o| choice(o, o.weight_percent == 100, format))
            .collect(),
        QuestionKind::MultipleChoice { options } => {
            options.iter().map(|o| choice(o, false, format)).collect()
        }
        QuestionKind::ShortAnswer { answers } => answers
            .iter()
            .map(|a| {
                answer(
                    '=',
                    a.weight_percent,
                    100,
                    &a.text,
                    a.feedback.as_deref(),
                    format,
                )
            })
            .collect(),
    };
    let mut block = String::from("{\n");
    for line in lines
        .iter()
        .chain((!general.is_empty()).then_some(&general))
    {
        block.push('\t');
        block.push_str(line);
        block.push('\n');
    }
    block.push('}');
    block
}

/// `=text` for the right option of a single choice, `~%weight%text` otherwise.
fn choice(option: &Choice, right: bool, format: TextFormat) -> String {
    let (marker, default) = if right { ('=', 100) } else { ('~', 0) };
    let feedback = option.feedback.as_deref();
    answer(
        marker,
        option.weight_percent,
        default,
        &option.text,
        feedback,
        format,
    )
}

/// One answer; the weight is written when it is not the marker's default, or when the text
/// itself starts like a weight.
fn answer(
    marker: char,
    weight: i64,
    default: i64,
    answer_text: &str,
    feedback: Option<&str>,
    format: TextFormat,
) -> String {
    let mut line = String::from(marker);
    if weight != default || looks_like_weight(answer_text) {
        line.push_str(&format!("%{weight}%"));
    }
    line.push_str(&text(answer_text, format));
    if let Some(feedback) = feedback {
        line.push('#');
        line.push_str(&text(feedback, format));
    }
    line
}

/// An escaped answer or feedback text; one that starts like a format prefix is preceded by
/// the question's own, which the reader takes off.
fn text(text: &str, format: TextFormat) -> String {
    let guard = TextFormat::split_prefix(text).map(|_| format.prefix());
    format!("{}{}", guard.unwrap_or_default(), escape(text))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{multiple, q, short, single, titled, true_false};
    use super::*;

    #[test]
    fn writes_categories_titles_blanks_and_feedback() {
        let radio = |question: Question| Question {
            category: Some("Radio".into()),
            ..question
        };
        let questions = vec![
            radio(titled(
                "Codes",
                q(
                    "10-4 means _____ here.",
                    single(&[("OK", 100, Some("Yes")), ("No", -50, None)]),
                ),
            )),
            radio(q("Sky {blue}?", true_false(false, Some("Look: up"), None))),
            Question {
                stem_format: TextFormat::Markdown,
                ..q("*Why*?", QuestionKind::Essay)
            },
        ];
        assert_eq!(
            to_gift(&questions),
            "$CATEGORY: Radio\n\n\
             ::Codes::10-4 means {\n\t=OK#Yes\n\t~%-50%No\n} here.\n\n\
             Sky \\{blue\\}?{FALSE#Look\\: up}\n\n\
             $CATEGORY:\n\n\
             [markdown]*Why*?{}\n\n"
        );
    }

    #[test]
    fn writes_weights_only_where_needed_and_guards_lookalikes() {
        let question = Question {
            general_feedback: Some("[html]x".into()),
            ..q(
                "//not a comment",
                multiple(&[("%5%", 100, None), ("[plain]b", 0, None)]),
            )
        };
        assert_eq!(
            to_gift(&[question]),
            "[moodle]//not a comment{\n\t~%100%%5%\n\t~[moodle][plain]b\n\t####[moodle][html]x\n}\n\n"
        );
        assert_eq!(
            to_gift(&[q("Say", short(&[("hi", 100, None), ("yo", 50, None)]))]),
            "Say{\n\t=hi\n\t=%50%yo\n}\n\n"
        );
        assert_eq!(
            to_gift(&[q("End _____", true_false(true, None, Some("No")))]),
            "End _____{TRUE#No}\n\n"
        );
    }
}
