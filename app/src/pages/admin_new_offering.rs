use crate::{
    api::{admin_registrations::CreateOffering, catalog::list_courses},
    components::{
        form::{last_error, FormMessage, SelectField, TextField},
        require_role::RequireRole,
    },
    domain::role::Role,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Administrators: schedule a class. The day and evening presets fill in the standard hours.
#[component]
pub fn AdminNewOfferingPage() -> impl IntoView {
    view! { <RequireRole role=Role::Admin><NewOfferingForm/></RequireRole> }
}

/// The scheduling form.
#[component]
fn NewOfferingForm() -> impl IntoView {
    let create = ServerAction::<CreateOffering>::new();
    let error = last_error(create.value());
    let courses = Resource::new(|| (), |_| list_courses());
    view! {
        <Title text="Schedule a class"/>
        <p class="breadcrumb"><a href="/admin/offerings">"Classes"</a></p>
        <h1>"Schedule a class"</h1>
        <ActionForm action=create attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <Suspense fallback=|| view! { <p>"Loading courses…"</p> }>
                {move || Suspend::new(async move {
                    let list = courses.await.unwrap_or_default();
                    view! {
                        <SelectField label="Course" name="course_code" error options=list.into_iter().map(|c| (c.code, c.title)).collect()/>
                    }
                })}
            </Suspense>
            <TextField label="First day" name="first_day" kind="date" error/>
            <TextField label="Number of consecutive days" name="days" kind="number" hint="Two for the standard courses." error/>
            <SelectField label="Class time" name="preset" error options=vec![
                ("day".into(), "Day class: 9:00 am-1:00 pm".into()),
                ("evening".into(), "Evening class: 4:00 pm-8:00 pm".into()),
                ("custom".into(), "Other times (below)".into()),
            ]/>
            <TextField label="Start time (other times only)" name="start_time" kind="time" required=false error/>
            <TextField label="End time (other times only)" name="end_time" kind="time" required=false error/>
            <SelectField label="Time zone of the class" name="zone" error options=vec![
                ("America/Denver".into(), "Mountain Time (America/Denver)".into()),
                ("America/Phoenix".into(), "Arizona (America/Phoenix)".into()),
                ("America/Chicago".into(), "Central Time (America/Chicago)".into()),
                ("America/New_York".into(), "Eastern Time (America/New_York)".into()),
                ("America/Los_Angeles".into(), "Pacific Time (America/Los_Angeles)".into()),
            ]/>
            <TextField label="Seats" name="capacity" kind="number" error/>
            <TextField label="Registration opens (blank: now)" name="opens_on" kind="date" required=false error/>
            <TextField label="Registration closes (blank: when the class starts)" name="closes_on" kind="date" required=false error/>
            <TextField label="Video-meeting link" name="meeting_url" kind="url" required=false error/>
            <button type="submit" class="button" disabled=move || create.pending().get()>"Schedule the class"</button>
        </ActionForm>
    }
}
