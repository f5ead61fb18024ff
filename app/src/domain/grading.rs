//! Grading by hand: the anonymous code an attempt goes by in the grading queue, reading the
//! points an instructor typed, and an attempt's result once every item has a score.

use serde::{Deserialize, Serialize};

/// Letters that cannot be mistaken for one another (Crockford's base 32, without I L O U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The code an attempt goes by where graders must not see names: six characters from the
/// attempt's random seed ("K7M-2QX"). The seed is random, so the code says nothing about the
/// person; the same attempt always has the same code.
pub fn attempt_code(seed: i64) -> String {
    // SplitMix64's finaliser: nearby seeds give unrelated codes.
    let mut z = u64::from_ne_bytes(seed.to_ne_bytes()).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let chars: String = (0..6)
        .map(|i| {
            let index = usize::try_from((z >> (i * 5)) & 31).unwrap_or(0);
            char::from(ALPHABET[index])
        })
        .collect();
    format!("{}-{}", &chars[..3], &chars[3..])
}

/// Reads the points given to an item worth `max_points`: "2", "1.5", "0,75" (a decimal
/// comma too), at most two decimals, from 0 to the item's points. Returns hundredths.
pub fn parse_points(input: &str, max_points: i64) -> Result<i64, String> {
    let range = format!("Enter the points, from 0 to {max_points}.");
    let typed = input.trim().replace(',', ".");
    if typed.is_empty() {
        return Err(range);
    }
    let (whole, fraction) = match typed.split_once('.') {
        Some((w, f)) => (w, f),
        None => (typed.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(format!("\"{}\" is not a number. {range}", input.trim()));
    }
    if fraction.len() > 2 {
        return Err("Use at most two decimals (for example 1.25).".into());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| range.clone())?
    };
    let hundredths: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| range.clone())?;
    let centi = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(hundredths))
        .ok_or_else(|| range.clone())?;
    if centi > max_points * 100 {
        return Err(format!(
            "This question is worth {max_points} point{}; enter at most that.",
            if max_points == 1 { "" } else { "s" }
        ));
    }
    Ok(centi)
}

/// Hundredths of a point as people write them: "2", "1.5", "0.25".
pub fn show_points(centi: i64) -> String {
    let (whole, rest) = (centi / 100, (centi % 100).abs());
    match rest {
        0 => whole.to_string(),
        r if r % 10 == 0 => format!("{whole}.{}", r / 10),
        r => format!("{whole}.{r:02}"),
    }
}

/// An attempt's result from its items' scores (None: not graded yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Some items still wait for an instructor.
    AwaitingGrading,
    Final {
        score_centi: i64,
        max_centi: i64,
        passed: bool,
    },
}

/// The result of an attempt whose items scored `scores` out of `max_centi` in all, with a
/// pass mark of `pass_percent`: a pass needs score / max >= pass mark, compared exactly.
pub fn outcome(scores: &[Option<i64>], max_centi: i64, pass_percent: i64) -> Outcome {
    if scores.iter().any(Option::is_none) {
        return Outcome::AwaitingGrading;
    }
    let score_centi: i64 = scores.iter().flatten().sum();
    Outcome::Final {
        score_centi,
        max_centi,
        passed: max_centi > 0 && score_centi * 100 >= pass_percent * max_centi,
    }
}

/// Whole percent of a score, rounded down (79.99% is not 80%).
pub fn percent(score_centi: i64, max_centi: i64) -> i64 {
    if max_centi <= 0 {
        0
    } else {
        score_centi * 100 / max_centi
    }
}

/// Why a grade may not be saved as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeRefusal {
    /// A grade is already there: changing it needs a reason, for the audit log.
    ReasonNeeded,
}

/// Checks a change to an item's grade: the first grade needs nothing more, a change a reason.
pub fn check_change(already_graded: bool, reason: &str) -> Result<(), GradeRefusal> {
    if already_graded && reason.trim().is_empty() {
        Err(GradeRefusal::ReasonNeeded)
    } else {
        Ok(())
    }
}

/// Outbox kind of the message below.
pub const KIND_RESULT_READY: &str = "result_ready";

