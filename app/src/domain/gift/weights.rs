//! Answer weights: the `%50%` prefix, and turning Moodle's fractional weights (a third is
//! written `%33.33333%`) into the whole percentages the question bank keeps.

use super::escape::Piece;

/// Reads a leading `%weight%` (an optional minus, digits, an optional fraction): the weight
/// and the number of pieces it took. Anything else is answer text, as in Moodle.
pub(super) fn split_weight(pieces: &[Piece]) -> Option<(f64, usize)> {
    let text: String = pieces.iter().map(|p| p.ch).collect();
    let len = weight_prefix_len(&text)?;
    let number = text.get(1..len - 1)?;
    // The prefix is ASCII: its byte length is its length in pieces.
    number.parse().ok().map(|w| (w, len))
}

/// Whether `text` starts with something [`split_weight`] would read as a weight.
pub(super) fn looks_like_weight(text: &str) -> bool {
    weight_prefix_len(text).is_some()
}

/// Byte length of a leading `%-12.5%`, both signs included.
fn weight_prefix_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('%')?;
    let unsigned = rest.strip_prefix('-').unwrap_or(rest);
    let int_len = unsigned.bytes().take_while(u8::is_ascii_digit).count();
    if int_len == 0 {
        return None;
    }
    let mut after = &unsigned[int_len..];
    if let Some(fraction) = after.strip_prefix('.') {
        let frac_len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        after = &fraction[frac_len..];
    }
    after.strip_prefix('%')?;
    Some(text.len() - after.len() + 1)
}

/// Whole percentages for `exact` weights. When the positive weights add up to 100 (give or
/// take rounding, e.g. three thirds), they are apportioned by largest remainder so they still
/// make exactly 100: rounding each third down would cap a perfect answer at 99%. Negative
/// weights adding up to -100 are apportioned the same way, so that three wrong options at
/// `%-33.33333%` still cancel a whole answer (the rule for multiple-answer questions,
/// `scoring::multiple_answer_loophole`).
pub(super) fn whole_percentages(exact: &[f64]) -> Vec<i64> {
    let mut whole: Vec<i64> = exact.iter().map(|w| w.round() as i64).collect();
    apportion(exact, &mut whole, 1.0);
    apportion(exact, &mut whole, -1.0);
    whole
}

/// Gives the weights of one `sign` whole values making exactly 100 in size, by largest
/// remainder, when they add up to 100 give or take rounding; otherwise leaves them rounded.
fn apportion(exact: &[f64], whole: &mut [i64], sign: f64) {
    let members: Vec<usize> = (0..exact.len())
        .filter(|&i| exact[i] * sign > 0.0)
        .collect();
    let size = |i: usize| exact[i] * sign;
    let sum: f64 = members.iter().map(|&i| size(i)).sum();
    if members.is_empty() || (sum - 100.0).abs() >= 0.5 {
        return;
    }
    let step = sign as i64;
    let mut floors = 0;
    for &i in &members {
        let floor = size(i).floor() as i64;
        whole[i] = floor * step;
        floors += floor;
    }
    let mut by_remainder = members;
    // Stable sort: equal remainders favour the earlier option.
    by_remainder.sort_by(|&a, &b| {
        let (ra, rb) = (size(a) - size(a).floor(), size(b) - size(b).floor());
        rb.total_cmp(&ra)
    });
    let deficit = usize::try_from(100 - floors).unwrap_or(0);
    for &i in by_remainder.iter().take(deficit) {
        whole[i] += step;
    }
}

/// Checks a weight is a share of the points, -100% to 100%.
pub(super) fn check_range(weight: f64, min: f64) -> Result<(), String> {
    if (min..=100.0).contains(&weight) {
        Ok(())
    } else {
        Err(format!("the weight {weight}% is outside {min}% to 100%"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::escape::unescape;
    use super::*;

    #[test]
    fn reads_weights_and_leaves_other_percent_signs_as_text() {
        assert_eq!(split_weight(&unescape("%50%half")), Some((50.0, 4)));
        assert_eq!(split_weight(&unescape("%-25%x")), Some((-25.0, 5)));
        assert_eq!(split_weight(&unescape("%33.33333%x")), Some((33.33333, 10)));
        assert_eq!(split_weight(&unescape("%150%x")), Some((150.0, 5)));
        for text in ["%x%", "%%", "%5", "50%", "%-%", "% 5%", "%5.%"] {
            let expected = text == "%5.%";
            assert_eq!(split_weight(&unescape(text)).is_some(), expected, "{text}");
            assert_eq!(looks_like_weight(text), expected, "{text}");
        }
    }

    #[test]
    fn thirds_and_eighths_still_make_one_hundred() {
        assert_eq!(
            whole_percentages(&[33.33333, 33.33333, 33.33333, 0.0]),
            vec![34, 33, 33, 0]
        );
        assert_eq!(whole_percentages(&[12.5; 8]).iter().sum::<i64>(), 100);
        assert_eq!(whole_percentages(&[16.66667; 6]).iter().sum::<i64>(), 100);
        assert_eq!(
            whole_percentages(&[100.0, -33.33333, 0.0]),
            vec![100, -33, 0]
        );
        assert_eq!(
            whole_percentages(&[33.33333, 33.33333, 33.33333, -33.33333, -33.33333, -33.33333]),
            vec![34, 33, 33, -34, -33, -33],
            "three thirds of a penalty cancel a whole answer"
        );
    }

    #[test]
    fn weights_that_do_not_make_one_hundred_are_only_rounded() {
        assert_eq!(whole_percentages(&[100.0, 50.0, 0.0]), vec![100, 50, 0]);
        assert_eq!(whole_percentages(&[33.0, 33.0, 33.0]), vec![33, 33, 33]);
        assert_eq!(whole_percentages(&[83.33333, 66.66667]), vec![83, 67]);
    }

    #[test]
    fn out_of_range_weights_are_named() {
        assert!(check_range(-100.0, -100.0).is_ok());
        assert_eq!(
            check_range(150.0, -100.0),
            Err("the weight 150% is outside -100% to 100%".to_owned())
        );
        assert!(check_range(-5.0, 0.0).is_err());
    }
}
