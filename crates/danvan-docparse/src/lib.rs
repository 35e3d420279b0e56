//! Reads Vietnamese administrative documents: bytes in, structure out.
//!
//! A document (Nghị định 30/2020/NĐ-CP layout, or the older and messier texts found in the
//! wild) is read into a [`ParsedDocument`]: issuing body and its parent, type, number and
//! symbol, place and date, subject, addressees, numbered items, cited documents, signature and
//! distribution list. Parsing never fails and never panics: what cannot be found is left empty
//! and named in `warnings`.
//!
//! The reader works in passes over a cleaned text (see [`normalize`]): the header (everything up
//! to the addressees), the addressees, the body and its numbered items, the closing (distribution
//! list and signature), and the citations anywhere in the text. Each pass is a set of general
//! rules about how such documents are laid out, written to cope with the two header columns run
//! together on one line, words split over lines, page breaks inside a sentence, and similar
//! accidents of conversion; none is written for one particular file.
//!
//! This crate depends on no other part of danvan and does no I/O.

mod body;
mod closing;
mod cms;
mod date;
mod docx;
mod header;
mod legacy;
pub mod normalize;
mod pandoc;
pub mod pdf;
mod references;
mod text;
#[cfg(test)]
mod variants;

use serde::Serialize;

pub use date::DocDate;

/// Decodes XML character references and the five named entities (for the web's .xlsx reader).
pub fn xml_unescape(text: &str) -> String {
    docx::unescape(text)
}

/// A document cited by number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The type word before the citation as written (`Chỉ thị`, `Công văn`), when there is one.
    pub doc_type: Option<String>,
    pub number: String,
    pub symbol: String,
    /// The first date stated for the cited document anywhere in the text.
    pub date: Option<DocDate>,
    /// The issuing body as written in the first mention that states it.
    pub issuer_text: Option<String>,
    /// The reference (index in the list) whose clause names this one as what it carries out:
    /// in "Chương trình số 26-CTr/TU ngày 04/9/2013 … về thực hiện Nghị quyết số 25-NQ/TW", the
    /// resolution is carried out by the programme. Lets a reader flag impossible dates.
    #[serde(skip)]
    pub carried_out_by: Option<usize>,
}

/// One numbered item of the body, with its sub-items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The marker as written: `1.`, `1.1.`, `a)`, `-`, `II.`.
    pub marker: String,
    /// The item's first paragraph, marker removed.
    pub text: String,
    pub children: Vec<Item>,
}

/// Everything read from one document. Field names and meanings follow the labelling
/// conventions of the shared corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedDocument {
    pub issuer: Option<String>,
    pub parent_issuer: Option<String>,
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub place: Option<String>,
    pub date: Option<DocDate>,
    pub subject: Option<String>,
    pub recipients: Vec<String>,
    /// The top-level numbered items of a dispatch or directive (their first paragraphs).
    pub tasks: Vec<String>,
    pub references: Vec<Reference>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub distribution: Vec<String>,
    /// The body's numbered items as a tree (all levels).
    #[serde(skip)]
    pub items: Vec<Item>,
    /// What could not be found or was repaired, in English, for the reviewer.
    pub warnings: Vec<String>,
    /// The cleaned text the structure was read from.
    #[serde(skip)]
    pub text: String,
}

/// The formats the reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in UTF-8, UTF-16, or a legacy Vietnamese 8-bit encoding.
    Text,
    /// A Word document (Office Open XML).
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

/// Recognises a format from the bytes themselves, never from a file name.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return docx::is_docx(bytes).then_some(Format::Docx);
    }
    // Text: no NUL bytes outside a UTF-16 byte-order mark.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || memchr::memchr(0, bytes).is_none() {
        return Some(Format::Text);
    }
    None
}

/// Why no document could be read from some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Neither text nor a Word document (binary content of another kind).
    NotADocument,
    /// A PDF that cannot be opened: corrupt, truncated, or locked with a password.
    CorruptPdf,
    /// A PDF whose pages hold no text layer: a scanned paper.
    Scan,
    /// A Word document that cannot be opened: corrupt, or over the limits on its parts.
    CorruptWord,
    /// The bytes decode, but to no readable text: nothing, or control characters and noise.
    NoText,
}

