//! `cargo xtask test`: every test layer, then a summary.

use std::env;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::audit;
use crate::client;
use crate::e2e::{self, Db};
use crate::paths::Paths;
use crate::postgres::{self, PgUrl};
use crate::say;
use crate::toolchain::{self, Apt, Rust};
use crate::util::{self, env_is_set, heading, human_duration, Counts, Error, Result};

/// How long the Rust tests may take, compiling included: a guard against a stuck test, not a
/// budget. The workspace compiled cold on 2 cores takes about 8 minutes, the tests about 8
/// more (the years rehearsal alone about 2.5); 13m24s was measured on 7 December 2026 with
/// other builds running beside it.
const RUST_TESTS_LIMIT: Duration = Duration::from_secs(25 * 60);

/// Command-line options of `cargo xtask test`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub rust: bool,
    pub e2e: bool,
    pub sqlite: bool,
    pub postgres: bool,
    pub playwright_args: Vec<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut opts = Self {
            rust: true,
            e2e: true,
            sqlite: true,
            postgres: true,
            playwright_args: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--no-e2e" => opts.e2e = false,
                "--e2e-only" => opts.rust = false,
                "--db" => {
                    let value = args
                        .next()
                        .ok_or_else(|| Error::new("--db needs sqlite or postgres"))?;
                    opts.only_db(value)?;
                }
                "--" => {
                    opts.playwright_args = args.cloned().collect();
                    break;
                }
                other => match other.strip_prefix("--db=") {
                    Some(value) => opts.only_db(value)?,
                    None => {
                        return Err(Error::new(format!(
                            "unknown option `{other}` (see `cargo xtask help`)"
                        )))
                    }
                },
            }
        }
        if !opts.rust && !opts.e2e {
            return Err(Error::new(
                "--no-e2e and --e2e-only together leave nothing to run",
            ));
        }
        Ok(opts)
    }

    fn only_db(&mut self, value: &str) -> Result<()> {
        match value {
            "sqlite" => (self.sqlite, self.postgres) = (true, false),
            "postgres" | "postgresql" => (self.sqlite, self.postgres) = (false, true),
            other => {
                return Err(Error::new(format!(
                    "--db takes sqlite or postgres, not `{other}`"
                )))
            }
        }
        Ok(())
    }
}

enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

struct Step {
    name: String,
    outcome: Outcome,
    took: Duration,
    /// The tests a runner reported, for steps that run tests.
    counts: Option<Counts>,
}

/// The steps run so far, with their outcome and wall time.
#[derive(Default)]
struct Summary {
    steps: Vec<Step>,
}

impl Summary {
    /// Runs one step, timing it and recording its outcome; returns its value if it passed.
    fn step<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Option<T> {
        heading(name);
        let start = Instant::now();
        let result = f();
        let took = start.elapsed();
        let (outcome, value) = match result {
            Ok(v) => (Outcome::Passed, Some(v)),
            Err(e) => {
                say!("{name}: FAILED: {e}");
                (Outcome::Failed(e.to_string()), None)
            }
        };
        say!(
            "{name}: {} in {}",
            if value.is_some() { "done" } else { "failed" },
            human_duration(took)
        );
        self.steps.push(Step {
            name: name.to_owned(),
            outcome,
            took,
            counts: None,
        });
        value
    }

    /// Runs a step that runs tests and reports how many passed, failed and were skipped.
    fn tests(&mut self, name: &str, f: impl FnOnce() -> (Result<()>, Counts)) {
        let mut counts = Counts::default();
        self.step(name, || {
            let (result, c) = f();
            counts = c;
            result
        });
        if let Some(step) = self.steps.last_mut() {
            step.counts = Some(counts);
        }
    }

    fn skip(&mut self, name: &str, why: impl Into<String>) {
        self.steps.push(Step {
            name: name.to_owned(),
            outcome: Outcome::Skipped(why.into()),
            took: Duration::ZERO,
            counts: None,
        });
    }

