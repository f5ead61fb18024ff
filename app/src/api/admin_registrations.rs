//! Administrators: approvals, rosters, payments and the offering list.

// Form-backed server functions take one argument per field (the client stub too).
#![allow(clippy::too_many_arguments)]

use crate::{
    error::AppError,
    model::{AdminOfferingsPage, PendingPage, RosterView},
};
use leptos::prelude::*;

/// A page of the registrations waiting for an administrator (oldest first by default).
#[server(prefix = "/api", endpoint = "pending_registrations")]
pub async fn pending_registrations(
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<PendingPage, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    server::pending(sort, parse_page(page.as_deref())).await
}

/// Approves or rejects a registration; a rejection needs a reason, which the person is told.
#[server(prefix = "/api", endpoint = "decide_registration")]
pub async fn decide_registration(
    registration_id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    server::decide(
        admin.id,
        registration_id,
        &decision,
        reason.unwrap_or_default().trim(),
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/registrations?decided={registration_id}"));
    Ok(())
}

/// A page of the upcoming (and last month's) offerings with their seats and queues, soonest
/// first by default.
#[server(prefix = "/api", endpoint = "admin_offerings")]
pub async fn admin_offerings(
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
) -> Result<AdminOfferingsPage, AppError> {
    use crate::components::paging::{parse_page, Sort};
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let sort = Sort::parse(sort.as_deref(), dir.as_deref());
    server::offerings(sort, parse_page(page.as_deref())).await
}

/// An offering's roster with payments.
#[server(prefix = "/api", endpoint = "offering_roster")]
pub async fn offering_roster(offering_id: i64) -> Result<RosterView, AppError> {
    crate::state::require_role(crate::domain::role::Role::Admin).await?;
    server::roster(offering_id).await
}

/// Records a payment (audited).
#[server(prefix = "/api", endpoint = "record_payment")]
pub async fn record_payment(
    registration_id: i64,
    payment_status: String,
    payment_method: Option<String>,
    payment_reference: Option<String>,
) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let offering_id = server::record_payment(
        admin.id,
        registration_id,
        &payment_status,
        &payment_method.unwrap_or_default(),
        &payment_reference.unwrap_or_default(),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/admin/offerings/{offering_id}?paid={registration_id}"
    ));
    Ok(())
}

/// Cancels a class and tells everyone registered (administrators).
#[server(prefix = "/api", endpoint = "cancel_offering")]
pub async fn cancel_offering(offering_id: i64, reason: String) -> Result<(), AppError> {
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::invalid(
            "reason",
            "Say in a sentence why the class is cancelled; everyone registered will read it.",
        ));
    }
    server::cancel_offering(admin.id, offering_id, reason).await?;
    leptos_axum::redirect(&format!("/admin/offerings/{offering_id}?cancelled=1"));
    Ok(())
}

/// Changes a class: seats (more seats go to the waitlist at once), registration window,
/// meeting link, status, instructors (emails, comma-separated).
#[server(prefix = "/api", endpoint = "update_offering")]
pub async fn update_offering(
    offering_id: i64,
    capacity: String,
    opens_on: String,
    closes_on: String,
    meeting_url: Option<String>,
    status: String,
    instructors: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::offering_form::ChangesInput;
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let input = ChangesInput {
        capacity,
        opens_on,
        closes_on,
        meeting_url: meeting_url.unwrap_or_default(),
        status,
    };
    server::update_offering(
        admin.id,
        offering_id,
        &input,
        &instructors.unwrap_or_default(),
    )
    .await?;
    leptos_axum::redirect(&format!("/admin/offerings/{offering_id}?updated=1"));
    Ok(())
}

