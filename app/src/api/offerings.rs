//! Upcoming offerings, registering and cancelling.

use crate::{
    error::AppError,
    model::{InvoiceView, MyRegistrationView, OfferingCard, OfferingView},
};
use leptos::prelude::*;

/// A course's upcoming offerings, soonest first.
#[server(prefix = "/api", endpoint = "course_offerings")]
pub async fn course_offerings(code: String) -> Result<Vec<OfferingCard>, AppError> {
    let state = crate::state::app_state()?;
    let now = crate::clock::now();
    let viewer = server::viewer_zone().await;
    let mut cards = Vec::new();
    for (offering, meetings) in
        crate::db::offerings::upcoming_for_course(&state.db, &code, now).await?
    {
        let waitlist = crate::db::offerings::waitlist_length(&state.db, offering.id).await?;
        cards.push(server::card(&offering, &meetings, waitlist, viewer, now));
    }
    Ok(cards)
}

/// One offering, and whether the viewer may register.
#[server(prefix = "/api", endpoint = "offering")]
pub async fn offering(id: i64) -> Result<OfferingView, AppError> {
    server::offering_view(id).await
}

/// Registers the signed-in person. The call-center fields are required for the 911 course.
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(
    offering_id: i64,
    call_center: Option<String>,
    job_role: Option<String>,
    supervisor_contact: Option<String>,
) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    let details = server::details(call_center, job_role, supervisor_contact);
    server::register(user, offering_id, details).await?;
    leptos_axum::redirect(&format!("/offerings/{offering_id}?registered=1"));
    Ok(())
}

/// Cancels one of the signed-in person's registrations (until the first meeting starts).
#[server(prefix = "/api", endpoint = "cancel_registration")]
pub async fn cancel_registration(registration_id: i64) -> Result<(), AppError> {
    let user = crate::state::require_user().await?;
    server::cancel(user, registration_id).await?;
    leptos_axum::redirect("/dashboard?cancelled=1");
    Ok(())
}

/// The signed-in person's registrations.
#[server(prefix = "/api", endpoint = "my_registrations")]
pub async fn my_registrations() -> Result<Vec<MyRegistrationView>, AppError> {
    let user = crate::state::require_user().await?;
    server::my_registrations(user.id).await
}

