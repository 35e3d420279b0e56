//! Directives and their tasks: creating one from a document or by hand, following each
//! agency's assignment, progress reports with attachments, the monitor's review, the
//! monitoring board and its export, and the working-day calendar.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::calendar::Adjustment;
use danvan_domain::directive::{Deadline, TaskStatus, monitor_phrase, task_parties};
use danvan_domain::unit::Unit;
use danvan_domain::{Role, addressee, collation, date};
use danvan_store::StoreError;
use danvan_store::directive::{AssignmentRecord, BoardFilter, NewDirective, NewReport, NewTask, StatusCounts};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::documents::resolve_addressee;
use crate::pages::{render, render_invalid};
use crate::upload_check::{check_files, store_files};
use crate::view::Layout;
use crate::xlsx::{self, Cell};

/// The largest attachment accepted, and the most per report.
const MAX_ATTACHMENTS: usize = 5;

fn unit_names(units: &[Unit]) -> HashMap<i64, String> {
    units.iter().map(|u| (u.id, u.short_name.clone())).collect()
}

pub struct StatusView {
    label: &'static str,
    code: &'static str,
}

fn status_view(status: TaskStatus) -> StatusView {
    StatusView {
        label: status.label(),
        code: status.code(),
    }
}

pub struct DirectiveRow {
    id: i64,
    title: String,
    date: String,
    tasks: i64,
    assignments: i64,
}

#[derive(Template)]
#[template(path = "directives/list.html")]
pub struct DirectiveListPage {
    layout: Layout,
    rows: Vec<DirectiveRow>,
    can_create: bool,
    own: Vec<AssignmentRow>,
}

pub struct AssignmentRow {
    pub(crate) id: i64,
    pub(crate) unit: String,
    pub(crate) lead: bool,
    directive: String,
    task: String,
    due: String,
    status: StatusView,
    /// "Dừng thực hiện ngày …: lý do" (withdrawn, or cancelled with its task or directive); empty
    /// when active.
    pub(crate) cancelled: String,
    /// Still being carried out: can be extended or withdrawn.
    pub(crate) open: bool,
}

pub(crate) fn cancelled_text(c: &danvan_store::directive::Cancellation, what: &str) -> String {
    format!("{what} ngày {}: {}", date::format_vn(c.on), c.reason)
}

fn assignment_row(a: &AssignmentRecord, names: &HashMap<i64, String>, today: time::Date) -> AssignmentRow {
    AssignmentRow {
        id: a.id,
        unit: names.get(&a.unit_id).cloned().unwrap_or_default(),
        lead: a.lead,
        directive: a.directive_title.clone(),
        task: a.task_content.clone(),
        due: date::format_vn(a.due_on),
        status: status_view(a.status(today)),
        cancelled: a
            .cancelled
            .as_ref()
            .map(|c| cancelled_text(c, "Dừng thực hiện"))
            .unwrap_or_default(),
        open: a.cancelled.is_none() && a.completed_on.is_none(),
    }
}

pub async fn list_directives(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let today = state.clock.today();
    let units = state.store.list_units().await?;
    let names = unit_names(&units);
    let own = match user.unit_id {
        Some(unit_id) => state
            .store
            .assignments_of_unit(unit_id)
            .await?
            .iter()
            .map(|a| assignment_row(a, &names, today))
            .collect(),
        None => vec![],
    };
    // Officers see the directives that assign them something; the others see all.
    let mut directives = state.store.list_directives().await?;
    if !user.role.sees_all() {
        let mine: Vec<i64> = match user.unit_id {
            Some(unit_id) => state
                .store
                .assignments_of_unit(unit_id)
                .await?
                .iter()
                .map(|a| a.directive_id)
                .collect(),
            None => vec![],
        };
        directives.retain(|d| mine.contains(&d.id));
    }
    let rows = directives
        .into_iter()
        .map(|d| DirectiveRow {
            id: d.id,
            title: d.title,
            date: date::format_vn(d.document_date),
            tasks: d.tasks,
            assignments: d.assignments,
        })
        .collect();
    render(&DirectiveListPage {
        layout: Layout::new(&state, Some(&user), "directives"),
        rows,
        can_create: user.role.manages_units(),
        own,
    })
}

pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

pub struct TaskForm {
    index: usize,
    content: String,
    deadline_kind: String,
    deadline_date: String,
    deadline_days: String,
    monitor: Vec<Choice>,
    leads: Vec<Choice>,
    supports: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "directives/new.html")]
