//! Directive use cases after issuing (issue 11): editing a task's text, extending a deadline
//! with its reason, adding an agency to a task or withdrawing one, cancelling a task or a whole
//! directive with its reason. The Department (and admins) take these steps; each checks the
//! record's state and the input here, and the store compares the state again inside the
//! transaction that makes the change and its audit record.

use danvan_domain::date;
use danvan_domain::directive::Deadline;
use danvan_store::Store;
use danvan_store::directive::{DirectiveRecord, TaskRecord};
use danvan_store::directive_change::{CancelTarget, Scope};
use time::Date;

use crate::{Refusal, User};

/// The longest reason kept with a change.
pub const MAX_REASON: usize = 1_000;
/// The longest task text.
pub const MAX_TASK: usize = 5_000;

fn may_manage(user: &User) -> Result<(), Refusal> {
    if user.role.manages_units() {
        Ok(())
    } else {
        Err(Refusal::Forbidden)
    }
}

fn reason_of(reason: &str) -> Result<String, Refusal> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::Invalid(vec!["Cần ghi lý do.".into()]));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Refusal::Invalid(vec![format!("Lý do không quá {MAX_REASON} ký tự.")]));
    }
    Ok(reason.to_owned())
}

/// The directive holding a task, with the task, refused when either is cancelled.
async fn live_task(store: &Store, task_id: i64) -> Result<(DirectiveRecord, TaskRecord), Refusal> {
    let directive_id = store.task_directive_id(task_id).await?.ok_or(Refusal::NotFound)?;
    let directive = store.directive(directive_id).await?.ok_or(Refusal::NotFound)?;
    if directive.cancelled.is_some() {
        return Err(Refusal::State("Chỉ đạo này đã bị hủy.".into()));
    }
    let task = directive
        .tasks
        .iter()
        .find(|t| t.id == task_id)
        .cloned()
        .ok_or(Refusal::NotFound)?;
    if task.cancelled.is_some() {
        return Err(Refusal::State("Nhiệm vụ này đã bị hủy.".into()));
    }
    Ok((directive, task))
}

/// Replaces a task's text.
pub async fn edit_task(store: &Store, user: &User, task_id: i64, content: &str) -> Result<(), Refusal> {
    may_manage(user)?;
    live_task(store, task_id).await?;
    let content = content.trim();
    if content.is_empty() || content.chars().count() > MAX_TASK {
        return Err(Refusal::Invalid(vec![format!(
            "Nội dung nhiệm vụ không được để trống và không quá {MAX_TASK} ký tự."
        )]));
    }
    store
        .edit_task(&user.actor(), task_id, content)
        .await
        .map_err(Refusal::from_step)
}

/// Moves a deadline later, for one agency or for every agency still working on the task, with
/// the reason; the old dates are kept. The new date must be after the current one(s), not
/// before today and not before the directive's date.
pub async fn extend_deadline(
    store: &Store,
    user: &User,
    scope: Scope,
    new_due: Date,
    reason: &str,
    today: Date,
) -> Result<usize, Refusal> {
    may_manage(user)?;
    let reason = reason_of(reason)?;
    let task_id = match scope {
        Scope::Task(id) => id,
        Scope::Assignment(id) => store.assignment(id).await?.ok_or(Refusal::NotFound)?.task_id,
    };
    let (directive, task) = live_task(store, task_id).await?;
    let open: Vec<Date> = task
        .assignments
        .iter()
        .filter(|a| a.cancelled.is_none() && a.completed_on.is_none())
        .filter(|a| matches!(scope, Scope::Task(_)) || Scope::Assignment(a.id) == scope)
        .map(|a| a.due_on)
        .collect();
    let Some(latest) = open.iter().max().copied() else {
        return Err(Refusal::State(
            "Không còn đơn vị nào đang thực hiện để gia hạn (đã hoàn thành hoặc đã rút).".into(),
        ));
    };
    let mut problems = Vec::new();
    if new_due <= latest {
        problems.push(format!("Hạn mới phải sau hạn hiện tại ({}).", date::format_vn(latest)));
    }
    if new_due < today {
        problems.push("Hạn mới đã qua; hãy chọn từ hôm nay trở đi.".into());
    }
    if new_due < directive.document_date {
        problems.push("Hạn mới không được trước ngày văn bản.".into());
    }
    if !problems.is_empty() {
        return Err(Refusal::Invalid(problems));
    }
    store
        .extend_task_deadline(&user.actor(), scope, new_due, &reason)
        .await
        .map_err(Refusal::from_step)
}

/// Adds an agency to a task, as lead or coordinating, received today; its deadline is the
/// task's date, or counted from today when the task's rule counts from receipt.
pub async fn add_agency(
    store: &Store,
    user: &User,
    task_id: i64,
    unit_id: i64,
    lead: bool,
    today: Date,
) -> Result<i64, Refusal> {
    may_manage(user)?;
    let (directive, task) = live_task(store, task_id).await?;
    let unit = store.unit(unit_id).await?.ok_or(Refusal::NotFound)?;
    if !unit.is_active_on(today) {
        return Err(Refusal::Invalid(vec![format!(
            "{} không còn hoạt động ngày {}.",
            unit.name,
            date::format_vn(today)
        )]));
    }
    if task.assignments.iter().any(|a| a.unit_id == unit_id) {
        return Err(Refusal::Invalid(vec![format!(
            "{} đã có trong nhiệm vụ này.",
            unit.name
        )]));
    }
    let due = match (task.due_on, Deadline::from_code(&task.deadline_rule, task.due_on)) {
        (Some(due), _) => due,
        (None, Some(rule)) => {
            let mut calendar = store.work_calendar().await?;
            rule.due(&mut calendar, directive.document_date, today)
        }
        (None, None) => return Err(Refusal::State("Không đọc được thời hạn của nhiệm vụ.".into())),
    };
    store
        .add_assignment(&user.actor(), task_id, unit_id, lead, today, due)
        .await
        .map_err(|e| match e {
            danvan_store::StoreError::Conflict("assignment") => {
                Refusal::Invalid(vec![format!("{} đã có trong nhiệm vụ này.", unit.name)])
            }
            other => Refusal::from_step(other),
        })
}

/// Withdraws an agency from a task, cancels a task, or cancels a whole directive, today, with
/// the reason. What is cancelled leaves the board, the reminders, the work queues and the
/// computed figures; its reports stay.
pub async fn cancel(
    store: &Store,
    user: &User,
    target: CancelTarget,
    reason: &str,
    today: Date,
) -> Result<(), Refusal> {
    may_manage(user)?;
    let reason = reason_of(reason)?;
    match target {
        CancelTarget::Assignment(id) => {
            let assignment = store.assignment(id).await?.ok_or(Refusal::NotFound)?;
            live_task(store, assignment.task_id).await?;
            if assignment.cancelled.is_some() {
                return Err(Refusal::State("Đơn vị này đã được rút khỏi nhiệm vụ.".into()));
            }
        }
        CancelTarget::Task(id) => {
            live_task(store, id).await?;
        }
        CancelTarget::Directive(id) => {
            let directive = store.directive(id).await?.ok_or(Refusal::NotFound)?;
            if directive.cancelled.is_some() {
                return Err(Refusal::State("Chỉ đạo này đã bị hủy.".into()));
            }
        }
    }
    store
        .cancel(&user.actor(), target, today, &reason)
        .await
        .map_err(Refusal::from_step)
}
