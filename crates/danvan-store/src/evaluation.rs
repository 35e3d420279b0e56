//! Evaluation cycles, agencies' assessments with their scored items, and the frozen results.
//!
//! Every state change is a compare-and-set on the state the caller checked with
//! [`danvan_domain::evaluation`]: a step taken twice at once, or on a stale page, changes nothing
//! and answers [`StoreError::Conflict`] on `state`.

use danvan_domain::audit::Action;
use danvan_domain::evaluation::{AssessmentState, CycleState};
use danvan_domain::scoring::{Answer, Answers};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Backend, Result, Store, StoreError, conflict_on, parse_date};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCycle {
    pub year: i32,
    pub group_id: i64,
    pub rubric_version_id: i64,
    pub self_deadline: Date,
    pub appraisal_deadline: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRecord {
    pub id: i64,
    pub year: i32,
    pub group_id: i64,
    pub rubric_version_id: i64,
    pub self_deadline: Date,
    pub appraisal_deadline: Date,
    pub state: CycleState,
}

/// A deadline extended: for one agency or (no agency) the whole cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub unit_id: Option<i64>,
    pub window: danvan_domain::evaluation::Window,
    pub until: Date,
    pub reason: String,
    pub by: String,
}

impl Extension {
    /// Whether it applies to `unit_id`'s assessment in that window.
    pub fn applies(&self, unit_id: i64, window: danvan_domain::evaluation::Window) -> bool {
        self.window == window && self.unit_id.is_none_or(|u| u == unit_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRecord {
    pub id: i64,
    pub cycle_id: i64,
    pub unit_id: i64,
    pub state: AssessmentState,
    pub submissions: i64,
    pub return_reason: Option<String>,
    /// Marked by the Department as not submitted by the deadline, with the reason.
    pub not_submitted: Option<String>,
}

/// What kind of thing an item scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Criterion,
    Bonus,
    Penalty,
    Veto,
}

impl ItemKind {
    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Criterion => "criterion",
            ItemKind::Bonus => "bonus",
            ItemKind::Penalty => "penalty",
            ItemKind::Veto => "veto",
        }
    }

    fn from_code(code: &str) -> Result<Self> {
        match code {
            "criterion" => Ok(ItemKind::Criterion),
            "bonus" => Ok(ItemKind::Bonus),
            "penalty" => Ok(ItemKind::Penalty),
            "veto" => Ok(ItemKind::Veto),
            other => Err(StoreError::Corrupt(format!("item kind {other:?}"))),
        }
    }
}

/// An agency's own answer for one item, as saved in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfItem {
    pub kind: ItemKind,
    pub item_id: String,
    /// The answer as text (`Answer::encode`); `None`: not answered yet.
    pub value: Option<String>,
    /// Why there is no evidence, or what the evidence shows.
    pub note: String,
    /// An evidence file already stored with [`Store::put_file`], and its name.
    pub evidence: Option<(String, String)>,
}

/// An appraiser's score (an encoded answer; `None` clears it) and comment on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appraisal {
    pub kind: ItemKind,
    pub item_id: String,
    pub value: Option<String>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub kind: ItemKind,
    pub item_id: String,
    pub self_value: Option<String>,
    pub self_note: String,
    pub evidence: Option<(String, String)>,
    pub submitted_value: Option<String>,
    pub previous_value: Option<String>,
    pub appraised_value: Option<String>,
    pub appraisal_comment: String,
    pub appraised_by: Option<String>,
}

