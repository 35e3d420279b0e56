//! Agencies: the tree on a date, one agency, create, edit, close with successors.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::{AuditFilter, StoreError};
use danvan_domain::audit::Action;
use danvan_domain::identifier::{self, Identifier, Scheme};
use danvan_domain::unit::{NewUnit, SuccessionKind, Unit, UnitInput, UnitKind, tree_on};
use danvan_domain::{UnitError, collation, date, message};
use serde::Deserialize;
use time::Date;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::{Layout, format_instant};

/// One agency as a list shows it.
#[derive(Clone)]
pub struct UnitRow {
    id: i64,
    name: String,
    short_name: String,
    code: String,
    kind: &'static str,
    group: String,
    depth: usize,
    lifetime: String,
    /// The electronic identifier carried on the day shown, with its QCVN 102 form.
    egov: String,
    egov_qcvn102: String,
}

fn lifetime(unit: &Unit) -> String {
    match unit.valid_to {
        Some(to) => format!("{} – {}", date::format_vn(unit.valid_from), date::format_vn(to)),
        None => format!("từ {}", date::format_vn(unit.valid_from)),
    }
}

fn row(unit: &Unit, depth: usize, groups: &HashMap<i64, String>, egov: Option<&Identifier>) -> UnitRow {
    UnitRow {
        egov: egov.map(|i| i.code.clone()).unwrap_or_default(),
        egov_qcvn102: egov.and_then(Identifier::qcvn102).unwrap_or_default(),
        id: unit.id,
        name: unit.name.clone(),
        short_name: unit.short_name.clone(),
        code: unit.code.clone(),
        kind: unit.kind.label(),
        group: unit.group_id.and_then(|g| groups.get(&g).cloned()).unwrap_or_default(),
        depth,
        lifetime: lifetime(unit),
    }
}

async fn group_names(state: &AppState) -> Result<HashMap<i64, String>, AppError> {
    Ok(state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}

#[derive(Template)]
#[template(path = "units/tree.html")]
pub struct UnitTreePage {
    layout: Layout,
    date: String,
    date_error: bool,
    rows: Vec<UnitRow>,
    can_manage: bool,
    export: String,
}

#[derive(Debug, Deserialize)]
pub struct TreeQuery {
    date: Option<String>,
}

/// The agencies alive on a day as a spreadsheet, with their identifiers of that day.
pub async fn export_units(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Query(query): Query<TreeQuery>,
) -> Result<Response, AppError> {
    use crate::xlsx::{Cell, Sheet};
    let on = query
        .date
        .as_deref()
        .and_then(date::parse)
        .unwrap_or_else(|| state.clock.today());
    let units = state.store.list_units().await?;
    let groups = group_names(&state).await?;
    let identifiers = identifier::by_unit(state.store.list_identifiers().await?);
    let names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let text = |s: &str| {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_owned())
        }
    };
    let rows = tree_on(&units, on)
        .into_iter()
        .map(|r| {
            let unit = r.unit;
            let of = |scheme| {
                identifier::on_day(
                    identifiers.get(&unit.id).map_or(&[][..], Vec::as_slice),
                    unit.id,
                    scheme,
                    on,
                )
            };
            let egov = of(Scheme::Egov);
            vec![
                Cell::Text(unit.name.clone()),
                Cell::Text(unit.short_name.clone()),
                Cell::Text(unit.kind.label().to_owned()),
                text(unit.group_id.and_then(|g| groups.get(&g)).map_or("", String::as_str)),
                Cell::Text(unit.code.clone()),
                text(egov.map_or("", |i| i.code.as_str())),
                text(&egov.and_then(Identifier::qcvn102).unwrap_or_default()),
                text(of(Scheme::Admin).map_or("", |i| i.code.as_str())),
                text(unit.parent_id.and_then(|p| names.get(&p).copied()).unwrap_or("")),
                Cell::Date(unit.valid_from),
                unit.valid_to.map_or(Cell::Empty, Cell::Date),
            ]
        })
        .collect();
    let sheet = Sheet {
        name: "Đơn vị".into(),
        title: Some(format!("Danh sách đơn vị hoạt động ngày {}", date::format_vn(on))),
        header: [
            "Tên đơn vị",
            "Tên viết tắt",
            "Loại",
            "Khối",
            "Mã",
            "Mã định danh điện tử",
            "Mã định danh (QCVN 102)",
            "Mã đơn vị hành chính",
            "Đơn vị cấp trên",
            "Từ ngày",
            "Đến ngày",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        note: None,
    };
    let file_name = format!("don-vi-{}.xlsx", date::format_iso(on));
    crate::pages::export_xlsx(&state, &user, ip, vec![sheet], (Action::ExportUnits, 0), &file_name).await
}

