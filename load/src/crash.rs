//! Crashes during the scenario (`run --kills N`): the server is killed with SIGKILL at N
//! random moments of the scenario and started again at once, as a service manager would
//! restart it. Takers carry on as browsers do (a failed save is not acknowledged, the next
//! one goes out on the timer), and the check afterwards finds out whether any save the
//! server acknowledged before a kill was lost.

use crate::{
    server::{Server, Settings},
    Result,
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::time::Duration;
use tokio::time::Instant;

/// What the crashes cost.
#[derive(Debug, Default)]
pub struct Crashes {
    /// From each SIGKILL until the new server answered `/healthz`.
    pub downtimes: Vec<Duration>,
}

/// `count` moments spread at random over `[start, start + length)`, in order.
pub fn moments(count: usize, start: Instant, length: Duration, seed: u64) -> Vec<Instant> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut at: Vec<Instant> = (0..count)
        .map(|_| start + length.mul_f64(rng.random::<f64>()))
        .collect();
    at.sort();
    at
}

/// Kills and restarts `server` at each of `moments`; returns the server running at the end.
pub async fn kill_at(
    mut server: Server,
    settings: Settings,
    moments: Vec<Instant>,
) -> Result<(Server, Crashes)> {
    let mut crashes = Crashes::default();
    for (n, at) in moments.into_iter().enumerate() {
        tokio::time::sleep_until(at).await;
        server.kill().await;
        let killed = Instant::now();
        server = Server::start(&settings).await?;
        let down = killed.elapsed();
        println!(
            "  kill {}: SIGKILL, back in {:.1} s",
            n + 1,
            down.as_secs_f64()
        );
        crashes.downtimes.push(down);
    }
    Ok((server, crashes))
}

impl Crashes {
    pub fn print(&self) {
        if self.downtimes.is_empty() {
            return;
        }
        let mut sorted = self.downtimes.clone();
        sorted.sort();
        let total: Duration = sorted.iter().sum();
        println!(
            "crashes: {} SIGKILLs at random moments; down {:.1} s in all (median {:.1} s, longest {:.1} s)",
            sorted.len(),
            total.as_secs_f64(),
            sorted[sorted.len() / 2].as_secs_f64(),
            sorted.last().map_or(0.0, Duration::as_secs_f64),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_fall_inside_the_scenario_in_order() {
        let start = Instant::now();
        let length = Duration::from_secs(300);
        let at = moments(20, start, length, 7);
        assert_eq!(at.len(), 20);
        assert!(at.windows(2).all(|w| w[0] <= w[1]));
        assert!(at.iter().all(|t| *t >= start && *t < start + length));
        assert_ne!(at.first(), at.last(), "spread, not one moment");
    }
}
