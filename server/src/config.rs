//! Configuration from the environment (and `.env` in development), validated once at start-up
//! into one typed struct.

use crate::{badge_key::BadgeKey, middleware::client_address::TrustedProxies};
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// Everything the server needs to know, with the defaults documented in the README.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// `CIT_BIND`: where to listen.
    pub bind: SocketAddr,
    /// `CIT_DATA_DIR`: the SQLite file, the mail outbox and uploaded files (`files/`).
    pub data_dir: PathBuf,
    /// `CIT_PUBLIC_URL`: the address people use; `https://` turns on Secure cookies and HSTS.
    pub public_url: String,
    /// `CIT_TRUSTED_PROXIES`: the proxies in front of the server, as a count or as addresses
    /// and CIDR networks; the client address is the right-most `X-Forwarded-For` hop they do
    /// not account for. The older `CIT_TRUST_PROXY=true` means one proxy.
    pub trusted_proxies: TrustedProxies,
    /// `CIT_SESSION_IDLE_MINUTES`: a session ends after this long without a request.
    pub session_idle: Duration,
    /// `CIT_SESSION_MAX_HOURS`: a session ends this long after sign-in, however active.
    pub session_max: Duration,
    /// `LEPTOS_SITE_ROOT`: the built client files (`pkg/`), relative to the working directory.
    pub site_root: String,
    /// `SMTP_URL`: `smtp://host:port` (plain; add `?tls=required` for STARTTLS) or
    /// `smtps://user:pass@host` (TLS). Unset: messages are written as .eml files under
    /// `<data dir>/outbox/` instead of being sent.
    pub smtp_url: Option<Secret>,
    /// `CIT_MAIL_FROM`: the sender of every message.
    pub mail_from: String,
    /// `CIT_BADGE_SIGNING_KEY` (or the file `CIT_BADGE_SIGNING_KEY_FILE`): the Ed25519 key
    /// that signs the Open Badges credentials. None: an ephemeral key is made at start-up.
    pub badge_key: Option<BadgeKey>,
    /// Renewal by continuing education: hours needed, grace after expiry.
    pub renewal: app::domain::renewal::Policy,
    /// `CIT_SIGN_UPS_PER_ADDRESS_HOUR`: sign-ups accepted from one client address in an hour
    /// (default 20; an agency behind one address signing its staff up may need more).
    pub sign_ups_per_address: usize,
}

/// A value that must never be printed (it may carry a password).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The default sender.
pub const DEFAULT_MAIL_FROM: &str = "CIT Academy <no-reply@cit-academy.local>";

#[derive(Debug, thiserror::Error)]
#[error("configuration: {name} {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn parse<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|e: T::Err| ConfigError {
            name,
            problem: format!("is not valid ({v:?}: {e})"),
        }),
    }
}

/// `CIT_CLOCK_OFFSET_DAYS`: whole days to move the application's clock (`app::clock`) from
/// the system's, for rehearsing years of use on a copy of the data; 0 unless set. Never set
/// it on a live site: certificates would be dated wrongly.
pub fn clock_offset_days() -> Result<i64, ConfigError> {
    let days: i64 = parse("CIT_CLOCK_OFFSET_DAYS", 0)?;
    if days.abs() > 36_500 {
        return Err(ConfigError {
            name: "CIT_CLOCK_OFFSET_DAYS",
            problem: format!("is more than a century ({days} days)"),
        });
    }
    Ok(days)
}

/// The badge signing key from `CIT_BADGE_SIGNING_KEY`, or from the file that
/// `CIT_BADGE_SIGNING_KEY_FILE` names.
fn badge_key() -> Result<Option<BadgeKey>, ConfigError> {
    let (name, text) = match (
        var("CIT_BADGE_SIGNING_KEY"),
        var("CIT_BADGE_SIGNING_KEY_FILE"),
    ) {
        (Some(key), _) => ("CIT_BADGE_SIGNING_KEY", Secret::new(key)),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
                name: "CIT_BADGE_SIGNING_KEY_FILE",
                problem: format!("cannot be read ({path}: {e})"),
            })?;
            ("CIT_BADGE_SIGNING_KEY_FILE", Secret::new(text))
        }
        (None, None) => return Ok(None),
    };
    BadgeKey::parse(text.expose())
        .map(Some)
        .map_err(|e| ConfigError {
            name,
            problem: e.to_string(),
        })
}

