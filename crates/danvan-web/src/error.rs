//! The web layer's errors.
//!
//! The three tiers of the project: libraries return `thiserror` enums (`StoreError`,
//! `UnitError`); this crate turns them into one [`AppError`] mapped to a status code in a single
//! match; the binary and background jobs use `anyhow` with context. A user never sees internals:
//! the error page says what happened in Vietnamese and shows the request id under which the
//! details are logged.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_app::store::StoreError;
use danvan_domain::message;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// The record is not in a state that allows the step (a stale page, a step taken twice).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The server has no room for the work now; the user may try again shortly.
    #[error("unavailable: {0}")]
    Unavailable(&'static str),
    /// A step refused by the application layer, with its reason in the user's words.
    #[error("refused: {0}")]
    Refused(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// A session opened through the identity provider must be confirmed there before this step:
    /// the browser is sent to the provider, and back to this page (a path of this site) after.
    #[error("confirm at the identity provider, then back to {0}")]
    ConfirmAtProvider(String),
}

impl From<danvan_app::Refusal> for AppError {
    fn from(refusal: danvan_app::Refusal) -> Self {
        use danvan_app::Refusal;
        match refusal {
            Refusal::Forbidden => AppError::Forbidden,
            Refusal::NotFound => AppError::NotFound,
            Refusal::State(text) => AppError::Refused(text),
            // Handlers that take input render their form with the problems; one that reaches
            // here has no form to show them on.
            Refusal::Invalid(problems) => AppError::Refused(problems.join(" ")),
            Refusal::Store(error) => error.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Internal(format!("{other}: {other:?}")),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(format!("template: {error}"))
    }
}

/// Carried in a response's extensions so the outer middleware renders the error page, with the
/// request id and layout it knows and the handler does not.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub message: std::borrow::Cow<'static, str>,
}

impl AppError {
    pub fn status_and_message(&self) -> (StatusCode, std::borrow::Cow<'static, str>) {
        let (status, text): (StatusCode, &'static str) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, message::NOT_FOUND),
            AppError::Forbidden => (StatusCode::FORBIDDEN, message::FORBIDDEN),
            AppError::Csrf => (StatusCode::FORBIDDEN, message::CSRF_FAILED),
            AppError::BadRequest(text) => (StatusCode::BAD_REQUEST, text),
            AppError::Conflict(text) => (StatusCode::CONFLICT, text),
            AppError::Unavailable(text) => (StatusCode::SERVICE_UNAVAILABLE, text),
            AppError::Refused(text) => return (StatusCode::CONFLICT, text.clone().into()),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, message::SERVER_ERROR),
            AppError::ConfirmAtProvider(_) => (StatusCode::SEE_OTHER, message::CONFIRM_AT_PROVIDER),
        };
        (status, text.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::ConfirmAtProvider(back) = &self {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("purpose", "confirm")
                .append_pair("next", crate::auth::safe_next(back))
                .finish();
            tracing::info!("confirmation at the identity provider asked for");
            return axum::response::Redirect::to(&format!("/auth/oidc/start?{query}")).into_response();
        }
        let (status, message) = self.status_and_message();
        if let AppError::Internal(detail) = &self {
            // The request id is on the enclosing span, so this line and the page share it.
            tracing::error!(detail = %detail.replace('\n', "\\n"), "request failed");
        } else {
            tracing::info!(status = status.as_u16(), error = %self, "request refused");
        }
        let mut response = (status, message.to_string()).into_response();
        response.extensions_mut().insert(ErrorPage { status, message });
        response
    }
}
