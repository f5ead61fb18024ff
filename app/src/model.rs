//! Data shapes that travel between server and browser.

use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// The signed-in person, as pages need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub agency: String,
}

/// A course in the catalog list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub summary: String,
    pub hours: i64,
    pub fee_cents: i64,
    pub includes_membership: bool,
    pub eligibility: String,
    pub format: String,
}

/// A course page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub course: CourseSummary,
    /// As written (Markdown), for the edit form.
    pub description: String,
    /// Rendered and sanitised, for the page.
    pub description_html: String,
    pub ce_hours: i64,
    /// Who may sit the test, by attendance.
    pub attendance_rule: crate::domain::attendance_rule::Rule,
    pub topics: Vec<String>,
}

/// A row of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserListItem {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub role: Role,
    pub created_at: String,
}

/// A page of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserListItem>,
    /// Where the list is, for the page links and the sort heading.
    pub paging: crate::components::paging::Paging,
}

/// An upcoming offering as a course page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferingCard {
    pub id: i64,
    /// "June 17-18 · 9:00 am-1:00 pm MT (11:00 am-3:00 pm EDT, your time)".
    pub when: String,
    pub evening: bool,
    pub seats_left: i64,
    pub capacity: i64,
    pub waitlist: i64,
    /// Registration is open now (not before opening, not after closing).
    pub open: bool,
}

/// One offering's page: what, when, seats, and where the viewer stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferingView {
    pub card: OfferingCard,
    pub course_code: String,
    pub course_title: String,
    pub fee_cents: i64,
    pub needs_call_center: bool,
    /// One line per meeting, e.g. "Wednesday, June 17, 2026, 9:00 am MDT to 1:00 pm".
    pub meetings: Vec<String>,
    pub cancelled: bool,
    /// Why the viewer may not register now (None: they may).
    pub refusal: Option<String>,
    /// The viewer's live registration: (id, status label).
    pub mine: Option<(i64, String)>,
    pub signed_in: bool,
}

/// A registration on its owner's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRegistrationView {
    pub id: i64,
    pub offering_id: i64,
    pub course_title: String,
    /// The next session ("Session 2 of 2: Thursday, June 18, 2026, 9:00 am MDT"), or
    /// "Finished".
    pub when: String,
    /// When the class starts, to name it ("Wednesday, June 17, 2026, 9:00 am MDT").
    pub starts: String,
    pub status: String,
    pub payment: String,
    pub amount_due: String,
    /// The money document the payment status gives (the dashboard links to it by its title).
    pub document: crate::domain::payment::PaymentDocument,
    pub can_cancel: bool,
    /// The session open for joining now (from 15 minutes before it until it ends): its id,
    /// for `/join/{id}`, and its number.
    pub join: Option<(i64, usize)>,
    /// Whether the class has a video-meeting link ("Join session" is offered only then;
    /// "Check in" is offered either way).
    pub join_link: bool,
    /// For the session open now: "Checked in at 8:58 am" once the person has.
    pub checked_in: Option<String>,
    /// For a confirmed seat: each session's attendance ("Session 1: Present · 240 min").
    pub attendance: Vec<String>,
    /// For a confirmed seat: why the person may not sit the test yet (empty: they may).
    pub test_shortfalls: Option<Vec<String>>,
    /// The active certificate of this course the person holds ("You are certified: ..."):
    /// then the test is not offered.
    pub certified: Option<String>,
}

/// A registration waiting for an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingView {
    pub id: i64,
    pub offering_id: i64,
    pub course_title: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub call_center: String,
    pub job_role: String,
    pub supervisor_contact: String,
    pub submitted: String,
}

/// An offering's roster for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterView {
    pub offering_id: i64,
    pub course_title: String,
    pub when: String,
    pub seats: String,
    pub rows: Vec<RosterEntry>,
    /// The class's settings, for the edit form.
    pub capacity: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub meeting_url: String,
    pub status: String,
    pub instructors: String,
    /// The sessions, in order, for rescheduling.
    pub sessions: Vec<SessionView>,
}

/// One session of a class, for the administrator's rescheduling forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    /// "Wednesday, June 17, 2026 · 9:00 am-1:00 pm MDT", in the class's zone.
    pub label: String,
    /// The local day and times in the class's zone, for the inputs.
    pub day: String,
    pub start: String,
    pub end: String,
    /// A session that has started can be neither moved nor removed.
    pub started: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub registration_id: i64,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub status: String,
    pub amount_due: String,
    pub payment_status: String,
    pub payment_method: String,
    pub payment_reference: String,
}

/// A row of the administrators' offering list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOfferingView {
    pub id: i64,
    pub course_title: String,
    pub when: String,
    pub evening: bool,
    pub seats: String,
    pub status: String,
    pub waitlisted: i64,
    pub pending: i64,
}

/// A page of the administrators' list of classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOfferingsPage {
    pub rows: Vec<AdminOfferingView>,
    pub paging: crate::components::paging::Paging,
}

/// A page of the registrations waiting for approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPage {
    pub rows: Vec<PendingView>,
    pub paging: crate::components::paging::Paging,
}

/// A registration's money document: an invoice, a receipt once paid, a "Fee waived"
/// confirmation, or a refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceView {
    pub number: String,
    pub document: crate::domain::payment::PaymentDocument,
    pub issued: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub course_title: String,
    pub when: String,
    /// The course fee.
    pub amount: String,
    /// What is still owed ($0.00 unless unpaid).
    pub due: String,
    pub payment_status: String,
    pub payment_method: String,
    pub payment_reference: String,
    pub paid_on: String,
}
