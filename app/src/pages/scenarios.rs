//! Scenario groups: the case shown above a grouped question (in the test and its preview),
//! the bank page's list of groups, and `/teach/bank/:code/scenarios/new` and
//! `/teach/bank/:code/scenarios/:id`, where a group's title, case and status are written.

use crate::{
    api::{
        bank::ScenarioLine,
        exam::ScenarioView,
        scenarios::{scenario_for_edit, SaveScenario},
    },
    components::{
        form::{field_error, last_error, FieldMessage, FormMessage, SelectField, TextField},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "Scenario: <title>" and its case, above a question. `key` tells several apart on a page.
#[component]
pub fn ScenarioCase(scenario: ScenarioView, #[prop(optional, into)] key: String) -> impl IntoView {
    let heading = if key.is_empty() {
        "scenario-heading".to_owned()
    } else {
        format!("scenario-heading-{key}")
    };
    view! {
        <section class="scenario" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{format!("Scenario: {}", scenario.title)}</h2>
            <div class="prose" inner_html=scenario.vignette_html></div>
        </section>
    }
}

/// The bank page's scenario groups, each with its case and its questions.
#[component]
pub fn ScenarioList(code: String, scenarios: Vec<ScenarioLine>) -> impl IntoView {
    let count = scenarios.len();
    view! {
        <section class="panel" aria-labelledby="scenarios-heading">
            <h2 id="scenarios-heading">{format!("Scenario groups ({count})")}</h2>
            <p class="hint">"A test draws a scenario group whole: its case, then its active questions in the order written. Only active groups are drawn. Put a question in a group in the question's editor."</p>
            {(count == 0).then(|| view! { <p>"No scenario groups yet."</p> })}
            {scenarios.into_iter().map(|g| {
                let heading = format!("scenario-{}", g.id);
                let (next, verb) = if g.status == "active" { ("retired", "Retire") } else { ("active", "Activate") };
                let label = format!("{verb} the scenario group {}", g.title);
                let code = code.clone();
                let questions = g.questions.len();
                view! {
                    <article class="scenario-group" aria-labelledby=heading.clone()>
                        <h3 id=heading.clone()><a href=format!("/teach/bank/{code}/scenarios/{}", g.id)>{g.title.clone()}</a></h3>
                        <div class="scenario-status">
                            {format!("{} · {questions} question{} ", g.status, if questions == 1 { "" } else { "s" })}
                            <form method="post" action="/api/set_scenario_status" class="inline-form">
                                <input type="hidden" name="code" value=code.clone()/>
                                <input type="hidden" name="scenario_id" value=g.id/>
                                <input type="hidden" name="status" value=next/>
                                <button type="submit" class="button-small button-secondary" aria-label=label>{verb}</button>
                            </form>
                        </div>
                        <div class="prose" inner_html=g.vignette_html></div>
                        {if g.questions.is_empty() {
                            view! { <p>"No questions yet."</p> }.into_any()
                        } else {
                            view! {
                                <ol>
                                    {g.questions.into_iter().map(|q| view! {
                                        <li><a href=format!("/teach/bank/{code}/questions/{}", q.id)>{q.stem}</a>{format!(" · {} · {}", q.kind, q.status)}</li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </article>
                }
            }).collect_view()}
        </section>
    }
}

/// One scenario group: title, case (Markdown) and status.
#[component]
pub fn ScenarioEditPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveScenario>::new();
    let error = last_error(save.value());
    let key = move || {
        let p = params.read();
        (
            p.get("code").unwrap_or_default(),
            p.get("id").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let data = Resource::new(key, |(code, id)| scenario_for_edit(code, id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let message = field_error(error, "vignette");
                        let heading = if v.id.is_some() { "Edit scenario group" } else { "New scenario group" };
                        let bank = format!("/teach/bank/{}", v.code);
                        let (code, questions) = (v.code.clone(), v.questions.clone());
                        view! {
                            <Title text=heading/>
                            <p class="breadcrumb"><a href=bank.clone()>"Question bank"</a></p>
                            <h1>{heading}</h1>
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="code" value=v.code.clone()/>
                                {v.id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                                <TextField label="Title" name="title" value=v.title.clone() error
                                    hint="Shown above each of its questions as \u{201c}Scenario: title\u{201d}; no two groups of this bank share one."/>
                                <div class="field" class:has-error=move || message.get().is_some()>
                                    <label for="field-vignette">"The case"</label>
                                    <p class="hint" id="vignette-hint">"What the call-taker hears and knows, in Markdown: a blank line starts a new paragraph, **bold**, *italic*, - for a list. Use person-first language."</p>
                                    <textarea id="field-vignette" name="vignette" rows="12"
                                        aria-invalid=move || message.get().is_some().then_some("true")
                                        aria-describedby=move || if message.get().is_some() { "vignette-hint vignette-error" } else { "vignette-hint" }>{v.vignette.clone()}</textarea>
                                    <FieldMessage field="vignette" message/>
                                </div>
                                <SelectField label="Status" name="status" selected=v.status.clone() error options=vec![
                                    ("draft".into(), "Draft: not drawn yet".into()),
                                    ("active".into(), "Active: tests draw it".into()),
                                    ("retired".into(), "Retired: no longer drawn".into()),
                                ]/>
                                <button type="submit" class="button">"Save the scenario group"</button>
                            </ActionForm>
                            {v.id.map(|id| view! {
                                <section class="panel" aria-labelledby="group-questions-heading">
                                    <h2 id="group-questions-heading">{format!("Its questions ({})", questions.len())}</h2>
                                    <ol>
                                        {questions.iter().map(|q| view! {
                                            <li><a href=format!("/teach/bank/{code}/questions/{}", q.id)>{q.stem.clone()}</a>{format!(" · {} · {}", q.kind, q.status)}</li>
                                        }).collect_view()}
                                    </ol>
                                    <p><a href=format!("/teach/bank/{code}/questions/new?group={id}")>"Write a question in this group"</a></p>
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
