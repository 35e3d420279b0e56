//! A nation on PostgreSQL (issue 18, item 4): the 34 provinces and their 3,321 communes of the
//! 2025 map with 20 departments each (4,035 agencies), five years of each province's directives
//! to all its agencies (100 directives of 5 tasks per province: about 2 million assignments),
//! an evaluation cycle per province over its communes, and an annual report round per province
//! with every agency's report filed. Measured, each beside its floor in the same run:
//!
//! - the board's counts per agency for the nation and per directive for one province (floor:
//!   `count(*)` over the assignments);
//! - the monitor's dashboard for the year (floor: the same count);
//! - the largest province's compiled annual report, Word and Excel (floor: reading the round's
//!   filings);
//! - the scoring and ranking of the largest province's cycle (floor: `sum … group by` over its
//!   answers).
//!
//! `cargo bench -p danvan-web --bench nation` (DANVAN_TEST_POSTGRES_URL, schema `bench_nation`,
//! built once: some ten minutes). The agencies come from the map through
//! `danvan_app::province::import_province`, the directives, cycles, rounds and reports through
//! the store; as in the other benchmarks, the reports' effect on the assignments and the cycles'
//! answers are then written with one statement each, since pushing millions of them through
//! review would measure setup only. The server's memory under load on this database is measured
//! by `bench/nation-rss.sh`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use danvan_app::User;
use danvan_domain::Role;
use danvan_domain::directive::Deadline;
use danvan_domain::report::{Period, PeriodType};
use danvan_domain::rubric::{self, Rubric};
use danvan_domain::scoring::{rank, score};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::directive::{BoardFilter, NewDirective, NewTask};
use danvan_store::evaluation::NewCycle;
use danvan_store::report::{Figure, FilingContent};
use danvan_store::test_support::RawSql;
use danvan_store::{Actor, Store};
use danvan_web::compiled::{self, AgencyFiling, Heading};
use time::macros::date;

const ROUNDS: usize = 20;
const DEPARTMENTS: usize = 20;
const DIRECTIVES_PER_PROVINCE: usize = 100;
const TASKS: usize = 5;
const SECTIONS: usize = 5;
const LEAVES: usize = 12;
const MARKER: &str = "nation-1";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn build(store: &Store) {
    // Built in two stages, the first (agencies and directives, most of the time) kept if the
    // second fails.
    if store.meta("bench_nation_stage").await.unwrap().as_deref() != Some("directives") {
        build_directives(store).await;
        store.set_meta("bench_nation_stage", "directives").await.unwrap();
    }
    build_cycles_and_rounds(store).await;
}

/// The agencies and five years of directives.
async fn build_directives(store: &Store) {
    let admin = User::system("bench", Role::Admin, None);
    let actor = Actor::system("bench");
    let map = danvan_domain::admin_map::map();
    let started = Instant::now();
    for province in &map.provinces {
        danvan_app::province::import_province(store, &admin, province.code)
            .await
            .unwrap();
    }
    eprintln!("  34 provinces imported, {:.0} s", started.elapsed().as_secs_f64());
    // Five years of work need agencies that stood for five years: the 2025 map's agencies are
    // taken as alive from 2021 (the benchmark measures scale, not history).
    store
        .execute_raw_for_tests("update unit set valid_from = '2021-01-01'")
        .await
        .unwrap();
    // Each province's communes in a group of their own (for its cycle), and its departments.
    let committees: Vec<(i64, String)> = store
        .list_units()
        .await
        .unwrap()
        .iter()
        .filter(|u| u.kind == UnitKind::ProvincialCommittee)
        .map(|u| (u.id, u.short_name.clone()))
        .collect();
    let mut provinces = Vec::new();
    for (p, (committee, short)) in committees.iter().enumerate() {
        let group = store
            .create_group(
                &actor,
                &format!("XA-{p:02}"),
                &format!("Khối xã, phường {short}"),
                p as i64,
            )
            .await
            .unwrap();
        store
            .execute_raw_for_tests(&format!(
                "update unit set unit_group_id = {group} where parent_id = {committee} and kind = 'commune_committee'"
            ))
            .await
            .unwrap();
        for d in 0..DEPARTMENTS {
            let unit = NewUnit {
                code: format!("SO-{p:02}-{d:02}"),
                name: format!("Sở số {d} ({short})"),
                short_name: format!("Sở {d}"),
                kind: UnitKind::Department,
                parent_id: Some(*committee),
                group_id: None,
                valid_from: date!(2021 - 01 - 01),
                valid_to: None,
            };
            store.create_unit(&actor, &unit).await.unwrap();
        }
        provinces.push((*committee, group));
    }
    let units = store.list_units().await.unwrap();
    let mut calendar = store.work_calendar().await.unwrap();
    let started = Instant::now();
    for (p, (committee, _)) in provinces.iter().enumerate() {
        let agencies: Vec<i64> = units
            .iter()
            .filter(|u| u.parent_id == Some(*committee))
            .map(|u| u.id)
            .collect();
        for d in 0..DIRECTIVES_PER_PROVINCE {
            // Five years, 2021 to 2025, a directive every 18 days or so.
            let day = date!(2021 - 01 - 04) + time::Duration::days((d * 18 + p % 7) as i64);
            let directive = NewDirective {
                document_id: None,
                title: format!("Chỉ đạo {d} của tỉnh {p}"),
                document_date: day,
                tasks: (0..TASKS)
                    .map(|t| NewTask {
                        content: format!("Nhiệm vụ {t} của chỉ đạo {d}"),
                        monitor_unit_id: None,
                        deadline: Deadline::WorkingDaysFromDocument(10 + 10 * t as u32),
                        leads: agencies.clone(),
                        supports: vec![],
                    })
                    .collect(),
            };
            store
                .create_directive(&actor, &directive, &mut calendar, day)
                .await
                .unwrap();
        }
        eprintln!(
            "  province {} of 34: directives created, {:.0} s",
            p + 1,
            started.elapsed().as_secs_f64()
        );
    }
    // Progress of every kind: most of the older work done (some late), a tenth reported, the
    // rest not started; the last months' work still open.
    store
        .execute_raw_for_tests(
            "update assignment set first_report_on = received_on, completed_on = \
             case when assignment_id % 10 < 6 then due_on when assignment_id % 10 < 8 then '2025-12-31' else null end \
             where assignment_id % 10 < 9 and due_on < '2025-10-01'",
        )
        .await
        .unwrap();
    // See the board benchmark: the bulk update leaves the kept counts' tables a hundred times
    // their live size until they are rewritten.
    store
        .execute_raw_for_tests("vacuum full board_unit_day, board_directive_day")
        .await
        .unwrap();
}

