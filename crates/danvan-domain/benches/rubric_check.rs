//! Checking a rubric file grows linearly with its size: 10,000 and 40,000 criteria (parents of
//! nine children each, with per-kind maximums and a band per kind), each beside the TOML reader
//! alone on the same text (the floor: no check can read the file without it).
//!
//! `cargo bench -p danvan-domain --bench rubric_check`

use std::fmt::Write;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// A rubric of `criteria` criteria: parents worth 9 points over nine 1-point children.
fn rubric(criteria: usize) -> String {
    let parents = criteria / 10;
    let mut text = String::from(
        "[rubric]\ncode = \"BENCH\"\ntitle = \"Bộ tiêu chí đo hiệu năng\"\nvalid_from = \"2025-07-01\"\n\
         rescale_to = 100\n\n",
    );
    for p in 0..parents {
        let _ = write!(
            text,
            "[[criteria]]\nid = \"{p}\"\ntitle = \"Tiêu chí {p}\"\nmax = 9\nmax_for = {{ commune_committee = 9 }}\n\n"
        );
        for c in 0..9 {
            let _ = write!(
                text,
                "[[criteria.children]]\nid = \"{p}.{c}\"\ntitle = \"Tiêu chí thành phần {p}.{c}\"\nmax = 1\n\
                 applies_to = [\"department\", \"commune_committee\"]\n\n"
            );
        }
    }
    text.push_str(
        "[[bands]]\ncode = \"tot\"\ntitle = \"Tốt\"\nmin = 70\nmin_for = { commune_committee = 65 }\nmin_share = 50\n\n\
         [[bands]]\ncode = \"dat\"\ntitle = \"Đạt\"\nmin = 0\n",
    );
    text
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("rubric_check");
    group.sample_size(10);
    for criteria in [10_000usize, 40_000] {
        let text = rubric(criteria);
        assert!(danvan_domain::rubric::check(&text, Some(&[])).is_ok());
        group.throughput(Throughput::Elements(criteria as u64));
        group.bench_with_input(BenchmarkId::new("toml_read (floor)", criteria), &text, |b, text| {
            b.iter(|| black_box(toml::from_str::<toml::Table>(black_box(text)).is_ok()))
        });
        group.bench_with_input(BenchmarkId::new("check", criteria), &text, |b, text| {
            b.iter(|| black_box(danvan_domain::rubric::check(black_box(text), Some(&[])).is_ok()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
