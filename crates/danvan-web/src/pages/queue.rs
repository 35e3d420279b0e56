//! "Việc cần làm": what waits for the signed-in user, a count per line on the home page and a
//! page per line listing the items with a link to where each is dealt with.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use danvan_app::store::queue::QueueScope;
use danvan_domain::date;
use danvan_domain::queue::{DUE_SOON_WORKING_DAYS, WorkItem};
use time::Date;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::render;
use crate::view::Layout;

/// One line of the work queue as the home page shows it.
#[derive(Clone)]
pub struct QueueLine {
    pub code: &'static str,
    pub count: i64,
    pub label: &'static str,
}

async fn scope(state: &AppState, user: &CurrentUser, today: Date) -> Result<QueueScope, AppError> {
    let mut calendar = state.store.work_calendar().await?;
    Ok(QueueScope {
        unit_id: user.unit_id,
        today,
        soon: calendar.add_working_days(today, DUE_SOON_WORKING_DAYS),
    })
}

/// Keeps a fresh total for the navigation (the home page counts every line anyway).
pub fn remember(state: &AppState, user: &CurrentUser, lines: &[QueueLine]) {
    if let Ok(mut cache) = state.waiting.lock() {
        cache.insert(
            user.account_id,
            (std::time::Instant::now(), lines.iter().map(|l| l.count).sum()),
        );
    }
}

/// The user's lines, each counted by one query, kept while the official data and the day have
/// not moved ([`crate::fresh`]): they depend on nothing else than the role and the agency.
pub async fn lines(
    state: &AppState,
    user: &CurrentUser,
    generation: &crate::fresh::Generation,
) -> Result<Vec<QueueLine>, AppError> {
    let lines = WorkItem::for_role(user.role);
    if lines.is_empty() {
        return Ok(vec![]);
    }
    let key = format!("queue:{:?}:{:?}", user.role, user.unit_id);
    let kept = state
        .fresh
        .get_or(generation, key, |today| async move {
            let scope = scope(state, user, today).await?;
            let mut out = Vec::with_capacity(lines.len());
            for item in lines {
                out.push(QueueLine {
                    code: item.code(),
                    count: state.store.queue_count(*item, scope).await?,
                    label: item.label(),
                });
            }
            Ok(out)
        })
        .await?;
    Ok(kept.as_ref().clone())
}

pub struct Row {
    link: String,
    title: String,
    unit: String,
    date: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
pub struct QueuePage {
    layout: Layout,
    label: &'static str,
    rows: Vec<Row>,
    more: bool,
}

/// The most items one page lists.
const PAGE_ITEMS: i64 = 200;

pub async fn show_queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let item = WorkItem::from_code(&code).ok_or(AppError::NotFound)?;
    if !item.for_whom(user.role) {
        return Err(AppError::Forbidden);
    }
    let scope = scope(&state, &user, state.clock.today()).await?;
    let mut rows = state.store.queue_rows(item, scope, PAGE_ITEMS + 1).await?;
    let more = rows.len() as i64 > PAGE_ITEMS;
    rows.truncate(PAGE_ITEMS as usize);
    render(&QueuePage {
        layout: Layout::new(&state, Some(&user), "home"),
        label: item.label(),
        rows: rows
            .into_iter()
            .map(|r| Row {
                link: r.link,
                title: r.title,
                unit: r.unit,
                date: r.date.map(date::format_vn).unwrap_or_default(),
            })
            .collect(),
        more,
    })
}
