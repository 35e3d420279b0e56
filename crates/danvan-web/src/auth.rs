//! Sign-in, sessions, the current user and CSRF tokens.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie; the database holds
//! only its SHA-256. A new token is made at every login (no fixation) and the row is deleted at
//! logout. Each session carries its own CSRF token, which every state-changing form sends back
//! in a hidden `csrf` field. The login form, which has no session yet, uses a double-submit
//! cookie instead.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use danvan_domain::Role;
use sha2::{Digest, Sha256};

use crate::WebConfig;

/// The signed-in user, put in the request's extensions by the outer middleware.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub must_change_password: bool,
    /// The account has a second factor (TOTP) on.
    pub has_totp: bool,
    pub csrf_token: String,
    pub token_hash: String,
    /// How many items wait for this user (the work queue's lines added up), counted at most a
    /// minute ago; `None` when not counted.
    pub waiting: Option<i64>,
    /// The user's last change succeeded: the page says so.
    pub saved: bool,
    /// The session was opened through the identity provider: sensitive steps are confirmed
    /// there, not with a password.
    pub via_sso: bool,
}

impl CurrentUser {
    /// This user as the application layer knows them, acting from `ip`.
    pub fn acting(&self, ip: String) -> danvan_app::User {
        danvan_app::User::account(self.account_id, &self.username, self.role, self.unit_id, Some(ip))
    }

    /// Whether this user may see the records of `unit_id`.
    pub fn sees_unit(&self, unit_id: i64) -> bool {
        self.role.sees_all() || self.unit_id == Some(unit_id)
    }

    /// Keeps an agency's own records (its leader, its dissemination meetings): its officers,
    /// and those who keep every agency's records.
    pub fn keeps_records_of(&self, unit_id: i64) -> bool {
        self.role.manages_units() || (self.role == Role::Officer && self.unit_id == Some(unit_id))
    }

    /// Whether this user registers records for an agency at all: an officer with an agency, or
    /// those who keep every agency's records.
    pub fn keeps_records(&self) -> bool {
        self.role.manages_units() || (self.role == Role::Officer && self.unit_id.is_some())
    }

    /// The agency a new record is kept for: the one the Department chose in the form, an
    /// officer's own otherwise; refused when the user may not keep that agency's records.
    pub fn record_unit(&self, chosen: &str) -> Result<Option<i64>, crate::error::AppError> {
        let unit_id = if self.role.manages_units() {
            chosen.trim().parse().ok()
        } else {
            self.unit_id
        };
        match unit_id {
            Some(unit_id) if !self.keeps_records_of(unit_id) => Err(crate::error::AppError::Forbidden),
            other => Ok(other),
        }
    }
}

/// Where the client connects from, as the audit log and the throttle see it.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    hex(&bytes)
}

/// A new one-time password from the system's random source (the admin pages and `danvan user`).
pub fn random_password() -> danvan_domain::Password {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("random bytes");
    danvan_domain::Password::random(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn session_cookie_name(config: &WebConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-danvan_session"
    } else {
        "danvan_session"
    }
}

pub fn login_csrf_cookie_name(config: &WebConfig) -> &'static str {
    if config.secure_cookies {
        "__Host-danvan_login"
    } else {
        "danvan_login"
    }
}

/// The value of a cookie in the request, if present.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` header for a session-scoped cookie; `None` clears it.
pub fn set_cookie(config: &WebConfig, name: &str, value: Option<&str>) -> (axum::http::HeaderName, HeaderValue) {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    let text = match value {
        Some(value) => format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    (SET_COOKIE, HeaderValue::from_str(&text).expect("cookie text is ASCII"))
}

/// A redirect target from a form, kept only when it is a local path.
pub fn safe_next(next: &str) -> &str {
    // A path of this site only: one slash, then no second slash or backslash (browsers read
    // "/\\evil" and "/\t/evil" as another host, dropping tabs and line breaks), no control or
    // white-space character anywhere (they cannot go in a Location header either), no scheme.
    let local = next.starts_with('/')
        && !next[1..].starts_with(['/', '\\'])
        && !next.contains('\\')
        && !next.contains("://")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if local { next } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_distinct() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn only_local_paths_are_followed_after_login() {
        for (next, expected) in [
            ("/units", "/units"),
            ("https://evil.example", "/"),
            ("//evil.example", "/"),
            ("/\\evil", "/"),
            ("", "/"),
            ("/units?date=15/12/2022", "/units?date=15/12/2022"),
        ] {
            assert_eq!(safe_next(next), expected, "{next}");
        }
        // Every control and white-space character, anywhere in the path, and backslash forms.
        let odd: Vec<char> = (0u32..=0x3000)
            .filter_map(char::from_u32)
            .filter(|c| c.is_control() || c.is_whitespace())
            .collect();
        for c in odd {
            for next in [
                format!("/{c}/evil.example"),
                format!("/units{c}"),
                format!("{c}//evil.example"),
            ] {
                assert_eq!(safe_next(&next), "/", "{:?}", next);
            }
        }
        for next in ["/\\/evil.example", "\\\\evil.example", "/%5C/x\\", "/\\evil"] {
            assert_eq!(safe_next(next), "/", "{next}");
        }
    }

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=1; danvan_session=abc; b=2"));
        assert_eq!(cookie(&headers, "danvan_session"), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn secure_deployments_use_host_prefixed_secure_cookies() {
        let config = WebConfig {
            secure_cookies: true,
            ..WebConfig::default()
        };
        let name = session_cookie_name(&config);
        let (_, value) = set_cookie(&config, name, Some("t"));
        let value = value.to_str().unwrap();
        assert!(value.starts_with("__Host-danvan_session=t"));
        assert!(value.contains("HttpOnly") && value.contains("SameSite=Lax") && value.contains("Secure"));
        let (_, plain) = set_cookie(&WebConfig::default(), "danvan_session", Some("t"));
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn constant_time_comparison_matches_equality() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
