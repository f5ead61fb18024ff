//! Logging, set up once. `RUST_LOG` filters (default: info for us, warn for the rest).

use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,sqlx=warn,tower_sessions=warn,axum_login=warn,leptos=warn")
    });
    // try_init: tests may call this more than once.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