/// Each province's committee and communes' group, from the agencies built.
async fn provinces(store: &Store) -> Vec<(i64, i64)> {
    let units = store.list_units().await.unwrap();
    units
        .iter()
        .filter(|u| u.kind == UnitKind::ProvincialCommittee)
        .filter_map(|committee| {
            units
                .iter()
                .find(|u| u.parent_id == Some(committee.id) && u.kind == UnitKind::CommuneCommittee)
                .and_then(|commune| commune.group_id)
                .map(|group| (committee.id, group))
        })
        .collect()
}

/// An evaluation cycle per province, and the nation's annual report round.
async fn build_cycles_and_rounds(store: &Store) {
    let provinces = provinces(store).await;
    assert_eq!(provinces.len(), 34);
    let units = store.list_units().await.unwrap();
    if store.meta("bench_nation_cycles").await.unwrap().as_deref() != Some("done") {
        build_cycles(store, &provinces, &units).await;
        store.set_meta("bench_nation_cycles", "done").await.unwrap();
    }
    build_round(store, &units).await;
}

/// An evaluation cycle per province over its communes, every criterion answered.
async fn build_cycles(store: &Store, provinces: &[(i64, i64)], units: &[danvan_domain::unit::Unit]) {
    let actor = Actor::system("bench");
    let source = danvan_store::test_support::bench_rubric(SECTIONS, LEAVES);
    let parsed = rubric::parse(&source).unwrap();
    let rubric_id = store.save_rubric_version(&actor, &parsed, &source).await.unwrap();
    for (committee, group) in provinces {
        let communes: Vec<i64> = units
            .iter()
            .filter(|u| u.parent_id == Some(*committee) && u.kind == UnitKind::CommuneCommittee)
            .map(|u| u.id)
            .collect();
        let cycle = NewCycle {
            year: 2025,
            group_id: *group,
            rubric_version_id: rubric_id,
            self_deadline: date!(2025 - 12 - 05),
            appraisal_deadline: date!(2025 - 12 - 20),
        };
        store.open_cycle(&actor, &cycle, &communes).await.unwrap();
    }
    let ids: Vec<String> = (1..=SECTIONS)
        .flat_map(|s| (1..=LEAVES).map(move |l| format!("('{s}.{l}', {})", s * 13 + l * 7)))
        .collect();
    store
        .execute_raw_for_tests(&format!(
            "with c (id, salt) as (values {}) \
             insert into assessment_item (assessment_id, kind, item_id, submitted_value, appraised_value) \
             select a.assessment_id, 'criterion', c.id, 'p:' || cast((a.assessment_id * c.salt) % 201 as text), \
             case when (a.assessment_id + c.salt) % 10 = 0 then 'p:' || cast((a.assessment_id * c.salt) % 101 as text) end \
             from assessment a cross join c",
            ids.join(", ")
        ))
        .await
        .unwrap();
    store
        .execute_raw_for_tests("update assessment set state = 'appraised', submissions = 1")
        .await
        .unwrap();
}

