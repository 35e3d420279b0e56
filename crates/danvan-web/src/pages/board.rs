//! The monitoring board (per agency, per directive, overdue tasks) and its Excel export.

use danvan_domain::audit::Action;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use danvan_app::store::directive::{BoardFilter, StatusCounts};
use danvan_domain::directive::TaskStatus;
use danvan_domain::unit::Unit;
use danvan_domain::{collation, date};
use serde::Deserialize;
use time::Date;

use super::directives::{Choice, alive_on, unit_names};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::render;
use crate::view::Layout;
use crate::xlsx::{self, Cell};

#[derive(Debug, Default, Clone, Deserialize)]
pub struct BoardQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    unit: String,
}

#[derive(Clone)]
pub struct BoardRow {
    name: String,
    group: String,
    counts: StatusCounts,
    rate: String,
    /// Whose figures were counted here after a restructuring.
    note: String,
}

#[derive(Clone)]
pub struct OverdueRow {
    id: i64,
    unit: String,
    directive: String,
    task: String,
    due: String,
    due_on: Date,
    days: i64,
}

#[derive(Template)]
#[template(path = "directives/board.html")]
pub struct BoardPage {
    layout: Layout,
    query: BoardQuery,
    groups: Vec<Choice>,
    units: Vec<Choice>,
    by_unit: Vec<BoardRow>,
    by_directive: Vec<BoardRow>,
    overdue: Vec<OverdueRow>,
    export_query: String,
    errors: Vec<&'static str>,
    /// The statuses' names, in the order of the columns: one vocabulary, the domain's.
    status_labels: Vec<&'static str>,
    rate_definition: &'static str,
}

#[derive(Clone)]
struct BoardData {
    by_unit: Vec<BoardRow>,
    by_directive: Vec<BoardRow>,
    overdue: Vec<OverdueRow>,
    errors: Vec<&'static str>,
}

fn rate(counts: &StatusCounts) -> String {
    counts
        .on_time_rate()
        .map(|r| format!("{r:.0} %"))
        .unwrap_or_else(|| "—".into())
}

/// The board's filter as typed, read: dates, agency and group, with what could not be read.
fn board_filter(state: &AppState, query: &BoardQuery) -> (BoardFilter, Vec<&'static str>) {
    let mut errors = Vec::new();
    let mut day = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = date::parse(text);
        if parsed.is_none() {
            errors.push("Ngày lọc không hợp lệ; nhập theo dạng ngày/tháng/năm.");
        }
        parsed
    };
    let filter = BoardFilter {
        due_from: day(&query.from),
        due_to: day(&query.to),
        group_id: query.group.parse().ok(),
        unit_id: query.unit.parse().ok(),
        directive_id: None,
        // A demo on an earlier date than some of its records shows only what existed then.
        received_by: state.clock.fixed_date(),
    };
    (filter, errors)
}

async fn board_data(
    state: &AppState,
    filter: BoardFilter,
    errors: Vec<&'static str>,
    today: Date,
) -> Result<BoardData, AppError> {
    // The per-agency counts are read for the whole province: the agency and group filters
    // apply to the agency a record is counted under, after folding (below).
    let unfiltered = BoardFilter {
        group_id: None,
        unit_id: None,
        ..filter.clone()
    };
    // The page's reads are independent. The three that count run at once, beside the small
    // ones read one after another: four connections of the pool at most.
    let store = &state.store;
    let small = async {
        Ok::<_, danvan_app::store::StoreError>((
            store.list_units().await?,
            store.list_groups().await?,
            store.list_successions().await?,
            store.directive_titles().await?,
            store.work_calendar().await?,
        ))
    };
    let ((units, groups, successions, titles, mut calendar), counts, directive_counts, overdue) = tokio::try_join!(
        small,
        store.board_counts(&unfiltered, today, false),
        store.board_counts(&filter, today, true),
        store.overdue_assignments(&filter, today, 500),
    )?;
    let groups: HashMap<i64, String> = groups.into_iter().map(|g| (g.id, g.name)).collect();
    let by_unit_ids: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
    // A period that spans a restructuring counts each record once, under the agency alive at
    // its end that carries the work on (one successor); an agency divided among several keeps
    // its own row.
    // The agency and group filters apply to the agency a record is counted under, so they are
    // applied after folding.
    let period_end = filter.due_to.unwrap_or(today);
    let successions = danvan_domain::unit::successions_by_predecessor(successions);
    let folded: Vec<_> = crate::carried::fold(counts, &by_unit_ids, &successions, period_end)
        .into_iter()
        .filter(|row| {
            filter.unit_id.is_none_or(|u| u == row.unit_id)
                && filter
                    .group_id
                    .is_none_or(|g| by_unit_ids.get(&row.unit_id).is_some_and(|u| u.group_id == Some(g)))
        })
        .collect();
    let mut by_unit: Vec<BoardRow> = folded
        .into_iter()
        .map(|row| {
            let unit = by_unit_ids.get(&row.unit_id);
            BoardRow {
                name: unit.map(|u| u.name.clone()).unwrap_or_default(),
                group: unit
                    .and_then(|u| u.group_id)
                    .and_then(|g| groups.get(&g).cloned())
                    .unwrap_or_default(),
                rate: rate(&row.counts),
                note: crate::carried::note(&row.from, &by_unit_ids),
                counts: row.counts,
            }
        })
        .collect();
    collation::sort_by_key(&mut by_unit, |r| &r.name);
    let by_directive = directive_counts
        .into_iter()
        .map(|counts| BoardRow {
            name: titles.get(&counts.key).cloned().unwrap_or_default(),
            group: String::new(),
            rate: rate(&counts),
            counts,
            note: String::new(),
        })
        .collect();
    let names = unit_names(&units);
    let overdue = overdue
        .into_iter()
        .map(|a| OverdueRow {
            id: a.id,
            unit: names.get(&a.unit_id).cloned().unwrap_or_default(),
            directive: a.directive_title.clone(),
            task: a.task_content.clone(),
            due: date::format_vn(a.due_on),
            due_on: a.due_on,
            days: calendar.working_days_between(a.due_on, today),
        })
        .collect();
    Ok(BoardData {
        by_unit,
        by_directive,
        overdue,
        errors,
    })
}

