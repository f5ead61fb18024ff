//! An administrator's course form, parsed. Every refusal names its field.

use super::{
    catalog::{CourseKind, Eligibility},
    person::{required_text, FieldError},
};

/// What the form posts, as typed.
#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub summary: String,
    pub description: String,
    pub hours: String,
    pub fee: String,
    pub eligibility: String,
    pub ce_hours: String,
    /// The share of each session that must be attended to sit the test, in percent.
    pub attendance_threshold: String,
    pub excused_counts: bool,
    pub includes_membership: bool,
    pub format: String,
    /// The course's existing topics, one row each (none on the form for a new course).
    pub topic_rows: Vec<super::course_topics::TopicRowInput>,
    /// Topics to add, one per line.
    pub new_topics: String,
}

/// An accepted course.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCourse {
    pub code: String,
    pub title: String,
    pub kind: CourseKind,
    pub summary: String,
    pub description: String,
    pub hours: i64,
    pub fee_cents: i64,
    pub eligibility: Eligibility,
    pub ce_hours: i64,
    pub attendance_rule: super::attendance_rule::Rule,
    pub includes_membership: bool,
    pub format: String,
    /// Checked against the stored topics when saved (see `course_topics::plan`).
    pub topic_rows: Vec<super::course_topics::TopicRowInput>,
    pub new_topics: Vec<String>,
}

/// Dollars as typed ("450", "$1,250.50") to cents; refuses negatives and more than 2 decimals.
pub fn parse_dollars(value: &str) -> Option<i64> {
    let cleaned: String = value
        .trim()
        .trim_start_matches('$')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    if cleaned.is_empty() || cleaned.starts_with('-') {
        return None;
    }
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || whole.is_empty()
    {
        return None;
    }
    let dollars: i64 = whole.parse().ok()?;
    let cents: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    dollars.checked_mul(100)?.checked_add(cents)
}

pub fn parse(input: &CourseInput) -> Result<ParsedCourse, FieldError> {
    let code = input.code.trim().to_uppercase();
    if !(2..=12).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(FieldError::new(
            "code",
            "Use 2 to 12 letters and digits, such as CITC.",
        ));
    }
    let title = required_text("title", &input.title, "the course title")?;
    let kind: CourseKind = input.kind.parse().map_err(|_| {
        FieldError::new(
            "kind",
            "Choose certification, training or continuing education.",
        )
    })?;
    let summary = required_text("summary", &input.summary, "a one-sentence summary")?;
    let description = input.description.trim().to_owned();
    if description.is_empty() || description.chars().count() > 20_000 {
        return Err(FieldError::new(
            "description",
            "Describe the course (Markdown, up to 20,000 characters).",
        ));
    }
    let hours: i64 = input
        .hours
        .trim()
        .parse()
        .ok()
        .filter(|h| (1..=200).contains(h))
        .ok_or_else(|| {
            FieldError::new("hours", "Enter the hours of instruction, from 1 to 200.")
        })?;
    let fee_cents = parse_dollars(&input.fee)
        .filter(|c| *c <= 10_000_000)
        .ok_or_else(|| {
            FieldError::new(
                "fee",
                "Enter the fee in dollars, such as 450 or 125.50; it cannot be negative.",
            )
        })?;
    let eligibility: Eligibility = input
        .eligibility
        .parse()
        .map_err(|_| FieldError::new("eligibility", "Choose who may register."))?;
    let ce_hours: i64 = if input.ce_hours.trim().is_empty() {
        0
    } else {
        input
            .ce_hours
            .trim()
            .parse()
            .ok()
            .filter(|h| (0..=200).contains(h))
            .ok_or_else(|| {
                FieldError::new(
                    "ce_hours",
                    "Enter whole continuing-education hours, from 0 to 200.",
                )
            })?
    };
    if kind == CourseKind::ContinuingEducation && ce_hours == 0 {
        return Err(FieldError::new(
            "ce_hours",
            "A continuing-education course must earn at least one hour.",
        ));
    }
    let threshold_percent = match input
        .attendance_threshold
        .trim()
        .trim_end_matches('%')
        .trim()
    {
        "" => super::attendance_rule::Rule::default().threshold_percent,
        typed => typed
            .parse()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .ok_or_else(|| {
                FieldError::new(
                "attendance_threshold",
                "Enter the share of each session to attend, from 1 to 100 percent (90 is usual).",
            )
            })?,
    };
    let format = required_text("format", &input.format, "how the course is delivered")?;
    Ok(ParsedCourse {
        code,
        title,
        kind,
        summary,
        description,
        hours,
        fee_cents,
        eligibility,
        ce_hours,
        attendance_rule: super::attendance_rule::Rule {
            threshold_percent,
            excused_counts: input.excused_counts,
        },
        includes_membership: input.includes_membership,
        format,
        topic_rows: input.topic_rows.clone(),
        new_topics: super::course_topics::new_titles(&input.new_topics),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CourseInput {
        CourseInput {
            code: "ce1".into(),
            title: "Crisis de-escalation refresher".into(),
            kind: "continuing_education".into(),
            summary: "Two hours on what changed.".into(),
            description: "A **live** refresher.".into(),
            hours: "2".into(),
            fee: "$75".into(),
            eligibility: "active_coordinator".into(),
            ce_hours: "2".into(),
            attendance_threshold: String::new(),
            excused_counts: false,
            includes_membership: false,
            format: "One 2-hour online session".into(),
            topic_rows: Vec::new(),
            new_topics: "What changed\n\n Case review \n".into(),
        }
    }

    #[test]
    fn accepts_and_normalises() {
        let c = parse(&input()).unwrap();
        assert_eq!(
            (c.code.as_str(), c.fee_cents, c.ce_hours),
            ("CE1", 7_500, 2)
        );
        assert_eq!(c.new_topics, vec!["What changed", "Case review"]);
        assert_eq!(
            c.attendance_rule.threshold_percent, 90,
            "blank: the usual 90%"
        );
        let strict = CourseInput {
            attendance_threshold: " 100 % ".into(),
            excused_counts: true,
            ..input()
        };
        let rule = parse(&strict).unwrap().attendance_rule;
        assert_eq!((rule.threshold_percent, rule.excused_counts), (100, true));
    }

    #[test]
    fn dollars() {
        assert_eq!(parse_dollars("450"), Some(45_000));
        assert_eq!(parse_dollars("$1,250.5"), Some(125_050));
        assert_eq!(parse_dollars("0"), Some(0));
        assert_eq!(parse_dollars("-5"), None);
        assert_eq!(parse_dollars("12.345"), None);
        assert_eq!(parse_dollars("abc"), None);
    }

    #[test]
    fn bad_fields_are_named() {
        type Case = (fn(&mut CourseInput), &'static str);
        let cases: Vec<Case> = vec![
            (|i| i.code = "C-1".into(), "code"),
            (|i| i.fee = "-10".into(), "fee"),
            (|i| i.hours = "0".into(), "hours"),
            (|i| i.kind = "seminar".into(), "kind"),
            (|i| i.ce_hours = "0".into(), "ce_hours"),
            (|i| i.eligibility = "everyone".into(), "eligibility"),
            (
                |i| i.attendance_threshold = "0".into(),
                "attendance_threshold",
            ),
            (
                |i| i.attendance_threshold = "101".into(),
                "attendance_threshold",
            ),
            (
                |i| i.attendance_threshold = "most".into(),
                "attendance_threshold",
            ),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(parse(&i).unwrap_err().field, field);
        }
    }
}
