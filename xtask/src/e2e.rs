//! Browser tests: a fresh database, the real server, Playwright driving Chromium.

use std::fs::{self, File};
use std::io::{IsTerminal, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::paths::Paths;
use crate::postgres::{PgUrl, ScratchDb};
use crate::say;
use crate::util::{self, check_status, describe, run, Context, Counts, Error, Result};

/// How long one Playwright run may take (each test has its own limit too): a guard against a
/// stuck browser, not a budget. 90 tests per database took 10m42s on a quiet machine in
/// session 9; with this session's additions and other work beside it, a run passed 15
/// minutes (7 December 2026).
const BROWSER_TESTS_LIMIT: Duration = Duration::from_secs(25 * 60);

pub const ADMIN_EMAIL: &str = "admin@e2e.test";
pub const ADMIN_PASSWORD: &str = "Correct-Horse-Battery-9";

/// The database behind one browser-test run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

impl Db {
    pub fn name(self) -> &'static str {
        match self {
            Db::Sqlite => "sqlite",
            Db::Postgres => "postgres",
        }
    }
}

/// What a browser-test run needs.
pub struct Setup<'a> {
    pub paths: &'a Paths,
    pub server: &'a Path,
    pub chromium: &'a Path,
    /// Extra arguments for `playwright test` (e.g. `--grep signup`).
    pub playwright_args: &'a [String],
}

/// Runs the Playwright suite against a fresh server on a fresh `db` database, returning
/// the tests Playwright counted.
pub fn run_suite(setup: &Setup<'_>, db: Db, pg: Option<&PgUrl>) -> (Result<()>, Counts) {
    match prepare_and_run(setup, db, pg) {
        Ok(outcome) => outcome,
        Err(e) => (Err(e), Counts::default()),
    }
}

fn prepare_and_run(setup: &Setup<'_>, db: Db, pg: Option<&PgUrl>) -> Result<(Result<()>, Counts)> {
    let artifacts = setup.paths.end2end.join("artifacts");
    fs::create_dir_all(&artifacts)?;
    let data_dir = std::env::temp_dir().join(format!("cit-e2e-{}-{}", db.name(), unique()));
    fs::create_dir_all(&data_dir)?;

    // Declared before the server so that it is dropped after the server is killed.
    let scratch = match db {
        Db::Sqlite => None,
        Db::Postgres => {
            let admin = pg.ok_or_else(|| Error::new("no PostgreSQL server to test against"))?;
            Some(ScratchDb::create(admin, format!("cit_e2e_{}", unique()))?)
        }
    };
    let database_url = match &scratch {
        Some(db) => db.url.clone(),
        None => format!("sqlite://{}/cit-academy.db", data_dir.display()),
    };
    say!("e2e ({}): database {database_url}", db.name());

    let server_cmd = |args: &[&str]| {
        let mut cmd = Command::new(setup.server);
        cmd.current_dir(&setup.paths.repo)
            .env("CIT_DATA_DIR", &data_dir)
            .env("DATABASE_URL", &database_url)
            .env("RUST_LOG", "info")
            // The whole suite signs its people up from 127.0.0.1, far more than an hour's
            // default allowance for one address.
            .env("CIT_SIGN_UPS_PER_ADDRESS_HOUR", "100000")
            .args(args);
        cmd
    };
    run(&mut server_cmd(&["migrate"]))?;
    // The browser tests take the demonstration classes, question bank and tests.
    run(&mut server_cmd(&["seed", "--demo"]))?;
    add_admin(server_cmd(&[
        "user",
        "add",
        "--email",
        ADMIN_EMAIL,
        "--name",
        "E2E Admin",
        "--role",
        "admin",
    ]))?;

    let port = free_port()?;
    let bind = format!("127.0.0.1:{port}");
    let log_path = artifacts.join(format!("server-{}.log", db.name()));
    let log = File::create(&log_path)?;
    let mut cmd = server_cmd(&["serve", "--bind", &bind]);
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    eprintln!("    $ {}   (log: {})", describe(&cmd), log_path.display());
    let mut server = RunningServer(cmd.spawn().context(|| "starting the server".to_owned())?);
    wait_until_healthy(&mut server.0, &bind, &log_path)?;

    let base_url = format!("http://{bind}");
    let mut cmd = Command::new(setup.paths.end2end.join("node_modules/.bin/playwright"));
    cmd.current_dir(&setup.paths.end2end)
        .env("BASE_URL", &base_url)
        .env("E2E_DB", db.name())
        .env("E2E_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("E2E_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("E2E_MAIL_DIR", data_dir.join("outbox"))
        // For tests that start (and kill) a second server on the same database.
        .env("E2E_SERVER_BIN", setup.server)
        .env("E2E_DATABASE_URL", &database_url)
        .env("E2E_DATA_DIR", &data_dir)
        .env("CHROMIUM_PATH", setup.chromium)
        .arg("test")
        .args(projects(db, setup.playwright_args))
        .args(setup.playwright_args);
    if std::io::stdout().is_terminal() {
        // Its output is piped through xtask (to count the tests): keep the colours.
        cmd.env("FORCE_COLOR", "1");
    }
    let (outcome, counts) =
        util::run_counting(&mut cmd, util::count_playwright, BROWSER_TESTS_LIMIT);
    drop(server);
    if outcome.is_ok() {
        let _ = fs::remove_dir_all(&data_dir);
    } else {
        say!(
            "e2e ({}): screenshots and traces in {}, server log {}",
            db.name(),
            artifacts.join(db.name()).display(),
            log_path.display()
        );
    }
    drop(scratch);
    Ok((outcome, counts))
}

/// The Playwright projects to run on `db`, unless the caller chose: both on SQLite, only
/// `js-on` on PostgreSQL. Without JavaScript the same server functions answer plain form
/// posts, so the database under them is already covered by the `js-on` run and by the Rust
/// tests on both databases; what JavaScript-off adds (pages and forms that work as plain
/// HTML) does not depend on the database. This keeps CI well inside its time.
fn projects(db: Db, chosen: &[String]) -> Vec<&'static str> {
    let caller_chose = chosen.iter().any(|a| a.starts_with("--project"));
    match db {
        Db::Postgres if !caller_chose => vec!["--project=js-on"],
        _ => Vec::new(),
    }
}

