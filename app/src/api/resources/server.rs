//! The resource area on the server: the gate, the library and its pages, downloads, and
//! publishing. Every reader goes through [`door_for`].

use super::{
    Closed, Gated, ResourceItem, ResourcePageView, UploadRefusal, SUMMARY_MESSAGE, TITLE_MESSAGE,
};
use crate::{
    db::{
        self,
        resources::{Content, NewResource, ResourceRecord},
        Db,
    },
    domain::{
        certificate::{issue_date, long_date},
        markdown::to_safe_html,
        resource::{door, Category, Door, CATEGORY_MESSAGE},
        time_display::describe_instant,
    },
    error::AppError,
    model::CurrentUser,
    state::AppState,
    storage::{
        accept::{self, Refusal},
        keep::{self, Download, UploadedFile},
    },
};
use chrono::{DateTime, Utc};

/// The longest Markdown page accepted.
pub const MAX_PAGE_CHARS: usize = 100_000;

/// Where `user` stands at the library's door at `now` (the organisation's calendar day).
pub async fn door_for(db: &Db, user: &CurrentUser, now: DateTime<Utc>) -> Result<Door, AppError> {
    let staff = user.role.is_staff();
    let held = if staff {
        Vec::new()
    } else {
        db::memberships::held(db, user.id).await?
    };
    Ok(door(
        staff,
        crate::domain::membership::standing(&held, issue_date(now)),
    ))
}

/// What a shut door says.
pub(super) fn closed(door: Door) -> Closed {
    match door {
        Door::Expired { last_valid } => Closed::Expired {
            last_valid: long_date(last_valid),
        },
        Door::Revoked => Closed::Revoked,
        _ => Closed::Uncertified,
    }
}

pub(super) fn categories() -> Vec<(String, String)> {
    Category::ALL
        .into_iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect()
}

pub(super) fn item(r: ResourceRecord) -> ResourceItem {
    let (href, external, detail) = match r.kind.as_str() {
        "file" => (
            format!("/resources/{}/open", r.id),
            true,
            keep::describe(&r.content_type, r.size_bytes),
        ),
        "link" => (
            format!("/resources/{}/open", r.id),
            true,
            format!("Link · {}", accept::link_host(&r.url)),
        ),
        _ => (format!("/resources/{}", r.id), false, "Page".to_owned()),
    };
    ResourceItem {
        id: r.id,
        category: r
            .category()
            .map(Category::label)
            .unwrap_or_default()
            .to_owned(),
        title: r.title,
        summary: r.summary,
        href,
        external,
        detail,
        added: describe_instant(r.added_at, chrono_tz::America::Denver),
    }
}

fn not_found() -> AppError {
    AppError::NotFound("We could not find that resource.".into())
}

