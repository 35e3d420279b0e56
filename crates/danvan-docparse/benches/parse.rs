//! Parsing throughput over the whole corpus (the shared corpus, the seed and the repository's
//! own `corpus/`), against a plain UTF-8 decode and
//! line split of the same bytes in the same run (the floor: no parser can read a text without
//! at least that).
//!
//! `cargo bench -p danvan-docparse --bench parse`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> Vec<Vec<u8>> {
    let shared = std::env::var_os("DANVAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let mut files = Vec::new();
    // `DANVAN_OWN_CORPUS` names another copy of the repository's corpus, so that two versions of
    // the parser can be measured over the same documents.
    let own = std::env::var_os("DANVAN_OWN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus"));
    for dir in [shared.join("corpus"), shared.join("seed"), own] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        files.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()));
    }
    assert!(!files.is_empty(), "no corpus found; set DANVAN_SHARED");
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let bytes: u64 = files.iter().map(|f| f.len() as u64).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("utf8_decode_and_line_split (floor)", |b| {
        b.iter(|| {
            let mut lines = 0usize;
            for file in &files {
                let text = std::str::from_utf8(black_box(file)).unwrap_or("");
                lines += text.lines().count();
            }
            black_box(lines)
        })
    });
    group.bench_function("parse_bytes", |b| {
        b.iter(|| {
            for file in &files {
                black_box(danvan_docparse::parse_bytes(black_box(file)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
