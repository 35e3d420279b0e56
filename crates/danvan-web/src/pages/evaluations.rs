//! Evaluation cycles: opening one, its page, deadlines, finalizing and publishing. The rubric
//! versions are in `rubrics`, an agency's assessment in `assessments`, the results' files in
//! `results`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::StoreError;
use danvan_app::store::evaluation::NewCycle;
use danvan_domain::audit::Action;
use danvan_domain::evaluation::{self as flow, AssessmentState, CycleState, Step, Window};
use danvan_domain::rubric::Points;
use danvan_domain::{Role, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

pub(crate) fn step_error(error: flow::StepError) -> AppError {
    match error {
        flow::StepError::Role => AppError::Forbidden,
        other => AppError::Conflict(other.message()),
    }
}

pub struct CycleRow {
    id: i64,
    year: i32,
    group: String,
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
    let kept = state
        .kept("cycles".into(), |_| async {
            let groups = state.store.list_groups().await?;
            let rubrics = state.store.rubric_versions().await?;
            let mut cycles = Vec::new();
            for c in state.store.cycles().await? {
                let assessments = state.store.assessments(c.id).await?;
                cycles.push((c, assessments));
            }
            Ok((groups, rubrics, cycles))
        })
        .await?;
    let (groups, rubrics, kept_cycles) = kept.as_ref();
    let group_name = |id: i64| {
        groups
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let mut cycles = Vec::new();
    for (c, assessments) in kept_cycles {
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
            // As the assessment's own page shows it: its published state once results are out.
            visible
                .iter()
                .map(|a| danvan_app::evaluation::shown_state(c.state, a))
                .collect::<Vec<_>>()
                .join("; ")
        };
        cycles.push(CycleRow {
            id: c.id,
            year: c.year,
            group: group_name(c.group_id),
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
    match danvan_app::evaluation::open_cycle(&state.store, &user.acting(ip), &new, &units).await {
        Ok(id) => Ok(Redirect::to(&format!("/evaluations/{id}")).into_response()),
        Err(danvan_app::Refusal::Invalid(errors)) => render_invalid(&cycles_page(&state, &user, errors).await?),
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            let error = format!("Đã có đợt đánh giá năm {year} cho {}.", group.name);
            render_invalid(&cycles_page(&state, &user, vec![error]).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The agencies of a group alive at any time in a year: those a cycle assesses.
pub async fn cycle_units(store: &danvan_app::store::Store, group_id: i64, year: i32) -> Result<Vec<i64>, StoreError> {
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

pub(crate) fn points_text(hundredths: i64) -> String {
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

/// What a cycle's page reads, the same for every viewer: kept while the data has not moved.
struct CycleData {
    cycle: danvan_app::store::evaluation::CycleRecord,
    version: danvan_app::store::RubricVersion,
    /// The version's rubric, read from its source once.
    rubric: danvan_domain::rubric::Rubric,
    assessments: Vec<danvan_app::store::evaluation::AssessmentRecord>,
    /// Read once the cycle is finalized; who may see them is decided per viewer.
    results: Vec<danvan_app::store::evaluation::ResultRecord>,
    groups: Vec<danvan_domain::unit::UnitGroup>,
    extensions: Vec<danvan_app::store::evaluation::Extension>,
}

async fn cycle_data(state: &AppState, id: i64) -> Result<Option<CycleData>, AppError> {
    let Some(cycle) = state.store.cycle(id).await? else {
        return Ok(None);
    };
    let version = state
        .store
        .rubric_version(cycle.rubric_version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let results = if matches!(cycle.state, CycleState::Published | CycleState::Finalized) {
        state.store.cycle_results(id).await?
    } else {
        vec![]
    };
    Ok(Some(CycleData {
        rubric: version.rubric()?,
        version,
        assessments: state.store.assessments(id).await?,
        results,
        groups: state.store.list_groups().await?,
        extensions: state.store.deadline_extensions(id).await?,
        cycle,
    }))
}

async fn cycle_page(state: &AppState, user: &CurrentUser, id: i64, errors: Vec<String>) -> Result<CyclePage, AppError> {
    let kept = state
        .kept_found(format!("cycle:{id}"), |_| cycle_data(state, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let data = kept.as_ref();
    let (cycle, version, assessments, rubric) = (&data.cycle, &data.version, &data.assessments, &data.rubric);
    let units = state.store.unit_names().await?;
    let name = |id: i64| units.get(&id).cloned().unwrap_or_default();
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
    let results = if show_results { data.results.as_slice() } else { &[] };
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
    let group = data
        .groups
        .iter()
        .find(|g| g.id == cycle.group_id)
        .map(|g| g.name.clone())
        .unwrap_or_default();
    let extensions = data
        .extensions
        .iter()
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
    let back = format!("/evaluations/{id}");
    crate::pages::account::confirm_password(&state, &user, &ip, &form.password, Action::ReauthFailedPublish, &back)
        .await?;
    danvan_app::evaluation::publish(&state.store, &user.acting(ip), id).await?;
    Ok(Redirect::to(&format!("/evaluations/{id}")).into_response())
}
