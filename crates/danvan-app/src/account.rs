//! Accounts: created, reset, disabled and re-enabled by admins; a password or second factor
//! changed by its owner. Passwords arrive hashed: parsing and hashing belong to the edge.

use danvan_domain::Role;
use danvan_domain::role::Access;
use danvan_store::{NewAccount, Store, StoreError};

use crate::{Refusal, User};

/// Creates an account. Admins only; an officer needs an agency that exists.
pub async fn create(store: &Store, user: &User, account: &NewAccount) -> Result<i64, Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        match account.unit_id {
            Some(unit_id) => {
                store
                    .unit(unit_id)
                    .await?
                    .ok_or_else(|| Refusal::Invalid(vec!["Không có đơn vị này.".into()]))?;
            }
            None if account.role.requires_unit() => {
                return Err(Refusal::Invalid(vec![format!(
                    "Tài khoản {} phải thuộc một đơn vị.",
                    account.role.label()
                )]));
            }
            None => {}
        }
        // Only an officer belongs to one agency; the other roles see every agency.
        let account = &NewAccount {
            unit_id: if account.role.requires_unit() {
                account.unit_id
            } else {
                None
            },
            ..account.clone()
        };
        match store.create_account(&user.actor(), account).await {
            Ok(id) => Ok(id),
            Err(StoreError::Conflict(_)) => Err(Refusal::Invalid(vec![format!(
                "Tên đăng nhập {} đã có.",
                account.username.as_str()
            )])),
            Err(other) => Err(other.into()),
        }
    })
}

/// Gives an account a one-time password (to be changed at the next sign-in). Admins only.
pub async fn reset_password(store: &Store, user: &User, account_id: i64, password_hash: &str) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        if user.account_id == Some(account_id) {
            return Err(Refusal::State(
                "Mật khẩu của chính mình đổi ở mục Đổi mật khẩu, không cấp mật khẩu dùng một lần.".into(),
            ));
        }
        store
            .set_password(&user.actor(), account_id, password_hash, true)
            .await
            .map_err(Refusal::from_step)
    })
}

/// The signed-in user's new password, chosen by them.
pub async fn change_own_password(store: &Store, user: &User, password_hash: &str) -> Result<(), Refusal> {
    within!(store, {
        let account_id = user.account_id.ok_or(Refusal::Forbidden)?;
        store
            .set_password(&user.actor(), account_id, password_hash, false)
            .await
            .map_err(Refusal::from_step)
    })
}

/// Turns the signed-in user's second factor on (with its secret) or off.
pub async fn set_own_totp(store: &Store, user: &User, secret: Option<&str>) -> Result<(), Refusal> {
    within!(store, {
        let account_id = user.account_id.ok_or(Refusal::Forbidden)?;
        store
            .set_totp(&user.actor(), account_id, secret)
            .await
            .map_err(Refusal::from_step)
    })
}

/// Disables an account (its sessions end) or enables it again. Admins only; an admin cannot
/// disable their own account.
pub async fn set_disabled(store: &Store, user: &User, account_id: i64, disabled: bool) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        if disabled && user.account_id == Some(account_id) {
            return Err(Refusal::State("Không thể tự khóa tài khoản của mình.".into()));
        }
        store
            .set_account_disabled(&user.actor(), account_id, disabled)
            .await
            .map_err(Refusal::from_step)
    })
}

/// Disables every account unused since `unused_since` (unix seconds); the server's daily job,
/// acting as an admin. Returns the usernames.
pub async fn disable_unused(store: &Store, user: &User, unused_since: i64) -> Result<Vec<String>, Refusal> {
    within!(store, {
        if user.role != Role::Admin {
            return Err(Refusal::Forbidden);
        }
        Ok(store.disable_inactive_accounts(&user.actor(), unused_since).await?)
    })
}

/// Changes an account's role and agency (its sessions end). Admins only, not on their own
/// account (an admin cannot lock themselves out); an officer needs an agency alive today.
pub async fn change_role(
    store: &Store,
    user: &User,
    account_id: i64,
    role: Role,
    unit_id: Option<i64>,
    today: time::Date,
) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        if user.account_id == Some(account_id) {
            return Err(Refusal::State("Không thể tự đổi vai trò của tài khoản mình.".into()));
        }
        let accounts = store.list_accounts().await?;
        accounts.iter().find(|a| a.id == account_id).ok_or(Refusal::NotFound)?;
        match unit_id {
            Some(unit_id) => {
                let unit = store.unit(unit_id).await?;
                if !unit.is_some_and(|u| u.is_active_on(today)) {
                    return Err(Refusal::Invalid(vec!["Đơn vị không có hoặc đã thôi hoạt động.".into()]));
                }
            }
            None if role.requires_unit() => {
                return Err(Refusal::Invalid(vec![format!(
                    "Tài khoản {} phải thuộc một đơn vị.",
                    role.label()
                )]));
            }
            None => {}
        }
        // Only an officer belongs to one agency; the others see every agency.
        let unit_id = if role.requires_unit() { unit_id } else { None };
        store
            .set_account_role(&user.actor(), account_id, role, unit_id)
            .await
            .map_err(Refusal::from_step)
    })
}

/// Signs an account out everywhere. Admins only.
pub async fn end_sessions(store: &Store, user: &User, account_id: i64) -> Result<u64, Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        store
            .list_accounts()
            .await?
            .iter()
            .find(|a| a.id == account_id)
            .ok_or(Refusal::NotFound)?;
        Ok(store.end_account_sessions(&user.actor(), account_id).await?)
    })
}
