//! Request middleware: security headers, the cross-site check, the client address and the
//! absolute session lifetime.

pub mod client_address;
pub mod cross_site;
pub mod security_headers;
pub mod session_lifetime;