pub struct NewDirectivePage {
    layout: Layout,
    document_id: String,
    title: String,
    document_date: String,
    tasks: Vec<TaskForm>,
    errors: Vec<String>,
    /// A deadline is already past: the form asks for it to be confirmed.
    confirm_past: bool,
}

fn choices(units: &[&Unit], selected: &[i64]) -> Vec<Choice> {
    units
        .iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.name.clone(),
            selected: selected.contains(&u.id),
        })
        .collect()
}

/// The agencies alive on a day, in Vietnamese order.
fn alive_on(units: &[Unit], day: time::Date) -> Vec<&Unit> {
    let mut alive: Vec<&Unit> = units.iter().filter(|u| u.is_active_on(day)).collect();
    collation::sort_by_key(&mut alive, |u| &u.name);
    alive
}

#[derive(Debug, Default, Deserialize)]
pub struct NewDirectiveQuery {
    #[serde(default)]
    document: Option<i64>,
}

/// The form, filled from a document when one is given: its numbered items become tasks, its
/// addressees the lead agencies, and a task that names its monitor gets it.
pub async fn new_directive_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NewDirectiveQuery>,
) -> Result<Response, AppError> {
    let units = state.store.list_units().await?;
    let mut page = NewDirectivePage {
        layout: Layout::new(&state, Some(&user), "directives"),
        document_id: String::new(),
        title: String::new(),
        document_date: date::format_vn(state.clock.today()),
        tasks: vec![],
        errors: vec![],
        confirm_past: false,
    };
    let mut contents: Vec<String> = vec![String::new(); 3];
    let mut leads: Vec<i64> = vec![];
    let mut on = state.clock.today();
    if let Some(id) = query.document {
        let doc = state.store.document(id).await?.ok_or(AppError::NotFound)?;
        on = doc.summary.issued_on.unwrap_or(on);
        page.document_id = id.to_string();
        page.title = match (&doc.summary.number, &doc.summary.symbol) {
            (Some(n), Some(s)) => format!(
                "{} số {}",
                doc.summary.doc_type.as_deref().unwrap_or("Văn bản"),
                danvan_domain::document::display_number(n, s)
            ),
            _ => doc.summary.subject.clone().unwrap_or_default(),
        };
        page.document_date = date::format_vn(on);
        contents = if doc.tasks.is_empty() {
            vec![doc.summary.subject.clone().unwrap_or_default()]
        } else {
            doc.tasks.clone()
        };
        for recipient in &doc.recipients {
            let (ids, _) = resolve_addressee(&state, recipient, &units, on).await?;
            leads.extend(ids);
        }
    }
    let alive = alive_on(&units, on);
    page.tasks = contents
        .iter()
        .enumerate()
        .map(|(index, content)| {
            let monitor = monitor_phrase(content)
                .and_then(|phrase| addressee::resolve(phrase, &units, on))
                .and_then(|r| r.unit_ids.first().copied());
            // Whom the task's own words name ("Giao X chủ trì, phối hợp với Y", "Giao X theo
            // dõi"): they, not every addressee, carry it; a monitoring task goes to X alone.
            let parties = task_parties(content);
            let resolve = |phrase: &str| {
                addressee::resolve(phrase, &units, on)
                    .map(|r| r.unit_ids)
                    .unwrap_or_default()
            };
            let named_lead = parties.lead.map(resolve).unwrap_or_default();
            let (task_leads, task_supports) = if named_lead.is_empty() {
                (leads.clone(), vec![])
            } else {
                let supports: Vec<i64> = parties
                    .supports
                    .iter()
                    .flat_map(|p| resolve(p))
                    .filter(|id| !named_lead.contains(id))
                    .collect();
                (named_lead, supports)
            };
            TaskForm {
                index,
                content: content.clone(),
                deadline_kind: "document".into(),
                deadline_date: String::new(),
                deadline_days: "30".into(),
                monitor: choices(&alive, &monitor.into_iter().collect::<Vec<_>>()),
                leads: choices(&alive, &task_leads),
                supports: choices(&alive, &task_supports),
            }
        })
        .collect();
    render(&page)
}

/// Reads the directive form, whose tasks repeat fields with an index (`content_0`, `lead_0` …).
/// What the form held, to show it again with its errors.
struct FormState {
    document_id: String,
    title: String,
    document_date: String,
    tasks: Vec<TaskForm>,
    /// A deadline is past and was not confirmed.
    past: bool,
}

