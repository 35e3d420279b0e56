//! The API's handlers: each parses, checks what its caller may see, calls the store or a use
//! case, and answers with the types below, which the OpenAPI document describes.

// utoipa's `path` macro writes the parameters' types with their full path.
#![allow(unused_qualifications)]

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_app::store::directive::{AssignmentRecord, NewReport, ReportStatus};
use danvan_app::store::initiative::GalleryQuery;
use danvan_app::store::report::{FilingState, RoundState};
use danvan_domain::date::format_iso;
use danvan_domain::directive::TaskStatus;
use danvan_domain::evaluation::CycleState;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, Problem};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};

/// The most items one page holds, and how many when the call does not say.
pub const MAX_LIMIT: i64 = 200;
pub const DEFAULT_LIMIT: i64 = 50;

/// Paging: an opaque cursor from the previous page's `next_cursor`, and how many items.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The previous page's `next_cursor`; absent for the first page.
    pub cursor: Option<String>,
    /// How many items, 1 to 200 (50 when absent).
    pub limit: Option<String>,
}

impl PageParams {
    /// The cursor's position and the page's size, or a problem naming what is wrong.
    fn read(&self) -> Result<(i64, i64), ApiError> {
        let after = match self.cursor.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => 0,
            Some(cursor) => cursor.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                ApiError::bad_request("Tham số cursor không hợp lệ; dùng next_cursor của trang trước.")
            })?,
        };
        let limit = match self.limit.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => DEFAULT_LIMIT,
            Some(limit) => limit
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| ApiError::bad_request(format!("Tham số limit phải là số từ 1 đến {MAX_LIMIT}.")))?,
        };
        Ok((after, limit))
    }
}

/// The cursor after a page of `limit` items whose last position is `last`; none when the page
/// was the last.
fn next_cursor(returned: usize, limit: i64, last: Option<i64>) -> Option<String> {
    (i64::try_from(returned).unwrap_or(i64::MAX) >= limit)
        .then_some(last)
        .flatten()
        .map(|n| n.to_string())
}

fn iso(date: time::Date) -> String {
    format_iso(date)
}

// ---------------------------------------------------------------------------------------------
// Agencies.

