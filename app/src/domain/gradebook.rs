//! The gradebook of one class: for each person their attendance in short, the attempts used
//! against those allowed, the best score and whether they passed. Plain functions over what
//! the data layer loaded; the attendance rule itself is [`super::attendance_rule`].

use super::attendance_rule::MeetingAttendance;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A person's attendance over the class's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendanceSummary {
    pub sessions: usize,
    /// Sessions attended (present, late or left early) or made up.
    pub attended: usize,
    /// Of those, made up.
    pub made_up: usize,
    /// Minutes attended as a share of the sessions' minutes, rounded down (so 99.6% is not
    /// shown as 100%). A made-up session counts in full, as it does for the rule.
    pub percent: i64,
}

/// Sums up `meetings` (the rule's view of one person's sessions).
pub fn summarise_attendance(meetings: &[MeetingAttendance]) -> AttendanceSummary {
    let (mut attended, mut made_up, mut minutes, mut of) = (0, 0, 0_i64, 0_i64);
    for m in meetings {
        let length = m.length_minutes.max(0);
        of += length;
        match m.mark {
            Some(mark) if mark.made_up => {
                attended += 1;
                made_up += 1;
                minutes += length;
            }
            Some(mark) if mark.status.attended() => {
                attended += 1;
                minutes += mark.minutes.clamp(0, length);
            }
            _ => {}
        }
    }
    AttendanceSummary {
        sessions: meetings.len(),
        attended,
        made_up,
        percent: if of > 0 { minutes * 100 / of } else { 0 },
    }
}

impl AttendanceSummary {
    /// "2 of 2 sessions, 100%", "2 of 2 sessions (1 made up), 100%", "No sessions".
    pub fn describe(&self) -> String {
        if self.sessions == 0 {
            return "No sessions".to_owned();
        }
        let made_up = if self.made_up > 0 {
            format!(" ({} made up)", self.made_up)
        } else {
            String::new()
        };
        format!(
            "{} of {} session{}{made_up}, {}%",
            self.attended,
            self.sessions,
            if self.sessions == 1 { "" } else { "s" },
            self.percent
        )
    }
}

/// Where an attempt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttemptState {
    InProgress,
    /// Finished; essays or unmatched short answers wait for an instructor.
    AwaitingGrading,
    Final,
}

impl AttemptState {
    /// From the stored value (`in_progress`, `awaiting_grading`, `final`).
    pub fn parse(s: &str) -> Option<AttemptState> {
        match s {
            "in_progress" => Some(AttemptState::InProgress),
            "awaiting_grading" => Some(AttemptState::AwaitingGrading),
            "final" => Some(AttemptState::Final),
            _ => None,
        }
    }
}

/// One attempt as the gradebook needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptFacts {
    pub state: AttemptState,
    pub score_centi: Option<i64>,
    pub max_centi: Option<i64>,
    pub passed: Option<bool>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Whether a person passed the test, over all their attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Passed,
    /// An attempt waits for an instructor and none passed yet.
    AwaitingGrading,
    /// An attempt is running and none passed or waits for grading.
    InProgress,
    /// Every finished attempt failed.
    NotPassed,
    NotAttempted,
}

impl Outcome {
    /// "Yes", "No", "Awaiting grading", ...
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Passed => "Yes",
            Outcome::AwaitingGrading => "Awaiting grading",
            Outcome::InProgress => "No (attempt in progress)",
            Outcome::NotPassed => "No",
            Outcome::NotAttempted => "No (not attempted)",
        }
    }
}

/// A person's standing on the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub used: usize,
    pub outcome: Outcome,
    /// The best score percent (rounded down, as the result page shows it) of the final
    /// attempts; none before a result is final.
    pub best_percent: Option<i64>,
    /// When the last attempt finished (or started, while it runs).
    pub last_attempt_at: Option<DateTime<Utc>>,
}

/// Sums up a person's attempts.
pub fn standing(attempts: &[AttemptFacts]) -> Standing {
    let any = |state: AttemptState| attempts.iter().any(|a| a.state == state);
    let outcome = if attempts.iter().any(|a| a.passed == Some(true)) {
        Outcome::Passed
    } else if any(AttemptState::AwaitingGrading) {
        Outcome::AwaitingGrading
    } else if any(AttemptState::InProgress) {
        Outcome::InProgress
    } else if any(AttemptState::Final) {
        Outcome::NotPassed
    } else {
        Outcome::NotAttempted
    };
    let best_percent = attempts
        .iter()
        .filter(|a| a.state == AttemptState::Final)
        .filter_map(|a| match (a.score_centi, a.max_centi) {
            (Some(s), Some(m)) if m > 0 => Some(s * 100 / m),
            _ => None,
        })
        .max();
    Standing {
        used: attempts.len(),
        outcome,
        best_percent,
        last_attempt_at: attempts
            .iter()
            .map(|a| a.finished_at.unwrap_or(a.started_at))
            .max(),
    }
}

/// How the gradebook's rows are ordered (`?sort=` on the page and the CSV).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    #[default]
    Name,
    /// Best score, highest first; people without a final score last.
    BestScore,
}

impl SortBy {
    /// `score` sorts by best score; anything else (or nothing) by name.
    pub fn from_query(value: Option<&str>) -> SortBy {
        match value {
            Some("score") => SortBy::BestScore,
            _ => SortBy::Name,
        }
    }

