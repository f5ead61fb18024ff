use crate::{
    api::users::{list_users, ChangeRole},
    components::{
        form::last_error,
        paging::{order_params, Pager, Paging, SortHeading},
        status::ErrorPanel,
    },
    domain::role::Role,
    model::{UserListItem, UserPage},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Admins: everyone's account and role.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let change = ServerAction::<ChangeRole>::new();
    let query = use_query_map();
    let users = Resource::new(
        move || (change.version().get(), order_params(&query.read())),
        |(_, (sort, dir, page))| list_users(sort, dir, page),
    );
    let error = last_error(change.value());
    // With JavaScript the action's value says it worked; without, the redirect's query does.
    let updated = move || {
        query.read().get("updated").is_some() || matches!(change.value().get(), Some(Ok(())))
    };
    view! {
        <Title text="Users"/>
        <h1>"Users"</h1>
        <Suspense fallback=|| view! { <p>"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(UserPage { users: list, paging }) => view! {
                        {move || updated().then(|| view! { <p class="form-success" role="status">"Role updated."</p> })}
                        {move || error.get().map(|e| view! { <div class="form-error" role="alert"><p>{e.to_string()}</p></div> })}
                        <UserTable users=list change paging=paging.clone()/>
                        <Pager paging/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(
    users: Vec<UserListItem>,
    change: ServerAction<ChangeRole>,
    paging: Paging,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"All accounts"</caption>
                <thead>
                    <tr>
                        <SortHeading paging=paging.clone() key="name" label="Name"/>
                        <SortHeading paging=paging.clone() key="email" label="Email"/>
                        <th scope="col">"Agency"</th>
                        <SortHeading paging=paging.clone() key="joined" label="Joined"/>
                        <SortHeading paging key="role" label="Role"/>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| view! { <UserRow user=u change/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(user: UserListItem, change: ServerAction<ChangeRole>) -> impl IntoView {
    let select_id = format!("role-{}", user.id);
    let select_label = format!("Role for {}", user.email);
    let button_label = format!("Save role for {}", user.email);
    view! {
        <tr>
            <th scope="row">{user.name}</th>
            <td>{user.email}</td>
            <td>{user.agency}</td>
            <td>{user.created_at}</td>
            <td>
                <ActionForm action=change attr:class="role-form">
                    <input type="hidden" name="user_id" value=user.id/>
                    <label class="visually-hidden" for=select_id.clone()>{select_label}</label>
                    <select id=select_id name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button-small" aria-label=button_label>"Save"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
