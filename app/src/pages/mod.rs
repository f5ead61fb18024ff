//! One module per page.

pub mod admin_courses;
pub mod admin_new_offering;
pub mod admin_offerings;
pub mod admin_registrations;
pub mod admin_sessions;
pub mod admin_users;
pub mod attendance_import;
pub mod bank;
pub mod catalog;
pub mod course;
pub mod dashboard;
pub mod exam;
pub mod forgot_password;
pub mod home;
pub mod invoice;
pub mod materials;
pub mod not_found;
pub mod offering;
pub mod reset_password;
pub mod roll_call;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
pub mod teach;
pub mod test_settings;
pub mod verify_email;
