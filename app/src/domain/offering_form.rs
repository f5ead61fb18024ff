//! An administrator's new-offering form, parsed into a schedule the data layer can store.
//! Every refusal names its field.

use super::{
    person::FieldError,
    schedule::{consecutive_meetings, parse_zone, validate_meetings, Meeting, Preset},
};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// What the form posts, as typed.
#[derive(Debug, Clone, Default)]
pub struct OfferingInput {
    pub first_day: String,
    pub days: String,
    /// "day", "evening" or "custom".
    pub preset: String,
    pub start_time: String,
    pub end_time: String,
    pub zone: String,
    pub capacity: String,
    pub opens_on: String,
    pub closes_on: String,
    pub meeting_url: String,
}

/// An accepted offering schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedOffering {
    pub zone: Tz,
    pub preset: String,
    pub capacity: i64,
    pub meetings: Vec<Meeting>,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub meeting_url: String,
}

/// Most seats in one live online class.
pub const MAX_CAPACITY: i64 = 500;

pub(crate) fn date(field: &'static str, value: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "Enter a date like 2026-06-17."))
}

pub(crate) fn time(field: &'static str, value: &str) -> Result<NaiveTime, FieldError> {
    NaiveTime::parse_from_str(value.trim(), "%H:%M")
        .map_err(|_| FieldError::new(field, "Enter a time like 09:00 (24-hour clock)."))
}

/// Seats: a whole number from 1 to [`MAX_CAPACITY`].
fn capacity(value: &str) -> Result<i64, FieldError> {
    let capacity: i64 = value
        .trim()
        .parse()
        .map_err(|_| FieldError::new("capacity", "Enter the number of seats, such as 30."))?;
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(FieldError::new(
            "capacity",
            format!("Enter between 1 and {MAX_CAPACITY} seats."),
        ));
    }
    Ok(capacity)
}

/// The video-meeting link: empty, or an https URL without spaces.
fn meeting_url(value: &str) -> Result<String, FieldError> {
    let url = value.trim().to_owned();
    if !url.is_empty()
        && (!url.starts_with("https://") || url.len() > 500 || url.contains(char::is_whitespace))
    {
        return Err(FieldError::new(
            "meeting_url",
            "Enter the video-meeting link, starting with https://.",
        ));
    }
    Ok(url)
}

