//! Restructuring agencies in the admin pages: the plan (merge, split, rename, dissolve, with an
//! effective date), the preview of what moves and to which successor (chosen per item where
//! there are several), and the confirmation that does it all at once.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::restructure::{NEW_UNIT, Plan, Preview};
use danvan_domain::restructure::{Moved, Restructuring};
use danvan_domain::unit::{NewUnit, Unit, UnitInput, UnitKind};
use danvan_domain::{collation, date, message};

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::unit_import::refusal_lines;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// The plan's fields as typed (repeated fields kept in order).
#[derive(Debug, Default, Clone)]
pub struct PlanForm {
    kind: String,
    effective_on: String,
    sources: Vec<i64>,
    successors: Vec<i64>,
    new_name: String,
    new_short_name: String,
    new_code: String,
    new_kind: String,
    /// `choice.{moved}.{record id}` → a successor's id, `new`, or `keep`.
    choices: Vec<(String, String)>,
}

impl PlanForm {
    fn read(body: &[u8]) -> (PlanForm, Vec<String>) {
        let mut form = PlanForm::default();
        let mut errors = Vec::new();
        for (key, value) in form_urlencoded::parse(body) {
            let mut id = |list: &mut Vec<i64>| match value.trim().parse() {
                Ok(id) => list.push(id),
                Err(_) => errors.push("Đơn vị được chọn không hợp lệ.".to_owned()),
            };
            match &*key {
                "kind" => form.kind = value.into_owned(),
                "effective_on" => form.effective_on = value.into_owned(),
                "source" => id(&mut form.sources),
                "successor" => id(&mut form.successors),
                "new_name" => form.new_name = value.into_owned(),
                "new_short_name" => form.new_short_name = value.into_owned(),
                "new_code" => form.new_code = value.into_owned(),
                "new_kind" => form.new_kind = value.into_owned(),
                other if other.starts_with("choice.") => form.choices.push((other.to_owned(), value.into_owned())),
                _ => {}
            }
        }
        (form, errors)
    }

    /// The plan, or every problem with it.
    fn plan(&self, units: &HashMap<i64, Unit>) -> Result<Plan, Vec<String>> {
        let mut errors = Vec::new();
        let kind = Restructuring::from_code(&self.kind);
        if kind.is_none() {
            errors.push("Chọn hình thức sắp xếp.".to_owned());
        }
        let effective_on = date::parse(&self.effective_on);
        if effective_on.is_none() {
            errors.push(format!(
                "Ngày hiệu lực: {}",
                message::unit_error(danvan_domain::UnitError::Date)
            ));
        }
        let new_unit = if self.new_name.trim().is_empty() && self.new_code.trim().is_empty() {
            None
        } else {
            let parent = self
                .sources
                .first()
                .and_then(|id| units.get(id))
                .and_then(|u| u.parent_id);
            let input = UnitInput {
                code: &self.new_code,
                name: &self.new_name,
                short_name: &self.new_short_name,
                kind: &self.new_kind,
                parent_id: parent,
                group_id: None,
                valid_from: &self.effective_on,
                valid_to: "",
            };
            match NewUnit::parse(&input) {
                Ok(unit) => Some(unit),
                Err(problems) => {
                    for (_, problem) in problems {
                        let text = format!("Đơn vị mới: {}", message::unit_error(problem));
                        if !errors.contains(&text) {
                            errors.push(text);
                        }
                    }
                    None
                }
            }
        };
        let mut choices = HashMap::new();
        for (key, value) in &self.choices {
            let mut parts = key.splitn(3, '.').skip(1);
            let what = parts.next().and_then(Moved::from_code);
            let id = parts.next().and_then(|id| id.parse::<i64>().ok());
            let to = match value.as_str() {
                "keep" => Some(None),
                "new" => Some(Some(NEW_UNIT)),
                other => other.parse::<i64>().ok().map(Some),
            };
            match (what, id, to) {
                (Some(what), Some(id), Some(to)) => {
                    choices.insert((what, id), to);
                }
                _ => errors.push("Lựa chọn đơn vị tiếp nhận không hợp lệ.".to_owned()),
            }
        }
        match (kind, effective_on, errors.is_empty()) {
            (Some(kind), Some(effective_on), true) => Ok(Plan {
                kind,
                sources: self.sources.clone(),
                successors: self.successors.clone(),
                new_unit,
                effective_on,
                choices,
            }),
            _ => Err(errors),
        }
    }
}

