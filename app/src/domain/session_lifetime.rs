//! When a signed-in session ends, however active its person.
//!
//! A session ends `max` after sign-in (12 hours by default), so that a stolen cookie or a
//! shared computer does not stay signed in for days. A certification test may last longer
//! than that: up to 600 minutes plus 300 % extra time is allowed. Ending the session mid-test
//! would lose the person's saves, so while they have a test in progress the session lasts
//! until that attempt's deadline plus the save grace, and ends then.

use chrono::{DateTime, Duration, Utc};

/// Whether a session that began at `signed_in_at` has ended at `now`. `test_deadline` is
/// the deadline of the person's attempt in progress, if any. A session without its sign-in
/// stamp has ended (every sign-in writes one).
pub fn ended(
    signed_in_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max: Duration,
    test_deadline: Option<DateTime<Utc>>,
) -> bool {
    let Some(at) = signed_in_at else {
        return true;
    };
    let mut ends = at + max;
    if let Some(deadline) = test_deadline {
        ends = ends.max(deadline + Duration::seconds(super::attempt_rules::SAVE_GRACE_SECONDS));
    }
    now >= ends
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + hours * 3600, 0).unwrap()
    }

    #[test]
    fn ends_at_the_maximum_without_a_test() {
        let max = Duration::hours(12);
        assert!(!ended(
            Some(at(0)),
            at(12) - Duration::seconds(1),
            max,
            None
        ));
        assert!(ended(Some(at(0)), at(12), max, None));
        assert!(ended(None, at(0), max, None));
    }

    #[test]
    fn a_test_in_progress_keeps_it_until_its_deadline_and_grace() {
        let max = Duration::hours(12);
        // Signed in at 0, started a 40-hour test (600 min + 300 %) at hour 1.
        let deadline = Some(at(41));
        assert!(!ended(Some(at(0)), at(13), max, deadline));
        assert!(!ended(
            Some(at(0)),
            at(41) + Duration::seconds(29),
            max,
            deadline
        ));
        assert!(ended(
            Some(at(0)),
            at(41) + Duration::seconds(30),
            max,
            deadline
        ));
    }

    #[test]
    fn an_early_deadline_does_not_shorten_the_session() {
        let max = Duration::hours(12);
        assert!(!ended(Some(at(0)), at(5), max, Some(at(2))));
    }
}
