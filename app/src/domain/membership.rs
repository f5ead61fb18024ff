//! Membership: the record a coordinator certificate carries, and a person's standing.
//!
//! **Life cycle.** A membership is created *active* with its certificate (issue or import),
//! and moves only with it, in the same transaction:
//!
//! | event (who) | certificate | membership |
//! |---|---|---|
//! | issue on a pass (the system), import (an administrator) | → active | created active, `ends_on` = expiry |
//! | renewal from CE hours (the system) | expiry + 3 years | `ends_on` = the new expiry, active again |
//! | expiry after the last valid day (the expiry job) | → expired | → ended |
//! | revocation (an administrator) | → revoked | → ended |
//!
//! An ended membership never becomes active again except by the renewal of its own
//! certificate (a late renewal brings it back); recertifying after a lapse or a revocation
//! issues a new certificate with a new membership. [`next`] holds these transitions.
//!
//! **Standing.** A person is a member on a day when one of their memberships is active, its
//! certificate is not revoked, and the day is on or before `ends_on` (the expiry job may not
//! have marked a lapse yet; the date decides). The resource area's gate reads this same
//! standing (see `resource::door`).

use super::certificate::{long_date, status_on, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A membership's stored status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MembershipStatus {
    Active,
    Ended,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Active => "active",
            MembershipStatus::Ended => "ended",
        }
    }

    /// The stored form; anything else is not a membership status.
    pub fn parse(s: &str) -> Option<MembershipStatus> {
        match s {
            "active" => Some(MembershipStatus::Active),
            "ended" => Some(MembershipStatus::Ended),
            _ => None,
        }
    }
}

/// What happens to the certificate a membership follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Renewed,
    Expired,
    Revoked,
}

/// The membership's status after `event`, or `None` when the event cannot happen to a
/// membership in `from` (an ended membership is not expired or revoked again).
pub fn next(from: MembershipStatus, event: Event) -> Option<MembershipStatus> {
    match (from, event) {
        (_, Event::Renewed) => Some(MembershipStatus::Active),
        (MembershipStatus::Active, Event::Expired | Event::Revoked) => {
            Some(MembershipStatus::Ended)
        }
        (MembershipStatus::Ended, _) => None,
    }
}

/// One of a person's memberships, with what its certificate says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub status: MembershipStatus,
    pub certificate: Status,
    /// The last day of membership (the certificate's expiry).
    pub ends_on: NaiveDate,
    /// The day it was ended (expiry job or revocation), if it was.
    pub ended_on: Option<NaiveDate>,
}

/// Why a membership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// The certificate expired: renewing (or recertifying) brings it back.
    Expired,
    /// The certificate was revoked.
    Revoked,
}

/// Where a person stands as a member on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// A member through this day (the longest-running membership, if several).
    Member { through: NaiveDate },
    /// No longer a member: the last membership ended on this day, for this reason.
    Ended { on: NaiveDate, why: EndReason },
    /// Never a member.
    Never,
}

impl Standing {
    pub fn is_member(self) -> bool {
        matches!(self, Standing::Member { .. })
    }

    /// The sentence the person and staff read.
    pub fn describe(self) -> String {
        match self {
            Standing::Member { through } => format!("Member through {}", long_date(through)),
            Standing::Ended { on, why } => format!(
                "Membership ended {} ({})",
                long_date(on),
                match why {
                    EndReason::Expired => "the certificate expired",
                    EndReason::Revoked => "the certificate was revoked",
                }
            ),
            Standing::Never => "Not a member".to_owned(),
        }
    }
}

/// The standing of a person holding `held` on `today`. Any current membership wins; of
/// ended ones, an expiry is named before a revocation (renewing is what the person can do),
/// the latest of each.
pub fn standing(held: &[Held], today: NaiveDate) -> Standing {
    let current = held
        .iter()
        .filter(|h| {
            h.status == MembershipStatus::Active
                && status_on(h.certificate, Some(h.ends_on), today) == Status::Active
        })
        .map(|h| h.ends_on)
        .max();
    if let Some(through) = current {
        return Standing::Member { through };
    }
    let expired = held
        .iter()
        .filter(|h| h.certificate != Status::Revoked)
        .map(|h| h.ends_on)
        .max();
    if let Some(on) = expired {
        return Standing::Ended {
            on,
            why: EndReason::Expired,
        };
    }
    held.iter()
        .map(|h| h.ended_on.unwrap_or(h.ends_on))
        .max()
        .map_or(Standing::Never, |on| Standing::Ended {
            on,
            why: EndReason::Revoked,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn held(status: MembershipStatus, certificate: Status, ends_on: NaiveDate) -> Held {
        Held {
            status,
            certificate,
            ends_on,
            ended_on: None,
        }
    }

    #[test]
    fn a_member_through_the_last_day_and_not_the_day_after() {
        let h = [held(
            MembershipStatus::Active,
            Status::Active,
            day(2029, 6, 18),
        )];
        assert_eq!(
            standing(&h, day(2029, 6, 18)),
            Standing::Member {
                through: day(2029, 6, 18)
            }
        );
        // Before the expiry job has run, the date decides.
        assert_eq!(
            standing(&h, day(2029, 6, 19)),
            Standing::Ended {
                on: day(2029, 6, 18),
                why: EndReason::Expired
            }
        );
        assert_eq!(
            standing(&h, day(2029, 6, 18)).describe(),
            "Member through June 18, 2029"
        );
    }

    #[test]
    fn revocation_ends_it_on_the_day_it_happened() {
        let h = [Held {
            ended_on: Some(day(2027, 2, 1)),
            ..held(MembershipStatus::Ended, Status::Revoked, day(2029, 6, 18))
        }];
        let s = standing(&h, day(2027, 3, 1));
        assert_eq!(
            s,
            Standing::Ended {
                on: day(2027, 2, 1),
                why: EndReason::Revoked
            }
        );
        assert_eq!(
            s.describe(),
            "Membership ended February 1, 2027 (the certificate was revoked)"
        );
        // An active row whose certificate was revoked (never stored so, but read safely).
        let odd = [held(
            MembershipStatus::Active,
            Status::Revoked,
            day(2029, 6, 18),
        )];
        assert!(!standing(&odd, day(2027, 3, 1)).is_member());
    }

    #[test]
    fn a_new_certificate_after_a_lapse_makes_a_member_again() {
        let h = [
            held(MembershipStatus::Ended, Status::Expired, day(2026, 1, 31)),
            held(MembershipStatus::Active, Status::Active, day(2030, 5, 1)),
        ];
        assert_eq!(
            standing(&h, day(2027, 5, 1)),
            Standing::Member {
                through: day(2030, 5, 1)
            }
        );
        assert_eq!(standing(&[], day(2027, 5, 1)), Standing::Never);
        assert_eq!(standing(&[], day(2027, 5, 1)).describe(), "Not a member");
    }

    #[test]
    fn transitions_follow_the_certificate() {
        use MembershipStatus::*;
        assert_eq!(next(Active, Event::Expired), Some(Ended));
        assert_eq!(next(Active, Event::Revoked), Some(Ended));
        assert_eq!(next(Ended, Event::Renewed), Some(Active));
        assert_eq!(next(Active, Event::Renewed), Some(Active));
        assert_eq!(next(Ended, Event::Expired), None);
        assert_eq!(next(Ended, Event::Revoked), None);
        for s in [Active, Ended] {
            assert_eq!(MembershipStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(MembershipStatus::parse("paused"), None);
    }
}