pub async fn list_units(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<TreeQuery>,
) -> Result<Response, AppError> {
    let requested = query.date.as_deref().filter(|d| !d.trim().is_empty());
    let parsed = requested.map(date::parse);
    let on = parsed.flatten().unwrap_or_else(|| state.clock.today());
    // The tree on a day, the same for every viewer: kept while the data and the day stand.
    let rows = state
        .kept(format!("units:{on}"), |_| async {
            let units = state.store.list_units().await?;
            let groups = group_names(&state).await?;
            let identifiers = identifier::by_unit(state.store.list_identifiers().await?);
            Ok(tree_on(&units, on)
                .into_iter()
                .map(|r| {
                    let egov = identifier::on_day(
                        identifiers.get(&r.unit.id).map_or(&[][..], Vec::as_slice),
                        r.unit.id,
                        Scheme::Egov,
                        on,
                    );
                    row(r.unit, r.depth, &groups, egov)
                })
                .collect::<Vec<_>>())
        })
        .await?
        .as_ref()
        .clone();
    render(&UnitTreePage {
        layout: Layout::new(&state, Some(&user), "units"),
        export: format!("/units/export?date={}", date::format_vn(on)),
        date: date::format_vn(on),
        date_error: matches!(parsed, Some(None)),
        rows,
        can_manage: user.role.manages_units(),
    })
}

/// A link to another agency with its name of the time.
pub struct UnitLink {
    id: i64,
    name: String,
    note: String,
}

pub struct HistoryRow {
    at: String,
    actor: String,
    action: &'static str,
}

#[derive(Template)]
#[template(path = "units/show.html")]
pub struct UnitPage {
    layout: Layout,
    unit: UnitRow,
    active_today: bool,
    parent: Option<UnitLink>,
    children: Vec<UnitLink>,
    predecessors: Vec<UnitLink>,
    successors: Vec<UnitLink>,
    history: Vec<HistoryRow>,
    can_manage: bool,
    /// Sees this agency's own records (its leaders, its dissemination): the links show only then.
    sees_records: bool,
    identifiers: Vec<IdentifierRow>,
    /// For a commune of the 2025 map: the former units it was formed from (the map's words).
    formed_from: Vec<String>,
    /// The identifier form as typed, with its problems.
    identifier_form: IdentifierForm,
    errors: Vec<String>,
    schemes: Vec<Choice>,
}

/// One identifier an agency carries or carried.
pub struct IdentifierRow {
    id: i64,
    scheme: &'static str,
    code: String,
    qcvn102: String,
    period: String,
    open: bool,
}

/// The fields of the identifier forms as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct IdentifierForm {
    #[serde(default)]
    pub scheme: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    /// The identifier whose ending was refused, with the last day as typed.
    #[serde(skip)]
    pub ending: Option<(i64, String)>,
}

impl IdentifierForm {
    /// The last day typed for ending identifier `id`, when that ending was refused.
    pub fn last_day_for(&self, id: &i64) -> &str {
        match &self.ending {
            Some((ending, day)) if ending == id => day,
            _ => "",
        }
    }
}

fn action_label(action: &str) -> &'static str {
    match action {
        "create" => "Tạo mới",
        "update" => "Sửa thông tin",
        "close" => "Kết thúc hoạt động",
        "add_identifier" => "Thêm mã định danh",
        "end_identifier" => "Chấm dứt hiệu lực mã định danh",
        "link_successor" => "Ghi nhận đơn vị kế thừa",
        _ => "Thay đổi khác",
    }
}

pub async fn show_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let form = IdentifierForm {
        scheme: Scheme::Egov.code().into(),
        ..Default::default()
    };
    render(&unit_page(&state, &user, id, form, Vec::new()).await?)
}

