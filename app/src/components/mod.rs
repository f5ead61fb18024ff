//! Pieces shared by pages.

pub mod form;
pub mod layout;
pub mod params;
pub mod require_role;
pub mod status;
