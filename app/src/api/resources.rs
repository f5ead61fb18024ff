//! The certified-only resource area (`/resources`): the library for people behind the gate
//! (`domain::resource::door`), what everyone else is told instead, and the administrators'
//! tools to publish and remove resources. Files go up through a multipart form to the
//! server's own route and come down through `/resources/{id}/open`
//! (`server/src/resources.rs`), which call [`server::add_file`] and [`server::open`]: the gate
//! is checked on the server for every list, page and download.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One resource in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceItem {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub category: String,
    /// Pages open at `/resources/{id}`, files and links at `/resources/{id}/open`.
    pub href: String,
    /// Files and links leave the app (a download, another site); pages do not.
    pub external: bool,
    /// "PDF · 1.2 MB", "Link · cit.example" or "Page".
    pub detail: String,
    pub added: String,
}

/// Resources under one category heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    pub category: String,
    pub label: String,
    pub items: Vec<ResourceItem>,
}

/// Why the library stays shut, and what the person can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Closed {
    /// The coordinator certificate expired after this day ("June 18, 2029").
    Expired {
        last_valid: String,
    },
    Revoked,
    Uncertified,
}

/// What the gate let through: `T`, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gated<T> {
    Open(T),
    Closed(Closed),
}

/// The library as a person behind the gate sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryView {
    /// "Your certificate is valid through June 18, 2029." (None for staff).
    pub valid_through: Option<String>,
    pub admin: bool,
    /// The search as given, for the form.
    pub words: String,
    pub category: String,
    /// Only categories with matches.
    pub shelves: Vec<Shelf>,
    /// Every category: (value, label).
    pub categories: Vec<(String, String)>,
    pub paging: crate::components::paging::Paging,
}

/// A Markdown page of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePageView {
    pub title: String,
    pub category_label: String,
    pub summary: String,
    /// Rendered and sanitised.
    pub html: String,
    pub added: String,
}

/// The administrators' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminResourcesView {
    pub items: Vec<ResourceItem>,
    pub categories: Vec<(String, String)>,
    pub paging: crate::components::paging::Paging,
}

/// A page of the library, searched by `q` within `category` (both optional, from a GET
/// form), by category unless another order is asked for.
#[server(prefix = "/api", endpoint = "resource_library")]
pub async fn resource_library(
    q: Option<String>,
    category: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<Gated<LibraryView>, AppError> {
    use crate::components::paging::{parse_page, Sort};
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    list::library(
        &state.db,
        &user,
        q.as_deref(),
        category.as_deref(),
        Sort::parse(sort.as_deref(), dir.as_deref()),
        parse_page(page.as_deref()),
        crate::clock::now(),
    )
    .await
}

/// One Markdown page of the library.
#[server(prefix = "/api", endpoint = "resource_page")]
pub async fn resource_page(id: i64) -> Result<Gated<ResourcePageView>, AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    server::page(&state.db, &user, id, crate::clock::now()).await
}

/// A page of every resource, for administrators.
#[server(prefix = "/api", endpoint = "admin_resources")]
pub async fn admin_resources(
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<AdminResourcesView, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    list::admin_view(&state.db, sort, parse_page(page.as_deref())).await
}

/// Publishes an https link.
#[server(prefix = "/api", endpoint = "add_resource_link")]
pub async fn add_resource_link(
    title: String,
    category: String,
    summary: String,
    url: String,
) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    server::add_link(&state.db, user.id, &title, &category, &summary, &url).await?;
    leptos_axum::redirect("/admin/resources?added=link");
    Ok(())
}

/// Publishes a Markdown page.
#[server(prefix = "/api", endpoint = "add_resource_page")]
pub async fn add_resource_page(
    title: String,
    category: String,
    summary: String,
    body: String,
) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    server::add_page(&state.db, user.id, &title, &category, &summary, &body).await?;
    leptos_axum::redirect("/admin/resources?added=page");
    Ok(())
}

/// Removes a resource (and its stored file).
#[server(prefix = "/api", endpoint = "remove_resource")]
pub async fn remove_resource(resource_id: i64) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    server::remove(&state, user.id, resource_id).await?;
    leptos_axum::redirect("/admin/resources?removed=1");
    Ok(())
}

/// Why an uploaded resource file was refused. Travels in the redirect back to the form as a
/// short code, so the page shows the same message with JavaScript on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    Category,
    Summary,
    File(crate::storage::accept::Refusal),
}

impl UploadRefusal {
    pub fn code(self) -> &'static str {
        match self {
            UploadRefusal::Category => "category",
            UploadRefusal::Summary => "summary",
            UploadRefusal::File(r) => r.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "category" => Some(UploadRefusal::Category),
            "summary" => Some(UploadRefusal::Summary),
            other => crate::storage::accept::Refusal::from_code(other).map(UploadRefusal::File),
        }
    }

    /// The upload form's field the message goes next to ("" for the whole form).
    pub fn field(self) -> &'static str {
        match self {
            UploadRefusal::Category => "category-file",
            UploadRefusal::Summary => "summary-file",
            UploadRefusal::File(r) => r.field(),
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            UploadRefusal::Category => crate::domain::resource::CATEGORY_MESSAGE,
            UploadRefusal::Summary => SUMMARY_MESSAGE,
            UploadRefusal::File(crate::storage::accept::Refusal::Title) => TITLE_MESSAGE,
            UploadRefusal::File(r) => r.message(),
        }
    }
}

pub const TITLE_MESSAGE: &str = "Give the resource a title (at most 200 characters).";
pub const SUMMARY_MESSAGE: &str = "Keep the summary to one line (at most 300 characters).";

#[cfg(feature = "ssr")]
pub mod list;
#[cfg(feature = "ssr")]
pub mod server;
