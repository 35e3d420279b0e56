//! One typed settings struct, layered: defaults, then a TOML file, then environment variables,
//! then command-line flags (clap reads the last two, flags winning).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// A database URL, which may hold a password: it never appears in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with any password replaced, safe to print.
    pub fn redacted(&self) -> String {
        match (self.0.find("://"), self.0.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                let userinfo = &self.0[scheme_end + 3..at];
                let user = userinfo.split(':').next().unwrap_or("");
                format!("{}://{}:***@{}", &self.0[..scheme_end], user, &self.0[at + 1..])
            }
            _ => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Folder for the SQLite database and, later, stored files.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; when unset, SQLite in `data_dir`.
    pub database_url: Option<DatabaseUrl>,
    pub addr: SocketAddr,
    pub max_connections: u32,
    /// Served over TLS (directly or by a reverse proxy): secure cookies and HSTS.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from a reverse proxy in front.
    pub trust_proxy: bool,
    /// A `tracing` filter such as `info` or `danvan_web=debug,info`.
    pub log: String,
    /// An SMTP relay for reminders; none: reminders stay in the agencies' inboxes.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_from: String,
    /// The sender's display name.
    pub smtp_from_name: String,
    /// STARTTLS when offered (required with AUTH), implicit TLS, or none.
    pub smtp_security: danvan_web::mail::Security,
    /// AUTH user; the password is read from `DANVAN_SMTP_PASSWORD` only, never from this file.
    pub smtp_user: Option<String>,
    /// Seconds allowed for connecting and for each SMTP command.
    pub smtp_timeout_seconds: u64,
    /// Extra trusted roots (PEM) for the relay's certificate, beside the system's.
    pub smtp_ca_file: Option<PathBuf>,
    /// How long records holding personal data are kept (security.md 30).
    pub retention: danvan_domain::retention::Retention,
    /// The provincial platform's endpoint for edXML packages; none: packages wait in the outbox.
    pub exchange_endpoint: Option<String>,
    /// Headers sent with every package (the platform's system id and key); a value
    /// `env:NAME` is read from the environment variable NAME, so keys stay out of the file.
    pub exchange_headers: std::collections::BTreeMap<String, String>,
    /// Seconds allowed for one package's send.
    pub exchange_timeout_seconds: u64,
    /// The addresses that may read `/metrics` (Prometheus), by the connection's own address;
    /// empty: nobody.
    pub metrics_peers: Vec<std::net::IpAddr>,
    /// API calls allowed per token and minute, on each server.
    pub api_calls_per_minute: u32,
    /// Single sign-on: the identity provider's issuer URL; none: danvan's own passwords only.
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: String,
    /// This site's callback as registered with the provider (`https://…/auth/oidc/callback`).
    pub oidc_redirect_url: Option<String>,
    /// The ID token's claim that names the account, and what it is compared with.
    pub oidc_link_claim: String,
    pub oidc_link_field: danvan_web::oidc::LinkField,
    /// `amr` and `acr` values that mean the provider used a second factor.
    pub oidc_mfa_amr: Vec<String>,
    pub oidc_mfa_acr: Vec<String>,
    /// The sign-in page's button.
    pub oidc_label: String,
    /// Whom a person without an account is told to ask.
    pub oidc_contact: String,
    /// Passwords of danvan's own for everyone; false (with single sign-on): only
    /// `break_glass_admin` keeps one.
    pub local_passwords: bool,
    pub break_glass_admin: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("danvan-data"),
            database_url: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_connections: 8,
            secure_cookies: false,
            trust_proxy: false,
            log: "info".to_owned(),
            smtp_host: None,
            smtp_port: 25,
            smtp_from: "danvan@localhost".to_owned(),
            smtp_from_name: "Hệ thống danvan".to_owned(),
            smtp_security: danvan_web::mail::Security::default(),
            smtp_user: None,
            smtp_timeout_seconds: 30,
            smtp_ca_file: None,
            retention: danvan_domain::retention::Retention::default(),
            exchange_endpoint: None,
            exchange_headers: std::collections::BTreeMap::new(),
            exchange_timeout_seconds: 30,
            metrics_peers: Vec::new(),
            api_calls_per_minute: 600,
            oidc_issuer: None,
            oidc_client_id: "danvan".to_owned(),
            oidc_redirect_url: None,
            oidc_link_claim: "preferred_username".to_owned(),
            oidc_link_field: danvan_web::oidc::LinkField::Username,
            oidc_mfa_amr: ["mfa", "otp", "hwk", "sms"].map(str::to_owned).to_vec(),
            oidc_mfa_acr: Vec::new(),
            oidc_label: "Đăng nhập bằng tài khoản của tỉnh".to_owned(),
            oidc_contact: "quản trị hệ thống của Sở Nội vụ".to_owned(),
            local_passwords: true,
            break_glass_admin: None,
        }
    }
}