/// An agency's page, with the identifier form as typed and its problems.
pub async fn unit_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    identifier_form: IdentifierForm,
    errors: Vec<String>,
) -> Result<UnitPage, AppError> {
    let unit = state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let units: HashMap<i64, Unit> = state.store.list_units().await?.into_iter().map(|u| (u.id, u)).collect();
    let groups = group_names(state).await?;
    let link = |id: i64, note: String| UnitLink {
        id,
        name: units.get(&id).map(|u| u.name.clone()).unwrap_or_default(),
        note,
    };
    let mut children: Vec<UnitLink> = units
        .values()
        .filter(|u| u.parent_id == Some(id))
        .map(|u| UnitLink {
            id: u.id,
            name: u.name.clone(),
            note: lifetime(u),
        })
        .collect();
    collation::sort_by_key(&mut children, |c| &c.name);
    let mut predecessors = Vec::new();
    let mut successors = Vec::new();
    // A closing recorded ahead of its date shows too, with the day it takes effect.
    for succession in state.store.successions_of(id).await? {
        let note = format!(
            "{} · từ {}",
            succession.kind.label(),
            date::format_vn(succession.effective_on)
        );
        if succession.successor_id == id {
            predecessors.push(link(succession.predecessor_id, note));
        } else {
            successors.push(link(succession.successor_id, note));
        }
    }
    let history = state
        .store
        .audit_entries(&AuditFilter {
            object_type: Some("unit".into()),
            object_id: Some(id.to_string()),
            limit: 50,
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|e| HistoryRow {
            at: format_instant(e.created_at),
            actor: e.actor,
            action: action_label(&e.action),
        })
        .collect();
    let today = state.clock.today();
    let carried = state.store.identifiers_of(id).await?;
    let egov_today = identifier::on_day(&carried, id, Scheme::Egov, today);
    let identifiers = carried
        .iter()
        .map(|i| IdentifierRow {
            id: i.id,
            scheme: i.scheme.label(),
            code: i.code.clone(),
            qcvn102: i.qcvn102().unwrap_or_default(),
            period: match i.valid_to {
                Some(to) => format!("{} – {}", date::format_vn(i.valid_from), date::format_vn(to)),
                None => format!("từ {}", date::format_vn(i.valid_from)),
            },
            open: i.valid_to.is_none(),
        })
        .collect();
    let map = danvan_domain::admin_map::map();
    let formed_from = carried
        .iter()
        .filter(|i| i.scheme == Scheme::Admin && i.valid_from >= danvan_domain::admin_map::REFORM_DAY)
        .find_map(|i| map.commune(&i.code))
        .map(|commune| {
            commune
                .formed_from
                .iter()
                .map(|f| {
                    let name = map.describe(f.unit);
                    if f.partial {
                        format!("{name}, một phần")
                    } else {
                        name
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let schemes = Scheme::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().into(),
            label: s.label().into(),
            selected: identifier_form.scheme == s.code(),
        })
        .collect();
    Ok(UnitPage {
        layout: Layout::new(state, Some(user), "units"),
        sees_records: user.sees_unit(unit.id),
        active_today: unit.is_active_on(today),
        parent: unit.parent_id.map(|p| link(p, String::new())),
        unit: row(&unit, 0, &groups, egov_today),
        children,
        predecessors,
        successors,
        history,
        can_manage: user.role.manages_units(),
        identifiers,
        formed_from,
        identifier_form,
        errors,
        schemes,
    })
}

/// The values of the agency form as typed, to show again with errors.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
}

impl UnitForm {
    fn from_unit(unit: &Unit) -> Self {
        Self {
            code: unit.code.clone(),
            name: unit.name.clone(),
            short_name: unit.short_name.clone(),
            kind: unit.kind.code().to_owned(),
            parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            group_id: unit.group_id.map(|g| g.to_string()).unwrap_or_default(),
            valid_from: date::format_vn(unit.valid_from),
            valid_to: unit.valid_to.map(date::format_vn).unwrap_or_default(),
        }
    }
}

/// Messages for the fields of a form; an empty string where a field is fine.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<(&'static str, &'static str)>);

impl FieldErrors {
    pub fn get(&self, field: &str) -> &'static str {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> Vec<&'static str> {
        self.0.iter().map(|(_, m)| *m).collect()
    }
}

pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "units/form.html")]
pub struct UnitFormPage {
    layout: Layout,
    title: String,
    action: String,
    form: UnitForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    groups: Vec<Choice>,
    parents: Vec<Choice>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    title: String,
    action: String,
    form: UnitForm,
    errors: FieldErrors,
    editing: Option<i64>,
) -> Result<UnitFormPage, AppError> {
    let kinds = UnitKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.code().into(),
            label: k.label().into(),
            selected: form.kind == k.code(),
        })
        .collect();
    let groups = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| Choice {
            value: g.id.to_string(),
            label: g.name,
            selected: form.group_id == g.id.to_string(),
        })
        .collect();
    let mut units = state.store.list_units().await?;
    units.retain(|u| Some(u.id) != editing);
    collation::sort_by_key(&mut units, |u| &u.name);
    let parents = units
        .iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: format!("{} ({})", u.name, lifetime(u)),
            selected: form.parent_id == u.id.to_string(),
        })
        .collect();
    Ok(UnitFormPage {
        layout: Layout::new(state, Some(user), "units"),
        title,
        action,
        form,
        errors,
        kinds,
        groups,
        parents,
    })
}

