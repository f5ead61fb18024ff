//! Account administration.

use crate::{error::AppError, model::UserPage};
use leptos::prelude::*;

/// Accounts by when they joined, newest first unless `sort` is "asc", fifty a page (admins
/// only).
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(page: Option<i64>, sort: Option<String>) -> Result<UserPage, AppError> {
    use crate::components::paging::{clamp_page, offset, Order, Paging};
    use crate::domain::role::Role;
    crate::state::require_role(Role::Admin).await?;
    let state = crate::state::app_state()?;
    let order = Order::parse(sort.as_deref());
    let size = USERS_PER_PAGE as u64;
    let total = u64::try_from(crate::db::users::count(&state.db).await?).unwrap_or(0);
    let page = clamp_page(u64::try_from(page.unwrap_or(1)).unwrap_or(1), total, size);
    let rows = crate::db::users::list(
        &state.db,
        USERS_PER_PAGE,
        offset(page, size) as i64,
        order == Order::Asc,
    )
    .await?;
    let users = rows
        .into_iter()
        .map(|r| crate::model::UserListItem {
            id: r.id,
            role: r.role(),
            name: r.name,
            email: r.email,
            agency: r.agency,
            created_at: r.created_at.format("%-d %B %Y").to_string(),
        })
        .collect();
    Ok(UserPage {
        users,
        paging: Paging {
            path: "/admin/users".into(),
            filters: Vec::new(),
            page,
            order,
            total,
            size,
        },
    })
}

/// Accounts per page of the user list.
pub const USERS_PER_PAGE: i64 = 50;

/// Changes a person's role (admins only; audited). An admin cannot demote themself, so that
/// the platform never loses its last administrator by accident.
#[server(prefix = "/api", endpoint = "change_role")]
pub async fn change_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::domain::role::Role;
    let admin = crate::state::require_role(Role::Admin).await?;
    let role: Role = role
        .parse()
        .map_err(|e: crate::domain::role::UnknownRole| AppError::invalid("role", e.to_string()))?;
    if admin.id == user_id && role != Role::Admin {
        return Err(AppError::invalid(
            "role",
            "You cannot remove your own administrator role. Ask another administrator.",
        ));
    }
    let state = crate::state::app_state()?;
    crate::db::users::set_role(&state.db, user_id, role, Some(admin.id), chrono::Utc::now())
        .await?
        .ok_or_else(|| AppError::NotFound("That account no longer exists.".into()))?;
    tracing::info!(user_id, role = role.as_str(), "role changed");
    // Without JavaScript the page reloads; the query tells it to confirm the change.
    leptos_axum::redirect(&format!("/admin/users?updated={user_id}"));
    Ok(())
}
