//! Signing in through the province's identity provider (issue 19); see `crate::oidc` for the
//! protocol. These handlers keep the attempt, bind it to the browser, find the account, ask an
//! admin for danvan's own code when the provider did not use a second factor, and open the
//! session as the password sign-in does.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use danvan_app::store::Account;
use danvan_app::store::oidc::{OidcAttempt, Purpose};
use danvan_domain::Role;
use danvan_domain::audit::Action;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, ClientIp, CurrentUser};
use crate::error::AppError;
use crate::metrics::Login;
use crate::oidc::{Provider, random};
use crate::view::Layout;

/// The cookie that binds an attempt to the browser that began it (`__Host-` over TLS, so that
/// no sibling site can set it).
fn cookie_name(state: &AppState) -> &'static str {
    if state.config.secure_cookies {
        "__Host-danvan_oidc"
    } else {
        "danvan_oidc"
    }
}

/// How long an attempt may take at the provider.
const ATTEMPT_SECONDS: i64 = 600;

#[derive(Debug, Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    purpose: String,
}

#[derive(Template)]
#[template(path = "sso_refused.html")]
struct RefusedPage {
    layout: Layout,
    message: String,
}

fn refused(state: &AppState, status: StatusCode, message: String) -> Result<Response, AppError> {
    let page = RefusedPage {
        layout: Layout::new(state, None, "login"),
        message,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The provider; without single sign-on configured, these addresses lead to the sign-in page
/// (`to_login`).
fn provider(state: &AppState) -> Option<&Provider> {
    state.config.sso.as_deref()
}

fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

const UNAVAILABLE: &str = "Chưa kết nối được với cổng đăng nhập của tỉnh; hãy thử lại sau ít phút.";

/// `GET /auth/oidc/start`: keeps the attempt and sends the browser to the provider.
pub async fn start(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let Some(provider) = provider(&state) else {
        return Ok(to_login());
    };
    let (purpose, account_id, session_id) = match (query.purpose.as_str(), &user) {
        ("confirm", Some(user)) => (Purpose::Confirm, Some(user.account_id), Some(user.token_hash.clone())),
        ("confirm", None) => return Ok(Redirect::to("/login").into_response()),
        _ => (Purpose::Login, None, None),
    };
    let secret_state = random();
    let attempt = OidcAttempt {
        state_hash: auth::hash_token(&secret_state),
        purpose,
        nonce: random(),
        verifier: random(),
        next: auth::safe_next(&query.next).to_owned(),
        account_id,
        session_id,
        created_at: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let url = match provider
        .authorization_url(
            &secret_state,
            &attempt.nonce,
            &attempt.verifier,
            purpose == Purpose::Confirm,
        )
        .await
    {
        Ok(url) => url,
        Err(failed) => {
            tracing::error!(reason = failed.log, "identity provider unavailable");
            return refused(&state, StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE.to_owned());
        }
    };
    state.store.create_oidc_attempt(&attempt).await?;
    let cookie = auth::set_cookie(&state.config, cookie_name(&state), Some(&secret_state));
    Ok((AppendHeaders([cookie]), Redirect::to(&url)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

/// Takes the attempt named by the state the browser brings back, checking it began in this
/// browser; `None` (and a log line) otherwise.
async fn take_attempt(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    secret_state: &str,
) -> Result<Option<OidcAttempt>, AppError> {
    if secret_state.is_empty() || auth::cookie(headers, cookie_name(state)) != Some(secret_state) {
        tracing::warn!("sign-in callback without the attempt's cookie");
        return Ok(None);
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let attempt = state
        .store
        .take_oidc_attempt(&auth::hash_token(secret_state), now, now - ATTEMPT_SECONDS)
        .await?;
    if attempt.is_none() {
        tracing::warn!("sign-in callback for an unknown, used or expired attempt");
    }
    Ok(attempt)
}

const START_AGAIN: &str =
    "Lượt đăng nhập này không còn dùng được (đã dùng, quá hạn hoặc mở từ trình duyệt khác). Hãy đăng nhập lại từ đầu.";
const NOT_VERIFIED: &str = "Không xác minh được thông tin đăng nhập từ cổng của tỉnh. Hãy đăng nhập lại; nếu vẫn không được, báo quản trị hệ thống.";

/// `GET /auth/oidc/callback`: the provider sends the browser back here.
pub async fn callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let Some(provider) = provider(&state) else {
        return Ok(to_login());
    };
    let attempt = take_attempt(&state, &headers, &query.state)
        .await?
        .filter(|a| matches!(a.purpose, Purpose::Login | Purpose::Confirm));
    let Some(attempt) = attempt else {
        return refused(&state, StatusCode::BAD_REQUEST, START_AGAIN.to_owned());
    };
    if !query.error.is_empty() || query.code.is_empty() {
        tracing::warn!(
            error = query.error.escape_debug().to_string(),
            "the provider refused the sign-in"
        );
        return refused(
            &state,
            StatusCode::UNAUTHORIZED,
            "Cổng đăng nhập của tỉnh không xác nhận lượt đăng nhập này.".to_owned(),
        );
    }
    let identity = match provider.finish(&query.code, &attempt.verifier, &attempt.nonce).await {
        Ok(identity) => identity,
        Err(failed) => {
            tracing::warn!(reason = failed.log, "ID token refused");
            state.metrics.login(Login::Failure);
            return refused(&state, StatusCode::UNAUTHORIZED, NOT_VERIFIED.to_owned());
        }
    };
    if attempt.purpose == Purpose::Confirm {
        // The provider must have signed the user in again after the attempt began.
        let fresh = identity.auth_time.is_some_and(|at| at >= attempt.created_at - 5);
        let session = attempt.session_id.clone().unwrap_or_default();
        let same = match state.store.session(&session).await? {
            Some((_, account)) => Some(account.id) == attempt.account_id && linked(provider, &account, &identity),
            None => false,
        };
        if !(fresh && same) {
            tracing::warn!(fresh, same, "confirmation through the provider refused");
            return refused(
                &state,
                StatusCode::UNAUTHORIZED,
                "Cổng đăng nhập của tỉnh chưa xác nhận lại bạn (cần đăng nhập lại tại cổng, đúng tài khoản đang dùng). Hãy thử lại.".to_owned(),
            );
        }
        state.store.confirm_session(&session, state.clock.now_unix()).await?;
        return Ok(Redirect::to(auth::safe_next(&attempt.next)).into_response());
    }
    let Some(account) = account_for(&state, provider, &identity).await? else {
        let who = identity.link.clone().unwrap_or_else(|| identity.subject.clone());
        tracing::warn!(%ip, "signed in at the provider without a danvan account");
        state.metrics.login(Login::Refused);
        return refused(
            &state,
            StatusCode::FORBIDDEN,
            format!(
                "Tài khoản «{who}» của cổng đăng nhập tỉnh chưa được liên kết với tài khoản nào trên hệ thống này. \
                 Đề nghị liên hệ {} để được cấp hoặc liên kết tài khoản.",
                provider.config.contact
            ),
        );
    };
    let now = state.clock.now_unix();
    if account.disabled || account.is_locked(now) {
        state.metrics.login(Login::Refused);
        return refused(
            &state,
            StatusCode::FORBIDDEN,
            format!(
                "Tài khoản {} trên hệ thống này đang bị khóa. Đề nghị liên hệ {}.",
                account.username, provider.config.contact
            ),
        );
    }
    if account.role == Role::Admin && !identity.mfa {
        if account.totp_secret.is_none() {
            state.metrics.login(Login::Refused);
            return refused(
                &state,
                StatusCode::FORBIDDEN,
                "Quản trị hệ thống phải dùng xác thực hai lớp: hãy đăng nhập tại cổng của tỉnh bằng phương thức có hai lớp, \
                 hoặc bật mã xác thực hai lớp cho tài khoản quản trị trên hệ thống này."
                    .to_owned(),
            );
        }
        let secret_state = random();
        state
            .store
            .create_oidc_attempt(&OidcAttempt {
                state_hash: auth::hash_token(&secret_state),
                purpose: Purpose::Totp,
                nonce: identity.subject.clone(),
                verifier: String::new(),
                next: attempt.next.clone(),
                account_id: Some(account.id),
                session_id: None,
                created_at: now,
            })
            .await?;
        let cookie = auth::set_cookie(&state.config, cookie_name(&state), Some(&secret_state));
        return Ok((AppendHeaders([cookie]), Redirect::to("/auth/oidc/totp")).into_response());
    }
    open(&state, &account, &identity.subject, &ip, &attempt.next).await
}

/// Whether the identity names this account by the linking claim.
fn linked(provider: &Provider, account: &Account, identity: &crate::oidc::Identity) -> bool {
    let Some(link) = identity.link.as_deref().map(str::trim) else {
        return false;
    };
    match provider.config.link_field {
        crate::oidc::LinkField::Username => account.username.eq_ignore_ascii_case(link),
        crate::oidc::LinkField::Email => account
            .email
            .as_deref()
            .is_some_and(|email| email.trim().eq_ignore_ascii_case(link)),
    }
}

async fn account_for(
    state: &AppState,
    provider: &Provider,
    identity: &crate::oidc::Identity,
) -> Result<Option<Account>, AppError> {
    let Some(link) = identity.link.as_deref().map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let account = match provider.config.link_field {
        crate::oidc::LinkField::Username => state.store.account_by_username(&link.to_ascii_lowercase()).await?,
        // An address the provider has not verified could be anyone's.
        crate::oidc::LinkField::Email if !identity.email_verified => None,
        crate::oidc::LinkField::Email => state.store.account_by_email(link).await?,
    };
    let Some(account) = account.filter(|a| linked(provider, a, identity)) else {
        return Ok(None);
    };
    // The claim can change hands (a renamed user, a reused address): the account stays with the
    // subject it was first linked to.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if !state
        .store
        .link_sso_subject(account.id, &provider.config.issuer, &identity.subject, now)
        .await?
    {
        tracing::warn!(
            account = account.id,
            "the linking claim names an account linked to another subject"
        );
        return Ok(None);
    }
    Ok(Some(account))
}

/// Opens the session, as the password sign-in does, marked as opened through the provider.
async fn open(state: &AppState, account: &Account, subject: &str, ip: &str, next: &str) -> Result<Response, AppError> {
    let who = danvan_app::User::of_account(account, Some(ip.to_owned()));
    let (token, token_hash) = crate::pages::login::open_session(state, account, ip).await?;
    state.store.mark_sso_session(&token_hash, subject).await?;
    danvan_app::security::record(&state.store, &who, Action::LoginSso, account.id).await?;
    state.metrics.login(Login::Success);
    tracing::info!(%ip, account = account.id, "signed in through the identity provider");
    let session_cookie = auth::set_cookie(&state.config, auth::session_cookie_name(&state.config), Some(&token));
    let clear = auth::set_cookie(&state.config, cookie_name(state), None);
    // The provider vouches for the person: a one-time local password left to change does not
    // stand in the way.
    Ok((
        AppendHeaders([session_cookie, clear]),
        Redirect::to(auth::safe_next(next)),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "sso_totp.html")]
struct TotpPage {
    layout: Layout,
    csrf: String,
    error: Option<&'static str>,
}

/// `GET /auth/oidc/totp`: an admin signed in at the provider without a second factor gives
/// danvan's own code.
pub async fn show_totp(State(state): State<AppState>) -> Result<Response, AppError> {
    if provider(&state).is_none() {
        return Ok(to_login());
    }
    // The form's token is the sign-in form's double-submit cookie (the middleware checks it).
    let csrf = auth::random_token();
    let page = TotpPage {
        layout: Layout::new(&state, None, "login"),
        csrf: csrf.clone(),
        error: None,
    };
    let cookie = auth::set_cookie(&state.config, auth::login_csrf_cookie_name(&state.config), Some(&csrf));
    Ok(([cookie], Html(page.render()?)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct TotpForm {
    #[serde(default)]
    code: String,
}

/// `POST /auth/oidc/totp`: checks the code once; a wrong one ends the attempt and counts as a
/// failed sign-in.
pub async fn submit_totp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    Form(form): Form<TotpForm>,
) -> Result<Response, AppError> {
    if provider(&state).is_none() {
        return Ok(to_login());
    }
    let secret_state = auth::cookie(&headers, cookie_name(&state)).unwrap_or_default();
    let attempt = take_attempt(&state, &headers, secret_state)
        .await?
        .filter(|a| a.purpose == Purpose::Totp);
    let account = match attempt.as_ref().and_then(|a| a.account_id) {
        Some(id) => state.store.account(id).await?,
        None => None,
    };
    let (Some(attempt), Some(account)) = (attempt, account) else {
        return refused(&state, StatusCode::BAD_REQUEST, START_AGAIN.to_owned());
    };
    let now = state.clock.now_unix();
    let usable = !(account.disabled || account.is_locked(now));
    let accepted = usable && crate::pages::login::second_factor_accepted(&state, &account, &form.code).await?;
    if !accepted {
        let who = danvan_app::User::of_account(&account, Some(ip.clone()));
        state.store.record_login_failure(&account.username, &ip, now).await?;
        danvan_app::security::record(&state.store, &who, Action::TotpFailed, account.id).await?;
        state.metrics.login(Login::Failure);
        let clear = auth::set_cookie(&state.config, cookie_name(&state), None);
        let page = TotpPage {
            layout: Layout::new(&state, None, "login"),
            csrf: String::new(),
            error: Some("Mã xác thực không đúng. Hãy đăng nhập lại từ đầu."),
        };
        return Ok((StatusCode::UNAUTHORIZED, AppendHeaders([clear]), Html(page.render()?)).into_response());
    }
    // The subject was kept in the attempt's nonce column.
    open(&state, &account, &attempt.nonce, &ip, &attempt.next).await
}
