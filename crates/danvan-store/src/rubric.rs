//! Evaluation rubric versions: the file as uploaded, kept whole and never changed once its
//! decision is named (a draft, without one, may be saved again).

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

/// Binds a version's columns in the order both writes name them (`$1`…`$9`).
fn bind_version<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    rubric: &'q Rubric,
    source: &'q str,
    sha: &'q str,
    actor: &'q Actor,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&rubric.title)
        .bind(rubric.sample)
        .bind(&rubric.decision)
        .bind(danvan_domain::date::format_iso(rubric.valid_from))
        .bind(rubric.valid_to.map(danvan_domain::date::format_iso))
        .bind(source)
        .bind(sha)
        .bind(&actor.name)
        .bind(now())
}

impl Store {
    /// Saves a checked rubric. A version with a decision is never changed: its code is never
    /// reused ([`StoreError::Conflict`] on `code`), so a change must be a new version. A draft
    /// (no decision yet) saved again under its code is replaced, until it names its decision.
    pub async fn save_rubric_version(&self, actor: &Actor, rubric: &Rubric, source: &str) -> Result<i64> {
        let sha: String = Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut change = Change::begin(self).await?;
        let existing =
            sqlx::query("select rubric_version_id, decision, source_sha256 from rubric_version where code = $1")
                .bind(&rubric.code)
                .fetch_optional(&mut *change.tx)
                .await?;
        let after = json!({
            "code": rubric.code,
            "title": rubric.title,
            "sample": rubric.sample,
            "decision": rubric.decision,
            "criteria": rubric.all_criteria().len(),
            "source_sha256": sha,
        });
        let id = match existing {
            Some(row) => {
                let id: i64 = row.try_get("rubric_version_id")?;
                let decision: String = row.try_get("decision")?;
                if !decision.trim().is_empty() {
                    return Err(StoreError::Conflict("code"));
                }
                let before = json!({"decision": decision, "source_sha256": row.try_get::<String, _>("source_sha256")?});
                let updated = bind_version(
                    sqlx::query(
                        "update rubric_version set title = $1, sample = $2, decision = $3, valid_from = $4, \
                         valid_to = $5, source = $6, source_sha256 = $7, uploaded_by = $8, uploaded_at = $9 \
                         where rubric_version_id = $10 and decision = ''",
                    ),
                    rubric,
                    source,
                    &sha,
                    actor,
                )
                .bind(id)
                .execute(&mut *change.tx)
                .await?;
                // Issued meanwhile (by another server): no longer a draft to replace.
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict("code"));
                }
                change
                    .record(actor, Action::UpdateRubricDraft, id, Some(&before), Some(&after))
                    .await?;
                id
            }
            None => {
                let id: i64 = bind_version(
                    sqlx::query(
                        "insert into rubric_version (title, sample, decision, valid_from, valid_to, source, \
                         source_sha256, uploaded_by, uploaded_at, code) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                         returning rubric_version_id",
                    ),
                    rubric,
                    source,
                    &sha,
                    actor,
                )
                .bind(&rubric.code)
                .fetch_one(&mut *change.tx)
                .await
                .map_err(conflict_on("code"))?
                .try_get(0)?;
                change
                    .record(actor, Action::CreateRubric, id, None, Some(&after))
                    .await?;
                id
            }
        };
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
