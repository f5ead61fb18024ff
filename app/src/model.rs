//! Data shapes that travel between server and browser.

use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// The signed-in person, as pages need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub agency: String,
}

/// A course in the catalog list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub summary: String,
    pub hours: i64,
    pub fee_cents: i64,
    pub includes_membership: bool,
    pub eligibility: String,
    pub format: String,
}

/// A course page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub course: CourseSummary,
    pub description: String,
    pub topics: Vec<String>,
}

/// A row of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListItem {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub role: Role,
    pub created_at: String,
}

/// A page of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserListItem>,
    pub page: i64,
    pub has_next: bool,
}
