//! Certificate rules: numbers, verification codes, dates and status. Plain functions: the
//! caller passes the clock reading, the random bytes and the sequence number.
//!
//! Dates:
//! - A certificate is issued on the organisation's calendar day (America/Denver) at the moment
//!   it is earned: a test finished at 11:30 pm in Denver on 31 December is issued that year,
//!   although it is already 1 January in UTC.
//! - A coordinator certificate expires three calendar years after issue, on the same day of
//!   the month. **Rule for 29 February:** a certificate issued on 29 February expires on
//!   28 February three years later (the last day of that February; never 1 March), so it
//!   never runs longer than three years.
//! - It is valid through its expiry date and expired from the next day on.
//! - A certificate of completion (911 course) does not expire.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The two credentials the platform issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// CIT Coordinator Certification: three years, carries a membership.
    Coordinator,
    /// CIT Support Training for 911: a certificate of completion, no expiry, no membership.
    Completion,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Coordinator => "coordinator",
            Kind::Completion => "completion",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "coordinator" => Some(Kind::Coordinator),
            "completion" => Some(Kind::Completion),
            _ => None,
        }
    }

    /// The number's prefix: each kind has its own sequence.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Coordinator => "CITC",
            Kind::Completion => "CIT911",
        }
    }

    /// What the certificate says the person is or did.
    pub fn credential(self) -> &'static str {
        match self {
            Kind::Coordinator => "Certified CIT Coordinator",
            Kind::Completion => "Certificate of Completion: CIT Support Training for 911",
        }
    }

    /// The credential a course issues: the 911 course a certificate of completion, every
    /// other certification course (by its membership) a coordinator certificate; courses that
    /// certify nothing (continuing education) issue none.
    pub fn for_course(course_kind: &str, includes_membership: bool) -> Option<Kind> {
        match course_kind {
            "certification" if includes_membership => Some(Kind::Coordinator),
            "certification" | "training" => Some(Kind::Completion),
            _ => None,
        }
    }

    /// Whether it expires (and carries a membership).
    pub fn expires(self) -> bool {
        matches!(self, Kind::Coordinator)
    }
}

/// The displayed number: prefix, year of issue, and the year's sequence in six digits
/// (`CITC-2026-000123`).
pub fn format_number(kind: Kind, year: i32, sequence: i64) -> String {
    format!("{}-{year}-{sequence:06}", kind.prefix())
}

/// A number as typed (spaces and case ignored), for searching.
pub fn normalize_number(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Crockford's base32 alphabet: no I, L, O or U, so codes read aloud or typed are unambiguous.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random bytes in a verification code: 10 bytes, 80 bits, 16 characters.
pub const CODE_BYTES: usize = 10;
/// Characters in a code (without dashes).
pub const CODE_LEN: usize = CODE_BYTES * 8 / 5;

/// The verification code for `bytes` (from a cryptographic generator): 16 Crockford base32
/// characters, stored and compared in this canonical form.
pub fn encode_code(bytes: &[u8; CODE_BYTES]) -> String {
    let mut out = String::with_capacity(CODE_LEN);
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(CROCKFORD[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    out
}

/// A code as printed: groups of four joined by dashes (`7K3M-2QXP-...`).
pub fn display_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as someone typed it, in canonical form: dashes and spaces dropped, case ignored,
/// and the letters Crockford reads as digits (O as 0, I and L as 1) mapped. None when it
/// cannot be a code (wrong length, a character outside the alphabet).
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CROCKFORD.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// The organisation's calendar day at `now` (see the module's rules).
#[cfg(feature = "ssr")]
pub fn issue_date(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::America::Denver).date_naive()
}

/// The last day a coordinator certificate issued on `issued_on` is valid: three calendar years
/// later, 29 February going to 28 February (chrono clamps to the month's last day).
pub fn expiry(issued_on: NaiveDate) -> NaiveDate {
    issued_on
        .checked_add_months(Months::new(36))
        .unwrap_or(NaiveDate::MAX)
}

/// A date as printed on certificates and pages: "November 23, 2026".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

/// A certificate's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Active,
    Expired,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "active" => Some(Status::Active),
            "expired" => Some(Status::Expired),
            "revoked" => Some(Status::Revoked),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Expired => "Expired",
            Status::Revoked => "Revoked",
        }
    }
}

/// What can happen to a stored certificate, and who causes it. Issuing creates one *active*
/// (the system, inside the transaction that makes a pass final; or an administrator's
/// import), and at most one per person and credential is active at a time (a partial
/// unique index on both databases; a second pass issues nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The expiry job, the day after the last valid day.
    Expire,
    /// The system, when CE hours in the third year meet the requirement (also after a
    /// lapse, within the grace the policy allows): three more years from the old expiry.
    Renew,
    /// An administrator (with a reason), or a regrade that took the pass away.
    Revoke,
    /// An administrator, after a name change: same number, code and dates.
    Reissue,
}

