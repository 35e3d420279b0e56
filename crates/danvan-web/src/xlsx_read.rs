//! A minimal Excel (.xlsx) reader: the text of the first worksheet's cells, row by row.
//!
//! Attendance lists arrive as .xlsx from Excel, LibreOffice or WPS. They hold shared strings,
//! inline strings and numbers; formulas are read as their cached value. The archive is opened
//! with the same limits as a Word document (entries, expanded size).

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

const MAX_ENTRIES: usize = 2_000;
/// The largest part read once expanded: a sheet of 100,000 rows fits well within it.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file cannot be read, in Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadError(pub &'static str);

fn part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ReadError> {
    let Ok(entry) = archive.by_name(name) else {
        return Ok(None);
    };
    if entry.size() > MAX_PART_BYTES {
        return Err(ReadError("Tệp Excel quá lớn."));
    }
    let mut text = String::new();
    entry
        .take(MAX_PART_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|_| ReadError("Tệp Excel bị lỗi, không đọc được."))?;
    if text.len() as u64 > MAX_PART_BYTES {
        return Err(ReadError("Tệp Excel quá lớn."));
    }
    Ok(Some(text))
}

/// The value of attribute `name` in a start tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
        let after = &rest[at + name.len()..];
        if before_ok && let Some(value) = after.strip_prefix("=\"") {
            return value.find('"').map(|end| &value[..end]);
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// The zero-based column of a cell reference such as "AB12".
fn column_of(reference: &str) -> Option<usize> {
    let letters: String = reference.chars().take_while(char::is_ascii_uppercase).collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    Some(letters.bytes().fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1)
}

/// The text inside every `<t>` of a fragment (a shared string may be split into runs).
fn text_runs(fragment: &str) -> String {
    let mut out = String::new();
    let mut rest = fragment;
    while let Some(start) = rest.find("<t") {
        let after = &rest[start + 2..];
        // `<t>` or `<t xml:space=…>`, not `<tabColor>` and the like.
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let Some(open_end) = after.find('>') else { break };
        if after[..open_end].ends_with('/') {
            rest = &after[open_end + 1..];
            continue;
        }
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</t>") else { break };
        out.push_str(&danvan_docparse::xml_unescape(&body[..close]));
        rest = &body[close + 4..];
    }
    out
}

fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<si>").or_else(|| rest.find("<si ")) {
        let after = &rest[start..];
        let Some(end) = after.find("</si>") else { break };
        out.push(text_runs(&after[..end]));
        rest = &after[end + 5..];
    }
    out
}

/// The first worksheet's rows, each as its cells' text from column A (empty text for an empty
/// cell); the map is keyed by the row number the file shows.
pub fn read_rows(bytes: &[u8]) -> Result<BTreeMap<usize, Vec<String>>, ReadError> {
    let not_xlsx = ReadError("Tệp không phải bảng tính Excel (.xlsx).");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_xlsx)?;
    if archive.len() > MAX_ENTRIES {
        return Err(not_xlsx);
    }
    if archive.by_name("xl/workbook.xml").is_err() {
        return Err(not_xlsx);
    }
    let strings = part(&mut archive, "xl/sharedStrings.xml")?
        .map(|xml| shared_strings(&xml))
        .unwrap_or_default();
    let sheet_name = if archive.by_name("xl/worksheets/sheet1.xml").is_ok() {
        "xl/worksheets/sheet1.xml".to_owned()
    } else {
        let mut names: Vec<String> = archive
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
            .map(|n| n.into_owned())
            .collect();
        names.sort();
        names
            .into_iter()
            .next()
            .ok_or(ReadError("Tệp Excel không có trang tính nào."))?
    };
    let sheet = part(&mut archive, &sheet_name)?.ok_or(not_xlsx)?;
    let mut rows = BTreeMap::new();
    let mut rest = sheet.as_str();
    let mut next_row = 1usize;
    while let Some(start) = rest.find("<row") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let number = attribute(tag, "r").and_then(|r| r.parse().ok()).unwrap_or(next_row);
        next_row = number + 1;
        if tag.ends_with('/') {
            rest = &after[tag_end + 1..];
            continue;
        }
        let Some(row_end) = after.find("</row>") else { break };
        let body = &after[tag_end + 1..row_end];
        rest = &after[row_end + 6..];
        let mut cells: Vec<String> = Vec::new();
        let mut cell_rest = body;
        while let Some(c) = cell_rest.find("<c") {
            let after = &cell_rest[c..];
            let Some(c_end) = after.find('>') else { break };
            let tag = &after[..c_end];
            let (content, consumed) = if tag.ends_with('/') {
                ("", c_end + 1)
            } else {
                match after.find("</c>") {
                    Some(close) => (&after[c_end + 1..close], close + 4),
                    None => break,
                }
            };
            cell_rest = &after[consumed..];
            let column = attribute(tag, "r").and_then(column_of).unwrap_or(cells.len());
            if column > 1_000 {
                continue;
            }
            let value = || {
                content
                    .find("<v>")
                    .and_then(|s| content[s + 3..].find("</v>").map(|e| &content[s + 3..s + 3 + e]))
                    .map(danvan_docparse::xml_unescape)
                    .unwrap_or_default()
            };
            let text = match attribute(tag, "t") {
                Some("s") => value()
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| strings.get(i).cloned())
                    .unwrap_or_default(),
                Some("inlineStr") => text_runs(content),
                _ => value(),
            };
            if cells.len() <= column {
                cells.resize(column + 1, String::new());
            }
            cells[column] = text;
        }
        rows.insert(number, cells);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::{Cell, workbook};

    #[test]
    fn what_the_writer_writes_reads_back() {
        let bytes = workbook(
            "Danh sách",
            &["Họ và tên", "Số"],
            &[
                vec!["Nguyễn Thị Ánh & <Hoa>".into(), Cell::from(7)],
                vec![Cell::from(""), "Đắk R'Lấp".into()],
            ],
        )
        .unwrap();
        let rows = read_rows(&bytes).unwrap();
        assert_eq!(rows[&1], ["Họ và tên", "Số"]);
        assert_eq!(rows[&2], ["Nguyễn Thị Ánh & <Hoa>", "7"]);
        assert_eq!(rows[&3], ["", "Đắk R'Lấp"]);
    }

    #[test]
    fn shared_strings_runs_and_gaps_are_read_as_excel_writes_them() {
        let sst = r#"<sst><si><t>Cán bộ</t></si><si><r><t>Sở </t></r><r><rPr><b/></rPr><t xml:space="preserve">Nội vụ</t></r></si></sst>"#;
        assert_eq!(shared_strings(sst), ["Cán bộ", "Sở Nội vụ"]);
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("AB12"), Some(27));
        assert_eq!(attribute(r#"c r="C4" s="1" t="s""#, "t"), Some("s"));
        assert_eq!(attribute(r#"c r="C4" s="1""#, "t"), None);
    }

    #[test]
    fn other_files_are_refused_plainly() {
        assert!(read_rows(b"Ho va ten,Chuc vu").is_err());
        assert!(read_rows(&[]).is_err());
    }
}
