//! The links of a paged, sorted list: the pages, and the column headings (or, for lists
//! shown as cards, the "Sort by" choices) that sort it. Plain links: they work without
//! JavaScript.

use super::paging::{page_links, Dir, Paging};
use leptos::prelude::*;

/// "ascending" or "descending", as `aria-sort` and people say it.
pub fn spoken(dir: Dir) -> &'static str {
    match dir {
        Dir::Asc => "ascending",
        Dir::Desc => "descending",
    }
}

/// Links to the other pages of a list (current page marked with `aria-current`).
#[component]
pub fn Pager(paging: Paging) -> impl IntoView {
    let count = paging.count();
    let current = paging.page;
    let prev = (current > 1).then(|| paging.href(current - 1));
    let next = (current < count).then(|| paging.href(current + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            <p>{paging.summary()}</p>
            <ul>
                {prev.map(|h| view! { <li><a href=h rel="prev">"Previous page"</a></li> })}
                {page_links(current, count).into_iter().map(|p| match p {
                    None => view! { <li aria-hidden="true">"…"</li> }.into_any(),
                    Some(p) if p == current => view! {
                        <li><a href=paging.href(p) aria-current="page">{format!("Page {p}")}</a></li>
                    }.into_any(),
                    Some(p) => view! { <li><a href=paging.href(p)>{format!("Page {p}")}</a></li> }.into_any(),
                }).collect_view()}
                {next.map(|h| view! { <li><a href=h rel="next">"Next page"</a></li> })}
            </ul>
        </nav>
    }
}

/// The link that sorts by column `key`: its label, an arrow on the current column, and for
/// screen readers what following it does.
#[component]
fn SortLink(paging: Paging, key: &'static str, label: &'static str) -> impl IntoView {
    let active = paging.sort == key;
    let (next, href) = paging.sort_link(key);
    let arrow = active.then_some(match paging.dir {
        Dir::Asc => " ↑",
        Dir::Desc => " ↓",
    });
    let said = if active {
        format!(" (sorted {}; sort {})", spoken(paging.dir), spoken(next))
    } else {
        format!(" (sort by this, {})", spoken(next))
    };
    view! {
        <a href=href>
            {label}<span aria-hidden="true">{arrow}</span>
            <span class="visually-hidden">{said}</span>
        </a>
    }
}

/// A column heading that sorts the list by column `key`: the current column says its order
/// (`aria-sort` and an arrow) and links to the other; the others link to sorting by them.
#[component]
pub fn SortHeading(paging: Paging, key: &'static str, label: &'static str) -> impl IntoView {
    let sorted = (paging.sort == key).then(|| spoken(paging.dir));
    view! {
        <th scope="col" aria-sort=sorted>
            <SortLink paging key label/>
        </th>
    }
}

/// For lists shown as cards rather than a table: "Sort by" and a link per column, the
/// current one marked (`aria-current`) with its order.
#[component]
pub fn SortChoices(paging: Paging, columns: Vec<(&'static str, &'static str)>) -> impl IntoView {
    view! {
        <nav class="sort-choices" aria-label="Sort">
            <span>"Sort by: "</span>
            <ul>
                {columns.into_iter().map(|(key, label)| {
                    let current = (paging.sort == key).then_some("true");
                    view! { <li aria-current=current><SortLink paging=paging.clone() key label/></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// Hidden fields that keep a list's order when its filter form (a plain GET form) is sent;
/// the new filter starts on the first page.
#[component]
pub fn KeepOrder(paging: Option<Paging>) -> impl IntoView {
    paging.map(|p| {
        view! {
            <input type="hidden" name="sort" value=p.sort/>
            <input type="hidden" name="dir" value=p.dir.as_str()/>
        }
    })
}
