//! Who each person in a report is on the roll, and the marks that follow: matched by email
//! (case-insensitive) or by the instructor's hand; everyone matched to one registration
//! counts together (a phone and a laptop, say). Pure: no I/O, no clock.

use crate::db::attendance::{NewMark, RollRow};
use crate::domain::attendance::{
    suggest_status, Attendance, Interval, Participant, SuggestedStatus, DEFAULT_TOLERANCE,
};
use crate::domain::attendance_rule::AttendanceStatus;
use crate::domain::attendance_source::{decide, Decision, MarkSource, MarkValues};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// One person of a report, as a draft keeps them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
    pub guest: bool,
    pub intervals: Vec<Interval>,
}

impl From<Participant> for Person {
    fn from(p: Participant) -> Self {
        Person {
            name: p.name,
            email: p.email,
            guest: p.guest,
            intervals: p.intervals,
        }
    }
}

/// The scheduled meeting the report is read against.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The suggested status and whole minutes of `intervals`, clipped to the session and merged.
pub fn presence(session: Session, intervals: &[Interval]) -> (AttendanceStatus, i64) {
    let attendance = Attendance::new(session.start, session.end, intervals);
    let status = match suggest_status(&attendance, DEFAULT_TOLERANCE) {
        SuggestedStatus::Present => AttendanceStatus::Present,
        SuggestedStatus::Late => AttendanceStatus::Late,
        SuggestedStatus::LeftEarly => AttendanceStatus::LeftEarly,
        SuggestedStatus::Absent => AttendanceStatus::Absent,
    };
    (status, attendance.minutes())
}

/// The registration of each person whose email is on the roll (`None` for the others).
pub fn match_by_email(people: &[Person], roll: &[RollRow]) -> Vec<Option<i64>> {
    people
        .iter()
        .map(|person| {
            let email = person.email.as_deref()?;
            roll.iter()
                .find(|row| row.email.trim().eq_ignore_ascii_case(email))
                .map(|row| row.registration_id)
        })
        .collect()
}

/// Adds the instructor's choices (`p{index}` → registration id, "" for nobody) to the email
/// matches; an email match is never overridden. A choice of someone not on the roll is an
/// error for that field.
pub fn with_hand_matches(
    by_email: &[Option<i64>],
    choices: &HashMap<String, String>,
    roll: &[RollRow],
) -> Result<Vec<Option<i64>>, String> {
    let mut matched = by_email.to_vec();
    for (i, slot) in matched.iter_mut().enumerate() {
        let key = format!("p{i}");
        let choice = choices.get(&key).map(|v| v.trim()).unwrap_or_default();
        if slot.is_some() || choice.is_empty() {
            continue;
        }
        let id = choice
            .parse::<i64>()
            .ok()
            .filter(|id| roll.iter().any(|row| row.registration_id == *id))
            .ok_or(key)?;
        *slot = Some(id);
    }
    Ok(matched)
}

/// The mark for every registration someone was matched to, in registration order. The note
/// on file is kept, except the end-of-session job's "not marked", which the report answers.
pub fn marks(
    session: Session,
    people: &[Person],
    matched: &[Option<i64>],
    roll: &[RollRow],
) -> Vec<NewMark> {
    let mut intervals: BTreeMap<i64, Vec<Interval>> = BTreeMap::new();
    for (person, id) in people.iter().zip(matched) {
        if let Some(id) = id {
            intervals.entry(*id).or_default().extend(&person.intervals);
        }
    }
    intervals
        .into_iter()
        .map(|(registration_id, intervals)| {
            let (status, minutes) = presence(session, &intervals);
            let note = roll
                .iter()
                .find(|row| row.registration_id == registration_id)
                .filter(|row| row.source.as_deref() != Some("auto_absent"))
                .and_then(|row| row.note.clone())
                .unwrap_or_default();
            NewMark {
                registration_id,
                status,
                minutes,
                note,
            }
        })
        .collect()
}

