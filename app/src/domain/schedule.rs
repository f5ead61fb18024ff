//! An offering's meetings: the live sessions, stored as UTC instants, planned in the
//! offering's display zone (an IANA name) and converted at the edge with chrono-tz.
//!
//! Arithmetic is done on calendar dates and on UTC instants, never on local times: each
//! day's local wall times are converted to UTC on their own, so a daylight-saving change
//! between two days keeps the class at 9:00 am local.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The display zone of an offering unless an admin picks another.
pub const DEFAULT_ZONE: &str = "America/Denver";

/// No single meeting may last longer than this.
pub const MAX_MEETING_HOURS: i64 = 12;

/// `consecutive_meetings` plans at most this many days at once.
pub const MAX_CONSECUTIVE_DAYS: u32 = 31;

/// One live session of an offering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Meeting {
    pub fn duration(&self) -> Duration {
        self.ends_at - self.starts_at
    }
}

/// The two standard class times, in the offering's display zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// 9:00 am-1:00 pm.
    Day,
    /// 4:00 pm-8:00 pm.
    Evening,
}

impl Preset {
    pub const ALL: [Preset; 2] = [Preset::Day, Preset::Evening];

    /// Local start and end wall times.
    pub fn local_hours(self) -> (NaiveTime, NaiveTime) {
        let (start, end) = match self {
            Preset::Day => (9, 13),
            Preset::Evening => (16, 20),
        };
        (hour(start), hour(end))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Day => "day",
            Preset::Evening => "evening",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Day => "Day class",
            Preset::Evening => "Evening class",
        }
    }
}

impl FromStr for Preset {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "day" => Ok(Preset::Day),
            "evening" => Ok(Preset::Evening),
            _ => Err(ScheduleError::UnknownPreset),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn hour(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// What is wrong with a schedule someone entered. `Display` is a sentence for that person;
/// `field()` names the form field the message belongs next to. Meeting numbers are 1-based,
/// in the order the meetings were given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("\"{0}\" is not a time zone we know. Choose a time zone from the list, such as America/Denver.")]
    UnknownZone(String),
    #[error("Choose the day class or the evening class.")]
    UnknownPreset,
    #[error("Choose at least one day.")]
    NoDays,
    #[error("Choose at most {MAX_CONSECUTIVE_DAYS} days.")]
    TooManyDays,
    #[error("Choose a first day that is not so far in the future.")]
    DateOutOfRange,
    #[error("The end time must be after the start time.")]
    EndNotAfterStart,
    #[error("{time} does not exist on {date} in {zone}: the clocks move forward then. Choose another time.")]
    NonexistentLocalTime {
        date: String,
        time: String,
        zone: String,
    },
    #[error("Add at least one meeting.")]
    NoMeetings,
    #[error("Meeting {0} must end after it starts.")]
    MeetingEndsBeforeStart(usize),
    #[error(
        "Meeting {0} is longer than {MAX_MEETING_HOURS} hours. Split it into separate meetings."
    )]
    MeetingTooLong(usize),
    #[error("Meeting {0} starts in the past. Choose a later date.")]
    MeetingInPast(usize),
    #[error("Meetings {0} and {1} overlap. Each meeting must end before the next one starts.")]
    MeetingsOverlap(usize, usize),
}

impl ScheduleError {
    /// The form field this error belongs next to.
    pub fn field(&self) -> &'static str {
        match self {
            ScheduleError::UnknownZone(_) => "zone",
            ScheduleError::UnknownPreset => "preset",
            ScheduleError::NoDays | ScheduleError::TooManyDays => "days",
            ScheduleError::DateOutOfRange => "first_day",
            ScheduleError::EndNotAfterStart => "end",
            ScheduleError::NonexistentLocalTime { .. } => "start",
            ScheduleError::NoMeetings
            | ScheduleError::MeetingEndsBeforeStart(_)
            | ScheduleError::MeetingTooLong(_)
            | ScheduleError::MeetingInPast(_)
            | ScheduleError::MeetingsOverlap(_, _) => "meetings",
        }
    }
}

/// Parses an IANA zone name such as `America/Denver` (surrounding spaces ignored).
pub fn parse_zone(name: &str) -> Result<Tz, ScheduleError> {
    let name = name.trim();
    Tz::from_str(name).map_err(|_| ScheduleError::UnknownZone(name.to_owned()))
}

