//! Administrators: the audit log, filtered by who made the change, the kind of record and
//! dates, by time either way, fifty entries a page; and as CSV (every filtered entry).

use crate::{components::paging::Paging, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One entry as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// "2026-11-24 14:05:09 MST", in the organisation's zone.
    pub at: String,
    /// The same instant in UTC (RFC 3339), for spreadsheets.
    pub at_utc: String,
    /// "Name <email>", or "System" for changes made by a job.
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub rows: Vec<AuditRow>,
    pub paging: Paging,
    /// The filter as applied ("" where not set).
    pub actor: String,
    pub entity: String,
    pub from: String,
    pub to: String,
    /// (id, "Name <email>") of everyone who made a change, for the filter.
    pub actors: Vec<(String, String)>,
    pub entities: Vec<String>,
    pub csv_path: String,
}

/// One page of the filtered log.
#[server(prefix = "/api", endpoint = "admin_audit")]
pub async fn admin_audit(
    actor: Option<String>,
    entity: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<AuditView, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let query = server::Query::parse(
        actor.as_deref(),
        entity.as_deref(),
        from.as_deref(),
        to.as_deref(),
        sort.as_deref(),
        dir.as_deref(),
    )?;
    let page = crate::components::paging::parse_page(page.as_deref());
    server::page_of(&state.db, &query, page).await
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        components::paging::{link, Sort},
        db::{
            audit::{self, AuditEntry, AuditFilter, AuditSort},
            Db,
        },
        domain::report::start_of_day,
    };
    use chrono::NaiveDate;
    use chrono_tz::America::Denver;

    /// The viewer's filter and order, parsed.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Query {
        pub filter: AuditFilter,
        pub sort: Sort<AuditSort>,
        pub from: Option<NaiveDate>,
        pub to: Option<NaiveDate>,
    }

    fn day(value: Option<&str>, field: &str) -> Result<Option<NaiveDate>, AppError> {
        match value.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD.")),
        }
    }

    impl Query {
        pub fn parse(
            actor: Option<&str>,
            entity: Option<&str>,
            from: Option<&str>,
            to: Option<&str>,
            sort: Option<&str>,
            dir: Option<&str>,
        ) -> Result<Query, AppError> {
            let actor_id =
                match actor.map(str::trim).filter(|s| !s.is_empty()) {
                    None => None,
                    Some(s) => Some(s.parse::<i64>().map_err(|_| {
                        AppError::invalid("actor", "Choose a person from the list.")
                    })?),
                };
            let entity = entity
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            let from = day(from, "from")?;
            let to = day(to, "to")?;
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(AppError::invalid(
                        "from",
                        "The first day must be on or before the last day.",
                    ));
                }
            }
            Ok(Query {
                filter: AuditFilter {
                    actor_id,
                    entity,
                    // Days are the organisation's (Denver): from its first midnight to the
                    // midnight after the last day.
                    start: from.map(start_of_day),
                    end: to.map(|t| start_of_day(t.succ_opt().unwrap_or(t))),
                },
                sort: Sort::parse(sort, dir),
                from,
                to,
            })
        }

        /// The filter as query parameters (without page and sort).
        pub fn params(&self) -> Vec<(String, String)> {
            vec![
                (
                    "actor".into(),
                    self.filter
                        .actor_id
                        .map(|i| i.to_string())
                        .unwrap_or_default(),
                ),
                (
                    "entity".into(),
                    self.filter.entity.clone().unwrap_or_default(),
                ),
                (
                    "from".into(),
                    self.from.map(|d| d.to_string()).unwrap_or_default(),
                ),
                (
                    "to".into(),
                    self.to.map(|d| d.to_string()).unwrap_or_default(),
                ),
            ]
        }
    }

    pub fn row(e: AuditEntry) -> AuditRow {
        let actor = match (e.actor_name, e.actor_email) {
            (Some(name), Some(email)) => format!("{name} <{email}>"),
            _ => "System".to_owned(),
        };
        AuditRow {
            id: e.id,
            at: e
                .at
                .with_timezone(&Denver)
                .format("%Y-%m-%d %H:%M:%S %Z")
                .to_string(),
            at_utc: e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            before: e.before_value.unwrap_or_default(),
            after: e.after_value.unwrap_or_default(),
        }
    }

    /// Every entry the query selects, in its order (for the CSV).
    pub async fn all_rows(db: &Db, q: &Query) -> Result<Vec<AuditRow>, AppError> {
        let entries = audit::list(db, &q.filter, q.sort, None, 0).await?;
        Ok(entries.into_iter().map(row).collect())
    }

    /// Page `page` of the entries (the last one when asked for one past it).
    pub async fn page_of(db: &Db, q: &Query, page: u64) -> Result<AuditView, AppError> {
        let total = u64::try_from(audit::count(db, &q.filter).await?).unwrap_or(0);
        let filters = q.params();
        let paging = Paging::new("/admin/audit", filters.clone(), page, q.sort, total);
        let (limit, offset) = paging.window();
        let entries = audit::list(db, &q.filter, q.sort, Some(limit), offset).await?;
        let value = |key: &str| {
            filters
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Ok(AuditView {
            rows: entries.into_iter().map(row).collect(),
            actor: value("actor"),
            entity: value("entity"),
            from: value("from"),
            to: value("to"),
            csv_path: link("/admin/audit.csv", &paging.params()),
            paging,
            actors: audit::actors(db)
                .await?
                .into_iter()
                .map(|(id, name, email)| (id.to_string(), format!("{name} <{email}>")))
                .collect(),
            entities: audit::entities(db).await?,
        })
    }
}
