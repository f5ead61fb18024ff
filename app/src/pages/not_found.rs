use crate::components::status::set_status;
use leptos::prelude::*;
use leptos_meta::Title;

/// Any path we do not know: a real 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found"/>
        <section class="panel error-panel">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="/">"Go to the home page"</a>" or "<a href="/courses">"browse the courses"</a>"."</p>
        </section>
    }
}