/// The UTC instant of a local wall time in `zone`.
///
/// Rule for the two hours a year where local time is irregular:
/// - a local time that does not exist (skipped by a spring-forward gap) is an error,
///   because guessing would move a class by an hour without anyone noticing;
/// - a local time that happens twice (repeated by a fall-back overlap) means the earlier
///   of the two instants, the one people reach first.
pub fn local_to_utc(
    date: NaiveDate,
    time: NaiveTime,
    zone: Tz,
) -> Result<DateTime<Utc>, ScheduleError> {
    match zone.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, later) => Ok(earlier.min(later).with_timezone(&Utc)),
        LocalResult::None => Err(ScheduleError::NonexistentLocalTime {
            date: date.format("%B %-d, %Y").to_string(),
            time: time.format("%-I:%M %P").to_string(),
            zone: zone.name().to_owned(),
        }),
    }
}

/// One meeting per consecutive calendar day from `first_day`, each from `start` to `end`
/// local time in `zone`, converted to UTC day by day (see [`local_to_utc`] for the rule on
/// skipped and repeated local times). `end` must be after `start` on the same day: classes
/// that run past midnight are entered as separate meetings.
pub fn consecutive_meetings(
    first_day: NaiveDate,
    days: u32,
    start: NaiveTime,
    end: NaiveTime,
    zone: Tz,
) -> Result<Vec<Meeting>, ScheduleError> {
    if days == 0 {
        return Err(ScheduleError::NoDays);
    }
    if days > MAX_CONSECUTIVE_DAYS {
        return Err(ScheduleError::TooManyDays);
    }
    if end <= start {
        return Err(ScheduleError::EndNotAfterStart);
    }
    (0..days)
        .map(|offset| {
            let day = first_day
                .checked_add_days(chrono::Days::new(u64::from(offset)))
                .ok_or(ScheduleError::DateOutOfRange)?;
            Ok(Meeting {
                starts_at: local_to_utc(day, start, zone)?,
                ends_at: local_to_utc(day, end, zone)?,
            })
        })
        .collect()
}

