//! Evaluation rubric versions: the file as uploaded, kept whole and never changed.

use danvan_domain::audit::Action;
use danvan_domain::rubric::{self, Rubric};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Result, Store, StoreError, conflict_on, get_bool};

/// A stored rubric version: its heading fields and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricVersion {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub sample: bool,
    pub decision: String,
    pub valid_from: time::Date,
    pub valid_to: Option<time::Date>,
    pub source: String,
    pub source_sha256: String,
    pub uploaded_by: String,
}

impl RubricVersion {
    /// The rubric read from its source; a stored version was checked when it was saved.
    pub fn rubric(&self) -> Result<Rubric> {
        rubric::parse(&self.source)
            .map_err(|errors| StoreError::Corrupt(format!("rubric {} no longer reads: {}", self.code, errors[0])))
    }
}

const COLUMNS: &str = "rubric_version_id, code, title, sample, decision, valid_from, valid_to, source, \
                       source_sha256, uploaded_by";

fn from_row(row: &AnyRow) -> Result<RubricVersion> {
    let valid_to: Option<String> = row.try_get("valid_to")?;
    Ok(RubricVersion {
        id: row.try_get("rubric_version_id")?,
        code: row.try_get("code")?,
        title: row.try_get("title")?,
        sample: get_bool(row, "sample")?,
        decision: row.try_get("decision")?,
        valid_from: crate::parse_date(&row.try_get::<String, _>("valid_from")?)?,
        valid_to: valid_to.as_deref().map(crate::parse_date).transpose()?,
        source: row.try_get("source")?,
        source_sha256: row.try_get("source_sha256")?,
        uploaded_by: row.try_get("uploaded_by")?,
    })
}

impl Store {
    /// Saves a checked rubric as a new version. A version's code is never reused:
    /// [`StoreError::Conflict`] on `code` when it exists, so a change must be a new version.
    pub async fn save_rubric_version(&self, actor: &Actor, rubric: &Rubric, source: &str) -> Result<i64> {
        let sha: String = Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut change = Change::begin(self).await?;
        let id: i64 = sqlx::query(
            "insert into rubric_version (code, title, sample, decision, valid_from, valid_to, source, source_sha256, \
             uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning rubric_version_id",
        )
        .bind(&rubric.code)
        .bind(&rubric.title)
        .bind(rubric.sample)
        .bind(&rubric.decision)
        .bind(danvan_domain::date::format_iso(rubric.valid_from))
        .bind(rubric.valid_to.map(danvan_domain::date::format_iso))
        .bind(source)
        .bind(&sha)
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("code"))?
        .try_get(0)?;
        let after = json!({
            "code": rubric.code,
            "title": rubric.title,
            "sample": rubric.sample,
            "decision": rubric.decision,
            "criteria": rubric.all_criteria().len(),
            "source_sha256": sha,
        });
        change
            .record(actor, Action::CreateRubric, id.to_string(), None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Every version, the newest validity first.
    pub async fn rubric_versions(&self) -> Result<Vec<RubricVersion>> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from rubric_version order by valid_from desc, rubric_version_id desc"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn rubric_version(&self, id: i64) -> Result<Option<RubricVersion>> {
        let row = sqlx::query(&format!(
            "select {COLUMNS} from rubric_version where rubric_version_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(from_row).transpose()
    }
}
