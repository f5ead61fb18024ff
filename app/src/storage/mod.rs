//! Uploaded files: what is accepted ([`accept`], plain rules shared with the pages) and where
//! the bytes are kept (server only), and the steps every upload and download takes ([`keep`]).
//! Course materials, the certified-only resource area and the evidence of CE done elsewhere
//! use it.
//!
//! Files are addressed by a [`StorageKey`]: random, never derived from what the uploader
//! called the file, so a key cannot be guessed and cannot name a path outside the store.
//! The database row that points at a key decides who may read it; the store checks nothing.

pub mod accept;

#[cfg(feature = "ssr")]
pub mod keep;
#[cfg(feature = "ssr")]
mod local;

#[cfg(feature = "ssr")]
pub use local::LocalStorage;

#[cfg(feature = "ssr")]
pub use store::{Storage, StorageError, StorageFuture, StorageKey};

#[cfg(feature = "ssr")]
mod store {
    use std::{future::Future, pin::Pin};

    /// Where a stored file is: 32 lowercase hex digits (128 random bits).
    #[derive(Clone, PartialEq, Eq, Hash)]
    pub struct StorageKey(String);

    impl StorageKey {
        /// A fresh random key from the operating system's generator.
        pub fn random() -> Self {
            let bits: u128 = rand::random();
            Self(format!("{bits:032x}"))
        }

        /// A key read back from the database; `None` unless it has the exact shape.
        pub fn parse(value: &str) -> Option<Self> {
            (value.len() == 32
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| Self(value.to_owned()))
        }

        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    // Keys grant nothing by themselves, but keep them out of logs all the same.
    impl std::fmt::Debug for StorageKey {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "StorageKey({}…)", &self.0[..6])
        }
    }

    #[derive(Debug, thiserror::Error)]
    pub enum StorageError {
        #[error("no stored file with that key")]
        NotFound,
        #[error("storage: {0}")]
        Io(#[from] std::io::Error),
    }

    /// What the store's operations return: boxed, so that `dyn Storage` works.
    pub type StorageFuture<'a, T> =
        Pin<Box<dyn Future<Output = Result<T, StorageError>> + Send + 'a>>;

    /// A place for file bytes: the local disk now, an object store later.
    pub trait Storage: Send + Sync + std::fmt::Debug {
        /// Stores `bytes` under `key`, replacing what was there. Readers never see a partial file.
        fn put<'a>(&'a self, key: &'a StorageKey, bytes: &'a [u8]) -> StorageFuture<'a, ()>;
        /// The bytes stored under `key`, or [`StorageError::NotFound`].
        fn get<'a>(&'a self, key: &'a StorageKey) -> StorageFuture<'a, Vec<u8>>;
        /// Removes what is stored under `key`; removing a missing key is not an error.
        fn delete<'a>(&'a self, key: &'a StorageKey) -> StorageFuture<'a, ()>;
    }

    #[cfg(test)]
    mod tests {
        use super::StorageKey;

        #[test]
        fn random_keys_have_the_shape_parse_accepts() {
            let a = StorageKey::random();
            let b = StorageKey::random();
            assert_ne!(a, b);
            assert_eq!(StorageKey::parse(a.as_str()), Some(a));
        }

        #[test]
        fn keys_cannot_name_paths() {
            for bad in [
                "",
                "../etc/passwd",
                "0123456789abcdef0123456789abcde/",
                "0123456789ABCDEF0123456789ABCDEF",
                "0123456789abcdef0123456789abcdef0",
            ] {
                assert_eq!(StorageKey::parse(bad), None, "{bad:?}");
            }
        }
    }
}
