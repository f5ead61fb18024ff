//! One simulated taker: starts with everyone else, opens the first question, autosaves
//! every `autosave` with a fresh answer, moves on after a few saves (a page load each time),
//! and in the deadline rush saves a last time and submits.

use crate::{
    acks::{Ack, Answer},
    client::{Browser, Shown},
    stats::{Kind, Stats},
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::{future::Future, sync::Arc, time::Duration};
use tokio::{sync::mpsc::UnboundedSender, time::Instant};

/// The scenario, the same for every taker.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The synchronized start.
    pub start_at: Instant,
    /// How long takers work; at most the time limit (the earliest deadline is
    /// `start_at + time limit`).
    pub limit: Duration,
    pub autosave: Duration,
    pub saves_per_question: u32,
    pub questions: usize,
    /// The rush: the last save and the submit fall in [deadline - rush, deadline - margin].
    pub rush: Duration,
}

/// A save is never sent later than this before the earliest deadline, so that it is in time
/// even for the taker who started first.
const RUSH_MARGIN: Duration = Duration::from_secs(2);

pub struct Taker {
    pub index: usize,
    pub registration_id: i64,
    pub browser: Browser,
}

/// Times a request and records its outcome.
async fn timed_reply<T>(
    stats: &Stats,
    kind: Kind,
    request: impl Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let began = Instant::now();
    let reply = request.await;
    match &reply {
        Ok(_) => stats.ok(kind, began.elapsed()),
        Err(reason) => stats.error(kind, reason.clone()),
    }
    reply
}

/// Whether a failure is the connection's (the server was down, or went down mid-request)
/// rather than the server's answer: a person clicks again when the page says so.
fn connection_lost(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    [
        "could not connect",
        "connection closed",
        "reset by peer",
        "broken pipe",
    ]
    .iter()
    .any(|r| reason.contains(r))
}

/// Sends `request` again (after 1, 2, 4, 8 s) while the connection fails, as a person
/// clicks Start or Submit again after a crash; each try is timed and counted. Start and
/// submit are safe to repeat: a second start opens the running attempt, a second submit of
/// a finished attempt is refused.
async fn persistent<T, F, Fut>(stats: &Stats, kind: Kind, mut request: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let mut wait = Duration::from_secs(1);
    for _ in 0..5 {
        match timed_reply(stats, kind, request()).await {
            Ok(value) => return Some(value),
            Err(reason) if connection_lost(&reason) => {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            Err(_) => return None,
        }
    }
    None
}

/// Opens question `position`; `shown` becomes what it shows (None when it did not load).
async fn open(
    browser: &Browser,
    stats: &Stats,
    attempt: i64,
    position: usize,
    shown: &mut Option<Shown>,
) -> Result<(), String> {
    let opened = timed_reply(stats, Kind::Page, browser.page(attempt, position)).await;
    *shown = opened.as_ref().ok().copied();
    opened.map(|_| ())
}

/// A fresh answer for the question shown: another option, or other text.
fn answer(shown: Shown, rng: &mut StdRng, taker: usize, seq: i64) -> Answer {
    match shown {
        Shown::Single(options) => Answer::Single(rng.random_range(0..options)),
        Shown::Text => Answer::Text(format!("answer {taker} {seq}")),
    }
}

pub async fn take(taker: Taker, scenario: Arc<Scenario>, stats: Stats, acks: UnboundedSender<Ack>) {
    let Taker {
        index,
        registration_id,
        browser,
    } = taker;
    let mut rng = StdRng::seed_from_u64(index as u64);
    let rush_window = scenario.rush.saturating_sub(RUSH_MARGIN);
    let rush_at = scenario.start_at + scenario.limit - scenario.rush
        + rush_window.mul_f64(rng.random::<f64>());
    tokio::time::sleep_until(scenario.start_at).await;
    let Some(attempt) = persistent(&stats, Kind::Start, || browser.start(registration_id)).await
    else {
        return;
    };
    let mut position = 0;
    let mut shown = None;
    let mut seq: i64 = 1;
    let mut saves_here = 0;
    let save = |position: usize, seq: i64, answer: Answer, kind: Kind| {
        let (stats, acks, browser) = (&stats, &acks, &browser);
        async move {
            let reply =
                timed_reply(stats, kind, browser.save(attempt, position, seq, &answer)).await;
            if reply.is_ok() {
                let _ = acks.send(Ack {
                    attempt_id: attempt,
                    position,
                    seq,
                    answer,
                });
            }
            reply
        }
    };
    // Whether the server has finished the attempt (a conflict): the page would show the
    // result, so the taker stops.
    let over = |outcome: &Result<(), String>| matches!(outcome, Err(reason) if reason.contains("Conflict") || reason == "HTTP 409");
    if over(&open(&browser, &stats, attempt, position, &mut shown).await) {
        return;
    }
    // People begin answering at different moments; from then on the page saves on a timer.
    let mut next = Instant::now() + scenario.autosave.mul_f64(rng.random::<f64>());
    while Instant::now() < rush_at && next < rush_at {
        tokio::time::sleep_until(next).await;
        let outcome = match shown {
            Some(kind) => {
                let reply = save(
                    position,
                    seq,
                    answer(kind, &mut rng, index, seq),
                    Kind::Save,
                )
                .await;
                // The number is spent whether or not the answer came back: an unanswered
                // save may still have been taken, and the server refuses a number it has seen.
                seq += 1;
                saves_here += 1;
                if reply.is_ok() && saves_here >= scenario.saves_per_question {
                    saves_here = 0;
                    position = (position + 1) % scenario.questions;
                    open(&browser, &stats, attempt, position, &mut shown).await
                } else {
                    reply
                }
            }
            // The page did not load: the browser cannot know the question; load it again.
            None => open(&browser, &stats, attempt, position, &mut shown).await,
        };
        if over(&outcome) {
            return;
        }
        // A timer does not queue saves behind a slow one: ticks missed meanwhile are skipped.
        let now = Instant::now();
        next += scenario.autosave;
        while next <= now {
            next += scenario.autosave;
        }
    }
    tokio::time::sleep_until(rush_at).await;
    if let Some(kind) = shown {
        let reply = save(
            position,
            seq,
            answer(kind, &mut rng, index, seq),
            Kind::RushSave,
        )
        .await;
        if over(&reply) {
            return;
        }
    }
    persistent(&stats, Kind::Submit, || browser.submit(attempt)).await;
}

#[cfg(test)]
mod tests {
    use super::connection_lost;

    #[test]
    fn only_lost_connections_are_tried_again() {
        assert!(connection_lost("could not connect"));
        assert!(connection_lost(
            "connection closed before message completed"
        ));
        assert!(connection_lost("Connection reset by peer (os error 104)"));
        assert!(!connection_lost("HTTP 409"));
        assert!(
            !connection_lost("timed out"),
            "a slow server is not hammered again"
        );
        assert!(!connection_lost(r#"{"Conflict":"closed"}"#));
    }
}
