//! The public gallery's search over 100,000 initiatives on SQLite, with a point lookup of one
//! initiative by id in the same run as the floor.
//!
//! `cargo bench -p danvan-store --bench gallery` (DANVAN_BENCH_INITIATIVES changes the size).
//! Initiatives are registered through `register_initiative` (so their search text is what the
//! application writes); nine in ten are then marked recognised on the rows directly, since
//! taking 90,000 through five lifecycle steps would measure setup only. The database is built
//! once into the target folder and reused.

use danvan_store::test_support::RawSql;
use std::time::{Duration, Instant};

use danvan_domain::initiative::{Field, Kind};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::initiative::{GalleryQuery, NewInitiative};
use danvan_store::{Actor, Store};
use time::macros::date;

const AGENCIES: i64 = 150;

const NAMES: &[&str] = &[
    "Dân vận khéo trong vận động nhân dân hiến đất làm đường giao thông nông thôn",
    "Dân vận khéo trong phát triển cà phê bền vững",
    "Tổ tự quản vệ sinh môi trường khu dân cư",
    "Một cửa thân thiện, trả kết quả đúng hẹn",
    "Tổ tự quản an ninh trật tự ở bon đồng bào dân tộc thiểu số",
    "Dân vận khéo trong giải phóng mặt bằng dự án hồ chứa nước",
    "Xây dựng bon văn hóa gắn với bảo tồn văn hóa cồng chiêng",
    "Đối thoại định kỳ của người đứng đầu với nhân dân",
    "Camera an ninh kết nối cộng đồng",
    "Dân vận khéo trong vận động học sinh đến trường",
    "Lắng nghe, giải đáp kiến nghị của người dân qua mạng xã hội",
    "Dân vận khéo trong tiêm chủng và khám chữa bệnh",
];
const PLACES: &[&str] = &[
    "Gia Nghĩa",
    "Cư Jút",
    "Đắk Glong",
    "Đắk Mil",
    "Đắk R'Lấp",
    "Đắk Song",
    "Krông Nô",
    "Tuy Đức",
];

