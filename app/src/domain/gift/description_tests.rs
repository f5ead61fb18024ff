//! Descriptions (text without an answer block): [`read_gift`] keeps them in file order with
//! their category, title and format, [`parse_gift`] still reports them as skipped, and what
//! [`write_gift`] writes reads back to the same items.

use super::roundtrip_tests::{gift_fragments, question, text, GIFT_LIKE};
use super::test_support::{q, true_false};
use super::{
    parse_gift, read_gift, write_gift, Description, Item, Question, TextFormat, DESCRIPTION_SKIPPED,
};
use proptest::prelude::*;

fn description(category: Option<&str>, title: Option<&str>, text: &str) -> Description {
    Description {
        category: category.map(Into::into),
        title: title.map(Into::into),
        text: text.into(),
        format: TextFormat::Moodle,
        line: 0,
    }
}

/// The items with their lines reset.
fn without_lines(items: &[Item]) -> Vec<Item> {
    items
        .iter()
        .map(|item| match item {
            Item::Question(q) => Item::Question(q.without_line()),
            Item::Description(d) => Item::Description(Description {
                line: 0,
                ..d.clone()
            }),
        })
        .collect()
}

#[test]
fn descriptions_are_kept_in_order_with_their_category_title_and_format() {
    let text = "$CATEGORY: Calls/Scenario: Bridge\n\n\
                ::Bridge::[markdown]A woman calls from a bridge.\\n\\nShe is *crying*.\n\n\
                Is she at risk? {T}\n\n\
                $CATEGORY: Other\n\n\
                Just some text \\{not a block\\}.\n";
    let file = read_gift(text);
    assert_eq!(file.problems, vec![]);
    let bridge = Description {
        format: TextFormat::Markdown,
        line: 3,
        ..description(
            Some("Calls/Scenario: Bridge"),
            Some("Bridge"),
            "A woman calls from a bridge.\n\nShe is *crying*.",
        )
    };
    let question = Question {
        category: Some("Calls/Scenario: Bridge".into()),
        line: 5,
        ..q("Is she at risk?", true_false(true, None, None))
    };
    let other = Description {
        line: 9,
        ..description(Some("Other"), None, "Just some text {not a block}.")
    };
    assert_eq!(
        file.items,
        vec![
            Item::Description(bridge),
            Item::Question(question.clone()),
            Item::Description(other)
        ]
    );
    // The questions-only reader skips both descriptions, at their lines.
    let import = parse_gift(text);
    assert_eq!(import.questions, vec![question]);
    let skipped: Vec<(usize, &str)> = import
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        skipped,
        vec![(3, DESCRIPTION_SKIPPED), (9, DESCRIPTION_SKIPPED)]
    );
}

#[test]
fn a_description_is_written_with_its_format_so_lookalike_text_survives() {
    let items = vec![Item::Description(description(
        Some("Topic/Scenario: A"),
        Some("A"),
        "[html]x {y}\n//z",
    ))];
    let gift = write_gift(&items);
    assert_eq!(
        gift,
        "$CATEGORY: Topic/Scenario: A\n\n::A::[moodle][html]x \\{y\\}\\n//z\n\n"
    );
    assert_eq!(without_lines(&read_gift(&gift).items), items);
}

fn item() -> impl Strategy<Value = Item> {
    let described = (
        prop::option::of(text()),
        prop::option::of(text()),
        text(),
        prop::sample::select(TextFormat::ALL.to_vec()),
    )
        .prop_map(|(category, title, text, format)| {
            Item::Description(Description {
                category,
                title,
                text,
                format,
                line: 0,
            })
        });
    prop_oneof![question().prop_map(Item::Question), described]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn questions_and_descriptions_read_back_as_written(items in prop::collection::vec(item(), 1..6)) {
        let gift = write_gift(&items);
        let file = read_gift(&gift);
        prop_assert_eq!(&file.problems, &vec![], "{}", gift);
        prop_assert_eq!(without_lines(&file.items), items, "{}", gift);
    }

    #[test]
    fn whatever_is_read_writes_back_to_the_same_items(
        text in prop_oneof![GIFT_LIKE, gift_fragments()]
    ) {
        let first = read_gift(&text);
        let gift = write_gift(&first.items);
        let again = read_gift(&gift);
        prop_assert_eq!(&again.problems, &vec![], "{}", gift);
        prop_assert_eq!(without_lines(&again.items), without_lines(&first.items), "{}", gift);
    }
}
