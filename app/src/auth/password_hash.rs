//! Argon2id password hashing with OWASP's parameters, run on the blocking pool so that a
//! burst of sign-ins does not stall the async threads.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

/// OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
fn hasher() -> Result<Argon2<'static>, argon2::Error> {
    Ok(Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None)?,
    ))
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("password hashing task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// At most one hash per core at a time: each takes ~20 MiB and a full core for tens of ms, and
/// a burst of sign-ins (a class arriving for its test) would otherwise take every core from
/// the requests of people already signed in.
async fn hashing_turn() -> Result<tokio::sync::SemaphorePermit<'static>, HashError> {
    static TURNS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    TURNS
        .acquire()
        .await
        .map_err(|e| HashError::Hash(e.to_string()))
}

/// Hashes a password into a PHC string (algorithm, parameters and salt included).
pub async fn hash(password: String) -> Result<String, HashError> {
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .map_err(|e| HashError::Hash(e.to_string()))?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError::Hash(e.to_string()))
    })
    .await?
}

/// A valid hash of a random password, verified against when the account does not exist, so
/// that "no such email" takes as long as "wrong password".
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1sS0rNhrYLeCyZ9cKqxfJmCe5cIoMjSnTZOVAJt7Ni0";

/// The stored "hash" of an account that has no password yet (one created by an import): not
/// a PHC string, so no password ever verifies against it. The person sets one through
/// "Forgot your password?".
pub const NO_PASSWORD: &str = "!no-password";

/// Checks a password against a stored hash (or the dummy when `stored` is `None`). Returns
/// false for a malformed stored hash (or [`NO_PASSWORD`]) rather than failing the request,
/// after the same work as a real check, so that the answer's timing does not tell which.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, HashError> {
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let stored = stored.filter(|s| PasswordHash::new(s).is_ok());
        let usable = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(false);
        };
        // Verify with the parameters stored in the hash, so old hashes keep working.
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && usable)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_carry_owasp_parameters() {
        let h = hash("Correct-Horse-Battery-9".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("Correct-Horse-Battery-9".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!verify("correct-horse-battery-9".into(), Some(h))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn salts_differ() {
        let a = hash("same password".into()).await.unwrap();
        let b = hash("same password".into()).await.unwrap();
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(!verify("anything".into(), None).await.unwrap());
        assert!(!verify("anything".into(), Some("not a hash".into()))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn an_account_without_a_password_never_verifies() {
        assert!(PasswordHash::new(NO_PASSWORD).is_err());
        assert!(!verify(NO_PASSWORD.into(), Some(NO_PASSWORD.into()))
            .await
            .unwrap());
        assert!(!verify("".into(), Some(NO_PASSWORD.into())).await.unwrap());
    }

    #[test]
    fn the_dummy_hash_is_well_formed() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
