//! A list's order: the column, from the list's own whitelist, and the direction, as read
//! from `?sort=<column>&dir=asc|desc`.

use serde::{Deserialize, Serialize};

/// Which way a list runs by its sort column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Dir {
    #[default]
    Asc,
    Desc,
}

impl Dir {
    /// "asc" or "desc"; anything else is `None` (the list's default).
    pub fn parse(s: Option<&str>) -> Option<Dir> {
        match s.map(str::trim) {
            Some("asc") => Some(Dir::Asc),
            Some("desc") => Some(Dir::Desc),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Desc => "desc",
            Dir::Asc => "asc",
        }
    }

    /// The SQL keyword.
    pub fn sql(self) -> &'static str {
        match self {
            Dir::Desc => "DESC",
            Dir::Asc => "ASC",
        }
    }

    pub fn flipped(self) -> Dir {
        match self {
            Dir::Desc => Dir::Asc,
            Dir::Asc => Dir::Desc,
        }
    }
}

/// A list's sort columns: one enum per list, each variant a key of the query string
/// (`?sort=<key>`). The data layer maps each to a fixed `ORDER BY`; text from the query
/// string only ever selects a variant.
pub trait SortKey: Sized + Copy + PartialEq + 'static {
    /// Every column the list sorts by.
    const ALL: &'static [Self];
    /// The order of the list when none (or an unknown one) is asked for.
    const DEFAULT: (Self, Dir);
    /// The key in the query string.
    fn key(self) -> &'static str;
}

/// A list's order: the column and the direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<K> {
    pub key: K,
    pub dir: Dir,
}

impl<K: SortKey> Default for Sort<K> {
    fn default() -> Self {
        let (key, dir) = K::DEFAULT;
        Sort { key, dir }
    }
}

impl<K: SortKey> Sort<K> {
    /// Reads `?sort=&dir=`. An unknown column is the default one; a known column without a
    /// direction runs ascending. Old links that said only `sort=asc` or `sort=desc` (the
    /// direction of the default column) still work.
    pub fn parse(sort: Option<&str>, dir: Option<&str>) -> Sort<K> {
        let default = Sort::<K>::default();
        let sort = sort.map(str::trim).unwrap_or_default();
        if let (Some(old), None) = (Dir::parse(Some(sort)), Dir::parse(dir)) {
            return Sort {
                dir: old,
                ..default
            };
        }
        match K::ALL.iter().find(|k| k.key() == sort) {
            Some(&key) => Sort {
                key,
                dir: Dir::parse(dir).unwrap_or(if key == default.key {
                    default.dir
                } else {
                    Dir::Asc
                }),
            },
            None => default,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A list of people for the tests: by name, or by when they joined (newest first by
    /// default).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Col {
        Name,
        Joined,
    }

    impl SortKey for Col {
        const ALL: &'static [Col] = &[Col::Name, Col::Joined];
        const DEFAULT: (Col, Dir) = (Col::Joined, Dir::Desc);
        fn key(self) -> &'static str {
            match self {
                Col::Name => "name",
                Col::Joined => "joined",
            }
        }
    }

    #[test]
    fn sort_is_parsed_from_a_whitelist() {
        let s = |sort, dir| Sort::<Col>::parse(sort, dir);
        let default = Sort {
            key: Col::Joined,
            dir: Dir::Desc,
        };
        assert_eq!(s(None, None), default);
        assert_eq!(s(Some("name; DROP TABLE users"), Some("asc")), default);
        assert_eq!(
            s(Some("name"), None),
            Sort {
                key: Col::Name,
                dir: Dir::Asc
            }
        );
        assert_eq!(
            s(Some("name"), Some("desc")),
            Sort {
                key: Col::Name,
                dir: Dir::Desc
            }
        );
        assert_eq!(
            s(Some("name"), Some("up")),
            Sort {
                key: Col::Name,
                dir: Dir::Asc
            }
        );
        assert_eq!(
            s(Some("joined"), None),
            default,
            "the default column keeps its direction"
        );
        // Old links: only the direction of the default column.
        assert_eq!(
            s(Some("asc"), None),
            Sort {
                key: Col::Joined,
                dir: Dir::Asc
            }
        );
        assert_eq!(s(Some("desc"), None), default);
    }
}
