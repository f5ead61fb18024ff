//! Error pages and the HTTP status that goes with them.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the response's status during server rendering; does nothing in the browser, where
/// there is no response.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A whole-page error: heading, message, a way on, and the right status code.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    // A finished test's page was answered with a redirect to its result (see
    // `api::exam::server::finished`); a status here would replace the redirect's.
    if !matches!(error, AppError::Finished { .. }) {
        set_status(error.status());
    }
    let heading = match &error {
        AppError::Unauthenticated => "Please sign in",
        AppError::Forbidden => "Not allowed",
        AppError::NotFound(_) => "Not found",
        AppError::TooManyRequests(_) => "Please wait",
        AppError::Finished { .. } => "This test is finished",
        _ => "Something went wrong",
    };
    let sign_in = matches!(error, AppError::Unauthenticated);
    let result = match &error {
        AppError::Finished { result, .. } => Some(result.clone()),
        _ => None,
    };
    view! {
        <section class="panel error-panel" aria-labelledby="error-heading">
            <h1 id="error-heading">{heading}</h1>
            <p>{error.to_string()}</p>
            <p>
                {sign_in.then(|| view! { <a class="button" href="/signin">"Sign in"</a>" " })}
                {result.map(|href| view! { <a class="button" href=href>"See your result"</a>" " })}
                <a href="/">"Go to the home page"</a>
            </p>
        </section>
    }
}
