//! The seed's calendar of upcoming offerings, in the organisation's usual pattern:
//!
//! - the coordinator class (CITC) once a month, on the third Tuesday and Wednesday,
//!   as a day class;
//! - the 911 class (CIT911) twice a month, on the first and on the third Thursday and
//!   Friday: a day class on the first, an evening class on the third, so that day and
//!   evening alternate.
//!
//! Every offering is two consecutive weekdays. The plan depends only on `today`.

use super::schedule::{consecutive_meetings, Meeting, Preset, ScheduleError};
use chrono::{Datelike, Months, NaiveDate, Weekday};
use chrono_tz::Tz;

/// Course code of the coordinator certification.
pub const COORDINATOR_COURSE: &str = "CITC";
/// Course code of the support training for 911.
pub const DISPATCH_COURSE: &str = "CIT911";
/// Every planned offering meets on this many consecutive days.
pub const DAYS: u32 = 2;

/// One offering the seed should create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedOffering {
    pub course_code: &'static str,
    pub first_day: NaiveDate,
    pub preset: Preset,
}

impl PlannedOffering {
    /// Its meetings, at the preset's hours in `zone`, on [`DAYS`] consecutive days.
    pub fn meetings(&self, zone: Tz) -> Result<Vec<Meeting>, ScheduleError> {
        let (start, end) = self.preset.local_hours();
        consecutive_meetings(self.first_day, DAYS, start, end, zone)
    }
}

/// The offerings whose first day falls after `today` and no later than `months` calendar
/// months after it, sorted by first day (then course code).
pub fn upcoming(today: NaiveDate, months: u32) -> Vec<PlannedOffering> {
    let Some(until) = today.checked_add_months(Months::new(months)) else {
        return Vec::new();
    };
    let mut plan: Vec<PlannedOffering> = month_starts(today, until)
        .flat_map(|(year, month)| month_pattern(year, month))
        .filter(|o| o.first_day > today && o.first_day <= until)
        .collect();
    plan.sort_by_key(|o| (o.first_day, o.course_code));
    plan
}

/// (year, month) from `from`'s month through `until`'s month.
fn month_starts(from: NaiveDate, until: NaiveDate) -> impl Iterator<Item = (i32, u32)> {
    let first = NaiveDate::from_ymd_opt(from.year(), from.month(), 1);
    std::iter::successors(first, |d| d.checked_add_months(Months::new(1)))
        .take_while(move |d| *d <= until)
        .map(|d| (d.year(), d.month()))
}

