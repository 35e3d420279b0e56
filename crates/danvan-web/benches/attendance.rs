//! Importing an attendance list of 10,000 rows from .xlsx: reading and checking the file, then
//! storing every row in one transaction on SQLite; the time per row. In the same run, the floor:
//! only unzipping the sheet's XML.
//!
//! `cargo bench -p danvan-web --bench attendance` (DANVAN_BENCH_ROWS changes the size).

use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant};

use danvan_domain::training::{COLUMNS, agency_key};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::training::NewCourse;
use danvan_store::{Actor, Store};
use danvan_web::xlsx::{Cell, Sheet, workbook};
use time::macros::date;

const AGENCIES: usize = 150;
const ROUNDS: usize = 10;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn show(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn per_row(d: Duration, rows: usize) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6 / rows as f64)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let rows: usize = std::env::var("DANVAN_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("attendance-bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4)
        .await
        .expect("open bench database");
    store.migrate().await.expect("migrate");
    let actor = Actor::system("bench");
    let mut agencies = HashMap::new();
    let mut names = Vec::new();
    for i in 0..AGENCIES {
        let name = format!("UBND xã số {i}");
        let unit = NewUnit {
            code: format!("X{i:03}"),
            name: name.clone(),
            short_name: format!("Xã {i}"),
            kind: UnitKind::CommuneCommittee,
            parent_id: None,
            group_id: None,
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        };
        let id = store.create_unit(&actor, &unit).await.expect("unit");
        agencies.insert(agency_key(&name), id);
        names.push(name);
    }
    let course = NewCourse {
        unit_id: 1,
        title: "Tập huấn công tác dân vận chính quyền".into(),
        topic: "Dân vận khéo".into(),
        starts_on: date!(2022 - 08 - 15),
        ends_on: date!(2022 - 08 - 16),
        place: "Hội trường".into(),
        organiser: "Sở Nội vụ".into(),
        trainers: "Ban Dân vận".into(),
    };
    let course_id = store.add_course(&actor, &course).await.expect("course");
    let categories = ["Cán bộ", "Công chức", "Viên chức"];
    let sheet_rows: Vec<Vec<Cell>> = (0..rows)
        .map(|i| {
            vec![
                format!("Nguyễn Thị Học Viên {i}").into(),
                "Công chức Văn phòng - Thống kê".into(),
                names[i % AGENCIES].clone().into(),
                categories[i % 3].into(),
            ]
        })
        .collect();
    let file = workbook(&[Sheet::new("Danh sách", None, &COLUMNS, sheet_rows)]).expect("workbook");

    let mut unzip = Vec::new();
    let mut read = Vec::new();
    let mut insert = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&file)).expect("zip");
        let mut xml = String::new();
        archive
            .by_name("xl/worksheets/sheet1.xml")
            .expect("sheet")
            .read_to_string(&mut xml)
            .expect("read");
        std::hint::black_box(xml);
        unzip.push(started.elapsed());

        let started = Instant::now();
        let attendees = danvan_web::attendance::read(&file, &agencies).expect("a good file");
        read.push(started.elapsed());
        assert_eq!(attendees.len(), rows);

        let started = Instant::now();
        store
            .add_attendance(&actor, course_id, &attendees, "bench")
            .await
            .expect("insert");
        insert.push(started.elapsed());
    }
    let (unzip, read, insert) = (median(unzip), median(read), median(insert));
    println!(
        "{rows} rows ({} KB .xlsx), median of {ROUNDS} imports on SQLite",
        file.len() / 1024
    );
    println!("| step | whole file | per row |");
    println!("|---|---|---|");
    println!(
        "| unzip the sheet only (floor) | {} | {} |",
        show(unzip),
        per_row(unzip, rows)
    );
    println!(
        "| read and check every row | {} | {} |",
        show(read),
        per_row(read, rows)
    );
    println!(
        "| store in one transaction | {} | {} |",
        show(insert),
        per_row(insert, rows)
    );
    println!(
        "| whole import | {} | {} |",
        show(read + insert),
        per_row(read + insert, rows)
    );
}