fn read_directive_form(
    body: &[u8],
    units: &[Unit],
    today: time::Date,
) -> (FormState, Result<NewDirective, Vec<String>>) {
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    for (key, value) in form_urlencoded::parse(body) {
        fields.entry(key.into_owned()).or_default().push(value.into_owned());
    }
    let one = |key: &str| fields.get(key).and_then(|v| v.first()).cloned().unwrap_or_default();
    let ids = |key: &str| -> Vec<i64> {
        fields
            .get(key)
            .map(|v| v.iter().filter_map(|x| x.parse().ok()).collect())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let title = one("title").split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || title.chars().count() > 300 {
        errors.push("Tên chỉ đạo không được để trống và không quá 300 ký tự.".to_owned());
    }
    let document_date = date::parse(&one("document_date"));
    if document_date.is_none() {
        errors.push("Ngày văn bản không hợp lệ; nhập theo dạng ngày/tháng/năm.".to_owned());
    }
    let document_id = one("document_id").parse::<i64>().ok();
    let alive = alive_on(units, document_date.unwrap_or(time::Date::MIN));
    let known = |id: &i64| units.iter().any(|u| u.id == *id);
    let mut tasks = Vec::new();
    let mut forms = Vec::new();
    let mut past = false;
    for index in 0..50 {
        let key = |name: &str| format!("{name}_{index}");
        if !fields.contains_key(&key("content")) {
            break;
        }
        let content = one(&key("content")).trim().to_owned();
        let kind = one(&key("deadline_kind"));
        let deadline_date = one(&key("deadline_date"));
        let deadline_days = one(&key("deadline_days"));
        let monitor = one(&key("monitor")).parse::<i64>().ok();
        let leads = ids(&key("lead"));
        let supports = ids(&key("support"));
        forms.push(TaskForm {
            index,
            content: content.clone(),
            deadline_kind: kind.clone(),
            deadline_date: deadline_date.clone(),
            deadline_days: deadline_days.clone(),
            monitor: choices(&alive, &monitor.into_iter().collect::<Vec<_>>()),
            leads: choices(&alive, &leads),
            supports: choices(&alive, &supports),
        });
        // An empty row is a row the user did not need.
        if content.is_empty() {
            continue;
        }
        let n = tasks.len() + 1;
        let deadline = Deadline::parse(&kind, &deadline_date, &deadline_days);
        if deadline.is_none() {
            errors.push(format!(
                "Nhiệm vụ {n}: thời hạn không hợp lệ (ngày dd/mm/yyyy, hoặc 1–365 ngày làm việc)."
            ));
        }
        if leads.is_empty() {
            errors.push(format!("Nhiệm vụ {n}: chọn ít nhất một đơn vị chủ trì."));
        }
        if leads.iter().chain(&supports).chain(&monitor).any(|id| !known(id)) {
            errors.push(format!("Nhiệm vụ {n}: đơn vị không tồn tại."));
        }
        if supports.iter().any(|s| leads.contains(s)) {
            errors.push(format!("Nhiệm vụ {n}: một đơn vị không thể vừa chủ trì vừa phối hợp."));
        }
        if let (Some(Deadline::On(due)), Some(issued)) = (deadline, document_date) {
            if due < issued {
                errors.push(format!(
                    "Nhiệm vụ {n}: hạn {} trước ngày văn bản {}.",
                    date::format_vn(due),
                    date::format_vn(issued)
                ));
            } else if due < today && one("confirm_past") != "1" {
                past = true;
                errors.push(format!(
                    "Nhiệm vụ {n}: hạn {} đã qua (hôm nay {}); nếu đúng là vậy, đánh dấu \"Xác nhận giao nhiệm vụ có hạn đã qua\" rồi lưu lại.",
                    date::format_vn(due),
                    date::format_vn(today)
                ));
            }
        }
        if let Some(deadline) = deadline {
            tasks.push(NewTask {
                content,
                monitor_unit_id: monitor,
                deadline,
                leads,
                supports,
            });
        }
    }
    if tasks.is_empty() {
        errors.push("Cần ít nhất một nhiệm vụ.".to_owned());
    }
    let page_title = title.clone();
    let result = match (document_date, errors.is_empty()) {
        (Some(document_date), true) => Ok(NewDirective {
            document_id,
            title,
            document_date,
            tasks,
        }),
        _ => Err(errors),
    };
    let state = FormState {
        document_id: document_id.map(|d| d.to_string()).unwrap_or_default(),
        title: page_title,
        document_date: one("document_date"),
        tasks: forms,
        past,
    };
    (state, result)
}

pub async fn create_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, AppError> {
    let units = state.store.list_units().await?;
    let (form, parsed) = read_directive_form(&body, &units, state.clock.today());
    let mut page = NewDirectivePage {
        layout: Layout::new(&state, Some(&user), "directives"),
        document_id: form.document_id,
        title: form.title,
        document_date: form.document_date,
        tasks: form.tasks,
        errors: vec![],
        confirm_past: form.past,
    };
    let directive = match parsed {
        Ok(directive) => directive,
        Err(errors) => {
            page.errors = errors;
            return render_invalid(&page);
        }
    };
    if let Some(document_id) = directive.document_id
        && state.store.document(document_id).await?.is_none()
    {
        page.errors = vec!["Văn bản nguồn không tồn tại.".into()];
        return render_invalid(&page);
    }
    let mut calendar = state.store.work_calendar().await?;
    let id = state
        .store
        .create_directive(&user.actor(ip), &directive, &mut calendar, state.clock.today())
        .await?;
    Ok(Redirect::to(&format!("/directives/{id}")).into_response())
}

pub struct TaskView {
    id: i64,
    number: i64,
    content: String,
    deadline: String,
    monitor: String,
    assignments: Vec<AssignmentRow>,
    /// "Đã hủy ngày …: lý do"; empty when the task stands.
    cancelled: String,
    /// Agencies that may be added (active, not yet in the task), for the Department's form.
    addable: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "directives/show.html")]
