//! The Zoom and Teams participant-report importer on any bytes: it never panics, and a report
//! it accepts groups into people without losing a row.
#![no_main]

use app::domain::attendance::{group_by_person, parse_report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(report) = parse_report(bytes, chrono_tz::America::Denver) else {
        return;
    };
    let people = group_by_person(&report);
    assert!(people.len() <= report.rows.len());
    let rows: usize = people.iter().map(|p| p.intervals.len()).sum();
    assert_eq!(rows, report.rows.len(), "grouping lost or invented rows");
    // Every person's minutes can be worked out, whatever the intervals hold, and stay
    // within the meeting.
    let Some(start) = report.rows.iter().map(|r| r.joined_at).min() else {
        return;
    };
    let end = start + chrono::Duration::hours(4);
    for person in &people {
        let minutes = app::domain::attendance::attended_minutes(start, end, &person.intervals);
        assert!((0..=240).contains(&minutes), "{minutes} minutes in a 240-minute meeting");
    }
});
