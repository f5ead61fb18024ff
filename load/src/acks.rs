//! The log of acknowledged saves: one line per save the server answered "Saved", written as
//! the answers arrive. It outlives the server (a crash test kills the server, never this
//! process) and is what `check` compares with the database.
//!
//! Format, tab-separated: `attempt_id position seq single <place on screen>` or
//! `attempt_id position seq text <typed text>` (the text has no tabs or newlines).

use crate::Result;
use std::{io::Write, path::Path};
use tokio::sync::mpsc;

/// An answer as the taker sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The option at this place on the screen (the server maps it to the option written).
    Single(usize),
    Text(String),
}

/// One acknowledged save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub attempt_id: i64,
    pub position: usize,
    pub seq: i64,
    pub answer: Answer,
}

impl Ack {
    fn line(&self) -> String {
        let (kind, value) = match &self.answer {
            Answer::Single(place) => ("single", place.to_string()),
            Answer::Text(text) => ("text", text.replace(['\t', '\n', '\r'], " ")),
        };
        format!(
            "{}\t{}\t{}\t{kind}\t{value}\n",
            self.attempt_id, self.position, self.seq
        )
    }

    fn parse(line: &str) -> Option<Ack> {
        let mut parts = line.splitn(5, '\t');
        let attempt_id = parts.next()?.parse().ok()?;
        let position = parts.next()?.parse().ok()?;
        let seq = parts.next()?.parse().ok()?;
        let answer = match (parts.next()?, parts.next()?) {
            ("single", place) => Answer::Single(place.parse().ok()?),
            ("text", text) => Answer::Text(text.to_owned()),
            _ => return None,
        };
        Some(Ack {
            attempt_id,
            position,
            seq,
            answer,
        })
    }
}

/// Starts the writer. Send acks to the returned sender; drop every sender, then await the
/// handle for the count written.
pub fn writer(
    path: &Path,
) -> Result<(
    mpsc::UnboundedSender<Ack>,
    tokio::task::JoinHandle<Result<u64>>,
)> {
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Ack>();
    let handle = tokio::task::spawn_blocking(move || -> Result<u64> {
        let mut out = std::io::BufWriter::new(file);
        let mut written = 0;
        while let Some(ack) = rx.blocking_recv() {
            out.write_all(ack.line().as_bytes())?;
            written += 1;
            // Whatever else is waiting, then to the file: a reader (or a crash of this
            // process) sees all but the last moment's acks.
            while let Ok(ack) = rx.try_recv() {
                out.write_all(ack.line().as_bytes())?;
                written += 1;
            }
            out.flush()?;
        }
        out.flush()?;
        Ok(written)
    });
    Ok((tx, handle))
}

/// Reads a log; a torn last line (the writer was stopped mid-line) is skipped.
pub fn read(path: &Path) -> Result<Vec<Ack>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text.lines().filter_map(Ack::parse).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_back() {
        for answer in [Answer::Single(3), Answer::Text("answer 17 4".into())] {
            let ack = Ack {
                attempt_id: 9,
                position: 2,
                seq: 5,
                answer,
            };
            assert_eq!(Ack::parse(ack.line().trim_end()), Some(ack));
        }
        assert_eq!(Ack::parse("9\t2\t5\tsingle"), None);
    }
}
