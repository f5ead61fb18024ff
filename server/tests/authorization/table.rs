//! THE table: every page, server function and file route, and who may use it.
//!
//! One row per (route, target): a route whose answer depends on whose record it names has a
//! row for each record (the caller's own class or attempt, and someone else's). Expectations
//! are in role order `[visitor, attendee, certified coordinator, instructor, admin]`:
//!
//! * `A`: allowed. The route answered (a page or file, a redirect that is not to sign-in, or
//!   a form error about the input, which comes only after the permission checks).
//! * `S`: refused, asked to sign in (401, or a redirect to /signin; `Unauthenticated`).
//! * `F`: refused, forbidden (403; `Forbidden`).
//! * `N`: refused as if it did not exist (404; `NotFound`), so as not to reveal it.
//!
//! Placeholders in `{braces}` name records of the fixture world (`world.rs`).
//!
//! Rows for server functions that change things send input that fails validation where that
//! is enough to pass the permission checks (the checks come first in every function), or
//! target a spare record; rows marked `.last()` run after all the others because what they
//! do (cancel, remove, sign out) would change what other rows see.

/// Who asks. The order of the columns of every row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Visitor,
    Attendee,
    Coordinator,
    Instructor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Visitor,
        Role::Attendee,
        Role::Coordinator,
        Role::Instructor,
        Role::Admin,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    SignIn,
    Forbidden,
    NotFound,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Leptos page, fetched as a browser navigates.
    Page,
    /// A server function, submitted as a form without JavaScript.
    ServerFn,
    /// A plain axum route (downloads, uploads, the JSON API).
    File,
}

pub struct Row {
    pub kind: Kind,
    pub method: &'static str,
    /// The route as the router knows it (`/offerings/{id}`, `/api/register`).
    pub route: &'static str,
    /// What is requested, with fixture placeholders (`/offerings/{other_offering}`).
    pub target: &'static str,
    /// Form fields (server functions; multipart for uploads), with placeholders.
    pub args: &'static [(&'static str, &'static str)],
    pub expect: [Outcome; 5],
    /// Runs after every other row (it changes what they would see, or ends the session).
    pub last: bool,
    /// The body is multipart (file uploads).
    pub multipart: bool,
}

impl Row {
    const fn last(mut self) -> Row {
        self.last = true;
        self
    }
    const fn multipart(mut self) -> Row {
        self.multipart = true;
        self
    }
}

/// A row with no flags; the constructors below fill in what differs by kind.
const fn row(
    kind: Kind,
    method: &'static str,
    route: &'static str,
    target: &'static str,
    args: &'static [(&'static str, &'static str)],
    expect: [Outcome; 5],
) -> Row {
    Row {
        kind,
        method,
        route,
        target,
        args,
        expect,
        last: false,
        multipart: false,
    }
}

const fn page(route: &'static str, target: &'static str, expect: [Outcome; 5]) -> Row {
    row(Kind::Page, "GET", route, target, &[], expect)
}

/// A server function; `route` is its path (`/api/<endpoint>`).
const fn call(
    route: &'static str,
    args: &'static [(&'static str, &'static str)],
    expect: [Outcome; 5],
) -> Row {
    row(Kind::ServerFn, "POST", route, route, args, expect)
}

const fn get(route: &'static str, target: &'static str, expect: [Outcome; 5]) -> Row {
    row(Kind::File, "GET", route, target, &[], expect)
}

/// A multipart upload (no file: enough to pass or fail the permission checks).
const fn upload(
    route: &'static str,
    target: &'static str,
    args: &'static [(&'static str, &'static str)],
    expect: [Outcome; 5],
) -> Row {
    row(Kind::File, "POST", route, target, args, expect).multipart()
}

use Outcome::{Allow as A, Forbidden as F, NotFound as N, SignIn as S};

