//! Evaluation: rubric versions (upload, check, preview). The cycle pages build on these.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::{RubricVersion, StoreError};
use danvan_domain::rubric::{self, Criterion, Mode, Rubric, ScoredBy};
use danvan_domain::{UnitKind, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// The largest rubric file accepted; the sample is about 7 KB.
pub const MAX_RUBRIC_BYTES: usize = 256 * 1024;

pub struct VersionRow {
    id: i64,
    code: String,
    title: String,
    sample: bool,
    decision: String,
    validity: String,
}

fn validity(from: time::Date, to: Option<time::Date>) -> String {
    match to {
        Some(to) => format!("{} – {}", date::format_vn(from), date::format_vn(to)),
        None => format!("từ {}", date::format_vn(from)),
    }
}

fn version_row(v: &RubricVersion) -> VersionRow {
    VersionRow {
        id: v.id,
        code: v.code.clone(),
        title: v.title.clone(),
        sample: v.sample,
        decision: v.decision.clone(),
        validity: validity(v.valid_from, v.valid_to),
    }
}

#[derive(Template)]
#[template(path = "evaluations/rubrics.html")]
pub struct RubricsPage {
    layout: Layout,
    versions: Vec<VersionRow>,
    can_upload: bool,
    errors: Vec<String>,
    max_kb: usize,
}

async fn rubrics_page(state: &AppState, user: &CurrentUser, errors: Vec<String>) -> Result<RubricsPage, AppError> {
    let versions = state.store.rubric_versions().await?;
    Ok(RubricsPage {
        layout: Layout::new(state, Some(user), "evaluations"),
        versions: versions.iter().map(version_row).collect(),
        can_upload: user.role.manages_units(),
        errors,
        max_kb: MAX_RUBRIC_BYTES / 1024,
    })
}

pub async fn list_rubrics(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&rubrics_page(&state, &user, vec![]).await?)
}

/// One line of the criteria tree as shown.
pub struct CriterionRow {
    depth: usize,
    id: String,
    title: String,
    guidance: String,
    max: String,
    notes: Vec<String>,
}

pub struct BandRow {
    code: String,
    title: String,
    min: String,
    /// Thresholds per kind and minimum shares, in words.
    notes: Vec<String>,
    color: String,
}

/// What a rubric looks like to an official: its tree, maxima per kind, bonus, penalty, vetoes,
/// bands and quota.
pub struct Preview {
    code: String,
    title: String,
    sample: bool,
    decision: String,
    decision_link: Option<i64>,
    validity: String,
    criteria: Vec<CriterionRow>,
    maxima: Vec<(String, String)>,
    bonus: Vec<(String, String, String)>,
    bonus_cap: String,
    penalty: Vec<(String, String, String)>,
    penalty_cap: String,
    vetoes: Vec<(String, String)>,
    bands: Vec<BandRow>,
    quotas: Vec<String>,
    /// How main scores are brought to one scale when criteria do not apply.
    rescale: Option<String>,
    draft: bool,
    /// What the check warns about (sums that do not match, names it cannot verify).
    warnings: Vec<String>,
}

fn mode_label(mode: &Mode) -> String {
    match mode {
        Mode::Manual => "Chấm điểm trong khung".to_owned(),
        Mode::YesNo => "Có/không".to_owned(),
        Mode::Deduction { per, floor } => format!("Trừ {per} điểm mỗi lần, thấp nhất {floor}"),
        Mode::Computed { rule, .. } => {
            let what = rubric::COMPUTED_RULES
                .iter()
                .find(|(r, _)| r == rule)
                .map(|(_, w)| *w)
                .unwrap_or("");
            format!("Hệ thống tự tính: {what}")
        }
    }
}

fn kind_label(code: &str) -> String {
    UnitKind::ALL
        .iter()
        .find(|k| k.code() == code)
        .map(|k| k.label().to_owned())
        .unwrap_or_else(|| format!("nhóm {code}"))
}

