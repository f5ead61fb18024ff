//! The `cit-academy` server: configuration, database, sessions, routes, background jobs and
//! the command line. The application itself (pages, server functions, domain, data layer) is
//! the `app` crate.

pub mod attendance_csv;
pub mod badge_key;
pub mod badges_api;
pub mod bank_export;
pub mod calendar;
pub mod ce_evidence;
pub mod certificate_download;
pub mod certificate_mail;
pub mod certificate_pdf;
pub mod certificates_csv;
pub mod cli;
pub mod commands;
pub mod config;
pub mod gradebook_csv;
pub mod jobs;
pub mod join;
pub mod mail;
pub mod materials;
pub mod members_csv;
pub mod middleware;
pub mod reports_csv;
pub mod resources;
pub mod router;
pub mod session_store;
pub mod telemetry;
pub mod uploads;
pub mod verify_api;