/// Checks the form against `now`: dates and times in the offering's zone, meetings in the
/// future and not overlapping, a capacity between 1 and 500, registration that opens before
/// it closes and closes no later than the first session starts, and an https meeting link.
pub fn parse(input: &OfferingInput, now: DateTime<Utc>) -> Result<ParsedOffering, FieldError> {
    let zone = parse_zone(&input.zone).map_err(|e| FieldError::new("zone", e.to_string()))?;
    let first_day = date("first_day", &input.first_day)?;
    let days: u32 =
        input.days.trim().parse().map_err(|_| {
            FieldError::new("days", "Enter the number of consecutive days, such as 2.")
        })?;
    let (start, end, preset) = match input.preset.trim() {
        "custom" => (
            time("start_time", &input.start_time)?,
            time("end_time", &input.end_time)?,
            "custom".to_owned(),
        ),
        other => {
            let preset: Preset = other.parse().map_err(|_| {
                FieldError::new(
                    "preset",
                    "Choose the day class, the evening class or your own times.",
                )
            })?;
            let (start, end) = preset.local_hours();
            (start, end, preset.as_str().to_owned())
        }
    };
    let meetings = consecutive_meetings(first_day, days, start, end, zone)
        .map_err(|e| FieldError::new(e.field(), e.to_string()))?;
    validate_meetings(&meetings, now).map_err(|e| {
        FieldError::new(
            if e.field() == "meetings" {
                "first_day"
            } else {
                e.field()
            },
            e.to_string(),
        )
    })?;
    let capacity = capacity(&input.capacity)?;
    let first_start = meetings.first().map(|m| m.starts_at).unwrap_or(now);
    let opens_at = if input.opens_on.trim().is_empty() {
        now
    } else {
        super::schedule::local_to_utc(date("opens_on", &input.opens_on)?, NaiveTime::MIN, zone)
            .map_err(|e| FieldError::new("opens_on", e.to_string()))?
    };
    let closes_at = if input.closes_on.trim().is_empty() {
        first_start
    } else {
        let day = date("closes_on", &input.closes_on)?
            .succ_opt()
            .ok_or_else(|| FieldError::new("closes_on", "Enter a date like 2026-06-17."))?;
        // Registration closes at the end of the chosen day, or when the class starts.
        super::schedule::local_to_utc(day, NaiveTime::MIN, zone)
            .map_err(|e| FieldError::new("closes_on", e.to_string()))?
            .min(first_start)
    };
    if closes_at <= opens_at {
        return Err(FieldError::new(
            "closes_on",
            "Registration must close after it opens.",
        ));
    }
    let meeting_url = meeting_url(&input.meeting_url)?;
    Ok(ParsedOffering {
        zone,
        preset,
        capacity,
        meetings,
        registration_opens_at: opens_at,
        registration_closes_at: closes_at,
        meeting_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn input() -> OfferingInput {
        OfferingInput {
            first_day: "2026-06-17".into(),
            days: "2".into(),
            preset: "day".into(),
            zone: "America/Denver".into(),
            capacity: "30".into(),
            ..OfferingInput::default()
        }
    }

    #[test]
    fn the_day_preset_makes_two_mountain_time_mornings() {
        let p = parse(&input(), now()).unwrap();
        assert_eq!(p.meetings.len(), 2);
        assert_eq!(
            p.meetings[0].starts_at.to_rfc3339(),
            "2026-06-17T15:00:00+00:00"
        );
        assert_eq!(
            p.meetings[1].ends_at.to_rfc3339(),
            "2026-06-18T19:00:00+00:00"
        );
        assert_eq!(
            (p.registration_opens_at, p.registration_closes_at),
            (now(), p.meetings[0].starts_at)
        );
    }

    #[test]
    fn bad_input_is_refused_next_to_its_field() {
        type Case = (fn(&mut OfferingInput), &'static str);
        let cases: Vec<Case> = vec![
            (|i| i.first_day = "2026-04-01".into(), "first_day"),
            (|i| i.first_day = "17/06/2026".into(), "first_day"),
            (|i| i.capacity = "0".into(), "capacity"),
            (|i| i.capacity = "-5".into(), "capacity"),
            (|i| i.zone = "Mars/Olympus".into(), "zone"),
            (|i| i.days = "0".into(), "days"),
            (
                |i| {
                    i.preset = "custom".into();
                    i.start_time = "13:00".into();
                    i.end_time = "09:00".into();
                },
                "end",
            ),
            (|i| i.closes_on = "2026-04-20".into(), "closes_on"),
            (
                |i| i.meeting_url = "http://insecure.example".into(),
                "meeting_url",
            ),
            (|i| i.preset = "brunch".into(), "preset"),
        ];
        for (change, field) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(parse(&i, now()).unwrap_err().field, field, "{i:?}");
        }
    }

    #[test]
    fn custom_times_and_a_closing_date_are_kept() {
        let mut i = input();
        i.preset = "custom".into();
        i.start_time = "10:30".into();
        i.end_time = "14:30".into();
        i.closes_on = "2026-06-10".into();
        i.zone = "America/Phoenix".into();
        let p = parse(&i, now()).unwrap();
        assert_eq!(
            p.meetings[0].starts_at.to_rfc3339(),
            "2026-06-17T17:30:00+00:00"
        );
        assert_eq!(
            p.registration_closes_at.to_rfc3339(),
            "2026-06-11T07:00:00+00:00"
        );
    }
}

/// Changes to a scheduled offering, as typed.
#[derive(Debug, Clone, Default)]
pub struct ChangesInput {
    pub capacity: String,
    pub opens_on: String,
    pub closes_on: String,
    pub meeting_url: String,
    pub status: String,
}

/// Accepted changes (instructors are checked against the accounts by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedChanges {
    pub capacity: i64,
    pub registration_opens_at: DateTime<Utc>,
    pub registration_closes_at: DateTime<Utc>,
    pub meeting_url: String,
    pub status: String,
}

/// Checks an edit of an offering whose first session starts at `first_start` in `zone`.
pub fn parse_changes(
    input: &ChangesInput,
    zone: Tz,
    first_start: DateTime<Utc>,
) -> Result<ParsedChanges, FieldError> {
    let capacity = capacity(&input.capacity)?;
    let opens_at =
        super::schedule::local_to_utc(date("opens_on", &input.opens_on)?, NaiveTime::MIN, zone)
            .map_err(|e| FieldError::new("opens_on", e.to_string()))?;
    let day = date("closes_on", &input.closes_on)?
        .succ_opt()
        .ok_or_else(|| FieldError::new("closes_on", "Enter a date like 2026-06-17."))?;
    let closes_at = super::schedule::local_to_utc(day, NaiveTime::MIN, zone)
        .map_err(|e| FieldError::new("closes_on", e.to_string()))?
        .min(first_start);
    if closes_at <= opens_at {
        return Err(FieldError::new(
            "closes_on",
            "Registration must close after it opens.",
        ));
    }
    let meeting_url = meeting_url(&input.meeting_url)?;
    let status = match input.status.trim() {
        s @ ("scheduled" | "completed") => s.to_owned(),
        _ => {
            return Err(FieldError::new(
                "status",
                "Choose scheduled or completed; to cancel a class, use “Cancel this class”.",
            ))
        }
    };
    Ok(ParsedChanges {
        capacity,
        registration_opens_at: opens_at,
        registration_closes_at: closes_at,
        meeting_url,
        status,
    })
}

#[cfg(test)]
mod change_tests {
    use super::*;

    #[test]
    fn changes_are_checked_field_by_field() {
        let first = DateTime::parse_from_rfc3339("2026-06-17T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let ok = ChangesInput {
            capacity: "40".into(),
            opens_on: "2026-05-01".into(),
            closes_on: "2026-06-20".into(),
            meeting_url: "https://meet.example.org/x".into(),
            status: "scheduled".into(),
        };
        let p = parse_changes(&ok, chrono_tz::America::Denver, first).unwrap();
        assert_eq!(
            (p.capacity, p.registration_closes_at),
            (40, first),
            "closing is capped at the first session"
        );
        for (change, field) in [
            (
                ChangesInput {
                    capacity: "0".into(),
                    ..ok.clone()
                },
                "capacity",
            ),
            (
                ChangesInput {
                    closes_on: "2026-04-01".into(),
                    ..ok.clone()
                },
                "closes_on",
            ),
            (
                ChangesInput {
                    status: "cancelled".into(),
                    ..ok.clone()
                },
                "status",
            ),
            (
                ChangesInput {
                    meeting_url: "javascript:x".into(),
                    ..ok.clone()
                },
                "meeting_url",
            ),
        ] {
            assert_eq!(
                parse_changes(&change, chrono_tz::America::Denver, first)
                    .unwrap_err()
                    .field,
                field
            );
        }
    }
}
