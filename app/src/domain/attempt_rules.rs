//! When someone may start a test, when their time runs out, and which saves are accepted.
//! Plain functions of the facts and the time, so every edge can be tested.

use chrono::{DateTime, Duration, Utc};

/// After the deadline, saves already on their way are still taken for this long (a slow
/// network must not lose the last answer); later ones are refused.
pub const SAVE_GRACE_SECONDS: i64 = 30;

/// Most extra time (percent of the limit) and extra attempts one person may be given.
pub const MAX_EXTRA_TIME_PERCENT: i64 = 300;
pub const MAX_EXTRA_ATTEMPTS: i64 = 10;

/// Accommodations as typed: extra time in percent and extra attempts, whole numbers from 0.
pub fn parse_accommodation(
    extra_time_percent: &str,
    extra_attempts: &str,
) -> Result<(i64, i64), super::person::FieldError> {
    let number = |field: &'static str, value: &str, max: i64| {
        value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| {
                super::person::FieldError::new(
                    field,
                    format!("Enter a whole number from 0 to {max}."),
                )
            })
    };
    Ok((
        number(
            "extra_time_percent",
            extra_time_percent,
            MAX_EXTRA_TIME_PERCENT,
        )?,
        number("extra_attempts", extra_attempts, MAX_EXTRA_ATTEMPTS)?,
    ))
}

/// Where an attempt stands: *in progress* from the start until the person submits or the
/// deadline passes (the person, the deadline job, or the next visit finishes it); then
/// *awaiting grading* while an essay or unmatched short answer waits for an instructor, or
/// *final* at once when every item was scored automatically; the last hand grade makes it
/// final; a regrade (an administrator correcting a key) rescores a final attempt and leaves it
/// final. Nothing goes back to in progress. The database keeps one in-progress attempt per
/// registration (a partial unique index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AttemptStatus {
    InProgress,
    AwaitingGrading,
    Final,
}

/// What happens to an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptEvent {
    /// Submitted, or closed at the deadline; `hand_graded` when an item waits for a person.
    Finish { hand_graded: bool },
    /// An instructor graded the last waiting item.
    LastGrade,
    /// An administrator corrected a key and the attempt was rescored.
    Regrade,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::InProgress => "in_progress",
            AttemptStatus::AwaitingGrading => "awaiting_grading",
            AttemptStatus::Final => "final",
        }
    }

    /// The stored form; anything else is not an attempt status.
    pub fn parse(s: &str) -> Option<AttemptStatus> {
        [
            AttemptStatus::InProgress,
            AttemptStatus::AwaitingGrading,
            AttemptStatus::Final,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// The status after `event`, or `None` when it cannot happen.
    pub fn next(self, event: AttemptEvent) -> Option<AttemptStatus> {
        match (self, event) {
            (AttemptStatus::InProgress, AttemptEvent::Finish { hand_graded: true }) => {
                Some(AttemptStatus::AwaitingGrading)
            }
            (AttemptStatus::InProgress, AttemptEvent::Finish { hand_graded: false })
            | (AttemptStatus::AwaitingGrading, AttemptEvent::LastGrade)
            | (AttemptStatus::Final, AttemptEvent::Regrade) => Some(AttemptStatus::Final),
            _ => None,
        }
    }
}

/// How long the test stays open after a class's last session when no window was set.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;

/// The test window of a class: the one set for it, else from the end of its last session
/// (now, for a class without sessions) for [`DEFAULT_WINDOW_DAYS`].
pub fn test_window(
    set: Option<(DateTime<Utc>, DateTime<Utc>)>,
    last_end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    set.unwrap_or_else(|| {
        let end = last_end.unwrap_or(now);
        (end, end + Duration::days(DEFAULT_WINDOW_DAYS))
    })
}

/// The facts that decide whether a person may start an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFacts {
    /// Reasons from the attendance rule (empty: attendance and payment are fine).
    pub attendance_shortfalls: usize,
    pub exam_published: bool,
    /// The offering's test window.
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub attempts_used: i64,
    pub attempts_allowed: i64,
    pub extra_attempts: i64,
    /// When the last attempt finished, if any.
    pub last_finished_at: Option<DateTime<Utc>>,
    pub wait_hours: i64,
    /// An attempt already running (the person resumes it instead).
    pub in_progress: bool,
    /// A finished attempt still waiting for a hand grade: its result decides whether
    /// another is needed.
    pub awaiting_grading: bool,
    /// The person holds an active certificate of this course (passed here or earlier).
    pub certified: bool,
    /// One of this registration's attempts passed.
    pub passed: bool,
}

