use crate::{
    api::catalog::get_course,
    components::status::ErrorPanel,
    domain::catalog::{format_usd, Eligibility},
    model::CourseDetail,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// One course: description, facts and the full topic list.
#[component]
pub fn CoursePage() -> impl IntoView {
    let params = use_params_map();
    let course = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_course,
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading course…"</p> }>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(detail) => view! { <CourseView detail/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseView(detail: CourseDetail) -> impl IntoView {
    let CourseDetail {
        course,
        description,
        topics,
    } = detail;
    let notice = course
        .eligibility
        .parse::<Eligibility>()
        .map(|e| e.notice())
        .unwrap_or_default();
    let topic_count = topics.len();
    view! {
        <Title text=course.title.clone()/>
        <p class="breadcrumb"><a href="/courses">"Courses"</a></p>
        <article class="course">
            <h1>{course.title}</h1>
            <p class="lead">{course.summary}</p>
            <dl class="facts facts-wide">
                <div><dt>"Fee"</dt><dd>{format_usd(course.fee_cents)}{course.includes_membership.then_some(", membership included")}</dd></div>
                <div><dt>"Length"</dt><dd>{format!("{} hours", course.hours)}</dd></div>
                <div><dt>"Format"</dt><dd>{course.format}</dd></div>
                <div><dt>"Code"</dt><dd>{course.code}</dd></div>
            </dl>
            {(!notice.is_empty()).then(|| view! { <p class="notice"><strong>"Who may attend: "</strong>{notice}</p> })}
            {description.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
            <h2>{format!("Topics ({topic_count})")}</h2>
            <ol class="topic-list">
                {topics.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
            </ol>
        </article>
    }
}
