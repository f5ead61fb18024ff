//! `/admin/certificates` (every certificate, filtered by status and expiry, with the CSV) and
//! `/admin/certificates/:id` (one certificate: revoke with a reason, reissue under a new name).

use crate::{
    api::admin_certificates::{
        admin_certificate, admin_certificates, AdminCertificateRow, AdminCertificatesView,
        ReissueCertificate, RevokeCertificate,
    },
    components::{
        form::{last_error, FormMessage, SelectField, TextAreaField, TextField},
        paging::{order_params, KeepOrder, Pager, Paging, SortHeading},
        params::use_id_param,
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminCertificatesPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (q.get("status"), q.get("expires_before"), order_params(&q))
    };
    let data = Resource::new(filter, |(status, before, (sort, dir, page))| {
        admin_certificates(status, before, sort, dir, page)
    });
    view! {
        <Title text="Certificates"/>
        <h1>"Certificates"</h1>
        <p><a href="/admin/certificates/import">"Import certified coordinators from a CSV file"</a></p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (status, before, _) = filter();
                match data.await {
                    Ok(v) => view! { <FilterForm status=v.status.clone() before=v.expires_before.clone() order=Some(v.paging.clone()) error=Signal::stored(None)/><CertificateTable v/> }.into_any(),
                    Err(e @ AppError::Invalid { .. }) => view! {
                        <FilterForm status=status.unwrap_or_default() before=before.unwrap_or_default() order=None error=Signal::stored(Some(e))/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(
    status: String,
    before: String,
    order: Option<Paging>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let options = [
        ("", "Any status"),
        ("active", "Active"),
        ("expired", "Expired"),
        ("revoked", "Revoked"),
    ]
    .into_iter()
    .map(|(v, t)| (v.to_owned(), t.to_owned()))
    .collect();
    view! {
        <section class="panel" aria-labelledby="filter-heading">
            <h2 id="filter-heading">"Filter"</h2>
            <form method="get" action="/admin/certificates">
                <SelectField label="Status" name="status" options selected=status error/>
                <TextField label="Valid through a day before" name="expires_before" kind="date" value=before required=false error
                    hint="For example, the end of next quarter: certificates that expire before it."/>
                <KeepOrder paging=order/>
                <button type="submit">"Show"</button>
            </form>
        </section>
    }
}

#[component]
fn CertificateTable(v: AdminCertificatesView) -> impl IntoView {
    let paging = v.paging.clone();
    view! {
        <section class="panel" aria-labelledby="list-heading">
            <h2 id="list-heading">{format!("Certificates ({})", paging.total)}</h2>
            <p><a href=v.csv_path.clone() download="" rel="external">"Download this list (CSV)"</a></p>
            {if v.rows.is_empty() {
                view! { <p>"No certificate matches."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Certificates table">
                        <table>
                            <caption class="visually-hidden">"Certificates"</caption>
                            <thead><tr>
                                <SortHeading paging=paging.clone() key="number" label="Number"/>
                                <SortHeading paging=paging.clone() key="holder" label="Name and email"/>
                                <th scope="col">"Credential"</th>
                                <SortHeading paging=paging.clone() key="issued" label="Issued"/>
                                <SortHeading paging=paging.clone() key="expires" label="Valid through"/>
                                <SortHeading paging=paging.clone() key="status" label="Status"/>
                            </tr></thead>
                            <tbody>
                                {v.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row"><a href=format!("/admin/certificates/{}", r.id)>{r.number.clone()}</a></th>
                                        <td>{r.holder_name.clone()}<br/>{r.email.clone()}</td>
                                        <td>{r.credential.clone()}</td>
                                        <td>{r.issued_on.clone()}</td>
                                        <td>{r.expires_on.clone().unwrap_or_else(|| "Does not expire".to_owned())}</td>
                                        <td><span class=format!("status status-{}", r.status)>{r.status_label.clone()}</span></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <Pager paging/>
        </section>
    }
}

#[component]
pub fn AdminCertificatePage() -> impl IntoView {
    let id = use_id_param();
    let query = use_query_map();
    let revoke = ServerAction::<RevokeCertificate>::new();
    let reissue = ServerAction::<ReissueCertificate>::new();
    let data = Resource::new(
        move || (id(), revoke.version().get(), reissue.version().get()),
        |(id, _, _)| admin_certificate(id),
    );
    let revoke_error = last_error(revoke.value());
    let reissue_error = last_error(reissue.value());
    let done = move || {
        let q = query.read();
        if q.get("revoked").is_some() || matches!(revoke.value().get(), Some(Ok(()))) {
            Some("Certificate revoked.")
        } else if q.get("reissued").is_some() || matches!(reissue.value().get(), Some(Ok(()))) {
            Some("Certificate reissued; the holder is sent the new PDF.")
        } else {
            None
        }
    };
    view! {
        <Title text="Certificate"/>
        <p class="breadcrumb"><a href="/admin/certificates">"Certificates"</a></p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! {
                        {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
                        <Detail c=c.clone()/>
                        {(c.status != "revoked").then(|| view! {
                            <section class="panel" aria-labelledby="reissue-heading">
                                <h2 id="reissue-heading">"Reissue under a new name"</h2>
                                <p>"The number, code and dates stay; the holder is sent the new PDF. The change is audited."</p>
                                <ActionForm action=reissue>
                                    <input type="hidden" name="certificate_id" value=c.id/>
                                    <FormMessage error=reissue_error/>
                                    <TextField label="Name to print" name="holder_name" value=c.holder_name.clone() error=reissue_error/>
                                    <button type="submit">"Reissue the certificate"</button>
                                </ActionForm>
                            </section>
                            <section class="panel" aria-labelledby="revoke-heading">
                                <h2 id="revoke-heading">"Revoke"</h2>
                                <p>"The verification page will say it is revoked, from today; the membership ends. The reason is kept in the audit log, not shown to the public."</p>
                                <ActionForm action=revoke>
                                    <input type="hidden" name="certificate_id" value=c.id/>
                                    <FormMessage error=revoke_error/>
                                    <TextAreaField label="Reason" name="reason" rows=3 error=revoke_error/>
                                    <button type="submit" class="button-danger">"Revoke the certificate"</button>
                                </ActionForm>
                            </section>
                        })}
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(c: AdminCertificateRow) -> impl IntoView {
    view! {
        <h1>{format!("Certificate {}", c.number)}</h1>
        <dl class="facts">
            <div><dt>"Status"</dt><dd><strong class=format!("status status-{}", c.status)>{c.status_label.clone()}</strong></dd></div>
            <div><dt>"Name"</dt><dd>{c.holder_name.clone()}</dd></div>
            <div><dt>"Email"</dt><dd>{c.email.clone()}</dd></div>
            <div><dt>"Credential"</dt><dd>{c.credential.clone()}</dd></div>
            <div><dt>"Course"</dt><dd>{c.course_title.clone()}</dd></div>
            <div><dt>"Issued"</dt><dd>{c.issued_on.clone()}</dd></div>
            <div><dt>"Valid through"</dt><dd>{c.expires_on.clone().unwrap_or_else(|| "Does not expire".to_owned())}</dd></div>
            {c.revoked.clone().map(|r| view! { <div><dt>"Revoked"</dt><dd>{r}</dd></div> })}
        </dl>
        <p><a href=format!("/certificates/{}/certificate.pdf", c.id) download="" rel="external">"Download the PDF"</a></p>
    }
}
