use crate::{
    api::catalog::list_courses,
    components::status::ErrorPanel,
    domain::catalog::{format_usd, Eligibility},
    model::CourseSummary,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// All courses.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| list_courses());
    view! {
        <Title text="Courses"/>
        <h1>"Courses"</h1>
        <p class="lead">"Live online courses taught by experienced CIT instructors. Each runs as two 4-hour sessions on consecutive days."</p>
        <Suspense fallback=|| view! { <p>"Loading courses…"</p> }>
            {move || Suspend::new(async move {
                match courses.await {
                    Ok(list) => view! {
                        <h2 class="visually-hidden">"All courses"</h2>
                        <CourseList courses=list/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Course cards, shared with the home page.
#[component]
pub fn CourseList(courses: Vec<CourseSummary>) -> impl IntoView {
    view! {
        <ul class="course-list">
            {courses.into_iter().map(|c| view! { <CourseCard course=c/> }).collect_view()}
        </ul>
    }
}

#[component]
fn CourseCard(course: CourseSummary) -> impl IntoView {
    let href = format!("/courses/{}", course.code);
    let restricted = course
        .eligibility
        .parse::<Eligibility>()
        .map(|e| e != Eligibility::Anyone)
        .unwrap_or(false);
    view! {
        <li class="card course-card">
            <h3><a href=href>{course.title}</a></h3>
            <p>{course.summary}</p>
            <dl class="facts">
                <div><dt>"Fee"</dt><dd>{format_usd(course.fee_cents)}</dd></div>
                <div><dt>"Length"</dt><dd>{format!("{} hours", course.hours)}</dd></div>
                <div><dt>"Format"</dt><dd>{course.format}</dd></div>
            </dl>
            {course.includes_membership.then(|| view! { <p class="note">"Includes a three-year membership."</p> })}
            {restricted.then(|| view! { <p class="note">"Only for emergency call-center staff."</p> })}
        </li>
    }
}
