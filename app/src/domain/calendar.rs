//! Calendar files (.ics, RFC 5545) for an offering's meetings: attached to confirmations
//! and offered on the offering page.
//!
//! Times are written in UTC ("20260617T150000Z"), which RFC 5545 allows without a
//! VTIMEZONE; calendar programs show them in each reader's own zone. Each meeting keeps
//! one UID for life and its SEQUENCE goes up when it changes, so a re-sent file updates
//! the event a person already has instead of adding a second one.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, Property};

/// Identifies this application as the producer of the file.
pub const PRODID: &str = "-//CIT Academy//Courses//EN";

/// One meeting as a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable for the life of the meeting: see [`meeting_uid`].
    pub uid: String,
    /// Revision of the event; raise it whenever the meeting changes.
    pub sequence: u32,
    pub summary: String,
    pub description: String,
    /// Where to join or read more, such as the offering page.
    pub url: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// A session taken out of the class: sent with STATUS:CANCELLED and a raised SEQUENCE,
    /// so that calendars which already hold it drop it.
    pub cancelled: bool,
}

/// The UID of one meeting: "offering-12-meeting-34@academy.example.org". `host` is the
/// site's host name, which makes the UID unique across the world as RFC 5545 asks.
pub fn meeting_uid(offering_id: i64, meeting_id: i64, host: &str) -> String {
    format!("offering-{offering_id}-meeting-{meeting_id}@{host}")
}

/// One meeting of an offering, as the calendar needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferingMeeting {
    pub id: i64,
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The events of an offering's sessions: "Course title (session 1 of 2)", linking to the
/// class page `link` (whose host makes the UIDs unique).
pub fn offering_events(
    offering_id: i64,
    course_title: &str,
    meetings: &[OfferingMeeting],
    link: &str,
) -> Vec<CalendarEvent> {
    let host = link
        .split("://")
        .nth(1)
        .unwrap_or(link)
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("cit-academy.local");
    meetings
        .iter()
        .enumerate()
        .map(|(i, m)| CalendarEvent {
            uid: meeting_uid(offering_id, m.id, host),
            sequence: m.sequence,
            summary: format!("{course_title} (session {} of {})", i + 1, meetings.len()),
            description: format!("CIT Academy live online session. Class details: {link}"),
            url: Some(link.to_owned()),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            cancelled: false,
        })
        .collect()
}

/// Events that withdraw sessions taken out of offering `offering_id`: the same UIDs with
/// the SEQUENCE one higher than last sent and STATUS:CANCELLED.
pub fn withdrawn_events(
    offering_id: i64,
    course_title: &str,
    removed: &[OfferingMeeting],
    link: &str,
) -> Vec<CalendarEvent> {
    offering_events(offering_id, course_title, removed, link)
        .into_iter()
        .map(|e| CalendarEvent {
            sequence: e.sequence.saturating_add(1),
            summary: format!("Cancelled: {course_title}"),
            description: format!("This session was taken out of the class. Class details: {link}"),
            cancelled: true,
            ..e
        })
        .collect()
}

/// A VCALENDAR (METHOD:PUBLISH) with one VEVENT per event, stamped with `now`. Lines end
/// in CRLF and are folded at 75 octets.
pub fn to_ics(events: &[CalendarEvent], now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    for e in events {
        let mut event = icalendar::Event::new();
        event
            .uid(&e.uid)
            .sequence(e.sequence)
            .timestamp(now)
            .summary(&e.summary)
            .description(&e.description)
            .starts(e.starts_at)
            .ends(e.ends_at);
        if let Some(url) = &e.url {
            event.url(url);
        }
        if e.cancelled {
            event.status(icalendar::EventStatus::Cancelled);
        }
        calendar.push(event.done());
    }
    calendar.to_string()
}

#[cfg(test)]
mod offering_tests {
    use super::*;

