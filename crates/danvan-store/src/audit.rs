//! The audit log: who changed what, when, with the values before and after.
//!
//! Records are written in the same transaction as the change they describe, so there is never a
//! change without its record nor a record of a change that was rolled back. The log is
//! append-only (database triggers refuse updates and deletes) and tamper-evident: each record
//! carries the SHA-256 of its content and of the previous record's hash, so that editing or
//! removing a record behind the database's back breaks the chain, which [`Store::verify_audit_chain`]
//! detects.

use danvan_domain::audit::Action;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::{Result, Store};

/// Who makes a change: a signed-in account, or the system itself (the CLI, the demo loader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn account(account_id: i64, username: &str, ip: Option<String>) -> Self {
        Self {
            account_id: Some(account_id),
            name: username.to_owned(),
            ip,
        }
    }

    /// A change made by a command on the server, such as `danvan user add`.
    pub fn system(what: &str) -> Self {
        Self {
            account_id: None,
            name: format!("system:{what}"),
            ip: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub created_at: i64,
    pub account_id: Option<i64>,
    pub actor: String,
    pub ip: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub action: Option<String>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    /// Records made by this account.
    pub account_id: Option<i64>,
    /// Records made by the accounts of this agency.
    pub unit_id: Option<i64>,
    /// Records older than this one (a page's cursor).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// An open change: a transaction that holds the audit chain's head.
pub(crate) struct Change {
    pub tx: Tx,
    last_hash: String,
    count: i64,
    /// The records that changed official data (not sign-ins, reads and exports), and the hash
    /// of the last of them: the data's generation ([`Store::data_generation`]).
    data_count: i64,
    data_hash: String,
}

/// A change's transaction: its own, or a savepoint in the caller's ([`Store::begin_scope`]).
pub(crate) enum Tx {
    /// Taken out only to commit.
    Own(Option<Transaction<'static, Any>>),
    Savepoint {
        scope: tokio::sync::OwnedMutexGuard<crate::Scope>,
        name: String,
        done: bool,
    },
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        match self {
            Tx::Own(tx) => tx.as_ref().expect("an open transaction"),
            Tx::Savepoint { scope, .. } => &scope.conn,
        }
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Tx::Own(tx) => tx.as_mut().expect("an open transaction"),
            Tx::Savepoint { scope, .. } => &mut scope.conn,
        }
    }
}

impl Drop for Tx {
    /// A savepoint left without committing is rolled back before the scope's next statement.
    fn drop(&mut self) {
        if let Tx::Savepoint {
            scope,
            name,
            done: false,
        } = self
        {
            scope.undo = Some(std::mem::take(name));
        }
    }
}

impl Change {
    /// Begins a transaction and takes the audit head's lock first, before any read, so that
    /// concurrent changes are chained in commit order and SQLite never has to upgrade a read
    /// lock to a write lock mid-transaction.
    pub async fn begin(store: &Store) -> Result<Change> {
        let mut tx = match &store.scope {
            None => Tx::Own(Some(store.pool.begin().await?)),
            Some(scope) => {
                let mut scope = scope
                    .clone()
                    .try_lock_owned()
                    .map_err(|_| crate::StoreError::Corrupt("a change inside a change".into()))?;
                scope.settle().await?;
                scope.savepoints += 1;
                let name = format!("danvan_change_{}", scope.savepoints);
                sqlx::Executor::execute(&mut *scope.conn, format!("savepoint {name}").as_str()).await?;
                Tx::Savepoint {
                    scope,
                    name,
                    done: false,
                }
            }
        };
        let row = sqlx::query(
            "update audit_head set record_count = record_count where audit_head_id = 1 \
             returning last_hash, record_count, data_count, data_hash",
        )
        .fetch_one(&mut *tx)
        .await?;
        Ok(Change {
            tx,
            last_hash: row.try_get("last_hash")?,
            count: row.try_get("record_count")?,
            data_count: row.try_get("data_count")?,
            data_hash: row.try_get("data_hash")?,
        })
    }

    /// Appends an audit record to this change.
    pub async fn record(
        &mut self,
        actor: &Actor,
        action: Action,
        object_id: impl ToString,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<()> {
        let object_id = object_id.to_string();
        let changes_data = !action.is_access();
        let (object_type, action) = (action.object_type(), action.code());
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let before = before.map(Value::to_string);
        let after = after.map(Value::to_string);
        let content = RecordContent {
            created_at: now,
            account_id: actor.account_id,
            actor: &actor.name,
            ip: actor.ip.as_deref(),
            action,
            object_type,
            object_id: &object_id,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let hash = content.hash(&self.last_hash);
        sqlx::query(
            "insert into audit_log (created_at, account_id, actor, ip, action, object_type, object_id, \
             before_json, after_json, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(now)
        .bind(actor.account_id)
        .bind(&actor.name)
        .bind(actor.ip.as_deref())
        .bind(action)
        .bind(object_type)
        .bind(&object_id)
        .bind(before.as_deref())
        .bind(after.as_deref())
        .bind(&self.last_hash)
        .bind(&hash)
        .execute(&mut *self.tx)
        .await?;
        if changes_data {
            self.data_count += 1;
            self.data_hash.clone_from(&hash);
        }
        self.last_hash = hash;
        self.count += 1;
        Ok(())
    }

    pub async fn commit(mut self) -> Result<()> {
        sqlx::query(
            "update audit_head set last_hash = $1, record_count = $2, data_count = $3, data_hash = $4 \
             where audit_head_id = 1",
        )
        .bind(&self.last_hash)
        .bind(self.count)
        .bind(self.data_count)
        .bind(&self.data_hash)
        .execute(&mut *self.tx)
        .await?;
        match &mut self.tx {
            Tx::Own(tx) => {
                if let Some(tx) = tx.take() {
                    tx.commit().await?;
                }
            }
            Tx::Savepoint { scope, name, done } => {
                sqlx::Executor::execute(&mut *scope.conn, format!("release savepoint {name}").as_str()).await?;
                *done = true;
            }
        }
        Ok(())
    }
}

/// The fields that a record's hash covers, in a fixed order.
struct RecordContent<'a> {
    created_at: i64,
    account_id: Option<i64>,
    actor: &'a str,
    ip: Option<&'a str>,
    action: &'a str,
    object_type: &'a str,
    object_id: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

impl RecordContent<'_> {
    fn hash(&self, prev_hash: &str) -> String {
        // JSON gives each field an unambiguous encoding, so no choice of values can make two
        // different records hash the same content.
        let canonical = serde_json::json!([
            prev_hash,
            self.created_at,
            self.account_id,
            self.actor,
            self.ip,
            self.action,
            self.object_type,
            self.object_id,
            self.before,
            self.after,
        ]);
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Where the audit chain is broken, if it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    Intact { records: i64 },
    Broken { audit_log_id: i64, reason: &'static str },
}

impl Store {
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let limit = if filter.limit <= 0 {
            200
        } else {
            filter.limit.min(10_000)
        };
        let rows = sqlx::query(
            "select audit_log_id, created_at, account_id, actor, ip, action, object_type, object_id, \
             before_json, after_json from audit_log \
             where ($1 is null or actor = $1) and ($2 is null or object_type = $2) \
             and ($3 is null or object_id = $3) and ($4 is null or action = $4) \
             and ($5 is null or created_at >= $5) and ($6 is null or created_at < $6) \
             and ($8 is null or account_id = $8) and ($10 is null or audit_log_id < $10) \
             and ($9 is null or account_id in (select account_id from account where unit_id = $9)) \
             order by audit_log_id desc limit $7",
        )
        .bind(filter.actor.as_deref())
        .bind(filter.object_type.as_deref())
        .bind(filter.object_id.as_deref())
        .bind(filter.action.as_deref())
        .bind(filter.from)
        .bind(filter.to)
        .bind(limit)
        .bind(filter.account_id)
        .bind(filter.unit_id)
        .bind(filter.before_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("audit_log_id")?,
                    created_at: row.try_get("created_at")?,
                    account_id: row.try_get("account_id")?,
                    actor: row.try_get("actor")?,
                    ip: row.try_get("ip")?,
                    action: row.try_get("action")?,
                    object_type: row.try_get("object_type")?,
                    object_id: row.try_get("object_id")?,
                    before: row.try_get("before_json")?,
                    after: row.try_get("after_json")?,
                })
            })
            .collect()
    }

    /// Recomputes every record's hash from its content and the previous hash.
    pub async fn verify_audit_chain(&self) -> Result<ChainCheck> {
        let rows = sqlx::query(
            "select audit_log_id, created_at, account_id, actor, ip, action, object_type, object_id, \
             before_json, after_json, prev_hash, hash from audit_log order by audit_log_id",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut expected_prev = "0".repeat(64);
        for row in &rows {
            let id: i64 = row.try_get("audit_log_id")?;
            let prev_hash: String = row.try_get("prev_hash")?;
            if prev_hash != expected_prev {
                return Ok(ChainCheck::Broken {
                    audit_log_id: id,
                    reason: "previous hash does not match",
                });
            }
            let actor: String = row.try_get("actor")?;
            let ip: Option<String> = row.try_get("ip")?;
            let action: String = row.try_get("action")?;
            let object_type: String = row.try_get("object_type")?;
            let object_id: String = row.try_get("object_id")?;
            let before: Option<String> = row.try_get("before_json")?;
            let after: Option<String> = row.try_get("after_json")?;
            let content = RecordContent {
                created_at: row.try_get("created_at")?,
                account_id: row.try_get("account_id")?,
                actor: &actor,
                ip: ip.as_deref(),
                action: &action,
                object_type: &object_type,
                object_id: &object_id,
                before: before.as_deref(),
                after: after.as_deref(),
            };
            let hash: String = row.try_get("hash")?;
            if content.hash(&prev_hash) != hash {
                return Ok(ChainCheck::Broken {
                    audit_log_id: id,
                    reason: "content does not match its hash",
                });
            }
            expected_prev = hash;
        }
        let head: String = sqlx::query_scalar("select last_hash from audit_head where audit_head_id = 1")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        if head != expected_prev {
            return Ok(ChainCheck::Broken {
                audit_log_id: 0,
                reason: "the last record is missing",
            });
        }
        Ok(ChainCheck::Intact {
            records: rows.len() as i64,
        })
    }
}

/// Where the official data stands. Every change of official data commits through a [`Change`],
/// which counts its records that change data (every action but an access: a sign-in event, a
/// read, an export; [`Action::is_access`]) in the audit head in the same transaction, and every
/// change of an agency, identifier, succession or group moves `agency_generation` by trigger:
/// so while this value is the same, whatever was worked out from official data still holds, on
/// every app server of one database. The hash of the last such record, not only their count,
/// is kept so that a database restored from a backup under a running server is never taken for
/// the one it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataGeneration {
    pub records: i64,
    pub head: String,
    pub agencies: i64,
}

impl Store {
    /// The official data's generation, read in one statement; `None` on a scoped store (inside a
    /// caller's transaction nothing is kept).
    pub async fn data_generation(&self) -> Result<Option<DataGeneration>> {
        if self.scope.is_some() {
            return Ok(None);
        }
        let row = sqlx::query(
            "select h.data_count, h.data_hash, g.generation from audit_head h, agency_generation g \
             where h.audit_head_id = 1",
        )
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok(Some(DataGeneration {
            records: row.try_get(0)?,
            head: row.try_get(1)?,
            agencies: row.try_get(2)?,
        }))
    }
}

impl Store {
    /// Records a security event (sign-in, failure, lockout, sign-out) in the audit chain.
    pub async fn record_security_event(&self, actor: &Actor, action: Action, object_id: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        change.record(actor, action, object_id, None, None).await?;
        change.commit().await
    }

    /// Records that someone read a record holding personal data (security.md 19): who, which
    /// record (`kind/id`), never the values. Audit entries of type `personal_data`, action `read`.
    pub async fn record_personal_read(&self, actor: &Actor, kind: &str, id: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        change
            .record(actor, Action::ReadPersonalData, format!("{kind}/{id}"), None, None)
            .await?;
        change.commit().await
    }
}
