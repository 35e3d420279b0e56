//! Directives, tasks, assignments, progress reports, the working-day calendar's adjustments,
//! reminders and the monitoring board.

use danvan_domain::audit::Action;
use danvan_domain::calendar::{Adjustment, WorkCalendar};
use danvan_domain::directive::{Deadline, TaskStatus};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::now;

pub use crate::board::{BoardFilter, StatusCounts};
use crate::{Result, Store, StoreError, get_bool, parse_date};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub content: String,
    pub monitor_unit_id: Option<i64>,
    pub deadline: Deadline,
    pub leads: Vec<i64>,
    pub supports: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDirective {
    pub document_id: Option<i64>,
    pub title: String,
    pub document_date: Date,
    pub tasks: Vec<NewTask>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRecord {
    pub id: i64,
    pub task_id: i64,
    pub directive_id: i64,
    pub directive_title: String,
    pub task_content: String,
    pub unit_id: i64,
    pub lead: bool,
    pub received_on: Date,
    pub due_on: Date,
    pub first_report_on: Option<Date>,
    pub completed_on: Option<Date>,
    /// Withdrawn from the task, or cancelled with it or its directive: kept with its reports,
    /// out of the board, the reminders and the computed figures.
    pub cancelled: Option<Cancellation>,
}

/// When and why a directive, a task or an agency's part was cancelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub on: Date,
    pub reason: String,
}