pub struct Pick {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "units/restructure.html")]
pub struct PlanPage {
    layout: Layout,
    kinds: Vec<Pick>,
    unit_kinds: Vec<Pick>,
    effective_on: String,
    sources: Vec<Pick>,
    successors: Vec<Pick>,
    new_name: String,
    new_short_name: String,
    new_code: String,
    errors: Vec<String>,
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    form: &PlanForm,
    errors: Vec<String>,
) -> Result<PlanPage, AppError> {
    let on = date::parse(&form.effective_on).unwrap_or_else(|| state.clock.today());
    let mut units: Vec<Unit> = state
        .store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.valid_to.is_none() || u.valid_to.is_some_and(|to| to >= on))
        .collect();
    collation::sort_by_key(&mut units, |u| &u.name);
    let picks = |chosen: &[i64]| {
        units
            .iter()
            .map(|u| Pick {
                value: u.id.to_string(),
                label: format!("{} (từ {})", u.name, date::format_vn(u.valid_from)),
                selected: chosen.contains(&u.id),
            })
            .collect()
    };
    Ok(PlanPage {
        layout: Layout::new(state, Some(user), "units"),
        kinds: Restructuring::ALL
            .iter()
            .map(|k| Pick {
                value: k.code().into(),
                label: k.label().into(),
                selected: form.kind == k.code(),
            })
            .collect(),
        unit_kinds: UnitKind::ALL
            .iter()
            .map(|k| Pick {
                value: k.code().into(),
                label: k.label().into(),
                selected: form.new_kind == k.code(),
            })
            .collect(),
        effective_on: form.effective_on.clone(),
        sources: picks(&form.sources),
        successors: picks(&form.successors),
        new_name: form.new_name.clone(),
        new_short_name: form.new_short_name.clone(),
        new_code: form.new_code.clone(),
        errors,
    })
}

pub async fn plan_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let form = PlanForm {
        kind: Restructuring::Merge.code().into(),
        effective_on: date::format_vn(state.clock.today()),
        new_kind: UnitKind::Department.code().into(),
        ..Default::default()
    };
    render(&plan_page(&state, &user, &form, Vec::new()).await?)
}

/// One item of the preview, with its choices.
pub struct ItemRow {
    what: &'static str,
    from: String,
    label: String,
    key: String,
    options: Vec<Pick>,
    note: String,
}

#[derive(Template)]
#[template(path = "units/restructure_preview.html")]
pub struct PreviewPage {
    layout: Layout,
    kind_label: &'static str,
    effective_on: String,
    sources: Vec<String>,
    successors: Vec<String>,
    items: Vec<ItemRow>,
    /// The plan's fields, carried to the confirmation.
    hidden: Vec<(String, String)>,
    errors: Vec<String>,
}

