//! Per-document parse time (local tool, not committed).
use std::path::PathBuf;
fn main() {
    let mut paths = Vec::new();
    for dir in [
        "/work/shared/corpus",
        "/work/shared/seed",
        "/work/main/crates/danvan-docparse/corpus",
    ] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p: PathBuf = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                paths.push(p);
            }
        }
    }
    let mut rows = Vec::new();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..20 {
            std::hint::black_box(danvan_docparse::parse_bytes(&bytes));
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / 20.0;
        rows.push((
            us / bytes.len() as f64 * 1000.0,
            us,
            bytes.len(),
            p.display().to_string(),
        ));
    }
    rows.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
    let total: f64 = rows.iter().map(|r| r.1).sum();
    println!("total {total:.0} us");
    for r in rows.iter().take(25) {
        println!("{:8.1} ns/B {:8.0} us {:7} B {}", r.0, r.1, r.2, r.3);
    }
}
