//! Form helpers: messages next to fields, and a message for the whole form.

use crate::error::AppError;
use leptos::prelude::*;

/// The error of the last submission, if any, as a signal pages can read.
pub fn last_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// The error of the last plain (non-action) form posted to the server function at `path`
/// (a multipart upload, say), which the server put into the URL it sent the browser back to:
/// nothing else carries it.
pub fn url_error(path: &'static str) -> Signal<Option<AppError>> {
    let error = use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()));
    Signal::stored(error)
}

/// The message for one field, for `aria-describedby` and the text under the input.
pub fn field_error(
    error: Signal<Option<AppError>>,
    field: impl Into<String>,
) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || error.get().and_then(|e| e.field_message(&field)))
}

/// Why a plain upload form (multipart, posted to a server route) was refused: it travels back
/// in the redirect's address as a short code (`?refused=<code>`), so the page shows the same
/// message next to the same field with JavaScript on or off.
pub trait Refused: Copy + Send + Sync + 'static {
    fn parse_code(code: &str) -> Option<Self>;
    /// The field the message goes next to ("" for the whole form).
    fn field_name(self) -> &'static str;
    fn text(self) -> &'static str;
}

/// The refusal in the page's address (`?refused=<code>`), as a form error.
pub fn refused_error<R: Refused>() -> Signal<Option<AppError>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        let refusal = R::parse_code(&query.read().get("refused")?)?;
        Some(match refusal.field_name() {
            "" => AppError::Internal,
            field => AppError::invalid(field, refusal.text()),
        })
    })
}

/// Implements [`Refused`] for a type with `from_code`, `field` and `message`.
macro_rules! refused_by_code {
    ($($t:ty),*) => {$(
        impl Refused for $t {
            fn parse_code(code: &str) -> Option<Self> {
                <$t>::from_code(code)
            }
            fn field_name(self) -> &'static str {
                self.field()
            }
            fn text(self) -> &'static str {
                self.message()
            }
        }
    )*};
}

refused_by_code!(
    crate::storage::accept::Refusal,
    crate::api::resources::UploadRefusal,
    crate::domain::ce_record::CeRefusal
);

/// The id of a field's error message element.
pub fn error_id(field: &str) -> String {
    format!("{field}-error")
}

/// The message under a field; present in the page only when there is one.
#[component]
pub fn FieldMessage(#[prop(into)] field: String, message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <p class="field-error" id=error_id(&field)>
                    <span class="visually-hidden">"Error: "</span>
                    {m}
                </p>
            }
        })
    }
}

/// The message for the whole form (throttling, wrong credentials, server trouble).
#[component]
pub fn FormMessage(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.form_message()).map(|m| {
            view! {
                <div class="form-error" role="alert">
                    <p>{m}</p>
                </div>
            }
        })
    }
}

/// A labelled text input with its error. `kind` is the input type.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: &'static str,
    /// The current value, for edit forms.
    #[prop(optional, into)]
    value: String,
    #[prop(default = true)] required: bool,
    error: Signal<Option<AppError>>,
    /// For several forms of one kind on a page (one per session, say): the field's error is
    /// looked up as `{name}-{key}` and its id becomes `field-{name}-{key}`.
    #[prop(optional, into)]
    key: String,
    /// Overrides `label` where it must name the thing the form is about.
    #[prop(optional, into)]
    label_text: String,
) -> impl IntoView {
    let keyed = if key.is_empty() {
        name.to_owned()
    } else {
        format!("{name}-{key}")
    };
    let message = field_error(error, keyed.clone());
    let id = format!("field-{keyed}");
    let hint_id = format!("{keyed}-hint");
    let has_hint = !hint.is_empty();
    let label = if label_text.is_empty() {
        label.to_owned()
    } else {
        label_text
    };
    let error_key = keyed.clone();
    let described = move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{error_key}-hint"));
        }
        if message.get().is_some() {
            ids.push(error_id(&error_key));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {has_hint.then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
            />
            <FieldMessage field=keyed message/>
        </div>
    }
}

/// A labelled select with its error; `options` are (value, text), `selected` a value.
#[component]
pub fn SelectField(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_error(error, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| error_id(name))>
                {options.into_iter().map(|(value, text)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
            <FieldMessage field=name message/>
        </div>
    }
}

/// A labelled multi-line text field with its error.
#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(default = 6)] rows: u32,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_error(error, name);
    let id = format!("field-{name}");
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows=rows aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=move || message.get().map(|_| error_id(name))>{value}</textarea>
            <FieldMessage field=name message/>
        </div>
    }
}
