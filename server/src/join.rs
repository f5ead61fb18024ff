//! `/join/{meeting}`: "Join session" on the dashboard. From 15 minutes before a session until
//! it ends, a person with a confirmed seat is checked in (which counts as attendance until
//! roll call or a meeting report says otherwise) and sent on to the video meeting; without a
//! link yet, they are checked in and told so. Anyone else goes back to the dashboard with
//! the reason.

use app::{api::check_in::server::check_in, auth::AuthSession, db::Db, error::AppError};
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};

pub async fn join(
    State(db): State<Db>,
    auth: AuthSession,
    Path(meeting): Path<String>,
) -> Response {
    let Some(user) = auth.user.map(|u| u.current()) else {
        return Redirect::to("/signin?next=/dashboard").into_response();
    };
    let back = |why: &str| Redirect::to(&format!("/dashboard?join={why}")).into_response();
    let Ok(meeting_id) = meeting.parse::<i64>() else {
        return back("unknown");
    };
    let offering = match check_in(&db, user.id, meeting_id, app::clock::now()).await {
        Ok(done) => done.offering,
        Err(AppError::NotFound(_)) => return back("unknown"),
        Err(AppError::Conflict(_)) => return back("closed"),
        // Logged where it happened.
        Err(_) => return back("trouble"),
    };
    if offering.meeting_url.is_empty() {
        return back("no_link");
    }
    tracing::info!(meeting_id, "joined a session");
    Redirect::to(&offering.meeting_url).into_response()
}
