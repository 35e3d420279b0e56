//! Accounts, login failures and lockout.

use danvan_domain::audit::Action;
use danvan_domain::{Role, Username};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Result, Store, StoreError, conflict_on, get_bool};

/// Accounts unused this long are disabled (security.md 5, TCVN x.6.2.3).
pub const INACTIVE_SECONDS: i64 = 45 * 86_400;

pub const LOCK_AFTER_FAILURES: i64 = 5;
/// How long a lock lasts unless an admin lifts it sooner.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// Failed logins from one address within [`LOCK_SECONDS`] after which it is refused.
pub const ADDRESS_FAILURE_LIMIT: i64 = 20;

#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub last_login_at: Option<i64>,
    pub created_at: i64,
    pub email: Option<String>,
    /// The TOTP secret (base32) once the second factor is on; never shown after enrolment.
    pub totp_secret: Option<String>,
    /// The last TOTP time step a code was accepted for.
    pub totp_last_step: Option<i64>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("unit_id", &self.unit_id)
            .finish_non_exhaustive()
    }
}

impl Account {
    pub fn is_locked(&self, now: i64) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub email: Option<String>,
}

pub(crate) const ACCOUNT_COLUMNS: &str = "account_id, username, display_name, role, unit_id, password_hash, \
     must_change_password, disabled, failed_logins, locked_until, last_login_at, created_at, email, totp_secret, \
     totp_last_step";

pub(crate) fn account_from_row(row: &AnyRow) -> Result<Account> {
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("account_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::from_code(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        unit_id: row.try_get("unit_id")?,
        password_hash: row.try_get("password_hash")?,
        must_change_password: get_bool(row, "must_change_password")?,
        disabled: get_bool(row, "disabled")?,
        failed_logins: row.try_get("failed_logins")?,
        locked_until: row.try_get("locked_until")?,
        last_login_at: row.try_get("last_login_at")?,
        created_at: row.try_get("created_at")?,
        email: row.try_get("email")?,
        totp_secret: row.try_get("totp_secret")?,
        totp_last_step: row.try_get("totp_last_step")?,
    })
}

