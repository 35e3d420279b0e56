//! The parser against real documents: the seed exactly, the shared corpus field by field.
//!
//! The expected values live in `../shared` beside the repository (or where `DANVAN_SHARED`
//! says). Comparison follows the corpus README: whitespace runs folded, dash variants in symbols
//! folded, markdown emphasis ignored, letter case ignored, one trailing `;` `.` `,` `:` ignored.

use std::path::PathBuf;

use serde_json::{Value, json};

fn shared() -> PathBuf {
    std::env::var_os("DANVAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

fn parse_file(path: &std::path::Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::to_value(danvan_docparse::parse_bytes(&bytes)).expect("serialisable")
}

const FIELDS: &[&str] = &[
    "issuer",
    "parent_issuer",
    "doc_type",
    "number",
    "symbol",
    "place",
    "date",
    "subject",
    "recipients",
    "tasks",
    "references",
    "signer_name",
    "signer_title",
    "signer_authority",
    "distribution",
];

#[test]
fn the_seed_parses_to_exactly_its_expected_values() {
    let dir = shared().join("seed");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("000_dc35e90df97371e2.json")).unwrap()).unwrap();
    let parsed = parse_file(&dir.join("000_dc35e90df97371e2.txt"));
    for field in FIELDS {
        assert_eq!(parsed[field], expected[field], "field {field}");
    }
    assert_eq!(parsed["warnings"], json!([]));
}

/// A string as the corpus compares it.
fn fold(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| *c != '*')
        .map(|c| {
            if matches!(c, '–' | '—' | '‐' | '‑') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let text = text
        .strip_suffix([';', '.', ',', ':'])
        .unwrap_or(&text)
        .trim_end()
        .to_owned();
    text.replace("- ", "-").replace(" -", "-")
}

fn same(expected: &Value, parsed: &Value) -> bool {
    match (expected, parsed) {
        (Value::String(e), Value::String(p)) => fold(e) == fold(p),
        (Value::Array(e), Value::Array(p)) => e.len() == p.len() && e.iter().zip(p).all(|(e, p)| same(e, p)),
        (Value::Object(e), Value::Object(p)) => e.iter().all(|(k, v)| same(v, p.get(k).unwrap_or(&Value::Null))),
        (e, p) => e == p,
    }
}

#[test]
fn the_corpus_parses_with_at_least_98_percent_of_fields_right() {
    let dir = shared().join("corpus");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "corpus not found in {}", dir.display());
    let mut per_field = vec![(0usize, 0usize); FIELDS.len()];
    let mut misses = Vec::new();
    for json_path in &names {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(json_path).unwrap()).unwrap();
        let parsed = parse_file(&json_path.with_extension("txt"));
        let id = json_path.file_stem().unwrap().to_string_lossy().into_owned();
        for (i, field) in FIELDS.iter().enumerate() {
            per_field[i].1 += 1;
            if same(&expected[field], &parsed[field]) {
                per_field[i].0 += 1;
            } else {
                misses.push(format!(
                    "{id} {field}:\n    expected {}\n    parsed   {}",
                    expected[field], parsed[field]
                ));
            }
        }
    }
    let right: usize = per_field.iter().map(|f| f.0).sum();
    let total: usize = per_field.iter().map(|f| f.1).sum();
    println!("field accuracy over {} documents:", names.len());
    for (field, (ok, all)) in FIELDS.iter().zip(&per_field) {
        println!("  {field:<18} {ok:>3}/{all}");
    }
    let accuracy = right as f64 / total as f64 * 100.0;
    println!("  {:<18} {right:>3}/{total} = {accuracy:.1} %", "all");
    for miss in &misses {
        println!("MISS {miss}");
    }
    assert!(
        accuracy >= 98.0,
        "field accuracy {accuracy:.1} % is below 98 % ({} misses)",
        misses.len()
    );
}
