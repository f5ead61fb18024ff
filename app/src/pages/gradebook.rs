//! `/teach/offerings/:id/gradebook`: a class's gradebook for its instructors and
//! administrators: each person's attendance, attempts, best score and whether they passed,
//! sortable by name or best score with plain links (`?sort=`), and downloadable as CSV.

use crate::{
    api::gradebook::{gradebook, GradebookRow, GradebookView},
    components::{params::use_id_param, status::ErrorPanel},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn GradebookPage() -> impl IntoView {
    let id = use_id_param();
    let query = use_query_map();
    let sort = move || query.read().get("sort");
    let data = Resource::new(move || (id(), sort()), |(id, sort)| gradebook(id, sort));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Gradebook v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Gradebook(v: GradebookView) -> impl IntoView {
    let base = format!("/teach/offerings/{}/gradebook", v.offering_id);
    let by_score = v.sort == "score";
    let csv = format!(
        "/teach/offerings/{}/gradebook.csv?sort={}",
        v.offering_id, v.sort
    );
    let (sorted, other, other_href) = if by_score {
        ("best score", "name", format!("{base}?sort=name"))
    } else {
        ("name", "best score", format!("{base}?sort=score"))
    };
    view! {
        <Title text=format!("Gradebook · {}", v.course_title)/>
        <p class="breadcrumb"><a href=format!("/teach/offerings/{}", v.offering_id)>"Class"</a></p>
        <h1>{format!("Gradebook: {}", v.course_title)}</h1>
        <p class="lead">{v.when.clone()}</p>
        <section class="panel" aria-labelledby="gradebook-heading">
            <h2 id="gradebook-heading">{format!("People ({})", v.rows.len())}</h2>
            <p>{v.rule.clone()}" "{format!("Pass mark: {}%.", v.pass_percent)}</p>
            <p>
                {format!("Sorted by {sorted}. ")}
                <a href=other_href>{format!("Sort by {other}")}</a>" · "
                <a href=csv download="">"Download the gradebook (CSV)"</a>
            </p>
            <GradebookTable base by_score rows=v.rows/>
        </section>
    }
}

#[component]
fn GradebookTable(base: String, by_score: bool, rows: Vec<GradebookRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Nobody has registered for this class yet."</p> }.into_any();
    }
    let sort_name = format!("{base}?sort=name");
    let sort_score = format!("{base}?sort=score");
    view! {
        // Wider than a narrow screen: the wrapper scrolls, so it takes keyboard focus.
        <div class="table-wrap" tabindex="0" role="region" aria-label="Gradebook table">
            <table>
                <caption>{if by_score { "People and their results, best score first" } else { "People and their results, by name" }}</caption>
                <thead><tr>
                    <th scope="col" aria-sort=(!by_score).then_some("ascending")><a href=sort_name>"Name"</a>" and email"</th>
                    <th scope="col">"Agency"</th>
                    <th scope="col">"Registration"</th>
                    <th scope="col">"Attendance"</th>
                    <th scope="col">"Attendance rule met"</th>
                    <th scope="col">"Attempts used"</th>
                    <th scope="col" aria-sort=by_score.then_some("descending")><a href=sort_score>"Best score"</a></th>
                    <th scope="col">"Passed"</th>
                    <th scope="col">"Last attempt"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.name}<br/><span class="hint">{r.email}</span></th>
                            <td>{r.agency}</td>
                            <td>{r.registration}</td>
                            <td>{r.attendance}</td>
                            <td>
                                {if r.attendance_rule_met {
                                    view! { <span>"Yes"</span> }.into_any()
                                } else {
                                    view! {
                                        <span>"No:"</span>
                                        <ul class="compact hint">{r.attendance_shortfalls.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                                    }.into_any()
                                }}
                            </td>
                            <td>{format!("{} of {}", r.attempts_used, r.attempts_allowed)}</td>
                            <td>{r.best_percent.map_or_else(|| "None yet".to_owned(), |p| format!("{p}%"))}</td>
                            <td>{r.passed}</td>
                            <td>{if r.last_attempt.is_empty() { "None".to_owned() } else { r.last_attempt }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