/// An agency over its lifetime.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// `provincial_committee`, `department`, `service_unit`, `district_committee`, …
    pub kind: String,
    pub parent_id: Option<i64>,
    pub group_id: Option<i64>,
    /// The first day the agency existed (ISO 8601).
    pub valid_from: String,
    /// The last day, when it has ended.
    pub valid_to: Option<String>,
    /// The agencies that carried its work on after it ended (a merger, a split, a new name).
    pub successors: Vec<ApiSuccession>,
    /// Its electronic identifiers over time.
    pub identifiers: Vec<ApiIdentifier>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSuccession {
    pub unit_id: i64,
    /// `merger`, `split` or `rename`.
    pub kind: String,
    pub effective_on: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiIdentifier {
    /// `egov` (the e-government code of QCVN 102:2016) or `admin` (the administrative-unit code).
    pub scheme: String,
    pub code: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitPage {
    pub items: Vec<ApiUnit>,
    pub next_cursor: Option<String>,
}

/// Agencies with their lifetimes, successors and identifiers, by id.
#[utoipa::path(get, path = "/api/v1/units", tag = "Đơn vị", params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Một trang đơn vị", body = UnitPage),
        (status = 400, description = "Tham số sai", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quá số lần gọi cho phép", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn units(State(state): State<AppState>, Query(page): Query<PageParams>) -> Result<Json<UnitPage>, ApiError> {
    let (after, limit) = page.read()?;
    let units = state.store.list_units().await?;
    let identifiers = state.store.list_identifiers().await?;
    let successions = state.store.list_successions().await?;
    let mut chosen: Vec<_> = units.iter().filter(|u| u.id > after).collect();
    chosen.sort_by_key(|u| u.id);
    chosen.truncate(usize::try_from(limit).unwrap_or(0));
    let items: Vec<ApiUnit> = chosen
        .into_iter()
        .map(|unit| ApiUnit {
            id: unit.id,
            code: unit.code.clone(),
            name: unit.name.clone(),
            short_name: unit.short_name.clone(),
            kind: unit.kind.code().to_owned(),
            parent_id: unit.parent_id,
            group_id: unit.group_id,
            valid_from: iso(unit.valid_from),
            valid_to: unit.valid_to.map(iso),
            successors: successions
                .iter()
                .filter(|s| s.predecessor_id == unit.id)
                .map(|s| ApiSuccession {
                    unit_id: s.successor_id,
                    kind: s.kind.code().to_owned(),
                    effective_on: iso(s.effective_on),
                })
                .collect(),
            identifiers: identifiers
                .iter()
                .filter(|i| i.unit_id == unit.id)
                .map(|i| ApiIdentifier {
                    scheme: i.scheme.code().to_owned(),
                    code: i.code.clone(),
                    valid_from: iso(i.valid_from),
                    valid_to: i.valid_to.map(iso),
                })
                .collect(),
        })
        .collect();
    let next = next_cursor(items.len(), limit, items.last().map(|u| u.id));
    Ok(Json(UnitPage {
        items,
        next_cursor: next,
    }))
}

// ---------------------------------------------------------------------------------------------
// Directives and assignments.

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDirectiveSummary {
    pub id: i64,
    /// The library document it was made from.
    pub document_id: Option<i64>,
    pub title: String,
    /// The document's date (ISO 8601).
    pub document_date: String,
    pub tasks: i64,
    pub assignments: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DirectivePage {
    pub items: Vec<ApiDirectiveSummary>,
    pub next_cursor: Option<String>,
}

/// Directives, by id.
#[utoipa::path(get, path = "/api/v1/directives", tag = "Nhiệm vụ", params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Một trang văn bản giao nhiệm vụ", body = DirectivePage),
        (status = 400, description = "Tham số sai", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Vai trò hoặc quyền của khóa không cho phép", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn directives(
    State(state): State<AppState>,
    Query(page): Query<PageParams>,
) -> Result<Json<DirectivePage>, ApiError> {
    let (after, limit) = page.read()?;
    let mut all = state.store.list_directives().await?;
    all.retain(|d| d.id > after);
    all.sort_by_key(|d| d.id);
    all.truncate(usize::try_from(limit).unwrap_or(0));
    let items: Vec<ApiDirectiveSummary> = all
        .into_iter()
        .map(|d| ApiDirectiveSummary {
            id: d.id,
            document_id: d.document_id,
            title: d.title,
            document_date: iso(d.document_date),
            tasks: d.tasks,
            assignments: d.assignments,
        })
        .collect();
    let next = next_cursor(items.len(), limit, items.last().map(|d| d.id));
    Ok(Json(DirectivePage {
        items,
        next_cursor: next,
    }))
}

/// An agency's part of a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAssignment {
    pub id: i64,
    pub directive_id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    /// The agency leads the task (`true`) or works with the lead.
    pub lead: bool,
    pub received_on: String,
    pub due_on: String,
    pub first_report_on: Option<String>,
    pub completed_on: Option<String>,
    /// `not_started`, `in_progress`, `overdue`, `done_on_time`, `done_late`, or `cancelled`.
    pub status: String,
    /// The status in Vietnamese, as the pages show it.
    pub status_label: String,
}

fn assignment(a: &AssignmentRecord, today: time::Date) -> ApiAssignment {
    let (status, label) = match &a.cancelled {
        Some(_) => ("cancelled", "Đã thu hồi hoặc hủy"),
        None => {
            let status = TaskStatus::derive(a.due_on, today, a.first_report_on, a.completed_on);
            (status.code(), status.label())
        }
    };
    ApiAssignment {
        id: a.id,
        directive_id: a.directive_id,
        task_id: a.task_id,
        unit_id: a.unit_id,
        lead: a.lead,
        received_on: iso(a.received_on),
        due_on: iso(a.due_on),
        first_report_on: a.first_report_on.map(iso),
        completed_on: a.completed_on.map(iso),
        status: status.to_owned(),
        status_label: label.to_owned(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTask {
    pub id: i64,
    pub position: i64,
    pub content: String,
    pub due_on: Option<String>,
    pub cancelled: bool,
    pub assignments: Vec<ApiAssignment>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDirective {
    pub id: i64,
    pub document_id: Option<i64>,
    pub title: String,
    pub document_date: String,
    pub cancelled: bool,
    pub tasks: Vec<ApiTask>,
}

/// A directive with its tasks, their assignments and each one's status today.
#[utoipa::path(get, path = "/api/v1/directives/{id}", tag = "Nhiệm vụ",
    params(("id" = i64, Path, description = "Mã văn bản giao nhiệm vụ")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Văn bản, nhiệm vụ và phần việc của các đơn vị", body = ApiDirective),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Vai trò hoặc quyền của khóa không cho phép", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Không có văn bản này", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn directive(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ApiDirective>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::status(StatusCode::NOT_FOUND))?;
    let directive = state
        .store
        .directive(id)
        .await?
        .ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND))?;
    let today = state.clock.today();
    Ok(Json(ApiDirective {
        id: directive.id,
        document_id: directive.document_id,
        title: directive.title,
        document_date: iso(directive.document_date),
        cancelled: directive.cancelled.is_some(),
        tasks: directive
            .tasks
            .iter()
            .map(|t| ApiTask {
                id: t.id,
                position: t.position,
                content: t.content.clone(),
                due_on: t.due_on.map(iso),
                cancelled: t.cancelled.is_some(),
                assignments: t.assignments.iter().map(|a| assignment(a, today)).collect(),
            })
            .collect(),
    }))
}

/// Paging, and the agency whose assignments are wanted.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentParams {
    /// The previous page's `next_cursor`; absent for the first page.
    pub cursor: Option<String>,
    /// How many items, 1 to 200 (50 when absent).
    pub limit: Option<String>,
    /// Only this agency's assignments. An agency's token sees only its own agency's.
    pub unit_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentPage {
    pub items: Vec<ApiAssignment>,
    pub next_cursor: Option<String>,
}

/// Assignments with their status today, by id: all of them, or one agency's.
#[utoipa::path(get, path = "/api/v1/assignments", tag = "Nhiệm vụ", params(AssignmentParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Một trang phần việc", body = AssignmentPage),
        (status = 400, description = "Tham số sai", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Đơn vị khác với đơn vị của khóa", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn assignments(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AssignmentParams>,
) -> Result<Json<AssignmentPage>, ApiError> {
    let (after, limit) = PageParams {
        cursor: params.cursor,
        limit: params.limit,
    }
    .read()?;
    let asked = match params.unit_id.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(unit) => Some(
            unit.parse::<i64>()
                .map_err(|_| ApiError::bad_request("Tham số unit_id phải là mã số của một đơn vị."))?,
        ),
    };
    let unit = if user.role.sees_all() {
        asked
    } else {
        match (asked, user.unit_id) {
            (Some(asked), Some(own)) if asked != own => return Err(ApiError::status(StatusCode::FORBIDDEN)),
            (_, Some(own)) => Some(own),
            (_, None) => return Err(ApiError::status(StatusCode::FORBIDDEN)),
        }
    };
    let rows = state.store.assignments_page(after, unit, limit).await?;
    let today = state.clock.today();
    let items: Vec<ApiAssignment> = rows.iter().map(|a| assignment(a, today)).collect();
    let next = next_cursor(items.len(), limit, items.last().map(|a| a.id));
    Ok(Json(AssignmentPage {
        items,
        next_cursor: next,
    }))
}

/// A progress report on an assignment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiReport {
    pub id: i64,
    pub assignment_id: i64,
    pub reported_on: String,
    pub percent: i64,
    pub content: String,
    /// `submitted`, `accepted` or `returned`.
    pub status: String,
    pub review_comment: Option<String>,
    pub attachments: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportList {
    pub items: Vec<ApiReport>,
}

/// The assignment, when the caller may see it.
async fn visible_assignment(state: &AppState, user: &CurrentUser, id: &str) -> Result<AssignmentRecord, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::status(StatusCode::NOT_FOUND))?;
    let assignment = state
        .store
        .assignment(id)
        .await?
        .ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND))?;
    if !user.sees_unit(assignment.unit_id) {
        return Err(ApiError::status(StatusCode::NOT_FOUND));
    }
    Ok(assignment)
}

