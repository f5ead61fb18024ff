//! What the exporter writes reads back to the same questions (generated questions whose
//! texts are full of GIFT's special characters), and the reader never panics.

use super::test_support::without_lines;
use super::{parse_gift, to_gift, Choice, Question, QuestionKind, ShortAnswerOption, TextFormat};
use proptest::prelude::*;

/// Short texts rich in characters GIFT gives a meaning to, some starting like a prefix.
pub(super) fn text() -> impl Strategy<Value = String> {
    let starts = prop::sample::select(vec![
        "",
        "",
        "",
        "[html]",
        "[moodle]",
        "//",
        "%5%",
        "%-1.5%",
        "_____",
        "::",
        "$CATEGORY:",
        "#",
        "T",
    ]);
    (starts, "[a-zA-Z0-9 ~=#{}:\\\\%\\[\\]_/$>\\-\n\té.]{0,12}")
        .prop_map(|(start, body)| format!("{start}{body}").trim().to_owned())
        .prop_filter("texts are trimmed and not empty", |t| !t.is_empty())
}

fn feedback() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn choices(weights: Vec<i64>) -> impl Strategy<Value = Vec<Choice>> {
    let n = weights.len();
    (
        Just(weights).prop_shuffle(),
        prop::collection::vec((text(), feedback()), n),
    )
        .prop_map(|(weights, texts)| {
            weights
                .into_iter()
                .zip(texts)
                .map(|(weight_percent, (text, feedback))| Choice {
                    text,
                    weight_percent,
                    feedback,
                })
                .collect()
        })
}

fn kind() -> impl Strategy<Value = QuestionKind> {
    let other = prop::sample::select(vec![-100, -50, -33, -25, 0, 0, 0, 10, 50, 90]);
    let single = prop::collection::vec(other.clone(), 1..4)
        .prop_flat_map(|mut w| {
            w.push(100);
            choices(w)
        })
        .prop_map(|options| QuestionKind::SingleChoice { options });
    let right = prop::sample::select(vec![
        vec![100],
        vec![50, 50],
        vec![34, 33, 33],
        vec![33, 33, 33],
        vec![20, 30, 50],
    ]);
    let wrong = prop::collection::vec(prop::sample::select(vec![0, -50, -100]), 0..3);
    let multiple = (right, wrong)
        .prop_filter("two options at least", |(r, w)| r.len() + w.len() >= 2)
        .prop_flat_map(|(r, w)| choices([r, w].concat()))
        .prop_map(|options| QuestionKind::MultipleChoice { options });
    let answer_text = text().prop_filter("GIFT cannot escape -> in a short answer", |t| {
        !t.contains("->")
    });
    let accepted = (
        answer_text,
        prop::sample::select(vec![0, 25, 50, 100]),
        feedback(),
    )
        .prop_map(|(text, weight_percent, feedback)| ShortAnswerOption {
            text,
            weight_percent,
            feedback,
        });
    let short = prop::collection::vec(accepted, 1..4)
        .prop_map(|mut answers| {
            answers[0].weight_percent = 100;
            answers
        })
        .prop_shuffle()
        .prop_map(|answers| QuestionKind::ShortAnswer { answers });
    let true_false = (any::<bool>(), feedback(), feedback()).prop_map(
        |(answer, feedback_true, feedback_false)| QuestionKind::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        },
    );
    prop_oneof![
        single,
        multiple,
        short,
        true_false,
        Just(QuestionKind::Essay)
    ]
}

pub(super) fn question() -> impl Strategy<Value = Question> {
    let stem = (text(), prop::option::of(text())).prop_map(|(a, b)| match b {
        Some(b) => format!("{a} _____ {b}"),
        None => a,
    });
    let format = prop::sample::select(TextFormat::ALL.to_vec());
    (
        prop::option::of(text()),
        prop::option::of(text()),
        stem,
        format,
        kind(),
        feedback(),
    )
        .prop_map(
            |(category, title, stem, stem_format, kind, general_feedback)| Question {
                category,
                title,
                stem,
                stem_format,
                kind,
                general_feedback,
                line: 0,
            },
        )
}