pub async fn new_unit_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let form = UnitForm {
        valid_from: date::format_vn(state.clock.today()),
        ..Default::default()
    };
    let page = form_page(
        &state,
        &user,
        "Thêm đơn vị".into(),
        "/units".into(),
        form,
        FieldErrors::default(),
        None,
    )
    .await?;
    render(&page)
}

/// An id from a form's select; empty means none.
fn optional_id(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse().map(Some).map_err(|_| ())
    }
}

fn parse_form(form: &UnitForm) -> Result<NewUnit, FieldErrors> {
    let parent_id = optional_id(&form.parent_id);
    let group_id = optional_id(&form.group_id);
    let input = UnitInput {
        code: &form.code,
        name: &form.name,
        short_name: &form.short_name,
        kind: &form.kind,
        parent_id: parent_id.unwrap_or(None),
        group_id: group_id.unwrap_or(None),
        valid_from: &form.valid_from,
        valid_to: &form.valid_to,
    };
    let mut errors: Vec<(&'static str, &'static str)> = match NewUnit::parse(&input) {
        Ok(unit) if parent_id.is_ok() && group_id.is_ok() => return Ok(unit),
        Ok(_) => vec![],
        Err(errors) => errors.into_iter().map(|(f, e)| (f, message::unit_error(e))).collect(),
    };
    if parent_id.is_err() {
        errors.push(("parent_id", "Đơn vị cấp trên không hợp lệ."));
    }
    if group_id.is_err() {
        errors.push(("group_id", "Khối không hợp lệ."));
    }
    Err(FieldErrors(errors))
}

/// Turns a refusal by the store into a form error where a person can fix it.
fn store_error_to_field(error: StoreError) -> Result<FieldErrors, AppError> {
    match error {
        StoreError::Conflict("code") => Ok(FieldErrors(vec![("code", message::CONFLICT_CODE)])),
        StoreError::Unit(e @ (UnitError::ParentNotActive | UnitError::SelfReference)) => {
            Ok(FieldErrors(vec![("parent_id", message::unit_error(e))]))
        }
        StoreError::Unit(e) => Ok(FieldErrors(vec![("valid_from", message::unit_error(e))])),
        other => Err(other.into()),
    }
}

pub async fn create_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<UnitForm>,
) -> Result<Response, AppError> {
    let errors = match parse_form(&form) {
        Ok(unit) => match danvan_app::unit::create(&state.store, &user.acting(ip), &unit).await {
            Ok(id) => return Ok(Redirect::to(&format!("/units/{id}")).into_response()),
            Err(danvan_app::Refusal::Store(error)) => store_error_to_field(error)?,
            Err(other) => return Err(other.into()),
        },
        Err(errors) => errors,
    };
    let page = form_page(&state, &user, "Thêm đơn vị".into(), "/units".into(), form, errors, None).await?;
    render_invalid(&page)
}

pub async fn edit_unit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let unit = state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let title = format!("Sửa đơn vị: {}", unit.name);
    let page = form_page(
        &state,
        &user,
        title,
        format!("/units/{id}/edit"),
        UnitForm::from_unit(&unit),
        FieldErrors::default(),
        Some(id),
    )
    .await?;
    render(&page)
}

