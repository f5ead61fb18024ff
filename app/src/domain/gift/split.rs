//! Cutting a GIFT file into items: blank lines separate them, `//` lines are comments
//! (inside an item too), and every line is trimmed, as Moodle reads it.

/// The lines of one item, each with its 1-based line number, comments left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block<'a> {
    pub lines: Vec<(usize, &'a str)>,
}

/// The items of `text`; comment-only stretches give none.
pub(super) fn split_blocks(text: &str) -> Vec<Block<'_>> {
    // Files saved by Windows editors start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut current),
                });
            }
        } else if !line.starts_with("//") {
            current.push((index + 1, line));
        }
    }
    if !current.is_empty() {
        blocks.push(Block { lines: current });
    }
    blocks
}

/// The lines joined back with line breaks.
pub(super) fn join(lines: &[(usize, &str)]) -> String {
    lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_and_comments_vanish() {
        let text =
            "\u{feff}// heading\n\n  Q1 {\r\n// inside\n =a }\n\n\n// only a comment\n\nQ2{T}";
        let blocks = split_blocks(text);
        assert_eq!(
            blocks,
            vec![
                Block {
                    lines: vec![(3, "Q1 {"), (5, "=a }")]
                },
                Block {
                    lines: vec![(10, "Q2{T}")]
                },
            ]
        );
        assert_eq!(join(&blocks[0].lines), "Q1 {\n=a }");
    }

    #[test]
    fn a_slash_pair_inside_a_line_is_text() {
        let blocks = split_blocks("See http://example.com {T}");
        assert_eq!(blocks[0].lines, vec![(1, "See http://example.com {T}")]);
    }
}
