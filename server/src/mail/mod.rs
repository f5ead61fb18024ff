//! Delivering the outbox: a transport (SMTP through lettre, or .eml files when no SMTP server
//! is configured) and the background sender that claims due messages and sends them.

pub mod sender;

use crate::config::Config;
use app::db::outbox::OutboxRow;
use base64::Engine;
use lettre::{
    message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart},
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use std::{path::PathBuf, time::Duration};

/// Where messages go.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Builds and sends messages from outbox rows.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

/// Why the mailer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("SMTP_URL is not usable: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("CIT_MAIL_FROM is not a valid sender: {0}")]
    From(#[from] lettre::address::AddressError),
    #[error("cannot create the mail directory {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
}

/// Why one message was not sent. The texts go into the outbox row, never into logs (they
/// can name the recipient).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("recipient address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("attachments: {0}")]
    Attachments(String),
    #[error("message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("file: {0}")]
    File(#[from] lettre::transport::file::Error),
}

impl SendError {
    /// A short category that is safe to log.
    pub fn category(&self) -> &'static str {
        match self {
            SendError::Address(_) => "address",
            SendError::Attachments(_) => "attachments",
            SendError::Build(_) => "build",
            SendError::Smtp(e) if e.is_permanent() => "smtp-permanent",
            SendError::Smtp(e) if e.is_timeout() => "smtp-timeout",
            SendError::Smtp(_) => "smtp",
            SendError::File(_) => "file",
        }
    }
}

impl Mailer {
    /// The mailer the configuration asks for: SMTP when `SMTP_URL` is set, else files under
    /// `<data dir>/outbox/`.
    pub fn from_config(config: &Config) -> Result<Self, SetupError> {
        let from: Mailbox = config.mail_from.parse()?;
        match &config.smtp_url {
            Some(url) => Self::smtp(url.expose(), from),
            None => Self::files(config.data_dir.join("outbox"), from),
        }
    }

    /// Sends over SMTP (`smtp://` plain or with `?tls=required`, `smtps://` TLS).
    pub fn smtp(url: &str, from: Mailbox) -> Result<Self, SetupError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Self {
            transport: Transport::Smtp(transport),
            from,
        })
    }

    /// Writes each message as an .eml file into `dir` (created if missing).
    pub fn files(dir: PathBuf, from: Mailbox) -> Result<Self, SetupError> {
        std::fs::create_dir_all(&dir).map_err(|source| SetupError::Directory {
            path: dir.display().to_string(),
            source,
        })?;
        Ok(Self {
            transport: Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(dir)),
            from,
        })
    }

    /// Sends one stored message.
    pub async fn send(&self, row: &OutboxRow) -> Result<(), SendError> {
        let message = self.build(row)?;
        match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ())?,
            Transport::Files(t) => t.send(message).await.map(|_| ())?,
        }
        Ok(())
    }

    fn build(&self, row: &OutboxRow) -> Result<Message, SendError> {
        let builder = Message::builder()
            .from(self.from.clone())
            .to(row.to_address.parse::<Mailbox>()?)
            .subject(row.subject.clone());
        let attachments = row
            .attachments()
            .map_err(|e| SendError::Attachments(e.to_string()))?;
        if attachments.is_empty() {
            return Ok(builder
                .header(ContentType::TEXT_PLAIN)
                .body(row.body_to_send())?);
        }
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(row.body_to_send()));
        for a in attachments {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(a.content_base64.as_bytes())
                .map_err(|e| SendError::Attachments(format!("{}: {e}", a.filename)))?;
            let content_type = ContentType::parse(&a.content_type)
                .map_err(|e| SendError::Attachments(format!("{}: {e}", a.filename)))?;
            parts = parts.singlepart(Attachment::new(a.filename).body(bytes, content_type));
        }
        Ok(builder.multipart(parts)?)
    }
}
