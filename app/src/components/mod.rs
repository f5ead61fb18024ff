//! Pieces shared by pages.

pub mod chart;
pub mod form;
pub mod layout;
pub mod pager;
pub mod paging;
pub mod params;
pub mod require_role;
pub mod sort;
pub mod status;
