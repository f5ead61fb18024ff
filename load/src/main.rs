//! `load`: the certification test under load. `run` prepares a fresh database with N takers
//! who may start the test, starts the real `cit-academy serve` binary on it, signs everyone
//! in, runs the scenario (a synchronized start, autosave, a deadline rush), prints the
//! latencies, errors and the server's peak memory, then checks that every acknowledged save
//! is in the database. `check` runs that last step alone, on any database and saves file
//! (for crash tests, which kill the server in between).

mod acks;
mod check;
mod cli;
mod client;
mod crash;
mod limits;
mod prepare;
mod report;
mod run;
mod server;
mod stats;
mod taker;

use clap::Parser;
use std::process::ExitCode;

/// Errors end the command with a message; nothing here is recovered from.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("load: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            cli::Command::Run(args) => run::run(args).await,
            cli::Command::Check(args) => check::command(args).await,
        }
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("load: {e}");
            ExitCode::FAILURE
        }
    }
}
