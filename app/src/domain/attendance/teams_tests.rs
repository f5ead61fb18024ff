//! Teams reports: the fixtures are UTF-8 text; the test turns the main one into the
//! UTF-16 LE with a byte-order mark that Teams downloads.

use super::super::report::parse_report;
use super::super::test_support::{minutes_per_person, utc, utf16le_with_bom};
use super::*;
use chrono_tz::America::Denver;

const ACTIVITIES: &str = include_str!("fixtures/teams_activities.csv");

fn teams(bytes: &[u8]) -> ParticipantReport {
    let report = parse_report(bytes, Denver).unwrap();
    assert_eq!(report.source, ReportSource::Teams);
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
fn reads_the_utf16_report_from_its_activities() {
    let report = teams(&utf16le_with_bom(ACTIVITIES));
    let maria = Some("maria.lopez@example.com");
    let chris = Some("chris.park@partner.org");
    assert_eq!(
        report.rows,
        vec![
            row(
                "CIT Academy Instructor",
                Some("instructor@citacademy.org"),
                utc(14, 55, 12),
                utc(19, 4, 40),
                false
            ),
            row("Maria Lopez", maria, utc(14, 58, 40), utc(16, 15, 0), false),
            row("Maria Lopez", maria, utc(16, 16, 10), utc(19, 0, 2), false),
            row("Jordan Blake", None, utc(15, 25, 0), utc(18, 10, 30), true),
            row("Chris Park", chris, utc(15, 2, 11), utc(17, 0, 0), false),
            row("Chris Park", chris, utc(17, 20, 0), utc(18, 59, 0), false),
        ]
    );
    assert_eq!(
        minutes_per_person(&report),
        vec![
            ("instructor@citacademy.org".to_owned(), 240, "present"),
            ("maria.lopez@example.com".to_owned(), 238, "present"),
            ("jordan blake".to_owned(), 165, "late"),
            ("chris.park@partner.org".to_owned(), 216, "present"),
        ]
    );
}

#[test]
fn the_same_report_in_utf8_reads_the_same() {
    let from_utf16 = teams(&utf16le_with_bom(ACTIVITIES));
    assert_eq!(teams(ACTIVITIES.as_bytes()), from_utf16);
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), ACTIVITIES.as_bytes()].concat();
    assert_eq!(teams(&with_bom), from_utf16);
    assert_eq!(
        teams(ACTIVITIES.replace('\n', "\r\n").as_bytes()),
        from_utf16
    );
}

#[test]
fn falls_back_to_first_join_and_last_leave() {
    let report = teams(include_bytes!("fixtures/teams_participants_only.csv"));
    // No Email: the UPN is the address.
    assert_eq!(
        report.rows,
        vec![
            row(
                "Maria Lopez",
                Some("maria.lopez@example.com"),
                utc(15, 2, 11),
                utc(18, 59, 59),
                false
            ),
            row(
                "Sam Rivera",
                Some("sam@example.com"),
                utc(16, 0, 0),
                utc(17, 30, 0),
                false
            ),
        ]
    );
    assert_eq!(
        minutes_per_person(&report),
        vec![
            ("maria.lopez@example.com".to_owned(), 237, "present"),
            ("sam@example.com".to_owned(), 90, "late"),
        ]
    );
}

#[test]
fn an_empty_activities_section_falls_back_too() {
    let text = ACTIVITIES
        .split("3. In-Meeting Activities")
        .next()
        .unwrap()
        .to_owned()
        + "3. In-Meeting Activities\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n";
    let report = teams(text.as_bytes());
    assert_eq!(report.rows.len(), 4);
    assert_eq!(report.rows[1].left_at, utc(19, 0, 2));
}

#[test]
fn pairs_the_2020_joined_and_left_events() {
    let report = teams(&utf16le_with_bom(include_str!(
        "fixtures/teams_2020_events.csv"
    )));
    assert_eq!(
        report.rows,
        vec![
            row(
                "CIT Academy Instructor",
                None,
                utc(14, 55, 0),
                utc(19, 2, 0),
                false
            ),
            row("Maria Lopez", None, utc(14, 58, 0), utc(16, 15, 0), false),
            row("Maria Lopez", None, utc(16, 20, 0), utc(18, 58, 0), false),
            row("Sam Rivera", None, utc(15, 30, 0), utc(18, 0, 0), false),
            // Still in the meeting at the last event.
            row("Jordan Blake", None, utc(18, 30, 0), utc(19, 2, 0), false),
        ]
    );
    assert_eq!(
        minutes_per_person(&report),
        vec![
            ("cit academy instructor".to_owned(), 240, "present"),
            ("maria lopez".to_owned(), 233, "present"),
            ("sam rivera".to_owned(), 150, "late"),
            ("jordan blake".to_owned(), 30, "late"),
        ]
    );
}

#[test]
fn reads_a_report_resaved_with_commas() {
    let text = "1. Summary\nMeeting title,Day 1\n\n3. In-Meeting Activities\n\
                Name,Join Time,Leave Time,Duration,Email,Role\n\
                Ana Ruiz,\"6/17/26, 9:00:00 AM\",\"6/17/26, 10:00:00 AM\",1h,ana@example.com,Attendee\n";
    let report = teams(text.as_bytes());
    assert_eq!(
        report.rows,
        vec![row(
            "Ana Ruiz",
            Some("ana@example.com"),
            utc(15, 0, 0),
            utc(16, 0, 0),
            false
        )]
    );
}

#[test]
fn names_a_missing_column() {
    let text =
        "2. Participants\nName\tFirst Join\tEmail\nAna\t6/17/26, 9:00:00 AM\tana@example.com\n";
    let error = parse_report(text.as_bytes(), Denver).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Line 2: the '2. Participants' table has no 'Last Leave' column."
    );
}

#[test]
fn explains_a_time_it_cannot_read() {
    let text = ACTIVITIES.replace("6/17/26, 11:20:00 AM", "17.06.2026 11:20");
    let error = parse_report(&utf16le_with_bom(&text), Denver).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Line 23: the join time '17.06.2026 11:20' is not a date and time like 6/17/26, 9:02:11 AM or 2026-06-17 09:02:11."
    );
}

#[test]
fn a_summary_alone_has_no_participants() {
    let text = "1. Summary\nMeeting title\tDay 1\nAttended participants\t0\n";
    let error = parse_report(text.as_bytes(), Denver).unwrap_err();
    assert_eq!(
        error,
        ImportError::NoParticipants {
            format: ReportSource::Teams
        }
    );
}

#[test]
fn an_unknown_user_action_is_refused() {
    let text = "Full Name\tUser Action\tTimestamp\nAna\tRaised hand\t6/17/2026, 9:00:00 AM\n";
    let error = parse_report(text.as_bytes(), Denver).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Line 2: the user action 'Raised hand' is neither Joined nor Left."
    );
}

#[test]
fn strips_guest_marks() {
    assert_eq!(
        without_guest_mark("Jordan Blake (Guest)"),
        ("Jordan Blake", true)
    );
    assert_eq!(
        without_guest_mark("Jordan Blake (unverified)"),
        ("Jordan Blake", true)
    );
    assert_eq!(
        without_guest_mark("Chris Park (External)"),
        ("Chris Park", false)
    );
    assert_eq!(without_guest_mark("Zoë (Guest)"), ("Zoë", true));
    assert_eq!(without_guest_mark("Zoë"), ("Zoë", false));
}
