//! Reading the upload form: the meeting's id and the report file, with a size limit that
//! gives the browser a clear answer rather than a reset connection.

use super::MAX_REPORT_BYTES;
use crate::error::AppError;
use server_fn::codec::MultipartData;

/// A report as uploaded.
pub struct Upload {
    pub meeting_id: i64,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Reads the form: `meeting_id` and the file `report`, at most [`MAX_REPORT_BYTES`].
pub async fn read_upload(data: MultipartData) -> Result<Upload, AppError> {
    let broken = || {
        AppError::Request(
            "The upload did not arrive whole. Please choose the file and upload it again.".into(),
        )
    };
    let too_large = || {
        AppError::invalid("report", "The file is larger than 5 MB, and a participant report is much smaller: check that you chose the report of this session.")
    };
    let mut form = data.into_inner().ok_or_else(broken)?;
    let (mut meeting_id, mut filename, mut bytes) = (None, String::new(), Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(|_| broken())? {
        match field.name() {
            Some("meeting_id") => {
                meeting_id = field
                    .text()
                    .await
                    .map_err(|_| broken())?
                    .trim()
                    .parse()
                    .ok();
            }
            Some("report") => {
                filename = field.file_name().unwrap_or_default().to_owned();
                let mut size = 0;
                while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
                    size += chunk.len();
                    // Read on (up to a point) so that the browser gets the answer, not a reset.
                    if size > 8 * MAX_REPORT_BYTES {
                        return Err(too_large());
                    }
                    if size <= MAX_REPORT_BYTES {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                if size > MAX_REPORT_BYTES {
                    return Err(too_large());
                }
            }
            _ => {}
        }
    }
    let meeting_id = meeting_id.ok_or_else(broken)?;
    if filename.trim().is_empty() && bytes.is_empty() {
        return Err(AppError::invalid(
            "report",
            "Choose the participant report to upload.",
        ));
    }
    Ok(Upload {
        meeting_id,
        filename: clean_filename(&filename),
        bytes,
    })
}

/// The file's own name, without a path, control characters or excess length.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "report".to_owned()
    } else {
        clean.trim().to_owned()
    }
}
