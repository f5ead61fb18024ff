//! Domain rules: plain types and functions with no HTTP, SQL or clock inside.
//! Everything here is testable alone and shared by server and client.

pub mod agency;
pub mod catalog;
pub mod email;
pub mod password;
pub mod person;
pub mod role;
pub mod throttle;
