//! The test harness: a fresh database with a small province, the real router called in-process,
//! and clients that keep a session's cookie and CSRF token.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use danvan_domain::unit::{NewUnit, UnitInput, UnitKind};
use danvan_domain::{Clock, Password, Role, Username};
use danvan_store::test_support::fresh_store;
use danvan_store::{Actor, Backend, NewAccount, Store};
use danvan_web::{AppState, WebConfig};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const PASSWORD: &str = "mật-khẩu-thử-nghiệm";

/// Ids of what every test starts with.
#[derive(Debug, Default, Clone)]
pub struct Fixture {
    pub group: i64,
    pub province: i64,
    pub unit_a: i64,
    pub unit_b: i64,
    pub accounts: Vec<(Role, i64, &'static str)>,
}

impl Fixture {
    pub fn account(&self, role: Role) -> i64 {
        self.accounts
            .iter()
            .find(|(r, _, _)| *r == role)
            .map(|(_, id, _)| *id)
            .expect("fixture account")
    }

    pub fn username(&self, role: Role) -> &'static str {
        self.accounts
            .iter()
            .find(|(r, _, _)| *r == role)
            .map(|(_, _, name)| *name)
            .expect("fixture account")
    }
}

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub fixture: Fixture,
}

fn unit(code: &str, name: &str, kind: UnitKind, parent_id: Option<i64>, group_id: Option<i64>) -> NewUnit {
    NewUnit::parse(&UnitInput {
        code,
        name,
        short_name: "",
        kind: kind.code(),
        parent_id,
        group_id,
        valid_from: "01/01/2004",
        valid_to: "",
    })
    .expect("fixture unit is valid")
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        let store = fresh_store(backend).await;
        let actor = Actor::system("test");
        let group = store
            .create_group(&actor, "SBN", "Khối sở, ban, ngành", 1)
            .await
            .unwrap();
        let province = store
            .create_unit(
                &actor,
                &unit(
                    "UBND-DKN",
                    "UBND tỉnh Đắk Nông",
                    UnitKind::ProvincialCommittee,
                    None,
                    None,
                ),
            )
            .await
            .unwrap();
        let unit_a = store
            .create_unit(
                &actor,
                &unit("SA", "Sở A", UnitKind::Department, Some(province), Some(group)),
            )
            .await
            .unwrap();
        let unit_b = store
            .create_unit(
                &actor,
                &unit("SB", "Sở B", UnitKind::Department, Some(province), Some(group)),
            )
            .await
            .unwrap();
        let hash = Password::unchecked_for_demo(PASSWORD).hash();
        let mut accounts = Vec::new();
        for (role, username, unit_id) in [
            (Role::Admin, "admin", None),
            (Role::Monitor, "sonoivu", None),
            (Role::Leader, "lanhdao", None),
            (Role::Officer, "canboa", Some(unit_a)),
            (Role::Appraiser, "hoidong", None),
        ] {
            let id = store
                .create_account(
                    &actor,
                    &NewAccount {
                        username: Username::parse(username).unwrap(),
                        display_name: format!("Người thử {username}"),
                        role,
                        unit_id,
                        password_hash: hash.clone(),
                        must_change_password: false,
                        email: None,
                    },
                )
                .await
                .unwrap();
            accounts.push((role, id, username));
        }
        let state = AppState::new(
            store.clone(),
            Clock::fixed(time::macros::date!(2022 - 12 - 15)),
            // The fixture's admin has no second factor; the TOTP test requires it explicitly.
            WebConfig {
                require_admin_totp: false,
                ..WebConfig::default()
            },
        );
        TestApp {
            router: danvan_web::app(state),
            store,
            fixture: Fixture {
                group,
                province,
                unit_a,
                unit_b,
                accounts,
            },
        }
    }

    /// The same database and fixture behind a router with another configuration.
    pub fn with_web_config(&self, config: WebConfig) -> TestApp {
        let state = AppState::new(
            self.store.clone(),
            Clock::fixed(time::macros::date!(2022 - 12 - 15)),
            config,
        );
        TestApp {
            router: danvan_web::app(state),
            store: self.store.clone(),
            fixture: self.fixture.clone(),
        }
    }

    /// The same database and fixture seen on another day (the demo's other dates).
    #[allow(
        dead_code,
        reason = "used by units_2025.rs, not by every test crate that shares this module"
    )]
    pub fn on_day(&self, day: time::Date) -> TestApp {
        let state = AppState::new(
            self.store.clone(),
            Clock::fixed(day),
            WebConfig {
                require_admin_totp: false,
                ..WebConfig::default()
            },
        );
        TestApp {
            router: danvan_web::app(state),
            store: self.store.clone(),
            fixture: self.fixture.clone(),
        }
    }

    pub async fn add_district(&self, code: &str, name: &str) -> i64 {
        let new = unit(
            code,
            name,
            UnitKind::DistrictCommittee,
            Some(self.fixture.province),
            None,
        );
        self.store.create_unit(&Actor::system("test"), &new).await.unwrap()
    }

    pub fn anonymous(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            csrf: None,
        }
    }

    /// A client signed in with the fixture account of `role`, holding its CSRF token.
    pub async fn login_as(&self, role: Role) -> Client {
        let response = self.anonymous().login(self.fixture.username(role), PASSWORD).await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login as {role:?} failed: {}",
            response.body
        );
        self.anonymous()
            .with_cookies_from(&response)
            .with_csrf_from_page()
            .await
    }
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for downloads.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    pub fn location(&self) -> String {
        self.header("location")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Clone)]
pub struct Client {
    router: Router,
    cookies: HashMap<String, String>,
    csrf: Option<String>,
}

