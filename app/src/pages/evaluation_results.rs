//! Evaluation results: `/teach/offerings/:id/evaluations` (one class, for its instructors and
//! administrators) and `/teach/courses/:code/evaluations` (a course over its classes, with a
//! row per class; administrators publish consented comments there). Per item a bar chart drawn
//! on the server with the same numbers in a table; comments without names.

use crate::{
    api::evaluations::{
        course_evaluations, offering_evaluations, ClassRow, CommentView, ItemResult, ResultsView,
        SetTestimonial,
    },
    components::{
        chart::{ChartSvg, FigureTable},
        form::{last_error, FormMessage},
        params::use_id_param,
        status::ErrorPanel,
    },
    domain::evaluation::Item,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OfferingEvaluationsPage() -> impl IntoView {
    let id = use_id_param();
    let data = Resource::new(id, offering_evaluations);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Results v publish=None/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CourseEvaluationsPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let publish = ServerAction::<SetTestimonial>::new();
    let data = Resource::new(
        move || (code(), publish.version().get()),
        |(code, _)| course_evaluations(code),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Results v publish=Some(publish)/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(v: ResultsView, publish: Option<ServerAction<SetTestimonial>>) -> impl IntoView {
    let course_link = format!("/teach/courses/{}/evaluations", v.course_code);
    let back = match v.offering_id {
        Some(id) => {
            view! { <a href=format!("/teach/offerings/{id}")>"Teaching page of the class"</a> }
                .into_any()
        }
        None => view! { <a href="/dashboard">"Dashboard"</a> }.into_any(),
    };
    let means = v.items.clone();
    view! {
        <Title text=format!("Evaluations · {}", v.course_title)/>
        <p class="breadcrumb">{back}</p>
        <h1>{format!("Evaluations: {}", v.course_title)}</h1>
        <p class="lead">{v.scope.clone()}</p>
        <dl class="facts">
            <div><dt>"Responses"</dt><dd>{v.responses.clone()}</dd></div>
        </dl>
        <p class="hint">"Responses of the people with a confirmed seat. Evaluations are anonymous: figures are for everyone together, and comments carry no names."</p>
        {v.note.clone().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {v.offering_id.is_some().then(|| view! { <p><a href=course_link.clone()>"Results of the whole course"</a></p> })}
        <MeanTable items=means/>
        {(!v.classes.is_empty()).then(|| view! { <ClassTable classes=v.classes.clone()/> })}
        {v.items.into_iter().map(|item| view! { <ItemSection item/> }).collect_view()}
        <Comments comments=v.comments may_publish=v.may_publish publish/>
    }
}

/// Every item's mean in one table.
#[component]
fn MeanTable(items: Vec<ItemResult>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="means-heading">
            <h2 id="means-heading">"Mean ratings"</h2>
            <div class="table-wrap">
                <table>
                    <caption>"Mean rating of each item, from 1 to 5"</caption>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Mean (1 to 5)"</th><th scope="col">"Answers"</th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|i| view! {
                            <tr><th scope="row">{i.name}</th><td class="mean">{i.mean}</td><td>{i.answers}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A course's classes, each with its responses and item means.
#[component]
fn ClassTable(classes: Vec<ClassRow>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="classes-heading">
            <h2 id="classes-heading">"By class"</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Results by class">
                <table>
                    <caption>"Responses and mean ratings of each class"</caption>
                    <thead><tr>
                        <th scope="col">"Class"</th>
                        <th scope="col">"Responses"</th>
                        {Item::ALL.into_iter().map(|i| view! { <th scope="col">{i.name()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {classes.into_iter().map(|c| view! {
                            <tr>
                                <th scope="row"><a href=format!("/teach/offerings/{}/evaluations", c.offering_id)>{c.label}</a></th>
                                <td>{c.responses}</td>
                                {c.means.into_iter().map(|m| view! { <td>{m}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One item: its chart and the same counts in a table.
#[component]
fn ItemSection(item: ItemResult) -> impl IntoView {
    let id = item.chart.id.clone();
    let heading = format!("{id}-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="panel report" id=id aria-labelledby=labelled_by>
            <h2 id=heading>{item.name}</h2>
            <p>{format!("“{}” · mean {} of 5 · {} answers", item.statement, item.mean, item.answers)}</p>
            <ChartSvg data=item.chart.clone()/>
            <FigureTable data=item.chart/>
        </section>
    }
}

/// The comments; on a course's results, administrators publish consented ones.
#[component]
fn Comments(
    comments: Vec<CommentView>,
    may_publish: bool,
    publish: Option<ServerAction<SetTestimonial>>,
) -> impl IntoView {
    let query = use_query_map();
    let done = move || {
        let q = query.read();
        if q.get("published").is_some() {
            Some("Published on the course page.")
        } else if q.get("withdrawn").is_some() {
            Some("Withdrawn from the course page.")
        } else {
            None
        }
    };
    let error = match publish {
        Some(action) => last_error(action.value()),
        None => Signal::stored(None),
    };
    view! {
        <section class="panel" id="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">"Comments"</h2>
            {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
            <FormMessage error/>
            {if comments.is_empty() {
                view! { <p>"No comments yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="comments">
                        {comments.into_iter().map(|c| view! { <Comment c may_publish publish/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Comment(
    c: CommentView,
    may_publish: bool,
    publish: Option<ServerAction<SetTestimonial>>,
) -> impl IntoView {
    let standing = match (c.consent, c.published) {
        (_, true) => "Published on the course page",
        (true, false) => "Its author agreed to publication · not published",
        (false, false) => "Its author did not agree to publication",
    };
    let excerpt: String = c.text.chars().take(40).collect();
    let form = publish.filter(|_| may_publish && (c.consent || c.published)).map(|action| {
        let (value, text) = if c.published {
            ("false", "Withdraw from the course page")
        } else {
            ("true", "Publish on the course page")
        };
        view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="evaluation_id" value=c.id/>
                <input type="hidden" name="publish" value=value/>
                <button type="submit" class="button-secondary button-small" aria-label=format!("{text}: “{excerpt}…”")>{text}</button>
            </ActionForm>
        }
    });
    view! {
        <li class="comment">
            <blockquote><p>{c.text.clone()}</p></blockquote>
            <p class="hint">
                {c.class}" · "{standing}
                {c.signature.map(|s| format!(" · would be signed “{s}”"))}
            </p>
            {form}
        </li>
    }
}
