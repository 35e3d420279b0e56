//! Directives and their tasks: the list, creating one from a document or by hand, and a
//! directive's page. An agency's part and its reports are in `assignments`, the board in
//! `board`, the calendar and the inbox in `calendar`, changes after issuing in
//! `directive_changes`.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::directive::{AssignmentRecord, NewDirective, NewTask};
use danvan_domain::directive::{Deadline, TaskStatus, monitor_phrase};
use danvan_domain::unit::Unit;
use danvan_domain::{addressee, collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::fresh::Kept;
use crate::pages::addressees::resolve_addressee;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// The largest attachment accepted, and the most per report.
pub(crate) const MAX_ATTACHMENTS: usize = 5;

pub(crate) fn unit_names(units: &[Unit]) -> HashMap<i64, String> {
    units.iter().map(|u| (u.id, u.short_name.clone())).collect()
}

/// Every agency's short name by id, kept while the data has not moved, so a page that names
/// agencies does not read them all per request.
pub(crate) async fn short_names(state: &AppState, kept: &Kept<'_>) -> Result<Arc<HashMap<i64, String>>, AppError> {
    kept.get("short-names".into(), |_| async {
        Ok(unit_names(&state.store.list_units().await?))
    })
    .await
}

pub struct StatusView {
    pub(crate) label: &'static str,
    pub(crate) code: &'static str,
}

pub(crate) fn status_view(status: TaskStatus) -> StatusView {
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
    pub(crate) directive: String,
    pub(crate) task: String,
    pub(crate) due: String,
    pub(crate) status: StatusView,
    /// "Dừng thực hiện ngày …: lý do" (withdrawn, or cancelled with its task or directive); empty
    /// when active.
    pub(crate) cancelled: String,
    /// Still being carried out: can be extended or withdrawn.
    pub(crate) open: bool,
}

pub(crate) fn cancelled_text(c: &danvan_app::store::directive::Cancellation, what: &str) -> String {
    format!("{what} ngày {}: {}", date::format_vn(c.on), c.reason)
}

pub(crate) fn assignment_row(a: &AssignmentRecord, names: &HashMap<i64, String>, today: time::Date) -> AssignmentRow {
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
    let kept = state.kept_now().await?;
    let today = kept.today();
    let names = short_names(&state, &kept).await?;
    // An agency's own assignments and the directives, kept while the data and the day have not
    // moved (the same for every viewer; what each may see is chosen below).
    let store = &state.store;
    let own_assignments = match user.unit_id {
        Some(unit_id) => Some(
            kept.get(format!("assignments-of:{unit_id}"), |_| async move {
                Ok(store.assignments_of_unit(unit_id).await?)
            })
            .await?,
        ),
        None => None,
    };
    let own = match &own_assignments {
        Some(assignments) => assignments
            .iter()
            // Nothing received after today (a demo on an earlier date than some of its records).
            .filter(|a| a.received_on <= today)
            .map(|a| assignment_row(a, &names, today))
            .collect(),
        None => vec![],
    };
    // Officers see the directives that assign them something; the others see all.
    let mut directives = kept
        .get("directives".into(), |_| async {
            Ok(state.store.list_directives().await?)
        })
        .await?
        .as_ref()
        .clone();
    // Nothing issued after today (a demo on an earlier date than some of its records).
    directives.retain(|d| d.document_date <= today);
    if !user.role.sees_all() {
        let mine: Vec<i64> = match &own_assignments {
            Some(assignments) => assignments.iter().map(|a| a.directive_id).collect(),
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
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// The most tasks one directive form holds (a bound on what a post may ask the server to read).
pub const MAX_TASKS: usize = 200;

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
pub(crate) fn alive_on(units: &[Unit], day: time::Date) -> Vec<&Unit> {
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
    let mut due: Option<time::Date> = None;
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
        // A directive received from the e-office (SteeringType 2) with its processing deadline.
        if let Some(package) = state.store.received_package(id).await?
            && package.steering == 2
        {
            due = package.due_date;
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
            let (task_leads, task_supports) = danvan_app::directive::task_agencies(content, &units, on, &leads);
            TaskForm {
                index,
                content: content.clone(),
                deadline_kind: if due.is_some() { "date" } else { "document" }.into(),
                deadline_date: due.map(date::format_vn).unwrap_or_default(),
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
    for index in 0..MAX_TASKS {
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
    let (mut form, parsed) = read_directive_form(&body, &units, state.clock.today());
    // "Thêm nhiệm vụ": the same form again, as typed, with one more empty task; nothing is saved.
    if form_urlencoded::parse(&body).any(|(k, v)| k == "more" && v == "1") {
        let on = date::parse(&form.document_date).unwrap_or(state.clock.today());
        let alive = alive_on(&units, on);
        if form.tasks.len() < MAX_TASKS {
            form.tasks.push(TaskForm {
                index: form.tasks.len(),
                content: String::new(),
                deadline_kind: "document".into(),
                deadline_date: String::new(),
                deadline_days: "30".into(),
                monitor: choices(&alive, &[]),
                leads: choices(&alive, &[]),
                supports: choices(&alive, &[]),
            });
        }
        return render(&NewDirectivePage {
            layout: Layout::new(&state, Some(&user), "directives"),
            document_id: form.document_id,
            title: form.title,
            document_date: form.document_date,
            tasks: form.tasks,
            errors: vec![],
            confirm_past: false,
        });
    }
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
    // The form has already asked about past deadlines (`read_directive_form`); what reaches here
    // was confirmed or has none.
    match danvan_app::directive::create(&state.store, &user.acting(ip), &directive, true, state.clock.today()).await {
        Ok(id) => Ok(Redirect::to(&format!("/directives/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            page.errors = errors;
            render_invalid(&page)
        }
        Err(other) => Err(other.into()),
    }
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
    /// The agencies already in the task: the Department's form offers the page's candidates
    /// less these, while the task stands.
    assigned: std::collections::HashSet<i64>,
    /// The agency chosen in the form given back, if any (0: none).
    chosen: i64,
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
    /// The agencies the Department could add to a task: alive today, in Vietnamese order (the
    /// kept chooser, shared by every task; empty for those who may not add).
    candidates: Arc<Vec<(i64, String)>>,
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
    let kept = state.kept_now().await?;
    let today = kept.today();
    let names = short_names(state, &kept).await?;
    let directive = kept
        .found(format!("directive:{id}"), |_| async {
            let Some(mut directive) = state.store.directive(id).await? else {
                return Ok(None);
            };
            // Each task's agencies in the order shown, leads first, then in Vietnamese order:
            // sorted once here rather than per request.
            let name = |a: &AssignmentRecord| names.get(&a.unit_id).map_or("", String::as_str);
            for task in &mut directive.tasks {
                task.assignments
                    .sort_by(|a, b| b.lead.cmp(&a.lead).then_with(|| collation::compare(name(a), name(b))));
            }
            Ok(Some(directive))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let directive = directive.as_ref();
    let visible = |a: &AssignmentRecord| user.sees_unit(a.unit_id);
    if !user.role.sees_all() && !directive.tasks.iter().flat_map(|t| &t.assignments).any(visible) {
        return Err(AppError::Forbidden);
    }
    // The agencies the Department could add to a task (only for those who may): the kept
    // chooser, agencies alive today in Vietnamese order; each task keeps those not yet
    // assigned to it.
    let candidates = if user.role.manages_units() {
        crate::pages::initiatives::chooser(state, &kept).await?
    } else {
        Arc::default()
    };
    let tasks = directive
        .tasks
        .iter()
        .map(|t| {
            // (Already in the order shown: leads first, then in Vietnamese order.)
            let rows: Vec<AssignmentRow> = t
                .assignments
                .iter()
                .filter(|a| visible(a))
                .map(|a| assignment_row(a, &names, today))
                .collect();
            let assigned = t.assignments.iter().map(|a| a.unit_id).collect();
            let chosen = typed.get(&format!("assign-{}", t.id), "unit_id").parse().unwrap_or(0);
            TaskView {
                id: t.id,
                cancelled: t
                    .cancelled
                    .as_ref()
                    .map(|c| cancelled_text(c, "Đã hủy"))
                    .unwrap_or_default(),
                assigned,
                chosen,
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
        title: directive.title.clone(),
        date: date::format_vn(directive.document_date),
        document_id: directive.document_id,
        can_change: user.role.manages_units() && directive.cancelled.is_none(),
        cancelled: directive
            .cancelled
            .as_ref()
            .map(|c| cancelled_text(c, "Đã hủy"))
            .unwrap_or_default(),
        tasks,
        candidates,
        errors,
        typed,
    })
}
