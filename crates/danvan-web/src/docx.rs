//! The Word (.docx) files danvan drafts, in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I:
//! A4 portrait; margins 20 mm top and bottom, 30 mm left, 20 mm right; Times New Roman, body
//! 14 pt; the heading (issuing body over its rule on the left, national name and motto over the
//! motto's rule on the right, "Số: …" and the place and date in italics), one title, the subject
//! over its rule, the body, and the "Nơi nhận" block beside the signature block (authority,
//! title, room for the signature and seal, the signer's full name) on the same page; tables
//! within the margins, rows never split, header rows repeated; page numbers from page 2.
//!
//! Written by hand, with `zip` for the archive: the document uses a dozen WordprocessingML
//! elements, every one of which the tests check in the XML and, through LibreOffice, in the
//! rendered PDF (ARCHITECTURE.md says why no docx library).

use std::io::{Cursor, Write};

/// A4 in twentieths of a point (twips).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
pub const MARGIN_TOP: u32 = 1134;
pub const MARGIN_BOTTOM: u32 = 1134;
pub const MARGIN_LEFT: u32 = 1701;
pub const MARGIN_RIGHT: u32 = 1134;
/// The width between the margins: every table's total.
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Left and right padding inside every table cell.
pub const CELL_MARGIN: u32 = 57;
/// The body's size in points.
pub const BODY_SIZE: u32 = 14;

/// A run of text with its emphasis. A line break inside the text (`\n`) is kept as a break
/// within the paragraph.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    /// Size in points; `None`: the body size.
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

    /// The run's width on one line, in twips.
    pub fn width(&self) -> u32 {
        text_width(&self.text, self.size.unwrap_or(BODY_SIZE), self.bold)
    }
}

/// The advance width of a text set in Times New Roman, in twips. Widths are those of Adobe's
/// core-font metrics for Times-Roman and Times-Bold (thousandths of an em), which Times New
/// Roman and Liberation Serif share; a letter with Vietnamese marks advances as its base
/// letter. Italic is measured as roman.
pub fn text_width(text: &str, points: u32, bold: bool) -> u32 {
    const ROMAN_UPPER: [u32; 26] = [
        722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722,
        944, 722, 722, 611,
    ];
    const ROMAN_LOWER: [u32; 26] = [
        444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500,
        722, 500, 500, 444,
    ];
    const BOLD_UPPER: [u32; 26] = [
        722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722,
        1000, 722, 722, 667,
    ];
    const BOLD_LOWER: [u32; 26] = [
        500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500,
        722, 500, 500, 444,
    ];
    let thousandths: u32 = danvan_domain::search::base_letters(text)
        .chars()
        .map(|c| match c {
            'A'..='Z' if bold => BOLD_UPPER[c as usize - 'A' as usize],
            'A'..='Z' => ROMAN_UPPER[c as usize - 'A' as usize],
            'a'..='z' if bold => BOLD_LOWER[c as usize - 'a' as usize],
            'a'..='z' => ROMAN_LOWER[c as usize - 'a' as usize],
            '0'..='9' => 500,
            ' ' | ',' | '.' => 250,
            ':' | ';' if bold => 333,
            ':' | ';' | '/' => 278,
            '–' => 500,
            _ => 333,
        })
        .sum();
    // thousandths of an em × points × 20 twips per point.
    thousandths * points * 20 / 1000
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
        /// Kept on the same page as what follows (the last body paragraph before the signature).
        keep_next: bool,
    },
    /// A horizontal rule, centred in its container, `width` twips long: a paragraph border.
    Rule {
        width: u32,
    },
    /// Empty lines of the body size (the room for a signature and seal).
    Space {
        lines: u32,
    },
    /// Blocks that stay on one page: the end of the body with the signature block. Written as a
    /// one-cell borderless table whose row may not split (LibreOffice does not keep a paragraph
    /// with a table that follows it; both keep a row whole).
    Together(Vec<Block>),
    /// A table: column widths in twips (scaled to the container when they exceed it), rows of
    /// cells, each cell blocks. Rows never split across pages; the first `header_rows` repeat.
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
            keep_next: false,
        }
    }

    /// A body paragraph: justified, first line indented.
    pub fn body(runs: Vec<Run>) -> Block {
        Block::Paragraph {
            runs,
            align: Align::Justify,
            indent_first: true,
            keep_next: false,
        }
    }

    /// This paragraph stays on the page of the block after it.
    pub fn keep_with_next(mut self) -> Block {
        if let Block::Paragraph { keep_next, .. } = &mut self {
            *keep_next = true;
        }
        self
    }
}

