//! `/join/{meeting}`: "Join session" on the dashboard. From 15 minutes before a session until
//! it ends, a person with a confirmed seat is checked in (the first time) and sent on to the
//! video meeting. Anyone else goes back to the dashboard with the reason.

use app::{
    auth::AuthSession,
    db::{self, Db},
    domain::{attendance_rule::join_open, registration::RegistrationStatus},
};
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
    let now = app::clock::now();
    let found = match db::offerings::find_meeting(&db, meeting_id).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "join: database error");
            return back("trouble");
        }
    };
    let Some((offering, _, this)) = found else {
        return back("unknown");
    };
    let registration = match db::registrations::find_live(&db, offering.id, user.id).await {
        Ok(r) => r.filter(|r| r.status() == RegistrationStatus::Confirmed),
        Err(e) => {
            tracing::error!(error = %e, "join: database error");
            return back("trouble");
        }
    };
    let Some(registration) = registration else {
        return back("unknown");
    };
    if offering.status != "scheduled" || !join_open(this.starts_at, this.ends_at, now) {
        return back("closed");
    }
    if offering.meeting_url.is_empty() {
        return back("no_link");
    }
    if let Err(e) = db::attendance::check_in(&db, registration.id, meeting_id, now).await {
        // Joining matters more than the record of it: log and send them on.
        tracing::error!(error = %e, registration_id = registration.id, "join: check-in not recorded");
    }
    tracing::info!(
        registration_id = registration.id,
        meeting_id,
        "joined a session"
    );
    Redirect::to(&offering.meeting_url).into_response()
}