    fn failed(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Failed(_)))
            .count()
    }

    fn print(&self, total: Duration) {
        heading("Summary");
        let width = self.steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for step in &self.steps {
            let (word, note) = match &step.outcome {
                Outcome::Passed => ("pass", String::new()),
                Outcome::Failed(why) => ("FAIL", first_line(why)),
                Outcome::Skipped(why) => ("skip", why.clone()),
            };
            let took = if matches!(step.outcome, Outcome::Skipped(_)) {
                String::new()
            } else {
                human_duration(step.took)
            };
            let tests = step
                .counts
                .as_ref()
                .map(|c| format!("tests: {c}"))
                .unwrap_or_default();
            let line = format!(
                "  {word}  {:<width$}  {took:>7}  {tests:<40} {note}",
                step.name
            );
            eprintln!("{}", line.trim_end());
            let failures = step.counts.as_ref().map_or(&[][..], |c| &c.failures[..]);
            // A browser test that failed and then passed on its retry is listed too (flaky).
            for name in failures {
                eprintln!("          failed try: {name}");
            }
        }
        eprintln!("  total wall time {}", human_duration(total));
        println!("{}", self.closing_line());
    }

    /// The tests counted over all steps; a failed step that counted no failed test (a build
    /// that broke, a server that did not start) counts as one failure.
    fn closing_line(&self) -> String {
        let mut total = Counts::default();
        for step in &self.steps {
            let counts = step.counts.clone().unwrap_or_default();
            total.add(&counts);
            if matches!(step.outcome, Outcome::Failed(_)) && counts.failed == 0 {
                total.failed += 1;
            }
        }
        format!("all: {total}")
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}

/// Everything the browser tests need, found or installed.
struct E2eTools {
    wasm: Rust,
    chromium: PathBuf,
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let started = Instant::now();
    let paths = Paths::discover()?;
    let native = Rust::native()?;
    let mut summary = Summary::default();
    let mut apt = Apt::default();
    let ci = env_is_set("CI");

    let e2e_tools = if opts.e2e {
        summary.step("tools for the browser tests", || {
            let wasm = toolchain::wasm_toolchain(&native, &mut apt)?;
            let chromium = toolchain::chromium(&mut apt)?;
            toolchain::node(&mut apt)?;
            toolchain::node_modules(&paths)?;
            say!("chromium: {}", chromium.display());
            Ok(E2eTools { wasm, chromium })
        })
    } else {
        None
    };

    let needs_pg = opts.rust || (opts.e2e && opts.postgres);
    let pg = if needs_pg {
        check_postgres(&mut summary, ci)
    } else {
        None
    };

    if opts.rust {
        summary.step("clippy (warnings denied)", || {
            audit::clippy(&native, &paths)
        });
        summary.step("advisories (cargo-audit on Cargo.lock)", || {
            audit::advisories(&native, &paths)
        });
        summary.tests(
            "Rust tests (cargo test, workspace without the client)",
            || {
                let mut cmd = native.cargo(&paths);
                cmd.args([
                    "test",
                    "--no-fail-fast",
                    "--workspace",
                    "--exclude",
                    "frontend",
                    "--exclude",
                    "xtask",
                ]);
                match &pg {
                    Some(pg) => cmd.env("CIT_TEST_POSTGRES_URL", &pg.url),
                    None => cmd.env_remove("CIT_TEST_POSTGRES_URL"),
                };
                util::run_counting(&mut cmd, util::count_libtest, RUST_TESTS_LIMIT)
            },
        );
        summary.tests("xtask unit tests", || {
            let mut cmd = native.cargo(&paths);
            util::run_counting(
                cmd.args(["test", "-p", "xtask"]),
                util::count_libtest,
                RUST_TESTS_LIMIT,
            )
        });
    }

