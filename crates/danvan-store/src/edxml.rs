//! Documents received as edXML packages, and packages waiting in the outbox to leave (issue 16).

use danvan_domain::audit::Action;
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{Actor, Change};
use crate::outbox::OutboxMessage;
use crate::unit::now;
use crate::{Result, Store, StoreError, parse_date};

/// The outbox channel of edXML packages.
pub const CHANNEL: &str = "edxml";

/// What a received package's header said, kept beside its library document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedPackage {
    pub document_id: i64,
    pub from_organ_id: String,
    pub from_organ_name: String,
    /// The receiver as the sender addressed it (this province's body on the exchange).
    pub to_organ_id: String,
    pub to_organ_name: String,
    /// `7816/VPCP-TTĐT`.
    pub code: String,
    pub promulgation_date: Option<Date>,
    /// The package's `DocumentId`.
    pub package_document_id: String,
    /// 1 not a directive, 2 a directive, 3 a report.
    pub steering: i64,
    pub due_date: Option<Date>,
    pub received_at: i64,
    pub refused_reason: Option<String>,
}

/// A package to send: to whom, what the monitor reads of it, and the XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPackage {
    /// Makes queueing idempotent: one status of a kind per document, one report per progress
    /// report.
    pub dedup_key: String,
    pub organ_id: String,
    pub organ_name: String,
    /// What the outbox page shows ("Trạng thái 04 Phân công — 7816/VPCP-TTĐT").
    pub description: String,
    pub xml: String,
    /// The package's own `DocumentId` (or the status's key), kept as its message id.
    pub package_id: String,
}

const COLUMNS: &str = "document_id, from_organ_id, from_organ_name, to_organ_id, to_organ_name, code, \
                       promulgation_date, package_document_id, steering, due_date, received_at, refused_reason";

fn from_row(row: &sqlx::any::AnyRow) -> Result<ReceivedPackage> {
    let date = |name: &str| -> Result<Option<Date>> {
        let text: Option<String> = row.try_get(name)?;
        text.as_deref().map(parse_date).transpose()
    };
    Ok(ReceivedPackage {
        document_id: row.try_get("document_id")?,
        from_organ_id: row.try_get("from_organ_id")?,
        from_organ_name: row.try_get("from_organ_name")?,
        to_organ_id: row.try_get("to_organ_id")?,
        to_organ_name: row.try_get("to_organ_name")?,
        code: row.try_get("code")?,
        promulgation_date: date("promulgation_date")?,
        package_document_id: row.try_get("package_document_id")?,
        steering: row.try_get("steering")?,
        due_date: date("due_date")?,
        received_at: row.try_get("received_at")?,
        refused_reason: row.try_get("refused_reason")?,
    })
}

fn package_json(p: &ReceivedPackage) -> serde_json::Value {
    json!({
        "from": format!("{} ({})", p.from_organ_name, p.from_organ_id),
        "code": p.code,
        "package_document_id": p.package_document_id,
        "steering": p.steering,
        "due_date": p.due_date.map(danvan_domain::date::format_iso),
    })
}

impl Store {
    /// Records that a library document came as a package, with its header. One package per
    /// document: a second is a conflict.
    pub async fn record_received_package(&self, actor: &Actor, package: &ReceivedPackage) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let iso = |d: Option<Date>| d.map(danvan_domain::date::format_iso);
        let inserted = sqlx::query(&format!(
            "insert into edxml_received ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, null) \
             on conflict (document_id) do nothing"
        ))
        .bind(package.document_id)
        .bind(&package.from_organ_id)
        .bind(&package.from_organ_name)
        .bind(&package.to_organ_id)
        .bind(&package.to_organ_name)
        .bind(&package.code)
        .bind(iso(package.promulgation_date))
        .bind(&package.package_document_id)
        .bind(package.steering)
        .bind(iso(package.due_date))
        .bind(package.received_at)
        .execute(&mut *change.tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StoreError::Conflict("edxml_received"));
        }
        change
            .record(
                actor,
                Action::ReceivePackage,
                package.document_id,
                None,
                Some(&package_json(package)),
            )
            .await?;
        change.commit().await
    }

    /// The package a library document came in, if it came as one.
    pub async fn received_package(&self, document_id: i64) -> Result<Option<ReceivedPackage>> {
        let row = sqlx::query(&format!("select {COLUMNS} from edxml_received where document_id = $1"))
            .bind(document_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Records the province's refusal of a received package, with its reason; refused once.
    pub async fn refuse_received_package(&self, actor: &Actor, document_id: i64, reason: &str) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let changed = sqlx::query(
            "update edxml_received set refused_reason = $1 where document_id = $2 and refused_reason is null",
        )
        .bind(reason)
        .bind(document_id)
        .execute(&mut *change.tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(match self.received_package_in(&mut change, document_id).await? {
                Some(_) => StoreError::Conflict("edxml_refused"),
                None => StoreError::NotFound,
            });
        }
        change
            .record(
                actor,
                Action::RefusePackage,
                document_id,
                None,
                Some(&json!({ "reason": reason })),
            )
            .await?;
        change.commit().await
    }

    async fn received_package_in(&self, change: &mut Change, document_id: i64) -> Result<Option<ReceivedPackage>> {
        let row = sqlx::query(&format!("select {COLUMNS} from edxml_received where document_id = $1"))
            .bind(document_id)
            .fetch_optional(&mut *change.tx)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Queues a package unless one with the same key is queued; returns its id when it was new.
    /// Inside a use case's scope it is queued in the use case's transaction: a step refused or
    /// rolled back leaves no package behind.
    pub async fn queue_package(&self, package: &NewPackage) -> Result<Option<i64>> {
        let recipients = serde_json::to_string(&[(&package.organ_id, &package.organ_name)])
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = now();
        let id: Option<i64> = sqlx::query_scalar(
            "insert into outbox (channel, dedup_key, recipients_json, subject, body, message_id, state, attempts, \
             next_attempt_at, created_at) values ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) \
             on conflict (dedup_key) do nothing returning outbox_id",
        )
        .bind(CHANNEL)
        .bind(&package.dedup_key)
        .bind(recipients)
        .bind(&package.description)
        .bind(&package.xml)
        .bind(&package.package_id)
        .bind(now)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        Ok(id)
    }

    /// The packages queued for a document (their keys start with `edxml:{document_id}:`), oldest
    /// first, without their bodies.
    pub async fn packages_for_document(&self, document_id: i64) -> Result<Vec<OutboxMessage>> {
        // The dedup key's unique index serves the prefix.
        let prefix = format!("edxml:{document_id}:");
        let rows = sqlx::query(&format!(
            "select {} from outbox where dedup_key >= $1 and dedup_key < $2 order by outbox_id",
            crate::outbox::COLUMNS.replace(" body,", " '' as body,")
        ))
        .bind(&prefix)
        .bind(format!("edxml:{document_id};"))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(crate::outbox::message_from).collect()
    }
}
