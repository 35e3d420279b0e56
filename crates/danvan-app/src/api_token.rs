//! API tokens (issue 19): issued and revoked by admins; each acts as one account, narrowed by
//! its scopes. The secret is made at the edge and arrives hashed.

use danvan_domain::Role;
use danvan_domain::role::Access;
use danvan_store::api_token::{NewApiToken, Scope};
use danvan_store::{Store, StoreError};

use crate::{Refusal, User};

/// The longest a token may live: a year, after which a new one is issued.
pub const MAX_LIFETIME_SECONDS: i64 = 366 * 86_400;

/// The longest name of a token.
pub const MAX_NAME: usize = 100;

/// Issues a token. Admins only. The account must exist and be enabled, must not be an admin's
/// (an API never administers), and only an agency's officer may report progress.
pub async fn issue(store: &Store, user: &User, token: &NewApiToken, now: i64) -> Result<i64, Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        let mut problems = Vec::new();
        let name = token.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            problems.push(format!("Tên khóa không được để trống và không quá {MAX_NAME} ký tự."));
        }
        if name.chars().any(char::is_control) {
            problems.push("Tên khóa không được chứa ký tự điều khiển.".to_owned());
        }
        if token.scopes.is_empty() {
            problems.push("Chọn ít nhất một quyền cho khóa.".to_owned());
        }
        if token.expires_at <= now {
            problems.push("Ngày hết hạn phải sau hôm nay.".to_owned());
        } else if token.expires_at > now + MAX_LIFETIME_SECONDS {
            problems.push("Khóa API có hạn dùng tối đa một năm.".to_owned());
        }
        match store.account(token.account_id).await? {
            None => problems.push("Không có tài khoản này.".to_owned()),
            Some(account) => {
                if account.disabled {
                    problems.push(format!("Tài khoản {} đang bị khóa.", account.username));
                }
                if account.role == Role::Admin {
                    problems.push("Không cấp khóa API hoạt động với vai trò quản trị.".to_owned());
                }
                if token.scopes.contains(&Scope::Report)
                    && !(account.role == Role::Officer && account.unit_id.is_some())
                {
                    problems.push("Quyền báo cáo tiến độ chỉ cấp cho tài khoản cán bộ của một đơn vị.".to_owned());
                }
            }
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        let token = NewApiToken {
            name: name.to_owned(),
            ..token.clone()
        };
        match store.create_api_token(&user.actor(), &token).await {
            Ok(id) => Ok(id),
            Err(StoreError::Conflict(_)) => {
                Err(Refusal::Invalid(vec![format!("Đã có khóa API tên «{}».", token.name)]))
            }
            Err(other) => Err(other.into()),
        }
    })
}

/// Revokes a token. Admins only; a token already revoked is refused with the reason.
pub async fn revoke(store: &Store, user: &User, token_id: i64) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::Admins)?;
        if store
            .revoke_api_token(&user.actor(), token_id)
            .await
            .map_err(Refusal::from_step)?
        {
            Ok(())
        } else {
            Err(Refusal::State("Khóa API này đã bị thu hồi.".into()))
        }
    })
}

/// Records one API call in the audit log, named by the token (`api:NAME`).
pub async fn record_call(
    store: &Store,
    user: &User,
    token_id: i64,
    method: &str,
    route: &str,
    status: u16,
) -> Result<(), Refusal> {
    within!(store, {
        store
            .record_api_call(&user.actor(), token_id, method, route, status)
            .await?;
        Ok(())
    })
}
