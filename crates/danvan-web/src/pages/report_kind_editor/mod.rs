//! The report kind editor: an admin or the Department builds a kind of periodic report in the
//! browser, without JavaScript, the way rubrics are built: the outline and the data table are
//! tables of rows (blank rows to add, order numbers to move, boxes to remove), the figures with
//! their checks, the deadline and who must report are fields. "Kiểm tra" checks the kind with
//! the same checker as a file; "Lưu" saves it as a new kind (a kind is never changed once saved;
//! a change is a new kind, started from an existing one). The TOML file stays the import and
//! export format: what is saved is the file `report::to_toml` writes.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_domain::UnitKind;
use danvan_domain::report::{self, PREFILL_SOURCES, PeriodType};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

mod draft;

use draft::{HeadRow, KindDraft};

#[derive(Template)]
#[template(path = "reports/kind_editor.html")]
pub struct KindEditorPage {
    layout: Layout,
    draft: KindDraft,
    errors: Vec<String>,
    /// Set after a check that found nothing wrong.
    checked: Option<String>,
    periods: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    prefills: Vec<(&'static str, &'static str)>,
}

fn editor_page(state: &AppState, user: &CurrentUser, draft: KindDraft) -> KindEditorPage {
    KindEditorPage {
        layout: Layout::new(state, Some(user), "reports"),
        draft: draft.with_blank_rows(),
        errors: Vec::new(),
        checked: None,
        periods: PeriodType::ALL.iter().map(|p| (p.code(), p.label())).collect(),
        kinds: UnitKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        prefills: PREFILL_SOURCES.to_vec(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    /// The kind to start from.
    #[serde(default)]
    from: Option<i64>,
}

/// The editor: blank, or started from an existing kind (with a new code to fill in).
pub async fn show_kind_editor(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<EditorQuery>,
) -> Result<Response, AppError> {
    let draft = match query.from {
        Some(id) => {
            let record = state.store.report_kind(id).await?.ok_or(AppError::NotFound)?;
            let kind = report::parse(&record.source)
                .map_err(|e| AppError::Internal(format!("stored report kind {id}: {}", e[0])))?;
            let mut draft = KindDraft::from_kind(&kind);
            draft.head.code = format!("{}-MOI", kind.code);
            draft
        }
        None => KindDraft {
            head: HeadRow {
                period: "year".into(),
                deadline: "5".into(),
                recipient: "Sở Nội vụ".into(),
                ..Default::default()
            },
            ..Default::default()
        },
    };
    render(&editor_page(&state, &user, draft))
}

/// Adds blank rows, checks, or saves; the form comes back as typed.
pub async fn post_kind_editor(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let action = crate::pages::form_field(&form, "action").to_owned();
    let draft = KindDraft::from_form(&form);
    let mut page = editor_page(&state, &user, draft.clone());
    if action == "rows" {
        return render(&page);
    }
    let kind = match draft.to_kind() {
        Ok(kind) => kind,
        Err(errors) => {
            page.errors = errors;
            return render_invalid(&page);
        }
    };
    let source = report::to_toml(&kind);
    if action == "save" {
        return match danvan_app::report::save_kind(&state.store, &user.acting(ip), &source).await {
            Ok((id, _)) => Ok(Redirect::to(&format!("/reports/kinds/{id}")).into_response()),
            Err(danvan_app::Refusal::Invalid(errors)) => {
                // Lines of the generated file mean nothing here: each message names its row.
                page.errors = errors.into_iter().map(strip_line).collect();
                render_invalid(&page)
            }
            Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
                page.errors = vec![format!("Đã có loại báo cáo mã \"{}\"; loại mới cần mã mới.", kind.code)];
                render_invalid(&page)
            }
            Err(other) => Err(other.into()),
        };
    }
    match report::parse(&source) {
        Ok(kind) => {
            page.checked = Some(format!(
                "Loại báo cáo hợp lệ: {} phần đề cương, {} chỉ tiêu, kỳ {}, hạn {} ngày làm việc sau ngày chốt số liệu.",
                kind.sections.len(),
                kind.indicators.len(),
                kind.period.label().to_lowercase(),
                kind.deadline_working_days
            ));
            render(&page)
        }
        Err(errors) => {
            page.errors = errors.into_iter().map(|e| e.message).collect();
            render_invalid(&page)
        }
    }
}

/// "dòng 12: chỉ tiêu …" → "chỉ tiêu …".
fn strip_line(message: String) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("dòng ") => rest.to_owned(),
        _ => message,
    }
}

/// A kind as a TOML file in the documented format (the export).
pub async fn export_kind(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let record = state.store.report_kind(id).await?.ok_or(AppError::NotFound)?;
    let kind =
        report::parse(&record.source).map_err(|e| AppError::Internal(format!("stored report kind {id}: {}", e[0])))?;
    Ok(crate::pages::download_toml(&kind.code, report::to_toml(&kind)))
}
