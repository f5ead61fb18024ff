//! Small helpers: the error type, messages, and running child processes.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// An error with a message meant for the person at the terminal.
#[derive(Debug)]
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Self(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Adds what was being done to an error.
pub trait Context<T> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: fmt::Display> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error(format!("{}: {e}", what())))
    }
}

/// Prints a line prefixed with `xtask:` on stderr (stdout belongs to the tools we run).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { eprintln!("xtask: {}", format!($($arg)*)) };
}

/// Prints the heading of a step.
pub fn heading(title: &str) {
    eprintln!();
    eprintln!("==> {title}");
}

/// Formats a duration as `1m02s` or `4.2s`.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 {
        let whole = d.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    } else {
        format!("{secs:.1}s")
    }
}

/// Formats a byte count as `608,910 B`.
pub fn human_bytes(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out} B")
}

/// Describes a command for messages: `cargo build -p server`.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        s.push(' ');
        if arg.contains(' ') || arg.is_empty() {
            s.push_str(&format!("'{arg}'"));
        } else {
            s.push_str(&arg);
        }
    }
    s
}

/// Runs a command with inherited stdio and fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = describe(cmd);
    eprintln!("    $ {shown}");
    let status = cmd
        .status()
        .context(|| format!("could not start `{shown}`"))?;
    check_status(&shown, status)
}

pub fn check_status(shown: &str, status: ExitStatus) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        Err(Error(format!("`{shown}` failed ({status})")))
    }
}

/// Tests counted from a test runner's output.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
    /// The tests that failed (a browser test retried into a pass included, as "flaky"), by
    /// name: the summary repeats them, since CI keeps only the end of a long log.
    pub failures: Vec<String>,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.failures.extend(other.failures.iter().cloned());
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Runs a command whose stdout is echoed line by line and fed to `count` (to tally the tests
/// a runner reports); stderr is inherited. Past `limit` the command and everything it started
/// are stopped, so that a stuck test cannot hold CI until its own time runs out.
pub fn run_counting(
    cmd: &mut Command,
    count: fn(&str, &mut Counts),
    limit: Duration,
) -> (Result<()>, Counts) {
    let mut counts = Counts::default();
    let shown = describe(cmd);
    eprintln!("    $ {shown}");
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => {
            return (
                Err(Error(format!("could not start `{shown}`: {e}"))),
                counts,
            )
        }
    };
    let (done, watchdog) = watchdog(child.id(), limit);
    if let Some(stdout) = child.stdout.take() {
        let mut reader = io::BufReader::new(stdout);
        let mut line = Vec::new();
        loop {
            line.clear();
            match io::BufRead::read_until(&mut reader, b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let text = String::from_utf8_lossy(&line);
                    // print! (not a raw write) so that libtest captures it in xtask's own tests.
                    print!("{text}");
                    let _ = io::Write::flush(&mut io::stdout());
                    count(&strip_ansi(&text), &mut counts);
                }
            }
        }
    }
    let status = child.wait();
    drop(done);
    let timed_out = watchdog.join().unwrap_or(false);
    let outcome = match status {
        Ok(_) if timed_out => Err(Error(format!(
            "`{shown}` ran longer than {} minutes and was stopped (a test is probably stuck: \
             look above for \"has been running for over 60 seconds\")",
            limit.as_secs() / 60
        ))),
        Ok(status) => check_status(&shown, status),
        Err(e) => Err(Error(format!("waiting for `{shown}`: {e}"))),
    };
    (outcome, counts)
}

/// A thread that stops process `pid` and its descendants unless the returned sender is
/// dropped within `limit`. Its result says whether it had to.
fn watchdog(pid: u32, limit: Duration) -> (mpsc::Sender<()>, thread::JoinHandle<bool>) {
    let (done, wait) = mpsc::channel::<()>();
    let handle = thread::spawn(move || match wait.recv_timeout(limit) {
        Err(mpsc::RecvTimeoutError::Timeout) => {
            eprintln!(
                "xtask: time limit of {} minutes reached: stopping process {pid} and its children",
                limit.as_secs() / 60
            );
            kill_tree(pid);
            true
        }
        _ => false,
    });
    (done, handle)
}

