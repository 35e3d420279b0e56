//! The JSON API under `/api/v1` (issue 19), for the province's other systems.
//!
//! Every call carries a bearer token (`Authorization: Bearer dvk_…`); cookies are never read
//! here, so no other site can make a browser call the API, and no CSRF token is needed. The
//! token acts as its account: [`outer`] finds it, refuses a revoked or expired one or one whose
//! account is disabled, counts the call against the token's rate, and hands the handlers a
//! [`CurrentUser`] named `api:NAME`, so the route table's rule (`routes::require`), the
//! handlers' per-record checks and the application layer's use cases apply as they do to
//! pages. Each call with a token is written to the audit log with the token's name, the
//! route's pattern and the status.
//!
//! Errors are RFC 9457 problem details (`application/problem+json`) with a Vietnamese `detail`;
//! lists are paged with an opaque cursor (`next_cursor`). The OpenAPI 3.1 document is generated
//! from the handlers' annotations ([`docs`]).

pub mod docs;
pub mod handlers;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{MatchedPath, Request};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use danvan_app::store::api_token::{ApiGrant, Scope};
use serde::Serialize;
use tracing::Instrument;

use crate::AppState;
use crate::auth::{self, ClientIp, CurrentUser};

/// The prefix of every API route.
pub const PREFIX: &str = "/api/v1/";

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Whether `path` is the API's (answered with JSON, authenticated by bearer tokens only).
pub fn is_api(path: &str) -> bool {
    path.starts_with(PREFIX)
}

/// The token a call came with, beside the [`CurrentUser`] it acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub scopes: Vec<Scope>,
    /// When the token was last used, as read with it: its use is written again only when this
    /// is a minute old.
    pub last_used_at: Option<i64>,
}

/// An RFC 9457 problem: its status, a short title and the Vietnamese detail.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status's short description.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, in Vietnamese, for the person who reads the calling system's log.
    pub detail: String,
    /// Each problem with the input, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// The detail a status gets when nothing more precise is known (a framework's refusal).
    pub fn of_status(status: StatusCode) -> Problem {
        let detail = match status {
            StatusCode::BAD_REQUEST => "Yêu cầu không hợp lệ.",
            StatusCode::UNAUTHORIZED => "Cần khóa API hợp lệ trong tiêu đề Authorization: Bearer.",
            StatusCode::FORBIDDEN => "Khóa API này không được phép thực hiện thao tác này.",
            StatusCode::NOT_FOUND => "Không có tài nguyên này.",
            StatusCode::METHOD_NOT_ALLOWED => "Phương thức này không dùng được với đường dẫn này.",
            StatusCode::PAYLOAD_TOO_LARGE => "Nội dung gửi lên quá lớn.",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Nội dung phải là JSON (Content-Type: application/json).",
            StatusCode::UNPROCESSABLE_ENTITY => "Nội dung JSON không đúng cấu trúc mô tả trong tài liệu API.",
            StatusCode::TOO_MANY_REQUESTS => "Quá nhiều yêu cầu; hãy thử lại sau.",
            StatusCode::SERVICE_UNAVAILABLE => "Hệ thống đang bận; hãy thử lại sau.",
            _ if status.is_server_error() => "Lỗi hệ thống; mã yêu cầu có trong tiêu đề X-Request-Id.",
            _ => "Yêu cầu không thực hiện được.",
        };
        Problem::new(status, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"danvan\""));
        }
        response
    }
}

/// What a handler returns when it refuses.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

impl From<danvan_app::Refusal> for ApiError {
    fn from(refusal: danvan_app::Refusal) -> Self {
        use danvan_app::Refusal;
        ApiError(match refusal {
            Refusal::Forbidden => Problem::of_status(StatusCode::FORBIDDEN),
            Refusal::NotFound => Problem::of_status(StatusCode::NOT_FOUND),
            Refusal::State(text) => Problem::new(StatusCode::CONFLICT, text),
            Refusal::Invalid(problems) => {
                let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, problems.join(" "));
                problem.errors = problems;
                problem
            }
            Refusal::Store(error) => {
                tracing::error!(%error, "store failed under the API");
                Problem::of_status(StatusCode::INTERNAL_SERVER_ERROR)
            }
        })
    }
}

impl From<danvan_app::store::StoreError> for ApiError {
    fn from(error: danvan_app::store::StoreError) -> Self {
        danvan_app::Refusal::from(error).into()
    }
}

