//! The seed document in the states real files arrive in: decomposed Unicode, Windows line
//! breaks, TCVN3, VNI, a Word file. Each must read as the seed itself does.

use std::io::Write;

use crate::{ParsedDocument, legacy, parse_bytes};

fn seed() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/000_dc35e90df97371e2.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The fields that matter, with case folded (TCVN3 cannot tell capitals from small letters
/// for every vowel).
fn summary(doc: &ParsedDocument) -> String {
    let mut doc = doc.clone();
    doc.warnings.clear();
    serde_json::to_string(&doc).unwrap().to_lowercase()
}

#[test]
fn decomposed_unicode_and_windows_line_breaks_read_the_same() {
    let expected = summary(&parse_bytes(seed().as_bytes()));
    let nfd = icu_normalizer::DecomposingNormalizerBorrowed::new_nfd()
        .normalize(&seed())
        .replace('\n', "\r\n");
    assert_eq!(summary(&parse_bytes(nfd.as_bytes())), expected);
}

#[test]
fn tcvn3_and_vni_files_read_the_same() {
    let expected = summary(&parse_bytes(seed().as_bytes()));
    // Quotation marks have no TCVN3 or VNI code; old files used straight quotes.
    let text = seed().replace(['“', '”'], "\"");
    let expected_plain = expected.replace(['“', '”'], "\\\"");
    let tcvn3 = parse_bytes(&legacy::encode_tcvn3(&text));
    assert!(
        tcvn3.warnings.iter().any(|w| w.contains("TCVN3")),
        "{:?}",
        tcvn3.warnings
    );
    assert_eq!(summary(&tcvn3), expected_plain);
    let vni = parse_bytes(&legacy::encode_vni(&text));
    assert!(vni.warnings.iter().any(|w| w.contains("VNI")), "{:?}", vni.warnings);
    assert_eq!(summary(&vni), expected_plain);
}

#[test]
fn a_word_file_reads_the_same() {
    let expected = summary(&parse_bytes(seed().as_bytes()));
    let body: String = seed()
        .lines()
        .map(|line| {
            let escaped = line.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!("<w:p><w:r><w:t xml:space=\"preserve\">{escaped}</w:t></w:r></w:p>")
        })
        .collect();
    let xml = format!("<?xml version=\"1.0\"?><w:document><w:body>{body}</w:body></w:document>");
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        writer.start_file("[Content_Types].xml", options).unwrap();
        writer.write_all(b"<Types/>").unwrap();
        writer.start_file("word/document.xml", options).unwrap();
        writer.write_all(xml.as_bytes()).unwrap();
        writer.finish().unwrap();
    }
    assert_eq!(summary(&parse_bytes(&buffer.into_inner())), expected);
}
