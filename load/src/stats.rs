//! Latencies and errors, shared by every taker.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

/// What a request was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    SignIn,
    Start,
    Page,
    /// An autosave before the rush.
    Save,
    /// The final save in the deadline rush.
    RushSave,
    Submit,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::SignIn,
        Kind::Start,
        Kind::Page,
        Kind::Save,
        Kind::RushSave,
        Kind::Submit,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::SignIn => "sign-in",
            Kind::Start => "start",
            Kind::Page => "page",
            Kind::Save => "save (autosave)",
            Kind::RushSave => "save (rush)",
            Kind::Submit => "submit",
        }
    }
}

#[derive(Default)]
struct Inner {
    /// Microseconds of each answered request, by kind.
    micros: BTreeMap<Kind, Vec<u64>>,
    /// (kind, reason) -> how many.
    errors: BTreeMap<(Kind, String), usize>,
}

/// Cheap to clone; one lock taken briefly per request (a few thousand a second at most).
#[derive(Clone, Default)]
pub struct Stats(Arc<Mutex<Inner>>);

/// Percentiles of one kind, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub count: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub errors: usize,
}

impl Stats {
    pub fn ok(&self, kind: Kind, took: Duration) {
        if let Ok(mut inner) = self.0.lock() {
            let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
            inner.micros.entry(kind).or_default().push(micros);
        }
    }

    pub fn error(&self, kind: Kind, reason: String) {
        if let Ok(mut inner) = self.0.lock() {
            *inner.errors.entry((kind, reason)).or_default() += 1;
        }
    }

    /// Percentiles over the successful requests of these kinds together.
    pub fn summary(&self, kinds: &[Kind]) -> Summary {
        let Ok(inner) = self.0.lock() else {
            return Summary::default();
        };
        let mut all: Vec<u64> = kinds
            .iter()
            .filter_map(|k| inner.micros.get(k))
            .flatten()
            .copied()
            .collect();
        all.sort_unstable();
        let errors = inner
            .errors
            .iter()
            .filter(|((k, _), _)| kinds.contains(k))
            .map(|(_, n)| n)
            .sum();
        Summary {
            count: all.len(),
            p50: percentile(&all, 0.50),
            p95: percentile(&all, 0.95),
            p99: percentile(&all, 0.99),
            max: all.last().map(|m| *m as f64 / 1000.0).unwrap_or(0.0),
            errors,
        }
    }

    /// Every (kind, reason, count), most frequent first.
    pub fn errors(&self) -> Vec<(Kind, String, usize)> {
        let Ok(inner) = self.0.lock() else {
            return Vec::new();
        };
        let mut list: Vec<(Kind, String, usize)> = inner
            .errors
            .iter()
            .map(|((k, r), n)| (*k, r.clone(), *n))
            .collect();
        list.sort_by_key(|e| std::cmp::Reverse(e.2));
        list
    }
}

/// The nearest-rank percentile of sorted microseconds, in milliseconds.
fn percentile(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    let index = rank.clamp(1, sorted.len()) - 1;
    sorted.get(index).map(|m| *m as f64 / 1000.0).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let v: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile(&v, 0.50), 50.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[7000], 0.99), 7.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[test]
    fn errors_count_apart_from_latencies() {
        let s = Stats::default();
        s.ok(Kind::Save, Duration::from_millis(3));
        s.error(Kind::Save, "timeout".into());
        s.ok(Kind::RushSave, Duration::from_millis(9));
        let both = s.summary(&[Kind::Save, Kind::RushSave]);
        assert_eq!((both.count, both.errors, both.max), (2, 1, 9.0));
    }
}
