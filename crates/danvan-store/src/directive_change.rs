//! Changes to a directive after it is issued (issue 11): a task's text edited, deadlines
//! extended with their reason (every change kept in `deadline_change`), an agency added to a
//! task or withdrawn from it, a task or a whole directive cancelled with its reason. Each is one
//! transaction with its audit record; each step that depends on a state compares it inside that
//! transaction (nothing cancelled is changed again), so a refused step changes nothing.
//!
//! The rules (who may, which inputs) are the application layer's (`danvan_app::directive`).

use danvan_domain::audit::Action;
use danvan_domain::calendar::WorkCalendar;
use danvan_domain::directive::Deadline;
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::audit::{Actor, Change};
use crate::directive::iso;
use crate::unit::now;
use crate::{Result, Store, StoreError};

/// One change of an agency's deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineChange {
    pub assignment_id: i64,
    pub old_due_on: Date,
    pub new_due_on: Date,
    pub reason: String,
    pub changed_by: String,
    pub created_at: i64,
}

/// The part of a task that changes: one agency's, or every agency's still in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Task(i64),
    Assignment(i64),
}

/// The compare-and-set found the record cancelled or gone: the application layer tells the user
/// the state moved on.
pub(crate) fn state_changed() -> StoreError {
    StoreError::Conflict("state")
}

