//! PDFs read as officials receive them: documents laid out as Nghị định 30/2020 prescribes (the
//! two-column header table, the signature table) are written as .docx from the shared corpus's
//! texts and expected fields, converted to PDF by LibreOffice (`soffice --headless`, which
//! `scripts/test` installs), read back through danvan's reader and scored field by field against
//! the labels, as the texts are. A signed PDF is made with OpenSSL's `cms` command and its
//! signature reported; a copy changed after signing is caught.

use std::path::PathBuf;

use danvan_web::docx::{self, Align, Block, Run};

#[allow(dead_code, reason = "each user of the helpers takes some")]
mod soffice;

#[macro_use]
#[allow(dead_code)]
mod support;
use serde_json::Value;
use soffice::{append_object, sign, to_pdf};

fn shared() -> PathBuf {
    std::env::var_os("DANVAN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
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

/// A string as the corpus README compares it (the docparse corpus test's rule).
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
    let text = text.trim_end_matches([';', '.', ',', ':']).trim_end();
    text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
}

fn same(expected: &Value, parsed: &Value) -> bool {
    match (expected, parsed) {
        (Value::String(e), Value::String(p)) => fold(e) == fold(p),
        (Value::Array(e), Value::Array(p)) => e.len() == p.len() && e.iter().zip(p).all(|(e, p)| same(e, p)),
        (Value::Object(e), Value::Object(p)) => e.iter().all(|(k, v)| same(v, p.get(k).unwrap_or(&Value::Null))),
        (e, p) => e == p,
    }
}

fn text_of(value: &Value) -> String {
    value.as_str().unwrap_or("").to_owned()
}

/// The body of a corpus text: the lines after its heading, addressees and subject, before its
/// distribution list or signature.
fn body_lines(text: &str, expected: &Value) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let folded: Vec<String> = lines.iter().map(|l| fold(l)).collect();
    // The heading ends with the date line, the subject's last words, and the addressees.
    let subject = fold(&text_of(&expected["subject"]));
    let subject_tail: String = subject
        .split(' ')
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join(" ");
    let place = fold(&text_of(&expected["place"]));
    let date_at = folded
        .iter()
        .take(30)
        .position(|l| l.contains("ngày") && (place.is_empty() || l.contains(&place)));
    let subject_at = (!subject_tail.is_empty())
        .then(|| folded.iter().take(40).position(|l| l.contains(&subject_tail)))
        .flatten();
    let mut start = date_at.max(subject_at).map_or(0, |i| i + 1);
    let addressed = folded.iter().position(|l| l.starts_with("kính gửi"));
    if let Some(at) = addressed.filter(|at| *at + 1 >= start && *at < start + 8) {
        let mut end = at + 1;
        let recipients = expected["recipients"].as_array().map(Vec::len).unwrap_or(0);
        if recipients > 1
            || !folded[at]
                .trim_start_matches("kính gửi")
                .trim_start_matches(':')
                .trim()
                .is_empty()
        {
            let mut seen = 0;
            while end < lines.len() && seen < recipients && folded[at].len() <= "kính gửi:".len() + 2 {
                if !folded[end].is_empty() {
                    seen += 1;
                }
                end += 1;
            }
        }
        start = start.max(end);
    }
    let authority = fold(&text_of(&expected["signer_authority"]));
    let title = fold(&text_of(&expected["signer_title"]));
    let end = (start..lines.len())
        .find(|&i| {
            let l = &folded[i];
            l.starts_with("nơi nhận")
                || (!authority.is_empty()
                    && l.starts_with(authority.split(' ').next().unwrap_or(""))
                    && authority.starts_with(l.as_str()))
                || (!title.is_empty() && *l == title)
        })
        .unwrap_or(lines.len());
    lines[start.min(end)..end]
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.replace("**", ""))
        .collect()
}

fn date_line(expected: &Value) -> String {
    let date = text_of(&expected["date"]);
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    let place = text_of(&expected["place"]);
    match parts.as_slice() {
        [y, m, d] => format!("{place}, ngày {d:02} tháng {m:02} năm {y}"),
        _ => place,
    }
}

