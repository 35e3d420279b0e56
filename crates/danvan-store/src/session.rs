//! Sessions, stored in the database so that several app servers can share them.
//!
//! The table holds the SHA-256 of the session token, never the token itself: a copy of the
//! database does not let anyone sign in as its users.

use sqlx::Row;

use crate::account::{ACCOUNT_COLUMNS, Account, account_from_row};
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub account_id: i64,
    pub csrf_token: String,
    pub ip: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Store {
    pub async fn create_session(&self, session: &SessionRecord) -> Result<()> {
        sqlx::query(
            "insert into session (session_id, account_id, csrf_token, ip, created_at, last_seen_at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.token_hash)
        .bind(session.account_id)
        .bind(&session.csrf_token)
        .bind(session.ip.as_deref())
        .bind(session.created_at)
        .bind(session.last_seen_at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// The session with this token hash and its account.
    pub async fn session(&self, token_hash: &str) -> Result<Option<(SessionRecord, Account)>> {
        Ok(self
            .session_with_sso(token_hash)
            .await?
            .map(|(session, account, _)| (session, account)))
    }

    /// The session with this token hash, its account, and whether it was opened through the
    /// identity provider (`mark_sso_session`), in one statement.
    pub async fn session_with_sso(&self, token_hash: &str) -> Result<Option<(SessionRecord, Account, bool)>> {
        let columns = ACCOUNT_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "select s.session_id, s.csrf_token, s.ip as session_ip, s.created_at as session_created_at, \
             s.last_seen_at, x.subject as sso_subject, {columns} from session s \
             join account a on a.account_id = s.account_id \
             left join sso_session x on x.session_id = s.session_id where s.session_id = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let account = account_from_row(&row)?;
        let sso: Option<String> = row.try_get("sso_subject")?;
        let session = SessionRecord {
            token_hash: row.try_get("session_id")?,
            account_id: account.id,
            csrf_token: row.try_get("csrf_token")?,
            ip: row.try_get("session_ip")?,
            created_at: row.try_get("session_created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
        };
        Ok(Some((session, account, sso.is_some())))
    }

    /// Records that the session's user typed their password again at `now`.
    pub async fn confirm_session(&self, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query(
            "insert into session_confirmation (session_id, confirmed_at) values ($1, $2) \
             on conflict (session_id) do update set confirmed_at = excluded.confirmed_at",
        )
        .bind(token_hash)
        .bind(now)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// When the session's user last proved who they are: the sign-in, or a later confirmation.
    pub async fn session_authenticated_at(&self, token_hash: &str) -> Result<Option<i64>> {
        let row = sqlx::query(
            "select s.created_at, c.confirmed_at from session s left join session_confirmation c \
             on c.session_id = s.session_id where s.session_id = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| {
            let created: i64 = row.try_get("created_at")?;
            let confirmed: Option<i64> = row.try_get("confirmed_at")?;
            Ok(confirmed.map_or(created, |c| c.max(created)))
        })
        .transpose()
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query("update session set last_seen_at = $1 where session_id = $2")
            .bind(now)
            .bind(token_hash)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("delete from session where session_id = $1")
            .bind(token_hash)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    pub async fn sessions_of(&self, account_id: i64) -> Result<Vec<SessionRecord>> {
        let rows = sqlx::query(
            "select session_id, account_id, csrf_token, ip, created_at, last_seen_at from session \
             where account_id = $1 order by last_seen_at desc",
        )
        .bind(account_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SessionRecord {
                    token_hash: row.try_get("session_id")?,
                    account_id: row.try_get("account_id")?,
                    csrf_token: row.try_get("csrf_token")?,
                    ip: row.try_get("ip")?,
                    created_at: row.try_get("created_at")?,
                    last_seen_at: row.try_get("last_seen_at")?,
                })
            })
            .collect()
    }

    /// Removes sessions idle since before `idle_before` or created before `created_before`.
    pub async fn delete_expired_sessions(&self, idle_before: i64, created_before: i64) -> Result<u64> {
        let done = sqlx::query("delete from session where last_seen_at < $1 or created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(done.rows_affected())
    }
}

/// What a user typed into a form posted after their session had ended, kept to be filled in
/// again once the same account signs in (never replayed as an action).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptForm {
    pub id: i64,
    pub account_id: i64,
    /// The page whose form is filled in again.
    pub return_to: String,
    /// Field names and values, in the order they were posted; files are never kept.
    pub fields: Vec<(String, String)>,
    pub created_at: i64,
}

impl Store {
    /// Keeps a form's typed fields for `account_id`; returns its id.
    pub async fn keep_form(
        &self,
        account_id: i64,
        return_to: &str,
        fields: &[(String, String)],
        now: i64,
    ) -> Result<i64> {
        let json = serde_json::to_string(fields).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        let id: i64 = sqlx::query_scalar(
            "insert into kept_form (account_id, return_to, fields_json, created_at) values ($1, $2, $3, $4) \
             returning kept_form_id",
        )
        .bind(account_id)
        .bind(return_to)
        .bind(json)
        .bind(now)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok(id)
    }

    pub async fn kept_form(&self, id: i64) -> Result<Option<KeptForm>> {
        let row = sqlx::query(
            "select kept_form_id, account_id, return_to, fields_json, created_at from kept_form where kept_form_id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let json: String = row.try_get("fields_json")?;
        Ok(Some(KeptForm {
            id: row.try_get("kept_form_id")?,
            account_id: row.try_get("account_id")?,
            return_to: row.try_get("return_to")?,
            fields: serde_json::from_str(&json).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?,
            created_at: row.try_get("created_at")?,
        }))
    }

    /// Deletes a kept form once it has been given back.
    pub async fn discard_kept_form(&self, id: i64) -> Result<()> {
        sqlx::query("delete from kept_form where kept_form_id = $1")
            .bind(id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    /// Deletes kept forms made before `before` (Unix seconds): a day is their longest life.
    pub async fn delete_kept_forms_before(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("delete from kept_form where created_at < $1")
            .bind(before)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(done.rows_affected())
    }
}
