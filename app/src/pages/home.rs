use crate::{api::catalog::list_courses, pages::catalog::CourseList};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| list_courses());
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"CIT Academy"</h1>
            <p class="lead">
                "Training and certification for the people who build Crisis Intervention Team programs: "
                "police, 911 call-takers and mental-health partners who meet a person in crisis with help, not force."
            </p>
            <p class="actions">
                <a class="button" href="/courses">"Browse courses"</a>
                <a class="button button-secondary" href="/signup">"Create an account"</a>
            </p>
        </section>
        <section aria-labelledby="how-heading" class="steps">
            <h2 id="how-heading">"How certification works"</h2>
            <ol class="step-list">
                <li><strong>"Register"</strong>" for a live online course."</li>
                <li><strong>"Attend"</strong>" both four-hour sessions."</li>
                <li><strong>"Pass"</strong>" the certification test in your browser."</li>
                <li><strong>"Get certified"</strong>" for three years, with membership and the coordinators' resource library."</li>
                <li><strong>"Renew"</strong>" through continuing education in your third year."</li>
            </ol>
        </section>
        <section aria-labelledby="courses-heading">
            <h2 id="courses-heading">"Our courses"</h2>
            <Suspense fallback=|| view! { <p>"Loading courses…"</p> }>
                {move || Suspend::new(async move {
                    courses.await.ok().map(|list| view! { <CourseList courses=list/> })
                })}
            </Suspense>
        </section>
    }
}
