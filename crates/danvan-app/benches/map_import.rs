//! Setting up the whole country from the shipped map, and the monitoring board over 3,500
//! agencies after a restructuring, on SQLite and on PostgreSQL.
//!
//! `cargo bench -p danvan-app --bench map_import` (the PostgreSQL half uses
//! DANVAN_TEST_POSTGRES_URL and is skipped when no server answers).
//!
//! 1. Importing the 34 provinces' committees and 3,321 communes into a fresh database through
//!    `danvan_app::province::import_province` (each agency with its code, one transaction per
//!    province), beside the floor of the same number of agencies created one by one through
//!    `Store::create_unit` (the same audited insert, without the lookups and codes).
//! 2. On that database with 145 departments added (3,500 agencies), 20 directives whose task goes
//!    to every agency (70,000 assignments), then 100 mergers of two communes each into a new
//!    one through `danvan_app::restructure::apply`: the board's counts per agency folded as the
//!    page folds them (successions read, each record under the agency alive at the period's
//!    end), beside a plain count of the assignments in the same run.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use danvan_app::User;
use danvan_app::restructure::Plan;
use danvan_domain::Role;
use danvan_domain::directive::Deadline;
use danvan_domain::restructure::Restructuring;
use danvan_domain::unit::{NewUnit, Unit, UnitKind, carried_by};
use danvan_store::directive::{BoardFilter, NewDirective, NewTask};
use danvan_store::test_support::fresh_store;
use danvan_store::{Actor, Backend, Store};
use time::macros::date;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn postgres_answers() -> bool {
    let url = danvan_store::test_support::postgres_base_url();
    let Some(rest) = url.split('@').nth(1) else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("127.0.0.1:5432");
    tokio::net::TcpStream::connect(host).await.is_ok()
}

async fn run(backend: Backend, label: &str) {
    let admin = User::system("bench", Role::Admin, None);
    let actor = Actor::system("bench");
    let map = danvan_domain::admin_map::map();
    let count = map.provinces.len() + map.communes.len();

    // The floor: as many agencies, created one by one.
    let floor_store = fresh_store(backend).await;
    let started = Instant::now();
    for i in 0..count {
        let unit = NewUnit {
            code: format!("F{i:05}"),
            name: format!("Đơn vị {i}"),
            short_name: format!("ĐV {i}"),
            kind: UnitKind::CommuneCommittee,
            parent_id: None,
            group_id: None,
            valid_from: date!(2025 - 07 - 01),
            valid_to: None,
        };
        floor_store.create_unit(&actor, &unit).await.unwrap();
    }
    let floor = started.elapsed();

    let store = fresh_store(backend).await;
    let started = Instant::now();
    for province in &map.provinces {
        danvan_app::province::import_province(&store, &admin, province.code)
            .await
            .unwrap();
    }
    let import = started.elapsed();
    println!("{label}: {count} agencies created one by one (floor): {}", ms(floor));
    println!(
        "{label}: the 34 provinces and 3,321 communes imported from the map: {}",
        ms(import)
    );

    board_after_restructuring(&store, label).await;
}

async fn board_after_restructuring(store: &Store, label: &str) {
    let admin = User::system("bench", Role::Admin, None);
    let actor = Actor::system("bench");
    let province = store.unit_by_code("UBND-68").await.unwrap().unwrap().id;
    for i in 0..145 {
        let unit = NewUnit {
            code: format!("SO-{i:03}"),
            name: format!("Sở số {i}"),
            short_name: format!("Sở {i}"),
            kind: UnitKind::Department,
            parent_id: Some(province),
            group_id: None,
            valid_from: date!(2025 - 07 - 01),
            valid_to: None,
        };
        store.create_unit(&actor, &unit).await.unwrap();
    }
    let units: Vec<i64> = store.list_units().await.unwrap().iter().map(|u| u.id).collect();
    let mut calendar = store.work_calendar().await.unwrap();
    for d in 0..20 {
        let day = date!(2025 - 08 - 04) + time::Duration::days(d * 7);
        let directive = NewDirective {
            document_id: None,
            title: format!("Chỉ đạo {d}"),
            document_date: day,
            tasks: vec![NewTask {
                content: format!("Nhiệm vụ của chỉ đạo {d}"),
                monitor_unit_id: None,
                deadline: Deadline::WorkingDaysFromDocument(30),
                leads: units.clone(),
                supports: vec![],
            }],
        };
        store
            .create_directive(&actor, &directive, &mut calendar, day)
            .await
            .unwrap();
    }
    let communes: Vec<Unit> = store
        .list_units()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.kind == UnitKind::CommuneCommittee && u.parent_id == Some(province))
        .collect();
    let started = Instant::now();
    for (i, pair) in communes.chunks(2).take(100).enumerate() {
        let plan = Plan {
            kind: Restructuring::Merge,
            sources: pair.iter().map(|u| u.id).collect(),
            successors: vec![],
            new_unit: Some(NewUnit {
                code: format!("GOP-{i:03}"),
                name: format!("UBND xã Hợp nhất {i}"),
                short_name: format!("Xã Hợp nhất {i}"),
                kind: UnitKind::CommuneCommittee,
                parent_id: Some(province),
                group_id: None,
                valid_from: date!(2026 - 01 - 01),
                valid_to: None,
            }),
            effective_on: date!(2026 - 01 - 01),
            choices: HashMap::new(),
        };
        danvan_app::restructure::apply(store, &admin, &plan).await.unwrap();
    }
    let restructured = started.elapsed();
    println!(
        "{label}: 100 mergers of two communes (each with 20 open assignments): {}",
        ms(restructured)
    );
    store.optimize().await.unwrap();

    let filter = BoardFilter {
        due_from: Some(date!(2025 - 07 - 01)),
        due_to: Some(date!(2026 - 06 - 30)),
        ..BoardFilter::default()
    };
    let today = date!(2026 - 03 - 15);
    let all_units = store.list_units().await.unwrap();
    let (mut floor, mut folded) = (vec![], vec![]);
    for _ in 0..20 {
        let t = Instant::now();
        std::hint::black_box(store.assignment_count().await.unwrap());
        floor.push(t.elapsed());
        let t = Instant::now();
        let counts = store.board_counts(&filter, today, false).await.unwrap();
        let successions = danvan_domain::unit::successions_by_predecessor(store.list_successions().await.unwrap());
        let by_id: HashMap<i64, &Unit> = all_units.iter().map(|u| (u.id, u)).collect();
        let mut rows: HashMap<i64, i64> = HashMap::new();
        for c in &counts {
            let carrier = carried_by(c.key, &successions, &by_id, date!(2026 - 06 - 30)).unwrap_or(c.key);
            *rows.entry(carrier).or_default() += c.total();
        }
        std::hint::black_box(rows);
        folded.push(t.elapsed());
    }
    floor.sort();
    folded.sort();
    println!(
        "{label}: count(*) of 70,000 assignments (floor): p50 {} p99 {}",
        ms(percentile(&floor, 0.5)),
        ms(percentile(&floor, 0.99))
    );
    println!(
        "{label}: board per agency over 3,500 agencies after 100 mergers, folded: p50 {} p99 {}",
        ms(percentile(&folded, 0.5)),
        ms(percentile(&folded, 0.99))
    );
}

#[tokio::main]
async fn main() {
    run(Backend::Sqlite, "SQLite").await;
    if postgres_answers().await {
        run(Backend::Postgres, "PostgreSQL").await;
    } else {
        println!("PostgreSQL: no server answers; skipped");
    }
}
