//! Instructors: a class's sessions with links to their roll calls, and the attendance grid
//! (people x sessions) with each person's standing for the test, exportable as CSV.

use crate::{
    api::teach::{teach_offering, GridRow, SetAccommodation, SetTestWindow, TeachOfferingView},
    components::{
        form::{last_error, FormMessage, TextField},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TeachOfferingPage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let data = Resource::new(id, teach_offering);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <TeachOffering v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TeachOffering(v: TeachOfferingView) -> impl IntoView {
    let csv = format!("/teach/offerings/{}/attendance.csv", v.offering_id);
    let materials = format!("/teach/offerings/{}/materials", v.offering_id);
    let grading = format!("/teach/offerings/{}/grading", v.offering_id);
    let gradebook = format!("/teach/offerings/{}/gradebook", v.offering_id);
    let headers: Vec<String> = v
        .sessions
        .iter()
        .map(|s| format!("Session {}", s.number))
        .collect();
    view! {
        <Title text=format!("Teaching · {}", v.course_title)/>
        <p class="breadcrumb"><a href="/dashboard">"Dashboard"</a></p>
        <h1>{v.course_title.clone()}</h1>
        <p class="lead">{v.when.clone()}</p>
        <section class="panel" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Sessions"</h2>
            <ul class="link-list">
                {v.sessions.into_iter().map(|s| {
                    let href = format!("/teach/meetings/{}", s.id);
                    view! {
                        <li>
                            <a href=href>{format!("Roll call for session {}", s.number)}</a>
                            {format!(": {} ({})", s.label, s.marked)}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a href=materials>"Class materials"</a>" — handouts, slides and pre-reading for the people registered."</p>
            <p><a href=grading>"Grading queue"</a>" — essays and short answers waiting for an instructor, listed by attempt code."</p>
            <p><a href=gradebook>"Gradebook"</a>" — attendance, attempts, best scores and who passed, with a CSV download."</p>
            <p><a href=format!("/teach/offerings/{}/evaluations", v.offering_id)>"Course evaluations"</a>" — what the class's people said of it, after it ends: ratings, charts and comments, without names."</p>
        </section>
        <TestWindow offering_id=v.offering_id opens=v.test_opens_on.clone() closes=v.test_closes_on.clone()/>
        <section class="panel" aria-labelledby="grid-heading">
            <h2 id="grid-heading">"Attendance"</h2>
            <p>{v.rule.clone()}</p>
            <p><a href=csv download="">"Download the attendance grid (CSV)"</a></p>
            <AttendanceGrid headers rows=v.rows.clone()/>
        </section>
        <Accommodations offering_id=v.offering_id rows=v.rows/>
    }
}

/// Extra time and extra attempts for the test, per person.
#[component]
fn Accommodations(offering_id: i64, rows: Vec<GridRow>) -> impl IntoView {
    let action = ServerAction::<SetAccommodation>::new();
    let error = last_error(action.value());
    (!rows.is_empty()).then(|| view! {
        <section class="panel" aria-labelledby="accommodations-heading">
            <h2 id="accommodations-heading">"Test accommodations"</h2>
            <p>"Extra time is a share of the time limit; extra attempts add to the course's."</p>
            <FormMessage error/>
            <ul class="link-list">
                {rows.into_iter().map(|r| {
                    let key = r.registration_id.to_string();
                    view! {
                        <li>
                            <details>
                                <summary>{format!("{}: extra time {}%, extra attempts {}", r.name, r.extra_time_percent, r.extra_attempts)}</summary>
                                <ActionForm action attr:class="form form-inline" attr:novalidate=true>
                                    <input type="hidden" name="offering_id" value=offering_id/>
                                    <input type="hidden" name="registration_id" value=r.registration_id/>
                                    <TextField label="Extra time (%)" label_text=format!("Extra time for {} (%)", r.name) name="extra_time_percent" kind="number" value=r.extra_time_percent.to_string() key=key.clone() error/>
                                    <TextField label="Extra attempts" label_text=format!("Extra attempts for {}", r.name) name="extra_attempts" kind="number" value=r.extra_attempts.to_string() key=key.clone() error/>
                                    <TextField label="Note" label_text=format!("Note about {}'s accommodations", r.name) name="note" required=false key=key error/>
                                    <button type="submit" class="button-secondary">{format!("Save accommodations for {}", r.name)}</button>
                                </ActionForm>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

/// When the class's people may take the certification test.
#[component]
fn TestWindow(offering_id: i64, opens: String, closes: String) -> impl IntoView {
    let action = ServerAction::<SetTestWindow>::new();
    let error = last_error(action.value());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || {
        query.read().get("window").is_some() || matches!(action.value().get(), Some(Ok(())))
    };
    view! {
        <section class="panel" aria-labelledby="window-heading">
            <h2 id="window-heading">"Test window"</h2>
            <p>"People who meet the attendance rule may take the certification test between these days (in the class's time zone)."</p>
            {move || saved().then(|| view! { <p class="form-success" role="status">"Test window saved."</p> })}
            <ActionForm action attr:class="form form-inline" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="offering_id" value=offering_id/>
                <TextField label="Test opens on" name="opens_on" kind="date" value=opens error/>
                <TextField label="Test closes after" name="closes_on" kind="date" value=closes error/>
                <button type="submit" class="button">"Save the test window"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn AttendanceGrid(headers: Vec<String>, rows: Vec<GridRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Nobody has a confirmed seat in this class yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption>"Attendance by person and session"</caption>
                <thead><tr>
                    <th scope="col">"Name"</th>
                    {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                    <th scope="col">"Payment"</th>
                    <th scope="col">"May sit the test"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let eligible = r.shortfalls.is_empty();
                        view! {
                            <tr>
                                <th scope="row">{r.name}<br/><span class="hint">{r.email}</span></th>
                                {r.cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                                <td>{r.payment}</td>
                                <td>
                                    {if eligible {
                                        view! { <span>"Yes"</span> }.into_any()
                                    } else {
                                        view! {
                                            <span>"Not yet:"</span>
                                            <ul class="compact">{r.shortfalls.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
