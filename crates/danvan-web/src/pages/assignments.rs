//! An agency's part in a task: its page, progress reports with attachments, the Department's
//! review, attachment downloads.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::directive::NewReport;
use danvan_domain::directive::TaskStatus;
use danvan_domain::{Role, date};
use serde::Deserialize;

use super::directives::{AssignmentRow, MAX_ATTACHMENTS, assignment_row, unit_names};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::upload_check::{check_files, store_files};
use crate::view::Layout;

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
    /// Each time a restructuring gave this part to a successor: from, to, when.
    transfers: Vec<[String; 3]>,
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
            reviewable: can_review && r.status == danvan_app::store::directive::ReportStatus::Submitted,
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
    let unit_of = |json: &Option<String>| {
        json.as_deref()
            .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
            .and_then(|v| v["unit_id"].as_i64())
            .and_then(|id| names.get(&id).cloned())
            .unwrap_or_default()
    };
    let transfers = state
        .store
        .audit_entries(&danvan_app::store::AuditFilter {
            object_type: Some("assignment".into()),
            object_id: Some(id.to_string()),
            action: Some(danvan_domain::audit::Action::MoveAssignment.code().into()),
            limit: 20,
            ..Default::default()
        })
        .await?
        .iter()
        .map(|e| {
            [
                unit_of(&e.before),
                unit_of(&e.after),
                crate::view::format_instant(e.created_at),
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
        transfers,
        can_change: user.role.manages_units()
            && task_live
            && assignment.cancelled.is_none()
            && assignment.completed_on.is_none(),
        directive_id: assignment.directive_id,
        received: date::format_vn(assignment.received_on),
        overdue_days,
        can_report: user.role == Role::Officer
            && user.unit_id == Some(assignment.unit_id)
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
    match danvan_app::directive::report_progress(&state.store, &user.acting(ip), id, &report).await {
        Ok(_) => {}
        Err(danvan_app::Refusal::Invalid(errors)) => {
            return render_invalid(&assignment_page(&state, &user, id, errors).await?);
        }
        Err(other) => return Err(other.into()),
    }
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
    let assignment_id =
        danvan_app::directive::review_progress(&state.store, &user.acting(ip), id, accept, comment).await?;
    Ok(Redirect::to(&format!("/assignments/{assignment_id}")).into_response())
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
