//! The bank as GIFT, the way `question_import` reads it back to the same drafts and
//! scenarios: each question under its topic's category; each scenario's case as a
//! description under `<topic>/Scenario: <title>`, its questions after it in written order.

use super::{
    gift::{self, Description, Item},
    question::{QuestionDraft, QuestionKind},
    scenario::{category_part, scenario_category, ScenarioDraft, PREFIX},
};

/// A question with its topic's title.
pub type TopicQuestion = (QuestionDraft, String);

/// The bank as GIFT items: the questions without a scenario first, then each scenario with
/// its questions.
pub fn bank_items(
    standalone: &[TopicQuestion],
    scenarios: &[(ScenarioDraft, Vec<TopicQuestion>)],
) -> Vec<Item> {
    let mut items: Vec<Item> = standalone
        .iter()
        .map(|(draft, topic)| Item::Question(to_gift_question(draft, topic)))
        .collect();
    for (scenario, questions) in scenarios {
        let title = scenario.title.trim();
        // A scenario without questions yet still keeps its case, under no topic.
        let first = questions.first().map_or_else(
            || format!("{PREFIX} {}", category_part(title)),
            |(_, topic)| scenario_category(topic, title),
        );
        items.push(Item::Description(Description {
            category: Some(first),
            title: Some(title.to_owned()),
            text: scenario.vignette.trim().to_owned(),
            format: gift::TextFormat::Markdown,
            line: 0,
        }));
        items.extend(questions.iter().map(|(draft, topic)| {
            Item::Question(gift::Question {
                category: Some(scenario_category(topic, title)),
                ..to_gift_question(draft, topic)
            })
        }));
    }
    items
}

/// A bank question as GIFT, its topic as the category (a `/` in it doubled, as Moodle
/// writes it).
pub fn to_gift_question(draft: &QuestionDraft, topic: &str) -> gift::Question {
    let choices = || {
        draft
            .options
            .iter()
            .map(|o| gift::Choice {
                text: o.text.clone(),
                weight_percent: o.weight_percent,
                feedback: (!o.feedback.is_empty()).then(|| o.feedback.clone()),
            })
            .collect()
    };
    let feedback = |i: usize| {
        draft
            .options
            .get(i)
            .map(|o| o.feedback.clone())
            .filter(|f| !f.is_empty())
    };
    let kind = match draft.kind {
        QuestionKind::Single => gift::QuestionKind::SingleChoice { options: choices() },
        QuestionKind::Multiple => gift::QuestionKind::MultipleChoice { options: choices() },
        QuestionKind::TrueFalse => gift::QuestionKind::TrueFalse {
            answer: draft
                .options
                .first()
                .is_some_and(|o| o.weight_percent == 100),
            feedback_true: feedback(0),
            feedback_false: feedback(1),
        },
        QuestionKind::ShortAnswer => gift::QuestionKind::ShortAnswer {
            answers: draft
                .options
                .iter()
                .map(|o| gift::ShortAnswerOption {
                    text: o.text.clone(),
                    weight_percent: o.weight_percent,
                    feedback: (!o.feedback.is_empty()).then(|| o.feedback.clone()),
                })
                .collect(),
        },
        QuestionKind::Essay => gift::QuestionKind::Essay,
    };
    gift::Question {
        category: Some(category_part(topic)),
        title: (!draft.title.is_empty()).then(|| draft.title.clone()),
        stem: draft.stem.clone(),
        stem_format: gift::TextFormat::Moodle,
        kind,
        general_feedback: (!draft.explanation.is_empty()).then(|| draft.explanation.clone()),
        line: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        gift,
        question_import::{drafts, BankImport},
    };

    fn topics() -> Vec<(i64, String)> {
        vec![
            (1, "Defining the CIT model".into()),
            (2, "Call management".into()),
            (3, "Data in/out".into()),
        ]
    }

    /// What an import gives, as (scenario title, draft) pairs and the scenarios.
    fn saved(import: &BankImport) -> (Vec<(Option<String>, QuestionDraft)>, Vec<ScenarioDraft>) {
        let scenarios: Vec<ScenarioDraft> =
            import.scenarios.iter().map(|s| s.draft.clone()).collect();
        let questions = import
            .questions
            .iter()
            .map(|q| {
                (
                    q.scenario.map(|i| scenarios[i].title.clone()),
                    q.draft.clone(),
                )
            })
            .collect();
        (questions, scenarios)
    }

    #[test]
    fn exported_questions_and_scenarios_read_back_as_the_same_drafts() {
        let text = "$CATEGORY: Defining the CIT model\n\n\
                    ::q1:: CIT stands for? {=Crisis Intervention Team ~Critical Incident Team#No}\n\n\
                    Officers need no partners. {F}\n\n\
                    Which are partners? {~%50%Police ~%50%Mental health ~%-100%Nobody}\n\n\
                    The acronym? {=CIT}\n\n\
                    $CATEGORY: Data in//out\n\n\
                    Describe a calm opening. {}\n\n\
                    $CATEGORY: Call management/Scenario: Caller on the overpass\n\n\
                    ::Caller on the overpass::[markdown]A man calls from an overpass.\\n\\nHe is *calm* \\{so far\\}.\n\n\
                    ::First:: What first? {=Location ~Diagnosis}\n\n\
                    $CATEGORY: Data in//out/Scenario: caller on the overpass\n\n\
                    ::Then:: Log it? {T}\n\n\
                    $CATEGORY: Call management/Scenario: Either//or\n\n\
                    A case with no questions yet.\n";
        let first = drafts(&gift::read_gift(text), &topics());
        assert_eq!(first.problems, vec![]);
        assert_eq!(first.scenarios.len(), 2);
        assert_eq!(
            first.scenarios[0].draft.vignette,
            "A man calls from an overpass.\n\nHe is *calm* {so far}."
        );
        assert_eq!(first.scenarios[1].draft.title, "Either/or");
        let (questions, scenarios) = saved(&first);
        let topic_of = |d: &QuestionDraft| {
            topics()
                .into_iter()
                .find(|(id, _)| Some(*id) == d.topic_id)
                .unwrap()
                .1
        };
        let standalone: Vec<TopicQuestion> = questions
            .iter()
            .filter(|(s, _)| s.is_none())
            .map(|(_, d)| (d.clone(), topic_of(d)))
            .collect();
        let grouped: Vec<(ScenarioDraft, Vec<TopicQuestion>)> = scenarios
            .iter()
            .map(|s| {
                let qs = questions
                    .iter()
                    .filter(|(t, _)| t.as_deref() == Some(s.title.as_str()))
                    .map(|(_, d)| (d.clone(), topic_of(d)))
                    .collect();
                (s.clone(), qs)
            })
            .collect();
        let again = gift::write_gift(&bank_items(&standalone, &grouped));
        let second = drafts(&gift::read_gift(&again), &topics());
        assert_eq!(second.problems, vec![], "{again}");
        assert_eq!(saved(&second), saved(&first), "{again}");
    }
}
