//! One module per area; each handler is named `verb_noun`.

pub mod account;
pub mod accounts;
pub mod addressees;
pub mod admin;
pub mod api_tokens;
pub mod assessments;
pub mod assets;
pub mod assignments;
pub mod audit;
pub mod board;
pub mod calendar;
pub mod compilation;
pub mod directive_changes;
pub mod directives;
pub mod dissemination;
pub mod document_review;
pub mod documents;
pub mod evaluations;
pub mod exchange;
pub mod filings;
pub mod gallery;
pub mod health;
pub mod home;
pub mod initiative_stats;
pub mod initiatives;
pub mod leaders;
pub mod login;
pub mod queue;
pub mod report_kind_editor;
pub mod reports;
pub mod restructure;
pub mod results;
pub mod rubric_editor;
pub mod rubrics;
pub mod sso;
pub mod training;
pub mod unit_import;
pub mod units;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};

use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // The route table's rule has already required a session for every route that takes a
        // `CurrentUser`; reaching here without one is refused rather than trusted.
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Forbidden)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .cloned()
            .unwrap_or(ClientIp("unknown".into())))
    }
}

/// A number typed in a form or a query, spaces around it ignored.
pub(crate) fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

/// Renders an askama page into a response.
pub fn render(page: &impl askama::Template) -> Result<Response, AppError> {
    Ok(Html(page.render()?).into_response())
}

/// A file to download: its type, and a name (ASCII, no quotes) the browser saves it under.
pub fn download(content_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// A bulk export (security.md 18): the workbook built on the heavy-work pool, the export
/// recorded as the security event `action` on `object_id`, then the file.
pub async fn export_xlsx(
    state: &crate::AppState,
    user: &CurrentUser,
    ip: String,
    sheets: Vec<crate::xlsx::Sheet>,
    (action, object_id): (danvan_domain::audit::Action, i64),
    file_name: &str,
) -> Result<Response, AppError> {
    let bytes = state
        .heavy
        .run(move || crate::xlsx::workbook(&sheets))
        .await?
        .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    danvan_app::security::record(&state.store, &user.acting(ip), action, object_id).await?;
    Ok(download(XLSX, file_name, bytes))
}

/// The value of a field of a posted form read as pairs (`action`, which button was pressed);
/// empty when the form did not send it.
pub fn form_field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// A TOML file named after a code (characters a file name may not hold become `_`): the
/// export of rubrics and report kinds.
pub fn download_toml(code: &str, text: String) -> Response {
    let name: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    download(
        "application/toml; charset=utf-8",
        &format!("{name}.toml"),
        text.into_bytes(),
    )
}

/// Sends an attached file from the store under its original name (`filename*`, UTF-8), with
/// an ASCII `fallback` name for old browsers; the store checks the digest as it reads.
pub async fn send_attachment(
    store: &danvan_app::store::Store,
    attachment: &danvan_app::store::directive::Attachment,
    fallback: &str,
) -> Result<Response, AppError> {
    use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
    let file = store.file(&attachment.file_sha256).await?.ok_or(AppError::NotFound)?;
    let encoded: String = form_urlencoded::byte_serialize(attachment.file_name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}");
    Ok((
        [(CONTENT_TYPE, file.content_type), (CONTENT_DISPOSITION, disposition)],
        file.content,
    )
        .into_response())
}

/// Adds an error when `incoming` bytes would take an agency past its upload quota (security.md
/// 26); nothing is stored then.
pub async fn check_quota(
    state: &crate::AppState,
    unit_id: i64,
    incoming: usize,
    errors: &mut Vec<String>,
) -> Result<(), AppError> {
    if incoming == 0 {
        return Ok(());
    }
    let used = state.store.unit_upload_bytes(unit_id).await?;
    let quota = state.config.upload_quota_bytes;
    if used.saturating_add(incoming as i64) > quota {
        let mb = |b: i64| format!("{:.1}", b as f64 / 1_048_576.0).replace('.', ",");
        errors.push(format!(
            "Đơn vị đã dùng {} MB trong {} MB dung lượng tệp được phép; không nhận thêm {} MB. Liên hệ quản trị để mở rộng.",
            mb(used),
            mb(quota),
            mb(incoming as i64)
        ));
    }
    Ok(())
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The non-empty files of a multipart form's field `name`, in order, with their names.
pub async fn uploaded_files(
    multipart: &mut axum::extract::Multipart,
    name: &str,
) -> Result<Vec<(String, axum::body::Bytes)>, AppError> {
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu tải lên không hợp lệ."))?
    {
        if field.name() == Some(name) {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::BadRequest("Tệp quá lớn hoặc bị lỗi."))?;
            if !bytes.is_empty() {
                files.push((file_name, bytes));
            }
        }
    }
    Ok(files)
}

/// Renders a form page again with its errors, answering 422.
/// The page before an irreversible step (a submission): what will happen, what cannot be undone,
/// and the one button that takes the step.
#[derive(askama::Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub layout: crate::view::Layout,
    pub heading: String,
    pub lines: Vec<String>,
    pub warning: &'static str,
    pub action: String,
    pub button: &'static str,
    pub back: String,
}

pub fn render_invalid(page: &impl askama::Template) -> Result<Response, AppError> {
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// The leader the register names for a People's Committee today: who signs its documents.
pub async fn committee_signer(state: &crate::AppState, unit_id: i64) -> Result<Option<crate::docx::Signer>, AppError> {
    Ok(state
        .store
        .leader_on(unit_id, state.clock.today())
        .await?
        .map(|l| crate::docx::Signer {
            name: l.name,
            position: l.position,
        }))
}
