//! Request middleware: security headers, the cross-site check, the client address, the
//! absolute session lifetime, the admission of heavy requests and the status of refused
//! server-function calls.

pub mod admission;
pub mod body_limit;
pub mod client_address;
pub mod cross_site;
pub mod refusal_status;
pub mod security_headers;
pub mod session_lifetime;
