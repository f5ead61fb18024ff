//! A page part only some roles may see, for pages whose own data is not private (the course
//! forms read the public catalog) but which must still be refused to others.

use crate::{
    components::{layout::use_session, status::ErrorPanel},
    domain::role::Role,
    error::AppError,
};
use leptos::prelude::*;

/// Renders `children` for people whose role allows `role`; anyone else gets the error page
/// with its status (401 signed out, 403 otherwise), decided on the server as the page renders.
#[component]
pub fn RequireRole(role: Role, children: ChildrenFn) -> impl IntoView {
    let user = use_session().user;
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(u)) if u.role.allows(role) => children().into_any(),
                        Ok(Some(_)) => view! { <ErrorPanel error=AppError::Forbidden/> }.into_any(),
                        Ok(None) => view! { <ErrorPanel error=AppError::Unauthenticated/> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
