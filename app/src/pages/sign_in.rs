use crate::components::{
    form::{last_error, FormMessage, TextField},
    layout::use_session,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = use_session().sign_in;
    let error = last_error(action.value());
    view! {
        <Title text="Sign in"/>
        <div class="narrow">
            <h1>"Sign in"</h1>
            <p>"New here? "<a href="/signup">"Create an account"</a>"."</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <TextField label="Email" name="email" kind="email" autocomplete="username" error/>
                <TextField label="Password" name="password" kind="password" autocomplete="current-password" error/>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p><a href="/forgot-password">"Forgot your password?"</a></p>
        </div>
    }
}
