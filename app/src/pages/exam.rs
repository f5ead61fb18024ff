//! The attendee's certification test: its page (start, past attempts), one question at a
//! time, the review before submitting, and the result.
//!
//! Without JavaScript each page is a plain form: "Save and next" posts the answer. With it,
//! every change is saved at once and acknowledged ("Saved 10:32:05 am"), and the time left
//! counts down; screen readers hear it at 10 and 5 minutes.

use super::scenarios::ScenarioCase;
use crate::{
    api::exam::{
        attempt_question, attempt_result, test_home, AttemptView, ItemView, ResultView, SaveAnswer,
        StartTest, SubmitAttempt, TestHomeView,
    },
    components::{
        form::{last_error, FormMessage},
        status::ErrorPanel,
    },
    domain::countdown,
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
fn Question(mut v: AttemptView, save: ServerAction<SaveAnswer>) -> impl IntoView {
    // What the person did on the server-rendered page before the application took over is
    // kept (hydration would otherwise reset the inputs to the server's state) and saved below.
    let changed_before_hydration = keep_choices_made_before_hydration(&mut v.item);
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
            // A timer of a question the person already left finds its signals gone.
            if seq.try_get_untracked().is_none() {
                return;
            }
            let Some(form) = form_ref.get_untracked() else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            if let Ok(mut args) = SaveAnswer::from_form_data(&data) {
                let Some(this) = seq.try_get_untracked() else {
                    return;
                };
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
                        if retry_in.try_set(None).is_some() {
                            return;
                        }
                        send();
                    },
                    std::time::Duration::from_secs(wait),
                );
            }
            Some(Ok(_)) => failures.set_value(0),
            _ => {}
        }
    });
    if changed_before_hydration {
        Effect::new(move |_| send());
    }
    // At 0:00 the answers lock and what was saved is submitted; the result page follows.
    let time_up = RwSignal::new(false);
    let submit = ServerAction::<SubmitAttempt>::new();
    let attempt_id = v.id;
    Effect::new(move |_| {
        if time_up.get() {
            submit.dispatch(SubmitAttempt { attempt_id });
        }
    });
    let result_href = StoredValue::new(format!("/attempts/{attempt_id}/result"));
    let finished = move || {
        let from_save = match save.value().get() {
            Some(Err(crate::error::AppError::Finished { result, .. })) => Some(result),
            _ => None,
        };
        let submitted = submit
            .value()
            .get()
            .is_some_and(|r| r.is_ok() || matches!(r, Err(crate::error::AppError::Finished { .. })))
            .then(|| result_href.get_value());
        from_save.or(submitted)
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(href) = finished() {
            let _ = window().location().set_href(&href);
        }
    });
    let answered = v.map.iter().filter(|m| m.answered).count();
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
                if typing.try_get_untracked() == Some(mine)
                    && dirty.try_get_untracked() == Some(true)
                {
                    send();
                }
            },
            std::time::Duration::from_millis(TYPING_PAUSE_MS),
        );
    };
    view! {
        <Title text=format!("Question {number} · {}", v.course_title)/>
        <div class="test-head">
            <p class="test-title">{v.course_title.clone()}</p>
            <p class="test-progress">{format!("Question {number} of {} · {answered} answered", v.total)}</p>
            <Countdown deadline_ms=v.deadline_ms ends_at=v.ends_at.clone() time_up/>
        </div>
        <TimeUpNotice time_up/>
        {move || finished().map(|href| view! {
            <p><a class="button" href=href>"See your result"</a></p>
        })}
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
            <fieldset class="question" prop:disabled=move || time_up.get()>
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
            <div class="flag-field">
                <input type="checkbox" id="flagged" name="flagged" value="on" checked=v.item.flagged prop:checked=v.item.flagged prop:disabled=move || time_up.get()/>
                <label for="flagged">"Flag this question to review it before you submit"</label>
                <span class="flag-mark" aria-hidden="true">"⚑"</span>
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
                <h2>"All questions"</h2>
                <p class="map-key">"✓ answered · ⚑ flagged · the framed, underlined number is this question"</p>
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
                                    {n.to_string()}{m.answered.then_some("✓")}{m.flagged.then_some("⚑")}
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

/// Said at 0:00, on the question and the review page alike, until the result opens.
#[component]
fn TimeUpNotice(time_up: RwSignal<bool>) -> impl IntoView {
    move || {
        time_up.get().then(|| view! {
            <div class="form-error" role="alert">
                <p>"Time is up. Your saved answers are being submitted; your result follows."</p>
            </div>
        })
    }
}

/// Before hydration, the inputs of the server-rendered question hold whatever the person
/// did while the application loaded. On the first question the client builds (the hydration
/// of that page), their state replaces the server's in `item`; true when it differed.
fn keep_choices_made_before_hydration(item: &mut ItemView) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        use wasm_bindgen::JsCast;
        static FIRST: AtomicBool = AtomicBool::new(true);
        if !FIRST.swap(false, Ordering::Relaxed) {
            return false;
        }
        let input = |selector: &str| {
            document()
                .query_selector(selector)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let position = item.position.to_string();
        if input("form.test-form input[name=position]").map(|i| i.value()) != Some(position) {
            return false;
        }
        let mut chosen = Vec::new();
        for option in &item.options {
            if input(&format!("#option-{}", option.value)).is_some_and(|i| i.checked()) {
                chosen.push(option.value);
            }
        }
        let text = document()
            .get_element_by_id("answer-text")
            .and_then(|e| {
                e.dyn_ref::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .or_else(|| {
                        e.dyn_ref::<web_sys::HtmlTextAreaElement>()
                            .map(|t| t.value())
                    })
            })
            .unwrap_or_else(|| item.text.clone());
        let flagged = input("#flagged").map_or(item.flagged, |i| i.checked());
        let changed = chosen != item.chosen || text != item.text || flagged != item.flagged;
        if changed {
            item.chosen = chosen;
            item.text = text;
            item.flagged = flagged;
        }
        changed
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = item;
        false
    }
}

