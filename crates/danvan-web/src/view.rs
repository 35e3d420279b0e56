//! What every page shares: the layout data and small display helpers.

use askama::Template;
use danvan_domain::{Role, date};

use crate::AppState;
use crate::auth::CurrentUser;

/// The data the page frame needs: who is signed in, the demo date, the CSRF token for the
/// logout form, which menu entries to show.
#[derive(Debug, Clone)]
pub struct Layout {
    pub signed_in: bool,
    pub display_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub demo_date: Option<String>,
    pub section: &'static str,
    pub is_admin: bool,
    /// Sees every agency: admins, the monitor, leaders.
    pub oversees: bool,
    /// Items waiting for the user, for the navigation.
    pub waiting: i64,
    /// The user's last change succeeded.
    pub saved: bool,
    /// The printed page's header: the province's People's Committee and the day.
    pub province: String,
    pub today: String,
    /// The user signed in through the identity provider: forms that ask for the password
    /// again send them there instead, and show no password field.
    pub confirm_at_provider: bool,
}

impl Layout {
    pub fn new(state: &AppState, user: Option<&CurrentUser>, section: &'static str) -> Self {
        Self {
            signed_in: user.is_some(),
            display_name: user.map(|u| u.display_name.clone()).unwrap_or_default(),
            role_label: user.map(|u| u.role.label()).unwrap_or(""),
            csrf: user.map(|u| u.csrf_token.clone()).unwrap_or_default(),
            demo_date: state.clock.fixed_date().map(date::format_vn),
            section,
            is_admin: user.is_some_and(|u| u.role == Role::Admin),
            oversees: user.is_some_and(|u| u.role.sees_all()),
            waiting: user.and_then(|u| u.waiting).unwrap_or(0),
            saved: user.is_some_and(|u| u.saved),
            province: state
                .province
                .lock()
                .ok()
                .and_then(|cache| cache.as_ref().map(|(_, name)| name.clone()))
                .unwrap_or_default(),
            today: date::format_vn(state.clock.today()),
            confirm_at_provider: state.config.sso.is_some() && user.is_some_and(|u| u.via_sso),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView<'a> {
    pub layout: Layout,
    pub status: u16,
    pub message: &'a str,
    pub request_id: &'a str,
}

/// A Unix time as `dd/mm/yyyy hh:mm` in Vietnam's time.
pub fn format_instant(unix: i64) -> String {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    let at = at.to_offset(danvan_domain::clock::VN_OFFSET);
    format!("{} {:02}:{:02}", date::format_vn(at.date()), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_show_in_vietnam_time() {
        // 2022-12-14T17:30:00Z is 00:30 on 15/12/2022 in Vietnam.
        assert_eq!(format_instant(1_671_039_000), "15/12/2022 00:30");
    }
}
