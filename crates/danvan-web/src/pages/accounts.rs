//! Accounts in the admin pages: the list with role, agency, last sign-in and state; creating an
//! account (its one-time password shown once, to be changed at first sign-in); an account's page
//! to change its role or agency (the admin's password asked again), give a new one-time
//! password, disable or enable it, and sign it out everywhere. Every change goes through
//! `danvan_app::account`; the command line's `danvan user` stays.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::{Account, NewAccount};
use danvan_domain::audit::Action;
use danvan_domain::{Role, Username, collation};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::{Layout, format_instant};

pub struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    unit: String,
    last_login: String,
    state: &'static str,
}

fn state_of(account: &Account, now: i64) -> &'static str {
    if account.disabled {
        "Đã khóa"
    } else if account.is_locked(now) {
        "Tạm khóa (đăng nhập sai nhiều lần)"
    } else if account.must_change_password {
        "Chờ đổi mật khẩu lần đầu"
    } else {
        "Đang hoạt động"
    }
}

/// The agencies an officer may belong to today, in Vietnamese order.
async fn agencies(state: &AppState) -> Result<Vec<(i64, String)>, AppError> {
    let today = state.clock.today();
    let mut units: Vec<(i64, String)> = state
        .store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.is_active_on(today))
        .map(|u| (u.id, u.name))
        .collect();
    units.sort_by(|a, b| collation::compare(&a.1, &b.1));
    Ok(units)
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    layout: Layout,
    rows: Vec<AccountRow>,
}

pub async fn list_accounts(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let names = state.store.unit_names().await?;
    let now = state.clock.now_unix();
    let mut accounts = state.store.list_accounts().await?;
    accounts.sort_by(|a, b| collation::compare(&a.display_name, &b.display_name));
    let rows = accounts
        .iter()
        .map(|a| AccountRow {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: a.role.label(),
            unit: a.unit_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
            last_login: a
                .last_login_at
                .map(format_instant)
                .unwrap_or_else(|| "Chưa đăng nhập".into()),
            state: state_of(a, now),
        })
        .collect();
    render(&AccountsPage {
        layout: Layout::new(&state, Some(&user), "accounts"),
        rows,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "admin/account_new.html")]
pub struct NewAccountPage {
    layout: Layout,
    form: NewAccountForm,
    roles: Vec<(&'static str, &'static str)>,
    agencies: Vec<(i64, String)>,
    errors: Vec<String>,
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

pub async fn new_account_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&NewAccountPage {
        layout: Layout::new(&state, Some(&user), "accounts"),
        form: NewAccountForm {
            role: Role::Officer.code().into(),
            ..Default::default()
        },
        roles: roles(),
        agencies: agencies(&state).await?,
        errors: vec![],
    })
}

#[derive(Template)]
#[template(path = "admin/password_once.html")]
pub struct PasswordOncePage {
    layout: Layout,
    id: i64,
    username: String,
    password: String,
    created: bool,
}

/// Creates an account and shows its one-time password once (the page is not kept: `no-store`).
pub async fn create_account(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<NewAccountForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let username = Username::parse(form.username.trim());
    if username.is_err() {
        errors.push(
            "Tên đăng nhập từ 3 đến 32 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới.".to_owned(),
        );
    }
    let role = Role::from_code(&form.role);
    if role.is_none() {
        errors.push("Chọn vai trò.".to_owned());
    }
    let display_name = form.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 120 {
        errors.push("Họ và tên không được để trống và không quá 120 ký tự.".to_owned());
    }
    let email = form.email.trim().to_owned();
    if !email.is_empty() && (!email.contains('@') || email.len() > 200 || email.contains(char::is_whitespace)) {
        errors.push("Địa chỉ thư điện tử không hợp lệ.".to_owned());
    }
    let unit_id = form.unit.trim().parse::<i64>().ok();
    let page = |errors: Vec<String>, form: NewAccountForm| {
        let state = state.clone();
        let user = user.clone();
        async move {
            render_invalid(&NewAccountPage {
                layout: Layout::new(&state, Some(&user), "accounts"),
                form,
                roles: roles(),
                agencies: agencies(&state).await?,
                errors,
            })
        }
    };
    let (Ok(username), Some(role), true) = (username, role, errors.is_empty()) else {
        return page(errors, form).await;
    };
    let password = crate::auth::random_password();
    let account = NewAccount {
        username: username.clone(),
        display_name,
        role,
        unit_id: if role.requires_unit() { unit_id } else { None },
        password_hash: password.hash(),
        must_change_password: true,
        email: (!email.is_empty()).then_some(email),
    };
    match danvan_app::account::create(&state.store, &user.acting(ip), &account).await {
        Ok(id) => render(&PasswordOncePage {
            layout: Layout::new(&state, Some(&user), "accounts"),
            id,
            username: username.as_str().to_owned(),
            password: password.expose().to_owned(),
            created: true,
        }),
        Err(danvan_app::Refusal::Invalid(errors)) => page(errors, form).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    layout: Layout,
    row: AccountRow,
    role_code: &'static str,
    /// The account's agency id as the form's select holds it ("" for none).
    unit_key: String,
    created: String,
    disabled: bool,
    own: bool,
    roles: Vec<(&'static str, &'static str)>,
    agencies: Vec<(i64, String)>,
    errors: Vec<String>,
}

async fn account_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: Vec<String>,
) -> Result<AccountPage, AppError> {
    let account = state
        .store
        .list_accounts()
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    let names = state.store.unit_names().await?;
    Ok(AccountPage {
        layout: Layout::new(state, Some(user), "accounts"),
        role_code: account.role.code(),
        unit_key: account.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        created: format_instant(account.created_at),
        disabled: account.disabled,
        own: account.id == user.account_id,
        row: AccountRow {
            id: account.id,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            role: account.role.label(),
            unit: account.unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
            last_login: account
                .last_login_at
                .map(format_instant)
                .unwrap_or_else(|| "Chưa đăng nhập".into()),
            state: state_of(&account, state.clock.now_unix()),
        },
        roles: roles(),
        agencies: agencies(state).await?,
        errors,
    })
}

