//! Registration rules: who may register when, what status a new registration gets, who may
//! cancel, and who moves up from the waitlist.

use super::catalog::Eligibility;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegistrationStatus {
    /// Holds a seat; waits for an administrator to confirm eligibility.
    PendingApproval,
    /// Holds a seat.
    Confirmed,
    /// No seat yet; first in line gets the next one.
    Waitlisted,
    Rejected,
    Cancelled,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 5] = [
        RegistrationStatus::PendingApproval,
        RegistrationStatus::Confirmed,
        RegistrationStatus::Waitlisted,
        RegistrationStatus::Rejected,
        RegistrationStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::PendingApproval => "pending_approval",
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Rejected => "rejected",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegistrationStatus::PendingApproval => "Waiting for approval",
            RegistrationStatus::Confirmed => "Confirmed",
            RegistrationStatus::Waitlisted => "On the waitlist",
            RegistrationStatus::Rejected => "Not approved",
            RegistrationStatus::Cancelled => "Cancelled",
        }
    }

    /// Still in play: counts against "one registration per offering".
    pub fn is_live(self) -> bool {
        !matches!(
            self,
            RegistrationStatus::Rejected | RegistrationStatus::Cancelled
        )
    }

    /// Occupies one of the offering's seats.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            RegistrationStatus::PendingApproval | RegistrationStatus::Confirmed
        )
    }
}

impl FromStr for RegistrationStatus {
    type Err = super::catalog::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| super::catalog::UnknownValue(s.to_owned()))
    }
}

/// What happens to a registration after it is made (`status_with_seat` gives its first
/// status), and who causes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The attendee (before the class starts, `may_cancel`) or an administrator.
    Cancel,
    /// The system, when a seat frees up: the first on the waitlist moves up (to waiting for
    /// approval when the course needs it).
    SeatFreed { needs_approval: bool },
    /// An administrator confirms the person's eligibility (the 911 course).
    Approve,
    /// An administrator refuses it.
    Reject,
}

/// The status after `event`, or `None` when it cannot happen: a cancelled or rejected
/// registration never comes back (the person registers again), and only a waitlisted one
/// moves up.
pub fn next(from: RegistrationStatus, event: Event) -> Option<RegistrationStatus> {
    use RegistrationStatus::*;
    match (from, event) {
        (PendingApproval | Confirmed | Waitlisted, Event::Cancel) => Some(Cancelled),
        (Waitlisted, Event::SeatFreed { needs_approval }) => Some(if needs_approval {
            PendingApproval
        } else {
            Confirmed
        }),
        (PendingApproval, Event::Approve) => Some(Confirmed),
        (PendingApproval, Event::Reject) => Some(Rejected),
        _ => None,
    }
}

/// The status a registration gets when it is made, or when it leaves the waitlist: a seat
/// means confirmed, unless the course needs an administrator to confirm eligibility first.
pub fn status_with_seat(got_seat: bool, eligibility: Eligibility) -> RegistrationStatus {
    match (got_seat, needs_approval(eligibility)) {
        (false, _) => RegistrationStatus::Waitlisted,
        (true, true) => RegistrationStatus::PendingApproval,
        (true, false) => RegistrationStatus::Confirmed,
    }
}

/// Courses whose eligibility a person declares and an administrator confirms.
pub fn needs_approval(eligibility: Eligibility) -> bool {
    matches!(eligibility, Eligibility::CallCenterStaff)
}

/// Why someone may not register now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterRefusal {
    #[error("This class was cancelled.")]
    OfferingCancelled,
    #[error("This class has already taken place.")]
    AlreadyStarted,
    #[error("Registration for this class opens on {0}.")]
    NotOpenYet(String),
    #[error("Registration for this class has closed.")]
    Closed,
    #[error("You are already registered for this class. See your dashboard.")]
    AlreadyRegistered,
    #[error(
        "This course is only for coordinators who hold an active CIT coordinator certificate."
    )]
    NeedsActiveCertificate,
}

/// The facts about an offering that decide whether registration is open.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub cancelled: bool,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub first_meeting_starts_at: DateTime<Utc>,
}

/// Whether a person may register at `now`. `opens_label` is how the opening date is written
/// in the message (the caller knows the person's time zone).
pub fn may_register(
    window: Window,
    now: DateTime<Utc>,
    already_live: bool,
    holds_active_certificate: bool,
    eligibility: Eligibility,
    opens_label: &str,
) -> Result<(), RegisterRefusal> {
    if window.cancelled {
        return Err(RegisterRefusal::OfferingCancelled);
    }
    if now >= window.first_meeting_starts_at {
        return Err(RegisterRefusal::AlreadyStarted);
    }
    if now < window.opens_at {
        return Err(RegisterRefusal::NotOpenYet(opens_label.to_owned()));
    }
    if now >= window.closes_at {
        return Err(RegisterRefusal::Closed);
    }
    if already_live {
        return Err(RegisterRefusal::AlreadyRegistered);
    }
    if eligibility == Eligibility::ActiveCoordinator && !holds_active_certificate {
        return Err(RegisterRefusal::NeedsActiveCertificate);
    }
    Ok(())
}

