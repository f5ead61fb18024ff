//! GIFT questions into the bank: each becomes a question draft of the course, its
//! `$CATEGORY:` naming the topic; anything that does not fit is reported with its line.
//!
//! Scenario groups stay valid Moodle GIFT: a scenario is a category of its own under its
//! questions' topic, `$CATEGORY: <topic>/Scenario: <title>` (a `/` inside a name is written
//! `//`, as in Moodle), and the one description under it (text without an `{...}` answer
//! block) is its vignette, in Markdown. Every question under that category belongs to the
//! scenario, in the order written, on that topic. A scenario may come back under another
//! topic's category (`<other topic>/Scenario: <same title>`) for questions on that topic;
//! the title, case aside, is what joins them. Moodle reads the same file as a subcategory
//! per scenario holding a description and its questions.
//!
//! ```text
//! $CATEGORY: Call management/Scenario: Caller on the overpass
//!
//! ::Caller on the overpass::[markdown]A man calls from an overpass ...\n\nHe says ...
//!
//! ::First step:: What do you do first? { =... ~... }
//! ```

use super::{
    gift::{self, GiftFile, Item, Problem, DESCRIPTION_SKIPPED},
    question::{check, OptionDraft, QuestionDraft, QuestionKind},
    scenario::{self, ScenarioDraft},
};

/// A question ready to save, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Importable {
    pub line: usize,
    /// The topic's title, for the preview.
    pub topic: String,
    /// Its scenario: an index into [`BankImport::scenarios`].
    pub scenario: Option<usize>,
    pub draft: QuestionDraft,
}

/// A scenario ready to save, with the line of its vignette (or of its first question).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioImport {
    pub line: usize,
    pub draft: ScenarioDraft,
}

/// What a GIFT file gives a course's bank. Save nothing unless `problems` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankImport {
    pub questions: Vec<Importable>,
    pub scenarios: Vec<ScenarioImport>,
    /// By line.
    pub problems: Vec<Problem>,
}

