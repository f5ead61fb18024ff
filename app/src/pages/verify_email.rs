//! The link in the verification email, and the dashboard's reminder while the address is
//! not verified yet.

use crate::{
    api::account::{
        account_settings, check_verify_link, ConfirmEmail, LinkOutcome, ResendVerification,
        VerifyLink,
    },
    components::{
        form::{last_error, FormMessage, TextField},
        status::{set_status, ErrorPanel},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/verify-email/<token>`: opening the link only looks at it; a button (and, outside the
/// account's own session, its password) confirms the address. See `api::account::confirm_email`.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let check = Resource::new(token, check_verify_link);
    view! {
        <Title text="Verify your email address"/>
        <div class="narrow">
            <h1>"Verify your email address"</h1>
            <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(link) if link.outcome == LinkOutcome::Valid => {
                            view! { <ConfirmForm token=token() link/> }.into_any()
                        }
                        Ok(link) => {
                            set_status(if link.outcome == LinkOutcome::Unknown { 404 } else { 410 });
                            view! {
                                <div class="form-error" role="alert"><p>{problem(link.outcome)}</p></div>
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

#[component]
fn ConfirmForm(token: String, link: VerifyLink) -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let error = last_error(action.value());
    // With JavaScript the page frame holds the session it loaded; a full load of the
    // dashboard picks up the one that confirming with the password started.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            let _ = window().location().set_href("/dashboard?verified=1");
        }
    });
    if link.needs_password && !link.has_password {
        return view! {
            <p>"This account has no password yet. Choose one on the “Forgot your password?” page: the link it sends confirms your address as well."</p>
            <p><a class="button" href="/forgot-password">"Choose a password"</a></p>
        }
        .into_any();
    }
    let ignore =
        "If you did not create an account at CIT Academy, close this page: nothing changes.";
    view! {
        {if link.needs_password {
            view! { <p>"To confirm that this address and the account are both yours, enter the account’s password. This signs you in."</p> }.into_any()
        } else {
            view! { <p>"Confirm that this email address is yours."</p> }.into_any()
        }}
        <ActionForm action attr:class="form" attr:novalidate=true>
            <FormMessage error/>
            <input type="hidden" name="token" value=token/>
            {link.needs_password.then(|| view! {
                <TextField label="Password" name="password" kind="password" autocomplete="current-password" error/>
            })}
            <button type="submit" class="button" disabled=move || action.pending().get()>"Confirm my email address"</button>
        </ActionForm>
        <p class="hint">{ignore}</p>
    }
    .into_any()
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
                let just_verified = !unverified && query.read().get("verified").as_deref() == Some("1");
                if just_verified {
                    return Some(view! {
                        <p class="form-success" role="status">"Thank you: your email address is verified."</p>
                    }.into_any());
                }
                unverified.then(|| view! {
                    <section class="notice" aria-labelledby="verify-heading">
                        <h2 id="verify-heading">"Please verify your email address"</h2>
                        <p>"We sent you an email with a link. Open it to confirm that this address is yours; the link works for 24 hours."</p>
                        <p>"Until then we keep your other messages from us (registrations, results, certificates) and send them once the address is confirmed."</p>
                        {move || sent().then(|| view! { <p class="form-success" role="status">"We have sent a new link. It may take a few minutes to arrive."</p> })}
                        {move || error.get().map(|e| view! { <div class="form-error" role="alert"><p>{e.to_string()}</p></div> })}
                        <ActionForm action=resend attr:class="inline-form">
                            <button type="submit" class="button-secondary">"Send the link again"</button>
                        </ActionForm>
                    </section>
                }.into_any())
            })}
        </Suspense>
    }
}