impl Store {
    /// Replaces a task's text; refused once the task is cancelled.
    pub async fn edit_task(&self, actor: &Actor, task_id: i64, content: &str) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let before: Option<String> =
            sqlx::query_scalar("select content from task where task_id = $1 and cancelled_on is null")
                .bind(task_id)
                .fetch_optional(&mut *change.tx)
                .await?;
        let Some(before) = before else {
            return Err(state_changed());
        };
        sqlx::query("update task set content = $1 where task_id = $2")
            .bind(content)
            .bind(task_id)
            .execute(&mut *change.tx)
            .await?;
        change
            .record(
                actor,
                Action::EditTask,
                task_id,
                Some(&json!({ "content": before })),
                Some(&json!({ "content": content })),
            )
            .await?;
        change.commit().await
    }

    /// Moves the deadline of one agency's part, or of every open part of a task, to `new_due`,
    /// keeping each old date with the reason. Parts already done or cancelled keep theirs.
    /// Returns how many parts moved.
    pub async fn extend_task_deadline(
        &self,
        actor: &Actor,
        scope: Scope,
        new_due: Date,
        reason: &str,
    ) -> Result<usize> {
        let mut change = Change::begin(self).await?;
        let (filter, id) = match scope {
            Scope::Task(id) => ("a.task_id = $1", id),
            Scope::Assignment(id) => ("a.assignment_id = $1", id),
        };
        let rows = sqlx::query(&format!(
            "select a.assignment_id, a.due_on from assignment a join task t on t.task_id = a.task_id \
             where {filter} and a.cancelled_on is null and a.completed_on is null and t.cancelled_on is null"
        ))
        .bind(id)
        .fetch_all(&mut *change.tx)
        .await?;
        if rows.is_empty() {
            return Err(state_changed());
        }
        let now = now();
        let mut moved = Vec::new();
        for row in &rows {
            let assignment_id: i64 = row.try_get("assignment_id")?;
            let old: String = row.try_get("due_on")?;
            sqlx::query(
                "insert into deadline_change (assignment_id, old_due_on, new_due_on, reason, changed_by, created_at) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(assignment_id)
            .bind(&old)
            .bind(iso(new_due))
            .bind(reason)
            .bind(&actor.name)
            .bind(now)
            .execute(&mut *change.tx)
            .await?;
            sqlx::query("update assignment set due_on = $1 where assignment_id = $2")
                .bind(iso(new_due))
                .bind(assignment_id)
                .execute(&mut *change.tx)
                .await?;
            moved.push(json!({ "assignment_id": assignment_id, "from": old }));
        }
        if let Scope::Task(task_id) = scope {
            sqlx::query("update task set due_on = $1 where task_id = $2")
                .bind(iso(new_due))
                .bind(task_id)
                .execute(&mut *change.tx)
                .await?;
        }
        let (entity, entity_id) = match scope {
            Scope::Task(id) => (Action::ExtendTask, id),
            Scope::Assignment(id) => (Action::ExtendAssignment, id),
        };
        change
            .record(
                actor,
                entity,
                entity_id,
                Some(&json!({ "parts": moved })),
                Some(&json!({ "due_on": iso(new_due), "reason": reason })),
            )
            .await?;
        change.commit().await?;
        Ok(rows.len())
    }

    /// Adds an agency to a task (lead or coordinating) from `received_on`, due `due_on`; refused
    /// when the task is cancelled or the agency already has a part in it.
    pub async fn add_assignment(
        &self,
        actor: &Actor,
        task_id: i64,
        unit_id: i64,
        lead: bool,
        received_on: Date,
        due_on: Date,
    ) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let directive: Option<i64> =
            sqlx::query_scalar("select directive_id from task where task_id = $1 and cancelled_on is null")
                .bind(task_id)
                .fetch_optional(&mut *change.tx)
                .await?;
        let Some(directive_id) = directive else {
            return Err(state_changed());
        };
        let role = if lead { "lead" } else { "support" };
        let id: i64 = sqlx::query_scalar(
            "insert into assignment (task_id, directive_id, unit_id, role, received_on, due_on, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning assignment_id",
        )
        .bind(task_id)
        .bind(directive_id)
        .bind(unit_id)
        .bind(role)
        .bind(iso(received_on))
        .bind(iso(due_on))
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await
        .map_err(crate::conflict_on("assignment"))?;
        change
            .record(
                actor,
                Action::AddAssignment,
                id,
                None,
                Some(&json!({ "task_id": task_id, "unit_id": unit_id, "role": role, "due_on": iso(due_on) })),
            )
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Withdraws one agency's part, cancels a task (every part of it) or a whole directive (its
    /// tasks and parts), on `on` with `reason`. What was already cancelled keeps its own date and
    /// reason; the step is refused when the target itself already is.
    pub async fn cancel(&self, actor: &Actor, target: CancelTarget, on: Date, reason: &str) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let (table, key, id, parts) = match target {
            CancelTarget::Assignment(id) => ("assignment", "assignment_id", id, "assignment_id = $3"),
            CancelTarget::Task(id) => ("task", "task_id", id, "task_id = $3"),
            CancelTarget::Directive(id) => ("directive", "directive_id", id, "directive_id = $3"),
        };
        let changed = sqlx::query(&format!(
            "update {table} set cancelled_on = $1, cancel_reason = $2 where {key} = $3 and cancelled_on is null"
        ))
        .bind(iso(on))
        .bind(reason)
        .bind(id)
        .execute(&mut *change.tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(state_changed());
        }
        if !matches!(target, CancelTarget::Assignment(_)) {
            if let CancelTarget::Directive(_) = target {
                sqlx::query(
                    "update task set cancelled_on = $1, cancel_reason = $2 where directive_id = $3 and cancelled_on is null",
                )
                .bind(iso(on))
                .bind(reason)
                .bind(id)
                .execute(&mut *change.tx)
                .await?;
            }
            sqlx::query(&format!(
                "update assignment set cancelled_on = $1, cancel_reason = $2 where {parts} and cancelled_on is null"
            ))
            .bind(iso(on))
            .bind(reason)
            .bind(id)
            .execute(&mut *change.tx)
            .await?;
        }
        let action = match target {
            CancelTarget::Assignment(_) => Action::WithdrawAssignment,
            CancelTarget::Task(_) => Action::CancelTask,
            CancelTarget::Directive(_) => Action::CancelDirective,
        };
        change
            .record(
                actor,
                action,
                id,
                None,
                Some(&json!({ "cancelled_on": iso(on), "reason": reason })),
            )
            .await?;
        change.commit().await
    }

    /// The directive a task belongs to.
    pub async fn task_directive_id(&self, task_id: i64) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("select directive_id from task where task_id = $1")
            .bind(task_id)
            .fetch_optional(&mut *self.conn().await?)
            .await?)
    }

    /// Recomputes the deadline of every open agency part whose task counts working days (from
    /// the document's date or from receipt) and whose deadline is still the one its rule gave
    /// under the `before` calendar: moved to what the rule gives under `after`, with a history
    /// line (marked automatic, with `reason`) and an audit record. Deadlines written as dates,
    /// and parts whose date was set by hand (an extension, a part added at the task's extended
    /// date), never move. Returns how many parts moved.
    pub async fn recompute_working_day_deadlines(
        &self,
        actor: &Actor,
        before: &mut WorkCalendar,
        after: &mut WorkCalendar,
        reason: &str,
    ) -> Result<usize> {
        let mut change = Change::begin(self).await?;
        let rows = sqlx::query(
            "select a.assignment_id, a.task_id, a.due_on, a.received_on, t.deadline_rule, d.document_date \
             from assignment a join task t on t.task_id = a.task_id join directive d on d.directive_id = a.directive_id \
             where a.completed_on is null and a.cancelled_on is null and t.cancelled_on is null \
             and (t.deadline_rule like 'document:%' or t.deadline_rule like 'receipt:%') \
             and not exists (select 1 from deadline_change c where c.assignment_id = a.assignment_id and c.automatic = $1) \
             order by a.assignment_id",
        )
        .bind(false)
        .fetch_all(&mut *change.tx)
        .await?;
        let now = now();
        let mut moved = 0;
        for row in &rows {
            let rule: String = row.try_get("deadline_rule")?;
            let Some(deadline) = Deadline::from_code(&rule, None) else {
                continue;
            };
            let document_date = crate::parse_date(&row.try_get::<String, _>("document_date")?)?;
            let received = match row.try_get::<Option<String>, _>("received_on")? {
                Some(day) => crate::parse_date(&day)?,
                None => document_date,
            };
            let old: String = row.try_get("due_on")?;
            if iso(deadline.due(before, document_date, received)) != old {
                continue;
            }
            let new_due = iso(deadline.due(after, document_date, received));
            if new_due == old {
                continue;
            }
            let assignment_id: i64 = row.try_get("assignment_id")?;
            sqlx::query(
                "insert into deadline_change (assignment_id, old_due_on, new_due_on, reason, changed_by, created_at, \
                 automatic) values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(assignment_id)
            .bind(&old)
            .bind(&new_due)
            .bind(reason)
            .bind(&actor.name)
            .bind(now)
            .bind(true)
            .execute(&mut *change.tx)
            .await?;
            sqlx::query("update assignment set due_on = $1 where assignment_id = $2")
                .bind(&new_due)
                .bind(assignment_id)
                .execute(&mut *change.tx)
                .await?;
            if matches!(deadline, Deadline::WorkingDaysFromDocument(_)) {
                sqlx::query("update task set due_on = $1 where task_id = $2")
                    .bind(&new_due)
                    .bind(row.try_get::<i64, _>("task_id")?)
                    .execute(&mut *change.tx)
                    .await?;
            }
            change
                .record(
                    actor,
                    Action::RecomputeDeadline,
                    assignment_id,
                    Some(&json!({ "due_on": old })),
                    Some(&json!({ "due_on": new_due, "reason": reason })),
                )
                .await?;
            moved += 1;
        }
        change.commit().await?;
        Ok(moved)
    }

    /// The deadline changes of an agency's part, oldest first.
    pub async fn deadline_changes(&self, assignment_id: i64) -> Result<Vec<DeadlineChange>> {
        let rows = sqlx::query(
            "select assignment_id, old_due_on, new_due_on, reason, changed_by, created_at from deadline_change \
             where assignment_id = $1 order by created_at, deadline_change_id",
        )
        .bind(assignment_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeadlineChange {
                    assignment_id: row.try_get("assignment_id")?,
                    old_due_on: crate::parse_date(&row.try_get::<String, _>("old_due_on")?)?,
                    new_due_on: crate::parse_date(&row.try_get::<String, _>("new_due_on")?)?,
                    reason: row.try_get("reason")?,
                    changed_by: row.try_get("changed_by")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }
}

/// What a cancellation applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelTarget {
    /// One agency withdrawn from a task.
    Assignment(i64),
    Task(i64),
    Directive(i64),
}
