use crate::{components::layout::use_session, domain::role::Role, model::CurrentUser};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The signed-in person's home: what they can do next, by role.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let user = use_session().user;
    view! {
        <Title text="Dashboard"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await.ok().flatten() {
                    Some(user) => view! { <Dashboard user/> }.into_any(),
                    None => view! { <Redirect path="/signin"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(user: CurrentUser) -> impl IntoView {
    let role = user.role;
    view! {
        <div class="dashboard-head">
            <h1>{format!("Welcome, {}", user.name)}</h1>
            <p class="role-line">"Role: "<span class="role-badge">{role.title()}</span>" · "{user.agency}</p>
        </div>
        {match role {
            Role::Attendee => view! { <AttendeePanel/> }.into_any(),
            Role::Instructor => view! { <InstructorPanel/> }.into_any(),
            Role::Admin => view! { <AdminPanel/> }.into_any(),
        }}
    }
}

#[component]
fn AttendeePanel() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="next-heading">
            <h2 id="next-heading">"Your next step"</h2>
            <p>"You are not registered for a course yet. Choose a course to see its description and topics."</p>
            <p><a class="button" href="/courses">"Browse courses"</a></p>
        </section>
    }
}

#[component]
fn InstructorPanel() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="teach-heading">
            <h2 id="teach-heading">"Teaching"</h2>
            <p>"No offerings are assigned to you yet. When an administrator assigns you to one, its sessions and roster appear here."</p>
            <p><a href="/courses">"See the course catalog"</a></p>
        </section>
    }
}

#[component]
fn AdminPanel() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="admin-heading">
            <h2 id="admin-heading">"Administration"</h2>
            <ul class="link-list">
                <li><a href="/admin/users">"Users and roles"</a>" — give instructors and administrators their roles."</li>
                <li><a href="/courses">"Course catalog"</a>" — what visitors see."</li>
            </ul>
        </section>
    }
}
