//! The certified-only resource area: its categories, and who may open it.
//!
//! **The gate.** The library opens to staff (instructors and administrators) and to members:
//! people whose membership (carried by an active coordinator certificate: issued, not
//! revoked, and `today`, the organisation's calendar day, on or before its expiry date) is
//! current; see `membership::standing`. Certificates of completion (the 911 course) carry
//! no membership and open nothing. Everyone else is told what would open it: a holder whose
//! certificate lapsed how to renew, a person never certified how to get certified.

use super::membership::{EndReason, Standing};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a library shelf holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    ProgramMaterials,
    Documentation,
    Policies,
    DataCollection,
    Training,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::ProgramMaterials,
        Category::Documentation,
        Category::Policies,
        Category::DataCollection,
        Category::Training,
    ];

    /// The stored and posted form.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::ProgramMaterials => "program_materials",
            Category::Documentation => "documentation",
            Category::Policies => "policies",
            Category::DataCollection => "data_collection",
            Category::Training => "training",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::ProgramMaterials => "Program materials",
            Category::Documentation => "Documentation",
            Category::Policies => "Policies",
            Category::DataCollection => "Data collection",
            Category::Training => "Training",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Self::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }
}

/// The message next to the category field when none (or an unknown one) was chosen.
pub const CATEGORY_MESSAGE: &str = "Choose a category.";

/// Where a person stands at the library's door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Door {
    /// An instructor or administrator.
    Staff,
    /// An active coordinator certificate, valid through this day.
    Certified { valid_through: NaiveDate },
    /// The newest coordinator certificate expired after this day: renew to come back in.
    Expired { last_valid: NaiveDate },
    /// The only coordinator certificates held were revoked.
    Revoked,
    /// No coordinator certificate at all.
    Uncertified,
}

impl Door {
    pub fn is_open(self) -> bool {
        matches!(self, Door::Staff | Door::Certified { .. })
    }
}

/// Who may open the library: staff always; anyone else while a member (see
/// `membership::standing`, which the dashboard and the members list read too).
pub fn door(staff: bool, standing: Standing) -> Door {
    if staff {
        return Door::Staff;
    }
    match standing {
        Standing::Member { through } => Door::Certified {
            valid_through: through,
        },
        Standing::Ended {
            on,
            why: EndReason::Expired,
        } => Door::Expired { last_valid: on },
        Standing::Ended {
            why: EndReason::Revoked,
            ..
        } => Door::Revoked,
        Standing::Never => Door::Uncertified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        certificate::Status,
        membership::{standing, Held, MembershipStatus},
    };

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn coordinator(status: Status, expires_on: NaiveDate) -> Held {
        Held {
            status: if status == Status::Active {
                MembershipStatus::Active
            } else {
                MembershipStatus::Ended
            },
            certificate: status,
            ends_on: expires_on,
            ended_on: None,
        }
    }

    fn door_of(held: &[Held], today: NaiveDate) -> Door {
        door(false, standing(held, today))
    }

    #[test]
    fn an_active_membership_opens_the_door_through_its_last_day() {
        let held = [coordinator(Status::Active, day(2029, 6, 18))];
        let open = Door::Certified {
            valid_through: day(2029, 6, 18),
        };
        assert_eq!(door_of(&held, day(2026, 6, 18)), open);
        assert_eq!(door_of(&held, day(2029, 6, 18)), open, "its last day");
        assert_eq!(
            door_of(&held, day(2029, 6, 19)),
            Door::Expired {
                last_valid: day(2029, 6, 18)
            },
            "the day after, even before the expiry job marks it"
        );
        assert!(open.is_open());
        assert!(!Door::Expired {
            last_valid: day(2029, 6, 18)
        }
        .is_open());
    }

    #[test]
    fn revoked_expired_and_no_membership_keep_it_shut() {
        let today = day(2027, 1, 1);
        assert_eq!(
            door_of(&[coordinator(Status::Revoked, day(2029, 6, 18))], today),
            Door::Revoked
        );
        assert_eq!(
            door_of(&[coordinator(Status::Expired, day(2026, 6, 18))], today),
            Door::Expired {
                last_valid: day(2026, 6, 18)
            }
        );
        // A certificate of completion carries no membership: nothing is held.
        assert_eq!(door_of(&[], today), Door::Uncertified);
        assert!(!Door::Revoked.is_open() && !Door::Uncertified.is_open());
    }

    #[test]
    fn any_active_membership_wins_and_staff_always_enter() {
        let today = day(2027, 1, 1);
        let held = [
            coordinator(Status::Revoked, day(2028, 1, 1)),
            coordinator(Status::Active, day(2029, 3, 1)),
            coordinator(Status::Expired, day(2026, 3, 1)),
        ];
        assert_eq!(
            door_of(&held, today),
            Door::Certified {
                valid_through: day(2029, 3, 1)
            }
        );
        // Revoked, then expired: the expired one says how to renew.
        let held = [
            coordinator(Status::Revoked, day(2028, 1, 1)),
            coordinator(Status::Expired, day(2026, 3, 1)),
        ];
        assert_eq!(
            door_of(&held, today),
            Door::Expired {
                last_valid: day(2026, 3, 1)
            }
        );
        assert_eq!(door(true, Standing::Never), Door::Staff);
        assert!(Door::Staff.is_open());
    }

    #[test]
    fn categories_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::parse("secret"), None);
        assert_eq!(Category::parse(""), None);
    }
}
