//! Project automation for CIT Academy.
//!
//! `cargo xtask build` builds the client (WebAssembly) and the server (release);
//! `cargo xtask run` builds and starts the demo site on http://127.0.0.1:3000;
//! `cargo xtask test` runs every test layer. Each installs what is missing and says so.

mod audit;
mod client;
mod e2e;
mod fuzz;
mod lockfile;
mod paths;
mod postgres;
mod test;
mod toolchain;
mod util;

use std::process::{Command, ExitCode};
use std::time::Instant;

use paths::Paths;
use toolchain::{Apt, Rust};
use util::{heading, human_duration, run, Error, Result};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  run [ARGS...]   build everything (release) and start the demo site on http://127.0.0.1:3000
                  (`cit-academy demo ARGS...`, e.g. `cargo xtask run --bind 0.0.0.0:3000`)
  build           build the client into target/site and the release server binary
  client          build only the client into target/site (the server binary is left alone)
  test [OPTIONS] [-- PLAYWRIGHT ARGS...]
                  Rust tests, then browser tests (Playwright + Chromium) against SQLite and
                  PostgreSQL
      --no-e2e        only the Rust tests
      --e2e-only      only the browser tests
      --db sqlite|postgres
                      browser tests against one database only
  fuzz [TARGET...] [--seconds N]
                  run the importers' fuzz targets (gift_import, meeting_report) for N seconds
                  each (default 600); installs cargo-fuzz. Not part of `test`
  help            this text

environment:
  CARGO_TARGET_DIR        where cargo builds (the site always goes to <repo>/target/site)
  CIT_TEST_POSTGRES_URL   PostgreSQL for the tests (default postgres://postgres@127.0.0.1:5432/test)
  CI                      when set, an unreachable PostgreSQL fails the tests instead of skipping them
  CHROMIUM_PATH           the browser to drive (default /usr/bin/chromium)
  CIT_WASM_TOOLCHAIN      `debian` builds the client with Debian's rustc-web instead of rustup's";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let outcome = match command.as_str() {
        "build" => no_args("build", &rest).and_then(|()| build().map(|_| ExitCode::SUCCESS)),
        "run" => run_demo(&rest),
        "client" => {
            no_args("client", &rest).and_then(|()| client_only().map(|()| ExitCode::SUCCESS))
        }
        "test" => test::Options::parse(&rest).and_then(test::run),
        "fuzz" => fuzz::run_fuzz(&rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        "" => {
            eprintln!("{USAGE}");
            Ok(ExitCode::from(2))
        }
        other => Err(Error::new(format!("unknown command `{other}`\n\n{USAGE}"))),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn no_args(command: &str, rest: &[String]) -> Result<()> {
    match rest.first() {
        Some(arg) => Err(Error::new(format!(
            "`cargo xtask {command}` takes no argument `{arg}`"
        ))),
        None => Ok(()),
    }
}

/// Only the client, into target/site.
fn client_only() -> Result<()> {
    let paths = Paths::discover()?;
    let native = Rust::native()?;
    let wasm = toolchain::wasm_toolchain(&native, &mut Apt::default())?;
    heading("Client: WebAssembly (profile wasm-release)");
    client::compile(&wasm, &paths)?;
    let sizes = client::assemble(&native, &paths)?;
    client::report(&paths, sizes);
    Ok(())
}

/// Client into target/site, server in release. Returns the paths and the toolchain.
fn build() -> Result<(Paths, Rust)> {
    let started = Instant::now();
    let paths = Paths::discover()?;
    let native = Rust::native()?;
    let mut apt = Apt::default();

    heading("Client: WebAssembly (profile wasm-release)");
    let wasm = toolchain::wasm_toolchain(&native, &mut apt)?;
    client::compile(&wasm, &paths)?;
    let sizes = client::assemble(&native, &paths)?;

    heading("Server (release)");
    run(native
        .cargo(&paths)
        .args(["build", "--release", "-p", "server"]))?;

    heading(&format!("Built in {}", human_duration(started.elapsed())));
    client::report(&paths, sizes);
    say!("server: {}", paths.server_binary("release").display());
    Ok((paths, native))
}

fn run_demo(args: &[String]) -> Result<ExitCode> {
    let (paths, _) = build()?;
    let server = paths.server_binary("release");
    heading("Demo site: http://127.0.0.1:3000 (Ctrl-C stops it)");
    let mut cmd = Command::new(&server);
    cmd.current_dir(&paths.repo).arg("demo").args(args);
    eprintln!("    $ {}", util::describe(&cmd));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Become the server, so that Ctrl-C and exit codes behave as if it were run directly.
        let e = cmd.exec();
        Err(Error::new(format!(
            "could not start {}: {e}",
            server.display()
        )))
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status()?;
        Ok(ExitCode::from(
            u8::try_from(status.code().unwrap_or(1)).unwrap_or(1),
        ))
    }
}
