//! Rescheduling one class: moving a session, adding one, removing one. Sessions need not
//! be on consecutive days; what matters is that no two overlap, none is moved into the
//! past, and a session that has started (people may already be checked in) stays as it is.

use super::{
    offering_form::{date, time},
    person::FieldError,
    schedule::{local_to_utc, Meeting, MAX_MEETING_HOURS},
};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// A session as it is stored now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A session's day and local times as typed ("2026-06-17", "09:00", "13:00").
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    pub day: String,
    pub start: String,
    pub end: String,
}

/// One change to a class's sessions.
#[derive(Debug, Clone)]
pub enum MeetingChange {
    Move { id: i64, to: SessionInput },
    Add(SessionInput),
    Remove { id: i64 },
}

/// Checks `change` against the class's current `sessions` (in any order) at `now`, with
/// times read in the class's `zone`. Returns the new times for a move or an addition,
/// `None` for a removal. Every refusal names the field it belongs next to.
pub fn check_change(
    sessions: &[Session],
    change: &MeetingChange,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Option<Meeting>, FieldError> {
    let existing = |id: i64| {
        sessions
            .iter()
            .find(|s| s.id == id)
            .copied()
            .ok_or_else(|| {
                FieldError::new(
                    "meeting_id",
                    "That session is no longer part of this class. Reload the page.",
                )
            })
    };
    let not_started = |s: Session, verb: &str| {
        if s.starts_at <= now {
            Err(FieldError::new(
                "meeting_id",
                format!("This session has started, so it cannot be {verb}."),
            ))
        } else {
            Ok(())
        }
    };
    let (moving, input) = match change {
        MeetingChange::Remove { id } => {
            let session = existing(*id)?;
            not_started(session, "removed")?;
            if sessions.len() <= 1 {
                return Err(FieldError::new(
                    "meeting_id",
                    "A class needs at least one session. To call the class off, cancel it instead.",
                ));
            }
            return Ok(None);
        }
        MeetingChange::Move { id, to } => {
            let session = existing(*id)?;
            not_started(session, "moved")?;
            (Some(*id), to)
        }
        MeetingChange::Add(to) => (None, to),
    };
    let meeting = parse_session(input, zone)?;
    if meeting.starts_at <= now {
        return Err(FieldError::new(
            "day",
            "Choose a day and time that have not passed.",
        ));
    }
    if let Some(clash) = sessions
        .iter()
        .filter(|s| Some(s.id) != moving)
        .find(|s| s.starts_at < meeting.ends_at && meeting.starts_at < s.ends_at)
    {
        return Err(FieldError::new(
            "day",
            format!(
                "This overlaps the session on {}. Each session must end before the next starts.",
                clash
                    .starts_at
                    .with_timezone(&zone)
                    .format("%B %-d at %-I:%M %P")
            ),
        ));
    }
    Ok(Some(meeting))
}

/// A session's day and times in `zone`: the end after the start on the same day, at most
/// [`MAX_MEETING_HOURS`] long.
fn parse_session(input: &SessionInput, zone: Tz) -> Result<Meeting, FieldError> {
    let day = date("day", &input.day)?;
    let start = time("start", &input.start)?;
    let end = time("end", &input.end)?;
    if end <= start {
        return Err(FieldError::new(
            "end",
            "The end time must be after the start time.",
        ));
    }
    let at = |field: &'static str, t| {
        local_to_utc(day, t, zone).map_err(|e| FieldError::new(field, e.to_string()))
    };
    let meeting = Meeting {
        starts_at: at("start", start)?,
        ends_at: at("end", end)?,
    };
    if meeting.duration() > Duration::hours(MAX_MEETING_HOURS) {
        return Err(FieldError::new(
            "end",
            format!("A session lasts at most {MAX_MEETING_HOURS} hours. Split it in two."),
        ));
    }
    Ok(meeting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::{Denver, Phoenix};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// June 17-18 2026, 9:00 am-1:00 pm MDT (UTC-6).
    fn class() -> Vec<Session> {
        vec![
            Session {
                id: 1,
                starts_at: utc("2026-06-17T15:00:00Z"),
                ends_at: utc("2026-06-17T19:00:00Z"),
            },
            Session {
                id: 2,
                starts_at: utc("2026-06-18T15:00:00Z"),
                ends_at: utc("2026-06-18T19:00:00Z"),
            },
        ]
    }

    fn input(day: &str, start: &str, end: &str) -> SessionInput {
        SessionInput {
            day: day.into(),
            start: start.into(),
            end: end.into(),
        }
    }

    const BEFORE: &str = "2026-06-01T00:00:00Z";

    #[test]
    fn a_session_moves_to_a_day_that_is_not_consecutive() {
        let moved = check_change(
            &class(),
            &MeetingChange::Move {
                id: 2,
                to: input("2026-06-24", "16:00", "20:00"),
            },
            Denver,
            utc(BEFORE),
        )
        .unwrap()
        .unwrap();
        assert_eq!(moved.starts_at, utc("2026-06-24T22:00:00Z"));
        assert_eq!(moved.ends_at, utc("2026-06-25T02:00:00Z"));
    }

    #[test]
    fn times_are_read_in_the_class_zone_across_dst() {
        // December in Denver is MST (UTC-7); Phoenix is UTC-7 all year.
        for zone in [Denver, Phoenix] {
            let added = check_change(
                &class(),
                &MeetingChange::Add(input("2026-12-02", "09:00", "13:00")),
                zone,
                utc(BEFORE),
            )
            .unwrap()
            .unwrap();
            assert_eq!(added.starts_at, utc("2026-12-02T16:00:00Z"));
        }
    }

    #[test]
    fn moving_a_session_onto_its_own_old_time_is_not_an_overlap() {
        let same = check_change(
            &class(),
            &MeetingChange::Move {
                id: 1,
                to: input("2026-06-17", "10:00", "14:00"),
            },
            Denver,
            utc(BEFORE),
        );
        assert!(same.is_ok(), "{same:?}");
    }

    #[test]
    fn refusals_name_their_field() {
        let cases = [
            (
                MeetingChange::Add(input("2026-06-18", "12:00", "14:00")),
                "day",
            ),
            (
                MeetingChange::Add(input("2026-05-01", "09:00", "13:00")),
                "day",
            ),
            (
                MeetingChange::Add(input("2026-06-30", "13:00", "09:00")),
                "end",
            ),
            (
                MeetingChange::Add(input("2026-06-30", "00:00", "23:59")),
                "end",
            ),
            (
                MeetingChange::Add(input("30/06/2026", "09:00", "13:00")),
                "day",
            ),
            (
                MeetingChange::Add(input("2026-06-30", "9am", "13:00")),
                "start",
            ),
            // 2:30 am does not exist in Denver on the spring-forward night.
            (
                MeetingChange::Add(input("2027-03-14", "02:30", "04:00")),
                "start",
            ),
            (MeetingChange::Remove { id: 99 }, "meeting_id"),
        ];
        for (change, field) in cases {
            let err = check_change(&class(), &change, Denver, utc(BEFORE)).unwrap_err();
            assert_eq!(err.field, field, "{change:?}: {}", err.message);
        }
    }

    #[test]
    fn started_sessions_stay_and_the_last_session_cannot_go() {
        let during_first = utc("2026-06-17T16:00:00Z");
        for change in [
            MeetingChange::Remove { id: 1 },
            MeetingChange::Move {
                id: 1,
                to: input("2026-06-30", "09:00", "13:00"),
            },
        ] {
            let err = check_change(&class(), &change, Denver, during_first).unwrap_err();
            assert!(err.message.contains("has started"), "{}", err.message);
        }
        assert_eq!(
            check_change(
                &class(),
                &MeetingChange::Remove { id: 2 },
                Denver,
                during_first
            ),
            Ok(None)
        );
        let only = &class()[..1];
        let err =
            check_change(only, &MeetingChange::Remove { id: 1 }, Denver, utc(BEFORE)).unwrap_err();
        assert!(err.message.contains("at least one session"));
    }
}
