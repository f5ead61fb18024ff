//! The figures of the administrators' reports: the date range asked for, months in the
//! organisation's calendar (America/Denver), zero-filled monthly counts, rates, and the
//! standing of a certificate for the certificates report. No clock inside: `today` is passed.

use crate::{
    domain::certificate::{status_on, Status},
    error::AppError,
};
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Denver;

/// The longest range a report covers: ten years of monthly bars is already too many to read.
pub const MAX_MONTHS: usize = 120;

/// A certificate counts as expiring when its last valid day is at most this many days away.
pub const EXPIRING_WITHIN_DAYS: u64 = 90;

/// A calendar month in the organisation's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl Month {
    pub fn of_day(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month an instant falls in, on the organisation's calendar: a registration made at
    /// 11 pm in Denver on 31 January is January's, although it is February in UTC.
    pub fn of(at: DateTime<Utc>) -> Month {
        Month::of_day(at.with_timezone(&Denver).date_naive())
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// "2026-03", for spreadsheets and sorting.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "Mar 2026", for charts and tables.
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let name = NAMES.get(self.month as usize - 1).copied().unwrap_or("?");
        format!("{name} {}", self.year)
    }
}

/// The days a report covers, both ends included, on the organisation's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    /// The range asked for in a form ("YYYY-MM-DD" each, either empty): by default the twelve
    /// months up to and including today's.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<Self, AppError> {
        let to = match day(to, "to")? {
            Some(d) => d,
            None => today,
        };
        let from = match day(from, "from")? {
            Some(d) => d,
            None => first_of_month(to)
                .checked_sub_months(Months::new(11))
                .unwrap_or(to),
        };
        if from > to {
            return Err(AppError::invalid(
                "from",
                "The first day must be on or before the last day.",
            ));
        }
        let range = DateRange { from, to };
        if range.months().len() > MAX_MONTHS {
            return Err(AppError::invalid(
                "from",
                "Choose a range of ten years or less.",
            ));
        }
        Ok(range)
    }

    /// Every month the range touches, in order (so months with nothing show as zero).
    pub fn months(&self) -> Vec<Month> {
        let last = Month::of_day(self.to);
        let mut m = Month::of_day(self.from);
        let mut out = vec![m];
        while m < last {
            m = m.next();
            out.push(m);
        }
        out
    }

    /// The UTC instants the range runs between: from the first day's midnight in Denver
    /// (included) to the midnight after the last day (excluded).
    pub fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let after = self.to.succ_opt().unwrap_or(self.to);
        (start_of_day(self.from), start_of_day(after))
    }
}

/// The instant a Denver day begins (the earliest, should a clock change ever fall there).
pub fn start_of_day(d: NaiveDate) -> DateTime<Utc> {
    let midnight = d.and_time(chrono::NaiveTime::MIN);
    Denver
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn day(value: Option<&str>, field: &str) -> Result<Option<NaiveDate>, AppError> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD.")),
    }
}

/// How many instants fall in each of `months` (zero for months with none); instants outside
/// them are not counted.
pub fn count_by_month(instants: &[DateTime<Utc>], months: &[Month]) -> Vec<u64> {
    let mut counts = vec![0; months.len()];
    for at in instants {
        if let Ok(i) = months.binary_search(&Month::of(*at)) {
            counts[i] += 1;
        }
    }
    counts
}

/// Of the outcomes in each month, how many were successes and how many there were in all:
/// (successes, total) per month.
pub fn tally_by_month(outcomes: &[(DateTime<Utc>, bool)], months: &[Month]) -> Vec<(u64, u64)> {
    let mut tallies = vec![(0, 0); months.len()];
    for (at, ok) in outcomes {
        if let Ok(i) = months.binary_search(&Month::of(*at)) {
            tallies[i].1 += 1;
            if *ok {
                tallies[i].0 += 1;
            }
        }
    }
    tallies
}

/// `part` of `whole` as a whole percent, halves rounded up (2 of 3 is 67%); `None` when there
/// is nothing to divide by, which the report shows as "no data" rather than as 0%.
pub fn percent(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (200 * part + whole) / (2 * whole))
}

/// Where a certificate stands for the certificates report, on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Active with more than [`EXPIRING_WITHIN_DAYS`] left (or never expiring).
    Active,
    /// Active, its last valid day within [`EXPIRING_WITHIN_DAYS`] from today.
    Expiring,
    Expired,
    Revoked,
}

impl Standing {
    pub const ALL: [Standing; 4] = [
        Standing::Active,
        Standing::Expiring,
        Standing::Expired,
        Standing::Revoked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Standing::Active => "Active, more than 90 days left",
            Standing::Expiring => "Active, expiring within 90 days",
            Standing::Expired => "Expired",
            Standing::Revoked => "Revoked",
        }
    }

    /// The standing of a certificate stored as `stored` with last valid day `expires_on`.
    pub fn of(stored: Status, expires_on: Option<NaiveDate>, today: NaiveDate) -> Standing {
        match status_on(stored, expires_on, today) {
            Status::Revoked => Standing::Revoked,
            Status::Expired => Standing::Expired,
            Status::Active => {
                let soon = today
                    .checked_add_days(chrono::Days::new(EXPIRING_WITHIN_DAYS))
                    .unwrap_or(today);
                match expires_on {
                    Some(last) if last <= soon => Standing::Expiring,
                    _ => Standing::Active,
                }
            }
        }
    }
}

