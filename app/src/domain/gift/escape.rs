//! GIFT's backslash escapes. Reading turns source text into pieces that remember whether a
//! character was escaped, so `\{` stays text while `{` opens an answer block; writing
//! escapes every character GIFT gives a meaning to.

/// One character of source after escapes are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub ch: char,
    pub escaped: bool,
}

impl Piece {
    /// Whether this is the control character `c` (not escaped).
    pub fn is(self, c: char) -> bool {
        !self.escaped && self.ch == c
    }

    fn is_space(self) -> bool {
        self.ch.is_whitespace()
    }
}

/// The characters a backslash escapes (besides `\n`, a line break).
const ESCAPABLE: [char; 7] = ['~', '=', '#', '{', '}', ':', '\\'];

/// Resolves the escapes of `source`. A backslash before any other character is kept as
/// text, as Moodle does.
pub(super) fn unescape(source: &str) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(ch) = chars.next() {
        let escaped = match chars.peek().copied() {
            Some(next) if ch == '\\' && ESCAPABLE.contains(&next) => Some(next),
            Some('n') if ch == '\\' => Some('\n'),
            _ => None,
        };
        match escaped {
            Some(literal) => {
                chars.next();
                pieces.push(Piece {
                    ch: literal,
                    escaped: true,
                });
            }
            None => pieces.push(Piece { ch, escaped: false }),
        }
    }
    pieces
}

/// Writes `text` so that [`unescape`] gives it back with no control characters; line
/// breaks become `\n` so a question stays on its lines (a blank line would end it).
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            c if ESCAPABLE.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The characters of `pieces`, escapes resolved.
pub(super) fn collect(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.ch).collect()
}

/// `pieces` without whitespace at either end.
pub(super) fn trim(pieces: &[Piece]) -> &[Piece] {
    let start = pieces
        .iter()
        .position(|p| !p.is_space())
        .unwrap_or(pieces.len());
    let end = pieces
        .iter()
        .rposition(|p| !p.is_space())
        .map_or(start, |i| i + 1);
    &pieces[start..end]
}

/// Index of the first control character `c`.
pub(super) fn find(pieces: &[Piece], c: char) -> Option<usize> {
    pieces.iter().position(|p| p.is(c))
}

/// Splits at the first control character `c`: (before, after), the separator dropped.
pub(super) fn split_once(pieces: &[Piece], c: char) -> Option<(&[Piece], &[Piece])> {
    find(pieces, c).map(|i| (&pieces[..i], &pieces[i + 1..]))
}

/// Whether `pieces` contains `->` (neither character can be escaped).
pub(super) fn has_arrow(pieces: &[Piece]) -> bool {
    pieces.windows(2).any(|w| w[0].ch == '-' && w[1].ch == '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_characters_are_text_and_others_are_control() {
        let pieces = unescape(r"a\{b{\\\n\x");
        let chars: Vec<(char, bool)> = pieces.iter().map(|p| (p.ch, p.escaped)).collect();
        assert_eq!(
            chars,
            vec![
                ('a', false),
                ('{', true),
                ('b', false),
                ('{', false),
                ('\\', true),
                ('\n', true),
                ('\\', false),
                ('x', false),
            ]
        );
        assert_eq!(find(&pieces, '{'), Some(3));
    }

    #[test]
    fn a_double_backslash_does_not_escape_what_follows() {
        let pieces = unescape(r"\\=");
        assert!(pieces[1].is('='));
    }

    #[test]
    fn escape_is_undone_by_unescape() {
        let text = "a~b=c#d{e}f:g\\h\ni \\n";
        let pieces = unescape(&escape(text));
        assert_eq!(collect(&pieces), text);
        assert!(pieces
            .iter()
            .all(|p| p.escaped || !ESCAPABLE.contains(&p.ch)));
    }

    #[test]
    fn trim_drops_outer_whitespace_only() {
        let pieces = unescape("  a b \n");
        assert_eq!(collect(trim(&pieces)), "a b");
        assert!(trim(&unescape("   ")).is_empty());
    }
}
