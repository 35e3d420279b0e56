//! A minimal Word (.docx) writer for the documents danvan drafts, in the official layout of
//! Nghị định 30/2020/NĐ-CP (domain.md): A4 portrait, margins 20 mm top and bottom, 30 mm left,
//! 20 mm right; Times New Roman 14 pt, 6 pt after each paragraph, line spacing 1.15; page numbers
//! centred in the top margin from page 2.
//!
//! Like `xlsx`, it writes the few parts needed by hand rather than adding a large dependency.

use std::io::{Cursor, Write};

/// A run of text with its emphasis.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Size in points; `None`: the body size (14 pt).
    pub size: Option<u32>,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            ..Run::default()
        }
    }

    pub fn bold(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: true,
            ..Run::default()
        }
    }

    pub fn italic(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            italic: true,
            ..Run::default()
        }
    }

    pub fn sized(mut self, points: u32) -> Run {
        self.size = Some(points);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Justify,
    Center,
    Left,
}

/// A block of the document body.
#[derive(Debug, Clone)]
pub enum Block {
    Paragraph {
        runs: Vec<Run>,
        align: Align,
        indent_first: bool,
    },
    /// A table: column widths in twentieths of a point, rows of cells, each cell paragraphs.
    Table {
        widths: Vec<u32>,
        rows: Vec<Vec<Vec<Block>>>,
        borders: bool,
        header_rows: usize,
    },
    PageBreak,
}

impl Block {
    pub fn para(align: Align, runs: Vec<Run>) -> Block {
        Block::Paragraph {
            runs,
            align,
            indent_first: false,
        }
    }

    /// A body paragraph: justified, first line indented.
    pub fn body(runs: Vec<Run>) -> Block {
        Block::Paragraph {
            runs,
            align: Align::Justify,
            indent_first: true,
        }
    }
}

