//! Evaluation: a cycle's results out of danvan (Excel, the draft decision) and an agency's history.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use danvan_domain::audit::Action;
use danvan_domain::date;
use danvan_domain::evaluation::CycleState;
use danvan_domain::scoring;

use super::evaluations::points_text;
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::render;
use crate::view::Layout;

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
    let name = format!("ket-qua-danh-gia-{}-{id}.xlsx", cycle.year);
    crate::pages::export_xlsx(&state, &user, ip, sheets, (Action::ExportResults, id), &name).await
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
    let province_unit = danvan_domain::unit::province_committee(&units, today);
    let place = province_unit.map(|u| u.province_name()).unwrap_or_default();
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
    danvan_app::security::record(&state.store, &user.acting(ip), Action::ExportDecision, id).await?;
    Ok(crate::pages::download(
        crate::pages::DOCX,
        &format!("du-thao-quyet-dinh-cong-bo-{}-{id}.docx", cycle.year),
        bytes,
    ))
}
