//! Dumps the parser's whole output for every corpus text (local tool, not committed).
use std::path::PathBuf;
fn main() {
    let mut paths = Vec::new();
    for dir in [
        PathBuf::from("/work/shared/corpus"),
        PathBuf::from("/work/shared/seed"),
        PathBuf::from("/tmp/base/crates/danvan-docparse/corpus"),
    ] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap();
        println!("== {}\n{:#?}", p.display(), danvan_docparse::parse_bytes(&bytes));
    }
}
