//! Who recorded an attendance mark, and which record wins when two disagree.
//!
//! Precedence, strongest first: an instructor's roll call and an imported meeting report
//! (the later of the two replaces the earlier), then the attendee's own check-in, then the
//! end-of-session job's "not marked". A self check-in is written only where nothing is
//! recorded yet, so it never replaces roll call or a report; roll call and reports replace a
//! self check-in, even with the same values, so the record says the instructor confirmed it.
//! One exception for reports: a report that finds someone absent keeps an "Excused" mark,
//! because the excuse is the instructor's explanation of that very absence (a report that
//! finds them attending replaces it: they were there after all).
//!
//! A self check-in is open while "Join session" is (`attendance_rule::join_open`).

use super::attendance_rule::AttendanceStatus;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Who or what recorded a mark (the `attendance.source` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MarkSource {
    RollCall,
    Import,
    SelfCheckIn,
    AutoAbsent,
    MakeUp,
}

impl MarkSource {
    pub const ALL: [MarkSource; 5] = [
        MarkSource::RollCall,
        MarkSource::Import,
        MarkSource::SelfCheckIn,
        MarkSource::AutoAbsent,
        MarkSource::MakeUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MarkSource::RollCall => "roll_call",
            MarkSource::Import => "import",
            MarkSource::SelfCheckIn => "self_check_in",
            MarkSource::AutoAbsent => "auto_absent",
            MarkSource::MakeUp => "make_up",
        }
    }

    /// In words, for the roll call's "Recorded by" column.
    pub fn label(self) -> &'static str {
        match self {
            MarkSource::RollCall => "Roll call",
            MarkSource::Import => "Meeting report",
            MarkSource::SelfCheckIn => "Self check-in",
            MarkSource::AutoAbsent => "End of session (not marked)",
            MarkSource::MakeUp => "Make-up",
        }
    }
}

impl FromStr for MarkSource {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        MarkSource::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(())
    }
}

/// A mark's values, as stored or as proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkValues<'a> {
    pub status: AttendanceStatus,
    pub minutes: i64,
    pub note: &'a str,
}

/// What to do with a proposed mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Write it (and audit the change).
    Write,
    /// The same values are recorded by a source at least as strong: nothing to do.
    Unchanged,
    /// A stronger record stands: leave it.
    Keep,
}

/// Whether a mark from `incoming` replaces what is `recorded` (see the module's rules).
pub fn decide(
    recorded: Option<(MarkSource, &MarkValues)>,
    incoming: MarkSource,
    proposed: &MarkValues,
) -> Decision {
    let Some((source, current)) = recorded else {
        return Decision::Write;
    };
    match incoming {
        // The attendee and the job only fill a gap.
        MarkSource::SelfCheckIn | MarkSource::AutoAbsent => Decision::Keep,
        MarkSource::Import
            if current.status == AttendanceStatus::Excused
                && proposed.status == AttendanceStatus::Absent =>
        {
            Decision::Keep
        }
        MarkSource::RollCall | MarkSource::Import | MarkSource::MakeUp => {
            let same = current.status == proposed.status
                && current.minutes == proposed.minutes
                && current.note == proposed.note;
            if same && source != MarkSource::SelfCheckIn {
                Decision::Unchanged
            } else {
                Decision::Write
            }
        }
    }
}

/// How late a check-in may be and still count as on time (as a meeting report's first join).
pub const CHECK_IN_GRACE: Duration = Duration::minutes(10);

