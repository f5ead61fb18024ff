//! Reading a plain multipart upload form (the same with JavaScript on or off): its text fields
//! and one file, with a size limit that gives the browser a clear answer rather than a reset
//! connection.

use crate::error::AppError;
use server_fn::codec::MultipartData;
use std::collections::HashMap;

/// An upload form as read.
pub struct UploadForm {
    /// The text fields, by name.
    pub fields: HashMap<String, String>,
    /// The file's name as the browser gave it ("" when no file was chosen).
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Why a form could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    /// The body did not arrive whole (or is not multipart).
    Broken,
    /// The file is larger than the limit.
    TooLarge,
    /// A text field is longer than [`TEXT_FIELD_LIMIT`] (no form of ours has one).
    FieldTooLong(String),
}

/// The longest text field an upload form may carry: they hold ids and short notes. Read in
/// chunks and refused past this, so that a crafted form cannot fill the memory.
pub const TEXT_FIELD_LIMIT: usize = 16 * 1024;

impl UploadError {
    /// The error to answer with; `too_large` says the limit next to the file's field.
    pub fn into_app_error(self, too_large: impl FnOnce() -> AppError) -> AppError {
        match self {
            UploadError::Broken => AppError::Request(
                "The upload did not arrive whole. Please choose the file and upload it again."
                    .into(),
            ),
            UploadError::TooLarge => too_large(),
            UploadError::FieldTooLong(name) => AppError::invalid(
                name,
                "This field is too long (at most 16 KB). Shorten it and send the form again.",
            ),
        }
    }
}

/// The file's own name, without a path, control characters or excess length (`fallback`
/// when nothing is left).
pub fn clean_filename(name: &str, fallback: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        fallback.to_owned()
    } else {
        clean.trim().to_owned()
    }
}

/// Reads the form: every text field, and the file `file_field` of at most `max` bytes.
pub async fn read_form(
    data: MultipartData,
    file_field: &str,
    max: usize,
) -> Result<UploadForm, UploadError> {
    let mut form = data.into_inner().ok_or(UploadError::Broken)?;
    let mut read = UploadForm {
        fields: HashMap::new(),
        filename: String::new(),
        bytes: Vec::new(),
    };
    let mut size = 0;
    while let Some(mut field) = form.next_field().await.map_err(|_| UploadError::Broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != file_field {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| UploadError::Broken)? {
                if text.len() + chunk.len() > TEXT_FIELD_LIMIT {
                    return Err(UploadError::FieldTooLong(name));
                }
                text.extend_from_slice(&chunk);
            }
            read.fields
                .insert(name, String::from_utf8_lossy(&text).into_owned());
            continue;
        }
        read.filename = field.file_name().unwrap_or_default().to_owned();
        while let Some(chunk) = field.chunk().await.map_err(|_| UploadError::Broken)? {
            size += chunk.len();
            // Read on (up to a point) so that the browser gets the answer, not a reset.
            if size > 8 * max {
                return Err(UploadError::TooLarge);
            }
            if size <= max {
                read.bytes.extend_from_slice(&chunk);
            }
        }
    }
    if size > max {
        return Err(UploadError::TooLarge);
    }
    Ok(read)
}
