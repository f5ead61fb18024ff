//! Renewal of a coordinator certificate by continuing education (CE). Plain functions: the
//! caller passes the certificate's dates, the CE credits and today's date (the
//! organisation's calendar day).
//!
//! Rules:
//! - A certificate's current **period** runs from its start (the issue date, or the old
//!   expiry date after a renewal) through its expiry date (its last valid day).
//! - The **renewal window** is the period's third year: from start + 2 calendar years (29
//!   February going to 28 February, as for expiry) through the expiry date, plus the grace
//!   period if one is configured. CE counts only when completed inside the window: the day
//!   before it opens does not count, its first day does, and so does the last valid day.
//! - When the CE hours in the window reach the requirement (default 4), the certificate is
//!   **renewed**: the new expiry is the old one plus three calendar years (no gap, no lost
//!   days: the new period starts on the old expiry date). The number stays the same; the
//!   certificate counts its renewals.
//! - Without renewal it expires the day after its expiry date (see `certificate`). During a
//!   grace period (default none) it can still be renewed, from the old expiry date.

use super::certificate::{expiry, long_date};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The configurable part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// CE hours needed inside the window.
    pub hours_needed: i64,
    /// Days after the expiry date during which a lapsed certificate can still be renewed.
    pub grace_days: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            hours_needed: 4,
            grace_days: 0,
        }
    }
}

/// The renewal window of a period: `opens_on` through `closes_on`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_on: NaiveDate,
    /// The expiry date (the last valid day).
    pub expires_on: NaiveDate,
    /// The last day CE counts and renewal is possible: the expiry date plus the grace.
    pub closes_on: NaiveDate,
}

impl Window {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.opens_on <= day && day <= self.closes_on
    }
}

/// The window of the period that started on `starts_on` and is valid through `expires_on`.
pub fn window(starts_on: NaiveDate, expires_on: NaiveDate, policy: Policy) -> Window {
    Window {
        opens_on: starts_on
            .checked_add_months(Months::new(24))
            .unwrap_or(NaiveDate::MAX),
        expires_on,
        closes_on: expires_on
            .checked_add_days(chrono::Days::new(policy.grace_days))
            .unwrap_or(NaiveDate::MAX),
    }
}

/// One piece of continuing education: an attended CE class (the attendance rule met) or CE
/// done elsewhere and recorded by an administrator (approved or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    /// The day it was completed (a class: its last session's day in the organisation's zone).
    pub completed_on: NaiveDate,
    pub hours: i64,
    /// Attendance rule met, or approved by an administrator.
    pub counts: bool,
}

impl Credit {
    /// Whether it counts toward renewal in `window`: it counts, and was completed inside.
    pub fn counts_in(&self, window: &Window) -> bool {
        self.counts && window.contains(self.completed_on)
    }
}

/// The CE hours that count toward renewal in `window`.
pub fn hours_in_window(credits: &[Credit], window: &Window) -> i64 {
    credits
        .iter()
        .filter(|c| c.counts_in(window))
        .map(|c| c.hours.max(0))
        .sum()
}

/// Where a certificate stands toward renewal on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Before the window: CE does not count yet.
    NotYet,
    /// In the window, short of the requirement.
    Collecting,
    /// In the window with enough hours: renew now.
    Ready,
    /// Past the window (and the grace): expired for good; certify again.
    Closed,
}

pub fn standing(window: &Window, hours: i64, policy: Policy, today: NaiveDate) -> Standing {
    if today < window.opens_on {
        Standing::NotYet
    } else if today > window.closes_on {
        Standing::Closed
    } else if hours >= policy.hours_needed {
        Standing::Ready
    } else {
        Standing::Collecting
    }
}

/// The expiry after renewing a certificate that expires (or expired) on `old_expiry`: three
/// calendar years later, the new period starting on the old expiry date.
pub fn renewed_expiry(old_expiry: NaiveDate) -> NaiveDate {
    expiry(old_expiry)
}

/// The reminders a holder is sent about one period, each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reminder {
    WindowOpens,
    Days90,
    Days30,
    Days7,
    Expired,
}