/// Anyone, signed in or not.
const PUBLIC: [Outcome; 5] = [A, A, A, A, A];
/// Anyone signed in, about themselves.
const SIGNED_IN: [Outcome; 5] = [S, A, A, A, A];
/// Administrators only.
const ADMIN: [Outcome; 5] = [S, F, F, F, A];
/// Instructors (any) and administrators: what is about the instructor themselves.
const INSTRUCTORS: [Outcome; 5] = [S, F, F, A, A];
/// A course the instructor teaches a class of (CITC): its bank, scenarios, preview, item
/// analysis, regrading and evaluations.
const OWN_COURSE: [Outcome; 5] = [S, F, F, A, A];
/// A course the instructor teaches no class of (CIT911): administrators only.
const OTHER_COURSE: [Outcome; 5] = [S, F, F, F, A];
/// The instructor's own class (`{offering}`), its meetings and attempts.
const OWN_CLASS: [Outcome; 5] = [S, F, F, A, A];
/// A class the instructor does not teach (`{other_offering}`).
const OTHER_CLASS: [Outcome; 5] = [S, F, F, F, A];
/// A registration of the instructor's class named with a class it does not belong to.
const MISMATCHED: [Outcome; 5] = [S, F, F, N, N];
/// The attendee's own registration or attempt: theirs alone (staff use the /teach pages).
const ATTENDEES_OWN: [Outcome; 5] = [S, A, N, N, N];
/// The other attendee's registration or attempt.
const SOMEONE_ELSES: [Outcome; 5] = [S, N, N, N, N];
/// The coordinator library: certified coordinators, and staff (DESIGN: "or are staff").
const LIBRARY: [Outcome; 5] = [S, F, A, A, A];
/// The attendee's own invoice or CE evidence: theirs, their class's instructor's (the
/// instructor teaches the attendee's class) and administrators'.
const OWNER_AND_STAFF: [Outcome; 5] = [S, A, N, A, A];
/// A file of someone else in the instructor's class (a certificate): staff only.
const CLASS_FILE: [Outcome; 5] = [S, N, N, A, A];
/// A file of someone in no class the instructor teaches (the other attendee's invoice,
/// certificate or CE evidence): administrators only, "not found" to everyone else.
const OTHER_CLASS_FILE: [Outcome; 5] = [S, N, N, N, A];

