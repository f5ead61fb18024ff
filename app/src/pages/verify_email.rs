//! The link in the verification email, and the dashboard's reminder while the address is
//! not verified yet.

use crate::{
    api::account::{account_settings, verify_email, LinkOutcome, ResendVerification},
    components::{
        form::last_error,
        status::{set_status, ErrorPanel},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/verify-email/<token>`: opening the link verifies the address (once).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let params = use_params_map();
    let outcome = Resource::new(
        move || params.read().get("token").unwrap_or_default(),
        verify_email,
    );
    view! {
        <Title text="Verify your email address"/>
        <div class="narrow">
            <h1>"Verify your email address"</h1>
            <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    match outcome.await {
                        Ok(LinkOutcome::Valid) => view! {
                            <p class="form-success" role="status">"Thank you: your email address is verified."</p>
                            <p><a class="button" href="/dashboard">"Go to your dashboard"</a></p>
                        }.into_any(),
                        Ok(other) => {
                            set_status(if other == LinkOutcome::Unknown { 404 } else { 410 });
                            view! {
                                <div class="form-error" role="alert"><p>{problem(other)}</p></div>
                                <p>"Sign in and choose “Send the link again” on your dashboard to get a new link."</p>
                                <p><a class="button" href="/dashboard">"Go to your dashboard"</a></p>
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
        LinkOutcome::Expired => "This link has expired: links work for 24 hours.",
        _ => "This link is not valid. Check that you opened the whole link from the email.",
    }
}

/// Shown on the dashboard until the address is verified, with a form that sends a new link.
#[component]
pub fn VerifyEmailNotice() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let details = Resource::new(move || resend.version().get(), |_| account_settings());
    let error = last_error(resend.value());
    let query = use_query_map();
    let sent = move || {
        query.read().get("verification").as_deref() == Some("sent")
            || matches!(resend.value().get(), Some(Ok(())))
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let unverified = details.await.map(|d| !d.email_verified).unwrap_or(false);
                unverified.then(|| view! {
                    <section class="notice" aria-labelledby="verify-heading">
                        <h2 id="verify-heading">"Please verify your email address"</h2>
                        <p>"We sent you an email with a link. Open it to confirm that this address is yours; the link works for 24 hours."</p>
                        {move || sent().then(|| view! { <p class="form-success" role="status">"We have sent a new link. It may take a few minutes to arrive."</p> })}
                        {move || error.get().map(|e| view! { <div class="form-error" role="alert"><p>{e.to_string()}</p></div> })}
                        <ActionForm action=resend attr:class="inline-form">
                            <button type="submit" class="button-secondary">"Send the link again"</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}
