//! "Forgot your password?": asks for the email and answers the same whether or not an account
//! has it.

use crate::{
    api::account::ForgotPassword,
    components::form::{last_error, FormMessage, TextField},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The answer, the same for every address.
pub const SENT: &str = "If an account exists for that address, we have sent a link to choose a new password. The link works for one hour. If nothing arrives within a few minutes, check your spam folder.";

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let error = last_error(action.value());
    let query = use_query_map();
    let sent =
        move || query.read().get("sent").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password?"/>
        <div class="narrow">
            <h1>"Forgot your password?"</h1>
            {move || sent().then(|| view! { <p class="form-success" role="status">{SENT}</p> })}
            <p>"Enter the email address of your account, and we will send you a link to choose a new password."</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <FormMessage error/>
                <TextField label="Email" name="email" kind="email" autocomplete="email" error/>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Send the link"</button>
            </ActionForm>
            <p><a href="/signin">"Back to sign in"</a></p>
        </div>
    }
}