/// The mark a self check-in at `at` records: present for the whole session when it came no
/// later than [`CHECK_IN_GRACE`] after the start; otherwise late, with the whole minutes from
/// the check-in to the end. A check-in vouches for presence from that moment on and cannot
/// vouch for time before it; nobody checks out, so the rest of the session is assumed until
/// roll call or a meeting report says otherwise.
pub fn self_check_in_mark(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> (AttendanceStatus, i64) {
    let length = (ends_at - starts_at).num_minutes().max(0);
    if at <= starts_at + CHECK_IN_GRACE {
        (AttendanceStatus::Present, length)
    } else {
        let minutes = (ends_at - at).num_minutes().clamp(0, length);
        (AttendanceStatus::Late, minutes)
    }
}

/// Whether roll call and meeting reports may record marks for a session at `now`: once it
/// has started. Marks recorded before would let someone qualify for the test before the class.
pub fn marks_open(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= starts_at
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttendanceStatus::*;
    use MarkSource::*;

    fn values(status: AttendanceStatus, minutes: i64) -> MarkValues<'static> {
        MarkValues {
            status,
            minutes,
            note: "",
        }
    }

    #[test]
    fn anything_fills_an_empty_record() {
        for source in MarkSource::ALL {
            assert_eq!(decide(None, source, &values(Present, 240)), Decision::Write);
        }
    }

    #[test]
    fn a_self_check_in_never_replaces_a_recorded_mark() {
        for source in MarkSource::ALL {
            let recorded = values(Absent, 0);
            assert_eq!(
                decide(
                    Some((source, &recorded)),
                    SelfCheckIn,
                    &values(Present, 240)
                ),
                Decision::Keep,
                "{source:?}"
            );
        }
    }

    #[test]
    fn roll_call_and_reports_replace_a_self_check_in_even_when_they_agree() {
        let checked_in = values(Present, 240);
        for incoming in [RollCall, Import] {
            assert_eq!(
                decide(
                    Some((SelfCheckIn, &checked_in)),
                    incoming,
                    &values(Absent, 0)
                ),
                Decision::Write
            );
            assert_eq!(
                decide(
                    Some((SelfCheckIn, &checked_in)),
                    incoming,
                    &values(Present, 240)
                ),
                Decision::Write,
                "confirming it makes the instructor the recorder"
            );
        }
    }

    #[test]
    fn the_same_values_again_change_nothing() {
        let on_file = values(Late, 200);
        for (source, incoming) in [(RollCall, RollCall), (Import, RollCall), (RollCall, Import)] {
            assert_eq!(
                decide(Some((source, &on_file)), incoming, &values(Late, 200)),
                Decision::Unchanged
            );
        }
        assert_eq!(
            decide(Some((RollCall, &on_file)), RollCall, &values(Late, 190)),
            Decision::Write
        );
    }

    #[test]
    fn a_report_keeps_an_excuse_for_an_absence_but_not_against_attendance() {
        let excused = values(Excused, 0);
        assert_eq!(
            decide(Some((RollCall, &excused)), Import, &values(Absent, 0)),
            Decision::Keep
        );
        assert_eq!(
            decide(Some((RollCall, &excused)), Import, &values(Present, 238)),
            Decision::Write
        );
        // The instructor may always change their own excuse.
        assert_eq!(
            decide(Some((RollCall, &excused)), RollCall, &values(Absent, 0)),
            Decision::Write
        );
    }

    #[test]
    fn the_end_of_session_job_only_fills_gaps() {
        let checked_in = values(Present, 240);
        assert_eq!(
            decide(
                Some((SelfCheckIn, &checked_in)),
                AutoAbsent,
                &values(Absent, 0)
            ),
            Decision::Keep
        );
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    #[test]
    fn a_check_in_counts_the_whole_session_when_on_time_and_the_rest_when_late() {
        let (start, end) = (at(0), at(240));
        assert_eq!(self_check_in_mark(start, end, at(-15)), (Present, 240));
        assert_eq!(self_check_in_mark(start, end, at(10)), (Present, 240));
        assert_eq!(self_check_in_mark(start, end, at(11)), (Late, 229));
        assert_eq!(
            self_check_in_mark(start, end, at(239) + Duration::seconds(30)),
            (Late, 0)
        );
        assert_eq!(self_check_in_mark(start, end, at(300)), (Late, 0));
    }

    #[test]
    fn marks_open_when_the_session_starts() {
        assert!(!marks_open(at(0), at(-1)));
        assert!(marks_open(at(0), at(0)));
        assert!(marks_open(at(0), at(500)));
    }

    #[test]
    fn sources_round_trip() {
        for s in MarkSource::ALL {
            assert_eq!(s.as_str().parse::<MarkSource>(), Ok(s));
        }
        assert!("gossip".parse::<MarkSource>().is_err());
    }
}
