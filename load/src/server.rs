//! The real server, `cit-academy serve`, as a child process: started on a free port against
//! the prepared database, watched for its peak memory, stopped (or killed, for crash tests).

use crate::Result;
use std::{
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::process::{Child, Command};

/// How to start the server; start it again with the same settings after a kill.
#[derive(Debug, Clone)]
pub struct Settings {
    pub binary: PathBuf,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub bind: SocketAddr,
    /// Standard output and error, appended.
    pub log: PathBuf,
    /// Extra environment (`--server-env`).
    pub env: Vec<(String, String)>,
}

impl Settings {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.bind)
    }
}

pub struct Server {
    child: Child,
    pid: u32,
}

/// The binary from `--server-bin`, else where `cargo build --release -p server` puts it.
pub fn binary(given: Option<PathBuf>) -> Result<PathBuf> {
    let path = given.unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"));
        target.join("release").join("cit-academy")
    });
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no server binary at {}: build it with `cargo build --release -p server` (or pass --server-bin)",
            path.display()
        )
        .into())
    }
}

/// A port nobody listens on now (the server binds it a moment later).
pub fn free_address() -> Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

fn open_log(path: &Path) -> Result<std::fs::File> {
    Ok(std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?)
}

impl Server {
    /// Starts the server and waits until `/healthz` answers.
    pub async fn start(settings: &Settings) -> Result<Server> {
        let log = open_log(&settings.log)?;
        let child = Command::new(&settings.binary)
            .arg("serve")
            .env("DATABASE_URL", &settings.database_url)
            .env("CIT_DATA_DIR", &settings.data_dir)
            .env("CIT_BIND", settings.bind.to_string())
            .env("CIT_PUBLIC_URL", settings.base_url())
            .envs(settings.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", settings.binary.display()))?;
        let pid = child.id().ok_or("the server exited at once")?;
        let mut server = Server { child, pid };
        let health = format!("{}/healthz", settings.base_url());
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}); see {}",
                    settings.log.display()
                )
                .into());
            }
            if let Ok(r) = client.get(&health).send().await {
                if r.status().is_success() {
                    return Ok(server);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill().await;
        Err(format!(
            "the server did not answer within 30 s; see {}",
            settings.log.display()
        )
        .into())
    }

    /// The most memory the process has held (VmHWM), in KiB.
    pub fn peak_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    }

    /// CPU time the server has used (user + system), from /proc/<pid>/stat.
    pub fn cpu(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        // Fields after the command name (which may hold spaces) and its closing parenthesis.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_secs_f64(ticks as f64 / ticks_per_second()))
    }

    /// Starts the peak over from the current size ("5" to clear_refs, Linux 4.0+), so that
    /// a phase can be measured on its own.
    pub fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    /// SIGTERM, as a service manager stops it: requests in flight finish. SIGKILL after 30 s.
    pub async fn stop(mut self) {
        if let Ok(pid) = i32::try_from(self.pid) {
            // SAFETY: kill only sends a signal to our own child, which we have not reaped.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        if tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .is_err()
        {
            self.kill().await;
        }
    }

    /// SIGKILL: the crash a power cut or the OOM killer would cause.
    pub async fn kill(&mut self) {
        let _ = self.child.kill().await;
    }
}

fn ticks_per_second() -> f64 {
    // SAFETY: sysconf only reads a system constant.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 {
        ticks as f64
    } else {
        100.0
    }
}
