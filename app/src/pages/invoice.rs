use crate::{
    api::offerings::invoice, components::status::ErrorPanel, domain::payment::PaymentDocument,
    model::InvoiceView,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// A registration's printable money document: an invoice while the fee is owed, a receipt once
/// paid, a "Fee waived" confirmation (nothing due, no payment instructions) when waived.
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
    let document = inv.document;
    let title = document.title();
    // Who it is for: a bill for an invoice or receipt; a waived or refunded fee bills nobody.
    let recipient = match document {
        PaymentDocument::Invoice | PaymentDocument::Receipt => "Billed to",
        PaymentDocument::FeeWaived | PaymentDocument::Refund => "Registered",
    };
    let settled = match document {
        PaymentDocument::FeeWaived => Some(("Fee waived", format!("−{}", inv.amount))),
        PaymentDocument::Refund => Some(("Refunded", format!("−{}", inv.amount))),
        PaymentDocument::Invoice | PaymentDocument::Receipt => None,
    };
    let total = if settled.is_some() {
        "Amount due"
    } else {
        "Total"
    };
    let total_amount = if settled.is_some() {
        inv.due.clone()
    } else {
        inv.amount.clone()
    };
    view! {
        <Title text=format!("{title} {}", inv.number)/>
        <article class="invoice card">
            <header class="invoice-head">
                <div>
                    <p class="invoice-org"><strong>"CIT Academy"</strong><br/>"Crisis Intervention Team training and certification"</p>
                </div>
                <div>
                    <h1>{title}</h1>
                    <dl class="facts">
                        <div><dt>"Number"</dt><dd>{inv.number.clone()}</dd></div>
                        <div><dt>"Issued"</dt><dd>{inv.issued.clone()}</dd></div>
                    </dl>
                </div>
            </header>
            <h2>{recipient}</h2>
            <p>{inv.name.clone()}<br/>{inv.agency.clone()}<br/>{inv.email.clone()}</p>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Items"</caption>
                    <thead><tr><th scope="col">"Item"</th><th scope="col">"Amount"</th></tr></thead>
                    <tbody>
                        <tr><td>{format!("{}, {}", inv.course_title, inv.when)}</td><td>{inv.amount.clone()}</td></tr>
                        {settled.map(|(label, amount)| view! { <tr><td>{label}</td><td>{amount}</td></tr> })}
                        <tr><th scope="row">{total}</th><td><strong>{total_amount}</strong></td></tr>
                    </tbody>
                </table>
            </div>
            <p class="invoice-status">
                <strong>"Payment: "</strong>{inv.payment_status.clone()}
                {(!inv.payment_method.is_empty()).then(|| format!(" · {}", inv.payment_method))}
                {(!inv.payment_reference.is_empty()).then(|| format!(" · reference {}", inv.payment_reference))}
                // The date the status was recorded: money received only for a receipt.
                {(!inv.paid_on.is_empty()).then(|| match document {
                    PaymentDocument::Receipt => format!(" · received {}", inv.paid_on),
                    PaymentDocument::FeeWaived => format!(" · waived {}", inv.paid_on),
                    PaymentDocument::Refund => format!(" · refunded {}", inv.paid_on),
                    PaymentDocument::Invoice => String::new(),
                })}
            </p>
            {match document {
                PaymentDocument::Invoice => view! {
                    <p>"Pay by card over the phone, by check, with a purchase order or against this invoice; please quote the invoice number. The training office confirms payment on your dashboard."</p>
                }.into_any(),
                PaymentDocument::FeeWaived => view! {
                    <p>"The training office waived the course fee for this registration. Nothing is owed and no payment is needed."</p>
                }.into_any(),
                PaymentDocument::Refund => view! {
                    <p>"The course fee was refunded. Nothing is owed."</p>
                }.into_any(),
                PaymentDocument::Receipt => ().into_any(),
            }}
            <p class="no-print"><a href="/dashboard">"Back to your dashboard"</a>" · Use your browser's Print command to print or save as PDF."</p>
        </article>
    }
}
