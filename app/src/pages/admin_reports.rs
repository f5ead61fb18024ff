//! `/admin/reports`: every report as a chart with its table and CSV, filtered by course and
//! range with a plain GET form.

use crate::{
    api::reports::{admin_reports, report_courses},
    components::{
        chart::Chart,
        form::{SelectField, TextField},
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminReportsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (q.get("course"), q.get("from"), q.get("to"))
    };
    let data = Resource::new(filter, |(course, from, to)| admin_reports(course, from, to));
    // For the form when the filter given is refused (the report then has no course list).
    let courses = Resource::new(|| (), |_| report_courses());
    view! {
        <Title text="Reports"/>
        <h1>"Reports"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (course, from, to) = filter();
                match data.await {
                    Ok(v) => view! {
                        <FilterForm courses=v.courses.clone() course=v.course.clone() from=v.from.clone() to=v.to.clone() error=Signal::stored(None)/>
                        <nav class="panel" aria-label="Reports on this page">
                            <ul class="compact">
                                {v.charts.iter().map(|c| view! { <li><a href=format!("#{}", c.id)>{c.title.clone()}</a></li> }).collect_view()}
                            </ul>
                        </nav>
                        {v.charts.into_iter().map(|data| view! { <Chart data/> }).collect_view()}
                    }.into_any(),
                    Err(e @ AppError::Invalid { .. }) => {
                        let courses = courses.await.unwrap_or_default();
                        view! {
                            <FilterForm courses course=course.unwrap_or_default() from=from.unwrap_or_default() to=to.unwrap_or_default() error=Signal::stored(Some(e))/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(
    courses: Vec<(String, String)>,
    course: String,
    from: String,
    to: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let options = std::iter::once((String::new(), "All courses".to_owned()))
        .chain(courses)
        .collect();
    view! {
        <section class="panel" aria-labelledby="filter-heading">
            <h2 id="filter-heading">"Filter"</h2>
            <form method="get" action="/admin/reports">
                <SelectField label="Course" name="course" options selected=course error/>
                <TextField label="From" name="from" kind="date" value=from required=false error
                    hint="The first day, YYYY-MM-DD (Mountain Time). Empty: twelve months back."/>
                <TextField label="To" name="to" kind="date" value=to required=false error
                    hint="The last day, included. Empty: today."/>
                <button type="submit">"Show"</button>
            </form>
        </section>
    }
}
