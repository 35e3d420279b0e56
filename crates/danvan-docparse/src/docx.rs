//! Word documents (Office Open XML): the text of `word/document.xml`, one line per paragraph.
//!
//! A .docx is a zip archive, so it is opened with limits (number of entries, expanded size of
//! the part read) against archives built to exhaust memory.

use std::io::{Cursor, Read};

/// The most entries a Word document may have.
const MAX_ENTRIES: usize = 2_000;
/// The largest `document.xml` accepted once expanded.
const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;

/// Whether the zip archive holds a Word document's main part.
pub fn is_docx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|mut archive| archive.len() <= MAX_ENTRIES && archive.by_name("word/document.xml").is_ok())
        .unwrap_or(false)
}

/// The document's text: paragraphs as lines, tabs and line breaks kept.
pub fn text_of(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a zip archive: {e}"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("{} entries, more than {MAX_ENTRIES}", archive.len()));
    }
    let part = archive
        .by_name("word/document.xml")
        .map_err(|_| "no word/document.xml".to_owned())?;
    if part.size() > MAX_XML_BYTES {
        return Err("document.xml too large".to_owned());
    }
    let mut xml = String::new();
    // The declared size can lie; the reader is capped as well.
    part.take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| format!("unreadable document.xml: {e}"))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err("document.xml too large".to_owned());
    }
    Ok(xml_text(&xml))
}

/// Extracts the text runs of WordprocessingML: `<w:t>` text, `<w:tab/>`, `<w:br/>`, and a line
/// break at the end of each paragraph `</w:p>` and table cell.
pub fn xml_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut rest = xml;
    let mut in_text = false;
    while let Some(lt) = rest.find('<') {
        if in_text {
            out.push_str(&unescape(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag.trim_start_matches('/').split([' ', '/', '>']).next().unwrap_or("");
        let closing = tag.starts_with('/');
        match name {
            "w:t" => in_text = !closing && !tag.ends_with('/'),
            "w:tab" if !closing => out.push('\t'),
            "w:br" | "w:cr" if !closing => out.push('\n'),
            "w:p" if closing => out.push('\n'),
            "w:tc" if closing => out.push('\n'),
            _ => {}
        }
        rest = &rest[lt + gt + 1..];
    }
    out
}

pub(crate) fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| match &after[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            entity if entity.starts_with("#x") => u32::from_str_radix(&entity[2..], 16).ok().and_then(char::from_u32),
            entity if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_lines() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Số: 2071/UBND-NC</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">V/v nâng cao </w:t></w:r><w:r><w:t>A &amp; B</w:t><w:br/><w:t>dòng 2</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(xml_text(xml), "Số: 2071/UBND-NC\nV/v nâng cao A & B\ndòng 2\n");
    }

    #[test]
    fn a_real_archive_is_read_and_a_fake_one_refused() {
        use std::io::Write;
        let mut buffer = Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut buffer);
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            writer.start_file("word/document.xml", options).unwrap();
            writer
                .write_all("<w:p><w:t>Kính gửi: Sở Nội vụ</w:t></w:p>".as_bytes())
                .unwrap();
            writer.finish().unwrap();
        }
        let bytes = buffer.into_inner();
        assert!(is_docx(&bytes));
        assert_eq!(text_of(&bytes).unwrap(), "Kính gửi: Sở Nội vụ\n");
        assert!(!is_docx(b"PK\x03\x04not really"));
        assert!(text_of(b"PK\x03\x04not really").is_err());
    }
}
