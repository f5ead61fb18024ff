//! The command line.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "load", about = "Load benchmark of the certification test")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Prepare a fresh database, start the server, run the scenario, check every
    /// acknowledged save.
    Run(RunArgs),
    /// Check a file of acknowledged saves against a database (exit status 1 if one is lost).
    Check(CheckArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Simulated takers, each signed in with their own session and connection.
    #[arg(long, default_value_t = 2000)]
    pub takers: usize,
    #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
    pub db: Backend,
    /// The PostgreSQL server; a scratch database `cit_load_<n>` is created on it and dropped.
    #[arg(
        long,
        env = "CIT_TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
    /// The test's time limit in minutes (the app allows 5 to 600): the scenario lasts this
    /// long, and the rush comes just before the deadline.
    #[arg(long, default_value_t = 5)]
    pub minutes: i64,
    /// End the scenario (with the rush) this many seconds after the start, before the
    /// deadline: for quick trials.
    #[arg(long)]
    pub run_secs: Option<u64>,
    /// Questions in the test (alternately single choice and short answer).
    #[arg(long, default_value_t = 10)]
    pub questions: usize,
    /// Seconds between one taker's saves.
    #[arg(long, default_value_t = 15)]
    pub autosave_secs: u64,
    /// Saves on one question before the taker opens the next (each opening is a page load).
    #[arg(long, default_value_t = 4)]
    pub saves_per_question: u32,
    /// The deadline rush: every taker's final save and submit fall within this many seconds
    /// before the deadline.
    #[arg(long, default_value_t = 15)]
    pub rush_secs: u64,
    /// Sign-ins in flight at once. Each costs the server an Argon2 hash (19 MiB, ~tens of ms
    /// of CPU); more than the cores gains nothing and inflates the server's memory.
    #[arg(long, default_value_t = 4)]
    pub sign_in_concurrency: usize,
    /// Seconds before a request counts as failed.
    #[arg(long, default_value_t = 60)]
    pub timeout_secs: u64,
    /// The server binary (default: `$CARGO_TARGET_DIR/release/cit-academy`, else
    /// `target/release/cit-academy`).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Extra environment for the server, `NAME=value` (repeatable), e.g. `RUST_LOG=warn`
    /// or `MALLOC_ARENA_MAX=2`.
    #[arg(long = "server-env", value_parser = name_value)]
    pub server_env: Vec<(String, String)>,
    /// Where the SQLite file, the server's log and the acknowledged saves go (default: a
    /// temporary directory, removed at the end unless --keep).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Keep the work directory and the PostgreSQL database.
    #[arg(long)]
    pub keep: bool,
    /// Crash test: kill the server with SIGKILL this many times at random moments of the
    /// scenario, restarting it each time, then check every acknowledged save.
    #[arg(long, default_value_t = 0)]
    pub kills: usize,
    /// Seed for the moments of the kills (printed, so that a run can be repeated).
    #[arg(long)]
    pub kill_seed: Option<u64>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// `sqlite://path` or `postgres://...`, as the server's DATABASE_URL.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: String,
    /// The acknowledged saves, as `run` writes them (`acks.tsv`).
    #[arg(long)]
    pub acks: PathBuf,
}

fn name_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .filter(|(name, _)| !name.is_empty())
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected NAME=value, got {s:?}"))
}