/// A registration's money document (an invoice, a receipt once paid, a "Fee waived"
/// confirmation): its owner's, or any for staff.
#[server(prefix = "/api", endpoint = "invoice")]
pub async fn invoice(registration_id: i64) -> Result<InvoiceView, AppError> {
    let user = crate::state::require_user().await?;
    server::invoice(user, registration_id).await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::{
        db::{
            self,
            offerings::{MeetingRecord, OfferingRecord},
            outbox::Attachment,
            registrations::{Details, Event, Outgoing, Recipient, RegisterError},
        },
        domain::{
            calendar::{offering_events, to_ics, withdrawn_events},
            catalog::{format_usd, Eligibility},
            mail::SiteUrl,
            payment::{PaymentDocument, PaymentStatus},
            person::required_text,
            registration::{may_cancel, may_register, needs_approval, RegistrationStatus, Window},
            registration_mail::{self, About},
            schedule::{parse_zone, Meeting},
            teaching_scope::FileReach,
            time_display::{describe_instant, describe_meetings},
        },
        error::AppError,
        model::{CurrentUser, InvoiceView, MyRegistrationView, OfferingCard, OfferingView},
    };
    use chrono::{DateTime, Utc};
    use chrono_tz::Tz;

    /// Whether `user_id` holds an active coordinator certificate on `now`'s day (what courses
    /// for active coordinators, such as continuing education, ask): the resource area's gate,
    /// without the staff exception.
    async fn holds_active_certificate(
        db: &db::Db,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let held = db::memberships::held(db, user_id).await?;
        let today = crate::domain::certificate::issue_date(now);
        Ok(crate::domain::membership::standing(&held, today).is_member())
    }

    /// The viewer's time zone: the one they chose in their settings, else their browser's
    /// (a cookie the client sets), if known.
    pub async fn viewer_zone() -> Option<Tz> {
        if let Ok(session) = crate::state::auth_session().await {
            if let Some(zone) = session.user.and_then(|u| parse_zone(&u.time_zone).ok()) {
                return Some(zone);
            }
        }
        let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
        let cookies = parts
            .headers
            .get(axum::http::header::COOKIE)?
            .to_str()
            .ok()?;
        let value = cookies
            .split(';')
            .map(str::trim)
            .find_map(|c| c.strip_prefix("tz="))?;
        let name = value.replace("%2F", "/");
        parse_zone(&name).ok()
    }

    fn meetings(records: &[MeetingRecord]) -> Vec<Meeting> {
        records
            .iter()
            .map(|m| Meeting {
                starts_at: m.starts_at,
                ends_at: m.ends_at,
            })
            .collect()
    }

    fn display_zone(offering: &OfferingRecord) -> Tz {
        parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver)
    }

    pub fn card(
        offering: &OfferingRecord,
        records: &[MeetingRecord],
        waitlist: i64,
        viewer: Option<Tz>,
        now: DateTime<Utc>,
    ) -> OfferingCard {
        OfferingCard {
            id: offering.id,
            when: describe_meetings(&meetings(records), display_zone(offering), viewer),
            evening: offering.preset == "evening",
            seats_left: (offering.capacity - offering.seats_taken).max(0),
            capacity: offering.capacity,
            waitlist,
            open: offering.status == "scheduled"
                && now >= offering.registration_opens_at
                && now < offering.registration_closes_at,
        }
    }

    fn window(offering: &OfferingRecord, records: &[MeetingRecord]) -> Window {
        Window {
            cancelled: offering.status == "cancelled",
            opens_at: offering.registration_opens_at,
            closes_at: offering.registration_closes_at,
            // An offering without meetings has "started": nobody can register for it.
            first_meeting_starts_at: records
                .first()
                .map(|m| m.starts_at)
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        }
    }

    pub async fn offering_view(id: i64) -> Result<OfferingView, AppError> {
        let state = crate::state::app_state()?;
        let now = crate::clock::now();
        let (offering, records) = db::offerings::find(&state.db, id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let viewer = viewer_zone().await;
        let zone = viewer.unwrap_or_else(|| display_zone(&offering));
        let waitlist = db::offerings::waitlist_length(&state.db, id).await?;
        let user = crate::state::current_user().await?;
        let mine = match &user {
            Some(u) => db::registrations::find_live(&state.db, id, u.id).await?,
            None => None,
        };
        let eligibility: Eligibility = offering.eligibility.parse().unwrap_or(Eligibility::Anyone);
        let opens = describe_instant(offering.registration_opens_at, zone);
        let certified = match &user {
            Some(u) => holds_active_certificate(&state.db, u.id, now).await?,
            None => false,
        };
        let refusal = may_register(
            window(&offering, &records),
            now,
            mine.is_some(),
            certified,
            eligibility,
            &opens,
        )
        .err()
        .map(|r| r.to_string());
        Ok(OfferingView {
            card: card(&offering, &records, waitlist, viewer, now),
            meetings: records
                .iter()
                .map(|m| {
                    format!(
                        "{} to {}",
                        describe_instant(m.starts_at, zone),
                        m.ends_at.with_timezone(&zone).format("%-I:%M %P")
                    )
                })
                .collect(),
            course_code: offering.course_code,
            course_title: offering.course_title,
            fee_cents: offering.fee_cents,
            needs_call_center: needs_approval(eligibility),
            cancelled: offering.status == "cancelled",
            refusal,
            mine: mine.map(|r| (r.id, r.status().label().to_owned())),
            signed_in: user.is_some(),
        })
    }

    /// The messages a registration change sends for this offering: texts from
    /// `registration_mail`, with the sessions attached as an .ics when the person has a seat.
    pub fn composer(
        offering: &OfferingRecord,
        records: &[MeetingRecord],
    ) -> Result<impl Fn(&Recipient, &Event) -> Option<Outgoing> + Send + Sync, AppError> {
        Ok(compose_with(&site_url()?, offering, records))
    }

    /// The site's public address, from the request context.
    pub fn site_url() -> Result<SiteUrl, AppError> {
        leptos::prelude::use_context::<SiteUrl>()
            .ok_or_else(|| AppError::internal("SiteUrl missing from context"))
    }

    /// [`composer`] for a known site address: usable where the request context is not, such
    /// as inside a transaction that has just changed the sessions.
    pub fn compose_with(
        site: &SiteUrl,
        offering: &OfferingRecord,
        records: &[MeetingRecord],
    ) -> impl Fn(&Recipient, &Event) -> Option<Outgoing> + Send + Sync {
        let link = site.link(&format!("/offerings/{}", offering.id));
        let when = describe_meetings(&meetings(records), display_zone(offering), None);
        let course = offering.course_title.clone();
        let approval = needs_approval(offering.eligibility.parse().unwrap_or(Eligibility::Anyone));
        let events = offering_events(
            offering.id,
            &offering.course_title,
            &records
                .iter()
                .map(MeetingRecord::for_calendar)
                .collect::<Vec<_>>(),
            &link,
        );
        let ics = to_ics(&events, crate::clock::now());
        let (offering_id, title) = (offering.id, offering.course_title.clone());
        move |to: &Recipient, event: &Event| {
            let about = About {
                name: &to.name,
                course: &course,
                when: &when,
                link: &link,
            };
            let attach = |ics: &str| {
                use base64::Engine;
                vec![Attachment {
                    filename: "cit-academy-class.ics".into(),
                    content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                    content_base64: base64::engine::general_purpose::STANDARD
                        .encode(ics.as_bytes()),
                }]
            };
            let calendar = || attach(&ics);
            let (text, attachments, kind) = match event {
                Event::Registered(RegistrationStatus::Confirmed) => (
                    registration_mail::confirmed(&about),
                    calendar(),
                    "registration_confirmed",
                ),
                Event::Registered(RegistrationStatus::PendingApproval) => (
                    registration_mail::pending_approval(&about),
                    vec![],
                    "registration_pending",
                ),
                Event::Registered(RegistrationStatus::Waitlisted) => (
                    registration_mail::waitlisted(&about),
                    vec![],
                    "registration_waitlisted",
                ),
                Event::Registered(_) => return None,
                Event::Promoted(status) => {
                    let seat = *status == RegistrationStatus::Confirmed;
                    (
                        registration_mail::promoted(&about, approval),
                        if seat { calendar() } else { vec![] },
                        "registration_promoted",
                    )
                }
                Event::Approved => (
                    registration_mail::approved(&about),
                    calendar(),
                    "registration_approved",
                ),
                Event::Rejected(reason) => (
                    registration_mail::rejected(&about, reason),
                    vec![],
                    "registration_rejected",
                ),
                Event::Cancelled => (
                    registration_mail::cancelled(&about),
                    vec![],
                    "registration_cancelled",
                ),
                Event::OfferingCancelled(reason) => (
                    registration_mail::offering_cancelled(&about, reason),
                    vec![],
                    "offering_cancelled",
                ),
                Event::Rescheduled { removed, seat } => {
                    let attachments = if *seat {
                        // The sessions as they are now, plus the withdrawn ones as
                        // cancelled, so calendars drop them.
                        let mut all = events.clone();
                        all.extend(withdrawn_events(offering_id, &title, removed, &link));
                        attach(&to_ics(&all, crate::clock::now()))
                    } else {
                        vec![]
                    };
                    (
                        registration_mail::rescheduled(&about, *seat),
                        attachments,
                        "offering_rescheduled",
                    )
                }
            };
            Some(Outgoing {
                subject: text.subject,
                body: text.body,
                attachments,
                kind,
            })
        }
    }

    pub fn details(
        call_center: Option<String>,
        job_role: Option<String>,
        supervisor_contact: Option<String>,
    ) -> Details {
        Details {
            call_center: call_center.unwrap_or_default().trim().to_owned(),
            job_role: job_role.unwrap_or_default().trim().to_owned(),
            supervisor_contact: supervisor_contact.unwrap_or_default().trim().to_owned(),
        }
    }

    pub async fn register(
        user: CurrentUser,
        offering_id: i64,
        details: Details,
    ) -> Result<RegistrationStatus, AppError> {
        let state = crate::state::app_state()?;
        let now = crate::clock::now();
        let (offering, records) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let eligibility: Eligibility = offering.eligibility.parse().unwrap_or(Eligibility::Anyone);
        let live = db::registrations::find_live(&state.db, offering_id, user.id)
            .await?
            .is_some();
        let opens = describe_instant(offering.registration_opens_at, display_zone(&offering));
        let certified = holds_active_certificate(&state.db, user.id, now).await?;
        may_register(
            window(&offering, &records),
            now,
            live,
            certified,
            eligibility,
            &opens,
        )
        .map_err(|r| AppError::Conflict(r.to_string()))?;
        let details = if needs_approval(eligibility) {
            Details {
                call_center: required_text(
                    "call_center",
                    &details.call_center,
                    "the name of your emergency call center",
                )?,
                job_role: required_text(
                    "job_role",
                    &details.job_role,
                    "your role at the call center",
                )?,
                supervisor_contact: required_text(
                    "supervisor_contact",
                    &details.supervisor_contact,
                    "your supervisor's name and phone or email",
                )?,
            }
        } else {
            Details::default()
        };
        let compose = composer(&offering, &records)?;
        match db::registrations::register(
            &state.db,
            offering_id,
            user.id,
            eligibility,
            offering.fee_cents,
            &details,
            &compose,
            now,
        )
        .await
        {
            Ok((id, status)) => {
                tracing::info!(registration_id = id, status = status.as_str(), "registered");
                Ok(status)
            }
            Err(RegisterError::AlreadyRegistered) => Err(AppError::Conflict(
                "You are already registered for this class. See your dashboard.".into(),
            )),
            Err(RegisterError::NotScheduled) => Err(AppError::Conflict(
                "This class is not open for registration.".into(),
            )),
            Err(RegisterError::Db(e)) => Err(e.into()),
        }
    }

    pub async fn cancel(user: CurrentUser, registration_id: i64) -> Result<(), AppError> {
        let state = crate::state::app_state()?;
        let now = crate::clock::now();
        let registration = db::registrations::find(&state.db, registration_id).await?;
        // Someone else's registration is "not found", not "forbidden": ids are not secrets,
        // but nothing about other people's registrations is confirmed either.
        let registration = registration
            .filter(|r| r.user_id == user.id)
            .ok_or_else(|| AppError::NotFound("We could not find that registration.".into()))?;
        let (offering, records) = db::offerings::find(&state.db, registration.offering_id)
            .await?
            .ok_or_else(|| AppError::internal("registration without offering"))?;
        let first = records
            .first()
            .map(|m| m.starts_at)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        may_cancel(registration.status(), first, now)
            .map_err(|m| AppError::Conflict(m.to_owned()))?;
        let compose = composer(&offering, &records)?;
        let promoted =
            db::registrations::cancel(&state.db, registration_id, Some(user.id), &compose, now)
                .await?;
        if let Some(Some(p)) = promoted {
            tracing::info!(
                registration_id = p.registration_id,
                "promoted from the waitlist"
            );
        }
        Ok(())
    }

    pub async fn invoice(user: CurrentUser, registration_id: i64) -> Result<InvoiceView, AppError> {
        let state = crate::state::app_state()?;
        let not_found = || AppError::NotFound("We could not find that registration.".into());
        let r = db::registrations::invoice(&state.db, registration_id)
            .await?
            .ok_or_else(not_found)?;
        // Another person's invoice is "not found" to anyone but the staff of their classes.
        if crate::state::file_reach(&state.db, &user, r.user_id).await? == FileReach::Nobody {
            return Err(not_found());
        }
        let (offering, records) = db::offerings::find(&state.db, r.offering_id)
            .await?
            .ok_or_else(|| AppError::internal("registration without offering"))?;
        let zone = display_zone(&offering);
        let payment: PaymentStatus = r.payment_status.parse().unwrap_or(PaymentStatus::Unpaid);
        Ok(InvoiceView {
            number: format!("CIT-{}-{:06}", r.created_at.format("%Y"), r.id),
            document: PaymentDocument::for_status(payment),
            issued: describe_instant(r.created_at, zone)
                .split(", ")
                .take(3)
                .collect::<Vec<_>>()
                .join(", "),
            name: r.name,
            email: r.email,
            agency: r.agency,
            course_title: r.course_title,
            when: describe_meetings(&meetings(&records), zone, None),
            amount: format_usd(r.amount_due_cents),
            due: format_usd(PaymentDocument::for_status(payment).due_cents(r.amount_due_cents)),
            payment_status: payment.label().to_owned(),
            payment_method: r
                .payment_method
                .parse::<crate::domain::payment::PaymentMethod>()
                .map(|m| m.label())
                .unwrap_or("")
                .to_owned(),
            payment_reference: r.payment_reference,
            paid_on: r
                .paid_at
                .map(|t| t.with_timezone(&zone).format("%B %-d, %Y").to_string())
                .unwrap_or_default(),
        })
    }

    pub async fn my_registrations(user_id: i64) -> Result<Vec<MyRegistrationView>, AppError> {
        let state = crate::state::app_state()?;
        let now = crate::clock::now();
        let viewer = viewer_zone().await;
        let today = crate::domain::certificate::issue_date(now);
        let held: Vec<_> = db::certificates::for_user(&state.db, user_id)
            .await?
            .into_iter()
            .filter(|c| c.status_on(today) == crate::domain::certificate::Status::Active)
            .collect();
        let mut out = Vec::new();
        for r in db::registrations::list_for_user(&state.db, user_id, now).await? {
            let zone =
                viewer.unwrap_or_else(|| parse_zone(&r.zone).unwrap_or(chrono_tz::America::Denver));
            let status: RegistrationStatus =
                r.status.parse().unwrap_or(RegistrationStatus::Cancelled);
            let payment: PaymentStatus = r.payment_status.parse().unwrap_or(PaymentStatus::Unpaid);
            let first = r.first_starts_at.unwrap_or(DateTime::<Utc>::MIN_UTC);
            let (mut join, mut attendance, mut test_shortfalls) = (None, Vec::new(), None);
            let mut certified = None;
            let (mut join_link, mut checked_in) = (false, None);
            if status == RegistrationStatus::Confirmed {
                use crate::api::teach::server::{assess, describe_cell};
                use crate::domain::attendance_rule::join_open;
                let (offering, meetings) = db::offerings::find(&state.db, r.offering_id)
                    .await?
                    .ok_or_else(|| AppError::internal("registration without offering"))?;
                let marks = db::attendance::marks_for_registration(&state.db, r.id).await?;
                let rule = db::attendance::rule_for_offering(&state.db, r.offering_id).await?;
                // A certified person is not invited to sit the test again.
                certified =
                    held.iter()
                        .find(|c| c.course_id == offering.course_id)
                        .map(|c| match c.expires_on {
                            Some(until) => format!(
                                "You are certified: certificate {}, valid through {}.",
                                c.number,
                                crate::domain::certificate::long_date(until)
                            ),
                            None => format!("You completed this course: certificate {}.", c.number),
                        });
                join = meetings
                    .iter()
                    .position(|m| {
                        offering.status == "scheduled" && join_open(m.starts_at, m.ends_at, now)
                    })
                    .map(|i| (meetings[i].id, i + 1));
                join_link = !offering.meeting_url.is_empty();
                if let Some((meeting, _)) = join {
                    checked_in = db::attendance::checked_in_at(&state.db, r.id, meeting)
                        .await?
                        .map(|t| {
                            format!(
                                "Checked in at {}",
                                t.with_timezone(&zone).format("%-I:%M %P")
                            )
                        });
                }
                attendance = meetings
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.starts_at <= now)
                    .map(|(i, m)| {
                        let cell = marks.iter().find(|c| c.meeting_id == m.id);
                        format!("Session {}: {}", i + 1, describe_cell(cell))
                    })
                    .collect();
                test_shortfalls = Some(
                    assess(&meetings, &marks, r.id, payment, rule)
                        .iter()
                        .map(crate::domain::attendance_rule::Shortfall::message)
                        .collect(),
                );
            }
            out.push(MyRegistrationView {
                id: r.id,
                offering_id: r.offering_id,
                course_title: r.course_title,
                when: match r.next_starts_at {
                    Some(t) if r.sessions > 1 => format!(
                        "Session {} of {}: {}",
                        r.sessions_done + 1,
                        r.sessions,
                        describe_instant(t, zone)
                    ),
                    Some(t) => describe_instant(t, zone),
                    None if r.sessions > 0 => "Finished".to_owned(),
                    None => String::new(),
                },
                starts: r
                    .first_starts_at
                    .map(|t| describe_instant(t, zone))
                    .unwrap_or_default(),
                status: status.label().to_owned(),
                payment: payment.label().to_owned(),
                amount_due: format_usd(r.amount_due_cents),
                document: PaymentDocument::for_status(payment),
                can_cancel: may_cancel(status, first, now).is_ok(),
                join,
                join_link,
                checked_in,
                attendance,
                test_shortfalls,
                certified,
            });
        }
        Ok(out)
    }
}
