//! `/settings`: the signed-in person's name and agency, shipping address, preferred time zone
//! and password. Four forms, each working without JavaScript.

use crate::{
    api::account::{
        account_settings, AccountDetails, ChangePassword, UpdateProfile, UpdateShipping,
        UpdateTimeZone,
    },
    components::{
        form::{error_id, field_error, last_error, FieldMessage, FormMessage, TextField},
        layout::use_session,
        status::ErrorPanel,
    },
    domain::{
        account::{COMMON_TIME_ZONES, OTHER_TIME_ZONE},
        agency::AgencyType,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let user = session.user;
    // Created above the Suspense, so that their results survive a refetch of the session.
    let actions = SettingsActions {
        profile: ServerAction::new(),
        shipping: ServerAction::new(),
        zone: ServerAction::new(),
        password: ServerAction::new(),
    };
    // The header shows the name: reload the session once a new one is saved.
    Effect::new(move |_| {
        if matches!(actions.profile.value().get(), Some(Ok(()))) {
            session.user.refetch();
        }
    });
    view! {
        <Title text="Settings"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await.ok().flatten() {
                    Some(_) => view! { <Settings actions/> }.into_any(),
                    None => view! { <Redirect path="/signin"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct SettingsActions {
    profile: ServerAction<UpdateProfile>,
    shipping: ServerAction<UpdateShipping>,
    zone: ServerAction<UpdateTimeZone>,
    password: ServerAction<ChangePassword>,
}

#[component]
fn Settings(actions: SettingsActions) -> impl IntoView {
    let SettingsActions {
        profile,
        shipping,
        zone,
        password,
    } = actions;
    let details = Resource::new(
        move || {
            (
                profile.version().get(),
                shipping.version().get(),
                zone.version().get(),
            )
        },
        |_| account_settings(),
    );
    view! {
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(d) => view! {
                        <ProfileForm action=profile details=d.clone()/>
                        <ShippingForm action=shipping details=d.clone()/>
                        <TimeZoneForm action=zone current=d.time_zone/>
                        <PasswordForm action=password/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Saved." after a successful submission. Every form's server function redirects to
/// `/settings?saved=<form>`, as a page load without JavaScript and as a client-side navigation
/// with it, so the query says which form was saved last.
#[component]
fn Saved(form: &'static str) -> impl IntoView {
    let query = use_query_map();
    move || {
        (query.read().get("saved").as_deref() == Some(form))
            .then(|| view! { <p class="form-success" role="status">"Saved."</p> })
    }
}

/// A text input with a current value.
#[component]
fn ValueField(
    label: &'static str,
    name: &'static str,
    value: String,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] optional: bool,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_error(error, name);
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=format!("field-{name}")>{label}{optional.then_some(" (optional)")}</label>
            <input
                id=format!("field-{name}")
                name=name
                type="text"
                value=value
                required=!optional
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=move || message.get().map(|_| error_id(name))
            />
            <FieldMessage field=name message/>
        </div>
    }
}

#[component]
fn ProfileForm(action: ServerAction<UpdateProfile>, details: AccountDetails) -> impl IntoView {
    let error = last_error(action.value());
    let type_error = field_error(error, "agency_type");
    let verified = if details.email_verified {
        "verified"
    } else {
        "not verified yet: see your dashboard"
    };
    let current_type = details.agency_type.clone();
    view! {
        <section class="panel" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Your details"</h2>
            <p>"Email: "<strong>{details.email}</strong>" ("{verified}")"</p>
            <Saved form="profile"/>
            <ActionForm action attr:novalidate=true>
                <FormMessage error/>
                <ValueField label="Full name" name="name" value=details.name autocomplete="name" error/>
                <ValueField label="Agency" name="agency" value=details.agency autocomplete="organization" error/>
                <div class="field" class:has-error=move || type_error.get().is_some()>
                    <label for="field-agency_type">"Agency type"</label>
                    <select
                        id="field-agency_type"
                        name="agency_type"
                        aria-invalid=move || type_error.get().is_some().then_some("true")
                        aria-describedby=move || type_error.get().map(|_| error_id("agency_type"))
                    >
                        {AgencyType::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str() selected=t.as_str() == current_type>{t.label()}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage field="agency_type" message=type_error/>
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Save details"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ShippingForm(action: ServerAction<UpdateShipping>, details: AccountDetails) -> impl IntoView {
    let error = last_error(action.value());
    view! {
        <section class="panel" aria-labelledby="shipping-heading">
            <h2 id="shipping-heading">"Shipping address"</h2>
            <p class="hint">"Where we send printed material, such as the best-practice guide for new coordinators. Leave every field empty to remove it."</p>
            <Saved form="shipping"/>
            <ActionForm action attr:novalidate=true>
                <FormMessage error/>
                <ValueField label="Street address" name="street" value=details.street autocomplete="street-address" error/>
                <ValueField label="City" name="city" value=details.city autocomplete="address-level2" error/>
                <ValueField label="State or region" name="region" value=details.region autocomplete="address-level1" optional=true error/>
                <ValueField label="Postal code" name="postal_code" value=details.postal_code autocomplete="postal-code" error/>
                <ValueField label="Country" name="country" value=details.country autocomplete="country-name" error/>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Save address"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn TimeZoneForm(action: ServerAction<UpdateTimeZone>, current: String) -> impl IntoView {
    let error = last_error(action.value());
    let zone_error = field_error(error, "time_zone");
    let common = COMMON_TIME_ZONES.iter().any(|(z, _)| *z == current);
    let other = if !common && !current.is_empty() {
        current.clone()
    } else {
        String::new()
    };
    let is_other = !other.is_empty();
    view! {
        <section class="panel" aria-labelledby="zone-heading">
            <h2 id="zone-heading">"Time zone"</h2>
            <p class="hint">"Class times are shown in Mountain Time and in this zone."</p>
            <Saved form="time_zone"/>
            <ActionForm action attr:novalidate=true>
                <FormMessage error/>
                <div class="field" class:has-error=move || zone_error.get().is_some()>
                    <label for="field-time_zone">"Your time zone"</label>
                    <select
                        id="field-time_zone"
                        name="time_zone"
                        aria-invalid=move || zone_error.get().is_some().then_some("true")
                        aria-describedby=move || zone_error.get().map(|_| error_id("time_zone"))
                    >
                        <option value="" selected=current.is_empty()>"No preference"</option>
                        {COMMON_TIME_ZONES.into_iter().map(|(z, label)| view! {
                            <option value=z selected=z == current>{label}</option>
                        }).collect_view()}
                        <option value=OTHER_TIME_ZONE selected=is_other>"Other (type it below)"</option>
                    </select>
                    <FieldMessage field="time_zone" message=zone_error/>
                </div>
                <ValueField label="Other time zone, such as Europe/London" name="time_zone_other" value=other optional=true error/>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Save time zone"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let error = last_error(action.value());
    view! {
        <section class="panel" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <p class="hint">"Changing your password signs you out on every other device; you stay signed in here."</p>
            <Saved form="password"/>
            <ActionForm action attr:novalidate=true>
                <FormMessage error/>
                <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password" error/>
                <TextField label="New password" name="new_password" kind="password" autocomplete="new-password"
                    hint="8 to 128 characters. A phrase of several unrelated words is strong and easy to remember." error/>
                <TextField label="New password, again" name="new_password_confirm" kind="password" autocomplete="new-password" error/>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}