/// Characters that steer the reader, lines and blank lines included.
pub(super) const GIFT_LIKE: &str = "[a-cTF ~=#{}:\\\\%\\[\\]_/$>\\-\n\t0-9.]{0,80}";

/// Items assembled from GIFT's pieces, so that many of them are questions.
pub(super) fn gift_fragments() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "Q",
        "a b",
        " ",
        "{",
        "}",
        "~",
        "=",
        "%50%",
        "%-25%",
        "%100%",
        "#",
        "####",
        r"\n",
        r"\",
        r"\{",
        r"\=",
        r"\\",
        "\n",
        "\n\n",
        "::",
        "T",
        "FALSE",
        "->",
        "[html]",
        "[markdown]",
        "//",
        "$CATEGORY: c\n",
        "_____",
    ]);
    prop::collection::vec(fragment, 0..40).prop_map(|parts| parts.concat())
}

/// Items shaped like questions (title, stem, answers, feedback, text after the block), their
/// texts full of escapes and lookalikes, so that most of them are read.
fn question_like() -> impl Strategy<Value = String> {
    let bits = vec![
        "a", "b c", " ", r"\n", r"\\", r"\{", r"\~", r"\#", r"\:", "->", "[html]", "%5%", "_____",
        "//", ":", "#", "\n",
    ];
    let bit = prop::collection::vec(prop::sample::select(bits), 0..4).prop_map(|v| v.concat());
    let markers = vec![
        "~",
        "=",
        "~%50%",
        "~%-50%",
        "=%50%",
        "~%100%",
        "~%33.33333%",
        "T",
        "FALSE",
        "#",
    ];
    let answer = (
        prop::sample::select(markers),
        bit.clone(),
        prop::option::of(bit.clone()),
    )
        .prop_map(|(m, t, f)| f.map_or(format!("{m}{t}"), |f| format!("{m}{t}#{f}")));
    let block = (
        prop::collection::vec(answer, 0..4),
        prop::option::of(bit.clone()),
    )
        .prop_map(|(a, g)| {
            format!(
                "{{{}{}}}",
                a.concat(),
                g.map(|g| format!("####{g}")).unwrap_or_default()
            )
        });
    (prop::option::of(bit.clone()), bit.clone(), block, bit).prop_map(
        |(title, stem, block, after)| {
            let title = title.map(|t| format!("::{t}::")).unwrap_or_default();
            format!("{title}{stem}{block}{after}\n\n")
        },
    )
}

proptest! {
    // Failures are turned into plain tests rather than files beside the crate.
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn one_question_reads_back_as_written(question in question()) {
        let gift = to_gift(std::slice::from_ref(&question));
        let import = parse_gift(&gift);
        prop_assert_eq!(&import.problems, &vec![], "{}", gift);
        prop_assert_eq!(without_lines(&import.questions), vec![question], "{}", gift);
    }

    #[test]
    fn several_questions_read_back_as_written(questions in prop::collection::vec(question(), 1..5)) {
        let gift = to_gift(&questions);
        let import = parse_gift(&gift);
        prop_assert_eq!(&import.problems, &vec![], "{}", gift);
        prop_assert_eq!(without_lines(&import.questions), questions, "{}", gift);
    }

    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC{0,200}") {
        let import = parse_gift(&text);
        let lines = text.lines().count();
        prop_assert!(import.problems.iter().all(|p| (1..=lines).contains(&p.line)));
        prop_assert!(import.questions.iter().all(|q| (1..=lines).contains(&q.line)));
    }

    #[test]
    fn whatever_is_read_exports_to_the_same_questions(
        text in prop_oneof![GIFT_LIKE, gift_fragments(), prop::collection::vec(question_like(), 1..4).prop_map(|v| v.concat())]
    ) {
        let first = parse_gift(&text);
        let gift = to_gift(&first.questions);
        let again = parse_gift(&gift);
        prop_assert_eq!(&again.problems, &vec![], "{}", gift);
        prop_assert_eq!(without_lines(&again.questions), without_lines(&first.questions), "{}", gift);
    }
}
