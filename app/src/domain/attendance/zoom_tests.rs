//! Zoom exports: the fixtures are read through `parse_report`, as an upload is.

use super::super::report::parse_report;
use super::super::test_support::{minutes_per_person, utc};
use super::*;
use chrono::{DateTime, Utc};
use chrono_tz::America::Denver;

fn zoom(bytes: &[u8]) -> ParticipantReport {
    let report = parse_report(bytes, Denver).unwrap();
    assert_eq!(report.source, ReportSource::Zoom);
    report
}

fn row(
    name: &str,
    email: Option<&str>,
    joined_at: DateTime<Utc>,
    left_at: DateTime<Utc>,
    guest: bool,
) -> ParticipantRow {
    ParticipantRow {
        name: name.to_owned(),
        email: email.map(str::to_owned),
        joined_at,
        left_at,
        guest,
    }
}

#[test]
fn reads_the_export_with_a_meeting_summary() {
    let report = zoom(include_bytes!("fixtures/zoom_with_summary.csv"));
    let maria = Some("maria.lopez@example.com");
    assert_eq!(
        report.rows,
        vec![
            row(
                "CIT Academy Instructor",
                Some("instructor@citacademy.org"),
                utc(14, 52, 40),
                utc(19, 7, 15),
                false
            ),
            row("Maria Lopez", maria, utc(14, 58, 3), utc(16, 31, 47), false),
            row("Maria Lopez", maria, utc(16, 33, 12), utc(19, 0, 30), false),
            row(
                "James O'Connor",
                Some("jim.oconnor@example.org"),
                utc(15, 14, 55),
                utc(19, 2, 10),
                false
            ),
            row("Priya Patel", None, utc(15, 1, 20), utc(18, 40, 0), true),
            row(
                "Dana Whitfield",
                Some("dana@example.net"),
                utc(15, 0, 41),
                utc(18, 45, 9),
                false
            ),
        ]
    );
    assert_eq!(
        minutes_per_person(&report),
        vec![
            ("instructor@citacademy.org".to_owned(), 240, "present"),
            ("maria.lopez@example.com".to_owned(), 238, "present"),
            ("jim.oconnor@example.org".to_owned(), 225, "late"),
            ("priya patel".to_owned(), 218, "left_early"),
            ("dana@example.net".to_owned(), 224, "left_early"),
        ]
    );
}

#[test]
fn reads_the_export_without_a_summary() {
    let report = zoom(include_bytes!("fixtures/zoom_without_summary.csv"));
    assert_eq!(report.rows.len(), 6);
    assert_eq!(report.rows[0].name, "Nguyen, Thi");
    assert_eq!(
        report.rows[5],
        row("Guest Caller", None, utc(15, 20, 0), utc(15, 50, 0), true)
    );
    // Thi's two devices overlap; Robert's first interval is listed twice.
    assert_eq!(
        minutes_per_person(&report),
        vec![
            ("thi.nguyen@example.com".to_owned(), 235, "present"),
            ("rchen@example.com".to_owned(), 145, "present"),
            ("guest caller".to_owned(), 30, "late"),
        ]
    );
}

#[test]
fn reads_lowercase_headers_and_iso_times() {
    let report = zoom(include_bytes!("fixtures/zoom_lowercase_iso.csv"));
    assert_eq!(
        report.rows,
        vec![
            row(
                "Alex Kim",
                Some("alex.kim@example.com"),
                utc(14, 59, 30),
                utc(19, 0, 5),
                false
            ),
            row(
                "Sam Rivera",
                Some("sam@example.com"),
                utc(15, 12, 0),
                utc(18, 30, 0),
                false
            ),
        ]
    );
    assert_eq!(
        minutes_per_person(&report),
        vec![
            ("alex.kim@example.com".to_owned(), 240, "present"),
            ("sam@example.com".to_owned(), 198, "late"),
        ]
    );
}

