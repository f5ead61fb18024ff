//! Memberships: a person's own standing (the dashboard) and the administrators' members list
//! (filtered by standing and last day, paged, and as CSV).

use crate::{components::paging::Paging, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One person in the members list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLine {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub certificate_id: i64,
    pub number: String,
    /// "June 18, 2026".
    pub since: String,
    pub through: String,
    /// The same dates as YYYY-MM-DD, for spreadsheets.
    pub since_iso: String,
    pub through_iso: String,
    /// "Member through ..." or "Membership ended ... (why)".
    pub standing: String,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    pub rows: Vec<MemberLine>,
    pub paging: Paging,
    /// The filter as given: "", "current" or "ended".
    pub standing: String,
    /// YYYY-MM-DD or "".
    pub ends_before: String,
    /// The CSV download of this same list.
    pub csv_path: String,
}

/// The signed-in person's membership standing, for the dashboard: `None` for someone who
/// was never a member (nothing to say).
#[server(prefix = "/api", endpoint = "my_membership")]
pub async fn my_membership() -> Result<Option<String>, AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    let held = crate::db::memberships::held(&state.db, user.id).await?;
    let today = crate::domain::certificate::issue_date(crate::clock::now());
    Ok(match crate::domain::membership::standing(&held, today) {
        crate::domain::membership::Standing::Never => None,
        s => Some(s.describe()),
    })
}

/// One page of the members (each person once, with their newest membership) matching the
/// filter, soonest last day first by default.
#[server(prefix = "/api", endpoint = "admin_members")]
pub async fn admin_members(
    standing: Option<String>,
    ends_before: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<MembersView, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let filter = server::Filter::parse(standing.as_deref(), ends_before.as_deref())?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    server::list_in(
        &state.db,
        &filter,
        sort,
        parse_page(page.as_deref()),
        crate::clock::now(),
    )
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        components::paging::{link, Sort},
        db::{
            memberships::{self, MemberFilter, MemberRow, MemberSort},
            Db,
        },
        domain::{
            certificate::{issue_date, long_date},
            membership::standing,
        },
    };
    use chrono::{DateTime, NaiveDate, Utc};

    /// The list's filter, parsed.
    #[derive(Debug, Clone, Default)]
    pub struct Filter {
        pub current: Option<bool>,
        pub ends_before: Option<NaiveDate>,
    }

    impl Filter {
        pub fn parse(
            standing: Option<&str>,
            ends_before: Option<&str>,
        ) -> Result<Filter, AppError> {
            let current = match standing.map(str::trim).unwrap_or_default() {
                "" => None,
                "current" => Some(true),
                "ended" => Some(false),
                _ => {
                    return Err(AppError::invalid(
                        "standing",
                        "Choose current members, former members, or both.",
                    ))
                }
            };
            let ends_before = match ends_before.map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    AppError::invalid("ends_before", "Enter a date as YYYY-MM-DD.")
                })?),
            };
            Ok(Filter {
                current,
                ends_before,
            })
        }

        pub fn standing(&self) -> &'static str {
            match self.current {
                None => "",
                Some(true) => "current",
                Some(false) => "ended",
            }
        }

        /// The filter as query parameters.
        pub fn params(&self) -> Vec<(String, String)> {
            vec![
                ("standing".into(), self.standing().into()),
                (
                    "ends_before".into(),
                    self.ends_before.map(|d| d.to_string()).unwrap_or_default(),
                ),
            ]
        }

        fn member_filter(&self) -> MemberFilter {
            MemberFilter {
                current: self.current,
                ends_before: self.ends_before,
            }
        }
    }

    fn line(m: MemberRow, today: NaiveDate) -> Result<MemberLine, AppError> {
        let s = standing(&[m.held()?], today);
        Ok(MemberLine {
            user_id: m.user_id,
            name: m.name,
            email: m.email,
            agency: m.agency,
            certificate_id: m.certificate_id,
            number: m.number,
            since: long_date(m.starts_on),
            through: long_date(m.ends_on),
            since_iso: m.starts_on.to_string(),
            through_iso: m.ends_on.to_string(),
            standing: s.describe(),
            current: s.is_member(),
        })
    }

    /// The lines the filter selects on `now`'s day, in `sort` order: `window` (limit,
    /// offset), or all.
    pub async fn rows(
        db: &Db,
        filter: &Filter,
        sort: Sort<MemberSort>,
        window: Option<(i64, i64)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MemberLine>, AppError> {
        let today = issue_date(now);
        let (limit, offset) = window.map_or((None, 0), |(l, o)| (Some(l), o));
        memberships::list(db, filter.member_filter(), today, sort, limit, offset)
            .await?
            .into_iter()
            .map(|m| line(m, today))
            .collect()
    }

    /// Page `page` of the list (the last when asked for one past it).
    pub async fn list_in(
        db: &Db,
        filter: &Filter,
        sort: Sort<MemberSort>,
        page: u64,
        now: DateTime<Utc>,
    ) -> Result<MembersView, AppError> {
        let total = memberships::count(db, filter.member_filter(), issue_date(now)).await?;
        let paging = Paging::new(
            "/admin/members",
            filter.params(),
            page,
            sort,
            u64::try_from(total).unwrap_or(0),
        );
        Ok(MembersView {
            rows: rows(db, filter, sort, Some(paging.window()), now).await?,
            standing: filter.standing().to_owned(),
            ends_before: filter
                .ends_before
                .map(|d| d.to_string())
                .unwrap_or_default(),
            csv_path: link("/admin/members.csv", &paging.params()),
            paging,
        })
    }
}
