//! The API under /api/v1 (issue 19): its document agrees with the route table, every answer
//! matches the document's schemas, and tokens are bearer-only, scoped, audited, revocable and
//! rate-limited, on both databases.

#[macro_use]
#[allow(dead_code)]
mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use danvan_app::store::api_token::{NewApiToken, Scope};
use danvan_domain::Role;
use danvan_domain::directive::Deadline;
use danvan_store::directive::{NewDirective, NewTask};
use danvan_store::test_support::RawSql;
use danvan_store::{Actor, AuditFilter};
use danvan_web::WebConfig;
use danvan_web::routes::ROUTES;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::TestApp;
use tower::ServiceExt;

on_both_backends!(
    every_answer_matches_the_document,
    tokens_are_bearer_only_scoped_audited_and_revocable,
    a_refused_report_stores_nothing_and_an_accepted_one_is_the_agencys,
    calls_beyond_the_tokens_rate_are_refused_until_the_next_minute,
    admins_issue_a_token_shown_once_and_revoke_it_from_the_pages,
);

struct Answer {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    json: Value,
}

async fn call(app: &TestApp, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        headers,
        json,
    }
}

/// Issues a token through the use case, as the fixture's admin; returns its secret.
async fn token(app: &TestApp, role: Role, scopes: &[Scope]) -> String {
    let secret = format!("dvk_test_{}_{}", role.code(), scopes.len());
    let admin = danvan_app::User::account(app.fixture.account(Role::Admin), "admin", Role::Admin, None, None);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    danvan_app::api_token::issue(
        &app.store,
        &admin,
        &NewApiToken {
            name: format!("Hệ thống thử {} {}", role.code(), scopes.len()),
            token_hash: danvan_web::auth::hash_token(&secret),
            account_id: app.fixture.account(role),
            scopes: scopes.to_vec(),
            expires_at: now + 86_400,
        },
        now,
    )
    .await
    .unwrap();
    secret
}

async fn directive(app: &TestApp) -> i64 {
    let mut calendar = app.store.work_calendar().await.unwrap();
    let day = time::macros::date!(2022 - 10 - 03);
    app.store
        .create_directive(
            &Actor::system("test"),
            &NewDirective {
                document_id: None,
                title: "Kế hoạch 120/KH-UBND".into(),
                document_date: day,
                tasks: vec![NewTask {
                    content: "Báo cáo kết quả thực hiện công tác dân vận chính quyền.".into(),
                    monitor_unit_id: None,
                    deadline: Deadline::On(time::macros::date!(2022 - 12 - 01)),
                    leads: vec![app.fixture.unit_a, app.fixture.unit_b],
                    supports: vec![],
                }],
            },
            &mut calendar,
            day,
        )
        .await
        .unwrap()
}

/// The assignment of `unit` in the fixture's directive.
async fn assignment_of(app: &TestApp, unit: i64) -> i64 {
    app.store.assignments_of_unit(unit).await.unwrap()[0].id
}

async fn document(app: &TestApp) -> Value {
    let answer = call(app, "GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(answer.status, StatusCode::OK);
    answer.json
}

/// The schema the document gives for `status` of `method path`, made whole with the
/// document's components so that its references resolve.
fn response_schema(document: &Value, method: &str, path: &str, status: StatusCode) -> Value {
    let pointer = format!(
        "/paths/{}/{}/responses/{}/content",
        path.replace('~', "~0").replace('/', "~1"),
        method.to_lowercase(),
        status.as_u16()
    );
    let content = document
        .pointer(&pointer)
        .unwrap_or_else(|| panic!("the document has no {status} for {method} {path}"));
    let schema = content
        .as_object()
        .and_then(|c| c.values().next())
        .and_then(|c| c.get("schema"))
        .unwrap_or_else(|| panic!("no schema for {status} of {method} {path}"))
        .clone();
    let mut whole = schema.as_object().cloned().unwrap_or_default();
    whole.insert("components".into(), document["components"].clone());
    Value::Object(whole)
}

fn assert_matches(document: &Value, method: &str, pattern: &str, answer: &Answer) {
    let schema = response_schema(document, method, pattern, answer.status);
    let validator = jsonschema::validator_for(&schema).expect("the document's schema compiles");
    let errors: Vec<String> = validator.iter_errors(&answer.json).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{method} {pattern} {}: {errors:?}\n{}",
        answer.status,
        answer.json
    );
    if answer.status.is_success() {
        assert!(
            answer.content_type.starts_with("application/json"),
            "{}",
            answer.content_type
        );
    } else {
        assert_eq!(answer.content_type, "application/problem+json");
    }
}

