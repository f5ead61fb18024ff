//! The attendee's certification test: its page (start, past attempts), one question at a
//! time, the review before submitting, and the result.
//!
//! Without JavaScript each page is a plain form: "Save and next" posts the answer. With it,
//! every change is saved at once and acknowledged ("Saved 10:32:05 am"), and the time left
//! counts down; screen readers hear it at 10 and 5 minutes.

use super::scenarios::ScenarioCase;
use crate::{
    api::exam::{
        attempt_question, attempt_result, test_home, AttemptView, ResultView, SaveAnswer,
        StartTest, SubmitAttempt, TestHomeView,
    },
    components::{
        form::{last_error, FormMessage},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/registrations/:id/test`.
#[component]
pub fn TestHomePage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let start = ServerAction::<StartTest>::new();
    let data = Resource::new(
        move || (id(), start.version().get()),
        |(id, _)| test_home(id),
    );
    let error = last_error(start.value());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <TestHome v start error/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TestHome(
    v: TestHomeView,
    start: ServerAction<StartTest>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Title text=format!("Certification test · {}", v.course_title)/>
        <p class="breadcrumb"><a href="/dashboard">"Dashboard"</a></p>
        <h1>{format!("Certification test: {}", v.course_title)}</h1>
        <p class="lead">{v.summary.clone()}</p>
        <FormMessage error/>
        {match (v.running, v.refusal.clone()) {
            (Some(id), _) => view! {
                <p><a class="button" href=format!("/attempts/{id}")>"Continue your test"</a></p>
            }.into_any(),
            (None, Some(why)) => view! { <p class="notice">{why}</p> }.into_any(),
            (None, None) => view! {
                <p>"The time starts when you press Start and is kept by the server: closing the page does not stop it. Every answer you save is kept."</p>
                <ActionForm action=start>
                    <input type="hidden" name="registration_id" value=v.registration_id/>
                    <button type="submit" class="button">"Start the test"</button>
                </ActionForm>
            }.into_any(),
        }}
        {(!v.attempts.is_empty()).then(|| view! {
            <h2>"Your attempts"</h2>
            <ul class="link-list">
                {v.attempts.into_iter().map(|a| {
                    let href = if a.outcome == "In progress" { format!("/attempts/{}", a.id) } else { format!("/attempts/{}/result", a.id) };
                    view! { <li><a href=href>{format!("Attempt {}", a.number)}</a>{format!(" — {} · started {}", a.outcome, a.started)}</li> }
                }).collect_view()}
            </ul>
        })}
    }
}

/// `/attempts/:id?q=N`: one question.
#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let query = use_query_map();
    let q = move || query.read().get("q").and_then(|v| v.parse::<usize>().ok());
    let save = ServerAction::<SaveAnswer>::new();
    let data = Resource::new(move || (id(), q()), |(id, q)| attempt_question(id, q));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Question v save/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Question(v: AttemptView, save: ServerAction<SaveAnswer>) -> impl IntoView {
    let seq = RwSignal::new(v.next_seq);
    let seq_input = NodeRef::<leptos::html::Input>::new();
    let position = v.item.position;
    let number = position + 1;
    let last = number == v.total;
    let kind = v.item.kind.clone();
    let error = last_error(save.value());
    let saved = move || save.value().get().and_then(|r| r.ok());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // A save the server never answered is sent again (with a new sequence number and what
    // the page holds then) after 2, 4, 8, then every 15 seconds, until one is taken.
    let retry_in = RwSignal::new(None::<u64>);
    // Typing is saved once the person pauses; `typing` tells a pending pause from an old one.
    let typing = RwSignal::new(0_u32);
    let dirty = RwSignal::new(false);
    // Inputs take their state as properties (`prop:`): moving to another question in the
    // live app reuses the page's inputs, and an attribute would not undo a tick the person
    // made on the previous question.
    // Live app: every change is saved at once, with the next sequence number.
    let send = move || {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            let Some(form) = form_ref.get_untracked() else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            if let Ok(mut args) = SaveAnswer::from_form_data(&data) {
                let this = seq.get_untracked();
                args.seq = this;
                args.next = None;
                seq.set(this + 1);
                // The form's own field at once, so that "Save and next" carries a newer number.
                if let Some(input) = seq_input.get_untracked() {
                    input.set_value(&(this + 1).to_string());
                }
                dirty.set(false);
                save.dispatch(args);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form_ref, seq, seq_input, dirty);
    };
    let failures = StoredValue::new(0_u32);
    Effect::new(move |_| {
        let outcome = save.value().get();
        if save.pending().get_untracked() {
            return;
        }
        match outcome {
            Some(Err(crate::error::AppError::Unreachable | crate::error::AppError::Internal)) => {
                if retry_in.get_untracked().is_some() {
                    return;
                }
                let n = failures.get_value();
                failures.set_value(n + 1);
                let wait = [2_u64, 4, 8, 15][usize::try_from(n).unwrap_or(3).min(3)];
                retry_in.set(Some(wait));
                set_timeout(
                    move || {
                        retry_in.set(None);
                        send();
                    },
                    std::time::Duration::from_secs(wait),
                );
            }
            Some(Ok(_)) => failures.set_value(0),
            _ => {}
        }
    });
    let on_change = move |_ev: leptos::ev::Event| {
        // A typed answer already sent after a pause is not sent again on leaving the field.
        let text_field = matches!(kind_of(&_ev).as_deref(), Some("text" | "textarea"));
        if text_field && !dirty.get_untracked() {
            return;
        }
        typing.update(|g| *g += 1);
        send();
    };
    let on_input = move |ev: leptos::ev::Event| {
        if !matches!(kind_of(&ev).as_deref(), Some("text" | "textarea")) {
            return;
        }
        dirty.set(true);
        typing.update(|g| *g += 1);
        let mine = typing.get_untracked();
        set_timeout(
            move || {
                if typing.get_untracked() == mine && dirty.get_untracked() {
                    send();
                }
            },
            std::time::Duration::from_millis(TYPING_PAUSE_MS),
        );
    };
    view! {
        <Title text=format!("Question {number} · {}", v.course_title)/>
        <div class="test-head">
            <p class="lead">{v.course_title.clone()}</p>
            <Countdown deadline_ms=v.deadline_ms ends_at=v.ends_at.clone()/>
        </div>
        <p class="save-status" role="status">{move || saved()}</p>
        {move || retry_in.get().map(|wait| view! {
            <div class="form-error" role="alert">
                <p>{format!("Not saved yet: we could not reach the server. Your answer is still on this page and will be sent again in {wait} seconds. You can keep working.")}</p>
            </div>
        })}
        {move || (retry_in.get().is_none()).then(|| view! { <FormMessage error/> })}
        <ActionForm action=save node_ref=form_ref attr:class="form test-form" on:change=on_change on:input=on_input>
            <input type="hidden" name="attempt_id" value=v.id/>
            <input type="hidden" name="position" value=position/>
            <input type="hidden" name="seq" node_ref=seq_input value=v.next_seq/>
            <fieldset class="question">
                <legend><h1>{format!("Question {number} of {}", v.total)}</h1></legend>
                {v.item.scenario.clone().map(|scenario| view! { <ScenarioCase scenario/> })}
                <div class="prose" inner_html=v.item.stem_html.clone()></div>
                <p class="hint">{format!("{} point{}", v.item.points, if v.item.points == 1 { "" } else { "s" })}{(kind == "multiple").then_some(" · choose all that apply")}</p>
                {match kind.as_str() {
                    "single" | "true_false" => v.item.options.iter().map(|o| {
                        let id = format!("option-{}", o.value);
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="single" value=o.value checked=v.item.chosen.contains(&o.value) prop:checked=v.item.chosen.contains(&o.value)/>
                                <label for=id>{o.text.clone()}</label>
                            </div>
                        }
                    }).collect_view().into_any(),
                    "multiple" => v.item.options.iter().map(|o| {
                        let id = format!("option-{}", o.value);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name=format!("picked[{}]", o.value) value="on" checked=v.item.chosen.contains(&o.value) prop:checked=v.item.chosen.contains(&o.value)/>
                                <label for=id>{o.text.clone()}</label>
                            </div>
                        }
                    }).collect_view().into_any(),
                    "short_answer" => view! {
                        <div class="field">
                            <label for="answer-text">"Your answer"</label>
                            <input id="answer-text" name="text" type="text" value=v.item.text.clone() prop:value=v.item.text.clone() autocomplete="off"/>
                        </div>
                    }.into_any(),
                    _ => view! {
                        <div class="field">
                            <label for="answer-text">"Your answer"</label>
                            <textarea id="answer-text" name="text" rows="12" prop:value=v.item.text.clone()>{v.item.text.clone()}</textarea>
                        </div>
                    }.into_any(),
                }}
            </fieldset>
            <div class="field checkbox">
                <input type="checkbox" id="flagged" name="flagged" value="on" checked=v.item.flagged prop:checked=v.item.flagged/>
                <label for="flagged">"Flag this question to review it before you submit"</label>
            </div>
            <div class="actions">
                {(position > 0).then(|| view! {
                    <button type="submit" name="next" value=(position - 1).to_string() class="button-secondary">"Save and go back"</button>
                })}
                {if last {
                    view! { <button type="submit" name="next" value="review" class="button">"Save and review before submitting"</button> }.into_any()
                } else {
                    view! { <button type="submit" name="next" value=(position + 1).to_string() class="button">"Save and next"</button> }.into_any()
                }}
            </div>
            <nav aria-label="Questions" class="question-map">
                <h2 class="visually-hidden">"All questions"</h2>
                <ul>
                    {v.map.iter().map(|m| {
                        let n = m.position + 1;
                        let state = match (m.answered, m.flagged) {
                            (true, true) => "answered, flagged",
                            (true, false) => "answered",
                            (false, true) => "not answered, flagged",
                            (false, false) => "not answered",
                        };
                        let current = m.position == position;
                        view! {
                            <li>
                                <button type="submit" name="next" value=m.position.to_string()
                                    class:answered=m.answered class:flagged=m.flagged
                                    aria-current=current.then_some("step")
                                    aria-label=format!("Question {n}, {state}{}", if current { ", current" } else { "" })>
                                    {n.to_string()}{m.flagged.then_some(" ⚑")}{m.answered.then_some(" ✓")}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button type="submit" name="next" value="review" class="button-secondary">"Review and submit"</button>
            </nav>
        </ActionForm>
    }
}

/// How long a pause in typing is before the answer is saved.
const TYPING_PAUSE_MS: u64 = 1_200;

/// "text" for a one-line text box, "textarea", or the input's type, of an event's target.
fn kind_of(ev: &leptos::ev::Event) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let target = ev.target()?;
        if target.dyn_ref::<web_sys::HtmlTextAreaElement>().is_some() {
            return Some("textarea".into());
        }
        target
            .dyn_ref::<web_sys::HtmlInputElement>()
            .map(|i| i.type_())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// "Ends at 10:47 am MST" always; with JavaScript, the time left, announced politely at 10
/// and 5 minutes.
#[component]
fn Countdown(deadline_ms: i64, ends_at: String) -> impl IntoView {
    let left = RwSignal::new(None::<i64>);
    let announce = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let tick = move || {
                let now = js_sys::Date::now() as i64;
                let seconds = ((deadline_ms - now) / 1000).max(0);
                let before = left.get_untracked();
                left.set(Some(seconds));
                for minutes in [10, 5] {
                    let mark = minutes * 60;
                    if before.is_some_and(|b| b > mark) && seconds <= mark {
                        announce.set(format!("{minutes} minutes left."));
                    }
                }
            };
            tick();
            set_interval(tick, std::time::Duration::from_secs(1));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (deadline_ms, left, announce);
    });
    view! {
        <p class="countdown">
            {ends_at}
            {move || left.get().map(|s| format!(" · {}:{:02} left", s / 60, s % 60))}
        </p>
        <p class="visually-hidden" aria-live="polite">{move || announce.get()}</p>
    }
}

/// `/attempts/:id/review`: unanswered and flagged questions first, then submit.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let submit = ServerAction::<SubmitAttempt>::new();
    let error = last_error(submit.value());
    let data = Resource::new(id, |id| attempt_question(id, None));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let unanswered: Vec<usize> = v.map.iter().filter(|m| !m.answered).map(|m| m.position).collect();
                        let flagged: Vec<usize> = v.map.iter().filter(|m| m.flagged).map(|m| m.position).collect();
                        let link = |p: usize| view! { <li><a href=format!("/attempts/{}?q={p}", v.id)>{format!("Question {}", p + 1)}</a></li> };
                        view! {
                            <Title text="Review your answers"/>
                            <h1>"Review before submitting"</h1>
                            <p class="countdown">{v.ends_at.clone()}</p>
                            <FormMessage error/>
                            {if unanswered.is_empty() {
                                view! { <p>"You answered every question."</p> }.into_any()
                            } else {
                                view! {
                                    <h2>{format!("Not answered ({})", unanswered.len())}</h2>
                                    <ul class="link-list">{unanswered.into_iter().map(link).collect_view()}</ul>
                                }.into_any()
                            }}
                            {(!flagged.is_empty()).then(|| view! {
                                <h2>{format!("Flagged for review ({})", flagged.len())}</h2>
                                <ul class="link-list">{flagged.into_iter().map(link).collect_view()}</ul>
                            })}
                            <ActionForm action=submit>
                                <input type="hidden" name="attempt_id" value=v.id/>
                                <p>"Once you submit, you cannot change your answers."</p>
                                <button type="submit" class="button">"Submit the test"</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/attempts/:id/result`.
#[component]
pub fn ResultPage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let data = Resource::new(id, attempt_result);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <TestResult v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TestResult(v: ResultView) -> impl IntoView {
    let back = format!("/registrations/{}/test", v.registration_id);
    view! {
        <Title text=format!("Result · {}", v.course_title)/>
        <p class="breadcrumb"><a href=back>"Certification test"</a></p>
        <h1>"Your result"</h1>
        {match (v.status.as_str(), v.percent, v.passed) {
            ("final", Some(p), Some(true)) => view! { <p class="result result-pass"><strong>{format!("Passed: {p}%")}</strong>{format!(" (pass mark {}%)", v.pass_percent)}</p> }.into_any(),
            ("final", Some(p), _) => view! { <p class="result result-fail"><strong>{format!("Not passed: {p}%")}</strong>{format!(" (pass mark {}%)", v.pass_percent)}</p> }.into_any(),
            _ => view! { <p class="result"><strong>"Submitted."</strong>" Some answers are graded by an instructor; we will tell you when your result is ready."</p> }.into_any(),
        }}
        {v.wrong.map(|w| if w.is_empty() {
            view! { <p>"Every answer was right."</p> }.into_any()
        } else {
            view! { <p>{format!("Questions not fully right: {}", w.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))}</p> }.into_any()
        })}
        {v.answers.map(|a| view! {
            <h2>"Answers"</h2>
            <ol>{a.into_iter().map(|(_, stem, right)| view! { <li><p>{stem}</p><p><strong>"Right answer: "</strong>{right}</p></li> }).collect_view()}</ol>
        })}
        {v.answers_later.then(|| view! {
            <p>"The right answers are shown here once you can no longer sit this test: after a pass, after your last attempt, or when the test window closes."</p>
        })}
        {(!v.feedback.is_empty()).then(|| view! {
            <h2>"Feedback from your instructor"</h2>
            <ul>{v.feedback.into_iter().map(|(n, text)| view! { <li><strong>{format!("Question {n}: ")}</strong>{text}</li> }).collect_view()}</ul>
        })}
    }
}
