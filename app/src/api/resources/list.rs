//! The library's list and the administrators' list of resources: searched, sorted by a
//! chosen column, fifty a page. Sorted by category, the library stands on shelves.

use super::{
    server::{categories, closed, door_for, item},
    AdminResourcesView, Gated, LibraryView, Shelf,
};
use crate::{
    components::paging::{Paging, Sort},
    db::{
        self,
        resources::{ResourceRecord, ResourceSort},
        Db,
    },
    domain::{certificate::long_date, resource::Category, resource::Door},
    error::AppError,
    model::CurrentUser,
};
use chrono::{DateTime, Utc};

/// A page of the resources `words` and `category` find, in `sort` order, at `path`.
async fn page_of(
    db: &Db,
    path: &str,
    words: &str,
    category: Option<Category>,
    sort: Sort<ResourceSort>,
    page: u64,
) -> Result<(Vec<ResourceRecord>, Paging), AppError> {
    let total = db::resources::count(db, words, category).await?;
    let filters = vec![
        ("q".to_owned(), words.to_owned()),
        (
            "category".to_owned(),
            category
                .map(Category::as_str)
                .unwrap_or_default()
                .to_owned(),
        ),
    ];
    let paging = Paging::new(path, filters, page, sort, u64::try_from(total).unwrap_or(0));
    let (limit, offset) = paging.window();
    let records = db::resources::search(db, words, category, sort, limit, offset).await?;
    Ok((records, paging))
}

/// One shelf per category, in the page's order, when sorted by category; otherwise one
/// shelf of everything in the order asked for.
pub fn shelve(records: Vec<ResourceRecord>, by_category: bool) -> Vec<Shelf> {
    let mut shelves: Vec<Shelf> = Vec::new();
    for r in records {
        let category = if by_category { r.category() } else { None };
        let key = category.map(Category::as_str).unwrap_or("all");
        match shelves.last_mut() {
            Some(shelf) if shelf.category == key => shelf.items.push(item(r)),
            _ => shelves.push(Shelf {
                category: key.to_owned(),
                label: category
                    .map(Category::label)
                    .unwrap_or("All resources")
                    .to_owned(),
                items: vec![item(r)],
            }),
        }
    }
    shelves
}

/// The library for `user`, searched and sorted, or why it stays shut.
pub async fn library(
    db: &Db,
    user: &CurrentUser,
    words: Option<&str>,
    category: Option<&str>,
    sort: Sort<ResourceSort>,
    page: u64,
    now: DateTime<Utc>,
) -> Result<Gated<LibraryView>, AppError> {
    let door = door_for(db, user, now).await?;
    if !door.is_open() {
        tracing::info!(user_id = user.id, "resource library refused");
        return Ok(Gated::Closed(closed(door)));
    }
    let words = words.unwrap_or_default().trim();
    // An unknown category (a hand-edited address) searches everything.
    let category = category.and_then(Category::parse);
    let (records, paging) = page_of(db, "/resources", words, category, sort, page).await?;
    Ok(Gated::Open(LibraryView {
        valid_through: match door {
            Door::Certified { valid_through } => Some(long_date(valid_through)),
            _ => None,
        },
        admin: user.role.allows(crate::domain::role::Role::Admin),
        words: words.to_owned(),
        category: category
            .map(Category::as_str)
            .unwrap_or_default()
            .to_owned(),
        shelves: shelve(records, sort.key == ResourceSort::Category),
        categories: categories(),
        paging,
    }))
}

/// A page of every resource, for administrators.
pub async fn admin_view(
    db: &Db,
    sort: Sort<ResourceSort>,
    page: u64,
) -> Result<AdminResourcesView, AppError> {
    let (records, paging) = page_of(db, "/admin/resources", "", None, sort, page).await?;
    Ok(AdminResourcesView {
        items: records.into_iter().map(item).collect(),
        categories: categories(),
        paging,
    })
}
