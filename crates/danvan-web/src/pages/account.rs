//! A user's own account: changing the password.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::account::verify_password;
use danvan_domain::{Password, Username, message};
use danvan_store::{Actor, SessionRecord};
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
    let actor = Actor::account(user.account_id, &user.username, Some(ip.clone()));
    state
        .store
        .set_password(&actor, account.id, &password.hash(), false)
        .await?;
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
