//! Reading the upload form: the meeting's id and the report file, with a size limit that
//! gives the browser a clear answer rather than a reset connection.

use super::MAX_REPORT_BYTES;
use crate::{
    api::upload::{clean_filename, UploadError},
    error::AppError,
};
use server_fn::codec::MultipartData;

/// A report as uploaded.
pub struct Upload {
    pub meeting_id: i64,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Reads the form: `meeting_id` and the file `report`, at most [`MAX_REPORT_BYTES`].
pub async fn read_upload(data: MultipartData) -> Result<Upload, AppError> {
    let too_large = || {
        AppError::invalid("report", "The file is larger than 5 MB, and a participant report is much smaller: check that you chose the report of this session.")
    };
    let form = crate::api::upload::read_form(data, "report", MAX_REPORT_BYTES)
        .await
        .map_err(|e| e.into_app_error(too_large))?;
    let meeting_id = form
        .fields
        .get("meeting_id")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let (filename, bytes) = (form.filename, form.bytes);
    let meeting_id = meeting_id.ok_or_else(|| UploadError::Broken.into_app_error(too_large))?;
    if filename.trim().is_empty() && bytes.is_empty() {
        return Err(AppError::invalid(
            "report",
            "Choose the participant report to upload.",
        ));
    }
    Ok(Upload {
        meeting_id,
        filename: clean_filename(&filename, "report"),
        bytes,
    })
}
