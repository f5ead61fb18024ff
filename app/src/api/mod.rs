//! Server functions: thin, each extracts the caller, parses input into domain types, calls the
//! domain and the data layer, and maps errors. Endpoints are named (not hashed) so that URLs
//! are stable for the CSRF check, the authorization matrix and people reading logs.

pub mod account;
pub mod admin_certificates;
pub mod admin_courses;
pub mod admin_meetings;
pub mod admin_registrations;
pub mod attendance_import;
pub mod audit;
pub mod bank;
pub mod bank_import;
pub mod catalog;
pub mod ce_records;
pub mod certificate_import;
pub mod certificates;
pub mod check_in;
pub mod evaluations;
pub mod exam;
pub mod exam_admin;
pub mod gradebook;
pub mod grading;
pub mod item_analysis;
pub mod materials;
pub mod members;
pub mod offerings;
pub mod regrade;
pub mod renewal;
pub mod reports;
pub mod resources;
pub mod scenarios;
pub mod session;
pub mod shipments;
pub mod teach;
pub mod teach_overview;
#[cfg(feature = "ssr")]
pub mod upload;
pub mod users;
