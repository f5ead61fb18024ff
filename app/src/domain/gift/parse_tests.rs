//! Each feature of the reader, and each way an item is refused.

use super::test_support::{
    multiple, only_problem, only_question, q, short, single, titled, true_false,
};
use super::{parse_gift, Problem, Question, QuestionKind, TextFormat};

#[test]
fn comments_blank_lines_and_lines_are_followed() {
    let import = parse_gift("// intro\n\nFirst?{T}\n\n\n// why\nSecond?\n{F}\n");
    let lines: Vec<usize> = import.questions.iter().map(|q| q.line).collect();
    assert_eq!(lines, vec![3, 7]);
    assert_eq!(import.questions[1].stem, "Second?");
}

#[test]
fn categories_apply_until_the_next_one() {
    let text = "$CATEGORY: $course$/top/Radio\n\nA?{T}\n\n$CATEGORY: Mental health\nB?{F}\n\n$CATEGORY:\n\nC?{T}";
    let categories: Vec<Option<String>> = parse_gift(text)
        .questions
        .into_iter()
        .map(|q| q.category)
        .collect();
    assert_eq!(
        categories,
        vec![
            Some("$course$/top/Radio".into()),
            Some("Mental health".into()),
            None
        ]
    );
}

#[test]
fn titles_are_read_with_escapes_and_may_be_missing() {
    assert_eq!(
        only_question(r"::Ratio 1\:2:: Mix? {T}").title.as_deref(),
        Some("Ratio 1:2")
    );
    assert_eq!(only_question(":::: Mix? {T}").title, None);
    let problem = only_problem("::Unclosed: Mix? {T}");
    assert_eq!(
        problem.message,
        "the title opened with :: is not closed with ::"
    );
}

#[test]
fn format_prefixes_set_the_text_format() {
    for format in TextFormat::ALL {
        let question = only_question(&format!("::t::{}  *Calm* voice? {{T}}", format.prefix()));
        assert_eq!(
            (question.stem_format, question.stem.as_str()),
            (format, "*Calm* voice?")
        );
    }
    assert_eq!(only_question("[foo] bar{T}").stem, "[foo] bar");
    assert_eq!(
        only_question("[Html] bar{T}").stem_format,
        TextFormat::Moodle
    );
}

#[test]
fn answers_may_repeat_the_question_format_but_not_change_it() {
    let question = only_question("[markdown]Pick{=[markdown]**a**#[markdown]yes ~b}");
    assert_eq!(
        question.kind,
        single(&[("**a**", 100, Some("yes")), ("b", 0, None)])
    );
    let problem = only_problem("[markdown]Pick{=[html]<b>a</b> ~b}");
    assert!(
        problem
            .message
            .contains("[html] but the question is in [markdown]"),
        "{problem}"
    );
}

#[test]
fn weights_feedback_and_general_feedback_are_read() {
    let question = only_question(
        "Which helps?{\n~%-25%Arguing#No.\n~%50%Listening#Partly.\n=Listening and validating#Yes!\n####Active listening first.}",
    );
    assert_eq!(
        question,
        Question {
            general_feedback: Some("Active listening first.".into()),
            ..q(
                "Which helps?",
                single(&[
                    ("Arguing", -25, Some("No.")),
                    ("Listening", 50, Some("Partly.")),
                    ("Listening and validating", 100, Some("Yes!"))
                ]),
            )
        }
    );
}

#[test]
fn several_right_answers_share_the_credit_and_thirds_make_one_hundred() {
    assert_eq!(
        only_question("Tick{=a =b ~c}").kind,
        multiple(&[("a", 50, None), ("b", 50, None), ("c", 0, None)])
    );
    assert_eq!(
        only_question("Tick{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}").kind,
        multiple(&[
            ("a", 34, None),
            ("b", 33, None),
            ("c", 33, None),
            ("d", -100, None)
        ])
    );
    assert_eq!(
        only_question("Tick{~%100%a ~b}").kind,
        multiple(&[("a", 100, None), ("b", 0, None)])
    );
}

#[test]
fn true_false_takes_both_spellings_and_two_feedbacks() {
    for (block, answer) in [
        ("{T}", true),
        ("{TRUE}", true),
        ("{F}", false),
        ("{FALSE}", false),
    ] {
        assert_eq!(
            only_question(&format!("Sky is blue.{block}")).kind,
            true_false(answer, None, None)
        );
    }
    // The first feedback is for a wrong answer, the second for a right one.
    assert_eq!(
        only_question("Sky is blue.{T#Look up.#Yes.}").kind,
        true_false(true, Some("Yes."), Some("Look up."))
    );
    assert_eq!(
        only_question("Sky is green.{F#Look up.}").kind,
        true_false(false, Some("Look up."), None)
    );
    assert_eq!(
        only_question("Sky is blue.{TRUE##Yes.####Rayleigh.}")
            .general_feedback
            .as_deref(),
        Some("Rayleigh.")
    );
    assert_eq!(
        only_problem("Sky is blue.{true}").message,
        "write TRUE in capitals for a true/false question"
    );
}

