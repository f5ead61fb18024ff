//! Pages and sort order for lists that grow: the parameters read from the query string
//! (`?sort=<column>&dir=asc|desc&page=N`), and the links to other pages and to other orders.
//! They are plain links that keep the list's filters, so they work without JavaScript.
//!
//! Each list names its columns in an enum implementing [`SortKey`]; the data layer maps each
//! variant to a fixed `ORDER BY` with the row's id last, so that pages never repeat or skip
//! a row.

pub use super::pager::{KeepOrder, Pager, SortChoices, SortHeading};
pub use super::sort::{Dir, Sort, SortKey};
use serde::{Deserialize, Serialize};

/// Rows on a page.
pub const PAGE_SIZE: u64 = 50;

/// The `sort`, `dir` and `page` of the current address, as a list's server function takes
/// them.
pub fn order_params(
    q: &leptos_router::params::ParamsMap,
) -> (Option<String>, Option<String>, Option<String>) {
    (q.get("sort"), q.get("dir"), q.get("page"))
}

/// The page asked for (1-based): missing, zero or not a number is the first.
pub fn parse_page(s: Option<&str>) -> u64 {
    s.and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// How many pages `total` rows fill (one, even when empty, so that page 1 always exists).
pub fn page_count(total: u64, size: u64) -> u64 {
    total.div_ceil(size.max(1)).max(1)
}

/// The page shown: the one asked for, or the last when asked for one past it.
pub fn clamp_page(page: u64, total: u64, size: u64) -> u64 {
    page.clamp(1, page_count(total, size))
}

/// Rows to skip for `page`.
pub fn offset(page: u64, size: u64) -> u64 {
    page.saturating_sub(1) * size
}

/// The page numbers to link: the first, the last, and two either side of the current one;
/// `None` marks a gap ("…").
pub fn page_links(current: u64, count: u64) -> Vec<Option<u64>> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=count {
        let near = p + 2 >= current && p <= current + 2;
        if p == 1 || p == count || near {
            if p > last + 1 {
                out.push(None);
            }
            out.push(Some(p));
            last = p;
        }
    }
    out
}