    #[test]
    fn offering_events_are_numbered_and_use_the_site_host() {
        let at = |h: i64| DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).unwrap();
        let meetings = [
            OfferingMeeting {
                id: 5,
                sequence: 2,
                starts_at: at(0),
                ends_at: at(4),
            },
            OfferingMeeting {
                id: 6,
                sequence: 0,
                starts_at: at(24),
                ends_at: at(28),
            },
        ];
        let events = offering_events(
            9,
            "CIT Coordinator Certification",
            &meetings,
            "https://academy.example.org/offerings/9",
        );
        assert_eq!(events[0].uid, "offering-9-meeting-5@academy.example.org");
        assert_eq!(
            (events[0].sequence, events[1].summary.as_str()),
            (2, "CIT Coordinator Certification (session 2 of 2)")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{CalendarComponent, CalendarDateTime, DatePerhapsTime};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn events() -> Vec<CalendarEvent> {
        let description = "CIT Support Training for 911, day class. Join with the link on \
                           your dashboard; bring your questions, scenarios; and notes.\n\
                           Second line: ünïcödé is folded on character boundaries — always.";
        vec![
            CalendarEvent {
                uid: meeting_uid(12, 34, "academy.example.org"),
                sequence: 0,
                summary: "CIT Support Training for 911 (1 of 2)".into(),
                description: description.into(),
                url: Some("https://academy.example.org/offerings/12".into()),
                starts_at: utc("2026-03-07T16:00:00Z"),
                ends_at: utc("2026-03-07T20:00:00Z"),
                cancelled: false,
            },
            CalendarEvent {
                uid: meeting_uid(12, 35, "academy.example.org"),
                sequence: 3,
                summary: "CIT Support Training for 911 (2 of 2)".into(),
                description: description.into(),
                url: None,
                starts_at: utc("2026-03-08T15:00:00Z"),
                ends_at: utc("2026-03-08T19:00:00Z"),
                cancelled: false,
            },
        ]
    }

    fn instant(value: Option<DatePerhapsTime>) -> DateTime<Utc> {
        match value {
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(at))) => at,
            other => panic!("expected a UTC date-time, got {other:?}"),
        }
    }

    #[test]
    fn uid_names_offering_meeting_and_host() {
        assert_eq!(
            meeting_uid(12, 34, "academy.example.org"),
            "offering-12-meeting-34@academy.example.org"
        );
    }

    #[test]
    fn parsed_back_gives_the_same_events() {
        let now = utc("2026-02-01T12:34:56Z");
        let ics = to_ics(&events(), now);
        let parsed: Calendar = ics.parse().unwrap();
        assert_eq!(parsed.property_value("METHOD"), Some("PUBLISH"));
        assert_eq!(parsed.property_value("PRODID"), Some(PRODID));
        assert_eq!(parsed.property_value("VERSION"), Some("2.0"));
        let parsed: Vec<&icalendar::Event> = parsed
            .components
            .iter()
            .filter_map(CalendarComponent::as_event)
            .collect();
        assert_eq!(parsed.len(), 2);
        for (back, sent) in parsed.iter().zip(events()) {
            assert_eq!(back.get_uid(), Some(sent.uid.as_str()));
            assert_eq!(back.get_sequence(), Some(sent.sequence));
            assert_eq!(instant(back.get_start()), sent.starts_at);
            assert_eq!(instant(back.get_end()), sent.ends_at);
            assert_eq!(back.get_timestamp(), Some(now));
            assert_eq!(back.get_summary(), Some(sent.summary.as_str()));
            assert_eq!(back.get_description(), Some(sent.description.as_str()));
            assert_eq!(back.get_url(), sent.url.as_deref());
        }
    }

    #[test]
    fn times_are_utc_without_vtimezone() {
        let ics = to_ics(&events(), utc("2026-02-01T12:34:56Z"));
        assert!(ics.contains("\r\nDTSTART:20260307T160000Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTEND:20260307T200000Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTSTAMP:20260201T123456Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nSEQUENCE:3\r\n"), "{ics}");
        assert!(!ics.contains("VTIMEZONE"));
        assert!(!ics.contains("TZID"));
        assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), 2);
    }

    #[test]
    fn lines_end_in_crlf_and_fold_at_75_octets() {
        let ics = to_ics(&events(), utc("2026-02-01T12:34:56Z"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in {ics}");
        assert!(!ics.replace("\r\n", "").contains('\r'), "bare CR in {ics}");
        let lines: Vec<&str> = ics.split_terminator("\r\n").collect();
        for line in &lines {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        // The long description really was folded into continuation lines.
        assert!(lines.iter().any(|l| l.starts_with(' ')));
    }

    #[test]
    fn withdrawn_sessions_keep_their_uid_and_raise_the_sequence() {
        let removed = [OfferingMeeting {
            id: 35,
            sequence: 3,
            starts_at: utc("2026-03-08T15:00:00Z"),
            ends_at: utc("2026-03-08T19:00:00Z"),
        }];
        let events = withdrawn_events(
            12,
            "CIT",
            &removed,
            "https://academy.example.org/offerings/12",
        );
        let ics = to_ics(&events, utc("2026-02-01T12:34:56Z"));
        let parsed: Calendar = ics.parse().unwrap();
        let event = parsed
            .components
            .iter()
            .find_map(CalendarComponent::as_event)
            .unwrap();
        assert_eq!(
            event.get_uid(),
            Some("offering-12-meeting-35@academy.example.org")
        );
        assert_eq!(event.get_sequence(), Some(4));
        assert_eq!(event.get_status(), Some(icalendar::EventStatus::Cancelled));
        assert!(!to_ics(&self::events(), utc("2026-02-01T12:34:56Z")).contains("STATUS:"));
    }

    #[test]
    fn the_same_input_gives_the_same_file() {
        let now = utc("2026-02-01T12:34:56Z");
        assert_eq!(to_ics(&events(), now), to_ics(&events(), now));
        let empty = to_ics(&[], now);
        assert!(empty.contains("METHOD:PUBLISH\r\n"));
        assert!(!empty.contains("VEVENT"));
    }
}
