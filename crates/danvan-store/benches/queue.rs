//! The work-queue counts of the home page ("Việc cần làm") with 3,500 agencies: 20 directives
//! of 2 tasks assigned to every agency (140,000 assignments), a progress report waiting for one
//! assignment in ten, some returned; each count is one query. A plain `count(*)` over the
//! assignments is the floor in the same run.
//!
//! `cargo bench -p danvan-store --bench queue` (SQLite, then PostgreSQL at
//! DANVAN_TEST_POSTGRES_URL in schema `bench_queue`; DANVAN_BENCH_SQLITE_ONLY skips the second).

use danvan_store::test_support::RawSql;
use std::time::{Duration, Instant};

use danvan_domain::directive::Deadline;
use danvan_domain::queue::WorkItem;
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::directive::{NewDirective, NewTask};
use danvan_store::queue::QueueScope;
use danvan_store::{Actor, Store};
use time::macros::date;

const AGENCIES: usize = 3_500;
const DIRECTIVES: usize = 20;
const TASKS: usize = 2;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn build(store: &Store) -> Vec<i64> {
    let actor = Actor::system("bench");
    let mut units = Vec::new();
    for i in 0..AGENCIES {
        let unit = NewUnit {
            code: format!("Q{i:04}"),
            name: format!("Đơn vị số {i}"),
            short_name: format!("ĐV {i}"),
            kind: UnitKind::Department,
            parent_id: None,
            group_id: None,
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        };
        units.push(store.create_unit(&actor, &unit).await.unwrap());
    }
    let mut calendar = store.work_calendar().await.unwrap();
    for d in 0..DIRECTIVES {
        let day = date!(2022 - 09 - 01) + time::Duration::days(5 * d as i64);
        let tasks = (0..TASKS)
            .map(|t| NewTask {
                content: format!("Nhiệm vụ {t} của chỉ đạo {d}"),
                monitor_unit_id: None,
                deadline: Deadline::WorkingDaysFromDocument(20 + 15 * t as u32),
                leads: units.clone(),
                supports: vec![],
            })
            .collect();
        let directive = NewDirective {
            document_id: None,
            title: format!("Chỉ đạo {d}"),
            document_date: day,
            tasks,
        };
        store
            .create_directive(&actor, &directive, &mut calendar, day)
            .await
            .unwrap();
    }
    // A report waiting for one assignment in ten, returned for one in fifty; a third done.
    let account = store
        .create_account(
            &actor,
            &danvan_store::NewAccount {
                username: danvan_domain::Username::parse("bench").unwrap(),
                display_name: "Bench".into(),
                password_hash: "x".into(),
                role: danvan_domain::Role::Officer,
                unit_id: Some(units[0]),
                must_change_password: false,
                email: None,
            },
        )
        .await
        .unwrap();
    store
        .execute_raw_for_tests(&format!(
            "insert into progress_report (assignment_id, account_id, reported_on, percent, content, status, created_at) \
             select assignment_id, {account}, received_on, 50, 'Đang thực hiện', \
             case when assignment_id % 50 = 0 then 'returned' else 'submitted' end, 0 from assignment \
             where assignment_id % 10 = 0"
        ))
        .await
        .unwrap();
    store
        .execute_raw_for_tests(
            "update assignment set first_report_on = received_on, completed_on = due_on where assignment_id % 3 = 0",
        )
        .await
        .unwrap();
    store.set_meta("bench_queue", "built").await.unwrap();
    store.optimize().await.unwrap();
    units
}

async fn measure(name: &str, store: &Store) {
    if store.meta("bench_queue").await.unwrap().as_deref() != Some("built") {
        eprintln!("{name}: building {AGENCIES} agencies, {DIRECTIVES} directives × {TASKS} tasks (once)…");
        build(store).await;
    }
    let units = store.list_units().await.unwrap();
    let today = date!(2022 - 12 - 15);
    let rounds = 200;
    let mut floor = Vec::new();
    let mut times: Vec<(WorkItem, Vec<Duration>)> = WorkItem::ALL.iter().map(|w| (*w, vec![])).collect();
    for round in 0..rounds {
        let scope = QueueScope {
            unit_id: Some(units[(round * 37) % units.len()].id),
            today,
            soon: date!(2022 - 12 - 22),
        };
        let t = Instant::now();
        std::hint::black_box(store.assignment_count().await.unwrap());
        floor.push(t.elapsed());
        for (item, spent) in &mut times {
            let t = Instant::now();
            std::hint::black_box(store.queue_count(*item, scope).await.unwrap());
            spent.push(t.elapsed());
        }
    }
    println!(
        "\n{name}: {} agencies, {} assignments, {rounds} rounds (officers' lines for a different agency each round)",
        units.len(),
        store.assignment_count().await.unwrap()
    );
    println!("| count | p50 | p99 |");
    println!("|---|---|---|");
    floor.sort();
    println!(
        "| count(*) over assignment (floor) | {} | {} |",
        ms(percentile(&floor, 0.5)),
        ms(percentile(&floor, 0.99))
    );
    for (item, spent) in &mut times {
        spent.sort();
        println!(
            "| {} | {} | {} |",
            item.label(),
            ms(percentile(spent, 0.5)),
            ms(percentile(spent, 0.99))
        );
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let sqlite = Store::connect(
        &format!("sqlite://{}?mode=rwc", dir.join("queue-bench.db").display()),
        4,
    )
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    measure("SQLite", &sqlite).await;
    if std::env::var_os("DANVAN_BENCH_SQLITE_ONLY").is_some() {
        return;
    }
    let postgres = danvan_store::test_support::postgres_bench_store("bench_queue").await;
    measure("PostgreSQL", &postgres).await;
}
