//! `/verify` and `/verify/:code`: anyone checks a certificate by its verification code or by
//! its number and the holder's last name. Plain GET forms, so the page works without
//! JavaScript and a result can be bookmarked.

use crate::{
    api::certificates::{verify_certificate, Verification},
    components::{
        form::TextField,
        status::{set_status, ErrorPanel},
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// What the visitor asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
struct Query {
    code: String,
    number: String,
    last_name: String,
}

impl Query {
    fn is_empty(&self) -> bool {
        self.code.trim().is_empty()
            && self.number.trim().is_empty()
            && self.last_name.trim().is_empty()
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        let path_code = params.read().get("code");
        Query {
            code: path_code.or_else(|| q.get("code")).unwrap_or_default(),
            number: q.get("number").unwrap_or_default(),
            last_name: q.get("last_name").unwrap_or_default(),
        }
    };
    let data = Resource::new(asked, |q| async move {
        if q.is_empty() {
            return (q, None);
        }
        let found = verify_certificate(
            Some(q.code.clone()),
            Some(q.number.clone()),
            Some(q.last_name.clone()),
        )
        .await;
        (q, Some(found))
    });
    view! {
        <Title text="Verify a certificate"/>
        <h1>"Verify a certificate"</h1>
        <p class="lead">"Check that a CIT Academy certificate is genuine and whether it is still valid."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (q, found) = data.await;
                match found {
                    Some(Err(e @ AppError::TooManyRequests(_))) => view! { <ErrorPanel error=e/> }.into_any(),
                    Some(Err(AppError::Invalid { field, message })) => {
                        set_status(400);
                        let error = Signal::stored(Some(AppError::Invalid { field, message }));
                        view! { <Forms q error/> }.into_any()
                    }
                    Some(Err(e)) => view! { <ErrorPanel error=e/> }.into_any(),
                    Some(Ok(Some(v))) => view! { <Found v/><Forms q=Query::default() error=Signal::stored(None)/> }.into_any(),
                    Some(Ok(None)) => {
                        set_status(404);
                        view! { <NotFound by_code=!q.code.trim().is_empty()/><Forms q error=Signal::stored(None)/> }.into_any()
                    }
                    None => view! { <Forms q error=Signal::stored(None)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Found(v: Verification) -> impl IntoView {
    view! {
        <section class=format!("panel verification verification-{}", v.status) aria-labelledby="result-heading">
            <h2 id="result-heading">"Certificate found"</h2>
            <dl class="facts">
                <div><dt>"Status"</dt><dd><strong class=format!("status status-{}", v.status)>{v.status_text.clone()}</strong></dd></div>
                <div><dt>"Name"</dt><dd>{v.holder_name.clone()}</dd></div>
                <div><dt>"Credential"</dt><dd>{v.credential.clone()}</dd></div>
                <div><dt>"Course"</dt><dd>{v.course_title.clone()}</dd></div>
                <div><dt>"Certificate number"</dt><dd>{v.number.clone()}</dd></div>
                <div><dt>"Issued"</dt><dd>{v.issued_on.clone()}</dd></div>
                <div><dt>"Valid through"</dt><dd>{v.expires_on.clone().unwrap_or_else(|| "Does not expire".to_owned())}</dd></div>
            </dl>
            <p>
                "For software: "
                <a href=v.badge_path.clone() rel="external">"Open Badges 3.0 credential (JSON)"</a>
                " · "
                <a href=v.badge_jwt_path.clone() rel="external">"signed credential (JWT)"</a>
                " · "
                <a href="/.well-known/jwks.json" rel="external">"our public key"</a>
            </p>
        </section>
    }
}

#[component]
fn NotFound(by_code: bool) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="result-heading">
            <h2 id="result-heading">"Not found"</h2>
            <p>{if by_code {
                "No certificate has that verification code. Check the code and try again."
            } else {
                "No certificate matches that number and last name. Check both and try again."
            }}</p>
        </section>
    }
}

#[component]
fn Forms(q: Query, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="by-code-heading">
            <h2 id="by-code-heading">"By verification code"</h2>
            <form method="get" action="/verify">
                <TextField label="Verification code" name="code" value=q.code.clone() error=Signal::stored(None)
                    hint="16 letters and digits, printed under the QR code. Dashes, spaces and case do not matter."/>
                <button type="submit">"Verify"</button>
            </form>
        </section>
        <section class="panel" aria-labelledby="by-number-heading">
            <h2 id="by-number-heading">"By certificate number and last name"</h2>
            <form method="get" action="/verify">
                <TextField label="Certificate number" name="number" value=q.number.clone() error required=false
                    hint="As printed, for example CITC-2026-000123."/>
                <TextField label="Holder's last name" name="last_name" value=q.last_name.clone() error required=false autocomplete="off"/>
                <button type="submit">"Search"</button>
            </form>
        </section>
    }
}
