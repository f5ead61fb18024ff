//! `/admin/ce`: administrators record continuing education done elsewhere, with its evidence
//! (a note, a file, or both), and approve it or withdraw the approval. The form carries a
//! file, so it is a plain multipart form to the server's route, which redirects back here
//! (`?refused=<code>` when refused, nothing stored); approving is an `ActionForm`.

use crate::{
    api::ce_records::{admin_ce_records, AdminCeView, CeRecordItem, SetCeApproval, WaitingCeItem},
    components::{
        form::{last_error, refused_error, FormMessage, TextAreaField, TextField},
        paging::{order_params, Pager, Paging, SortHeading},
        status::ErrorPanel,
    },
    domain::ce_record::CeRefusal,
    pages::materials::FileField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminCePage() -> impl IntoView {
    let approve = ServerAction::<SetCeApproval>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || (approve.version().get(), order_params(&query.read())),
        |(_, (sort, dir, page))| admin_ce_records(sort, dir, page),
    );
    view! {
        <Title text="Continuing education done elsewhere"/>
        <h1>"Continuing education done elsewhere"</h1>
        <p>"Record CE a certified coordinator completed with another provider. It counts toward their renewal only once approved, and only when completed inside their renewal window (the third year of their certificate)."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Manager view approve/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Manager(view: AdminCeView, approve: ServerAction<SetCeApproval>) -> impl IntoView {
    let query = use_query_map();
    let upload_error = refused_error::<CeRefusal>();
    let approve_error = last_error(approve.value());
    let done = move || {
        let q = query.read();
        if q.get("added").as_deref() == Some("pending") {
            Some("The continuing education was recorded. Its holder has not verified their email address yet: it is attached to their account, and counts, once they do.")
        } else if q.get("added").is_some() {
            Some("The continuing education was recorded.")
        } else if q.get("approved").is_some() {
            Some("Approved: it now counts toward renewal when inside the holder's window.")
        } else if q.get("withdrawn").is_some() {
            Some("Approval withdrawn: it no longer counts toward renewal.")
        } else {
            None
        }
    };
    view! {
        {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
        <FormMessage error=approve_error/>
        <RecordTable items=view.items paging=view.paging.clone() approve/>
        <Pager paging=view.paging/>
        <WaitingTable items=view.waiting/>

        <section class="panel" id="add-ce" aria-labelledby="add-ce-heading">
            <h2 id="add-ce-heading">"Record continuing education"</h2>
            <form method="post" action="/admin/ce/record" enctype="multipart/form-data" class="form" novalidate>
                <FormMessage error=upload_error/>
                <TextField label="Holder's email address" name="email" kind="email" hint="The address of the person's account." error=upload_error/>
                <TextField label="What it was" name="title" hint="The course or event and its provider." error=upload_error/>
                <TextField label="CE hours" name="hours" kind="number" hint="A whole number from 1 to 40." error=upload_error/>
                <TextField label="Completed on" name="completed_on" kind="date" hint="The day it was completed (YYYY-MM-DD); it counts when inside the renewal window." error=upload_error/>
                <TextAreaField label="Evidence" name="evidence" rows=3 error=upload_error/>
                <FileField error=upload_error/>
                <div class="field checkbox">
                    <input type="checkbox" id="field-approved" name="approved" value="on"/>
                    <label for="field-approved">"Approved: count it toward renewal"</label>
                </div>
                <button type="submit" class="button">"Record it"</button>
            </form>
        </section>
    }
}

/// Records for accounts that have not verified their address: they are attached, and count,
/// once the address is verified, so staff can tell the person why nothing shows yet.
#[component]
fn WaitingTable(items: Vec<WaitingCeItem>) -> impl IntoView {
    (!items.is_empty()).then(|| view! {
        <section aria-labelledby="waiting-ce-heading">
            <h2 id="waiting-ce-heading">"Waiting for a verified email address"</h2>
            <p>"These were recorded for an account that has not verified its email address yet. Each is attached to the account, and counts, once the address is verified: ask the person to open the link we sent (or to choose “Send the link again” on their dashboard)."</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Continuing education waiting for a verified address">
                <table>
                    <caption>"Waiting for a verified email address"</caption>
                    <thead><tr>
                        <th scope="col">"Email address"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Hours"</th>
                        <th scope="col">"Completed"</th>
                        <th scope="col">"Evidence file"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Recorded"</th>
                    </tr></thead>
                    <tbody>
                        {items.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.email}</td>
                                <th scope="row">{r.title}</th>
                                <td>{r.hours}</td>
                                <td>{r.completed}</td>
                                <td>{if r.filename.is_empty() { "None".to_owned() } else { r.filename }}</td>
                                <td>{if r.approved { "Approved" } else { "Not approved" }}</td>
                                <td>{r.recorded}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    })
}

#[component]
fn RecordTable(
    items: Vec<CeRecordItem>,
    paging: Paging,
    approve: ServerAction<SetCeApproval>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>"Nothing recorded yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Recorded continuing education">
            <table>
                <caption>"Recorded continuing education"</caption>
                <thead><tr>
                    <SortHeading paging=paging.clone() key="holder" label="Holder"/>
                    <SortHeading paging=paging.clone() key="title" label="What"/>
                    <SortHeading paging=paging.clone() key="hours" label="Hours"/>
                    <SortHeading paging=paging.clone() key="completed" label="Completed"/>
                    <th scope="col">"Evidence"</th>
                    <SortHeading paging key="status" label="Status"/>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|r| {
                        let label = format!(" {} for {}", r.title, r.holder);
                        let (status, flip, verb) = if r.approved {
                            ("Approved", "false", "Withdraw approval")
                        } else {
                            ("Not approved", "true", "Approve")
                        };
                        view! {
                            <tr>
                                <td>{r.holder.clone()}</td>
                                <th scope="row">{r.title.clone()}</th>
                                <td>{r.hours}</td>
                                <td>{r.completed}</td>
                                <td>
                                    {r.evidence}
                                    {r.file.map(|(href, detail)| view! { " "<a href=href>"Evidence file"<span class="visually-hidden">{label.clone()}</span></a>{format!(" ({detail})")} })}
                                </td>
                                <td>
                                    <p>{status}</p>
                                    <ActionForm action=approve>
                                        <input type="hidden" name="record_id" value=r.id/>
                                        <input type="hidden" name="approved" value=flip/>
                                        <button type="submit" class="button-secondary">
                                            {verb}
                                            <span class="visually-hidden">{label}</span>
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
