//! Search latency over a synthetic library of 100,000 documents on SQLite and on PostgreSQL, with
//! a point lookup of one document by id in the same run as the floor.
//!
//! `cargo bench -p danvan-store --bench search` (DANVAN_BENCH_DOCS changes the size;
//! DANVAN_BENCH_SQLITE_ONLY skips PostgreSQL, which is DANVAN_TEST_POSTGRES_URL, schema
//! `bench_search_<count>`). Each library is built once, through the ordinary `save_document`, and
//! reused.

use std::time::{Duration, Instant};

use danvan_store::{Actor, NewDocument, Store};
use time::Date;

const WORDS: &[&str] = &[
    "dân",
    "vận",
    "khéo",
    "chính",
    "quyền",
    "cơ",
    "quan",
    "hành",
    "chính",
    "nhà",
    "nước",
    "tỉnh",
    "huyện",
    "xã",
    "thực",
    "hiện",
    "nhiệm",
    "vụ",
    "kế",
    "hoạch",
    "triển",
    "khai",
    "báo",
    "cáo",
    "kết",
    "quả",
    "đánh",
    "giá",
    "xếp",
    "loại",
    "tiêu",
    "chí",
    "thang",
    "điểm",
    "cán",
    "bộ",
    "công",
    "chức",
    "viên",
    "chức",
    "đào",
    "tạo",
    "bồi",
    "dưỡng",
    "nghiệp",
    "vụ",
    "tuyên",
    "truyền",
    "phổ",
    "biến",
    "quán",
    "triệt",
    "nghị",
    "quyết",
    "chỉ",
    "thị",
    "phong",
    "trào",
    "thi",
    "đua",
    "mô",
    "hình",
    "điển",
    "hình",
    "nhân",
    "rộng",
    "đời",
    "sống",
    "nhân",
    "dân",
    "an",
    "ninh",
    "quốc",
    "phòng",
    "kinh",
    "tế",
    "văn",
    "hóa",
    "xã",
    "hội",
    "giáo",
    "dục",
    "y",
    "tế",
    "môi",
    "trường",
    "đất",
    "đai",
    "nông",
    "nghiệp",
    "giao",
    "thông",
    "xây",
    "dựng",
    "tài",
    "chính",
    "ngân",
    "sách",
    "đầu",
    "tư",
    "công",
    "nghệ",
    "thông",
    "tin",
    "cải",
    "cách",
    "thủ",
    "tục",
    "một",
    "cửa",
    "tiếp",
    "công",
    "dân",
    "khiếu",
    "nại",
    "tố",
    "cáo",
    "đồng",
    "bào",
    "dân",
    "tộc",
    "thiểu",
    "số",
    "tôn",
    "giáo",
    "Đắk",
    "Nông",
    "Gia",
    "Nghĩa",
    "Cư",
    "Jút",
    "Đắk",
    "Mil",
    "Krông",
    "Nô",
    "Tuy",
    "Đức",
    "Đắk",
    "Song",
];
const ISSUERS: &[&str] = &[
    "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG",
    "SỞ NỘI VỤ",
    "BỘ NỘI VỤ",
    "TỈNH ỦY ĐẮK NÔNG",
    "BỘ Y TẾ",
];
const SYMBOLS: &[&str] = &[
    "UBND-NC",
    "QĐ-UBND",
    "KH-UBND",
    "SNV-XDCQ",
    "BNV-CQĐP",
    "CT-TU",
    "BYT-KCB",
];
const QUERIES: &[&str] = &[
    "dan van kheo",
    "dak nong",
    "cai cach thu tuc",
    "tiep cong dan",
    "dao tao boi duong",
    "xep loai tieu chi",
    "mo hinh dien hinh",
    "gia nghia",
    "ton giao dan toc",
    "ngan sach dau tu",
    "khieu nai to cao",
    "quoc phong an ninh",
    "Dân vận khéo",
    "ĐẮK NÔNG",
    "phong trào thi đua",
    "2071",
    "cong nghe thong tin",
    "moi truong dat dai",
    "krong no",
    "chinh quyen co so",
    "krong bong",
    "tuy duc dan van",
    "Đắk Glong",
    "cu jut ket qua",
];

/// Places named in a few documents each (30, 120, 210 and 300 of them).
const RARE_PLACES: &[&str] = &["Krông Bông", "Tuy Đức", "Đắk Glong", "Cư Jút"];

/// A small deterministic generator, so that every run builds the same library.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }

    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.pick(WORDS)).collect::<Vec<_>>().join(" ")
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::var("DANVAN_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("search-bench-{count}.db"));
    let sqlite = Store::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4)
        .await
        .expect("open bench database");
    measure("SQLite", &sqlite, count).await;
    if std::env::var_os("DANVAN_BENCH_SQLITE_ONLY").is_some() {
        return;
    }
    let postgres = danvan_store::test_support::postgres_bench_store(&format!("bench_search_{count}")).await;
    measure("PostgreSQL", &postgres, count).await;
}

