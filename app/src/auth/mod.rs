//! Authentication: password hashing and the axum-login backend. Server only.

pub mod backend;
pub mod password_hash;

pub use backend::{AuthSession, Backend, Credentials, SessionUser};
