use crate::{
    api::offerings::{offering, Register},
    components::{
        form::{last_error, FormMessage, TextField},
        status::ErrorPanel,
    },
    domain::catalog::format_usd,
    model::OfferingView,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// One class: its meetings, seats, calendar file, and the registration form.
#[component]
pub fn OfferingPage() -> impl IntoView {
    let params = use_params_map();
    let register = ServerAction::<Register>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let view_data = Resource::new(
        move || (id(), register.version().get()),
        |(id, _)| offering(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading class…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => view! { <OfferingDetail data register/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OfferingDetail(data: OfferingView, register: ServerAction<Register>) -> impl IntoView {
    let query = use_query_map();
    let just_registered = move || query.read().get("registered").is_some();
    let title = format!("{} · {}", data.course_title, data.card.when);
    let course_href = format!("/courses/{}", data.course_code);
    let ics_href = format!("/offerings/{}/calendar.ics", data.card.id);
    let seats = if data.card.seats_left > 0 {
        format!(
            "{} of {} seats left",
            data.card.seats_left, data.card.capacity
        )
    } else {
        format!("Full · {} on the waitlist", data.card.waitlist)
    };
    view! {
        <Title text=title/>
        <p class="breadcrumb"><a href=course_href>{data.course_title.clone()}</a></p>
        <h1>{data.course_title.clone()}</h1>
        <p class="lead">{data.card.when.clone()}{data.card.evening.then_some(" · Evening class")}</p>
        {data.cancelled.then(|| view! { <p class="notice"><strong>"Cancelled: "</strong>"this class will not take place."</p> })}
        <dl class="facts facts-wide">
            <div><dt>"Fee"</dt><dd>{format_usd(data.fee_cents)}</dd></div>
            <div><dt>"Seats"</dt><dd>{seats}</dd></div>
        </dl>
        <h2>"Sessions"</h2>
        <ol class="meeting-list">
            {data.meetings.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
        </ol>
        <p><a href=ics_href download="cit-academy-class.ics">"Add these sessions to your calendar (.ics)"</a></p>
        <crate::pages::materials::ClassMaterials offering_id=data.card.id/>
        <section class="panel" aria-labelledby="register-heading">
            <h2 id="register-heading">"Registration"</h2>
            {move || just_registered().then(|| view! { <p class="form-success" role="status">"Your registration was received. We have emailed you the details."</p> })}
            <RegisterPanel data=data.clone() register/>
        </section>
    }
}

#[component]
fn RegisterPanel(data: OfferingView, register: ServerAction<Register>) -> impl IntoView {
    if let Some((_, status)) = data.mine {
        return view! {
            <p>"You are registered for this class: "<strong>{status}</strong>". "<a href="/dashboard">"See your dashboard"</a>" to cancel or to see payment."</p>
        }
        .into_any();
    }
    if !data.signed_in {
        let next = format!("/signin?next=/offerings/{}", data.card.id);
        return view! {
            <p><a class="button" href=next>"Sign in to register"</a>" or "<a href="/signup">"create an account"</a>"."</p>
        }
        .into_any();
    }
    if let Some(reason) = data.refusal {
        return view! { <p>{reason}</p> }.into_any();
    }
    let error = last_error(register.value());
    let full = data.card.seats_left == 0;
    let button = if full {
        "Join the waitlist"
    } else {
        "Register"
    };
    view! {
        {full.then(|| view! { <p>"This class is full. Join the waitlist and we will tell you as soon as a seat opens: the first in line gets it automatically."</p> })}
        <ActionForm action=register attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="offering_id" value=data.card.id/>
            {data.needs_call_center.then(|| view! {
                <p>"This course is only for people currently employed by an emergency call center. An administrator confirms your registration."</p>
                <TextField label="Emergency call center" name="call_center" autocomplete="organization" error/>
                <TextField label="Your role" name="job_role" autocomplete="organization-title" hint="For example: call-taker, dispatcher, supervisor." error/>
                <TextField label="Supervisor's name and phone or email" name="supervisor_contact" error/>
            })}
            <button type="submit" class="button" disabled=move || register.pending().get()>{button}</button>
        </ActionForm>
    }
    .into_any()
}