/// The settings file; every field optional, overriding the defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    data_dir: Option<PathBuf>,
    database_url: Option<DatabaseUrl>,
    addr: Option<SocketAddr>,
    max_connections: Option<u32>,
    secure_cookies: Option<bool>,
    trust_proxy: Option<bool>,
    log: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_from: Option<String>,
    smtp_from_name: Option<String>,
    smtp_security: Option<danvan_web::mail::Security>,
    smtp_user: Option<String>,
    smtp_timeout_seconds: Option<u64>,
    smtp_ca_file: Option<PathBuf>,
    retention: Option<danvan_domain::retention::Retention>,
    exchange_endpoint: Option<String>,
    exchange_headers: Option<std::collections::BTreeMap<String, String>>,
    exchange_timeout_seconds: Option<u64>,
    metrics_peers: Option<Vec<std::net::IpAddr>>,
    api_calls_per_minute: Option<u32>,
    oidc_issuer: Option<String>,
    oidc_client_id: Option<String>,
    oidc_redirect_url: Option<String>,
    oidc_link_claim: Option<String>,
    oidc_link_field: Option<danvan_web::oidc::LinkField>,
    oidc_mfa_amr: Option<Vec<String>>,
    oidc_mfa_acr: Option<Vec<String>>,
    oidc_label: Option<String>,
    oidc_contact: Option<String>,
    local_passwords: Option<bool>,
    break_glass_admin: Option<String>,
}

/// Values from the environment and flags; `None` where neither was given.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub addr: Option<SocketAddr>,
    pub secure_cookies: Option<bool>,
    pub trust_proxy: Option<bool>,
    pub log: Option<String>,
    pub smtp_host: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_from: Option<String>,
    /// Addresses separated by commas.
    pub metrics_peers: Option<String>,
}

