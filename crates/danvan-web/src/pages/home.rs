//! The home page, one view per role.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use danvan_domain::{Role, collation, date};
use danvan_store::audit::ChainCheck;

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
}

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let today = state.clock.today();
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
    })
}
