//! One agency's periodic report (its filing): the form prefilled from what danvan holds, saving
//! and submitting it with attachments, the Department's review, the files' download.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::report::{Figure, FilingContent, FilingState, RoundState};
use danvan_domain::report::{check, format_number};
use danvan_domain::{Role, date};
use serde::Deserialize;

use super::reports::{Timeliness, kind_of, prefill};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::upload_check::{check_files, store_files};
use crate::view::Layout;

// ---- One agency's filing -------------------------------------------------------------------

pub struct SectionRow {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) guidance: String,
    pub(crate) text: String,
}

pub struct FigureRow {
    id: String,
    name: String,
    unit: String,
    value: String,
    prefilled: Option<String>,
    note: String,
    changed: bool,
    required: bool,
}

#[derive(Template)]
#[template(path = "reports/filing.html")]
pub struct FilingPage {
    layout: Layout,
    filing_id: i64,
    round_id: i64,
    title: String,
    unit: String,
    deadline: String,
    window: String,
    state: FilingState,
    timeliness: &'static str,
    review_comment: String,
    sections: Vec<SectionRow>,
    figures: Vec<FigureRow>,
    warnings_note: String,
    files: Vec<(i64, String)>,
    editable: bool,
    can_review: bool,
    oversees: bool,
    errors: Vec<String>,
    warnings: Vec<String>,
}