fn month_pattern(year: i32, month: u32) -> Vec<PlannedOffering> {
    let nth = |weekday, n| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n);
    let mut offerings = Vec::with_capacity(3);
    let mut add = |course_code, first_day: Option<NaiveDate>, preset| {
        if let Some(first_day) = first_day {
            offerings.push(PlannedOffering {
                course_code,
                first_day,
                preset,
            });
        }
    };
    add(COORDINATOR_COURSE, nth(Weekday::Tue, 3), Preset::Day);
    add(DISPATCH_COURSE, nth(Weekday::Thu, 1), Preset::Day);
    add(DISPATCH_COURSE, nth(Weekday::Thu, 3), Preset::Evening);
    offerings
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use std::collections::BTreeMap;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn per_month(plan: &[PlannedOffering], course: &str) -> BTreeMap<(i32, u32), usize> {
        let mut counts = BTreeMap::new();
        for o in plan.iter().filter(|o| o.course_code == course) {
            *counts
                .entry((o.first_day.year(), o.first_day.month()))
                .or_insert(0) += 1;
        }
        counts
    }

    #[test]
    fn a_known_month() {
        // November 2026: Thursdays 5 and 19, third Tuesday 17.
        let plan = upcoming(date(2026, 10, 31), 1);
        assert_eq!(
            plan,
            vec![
                PlannedOffering {
                    course_code: DISPATCH_COURSE,
                    first_day: date(2026, 11, 5),
                    preset: Preset::Day
                },
                PlannedOffering {
                    course_code: COORDINATOR_COURSE,
                    first_day: date(2026, 11, 17),
                    preset: Preset::Day
                },
                PlannedOffering {
                    course_code: DISPATCH_COURSE,
                    first_day: date(2026, 11, 19),
                    preset: Preset::Evening
                },
            ]
        );
    }

    #[test]
    fn counts_per_full_month() {
        // From the last day of a month, `months` whole months follow.
        for today in [date(2026, 11, 30), date(2027, 1, 31), date(2028, 2, 29)] {
            let plan = upcoming(today, 12);
            let coordinator = per_month(&plan, COORDINATOR_COURSE);
            let dispatch = per_month(&plan, DISPATCH_COURSE);
            assert_eq!(coordinator.len(), 12, "from {today}");
            assert!(coordinator.values().all(|&n| n == 1), "from {today}");
            assert_eq!(dispatch.len(), 12, "from {today}");
            assert!(dispatch.values().all(|&n| n == 2), "from {today}");
            assert_eq!(plan.len(), 36);
        }
    }

    #[test]
    fn dispatch_classes_alternate_day_and_evening() {
        let plan = upcoming(date(2026, 11, 23), 24);
        let presets: Vec<Preset> = plan
            .iter()
            .filter(|o| o.course_code == DISPATCH_COURSE)
            .map(|o| o.preset)
            .collect();
        assert!(presets.len() >= 46);
        assert!(presets.windows(2).all(|w| w[0] != w[1]), "{presets:?}");
        assert!(plan
            .iter()
            .filter(|o| o.course_code == COORDINATOR_COURSE)
            .all(|o| o.preset == Preset::Day));
    }

    #[test]
    fn strictly_after_today_sorted_and_within_the_window() {
        // Days that fall on a pattern day, just before one, and month ends.
        let mut today = date(2026, 1, 1);
        while today < date(2027, 1, 1) {
            let plan = upcoming(today, 3);
            let until = today.checked_add_months(Months::new(3)).unwrap();
            assert!(plan
                .iter()
                .all(|o| o.first_day > today && o.first_day <= until));
            assert!(plan.windows(2).all(|w| w[0].first_day <= w[1].first_day));
            // A window of three months always holds at least two whole months.
            assert!(plan.len() >= 6, "from {today}: {plan:?}");
            today = today.checked_add_days(Days::new(1)).unwrap();
        }
        // An offering that starts today is not upcoming.
        let thursday = date(2026, 11, 5);
        assert!(upcoming(thursday, 1)
            .iter()
            .all(|o| o.first_day != thursday));
        assert_eq!(upcoming(date(2026, 11, 4), 1)[0].first_day, thursday);
    }

    #[test]
    fn both_days_are_weekdays() {
        for o in upcoming(date(2026, 11, 23), 36) {
            let second = o.first_day.succ_opt().unwrap();
            for day in [o.first_day, second] {
                assert!(
                    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                    "{o:?} meets on {}",
                    day.weekday()
                );
            }
            assert!(!matches!(
                o.first_day.weekday(),
                Weekday::Fri | Weekday::Sat
            ));
        }
    }

    #[test]
    fn deterministic_and_empty_for_zero_months() {
        let today = date(2026, 11, 23);
        assert_eq!(upcoming(today, 6), upcoming(today, 6));
        assert!(upcoming(today, 0).is_empty());
        assert!(upcoming(NaiveDate::MAX, 1).is_empty());
    }

    #[test]
    fn planned_meetings_use_the_preset_hours() {
        let o = PlannedOffering {
            course_code: DISPATCH_COURSE,
            first_day: date(2026, 11, 19),
            preset: Preset::Evening,
        };
        let meetings = o.meetings(chrono_tz::America::Denver).unwrap();
        assert_eq!(meetings.len(), 2);
        // 4:00 pm MST is 23:00 UTC.
        assert_eq!(
            meetings[0].starts_at.to_rfc3339(),
            "2026-11-19T23:00:00+00:00"
        );
        assert_eq!(
            meetings[1].ends_at.to_rfc3339(),
            "2026-11-21T03:00:00+00:00"
        );
    }
}
