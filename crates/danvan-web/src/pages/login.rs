//! Signing in and out.

use crate::metrics::Login;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use danvan_app::store::SessionRecord;
use danvan_app::store::account::{ADDRESS_FAILURE_LIMIT, LOCK_AFTER_FAILURES, LOCK_SECONDS};
use danvan_domain::account::verify_password;
use danvan_domain::audit::Action;
use danvan_domain::message;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, ClientIp, CurrentUser};
use crate::error::AppError;
use crate::view::Layout;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    layout: Layout,
    logged_out: bool,
    /// Why the user must sign in again: a session that ended, with what they typed kept or not.
    ended: Option<&'static str>,
    csrf: String,
    next: String,
    username: String,
    error: Option<&'static str>,
    /// The identity provider's button, when single sign-on is configured.
    sso_label: Option<String>,
    /// Local passwords are on for everyone (off: only the break-glass admin's form, folded).
    passwords: bool,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    logged_out: Option<String>,
    #[serde(default)]
    kept: Option<String>,
    #[serde(default)]
    expired: Option<String>,
}

const ENDED_KEPT: &str = "Phiên làm việc đã hết hạn nên bạn cần đăng nhập lại. Nội dung bạn vừa nhập đã được giữ lại (chưa lưu): sau khi đăng nhập, nó được điền lại vào biểu mẫu để bạn kiểm tra và lưu.";
const ENDED: &str = "Phiên làm việc đã hết hạn nên bạn cần đăng nhập lại.";

/// A hash to verify against when the account does not exist, so that a wrong name takes as
/// long to refuse as a wrong password and the timing does not reveal which names exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| danvan_domain::Password::unchecked_for_demo("không có tài khoản này").hash());

/// What the login page says above its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    None,
    LoggedOut,
    Ended,
    Kept,
}

fn login_page(
    state: &AppState,
    next: &str,
    username: &str,
    error: Option<&'static str>,
    status: StatusCode,
    notice: Notice,
) -> Result<Response, AppError> {
    let csrf = auth::random_token();
    let page = LoginPage {
        layout: Layout::new(state, None, "login"),
        logged_out: notice == Notice::LoggedOut,
        ended: match notice {
            Notice::Kept => Some(ENDED_KEPT),
            Notice::Ended => Some(ENDED),
            _ => None,
        },
        csrf: csrf.clone(),
        next: auth::safe_next(next).to_owned(),
        username: username.to_owned(),
        error,
        sso_label: state.config.sso.as_ref().map(|p| p.config.label.clone()),
        passwords: state.config.local_passwords || state.config.sso.is_none(),
    };
    let cookie = auth::set_cookie(&state.config, auth::login_csrf_cookie_name(&state.config), Some(&csrf));
    Ok((status, [cookie], Html(page.render()?)).into_response())
}

