//! Evaluation: rubric versions (upload, check, preview). The cycle pages build on these.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::rubric::{self, Criterion, Mode, Rubric, ScoredBy};
use danvan_domain::{Role, UnitKind, date};
use danvan_store::{Actor, RubricVersion, StoreError};
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
        can_upload: user.role == Role::Admin,
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
    quota: Option<String>,
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

async fn preview(state: &AppState, rubric: &Rubric) -> Result<Preview, AppError> {
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
            .map(|(id, title, max)| (id.clone(), title.clone(), max.to_string()))
            .collect::<Vec<_>>()
    };
    let quota = rubric.quota.as_ref().map(|q| {
        let band = rubric
            .bands
            .iter()
            .find(|b| b.code == q.band)
            .map(|b| b.title.as_str())
            .unwrap_or("");
        format!("Mức \"{band}\" tối đa {}% số cơ quan trong nhóm", q.percent)
    });
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
                let band = rubric
                    .bands
                    .iter()
                    .find(|b| b.code == v.cap_band)
                    .map(|b| b.title.clone());
                (v.title.clone(), band.unwrap_or_default())
            })
            .collect(),
        bands: rubric
            .bands
            .iter()
            .map(|b| BandRow {
                code: b.code.clone(),
                title: b.title.clone(),
                min: b.min.to_string(),
                color: if b.color.is_empty() {
                    "#555555".into()
                } else {
                    b.color.clone()
                },
            })
            .collect(),
        quota,
    })
}

#[derive(Template)]
#[template(path = "evaluations/rubric.html")]
pub struct RubricPage {
    layout: Layout,
    preview: Preview,
    /// Set while previewing an upload: the source to save.
    pending_source: Option<String>,
}

