//! The outer middleware every request passes through.

use std::net::SocketAddr;

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use tracing::Instrument;

use crate::AppState;
use crate::auth::{self, ClientIp, CurrentUser};
use danvan_domain::message;

use crate::error::{AppError, ErrorPage};
use crate::view::{ErrorView, Layout};

/// The marker of a change that succeeded, for the next page's confirmation.
const SAVED_COOKIE: &str = "danvan_saved";

/// Seconds between two writes of a session's last-seen time; reads in between do not write.
const TOUCH_INTERVAL: i64 = 30;

pub async fn outer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = crate::metrics::method_label(request.method());
    let metrics = state.metrics.clone();
    let response = answer(state, request, next).await;
    let route = response
        .extensions()
        .get::<crate::metrics::RoutePattern>()
        .map_or("unmatched", |p| p.0);
    metrics.request(
        route,
        method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

async fn answer(state: AppState, mut request: Request, next: Next) -> Response {
    // The API has its own: bearer tokens only, never the session cookie, problem details.
    if crate::api::is_api(request.uri().path()) {
        let ip = client_ip(&state, &request);
        return crate::api::outer(state, request, next, ip).await;
    }
    let mut id_bytes = [0u8; 8];
    getrandom::fill(&mut id_bytes).expect("random bytes");
    let request_id = auth::hex(&id_bytes);
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        method = %request.method(),
        // The path is escaped so that no input can forge a log line.
        path = %request.uri().path().escape_debug(),
    );
    let path = request.uri().path().to_owned();
    async move {
        let ip = client_ip(&state, &request);
        request.extensions_mut().insert(ClientIp(ip));
        let mut clear_cookie = false;
        let mut ended = None;
        // The navigation's count of waiting items is shown on pages only: a post (answered by a
        // redirect) does not count it.
        let count_waiting = request.method() == Method::GET;
        match load_user(&state, request.headers(), count_waiting).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(Expired(session)) => {
                // A cookie naming nothing is cleared; an ended session's stays for its grace.
                clear_cookie = session.is_none();
                ended = session;
            }
        }
        // A form posted after its session ended: its typed text is kept (when the post carries
        // that session's token) and the user signs in again; nothing else is done with it.
        if request.method() == Method::POST
            && !matches!(path.as_str(), "/login" | "/logout" | "/auth/oidc/totp")
            && let Some(ended) = ended
        {
            let mut response = crate::kept::answer_expired_post(&state, request, &ended).await;
            let (name, value) = auth::set_cookie(&state.config, auth::session_cookie_name(&state.config), None);
            response.headers_mut().append(name, value);
            security_headers(&state, &mut response, &request_id);
            tracing::info!(status = response.status().as_u16(), "handled");
            return response;
        }
        let kept_cookie = auth::cookie(request.headers(), crate::kept::COOKIE).and_then(|v| v.parse::<i64>().ok());
        let target = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        let is_get = request.method() == Method::GET;
        // A change that succeeded is confirmed on the page the user lands on: a short-lived
        // marker set with the redirect, read and cleared by the next page.
        let saved_marker = auth::cookie(request.headers(), SAVED_COOKIE).is_some();
        if saved_marker && let Some(user) = request.extensions_mut().get_mut::<CurrentUser>() {
            user.saved = true;
        }
        let is_post = request.method() == Method::POST;
        let user = request.extensions().get::<CurrentUser>().cloned();
        let mut response = match check_csrf(&state, request, user.as_ref()).await {
            Ok(request) => next.run(request).await,
            Err(error) => error.into_response(),
        };
        // Kept for the metrics through the error page and the kept form that may replace it.
        let pattern = response.extensions().get::<crate::metrics::RoutePattern>().copied();
        let page = response
            .extensions()
            .get::<ErrorPage>()
            .cloned()
            .or_else(|| framework_error(&response, &path));
        if let Some(page) = page {
            response = render_error(&state, user.as_ref(), &request_id, page);
        }
        if is_get && let (Some(id), Some(user)) = (kept_cookie, user.as_ref()) {
            response = give_back_kept(&state, user, id, &target, response).await;
        }
        if let Some(pattern) = pattern {
            response.extensions_mut().insert(pattern);
        }
        if clear_cookie {
            let (name, value) = auth::set_cookie(&state.config, auth::session_cookie_name(&state.config), None);
            response.headers_mut().append(name, value);
        }
        let changed = is_post
            && user.is_some()
            && response.status() == StatusCode::SEE_OTHER
            && !matches!(path.as_str(), "/login" | "/logout" | "/account/confirm");
        if changed {
            let (name, value) = auth::set_cookie(&state.config, SAVED_COOKIE, Some("1"));
            response.headers_mut().append(name, value);
        } else if saved_marker && response.status().is_success() {
            let (name, value) = auth::set_cookie(&state.config, SAVED_COOKIE, None);
            response.headers_mut().append(name, value);
        }
        security_headers(&state, &mut response, &request_id);
        tracing::info!(status = response.status().as_u16(), "handled");
        response
    }
    .instrument(span)
    .await
}