/// The browser's offset from the server's clock, measured once per page load (milliseconds;
/// `i64::MIN` until measured).
#[cfg(feature = "hydrate")]
static CLOCK_OFFSET: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(i64::MIN);

/// "Ends at 10:47 am MST" always; with JavaScript, the time left by the server's clock
/// ("1 h 58 min", then "4:59"), warnings at 10, 5 and 1 minute that stay on the page and are
/// announced once each, and `time_up` set at 0:00. Its one timer stops with the component.
#[component]
fn Countdown(deadline_ms: i64, ends_at: String, time_up: RwSignal<bool>) -> impl IntoView {
    let left = RwSignal::new(None::<i64>);
    let announce = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::Ordering;
        if CLOCK_OFFSET.load(Ordering::Relaxed) == i64::MIN {
            leptos::task::spawn_local(async move {
                let sent = js_sys::Date::now() as i64;
                if let Ok(server) = crate::api::exam::server_clock().await {
                    let received = js_sys::Date::now() as i64;
                    CLOCK_OFFSET.store(
                        countdown::clock_offset(sent, server, received),
                        Ordering::Relaxed,
                    );
                }
            });
        }
        // The timer stops with the component (moving to another question), and a tick that
        // still comes finds its signals gone and stops it itself: a tick must never touch a
        // disposed signal (that panics, and the application stops).
        let timer = std::sync::Arc::new(std::sync::Mutex::new(
            None::<leptos::leptos_dom::helpers::IntervalHandle>,
        ));
        let stop = {
            let timer = timer.clone();
            move || {
                if let Some(handle) = timer.lock().ok().and_then(|mut t| t.take()) {
                    handle.clear();
                }
            }
        };
        on_cleanup(stop.clone());
        // Returns false once the component is gone.
        let tick = move || -> bool {
            let offset = match CLOCK_OFFSET.load(Ordering::Relaxed) {
                i64::MIN => 0,
                o => o,
            };
            let seconds = countdown::seconds_left(deadline_ms, js_sys::Date::now() as i64, offset);
            let Some(before) = left.try_get_untracked() else {
                return false;
            };
            if before == Some(seconds) {
                return true;
            }
            left.try_set(Some(seconds));
            if let Some(minutes) = countdown::announce(before, seconds) {
                announce.try_set(countdown::warning_text(minutes));
            }
            if seconds == 0 && time_up.try_get_untracked() == Some(false) {
                time_up.try_set(true);
            }
            true
        };
        // After hydration (an effect), so that the first render matches the server's, which
        // has no time left to show.
        Effect::new(move |_| {
            if !tick() || timer.lock().map(|t| t.is_some()).unwrap_or(true) {
                return;
            }
            let stop = stop.clone();
            let every = std::time::Duration::from_millis(250);
            if let Ok(handle) = set_interval_with_handle(
                move || {
                    if !tick() {
                        stop();
                    }
                },
                every,
            ) {
                if let Ok(mut t) = timer.lock() {
                    *t = Some(handle);
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (deadline_ms, &announce, time_up);
    let warning = move || left.get().and_then(countdown::warning);
    view! {
        <p class="countdown">
            {ends_at}
            {move || left.get().map(|s| view! {
                <span class="countdown-left" class:warning=move || warning().is_some()>
                    {format!("{} left", countdown::time_left_label(s))}
                </span>
            })}
        </p>
        {move || warning().map(|m| view! {
            <p class="notice time-warning">{countdown::warning_text(m)}</p>
        })}
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
    // Submitted, by the button or at 0:00 (a refusal included: the test is over either way).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if submit
            .value()
            .get()
            .is_some_and(|r| r.is_ok() || matches!(r, Err(crate::error::AppError::Finished { .. })))
        {
            let _ = window()
                .location()
                .set_href(&format!("/attempts/{}/result", id()));
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => {
                        let unanswered: Vec<usize> = v.map.iter().filter(|m| !m.answered).map(|m| m.position).collect();
                        let flagged: Vec<usize> = v.map.iter().filter(|m| m.flagged).map(|m| m.position).collect();
                        let link = |p: usize| view! { <li><a href=format!("/attempts/{}?q={p}", v.id)>{format!("Question {}", p + 1)}</a></li> };
                        // The time runs here too: at 0:00 what was saved is submitted.
                        let time_up = RwSignal::new(false);
                        let attempt_id = v.id;
                        Effect::new(move |_| {
                            if time_up.get() {
                                submit.dispatch(SubmitAttempt { attempt_id });
                            }
                        });
                        view! {
                            <Title text="Review your answers"/>
                            <h1>"Review before submitting"</h1>
                            <Countdown deadline_ms=v.deadline_ms ends_at=v.ends_at.clone() time_up/>
                            <TimeUpNotice time_up/>
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
        {v.time_ran_out.then(|| view! {
            <p class="notice">"Your time ran out, so the answers you had saved were submitted for you."</p>
        })}
        {(v.passed == Some(true) && v.status == "final").then(|| match v.certificate.clone() {
            Some(c) => view! {
                <section class="panel result-next" aria-labelledby="certificate-heading">
                    <h2 id="certificate-heading">"Your certificate"</h2>
                    <p>{format!("Certificate {} is yours. It is valid until {}, and with it you are a member of the CIT coordinators' network until then: the resource library is open to you, and in your third year continuing education renews it.", c.number, c.expires)}</p>
                    <p>
                        <a class="button" href=c.pdf_href>"Download the certificate (PDF)"</a>" "
                        <a href="/certificates">"Your certificates"</a>" · "
                        <a href="/resources">"The resource library"</a>
                    </p>
                </section>
            }.into_any(),
            None => view! {
                <p class="notice">"Your certificate is being issued. It appears on your Certificates page, and arrives by email, within a few minutes."</p>
            }.into_any(),
        })}
        {v.next_try.clone().map(|why| view! {
            <section class="result-next" aria-labelledby="next-try-heading">
                <h2 id="next-try-heading">"Trying again"</h2>
                <p>{why}</p>
            </section>
        })}
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