impl Reminder {
    /// In the order they fall due.
    pub const ALL: [Reminder; 5] = [
        Reminder::WindowOpens,
        Reminder::Days90,
        Reminder::Days30,
        Reminder::Days7,
        Reminder::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reminder::WindowOpens => "window_opens",
            Reminder::Days90 => "expires_in_90_days",
            Reminder::Days30 => "expires_in_30_days",
            Reminder::Days7 => "expires_in_7_days",
            Reminder::Expired => "expired",
        }
    }

    /// The day it falls due in `window`.
    pub fn due_on(self, window: &Window) -> NaiveDate {
        let before = |days| {
            window
                .expires_on
                .checked_sub_days(chrono::Days::new(days))
                .unwrap_or(NaiveDate::MIN)
        };
        match self {
            Reminder::WindowOpens => window.opens_on,
            Reminder::Days90 => before(90),
            Reminder::Days30 => before(30),
            Reminder::Days7 => before(7),
            Reminder::Expired => window
                .expires_on
                .checked_add_days(chrono::Days::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }
}

/// The reminder to send on `today`, if any: the latest one that has fallen due. Earlier ones
/// that were missed (a server down for a week, a certificate imported late) are not sent
/// late on top of it: one message says where things stand. The caller records each one
/// sent, so none goes twice.
pub fn due_reminder(window: &Window, today: NaiveDate) -> Option<Reminder> {
    Reminder::ALL
        .into_iter()
        .rev()
        .find(|r| r.due_on(window) <= today)
        // An expiry notice is news for a month; after that there is nothing to remind of.
        .filter(|r| {
            *r != Reminder::Expired
                || today
                    <= r.due_on(window)
                        .checked_add_days(chrono::Days::new(30))
                        .unwrap_or(NaiveDate::MAX)
        })
}

/// Outbox kinds of the renewal messages.
pub const KIND_RENEWED: &str = "certificate_renewed";
pub const KIND_REMINDER: &str = "renewal_reminder";

/// The message confirming a renewal: (subject, body).
pub fn renewed_mail(
    name: &str,
    number: &str,
    valid_through: NaiveDate,
    certificates_link: &str,
) -> (String, String) {
    let through = long_date(valid_through);
    (
        format!("Your CIT coordinator certification is renewed through {through}"),
        format!(
            "Hello {name},\n\n\
             Thank you for your continuing education: your coordinator certificate {number} is \
             renewed and valid through {through}, and your membership with it. The certificate \
             with its new date is ready to download from your certificates page:\n\n\
             {certificates_link}\n\nCIT Academy\n"
        ),
    )
}

/// A reminder about renewal: (subject, body).
pub fn reminder_mail(
    reminder: Reminder,
    name: &str,
    window: &Window,
    hours: i64,
    needed: i64,
    dashboard_link: &str,
) -> (String, String) {
    let through = long_date(window.expires_on);
    let subject = match reminder {
        Reminder::WindowOpens => "Your CIT certification renewal window is open".to_owned(),
        Reminder::Days90 => format!("Your CIT certification expires in 90 days ({through})"),
        Reminder::Days30 => format!("Your CIT certification expires in 30 days ({through})"),
        Reminder::Days7 => format!("Your CIT certification expires in 7 days ({through})"),
        Reminder::Expired => "Your CIT certification has expired".to_owned(),
    };
    let news = match reminder {
        Reminder::Expired => format!(
            "Your coordinator certificate was valid through {through}. It has expired, your \
             membership has ended and the resource library is closed to you."
        ),
        _ => format!(
            "Your coordinator certificate is valid through {through}. Continuing education \
             attended from {} through {through} counts toward renewal: you have {hours} of the \
             {needed} hours needed.",
            long_date(window.opens_on)
        ),
    };
    (
        subject,
        format!(
            "Hello {name},\n\n{news}\n\nYour dashboard shows your hours and the continuing-education \
             classes that count:\n\n{dashboard_link}\n\nCIT Academy\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// Issued 18 June 2026: valid through 18 June 2029, window from 18 June 2028.
    fn june() -> Window {
        window(day(2026, 6, 18), day(2029, 6, 18), Policy::default())
    }

    fn credit(on: NaiveDate, hours: i64) -> Credit {
        Credit {
            completed_on: on,
            hours,
            counts: true,
        }
    }

    #[test]
    fn the_window_is_the_third_year() {
        let w = june();
        assert_eq!(w.opens_on, day(2028, 6, 18));
        assert_eq!(w.closes_on, day(2029, 6, 18));
        assert!(!w.contains(day(2028, 6, 17)), "the day before it opens");
        assert!(w.contains(day(2028, 6, 18)), "its first day");
        assert!(w.contains(day(2029, 6, 18)), "the last valid day");
        assert!(!w.contains(day(2029, 6, 19)), "the day after expiry");
    }

    #[test]
    fn ce_counts_only_inside_the_window_and_when_it_counts() {
        let w = june();
        let credits = [
            credit(day(2028, 6, 17), 2), // a day early: does not count
            credit(day(2028, 6, 18), 2), // first day: counts
            credit(day(2029, 6, 18), 1), // last day: counts
            credit(day(2029, 6, 19), 8), // too late
            Credit {
                completed_on: day(2028, 9, 1),
                hours: 3,
                counts: false, // not approved, or attendance short
            },
        ];
        assert_eq!(hours_in_window(&credits, &w), 3);
    }

    #[test]
    fn standing_follows_the_window_and_the_hours() {
        let w = june();
        let p = Policy::default();
        assert_eq!(standing(&w, 8, p, day(2028, 6, 17)), Standing::NotYet);
        assert_eq!(standing(&w, 2, p, day(2028, 6, 18)), Standing::Collecting);
        assert_eq!(standing(&w, 4, p, day(2028, 6, 18)), Standing::Ready);
        assert_eq!(standing(&w, 4, p, day(2029, 6, 18)), Standing::Ready);
        assert_eq!(standing(&w, 4, p, day(2029, 6, 19)), Standing::Closed);
    }

    #[test]
    fn a_grace_period_allows_late_ce_and_renewal() {
        let p = Policy {
            hours_needed: 4,
            grace_days: 30,
        };
        let w = window(day(2026, 6, 18), day(2029, 6, 18), p);
        assert_eq!(w.closes_on, day(2029, 7, 18));
        assert!(w.contains(day(2029, 7, 18)) && !w.contains(day(2029, 7, 19)));
        assert_eq!(standing(&w, 4, p, day(2029, 7, 1)), Standing::Ready);
        // Renewed late, it still runs from the old expiry: no days gained.
        assert_eq!(renewed_expiry(w.expires_on), day(2032, 6, 18));
    }

    #[test]
    fn renewal_runs_three_years_from_the_old_expiry_and_29_february_goes_to_28() {
        assert_eq!(renewed_expiry(day(2029, 6, 18)), day(2032, 6, 18));
        // Issued 29 Feb 2028: valid through 28 Feb 2031, window from 28 Feb 2030.
        let issued = day(2028, 2, 29);
        let first = expiry(issued);
        assert_eq!(first, day(2031, 2, 28));
        let w = window(issued, first, Policy::default());
        assert_eq!(w.opens_on, day(2030, 2, 28));
        assert!(!w.contains(day(2030, 2, 27)) && w.contains(day(2030, 2, 28)));
        assert_eq!(renewed_expiry(first), day(2034, 2, 28));
        // An expiry on 29 February (an imported certificate) renews to 28 February.
        assert_eq!(renewed_expiry(day(2032, 2, 29)), day(2035, 2, 28));
        // The renewed period's window opens two years after the old expiry.
        let next = window(first, renewed_expiry(first), Policy::default());
        assert_eq!(next.opens_on, day(2033, 2, 28));
    }

    #[test]
    fn each_reminder_falls_due_on_its_day_and_only_the_latest_is_sent() {
        let w = june();
        assert_eq!(due_reminder(&w, day(2028, 6, 17)), None);
        assert_eq!(
            due_reminder(&w, day(2028, 6, 18)),
            Some(Reminder::WindowOpens)
        );
        // 90 days before 18 June 2029 is 20 March 2029.
        assert_eq!(Reminder::Days90.due_on(&w), day(2029, 3, 20));
        assert_eq!(
            due_reminder(&w, day(2029, 3, 19)),
            Some(Reminder::WindowOpens)
        );
        assert_eq!(due_reminder(&w, day(2029, 3, 20)), Some(Reminder::Days90));
        assert_eq!(due_reminder(&w, day(2029, 5, 19)), Some(Reminder::Days30));
        assert_eq!(due_reminder(&w, day(2029, 6, 11)), Some(Reminder::Days7));
        assert_eq!(due_reminder(&w, day(2029, 6, 18)), Some(Reminder::Days7));
        assert_eq!(due_reminder(&w, day(2029, 6, 19)), Some(Reminder::Expired));
        assert_eq!(due_reminder(&w, day(2029, 7, 19)), Some(Reminder::Expired));
        assert_eq!(due_reminder(&w, day(2029, 7, 20)), None);
    }
}