/// The progress reports on an assignment, oldest first.
#[utoipa::path(get, path = "/api/v1/assignments/{id}/reports", tag = "Nhiệm vụ",
    params(("id" = i64, Path, description = "Mã phần việc")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Các báo cáo tiến độ", body = ReportList),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Không có phần việc này, hoặc của đơn vị khác", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reports(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ReportList>, ApiError> {
    let assignment = visible_assignment(&state, &user, &id).await?;
    let items = state
        .store
        .reports_of(assignment.id)
        .await?
        .into_iter()
        .map(|r| ApiReport {
            id: r.id,
            assignment_id: r.assignment_id,
            reported_on: iso(r.reported_on),
            percent: r.percent,
            content: r.content,
            status: match r.status {
                ReportStatus::Submitted => "submitted",
                ReportStatus::Accepted => "accepted",
                ReportStatus::Returned => "returned",
            }
            .to_owned(),
            review_comment: r.review_comment,
            attachments: i64::try_from(r.attachments.len()).unwrap_or(i64::MAX),
        })
        .collect();
    Ok(Json(ReportList { items }))
}

/// A progress report an agency sends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgress {
    /// How much of the work is done, 0 to 100; 100 asks the Department to accept it as done.
    pub percent: i64,
    /// What was done, up to 20,000 characters.
    pub content: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Reports progress on the token's own agency's assignment (scope `report`), dated today; the
/// Department then accepts or returns it as it does a report sent from the pages.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/reports", tag = "Nhiệm vụ",
    params(("id" = i64, Path, description = "Mã phần việc")),
    request_body(content = NewProgress, content_type = "application/json"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Đã nhận báo cáo", body = Created),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Không phải đơn vị được giao, hoặc khóa không có quyền báo cáo", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Không có phần việc này", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Phần việc đã bị thu hồi hoặc hủy", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nội dung không hợp lệ", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(progress): Json<NewProgress>,
) -> Result<Response, ApiError> {
    let assignment = visible_assignment(&state, &user, &id).await?;
    let report = NewReport {
        reported_on: state.clock.today(),
        percent: progress.percent,
        content: progress.content,
        attachments: Vec::new(),
    };
    let id = danvan_app::directive::report_progress(&state.store, &user.acting(ip), assignment.id, &report).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

// ---------------------------------------------------------------------------------------------
// Evaluations, the gallery, periodic reports.

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiResult {
    pub unit_id: i64,
    /// The agency's own total, when it submitted its self-assessment.
    pub self_total: Option<f64>,
    /// The appraised total, in points.
    pub total: f64,
    /// The band's code and its title.
    pub band: String,
    pub band_title: String,
    pub rank: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCycle {
    pub id: i64,
    pub year: i32,
    pub group_id: i64,
    pub results: Vec<ApiResult>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CyclePage {
    pub items: Vec<ApiCycle>,
    pub next_cursor: Option<String>,
}

/// Evaluation results once the leaders have published them, cycle by cycle.
#[utoipa::path(get, path = "/api/v1/evaluations", tag = "Đánh giá", params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Các đợt đánh giá đã công bố và kết quả", body = CyclePage),
        (status = 400, description = "Tham số sai", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn evaluations(
    State(state): State<AppState>,
    Query(page): Query<PageParams>,
) -> Result<Json<CyclePage>, ApiError> {
    let (after, limit) = page.read()?;
    let mut cycles: Vec<_> = state
        .store
        .cycles()
        .await?
        .into_iter()
        .filter(|c| c.state == CycleState::Published && c.id > after)
        .collect();
    cycles.sort_by_key(|c| c.id);
    cycles.truncate(usize::try_from(limit).unwrap_or(0));
    let mut items = Vec::with_capacity(cycles.len());
    for cycle in cycles {
        let results = state.store.cycle_results(cycle.id).await?;
        items.push(ApiCycle {
            id: cycle.id,
            year: cycle.year,
            group_id: cycle.group_id,
            results: results
                .into_iter()
                .map(|r| ApiResult {
                    unit_id: r.unit_id,
                    self_total: r.self_total.map(|t| t as f64 / 100.0),
                    total: r.total as f64 / 100.0,
                    band: r.band,
                    band_title: r.band_title,
                    rank: r.rank,
                })
                .collect(),
        });
    }
    let next = next_cursor(items.len(), limit, items.last().map(|c| c.id));
    Ok(Json(CyclePage {
        items,
        next_cursor: next,
    }))
}

/// Searching the public gallery.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GalleryParams {
    /// Words to find, with or without diacritics.
    pub q: Option<String>,
    /// The previous page's `next_cursor`; absent for the first page.
    pub cursor: Option<String>,
    /// How many items, 1 to 200 (50 when absent).
    pub limit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiInitiative {
    pub id: i64,
    pub unit_id: i64,
    /// `collective` or `individual`.
    pub kind: String,
    pub field: String,
    /// The name as the public reads it.
    pub name: String,
    pub registered_on: String,
    /// The level that recognised it, and when.
    pub recognised_level: Option<String>,
    pub recognised_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GalleryPage {
    /// How many initiatives match in all (counted up to a bound).
    pub total: i64,
    pub items: Vec<ApiInitiative>,
    pub next_cursor: Option<String>,
}

/// The public gallery of recognised initiatives and models ("Dân vận khéo").
#[utoipa::path(get, path = "/api/v1/gallery", tag = "Sáng kiến", params(GalleryParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Một trang sáng kiến, mô hình đã được công nhận", body = GalleryPage),
        (status = 400, description = "Tham số sai", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn gallery(
    State(state): State<AppState>,
    Query(params): Query<GalleryParams>,
) -> Result<Json<GalleryPage>, ApiError> {
    let (offset, limit) = PageParams {
        cursor: params.cursor,
        limit: params.limit,
    }
    .read()?;
    let query = GalleryQuery {
        text: params.q.unwrap_or_default(),
        field: None,
        unit_id: None,
        year: None,
        offset,
        limit,
    };
    let (total, found) = state.store.gallery(&query).await?;
    let items: Vec<ApiInitiative> = found
        .into_iter()
        .map(|i| ApiInitiative {
            id: i.id,
            unit_id: i.unit_id,
            kind: i.kind.code().to_owned(),
            field: i.field.code().to_owned(),
            name: i.public_name,
            registered_on: iso(i.registered_on),
            recognised_level: i.recognised.as_ref().map(|r| r.level.code().to_owned()),
            recognised_on: i.recognised.as_ref().map(|r| iso(r.on)),
        })
        .collect();
    let returned = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let next = (returned >= limit && offset + returned < total).then(|| (offset + returned).to_string());
    Ok(Json(GalleryPage {
        total,
        items,
        next_cursor: next,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFiling {
    pub unit_id: i64,
    /// `draft`, `submitted`, `accepted` or `returned`.
    pub state: String,
    pub first_submitted_on: Option<String>,
    pub submitted_on: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRound {
    pub id: i64,
    pub kind_id: i64,
    /// The period in Vietnamese ("Quý I năm 2022").
    pub period: String,
    pub window_from: String,
    pub window_to: String,
    pub deadline: String,
    /// `open` or `closed`.
    pub state: String,
    /// Each agency's filing; an agency's token sees its own only.
    pub filings: Vec<ApiFiling>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundPage {
    pub items: Vec<ApiRound>,
    pub next_cursor: Option<String>,
}

/// Periodic report rounds and the state of each agency's filing.
#[utoipa::path(get, path = "/api/v1/report-rounds", tag = "Báo cáo định kỳ", params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Một trang kỳ báo cáo", body = RoundPage),
        (status = 400, description = "Tham số sai", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Thiếu khóa hoặc khóa không dùng được", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report_rounds(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(page): Query<PageParams>,
) -> Result<Json<RoundPage>, ApiError> {
    let (after, limit) = page.read()?;
    let mut rounds: Vec<_> = state
        .store
        .rounds()
        .await?
        .into_iter()
        .filter(|r| r.id > after)
        .collect();
    rounds.sort_by_key(|r| r.id);
    rounds.truncate(usize::try_from(limit).unwrap_or(0));
    let mut items = Vec::with_capacity(rounds.len());
    for round in rounds {
        let filings = state.store.filings(round.id).await?;
        items.push(ApiRound {
            id: round.id,
            kind_id: round.kind_id,
            period: round.period.label(),
            window_from: iso(round.window.0),
            window_to: iso(round.window.1),
            deadline: iso(round.deadline),
            state: match round.state {
                RoundState::Open => "open",
                RoundState::Closed => "closed",
            }
            .to_owned(),
            filings: filings
                .into_iter()
                .filter(|f| user.sees_unit(f.unit_id))
                .map(|f| ApiFiling {
                    unit_id: f.unit_id,
                    state: match f.state {
                        FilingState::Draft => "draft",
                        FilingState::Submitted => "submitted",
                        FilingState::Accepted => "accepted",
                        FilingState::Returned => "returned",
                    }
                    .to_owned(),
                    first_submitted_on: f.first_submitted_on.map(iso),
                    submitted_on: f.submitted_on.map(iso),
                })
                .collect(),
        });
    }
    let next = next_cursor(items.len(), limit, items.last().map(|r| r.id));
    Ok(Json(RoundPage {
        items,
        next_cursor: next,
    }))
}
