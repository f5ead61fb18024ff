//! Scenario groups: a case vignette (Markdown) with several questions that a test draws
//! together, in their written order (the 911 course's crisis calls). A group is drawn only
//! while it is active, and then only its active questions.
//!
//! In GIFT a scenario is a category of its own under its questions' topic,
//! `$CATEGORY: <topic>/Scenario: <title>`, whose description (text without an answer
//! block) is the vignette; see [`category`] and `question_import`.

use super::{person::FieldError, question::MAX_TEXT};
use serde::{Deserialize, Serialize};

/// A scenario as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioDraft {
    pub title: String,
    /// Markdown, sanitised when shown.
    pub vignette: String,
}

/// Longest title.
pub const MAX_TITLE: usize = 200;

/// How the last part of a scenario's category starts.
pub const PREFIX: &str = "Scenario:";

/// Checks a scenario: a title on one line of at most 200 characters, and a vignette.
pub fn check(s: &ScenarioDraft) -> Result<(), FieldError> {
    let title = s.title.trim();
    if title.is_empty() {
        return Err(FieldError::new("title", "Give the scenario a title."));
    }
    if title.chars().count() > MAX_TITLE || title.contains('\n') {
        return Err(FieldError::new(
            "title",
            "Keep the title to one line of at most 200 characters.",
        ));
    }
    if s.vignette.trim().is_empty() {
        return Err(FieldError::new(
            "vignette",
            "Write the case: what the call-taker hears and knows.",
        ));
    }
    if s.vignette.chars().count() > MAX_TEXT {
        return Err(FieldError::new(
            "vignette",
            "Keep the case under 10,000 characters.",
        ));
    }
    Ok(())
}

/// Whether two titles name the same scenario (case and surrounding spaces ignored).
pub fn same_title(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A category path's parts: Moodle separates them with `/` and writes a `/` inside a name
/// as `//`.
pub fn category_parts(path: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                chars.next();
                part.push('/');
            }
            '/' => parts.push(std::mem::take(&mut part)),
            c => part.push(c),
        }
    }
    parts.push(part);
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// A name as one part of a category path (`/` doubled).
pub fn category_part(name: &str) -> String {
    name.replace('/', "//")
}

/// What a question's category says: the topic's title (its last part, or the part before
/// `Scenario: <title>`), and the scenario's title when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub topic: Option<String>,
    pub scenario: Option<String>,
}

/// Reads a category path by the bank's convention: `$course$/CITC/Call management` names
/// the topic "Call management"; `Call management/Scenario: Man on the bridge` puts the
/// question, on that topic, in the scenario "Man on the bridge".
pub fn category(path: &str) -> Category {
    let mut parts = category_parts(path);
    let scenario = match parts.last() {
        Some(last) if starts_with_prefix(last) => {
            let title = last[PREFIX.len()..].trim().to_owned();
            parts.pop();
            Some(title)
        }
        _ => None,
    };
    Category {
        topic: parts.pop().filter(|t| !t.is_empty()),
        scenario,
    }
}

fn starts_with_prefix(part: &str) -> bool {
    part.get(..PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
}

/// The category a question of scenario `title` on `topic` is written under.
pub fn scenario_category(topic: &str, title: &str) -> String {
    format!(
        "{}/{PREFIX} {}",
        category_part(topic),
        category_part(title.trim())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(title: &str, vignette: &str) -> ScenarioDraft {
        ScenarioDraft {
            title: title.into(),
            vignette: vignette.into(),
        }
    }

    #[test]
    fn a_scenario_needs_a_short_title_and_a_vignette() {
        assert_eq!(check(&draft("Bridge", "A woman calls.")), Ok(()));
        for (s, field) in [
            (draft(" ", "A woman calls."), "title"),
            (draft(&"x".repeat(201), "A woman calls."), "title"),
            (draft("Two\nlines", "A woman calls."), "title"),
            (draft("Bridge", "  "), "vignette"),
            (draft("Bridge", &"x".repeat(MAX_TEXT + 1)), "vignette"),
        ] {
            assert_eq!(check(&s).unwrap_err().field, field, "{s:?}");
        }
        assert!(same_title(" Bridge ", "bridge"));
    }

    #[test]
    fn categories_name_a_topic_and_maybe_a_scenario() {
        let c = |topic: Option<&str>, scenario: Option<&str>| Category {
            topic: topic.map(Into::into),
            scenario: scenario.map(Into::into),
        };
        assert_eq!(
            category("$course$/CITC/Call management"),
            c(Some("Call management"), None)
        );
        assert_eq!(
            category("Call management / scenario:  Man on the bridge "),
            c(Some("Call management"), Some("Man on the bridge"))
        );
        assert_eq!(
            category("$course$/CIT911/Call management/Scenario: Either//or"),
            c(Some("Call management"), Some("Either/or"))
        );
        assert_eq!(category("Scenario: Alone"), c(None, Some("Alone")));
        assert_eq!(
            category("A Scenario: not last/Topic"),
            c(Some("Topic"), None)
        );
    }

    #[test]
    fn a_scenario_category_reads_back_to_its_topic_and_title() {
        let path = scenario_category("Data in/out", "Either/or call");
        assert_eq!(path, "Data in//out/Scenario: Either//or call");
        assert_eq!(
            category(&path),
            Category {
                topic: Some("Data in/out".into()),
                scenario: Some("Either/or call".into())
            }
        );
    }
}
