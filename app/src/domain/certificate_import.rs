//! Importing coordinators certified before the platform existed, from a CSV file with the
//! columns `name`, `email`, `number`, `issued`, `expires` (any order, header required): every
//! row is checked before anything is written, and each problem is named so that the
//! administrator can fix the file and upload it again.
//!
//! Checks that need the database (a number already used) take the known numbers as input;
//! the data layer checks them again inside the importing transaction.

use super::{
    certificate::{normalize_number, Kind},
    email::Email,
};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use std::collections::HashSet;

/// One row as read, with its problems (none: it can be imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub name: String,
    pub email: String,
    /// Normalised (`CITC-2019-000042`).
    pub number: String,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub problems: Vec<String>,
}

/// A number's series year and sequence, if it is a coordinator number (`CITC-YYYY-NNNNNN`):
/// imported numbers must keep the issuing counter ahead of them.
pub fn coordinator_sequence(number: &str) -> Option<(i32, i64)> {
    let rest = number
        .strip_prefix(Kind::Coordinator.prefix())?
        .strip_prefix('-')?;
    let (year, sequence) = rest.split_once('-')?;
    if year.len() != 4 || sequence.is_empty() || sequence.len() > 6 {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(year) || !all_digits(sequence) {
        return None;
    }
    Some((
        year.parse().ok()?,
        sequence.parse().ok().filter(|&n| n > 0)?,
    ))
}

/// The moment an imported certificate counts as issued (its badge's `validFrom`): the start
/// of its issue day in the organisation's zone, as a certificate issued here is dated by
/// that zone's calendar. Midnight always exists in Denver (its clocks change at 2 am).
pub fn issued_at(issued_on: NaiveDate) -> DateTime<Utc> {
    let midnight = issued_on.and_time(chrono::NaiveTime::MIN);
    chrono_tz::America::Denver
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc))
}

/// A date as people write them: `2024-03-15`, `03/15/2024` or `3/15/2024`.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let input = input.trim();
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(input, "%m/%d/%Y"))
        .ok()
}

/// The columns this import reads, as the header must name them.
pub const COLUMNS: [&str; 5] = ["name", "email", "number", "issued", "expires"];

