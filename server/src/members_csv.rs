//! `/admin/members.csv`: the members list as a spreadsheet, with the same filter and order as
//! the page. Anyone else gets 404.

use crate::attendance_csv::{csv_download, neutralise, trouble};
use app::{
    api::members::{server::rows, server::Filter, MemberLine},
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

/// The route.
pub const MEMBERS_CSV: &str = "/admin/members.csv";

#[derive(Debug, Deserialize)]
pub struct FilterQuery {
    standing: Option<String>,
    ends_before: Option<String>,
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
    let Ok(filter) = Filter::parse(q.standing.as_deref(), q.ends_before.as_deref()) else {
        return (
            StatusCode::BAD_REQUEST,
            "Unknown standing or a date not written as YYYY-MM-DD.",
        )
            .into_response();
    };
    let sort = Sort::parse(q.sort.as_deref(), q.dir.as_deref());
    match rows(&db, &filter, sort, None, app::clock::now()).await {
        Ok(rows) => csv_download(to_csv(&rows), "members.csv"),
        Err(_) => trouble(),
    }
}

pub const HEADER: [&str; 8] = [
    "Name",
    "Email",
    "Agency",
    "Certificate",
    "Member since",
    "Through",
    "Current",
    "Standing",
];

/// One row per person; what people typed (names, emails, agencies) is neutralised against
/// spreadsheet formulas.
pub fn to_csv(rows: &[MemberLine]) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)?;
    for r in rows {
        out.write_record([
            neutralise(&r.name),
            neutralise(&r.email),
            neutralise(&r.agency),
            r.number.clone(),
            r.since_iso.clone(),
            r.through_iso.clone(),
            if r.current { "yes" } else { "no" }.to_owned(),
            r.standing.clone(),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
