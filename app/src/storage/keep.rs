//! The steps every upload and download of a stored file goes through, whatever the row that
//! points at it (a course material, a resource, the evidence of CE done elsewhere): check the
//! file, store it, write the row (taking the file away again if the row cannot be written),
//! read it back, and delete it once its row is gone. Who may do each is the caller's to check.

use super::{
    accept::{self, FileKind, Refusal},
    Storage, StorageKey,
};
use crate::error::AppError;

/// A file as an upload form sent it.
#[derive(Debug, Default, Clone)]
pub struct UploadedFile {
    /// As the browser named it (not yet made safe).
    pub filename: String,
    pub bytes: Vec<u8>,
    /// The file was over the limit (its bytes were not kept).
    pub too_large: bool,
}

impl UploadedFile {
    /// No file was chosen in the form.
    pub fn is_missing(&self) -> bool {
        self.filename.is_empty() && self.bytes.is_empty() && !self.too_large
    }
}

/// A file just stored, for the row that will point at it.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub storage_key: String,
    pub filename: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
}

impl StoredFile {
    pub fn columns(&self) -> FileColumns<'_> {
        FileColumns {
            storage_key: &self.storage_key,
            filename: &self.filename,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
        }
    }
}

/// The columns a stored file leaves on its row.
#[derive(Debug, Clone, Copy)]
pub struct FileColumns<'a> {
    pub storage_key: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
}

impl FileColumns<'static> {
    /// The columns of a row without a file (a link, a page, CE with a note only).
    pub const NONE: Self = FileColumns {
        storage_key: "",
        filename: "",
        content_type: "",
        size_bytes: 0,
    };
}

/// A stored file on its way out.
#[derive(Debug)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub filename: String,
    pub content_type: String,
}

/// Checks `file` and returns its safe name and kind. A missing file is [`Refusal::NoFile`]; a
/// file over the limit is refused for its type first when that is wrong too (the more useful
/// message), then as too large.
pub fn check(file: &UploadedFile) -> Result<(String, FileKind), Refusal> {
    if file.is_missing() {
        return Err(Refusal::NoFile);
    }
    let filename = accept::safe_filename(&file.filename);
    if file.too_large {
        FileKind::from_filename(&filename).ok_or(Refusal::NotAllowed)?;
        return Err(Refusal::TooLarge);
    }
    let kind = accept::accept_file(&filename, &file.bytes)?;
    Ok((filename, kind))
}

/// Checks and stores `file`, then calls `insert` with what was stored to write the row that
/// points at it. When the row cannot be written the file is deleted again, so no file is left
/// that nothing points at. `what` names the kind of row in logs.
pub async fn store_then_insert<T, E, F, Fut>(
    storage: &dyn Storage,
    file: &UploadedFile,
    what: &'static str,
    insert: F,
) -> Result<T, Refusal>
where
    E: std::fmt::Display,
    F: FnOnce(StoredFile) -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let (filename, kind) = check(file)?;
    let key = StorageKey::random();
    if let Err(e) = storage.put(&key, &file.bytes).await {
        tracing::error!(what, error = %e, "upload not stored");
        return Err(Refusal::Trouble);
    }
    let stored = StoredFile {
        storage_key: key.as_str().to_owned(),
        filename,
        content_type: kind.content_type(),
        size_bytes: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
    };
    match insert(stored).await {
        Ok(row) => Ok(row),
        Err(e) => {
            tracing::error!(what, error = %e, "upload's row not written");
            // No row points at the file: take it away again.
            if let Err(e) = storage.delete(&key).await {
                tracing::error!(what, error = %e, "orphaned upload not removed");
            }
            Err(Refusal::Trouble)
        }
    }
}

/// Reads back the file a row points at. A file the store does not have (or cannot read:
/// logged) is `not_found()`, as for a row that does not exist; a row whose key is not a key
/// (a bug or a hand-edited row) is our fault. `what` names the kind of row in logs.
pub async fn fetch(
    storage: &dyn Storage,
    storage_key: &str,
    filename: String,
    content_type: String,
    what: &'static str,
    not_found: impl FnOnce() -> AppError,
) -> Result<Download, AppError> {
    let key = StorageKey::parse(storage_key)
        .ok_or_else(|| AppError::internal(format!("{what} with a malformed storage key")))?;
    let bytes = storage.get(&key).await.map_err(|e| {
        tracing::error!(what, error = %e, "stored file unreadable");
        not_found()
    })?;
    Ok(Download {
        bytes,
        filename,
        content_type,
    })
}

/// Deletes the file a removed row pointed at. The row is gone, so nobody can reach the file;
/// a failure leaves an orphan only, and is logged.
pub async fn discard(storage: &dyn Storage, storage_key: &str, what: &'static str) {
    let Some(key) = StorageKey::parse(storage_key) else {
        return;
    };
    if let Err(e) = storage.delete(&key).await {
        tracing::error!(what, error = %e, "removed row's file not deleted");
    }
}

/// "PDF · 1.2 MB", for lists.
pub fn describe(content_type: &str, size_bytes: i64) -> String {
    format!(
        "{} · {}",
        FileKind::label_of(content_type),
        accept::describe_size(size_bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::LocalStorage;

    const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

    fn file(name: &str, bytes: &[u8], too_large: bool) -> UploadedFile {
        UploadedFile {
            filename: name.to_owned(),
            bytes: bytes.to_vec(),
            too_large,
        }
    }

    #[test]
    fn check_refuses_missing_wrong_and_large_files() {
        assert_eq!(check(&UploadedFile::default()), Err(Refusal::NoFile));
        assert_eq!(
            check(&file("a.exe", b"MZ", false)),
            Err(Refusal::NotAllowed)
        );
        assert_eq!(check(&file("a.exe", b"", true)), Err(Refusal::NotAllowed));
        assert_eq!(check(&file("a.pdf", b"", true)), Err(Refusal::TooLarge));
        assert_eq!(
            check(&file("a.pdf", b"nope", false)),
            Err(Refusal::ContentMismatch)
        );
        assert_eq!(
            check(&file("../x/a.pdf", PDF, false)),
            Ok(("a.pdf".to_owned(), FileKind::Pdf))
        );
    }

    #[tokio::test]
    async fn a_row_that_cannot_be_written_leaves_no_file() {
        let dir = std::env::temp_dir().join(format!("cit-keep-{}", StorageKey::random().as_str()));
        let store = LocalStorage::new(&dir);
        let failed = store_then_insert(&store, &file("a.pdf", PDF, false), "test", |_| async {
            Err::<(), _>("no row")
        })
        .await;
        assert_eq!(failed, Err(Refusal::Trouble));
        assert_eq!(std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0), 0);

        let key = store_then_insert(
            &store,
            &file("a.pdf", PDF, false),
            "test",
            |stored| async move { Ok::<_, String>(stored.storage_key) },
        )
        .await
        .unwrap();
        let gone = || AppError::NotFound("gone".into());
        let got = fetch(
            &store,
            &key,
            "a.pdf".into(),
            "application/pdf".into(),
            "test",
            gone,
        )
        .await
        .unwrap();
        assert_eq!(got.bytes, PDF);
        discard(&store, &key, "test").await;
        let missing = fetch(&store, &key, String::new(), String::new(), "test", gone).await;
        assert!(matches!(missing, Err(AppError::NotFound(_))), "{missing:?}");
        let bad = fetch(&store, "../x", String::new(), String::new(), "test", gone).await;
        assert!(matches!(bad, Err(AppError::Internal)), "{bad:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