fn rows(list: &[Criterion], depth: usize, out: &mut Vec<CriterionRow>) {
    for c in list {
        let mut notes = vec![mode_label(&c.mode)];
        if c.scored_by == ScoredBy::Higher {
            notes.push("Chỉ cấp trên chấm".into());
        }
        if c.evidence_required {
            notes.push("Cần minh chứng".into());
        }
        if !c.applies_to.is_empty() {
            let kinds: Vec<String> = c.applies_to.iter().map(|k| kind_label(k)).collect();
            notes.push(format!("Áp dụng: {}", kinds.join(", ")));
        }
        for (kind, max) in &c.max_for {
            notes.push(format!("{}: tối đa {max}", kind_label(kind)));
        }
        out.push(CriterionRow {
            depth,
            id: c.id.clone(),
            title: c.title.clone(),
            guidance: c.guidance.clone(),
            max: c.max.to_string(),
            notes,
        });
        rows(&c.children, depth + 1, out);
    }
}

async fn preview(state: &AppState, rubric: &Rubric, warnings: &[rubric::RubricError]) -> Result<Preview, AppError> {
    let decision_link = match rubric.decision.split_once('/') {
        Some((number, symbol)) => state
            .store
            .document_by_number(number.trim(), symbol.trim(), Some(rubric.valid_from.year()))
            .await?
            .map(|d| d.id),
        None => None,
    };
    let mut criteria = Vec::new();
    rows(&rubric.criteria, 0, &mut criteria);
    let section = |s: &rubric::Section| {
        s.items
            .iter()
            .map(|i| {
                let max = match i.per {
                    Some(per) => format!("{per} điểm mỗi lần, tối đa {}", i.max),
                    None => format!("tối đa {}", i.max),
                };
                (i.id.clone(), i.title.clone(), max)
            })
            .collect::<Vec<_>>()
    };
    let quotas = rubric
        .quotas
        .iter()
        .map(|q| {
            let of = match &q.of_band {
                Some(of) => format!("số cơ quan được xếp từ mức \"{}\" trở lên", rubric.band_title(of)),
                None => "số cơ quan trong nhóm".to_owned(),
            };
            format!("Mức \"{}\" tối đa {}% {of}", rubric.band_title(&q.band), q.percent)
        })
        .collect();
    Ok(Preview {
        code: rubric.code.clone(),
        title: rubric.title.clone(),
        sample: rubric.sample,
        decision: rubric.decision.clone(),
        decision_link,
        validity: validity(rubric.valid_from, rubric.valid_to),
        criteria,
        maxima: UnitKind::ALL
            .iter()
            .filter(|k| **k != UnitKind::Other)
            .map(|k| (k.label().to_owned(), rubric.max_for(&[k.code()]).to_string()))
            .collect(),
        bonus: section(&rubric.bonus),
        bonus_cap: rubric.bonus.cap.to_string(),
        penalty: section(&rubric.penalty),
        penalty_cap: rubric.penalty.cap.to_string(),
        vetoes: rubric
            .vetoes
            .iter()
            .map(|v| {
                let effect = if v.not_classified {
                    rubric::NOT_CLASSIFIED_TITLE.to_owned()
                } else {
                    format!("không cao hơn mức \"{}\"", rubric.band_title(&v.cap_band))
                };
                (v.title.clone(), effect)
            })
            .collect(),
        bands: rubric
            .bands
            .iter()
            .map(|b| BandRow {
                code: b.code.clone(),
                title: b.title.clone(),
                min: b.min.to_string(),
                notes: b
                    .min_for
                    .iter()
                    .map(|(kind, min)| format!("{}: từ {min} điểm", kind_label(kind)))
                    .chain(
                        b.min_share
                            .map(|share| format!("mỗi tiêu chí đạt ít nhất {share}% số điểm")),
                    )
                    .chain(
                        b.min_shares
                            .iter()
                            .map(|(id, share)| format!("tiêu chí {id} đạt ít nhất {share}% số điểm")),
                    )
                    .collect(),
                color: if b.color.is_empty() {
                    "#555555".into()
                } else {
                    b.color.clone()
                },
            })
            .collect(),
        quotas,
        rescale: rubric.rescale_to.map(|scale| {
            format!(
                "Khi có tiêu chí không áp dụng với một cơ quan, điểm các tiêu chí được quy đổi về thang {scale} điểm."
            )
        }),
        draft: rubric.is_draft(),
        warnings: warnings
            .iter()
            .map(|w| format!("Dòng {}: {}", w.line, w.message))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "evaluations/rubric.html")]
pub struct RubricPage {
    layout: Layout,
    preview: Preview,
    /// The stored version shown (none while previewing an upload).
    version_id: Option<i64>,
    /// The viewer may start a new version from this one (or go on with a draft).
    can_edit: bool,
    /// Set while previewing an upload: the source to save.
    pending_source: Option<String>,
}

pub async fn show_rubric(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let version = state.store.rubric_version(id).await?.ok_or(AppError::NotFound)?;
    // Read once, with the check's warnings; a group named by the rubric that has since been
    // renamed is shown as a warning, and the stored rubric still reads.
    let (rubric, warnings) = match danvan_app::evaluation::check_rubric(&state.store, &version.source).await? {
        Ok(checked) => (checked.rubric, checked.warnings),
        Err(errors) => (version.rubric()?, errors),
    };
    render(&RubricPage {
        layout: Layout::new(&state, Some(&user), "evaluations"),
        preview: preview(&state, &rubric, &warnings).await?,
        pending_source: None,
        version_id: Some(id),
        can_edit: user.role.manages_units(),
    })
}

/// Reads an uploaded rubric file: UTF-8 text, at most [`MAX_RUBRIC_BYTES`].
async fn read_upload(mut multipart: Multipart) -> Result<String, String> {
    let mut source = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| "Dữ liệu tải lên không hợp lệ hoặc tệp quá lớn.".to_owned())?
    {
        if field.name() == Some("file") {
            let bytes = field
                .bytes()
                .await
                .map_err(|_| "Tệp tải lên quá lớn hoặc bị lỗi.".to_owned())?;
            source = Some(bytes);
        }
    }
    let bytes = source
        .filter(|b| !b.is_empty())
        .ok_or("Chưa chọn tệp bộ tiêu chí (.toml).")?;
    if bytes.len() > MAX_RUBRIC_BYTES {
        return Err(format!("Tệp lớn hơn {} KB.", MAX_RUBRIC_BYTES / 1024));
    }
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| rubric::NOT_UTF8.to_owned())?;
    if text.contains('\0') {
        return Err("Tệp không phải văn bản; bộ tiêu chí là tệp TOML.".to_owned());
    }
    Ok(text)
}

