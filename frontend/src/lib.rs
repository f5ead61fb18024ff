//! The WebAssembly entry point lives in `app::hydrate`; this crate exists so that the client
//! is a cdylib of its own and the server never builds the `hydrate` feature.

pub use app::hydrate;
