//! Reading a signed 5 MB PDF as one arrives from the e-office: a long document made by
//! LibreOffice from the seed's text repeated (pages of text, every one read), an image stream of a
//! scanned appendix added to reach 5 MB, the whole signed by OpenSSL (`tests/soffice`); its text
//! read and parsed (`read_bytes`, the decompression-bomb check included), and its signature
//! reported (`pdf::signatures`, the digest of the signed 5 MB and the signature value checked).
//! In the same run, the floors: SHA-256 of the file's bytes, and loading the file's objects alone
//! (lopdf, what both steps start with).
//!
//! `cargo bench -p danvan-web --bench pdf` (needs soffice and openssl, as the tests do).

use std::time::{Duration, Instant};

use danvan_web::docx::{self, Align, Block, Run};
use sha2::Digest as _;

#[path = "../tests/soffice/mod.rs"]
#[allow(dead_code, reason = "the bench takes the signing and conversion helpers only")]
mod soffice;

const SEED: &str = include_str!("../../../../shared/seed/000_dc35e90df97371e2.txt");
const ROUNDS: usize = 20;
/// Copies of the seed's body after the seed: about 250 pages.
const COPIES: usize = 80;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(mut work: impl FnMut() -> T) -> (Duration, Duration) {
    let mut runs = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        std::hint::black_box(work());
        runs.push(start.elapsed());
    }
    let p90 = {
        let mut sorted = runs.clone();
        sorted.sort();
        sorted[ROUNDS * 9 / 10]
    };
    (median(runs), p90)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("danvan-bench-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paragraphs: Vec<Block> = SEED
        .lines()
        .map(|l| l.replace("**", ""))
        .filter(|l| !l.trim().is_empty())
        .map(|l| Block::para(Align::Justify, vec![Run::plain(l)]))
        .collect();
    // The seed once, then its body again and again: a long document of real text.
    let mut blocks = paragraphs.clone();
    for _ in 0..COPIES {
        blocks.extend(paragraphs[8..].iter().cloned());
    }
    let docx = docx::document(&blocks).unwrap();
    let pdf = std::fs::read(&soffice::to_pdf(&dir, &[("seed".into(), docx)])[0]).unwrap();
    println!("text PDF from LibreOffice: {:.2} MB", pdf.len() as f64 / 1_048_576.0);
    // A scanned appendix: image data in a stream (incompressible bytes) up to 5 MB in all.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let image: String = (0..(5 * 1024 * 1024usize).saturating_sub(pdf.len() + 40_000) / 2)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("{:02X}", state as u8)
        })
        .collect();
    let with_image = soffice::append_object(
        &pdf,
        &format!(
            "<< /Type /XObject /Subtype /Image /Width 1024 /Height 2560 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /ASCIIHexDecode /Length {} >>\nstream\n{image}>\nendstream",
            image.len() + 1
        ),
    );
    let signed = soffice::sign(&dir, &with_image, "Lê Trọng Yên");
    println!("signed PDF: {:.1} MB", signed.len() as f64 / 1_048_576.0);
    let found = danvan_docparse::pdf::signatures(&signed);
    assert_eq!(found.len(), 1);
    assert!(found[0].intact(), "{found:?}");
    assert_eq!(
        danvan_docparse::read_bytes(&signed).unwrap().number.as_deref(),
        Some("2071")
    );

    let show = |name: &str, (p50, p90): (Duration, Duration)| {
        println!(
            "{name:<55} p50 {:>8.1} ms  p90 {:>8.1} ms",
            p50.as_secs_f64() * 1000.0,
            p90.as_secs_f64() * 1000.0
        );
    };
    show("floor: SHA-256 of the file", time(|| sha2::Sha256::digest(&signed)));
    show(
        "floor: loading the file's objects (lopdf)",
        time(|| pdf_extract::Document::load_mem(&signed).unwrap().objects.len()),
    );
    show(
        "read_bytes: text in reading order, parsed",
        time(|| danvan_docparse::read_bytes(&signed).unwrap()),
    );
    show(
        "pdf::signatures: signer, time, digest checked",
        time(|| danvan_docparse::pdf::signatures(&signed)),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