async fn filing_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    draft: Option<FilingContent>,
    errors: Vec<String>,
    warnings: Vec<String>,
) -> Result<FilingPage, AppError> {
    let filing = state.store.filing(id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(filing.unit_id) {
        return Err(AppError::Forbidden);
    }
    let round = state.store.round(filing.round_id).await?.ok_or(AppError::NotFound)?;
    let (kind_name, kind) = kind_of(state, &round).await?;
    let unit = state
        .store
        .unit(filing.unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let editable = filing.state.editable()
        && round.state == RoundState::Open
        && user.role == Role::Officer
        && user.unit_id == Some(filing.unit_id);
    // What danvan holds now, for a figure the agency has not saved yet.
    let held = if editable {
        prefill(&state.store, filing.unit_id, round.window, state.clock.today()).await?
    } else {
        BTreeMap::new()
    };
    let content = draft.unwrap_or_else(|| FilingContent {
        sections: filing.sections.clone(),
        figures: filing.figures.clone(),
        warnings_note: filing.warnings_note.clone(),
    });
    let figures = kind
        .indicators
        .iter()
        .map(|i| {
            let saved = content.figures.get(&i.id).cloned();
            let fresh = i.prefill.as_deref().and_then(|p| held.get(p)).cloned();
            let figure = saved.unwrap_or_else(|| Figure {
                value: fresh.clone().unwrap_or_default(),
                prefilled: fresh,
                note: String::new(),
            });
            FigureRow {
                id: i.id.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                changed: figure.changed(),
                value: figure.value,
                prefilled: figure.prefilled,
                note: figure.note,
                required: i.required,
            }
        })
        .collect();
    let files = state
        .store
        .filing_files(id)
        .await?
        .into_iter()
        .map(|(id, f)| (id, f.file_name))
        .collect();
    Ok(FilingPage {
        layout: Layout::new(state, Some(user), "reports"),
        filing_id: id,
        round_id: round.id,
        title: danvan_domain::report::title(&kind_name, round.period),
        unit,
        deadline: date::format_vn(round.deadline),
        window: format!(
            "{} – {}",
            date::format_vn(round.window.0),
            date::format_vn(round.window.1)
        ),
        state: filing.state,
        timeliness: Timeliness::of(&filing, round.deadline).label(),
        review_comment: filing.review_comment.clone().unwrap_or_default(),
        sections: kind
            .sections
            .iter()
            .map(|s| SectionRow {
                id: s.id.clone(),
                title: s.title.clone(),
                guidance: s.guidance.clone(),
                text: content.sections.get(&s.id).cloned().unwrap_or_default(),
            })
            .collect(),
        figures,
        warnings_note: content.warnings_note,
        files,
        editable,
        can_review: user.role.manages_units() && filing.state == FilingState::Submitted,
        oversees: user.role.sees_all(),
        errors,
        warnings,
    })
}

pub async fn show_filing(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&filing_page(&state, &user, id, None, vec![], vec![]).await?)
}

/// The agency saves or submits its report: texts, figures (each keeping what danvan prefilled,
/// a changed one needing a note), files. Errors block submission; warnings need an explanation.
pub async fn save_filing(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let filing = state.store.filing(id).await?.ok_or(AppError::NotFound)?;
    if user.unit_id != Some(filing.unit_id) {
        return Err(AppError::Forbidden);
    }
    let round = state.store.round(filing.round_id).await?.ok_or(AppError::NotFound)?;
    let (_, kind) = kind_of(&state, &round).await?;
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu tải lên không hợp lệ."))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::BadRequest("Tệp quá lớn hoặc bị lỗi."))?;
            if !bytes.is_empty() {
                files.push((file_name, bytes));
            }
        } else {
            let text = field.text().await.unwrap_or_default();
            fields.insert(name, text);
        }
    }
    let submit = fields.get("action").map(String::as_str) == Some("submit");
    let held = prefill(&state.store, filing.unit_id, round.window, state.clock.today()).await?;
    let mut content = FilingContent {
        warnings_note: fields
            .get("warnings_note")
            .map(|t| t.trim().to_owned())
            .unwrap_or_default(),
        ..Default::default()
    };
    let mut errors = Vec::new();
    for s in &kind.sections {
        let text = fields
            .get(&format!("s_{}", s.id))
            .map(|t| t.trim().to_owned())
            .unwrap_or_default();
        if text.chars().count() > 50_000 {
            errors.push(format!("Phần {}: không quá 50.000 ký tự.", s.id));
        }
        if submit && text.is_empty() {
            errors.push(format!("Phần {} ({}) chưa có nội dung.", s.id, s.title));
        }
        content.sections.insert(s.id.clone(), text);
    }
    let mut values = BTreeMap::new();
    for i in &kind.indicators {
        let typed = fields
            .get(&format!("v_{}", i.id))
            .map(|t| t.trim().to_owned())
            .unwrap_or_default();
        // A number is kept as danvan writes it ("1.234"), so "1234" is not taken for a change.
        let value = danvan_domain::report::parse_number(i.value_type, &typed)
            .map(|n| format_number(i.value_type, n))
            .unwrap_or(typed);
        let note = fields
            .get(&format!("n_{}", i.id))
            .map(|t| t.trim().to_owned())
            .unwrap_or_default();
        // What danvan held when the agency first saw the figure stays with it.
        let prefilled = filing
            .figures
            .get(&i.id)
            .and_then(|f| f.prefilled.clone())
            .or_else(|| i.prefill.as_deref().and_then(|p| held.get(p)).cloned());
        let figure = Figure {
            value: value.clone(),
            prefilled,
            note,
        };
        if submit && figure.changed() && figure.note.is_empty() {
            errors.push(format!(
                "{}: đã sửa số liệu hệ thống điền sẵn ({}), cần ghi lý do.",
                i.name,
                figure.prefilled.clone().unwrap_or_default()
            ));
        }
        values.insert(i.id.clone(), value);
        content.figures.insert(i.id.clone(), figure);
    }
    let checked = check(&kind, &values);
    let mut warnings = checked.warnings;
    if submit {
        errors.extend(checked.errors);
        if !warnings.is_empty() && content.warnings_note.is_empty() {
            errors.push("Có cảnh báo về số liệu: ghi giải trình trước khi gửi.".to_owned());
        }
    } else if !checked.errors.is_empty() {
        // A draft may be incomplete, but not malformed.
        errors.extend(checked.errors.into_iter().filter(|e| !e.ends_with("chưa nhập.")));
    }
    let checked_files = check_files(&state.heavy, &files, &mut errors).await?;
    let incoming = files.iter().map(|(_, b)| b.len()).sum();
    crate::pages::check_quota(&state, filing.unit_id, incoming, &mut errors).await?;
    if !errors.is_empty() {
        return render_invalid(&filing_page(&state, &user, id, Some(content), errors, warnings).await?);
    }
    let attachments = store_files(&state.store, checked_files).await?;
    // "Gửi" saves what was typed as a draft, then asks on its own page before the submission.
    match danvan_app::report::save_filing(&state.store, &user.acting(ip), id, &content, &attachments).await {
        Ok(_) if submit => Ok(Redirect::to(&format!("/filings/{id}/submit")).into_response()),
        Ok(_) => Ok(Redirect::to(&format!("/filings/{id}")).into_response()),
        Err(danvan_app::Refusal::State(error)) => {
            warnings.clear();
            render_invalid(&filing_page(&state, &user, id, None, vec![error], warnings).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// What submitting the report does, before it is done: to whom it goes, whether it is on time,
/// and that it cannot be changed afterwards. The agency's own officers, while it can be sent.
pub async fn confirm_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let filing = state.store.filing(id).await?.ok_or(AppError::NotFound)?;
    if user.role != Role::Officer || user.unit_id != Some(filing.unit_id) {
        return Err(AppError::Forbidden);
    }
    let round = state.store.round(filing.round_id).await?.ok_or(AppError::NotFound)?;
    if round.state == RoundState::Closed || !matches!(filing.state, FilingState::Draft | FilingState::Returned) {
        return Err(AppError::Conflict(
            "Báo cáo đã gửi hoặc kỳ báo cáo đã đóng; không gửi được nữa.",
        ));
    }
    let (kind_name, kind) = kind_of(&state, &round).await?;
    let today = state.clock.today();
    let timing = if today <= round.deadline {
        format!("Hạn nộp {}: gửi hôm nay là đúng hạn.", date::format_vn(round.deadline))
    } else {
        format!(
            "Hạn nộp {}: gửi hôm nay là muộn {} ngày.",
            date::format_vn(round.deadline),
            (today - round.deadline).whole_days()
        )
    };
    let mut lines = vec![
        format!(
            "{} được gửi đến Sở Nội vụ.",
            danvan_domain::report::title(&kind_name, round.period)
        ),
        timing,
    ];
    let problems = danvan_app::report::submission_problems(&kind, &filing);
    if !problems.is_empty() {
        lines.push(format!("Chưa gửi được: {}", problems.join(" ")));
    }
    render(&crate::pages::ConfirmPage {
        layout: Layout::new(&state, Some(&user), "reports"),
        heading: "Gửi báo cáo định kỳ".into(),
        lines,
        warning: "Sau khi gửi, đơn vị không sửa được báo cáo, trừ khi Sở Nội vụ trả lại.",
        action: format!("/filings/{id}/submit"),
        button: "Xác nhận gửi báo cáo",
        back: format!("/filings/{id}"),
    })
}

/// Submits the saved report, after its confirmation page.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    match danvan_app::report::submit_filing(&state.store, &user.acting(ip), id, state.clock.today()).await {
        Ok(_) => Ok(Redirect::to(&format!("/filings/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            render_invalid(&filing_page(&state, &user, id, None, errors, vec![]).await?)
        }
        Err(danvan_app::Refusal::State(error)) => {
            render_invalid(&filing_page(&state, &user, id, None, vec![error], vec![]).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

pub async fn review_filing(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ReviewForm>,
) -> Result<Response, AppError> {
    state.store.filing(id).await?.ok_or(AppError::NotFound)?;
    let accept = match form.decision.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(AppError::BadRequest("Chọn tiếp nhận hoặc trả lại báo cáo.")),
    };
    let comment = form.comment.trim();
    if !accept && comment.is_empty() {
        let errors = vec!["Khi trả lại báo cáo, cần ghi lý do.".to_owned()];
        return render_invalid(&filing_page(&state, &user, id, None, errors, vec![]).await?);
    }
    danvan_app::report::review_filing(&state.store, &user.acting(ip), id, accept, comment).await?;
    Ok(Redirect::to(&format!("/filings/{id}")).into_response())
}

pub async fn download_filing_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (filing_id, attachment) = state.store.filing_file(id).await?.ok_or(AppError::NotFound)?;
    let filing = state.store.filing(filing_id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(filing.unit_id) {
        return Err(AppError::Forbidden);
    }
    crate::pages::send_attachment(&state.store, &attachment, &format!("bao-cao-{filing_id}-tep-{id}")).await
}