/// Builds the library in `store` once, then measures its searches beside the floor.
async fn measure(name: &str, store: &Store, count: usize) {
    store.migrate().await.expect("migrate");
    if store.meta("bench_documents").await.expect("meta").as_deref() != Some(&count.to_string()) {
        eprintln!("building a library of {count} documents on {name} (once)…");
        let actor = Actor::system("bench");
        let mut rng = Rng(0x5eed_d0c5);
        let started = Instant::now();
        for i in 0..count {
            let year = 2015 + (rng.next() % 10) as i32;
            let date = Date::from_ordinal_date(year, 1 + (rng.next() % 365) as u16).expect("valid day");
            let doc = NewDocument {
                doc_type: Some("Công văn".into()),
                number: Some(format!("{}", i + 1)),
                symbol: Some(rng.pick(SYMBOLS).to_owned()),
                issuer: Some(rng.pick(ISSUERS).to_owned()),
                issued_on: Some(date),
                subject: Some(rng.words(12)),
                body_text: rng.words(180),
                recipients: vec!["Các Sở, Ban, ngành".into()],
                ..NewDocument::default()
            };
            store
                .save_document(&actor, &doc)
                .await
                .expect("save synthetic document");
            if (i + 1) % 10_000 == 0 {
                eprintln!("  {} documents, {:.0} s", i + 1, started.elapsed().as_secs_f64());
            }
        }
        store
            .set_meta("bench_documents", &count.to_string())
            .await
            .expect("meta");
    }
    // Rarer words, so that some queries match fewer documents than the search window (where
    // relevance over every match is required): each place appears in a few hundred documents at
    // most, some of them naming it several times.
    if store.meta("bench_rare_places").await.expect("meta").as_deref() != Some("1") {
        let actor = Actor::system("bench");
        let mut rng = Rng(0x0dd_ba11);
        for (p, place) in RARE_PLACES.iter().enumerate() {
            for i in 0..(30 + 90 * p) {
                let repeats = 1 + (rng.next() % 5) as usize;
                let length = 120 + (rng.next() % 200) as usize;
                let doc = NewDocument {
                    doc_type: Some("Báo cáo".into()),
                    number: Some(format!("{}-{i}", 900 + p)),
                    symbol: Some("BC-UBND".into()),
                    issuer: Some(rng.pick(ISSUERS).to_owned()),
                    issued_on: Some(Date::from_ordinal_date(2024, 1 + (i % 365) as u16).expect("valid day")),
                    subject: Some(format!("Kết quả công tác dân vận tại {place}")),
                    body_text: format!("{} {}", vec![*place; repeats].join(", "), rng.words(length)),
                    ..NewDocument::default()
                };
                store.save_document(&actor, &doc).await.expect("save rare document");
            }
        }
        store.set_meta("bench_rare_places", "1").await.expect("meta");
    }
    // What the server does every ten minutes (see `Store::optimize`): without the planner's
    // statistics, PostgreSQL guesses how many documents a word is in.
    store.optimize().await.expect("analyze");
    // Warm the caches, then measure.
    for query in QUERIES {
        store.search_documents(query, 20).await.expect("search");
    }
    let rounds = 25;
    let mut search = Vec::new();
    let mut lookup = Vec::new();
    for round in 0..rounds {
        for (i, query) in QUERIES.iter().enumerate() {
            let started = Instant::now();
            let hits = store.search_documents(query, 20).await.expect("search");
            search.push(started.elapsed());
            std::hint::black_box(hits);
            let id = 1 + ((round * QUERIES.len() + i) * 7919 % count) as i64;
            let started = Instant::now();
            std::hint::black_box(store.document(id).await.expect("lookup"));
            lookup.push(started.elapsed());
        }
    }
    // Relevance: where fewer than the search window match, the first 20 are those of a ranking
    // over every match.
    let mut checked = Vec::new();
    for query in QUERIES {
        let (matches, fully_ranked) = store.search_fully_ranked(query, 20).await.expect("full ranking");
        if matches < 500 {
            let ids: Vec<i64> = store
                .search_documents(query, 20)
                .await
                .expect("search")
                .iter()
                .map(|(d, _)| d.id)
                .collect();
            assert_eq!(ids, fully_ranked, "{query}: the first 20 differ from the full ranking");
            checked.push(format!("{query} ({matches})"));
        } else {
            // Many matches: the most recently added first.
            let ids: Vec<i64> = store
                .search_documents(query, 20)
                .await
                .expect("search")
                .iter()
                .map(|(d, _)| d.id)
                .collect();
            assert!(ids.len() == 20 && ids.windows(2).all(|w| w[0] > w[1]), "{query}");
        }
    }
    println!(
        "relevance: the first 20 equal the full bm25 ranking for every query with fewer than 500 matches: {}",
        checked.join(", ")
    );
    search.sort();
    lookup.sort();
    println!(
        "{name}: {} documents, {} searches of {} queries (top 20 with text for snippets)",
        count,
        search.len(),
        QUERIES.len()
    );
    println!("| operation | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| document by id (floor) | {} | {} |",
        ms(percentile(&lookup, 0.5)),
        ms(percentile(&lookup, 0.99))
    );
    println!(
        "| search_documents | {} | {} |",
        ms(percentile(&search, 0.5)),
        ms(percentile(&search, 0.99))
    );
}
