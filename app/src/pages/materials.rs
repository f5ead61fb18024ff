//! Course materials: the page where a class's staff add and remove them
//! (`/teach/offerings/:id/materials`), and the "Class materials" section of the class page
//! for the people in the class.
//!
//! Files go up through a plain multipart form to the server's upload route, with or without
//! JavaScript; it redirects back here, with `?refused=<code>` when the file was refused.

use crate::{
    api::materials::{
        class_materials, materials_for_staff, AddMaterialLink, ClassMaterialsView, MaterialItem,
        RemoveMaterial, SessionChoice, StaffMaterialsView,
    },
    components::{
        form::{
            error_id, field_error, last_error, refused_error, FieldMessage, FormMessage, TextField,
        },
        status::ErrorPanel,
    },
    error::AppError,
    storage::accept::{Refusal, ACCEPT_ATTRIBUTE},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Staff: a class's materials, with forms to add a file or a link and to remove one.
#[component]
pub fn TeachMaterialsPage() -> impl IntoView {
    let params = use_params_map();
    let add_link = ServerAction::<AddMaterialLink>::new();
    let remove = ServerAction::<RemoveMaterial>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(
        move || (id(), add_link.version().get(), remove.version().get()),
        |(id, _, _)| materials_for_staff(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading materials…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Manager view add_link remove/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Manager(
    view: StaffMaterialsView,
    add_link: ServerAction<AddMaterialLink>,
    remove: ServerAction<RemoveMaterial>,
) -> impl IntoView {
    let query = use_query_map();
    // The upload route's refusal, from the redirect, shown like any other form error.
    let upload_error = refused_error::<Refusal>();
    let link_error = last_error(add_link.value());
    let remove_error = last_error(remove.value());
    let done = move || {
        let q = query.read();
        match (q.get("added").as_deref(), q.get("removed")) {
            (Some("file"), _) => Some("The file was added."),
            (Some(_), _) => Some("The link was added."),
            (None, Some(_)) => Some("The material was removed."),
            _ => None,
        }
    };
    let id = view.offering_id;
    let upload_to = format!("/teach/offerings/{id}/materials/upload");
    view! {
        <Title text=format!("Materials · {}", view.course_title)/>
        <p class="breadcrumb"><a href=format!("/teach/offerings/{id}")>{view.course_title.clone()}</a></p>
        <h1>"Class materials"</h1>
        <p class="lead">{view.course_title.clone()}" · "{view.when.clone()}</p>
        <p>"Handouts, slides and pre-reading. Only the people with a seat in this class and its instructors can open them, on "
            <a href=format!("/offerings/{id}")>"the class page"</a>"."</p>
        {move || done().map(|m| view! { <p class="form-success" role="status">{m}</p> })}
        <FormMessage error=remove_error/>
        <MaterialTable items=view.items.clone() remove/>

        <section class="panel" id="add-file" aria-labelledby="add-file-heading">
            <h2 id="add-file-heading">"Add a file"</h2>
            <form method="post" action=upload_to enctype="multipart/form-data" class="form" novalidate>
                <FormMessage error=upload_error/>
                <TextField label="Title" name="title" key="file" error=upload_error/>
                <SessionSelect key="file" sessions=view.sessions.clone() error=upload_error/>
                <FileField error=upload_error/>
                <button type="submit" class="button">"Upload the file"</button>
            </form>
        </section>

        <section class="panel" id="add-link" aria-labelledby="add-link-heading">
            <h2 id="add-link-heading">"Add a link"</h2>
            <ActionForm action=add_link attr:class="form" attr:novalidate=true>
                <FormMessage error=link_error/>
                <input type="hidden" name="offering_id" value=id/>
                <TextField label="Title" name="title" key="link" error=link_error/>
                <TextField label="Address" name="url" kind="url" hint="The full address, starting with https://" error=link_error/>
                <SessionSelect key="link" sessions=view.sessions error=link_error/>
                <button type="submit" class="button" disabled=move || add_link.pending().get()>"Add the link"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MaterialTable(items: Vec<MaterialItem>, remove: ServerAction<RemoveMaterial>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>"No materials yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption>"Materials of this class"</caption>
                <thead><tr>
                    <th scope="col">"Title"</th><th scope="col">"For"</th><th scope="col">"What"</th>
                    <th scope="col">"Added"</th><th scope="col">"Remove"</th>
                </tr></thead>
                <tbody>
                    {items.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row"><a href=m.href rel="external">{m.title.clone()}</a></th>
                            <td>{m.belongs_to}</td><td>{m.detail}</td><td>{m.added}</td>
                            <td>
                                <ActionForm action=remove>
                                    <input type="hidden" name="material_id" value=m.id/>
                                    <button type="submit" class="button-secondary">"Remove"<span class="visually-hidden">{format!(" {}", m.title)}</span></button>
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

/// Which part of the class a material belongs to. `key` keeps the two forms' fields apart.
#[component]
fn SessionSelect(
    key: &'static str,
    sessions: Vec<SessionChoice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = format!("meeting_id-{key}");
    let message = field_error(error, field.clone());
    let id = format!("field-{field}");
    let described = error_id(&field);
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>"For"</label>
            <select id=id name="meeting_id" aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| described.clone())>
                <option value="">"The whole class"</option>
                {sessions.into_iter().map(|s| view! { <option value=s.id>{s.label}</option> }).collect_view()}
            </select>
            <FieldMessage field message/>
        </div>
    }
}

/// The file input with its hint and error (course materials and library resources).
#[component]
pub fn FileField(error: Signal<Option<AppError>>) -> impl IntoView {
    let message = field_error(error, "file");
    let described = move || {
        if message.get().is_some() {
            format!("file-hint {}", error_id("file"))
        } else {
            "file-hint".to_owned()
        }
    };
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for="field-file">"File"</label>
            <p class="hint" id="file-hint">"PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG or plain text (.txt); at most 20 MB."</p>
            <input id="field-file" name="file" type="file" accept=ACCEPT_ATTRIBUTE
                aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=described/>
            <FieldMessage field="file" message/>
        </div>
    }
}

/// The "Class materials" section of a class page: shown to the people with a seat in the
/// class and to its staff, left out for everyone else (the server decides).
#[component]
pub fn ClassMaterials(offering_id: i64) -> impl IntoView {
    let data = Resource::new(move || offering_id, class_materials);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => view! { <ClassMaterialsSection view/> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClassMaterialsSection(view: ClassMaterialsView) -> impl IntoView {
    let manage = format!("/teach/offerings/{}/materials", view.offering_id);
    let empty = view.groups.is_empty();
    view! {
        <section class="panel" id="materials" aria-labelledby="materials-heading">
            <h2 id="materials-heading">"Class materials"</h2>
            {view.staff.then(|| view! { <p><a href=manage>"Add or remove materials"</a></p> })}
            {empty.then(|| view! { <p>"No materials yet. Handouts, slides and pre-reading will appear here."</p> })}
            {view.groups.into_iter().map(|g| view! {
                <h3>{g.heading}</h3>
                <ul>
                    {g.items.into_iter().map(|m| view! {
                        <li><a href=m.href rel="external">{m.title}</a>" "<span class="hint">{format!("({})", m.detail)}</span></li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
    }
}
