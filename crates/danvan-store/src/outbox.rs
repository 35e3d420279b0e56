//! The outbox: messages waiting to leave danvan: e-mail, and the e-office's edXML packages
//! (channel `edxml`, queued by [`crate::edxml`]).
//!
//! Queueing is idempotent (a `dedup_key` per message). Sending is done by whichever server
//! claims a message first: a claim is a lease (`claimed_until`), taken by one conditional update,
//! so several servers on one database never send the same message together; a server that dies
//! holding a claim loses it when the lease runs out. A failed attempt schedules the next one with
//! back-off ([`retry_delay`]); after [`MAX_ATTEMPTS`] the message is marked failed and stays for
//! the administrator to see.

use sqlx::Row;
use time::Date;

use crate::directive::iso;
use crate::unit::now;
use crate::{Result, Store, StoreError};

/// Attempts before a message is given up: about a day of back-off in all, so a relay down
/// overnight still gets the morning's mail.
pub const MAX_ATTEMPTS: i64 = 10;

/// Seconds to wait after the `attempts`-th failed attempt: 1, 5, 15, 30 minutes, then 1, 2, 4, 8
/// hours.
pub fn retry_delay(attempts: i64) -> i64 {
    const DELAYS: [i64; 8] = [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800];
    DELAYS[(attempts.max(1) as usize - 1).min(DELAYS.len() - 1)]
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMail {
    /// Makes queueing idempotent.
    pub dedup_key: String,
    /// `(address, display name)` pairs.
    pub recipients: Vec<(String, String)>,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Sent,
    Failed,
}

impl OutboxState {
    pub fn code(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(code: &str) -> Result<OutboxState> {
        match code {
            "pending" => Ok(OutboxState::Pending),
            "sent" => Ok(OutboxState::Sent),
            "failed" => Ok(OutboxState::Failed),
            other => Err(StoreError::Corrupt(format!("outbox state {other:?}"))),
        }
    }

    /// What the administrator reads.
    pub fn label(self) -> &'static str {
        match self {
            OutboxState::Pending => "Đang chờ gửi",
            OutboxState::Sent => "Đã gửi",
            OutboxState::Failed => "Gửi không được",
        }
    }
}

/// A queued message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: String,
    pub dedup_key: String,
    pub recipients: Vec<(String, String)>,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub state: OutboxState,
    /// The lease this sender holds (`claimed_until` as claimed): the outcome is recorded only
    /// while it still holds, so a sender whose lease ran out cannot undo another's send.
    pub lease: Option<i64>,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
    pub created_at: i64,
}

pub(crate) const COLUMNS: &str = "outbox_id, channel, dedup_key, recipients_json, subject, body, message_id, state, attempts, \
                       next_attempt_at, last_error, sent_at, created_at, claimed_until";

pub(crate) fn message_from(row: &sqlx::any::AnyRow) -> Result<OutboxMessage> {
    let json: String = row.try_get("recipients_json")?;
    let state: String = row.try_get("state")?;
    Ok(OutboxMessage {
        id: row.try_get("outbox_id")?,
        channel: row.try_get("channel")?,
        dedup_key: row.try_get("dedup_key")?,
        recipients: serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        message_id: row.try_get("message_id")?,
        state: OutboxState::parse(&state)?,
        lease: row.try_get("claimed_until")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        sent_at: row.try_get("sent_at")?,
        created_at: row.try_get("created_at")?,
    })
}

/// How the outbox stands, for the administrator's page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
}

