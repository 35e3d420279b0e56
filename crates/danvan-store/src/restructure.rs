//! What a restructuring carries from an agency that ends to the one that continues its work:
//! an open assignment, a draft or returned report filing, the responsible leader. Each step is
//! its own audited change; the application layer runs them in one transaction.

use danvan_domain::audit::Action;
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{Actor, Change};
use crate::directive_change::state_changed;
use crate::{Result, Store, StoreError, conflict_on};

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

impl Store {
    /// Gives an open assignment (not completed, not cancelled) to another agency, its reports
    /// and deadline with it. Refused as a conflict when that agency already has a part in the
    /// task.
    #[tracing::instrument(skip(self, actor))]
    pub async fn move_assignment(&self, actor: &Actor, assignment_id: i64, to_unit: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let from: i64 = sqlx::query(
            "select unit_id from assignment where assignment_id = $1 and completed_on is null and cancelled_on is null",
        )
        .bind(assignment_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .ok_or_else(state_changed)?
        .try_get("unit_id")?;
        sqlx::query("update assignment set unit_id = $1 where assignment_id = $2")
            .bind(to_unit)
            .bind(assignment_id)
            .execute(&mut *change.tx)
            .await
            .map_err(conflict_on("assignment"))?;
        change
            .record(
                actor,
                Action::MoveAssignment,
                assignment_id,
                Some(&json!({ "unit_id": from })),
                Some(&json!({ "unit_id": to_unit })),
            )
            .await?;
        change.commit().await
    }

    /// Gives a report filing still in the agency's hands (a draft, or returned) to another
    /// agency. Refused as a conflict when that agency already files in the round.
    #[tracing::instrument(skip(self, actor))]
    pub async fn move_filing(&self, actor: &Actor, filing_id: i64, to_unit: i64) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let from: i64 = sqlx::query(
            "select unit_id from report_filing where report_filing_id = $1 and state in ('draft', 'returned')",
        )
        .bind(filing_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .ok_or_else(state_changed)?
        .try_get("unit_id")?;
        sqlx::query("update report_filing set unit_id = $1 where report_filing_id = $2")
            .bind(to_unit)
            .bind(filing_id)
            .execute(&mut *change.tx)
            .await
            .map_err(conflict_on("filing"))?;
        change
            .record(
                actor,
                Action::MoveFiling,
                filing_id,
                Some(&json!({ "unit_id": from })),
                Some(&json!({ "unit_id": to_unit })),
            )
            .await?;
        change.commit().await
    }

    /// Ends the leader assignment in force on `last_day` (its agency ended).
    #[tracing::instrument(skip(self, actor))]
    pub async fn end_leader(&self, actor: &Actor, leader_id: i64, last_day: Date) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let valid_from: String = sqlx::query(
            "select valid_from from responsible_leader where responsible_leader_id = $1 and valid_to is null",
        )
        .bind(leader_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .ok_or_else(state_changed)?
        .try_get("valid_from")?;
        if iso(last_day) < valid_from {
            return Err(StoreError::Conflict("valid_to"));
        }
        sqlx::query("update responsible_leader set valid_to = $1 where responsible_leader_id = $2")
            .bind(iso(last_day))
            .bind(leader_id)
            .execute(&mut *change.tx)
            .await?;
        change
            .record(
                actor,
                Action::EndLeader,
                leader_id,
                None,
                Some(&json!({ "valid_to": iso(last_day) })),
            )
            .await?;
        change.commit().await
    }
}
