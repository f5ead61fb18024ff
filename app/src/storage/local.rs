//! Files on the local disk, under `$CIT_DATA_DIR/files/`: one file per key, written to a
//! temporary name and renamed, so a reader sees the whole file or none.

use super::{Storage, StorageError, StorageFuture, StorageKey};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    /// A store in `root` (created on the first upload).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    // A key is 32 hex digits (see `StorageKey::parse`), so this stays inside `root`.
    fn path(&self, key: &StorageKey) -> PathBuf {
        self.root.join(key.as_str())
    }
}

impl Storage for LocalStorage {
    fn put<'a>(&'a self, key: &'a StorageKey, bytes: &'a [u8]) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            tokio::fs::create_dir_all(&self.root).await?;
            let partial = self.root.join(format!(".{}.partial", key.as_str()));
            tokio::fs::write(&partial, bytes).await?;
            if let Err(e) = tokio::fs::rename(&partial, self.path(key)).await {
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(e.into());
            }
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a StorageKey) -> StorageFuture<'a, Vec<u8>> {
        Box::pin(async move {
            match tokio::fs::read(self.path(key)).await {
                Ok(bytes) => Ok(bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StorageError::NotFound),
                Err(e) => Err(e.into()),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a StorageKey) -> StorageFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e.into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn put_get_delete() {
        let dir =
            std::env::temp_dir().join(format!("cit-storage-{}", StorageKey::random().as_str()));
        let store = LocalStorage::new(&dir);
        let key = StorageKey::random();
        assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
        store.put(&key, b"hello").await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), b"hello");
        // Only the file itself is left behind: no partial copy.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        store.delete(&key).await.unwrap();
        store.delete(&key).await.unwrap();
        assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
