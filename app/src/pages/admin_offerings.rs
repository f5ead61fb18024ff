use crate::{
    api::admin_registrations::{
        admin_offerings, offering_roster, CancelOffering, RecordPayment, UpdateOffering,
    },
    components::{
        form::{last_error, FieldMessage, FormMessage, TextField},
        paging::{order_params, Pager, SortHeading},
        status::ErrorPanel,
    },
    domain::payment::{PaymentMethod, PaymentStatus},
    model::{AdminOfferingsPage, RosterEntry},
    pages::admin_sessions::{SessionActions, SessionsPanel},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Administrators: upcoming classes with seats and queues.
#[component]
pub fn AdminOfferingsPage() -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || order_params(&query.read()),
        |(sort, dir, page)| admin_offerings(sort, dir, page),
    );
    view! {
        <Title text="Classes"/>
        <h1>"Classes"</h1>
        <p class="actions">
            <a class="button" href="/admin/offerings/new">"Schedule a class"</a>
            <a class="button button-secondary" href="/admin/registrations">"Registrations waiting for approval"</a>
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <OfferingTable list/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OfferingTable(list: AdminOfferingsPage) -> impl IntoView {
    let AdminOfferingsPage { rows, paging } = list;
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Upcoming classes"</caption>
                <thead><tr>
                    <SortHeading paging=paging.clone() key="course" label="Class"/>
                    <SortHeading paging=paging.clone() key="start" label="When"/>
                    <SortHeading paging=paging.clone() key="seats" label="Seats taken"/>
                    <th scope="col">"Waiting for approval"</th><th scope="col">"Waitlist"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|o| {
                        let href = format!("/admin/offerings/{}", o.id);
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{o.course_title}</a>{o.evening.then_some(" (evening)")}</th>
                                <td>{o.when}</td><td>{o.seats}</td><td>{o.pending}</td><td>{o.waitlisted}</td><td>{o.status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager paging/>
    }
}

/// Administrators: one class's roster, with payments.
#[component]
pub fn AdminOfferingPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let pay = ServerAction::<RecordPayment>::new();
    let cancel = ServerAction::<CancelOffering>::new();
    let update = ServerAction::<UpdateOffering>::new();
    let sessions = SessionActions::new();
    let update_error = last_error(update.value());
    let cancel_error = last_error(cancel.value());
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let roster = Resource::new(
        move || {
            (
                id(),
                pay.version().get(),
                cancel.version().get(),
                update.version().get(),
                sessions.version(),
            )
        },
        |(id, _, _, _, _)| offering_roster(id),
    );
    let error = last_error(pay.value());
    let saved =
        move || query.read().get("paid").is_some() || matches!(pay.value().get(), Some(Ok(())));
    let created = move || query.read().get("created").is_some();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match roster.await {
                    Ok(r) => view! {
                        <Title text=format!("Roster · {}", r.course_title)/>
                        <p class="breadcrumb"><a href="/admin/offerings">"Classes"</a></p>
                        <h1>{r.course_title.clone()}</h1>
                        <p class="lead">{r.when.clone()}" · "{r.seats.clone()}</p>
                        <p><a href=format!("/teach/offerings/{}", r.offering_id)>"Sessions, roll calls and attendance"</a></p>
                        {move || created().then(|| view! { <p class="form-success" role="status">"Class scheduled. It is open for registration on the course page."</p> })}
                        {move || saved().then(|| view! { <p class="form-success" role="status">"Payment recorded."</p> })}
                        <FormMessage error/>
                        <RosterTable rows=r.rows pay error/>
                        <SessionsPanel offering_id=r.offering_id sessions=r.sessions editable=r.status == "scheduled" actions=sessions/>
                        <section class="panel" aria-labelledby="edit-heading">
                            <h2 id="edit-heading">"Change this class"</h2>
                            {move || query.read().get("updated").is_some().then(|| view! { <p class="form-success" role="status">"Saved. Anyone moved up from the waitlist has been told."</p> })}
                            <ActionForm action=update attr:class="form" attr:novalidate=true>
                                <FormMessage error=update_error/>
                                <input type="hidden" name="offering_id" value=r.offering_id/>
                                <TextField label="Seats" name="capacity" kind="number" value=r.capacity.to_string() required=false error=update_error/>
                                <TextField label="Registration opens" name="opens_on" kind="date" value=r.opens_on.clone() required=false error=update_error/>
                                <TextField label="Registration closes" name="closes_on" kind="date" value=r.closes_on.clone() required=false error=update_error/>
                                <TextField label="Video-meeting link" name="meeting_url" kind="url" value=r.meeting_url.clone() required=false error=update_error/>
                                <TextField label="Instructors (emails, comma-separated)" name="instructors" kind="text" value=r.instructors.clone() required=false error=update_error/>
                                <div class="field">
                                    <label for="field-status">"Status"</label>
                                    <select id="field-status" name="status">
                                        <option value="scheduled" selected=r.status == "scheduled">"Scheduled"</option>
                                        <option value="completed" selected=r.status == "completed">"Completed"</option>
                                    </select>
                                </div>
                                <button type="submit" class="button">"Save changes"</button>
                            </ActionForm>
                        </section>
                        <section class="panel" aria-labelledby="cancel-heading">
                            <h2 id="cancel-heading">"Cancel this class"</h2>
                            {move || query.read().get("cancelled").is_some().then(|| view! { <p class="form-success" role="status">"The class is cancelled and everyone registered has been told."</p> })}
                            <ActionForm action=cancel attr:class="form">
                                <input type="hidden" name="offering_id" value=r.offering_id/>
                                <FormMessage error=cancel_error/>
                                <TextField label="Why is it cancelled? (everyone registered reads this)" name="reason" error=cancel_error/>
                                <button type="submit" class="button-secondary">"Cancel the class and tell everyone"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RosterTable(
    rows: Vec<RosterEntry>,
    pay: ServerAction<RecordPayment>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Nobody has registered yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Roster and payments"</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Status"</th>
                    <th scope="col">"Due"</th><th scope="col">"Payment"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! { <RosterRow row=r pay error/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RosterRow(
    row: RosterEntry,
    pay: ServerAction<RecordPayment>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let id = row.registration_id;
    let messages = ["payment_status", "payment_method", "payment_reference"].map(|f| {
        let key = format!("{f}-{id}");
        (
            key.clone(),
            crate::components::form::field_error(error, key),
        )
    });
    let status_id = format!("pay-status-{id}");
    let method_id = format!("pay-method-{id}");
    let reference_id = format!("pay-ref-{id}");
    let who = row.name.clone();
    view! {
        <tr>
            <th scope="row">{row.name.clone()}</th>
            <td>{row.email.clone()}</td>
            <td>{row.status.clone()}</td>
            <td>{row.amount_due.clone()}</td>
            <td>
                <ActionForm action=pay attr:class="payment-form">
                    <input type="hidden" name="registration_id" value=id/>
                    <label for=status_id.clone() class="visually-hidden">{format!("Payment status for {who}")}</label>
                    <select id=status_id name="payment_status">
                        {PaymentStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=s.as_str() == row.payment_status>{s.label()}</option> }).collect_view()}
                    </select>
                    <label for=method_id.clone() class="visually-hidden">{format!("Payment method for {who}")}</label>
                    <select id=method_id name="payment_method">
                        <option value="" selected=row.payment_method.is_empty()>"Method…"</option>
                        {PaymentMethod::ALL.into_iter().map(|m| view! { <option value=m.as_str() selected=m.as_str() == row.payment_method>{m.label()}</option> }).collect_view()}
                    </select>
                    <label for=reference_id.clone() class="visually-hidden">{format!("Payment reference for {who}")}</label>
                    <input id=reference_id name="payment_reference" type="text" placeholder="Reference" value=row.payment_reference.clone()/>
                    <button type="submit" class="button-small" aria-label=format!("Save payment for {who}")>"Save"</button>
                    {messages.into_iter().map(|(key, message)| view! { <FieldMessage field=key message/> }).collect_view()}
                </ActionForm>
            </td>
        </tr>
    }
}
