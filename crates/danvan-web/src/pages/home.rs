//! The home page, one view per role.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use danvan_app::store::audit::ChainCheck;
use danvan_domain::report::{Period, PeriodType};
use danvan_domain::{Role, collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::render;
use crate::view::Layout;

pub struct GroupSummary {
    name: String,
    count: usize,
    units: Vec<(i64, String)>,
}

/// An agency's open task, for its dashboard.
pub struct DeadlineRow {
    id: i64,
    task: String,
    due: String,
    status: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    period: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    today: String,
    role: &'static str,
    is_admin: bool,
    sees_all: bool,
    own_unit: Option<(i64, String, &'static str)>,
    groups: Vec<GroupSummary>,
    ungrouped: usize,
    active_units: usize,
    accounts: usize,
    chain_ok: Option<bool>,
    /// The overseers' charts, rendered, and the period selector.
    charts: String,
    periods: Vec<(String, String)>,
    period: String,
    deadlines: Vec<DeadlineRow>,
    reports_due: Vec<(i64, String, String, &'static str)>,
    scores: Vec<(i32, String, String, i64)>,
    /// "Việc cần làm": the role's lines, each a count and a link.
    queue: Vec<crate::pages::queue::QueueLine>,
}

pub async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<HomeQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let period = Period::parse(PeriodType::Year, &query.period)
        .or_else(|| Period::parse(PeriodType::HalfYear, &query.period))
        // A demo on an earlier date than some of its records shows no period that starts after
        // its "today".
        .filter(|p| state.clock.fixed_date().is_none_or(|day| p.window().0 <= day))
        .or_else(|| Period::new(PeriodType::Year, today.year(), 1))
        .ok_or(AppError::BadRequest("Kỳ không hợp lệ."))?;
    // Read before anything it keys (see `crate::fresh`).
    let generation = crate::fresh::Fresh::generation(&state.store, today).await?;
    let charts = if user.role.sees_all() {
        let store = &state.store;
        let key = format!("dashboard:{}", period.code());
        state
            .fresh
            .get_or(&generation, key, |today| {
                crate::dashboard::overseer_body(store, period, today)
            })
            .await?
            .as_ref()
            .clone()
    } else {
        String::new()
    };
    let mut deadlines = Vec::new();
    let mut reports_due = Vec::new();
    let mut scores = Vec::new();
    if let Some(unit_id) = user.unit_id {
        // The agency's own work, the same for everyone of the agency: kept while the data and
        // the day have not moved.
        let store = &state.store;
        let kept = state
            .fresh
            .get_or(&generation, format!("agency-home:{unit_id}"), |_| async move {
                Ok((
                    store.assignments_of_unit(unit_id).await?,
                    crate::pages::reports::own_filings(store, unit_id).await?,
                    store.unit_history(unit_id).await?,
                ))
            })
            .await?;
        let (assignments, filings, history) = kept.as_ref();
        let mut open: Vec<_> = assignments
            .iter()
            // Nothing received after today (a demo on an earlier date than some of its records).
            .filter(|a| a.completed_on.is_none() && a.cancelled.is_none() && a.received_on <= today)
            .collect();
        open.sort_by_key(|a| (a.due_on, a.id));
        deadlines = open
            .into_iter()
            .map(|a| DeadlineRow {
                id: a.id,
                status: a.status(today).label(),
                due: date::format_vn(a.due_on),
                task: a.task_content.clone(),
            })
            .collect();
        for (filing, round, title) in filings {
            if round.state == danvan_app::store::report::RoundState::Open && filing.state.editable() {
                reports_due.push((
                    filing.id,
                    title.clone(),
                    date::format_vn(round.deadline),
                    filing.state.label(),
                ));
            }
        }
        scores = history
            .iter()
            .map(|(cycle, result)| {
                (
                    cycle.year,
                    danvan_domain::rubric::Points(result.total).to_string(),
                    result.band_title.clone(),
                    result.rank,
                )
            })
            .collect();
    }
    let units = state.store.list_units().await?;
    let alive: Vec<_> = units.iter().filter(|u| u.is_active_on(today)).collect();
    let mut groups = Vec::new();
    if user.role.sees_all() {
        for group in state.store.list_groups().await? {
            let mut members: Vec<(i64, String)> = alive
                .iter()
                .filter(|u| u.group_id == Some(group.id))
                .map(|u| (u.id, u.short_name.clone()))
                .collect();
            collation::sort_by_key(&mut members, |m| &m.1);
            groups.push(GroupSummary {
                name: group.name,
                count: members.len(),
                units: members,
            });
        }
    }
    let own_unit = user
        .unit_id
        .and_then(|id| units.iter().find(|u| u.id == id))
        .map(|u| (u.id, u.name.clone(), u.kind.label()));
    let (accounts, chain_ok) = if user.role == Role::Admin {
        let chain = state.store.verify_audit_chain().await?;
        (
            state.store.list_accounts().await?.len(),
            Some(matches!(chain, ChainCheck::Intact { .. })),
        )
    } else {
        (0, None)
    };
    let queue = crate::pages::queue::lines(&state, &user, &generation).await?;
    crate::pages::queue::remember(&state, &user, &queue);
    let mut user = user;
    user.waiting = Some(queue.iter().map(|l| l.count).sum());
    render(&HomePage {
        layout: Layout::new(&state, Some(&user), "home"),
        today: date::format_vn(today),
        role: user.role.label(),
        is_admin: user.role == Role::Admin,
        sees_all: user.role.sees_all(),
        own_unit,
        ungrouped: alive.iter().filter(|u| u.group_id.is_none()).count(),
        groups,
        active_units: alive.len(),
        accounts,
        chain_ok,
        charts,
        periods: crate::dashboard::periods(today)
            .into_iter()
            .map(|p| (p.code(), p.label()))
            .collect(),
        period: period.code(),
        deadlines,
        reports_due,
        scores,
        queue,
    })
}