pub async fn show_board(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    // The board is the same for every viewer who may open it: kept per filter as read, so
    // that texts read alike share one value and no typed text can pose as another filter.
    let (filter, errors) = board_filter(&state, &query);
    let key = format!("board:{filter:?}:{errors:?}");
    let data = state
        .kept(key, |today| board_data(&state, filter, errors, today))
        .await?
        .as_ref()
        .clone();
    let units = state.store.list_units().await?;
    let alive = alive_on(&units, state.clock.today());
    let group_choices = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| Choice {
            selected: query.group == g.id.to_string(),
            value: g.id.to_string(),
            label: g.name,
        })
        .collect();
    let unit_choices = alive
        .iter()
        .map(|u| Choice {
            selected: query.unit == u.id.to_string(),
            value: u.id.to_string(),
            label: u.name.clone(),
        })
        .collect();
    let export_query = form_urlencoded::Serializer::new(String::new())
        .append_pair("from", &query.from)
        .append_pair("to", &query.to)
        .append_pair("group", &query.group)
        .append_pair("unit", &query.unit)
        .finish();
    render(&BoardPage {
        layout: Layout::new(&state, Some(&user), "board"),
        groups: group_choices,
        units: unit_choices,
        by_unit: data.by_unit,
        by_directive: data.by_directive,
        overdue: data.overdue,
        errors: data.errors,
        export_query,
        query,
        status_labels: TaskStatus::ALL.iter().map(|s| s.label()).collect(),
        rate_definition: danvan_domain::directive::ON_TIME_RATE_DEFINITION,
    })
}

/// The board's table per agency and its overdue list as an Excel file.
pub async fn export_board(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Query(query): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let day = state.clock.today();
    let (filter, errors) = board_filter(&state, &query);
    let data = board_data(&state, filter, errors, day).await?;
    let today = date::format_vn(day);
    let status_rows = |rows: &[BoardRow], with_group: bool| -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| {
                let name = if r.note.is_empty() {
                    r.name.clone()
                } else {
                    format!("{} ({})", r.name, r.note)
                };
                let mut row: Vec<Cell> = vec![name.into()];
                if with_group {
                    row.push(r.group.clone().into());
                }
                row.extend([
                    r.counts.total().into(),
                    r.counts.not_started.into(),
                    r.counts.in_progress.into(),
                    r.counts.overdue.into(),
                    r.counts.done_on_time.into(),
                    r.counts.done_late.into(),
                    r.counts.on_time_rate().map_or(Cell::Empty, |p| Cell::Rate(p / 100.0)),
                ]);
                row
            })
            .collect()
    };
    let status_header = |first: &'static str, group: bool| {
        let mut header = vec![first];
        if group {
            header.push("Khối");
        }
        header.extend([
            "Tổng số",
            TaskStatus::NotStarted.label(),
            TaskStatus::InProgress.label(),
            TaskStatus::Overdue.label(),
            TaskStatus::DoneOnTime.label(),
            TaskStatus::DoneLate.label(),
            "Tỷ lệ đúng hạn",
        ]);
        header
    };
    let definition = danvan_domain::directive::ON_TIME_RATE_DEFINITION;
    let sheets = vec![
        xlsx::Sheet::new(
            "Theo đơn vị",
            Some(format!("Tình hình thực hiện nhiệm vụ theo đơn vị, đến ngày {today}")),
            &status_header("Đơn vị", true),
            status_rows(&data.by_unit, true),
        )
        .with_note(definition),
        xlsx::Sheet::new(
            "Theo văn bản chỉ đạo",
            Some(format!(
                "Tình hình thực hiện nhiệm vụ theo văn bản chỉ đạo, đến ngày {today}"
            )),
            &status_header("Văn bản chỉ đạo", false),
            status_rows(&data.by_directive, false),
        )
        .with_note(definition),
        xlsx::Sheet::new(
            "Nhiệm vụ quá hạn",
            Some(format!("Nhiệm vụ quá hạn chưa hoàn thành, đến ngày {today}")),
            &[
                "Đơn vị",
                "Văn bản chỉ đạo",
                "Hạn",
                "Số ngày làm việc quá hạn",
                "Nhiệm vụ",
            ],
            data.overdue
                .iter()
                .map(|o| {
                    vec![
                        o.unit.clone().into(),
                        o.directive.clone().into(),
                        Cell::Date(o.due_on),
                        o.days.into(),
                        o.task.clone().into(),
                    ]
                })
                .collect(),
        ),
    ];
    crate::pages::export_xlsx(
        &state,
        &user,
        ip,
        sheets,
        (Action::ExportBoard, 0),
        "theo-doi-nhiem-vu.xlsx",
    )
    .await
}
