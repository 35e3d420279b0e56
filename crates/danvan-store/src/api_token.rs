//! Tokens other systems call the API with (issue 19). A token acts as one account: its role and
//! agency, narrowed by the token's scopes. Only the SHA-256 of the secret is kept; the secret is
//! shown once, when the token is issued.

use danvan_domain::Role;
use danvan_domain::audit::Action;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Result, Store, StoreError, conflict_on, get_bool};

/// What a token may do beyond the role's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read what the account may read.
    Read,
    /// Report progress for the account's own agency.
    Report,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::Read, Scope::Report];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Report => "report",
        }
    }

    pub fn from_code(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Read => "Đọc dữ liệu tài khoản được xem",
            Scope::Report => "Báo cáo tiến độ cho đơn vị của tài khoản",
        }
    }
}

fn scopes_code(scopes: &[Scope]) -> String {
    let mut codes: Vec<&str> = scopes.iter().map(|s| s.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(" ")
}

fn parse_scopes(text: &str) -> Result<Vec<Scope>> {
    text.split_whitespace()
        .map(|c| Scope::from_code(c).ok_or_else(|| StoreError::Corrupt(format!("api scope {c:?}"))))
        .collect()
}

/// A token to issue; its `token_hash` is the SHA-256 (hex) of the secret given to the caller.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub name: String,
    pub token_hash: String,
    pub account_id: i64,
    pub scopes: Vec<Scope>,
    pub expires_at: i64,
}

/// A token as the admin's list shows it (never its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub account_id: i64,
    pub username: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub scopes: Vec<Scope>,
    pub expires_at: i64,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

impl ApiToken {
    /// Whether the token may be used at `now`: not revoked, not expired.
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// A live token found by its hash, with the state of the account it acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiGrant {
    pub token: ApiToken,
    pub account_disabled: bool,
    pub account_locked_until: Option<i64>,
}

const COLUMNS: &str = "t.api_token_id, t.name, t.account_id, a.username, a.role, a.unit_id, t.scopes, t.expires_at, \
     t.created_at, t.revoked_at, t.last_used_at";

fn from_row(row: &AnyRow) -> Result<ApiToken> {
    let role: String = row.try_get("role")?;
    Ok(ApiToken {
        id: row.try_get("api_token_id")?,
        name: row.try_get("name")?,
        account_id: row.try_get("account_id")?,
        username: row.try_get("username")?,
        role: Role::from_code(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        unit_id: row.try_get("unit_id")?,
        scopes: parse_scopes(&row.try_get::<String, _>("scopes")?)?,
        expires_at: row.try_get("expires_at")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

/// Seconds between two writes of a token's last use; calls in between do not write.
const TOUCH_INTERVAL: i64 = 60;

impl Store {
    /// Issues a token acting as `token.account_id`. Refused with `Conflict("name")` when another
    /// token has the name, `NotFound` when the account does not exist.
    pub async fn create_api_token(&self, actor: &Actor, token: &NewApiToken) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        sqlx::query("select account_id from account where account_id = $1")
            .bind(token.account_id)
            .fetch_optional(&mut *change.tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let scopes = scopes_code(&token.scopes);
        let id: i64 = sqlx::query_scalar(
            "insert into api_token (name, token_hash, account_id, scopes, expires_at, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning api_token_id",
        )
        .bind(&token.name)
        .bind(&token.token_hash)
        .bind(token.account_id)
        .bind(&scopes)
        .bind(token.expires_at)
        .bind(actor.account_id)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("name"))?;
        let after = json!({
            "name": token.name,
            "account_id": token.account_id,
            "scopes": scopes,
            "expires_at": token.expires_at,
        });
        change
            .record(actor, Action::IssueApiToken, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Revokes a token; `false` when it was already revoked. `NotFound` when there is no such
    /// token.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> Result<bool> {
        let mut change = Change::begin(self).await?;
        let revoked: Option<Option<i64>> =
            sqlx::query_scalar("select revoked_at from api_token where api_token_id = $1")
                .bind(id)
                .fetch_optional(&mut *change.tx)
                .await?;
        match revoked {
            None => return Err(StoreError::NotFound),
            Some(Some(_)) => return Ok(false),
            Some(None) => {}
        }
        let now = now();
        sqlx::query(
            "update api_token set revoked_at = $1, revoked_by = $2 where api_token_id = $3 and revoked_at is null",
        )
        .bind(now)
        .bind(actor.account_id)
        .bind(id)
        .execute(&mut *change.tx)
        .await?;
        change
            .record(
                actor,
                Action::RevokeApiToken,
                id,
                None,
                Some(&json!({ "revoked_at": now })),
            )
            .await?;
        change.commit().await?;
        Ok(true)
    }

    /// Every token, newest first.
    pub async fn list_api_tokens(&self) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from api_token t join account a on a.account_id = t.account_id \
             order by t.api_token_id desc"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The token with this hash and its account's state, whether live or not (the caller
    /// decides, and says why it refuses).
    pub async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiGrant>> {
        let row = sqlx::query(&format!(
            "select {COLUMNS}, a.disabled, a.locked_until from api_token t \
             join account a on a.account_id = t.account_id where t.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| {
            Ok(ApiGrant {
                token: from_row(&row)?,
                account_disabled: get_bool(&row, "disabled")?,
                account_locked_until: row.try_get("locked_until")?,
            })
        })
        .transpose()
    }

    /// Notes that a token was used at `now`, at most once a minute.
    pub async fn touch_api_token(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "update api_token set last_used_at = $1 where api_token_id = $2 \
             and (last_used_at is null or last_used_at < $3)",
        )
        .bind(now)
        .bind(id)
        .bind(now - TOUCH_INTERVAL)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// Records one API call in the audit log: the token, the route's pattern, the method and the
    /// status answered.
    pub async fn record_api_call(
        &self,
        actor: &Actor,
        token_id: i64,
        method: &str,
        route: &str,
        status: u16,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let call = json!({ "method": method, "route": route, "status": status });
        change
            .record(actor, Action::ApiCall, token_id, None, Some(&call))
            .await?;
        change.commit().await
    }
}