pub struct DirectivePage {
    layout: Layout,
    id: i64,
    title: String,
    date: String,
    document_id: Option<i64>,
    tasks: Vec<TaskView>,
    cancelled: String,
    /// The Department (and admins) change the directive after issuing it.
    can_change: bool,
    errors: Vec<String>,
    typed: crate::pages::directive_changes::Typed,
}

fn describe_rule(rule: &str, due: Option<time::Date>) -> String {
    match rule.split_once(':') {
        Some(("document", n)) => format!("{n} ngày làm việc kể từ ngày văn bản"),
        Some(("receipt", n)) => format!("{n} ngày làm việc kể từ ngày nhận"),
        _ => due.map(|d| format!("ngày {}", date::format_vn(d))).unwrap_or_default(),
    }
}

pub async fn show_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&directive_page(&state, &user, id, vec![], Default::default()).await?)
}

/// The directive as `user` may see it; `errors` and `typed` give back a change that was refused
/// with what was typed into its form.
pub(crate) async fn directive_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: Vec<String>,
    typed: crate::pages::directive_changes::Typed,
) -> Result<DirectivePage, AppError> {
    let directive = state.store.directive(id).await?.ok_or(AppError::NotFound)?;
    let visible = |a: &AssignmentRecord| user.sees_unit(a.unit_id);
    if !user.role.sees_all() && !directive.tasks.iter().flat_map(|t| &t.assignments).any(visible) {
        return Err(AppError::Forbidden);
    }
    let today = state.clock.today();
    let units = state.store.list_units().await?;
    let names = unit_names(&units);
    let tasks = directive
        .tasks
        .iter()
        .map(|t| {
            let mut rows: Vec<AssignmentRow> = t
                .assignments
                .iter()
                .filter(|a| visible(a))
                .map(|a| assignment_row(a, &names, today))
                .collect();
            rows.sort_by(|a, b| b.lead.cmp(&a.lead).then_with(|| collation::compare(&a.unit, &b.unit)));
            let mut addable: Vec<(i64, String)> = units
                .iter()
                .filter(|u| u.is_active_on(today) && u.kind != danvan_domain::UnitKind::ProvincialCommittee)
                .filter(|u| !t.assignments.iter().any(|a| a.unit_id == u.id))
                .map(|u| (u.id, u.name.clone()))
                .collect();
            collation::sort_by_key(&mut addable, |(_, name)| name.as_str());
            TaskView {
                id: t.id,
                cancelled: t
                    .cancelled
                    .as_ref()
                    .map(|c| cancelled_text(c, "Đã hủy"))
                    .unwrap_or_default(),
                addable,
                number: t.position + 1,
                content: t.content.clone(),
                deadline: describe_rule(&t.deadline_rule, t.due_on),
                monitor: t
                    .monitor_unit_id
                    .and_then(|m| names.get(&m).cloned())
                    .unwrap_or_default(),
                assignments: rows,
            }
        })
        .collect();
    Ok(DirectivePage {
        layout: Layout::new(state, Some(user), "directives"),
        id,
        title: directive.title,
        date: date::format_vn(directive.document_date),
        document_id: directive.document_id,
        can_change: user.role.manages_units() && directive.cancelled.is_none(),
        cancelled: directive
            .cancelled
            .as_ref()
            .map(|c| cancelled_text(c, "Đã hủy"))
            .unwrap_or_default(),
        tasks,
        errors,
        typed,
    })
}