pub async fn update_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<UnitForm>,
) -> Result<Response, AppError> {
    let existing = state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let errors = match parse_form(&form) {
        Ok(unit) => match danvan_app::unit::update(&state.store, &user.acting(ip), id, &unit).await {
            Ok(()) => return Ok(Redirect::to(&format!("/units/{id}")).into_response()),
            Err(danvan_app::Refusal::Store(error)) => store_error_to_field(error)?,
            Err(other) => return Err(other.into()),
        },
        Err(errors) => errors,
    };
    let title = format!("Sửa đơn vị: {}", existing.name);
    let page = form_page(
        &state,
        &user,
        title,
        format!("/units/{id}/edit"),
        form,
        errors,
        Some(id),
    )
    .await?;
    render_invalid(&page)
}

#[derive(Template)]
#[template(path = "units/close.html")]
pub struct CloseUnitPage {
    layout: Layout,
    unit_id: i64,
    unit_name: String,
    closed_on: String,
    kinds: Vec<Choice>,
    candidates: Vec<Choice>,
    errors: Vec<&'static str>,
}

async fn close_page(
    state: &AppState,
    user: &CurrentUser,
    unit: &Unit,
    closed_on: String,
    kind: &str,
    chosen: &[i64],
    errors: Vec<&'static str>,
) -> Result<CloseUnitPage, AppError> {
    let mut units = state.store.list_units().await?;
    // Successors must be alive after the closing; offer those alive at the end of the
    // unit's lifetime or later, i.e. those not closed before the proposed date.
    let after: Date = date::parse(&closed_on).unwrap_or(state.clock.today());
    units.retain(|u| u.id != unit.id && u.valid_to.is_none_or(|to| to > after));
    collation::sort_by_key(&mut units, |u| &u.name);
    Ok(CloseUnitPage {
        layout: Layout::new(state, Some(user), "units"),
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        closed_on,
        kinds: SuccessionKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: k.label().into(),
                selected: k.code() == kind,
            })
            .collect(),
        candidates: units
            .iter()
            .map(|u| Choice {
                value: u.id.to_string(),
                label: format!("{} ({})", u.name, lifetime(u)),
                selected: chosen.contains(&u.id),
            })
            .collect(),
        errors,
    })
}

pub async fn close_unit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let unit = state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let closed_on = date::format_vn(state.clock.today());
    render(&close_page(&state, &user, &unit, closed_on, "merger", &[], vec![]).await?)
}

/// The closing form has a repeated `successor` field, which the serde form reader cannot hold.
pub async fn close_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let unit = state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let mut closed_on = String::new();
    let mut kind = String::new();
    let mut successors = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in form_urlencoded::parse(&body) {
        match &*key {
            "closed_on" => closed_on = value.into_owned(),
            "kind" => kind = value.into_owned(),
            "successor" => match value.trim().parse::<i64>() {
                Ok(successor) => successors.push(successor),
                Err(_) => errors.push("Đơn vị kế thừa không hợp lệ."),
            },
            _ => {}
        }
    }
    let date = date::parse(&closed_on);
    if date.is_none() {
        errors.push(message::unit_error(UnitError::Date));
    }
    let succession = SuccessionKind::from_code(&kind);
    if succession.is_none() {
        errors.push(message::unit_error(UnitError::SuccessionKind));
    }
    if successors.is_empty() {
        errors.push("Chọn ít nhất một đơn vị kế thừa.");
    }
    if let (Some(date), Some(succession), true) = (date, succession, errors.is_empty()) {
        match danvan_app::unit::close(&state.store, &user.acting(ip), id, date, succession, &successors).await {
            Ok(()) => return Ok(Redirect::to(&format!("/units/{id}")).into_response()),
            Err(danvan_app::Refusal::Store(StoreError::Unit(error))) => errors.push(message::unit_error(error)),
            Err(danvan_app::Refusal::Store(StoreError::NotFound)) => errors.push("Đơn vị kế thừa không tồn tại."),
            Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => errors.push("Đơn vị kế thừa bị chọn trùng."),
            Err(other) => return Err(other.into()),
        }
    }
    render_invalid(&close_page(&state, &user, &unit, closed_on, &kind, &successors, errors).await?)
}