impl Settings {
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Settings> {
        let mut settings = Settings::default();
        if let Some(path) = file {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading settings file {}", path.display()))?;
            let file: SettingsFile =
                toml::from_str(&text).with_context(|| format!("in settings file {}", path.display()))?;
            settings.apply_file(file);
            settings
                .retention
                .check()
                .map_err(|message| anyhow::anyhow!("in settings file {}: {message}", path.display()))?;
        }
        if let Some(v) = &overrides.data_dir {
            settings.data_dir = v.clone();
        }
        if let Some(v) = &overrides.database_url {
            settings.database_url = Some(DatabaseUrl::new(v.clone()));
        }
        if let Some(v) = overrides.addr {
            settings.addr = v;
        }
        if let Some(v) = overrides.secure_cookies {
            settings.secure_cookies = v;
        }
        if let Some(v) = overrides.trust_proxy {
            settings.trust_proxy = v;
        }
        if let Some(v) = &overrides.log {
            settings.log = v.clone();
        }
        if let Some(v) = &overrides.smtp_host {
            settings.smtp_host = Some(v.clone());
        }
        if let Some(v) = overrides.smtp_port {
            settings.smtp_port = v;
        }
        if let Some(v) = &overrides.smtp_from {
            settings.smtp_from = v.clone();
        }
        if let Some(v) = &overrides.metrics_peers {
            settings.metrics_peers = v
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| {
                    a.parse()
                        .with_context(|| format!("DANVAN_METRICS_PEERS: {a:?} is not an IP address"))
                })
                .collect::<anyhow::Result<_>>()?;
        }
        Ok(settings)
    }

    fn apply_file(&mut self, file: SettingsFile) {
        if let Some(v) = file.data_dir {
            self.data_dir = v;
        }
        if let Some(v) = file.database_url {
            self.database_url = Some(v);
        }
        if let Some(v) = file.addr {
            self.addr = v;
        }
        if let Some(v) = file.max_connections {
            self.max_connections = v;
        }
        if let Some(v) = file.secure_cookies {
            self.secure_cookies = v;
        }
        if let Some(v) = file.trust_proxy {
            self.trust_proxy = v;
        }
        if let Some(v) = file.log {
            self.log = v;
        }
        if let Some(v) = file.smtp_host {
            self.smtp_host = Some(v);
        }
        if let Some(v) = file.smtp_port {
            self.smtp_port = v;
        }
        if let Some(v) = file.smtp_from {
            self.smtp_from = v;
        }
        if let Some(v) = file.smtp_from_name {
            self.smtp_from_name = v;
        }
        if let Some(v) = file.smtp_security {
            self.smtp_security = v;
        }
        if let Some(v) = file.smtp_user {
            self.smtp_user = Some(v);
        }
        if let Some(v) = file.smtp_timeout_seconds {
            self.smtp_timeout_seconds = v.clamp(1, 600);
        }
        if let Some(v) = file.smtp_ca_file {
            self.smtp_ca_file = Some(v);
        }
        if let Some(v) = file.retention {
            self.retention = v;
        }
        if let Some(v) = file.exchange_endpoint {
            self.exchange_endpoint = Some(v);
        }
        if let Some(v) = file.exchange_headers {
            self.exchange_headers = v;
        }
        if let Some(v) = file.exchange_timeout_seconds {
            self.exchange_timeout_seconds = v.clamp(1, 600);
        }
        if let Some(v) = file.metrics_peers {
            self.metrics_peers = v;
        }
        if let Some(v) = file.api_calls_per_minute {
            self.api_calls_per_minute = v.clamp(1, 100_000);
        }
        if let Some(v) = file.oidc_issuer {
            self.oidc_issuer = Some(v);
        }
        if let Some(v) = file.oidc_client_id {
            self.oidc_client_id = v;
        }
        if let Some(v) = file.oidc_redirect_url {
            self.oidc_redirect_url = Some(v);
        }
        if let Some(v) = file.oidc_link_claim {
            self.oidc_link_claim = v;
        }
        if let Some(v) = file.oidc_link_field {
            self.oidc_link_field = v;
        }
        if let Some(v) = file.oidc_mfa_amr {
            self.oidc_mfa_amr = v;
        }
        if let Some(v) = file.oidc_mfa_acr {
            self.oidc_mfa_acr = v;
        }
        if let Some(v) = file.oidc_label {
            self.oidc_label = v;
        }
        if let Some(v) = file.oidc_contact {
            self.oidc_contact = v;
        }
        if let Some(v) = file.local_passwords {
            self.local_passwords = v;
        }
        if let Some(v) = file.break_glass_admin {
            self.break_glass_admin = Some(v);
        }
    }

    /// The platform's settings when an endpoint is configured: header values `env:NAME` read
    /// from the environment (a missing variable is an error naming it, never an empty key).
    pub fn exchange(&self) -> anyhow::Result<Option<danvan_web::exchange::ExchangeConfig>> {
        let Some(endpoint) = self.exchange_endpoint.clone() else {
            return Ok(None);
        };
        let mut headers = Vec::new();
        for (name, value) in &self.exchange_headers {
            let value = match value.strip_prefix("env:") {
                Some(variable) => std::env::var(variable).map_err(|_| {
                    anyhow::anyhow!("exchange header {name}: environment variable {variable} is not set")
                })?,
                None => value.clone(),
            };
            headers.push((name.clone(), value));
        }
        Ok(Some(danvan_web::exchange::ExchangeConfig {
            endpoint,
            headers,
            timeout: std::time::Duration::from_secs(self.exchange_timeout_seconds),
        }))
    }

    /// The identity provider's settings when single sign-on is configured; the client secret
    /// from `DANVAN_OIDC_CLIENT_SECRET`. Local passwords turned off need single sign-on and a
    /// break-glass admin.
    pub fn oidc(&self, client_secret: Option<String>) -> anyhow::Result<Option<danvan_web::oidc::OidcConfig>> {
        let Some(issuer) = self.oidc_issuer.clone() else {
            anyhow::ensure!(
                self.local_passwords,
                "local_passwords = false needs oidc_issuer (single sign-on)"
            );
            return Ok(None);
        };
        let redirect_url = self
            .oidc_redirect_url
            .clone()
            .ok_or_else(|| anyhow::anyhow!("oidc_issuer is set: oidc_redirect_url is needed too"))?;
        anyhow::ensure!(
            self.local_passwords || self.break_glass_admin.is_some(),
            "local_passwords = false needs break_glass_admin (an admin who can still sign in if the provider fails)"
        );
        Ok(Some(danvan_web::oidc::OidcConfig {
            issuer,
            client_id: self.oidc_client_id.clone(),
            client_secret: client_secret.filter(|s| !s.is_empty()),
            redirect_url,
            link_claim: self.oidc_link_claim.clone(),
            link_field: self.oidc_link_field,
            mfa_amr: self.oidc_mfa_amr.clone(),
            mfa_acr: self.oidc_mfa_acr.clone(),
            label: self.oidc_label.clone(),
            contact: self.oidc_contact.clone(),
            timeout: std::time::Duration::from_secs(10),
            jwks_refetch_after: std::time::Duration::from_secs(10),
        }))
    }

    /// The relay's settings when one is configured; `password` from `DANVAN_SMTP_PASSWORD`.
    pub fn mail(&self, password: Option<String>) -> Option<danvan_web::mail::MailConfig> {
        Some(danvan_web::mail::MailConfig {
            host: self.smtp_host.clone()?,
            port: self.smtp_port,
            from: self.smtp_from.clone(),
            from_name: self.smtp_from_name.clone(),
            security: self.smtp_security,
            user: self.smtp_user.clone(),
            password: password.filter(|p| !p.is_empty()),
            timeout: std::time::Duration::from_secs(self.smtp_timeout_seconds),
            ca_file: self.smtp_ca_file.clone(),
        })
    }

    /// The database to use: the configured URL, or SQLite in the data folder.
    pub fn database_url(&self) -> DatabaseUrl {
        self.database_url.clone().unwrap_or_else(|| {
            DatabaseUrl::new(format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("danvan.db").display()
            ))
        })
    }

    pub fn uses_sqlite(&self) -> bool {
        self.database_url().expose().starts_with("sqlite:")
    }
}

