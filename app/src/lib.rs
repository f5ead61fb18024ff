//! CIT Academy: the Leptos application shared by the server (feature `ssr`) and the
//! WebAssembly client (feature `hydrate`).

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;
pub mod storage;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

use components::layout::Frame;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content-Security-Policy, with the nonce Leptos put on its hydration script.
/// Scripts run only from our origin or with this request's nonce; WebAssembly needs
/// 'wasm-unsafe-eval' to compile.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        options.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// The application: routes inside the page frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="app-style" href="/pkg/cit-academy.css"/>
        <Title formatter=|title: String| if title.is_empty() { "CIT Academy".to_owned() } else { format!("{title} · CIT Academy") }/>
        <Router>
            <Frame>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/courses") view=pages::catalog::CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/courses/:code") view=pages::course::CoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/offerings/:id") view=pages::offering::OfferingPage ssr=SsrMode::Async/>
                    <Route path=path!("/registrations/:id/invoice") view=pages::invoice::InvoicePage ssr=SsrMode::Async/>
                    <Route path=path!("/signup") view=pages::sign_up::SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=pages::sign_in::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=pages::settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/certificates") view=pages::certificates::CertificatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/resources") view=pages::resources::LibraryPage ssr=SsrMode::Async/>
                    <Route path=path!("/resources/:id") view=pages::resources::ResourcePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/resources") view=pages::admin_resources::AdminResourcesPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=pages::verify::VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify/:code") view=pages::verify::VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=pages::forgot_password::ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password/:token") view=pages::reset_password::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify-email/:token") view=pages::verify_email::VerifyEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses") view=pages::admin_courses::AdminCoursesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/new") view=pages::admin_courses::AdminNewCoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:code/edit") view=pages::admin_courses::AdminEditCoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/offerings") view=pages::admin_offerings::AdminOfferingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/offerings/new") view=pages::admin_new_offering::AdminNewOfferingPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/offerings/:id") view=pages::admin_offerings::AdminOfferingPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/registrations") view=pages::admin_registrations::AdminRegistrationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=pages::admin_users::AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/ce") view=pages::admin_ce::AdminCePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/certificates") view=pages::admin_certificates::AdminCertificatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/members") view=pages::admin_members::AdminMembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/certificates/import") view=pages::certificate_import::CertificateImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/certificates/:id") view=pages::admin_certificates::AdminCertificatePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/shipments") view=pages::admin_shipments::AdminShipmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reports") view=pages::admin_reports::AdminReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=pages::admin_audit::AdminAuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/offerings/:id") view=pages::teach::TeachOfferingPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/offerings/:id/gradebook") view=pages::gradebook::GradebookPage ssr=SsrMode::Async/>
                    <Route path=path!("/registrations/:id/test") view=pages::exam::TestHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/registrations/:id/evaluation") view=pages::evaluation::EvaluationPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/offerings/:id/evaluations") view=pages::evaluation_results::OfferingEvaluationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/courses/:code/evaluations") view=pages::evaluation_results::CourseEvaluationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code") view=pages::bank::BankPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/preview") view=pages::bank::TestPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/analysis") view=pages::item_analysis::ItemAnalysisPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/questions/new") view=pages::bank::QuestionEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/questions/:id") view=pages::bank::QuestionEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/scenarios/new") view=pages::scenarios::ScenarioEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/scenarios/:id") view=pages::scenarios::ScenarioEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/bank/:code/questions/:id/regrade") view=pages::regrade::RegradePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courses/:code/test") view=pages::test_settings::TestSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/attempts/:id") view=pages::exam::AttemptPage ssr=SsrMode::Async/>
                    <Route path=path!("/attempts/:id/review") view=pages::exam::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/attempts/:id/result") view=pages::exam::ResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/offerings/:id/materials") view=pages::materials::TeachMaterialsPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/offerings/:id/grading") view=pages::grading::GradingQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/grading/:id") view=pages::grading::GradeItemPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/attempts/:id") view=pages::grading::StaffAttemptPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/meetings/:id") view=pages::roll_call::RollCallPage ssr=SsrMode::Async/>
                    <Route path=path!("/teach/meetings/:id/import") view=pages::attendance_import::AttendanceImportPage ssr=SsrMode::Async/>
                </Routes>
            </Frame>
        </Router>
    }
}

/// The WebAssembly entry point: take over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