impl Store {
    #[tracing::instrument(skip(self, actor, account), fields(username = account.username.as_str()))]
    pub async fn create_account(&self, actor: &Actor, account: &NewAccount) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let now = now();
        let id: i64 = sqlx::query_scalar(
            "insert into account (username, display_name, role, unit_id, password_hash, must_change_password, \
             disabled, failed_logins, created_at, updated_at, email) values ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8, $9) \
             returning account_id",
        )
        .bind(account.username.as_str())
        .bind(&account.display_name)
        .bind(account.role.code())
        .bind(account.unit_id)
        .bind(&account.password_hash)
        .bind(account.must_change_password)
        .bind(false)
        .bind(now)
        .bind(&account.email)
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("username"))?;
        // The hash is never written to the audit log.
        let after = json!({
            "username": account.username.as_str(),
            "display_name": account.display_name,
            "role": account.role.code(),
            "unit_id": account.unit_id,
            "email": account.email,
        });
        change
            .record(actor, Action::CreateAccount, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self))]
    pub async fn list_accounts(&self) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!("select {ACCOUNT_COLUMNS} from account order by username"))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    #[tracing::instrument(skip(self))]
    pub async fn account(&self, account_id: i64) -> Result<Option<Account>> {
        let row = sqlx::query(&format!("select {ACCOUNT_COLUMNS} from account where account_id = $1"))
            .bind(account_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The account with this e-mail address (compared without case); `None` when none has it,
    /// or when more than one does (an address that names no one person links to no one). Case
    /// is folded for ASCII letters on SQLite and for all letters on PostgreSQL; addresses are
    /// ASCII in practice.
    #[tracing::instrument(skip(self))]
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let rows = sqlx::query(&format!(
            "select {ACCOUNT_COLUMNS} from account where lower(email) = lower($1) limit 2"
        ))
        .bind(email.trim())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        match rows.as_slice() {
            [one] => Ok(Some(account_from_row(one)?)),
            _ => Ok(None),
        }
    }

    #[tracing::instrument(skip(self))]
    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>> {
        let row = sqlx::query(&format!("select {ACCOUNT_COLUMNS} from account where username = $1"))
            .bind(username)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// Sets a new password hash and ends every session of the account.
    #[tracing::instrument(skip(self, actor, password_hash))]
    pub async fn set_password(
        &self,
        actor: &Actor,
        account_id: i64,
        password_hash: &str,
        must_change: bool,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let updated = sqlx::query(
            "update account set password_hash = $1, must_change_password = $2, failed_logins = 0, \
             locked_until = null, updated_at = $3 where account_id = $4",
        )
        .bind(password_hash)
        .bind(must_change)
        .bind(now())
        .bind(account_id)
        .execute(&mut *change.tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("delete from session where account_id = $1")
            .bind(account_id)
            .execute(&mut *change.tx)
            .await?;
        change
            .record(
                actor,
                Action::SetPassword,
                account_id,
                None,
                Some(&json!({"must_change_password": must_change})),
            )
            .await?;
        change.commit().await?;
        Ok(())
    }

    /// Changes an account's role and agency; its sessions end, so the next request signs in
    /// again with what the account may now do.
    #[tracing::instrument(skip(self, actor))]
    pub async fn set_account_role(
        &self,
        actor: &Actor,
        account_id: i64,
        role: Role,
        unit_id: Option<i64>,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let before = sqlx::query("select role, unit_id from account where account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut *change.tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = json!({
            "role": before.try_get::<String, _>("role")?,
            "unit_id": before.try_get::<Option<i64>, _>("unit_id")?,
        });
        sqlx::query("update account set role = $1, unit_id = $2, updated_at = $3 where account_id = $4")
            .bind(role.code())
            .bind(unit_id)
            .bind(now())
            .bind(account_id)
            .execute(&mut *change.tx)
            .await?;
        sqlx::query("delete from session where account_id = $1")
            .bind(account_id)
            .execute(&mut *change.tx)
            .await?;
        let after = json!({"role": role.code(), "unit_id": unit_id});
        change
            .record(actor, Action::SetRole, account_id, Some(&before), Some(&after))
            .await?;
        change.commit().await?;
        Ok(())
    }

    /// Ends every session of an account (signed out everywhere), as an admin's recorded act.
    #[tracing::instrument(skip(self, actor))]
    pub async fn end_account_sessions(&self, actor: &Actor, account_id: i64) -> Result<u64> {
        let mut change = Change::begin(self).await?;
        let ended = sqlx::query("delete from session where account_id = $1")
            .bind(account_id)
            .execute(&mut *change.tx)
            .await?
            .rows_affected();
        change
            .record(
                actor,
                Action::EndSessions,
                account_id,
                None,
                Some(&json!({"sessions": ended})),
            )
            .await?;
        change.commit().await?;
        Ok(ended)
    }

    /// Disables or re-enables an account; disabling ends its sessions.
    #[tracing::instrument(skip(self, actor))]
    pub async fn set_account_disabled(&self, actor: &Actor, account_id: i64, disabled: bool) -> Result<()> {
        let action = if disabled {
            Action::DisableAccount
        } else {
            Action::EnableAccount
        };
        self.change_disabled(actor, account_id, disabled, action).await
    }

    /// Disables every enabled account unused since `unused_since` (unix seconds): not signed in
    /// since then, nor created, given a new password or re-enabled by an admin since then. Each
    /// one's sessions end and it gets its own audit record (`disable_inactive`). Returns their
    /// usernames. security.md 5: accounts unused for [`INACTIVE_SECONDS`] are disabled. A call
    /// with one of the account's tokens (issue 19) is a use: a system's account stays enabled
    /// while the system calls.
    pub async fn disable_inactive_accounts(&self, actor: &Actor, unused_since: i64) -> Result<Vec<String>> {
        let mut disabled = Vec::new();
        for (id, username) in self.inactive_accounts(unused_since).await? {
            self.change_disabled(actor, id, true, Action::DisableInactiveAccount)
                .await?;
            disabled.push(username);
        }
        Ok(disabled)
    }

    /// The enabled accounts unused since `unused_since` (the rule of
    /// [`Store::disable_inactive_accounts`]), by id and username: the self-check reports them.
    pub async fn inactive_accounts(&self, unused_since: i64) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "select account_id, username from account where disabled = $2 and \
             (case when coalesce(last_login_at, 0) > updated_at then last_login_at else updated_at end) < $1 \
             and not exists (select 1 from api_token t where t.account_id = account.account_id \
             and t.revoked_at is null and coalesce(t.last_used_at, t.created_at) >= $1) \
             order by account_id",
        )
        .bind(unused_since)
        .bind(false)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("account_id")?, row.try_get("username")?)))
            .collect()
    }

    async fn change_disabled(&self, actor: &Actor, account_id: i64, disabled: bool, action: Action) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let row = sqlx::query("select disabled from account where account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut *change.tx)
            .await?;
        let before = get_bool(&row.ok_or(StoreError::NotFound)?, "disabled")?;
        sqlx::query("update account set disabled = $1, updated_at = $2 where account_id = $3")
            .bind(disabled)
            .bind(now())
            .bind(account_id)
            .execute(&mut *change.tx)
            .await?;
        if disabled {
            sqlx::query("delete from session where account_id = $1")
                .bind(account_id)
                .execute(&mut *change.tx)
                .await?;
        }
        change
            .record(
                actor,
                action,
                account_id,
                Some(&json!({"disabled": before})),
                Some(&json!({"disabled": disabled})),
            )
            .await?;
        change.commit().await?;
        Ok(())
    }

    /// Counts a failed login for the address and, when the account exists, for the account,
    /// locking it after [`LOCK_AFTER_FAILURES`] failures in a row. Returns whether the account
    /// is now locked.
    #[tracing::instrument(skip(self))]
    pub async fn record_login_failure(&self, username: &str, ip: &str, now: i64) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("insert into login_failure (username, ip, created_at) values ($1, $2, $3)")
            .bind(username)
            .bind(ip)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let failures: Option<i64> = sqlx::query_scalar(
            "update account set failed_logins = failed_logins + 1 where username = $1 returning failed_logins",
        )
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
        let locked = failures.is_some_and(|n| n >= LOCK_AFTER_FAILURES);
        if locked {
            sqlx::query("update account set locked_until = $1 where username = $2")
                .bind(now + LOCK_SECONDS)
                .bind(username)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(locked)
    }

    /// Ends every session of an account (its password was guessed at from one of them).
    pub async fn end_sessions_of(&self, account_id: i64) -> Result<u64> {
        let done = sqlx::query("delete from session where account_id = $1")
            .bind(account_id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(done.rows_affected())
    }

    /// Failed logins typed with a name since `since` (unix seconds), whether or not an account
    /// has that name.
    pub async fn login_failures_for(&self, username: &str, since: i64) -> Result<i64> {
        let count: i64 =
            sqlx::query_scalar("select count(*) from login_failure where username = $1 and created_at >= $2")
                .bind(username)
                .bind(since)
                .fetch_one(&mut *self.conn().await?)
                .await?;
        Ok(count)
    }

    /// Failed logins from an address since `since` (unix seconds).
    pub async fn login_failures_from(&self, ip: &str, since: i64) -> Result<i64> {
        let count: i64 = sqlx::query_scalar("select count(*) from login_failure where ip = $1 and created_at >= $2")
            .bind(ip)
            .bind(since)
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(count)
    }

    /// Clears the failure count and records the time of a successful login.
    pub async fn record_login_success(&self, account_id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "update account set failed_logins = 0, locked_until = null, last_login_at = $1 where account_id = $2",
        )
        .bind(now)
        .bind(account_id)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// Turns the second factor on with a secret (checked by the caller against a code from the
    /// person's app) or off; audited without the secret.
    pub async fn set_totp(&self, actor: &Actor, account_id: i64, secret: Option<&str>) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let updated = sqlx::query(
            "update account set totp_secret = $1, totp_last_step = null, updated_at = $2 where account_id = $3",
        )
        .bind(secret)
        .bind(now())
        .bind(account_id)
        .execute(&mut *change.tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let action = if secret.is_some() {
            Action::TotpOn
        } else {
            Action::TotpOff
        };
        change.record(actor, action, account_id, None, None).await?;
        change.commit().await
    }

    /// Takes a TOTP time step as used, if it is later than the last one used: two requests
    /// with the same code cannot both pass. Returns whether this one did.
    pub async fn use_totp_step(&self, account_id: i64, step: i64) -> Result<bool> {
        let updated = sqlx::query(
            "update account set totp_last_step = $1 where account_id = $2 \
             and (totp_last_step is null or totp_last_step < $1)",
        )
        .bind(step)
        .bind(account_id)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(updated.rows_affected() == 1)
    }

    /// Lifts a lock before its cool-down has passed.
    #[tracing::instrument(skip(self, actor))]
    pub async fn unlock_account(&self, actor: &Actor, account_id: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let updated = sqlx::query("update account set failed_logins = 0, locked_until = null where account_id = $1")
            .bind(account_id)
            .execute(&mut *change.tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        change
            .record(actor, Action::UnlockAccount, account_id, None, None)
            .await?;
        change.commit().await?;
        Ok(())
    }
}
