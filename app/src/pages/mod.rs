//! One module per page.

pub mod admin_users;
pub mod catalog;
pub mod course;
pub mod dashboard;
pub mod home;
pub mod not_found;
pub mod offering;
pub mod sign_in;
pub mod sign_up;
