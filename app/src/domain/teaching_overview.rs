//! The instructor's dashboard: what needs doing across their classes. How full a session's
//! class is, in words, and which of a person's shortfalls an instructor can act on now.

use super::attendance_rule::Shortfall;
use chrono::{DateTime, Utc};

/// Who holds or waits for a seat in a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RosterCounts {
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub pending: i64,
}

impl RosterCounts {
    /// "12 of 14 seats taken · 2 wait-listed · 1 awaiting approval": the parts after the
    /// first appear only when someone is in them.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!(
            "{} of {} {} taken",
            self.confirmed,
            self.capacity,
            if self.capacity == 1 { "seat" } else { "seats" }
        )];
        if self.waitlisted > 0 {
            parts.push(format!("{} wait-listed", self.waitlisted));
        }
        if self.pending > 0 {
            parts.push(format!("{} awaiting approval", self.pending));
        }
        parts.join(" · ")
    }
}

/// The shortfalls an instructor can act on at `now`. "Attendance not recorded yet" for a
/// session that has not ended is no news (nobody could have recorded it), so it is left
/// out; once the session is over it is a roll call to take. `session_ends` holds each
/// session's end, in session order (`Shortfall` numbers sessions from 1).
pub fn actionable(
    shortfalls: Vec<Shortfall>,
    session_ends: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Vec<Shortfall> {
    shortfalls
        .into_iter()
        .filter(|s| match s {
            Shortfall::NotRecorded { number } => number
                .checked_sub(1)
                .and_then(|i| session_ends.get(i))
                .is_none_or(|end| *end <= now),
            _ => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn counts_name_only_the_queues_that_hold_someone() {
        let full = RosterCounts {
            capacity: 14,
            confirmed: 12,
            waitlisted: 2,
            pending: 1,
        };
        assert_eq!(
            full.describe(),
            "12 of 14 seats taken · 2 wait-listed · 1 awaiting approval"
        );
        let quiet = RosterCounts {
            capacity: 1,
            confirmed: 0,
            ..RosterCounts::default()
        };
        assert_eq!(quiet.describe(), "0 of 1 seat taken");
    }

    #[test]
    fn a_session_still_ahead_is_not_a_shortfall_to_act_on() {
        let now = Utc.with_ymd_and_hms(2026, 6, 18, 12, 0, 0).unwrap();
        let ends = [now - Duration::hours(20), now + Duration::hours(1)];
        let all = vec![
            Shortfall::NotPaid,
            Shortfall::NotRecorded { number: 1 },
            Shortfall::NotRecorded { number: 2 },
            Shortfall::Absent { number: 2 },
        ];
        assert_eq!(
            actionable(all, &ends, now),
            vec![
                Shortfall::NotPaid,
                Shortfall::NotRecorded { number: 1 },
                Shortfall::Absent { number: 2 },
            ]
        );
        // The moment the session ends, its missing roll call counts.
        assert_eq!(
            actionable(vec![Shortfall::NotRecorded { number: 2 }], &ends, ends[1]),
            vec![Shortfall::NotRecorded { number: 2 }]
        );
        // A number the schedule does not know is kept rather than hidden.
        assert_eq!(
            actionable(vec![Shortfall::NotRecorded { number: 3 }], &ends, now),
            vec![Shortfall::NotRecorded { number: 3 }]
        );
    }
}
