//! Roles and what each may do. "Certified coordinator" is not a role: it follows from holding
//! an active certificate, and is decided elsewhere.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// A person's role on the platform, stored as its `as_str()` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Attendee,
    Instructor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Attendee, Role::Instructor, Role::Admin];

    /// The stored and posted form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Attendee => "attendee",
            Role::Instructor => "instructor",
            Role::Admin => "admin",
        }
    }

    /// The short name shown in lists and selects.
    pub fn label(self) -> &'static str {
        match self {
            Role::Attendee => "Attendee",
            Role::Instructor => "Instructor",
            Role::Admin => "Admin",
        }
    }

    /// The full title shown on a dashboard.
    pub fn title(self) -> &'static str {
        match self {
            Role::Attendee => "Attendee",
            Role::Instructor => "Instructor",
            Role::Admin => "Administrator",
        }
    }

    /// Staff teach or run the platform (the resource library opens to them). What an
    /// instructor reaches of courses and people is narrower: `teaching_scope`.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Instructor | Role::Admin)
    }

    /// Whether someone with this role may do what `required` allows.
    /// Roles are ordered: an admin may do what an instructor may, and so on.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role text that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Choose attendee, instructor or admin.")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "attendee" => Ok(Role::Attendee),
            "instructor" => Ok(Role::Instructor),
            "admin" => Ok(Role::Admin),
            _ => Err(UnknownRole),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Admin ".parse::<Role>(), Ok(Role::Admin));
        assert_eq!("root".parse::<Role>(), Err(UnknownRole));
    }

    #[test]
    fn higher_roles_include_lower() {
        assert!(Role::Admin.allows(Role::Instructor));
        assert!(Role::Admin.allows(Role::Attendee));
        assert!(Role::Instructor.allows(Role::Attendee));
        assert!(!Role::Instructor.allows(Role::Admin));
        assert!(!Role::Attendee.allows(Role::Instructor));
    }

    #[test]
    fn staff_is_instructor_or_admin() {
        assert!(!Role::Attendee.is_staff());
        assert!(Role::Instructor.is_staff());
        assert!(Role::Admin.is_staff());
    }
}