/// Text queries (folded or with marks) and filters, as people use the gallery.
fn queries() -> Vec<GalleryQuery> {
    let text = |t: &str| GalleryQuery {
        text: t.into(),
        limit: 20,
        ..Default::default()
    };
    vec![
        text("dan van kheo"),
        text("Dân vận khéo"),
        text("mot cua than thien"),
        text("cong chieng"),
        text("krong no"),
        text("an ninh trat tu"),
        text("hien dat lam duong"),
        text("ca phe ben vung"),
        text("xyzzy khong co"),
        GalleryQuery {
            field: Some(Field::Economy),
            limit: 20,
            ..Default::default()
        },
        GalleryQuery {
            year: Some(2018),
            unit_id: Some(7),
            limit: 20,
            ..Default::default()
        },
        GalleryQuery {
            text: "dan van kheo".into(),
            field: Some(Field::CultureSociety),
            year: Some(2021),
            limit: 20,
            ..Default::default()
        },
        GalleryQuery {
            limit: 20,
            offset: 2_000,
            ..Default::default()
        },
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn build(store: &Store, count: i64) {
    let actor = Actor::system("bench");
    let mut units = Vec::new();
    for i in 0..AGENCIES {
        let unit = NewUnit {
            code: format!("U{i:03}"),
            name: format!("UBND xã số {i} huyện {}", PLACES[(i % 8) as usize]),
            short_name: format!("Xã {i}"),
            kind: UnitKind::CommuneCommittee,
            parent_id: None,
            group_id: None,
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        };
        units.push(store.create_unit(&actor, &unit).await.unwrap());
    }
    let started = Instant::now();
    for n in 0..count {
        let year = 2018 + (n % 6) as i32;
        let day = time::Date::from_ordinal_date(year, 1 + (n * 37 % 300) as u16).unwrap();
        let initiative = NewInitiative {
            unit_id: units[(n % AGENCIES) as usize],
            kind: if n % 7 == 0 { Kind::Individual } else { Kind::Collective },
            field: Field::ALL[(n % 4) as usize],
            name: format!("{} ({})", NAMES[(n % NAMES.len() as i64) as usize], n),
            area: format!("Thôn {} xã {} huyện {}", n % 12, n % 71, PLACES[(n % 8) as usize]),
            beneficiaries: "Nhân dân, đồng bào dân tộc thiểu số tại chỗ".into(),
            led_by: format!("Người chủ trì {n}"),
            members: "Cán bộ, công chức xã; người có uy tín".into(),
            situation: "Thực trạng ở địa phương đòi hỏi cách làm mới, gần dân.".into(),
            goals: "Nâng cao đời sống, sự đồng thuận của nhân dân.".into(),
            criteria: "Số hộ tham gia; mức độ hài lòng.".into(),
            content: NAMES[((n * 5 + 3) % NAMES.len() as i64) as usize].into(),
            resources: "Ngân sách xã, đóng góp của nhân dân.".into(),
            starts_on: day,
            ends_on: day + time::Duration::days(200),
            outputs: "Mô hình được nhân dân đồng tình hưởng ứng.".into(),
            sustainability: "Duy trì hằng năm, nhân rộng.".into(),
            people_public: n % 3 == 0,
            registered_on: day,
            replicated_from: None,
        };
        store.register_initiative(&actor, &initiative).await.unwrap();
        if (n + 1) % 10_000 == 0 {
            eprintln!("  {} initiatives, {:.0} s", n + 1, started.elapsed().as_secs_f64());
        }
    }
    store
        .execute_raw_for_tests(
            "update initiative set stage = 'recognised', recognised_level = 'province', \
             recognised_decision = '1/QĐ-UBND', recognised_on = substr(registered_on, 1, 4) || '-12-10' \
             where initiative_id % 10 <> 0",
        )
        .await
        .unwrap();
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: i64 = std::env::var("DANVAN_BENCH_INITIATIVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("gallery-bench-{count}.db"));
    let store = Store::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4)
        .await
        .expect("open bench database");
    store.migrate().await.expect("migrate");
    if store.meta("bench_initiatives").await.expect("meta").as_deref() != Some(&count.to_string()) {
        eprintln!("building {count} initiatives in {} (once)…", path.display());
        build(&store, count).await;
        store.optimize().await.expect("analyze");
        store
            .set_meta("bench_initiatives", &count.to_string())
            .await
            .expect("meta");
    }
    let queries = queries();
    for query in &queries {
        store.gallery(query).await.expect("gallery");
    }
    let rounds = 30;
    let mut search = Vec::new();
    let mut lookup = Vec::new();
    let mut matched = Vec::new();
    let mut per_kind = vec![Vec::new(); queries.len()];
    for round in 0..rounds {
        for (i, query) in queries.iter().enumerate() {
            let started = Instant::now();
            let (total, page) = store.gallery(query).await.expect("gallery");
            search.push(started.elapsed());
            per_kind[i].push(started.elapsed());
            if round == 0 {
                matched.push(total);
            }
            std::hint::black_box(page);
            let id = 1 + ((round * queries.len() + i) as i64 * 7919 % count);
            let started = Instant::now();
            std::hint::black_box(store.initiative(id).await.expect("lookup"));
            lookup.push(started.elapsed());
        }
    }
    search.sort();
    lookup.sort();
    for (query, mut times) in queries.iter().zip(per_kind) {
        times.sort();
        eprintln!("  {:>8} median for {query:?}", ms(percentile(&times, 0.5)));
    }
    println!(
        "{count} initiatives (9 in 10 recognised), {} gallery queries of {} kinds; matches per kind: {matched:?}",
        search.len(),
        queries.len()
    );
    println!("| operation | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| initiative by id (floor) | {} | {} |",
        ms(percentile(&lookup, 0.5)),
        ms(percentile(&lookup, 0.99))
    );
    println!(
        "| gallery (page of 20 and the count) | {} | {} |",
        ms(percentile(&search, 0.5)),
        ms(percentile(&search, 0.99))
    );
}
