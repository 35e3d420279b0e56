//! The addressees a document names: each resolved to agencies by a remembered mapping or by the
//! rules, and the list of those that still need a person to map them.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::unit::Unit;
use danvan_domain::{addressee, collation};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::documents::Choice;
use crate::pages::render;
use crate::view::Layout;

/// Resolves an addressee line: a remembered mapping first, then the rules.
pub async fn resolve_addressee(
    state: &AppState,
    text: &str,
    units: &[Unit],
    on: time::Date,
) -> Result<(Vec<i64>, String), AppError> {
    if let Some(mapping) = state.store.addressee_mapping(text).await? {
        if let Some(unit_id) = mapping.unit_id {
            return Ok((vec![unit_id], "Đã ghi nhớ".into()));
        }
        if let Some(group_id) = mapping.unit_group_id {
            let ids = units
                .iter()
                .filter(|u| u.group_id == Some(group_id) && u.is_active_on(on))
                .map(|u| u.id)
                .collect();
            return Ok((ids, "Đã ghi nhớ (khối)".into()));
        }
    }
    Ok(match addressee::resolve(text, units, on) {
        Some(resolution) => (resolution.unit_ids, format!("Tự động: {}", resolution.rule)),
        None => (vec![], String::new()),
    })
}

pub struct AddresseeLine {
    text: String,
    resolved: String,
    how: String,
}

#[derive(Template)]
#[template(path = "documents/addressees.html")]
pub struct AddresseesPage {
    layout: Layout,
    unresolved: Vec<String>,
    resolved: Vec<AddresseeLine>,
    targets: Vec<Choice>,
}

pub async fn list_addressees(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let units = state.store.list_units().await?;
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.short_name.clone())).collect();
    let mut unresolved = Vec::new();
    let mut resolved = Vec::new();
    for (text, issued_on) in state.store.addressee_lines().await? {
        let on = issued_on.unwrap_or_else(|| state.clock.today());
        let (ids, how) = resolve_addressee(&state, &text, &units, on).await?;
        if ids.is_empty() {
            unresolved.push(text);
        } else {
            let mut list: Vec<String> = ids.iter().filter_map(|id| names.get(id).cloned()).collect();
            collation::sort_by_key(&mut list, |n| n);
            resolved.push(AddresseeLine {
                text,
                resolved: list.join(", "),
                how,
            });
        }
    }
    collation::sort_by_key(&mut unresolved, |t| t);
    let mut targets: Vec<Choice> = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| Choice {
            value: format!("group:{}", g.id),
            label: format!("Khối: {}", g.name),
            selected: false,
        })
        .collect();
    let mut unit_choices: Vec<Choice> = units
        .iter()
        .filter(|u| u.is_active_on(state.clock.today()))
        .map(|u| Choice {
            value: format!("unit:{}", u.id),
            label: u.name.clone(),
            selected: false,
        })
        .collect();
    collation::sort_by_key(&mut unit_choices, |c| &c.label);
    targets.extend(unit_choices);
    render(&AddresseesPage {
        layout: Layout::new(&state, Some(&user), "documents"),
        unresolved,
        resolved,
        targets,
    })
}

#[derive(Debug, Deserialize)]
pub struct MappingForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    target: String,
}

pub async fn map_addressee(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<MappingForm>,
) -> Result<Response, AppError> {
    let text = form.text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        return Err(AppError::BadRequest("Nơi nhận không hợp lệ."));
    }
    let (unit_id, group_id) = match form.target.split_once(':') {
        Some(("unit", id)) => (
            Some(id.parse().map_err(|_| AppError::BadRequest("Đơn vị không hợp lệ."))?),
            None,
        ),
        Some(("group", id)) => (
            None,
            Some(id.parse().map_err(|_| AppError::BadRequest("Khối không hợp lệ."))?),
        ),
        _ => return Err(AppError::BadRequest("Chọn đơn vị hoặc khối cho nơi nhận.")),
    };
    if let Some(id) = unit_id
        && state.store.unit(id).await?.is_none()
    {
        return Err(AppError::BadRequest("Đơn vị không tồn tại."));
    }
    if let Some(id) = group_id
        && !state.store.list_groups().await?.iter().any(|g| g.id == id)
    {
        return Err(AppError::BadRequest("Khối không tồn tại."));
    }
    danvan_app::document::map_addressee(&state.store, &user.acting(ip), text, unit_id, group_id).await?;
    Ok(Redirect::to("/addressees").into_response())
}
