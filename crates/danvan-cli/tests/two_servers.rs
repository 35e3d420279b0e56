//! Two danvan servers on one PostgreSQL database, as behind a load balancer: writes go through
//! both while one is killed (SIGKILL) and started again; nothing acknowledged is lost, no
//! reminder is made twice, a session started on one works on the other, and the audit chain is
//! intact.

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{Browser, hidden_csrf, start_demo_with};
use danvan_store::audit::ChainCheck;
use danvan_store::test_support::fresh_url;
use danvan_store::{Backend, Store};

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
