//! What server functions need from the running server, and the helpers every one of them
//! uses to find the caller. Server only.

use crate::{
    auth::AuthSession,
    db::Db,
    domain::{
        role::Role,
        teaching_scope::{self, CourseReach, FileReach},
        throttle::ThrottlePolicy,
    },
    error::AppError,
    model::CurrentUser,
};
use leptos::prelude::*;

/// Shared state, provided to every page render and server function as Leptos context.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub throttle: ThrottlePolicy,
    /// Sign-ups per email and per client address (configured: an agency behind one address
    /// may sign many people up at once).
    pub sign_up_throttle: ThrottlePolicy,
    /// Uploaded files (course materials, later the resource area).
    pub storage: std::sync::Arc<dyn crate::storage::Storage>,
    /// Renewal by continuing education (configured).
    pub renewal: crate::domain::renewal::Policy,
}

/// The client's address as the server decided it (peer address, or the proxy's
/// X-Forwarded-For when configured to trust it). Put in request extensions by middleware.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// Session key of the moment a person signed in; the absolute session lifetime counts from it.
pub const SIGNED_IN_AT: &str = "signed_in_at";

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>()
        .await
        .map_err(AppError::internal)
}

/// The client address of the current request ("unknown" when the server could not tell).
pub fn client_address() -> String {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientAddress>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The signed-in person, if any.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(auth_session().await?.user.map(|u| u.current()))
}

/// The signed-in person, or `Unauthenticated`.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in person if their role allows `role`, else `Unauthenticated` or `Forbidden`.
pub async fn require_role(role: Role) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.role.allows(role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in person if they may run offering `offering_id`: an administrator, or an
/// instructor assigned to it. Anyone else gets `Forbidden` (or `Unauthenticated`).
pub async fn require_offering_staff(offering_id: i64) -> Result<CurrentUser, AppError> {
    let user = require_role(Role::Instructor).await?;
    let state = app_state()?;
    if may_run_offering(&state.db, &user, offering_id).await? {
        Ok(user)
    } else {
        tracing::info!(
            user_id = user.id,
            offering_id,
            "refused: not this class's staff"
        );
        Err(AppError::Forbidden)
    }
}

/// Whether `user` runs offering `offering_id`: an administrator, or an instructor assigned
/// to it. For routes outside server functions (downloads) as much as for them.
pub async fn may_run_offering(
    db: &crate::db::Db,
    user: &CurrentUser,
    offering_id: i64,
) -> Result<bool, AppError> {
    if user.role.allows(Role::Admin) {
        return Ok(true);
    }
    Ok(user.role.allows(Role::Instructor)
        && crate::db::offerings::is_instructor(db, offering_id, user.id).await?)
}

/// The signed-in person and the id of course `code` if they may see and change its staff
/// side (question bank, scenario groups, test preview, item analysis, regrading, evaluation
/// results): an administrator, or an instructor of one of its classes. Others get
/// `Unauthenticated` or `Forbidden`; an unknown course is `NotFound`.
pub async fn require_course_staff(code: &str) -> Result<(CurrentUser, i64), AppError> {
    let user = require_role(Role::Instructor).await?;
    let db = &app_state()?.db;
    let (course_id, _) = crate::db::courses::id_and_title(db, code)
        .await?
        .ok_or_else(|| AppError::NotFound("We could not find that course.".into()))?;
    match course_reach(db, &user, course_id).await? {
        CourseReach::Staff => Ok((user, course_id)),
        _ => Err(AppError::Forbidden),
    }
}

/// What course `course_id`'s staff side is to `user` (logged when refused). For routes
/// outside server functions (the GIFT export) as much as for them.
pub async fn course_reach(
    db: &crate::db::Db,
    user: &CurrentUser,
    course_id: i64,
) -> Result<CourseReach, AppError> {
    let taught = crate::db::teaching::courses_taught(db, user.id).await?;
    let reach = teaching_scope::course_reach(user.role, &taught, course_id);
    if reach != CourseReach::Staff {
        tracing::info!(
            user_id = user.id,
            course_id,
            ?reach,
            "refused: not this course's staff"
        );
    }
    Ok(reach)
}

/// What a file of person `owner_id` (a certificate, an invoice, CE evidence) is to `user`:
/// staff (an administrator, or an instructor of a class the person is registered in), its
/// owner, or nobody (logged). Each file adds its own conditions for its owner.
pub async fn file_reach(
    db: &crate::db::Db,
    user: &CurrentUser,
    owner_id: i64,
) -> Result<FileReach, AppError> {
    let in_class = crate::db::teaching::teaches_person(db, user.id, owner_id).await?;
    let reach = teaching_scope::file_reach(user.role, user.id, owner_id, in_class);
    if reach == FileReach::Nobody {
        tracing::info!(user_id = user.id, "refused: someone else's file");
    }
    Ok(reach)
}