/// The commented example printed by `danvan config example`.
pub const EXAMPLE: &str = r#"# danvan settings. Every line is optional; shown here with its default.
# Order of precedence: defaults < this file (--config FILE or DANVAN_CONFIG)
#                      < environment variables (DANVAN_*) < command-line flags.

# Folder for the embedded SQLite database and stored files.  Env: DANVAN_DATA, flag: --data
data_dir = "danvan-data"

# Database. Unset: SQLite in data_dir. For PostgreSQL:
#   database_url = "postgres://danvan:PASSWORD@127.0.0.1:5432/danvan"
# The URL is never printed with its password.  Env: DANVAN_DATABASE_URL, flag: --database-url
# database_url = "sqlite://danvan-data/danvan.db?mode=rwc"

# Address to listen on. Keep 127.0.0.1 behind a TLS reverse proxy.  Env: DANVAN_ADDR, flag: --addr
addr = "127.0.0.1:8080"

# Connections in the database pool.
max_connections = 8

# Set true when users reach danvan over HTTPS: cookies become Secure with the __Host- prefix and
# HSTS is sent.  Env: DANVAN_SECURE_COOKIES
secure_cookies = false

# Set true only behind a reverse proxy that sets X-Forwarded-For.  Env: DANVAN_TRUST_PROXY
trust_proxy = false

