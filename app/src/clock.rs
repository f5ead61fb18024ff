//! The time the server reads. Everything that asks "what time is it" (server functions, the
//! data layer's callers, background jobs) reads [`now`], so that a rehearsal of years of use
//! can run the real program at another date: `CIT_CLOCK_OFFSET_DAYS` (read once at start-up,
//! see the server's configuration) moves this clock by whole days. It is 0 unless set, and
//! the server warns loudly when it is not.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

static OFFSET_SECONDS: AtomicI64 = AtomicI64::new(0);

/// The current instant, as the application sees it.
pub fn now() -> DateTime<Utc> {
    Utc::now() + Duration::seconds(OFFSET_SECONDS.load(Ordering::Relaxed))
}

/// Moves the clock by `days` from the system's (once, at start-up).
pub fn set_offset_days(days: i64) {
    OFFSET_SECONDS.store(days.saturating_mul(86_400), Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_moves_the_clock_by_whole_days() {
        let before = Utc::now();
        set_offset_days(400);
        let shifted = now();
        set_offset_days(0);
        assert!(shifted - before >= Duration::days(400));
        assert!(shifted - before < Duration::days(400) + Duration::minutes(1));
        assert!(now() - Utc::now() < Duration::seconds(1));
    }
}
