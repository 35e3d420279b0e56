//! Initiatives counted for the Department: registered and recognised, per agency and field.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use danvan_domain::collation;
use danvan_domain::initiative::Field;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::{number, render};
use crate::view::Layout;

use super::initiatives::unit_names;

// ---- Statistics for the monitor -------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    year: String,
}

/// Registered, and of those recognised.
type Pair = (i64, i64);

pub struct StatRow {
    unit: String,
    /// Per field: (registered, recognised).
    cells: Vec<(i64, i64)>,
    total: (i64, i64),
}

#[derive(Template)]
#[template(path = "initiatives/stats.html")]
pub struct StatsPage {
    layout: Layout,
    year: i32,
    fields: Vec<&'static str>,
    rows: Vec<StatRow>,
    totals: Vec<(i64, i64)>,
    total: (i64, i64),
    years: Vec<(i32, Vec<Pair>, Pair)>,
}

/// Registrations and recognitions per agency and field in a year, and per year across all.
pub async fn show_stats(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<StatsQuery>,
) -> Result<Response, AppError> {
    let year = number(&query.year).unwrap_or(state.clock.today().year());
    let stats = state.store.initiative_stats().await?;
    let names = unit_names(&state).await?;
    let index = |f: Field| Field::ALL.iter().position(|x| *x == f).unwrap_or(0);
    let mut per_unit: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    let mut per_year: BTreeMap<i32, Vec<(i64, i64)>> = BTreeMap::new();
    for s in &stats {
        let cells = per_year.entry(s.year).or_insert_with(|| vec![(0, 0); 4]);
        cells[index(s.field)].0 += s.registered;
        cells[index(s.field)].1 += s.recognised;
        if s.year == year {
            let cells = per_unit.entry(s.unit_id).or_insert_with(|| vec![(0, 0); 4]);
            cells[index(s.field)].0 += s.registered;
            cells[index(s.field)].1 += s.recognised;
        }
    }
    let sum = |cells: &[(i64, i64)]| cells.iter().fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
    let mut rows: Vec<StatRow> = per_unit
        .into_iter()
        .map(|(unit_id, cells)| StatRow {
            unit: names.get(&unit_id).cloned().unwrap_or_default(),
            total: sum(&cells),
            cells,
        })
        .collect();
    rows.sort_by(|a, b| collation::compare(&a.unit, &b.unit));
    let totals: Vec<(i64, i64)> = (0..4)
        .map(|i| {
            rows.iter()
                .fold((0, 0), |a, r| (a.0 + r.cells[i].0, a.1 + r.cells[i].1))
        })
        .collect();
    render(&StatsPage {
        layout: Layout::new(&state, Some(&user), "initiatives"),
        year,
        fields: Field::ALL.iter().map(|f| f.label()).collect(),
        total: sum(&totals),
        totals,
        rows,
        years: per_year
            .into_iter()
            .rev()
            .map(|(y, cells)| (y, cells.clone(), sum(&cells)))
            .collect(),
    })
}
