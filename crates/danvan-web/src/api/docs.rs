//! The API's OpenAPI 3.1 document, generated from the handlers' annotations and the types they
//! answer with, served as JSON and as a readable page rendered on the server.

use std::sync::LazyLock;

use askama::Template;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::Problem;
use super::handlers::*;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::view::Layout;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "danvan API",
        version = "1",
        description = "API của hệ thống theo dõi công tác dân vận chính quyền, cho các hệ thống khác của tỉnh \
            (qua nền tảng tích hợp, chia sẻ dữ liệu LGSP). Mỗi lần gọi mang khóa API do quản trị hệ thống cấp \
            (Authorization: Bearer …); khóa đại diện cho một tài khoản, với vai trò và đơn vị của tài khoản đó, \
            và chỉ được các quyền ghi trên khóa (read: đọc; report: báo cáo tiến độ cho đơn vị mình). Danh sách \
            được chia trang bằng con trỏ next_cursor. Lỗi trả về theo RFC 9457 (application/problem+json), \
            phần detail bằng tiếng Việt. Ngày theo ISO 8601 (yyyy-mm-dd)."
    ),
    paths(openapi_json, units, directives, directive, assignments, reports, report_progress, evaluations, gallery, report_rounds),
    components(schemas(Problem)),
    modifiers(&BearerScheme),
)]
pub struct ApiDoc;

struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Khóa API do quản trị hệ thống cấp (dvk_…)."))
                    .build(),
            ),
        );
    }
}

/// The document, built once.
pub static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(ApiDoc::openapi);
static DOCUMENT_JSON: LazyLock<String> =
    LazyLock::new(|| DOCUMENT.to_pretty_json().expect("the OpenAPI document serialises"));

/// This document (OpenAPI 3.1, JSON); no token needed.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "Tài liệu",
    responses((status = 200, description = "Tài liệu OpenAPI 3.1 của API", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT_JSON.as_str()).into_response()
}

struct OperationView {
    method: String,
    path: String,
    summary: String,
    description: String,
    parameters: Vec<(String, String, bool, String)>,
    body: Option<String>,
    responses: Vec<(String, String, String)>,
}

struct SchemaView {
    name: String,
    description: String,
    fields: Vec<(String, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    layout: Layout,
    title: String,
    version: String,
    description: String,
    operations: Vec<OperationView>,
    schemas: Vec<SchemaView>,
}

/// A schema's type as a reader would say it: `ApiUnit`, `array of ApiUnit`, `string | null`.
fn type_name(schema: &serde_json::Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(any) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(|v| v.as_array())
    {
        return any.iter().map(type_name).collect::<Vec<_>>().join(" | ");
    }
    let kind = match schema.get("type") {
        Some(serde_json::Value::String(kind)) => kind.clone(),
        Some(serde_json::Value::Array(kinds)) => {
            kinds.iter().filter_map(|k| k.as_str()).collect::<Vec<_>>().join(" | ")
        }
        _ => "object".to_owned(),
    };
    match schema.get("items") {
        Some(items) => format!("{kind} of {}", type_name(items)),
        None => kind,
    }
}

fn text(value: &serde_json::Value, key: &str) -> String {
    value.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
}

/// `GET /api-docs`: the same document, readable.
pub async fn show_docs(State(state): State<AppState>, user: Option<CurrentUser>) -> Result<Response, AppError> {
    let document: serde_json::Value =
        serde_json::from_str(&DOCUMENT_JSON).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut operations = Vec::new();
    if let Some(paths) = document.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for (method, operation) in item {
                let parameters = operation
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .map(|ps| {
                        ps.iter()
                            .map(|p| {
                                (
                                    text(p, "name"),
                                    p.get("schema").map(type_name).unwrap_or_default(),
                                    p.get("required").and_then(|r| r.as_bool()).unwrap_or(false),
                                    text(p, "description"),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let body = operation
                    .pointer("/requestBody/content/application~1json/schema")
                    .map(type_name);
                let responses = operation
                    .get("responses")
                    .and_then(|r| r.as_object())
                    .map(|rs| {
                        rs.iter()
                            .map(|(status, r)| {
                                let schema = r
                                    .get("content")
                                    .and_then(|c| c.as_object())
                                    .and_then(|c| c.values().next())
                                    .and_then(|c| c.get("schema"))
                                    .map(type_name)
                                    .unwrap_or_default();
                                (status.clone(), text(r, "description"), schema)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                operations.push(OperationView {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: text(operation, "summary"),
                    description: text(operation, "description"),
                    parameters,
                    body,
                    responses,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(found) = document.pointer("/components/schemas").and_then(|s| s.as_object()) {
        for (name, schema) in found {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(|r| r.as_array())
                .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let fields = schema
                .get("properties")
                .and_then(|p| p.as_object())
                .map(|ps| {
                    ps.iter()
                        .map(|(field, s)| {
                            (
                                field.clone(),
                                type_name(s),
                                required.contains(&field.as_str()),
                                text(s, "description"),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            schemas.push(SchemaView {
                name: name.clone(),
                description: text(schema, "description"),
                fields,
            });
        }
    }
    let page = DocsPage {
        layout: Layout::new(&state, user.as_ref(), "api"),
        title: text(&document["info"], "title"),
        version: text(&document["info"], "version"),
        description: text(&document["info"], "description"),
        operations,
        schemas,
    };
    Ok(Html(page.render().map_err(|e| AppError::Internal(e.to_string()))?).into_response())
}
