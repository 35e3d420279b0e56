//! Single sign-on's records (issue 19): attempts kept from the redirect to the callback, used
//! once, and the sessions opened through the identity provider. Neither is official data.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Result, Store};

/// Why an attempt was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Signing in.
    Login,
    /// The signed-in user proving again who they are before a sensitive step.
    Confirm,
    /// An admin signed in at the provider without a second factor, to give danvan's own code.
    Totp,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::Confirm => "confirm",
            Purpose::Totp => "totp",
        }
    }

    fn from_code(code: &str) -> Option<Purpose> {
        [Purpose::Login, Purpose::Confirm, Purpose::Totp]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// One attempt, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcAttempt {
    /// SHA-256 (hex) of the `state` sent to the provider; the state itself is never kept.
    pub state_hash: String,
    pub purpose: Purpose,
    pub nonce: String,
    pub verifier: String,
    /// Where to go after (already checked to be a path of this site).
    pub next: String,
    /// The account (a confirmation's, or an admin's awaiting a code).
    pub account_id: Option<i64>,
    /// The session a confirmation is for.
    pub session_id: Option<String>,
    pub created_at: i64,
}

fn from_row(row: &AnyRow) -> Result<OidcAttempt> {
    let purpose: String = row.try_get("purpose")?;
    Ok(OidcAttempt {
        state_hash: row.try_get("state_hash")?,
        purpose: Purpose::from_code(&purpose)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("oidc purpose {purpose:?}")))?,
        nonce: row.try_get("nonce")?,
        verifier: row.try_get("verifier")?,
        next: row.try_get("next")?,
        account_id: row.try_get("account_id")?,
        session_id: row.try_get("session_id")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// Keeps an attempt; attempts older than a day go at the same time.
    pub async fn create_oidc_attempt(&self, attempt: &OidcAttempt) -> Result<()> {
        let mut conn = self.conn().await?;
        sqlx::query("delete from oidc_attempt where created_at < $1")
            .bind(attempt.created_at - 86_400)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "insert into oidc_attempt (state_hash, purpose, nonce, verifier, next, account_id, session_id, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&attempt.state_hash)
        .bind(attempt.purpose.code())
        .bind(&attempt.nonce)
        .bind(&attempt.verifier)
        .bind(&attempt.next)
        .bind(attempt.account_id)
        .bind(attempt.session_id.as_deref())
        .bind(attempt.created_at)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Takes an attempt by its state's hash, once: marked used in the same statement, so that a
    /// replayed callback (on any server) finds nothing. `None` when unknown, used, or made
    /// before `not_before`.
    pub async fn take_oidc_attempt(&self, state_hash: &str, now: i64, not_before: i64) -> Result<Option<OidcAttempt>> {
        let row = sqlx::query(
            "update oidc_attempt set used_at = $1 where state_hash = $2 and used_at is null and created_at >= $3 \
             returning state_hash, purpose, nonce, verifier, next, account_id, session_id, created_at",
        )
        .bind(now)
        .bind(state_hash)
        .bind(not_before)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Marks a session as opened through the provider, naming its subject.
    pub async fn mark_sso_session(&self, session_id: &str, subject: &str) -> Result<()> {
        sqlx::query("insert into sso_session (session_id, subject) values ($1, $2)")
            .bind(session_id)
            .bind(subject)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    /// Links an account to the provider's subject the first time it signs in that way; later,
    /// whether the subject is the linked one. `false` when the account is linked to another
    /// subject, or the subject to another account.
    pub async fn link_sso_subject(&self, account_id: i64, issuer: &str, subject: &str, now: i64) -> Result<bool> {
        let mut conn = self.conn().await?;
        let linked: Option<(String, String)> =
            sqlx::query("select issuer, subject from sso_link where account_id = $1")
                .bind(account_id)
                .fetch_optional(&mut *conn)
                .await?
                .map(|row| Ok::<_, sqlx::Error>((row.try_get("issuer")?, row.try_get("subject")?)))
                .transpose()?;
        if let Some((linked_issuer, linked_subject)) = linked {
            return Ok(linked_issuer == issuer && linked_subject == subject);
        }
        let inserted = sqlx::query(
            "insert into sso_link (account_id, issuer, subject, created_at) values ($1, $2, $3, $4) \
             on conflict do nothing",
        )
        .bind(account_id)
        .bind(issuer)
        .bind(subject)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(true);
        }
        // Another sign-in linked it at the same moment, or the subject has another account.
        let again: Option<String> =
            sqlx::query_scalar("select subject from sso_link where account_id = $1 and issuer = $2")
                .bind(account_id)
                .bind(issuer)
                .fetch_optional(&mut *conn)
                .await?;
        Ok(again.as_deref() == Some(subject))
    }
}
