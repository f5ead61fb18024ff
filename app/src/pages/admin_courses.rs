use crate::{
    api::{
        admin_courses::SaveCourse,
        catalog::{get_course, list_courses},
    },
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage},
        status::ErrorPanel,
    },
    domain::catalog::{format_usd, CourseKind, Eligibility},
    error::AppError,
    model::CourseDetail,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Administrators: every course, with links to edit and to add one.
#[component]
pub fn AdminCoursesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_courses());
    view! {
        <Title text="Courses (administration)"/>
        <h1>"Course catalog"</h1>
        <p class="actions"><a class="button" href="/admin/courses/new">"Add a course"</a></p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(courses) => view! {
                        <ul class="card-list">
                            {courses.into_iter().map(|c| {
                                let edit = format!("/admin/courses/{}/edit", c.code);
                                let label = format!("Edit {}", c.title);
                                view! {
                                    <li class="card offering-row">
                                        <p><strong>{c.title.clone()}</strong>" · "{c.code.clone()}" · "{format_usd(c.fee_cents)}</p>
                                        <a href=edit aria-label=label>"Edit"</a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn AdminNewCoursePage() -> impl IntoView {
    view! {
        <Title text="Add a course"/>
        <p class="breadcrumb"><a href="/admin/courses">"Course catalog"</a></p>
        <h1>"Add a course"</h1>
        <CourseForm course=None/>
    }
}

#[component]
pub fn AdminEditCoursePage() -> impl IntoView {
    let params = use_params_map();
    let course = Resource::new(move || params.read().get("code").unwrap_or_default(), get_course);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(detail) => view! {
                        <Title text=format!("Edit {}", detail.course.title)/>
                        <p class="breadcrumb"><a href="/admin/courses">"Course catalog"</a></p>
                        <h1>{format!("Edit {}", detail.course.title)}</h1>
                        <CourseForm course=Some(detail)/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseForm(course: Option<CourseDetail>) -> impl IntoView {
    let save = ServerAction::<SaveCourse>::new();
    let error = last_error(save.value());
    let value = |f: fn(&CourseDetail) -> String| course.as_ref().map(f).unwrap_or_default();
    let original = value(|c| c.course.code.clone());
    let kind = value(|c| c.course.kind.clone());
    let eligibility = value(|c| c.course.eligibility.clone());
    let code = value(|c| c.course.code.clone());
    let title = value(|c| c.course.title.clone());
    let summary = value(|c| c.course.summary.clone());
    let description = value(|c| c.description.clone());
    let hours = value(|c| c.course.hours.to_string());
    let fee = value(|c| format_usd(c.course.fee_cents).trim_start_matches('$').replace(',', ""));
    let ce_hours = value(|c| c.ce_hours.to_string());
    let format = value(|c| c.course.format.clone());
    let topics = value(|c| c.topics.join("\n"));
    let membership = course.as_ref().map(|c| c.course.includes_membership).unwrap_or(false);
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="original_code" value=original/>
            <Input label="Code" name="code" value=code error/>
            <Input label="Title" name="title" value=title error/>
            <Choice label="Kind" name="kind" selected=kind error options=[CourseKind::Certification, CourseKind::Training, CourseKind::ContinuingEducation].into_iter().map(|k| (k.as_str(), k.label())).collect()/>
            <Input label="One-sentence summary" name="summary" value=summary error/>
            <Area label="Description (Markdown)" name="description" value=description rows=10 error/>
            <Input label="Hours of instruction" name="hours" value=hours error/>
            <Input label="Fee in dollars" name="fee" value=fee error/>
            <Choice label="Who may register" name="eligibility" selected=eligibility error options=vec![
                (Eligibility::Anyone.as_str(), "Anyone"),
                (Eligibility::CallCenterStaff.as_str(), "Employed by an emergency call center (an administrator confirms)"),
                (Eligibility::ActiveCoordinator.as_str(), "Holds an active coordinator certificate"),
            ]/>
            <Input label="Continuing-education hours earned (CE courses)" name="ce_hours" value=ce_hours error/>
            <div class="field">
                <label><input type="checkbox" name="includes_membership" value="on" checked=membership/>" Tuition includes membership"</label>
            </div>
            <Input label="Format" name="format" value=format error/>
            <Area label="Topics, one per line" name="topics" value=topics rows=12 error/>
            <button type="submit" class="button" disabled=move || save.pending().get()>"Save the course"</button>
        </ActionForm>
    }
}

#[component]
fn Input(label: &'static str, name: &'static str, value: String, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = field_error(error, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input id=id name=name type="text" value=value aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| error_id(name))/>
            <FieldMessage field=name message/>
        </div>
    }
}

#[component]
fn Area(label: &'static str, name: &'static str, value: String, rows: u32, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = field_error(error, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows=rows aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| error_id(name))>{value}</textarea>
            <FieldMessage field=name message/>
        </div>
    }
}

#[component]
fn Choice(label: &'static str, name: &'static str, selected: String, options: Vec<(&'static str, &'static str)>, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = field_error(error, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| error_id(name))>
                {options.into_iter().map(|(v, text)| view! { <option value=v selected=v == selected>{text}</option> }).collect_view()}
            </select>
            <FieldMessage field=name message/>
        </div>
    }
}