fn error_lines(errors: &[rubric::RubricError]) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("Dòng {}: {}", e.line, e.message))
        .collect()
}

/// Checks an uploaded file and shows its preview, with the button that saves it.
pub async fn preview_rubric(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let source = match read_upload(multipart).await {
        Ok(source) => source,
        Err(error) => return render_invalid(&rubrics_page(&state, &user, vec![error]).await?),
    };
    match danvan_app::evaluation::check_rubric(&state.store, &source).await? {
        Ok(checked) => render(&RubricPage {
            layout: Layout::new(&state, Some(&user), "evaluations"),
            preview: preview(&state, &checked.rubric, &checked.warnings).await?,
            pending_source: Some(source),
            version_id: None,
            can_edit: false,
        }),
        Err(errors) => render_invalid(&rubrics_page(&state, &user, error_lines(&errors)).await?),
    }
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    #[serde(default)]
    source: String,
}

/// Saves a previewed file as a new version; the file is checked again, never trusted.
pub async fn save_rubric(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<SaveForm>,
) -> Result<Response, AppError> {
    // Browsers send textarea line ends as CRLF; the file is kept as uploaded, with LF.
    let source = form.source.replace("\r\n", "\n");
    if source.len() > MAX_RUBRIC_BYTES {
        let error = format!("Tệp lớn hơn {} KB.", MAX_RUBRIC_BYTES / 1024);
        return render_invalid(&rubrics_page(&state, &user, vec![error]).await?);
    }
    match danvan_app::evaluation::save_rubric(&state.store, &user.acting(ip), &source).await {
        Ok(saved) => Ok(Redirect::to(&format!("/evaluations/rubrics/{}", saved.id)).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&rubrics_page(&state, &user, errors).await?),
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            let code = rubric::parse(&source).map(|r| r.code).unwrap_or_default();
            let error = format!(
                "Đã có phiên bản mã \"{code}\" đã ban hành. Phiên bản đã lưu không sửa được: đặt mã mới cho phiên bản thay đổi."
            );
            render_invalid(&rubrics_page(&state, &user, vec![error]).await?)
        }
        Err(other) => Err(other.into()),
    }
}
