//! `/teach/bank/:code/questions/:id/regrade`: correct the key of one question version, see
//! whose result would change, then apply it to every finished attempt that drew the version.
//!
//! Without JavaScript the preview is a GET form back to this page (the weights travel in the
//! query) and applying is a plain POST; with it, the same forms work in place.

use crate::{
    api::regrade::{regrade_question, ApplyRegrade, KeyOption, RegradePreview, RegradeView},
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage},
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
};
use std::collections::BTreeMap;

/// The weights in the query (`weights[0]=...`), by option index, when a preview was asked for.
fn typed_weights(query: &leptos_router::params::ParamsMap) -> Option<BTreeMap<String, String>> {
    query.get("preview")?;
    Some(
        query
            .latest_values()
            .filter_map(|(k, v)| {
                let index = k.strip_prefix("weights[")?.strip_suffix(']')?;
                Some((index.to_owned(), v.to_owned()))
            })
            .collect(),
    )
}

#[component]
pub fn RegradePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let apply = ServerAction::<ApplyRegrade>::new();
    let apply_error = last_error(apply.value());
    let source = move || {
        let p = params.read();
        (
            p.get("code").unwrap_or_default(),
            p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0),
            typed_weights(&query.read()),
            apply.version().get(),
        )
    };
    let data = Resource::new(source, |(code, id, weights, _)| {
        regrade_question(code, id, weights)
    });
    let applied = move || query.read().get("applied");
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let typed = typed_weights(&query.read_untracked()).unwrap_or_default();
                        view! { <Regrade v typed apply apply_error applied/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Regrade(
    v: RegradeView,
    /// The weights as typed for the preview (shown back in the fields).
    typed: BTreeMap<String, String>,
    apply: ServerAction<ApplyRegrade>,
    apply_error: Signal<Option<AppError>>,
    applied: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    let preview_error = match &v.preview {
        Some(Err(e)) => Some(e.clone()),
        _ => None,
    };
    // A refused apply comes back here with its error; a refused preview carries its own.
    let error = Signal::derive(move || apply_error.get().or_else(|| preview_error.clone()));
    let weights_message = field_error(error, "weights");
    let page = format!("/teach/bank/{}/questions/{}/regrade", v.code, v.question_id);
    let heading = format!("Correct the key of version {}", v.version);
    let column = if v.short_answer {
        "Accepted answer"
    } else {
        "Option"
    };
    let fields = v
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| weight_row(i, o, typed.get(&i.to_string()).cloned(), error))
        .collect_view();
    let preview = match v.preview.clone() {
        Some(Ok(p)) => Some(
            view! { <Preview p code=v.code.clone() question_id=v.question_id apply apply_error/> },
        ),
        _ => None,
    };
    view! {
        <Title text=heading.clone()/>
        <p class="breadcrumb">
            <a href=format!("/teach/bank/{}", v.code)>"Question bank"</a>" · "
            <a href=format!("/teach/bank/{}/questions/{}", v.code, v.question_id)>"Edit question"</a>
        </p>
        <h1>{heading}</h1>
        <p class="lead">{format!("{} · {} point{} · {}", v.kind, v.points, if v.points == 1 { "" } else { "s" }, v.drawn)}</p>
        {move || applied().map(|n| view! { <p class="form-success" role="status">{format!("The corrected key is in place; {n} attempt{} regraded.", if n == "1" { " was" } else { "s were" })}</p> })}
        <div class="prose" inner_html=v.stem_html.clone()></div>
        <p>"A correction changes this version's weights for everyone who drew it; the texts stay as they are. To change a question for future attempts only, edit it instead (that makes a new version). Answers graded by hand keep their grades. A fail turned into a pass issues the certificate; a pass turned into a fail revokes the certificate it earned (the holder's page and the public verification then say revoked)."</p>
        <Form method="get" action=page attr:class="form" attr:novalidate=true>
            <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Conflict(_))))/>
            <input type="hidden" name="preview" value="1"/>
            <fieldset aria-describedby=move || weights_message.get().map(|_| error_id("weights"))>
                <legend>"Weights: the share of the points each earns (percent, -100 to 100)"</legend>
                <FieldMessage field="weights" message=weights_message/>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th scope="col">{column}</th><th scope="col">"Weight (%)"</th></tr></thead>
                        <tbody>{fields}</tbody>
                    </table>
                </div>
            </fieldset>
            <button type="submit" class="button">"Preview the regrade"</button>
        </Form>
        {preview}
    }
}

/// One option's row: its text (read-only) as the label of its weight field.
fn weight_row(
    i: usize,
    o: &KeyOption,
    typed: Option<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = format!("weight-{i}");
    let message = field_error(error, field.clone());
    let id = format!("field-{field}");
    let described = error_id(&field);
    view! {
        <tr>
            <th scope="row"><label for=id.clone()>{o.text.clone()}<span class="visually-hidden">" (weight in percent)"</span></label></th>
            <td>
                <input id=id name=format!("weights[{i}]") type="number" min="-100" max="100" step="1" size="5"
                    value=typed.unwrap_or_else(|| o.weight.to_string())
                    aria-invalid=move || message.get().is_some().then_some("true")
                    aria-describedby=move || message.get().map(|_| described.clone())/>
                <FieldMessage field=field message/>
            </td>
        </tr>
    }
}

#[component]
fn Preview(
    p: RegradePreview,
    code: String,
    question_id: i64,
    apply: ServerAction<ApplyRegrade>,
    apply_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let n = p.rows.len();
    let button = match n {
        0 => "Apply the corrected key (no attempt changes)".to_owned(),
        1 => "Apply the corrected key to 1 attempt".to_owned(),
        n => format!("Apply the corrected key to {n} attempts"),
    };
    let table = (n > 0).then(|| {
        view! {
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Attempts whose score changes"</caption>
                    <thead><tr>
                        <th scope="col">"Attempt"</th>
                        <th scope="col">"This question's points"</th>
                        <th scope="col">"Score"</th>
                        <th scope="col">"Result"</th>
                    </tr></thead>
                    <tbody>
                        {p.rows.iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.attempt.clone()}</th>
                                <td>{r.item_points.clone()}</td>
                                <td>{format!("{}% → {}%", r.old_percent, r.new_percent)}</td>
                                <td>{r.change.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    view! {
        <section class="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Preview"</h2>
            {(n == 0).then(|| view! { <p>"No attempt changes."</p> })}
            {table}
            {(!p.notes.is_empty()).then(|| view! { <ul>{p.notes.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul> })}
            <ActionForm action=apply>
                <FormMessage error=Signal::derive(move || apply_error.get().filter(|e| matches!(e, AppError::Conflict(_))))/>
                <input type="hidden" name="code" value=code/>
                <input type="hidden" name="question_id" value=question_id/>
                <input type="hidden" name="plan" value=p.plan.clone()/>
                {p.weights.iter().enumerate().map(|(i, w)| view! {
                    <input type="hidden" name=format!("weights[{i}]") value=w.to_string()/>
                }).collect_view()}
                <button type="submit" class="button">{button}</button>
            </ActionForm>
        </section>
    }
}