#[cfg(feature = "ssr")]
/// Sent when an instructor has graded the last item of an attempt. It says where to look,
/// not the result: the result page shows what the course's review policy allows.
pub fn result_ready_mail(name: &str, course: &str, link: &str) -> super::mail::Text {
    super::mail::Text {
        subject: format!("Your test result is ready: {course}"),
        body: format!(
            "Hello {name},\n\n\
             An instructor has finished grading your certification test for {course}. \
             Your result is on this page (sign in first if asked):\n\n{link}\n\n\
             CIT Academy\nCrisis Intervention Team training and certification\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_distinct_and_readable() {
        let a = attempt_code(42);
        assert_eq!(a, attempt_code(42));
        assert_ne!(a, attempt_code(43));
        assert_eq!(a.len(), 7);
        assert_eq!(a.chars().nth(3), Some('-'));
        assert!(a
            .chars()
            .filter(|c| *c != '-')
            .all(|c| ALPHABET.contains(&(c as u8))));
        // 1,000 seeds in a row: no two codes alike (30 bits each).
        let mut seen = std::collections::HashSet::new();
        for seed in -500..500 {
            assert!(seen.insert(attempt_code(seed)), "seed {seed}");
        }
    }

    #[test]
    fn points_are_read_in_hundredths_within_the_range() {
        assert_eq!(parse_points("2", 2), Ok(200));
        assert_eq!(parse_points(" 1.5 ", 2), Ok(150));
        assert_eq!(parse_points("0,75", 2), Ok(75));
        assert_eq!(parse_points(".5", 2), Ok(50));
        assert_eq!(parse_points("0", 2), Ok(0));
        assert_eq!(parse_points("1.05", 2), Ok(105));
        assert!(parse_points("2.01", 2).unwrap_err().contains("at most"));
        assert!(parse_points("3", 2).unwrap_err().contains("worth 2 points"));
        assert!(parse_points("-1", 2).unwrap_err().contains("not a number"));
        assert!(parse_points("abc", 2).unwrap_err().contains("not a number"));
        assert!(parse_points("", 2).unwrap_err().contains("from 0 to 2"));
        assert!(parse_points("1.255", 2)
            .unwrap_err()
            .contains("two decimals"));
        assert!(parse_points(".", 2).is_err());
        assert!(parse_points("99999999999999999999", 2).is_err());
    }

    #[test]
    fn points_are_shown_as_typed() {
        assert_eq!(show_points(200), "2");
        assert_eq!(show_points(150), "1.5");
        assert_eq!(show_points(75), "0.75");
        assert_eq!(show_points(105), "1.05");
        assert_eq!(parse_points(&show_points(105), 2), Ok(105));
    }

    #[test]
    fn the_result_waits_for_every_item_then_compares_exactly() {
        assert_eq!(
            outcome(&[Some(100), None], 300, 80),
            Outcome::AwaitingGrading
        );
        // 240 of 300 is exactly 80%: a pass.
        assert_eq!(
            outcome(&[Some(100), Some(140)], 300, 80),
            Outcome::Final {
                score_centi: 240,
                max_centi: 300,
                passed: true
            }
        );
        // 239 of 300 is 79.67%: not a pass, though it rounds to 80.
        assert_eq!(
            outcome(&[Some(100), Some(139)], 300, 80),
            Outcome::Final {
                score_centi: 239,
                max_centi: 300,
                passed: false
            }
        );
        assert_eq!(percent(239, 300), 79);
        assert_eq!(
            outcome(&[], 0, 80),
            Outcome::Final {
                score_centi: 0,
                max_centi: 0,
                passed: false
            }
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_result_mail_says_where_not_what() {
        let m = result_ready_mail(
            "Ana",
            "CIT Coordinator Certification",
            "https://x/attempts/9/result",
        );
        assert!(m.subject.contains("CIT Coordinator Certification"));
        assert!(m.body.contains("https://x/attempts/9/result"));
        assert!(!m.body.to_lowercase().contains("passed"));
    }

    #[test]
    fn a_change_needs_a_reason_a_first_grade_does_not() {
        assert_eq!(check_change(false, ""), Ok(()));
        assert_eq!(check_change(true, "  "), Err(GradeRefusal::ReasonNeeded));
        assert_eq!(check_change(true, "Misread the answer"), Ok(()));
    }
}
