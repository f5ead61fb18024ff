//! Minutes attended in one meeting, from the join/leave intervals of one person.
//!
//! Intervals are clipped to the meeting, then merged, so time spent in the waiting room
//! before the start, two devices connected at once, or a report that lists the same
//! interval twice never counts twice. Minutes are whole minutes of the merged total,
//! rounded down: 59 s of presence is 0 minutes, 3 h 59 min 59 s is 239.

use chrono::{DateTime, Duration, Utc};

/// One stretch of presence: joined at `.0`, left at `.1`.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// How late a first join, or how early a last leave, may be before it is suggested.
pub const DEFAULT_TOLERANCE: Duration = Duration::minutes(10);

/// One person's presence in one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub meeting_start: DateTime<Utc>,
    pub meeting_end: DateTime<Utc>,
    /// Clipped to the meeting, merged, sorted, none empty.
    pub intervals: Vec<Interval>,
}

impl Attendance {
    /// Clips `intervals` to the meeting and merges them (see [`merge_intervals`]).
    pub fn new(
        meeting_start: DateTime<Utc>,
        meeting_end: DateTime<Utc>,
        intervals: &[Interval],
    ) -> Self {
        Attendance {
            meeting_start,
            meeting_end,
            intervals: merge_intervals(meeting_start, meeting_end, intervals),
        }
    }

    /// Total presence, never more than the meeting's length.
    pub fn duration(&self) -> Duration {
        self.intervals
            .iter()
            .map(|(start, end)| *end - *start)
            .fold(Duration::zero(), |total, part| total + part)
    }

    /// Whole minutes of presence, rounded down.
    pub fn minutes(&self) -> i64 {
        self.duration().num_minutes()
    }

    /// The first moment present, at the earliest the meeting's start.
    pub fn first_join(&self) -> Option<DateTime<Utc>> {
        self.intervals.first().map(|(start, _)| *start)
    }

    /// The last moment present, at the latest the meeting's end.
    pub fn last_leave(&self) -> Option<DateTime<Utc>> {
        self.intervals.last().map(|(_, end)| *end)
    }
}

/// Drops empty or reversed intervals (end <= start), clips the rest to
/// [`meeting_start`, `meeting_end`], and merges those that overlap or touch. The result is
/// sorted and its intervals are disjoint and separated by a gap.
pub fn merge_intervals(
    meeting_start: DateTime<Utc>,
    meeting_end: DateTime<Utc>,
    intervals: &[Interval],
) -> Vec<Interval> {
    let mut clipped: Vec<Interval> = intervals
        .iter()
        .map(|&(start, end)| (start.max(meeting_start), end.min(meeting_end)))
        .filter(|(start, end)| start < end)
        .collect();
    clipped.sort_unstable();
    let mut merged: Vec<Interval> = Vec::with_capacity(clipped.len());
    for (start, end) in clipped {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Whole minutes present in the meeting, rounded down (see [`Attendance`]).
pub fn attended_minutes(
    meeting_start: DateTime<Utc>,
    meeting_end: DateTime<Utc>,
    intervals: &[Interval],
) -> i64 {
    Attendance::new(meeting_start, meeting_end, intervals).minutes()
}

/// What the instructor is offered as a starting point; they confirm or change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestedStatus {
    Present,
    Late,
    LeftEarly,
    Absent,
}

impl SuggestedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestedStatus::Present => "present",
            SuggestedStatus::Late => "late",
            SuggestedStatus::LeftEarly => "left_early",
            SuggestedStatus::Absent => "absent",
        }
    }
}

