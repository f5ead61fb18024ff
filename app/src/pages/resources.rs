//! The certified-only resource area: the library (`/resources`, searched with a plain GET
//! form) and its Markdown pages (`/resources/:id`). The server decides who gets in; everyone
//! else is told what would open it.

use crate::{
    api::resources::{
        resource_library, resource_page, Closed, Gated, LibraryView, ResourcePageView, Shelf,
    },
    components::{
        paging::{order_params, KeepOrder, Pager, SortChoices},
        params::use_id_param,
        status::{set_status, ErrorPanel},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LibraryPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        let q = query.read();
        (q.get("q"), q.get("category"), order_params(&q))
    };
    let data = Resource::new(search, |(q, category, (sort, dir, page))| {
        resource_library(q, category, sort, dir, page)
    });
    view! {
        <Title text="Resource library"/>
        <h1>"Resource library"</h1>
        <Suspense fallback=|| view! { <p>"Loading the library…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Gated::Open(v)) => view! { <Library v/> }.into_any(),
                    Ok(Gated::Closed(why)) => view! { <Shut why/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Library(v: LibraryView) -> impl IntoView {
    let searched = !v.words.is_empty() || !v.category.is_empty();
    let empty = v.shelves.is_empty();
    let selected = v.category.clone();
    let paging = v.paging.clone();
    view! {
        <p class="lead">"Program materials, documentation, policies, data collection tools and training for certified CIT coordinators."</p>
        {v.valid_through.map(|d| view! { <p>{format!("Your coordinator certificate is valid through {d}.")}</p> })}
        {v.admin.then(|| view! { <p><a href="/admin/resources">"Publish or remove resources"</a></p> })}
        <section class="panel" aria-labelledby="search-heading">
            <h2 id="search-heading">"Search"</h2>
            <form method="get" action="/resources" role="search" class="form">
                <div class="field">
                    <label for="field-q">"Words in the title or text"</label>
                    <input id="field-q" name="q" type="search" value=v.words.clone()/>
                </div>
                <div class="field">
                    <label for="field-category">"Category"</label>
                    <select id="field-category" name="category">
                        <option value="">"All categories"</option>
                        {v.categories.into_iter().map(|(value, label)| {
                            let chosen = value == selected;
                            view! { <option value=value selected=chosen>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <KeepOrder paging=Some(v.paging.clone())/>
                <button type="submit" class="button">"Search"</button>
                {searched.then(|| view! { " " <a href="/resources">"Show everything"</a> })}
            </form>
        </section>
        {match (empty, searched) {
            (true, true) => view! { <p role="status">"Nothing matches that search. Try fewer words, or all categories."</p> }.into_any(),
            (true, false) => view! { <p>"No resources have been published yet."</p> }.into_any(),
            _ => view! {
                <SortChoices paging=paging.clone() columns=vec![("category", "Category"), ("title", "Title"), ("published", "Published")]/>
                {v.shelves.into_iter().map(|shelf| view! { <ShelfSection shelf/> }).collect_view()}
                <Pager paging/>
            }.into_any(),
        }}
    }
}

#[component]
fn ShelfSection(shelf: Shelf) -> impl IntoView {
    // One shelf of everything (sorted by something else than category) names each category.
    let flat = shelf.category == "all";
    let heading = format!("shelf-{}", shelf.category);
    let labelled_by = heading.clone();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{shelf.label}</h2>
            <ul class="resource-list">
                {shelf.items.into_iter().map(|r| view! {
                    <li>
                        <a href=r.href rel=r.external.then_some("external")>{r.title}</a>
                        " "<span class="hint">{if flat { format!("({} · {})", r.category, r.detail) } else { format!("({})", r.detail) }}</span>
                        {(!r.summary.is_empty()).then(|| view! { <br/><span>{r.summary}</span> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// What a person outside the gate reads instead of the library (with a 403 status).
#[component]
fn Shut(why: Closed) -> impl IntoView {
    set_status(403);
    match why {
        Closed::Expired { last_valid } => view! {
            <section class="panel" aria-labelledby="shut-heading">
                <h2 id="shut-heading">"Your certification has expired"</h2>
                <p>{format!("Your coordinator certificate was valid through {last_valid}. The resource library is open to currently certified coordinators only.")}</p>
                <p>"To open it again, renew your certification: attend the organisation's continuing education (see the courses) until you have the hours renewal asks for. Your dashboard shows the hours you have and the classes that count. If you think this is wrong, contact the training office."</p>
                <p><a class="button" href="/dashboard">"See your renewal on the dashboard"</a>" "<a href="/courses">"Continuing-education courses"</a></p>
            </section>
        }.into_any(),
        Closed::Revoked => view! {
            <section class="panel" aria-labelledby="shut-heading">
                <h2 id="shut-heading">"Your certificate was revoked"</h2>
                <p>"The resource library is open to currently certified coordinators only, and your coordinator certificate was revoked. If you think this is a mistake, contact the training office."</p>
                <p><a href="/certificates">"Your certificates"</a></p>
            </section>
        }.into_any(),
        Closed::Uncertified => view! {
            <section class="panel" aria-labelledby="shut-heading">
                <h2 id="shut-heading">"For certified coordinators"</h2>
                <p>"The resource library is open to people who hold an active CIT coordinator certificate. To get certified, take the CIT Coordinator Certification course (two four-hour sessions) and pass its test; the certificate runs three years and opens the library at once."</p>
                <p><a class="button" href="/courses/CITC">"About the coordinator certification"</a></p>
            </section>
        }.into_any(),
    }
}

/// One Markdown page of the library.
#[component]
pub fn ResourcePage() -> impl IntoView {
    let id = use_id_param();
    let data = Resource::new(id, resource_page);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Gated::Open(page)) => view! { <Page page/> }.into_any(),
                    Ok(Gated::Closed(why)) => view! { <Title text="Resource library"/><h1>"Resource library"</h1><Shut why/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Page(page: ResourcePageView) -> impl IntoView {
    view! {
        <Title text=page.title.clone()/>
        <p class="breadcrumb"><a href="/resources">"Resource library"</a>" · "{page.category_label}</p>
        <h1>{page.title}</h1>
        {(!page.summary.is_empty()).then(|| view! { <p class="lead">{page.summary}</p> })}
        <div class="prose" inner_html=page.html></div>
        <p class="hint">{format!("Published {}", page.added)}</p>
    }
}
