//! The province's annual report for 3,500 agencies: compiling it (reading the round, combining
//! the figures, gathering the texts, writing the Word report and the Excel annex), and the
//! monitor's dashboard over the same data; on SQLite, with reading the 3,500 filings alone in
//! the same run as the floor.
//!
//! `cargo bench -p danvan-web --bench reporting` (DANVAN_BENCH_AGENCIES changes the size). The
//! data is built once through the store (agencies, a directive of 5 tasks for all of them,
//! headcounts, one initiative each, the annual round with every filing submitted) into
//! `target/tmp/` and reused.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use danvan_domain::directive::Deadline;
use danvan_domain::initiative::{Field, Kind};
use danvan_domain::report::{Period, PeriodType};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::directive::{NewDirective, NewTask};
use danvan_store::initiative::NewInitiative;
use danvan_store::report::{Figure, FilingContent};
use danvan_store::training::Headcount;
use danvan_store::{Actor, Store};
use danvan_web::compiled::{self, AgencyFiling, Heading};
use time::macros::date;

const ROUNDS: usize = 20;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn build(store: &Store, agencies: usize) {
    let actor = Actor::system("bench");
    let group = store.create_group(&actor, "XA", "Khối UBND cấp xã", 1).await.unwrap();
    let mut units = Vec::new();
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
    let mut calendar = store.work_calendar().await.unwrap();
    let directive = NewDirective {
        document_id: None,
        title: "Kế hoạch thực hiện công tác dân vận chính quyền năm 2022".into(),
        document_date: date!(2022 - 03 - 01),
        tasks: (0..5)
            .map(|t| NewTask {
                content: format!("Nhiệm vụ {t}"),
                monitor_unit_id: None,
                deadline: Deadline::WorkingDaysFromDocument(20 + 40 * t),
                leads: units.clone(),
                supports: vec![],
            })
            .collect(),
    };
    store
        .create_directive(&actor, &directive, &mut calendar, date!(2022 - 03 - 02))
        .await
        .unwrap();
    for (i, unit_id) in units.iter().enumerate() {
        let headcount = Headcount {
            unit_id: *unit_id,
            year: 2022,
            can_bo: 10,
            cong_chuc: 12 + (i % 7) as i64,
            vien_chuc: 2,
        };
        store.save_headcount(&actor, &headcount).await.unwrap();
        let day = date!(2022 - 02 - 01) + time::Duration::days((i % 200) as i64);
        let initiative = NewInitiative {
            unit_id: *unit_id,
            kind: Kind::Collective,
            field: Field::ALL[i % 4],
            name: format!("Dân vận khéo ở xã số {i}"),
            area: "Toàn xã".into(),
            beneficiaries: "Nhân dân".into(),
            led_by: "Chủ tịch UBND xã".into(),
            members: "Công chức xã".into(),
            situation: "Thực trạng".into(),
            goals: "Mục tiêu".into(),
            criteria: "Tiêu chí".into(),
            content: "Cách làm".into(),
            resources: "Ngân sách xã".into(),
            starts_on: day,
            ends_on: day + time::Duration::days(100),
            outputs: "Kết quả".into(),
            sustainability: "Nhân rộng".into(),
            people_public: false,
            registered_on: day,
            replicated_from: None,
        };
        store.register_initiative(&actor, &initiative).await.unwrap();
    }
    danvan_web::install_report_kinds(store).await.unwrap();
    let kind_record = store
        .report_kinds()
        .await
        .unwrap()
        .into_iter()
        .find(|k| k.code == "BC-DVCQ-NAM")
        .unwrap();
    let kind = kind_record.kind().unwrap();
    let period = Period::new(PeriodType::Year, 2022, 1).unwrap();
    let round = store
        .open_round(&actor, kind_record.id, period, date!(2022 - 12 - 23), &units)
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
                (
                    ind.id.clone(),
                    Figure {
                        value,
                        prefilled: None,
                        note: String::new(),
                    },
                )
            })
            .collect();
        let content = FilingContent {
            sections: kind
                .sections
                .iter()
                .map(|s| {
                    (
                        s.id.clone(),
                        format!(
                            "Phần {} của UBND xã số {i}: ban hành kế hoạch, phổ biến, quán triệt văn bản, tổ chức thực hiện các nhiệm vụ được giao, hưởng ứng phong trào thi đua \"Dân vận khéo\", cử cán bộ tham gia tập huấn.",
                            s.id
                        ),
                    )
                })
                .collect::<BTreeMap<_, _>>(),
            figures,
            warnings_note: String::new(),
        };
        let on = date!(2022 - 12 - 15) + time::Duration::days((i % 12) as i64);
        store.save_filing(&actor, filing.id, &content, Some(on)).await.unwrap();
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let agencies: usize = std::env::var("DANVAN_BENCH_AGENCIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_500);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("reporting-bench-{agencies}.db"));
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4)
        .await
        .expect("open bench database");
    store.migrate().await.expect("migrate");
    if store.meta("bench_reporting").await.expect("meta").as_deref() != Some(&agencies.to_string()) {
        eprintln!(
            "building {agencies} agencies and their reports in {} (once)…",
            path.display()
        );
        let started = Instant::now();
        build(&store, agencies).await;
        store.optimize().await.expect("analyze");
        store
            .set_meta("bench_reporting", &agencies.to_string())
            .await
            .expect("meta");
        eprintln!("  built in {:.0} s", started.elapsed().as_secs_f64());
    }
    let round = store.rounds().await.unwrap().into_iter().next().expect("the round");
    let today = date!(2022 - 12 - 28);

    let mut floor = Vec::new();
    let mut compile = Vec::new();
    let mut dashboard = Vec::new();
    let mut sizes = (0, 0);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        std::hint::black_box(store.filings(round.id).await.unwrap());
        floor.push(started.elapsed());

        // What the two download routes do, end to end.
        let started = Instant::now();
        let kind = store.report_kind(round.kind_id).await.unwrap().unwrap().kind().unwrap();
        let filings = store.filings(round.id).await.unwrap();
        let units: HashMap<i64, String> = store.unit_names().await.unwrap();
        let mut list: Vec<AgencyFiling> = filings
            .iter()
            .map(|f| AgencyFiling {
                unit: units.get(&f.unit_id).cloned().unwrap_or_default(),
                group: "Khối UBND cấp xã".into(),
                filing: f,
            })
            .collect();
        list.sort_by(|a, b| danvan_domain::collation::compare(&a.unit, &b.unit));
        let figures = compiled::figures(&kind, &list);
        let text = compiled::gathered(&kind, &list);
        let heading = Heading {
            province: "Đắk Nông".into(),
            period: round.period,
            year_of_issue: 2022,
            signer: None,
        };
        let word = compiled::docx(&kind, &heading, &text, &figures, list.len(), list.len()).unwrap();
        let excel = compiled::xlsx(&kind, danvan_store::report::RoundState::Closed, &list, &figures).unwrap();
        compile.push(started.elapsed());
        sizes = (word.len(), excel.len());

        let started = Instant::now();
        let body = danvan_web::dashboard::overseer_body(&store, round.period, today)
            .await
            .unwrap();
        dashboard.push(started.elapsed());
        std::hint::black_box(body);
    }
    for list in [&mut floor, &mut compile, &mut dashboard] {
        list.sort();
    }
    println!(
        "{agencies} agencies, every filing submitted; {ROUNDS} rounds; report {} KB (.docx), annex {} KB (.xlsx)",
        sizes.0 / 1024,
        sizes.1 / 1024
    );
    println!("| measure | p50 | p99 |");
    println!("|---|---|---|");
    for (name, list) in [
        ("read the round's filings (floor)", &floor),
        ("compile: read, combine, gather, .docx and .xlsx", &compile),
        ("monitor's dashboard (five charts and tables)", &dashboard),
    ] {
        println!(
            "| {name} | {} | {} |",
            ms(percentile(list, 0.5)),
            ms(percentile(list, 0.99))
        );
    }
}
