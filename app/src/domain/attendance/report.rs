//! A participant report from Zoom or Teams in one common form: one row per join/leave
//! interval, times as UTC instants, emails normalised; and the people in it.

use super::decode::decode_text;
use super::intervals::Interval;
use super::{teams, zoom};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fmt;

/// The tool that produced a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportSource {
    Zoom,
    Teams,
}

impl ReportSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportSource::Zoom => "zoom",
            ReportSource::Teams => "teams",
        }
    }

    /// The file as instructors know it.
    pub fn label(self) -> &'static str {
        match self {
            ReportSource::Zoom => "Zoom participants export",
            ReportSource::Teams => "Microsoft Teams attendance report",
        }
    }

    /// How times look in this tool's files, for error messages.
    pub fn time_examples(self) -> &'static str {
        match self {
            ReportSource::Zoom => "06/17/2026 09:02:11 AM or 2026-06-17 09:02:11",
            ReportSource::Teams => "6/17/26, 9:02:11 AM or 2026-06-17 09:02:11",
        }
    }
}

/// A parsed report; `rows` is never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantReport {
    pub source: ReportSource,
    pub rows: Vec<ParticipantRow>,
}

/// One join/leave interval of one person; someone who reconnects has several rows. Rows
/// are kept as written, even with the leave before the join: the interval arithmetic
/// drops those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub name: String,
    /// Lowercased and trimmed; `None` when the report has none.
    pub email: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub left_at: DateTime<Utc>,
    /// Not signed in to the organiser's account (Zoom's Guest column; in Teams, an
    /// unverified or anonymous guest); without that information, a row whose email column
    /// is empty.
    pub guest: bool,
}

/// One person in a report, with every interval of theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The email when there is one, else the name lowercased with spaces collapsed.
    pub key: String,
    /// The name on the person's first row.
    pub name: String,
    pub email: Option<String>,
    /// True when any of the person's rows is a guest's.
    pub guest: bool,
    /// In report order; not yet clipped or merged (see `Attendance`).
    pub intervals: Vec<Interval>,
}

/// Which time of a row could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Join,
    Leave,
    Timestamp,
}

impl fmt::Display for TimeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeField::Join => "join time",
            TimeField::Leave => "leave time",
            TimeField::Timestamp => "timestamp",
        })
    }
}

/// Why a file could not be imported, in words for the instructor who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("The file is empty: expected the participants export from Zoom (.csv) or the attendance report from Microsoft Teams.")]
    Empty,
    #[error("This is an Excel workbook, not the file Zoom or Teams downloaded: upload the original .csv file, or save the sheet from Excel as \"CSV UTF-8\".")]
    Spreadsheet,
    #[error("This does not look like a Zoom participants export or a Microsoft Teams attendance report: expected a header row with Name, Join Time and Leave Time (Zoom) or a '2. Participants' section (Teams).")]
    UnknownFormat,
    #[error("The {} lists no participants: check that it is the report of the right meeting, downloaded after the meeting ended.", .format.label())]
    NoParticipants { format: ReportSource },
    #[error("Line {line}: the '{section}' table has no '{missing}' column.")]
    MissingColumn {
        line: u64,
        section: &'static str,
        missing: &'static str,
    },
    #[error("Line {line}: the {field} is empty; expected a date and time like {}.", .format.time_examples())]
    MissingTime {
        line: u64,
        field: TimeField,
        format: ReportSource,
    },
    #[error("Line {line}: the {field} '{value}' is not a date and time like {}.", .format.time_examples())]
    BadTime {
        line: u64,
        field: TimeField,
        value: String,
        format: ReportSource,
    },
    #[error("Line {line}: the participant has neither a name nor an email.")]
    MissingName { line: u64 },
    #[error("Line {line}: the user action '{value}' is neither Joined nor Left.")]
    UnknownAction { line: u64, value: String },
}

/// Reads an uploaded Zoom or Teams report. The encoding (UTF-8 with or without a
/// byte-order mark, UTF-16 as Teams writes it) and the format are recognised from the
/// content, not the file name. Times without a zone are read in `zone`, the meeting's.
pub fn parse_report(bytes: &[u8], zone: Tz) -> Result<ParticipantReport, ImportError> {
    // .xlsx is a zip archive, .xls an OLE compound file: saying so beats "wrong format".
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::Spreadsheet);
    }
    let text = decode_text(bytes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if teams::detect(&text) {
        teams::parse(&text, zone)
    } else {
        zoom::parse(&text, zone)
    }
}

