//! Directive use cases after issuing (issue 11): editing a task's text, extending a deadline
//! with its reason, adding an agency to a task or withdrawing one, cancelling a task or a whole
//! directive with its reason. The Department (and admins) take these steps; each checks the
//! record's state and the input here, and the store compares the state again inside the
//! transaction that makes the change and its audit record.

use danvan_domain::date;
use danvan_domain::directive::Deadline;
use danvan_store::directive::{DirectiveRecord, TaskRecord};
use danvan_store::directive_change::{CancelTarget, Scope};
use danvan_store::{Store, StoreError};
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
    within!(store, {
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
    })
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
    within!(store, {
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
    })
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
    within!(store, {
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
                StoreError::Conflict("assignment") => {
                    Refusal::Invalid(vec![format!("{} đã có trong nhiệm vụ này.", unit.name)])
                }
                other => Refusal::from_step(other),
            })
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
    within!(store, {
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
    })
}

/// The longest directive title.
pub const MAX_TITLE: usize = 300;
/// The longest progress report.
pub const MAX_REPORT: usize = 20_000;

/// Issues a directive: its tasks and, for each, the agencies that lead and support it, with
/// their deadlines counted on the working-day calendar. The Department and admins. Every
/// problem is named at once: an empty title, no task, a task without a lead agency, an agency
/// both leading and supporting, an agency unknown or not alive on the document's date, a
/// deadline before the document's date, and a deadline already past unless `past_confirmed`.
pub async fn create(
    store: &Store,
    user: &User,
    directive: &danvan_store::directive::NewDirective,
    past_confirmed: bool,
    today: Date,
) -> Result<i64, Refusal> {
    within!(store, {
        user.require(danvan_domain::role::Access::UnitManagers)?;
        let mut problems = Vec::new();
        let title = directive.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            problems.push(format!(
                "Tên chỉ đạo không được để trống và không quá {MAX_TITLE} ký tự."
            ));
        }
        if directive.tasks.is_empty() {
            problems.push("Cần ít nhất một nhiệm vụ.".to_owned());
        }
        if let Some(document_id) = directive.document_id
            && store.document(document_id).await?.is_none()
        {
            problems.push("Văn bản nguồn không tồn tại.".to_owned());
        }
        let units = store.list_units().await?;
        let alive = |id: &i64| {
            units
                .iter()
                .any(|u| u.id == *id && u.is_active_on(directive.document_date))
        };
        for (i, task) in directive.tasks.iter().enumerate() {
            let n = i + 1;
            if task.content.trim().is_empty() || task.content.chars().count() > MAX_TASK {
                problems.push(format!(
                    "Nhiệm vụ {n}: nội dung không được để trống và không quá {MAX_TASK} ký tự."
                ));
            }
            if task.leads.is_empty() {
                problems.push(format!("Nhiệm vụ {n}: chọn ít nhất một đơn vị chủ trì."));
            }
            if task
                .leads
                .iter()
                .chain(&task.supports)
                .chain(&task.monitor_unit_id)
                .any(|id| !alive(id))
            {
                problems.push(format!(
                    "Nhiệm vụ {n}: đơn vị không tồn tại hoặc không còn hoạt động vào ngày văn bản."
                ));
            }
            if task.supports.iter().any(|s| task.leads.contains(s)) {
                problems.push(format!("Nhiệm vụ {n}: một đơn vị không thể vừa chủ trì vừa phối hợp."));
            }
            if let Deadline::On(due) = task.deadline {
                if due < directive.document_date {
                    problems.push(format!(
                        "Nhiệm vụ {n}: hạn {} trước ngày văn bản {}.",
                        date::format_vn(due),
                        date::format_vn(directive.document_date)
                    ));
                } else if due < today && !past_confirmed {
                    problems.push(format!(
                        "Nhiệm vụ {n}: hạn {} đã qua (hôm nay {}); cần xác nhận giao nhiệm vụ có hạn đã qua.",
                        date::format_vn(due),
                        date::format_vn(today)
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        let mut calendar = store.work_calendar().await?;
        let id = store
            .create_directive(&user.actor(), directive, &mut calendar, today)
            .await?;
        crate::edxml::directive_issued(store, id).await?;
        Ok(id)
    })
}

/// An agency reports its progress on its part of a task, with attachments already stored.
/// Only that agency's officers, while the part stands (not withdrawn or cancelled).
pub async fn report_progress(
    store: &Store,
    user: &User,
    assignment_id: i64,
    report: &danvan_store::directive::NewReport,
) -> Result<i64, Refusal> {
    within!(store, {
        let assignment = store.assignment(assignment_id).await?.ok_or(Refusal::NotFound)?;
        if user.role != danvan_domain::Role::Officer || user.unit_id != Some(assignment.unit_id) {
            return Err(Refusal::Forbidden);
        }
        if assignment.cancelled.is_some() {
            return Err(Refusal::State(
                "Phần việc này đã được rút hoặc hủy; không nhận báo cáo nữa.".into(),
            ));
        }
        let mut problems = Vec::new();
        if !(0..=100).contains(&report.percent) {
            problems.push("Tỷ lệ hoàn thành là số từ 0 đến 100.".to_owned());
        }
        let content = report.content.trim();
        if content.is_empty() || content.chars().count() > MAX_REPORT {
            problems.push("Nội dung báo cáo không được để trống và không quá 20.000 ký tự.".to_owned());
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        store
            .submit_report(&user.actor(), assignment_id, report)
            .await
            .map_err(Refusal::from_step)
    })
}

/// The Department accepts a progress report or returns it with a reason. Returns the
/// assignment's id. A report already reviewed is refused.
pub async fn review_progress(
    store: &Store,
    user: &User,
    report_id: i64,
    accept: bool,
    comment: &str,
) -> Result<i64, Refusal> {
    within!(store, {
        if !matches!(user.role, danvan_domain::Role::Monitor | danvan_domain::Role::Admin) {
            return Err(Refusal::Forbidden);
        }
        let comment = comment.trim();
        if !accept && comment.is_empty() {
            return Err(Refusal::Invalid(vec!["Khi trả lại báo cáo, cần ghi lý do.".into()]));
        }
        if comment.chars().count() > MAX_REASON {
            return Err(Refusal::Invalid(vec![format!(
                "Nhận xét không quá {MAX_REASON} ký tự."
            )]));
        }
        match store.review_report(&user.actor(), report_id, accept, comment).await {
            Ok(assignment_id) => {
                if accept {
                    crate::edxml::report_accepted(store, report_id, assignment_id).await?;
                }
                Ok(assignment_id)
            }
            Err(StoreError::Conflict(_)) => Err(Refusal::State("Báo cáo này đã được xem xét.".into())),
            Err(other) => Err(Refusal::from_step(other)),
        }
    })
}

/// The agencies a task's own words give it, for a form prefilled from a document: "Giao X chủ
/// trì, phối hợp với Y" gives X to lead and Y to support, "Giao X theo dõi …" gives X alone;
/// a task that names nobody goes to the document's addressees (`addressees`), who lead it.
/// Returns (leads, supports), agencies alive on `on`.
pub fn task_agencies(
    content: &str,
    units: &[danvan_domain::Unit],
    on: Date,
    addressees: &[i64],
) -> (Vec<i64>, Vec<i64>) {
    let parties = danvan_domain::directive::task_parties(content);
    let resolve = |phrase: &str| {
        danvan_domain::addressee::resolve(phrase, units, on)
            .map(|r| r.unit_ids)
            .unwrap_or_default()
    };
    let named_lead = parties.lead.map(resolve).unwrap_or_default();
    if named_lead.is_empty() {
        return (addressees.to_vec(), vec![]);
    }
    let mut supports: Vec<i64> = parties
        .supports
        .iter()
        .flat_map(|p| resolve(p))
        .filter(|id| !named_lead.contains(id))
        .collect();
    supports.dedup();
    (named_lead, supports)
}
