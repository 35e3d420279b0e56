//! The leader each agency assigns to its mobilization work: history, assignment, and the
//! monitor's list of agencies with nobody assigned.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_app::store::leader::NewLeader;
use danvan_domain::{collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

pub struct LeaderRow {
    name: String,
    position: String,
    decision: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "leaders/unit.html")]
pub struct LeadersPage {
    layout: Layout,
    unit_id: i64,
    unit: String,
    rows: Vec<LeaderRow>,
    can_assign: bool,
    errors: Vec<String>,
    form: LeaderForm,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct LeaderForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    valid_from: String,
}

async fn leaders_page(
    state: &AppState,
    user: &CurrentUser,
    unit_id: i64,
    errors: Vec<String>,
    form: LeaderForm,
) -> Result<LeadersPage, AppError> {
    if !user.sees_unit(unit_id) {
        return Err(AppError::Forbidden);
    }
    let unit = state.store.unit(unit_id).await?.ok_or(AppError::NotFound)?;
    let rows = state
        .store
        .leaders_of(unit_id)
        .await?
        .into_iter()
        .map(|l| LeaderRow {
            name: l.name,
            position: l.position,
            decision: l.decision,
            from: date::format_vn(l.valid_from),
            to: l.valid_to.map(date::format_vn).unwrap_or_else(|| "nay".into()),
        })
        .collect();
    Ok(LeadersPage {
        layout: Layout::new(state, Some(user), "units"),
        unit_id,
        unit: unit.name,
        rows,
        can_assign: user.keeps_records_of(unit_id),
        errors,
        form,
    })
}

pub async fn show_leaders(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let page = leaders_page(&state, &user, id, vec![], LeaderForm::default()).await?;
    if !page.rows.is_empty() {
        danvan_app::security::personal_read(&state.store, &user.acting(ip), "responsible_leader", id).await?;
    }
    render(&page)
}

pub async fn assign_leader(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<LeaderForm>,
) -> Result<Response, AppError> {
    if !user.keeps_records_of(id) {
        return Err(AppError::Forbidden);
    }
    state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let text = |value: &str, limit: usize, what: &str, errors: &mut Vec<String>| {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > limit {
            errors.push(format!("{what} không được để trống và không quá {limit} ký tự."));
        }
        value.to_owned()
    };
    let name = text(&form.name, 120, "Họ và tên", &mut errors);
    let position = text(&form.position, 120, "Chức vụ", &mut errors);
    let decision = text(&form.decision, 60, "Số, ký hiệu văn bản phân công", &mut errors);
    let valid_from = date::parse(&form.valid_from);
    if valid_from.is_none() {
        errors.push("Ngày bắt đầu phụ trách phải là ngày hợp lệ (ngày/tháng/năm).".into());
    }
    let (Some(valid_from), true) = (valid_from, errors.is_empty()) else {
        return render_invalid(&leaders_page(&state, &user, id, errors, form).await?);
    };
    let leader = NewLeader {
        unit_id: id,
        name,
        position,
        decision,
        valid_from,
    };
    match danvan_app::records::assign_leader(&state.store, &user.acting(ip), &leader).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{id}/leaders")).into_response()),
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            let error =
                "Ngày bắt đầu phải sau ngày bắt đầu của người đang phụ trách; lịch sử phân công không sửa lùi được."
                    .to_owned();
            render_invalid(&leaders_page(&state, &user, id, vec![error], form).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ComplianceQuery {
    #[serde(default)]
    date: String,
}

#[derive(Template)]
#[template(path = "leaders/compliance.html")]
pub struct CompliancePage {
    layout: Layout,
    date: String,
    units: Vec<(i64, String)>,
    error: Option<&'static str>,
}

/// The agencies with nobody in charge of mobilization work on a chosen date.
pub async fn show_compliance(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ComplianceQuery>,
) -> Result<Response, AppError> {
    let (day, error) = match query.date.trim() {
        "" => (state.clock.today(), None),
        text => match date::parse(text) {
            Some(day) => (day, None),
            None => (
                state.clock.today(),
                Some("Ngày không hợp lệ; hiển thị theo ngày hôm nay."),
            ),
        },
    };
    let missing = state.store.units_without_leader(day).await?;
    let all = state.store.list_units().await?;
    let mut units: Vec<(i64, String)> = all
        .into_iter()
        .filter(|u| missing.contains(&u.id))
        .map(|u| (u.id, u.name))
        .collect();
    units.sort_by(|a, b| collation::compare(&a.1, &b.1));
    render(&CompliancePage {
        layout: Layout::new(&state, Some(&user), "units"),
        date: date::format_vn(day),
        units,
        error,
    })
}
