//! `/admin/audit`: the audit log, filtered by who, kind of record and dates (a plain GET
//! form), sorted by time, person, action or record either way, fifty a page, with the filtered entries as CSV.

use crate::{
    api::audit::{admin_audit, AuditView},
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
pub fn AdminAuditPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (
            q.get("actor"),
            q.get("entity"),
            q.get("from"),
            q.get("to"),
            order_params(&q),
        )
    };
    let data = Resource::new(params, |(actor, entity, from, to, (sort, dir, page))| {
        admin_audit(actor, entity, from, to, sort, dir, page)
    });
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <p>"Every change of a grade, certificate, payment, attendance record, role and more: who, when, before and after."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (actor, entity, from, to, _) = params();
                match data.await {
                    Ok(v) => view! {
                        <FilterForm actors=v.actors.clone() entities=v.entities.clone() actor=v.actor.clone()
                            entity=v.entity.clone() from=v.from.clone() to=v.to.clone() order=Some(v.paging.clone()) error=Signal::stored(None)/>
                        <Entries v/>
                    }.into_any(),
                    Err(e @ AppError::Invalid { .. }) => view! {
                        <FilterForm actors=Vec::new() entities=Vec::new() actor=actor.unwrap_or_default()
                            entity=entity.unwrap_or_default() from=from.unwrap_or_default() to=to.unwrap_or_default() order=None error=Signal::stored(Some(e))/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn FilterForm(
    actors: Vec<(String, String)>,
    entities: Vec<String>,
    actor: String,
    entity: String,
    from: String,
    to: String,
    order: Option<Paging>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let actors = std::iter::once((String::new(), "Anyone".to_owned()))
        .chain(actors)
        .collect();
    let entities = std::iter::once((String::new(), "Any kind".to_owned()))
        .chain(entities.into_iter().map(|e| (e.clone(), e)))
        .collect();
    view! {
        <section class="panel" aria-labelledby="filter-heading">
            <h2 id="filter-heading">"Filter"</h2>
            <form method="get" action="/admin/audit">
                <SelectField label="Who" name="actor" options=actors selected=actor error/>
                <SelectField label="Kind of record" name="entity" options=entities selected=entity error/>
                <TextField label="From" name="from" kind="date" value=from required=false error
                    hint="The first day, YYYY-MM-DD (Mountain Time)."/>
                <TextField label="To" name="to" kind="date" value=to required=false error
                    hint="The last day, included."/>
                <KeepOrder paging=order/>
                <button type="submit">"Show"</button>
            </form>
        </section>
    }
}

#[component]
fn Entries(v: AuditView) -> impl IntoView {
    let paging = v.paging.clone();
    view! {
        <section class="panel" aria-labelledby="entries-heading">
            <h2 id="entries-heading">{format!("Entries ({})", v.paging.total)}</h2>
            <p><a href=v.csv_path.clone() download="" rel="external">"Download these entries (CSV)"</a></p>
            {if v.rows.is_empty() {
                view! { <p>"No entry matches."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Audit log table">
                        <table class="audit">
                            <caption class="visually-hidden">"Audit log entries"</caption>
                            <thead><tr>
                                <SortHeading paging=paging.clone() key="when" label="When"/>
                                <SortHeading paging=paging.clone() key="who" label="Who"/>
                                <SortHeading paging=paging.clone() key="action" label="Action"/>
                                <SortHeading paging=paging.clone() key="record" label="Record"/>
                                <th scope="col">"Before"</th>
                                <th scope="col">"After"</th>
                            </tr></thead>
                            <tbody>
                                {v.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row"><time datetime=r.at_utc.clone()>{r.at.clone()}</time></th>
                                        <td>{r.actor.clone()}</td>
                                        <td>{r.action.clone()}</td>
                                        <td>{format!("{} {}", r.entity, r.entity_id)}</td>
                                        <td class="audit-value">{r.before.clone()}</td>
                                        <td class="audit-value">{r.after.clone()}</td>
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
