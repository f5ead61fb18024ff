//! `/admin/members`: every person who holds or held a membership, with their standing, filtered
//! by standing and last day, paged, and as CSV.

use crate::{
    api::members::{admin_members, MembersView},
    components::{
        form::{SelectField, TextField},
        paging::{order_params, KeepOrder, Pager, Paging, SortHeading},
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminMembersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (q.get("standing"), q.get("ends_before"), order_params(&q))
    };
    let data = Resource::new(filter, |(standing, before, (sort, dir, page))| {
        admin_members(standing, before, sort, dir, page)
    });
    view! {
        <Title text="Members"/>
        <h1>"Members"</h1>
        <p>"Membership comes with a coordinator certificate and lasts as long as it does: renewal extends it, expiry and revocation end it."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (standing, before, _) = filter();
                match data.await {
                    Ok(v) => view! {
                        <FilterForm standing=v.standing.clone() before=v.ends_before.clone() order=Some(v.paging.clone()) error=Signal::stored(None)/>
                        <MemberTable v/>
                    }.into_any(),
                    Err(e @ AppError::Invalid { .. }) => view! {
                        <FilterForm standing=standing.unwrap_or_default() before=before.unwrap_or_default() order=None error=Signal::stored(Some(e))/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(
    standing: String,
    before: String,
    order: Option<Paging>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let options = [
        ("", "Current and former members"),
        ("current", "Current members"),
        ("ended", "Former members"),
    ]
    .into_iter()
    .map(|(v, t)| (v.to_owned(), t.to_owned()))
    .collect();
    view! {
        <section class="panel" aria-labelledby="filter-heading">
            <h2 id="filter-heading">"Filter"</h2>
            <form method="get" action="/admin/members">
                <SelectField label="Standing" name="standing" options selected=standing error/>
                <TextField label="Membership ends before" name="ends_before" kind="date" value=before required=false error
                    hint="For example, the end of next quarter: members whose membership ends before it."/>
                <KeepOrder paging=order/>
                <button type="submit">"Show"</button>
            </form>
        </section>
    }
}

#[component]
fn MemberTable(v: MembersView) -> impl IntoView {
    let paging = v.paging.clone();
    view! {
        <section class="panel" aria-labelledby="list-heading">
            <h2 id="list-heading">{format!("Members ({})", paging.total)}</h2>
            <p><a href=v.csv_path.clone() download="" rel="external">"Download this list (CSV)"</a></p>
            {if v.rows.is_empty() {
                view! { <p>"No member matches."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Members table">
                        <table>
                            <caption class="visually-hidden">"Members"</caption>
                            <thead><tr>
                                <SortHeading paging=paging.clone() key="name" label="Name and email"/>
                                <th scope="col">"Agency"</th>
                                <th scope="col">"Certificate"</th>
                                <SortHeading paging=paging.clone() key="since" label="Member since"/>
                                <SortHeading paging=paging.clone() key="through" label="Through"/>
                                <SortHeading paging=paging.clone() key="standing" label="Standing"/>
                            </tr></thead>
                            <tbody>
                                {v.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.name.clone()}<br/>{r.email.clone()}</th>
                                        <td>{r.agency.clone()}</td>
                                        <td><a href=format!("/admin/certificates/{}", r.certificate_id)>{r.number.clone()}</a></td>
                                        <td>{r.since.clone()}</td>
                                        <td>{r.through.clone()}</td>
                                        <td><span class=if r.current { "status status-active" } else { "status status-expired" }>{r.standing.clone()}</span></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <Pager paging/>
        </section>
    }
}
