//! Course materials: the people who run a class add files and links to it (or to one of its
//! sessions) and remove them; the people in the class see them on the class page. Files are
//! uploaded through a plain multipart form to the server's own route (`server/src/materials.rs`),
//! which calls [`server::add_file`]; downloads go through `/materials/{id}`, which calls
//! [`server::open`]. Both check access on the server every time.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One material as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialItem {
    pub id: i64,
    pub title: String,
    /// Where it opens: `/materials/{id}`, which checks access on every request.
    pub href: String,
    /// "PDF · 1.2 MB" or "Link · cit.example".
    pub detail: String,
    /// "Whole class" or "Session 2 · Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT".
    pub belongs_to: String,
    /// When it was added, in the class's zone.
    pub added: String,
}

/// Materials under one heading: the whole class, or one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialGroup {
    pub heading: String,
    pub items: Vec<MaterialItem>,
}

/// A session to attach a material to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionChoice {
    pub id: i64,
    pub label: String,
}

/// The page where a class's staff manage its materials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMaterialsView {
    pub offering_id: i64,
    pub course_title: String,
    pub when: String,
    pub sessions: Vec<SessionChoice>,
    /// Whole class first, then session by session.
    pub items: Vec<MaterialItem>,
}

/// The "Class materials" section of a class page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassMaterialsView {
    pub offering_id: i64,
    /// Only groups that have materials.
    pub groups: Vec<MaterialGroup>,
    /// The viewer runs the class (and gets a link to manage the materials).
    pub staff: bool,
}

/// A class's materials for the people who run it.
#[server(prefix = "/api", endpoint = "materials_for_staff")]
pub async fn materials_for_staff(offering_id: i64) -> Result<StaffMaterialsView, AppError> {
    crate::state::require_offering_staff(offering_id).await?;
    server::staff_view(offering_id).await
}

/// A class's materials for the class page: `None` when the viewer may not open them (the
/// section is then left out).
#[server(prefix = "/api", endpoint = "class_materials")]
pub async fn class_materials(offering_id: i64) -> Result<Option<ClassMaterialsView>, AppError> {
    let user = crate::state::current_user().await?;
    server::class_view(user.as_ref(), offering_id).await
}

/// Adds an https link to a class, or to one of its sessions (`meeting_id` empty: the whole class).
#[server(prefix = "/api", endpoint = "add_material_link")]
pub async fn add_material_link(
    offering_id: i64,
    title: String,
    url: String,
    meeting_id: Option<String>,
) -> Result<(), AppError> {
    let user = crate::state::require_offering_staff(offering_id).await?;
    let meeting = meeting_id.unwrap_or_default();
    server::add_link(user.id, offering_id, &title, &url, &meeting).await?;
    leptos_axum::redirect(&format!(
        "/teach/offerings/{offering_id}/materials?added=link"
    ));
    Ok(())
}

