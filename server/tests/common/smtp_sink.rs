//! A real SMTP listener for tests: speaks enough SMTP (EHLO/HELO, MAIL FROM, RCPT TO, DATA,
//! RSET, NOOP, QUIT) over TCP on 127.0.0.1 and records every message it accepts.

use std::sync::{Arc, Mutex};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA section, dot-unstuffed, with CRLF line ends.
    pub data: String,
}

pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    /// Listens on a free port.
    pub async fn start() -> SmtpSink {
        Self::start_on(0).await
    }

    /// Listens on `port` (0 for any free one).
    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, store).await;
                });
            }
        });
        SmtpSink {
            port,
            messages,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().expect("sink lock").clone()
    }

    /// Stops listening (connections are refused afterwards).
    pub fn stop(self) {
        self.task.abort();
    }
}

/// A port nobody listens on (bound, then released).
pub async fn unused_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    l.local_addr().expect("addr").port()
}

async fn serve(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write
        .write_all(b"220 sink.test ESMTP test sink\r\n")
        .await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-sink.test greets you\r\n250 8BITMIME\r\n")
                .await?;
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command);
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&command));
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l == "." {
                    break;
                }
                data.push_str(
                    l.strip_prefix('.')
                        .filter(|_| l.starts_with(".."))
                        .unwrap_or(l),
                );
                data.push_str("\r\n");
            }
            store.lock().expect("sink lock").push(Received {
                from: from.clone(),
                to: to.clone(),
                data,
            });
            write.write_all(b"250 OK queued\r\n").await?;
        } else if upper == "RSET" {
            from.clear();
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 Command not implemented\r\n").await?;
        }
    }
}

/// `MAIL FROM:<a@b> SIZE=1` -> `a@b`.
fn address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(a, _)| a.to_owned())
        .unwrap_or_default()
}

/// Delivers the outbox through a fresh listener with two senders at once, each on its own
/// server's pool (`a`, `b`): how many the senders say they sent, and what the listener got.
pub async fn deliver_from_two_servers(
    a: &app::db::Db,
    b: &app::db::Db,
    now: chrono::DateTime<chrono::Utc>,
) -> (usize, Vec<Received>) {
    use cit_server::mail::{sender::run_once, Mailer};
    let sink = SmtpSink::start().await;
    let from = "CIT Academy <no-reply@cit-academy.local>"
        .parse()
        .expect("sender address");
    let mailer = Mailer::smtp(&sink.url(), from).expect("mailer");
    let (r1, r2) = tokio::join!(run_once(a, &mailer, now), run_once(b, &mailer, now));
    let sent = r1.expect("first sender").sent + r2.expect("second sender").sent;
    let received = sink.messages();
    sink.stop();
    (sent, received)
}
