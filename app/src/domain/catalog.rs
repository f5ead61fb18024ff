//! The courses the organisation teaches, and the catalog that `seed` loads.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What a course leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseKind {
    /// Ends in a certification test and a three-year certificate with membership.
    Certification,
    /// Ends in a certificate of completion.
    Training,
    /// Earns continuing-education hours toward renewal.
    ContinuingEducation,
}

impl CourseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseKind::Certification => "certification",
            CourseKind::Training => "training",
            CourseKind::ContinuingEducation => "continuing_education",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CourseKind::Certification => "Certification",
            CourseKind::Training => "Training",
            CourseKind::ContinuingEducation => "Continuing education",
        }
    }
}

/// Who may register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Eligibility {
    Anyone,
    /// Currently employed by an emergency call center; confirmed by an admin.
    CallCenterStaff,
    /// Holds an active coordinator certificate.
    ActiveCoordinator,
}

impl Eligibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Eligibility::Anyone => "anyone",
            Eligibility::CallCenterStaff => "call_center_staff",
            Eligibility::ActiveCoordinator => "active_coordinator",
        }
    }

    /// What a visitor reads on the course page; empty when anyone may register.
    pub fn notice(self) -> &'static str {
        match self {
            Eligibility::Anyone => "",
            Eligibility::CallCenterStaff => {
                "Only for people currently employed by an emergency call center. We check this at registration, and an administrator confirms it."
            }
            Eligibility::ActiveCoordinator => "Only for coordinators who hold an active CIT coordinator certificate.",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

impl FromStr for CourseKind {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            CourseKind::Certification,
            CourseKind::Training,
            CourseKind::ContinuingEducation,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

impl FromStr for Eligibility {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Eligibility::Anyone,
            Eligibility::CallCenterStaff,
            Eligibility::ActiveCoordinator,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Formats cents as US dollars: 45000 -> "$450", 12550 -> "$125.50".
pub fn format_usd(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let (dollars, rest) = (cents / 100, cents % 100);
    let mut grouped = String::new();
    for (i, c) in dollars.to_string().chars().rev().enumerate() {
        if i > 0 && i % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let grouped: String = grouped.chars().rev().collect();
    if rest == 0 {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{rest:02}")
    }
}

/// A course as the catalog seeds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedCourse {
    pub code: &'static str,
    pub title: &'static str,
    pub kind: CourseKind,
    pub summary: &'static str,
    pub description: &'static str,
    pub hours: i64,
    pub fee_cents: i64,
    pub includes_membership: bool,
    pub eligibility: Eligibility,
    pub format: &'static str,
    pub topics: &'static [&'static str],
}

/// The standard delivery of both courses.
pub const TWO_SESSION_FORMAT: &str = "Two 4-hour online sessions on consecutive days";

/// The organisation's catalog (DESIGN.md, "The courses").
pub fn seed_courses() -> [SeedCourse; 2] {
    [
        SeedCourse {
            code: "CITC",
            title: "CIT Coordinator Certification",
            kind: CourseKind::Certification,
            summary: "For the people who lead a CIT program: build the partnerships, the training and the data that make crisis response work.",
            description: "This course certifies CIT coordinators. Over two live online sessions it covers the CIT model, \
                how to build and sustain the partnerships between law enforcement, 911 and mental-health services, \
                the coordinator's roles, policies, data, and the planning of the 40-hour training week.\n\n\
                Passing the certification test at the end makes you a certified CIT coordinator for three years. \
                Tuition includes a three-year membership ($75 value) that lasts as long as your certification stays valid, \
                and first-time certificants receive a printed copy of the best-practice guide ($40 value). \
                You keep your certification by attending continuing education sponsored by the organisation during its third year.",
            hours: 8,
            fee_cents: 45_000,
            includes_membership: true,
            eligibility: Eligibility::Anyone,
            format: TWO_SESSION_FORMAT,
            topics: &[
                "Defining the CIT model",
                "Importance of partnerships",
                "Identifying leaders",
                "Securing buy-in",
                "Understanding perspectives",
                "CIT steering committees",
                "Crisis response system models",
                "Crisis system mapping",
                "Building the infrastructure",
                "Making systemic changes",
                "Coordination levels",
                "Types of coordinators",
                "Coordinators' roles",
                "Qualities of a coordinator",
                "Importance of policies",
                "Prioritizing goals",
                "The importance of data",
                "Data for monitoring v research",
                "Applying data points",
                "Planning and delivery of training",
                "Various training to be offered",
                "The 40-hour training week",
                "Evaluating your training",
                "Sustaining your program",
                "Program growth",
                "Case studies",
                "Resources",
            ],
        },
        SeedCourse {
            code: "CIT911",
            title: "CIT Support Training for 911",
            kind: CourseKind::Training,
            summary: "For 911 call-takers and dispatchers: recognise a mental-health crisis on the line and connect the caller to the right help.",
            description: "An interactive course for people who answer and dispatch emergency calls. \
                It explains the CIT model and the part 911 plays in a crisis response system, \
                how to recognise indications of mental-health disorders, how to assess suicide risk and intervene, \
                crisis intervention strategies, and how to manage the call, with scenario-based training built on real crisis calls.\n\n\
                Day classes run 9:00 am to 1:00 pm and evening classes 4:00 pm to 8:00 pm Mountain Time. \
                The course ends with a certificate of completion.",
            hours: 8,
            fee_cents: 25_000,
            includes_membership: false,
            eligibility: Eligibility::CallCenterStaff,
            format: TWO_SESSION_FORMAT,
            topics: &[
                "Understanding the CIT model",
                "The role of 911 in a crisis response system",
                "Indications of mental health disorders",
                "Suicide assessment and intervention",
                "Crisis intervention strategies",
                "Call management",
                "Scenario-based training",
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_matches_the_organisation() {
        let [citc, c911] = seed_courses();
        assert_eq!(
            (citc.code, citc.fee_cents, citc.hours, citc.topics.len()),
            ("CITC", 45_000, 8, 27)
        );
        assert!(citc.includes_membership);
        assert_eq!(
            (c911.code, c911.fee_cents, c911.topics.len()),
            ("CIT911", 25_000, 7)
        );
        assert_eq!(c911.eligibility, Eligibility::CallCenterStaff);
        assert!(!c911.includes_membership);
    }

    #[test]
    fn topics_are_unique_within_a_course() {
        for course in seed_courses() {
            let mut t: Vec<_> = course.topics.to_vec();
            t.sort_unstable();
            t.dedup();
            assert_eq!(t.len(), course.topics.len(), "{}", course.code);
        }
    }

    #[test]
    fn dollars_are_formatted_for_people() {
        assert_eq!(format_usd(45_000), "$450");
        assert_eq!(format_usd(12_550), "$125.50");
        assert_eq!(format_usd(123_456_789), "$1,234,567.89");
        assert_eq!(format_usd(5), "$0.05");
        assert_eq!(format_usd(-2_500), "-$25");
    }

    #[test]
    fn kinds_and_eligibility_round_trip() {
        for k in [
            CourseKind::Certification,
            CourseKind::Training,
            CourseKind::ContinuingEducation,
        ] {
            assert_eq!(k.as_str().parse::<CourseKind>(), Ok(k));
        }
        for e in [
            Eligibility::Anyone,
            Eligibility::CallCenterStaff,
            Eligibility::ActiveCoordinator,
        ] {
            assert_eq!(e.as_str().parse::<Eligibility>(), Ok(e));
        }
        assert!("x".parse::<Eligibility>().is_err());
    }
}
