//! Agencies' identifiers, and setting up a province: its committee and communes from the shipped
//! map, its departments from a spreadsheet.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::Refusal;
use danvan_app::store::StoreError;
use danvan_domain::admin_map;
use danvan_domain::identifier::Scheme;
use danvan_domain::unit::UnitKind;
use danvan_domain::{UnitError, collation, date, message};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::units::{IdentifierForm, unit_page};
use crate::pages::{render, render_invalid};
use crate::spreadsheet;
use crate::view::Layout;

/// The words of a refusal about agencies, for the page (the unit, import and restructuring
/// pages share them); a refusal that is not the user's to mend stays an error.
pub(crate) fn refusal_lines(refusal: Refusal) -> Result<Vec<String>, AppError> {
    match refusal {
        Refusal::Invalid(lines) => Ok(lines),
        Refusal::State(line) => Ok(vec![line]),
        Refusal::NotFound => Ok(vec!["Đơn vị được chọn không tồn tại.".to_owned()]),
        Refusal::Store(StoreError::Unit(error)) => Ok(vec![message::unit_error(error).to_owned()]),
        Refusal::Store(StoreError::Conflict(_)) => Ok(vec![message::CONFLICT_CODE.to_owned()]),
        other => Err(other.into()),
    }
}

/// Adds an identifier to an agency; the page comes back with the form as typed when refused.
pub async fn add_identifier(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(form): Form<IdentifierForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let scheme = Scheme::from_code(&form.scheme);
    if scheme.is_none() {
        errors.push("Chọn loại mã.".to_owned());
    }
    let from = date::parse(&form.valid_from);
    if from.is_none() {
        errors.push(format!("Từ ngày: {}", message::unit_error(UnitError::Date)));
    }
    let to = if form.valid_to.trim().is_empty() {
        Ok(None)
    } else {
        date::parse(&form.valid_to).map(Some).ok_or(())
    };
    if to.is_err() {
        errors.push(format!("Đến ngày: {}", message::unit_error(UnitError::Date)));
    }
    if let (Some(scheme), Some(from), Ok(to), true) = (scheme, from, to, errors.is_empty()) {
        match danvan_app::unit::add_identifier(&state.store, &user.acting(ip), id, scheme, &form.code, from, to).await {
            Ok(_) => return Ok(Redirect::to(&format!("/units/{id}#identifiers")).into_response()),
            Err(refusal) => errors.extend(refusal_lines(refusal)?),
        }
    }
    render_invalid(&unit_page(&state, &user, id, form, errors).await?)
}

#[derive(Debug, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    last_day: String,
}

/// Ends an identifier on its last day.
pub async fn end_identifier(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path((id, identifier_id)): Path<(i64, i64)>,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    // The identifier must be this agency's: the address names both.
    let carried = state.store.identifiers_of(id).await?;
    if !carried.iter().any(|i| i.id == identifier_id) {
        return Err(AppError::NotFound);
    }
    let errors = match date::parse(&form.last_day) {
        None => vec![format!("Ngày cuối: {}", message::unit_error(UnitError::Date))],
        Some(day) => match danvan_app::unit::end_identifier(&state.store, &user.acting(ip), identifier_id, day).await {
            Ok(()) => return Ok(Redirect::to(&format!("/units/{id}#identifiers")).into_response()),
            Err(refusal) => refusal_lines(refusal)?,
        },
    };
    let form = IdentifierForm {
        scheme: Scheme::Egov.code().into(),
        ending: Some((identifier_id, form.last_day.clone())),
        ..Default::default()
    };
    render_invalid(&unit_page(&state, &user, id, form, errors).await?)
}

pub struct Pick {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "units/import.html")]
pub struct ImportPage {
    layout: Layout,
    provinces: Vec<Pick>,
    parents: Vec<Pick>,
    valid_from: String,
    /// What the last import did, in words.
    done: Option<String>,
    province_errors: Vec<String>,
    sheet_errors: Vec<String>,
    kinds: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    province: String,
    created: Option<usize>,
    existing: Option<usize>,
    linked: Option<usize>,
    agencies: Option<usize>,
}

struct Typed<'a> {
    province: &'a str,
    parent: Option<i64>,
    valid_from: String,
}

