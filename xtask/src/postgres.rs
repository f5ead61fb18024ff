//! The PostgreSQL server the tests use: where it is, whether it answers, scratch databases.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use crate::say;
use crate::util::{self, run, which, Error, Result};

/// The default test server: the one these machines run, trust auth.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A `postgres://` URL and the host and port it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgUrl {
    pub url: String,
    pub host: String,
    pub port: u16,
}

impl PgUrl {
    pub fn parse(url: &str) -> Result<Self> {
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .ok_or_else(|| Error::new(format!("not a postgres:// URL: {url}")))?;
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
            // [::1]:5432
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| Error::new(format!("bad IPv6 host in {url}")))?;
            (host.to_owned(), after.strip_prefix(':'))
        } else {
            match host_port.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (host_port.to_owned(), None),
            }
        };
        let port = match port {
            Some(p) if !p.is_empty() => p
                .parse()
                .map_err(|_| Error::new(format!("bad port in {url}")))?,
            _ => 5432,
        };
        let host = if host.is_empty() {
            "127.0.0.1".to_owned()
        } else {
            host
        };
        Ok(Self {
            url: url.to_owned(),
            host,
            port,
        })
    }

    /// The same server and credentials, another database.
    pub fn with_database(&self, database: &str) -> String {
        let (scheme, rest) = self
            .url
            .split_once("://")
            .unwrap_or(("postgres", &self.url));
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
        format!("{scheme}://{authority}/{database}{query}")
    }

    /// Whether something accepts TCP connections at the host and port.
    pub fn reachable(&self) -> bool {
        let Ok(addrs) = (self.host.as_str(), self.port).to_socket_addrs() else {
            return false;
        };
        addrs
            .into_iter()
            .any(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(3)).is_ok())
    }

    /// The machine's own cluster on the default port (the one `pg_ctlcluster` can start).
    fn is_local(&self) -> bool {
        matches!(self.host.as_str(), "127.0.0.1" | "localhost" | "::1") && self.port == 5432
    }

    /// When the local cluster of this machine kind has stopped, starts it (as TOOLCHAIN.md
    /// says) and tells so. Returns whether the server answers afterwards.
    pub fn try_start_local(&self) -> bool {
        let clusters = Path::new("/etc/postgresql");
        if !self.is_local()
            || !clusters.is_dir()
            || which("pg_ctlcluster").is_none()
            || !util::is_root()
        {
            return false;
        }
        let Ok(mut versions) = std::fs::read_dir(clusters) else {
            return false;
        };
        let Some(Ok(version)) = versions.next() else {
            return false;
        };
        let version = version.file_name().to_string_lossy().into_owned();
        say!(
            "PostgreSQL does not answer on {}:{}; starting the local cluster {version}/main",
            self.host,
            self.port
        );
        let mut cmd = Command::new("pg_ctlcluster");
        cmd.args(["--skip-systemctl-redirect", &version, "main", "start"]);
        if run(&mut cmd).is_err() {
            return false;
        }
        for _ in 0..20 {
            if self.reachable() {
                return true;
            }
            thread::sleep(Duration::from_millis(500));
        }
        false
    }

    /// `psql <url> -c <sql>`, stopping at the first error.
    pub fn psql(&self, sql: &str) -> Result<()> {
        if which("psql").is_none() {
            return Err(Error::new(
                "psql is not installed (Debian package postgresql-client)",
            ));
        }
        let mut cmd = Command::new("psql");
        cmd.args([self.url.as_str(), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
        run(&mut cmd)
    }
}

/// A database created for one test run and dropped when this value goes away.
pub struct ScratchDb {
    admin: PgUrl,
    pub name: String,
    pub url: String,
}

impl ScratchDb {
    pub fn create(admin: &PgUrl, name: String) -> Result<Self> {
        admin.psql(&format!("CREATE DATABASE {name}"))?;
        Ok(Self {
            admin: admin.clone(),
            url: admin.with_database(&name),
            name,
        })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        // FORCE (PostgreSQL 13+) ends sessions a killed server may have left open.
        let forced = self.admin.psql(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
        if forced.is_err() {
            if let Err(e) = self
                .admin
                .psql(&format!("DROP DATABASE IF EXISTS {}", self.name))
            {
                say!(
                    "warning: could not drop the test database {}: {e}",
                    self.name
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> PgUrl {
        match PgUrl::parse(url) {
            Ok(u) => u,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    #[test]
    fn parses_the_default_url() {
        let u = parsed(DEFAULT_URL);
        assert_eq!((u.host.as_str(), u.port), ("127.0.0.1", 5432));
    }

    #[test]
    fn parses_credentials_ports_and_ipv6() {
        let u = parsed("postgresql://app:s3cr@t@db.internal:6543/cit?sslmode=disable");
        assert_eq!((u.host.as_str(), u.port), ("db.internal", 6543));
        let u = parsed("postgres://postgres@[::1]:5433/test");
        assert_eq!((u.host.as_str(), u.port), ("::1", 5433));
        let u = parsed("postgres://localhost/test");
        assert_eq!((u.host.as_str(), u.port), ("localhost", 5432));
        let u = parsed("postgres:///test");
        assert_eq!(u.host, "127.0.0.1");
    }

    #[test]
    fn rejects_other_schemes() {
        assert!(PgUrl::parse("sqlite://x.db").is_err());
        assert!(PgUrl::parse("postgres://h:port/x").is_err());
    }

    #[test]
    fn swaps_the_database_keeping_the_rest() {
        let u = parsed(DEFAULT_URL);
        assert_eq!(
            u.with_database("cit_e2e_1"),
            "postgres://postgres@127.0.0.1:5432/cit_e2e_1"
        );
        let u = parsed("postgres://a:b@h:1/test?sslmode=disable");
        assert_eq!(u.with_database("x"), "postgres://a:b@h:1/x?sslmode=disable");
        let u = parsed("postgres://h:1");
        assert_eq!(u.with_database("x"), "postgres://h:1/x");
    }

    #[test]
    fn a_closed_port_is_unreachable() {
        // Bind then drop to find a port nothing listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(1);
        let u = parsed(&format!("postgres://postgres@127.0.0.1:{port}/test"));
        assert!(!u.reachable());
    }
}