pub async fn show_rubric(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let version = state.store.rubric_version(id).await?.ok_or(AppError::NotFound)?;
    let rubric = version.rubric()?;
    render(&RubricPage {
        layout: Layout::new(&state, Some(&user), "evaluations"),
        preview: preview(&state, &rubric).await?,
        pending_source: None,
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
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| "Tệp không phải văn bản UTF-8; bộ tiêu chí là tệp TOML (xem hướng dẫn định dạng).".to_owned())?;
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
    match rubric::parse(&source) {
        Ok(rubric) => render(&RubricPage {
            layout: Layout::new(&state, Some(&user), "evaluations"),
            preview: preview(&state, &rubric).await?,
            pending_source: Some(source),
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
    let rubric = match rubric::parse(&source) {
        Ok(rubric) => rubric,
        Err(errors) => return render_invalid(&rubrics_page(&state, &user, error_lines(&errors)).await?),
    };
    let actor = Actor::account(user.account_id, &user.username, Some(ip));
    match state.store.save_rubric_version(&actor, &rubric, &source).await {
        Ok(id) => Ok(Redirect::to(&format!("/evaluations/rubrics/{id}")).into_response()),
        Err(StoreError::Conflict(_)) => {
            let error = format!(
                "Đã có phiên bản mã \"{}\". Phiên bản đã lưu không sửa được: đặt mã mới cho phiên bản thay đổi.",
                rubric.code
            );
            render_invalid(&rubrics_page(&state, &user, vec![error]).await?)
        }
        Err(other) => Err(other.into()),
    }
}

// Evaluation cycles and assessments.

use danvan_domain::evaluation::{self as flow, AssessmentState, CycleState, Step, Window};
use danvan_domain::rubric::Points;
use danvan_domain::scoring::{self, Answer};
use danvan_store::evaluation::{ItemKind, NewCycle, SelfItem};

fn actor_of(user: &CurrentUser, ip: String) -> Actor {
    Actor::account(user.account_id, &user.username, Some(ip))
}

fn step_error(error: flow::StepError) -> AppError {
    match error {
        flow::StepError::Role => AppError::Forbidden,
        other => AppError::Conflict(other.message()),
    }
}

fn store_step(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict("state") => {
            AppError::Conflict("Trạng thái đã thay đổi trong lúc bạn thao tác; tải lại trang và làm lại.")
        }
        other => other.into(),
    }
}

pub struct CycleRow {
    id: i64,
    year: i32,
    group: String,
    rubric: String,
    state: &'static str,
    self_deadline: String,
    appraisal_deadline: String,
    counts: String,
}

#[derive(Template)]
#[template(path = "evaluations/cycles.html")]
pub struct CyclesPage {
    layout: Layout,
    cycles: Vec<CycleRow>,
    can_open: bool,
    groups: Vec<(i64, String)>,
    rubrics: Vec<(i64, String)>,
    year: i32,
    errors: Vec<String>,
}

async fn cycles_page(state: &AppState, user: &CurrentUser, errors: Vec<String>) -> Result<CyclesPage, AppError> {
    let groups = state.store.list_groups().await?;
    let rubrics = state.store.rubric_versions().await?;
    let group_name = |id: i64| {
        groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let rubric_code = |id: i64| {
        rubrics
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.code.clone())
            .unwrap_or_default()
    };
    let mut cycles = Vec::new();
    for c in state.store.cycles().await? {
        let assessments = state.store.assessments(c.id).await?;
        let visible: Vec<_> = assessments.iter().filter(|a| user.sees_unit(a.unit_id)).collect();
        if visible.is_empty() && !user.role.sees_all() && c.state != CycleState::Published {
            continue;
        }
        let counts = if user.role.sees_all() {
            AssessmentState::ALL
                .iter()
                .map(|s| {
                    format!(
                        "{}: {}",
                        s.label(),
                        assessments.iter().filter(|a| a.state == *s).count()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            visible.iter().map(|a| a.state.label()).collect::<Vec<_>>().join("; ")
        };
        cycles.push(CycleRow {
            id: c.id,
            year: c.year,
            group: group_name(c.group_id),
            rubric: rubric_code(c.rubric_version_id),
            state: c.state.label(),
            self_deadline: date::format_vn(c.self_deadline),
            appraisal_deadline: date::format_vn(c.appraisal_deadline),
            counts,
        });
    }
    Ok(CyclesPage {
        layout: Layout::new(state, Some(user), "evaluations"),
        cycles,
        can_open: user.role.manages_units(),
        groups: groups.iter().map(|g| (g.id, g.name.clone())).collect(),
        rubrics: rubrics
            .iter()
            .map(|r| (r.id, format!("{} ({})", r.code, r.title)))
            .collect(),
        year: state.clock.today().year(),
        errors,
    })
}

pub async fn list_cycles(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&cycles_page(&state, &user, vec![]).await?)
}

#[derive(Debug, Deserialize)]
pub struct OpenCycleForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    rubric_version_id: String,
    #[serde(default)]
    self_deadline: String,
    #[serde(default)]
    appraisal_deadline: String,
}

/// Opens a cycle for a year and group, with an assessment for every agency of the group alive
/// at any time in that year.
pub async fn open_cycle(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<OpenCycleForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.push("Năm đánh giá không hợp lệ.".to_owned());
    }
    let groups = state.store.list_groups().await?;
    let group = form
        .group_id
        .parse::<i64>()
        .ok()
        .and_then(|id| groups.iter().find(|g| g.id == id));
    if group.is_none() {
        errors.push("Chọn khối thi đua.".to_owned());
    }
    let rubric = match form.rubric_version_id.parse::<i64>() {
        Ok(id) => state.store.rubric_version(id).await?,
        Err(_) => None,
    };
    if rubric.is_none() {
        errors.push("Chọn bộ tiêu chí.".to_owned());
    }
    let self_deadline = date::parse(&form.self_deadline);
    let appraisal_deadline = date::parse(&form.appraisal_deadline);
    match (self_deadline, appraisal_deadline) {
        (Some(a), Some(b)) if b < a => errors.push("Hạn thẩm định phải sau hạn tự chấm.".to_owned()),
        (Some(_), Some(_)) => {}
        _ => errors.push("Hạn tự chấm và hạn thẩm định phải là ngày hợp lệ (ngày/tháng/năm).".to_owned()),
    }
    if let (Some(year), Some(rubric)) = (year, &rubric) {
        let (first, last) = date::year_bounds(year).ok_or(AppError::NotFound)?;
        if rubric.valid_from > last || rubric.valid_to.is_some_and(|to| to < first) {
            errors.push(format!(
                "Bộ tiêu chí {} không có hiệu lực trong năm {year}.",
                rubric.code
            ));
        }
    }
    let (Some(year), Some(group), Some(rubric), Some(self_deadline), Some(appraisal_deadline), true) = (
        year,
        group,
        rubric,
        self_deadline,
        appraisal_deadline,
        errors.is_empty(),
    ) else {
        return render_invalid(&cycles_page(&state, &user, errors).await?);
    };
    let units = cycle_units(&state.store, group.id, year).await?;
    let new = NewCycle {
        year,
        group_id: group.id,
        rubric_version_id: rubric.id,
        self_deadline,
        appraisal_deadline,
    };
    match state.store.open_cycle(&actor_of(&user, ip), &new, &units).await {
        Ok(id) => Ok(Redirect::to(&format!("/evaluations/{id}")).into_response()),
        Err(StoreError::Conflict(_)) => {
            let error = format!("Đã có đợt đánh giá năm {year} cho {}.", group.name);
            render_invalid(&cycles_page(&state, &user, vec![error]).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The agencies of a group alive at any time in a year: those a cycle assesses.
pub async fn cycle_units(store: &danvan_store::Store, group_id: i64, year: i32) -> Result<Vec<i64>, StoreError> {
    let Some((first, last)) = date::year_bounds(year) else {
        return Ok(vec![]);
    };
    Ok(store
        .list_units()
        .await?
        .into_iter()
        .filter(|u| u.group_id == Some(group_id) && u.valid_from <= last && u.valid_to.is_none_or(|to| to >= first))
        .map(|u| u.id)
        .collect())
}

pub struct AssessmentRow {
    id: i64,
    unit: String,
    state: &'static str,
    state_code: &'static str,
}

pub struct ResultRow {
    rank: i64,
    unit_id: i64,
    unit: String,
    self_total: String,
    total: String,
    band: String,
    band_title: String,
    color: String,
    explanation: String,
}

#[derive(Template)]
#[template(path = "evaluations/cycle.html")]
pub struct CyclePage {
    layout: Layout,
    cycle_id: i64,
    title: String,
    sample: bool,
    rubric_id: i64,
    state: &'static str,
    deadlines: String,
    assessments: Vec<AssessmentRow>,
    results: Vec<ResultRow>,
    results_are_published: bool,
    can_finalize: bool,
    /// Agencies whose submitted assessment waits for appraisal: the cycle cannot be finalized.
    awaiting: Vec<String>,
    can_publish: bool,
    /// The deadlines extended, as lines.
    extensions: Vec<String>,
    /// The Department may extend a deadline (the cycle is open).
    can_extend: bool,
    extend_units: Vec<(i64, String)>,
    errors: Vec<String>,
}

fn points_text(hundredths: i64) -> String {
    Points(hundredths).to_string()
}

pub async fn show_cycle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&cycle_page(&state, &user, id, vec![]).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    window: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

/// The Department extends the self-scoring or appraisal deadline, for the cycle or one agency.
pub async fn extend_deadline(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<ExtendForm>,
) -> Result<Response, AppError> {
    let mut problems = Vec::new();
    let window = Window::from_code(&form.window);
    if window.is_none() {
        problems.push("Chọn hạn cần gia hạn (tự chấm hoặc thẩm định).".to_owned());
    }
    let until = date::parse(&form.until);
    if until.is_none() {
        problems.push("Ngày gia hạn không hợp lệ; nhập theo dạng ngày/tháng/năm.".to_owned());
    }
    let unit_id = form.unit.trim().parse::<i64>().ok();
    let outcome = match (window, until) {
        (Some(window), Some(until)) if problems.is_empty() => {
            let input = danvan_app::evaluation::ExtendInput {
                unit_id,
                window,
                until,
                reason: form.reason.clone(),
            };
            danvan_app::evaluation::extend_deadline(&state.store, &user.acting(ip), id, &input, state.clock.today())
                .await
        }
        _ => Err(danvan_app::Refusal::Invalid(problems)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/evaluations/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&cycle_page(&state, &user, id, errors).await?),
        Err(other) => Err(other.into()),
    }
}

async fn cycle_page(state: &AppState, user: &CurrentUser, id: i64, errors: Vec<String>) -> Result<CyclePage, AppError> {
    let cycle = state.store.cycle(id).await?.ok_or(AppError::NotFound)?;
    let version = state
        .store
        .rubric_version(cycle.rubric_version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rubric = version.rubric()?;
    let units = state.store.list_units().await?;
    let name = |id: i64| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let assessments = state.store.assessments(id).await?;
    let own: Vec<_> = assessments.iter().filter(|a| user.sees_unit(a.unit_id)).collect();
    if own.is_empty() && !user.role.sees_all() && cycle.state != CycleState::Published {
        return Err(AppError::Forbidden);
    }
    let mut rows: Vec<AssessmentRow> = own
        .iter()
        .map(|a| AssessmentRow {
            id: a.id,
            unit: name(a.unit_id),
            state: danvan_app::evaluation::shown_state(cycle.state, a),
            state_code: a.state.code(),
        })
        .collect();
    rows.sort_by(|a, b| danvan_domain::collation::compare(&a.unit, &b.unit));
    // Results: published ones for everyone; frozen ones before publication for overseers only.
    let show_results =
        cycle.state == CycleState::Published || (user.role.sees_all() && cycle.state == CycleState::Finalized);
    let results = if show_results {
        state.store.cycle_results(id).await?
    } else {
        vec![]
    };
    let color = |code: &str| {
        rubric
            .bands
            .iter()
            .find(|b| b.code == code)
            .map(|b| b.color.clone())
            .unwrap_or_default()
    };
    let results = results
        .iter()
        .map(|r| ResultRow {
            rank: r.rank,
            unit_id: r.unit_id,
            unit: name(r.unit_id),
            self_total: r.self_total.map(points_text).unwrap_or_else(|| "—".into()),
            total: points_text(r.total),
            band: r.band.clone(),
            band_title: r.band_title.clone(),
            color: if color(&r.band).is_empty() {
                "#555555".into()
            } else {
                color(&r.band)
            },
            explanation: r.explanation.join(" "),
        })
        .collect();
    let may_finalize = flow::cycle_step(cycle.state, Step::Finalize, user.role).is_ok();
    let mut awaiting: Vec<String> = if may_finalize {
        assessments
            .iter()
            .filter(|a| a.state == AssessmentState::Submitted)
            .map(|a| name(a.unit_id))
            .collect()
    } else {
        vec![]
    };
    awaiting.sort_by(|a, b| danvan_domain::collation::compare(a, b));
    let groups = state.store.list_groups().await?;
    let group = groups
        .iter()
        .find(|g| g.id == cycle.group_id)
        .map(|g| g.name.clone())
        .unwrap_or_default();
    let extensions = state
        .store
        .deadline_extensions(id)
        .await?
        .into_iter()
        .map(|e| {
            format!(
                "{} đến {} cho {}: {} ({})",
                e.window.label(),
                date::format_vn(e.until),
                e.unit_id.map(&name).unwrap_or_else(|| "cả đợt".into()),
                e.reason,
                e.by
            )
        })
        .collect();
    let can_extend = user.role == Role::Monitor && cycle.state == CycleState::Open;
    let mut extend_units: Vec<(i64, String)> = assessments.iter().map(|a| (a.unit_id, name(a.unit_id))).collect();
    extend_units.sort_by(|a, b| danvan_domain::collation::compare(&a.1, &b.1));
    Ok(CyclePage {
        layout: Layout::new(state, Some(user), "evaluations"),
        cycle_id: id,
        title: format!("Đánh giá công tác dân vận chính quyền năm {}: {group}", cycle.year),
        sample: version.sample,
        rubric_id: version.id,
        state: cycle.state.label(),
        deadlines: format!(
            "Hạn tự chấm {}; hạn thẩm định {}",
            date::format_vn(cycle.self_deadline),
            date::format_vn(cycle.appraisal_deadline)
        ),
        assessments: rows,
        results,
        results_are_published: cycle.state == CycleState::Published,
        can_finalize: may_finalize && awaiting.is_empty(),
        awaiting,
        can_publish: flow::cycle_step(cycle.state, Step::Publish, user.role).is_ok(),
        extensions,
        can_extend,
        extend_units: if can_extend { extend_units } else { vec![] },
        errors,
    })
}

#[derive(Template)]
#[template(path = "evaluations/finalize.html")]
pub struct FinalizePage {
    layout: Layout,
    cycle_id: i64,
    title: String,
    appraised: usize,
    not_submitted: usize,
    drafting: usize,
    awaiting: Vec<String>,
}

/// What finalizing will do, and the button that does it: an irreversible step is confirmed on
/// a page that says so.
pub async fn confirm_finalize(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let cycle = state.store.cycle(id).await?.ok_or(AppError::NotFound)?;
    flow::cycle_step(cycle.state, Step::Finalize, user.role).map_err(step_error)?;
    let assessments = state.store.assessments(id).await?;
    let awaiting = danvan_app::evaluation::awaiting_appraisal(&state.store, id)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let group = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.id == cycle.group_id)
        .map(|g| g.name)
        .unwrap_or_default();
    render(&FinalizePage {
        layout: Layout::new(&state, Some(&user), "evaluations"),
        cycle_id: id,
        title: format!("Đánh giá công tác dân vận chính quyền năm {}: {group}", cycle.year),
        appraised: assessments
            .iter()
            .filter(|a| a.state == AssessmentState::Appraised)
            .count(),
        not_submitted: assessments
            .iter()
            .filter(|a| a.state.editable() && a.not_submitted.is_some())
            .count(),
        drafting: assessments
            .iter()
            .filter(|a| a.state.editable() && a.not_submitted.is_none())
            .count(),
        awaiting,
    })
}

/// Scores and ranks the cycle from the database and freezes the results.
pub async fn finalize_cycle(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    danvan_app::evaluation::finalize(&state.store, &user.acting(ip), id).await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct PublishForm {
    /// The leader's password again: publishing is a sensitive action (security.md 13).
    #[serde(default)]
    password: String,
}

pub async fn publish_cycle(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<PublishForm>,
) -> Result<Response, AppError> {
    let cycle = state.store.cycle(id).await?.ok_or(AppError::NotFound)?;
    flow::cycle_step(cycle.state, Step::Publish, user.role).map_err(step_error)?;
    crate::pages::account::confirm_password(&state, &user, &ip, &form.password, "publish_cycle").await?;
    danvan_app::evaluation::publish(&state.store, &user.acting(ip), id).await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}

/// One scored line of the assessment form.
pub struct ItemRow {
    key: String,
    label: String,
    title: String,
    depth: usize,
    is_leaf: bool,
    max: String,
    /// "points", "yes_no", "occurrences" or "computed".
    input: &'static str,
    agency_scores: bool,
    evidence_required: bool,
    self_value: String,
    note: String,
    submitted: String,
    appraised: String,
    comment: String,
    changed: bool,
    /// For a computed criterion: the figures used, or why there are none.
    computed: String,
    /// The evidence file's name, when one is attached.
    evidence: Option<String>,
}

#[derive(Template)]
#[template(path = "evaluations/assessment.html")]
pub struct AssessmentPage {
    layout: Layout,
    id: i64,
    cycle_id: i64,
    unit: String,
    state: &'static str,
    sample: bool,
    return_reason: Option<String>,
    rows: Vec<ItemRow>,
    can_edit: bool,
    can_appraise: bool,
    errors: Vec<String>,
    self_total: String,
    appraised_total: String,
    band: String,
    /// The deadlines in force for this agency.
    deadlines: String,
    /// The Department may mark it "không nộp" (still with the agency after its deadline).
    can_mark_not_submitted: bool,
    not_submitted: Option<String>,
}

fn shown(answer: Option<&str>) -> String {
    match answer.and_then(Answer::decode) {
        Some(Answer::Points(p)) => p.to_string(),
        Some(Answer::Yes(true)) => "Có".into(),
        Some(Answer::Yes(false)) => "Không".into(),
        Some(Answer::Occurrences(n)) => format!("{n} lần"),
        None => String::new(),
    }
}

fn input_text(answer: Option<&str>) -> String {
    match answer.and_then(Answer::decode) {
        Some(Answer::Points(p)) => p.to_string(),
        Some(Answer::Yes(yes)) => if yes { "1" } else { "0" }.into(),
        Some(Answer::Occurrences(n)) => n.to_string(),
        None => String::new(),
    }
}

type Loaded = danvan_app::evaluation::Assessed;

async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Loaded, AppError> {
    Ok(danvan_app::evaluation::assessed(&state.store, &user.acting(String::new()), id).await?)
}

/// What the system knows of an agency's year for computed criteria. Directive tasks and
/// responsible leaders are held; training, initiatives and periodic reports are not yet, and say
/// so.
pub async fn facts_for(
    store: &danvan_store::Store,
    unit_id: i64,
    year: i32,
    today: time::Date,
) -> Result<danvan_domain::computed::Facts, StoreError> {
    let Some((first, last)) = date::year_bounds(year) else {
        return Ok(Default::default());
    };
    let filter = danvan_store::directive::BoardFilter {
        due_from: Some(first),
        due_to: Some(last),
        unit_id: Some(unit_id),
        ..Default::default()
    };
    let counts = store.board_counts(&filter, today, false).await?;
    let c = counts.into_iter().find(|c| c.key == unit_id).unwrap_or_default();
    // Due in the year and past its deadline: done (on time or late) or overdue.
    let due = c.done_on_time + c.done_late + c.overdue;
    // The leader in charge at the end of the year, or today while the year runs.
    let leader = store.leader_on(unit_id, last.min(today)).await?;
    Ok(danvan_domain::computed::Facts {
        tasks_on_time: Some((c.done_on_time as u32, due as u32)),
        leader: Some(leader.map(|l| format!("{}, {} ({})", l.name, l.position, l.decision))),
        training_courses: Some(store.training_courses_for(unit_id, year).await?),
        initiatives_recognised: Some(store.initiatives_recognised(unit_id, year).await?),
        ..Default::default()
    })
}

fn computation(
    criterion: Option<&Criterion>,
    max: Points,
    facts: &danvan_domain::computed::Facts,
) -> Option<danvan_domain::computed::Computation> {
    match criterion.map(|c| &c.mode) {
        Some(Mode::Computed { rule, params }) => Some(danvan_domain::computed::compute(rule, params, max, facts)),
        _ => None,
    }
}

use danvan_app::evaluation::{agency_scores, input_kind, lines, read_value};

async fn assessment_page(
    state: &AppState,
    user: &CurrentUser,
    loaded: &Loaded,
    errors: Vec<String>,
) -> Result<AssessmentPage, AppError> {
    let items = state.store.assessment_items(loaded.assessment.id).await?;
    let find = |kind: ItemKind, id: &str| items.iter().find(|i| i.kind == kind && i.item_id == id);
    let kinds: Vec<&str> = loaded.kinds.iter().map(String::as_str).collect();
    let facts = facts_for(
        &state.store,
        loaded.assessment.unit_id,
        loaded.cycle.year,
        state.clock.today(),
    )
    .await?;
    let mut rows = Vec::new();
    for (kind, id, title, depth, criterion, max) in lines(&loaded.rubric, &kinds) {
        let item = find(kind, &id);
        let is_leaf = criterion.as_ref().is_none_or(|c| c.children.is_empty());
        let input = input_kind(kind, criterion.as_ref());
        let agency_scores = is_leaf && agency_scores(kind, criterion.as_ref());
        rows.push(ItemRow {
            key: format!("{}:{id}", kind.code()),
            label: id.clone(),
            title,
            depth,
            is_leaf,
            max: if kind == ItemKind::Veto {
                String::new()
            } else {
                max.to_string()
            },
            input,
            agency_scores,
            evidence_required: criterion.as_ref().is_some_and(|c| c.evidence_required),
            self_value: input_text(item.and_then(|i| i.self_value.as_deref())),
            note: item.map(|i| i.self_note.clone()).unwrap_or_default(),
            submitted: shown(item.and_then(|i| i.submitted_value.as_deref())),
            appraised: input_text(item.and_then(|i| i.appraised_value.as_deref())),
            comment: item.map(|i| i.appraisal_comment.clone()).unwrap_or_default(),
            changed: item.is_some_and(|i| i.changed_since_last_submission(loaded.assessment.submissions)),
            evidence: item.and_then(|i| i.evidence.as_ref()).map(|(_, name)| name.clone()),
            computed: match (
                item.filter(|i| i.submitted_value.is_some() || !i.self_note.is_empty()),
                input,
            ) {
                (Some(i), "computed") => i.self_note.clone(),
                (_, "computed") => computation(criterion.as_ref(), max, &facts)
                    .map(|c| c.shown)
                    .unwrap_or_default(),
                _ => String::new(),
            },
        });
    }
    let mine = state.store.assessment_answers(loaded.assessment.id).await?;
    let (self_total, appraised_total, band) = match &mine {
        Some(a) if a.state != AssessmentState::Drafting => {
            // The agency's own submitted points only; the appraisers' stand in the other figure.
            let own = scoring::score(&loaded.rubric, &kinds, &a.submitted);
            let fin = scoring::score(&loaded.rubric, &kinds, &a.final_answers);
            let band = loaded
                .rubric
                .bands
                .iter()
                .find(|b| b.code == fin.band)
                .map(|b| b.title.clone())
                .unwrap_or_default();
            (own.total.to_string(), fin.total.to_string(), band)
        }
        _ => (String::new(), String::new(), String::new()),
    };
    let own = user.role == Role::Officer && user.unit_id == Some(loaded.assessment.unit_id);
    let today = state.clock.today();
    let mut deadlines = Vec::new();
    for window in [Window::SelfScoring, Window::Appraisal] {
        let due = danvan_app::evaluation::deadline_for(&state.store, &loaded.cycle, loaded.assessment.unit_id, window)
            .await?;
        deadlines.push(format!("{} {}", window.label(), date::format_vn(due)));
    }
    let deadlines = deadlines.join("; ");
    Ok(AssessmentPage {
        layout: Layout::new(state, Some(user), "evaluations"),
        id: loaded.assessment.id,
        cycle_id: loaded.cycle.id,
        unit: loaded.unit.clone(),
        state: danvan_app::evaluation::shown_state(loaded.cycle.state, &loaded.assessment),
        sample: loaded.sample,
        return_reason: loaded.assessment.return_reason.clone(),
        rows,
        // No form is offered that its deadline would refuse.
        can_edit: flow::assessment_step(
            loaded.cycle.state,
            loaded.assessment.state,
            Step::SaveDraft,
            user.role,
            own,
        )
        .is_ok()
            && danvan_app::evaluation::check_deadline(&state.store, loaded, Step::SaveDraft, today)
                .await
                .is_ok(),
        can_appraise: flow::assessment_step(
            loaded.cycle.state,
            loaded.assessment.state,
            Step::Appraise,
            user.role,
            own,
        )
        .is_ok()
            && danvan_app::evaluation::check_deadline(&state.store, loaded, Step::Appraise, today)
                .await
                .is_ok(),
        deadlines,
        can_mark_not_submitted: user.role == Role::Monitor
            && loaded.cycle.state == CycleState::Open
            && loaded.assessment.state.editable()
            && loaded.assessment.not_submitted.is_none()
            && danvan_app::evaluation::check_deadline(&state.store, loaded, Step::SaveDraft, today)
                .await
                .is_err(),
        not_submitted: loaded.assessment.not_submitted.clone(),
        errors,
        self_total,
        appraised_total,
        band,
    })
}

pub async fn show_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, id).await?;
    render(&assessment_page(&state, &user, &loaded, vec![]).await?)
}

/// The largest evidence file accepted, and the most per save.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
const MAX_EVIDENCE_FILES: usize = 10;

/// The agency saves its draft (`action=save`) or submits it (`action=submit`); the form is a
/// file upload, each criterion's evidence in `file_<kind>:<id>`.
pub async fn save_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let loaded = load(&state, &user, id).await?;
    let mut form: Vec<(String, String)> = Vec::new();
    let mut files: Vec<(String, String, axum::body::Bytes)> = Vec::new();
    let mut upload_errors = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu gửi lên không hợp lệ hoặc tệp quá lớn."))?
    {
        let name = field.name().unwrap_or("").to_owned();
        match name.strip_prefix("file_") {
            Some(key) => {
                let key = key.to_owned();
                let file_name = field.file_name().unwrap_or("").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("Tệp minh chứng quá lớn hoặc bị lỗi."))?;
                if bytes.is_empty() {
                    continue;
                }
                if bytes.len() > MAX_EVIDENCE_BYTES {
                    upload_errors.push(format!("Tệp {file_name}: lớn hơn {} MB.", MAX_EVIDENCE_BYTES >> 20));
                } else if files.len() >= MAX_EVIDENCE_FILES {
                    upload_errors.push(format!("Mỗi lần lưu nhận tối đa {MAX_EVIDENCE_FILES} tệp minh chứng."));
                } else {
                    files.push((key, file_name, bytes));
                }
            }
            None => {
                let value = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("Dữ liệu gửi lên không hợp lệ."))?;
                form.push((name, value));
            }
        }
    }
    let own = user.role == Role::Officer && user.unit_id == Some(loaded.assessment.unit_id);
    let submit = form.iter().any(|(k, v)| k == "action" && v == "submit");
    let step = if submit { Step::Submit } else { Step::SaveDraft };
    flow::assessment_step(loaded.cycle.state, loaded.assessment.state, step, user.role, own).map_err(step_error)?;
    danvan_app::evaluation::check_deadline(&state.store, &loaded, step, state.clock.today()).await?;
    let field = |name: String| {
        form.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let kinds: Vec<&str> = loaded.kinds.iter().map(String::as_str).collect();
    let facts = facts_for(
        &state.store,
        loaded.assessment.unit_id,
        loaded.cycle.year,
        state.clock.today(),
    )
    .await?;
    let stored = state.store.assessment_items(id).await?;
    let mut errors = Vec::new();
    let mut items = Vec::new();
    let mut missing = Vec::new();
    for (kind, item_id, _, _, criterion, max) in lines(&loaded.rubric, &kinds) {
        let is_leaf = criterion.as_ref().is_none_or(|c| c.children.is_empty());
        let input = input_kind(kind, criterion.as_ref());
        // Computed criteria take the system's figures, kept with the answer as its evidence.
        if let Some(computed) = computation(criterion.as_ref(), max, &facts) {
            let value = computed.score.map(|p| Answer::Points(p).encode());
            items.push(SelfItem {
                kind,
                item_id,
                value,
                note: computed.shown,
                evidence: None,
            });
            continue;
        }
        let agency_scores = is_leaf && agency_scores(kind, criterion.as_ref());
        if !agency_scores {
            continue;
        }
        let key = format!("{}:{item_id}", kind.code());
        let note = field(format!("note_{key}"))
            .trim()
            .chars()
            .take(2000)
            .collect::<String>();
        let value = match read_value(input, &field(format!("v_{key}")), max) {
            Ok(value) => value,
            Err(message) => {
                errors.push(format!("Tiêu chí {item_id}: {message}."));
                continue;
            }
        };
        if kind == ItemKind::Criterion && value.is_none() {
            missing.push(item_id.clone());
        }
        let has_file = files.iter().any(|(k, _, _)| *k == key)
            || stored
                .iter()
                .any(|i| i.kind == kind && i.item_id == item_id && i.evidence.is_some());
        if criterion.as_ref().is_some_and(|c| c.evidence_required)
            && note.is_empty()
            && !has_file
            && value.is_some()
            && submit
        {
            errors.push(format!(
                "Tiêu chí {item_id} cần minh chứng: đính kèm tệp, hoặc ghi số, ký hiệu văn bản minh chứng hay lý do không có."
            ));
        }
        items.push(SelfItem {
            kind,
            item_id,
            value,
            note,
            evidence: None,
        });
    }
    if submit && !missing.is_empty() {
        errors.push(format!("Chưa chấm các tiêu chí: {}.", missing.join(", ")));
    }
    errors.extend(upload_errors);
    let mut evidence = Vec::new();
    for (key, file_name, bytes) in &files {
        let Some(item) = items
            .iter()
            .position(|i| format!("{}:{}", i.kind.code(), i.item_id) == *key)
        else {
            continue;
        };
        let sent = bytes.clone();
        match state.heavy.run(move || crate::upload_check::check(&sent)).await? {
            Ok((kept, content_type)) => evidence.push((item, file_name.clone(), kept, content_type)),
            Err(crate::upload_check::Refused::Hazard(reason)) => errors.push(format!("Tệp {file_name}: {reason}")),
            Err(crate::upload_check::Refused::UnknownType) => errors.push(format!(
                "Tệp {file_name}: chỉ nhận minh chứng dạng PDF, Word (.docx), Excel (.xlsx), JPEG hoặc PNG."
            )),
        }
    }
    let incoming = evidence.iter().map(|(_, _, b, _)| b.len()).sum();
    crate::pages::check_quota(&state, loaded.assessment.unit_id, incoming, &mut errors).await?;
    if !errors.is_empty() {
        return render_invalid(&assessment_page(&state, &user, &loaded, errors).await?);
    }
    for (item, file_name, bytes, content_type) in evidence {
        let sha = state.store.put_file(&bytes, content_type).await?;
        // The name is kept for the download only, never used as a path.
        items[item].evidence = Some((sha, crate::upload_check::safe_file_name(&file_name, "minh-chung")));
    }
    let actor = actor_of(&user, ip);
    state
        .store
        .save_self_items(&actor, id, loaded.assessment.state, &items)
        .await
        .map_err(store_step)?;
    if submit {
        state
            .store
            .submit_assessment(&actor, id, loaded.assessment.state)
            .await
            .map_err(store_step)?;
    }
    Ok(Redirect::to(&format!("/assessments/{id}")).into_response())
}

/// The appraiser saves scores and comments (`action=save`), returns the assessment with a
/// reason (`action=return`) or completes the appraisal (`action=done`). Only the lines the form
/// sends change.
pub async fn appraise_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let acting = user.acting(ip);
    let action = form
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.as_str())
        .unwrap_or("save");
    let outcome = if action == "return" {
        let reason = form
            .iter()
            .find(|(k, _)| k == "reason")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        danvan_app::evaluation::return_assessment(&state.store, &acting, id, reason, state.clock.today()).await
    } else {
        let mut input = danvan_app::evaluation::AppraisalInput {
            complete: action == "done",
            ..Default::default()
        };
        for (name, value) in &form {
            if let Some(key) = name.strip_prefix("a_") {
                input.scores.insert(key.to_owned(), value.clone());
            } else if let Some(key) = name.strip_prefix("c_") {
                input.comments.insert(key.to_owned(), value.clone());
            }
        }
        danvan_app::evaluation::appraise(&state.store, &acting, id, &input, state.clock.today()).await
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            let loaded = load(&state, &user, id).await?;
            render_invalid(&assessment_page(&state, &user, &loaded, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NotSubmittedForm {
    #[serde(default)]
    reason: String,
}

/// The Department marks an assessment "không nộp" with the reason.
pub async fn mark_not_submitted(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<NotSubmittedForm>,
) -> Result<Response, AppError> {
    match danvan_app::evaluation::mark_not_submitted(
        &state.store,
        &user.acting(ip),
        id,
        &form.reason,
        state.clock.today(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => {
            let loaded = load(&state, &user, id).await?;
            render_invalid(&assessment_page(&state, &user, &loaded, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The results as an Excel workbook, for those who may see them.
pub async fn export_results(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    use crate::xlsx::{self, Cell};

    let cycle = state.store.cycle(id).await?.ok_or(AppError::NotFound)?;
    let visible =
        cycle.state == CycleState::Published || (user.role.sees_all() && cycle.state == CycleState::Finalized);
    if !visible {
        return Err(AppError::NotFound);
    }
    let units = state.store.list_units().await?;
    let name = |id: i64| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let header = [
        "Hạng",
        "Cơ quan, đơn vị",
        "Tự chấm",
        "Thẩm định",
        "Xếp loại",
        "Căn cứ xếp loại",
    ];
    let rows: Vec<Vec<Cell>> = state
        .store
        .cycle_results(id)
        .await?
        .iter()
        .map(|r| {
            vec![
                r.rank.into(),
                name(r.unit_id).into(),
                r.self_total.map_or(Cell::Empty, |t| Cell::Number(t as f64 / 100.0)),
                Cell::Number(r.total as f64 / 100.0),
                r.band_title.clone().into(),
                r.explanation.join(" ").into(),
            ]
        })
        .collect();
    let state_note = if cycle.state == CycleState::Published {
        "đã công bố"
    } else {
        "đã chốt, chưa công bố"
    };
    let sheets = vec![xlsx::Sheet::new(
        &format!("Kết quả {}", cycle.year),
        Some(format!(
            "Kết quả đánh giá công tác dân vận chính quyền năm {} ({state_note}), xuất ngày {}",
            cycle.year,
            date::format_vn(state.clock.today())
        )),
        &header,
        rows,
    )];
    let bytes = state
        .heavy
        .run(move || xlsx::workbook(&sheets))
        .await?
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    state
        .store
        .record_security_event(&actor_of(&user, ip), "export_results", "evaluation_cycle", id)
        .await?;
    Ok(crate::pages::download(
        crate::pages::XLSX,
        &format!("ket-qua-danh-gia-{}-{id}.xlsx", cycle.year),
        bytes,
    ))
}

pub struct HistoryRow {
    year: i32,
    cycle_id: i64,
    rank: i64,
    total: String,
    band: String,
    band_title: String,
}

#[derive(Template)]
#[template(path = "evaluations/history.html")]
pub struct HistoryPage {
    layout: Layout,
    unit: String,
    rows: Vec<HistoryRow>,
}

/// An agency's published results over the years.
pub async fn show_history(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let unit = state.store.unit(id).await?.ok_or(AppError::NotFound)?;
    let rows = state
        .store
        .unit_history(id)
        .await?
        .into_iter()
        .map(|(cycle, result)| HistoryRow {
            year: cycle.year,
            cycle_id: cycle.id,
            rank: result.rank,
            total: points_text(result.total),
            band: result.band,
            band_title: result.band_title,
        })
        .collect();
    render(&HistoryPage {
        layout: Layout::new(&state, Some(&user), "evaluations"),
        unit: unit.name,
        rows,
    })
}

/// The draft decision publishing a cycle's results (Quyết định công bố kết quả), with the
/// results table as its appendix; number and date are left for the clerk.
pub async fn export_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    use crate::decision::{self, Decision, ResultLine};

    let cycle = state.store.cycle(id).await?.ok_or(AppError::NotFound)?;
    if cycle.state == CycleState::Open {
        return Err(AppError::Conflict(
            "Chỉ lập dự thảo quyết định khi kết quả đã được tổng hợp.",
        ));
    }
    let version = state
        .store
        .rubric_version(cycle.rubric_version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rubric = version
        .rubric()
        .map_err(|e| AppError::Internal(format!("rubric: {e}")))?;
    let units = state.store.list_units().await?;
    // The People's Committee that issues the decision today (a restructuring replaces it).
    let today = state.clock.today();
    let province_unit = units
        .iter()
        .find(|u| u.kind == UnitKind::ProvincialCommittee && u.parent_id.is_none() && u.is_active_on(today));
    let place = province_unit
        .map(|u| u.name.trim_start_matches("UBND tỉnh").trim().to_owned())
        .unwrap_or_default();
    let signer = match province_unit {
        Some(u) => crate::pages::committee_signer(&state, u.id).await?,
        None => None,
    };
    let group = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.id == cycle.group_id)
        .map(|g| g.name)
        .unwrap_or_default();
    // The regulation as the library holds it: its date, issuer and subject.
    let (number, symbol) = version
        .decision
        .split_once('/')
        .unwrap_or((version.decision.as_str(), ""));
    let held = state
        .store
        .document_by_number(number, symbol, Some(version.valid_from.year()))
        .await?;
    let fallback = format!("ban hành {}", version.title.trim_end_matches(" (mẫu)").to_lowercase());
    let basis = decision::citation(
        "Quyết định",
        &version.decision,
        held.as_ref().and_then(|d| d.issued_on),
        held.as_ref().and_then(|d| d.issuer.as_deref()),
        held.as_ref().and_then(|d| d.subject.as_deref()).unwrap_or(&fallback),
    );
    let name = |id: i64| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let lines = state
        .store
        .cycle_results(id)
        .await?
        .into_iter()
        .map(|r| ResultLine {
            unit: name(r.unit_id),
            self_total: r.self_total.map(points_text).unwrap_or_else(|| "—".into()),
            total: points_text(r.total),
            band: r.band_title.clone(),
            rank: r.rank,
            note: r
                .explanation
                .iter()
                .find(|l| l.starts_with(scoring::TIE_NOTE))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let draft = Decision {
        province: place,
        group,
        year: cycle.year,
        year_of_issue: today.year(),
        issued_on: today,
        basis,
        lines,
        tie_break: rubric.tie_break.iter().map(decision::tie_break_label).collect(),
        signer,
    };
    let bytes = state
        .heavy
        .run(move || decision::docx(&draft))
        .await?
        .map_err(|e| AppError::Internal(format!("docx: {e}")))?;
    state
        .store
        .record_security_event(&actor_of(&user, ip), "export_decision", "evaluation_cycle", id)
        .await?;
    Ok(crate::pages::download(
        crate::pages::DOCX,
        &format!("du-thao-quyet-dinh-cong-bo-{}-{id}.docx", cycle.year),
        bytes,
    ))
}

#[derive(Debug, Deserialize)]
pub struct EvidenceQuery {
    #[serde(default)]
    item: String,
}

/// Downloads one item's evidence file, for those who may see the assessment.
pub async fn download_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::extract::Query(query): axum::extract::Query<EvidenceQuery>,
) -> Result<Response, AppError> {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

    let assessment = state.store.assessment(id).await?.ok_or(AppError::NotFound)?;
    if !user.sees_unit(assessment.unit_id) {
        return Err(AppError::Forbidden);
    }
    let (sha, name) = state
        .store
        .assessment_items(id)
        .await?
        .into_iter()
        .find(|i| format!("{}:{}", i.kind.code(), i.item_id) == query.item)
        .and_then(|i| i.evidence)
        .ok_or(AppError::NotFound)?;
    let file = state.store.file(&sha).await?.ok_or(AppError::NotFound)?;
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"minh-chung-{id}\"; filename*=UTF-8''{encoded}");
    Ok((
        [(CONTENT_TYPE, file.content_type), (CONTENT_DISPOSITION, disposition)],
        file.content,
    )
        .into_response())
}