impl Config {
    /// Reads the environment. `bind` overrides `CIT_BIND` (the `--bind` flag).
    pub fn from_env(bind: Option<SocketAddr>) -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(var("CIT_DATA_DIR").unwrap_or_else(|| "data".to_owned()));
        let database_url = var("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}/cit-academy.db", data_dir.display()));
        let bind = match bind {
            Some(b) => b,
            None => parse("CIT_BIND", SocketAddr::from(([127, 0, 0, 1], 3000)))?,
        };
        let public_url = var("CIT_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError {
                name: "CIT_PUBLIC_URL",
                problem: "must start with http:// or https://".into(),
            });
        }
        let idle: u64 = parse("CIT_SESSION_IDLE_MINUTES", 120)?;
        let max: u64 = parse("CIT_SESSION_MAX_HOURS", 12)?;
        if idle == 0 || max == 0 {
            return Err(ConfigError {
                name: "CIT_SESSION_*",
                problem: "must be greater than zero".into(),
            });
        }
        let smtp_url = var("SMTP_URL").map(Secret::new);
        if let Some(url) = &smtp_url {
            let url = url.expose();
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError {
                    name: "SMTP_URL",
                    problem: "must start with smtp:// or smtps://".into(),
                });
            }
        }
        let mail_from = var("CIT_MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        if let Err(e) = mail_from.parse::<lettre::message::Mailbox>() {
            return Err(ConfigError {
                name: "CIT_MAIL_FROM",
                problem: format!("is not a valid sender ({mail_from:?}: {e})"),
            });
        }
        let badge_key = badge_key()?;
        // Credentials signed with a key made at start-up stop verifying at the next restart:
        // acceptable on a laptop, not where people hold the badges.
        if public_url.starts_with("https://") && badge_key.is_none() {
            return Err(ConfigError {
                name: "CIT_BADGE_SIGNING_KEY",
                problem: "must be set when CIT_PUBLIC_URL is https (without it the badges the \
                          server signs stop verifying when it restarts). Make a key once with \
                          `cit-academy badge-key > badge-key.pem`, keep it with the backups, and set \
                          CIT_BADGE_SIGNING_KEY_FILE=badge-key.pem"
                    .into(),
            });
        }
        Ok(Self {
            database_url,
            bind,
            data_dir,
            public_url,
            trusted_proxies: trusted_proxies()?,
            session_idle: Duration::from_secs(idle * 60),
            session_max: Duration::from_secs(max * 3600),
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            smtp_url,
            mail_from,
            badge_key,
            renewal: app::domain::renewal::Policy {
                hours_needed: parse("CIT_CE_HOURS_REQUIRED", 4)?,
                grace_days: parse("CIT_RENEWAL_GRACE_DAYS", 0)?,
            },
            sign_ups_per_address: parse("CIT_SIGN_UPS_PER_ADDRESS_HOUR", 20)?,
        })
    }

    /// Served over TLS (directly or by a proxy): cookies get `Secure`, responses get HSTS.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// `CIT_TRUSTED_PROXIES`, or the older `CIT_TRUST_PROXY=true` read as one proxy.
fn trusted_proxies() -> Result<TrustedProxies, ConfigError> {
    match var("CIT_TRUSTED_PROXIES") {
        Some(text) => TrustedProxies::parse(&text).map_err(|problem| ConfigError {
            name: "CIT_TRUSTED_PROXIES",
            problem,
        }),
        None if parse("CIT_TRUST_PROXY", false)? => Ok(TrustedProxies::Count(1)),
        None => Ok(TrustedProxies::None),
    }
}
