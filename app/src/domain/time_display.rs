//! Meetings and instants as people read them: "June 17-18 · 9:00 am-1:00 pm MT (11:00
//! am-3:00 pm EDT, your time)". Everything is computed from UTC instants, converted to
//! the display or viewer zone per meeting, so daylight-saving changes come out right.

use super::schedule::Meeting;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// The zone's specific abbreviation at that instant ("MDT", "MST", "BST"); for zones with
/// no abbreviation in the tz database, the numeric offset ("+03").
pub fn zone_abbreviation(zone: Tz, at: DateTime<Utc>) -> String {
    zone.offset_from_utc_datetime(&at.naive_utc()).to_string()
}

/// The generic name people use for the main US zones, the same all year ("MT", "ET");
/// America/Phoenix is "MST" because it keeps standard time. Any other zone gets its
/// specific abbreviation at `at`.
pub fn zone_generic(zone: Tz, at: DateTime<Utc>) -> String {
    let generic = match zone {
        Tz::America__Denver => "MT",
        Tz::America__Chicago => "CT",
        Tz::America__New_York => "ET",
        Tz::America__Los_Angeles => "PT",
        Tz::America__Anchorage => "AKT",
        Tz::Pacific__Honolulu => "HT",
        Tz::America__Phoenix => "MST",
        _ => return zone_abbreviation(zone, at),
    };
    generic.to_owned()
}

/// A moment for emails and dashboards: "Wednesday, June 17, 2026, 9:00 am MDT".
pub fn describe_instant(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{}, {} {}",
        local.format("%A, %B %-d, %Y"),
        clock(local.time()),
        zone_abbreviation(zone, at)
    )
}

/// One session, for lists of sessions: "Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT".
pub fn describe_session(meeting: &Meeting, zone: Tz) -> String {
    let (start, end) = (
        meeting.starts_at.with_timezone(&zone),
        meeting.ends_at.with_timezone(&zone),
    );
    format!(
        "{} · {}-{} {}",
        start.format("%A, %B %-d, %Y"),
        clock(start.time()),
        clock(end.time()),
        zone_abbreviation(zone, meeting.starts_at)
    )
}

/// The meetings in the display zone, then, when it reads differently, in the viewer's:
///
/// - one line when every meeting has the same local hours:
///   "June 17-18 · 9:00 am-1:00 pm MT";
/// - otherwise one entry per meeting, separated by semicolons, the zone named once at the
///   end when it is the same for all: "June 17, 9:00 am-1:00 pm; June 18, 10:00 am-2:00 pm MT";
/// - dates: "June 17", "June 17-18", "June 30-July 1", "June 17, 19 and 24"; the year only
///   when the meetings span two years: "December 30, 2026-January 1, 2027";
/// - the viewer's part, "(11:00 am-3:00 pm EDT, your time)", uses the viewer zone's
///   specific abbreviation (its generic name if the specific one changes between meetings),
///   repeats the dates when the viewer's calendar days differ from the display's, and is
///   left out when `viewer` is `None`, the display zone, or a zone with the same wall times.
///
/// Dates are those on which each meeting starts. No meetings: an empty string.
pub fn describe_meetings(meetings: &[Meeting], display: Tz, viewer: Option<Tz>) -> String {
    let mut sorted = meetings.to_vec();
    sorted.sort_by_key(|m| (m.starts_at, m.ends_at));
    if sorted.is_empty() {
        return String::new();
    }
    let shown = slots(&sorted, display, zone_generic, zone_generic);
    let mut text = describe_slots(&shown, Dates::Always);
    if let Some(viewer) = viewer.filter(|&v| v != display) {
        let theirs = slots(&sorted, viewer, zone_abbreviation, zone_generic);
        let same_wall_times = theirs
            .iter()
            .zip(&shown)
            .all(|(t, s)| (t.date, t.start, t.end) == (s.date, s.start, s.end));
        if !same_wall_times {
            let same_days = theirs.iter().zip(&shown).all(|(t, s)| t.date == s.date);
            let dates = if same_days {
                Dates::WhenPerMeeting
            } else {
                Dates::Always
            };
            text.push_str(&format!(" ({}, your time)", describe_slots(&theirs, dates)));
        }
    }
    text
}

