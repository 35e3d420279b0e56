//! Scoring and ranking one evaluation cycle of 3,500 agencies with 60 criteria each (210,000
//! scored items), end to end from the database: read every answer (`cycle_answers`), score each
//! agency against the rubric, rank the group with the quota. The floor, in the same run, is a
//! plain `sum … group by` over the same rows (`cycle_submitted_sums`).
//!
//! `cargo bench -p danvan-store --bench scoring` (`DANVAN_BENCH_AGENCIES` changes the size,
//! `DANVAN_BENCH_SQLITE_ONLY=1` skips PostgreSQL, whose half uses DANVAN_TEST_POSTGRES_URL and
//! schema `bench_scoring_<n>`). The agencies, the rubric and the cycle are created through the
//! store; the 210,000 answers are then written with one `insert … select`, since pushing them
//! through 3,500 draft saves would measure setup only.

use danvan_store::test_support::RawSql;
use std::time::{Duration, Instant};

use danvan_domain::rubric::{self, Rubric};
use danvan_domain::scoring::{rank, score};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::evaluation::NewCycle;
use danvan_store::{Actor, Store};
use time::macros::date;

const SECTIONS: usize = 5;
const LEAVES: usize = 12;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn build(store: &Store, agencies: usize) -> i64 {
    let actor = Actor::system("bench");
    let group = store.create_group(&actor, "XA", "Khối UBND cấp xã", 1).await.unwrap();
    let mut units = Vec::with_capacity(agencies);
    for i in 0..agencies {
        let unit = NewUnit {
            code: format!("X{i:04}"),
            name: format!("UBND xã số {i}"),
            short_name: format!("Xã {i}"),
            kind: UnitKind::CommuneCommittee,
            parent_id: None,
            group_id: Some(group),
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        };
        units.push(store.create_unit(&actor, &unit).await.unwrap());
    }
    let source = danvan_store::test_support::bench_rubric(SECTIONS, LEAVES);
    let parsed = rubric::parse(&source).unwrap();
    let rubric_id = store.save_rubric_version(&actor, &parsed, &source).await.unwrap();
    let cycle = NewCycle {
        year: 2022,
        group_id: group,
        rubric_version_id: rubric_id,
        self_deadline: date!(2022 - 12 - 05),
        appraisal_deadline: date!(2022 - 12 - 20),
    };
    let cycle_id = store.open_cycle(&actor, &cycle, &units).await.unwrap();
    // Every criterion answered: points from 0 to 2 spread by agency and criterion; a tenth
    // appraised lower.
    let ids: Vec<String> = (1..=SECTIONS)
        .flat_map(|s| (1..=LEAVES).map(move |l| format!("('{s}.{l}', {})", s * 13 + l * 7)))
        .collect();
    store
        .execute_raw_for_tests(&format!(
            "with c (id, salt) as (values {}) \
             insert into assessment_item (assessment_id, kind, item_id, submitted_value, appraised_value) \
             select a.assessment_id, 'criterion', c.id, 'p:' || cast((a.assessment_id * c.salt) % 201 as text), \
             case when (a.assessment_id + c.salt) % 10 = 0 then 'p:' || cast((a.assessment_id * c.salt) % 101 as text) end \
             from assessment a cross join c where a.evaluation_cycle_id = {cycle_id}",
            ids.join(", ")
        ))
        .await
        .unwrap();
    store
        .execute_raw_for_tests(&format!(
            "update assessment set state = 'appraised', submissions = 1 where evaluation_cycle_id = {cycle_id}"
        ))
        .await
        .unwrap();
    store
        .set_meta("bench_scoring", &format!("{agencies}:{cycle_id}"))
        .await
        .unwrap();
    store.optimize().await.unwrap();
    cycle_id
}

/// Reads, scores and ranks the whole cycle; returns how many agencies were ranked.
async fn score_cycle(store: &Store, rubric: &Rubric, cycle_id: i64) -> usize {
    let answers = store.cycle_answers(cycle_id).await.unwrap();
    let outcomes = answers
        .iter()
        .map(|a| {
            let kinds: Vec<&str> = a.kinds.iter().map(String::as_str).collect();
            (a.unit_id, score(rubric, &kinds, &a.final_answers))
        })
        .collect();
    rank(rubric, outcomes).len()
}

async fn measure(name: &str, store: &Store, agencies: usize) {
    let cycle_id = match store.meta("bench_scoring").await.unwrap() {
        Some(v) if v.starts_with(&format!("{agencies}:")) => v.split_once(':').unwrap().1.parse().unwrap(),
        _ => {
            eprintln!(
                "{name}: building {agencies} agencies × {} criteria (once)…",
                SECTIONS * LEAVES
            );
            build(store, agencies).await
        }
    };
    let rubric = rubric::parse(&danvan_store::test_support::bench_rubric(SECTIONS, LEAVES)).unwrap();
    let rounds = 20;
    let (mut floor, mut read, mut full) = (vec![], vec![], vec![]);
    assert_eq!(
        score_cycle(store, &rubric, cycle_id).await,
        agencies,
        "warm-up ranks everyone"
    );
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(store.cycle_submitted_sums(cycle_id).await.unwrap());
        floor.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.cycle_answers(cycle_id).await.unwrap());
        read.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(score_cycle(store, &rubric, cycle_id).await);
        full.push(t.elapsed());
    }
    floor.sort();
    read.sort();
    full.sort();
    println!(
        "\n{name}: {agencies} agencies × {} criteria, {rounds} rounds",
        SECTIONS * LEAVES
    );
    println!("| measure | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| read only (`cycle_answers`) | {} | {} |",
        ms(percentile(&read, 0.5)),
        ms(percentile(&read, 0.99))
    );
    println!(
        "| sum … group by (floor) | {} | {} |",
        ms(percentile(&floor, 0.5)),
        ms(percentile(&floor, 0.99))
    );
    println!(
        "| read, score and rank | {} | {} |",
        ms(percentile(&full, 0.5)),
        ms(percentile(&full, 0.99))
    );
    println!(
        "| ratio at p50 | {:.2}x | |",
        percentile(&full, 0.5).as_secs_f64() / percentile(&floor, 0.5).as_secs_f64()
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let agencies: usize = std::env::var("DANVAN_BENCH_AGENCIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3500);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("scoring-bench-{agencies}.db"));
    let sqlite = Store::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4)
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    measure("SQLite", &sqlite, agencies).await;

    if std::env::var_os("DANVAN_BENCH_SQLITE_ONLY").is_some() {
        return;
    }
    let postgres = danvan_store::test_support::postgres_bench_store(&format!("bench_scoring_{agencies}")).await;
    measure("PostgreSQL", &postgres, agencies).await;
}