    if let Some(tools) = &e2e_tools {
        let client = summary.step(
            "client build (wasm32, wasm-release) into target/site",
            || {
                client::compile(&tools.wasm, &paths)?;
                let sizes = client::assemble(&native, &paths)?;
                client::report(&paths, sizes);
                Ok(())
            },
        );
        let server = summary.step("server build (dev profile)", || {
            let mut cmd = native.cargo(&paths);
            if opts.rust {
                // The Rust tests' own command: it built the binary their integration tests
                // run (with the features the tests' dependencies unify to), so this finds
                // everything built. `cargo build -p server` unifies features differently and
                // recompiled the whole application (3m13s of a CI run).
                cmd.args([
                    "test",
                    "--no-run",
                    "--workspace",
                    "--exclude",
                    "frontend",
                    "--exclude",
                    "xtask",
                ]);
            } else {
                cmd.args(["build", "-p", "server"]);
            }
            util::run(&mut cmd)?;
            Ok(paths.server_binary("debug"))
        });
        match (client, server) {
            (Some(()), Some(server)) => {
                let setup = e2e::Setup {
                    paths: &paths,
                    server: &server,
                    chromium: &tools.chromium,
                    playwright_args: &opts.playwright_args,
                };
                if opts.sqlite {
                    summary.tests("browser tests on SQLite", || {
                        e2e::run_suite(&setup, Db::Sqlite, None)
                    });
                }
                if opts.postgres {
                    match &pg {
                        Some(pg) => {
                            summary.tests("browser tests on PostgreSQL", || {
                                e2e::run_suite(&setup, Db::Postgres, Some(pg))
                            });
                        }
                        None => {
                            summary.skip("browser tests on PostgreSQL", "PostgreSQL unreachable")
                        }
                    }
                }
            }
            _ => summary.skip("browser tests", "the build failed"),
        }
    } else if opts.e2e {
        summary.skip("browser tests", "tools missing");
    }

    summary.print(started.elapsed());
    if pg.is_none() && needs_pg && !ci {
        loud_warning(&pg_url_from_env());
    }
    Ok(if summary.failed() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn pg_url_from_env() -> String {
    env::var("CIT_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| postgres::DEFAULT_URL.to_owned())
}

/// Finds the PostgreSQL server for the tests. Unreachable: an error in CI, a loud warning
/// (and the PostgreSQL half skipped) elsewhere.
fn check_postgres(summary: &mut Summary, ci: bool) -> Option<PgUrl> {
    let url = pg_url_from_env();
    summary
        .step("PostgreSQL reachable", || {
            let pg = PgUrl::parse(&url)?;
            if pg.reachable() || pg.try_start_local() {
                say!("PostgreSQL answers at {}:{}; its tests run", pg.host, pg.port);
                return Ok(Some(pg));
            }
            if ci {
                return Err(Error::new(format!(
                    "PostgreSQL does not answer at {}:{} and CI is set: the PostgreSQL tests cannot be skipped in CI",
                    pg.host, pg.port
                )));
            }
            loud_warning(&url);
            Ok(None)
        })
        .flatten()
}

fn loud_warning(url: &str) {
    let bar = "!".repeat(78);
    eprintln!("\n{bar}");
    eprintln!("!!  WARNING: PostgreSQL is NOT reachable ({url}).");
    eprintln!("!!  The PostgreSQL half of the tests is SKIPPED: the Rust integration tests run on");
    eprintln!("!!  SQLite only, and the browser tests do not run against PostgreSQL.");
    eprintln!("!!  Start PostgreSQL or set CIT_TEST_POSTGRES_URL to one that answers.");
    eprintln!("!!  (With CI set this is an error, not a warning.)");
    eprintln!("{bar}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options> {
        Options::parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn defaults_run_everything() {
        let Ok(o) = parse(&[]) else {
            panic!("no options failed")
        };
        assert!(o.rust && o.e2e && o.sqlite && o.postgres && o.playwright_args.is_empty());
    }

    #[test]
    fn options_narrow_the_run() {
        let Ok(o) = parse(&["--no-e2e"]) else {
            panic!()
        };
        assert!(o.rust && !o.e2e);
        let Ok(o) = parse(&["--e2e-only", "--db", "sqlite"]) else {
            panic!()
        };
        assert!(!o.rust && o.e2e && o.sqlite && !o.postgres);
        let Ok(o) = parse(&["--db=postgres", "--", "--grep", "signup"]) else {
            panic!()
        };
        assert!(!o.sqlite && o.postgres);
        assert_eq!(o.playwright_args, vec!["--grep", "signup"]);
    }

    #[test]
    fn bad_options_are_refused() {
        assert!(parse(&["--db", "mysql"]).is_err());
        assert!(parse(&["--db"]).is_err());
        assert!(parse(&["--fast"]).is_err());
        assert!(parse(&["--no-e2e", "--e2e-only"]).is_err());
    }
}
