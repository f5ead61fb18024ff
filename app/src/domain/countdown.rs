//! The test's countdown: how the time left reads, which warning is due, and the browser's
//! offset from the server's clock. Pure: the page gives the times.

/// The warnings before the end of a test, in minutes left.
pub const WARNINGS: [i64; 3] = [10, 5, 1];

/// "1 h 58 min" at an hour or more (seconds would only flicker), "4:59" under it.
pub fn time_left_label(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The warning in force with `seconds` left: the smallest mark reached (10, 5 or 1 minute),
/// none before 10 minutes or after the end.
pub fn warning(seconds: i64) -> Option<i64> {
    if seconds <= 0 {
        return None;
    }
    WARNINGS.iter().copied().filter(|m| seconds <= m * 60).min()
}

/// What the page shows, and screen readers hear once, for a warning.
pub fn warning_text(minutes: i64) -> String {
    match minutes {
        1 => "1 minute left. When the time is up, your saved answers are submitted.".to_owned(),
        m => format!("{m} minutes left. Your answers are saved as you go."),
    }
}

/// The warning to announce on this tick: one that came into force since the last tick. The
/// first tick announces nothing (the page itself says it), so a reload does not repeat it.
pub fn announce(before: Option<i64>, seconds: i64) -> Option<i64> {
    let before = before?;
    let now = warning(seconds)?;
    (warning(before) != Some(now)).then_some(now)
}

/// The server's clock minus the browser's, from one request: the server read its clock at
/// `server_ms`, somewhere between `sent_ms` and `received_ms` on the browser's clock; the
/// middle is the best guess.
pub fn clock_offset(sent_ms: i64, server_ms: i64, received_ms: i64) -> i64 {
    server_ms - (sent_ms + (received_ms - sent_ms) / 2)
}

/// Whole seconds left until `deadline_ms` (server clock) at `browser_ms` with `offset_ms`.
pub fn seconds_left(deadline_ms: i64, browser_ms: i64, offset_ms: i64) -> i64 {
    let left = deadline_ms - (browser_ms + offset_ms);
    // Rounded up: "0:00" only when the time is really up.
    (left.max(0) + 999) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_in_hours_and_minutes_or_minutes_and_seconds() {
        assert_eq!(time_left_label(118 * 60 + 49), "1 h 58 min");
        assert_eq!(time_left_label(3600), "1 h 0 min");
        assert_eq!(time_left_label(3599), "59:59");
        assert_eq!(time_left_label(299), "4:59");
        assert_eq!(time_left_label(5), "0:05");
        assert_eq!(time_left_label(-3), "0:00");
    }

    #[test]
    fn warnings_come_at_ten_five_and_one_minute() {
        assert_eq!(warning(601), None);
        assert_eq!(warning(600), Some(10));
        assert_eq!(warning(301), Some(10));
        assert_eq!(warning(300), Some(5));
        assert_eq!(warning(60), Some(1));
        assert_eq!(warning(1), Some(1));
        assert_eq!(warning(0), None);
        assert!(warning_text(1).contains("1 minute left"));
        assert!(warning_text(5).starts_with("5 minutes left"));
    }

    #[test]
    fn each_warning_is_announced_once_when_it_comes() {
        assert_eq!(announce(None, 200), None, "not on the first tick");
        assert_eq!(announce(Some(601), 600), Some(10));
        assert_eq!(announce(Some(600), 599), None);
        assert_eq!(announce(Some(301), 300), Some(5));
        // A tick that jumps past two marks (a sleeping laptop) announces where it landed.
        assert_eq!(announce(Some(700), 50), Some(1));
        assert_eq!(announce(Some(1), 0), None);
    }

    #[test]
    fn the_clock_offset_is_taken_at_the_middle_of_the_request() {
        assert_eq!(clock_offset(1_000, 61_100, 1_200), 60_000);
        assert_eq!(clock_offset(5_000, 4_000, 5_000), -1_000);
        assert_eq!(seconds_left(100_000, 40_000, 60_000 - 1), 1);
        assert_eq!(seconds_left(100_000, 40_000, 60_000), 0);
        assert_eq!(seconds_left(100_000, 38_500, 0), 62);
    }
}