/// Absent with no whole minute of presence; Late when the first join is more than
/// `tolerance` after the start; LeftEarly when the last leave is more than `tolerance`
/// before the end; otherwise Present. Late wins when both apply: arriving late is what
/// the instructor sees first and usually the one the course rules care about, and the
/// minutes show the rest. Gaps in the middle are not judged here, only by the minutes.
pub fn suggest_status(attendance: &Attendance, tolerance: Duration) -> SuggestedStatus {
    let (Some(first_join), Some(last_leave)) = (attendance.first_join(), attendance.last_leave())
    else {
        return SuggestedStatus::Absent;
    };
    if attendance.minutes() == 0 {
        SuggestedStatus::Absent
    } else if first_join - attendance.meeting_start > tolerance {
        SuggestedStatus::Late
    } else if attendance.meeting_end - last_leave > tolerance {
        SuggestedStatus::LeftEarly
    } else {
        SuggestedStatus::Present
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// June 17, 2026 at `h:m` UTC.
    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 17, h, m, 0).unwrap()
    }

    // 09:00-13:00 MDT.
    fn meeting() -> (DateTime<Utc>, DateTime<Utc>) {
        (at(15, 0), at(19, 0))
    }

    fn minutes_of(intervals: &[Interval]) -> i64 {
        let (start, end) = meeting();
        attended_minutes(start, end, intervals)
    }

    fn status_of(intervals: &[Interval]) -> SuggestedStatus {
        let (start, end) = meeting();
        suggest_status(&Attendance::new(start, end, intervals), DEFAULT_TOLERANCE)
    }

    #[test]
    fn clips_to_the_meeting() {
        assert_eq!(minutes_of(&[(at(14, 50), at(19, 20))]), 240);
        assert_eq!(minutes_of(&[(at(13, 0), at(14, 0))]), 0);
        assert_eq!(minutes_of(&[(at(14, 0), at(15, 30))]), 30);
    }

    #[test]
    fn merges_overlapping_and_touching_intervals() {
        let (start, end) = meeting();
        let merged = merge_intervals(
            start,
            end,
            &[
                (at(16, 0), at(17, 0)),
                (at(15, 0), at(16, 0)),
                (at(15, 30), at(15, 45)),
            ],
        );
        assert_eq!(merged, vec![(at(15, 0), at(17, 0))]);
        assert_eq!(
            minutes_of(&[(at(15, 0), at(16, 30)), (at(16, 0), at(17, 0))]),
            120
        );
    }

    #[test]
    fn drops_empty_and_reversed_intervals() {
        assert_eq!(
            minutes_of(&[(at(16, 0), at(16, 0)), (at(17, 0), at(16, 0))]),
            0
        );
        assert_eq!(minutes_of(&[]), 0);
    }

    #[test]
    fn rounds_the_total_down_to_whole_minutes() {
        let half = Duration::seconds(30);
        // Two half minutes add up to one; each alone would round to zero.
        let parts = [(at(15, 0), at(15, 0) + half), (at(16, 0), at(16, 0) + half)];
        assert_eq!(minutes_of(&parts), 1);
        assert_eq!(minutes_of(&parts[..1]), 0);
    }

    #[test]
    fn first_join_and_last_leave_are_clipped() {
        let (start, end) = meeting();
        let attendance = Attendance::new(
            start,
            end,
            &[(at(14, 55), at(16, 0)), (at(17, 0), at(18, 0))],
        );
        assert_eq!(attendance.first_join(), Some(at(15, 0)));
        assert_eq!(attendance.last_leave(), Some(at(18, 0)));
        assert_eq!(attendance.intervals.len(), 2);
        assert_eq!(attendance.minutes(), 120);
    }

    #[test]
    fn suggests_a_status() {
        assert_eq!(
            status_of(&[(at(14, 58), at(19, 1))]),
            SuggestedStatus::Present
        );
        assert_eq!(
            status_of(&[(at(15, 10), at(18, 50))]),
            SuggestedStatus::Present
        );
        assert_eq!(status_of(&[(at(15, 11), at(19, 0))]), SuggestedStatus::Late);
        assert_eq!(
            status_of(&[(at(15, 0), at(18, 49))]),
            SuggestedStatus::LeftEarly
        );
        assert_eq!(status_of(&[(at(15, 30), at(18, 0))]), SuggestedStatus::Late);
        assert_eq!(status_of(&[]), SuggestedStatus::Absent);
        assert_eq!(
            status_of(&[(at(12, 0), at(14, 0))]),
            SuggestedStatus::Absent
        );
        let seconds = [(at(15, 0), at(15, 0) + Duration::seconds(40))];
        assert_eq!(status_of(&seconds), SuggestedStatus::Absent);
    }

    #[test]
    fn status_strings() {
        let all = [
            SuggestedStatus::Present,
            SuggestedStatus::Late,
            SuggestedStatus::LeftEarly,
            SuggestedStatus::Absent,
        ];
        let strings: Vec<_> = all.iter().map(|s| s.as_str()).collect();
        assert_eq!(strings, ["present", "late", "left_early", "absent"]);
    }

    /// Intervals starting up to an hour before a 4-hour meeting and ending up to an hour
    /// after, some reversed or empty.
    fn arb_intervals() -> impl Strategy<Value = Vec<Interval>> {
        let second = 0..(6 * 3600_i64);
        prop::collection::vec((second.clone(), second), 0..12).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(a, b)| {
                    (
                        at(14, 0) + Duration::seconds(a),
                        at(14, 0) + Duration::seconds(b),
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn minutes_stay_within_the_meeting(intervals in arb_intervals()) {
            let minutes = minutes_of(&intervals);
            prop_assert!((0..=240).contains(&minutes));
        }

        #[test]
        fn input_order_does_not_matter(
            intervals in arb_intervals().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        ) {
            let (start, end) = meeting();
            let (original, shuffled) = intervals;
            prop_assert_eq!(
                merge_intervals(start, end, &original),
                merge_intervals(start, end, &shuffled)
            );
        }

        #[test]
        fn merging_is_idempotent(intervals in arb_intervals()) {
            let (start, end) = meeting();
            let once = merge_intervals(start, end, &intervals);
            prop_assert_eq!(merge_intervals(start, end, &once), once.clone());
            prop_assert!(once.windows(2).all(|w| w[0].1 < w[1].0));
        }

        #[test]
        fn another_interval_never_lowers_the_minutes(
            intervals in arb_intervals(),
            extra in arb_intervals(),
        ) {
            let mut more = intervals.clone();
            more.extend(extra);
            prop_assert!(minutes_of(&more) >= minutes_of(&intervals));
        }
    }
}
