//! Every acknowledged save must be in the database: for each question of each attempt, the
//! last acknowledged save (highest sequence number) is stored, or a later save replaced it.

use crate::{
    acks::{self, Ack, Answer},
    cli::CheckArgs,
    Result,
};
use app::{
    db::{on_db, Db},
    domain::scoring::Response,
};
use std::collections::HashMap;

/// What the check found.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Acknowledged saves read.
    pub acks: usize,
    /// Questions (attempt, position) with at least one acknowledged save.
    pub items: usize,
    /// Replaced by a later save that was sent but never acknowledged (legitimate).
    pub superseded: usize,
    /// Not stored, or stored with another value.
    pub lost: usize,
    /// The first few lost saves, described.
    pub examples: Vec<String>,
}

/// A stored item: (save_seq, response JSON, option_order JSON).
type Stored = (i64, Option<String>, String);

pub async fn check(db: &Db, acks: &[Ack]) -> Result<Verdict> {
    let mut last: HashMap<(i64, usize), &Ack> = HashMap::new();
    for ack in acks {
        let key = (ack.attempt_id, ack.position);
        if last.get(&key).is_none_or(|a| a.seq < ack.seq) {
            last.insert(key, ack);
        }
    }
    let rows: Vec<(i64, i64, i64, Option<String>, String)> = on_db!(db, pool => sqlx::query_as(
        "SELECT attempt_id, position, save_seq, response, option_order FROM attempt_items"
    ).fetch_all(pool).await)?;
    let stored: HashMap<(i64, usize), Stored> = rows
        .into_iter()
        .filter_map(|(a, p, seq, response, order)| {
            Some(((a, usize::try_from(p).ok()?), (seq, response, order)))
        })
        .collect();
    let mut verdict = Verdict {
        acks: acks.len(),
        items: last.len(),
        ..Verdict::default()
    };
    for (key, ack) in last {
        match judge(ack, stored.get(&key)) {
            Judged::Kept => {}
            Judged::Superseded => verdict.superseded += 1,
            Judged::Lost(why) => {
                verdict.lost += 1;
                if verdict.examples.len() < 10 {
                    verdict.examples.push(format!(
                        "attempt {} question {} save {}: {why}",
                        ack.attempt_id, ack.position, ack.seq
                    ));
                }
            }
        }
    }
    Ok(verdict)
}

#[derive(Debug, PartialEq, Eq)]
enum Judged {
    Kept,
    Superseded,
    Lost(String),
}

fn judge(ack: &Ack, stored: Option<&Stored>) -> Judged {
    let Some((seq, response, order)) = stored else {
        return Judged::Lost("no such question in the database".into());
    };
    if *seq > ack.seq {
        return Judged::Superseded;
    }
    if *seq < ack.seq {
        return Judged::Lost(format!("the database holds save {seq}"));
    }
    let expected = match &ack.answer {
        // The page showed options in `order`: place on screen -> option as written.
        Answer::Single(place) => {
            let order: Vec<usize> = serde_json::from_str(order).unwrap_or_default();
            match order.get(*place) {
                Some(written) => Response::Choice(vec![*written]),
                None => return Judged::Lost(format!("no option at place {place}")),
            }
        }
        Answer::Text(text) => Response::Text(text.clone()),
    };
    let held: Option<Response> = response
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    if held.as_ref() == Some(&expected) {
        Judged::Kept
    } else {
        Judged::Lost(format!("stored {response:?}, acknowledged {expected:?}"))
    }
}

pub fn print(v: &Verdict) {
    println!(
        "acknowledged saves: {} on {} questions; last save of each in the database: {}; replaced by a later unacknowledged save: {}; LOST: {}",
        v.acks,
        v.items,
        v.items - v.lost - v.superseded,
        v.superseded,
        v.lost
    );
    for e in &v.examples {
        println!("  lost: {e}");
    }
}

/// `load check`: true when nothing is lost.
pub async fn command(args: CheckArgs) -> Result<bool> {
    let acks = acks::read(&args.acks)?;
    let db = app::db::connect(&args.database_url).await?;
    let verdict = check(&db, &acks).await?;
    db.close().await;
    print(&verdict);
    Ok(verdict.lost == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ack(seq: i64, answer: Answer) -> Ack {
        Ack {
            attempt_id: 1,
            position: 0,
            seq,
            answer,
        }
    }

    #[test]
    fn a_choice_is_compared_as_written() {
        let stored = (
            4,
            Some(r#"{"kind":"choice","value":[2]}"#.into()),
            "[1,2,0]".into(),
        );
        assert_eq!(
            judge(&ack(4, Answer::Single(1)), Some(&stored)),
            Judged::Kept
        );
        assert!(matches!(
            judge(&ack(4, Answer::Single(0)), Some(&stored)),
            Judged::Lost(_)
        ));
    }

    #[test]
    fn later_saves_replace_and_older_ones_are_lost() {
        let stored = (
            5,
            Some(r#"{"kind":"text","value":"b"}"#.into()),
            "[]".into(),
        );
        assert_eq!(
            judge(&ack(4, Answer::Text("a".into())), Some(&stored)),
            Judged::Superseded
        );
        assert_eq!(
            judge(&ack(5, Answer::Text("b".into())), Some(&stored)),
            Judged::Kept
        );
        assert!(matches!(
            judge(&ack(6, Answer::Text("c".into())), Some(&stored)),
            Judged::Lost(_)
        ));
        assert!(matches!(
            judge(&ack(6, Answer::Text("c".into())), None),
            Judged::Lost(_)
        ));
    }
}