/// The status after `event`, or `None` when it cannot happen (a revoked certificate never
/// changes again; recertifying issues a new one). The membership follows the same events
/// (`membership::next`), in the same transaction.
pub fn next(from: Status, event: Event) -> Option<Status> {
    match (from, event) {
        (Status::Revoked, _) => None,
        (Status::Active, Event::Expire) => Some(Status::Expired),
        (Status::Expired, Event::Expire) => None,
        (_, Event::Renew) => Some(Status::Active),
        (_, Event::Revoke) => Some(Status::Revoked),
        (s, Event::Reissue) => Some(s),
    }
}

/// The status on `today`, whatever the stored one says: a revocation stands; a certificate
/// past its expiry date is expired even before the expiry job has marked it.
pub fn status_on(stored: Status, expires_on: Option<NaiveDate>, today: NaiveDate) -> Status {
    match (stored, expires_on) {
        (Status::Revoked, _) => Status::Revoked,
        (_, Some(last_day)) if today > last_day => Status::Expired,
        (Status::Expired, _) => Status::Expired,
        _ => Status::Active,
    }
}

/// The family name for the verification search: the last word of the name, compared
/// ignoring case.
pub fn last_name_matches(full_name: &str, typed: &str) -> bool {
    let typed = typed.trim();
    !typed.is_empty()
        && full_name
            .split_whitespace()
            .last()
            .is_some_and(|last| last.to_lowercase() == typed.to_lowercase())
}

/// Outbox kind of the message announcing a certificate.
pub const KIND_CERTIFICATE_ISSUED: &str = "certificate_issued";

