//! `/metrics` (issue 19): what it counts, who may read it, and that the Grafana dashboard in the
//! repository asks only for metrics that exist.

#[macro_use]
#[allow(dead_code)]
mod support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::connect_info::MockConnectInfo;
use axum::http::StatusCode;
use danvan_domain::{Clock, Role};
use danvan_web::metrics::Job;
use danvan_web::{AppState, WebConfig};
use support::{PASSWORD, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SCRAPER: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7));

on_both_backends!(
    requests_logins_and_lockouts_are_counted_for_the_listed_peer,
    the_dashboard_asks_only_for_metrics_that_exist,
);

/// The fixture's router behind a connection from `peer`, with `peers` allowed to scrape.
fn behind_connection_from(app: &TestApp, peer: IpAddr, peers: Vec<IpAddr>) -> TestApp {
    let configured = app.with_web_config(WebConfig {
        require_admin_totp: false,
        metrics_peers: peers,
        ..WebConfig::default()
    });
    TestApp {
        router: configured.router.layer(MockConnectInfo(SocketAddr::new(peer, 40_000))),
        store: configured.store,
        fixture: configured.fixture,
    }
}

fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn requests_logins_and_lockouts_are_counted_for_the_listed_peer(app: TestApp) {
    let app = behind_connection_from(&app, SCRAPER, vec![SCRAPER]);
    let anonymous = app.anonymous();
    for _ in 0..3 {
        assert_eq!(anonymous.get("/healthz").await.status, StatusCode::OK);
    }
    assert_eq!(anonymous.get("/no-such-page/12345").await.status, StatusCode::NOT_FOUND);
    let monitor = app.login_as(Role::Monitor).await;
    assert_eq!(monitor.get("/directives").await.status, StatusCode::OK);
    for _ in 0..5 {
        app.anonymous().login("lanhdao", "sai mật khẩu").await;
    }
    // Locked now: the right password is refused without being checked.
    app.anonymous().login("lanhdao", PASSWORD).await;

    let response = anonymous.get("/metrics").await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let content_type = response.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = &response.body;
    assert!(text.ends_with("# EOF\n"), "{text}");
    let healthz = r#"danvan_http_requests_total{route="/healthz",method="GET",status="200"}"#;
    assert_eq!(sample(text, healthz), Some(3.0), "{text}");
    // Routes are counted by their pattern; a path outside the table by one label for all.
    let unmatched = r#"danvan_http_requests_total{route="unmatched",method="GET",status="404"}"#;
    assert_eq!(sample(text, unmatched), Some(1.0), "{text}");
    assert!(!text.contains("/no-such-page/12345"), "{text}");
    let directives = r#"danvan_http_request_duration_seconds_count{route="/directives",method="GET"}"#;
    assert_eq!(sample(text, directives), Some(1.0), "{text}");
    assert_eq!(
        sample(text, r#"danvan_logins_total{outcome="success"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(text, r#"danvan_logins_total{outcome="failure"}"#),
        Some(5.0),
        "{text}"
    );
    assert_eq!(
        sample(text, r#"danvan_logins_total{outcome="refused"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(sample(text, "danvan_lockouts_total"), Some(1.0), "{text}");
    assert_eq!(
        sample(text, r#"danvan_outbox_depth{channel="mail"}"#),
        Some(0.0),
        "{text}"
    );
    let max = sample(text, "danvan_db_pool_max_connections").unwrap();
    assert!(max >= 1.0, "{text}");
    let in_use = sample(text, r#"danvan_db_pool_connections{state="in_use"}"#).unwrap();
    assert!(in_use <= max, "{text}");

    // Any other address is refused, signed in or not.
    let elsewhere = behind_connection_from(&app, IpAddr::V4(Ipv4Addr::LOCALHOST), vec![SCRAPER]);
    assert_eq!(
        elsewhere.anonymous().get("/metrics").await.status,
        StatusCode::FORBIDDEN
    );
    let admin = elsewhere.login_as(Role::Admin).await;
    assert_eq!(admin.get("/metrics").await.status, StatusCode::FORBIDDEN);
}

async fn the_dashboard_asks_only_for_metrics_that_exist(app: TestApp) {
    // A family shows once it has a series: every background job has run once, as on a server.
    let state = AppState::new(
        app.store.clone(),
        Clock::fixed(time::macros::date!(2022 - 12 - 15)),
        WebConfig {
            metrics_peers: vec![SCRAPER],
            ..WebConfig::default()
        },
    );
    for job in [Job::Reminders, Job::Mail, Job::Packages, Job::Sweep] {
        state.metrics.job_ran(job, true, 1_800_000_000);
    }
    let app = TestApp {
        router: danvan_web::app(state).layer(MockConnectInfo(SocketAddr::new(SCRAPER, 40_000))),
        store: app.store.clone(),
        fixture: app.fixture.clone(),
    };
    assert_eq!(app.anonymous().get("/healthz").await.status, StatusCode::OK);
    let text = app.anonymous().get("/metrics").await.body;
    let families: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE ")?.split(' ').next())
        .collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ops/grafana/danvan.json");
    let dashboard: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut exprs = Vec::new();
    collect_exprs(&dashboard, &mut exprs);
    assert!(exprs.len() >= 10, "the dashboard has its panels");
    let mut asked = 0;
    for expr in &exprs {
        for name in metric_names(expr) {
            asked += 1;
            let family = ["_total", "_bucket", "_count", "_sum"]
                .iter()
                .find_map(|suffix| name.strip_suffix(suffix))
                .unwrap_or(name);
            assert!(
                families.contains(&family),
                "the dashboard asks for {name}, which /metrics does not have:\n{text}"
            );
        }
    }
    assert!(asked >= exprs.len());
}

fn collect_exprs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("expr", serde_json::Value::String(expr)) => out.push(expr),
                    _ => collect_exprs(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_exprs(v, out)),
        _ => {}
    }
}

fn metric_names(expr: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("danvan_") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        names.push(&tail[..end]);
        rest = &tail[end..];
    }
    names
}

/// Over a real connection: the address is the socket's, and a forwarded header naming an
/// allowed address changes nothing, even with `trust_proxy` on.
#[tokio::test]
async fn the_peer_is_the_connections_own_address_never_a_forwarded_header() {
    let app = TestApp::new(danvan_store::Backend::Sqlite).await;
    for (peers, forwarded, expected) in [
        (vec![IpAddr::V4(Ipv4Addr::LOCALHOST)], None, 200),
        (vec![SCRAPER], Some(SCRAPER), 403),
        (Vec::new(), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)), 403),
    ] {
        let state = AppState::new(
            app.store.clone(),
            Clock::fixed(time::macros::date!(2022 - 12 - 15)),
            WebConfig {
                trust_proxy: true,
                metrics_peers: peers.clone(),
                ..WebConfig::default()
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(danvan_web::serve(state, listener, async {
            let _ = stopped.await;
        }));
        let header = forwarded.map_or(String::new(), |ip| format!("X-Forwarded-For: {ip}\r\n"));
        assert_eq!(raw_get(addr, "/healthz", "").await.0, 200);
        let (status, body) = raw_get(addr, "/metrics", &header).await;
        assert_eq!(status, expected, "peers {peers:?}, forwarded {forwarded:?}: {body}");
        if expected == 200 {
            assert!(body.contains(r#"route="/healthz""#), "{body}");
        }
        let _ = stop.send(());
        server.await.unwrap().unwrap();
    }
}

async fn raw_get(addr: SocketAddr, path: &str, headers: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}