impl Unreadable {
    pub fn reason(self) -> &'static str {
        match self {
            Unreadable::NotADocument => "not a text or word document",
            Unreadable::CorruptPdf => "the pdf file cannot be opened",
            Unreadable::Scan => "a scanned pdf without a text layer",
            Unreadable::CorruptWord => "the word document cannot be opened",
            Unreadable::NoText => "no readable text",
        }
    }
}

/// The most text kept for one document; longer texts are cut there, with a warning.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// Whether a decoded text reads as text: some words of letters, and next to no control
/// characters (random bytes decoded as a legacy encoding give many).
fn readable(text: &str) -> bool {
    let mut letters = 0usize;
    let mut controls = 0usize;
    let mut chars = 0usize;
    for c in text.chars() {
        chars += 1;
        if text::is_letter(c) {
            letters += 1;
        } else if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0c}') {
            controls += 1;
        }
    }
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| text::is_letter(c)).count() >= 2)
        .take(3)
        .count();
    letters >= 10 && words >= 3 && controls * 100 <= chars && letters * 4 >= chars
}

/// Reads a document from its bytes, refusing what holds no readable text.
pub fn read_bytes(bytes: &[u8]) -> Result<ParsedDocument, Unreadable> {
    match sniff(bytes) {
        None => Err(Unreadable::NotADocument),
        Some(Format::Pdf) => {
            let text = pdf::text_of(bytes).map_err(|e| match e {
                pdf::PdfError::Corrupt => Unreadable::CorruptPdf,
                pdf::PdfError::Scan => Unreadable::Scan,
            })?;
            if !readable(&text) {
                return Err(Unreadable::NoText);
            }
            Ok(parse_text(&text))
        }
        Some(Format::Docx) => {
            let text = docx::text_of(bytes).map_err(|_| Unreadable::CorruptWord)?;
            if !readable(&text) {
                return Err(Unreadable::NoText);
            }
            Ok(parse_text(&text))
        }
        Some(Format::Text) => {
            let (text, encoding_warning) = normalize::decode(bytes);
            if !readable(&text) {
                return Err(Unreadable::NoText);
            }
            let mut parsed = parse_text(&text);
            if let Some(warning) = encoding_warning {
                parsed.warnings.insert(0, warning);
            }
            Ok(parsed)
        }
    }
}

/// Reads a document from its bytes (.txt in any supported encoding, .docx, or a PDF with text).
pub fn parse_bytes(bytes: &[u8]) -> ParsedDocument {
    match sniff(bytes) {
        Some(Format::Pdf) => match pdf::text_of(bytes) {
            Ok(text) => parse_text(&text),
            Err(reason) => ParsedDocument {
                warnings: vec![format!("unreadable pdf: {reason:?}")],
                ..ParsedDocument::default()
            },
        },
        Some(Format::Docx) => match docx::text_of(bytes) {
            Ok(text) => parse_text(&text),
            Err(reason) => ParsedDocument {
                warnings: vec![format!("unreadable word document: {reason}")],
                ..ParsedDocument::default()
            },
        },
        Some(Format::Text) => {
            let (text, encoding_warning) = normalize::decode(bytes);
            let mut parsed = parse_text(&text);
            if let Some(warning) = encoding_warning {
                parsed.warnings.insert(0, warning);
            }
            parsed
        }
        None => ParsedDocument {
            warnings: vec!["not a text or word document".into()],
            ..ParsedDocument::default()
        },
    }
}

/// A resolution without a dated place line is dated by its adoption: "… thông qua ngày 23 tháng
/// 3 năm 2022".
fn adoption_date(text: &str) -> Option<DocDate> {
    let at = text.find("thông qua ngày")?;
    date::date_after_ngay(&text[at + "thông qua ".len()..]).map(|(d, _)| d)
}

