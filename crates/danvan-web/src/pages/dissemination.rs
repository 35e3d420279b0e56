//! Dissemination records: each agency records the meetings at which it made the directives'
//! documents known; the Department sees, per listed document, who has and who has not.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::dissemination::NewDissemination;
use danvan_app::store::{DocumentSummary, Store, StoreError};
use danvan_domain::unit::UnitKind;
use danvan_domain::{collation, date};

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// The documents agencies are asked to disseminate: every directive's source document and the
/// documents it cites that the library holds, in the order first met.
pub async fn listed_documents(store: &Store) -> Result<Vec<DocumentSummary>, StoreError> {
    let mut out: Vec<DocumentSummary> = Vec::new();
    for directive in store.list_directives().await? {
        let Some(source) = directive.document_id else { continue };
        for citation in store.citations_of(source).await? {
            if let Some(target) = citation.target
                && !out.iter().any(|d| d.id == target.id)
            {
                out.push(target);
            }
        }
    }
    Ok(out)
}

fn label(d: &DocumentSummary) -> String {
    let number = match (&d.number, &d.symbol) {
        (Some(n), Some(s)) => format!("{n}/{s}"),
        (None, Some(s)) => s.clone(),
        _ => format!("#{}", d.id),
    };
    let kind = d.doc_type.clone().unwrap_or_default();
    let subject = d.subject.clone().unwrap_or_default();
    format!("{kind} {number} {subject}").trim().to_owned()
}

pub struct MeetingRow {
    held_on: String,
    form: String,
    participants: i64,
    documents: Vec<String>,
}

#[derive(Template)]
#[template(path = "dissemination/unit.html")]
pub struct UnitPage {
    layout: Layout,
    unit_id: i64,
    unit: String,
    meetings: Vec<MeetingRow>,
    listed: Vec<(i64, String)>,
    can_record: bool,
    errors: Vec<String>,
}

async fn unit_page(
    state: &AppState,
    user: &CurrentUser,
    unit_id: i64,
    errors: Vec<String>,
) -> Result<UnitPage, AppError> {
    if !user.sees_unit(unit_id) {
        return Err(AppError::Forbidden);
    }
    let unit = state.store.unit(unit_id).await?.ok_or(AppError::NotFound)?;
    let listed = listed_documents(&state.store).await?;
    let mut names = std::collections::HashMap::new();
    for d in &listed {
        names.insert(d.id, label(d));
    }
    let mut meetings = Vec::new();
    for record in state.store.disseminations_of(unit_id).await? {
        let mut documents = Vec::new();
        for id in &record.document_ids {
            let name = match names.get(id) {
                Some(name) => name.clone(),
                None => state
                    .store
                    .document(*id)
                    .await?
                    .map(|d| label(&d.summary))
                    .unwrap_or_default(),
            };
            documents.push(name);
        }
        meetings.push(MeetingRow {
            held_on: date::format_vn(record.held_on),
            form: record.form,
            participants: record.participants,
            documents,
        });
    }
    Ok(UnitPage {
        layout: Layout::new(state, Some(user), "units"),
        unit_id,
        unit: unit.name,
        meetings,
        listed: listed.iter().map(|d| (d.id, label(d))).collect(),
        can_record: user.keeps_records_of(unit_id),
        errors,
    })
}

pub async fn show_unit_dissemination(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&unit_page(&state, &user, id, vec![]).await?)
}

pub async fn record_dissemination(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !user.keeps_records_of(id) {
        return Err(AppError::Forbidden);
    }
    state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let held_on = date::parse(&field("held_on"));
    if held_on.is_none() {
        errors.push("Ngày tổ chức phải là ngày hợp lệ (ngày/tháng/năm).".to_owned());
    }
    let form_text = field("form");
    if form_text.is_empty() || form_text.chars().count() > 200 {
        errors.push("Hình thức phổ biến không được để trống và không quá 200 ký tự.".to_owned());
    }
    let participants = field("participants")
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=100_000).contains(n));
    if participants.is_none() {
        errors.push("Số người tham dự phải là số nguyên dương.".to_owned());
    }
    let listed: BTreeSet<i64> = listed_documents(&state.store).await?.iter().map(|d| d.id).collect();
    let chosen: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "document")
        .filter_map(|(_, v)| v.parse::<i64>().ok())
        .filter(|id| listed.contains(id))
        .collect();
    if chosen.is_empty() {
        errors.push("Chọn ít nhất một văn bản đã phổ biến.".to_owned());
    }
    let (Some(held_on), Some(participants), true) = (held_on, participants, errors.is_empty()) else {
        return render_invalid(&unit_page(&state, &user, id, errors).await?);
    };
    let record = NewDissemination {
        unit_id: id,
        held_on,
        form: form_text,
        participants,
        document_ids: chosen,
    };
    danvan_app::records::record_dissemination(&state.store, &user.acting(ip), &record).await?;
    Ok(Redirect::to(&format!("/units/{id}/dissemination")).into_response())
}

pub struct DocumentRow {
    label: String,
    done: usize,
    total: usize,
    missing: Vec<String>,
}

#[derive(Template)]
#[template(path = "dissemination/overview.html")]
pub struct OverviewPage {
    layout: Layout,
    rows: Vec<DocumentRow>,
    today: String,
}

/// Per listed document, how many agencies have disseminated it, and which have not.
pub async fn show_overview(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let today = state.clock.today();
    let listed = listed_documents(&state.store).await?;
    let ids: Vec<i64> = listed.iter().map(|d| d.id).collect();
    let done: BTreeSet<(i64, i64)> = state.store.disseminated(&ids).await?.into_iter().collect();
    let mut units: Vec<(i64, String)> = state
        .store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.kind != UnitKind::ProvincialCommittee && u.is_active_on(today))
        .map(|u| (u.id, u.name))
        .collect();
    units.sort_by(|a, b| collation::compare(&a.1, &b.1));
    let rows = listed
        .iter()
        .map(|d| {
            let missing: Vec<String> = units
                .iter()
                .filter(|(u, _)| !done.contains(&(d.id, *u)))
                .map(|(_, n)| n.clone())
                .collect();
            DocumentRow {
                label: label(d),
                done: units.len() - missing.len(),
                total: units.len(),
                missing,
            }
        })
        .collect();
    render(&OverviewPage {
        layout: Layout::new(&state, Some(&user), "board"),
        rows,
        today: date::format_vn(today),
    })
}