/// The heading and title of an official document.
#[derive(Debug, Clone)]
pub struct Heading {
    /// The body above the issuer, when there is one ("UBND TỈNH ĐẮK NÔNG" above "SỞ NỘI VỤ");
    /// set in regular capitals.
    pub parent: Option<String>,
    /// The issuing body, in bold capitals, over its rule; may wrap ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK
    /// NÔNG").
    pub issuer: String,
    /// The symbol after the number, which is left for the clerk: "BC-UBND".
    pub symbol: String,
    /// "Đắk Nông, ngày      tháng      năm 2022".
    pub place_and_date: String,
    /// The kind in capitals: "BÁO CÁO", "QUYẾT ĐỊNH".
    pub kind: String,
    /// What the document is about, under the kind: "Kết quả …", "Về việc …".
    pub subject: String,
}

/// Column widths of the heading: 6 cm for the issuer, the rest (10 cm) for the national name.
const HEADING_LEFT: u32 = 3402;
const HEADING_RIGHT: u32 = TEXT_WIDTH - HEADING_LEFT;
/// National name 13 pt, motto 14 pt, issuer 13 pt (Phụ lục I: 12–13, 13–14, 12–13).
const NATIONAL_SIZE: u32 = 13;
const MOTTO_SIZE: u32 = 14;
const ISSUER_SIZE: u32 = 13;
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// The share of a line its rule takes under the issuer and under the subject: between a third
/// and a half (Phụ lục I), here two fifths.
pub fn short_rule(line_width: u32) -> u32 {
    line_width * 2 / 5
}

/// The heading (issuer and national name side by side, their rules, number and date), the
/// kind, the subject and its rule.
pub fn heading(h: &Heading) -> Vec<Block> {
    let inner = |width: u32| width - 2 * CELL_MARGIN;
    let mut left: Vec<Block> = Vec::new();
    if let Some(parent) = &h.parent {
        left.push(Block::para(
            Align::Center,
            vec![Run::plain(parent.to_uppercase()).sized(ISSUER_SIZE)],
        ));
    }
    let issuer_lines: Vec<String> = h.issuer.lines().map(|l| l.trim().to_uppercase()).collect();
    for line in &issuer_lines {
        left.push(Block::para(
            Align::Center,
            vec![Run::bold(line.clone()).sized(ISSUER_SIZE)],
        ));
    }
    let issuer_width = issuer_lines
        .iter()
        .map(|l| text_width(l, ISSUER_SIZE, true))
        .max()
        .unwrap_or(0)
        .min(inner(HEADING_LEFT));
    left.push(Block::Rule {
        width: short_rule(issuer_width),
    });
    let right = vec![
        Block::para(
            Align::Center,
            vec![Run::bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").sized(NATIONAL_SIZE)],
        ),
        Block::para(Align::Center, vec![Run::bold(MOTTO).sized(MOTTO_SIZE)]),
        Block::Rule {
            width: text_width(MOTTO, MOTTO_SIZE, true),
        },
    ];
    let mut blocks = vec![Block::Table {
        widths: vec![HEADING_LEFT, HEADING_RIGHT],
        borders: false,
        header_rows: 0,
        rows: vec![
            vec![left, right],
            vec![
                vec![Block::para(
                    Align::Center,
                    vec![Run::plain(format!("Số:       /{}", h.symbol)).sized(ISSUER_SIZE)],
                )],
                vec![Block::para(Align::Center, vec![Run::italic(h.place_and_date.clone())])],
            ],
        ],
    }];
    blocks.push(Block::Space { lines: 1 });
    blocks.push(Block::para(Align::Center, vec![Run::bold(h.kind.to_uppercase())]).keep_with_next());
    blocks.push(Block::para(Align::Center, vec![Run::bold(h.subject.clone())]).keep_with_next());
    // The rule under the subject: a share of its longest line (a long subject wraps).
    let subject_line = text_width(&h.subject, BODY_SIZE, true).min(TEXT_WIDTH);
    blocks.push(Block::Rule {
        width: short_rule(subject_line),
    });
    blocks
}

/// Who signs and who receives.
#[derive(Debug, Clone)]
pub struct Signature {
    /// The distribution list, the archive line last ("Lưu: VT, NC.").
    pub recipients: Vec<String>,
    /// The authority lines above the title ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"); may be
    /// empty.
    pub authority: Vec<String>,
    /// The signer's title ("PHÓ CHỦ TỊCH").
    pub title: String,
    /// The signer's full name; empty leaves a dotted line to fill in.
    pub name: String,
}

/// Lines of room for the signature and the seal (about 3 cm).
pub const SIGNATURE_SPACE_LINES: u32 = 4;

/// "Nơi nhận" on the left, the signature on the right, in one row that never splits.
pub fn signature_block(s: &Signature) -> Block {
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
        s.recipients
            .iter()
            .map(|r| Block::para(Align::Left, vec![Run::plain(format!("- {r}")).sized(11)])),
    );
    let mut right: Vec<Block> = s
        .authority
        .iter()
        .chain(std::iter::once(&s.title))
        .map(|line| Block::para(Align::Center, vec![Run::bold(line.to_uppercase())]))
        .collect();
    right.push(Block::Space {
        lines: SIGNATURE_SPACE_LINES,
    });
    let name = if s.name.trim().is_empty() {
        "………………………".to_owned()
    } else {
        s.name.trim().to_owned()
    };
    right.push(Block::para(Align::Center, vec![Run::bold(name)]));
    Block::Table {
        widths: vec![TEXT_WIDTH / 2, TEXT_WIDTH - TEXT_WIDTH / 2],
        borders: false,
        header_rows: 0,
        rows: vec![vec![left, right]],
    }
}

