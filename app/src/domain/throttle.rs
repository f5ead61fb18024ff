//! Sign-in throttling: a pure decision over recent failures, so that every server in a
//! cluster, reading the same failures from the database, decides the same way.

use chrono::{DateTime, Duration, Utc};

/// The limits: failures allowed in a sliding window, per account and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window: Duration,
    pub per_account: usize,
    pub per_address: usize,
}

impl Default for ThrottlePolicy {
    /// OWASP's advice in numbers: a handful of tries per account, more per address (a
    /// whole agency may sit behind one address).
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account: 5,
            per_address: 30,
        }
    }
}

/// Whether a sign-in attempt may proceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    Allowed,
    /// Refused until this instant.
    Wait {
        until: DateTime<Utc>,
    },
}

/// Sign-ups with one email address in an hour: a person who lost the first message tries
/// again; more is someone filling another's inbox.
pub const SIGN_UPS_PER_EMAIL: usize = 3;

impl ThrottlePolicy {
    /// Sign-ups: [`SIGN_UPS_PER_EMAIL`] per email and `per_address` per client address, an
    /// hour. Every attempt counts (not only failures): each one sends an email.
    pub fn sign_up(per_address: usize) -> Self {
        Self {
            window: Duration::hours(1),
            per_account: SIGN_UPS_PER_EMAIL,
            per_address,
        }
    }

    /// Decides from the failure times inside the window (any order; older ones are ignored).
    /// Blocked while `limit` or more failures are younger than the window; the wait ends when
    /// enough of them have aged out.
    pub fn decide(
        &self,
        now: DateTime<Utc>,
        account_failures: &[DateTime<Utc>],
        address_failures: &[DateTime<Utc>],
    ) -> Throttle {
        let a = self.wait_for(now, account_failures, self.per_account);
        let b = self.wait_for(now, address_failures, self.per_address);
        match (a, b) {
            (None, None) => Throttle::Allowed,
            (Some(x), None) | (None, Some(x)) => Throttle::Wait { until: x },
            (Some(x), Some(y)) => Throttle::Wait { until: x.max(y) },
        }
    }

    fn wait_for(
        &self,
        now: DateTime<Utc>,
        failures: &[DateTime<Utc>],
        limit: usize,
    ) -> Option<DateTime<Utc>> {
        if limit == 0 {
            return None;
        }
        let since = now - self.window;
        // A failure stamped after `now` counts too: an attempt that started earlier may be
        // decided after later ones (waiting for the lock), and servers' clocks differ a little.
        let mut recent: Vec<_> = failures.iter().copied().filter(|t| *t > since).collect();
        if recent.len() < limit {
            return None;
        }
        // Newest first: the attempt is allowed again once only limit-1 failures remain recent,
        // that is when the limit-th newest failure leaves the window.
        recent.sort_unstable_by(|x, y| y.cmp(x));
        Some(recent[limit - 1] + self.window)
    }
}

/// The message people see, in whole minutes, rounded up.
pub fn wait_message(now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let secs = (until - now).num_seconds().max(1);
    let minutes = (secs + 59) / 60;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many sign-in attempts. Please wait {minutes} {unit} and try again, or reset your password.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap()
    }

    #[test]
    fn allows_below_the_limit() {
        let p = ThrottlePolicy::default();
        let fails: Vec<_> = (0..4).map(at).collect();
        assert_eq!(p.decide(at(5), &fails, &fails), Throttle::Allowed);
    }

    #[test]
    fn blocks_at_the_account_limit_until_the_oldest_counted_failure_ages_out() {
        let p = ThrottlePolicy::default();
        let fails: Vec<_> = [0, 1, 2, 3, 4].into_iter().map(at).collect();
        assert_eq!(
            p.decide(at(5), &fails, &[]),
            Throttle::Wait { until: at(15) }
        );
        assert_eq!(p.decide(at(15), &fails, &[]), Throttle::Allowed);
    }

    #[test]
    fn uses_the_newest_failures_when_there_are_more_than_the_limit() {
        let p = ThrottlePolicy::default();
        let fails: Vec<_> = [0, 1, 2, 3, 4, 5, 6].into_iter().map(at).collect();
        assert_eq!(
            p.decide(at(7), &fails, &[]),
            Throttle::Wait { until: at(17) }
        );
    }

    #[test]
    fn ignores_failures_older_than_the_window() {
        let p = ThrottlePolicy::default();
        let fails: Vec<_> = [-30, -20, -16, 1, 2].into_iter().map(at).collect();
        assert_eq!(p.decide(at(3), &fails, &[]), Throttle::Allowed);
    }

    #[test]
    fn the_address_limit_applies_across_accounts() {
        let p = ThrottlePolicy {
            per_address: 3,
            ..ThrottlePolicy::default()
        };
        let fails: Vec<_> = [0, 1, 2].into_iter().map(at).collect();
        assert_eq!(
            p.decide(at(3), &[], &fails),
            Throttle::Wait { until: at(15) }
        );
    }

    #[test]
    fn failures_stamped_after_now_count() {
        // Decided at minute 3 (it waited), after five attempts stamped at minute 4.
        let p = ThrottlePolicy::default();
        let fails: Vec<_> = [4, 4, 4, 4, 4].into_iter().map(at).collect();
        assert!(matches!(
            p.decide(at(3), &fails, &[]),
            Throttle::Wait { .. }
        ));
    }

    #[test]
    fn message_rounds_minutes_up() {
        assert!(wait_message(at(0), at(10)).contains("10 minutes"));
        assert!(wait_message(at(0), at(0) + Duration::seconds(5)).contains("1 minute "));
    }
}
