//! The instructor's part of the dashboard: sessions ahead with roster counts, the grading
//! waiting, and who may not sit the test yet and why, across every class they teach.

use crate::api::teach_overview::{
    teaching_overview, GradingLine, NotYetEligible, SessionAhead, TeachingView,
};
use leptos::prelude::*;

/// The overview, or nothing at all when `quiet_if_not_teaching` and the person teaches no
/// class (an administrator's dashboard shows it only for those who teach).
#[component]
pub fn TeachingOverviewPanel(quiet_if_not_teaching: bool) -> impl IntoView {
    let overview = Resource::new(|| (), |_| teaching_overview());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) if quiet_if_not_teaching && !o.teaches => ().into_any(),
                    Ok(o) => view! { <Overview o/> }.into_any(),
                    Err(e) => view! { <p>{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: TeachingView) -> impl IntoView {
    let TeachingView {
        teaches,
        sessions,
        grading,
        not_eligible,
    } = o;
    view! {
        <section class="panel" aria-labelledby="sessions-ahead-heading">
            <h2 id="sessions-ahead-heading">"Your sessions ahead"</h2>
            {if sessions.is_empty() {
                let text = if teaches {
                    "None of your classes has a session ahead."
                } else {
                    "No classes are assigned to you yet. When an administrator assigns you to one, its sessions, roll calls and attendance appear here."
                };
                view! { <p>{text}</p> }.into_any()
            } else {
                view! { <SessionsTable sessions/> }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="grading-heading">
            <h2 id="grading-heading">"Waiting for your grade"</h2>
            {if grading.is_empty() {
                view! { <p>"No answers are waiting to be graded."</p> }.into_any()
            } else {
                view! { <GradingList grading/> }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="not-eligible-heading">
            <h2 id="not-eligible-heading">"Not yet eligible for the test"</h2>
            <p class="hint">"People with a seat in a class under way (or ended in the last 60 days) who may not sit the certification test yet, and why."</p>
            {if not_eligible.is_empty() {
                view! { <p>"Everyone in your classes under way meets the rule so far."</p> }.into_any()
            } else {
                view! { <NotEligibleTable people=not_eligible/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn SessionsTable(sessions: Vec<SessionAhead>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Your sessions ahead, soonest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Class"</th>
                        <th scope="col">"Session"</th>
                        <th scope="col">"When"</th>
                        <th scope="col">"Roster"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {sessions.into_iter().map(|s| {
                        let roll_label = format!("Roll call for {}, {}", s.course_title, s.number);
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/teach/offerings/{}", s.offering_id)>{s.course_title.clone()}</a></th>
                                <td>{s.number.clone()}</td>
                                <td>{s.when}</td>
                                <td>{s.roster}</td>
                                <td><a href=format!("/teach/meetings/{}", s.meeting_id) aria-label=roll_label>"Roll call"</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn GradingList(grading: Vec<GradingLine>) -> impl IntoView {
    view! {
        <ul class="link-list">
            {grading.into_iter().map(|g| view! {
                <li>
                    <a href=format!("/teach/offerings/{}/grading", g.offering_id)>{format!("Grade {}", g.course_title)}</a>
                    {format!(": {}. {}", g.waiting, g.since)}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn NotEligibleTable(people: Vec<NotYetEligible>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Not yet eligible for the test, by class"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Class"</th>
                        <th scope="col">"Why not yet"</th>
                    </tr>
                </thead>
                <tbody>
                    {people.into_iter().map(|p| view! {
                        <tr>
                            <th scope="row">{p.name}</th>
                            <td><a href=format!("/teach/offerings/{}", p.offering_id)>{p.course_title}</a></td>
                            <td>
                                <ul class="compact">
                                    {p.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
