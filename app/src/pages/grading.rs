//! Instructors: the grading queue of a class, grading one answer ("Save and grade next"),
//! and the full review of one attempt. Anonymous by default; administrators may show names.

use crate::{
    api::grading::{
        grading_item, grading_queue, staff_attempt_review, GradeItem, GradeItemView, QueueEntry,
        QueueView, StaffReviewView,
    },
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn names_asked() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("names").is_some_and(|v| v == "true")
}

/// `/teach/offerings/:id/grading`.
#[component]
pub fn GradingQueuePage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let names = names_asked();
    let query = use_query_map();
    let done = move || query.read().get("done").is_some();
    let data = Resource::new(
        move || (id(), names()),
        |(id, names)| grading_queue(id, names),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Queue v done=done()/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(v: QueueView, done: bool) -> impl IntoView {
    let suffix = if v.names_shown { "?names=true" } else { "" };
    let line = move |e: QueueEntry| {
        view! {
            <tr>
                <th scope="row"><a href=format!("/teach/grading/{}{suffix}", e.item_id)>{e.who.clone()}</a></th>
                <td>{e.question.clone()}</td>
                <td>{e.kind.clone()}</td>
                <td>{e.grade.clone().unwrap_or_else(|| "Waiting".into())}</td>
                <td><a href=format!("/teach/attempts/{}", e.attempt_id)>"Whole attempt"</a></td>
            </tr>
        }
    };
    let table = move |caption: String, rows: Vec<QueueEntry>| {
        view! {
            <table class="table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Attempt"</th><th scope="col">"Question"</th>
                    <th scope="col">"Type"</th><th scope="col">"Grade"</th><th scope="col">"Review"</th>
                </tr></thead>
                <tbody>{rows.into_iter().map(line).collect_view()}</tbody>
            </table>
        }
    };
    let first = v.pending.first().map(|e| e.item_id);
    view! {
        <Title text=format!("Grading · {}", v.course_title)/>
        <p class="breadcrumb"><a href=format!("/teach/offerings/{}", v.offering_id)>"Class"</a></p>
        <h1>{format!("Grading: {}", v.course_title)}</h1>
        {done.then(|| view! { <p class="form-success" role="status">"Every waiting answer is graded."</p> })}
        <p class="lead">
            {if v.names_shown {
                "Names are shown. Graders normally see only attempt codes, so that a name cannot sway a grade."
            } else {
                "Answers are listed by attempt code, not by name, so that a name cannot sway a grade."
            }}
        </p>
        {v.may_show_names.then(|| {
            let (href, text) = if v.names_shown {
                (format!("/teach/offerings/{}/grading", v.offering_id), "Hide names")
            } else {
                (format!("/teach/offerings/{}/grading?names=true", v.offering_id), "Show names (administrators)")
            };
            view! { <p><a href=href>{text}</a></p> }
        })}
        {match first {
            Some(item) => view! {
                <p><a class="button" href=format!("/teach/grading/{item}{suffix}")>
                    {format!("Grade the first of {} waiting answer{}", v.pending.len(), if v.pending.len() == 1 { "" } else { "s" })}
                </a></p>
            }.into_any(),
            None => view! { <p>"No answer is waiting for grading."</p> }.into_any(),
        }}
        {(!v.pending.is_empty()).then(|| table(format!("Waiting for grading ({})", v.pending.len()), v.pending.clone()))}
        {(!v.graded.is_empty()).then(|| table(format!("Graded by hand ({})", v.graded.len()), v.graded.clone()))}
    }
}

/// `/teach/grading/:id`: one answer.
#[component]
pub fn GradeItemPage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let names = names_asked();
    let query = use_query_map();
    let grade = ServerAction::<GradeItem>::new();
    let data = Resource::new(
        move || (id(), names(), grade.version().get()),
        |(id, names, _)| grading_item(id, names),
    );
    let saved = move || {
        query.read().get("saved").is_some() || grade.value().get().is_some_and(|r| r.is_ok())
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! {
                        {move || saved().then(|| view! { <p class="form-success" role="status">"Grade saved."</p> })}
                        <GradeForm v grade/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GradeForm(v: GradeItemView, grade: ServerAction<GradeItem>) -> impl IntoView {
    let error = last_error(grade.value());
    let points_error = field_error(error, "points");
    let reason_error = field_error(error, "reason");
    let feedback_error = field_error(error, "feedback");
    let graded = v.graded_by_hand;
    let suffix = if v.names_shown { "?names=true" } else { "" };
    view! {
        <Title text=format!("Grade question {} · {}", v.number, v.who)/>
        <p class="breadcrumb"><a href=format!("/teach/offerings/{}/grading{suffix}", v.offering_id)>"Grading queue"</a></p>
        <h1>{format!("{}: question {}", v.who, v.number)}</h1>
        <p class="lead">{format!("{} · {} point{} · {} waiting in this class", v.kind, v.points, if v.points == 1 { "" } else { "s" }, v.waiting)}</p>
        <section aria-labelledby="q-heading">
            <h2 id="q-heading">"The question"</h2>
            <div class="prose" inner_html=v.stem_html.clone()></div>
            {(!v.accepted.is_empty()).then(|| view! {
                <p><strong>"Answers the key accepts: "</strong>{v.accepted.join("; ")}</p>
            })}
            {(!v.explanation_html.is_empty()).then(|| view! {
                <details><summary>"Explanation for graders"</summary><div class="prose" inner_html=v.explanation_html.clone()></div></details>
            })}
        </section>
        <section aria-labelledby="a-heading">
            <h2 id="a-heading">"The answer"</h2>
            {match v.answer.clone() {
                Some(text) => view! { <blockquote class="answer-text">{text}</blockquote> }.into_any(),
                None => view! { <p><em>"Left blank."</em></p> }.into_any(),
            }}
        </section>
        <FormMessage error/>
        <ActionForm action=grade attr:class="form">
            <input type="hidden" name="item_id" value=v.item_id/>
            {v.names_shown.then(|| view! { <input type="hidden" name="names" value="true"/> })}
            <div class="field" class:has-error=move || points_error.get().is_some()>
                <label for="points">{format!("Points (0 to {})", v.points)}</label>
                <input id="points" name="points" type="text" inputmode="decimal" required
                    value=v.current.clone().unwrap_or_default() prop:value=v.current.clone().unwrap_or_default()
                    aria-invalid=move || points_error.get().is_some().then_some("true")
                    aria-describedby=move || points_error.get().map(|_| error_id("points"))/>
                <FieldMessage field="points" message=points_error/>
            </div>
            <div class="field" class:has-error=move || feedback_error.get().is_some()>
                <label for="feedback">"Feedback to the attendee (optional)"</label>
                <textarea id="feedback" name="feedback" rows="4" prop:value=v.feedback.clone()>{v.feedback.clone()}</textarea>
                <FieldMessage field="feedback" message=feedback_error/>
            </div>
            {graded.then(|| view! {
                <div class="field" class:has-error=move || reason_error.get().is_some()>
                    <label for="reason">"Why the grade changes (kept in the audit log)"</label>
                    <input id="reason" name="reason" type="text"
                        aria-invalid=move || reason_error.get().is_some().then_some("true")
                        aria-describedby=move || reason_error.get().map(|_| error_id("reason"))/>
                    <FieldMessage field="reason" message=reason_error/>
                </div>
            })}
            <div class="actions">
                <button type="submit" name="next" value="next" class="button">"Save and grade next"</button>
                <button type="submit" name="next" value="stay" class="button-secondary">"Save"</button>
            </div>
        </ActionForm>
        <p><a href=format!("/teach/attempts/{}", v.attempt_id)>"See the whole attempt"</a></p>
    }
}

/// `/teach/attempts/:id`: every item as drawn, the answers, scores, saves and the seed.
#[component]
pub fn StaffAttemptPage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let data = Resource::new(id, staff_attempt_review);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <StaffReview v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffReview(v: StaffReviewView) -> impl IntoView {
    view! {
        <Title text=format!("Attempt review · {}", v.who)/>
        <p class="breadcrumb"><a href=format!("/teach/offerings/{}/grading", v.offering_id)>"Grading queue"</a></p>
        <h1>{format!("{}, attempt {}", v.who, v.number)}</h1>
        <p class="lead">{format!("{} · {}", v.course_title, v.status)}</p>
        <p>{v.timeline.clone()}</p>
        <p>{format!("Draw seed: {} (the same seed and bank give the same test)", v.seed)}</p>
        {v.items.into_iter().map(|item| view! {
            <section class="review-item" aria-labelledby=format!("item-{}", item.number)>
                <h2 id=format!("item-{}", item.number)>
                    {format!("Question {} · {} (version {})", item.number, item.title, item.version)}
                </h2>
                <p class="hint">{format!("{} · {} point{} · score {}{}", item.kind, item.points, if item.points == 1 { "" } else { "s" }, item.score, if item.flagged { " · ⚑ flagged by the attendee" } else { "" })}</p>
                <div class="prose" inner_html=item.stem_html.clone()></div>
                {(!item.options.is_empty()).then(|| view! {
                    <table class="table">
                        <caption class="visually-hidden">"Options in the order shown"</caption>
                        <thead><tr><th scope="col">"Option"</th><th scope="col">"Weight"</th><th scope="col">"Chosen"</th></tr></thead>
                        <tbody>
                            {item.options.iter().map(|o| view! {
                                <tr>
                                    <td>{o.text.clone()}</td>
                                    <td>{format!("{}%", o.weight_percent)}</td>
                                    <td>{if o.chosen { "✓ chosen" } else { "" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                {item.text.clone().map(|t| view! { <blockquote class="answer-text">{t}</blockquote> })}
                {(!item.feedback.is_empty()).then(|| view! { <p><strong>"Feedback: "</strong>{item.feedback.clone()}</p> })}
                <p>{if item.saves.is_empty() { "Never saved.".to_owned() } else { format!("Saved: {}", item.saves.join("; ")) }}</p>
                {item.gradable.then(|| view! { <p><a href=format!("/teach/grading/{}", item.item_id)>{format!("Grade question {}", item.number)}</a></p> })}
            </section>
        }).collect_view()}
    }
}