/// The people in a report, in the order they first appear, each with all their intervals.
/// Rows belong together when they share an email, or, without one, the same name
/// ignoring case and spacing (see [`Participant::key`]).
pub fn group_by_person(report: &ParticipantReport) -> Vec<Participant> {
    let mut people: Vec<Participant> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for row in &report.rows {
        let key = row.email.clone().unwrap_or_else(|| name_key(&row.name));
        let interval = (row.joined_at, row.left_at);
        match index_of.get(&key).and_then(|&i| people.get_mut(i)) {
            Some(person) => {
                person.intervals.push(interval);
                person.guest |= row.guest;
            }
            None => {
                index_of.insert(key.clone(), people.len());
                people.push(Participant {
                    key,
                    name: row.name.clone(),
                    email: row.email.clone(),
                    guest: row.guest,
                    intervals: vec![interval],
                });
            }
        }
    }
    people
}

/// A name as compared: lowercase, single spaces.
pub(super) fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An email as stored: trimmed, lowercase, `None` when empty.
pub(super) fn normalize_email(email: Option<&str>) -> Option<String> {
    email
        .map(str::trim)
        .filter(|email| !email.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::utc;
    use super::*;
    use chrono_tz::America::Denver;

    const UNKNOWN: &str = "This does not look like a Zoom participants export or a Microsoft Teams attendance report: expected a header row with Name, Join Time and Leave Time (Zoom) or a '2. Participants' section (Teams).";

    fn error_of(bytes: &[u8]) -> String {
        parse_report(bytes, Denver).unwrap_err().to_string()
    }

    fn row(name: &str, email: Option<&str>, hour: u32) -> ParticipantRow {
        ParticipantRow {
            name: name.to_owned(),
            email: email.map(str::to_owned),
            joined_at: utc(hour, 0, 0),
            left_at: utc(hour + 1, 0, 0),
            guest: email.is_none(),
        }
    }

    #[test]
    fn refuses_a_file_of_something_else() {
        assert_eq!(error_of(include_bytes!("fixtures/invoices.csv")), UNKNOWN);
        assert_eq!(error_of(b"just some words\nand more"), UNKNOWN);
        assert_eq!(error_of(b"a\tb\nc\td\n"), UNKNOWN);
        assert_eq!(error_of(&[0x00, 0xFF, 0x13, 0x37, 0x80]), UNKNOWN);
    }

    #[test]
    fn refuses_an_empty_file() {
        let empty = "The file is empty: expected the participants export from Zoom (.csv) or the attendance report from Microsoft Teams.";
        assert_eq!(error_of(include_bytes!("fixtures/empty.csv")), empty);
        assert_eq!(error_of(b"\xEF\xBB\xBF\r\n\r\n"), empty);
        assert_eq!(error_of(&[0xFF, 0xFE]), empty);
    }

    #[test]
    fn recognises_a_workbook() {
        assert_eq!(
            parse_report(b"PK\x03\x04\x14\x00\x06\x00", Denver),
            Err(ImportError::Spreadsheet)
        );
    }

    #[test]
    fn groups_rows_by_email_then_by_name() {
        let report = ParticipantReport {
            source: ReportSource::Zoom,
            rows: vec![
                row("Maria Lopez", Some("maria@example.com"), 15),
                row("Guest  Caller", None, 15),
                row("M. Lopez", Some("maria@example.com"), 17),
                row("guest caller", None, 16),
                row("Maria Lopez", None, 18),
            ],
        };
        let people = group_by_person(&report);
        let summary: Vec<_> = people
            .iter()
            .map(|p| {
                (
                    p.key.as_str(),
                    p.name.as_str(),
                    p.email.as_deref(),
                    p.guest,
                    p.intervals.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "maria@example.com",
                    "Maria Lopez",
                    Some("maria@example.com"),
                    false,
                    2
                ),
                ("guest caller", "Guest  Caller", None, true, 2),
                ("maria lopez", "Maria Lopez", None, true, 1),
            ]
        );
        assert_eq!(people[0].intervals[1], (utc(17, 0, 0), utc(18, 0, 0)));
    }

    #[test]
    fn normalises_emails_and_names() {
        assert_eq!(
            normalize_email(Some("  Ana@Example.COM ")),
            Some("ana@example.com".to_owned())
        );
        assert_eq!(normalize_email(Some("  ")), None);
        assert_eq!(normalize_email(None), None);
        assert_eq!(name_key("  Ana   RUIZ "), "ana ruiz");
    }
}