pub struct ReportView {
    id: i64,
    date: String,
    percent: i64,
    content: String,
    status: &'static str,
    reviewable: bool,
    comment: String,
    attachments: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "directives/assignment.html")]
pub struct AssignmentPage {
    layout: Layout,
    assignment: AssignmentRow,
    directive_id: i64,
    received: String,
    overdue_days: i64,
    reports: Vec<ReportView>,
    can_report: bool,
    errors: Vec<String>,
    today: String,
    /// Every change of this agency's deadline: from, to, reason, by whom and when.
    deadline_changes: Vec<[String; 5]>,
    /// The Department may extend or withdraw this part (it is still being carried out).
    can_change: bool,
}

async fn assignment_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: Vec<String>,
) -> Result<AssignmentPage, AppError> {
    let assignment = state.store.assignment(id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(assignment.unit_id) {
        return Err(AppError::Forbidden);
    }
    let today = state.clock.today();
    let units = state.store.list_units().await?;
    let names = unit_names(&units);
    let can_review = matches!(user.role, Role::Monitor | Role::Admin);
    let reports = state
        .store
        .reports_of(id)
        .await?
        .into_iter()
        .map(|r| ReportView {
            id: r.id,
            date: date::format_vn(r.reported_on),
            percent: r.percent,
            content: r.content,
            status: r.status.label(),
            reviewable: can_review && r.status == danvan_store::directive::ReportStatus::Submitted,
            comment: r.review_comment.unwrap_or_default(),
            attachments: r.attachments.into_iter().map(|(aid, a)| (aid, a.file_name)).collect(),
        })
        .collect();
    let mut calendar = state.store.work_calendar().await?;
    let status = assignment.status(today);
    let overdue_days = if status == TaskStatus::Overdue {
        calendar.working_days_between(assignment.due_on, today)
    } else {
        0
    };
    let deadline_changes = state
        .store
        .deadline_changes(id)
        .await?
        .into_iter()
        .map(|c| {
            [
                date::format_vn(c.old_due_on),
                date::format_vn(c.new_due_on),
                c.reason,
                c.changed_by,
                crate::view::format_instant(c.created_at),
            ]
        })
        .collect();
    let task_live = match state.store.directive(assignment.directive_id).await? {
        Some(d) => {
            d.cancelled.is_none()
                && d.tasks
                    .iter()
                    .any(|t| t.id == assignment.task_id && t.cancelled.is_none())
        }
        None => false,
    };
    Ok(AssignmentPage {
        layout: Layout::new(state, Some(user), "directives"),
        deadline_changes,
        can_change: user.role.manages_units()
            && task_live
            && assignment.cancelled.is_none()
            && assignment.completed_on.is_none(),
        directive_id: assignment.directive_id,
        received: date::format_vn(assignment.received_on),
        overdue_days,
        can_report: user.unit_id == Some(assignment.unit_id)
            && assignment.completed_on.is_none()
            && assignment.cancelled.is_none()
            && task_live,
        errors,
        today: date::format_vn(today),
        assignment: assignment_row(&assignment, &names, today),
        reports,
    })
}

pub async fn show_assignment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&assignment_page(&state, &user, id, vec![]).await?)
}

