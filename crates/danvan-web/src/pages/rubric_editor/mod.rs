//! The rubric editor: an admin or the Department builds a rubric in the browser, without
//! JavaScript. Every part is a table of rows (criteria with their parent, bonus and penalty
//! lines, conditions, bands, quotas); a row is added with the blank rows under each table,
//! moved by its order number, removed with its box. "Kiểm tra và chấm thử" checks the rubric
//! with the same checker as a file, shows each kind of agency's maximum and scores the
//! made-up answers typed beside the criteria; "Lưu" saves it as a draft (no decision yet) or,
//! with its decision named, as a version that never changes. The TOML file stays the import
//! and export format: what is saved is the file `rubric::to_toml` writes.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_domain::UnitKind;
use danvan_domain::rubric::{self, COMPUTED_RULES, NOT_CLASSIFIED};
use danvan_domain::scoring;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

mod draft;

use draft::{Draft, HeadRow};

pub struct KindMax {
    kind: String,
    max: String,
}

/// The trial scoring's result.
pub struct Trial {
    total: String,
    band: String,
    explanation: Vec<String>,
}

#[derive(Template)]
#[template(path = "evaluations/rubric_editor.html")]
pub struct EditorPage {
    layout: Layout,
    draft: Draft,
    errors: Vec<String>,
    warnings: Vec<String>,
    maxima: Vec<KindMax>,
    trial: Option<Trial>,
    kinds: Vec<(&'static str, &'static str)>,
    rules: Vec<(&'static str, &'static str)>,
    band_codes: Vec<String>,
    not_classified: &'static str,
}

fn editor_page(state: &AppState, user: &CurrentUser, draft: Draft) -> EditorPage {
    let band_codes = draft
        .bands
        .iter()
        .map(|b| b.code.clone())
        .filter(|c| !c.is_empty())
        .collect();
    EditorPage {
        layout: Layout::new(state, Some(user), "evaluations"),
        draft: draft.with_blank_rows(),
        errors: Vec::new(),
        warnings: Vec::new(),
        maxima: Vec::new(),
        trial: None,
        kinds: UnitKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        rules: COMPUTED_RULES.to_vec(),
        band_codes,
        not_classified: NOT_CLASSIFIED,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    /// The version to start from.
    #[serde(default)]
    from: Option<i64>,
}

/// The editor: blank, or started from an existing version (a draft keeps its code; a copy of
/// an issued version gets a new one to fill in).
pub async fn show_editor(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<EditorQuery>,
) -> Result<Response, AppError> {
    let draft = match query.from {
        Some(id) => {
            let version = state.store.rubric_version(id).await?.ok_or(AppError::NotFound)?;
            let mut draft = Draft::from_rubric(&version.rubric()?);
            if !version.decision.trim().is_empty() {
                // A new version of an issued rubric: a new code, no decision yet.
                draft.head.code = format!("{}-MOI", version.code);
                draft.head.decision.clear();
            }
            draft
        }
        None => Draft {
            head: HeadRow {
                bonus_cap: "0".into(),
                penalty_cap: "0".into(),
                ..Default::default()
            },
            trial_kind: "department".into(),
            ..Default::default()
        },
    };
    render(&editor_page(&state, &user, draft))
}

/// Adds blank rows, checks and scores a trial, or saves; the form comes back as typed.
pub async fn post_editor(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let action = crate::pages::form_field(&form, "action").to_owned();
    let draft = Draft::from_form(&form);
    let mut page = editor_page(&state, &user, draft.clone());
    if action == "rows" {
        // More blank rows under each table, nothing checked yet.
        return render(&page);
    }
    let rubric = match draft.to_rubric() {
        Ok(rubric) => rubric,
        Err(errors) => {
            page.errors = errors;
            return render_invalid(&page);
        }
    };
    let source = rubric::to_toml(&rubric);
    let checked = match danvan_app::evaluation::check_rubric(&state.store, &source).await? {
        Ok(checked) => checked,
        Err(errors) => {
            // Lines of the generated file mean nothing here: the message names its criterion.
            page.errors = errors.into_iter().map(|e| e.message).collect();
            return render_invalid(&page);
        }
    };
    page.warnings = checked.warnings.iter().map(|w| w.message.clone()).collect();
    if action == "save" {
        return match danvan_app::evaluation::save_rubric(&state.store, &user.acting(ip), &source).await {
            Ok(saved) => Ok(Redirect::to(&format!("/evaluations/rubrics/{}", saved.id)).into_response()),
            Err(danvan_app::Refusal::Invalid(errors)) => {
                page.errors = errors;
                render_invalid(&page)
            }
            Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
                page.errors = vec![format!(
                    "Đã có phiên bản mã \"{}\" đã ban hành; phiên bản đã ban hành không sửa được. Đặt mã mới.",
                    rubric.code
                )];
                render_invalid(&page)
            }
            Err(other) => Err(other.into()),
        };
    }
    page.maxima = UnitKind::ALL
        .iter()
        .filter(|k| **k != UnitKind::Other)
        .map(|k| KindMax {
            kind: k.label().to_owned(),
            max: checked.rubric.max_for(&[k.code()]).to_string(),
        })
        .collect();
    let kind = if draft.trial_kind.is_empty() {
        "department"
    } else {
        draft.trial_kind.as_str()
    };
    let outcome = scoring::score(&checked.rubric, &[kind], &draft.trial(&checked.rubric));
    page.trial = Some(Trial {
        total: format!("{}/{}", outcome.total, outcome.max),
        band: checked.rubric.band_title(&outcome.band),
        explanation: outcome.explanation,
    });
    render(&page)
}

/// A version as a TOML file in the documented format (the export).
pub async fn export_rubric(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let version = state.store.rubric_version(id).await?.ok_or(AppError::NotFound)?;
    Ok(crate::pages::download_toml(
        &version.code,
        rubric::to_toml(&version.rubric()?),
    ))
}