/// A Markdown page for `user`, or why the library stays shut.
pub async fn page(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Gated<ResourcePageView>, AppError> {
    let door = door_for(db, user, now).await?;
    if !door.is_open() {
        tracing::info!(user_id = user.id, resource_id = id, "resource page refused");
        return Ok(Gated::Closed(closed(door)));
    }
    let r = db::resources::find(db, id)
        .await?
        .filter(|r| r.kind == "page")
        .ok_or_else(not_found)?;
    Ok(Gated::Open(ResourcePageView {
        category_label: r
            .category()
            .map(Category::label)
            .unwrap_or_default()
            .to_owned(),
        html: to_safe_html(&r.body),
        added: describe_instant(r.added_at, chrono_tz::America::Denver),
        title: r.title,
        summary: r.summary,
    }))
}

/// What `/resources/{id}/open` sends.
#[derive(Debug)]
pub enum Opened {
    File(Download),
    Link(String),
    /// A Markdown page: shown at `/resources/{id}`.
    Page(i64),
}

/// Opens resource `id` for `user`: `Forbidden` whenever the library is shut to them (whether
/// or not the resource exists, so a guessed address tells nothing), `NotFound` when it is
/// open but there is no such resource.
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    if !door_for(&state.db, user, now).await?.is_open() {
        tracing::info!(
            user_id = user.id,
            resource_id = id,
            "resource download refused"
        );
        return Err(AppError::Forbidden);
    }
    let r = db::resources::find(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    match r.kind.as_str() {
        "link" => Ok(Opened::Link(r.url)),
        "page" => Ok(Opened::Page(r.id)),
        _ => keep::fetch(
            state.storage.as_ref(),
            &r.storage_key,
            r.filename,
            r.content_type,
            "resource",
            not_found,
        )
        .await
        .map(Opened::File),
    }
}

/// A file as the upload form sent it.
#[derive(Debug, Default)]
pub struct Upload {
    pub title: String,
    pub category: String,
    pub summary: String,
    pub file: UploadedFile,
}

/// A title, category and summary as typed, checked.
fn describe(
    title: &str,
    category: &str,
    summary: &str,
) -> Result<(String, Category, String), UploadRefusal> {
    let title = accept::parse_title(title).map_err(|_| UploadRefusal::File(Refusal::Title))?;
    let category = Category::parse(category).ok_or(UploadRefusal::Category)?;
    let summary: String = summary.trim().chars().filter(|c| !c.is_control()).collect();
    if summary.chars().count() > 300 {
        return Err(UploadRefusal::Summary);
    }
    Ok((title, category, summary))
}

/// The same checks for the link and page forms, as field errors (`key` tells the forms apart).
fn describe_fields(
    key: &str,
    title: &str,
    category: &str,
    summary: &str,
) -> Result<(String, Category, String), AppError> {
    describe(title, category, summary).map_err(|refusal| {
        let (field, message) = match refusal {
            UploadRefusal::Category => ("category", CATEGORY_MESSAGE),
            UploadRefusal::Summary => ("summary", SUMMARY_MESSAGE),
            UploadRefusal::File(_) => ("title", TITLE_MESSAGE),
        };
        AppError::invalid(format!("{field}-{key}"), message)
    })
}

/// Checks and stores an uploaded file; the caller has checked that `actor` is an
/// administrator. On refusal nothing is stored.
pub async fn add_file(state: &AppState, actor: i64, upload: Upload) -> Result<i64, UploadRefusal> {
    let (title, category, summary) = describe(&upload.title, &upload.category, &upload.summary)?;
    let id = keep::store_then_insert(state.storage.as_ref(), &upload.file, "resource", |stored| {
        let (title, summary) = (&title, &summary);
        async move {
            let new = NewResource {
                category,
                title,
                summary,
                content: Content::File(stored.columns()),
            };
            db::resources::insert(&state.db, &new, actor, crate::clock::now()).await
        }
    })
    .await
    .map_err(UploadRefusal::File)?;
    tracing::info!(resource_id = id, "resource file added");
    Ok(id)
}

pub async fn add_link(
    db: &Db,
    actor: i64,
    title: &str,
    category: &str,
    summary: &str,
    url: &str,
) -> Result<i64, AppError> {
    let (title, category, summary) = describe_fields("link", title, category, summary)?;
    let url = accept::parse_link(url).map_err(|m| AppError::invalid("url", m))?;
    let new = NewResource {
        category,
        title: &title,
        summary: &summary,
        content: Content::Link { url: &url },
    };
    let id = db::resources::insert(db, &new, actor, crate::clock::now()).await?;
    tracing::info!(resource_id = id, "resource link added");
    Ok(id)
}

pub async fn add_page(
    db: &Db,
    actor: i64,
    title: &str,
    category: &str,
    summary: &str,
    body: &str,
) -> Result<i64, AppError> {
    let (title, category, summary) = describe_fields("page", title, category, summary)?;
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_PAGE_CHARS {
        return Err(AppError::invalid(
            "body",
            "Write the page's text in Markdown (at most 100,000 characters).",
        ));
    }
    let new = NewResource {
        category,
        title: &title,
        summary: &summary,
        content: Content::Page { markdown: body },
    };
    let id = db::resources::insert(db, &new, actor, crate::clock::now()).await?;
    tracing::info!(resource_id = id, "resource page added");
    Ok(id)
}

/// Removes a resource and then its file.
pub async fn remove(state: &AppState, actor: i64, id: i64) -> Result<(), AppError> {
    let removed = db::resources::delete(&state.db, id, actor, crate::clock::now())
        .await?
        .ok_or_else(|| AppError::NotFound("That resource was already removed.".into()))?;
    if removed.kind == "file" {
        keep::discard(state.storage.as_ref(), &removed.storage_key, "resource").await;
    }
    tracing::info!(resource_id = id, "resource removed");
    Ok(())
}
