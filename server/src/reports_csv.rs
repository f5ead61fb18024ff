//! `/admin/reports/{report}.csv` (one report's figures) and `/admin/audit.csv` (the filtered
//! audit log), with the same filters as their pages. Administrators only: anyone else signed
//! in gets 404, anyone signed out is sent to sign in.

use crate::attendance_csv::{csv_download, neutralise, trouble};
use app::{
    api::{audit, reports},
    auth::AuthSession,
    components::chart::ChartData,
    db::Db,
    domain::role::Role,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    course: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    actor: Option<String>,
    entity: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

/// `None` when the signed-in person is an administrator; otherwise the refusal to send (sign
/// in, or 404 as for a file that does not exist). Every administrators' download asks it.
pub(crate) fn refused(auth: AuthSession) -> Option<Response> {
    match auth.user.map(|u| u.current()) {
        None => Some(Redirect::to("/signin").into_response()),
        Some(user) if user.role != Role::Admin => {
            Some((StatusCode::NOT_FOUND, "Not found.").into_response())
        }
        Some(_) => None,
    }
}

fn bad_filter() -> Response {
    (
        StatusCode::BAD_REQUEST,
        "A date not written as YYYY-MM-DD, a range that ends before it starts or runs over ten years, or an unknown person.",
    )
        .into_response()
}

pub async fn report(
    State(db): State<Db>,
    auth: AuthSession,
    Path(file): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Response {
    if let Some(refusal) = refused(auth) {
        return refusal;
    }
    let now = app::clock::now();
    let Ok(filter) = reports::server::Filter::parse(
        q.course.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        now,
    ) else {
        return bad_filter();
    };
    let Some(id) = file.strip_suffix(".csv") else {
        return (StatusCode::NOT_FOUND, "No such report.").into_response();
    };
    match reports::server::charts(&db, &filter, now).await {
        Ok(charts) => match charts.into_iter().find(|c| c.id == id) {
            Some(chart) => csv_download(chart_csv(&chart), &format!("{id}.csv")),
            None => (StatusCode::NOT_FOUND, "No such report.").into_response(),
        },
        Err(_) => trouble(),
    }
}

/// The chart's figures: label, value (a number; percents without the sign, empty for no
/// data), and for rates the counts behind them.
pub fn chart_csv(chart: &ChartData) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let rates = chart.points.iter().any(|p| p.of.is_some());
    let measure = if chart.percent {
        format!("{} (%)", chart.measure)
    } else {
        chart.measure.clone()
    };
    let mut header = vec![chart.category.clone(), measure];
    if rates {
        header.extend(["Part".to_owned(), "Whole".to_owned()]);
    }
    out.write_record(&header)?;
    for p in &chart.points {
        let mut record = vec![
            // Class labels start with a course code, which administrators type.
            neutralise(&p.label),
            p.value.map(|v| v.to_string()).unwrap_or_default(),
        ];
        if rates {
            let (part, whole) = p.of.unwrap_or_default();
            record.extend([part.to_string(), whole.to_string()]);
        }
        out.write_record(&record)?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub async fn audit_log(
    State(db): State<Db>,
    auth: AuthSession,
    Query(q): Query<AuditQuery>,
) -> Response {
    if let Some(refusal) = refused(auth) {
        return refusal;
    }
    let Ok(query) = audit::server::Query::parse(
        q.actor.as_deref(),
        q.entity.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
        q.sort.as_deref(),
        q.dir.as_deref(),
    ) else {
        return bad_filter();
    };
    match audit::server::all_rows(&db, &query).await {
        Ok(rows) => csv_download(audit_csv(&rows), "audit-log.csv"),
        Err(_) => trouble(),
    }
}

pub const AUDIT_HEADER: [&str; 8] = [
    "When (UTC)",
    "Who",
    "Action",
    "Kind of record",
    "Record id",
    "Before",
    "After",
    "Entry id",
];

/// One row per entry; names, emails and the values (which carry what people typed) are
/// neutralised against spreadsheet formulas.
pub fn audit_csv(rows: &[audit::AuditRow]) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(AUDIT_HEADER)?;
    for r in rows {
        out.write_record([
            r.at_utc.clone(),
            neutralise(&r.actor),
            r.action.clone(),
            r.entity.clone(),
            r.entity_id.clone(),
            neutralise(&r.before),
            neutralise(&r.after),
            r.id.to_string(),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
