//! An instructor's roll call for one meeting, as typed, checked into marks. A blank status
//! leaves the person as they are; blank minutes mean the whole meeting for "present" and
//! none for "excused" or "absent", and must be given for "late" and "left early".

use super::attendance_rule::AttendanceStatus;
use serde::{Deserialize, Serialize};

/// One row of the roll-call form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCallInput {
    pub registration_id: i64,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub note: String,
}

/// A checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMark {
    pub registration_id: i64,
    pub status: AttendanceStatus,
    pub minutes: i64,
    pub note: String,
}

/// What is wrong with one row: the field (`status`, `minutes`, `note`) of which person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub registration_id: i64,
    pub field: &'static str,
    pub message: String,
}

impl RowError {
    fn new(registration_id: i64, field: &'static str, message: impl Into<String>) -> Self {
        Self {
            registration_id,
            field,
            message: message.into(),
        }
    }

    /// The form field's name as the page keys it: `minutes-12`.
    pub fn key(&self) -> String {
        format!("{}-{}", self.field, self.registration_id)
    }
}

/// Longest note kept with a mark.
pub const MAX_NOTE: usize = 500;

/// Checks every row of a roll call for a meeting of `length` minutes; the first problem found
/// is returned with the row it belongs to.
pub fn check_roll_call(rows: &[RollCallInput], length: i64) -> Result<Vec<CheckedMark>, RowError> {
    let mut out = Vec::new();
    for row in rows {
        let id = row.registration_id;
        let status = match row.status.trim() {
            "" => continue,
            s => s
                .parse::<AttendanceStatus>()
                .map_err(|_| RowError::new(id, "status", "Choose a status."))?,
        };
        let minutes = match (row.minutes.trim(), status) {
            ("", AttendanceStatus::Present) => length,
            ("", AttendanceStatus::Excused | AttendanceStatus::Absent) => 0,
            ("", _) => return Err(RowError::new(id, "minutes", "Enter the minutes attended.")),
            (m, _) => match m.parse::<i64>() {
                Ok(n) if (0..=length).contains(&n) => n,
                _ => {
                    return Err(RowError::new(
                        id,
                        "minutes",
                        format!("Enter whole minutes from 0 to {length}."),
                    ))
                }
            },
        };
        let note = row.note.trim();
        if note.chars().count() > MAX_NOTE {
            return Err(RowError::new(
                id,
                "note",
                format!("Keep the note under {MAX_NOTE} characters."),
            ));
        }
        out.push(CheckedMark {
            registration_id: id,
            status,
            minutes,
            note: note.to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, status: &str, minutes: &str) -> RollCallInput {
        RollCallInput {
            registration_id: id,
            status: status.into(),
            minutes: minutes.into(),
            note: String::new(),
        }
    }

    #[test]
    fn blanks_get_sensible_minutes_and_unmarked_rows_are_left_alone() {
        let marks = check_roll_call(
            &[
                row(1, "present", ""),
                row(2, "absent", ""),
                row(3, "", ""),
                row(4, "late", "200"),
            ],
            240,
        )
        .unwrap();
        let got: Vec<(i64, &str, i64)> = marks
            .iter()
            .map(|m| (m.registration_id, m.status.as_str(), m.minutes))
            .collect();
        assert_eq!(
            got,
            vec![(1, "present", 240), (2, "absent", 0), (4, "late", 200)]
        );
    }

    #[test]
    fn errors_name_the_row_and_field() {
        for (input, field, words) in [
            (row(7, "late", ""), "minutes-7", "Enter the minutes"),
            (row(7, "present", "241"), "minutes-7", "from 0 to 240"),
            (row(7, "present", "-1"), "minutes-7", "from 0 to 240"),
            (row(7, "present", "ninety"), "minutes-7", "from 0 to 240"),
            (row(7, "asleep", ""), "status-7", "Choose a status"),
        ] {
            let err = check_roll_call(&[input], 240).unwrap_err();
            assert_eq!(err.key(), field);
            assert!(err.message.contains(words), "{}", err.message);
        }
        let long = RollCallInput {
            note: "x".repeat(MAX_NOTE + 1),
            ..row(3, "present", "")
        };
        assert_eq!(check_roll_call(&[long], 240).unwrap_err().key(), "note-3");
    }
}
