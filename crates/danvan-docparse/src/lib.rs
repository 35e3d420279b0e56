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
mod date;
mod docx;
mod header;
mod legacy;
pub mod normalize;
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
}

/// Recognises a format from the bytes themselves, never from a file name.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"PK\x03\x04") {
        return docx::is_docx(bytes).then_some(Format::Docx);
    }
    // Text: no NUL bytes outside a UTF-16 byte-order mark.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || !bytes.contains(&0) {
        return Some(Format::Text);
    }
    None
}

/// Reads a document from its bytes (.txt in any supported encoding, or .docx).
pub fn parse_bytes(bytes: &[u8]) -> ParsedDocument {
    match sniff(bytes) {
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
    let cleaned = normalize::clean(raw);
    let lines: Vec<&str> = cleaned.lines().collect();
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

    doc.references = references::extract(&cleaned, doc.number.as_deref(), doc.symbol.as_deref());
    doc.text = cleaned.clone();

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