/// The lead or supporting agency reports progress, with attachments.
pub async fn submit_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let assignment = state.store.assignment(id).await?.ok_or(AppError::NotFound)?;
    if user.unit_id != Some(assignment.unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut percent = String::new();
    let mut content = String::new();
    let mut files: Vec<(String, Bytes)> = Vec::new();
    let mut errors = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu tải lên không hợp lệ."))?
    {
        match field.name() {
            Some("percent") => percent = field.text().await.unwrap_or_default(),
            Some("content") => content = field.text().await.unwrap_or_default(),
            Some("attachment") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("Tệp đính kèm quá lớn hoặc bị lỗi."))?;
                if !bytes.is_empty() {
                    files.push((name, bytes));
                }
            }
            _ => {}
        }
    }
    let percent: Option<i64> = percent.trim().parse().ok().filter(|p| (0..=100).contains(p));
    if percent.is_none() {
        errors.push("Tỷ lệ hoàn thành là số từ 0 đến 100.".to_owned());
    }
    let content = content.trim().to_owned();
    if content.is_empty() || content.chars().count() > 20_000 {
        errors.push("Nội dung báo cáo không được để trống và không quá 20.000 ký tự.".to_owned());
    }
    if files.len() > MAX_ATTACHMENTS {
        errors.push(format!("Tối đa {MAX_ATTACHMENTS} tệp đính kèm mỗi báo cáo."));
    }
    let attachments = check_files(&state.heavy, &files, &mut errors).await?;
    let incoming = files.iter().map(|(_, b)| b.len()).sum();
    crate::pages::check_quota(&state, assignment.unit_id, incoming, &mut errors).await?;
    if !errors.is_empty() {
        return render_invalid(&assignment_page(&state, &user, id, errors).await?);
    }
    let stored = store_files(&state.store, attachments).await?;
    let report = NewReport {
        reported_on: state.clock.today(),
        percent: percent.unwrap_or(0),
        content,
        attachments: stored,
    };
    state.store.submit_report(&user.actor(ip), id, &report).await?;
    Ok(Redirect::to(&format!("/assignments/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// The monitor accepts or returns a report.
pub async fn review_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ReviewForm>,
) -> Result<Response, AppError> {
    if !matches!(user.role, Role::Monitor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let accept = match form.decision.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(AppError::BadRequest("Chọn chấp nhận hoặc trả lại báo cáo.")),
    };
    let comment = form.comment.trim();
    if !accept && comment.is_empty() {
        return Err(AppError::BadRequest("Khi trả lại báo cáo, cần ghi lý do."));
    }
    match state.store.review_report(&user.actor(ip), id, accept, comment).await {
        Ok(assignment_id) => Ok(Redirect::to(&format!("/assignments/{assignment_id}")).into_response()),
        Err(StoreError::Conflict(_)) => Err(AppError::BadRequest("Báo cáo này đã được xem xét.")),
        Err(other) => Err(other.into()),
    }
}

pub async fn download_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (assignment_id, attachment) = state.store.attachment(id).await?.ok_or(AppError::NotFound)?;
    let assignment = state.store.assignment(assignment_id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(assignment.unit_id) {
        return Err(AppError::Forbidden);
    }
    crate::pages::send_attachment(&state.store, &attachment, &format!("dinh-kem-{id}")).await
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct BoardQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    unit: String,
}

pub struct BoardRow {
    name: String,
    group: String,
    counts: StatusCounts,
    rate: String,
}

pub struct OverdueRow {
    id: i64,
    unit: String,
    directive: String,
    task: String,
    due: String,
    due_on: time::Date,
    days: i64,
}

#[derive(Template)]
#[template(path = "directives/board.html")]
pub struct BoardPage {
    layout: Layout,
    query: BoardQuery,
    groups: Vec<Choice>,
    units: Vec<Choice>,
    by_unit: Vec<BoardRow>,
    by_directive: Vec<BoardRow>,
    overdue: Vec<OverdueRow>,
    export_query: String,
    errors: Vec<&'static str>,
    /// The statuses' names, in the order of the columns: one vocabulary, the domain's.
    status_labels: Vec<&'static str>,
    rate_definition: &'static str,
}

struct BoardData {
    by_unit: Vec<BoardRow>,
    by_directive: Vec<BoardRow>,
    overdue: Vec<OverdueRow>,
    errors: Vec<&'static str>,
}

fn rate(counts: &StatusCounts) -> String {
    counts
        .on_time_rate()
        .map(|r| format!("{r:.0} %"))
        .unwrap_or_else(|| "—".into())
}

async fn board_data(state: &AppState, query: &BoardQuery) -> Result<BoardData, AppError> {
    let mut errors = Vec::new();
    let mut day = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = date::parse(text);
        if parsed.is_none() {
            errors.push("Ngày lọc không hợp lệ; nhập theo dạng ngày/tháng/năm.");
        }
        parsed
    };
    let filter = BoardFilter {
        due_from: day(&query.from),
        due_to: day(&query.to),
        group_id: query.group.parse().ok(),
        unit_id: query.unit.parse().ok(),
        directive_id: None,
    };
    let today = state.clock.today();
    let units = state.store.list_units().await?;
    let groups: HashMap<i64, String> = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let by_unit_ids: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    let mut by_unit: Vec<BoardRow> = state
        .store
        .board_counts(&filter, today, false)
        .await?
        .into_iter()
        .map(|counts| {
            let unit = by_unit_ids.get(&counts.key);
            BoardRow {
                name: unit.map(|u| u.name.clone()).unwrap_or_default(),
                group: unit
                    .and_then(|u| u.group_id)
                    .and_then(|g| groups.get(&g).cloned())
                    .unwrap_or_default(),
                rate: rate(&counts),
                counts,
            }
        })
        .collect();
    collation::sort_by_key(&mut by_unit, |r| &r.name);
    let titles: HashMap<i64, String> = state
        .store
        .list_directives()
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    let by_directive = state
        .store
        .board_counts(&filter, today, true)
        .await?
        .into_iter()
        .map(|counts| BoardRow {
            name: titles.get(&counts.key).cloned().unwrap_or_default(),
            group: String::new(),
            rate: rate(&counts),
            counts,
        })
        .collect();
    let names = unit_names(&units);
    let mut calendar = state.store.work_calendar().await?;
    let overdue = state
        .store
        .overdue_assignments(&filter, today, 500)
        .await?
        .into_iter()
        .map(|a| OverdueRow {
            id: a.id,
            unit: names.get(&a.unit_id).cloned().unwrap_or_default(),
            directive: a.directive_title.clone(),
            task: a.task_content.clone(),
            due: date::format_vn(a.due_on),
            due_on: a.due_on,
            days: calendar.working_days_between(a.due_on, today),
        })
        .collect();
    Ok(BoardData {
        by_unit,
        by_directive,
        overdue,
        errors,
    })
}

pub async fn show_board(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let data = board_data(&state, &query).await?;
    let units = state.store.list_units().await?;
    let alive = alive_on(&units, state.clock.today());
    let group_choices = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| Choice {
            selected: query.group == g.id.to_string(),
            value: g.id.to_string(),
            label: g.name,
        })
        .collect();
    let unit_choices = alive
        .iter()
        .map(|u| Choice {
            selected: query.unit == u.id.to_string(),
            value: u.id.to_string(),
            label: u.name.clone(),
        })
        .collect();
    let export_query = form_urlencoded::Serializer::new(String::new())
        .append_pair("from", &query.from)
        .append_pair("to", &query.to)
        .append_pair("group", &query.group)
        .append_pair("unit", &query.unit)
        .finish();
    render(&BoardPage {
        layout: Layout::new(&state, Some(&user), "board"),
        groups: group_choices,
        units: unit_choices,
        by_unit: data.by_unit,
        by_directive: data.by_directive,
        overdue: data.overdue,
        errors: data.errors,
        export_query,
        query,
        status_labels: TaskStatus::ALL.iter().map(|s| s.label()).collect(),
        rate_definition: danvan_domain::directive::ON_TIME_RATE_DEFINITION,
    })
}

