//! Continuing education and renewal as the holder sees it: the dashboard's line ("Certified
//! through June 18, 2029 · renewal window opens June 18, 2028 · CE hours 2 of 4"), the CE
//! classes that would count, and renewing once the hours are there.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A CE class that would count toward renewal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountingClass {
    pub offering_id: i64,
    pub title: String,
    pub hours: i64,
    pub when: String,
}

/// CE done elsewhere that an administrator recorded for the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedCe {
    pub title: String,
    pub hours: i64,
    /// "September 1, 2028".
    pub completed: String,
    /// "Approved · counts toward renewal", "Approved · outside your renewal window" or
    /// "Not approved · does not count": said in words, not by colour.
    pub status: String,
    /// The evidence file's address, if one was attached.
    pub evidence_href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalView {
    pub number: String,
    /// "Certified through June 18, 2029 · renewal window opens June 18, 2028 · CE hours 2 of 4".
    pub line: String,
    pub hours: i64,
    pub needed: i64,
    /// "not_yet", "collecting", "ready" or "closed".
    pub standing: String,
    /// Times renewed so far.
    pub renewals: i64,
    pub counting: Vec<CountingClass>,
    /// CE done elsewhere, newest first.
    pub recorded: Vec<RecordedCe>,
}

/// The signed-in person's renewal standing; `None` without a coordinator certificate.
#[server(prefix = "/api", endpoint = "my_renewal")]
pub async fn my_renewal() -> Result<Option<RenewalView>, AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    server::view(&state.db, user.id, state.renewal, crate::clock::now()).await
}

/// Renews the signed-in person's coordinator certificate, if their CE meets the requirement.
#[server(prefix = "/api", endpoint = "renew_certificate")]
pub async fn renew_certificate() -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let state = crate::state::app_state()?;
    server::renew(&state.db, user.id, state.renewal, crate::clock::now()).await?;
    leptos_axum::redirect("/dashboard?renewed=1");
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::{CountingClass, RecordedCe, RenewalView};
    use crate::{
        db::{
            self,
            renewal::{RenewError, RenewalRecord},
            Db,
        },
        domain::{
            certificate::{issue_date, long_date},
            renewal::{self, Credit, Policy, Standing, Window},
            time_display::describe_instant,
        },
        error::AppError,
    };
    use chrono::{DateTime, Utc};

    pub fn line(
        cert: &RenewalRecord,
        hours: i64,
        policy: Policy,
        today: chrono::NaiveDate,
    ) -> String {
        let window = cert.window(policy);
        let verb = if today > cert.expires_on {
            "Expired after"
        } else {
            "Certified through"
        };
        let opens = if today < window.opens_on {
            "renewal window opens"
        } else {
            "renewal window opened"
        };
        format!(
            "{verb} {} · {opens} {} · CE hours {hours} of {}",
            long_date(cert.expires_on),
            long_date(window.opens_on),
            policy.hours_needed
        )
    }

    pub async fn view(
        db: &Db,
        user_id: i64,
        policy: Policy,
        now: DateTime<Utc>,
    ) -> Result<Option<RenewalView>, AppError> {
        let Some(cert) = db::renewal::current(db, user_id).await? else {
            return Ok(None);
        };
        let today = issue_date(now);
        let window = cert.window(policy);
        let hours = renewal::hours_in_window(&db::renewal::credits(db, user_id).await?, &window);
        let standing = renewal::standing(&window, hours, policy, today);
        let counting = db::renewal::upcoming_ce(db, now)
            .await?
            .into_iter()
            .filter(|(.., last)| window.contains(issue_date(*last)))
            .map(|(offering_id, title, hours, first, _)| CountingClass {
                offering_id,
                title,
                hours,
                when: describe_instant(first, chrono_tz::America::Denver),
            })
            .collect();
        Ok(Some(RenewalView {
            number: cert.number.clone(),
            line: line(&cert, hours, policy, today),
            hours,
            needed: policy.hours_needed,
            standing: match standing {
                Standing::NotYet => "not_yet",
                Standing::Collecting => "collecting",
                Standing::Ready => "ready",
                Standing::Closed => "closed",
            }
            .to_owned(),
            renewals: cert.renewals,
            counting,
            recorded: recorded(db, user_id, &window).await?,
        }))
    }

    /// The holder's CE done elsewhere, each saying whether it counts in `window`.
    async fn recorded(db: &Db, user_id: i64, window: &Window) -> Result<Vec<RecordedCe>, AppError> {
        Ok(db::ce_records::for_user(db, user_id)
            .await?
            .into_iter()
            .map(|r| {
                let credit = Credit {
                    completed_on: r.completed_on,
                    hours: r.hours,
                    counts: r.approved,
                };
                let status = match (r.approved, credit.counts_in(window)) {
                    (false, _) => "Not approved · does not count",
                    (true, true) => "Approved · counts toward renewal",
                    (true, false) => "Approved · outside your renewal window",
                };
                RecordedCe {
                    evidence_href: r
                        .has_file()
                        .then(|| crate::api::ce_records::server::evidence_href(r.id)),
                    title: r.title,
                    hours: r.hours,
                    completed: long_date(r.completed_on),
                    status: status.to_owned(),
                }
            })
            .collect())
    }

    pub async fn renew(
        db: &Db,
        user_id: i64,
        policy: Policy,
        now: DateTime<Utc>,
    ) -> Result<chrono::NaiveDate, AppError> {
        let link = leptos::prelude::use_context::<crate::domain::mail::SiteUrl>()
            .map(|s| s.link("/certificates"))
            .unwrap_or_else(|| "/certificates".to_owned());
        db::renewal::renew(db, user_id, policy, &link, now).await.map_err(|e| match e {
            RenewError::NotFound => AppError::NotFound("You have no coordinator certificate to renew.".into()),
            RenewError::NotReady(Standing::NotYet) => AppError::Conflict("Your renewal window has not opened yet: continuing education counts from the start of your certificate's third year.".into()),
            RenewError::NotReady(Standing::Closed) => AppError::Conflict("Your certificate expired and can no longer be renewed. Take the coordinator certification course again to be certified.".into()),
            RenewError::NotReady(_) => AppError::Conflict("You do not have enough continuing-education hours in your renewal window yet.".into()),
            RenewError::Db(e) => AppError::internal(e),
        })
    }
}