/// Why a person may not start, each with the sentence they read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartRefusal {
    #[error("You have a test in progress: continue it.")]
    InProgress,
    #[error(
        "You passed: you hold an active certificate for this course and do not sit its test again."
    )]
    Certified,
    #[error("Your last attempt is waiting for an instructor's grade. If it does not pass, you may try again once it is graded.")]
    AwaitingGrading,
    #[error("You may sit the test once your attendance and payment meet the course's rule.")]
    NotEligible,
    #[error("The test for this course is not available yet.")]
    NotPublished,
    #[error("The test opens {0}.")]
    NotOpenYet(DateTime<Utc>),
    #[error("The test closed {0}. Please contact the training office.")]
    Closed(DateTime<Utc>),
    #[error("You have used all {0} of your attempts.")]
    NoAttemptsLeft(i64),
    #[error("You may try again after {0}.")]
    Wait(DateTime<Utc>),
}

/// Whether the person may start a new attempt at `now`.
pub fn may_start(f: &StartFacts, now: DateTime<Utc>) -> Result<(), StartRefusal> {
    if f.in_progress {
        return Err(StartRefusal::InProgress);
    }
    if f.certified || f.passed {
        return Err(StartRefusal::Certified);
    }
    if f.awaiting_grading {
        return Err(StartRefusal::AwaitingGrading);
    }
    if f.attendance_shortfalls > 0 {
        return Err(StartRefusal::NotEligible);
    }
    if !f.exam_published {
        return Err(StartRefusal::NotPublished);
    }
    if now < f.opens_at {
        return Err(StartRefusal::NotOpenYet(f.opens_at));
    }
    if now >= f.closes_at {
        return Err(StartRefusal::Closed(f.closes_at));
    }
    let allowed = f.attempts_allowed + f.extra_attempts;
    if f.attempts_used >= allowed {
        return Err(StartRefusal::NoAttemptsLeft(allowed));
    }
    if let Some(last) = f.last_finished_at {
        let next = last + Duration::hours(f.wait_hours);
        if now < next {
            return Err(StartRefusal::Wait(next));
        }
    }
    Ok(())
}

/// Whether the correct answers of this registration's finished attempts may be shown at
/// `now`: only once the person can no longer attempt the test (they passed or are
/// certified, used every attempt, or the class's test window closed), and never while an
/// attempt is running or waiting for its grade. Before that, answers would help the next
/// attempt.
pub fn answers_may_be_shown(f: &StartFacts, now: DateTime<Utc>) -> bool {
    if f.in_progress || f.awaiting_grading {
        return false;
    }
    f.passed
        || f.certified
        || f.attempts_used >= f.attempts_allowed + f.extra_attempts
        || now >= f.closes_at
}

/// The deadline of an attempt started at `start`: the time limit plus the person's extra
/// time (a percentage of it, rounded up to the whole minute).
pub fn deadline(start: DateTime<Utc>, limit_minutes: i64, extra_percent: i64) -> DateTime<Utc> {
    let extra = (limit_minutes * extra_percent + 99) / 100;
    start + Duration::minutes(limit_minutes + extra)
}

/// Why a save is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveRefusal {
    #[error("This test is already finished; your saved answers were kept.")]
    Finished,
    #[error("The time for this test ran out; answers saved before the end were kept.")]
    TooLate,
    #[error("A newer answer from another window was already saved. Reload the page to see it.")]
    Stale,
}