/// A person may cancel a live registration until the first meeting starts.
pub fn may_cancel(
    status: RegistrationStatus,
    first_meeting_starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), &'static str> {
    if !status.is_live() {
        return Err("This registration is no longer active.");
    }
    if now >= first_meeting_starts_at {
        return Err("The class has started; registrations can no longer be cancelled. Please contact the training office.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_only_go_where_the_rules_allow() {
        use RegistrationStatus::*;
        for from in [PendingApproval, Confirmed, Waitlisted] {
            assert_eq!(next(from, Event::Cancel), Some(Cancelled));
        }
        for from in [Rejected, Cancelled] {
            for e in [
                Event::Cancel,
                Event::Approve,
                Event::Reject,
                Event::SeatFreed {
                    needs_approval: false,
                },
            ] {
                assert_eq!(next(from, e), None, "{from:?} {e:?}");
            }
        }
        assert_eq!(
            next(
                Waitlisted,
                Event::SeatFreed {
                    needs_approval: true
                }
            ),
            Some(PendingApproval)
        );
        assert_eq!(
            next(
                Confirmed,
                Event::SeatFreed {
                    needs_approval: false
                }
            ),
            None
        );
        assert_eq!(next(PendingApproval, Event::Approve), Some(Confirmed));
        assert_eq!(next(Confirmed, Event::Approve), None);
        assert_eq!(next(PendingApproval, Event::Reject), Some(Rejected));
    }
    use chrono::Duration;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).unwrap()
    }

    fn window() -> Window {
        Window {
            cancelled: false,
            opens_at: t(0),
            closes_at: t(100),
            first_meeting_starts_at: t(120),
        }
    }

    #[test]
    fn seats_decide_status_and_approval_comes_first_for_911() {
        assert_eq!(
            status_with_seat(true, Eligibility::Anyone),
            RegistrationStatus::Confirmed
        );
        assert_eq!(
            status_with_seat(true, Eligibility::CallCenterStaff),
            RegistrationStatus::PendingApproval
        );
        assert_eq!(
            status_with_seat(false, Eligibility::Anyone),
            RegistrationStatus::Waitlisted
        );
        assert_eq!(
            status_with_seat(false, Eligibility::CallCenterStaff),
            RegistrationStatus::Waitlisted
        );
    }

    #[test]
    fn registration_window_edges() {
        let w = window();
        let ok = |now| may_register(w, now, false, false, Eligibility::Anyone, "x");
        assert_eq!(
            ok(t(0) - Duration::seconds(1)),
            Err(RegisterRefusal::NotOpenYet("x".into()))
        );
        assert_eq!(ok(t(0)), Ok(()));
        assert_eq!(ok(t(100) - Duration::seconds(1)), Ok(()));
        assert_eq!(ok(t(100)), Err(RegisterRefusal::Closed));
        assert_eq!(ok(t(120)), Err(RegisterRefusal::AlreadyStarted));
    }

    #[test]
    fn refusals_in_order_of_what_matters() {
        let mut w = window();
        assert_eq!(
            may_register(w, t(1), true, false, Eligibility::Anyone, ""),
            Err(RegisterRefusal::AlreadyRegistered)
        );
        assert_eq!(
            may_register(w, t(1), false, false, Eligibility::ActiveCoordinator, ""),
            Err(RegisterRefusal::NeedsActiveCertificate)
        );
        assert_eq!(
            may_register(w, t(1), false, true, Eligibility::ActiveCoordinator, ""),
            Ok(())
        );
        w.cancelled = true;
        assert_eq!(
            may_register(w, t(1), false, false, Eligibility::Anyone, ""),
            Err(RegisterRefusal::OfferingCancelled)
        );
    }

    #[test]
    fn cancel_until_the_first_meeting() {
        assert!(may_cancel(RegistrationStatus::Confirmed, t(10), t(9)).is_ok());
        assert!(may_cancel(RegistrationStatus::Waitlisted, t(10), t(9)).is_ok());
        assert!(may_cancel(RegistrationStatus::Confirmed, t(10), t(10)).is_err());
        assert!(may_cancel(RegistrationStatus::Cancelled, t(10), t(9)).is_err());
    }

    #[test]
    fn statuses_round_trip_and_know_their_seat() {
        for s in RegistrationStatus::ALL {
            assert_eq!(s.as_str().parse::<RegistrationStatus>(), Ok(s));
        }
        assert!(
            RegistrationStatus::PendingApproval.holds_seat()
                && RegistrationStatus::Confirmed.holds_seat()
        );
        assert!(!RegistrationStatus::Waitlisted.holds_seat());
        assert!(
            RegistrationStatus::Waitlisted.is_live() && !RegistrationStatus::Rejected.is_live()
        );
    }
}