/// How many certificates stand where, in the order of [`Standing::ALL`].
pub fn count_standings(standings: &[Standing]) -> Vec<u64> {
    Standing::ALL
        .iter()
        .map(|s| standings.iter().filter(|x| *x == s).count() as u64)
        .collect()
}

/// Whether a marked attendance counts as attended for the attendance rate: present, late or
/// left early, or made up. Excused and absent do not.
pub fn attended(status: &str, made_up: bool) -> bool {
    made_up || matches!(status, "present" | "late" | "left_early")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn default_range_is_the_twelve_months_up_to_today() {
        let r = DateRange::parse(None, Some(""), d("2026-11-24")).unwrap();
        assert_eq!(r.from, d("2025-12-01"));
        assert_eq!(r.to, d("2026-11-24"));
        assert_eq!(r.months().len(), 12);
        assert_eq!(r.months()[0].key(), "2025-12");
        assert_eq!(r.months()[11].label(), "Nov 2026");
    }

    #[test]
    fn bad_ranges_are_refused_naming_the_field() {
        let today = d("2026-11-24");
        let e = DateRange::parse(Some("2026-02-30"), None, today).unwrap_err();
        assert_eq!(
            e.field_message("from").as_deref(),
            Some("Enter a date as YYYY-MM-DD.")
        );
        let e = DateRange::parse(None, Some("soon"), today).unwrap_err();
        assert!(e.field_message("to").is_some());
        let e = DateRange::parse(Some("2026-05-02"), Some("2026-05-01"), today).unwrap_err();
        assert!(e.field_message("from").unwrap().contains("on or before"));
        assert!(DateRange::parse(Some("2010-01-01"), Some("2026-01-01"), today).is_err());
        assert!(DateRange::parse(Some("2017-01-01"), Some("2026-12-31"), today).is_ok());
    }

    #[test]
    fn months_run_across_a_new_year() {
        let r = DateRange {
            from: d("2025-11-15"),
            to: d("2026-02-01"),
        };
        let keys: Vec<_> = r.months().into_iter().map(Month::key).collect();
        assert_eq!(keys, ["2025-11", "2025-12", "2026-01", "2026-02"]);
    }

    #[test]
    fn instants_are_denver_midnights() {
        let r = DateRange {
            from: d("2026-01-01"),
            to: d("2026-06-30"),
        };
        let (start, end) = r.instants();
        assert_eq!(start, at("2026-01-01T07:00:00Z"));
        // Summer time: UTC-6.
        assert_eq!(end, at("2026-07-01T06:00:00Z"));
    }

    #[test]
    fn counts_are_zero_filled_and_bucketed_in_denver() {
        let months = DateRange {
            from: d("2026-01-01"),
            to: d("2026-03-31"),
        }
        .months();
        let instants = [
            at("2026-01-10T12:00:00Z"),
            // 11 pm on 31 January in Denver: January's, though February in UTC.
            at("2026-02-01T06:00:00Z"),
            at("2026-03-05T12:00:00Z"),
            // Outside the months: not counted.
            at("2026-04-01T12:00:00Z"),
        ];
        assert_eq!(count_by_month(&instants, &months), vec![2, 0, 1]);
        let outcomes = [
            (at("2026-01-10T12:00:00Z"), true),
            (at("2026-01-11T12:00:00Z"), false),
            (at("2026-03-11T12:00:00Z"), true),
        ];
        assert_eq!(
            tally_by_month(&outcomes, &months),
            vec![(1, 2), (0, 0), (1, 1)]
        );
    }

    #[test]
    fn percents_round_half_up_and_say_when_there_is_no_data() {
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(1, 8), Some(13)); // 12.5
        assert_eq!(percent(0, 5), Some(0));
        assert_eq!(percent(5, 5), Some(100));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn standings_at_the_ninety_day_edge() {
        let today = d("2026-11-24");
        let s = |status, exp: Option<&str>| Standing::of(status, exp.map(d), today);
        assert_eq!(s(Status::Active, Some("2027-02-22")), Standing::Expiring); // exactly 90 days
        assert_eq!(s(Status::Active, Some("2027-02-23")), Standing::Active); // 91
        assert_eq!(s(Status::Active, Some("2026-11-24")), Standing::Expiring); // last day today
        assert_eq!(s(Status::Active, Some("2026-11-23")), Standing::Expired); // job not yet run
        assert_eq!(s(Status::Active, None), Standing::Active);
        assert_eq!(s(Status::Revoked, Some("2029-01-01")), Standing::Revoked);
        assert_eq!(s(Status::Expired, Some("2026-01-01")), Standing::Expired);
        let all = [
            Standing::Active,
            Standing::Expired,
            Standing::Active,
            Standing::Revoked,
        ];
        assert_eq!(count_standings(&all), vec![2, 0, 1, 1]);
    }

    #[test]
    fn attended_means_there_or_made_up() {
        assert!(attended("present", false));
        assert!(attended("late", false));
        assert!(attended("left_early", false));
        assert!(attended("absent", true));
        assert!(!attended("absent", false));
        assert!(!attended("excused", false));
    }
}
