//! The HTTP application: pages and server functions from the app crate, the client files,
//! health, and the middleware around them.

use crate::{config::Config, middleware, session_store::AnyStore};
use app::domain::mail::SiteUrl;
use app::{auth::Backend, db::Db, domain::throttle::ThrottlePolicy, shell, state::AppState, App};
use axum::{
    extract::State,
    http::{header, HeaderValue, Request, StatusCode},
    routing::get,
    Router,
};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tracing::Level;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "cit_session";

const HEALTHZ: &str = "/healthz";
const JOIN: &str = "/join/{meeting}";
const BANK_EXPORT: &str = "/teach/bank/{code}/export.gift";
const ATTENDANCE_CSV: &str = "/teach/offerings/{id}/attendance.csv";
const GRADEBOOK_CSV: &str = "/teach/offerings/{id}/gradebook.csv";
const VERIFY_API: &str = "/api/verify/{code}";
const CERTIFICATES_CSV: &str = "/admin/certificates.csv";
const REPORT_CSV: &str = "/admin/reports/{file}";
const AUDIT_CSV: &str = "/admin/audit.csv";
const CERTIFICATE_PDF: &str = "/certificates/{id}/certificate.pdf";
const CALENDAR: &str = "/offerings/{id}/calendar.ics";

/// Every route outside Leptos's pages and server functions, as (method, path). Axum cannot
/// list a router's routes, so the authorization matrix (`server/tests/authorization.rs`)
/// reads this list, and checks that every `.route(` in this crate takes a constant and that
/// their number matches it: add a new route here and to the matrix's table.
pub const FILE_ROUTES: &[(&str, &str)] = &[
    ("GET", HEALTHZ),
    ("GET", JOIN),
    ("GET", BANK_EXPORT),
    ("GET", ATTENDANCE_CSV),
    ("GET", GRADEBOOK_CSV),
    ("GET", VERIFY_API),
    ("GET", CERTIFICATES_CSV),
    ("GET", crate::members_csv::MEMBERS_CSV),
    ("GET", REPORT_CSV),
    ("GET", AUDIT_CSV),
    ("GET", CERTIFICATE_PDF),
    ("GET", CALENDAR),
    ("GET", crate::materials::DOWNLOAD),
    ("POST", crate::materials::UPLOAD),
    ("GET", crate::badges_api::BADGE),
    ("GET", crate::badges_api::BADGE_JWT),
    ("GET", crate::badges_api::REVOCATION),
    ("GET", crate::badges_api::REVOCATION_JWT),
    ("GET", crate::badges_api::ISSUER),
    ("GET", crate::badges_api::JWKS),
    ("GET", crate::resources::OPEN),
    ("POST", crate::resources::UPLOAD),
    ("GET", crate::ce_evidence::EVIDENCE),
    ("POST", crate::ce_evidence::RECORD),
];

