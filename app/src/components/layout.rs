//! The page frame: skip link, header with navigation for the person's role, main, footer.
//! It also holds the session: who is signed in, and the actions that change that.

use crate::{
    api::session::{who_am_i, SignIn, SignOut, SignUp},
    domain::role::Role,
    error::AppError,
    model::CurrentUser,
};
use leptos::prelude::*;

/// Who is signed in, and the actions that change it; provided to every page.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_up: ServerAction<SignUp>,
    pub sign_out: ServerAction<SignOut>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    provide_form_error();
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
    // Refetched whenever one of the actions completes, so the header follows the session.
    let user = Resource::new(
        move || {
            (
                sign_in.version().get(),
                sign_up.version().get(),
                sign_out.version().get(),
            )
        },
        |_| who_am_i(),
    );
    provide_context(Session {
        user,
        sign_in,
        sign_up,
        sign_out,
    });
    mark_hydrated();

    view! {
        // target="_self" (the default anyway) makes the client-side router leave the link to
        // the browser, whose fragment navigation moves the focus into <main>; the router's own
        // navigation would only scroll, leaving keyboard focus on the link.
        <a class="skip-link" href="#main" target="_self">"Skip to main content"</a>
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"CIT"</span>
                    <span class="brand-text">
                        <span class="brand-name">"CIT Academy"</span>
                        <span class="brand-tagline">"Crisis Intervention Team training and certification"</span>
                    </span>
                </a>
                <nav aria-label="Main">
                    <Transition fallback=|| view! { <ul class="nav-list"><li><a href="/courses">"Courses"</a></li></ul> }>
                        {move || Suspend::new(async move {
                            let user = user.await.ok().flatten();
                            view! { <NavLinks user/> }
                        })}
                    </Transition>
                </nav>
            </div>
        </header>
        <main id="main" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="container footer-inner">
                <p>
                    <strong>"CIT Academy"</strong>
                    " · Training and certification for Crisis Intervention Team coordinators and 911 professionals."
                </p>
                <p>"Help, not force: connecting people in crisis with the care they need."</p>
            </div>
        </footer>
    }
}

#[component]
fn NavLinks(user: Option<CurrentUser>) -> impl IntoView {
    let session = use_session();
    match user {
        None => view! {
            <ul class="nav-list">
                <li><a href="/courses">"Courses"</a></li>
                <li><a href="/verify">"Verify a certificate"</a></li>
                <li><a href="/signin">"Sign in"</a></li>
                <li><a class="button button-small" href="/signup">"Create account"</a></li>
            </ul>
        }
        .into_any(),
        Some(user) => {
            let admin = user.role == Role::Admin;
            view! {
                <ul class="nav-list">
                    <li><a href="/courses">"Courses"</a></li>
                    <li><a href="/dashboard">"Dashboard"</a></li>
                    <li><a href="/certificates">"Certificates"</a></li>
                    <li><a href="/resources">"Resources"</a></li>
                    <li><a href="/settings">"Settings"</a></li>
                    {admin.then(|| view! {
                        <li><a href="/admin/offerings">"Classes"</a></li>
                        <li><a href="/admin/courses">"Catalog"</a></li>
                        <li><a href="/admin/users">"Users"</a></li>
                        <li><a href="/admin/certificates">"All certificates"</a></li>
                        <li><a href="/admin/shipments">"Guides to ship"</a></li>
                        <li><a href="/admin/reports">"Reports"</a></li>
                        <li><a href="/admin/audit">"Audit log"</a></li>
                    })}
                    <li class="nav-user">
                        <span class="visually-hidden">"Signed in as "</span>
                        <span>{user.name}</span>
                        " "
                        <span class="role-badge">{user.role.title()}</span>
                    </li>
                    <li>
                        <ActionForm action=session.sign_out attr:class="inline-form">
                            <button type="submit" class="link-button">"Sign out"</button>
                        </ActionForm>
                    </li>
                </ul>
            }
            .into_any()
        }
    }
}

/// A form posted without JavaScript comes back with its error in the query (`__path`,
/// `__err`). The router hands that to actions created inside `<Routes>`; the session's actions
/// live above the routes, so they get it here.
fn provide_form_error() {
    let query = leptos_router::hooks::use_query_map();
    let query = query.read_untracked();
    if let (Some(path), Some(err)) = (query.get("__path"), query.get("__err")) {
        provide_context(leptos::server::ServerActionError::new(&path, &err));
    }
}

/// Marks the document once the WebAssembly client has taken over, so that tests (and
/// styles) can tell a hydrated page from a server-rendered one.
fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        remember_time_zone();
    });
}

/// Tells the server the browser's time zone (a cookie), so that pages can show class times in
/// the visitor's own zone too. Only a zone name; read by `api::offerings` for display.
#[cfg(feature = "hydrate")]
fn remember_time_zone() {
    use wasm_bindgen::JsCast;
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    let Some(zone) = js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
    else {
        return;
    };
    // IANA names are letters, digits, '/', '_', '-' and '+': nothing that needs escaping.
    if zone.is_empty()
        || !zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
    {
        return;
    }
    if let Ok(html) = document().dyn_into::<web_sys::HtmlDocument>() {
        let current = html.cookie().unwrap_or_default();
        let cookie = format!("tz={zone}");
        if !current.split("; ").any(|c| c == cookie) {
            let _ = html.set_cookie(&format!("{cookie}; path=/; max-age=31536000; samesite=lax"));
        }
    }
}
