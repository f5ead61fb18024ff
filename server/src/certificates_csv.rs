//! `/admin/certificates.csv`: the administrators' certificate list as a spreadsheet, with the
//! same filter as the page. Anyone else gets 404.

use crate::attendance_csv::{csv_download, neutralise, trouble};
use app::{
    api::admin_certificates::{server::rows, server::Filter, AdminCertificateRow},
    auth::AuthSession,
    components::paging::Sort,
    db::Db,
};
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct FilterQuery {
    status: Option<String>,
    expires_before: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

pub async fn download(
    State(db): State<Db>,
    auth: AuthSession,
    Query(q): Query<FilterQuery>,
) -> Response {
    if let Some(refusal) = crate::reports_csv::refused(auth) {
        return refusal;
    }
    let Ok(filter) = Filter::parse(q.status.as_deref(), q.expires_before.as_deref()) else {
        return (
            StatusCode::BAD_REQUEST,
            "Unknown status or a date not written as YYYY-MM-DD.",
        )
            .into_response();
    };
    let sort = Sort::parse(q.sort.as_deref(), q.dir.as_deref());
    match rows(&db, &filter, sort, None, app::clock::now()).await {
        Ok(rows) => csv_download(to_csv(&rows), "certificates.csv"),
        Err(_) => trouble(),
    }
}

pub const HEADER: [&str; 9] = [
    "Number",
    "Name",
    "Email",
    "Credential",
    "Course",
    "Issued",
    "Valid through",
    "Status",
    "Revoked",
];

/// One row per certificate; what people typed (names, emails, reasons) is neutralised
/// against spreadsheet formulas.
pub fn to_csv(rows: &[AdminCertificateRow]) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)?;
    for r in rows {
        out.write_record([
            r.number.clone(),
            neutralise(&r.holder_name),
            neutralise(&r.email),
            r.credential.clone(),
            neutralise(&r.course_title),
            r.issued_iso.clone(),
            r.expires_iso.clone(),
            r.status_label.clone(),
            neutralise(&r.revoked.clone().unwrap_or_default()),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
