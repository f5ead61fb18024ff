//! GIFT questions into the bank and back: each becomes a question draft of the course, its
//! `$CATEGORY:` naming the topic; anything that does not fit is reported with its line.
//! Exported questions read back as the same drafts.

use super::{
    gift::{self, GiftImport, Problem},
    question::{check, OptionDraft, QuestionDraft, QuestionKind},
};

/// A question ready to save, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Importable {
    pub line: usize,
    /// The topic's title, for the preview.
    pub topic: String,
    pub draft: QuestionDraft,
}

/// The course's topic whose title matches the category's last part (case and surrounding
/// spaces ignored): "$CATEGORY: $course$/CITC/Defining the CIT model" names that topic.
fn topic_for(category: Option<&str>, topics: &[(i64, String)]) -> Option<(i64, String)> {
    let name = category?.rsplit('/').next()?.trim().to_lowercase();
    topics
        .iter()
        .find(|(_, title)| title.trim().to_lowercase() == name)
        .cloned()
}

fn option(text: &str, weight: i64, feedback: Option<&String>) -> OptionDraft {
    OptionDraft {
        text: text.to_owned(),
        weight_percent: weight,
        feedback: feedback.cloned().unwrap_or_default(),
    }
}

/// Turns a parsed GIFT file into drafts for a course with `topics` (id, title). Problems
/// of the parse come first, then questions whose category is not a topic or that the bank
/// refuses.
pub fn drafts(import: &GiftImport, topics: &[(i64, String)]) -> (Vec<Importable>, Vec<Problem>) {
    let mut ok = Vec::new();
    let mut problems = import.problems.clone();
    for q in &import.questions {
        let problem = |message: String| Problem {
            line: q.line,
            title: q.title.clone(),
            message,
        };
        let Some((topic_id, topic)) = topic_for(q.category.as_deref(), topics) else {
            problems.push(problem(match &q.category {
                Some(c) => format!("The category \"{c}\" is not a topic of this course. Use $CATEGORY: with a topic's title."),
                None => "No $CATEGORY: line names this question's topic.".to_owned(),
            }));
            continue;
        };
        let (kind, options) = match &q.kind {
            gift::QuestionKind::SingleChoice { options } => (
                QuestionKind::Single,
                options
                    .iter()
                    .map(|c| option(&c.text, c.weight_percent, c.feedback.as_ref()))
                    .collect(),
            ),
            gift::QuestionKind::MultipleChoice { options } => (
                QuestionKind::Multiple,
                options
                    .iter()
                    .map(|c| option(&c.text, c.weight_percent, c.feedback.as_ref()))
                    .collect(),
            ),
            gift::QuestionKind::TrueFalse {
                answer,
                feedback_true,
                feedback_false,
            } => (
                QuestionKind::TrueFalse,
                vec![
                    option(
                        "True",
                        if *answer { 100 } else { 0 },
                        feedback_true.as_ref(),
                    ),
                    option(
                        "False",
                        if *answer { 0 } else { 100 },
                        feedback_false.as_ref(),
                    ),
                ],
            ),
            gift::QuestionKind::ShortAnswer { answers } => (
                QuestionKind::ShortAnswer,
                answers
                    .iter()
                    .map(|a| option(&a.text, a.weight_percent, a.feedback.as_ref()))
                    .collect(),
            ),
            gift::QuestionKind::Essay => (QuestionKind::Essay, Vec::new()),
        };
        let draft = QuestionDraft {
            topic_id: Some(topic_id),
            group_id: None,
            kind,
            title: q.title.clone().unwrap_or_default(),
            stem: q.stem.clone(),
            points: 1,
            explanation: q.general_feedback.clone().unwrap_or_default(),
            // True and false stay in that order.
            pin_order: kind == QuestionKind::TrueFalse,
            options,
        };
        match check(&draft) {
            Ok(()) => ok.push(Importable {
                line: q.line,
                topic,
                draft,
            }),
            Err(e) => problems.push(problem(e.message)),
        }
    }
    problems.sort_by_key(|p| p.line);
    (ok, problems)
}

/// A bank question as GIFT, its topic as the category.
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
        category: Some(topic.to_owned()),
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

    fn topics() -> Vec<(i64, String)> {
        vec![
            (1, "Defining the CIT model".into()),
            (2, "Call management".into()),
        ]
    }

    #[test]
    fn categories_name_topics_and_kinds_map_across() {
        let text = "$CATEGORY: $course$/CITC/Defining the CIT model\n\n\
                    ::q1:: CIT stands for? {=Crisis Intervention Team ~Critical Incident Team#No}\n\n\
                    Officers need no partners. {F}\n\n\
                    $CATEGORY: call management\n\n\
                    Describe a calm opening. {}\n";
        let (ok, problems) = drafts(&gift::parse_gift(text), &topics());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ok.len(), 3);
        assert_eq!(
            (
                ok[0].draft.topic_id,
                ok[0].draft.kind,
                ok[0].draft.title.as_str()
            ),
            (Some(1), QuestionKind::Single, "q1")
        );
        assert_eq!(ok[0].draft.options[1].feedback, "No");
        let tf = &ok[1].draft;
        assert_eq!(tf.kind, QuestionKind::TrueFalse);
        assert_eq!(
            (tf.options[0].weight_percent, tf.options[1].weight_percent),
            (0, 100)
        );
        assert!(tf.pin_order);
        assert_eq!(
            (ok[2].draft.kind, ok[2].topic.as_str()),
            (QuestionKind::Essay, "Call management")
        );
    }

    #[test]
    fn unknown_topics_and_unsupported_items_are_reported_by_line() {
        let text = "$CATEGORY: Astrology\n\nIs this a topic? {T}\n\n$CATEGORY: Call management\n\nWhat is 2+2? {#4}\n";
        let (ok, problems) = drafts(&gift::parse_gift(text), &topics());
        assert!(ok.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert!(problems[0].message.contains("\"Astrology\" is not a topic"));
        assert_eq!(problems[1].line, 7);
    }

    #[test]
    fn exported_questions_read_back_as_the_same_drafts() {
        let text = "$CATEGORY: Defining the CIT model\n\n\
                    ::q1:: CIT stands for? {=Crisis Intervention Team ~Critical Incident Team#No}\n\n\
                    Officers need no partners. {F}\n\n\
                    Which are partners? {~%50%Police ~%50%Mental health ~%-50%Nobody}\n\n\
                    The acronym? {=CIT}\n\n\
                    $CATEGORY: Call management\n\n\
                    Describe a calm opening. {}\n";
        let (first, _) = drafts(&gift::parse_gift(text), &topics());
        let exported: Vec<gift::Question> = first
            .iter()
            .map(|q| to_gift_question(&q.draft, &q.topic))
            .collect();
        let again = gift::to_gift(&exported);
        let (second, problems) = drafts(&gift::parse_gift(&again), &topics());
        assert!(problems.is_empty(), "{problems:?}\n{again}");
        let plain = |v: &[Importable]| v.iter().map(|i| i.draft.clone()).collect::<Vec<_>>();
        assert_eq!(plain(&first), plain(&second), "{again}");
    }
}
