//! The certified-only resource area: files, links and Markdown pages (the gate reads
//! memberships, `db::memberships::held`). Every addition and removal is audited.

use super::{audit, on_db, order_by, BeginWrite, Db, OrderBy};
use crate::components::paging::{Dir, Sort, SortKey};
use crate::domain::resource::Category;
use crate::storage::keep::FileColumns;
use chrono::{DateTime, Utc};
use tracing::instrument;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResourceRecord {
    pub id: i64,
    /// "file", "link" or "page".
    pub kind: String,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub url: String,
    /// Markdown, for pages.
    pub body: String,
    pub storage_key: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub added_at: DateTime<Utc>,
}

impl ResourceRecord {
    pub fn category(&self) -> Option<Category> {
        Category::parse(&self.category)
    }
}

/// What a new resource is.
#[derive(Debug, Clone)]
pub enum Content<'a> {
    File(FileColumns<'a>),
    Link { url: &'a str },
    Page { markdown: &'a str },
}

/// A new resource, already checked.
#[derive(Debug, Clone)]
pub struct NewResource<'a> {
    pub category: Category,
    pub title: &'a str,
    pub summary: &'a str,
    pub content: Content<'a>,
}

const COLUMNS: &str = "id, kind, category, title, summary, url, body, storage_key, filename, content_type, size_bytes, added_at";

/// Adds a resource; returns its id.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn insert(
    db: &Db,
    new: &NewResource<'_>,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let (kind, url, body, file) = match &new.content {
        Content::File(file) => ("file", "", "", *file),
        Content::Link { url } => ("link", *url, "", FileColumns::NONE),
        Content::Page { markdown } => ("page", "", *markdown, FileColumns::NONE),
    };
    let after = format!(
        "{kind} {:?} in {}{}",
        new.title,
        new.category.as_str(),
        match &new.content {
            Content::File(f) => format!(": {} ({} bytes)", f.filename, f.size_bytes),
            Content::Link { url } => format!(": {url}"),
            Content::Page { markdown } => format!(" ({} characters)", markdown.chars().count()),
        }
    );
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO resources (kind, category, title, summary, url, body, storage_key, filename, content_type, size_bytes, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(kind)
        .bind(new.category.as_str())
        .bind(new.title)
        .bind(new.summary)
        .bind(url)
        .bind(body)
        .bind(file.storage_key)
        .bind(file.filename)
        .bind(file.content_type)
        .bind(file.size_bytes)
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit::record!(tx, Some(actor), "resource.added", "resource", id, None::<String>, &after, now);
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Option<ResourceRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM resources WHERE id = $1");
    on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
}

/// `%` and `_` typed in a search are meant literally.
fn like_pattern(words: &str) -> String {
    let mut out = String::from("%");
    for c in words.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The columns the library and the administrators' list sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceSort {
    /// In the categories' own order, then by title.
    Category,
    Title,
    /// File, link or page.
    Kind,
    Published,
}

impl SortKey for ResourceSort {
    const ALL: &'static [ResourceSort] = &[
        ResourceSort::Category,
        ResourceSort::Title,
        ResourceSort::Kind,
        ResourceSort::Published,
    ];
    const DEFAULT: (ResourceSort, Dir) = (ResourceSort::Category, Dir::Asc);
    fn key(self) -> &'static str {
        match self {
            ResourceSort::Category => "category",
            ResourceSort::Title => "title",
            ResourceSort::Kind => "kind",
            ResourceSort::Published => "published",
        }
    }
}

impl OrderBy for ResourceSort {
    fn columns(self) -> &'static [&'static str] {
        match self {
            // The order of `Category::ALL`, which the library's shelves follow.
            ResourceSort::Category => &[
                "CASE category WHEN 'program_materials' THEN 0 WHEN 'documentation' THEN 1 \
                 WHEN 'policies' THEN 2 WHEN 'data_collection' THEN 3 ELSE 4 END",
                "LOWER(title)",
            ],
            ResourceSort::Title => &["LOWER(title)"],
            ResourceSort::Kind => &["kind"],
            ResourceSort::Published => &["added_at"],
        }
    }
}

/// Only `category` when given (`$1`), and only resources whose title, summary or page text
/// contains the words (`$2`, a LIKE pattern) when not empty.
const SEARCH_WHERE: &str = "WHERE ($1 = '' OR category = $1) \
     AND ($2 = '%%' OR LOWER(title) LIKE $2 ESCAPE '\\' OR LOWER(summary) LIKE $2 ESCAPE '\\' OR LOWER(body) LIKE $2 ESCAPE '\\')";

/// How many resources the search finds (see [`search`]).
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn count(db: &Db, words: &str, category: Option<Category>) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM resources {SEARCH_WHERE}");
    let category = category.map(Category::as_str).unwrap_or_default();
    let pattern = like_pattern(words.trim());
    on_db!(db, pool => sqlx::query_scalar(&sql).bind(category).bind(&pattern).fetch_one(pool).await)
}

/// A page of the library in `sort` order (`limit` after skipping `offset`): only `category`
/// when given, and only resources whose title, summary or page text contains `words`
/// (ignoring case) when not empty.
#[instrument(skip_all, fields(db = db.backend()))]
pub async fn search(
    db: &Db,
    words: &str,
    category: Option<Category>,
    sort: Sort<ResourceSort>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ResourceRecord>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM resources {SEARCH_WHERE} {} LIMIT $3 OFFSET $4",
        order_by(sort, "id")
    );
    let category = category.map(Category::as_str).unwrap_or_default();
    let pattern = like_pattern(words.trim());
    on_db!(db, pool => sqlx::query_as(&sql).bind(category).bind(&pattern).bind(limit).bind(offset).fetch_all(pool).await)
}

/// Removes a resource; returns what was removed (its stored file is the caller's to delete,
/// after the commit), or `None` when there was no such resource.
#[instrument(skip_all, fields(db = db.backend(), resource_id = id))]
pub async fn delete(
    db: &Db,
    id: i64,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<Option<ResourceRecord>, sqlx::Error> {
    let select = format!("SELECT {COLUMNS} FROM resources WHERE id = $1");
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let found: Option<ResourceRecord> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
        let Some(resource) = found else { return Ok(None) };
        sqlx::query("DELETE FROM resources WHERE id = $1").bind(id).execute(&mut *tx).await?;
        let before = format!("{} {:?} in {}", resource.kind, resource.title, resource.category);
        audit::record!(tx, Some(actor), "resource.removed", "resource", id, &before, None::<String>, now);
        tx.commit().await?;
        Ok(Some(resource))
    })
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_words_are_literal_and_lowercase() {
        assert_eq!(like_pattern("Data"), "%data%");
        assert_eq!(like_pattern("100%_x\\"), "%100\\%\\_x\\\\%");
        assert_eq!(like_pattern(""), "%%");
    }
}
