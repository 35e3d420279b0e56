//! Dissemination records: an agency's meetings that made documents from the library known to
//! its officials.

use danvan_domain::audit::Action;
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Result, Store, StoreError, parse_date};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDissemination {
    pub unit_id: i64,
    pub held_on: Date,
    /// How: "Hội nghị", "Lồng ghép trong họp cơ quan", "Trên cổng thông tin", …
    pub form: String,
    pub participants: i64,
    pub document_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisseminationRecord {
    pub id: i64,
    pub unit_id: i64,
    pub held_on: Date,
    pub form: String,
    pub participants: i64,
    pub document_ids: Vec<i64>,
}

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

impl Store {
    /// Records a meeting and the documents it disseminated, in one transaction. At least one
    /// document; a document id the library lacks fails the whole record.
    pub async fn record_dissemination(&self, actor: &Actor, record: &NewDissemination) -> Result<i64> {
        if record.document_ids.is_empty() || record.participants <= 0 {
            return Err(StoreError::Conflict("documents"));
        }
        let mut change = Change::begin(self).await?;
        let id: i64 = sqlx::query(
            "insert into dissemination (unit_id, held_on, form, participants, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning dissemination_id",
        )
        .bind(record.unit_id)
        .bind(iso(record.held_on))
        .bind(&record.form)
        .bind(record.participants)
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?
        .try_get(0)?;
        let mut documents = record.document_ids.clone();
        documents.sort_unstable();
        documents.dedup();
        for document_id in &documents {
            sqlx::query("insert into dissemination_document (dissemination_id, document_id) values ($1, $2)")
                .bind(id)
                .bind(document_id)
                .execute(&mut *change.tx)
                .await?;
        }
        let after = json!({
            "unit_id": record.unit_id,
            "held_on": iso(record.held_on),
            "form": record.form,
            "participants": record.participants,
            "documents": documents,
        });
        change
            .record(actor, Action::CreateDissemination, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// An agency's meetings, the latest first.
    pub async fn disseminations_of(&self, unit_id: i64) -> Result<Vec<DisseminationRecord>> {
        let rows = sqlx::query(
            "select d.dissemination_id, d.unit_id, d.held_on, d.form, d.participants, x.document_id \
             from dissemination d join dissemination_document x on x.dissemination_id = d.dissemination_id \
             where d.unit_id = $1 order by d.held_on desc, d.dissemination_id desc, x.document_id",
        )
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out: Vec<DisseminationRecord> = Vec::new();
        for row in &rows {
            let id: i64 = row.try_get("dissemination_id")?;
            let document_id: i64 = row.try_get("document_id")?;
            match out.last_mut() {
                Some(last) if last.id == id => last.document_ids.push(document_id),
                _ => out.push(DisseminationRecord {
                    id,
                    unit_id: row.try_get("unit_id")?,
                    held_on: parse_date(&row.try_get::<String, _>("held_on")?)?,
                    form: row.try_get("form")?,
                    participants: row.try_get("participants")?,
                    document_ids: vec![document_id],
                }),
            }
        }
        Ok(out)
    }

    /// For each of these documents, the agencies that have disseminated it: (document, unit)
    /// pairs, each once.
    pub async fn disseminated(&self, document_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        if document_ids.is_empty() {
            return Ok(vec![]);
        }
        let list = document_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(&format!(
            "select distinct x.document_id, d.unit_id from dissemination_document x \
             join dissemination d on d.dissemination_id = x.dissemination_id \
             where x.document_id in ({list}) order by x.document_id, d.unit_id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("document_id")?, row.try_get("unit_id")?)))
            .collect()
    }
}

impl Store {
    /// An agency's dissemination meetings held between two days (both included): a figure
    /// periodic reports prefill.
    pub async fn dissemination_count(&self, unit_id: i64, from: Date, to: Date) -> Result<u32> {
        let count: i64 =
            sqlx::query("select count(*) from dissemination where unit_id = $1 and held_on >= $2 and held_on <= $3")
                .bind(unit_id)
                .bind(iso(from))
                .bind(iso(to))
                .fetch_one(&mut *self.conn().await?)
                .await?
                .try_get(0)?;
        Ok(count as u32)
    }
}