/// Builds the application for a migrated database. Returns the router and the session store
/// (the caller runs its expiry job).
pub async fn build(config: &Config, db: Db) -> Result<(Router, AnyStore), sqlx::Error> {
    let leptos_options = LeptosOptions::builder()
        .output_name("cit-academy")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.bind)
        .build();
    let state = AppState {
        db: db.clone(),
        throttle: ThrottlePolicy::default(),
        sign_up_throttle: ThrottlePolicy::sign_up(config.sign_ups_per_address),
        storage: Arc::new(app::storage::LocalStorage::new(
            config.data_dir.join("files"),
        )),
        renewal: config.renewal,
    };

    let idle = time::Duration::seconds(config.session_idle.as_secs() as i64);
    let store = AnyStore::open(&db, idle).await?;
    let sessions = SessionManagerLayer::new(store.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.is_https())
        .with_expiry(Expiry::OnInactivity(idle))
        // The idle timeout slides with every request; the store decides what to write.
        .with_always_save(true);
    let auth = AuthManagerLayerBuilder::new(Backend::new(db.clone()), sessions).build();

    // Hashed file names are not used, so clients revalidate; the files are precompressed.
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(format!("{}/pkg", config.site_root))
                .precompressed_br()
                .precompressed_gzip(),
        );

    let badges = crate::badges_api::BadgeState {
        db: db.clone(),
        key: crate::badges_api::key_or_ephemeral(config.badge_key.as_ref())
            .map_err(|e| sqlx::Error::Configuration(Box::new(e)))?,
        public_url: Arc::from(config.public_url.as_str()),
    };
    let routes = route_list();
    let app_state = state.clone();
    // Emailed links point at the public address.
    let site = SiteUrl(config.public_url.clone());
    let site_for_fallback = site.clone();
    let router = Router::new()
        .route(HEALTHZ, get(healthz).with_state(db.clone()))
        .route(JOIN, get(crate::join::join).with_state(db.clone()))
        .route(BANK_EXPORT, get(crate::bank_export::download).with_state(db.clone()))
        .route(ATTENDANCE_CSV, get(crate::attendance_csv::download).with_state(db.clone()))
        .route(GRADEBOOK_CSV, get(crate::gradebook_csv::download).with_state(db.clone()))
        .route(VERIFY_API, get(crate::verify_api::verify).with_state(db.clone()))
        .route(CERTIFICATES_CSV, get(crate::certificates_csv::download).with_state(db.clone()))
        .route(crate::members_csv::MEMBERS_CSV, get(crate::members_csv::download).with_state(db.clone()))
        .route(REPORT_CSV, get(crate::reports_csv::report).with_state(db.clone()))
        .route(AUDIT_CSV, get(crate::reports_csv::audit_log).with_state(db.clone()))
        .route(
            CERTIFICATE_PDF,
            get(crate::certificate_download::download).with_state(crate::certificate_download::DownloadState { db: db.clone(), public_url: Arc::from(config.public_url.as_str()) }),
        )
        .route(
            CALENDAR,
            get(crate::calendar::offering_ics).with_state(crate::calendar::CalendarState { db: db.clone(), public_url: Arc::from(config.public_url.as_str()) }),
        )
        .merge(crate::materials::routes(state.clone()))
        .merge(crate::badges_api::routes(badges))
        .merge(crate::resources::routes(state.clone()))
        .merge(crate::ce_evidence::routes(state.clone()))
        .nest_service("/pkg", pkg)
        .leptos_routes_with_context(&leptos_options, routes, move || { provide_context(app_state.clone()); provide_context(site.clone()); }, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(move || { provide_context(state.clone()); provide_context(site_for_fallback.clone()); }, shell))
        .with_state(leptos_options)
        // Innermost, so that the trace layer logs the corrected status and the body it reads
        // is not yet compressed.
        .layer(axum::middleware::from_fn(middleware::refusal_status::set))
        // After authentication: an anonymous start never queues ahead of a real one.
        .layer(axum::middleware::from_fn(middleware::admission::admit))
        .layer(axum::middleware::from_fn_with_state(middleware::session_lifetime::Lifetime { max: config.session_max, db: db.clone() }, middleware::session_lifetime::enforce))
        .layer(auth)
        .layer(axum::middleware::from_fn(middleware::body_limit::limit))
        .layer(axum::middleware::from_fn_with_state(public_origin(&config.public_url), middleware::cross_site::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(std::sync::Arc::new(config.trusted_proxies.clone()), middleware::client_address::insert))
        .layer(axum::middleware::from_fn_with_state(config.is_https(), middleware::security_headers::add))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                // Path only: query strings can carry personal data.
                .make_span_with(|request: &Request<_>| {
                    tracing::info_span!("request", method = %request.method(), path = %loggable_path(request.uri().path()))
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        );
    Ok((router, store))
}

/// The path as logged: emailed links carry secret tokens in their path, which stay out of logs.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/verify-email/", "/reset-password/"] {
        if path.starts_with(prefix) {
            return format!("{prefix}[token]").into();
        }
    }
    path.into()
}

/// The app's routes, generated once per process. Generating them renders the app in a special
/// mode; doing that while another router in the same process is rendering pages (as tests
/// that start several servers at once did) now and then left a page render waiting forever.
/// Public for the authorization matrix, which checks that its table names every page.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// scheme://host[:port] of the public URL.
fn public_origin(url: &str) -> Arc<str> {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    let end = url[after_scheme..]
        .find('/')
        .map(|i| i + after_scheme)
        .unwrap_or(url.len());
    Arc::from(&url[..end])
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(db): State<Db>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(std::time::Duration::from_secs(3), db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok"),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out"),
    }
}

#[cfg(test)]
mod tests {
    use super::public_origin;

    #[test]
    fn tokens_in_paths_are_not_logged() {
        assert_eq!(
            super::loggable_path("/reset-password/abc123"),
            "/reset-password/[token]"
        );
        assert_eq!(
            super::loggable_path("/verify-email/abc123"),
            "/verify-email/[token]"
        );
        assert_eq!(super::loggable_path("/courses/CITC"), "/courses/CITC");
    }

    #[test]
    fn origin_drops_the_path() {
        assert_eq!(
            &*public_origin("https://academy.example.org/base"),
            "https://academy.example.org"
        );
        assert_eq!(
            &*public_origin("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000"
        );
    }
}