/// Whether a save numbered `seq` reaching the server at `now` is taken, given the attempt's
/// deadline, whether it is still open, and the highest sequence accepted so far.
pub fn may_save(
    open: bool,
    deadline: DateTime<Utc>,
    last_seq: i64,
    seq: i64,
    now: DateTime<Utc>,
) -> Result<(), SaveRefusal> {
    if !open {
        return Err(SaveRefusal::Finished);
    }
    if now > deadline + Duration::seconds(SAVE_GRACE_SECONDS) {
        return Err(SaveRefusal::TooLate);
    }
    if seq <= last_seq {
        return Err(SaveRefusal::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    fn facts() -> StartFacts {
        StartFacts {
            attendance_shortfalls: 0,
            exam_published: true,
            opens_at: at(0),
            closes_at: at(10_000),
            attempts_used: 0,
            attempts_allowed: 2,
            extra_attempts: 0,
            last_finished_at: None,
            wait_hours: 24,
            in_progress: false,
            awaiting_grading: false,
            certified: false,
            passed: false,
        }
    }

    #[test]
    fn a_first_attempt_in_the_window_may_start() {
        assert_eq!(may_start(&facts(), at(5)), Ok(()));
    }

    #[test]
    fn each_reason_is_named() {
        let cases: Vec<(StartFacts, DateTime<Utc>, StartRefusal)> = vec![
            (
                StartFacts {
                    in_progress: true,
                    ..facts()
                },
                at(5),
                StartRefusal::InProgress,
            ),
            (
                StartFacts {
                    attendance_shortfalls: 1,
                    ..facts()
                },
                at(5),
                StartRefusal::NotEligible,
            ),
            (
                StartFacts {
                    exam_published: false,
                    ..facts()
                },
                at(5),
                StartRefusal::NotPublished,
            ),
            (
                StartFacts {
                    certified: true,
                    ..facts()
                },
                at(5),
                StartRefusal::Certified,
            ),
            (
                StartFacts {
                    passed: true,
                    attempts_used: 1,
                    ..facts()
                },
                at(5),
                StartRefusal::Certified,
            ),
            (
                StartFacts {
                    awaiting_grading: true,
                    attempts_used: 1,
                    ..facts()
                },
                at(5),
                StartRefusal::AwaitingGrading,
            ),
            (facts(), at(-1), StartRefusal::NotOpenYet(at(0))),
            (facts(), at(10_000), StartRefusal::Closed(at(10_000))),
            (
                StartFacts {
                    attempts_used: 2,
                    ..facts()
                },
                at(5),
                StartRefusal::NoAttemptsLeft(2),
            ),
            (
                StartFacts {
                    attempts_used: 1,
                    last_finished_at: Some(at(0)),
                    ..facts()
                },
                at(60),
                StartRefusal::Wait(at(24 * 60)),
            ),
        ];
        for (f, now, refusal) in cases {
            assert_eq!(may_start(&f, now), Err(refusal));
        }
    }

    #[test]
    fn an_attempt_only_moves_forward() {
        use AttemptEvent::*;
        use AttemptStatus::*;
        assert_eq!(
            InProgress.next(Finish { hand_graded: true }),
            Some(AwaitingGrading)
        );
        assert_eq!(InProgress.next(Finish { hand_graded: false }), Some(Final));
        assert_eq!(AwaitingGrading.next(LastGrade), Some(Final));
        assert_eq!(Final.next(Regrade), Some(Final));
        assert_eq!(Final.next(Finish { hand_graded: false }), None);
        assert_eq!(AwaitingGrading.next(Finish { hand_graded: true }), None);
        assert_eq!(InProgress.next(Regrade), None);
        assert_eq!(InProgress.next(LastGrade), None);
        for s in [InProgress, AwaitingGrading, Final] {
            assert_eq!(AttemptStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AttemptStatus::parse("paused"), None);
    }

    #[test]
    fn answers_wait_until_no_attempt_is_left() {
        let failed_once = StartFacts {
            attempts_used: 1,
            last_finished_at: Some(at(0)),
            ..facts()
        };
        // One attempt of two left: the answers would help the second.
        assert!(!answers_may_be_shown(&failed_once, at(60)));
        // The second running, or waiting for its grade: still not.
        let second_running = StartFacts {
            attempts_used: 2,
            in_progress: true,
            ..failed_once
        };
        assert!(!answers_may_be_shown(&second_running, at(60)));
        let second_waiting = StartFacts {
            in_progress: false,
            awaiting_grading: true,
            ..second_running
        };
        assert!(!answers_may_be_shown(&second_waiting, at(60)));
        // Every attempt used, a pass, a certificate held, or the window closed: shown.
        let used_up = StartFacts {
            awaiting_grading: false,
            ..second_waiting
        };
        assert!(answers_may_be_shown(&used_up, at(60)));
        assert!(answers_may_be_shown(
            &StartFacts {
                passed: true,
                ..failed_once
            },
            at(60)
        ));
        assert!(answers_may_be_shown(
            &StartFacts {
                certified: true,
                ..failed_once
            },
            at(60)
        ));
        assert!(answers_may_be_shown(&failed_once, at(10_000)));
        // An extra attempt granted keeps them hidden.
        assert!(!answers_may_be_shown(
            &StartFacts {
                extra_attempts: 1,
                ..used_up
            },
            at(60)
        ));
    }

    #[test]
    fn extra_attempts_and_the_wait_are_honoured() {
        let f = StartFacts {
            attempts_used: 2,
            extra_attempts: 1,
            last_finished_at: Some(at(0)),
            ..facts()
        };
        assert_eq!(may_start(&f, at(24 * 60)), Ok(()));
        assert!(may_start(&f, at(24 * 60 - 1)).is_err());
    }

    #[test]
    fn accommodations_are_whole_numbers_in_range() {
        assert_eq!(
            parse_accommodation(" 50 ", "1").map_err(|e| e.field),
            Ok((50, 1))
        );
        assert_eq!(
            parse_accommodation("301", "0").unwrap_err().field,
            "extra_time_percent"
        );
        assert_eq!(
            parse_accommodation("0", "-1").unwrap_err().field,
            "extra_attempts"
        );
        assert_eq!(
            parse_accommodation("half", "0").unwrap_err().field,
            "extra_time_percent"
        );
    }

    #[test]
    fn the_window_is_the_set_one_or_a_month_after_the_last_session() {
        assert_eq!(
            test_window(Some((at(1), at(2))), Some(at(100)), at(0)),
            (at(1), at(2))
        );
        assert_eq!(
            test_window(None, Some(at(100)), at(0)),
            (at(100), at(100 + 30 * 24 * 60))
        );
        assert_eq!(
            test_window(None, None, at(7)),
            (at(7), at(7 + 30 * 24 * 60))
        );
    }

    #[test]
    fn extra_time_extends_the_deadline_rounded_up() {
        assert_eq!(deadline(at(0), 90, 0), at(90));
        assert_eq!(deadline(at(0), 90, 50), at(135));
        assert_eq!(
            deadline(at(0), 90, 25),
            at(113),
            "22.5 minutes round up to 23"
        );
    }

    #[test]
    fn saves_are_taken_until_the_grace_ends_and_only_when_newer() {
        let end = at(90);
        assert_eq!(may_save(true, end, 3, 4, at(89)), Ok(()));
        assert_eq!(
            may_save(true, end, 3, 4, end + Duration::seconds(30)),
            Ok(())
        );
        assert_eq!(
            may_save(true, end, 3, 4, end + Duration::seconds(31)),
            Err(SaveRefusal::TooLate)
        );
        assert_eq!(may_save(true, end, 3, 3, at(10)), Err(SaveRefusal::Stale));
        assert_eq!(may_save(true, end, 3, 2, at(10)), Err(SaveRefusal::Stale));
        assert_eq!(
            may_save(false, end, 3, 4, at(10)),
            Err(SaveRefusal::Finished)
        );
    }
}