/// Reads a document from text already decoded.
pub fn parse_text(raw: &str) -> ParsedDocument {
    let mut cleaned = normalize::clean(raw);
    let cut = cleaned.len() > MAX_TEXT_BYTES;
    if cut {
        let mut end = MAX_TEXT_BYTES;
        while !cleaned.is_char_boundary(end) {
            end -= 1;
        }
        cleaned.truncate(end);
    }
    let mut lines: Vec<&str> = text::lines(&cleaned).collect();
    // In a text whose every line stands between blank lines (a PDF's or a converter's double
    // spacing), the blank lines tell nothing: the fields are read without them.
    let double_spaced = text::double_spaced(&lines);
    if double_spaced {
        lines.retain(|l| !l.is_empty());
    }
    // A page's number alone on its line, between lines of text (a PDF's or a scan's page
    // break), is no part of what it interrupts.
    let page_numbers = text::page_numbers(&lines);
    if !page_numbers.is_empty() {
        let mut at = 0;
        lines.retain(|_| {
            at += 1;
            page_numbers.binary_search(&(at - 1)).is_err()
        });
    }
    let rejoined = double_spaced || !page_numbers.is_empty();
    let mut doc = ParsedDocument::default();

    let head = header::read(&lines);
    doc.issuer = head.issuer;
    doc.parent_issuer = head.parent_issuer;
    doc.doc_type = head.doc_type;
    doc.number = head.number;
    doc.symbol = head.symbol;
    doc.place = head.place;
    doc.date = head.date.or_else(|| adoption_date(&cleaned));
    doc.subject = head.subject;

    let recipients = body::recipients(&lines, head.body_start);
    doc.recipients = recipients.items;
    let closing = closing::read(&lines, recipients.body_start);
    let body_lines = &lines[recipients.body_start.min(closing.body_end)..closing.body_end];
    doc.items = body::items(body_lines);
    if body::takes_tasks(doc.doc_type.as_deref(), body_lines) {
        doc.tasks = doc.items.iter().map(|item| item.text.clone()).collect();
    }
    doc.distribution = closing.distribution;
    doc.signer_authority = closing.authority;
    doc.signer_title = closing.title;
    doc.signer_name = closing.name;

    let single_spaced = rejoined.then(|| lines.join("\n"));
    doc.references = references::extract(
        single_spaced.as_deref().unwrap_or(&cleaned),
        doc.number.as_deref(),
        doc.symbol.as_deref(),
    );
    doc.text = cleaned;

    if cut {
        doc.warnings.push("text cut at 2 MB".to_owned());
    }
    for (missing, what) in [
        (doc.issuer.is_none(), "issuing body not found"),
        (doc.number.is_none(), "number and symbol not found"),
        (doc.date.is_none(), "date not found"),
        (doc.subject.is_none(), "subject not found"),
        (doc.signer_name.is_none(), "signer not found"),
    ] {
        if missing {
            doc.warnings.push(what.to_owned());
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_bytes_are_refused_with_their_reason() {
        // Bytes from a fixed generator: random to a reader, the same in every run.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let random: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                // No NUL, so that the bytes pass for text and reach the decoders.
                (state as u8).max(1)
            })
            .collect();
        assert_eq!(read_bytes(&random).err(), Some(Unreadable::NoText));
        assert_eq!(read_bytes(b"%PDF-1.4\n%%EOF\n").err(), Some(Unreadable::CorruptPdf));
        assert_eq!(read_bytes(b"   \n\n  ").err(), Some(Unreadable::NoText));
        assert_eq!(
            read_bytes(b"PK\x03\x04 not a zip at all").err(),
            Some(Unreadable::NotADocument)
        );
        assert_eq!(read_bytes(&[0u8, 1, 2, 3, 0, 0]).err(), Some(Unreadable::NotADocument));
        let doc = read_bytes("Số: 12/UBND-VX\nV/v tăng cường công tác dân vận".as_bytes()).unwrap();
        assert_eq!(doc.number.as_deref(), Some("12"));
    }

    /// A .docx whose `document.xml` is `xml` repeated `times` times.
    fn word(xml: &str, times: usize) -> Vec<u8> {
        use std::io::Write;
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("word/document.xml", options).unwrap();
        for _ in 0..times {
            writer.write_all(xml.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn word_documents_without_text_or_over_their_limits_are_refused() {
        // 40 MB of markup in a few tens of kilobytes: refused before it is read whole.
        let bomb = word(
            "<w:p>                                                              </w:p>",
            600_000,
        );
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        assert_eq!(read_bytes(&bomb).err(), Some(Unreadable::CorruptWord));
        assert_eq!(read_bytes(&word("<w:p></w:p>", 3)).err(), Some(Unreadable::NoText));
        let doc = read_bytes(&word(
            "<w:p><w:t>Số: 5/SNV-CCVC</w:t></w:p><w:p><w:t>V/v báo cáo công tác dân vận</w:t></w:p>",
            1,
        ))
        .unwrap();
        assert_eq!(doc.symbol.as_deref(), Some("SNV-CCVC"));
    }

    /// The fields a change of layout alone must leave as they were, for comparison.
    fn layout_fields(d: &ParsedDocument) -> String {
        format!(
            "{:?}",
            (
                &d.issuer,
                &d.number,
                &d.symbol,
                &d.place,
                &d.subject,
                &d.recipients,
                &d.tasks,
                &d.references,
                &d.distribution,
                &d.signer_title,
                &d.signer_name
            )
        )
    }

    #[test]
    fn indented_lines_read_as_the_same_lines_unindented() {
        let text = "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\nSố: 12/UBND-NC\nV/v tăng cường công tác dân vận\nĐắk Nông, ngày 5 tháng 3 năm 2022\nKính gửi:\n- Sở Nội vụ;\n- Sở Tài chính.\nThực hiện Công văn số 45/BNV-CQĐP ngày 1/3/2022 của Bộ Nội vụ và Thông tư số 10/2025/TT-\nBNV, đề nghị:\n1. Rà soát.\n2. Báo cáo.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An";
        let indented: String = text.lines().map(|l| format!("    {l}\n")).collect();
        let (plain, shifted) = (parse_text(text), parse_text(&indented));
        assert_eq!(plain.references.len(), 2, "{:?}", plain.references);
        assert_eq!(layout_fields(&plain), layout_fields(&shifted));
    }

    #[test]
    fn a_double_spaced_text_reads_as_the_same_text_single_spaced() {
        let text = "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\nSố: 12/UBND-NC\nV/v tăng cường công tác dân vận\nchính quyền năm 2022\nĐắk Nông, ngày 5 tháng 3 năm 2022\nKính gửi:\n- Sở Nội vụ;\n- Sở Tài chính.\nThực hiện Công văn số 45/BNV-CQĐP ngày 1/3/2022 của Bộ\nNội vụ về công tác dân vận chính quyền, Ủy ban nhân dân tỉnh\nđề nghị các cơ quan, đơn vị thực hiện tốt các nội dung\nsau đây:\n1. Rà soát việc thực hiện quy chế dân chủ ở cơ sở và\nbáo cáo kết quả trước ngày 30/3/2022.\n2. Báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp,\nbáo cáo Ủy ban nhân dân tỉnh.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn An";
        let spaced = text.replace('\n', "\n\n");
        let lines: Vec<&str> = spaced.lines().collect();
        assert!(text::double_spaced(&lines));
        let (plain, spaced) = (parse_text(text), parse_text(&spaced));
        assert_eq!(
            plain.subject.as_deref(),
            Some("tăng cường công tác dân vận chính quyền năm 2022")
        );
        assert_eq!(plain.references[0].issuer_text.as_deref(), Some("Bộ Nội vụ"));
        assert_eq!(layout_fields(&plain), layout_fields(&spaced));
        // Paragraphs of one line each, apart, are no double spacing: their sentences end at the
        // blank lines.
        let paragraphs: String = (1..=14)
            .map(|i| format!("Điều {i}. Quy định thứ {i} của văn bản.\n\n"))
            .collect();
        let lines: Vec<&str> = paragraphs.lines().collect();
        assert!(!text::double_spaced(&lines));
    }

    #[test]
    fn a_text_pandoc_converted_reads_its_tables_column_after_column() {
        let text = "  ----------------------- -----------------------------------------------\n\
                    \x20   **ỦY BAN THƯỜNG VỤ\\        **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\\n\
                    \x20        QUỐC HỘI\\                 Độc lập - Tự do - Hạnh phúc\\\n\
                    \x20    \\-\\-\\-\\-\\-\\-\\--**            \\-\\-\\-\\-\\-\\-\\-\\-\\-**\n\
                    \n\
                    \x20  Số: 1654/NQ-UBTVQH15         *Hà Nội, ngày 16 tháng 6 năm 2025*\n\
                    \x20 ----------------------- -----------------------------------------------\n\
                    \n\
                    **NGHỊ QUYẾT**\n\
                    \n\
                    VỀ VIỆC SẮP XẾP CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ CỦA TỈNH AN GIANG NĂM 2025\n\
                    \n\
                    **ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\
                    \n\
                    *Căn cứ* *Luật Tổ chức chính quyền địa phương số 72/2025/QH15;*\n\
                    \n\
                    +------------------------------+:-------------------------------------:+\n\
                    | *** ***                      | **TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\\      |\n\
                    |                              | CHỦ TỊCH\\                             |\n\
                    | ***Nơi nhận:\\***             | \\                                     |\n\
                    | - Chính phủ;\\                | \\                                     |\n\
                    | - Ủy ban TW Mặt trận Tổ quốc | \\                                     |\n\
                    | Việt Nam;\\                   | Trần Thanh Mẫn**                      |\n\
                    | - Lưu: HC, PLTP.             |                                       |\n\
                    +------------------------------+---------------------------------------+\n";
        let d = parse_text(text);
        assert_eq!(d.issuer.as_deref(), Some("ỦY BAN THƯỜNG VỤ QUỐC HỘI"));
        assert_eq!(
            (d.number.as_deref(), d.symbol.as_deref()),
            (Some("1654"), Some("NQ-UBTVQH15"))
        );
        assert_eq!(d.place.as_deref(), Some("Hà Nội"));
        assert_eq!(
            d.subject.as_deref(),
            Some("VỀ VIỆC SẮP XẾP CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ CỦA TỈNH AN GIANG NĂM 2025")
        );
        assert_eq!(
            (
                d.signer_authority.as_deref(),
                d.signer_title.as_deref(),
                d.signer_name.as_deref()
            ),
            (
                Some("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI"),
                Some("CHỦ TỊCH"),
                Some("Trần Thanh Mẫn")
            )
        );
        assert_eq!(
            d.distribution,
            ["Chính phủ", "Ủy ban TW Mặt trận Tổ quốc Việt Nam", "Lưu: HC, PLTP"]
        );
    }

    #[test]
    fn the_text_kept_is_capped_at_two_megabytes() {
        let line = "Thực hiện kế hoạch của Ủy ban nhân dân tỉnh về công tác dân vận.\n";
        let text = line.repeat(MAX_TEXT_BYTES / line.len() + 100);
        let doc = parse_text(&text);
        assert!(doc.text.len() <= MAX_TEXT_BYTES);
        assert!(
            doc.warnings.iter().any(|w| w == "text cut at 2 MB"),
            "{:?}",
            doc.warnings
        );
    }

    #[test]
    fn empty_and_garbage_input_give_warnings_not_panics() {
        for input in [
            "",
            "\n\n\n",
            "Số:",
            "ngày 99 tháng 99 năm 9999",
            "KT.",
            "Nơi nhận:",
            "1.",
            "I.",
        ] {
            let parsed = parse_text(input);
            assert!(!parsed.warnings.is_empty(), "{input:?}");
        }
        assert!(
            parse_bytes(&[0, 1, 2, 3, 0])
                .warnings
                .iter()
                .any(|w| w.contains("not a text"))
        );
    }
}
