//! Figures per agency over a period that spans a restructuring: each record counted once,
//! under the agency alive at the period's end that carries the work on (its one successor,
//! followed through later changes; an agency divided among several keeps its own row), with a
//! note naming whose figures a row includes. The board and the dashboard both count so.

use std::collections::HashMap;

use danvan_app::store::directive::StatusCounts;
use danvan_domain::date;
use danvan_domain::unit::{SuccessionIndex, Unit, carried_by};
use time::Date;

/// One agency's row after folding: its counts and the ended agencies folded into it.
pub struct Folded {
    pub unit_id: i64,
    pub counts: StatusCounts,
    pub from: Vec<i64>,
}

/// Folds per-agency counts (`key` an agency's id) into the agencies alive at `period_end`.
pub fn fold(
    rows: Vec<StatusCounts>,
    units: &HashMap<i64, &Unit>,
    successions: &SuccessionIndex,
    period_end: Date,
) -> Vec<Folded> {
    let mut folded: Vec<Folded> = Vec::new();
    let mut row_of: HashMap<i64, usize> = HashMap::new();
    for counts in rows {
        let carrier = carried_by(counts.key, successions, units, period_end).unwrap_or(counts.key);
        match row_of.get(&carrier) {
            Some(&at) => {
                let row = &mut folded[at];
                row.counts.not_started += counts.not_started;
                row.counts.in_progress += counts.in_progress;
                row.counts.overdue += counts.overdue;
                row.counts.done_on_time += counts.done_on_time;
                row.counts.done_late += counts.done_late;
                if counts.key != carrier {
                    row.from.push(counts.key);
                }
            }
            None => {
                let from = if counts.key == carrier {
                    vec![]
                } else {
                    vec![counts.key]
                };
                row_of.insert(carrier, folded.len());
                folded.push(Folded {
                    unit_id: carrier,
                    counts: StatusCounts { key: carrier, ..counts },
                    from,
                });
            }
        }
    }
    folded
}

/// "Gồm số liệu của Sở Lao động - Thương binh và Xã hội (đến 28/02/2025), …": empty when
/// nothing was folded.
pub fn note(from: &[i64], units: &HashMap<i64, &Unit>) -> String {
    let names: Vec<String> = from
        .iter()
        .filter_map(|f| units.get(f))
        .map(|f| match f.valid_to {
            Some(to) => format!("{} (đến {})", f.name, date::format_vn(to)),
            None => f.name.clone(),
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(
            "Gồm số liệu của {}, đơn vị đã sắp xếp vào đơn vị này.",
            names.join("; ")
        )
    }
}
