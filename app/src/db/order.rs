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
    use crate::components::sort::tests::Col;

    impl OrderBy for Col {
        fn columns(self) -> &'static [&'static str] {
            match self {
                Col::Name => &["LOWER(u.name)"],
                Col::Joined => &[nulls_last!("u.joined_on"), "u.joined_on"],
            }
        }
    }

    #[test]
    fn order_by_is_fixed_sql_with_the_id_last() {
        let s = |sort, dir| order_by(Sort::<Col>::parse(sort, dir), "u.id");
        assert_eq!(
            s(Some("name"), None),
            "ORDER BY LOWER(u.name) ASC, u.id ASC"
        );
        assert_eq!(
            s(None, None),
            "ORDER BY CASE WHEN u.joined_on IS NULL THEN 1 ELSE 0 END DESC, u.joined_on DESC, u.id DESC"
        );
        assert_eq!(
            s(Some("u.name; DROP TABLE users"), Some("asc")),
            s(None, None),
            "unknown text is the default, never SQL"
        );
    }
}