pub async fn show_account(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&account_page(&state, &user, id, vec![]).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    /// The admin's own password, asked again (security.md 13).
    #[serde(default)]
    password: String,
}

/// Changes an account's role or agency after the admin types their password again.
pub async fn change_role(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<RoleForm>,
) -> Result<Response, AppError> {
    let Some(role) = Role::from_code(&form.role) else {
        return render_invalid(&account_page(&state, &user, id, vec!["Chọn vai trò.".into()]).await?);
    };
    let back = format!("/admin/accounts/{id}");
    if let Some(error) = reauthenticate(
        &state,
        &user,
        &ip,
        &form.password,
        Action::ReauthFailedChangeRole,
        &back,
    )
    .await?
    {
        return render_invalid(&account_page(&state, &user, id, vec![error]).await?);
    }
    let unit_id = form.unit.trim().parse::<i64>().ok();
    match danvan_app::account::change_role(&state.store, &user.acting(ip), id, role, unit_id, state.clock.today()).await
    {
        Ok(()) => Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&account_page(&state, &user, id, errors).await?),
        Err(other) => Err(other.into()),
    }
}

/// The admin's password typed again before a step that hands over or reshapes an account
/// (security.md 13): `None` when it is right; the reason otherwise. An empty field is refused
/// without counting as a failure; a wrong one counts toward the lock, as at sign-in.
async fn reauthenticate(
    state: &AppState,
    user: &CurrentUser,
    ip: &str,
    typed: &str,
    failed: Action,
    back: &str,
) -> Result<Option<String>, AppError> {
    // A session opened through the identity provider has no password to type: it is confirmed
    // there (`confirm_password` sends it when its confirmation is not recent).
    let sso = state.config.sso.is_some() && user.via_sso;
    if typed.is_empty() && !sso {
        return Ok(Some("Nhập mật khẩu của bạn để xác nhận thao tác.".to_owned()));
    }
    match crate::pages::account::confirm_password(state, user, ip, typed, failed, back).await {
        Ok(()) => Ok(None),
        Err(AppError::BadRequest(_)) => Ok(Some(
            "Mật khẩu của bạn không đúng; thao tác chưa được thực hiện.".to_owned(),
        )),
        // The lock after repeated failures (which ends the admin's sessions) or a failure of
        // the database: shown as what it is.
        Err(other) => Err(other),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

/// Gives the account a new one-time password, shown once; its sessions end. The admin's own
/// password is asked again: whoever holds the new one holds the account.
pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response, AppError> {
    let page = account_page(&state, &user, id, vec![]).await?;
    let back = format!("/admin/accounts/{id}");
    if let Some(error) = reauthenticate(
        &state,
        &user,
        &ip,
        &form.password,
        Action::ReauthFailedResetPassword,
        &back,
    )
    .await?
    {
        return render_invalid(&account_page(&state, &user, id, vec![error]).await?);
    }
    let password = crate::auth::random_password();
    danvan_app::account::reset_password(&state.store, &user.acting(ip), id, &password.hash()).await?;
    render(&PasswordOncePage {
        layout: Layout::new(&state, Some(&user), "accounts"),
        id,
        username: page.row.username,
        password: password.expose().to_owned(),
        created: false,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct DisabledForm {
    #[serde(default)]
    disabled: String,
}

/// Disables an account (its sessions end) or enables it again.
pub async fn set_disabled(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<DisabledForm>,
) -> Result<Response, AppError> {
    let disabled = match form.disabled.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest("Chọn khóa hoặc mở khóa tài khoản.")),
    };
    danvan_app::account::set_disabled(&state.store, &user.acting(ip), id, disabled).await?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
}

/// Signs the account out everywhere.
pub async fn end_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    danvan_app::account::end_sessions(&state.store, &user.acting(ip), id).await?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
}