/// Checks a whole schedule: at least one meeting; each ends after it starts, lasts at most
/// [`MAX_MEETING_HOURS`] hours and starts no earlier than `now`; no two overlap (one may
/// start at the very instant the previous one ends). Reports the first problem found,
/// checking meetings in the order given and overlaps last.
pub fn validate_meetings(meetings: &[Meeting], now: DateTime<Utc>) -> Result<(), ScheduleError> {
    if meetings.is_empty() {
        return Err(ScheduleError::NoMeetings);
    }
    for (i, meeting) in meetings.iter().enumerate() {
        let number = i + 1;
        if meeting.ends_at <= meeting.starts_at {
            return Err(ScheduleError::MeetingEndsBeforeStart(number));
        }
        if meeting.duration() > Duration::hours(MAX_MEETING_HOURS) {
            return Err(ScheduleError::MeetingTooLong(number));
        }
        if meeting.starts_at < now {
            return Err(ScheduleError::MeetingInPast(number));
        }
    }
    let mut order: Vec<usize> = (0..meetings.len()).collect();
    order.sort_by_key(|&i| (meetings[i].starts_at, i));
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if meetings[a].ends_at > meetings[b].starts_at {
            return Err(ScheduleError::MeetingsOverlap(a.min(b) + 1, a.max(b) + 1));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::{Denver, New_York, Phoenix};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn meeting(start: &str, end: &str) -> Meeting {
        Meeting {
            starts_at: utc(start),
            ends_at: utc(end),
        }
    }

    #[test]
    fn presets_have_the_advertised_hours_and_names() {
        assert_eq!(Preset::Day.local_hours(), (hour(9), hour(13)));
        assert_eq!(Preset::Evening.local_hours(), (hour(16), hour(20)));
        for preset in Preset::ALL {
            assert_eq!(preset.as_str().parse::<Preset>(), Ok(preset));
        }
        assert_eq!(Preset::Day.label(), "Day class");
        assert_eq!(Preset::Evening.label(), "Evening class");
        assert_eq!("night".parse::<Preset>(), Err(ScheduleError::UnknownPreset));
        assert_eq!(ScheduleError::UnknownPreset.field(), "preset");
        assert_eq!(
            serde_json::to_string(&Preset::Evening).unwrap(),
            "\"evening\""
        );
    }

    #[test]
    fn zones_parse_by_iana_name() {
        assert_eq!(parse_zone(DEFAULT_ZONE), Ok(Denver));
        assert_eq!(parse_zone(" America/Phoenix "), Ok(Phoenix));
        let err = parse_zone("Mountain Time").unwrap_err();
        assert_eq!(err.field(), "zone");
        assert_eq!(
            err.to_string(),
            "\"Mountain Time\" is not a time zone we know. Choose a time zone from the list, such as America/Denver."
        );
        assert!(parse_zone("").is_err());
    }

    #[test]
    fn two_day_class_in_summer_is_mdt() {
        let (start, end) = Preset::Day.local_hours();
        let meetings = consecutive_meetings(date(2026, 6, 17), 2, start, end, Denver).unwrap();
        assert_eq!(
            meetings,
            vec![
                meeting("2026-06-17T15:00:00Z", "2026-06-17T19:00:00Z"),
                meeting("2026-06-18T15:00:00Z", "2026-06-18T19:00:00Z"),
            ]
        );
    }

    #[test]
    fn spring_forward_between_days_keeps_local_hours() {
        // US clocks spring forward on Sunday 8 March 2026.
        let (start, end) = Preset::Day.local_hours();
        let meetings = consecutive_meetings(date(2026, 3, 7), 2, start, end, Denver).unwrap();
        assert_eq!(
            meetings[0],
            meeting("2026-03-07T16:00:00Z", "2026-03-07T20:00:00Z")
        );
        assert_eq!(
            meetings[1],
            meeting("2026-03-08T15:00:00Z", "2026-03-08T19:00:00Z")
        );
    }

    #[test]
    fn fall_back_between_days_keeps_local_hours() {
        // US clocks fall back on Sunday 1 November 2026.
        let (start, end) = Preset::Evening.local_hours();
        let meetings = consecutive_meetings(date(2026, 10, 31), 2, start, end, New_York).unwrap();
        assert_eq!(
            meetings[0],
            meeting("2026-10-31T20:00:00Z", "2026-11-01T00:00:00Z")
        );
        assert_eq!(
            meetings[1],
            meeting("2026-11-01T21:00:00Z", "2026-11-02T01:00:00Z")
        );
    }

    #[test]
    fn zone_without_dst_never_shifts() {
        let (start, end) = Preset::Day.local_hours();
        let meetings = consecutive_meetings(date(2026, 3, 7), 2, start, end, Phoenix).unwrap();
        assert_eq!(
            meetings[0],
            meeting("2026-03-07T16:00:00Z", "2026-03-07T20:00:00Z")
        );
        assert_eq!(
            meetings[1],
            meeting("2026-03-08T16:00:00Z", "2026-03-08T20:00:00Z")
        );
    }

    #[test]
    fn a_skipped_local_time_is_an_error() {
        let err = consecutive_meetings(date(2026, 3, 8), 1, hour(2), hour(6), Denver).unwrap_err();
        assert_eq!(err.field(), "start");
        assert_eq!(
            err.to_string(),
            "2:00 am does not exist on March 8, 2026 in America/Denver: the clocks move forward then. Choose another time."
        );
        // Only the gap day fails, wherever it falls in the run.
        assert!(consecutive_meetings(date(2026, 3, 6), 3, hour(2), hour(6), Denver).is_err());
        assert!(consecutive_meetings(date(2026, 3, 9), 3, hour(2), hour(6), Denver).is_ok());
    }

    #[test]
    fn a_repeated_local_time_takes_the_earlier_instant() {
        // 1:30 am happens twice in Denver on 1 November 2026: 07:30Z (MDT) and 08:30Z (MST).
        let start = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        let meetings = consecutive_meetings(date(2026, 11, 1), 1, start, hour(5), Denver).unwrap();
        assert_eq!(meetings[0].starts_at, utc("2026-11-01T07:30:00Z"));
        assert_eq!(meetings[0].ends_at, utc("2026-11-01T12:00:00Z"));
    }

    #[test]
    fn consecutive_meetings_rejects_bad_input() {
        let d = date(2026, 6, 17);
        let nine = hour(9);
        let one = hour(13);
        assert_eq!(
            consecutive_meetings(d, 0, nine, one, Denver),
            Err(ScheduleError::NoDays)
        );
        assert_eq!(
            consecutive_meetings(d, MAX_CONSECUTIVE_DAYS + 1, nine, one, Denver),
            Err(ScheduleError::TooManyDays)
        );
        assert_eq!(
            consecutive_meetings(d, 2, one, nine, Denver),
            Err(ScheduleError::EndNotAfterStart)
        );
        assert_eq!(
            consecutive_meetings(d, 2, nine, nine, Denver),
            Err(ScheduleError::EndNotAfterStart)
        );
        assert_eq!(ScheduleError::EndNotAfterStart.field(), "end");
        assert_eq!(ScheduleError::NoDays.field(), "days");
        assert_eq!(
            consecutive_meetings(NaiveDate::MAX, 2, nine, one, Denver),
            Err(ScheduleError::DateOutOfRange)
        );
        assert_eq!(
            consecutive_meetings(d, MAX_CONSECUTIVE_DAYS, nine, one, Denver)
                .unwrap()
                .len(),
            MAX_CONSECUTIVE_DAYS as usize
        );
    }

    #[test]
    fn a_good_schedule_validates() {
        let now = utc("2026-06-01T00:00:00Z");
        let (start, end) = Preset::Day.local_hours();
        let meetings = consecutive_meetings(date(2026, 6, 17), 2, start, end, Denver).unwrap();
        assert_eq!(validate_meetings(&meetings, now), Ok(()));
        // Back to back is not an overlap; the order given does not matter.
        let back_to_back = [
            meeting("2026-06-17T19:00:00Z", "2026-06-17T20:00:00Z"),
            meeting("2026-06-17T15:00:00Z", "2026-06-17T19:00:00Z"),
        ];
        assert_eq!(validate_meetings(&back_to_back, now), Ok(()));
        // Exactly twelve hours and starting exactly now are allowed.
        let edge = [meeting("2026-06-01T00:00:00Z", "2026-06-01T12:00:00Z")];
        assert_eq!(validate_meetings(&edge, now), Ok(()));
    }

    #[test]
    fn validation_names_the_first_problem() {
        let now = utc("2026-06-01T00:00:00Z");
        let good = meeting("2026-06-17T15:00:00Z", "2026-06-17T19:00:00Z");
        let cases = [
            (vec![], ScheduleError::NoMeetings),
            (
                vec![
                    good,
                    meeting("2026-06-18T19:00:00Z", "2026-06-18T15:00:00Z"),
                ],
                ScheduleError::MeetingEndsBeforeStart(2),
            ),
            (
                vec![meeting("2026-06-18T15:00:00Z", "2026-06-18T15:00:00Z")],
                ScheduleError::MeetingEndsBeforeStart(1),
            ),
            (
                vec![meeting("2026-06-18T00:00:00Z", "2026-06-18T12:00:01Z")],
                ScheduleError::MeetingTooLong(1),
            ),
            (
                vec![
                    good,
                    meeting("2026-05-31T23:59:59Z", "2026-06-01T02:00:00Z"),
                ],
                ScheduleError::MeetingInPast(2),
            ),
            (
                vec![
                    good,
                    meeting("2026-06-20T15:00:00Z", "2026-06-20T19:00:00Z"),
                    meeting("2026-06-17T18:00:00Z", "2026-06-17T20:00:00Z"),
                ],
                ScheduleError::MeetingsOverlap(1, 3),
            ),
            (vec![good, good], ScheduleError::MeetingsOverlap(1, 2)),
        ];
        for (meetings, expected) in cases {
            assert_eq!(validate_meetings(&meetings, now), Err(expected.clone()));
            assert_eq!(expected.field(), "meetings");
        }
    }

    #[test]
    fn validation_messages_read_as_sentences() {
        assert_eq!(
            ScheduleError::NoMeetings.to_string(),
            "Add at least one meeting."
        );
        assert_eq!(
            ScheduleError::MeetingEndsBeforeStart(2).to_string(),
            "Meeting 2 must end after it starts."
        );
        assert_eq!(
            ScheduleError::MeetingTooLong(1).to_string(),
            "Meeting 1 is longer than 12 hours. Split it into separate meetings."
        );
        assert_eq!(
            ScheduleError::MeetingInPast(1).to_string(),
            "Meeting 1 starts in the past. Choose a later date."
        );
        assert_eq!(
            ScheduleError::MeetingsOverlap(1, 3).to_string(),
            "Meetings 1 and 3 overlap. Each meeting must end before the next one starts."
        );
    }

    #[test]
    fn meetings_round_trip_through_json() {
        let m = meeting("2026-06-17T15:00:00Z", "2026-06-17T19:00:00Z");
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Meeting>(&json).unwrap(), m);
        assert_eq!(m.duration(), Duration::hours(4));
    }
}