impl ItemRecord {
    /// Whether the agency changed this item since its previous submission.
    pub fn changed_since_last_submission(&self, submissions: i64) -> bool {
        submissions > 1 && self.submitted_value != self.previous_value
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord {
    pub cycle_id: i64,
    pub unit_id: i64,
    /// The agency's own total, when it submitted.
    pub self_total: Option<i64>,
    /// Hundredths of a point.
    pub total: i64,
    pub band: String,
    pub band_title: String,
    pub rank: i64,
    pub explanation: Vec<String>,
}

const CYCLE_COLUMNS: &str = "evaluation_cycle_id, year, unit_group_id, rubric_version_id, self_deadline, \
                             appraisal_deadline, state";

fn cycle_from(row: &AnyRow) -> Result<CycleRecord> {
    let state: String = row.try_get("state")?;
    Ok(CycleRecord {
        id: row.try_get("evaluation_cycle_id")?,
        year: row.try_get::<i64, _>("year")? as i32,
        group_id: row.try_get("unit_group_id")?,
        rubric_version_id: row.try_get("rubric_version_id")?,
        self_deadline: parse_date(&row.try_get::<String, _>("self_deadline")?)?,
        appraisal_deadline: parse_date(&row.try_get::<String, _>("appraisal_deadline")?)?,
        state: CycleState::from_code(&state).ok_or_else(|| StoreError::Corrupt(format!("cycle state {state:?}")))?,
    })
}

const ASSESSMENT_COLUMNS: &str =
    "assessment_id, evaluation_cycle_id, unit_id, state, submissions, return_reason, not_submitted_reason";

fn assessment_from(row: &AnyRow) -> Result<AssessmentRecord> {
    let state: String = row.try_get("state")?;
    Ok(AssessmentRecord {
        id: row.try_get("assessment_id")?,
        cycle_id: row.try_get("evaluation_cycle_id")?,
        unit_id: row.try_get("unit_id")?,
        state: AssessmentState::from_code(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("assessment state {state:?}")))?,
        submissions: row.try_get("submissions")?,
        return_reason: row.try_get("return_reason")?,
        not_submitted: row.try_get("not_submitted_reason")?,
    })
}

fn item_from(row: &AnyRow) -> Result<ItemRecord> {
    let sha: Option<String> = row.try_get("evidence_sha256")?;
    let name: Option<String> = row.try_get("evidence_name")?;
    Ok(ItemRecord {
        kind: ItemKind::from_code(&row.try_get::<String, _>("kind")?)?,
        item_id: row.try_get("item_id")?,
        self_value: row.try_get("self_value")?,
        self_note: row.try_get("self_note")?,
        evidence: sha.zip(name),
        submitted_value: row.try_get("submitted_value")?,
        previous_value: row.try_get("previous_value")?,
        appraised_value: row.try_get("appraised_value")?,
        appraisal_comment: row.try_get("appraisal_comment")?,
        appraised_by: row.try_get("appraised_by")?,
    })
}

/// The statement that rebuilds the packed items of the assessments `filter` selects.
fn repack_sql(backend: Backend, filter: &str) -> String {
    let (concat, unit, record) = match backend {
        Backend::Sqlite => ("group_concat", "char(31)", "char(30)"),
        Backend::Postgres => ("string_agg", "chr(31)", "chr(30)"),
    };
    format!(
        "update assessment set items_pack = coalesce((select {concat}(i.kind || {unit} || i.item_id || {unit} \
         || coalesce(i.submitted_value, '') || {unit} || coalesce(i.appraised_value, ''), {record}) \
         from assessment_item i where i.assessment_id = assessment.assessment_id), '') where {filter}"
    )
}

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

impl Store {
    /// Opens a cycle for a year and group with a drafting assessment for each listed agency,
    /// in one transaction. A second cycle for the same year and group is a conflict on `cycle`.
    pub async fn open_cycle(&self, actor: &Actor, cycle: &NewCycle, unit_ids: &[i64]) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let at = now();
        let id: i64 = sqlx::query(
            "insert into evaluation_cycle (year, unit_group_id, rubric_version_id, self_deadline, appraisal_deadline, \
             state, created_by, created_at) values ($1, $2, $3, $4, $5, 'open', $6, $7) returning evaluation_cycle_id",
        )
        .bind(i64::from(cycle.year))
        .bind(cycle.group_id)
        .bind(cycle.rubric_version_id)
        .bind(iso(cycle.self_deadline))
        .bind(iso(cycle.appraisal_deadline))
        .bind(&actor.name)
        .bind(at)
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("cycle"))?
        .try_get(0)?;
        for unit_id in unit_ids {
            sqlx::query(
                "insert into assessment (evaluation_cycle_id, unit_id, state, updated_at) values ($1, $2, 'drafting', $3)",
            )
            .bind(id)
            .bind(unit_id)
            .bind(at)
            .execute(&mut *change.tx)
            .await?;
        }
        let after = json!({
            "year": cycle.year,
            "group_id": cycle.group_id,
            "rubric_version_id": cycle.rubric_version_id,
            "self_deadline": iso(cycle.self_deadline),
            "appraisal_deadline": iso(cycle.appraisal_deadline),
            "agencies": unit_ids.len(),
        });
        change.record(actor, Action::OpenCycle, id, None, Some(&after)).await?;
        change.commit().await?;
        Ok(id)
    }

    /// Every cycle, the latest year first, then by group.
    pub async fn cycles(&self) -> Result<Vec<CycleRecord>> {
        let rows = sqlx::query(&format!(
            "select {CYCLE_COLUMNS} from evaluation_cycle order by year desc, unit_group_id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(cycle_from).collect()
    }

    pub async fn cycle(&self, id: i64) -> Result<Option<CycleRecord>> {
        let row = sqlx::query(&format!(
            "select {CYCLE_COLUMNS} from evaluation_cycle where evaluation_cycle_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(cycle_from).transpose()
    }

    /// The assessments of a cycle, by agency id.
    pub async fn assessments(&self, cycle_id: i64) -> Result<Vec<AssessmentRecord>> {
        let rows = sqlx::query(&format!(
            "select {ASSESSMENT_COLUMNS} from assessment where evaluation_cycle_id = $1 order by unit_id"
        ))
        .bind(cycle_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(assessment_from).collect()
    }

    pub async fn assessment(&self, id: i64) -> Result<Option<AssessmentRecord>> {
        let row = sqlx::query(&format!(
            "select {ASSESSMENT_COLUMNS} from assessment where assessment_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(assessment_from).transpose()
    }

    /// The scored items of an assessment, by kind and id.
    pub async fn assessment_items(&self, assessment_id: i64) -> Result<Vec<ItemRecord>> {
        let rows = sqlx::query(
            "select kind, item_id, self_value, self_note, evidence_sha256, evidence_name, submitted_value, \
             previous_value, appraised_value, appraisal_comment, appraised_by from assessment_item \
             where assessment_id = $1 order by kind, item_id",
        )
        .bind(assessment_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(item_from).collect()
    }

    /// Moves an assessment from `from` to `to`, in the transaction, or fails with a conflict.
    async fn move_assessment(
        change: &mut Change,
        id: i64,
        from: AssessmentState,
        to: AssessmentState,
        extra: &str,
    ) -> Result<()> {
        let done = sqlx::query(&format!(
            "update assessment set state = $1, updated_at = $2{extra} where assessment_id = $3 and state = $4"
        ))
        .bind(to.code())
        .bind(now())
        .bind(id)
        .bind(from.code())
        .execute(&mut *change.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("state"));
        }
        Ok(())
    }

    /// Saves the agency's draft answers (all or nothing), while the assessment is still `state`.
    pub async fn save_self_items(
        &self,
        actor: &Actor,
        assessment_id: i64,
        state: AssessmentState,
        items: &[SelfItem],
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        Self::move_assessment(&mut change, assessment_id, state, state, "").await?;
        for item in items {
            let (sha, name) = item.evidence.clone().unzip();
            sqlx::query(
                "insert into assessment_item (assessment_id, kind, item_id, self_value, self_note, evidence_sha256, \
                 evidence_name) values ($1, $2, $3, $4, $5, $6, $7) on conflict (assessment_id, kind, item_id) do \
                 update set self_value = excluded.self_value, self_note = excluded.self_note, \
                 evidence_sha256 = coalesce(excluded.evidence_sha256, assessment_item.evidence_sha256), \
                 evidence_name = coalesce(excluded.evidence_name, assessment_item.evidence_name)",
            )
            .bind(assessment_id)
            .bind(item.kind.code())
            .bind(&item.item_id)
            .bind(&item.value)
            .bind(&item.note)
            .bind(sha)
            .bind(name)
            .execute(&mut *change.tx)
            .await?;
        }
        let after = json!({
            "items": items.iter().map(|i| json!({"kind": i.kind.code(), "id": i.item_id, "value": i.value, "note": i.note})).collect::<Vec<_>>(),
        });
        change
            .record(actor, Action::SaveAssessment, assessment_id, None, Some(&after))
            .await?;
        change.commit().await
    }

    /// Submits: the answers become the submitted ones (the former kept to show what changed),
    /// and the assessment is locked for the agency.
    pub async fn submit_assessment(&self, actor: &Actor, assessment_id: i64, from: AssessmentState) -> Result<()> {
        let mut change = Change::begin(self).await?;
        Self::move_assessment(
            &mut change,
            assessment_id,
            from,
            AssessmentState::Submitted,
            ", submissions = submissions + 1, return_reason = null, not_submitted_reason = null",
        )
        .await?;
        sqlx::query(
            "update assessment_item set previous_value = submitted_value, submitted_value = self_value \
             where assessment_id = $1",
        )
        .bind(assessment_id)
        .execute(&mut *change.tx)
        .await?;
        sqlx::query(&repack_sql(self.backend, "assessment_id = $1"))
            .bind(assessment_id)
            .execute(&mut *change.tx)
            .await?;
        change
            .record(
                actor,
                Action::SubmitAssessment,
                assessment_id,
                Some(&json!({"state": from.code()})),
                Some(&json!({"state": "submitted"})),
            )
            .await?;
        change.commit().await
    }

    /// Records an appraiser's score and comment on one item.
    pub async fn appraise_item(
        &self,
        actor: &Actor,
        assessment_id: i64,
        state: AssessmentState,
        appraisal: &Appraisal,
    ) -> Result<()> {
        self.appraise(actor, assessment_id, state, std::slice::from_ref(appraisal), None)
            .await
    }

    /// One appraiser's post, all or nothing: the changed items, then, when `complete` names the
    /// items the higher level must score, the check that each has a score and, for a submitted
    /// assessment, the move to appraised (an appraised one only stays complete). The state is
    /// compared and set inside the transaction, and the completeness read there too, so a
    /// refused completion keeps none of the item changes.
    pub async fn appraise(
        &self,
        actor: &Actor,
        assessment_id: i64,
        state: AssessmentState,
        changes: &[Appraisal],
        complete: Option<&[(ItemKind, String)]>,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        Self::move_assessment(&mut change, assessment_id, state, state, "").await?;
        for appraisal in changes {
            Self::appraise_in(&mut change, actor, assessment_id, appraisal).await?;
        }
        if !changes.is_empty() {
            sqlx::query(&repack_sql(self.backend, "assessment_id = $1"))
                .bind(assessment_id)
                .execute(&mut *change.tx)
                .await?;
        }
        if let Some(required) = complete {
            let rows = sqlx::query(
                "select kind, item_id from assessment_item where assessment_id = $1 and appraised_value is not null",
            )
            .bind(assessment_id)
            .fetch_all(&mut *change.tx)
            .await?;
            let mut filled = std::collections::HashSet::new();
            for row in &rows {
                filled.insert((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?));
            }
            let empty: Vec<String> = required
                .iter()
                .filter(|(kind, id)| !filled.contains(&(kind.code().to_owned(), id.clone())))
                .map(|(_, id)| id.clone())
                .collect();
            if !empty.is_empty() {
                return Err(StoreError::Incomplete(empty));
            }
            // Completing a submitted assessment moves it on; an appraised one only stays complete.
            if state == AssessmentState::Submitted {
                Self::move_assessment(
                    &mut change,
                    assessment_id,
                    AssessmentState::Submitted,
                    AssessmentState::Appraised,
                    "",
                )
                .await?;
                change
                    .record(
                        actor,
                        Action::MarkAppraised,
                        assessment_id,
                        None,
                        Some(&json!({"state": "appraised"})),
                    )
                    .await?;
            }
        }
        change.commit().await
    }

    async fn appraise_in(change: &mut Change, actor: &Actor, assessment_id: i64, appraisal: &Appraisal) -> Result<()> {
        let Appraisal {
            kind,
            item_id,
            value,
            comment,
        } = appraisal;
        let (kind, value) = (*kind, value.as_deref());
        let before: Option<(Option<String>, String)> = sqlx::query(
            "select appraised_value, appraisal_comment from assessment_item where assessment_id = $1 and kind = $2 \
             and item_id = $3",
        )
        .bind(assessment_id)
        .bind(kind.code())
        .bind(item_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .map(|row| Ok::<_, sqlx::Error>((row.try_get(0)?, row.try_get(1)?)))
        .transpose()?;
        sqlx::query(
            "insert into assessment_item (assessment_id, kind, item_id, appraised_value, appraisal_comment, appraised_by) \
             values ($1, $2, $3, $4, $5, $6) on conflict (assessment_id, kind, item_id) do update set \
             appraised_value = excluded.appraised_value, appraisal_comment = excluded.appraisal_comment, \
             appraised_by = excluded.appraised_by",
        )
        .bind(assessment_id)
        .bind(kind.code())
        .bind(item_id)
        .bind(value)
        .bind(comment)
        .bind(&actor.name)
        .execute(&mut *change.tx)
        .await?;
        let object = format!("{assessment_id}/{}/{item_id}", kind.code());
        let before = before.map(|(v, c)| json!({"value": v, "comment": c}));
        let after = json!({"value": value, "comment": comment});
        change
            .record(actor, Action::AppraiseItem, object, before.as_ref(), Some(&after))
            .await
    }

    /// Returns a submitted assessment to the agency with the reasons.
    pub async fn return_assessment(&self, actor: &Actor, assessment_id: i64, reason: &str) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let done = sqlx::query(
            "update assessment set state = 'returned', return_reason = $1, updated_at = $2 \
             where assessment_id = $3 and state = 'submitted'",
        )
        .bind(reason)
        .bind(now())
        .bind(assessment_id)
        .execute(&mut *change.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("state"));
        }
        change
            .record(
                actor,
                Action::ReturnAssessment,
                assessment_id,
                None,
                Some(&json!({"reason": reason})),
            )
            .await?;
        change.commit().await
    }

    /// Marks an agency's assessment, still with the agency, as not submitted, with the reason.
    pub async fn mark_not_submitted(
        &self,
        actor: &Actor,
        assessment_id: i64,
        from: AssessmentState,
        reason: &str,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let done = sqlx::query(
            "update assessment set not_submitted_reason = $1, updated_at = $2 where assessment_id = $3 and state = $4",
        )
        .bind(reason)
        .bind(now())
        .bind(assessment_id)
        .bind(from.code())
        .execute(&mut *change.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("state"));
        }
        change
            .record(
                actor,
                Action::MarkNotSubmitted,
                assessment_id,
                None,
                Some(&json!({"reason": reason})),
            )
            .await?;
        change.commit().await
    }

    /// Extends a deadline of an open cycle, for the whole cycle or one agency, with the reason;
    /// audited. A date before the deadline in force is a conflict on `until`.
    pub async fn extend_deadline(
        &self,
        actor: &Actor,
        cycle_id: i64,
        unit_id: Option<i64>,
        window: danvan_domain::evaluation::Window,
        until: Date,
        reason: &str,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        Self::move_cycle(&mut change, cycle_id, CycleState::Open, CycleState::Open).await?;
        let id: i64 = sqlx::query_scalar(
            "insert into evaluation_extension (evaluation_cycle_id, unit_id, kind, until, reason, created_by, \
             created_at) values ($1, $2, $3, $4, $5, $6, $7) returning evaluation_extension_id",
        )
        .bind(cycle_id)
        .bind(unit_id)
        .bind(window.code())
        .bind(iso(until))
        .bind(reason)
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?;
        let after =
            json!({"cycle": cycle_id, "unit": unit_id, "kind": window.code(), "until": iso(until), "reason": reason});
        change
            .record(actor, Action::ExtendEvaluation, id, None, Some(&after))
            .await?;
        change.commit().await
    }

    /// A cycle's extensions, oldest first: (agency or the whole cycle, window, until, reason).
    pub async fn deadline_extensions(&self, cycle_id: i64) -> Result<Vec<Extension>> {
        let rows = sqlx::query(
            "select unit_id, kind, until, reason, created_by from evaluation_extension where evaluation_cycle_id = $1 \
             order by evaluation_extension_id",
        )
        .bind(cycle_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(Extension {
                    unit_id: row.try_get("unit_id")?,
                    window: danvan_domain::evaluation::Window::from_code(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("extension kind {kind}")))?,
                    until: parse_date(&row.try_get::<String, _>("until")?)?,
                    reason: row.try_get("reason")?,
                    by: row.try_get("created_by")?,
                })
            })
            .collect()
    }

    /// Finalizes an open cycle: its results are frozen as given, in one transaction.
    pub async fn finalize_cycle(&self, actor: &Actor, cycle_id: i64, results: &[ResultRecord]) -> Result<()> {
        let mut change = Change::begin(self).await?;
        Self::move_cycle(&mut change, cycle_id, CycleState::Open, CycleState::Finalized).await?;
        // Read inside the transaction: an assessment submitted while the results were being
        // computed is caught here, and nothing is frozen.
        let pending = sqlx::query(
            "select unit_id from assessment where evaluation_cycle_id = $1 and state = 'submitted' order by unit_id",
        )
        .bind(cycle_id)
        .fetch_all(&mut *change.tx)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>(0))
        .collect::<Result<Vec<_>, _>>()?;
        if !pending.is_empty() {
            return Err(StoreError::Pending(pending));
        }
        for r in results {
            sqlx::query(
                "insert into evaluation_result (evaluation_cycle_id, unit_id, self_total, total, band, band_title, rank, \
                 explanation) values ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(cycle_id)
            .bind(r.unit_id)
            .bind(r.self_total)
            .bind(r.total)
            .bind(&r.band)
            .bind(&r.band_title)
            .bind(r.rank)
            .bind(serde_json::to_string(&r.explanation).unwrap_or_default())
            .execute(&mut *change.tx)
            .await?;
        }
        let after = json!({"state": "finalized", "results": results.len()});
        change
            .record(actor, Action::FinalizeCycle, cycle_id, None, Some(&after))
            .await?;
        change.commit().await
    }

    /// Publishes a finalized cycle.
    pub async fn publish_cycle(&self, actor: &Actor, cycle_id: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        Self::move_cycle(&mut change, cycle_id, CycleState::Finalized, CycleState::Published).await?;
        change
            .record(
                actor,
                Action::PublishCycle,
                cycle_id,
                None,
                Some(&json!({"state": "published"})),
            )
            .await?;
        change.commit().await
    }

    async fn move_cycle(change: &mut Change, id: i64, from: CycleState, to: CycleState) -> Result<()> {
        let done = sqlx::query("update evaluation_cycle set state = $1 where evaluation_cycle_id = $2 and state = $3")
            .bind(to.code())
            .bind(id)
            .bind(from.code())
            .execute(&mut *change.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("state"));
        }
        Ok(())
    }

    /// A cycle's frozen results, best rank first.
    pub async fn cycle_results(&self, cycle_id: i64) -> Result<Vec<ResultRecord>> {
        let rows = sqlx::query(
            "select evaluation_cycle_id, unit_id, self_total, total, band, band_title, rank, explanation \
             from evaluation_result where evaluation_cycle_id = $1 order by rank, unit_id",
        )
        .bind(cycle_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(result_from).collect()
    }

    /// An agency's published results over the years, the latest first, with each cycle.
    pub async fn unit_history(&self, unit_id: i64) -> Result<Vec<(CycleRecord, ResultRecord)>> {
        let rows = sqlx::query(
            "select c.evaluation_cycle_id, c.year, c.unit_group_id, c.rubric_version_id, c.self_deadline, \
             c.appraisal_deadline, c.state, r.unit_id, r.self_total, r.total, r.band, r.band_title, r.rank, r.explanation \
             from evaluation_result r join evaluation_cycle c on c.evaluation_cycle_id = r.evaluation_cycle_id \
             where r.unit_id = $1 and c.state = 'published' order by c.year desc",
        )
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((cycle_from(row)?, result_from(row)?)))
            .collect()
    }
}

/// One agency's answers in a cycle, read for scoring: what it submitted, and the final answers
/// (the appraised value where there is one, else the submitted one).
#[derive(Debug, Clone, PartialEq)]
pub struct CycleAnswers {
    pub unit_id: i64,
    /// The agency's kind code, and its group's code, for `applies_to` and `max_for`.
    pub kinds: Vec<String>,
    pub state: AssessmentState,
    pub submitted: Answers,
    pub final_answers: Answers,
}

impl CycleAnswers {
    /// The answers as the agency would have them: its own submitted values, and the appraisers'
    /// where only they score (criteria scored by the higher level, penalties, vetoes), so that
    /// the self total and the appraised total compare like with like.
    pub fn as_submitted(&self) -> Answers {
        let mut own = self.final_answers.clone();
        own.criteria
            .extend(self.submitted.criteria.iter().map(|(k, v)| (k.clone(), *v)));
        own.bonus = self.submitted.bonus.clone();
        // The agency's own counts for its bonus lines; the appraisers' for penalties.
        own.bonus_counts = self.submitted.bonus_counts.clone();
        own
    }
}

fn put(answers: &mut Answers, kind: ItemKind, id: &str, value: &str) {
    let Some(answer) = Answer::decode(value) else { return };
    match (kind, answer) {
        (ItemKind::Criterion, Answer::NotApplicable) => {
            answers.not_applicable.insert(id.to_owned());
        }
        (ItemKind::Criterion, answer) => {
            answers.criteria.insert(id.to_owned(), answer);
        }
        (ItemKind::Bonus, Answer::Points(p)) => {
            answers.bonus.insert(id.to_owned(), p);
        }
        (ItemKind::Penalty, Answer::Points(p)) => {
            answers.penalty.insert(id.to_owned(), p);
        }
        (ItemKind::Bonus, Answer::Occurrences(n)) => {
            answers.bonus_counts.insert(id.to_owned(), n);
        }
        (ItemKind::Penalty, Answer::Occurrences(n)) => {
            answers.penalty_counts.insert(id.to_owned(), n);
        }
        (ItemKind::Veto, Answer::Yes(true)) => {
            answers.vetoes.insert(id.to_owned());
        }
        _ => {}
    }
}

impl Store {
    /// Every assessment of a cycle with its answers, in one query, for scoring the whole cycle.
    ///
    /// One row per agency, its items read from the packed copy kept on the assessment row:
    /// decoding 210,000 item rows one by one cost ten times the floor (see BENCHMARKS.md).
    pub async fn cycle_answers(&self, cycle_id: i64) -> Result<Vec<CycleAnswers>> {
        let rows = sqlx::query(&format!(
            "{ANSWERS_SELECT} where a.evaluation_cycle_id = $1 order by a.unit_id"
        ))
        .bind(cycle_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(answers_from).collect()
    }

    /// One assessment's answers, read the same way, for its own page.
    pub async fn assessment_answers(&self, assessment_id: i64) -> Result<Option<CycleAnswers>> {
        let row = sqlx::query(&format!("{ANSWERS_SELECT} where a.assessment_id = $1"))
            .bind(assessment_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(answers_from).transpose()
    }
}

const ANSWERS_SELECT: &str = "select a.unit_id, a.state, u.kind as unit_kind, g.code as group_code, \
                              a.items_pack as items from assessment a join unit u on u.unit_id = a.unit_id \
                              left join unit_group g on g.unit_group_id = u.unit_group_id";

fn answers_from(row: &AnyRow) -> Result<CycleAnswers> {
    let state: String = row.try_get("state")?;
    let mut kinds = vec![row.try_get::<String, _>("unit_kind")?];
    kinds.extend(row.try_get::<Option<String>, _>("group_code")?);
    let mut current = CycleAnswers {
        unit_id: row.try_get("unit_id")?,
        kinds,
        state: AssessmentState::from_code(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("assessment state {state:?}")))?,
        submitted: Answers::default(),
        final_answers: Answers::default(),
    };
    let items: String = row.try_get("items")?;
    for item in items.split('\u{1e}').filter(|i| !i.is_empty()) {
        let mut fields = item.split('\u{1f}');
        let (Some(kind), Some(id), Some(submitted), Some(appraised)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(StoreError::Corrupt(format!("assessment item {item:?}")));
        };
        let kind = ItemKind::from_code(kind)?;
        if !submitted.is_empty() {
            put(&mut current.submitted, kind, id, submitted);
        }
        let last = if appraised.is_empty() { submitted } else { appraised };
        if !last.is_empty() {
            put(&mut current.final_answers, kind, id, last);
        }
    }
    Ok(current)
}

impl Store {
    /// Rebuilds the packed items of every assessment in a cycle from its item rows; for
    /// repairs and for bulk loads that write items directly.
    pub async fn repack_cycle(&self, actor: &Actor, cycle_id: i64) -> Result<u64> {
        let mut change = Change::begin(self).await?;
        let done = sqlx::query(&repack_sql(self.backend, "evaluation_cycle_id = $1"))
            .bind(cycle_id)
            .execute(&mut *change.tx)
            .await?;
        change
            .record(
                actor,
                Action::RepackCycle,
                cycle_id,
                None,
                Some(&json!({"assessments": done.rows_affected()})),
            )
            .await?;
        change.commit().await?;
        Ok(done.rows_affected())
    }

    /// The plain sum of the submitted points per agency, no rubric applied: the floor the
    /// scoring benchmark compares against, and a cross-check of [`Store::cycle_answers`].
    pub async fn cycle_submitted_sums(&self, cycle_id: i64) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "select a.unit_id, cast(sum(cast(substr(i.submitted_value, 3) as bigint)) as bigint) as points \
             from assessment a join assessment_item i on i.assessment_id = a.assessment_id \
             where a.evaluation_cycle_id = $1 and i.submitted_value like 'p:%' group by a.unit_id order by a.unit_id",
        )
        .bind(cycle_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("unit_id")?, row.try_get("points")?)))
            .collect()
    }
}

fn result_from(row: &AnyRow) -> Result<ResultRecord> {
    let explanation: String = row.try_get("explanation")?;
    Ok(ResultRecord {
        cycle_id: row.try_get("evaluation_cycle_id")?,
        unit_id: row.try_get("unit_id")?,
        self_total: row.try_get("self_total")?,
        total: row.try_get("total")?,
        band: row.try_get("band")?,
        band_title: row.try_get("band_title")?,
        rank: row.try_get("rank")?,
        explanation: serde_json::from_str(&explanation).map_err(|e| StoreError::Corrupt(e.to_string()))?,
    })
}