impl AssignmentRecord {
    pub fn status(&self, today: Date) -> TaskStatus {
        TaskStatus::derive(self.due_on, today, self.first_report_on, self.completed_on)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    pub id: i64,
    pub position: i64,
    pub content: String,
    pub monitor_unit_id: Option<i64>,
    pub deadline_rule: String,
    pub due_on: Option<Date>,
    pub assignments: Vec<AssignmentRecord>,
    pub cancelled: Option<Cancellation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveRecord {
    pub id: i64,
    pub document_id: Option<i64>,
    pub title: String,
    pub document_date: Date,
    pub tasks: Vec<TaskRecord>,
    pub cancelled: Option<Cancellation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveSummary {
    pub id: i64,
    /// The library document it was created from, if any.
    pub document_id: Option<i64>,
    pub title: String,
    pub document_date: Date,
    pub tasks: i64,
    pub assignments: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_sha256: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

impl Attachment {
    /// Reads the columns `file_sha256`, `file_name`, `content_type` and `size_bytes`.
    pub(crate) fn from_row(row: &AnyRow) -> Result<Attachment> {
        Ok(Attachment {
            file_sha256: row.try_get("file_sha256")?,
            file_name: row.try_get("file_name")?,
            content_type: row.try_get("content_type")?,
            size_bytes: row.try_get("size_bytes")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub reported_on: Date,
    pub percent: i64,
    pub content: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    Submitted,
    Accepted,
    Returned,
}

impl ReportStatus {
    fn from_code(code: &str) -> Result<Self> {
        match code {
            "submitted" => Ok(ReportStatus::Submitted),
            "accepted" => Ok(ReportStatus::Accepted),
            "returned" => Ok(ReportStatus::Returned),
            other => Err(StoreError::Corrupt(format!("report status {other:?}"))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "Chờ xem xét",
            ReportStatus::Accepted => "Đã chấp nhận",
            ReportStatus::Returned => "Trả lại",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRecord {
    pub id: i64,
    pub assignment_id: i64,
    pub account_id: i64,
    pub reported_on: Date,
    pub percent: i64,
    pub content: String,
    pub status: ReportStatus,
    pub review_comment: Option<String>,
    pub reviewed_at: Option<i64>,
    pub attachments: Vec<(i64, Attachment)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: i64,
    pub assignment_id: i64,
    pub kind: String,
    pub for_day: Date,
    pub emailed: bool,
}

pub(crate) const ASSIGNMENT_COLUMNS: &str = "a.assignment_id, a.task_id, a.directive_id, d.title, t.content, a.unit_id, a.role, \
     a.received_on, a.due_on, a.first_report_on, a.completed_on, a.cancelled_on, a.cancel_reason";

/// The cancellation in the row's `cancelled_on` and `cancel_reason` columns, if any.
pub(crate) fn cancellation(row: &AnyRow) -> Result<Option<Cancellation>> {
    Ok(match opt_date(row, "cancelled_on")? {
        Some(on) => Some(Cancellation {
            on,
            reason: row.try_get::<Option<String>, _>("cancel_reason")?.unwrap_or_default(),
        }),
        None => None,
    })
}

fn opt_date(row: &AnyRow, column: &str) -> Result<Option<Date>> {
    let text: Option<String> = row.try_get(column)?;
    text.as_deref().map(parse_date).transpose()
}

fn date(row: &AnyRow, column: &str) -> Result<Date> {
    parse_date(&row.try_get::<String, _>(column)?)
}

pub(crate) fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

pub(crate) fn assignment_from(row: &AnyRow) -> Result<AssignmentRecord> {
    let role: String = row.try_get("role")?;
    Ok(AssignmentRecord {
        id: row.try_get("assignment_id")?,
        task_id: row.try_get("task_id")?,
        directive_id: row.try_get("directive_id")?,
        directive_title: row.try_get("title")?,
        task_content: row.try_get("content")?,
        unit_id: row.try_get("unit_id")?,
        lead: role == "lead",
        received_on: date(row, "received_on")?,
        due_on: date(row, "due_on")?,
        first_report_on: opt_date(row, "first_report_on")?,
        completed_on: opt_date(row, "completed_on")?,
        cancelled: cancellation(row)?,
    })
}

impl Store {
    /// Creates a directive with its tasks and assignments; each agency's deadline is computed
    /// from the task's rule with the working-day calendar.
    #[tracing::instrument(skip(self, actor, directive, calendar), fields(tasks = directive.tasks.len()))]
    pub async fn create_directive(
        &self,
        actor: &Actor,
        directive: &NewDirective,
        calendar: &mut WorkCalendar,
        received_on: Date,
    ) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let now = now();
        let id: i64 = sqlx::query_scalar(
            "insert into directive (document_id, title, document_date, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $5) returning directive_id",
        )
        .bind(directive.document_id)
        .bind(&directive.title)
        .bind(iso(directive.document_date))
        .bind(&actor.name)
        .bind(now)
        .fetch_one(&mut *change.tx)
        .await?;
        for (position, task) in directive.tasks.iter().enumerate() {
            let task_due = match task.deadline {
                Deadline::WorkingDaysFromReceipt(_) => None,
                other => Some(other.due(calendar, directive.document_date, received_on)),
            };
            let task_id: i64 = sqlx::query_scalar(
                "insert into task (directive_id, position, content, monitor_unit_id, deadline_rule, due_on, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7) returning task_id",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&task.content)
            .bind(task.monitor_unit_id)
            .bind(task.deadline.code())
            .bind(task_due.map(iso))
            .bind(now)
            .fetch_one(&mut *change.tx)
            .await?;
            let due = iso(task.deadline.due(calendar, directive.document_date, received_on));
            let roles = task
                .leads
                .iter()
                .map(|u| (*u, "lead"))
                .chain(task.supports.iter().map(|u| (*u, "support")));
            for (unit_id, role) in roles {
                sqlx::query(
                    "insert into assignment (task_id, directive_id, unit_id, role, received_on, due_on, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(task_id)
                .bind(id)
                .bind(unit_id)
                .bind(role)
                .bind(iso(received_on))
                .bind(&due)
                .bind(now)
                .execute(&mut *change.tx)
                .await
                .map_err(crate::conflict_on("assignment"))?;
            }
        }
        let after = json!({
            "title": directive.title, "document_id": directive.document_id,
            "document_date": iso(directive.document_date),
            "tasks": directive.tasks.iter().map(|t| json!({
                "content": t.content, "deadline": t.deadline.code(), "leads": t.leads, "supports": t.supports,
                "monitor_unit_id": t.monitor_unit_id,
            })).collect::<Vec<_>>(),
        });
        change
            .record(actor, Action::CreateDirective, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Every directive's title, by id (the board names its rows without counting each
    /// directive's tasks and assignments, as the list does).
    pub async fn directive_titles(&self) -> Result<std::collections::HashMap<i64, String>> {
        let rows = sqlx::query("select directive_id, title from directive")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("directive_id")?, row.try_get("title")?)))
            .collect()
    }

    pub async fn list_directives(&self) -> Result<Vec<DirectiveSummary>> {
        let rows = sqlx::query(
            "select d.directive_id, d.document_id, d.title, d.document_date, \
             (select count(*) from task t where t.directive_id = d.directive_id) as tasks, \
             (select count(*) from assignment a join task t on t.task_id = a.task_id where t.directive_id = d.directive_id) \
             as assignments from directive d order by d.document_date desc, d.directive_id desc",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DirectiveSummary {
                    id: row.try_get("directive_id")?,
                    document_id: row.try_get("document_id")?,
                    title: row.try_get("title")?,
                    document_date: date(row, "document_date")?,
                    tasks: row.try_get("tasks")?,
                    assignments: row.try_get("assignments")?,
                })
            })
            .collect()
    }

    pub async fn directive(&self, id: i64) -> Result<Option<DirectiveRecord>> {
        let row = sqlx::query(
            "select directive_id, document_id, title, document_date, cancelled_on, cancel_reason from directive \
             where directive_id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let tasks = sqlx::query(
            "select task_id, position, content, monitor_unit_id, deadline_rule, due_on, cancelled_on, cancel_reason \
             from task where directive_id = $1 order by position",
        )
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let assignments = sqlx::query(&format!(
            "select {ASSIGNMENT_COLUMNS} from assignment a join task t on t.task_id = a.task_id \
             join directive d on d.directive_id = t.directive_id where t.directive_id = $1 order by a.assignment_id"
        ))
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let assignments: Vec<AssignmentRecord> = assignments.iter().map(assignment_from).collect::<Result<_>>()?;
        let tasks = tasks
            .iter()
            .map(|t| {
                let task_id: i64 = t.try_get("task_id")?;
                Ok(TaskRecord {
                    id: task_id,
                    position: t.try_get("position")?,
                    content: t.try_get("content")?,
                    monitor_unit_id: t.try_get("monitor_unit_id")?,
                    deadline_rule: t.try_get("deadline_rule")?,
                    due_on: opt_date(t, "due_on")?,
                    assignments: assignments.iter().filter(|a| a.task_id == task_id).cloned().collect(),
                    cancelled: cancellation(t)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(DirectiveRecord {
            id: row.try_get("directive_id")?,
            document_id: row.try_get("document_id")?,
            title: row.try_get("title")?,
            document_date: date(&row, "document_date")?,
            tasks,
            cancelled: cancellation(&row)?,
        }))
    }

    pub async fn assignment(&self, id: i64) -> Result<Option<AssignmentRecord>> {
        let row = sqlx::query(&format!(
            "select {ASSIGNMENT_COLUMNS} from assignment a join task t on t.task_id = a.task_id \
             join directive d on d.directive_id = t.directive_id where a.assignment_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(assignment_from).transpose()
    }

    /// An agency's assignments, the nearest deadline first.
    pub async fn assignments_of_unit(&self, unit_id: i64) -> Result<Vec<AssignmentRecord>> {
        let rows = sqlx::query(&format!(
            "select {ASSIGNMENT_COLUMNS} from assignment a join task t on t.task_id = a.task_id \
             join directive d on d.directive_id = t.directive_id where a.unit_id = $1 order by a.due_on, a.assignment_id"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(assignment_from).collect()
    }

    /// One page of assignments in id order after `after` (the API's cursor), of one agency or
    /// of all; at most `limit`.
    pub async fn assignments_page(
        &self,
        after: i64,
        unit_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AssignmentRecord>> {
        let unit = if unit_id.is_some() { "and a.unit_id = $3 " } else { "" };
        let sql = format!(
            "select {ASSIGNMENT_COLUMNS} from assignment a join task t on t.task_id = a.task_id \
             join directive d on d.directive_id = t.directive_id where a.assignment_id > $1 {unit}\
             order by a.assignment_id limit $2"
        );
        let mut query = sqlx::query(&sql).bind(after).bind(limit);
        if let Some(unit_id) = unit_id {
            query = query.bind(unit_id);
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(assignment_from).collect()
    }

    /// Records a progress report with its attachments (already stored) for an assignment.
    #[tracing::instrument(skip(self, actor, report))]
    pub async fn submit_report(&self, actor: &Actor, assignment_id: i64, report: &NewReport) -> Result<i64> {
        let account_id = actor.account_id.ok_or(StoreError::NotFound)?;
        let mut change = Change::begin(self).await?;
        let exists: Option<i64> = sqlx::query_scalar("select assignment_id from assignment where assignment_id = $1")
            .bind(assignment_id)
            .fetch_optional(&mut *change.tx)
            .await?;
        exists.ok_or(StoreError::NotFound)?;
        let id: i64 = sqlx::query_scalar(
            "insert into progress_report (assignment_id, account_id, reported_on, percent, content, status, created_at) \
             values ($1, $2, $3, $4, $5, 'submitted', $6) returning progress_report_id",
        )
        .bind(assignment_id)
        .bind(account_id)
        .bind(iso(report.reported_on))
        .bind(report.percent)
        .bind(&report.content)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?;
        for attachment in &report.attachments {
            sqlx::query(
                "insert into report_attachment (progress_report_id, file_sha256, file_name, content_type, size_bytes) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&attachment.file_sha256)
            .bind(&attachment.file_name)
            .bind(&attachment.content_type)
            .bind(attachment.size_bytes)
            .execute(&mut *change.tx)
            .await?;
        }
        sqlx::query("update assignment set first_report_on = $1 where assignment_id = $2 and first_report_on is null")
            .bind(iso(report.reported_on))
            .bind(assignment_id)
            .execute(&mut *change.tx)
            .await?;
        let after = json!({
            "assignment_id": assignment_id, "reported_on": iso(report.reported_on), "percent": report.percent,
            "content": report.content, "attachments": report.attachments.iter().map(|a| &a.file_sha256).collect::<Vec<_>>(),
        });
        change
            .record(actor, Action::SubmitProgress, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Changes a report its author has not yet had reviewed. An accepted or returned report is
    /// part of the record and cannot change: a new report is submitted instead.
    pub async fn update_report(&self, actor: &Actor, report_id: i64, percent: i64, content: &str) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let row = sqlx::query("select status, percent, content from progress_report where progress_report_id = $1")
            .bind(report_id)
            .fetch_optional(&mut *change.tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status: String = row.try_get("status")?;
        if status != "submitted" {
            return Err(StoreError::Conflict("report_reviewed"));
        }
        let before =
            json!({"percent": row.try_get::<i64, _>("percent")?, "content": row.try_get::<String, _>("content")?});
        sqlx::query("update progress_report set percent = $1, content = $2 where progress_report_id = $3")
            .bind(percent)
            .bind(content)
            .bind(report_id)
            .execute(&mut *change.tx)
            .await?;
        change
            .record(
                actor,
                Action::UpdateProgress,
                report_id,
                Some(&before),
                Some(&json!({"percent": percent, "content": content})),
            )
            .await?;
        change.commit().await
    }

    /// The monitor accepts or returns a report. Accepting a report of 100 % completes the
    /// assignment on the report's date.
    #[tracing::instrument(skip(self, actor, comment))]
    /// Returns the report's assignment.
    pub async fn review_report(&self, actor: &Actor, report_id: i64, accept: bool, comment: &str) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let row = sqlx::query(
            "select assignment_id, status, percent, reported_on from progress_report where progress_report_id = $1",
        )
        .bind(report_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let status: String = row.try_get("status")?;
        if status != "submitted" {
            return Err(StoreError::Conflict("report_reviewed"));
        }
        let assignment_id: i64 = row.try_get("assignment_id")?;
        let percent: i64 = row.try_get("percent")?;
        let reported_on: String = row.try_get("reported_on")?;
        let new_status = if accept { "accepted" } else { "returned" };
        sqlx::query(
            "update progress_report set status = $1, reviewed_by = $2, reviewed_at = $3, review_comment = $4 \
             where progress_report_id = $5",
        )
        .bind(new_status)
        .bind(actor.account_id)
        .bind(now())
        .bind(comment)
        .bind(report_id)
        .execute(&mut *change.tx)
        .await?;
        if accept && percent == 100 {
            sqlx::query("update assignment set completed_on = $1 where assignment_id = $2 and completed_on is null")
                .bind(&reported_on)
                .bind(assignment_id)
                .execute(&mut *change.tx)
                .await?;
        }
        change
            .record(
                actor,
                if accept {
                    Action::AcceptProgress
                } else {
                    Action::ReturnProgress
                },
                report_id,
                Some(&json!({"status": status})),
                Some(&json!({"status": new_status, "comment": comment})),
            )
            .await?;
        change.commit().await?;
        Ok(assignment_id)
    }

    /// Every report of an assignment, oldest first, with attachments.
    pub async fn reports_of(&self, assignment_id: i64) -> Result<Vec<ReportRecord>> {
        let rows = sqlx::query(
            "select progress_report_id, assignment_id, account_id, reported_on, percent, content, status, \
             review_comment, reviewed_at from progress_report where assignment_id = $1 order by progress_report_id",
        )
        .bind(assignment_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let attachments = sqlx::query(
            "select ra.report_attachment_id, ra.progress_report_id, ra.file_sha256, ra.file_name, ra.content_type, \
             ra.size_bytes from report_attachment ra join progress_report r on r.progress_report_id = ra.progress_report_id \
             where r.assignment_id = $1 order by ra.report_attachment_id",
        )
        .bind(assignment_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let attachments: Vec<(i64, i64, Attachment)> = attachments
            .iter()
            .map(|row| {
                Ok((
                    row.try_get("report_attachment_id")?,
                    row.try_get("progress_report_id")?,
                    Attachment::from_row(row)?,
                ))
            })
            .collect::<Result<_>>()?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("progress_report_id")?;
                Ok(ReportRecord {
                    id,
                    assignment_id: row.try_get("assignment_id")?,
                    account_id: row.try_get("account_id")?,
                    reported_on: date(row, "reported_on")?,
                    percent: row.try_get("percent")?,
                    content: row.try_get("content")?,
                    status: ReportStatus::from_code(&row.try_get::<String, _>("status")?)?,
                    review_comment: row.try_get("review_comment")?,
                    reviewed_at: row.try_get("reviewed_at")?,
                    attachments: attachments
                        .iter()
                        .filter(|(_, report, _)| *report == id)
                        .map(|(aid, _, a)| (*aid, a.clone()))
                        .collect(),
                })
            })
            .collect()
    }

    /// An attachment and the assignment it belongs to (for the permission check).
    pub async fn attachment(&self, attachment_id: i64) -> Result<Option<(i64, Attachment)>> {
        let row = sqlx::query(
            "select r.assignment_id, ra.file_sha256, ra.file_name, ra.content_type, ra.size_bytes from report_attachment ra \
             join progress_report r on r.progress_report_id = ra.progress_report_id where ra.report_attachment_id = $1",
        )
        .bind(attachment_id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|row| Ok((row.try_get("assignment_id")?, Attachment::from_row(&row)?)))
            .transpose()
    }

    /// The government's changes to the working days, every year.
    pub async fn calendar_adjustments(&self) -> Result<Vec<Adjustment>> {
        let rows = sqlx::query("select day, working, note from calendar_adjustment order by day")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Adjustment {
                    date: date(row, "day")?,
                    working: get_bool(row, "working")?,
                    note: row.try_get("note")?,
                })
            })
            .collect()
    }

    /// The working-day calendar with this installation's adjustments.
    pub async fn work_calendar(&self) -> Result<WorkCalendar> {
        Ok(WorkCalendar::new(self.calendar_adjustments().await?))
    }

    pub async fn set_calendar_adjustment(&self, actor: &Actor, adjustment: &Adjustment) -> Result<()> {
        let mut change = Change::begin(self).await?;
        sqlx::query(
            "insert into calendar_adjustment (day, working, note, created_by, created_at) values ($1, $2, $3, $4, $5) \
             on conflict (day) do update set working = excluded.working, note = excluded.note, \
             created_by = excluded.created_by, created_at = excluded.created_at",
        )
        .bind(iso(adjustment.date))
        .bind(adjustment.working)
        .bind(&adjustment.note)
        .bind(&actor.name)
        .bind(now())
        .execute(&mut *change.tx)
        .await?;
        let after = json!({"working": adjustment.working, "note": adjustment.note});
        change
            .record(actor, Action::SetCalendarDay, iso(adjustment.date), None, Some(&after))
            .await?;
        change.commit().await
    }

    pub async fn delete_calendar_adjustment(&self, actor: &Actor, day: Date) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let done = sqlx::query("delete from calendar_adjustment where day = $1")
            .bind(iso(day))
            .execute(&mut *change.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        change
            .record(actor, Action::DeleteCalendarDay, iso(day), None, None)
            .await?;
        change.commit().await
    }

    /// Claims a scheduled job for a day; only the first caller, on any server, gets `true`. A run
    /// that started more than `stale_after` seconds ago and never finished (its server stopped)
    /// can be claimed again; the jobs are written to be safe to run twice.
    pub async fn claim_job(&self, job: &str, day: Date, stale_after: i64) -> Result<bool> {
        let now = now();
        let claimed: Option<String> = sqlx::query_scalar(
            "insert into job_run (job, day, started_at) values ($1, $2, $3) on conflict (job, day) do update \
             set started_at = excluded.started_at where job_run.finished_at is null and job_run.started_at < $4 \
             returning job",
        )
        .bind(job)
        .bind(iso(day))
        .bind(now)
        .bind(now - stale_after)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        Ok(claimed.is_some())
    }

    pub async fn finish_job(&self, job: &str, day: Date) -> Result<()> {
        sqlx::query("update job_run set finished_at = $1 where job = $2 and day = $3")
            .bind(now())
            .bind(job)
            .bind(iso(day))
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    /// Open lead assignments due on or before `until` (overdue ones included), in deadline order.
    pub async fn open_assignments_due_by(&self, until: Date) -> Result<Vec<AssignmentRecord>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.open_assignments_due_by_page(until, after, 1000).await?;
            let Some(last) = page.last() else {
                return Ok(all);
            };
            after = Some((last.due_on, last.id));
            all.extend(page);
        }
    }

    /// One page of [`Store::open_assignments_due_by`]: at most `limit`, after the deadline and
    /// id `after` (the last of the previous page), so that a job walking a nation's open work
    /// holds one page in memory at a time.
    pub async fn open_assignments_due_by_page(
        &self,
        until: Date,
        after: Option<(Date, i64)>,
        limit: i64,
    ) -> Result<Vec<AssignmentRecord>> {
        let (after_day, after_id) = after.map_or((String::new(), 0), |(day, id)| (iso(day), id));
        let rows = sqlx::query(&format!(
            "select {ASSIGNMENT_COLUMNS} from assignment a join task t on t.task_id = a.task_id \
             join directive d on d.directive_id = t.directive_id \
             where a.role = 'lead' and a.cancelled_on is null and a.completed_on is null and a.due_on <= $1 \
             and (a.due_on > $2 or (a.due_on = $2 and a.assignment_id > $3)) \
             order by a.due_on, a.assignment_id limit $4"
        ))
        .bind(iso(until))
        .bind(after_day)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(assignment_from).collect()
    }

    /// An agency's reminders, newest first.
    pub async fn reminders_of_unit(&self, unit_id: i64) -> Result<Vec<Reminder>> {
        let rows = sqlx::query(
            "select r.reminder_id, r.assignment_id, r.kind, r.for_day, r.emailed_at from reminder r \
             join assignment a on a.assignment_id = r.assignment_id where a.unit_id = $1 \
             order by r.for_day desc, r.reminder_id desc limit 200",
        )
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let emailed: Option<i64> = row.try_get("emailed_at")?;
                Ok(Reminder {
                    id: row.try_get("reminder_id")?,
                    assignment_id: row.try_get("assignment_id")?,
                    kind: row.try_get("kind")?,
                    for_day: date(row, "for_day")?,
                    emailed: emailed.is_some(),
                })
            })
            .collect()
    }
}
