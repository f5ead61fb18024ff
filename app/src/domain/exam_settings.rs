//! A course's test settings as an administrator types them, checked field by field.

use super::person::FieldError;
use std::collections::BTreeMap;

/// The form, as typed. `blueprint` maps a topic id (as text) to a number of questions.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub time_limit_minutes: String,
    pub pass_percent: String,
    pub attempts_allowed: String,
    pub wait_hours: String,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub review_policy: String,
    pub scenario_groups: String,
    pub blueprint: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub time_limit_minutes: i64,
    pub pass_percent: i64,
    pub attempts_allowed: i64,
    pub wait_hours: i64,
    pub shuffle_questions: bool,
    pub shuffle_options: bool,
    pub review_policy: String,
    pub scenario_groups: i64,
    /// topic id -> questions drawn.
    pub blueprint: BTreeMap<i64, i64>,
}

fn number(
    field: &'static str,
    value: &str,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
) -> Result<i64, FieldError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("Enter {what} from {} to {}.", range.start(), range.end()),
            )
        })
}

/// Checks the form; `topics` are the course's topic ids (others are refused).
pub fn parse(input: &SettingsInput, topics: &[i64]) -> Result<Settings, FieldError> {
    let time_limit_minutes = number(
        "time_limit_minutes",
        &input.time_limit_minutes,
        5..=600,
        "the time limit in minutes",
    )?;
    let pass_percent = number(
        "pass_percent",
        &input.pass_percent,
        1..=100,
        "the pass mark in percent",
    )?;
    let attempts_allowed = number(
        "attempts_allowed",
        &input.attempts_allowed,
        1..=20,
        "the number of attempts",
    )?;
    let wait_hours = number(
        "wait_hours",
        &input.wait_hours,
        0..=8760,
        "the hours to wait between attempts",
    )?;
    let scenario_groups = if input.scenario_groups.trim().is_empty() {
        0
    } else {
        number(
            "scenario_groups",
            &input.scenario_groups,
            0..=50,
            "the number of scenarios",
        )?
    };
    let review_policy = match input.review_policy.as_str() {
        p @ ("score" | "wrong" | "answers") => p.to_owned(),
        _ => {
            return Err(FieldError::new(
                "review_policy",
                "Choose what people see after the test.",
            ))
        }
    };
    let mut blueprint = BTreeMap::new();
    for (topic, count) in &input.blueprint {
        let Some(id) = topic.parse::<i64>().ok().filter(|id| topics.contains(id)) else {
            return Err(FieldError::new(
                "blueprint",
                "A topic in the blueprint is not one of this course's.",
            ));
        };
        let n = if count.trim().is_empty() {
            0
        } else {
            number("blueprint", count, 0..=200, "the questions per topic")?
        };
        if n > 0 {
            blueprint.insert(id, n);
        }
    }
    if blueprint.is_empty() && scenario_groups == 0 {
        return Err(FieldError::new("blueprint", "Draw at least one question."));
    }
    Ok(Settings {
        time_limit_minutes,
        pass_percent,
        attempts_allowed,
        wait_hours,
        shuffle_questions: input.shuffle_questions,
        shuffle_options: input.shuffle_options,
        review_policy,
        scenario_groups,
        blueprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SettingsInput {
        SettingsInput {
            time_limit_minutes: "90".into(),
            pass_percent: "80".into(),
            attempts_allowed: "2".into(),
            wait_hours: "24".into(),
            shuffle_questions: true,
            shuffle_options: true,
            review_policy: "wrong".into(),
            scenario_groups: String::new(),
            blueprint: [
                ("1".to_owned(), "2".to_owned()),
                ("2".to_owned(), "".to_owned()),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn a_good_form_is_accepted_and_empty_topics_dropped() {
        let s = parse(&input(), &[1, 2]).unwrap();
        assert_eq!(s.blueprint, [(1, 2)].into_iter().collect());
        assert_eq!(
            (s.time_limit_minutes, s.pass_percent, s.scenario_groups),
            (90, 80, 0)
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        type Case = (fn(&mut SettingsInput), &'static str);
        let cases: Vec<Case> = vec![
            (|i| i.time_limit_minutes = "0".into(), "time_limit_minutes"),
            (|i| i.pass_percent = "101".into(), "pass_percent"),
            (|i| i.attempts_allowed = "none".into(), "attempts_allowed"),
            (|i| i.wait_hours = "-1".into(), "wait_hours"),
            (|i| i.review_policy = "all".into(), "review_policy"),
            (
                |i| i.blueprint = [("9".to_owned(), "1".to_owned())].into_iter().collect(),
                "blueprint",
            ),
            (
                |i| i.blueprint = [("1".to_owned(), "x".to_owned())].into_iter().collect(),
                "blueprint",
            ),
            (|i| i.blueprint = BTreeMap::new(), "blueprint"),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(parse(&i, &[1, 2]).unwrap_err().field, field);
        }
    }
}
