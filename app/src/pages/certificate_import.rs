//! `/admin/certificates/import`: an administrator uploads a CSV of coordinators certified
//! before the platform, sees every row with its problems, and imports them all once there are
//! none. The upload is a plain multipart form (the same with JavaScript on or off); confirming
//! is an `ActionForm`.

use crate::{
    api::certificate_import::{
        certificate_import_page, CertificateImportView, ConfirmCertificateImport, ImportPreview,
        ImportRow, UploadCertificateImport,
    },
    components::{
        form::{last_error, url_error, FormMessage, TextField},
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

#[component]
pub fn CertificateImportPage() -> impl IntoView {
    let query = use_query_map();
    let confirm = ServerAction::<ConfirmCertificateImport>::new();
    let upload = url_error(UploadCertificateImport::PATH);
    let page = Resource::new(move || query.read().get("draft"), certificate_import_page);
    let imported = move || {
        let q = query.read();
        let count = |key: &str| q.get(key).and_then(|v| v.parse::<usize>().ok());
        count("imported").map(|n| {
            (
                n,
                count("created").unwrap_or(0),
                count("pending").unwrap_or(0),
            )
        })
    };
    view! {
        <Title text="Import certified coordinators"/>
        <p class="breadcrumb"><a href="/admin/certificates">"Certificates"</a></p>
        <h1>"Import certified coordinators"</h1>
        {move || imported().map(|(n, created, pending)| view! { <Done imported=n created pending/> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => view! { <ImportView view confirm upload/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Done(imported: usize, created: usize, pending: usize) -> impl IntoView {
    let certificates = if imported == 1 {
        "1 certificate imported.".to_owned()
    } else {
        format!("{imported} certificates imported.")
    };
    let accounts = match created {
        0 => "Every holder already had an account.".to_owned(),
        1 => "1 account was created: its holder sets a password with “Forgot your password?” on the sign-in page, using the email in the file.".to_owned(),
        n => format!("{n} accounts were created: their holders set a password with “Forgot your password?” on the sign-in page, using the email in the file."),
    };
    let waiting = match pending {
        0 => None,
        1 => Some("1 certificate waits for its account to verify its email address: it is attached when the address is verified.".to_owned()),
        n => Some(format!("{n} certificates wait for their accounts to verify their email addresses: each is attached when its address is verified.")),
    };
    view! {
        <div class="form-success" role="status">
            <p><strong>{certificates}</strong></p>
            <p>{accounts}</p>
            {waiting.map(|w| view! { <p>{w}</p> })}
            <p><a href="/admin/certificates">"See all certificates"</a></p>
        </div>
    }
}

#[component]
fn ImportView(
    view: CertificateImportView,
    confirm: ServerAction<ConfirmCertificateImport>,
    upload: Signal<Option<AppError>>,
) -> impl IntoView {
    let again = view.preview.is_some();
    view! {
        {view.draft_missing.then(|| view! {
            <div class="form-error" role="alert">
                <p>"This preview is no longer available: the file was imported already, or it was uploaded more than a day ago. Upload the file again to see a fresh preview."</p>
            </div>
        })}
        {view.preview.map(|p| view! { <Preview preview=p confirm/> })}
        <UploadForm error=upload again/>
    }
}

#[component]
fn UploadForm(error: Signal<Option<AppError>>, again: bool) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{if again { "Upload a corrected file" } else { "Upload the CSV file" }}</h2>
            <form class="form" method="post" action=UploadCertificateImport::PATH enctype="multipart/form-data">
                <FormMessage error/>
                <TextField label="CSV file" name="file" kind="file" error
                    hint="The first line names the columns name, email, number, issued and expires (in any order). Numbers look like CITC-2019-000042; dates like 2024-03-15 or 03/15/2024. At most 1 MB. Nothing is imported until you have seen the preview and confirmed it."/>
                <button type="submit" class="button">"Upload and preview"</button>
            </form>
        </section>
    }
}

#[component]
fn Preview(
    preview: ImportPreview,
    confirm: ServerAction<ConfirmCertificateImport>,
) -> impl IntoView {
    let error = last_error(confirm.value());
    let count = preview.rows.len();
    let rows = if count == 1 { "row" } else { "rows" };
    let summary = match preview.with_problems {
        0 => format!(
            "“{}”: {count} {rows}, none with a problem; {} new {}{}.",
            preview.filename,
            preview.new_accounts,
            if preview.new_accounts == 1 {
                "account"
            } else {
                "accounts"
            },
            match preview.pending {
                0 => String::new(),
                n => format!(
                    "; {n} for an account whose email is not verified (attached when it is)"
                ),
            }
        ),
        n => format!(
            "“{}”: {count} {rows}, {n} with {}.",
            preview.filename,
            if n == 1 { "a problem" } else { "problems" }
        ),
    };
    let ready = preview.with_problems == 0;
    view! {
        <section class="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Preview: nothing is imported yet"</h2>
            <p>{summary}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Rows in the file">
                <table>
                    <caption>"Rows in the file"</caption>
                    <thead><tr>
                        <th scope="col">"Line"</th><th scope="col">"Name and email"</th><th scope="col">"Number"</th>
                        <th scope="col">"Issued"</th><th scope="col">"Valid through"</th><th scope="col">"Account"</th>
                        <th scope="col">"Problems"</th>
                    </tr></thead>
                    <tbody>
                        {preview.rows.into_iter().map(|row| view! { <Row row/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {if ready {
                view! {
                    <p>"Existing accounts are matched by email; the others are created without a password. No email is sent, and no best-practice guide is queued: these people were certified before."</p>
                    <ActionForm action=confirm attr:class="form">
                        <FormMessage error/>
                        <input type="hidden" name="draft" value=preview.draft/>
                        <button type="submit" class="button">{format!("Import {count} {}", if count == 1 { "certificate" } else { "certificates" })}</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <FormMessage error/>
                    <p class="notice" role="note">"Nothing can be imported while any row has a problem: fix those rows in the file (or remove them) and upload it again."</p>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Row(row: ImportRow) -> impl IntoView {
    let or_unreadable = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    let valid_through = if row.status.is_empty() {
        or_unreadable(row.expires)
    } else {
        format!("{} ({})", row.expires, row.status)
    };
    let class = (!row.problems.is_empty()).then_some("import-problem");
    let problems = if row.problems.is_empty() {
        view! { "None" }.into_any()
    } else {
        view! {
            <ul class="problems">
                {row.problems.into_iter().map(|p| view! { <li><strong>"Problem: "</strong>{p}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <tr class=class>
            <td>{row.line}</td>
            <th scope="row">{or_unreadable(row.name)}<br/><span class="hint">{row.email}</span></th>
            <td class="nowrap">{row.number}</td>
            <td>{or_unreadable(row.issued)}</td>
            <td>{valid_through}</td>
            <td>{row.account}</td>
            <td>{problems}</td>
        </tr>
    }
}
