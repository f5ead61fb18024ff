//! `/teach/bank/:code`: a course's question bank for instructors and administrators: how
//! well it covers the test's blueprint, its questions, and importing more from GIFT.

use crate::{
    api::bank::{question_bank, BankView, ImportGift},
    components::{
        form::{field_error, last_error, FieldMessage, FormMessage, SelectField, TextField},
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
        move || (code(), import.version().get()),
        |(code, _)| question_bank(code),
    );
    let error = last_error(import.value());
    let message = field_error(error, "gift");
    let done = move || {
        let q = query.read();
        if let Some(n) = q.get("imported") {
            Some(format!("{n} questions imported."))
        } else if q.get("saved").is_some() {
            Some("Question saved.".to_owned())
        } else if q.get("status").is_some() {
            Some("Question status changed.".to_owned())
        } else {
            q.get("checked").map(|n| {
                format!(
                    "All {n} questions can be imported ({}). Press Import to save them.",
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
            {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
            <ActionForm action=import attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <input type="hidden" name="code" value=code/>
                <div class="field" class:has-error=move || message.get().is_some()>
                    <label for="field-gift">"Questions in GIFT format"</label>
                    <textarea id="field-gift" name="gift" rows="14"
                        aria-invalid=move || message.get().is_some().then_some("true")
                        aria-describedby=move || message.get().map(|_| "gift-error")></textarea>
                    <FieldMessage field="gift" message/>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="activate" name="activate" value="on"/>
                    <label for="activate">"Make them active at once (otherwise they are saved as drafts)"</label>
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
    view! {
        <Title text=format!("Question bank · {}", v.title)/>
        <h1>{format!("Question bank: {}", v.title)}</h1>
        <p class="lead">{format!("Test: {}", v.test)}</p>
        <p>
            <a href=format!("/teach/bank/{}/questions/new", v.code)>"Write a question"</a>" · "
            <a href=format!("/teach/bank/{}/preview", v.code)>"Preview a test"</a>" · "
            <a href=format!("/teach/bank/{}/analysis", v.code)>"Item analysis"</a>" · "
            <a href=format!("/teach/bank/{}/export.gift", v.code) download="">"Download the bank as GIFT"</a>
        </p>
        <section class="panel" aria-labelledby="coverage-heading">
            <h2 id="coverage-heading">"Coverage of the blueprint"</h2>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Active questions per topic against the number drawn"</caption>
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
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{format!("Questions ({})", v.questions.len())}</h2>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Questions"</caption>
                    <thead><tr><th scope="col">"Question"</th><th scope="col">"Topic"</th><th scope="col">"Kind"</th><th scope="col">"Status"</th><th scope="col">"Version"</th></tr></thead>
                    <tbody>
                        {v.questions.into_iter().map(|q| {
                            let code = v.code.clone();
                            let (next, verb) = if q.status == "active" { ("retired", "Retire") } else { ("active", "Activate") };
                            let label = format!("{verb} question {}", q.id);
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/teach/bank/{}/questions/{}", code, q.id)>{q.stem}</a></th><td>{q.topic}</td><td>{q.kind}</td>
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
                            {items.into_iter().map(|i| view! {
                                <li>
                                    <div class="prose" inner_html=i.stem_html></div>
                                    <p class="hint">{format!("{} · {} point{}", i.kind.replace('_', " "), i.points, if i.points == 1 { "" } else { "s" })}</p>
                                    {(!i.options.is_empty()).then(|| view! {
                                        <ul>{i.options.into_iter().map(|o| view! { <li>{o.text}</li> }).collect_view()}</ul>
                                    })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/teach/bank/:code/questions/new` and `/teach/bank/:code/questions/:id`: one question,
/// written in GIFT, with its topic and points.
#[component]
pub fn QuestionEditPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<crate::api::bank::SaveQuestion>::new();
    let error = last_error(save.value());
    let key = move || {
        let p = params.read();
        (
            p.get("code").unwrap_or_default(),
            p.get("id").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let data = Resource::new(key, |(code, id)| {
        crate::api::bank::question_for_edit(code, id)
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
                                <TextField label="Points" name="points" kind="number" value=v.points.to_string() error/>
                                <div class="field" class:has-error=move || message.get().is_some()>
                                    <label for="field-gift">"The question in GIFT"</label>
                                    <p class="hint" id="gift-hint">"=right answer, ~wrong answer, #feedback, %50% for partial credit, {T} or {F} for true or false, {} for an essay."</p>
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
