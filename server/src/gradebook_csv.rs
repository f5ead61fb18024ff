//! `/teach/offerings/{id}/gradebook.csv`: a class's gradebook as a spreadsheet, for the
//! people who run the class (anyone else gets 404, as for the attendance grid).

use crate::attendance_csv::{csv_download, neutralise, no_class, staff_offering, trouble};
use app::{
    api::gradebook::{server::gradebook_in, GradebookView},
    auth::AuthSession,
    db::Db,
    domain::gradebook::SortBy,
};
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Sort {
    sort: Option<String>,
}

pub async fn download(
    State(db): State<Db>,
    auth: AuthSession,
    Path(id): Path<String>,
    Query(query): Query<Sort>,
) -> Response {
    let offering_id = match staff_offering(&db, auth, &id).await {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    let sort = SortBy::from_query(query.sort.as_deref());
    match gradebook_in(&db, offering_id, sort).await {
        Ok(view) => csv_download(to_csv(&view), &format!("gradebook-{offering_id}.csv")),
        Err(app::error::AppError::NotFound(_)) => no_class(),
        Err(_) => trouble(),
    }
}

/// The columns a spreadsheet can compute with: counts and percentages as bare numbers,
/// dates as YYYY-MM-DD, an empty cell where there is no score yet.
pub const HEADER: [&str; 12] = [
    "Name",
    "Email",
    "Agency",
    "Registration status",
    "Attendance",
    "Attendance rule met",
    "Why not",
    "Attempts used",
    "Attempts allowed",
    "Best score (%)",
    "Passed",
    "Last attempt",
];

/// One row per person. Everything a person typed (name, email, agency) is neutralised
/// against spreadsheet formulas.
pub fn to_csv(view: &GradebookView) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER)?;
    for row in &view.rows {
        out.write_record([
            neutralise(&row.name),
            neutralise(&row.email),
            neutralise(&row.agency),
            row.registration.clone(),
            row.attendance.clone(),
            if row.attendance_rule_met { "Yes" } else { "No" }.to_owned(),
            row.attendance_shortfalls.join(" "),
            row.attempts_used.to_string(),
            row.attempts_allowed.to_string(),
            row.best_percent.map(|p| p.to_string()).unwrap_or_default(),
            row.passed.clone(),
            row.last_attempt.clone(),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::api::gradebook::GradebookRow;

    #[test]
    fn one_row_per_person_with_formulas_neutralised() {
        let view = GradebookView {
            offering_id: 1,
            course_title: "CIT".into(),
            when: String::new(),
            sort: "name".into(),
            rule: String::new(),
            pass_percent: 80,
            rows: vec![GradebookRow {
                registration_id: 3,
                name: "Jane Doe".into(),
                email: "jane@denver.gov".into(),
                agency: "+Denver PD".into(),
                registration: "Confirmed".into(),
                attendance: "2 of 2 sessions, 100%".into(),
                attendance_rule_met: true,
                attendance_shortfalls: vec![],
                attempts_used: 1,
                attempts_allowed: 2,
                best_percent: Some(85),
                passed: "Yes".into(),
                last_attempt: "2026-06-19".into(),
            }],
        };
        let text = to_csv(&view).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("Name,Email,Agency,Registration status,Attendance,Attendance rule met,Why not,Attempts used,Attempts allowed,Best score (%),Passed,Last attempt")
        );
        assert_eq!(
            lines.next(),
            Some("Jane Doe,jane@denver.gov,'+Denver PD,Confirmed,\"2 of 2 sessions, 100%\",Yes,,1,2,85,Yes,2026-06-19")
        );
        assert_eq!(lines.next(), None);
    }
}