/// A Nghị định 30 document built from a corpus text and its labels.
fn nd30_docx(text: &str, expected: &Value) -> Vec<u8> {
    let kind = text_of(&expected["doc_type"]);
    let dispatch = kind == "Công văn" || kind.is_empty();
    let mut left = Vec::new();
    if let Some(parent) = expected["parent_issuer"].as_str() {
        left.push(Block::para(
            Align::Center,
            vec![Run::plain(parent.to_uppercase()).sized(13)],
        ));
    }
    left.push(Block::para(
        Align::Center,
        vec![Run::bold(text_of(&expected["issuer"]).to_uppercase()).sized(13)],
    ));
    let right = vec![
        Block::para(
            Align::Center,
            vec![Run::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").sized(13)],
        ),
        Block::para(Align::Center, vec![Run::bold(docx::MOTTO).sized(14)]),
    ];
    let number = match (expected["number"].as_str(), expected["symbol"].as_str()) {
        (Some(n), Some(s)) => format!("Số: {n}/{s}"),
        (None, Some(s)) => format!("Số: /{s}"),
        _ => "Số:".to_owned(),
    };
    let mut number_cell = vec![Block::para(Align::Center, vec![Run::plain(number).sized(13)])];
    if dispatch {
        number_cell.push(Block::para(
            Align::Center,
            vec![Run::plain(format!("V/v {}", text_of(&expected["subject"]))).sized(12)],
        ));
    }
    let mut blocks = vec![Block::Table {
        widths: vec![3402, 6236],
        borders: false,
        header_rows: 0,
        rows: vec![
            vec![left, right],
            vec![
                number_cell,
                vec![Block::para(Align::Center, vec![Run::italic(date_line(expected))])],
            ],
        ],
    }];
    blocks.push(Block::Space { lines: 1 });
    if !dispatch {
        blocks.push(Block::para(Align::Center, vec![Run::bold(kind.to_uppercase())]));
        let subject = text_of(&expected["subject"]);
        if !subject.is_empty() {
            blocks.push(Block::para(Align::Center, vec![Run::bold(subject)]));
        }
    }
    if let Some(recipients) = expected["recipients"].as_array().filter(|r| !r.is_empty()) {
        if recipients.len() == 1 {
            blocks.push(Block::para(
                Align::Center,
                vec![Run::plain(format!("Kính gửi: {}.", text_of(&recipients[0])))],
            ));
        } else {
            blocks.push(Block::para(Align::Center, vec![Run::plain("Kính gửi:")]));
            for r in recipients {
                blocks.push(Block::para(
                    Align::Center,
                    vec![Run::plain(format!("- {};", text_of(r)))],
                ));
            }
        }
    }
    for line in body_lines(text, expected) {
        blocks.push(Block::body(vec![Run::plain(line)]));
    }
    let mut authority: Vec<String> = text_of(&expected["signer_authority"])
        .lines()
        .map(str::to_owned)
        .collect();
    authority.retain(|l| !l.trim().is_empty());
    let recipients: Vec<String> = expected["distribution"]
        .as_array()
        .map(|d| d.iter().map(text_of).collect())
        .unwrap_or_default();
    let signature = docx::Signature {
        recipients,
        authority,
        title: text_of(&expected["signer_title"]),
        name: text_of(&expected["signer_name"]),
    };
    blocks.push(docx::signature_block(&signature));
    docx::document(&blocks).expect("a document")
}

fn corpus_documents() -> Vec<(String, String, Value)> {
    let mut documents = Vec::new();
    for dir in [shared().join("seed"), shared().join("corpus")] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        entries.sort();
        for json in entries {
            let expected: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            let text = std::fs::read_to_string(json.with_extension("txt")).unwrap();
            documents.push((json.file_stem().unwrap().to_string_lossy().into_owned(), text, expected));
        }
    }
    documents
}

