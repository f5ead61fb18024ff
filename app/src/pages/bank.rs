//! `/teach/bank/:code`: a course's question bank for instructors and administrators: how
//! well it covers the test's blueprint, its scenario groups and questions, and importing
//! more from GIFT.

use super::scenarios::{ScenarioCase, ScenarioList};
use crate::{
    api::{
        bank::{question_bank, BankView},
        bank_import::ImportGift,
    },
    components::{
        form::{field_error, last_error, FieldMessage, FormMessage, SelectField, TextField},
        paging::{order_params, Pager, SortHeading},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BankPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let import = ServerAction::<ImportGift>::new();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(
        move || (code(), import.version().get(), order_params(&query.read())),
        |(code, _, (sort, dir, page))| question_bank(code, sort, dir, page),
    );
    let error = last_error(import.value());
    let message = field_error(error, "gift");
    let done = move || {
        let q = query.read();
        let scenarios = q
            .get("scenarios")
            .map(|n| {
                let groups = if n == "1" { "group" } else { "groups" };
                format!(", with {n} scenario {groups}")
            })
            .unwrap_or_default();
        if let Some(n) = q.get("imported") {
            let questions = if n == "1" { "question" } else { "questions" };
            Some(format!("{n} {questions} imported{scenarios}."))
        } else if q.get("saved").is_some() {
            Some("Question saved.".to_owned())
        } else if q.get("status").is_some() {
            Some("Question status changed.".to_owned())
        } else if q.get("scenario").is_some() {
            Some("Scenario group saved.".to_owned())
        } else if q.get("scenario_status").is_some() {
            Some("Scenario group status changed.".to_owned())
        } else {
            q.get("checked").map(|n| {
                format!(
                    "All {n} questions can be imported{scenarios} ({}). Press Import to save them.",
                    q.get("kinds")
                        .unwrap_or_default()
                        .replace(',', ", ")
                        .replace('=', ": ")
                )
            })
        }
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Bank v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="panel" aria-labelledby="import-heading">
            <h2 id="import-heading">"Import questions (GIFT)"</h2>
            <p>"Moodle's GIFT text format. Each question's "<code>"$CATEGORY:"</code>" names its topic. Check first: nothing is saved unless every question reads."</p>
            <p id="scenario-help">
                "A scenario group is a category of its own under its questions' topic: "
                <code>"$CATEGORY: Call management/Scenario: Caller on the overpass"</code>
                ". The first item under it is the case, written as text without an answer block (Markdown; "<code>"\\n\\n"</code>" starts a new paragraph), "
                "and every question after it, until the next "<code>"$CATEGORY:"</code>", belongs to the scenario, on that topic, in the order written. "
                "Moodle reads the same file as a subcategory holding a description and its questions; the bank's download writes scenarios this way."
            </p>
            {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
            <ActionForm action=import attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="code" value=code/>
                <div class="field" class:has-error=move || message.get().is_some()>
                    <label for="field-gift">"Questions in GIFT format"</label>
                    <textarea id="field-gift" name="gift" rows="14"
                        aria-invalid=move || message.get().is_some().then_some("true")
                        aria-describedby=move || if message.get().is_some() { "scenario-help gift-error" } else { "scenario-help" }></textarea>
                    <FieldMessage field="gift" message/>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="activate" name="activate" value="on"/>
                    <label for="activate">"Make them and their scenario groups active at once (otherwise they are saved as drafts)"</label>
                </div>
                <div class="actions">
                    <button type="submit" name="mode" value="check" class="button-secondary">"Check"</button>
                    <button type="submit" name="mode" value="import" class="button">"Import"</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Bank(v: BankView) -> impl IntoView {
    let paging = v.paging.clone();
    view! {
        <Title text=format!("Question bank · {}", v.title)/>
        <h1>{format!("Question bank: {}", v.title)}</h1>
        <p class="lead">{format!("Test: {}", v.test)}</p>
        <p>
            <a href=format!("/teach/bank/{}/questions/new", v.code)>"Write a question"</a>" · "
            <a href=format!("/teach/bank/{}/scenarios/new", v.code)>"Write a scenario group"</a>" · "
            <a href=format!("/teach/bank/{}/preview", v.code)>"Preview a test"</a>" · "
            <a href=format!("/teach/bank/{}/analysis", v.code)>"Item analysis"</a>" · "
            <a href=format!("/teach/bank/{}/export.gift", v.code) download="">"Download the bank as GIFT"</a>
        </p>
        <section class="panel" aria-labelledby="coverage-heading">
            <h2 id="coverage-heading">"Coverage of the blueprint"</h2>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Active questions per topic, and active scenario groups, against the number drawn"</caption>
                    <thead><tr><th scope="col">"Topic"</th><th scope="col">"Active questions"</th><th scope="col">"Drawn per test"</th><th scope="col">"Enough?"</th></tr></thead>
                    <tbody>
                        {v.coverage.into_iter().map(|c| {
                            let enough = c.active >= c.drawn;
                            view! {
                                <tr>
                                    <th scope="row">{c.title}</th><td>{c.active}</td><td>{c.drawn}</td>
                                    <td>{if enough { "Yes" } else { "No: add questions" }}</td>
                                </tr>
                            }
                        }).collect_view()}
                        <tr>
                            <th scope="row">"Scenario groups (each drawn whole)"</th><td>{v.scenarios_available}</td><td>{v.scenarios_drawn}</td>
                            <td>{if v.scenarios_available >= v.scenarios_drawn { "Yes" } else { "No: activate or add scenario groups" }}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </section>
        <ScenarioList code=v.code.clone() scenarios=v.scenarios/>
        <section class="panel" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{format!("Questions ({})", v.paging.total)}</h2>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Questions"</caption>
                    <thead><tr>
                        <SortHeading paging=paging.clone() key="question" label="Question"/>
                        <SortHeading paging=paging.clone() key="topic" label="Topic"/>
                        <th scope="col">"Scenario"</th>
                        <SortHeading paging=paging.clone() key="kind" label="Kind"/>
                        <SortHeading paging=paging.clone() key="status" label="Status"/>
                        <SortHeading paging=paging.clone() key="version" label="Version"/>
                    </tr></thead>
                    <tbody>
                        {v.questions.into_iter().map(|q| {
                            let code = v.code.clone();
                            let (next, verb) = if q.status == "active" { ("retired", "Retire") } else { ("active", "Activate") };
                            let label = format!("{verb} question {}", q.id);
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/teach/bank/{}/questions/{}", code, q.id)>{q.stem}</a></th><td>{q.topic}</td><td>{q.scenario.unwrap_or_default()}</td><td>{q.kind}</td>
                                    <td>
                                        {q.status.clone()}" "
                                        <form method="post" action="/api/set_question_status" class="inline-form">
                                            <input type="hidden" name="code" value=code/>
                                            <input type="hidden" name="question_id" value=q.id/>
                                            <input type="hidden" name="status" value=next/>
                                            <button type="submit" class="button-small button-secondary" aria-label=label>{verb}</button>
                                        </form>
                                    </td>
                                    <td>{q.version}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager paging/>
        </section>
    }
}

/// `/teach/bank/:code/preview`: a fresh draw, as an attendee would see it.
#[component]
pub fn TestPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, crate::api::bank::preview_test);
    view! {
        <Title text="Test preview"/>
        <p class="breadcrumb"><a href=move || format!("/teach/bank/{}", code())>"Question bank"</a></p>
        <h1>"Test preview"</h1>
        <p class="lead">"A fresh draw, exactly as an attendee would see it. Nothing is recorded; reload for another draw."</p>
        <Suspense fallback=|| view! { <p>"Drawing…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(items) => view! {
                        <ol class="preview">
                            {items.iter().enumerate().map(|(n, i)| {
                                // The case once, above the first of its questions.
                                let first_of_case = i.scenario.as_ref().is_some_and(|s| {
                                    n == 0 || items[n - 1].scenario.as_ref().map(|p| p.id) != Some(s.id)
                                });
                                let i = i.clone();
                                view! {
                                <li>
                                    {i.scenario.clone().map(|s| if first_of_case {
                                        view! { <ScenarioCase scenario=s key=n.to_string()/> }.into_any()
                                    } else {
                                        view! { <p class="hint">{format!("Scenario: {} (continued)", s.title)}</p> }.into_any()
                                    })}
                                    <div class="prose" inner_html=i.stem_html></div>
                                    <p class="hint">{format!("{} · {} point{}", i.kind.replace('_', " "), i.points, if i.points == 1 { "" } else { "s" })}</p>
                                    {(!i.options.is_empty()).then(|| view! {
                                        <ul>{i.options.into_iter().map(|o| view! { <li>{o.text}</li> }).collect_view()}</ul>
                                    })}
                                </li>
                            }}).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/teach/bank/:code/questions/new` and `/teach/bank/:code/questions/:id`: one question,
/// written in GIFT, with its topic, scenario group and points.
#[component]
pub fn QuestionEditPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<crate::api::bank::SaveQuestion>::new();
    let error = last_error(save.value());
    let query = use_query_map();
    let key = move || {
        let p = params.read();
        (
            p.get("code").unwrap_or_default(),
            p.get("id").and_then(|v| v.parse::<i64>().ok()),
            // "Write a question" on a scenario group's page names the group.
            query
                .read()
                .get("group")
                .and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let data = Resource::new(key, |(code, id, group)| {
        crate::api::bank::question_for_edit(code, id, group)
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let message = field_error(error, "gift");
                        let heading = match v.id {
                            Some(_) if v.status == "active" => format!("Edit question (version {}: saving makes version {})", v.version, v.version + 1),
                            Some(_) => "Edit question".to_owned(),
                            None => "New question".to_owned(),
                        };
                        view! {
                            <Title text=heading.clone()/>
                            <p class="breadcrumb"><a href=format!("/teach/bank/{}", v.code)>"Question bank"</a></p>
                            <h1>{heading}</h1>
                            {v.id.map(|id| view! { <p><a href=format!("/teach/bank/{}/questions/{id}/regrade", v.code)>"Correct the key and regrade"</a></p> })}
                            <ActionForm action=save attr:class="form" attr:novalidate=true>
                                <FormMessage error/>
                                <input type="hidden" name="code" value=v.code.clone()/>
                                {v.id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                                <SelectField label="Topic" name="topic_id" selected=v.topic_id.to_string() error
                                    options=v.topics.iter().map(|(id, t)| (id.to_string(), t.clone())).collect()/>
                                <SelectField label="Scenario group (drawn together with its case)" name="group_id" selected=v.group_id.map(|g| g.to_string()).unwrap_or_default() error
                                    options=std::iter::once((String::new(), "None: a question on its own".to_owned()))
                                        .chain(v.groups.iter().map(|(id, t)| (id.to_string(), t.clone())))
                                        .collect()/>
                                <TextField label="Points" name="points" kind="number" value=v.points.to_string() error/>
                                <div class="field" class:has-error=move || message.get().is_some()>
                                    <label for="field-gift">"The question in GIFT"</label>
                                    <p class="hint" id="gift-hint">"=right answer, ~wrong answer, #feedback, %50% for partial credit, {T} or {F} for true or false, {} for an essay. With several right answers, give each wrong one a negative weight (~%-50%), together cancelling the right ones."</p>
                                    <textarea id="field-gift" name="gift" rows="12"
                                        aria-invalid=move || message.get().is_some().then_some("true")
                                        aria-describedby=move || if message.get().is_some() { "gift-hint gift-error" } else { "gift-hint" }>{v.gift.clone()}</textarea>
                                    <FieldMessage field="gift" message/>
                                </div>
                                <button type="submit" class="button">"Save the question"</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