#[test]
fn reads_a_bom_and_crlf_line_ends() {
    let bytes = include_bytes!("fixtures/zoom_bom_crlf.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFName,") && bytes.windows(2).any(|w| w == b"\r\n"));
    let report = zoom(bytes);
    assert_eq!(
        report.rows,
        vec![
            row(
                "Lee Morgan",
                Some("lee.morgan@example.com"),
                utc(15, 0, 0),
                utc(19, 0, 0),
                false
            ),
            // No Guest column: a row without an email is a guest's.
            row("Pat Guest", None, utc(15, 30, 15), utc(17, 0, 45), true),
        ]
    );
    assert_eq!(
        minutes_per_person(&report)[1],
        ("pat guest".to_owned(), 90, "late")
    );
}

#[test]
fn accepts_other_column_names_and_ignores_unknown_ones() {
    let text = "Participant, Email ,Location,JOIN TIME,Leave time\n\
                Jane Doe (Jane D.),jane@example.com,Denver,06/17/2026 09:00:00 AM,06/17/2026 10:00:00 AM\n";
    let report = zoom(text.as_bytes());
    // Only the "Original Name" column carries a second name in parentheses.
    assert_eq!(
        report.rows,
        vec![row(
            "Jane Doe (Jane D.)",
            Some("jane@example.com"),
            utc(15, 0, 0),
            utc(16, 0, 0),
            false
        )]
    );
}

#[test]
fn a_repeated_header_is_skipped() {
    let text = "Name,Join Time,Leave Time\nAna,06/17/2026 09:00,06/17/2026 10:00\n\
                Name,Join Time,Leave Time\nBo,06/17/2026 09:00,06/17/2026 10:00\n";
    let names: Vec<_> = zoom(text.as_bytes())
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Ana", "Bo"]);
}

#[test]
fn a_nameless_row_takes_its_email_or_is_refused() {
    let text = "Name,User Email,Join Time,Leave Time\n,Ana@Example.com,06/17/2026 09:00,06/17/2026 10:00\n";
    assert_eq!(zoom(text.as_bytes()).rows[0].name, "ana@example.com");
    let text = "Name,User Email,Join Time,Leave Time\n,,06/17/2026 09:00,06/17/2026 10:00\n";
    let error = parse_report(text.as_bytes(), Denver).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Line 2: the participant has neither a name nor an email."
    );
}

#[test]
fn explains_a_time_it_cannot_read() {
    let text = std::str::from_utf8(include_bytes!("fixtures/zoom_with_summary.csv"))
        .unwrap()
        .replace("06/17/2026 10:33:12 AM", "31/31/2026");
    let error = parse_report(text.as_bytes(), Denver).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Line 7: the join time '31/31/2026' is not a date and time like 06/17/2026 09:02:11 AM or 2026-06-17 09:02:11."
    );
    let text = "Name,Join Time,Leave Time\nAna,06/17/2026 09:00,\n";
    let error = parse_report(text.as_bytes(), Denver).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Line 2: the leave time is empty; expected a date and time like 06/17/2026 09:02:11 AM or 2026-06-17 09:02:11."
    );
}

#[test]
fn a_header_without_rows_has_no_participants() {
    let error = parse_report(b"Name,Join Time,Leave Time\n\n", Denver).unwrap_err();
    assert_eq!(
        error,
        ImportError::NoParticipants {
            format: ReportSource::Zoom
        }
    );
    assert_eq!(
        error.to_string(),
        "The Zoom participants export lists no participants: check that it is the report of the right meeting, downloaded after the meeting ended."
    );
}

#[test]
fn keeps_the_current_name_before_the_original() {
    assert_eq!(current_name("Jane Doe (Jane D.)"), "Jane Doe");
    assert_eq!(current_name("Sam Rivera (Sam R (phone))"), "Sam Rivera");
    assert_eq!(current_name("Jane Doe"), "Jane Doe");
    assert_eq!(current_name("(Jane)"), "(Jane)");
    assert_eq!(current_name("Jane) (x)"), "Jane)");
}