# The addresses that may read /metrics (Prometheus's scraper), matched against the connection's
# own address, never X-Forwarded-For. Empty: nobody. Do not list a reverse proxy's address unless
# the proxy refuses /metrics itself.  Env: DANVAN_METRICS_PEERS (comma-separated)
metrics_peers = []

# API calls allowed per token and minute, counted by each server; beyond, 429 with Retry-After.
api_calls_per_minute = 600

# Single sign-on through the province's identity provider (OpenID Connect, authorization code
# with PKCE). Unset oidc_issuer: danvan's own passwords only. The client secret is read from
# DANVAN_OIDC_CLIENT_SECRET only.
# oidc_issuer = "https://sso.example.gov.vn/realms/tinh"
# oidc_redirect_url = "https://danvan.example.gov.vn/auth/oidc/callback"
oidc_client_id = "danvan"
# The ID token's claim that names the account, compared with the account's "username" or "email".
oidc_link_claim = "preferred_username"
oidc_link_field = "username"
# amr / acr values that mean the provider used a second factor (admins need one, or danvan's TOTP).
oidc_mfa_amr = ["mfa", "otp", "hwk", "sms"]
oidc_mfa_acr = []
oidc_label = "Đăng nhập bằng tài khoản của tỉnh"
oidc_contact = "quản trị hệ thống của Sở Nội vụ"
# With single sign-on, turn danvan's own passwords off for everyone but one admin:
# local_passwords = false
# break_glass_admin = "admin"
local_passwords = true

# Log filter (tracing-subscriber EnvFilter syntax).  Env: DANVAN_LOG
log = "info"

# SMTP relay for reminder e-mails. Unset: reminders appear only in each agency's inbox. Mails
# wait in the outbox (/admin/outbox) and are retried with back-off when the relay fails.
#   Env: DANVAN_SMTP_HOST, DANVAN_SMTP_PORT, DANVAN_SMTP_FROM
# smtp_host = "mail.daknong.gov.vn"
smtp_port = 25
smtp_from = "danvan@localhost"
smtp_from_name = "Hệ thống danvan"
# "starttls": STARTTLS when the relay offers it (required when smtp_user is set);
# "tls": TLS from the first byte (port 465); "none": never encrypted, no AUTH.
smtp_security = "starttls"
# AUTH user; its password only from the environment: DANVAN_SMTP_PASSWORD (never printed).
# smtp_user = "danvan"
# Seconds for connecting and for each SMTP command (1 to 600).
smtp_timeout_seconds = 30
# Extra roots (PEM) to trust for the relay's certificate, beside the system's.
# smtp_ca_file = "/etc/danvan/ca-tinh.pem"

# The provincial platform (LGSP) or exchange axis that takes edXML packages (issue 16): status
# messages (01-06) and progress reports answering documents received as edXML. Unset: packages
# wait in the outbox (/documents/exchange). Each package is POSTed as XML with the headers below;
# a value "env:NAME" is read from the environment, so keys never sit in this file.
# exchange_endpoint = "https://lgsp.daknong.gov.vn/edoc/send"
# exchange_timeout_seconds = 30
# [exchange_headers]
# "X-SystemId" = "000.00.00.H17"
# "X-SecretKey" = "env:DANVAN_EXCHANGE_KEY"

