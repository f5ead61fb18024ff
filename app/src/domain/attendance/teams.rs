//! Microsoft Teams attendance reports: tab-separated text (UTF-16 LE as downloaded, or
//! re-saved with commas) in numbered sections, "1. Summary", "2. Participants" (one row per
//! person: First Join, Last Leave) and "3. In-Meeting Activities" (one row per join). The
//! activities are preferred because they keep reconnects; without them each person's
//! first join to last leave is taken as one interval.
//!
//! Also read: an unnumbered table with Name, Join Time and Leave Time columns (older
//! reports), and the 2020 format of "Full Name, User Action, Timestamp" events, paired
//! into intervals per person.

use super::columns::{
    cell, display_name, find_column, header_key, is_blank, line_of, optional_cell, reader, time_at,
};
use super::report::{
    name_key, normalize_email, ImportError, ParticipantReport, ParticipantRow, ReportSource,
    TimeField,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use csv::StringRecord;
use std::collections::hash_map::{Entry, HashMap};

const NAME: &[&str] = &["name", "full name", "participant name"];
const EMAIL: &[&str] = &["email", "email address"];
const UPN: &[&str] = &["participant id (upn)", "upn"];
const JOIN: &[&str] = &["join time", "first join", "first join time"];
const LEAVE: &[&str] = &["leave time", "last leave", "last leave time"];
const ACTION: &[&str] = &["user action", "action"];
const TIMESTAMP: &[&str] = &["timestamp", "time"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before the first numbered title, or under one this parser does not use.
    Other,
    Participants,
    Activities,
}

/// What one table's rows are, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// One row per join: "3. In-Meeting Activities" or an unnumbered table.
    Intervals,
    /// One row per person: "2. Participants".
    FirstToLast,
    /// Joined/Left events: the 2020 format.
    Events,
}

struct Table {
    kind: Kind,
    name: usize,
    email: Option<usize>,
    upn: Option<usize>,
    /// The join column, or for events the timestamp.
    join: usize,
    /// The leave column, or for events the user action.
    leave: usize,
    records: Vec<StringRecord>,
}

/// Whether the text is a Teams report rather than a Zoom export: it has a numbered
/// section title, a tab-separated first line, or the 2020 event columns.
pub(super) fn detect(text: &str) -> bool {
    let first_line_has_tab = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| line.contains('\t'));
    first_line_has_tab
        || text.lines().any(|line| {
            let key = header_key(line);
            numbered_title(line.trim_matches(|c| matches!(c, '\t' | ',' | '"'))).is_some()
                || (key.contains("user action") && key.contains("timestamp"))
        })
}

/// Reads the report; rows of the most detailed table present (see the module docs).
pub(super) fn parse(text: &str, zone: Tz) -> Result<ParticipantReport, ImportError> {
    let delimiter = if text.contains('\t') { b'\t' } else { b',' };
    let mut section = Section::Other;
    let mut saw_title = false;
    let mut awaiting_header = false;
    let mut tables: Vec<Table> = Vec::new();
    // The table that the following rows belong to.
    let mut current: Option<usize> = None;
    for record in reader(text, delimiter).records() {
        let record = record.map_err(|_| ImportError::UnknownFormat)?;
        if is_blank(&record) {
            continue;
        }
        if let Some(title) = section_title(&record) {
            section = title;
            saw_title = true;
            awaiting_header = title != Section::Other;
            current = None;
            continue;
        }
        let header = if awaiting_header {
            awaiting_header = false;
            Some(section_table(section, &record)?)
        } else if section == Section::Other {
            unnumbered_table(&record)
        } else {
            None
        };
        if let Some(table) = header {
            current = Some(tables.len());
            tables.push(table);
        } else if let Some(table) = current.and_then(|i| tables.get_mut(i)) {
            table.records.push(record);
        }
    }
    let Some(kind) = tables
        .iter()
        .filter(|table| !table.records.is_empty())
        .map(|table| table.kind)
        .min()
    else {
        return Err(if tables.is_empty() && !saw_title {
            ImportError::UnknownFormat
        } else {
            ImportError::NoParticipants {
                format: ReportSource::Teams,
            }
        });
    };
    let mut rows = Vec::new();
    for table in tables.iter().filter(|table| table.kind == kind) {
        rows.extend(table.rows(zone)?);
    }
    Ok(ParticipantReport {
        source: ReportSource::Teams,
        rows,
    })
}

/// "2. Participants" and the like: a number, a dot and a title alone on its line.
fn section_title(record: &StringRecord) -> Option<Section> {
    let mut filled = record.iter().filter(|field| !field.trim().is_empty());
    let title = filled.next()?;
    if filled.next().is_some() {
        return None;
    }
    numbered_title(title)
}

fn numbered_title(text: &str) -> Option<Section> {
    let key = header_key(text);
    let (number, title) = key.split_once('.')?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match title.trim() {
        "participants" => Section::Participants,
        "in-meeting activities" | "in meeting activities" => Section::Activities,
        _ => Section::Other,
    })
}