/// One meeting's wall times in one zone.
struct Slot {
    date: NaiveDate,
    start: NaiveTime,
    end: NaiveTime,
    label: String,
    fallback_label: String,
}

fn slots(
    meetings: &[Meeting],
    zone: Tz,
    label: fn(Tz, DateTime<Utc>) -> String,
    fallback_label: fn(Tz, DateTime<Utc>) -> String,
) -> Vec<Slot> {
    meetings
        .iter()
        .map(|m| {
            let start = m.starts_at.with_timezone(&zone);
            Slot {
                date: start.date_naive(),
                start: start.time(),
                end: m.ends_at.with_timezone(&zone).time(),
                label: label(zone, m.starts_at),
                fallback_label: fallback_label(zone, m.starts_at),
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dates {
    Always,
    /// Only in the per-meeting form (the viewer's part, when its days match the display's).
    WhenPerMeeting,
}

fn describe_slots(slots: &[Slot], dates: Dates) -> String {
    let common_label = common(slots, |s| &s.label).or_else(|| common(slots, |s| &s.fallback_label));
    let uniform_hours = slots
        .iter()
        .all(|s| (s.start, s.end) == (slots[0].start, slots[0].end));
    match (uniform_hours, common_label) {
        (true, Some(label)) => {
            let hours = format!("{} {label}", hours(slots[0].start, slots[0].end));
            if dates == Dates::Always {
                let mut days: Vec<NaiveDate> = slots.iter().map(|s| s.date).collect();
                days.dedup();
                format!("{} · {hours}", date_list(&days))
            } else {
                hours
            }
        }
        (_, label) => {
            let spans_years = slots[0].date.year() != slots[slots.len() - 1].date.year();
            let entries: Vec<String> = slots
                .iter()
                .map(|s| {
                    let mut entry =
                        format!("{}, {}", day(s.date, spans_years), hours(s.start, s.end));
                    if label.is_none() {
                        entry.push(' ');
                        entry.push_str(&s.label);
                    }
                    entry
                })
                .collect();
            let mut text = entries.join("; ");
            if let Some(label) = label {
                text.push(' ');
                text.push_str(label);
            }
            text
        }
    }
}

/// The value every slot shares, if they all share one.
fn common<'a, T: PartialEq + ?Sized>(
    slots: &'a [Slot],
    key: impl Fn(&'a Slot) -> &'a T,
) -> Option<&'a T> {
    let first = key(slots.first()?);
    slots.iter().all(|s| key(s) == first).then_some(first)
}

/// "June 17", "June 17-18", "June 30-July 1", "June 17, 19 and 24", "June 17-18 and July
/// 1-2"; every date with its year when the list spans two years. `days` sorted, no repeats.
fn date_list(days: &[NaiveDate]) -> String {
    let Some((first, last)) = days.first().zip(days.last()) else {
        return String::new();
    };
    let with_years = first.year() != last.year();
    // Runs of consecutive days.
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &d in days {
        match runs.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(d) => *end = d,
            _ => runs.push((d, d)),
        }
    }
    let mut items = Vec::with_capacity(runs.len());
    let mut previous_month: Option<(i32, u32)> = None;
    for (start, end) in runs {
        let same_month_as_before = previous_month == Some((start.year(), start.month()));
        let from = if with_years {
            day(start, true)
        } else if same_month_as_before {
            start.day().to_string()
        } else {
            day(start, false)
        };
        let item = if start == end {
            from
        } else if with_years || end.month() != start.month() {
            format!("{from}-{}", day(end, with_years))
        } else {
            format!("{from}-{}", end.day())
        };
        items.push(item);
        previous_month = Some((end.year(), end.month()));
    }
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// "June 17", or "June 17, 2026" with the year.
fn day(date: NaiveDate, with_year: bool) -> String {
    if with_year {
        date.format("%B %-d, %Y").to_string()
    } else {
        date.format("%B %-d").to_string()
    }
}

/// "9:00 am-1:00 pm".
fn hours(start: NaiveTime, end: NaiveTime) -> String {
    format!("{}-{}", clock(start), clock(end))
}

/// "9:00 am", "12:30 pm", "12:00 am" (midnight).
fn clock(t: NaiveTime) -> String {
    let (pm, h) = t.hour12();
    format!("{h}:{:02} {}", t.minute(), if pm { "pm" } else { "am" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::{consecutive_meetings, Preset};
    use chrono_tz::America::{Chicago, Denver, New_York, Phoenix, Sao_Paulo};
    use chrono_tz::Asia::Tokyo;
    use chrono_tz::Europe::London;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn class(y: i32, m: u32, d: u32, preset: Preset) -> Vec<Meeting> {
        let (start, end) = preset.local_hours();
        consecutive_meetings(date(y, m, d), 2, start, end, Denver).unwrap()
    }

    fn dates(list: &[(i32, u32, u32)]) -> String {
        let days: Vec<NaiveDate> = list.iter().map(|&(y, m, d)| date(y, m, d)).collect();
        date_list(&days)
    }

    #[test]
    fn abbreviations_follow_the_instant() {
        assert_eq!(
            zone_abbreviation(New_York, utc("2026-06-17T15:00:00Z")),
            "EDT"
        );
        assert_eq!(
            zone_abbreviation(New_York, utc("2026-01-17T15:00:00Z")),
            "EST"
        );
        assert_eq!(
            zone_abbreviation(Denver, utc("2026-01-17T15:00:00Z")),
            "MST"
        );
        assert_eq!(
            zone_abbreviation(Phoenix, utc("2026-06-17T15:00:00Z")),
            "MST"
        );
        assert_eq!(
            zone_abbreviation(London, utc("2026-06-17T15:00:00Z")),
            "BST"
        );
        assert_eq!(
            zone_abbreviation(Tz::UTC, utc("2026-06-17T15:00:00Z")),
            "UTC"
        );
        // The tz database has no letters for Brazil's zones; the offset stands in.
        assert_eq!(
            zone_abbreviation(Sao_Paulo, utc("2026-06-17T15:00:00Z")),
            "-03"
        );
    }

    #[test]
    fn generic_names_for_us_zones() {
        let summer = utc("2026-06-17T15:00:00Z");
        let winter = utc("2026-01-17T15:00:00Z");
        for at in [summer, winter] {
            assert_eq!(zone_generic(Denver, at), "MT");
            assert_eq!(zone_generic(Chicago, at), "CT");
            assert_eq!(zone_generic(New_York, at), "ET");
            assert_eq!(zone_generic(chrono_tz::America::Los_Angeles, at), "PT");
            assert_eq!(zone_generic(chrono_tz::America::Anchorage, at), "AKT");
            assert_eq!(zone_generic(chrono_tz::Pacific::Honolulu, at), "HT");
            assert_eq!(zone_generic(Phoenix, at), "MST");
        }
        assert_eq!(zone_generic(London, summer), "BST");
        assert_eq!(zone_generic(London, winter), "GMT");
    }

    #[test]
    fn instants_for_emails() {
        let at = utc("2026-06-17T15:00:00Z");
        assert_eq!(
            describe_instant(at, Denver),
            "Wednesday, June 17, 2026, 9:00 am MDT"
        );
        assert_eq!(
            describe_instant(at, Phoenix),
            "Wednesday, June 17, 2026, 8:00 am MST"
        );
        assert_eq!(
            describe_instant(utc("2026-12-31T07:30:00Z"), Denver),
            "Thursday, December 31, 2026, 12:30 am MST"
        );
        assert_eq!(
            describe_instant(utc("2026-03-08T19:00:00Z"), Denver),
            "Sunday, March 8, 2026, 1:00 pm MDT"
        );
    }

    #[test]
    fn clock_times() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(clock(t(9, 0)), "9:00 am");
        assert_eq!(clock(t(9, 30)), "9:30 am");
        assert_eq!(clock(t(12, 0)), "12:00 pm");
        assert_eq!(clock(t(0, 0)), "12:00 am");
        assert_eq!(clock(t(13, 5)), "1:05 pm");
        assert_eq!(clock(t(23, 59)), "11:59 pm");
    }

    #[test]
    fn date_lists() {
        assert_eq!(dates(&[(2026, 6, 17)]), "June 17");
        assert_eq!(dates(&[(2026, 6, 17), (2026, 6, 18)]), "June 17-18");
        assert_eq!(dates(&[(2026, 6, 30), (2026, 7, 1)]), "June 30-July 1");
        assert_eq!(
            dates(&[(2026, 6, 17), (2026, 6, 19), (2026, 6, 24)]),
            "June 17, 19 and 24"
        );
        assert_eq!(dates(&[(2026, 6, 17), (2026, 6, 19)]), "June 17 and 19");
        assert_eq!(
            dates(&[(2026, 6, 17), (2026, 6, 18), (2026, 7, 1), (2026, 7, 2)]),
            "June 17-18 and July 1-2"
        );
        assert_eq!(
            dates(&[(2026, 6, 17), (2026, 6, 19), (2026, 7, 2)]),
            "June 17, 19 and July 2"
        );
        assert_eq!(
            dates(&[(2026, 12, 30), (2026, 12, 31), (2027, 1, 1)]),
            "December 30, 2026-January 1, 2027"
        );
        assert_eq!(
            dates(&[(2026, 12, 30), (2027, 1, 5)]),
            "December 30, 2026 and January 5, 2027"
        );
        assert_eq!(dates(&[]), "");
    }

    #[test]
    fn the_issue_example() {
        let meetings = class(2026, 6, 17, Preset::Day);
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(New_York)),
            "June 17-18 · 9:00 am-1:00 pm MT (11:00 am-3:00 pm EDT, your time)"
        );
    }

    #[test]
    fn viewer_part_left_out_when_it_would_repeat() {
        let meetings = class(2026, 6, 17, Preset::Evening);
        let plain = "June 17-18 · 4:00 pm-8:00 pm MT";
        assert_eq!(describe_meetings(&meetings, Denver, None), plain);
        assert_eq!(describe_meetings(&meetings, Denver, Some(Denver)), plain);
        // Boise keeps Mountain Time: same wall times, nothing to add.
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(chrono_tz::America::Boise)),
            plain
        );
        // In winter Phoenix and Denver read the same; in summer they do not.
        let winter = class(2027, 1, 12, Preset::Day);
        assert_eq!(
            describe_meetings(&winter, Denver, Some(Phoenix)),
            "January 12-13 · 9:00 am-1:00 pm MT"
        );
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(Phoenix)),
            "June 17-18 · 4:00 pm-8:00 pm MT (3:00 pm-7:00 pm MST, your time)"
        );
        assert_eq!(describe_meetings(&[], Denver, Some(Phoenix)), "");
    }

    #[test]
    fn across_the_us_spring_forward() {
        // Saturday 7 and Sunday 8 March 2026; US clocks spring forward early on the 8th.
        let meetings = class(2026, 3, 7, Preset::Day);
        let shown = "March 7-8 · 9:00 am-1:00 pm MT";
        assert_eq!(describe_meetings(&meetings, Denver, Some(Denver)), shown);
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(Phoenix)),
            format!("{shown} (March 7, 9:00 am-1:00 pm; March 8, 8:00 am-12:00 pm MST, your time)")
        );
        // Same wall times in New York on both days, EST then EDT: the generic name covers both.
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(New_York)),
            format!("{shown} (11:00 am-3:00 pm ET, your time)")
        );
        // London changes three weeks later, so its hours move by one.
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(London)),
            format!("{shown} (March 7, 4:00 pm-8:00 pm; March 8, 3:00 pm-7:00 pm GMT, your time)")
        );
    }

    #[test]
    fn across_the_uk_spring_forward() {
        // Saturday 28 and Sunday 29 March 2026; the UK moves to BST on the 29th.
        let meetings = class(2026, 3, 28, Preset::Day);
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(London)),
            "March 28-29 · 9:00 am-1:00 pm MT \
             (March 28, 3:00 pm-7:00 pm GMT; March 29, 4:00 pm-8:00 pm BST, your time)"
        );
    }

    #[test]
    fn display_hours_that_differ_are_listed_per_meeting() {
        // Fixed UTC instants across the change read an hour apart in Denver.
        let meetings = [
            Meeting {
                starts_at: utc("2026-03-08T15:00:00Z"),
                ends_at: utc("2026-03-08T19:00:00Z"),
            },
            Meeting {
                starts_at: utc("2026-03-07T15:00:00Z"),
                ends_at: utc("2026-03-07T19:00:00Z"),
            },
        ];
        assert_eq!(
            describe_meetings(&meetings, Denver, None),
            "March 7, 8:00 am-12:00 pm; March 8, 9:00 am-1:00 pm MT"
        );
        // Phoenix has no DST: the same instants read the same there.
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(Phoenix)),
            "March 7, 8:00 am-12:00 pm; March 8, 9:00 am-1:00 pm MT (8:00 am-12:00 pm MST, your time)"
        );
    }

    #[test]
    fn viewer_on_another_calendar_day_sees_their_dates() {
        let meetings = class(2026, 6, 17, Preset::Evening);
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(Tokyo)),
            "June 17-18 · 4:00 pm-8:00 pm MT (June 18-19 · 7:00 am-11:00 am JST, your time)"
        );
    }

    #[test]
    fn non_consecutive_and_year_spanning_meetings() {
        let (start, end) = Preset::Day.local_hours();
        let mut meetings = Vec::new();
        for d in [date(2026, 6, 24), date(2026, 6, 17), date(2026, 6, 19)] {
            meetings.extend(consecutive_meetings(d, 1, start, end, Denver).unwrap());
        }
        assert_eq!(
            describe_meetings(&meetings, Denver, Some(New_York)),
            "June 17, 19 and 24 · 9:00 am-1:00 pm MT (11:00 am-3:00 pm EDT, your time)"
        );
        let new_year = consecutive_meetings(date(2026, 12, 31), 2, start, end, Denver).unwrap();
        assert_eq!(
            describe_meetings(&new_year, Denver, None),
            "December 31, 2026-January 1, 2027 · 9:00 am-1:00 pm MT"
        );
    }

    #[test]
    fn another_display_zone_uses_its_own_names() {
        let (start, end) = Preset::Day.local_hours();
        let meetings = consecutive_meetings(date(2027, 1, 12), 1, start, end, Phoenix).unwrap();
        assert_eq!(
            describe_meetings(&meetings, Phoenix, Some(Chicago)),
            "January 12 · 9:00 am-1:00 pm MST (10:00 am-2:00 pm CST, your time)"
        );
        let london = consecutive_meetings(date(2026, 3, 28), 2, start, end, London).unwrap();
        assert_eq!(
            describe_meetings(&london, London, None),
            "March 28, 9:00 am-1:00 pm GMT; March 29, 9:00 am-1:00 pm BST"
        );
    }

    #[test]
    fn one_session_reads_in_its_zone() {
        let m = Meeting {
            starts_at: DateTime::parse_from_rfc3339("2026-06-17T15:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            ends_at: DateTime::parse_from_rfc3339("2026-06-17T19:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        };
        assert_eq!(
            describe_session(&m, chrono_tz::America::Denver),
            "Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT"
        );
        assert_eq!(
            describe_session(&m, chrono_tz::America::Phoenix),
            "Wednesday, June 17, 2026 · 8:00 am-12:00 pm MST"
        );
    }
}