/// Sends SIGKILL to `pid` and all its descendants (found through /proc).
fn kill_tree(pid: u32) {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            if let Some(parent) = parent_of(&stat) {
                parents.push((child, parent));
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    let _ = Command::new("kill")
        .arg("-KILL")
        .args(tree.iter().map(u32::to_string))
        .stderr(Stdio::null())
        .status();
}

/// The parent pid from a `/proc/<pid>/stat` line: `123 (name with spaces) S 45 ...`.
fn parent_of(stat: &str) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// Removes terminal colour codes (`ESC [ ... letter`).
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// libtest's `test result: ok. 32 passed; 0 failed; 1 ignored; ...`.
pub fn count_libtest(line: &str, counts: &mut Counts) {
    if let Some(name) = line
        .trim()
        .strip_prefix("test ")
        .and_then(|l| l.strip_suffix(" ... FAILED"))
    {
        counts.failures.push(name.to_owned());
        return;
    }
    let Some(rest) = line.trim().strip_prefix("test result: ") else {
        return;
    };
    for part in rest.split(';') {
        let mut words = part.split_whitespace().rev();
        let (Some(kind), Some(n)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else {
            continue;
        };
        match kind {
            "passed" => counts.passed += n,
            "failed" => counts.failed += n,
            "ignored" => counts.skipped += n,
            _ => {}
        }
    }
}

/// Playwright's closing lines: `22 passed (58.8s)`, `2 failed`, `2 skipped`, `1 flaky`.
pub fn count_playwright(line: &str, counts: &mut Counts) {
    // A failed try, as the list reporter prints it: `✘  15 [js-off] › tests/a.spec.ts:26:1 › title (11.9s)`.
    if let Some(rest) = line.trim().strip_prefix('✘') {
        let title = rest.trim_start().split_once(' ').map_or(rest, |(_, t)| t);
        counts.failures.push(title.trim().to_owned());
        return;
    }
    let mut words = line.trim().splitn(3, ' ');
    let (Some(n), Some(kind)) = (words.next(), words.next()) else {
        return;
    };
    let Ok(n) = n.parse::<u64>() else {
        return;
    };
    let rest = words.next().unwrap_or_default();
    let kind = if kind == "did" && rest.starts_with("not run") {
        "did not run"
    } else {
        kind
    };
    if kind != "did not run" && !(rest.is_empty() || rest.starts_with('(')) {
        return;
    }
    match kind {
        "passed" | "flaky" => counts.passed += n,
        "failed" | "interrupted" => counts.failed += n,
        "skipped" | "did not run" => counts.skipped += n,
        _ => {}
    }
}

/// Runs a command quietly and returns its trimmed stdout if it exits 0.
pub fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// What became of a command that was given a time limit.
pub enum Timed {
    Finished(ExitStatus),
    TimedOut,
}

/// Runs a command with inherited stdio, killing it if it runs longer than `limit`.
pub fn run_with_limit(cmd: &mut Command, limit: Duration) -> Result<Timed> {
    let shown = describe(cmd);
    eprintln!("    $ {shown}   (time limit {}s)", limit.as_secs());
    let mut child = cmd
        .stdin(Stdio::null())
        .spawn()
        .context(|| format!("could not start `{shown}`"))?;
    wait_with_limit(&mut child, limit)
}

fn wait_with_limit(child: &mut Child, limit: Duration) -> Result<Timed> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Timed::Finished(status));
        }
        if start.elapsed() >= limit {
            // The child may exit between try_wait and kill; either way it is gone after wait.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Timed::TimedOut);
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// Finds an executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

pub fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// Whether this process runs as root (and so may use apt-get).
pub fn is_root() -> bool {
    output_of(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// Whether an environment variable is set to something other than empty.
pub fn env_is_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

/// A 64-bit FNV-1a hash, for change stamps.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_grouped_by_thousands() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1000), "1,000 B");
        assert_eq!(human_bytes(608_910), "608,910 B");
        assert_eq!(human_bytes(1_234_567), "1,234,567 B");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_millis(4200)), "4.2s");
        assert_eq!(human_duration(Duration::from_secs(62)), "1m02s");
    }

    #[test]
    fn libtest_results_are_counted() {
        let mut c = Counts::default();
        count_libtest("test result: ok. 32 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.15s", &mut c);
        count_libtest(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
            &mut c,
        );
        count_libtest("test foo ... ok", &mut c);
        count_libtest("test sqlite::bar ... FAILED", &mut c);
        assert_eq!(
            c,
            Counts {
                passed: 35,
                failed: 2,
                skipped: 1,
                failures: vec!["sqlite::bar".to_owned()],
            }
        );
    }

    #[test]
    fn playwright_closing_lines_are_counted() {
        let mut c = Counts::default();
        for line in [
            "  ✘  15 [js-off] › tests/accounts.spec.ts:26:1 › sign-up errors (11.9s)",
            "  2 failed",
            "    [js-off] › tests/accounts.spec.ts:26:1 › sign-up errors appear next to the fields",
            "  2 skipped",
            "  22 passed (1.0m)",
            "  1 did not run",
            "Running 26 tests using 1 worker",
        ] {
            count_playwright(&strip_ansi(line), &mut c);
        }
        assert_eq!(
            c,
            Counts {
                passed: 22,
                failed: 2,
                skipped: 3,
                failures: vec![
                    "[js-off] › tests/accounts.spec.ts:26:1 › sign-up errors (11.9s)".to_owned()
                ],
            }
        );
    }

    #[test]
    fn colour_codes_are_stripped() {
        assert_eq!(
            strip_ansi("\u{1b}[32m  22 passed\u{1b}[39m\u{1b}[2m (1.0m)\u{1b}[22m"),
            "  22 passed (1.0m)"
        );
    }

    #[test]
    fn parent_pids_are_read_past_odd_names() {
        assert_eq!(parent_of("123 (cargo) S 45 123 45 0 -1"), Some(45));
        assert_eq!(parent_of("9 (a) b (c) R 7 9 9"), Some(7));
        assert_eq!(parent_of("garbage"), None);
    }

    #[test]
    fn a_stuck_runner_and_its_children_are_stopped() {
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            "echo 'test result: ok. 1 passed; 0 failed; 0 ignored'; sleep 30 & sleep 30",
        ]);
        let start = Instant::now();
        let (outcome, counts) = run_counting(&mut cmd, count_libtest, Duration::from_secs(1));
        assert!(outcome.is_err());
        assert_eq!(counts.passed, 1);
        // The background `sleep` held stdout open too: it was stopped with its parent.
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_quick_runner_is_left_alone() {
        let mut cmd = Command::new("true");
        let (outcome, _) = run_counting(&mut cmd, count_libtest, Duration::from_secs(30));
        assert!(outcome.is_ok());
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }

    #[test]
    fn commands_are_described_with_quotes_where_needed() {
        let mut cmd = Command::new("cit-academy");
        cmd.args(["user", "add", "--name", "E2E Admin"]);
        assert_eq!(describe(&cmd), "cit-academy user add --name 'E2E Admin'");
    }

    #[test]
    fn a_command_over_its_limit_is_killed() {
        let mut cmd = Command::new("sleep");
        cmd.arg("5");
        let start = Instant::now();
        let outcome = run_with_limit(&mut cmd, Duration::from_millis(300));
        assert!(matches!(outcome, Ok(Timed::TimedOut)));
        assert!(start.elapsed() < Duration::from_secs(3));
    }
}
