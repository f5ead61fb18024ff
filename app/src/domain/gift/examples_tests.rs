//! Moodle's own example file (`fixtures/gift-examples.txt`, 207 lines): every item is either
//! imported exactly or reported at its line with the unsupported type named.

use super::test_support::{multiple, q, short, single, titled, true_false};
use super::{parse_gift, to_gift, Question, QuestionKind, TextFormat};

const EXAMPLES: &str = include_str!("fixtures/gift-examples.txt");

const NUMERICAL: &str = "numerical question ({#...}): not supported";
const MATCHING: &str = "matching question (=item -> match): not supported";

fn expected_questions() -> Vec<(usize, Question)> {
    let grant = "Who's buried in Grant's tomb?";
    let grant_mc = q(
        grant,
        single(&[
            ("Grant", 0, None),
            ("Jefferson", 0, None),
            ("no one", 100, None),
        ]),
    );
    let grant_blank = q(
        "Grant is _____ in Grant's tomb.",
        single(&[
            ("buried", 0, None),
            ("entombed", 100, None),
            ("living", 0, None),
        ]),
    );
    let grant_false = q(
        "Grant is buried in Grant's tomb.",
        true_false(false, None, None),
    );
    let grant_sa = q(
        grant,
        short(&[("no one", 100, None), ("nobody", 100, None)]),
    );
    let thanksgiving = single(&[
        ("second", 0, None),
        ("third", 0, None),
        ("fourth", 100, None),
    ]);
    let excellent = Some("excellent answer!");
    let grant_sa_feedback = short(&[("no one", 100, excellent), ("nobody", 100, excellent)]);
    let born_here = Some("He was born here, but not raised here.");
    let nazareth_sa = short(&[
        ("Nazareth", 100, Some("Yes! That's right!")),
        ("Nazereth", 75, Some("Right, but misspelled.")),
        ("Bethlehem", 25, born_here),
    ]);
    let two_people = "What two people are entombed in Grant's tomb?";
    let control_feedback = [
        "~ is a control character.",
        "= is a control character.",
        "# is a control character.",
        "{ is a control character.",
        "} is a control character.",
    ];
    let mut control_options: Vec<_> = ["~", "=", "#", "{", "}"]
        .into_iter()
        .zip(control_feedback)
        .map(|(c, f)| (c, 0, Some(f)))
        .collect();
    control_options.push((
        "\\",
        100,
        Some(
            "Correct! \\ (backslash) is not a control character. BUT,\n\
             it is used to escape the control characters. So, to specify\n\
             a literal backslash, you must escape it with a backslash\n\
             (as shown in this example).",
        ),
    ));
    vec![
        (8, grant_mc.clone()),
        (10, grant_blank.clone()),
        (12, grant_false.clone()),
        (14, grant_sa.clone()),
        (25, grant_mc.clone()),
        (27, grant_blank.clone()),
        (29, q("The American holiday of Thanksgiving is celebrated on the _____ Thursday of November.", thanksgiving.clone())),
        (
            35,
            q(
                "Japanese characters originally came from what country?",
                single(&[("India", 0, None), ("China", 100, None), ("Korea", 0, None), ("Egypt", 0, None)]),
            ),
        ),
        (43, grant_sa.clone()),
        (45, q("Two plus two equals _____.", short(&[("four", 100, None), ("4", 100, None)]))),
        (49, grant_false.clone()),
        (51, q("The sun rises in the east.", true_false(true, None, None))),
        (
            90,
            titled(
                "Kanji Origins",
                q("Japanese characters originally\ncame from what country?", short(&[("China", 100, None)])),
            ),
        ),
        (
            93,
            titled(
                "Thanksgiving Date",
                q("The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November.", thanksgiving),
            ),
        ),
        (
            98,
            q(
                "What's the answer to this multiple-choice question?",
                single(&[
                    ("wrong answer", 0, Some("feedback comment on the wrong answer")),
                    ("another wrong answer", 0, Some("feedback comment on this wrong answer")),
                    ("right answer", 100, Some("Very good!")),
                ]),
            ),
        ),
        (103, q(grant, grant_sa_feedback.clone())),
        (
            108,
            Question {
                stem_format: TextFormat::Markdown,
                ..q("Who's buried in **Grant's tomb**?", grant_sa_feedback)
            },
        ),
        (
            113,
            q("Grant is buried in Grant's tomb.", true_false(false, Some("No one is buried in Grant's tomb."), None)),
        ),
        (
            115,
            q(
                "Difficult question.",
                single(&[("wrong answer", 0, None), ("half credit answer", 50, None), ("full credit answer", 100, None)]),
            ),
        ),
        (
            117,
            titled(
                "Jesus' hometown",
                q(
                    "Jesus Christ was from _____.",
                    single(&[
                        ("Jerusalem", 0, Some("This was an important city, but the wrong answer.")),
                        ("Bethlehem", 25, born_here),
                        ("Galilee", 50, Some("You need to be more specific.")),
                        ("Nazareth", 100, Some("Yes! That's right!")),
                    ]),
                ),
            ),
        ),
        (123, titled("Jesus' hometown", q("Jesus Christ was from", nazareth_sa.clone()))),
        (
            130,
            q(two_people, multiple(&[("No one", 0, None), ("Grant", 50, None), ("Grant's wife", 50, None), ("Grant's father", 0, None)])),
        ),
        (
            136,
            q(two_people, multiple(&[("No one", -50, None), ("Grant", 50, None), ("Grant's wife", 50, None), ("Grant's father", -50, None)])),
        ),
        (
            143,
            q("Which answer equals 5?", single(&[("= 2 + 2", 0, None), ("= 2 + 3", 100, None), ("= 2 + 4", 0, None)])),
        ),
        (
            148,
            titled(
                "GIFT Control Characters",
                q("Which of the following is NOT a control character for the GIFT import format?", single(&control_options)),
            ),
        ),
        (167, grant_mc),
        (169, grant_blank),
        (171, grant_false),
        (173, grant_sa),
        (
            184,
            titled(
                "Grant's Tomb",
                q(
                    "Grant is _____ in Grant's tomb.",
                    single(&[
                        ("buried", 0, Some("No one is buried there.")),
                        ("entombed", 100, Some("Right answer!")),
                        ("living", 0, Some("We hope not!")),
                    ]),
                ),
            ),
        ),
        (
            190,
            q(
                "Difficult multiple choice question.",
                single(&[
                    ("wrong answer", 0, Some("comment on wrong answer")),
                    ("half credit answer", 50, Some("comment on answer")),
                    ("full credit answer", 100, Some("well done!")),
                ]),
            ),
        ),
        (195, titled("Jesus' hometown (Short answer ex.)", q("Jesus Christ was from _____.", nazareth_sa))),
    ]
}

