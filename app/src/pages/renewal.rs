//! The dashboard's certification panel: valid through, the renewal window, CE hours so far,
//! the CE classes that would count, and "Renew" once the hours are there (works without
//! JavaScript: a plain form post, redirected back).

use crate::{
    api::renewal::{my_renewal, RenewCertificate, RenewalView},
    components::form::{last_error, FormMessage},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Nothing for people without a coordinator certificate.
#[component]
pub fn RenewalPanel() -> impl IntoView {
    let renew = ServerAction::<RenewCertificate>::new();
    let data = Resource::new(move || renew.version().get(), |_| my_renewal());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(v)) => view! { <Panel v renew/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Panel(v: RenewalView, renew: ServerAction<RenewCertificate>) -> impl IntoView {
    let query = use_query_map();
    let error = last_error(renew.value());
    let renewed = move || query.read().get("renewed").is_some();
    let ready = v.standing == "ready";
    let advice = match v.standing.as_str() {
        "not_yet" => "Continuing education counts toward renewal once your renewal window opens.",
        "collecting" => "Attend continuing education before your certificate expires to renew it for three more years.",
        "ready" => "You have the continuing-education hours renewal asks for.",
        _ => "Your certificate can no longer be renewed. Take the coordinator certification course again to be certified.",
    };
    let renewals = (v.renewals > 0).then(|| {
        let times = if v.renewals == 1 {
            "once".to_owned()
        } else {
            format!("{} times", v.renewals)
        };
        format!("Certificate {} · renewed {times}", v.number)
    });
    view! {
        <section class="panel" aria-labelledby="certification-heading">
            <h2 id="certification-heading">"Your certification"</h2>
            {move || renewed().then(|| view! { <p class="form-success" role="status">"Your certification is renewed. Download the certificate with its new date from your certificates page."</p> })}
            <FormMessage error/>
            <p class="certification-line">{v.line}</p>
            {renewals.map(|r| view! { <p class="hint">{r}</p> })}
            <p>{advice}</p>
            {ready.then(|| view! {
                <ActionForm action=renew>
                    <button type="submit" class="button" disabled=move || renew.pending().get()>"Renew my certification"</button>
                </ActionForm>
            })}
            {(!v.recorded.is_empty()).then(|| view! {
                <h3>"Continuing education done elsewhere"</h3>
                <ul class="recorded-ce">
                    {v.recorded.into_iter().map(|r| view! {
                        <li>
                            {format!("{} · {} · {} CE hours · {}", r.title, r.completed, r.hours, r.status)}
                            {r.evidence_href.map(|href| view! { " · "<a href=href>"Evidence"<span class="visually-hidden">{format!(" for {}", r.title)}</span></a> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!v.counting.is_empty()).then(|| view! {
                <h3>"Continuing-education classes that would count"</h3>
                <ul>
                    {v.counting.into_iter().map(|c| view! {
                        <li><a href=format!("/offerings/{}", c.offering_id)>{c.title}</a>{format!(" · {} · {} CE hours", c.when, c.hours)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