#[test]
fn nd30_pdfs_made_from_the_corpus_read_field_by_field_like_the_texts() {
    let dir = std::env::temp_dir().join(format!("danvan-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let documents = corpus_documents();
    assert!(documents.len() >= 15, "the seed and the shared corpus");
    let files: Vec<(String, Vec<u8>)> = documents
        .iter()
        .map(|(id, text, expected)| (id.clone(), nd30_docx(text, expected)))
        .collect();
    let pdfs = to_pdf(&dir, &files);
    // The same document read from its .docx is the measure: the PDF must lose nothing the
    // Word file gives (the body lines come from the corpus texts by this test's rough cut, so
    // some fields are wrong in both), and both are scored against the labels.
    let (mut pdf_right, mut docx_right, mut all) = (0usize, 0usize, 0usize);
    let mut lost = Vec::new();
    for (((id, _, expected), pdf), (_, docx)) in documents.iter().zip(&pdfs).zip(&files) {
        let bytes = std::fs::read(pdf).unwrap();
        let from_pdf = danvan_docparse::read_bytes(&bytes).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        let from_pdf = serde_json::to_value(&from_pdf).unwrap();
        let from_docx = serde_json::to_value(danvan_docparse::read_bytes(docx).unwrap()).unwrap();
        for field in FIELDS {
            all += 1;
            let pdf_ok = same(&expected[field], &from_pdf[field]);
            let docx_ok = same(&expected[field], &from_docx[field]);
            pdf_right += usize::from(pdf_ok);
            docx_right += usize::from(docx_ok);
            if docx_ok && !pdf_ok {
                lost.push(format!(
                    "{id} {field}:\n    expected {}\n    from PDF {}",
                    expected[field], from_pdf[field]
                ));
            }
        }
    }
    for miss in &lost {
        println!("LOST {miss}");
    }
    let percent = |n: usize| n as f64 / all as f64 * 100.0;
    println!(
        "fields right: from the PDFs {pdf_right}/{all} = {:.1} %, from the same .docx files {docx_right}/{all} = {:.1} %",
        percent(pdf_right),
        percent(docx_right)
    );
    // Known and left: a signature line too long for its cell wraps in the PDF ("TM. ỦY BAN
    // THƯỜNG VỤ QUỐC" / "HỘI"), and nothing on the page says whether a line in a cell is wrapped
    // or a paragraph of its own (the .docx says so); the parser's joining of authority lines is
    // issue 13's. At most those three fields (011's name and title, 030's title) may be lost.
    assert!(
        lost.len() <= 3,
        "{} fields the .docx gives are lost in the PDF",
        lost.len()
    );
    assert!(
        percent(pdf_right) >= 95.0,
        "PDF field accuracy {:.1} %",
        percent(pdf_right)
    );
}

#[test]
fn a_signed_pdf_reports_its_signer_and_time_and_a_change_after_signing_is_caught() {
    let dir = std::env::temp_dir().join(format!("danvan-signed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (id, text, expected) = corpus_documents().remove(0);
    let pdf = std::fs::read(&to_pdf(&dir, &[(id, nd30_docx(&text, &expected))])[0]).unwrap();
    assert!(
        danvan_docparse::pdf::signatures(&pdf).is_empty(),
        "an unsigned PDF has no signature"
    );
    let signed = sign(&dir, &pdf, "Lê Trọng Yên");

    let found = danvan_docparse::pdf::signatures(&signed);
    assert_eq!(found.len(), 1, "{found:?}");
    let signature = &found[0];
    assert_eq!(signature.signer.as_deref(), Some("Lê Trọng Yên"));
    assert_eq!(signature.organisation.as_deref(), Some("Ủy ban nhân dân tỉnh Đắk Nông"));
    assert!(
        signature.signed_at.as_deref().is_some_and(|t| t.ends_with("(UTC)")),
        "{signature:?}"
    );
    assert!(!signature.changed_after);
    assert_eq!(signature.digest_matches, Some(true));
    assert_eq!(signature.signature_valid, Some(true));
    assert_eq!(signature.later_signatures, 0);
    assert!(signature.intact());

    // The signature value altered (its last byte, inside /Contents): the digest still matches
    // but the signature no longer holds with the certificate's key.
    let mut forged = signed.clone();
    let hole = forged.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 11;
    // The DER ends where the zero padding before '>' begins.
    let close = hole + forged[hole..].iter().position(|b| *b == b'>').unwrap();
    let hex_end = close - forged[hole..close].iter().rev().take_while(|b| **b == b'0').count();
    // Keep the byte pair whole: alter the high digit of the last byte.
    let last = &mut forged[hex_end - 2 + usize::from(hex_end % 2 != hole % 2)];
    *last = if *last == b'A' { b'B' } else { b'A' };
    let signature = &danvan_docparse::pdf::signatures(&forged)[0];
    assert_eq!(signature.digest_matches, Some(true));
    assert_eq!(signature.signature_valid, Some(false));
    assert!(!signature.intact());

    // A second signature over the whole file (the agency's seal after the signer's): the first
    // is not "changed", it has a later signature.
    let twice = sign(&dir, &signed, "Ủy ban nhân dân tỉnh Đắk Nông");
    let both = danvan_docparse::pdf::signatures(&twice);
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(!both[0].changed_after && both[0].later_signatures == 1 && both[0].digest_matches == Some(true));
    assert!(both[1].intact() && both[1].later_signatures == 0);
    // The signed file still reads as its document.
    let parsed = danvan_docparse::read_bytes(&signed).unwrap();
    assert_eq!(parsed.number.as_deref(), Some("2071"));

    // A byte changed inside the signed range: the digest no longer holds.
    // (the binary comment on the file's second line: the file still opens).
    let mut tampered = signed.clone();
    let at = tampered.iter().position(|b| *b == b'\n').unwrap() + 2;
    assert!(tampered[at] >= 0x80, "LibreOffice writes a binary comment there");
    tampered[at] ^= 1;
    let signature = &danvan_docparse::pdf::signatures(&tampered)[0];
    assert_eq!(signature.digest_matches, Some(false));
    assert!(!signature.intact());

    // An update appended after signing.
    let updated = append_object(&signed, "<< /Note (added later) >>");
    let signature = &danvan_docparse::pdf::signatures(&updated)[0];
    assert!(signature.changed_after);
    assert!(!signature.intact());
}

#[test]
fn a_pdf_without_text_is_refused_as_a_scan_and_a_broken_one_as_corrupt() {
    // A page that only draws (a scanner's PDF holds an image there): no text layer.
    use pdf_extract::{Dictionary, Document, Object, Stream};
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let content = document.add_object(Stream::new(Dictionary::new(), b"0 0 m 100 100 l S".to_vec()));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set("Contents", Object::Reference(content));
    page.set(
        "MediaBox",
        Object::Array([0, 0, 595, 842].map(Object::Integer).to_vec()),
    );
    let page_id = document.add_object(page);
    let mut pages = Dictionary::new();
    pages.set("Type", Object::Name(b"Pages".to_vec()));
    pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    pages.set("Count", Object::Integer(1));
    document.objects.insert(pages_id, Object::Dictionary(pages));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = document.add_object(catalog);
    document.trailer.set("Root", Object::Reference(catalog_id));
    let mut blank = Vec::new();
    document.save_to(&mut blank).unwrap();
    let blank = blank.as_slice();
    assert_eq!(
        danvan_docparse::read_bytes(blank).err(),
        Some(danvan_docparse::Unreadable::Scan)
    );
    let message = danvan_web::library::ImportError::Unreadable(danvan_docparse::Unreadable::Scan).message();
    assert!(message.contains("bản quét"), "{message}");
    assert_eq!(
        danvan_docparse::read_bytes(b"%PDF-1.7\n\x00\x01garbage").err(),
        Some(danvan_docparse::Unreadable::CorruptPdf)
    );
}

/// A signed PDF through the upload: read for review like a text, and once saved, its page says
/// who signed it and that it is unchanged.
async fn a_signed_pdf_is_uploaded_reviewed_and_its_signature_shown(app: support::TestApp) {
    let dir = std::env::temp_dir().join(format!(
        "danvan-upload-pdf-{}-{}",
        std::process::id(),
        app.store.backend().name()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (id, text, expected) = corpus_documents().remove(0);
    let pdf = std::fs::read(&to_pdf(&dir, &[(id, nd30_docx(&text, &expected))])[0]).unwrap();
    let signed = sign(&dir, &pdf, "Lê Trọng Yên");
    let monitor = app.login_as(danvan_domain::Role::Monitor).await;
    let review = monitor
        .post_multipart(
            "/documents/preview",
            true,
            &[("file", Some("2071-UBND-NC.pdf"), &signed)],
        )
        .await;
    assert_eq!(review.status, axum::http::StatusCode::OK, "{}", review.body);
    assert_eq!(support::input_value(&review.body, "number"), "2071");
    assert_eq!(support::input_value(&review.body, "symbol"), "UBND-NC");
    // Saved through the import (the same reading), then shown.
    let importer = danvan_app::User::system("test", danvan_domain::Role::Monitor, None);
    let outcome = danvan_web::library::import_bytes(&app.store, &importer, &signed, "2071-UBND-NC.pdf")
        .await
        .unwrap();
    let danvan_web::library::ImportOutcome::Imported(document) = outcome else {
        panic!("{outcome:?}")
    };
    let page = monitor.get(&format!("/documents/{document}")).await;
    assert!(
        page.body
            .contains("Chữ ký số của Lê Trọng Yên (Ủy ban nhân dân tỉnh Đắk Nông)")
            && page.body.contains("nội dung không thay đổi từ khi ký"),
        "{}",
        page.body
    );
    let file = monitor.get(&format!("/documents/{document}/file")).await;
    assert_eq!(file.header("content-type"), "application/pdf");
    let _ = std::fs::remove_dir_all(&dir);
}

on_both_backends!(a_signed_pdf_is_uploaded_reviewed_and_its_signature_shown);
