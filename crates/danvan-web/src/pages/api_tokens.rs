//! API tokens in the admin pages (issue 19): the list (name, the account it acts as, scopes,
//! expiry, last use, state), issuing one (its secret shown once) and revoking one. Every change
//! goes through `danvan_app::api_token`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::api_token::{NewApiToken, Scope};
use danvan_domain::{Role, collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::{Layout, format_instant};

/// The secret's prefix: a leaked token is recognisable as danvan's in a scan of logs or code.
pub const TOKEN_PREFIX: &str = "dvk_";

pub struct TokenRow {
    id: i64,
    name: String,
    account: String,
    scopes: String,
    expires: String,
    last_used: String,
    state: &'static str,
    live: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    expires: String,
    #[serde(default)]
    read: Option<String>,
    #[serde(default)]
    report: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/api_tokens.html")]
pub struct TokensPage {
    layout: Layout,
    rows: Vec<TokenRow>,
    accounts: Vec<(i64, String)>,
    form: TokenForm,
    errors: Vec<String>,
    /// The secret just issued, shown once.
    issued: Option<(String, String)>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: TokenForm,
    errors: Vec<String>,
    issued: Option<(String, String)>,
) -> Result<TokensPage, AppError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let rows = state
        .store
        .list_api_tokens()
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            live: t.is_live(now),
            state: if t.revoked_at.is_some() {
                "Đã thu hồi"
            } else if t.expires_at <= now {
                "Hết hạn"
            } else {
                "Đang dùng"
            },
            name: t.name,
            account: format!("{} ({})", t.username, t.role.label()),
            scopes: t.scopes.iter().map(|s| s.label()).collect::<Vec<_>>().join("; "),
            expires: format_instant(t.expires_at),
            last_used: t
                .last_used_at
                .map(format_instant)
                .unwrap_or_else(|| "Chưa dùng".to_owned()),
        })
        .collect();
    let names = state.store.unit_names().await?;
    let mut accounts: Vec<(i64, String)> = state
        .store
        .list_accounts()
        .await?
        .into_iter()
        .filter(|a| !a.disabled && a.role != Role::Admin)
        .map(|a| {
            let unit = a.unit_id.and_then(|id| names.get(&id).cloned());
            let label = match unit {
                Some(unit) => format!("{} ({}, {})", a.display_name, a.username, unit),
                None => format!("{} ({}, {})", a.display_name, a.username, a.role.label()),
            };
            (a.id, label)
        })
        .collect();
    accounts.sort_by(|a, b| collation::compare(&a.1, &b.1));
    Ok(TokensPage {
        layout: Layout::new(state, Some(user), "accounts"),
        rows,
        accounts,
        form,
        errors,
        issued,
    })
}

pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&page(&state, &user, TokenForm::default(), Vec::new(), None).await?)
}

pub async fn issue(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<TokenForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let account_id = form.account.trim().parse::<i64>().ok();
    if account_id.is_none() {
        errors.push("Chọn tài khoản mà khóa đại diện.".to_owned());
    }
    // The token lasts to the end of the chosen day, Vietnam's time.
    let expires_at = date::parse(form.expires.trim()).map(|day| {
        day.next_day()
            .unwrap_or(day)
            .with_hms(0, 0, 0)
            .expect("midnight")
            .assume_offset(time::macros::offset!(+7))
            .unix_timestamp()
    });
    if expires_at.is_none() {
        errors.push("Ngày hết hạn phải có dạng ngày/tháng/năm, ví dụ 31/12/2026.".to_owned());
    }
    let scopes: Vec<Scope> = [(Scope::Read, &form.read), (Scope::Report, &form.report)]
        .into_iter()
        .filter(|(_, on)| on.is_some())
        .map(|(scope, _)| scope)
        .collect();
    let (Some(account_id), Some(expires_at), true) = (account_id, expires_at, errors.is_empty()) else {
        return render_invalid(&page(&state, &user, form, errors, None).await?);
    };
    let secret = format!("{TOKEN_PREFIX}{}", crate::auth::random_token());
    let token = NewApiToken {
        name: form.name.clone(),
        token_hash: crate::auth::hash_token(&secret),
        account_id,
        scopes,
        expires_at,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match danvan_app::api_token::issue(&state.store, &user.acting(ip), &token, now).await {
        Ok(_) => {
            let name = form.name.trim().to_owned();
            render(&page(&state, &user, TokenForm::default(), Vec::new(), Some((name, secret))).await?)
        }
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&page(&state, &user, form, errors, None).await?),
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    danvan_app::api_token::revoke(&state.store, &user.acting(ip), id).await?;
    Ok(Redirect::to("/admin/api-tokens").into_response())
}