impl Store {
    /// Creates today's reminder for an assignment and, when `mail` is given and the reminder is
    /// new, queues its e-mail, in one transaction: a reminder never exists without the mail it
    /// should have sent. Returns the reminder's id when it was new.
    pub async fn create_reminder_and_mail(
        &self,
        assignment_id: i64,
        kind: &str,
        for_day: Date,
        mail: Option<&NewMail>,
        sender_domain: &str,
    ) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let now = now();
        let id: Option<i64> = sqlx::query_scalar(
            "insert into reminder (assignment_id, kind, for_day, created_at) values ($1, $2, $3, $4) \
             on conflict do nothing returning reminder_id",
        )
        .bind(assignment_id)
        .bind(kind)
        .bind(iso(for_day))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if let (Some(reminder_id), Some(mail)) = (id, mail) {
            insert_mail(&mut tx, mail, Some(reminder_id), sender_domain, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Queues a message unless one with the same key exists; returns its id when it was new.
    pub async fn queue_mail(&self, mail: &NewMail, sender_domain: &str) -> Result<Option<i64>> {
        let mut tx = self.pool.begin().await?;
        let id = insert_mail(&mut tx, mail, None, sender_domain, now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Claims the oldest e-mail due at `now` for `lease` seconds, or `None` when nothing is
    /// due. Only one caller, on any server, gets a given message until its lease runs out.
    pub async fn claim_outbox(&self, now: i64, lease: i64) -> Result<Option<OutboxMessage>> {
        self.claim_outbox_on("mail", now, lease).await
    }

    /// Claims the oldest message of `channel` (`mail`, `edxml`) due at `now`, as
    /// [`Store::claim_outbox`] does: each channel has its own sender.
    pub async fn claim_outbox_on(&self, channel: &str, now: i64, lease: i64) -> Result<Option<OutboxMessage>> {
        // A few candidates, then a conditional update on each: the update decides the race.
        let candidates: Vec<i64> = sqlx::query_scalar(
            "select outbox_id from outbox where state = 'pending' and next_attempt_at <= $1 \
             and (claimed_until is null or claimed_until < $1) and channel = $2 \
             order by next_attempt_at, outbox_id limit 5",
        )
        .bind(now)
        .bind(channel)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        for id in candidates {
            let row = sqlx::query(&format!(
                "update outbox set claimed_until = $1 where outbox_id = $2 and state = 'pending' \
                 and (claimed_until is null or claimed_until < $3) returning {COLUMNS}"
            ))
            .bind(now + lease)
            .bind(id)
            .bind(now)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
            if let Some(row) = row {
                return message_from(&row).map(Some);
            }
        }
        Ok(None)
    }

    /// Records a successful send (and the reminder it carried as e-mailed), if `message`'s lease
    /// still holds; returns whether it did.
    pub async fn outbox_sent(&self, message: &OutboxMessage, now: i64) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let reminder: Option<Option<i64>> = sqlx::query_scalar(
            "update outbox set state = 'sent', sent_at = $1, attempts = attempts + 1, claimed_until = null, \
             last_error = null where outbox_id = $2 and state = 'pending' and claimed_until = $3 returning reminder_id",
        )
        .bind(now)
        .bind(message.id)
        .bind(message.lease)
        .fetch_optional(&mut *tx)
        .await?;
        let held = reminder.is_some();
        if let Some(Some(reminder_id)) = reminder {
            sqlx::query("update reminder set emailed_at = $1 where reminder_id = $2")
                .bind(now)
                .bind(reminder_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(held)
    }

    /// Records a failed attempt, if `message`'s lease still holds: the next one after the
    /// back-off, or failed for good after the last attempt. Returns the state afterwards, or
    /// `None` when the lease had run out (another sender has the message now).
    pub async fn outbox_failed(&self, message: &OutboxMessage, error: &str, now: i64) -> Result<Option<OutboxState>> {
        // The attempt just made is the message's `attempts + 1`th: counted as the claim read it,
        // and the update holds only under the same lease.
        let attempts = message.attempts + 1;
        let state = if attempts >= MAX_ATTEMPTS {
            OutboxState::Failed
        } else {
            OutboxState::Pending
        };
        let error: String = error.chars().take(500).collect();
        let changed = sqlx::query(
            "update outbox set attempts = $1, state = $2, next_attempt_at = $3, claimed_until = null, \
             last_error = $4 where outbox_id = $5 and state = 'pending' and claimed_until = $6",
        )
        .bind(attempts)
        .bind(state.code())
        .bind(now + retry_delay(attempts))
        .bind(error)
        .bind(message.id)
        .bind(message.lease)
        .execute(&mut *self.conn().await?)
        .await?
        .rows_affected();
        Ok((changed == 1).then_some(state))
    }

    /// Sends a message given up on again, from its first attempt (the administrator's action).
    pub async fn outbox_retry(&self, id: i64, now: i64) -> Result<bool> {
        let changed = sqlx::query(
            "update outbox set state = 'pending', attempts = 0, next_attempt_at = $1, claimed_until = null \
             where outbox_id = $2 and state = 'failed'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *self.conn().await?)
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// The most recent messages, newest first.
    pub async fn list_outbox(&self, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from outbox order by created_at desc, outbox_id desc limit $1"
        ))
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(message_from).collect()
    }

    /// The most recent messages of one channel, newest first, without their bodies (a package
    /// may be megabytes): for the lists.
    pub async fn list_outbox_on(&self, channel: &str, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query(&format!(
            "select {} from outbox where channel = $1 order by created_at desc, outbox_id desc limit $2",
            COLUMNS.replace(" body,", " '' as body,")
        ))
        .bind(channel)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(message_from).collect()
    }

    pub async fn outbox_message(&self, id: i64) -> Result<Option<OutboxMessage>> {
        let row = sqlx::query(&format!("select {COLUMNS} from outbox where outbox_id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(message_from).transpose()
    }

    /// How many e-mails are sent, waiting and given up on.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        self.outbox_counts_on("mail").await
    }

    /// How many messages of `channel` are sent, waiting and given up on.
    pub async fn outbox_counts_on(&self, channel: &str) -> Result<OutboxCounts> {
        let rows = sqlx::query("select state, count(*) as n from outbox where channel = $1 group by state")
            .bind(channel)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let mut counts = OutboxCounts::default();
        for row in rows {
            let state: String = row.try_get("state")?;
            let n: i64 = row.try_get("n")?;
            match OutboxState::parse(&state)? {
                OutboxState::Pending => counts.pending = n,
                OutboxState::Sent => counts.sent = n,
                OutboxState::Failed => counts.failed = n,
            }
        }
        Ok(counts)
    }

    /// Deletes mail sent before `before`, and mail given up on that was queued before it (it
    /// holds addresses: kept no longer than needed); returns how many. The e-office's packages
    /// stay: their keys keep each status queued once, and they are the document's history.
    pub async fn delete_finished_outbox_before(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query(
            "delete from outbox where channel = 'mail' and \
             ((state = 'sent' and sent_at < $1) or (state = 'failed' and created_at < $1))",
        )
        .bind(before)
        .execute(&mut *self.conn().await?)
        .await?
        .rows_affected())
    }
}

async fn insert_mail(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    mail: &NewMail,
    reminder_id: Option<i64>,
    sender_domain: &str,
    now: i64,
) -> Result<Option<i64>> {
    let json = serde_json::to_string(&mail.recipients).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let token: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let message_id = format!("<{now}.{token}@{sender_domain}>");
    let id: Option<i64> = sqlx::query_scalar(
        "insert into outbox (channel, dedup_key, recipients_json, subject, body, message_id, reminder_id, state, \
         attempts, next_attempt_at, created_at) values ('mail', $1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) \
         on conflict (dedup_key) do nothing returning outbox_id",
    )
    .bind(&mail.dedup_key)
    .bind(json)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(message_id)
    .bind(reminder_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_grows_then_stays_at_eight_hours() {
        assert_eq!(retry_delay(0), 60);
        assert_eq!(retry_delay(1), 60);
        assert_eq!(retry_delay(2), 300);
        assert_eq!(retry_delay(8), 28_800);
        assert_eq!(retry_delay(20), 28_800);
        let total: i64 = (1..MAX_ATTEMPTS).map(retry_delay).sum();
        assert!(total > 20 * 3600 && total < 2 * 24 * 3600, "{total}");
    }
}
