//! Administrators: every certificate, filtered by status and expiry (and as CSV); revoking
//! with a reason and reissuing under a new name (same number), both audited.

use crate::{components::paging::Paging, error::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One certificate in the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCertificateRow {
    pub id: i64,
    pub number: String,
    pub holder_name: String,
    pub email: String,
    pub credential: String,
    pub course_title: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    /// The same dates as YYYY-MM-DD, for spreadsheets ("" for no expiry).
    pub issued_iso: String,
    pub expires_iso: String,
    pub status: String,
    pub status_label: String,
    /// The revocation's date and reason, for revoked ones.
    pub revoked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCertificatesView {
    pub rows: Vec<AdminCertificateRow>,
    pub paging: Paging,
    /// The filter as given: "", "active", "expired" or "revoked".
    pub status: String,
    /// YYYY-MM-DD or "".
    pub expires_before: String,
    /// The CSV download of this same list.
    pub csv_path: String,
}

/// One page of the certificates matching the filter, in the order asked for (newest first
/// by default).
#[server(prefix = "/api", endpoint = "admin_certificates")]
pub async fn admin_certificates(
    status: Option<String>,
    expires_before: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<AdminCertificatesView, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let filter = server::Filter::parse(status.as_deref(), expires_before.as_deref())?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    let page = parse_page(page.as_deref());
    server::list_in(&state.db, &filter, sort, page, crate::clock::now()).await
}

/// One certificate, for its page.
#[server(prefix = "/api", endpoint = "admin_certificate")]
pub async fn admin_certificate(id: i64) -> Result<AdminCertificateRow, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    server::one(&state.db, id, crate::clock::now()).await
}

/// Revokes a certificate; the reason is required and audited (and never shown publicly).
#[server(prefix = "/api", endpoint = "revoke_certificate")]
pub async fn revoke_certificate(certificate_id: i64, reason: String) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let reason =
        crate::domain::person::required_text("reason", &reason, "the reason for revoking it")?;
    crate::db::certificates::revoke(
        &state.db,
        certificate_id,
        &reason,
        admin.id,
        crate::clock::now(),
    )
    .await
    .map_err(server::change_error)?;
    leptos_axum::redirect(&format!("/admin/certificates/{certificate_id}?revoked=1"));
    Ok(())
}