/// The leader who signs for a People's Committee, as the leader register holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub name: String,
    /// "Phó Chủ tịch Ủy ban nhân dân tỉnh".
    pub position: String,
}

/// The signature of a People's Committee document (Nghị định 30/2020, Phụ lục I): `collective`
/// for the Committee's own (TM. ỦY BAN NHÂN DÂN), otherwise the Chairman's (a decision of the
/// Chairman). The Chairman signs as CHỦ TỊCH, an acting chairman as Q. CHỦ TỊCH, a
/// vice-chairman on the Chairman's behalf (KT. CHỦ TỊCH, PHÓ CHỦ TỊCH); without a signer in the
/// register, the vice-chairman's form with the name left to fill in.
pub fn committee_signature(signer: Option<&Signer>, collective: bool, recipients: &[&str]) -> Signature {
    let position = signer
        .map(|s| danvan_domain::search::fold(&s.position))
        .unwrap_or_default();
    let mut authority = Vec::new();
    if collective {
        authority.push("TM. ỦY BAN NHÂN DÂN".to_owned());
    }
    let title = if position.starts_with("chu tich") {
        "CHỦ TỊCH"
    } else if position.starts_with("quyen chu tich") {
        "Q. CHỦ TỊCH"
    } else {
        authority.push("KT. CHỦ TỊCH".to_owned());
        "PHÓ CHỦ TỊCH"
    };
    Signature {
        recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
        authority,
        title: title.to_owned(),
        name: signer.map(|s| s.name.clone()).unwrap_or_default(),
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

fn run_xml(run: &Run, out: &mut String) {
    let mut props = String::new();
    if run.bold {
        props.push_str("<w:b/><w:bCs/>");
    }
    if run.italic {
        props.push_str("<w:i/><w:iCs/>");
    }
    if let Some(size) = run.size {
        props.push_str(&format!(r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#, size * 2));
    }
    out.push_str(&format!("<w:r><w:rPr>{props}</w:rPr>"));
    let text = run.text.replace("\r\n", "\n");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!(r#"<w:t xml:space="preserve">{}</w:t>"#, escape(line)));
    }
    out.push_str("</w:r>");
}

/// `container`: the width the block is laid out in (the text width, or a cell's inner width).
fn block_xml(block: &Block, container: u32, out: &mut String) {
    match block {
        Block::Paragraph {
            runs,
            align,
            indent_first,
            keep_next,
        } => {
            let jc = match align {
                Align::Justify => "both",
                Align::Center => "center",
                Align::Left => "left",
            };
            let keep = if *keep_next { "<w:keepNext/>" } else { "" };
            let indent = if *indent_first {
                r#"<w:ind w:firstLine="720"/>"#
            } else {
                ""
            };
            // Children of w:pPr in the schema's order (keepNext … ind, jc), which Word requires.
            out.push_str(&format!(r#"<w:p><w:pPr>{keep}{indent}<w:jc w:val="{jc}"/></w:pPr>"#));
            for run in runs {
                run_xml(run, out);
            }
            out.push_str("</w:p>");
        }
        Block::Rule { width } => {
            let side = container.saturating_sub(*width) / 2;
            // An empty paragraph of exactly 2 pt whose top border is the rule.
            out.push_str(&format!(
                r#"<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr><w:spacing w:before="0" w:after="0" w:line="40" w:lineRule="exact"/><w:ind w:left="{side}" w:right="{side}"/><w:jc w:val="center"/><w:rPr><w:sz w:val="4"/></w:rPr></w:pPr></w:p>"#
            ));
        }
        Block::Space { lines } => {
            for _ in 0..*lines {
                out.push_str(r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:p>"#);
            }
        }
        Block::PageBreak => out.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#),
        Block::Together(blocks) => {
            out.push_str(&format!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="{container}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="{container}"/></w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{container}" w:type="dxa"/></w:tcPr>"#
            ));
            for block in blocks {
                block_xml(block, container, out);
            }
            if !matches!(blocks.last(), Some(Block::Paragraph { .. })) {
                out.push_str("<w:p/>");
            }
            out.push_str("</w:tc></w:tr></w:tbl>");
        }
        Block::Table {
            widths,
            rows,
            borders,
            header_rows,
        } => {
            let widths = fit(widths, container);
            let total: u32 = widths.iter().sum();
            let border = if *borders { "single" } else { "nil" };
            out.push_str(&format!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders><w:top w:val="{border}" w:sz="4"/><w:left w:val="{border}" w:sz="4"/><w:bottom w:val="{border}" w:sz="4"/><w:right w:val="{border}" w:sz="4"/><w:insideH w:val="{border}" w:sz="4"/><w:insideV w:val="{border}" w:sz="4"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
            ));
            for w in &widths {
                out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
            }
            out.push_str("</w:tblGrid>");
            for (index, row) in rows.iter().enumerate() {
                let header = if index < *header_rows { "<w:tblHeader/>" } else { "" };
                out.push_str(&format!("<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>"));
                for (cell, width) in row.iter().zip(&widths) {
                    out.push_str(&format!(
                        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>"#
                    ));
                    if cell.is_empty() {
                        out.push_str("<w:p/>");
                    }
                    let inner = width.saturating_sub(2 * CELL_MARGIN);
                    for block in cell {
                        block_xml(block, inner, out);
                    }
                    // A cell must end with a paragraph.
                    if matches!(cell.last(), Some(Block::Table { .. })) {
                        out.push_str("<w:p/>");
                    }
                    out.push_str("</w:tc>");
                }
                out.push_str("</w:tr>");
            }
            out.push_str("</w:tbl>");
        }
    }
}

/// Column widths scaled down to `container` when their sum exceeds it (never up).
fn fit(widths: &[u32], container: u32) -> Vec<u32> {
    let total: u32 = widths.iter().sum();
    if total <= container || total == 0 {
        return widths.to_vec();
    }
    let mut fitted: Vec<u32> = widths
        .iter()
        .map(|w| (u64::from(*w) * u64::from(container) / u64::from(total)) as u32)
        .collect();
    // Rounding down leaves a few twips: give them to the widest column.
    let slack = container - fitted.iter().sum::<u32>();
    if let Some(widest) = fitted.iter_mut().max() {
        *widest += slack;
    }
    fitted
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/></Relationships>"#;

/// Times New Roman 14 pt, 6 pt after, line spacing 1.15 (276/240); widow and orphan control.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>"#;

/// Word's current layout rules (a table's edge on the margin, no compatibility mode); a line
/// ended by a break inside a justified paragraph is not stretched.
const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// From page 2: the page number, centred in the top margin, 13 pt.
const HEADER_NUMBERED: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#;

/// Page 1: no number.
const HEADER_EMPTY: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:hdr>"#;

/// The document as a .docx file.
pub fn document(blocks: &[Block]) -> std::io::Result<Vec<u8>> {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#,
    );
    for block in blocks {
        // Two tables in a row would be read as one by LibreOffice (the second's rows joining the
        // first, its header repeated over them): a hairline paragraph keeps them apart.
        if matches!(block, Block::Table { .. } | Block::Together(_)) && body.ends_with("</w:tbl>") {
            body.push_str(r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>"#);
        }
        block_xml(block, TEXT_WIDTH, &mut body);
    }
    body.push_str(&format!(
        r#"<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:headerReference w:type="first" r:id="rId3"/><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/><w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LEFT}" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>"#
    ));
    body.push_str("</w:body></w:document>");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/settings.xml", SETTINGS),
        ("word/header1.xml", HEADER_NUMBERED),
        ("word/header2.xml", HEADER_EMPTY),
        ("word/document.xml", body.as_str()),
    ] {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The parts of a .docx the tests read.
pub fn part(docx: &[u8], name: &str) -> Option<String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).ok()?;
    let mut xml = String::new();
    archive.by_name(name).ok()?.read_to_string(&mut xml).ok()?;
    Some(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut blocks = heading(&Heading {
            parent: None,
            issuer: "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG".into(),
            symbol: "BC-UBND".into(),
            place_and_date: "Đắk Nông, ngày      tháng      năm 2022".into(),
            kind: "Báo cáo".into(),
            subject: "Kết quả thực hiện công tác dân vận chính quyền năm 2022".into(),
        });
        blocks.push(Block::Table {
            widths: vec![5000, 5000],
            borders: true,
            header_rows: 1,
            rows: vec![vec![vec![], vec![]], vec![vec![], vec![]]],
        });
        blocks.push(Block::Together(vec![
            Block::body(vec![Run::plain("A & B <c>\ndòng hai")]),
            signature_block(&Signature {
                recipients: vec!["Bộ Nội vụ;".into(), "Lưu: VT, NC.".into()],
                authority: vec!["TM. ỦY BAN NHÂN DÂN".into(), "KT. CHỦ TỊCH".into()],
                title: "Phó Chủ tịch".into(),
                name: "Tôn Thị Ngọc Hạnh".into(),
            }),
        ]));
        document(&blocks).unwrap()
    }

    #[test]
    fn the_signature_follows_who_signs() {
        let who = |position: &str| Signer {
            name: "Hồ Văn Mười".into(),
            position: position.into(),
        };
        let lines = |s: Signature| [s.authority, vec![s.title]].concat().join(" / ");
        assert_eq!(
            lines(committee_signature(Some(&who("Phó Chủ tịch UBND tỉnh")), true, &[])),
            "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
        );
        assert_eq!(
            lines(committee_signature(Some(&who("Chủ tịch UBND tỉnh")), true, &[])),
            "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
        );
        assert_eq!(
            lines(committee_signature(Some(&who("Quyền Chủ tịch UBND tỉnh")), false, &[])),
            "Q. CHỦ TỊCH"
        );
        let unknown = committee_signature(None, false, &[]);
        assert!(unknown.name.is_empty());
        assert_eq!(lines(unknown), "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH");
    }

    #[test]
    fn widths_follow_the_times_metrics() {
        // "ĐẮK" measures as "DAK" in bold: 722 + 722 + 778 thousandths of 13 pt.
        assert_eq!(text_width("ĐẮK", 13, true), (722 + 722 + 778) * 13 * 20 / 1000);
        assert!(
            text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", NATIONAL_SIZE, true) < HEADING_RIGHT - 2 * CELL_MARGIN
        );
        assert_eq!(fit(&[5000, 5000], TEXT_WIDTH).iter().sum::<u32>(), TEXT_WIDTH);
        assert_eq!(fit(&[3000, 3000], TEXT_WIDTH), [3000, 3000]);
    }

    #[test]
    fn the_xml_has_the_official_layout() {
        let bytes = sample();
        let xml = part(&bytes, "word/document.xml").unwrap();
        assert!(
            xml.contains("A &amp; B &lt;c&gt;</w:t><w:br/><w:t xml:space=\"preserve\">dòng hai"),
            "line breaks kept"
        );
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#), "A4 portrait");
        assert!(xml.contains(r#"w:top="1134" w:right="1134" w:bottom="1134" w:left="1701""#));
        assert!(xml.contains("<w:titlePg/>"), "no number on page 1");
        // Every table within the margins, every row unsplittable, the header row repeated.
        for grid in xml.split("<w:tblGrid>").skip(1) {
            let grid = &grid[..grid.find("</w:tblGrid>").unwrap()];
            let sum: u32 = grid
                .split("w:w=\"")
                .skip(1)
                .map(|w| w[..w.find('"').unwrap()].parse::<u32>().unwrap())
                .sum();
            assert!(sum <= TEXT_WIDTH, "table of {sum} twips");
        }
        assert_eq!(xml.matches("<w:tr>").count(), xml.matches("<w:cantSplit/>").count());
        assert!(!xml.contains("</w:tbl><w:tbl>"), "tables never touch: they would merge");
        // The schema's order of properties, which Word (unlike LibreOffice) enforces.
        for (before, after) in [
            ("<w:tblBorders>", "<w:tblLayout"),
            ("<w:tblLayout", "<w:tblCellMar>"),
            ("<w:tblW", "<w:tblInd"),
        ] {
            for table in xml.split("<w:tblPr>").skip(1) {
                let table = &table[..table.find("</w:tblPr>").unwrap()];
                assert!(
                    table.find(before).unwrap() < table.find(after).unwrap(),
                    "{before} before {after}"
                );
            }
        }
        for paragraph in xml.split("<w:pPr>").skip(1) {
            let props = &paragraph[..paragraph.find("</w:pPr>").unwrap()];
            let at = |tag: &str| props.find(tag);
            let order = ["<w:keepNext", "<w:pBdr", "<w:spacing", "<w:ind", "<w:jc", "<w:rPr"];
            let found: Vec<usize> = order.iter().filter_map(|t| at(t)).collect();
            assert!(found.windows(2).all(|w| w[0] < w[1]), "pPr out of order: {props}");
        }
        // The place and date in italics.
        let date_run = &xml[..xml.find("Đắk Nông, ngày").unwrap()];
        assert!(
            date_run[date_run.rfind("<w:r>").unwrap()..].contains("<w:i/>"),
            "place and date in italics"
        );
        assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
        // Three rules: issuer, motto, subject.
        assert_eq!(xml.matches("<w:pBdr><w:top w:val=\"single\"").count(), 3);
        // The last paragraph and the signature in one row that cannot split.
        let together = xml.rfind("<w:tblCellMar><w:left w:w=\"0\"").unwrap();
        assert!(xml[together..].contains("dòng hai") && xml[together..].contains("Nơi nhận:"));
        assert_eq!(xml.matches(">BÁO CÁO<").count(), 1, "one title");
        assert!(xml.contains(">Tôn Thị Ngọc Hạnh<") && xml.contains(">PHÓ CHỦ TỊCH<"));
        let styles = part(&bytes, "word/styles.xml").unwrap();
        assert!(styles.contains(r#"w:ascii="Times New Roman""#) && styles.contains(r#"<w:sz w:val="28"/>"#));
    }

    #[test]
    fn rules_are_a_share_of_their_line_and_the_motto_rule_is_the_motto() {
        let bytes = sample();
        let xml = part(&bytes, "word/document.xml").unwrap();
        let sides: Vec<u32> = xml
            .split("<w:ind w:left=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(sides.len(), 3);
        let issuer_inner = HEADING_LEFT - 2 * CELL_MARGIN;
        let issuer_rule = issuer_inner - 2 * sides[0];
        let issuer_line = text_width("ỦY BAN NHÂN DÂN", ISSUER_SIZE, true);
        assert!(
            issuer_rule * 3 >= issuer_line && issuer_rule * 2 <= issuer_line,
            "{issuer_rule} of {issuer_line}"
        );
        let motto_rule = HEADING_RIGHT - 2 * CELL_MARGIN - 2 * sides[1];
        assert!(motto_rule.abs_diff(text_width(MOTTO, MOTTO_SIZE, true)) <= 2);
    }
}