/// The heading of an official document (Nghị định 30/2020): the issuing body on the left, the
/// national name and motto on the right, then the number (left for the clerk) and the place and
/// date. `issuer` lines are in capitals, the parent first.
pub fn official_header(issuer: &[&str], number: &str, place_and_date: &str) -> Block {
    let cell = |align, runs| vec![Block::para(align, runs)];
    Block::Table {
        widths: vec![3600, 5700],
        borders: false,
        header_rows: 0,
        rows: vec![
            vec![
                issuer
                    .iter()
                    .map(|line| Block::para(Align::Center, vec![Run::bold(line.to_uppercase()).sized(13)]))
                    .collect(),
                vec![
                    Block::para(
                        Align::Center,
                        vec![Run::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").sized(13)],
                    ),
                    Block::para(Align::Center, vec![Run::bold("Độc lập - Tự do - Hạnh phúc").sized(14)]),
                ],
            ],
            vec![
                cell(
                    Align::Center,
                    vec![Run::plain(format!("Số:       /{number}")).sized(13)],
                ),
                cell(Align::Center, vec![Run::italic(place_and_date)]),
            ],
        ],
    }
}

/// The foot of an official document: the distribution list ("Nơi nhận:", ending with the
/// archive line) on the left, the signing authority and title on the right.
pub fn signature_block(recipients: &[&str], authority: &[&str]) -> Block {
    let mut left = vec![Block::para(
        Align::Left,
        vec![Run {
            text: "Nơi nhận:".into(),
            bold: true,
            italic: true,
            size: Some(12),
        }],
    )];
    left.extend(
        recipients
            .iter()
            .map(|r| Block::para(Align::Left, vec![Run::plain(format!("- {r}")).sized(11)])),
    );
    Block::Table {
        widths: vec![4650, 4650],
        borders: false,
        header_rows: 0,
        rows: vec![vec![
            left,
            authority
                .iter()
                .map(|line| Block::para(Align::Center, vec![Run::bold(*line)]))
                .collect(),
        ]],
    }
}

fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn run_xml(run: &Run) -> String {
    let mut props = String::new();
    if run.bold {
        props.push_str("<w:b/>");
    }
    if run.italic {
        props.push_str("<w:i/>");
    }
    if let Some(size) = run.size {
        props.push_str(&format!(r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#, size * 2));
    }
    format!(
        r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        escape(&run.text)
    )
}

fn block_xml(block: &Block, out: &mut String) {
    match block {
        Block::Paragraph {
            runs,
            align,
            indent_first,
        } => {
            let jc = match align {
                Align::Justify => "both",
                Align::Center => "center",
                Align::Left => "left",
            };
            let indent = if *indent_first {
                r#"<w:ind w:firstLine="720"/>"#
            } else {
                ""
            };
            out.push_str(&format!(r#"<w:p><w:pPr><w:jc w:val="{jc}"/>{indent}</w:pPr>"#));
            for run in runs {
                out.push_str(&run_xml(run));
            }
            out.push_str("</w:p>");
        }
        Block::PageBreak => out.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
        Block::Table {
            widths,
            rows,
            borders,
            header_rows,
        } => {
            let border = if *borders { "single" } else { "nil" };
            out.push_str(&format!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="{}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders><w:top w:val="{border}" w:sz="4"/><w:left w:val="{border}" w:sz="4"/><w:bottom w:val="{border}" w:sz="4"/><w:right w:val="{border}" w:sz="4"/><w:insideH w:val="{border}" w:sz="4"/><w:insideV w:val="{border}" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>"#,
                widths.iter().sum::<u32>()
            ));
            for w in widths {
                out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
            }
            out.push_str("</w:tblGrid>");
            for (index, row) in rows.iter().enumerate() {
                let header = if index < *header_rows {
                    "<w:trPr><w:tblHeader/></w:trPr>"
                } else {
                    ""
                };
                out.push_str(&format!("<w:tr>{header}"));
                for (cell, width) in row.iter().zip(widths) {
                    out.push_str(&format!(
                        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>"#
                    ));
                    if cell.is_empty() {
                        out.push_str("<w:p/>");
                    }
                    for block in cell {
                        block_xml(block, out);
                    }
                    out.push_str("</w:tc>");
                }
                out.push_str("</w:tr>");
            }
            out.push_str("</w:tbl>");
        }
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/></Relationships>"#;

/// Times New Roman 14 pt, 6 pt after, line spacing 1.15 (276/240).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#;

/// From page 2: the page number, centred.
const HEADER_NUMBERED: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#;

/// Page 1: no number.
const HEADER_EMPTY: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:hdr>"#;

/// A4 portrait; margins 20 mm top and bottom (1134), 30 mm left (1701), 20 mm right (1134).
const SECTION: &str = r#"<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:headerReference w:type="first" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>"#;

/// The document as a .docx file.
pub fn document(blocks: &[Block]) -> std::io::Result<Vec<u8>> {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#,
    );
    for block in blocks {
        block_xml(block, &mut body);
    }
    body.push_str(SECTION);
    body.push_str("</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/header1.xml", HEADER_NUMBERED),
        ("word/header2.xml", HEADER_EMPTY),
        ("word/document.xml", body.as_str()),
    ] {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_is_escaped_and_the_layout_is_official() {
        let bytes = document(&[
            Block::para(Align::Center, vec![Run::bold("QUYẾT ĐỊNH")]),
            Block::body(vec![Run::plain("A & B <c>")]),
        ])
        .unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        archive
            .by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("<w:b/></w:rPr><w:t xml:space=\"preserve\">QUYẾT ĐỊNH</w:t>"));
        assert!(xml.contains("A &amp; B &lt;c&gt;"));
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#), "A4 portrait");
        assert!(xml.contains(r#"w:left="1701""#) && xml.contains("<w:titlePg/>"));
        let mut styles = String::new();
        archive
            .by_name("word/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        assert!(styles.contains("Times New Roman") && styles.contains(r#"<w:sz w:val="28"/>"#));
    }
}