#[test]
fn short_answers_are_all_equals() {
    assert_eq!(
        only_question("Two plus two?{=four#Yes =%50%for#Spelling! =4}").kind,
        short(&[
            ("four", 100, Some("Yes")),
            ("for", 50, Some("Spelling!")),
            ("4", 100, None)
        ])
    );
    let problem = only_problem("Two plus two?{four}");
    assert!(
        problem
            .message
            .starts_with("\"four\" comes before the first answer"),
        "{problem}"
    );
}

#[test]
fn essays_have_an_empty_block_and_maybe_general_feedback() {
    assert_eq!(
        only_question("Describe de-escalation.{}").kind,
        QuestionKind::Essay
    );
    let question = only_question("Describe de-escalation.{\n####Mention time and distance.}");
    assert_eq!(
        (question.kind, question.general_feedback.as_deref()),
        (QuestionKind::Essay, Some("Mention time and distance."))
    );
}

#[test]
fn escapes_and_multiple_lines_are_text() {
    let question = only_question(
        "::a\\:b::Is \\{x\\} = 1\\n2 \\\\ 3?\nSecond line\\#{\n=yes \\~ \\=\nstill yes#fine\n=no}",
    );
    assert_eq!(question.stem, "Is {x} = 1\n2 \\ 3?\nSecond line#");
    assert_eq!(
        question.kind,
        short(&[("yes ~ =\nstill yes", 100, Some("fine")), ("no", 100, None)])
    );
}

#[test]
fn a_block_inside_the_stem_leaves_a_blank() {
    assert_eq!(only_question("{~a =b} is right.").stem, "_____ is right.");
    assert_eq!(only_question("It is {=b}!").stem, "It is _____!");
    assert_eq!(only_question("It is {=b}  ").stem, "It is");
}

#[test]
fn unsupported_types_are_named() {
    for (text, message) in [
        (
            "Year?{#1822:1}",
            "numerical question ({#...}): not supported",
        ),
        (
            "Pair.{=a -> 1 =b -> 2}",
            "matching question (=item -> match): not supported",
        ),
        (
            "Just some text.",
            "not a question, skipped: text with no {...} answer block (Moodle's \"description\")",
        ),
        (
            "::Intro::",
            "not a question, skipped: text with no {...} answer block (Moodle's \"description\")",
        ),
    ] {
        assert_eq!(only_problem(text).message, message, "{text}");
    }
    assert!(only_problem("A {=x} and {=y}.")
        .message
        .starts_with("several answer blocks: missing-word"));
}

#[test]
fn malformed_items_are_reported_with_their_line_and_title() {
    let import = parse_gift("// c\n::Unclosed::Q {\n~a\n\n=b}\n\nOK?{T}");
    assert_eq!(
        import.problems,
        vec![
            Problem {
                line: 2,
                title: Some("Unclosed".into()),
                message: "the answer block opened with { is not closed with } (a blank line ends a question)".into(),
            },
            Problem { line: 5, title: None, message: "} without a { before it".into() },
        ]
    );
    assert_eq!(import.questions.len(), 1);
    assert_eq!(
        import.problems[0].to_string(),
        format!("line 2 (Unclosed): {}", import.problems[0].message)
    );
}

#[test]
fn weights_that_make_no_sense_are_refused() {
    for (text, message) in [
        (
            "Q{~a ~b}",
            "no right answer: mark it with =, or give the right options weights (~%50%)",
        ),
        (
            "Q{~%50%a ~%20%b}",
            "the right options' weights add up to 70%, not 100%",
        ),
        (
            "Q{=a =b ~%50%c}",
            "the right options' weights add up to 150%, not 100%",
        ),
        ("Q{~%150%a =b}", "the weight 150% is outside -100% to 100%"),
        (
            "Q{=%50%a ~b}",
            "= marks a right answer (100%); write ~%50% for partial credit",
        ),
        (
            "Q{=a ~%100%b}",
            "several options are worth 100% in a single-choice question",
        ),
        ("Q{~a}", "a choice question needs at least two options"),
        ("Q{=a ~}", "an answer after ~ has no text"),
        ("Q{=%50%a}", "no accepted answer is worth 100%"),
        ("Q{=a =%-10%b}", "the weight -10% is outside 0% to 100%"),
        ("[html] {=a ~b}", "the question has no text"),
        ("Q} {=a}", "} without a { before it"),
        ("Q {=a}}", "} without a { before it"),
    ] {
        assert_eq!(only_problem(text).message, message, "{text}");
    }
    assert_eq!(
        only_problem("Q {=a {=b}").message,
        "a { opens before the answer block before it is closed with }"
    );
}

#[test]
fn a_question_right_under_its_category_line_is_kept() {
    let question = &parse_gift("$CATEGORY: Radio\n::Ten codes::10-4?{=OK}").questions[0];
    assert_eq!(
        question,
        &Question {
            category: Some("Radio".into()),
            line: 2,
            ..titled("Ten codes", q("10-4?", short(&[("OK", 100, None)])))
        }
    );
}
