//! Properties of the meeting-report importer, on generated input (the fuzz targets in
//! `app/fuzz` push the same parser much further, outside CI): any bytes are answered without
//! a panic, and a Zoom export written from known rows, in any encoding Zoom and Teams use,
//! reads back as those rows.

use super::report::{group_by_person, parse_report, ParticipantRow, ReportSource};
use super::test_support::utf16le_with_bom;
use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::America::Denver;
use proptest::prelude::*;

/// A person's row as generated: name, email, minutes after 09:00 local when they joined,
/// and how long they stayed.
fn arb_row() -> impl Strategy<Value = (String, Option<String>, i64, i64)> {
    (
        "[A-Z][a-z]{1,8} [A-Z][a-z'\\-]{1,10}",
        prop::option::of("[a-z]{1,8}@[a-z]{1,8}\\.(org|gov)"),
        0i64..240,
        1i64..240,
    )
}

/// 09:00 MDT on June 17, 2026, plus `minutes`.
fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 17, 15, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn zoom_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Denver)
        .format("%m/%d/%Y %I:%M:%S %p")
        .to_string()
}

/// The rows as Zoom's participant export writes them.
fn zoom_csv(rows: &[(String, Option<String>, i64, i64)]) -> String {
    let mut out = String::from(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n",
    );
    for (name, email, joined, stayed) in rows {
        out.push_str(&format!(
            "\"{name}\",{},{},{},{stayed},{}\r\n",
            email.clone().unwrap_or_default(),
            zoom_time(at(*joined)),
            zoom_time(at(joined + stayed)),
            if email.is_some() { "No" } else { "Yes" },
        ));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_answered_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(report) = parse_report(&bytes, Denver) {
            let people = group_by_person(&report);
            prop_assert!(people.len() <= report.rows.len());
        }
    }

    #[test]
    fn csv_shaped_text_is_answered_without_panicking(
        lines in prop::collection::vec("[A-Za-z0-9 ,:/\"@.()\\-]{0,80}", 0..8),
        header in prop::sample::select(vec![
            "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
            "Full Name\tUser Action\tTimestamp",
            "1. Summary",
            "",
        ]),
    ) {
        let text = format!("{header}\n{}", lines.join("\n"));
        let _ = parse_report(text.as_bytes(), Denver);
    }

    #[test]
    fn a_zoom_export_reads_back_as_its_rows(
        rows in prop::collection::vec(arb_row(), 1..12),
        utf16 in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let text = zoom_csv(&rows);
        let bytes = match (utf16, bom) {
            (true, _) => utf16le_with_bom(&text),
            (false, true) => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            (false, false) => text.into_bytes(),
        };
        let report = parse_report(&bytes, Denver).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(report.source, ReportSource::Zoom);
        let expected: Vec<ParticipantRow> = rows
            .iter()
            .map(|(name, email, joined, stayed)| ParticipantRow {
                name: name.clone(),
                email: email.clone(),
                joined_at: at(*joined),
                left_at: at(joined + stayed),
                guest: email.is_none(),
            })
            .collect();
        prop_assert_eq!(report.rows, expected);
    }
}
