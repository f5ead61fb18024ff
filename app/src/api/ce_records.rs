//! Continuing education done elsewhere (`/admin/ce`): administrators record it with its
//! evidence and approve it or not; only approved records count toward renewal. The form
//! carries a file, so it posts multipart to the server's own route (`server/src/ce_evidence.rs`),
//! which calls [`server::add`]; evidence files come down through `/ce/{id}/evidence`, which
//! calls [`server::evidence`]: the holder and staff only, checked on every request.

use crate::{components::paging::Paging, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One record as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeRecordItem {
    pub id: i64,
    /// "Robin Renewer (robin@cit.gov)".
    pub holder: String,
    pub title: String,
    pub hours: i64,
    /// "September 1, 2028".
    pub completed: String,
    pub evidence: String,
    /// The evidence file: (address, "PDF · 12 KB").
    pub file: Option<(String, String)>,
    pub approved: bool,
}

/// A record that waits for its holder to verify their address (see `db::pending_records`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingCeItem {
    pub email: String,
    pub title: String,
    pub hours: i64,
    pub completed: String,
    /// The evidence file's name ("" without one).
    pub filename: String,
    pub approved: bool,
    pub recorded: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCeView {
    pub items: Vec<CeRecordItem>,
    pub paging: Paging,
    pub waiting: Vec<WaitingCeItem>,
}

/// A page of the records of CE done elsewhere, for administrators (newest completion first
/// by default).
#[server(prefix = "/api", endpoint = "admin_ce_records")]
pub async fn admin_ce_records(
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<AdminCeView, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    server::admin_view(&state.db, sort, parse_page(page.as_deref())).await
}

/// Approves a record (it then counts toward renewal), or withdraws the approval.
#[server(prefix = "/api", endpoint = "set_ce_approval")]
pub async fn set_ce_approval(record_id: i64, approved: bool) -> Result<(), AppError> {
    let user = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    crate::db::ce_records::set_approved(
        &state.db,
        record_id,
        approved,
        user.id,
        crate::clock::now(),
    )
    .await?
    .ok_or_else(|| AppError::NotFound("We could not find that record.".into()))?;
    leptos_axum::redirect(if approved {
        "/admin/ce?approved=1"
    } else {
        "/admin/ce?withdrawn=1"
    });
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::{AdminCeView, CeRecordItem, WaitingCeItem};
    use crate::{
        components::paging::{Paging, Sort},
        db::{
            self,
            ce_records::{CeSort, NewCeRecord},
            Db,
        },
        domain::{
            ce_record::{parse, CeForm, CeRefusal},
            certificate::{issue_date, long_date},
            email::Email,
            record_holder::{destination, Destination},
            teaching_scope::FileReach,
        },
        error::AppError,
        model::CurrentUser,
        state::AppState,
        storage::keep::{self, Download, UploadedFile},
    };
    use chrono::{DateTime, Utc};

    /// The waiting records listed at most (they are attached within days, or are few).
    const WAITING_SHOWN: i64 = 200;

    /// Where a record's evidence file is downloaded.
    pub fn evidence_href(id: i64) -> String {
        format!("/ce/{id}/evidence")
    }

    /// Page `page` of the records in `sort` order.
    pub async fn admin_view(
        db: &Db,
        sort: Sort<CeSort>,
        page: u64,
    ) -> Result<AdminCeView, AppError> {
        let total = u64::try_from(db::ce_records::count(db).await?).unwrap_or(0);
        let paging = Paging::new("/admin/ce", Vec::new(), page, sort, total);
        let (limit, offset) = paging.window();
        let items = db::ce_records::list(db, sort, limit, offset)
            .await?
            .into_iter()
            .map(|r| CeRecordItem {
                id: r.id,
                holder: format!("{} ({})", r.holder_name, r.holder_email),
                file: r.has_file().then(|| {
                    (
                        evidence_href(r.id),
                        keep::describe(&r.content_type, r.size_bytes),
                    )
                }),
                title: r.title,
                hours: r.hours,
                completed: long_date(r.completed_on),
                evidence: r.evidence,
                approved: r.approved,
            })
            .collect();
        let waiting = db::pending_records::list_ce(db, WAITING_SHOWN)
            .await?
            .into_iter()
            .map(|r| WaitingCeItem {
                email: r.email,
                title: r.title,
                hours: r.hours,
                completed: long_date(r.completed_on),
                filename: r.filename,
                approved: r.approved,
                recorded: long_date(issue_date(r.recorded_at)),
            })
            .collect();
        Ok(AdminCeView {
            items,
            paging,
            waiting,
        })
    }

    /// Where a recorded CE went.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Recorded {
        /// To the holder's account (its record id).
        Attached(i64),
        /// The account has not verified its address: the record waits (its pending id) and is
        /// attached when the address is verified.
        Pending(i64),
    }

    /// Checks the form, stores the evidence file (if any) and records the CE, for the account
    /// with the email or, while that account has not verified it, waiting for it; the caller
    /// has checked that `actor` is an administrator. On refusal nothing is stored.
    pub async fn add(
        state: &AppState,
        actor: i64,
        form: &CeForm,
        file: &UploadedFile,
        now: DateTime<Utc>,
    ) -> Result<Recorded, CeRefusal> {
        let trouble = |e: &dyn std::fmt::Display| {
            tracing::error!(error = %e, "CE record failed");
            CeRefusal::File(crate::storage::accept::Refusal::Trouble)
        };
        let entry = parse(form, !file.is_missing(), issue_date(now))?;
        let email = Email::parse(&entry.email).map_err(|_| CeRefusal::Email)?;
        let holder = db::users::find_by_email(&state.db, &email)
            .await
            .map_err(|e| trouble(&e))?
            .ok_or(CeRefusal::NoSuchHolder)?;
        let new = NewCeRecord {
            user_id: holder.id,
            title: &entry.title,
            hours: entry.hours,
            completed_on: entry.completed_on,
            evidence: &entry.evidence,
            file: None,
            approved: entry.approved,
        };
        // While the account has not verified the address, the record waits for it: whoever
        // signed up with the address may not own it.
        let pending =
            (destination(holder.facts()) == Destination::Pending).then_some(email.as_str());
        let recorded = if file.is_missing() {
            insert(state, pending, &new, actor, now)
                .await
                .map_err(|e| trouble(&e))?
        } else {
            keep::store_then_insert(state.storage.as_ref(), file, "ce_record", |stored| {
                let new = &new;
                async move {
                    let with_file = NewCeRecord {
                        file: Some(stored.columns()),
                        ..new.clone()
                    };
                    insert(state, pending, &with_file, actor, now).await
                }
            })
            .await
            .map_err(CeRefusal::File)?
        };
        tracing::info!(?recorded, "CE done elsewhere recorded");
        Ok(recorded)
    }

    /// Stores the record for its account, or waiting for `pending` (the address) to be verified.
    async fn insert(
        state: &AppState,
        pending: Option<&str>,
        new: &NewCeRecord<'_>,
        actor: i64,
        now: DateTime<Utc>,
    ) -> Result<Recorded, sqlx::Error> {
        match pending {
            Some(email) => {
                db::pending_records::record_ce_pending(&state.db, email, new, actor, now)
                    .await
                    .map(Recorded::Pending)
            }
            None => db::ce_records::record_ce(&state.db, new, actor, now)
                .await
                .map(Recorded::Attached),
        }
    }

    /// The evidence file of record `id`, for its holder, administrators and the instructors of
    /// the holder's classes. `NotFound` for everyone else, as for a record that does not exist, so a guessed address tells nothing.
    pub async fn evidence(
        state: &AppState,
        user: &CurrentUser,
        id: i64,
    ) -> Result<Download, AppError> {
        let not_found = || AppError::NotFound("We could not find that evidence.".into());
        let record = db::ce_records::find(&state.db, id)
            .await?
            .filter(|r| r.has_file())
            .ok_or_else(not_found)?;
        if crate::state::file_reach(&state.db, user, record.user_id).await? == FileReach::Nobody {
            tracing::info!(ce_record_id = id, "CE evidence refused");
            return Err(not_found());
        }
        keep::fetch(
            state.storage.as_ref(),
            &record.storage_key,
            record.filename,
            record.content_type,
            "ce_record",
            not_found,
        )
        .await
    }
}