/// The header row right after a section title; it must name the columns needed.
fn section_table(section: Section, header: &StringRecord) -> Result<Table, ImportError> {
    let (kind, title, join_label, leave_label) = match section {
        Section::Activities => (
            Kind::Intervals,
            "3. In-Meeting Activities",
            "Join Time",
            "Leave Time",
        ),
        _ => (
            Kind::FirstToLast,
            "2. Participants",
            "First Join",
            "Last Leave",
        ),
    };
    let line = line_of(header);
    let missing = |missing| ImportError::MissingColumn {
        line,
        section: title,
        missing,
    };
    Ok(Table {
        kind,
        name: find_column(header, NAME).ok_or_else(|| missing("Name"))?,
        email: find_column(header, EMAIL),
        upn: find_column(header, UPN),
        join: find_column(header, JOIN).ok_or_else(|| missing(join_label))?,
        leave: find_column(header, LEAVE).ok_or_else(|| missing(leave_label))?,
        records: Vec::new(),
    })
}

/// A header outside the numbered sections: older reports' Name/Join Time/Leave Time
/// table, or the 2020 Full Name/User Action/Timestamp events.
fn unnumbered_table(header: &StringRecord) -> Option<Table> {
    let name = find_column(header, NAME)?;
    let (kind, join, leave) = match (find_column(header, ACTION), find_column(header, TIMESTAMP)) {
        (Some(action), Some(timestamp)) => (Kind::Events, timestamp, action),
        _ => (
            Kind::Intervals,
            find_column(header, JOIN)?,
            find_column(header, LEAVE)?,
        ),
    };
    Some(Table {
        kind,
        name,
        email: find_column(header, EMAIL),
        upn: find_column(header, UPN),
        join,
        leave,
        records: Vec::new(),
    })
}

/// Who a row is about, before its times.
struct Person {
    name: String,
    email: Option<String>,
    guest: bool,
}

impl Person {
    fn row(self, joined_at: DateTime<Utc>, left_at: DateTime<Utc>) -> ParticipantRow {
        ParticipantRow {
            name: self.name,
            email: self.email,
            joined_at,
            left_at,
            guest: self.guest,
        }
    }
}

impl Table {
    fn rows(&self, zone: Tz) -> Result<Vec<ParticipantRow>, ImportError> {
        if self.kind == Kind::Events {
            return self.paired_events(zone);
        }
        let time =
            |record, column, field| time_at(record, column, field, ReportSource::Teams, zone);
        self.records
            .iter()
            .map(|record| {
                let joined_at = time(record, self.join, TimeField::Join)?;
                let left_at = time(record, self.leave, TimeField::Leave)?;
                Ok(self.person(record)?.row(joined_at, left_at))
            })
            .collect()
    }

    /// Each Joined opens an interval for the person, the next Left closes it; a Joined
    /// while one is open (a second device) and a Left with none open are ignored.
    /// Intervals still open at the end close at the report's last timestamp: the person
    /// was there when it was downloaded.
    fn paired_events(&self, zone: Tz) -> Result<Vec<ParticipantRow>, ImportError> {
        let mut rows: Vec<ParticipantRow> = Vec::new();
        let mut open: HashMap<String, usize> = HashMap::new();
        let mut last = None;
        for record in &self.records {
            let at = time_at(
                record,
                self.join,
                TimeField::Timestamp,
                ReportSource::Teams,
                zone,
            )?;
            last = last.max(Some(at));
            let person = self.person(record)?;
            let key = person
                .email
                .clone()
                .unwrap_or_else(|| name_key(&person.name));
            let action = cell(record, self.leave);
            let action_key = action.to_lowercase();
            if action_key.starts_with("join") {
                if let Entry::Vacant(slot) = open.entry(key) {
                    slot.insert(rows.len());
                    rows.push(person.row(at, at));
                }
            } else if action_key.starts_with("left") || action_key.starts_with("leave") {
                if let Some(row) = open.remove(&key).and_then(|i| rows.get_mut(i)) {
                    row.left_at = at;
                }
            } else {
                return Err(ImportError::UnknownAction {
                    line: line_of(record),
                    value: action.to_owned(),
                });
            }
        }
        for index in open.into_values() {
            if let (Some(row), Some(last)) = (rows.get_mut(index), last) {
                row.left_at = last;
            }
        }
        Ok(rows)
    }

    fn person(&self, record: &StringRecord) -> Result<Person, ImportError> {
        let (name, marked_guest) = without_guest_mark(cell(record, self.name));
        let email = normalize_email(optional_cell(record, self.email)).or_else(|| {
            // Members' UPN is their address; external users' ("jo_x.com#EXT#@...") is not.
            normalize_email(optional_cell(record, self.upn))
                .filter(|upn| upn.contains('@') && !upn.contains('#'))
        });
        let name = display_name(name, email.as_ref(), record)?;
        Ok(Person {
            name,
            // Without an email column (the 2020 format) nobody is known to be a guest.
            guest: marked_guest || (self.email.is_some() && email.is_none()),
            email,
        })
    }
}

/// Teams appends "(Guest)", "(Unverified)" or "(External)" to some names; the first two
/// mark people who did not sign in.
fn without_guest_mark(name: &str) -> (&str, bool) {
    for (mark, guest) in [
        (" (guest)", true),
        (" (unverified)", true),
        (" (external)", false),
    ] {
        let split = name.len().saturating_sub(mark.len());
        if let (Some(before), Some(tail)) = (name.get(..split), name.get(split..)) {
            if tail.eq_ignore_ascii_case(mark) {
                return (before.trim(), guest);
            }
        }
    }
    (name, false)
}

#[cfg(test)]
#[path = "teams_tests.rs"]
mod tests;
