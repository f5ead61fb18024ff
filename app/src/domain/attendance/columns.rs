//! Reading the tables of both formats: header names matched loosely (case, spaces),
//! cells trimmed, times parsed with the line they came from.

use super::local_time::parse_time;
use super::report::{ImportError, ReportSource, TimeField};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use csv::StringRecord;

/// A header cell as compared: lowercase, spaces collapsed, "Join time" == " Join Time ".
pub(super) fn header_key(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The column of the first of `names` (header keys, in order of preference) present.
pub(super) fn find_column(header: &StringRecord, names: &[&str]) -> Option<usize> {
    let keys: Vec<String> = header.iter().map(header_key).collect();
    names
        .iter()
        .find_map(|name| keys.iter().position(|key| key == name))
}

/// The trimmed cell, empty when the row is shorter than the header.
pub(super) fn cell(record: &StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or_default().trim()
}

/// The trimmed cell of an optional column, `None` when absent or empty.
pub(super) fn optional_cell(record: &StringRecord, index: Option<usize>) -> Option<&str> {
    index
        .map(|i| cell(record, i))
        .filter(|text| !text.is_empty())
}

/// Rows of empty cells (",,,,", tabs only) count as blank lines.
pub(super) fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|field| field.trim().is_empty())
}

/// The 1-based line the record starts on, as an editor shows it.
pub(super) fn line_of(record: &StringRecord) -> u64 {
    record.position().map_or(0, |position| position.line())
}

/// The time in the cell, read in the meeting's `zone`; a clear error for the instructor
/// when it is empty or in no known format.
pub(super) fn time_at(
    record: &StringRecord,
    index: usize,
    field: TimeField,
    format: ReportSource,
    zone: Tz,
) -> Result<DateTime<Utc>, ImportError> {
    let line = line_of(record);
    let text = cell(record, index);
    if text.is_empty() {
        return Err(ImportError::MissingTime {
            line,
            field,
            format,
        });
    }
    parse_time(text, zone).ok_or_else(|| ImportError::BadTime {
        line,
        field,
        value: text.to_owned(),
        format,
    })
}

/// A CSV reader that keeps ragged rows: both formats stack tables of different widths.
pub(super) fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
}

/// The name to show for a row: the name as written, else the email; a row with neither
/// cannot be matched to anyone and is refused with its line number.
pub(super) fn display_name(
    name: &str,
    email: Option<&String>,
    record: &StringRecord,
) -> Result<String, ImportError> {
    match (name.is_empty(), email) {
        (false, _) => Ok(name.to_owned()),
        (true, Some(email)) => Ok(email.clone()),
        (true, None) => Err(ImportError::MissingName {
            line: line_of(record),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_ignore_case_and_spaces() {
        assert_eq!(header_key(" Join  time "), "join time");
        assert_eq!(
            header_key("\u{feff}Name (Original Name)"),
            "name (original name)"
        );
    }

    #[test]
    fn finds_columns_by_preference() {
        let header = StringRecord::from(vec!["Email", "Name", "User Email"]);
        assert_eq!(find_column(&header, &["user email", "email"]), Some(2));
        assert_eq!(find_column(&header, &["guest"]), None);
    }

    #[test]
    fn short_rows_read_as_empty_cells() {
        let record = StringRecord::from(vec![" Jane "]);
        assert_eq!(cell(&record, 0), "Jane");
        assert_eq!(cell(&record, 3), "");
        assert_eq!(optional_cell(&record, Some(3)), None);
        assert!(is_blank(&StringRecord::from(vec!["", " ", "\t"])));
    }
}
