//! `/reset-password/<token>`: choose a new password with the link from the email.

use crate::{
    api::account::{check_reset_link, LinkOutcome, ResetPassword},
    components::{
        form::{last_error, FormMessage, TextField},
        status::{set_status, ErrorPanel},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let check = Resource::new(token, check_reset_link);
    view! {
        <Title text="Choose a new password"/>
        <div class="narrow">
            <h1>"Choose a new password"</h1>
            <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(LinkOutcome::Valid) => view! { <ResetForm token=token()/> }.into_any(),
                        Ok(other) => {
                            set_status(if other == LinkOutcome::Unknown { 404 } else { 410 });
                            view! {
                                <div class="form-error" role="alert"><p>{problem(other)}</p></div>
                                <p><a class="button" href="/forgot-password">"Ask for a new link"</a></p>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

fn problem(outcome: LinkOutcome) -> &'static str {
    match outcome {
        LinkOutcome::Used => "This link has already been used. Each link works once.",
        LinkOutcome::Expired => "This link has expired: links work for one hour.",
        _ => "This link is not valid. Check that you opened the whole link from the email.",
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = last_error(action.value());
    // With JavaScript the page frame still holds the signed-out session it loaded; a full
    // load of the dashboard picks up the session the reset started.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/dashboard");
        }
    });
    view! {
        <p>"Setting a new password signs you out on every other device, and signs you in here."</p>
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="token" value=token/>
            <TextField label="New password" name="password" kind="password" autocomplete="new-password"
                hint="8 to 128 characters. A phrase of several unrelated words is strong and easy to remember." error/>
            <TextField label="New password, again" name="password_confirm" kind="password" autocomplete="new-password" error/>
            <button type="submit" class="button" disabled=move || action.pending().get()>"Set the new password"</button>
        </ActionForm>
    }
}
