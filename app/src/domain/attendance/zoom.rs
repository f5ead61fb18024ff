//! Zoom's per-meeting participants export (Reports > Usage > Participants > Export): a CSV,
//! optionally preceded by a meeting-summary table and a blank line, then one row per join
//! (a reconnect is a new row). The summary is skipped: the table starts at the first row
//! that names a name, a join time and a leave time column. Zoom's Duration column is not
//! read: minutes are computed from the times, after clipping and merging.

use super::columns::{
    cell, display_name, find_column, header_key, is_blank, optional_cell, reader, time_at,
};
use super::report::{
    normalize_email, ImportError, ParticipantReport, ParticipantRow, ReportSource, TimeField,
};
use chrono_tz::Tz;
use csv::StringRecord;

const NAME: &[&str] = &[
    "name (original name)",
    "user name (original name)",
    "name",
    "participant",
    "participant name",
    "user name",
];
const EMAIL: &[&str] = &["user email", "email", "email address"];
const JOIN: &[&str] = &["join time", "join"];
const LEAVE: &[&str] = &["leave time", "leave"];
const GUEST: &[&str] = &["guest"];

/// Where the fields are in the participant table.
struct Columns {
    name: usize,
    /// "Jane Doe (Jane D.)": the current name, then the one the person joined with.
    with_original_name: bool,
    email: Option<usize>,
    join: usize,
    leave: usize,
    guest: Option<usize>,
}

impl Columns {
    fn find(header: &StringRecord) -> Option<Columns> {
        let name = find_column(header, NAME)?;
        Some(Columns {
            name,
            with_original_name: header_key(header.get(name).unwrap_or_default())
                .contains("original name"),
            email: find_column(header, EMAIL),
            join: find_column(header, JOIN)?,
            leave: find_column(header, LEAVE)?,
            guest: find_column(header, GUEST),
        })
    }

    fn row(&self, record: &StringRecord, zone: Tz) -> Result<ParticipantRow, ImportError> {
        let email = normalize_email(optional_cell(record, self.email));
        let written = cell(record, self.name);
        let name = if self.with_original_name {
            current_name(written)
        } else {
            written
        };
        let name = display_name(name, email.as_ref(), record)?;
        let guest = match optional_cell(record, self.guest) {
            Some(flag) => matches!(flag.to_lowercase().as_str(), "yes" | "y" | "true" | "1"),
            None => self.email.is_some() && email.is_none(),
        };
        Ok(ParticipantRow {
            name,
            email,
            joined_at: time_at(record, self.join, TimeField::Join, ReportSource::Zoom, zone)?,
            left_at: time_at(
                record,
                self.leave,
                TimeField::Leave,
                ReportSource::Zoom,
                zone,
            )?,
            guest,
        })
    }
}

/// Reads the export; `UnknownFormat` when no row looks like the participant header.
pub(super) fn parse(text: &str, zone: Tz) -> Result<ParticipantReport, ImportError> {
    let mut columns: Option<Columns> = None;
    let mut rows = Vec::new();
    for record in reader(text, b',').records() {
        // The text is valid UTF-8 and the reader is flexible: errors cannot happen, but a
        // broken file is better reported as unrecognised than as a crash.
        let record = record.map_err(|_| ImportError::UnknownFormat)?;
        if is_blank(&record) {
            continue;
        }
        match &columns {
            None => columns = Columns::find(&record),
            // Exports pasted together repeat the header.
            Some(_) if Columns::find(&record).is_some() => {}
            Some(table) => rows.push(table.row(&record, zone)?),
        }
    }
    if columns.is_none() {
        return Err(ImportError::UnknownFormat);
    }
    if rows.is_empty() {
        return Err(ImportError::NoParticipants {
            format: ReportSource::Zoom,
        });
    }
    Ok(ParticipantReport {
        source: ReportSource::Zoom,
        rows,
    })
}

/// "Jane Doe (Jane D.)" -> "Jane Doe": the name without the last parenthesised group,
/// which Zoom adds when a participant renamed themselves. Unchanged when nothing is left.
fn current_name(written: &str) -> &str {
    if !written.ends_with(')') {
        return written;
    }
    let mut depth = 0_usize;
    for (at, c) in written.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 1 => {
                let before = written.get(..at).unwrap_or_default().trim_end();
                return if before.is_empty() { written } else { before };
            }
            '(' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    written
}

#[cfg(test)]
#[path = "zoom_tests.rs"]
mod tests;