pub async fn show_login(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    if user.is_some() {
        return Ok(Redirect::to(auth::safe_next(&query.next)).into_response());
    }
    login_page(
        &state,
        &query.next,
        "",
        None,
        StatusCode::OK,
        if query.kept.is_some() {
            Notice::Kept
        } else if query.expired.is_some() {
            Notice::Ended
        } else if query.logged_out.is_some() {
            Notice::LoggedOut
        } else {
            Notice::None
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The second factor's code, for accounts that have one.
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

#[tracing::instrument(skip_all, fields(username = %form.username.escape_debug()))]
pub async fn submit_login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now_unix();
    let username = form.username.trim().to_ascii_lowercase();
    let refused = |error| {
        login_page(
            &state,
            &form.next,
            &username,
            Some(error),
            StatusCode::UNAUTHORIZED,
            Notice::None,
        )
    };
    let passwords_off = !state.config.local_passwords && state.config.sso.is_some();
    let break_glass = state
        .config
        .break_glass_admin
        .as_deref()
        .is_some_and(|name| name.trim().eq_ignore_ascii_case(&username));
    if passwords_off && !break_glass {
        tracing::info!(%ip, "password sign-in refused: local passwords are off");
        state.metrics.login(Login::Refused);
        return refused(message::LOGIN_SSO_ONLY);
    }
    if state.store.login_failures_from(&ip, now - LOCK_SECONDS).await? >= ADDRESS_FAILURE_LIMIT {
        tracing::warn!(%ip, "login refused: too many failures from this address");
        state.metrics.login(Login::Refused);
        return refused(message::LOGIN_THROTTLED);
    }
    let account = state.store.account_by_username(&username).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.as_str())
        .unwrap_or(DUMMY_HASH.as_str());
    let password_ok = verify_password(&form.password, hash);
    let Some(account) = account else {
        // A name without an account is answered as an account would be, lock included, so that
        // the answers do not tell which names exist.
        let earlier = state.store.login_failures_for(&username, now - LOCK_SECONDS).await?;
        if earlier < LOCK_AFTER_FAILURES {
            state.store.record_login_failure(&username, &ip, now).await?;
        }
        tracing::warn!(%ip, "login failed: no such account");
        state.metrics.login(if earlier < LOCK_AFTER_FAILURES {
            Login::Failure
        } else {
            Login::Refused
        });
        return refused(if earlier + 1 >= LOCK_AFTER_FAILURES {
            message::LOGIN_THROTTLED
        } else {
            message::LOGIN_FAILED
        });
    };
    // With passwords off, the break-glass name signs in with one only while it is an admin's.
    if passwords_off && account.role != danvan_domain::Role::Admin {
        state.metrics.login(Login::Refused);
        return refused(message::LOGIN_SSO_ONLY);
    }
    if account.is_locked(now) {
        tracing::warn!(%ip, account = account.id, "login refused: account locked");
        state.metrics.login(Login::Refused);
        return refused(message::LOGIN_THROTTLED);
    }
    // Who the security log names for what follows.
    let who = danvan_app::User::of_account(&account, Some(ip.clone()));
    if !password_ok || account.disabled {
        let locked = state.store.record_login_failure(&username, &ip, now).await?;
        danvan_app::security::record(&state.store, &who, Action::LoginFailed, account.id).await?;
        state.metrics.login(Login::Failure);
        if locked {
            danvan_app::security::record(&state.store, &who, Action::AccountLocked, account.id).await?;
            state.metrics.lockout();
            tracing::warn!(%ip, account = account.id, "account locked after repeated failures");
            return refused(message::LOGIN_THROTTLED);
        }
        tracing::warn!(%ip, account = account.id, disabled = account.disabled, "login failed");
        return refused(message::LOGIN_FAILED);
    }
    // The second factor, when the account has one: a wrong or reused code is a failed login,
    // counted towards the lock like a wrong password, and answered the same way.
    if account.totp_secret.is_some() && !second_factor_accepted(&state, &account, &form.code).await? {
        state.store.record_login_failure(&username, &ip, now).await?;
        danvan_app::security::record(&state.store, &who, Action::TotpFailed, account.id).await?;
        state.metrics.login(Login::Failure);
        tracing::warn!(%ip, account = account.id, "login failed: second factor");
        return refused(message::LOGIN_FAILED);
    }
    let (token, _) = open_session(&state, &account, &ip).await?;
    danvan_app::security::record(&state.store, &who, Action::Login, account.id).await?;
    state.metrics.login(Login::Success);
    tracing::info!(%ip, account = account.id, "signed in");
    let target = if account.must_change_password {
        "/account/password"
    } else {
        auth::safe_next(&form.next)
    };
    let session_cookie = auth::set_cookie(&state.config, auth::session_cookie_name(&state.config), Some(&token));
    let clear_login = auth::set_cookie(&state.config, auth::login_csrf_cookie_name(&state.config), None);
    Ok((AppendHeaders([session_cookie, clear_login]), Redirect::to(target)).into_response())
}

/// Whether `code` is the account's TOTP code now, not used before (it is then spent). `false`
/// for an account without a second factor.
pub(crate) async fn second_factor_accepted(
    state: &AppState,
    account: &danvan_app::store::Account,
    code: &str,
) -> Result<bool, AppError> {
    let Some(secret) = &account.totp_secret else {
        return Ok(false);
    };
    let real_now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(
        match danvan_domain::totp::verify(secret, code, real_now, account.totp_last_step) {
            Some(step) => state.store.use_totp_step(account.id, step).await?,
            None => false,
        },
    )
}

/// Opens a session for an account that has just proved who it is (a password here, or the
/// identity provider): the sign-in is noted and the session's secret returned with its hash.
pub(crate) async fn open_session(
    state: &AppState,
    account: &danvan_app::store::Account,
    ip: &str,
) -> Result<(String, String), AppError> {
    let now = state.clock.now_unix();
    state.store.record_login_success(account.id, now).await?;
    let token = auth::random_token();
    let token_hash = auth::hash_token(&token);
    state
        .store
        .create_session(&SessionRecord {
            token_hash: token_hash.clone(),
            account_id: account.id,
            csrf_token: auth::random_token(),
            ip: Some(ip.to_owned()),
            created_at: now,
            last_seen_at: now,
        })
        .await?;
    Ok((token, token_hash))
}

pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    state.store.delete_session(&user.token_hash).await?;
    danvan_app::security::record(&state.store, &user.acting(ip), Action::Logout, user.account_id).await?;
    let cookie = auth::set_cookie(&state.config, auth::session_cookie_name(&state.config), None);
    Ok(([cookie], Redirect::to("/login?logged_out=1")).into_response())
}
