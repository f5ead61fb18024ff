//! `/certificates`: the signed-in person's certificates, each with its PDF and its public
//! verification page.

use crate::{
    api::{
        certificates::{my_certificates, CertificateItem},
        shipments::{my_guide, SetGuideAddress, Shipment},
    },
    components::{
        form::{last_error, FormMessage, TextAreaField},
        status::ErrorPanel,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let data = Resource::new(
        || (),
        |_| async {
            Ok::<_, crate::error::AppError>((my_certificates().await?, my_guide().await?))
        },
    );
    view! {
        <Title text="Your certificates"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((v, guide)) => view! {
                        <CertificateList items=v.items/>
                        {guide.map(|s| view! { <GuideSection s/> })}
                    }.into_any(),
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
                <div><dt>"Number"</dt><dd>{c.number.clone()}</dd></div>
                <div><dt>"Course"</dt><dd>{c.course_title.clone()}</dd></div>
                <div><dt>"Name on the certificate"</dt><dd>{c.holder_name.clone()}</dd></div>
                <div><dt>"Issued"</dt><dd>{c.issued_on.clone()}</dd></div>
                <div><dt>"Valid through"</dt><dd>{c.expires_on.clone().unwrap_or_else(|| "Does not expire".to_owned())}</dd></div>
                <div><dt>"Status"</dt><dd><span class=format!("status status-{}", c.status)>{c.status_label.clone()}</span></dd></div>
                <div><dt>"Verification code"</dt><dd><code>{c.code.clone()}</code></dd></div>
            </dl>
            {if c.status == "revoked" {
                view! { <p>"This certificate was revoked; it can no longer be downloaded. Its verification page says so."</p> }.into_any()
            } else {
                view! {
                    <p>
                        <a class="button" href=c.download_path.clone() download="" rel="external">
                            {format!("Download certificate {} (PDF)", c.number)}
                        </a>
                        " "
                        <a href=c.verify_path.clone()>"Public verification page"</a>
                    </p>
                    <p>
                        "For digital wallets and badge platforms: "
                        <a href=c.badge_path.clone() rel="external">{format!("Open Badges 3.0 credential for {} (JSON)", c.number)}</a>
                        " · "
                        <a href=c.badge_jwt_path.clone() rel="external">"signed (JWT)"</a>
                    </p>
                }.into_any()
            }}
        </section>
    }
}

/// The guide that comes with a first coordinator certificate: where it goes, and whether it
/// has shipped.
#[component]
fn GuideSection(s: Shipment) -> impl IntoView {
    let save = ServerAction::<SetGuideAddress>::new();
    let error = last_error(save.value());
    let query = leptos_router::hooks::use_query_map();
    let saved =
        move || query.read().get("address").is_some() || matches!(save.value().get(), Some(Ok(())));
    view! {
        <section class="panel" aria-labelledby="guide-heading">
            <h2 id="guide-heading">"Your best-practice guide"</h2>
            {match s.shipped.clone() {
                Some(text) => view! { <p>{text}"."</p> }.into_any(),
                None => view! {
                    <p>"Your first coordinator certificate comes with the printed best-practice guide. Tell us where to ship it."</p>
                    {move || saved().then(|| view! { <p class="form-success" role="status">"Address saved."</p> })}
                    <ActionForm action=save>
                        <FormMessage error/>
                        <TextAreaField label="Shipping address" name="address" rows=4 value=s.address.clone().unwrap_or_default() error/>
                        <button type="submit">"Save the address"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}
