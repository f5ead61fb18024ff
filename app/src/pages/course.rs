use crate::{
    api::{catalog::get_course, offerings::course_offerings},
    components::status::ErrorPanel,
    domain::catalog::{format_usd, Eligibility},
    model::{CourseDetail, OfferingCard},
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
        description_html,
        topics,
        attendance_rule,
        ..
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
                <div><dt>"Attendance"</dt><dd>{format!("At least {}% of every session{}", attendance_rule.threshold_percent, if attendance_rule.excused_counts { "; an excused absence counts" } else { "" })}</dd></div>
                <div><dt>"Code"</dt><dd>{course.code.clone()}</dd></div>
            </dl>
            {(!notice.is_empty()).then(|| view! { <p class="notice"><strong>"Who may attend: "</strong>{notice}</p> })}
            // Sanitised on the server (domain::markdown): only harmless tags and attributes.
            <div class="prose" inner_html=description_html></div>
            <UpcomingOfferings code=course.code.clone()/>
            <crate::pages::evaluation_testimonials::Testimonials code=course.code.clone()/>
            <h2>{format!("Topics ({topic_count})")}</h2>
            <ol class="topic-list">
                {topics.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
            </ol>
        </article>
    }
}

/// The course's upcoming classes, each with its seats and a way to register.
#[component]
fn UpcomingOfferings(code: String) -> impl IntoView {
    let offerings = Resource::new(move || code.clone(), course_offerings);
    view! {
        <section aria-labelledby="dates-heading">
            <h2 id="dates-heading">"Upcoming classes"</h2>
            <Suspense fallback=|| view! { <p>"Loading dates…"</p> }>
                {move || Suspend::new(async move {
                    match offerings.await {
                        Ok(list) if list.is_empty() => view! { <p>"No classes are scheduled right now. Please check back soon."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="offering-list">
                                {list.into_iter().map(|o| view! { <OfferingRow offering=o/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p>{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn OfferingRow(offering: OfferingCard) -> impl IntoView {
    let href = format!("/offerings/{}", offering.id);
    let for_when = format!(" for {}", offering.when);
    let (seats, action) = if offering.seats_left > 0 {
        let unit = if offering.seats_left == 1 {
            "seat"
        } else {
            "seats"
        };
        (format!("{} {unit} left", offering.seats_left), "Register")
    } else {
        ("Full".to_owned(), "Join the waitlist")
    };
    view! {
        <li class="card offering-row">
            <p class="offering-when">
                <strong>{offering.when}</strong>
                {offering.evening.then(|| view! { " " <span class="tag">"Evening class"</span> })}
            </p>
            <p class="offering-seats">{seats}</p>
            {if offering.open {
                view! { <a class="button button-small" href=href>{action}<span class="visually-hidden">{for_when}</span></a> }.into_any()
            } else {
                view! { <a href=href>"Details"</a> }.into_any()
            }}
        </li>
    }
}