/// Undoes the HTML escaping of a form value.
pub fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The value of an `<input name=…>` on a page.
pub fn input_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    body.find(&marker)
        .map(|at| {
            let rest = &body[at + marker.len()..];
            unescape(&rest[..rest.find('"').unwrap_or(0)])
        })
        .unwrap_or_default()
}

/// The content of a `<textarea name=…>` on a page.
pub fn textarea_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    body.find(&marker)
        .and_then(|at| {
            let rest = &body[at..];
            let start = rest.find('>')? + 1;
            let end = rest.find("</textarea>")?;
            Some(unescape(&rest[start..end]))
        })
        .unwrap_or_default()
}

fn hidden_csrf(body: &str) -> Option<String> {
    let start = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

impl Client {
    async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post_raw(&self, path: &str, csrf: Option<&str>, form: &[(&str, &str)]) -> TestResponse {
        let mut body = form_urlencoded::Serializer::new(String::new());
        if let Some(csrf) = csrf {
            body.append_pair("csrf", csrf);
        }
        for (k, v) in form {
            body.append_pair(k, v);
        }
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.finish()))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form with this client's CSRF token from the page `page` (as its Referer says).
    pub async fn post_from(&self, page: &str, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let mut body = form_urlencoded::Serializer::new(String::new());
        body.append_pair("csrf", self.csrf.as_deref().unwrap_or(""));
        for (k, v) in form {
            body.append_pair(k, v);
        }
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "danvan.test")
            .header(header::REFERER, format!("http://danvan.test{page}"))
            .body(Body::from(body.finish()))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form with this client's CSRF token.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let csrf = self.csrf.clone();
        self.post_raw(path, csrf.as_deref(), form).await
    }

    pub async fn post_without_csrf(&self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        self.post_raw(path, None, form).await
    }

    pub async fn post_with_csrf(&self, path: &str, csrf: &str, form: &[(&str, &str)]) -> TestResponse {
        self.post_raw(path, Some(csrf), form).await
    }

    /// Posts a multipart form (an upload), with the CSRF token in the query string as the
    /// upload form does.
    pub async fn post_multipart(
        &self,
        path: &str,
        with_csrf: bool,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> TestResponse {
        let boundary = "danvan-test-boundary-7f3a";
        let mut body: Vec<u8> = Vec::new();
        for (name, file_name, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file_name {
                Some(file) => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
                ),
                None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let uri = match (&self.csrf, with_csrf) {
            (Some(csrf), true) => format!("{path}?csrf={csrf}"),
            _ => path.to_owned(),
        };
        let request = Request::post(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// This client after opening the login page: it holds the form's cookie and token.
    pub async fn with_login_form(&self) -> Client {
        let page = self.get("/login").await;
        let mut client = self.with_cookies_from(&page);
        client.csrf = hidden_csrf(&page.body).or(self.csrf.clone());
        client
    }

    /// Opens the login page and signs in.
    pub async fn login(&self, username: &str, password: &str) -> TestResponse {
        let client = self.with_login_form().await;
        client
            .post("/login", &[("username", username), ("password", password)])
            .await
    }

    /// This client with the cookies a page set and the form token it holds.
    #[allow(
        dead_code,
        reason = "used by oidc.rs, not by every test crate that shares this module"
    )]
    pub fn with_form_from(&self, page: &TestResponse) -> Client {
        let mut client = self.with_cookies_from(page);
        if let Some(token) = hidden_csrf(&page.body) {
            client.csrf = Some(token);
        }
        client
    }

    /// This client with the cookies a response set (or cleared).
    pub fn with_cookies_from(&self, response: &TestResponse) -> Client {
        let mut client = self.clone();
        for cookie in response.set_cookies() {
            let pair = cookie.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    client.cookies.remove(name);
                } else {
                    client.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        client
    }

    async fn with_csrf_from_page(mut self) -> Client {
        let page = self.get("/account/password").await;
        self.csrf = hidden_csrf(&page.body);
        assert!(self.csrf.is_some(), "no csrf token on the page: {}", page.body);
        self
    }

    /// This client's cookies and token against another server (another router on the same
    /// database).
    #[allow(
        dead_code,
        reason = "used by web.rs, not by every test crate that shares this module"
    )]
    pub fn on(&self, app: &TestApp) -> Client {
        Client {
            router: app.router.clone(),
            ..self.clone()
        }
    }

    pub fn session_token(&self) -> String {
        self.cookies.get("danvan_session").cloned().unwrap_or_default()
    }
}

/// Checks an exported workbook the way the issue asks of every export: each sheet's header row
/// frozen with a filter and its columns' widths set (from the sheet XML), Times New Roman and
/// number formats in the styles; returns the sheets' names.
pub fn assert_export_layout(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an .xlsx");
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(|n| n.into_owned())
        .collect();
    assert!(!names.is_empty(), "no sheet");
    for name in &names {
        let mut xml = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains("state=\"frozen\""), "{name}: header not frozen");
        assert!(xml.contains("<autoFilter ref="), "{name}: no filter");
        assert!(
            xml.contains("<cols><col ") && xml.contains("customWidth=\"1\""),
            "{name}: widths not set"
        );
    }
    let mut styles = String::new();
    archive
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("Times New Roman"), "the font");
    assert!(styles.contains("formatCode="), "number formats");
    names
}

/// Runs each named `async fn(TestApp)` once per backend, on a fresh database each.
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::support::TestApp::new(danvan_store::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::support::TestApp::new(danvan_store::Backend::Postgres).await).await;
                }
            )*
        }
    };
}
