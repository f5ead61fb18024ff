//! Certificates: the holder's list (with the PDF download and the guide's shipping), and the
//! public verification by code or by number and last name, which shows nothing about the
//! person but the name on the certificate.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One certificate as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateItem {
    pub id: i64,
    pub number: String,
    pub credential: String,
    pub course_title: String,
    pub holder_name: String,
    /// "November 23, 2026".
    pub issued_on: String,
    /// None: does not expire.
    pub expires_on: Option<String>,
    /// "active", "expired" or "revoked".
    pub status: String,
    pub status_label: String,
    /// The code as printed, with dashes.
    pub code: String,
    /// The public verification page's path.
    pub verify_path: String,
    pub download_path: String,
    /// The Open Badges 3.0 credential (JSON-LD) and its signed form.
    pub badge_path: String,
    pub badge_jwt_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificatesView {
    pub items: Vec<CertificateItem>,
}

/// The signed-in person's certificates, newest first.
#[server(prefix = "/api", endpoint = "my_certificates")]
pub async fn my_certificates() -> Result<CertificatesView, AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    server::my_certificates_in(&state.db, user.id, crate::clock::now()).await
}

/// What the public verification page shows: never the email or anything else about the
/// person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub holder_name: String,
    pub credential: String,
    pub course_title: String,
    pub number: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    /// "active", "expired" or "revoked".
    pub status: String,
    /// "Active", "Expired on November 23, 2029", "Revoked on ...".
    pub status_text: String,
    /// The Open Badges 3.0 credential (JSON-LD) and its signed form.
    pub badge_path: String,
    pub badge_jwt_path: String,
}

/// Looks a certificate up by its verification `code`, or by `number` and `last_name`. None:
/// nothing matches (or the code cannot be one). Rate-limited per client address.
#[server(prefix = "/api", endpoint = "verify_certificate")]
pub async fn verify_certificate(
    code: Option<String>,
    number: Option<String>,
    last_name: Option<String>,
) -> Result<Option<Verification>, AppError> {
    let state = crate::state::app_state()?;
    let address = crate::state::client_address();
    let now = crate::clock::now();
    server::throttle_lookup(&state.db, &address, now).await?;
    match code.filter(|c| !c.trim().is_empty()) {
        Some(code) => server::by_code(&state.db, &code, now).await,
        None => {
            let number = number.unwrap_or_default();
            let last_name = last_name.unwrap_or_default();
            if number.trim().is_empty() {
                return Err(AppError::invalid(
                    "number",
                    "Enter the certificate number, as printed (CITC-2026-000123).",
                ));
            }
            if last_name.trim().is_empty() {
                return Err(AppError::invalid(
                    "last_name",
                    "Enter the holder's last name.",
                ));
            }
            server::by_number(&state.db, &number, &last_name, now).await
        }
    }
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::{
        db::{certificates, certificates::CertificateRecord, Db},
        domain::certificate::{
            display_code, issue_date, last_name_matches, long_date, normalize_code,
            normalize_number, Status,
        },
    };
    use chrono::{DateTime, Duration, Utc};

    /// Look-ups allowed per client address in [`LOOKUP_WINDOW_MINUTES`]: plenty for a person
    /// checking a pile of certificates, far too few to guess 80-bit codes.
    pub const LOOKUP_LIMIT: i64 = 60;
    pub const LOOKUP_WINDOW_MINUTES: i64 = 10;

    pub async fn throttle_lookup(
        db: &Db,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let since = now - Duration::minutes(LOOKUP_WINDOW_MINUTES);
        if !certificates::admit_lookup(db, address, since, now, LOOKUP_LIMIT).await? {
            return Err(AppError::TooManyRequests(format!(
                "Too many look-ups from your network. Please wait {LOOKUP_WINDOW_MINUTES} minutes and try again."
            )));
        }
        Ok(())
    }

    pub fn item(c: &CertificateRecord, now: DateTime<Utc>) -> CertificateItem {
        let status = c.status_on(issue_date(now));
        CertificateItem {
            id: c.id,
            number: c.number.clone(),
            credential: c.kind().credential().to_owned(),
            course_title: c.course_title.clone(),
            holder_name: c.holder_name.clone(),
            issued_on: long_date(c.issued_on),
            expires_on: c.expires_on.map(long_date),
            status: status.as_str().to_owned(),
            status_label: status.label().to_owned(),
            code: display_code(&c.verification_code),
            verify_path: format!("/verify/{}", c.verification_code),
            download_path: format!("/certificates/{}/certificate.pdf", c.id),
            badge_path: format!("/api/badges/{}", c.verification_code),
            badge_jwt_path: format!("/api/badges/{}/jwt", c.verification_code),
        }
    }

    pub async fn my_certificates_in(
        db: &Db,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<CertificatesView, AppError> {
        let items = certificates::for_user(db, user_id)
            .await?
            .iter()
            .map(|c| item(c, now))
            .collect();
        Ok(CertificatesView { items })
    }

    /// The public view of `c` on `now`'s day.
    pub fn verification(c: &CertificateRecord, now: DateTime<Utc>) -> Verification {
        let status = c.status_on(issue_date(now));
        let status_text = match status {
            Status::Active => "Active".to_owned(),
            Status::Expired => match c.expires_on {
                Some(last) => format!("Expired (valid through {})", long_date(last)),
                None => "Expired".to_owned(),
            },
            Status::Revoked => match c.revoked_at {
                Some(at) => format!("Revoked on {}", long_date(issue_date(at))),
                None => "Revoked".to_owned(),
            },
        };
        Verification {
            holder_name: c.holder_name.clone(),
            credential: c.kind().credential().to_owned(),
            course_title: c.course_title.clone(),
            number: c.number.clone(),
            issued_on: long_date(c.issued_on),
            expires_on: c.expires_on.map(long_date),
            status: status.as_str().to_owned(),
            status_text,
            badge_path: format!("/api/badges/{}", c.verification_code),
            badge_jwt_path: format!("/api/badges/{}/jwt", c.verification_code),
        }
    }

    /// The certificate with verification code `typed` (as typed: dashes, case ignored).
    pub async fn find_by_code(db: &Db, typed: &str) -> Result<Option<CertificateRecord>, AppError> {
        match normalize_code(typed) {
            Some(code) => Ok(certificates::by_code(db, &code).await?),
            None => Ok(None),
        }
    }

    pub async fn by_code(
        db: &Db,
        typed: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Verification>, AppError> {
        Ok(find_by_code(db, typed)
            .await?
            .map(|c| verification(&c, now)))
    }

    pub async fn by_number(
        db: &Db,
        number: &str,
        last_name: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Verification>, AppError> {
        Ok(certificates::by_number(db, &normalize_number(number))
            .await?
            .filter(|c| last_name_matches(&c.holder_name, last_name))
            .map(|c| verification(&c, now)))
    }
}
