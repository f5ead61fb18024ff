//! Whether a participant report belongs to the session it is uploaded for. A report from
//! another day would clip every interval to nothing and preview everyone as absent, so a
//! report none of whose intervals overlaps the session is refused, naming both dates.

use super::report::ParticipantReport;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// A report of another meeting: when its people were there, and when the session is, in
/// the class's zone ("Monday, June 15, 2026, 9:00 am to 1:02 pm").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("This report is of a meeting on {report}, but this session is on {session}: nobody in the report was there during the session. Upload the report of the meeting on {session_day}.")]
pub struct WrongSession {
    pub report: String,
    pub session: String,
    pub session_day: String,
}

/// Accepts `report` when at least one of its intervals overlaps [`start`, `end`).
pub fn check_report_fits(
    report: &ParticipantReport,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    zone: Tz,
) -> Result<(), WrongSession> {
    let overlaps = report
        .rows
        .iter()
        .any(|row| row.joined_at < row.left_at && row.joined_at < end && row.left_at > start);
    if overlaps {
        return Ok(());
    }
    let first = report.rows.iter().map(|r| r.joined_at.min(r.left_at)).min();
    let last = report.rows.iter().map(|r| r.joined_at.max(r.left_at)).max();
    let report = match first.zip(last) {
        Some((first, last)) => span(first, last, zone),
        None => "no date".to_owned(),
    };
    Err(WrongSession {
        report,
        session: span(start, end, zone),
        session_day: day(start, zone),
    })
}

fn day(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%A, %B %-d, %Y").to_string()
}

fn time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%-I:%M %P").to_string()
}

/// "Monday, June 15, 2026, 9:00 am to 1:02 pm", or with both dates when they differ.
fn span(from: DateTime<Utc>, to: DateTime<Utc>, zone: Tz) -> String {
    if day(from, zone) == day(to, zone) {
        format!(
            "{}, {} to {}",
            day(from, zone),
            time(from, zone),
            time(to, zone)
        )
    } else {
        format!(
            "{}, {} to {}, {}",
            day(from, zone),
            time(from, zone),
            day(to, zone),
            time(to, zone)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::{ParticipantRow, ReportSource};
    use super::super::test_support::{meeting, utc};
    use super::*;
    use chrono::Duration;

    fn report(rows: &[(DateTime<Utc>, DateTime<Utc>)]) -> ParticipantReport {
        ParticipantReport {
            source: ReportSource::Zoom,
            rows: rows
                .iter()
                .map(|&(joined_at, left_at)| ParticipantRow {
                    name: "Ana".into(),
                    email: None,
                    joined_at,
                    left_at,
                    guest: false,
                })
                .collect(),
        }
    }

    const DENVER: Tz = chrono_tz::America::Denver;

    #[test]
    fn a_report_with_anyone_in_the_session_fits() {
        let (start, end) = meeting();
        assert_eq!(
            check_report_fits(
                &report(&[(utc(14, 0, 0), utc(15, 1, 0))]),
                start,
                end,
                DENVER
            ),
            Ok(())
        );
        assert_eq!(
            check_report_fits(
                &report(&[(utc(18, 59, 0), utc(20, 0, 0))]),
                start,
                end,
                DENVER
            ),
            Ok(())
        );
    }

    #[test]
    fn a_report_of_another_day_is_refused_naming_both_days() {
        let (start, end) = meeting();
        let two_days = Duration::days(2);
        let err = check_report_fits(
            &report(&[(start - two_days, end - two_days + Duration::minutes(2))]),
            start,
            end,
            DENVER,
        )
        .unwrap_err();
        assert_eq!(err.report, "Monday, June 15, 2026, 9:00 am to 1:02 pm");
        assert_eq!(err.session, "Wednesday, June 17, 2026, 9:00 am to 1:00 pm");
        assert!(err
            .to_string()
            .contains("Upload the report of the meeting on Wednesday, June 17, 2026."));
    }

    #[test]
    fn touching_is_not_overlapping() {
        let (start, end) = meeting();
        // The same day's earlier meeting, ending as this one starts.
        let err =
            check_report_fits(&report(&[(utc(13, 0, 0), start)]), start, end, DENVER).unwrap_err();
        assert_eq!(err.report, "Wednesday, June 17, 2026, 7:00 am to 9:00 am");
        // A reversed row does not count as presence.
        assert!(check_report_fits(
            &report(&[(utc(16, 0, 0), utc(15, 30, 0))]),
            start,
            end,
            DENVER
        )
        .is_err());
    }
}
