//! `/teach/meetings/:id/import`: an instructor uploads the Zoom or Teams participant report
//! of a session, sees who was found and what would change, matches the rest by hand, and
//! applies it. The upload is a plain multipart form (the same with JavaScript on or off);
//! applying is an `ActionForm`.

use crate::{
    api::attendance_import::{
        attendance_import_page, AppliedView, ApplyAttendanceImport, ImportPageView, PersonView,
        PreviewView, UploadAttendanceReport,
    },
    components::{
        form::{error_id, field_error, last_error, url_error, FieldMessage, FormMessage},
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

#[component]
pub fn AttendanceImportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let apply = ServerAction::<ApplyAttendanceImport>::new();
    let upload = url_error(UploadAttendanceReport::PATH);
    let page = Resource::new(
        move || {
            let query = query.read();
            let id = params.read().get("id").and_then(|v| v.parse::<i64>().ok());
            let applied = query.get("applied").and_then(|v| v.parse::<i64>().ok());
            (id.unwrap_or(0), query.get("draft"), applied)
        },
        |(id, draft, applied)| attendance_import_page(id, draft, applied),
    );
    view! {
        <Title text="Import attendance"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => view! { <ImportView view apply upload/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportView(
    view: ImportPageView,
    apply: ServerAction<ApplyAttendanceImport>,
    upload: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = view.meeting_id;
    let roll_call = format!("/teach/meetings/{id}");
    let again = view.preview.is_some() || view.applied.is_some();
    view! {
        <p class="breadcrumb"><a href=roll_call.clone()>"Roll call"</a></p>
        <h1>"Import attendance from a meeting report"</h1>
        <p class="lead">{view.course_title}" · "{view.session}</p>
        {view.applied.map(|a| view! { <Applied applied=a roll_call/> })}
        {view.draft_missing.then(|| view! {
            <div class="form-error" role="alert">
                <p>"This preview is no longer available: the report was applied already, or it was uploaded more than a day ago. Upload the file again to see a fresh preview."</p>
            </div>
        })}
        {view.preview.map(|p| view! { <Preview preview=p meeting_id=id apply/> })}
        <UploadForm meeting_id=id error=upload again/>
    }
}

#[component]
fn Applied(applied: AppliedView, roll_call: String) -> impl IntoView {
    let outcome = match applied.changed {
        0 => "No changes: this report matches what is recorded.".to_owned(),
        1 => "1 mark changed.".to_owned(),
        n => format!("{n} marks changed."),
    };
    view! {
        <div class="form-success" role="status">
            <p><strong>{outcome}</strong></p>
            <p>{format!("{}: {} people in the report.", applied.filename, applied.participants)}</p>
            <p><a href=roll_call>"Back to the roll call"</a></p>
        </div>
    }
}

#[component]
fn UploadForm(meeting_id: i64, error: Signal<Option<AppError>>, again: bool) -> impl IntoView {
    let message = field_error(error, "report");
    let described = move || {
        if message.get().is_some() {
            format!("report-hint {}", error_id("report"))
        } else {
            "report-hint".to_owned()
        }
    };
    view! {
        <section class="panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{if again { "Upload another report" } else { "Upload the participant report" }}</h2>
            <form class="form" method="post" action=UploadAttendanceReport::PATH enctype="multipart/form-data">
                <FormMessage error/>
                <input type="hidden" name="meeting_id" value=meeting_id/>
                <div class="field" class:has-error=move || message.get().is_some()>
                    <label for="field-report">"Participant report"</label>
                    <p class="hint" id="report-hint">
                        "Zoom: Reports › Usage › the meeting's Participants › Export (.csv). "
                        "Microsoft Teams: the meeting's Attendance tab › Download. At most 5 MB. "
                        "Nothing is saved until you have seen the preview and applied it."
                    </p>
                    <input id="field-report" type="file" name="report" accept=".csv,.txt,text/csv" required
                        aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=described/>
                    <FieldMessage field="report" message/>
                </div>
                <button type="submit" class="button">"Upload and preview"</button>
            </form>
        </section>
    }
}

#[component]
fn Preview(
    preview: PreviewView,
    meeting_id: i64,
    apply: ServerAction<ApplyAttendanceImport>,
) -> impl IntoView {
    let error = last_error(apply.value());
    let count = preview.people.len();
    let roll = preview.roll.clone();
    view! {
        <section class="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Preview: nothing is saved yet"</h2>
            <p>{format!("{} “{}”: {count} {} found. ", preview.source, preview.filename, if count == 1 { "person" } else { "people" })}
                "Minutes count only time inside the scheduled session, with reconnections and overlaps merged."</p>
            {preview.applied_before.map(|text| view! { <p class="notice" role="note">{text}</p> })}
            <ActionForm action=apply attr:class="form">
                <FormMessage error/>
                <input type="hidden" name="meeting_id" value=meeting_id/>
                <input type="hidden" name="draft" value=preview.draft/>
                <div class="table-wrap">
                    <table>
                        <caption>"People in the report"</caption>
                        <thead><tr>
                            <th scope="col">"Participant"</th><th scope="col">"In the report"</th><th scope="col">"On the roster"</th>
                            <th scope="col">"Recorded now"</th><th scope="col">"Change"</th>
                        </tr></thead>
                        <tbody>
                            {preview.people.into_iter().map(|p| view! { <PersonRow person=p roll=roll.clone() error/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h3>"On the roster, not found in the report by email"</h3>
                {if preview.unmatched_roll.is_empty() {
                    view! { <p>"Everyone on the roster was found in the report."</p> }.into_any()
                } else {
                    view! {
                        <p>"They are not changed, unless you match someone in the report to them above."</p>
                        <div class="table-wrap">
                            <table>
                                <caption>"On the roster, not in the report"</caption>
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Recorded now"</th></tr></thead>
                                <tbody>
                                    {preview.unmatched_roll.into_iter().map(|r| view! {
                                        <tr><th scope="row">{r.name}</th><td>{r.email}</td><td>{r.recorded}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
                <button type="submit" class="button">"Apply to the attendance record"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PersonRow(
    person: PersonView,
    roll: Vec<(i64, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let guest = person.guest.then_some(" (guest)");
    let email = if person.email.is_empty() {
        "No email".to_owned()
    } else {
        person.email
    };
    let cells = match person.matched {
        Some(m) => {
            let change = if m.changes {
                "Will change"
            } else {
                "No change"
            };
            view! {
                <td>{m.name}" (by email)"</td>
                <td>{m.recorded}</td>
                <td>{change}</td>
            }
            .into_any()
        }
        None => {
            let field = format!("matches-{}", person.key);
            let message = field_error(error, field.clone());
            let id = format!("match-{}", person.key);
            let described = error_id(&field);
            view! {
                <td>
                    <label for=id.clone() class="visually-hidden">{format!("Match {} to someone on the roster", person.name)}</label>
                    <select id=id name=format!("matches[{}]", person.key)
                        aria-invalid=move || message.get().is_some().then_some("true")
                        aria-describedby=move || message.get().map(|_| described.clone())>
                        <option value="">"—not in this class—"</option>
                        {roll.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
                    </select>
                    <FieldMessage field message/>
                </td>
                <td>"Not matched"</td>
                <td>"Only if matched"</td>
            }
            .into_any()
        }
    };
    view! {
        <tr>
            <th scope="row">{person.name}{guest}<br/><span class="hint">{email}</span></th>
            <td>{format!("{} · {} min", person.suggested, person.minutes)}</td>
            {cells}
        </tr>
    }
}