/// The annual report round (one per kind and period, for the whole installation: here the
/// nation's 4,035 agencies), every agency's report filed.
async fn build_round(store: &Store, units: &[danvan_domain::unit::Unit]) {
    let actor = Actor::system("bench");
    danvan_web::install_report_kinds(store).await.unwrap();
    let kind_record = store
        .report_kinds()
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.code == "BC-DVCQ-NAM")
        .unwrap();
    let kind = kind_record.kind().unwrap();
    let period = Period::new(PeriodType::Year, 2025, 1).unwrap();
    let agencies: Vec<i64> = units
        .iter()
        .filter(|u| u.kind != UnitKind::ProvincialCommittee)
        .map(|u| u.id)
        .collect();
    let round = store
        .open_round(&actor, kind_record.id, period, date!(2025 - 12 - 23), &agencies)
        .await
        .unwrap();
    for (i, filing) in store.filings(round).await.unwrap().into_iter().enumerate() {
        let figures = kind
            .indicators
            .iter()
            .map(|ind| {
                let value = if ind.id == "petitions_resolved" {
                    format!("{}", 60 + i % 40)
                } else {
                    format!("{}", i % 9)
                };
                let figure = Figure {
                    value,
                    prefilled: None,
                    note: String::new(),
                };
                (ind.id.clone(), figure)
            })
            .collect();
        let content = FilingContent {
            sections: kind
                .sections
                .iter()
                .map(|s| {
                    let text = format!(
                        "Phần {} của đơn vị số {i}: ban hành kế hoạch, phổ biến, quán triệt văn bản, tổ chức thực hiện các nhiệm vụ được giao, hưởng ứng phong trào thi đua \"Dân vận khéo\".",
                        s.id
                    );
                    (s.id.clone(), text)
                })
                .collect::<BTreeMap<_, _>>(),
            figures,
            warnings_note: String::new(),
        };
        let on = date!(2025 - 12 - 15) + time::Duration::days((i % 12) as i64);
        store.save_filing(&actor, filing.id, &content, Some(on)).await.unwrap();
    }
    // The monitor who signs in to `bench/nation-rss.sh`.
    danvan_store::test_support::monitor_account(store, "sonoivu", "Bộ Nội vụ").await;
    store.optimize().await.unwrap();
}

/// Reads, scores and ranks a whole cycle; returns how many agencies were ranked.
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

/// What the two download routes of a round do, end to end, for the agencies of `only` (a
/// province) or all; returns the files' sizes.
async fn compile(store: &Store, round_id: i64, only: Option<&HashSet<i64>>) -> (usize, usize) {
    let round = store.round(round_id).await.unwrap().unwrap();
    let kind = store.report_kind(round.kind_id).await.unwrap().unwrap().kind().unwrap();
    let filings = store.filings(round_id).await.unwrap();
    let units: HashMap<i64, String> = store.unit_names().await.unwrap();
    let mut list: Vec<AgencyFiling> = filings
        .iter()
        .filter(|f| only.is_none_or(|o| o.contains(&f.unit_id)))
        .map(|f| AgencyFiling {
            unit: units.get(&f.unit_id).cloned().unwrap_or_default(),
            group: String::new(),
            filing: f,
        })
        .collect();
    list.sort_by(|a, b| danvan_domain::collation::compare(&a.unit, &b.unit));
    let figures = compiled::figures(&kind, &list);
    let text = compiled::gathered(&kind, &list);
    let heading = Heading {
        province: "Thành phố Hà Nội".into(),
        period: round.period,
        year_of_issue: 2025,
        signer: None,
    };
    let word = compiled::docx(&kind, &heading, &text, &figures, list.len(), list.len()).unwrap();
    let excel = compiled::xlsx(&kind, danvan_store::report::RoundState::Closed, &list, &figures).unwrap();
    (word.len(), excel.len())
}

