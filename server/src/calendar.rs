//! `/offerings/{id}/calendar.ics`: an offering's meetings for any calendar program. Public, so
//! it carries no video-meeting link (registered people get that by email).

use app::{
    db::{self, Db},
    domain::calendar::{offering_events, to_ics},
};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use std::sync::Arc;

#[derive(Clone)]
pub struct CalendarState {
    pub db: Db,
    /// scheme://host of the site, for event URLs and UIDs.
    pub public_url: Arc<str>,
}

pub async fn offering_ics(
    State(state): State<CalendarState>,
    Path(file): Path<String>,
) -> Response {
    let Ok(id) = file.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "No such class.").into_response();
    };
    match db::offerings::find(&state.db, id).await {
        Ok(Some((offering, meetings))) => {
            let url = format!("{}/offerings/{}", state.public_url, offering.id);
            let meetings: Vec<_> = meetings.iter().map(|m| m.for_calendar()).collect();
            let events = offering_events(offering.id, &offering.course_title, &meetings, &url);
            let body = to_ics(&events, app::clock::now());
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "text/calendar; charset=utf-8".to_owned(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"cit-academy-{}-{}.ics\"",
                            offering.course_code.to_lowercase(),
                            offering.id
                        ),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "No such class.").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "calendar: database error");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Please try again.",
            )
                .into_response()
        }
    }
}