impl ApiError {
    pub fn status(status: StatusCode) -> ApiError {
        ApiError(Problem::of_status(status))
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError(Problem::new(StatusCode::BAD_REQUEST, detail))
    }
}

/// Calls allowed per token and minute, counted by each server for itself.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<i64, (i64, u32)>>,
}

impl RateLimiter {
    /// Counts one call of `token_id` at `now` (Unix seconds) against `per_minute`; when over,
    /// the seconds until the next minute starts.
    pub fn check(&self, token_id: i64, now: i64, per_minute: u32) -> Result<(), i64> {
        let minute = now.div_euclid(60);
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A token unused for a minute loses its window: the map holds the tokens in use only.
        if windows.len() > 10_000 {
            windows.retain(|_, (m, _)| *m == minute);
        }
        let window = windows.entry(token_id).or_insert((minute, 0));
        if window.0 != minute {
            *window = (minute, 0);
        }
        if window.1 >= per_minute {
            return Err(60 - now.rem_euclid(60));
        }
        window.1 += 1;
        Ok(())
    }
}

/// Reads the bearer token of a call; `Err` with the problem to answer when there is one but it
/// cannot be used.
async fn authenticate(state: &AppState, header: Option<HeaderValue>) -> Result<Option<(CurrentUser, Caller)>, Problem> {
    let Some(header) = header else {
        return Ok(None);
    };
    let unusable = |detail: &str| Problem::new(StatusCode::UNAUTHORIZED, detail);
    let secret = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unusable("Tiêu đề Authorization phải có dạng «Bearer <khóa API>»."))?;
    let grant: Option<ApiGrant> = state
        .store
        .api_token_by_hash(&auth::hash_token(secret))
        .await
        .map_err(|error| {
            tracing::error!(%error, "reading an API token failed");
            Problem::of_status(StatusCode::SERVICE_UNAVAILABLE)
        })?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let Some(grant) = grant else {
        tracing::warn!("API call with an unknown token");
        return Err(unusable("Khóa API không đúng."));
    };
    let token = &grant.token;
    if token.revoked_at.is_some() {
        tracing::warn!(token = token.id, "API call with a revoked token");
        return Err(unusable("Khóa API đã bị thu hồi."));
    }
    if token.expires_at <= now {
        tracing::warn!(token = token.id, "API call with an expired token");
        return Err(unusable("Khóa API đã hết hạn; đề nghị quản trị hệ thống cấp khóa mới."));
    }
    if token.role == danvan_domain::Role::Admin {
        // Made an admin after the token was issued: an API never administers.
        tracing::warn!(token = token.id, "API call for an account that is now an admin's");
        return Err(unusable(
            "Tài khoản mà khóa API đại diện nay có vai trò quản trị; khóa không dùng được nữa.",
        ));
    }
    if grant.account_disabled || grant.account_locked_until.is_some_and(|until| until > now) {
        tracing::warn!(token = token.id, "API call for a disabled or locked account");
        return Err(unusable("Tài khoản mà khóa API đại diện đang bị khóa."));
    }
    let user = CurrentUser {
        account_id: token.account_id,
        username: format!("api:{}", token.name),
        display_name: token.name.clone(),
        role: token.role,
        unit_id: token.unit_id,
        must_change_password: false,
        has_totp: true,
        csrf_token: String::new(),
        token_hash: String::new(),
        waiting: None,
        saved: false,
        via_sso: false,
    };
    let caller = Caller {
        token_id: token.id,
        scopes: token.scopes.clone(),
        last_used_at: token.last_used_at,
    };
    Ok(Some((user, caller)))
}