async fn import_page(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed<'_>,
    done: Option<String>,
    province_errors: Vec<String>,
    sheet_errors: Vec<String>,
) -> Result<ImportPage, AppError> {
    let map = admin_map::map();
    let mut provinces: Vec<Pick> = map
        .provinces
        .iter()
        .map(|p| Pick {
            value: p.code.to_owned(),
            label: format!(
                "{} ({}, {} xã, phường, đặc khu)",
                p.name,
                p.code,
                map.communes_of(p.code).count()
            ),
            selected: p.code == typed.province,
        })
        .collect();
    collation::sort_by_key(&mut provinces, |p| &p.label);
    let today = state.clock.today();
    let mut parents: Vec<Pick> = state
        .store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.kind == UnitKind::ProvincialCommittee && u.valid_to.is_none_or(|to| to >= today))
        .map(|u| Pick {
            selected: typed.parent == Some(u.id),
            value: u.id.to_string(),
            label: u.name,
        })
        .collect();
    collation::sort_by_key(&mut parents, |p| &p.label);
    Ok(ImportPage {
        layout: Layout::new(state, Some(user), "units"),
        provinces,
        parents,
        valid_from: typed.valid_from,
        done,
        province_errors,
        sheet_errors,
        kinds: UnitKind::ALL.map(UnitKind::label).join("; "),
    })
}

pub async fn import_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ImportQuery>,
) -> Result<Response, AppError> {
    let done = match (query.created, query.existing, query.linked, query.agencies) {
        (Some(created), Some(existing), Some(linked), _) => Some(format!(
            "Đã nhập {}: tạo mới {created} đơn vị, {existing} đơn vị đã có từ trước (không tạo lại), ghi nhận {linked} quan hệ kế thừa từ đơn vị cũ.",
            admin_map::map()
                .province(&query.province)
                .map_or(query.province.as_str(), |p| p.name)
        )),
        (_, _, _, Some(count)) => Some(format!("Đã tạo {count} đơn vị từ bảng tính.")),
        _ => None,
    };
    let typed = Typed {
        province: &query.province,
        parent: None,
        valid_from: date::format_vn(admin_map::REFORM_DAY.max(state.clock.today())),
    };
    render(&import_page(&state, &user, typed, done, vec![], vec![]).await?)
}

#[derive(Debug, Deserialize)]
pub struct ProvinceForm {
    #[serde(default)]
    province: String,
}

pub async fn import_province(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<ProvinceForm>,
) -> Result<Response, AppError> {
    match danvan_app::province::import_province(&state.store, &user.acting(ip), &form.province).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "/units/import?province={}&created={}&existing={}&linked={}",
            form.province.trim(),
            done.created,
            done.existing,
            done.linked
        ))
        .into_response()),
        Err(refusal) => {
            let errors = refusal_lines(refusal)?;
            let typed = Typed {
                province: &form.province,
                parent: None,
                valid_from: date::format_vn(admin_map::REFORM_DAY.max(state.clock.today())),
            };
            render_invalid(&import_page(&state, &user, typed, None, errors, vec![]).await?)
        }
    }
}

pub async fn import_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut parent = String::new();
    let mut valid_from = String::new();
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu tải lên không hợp lệ."))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| AppError::BadRequest("Tệp quá lớn hoặc bị lỗi."))?;
        match name.as_str() {
            "parent" => parent = String::from_utf8_lossy(&bytes).into_owned(),
            "valid_from" => valid_from = String::from_utf8_lossy(&bytes).into_owned(),
            "file" if !bytes.is_empty() => file = Some(bytes),
            _ => {}
        }
    }
    let parent_id = parent.trim().parse::<i64>().ok();
    let from = date::parse(&valid_from);
    let mut errors = Vec::new();
    if parent_id.is_none() {
        errors.push("Chọn đơn vị cấp trên.".to_owned());
    }
    if from.is_none() {
        errors.push(format!("Ngày bắt đầu: {}", message::unit_error(UnitError::Date)));
    }
    let rows = match &file {
        None => {
            errors.push("Chọn tệp bảng tính (.xlsx, .xls hoặc .ods).".to_owned());
            None
        }
        Some(bytes) => match spreadsheet::read_rows(bytes) {
            Ok(rows) => Some(danvan_app::province::agency_rows(rows)),
            Err(error) => {
                errors.push(error.0);
                None
            }
        },
    };
    if let (Some(parent_id), Some(from), Some(rows), true) = (parent_id, from, rows, errors.is_empty()) {
        match danvan_app::province::import_agencies(&state.store, &user.acting(ip), &rows, parent_id, from).await {
            Ok(ids) => return Ok(Redirect::to(&format!("/units/import?agencies={}", ids.len())).into_response()),
            Err(refusal) => errors.extend(refusal_lines(refusal)?),
        }
    }
    let typed = Typed {
        province: "",
        parent: parent_id,
        valid_from,
    };
    render_invalid(&import_page(&state, &user, typed, None, vec![], errors).await?)
}