/// Every route. Keep rows grouped as the app's modules are.
#[rustfmt::skip] // one row a line: the table reads as a table
pub const ROWS: &[Row] = &[
    // ---- Pages: public ----
    page("/", "/", PUBLIC),
    page("/courses", "/courses", PUBLIC),
    page("/courses/{code}", "/courses/CITC", PUBLIC),
    page("/offerings/{id}", "/offerings/{offering}", PUBLIC),
    page("/signup", "/signup", PUBLIC),
    page("/signin", "/signin", PUBLIC),
    page("/verify", "/verify", PUBLIC),
    page("/verify/{code}", "/verify/{coord_code}", PUBLIC),
    page("/forgot-password", "/forgot-password", PUBLIC),
    page("/reset-password/{token}", "{reset_link}", PUBLIC),
    page("/verify-email/{token}", "{verify_link}", PUBLIC),
    // ---- Pages: the signed-in person's own ----
    page("/dashboard", "/dashboard", SIGNED_IN),
    page("/settings", "/settings", SIGNED_IN),
    page("/certificates", "/certificates", SIGNED_IN),
    page("/registrations/{id}/invoice", "/registrations/{own_reg}/invoice", OWNER_AND_STAFF),
    page("/registrations/{id}/invoice", "/registrations/{other_reg}/invoice", OTHER_CLASS_FILE),
    page("/registrations/{id}/test", "/registrations/{own_reg}/test", ATTENDEES_OWN),
    page("/registrations/{id}/test", "/registrations/{other_reg}/test", SOMEONE_ELSES),
    page("/attempts/{id}", "/attempts/{own_attempt}", ATTENDEES_OWN),
    page("/attempts/{id}", "/attempts/{other_attempt}", SOMEONE_ELSES),
    page("/attempts/{id}/review", "/attempts/{own_attempt}/review", ATTENDEES_OWN),
    page("/attempts/{id}/review", "/attempts/{other_attempt}/review", SOMEONE_ELSES),
    page("/attempts/{id}/result", "/attempts/{own_attempt}/result", ATTENDEES_OWN),
    page("/attempts/{id}/result", "/attempts/{other_attempt}/result", SOMEONE_ELSES),
    // The attendee's class has not ended: the page says when the evaluation opens.
    page("/registrations/{id}/evaluation", "/registrations/{own_reg}/evaluation", ATTENDEES_OWN),
    page("/registrations/{id}/evaluation", "/registrations/{other_reg}/evaluation", SOMEONE_ELSES),
    // ---- Pages: the coordinator library ----
    page("/resources", "/resources", LIBRARY),
    page("/resources/{id}", "/resources/{resource_page}", LIBRARY),
    // ---- Pages: administration ----
    page("/admin/resources", "/admin/resources", ADMIN),
    page("/admin/courses", "/admin/courses", ADMIN),
    page("/admin/courses/new", "/admin/courses/new", ADMIN),
    page("/admin/courses/{code}/edit", "/admin/courses/CITC/edit", ADMIN),
    page("/admin/courses/{code}/test", "/admin/courses/CITC/test", ADMIN),
    page("/admin/offerings", "/admin/offerings", ADMIN),
    page("/admin/offerings/new", "/admin/offerings/new", ADMIN),
    page("/admin/offerings/{id}", "/admin/offerings/{offering}", ADMIN),
    page("/admin/registrations", "/admin/registrations", ADMIN),
    page("/admin/users", "/admin/users", ADMIN),
    page("/admin/certificates", "/admin/certificates", ADMIN),
    page("/admin/members", "/admin/members", ADMIN),
    page("/admin/certificates/{id}", "/admin/certificates/{other_cert}", ADMIN),
    page("/admin/certificates/import", "/admin/certificates/import", ADMIN),
    page("/admin/ce", "/admin/ce", ADMIN),
    page("/admin/reports", "/admin/reports", ADMIN),
    page("/admin/audit", "/admin/audit", ADMIN),
    page("/admin/shipments", "/admin/shipments", ADMIN),
    // ---- Pages: teaching ----
    page("/teach/offerings/{id}", "/teach/offerings/{offering}", OWN_CLASS),
    page("/teach/offerings/{id}", "/teach/offerings/{other_offering}", OTHER_CLASS),
    page("/teach/offerings/{id}/gradebook", "/teach/offerings/{offering}/gradebook", OWN_CLASS),
    page("/teach/offerings/{id}/gradebook", "/teach/offerings/{other_offering}/gradebook", OTHER_CLASS),
    page("/teach/offerings/{id}/materials", "/teach/offerings/{offering}/materials", OWN_CLASS),
    page("/teach/offerings/{id}/materials", "/teach/offerings/{other_offering}/materials", OTHER_CLASS),
    page("/teach/offerings/{id}/grading", "/teach/offerings/{offering}/grading", OWN_CLASS),
    page("/teach/offerings/{id}/grading", "/teach/offerings/{other_offering}/grading", OTHER_CLASS),
    page("/teach/offerings/{id}/evaluations", "/teach/offerings/{offering}/evaluations", OWN_CLASS),
    page("/teach/offerings/{id}/evaluations", "/teach/offerings/{other_offering}/evaluations", OTHER_CLASS),
    // A course's evaluations: administrators, and instructors of one of its classes.
    page("/teach/courses/{code}/evaluations", "/teach/courses/CITC/evaluations", OWN_COURSE),
    page("/teach/courses/{code}/evaluations", "/teach/courses/CIT911/evaluations", OTHER_COURSE),
    page("/teach/grading/{id}", "/teach/grading/{own_item}", OWN_CLASS),
    page("/teach/grading/{id}", "/teach/grading/{other_item}", OTHER_CLASS),
    page("/teach/attempts/{id}", "/teach/attempts/{own_attempt}", OWN_CLASS),
    page("/teach/attempts/{id}", "/teach/attempts/{other_attempt}", OTHER_CLASS),
    page("/teach/meetings/{id}", "/teach/meetings/{meeting}", OWN_CLASS),
    page("/teach/meetings/{id}", "/teach/meetings/{other_meeting}", OTHER_CLASS),
    page("/teach/meetings/{id}/import", "/teach/meetings/{meeting}/import", OWN_CLASS),
    page("/teach/meetings/{id}/import", "/teach/meetings/{other_meeting}/import", OTHER_CLASS),
    page("/teach/bank/{code}", "/teach/bank/CITC", OWN_COURSE),
    page("/teach/bank/{code}/preview", "/teach/bank/CITC/preview", OWN_COURSE),
    page("/teach/bank/{code}/analysis", "/teach/bank/CITC/analysis", OWN_COURSE),
    page("/teach/bank/{code}/questions/new", "/teach/bank/CITC/questions/new", OWN_COURSE),
    page("/teach/bank/{code}/questions/{id}", "/teach/bank/CITC/questions/{question}", OWN_COURSE),
    page("/teach/bank/{code}/questions/{id}/regrade", "/teach/bank/CITC/questions/{question}/regrade", OWN_COURSE),
    page("/teach/bank/{code}/scenarios/new", "/teach/bank/CITC/scenarios/new", OWN_COURSE),
    page("/teach/bank/{code}/scenarios/{id}", "/teach/bank/CITC/scenarios/{scenario}", OWN_COURSE),
    // The 911 course's bank: the instructor teaches no class of it.
    page("/teach/bank/{code}", "/teach/bank/CIT911", OTHER_COURSE),
    page("/teach/bank/{code}/preview", "/teach/bank/CIT911/preview", OTHER_COURSE),
    page("/teach/bank/{code}/analysis", "/teach/bank/CIT911/analysis", OTHER_COURSE),
    page("/teach/bank/{code}/questions/new", "/teach/bank/CIT911/questions/new", OTHER_COURSE),
    page("/teach/bank/{code}/questions/{id}", "/teach/bank/CIT911/questions/{other_question}", OTHER_COURSE),
    page("/teach/bank/{code}/questions/{id}/regrade", "/teach/bank/CIT911/questions/{other_question}/regrade", OTHER_COURSE),
    page("/teach/bank/{code}/scenarios/new", "/teach/bank/CIT911/scenarios/new", OTHER_COURSE),
    page("/teach/bank/{code}/scenarios/{id}", "/teach/bank/CIT911/scenarios/{other_scenario}", OTHER_COURSE),
    // ---- Server functions: session and catalog ----
    call("/api/who_am_i", &[], PUBLIC),
    call("/api/sign_up", &[("name", ""), ("email", "x"), ("password", ""), ("agency", ""), ("agency_type", "")], PUBLIC),
    call("/api/sign_in", &[("email", "{other_email}"), ("password", "not her password")], PUBLIC),
    call("/api/sign_out", &[], PUBLIC).last(),
    call("/api/list_courses", &[], PUBLIC),
    call("/api/get_course", &[("code", "CITC")], PUBLIC),
    call("/api/course_offerings", &[("code", "CITC")], PUBLIC),
    call("/api/offering", &[("id", "{offering}")], PUBLIC),
    call("/api/verify_certificate", &[("code", "{coord_code}")], PUBLIC),
    call("/api/forgot_password", &[("email", "nobody@example.org")], PUBLIC),
    call("/api/check_reset_link", &[("token", "not-a-token")], PUBLIC),
    call("/api/reset_password", &[("token", "not-a-token"), ("password", ""), ("password_confirm", "")], PUBLIC),
    call("/api/check_verify_link", &[("token", "not-a-token")], PUBLIC),
    call("/api/confirm_email", &[("token", "not-a-token"), ("password", "")], PUBLIC),
    // ---- Server functions: the account ----
    call("/api/account_settings", &[], SIGNED_IN),
    call("/api/resend_verification", &[], SIGNED_IN),
    call("/api/update_profile", &[("name", ""), ("agency", ""), ("agency_type", "")], SIGNED_IN),
    call("/api/update_shipping", &[("street", ""), ("city", ""), ("region", ""), ("postal_code", ""), ("country", "")], SIGNED_IN),
    call("/api/update_time_zone", &[("time_zone", "Not/AZone")], SIGNED_IN),
    call("/api/change_password", &[("current_password", "wrong"), ("new_password", ""), ("new_password_confirm", "")], SIGNED_IN),
    call("/api/my_certificates", &[], SIGNED_IN),
    call("/api/my_renewal", &[], SIGNED_IN),
    // Not found: no certificate to renew (only the coordinator holds one).
    call("/api/renew_certificate", &[], [S, N, A, N, N]),
    call("/api/my_guide", &[], SIGNED_IN),
    call("/api/set_guide_address", &[("address", "")], SIGNED_IN),
    // The library answers everyone signed in; what it holds back is in its value (the
    // pages above check the gate itself).
    call("/api/resource_library", &[], SIGNED_IN),
    call("/api/resource_page", &[("id", "{resource_page}")], SIGNED_IN),
    // ---- Server functions: registrations ----
    call("/api/register", &[("offering_id", "{spare_offering}")], SIGNED_IN),
    call("/api/my_registrations", &[], SIGNED_IN),
    call("/api/my_membership", &[], SIGNED_IN),
    call("/api/admin_members", &[], ADMIN),
    // Only people with a seat check in (outside the session's window: refused, after the checks).
    call("/api/self_check_in", &[("meeting_id", "{meeting}")], ATTENDEES_OWN),
    call("/api/self_check_in", &[("meeting_id", "{other_meeting}")], SOMEONE_ELSES),
    call("/api/invoice", &[("registration_id", "{own_reg}")], OWNER_AND_STAFF),
    call("/api/invoice", &[("registration_id", "{other_reg}")], OTHER_CLASS_FILE),
    // Before the cancellations below (rows marked last run in table order).
    call("/api/start_test", &[("registration_id", "{own_reg}")], ATTENDEES_OWN).last(),
    call("/api/cancel_registration", &[("registration_id", "{other_reg}")], SOMEONE_ELSES).last(),
    call("/api/cancel_registration", &[("registration_id", "{own_reg}")], ATTENDEES_OWN).last(),
    // ---- Server functions: taking the test ----
    call("/api/test_home", &[("registration_id", "{own_reg}")], ATTENDEES_OWN),
    call("/api/test_home", &[("registration_id", "{other_reg}")], SOMEONE_ELSES),
    call("/api/start_test", &[("registration_id", "{other_reg}")], SOMEONE_ELSES),
    call("/api/attempt_question", &[("attempt_id", "{own_attempt}")], ATTENDEES_OWN),
    call("/api/attempt_question", &[("attempt_id", "{other_attempt}")], SOMEONE_ELSES),
    call("/api/save_answer", &[("attempt_id", "{own_attempt}"), ("position", "0"), ("seq", "99"), ("single", "0")], ATTENDEES_OWN),
    call("/api/save_answer", &[("attempt_id", "{other_attempt}"), ("position", "0"), ("seq", "99"), ("single", "0")], SOMEONE_ELSES),
    call("/api/submit_attempt", &[("attempt_id", "{own_attempt}")], ATTENDEES_OWN),
    call("/api/server_clock", &[], SIGNED_IN),
    call("/api/submit_attempt", &[("attempt_id", "{other_attempt}")], SOMEONE_ELSES),
    call("/api/attempt_result", &[("attempt_id", "{own_attempt}")], ATTENDEES_OWN),
    call("/api/attempt_result", &[("attempt_id", "{other_attempt}")], SOMEONE_ELSES),
    // ---- Server functions: course evaluations ----
    call("/api/evaluation_form", &[("registration_id", "{own_reg}")], ATTENDEES_OWN),
    call("/api/evaluation_form", &[("registration_id", "{other_reg}")], SOMEONE_ELSES),
    // The class has not ended: refused as not open yet, after the checks of whose it is.
    call("/api/send_evaluation", &[("registration_id", "{own_reg}"), ("content", "5")], ATTENDEES_OWN),
    call("/api/send_evaluation", &[("registration_id", "{other_reg}"), ("content", "5")], SOMEONE_ELSES),
    call("/api/my_waiting_evaluations", &[], SIGNED_IN),
    call("/api/offering_evaluations", &[("offering_id", "{offering}")], OWN_CLASS),
    call("/api/offering_evaluations", &[("offering_id", "{other_offering}")], OTHER_CLASS),
    call("/api/course_evaluations", &[("code", "CITC")], OWN_COURSE),
    call("/api/course_evaluations", &[("code", "CIT911")], OTHER_COURSE),
    // The other attendee's evaluation, whose author did not agree: refused after the checks.
    call("/api/set_testimonial", &[("evaluation_id", "{evaluation}"), ("publish", "true")], ADMIN),
    call("/api/course_testimonials", &[("code", "CITC")], PUBLIC),
    // ---- Server functions: administration ----
    call("/api/list_users", &[], ADMIN),
    call("/api/change_role", &[("user_id", "{admin_user}"), ("role", "attendee")], ADMIN),
    call("/api/pending_registrations", &[], ADMIN),
    call("/api/decide_registration", &[("registration_id", "{other_reg}"), ("decision", "bogus")], ADMIN),
    call("/api/admin_offerings", &[], ADMIN),
    call("/api/offering_roster", &[("offering_id", "{offering}")], ADMIN),
    call("/api/record_payment", &[("registration_id", "{other_reg}"), ("payment_status", "bogus")], ADMIN),
    call("/api/cancel_offering", &[("offering_id", "{spare_offering}"), ("reason", "")], ADMIN),
    call("/api/update_offering", &[("offering_id", "{offering}"), ("capacity", "x"), ("opens_on", ""), ("closes_on", ""), ("status", "")], ADMIN),
    call("/api/create_offering", &[("course_code", "CITC"), ("first_day", "x"), ("days", ""), ("preset", ""), ("zone", ""), ("capacity", "")], ADMIN),
    call("/api/move_meeting", &[("offering_id", "{spare_offering}"), ("meeting_id", "{spare_meeting}"), ("day", "x"), ("start", ""), ("end", "")], ADMIN),
    call("/api/add_meeting", &[("offering_id", "{spare_offering}"), ("day", "x"), ("start", ""), ("end", "")], ADMIN),
    call("/api/remove_meeting", &[("offering_id", "{spare_offering}"), ("meeting_id", "{spare_meeting}")], ADMIN).last(),
    call("/api/save_course", &[("code", ""), ("title", ""), ("kind", ""), ("summary", ""), ("description", ""), ("hours", ""), ("fee", ""), ("eligibility", ""), ("format", ""), ("new_topics", "")], ADMIN),
    call("/api/course_topics", &[("code", "CITC")], ADMIN),
    call("/api/test_settings", &[("code", "CITC")], ADMIN),
    call("/api/save_test_settings", &[("code", "CITC"), ("time_limit_minutes", "x"), ("pass_percent", ""), ("attempts_allowed", ""), ("wait_hours", ""), ("review_policy", "")], ADMIN),
    call("/api/publish_test", &[("code", "CITC")], ADMIN),
    call("/api/admin_certificates", &[], ADMIN),
    call("/api/admin_certificate", &[("id", "{other_cert}")], ADMIN),
    call("/api/revoke_certificate", &[("certificate_id", "{other_cert}"), ("reason", "")], ADMIN),
    call("/api/reissue_certificate", &[("certificate_id", "{other_cert}"), ("holder_name", "")], ADMIN),
    call("/api/admin_resources", &[], ADMIN),
    call("/api/add_resource_link", &[("title", ""), ("category", ""), ("summary", ""), ("url", "")], ADMIN),
    call("/api/add_resource_page", &[("title", ""), ("category", ""), ("summary", ""), ("body", "")], ADMIN),
    call("/api/remove_resource", &[("resource_id", "{spare_resource}")], ADMIN),
    call("/api/shipping_queue", &[], ADMIN),
    call("/api/mark_guide_shipped", &[("shipment_id", "{shipment}"), ("carrier", ""), ("tracking", "")], ADMIN),
    // ---- Server functions: question banks (any instructor) ----
    call("/api/question_bank", &[("code", "CITC")], OWN_COURSE),
    call("/api/question_for_edit", &[("code", "CITC"), ("id", "{question}")], OWN_COURSE),
    call("/api/save_question", &[("code", "CITC"), ("topic_id", "{topic}"), ("points", "x"), ("gift", "")], OWN_COURSE),
    call("/api/set_question_status", &[("code", "CITC"), ("question_id", "{question}"), ("status", "bogus")], OWN_COURSE),
    call("/api/preview_test", &[("code", "CITC")], OWN_COURSE),
    call("/api/import_gift", &[("code", "CITC"), ("gift", ""), ("mode", "preview")], OWN_COURSE),
    call("/api/item_analysis", &[("code", "CITC")], OWN_COURSE),
    call("/api/scenario_for_edit", &[("code", "CITC"), ("id", "{scenario}")], OWN_COURSE),
    call("/api/save_scenario", &[("code", "CITC"), ("title", ""), ("vignette", ""), ("status", "draft")], OWN_COURSE),
    call("/api/set_scenario_status", &[("code", "CITC"), ("scenario_id", "{scenario}"), ("status", "bogus")], OWN_COURSE),
    call("/api/regrade_question", &[("code", "CITC"), ("question_id", "{question}")], OWN_COURSE),
    call("/api/apply_regrade", &[("code", "CITC"), ("question_id", "{question}"), ("plan", "bogus")], OWN_COURSE),
    call("/api/my_question_banks", &[], INSTRUCTORS),
    // ---- Server functions: the 911 course's bank (the instructor teaches no class of it) ----
    call("/api/question_bank", &[("code", "CIT911")], OTHER_COURSE),
    call("/api/question_for_edit", &[("code", "CIT911"), ("id", "{other_question}")], OTHER_COURSE),
    // Creating a question, and changing the key of its live one (new version).
    call("/api/save_question", &[("code", "CIT911"), ("topic_id", "{other_topic}"), ("points", "x"), ("gift", "")], OTHER_COURSE),
    call("/api/save_question", &[("code", "CIT911"), ("id", "{other_question}"), ("topic_id", "{other_topic}"), ("points", "x"), ("gift", "")], OTHER_COURSE),
    // Its question named through the bank the instructor does teach: valid input, refused
    // as not in that bank (nothing saved, for administrators too).
    call("/api/save_question", &[("code", "CITC"), ("id", "{other_question}"), ("topic_id", "{topic}"), ("points", "1"), ("gift", "{rekeyed_gift}")], [S, F, F, N, N]),
    call("/api/set_question_status", &[("code", "CIT911"), ("question_id", "{other_question}"), ("status", "bogus")], OTHER_COURSE),
    call("/api/preview_test", &[("code", "CIT911")], OTHER_COURSE),
    call("/api/import_gift", &[("code", "CIT911"), ("gift", ""), ("mode", "preview")], OTHER_COURSE),
    call("/api/item_analysis", &[("code", "CIT911")], OTHER_COURSE),
    call("/api/scenario_for_edit", &[("code", "CIT911"), ("id", "{other_scenario}")], OTHER_COURSE),
    call("/api/save_scenario", &[("code", "CIT911"), ("title", ""), ("vignette", ""), ("status", "draft")], OTHER_COURSE),
    call("/api/set_scenario_status", &[("code", "CIT911"), ("scenario_id", "{other_scenario}"), ("status", "bogus")], OTHER_COURSE),
    call("/api/regrade_question", &[("code", "CIT911"), ("question_id", "{other_question}")], OTHER_COURSE),
    call("/api/apply_regrade", &[("code", "CIT911"), ("question_id", "{other_question}"), ("plan", "bogus")], OTHER_COURSE),
    // ---- Server functions: teaching a class ----
    call("/api/my_classes", &[], INSTRUCTORS),
    call("/api/teaching_overview", &[], INSTRUCTORS),
    call("/api/teach_offering", &[("offering_id", "{offering}")], OWN_CLASS),
    call("/api/teach_offering", &[("offering_id", "{other_offering}")], OTHER_CLASS),
    call("/api/set_test_window", &[("offering_id", "{offering}"), ("opens_on", "x"), ("closes_on", "")], OWN_CLASS),
    call("/api/set_test_window", &[("offering_id", "{other_offering}"), ("opens_on", "x"), ("closes_on", "")], OTHER_CLASS),
    call("/api/set_accommodation", &[("offering_id", "{offering}"), ("registration_id", "{own_reg}"), ("extra_time_percent", "x"), ("extra_attempts", "")], OWN_CLASS),
    call("/api/set_accommodation", &[("offering_id", "{offering}"), ("registration_id", "{other_reg}"), ("extra_time_percent", "0"), ("extra_attempts", "0")], MISMATCHED),
    call("/api/set_accommodation", &[("offering_id", "{other_offering}"), ("registration_id", "{other_reg}"), ("extra_time_percent", "x"), ("extra_attempts", "")], OTHER_CLASS),
    call("/api/roll_call", &[("meeting_id", "{meeting}")], OWN_CLASS),
    call("/api/roll_call", &[("meeting_id", "{other_meeting}")], OTHER_CLASS),
    call("/api/save_roll_call", &[("meeting_id", "{meeting}")], OWN_CLASS),
    call("/api/save_roll_call", &[("meeting_id", "{other_meeting}")], OTHER_CLASS),
    call("/api/mark_all_present", &[("meeting_id", "{meeting}")], OWN_CLASS),
    call("/api/mark_all_present", &[("meeting_id", "{other_meeting}")], OTHER_CLASS),
    call("/api/record_make_up", &[("meeting_id", "{meeting}"), ("registration_id", "{own_reg}"), ("note", "")], OWN_CLASS),
    call("/api/record_make_up", &[("meeting_id", "{meeting}"), ("registration_id", "{other_reg}"), ("note", "")], MISMATCHED),
    call("/api/record_make_up", &[("meeting_id", "{other_meeting}"), ("registration_id", "{other_reg}"), ("note", "")], OTHER_CLASS),
    call("/api/certificate_import_page", &[], ADMIN),
    call("/api/admin_ce_records", &[], ADMIN),
    call("/api/set_ce_approval", &[("record_id", "{ce_record}"), ("approved", "false")], ADMIN),
    call("/api/admin_reports", &[], ADMIN),
    call("/api/report_courses", &[], ADMIN),
    call("/api/admin_audit", &[], ADMIN),
    call("/api/upload_certificate_import", &[("file", "name,email\n")], ADMIN).multipart(),
    call("/api/confirm_certificate_import", &[("draft", "0")], ADMIN),
    call("/api/attendance_import_page", &[("meeting_id", "{meeting}")], OWN_CLASS),
    call("/api/attendance_import_page", &[("meeting_id", "{other_meeting}")], OTHER_CLASS),
    // A report (as a text part) is needed to get past reading the form to the class check.
    call("/api/upload_attendance_report", &[("meeting_id", "{meeting}"), ("report", "Name,Email\n")], OWN_CLASS).multipart(),
    call("/api/upload_attendance_report", &[("meeting_id", "{other_meeting}"), ("report", "Name,Email\n")], OTHER_CLASS).multipart(),
    call("/api/apply_attendance_import", &[("meeting_id", "{meeting}"), ("draft", "0")], OWN_CLASS),
    call("/api/apply_attendance_import", &[("meeting_id", "{other_meeting}"), ("draft", "0")], OTHER_CLASS),
    call("/api/gradebook", &[("offering_id", "{offering}")], OWN_CLASS),
    call("/api/gradebook", &[("offering_id", "{other_offering}")], OTHER_CLASS),
    call("/api/grading_queue", &[("offering_id", "{offering}"), ("names", "false")], OWN_CLASS),
    call("/api/grading_queue", &[("offering_id", "{other_offering}"), ("names", "false")], OTHER_CLASS),
    call("/api/grading_item", &[("item_id", "{own_item}"), ("names", "false")], OWN_CLASS),
    call("/api/grading_item", &[("item_id", "{other_item}"), ("names", "false")], OTHER_CLASS),
    call("/api/grade_item", &[("item_id", "{own_item}"), ("points", "x"), ("feedback", "")], OWN_CLASS),
    call("/api/grade_item", &[("item_id", "{other_item}"), ("points", "x"), ("feedback", "")], OTHER_CLASS),
    call("/api/staff_attempt_review", &[("attempt_id", "{own_attempt}")], OWN_CLASS),
    call("/api/staff_attempt_review", &[("attempt_id", "{other_attempt}")], OTHER_CLASS),
    call("/api/materials_for_staff", &[("offering_id", "{offering}")], OWN_CLASS),
    call("/api/materials_for_staff", &[("offering_id", "{other_offering}")], OTHER_CLASS),
    // Answers everyone; outsiders get no materials in the value (see the file rows below).
    call("/api/class_materials", &[("offering_id", "{offering}")], PUBLIC),
    call("/api/add_material_link", &[("offering_id", "{offering}"), ("title", ""), ("url", "")], OWN_CLASS),
    call("/api/add_material_link", &[("offering_id", "{other_offering}"), ("title", ""), ("url", "")], OTHER_CLASS),
    call("/api/remove_material", &[("material_id", "{other_material}")], OTHER_CLASS).last(),
    // The instructor removes it, so the administrator after them finds it gone.
    call("/api/remove_material", &[("material_id", "{material}")], [S, F, F, A, N]).last(),
    // ---- File routes ----
    get("/healthz", "/healthz", PUBLIC),
    // Only people with a seat join (staff teach through the video meeting itself).
    get("/join/{meeting}", "/join/{meeting}", ATTENDEES_OWN),
    get("/join/{meeting}", "/join/{other_meeting}", SOMEONE_ELSES),
    get("/offerings/{id}/calendar.ics", "/offerings/{offering}/calendar.ics", PUBLIC),
    get("/materials/{id}", "/materials/{material}", [S, A, N, A, A]),
    get("/materials/{id}", "/materials/{other_material}", [S, N, N, N, A]),
    upload("/teach/offerings/{id}/materials/upload", "/teach/offerings/{offering}/materials/upload", &[("title", "")], OWN_CLASS),
    upload("/teach/offerings/{id}/materials/upload", "/teach/offerings/{other_offering}/materials/upload", &[("title", "")], OTHER_CLASS),
    // Downloads refuse the signed-in as "not found", as for a file that does not exist.
    get("/teach/offerings/{id}/attendance.csv", "/teach/offerings/{offering}/attendance.csv", [S, N, N, A, A]),
    get("/teach/offerings/{id}/attendance.csv", "/teach/offerings/{other_offering}/attendance.csv", [S, N, N, N, A]),
    get("/teach/offerings/{id}/gradebook.csv", "/teach/offerings/{offering}/gradebook.csv", [S, N, N, A, A]),
    get("/teach/offerings/{id}/gradebook.csv", "/teach/offerings/{other_offering}/gradebook.csv", [S, N, N, N, A]),
    get("/teach/bank/{code}/export.gift", "/teach/bank/CITC/export.gift", [S, N, N, A, A]),
    // The 911 course's answer key: not for an instructor who teaches none of its classes.
    get("/teach/bank/{code}/export.gift", "/teach/bank/CIT911/export.gift", [S, N, N, N, A]),
    // Certificates: the holder's, and staff's (the coordinator is in no class, so to the
    // instructor their certificate is someone else's).
    get("/certificates/{id}/certificate.pdf", "/certificates/{coord_cert}/certificate.pdf", [S, N, A, N, A]),
    get("/certificates/{id}/certificate.pdf", "/certificates/{class_cert}/certificate.pdf", CLASS_FILE),
    get("/certificates/{id}/certificate.pdf", "/certificates/{other_cert}/certificate.pdf", OTHER_CLASS_FILE),
    get("/admin/certificates.csv", "/admin/certificates.csv", [S, N, N, N, A]),
    get("/admin/members.csv", "/admin/members.csv", [S, N, N, N, A]),
    get("/admin/reports/{file}", "/admin/reports/registrations.csv", [S, N, N, N, A]),
    get("/admin/audit.csv", "/admin/audit.csv", [S, N, N, N, A]),
    // Without a file, nobody downloads.
    get("/ce/{id}/evidence", "/ce/{ce_record}/evidence", [S, N, N, N, N]),
    get("/ce/{id}/evidence", "/ce/{class_ce}/evidence", OWNER_AND_STAFF),
    get("/ce/{id}/evidence", "/ce/{other_ce}/evidence", OTHER_CLASS_FILE),
    upload("/admin/ce/record", "/admin/ce/record", &[("email", "")], [S, F, F, F, A]),
    get("/resources/{id}/open", "/resources/{resource}/open", LIBRARY),
    upload("/admin/resources/upload", "/admin/resources/upload", &[("title", "")], ADMIN),
    get("/api/verify/{code}", "/api/verify/{coord_code}", PUBLIC),
    get("/api/badges/{code}", "/api/badges/{coord_code}", PUBLIC),
    get("/api/badges/{code}/jwt", "/api/badges/{coord_code}/jwt", PUBLIC),
    get("/api/status/revocation", "/api/status/revocation", PUBLIC),
    get("/api/status/revocation/jwt", "/api/status/revocation/jwt", PUBLIC),
    get("/api/issuer", "/api/issuer", PUBLIC),
    get("/.well-known/jwks.json", "/.well-known/jwks.json", PUBLIC),
];
