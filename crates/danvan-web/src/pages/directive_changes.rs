//! The Department's changes to a directive after issuing it: a task's text, a deadline
//! extended with its reason, an agency added or withdrawn, a task or the whole directive
//! cancelled. Handlers parse, call `danvan_app::directive` and render; a refused change shows
//! the directive (or the agency's page) again with the reasons and what was typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::Refusal;
use danvan_app::store::directive_change::{CancelTarget, Scope};
use danvan_domain::date;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::directives::directive_page;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// What was typed into one form of the page (`key` names the form), given back when the change
/// was refused.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    key: String,
    fields: HashMap<String, String>,
}

impl Typed {
    fn new(key: String, fields: &[(&str, &str)]) -> Typed {
        Typed {
            key,
            fields: fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    /// The value typed into `field` of the form `key`, or "".
    pub fn get(&self, key: &str, field: &str) -> &str {
        if self.key == key {
            self.fields.get(field).map(String::as_str).unwrap_or("")
        } else {
            ""
        }
    }

    /// Whether the form `key` is the one given back (its section is shown open).
    pub fn is(&self, key: &str) -> bool {
        self.key == key
    }
}

/// Shows the directive again with the refusal's reasons and the typed form, or passes on a
/// refusal that has no form to show.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    directive_id: i64,
    refusal: Refusal,
    typed: Typed,
) -> Result<Response, AppError> {
    match refusal {
        Refusal::Invalid(problems) => {
            render_invalid(&directive_page(state, user, directive_id, problems, typed).await?)
        }
        Refusal::State(reason) => {
            render_invalid(&directive_page(state, user, directive_id, vec![reason], typed).await?)
        }
        other => Err(other.into()),
    }
}

async fn directive_of_task(state: &AppState, task_id: i64) -> Result<i64, AppError> {
    state.store.task_directive_id(task_id).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    content: String,
}

pub async fn edit_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(task_id): Path<i64>,
    axum::Form(form): axum::Form<EditForm>,
) -> Result<Response, AppError> {
    let directive_id = directive_of_task(&state, task_id).await?;
    match danvan_app::directive::edit_task(&state.store, &user.acting(ip), task_id, &form.content).await {
        Ok(()) => Ok(Redirect::to(&format!("/directives/{directive_id}#task-{task_id}")).into_response()),
        Err(refusal) => {
            let typed = Typed::new(format!("edit-{task_id}"), &[("content", &form.content)]);
            refused(&state, &user, directive_id, refusal, typed).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    due: String,
    #[serde(default)]
    reason: String,
}

/// Extends a deadline: a task's (every agency still working on it) or one agency's.
async fn extend(
    state: AppState,
    user: CurrentUser,
    ip: String,
    scope: Scope,
    form: ExtendForm,
) -> Result<Response, AppError> {
    let (task_id, key, back) = match scope {
        Scope::Task(id) => (id, format!("extend-{id}"), None),
        Scope::Assignment(id) => {
            let assignment = state.store.assignment(id).await?.ok_or(AppError::NotFound)?;
            (assignment.task_id, format!("extend-a{id}"), Some(id))
        }
    };
    let directive_id = directive_of_task(&state, task_id).await?;
    let typed = Typed::new(key, &[("due", &form.due), ("reason", &form.reason)]);
    let Some(new_due) = date::parse(&form.due) else {
        let refusal = Refusal::Invalid(vec!["Hạn mới là một ngày dạng dd/mm/yyyy.".into()]);
        return refused(&state, &user, directive_id, refusal, typed).await;
    };
    let today = state.clock.today();
    match danvan_app::directive::extend_deadline(&state.store, &user.acting(ip), scope, new_due, &form.reason, today)
        .await
    {
        Ok(_) => Ok(Redirect::to(&match back {
            Some(id) => format!("/assignments/{id}"),
            None => format!("/directives/{directive_id}#task-{task_id}"),
        })
        .into_response()),
        Err(refusal) => refused(&state, &user, directive_id, refusal, typed).await,
    }
}

pub async fn extend_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(task_id): Path<i64>,
    axum::Form(form): axum::Form<ExtendForm>,
) -> Result<Response, AppError> {
    extend(state, user, ip, Scope::Task(task_id), form).await
}

pub async fn extend_assignment(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ExtendForm>,
) -> Result<Response, AppError> {
    extend(state, user, ip, Scope::Assignment(id), form).await
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    role: String,
}

pub async fn add_agency(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(task_id): Path<i64>,
    axum::Form(form): axum::Form<AssignForm>,
) -> Result<Response, AppError> {
    let directive_id = directive_of_task(&state, task_id).await?;
    let typed = Typed::new(
        format!("assign-{task_id}"),
        &[("unit_id", &form.unit_id), ("role", &form.role)],
    );
    let Ok(unit_id) = form.unit_id.trim().parse::<i64>() else {
        let refusal = Refusal::Invalid(vec!["Chọn đơn vị cần giao thêm.".into()]);
        return refused(&state, &user, directive_id, refusal, typed).await;
    };
    let lead = form.role == "lead";
    let today = state.clock.today();
    match danvan_app::directive::add_agency(&state.store, &user.acting(ip), task_id, unit_id, lead, today).await {
        Ok(_) => Ok(Redirect::to(&format!("/directives/{directive_id}#task-{task_id}")).into_response()),
        Err(Refusal::NotFound) => {
            let refusal = Refusal::Invalid(vec!["Không có đơn vị này.".into()]);
            refused(&state, &user, directive_id, refusal, typed).await
        }
        Err(refusal) => refused(&state, &user, directive_id, refusal, typed).await,
    }
}

/// What a cancellation page shows: what will be cancelled and what follows.
#[derive(Template)]
#[template(path = "directives/cancel.html")]
pub struct CancelPage {
    layout: Layout,
    heading: &'static str,
    what: String,
    consequence: &'static str,
    action: String,
    back: String,
    button: &'static str,
    reason: String,
    errors: Vec<String>,
}

/// The page that says what a cancellation does, with the reason to give.
async fn cancel_page(
    state: &AppState,
    user: &CurrentUser,
    target: CancelTarget,
    reason: String,
    errors: Vec<String>,
) -> Result<CancelPage, AppError> {
    if !user.role.manages_units() {
        return Err(AppError::Forbidden);
    }
    let units = state.store.unit_names().await?;
    let (heading, what, consequence, action, back, button) = match target {
        CancelTarget::Assignment(id) => {
            let a = state.store.assignment(id).await?.ok_or(AppError::NotFound)?;
            (
                "Rút đơn vị khỏi nhiệm vụ",
                format!(
                    "{} khỏi nhiệm vụ: {}",
                    units.get(&a.unit_id).cloned().unwrap_or_default(),
                    a.task_content
                ),
                "Đơn vị không còn phải thực hiện nhiệm vụ này: nhiệm vụ ra khỏi bảng theo dõi, nhắc việc và số liệu của đơn vị; các báo cáo đã gửi vẫn được lưu. Bước này không hoàn tác được; nếu cần, giao lại đơn vị như một phần mới.",
                format!("/assignments/{id}/withdraw"),
                format!("/directives/{}", a.directive_id),
                "Xác nhận rút đơn vị",
            )
        }
        CancelTarget::Task(id) => {
            let directive_id = directive_of_task(state, id).await?;
            let directive = state.store.directive(directive_id).await?.ok_or(AppError::NotFound)?;
            let task = directive.tasks.iter().find(|t| t.id == id).ok_or(AppError::NotFound)?;
            (
                "Hủy nhiệm vụ",
                format!(
                    "Nhiệm vụ {} của {}: {}",
                    task.position + 1,
                    directive.title,
                    task.content
                ),
                "Mọi đơn vị được giao nhiệm vụ này thôi thực hiện: nhiệm vụ ra khỏi bảng theo dõi, nhắc việc và số liệu; các báo cáo đã gửi vẫn được lưu. Bước này không hoàn tác được.",
                format!("/tasks/{id}/cancel"),
                format!("/directives/{directive_id}#task-{id}"),
                "Xác nhận hủy nhiệm vụ",
            )
        }
        CancelTarget::Directive(id) => {
            let directive = state.store.directive(id).await?.ok_or(AppError::NotFound)?;
            (
                "Hủy chỉ đạo",
                format!(
                    "{} (ngày {})",
                    directive.title,
                    date::format_vn(directive.document_date)
                ),
                "Mọi nhiệm vụ của chỉ đạo này bị hủy: các đơn vị thôi thực hiện, nhiệm vụ ra khỏi bảng theo dõi, nhắc việc và số liệu; các báo cáo đã gửi vẫn được lưu. Bước này không hoàn tác được.",
                format!("/directives/{id}/cancel"),
                format!("/directives/{id}"),
                "Xác nhận hủy chỉ đạo",
            )
        }
    };
    Ok(CancelPage {
        layout: Layout::new(state, Some(user), "directives"),
        heading,
        what,
        consequence,
        action,
        back,
        button,
        reason,
        errors,
    })
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn cancel(
    state: AppState,
    user: CurrentUser,
    ip: String,
    target: CancelTarget,
    form: CancelForm,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    match danvan_app::directive::cancel(&state.store, &user.acting(ip), target, &form.reason, today).await {
        Ok(()) => {
            let directive_id = match target {
                CancelTarget::Assignment(id) => state.store.assignment(id).await?.map(|a| a.directive_id),
                CancelTarget::Task(id) => state.store.task_directive_id(id).await?,
                CancelTarget::Directive(id) => Some(id),
            }
            .ok_or(AppError::NotFound)?;
            Ok(Redirect::to(&format!("/directives/{directive_id}")).into_response())
        }
        Err(Refusal::Invalid(problems)) => {
            render_invalid(&cancel_page(&state, &user, target, form.reason, problems).await?)
        }
        Err(Refusal::State(reason)) => {
            render_invalid(&cancel_page(&state, &user, target, form.reason, vec![reason]).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn confirm_withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&cancel_page(&state, &user, CancelTarget::Assignment(id), String::new(), vec![]).await?)
}

pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CancelForm>,
) -> Result<Response, AppError> {
    cancel(state, user, ip, CancelTarget::Assignment(id), form).await
}

pub async fn confirm_cancel_task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&cancel_page(&state, &user, CancelTarget::Task(id), String::new(), vec![]).await?)
}

pub async fn cancel_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CancelForm>,
) -> Result<Response, AppError> {
    cancel(state, user, ip, CancelTarget::Task(id), form).await
}

pub async fn confirm_cancel_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&cancel_page(&state, &user, CancelTarget::Directive(id), String::new(), vec![]).await?)
}

pub async fn cancel_directive(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CancelForm>,
) -> Result<Response, AppError> {
    cancel(state, user, ip, CancelTarget::Directive(id), form).await
}
