//! Files attached to a record (an initiative's photos, a report's attachments): one table per
//! kind of record, the same columns, the same three operations. The stored bytes live once in
//! `stored_file` (see [`Store::put_file`]).

use danvan_domain::audit::Action;
use serde_json::json;
use sqlx::Row;

use crate::audit::{Actor, Change};
use crate::directive::Attachment;
use crate::unit::now;
use crate::{Result, Store};

/// A table of attached files: its name, its key column and the column naming the record.
/// Names are constants of this crate, never input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileTable {
    pub table: &'static str,
    /// The audit action of attaching a file here.
    pub attach: Action,
    pub key: &'static str,
    pub owner: &'static str,
}

pub(crate) const INITIATIVE_FILES: FileTable = FileTable {
    table: "initiative_file",
    attach: Action::AttachInitiativeFile,
    key: "initiative_file_id",
    owner: "initiative_id",
};

pub(crate) const FILING_FILES: FileTable = FileTable {
    table: "report_filing_file",
    attach: Action::AttachFilingFile,
    key: "report_filing_file_id",
    owner: "report_filing_id",
};

impl Store {
    /// The bytes of every file an agency has attached: progress reports, evaluation evidence,
    /// initiatives and periodic reports (a file attached twice counts twice). For the upload
    /// quota (security.md 26).
    pub async fn unit_upload_bytes(&self, unit_id: i64) -> Result<i64> {
        let total: i64 = sqlx::query(
            "select cast(coalesce((select sum(ra.size_bytes) from report_attachment ra \
             join progress_report r on r.progress_report_id = ra.progress_report_id \
             join assignment a on a.assignment_id = r.assignment_id where a.unit_id = $1), 0) \
             + coalesce((select sum(sf.size_bytes) from assessment_item it \
             join assessment s on s.assessment_id = it.assessment_id \
             join stored_file sf on sf.sha256 = it.evidence_sha256 where s.unit_id = $1), 0) \
             + coalesce((select sum(f.size_bytes) from initiative_file f \
             join initiative i on i.initiative_id = f.initiative_id where i.unit_id = $1), 0) \
             + coalesce((select sum(f.size_bytes) from report_filing_file f \
             join report_filing rf on rf.report_filing_id = f.report_filing_id where rf.unit_id = $1), 0) \
             as bigint) as total",
        )
        .bind(unit_id)
        .fetch_one(&mut *self.conn().await?)
        .await?
        .try_get("total")?;
        Ok(total)
    }

    /// Attaches a stored file to a record, with its audit record.
    pub(crate) async fn attach_file(
        &self,
        files: FileTable,
        actor: &Actor,
        owner_id: i64,
        file: &Attachment,
    ) -> Result<i64> {
        let FileTable { table, key, owner, .. } = files;
        let mut change = Change::begin(self).await?;
        let file_id: i64 = sqlx::query(&format!(
            "insert into {table} ({owner}, file_sha256, file_name, content_type, size_bytes, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning {key}"
        ))
        .bind(owner_id)
        .bind(&file.file_sha256)
        .bind(&file.file_name)
        .bind(&file.content_type)
        .bind(file.size_bytes)
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?
        .try_get(0)?;
        let after = json!({
            owner: owner_id,
            "file_name": file.file_name,
            "sha256": file.file_sha256,
            "size_bytes": file.size_bytes,
        });
        change.record(actor, files.attach, file_id, None, Some(&after)).await?;
        change.commit().await?;
        Ok(file_id)
    }

    /// A record's files, in the order attached, each with its id.
    pub(crate) async fn files_of(&self, files: FileTable, owner_id: i64) -> Result<Vec<(i64, Attachment)>> {
        let FileTable { table, key, owner, .. } = files;
        let rows = sqlx::query(&format!(
            "select {key} as id, file_sha256, file_name, content_type, size_bytes from {table} \
             where {owner} = $1 order by {key}"
        ))
        .bind(owner_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("id")?, Attachment::from_row(row)?)))
            .collect()
    }

    /// One file and the record it belongs to.
    pub(crate) async fn file_with_owner(&self, files: FileTable, file_id: i64) -> Result<Option<(i64, Attachment)>> {
        let FileTable { table, key, owner, .. } = files;
        let row = sqlx::query(&format!(
            "select {owner} as owner, file_sha256, file_name, content_type, size_bytes from {table} where {key} = $1"
        ))
        .bind(file_id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| Ok((row.try_get("owner")?, Attachment::from_row(&row)?)))
            .transpose()
    }
}
