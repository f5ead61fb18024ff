//! Small helpers: the error type, messages, and running child processes.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
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
