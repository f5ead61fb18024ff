//! The bytes of an uploaded report as text. Teams writes UTF-16 LE with a byte-order mark;
//! Zoom writes UTF-8, with or without one; a sheet re-saved by Excel on Windows may be in
//! Windows-1252.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Decodes by the byte-order mark when there is one; otherwise UTF-16 when the bytes
/// look like it, UTF-8 when they are valid UTF-8, and Windows-1252 as the last resort
/// (it maps every byte, so accented names in an Excel-saved file still come through).
pub(super) fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_length..).unwrap_or_default();
        return encoding.decode_without_bom_handling(body).0.into_owned();
    }
    let encoding = match utf16_without_bom(bytes) {
        Some(encoding) => encoding,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// Text reports never contain NUL bytes, but UTF-16 writes one beside each ASCII
/// character: on the odd side for little-endian, on the even side for big-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..bytes.len().min(512)).unwrap_or_default();
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if pairs == 0 {
        None
    } else if even == 0 && odd * 2 >= pairs {
        Some(UTF_16LE)
    } else if odd == 0 && even * 2 >= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let units = bom.then_some('\u{feff}').into_iter().chain(text.chars());
        let mut bytes = Vec::new();
        for unit in units.collect::<String>().encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend(pair);
        }
        bytes
    }

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode_text("Zoë,1".as_bytes()), "Zoë,1");
        assert_eq!(decode_text("\u{feff}Zoë,1".as_bytes()), "Zoë,1");
    }

    #[test]
    fn decodes_utf16_with_bom() {
        assert_eq!(decode_text(&utf16("Zoë\t1", false, true)), "Zoë\t1");
        assert_eq!(decode_text(&utf16("Zoë\t1", true, true)), "Zoë\t1");
    }

    #[test]
    fn recognises_utf16_without_bom() {
        assert_eq!(
            decode_text(&utf16("Name\tJoin", false, false)),
            "Name\tJoin"
        );
        assert_eq!(decode_text(&utf16("Name\tJoin", true, false)), "Name\tJoin");
    }

    #[test]
    fn falls_back_to_windows_1252() {
        assert_eq!(decode_text(b"Jos\xe9 \x93Pepe\x94"), "José “Pepe”");
    }

    #[test]
    fn empty_input_is_empty_text() {
        assert_eq!(decode_text(b""), "");
    }
}
