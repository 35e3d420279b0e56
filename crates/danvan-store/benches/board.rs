//! The monitoring board over 1,000 directives, 150 agencies and 5 tasks each (750,000
//! assignments), on SQLite and on PostgreSQL, with a plain `count(*)` over the same rows in the
//! same run as the floor.
//!
//! `cargo bench -p danvan-store --bench board` (DANVAN_BENCH_DIRECTIVES changes the size; the
//! PostgreSQL half uses DANVAN_TEST_POSTGRES_URL, schema `bench_board`). Directives are created
//! through `create_directive`; the reports' effect (first report, completion dates) is then set
//! on the rows directly, since pushing 750,000 reports through review would measure setup only.

use danvan_store::test_support::RawSql;
use std::time::{Duration, Instant};

use danvan_domain::directive::Deadline;
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::directive::{BoardFilter, NewDirective, NewTask};
use danvan_store::{Actor, Store};
use time::macros::date;

const AGENCIES: usize = 150;
const TASKS: usize = 5;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn build(store: &Store, directives: usize) {
    let actor = Actor::system("bench");
    let group = store
        .create_group(&actor, "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let mut units = Vec::new();
    for i in 0..AGENCIES {
        let unit = NewUnit {
            code: format!("U{i:03}"),
            name: format!("Đơn vị số {i}"),
            short_name: format!("ĐV {i}"),
            kind: UnitKind::Department,
            parent_id: None,
            group_id: (i % 3 == 0).then_some(group),
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        };
        units.push(store.create_unit(&actor, &unit).await.unwrap());
    }
    let mut calendar = store.work_calendar().await.unwrap();
    let started = Instant::now();
    for d in 0..directives {
        let day = date!(2022 - 01 - 03) + time::Duration::days((d % 340) as i64);
        let tasks = (0..TASKS)
            .map(|t| NewTask {
                content: format!("Nhiệm vụ {t} của chỉ đạo {d}"),
                monitor_unit_id: None,
                deadline: Deadline::WorkingDaysFromDocument(10 + 10 * t as u32),
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
        if (d + 1) % 100 == 0 {
            eprintln!("  {} directives, {:.0} s", d + 1, started.elapsed().as_secs_f64());
        }
    }
    // Progress of every kind: six in ten done (some late), one in ten reported, the rest not.
    store
        .execute_raw_for_tests(
            "update assignment set first_report_on = received_on, completed_on = \
             case when assignment_id % 10 < 4 then due_on when assignment_id % 10 < 6 then '2022-12-31' else null end \
             where assignment_id % 10 < 7",
        )
        .await
        .unwrap();
    store
        .set_meta("bench_directives", &directives.to_string())
        .await
        .unwrap();
    // The monitor who signs in to the board page's HTTP benchmark (`bench/board-page.sh`).
    danvan_store::test_support::monitor_account(store, "sonoivu", "Sở Nội vụ").await;
    // The bulk update above moved the kept counts of the board (migration 0027) 525,000 times
    // in one transaction; on PostgreSQL that leaves their tables a hundred times their live size
    // until they are rewritten, which a deployment's single changes (each pruned and vacuumed)
    // never reach.
    if store.backend() == danvan_store::Backend::Postgres {
        store
            .execute_raw_for_tests("vacuum full board_unit_day, board_directive_day")
            .await
            .unwrap();
    }
    // What the server does every ten minutes (see `Store::optimize`).
    store.optimize().await.unwrap();
}

async fn measure(name: &str, store: &Store, directives: usize) {
    if store.meta("bench_directives").await.unwrap().as_deref() != Some(&directives.to_string()) {
        eprintln!("{name}: building {directives} directives × {AGENCIES} agencies × {TASKS} tasks (once)…");
        build(store, directives).await;
    }
    let today = date!(2022 - 12 - 15);
    let groups = store.list_groups().await.unwrap();
    let filters = [
        BoardFilter::default(),
        BoardFilter {
            group_id: groups.first().map(|g| g.id),
            ..BoardFilter::default()
        },
        BoardFilter {
            due_from: Some(date!(2022 - 07 - 01)),
            due_to: Some(date!(2022 - 12 - 31)),
            ..BoardFilter::default()
        },
        BoardFilter {
            due_from: Some(date!(2022 - 03 - 10)),
            due_to: Some(date!(2022 - 04 - 09)),
            ..BoardFilter::default()
        },
    ];
    // Warm up.
    store.board_counts(&filters[0], today, false).await.unwrap();
    let rounds = 20;
    let (mut floor, mut by_unit, mut by_directive, mut overdue) = (vec![], vec![], vec![], vec![]);
    let (mut recount_unit, mut recount_directive) = (vec![], vec![]);
    // The API's list (issue 19): pages of 200 at cursors spread over the whole table, and one
    // agency's pages.
    let total = store.assignment_count().await.unwrap();
    let units = store.list_units().await.unwrap();
    let (mut api_page, mut api_unit_page) = (vec![], vec![]);
    for round in 0..rounds {
        let after = total * round as i64 / rounds as i64;
        let t = Instant::now();
        std::hint::black_box(store.assignments_page(after, None, 200).await.unwrap());
        api_page.push(t.elapsed());
        let unit = units[round * 7 % units.len()].id;
        let t = Instant::now();
        std::hint::black_box(store.assignments_page(after, Some(unit), 200).await.unwrap());
        api_unit_page.push(t.elapsed());
    }
    for round in 0..rounds {
        let filter = &filters[round % filters.len()];
        let t = Instant::now();
        std::hint::black_box(store.assignment_count().await.unwrap());
        floor.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.board_counts(filter, today, false).await.unwrap());
        by_unit.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.board_counts(filter, today, true).await.unwrap());
        by_directive.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.overdue_assignments(filter, today, 500).await.unwrap());
        overdue.push(t.elapsed());
        // The same counts from every assignment (the board before the counts were kept).
        let t = Instant::now();
        let recounted = store.board_recount(filter, today, false).await.unwrap();
        recount_unit.push(t.elapsed());
        assert_eq!(recounted, store.board_counts(filter, today, false).await.unwrap());
        let t = Instant::now();
        let recounted = store.board_recount(filter, today, true).await.unwrap();
        recount_directive.push(t.elapsed());
        assert_eq!(recounted, store.board_counts(filter, today, true).await.unwrap());
    }
    let rows = store.assignment_count().await.unwrap();
    println!("\n{name}: {rows} assignments, {rounds} rounds over 4 filters (none, one group, a half-year, a month)");
    println!("| query | p50 | p99 |");
    println!("|---|---|---|");
    for (label, times) in [
        ("count(*) over assignment (floor)", &mut floor),
        ("board counts per agency (kept)", &mut by_unit),
        ("board counts per directive (kept)", &mut by_directive),
        ("board counts per agency, recounted", &mut recount_unit),
        ("board counts per directive, recounted", &mut recount_directive),
        ("overdue list, top 500", &mut overdue),
        ("API: a page of 200 assignments by cursor", &mut api_page),
        (
            "API: a page of one agency's 200 assignments by cursor",
            &mut api_unit_page,
        ),
    ] {
        times.sort();
        println!(
            "| {label} | {} | {} |",
            ms(percentile(times, 0.5)),
            ms(percentile(times, 0.99))
        );
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let directives: usize = std::env::var("DANVAN_BENCH_DIRECTIVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let sqlite = Store::connect(
        &format!(
            "sqlite://{}?mode=rwc",
            dir.join(format!("board-bench-{directives}.db")).display()
        ),
        4,
    )
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    measure("SQLite", &sqlite, directives).await;

    if std::env::var_os("DANVAN_BENCH_SQLITE_ONLY").is_some() {
        return;
    }
    let postgres = danvan_store::test_support::postgres_bench_store(&format!("bench_board_{directives}")).await;
    measure("PostgreSQL", &postgres, directives).await;
}