/// Percent-encodes a query value as a form would (letters, digits and `-_.~` stay).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?k=v&...` with the non-empty `params`, in order.
pub fn link(path: &str, params: &[(&str, String)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Where a list is: its path and filters (as query parameters), page, order and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    pub path: String,
    /// The filters, kept in every link.
    pub filters: Vec<(String, String)>,
    pub page: u64,
    /// The key of the column the list is sorted by.
    pub sort: String,
    pub dir: Dir,
    pub total: u64,
    pub size: u64,
}

impl Paging {
    /// The list at `path` with `filters`, sorted by `sort`, showing page `page` of `total`
    /// rows (the last page when asked for one past it), [`PAGE_SIZE`] a page.
    pub fn new<K: SortKey>(
        path: &str,
        filters: Vec<(String, String)>,
        page: u64,
        sort: Sort<K>,
        total: u64,
    ) -> Paging {
        Paging {
            path: path.to_owned(),
            filters,
            page: clamp_page(page, total, PAGE_SIZE),
            sort: sort.key.key().to_owned(),
            dir: sort.dir,
            total,
            size: PAGE_SIZE,
        }
    }

    /// The rows to fetch for the page shown: (limit, offset), for SQL.
    pub fn window(&self) -> (i64, i64) {
        let offset = offset(self.page, self.size);
        (
            i64::try_from(self.size).unwrap_or(i64::MAX),
            i64::try_from(offset).unwrap_or(i64::MAX),
        )
    }

    /// The filters and the order as query parameters (no page): for a CSV of the same list.
    pub fn params(&self) -> Vec<(&str, String)> {
        let mut params: Vec<(&str, String)> = self
            .filters
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        params.push(("sort", self.sort.clone()));
        params.push(("dir", self.dir.as_str().to_owned()));
        params
    }

    /// The link to `page` in the same order, with the same filters.
    pub fn href(&self, page: u64) -> String {
        self.href_sorted(page, &self.sort, self.dir)
    }

    fn href_sorted(&self, page: u64, sort: &str, dir: Dir) -> String {
        let mut params: Vec<(&str, String)> = self
            .filters
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        params.push(("sort", sort.to_owned()));
        params.push(("dir", dir.as_str().to_owned()));
        if page > 1 {
            params.push(("page", page.to_string()));
        }
        link(&self.path, &params)
    }

    /// What sorting by column `key` would do: the direction it would give (the other one
    /// for the current column, ascending for another) and the link to its first page.
    pub fn sort_link(&self, key: &str) -> (Dir, String) {
        let dir = if self.sort == key {
            self.dir.flipped()
        } else {
            Dir::Asc
        };
        (dir, self.href_sorted(1, key, dir))
    }

    pub fn count(&self) -> u64 {
        page_count(self.total, self.size)
    }

    /// "Rows 51–100 of 230".
    pub fn summary(&self) -> String {
        if self.total == 0 {
            return "No rows".to_owned();
        }
        let first = offset(self.page, self.size) + 1;
        let last = (first + self.size - 1).min(self.total);
        format!("Rows {first}–{last} of {}", self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::sort::tests::Col;

    #[test]
    fn pages_are_parsed_counted_and_clamped() {
        assert_eq!(parse_page(None), 1);
        assert_eq!(parse_page(Some("0")), 1);
        assert_eq!(parse_page(Some("x")), 1);
        assert_eq!(parse_page(Some("3")), 3);
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(clamp_page(9, 51, 50), 2);
        assert_eq!(offset(1, 50), 0);
        assert_eq!(offset(3, 50), 100);
    }

    #[test]
    fn links_show_the_ends_and_the_neighbourhood() {
        assert_eq!(page_links(1, 1), vec![Some(1)]);
        assert_eq!(
            page_links(5, 10),
            vec![
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(10)
            ]
        );
        assert_eq!(page_links(2, 4), vec![Some(1), Some(2), Some(3), Some(4)]);
    }

    fn audit_paging() -> Paging {
        Paging::new(
            "/admin/audit",
            vec![
                ("entity".into(), "certificate".into()),
                ("actor".into(), String::new()),
                ("q".into(), "a b&c".into()),
            ],
            2,
            Sort::<Col>::default(),
            120,
        )
    }

    #[test]
    fn links_keep_filters_encoded() {
        let paging = audit_paging();
        assert_eq!(
            paging.href(3),
            "/admin/audit?entity=certificate&q=a%20b%26c&sort=joined&dir=desc&page=3"
        );
        assert_eq!(
            paging.href(1),
            "/admin/audit?entity=certificate&q=a%20b%26c&sort=joined&dir=desc"
        );
        assert_eq!(paging.summary(), "Rows 51–100 of 120");
        assert_eq!(paging.window(), (50, 50));
        assert_eq!(Dir::parse(Some("asc")), Some(Dir::Asc));
        assert_eq!(Dir::parse(Some("sideways")), None);
    }

    #[test]
    fn sort_links_flip_the_current_column_and_start_others_ascending() {
        let paging = audit_paging();
        assert_eq!(
            paging.sort_link("joined"),
            (
                Dir::Asc,
                "/admin/audit?entity=certificate&q=a%20b%26c&sort=joined&dir=asc".to_owned()
            )
        );
        assert_eq!(
            paging.sort_link("name"),
            (
                Dir::Asc,
                "/admin/audit?entity=certificate&q=a%20b%26c&sort=name&dir=asc".to_owned()
            )
        );
    }

    #[test]
    fn a_page_past_the_end_is_the_last() {
        let paging = Paging::new("/x", Vec::new(), 9, Sort::<Col>::default(), 120);
        assert_eq!(paging.page, 3);
        assert_eq!(paging.window(), (50, 100));
        let empty = Paging::new("/x", Vec::new(), 2, Sort::<Col>::default(), 0);
        assert_eq!((empty.page, empty.summary()), (1, "No rows".to_owned()));
    }
}
