//! The parser never panics, whatever it is given, and says what it could not find.

use proptest::prelude::*;

/// Pieces of real documents, so that generated texts reach deep into every pass.
const FRAGMENTS: &[&str] = &[
    "Số:",
    "Số: 2071/UBND-NC",
    "SỐ 203 NQ/UBTVQH9",
    "V/v",
    "Về việc",
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "Kính gửi:",
    "Nơi nhận:",
    "- Như trên;",
    "KT.",
    "TM.",
    "TL.",
    "K.T.",
    "KT.CHỦ",
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Lê Trọng Yên",
    "Đắk Nông, ngày 25 tháng 4 năm 2022",
    "ngày",
    "tháng",
    "năm",
    "16/3/2022",
    "16-3-2022",
    "của",
    "Tỉnh ủy",
    "Chỉ thị số 14/CT-TU",
    "25-NQ/TW",
    "số",
    "1.",
    "1.1.",
    "a)",
    "I.",
    "II.",
    "-",
    "+",
    // Bullets and dashes of more than one byte, at a line's start.
    "\n•",
    "\n–",
    "\n—",
    "•",
    "|",
    "-------",
    "[1]",
    "[Nội dung này được đính chính bởi",
    "]",
    "“",
    "”",
    "(",
    ")",
    "./.",
    "Căn cứ",
    "Điều 1.",
    "ỦY BAN NHÂN DÂN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Thành phố",
    "và",
    ",",
    ";",
    ":",
    "/",
    "\u{0301}",
    "ư",
    "Đ",
    "Ỷ",
    "é",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\u{a0}",
    "0",
    "99999999999999999999",
];

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..200).prop_map(|parts| parts.join(" "))
}

proptest! {
    // 400 cases each in the suite; set PROPTEST_CASES for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let parsed = danvan_docparse::parse_bytes(&bytes);
        prop_assert!(parsed.number.is_some() || !parsed.warnings.is_empty());
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,1500}") {
        let parsed = danvan_docparse::parse_text(&text);
        prop_assert!(parsed.signer_name.is_some() || !parsed.warnings.is_empty());
    }

    #[test]
    fn documents_made_of_real_pieces_never_panic(text in document()) {
        let parsed = danvan_docparse::parse_text(&text);
        // Whatever was found is well formed.
        if let Some(symbol) = &parsed.symbol {
            prop_assert!(!symbol.is_empty());
        }
        for reference in &parsed.references {
            prop_assert!(!reference.number.is_empty() && !reference.symbol.is_empty());
        }
    }
}

/// Inputs that once crashed the parser (found by `cargo fuzz`) are replayed on every run.
#[test]
fn fuzz_regressions_replay_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for entry in std::fs::read_dir(dir).expect("regressions folder") {
        let path = entry.expect("entry").path();
        if path.file_name().is_some_and(|n| n != ".keep") {
            let _ = danvan_docparse::parse_bytes(&std::fs::read(&path).expect("readable"));
        }
    }
}
