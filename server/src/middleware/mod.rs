//! Request middleware: security headers, the cross-site check, the client address, the
//! absolute session lifetime and the admission of heavy requests.

pub mod admission;
pub mod client_address;
pub mod cross_site;
pub mod security_headers;
pub mod session_lifetime;
