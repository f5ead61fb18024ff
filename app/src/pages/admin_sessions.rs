//! The "Sessions" part of an administrator's class page: move a session to another day or
//! time, add one (sessions need not be on consecutive days), or remove one that has not
//! started. Everyone registered is told, with a calendar file that updates their calendar.

use crate::{
    api::admin_meetings::{AddMeeting, MoveMeeting, RemoveMeeting},
    components::form::{field_error, last_error, FieldMessage, FormMessage, TextField},
    error::AppError,
    model::SessionView,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The actions the page refetches after.
#[derive(Clone, Copy)]
pub struct SessionActions {
    pub move_one: ServerAction<MoveMeeting>,
    pub add: ServerAction<AddMeeting>,
    pub remove: ServerAction<RemoveMeeting>,
}

impl SessionActions {
    pub fn new() -> Self {
        Self {
            move_one: ServerAction::new(),
            add: ServerAction::new(),
            remove: ServerAction::new(),
        }
    }

    /// Changes whenever any of them completes.
    pub fn version(&self) -> (usize, usize, usize) {
        (
            self.move_one.version().get(),
            self.add.version().get(),
            self.remove.version().get(),
        )
    }
}

impl Default for SessionActions {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn SessionsPanel(
    offering_id: i64,
    sessions: Vec<SessionView>,
    actions: SessionActions,
    /// Whether the class can still change (scheduled, not cancelled or completed).
    editable: bool,
) -> impl IntoView {
    let query = use_query_map();
    let move_error = last_error(actions.move_one.value());
    let add_error = last_error(actions.add.value());
    let remove_error = last_error(actions.remove.value());
    let done = move || {
        query.read().get("rescheduled").is_some()
            || [
                actions.move_one.value().get().map(|r| r.is_ok()),
                actions.add.value().get().map(|r| r.is_ok()),
                actions.remove.value().get().map(|r| r.is_ok()),
            ]
            .contains(&Some(true))
    };
    let count = sessions.len();
    view! {
        <section class="panel" id="sessions" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Sessions"</h2>
            {move || done().then(|| view! {
                <p class="form-success" role="status">"Saved. Everyone registered has been told, with an updated calendar file."</p>
            })}
            <FormMessage error=move_error/>
            <FormMessage error=remove_error/>
            <ol class="sessions">
                {sessions.into_iter().enumerate().map(|(i, s)| {
                    let number = i + 1;
                    let key = s.id.to_string();
                    let changeable = editable && !s.started;
                    // Keeps the form open while it shows this session's errors.
                    let keys = ["day", "start", "end", "meeting_id"].map(|f| format!("{f}-{key}"));
                    let mine = move || {
                        let any = |e: Option<AppError>| e.is_some_and(|e| keys.iter().any(|k| e.field_message(k).is_some()));
                        any(move_error.get()) || any(remove_error.get())
                    };
                    let general = field_error(
                        Signal::derive(move || move_error.get().or(remove_error.get())),
                        format!("meeting_id-{key}"),
                    );
                    view! {
                        <li>
                            <p><strong>{format!("Session {number}: ")}</strong>{s.label.clone()}
                                {s.started.then_some(" (started: it can no longer be changed)")}</p>
                            {changeable.then(|| view! {
                                <details open=mine>
                                    <summary>{format!("Move or remove session {number}")}</summary>
                                    <FieldMessage field=format!("meeting_id-{}", s.id) message=general/>
                                    <ActionForm action=actions.move_one attr:class="form form-inline">
                                        <input type="hidden" name="offering_id" value=offering_id/>
                                        <input type="hidden" name="meeting_id" value=s.id/>
                                        <TextField label="Day" label_text=format!("Session {number} day") name="day" kind="date" value=s.day.clone() key=key.clone() error=move_error/>
                                        <TextField label="Starts" label_text=format!("Session {number} starts") name="start" kind="time" value=s.start.clone() key=key.clone() error=move_error/>
                                        <TextField label="Ends" label_text=format!("Session {number} ends") name="end" kind="time" value=s.end.clone() key=key.clone() error=move_error/>
                                        <button type="submit" class="button">{format!("Move session {number}")}</button>
                                    </ActionForm>
                                    {(count > 1).then(|| view! {
                                        <ActionForm action=actions.remove attr:class="form">
                                            <input type="hidden" name="offering_id" value=offering_id/>
                                            <input type="hidden" name="meeting_id" value=s.id/>
                                            <button type="submit" class="button-secondary">{format!("Remove session {number}")}</button>
                                        </ActionForm>
                                    })}
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {editable.then(|| view! {
                <h3>"Add a session"</h3>
                <p class="hint">"Times are in the class's time zone. Sessions may be on any days; they must not overlap."</p>
                <ActionForm action=actions.add attr:class="form form-inline">
                    <FormMessage error=add_error/>
                    <input type="hidden" name="offering_id" value=offering_id/>
                    <TextField label="Day" label_text="New session day" name="day" kind="date" key="new" error=add_error/>
                    <TextField label="Starts" label_text="New session starts" name="start" kind="time" key="new" error=add_error/>
                    <TextField label="Ends" label_text="New session ends" name="end" kind="time" key="new" error=add_error/>
                    <button type="submit" class="button">"Add the session"</button>
                </ActionForm>
            })}
        </section>
    }
}
