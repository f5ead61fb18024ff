//! `/admin/shipments`: the best-practice guides to ship (first coordinator certificates),
//! each with the address its holder gave; "mark shipped" with carrier and tracking.

use crate::{
    api::shipments::{shipping_queue, MarkGuideShipped, Shipment},
    components::{
        form::{last_error, FormMessage},
        paging::{order_params, Pager, SortChoices},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminShipmentsPage() -> impl IntoView {
    let ship = ServerAction::<MarkGuideShipped>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || (ship.version().get(), order_params(&query.read())),
        |(_, (sort, dir, page))| shipping_queue(sort, dir, page),
    );
    let error = last_error(ship.value());
    let shipped =
        move || query.read().get("shipped").is_some() || matches!(ship.value().get(), Some(Ok(())));
    view! {
        <Title text="Guides to ship"/>
        <h1>"Guides to ship"</h1>
        <p class="lead">"A first coordinator certificate comes with the printed best-practice guide. Ship each to the address its holder gave."</p>
        {move || shipped().then(|| view! { <p class="form-success" role="status">"Marked as shipped."</p> })}
        <FormMessage error/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(queue) if queue.rows.is_empty() => view! { <p>"No guide is waiting or was shipped yet."</p> }.into_any(),
                    Ok(queue) => view! {
                        <SortChoices paging=queue.paging.clone()
                            columns=vec![("status", "Waiting first"), ("requested", "Requested"), ("name", "Name"), ("number", "Certificate number")]/>
                        {queue.rows.into_iter().map(|s| view! { <ShipmentCard s ship/> }).collect_view()}
                        <Pager paging=queue.paging/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ShipmentCard(s: Shipment, ship: ServerAction<MarkGuideShipped>) -> impl IntoView {
    let heading = format!("shipment-{}", s.id);
    let labelled_by = heading.clone();
    let carrier_id = format!("carrier-{}", s.id);
    let tracking_id = format!("tracking-{}", s.id);
    let waiting = s.shipped.is_none();
    view! {
        <section class="panel" aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{} · certificate {}", s.name, s.number)}</h2>
            <p>{s.email.clone()}" · requested "{s.requested_on.clone()}</p>
            {match s.address.clone() {
                Some(a) => view! { <p class="address">{a.lines().map(|l| view! { {l.to_owned()}<br/> }).collect_view()}</p> }.into_any(),
                None => view! { <p><strong>"Waiting for the holder's address."</strong></p> }.into_any(),
            }}
            {s.shipped.clone().map(|text| view! { <p>{text}</p> })}
            {(waiting && s.address.is_some()).then(|| view! {
                <ActionForm action=ship attr:class="inline-fields">
                    <input type="hidden" name="shipment_id" value=s.id/>
                    <div class="field">
                        <label for=carrier_id.clone()>{format!("Carrier for {}", s.name)}</label>
                        <input id=carrier_id name="carrier" required/>
                    </div>
                    <div class="field">
                        <label for=tracking_id.clone()>{format!("Tracking number for {}", s.name)}</label>
                        <input id=tracking_id name="tracking" required/>
                    </div>
                    <button type="submit">{format!("Mark shipped: {}", s.name)}</button>
                </ActionForm>
            })}
        </section>
    }
}
