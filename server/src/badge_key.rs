//! The Ed25519 key that signs the Open Badges credentials and the status list, as compact
//! JSON Web Signatures (VC-JOSE: `typ` `vc+jwt`, the credential itself as the payload), and
//! the public half published as a JWK set so that anyone can check a signature.
//!
//! The key comes from `CIT_BADGE_SIGNING_KEY` (or the file named by
//! `CIT_BADGE_SIGNING_KEY_FILE`): a PKCS#8 PEM as `openssl genpkey -algorithm ed25519` or
//! `cit-academy badge-key` writes it, or a 32-byte seed in base64. Without one the server
//! makes an ephemeral key at start-up (and says so): credentials it signed stop verifying
//! when it restarts.

use base64::{engine::general_purpose::STANDARD, engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ring::{
    digest,
    rand::SystemRandom,
    signature::{self, Ed25519KeyPair, KeyPair},
};
use serde_json::{json, Value};
use std::sync::Arc;

/// The media type of a signed credential.
pub const VC_JWT: &str = "application/vc+jwt";

/// A signing key. Cheap to clone; never prints its private half.
#[derive(Clone)]
pub struct BadgeKey {
    pair: Arc<Ed25519KeyPair>,
    /// The RFC 7638 thumbprint of the public key: the `kid` of every signature.
    kid: String,
    /// Made at start-up, not configured.
    pub ephemeral: bool,
}

impl std::fmt::Debug for BadgeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BadgeKey({}{})",
            self.kid,
            if self.ephemeral { ", ephemeral" } else { "" }
        )
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("is neither a PKCS#8 PEM Ed25519 private key nor a base64 32-byte seed")]
    Unreadable,
    #[error("is not a valid Ed25519 private key")]
    Invalid,
}

impl BadgeKey {
    fn new(pair: Ed25519KeyPair, ephemeral: bool) -> Self {
        let x = URL_SAFE_NO_PAD.encode(pair.public_key().as_ref());
        // RFC 7638: the SHA-256 of the required members, in lexicographic order, no spaces.
        let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, canonical.as_bytes()));
        Self {
            pair: Arc::new(pair),
            kid,
            ephemeral,
        }
    }

    /// Reads a configured key: a PKCS#8 PEM, or a 32-byte seed in base64.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let pair = if text.starts_with("-----BEGIN") {
            let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
            let der = STANDARD
                .decode(body.trim())
                .map_err(|_| KeyError::Unreadable)?;
            Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(|_| KeyError::Invalid)?
        } else {
            let seed = STANDARD.decode(text).map_err(|_| KeyError::Unreadable)?;
            if seed.len() != 32 {
                return Err(KeyError::Unreadable);
            }
            Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|_| KeyError::Invalid)?
        };
        Ok(Self::new(pair, false))
    }

    /// A fresh key as a PKCS#8 PEM (what `cit-academy badge-key` prints).
    pub fn generate_pem() -> Result<String, KeyError> {
        let document =
            Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| KeyError::Invalid)?;
        let body = STANDARD.encode(document.as_ref());
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        Ok(format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            lines.join("\n")
        ))
    }

    /// A key for this run only.
    pub fn ephemeral() -> Result<Self, KeyError> {
        let mut key = Self::parse(&Self::generate_pem()?)?;
        key.ephemeral = true;
        Ok(key)
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(self.pair.public_key().as_ref()),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        })
    }

    /// `credential` signed as a compact JWS (VC-JOSE): header, payload and signature, each
    /// base64url.
    pub fn sign(&self, credential: &Value) -> String {
        let header = json!({ "alg": "EdDSA", "kid": self.kid, "typ": "vc+jwt", "cty": "vc" });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(credential.to_string())
        );
        let signature = self.pair.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }
}

/// The payload of `jws` if its EdDSA signature verifies with the JWK `key` (as a verifier
/// does it, from the published key set); None otherwise.
pub fn verify(jws: &str, key: &Value) -> Option<Value> {
    let public = URL_SAFE_NO_PAD.decode(key["x"].as_str()?).ok()?;
    let mut parts = jws.split('.');
    let (header, payload, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header["alg"] != "EdDSA" || header["kid"] != key["kid"] {
        return None;
    }
    let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
    let signed = &jws[..jws.rfind('.')?];
    signature::UnparsedPublicKey::new(&signature::ED25519, public)
        .verify(signed.as_bytes(), &sig)
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_signature_verifies_with_the_published_key_and_fails_when_one_byte_changes() {
        let key = BadgeKey::parse(&BadgeKey::generate_pem().unwrap()).unwrap();
        let credential =
            json!({ "type": ["VerifiableCredential"], "name": "Certified CIT Coordinator" });
        let jws = key.sign(&credential);
        assert_eq!(verify(&jws, &key.jwk()), Some(credential));

        // One byte of the payload changed: "Certified" becomes "Certifiee".
        let (head, rest) = jws.split_once('.').unwrap();
        let (payload, sig) = rest.split_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(payload).unwrap();
        let at = bytes.iter().position(|&b| b == b'd').unwrap();
        bytes[at] = b'e';
        let forged = format!("{head}.{}.{sig}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(verify(&forged, &key.jwk()), None);

        // Another key's set does not verify it either.
        let other = BadgeKey::ephemeral().unwrap();
        assert_eq!(verify(&jws, &other.jwk()), None);
    }

    #[test]
    fn a_key_is_read_from_pem_or_a_base64_seed_and_the_kid_is_stable() {
        let seed = STANDARD.encode([7_u8; 32]);
        let a = BadgeKey::parse(&seed).unwrap();
        let b = BadgeKey::parse(&format!("  {seed}\n")).unwrap();
        assert_eq!(a.kid(), b.kid());
        assert!(!a.ephemeral);
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(a.jwk()["x"].as_str().unwrap())
                .unwrap()
                .len(),
            32
        );
        assert_eq!(
            BadgeKey::parse("not a key").unwrap_err(),
            KeyError::Unreadable
        );
        assert_eq!(
            BadgeKey::parse(&STANDARD.encode([1_u8; 16])).unwrap_err(),
            KeyError::Unreadable
        );
        let pem = BadgeKey::generate_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(BadgeKey::parse(&pem).is_ok());
        assert!(
            !format!("{a:?}").contains(&seed),
            "the private key never prints"
        );
    }

    /// A key written by `openssl genpkey -algorithm ed25519` (PKCS#8 v1, no public key).
    #[test]
    fn an_openssl_key_is_accepted() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBtqhXxyoXUhBI1Mr+8kbVpsEC2ZAbGbn4sT0bFbr/FI\n-----END PRIVATE KEY-----\n";
        assert!(BadgeKey::parse(pem).is_ok());
    }
}
