//! Pages and sort order for lists that grow: the parameters read from the query string
//! (`page`, `sort`), and the links to other pages and to the other order. They are plain
//! links that keep the list's filters, so they work without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows on a page.
pub const PAGE_SIZE: u64 = 50;

/// Which way a list runs by its sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Order {
    /// Newest (largest) first: the default for logs.
    #[default]
    Desc,
    Asc,
}

impl Order {
    /// "asc" is ascending; anything else the default, descending.
    pub fn parse(s: Option<&str>) -> Order {
        match s.map(str::trim) {
            Some("asc") => Order::Asc,
            _ => Order::Desc,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Order::Desc => "desc",
            Order::Asc => "asc",
        }
    }

    pub fn flipped(self) -> Order {
        match self {
            Order::Desc => Order::Asc,
            Order::Asc => Order::Desc,
        }
    }
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
    pub order: Order,
    pub total: u64,
    pub size: u64,
}

impl Paging {
    /// The link to `page` in `order`, with the same filters.
    pub fn href(&self, page: u64, order: Order) -> String {
        let mut params: Vec<(&str, String)> = self
            .filters
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        params.push(("sort", order.as_str().to_owned()));
        if page > 1 {
            params.push(("page", page.to_string()));
        }
        link(&self.path, &params)
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

/// Links to the other pages of a list (current page marked with `aria-current`).
#[component]
pub fn Pager(paging: Paging) -> impl IntoView {
    let count = paging.count();
    let current = paging.page;
    let order = paging.order;
    let prev = (current > 1).then(|| paging.href(current - 1, order));
    let next = (current < count).then(|| paging.href(current + 1, order));
    view! {
        <nav class="pager" aria-label="Pages">
            <p>{paging.summary()}</p>
            <ul>
                {prev.map(|h| view! { <li><a href=h rel="prev">"Previous page"</a></li> })}
                {page_links(current, count).into_iter().map(|p| match p {
                    None => view! { <li aria-hidden="true">"…"</li> }.into_any(),
                    Some(p) if p == current => view! {
                        <li><a href=paging.href(p, order) aria-current="page">{format!("Page {p}")}</a></li>
                    }.into_any(),
                    Some(p) => view! { <li><a href=paging.href(p, order)>{format!("Page {p}")}</a></li> }.into_any(),
                }).collect_view()}
                {next.map(|h| view! { <li><a href=h rel="next">"Next page"</a></li> })}
            </ul>
        </nav>
    }
}

/// A column heading that sorts the list by it: a link to the first page in the other
/// order, saying which order is shown (`aria-sort` on the heading).
#[component]
pub fn SortHeading(paging: Paging, label: &'static str) -> impl IntoView {
    let (shown, arrow) = match paging.order {
        Order::Desc => ("descending", "↓"),
        Order::Asc => ("ascending", "↑"),
    };
    let other = match paging.order {
        Order::Desc => "oldest first",
        Order::Asc => "newest first",
    };
    view! {
        <th scope="col" aria-sort=shown>
            <a href=paging.href(1, paging.order.flipped())>
                {label}" "<span aria-hidden="true">{arrow}</span>
                <span class="visually-hidden">{format!(", sorted {shown}; show {other}")}</span>
            </a>
        </th>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn links_keep_filters_encoded() {
        let paging = Paging {
            path: "/admin/audit".into(),
            filters: vec![
                ("entity".into(), "certificate".into()),
                ("actor".into(), String::new()),
                ("q".into(), "a b&c".into()),
            ],
            page: 2,
            order: Order::Desc,
            total: 120,
            size: 50,
        };
        assert_eq!(
            paging.href(3, Order::Asc),
            "/admin/audit?entity=certificate&q=a%20b%26c&sort=asc&page=3"
        );
        assert_eq!(
            paging.href(1, Order::Desc),
            "/admin/audit?entity=certificate&q=a%20b%26c&sort=desc"
        );
        assert_eq!(paging.summary(), "Rows 51–100 of 120");
        assert_eq!(Order::parse(Some("asc")), Order::Asc);
        assert_eq!(Order::parse(Some("sideways")), Order::Desc);
    }
}
