//! Domain rules: plain types and functions with no HTTP, SQL or clock inside.
//! Everything here is testable alone and shared by server and client.

pub mod account;
pub mod agency;
pub mod attempt_rules;
// Reading video-meeting participant reports and turning them into minutes attended.
#[cfg(feature = "ssr")]
pub mod attendance;
pub mod attendance_rule;
// Who recorded a mark, and which record wins when roll call, reports and check-ins disagree.
pub mod attendance_source;
// Certificates as Open Badges 3.0 credentials and the revocation status list.
#[cfg(feature = "ssr")]
pub mod badge;
pub mod catalog;
// Continuing education done elsewhere, as an administrator records it.
pub mod ce_record;
pub mod certificate;
// Importing coordinators certified elsewhere, from CSV: every row checked before anything is written.
#[cfg(feature = "ssr")]
pub mod certificate_import;
pub mod countdown;
pub mod course_form;
// A topic keeps its id for life: what a course save does to each topic.
pub mod course_topics;
pub mod email;
// Course evaluations: who may evaluate when, the answers, the summary figures.
pub mod evaluation;
#[cfg(feature = "ssr")]
pub mod exam_settings;
// Moodle's GIFT text format for questions: import with a report per question, export.
#[cfg(feature = "ssr")]
pub mod gift;
pub mod grading;
// Drawing a test needs the seeded generator, which stays on the server.
#[cfg(feature = "ssr")]
pub mod exam_draw;
pub mod gradebook;
pub mod item_analysis;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod markdown;
// Membership: the record a coordinator certificate carries; its standing and life cycle.
pub mod membership;
pub mod password;
pub mod payment;
pub mod person;
pub mod question;
#[cfg(feature = "ssr")]
pub mod question_export;
#[cfg(feature = "ssr")]
pub mod question_import;
// Who receives a record matched to a person by email alone.
pub mod record_holder;
// Correcting a question version's key and regrading the attempts that drew it.
pub mod registration;
#[cfg(feature = "ssr")]
pub mod registration_mail;
pub mod regrade;
// The administrators' reports: months, rates and certificate standings.
#[cfg(feature = "ssr")]
pub mod report;
// Who may open the certified-only resource area, and its shelves.
pub mod resource;
// Continuing education and renewal: the window, the hours that count, reminders.
pub mod renewal;
pub mod role;
pub mod roll_call;
#[cfg(feature = "ssr")]
pub mod scenario;
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod session_lifetime;
#[cfg(feature = "ssr")]
pub mod teaching_overview;
// Which courses and which people's files a staff member reaches.
pub mod teaching_scope;
pub mod throttle;
// Time zones and calendar files need chrono-tz and icalendar, which stay on the server.
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod meeting_change;
#[cfg(feature = "ssr")]
pub mod offering_form;
#[cfg(feature = "ssr")]
pub mod offering_plan;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod status_list;
#[cfg(feature = "ssr")]
pub mod time_display;
