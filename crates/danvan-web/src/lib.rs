//! danvan's web application: server-rendered Vietnamese pages over the store.
//!
//! [`app`] builds the whole router from an [`AppState`]; [`serve`] runs it on a listener until a
//! shutdown signal. Tests call the router in-process.
//!
//! Every route is declared once, in [`routes::ROUTES`], with who may call it; the router is built
//! from that table, so a route cannot exist without its line in the authorization table, and the
//! authorization test walks the same table.
//!
//! # Request flow
//! `middleware::outer` gives each request an id and a tracing span, loads the session (if any),
//! checks the CSRF token of state-changing requests, sets the security headers and renders error
//! pages; `routes::require` then checks the route's access rule; the handler does the rest,
//! including per-record checks (an officer's own agency).
//!
//! # Errors
//! Handlers return `Result<_, AppError>`. [`error::AppError`] maps to a status code in one match;
//! the page shown is generic and carries the request id that is also in the log.

pub mod api;
pub mod attendance;
pub mod auth;
pub mod carried;
pub mod compiled;
pub mod dashboard;
pub mod decision;
pub mod docx;
pub mod error;
pub mod exchange;
pub mod fresh;
pub mod jobs;
pub mod kept;
pub mod library;
pub mod mail;
pub mod metrics;
mod middleware;
pub mod oidc;
mod pages;
#[doc(hidden)]
pub mod pdf_words;

/// Scoring a whole cycle, shared with the demo loader.
pub use pages::dissemination::listed_documents;
pub use pages::evaluations::cycle_units;
pub use pages::reports::{install_report_kinds, obliged_units, prefill};
pub mod heavy;
pub mod routes;
pub mod selfcheck;
pub mod spreadsheet;
pub mod upload_check;

/// Pieces of heavy work at once: one per core of the machine this is built for, so that
/// reading files never takes every thread that answers requests.
const HEAVY_PLACES: usize = 2;
mod svg;
mod view;
pub mod xlsx;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use danvan_app::store::Store;
use danvan_domain::Clock;
use tokio::net::TcpListener;

/// How the web application behaves; built from the settings by the binary.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Cookies get `Secure` and the `__Host-` prefix, and HSTS is sent: set when the site is
    /// served over TLS (directly or through a reverse proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    /// Absolute session lifetime in seconds (security.md 9: 12 hours).
    pub session_max_seconds: i64,
    /// Admins must turn on a second factor (TOTP) before anything else (security.md 6).
    pub require_admin_totp: bool,
    /// The most bytes of files one agency may attach in all (security.md 26).
    pub upload_quota_bytes: i64,
    /// How long records holding personal data are kept (security.md 30): shown in the
    /// personal-data register, checked by the self-check.
    pub retention: danvan_domain::retention::Retention,
    /// An SMTP relay is configured (the outbox page says so when it is not).
    pub mail_configured: bool,
    /// The provincial platform's endpoint is configured (the packages page says so when not).
    pub exchange_configured: bool,
    /// The addresses that may read `/metrics`, judged by the connection's own address (never a
    /// forwarded header); empty: nobody.
    pub metrics_peers: Vec<std::net::IpAddr>,
    /// API calls allowed per token and minute, on each server.
    pub api_calls_per_minute: u32,
    /// The province's identity provider, when single sign-on is configured.
    pub sso: Option<Arc<oidc::Provider>>,
    /// Local passwords for everyone; off (with single sign-on), only `break_glass_admin` may
    /// sign in with one.
    pub local_passwords: bool,
    /// The admin account that keeps its password when local passwords are off.
    pub break_glass_admin: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trust_proxy: false,
            session_max_seconds: 12 * 3600,
            require_admin_totp: true,
            upload_quota_bytes: 2 * 1024 * 1024 * 1024,
            retention: danvan_domain::retention::Retention::default(),
            mail_configured: false,
            exchange_configured: false,
            metrics_peers: Vec::new(),
            api_calls_per_minute: 600,
            sso: None,
            local_passwords: true,
            break_glass_admin: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub config: Arc<WebConfig>,
    /// Per account, how many items wait for it and when that was counted: the navigation shows
    /// the figure, counted again at most once a minute.
    pub waiting: Arc<std::sync::Mutex<std::collections::HashMap<i64, (std::time::Instant, i64)>>>,
    /// Heavy work (reading documents and spreadsheets), a few at once off the request threads.
    pub heavy: heavy::Heavy,
    /// The province's People's Committee as printed pages name it, and when it was read: read
    /// again at most once a minute (a restructuring renames it).
    pub province: Arc<std::sync::Mutex<Option<(std::time::Instant, String)>>>,
    /// What `/metrics` reports, counted in this process.
    pub metrics: Arc<metrics::Metrics>,
    /// Each API token's calls in the current minute.
    pub api_rate: Arc<api::RateLimiter>,
    /// What pages work out from official data, kept while it has not changed.
    pub fresh: Arc<fresh::Fresh>,
}

impl AppState {
    pub fn new(store: Store, clock: Clock, config: WebConfig) -> Self {
        Self {
            store,
            clock,
            config: Arc::new(config),
            waiting: Arc::default(),
            heavy: heavy::Heavy::new(HEAVY_PLACES),
            province: Arc::default(),
            metrics: Arc::default(),
            api_rate: Arc::default(),
            fresh: Arc::default(),
        }
    }
}

/// The whole application as a router.
pub fn app(state: AppState) -> Router {
    routes::router(state.clone())
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::outer))
        .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app(state);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