    pub fn as_query(self) -> &'static str {
        match self {
            SortBy::Name => "name",
            SortBy::BestScore => "score",
        }
    }
}

/// Orders rows by `sort`, given each row's name and best percent; ties fall back to the
/// name (case-insensitive), then to the order given.
pub fn sort_rows<T>(
    rows: &mut [T],
    sort: SortBy,
    name: impl Fn(&T) -> &str,
    best: impl Fn(&T) -> Option<i64>,
) {
    let by_name = |a: &T, b: &T| name(a).to_lowercase().cmp(&name(b).to_lowercase());
    match sort {
        SortBy::Name => rows.sort_by(by_name),
        // Reversed on Option: Some(high) < Some(low) < None.
        SortBy::BestScore => rows.sort_by(|a, b| {
            let key = |r: &T| best(r).map_or((1, 0), |p| (0, -p));
            key(a).cmp(&key(b)).then_with(|| by_name(a, b))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attendance_rule::{AttendanceStatus, Mark};

    fn session(status: Option<AttendanceStatus>, minutes: i64, made_up: bool) -> MeetingAttendance {
        MeetingAttendance {
            number: 1,
            length_minutes: 240,
            mark: status.map(|status| Mark {
                status,
                minutes,
                made_up,
            }),
        }
    }

    #[test]
    fn attendance_counts_sessions_and_minutes() {
        use AttendanceStatus::*;
        let full = [
            session(Some(Present), 240, false),
            session(Some(Present), 240, false),
        ];
        assert_eq!(
            summarise_attendance(&full).describe(),
            "2 of 2 sessions, 100%"
        );
        let mixed = [
            session(Some(Late), 239, false),
            session(Some(Absent), 0, true),
            session(None, 0, false),
        ];
        // (239 + 240) of 720 = 66.5%: rounded down.
        assert_eq!(
            summarise_attendance(&mixed).describe(),
            "2 of 3 sessions (1 made up), 66%"
        );
        let away = [
            session(Some(Absent), 240, false),
            session(Some(Excused), 0, false),
        ];
        assert_eq!(
            summarise_attendance(&away).describe(),
            "0 of 2 sessions, 0%"
        );
        assert_eq!(summarise_attendance(&[]).describe(), "No sessions");
        // Minutes above the session's length count as the length.
        assert_eq!(
            summarise_attendance(&[session(Some(Present), 300, false)]).describe(),
            "1 of 1 session, 100%"
        );
    }

    fn at(hour: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + hour * 3600, 0).unwrap_or_default()
    }

    fn attempt(state: AttemptState, score: i64, passed: Option<bool>, hour: i64) -> AttemptFacts {
        AttemptFacts {
            state,
            score_centi: Some(score),
            max_centi: Some(300),
            passed,
            started_at: at(hour),
            finished_at: (state != AttemptState::InProgress).then(|| at(hour + 1)),
        }
    }

    #[test]
    fn standing_takes_the_best_final_score_and_any_pass() {
        use AttemptState::*;
        let none = standing(&[]);
        assert_eq!(
            (
                none.used,
                none.outcome,
                none.best_percent,
                none.last_attempt_at
            ),
            (0, Outcome::NotAttempted, None, None)
        );
        let failed_then_passed = standing(&[
            attempt(Final, 100, Some(false), 0),
            attempt(Final, 200, Some(true), 30),
        ]);
        assert_eq!(failed_then_passed.outcome, Outcome::Passed);
        assert_eq!(failed_then_passed.best_percent, Some(66));
        assert_eq!(failed_then_passed.last_attempt_at, Some(at(31)));
        // A provisional score waiting for grading is not a best score yet.
        let waiting = standing(&[
            attempt(Final, 100, Some(false), 0),
            attempt(AwaitingGrading, 250, None, 30),
        ]);
        assert_eq!(waiting.outcome, Outcome::AwaitingGrading);
        assert_eq!(waiting.best_percent, Some(33));
        let running = standing(&[attempt(InProgress, 0, None, 5)]);
        assert_eq!(
            (
                running.outcome,
                running.best_percent,
                running.last_attempt_at
            ),
            (Outcome::InProgress, None, Some(at(5)))
        );
        let failed = standing(&[attempt(Final, 0, Some(false), 0)]);
        assert_eq!(
            (failed.outcome.label(), failed.best_percent),
            ("No", Some(0))
        );
    }

    #[test]
    fn sorting_by_name_or_best_score() {
        let mut rows = vec![
            ("bea", Some(70)),
            ("Al", None),
            ("cy", Some(90)),
            ("al", Some(70)),
        ];
        sort_rows(&mut rows, SortBy::Name, |r| r.0, |r| r.1);
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ["Al", "al", "bea", "cy"]
        );
        sort_rows(&mut rows, SortBy::BestScore, |r| r.0, |r| r.1);
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            ["cy", "al", "bea", "Al"]
        );
        assert_eq!(SortBy::from_query(Some("score")), SortBy::BestScore);
        assert_eq!(SortBy::from_query(Some("nonsense")), SortBy::Name);
        assert_eq!(SortBy::from_query(None).as_query(), "name");
    }
}