/// Whether applying `mark` changes what `row` records: the domain's decision, as
/// `record_marks` takes it (a self check-in is replaced, an excuse is kept against absence).
pub fn changes(row: &RollRow, mark: &NewMark) -> bool {
    let proposed = MarkValues {
        status: mark.status,
        minutes: mark.minutes,
        note: &mark.note,
    };
    let recorded = row
        .status
        .as_deref()
        .and_then(|s| s.parse().ok())
        .map(|status| MarkValues {
            status,
            minutes: row.minutes.unwrap_or(0),
            note: row.note.as_deref().unwrap_or_default(),
        });
    // A source the domain does not know is treated as the weakest: the write would replace it.
    let source = row
        .source
        .as_deref()
        .and_then(|s| s.parse().ok())
        .unwrap_or(MarkSource::SelfCheckIn);
    let recorded = recorded.as_ref().map(|values| (source, values));
    decide(recorded, MarkSource::Import, &proposed) == Decision::Write
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 17, h, m, 0).unwrap()
    }

    fn session() -> Session {
        Session {
            start: at(15, 0),
            end: at(19, 0),
        }
    }

    fn person(name: &str, email: Option<&str>, intervals: Vec<Interval>) -> Person {
        Person {
            name: name.into(),
            email: email.map(str::to_owned),
            guest: email.is_none(),
            intervals,
        }
    }

    fn row(id: i64, email: &str, status: Option<&str>, source: Option<&str>) -> RollRow {
        RollRow {
            registration_id: id,
            user_id: id,
            name: format!("Person {id}"),
            email: email.into(),
            agency: String::new(),
            status: status.map(str::to_owned),
            minutes: status.map(|_| 0),
            note: status.map(|_| "a note".to_owned()),
            source: source.map(str::to_owned),
            made_up: None,
            recorded_at: None,
            checked_in_at: None,
        }
    }

    #[test]
    fn matches_emails_ignoring_case_and_lets_the_instructor_add_the_rest() {
        let roll = [
            row(1, "Ana@Denver.gov", None, None),
            row(2, "bo@x.org", None, None),
        ];
        let people = [
            person("Ana", Some("ana@denver.gov"), vec![]),
            person("Phone", None, vec![]),
            person("Guest", None, vec![]),
        ];
        let by_email = match_by_email(&people, &roll);
        assert_eq!(by_email, vec![Some(1), None, None]);
        let choices = HashMap::from([
            ("p0".to_owned(), "2".to_owned()),
            ("p1".to_owned(), "1".to_owned()),
            ("p2".to_owned(), String::new()),
        ]);
        assert_eq!(
            with_hand_matches(&by_email, &choices, &roll),
            Ok(vec![Some(1), Some(1), None]),
            "an email match stands; the phone is Ana's; the guest is nobody"
        );
        let wrong = HashMap::from([("p2".to_owned(), "99".to_owned())]);
        assert_eq!(
            with_hand_matches(&by_email, &wrong, &roll),
            Err("p2".to_owned())
        );
    }

    #[test]
    fn people_matched_to_one_registration_count_together() {
        let roll = [row(
            1,
            "ana@denver.gov",
            Some("absent"),
            Some("auto_absent"),
        )];
        let people = [
            person("Ana", Some("ana@denver.gov"), vec![(at(14, 55), at(17, 0))]),
            person("Ana's phone", None, vec![(at(16, 30), at(18, 58))]),
        ];
        let marks = marks(session(), &people, &[Some(1), Some(1)], &roll);
        assert_eq!(
            marks,
            vec![NewMark {
                registration_id: 1,
                status: AttendanceStatus::Present,
                minutes: 238,
                note: String::new(),
            }]
        );
        assert!(changes(&roll[0], &marks[0]));
    }

    #[test]
    fn keeps_the_instructors_note_and_sees_when_nothing_changes() {
        let mut on_file = row(1, "ana@denver.gov", Some("late"), Some("roll_call"));
        let people = [person(
            "Ana",
            Some("ana@denver.gov"),
            vec![(at(15, 30), at(19, 0))],
        )];
        let mark = marks(session(), &people, &[Some(1)], &[on_file.clone()]).remove(0);
        assert_eq!((mark.status, mark.minutes), (AttendanceStatus::Late, 210));
        assert_eq!(mark.note, "a note");
        assert!(changes(&on_file, &mark));
        on_file.minutes = Some(210);
        assert!(!changes(&on_file, &mark));
    }

    #[test]
    fn presence_is_clipped_to_the_session() {
        let early = presence(session(), &[(at(14, 0), at(15, 0) + Duration::seconds(59))]);
        assert_eq!(early, (AttendanceStatus::Absent, 0));
        assert_eq!(
            presence(session(), &[(at(15, 0), at(18, 0))]),
            (AttendanceStatus::LeftEarly, 180)
        );
    }
}