/// Schedules a new class (administrators). Every field is checked before anything is saved.
#[server(prefix = "/api", endpoint = "create_offering")]
pub async fn create_offering(
    course_code: String,
    first_day: String,
    days: String,
    preset: String,
    start_time: Option<String>,
    end_time: Option<String>,
    zone: String,
    capacity: String,
    opens_on: Option<String>,
    closes_on: Option<String>,
    meeting_url: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::offering_form::{parse, OfferingInput};
    let admin = crate::state::require_role(crate::domain::role::Role::Admin).await?;
    let input = OfferingInput {
        first_day,
        days,
        preset,
        start_time: start_time.unwrap_or_default(),
        end_time: end_time.unwrap_or_default(),
        zone,
        capacity,
        opens_on: opens_on.unwrap_or_default(),
        closes_on: closes_on.unwrap_or_default(),
        meeting_url: meeting_url.unwrap_or_default(),
    };
    let parsed = parse(&input, crate::clock::now())?;
    let id = server::create(admin.id, &course_code, parsed).await?;
    leptos_axum::redirect(&format!("/admin/offerings/{id}?created=1"));
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use crate::{
        components::paging::{Paging, Sort},
        db::{self, offerings::OfferingSort, pending_registrations::PendingSort},
        domain::{
            catalog::format_usd,
            payment::{parse_record, PaymentMethod, PaymentStatus},
            registration::RegistrationStatus,
            schedule::{parse_zone, Meeting},
            time_display::{describe_instant, describe_meetings, describe_session},
        },
        error::AppError,
        model::{
            AdminOfferingView, AdminOfferingsPage, PendingPage, PendingView, RosterEntry,
            RosterView, SessionView,
        },
    };
    use chrono::Utc;

    fn zone(name: &str) -> chrono_tz::Tz {
        parse_zone(name).unwrap_or(chrono_tz::America::Denver)
    }

    pub async fn pending(sort: Sort<PendingSort>, page: u64) -> Result<PendingPage, AppError> {
        let state = crate::state::app_state()?;
        let total = db::pending_registrations::count_pending(&state.db).await?;
        let paging = Paging::new(
            "/admin/registrations",
            Vec::new(),
            page,
            sort,
            u64::try_from(total).unwrap_or(0),
        );
        let (limit, offset) = paging.window();
        let rows = db::pending_registrations::list_pending(&state.db, sort, limit, offset)
            .await?
            .into_iter()
            .map(|p| PendingView {
                id: p.id,
                offering_id: p.offering_id,
                course_title: p.course_title,
                name: p.name,
                email: p.email,
                agency: p.agency,
                call_center: p.call_center,
                job_role: p.job_role,
                supervisor_contact: p.supervisor_contact,
                submitted: describe_instant(p.created_at, chrono_tz::America::Denver),
            })
            .collect();
        Ok(PendingPage { rows, paging })
    }

    pub async fn decide(
        admin: i64,
        registration_id: i64,
        decision: &str,
        reason: &str,
    ) -> Result<(), AppError> {
        let approve = match decision {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::invalid("decision", "Choose approve or reject.")),
        };
        if !approve && reason.is_empty() {
            return Err(AppError::invalid(
                "reason",
                "Give the reason for rejecting; the person will read it.",
            ));
        }
        if reason.chars().count() > 1000 {
            return Err(AppError::invalid(
                "reason",
                "Keep the reason under 1,000 characters.",
            ));
        }
        let state = crate::state::app_state()?;
        let registration = db::registrations::find(&state.db, registration_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That registration no longer exists.".into()))?;
        let (offering, records) = db::offerings::find(&state.db, registration.offering_id)
            .await?
            .ok_or_else(|| AppError::internal("registration without offering"))?;
        let compose = crate::api::offerings::server::composer(&offering, &records)?;
        db::registrations::decide(
            &state.db,
            registration_id,
            approve,
            reason,
            admin,
            &compose,
            crate::clock::now(),
        )
        .await?
        .ok_or_else(|| AppError::Conflict("This registration was already decided.".into()))?;
        Ok(())
    }

    pub async fn offerings(
        sort: Sort<OfferingSort>,
        page: u64,
    ) -> Result<AdminOfferingsPage, AppError> {
        let state = crate::state::app_state()?;
        let since = crate::clock::now() - chrono::Duration::days(30);
        let total = db::offerings::count_for_admin(&state.db, since).await?;
        let paging = Paging::new(
            "/admin/offerings",
            Vec::new(),
            page,
            sort,
            u64::try_from(total).unwrap_or(0),
        );
        let (limit, offset) = paging.window();
        let mut out = Vec::new();
        for row in db::offerings::list_for_admin(&state.db, since, sort, limit, offset).await? {
            let (_, records) = db::offerings::find(&state.db, row.id)
                .await?
                .ok_or_else(|| AppError::internal("offering vanished"))?;
            let meetings: Vec<Meeting> = records
                .iter()
                .map(|m| Meeting {
                    starts_at: m.starts_at,
                    ends_at: m.ends_at,
                })
                .collect();
            out.push(AdminOfferingView {
                id: row.id,
                course_title: row.course_title,
                when: describe_meetings(&meetings, zone(&row.zone), None),
                evening: row.preset == "evening",
                seats: format!("{} of {}", row.seats_taken, row.capacity),
                status: row.status,
                waitlisted: row.waitlisted,
                pending: row.pending,
            });
        }
        Ok(AdminOfferingsPage { rows: out, paging })
    }

    pub async fn roster(offering_id: i64) -> Result<RosterView, AppError> {
        let state = crate::state::app_state()?;
        let (offering, records) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let meetings: Vec<Meeting> = records
            .iter()
            .map(|m| Meeting {
                starts_at: m.starts_at,
                ends_at: m.ends_at,
            })
            .collect();
        let rows = db::registrations::roster(&state.db, offering_id)
            .await?
            .into_iter()
            .map(|r| RosterEntry {
                registration_id: r.id,
                name: r.name,
                email: r.email,
                agency: r.agency,
                status: r
                    .status
                    .parse::<RegistrationStatus>()
                    .map(|s| s.label())
                    .unwrap_or("Unknown")
                    .to_owned(),
                amount_due: format_usd(r.amount_due_cents),
                payment_status: r
                    .payment_status
                    .parse::<PaymentStatus>()
                    .map(|s| s.as_str())
                    .unwrap_or("unpaid")
                    .to_owned(),
                payment_method: r
                    .payment_method
                    .parse::<PaymentMethod>()
                    .map(|m| m.as_str())
                    .unwrap_or("")
                    .to_owned(),
                payment_reference: r.payment_reference,
            })
            .collect();
        let tz = zone(&offering.zone);
        let instructors = db::offerings::instructors(&state.db, offering_id)
            .await?
            .into_iter()
            .map(|(_, _, email)| email)
            .collect::<Vec<_>>()
            .join(", ");
        // The closing instant is the end of a local day (or the first session): show that day.
        let closes_day = (offering.registration_closes_at - chrono::Duration::seconds(1))
            .with_timezone(&tz)
            .format("%Y-%m-%d")
            .to_string();
        Ok(RosterView {
            offering_id,
            course_title: offering.course_title.clone(),
            when: describe_meetings(&meetings, tz, None),
            seats: format!(
                "{} of {} seats taken",
                offering.seats_taken, offering.capacity
            ),
            rows,
            capacity: offering.capacity,
            opens_on: offering
                .registration_opens_at
                .with_timezone(&tz)
                .format("%Y-%m-%d")
                .to_string(),
            closes_on: closes_day,
            meeting_url: offering.meeting_url.clone(),
            status: offering.status.clone(),
            instructors,
            sessions: records
                .iter()
                .map(|m| {
                    let (start, end) =
                        (m.starts_at.with_timezone(&tz), m.ends_at.with_timezone(&tz));
                    SessionView {
                        id: m.id,
                        label: describe_session(
                            &Meeting {
                                starts_at: m.starts_at,
                                ends_at: m.ends_at,
                            },
                            tz,
                        ),
                        day: start.format("%Y-%m-%d").to_string(),
                        start: start.format("%H:%M").to_string(),
                        end: end.format("%H:%M").to_string(),
                        started: m.starts_at <= crate::clock::now(),
                    }
                })
                .collect(),
        })
    }

    pub async fn create(
        admin: i64,
        course_code: &str,
        parsed: crate::domain::offering_form::ParsedOffering,
    ) -> Result<i64, AppError> {
        let state = crate::state::app_state()?;
        let courses = db::courses::ids_by_code(&state.db).await?;
        let course_id = *courses
            .get(course_code)
            .ok_or_else(|| AppError::invalid("course_code", "Choose a course."))?;
        let new = db::offerings::NewOffering {
            course_id,
            zone: parsed.zone.name().to_owned(),
            preset: parsed.preset,
            capacity: parsed.capacity,
            registration_opens_at: parsed.registration_opens_at,
            registration_closes_at: parsed.registration_closes_at,
            meeting_url: parsed.meeting_url,
            meetings: parsed
                .meetings
                .iter()
                .map(|m| (m.starts_at, m.ends_at))
                .collect(),
            instructor_ids: Vec::new(),
        };
        let id = db::offerings::insert(&state.db, &new, Some(admin), crate::clock::now()).await?;
        tracing::info!(offering_id = id, "offering created");
        Ok(id)
    }

    pub async fn update_offering(
        admin: i64,
        offering_id: i64,
        input: &crate::domain::offering_form::ChangesInput,
        instructors: &str,
    ) -> Result<(), AppError> {
        use crate::db::offerings::{OfferingChanges, UpdateOfferingError};
        let state = crate::state::app_state()?;
        let (offering, records) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let first = records
            .first()
            .map(|m| m.starts_at)
            .unwrap_or_else(Utc::now);
        let parsed =
            crate::domain::offering_form::parse_changes(input, zone(&offering.zone), first)?;
        let mut instructor_ids = Vec::new();
        for email in instructors
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let not_staff = || {
                AppError::invalid("instructors", format!("{email} is not an instructor's account. Give them the instructor role first."))
            };
            let parsed_email =
                crate::domain::email::Email::parse(email).map_err(|_| not_staff())?;
            let user = db::users::find_by_email(&state.db, &parsed_email)
                .await?
                .filter(|u| u.role().is_staff())
                .ok_or_else(not_staff)?;
            if !instructor_ids.contains(&user.id) {
                instructor_ids.push(user.id);
            }
        }
        let changes = OfferingChanges {
            capacity: parsed.capacity,
            registration_opens_at: parsed.registration_opens_at,
            registration_closes_at: parsed.registration_closes_at,
            meeting_url: parsed.meeting_url,
            status: parsed.status,
            instructor_ids,
        };
        let compose = crate::api::offerings::server::composer(&offering, &records)?;
        match db::registrations::update_offering(
            &state.db,
            offering_id,
            &changes,
            admin,
            &compose,
            crate::clock::now(),
        )
        .await
        {
            Ok(promoted) => {
                tracing::info!(offering_id, promoted = promoted.len(), "offering updated");
                Ok(())
            }
            Err(UpdateOfferingError::CapacityBelowTaken(taken)) => Err(AppError::invalid(
                "capacity",
                format!("{taken} seats are taken; the class needs at least that many."),
            )),
            Err(UpdateOfferingError::NotFound) => Err(AppError::Conflict(
                "A cancelled class cannot be changed.".into(),
            )),
            Err(UpdateOfferingError::Db(e)) => Err(e.into()),
        }
    }

    pub async fn cancel_offering(
        admin: i64,
        offering_id: i64,
        reason: &str,
    ) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let (offering, records) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let compose = crate::api::offerings::server::composer(&offering, &records)?;
        let told = db::registrations::cancel_offering(
            &state.db,
            offering_id,
            reason,
            admin,
            &compose,
            crate::clock::now(),
        )
        .await?
        .ok_or_else(|| {
            AppError::Conflict("This class is not scheduled, so it cannot be cancelled.".into())
        })?;
        tracing::info!(offering_id, told, "offering cancelled");
        Ok(())
    }

    /// Returns the offering the registration belongs to.
    pub async fn record_payment(
        admin: i64,
        registration_id: i64,
        status: &str,
        method: &str,
        reference: &str,
    ) -> Result<i64, AppError> {
        // Keyed by registration: the roster has one payment form per person.
        let record = parse_record(status, method, reference).map_err(|(field, message)| {
            AppError::invalid(format!("{field}-{registration_id}"), message)
        })?;
        let state = crate::state::app_state()?;
        let registration = db::registrations::find(&state.db, registration_id)
            .await?
            .ok_or_else(|| AppError::NotFound("That registration no longer exists.".into()))?;
        db::registrations::record_payment(
            &state.db,
            registration_id,
            &record,
            admin,
            crate::clock::now(),
        )
        .await?;
        tracing::info!(
            registration_id,
            status = record.status.as_str(),
            "payment recorded"
        );
        Ok(registration.offering_id)
    }
}
