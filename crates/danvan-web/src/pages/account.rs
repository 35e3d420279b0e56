//! A user's own account: changing the password.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::SessionRecord;
use danvan_domain::account::verify_password;
use danvan_domain::audit::Action;
use danvan_domain::{Password, Username, message};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

#[derive(Template)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    layout: Layout,
    must_change: bool,
    errors: Vec<&'static str>,
}

pub async fn show_password_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&PasswordPage {
        layout: Layout::new(&state, Some(&user), "account"),
        must_change: user.must_change_password,
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// Sets a new password; every session of the account ends and this browser gets a new one.
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let account = state
        .store
        .account_by_username(&user.username)
        .await?
        .ok_or(AppError::NotFound)?;
    let username =
        Username::parse(&account.username).map_err(|_| AppError::Internal("stored username invalid".into()))?;
    let mut errors = Vec::new();
    if !verify_password(&form.current, &account.password_hash) {
        errors.push("Mật khẩu hiện tại không đúng.");
    }
    if form.new != form.confirm {
        errors.push("Mật khẩu nhập lại không khớp.");
    }
    let password = Password::parse(&form.new, &username);
    if let Err(error) = &password {
        errors.push(message::password_error(*error));
    }
    if form.new == form.current {
        errors.push("Mật khẩu mới phải khác mật khẩu hiện tại.");
    }
    let (Ok(password), true) = (password, errors.is_empty()) else {
        let page = PasswordPage {
            layout: Layout::new(&state, Some(&user), "account"),
            must_change: user.must_change_password,
            errors,
        };
        return render_invalid(&page);
    };
    danvan_app::account::change_own_password(&state.store, &user.acting(ip.clone()), &password.hash()).await?;
    let now = state.clock.now_unix();
    let token = auth::random_token();
    state
        .store
        .create_session(&SessionRecord {
            token_hash: auth::hash_token(&token),
            account_id: account.id,
            csrf_token: auth::random_token(),
            ip: Some(ip),
            created_at: now,
            last_seen_at: now,
        })
        .await?;
    let cookie = auth::set_cookie(&state.config, auth::session_cookie_name(&state.config), Some(&token));
    Ok(([cookie], Redirect::to("/")).into_response())
}

