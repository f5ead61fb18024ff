use crate::error::AppError;
use crate::{
    api::{
        admin_courses::{course_topics, SaveCourse},
        catalog::{get_course, list_courses},
    },
    components::{
        form::{
            error_id, field_error, last_error, FieldMessage, FormMessage, SelectField,
            TextAreaField, TextField,
        },
        require_role::RequireRole,
        status::ErrorPanel,
    },
    domain::{
        catalog::{format_usd, CourseKind, Eligibility},
        course_topics::{row_field, StoredTopic, TopicStatus, NEW_TOPICS},
        role::Role,
    },
    model::CourseDetail,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Administrators: every course, with links to edit and to add one.
#[component]
pub fn AdminCoursesPage() -> impl IntoView {
    view! { <RequireRole role=Role::Admin><CourseList/></RequireRole> }
}

/// The list itself (the catalog is public; the page is for administrators).
#[component]
fn CourseList() -> impl IntoView {
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
                                let test = format!("/admin/courses/{}/test", c.code);
                                let bank = format!("/teach/bank/{}", c.code);
                                view! {
                                    <li class="card offering-row">
                                        <p><strong>{c.title.clone()}</strong>" · "{c.code.clone()}" · "{format_usd(c.fee_cents)}</p>
                                        <p>
                                            <a href=edit aria-label=label>"Edit"</a>" · "
                                            <a href=test aria-label=format!("Test settings for {}", c.title)>"Test settings"</a>" · "
                                            <a href=bank aria-label=format!("Question bank for {}", c.title)>"Question bank"</a>" · "
                                            <a href=format!("/teach/courses/{}/evaluations", c.code) aria-label=format!("Evaluations of {}", c.title)>"Evaluations"</a>
                                        </p>
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
    view! { <RequireRole role=Role::Admin><NewCourse/></RequireRole> }
}

/// The empty course form.
#[component]
fn NewCourse() -> impl IntoView {
    view! {
        <Title text="Add a course"/>
        <p class="breadcrumb"><a href="/admin/courses">"Course catalog"</a></p>
        <h1>"Add a course"</h1>
        <CourseForm course=None topics=Vec::new()/>
    }
}

#[component]
pub fn AdminEditCoursePage() -> impl IntoView {
    view! { <RequireRole role=Role::Admin><EditCourse/></RequireRole> }
}

/// The form filled in with the course named in the address.
#[component]
fn EditCourse() -> impl IntoView {
    let params = use_params_map();
    let course = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        get_course,
    );
    let topics = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        course_topics,
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (course.await, topics.await) {
                    (Ok(detail), Ok(topics)) => view! {
                        <Title text=format!("Edit {}", detail.course.title)/>
                        <p class="breadcrumb"><a href="/admin/courses">"Course catalog"</a></p>
                        <h1>{format!("Edit {}", detail.course.title)}</h1>
                        <CourseForm course=Some(detail) topics/>
                    }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseForm(course: Option<CourseDetail>, topics: Vec<StoredTopic>) -> impl IntoView {
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
    let fee = value(|c| {
        format_usd(c.course.fee_cents)
            .trim_start_matches('$')
            .replace(',', "")
    });
    let ce_hours = value(|c| c.ce_hours.to_string());
    let threshold = value(|c| c.attendance_rule.threshold_percent.to_string());
    let excused = course
        .as_ref()
        .map(|c| c.attendance_rule.excused_counts)
        .unwrap_or(false);
    let format = value(|c| c.course.format.clone());
    let new_rows = if topics.is_empty() { 12 } else { 3 };
    let new_label = if topics.is_empty() {
        "Topics, one per line"
    } else {
        "Add topics, one per line"
    };
    let membership = course
        .as_ref()
        .map(|c| c.course.includes_membership)
        .unwrap_or(false);
    view! {
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="original_code" value=original/>
            <TextField label="Code" name="code" value=code error/>
            <TextField label="Title" name="title" value=title error/>
            <SelectField label="Kind" name="kind" selected=kind error options=[CourseKind::Certification, CourseKind::Training, CourseKind::ContinuingEducation].into_iter().map(|k| (k.as_str().to_owned(), k.label().to_owned())).collect()/>
            <TextField label="One-sentence summary" name="summary" value=summary error/>
            <TextAreaField label="Description (Markdown)" name="description" value=description rows=10 error/>
            <TextField label="Hours of instruction" name="hours" value=hours error/>
            <TextField label="Fee in dollars" name="fee" value=fee error/>
            <SelectField label="Who may register" name="eligibility" selected=eligibility error options=vec![
                (Eligibility::Anyone.as_str().to_owned(), "Anyone".to_owned()),
                (Eligibility::CallCenterStaff.as_str().to_owned(), "Employed by an emergency call center (an administrator confirms)".to_owned()),
                (Eligibility::ActiveCoordinator.as_str().to_owned(), "Holds an active coordinator certificate".to_owned()),
            ]/>
            <TextField label="Continuing-education hours earned (CE courses)" name="ce_hours" value=ce_hours required=false error/>
            <div class="field">
                <label><input type="checkbox" name="includes_membership" value="on" checked=membership/>" Tuition includes membership"</label>
            </div>
            <TextField label="Attendance needed to sit the test (% of each session)" name="attendance_threshold" kind="number" value=threshold required=false hint="Blank: 90." error/>
            <div class="field">
                <label><input type="checkbox" name="excused_counts" value="on" checked=excused/>" An excused absence counts as attended"</label>
            </div>
            <TextField label="Format" name="format" value=format error/>
            <fieldset class="topics">
                <legend>"Topics"</legend>
                {(!topics.is_empty()).then(|| view! {
                    <p class="hint">"A topic keeps its identity for life: questions, the test and past attempts point at it. Rename or move it here; retire it to stop offering it for new questions and tests. Only a topic nothing uses can be deleted."</p>
                })}
                {topics.into_iter().enumerate().map(|(i, t)| view! { <TopicRow i topic=t error/> }).collect_view()}
                <TextAreaField label=new_label name=NEW_TOPICS rows=new_rows error/>
            </fieldset>
            <button type="submit" class="button" disabled=move || save.pending().get()>"Save the course"</button>
        </ActionForm>
    }
}

/// One existing topic of the course form: its title, place and state, posted as
/// `topics[i][...]`, each with its message.
#[component]
fn TopicRow(i: usize, topic: StoredTopic, error: Signal<Option<AppError>>) -> impl IntoView {
    let field = move |part: &str| row_field(i, part);
    let id = move |part: &str| format!("topic-{i}-{part}");
    let title_message = field_error(error, field("title"));
    let position_message = field_error(error, field("position"));
    let state_message = field_error(error, field("state"));
    let described = move |message: Signal<Option<String>>, part: &'static str| {
        move || message.get().map(|_| error_id(&field(part)))
    };
    let legend = match topic.status {
        TopicStatus::Active => format!("Topic {}: {}", topic.position, topic.title),
        TopicStatus::Retired => format!("Topic {}: {} (retired)", topic.position, topic.title),
    };
    let uses = match (topic.questions, topic.drawn) {
        (0, 0) => "Nothing uses this topic yet.".to_owned(),
        (q, 0) => format!("{q} question version(s) use it: it can be retired, not deleted."),
        (q, d) => format!(
            "{q} question version(s) use it and the test draws {d} from it: it can be retired, not deleted."
        ),
    };
    let state = topic.status.as_str();
    view! {
        <fieldset class="topic-row">
            <legend>{legend}</legend>
            <input type="hidden" name=field("id") value=topic.id.to_string()/>
            <p class="hint">{uses}</p>
            <div class="field" class:has-error=move || title_message.get().is_some()>
                <label for=id("title")>"Title"</label>
                <input id=id("title") name=field("title") type="text" value=topic.title.clone() required=true
                    aria-invalid=move || title_message.get().is_some().then_some("true")
                    aria-describedby=described(title_message, "title")/>
                <FieldMessage field=field("title") message=title_message/>
            </div>
            <div class="field" class:has-error=move || position_message.get().is_some()>
                <label for=id("position")>"Place in the list"</label>
                <input id=id("position") name=field("position") type="number" min="1" value=topic.position.to_string()
                    aria-invalid=move || position_message.get().is_some().then_some("true")
                    aria-describedby=described(position_message, "position")/>
                <FieldMessage field=field("position") message=position_message/>
            </div>
            <div class="field" class:has-error=move || state_message.get().is_some()>
                <label for=id("state")>"State"</label>
                <select id=id("state") name=field("state")
                    aria-invalid=move || state_message.get().is_some().then_some("true")
                    aria-describedby=described(state_message, "state")>
                    <option value="active" selected={state == "active"}>"Active: offered for new questions and tests"</option>
                    <option value="retired" selected={state == "retired"}>"Retired: kept for history, offered for nothing new"</option>
                    <option value="delete">"Delete (only when nothing uses it)"</option>
                </select>
                <FieldMessage field=field("state") message=state_message/>
            </div>
        </fieldset>
    }
}