#[tokio::test]
async fn the_document_and_the_route_table_agree() {
    let app = TestApp::new(danvan_store::Backend::Sqlite).await;
    let document = document(&app).await;
    assert_eq!(document["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut routed: Vec<(String, String)> = ROUTES
        .iter()
        .filter(|r| danvan_web::api::is_api(r.path))
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    routed.sort();
    assert_eq!(
        documented, routed,
        "every API route is documented and every documented route exists"
    );
    assert!(routed.len() >= 9);
    // The readable page renders the same document on the server.
    let page = app.anonymous().get("/api-docs").await;
    assert_eq!(page.status, StatusCode::OK);
    for (_, path) in &routed {
        assert!(
            page.body.contains(path.as_str()),
            "{path} missing from the readable page"
        );
    }
    assert!(!page.body.contains("<script"), "no third-party front-end code");
}

async fn every_answer_matches_the_document(app: TestApp) {
    let document = document(&app).await;
    // The check can fail: an answer of the wrong shape does not match.
    let wrong = jsonschema::validator_for(&response_schema(&document, "GET", "/api/v1/units", StatusCode::OK)).unwrap();
    assert!(!wrong.is_valid(&json!({ "items": [{ "id": "một" }], "next_cursor": null })));
    assert!(!wrong.is_valid(&json!({ "next_cursor": 3 })));
    let directive = directive(&app).await;
    let own = assignment_of(&app, app.fixture.unit_a).await;
    let other = assignment_of(&app, app.fixture.unit_b).await;
    let monitor = token(&app, Role::Monitor, &[Scope::Read]).await;
    let officer = token(&app, Role::Officer, &[Scope::Read, Scope::Report]).await;
    let reported = call(
        &app,
        "POST",
        &format!("/api/v1/assignments/{own}/reports"),
        Some(&officer),
        Some(json!({ "percent": 40, "content": "Đã tổ chức hội nghị quán triệt." })),
    )
    .await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.json);
    assert_matches(&document, "POST", "/api/v1/assignments/{id}/reports", &reported);

    let calls: Vec<(&str, String, &str, &str)> = vec![
        ("/api/v1/units", "/api/v1/units".into(), monitor.as_str(), "200"),
        ("/api/v1/units", "/api/v1/units?limit=1".into(), officer.as_str(), "200"),
        ("/api/v1/units", "/api/v1/units?limit=0".into(), monitor.as_str(), "400"),
        (
            "/api/v1/directives",
            "/api/v1/directives".into(),
            monitor.as_str(),
            "200",
        ),
        (
            "/api/v1/directives",
            "/api/v1/directives".into(),
            officer.as_str(),
            "403",
        ),
        (
            "/api/v1/directives/{id}",
            format!("/api/v1/directives/{directive}"),
            monitor.as_str(),
            "200",
        ),
        (
            "/api/v1/directives/{id}",
            "/api/v1/directives/987654".into(),
            monitor.as_str(),
            "404",
        ),
        (
            "/api/v1/assignments",
            "/api/v1/assignments?limit=1".into(),
            monitor.as_str(),
            "200",
        ),
        (
            "/api/v1/assignments",
            "/api/v1/assignments".into(),
            officer.as_str(),
            "200",
        ),
        (
            "/api/v1/assignments",
            format!("/api/v1/assignments?unit_id={}", app.fixture.unit_b),
            officer.as_str(),
            "403",
        ),
        (
            "/api/v1/assignments/{id}/reports",
            format!("/api/v1/assignments/{own}/reports"),
            officer.as_str(),
            "200",
        ),
        (
            "/api/v1/assignments/{id}/reports",
            format!("/api/v1/assignments/{other}/reports"),
            officer.as_str(),
            "404",
        ),
        (
            "/api/v1/evaluations",
            "/api/v1/evaluations".into(),
            monitor.as_str(),
            "200",
        ),
        (
            "/api/v1/gallery",
            "/api/v1/gallery?q=dan+van".into(),
            officer.as_str(),
            "200",
        ),
        (
            "/api/v1/report-rounds",
            "/api/v1/report-rounds".into(),
            monitor.as_str(),
            "200",
        ),
        ("/api/v1/units", "/api/v1/units".into(), "dvk_not_a_token", "401"),
    ];
    for (pattern, path, token, expected) in calls {
        let answer = call(&app, "GET", &path, Some(token), None).await;
        assert_eq!(answer.status.as_str(), expected, "GET {path}: {}", answer.json);
        assert_matches(&document, "GET", pattern, &answer);
    }
    // Paging: the cursor walks every assignment once.
    let mut seen = Vec::new();
    let mut next = Some(String::new());
    while let Some(cursor) = next {
        let path = format!("/api/v1/assignments?limit=1&cursor={cursor}");
        let answer = call(&app, "GET", &path, Some(&monitor), None).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        seen.extend(answer.json["items"].as_array().unwrap().iter().map(|i| i["id"].clone()));
        next = answer.json["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 2, "{seen:?}");
    let officer_sees = call(&app, "GET", "/api/v1/assignments", Some(&officer), None).await;
    let units: Vec<&Value> = officer_sees.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["unit_id"])
        .collect();
    assert_eq!(
        units,
        [&json!(app.fixture.unit_a)],
        "an agency's token sees its own agency only"
    );
}

async fn tokens_are_bearer_only_scoped_audited_and_revocable(app: TestApp) {
    directive(&app).await;
    let own = assignment_of(&app, app.fixture.unit_a).await;
    // No token: 401 with the scheme to use, even with a signed-in session's cookie.
    let bare = call(&app, "GET", "/api/v1/units", None, None).await;
    assert_eq!(bare.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bare.headers["www-authenticate"], "Bearer realm=\"danvan\"");
    assert_eq!(bare.content_type, "application/problem+json");
    assert_eq!(bare.json["status"], 401);
    let monitor_session = app.login_as(Role::Monitor).await;
    let with_cookie = monitor_session.get("/api/v1/units").await;
    assert_eq!(with_cookie.status, StatusCode::UNAUTHORIZED, "cookies are never read");
    // A malformed header and an unknown token.
    for header in ["Basic YWRtaW46ZGVtbw==", "Bearer", "Bearer dvk_unknown"] {
        let request = Request::get("/api/v1/units")
            .header("authorization", header)
            .body(Body::empty())
            .unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header}");
    }
    // Read-only: reporting is refused for want of the scope, and nothing is stored.
    let reader = token(&app, Role::Officer, &[Scope::Read]).await;
    let path = format!("/api/v1/assignments/{own}/reports");
    let refused = call(
        &app,
        "POST",
        &path,
        Some(&reader),
        Some(json!({"percent": 10, "content": "x"})),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.json);
    assert!(
        refused.json["detail"].as_str().unwrap().contains("Báo cáo tiến độ"),
        "{}",
        refused.json
    );
    assert!(app.store.reports_of(own).await.unwrap().is_empty());
    // Every call is audited with the token's name.
    let listed = call(&app, "GET", "/api/v1/units", Some(&reader), None).await;
    assert_eq!(listed.status, StatusCode::OK);
    let calls = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("call".into()),
            object_type: Some("api_token".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(calls.len(), 2, "the refused and the answered call");
    assert!(
        calls.iter().all(|c| c.actor == "api:Hệ thống thử officer 1"),
        "{calls:?}"
    );
    assert!(
        calls
            .iter()
            .any(|c| c.after.as_deref().unwrap_or("").contains("\"status\":403"))
    );
    // Revoked: refused at once, saying so.
    let tokens = app.store.list_api_tokens().await.unwrap();
    let admin = danvan_app::User::account(app.fixture.account(Role::Admin), "admin", Role::Admin, None, None);
    danvan_app::api_token::revoke(&app.store, &admin, tokens[0].id)
        .await
        .unwrap();
    let after = call(&app, "GET", "/api/v1/units", Some(&reader), None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(
        after.json["detail"].as_str().unwrap().contains("thu hồi"),
        "{}",
        after.json
    );
    // A token whose account has since become an admin's: an API never administers.
    let promoted = token(&app, Role::Leader, &[Scope::Read]).await;
    assert_eq!(
        call(&app, "GET", "/api/v1/units", Some(&promoted), None).await.status,
        StatusCode::OK
    );
    app.store
        .execute_raw_for_tests(&format!(
            "update account set role = 'admin' where account_id = {}",
            app.fixture.account(Role::Leader)
        ))
        .await
        .unwrap();
    assert_eq!(
        call(&app, "GET", "/api/v1/units", Some(&promoted), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Expired: a token whose day has passed.
    let expired_secret = "dvk_expired";
    app.store
        .create_api_token(
            &Actor::system("test"),
            &NewApiToken {
                name: "Hết hạn".into(),
                token_hash: danvan_web::auth::hash_token(expired_secret),
                account_id: app.fixture.account(Role::Leader),
                scopes: vec![Scope::Read],
                expires_at: 1_000_000,
            },
        )
        .await
        .unwrap();
    let expired = call(&app, "GET", "/api/v1/units", Some(expired_secret), None).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(
        expired.json["detail"].as_str().unwrap().contains("hết hạn"),
        "{}",
        expired.json
    );
    // Admins are never an API's role, and a report scope needs an agency's officer.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for (role, scopes) in [(Role::Admin, vec![Scope::Read]), (Role::Monitor, vec![Scope::Report])] {
        let refused = danvan_app::api_token::issue(
            &app.store,
            &admin,
            &NewApiToken {
                name: format!("Không được {}", role.code()),
                token_hash: format!("h-{}", role.code()),
                account_id: app.fixture.account(role),
                scopes,
                expires_at: now + 86_400,
            },
            now,
        )
        .await;
        assert!(
            matches!(refused, Err(danvan_app::Refusal::Invalid(_))),
            "{role:?}: {refused:?}"
        );
    }
}

async fn a_refused_report_stores_nothing_and_an_accepted_one_is_the_agencys(app: TestApp) {
    directive(&app).await;
    let own = assignment_of(&app, app.fixture.unit_a).await;
    let other = assignment_of(&app, app.fixture.unit_b).await;
    let officer = token(&app, Role::Officer, &[Scope::Read, Scope::Report]).await;
    let path = format!("/api/v1/assignments/{own}/reports");
    let invalid = call(
        &app,
        "POST",
        &path,
        Some(&officer),
        Some(json!({"percent": 150, "content": ""})),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", invalid.json);
    assert_eq!(invalid.json["errors"].as_array().unwrap().len(), 2, "{}", invalid.json);
    let malformed = call(&app, "POST", &path, Some(&officer), Some(json!({"percent": "nhiều"}))).await;
    assert_eq!(malformed.content_type, "application/problem+json");
    assert!(malformed.status.is_client_error());
    let elsewhere = call(
        &app,
        "POST",
        &format!("/api/v1/assignments/{other}/reports"),
        Some(&officer),
        Some(json!({"percent": 10, "content": "Báo cáo cho đơn vị khác"})),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert!(app.store.reports_of(own).await.unwrap().is_empty());
    assert!(app.store.reports_of(other).await.unwrap().is_empty());
    let accepted = call(
        &app,
        "POST",
        &path,
        Some(&officer),
        Some(json!({"percent": 100, "content": "Đã hoàn thành, gửi báo cáo kết quả."})),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.json);
    let reports = app.store.reports_of(own).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].account_id, app.fixture.account(Role::Officer));
    let submitted = app
        .store
        .audit_entries(&AuditFilter {
            action: Some("submit".into()),
            object_type: Some("progress_report".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(submitted.len(), 1);
    assert_eq!(submitted[0].actor, "api:Hệ thống thử officer 2");
}

async fn calls_beyond_the_tokens_rate_are_refused_until_the_next_minute(app: TestApp) {
    let app = app.with_web_config(WebConfig {
        require_admin_totp: false,
        api_calls_per_minute: 3,
        ..WebConfig::default()
    });
    let reader = token(&app, Role::Leader, &[Scope::Read]).await;
    let other = token(&app, Role::Monitor, &[Scope::Read]).await;
    // Three calls a minute: within seven calls at most one minute can turn, so one is refused.
    let mut refused = None;
    for _ in 0..7 {
        let answer = call(&app, "GET", "/api/v1/units", Some(&reader), None).await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(answer);
            break;
        }
        assert_eq!(answer.status, StatusCode::OK);
    }
    let refused = refused.expect("a call beyond the rate is refused");
    let wait: i64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(refused.content_type, "application/problem+json");
    // Another token has its own count.
    assert_eq!(
        call(&app, "GET", "/api/v1/units", Some(&other), None).await.status,
        StatusCode::OK
    );
}

async fn admins_issue_a_token_shown_once_and_revoke_it_from_the_pages(app: TestApp) {
    let admin = app.login_as(Role::Admin).await;
    let page = admin.get("/admin/api-tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    let account = app.fixture.account(Role::Leader).to_string();
    let bad = admin
        .post(
            "/admin/api-tokens",
            &[
                ("name", "LGSP"),
                ("account", &account),
                ("expires", "32/13/2026"),
                ("read", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"LGSP\""), "what was typed stays");
    let next_month = time::OffsetDateTime::now_utc().date() + time::Duration::days(30);
    let expires = danvan_domain::date::format_vn(next_month);
    let issued = admin
        .post(
            "/admin/api-tokens",
            &[
                ("name", "LGSP"),
                ("account", &account),
                ("expires", &expires),
                ("read", "1"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let start = issued.body.find("dvk_").expect("the secret is shown");
    let secret: String = issued.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(
        call(&app, "GET", "/api/v1/units", Some(&secret), None).await.status,
        StatusCode::OK
    );
    let again = admin.get("/admin/api-tokens").await;
    assert!(!again.body.contains(&secret), "shown once only");
    assert!(again.body.contains("LGSP"));
    let id = app.store.list_api_tokens().await.unwrap()[0].id;
    let revoked = admin.post(&format!("/admin/api-tokens/{id}/revoke"), &[]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        call(&app, "GET", "/api/v1/units", Some(&secret), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Other roles do not see the page.
    let monitor = app.login_as(Role::Monitor).await;
    assert_eq!(monitor.get("/admin/api-tokens").await.status, StatusCode::FORBIDDEN);
}
