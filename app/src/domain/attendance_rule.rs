//! Attendance marks and the rule for sitting the certification test: paid (or waived), and
//! for every meeting present, late or left early with at least the course's share of the
//! meeting's minutes (default 90%), or made up. Excused counts only where the course says so.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What an instructor (or a meeting report, or the end-of-meeting job) recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttendanceStatus {
    Present,
    Late,
    LeftEarly,
    Excused,
    Absent,
}

impl AttendanceStatus {
    pub const ALL: [AttendanceStatus; 5] = [
        AttendanceStatus::Present,
        AttendanceStatus::Late,
        AttendanceStatus::LeftEarly,
        AttendanceStatus::Excused,
        AttendanceStatus::Absent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Late => "late",
            AttendanceStatus::LeftEarly => "left_early",
            AttendanceStatus::Excused => "excused",
            AttendanceStatus::Absent => "absent",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "Present",
            AttendanceStatus::Late => "Late",
            AttendanceStatus::LeftEarly => "Left early",
            AttendanceStatus::Excused => "Excused",
            AttendanceStatus::Absent => "Absent",
        }
    }

    /// The person was in the meeting for some of it.
    pub fn attended(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Present | AttendanceStatus::Late | AttendanceStatus::LeftEarly
        )
    }
}

impl FromStr for AttendanceStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        AttendanceStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(())
    }
}

/// How long before a session "Join session" opens.
pub const JOIN_EARLY_MINUTES: i64 = 15;

/// Whether "Join session" is open at `now`: from [`JOIN_EARLY_MINUTES`] before the start
/// until the end.
pub fn join_open(
    starts_at: chrono::DateTime<chrono::Utc>,
    ends_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    now >= starts_at - chrono::Duration::minutes(JOIN_EARLY_MINUTES) && now < ends_at
}

/// A course's attendance rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The share of each meeting's minutes that must be attended, 1 to 100.
    pub threshold_percent: i64,
    pub excused_counts: bool,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            threshold_percent: 90,
            excused_counts: false,
        }
    }
}

/// The minutes of a `length`-minute meeting needed under `threshold_percent`, rounded up
/// (90% of 240 is 216; 90% of 235 is 211.5, so 212).
pub fn required_minutes(length: i64, threshold_percent: i64) -> i64 {
    (length * threshold_percent + 99) / 100
}

/// One recorded mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub status: AttendanceStatus,
    pub minutes: i64,
    pub made_up: bool,
}

/// One meeting of the class, as the rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingAttendance {
    /// 1-based, in time order.
    pub number: usize,
    pub length_minutes: i64,
    pub mark: Option<Mark>,
}

/// Why someone may not sit the test yet, one reason per problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shortfall {
    NotPaid,
    /// No class sessions are scheduled at all.
    NoMeetings,
    /// Not recorded yet (the meeting may still be ahead).
    NotRecorded {
        number: usize,
    },
    Absent {
        number: usize,
    },
    Excused {
        number: usize,
    },
    TooFewMinutes {
        number: usize,
        minutes: i64,
        needed: i64,
    },
}

impl Shortfall {
    /// A sentence for the attendee.
    pub fn message(&self) -> String {
        match self {
            Shortfall::NotPaid => "The course fee is not yet paid or waived.".to_owned(),
            Shortfall::NoMeetings => "The class has no sessions scheduled.".to_owned(),
            Shortfall::NotRecorded { number } => {
                format!("Session {number}: attendance is not recorded yet.")
            }
            Shortfall::Absent { number } => format!(
                "Session {number}: recorded as absent. Ask your instructor about a make-up."
            ),
            Shortfall::Excused { number } => format!(
                "Session {number}: excused, which does not count for this course. Ask your instructor about a make-up."
            ),
            Shortfall::TooFewMinutes {
                number,
                minutes,
                needed,
            } => format!(
                "Session {number}: {minutes} minutes attended; at least {needed} are needed."
            ),
        }
    }
}

