//! Continuing education done elsewhere (a state conference, another provider's class), as an
//! administrator records it: who, what, how many hours, the day it was completed, and the
//! evidence (a note, a stored file, or both). Whether it counts is `renewal`'s to say: only
//! once approved, and only inside the renewal window by the day it was completed.
//!
//! The form is a multipart upload that redirects back, so a refusal travels as a short code
//! in the address and the page shows the same message next to the same field with
//! JavaScript on or off.

use crate::storage::accept::Refusal;
use chrono::NaiveDate;

/// The most CE hours one record may carry (a week of full days).
pub const MAX_HOURS: i64 = 40;
/// The longest evidence note.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The form's fields as posted.
#[derive(Debug, Default, Clone)]
pub struct CeForm {
    pub email: String,
    pub title: String,
    pub hours: String,
    pub completed_on: String,
    pub evidence: String,
    /// The checkbox: present ("on") when ticked.
    pub approved: String,
}

/// The form, checked (the holder is still an email address: the data layer finds them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeEntry {
    pub email: String,
    pub title: String,
    pub hours: i64,
    pub completed_on: NaiveDate,
    pub evidence: String,
    pub approved: bool,
}

/// Why a CE record was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeRefusal {
    Email,
    NoSuchHolder,
    Title,
    Hours,
    Date,
    Note,
    /// Neither a note nor a file.
    NoEvidence,
    File(Refusal),
}

impl CeRefusal {
    const OWN: [CeRefusal; 7] = [
        CeRefusal::Email,
        CeRefusal::NoSuchHolder,
        CeRefusal::Title,
        CeRefusal::Hours,
        CeRefusal::Date,
        CeRefusal::Note,
        CeRefusal::NoEvidence,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CeRefusal::Email => "email",
            CeRefusal::NoSuchHolder => "holder",
            CeRefusal::Title => "ce_title",
            CeRefusal::Hours => "hours",
            CeRefusal::Date => "date",
            CeRefusal::Note => "note",
            CeRefusal::NoEvidence => "no_evidence",
            CeRefusal::File(r) => r.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::OWN
            .into_iter()
            .find(|r| r.code() == code)
            .or_else(|| Refusal::from_code(code).map(CeRefusal::File))
    }

    /// The form field the message goes next to ("" for the whole form).
    pub fn field(self) -> &'static str {
        match self {
            CeRefusal::Email | CeRefusal::NoSuchHolder => "email",
            CeRefusal::Title => "title",
            CeRefusal::Hours => "hours",
            CeRefusal::Date => "completed_on",
            CeRefusal::Note | CeRefusal::NoEvidence => "evidence",
            CeRefusal::File(r) => r.field(),
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            CeRefusal::Email => "Enter the email address of the person's account.",
            CeRefusal::NoSuchHolder => "No account has that email address. Check it, or ask the person which address they signed up with.",
            CeRefusal::Title => "Say what the continuing education was (at most 200 characters).",
            CeRefusal::Hours => "Enter the CE hours as a whole number from 1 to 40.",
            CeRefusal::Date => "Enter the day it was completed, as a date that is not in the future.",
            CeRefusal::Note => "Keep the note to 2,000 characters.",
            CeRefusal::NoEvidence => "Describe the evidence, attach a file of it, or both.",
            CeRefusal::File(r) => r.message(),
        }
    }
}

/// Checks the form's text fields on `today` (the organisation's calendar day). `has_file`
/// says whether a file came with it: the evidence is a note, a file, or both.
pub fn parse(form: &CeForm, has_file: bool, today: NaiveDate) -> Result<CeEntry, CeRefusal> {
    let email = crate::domain::email::Email::parse(&form.email)
        .map_err(|_| CeRefusal::Email)?
        .as_str()
        .to_owned();
    let title = crate::storage::accept::parse_title(&form.title).map_err(|_| CeRefusal::Title)?;
    let hours = form
        .hours
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|h| (1..=MAX_HOURS).contains(h))
        .ok_or(CeRefusal::Hours)?;
    let completed_on = NaiveDate::parse_from_str(form.completed_on.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d <= today)
        .ok_or(CeRefusal::Date)?;
    let evidence = form.evidence.trim().to_owned();
    if evidence.chars().count() > MAX_NOTE_CHARS {
        return Err(CeRefusal::Note);
    }
    if evidence.is_empty() && !has_file {
        return Err(CeRefusal::NoEvidence);
    }
    Ok(CeEntry {
        email,
        title,
        hours,
        completed_on,
        evidence,
        approved: matches!(form.approved.trim(), "on" | "true" | "1"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn form() -> CeForm {
        CeForm {
            email: " Robin@CIT.gov ".into(),
            title: "State CIT conference".into(),
            hours: "3".into(),
            completed_on: "2028-09-01".into(),
            evidence: "Certificate of attendance".into(),
            approved: "on".into(),
        }
    }

    #[test]
    fn a_good_form_is_parsed() {
        let entry = parse(&form(), false, day(2028, 9, 1)).unwrap();
        assert_eq!(entry.hours, 3);
        assert_eq!(entry.completed_on, day(2028, 9, 1));
        assert!(entry.approved);
        let unticked = CeForm {
            approved: String::new(),
            ..form()
        };
        assert!(!parse(&unticked, false, day(2028, 9, 1)).unwrap().approved);
    }

    #[test]
    fn each_bad_field_is_named() {
        let today = day(2028, 9, 1);
        let with = |f: fn(&mut CeForm)| {
            let mut x = form();
            f(&mut x);
            parse(&x, false, today).err()
        };
        assert_eq!(with(|f| f.email = "nobody".into()), Some(CeRefusal::Email));
        assert_eq!(with(|f| f.title = " ".into()), Some(CeRefusal::Title));
        for hours in ["0", "41", "2.5", "", "x"] {
            let mut x = form();
            x.hours = hours.into();
            assert_eq!(
                parse(&x, false, today).err(),
                Some(CeRefusal::Hours),
                "{hours}"
            );
        }
        assert_eq!(
            with(|f| f.completed_on = "2028-09-02".into()),
            Some(CeRefusal::Date),
            "the future"
        );
        assert_eq!(
            with(|f| f.completed_on = "09/01/2028".into()),
            Some(CeRefusal::Date)
        );
        assert_eq!(
            with(|f| f.evidence = "x".repeat(2001)),
            Some(CeRefusal::Note)
        );
        assert_eq!(
            with(|f| f.evidence = " ".into()),
            Some(CeRefusal::NoEvidence)
        );
        let mut x = form();
        x.evidence = String::new();
        assert!(parse(&x, true, today).is_ok(), "a file is evidence enough");
    }

    #[test]
    fn codes_travel_both_ways() {
        for r in CeRefusal::OWN.into_iter().chain([
            CeRefusal::File(Refusal::NotAllowed),
            CeRefusal::File(Refusal::TooLarge),
        ]) {
            assert_eq!(CeRefusal::from_code(r.code()), Some(r));
        }
        assert_eq!(CeRefusal::from_code("nonsense"), None);
    }
}