/// Reads and checks the file. `known` holds the numbers already in use. Err: the file itself
/// cannot be read (no header, a column missing, not CSV) — the message says what to fix.
pub fn check(bytes: &[u8], known: &HashSet<String>) -> Result<Vec<Row>, String> {
    // Excel's "CSV UTF-8" starts the file with a byte-order mark, which would otherwise
    // become part of the first column's name.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|_| {
            "The file is not a CSV file: save it as CSV (UTF-8) and try again.".to_owned()
        })?
        .clone();
    let mut at = [0_usize; 5];
    for (i, column) in COLUMNS.iter().enumerate() {
        at[i] = header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .ok_or_else(|| format!("The first line must name the columns name, email, number, issued and expires; \"{column}\" is missing."))?;
    }
    let mut seen = HashSet::new();
    // Each email's first line: one person, one certificate per file.
    let mut emails = std::collections::HashMap::new();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|_| format!("Line {line} cannot be read as CSV."))?;
        let field = |n: usize| record.get(at[n]).unwrap_or_default().to_owned();
        if record.iter().all(str::is_empty) {
            continue;
        }
        let (name, email, number) = (field(0), field(1), normalize_number(&field(2)));
        let (issued_on, expires_on) = (parse_date(&field(3)), parse_date(&field(4)));
        let mut problems = Vec::new();
        if name.is_empty() {
            problems.push("The name is missing.".to_owned());
        }
        match Email::parse(&email) {
            Err(_) => problems.push(format!("\"{email}\" is not an email address.")),
            Ok(parsed) => {
                if let Some(first) = emails.get(parsed.as_str()) {
                    problems.push(format!(
                        "{parsed} is also on line {first}: one row per person."
                    ));
                } else {
                    emails.insert(parsed.into_inner(), line);
                }
            }
        }
        match coordinator_sequence(&number) {
            None => problems.push(format!(
                "\"{number}\" is not a coordinator certificate number (CITC-2019-000042)."
            )),
            Some(_) if !seen.insert(number.clone()) => {
                problems.push(format!("{number} appears more than once in the file."));
            }
            Some(_) if known.contains(&number) => {
                problems.push(format!(
                    "{number} is already the number of a certificate here."
                ));
            }
            Some((year, _)) => {
                if issued_on.is_some_and(|d| d.year() != year) {
                    problems.push(format!(
                        "{number} is from {year}, but the issue date is not."
                    ));
                }
            }
        }
        match (issued_on, expires_on) {
            (None, _) => problems.push(format!(
                "The issue date \"{}\" is not a date (2024-03-15 or 03/15/2024).",
                field(3)
            )),
            (_, None) => problems.push(format!(
                "The expiry date \"{}\" is not a date (2024-03-15 or 03/15/2024).",
                field(4)
            )),
            (Some(issued), Some(expires)) if expires <= issued => {
                problems.push("The expiry date must be after the issue date.".to_owned());
            }
            _ => {}
        }
        rows.push(Row {
            line,
            name,
            email: email.trim().to_lowercase(),
            number,
            issued_on,
            expires_on,
            problems,
        });
    }
    if rows.is_empty() {
        return Err("The file has no rows under its header.".to_owned());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn known() -> HashSet<String> {
        ["CITC-2020-000007".to_owned()].into_iter().collect()
    }

    #[test]
    fn a_good_file_reads_in_any_column_order() {
        let csv = "Email,Name,Number,Issued,Expires\nana@denver.gov,Ana Ruiz,citc-2023-000012,2023-05-02,05/02/2026\n";
        let rows = check(csv.as_bytes(), &known()).unwrap();
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(
            (r.line, r.name.as_str(), r.number.as_str()),
            (2, "Ana Ruiz", "CITC-2023-000012")
        );
        assert_eq!(r.issued_on, NaiveDate::from_ymd_opt(2023, 5, 2));
        assert_eq!(r.expires_on, NaiveDate::from_ymd_opt(2026, 5, 2));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn every_problem_of_every_row_is_named() {
        let csv = "name,email,number,issued,expires\n\
                   ,not-an-email,CITC-2023-000001,2023-01-01,2026-01-01\n\
                   Ben,ben@x.gov,CITC-2023-000001,2023-02-01,2026-02-01\n\
                   Cat,cat@x.gov,CITC-2020-000007,2020-02-01,2023-02-01\n\
                   Dan,dan@x.gov,ABC-1,2023-02-01,2026-02-01\n\
                   Eve,eve@x.gov,CITC-2023-000003,yesterday,2022-01-01\n\
                   Fay,fay@x.gov,CITC-2023-000004,2023-06-01,2023-06-01\n\
                   Gus,gus@x.gov,CITC-2022-000005,2023-06-01,2026-06-01\n";
        let rows = check(csv.as_bytes(), &known()).unwrap();
        let problems: Vec<String> = rows.iter().map(|r| r.problems.join(" ")).collect();
        assert!(
            problems[0].contains("name is missing") && problems[0].contains("not an email"),
            "{}",
            problems[0]
        );
        assert!(problems[1].contains("more than once"), "{}", problems[1]);
        assert!(
            problems[2].contains("already the number"),
            "{}",
            problems[2]
        );
        assert!(
            problems[3].contains("not a coordinator certificate number"),
            "{}",
            problems[3]
        );
        assert!(
            problems[4].contains("\"yesterday\" is not a date"),
            "{}",
            problems[4]
        );
        assert!(problems[5].contains("must be after"), "{}", problems[5]);
        assert!(problems[6].contains("from 2022"), "{}", problems[6]);
        assert_eq!(rows[6].line, 8);
    }

    #[test]
    fn an_email_twice_is_named_on_its_second_line_whatever_its_case() {
        let csv = "name,email,number,issued,expires\n\
                   Ana,ana@x.gov,CITC-2023-000001,2023-01-01,2026-01-01\n\
                   Ana R,ANA@X.gov,CITC-2023-000002,2023-01-01,2026-01-01\n";
        let rows = check(csv.as_bytes(), &known()).unwrap();
        assert!(rows[0].problems.is_empty(), "{:?}", rows[0].problems);
        assert_eq!(
            rows[1].problems,
            ["ana@x.gov is also on line 2: one row per person."]
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_column() {
        let csv = "\u{feff}name,email,number,issued,expires\nAna,ana@x.gov,CITC-2023-000001,2023-01-01,2026-01-01\n";
        let rows = check(csv.as_bytes(), &known()).unwrap();
        assert!(rows[0].problems.is_empty(), "{:?}", rows[0].problems);
        assert_eq!(rows[0].name, "Ana");
    }

    #[test]
    fn a_file_without_the_columns_is_refused_whole() {
        assert!(check(b"name,email\nA,a@x.gov\n", &known())
            .unwrap_err()
            .contains("\"number\" is missing"));
        assert!(check(b"name,email,number,issued,expires\n", &known())
            .unwrap_err()
            .contains("no rows"));
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(coordinator_sequence("CITC-2019-000042"), Some((2019, 42)));
        assert_eq!(coordinator_sequence("CIT911-2019-000042"), None);
        assert_eq!(coordinator_sequence("CITC-2019-000000"), None);
        assert_eq!(coordinator_sequence("CITC-19-000042"), None);
        assert_eq!(parse_date("3/5/2024"), NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(parse_date("2024-02-30"), None);
    }

    #[test]
    fn an_imported_certificate_is_issued_at_the_start_of_its_day_in_denver() {
        let winter = NaiveDate::from_ymd_opt(2023, 1, 10).unwrap();
        let summer = NaiveDate::from_ymd_opt(2023, 7, 10).unwrap();
        assert_eq!(issued_at(winter).to_rfc3339(), "2023-01-10T07:00:00+00:00");
        assert_eq!(issued_at(summer).to_rfc3339(), "2023-07-10T06:00:00+00:00");
        assert_eq!(
            crate::domain::certificate::issue_date(issued_at(summer)),
            summer
        );
    }
}