/// The board's table per agency and its overdue list as an Excel file.
pub async fn export_board(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let data = board_data(&state, &query).await?;
    let today = date::format_vn(state.clock.today());
    let status_rows = |rows: &[BoardRow], with_group: bool| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| {
                let mut row: Vec<Cell> = vec![r.name.clone().into()];
                if with_group {
                    row.push(r.group.clone().into());
                }
                row.extend([
                    r.counts.total().into(),
                    r.counts.not_started.into(),
                    r.counts.in_progress.into(),
                    r.counts.overdue.into(),
                    r.counts.done_on_time.into(),
                    r.counts.done_late.into(),
                    r.counts.on_time_rate().map_or(Cell::Empty, |p| Cell::Rate(p / 100.0)),
                ]);
                row
            })
            .collect()
    };
    let status_header = |first: &'static str, group: bool| {
        let mut header = vec![first];
        if group {
            header.push("Khối");
        }
        header.extend([
            "Tổng số",
            TaskStatus::NotStarted.label(),
            TaskStatus::InProgress.label(),
            TaskStatus::Overdue.label(),
            TaskStatus::DoneOnTime.label(),
            TaskStatus::DoneLate.label(),
            "Tỷ lệ đúng hạn",
        ]);
        header
    };
    let definition = danvan_domain::directive::ON_TIME_RATE_DEFINITION;
    let sheets = vec![
        xlsx::Sheet::new(
            "Theo đơn vị",
            Some(format!("Tình hình thực hiện nhiệm vụ theo đơn vị, đến ngày {today}")),
            &status_header("Đơn vị", true),
            status_rows(&data.by_unit, true),
        )
        .with_note(definition),
        xlsx::Sheet::new(
            "Theo văn bản chỉ đạo",
            Some(format!(
                "Tình hình thực hiện nhiệm vụ theo văn bản chỉ đạo, đến ngày {today}"
            )),
            &status_header("Văn bản chỉ đạo", false),
            status_rows(&data.by_directive, false),
        )
        .with_note(definition),
        xlsx::Sheet::new(
            "Nhiệm vụ quá hạn",
            Some(format!("Nhiệm vụ quá hạn chưa hoàn thành, đến ngày {today}")),
            &[
                "Đơn vị",
                "Văn bản chỉ đạo",
                "Hạn",
                "Số ngày làm việc quá hạn",
                "Nhiệm vụ",
            ],
            data.overdue
                .iter()
                .map(|o| {
                    vec![
                        o.unit.clone().into(),
                        o.directive.clone().into(),
                        Cell::Date(o.due_on),
                        o.days.into(),
                        o.task.clone().into(),
                    ]
                })
                .collect(),
        ),
    ];
    let bytes = state
        .heavy
        .run(move || xlsx::workbook(&sheets))
        .await?
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    // A bulk export is a security event (security.md 18).
    let actor = user.actor(ip);
    state
        .store
        .record_security_event(&actor, "export_board", "board", 0)
        .await?;
    Ok(crate::pages::download(
        crate::pages::XLSX,
        "theo-doi-nhiem-vu.xlsx",
        bytes,
    ))
}

