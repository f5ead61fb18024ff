//! Attendance from the participant reports of Zoom and Microsoft Teams: an instructor
//! uploads the file a meeting tool produced, it is read into one common form (one row per
//! join/leave interval, UTC instants), grouped per person, and each person's intervals are
//! clipped to the meeting and merged into attended minutes and a suggested status that the
//! instructor confirms. Pure functions: no I/O, no clock, no database.

mod columns;
mod decode;
mod intervals;
mod local_time;
mod report;
mod session_fit;
mod teams;
mod zoom;

pub use intervals::{
    attended_minutes, merge_intervals, suggest_status, Attendance, Interval, SuggestedStatus,
    DEFAULT_TOLERANCE,
};
pub use report::{
    group_by_person, parse_report, ImportError, Participant, ParticipantReport, ParticipantRow,
    ReportSource, TimeField,
};
pub use session_fit::{check_report_fits, WrongSession};

#[cfg(test)]
mod report_props;
#[cfg(test)]
mod test_support;
