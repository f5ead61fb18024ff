//! `/admin/resources`: administrators publish files, links and Markdown pages to the
//! certified-only library, and remove them. Files go up through a plain multipart form to the
//! server's upload route, which redirects back here (`?refused=<code>` when refused).

use crate::{
    api::resources::{
        admin_resources, AddResourceLink, AddResourcePage, AdminResourcesView, RemoveResource,
        ResourceItem, UploadRefusal,
    },
    components::{
        form::{
            error_id, field_error, last_error, refused_error, FieldMessage, FormMessage,
            TextAreaField, TextField,
        },
        paging::{order_params, Pager, Paging, SortHeading},
        status::ErrorPanel,
    },
    error::AppError,
    pages::materials::FileField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminResourcesPage() -> impl IntoView {
    let add_link = ServerAction::<AddResourceLink>::new();
    let add_page = ServerAction::<AddResourcePage>::new();
    let remove = ServerAction::<RemoveResource>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                add_link.version().get(),
                add_page.version().get(),
                remove.version().get(),
                order_params(&query.read()),
            )
        },
        |(_, _, _, (sort, dir, page))| admin_resources(sort, dir, page),
    );
    view! {
        <Title text="Resources"/>
        <p class="breadcrumb"><a href="/resources">"Resource library"</a></p>
        <h1>"Publish resources"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Manager view add_link add_page remove/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Manager(
    view: AdminResourcesView,
    add_link: ServerAction<AddResourceLink>,
    add_page: ServerAction<AddResourcePage>,
    remove: ServerAction<RemoveResource>,
) -> impl IntoView {
    let query = use_query_map();
    let upload_error = refused_error::<UploadRefusal>();
    let link_error = last_error(add_link.value());
    let page_error = last_error(add_page.value());
    let remove_error = last_error(remove.value());
    let done = move || {
        let q = query.read();
        match (q.get("added").as_deref(), q.get("removed")) {
            (Some("file"), _) => Some("The file was published."),
            (Some("link"), _) => Some("The link was published."),
            (Some(_), _) => Some("The page was published."),
            (None, Some(_)) => Some("The resource was removed."),
            _ => None,
        }
    };
    let (for_file, for_link, for_page) = (
        view.categories.clone(),
        view.categories.clone(),
        view.categories,
    );
    view! {
        <p>"Everything here is open to certified coordinators (active certificate) and staff only, on "<a href="/resources">"the library page"</a>"."</p>
        {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
        <FormMessage error=remove_error/>
        <ResourceTable items=view.items paging=view.paging.clone() remove/>
        <Pager paging=view.paging/>

        <section class="panel" id="add-file" aria-labelledby="add-file-heading">
            <h2 id="add-file-heading">"Publish a file"</h2>
            <form method="post" action="/admin/resources/upload" enctype="multipart/form-data" class="form" novalidate>
                <FormMessage error=upload_error/>
                <Describe key="file" categories=for_file error=upload_error/>
                <FileField error=upload_error/>
                <button type="submit" class="button">"Upload the file"</button>
            </form>
        </section>

        <section class="panel" id="add-link" aria-labelledby="add-link-heading">
            <h2 id="add-link-heading">"Publish a link"</h2>
            <ActionForm action=add_link attr:class="form" attr:novalidate=true>
                <FormMessage error=link_error/>
                <Describe key="link" categories=for_link error=link_error/>
                <TextField label="Address" name="url" kind="url" hint="The full address, starting with https://" error=link_error/>
                <button type="submit" class="button" disabled=move || add_link.pending().get()>"Publish the link"</button>
            </ActionForm>
        </section>

        <section class="panel" id="add-page" aria-labelledby="add-page-heading">
            <h2 id="add-page-heading">"Publish a page"</h2>
            <ActionForm action=add_page attr:class="form" attr:novalidate=true>
                <FormMessage error=page_error/>
                <Describe key="page" categories=for_page error=page_error/>
                <TextAreaField label="Text (Markdown)" name="body" rows=12 error=page_error/>
                <button type="submit" class="button" disabled=move || add_page.pending().get()>"Publish the page"</button>
            </ActionForm>
        </section>
    }
}

/// Title, category and summary: the same three fields on each form (`key` keeps them apart).
#[component]
fn Describe(
    key: &'static str,
    categories: Vec<(String, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = format!("category-{key}");
    let message = field_error(error, field.clone());
    let id = format!("field-{field}");
    let described = error_id(&field);
    view! {
        <TextField label="Title" name="title" key=key error/>
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>"Category"</label>
            <select id=id name="category" aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| described.clone())>
                <option value="">"Choose…"</option>
                {categories.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
            </select>
            <FieldMessage field message/>
        </div>
        <TextField label="Summary" name="summary" key=key required=false hint="One line shown in the list (optional)." error/>
    }
}

#[component]
fn ResourceTable(
    items: Vec<ResourceItem>,
    paging: Paging,
    remove: ServerAction<RemoveResource>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>"Nothing published yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Published resources">
            <table>
                <caption>"Published resources"</caption>
                <thead><tr>
                    <SortHeading paging=paging.clone() key="title" label="Title"/>
                    <SortHeading paging=paging.clone() key="category" label="Category"/>
                    <SortHeading paging=paging.clone() key="kind" label="What"/>
                    <SortHeading paging key="published" label="Published"/>
                    <th scope="col">"Remove"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row"><a href=r.href rel=r.external.then_some("external")>{r.title.clone()}</a></th>
                            <td>{r.category}</td><td>{r.detail}</td><td>{r.added}</td>
                            <td>
                                <ActionForm action=remove>
                                    <input type="hidden" name="resource_id" value=r.id/>
                                    <button type="submit" class="button-secondary">"Remove"<span class="visually-hidden">{format!(" {}", r.title)}</span></button>
                                </ActionForm>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