fn client_ip(state: &AppState, request: &Request) -> String {
    if state.config.trust_proxy
        && let Some(forwarded) = request.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first
            .trim()
            .chars()
            .filter(|c| c.is_ascii_hexdigit() || ".:".contains(*c))
            .take(45)
            .collect();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A session cookie that no longer signs anyone in; the session's account and token when it
/// ended by expiry (what a form posted with it typed can then be kept).
struct Expired(Option<crate::kept::Ended>);

/// The user whose session cookie came with the request; `Err` when the session has expired and
/// its cookie should be cleared.
async fn load_user(state: &AppState, headers: &HeaderMap, count_waiting: bool) -> Result<Option<CurrentUser>, Expired> {
    let Some(token) = auth::cookie(headers, auth::session_cookie_name(&state.config)) else {
        return Ok(None);
    };
    let token_hash = auth::hash_token(token);
    let found = match state.store.session_with_sso(&token_hash).await {
        Ok(found) => found,
        Err(error) => {
            tracing::error!(%error, "session lookup failed");
            return Ok(None);
        }
    };
    let Some((session, account, via_sso)) = found else {
        return Err(Expired(None));
    };
    let now = state.clock.now_unix();
    let idle_limit = account.role.idle_timeout_minutes() * 60;
    let expired = account.disabled
        || now - session.last_seen_at > idle_limit
        || now - session.created_at > state.config.session_max_seconds;
    if expired {
        tracing::info!(account = account.id, "session expired");
        if account.disabled {
            if let Err(error) = state.store.delete_session(&token_hash).await {
                tracing::error!(%error, "could not delete the session of a disabled account");
            }
            return Err(Expired(None));
        }
        // An ended session stays, unusable (this check runs on every request), and its cookie
        // too, until the sweep removes it after a grace: a form posted with it, even after a
        // page opened in another tab, is still recognised as its user's and its text kept.
        return Err(Expired(Some(crate::kept::Ended {
            account_id: account.id,
            csrf_token: session.csrf_token.clone(),
        })));
    }
    if now - session.last_seen_at >= TOUCH_INTERVAL
        && let Err(error) = state.store.touch_session(&token_hash, now).await
    {
        tracing::error!(%error, "could not touch a session");
    }
    let mut user = CurrentUser {
        account_id: account.id,
        username: account.username,
        display_name: account.display_name,
        role: account.role,
        unit_id: account.unit_id,
        must_change_password: account.must_change_password,
        has_totp: account.totp_secret.is_some(),
        csrf_token: session.csrf_token,
        token_hash,
        waiting: None,
        saved: false,
        via_sso,
    };
    user.waiting = waiting_for(state, &user, count_waiting).await;
    if count_waiting {
        refresh_province(state).await;
    }
    Ok(Some(user))
}

/// Reads the province's name for the printed pages' header when the cached one is older than a
/// minute (or missing).
async fn refresh_province(state: &AppState) {
    const FRESH: std::time::Duration = std::time::Duration::from_secs(60);
    let fresh = state
        .province
        .lock()
        .ok()
        .is_some_and(|cache| cache.as_ref().is_some_and(|(at, _)| at.elapsed() < FRESH));
    if fresh {
        return;
    }
    let today = state.clock.today();
    match state.store.list_units().await {
        Ok(units) => {
            let name = danvan_domain::unit::province_committee(&units, today)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            if let Ok(mut cache) = state.province.lock() {
                *cache = Some((std::time::Instant::now(), name));
            }
        }
        Err(error) => tracing::error!(?error, "could not read the province's name"),
    }
}

/// Gives back a kept form on the page it came from, to the account that typed it: its fields
/// filled into the page's form, then the kept copy deleted and its cookie cleared. A copy past
/// its day, or gone, only clears the cookie; another account's copy is left alone.
async fn give_back_kept(state: &AppState, user: &CurrentUser, id: i64, target: &str, response: Response) -> Response {
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let kept = match state.store.kept_form(id).await {
        Ok(kept) => kept,
        Err(error) => {
            tracing::error!(%error, "could not read a kept form");
            return response;
        }
    };
    let now = state.clock.now_unix();
    let Some(kept) = kept.filter(|k| now - k.created_at <= crate::kept::MAX_AGE_SECONDS) else {
        let mut response = response;
        let (name, value) = crate::kept::clear_cookie(state);
        response.headers_mut().append(name, value);
        return response;
    };
    if kept.account_id != user.account_id || kept.return_to != target || !is_html || response.status() != StatusCode::OK
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let restored = crate::kept::restore(&html, &kept.fields, &crate::view::format_instant(kept.created_at));
    if let Err(error) = state.store.discard_kept_form(kept.id).await {
        tracing::error!(%error, "could not delete a kept form once given back");
    }
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let (name, value) = crate::kept::clear_cookie(state);
    parts.headers.append(name, value);
    Response::from_parts(parts, Body::from(restored))
}

/// The number of items waiting for the user, from the minute-long cache or counted anew; when
/// `may_count` is false (a post), only what the cache holds, however old.
async fn waiting_for(state: &AppState, user: &CurrentUser, may_count: bool) -> Option<i64> {
    const FRESH: std::time::Duration = std::time::Duration::from_secs(60);
    let cached = state
        .waiting
        .lock()
        .ok()
        .and_then(|cache| cache.get(&user.account_id).copied());
    match cached {
        Some((at, n)) if at.elapsed() < FRESH || !may_count => return Some(n),
        None if !may_count => return None,
        _ => {}
    }
    let generation = match crate::fresh::Fresh::generation(&state.store, state.clock.today()).await {
        Ok(generation) => generation,
        Err(error) => {
            tracing::error!(?error, "could not read the data's generation");
            return None;
        }
    };
    let total = match crate::pages::queue::lines(state, user, &generation).await {
        Ok(lines) => lines.iter().map(|l| l.count).sum(),
        Err(error) => {
            tracing::error!(?error, "could not count the work queue");
            return None;
        }
    };
    if let Ok(mut cache) = state.waiting.lock() {
        cache.insert(user.account_id, (std::time::Instant::now(), total));
    }
    Some(total)
}

/// Checks the CSRF token of a state-changing request. Form bodies are read here and handed on
/// unchanged; other bodies must carry the token in the `x-csrf-token` header.
async fn check_csrf(state: &AppState, request: Request, user: Option<&CurrentUser>) -> Result<Request, AppError> {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(request);
    }
    // The sign-in form, and the second-factor form after the identity provider, carry the
    // token of the sign-in's double-submit cookie.
    let is_login = matches!(request.uri().path(), "/login" | "/auth/oidc/totp");
    let login_cookie = auth::cookie(request.headers(), auth::login_csrf_cookie_name(&state.config));
    let expected = match (user, is_login) {
        // The login form carries the token of its double-submit cookie; a signed-in user who
        // posts it (to switch accounts) may use the session's token instead.
        (_, true) if login_cookie.is_some() => login_cookie.map(str::to_owned),
        (Some(user), _) => Some(user.csrf_token.clone()),
        (None, true) => None,
        // Without a session the route's access rule refuses the request anyway.
        (None, false) => return Ok(request),
    };
    let Some(expected) = expected else {
        return Err(AppError::Csrf);
    };
    if let Some(header) = request.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if auth::constant_time_eq(header, &expected) {
            Ok(request)
        } else {
            Err(AppError::Csrf)
        };
    }
    // A file upload cannot carry a header from a plain form; its token is in the query string.
    let is_multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let sent = request.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.into_owned())
        });
        return match sent {
            Some(sent) if auth::constant_time_eq(&sent, &expected) => Ok(request),
            _ => Err(AppError::Csrf),
        };
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, 2 * 1024 * 1024)
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu gửi lên quá lớn."))?;
    let sent = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(sent) if auth::constant_time_eq(&sent, &expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Csrf),
    }
}

