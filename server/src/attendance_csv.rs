//! `/teach/offerings/{id}/attendance.csv`: the attendance grid (people x sessions) for the
//! people who run the class, as a spreadsheet.

use app::{
    api::teach::{server::offering_in, TeachOfferingView},
    auth::AuthSession,
    db::Db,
    state::may_run_offering,
};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

pub async fn download(State(db): State<Db>, auth: AuthSession, Path(id): Path<String>) -> Response {
    let offering_id = match staff_offering(&db, auth, &id).await {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    match offering_in(&db, offering_id).await {
        Ok(view) => csv_download(to_csv(&view), &format!("attendance-{offering_id}.csv")),
        Err(app::error::AppError::NotFound(_)) => no_class(),
        Err(_) => trouble(),
    }
}

/// The class `id` if the signed-in person runs it; otherwise the response to send instead
/// (sign in, or 404 for anyone else, so that a class's existence is not given away).
pub(crate) async fn staff_offering(db: &Db, auth: AuthSession, id: &str) -> Result<i64, Response> {
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Err(Redirect::to("/signin").into_response());
    };
    let Ok(offering_id) = id.parse::<i64>() else {
        return Err(no_class());
    };
    match may_run_offering(db, &user, offering_id).await {
        Ok(true) => Ok(offering_id),
        Ok(false) => Err(no_class()),
        Err(_) => Err(trouble()),
    }
}

/// A CSV file to save as `filename`, never cached by a shared cache.
pub(crate) fn csv_download(body: Result<String, csv::Error>, filename: &str) -> Response {
    match body {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, filename, "csv: writing failed");
            trouble()
        }
    }
}

pub(crate) fn no_class() -> Response {
    (StatusCode::NOT_FOUND, "No such class.").into_response()
}

pub(crate) fn trouble() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side. Please try again.",
    )
        .into_response()
}

/// Name, email, one column per session, payment, and whether the person may sit the test
/// (with the reasons when not).
pub fn to_csv(view: &TeachOfferingView) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["Name".to_owned(), "Email".to_owned()];
    header.extend(
        view.sessions
            .iter()
            .map(|s| format!("Session {}: {}", s.number, s.label)),
    );
    header.extend([
        "Payment".to_owned(),
        "May sit the test".to_owned(),
        "Why not".to_owned(),
    ]);
    out.write_record(&header)?;
    for row in &view.rows {
        let mut record = vec![neutralise(&row.name), neutralise(&row.email)];
        record.extend(row.cells.iter().cloned());
        record.push(row.payment.clone());
        record.push(
            if row.shortfalls.is_empty() {
                "Yes"
            } else {
                "No"
            }
            .to_owned(),
        );
        record.push(row.shortfalls.join(" "));
        out.write_record(&record)?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// People type their own names: a leading =, +, - or @ would run as a formula when the file
/// is opened in a spreadsheet (CSV injection), so such a value is prefixed with a quote.
pub(crate) fn neutralise(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::api::teach::{GridRow, TeachSession};

    #[test]
    fn one_row_per_person_one_column_per_session_and_formulas_neutralised() {
        let view = TeachOfferingView {
            offering_id: 1,
            course_title: "CIT".into(),
            when: String::new(),
            sessions: vec![
                TeachSession {
                    id: 5,
                    number: 1,
                    label: "June 17".into(),
                    marked: String::new(),
                },
                TeachSession {
                    id: 6,
                    number: 2,
                    label: "June 18".into(),
                    marked: String::new(),
                },
            ],
            rows: vec![GridRow {
                registration_id: 3,
                extra_time_percent: 0,
                extra_attempts: 0,
                name: "=HYPERLINK(\"x\")".into(),
                email: "jane@denver.gov".into(),
                cells: vec!["Present · 240 min".into(), "Absent".into()],
                payment: "Paid".into(),
                shortfalls: vec!["Session 2: recorded as absent.".into()],
            }],
            rule: String::new(),
            test_opens_on: String::new(),
            test_closes_on: String::new(),
        };
        let text = to_csv(&view).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "Name,Email,Session 1: June 17,Session 2: June 18,Payment,May sit the test,Why not"
            )
        );
        assert_eq!(
            lines.next(),
            Some("\"'=HYPERLINK(\"\"x\"\")\",jane@denver.gov,Present · 240 min,Absent,Paid,No,Session 2: recorded as absent.")
        );
        assert_eq!(lines.next(), None);
    }
}