pub struct AdjustmentRow {
    iso: String,
    date: String,
    working: bool,
    note: String,
}

pub struct HolidayRow {
    date: String,
    name: String,
}

#[derive(Template)]
#[template(path = "directives/calendar.html")]
pub struct CalendarPage {
    layout: Layout,
    year: i32,
    holidays: Vec<HolidayRow>,
    adjustments: Vec<AdjustmentRow>,
    can_edit: bool,
    errors: Vec<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    year: Option<i32>,
}

async fn calendar_page(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    errors: Vec<&'static str>,
) -> Result<CalendarPage, AppError> {
    let holidays = danvan_domain::calendar::statutory_holidays(year)
        .into_iter()
        .map(|(d, name)| HolidayRow {
            date: date::format_vn(d),
            name,
        })
        .collect();
    let adjustments = state
        .store
        .calendar_adjustments()
        .await?
        .into_iter()
        .filter(|a| a.date.year() == year)
        .map(|a| AdjustmentRow {
            iso: date::format_iso(a.date),
            date: date::format_vn(a.date),
            working: a.working,
            note: a.note,
        })
        .collect();
    Ok(CalendarPage {
        layout: Layout::new(state, Some(user), "calendar"),
        year,
        holidays,
        adjustments,
        can_edit: user.role == Role::Admin,
        errors,
    })
}

pub async fn show_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let year = query
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.clock.today().year());
    render(&calendar_page(&state, &user, year, vec![]).await?)
}

#[derive(Debug, Deserialize)]
pub struct AdjustmentForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    working: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    remove: String,
}

pub async fn change_calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<AdjustmentForm>,
) -> Result<Response, AppError> {
    let Some(day) = date::parse(&form.day) else {
        let year = state.clock.today().year();
        return render_invalid(
            &calendar_page(
                &state,
                &user,
                year,
                vec!["Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm."],
            )
            .await?,
        );
    };
    let actor = user.actor(ip);
    if form.remove == "1" {
        match state.store.delete_calendar_adjustment(&actor, day).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    } else {
        let note = form.note.trim();
        if note.is_empty() || note.chars().count() > 200 {
            return render_invalid(
                &calendar_page(
                    &state,
                    &user,
                    day.year(),
                    vec!["Ghi chú (căn cứ thông báo) không được để trống và không quá 200 ký tự."],
                )
                .await?,
            );
        }
        let adjustment = Adjustment {
            date: day,
            working: form.working == "1",
            note: note.to_owned(),
        };
        state.store.set_calendar_adjustment(&actor, &adjustment).await?;
    }
    Ok(Redirect::to(&format!("/calendar?year={}", day.year())).into_response())
}

pub struct InboxRow {
    assignment_id: i64,
    day: String,
    overdue: bool,
    task: String,
    due: String,
    emailed: bool,
}

#[derive(Template)]
#[template(path = "directives/inbox.html")]
pub struct InboxPage {
    layout: Layout,
    rows: Vec<InboxRow>,
    has_unit: bool,
}

/// An agency's reminders.
pub async fn show_inbox(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let mut rows = Vec::new();
    if let Some(unit_id) = user.unit_id {
        for reminder in state.store.reminders_of_unit(unit_id).await? {
            let Some(assignment) = state.store.assignment(reminder.assignment_id).await? else {
                continue;
            };
            rows.push(InboxRow {
                assignment_id: assignment.id,
                day: date::format_vn(reminder.for_day),
                overdue: reminder.kind == "overdue",
                task: assignment.task_content,
                due: date::format_vn(assignment.due_on),
                emailed: reminder.emailed,
            });
        }
    }
    render(&InboxPage {
        layout: Layout::new(&state, Some(&user), "inbox"),
        rows,
        has_unit: user.unit_id.is_some(),
    })
}
