//! The printed result: a table of latencies, the errors, memory, and a README row.

use crate::{
    check::Verdict,
    stats::{Kind, Stats, Summary},
};
use std::time::Duration;

/// Everything a run measured besides the latencies.
pub struct Facts {
    pub backend: &'static str,
    pub takers: usize,
    pub signed_in: usize,
    pub prepare: Duration,
    pub sign_in: Duration,
    pub scenario: Duration,
    /// Server peak RSS in KiB: through sign-in, and during the scenario alone.
    pub peak_sign_in: Option<u64>,
    pub peak_scenario: Option<u64>,
    /// CPU used during the scenario by the server and by this client.
    pub server_cpu: Option<Duration>,
    pub client_cpu: Duration,
    /// The machine's 1-minute load average at the end of the scenario.
    pub load: Option<f64>,
    /// (status, count) of the attempts afterwards.
    pub attempts: Vec<(String, i64)>,
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{} MiB", k / 1024))
        .unwrap_or_else(|| "unknown".into())
}

fn row(label: &str, s: Summary) {
    println!(
        "{label:<16} {:>8} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>7}",
        s.count, s.p50, s.p95, s.p99, s.max, s.errors
    );
}

fn cell(s: Summary) -> String {
    format!("{:.0} / {:.0} / {:.0}", s.p50, s.p95, s.p99)
}

pub fn print(facts: &Facts, stats: &Stats, verdict: &Verdict) {
    let saves = [Kind::Save, Kind::RushSave];
    println!();
    println!(
        "{} takers on {}: prepared in {:.0} s, {} signed in in {:.0} s, scenario {:.0} s",
        facts.takers,
        facts.backend,
        facts.prepare.as_secs_f64(),
        facts.signed_in,
        facts.sign_in.as_secs_f64(),
        facts.scenario.as_secs_f64()
    );
    println!(
        "{:<16} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"
    );
    for kind in Kind::ALL {
        row(kind.label(), stats.summary(&[kind]));
    }
    row("save (all)", stats.summary(&saves));
    let errors = stats.errors();
    if !errors.is_empty() {
        println!("errors:");
        for (kind, reason, n) in errors.iter().take(20) {
            println!("  {n:>6} {}: {reason}", kind.label());
        }
    }
    println!(
        "server peak memory (VmHWM): {} through sign-in, {} during the scenario",
        mib(facts.peak_sign_in),
        mib(facts.peak_scenario)
    );
    println!(
        "CPU during the scenario: server {}, this client {:.0} s; load average at the end {}",
        facts
            .server_cpu
            .map(|c| format!("{:.0} s", c.as_secs_f64()))
            .unwrap_or_else(|| "unknown".into()),
        facts.client_cpu.as_secs_f64(),
        facts
            .load
            .map(|l| format!("{l:.1}"))
            .unwrap_or_else(|| "unknown".into())
    );
    let attempts: Vec<String> = facts
        .attempts
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    println!("attempts afterwards: {}", attempts.join(", "));
    crate::check::print(verdict);
    let scenario_errors: usize = [
        Kind::Start,
        Kind::Page,
        Kind::Save,
        Kind::RushSave,
        Kind::Submit,
    ]
    .iter()
    .map(|k| stats.summary(&[*k]).errors)
    .sum();
    println!();
    println!("README row (p50 / p95 / p99 ms):");
    println!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        facts.backend,
        facts.takers,
        cell(stats.summary(&[Kind::Start])),
        cell(stats.summary(&[Kind::Page])),
        cell(stats.summary(&saves)),
        cell(stats.summary(&[Kind::Submit])),
        scenario_errors,
        mib(facts.peak_scenario),
        verdict.lost
    );
}