/// The rule: every reason the person may not sit the test; none means they may.
pub fn shortfalls(
    paid_or_waived: bool,
    meetings: &[MeetingAttendance],
    rule: Rule,
) -> Vec<Shortfall> {
    let mut out = Vec::new();
    if !paid_or_waived {
        out.push(Shortfall::NotPaid);
    }
    if meetings.is_empty() {
        out.push(Shortfall::NoMeetings);
    }
    for m in meetings {
        let number = m.number;
        let Some(mark) = m.mark else {
            out.push(Shortfall::NotRecorded { number });
            continue;
        };
        if mark.made_up {
            continue;
        }
        match mark.status {
            AttendanceStatus::Absent => out.push(Shortfall::Absent { number }),
            AttendanceStatus::Excused if rule.excused_counts => {}
            AttendanceStatus::Excused => out.push(Shortfall::Excused { number }),
            _ => {
                let needed = required_minutes(m.length_minutes, rule.threshold_percent);
                if mark.minutes < needed {
                    out.push(Shortfall::TooFewMinutes {
                        number,
                        minutes: mark.minutes,
                        needed,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;

    fn meeting(number: usize, status: AttendanceStatus, minutes: i64) -> MeetingAttendance {
        MeetingAttendance {
            number,
            length_minutes: 240,
            mark: Some(Mark {
                status,
                minutes,
                made_up: false,
            }),
        }
    }

    #[test]
    fn full_attendance_and_payment_make_someone_eligible() {
        let both = [meeting(1, Present, 240), meeting(2, Present, 240)];
        assert!(shortfalls(true, &both, Rule::default()).is_empty());
    }

    #[test]
    fn the_threshold_is_inclusive_and_rounds_up() {
        assert_eq!(required_minutes(240, 90), 216);
        assert_eq!(required_minutes(235, 90), 212);
        assert_eq!(required_minutes(240, 100), 240);
        assert_eq!(required_minutes(1, 1), 1);
        let rule = Rule::default();
        assert!(shortfalls(true, &[meeting(1, Late, 216)], rule).is_empty());
        assert_eq!(
            shortfalls(true, &[meeting(1, LeftEarly, 215)], rule),
            vec![Shortfall::TooFewMinutes {
                number: 1,
                minutes: 215,
                needed: 216
            }]
        );
        let strict = Rule {
            threshold_percent: 100,
            excused_counts: false,
        };
        assert!(!shortfalls(true, &[meeting(1, Present, 239)], strict).is_empty());
    }

    #[test]
    fn late_and_left_early_count_when_the_minutes_are_there() {
        for status in [Present, Late, LeftEarly] {
            assert!(shortfalls(true, &[meeting(1, status, 230)], Rule::default()).is_empty());
        }
    }

    #[test]
    fn absent_unrecorded_and_unpaid_are_each_named() {
        let meetings = [
            meeting(1, Absent, 0),
            MeetingAttendance {
                number: 2,
                length_minutes: 240,
                mark: None,
            },
        ];
        assert_eq!(
            shortfalls(false, &meetings, Rule::default()),
            vec![
                Shortfall::NotPaid,
                Shortfall::Absent { number: 1 },
                Shortfall::NotRecorded { number: 2 }
            ]
        );
        // Minutes recorded with "absent" do not count.
        assert_eq!(
            shortfalls(true, &[meeting(1, Absent, 240)], Rule::default()),
            vec![Shortfall::Absent { number: 1 }]
        );
    }

    #[test]
    fn excused_counts_only_where_the_course_allows_it() {
        let excused = [meeting(1, Excused, 0)];
        assert_eq!(
            shortfalls(true, &excused, Rule::default()),
            vec![Shortfall::Excused { number: 1 }]
        );
        let lenient = Rule {
            threshold_percent: 90,
            excused_counts: true,
        };
        assert!(shortfalls(true, &excused, lenient).is_empty());
    }

    #[test]
    fn a_make_up_satisfies_a_missed_meeting() {
        let mut missed = meeting(1, Absent, 0);
        if let Some(mark) = missed.mark.as_mut() {
            mark.made_up = true;
        }
        assert!(shortfalls(true, &[missed, meeting(2, Present, 240)], Rule::default()).is_empty());
    }

    #[test]
    fn no_meetings_is_never_eligible() {
        assert_eq!(
            shortfalls(true, &[], Rule::default()),
            vec![Shortfall::NoMeetings]
        );
    }

    #[test]
    fn joining_opens_fifteen_minutes_early_and_closes_at_the_end() {
        let at = |m: i64| chrono::DateTime::from_timestamp(1_800_000_000 + m * 60, 0).unwrap();
        let (start, end) = (at(0), at(240));
        assert!(!join_open(start, end, at(-16)));
        assert!(join_open(start, end, at(-15)));
        assert!(join_open(start, end, at(120)));
        assert!(join_open(start, end, at(239)));
        assert!(!join_open(start, end, at(240)));
    }

    #[test]
    fn statuses_round_trip() {
        for s in AttendanceStatus::ALL {
            assert_eq!(s.as_str().parse::<AttendanceStatus>(), Ok(s));
        }
        assert!("maybe".parse::<AttendanceStatus>().is_err());
    }
}
