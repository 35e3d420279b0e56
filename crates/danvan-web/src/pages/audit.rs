//! The audit log, for admins, with filters.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use danvan_app::store::AuditFilter;
use danvan_domain::clock::VN_OFFSET;
use danvan_domain::date;
use serde::Deserialize;
use time::{OffsetDateTime, Time};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::render;
use crate::view::{Layout, format_instant};

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    object_type: String,
    #[serde(default)]
    object_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    ip: String,
    action: String,
    object: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    rows: Vec<AuditRow>,
    errors: Vec<&'static str>,
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The first instant of a Vietnamese calendar day, as Unix seconds.
fn day_start(day: time::Date) -> i64 {
    OffsetDateTime::new_in_offset(day, Time::MIDNIGHT, VN_OFFSET).unix_timestamp()
}

pub async fn list_audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let mut bound = |text: &str, next_day: bool| {
        non_empty(text).and_then(|t| match date::parse(&t) {
            Some(day) => Some(day_start(if next_day { day.next_day().unwrap_or(day) } else { day })),
            None => {
                errors.push("Ngày lọc không hợp lệ; nhập theo dạng ngày/tháng/năm.");
                None
            }
        })
    };
    let from = bound(&query.from, false);
    let to = bound(&query.to, true);
    let filter = AuditFilter {
        actor: non_empty(&query.actor),
        object_type: non_empty(&query.object_type),
        object_id: non_empty(&query.object_id),
        action: non_empty(&query.action),
        from,
        to,
        limit: 200,
    };
    let rows = state
        .store
        .audit_entries(&filter)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: format_instant(e.created_at),
            actor: e.actor,
            ip: e.ip.unwrap_or_default(),
            action: e.action,
            object: format!("{} #{}", e.object_type, e.object_id),
            before: e.before.unwrap_or_default(),
            after: e.after.unwrap_or_default(),
        })
        .collect();
    render(&AuditPage {
        layout: Layout::new(&state, Some(&user), "audit"),
        query,
        rows,
        errors,
    })
}