pub struct SessionRow {
    /// The first 16 hex digits of the session's token hash: enough to name it to its owner,
    /// useless to anyone else.
    key: String,
    started: String,
    last_seen: String,
    ip: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account/sessions.html")]
pub struct SessionsPage {
    layout: Layout,
    sessions: Vec<SessionRow>,
}

fn session_key(token_hash: &str) -> String {
    token_hash.chars().take(16).collect()
}

/// The user's own sessions (security.md 10): where and since when, this one marked.
pub async fn show_sessions(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let now = state.clock.now_unix();
    let idle = user.role.idle_timeout_minutes() * 60;
    let mut sessions: Vec<SessionRecord> = state.store.sessions_of(user.account_id).await?;
    // Ended sessions stay a while for kept forms (`crate::kept`); they are not open.
    sessions.retain(|s| now - s.last_seen_at <= idle && now - s.created_at <= state.config.session_max_seconds);
    sessions.sort_by_key(|s| std::cmp::Reverse(s.last_seen_at));
    render(&SessionsPage {
        layout: Layout::new(&state, Some(&user), "account"),
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                key: session_key(&s.token_hash),
                started: crate::view::format_instant(s.created_at),
                last_seen: crate::view::format_instant(s.last_seen_at),
                ip: s.ip.unwrap_or_default(),
                current: s.token_hash == user.token_hash,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
pub struct EndSessionForm {
    /// A session's key, or "others" for every session but this one.
    #[serde(default)]
    session: String,
}

/// Ends one of the user's other sessions, or all of them; this one stays.
pub async fn end_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<EndSessionForm>,
) -> Result<Response, AppError> {
    let sessions = state.store.sessions_of(user.account_id).await?;
    let ending: Vec<&SessionRecord> = sessions
        .iter()
        .filter(|s| s.token_hash != user.token_hash)
        .filter(|s| form.session == "others" || session_key(&s.token_hash) == form.session)
        .collect();
    if ending.is_empty() {
        return Err(AppError::BadRequest("Không có phiên đăng nhập nào như vậy."));
    }
    for session in &ending {
        state.store.delete_session(&session.token_hash).await?;
    }
    danvan_app::security::record(&state.store, &user.acting(ip), Action::EndSessions, user.account_id).await?;
    Ok(Redirect::to("/account/sessions").into_response())
}

/// Asks for the password again before a sensitive action (security.md 13): a wrong one refuses
/// the action and is recorded as the security event `failed`, which names the action. A
/// session opened through the identity provider passes only when the provider signed its user
/// in again within the last 15 minutes (or the sign-in itself is that recent); otherwise it is
/// sent to the provider and then `back` to the step's page.
pub async fn confirm_password(
    state: &AppState,
    user: &CurrentUser,
    ip: &str,
    typed: &str,
    failed: Action,
    back: &str,
) -> Result<(), AppError> {
    // Signed in through the identity provider: proved again there (`/auth/oidc/start?purpose=
    // confirm`), never with a password.
    if state.config.sso.is_some() && user.via_sso {
        let at = state.store.session_authenticated_at(&user.token_hash).await?;
        if at.is_some_and(|at| state.clock.now_unix() - at <= RECENT_AUTH_SECONDS) {
            return Ok(());
        }
        return Err(AppError::ConfirmAtProvider(back.to_owned()));
    }
    let account = state
        .store
        .account_by_username(&user.username)
        .await?
        .ok_or(AppError::Forbidden)?;
    let now = state.clock.now_unix();
    let who = user.acting(ip.to_owned());
    // A wrong password typed again counts toward the lock as at sign-in: a session in the
    // wrong hands cannot guess at it. When the account locks, its sessions end.
    if account.is_locked(now) {
        state.store.end_sessions_of(account.id).await?;
        return Err(AppError::Refused(message::LOGIN_THROTTLED.to_owned()));
    }
    if !typed.is_empty() && verify_password(typed, &account.password_hash) {
        return Ok(());
    }
    danvan_app::security::record(&state.store, &who, failed, user.account_id).await?;
    if state.store.record_login_failure(&user.username, ip, now).await? {
        danvan_app::security::record(&state.store, &who, Action::AccountLocked, account.id).await?;
        state.store.end_sessions_of(account.id).await?;
        tracing::warn!(%ip, account = account.id, "account locked after repeated failures to confirm the password");
        return Err(AppError::Refused(message::LOGIN_THROTTLED.to_owned()));
    }
    Err(AppError::BadRequest(
        "Mật khẩu xác nhận không đúng: thao tác này cần nhập lại mật khẩu của bạn.",
    ))
}

/// What danvan holds about the signed-in person, as JSON (security.md 29): the account (never
/// its password hash), its sessions (never their tokens) and what the person did, from the audit
/// log. The export itself is logged.
pub async fn export_own_data(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let account = state
        .store
        .account_by_username(&user.username)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = match account.unit_id {
        Some(id) => state.store.unit(id).await?.map(|u| u.name),
        None => None,
    };
    let sessions: Vec<serde_json::Value> = state
        .store
        .sessions_of(account.id)
        .await?
        .into_iter()
        .map(|s| {
            serde_json::json!({
                "bat_dau": crate::view::format_instant(s.created_at),
                "hoat_dong_gan_nhat": crate::view::format_instant(s.last_seen_at),
                "dia_chi": s.ip,
            })
        })
        .collect();
    let actions: Vec<serde_json::Value> = state
        .store
        .audit_entries(&danvan_app::store::AuditFilter {
            actor: Some(account.username.clone()),
            limit: 10_000,
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "thoi_diem": crate::view::format_instant(e.created_at),
                "dia_chi": e.ip,
                "thao_tac": Action::from_codes(&e.action, &e.object_type).map_or_else(|| e.action.clone(), |a| a.vi().to_owned()),
                "doi_tuong": format!("{}/{}", e.object_type, e.object_id),
            })
        })
        .collect();
    let data = serde_json::json!({
        "tai_khoan": {
            "ten_dang_nhap": account.username,
            "ho_ten": account.display_name,
            "vai_tro": account.role.label(),
            "co_quan": unit,
            "thu_dien_tu": account.email,
            "tao_luc": crate::view::format_instant(account.created_at),
            "dang_nhap_gan_nhat": account.last_login_at.map(crate::view::format_instant),
            "bi_khoa": account.disabled,
        },
        "phien_dang_nhap": sessions,
        "thao_tac_da_thuc_hien": actions,
    });
    danvan_app::security::record(&state.store, &user.acting(ip), Action::ExportOwnData, user.account_id).await?;
    let bytes = serde_json::to_vec_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(crate::pages::download(
        "application/json; charset=utf-8",
        "du-lieu-cua-toi.json",
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "account/totp.html")]
pub struct TotpPage {
    layout: Layout,
    enabled: bool,
    required: bool,
    /// A new secret to enrol, in base32, grouped by four for reading.
    secret: String,
    grouped: String,
    uri: String,
    errors: Vec<&'static str>,
}

fn totp_page(state: &AppState, user: &CurrentUser, secret: Option<String>, errors: Vec<&'static str>) -> TotpPage {
    let secret = secret.unwrap_or_else(|| {
        let mut random = [0u8; 20];
        getrandom::fill(&mut random).expect("the operating system provides random bytes");
        danvan_domain::totp::new_secret(random)
    });
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    TotpPage {
        layout: Layout::new(state, Some(user), "account"),
        enabled: user.has_totp,
        required: user.role == danvan_domain::Role::Admin && state.config.require_admin_totp,
        uri: danvan_domain::totp::uri(&secret, &user.username, "danvan"),
        grouped,
        secret,
        errors,
    }
}

/// The second factor: a new secret to enter in an authenticator app and a code to confirm it,
/// or, once on, a form to turn it off (security.md 6).
pub async fn show_totp(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&totp_page(&state, &user, None, vec![]))
}

#[derive(Deserialize)]
pub struct TotpForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

pub async fn change_totp(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<TotpForm>,
) -> Result<Response, AppError> {
    let who = user.acting(ip.clone());
    match form.action.as_str() {
        "enable" if !user.has_totp => {
            let secret = form.secret.trim().to_ascii_uppercase();
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let valid = danvan_domain::totp::decode_base32(&secret).is_some_and(|k| k.len() >= 16)
                && danvan_domain::totp::verify(&secret, &form.code, now, None).is_some();
            if !valid {
                let page = totp_page(
                    &state,
                    &user,
                    Some(secret).filter(|s| !s.is_empty()),
                    vec!["Mã xác thực không đúng: nhập mã 6 chữ số ứng dụng đang hiện cho khóa này."],
                );
                return render_invalid(&page);
            }
            danvan_app::account::set_own_totp(&state.store, &who, Some(&secret)).await?;
            Ok(Redirect::to("/account/totp").into_response())
        }
        "disable" if user.has_totp => {
            confirm_password(
                &state,
                &user,
                &ip,
                &form.password,
                Action::ReauthFailedTotpOff,
                "/account/totp",
            )
            .await?;
            danvan_app::account::set_own_totp(&state.store, &who, None).await?;
            Ok(Redirect::to("/account/totp").into_response())
        }
        _ => Err(AppError::BadRequest(
            "Thao tác không hợp lệ với trạng thái xác thực hai lớp hiện tại.",
        )),
    }
}

/// How recent a sign-in or password confirmation must be for a bulk export (security.md 13).
pub const RECENT_AUTH_SECONDS: i64 = 15 * 60;

/// Before a bulk export: `None` when the user proved who they are in the last
/// [`RECENT_AUTH_SECONDS`], otherwise the redirect to the page that asks for the password,
/// coming back to `path` afterwards.
pub async fn require_recent_auth(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
) -> Result<Option<Response>, AppError> {
    let at = state.store.session_authenticated_at(&user.token_hash).await?;
    if at.is_some_and(|at| state.clock.now_unix() - at <= RECENT_AUTH_SECONDS) {
        return Ok(None);
    }
    let next: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", path)
        .finish();
    Ok(Some(Redirect::to(&format!("/account/confirm?{next}")).into_response()))
}

#[derive(Deserialize)]
pub struct ConfirmQuery {
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "account/confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    next: String,
    /// For a session opened through the identity provider: the link that asks it to sign the
    /// user in again.
    sso_confirm: Option<String>,
}

pub async fn show_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(query): axum::extract::Query<ConfirmQuery>,
) -> Result<Response, AppError> {
    let next = auth::safe_next(&query.next).to_owned();
    let sso_confirm = if state.config.sso.is_some() && user.via_sso {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("purpose", "confirm")
            .append_pair("next", &next)
            .finish();
        Some(format!("/auth/oidc/start?{query}"))
    } else {
        None
    };
    render(&ConfirmPage {
        layout: Layout::new(&state, Some(&user), "account"),
        next,
        sso_confirm,
    })
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The password typed again: the session counts as freshly signed in for a while.
pub async fn submit_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    // A session opened through the identity provider is confirmed there, never by this form
    // (which would otherwise renew its own freshness without the provider).
    if state.config.sso.is_some() && user.via_sso {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("purpose", "confirm")
            .append_pair("next", auth::safe_next(&form.next))
            .finish();
        return Ok(Redirect::to(&format!("/auth/oidc/start?{query}")).into_response());
    }
    confirm_password(
        &state,
        &user,
        &ip,
        &form.password,
        Action::ReauthFailedConfirm,
        &form.next,
    )
    .await?;
    state
        .store
        .confirm_session(&user.token_hash, state.clock.now_unix())
        .await?;
    Ok(Redirect::to(auth::safe_next(&form.next)).into_response())
}