fn row(label: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "| {label} | {} | {} |",
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.99))
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let store = danvan_store::test_support::postgres_bench_store("bench_nation").await;
    if store.meta("bench_nation").await.unwrap().as_deref() != Some(MARKER) {
        eprintln!("building the nation (once)…");
        let started = Instant::now();
        build(&store).await;
        store.set_meta("bench_nation", MARKER).await.unwrap();
        eprintln!("  built in {:.0} s", started.elapsed().as_secs_f64());
    }
    let today = date!(2025 - 12 - 28);
    let agencies = store.list_units().await.unwrap().len();
    let assignments = store.assignment_count().await.unwrap();

    // The largest province: the most communes, so its cycle and round are the largest.
    let cycles = store.cycles().await.unwrap();
    let mut largest = (0, 0, 0);
    for cycle in &cycles {
        let size = store.cycle_answers(cycle.id).await.unwrap().len();
        if size > largest.1 {
            largest = (cycle.id, size, cycle.group_id);
        }
    }
    let (cycle_id, communes, group_id) = largest;
    let round = store.rounds().await.unwrap().first().expect("the nation's round").id;
    let filed = store.filings(round).await.unwrap().len();
    // The largest province's agencies: the committee whose communes form the largest cycle's
    // group, and every agency under it.
    let all_units = store.list_units().await.unwrap();
    let committee = all_units
        .iter()
        .find(|u| u.group_id == Some(group_id))
        .and_then(|u| u.parent_id)
        .expect("the province of the largest cycle");
    let province_agencies: HashSet<i64> = all_units
        .iter()
        .filter(|u| u.parent_id == Some(committee))
        .map(|u| u.id)
        .collect();
    let directive_of_group = {
        let one = store
            .board_counts(
                &BoardFilter {
                    group_id: Some(group_id),
                    ..BoardFilter::default()
                },
                today,
                true,
            )
            .await
            .unwrap();
        one.len()
    };
    let rubric = rubric::parse(&danvan_store::test_support::bench_rubric(SECTIONS, LEAVES)).unwrap();
    let period = Period::new(PeriodType::Year, 2025, 1).unwrap();
    let nation = BoardFilter::default();
    let province = BoardFilter {
        group_id: Some(group_id),
        ..BoardFilter::default()
    };
    // Warm up.
    store.board_counts(&nation, today, false).await.unwrap();
    let (mut sizes, mut nation_sizes) = ((0, 0), (0, 0));
    let (mut floor, mut by_unit, mut by_directive, mut dashboard) = (vec![], vec![], vec![], vec![]);
    let (mut filings_floor, mut compiled_report, mut scoring_floor, mut scoring) = (vec![], vec![], vec![], vec![]);
    let mut compiled_nation = vec![];
    let mut by_unit_year = vec![];
    let year = BoardFilter {
        due_from: Some(date!(2025 - 01 - 01)),
        due_to: Some(date!(2025 - 12 - 31)),
        ..BoardFilter::default()
    };
    for _ in 0..ROUNDS {
        let t = Instant::now();
        std::hint::black_box(store.assignment_count().await.unwrap());
        floor.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.board_counts(&nation, today, false).await.unwrap());
        by_unit.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.board_counts(&year, today, false).await.unwrap());
        by_unit_year.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.board_counts(&province, today, true).await.unwrap());
        by_directive.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(
            danvan_web::dashboard::overseer_body(&store, period, today)
                .await
                .unwrap(),
        );
        dashboard.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.filings(round).await.unwrap());
        filings_floor.push(t.elapsed());
        let t = Instant::now();
        sizes = compile(&store, round, Some(&province_agencies)).await;
        compiled_report.push(t.elapsed());
        let t = Instant::now();
        nation_sizes = compile(&store, round, None).await;
        compiled_nation.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(store.cycle_submitted_sums(cycle_id).await.unwrap());
        scoring_floor.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(score_cycle(&store, &rubric, cycle_id).await, communes);
        scoring.push(t.elapsed());
    }
    println!(
        "PostgreSQL: {agencies} agencies, {assignments} assignments, {filed} reports in the nation's annual round; \
         the largest province: {communes} communes in its cycle ({} criteria each), {} agencies (report {} KB \
         .docx, annex {} KB .xlsx; the nation's: {} KB and {} KB), {directive_of_group} directives on its \
         communes' board; {ROUNDS} rounds",
        SECTIONS * LEAVES,
        province_agencies.len(),
        sizes.0 / 1024,
        sizes.1 / 1024,
        nation_sizes.0 / 1024,
        nation_sizes.1 / 1024
    );
    println!("| measure | p50 | p99 |");
    println!("|---|---|---|");
    row(
        "count(*) over the assignments (floor of the board and the dashboard)",
        &mut floor,
    );
    row("board counts per agency, the nation, five years", &mut by_unit);
    row("board counts per agency, the nation, 2025", &mut by_unit_year);
    row(
        "board counts per directive, the largest province's communes",
        &mut by_directive,
    );
    row("monitor's dashboard for 2025", &mut dashboard);
    row(
        "read the round's filings (floor of the compiled reports)",
        &mut filings_floor,
    );
    row(
        "compiled report of the largest province: read, combine, .docx and .xlsx",
        &mut compiled_report,
    );
    row(
        "compiled report of the whole round (every agency of the nation)",
        &mut compiled_nation,
    );
    row(
        "sum … group by over the largest cycle (floor of the scoring)",
        &mut scoring_floor,
    );
    row("score and rank the largest province's cycle", &mut scoring);
}
