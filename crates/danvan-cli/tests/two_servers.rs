//! Two danvan servers on one PostgreSQL database, as behind a load balancer: writes go through
//! both while one is killed (SIGKILL) and started again; nothing acknowledged is lost, no
//! reminder is made twice, a session started on one works on the other, and the audit chain is
//! intact.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::start_demo_with;
use danvan_store::audit::ChainCheck;
use danvan_store::test_support::fresh_url;
use danvan_store::{Backend, Store};

/// An answer: status and body.
struct Answer {
    status: u16,
    body: String,
}

/// A minimal browser for the test: one connection per request, cookies kept.
#[derive(Clone, Default)]
struct Browser {
    cookies: BTreeMap<String, String>,
}

impl Browser {
    fn send(&mut self, base: &str, method: &str, path: &str, form: &[(&str, &str)]) -> std::io::Result<Answer> {
        let host = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host)?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        if !cookie.is_empty() {
            request.push_str(&format!("Cookie: {}\r\n", cookie.join("; ")));
        }
        if method == "POST" {
            request.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("no status line in {head:?}")))?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        for (_, value) in headers.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = value.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        Ok(Answer {
            status,
            body: body.to_owned(),
        })
    }

    fn get(&mut self, base: &str, path: &str) -> Answer {
        self.send(base, "GET", path, &[]).expect("GET")
    }

    fn sign_in(&mut self, base: &str, username: &str) {
        let page = self.get(base, "/login");
        let csrf = hidden_csrf(&page.body).expect("the login form's token");
        let answer = self
            .send(
                base,
                "POST",
                "/login",
                &[("username", username), ("password", "demo"), ("csrf", &csrf)],
            )
            .expect("POST /login");
        assert_eq!(answer.status, 303, "{username} signs in: {}", answer.body);
    }
}

fn hidden_csrf(body: &str) -> Option<String> {
    let start = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

/// Adds units through the server at `base` (read anew before each write, since the server may
/// move), until `stop`; returns the codes whose creation was acknowledged (303).
fn write_units(
    base: Arc<Mutex<String>>,
    mut browser: Browser,
    prefix: &'static str,
    stop: Arc<AtomicBool>,
) -> Vec<String> {
    let mut acknowledged = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let url = base.lock().unwrap().clone();
        let Ok(page) = browser.send(&url, "GET", "/units/new", &[]) else {
            std::thread::sleep(std::time::Duration::from_millis(50));
            continue;
        };
        let Some(csrf) = hidden_csrf(&page.body) else {
            continue;
        };
        let code = format!("{prefix}{n:04}");
        let name = format!("Đơn vị thử {code}");
        let answer = browser.send(
            &url,
            "POST",
            "/units",
            &[
                ("csrf", &csrf),
                ("code", &code),
                ("name", &name),
                ("short_name", &code),
                ("kind", "other"),
                ("parent_id", ""),
                ("group_id", ""),
                ("valid_from", "01/01/2022"),
                ("valid_to", ""),
            ],
        );
        match answer {
            Ok(answer) if answer.status == 303 => acknowledged.push(code),
            Ok(answer) if answer.status >= 500 || answer.status == 422 || answer.status == 400 => {
                panic!("{code}: {} {}", answer.status, answer.body)
            }
            // Cut off by the kill: not acknowledged, so nothing is owed.
            _ => {}
        }
    }
    acknowledged
}

#[test]
fn two_servers_on_one_postgresql_lose_nothing_acknowledged_when_one_is_killed() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = runtime.block_on(fresh_url(Backend::Postgres));
    let storage = ["--database-url", url.as_str()];
    let storage: Vec<&std::ffi::OsStr> = storage.iter().map(|s| s.as_ref()).collect();
    let mut first = start_demo_with(&storage);
    let second = start_demo_with(&storage);

    // A session started on one server works on the other.
    let mut monitor = Browser::default();
    monitor.sign_in(&first.url, "sonoivu");
    let on_second = monitor.get(&second.url, "/units/new");
    assert_eq!(on_second.status, 200, "{}", on_second.body);
    assert!(hidden_csrf(&on_second.body).is_some());

    let base_first = Arc::new(Mutex::new(first.url.clone()));
    let base_second = Arc::new(Mutex::new(second.url.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers = [
        (base_first.clone(), "HA"),
        (base_second.clone(), "HB"),
        (base_second.clone(), "HC"),
    ]
    .map(|(base, prefix)| {
        let (browser, stop) = (monitor.clone(), stop.clone());
        std::thread::spawn(move || write_units(base, browser, prefix, stop))
    });
    std::thread::sleep(std::time::Duration::from_millis(1500));
    // The first server is killed in the middle of the writes, and started again.
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let restarted = start_demo_with(&storage);
    *base_first.lock().unwrap() = restarted.url.clone();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    let acknowledged: Vec<String> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    assert!(
        acknowledged.iter().any(|c| c.starts_with("HA")) && acknowledged.iter().any(|c| c.starts_with("HB")),
        "writes went through both servers: {acknowledged:?}"
    );
    // The session still works on the restarted server.
    assert_eq!(monitor.get(&restarted.url, "/units/new").status, 200);
    drop((second, restarted));

    runtime.block_on(async {
        let store = Store::connect(&url, 2).await.unwrap();
        for code in &acknowledged {
            assert!(
                store.unit_by_code(code).await.unwrap().is_some(),
                "acknowledged unit {code} was lost"
            );
        }
        assert!(
            matches!(store.verify_audit_chain().await.unwrap(), ChainCheck::Intact { .. }),
            "the audit chain is intact"
        );
        // Both servers ran the reminder job on start (and the first again on its restart):
        // each reminder exists once.
        let rows = store
            .table_rows(&|column| column == "reminder_id" || column.ends_with("_at"))
            .await
            .unwrap();
        let reminders = &rows["reminder"];
        assert!(!reminders.is_empty(), "the demo has reminders to make");
        let distinct: HashSet<&String> = reminders.iter().collect();
        assert_eq!(distinct.len(), reminders.len(), "a reminder was made twice");
        store.close().await;
    });
}