/// Reissues a certificate under the holder's new name: same number, code and dates; the
/// holder is sent the new PDF.
#[server(prefix = "/api", endpoint = "reissue_certificate")]
pub async fn reissue_certificate(certificate_id: i64, holder_name: String) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let state = crate::state::app_state()?;
    let name =
        crate::domain::person::required_text("holder_name", &holder_name, "the name to print")?;
    crate::db::certificates::reissue(
        &state.db,
        certificate_id,
        &name,
        admin.id,
        crate::clock::now(),
    )
    .await
    .map_err(server::change_error)?;
    leptos_axum::redirect(&format!("/admin/certificates/{certificate_id}?reissued=1"));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        components::paging::{link, Sort},
        db::{
            certificate_list::{self, CertificateSort, ListFilter},
            certificates,
            certificates::ChangeError,
            Db,
        },
        domain::certificate::{issue_date, long_date, Status},
    };
    use chrono::{DateTime, NaiveDate, Utc};

    /// The list's filter, parsed.
    #[derive(Debug, Clone, Default)]
    pub struct Filter {
        pub status: Option<Status>,
        pub expires_before: Option<NaiveDate>,
    }

    impl Filter {
        pub fn parse(
            status: Option<&str>,
            expires_before: Option<&str>,
        ) -> Result<Filter, AppError> {
            let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(Status::parse(s).ok_or_else(|| {
                    AppError::invalid(
                        "status",
                        "Choose active, expired or revoked, or any status.",
                    )
                })?),
            };
            let expires_before = match expires_before.map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                    AppError::invalid("expires_before", "Enter a date as YYYY-MM-DD.")
                })?),
            };
            Ok(Filter {
                status,
                expires_before,
            })
        }

        /// The filter as query parameters.
        pub fn params(&self) -> Vec<(String, String)> {
            vec![
                (
                    "status".into(),
                    self.status.map(Status::as_str).unwrap_or_default().into(),
                ),
                (
                    "expires_before".into(),
                    self.expires_before
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ),
            ]
        }

        fn list_filter(&self) -> ListFilter {
            ListFilter {
                expires_before: self.expires_before,
                status: self.status,
            }
        }
    }

    pub fn change_error(e: ChangeError) -> AppError {
        match e {
            ChangeError::NotFound => {
                AppError::NotFound("We could not find that certificate.".into())
            }
            ChangeError::Revoked => {
                AppError::Conflict("This certificate is revoked: it cannot change any more.".into())
            }
            ChangeError::Db(e) => e.into(),
        }
    }

    fn row(
        c: &certificates::CertificateRecord,
        email: String,
        now: DateTime<Utc>,
    ) -> AdminCertificateRow {
        let status = c.status_on(issue_date(now));
        AdminCertificateRow {
            id: c.id,
            number: c.number.clone(),
            holder_name: c.holder_name.clone(),
            email,
            credential: c.kind().credential().to_owned(),
            course_title: c.course_title.clone(),
            issued_on: long_date(c.issued_on),
            expires_on: c.expires_on.map(long_date),
            issued_iso: c.issued_on.to_string(),
            expires_iso: c.expires_on.map(|d| d.to_string()).unwrap_or_default(),
            status: status.as_str().to_owned(),
            status_label: status.label().to_owned(),
            revoked: c.revoked_at.map(|at| {
                format!(
                    "{}: {}",
                    long_date(issue_date(at)),
                    c.revoked_reason.clone().unwrap_or_default()
                )
            }),
        }
    }

    /// The rows the filter selects on `now`'s day (the status as it is today, even before the
    /// expiry job has run), in `sort` order: `window` (limit, offset), or all.
    pub async fn rows(
        db: &Db,
        filter: &Filter,
        sort: Sort<CertificateSort>,
        window: Option<(i64, i64)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<AdminCertificateRow>, AppError> {
        let (limit, offset) = window.map_or((None, 0), |(l, o)| (Some(l), o));
        let found = certificate_list::list(
            db,
            filter.list_filter(),
            issue_date(now),
            sort,
            limit,
            offset,
        )
        .await?;
        Ok(found
            .into_iter()
            .map(|(c, email)| row(&c, email, now))
            .collect())
    }

    /// Page `page` of the list (the last when asked for one past it).
    pub async fn list_in(
        db: &Db,
        filter: &Filter,
        sort: Sort<CertificateSort>,
        page: u64,
        now: DateTime<Utc>,
    ) -> Result<AdminCertificatesView, AppError> {
        let total = certificate_list::count(db, filter.list_filter(), issue_date(now)).await?;
        let paging = Paging::new(
            "/admin/certificates",
            filter.params(),
            page,
            sort,
            u64::try_from(total).unwrap_or(0),
        );
        Ok(AdminCertificatesView {
            rows: rows(db, filter, sort, Some(paging.window()), now).await?,
            status: filter
                .status
                .map(Status::as_str)
                .unwrap_or_default()
                .to_owned(),
            expires_before: filter
                .expires_before
                .map(|d| d.to_string())
                .unwrap_or_default(),
            csv_path: link("/admin/certificates.csv", &paging.params()),
            paging,
        })
    }

    pub async fn one(
        db: &Db,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<AdminCertificateRow, AppError> {
        let c = certificates::find(db, id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that certificate.".into()))?;
        let email = certificates::holder_email(db, c.user_id)
            .await?
            .unwrap_or_default();
        Ok(row(&c, email, now))
    }
}
