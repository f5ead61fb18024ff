use crate::{api::offerings::invoice, components::status::ErrorPanel, model::InvoiceView};
use leptos::prelude::*;
use leptos_meta::Title;

/// A printable invoice, which becomes a receipt once the registration is paid.
#[component]
pub fn InvoicePage() -> impl IntoView {
    let id = crate::components::params::use_id_param();
    let data = Resource::new(id, invoice);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(inv) => view! { <Invoice inv/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Invoice(inv: InvoiceView) -> impl IntoView {
    let kind = if inv.is_receipt { "Receipt" } else { "Invoice" };
    view! {
        <Title text=format!("{kind} {}", inv.number)/>
        <article class="invoice card">
            <header class="invoice-head">
                <div>
                    <p class="invoice-org"><strong>"CIT Academy"</strong><br/>"Crisis Intervention Team training and certification"</p>
                </div>
                <div>
                    <h1>{kind}</h1>
                    <dl class="facts">
                        <div><dt>"Number"</dt><dd>{inv.number.clone()}</dd></div>
                        <div><dt>"Issued"</dt><dd>{inv.issued.clone()}</dd></div>
                    </dl>
                </div>
            </header>
            <h2>"Billed to"</h2>
            <p>{inv.name.clone()}<br/>{inv.agency.clone()}<br/>{inv.email.clone()}</p>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Items"</caption>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Amount"</th></tr></thead>
                    <tbody>
                        <tr><td>{format!("{}, {}", inv.course_title, inv.when)}</td><td>{inv.amount.clone()}</td></tr>
                        <tr><th scope="row">"Total"</th><td><strong>{inv.amount.clone()}</strong></td></tr>
                    </tbody>
                </table>
            </div>
            <p class="invoice-status">
                <strong>"Payment: "</strong>{inv.payment_status.clone()}
                {(!inv.payment_method.is_empty()).then(|| format!(" · {}", inv.payment_method))}
                {(!inv.payment_reference.is_empty()).then(|| format!(" · reference {}", inv.payment_reference))}
                {(!inv.paid_on.is_empty()).then(|| format!(" · received {}", inv.paid_on))}
            </p>
            {(!inv.is_receipt).then(|| view! {
                <p>"Pay by card over the phone, by check, with a purchase order or against this invoice; please quote the invoice number. The training office confirms payment on your dashboard."</p>
            })}
            <p class="no-print"><a href="/dashboard">"Back to your dashboard"</a>" · Use your browser's Print command to print or save as PDF."</p>
        </article>
    }
}
