//! Join and leave times as the reports write them: wall-clock times with no zone, in the
//! US formats of Zoom and Teams or in ISO form. They are read in the meeting's zone.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

// Two-digit years first: `%Y` would read "6/17/26" as the year 26, while `%y` rejects
// "6/17/2026" outright. Commas are removed before matching ("6/17/26, 9:02:11 AM").
const FORMATS: &[&str] = &[
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
];

/// The instant a report's time stands for. A time with an explicit offset
/// ("2026-06-17T15:02:11Z") is taken as written; any other is a wall-clock time in `zone`
/// (see [`local_to_utc`]). `None` when the text is not a time in a known format.
pub(super) fn parse_time(text: &str, zone: Tz) -> Option<DateTime<Utc>> {
    let text = normalize(text);
    if let Ok(instant) = DateTime::parse_from_rfc3339(&text) {
        return Some(instant.with_timezone(&Utc));
    }
    FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())
        .map(|local| local_to_utc(local, zone))
}

/// Wall-clock time in `zone` to UTC. In the repeated hour when clocks go back, the earlier
/// instant (the same rule as meeting planning). In the hour skipped when clocks go forward,
/// which a correct clock never shows, the offset in force before the skip: 2:30 am on a
/// spring-forward night is read as 3:30 am, where a clock that missed the change would be.
pub(super) fn local_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, later) => earlier.min(later).with_timezone(&Utc),
        LocalResult::None => {
            let offset = offset_before_gap(local, zone);
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset))))
        }
    }
}

/// Seconds east of UTC just before the skipped stretch that contains `local`. Gaps last an
/// hour or less except for rare date-line moves (a whole day), hence the 48 hours.
fn offset_before_gap(local: NaiveDateTime, zone: Tz) -> i32 {
    (1..=48 * 4)
        .map(|quarters| local - Duration::minutes(15 * quarters))
        .find_map(|earlier| zone.offset_from_local_datetime(&earlier).latest())
        .map_or(0, |offset| offset.fix().local_minus_utc())
}

/// Unicode spaces (Windows puts a narrow no-break space before "AM"), commas and
/// repeated spaces out of the way of the formats.
fn normalize(text: &str) -> String {
    text.replace(',', " ")
        .split(|c: char| c.is_whitespace() || c == '\u{202f}' || c == '\u{a0}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Denver;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn denver(text: &str) -> Option<DateTime<Utc>> {
        parse_time(text, Denver)
    }

    #[test]
    fn reads_zoom_formats_in_the_meeting_zone() {
        let expected = Some(utc("2026-06-17T15:02:11Z"));
        assert_eq!(denver("06/17/2026 09:02:11 AM"), expected);
        assert_eq!(denver("6/17/2026 9:02:11 am"), expected);
        assert_eq!(denver("06/17/2026 09:02:11"), expected);
        assert_eq!(denver("2026-06-17 09:02:11"), expected);
        assert_eq!(denver("2026-06-17T09:02:11"), expected);
        assert_eq!(denver(" 06/17/2026  09:02:11 AM "), expected);
        assert_eq!(
            denver("06/17/2026 01:05 PM"),
            Some(utc("2026-06-17T19:05:00Z"))
        );
        assert_eq!(
            denver("06/17/2026 13:05"),
            Some(utc("2026-06-17T19:05:00Z"))
        );
        assert_eq!(
            denver("2026-06-17 13:05"),
            Some(utc("2026-06-17T19:05:00Z"))
        );
    }

    #[test]
    fn reads_teams_formats() {
        let expected = Some(utc("2026-06-17T15:02:11Z"));
        assert_eq!(denver("6/17/26, 9:02:11 AM"), expected);
        assert_eq!(denver("6/17/2026, 9:02:11 AM"), expected);
        assert_eq!(denver("6/17/26, 9:02:11\u{202f}AM"), expected);
        assert_eq!(denver("6/17/26, 09:02:11"), expected);
        assert_eq!(
            denver("6/17/26, 12:30:00 PM"),
            Some(utc("2026-06-17T18:30:00Z"))
        );
        assert_eq!(
            denver("6/17/26, 12:30:00 AM"),
            Some(utc("2026-06-17T06:30:00Z"))
        );
    }

    #[test]
    fn honours_an_explicit_offset() {
        assert_eq!(
            denver("2026-06-17T15:02:11Z"),
            Some(utc("2026-06-17T15:02:11Z"))
        );
        assert_eq!(
            denver("2026-06-17T11:02:11-04:00"),
            Some(utc("2026-06-17T15:02:11Z"))
        );
    }

    #[test]
    fn uses_standard_time_in_winter() {
        assert_eq!(
            denver("01/14/2026 09:00:00 AM"),
            Some(utc("2026-01-14T16:00:00Z"))
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for text in [
            "",
            "31/31/2026",
            "13/01/2026 09:00:00",
            "06/17/2026",
            "yes",
            "2026-06-17",
        ] {
            assert_eq!(denver(text), None, "{text}");
        }
    }

    #[test]
    fn skipped_hour_reads_as_if_the_clock_had_not_moved() {
        // March 8, 2026: 2:00 MST jumps to 3:00 MDT.
        assert_eq!(
            denver("03/08/2026 02:30:00 AM"),
            Some(utc("2026-03-08T09:30:00Z"))
        );
        assert_eq!(
            denver("03/08/2026 03:30:00 AM"),
            Some(utc("2026-03-08T09:30:00Z"))
        );
    }

    #[test]
    fn repeated_hour_reads_as_the_earlier_instant() {
        // November 1, 2026: 1:30 happens at 07:30 UTC (MDT) and again at 08:30 UTC (MST).
        assert_eq!(
            denver("11/01/2026 01:30:00 AM"),
            Some(utc("2026-11-01T07:30:00Z"))
        );
    }
}
