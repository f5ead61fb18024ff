//! Sorting lists in SQL: each list's sort columns map to fixed expressions, never to text
//! from the query string.

use crate::components::paging::{Sort, SortKey};

/// A list's sort column as SQL.
pub trait OrderBy: SortKey {
    /// The expressions the column orders by, most significant first (fixed SQL).
    fn columns(self) -> &'static [&'static str];
}

/// `ORDER BY` for `sort`, every expression in its direction, and `id` last (in the same
/// direction) so that equal values still come in one fixed order across pages.
pub fn order_by<K: OrderBy>(sort: Sort<K>, id: &str) -> String {
    let dir = sort.dir.sql();
    let mut parts: Vec<String> = sort
        .key
        .columns()
        .iter()
        .map(|c| format!("{c} {dir}"))
        .collect();
    parts.push(format!("{id} {dir}"));
    format!("ORDER BY {}", parts.join(", "))
}

/// `CASE WHEN {column} IS NULL THEN 1 ELSE 0 END`: sorts a missing value after every other
/// one (ascending), the same on both databases (they put NULLs at different ends).
#[macro_export]
macro_rules! nulls_last {
    ($column:literal) => {
        concat!("CASE WHEN ", $column, " IS NULL THEN 1 ELSE 0 END")
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::paging::Dir;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Col {
        Name,
        Expires,
    }

    impl SortKey for Col {
        const ALL: &'static [Col] = &[Col::Name, Col::Expires];
        const DEFAULT: (Col, Dir) = (Col::Name, Dir::Asc);
        fn key(self) -> &'static str {
            match self {
                Col::Name => "name",
                Col::Expires => "expires",
            }
        }
    }

    impl OrderBy for Col {
        fn columns(self) -> &'static [&'static str] {
            match self {
                Col::Name => &["LOWER(u.name)"],
                Col::Expires => &[nulls_last!("c.expires_on"), "c.expires_on"],
            }
        }
    }

    #[test]
    fn order_by_is_fixed_sql_with_the_id_last() {
        let s = |sort, dir| order_by(Sort::<Col>::parse(sort, dir), "c.id");
        assert_eq!(s(None, None), "ORDER BY LOWER(u.name) ASC, c.id ASC");
        assert_eq!(
            s(Some("expires"), Some("desc")),
            "ORDER BY CASE WHEN c.expires_on IS NULL THEN 1 ELSE 0 END DESC, c.expires_on DESC, c.id DESC"
        );
        assert_eq!(
            s(Some("u.name; DROP TABLE users"), Some("desc")),
            "ORDER BY LOWER(u.name) ASC, c.id ASC"
        );
    }
}
