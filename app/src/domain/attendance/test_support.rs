//! Helpers for the tests of the report parsers: the fixture meeting is June 17, 2026,
//! 09:00-13:00 in America/Denver (MDT, UTC-6), that is 15:00-19:00 UTC.

use super::intervals::{suggest_status, Attendance, DEFAULT_TOLERANCE};
use super::report::{group_by_person, ParticipantReport};
use chrono::{DateTime, TimeZone, Utc};

/// June 17, 2026 at `h:m:s` UTC.
pub(super) fn utc(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 17, h, m, s).unwrap()
}

/// The fixture meeting, 09:00-13:00 MDT.
pub(super) fn meeting() -> (DateTime<Utc>, DateTime<Utc>) {
    (utc(15, 0, 0), utc(19, 0, 0))
}

/// Each person's key, attended minutes and suggested status for the fixture meeting.
pub(super) fn minutes_per_person(report: &ParticipantReport) -> Vec<(String, i64, &'static str)> {
    let (start, end) = meeting();
    group_by_person(report)
        .into_iter()
        .map(|person| {
            let attendance = Attendance::new(start, end, &person.intervals);
            let status = suggest_status(&attendance, DEFAULT_TOLERANCE).as_str();
            (person.key, attendance.minutes(), status)
        })
        .collect()
}

/// The text as Teams writes it: UTF-16 little-endian with a byte-order mark.
pub(super) fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}
