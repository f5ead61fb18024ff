use crate::{
    api::admin_registrations::{pending_registrations, DecideRegistration},
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage},
        paging::{order_params, Pager, SortChoices},
        status::ErrorPanel,
    },
    model::PendingView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Administrators: registrations waiting for approval (the 911 course's eligibility check).
#[component]
pub fn AdminRegistrationsPage() -> impl IntoView {
    let decide = ServerAction::<DecideRegistration>::new();
    let query = use_query_map();
    let pending = Resource::new(
        move || (decide.version().get(), order_params(&query.read())),
        |(_, (sort, dir, page))| pending_registrations(sort, dir, page),
    );
    let decided = move || {
        query.read().get("decided").is_some() || matches!(decide.value().get(), Some(Ok(())))
    };
    let error = last_error(decide.value());
    view! {
        <Title text="Approvals"/>
        <h1>"Registrations waiting for approval"</h1>
        <p>"The 911 course is for people employed by an emergency call center. Check what each person declared, then approve, or reject with a reason they will read."</p>
        {move || decided().then(|| view! { <p class="form-success" role="status">"Decision saved. The person has been told."</p> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(list) if list.rows.is_empty() => view! { <p>"Nothing is waiting. "<a href="/admin/offerings">"See all classes"</a>"."</p> }.into_any(),
                    Ok(list) => view! {
                        <FormMessage error/>
                        <SortChoices paging=list.paging.clone() columns=vec![("submitted", "Submitted"), ("name", "Name"), ("course", "Course")]/>
                        <ul class="card-list">
                            {list.rows.into_iter().map(|p| view! { <PendingCard pending=p decide error/> }).collect_view()}
                        </ul>
                        <Pager paging=list.paging/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PendingCard(
    pending: PendingView,
    decide: ServerAction<DecideRegistration>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let reason_id = format!("reason-{}", pending.id);
    let reason_error = field_error(error, "reason");
    let heading = format!("{} · {}", pending.name, pending.course_title);
    let approve_label = format!("Approve {}", pending.name);
    let reject_label = format!("Reject {}", pending.name);
    view! {
        <li class="card">
            <h2>{heading}</h2>
            <dl class="facts">
                <div><dt>"Email"</dt><dd>{pending.email.clone()}</dd></div>
                <div><dt>"Agency"</dt><dd>{pending.agency.clone()}</dd></div>
                <div><dt>"Call center"</dt><dd>{pending.call_center.clone()}</dd></div>
                <div><dt>"Role"</dt><dd>{pending.job_role.clone()}</dd></div>
                <div><dt>"Supervisor"</dt><dd>{pending.supervisor_contact.clone()}</dd></div>
                <div><dt>"Submitted"</dt><dd>{pending.submitted.clone()}</dd></div>
            </dl>
            <ActionForm action=decide attr:class="decision-form">
                <input type="hidden" name="registration_id" value=pending.id/>
                <div class="field">
                    <label for=reason_id.clone()>"Reason (required to reject)"</label>
                    <input id=reason_id name="reason" type="text" aria-describedby=move || reason_error.get().map(|_| error_id("reason"))/>
                    <FieldMessage field="reason" message=reason_error/>
                </div>
                <div class="actions">
                    <button type="submit" name="decision" value="approve" class="button" aria-label=approve_label>"Approve"</button>
                    <button type="submit" name="decision" value="reject" class="button-secondary" aria-label=reject_label>"Reject"</button>
                </div>
            </ActionForm>
        </li>
    }
}