/// The course's topic whose title matches `name` (case and surrounding spaces ignored).
fn topic_for(name: Option<&str>, topics: &[(i64, String)]) -> Option<(i64, String)> {
    let name = name?.trim().to_lowercase();
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

/// A scenario met in the file: its title, vignette (line, text), and first line.
struct Pending {
    title: String,
    vignette: Option<(usize, String)>,
    first_line: usize,
}

/// The index of the scenario titled `title`, added when it is new.
fn scenario_index(pending: &mut Vec<Pending>, title: &str, line: usize) -> usize {
    if let Some(i) = pending
        .iter()
        .position(|p| scenario::same_title(&p.title, title))
    {
        return i;
    }
    pending.push(Pending {
        title: title.trim().to_owned(),
        vignette: None,
        first_line: line,
    });
    pending.len() - 1
}

/// Turns a GIFT file into drafts for a course with `topics` (id, title): questions, the
/// scenarios they belong to, and a problem for each item that cannot be saved (the parse's,
/// categories that are not topics, descriptions that are no scenario's vignette, questions
/// the bank refuses, scenarios without a vignette or with two).
pub fn drafts(file: &GiftFile, topics: &[(i64, String)]) -> BankImport {
    let mut out = BankImport {
        problems: file.problems.clone(),
        ..BankImport::default()
    };
    let mut pending: Vec<Pending> = Vec::new();
    for item in &file.items {
        let q = match item {
            Item::Question(q) => q,
            Item::Description(d) => {
                let problem = |message: String| Problem {
                    line: d.line,
                    title: d.title.clone(),
                    message,
                };
                let category = d.category.as_deref().map(scenario::category);
                match category.and_then(|c| c.scenario) {
                    None => out.problems.push(problem(format!(
                        "{DESCRIPTION_SKIPPED}; a scenario's case goes under $CATEGORY: <topic>/Scenario: <title>"
                    ))),
                    Some(title) => {
                        let i = scenario_index(&mut pending, &title, d.line);
                        match &pending[i].vignette {
                            Some((first, _)) => out.problems.push(problem(format!(
                                "the scenario \"{title}\" already has its case (line {first}); write one description per scenario"
                            ))),
                            None => pending[i].vignette = Some((d.line, d.text.clone())),
                        }
                    }
                }
                continue;
            }
        };
        let problem = |message: String| Problem {
            line: q.line,
            title: q.title.clone(),
            message,
        };
        let category =
            q.category
                .as_deref()
                .map(scenario::category)
                .unwrap_or(scenario::Category {
                    topic: None,
                    scenario: None,
                });
        let Some((topic_id, topic)) = topic_for(category.topic.as_deref(), topics) else {
            out.problems.push(problem(match (&category.topic, &category.scenario) {
                (Some(t), _) => format!("The category \"{t}\" is not a topic of this course. Use $CATEGORY: with a topic's title."),
                (None, Some(_)) => "Name the topic before the scenario: $CATEGORY: <topic>/Scenario: <title>.".to_owned(),
                (None, None) => "No $CATEGORY: line names this question's topic.".to_owned(),
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
        if let Err(e) = check(&draft) {
            out.problems.push(problem(e.message));
            continue;
        }
        let scenario = category
            .scenario
            .map(|title| scenario_index(&mut pending, &title, q.line));
        out.questions.push(Importable {
            line: q.line,
            topic,
            scenario,
            draft,
        });
    }
    for p in pending {
        let (line, vignette) = p.vignette.unwrap_or((p.first_line, String::new()));
        let draft = ScenarioDraft {
            title: p.title,
            vignette,
        };
        if let Err(e) = scenario::check(&draft) {
            let message = if e.field == "vignette" && draft.vignette.trim().is_empty() {
                format!("the scenario \"{}\" has no case: write it as a description (text without {{...}}) under its $CATEGORY line", draft.title)
            } else {
                e.message
            };
            out.problems.push(Problem {
                line,
                title: None,
                message,
            });
        }
        out.scenarios.push(ScenarioImport { line, draft });
    }
    out.problems.sort_by_key(|p| p.line);
    out
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

    fn read(text: &str) -> BankImport {
        drafts(&gift::read_gift(text), &topics())
    }

    #[test]
    fn categories_name_topics_and_kinds_map_across() {
        let text = "$CATEGORY: $course$/CITC/Defining the CIT model\n\n\
                    ::q1:: CIT stands for? {=Crisis Intervention Team ~Critical Incident Team#No}\n\n\
                    Officers need no partners. {F}\n\n\
                    $CATEGORY: call management\n\n\
                    Describe a calm opening. {}\n";
        let BankImport {
            questions: ok,
            problems,
            scenarios,
        } = read(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(scenarios.is_empty());
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
        let import = read(text);
        assert!(import.questions.is_empty());
        let problems = import.problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].line, 3);
        assert!(problems[0].message.contains("\"Astrology\" is not a topic"));
        assert_eq!(problems[1].line, 7);
    }

    const SCENARIO: &str = "$CATEGORY: Defining the CIT model\n\n\
        Alone? {T}\n\n\
        $CATEGORY: $course$/CIT911/Call management/Scenario: Caller on the overpass\n\n\
        ::Caller on the overpass::[markdown]A man calls from an overpass.\\n\\nHe sounds *calm*.\n\n\
        ::First:: What first? {=His location ~His diagnosis}\n\n\
        ::Then:: Keep him talking? {T}\n\n\
        $CATEGORY: Defining the CIT model/Scenario: caller ON the overpass\n\n\
        ::Partners:: Who follows up? {=Mobile crisis ~Nobody}\n\n\
        $CATEGORY: Call management\n\n\
        After? {F}\n";

    #[test]
    fn a_scenario_category_gives_a_vignette_and_the_questions_under_it() {
        let import = read(SCENARIO);
        assert_eq!(import.problems, vec![]);
        assert_eq!(
            import.scenarios,
            vec![ScenarioImport {
                line: 7,
                draft: ScenarioDraft {
                    title: "Caller on the overpass".into(),
                    vignette: "A man calls from an overpass.\n\nHe sounds *calm*.".into(),
                },
            }]
        );
        let got: Vec<(&str, Option<usize>, Option<i64>)> = import
            .questions
            .iter()
            .map(|q| (q.draft.stem.as_str(), q.scenario, q.draft.topic_id))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Alone?", None, Some(1)),
                ("What first?", Some(0), Some(2)),
                ("Keep him talking?", Some(0), Some(2)),
                // The same title (case aside) under another topic: the same scenario.
                ("Who follows up?", Some(0), Some(1)),
                ("After?", None, Some(2)),
            ]
        );
    }

    #[test]
    fn scenario_mistakes_are_reported_by_line() {
        let cases = [
            // A description outside a scenario is still skipped, with a hint.
            (
                "$CATEGORY: Call management\n\nJust text.\n\nQ? {T}\n",
                3,
                "a scenario's case goes under",
            ),
            // No vignette.
            (
                "$CATEGORY: Call management/Scenario: Bridge\n\nQ? {T}\n",
                3,
                "has no case",
            ),
            // Two vignettes.
            (
                "$CATEGORY: Call management/Scenario: Bridge\n\nCase one.\n\nCase two.\n\nQ? {T}\n",
                5,
                "already has its case (line 3)",
            ),
            // No topic before the scenario.
            (
                "$CATEGORY: Scenario: Bridge\n\nCase.\n\nQ? {T}\n",
                5,
                "Name the topic before the scenario",
            ),
            // A topic that is not the course's.
            (
                "$CATEGORY: Astrology/Scenario: Bridge\n\nCase.\n\nQ? {T}\n",
                5,
                "\"Astrology\" is not a topic",
            ),
            // No title.
            (
                "$CATEGORY: Call management/Scenario:\n\nCase.\n\nQ? {T}\n",
                3,
                "Give the scenario a title",
            ),
        ];
        for (text, line, message) in cases {
            let problems = read(text).problems;
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            assert_eq!(problems[0].line, line, "{text}");
            assert!(
                problems[0].message.contains(message),
                "{text}: {problems:?}"
            );
        }
    }
}
