//! Account administration.

use crate::{error::AppError, model::UserPage};
use leptos::prelude::*;

/// Accounts, fifty a page, sorted by name, email, role or when they joined (newest first
/// unless asked otherwise; admins only).
#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<UserPage, AppError> {
    use crate::components::paging::{parse_page, Paging, Sort};
    use crate::db::users::UserSort;
    use crate::domain::role::Role;
    crate::state::require_role(Role::Admin).await?;
    let state = crate::state::app_state()?;
    let sort = Sort::<UserSort>::parse(sort.as_deref(), dir.as_deref());
    let total = u64::try_from(crate::db::users::count(&state.db).await?).unwrap_or(0);
    let paging = Paging::new(
        "/admin/users",
        Vec::new(),
        parse_page(page.as_deref()),
        sort,
        total,
    );
    let (limit, offset) = paging.window();
    let rows = crate::db::users::list(&state.db, sort, limit, offset).await?;
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
    Ok(UserPage { users, paging })
}

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
    crate::db::users::set_role(
        &state.db,
        user_id,
        role,
        Some(admin.id),
        crate::clock::now(),
    )
    .await?
    .ok_or_else(|| AppError::NotFound("That account no longer exists.".into()))?;
    tracing::info!(user_id, role = role.as_str(), "role changed");
    // Without JavaScript the page reloads; the query tells it to confirm the change.
    leptos_axum::redirect(&format!("/admin/users?updated={user_id}"));
    Ok(())
}