/// An error answered by the framework itself (a malformed form or path, a wrong method, a body
/// too large) comes as English plain text; it gets the same Vietnamese page as our own errors.
/// The health check keeps its plain answer for machines.
fn framework_error(response: &Response, path: &str) -> Option<ErrorPage> {
    let status = response.status();
    let plain = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain || path == "/healthz" {
        return None;
    }
    let message = match status {
        StatusCode::NOT_FOUND => message::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED => "Thao tác này không được hỗ trợ tại địa chỉ này.",
        StatusCode::PAYLOAD_TOO_LARGE => "Dữ liệu gửi lên quá lớn.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Định dạng dữ liệu gửi lên không được hỗ trợ.",
        s if s.is_server_error() => message::SERVER_ERROR,
        _ => "Dữ liệu gửi lên không hợp lệ. Vui lòng kiểm tra và thử lại.",
    };
    Some(ErrorPage {
        status,
        message: message.into(),
    })
}

fn render_error(state: &AppState, user: Option<&CurrentUser>, request_id: &str, page: ErrorPage) -> Response {
    let view = ErrorView {
        layout: Layout::new(state, user, ""),
        status: page.status.as_u16(),
        message: &page.message,
        request_id,
    };
    match view.render() {
        Ok(html) => (page.status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page did not render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống").into_response()
        }
    }
}

pub(crate) fn security_headers(state: &AppState, response: &mut Response, request_id: &str) {
    let headers = response.headers_mut();
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
        ),
    );
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if state.config.secure_cookies {
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", value);
    }
    // Pages hold officials' names and official data: no cache may keep them.
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