#[test]
fn every_supported_example_is_imported_exactly() {
    let import = parse_gift(EXAMPLES);
    let expected: Vec<Question> = expected_questions()
        .into_iter()
        .map(|(line, question)| Question { line, ..question })
        .collect();
    for (got, want) in import.questions.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(import.questions, expected);
}

#[test]
fn every_unsupported_example_is_reported_at_its_line() {
    let import = parse_gift(EXAMPLES);
    let reported: Vec<(usize, Option<&str>, &str)> = import
        .problems
        .iter()
        .map(|p| (p.line, p.title.as_deref(), p.message.as_str()))
        .collect();
    let n = |line| (line, None, NUMERICAL);
    let m = |line| (line, None, MATCHING);
    assert_eq!(
        reported,
        vec![
            n(16),
            m(55),
            m(61),
            n(70),
            n(72),
            n(74),
            n(76),
            n(85),
            n(175),
            m(177),
            (202, Some("Numerical example"), NUMERICAL)
        ]
    );
}

#[test]
fn the_counts_add_up_to_every_item_of_the_file() {
    let import = parse_gift(EXAMPLES);
    let count =
        |pred: fn(&QuestionKind) -> bool| import.questions.iter().filter(|q| pred(&q.kind)).count();
    assert_eq!(import.questions.len(), 32);
    assert_eq!(
        count(|k| matches!(k, QuestionKind::SingleChoice { .. })),
        16
    );
    assert_eq!(
        count(|k| matches!(k, QuestionKind::MultipleChoice { .. })),
        2
    );
    assert_eq!(count(|k| matches!(k, QuestionKind::TrueFalse { .. })), 5);
    assert_eq!(count(|k| matches!(k, QuestionKind::ShortAnswer { .. })), 9);
    assert_eq!(count(|k| matches!(k, QuestionKind::Essay)), 0);
    let by = |m: &str| import.problems.iter().filter(|p| p.message == m).count();
    assert_eq!(
        (import.problems.len(), by(NUMERICAL), by(MATCHING)),
        (11, 8, 3)
    );
}

#[test]
fn the_imported_examples_export_and_import_to_the_same_questions() {
    let questions = parse_gift(EXAMPLES).questions;
    let again = parse_gift(&to_gift(&questions));
    assert_eq!(again.problems, vec![]);
    let strip = |qs: &[Question]| qs.iter().map(Question::without_line).collect::<Vec<_>>();
    assert_eq!(strip(&again.questions), strip(&questions));
}