/// Around every API call, in place of the pages' middleware: request id and span, the bearer
/// token, the token's rate, problem details for every error, the security headers, and the
/// call's audit record.
pub async fn outer(state: AppState, mut request: Request, next: Next, client_ip: String) -> Response {
    let mut id_bytes = [0u8; 8];
    getrandom::fill(&mut id_bytes).expect("random bytes");
    let request_id = auth::hex(&id_bytes);
    let span = tracing::info_span!(
        "api",
        id = %request_id,
        method = %request.method(),
        path = %request.uri().path().escape_debug(),
    );
    async move {
        request.extensions_mut().insert(ClientIp(client_ip.clone()));
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
        let method = request.method().as_str().to_owned();
        let authorization = request.headers().get(axum::http::header::AUTHORIZATION).cloned();
        let called = match authenticate(&state, authorization).await {
            Ok(called) => called,
            Err(problem) => return finish(&state, problem.into_response(), &request_id),
        };
        if let Some((user, caller)) = &called {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            if let Err(wait) = state
                .api_rate
                .check(caller.token_id, now, state.config.api_calls_per_minute)
            {
                tracing::warn!(token = caller.token_id, "API rate exceeded");
                let mut response = Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Khóa API này đã gọi quá {} lần trong một phút; hãy thử lại sau {wait} giây.",
                        state.config.api_calls_per_minute
                    ),
                )
                .into_response();
                if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                    response.headers_mut().insert(RETRY_AFTER, value);
                }
                return finish(&state, response, &request_id);
            }
            request.extensions_mut().insert(user.clone());
            request.extensions_mut().insert(caller.clone());
        }
        let mut response = next.run(request).await;
        let pattern = response.extensions().get::<crate::metrics::RoutePattern>().copied();
        // A refusal by the framework (an unknown path, a malformed body) in the API's shape.
        let is_problem = response
            .headers()
            .get(CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
        if (response.status().is_client_error() || response.status().is_server_error()) && !is_problem {
            response = Problem::of_status(response.status()).into_response();
        }
        if let Some((user, caller)) = called {
            let status = response.status().as_u16();
            let actor = user.acting(client_ip);
            // Written after the answer: a change the call made is already committed, so a failure
            // here must not turn its answer into an error the caller would retry.
            if let Err(error) =
                danvan_app::api_token::record_call(&state.store, &actor, caller.token_id, &method, &route, status).await
            {
                tracing::error!(
                    ?error,
                    token = caller.token_id,
                    route,
                    status,
                    "API call not written to the audit log"
                );
            }
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let recent = caller.last_used_at.is_some_and(|at| now - at < 60);
            if !recent && let Err(error) = state.store.touch_api_token(caller.token_id, now).await {
                tracing::warn!(%error, "token's last use not noted");
            }
        }
        if let Some(pattern) = pattern {
            response.extensions_mut().insert(pattern);
        }
        finish(&state, response, &request_id)
    }
    .instrument(span)
    .await
}

fn finish(state: &AppState, mut response: Response, request_id: &str) -> Response {
    crate::middleware::security_headers(state, &mut response, request_id);
    tracing::info!(status = response.status().as_u16(), "handled");
    response
}

/// A refusal of the route table's rule, in the API's shape: no token (401), or a token whose
/// role or scopes do not allow the route (403).
pub fn refuse(request: &Request, allowed_by_role: bool) -> Option<Response> {
    let Some(caller) = request.extensions().get::<Caller>() else {
        return Some(Problem::of_status(StatusCode::UNAUTHORIZED).into_response());
    };
    if !allowed_by_role {
        return Some(
            Problem::new(
                StatusCode::FORBIDDEN,
                "Vai trò của tài khoản mà khóa API đại diện không được dùng chức năng này.",
            )
            .into_response(),
        );
    }
    let needed = if request.method() == axum::http::Method::GET {
        Scope::Read
    } else {
        Scope::Report
    };
    if !caller.scopes.contains(&needed) {
        return Some(
            Problem::new(
                StatusCode::FORBIDDEN,
                format!("Khóa API không có quyền «{}».", needed.label()),
            )
            .into_response(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gets_its_calls_per_minute_and_a_new_count_each_minute() {
        let limiter = RateLimiter::default();
        // Ten seconds into a minute (1,800,000,000 is a whole minute).
        let start = 1_800_000_010;
        for _ in 0..3 {
            assert_eq!(limiter.check(7, start, 3), Ok(()));
        }
        assert_eq!(
            limiter.check(7, start + 5, 3),
            Err(45),
            "the seconds left in the minute"
        );
        assert_eq!(limiter.check(8, start + 5, 3), Ok(()), "each token counts alone");
        assert_eq!(limiter.check(7, start + 50, 3), Ok(()), "a new minute");
    }

    #[test]
    fn problems_say_what_went_wrong_in_vietnamese() {
        let problem = Problem::of_status(StatusCode::UNAUTHORIZED);
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "about:blank");
        assert_eq!(json["status"], 401);
        assert_eq!(json["title"], "Unauthorized");
        assert!(json["detail"].as_str().unwrap().contains("khóa API"));
        assert!(json.get("errors").is_none());
    }
}