/// The message announcing a new certificate (the PDF is attached): (subject, body).
pub fn issued_mail(
    name: &str,
    credential: &str,
    number: &str,
    certificates_link: &str,
    verify_link: &str,
) -> (String, String) {
    (
        format!("Your certificate: {credential}"),
        format!(
            "Hello {name},\n\n\
             Congratulations: your certificate {number} ({credential}) has been issued. \
             It is attached to this message as a PDF, and you can download it at any time \
             from your certificates page (sign in first if asked):\n\n{certificates_link}\n\n\
             Anyone you show it to can check it on its public verification page:\n\n\
             {verify_link}\n\n\
             CIT Academy\nCrisis Intervention Team training and certification\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_certificate_never_changes_and_an_expired_one_only_renews_or_is_revoked() {
        use Event::*;
        for e in [Expire, Renew, Revoke, Reissue] {
            assert_eq!(next(Status::Revoked, e), None);
        }
        assert_eq!(next(Status::Active, Expire), Some(Status::Expired));
        assert_eq!(next(Status::Expired, Expire), None);
        assert_eq!(next(Status::Expired, Renew), Some(Status::Active));
        assert_eq!(next(Status::Active, Renew), Some(Status::Active));
        assert_eq!(next(Status::Expired, Revoke), Some(Status::Revoked));
        assert_eq!(next(Status::Active, Reissue), Some(Status::Active));
        assert_eq!(next(Status::Expired, Reissue), Some(Status::Expired));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn numbers_have_a_prefix_per_kind_the_year_and_six_digits() {
        assert_eq!(
            format_number(Kind::Coordinator, 2026, 123),
            "CITC-2026-000123"
        );
        assert_eq!(
            format_number(Kind::Completion, 2027, 1),
            "CIT911-2027-000001"
        );
        assert_eq!(
            format_number(Kind::Coordinator, 2026, 1_234_567),
            "CITC-2026-1234567"
        );
        assert_eq!(normalize_number(" citc-2026-000123 "), "CITC-2026-000123");
    }

    #[test]
    fn expiry_is_three_calendar_years_and_29_february_goes_to_28_february() {
        assert_eq!(expiry(day(2026, 11, 23)), day(2029, 11, 23));
        assert_eq!(expiry(day(2028, 2, 29)), day(2031, 2, 28));
        assert_eq!(expiry(day(2027, 2, 28)), day(2030, 2, 28));
        // Three years from 29 Feb may land in a leap year only if 4 | year + 3: never.
        assert_eq!(expiry(day(2024, 2, 29)), day(2027, 2, 28));
        assert_eq!(expiry(day(2026, 12, 31)), day(2029, 12, 31));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_issue_date_is_the_day_in_denver() {
        use chrono::{TimeZone, Utc};
        // 1 January 2027, 05:30 UTC is still 31 December 2026, 10:30 pm MST in Denver.
        let late = Utc.with_ymd_and_hms(2027, 1, 1, 5, 30, 0).single();
        assert_eq!(late.map(issue_date), Some(day(2026, 12, 31)));
        // 07:00 UTC is midnight MST: the new day.
        let midnight = Utc.with_ymd_and_hms(2027, 1, 1, 7, 0, 0).single();
        assert_eq!(midnight.map(issue_date), Some(day(2027, 1, 1)));
        // Summer time (MDT, UTC-6): 05:59 UTC on 1 July is 30 June, 06:00 UTC is 1 July.
        let before = Utc.with_ymd_and_hms(2026, 7, 1, 5, 59, 59).single();
        let after = Utc.with_ymd_and_hms(2026, 7, 1, 6, 0, 0).single();
        assert_eq!(before.map(issue_date), Some(day(2026, 6, 30)));
        assert_eq!(after.map(issue_date), Some(day(2026, 7, 1)));
        // 29 February in Denver while UTC is already 1 March.
        let leap = Utc.with_ymd_and_hms(2028, 3, 1, 3, 0, 0).single();
        assert_eq!(leap.map(issue_date).map(expiry), Some(day(2031, 2, 28)));
    }

    #[test]
    fn codes_carry_80_bits_in_16_crockford_characters() {
        assert_eq!(encode_code(&[0; CODE_BYTES]), "0000000000000000");
        assert_eq!(encode_code(&[0xff; CODE_BYTES]), "ZZZZZZZZZZZZZZZZ");
        // 0x08 = 00001 000..: the first character is 1, the rest 0.
        let mut one = [0_u8; CODE_BYTES];
        one[0] = 0x08;
        assert_eq!(encode_code(&one), "1000000000000000");
        let bytes = [1, 35, 69, 103, 137, 171, 205, 239, 254, 220];
        let code = encode_code(&bytes);
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CROCKFORD.contains(&b)));
        // Distinct inputs, distinct codes (the encoding loses nothing).
        let mut other = bytes;
        other[9] ^= 1;
        assert_ne!(encode_code(&other), code);
    }

    #[test]
    fn typed_codes_ignore_dashes_case_and_look_alike_letters() {
        let code = "7K3M2QXP9ABCDEFG";
        assert_eq!(display_code(code), "7K3M-2QXP-9ABC-DEFG");
        assert_eq!(normalize_code("7k3m-2qxp-9abc-defg").as_deref(), Some(code));
        assert_eq!(
            normalize_code(" 7K3M 2QXP 9ABC DEFG ").as_deref(),
            Some(code)
        );
        assert_eq!(
            normalize_code("O1IL-0000-0000-0000").as_deref(),
            Some("0111000000000000")
        );
        assert_eq!(normalize_code("7K3M-2QXP-9ABC-DEF"), None, "too short");
        assert_eq!(normalize_code("7K3M-2QXP-9ABC-DEFGH"), None, "too long");
        assert_eq!(
            normalize_code("UK3M-2QXP-9ABC-DEFG"),
            None,
            "U is not in the alphabet"
        );
        assert_eq!(normalize_code("<script>"), None);
        assert_eq!(normalize_code(""), None);
    }

    #[test]
    fn status_follows_revocation_and_the_expiry_date() {
        let last = Some(day(2029, 11, 23));
        assert_eq!(
            status_on(Status::Active, last, day(2029, 11, 23)),
            Status::Active
        );
        assert_eq!(
            status_on(Status::Active, last, day(2029, 11, 24)),
            Status::Expired
        );
        assert_eq!(
            status_on(Status::Revoked, last, day(2027, 1, 1)),
            Status::Revoked
        );
        assert_eq!(
            status_on(Status::Revoked, last, day(2030, 1, 1)),
            Status::Revoked
        );
        assert_eq!(
            status_on(Status::Active, None, day(2090, 1, 1)),
            Status::Active
        );
        assert_eq!(
            status_on(Status::Expired, last, day(2029, 1, 1)),
            Status::Expired
        );
    }

    #[test]
    fn the_search_compares_the_last_name_ignoring_case() {
        assert!(last_name_matches("Jordan Quill", "quill"));
        assert!(last_name_matches("Ana María de la Cruz", " CRUZ "));
        assert!(!last_name_matches("Jordan Quill", "Jordan"));
        assert!(!last_name_matches("Jordan Quill", ""));
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(long_date(day(2026, 11, 3)), "November 3, 2026");
    }

    #[test]
    fn courses_issue_their_credential() {
        assert_eq!(
            Kind::for_course("certification", true),
            Some(Kind::Coordinator)
        );
        assert_eq!(Kind::for_course("training", false), Some(Kind::Completion));
        assert_eq!(Kind::for_course("continuing_education", false), None);
    }
}
