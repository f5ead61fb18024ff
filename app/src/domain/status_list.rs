//! The W3C Bitstring Status List (<https://www.w3.org/TR/vc-bitstring-status-list/>): one bit
//! per certificate, set when it is revoked, published as a credential anyone can fetch.
//!
//! Each certificate keeps the index it was given when issued. The list is at least
//! [`MIN_BITS`] long (16 KB) so that a verifier fetching it learns nothing about which
//! certificate it is checking; it grows in whole bytes when more certificates exist. Bit 0
//! is the most significant bit of the first byte. The encoded form is the GZIP of the bytes,
//! base64url without padding, with the multibase prefix `u`.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use std::io::{Read, Write};

/// The spec's minimum length: 131,072 bits (16 KB).
pub const MIN_BITS: usize = 131_072;

/// The bytes of a list with the bits at `set` on, long enough for `len_hint` entries (and
/// never shorter than [`MIN_BITS`]).
pub fn bitstring(set: &[usize], len_hint: usize) -> Vec<u8> {
    let needed = set.iter().map(|i| i + 1).max().unwrap_or(0).max(len_hint);
    let bits = needed.max(MIN_BITS).div_ceil(8) * 8;
    let mut bytes = vec![0_u8; bits / 8];
    for &i in set {
        bytes[i / 8] |= 0b1000_0000 >> (i % 8);
    }
    bytes
}

/// Whether bit `index` is on (false beyond the end).
pub fn bit(bytes: &[u8], index: usize) -> bool {
    bytes
        .get(index / 8)
        .is_some_and(|b| b & (0b1000_0000 >> (index % 8)) != 0)
}

/// The `encodedList` value: multibase base64url (no padding) of the GZIP of `bytes`.
pub fn encode(bytes: &[u8]) -> std::io::Result<String> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes)?;
    Ok(format!("u{}", URL_SAFE_NO_PAD.encode(gzip.finish()?)))
}

/// The bytes of an `encodedList` value, as a verifier reads it.
pub fn decode(encoded: &str) -> Option<Vec<u8>> {
    let compressed = URL_SAFE_NO_PAD.decode(encoded.strip_prefix('u')?).ok()?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// The status list credential (unsigned): `id` is the URL it is published at, `issuer` the
/// issuer profile's URL, `valid_from` when this copy was made (RFC 3339).
pub fn credential(
    id: &str,
    issuer: &serde_json::Value,
    valid_from: &str,
    encoded: &str,
) -> serde_json::Value {
    serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_list_is_at_least_16_kb_and_the_first_bit_is_the_leftmost() {
        let bytes = bitstring(&[0, 9, 131_071], 3);
        assert_eq!(bytes.len(), 16_384);
        assert_eq!(bytes[0], 0b1000_0000);
        assert_eq!(bytes[1], 0b0100_0000);
        assert_eq!(bytes[16_383], 0b0000_0001);
        assert!(bit(&bytes, 0) && bit(&bytes, 9) && bit(&bytes, 131_071));
        assert!(!bit(&bytes, 1) && !bit(&bytes, 8) && !bit(&bytes, 200_000));
    }

    #[test]
    fn the_list_grows_in_whole_bytes_past_the_minimum() {
        assert_eq!(bitstring(&[131_072], 0).len(), 16_385);
        assert_eq!(bitstring(&[], 140_000).len(), 17_500);
        assert_eq!(bitstring(&[], 0).len(), 16_384);
    }

    #[test]
    fn encoding_is_multibase_base64url_of_gzip_and_decodes_back() {
        let bytes = bitstring(&[5, 77], 0);
        let encoded = encode(&bytes).unwrap();
        assert!(encoded.starts_with('u'));
        assert!(!encoded.contains('=') && !encoded.contains('+') && !encoded.contains('/'));
        // GZIP's magic number, base64url-encoded: "H4sI".
        assert!(encoded[1..].starts_with("H4sI"), "{encoded}");
        assert!(encoded.len() < 200, "a nearly empty list compresses well");
        assert_eq!(decode(&encoded).unwrap(), bytes);
        assert_eq!(decode("H4sI"), None, "no multibase prefix");
        assert_eq!(decode("u!!"), None);
    }

    #[test]
    fn the_credential_has_the_spec_fields() {
        let issuer =
            serde_json::json!({ "id": "https://x/issuer", "type": "Profile", "name": "CIT" });
        let c = credential("https://x/status", &issuer, "2026-11-23T00:00:00Z", "uABC");
        assert_eq!(c["type"][1], "BitstringStatusListCredential");
        assert_eq!(c["credentialSubject"]["type"], "BitstringStatusList");
        assert_eq!(c["credentialSubject"]["statusPurpose"], "revocation");
        assert_eq!(c["credentialSubject"]["encodedList"], "uABC");
        assert_eq!(c["issuer"]["id"], "https://x/issuer");
        assert_eq!(c["@context"][0], "https://www.w3.org/ns/credentials/v2");
    }
}