fn preview_page(
    state: &AppState,
    user: &CurrentUser,
    form: &PlanForm,
    plan: &Plan,
    preview: &Preview,
    errors: Vec<String>,
) -> PreviewPage {
    let names: HashMap<i64, String> = preview
        .sources
        .iter()
        .chain(&preview.successors)
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let new_name = plan.new_unit.as_ref().map(|u| format!("{} (thành lập mới)", u.name));
    let mut targets: Vec<(String, String)> = preview
        .successors
        .iter()
        .map(|u| (u.id.to_string(), u.name.clone()))
        .collect();
    if let Some(name) = &new_name {
        targets.push(("new".into(), name.clone()));
    }
    let items = preview
        .items
        .iter()
        .map(|item| {
            let chosen = match item.to {
                None => "keep".to_owned(),
                Some(NEW_UNIT) => "new".to_owned(),
                Some(id) => id.to_string(),
            };
            let mut options: Vec<Pick> = targets
                .iter()
                .map(|(value, label)| Pick {
                    selected: *value == chosen,
                    value: value.clone(),
                    label: label.clone(),
                })
                .collect();
            options.push(Pick {
                value: "keep".into(),
                label: "Không chuyển (giữ ở đơn vị cũ)".into(),
                selected: chosen == "keep",
            });
            ItemRow {
                what: item.what.label(),
                from: names.get(&item.from_unit).cloned().unwrap_or_default(),
                label: item.label.clone(),
                key: format!("choice.{}.{}", item.what.code(), item.record_id),
                options,
                note: item.note.clone().unwrap_or_default(),
            }
        })
        .collect();
    let mut hidden = vec![
        ("kind".to_owned(), form.kind.clone()),
        ("effective_on".to_owned(), form.effective_on.clone()),
        ("new_name".to_owned(), form.new_name.clone()),
        ("new_short_name".to_owned(), form.new_short_name.clone()),
        ("new_code".to_owned(), form.new_code.clone()),
        ("new_kind".to_owned(), form.new_kind.clone()),
    ];
    hidden.extend(form.sources.iter().map(|id| ("source".to_owned(), id.to_string())));
    hidden.extend(
        form.successors
            .iter()
            .map(|id| ("successor".to_owned(), id.to_string())),
    );
    PreviewPage {
        layout: Layout::new(state, Some(user), "units"),
        kind_label: plan.kind.label(),
        effective_on: date::format_vn(plan.effective_on),
        sources: preview.sources.iter().map(|u| u.name.clone()).collect(),
        successors: preview
            .successors
            .iter()
            .map(|u| u.name.clone())
            .chain(new_name)
            .collect(),
        items,
        hidden,
        errors,
    }
}

/// Lists what would move; the plan's form again when it cannot be done.
pub async fn preview(State(state): State<AppState>, user: CurrentUser, body: Bytes) -> Result<Response, AppError> {
    let (form, mut errors) = PlanForm::read(&body);
    let units: HashMap<i64, Unit> = state.store.list_units().await?.into_iter().map(|u| (u.id, u)).collect();
    if errors.is_empty() {
        match form.plan(&units) {
            Ok(plan) => {
                match danvan_app::restructure::preview(&state.store, &user.acting(String::new()), &plan).await {
                    Ok(preview) => return render(&preview_page(&state, &user, &form, &plan, &preview, Vec::new())),
                    Err(refusal) => errors.extend(refusal_lines(refusal)?),
                }
            }
            Err(problems) => errors.extend(problems),
        }
    }
    render_invalid(&plan_page(&state, &user, &form, errors).await?)
}

/// Does the restructuring as previewed and confirmed.
pub async fn apply(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, AppError> {
    let (form, mut errors) = PlanForm::read(&body);
    let units: HashMap<i64, Unit> = state.store.list_units().await?.into_iter().map(|u| (u.id, u)).collect();
    let plan = match form.plan(&units) {
        Ok(plan) if errors.is_empty() => plan,
        Ok(_) => return render_invalid(&plan_page(&state, &user, &form, errors).await?),
        Err(problems) => {
            errors.extend(problems);
            return render_invalid(&plan_page(&state, &user, &form, errors).await?);
        }
    };
    match danvan_app::restructure::apply(&state.store, &user.acting(ip), &plan).await {
        Ok(successors) => {
            let to = successors.first().or(plan.sources.first()).copied().unwrap_or_default();
            Ok(Redirect::to(&format!("/units/{to}")).into_response())
        }
        Err(refusal) => {
            let errors = refusal_lines(refusal)?;
            match danvan_app::restructure::preview(&state.store, &user.acting(String::new()), &plan).await {
                Ok(preview) => render_invalid(&preview_page(&state, &user, &form, &plan, &preview, errors)),
                Err(_) => render_invalid(&plan_page(&state, &user, &form, errors).await?),
            }
        }
    }
}