# How long records holding personal data are kept (security.md 30; the personal-data register at
# /admin/personal-data shows these periods). Past them, the ten-minute sweep deletes or anonymises
# the records, each run with an audit record; `danvan self-check` lists what is due.
[retention]
# Failed sign-ins (name typed, address): deleted after this many days (at least 30).
login_failures_days = 90
# Learners' names and positions: anonymised this many whole years after the course's year; the
# counts by agency and category stay.
training_attendance_years = 5
# Accounts disabled and unused this many days: name, e-mail and second factor anonymised.
disabled_accounts_days = 730
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses_to_the_defaults() {
        let file: SettingsFile = toml::from_str(EXAMPLE).unwrap();
        let mut settings = Settings::default();
        settings.apply_file(file);
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn single_sign_on_settings_are_whole_or_refused() {
        let mut settings = Settings::default();
        assert!(settings.oidc(None).unwrap().is_none());
        settings.local_passwords = false;
        assert!(settings.oidc(None).is_err(), "passwords off needs single sign-on");
        settings.oidc_issuer = Some("https://sso.example.gov.vn".into());
        assert!(settings.oidc(None).is_err(), "and a callback URL");
        settings.oidc_redirect_url = Some("https://danvan.example.gov.vn/auth/oidc/callback".into());
        assert!(settings.oidc(None).is_err(), "and a break-glass admin");
        settings.break_glass_admin = Some("admin".into());
        let config = settings.oidc(Some("bí mật".into())).unwrap().unwrap();
        assert_eq!(config.client_secret.as_deref(), Some("bí mật"));
        assert_eq!(config.link_claim, "preferred_username");
        assert!(danvan_web::oidc::Provider::new(config).is_ok());
        let mut plain = settings.oidc(None).unwrap().unwrap();
        plain.issuer = "http://sso.example.gov.vn".into();
        assert!(
            danvan_web::oidc::Provider::new(plain).is_err(),
            "the provider is reached over TLS"
        );
    }

    #[test]
    fn retention_periods_are_read_from_the_file_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("danvan.toml");
        std::fs::write(&path, "[retention]\ntraining_attendance_years = 10\n").unwrap();
        let settings = Settings::load(Some(&path), &Overrides::default()).unwrap();
        assert_eq!(settings.retention.training_attendance_years, 10);
        assert_eq!(
            settings.retention.login_failures_days, 90,
            "unset periods keep their default"
        );
        std::fs::write(&path, "[retention]\nlogin_failures_days = 7\n").unwrap();
        let error = Settings::load(Some(&path), &Overrides::default()).unwrap_err();
        assert!(format!("{error:#}").contains("30 ngày"), "{error:#}");
        std::fs::write(&path, "[retention]\ntraining_years = 3\n").unwrap();
        assert!(
            Settings::load(Some(&path), &Overrides::default()).is_err(),
            "a misspelt period is refused"
        );
    }

    #[test]
    fn layers_apply_in_order_file_then_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("danvan.toml");
        std::fs::write(
            &path,
            "addr = \"127.0.0.1:9000\"\nlog = \"debug\"\nmax_connections = 3\n",
        )
        .unwrap();
        let overrides = Overrides {
            log: Some("warn".into()),
            ..Default::default()
        };
        let settings = Settings::load(Some(&path), &overrides).unwrap();
        assert_eq!(settings.addr.port(), 9000);
        assert_eq!(settings.max_connections, 3);
        assert_eq!(settings.log, "warn");
        std::fs::write(&path, "unknown_key = 1\n").unwrap();
        assert!(Settings::load(Some(&path), &Overrides::default()).is_err());
    }

    #[test]
    fn database_passwords_never_print() {
        let url = DatabaseUrl::new("postgres://danvan:s3cret@db:5432/danvan");
        assert_eq!(url.redacted(), "postgres://danvan:***@db:5432/danvan");
        assert!(!format!("{url:?}").contains("s3cret"));
        let settings = Settings {
            database_url: Some(url),
            ..Settings::default()
        };
        assert!(!format!("{settings:?}").contains("s3cret"));
    }

    #[test]
    fn sqlite_in_the_data_folder_is_the_default() {
        let settings = Settings {
            data_dir: PathBuf::from("/tmp/x"),
            ..Settings::default()
        };
        assert_eq!(settings.database_url().expose(), "sqlite:///tmp/x/danvan.db?mode=rwc");
        assert!(settings.uses_sqlite());
    }
}