/// Removes a material (and its stored file).
#[server(prefix = "/api", endpoint = "remove_material")]
pub async fn remove_material(material_id: i64) -> Result<(), AppError> {
    crate::state::require_role(crate::domain::role::Role::Instructor).await?;
    let offering_id = server::remove(material_id).await?;
    leptos_axum::redirect(&format!(
        "/teach/offerings/{offering_id}/materials?removed=1"
    ));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::{
        ClassMaterialsView, MaterialGroup, MaterialItem, SessionChoice, StaffMaterialsView,
    };
    use crate::{
        db::{
            self,
            materials::{Content, MaterialRecord, NewMaterial},
            offerings::{MeetingRecord, OfferingRecord},
        },
        domain::{
            registration::RegistrationStatus,
            schedule::{parse_zone, Meeting},
            time_display::{describe_instant, describe_meetings, describe_session},
        },
        error::AppError,
        model::CurrentUser,
        state::AppState,
        storage::{
            accept::{self, Refusal},
            keep::{self, Download, UploadedFile},
        },
    };

    /// Who may open a class's materials.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Access {
        /// Runs the class: an administrator or an instructor assigned to it.
        Staff,
        /// Holds a seat in it.
        Attendee,
        None,
    }

    /// Whether a registration in this state opens the class's materials: those holding a seat,
    /// confirmed or waiting for an administrator's approval (pre-reading should reach them
    /// before the class, and the seat is theirs unless rejected). The waitlisted do not:
    /// they have no seat, and may never get one.
    pub fn registration_opens_materials(status: RegistrationStatus) -> bool {
        status.holds_seat()
    }

    /// The viewer's access to offering `offering_id`'s materials.
    pub async fn access(
        db: &db::Db,
        user: Option<&CurrentUser>,
        offering_id: i64,
    ) -> Result<Access, AppError> {
        let Some(user) = user else {
            return Ok(Access::None);
        };
        if crate::state::may_run_offering(db, user, offering_id).await? {
            return Ok(Access::Staff);
        }
        let registration = db::registrations::find_live(db, offering_id, user.id).await?;
        Ok(match registration {
            Some(r) if registration_opens_materials(r.status()) => Access::Attendee,
            _ => Access::None,
        })
    }

    /// What `/materials/{id}` sends.
    #[derive(Debug)]
    pub enum Opened {
        File(Download),
        Link(String),
    }

    /// Opens material `material_id` for `user`. `NotFound` both when there is no such
    /// material and when the user may not open it, so a guessed id tells nothing.
    pub async fn open(
        state: &AppState,
        user: &CurrentUser,
        material_id: i64,
    ) -> Result<Opened, AppError> {
        let not_found = || AppError::NotFound("We could not find that material.".into());
        let material = db::materials::find(&state.db, material_id)
            .await?
            .ok_or_else(not_found)?;
        if access(&state.db, Some(user), material.offering_id).await? == Access::None {
            tracing::info!(material_id, "material refused");
            return Err(not_found());
        }
        if !material.is_file() {
            return Ok(Opened::Link(material.url));
        }
        let file = keep::fetch(
            state.storage.as_ref(),
            &material.storage_key,
            material.filename,
            material.content_type,
            "material",
            not_found,
        )
        .await?;
        Ok(Opened::File(file))
    }

    /// A file as the upload form sent it.
    #[derive(Debug, Default)]
    pub struct Upload {
        pub title: String,
        /// The session select's value: "" for the whole class, else a meeting id.
        pub meeting: String,
        pub file: UploadedFile,
    }

    /// Checks and stores an uploaded file for offering `offering_id`; the caller has checked
    /// that `actor` runs it. On refusal nothing is stored.
    pub async fn add_file(
        state: &AppState,
        actor: i64,
        offering_id: i64,
        upload: Upload,
    ) -> Result<i64, Refusal> {
        let (_, meetings) = db::offerings::find(&state.db, offering_id)
            .await
            .map_err(|e| {
                tracing::error!(offering_id, error = %e, "material upload failed");
                Refusal::Trouble
            })?
            .ok_or(Refusal::Trouble)?;
        let title = accept::parse_title(&upload.title).map_err(|_| Refusal::Title)?;
        let meeting_id = parse_meeting(&upload.meeting, &meetings).map_err(|_| Refusal::Session)?;
        let id =
            keep::store_then_insert(state.storage.as_ref(), &upload.file, "material", |stored| {
                let title = &title;
                async move {
                    let new = NewMaterial {
                        offering_id,
                        meeting_id,
                        title,
                        content: Content::File(stored.columns()),
                    };
                    db::materials::insert(&state.db, &new, actor, crate::clock::now()).await
                }
            })
            .await?;
        tracing::info!(offering_id, material_id = id, "material file added");
        Ok(id)
    }

    pub async fn add_link(
        actor: i64,
        offering_id: i64,
        title: &str,
        url: &str,
        meeting: &str,
    ) -> Result<i64, AppError> {
        let state = crate::state::app_state()?;
        let (_, meetings) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let title = accept::parse_title(title).map_err(|m| AppError::invalid("title-link", m))?;
        let url = accept::parse_link(url).map_err(|m| AppError::invalid("url", m))?;
        let meeting_id = parse_meeting(meeting, &meetings)
            .map_err(|_| AppError::invalid("meeting_id-link", accept::SESSION_MESSAGE))?;
        let new = NewMaterial {
            offering_id,
            meeting_id,
            title: &title,
            content: Content::Link { url: &url },
        };
        let id = db::materials::insert(&state.db, &new, actor, crate::clock::now()).await?;
        tracing::info!(offering_id, material_id = id, "material link added");
        Ok(id)
    }

    /// Removes a material and then its file; returns its offering.
    pub async fn remove(material_id: i64) -> Result<i64, AppError> {
        let state = crate::state::app_state()?;
        let gone = || AppError::NotFound("That material was already removed.".into());
        let material = db::materials::find(&state.db, material_id)
            .await?
            .ok_or_else(gone)?;
        let user = crate::state::require_offering_staff(material.offering_id).await?;
        let removed = db::materials::delete(&state.db, material_id, user.id, crate::clock::now())
            .await?
            .ok_or_else(gone)?;
        if removed.is_file() {
            keep::discard(state.storage.as_ref(), &removed.storage_key, "material").await;
        }
        tracing::info!(
            material_id,
            offering_id = removed.offering_id,
            "material removed"
        );
        Ok(removed.offering_id)
    }

    /// "" is the whole class; otherwise one of the offering's meetings.
    fn parse_meeting(raw: &str, meetings: &[MeetingRecord]) -> Result<Option<i64>, ()> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let id: i64 = raw.parse().map_err(|_| ())?;
        meetings
            .iter()
            .any(|m| m.id == id)
            .then_some(Some(id))
            .ok_or(())
    }

    pub async fn staff_view(offering_id: i64) -> Result<StaffMaterialsView, AppError> {
        let state = crate::state::app_state()?;
        let (offering, meetings) = db::offerings::find(&state.db, offering_id)
            .await?
            .ok_or_else(|| AppError::NotFound("We could not find that class.".into()))?;
        let records = db::materials::list_for_offering(&state.db, offering_id).await?;
        let labels = session_labels(&offering, &meetings);
        let items = grouped(&offering, &labels, records)
            .into_iter()
            .flat_map(|g| g.items)
            .collect();
        let tz = zone(&offering);
        let spans: Vec<Meeting> = meetings.iter().map(as_meeting).collect();
        Ok(StaffMaterialsView {
            offering_id,
            course_title: offering.course_title.clone(),
            when: describe_meetings(&spans, tz, None),
            sessions: labels
                .into_iter()
                .map(|(id, label)| SessionChoice { id, label })
                .collect(),
            items,
        })
    }

    pub async fn class_view(
        user: Option<&CurrentUser>,
        offering_id: i64,
    ) -> Result<Option<ClassMaterialsView>, AppError> {
        let state = crate::state::app_state()?;
        let access = access(&state.db, user, offering_id).await?;
        if access == Access::None {
            return Ok(None);
        }
        let Some((offering, meetings)) = db::offerings::find(&state.db, offering_id).await? else {
            return Ok(None);
        };
        let records = db::materials::list_for_offering(&state.db, offering_id).await?;
        let labels = session_labels(&offering, &meetings);
        Ok(Some(ClassMaterialsView {
            offering_id,
            groups: grouped(&offering, &labels, records),
            staff: access == Access::Staff,
        }))
    }

    fn zone(offering: &OfferingRecord) -> chrono_tz::Tz {
        parse_zone(&offering.zone).unwrap_or(chrono_tz::America::Denver)
    }

    fn as_meeting(m: &MeetingRecord) -> Meeting {
        Meeting {
            starts_at: m.starts_at,
            ends_at: m.ends_at,
        }
    }

    /// (meeting id, "Session 2 · Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT") in order.
    fn session_labels(offering: &OfferingRecord, meetings: &[MeetingRecord]) -> Vec<(i64, String)> {
        let tz = zone(offering);
        meetings
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    m.id,
                    format!(
                        "Session {} · {}",
                        i + 1,
                        describe_session(&as_meeting(m), tz)
                    ),
                )
            })
            .collect()
    }

    /// The whole class's materials, then each session's; empty groups left out.
    fn grouped(
        offering: &OfferingRecord,
        labels: &[(i64, String)],
        records: Vec<MaterialRecord>,
    ) -> Vec<MaterialGroup> {
        const WHOLE: &str = "Whole class";
        let tz = zone(offering);
        let mut groups: Vec<(Option<i64>, MaterialGroup)> =
            std::iter::once((None, WHOLE.to_owned()))
                .chain(labels.iter().map(|(id, label)| (Some(*id), label.clone())))
                .map(|(id, heading)| {
                    (
                        id,
                        MaterialGroup {
                            heading,
                            items: Vec::new(),
                        },
                    )
                })
                .collect();
        for r in records {
            let Some((_, group)) = groups.iter_mut().find(|(id, _)| *id == r.meeting_id) else {
                continue;
            };
            let detail = if r.is_file() {
                keep::describe(&r.content_type, r.size_bytes)
            } else {
                format!("Link · {}", accept::link_host(&r.url))
            };
            group.items.push(MaterialItem {
                id: r.id,
                href: format!("/materials/{}", r.id),
                title: r.title,
                detail,
                belongs_to: group.heading.clone(),
                added: describe_instant(r.added_at, tz),
            });
        }
        groups
            .into_iter()
            .map(|(_, g)| g)
            .filter(|g| !g.items.is_empty())
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn seats_open_materials_the_waitlist_does_not() {
            assert!(registration_opens_materials(RegistrationStatus::Confirmed));
            assert!(registration_opens_materials(
                RegistrationStatus::PendingApproval
            ));
            assert!(!registration_opens_materials(
                RegistrationStatus::Waitlisted
            ));
            assert!(!registration_opens_materials(RegistrationStatus::Cancelled));
            assert!(!registration_opens_materials(RegistrationStatus::Rejected));
        }
    }
}
