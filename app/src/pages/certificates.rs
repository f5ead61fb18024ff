//! `/certificates`: the signed-in person's certificates, each with its PDF and its public
//! verification page.

use crate::{
    api::certificates::{my_certificates, CertificateItem},
    components::status::ErrorPanel,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_certificates());
    view! {
        <Title text="Your certificates"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <CertificateList items=v.items/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CertificateList(items: Vec<CertificateItem>) -> impl IntoView {
    view! {
        <h1>"Your certificates"</h1>
        {if items.is_empty() {
            view! {
                <p class="lead">"You have no certificates yet. Passing a certification test, with the class's attendance complete, issues one."</p>
            }.into_any()
        } else {
            view! {
                <p class="lead">"Download a certificate as PDF, or share its verification page: anyone can check it there."</p>
                {items.into_iter().map(|c| view! { <CertificateCard c/> }).collect_view()}
            }.into_any()
        }}
    }
}

#[component]
fn CertificateCard(c: CertificateItem) -> impl IntoView {
    let heading_id = format!("certificate-{}", c.id);
    let labelled_by = heading_id.clone();
    view! {
        <section class="panel certificate" aria-labelledby=labelled_by>
            <h2 id=heading_id>{c.credential.clone()}</h2>
            <dl class="facts">
                <dt>"Number"</dt><dd>{c.number.clone()}</dd>
                <dt>"Course"</dt><dd>{c.course_title.clone()}</dd>
                <dt>"Name on the certificate"</dt><dd>{c.holder_name.clone()}</dd>
                <dt>"Issued"</dt><dd>{c.issued_on.clone()}</dd>
                <dt>"Valid through"</dt><dd>{c.expires_on.clone().unwrap_or_else(|| "Does not expire".to_owned())}</dd>
                <dt>"Status"</dt><dd><span class=format!("status status-{}", c.status)>{c.status_label.clone()}</span></dd>
                <dt>"Verification code"</dt><dd><code>{c.code.clone()}</code></dd>
            </dl>
            <p>
                <a class="button" href=c.download_path.clone() download="" rel="external">
                    {format!("Download certificate {} (PDF)", c.number)}
                </a>
                " "
                <a href=c.verify_path.clone()>"Public verification page"</a>
            </p>
        </section>
    }
}
