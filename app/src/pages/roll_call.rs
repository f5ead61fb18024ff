//! Instructors: the roll call of one session. Status, minutes and a note per person, with
//! "mark everyone not yet marked present", a make-up for a missed session, and a link to
//! import the video-meeting report. Works as one plain form without JavaScript.

use crate::{
    api::teach::{roll_call, MarkAllPresent, RecordMakeUp, RollCallView, RollEntry, SaveRollCall},
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage},
        status::ErrorPanel,
    },
    domain::attendance_rule::AttendanceStatus,
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RollCallPage() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SaveRollCall>::new();
    let all = ServerAction::<MarkAllPresent>::new();
    let make_up = ServerAction::<RecordMakeUp>::new();
    let id = crate::components::params::use_id_param();
    let data = Resource::new(
        move || {
            (
                id(),
                save.version().get(),
                all.version().get(),
                make_up.version().get(),
            )
        },
        |(id, _, _, _)| roll_call(id),
    );
    let saved = move || {
        query.read().get("saved").is_some()
            || [
                save.value().get().map(|r| r.is_ok()),
                all.value().get().map(|r| r.is_ok()),
                make_up.value().get().map(|r| r.is_ok()),
            ]
            .contains(&Some(true))
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! {
                        {move || saved().then(|| view! { <p class="form-success" role="status">"Saved."</p> })}
                        <RollCall v save all make_up/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RollCall(
    v: RollCallView,
    save: ServerAction<SaveRollCall>,
    all: ServerAction<MarkAllPresent>,
    make_up: ServerAction<RecordMakeUp>,
) -> impl IntoView {
    let save_error = last_error(save.value());
    let all_error = last_error(all.value());
    let make_up_error = last_error(make_up.value());
    let back = format!("/teach/offerings/{}", v.offering_id);
    let import = format!("/teach/meetings/{}/import", v.meeting_id);
    let meeting_id = v.meeting_id;
    let length = v.length_minutes;
    let empty = v.rows.is_empty();
    view! {
        <Title text=format!("Roll call · {}", v.course_title)/>
        <p class="breadcrumb"><a href=back>{v.course_title.clone()}</a></p>
        <h1>"Roll call"</h1>
        <p class="lead">{v.session.clone()}</p>
        <p>{format!("The session lasts {length} minutes. Leave minutes blank for the whole session (present) or none (excused, absent).")}</p>
        <p class="actions">
            <a class="button button-secondary" href=import>"Import the video-meeting report"</a>
        </p>
        {(!empty).then(|| view! {
            <ActionForm action=all attr:class="inline-form">
                <FormMessage error=all_error/>
                <input type="hidden" name="meeting_id" value=meeting_id/>
                <button type="submit" class="button-secondary">"Mark everyone not yet marked as present"</button>
            </ActionForm>
        })}
        {if empty {
            view! { <p>"Nobody has a confirmed seat in this class."</p> }.into_any()
        } else {
            let rows = v.rows.clone();
            view! {
                <ActionForm action=save attr:class="form" attr:novalidate=true>
                    <FormMessage error=save_error/>
                    <input type="hidden" name="meeting_id" value=meeting_id/>
                    <div class="table-wrap">
                        <table>
                            <caption>"Attendance for this session"</caption>
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Status"</th><th scope="col">"Minutes"</th>
                                <th scope="col">"Note"</th><th scope="col">"Recorded by"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().enumerate().map(|(i, r)| view! { <RollRow index=i row=r error=save_error length/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <button type="submit" class="button">"Save the roll call"</button>
                </ActionForm>
            }.into_any()
        }}
        <section class="panel" aria-labelledby="makeup-heading">
            <h2 id="makeup-heading">"Make-ups"</h2>
            <p>"A session someone missed can be made up another way (another class's session, a recorded session with a check-in). A make-up counts as attended for the test."</p>
            <FormMessage error=make_up_error/>
            <ul class="link-list">
                {v.rows.into_iter().map(|r| view! { <MakeUpForm meeting_id row=r action=make_up error=make_up_error/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn RollRow(
    index: usize,
    row: RollEntry,
    error: Signal<Option<AppError>>,
    length: i64,
) -> impl IntoView {
    let id = row.registration_id;
    let name = row.name.clone();
    let field = |f: &str| format!("rows[{index}][{f}]");
    let key = |f: &str| format!("{f}-{id}");
    let (status_msg, minutes_msg, note_msg) = (
        field_error(error, key("status")),
        field_error(error, key("minutes")),
        field_error(error, key("note")),
    );
    let described =
        |k: String, msg: Signal<Option<String>>| move || msg.get().map(|_| error_id(&k));
    view! {
        <tr>
            <th scope="row">
                {row.name.clone()}<br/><span class="hint">{row.email.clone()}</span>
                {(!row.checked_in.is_empty()).then(|| view! { <br/><span class="hint">{row.checked_in.clone()}</span> })}
                <input type="hidden" name=field("registration_id") value=id/>
            </th>
            <td>
                <label class="visually-hidden" for=format!("status-{id}")>{format!("Status of {name}")}</label>
                <select id=format!("status-{id}") name=field("status") aria-describedby=described(key("status"), status_msg)>
                    <option value="" selected=row.status.is_empty()>"Not marked"</option>
                    {AttendanceStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=row.status == s.as_str()>{s.label()}</option>
                    }).collect_view()}
                </select>
                <FieldMessage field=key("status") message=status_msg/>
            </td>
            <td>
                <label class="visually-hidden" for=format!("minutes-{id}")>{format!("Minutes attended by {name}")}</label>
                <input id=format!("minutes-{id}") name=field("minutes") type="number" min="0" max=length inputmode="numeric" size="4"
                    value=row.minutes.map(|m| m.to_string()).unwrap_or_default()
                    aria-invalid=move || minutes_msg.get().is_some().then_some("true")
                    aria-describedby=described(key("minutes"), minutes_msg)/>
                <FieldMessage field=key("minutes") message=minutes_msg/>
            </td>
            <td>
                <label class="visually-hidden" for=format!("note-{id}")>{format!("Note about {name}")}</label>
                <input id=format!("note-{id}") name=field("note") type="text" value=row.note.clone()
                    aria-describedby=described(key("note"), note_msg)/>
                <FieldMessage field=key("note") message=note_msg/>
            </td>
            <td>{row.recorded_by.clone()}{row.made_up.then_some(" · made up")}</td>
        </tr>
    }
}

#[component]
fn MakeUpForm(
    meeting_id: i64,
    row: RollEntry,
    action: ServerAction<RecordMakeUp>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = row.registration_id;
    let key = format!("makeup_note-{id}");
    let message = field_error(error, key.clone());
    let open = move || message.get().is_some();
    view! {
        <li>
            <details open=open>
                <summary>{format!("Make-up for {}", row.name)}{row.made_up.then_some(" (recorded)")}</summary>
                <ActionForm action attr:class="form">
                    <input type="hidden" name="meeting_id" value=meeting_id/>
                    <input type="hidden" name="registration_id" value=id/>
                    <div class="field">
                        <label for=format!("field-{key}")>{format!("How {} made up this session", row.name)}</label>
                        <input id=format!("field-{key}") name="note" type="text" value=row.note.clone()
                            aria-invalid=move || message.get().is_some().then_some("true")
                            aria-describedby=move || message.get().map(|_| error_id(&format!("makeup_note-{id}")))/>
                        <FieldMessage field=key.clone() message/>
                    </div>
                    <div class="field checkbox">
                        <input id=format!("made-up-{id}") name="made_up" type="checkbox" value="yes" checked=row.made_up/>
                        <label for=format!("made-up-{id}")>"Made up (counts as attended)"</label>
                    </div>
                    <button type="submit" class="button-secondary">{format!("Save make-up for {}", row.name)}</button>
                </ActionForm>
            </details>
        </li>
    }
}
