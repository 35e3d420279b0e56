//! The permission table, exported for review (security.md 7).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use danvan_domain::Role;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::render;
use crate::routes::ROUTES;
use crate::view::Layout;

pub struct PermissionRow {
    method: &'static str,
    path: &'static str,
    purpose: &'static str,
    rule: &'static str,
    allowed: Vec<bool>,
}

#[derive(Template)]
#[template(path = "admin/permissions.html")]
pub struct PermissionsPage {
    layout: Layout,
    roles: Vec<&'static str>,
    rows: Vec<PermissionRow>,
}

pub async fn permissions(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let rows = ROUTES
        .iter()
        .map(|spec| PermissionRow {
            method: spec.method,
            path: spec.path,
            purpose: spec.purpose,
            rule: spec.access.label(),
            allowed: Role::ALL.iter().map(|role| spec.access.allows(*role)).collect(),
        })
        .collect();
    render(&PermissionsPage {
        layout: Layout::new(&state, Some(&user), "admin"),
        roles: Role::ALL.iter().map(|r| r.label()).collect(),
        rows,
    })
}
