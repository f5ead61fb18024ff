use crate::{
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage, TextField},
        layout::use_session,
    },
    domain::agency::AgencyType,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The answer to every accepted sign-up, whether or not the address already had an account,
/// so that the form does not tell who has one.
pub const SENT: &str = "We have sent a message to the address you gave. Open the link in it to verify your address, then sign in. If nothing arrives within a few minutes, check your spam folder.";

/// Create an account. Works as a plain form post; with JavaScript it stays on the page and
/// offers "Show password". Once sent, the page says to check the inbox (`?sent=1`).
#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        {move || if query.read().get("sent").is_some() { view! { <CheckInbox/> }.into_any() } else { view! { <SignUpForm/> }.into_any() }}
    }
}

/// What every accepted sign-up sees.
#[component]
fn CheckInbox() -> impl IntoView {
    view! {
        <Title text="Check your inbox"/>
        <div class="narrow">
            <h1>"Check your inbox"</h1>
            <p class="form-success" role="status">{SENT}</p>
            <p><a href="/signin">"Sign in"</a></p>
        </div>
    }
}

#[component]
fn SignUpForm() -> impl IntoView {
    let action = use_session().sign_up;
    let error = last_error(action.value());
    let password_error = field_error(error, "password");
    let type_error = field_error(error, "agency_type");
    let shown = RwSignal::new(false);
    let password_described = move || {
        let mut ids = vec!["password-hint".to_owned()];
        if password_error.get().is_some() {
            ids.push(error_id("password"));
        }
        ids.join(" ")
    };
    view! {
        <Title text="Create an account"/>
        <div class="narrow">
            <h1>"Create an account"</h1>
            <p>"Already have one? "<a href="/signin">"Sign in"</a>"."</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <TextField label="Full name" name="name" autocomplete="name" error/>
                <TextField label="Email" name="email" kind="email" autocomplete="email" error/>
                <div class="field" class:has-error=move || password_error.get().is_some()>
                    <label for="field-password">"Password"</label>
                    <p class="hint" id="password-hint">"8 to 128 characters. A phrase of several unrelated words is strong and easy to remember."</p>
                    <div class="password-row">
                        <input
                            id="field-password"
                            name="password"
                            type=move || if shown.get() { "text" } else { "password" }
                            required=true
                            minlength="8"
                            maxlength="128"
                            autocomplete="new-password"
                            aria-invalid=move || password_error.get().is_some().then_some("true")
                            aria-describedby=password_described
                        />
                        <button
                            type="button"
                            class="button-secondary button-small"
                            aria-controls="field-password"
                            aria-pressed=move || if shown.get() { "true" } else { "false" }
                            on:click=move |_| shown.update(|s| *s = !*s)
                        >
                            "Show password"
                        </button>
                    </div>
                    <FieldMessage field="password" message=password_error/>
                </div>
                <TextField label="Agency" name="agency" autocomplete="organization" hint="The department or organisation you work for." error/>
                <div class="field" class:has-error=move || type_error.get().is_some()>
                    <label for="field-agency_type">"Agency type"</label>
                    <select
                        id="field-agency_type"
                        name="agency_type"
                        required=true
                        aria-invalid=move || type_error.get().is_some().then_some("true")
                        aria-describedby=move || type_error.get().map(|_| error_id("agency_type"))
                    >
                        <option value="">"Choose one"</option>
                        {AgencyType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                    </select>
                    <FieldMessage field="agency_type" message=type_error/>
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Create account"</button>
            </ActionForm>
        </div>
    }
}