/// `cit-academy user add ...` reading the password from stdin.
fn add_admin(mut cmd: Command) -> Result<()> {
    let shown = describe(&cmd);
    eprintln!("    $ {shown} < password");
    let mut child = cmd
        .stdin(Stdio::piped())
        .spawn()
        .context(|| format!("could not start `{shown}`"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // The command may stop reading early; what matters is its exit status.
        let _ = writeln!(stdin, "{ADMIN_PASSWORD}");
    }
    check_status(&shown, child.wait()?)
}

/// The server process, killed when this value goes away (also on errors and panics).
struct RunningServer(Child);

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until_healthy(server: &mut Child, bind: &str, log: &Path) -> Result<()> {
    let start = Instant::now();
    let limit = Duration::from_secs(60);
    loop {
        if let Some(status) = server.try_wait()? {
            print_log(log);
            return Err(Error::new(format!(
                "the server exited before it was ready ({status})"
            )));
        }
        if healthz(bind) == Some(200) {
            say!(
                "server ready at http://{bind} after {:.1}s",
                start.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        if start.elapsed() > limit {
            print_log(log);
            return Err(Error::new(format!(
                "GET http://{bind}/healthz did not answer 200 within 60 s"
            )));
        }
        thread::sleep(Duration::from_millis(250));
    }
}

/// The status code of `GET /healthz`, if the server answers at all.
fn healthz(bind: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(bind).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {bind}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).ok()?;
    status_code(&String::from_utf8_lossy(&head[..n]))
}

/// `HTTP/1.1 200 OK` -> 200.
fn status_code(response: &str) -> Option<u16> {
    let mut parts = response.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

fn print_log(log: &Path) {
    eprintln!("---- server log ({}) ----", log.display());
    match fs::read_to_string(log) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            let from = lines.len().saturating_sub(200);
            for line in &lines[from..] {
                eprintln!("{line}");
            }
        }
        Err(e) => eprintln!("(cannot read it: {e})"),
    }
    eprintln!("---- end of server log ----");
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A name part that differs between runs and processes.
fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{}_{nanos:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_codes() {
        assert_eq!(
            status_code("HTTP/1.1 200 OK\r\ncontent-length: 2"),
            Some(200)
        );
        assert_eq!(status_code("HTTP/1.1 503 Service Unavailable"), Some(503));
        assert_eq!(status_code("garbage"), None);
        assert_eq!(status_code(""), None);
    }

    #[test]
    fn javascript_off_runs_on_sqlite_only_unless_the_caller_chooses() {
        assert!(projects(Db::Sqlite, &[]).is_empty());
        assert_eq!(projects(Db::Postgres, &[]), ["--project=js-on"]);
        let chosen = ["--project=js-off".to_owned()];
        assert!(projects(Db::Postgres, &chosen).is_empty());
    }

    #[test]
    fn unique_names_are_valid_sql_identifiers() {
        let name = format!("cit_e2e_{}", unique());
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{name}"
        );
        assert!(name.len() < 63);
    }

    #[test]
    fn healthz_reads_a_real_response() -> Result<()> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?.to_string();
        let server = thread::spawn(move || -> std::io::Result<()> {
            let (mut conn, _) = listener.accept()?;
            let mut buf = [0u8; 256];
            let _ = conn.read(&mut buf)?;
            conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
        });
        assert_eq!(healthz(&addr), Some(200));
        assert!(server.join().is_ok_and(|r| r.is_ok()));
        Ok(())
    }
}
