//! Reading a GIFT file: each item becomes a question, a description or a problem naming its
//! line.

use super::answers::parse_answers;
use super::escape::{collect, find, trim, unescape, Piece};
use super::model::{Description, GiftFile, GiftImport, Item, Problem, Question, TextFormat, BLANK};
use super::split::{join, split_blocks};

/// Reads every question of a GIFT file. Items that are not questions, use a question type
/// the bank does not have, or are malformed are reported in `problems`, one per item, with
/// the line where the item starts; nothing is dropped silently.
pub fn parse_gift(text: &str) -> GiftImport {
    let file = read_gift(text);
    let mut import = GiftImport {
        questions: Vec::new(),
        problems: file.problems,
    };
    for item in file.items {
        match item {
            Item::Question(question) => import.questions.push(question),
            Item::Description(d) => import.problems.push(Problem {
                line: d.line,
                title: d.title,
                message: DESCRIPTION_SKIPPED.into(),
            }),
        }
    }
    import.problems.sort_by_key(|p| p.line);
    import
}

/// What [`parse_gift`] says of a description.
pub const DESCRIPTION_SKIPPED: &str =
    "not a question, skipped: text with no {...} answer block (Moodle's \"description\")";

/// Reads every item of a GIFT file: questions and descriptions (text without an answer
/// block) in file order, and a problem for each item that is neither.
pub fn read_gift(text: &str) -> GiftFile {
    let mut file = GiftFile::default();
    let mut category: Option<String> = None;
    for block in split_blocks(text) {
        let mut lines = &block.lines[..];
        if let Some(path) = lines
            .first()
            .and_then(|(_, l)| l.strip_prefix("$CATEGORY:"))
        {
            let path = collect(&unescape(path));
            category = Some(path.trim().to_owned()).filter(|p| !p.is_empty());
            // Moodle would swallow a question written right under the category line.
            lines = &lines[1..];
        }
        let Some(&(line, _)) = lines.first() else {
            continue;
        };
        match read_item(&unescape(&join(lines))) {
            Ok(Item::Question(question)) => file.items.push(Item::Question(Question {
                category: category.clone(),
                line,
                ..question
            })),
            Ok(Item::Description(description)) => file.items.push(Item::Description(Description {
                category: category.clone(),
                line,
                ..description
            })),
            Err(Rejected { title, message }) => file.problems.push(Problem {
                line,
                title,
                message,
            }),
        }
    }
    file
}

/// Why an item was not read, with its title when it had one.
struct Rejected {
    title: Option<String>,
    message: String,
}

/// One item (after its category line), without category and line.
fn read_item(pieces: &[Piece]) -> Result<Item, Rejected> {
    let (title, rest) = split_title(pieces).map_err(|message| Rejected {
        title: None,
        message,
    })?;
    read_body(title.clone(), rest).map_err(|message| Rejected { title, message })
}

/// `::title::` at the start: the title (None when absent or empty) and what follows.
fn split_title(pieces: &[Piece]) -> Result<(Option<String>, &[Piece]), String> {
    let opens = pieces.len() >= 2 && pieces[0].is(':') && pieces[1].is(':');
    if !opens {
        return Ok((None, pieces));
    }
    let rest = &pieces[2..];
    let close = rest
        .windows(2)
        .position(|w| w[0].is(':') && w[1].is(':'))
        .ok_or("the title opened with :: is not closed with ::")?;
    let title = collect(trim(&rest[..close]));
    Ok((
        Some(title).filter(|t| !t.is_empty()),
        trim(&rest[close + 2..]),
    ))
}

fn read_body(title: Option<String>, pieces: &[Piece]) -> Result<Item, String> {
    let Some((open, close)) = locate_answers(pieces)? else {
        let text = collect(pieces);
        let text = text.trim();
        let (format, text) = TextFormat::split_prefix(text).unwrap_or((TextFormat::Moodle, text));
        return Ok(Item::Description(Description {
            category: None,
            title,
            text: text.trim().to_owned(),
            format,
            line: 0,
        }));
    };
    let (before, after) = (&pieces[..open], &pieces[close + 1..]);
    // Moodle's rule: a block ending the text is removed, one inside it leaves a blank.
    let stem = if trim(after).is_empty() {
        collect(before)
    } else {
        format!("{}{BLANK}{}", collect(before), collect(after))
    };
    let stem = stem.trim();
    let (stem_format, stem) = TextFormat::split_prefix(stem).unwrap_or((TextFormat::Moodle, stem));
    let stem = stem.trim();
    if stem.is_empty() {
        return Err("the question has no text".into());
    }
    let answers = parse_answers(&pieces[open + 1..close], stem_format)?;
    Ok(Item::Question(Question {
        category: None,
        title,
        stem: stem.to_owned(),
        stem_format,
        kind: answers.kind,
        general_feedback: answers.general_feedback,
        line: 0,
    }))
}

/// Where the answer block opens and closes; None when there is none.
fn locate_answers(pieces: &[Piece]) -> Result<Option<(usize, usize)>, String> {
    let (open, close) = match (find(pieces, '{'), find(pieces, '}')) {
        (None, None) => return Ok(None),
        (Some(open), Some(close)) if open < close => (open, close),
        (Some(_), None) => return Err(
            "the answer block opened with { is not closed with } (a blank line ends a question)"
                .into(),
        ),
        _ => return Err("} without a { before it".into()),
    };
    if find(&pieces[open + 1..close], '{').is_some() {
        return Err("a { opens before the answer block before it is closed with }".into());
    }
    let after = &pieces[close + 1..];
    if find(after, '{').is_some() {
        return Err("several answer blocks: missing-word questions with several blanks are not supported (or a blank line is missing between two questions)".into());
    }
    if find(after, '}').is_some() {
        return Err("} without a { before it".into());
    }
    Ok(Some((open, close)))
}
