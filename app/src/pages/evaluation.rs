//! `/registrations/:id/evaluation`: the attendee's evaluation of a class, once, after it
//! ends. Each item is a fieldset of five radio buttons with its statement as the legend; a
//! missing rating is named next to its item, and what was chosen and typed stays (without
//! JavaScript the server sends the answers back in the page's address).

use crate::{
    api::evaluations::{evaluation_form, EvaluationFormView, FormState, SendEvaluation},
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage, TextAreaField},
        params::use_id_param,
        status::ErrorPanel,
    },
    domain::evaluation::Item,
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let id = use_id_param();
    let query = use_query_map();
    // After sending, the page is asked again: it now says when it was sent.
    let sent = move || query.read().get("sent").is_some();
    let data = Resource::new(move || (id(), sent()), |(id, _)| evaluation_form(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Evaluation v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Evaluation(v: EvaluationFormView) -> impl IntoView {
    let thanks = use_query_map().read_untracked().get("sent").is_some();
    let body = match v.state {
        FormState::Open => view! {
            <EvaluationForm registration_id=v.registration_id signature=v.signature/>
        }
        .into_any(),
        FormState::Sent(message) => view! {
            {thanks.then(|| view! { <p class="form-success" role="status">"Thank you: your evaluation was sent."</p> })}
            <p class="notice">{message}</p>
            <p><a href="/dashboard">"Back to your dashboard"</a></p>
        }
        .into_any(),
        FormState::NotYet(message) | FormState::Refused(message) => view! {
            <p class="notice">{message}</p>
            <p><a href="/dashboard">"Back to your dashboard"</a></p>
        }
        .into_any(),
    };
    view! {
        <Title text=format!("Evaluation · {}", v.course_title)/>
        <p class="breadcrumb"><a href="/dashboard">"Dashboard"</a></p>
        <h1>{format!("Evaluate {}", v.course_title)}</h1>
        <p class="lead">{v.class}</p>
        {body}
    }
}

#[component]
fn EvaluationForm(registration_id: i64, signature: String) -> impl IntoView {
    let action = ServerAction::<SendEvaluation>::new();
    let error = last_error(action.value());
    // Answers sent back with a refused form posted without JavaScript.
    let query = use_query_map();
    let typed = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let consent = typed("consent") == "on";
    view! {
        <ActionForm action attr:class="form evaluation-form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="registration_id" value=registration_id/>
            <p>"Rate each statement; every item needs a rating. The comment is optional. Instructors see the answers only together with everyone else's, without your name. You can send your evaluation once."</p>
            {Item::ALL.into_iter().map(|item| view! { <RatingField item chosen=typed(item.key()) error/> }).collect_view()}
            <TextAreaField label="Comment (optional)" name="comment" value=typed("comment") rows=6 error/>
            <div class="field checkbox">
                <input type="checkbox" id="field-consent" name="consent" value="on" checked=consent aria-describedby="consent-hint"/>
                <label for="field-consent">"You may publish my comment on the course page"</label>
                <p class="hint" id="consent-hint">
                    {format!("An administrator may then show it on the course page, signed with your first name and agency: “{signature}”. Leave this unticked to keep your comment for the instructors and the training office only.")}
                </p>
            </div>
            <button type="submit" class="button" disabled=move || action.pending().get()>"Send my evaluation"</button>
        </ActionForm>
    }
}

/// One item: its statement as the legend, five labelled radio buttons, and its error.
#[component]
fn RatingField(item: Item, chosen: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let key = item.key();
    let message = field_error(error, key);
    view! {
        <fieldset class="field rating" class:has-error=move || message.get().is_some()
            aria-describedby=move || message.get().map(|_| error_id(key))>
            <legend>{item.statement()}</legend>
            <div class="rating-choices">
                {(1u8..=5).map(|r| {
                    let id = format!("{key}-{r}");
                    let value = r.to_string();
                    let checked = chosen == value;
                    view! {
                        <span class="choice">
                            <input type="radio" id=id.clone() name=key value=value required=true checked=checked
                                aria-invalid=move || message.get().is_some().then_some("true")/>
                            <label for=id>{item.label(r)}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            <FieldMessage field=key message/>
        </fieldset>
    }
}
