//! The text of a PDF with a text layer, in reading order, and its digital signatures.
//!
//! The glyphs come from `pdf-extract` (fonts, encodings and ToUnicode maps are its work); this
//! module only puts them back in the order a reader follows. Each page's glyphs are gathered
//! into visual lines by their baselines; a line whose glyphs leave a wide gap is cut there into
//! segments. A run of lines cut into a left and a right part (the header table of Nghị định
//! 30/2020: issuing body beside the national motto, number beside place and date; and the
//! signature table: addressees beside the signature) is read as the table it was: the left
//! column's lines, then the right column's. Elsewhere a blank line marks a new paragraph (a gap
//! wider than the page's line spacing, or a first-line indent), a line ending in a hyphen glued
//! to a word continues on the next without a space, and a page number alone is dropped. A glyph drawn twice at the same place (a bold imitated by overprinting)
//! is kept once; combining marks follow their letter and are composed by the parser's
//! normalisation.
//!
//! Signatures ([`signatures`]) are read from the signature dictionaries (`/ByteRange`,
//! `/Contents`): the signer named in the signing certificate, the signing time, and whether the
//! file changed after signing (bytes added after the signed range, or a digest over the signed
//! range that is not the one signed). The certificate chain is not verified.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// Why a PDF gave no text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfError {
    /// The file cannot be opened as a PDF (corrupt, truncated, or encrypted with a password).
    Corrupt,
    /// Pages without a text layer: a scan.
    Scan,
}

/// One glyph as drawn: its left edge and baseline (points from the page's top left), advance
/// and size.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

#[derive(Default)]
struct Collector {
    flip: Option<Transform>,
    page_width: f64,
    page: Vec<Glyph>,
    pages: Vec<(f64, Vec<Glyph>)>,
}

impl OutputDev for Collector {
    fn begin_page(&mut self, _: u32, media_box: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.flip = Some(Transform::row_major(
            1.0,
            0.0,
            0.0,
            -1.0,
            0.0,
            media_box.ury - media_box.lly,
        ));
        self.page_width = (media_box.urx - media_box.llx).abs();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        let glyphs = std::mem::take(&mut self.page);
        self.pages.push((self.page_width, glyphs));
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let Some(flip) = self.flip else { return Ok(()) };
        if text.is_empty() || text.chars().all(char::is_whitespace) {
            return Ok(());
        }
        let position = trm.post_transform(&flip);
        // The side of the square with the area the transformed glyph box has.
        let scale_x = font_size * (trm.m11 + trm.m21);
        let scale_y = font_size * (trm.m12 + trm.m22);
        let size = (scale_x * scale_y).abs().sqrt();
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let (x, y) = (position.m31, position.m32);
        self.page.push(Glyph {
            x,
            y,
            end: x + width * size,
            size,
            text: text.to_owned(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A visual line: its baseline, its typical glyph size, and its segments (runs of glyphs
/// without a wide gap), left to right, each with its extent.
#[derive(Debug)]
struct Line {
    y: f64,
    size: f64,
    segments: Vec<Segment>,
}

#[derive(Debug)]
struct Segment {
    x0: f64,
    x1: f64,
    text: String,
}

/// Fewer letters than this per page on average is a scan with a few words of text (a footer, a
/// stamp, a page number) rather than a document with a text layer; a short real page holds a
/// few hundred.
const MIN_LETTERS_PER_PAGE: usize = 60;
/// A gap wider than this many glyph sizes separates two columns.
const COLUMN_GAP: f64 = 2.2;
/// A gap wider than this fraction of the glyph size separates two words.
const WORD_GAP: f64 = 0.12;

fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite());
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Baselines within 40 % of a glyph's size belong to one line (columns set in different
    // sizes sit a point or two apart).
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match rows.last_mut() {
            Some(row) if (glyph.y - row[0].y).abs() <= 0.4 * glyph.size.max(row[0].size) => row.push(glyph),
            _ => rows.push(vec![glyph]),
        }
    }
    rows.into_iter().filter_map(line_of).collect()
}

fn line_of(mut glyphs: Vec<Glyph>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut sizes: Vec<f64> = glyphs.iter().map(|g| g.size).collect();
    sizes.sort_by(f64::total_cmp);
    let size = *sizes.get(sizes.len() / 2)?;
    let y = glyphs.iter().map(|g| g.y).sum::<f64>() / glyphs.len() as f64;
    let mut segments: Vec<Segment> = Vec::new();
    let mut kept: Vec<&Glyph> = Vec::new();
    for glyph in &glyphs {
        // The same glyph drawn again where it already is: an imitated bold.
        let doubled =
            kept.iter().rev().take(4).any(|k| {
                k.text == glyph.text && (k.x - glyph.x).abs() < 0.2 * size && (k.y - glyph.y).abs() < 0.2 * size
            });
        if doubled {
            continue;
        }
        let combining = glyph.text.chars().all(is_combining);
        match segments.last_mut() {
            Some(segment) if combining || glyph.x - segment.x1 <= COLUMN_GAP * size => {
                if !combining && glyph.x - segment.x1 > WORD_GAP * size {
                    segment.text.push(' ');
                }
                segment.text.push_str(&glyph.text);
                segment.x1 = segment.x1.max(glyph.end);
            }
            _ => segments.push(Segment {
                x0: glyph.x,
                x1: glyph.end,
                text: glyph.text.clone(),
            }),
        }
        kept.push(glyph);
    }
    Some(Line { y, size, segments })
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

/// Where the page's left column ends, if `line` is cut into a left and a right part, each on
/// its own side of the page's middle band.
fn column_split(line: &Line, width: f64) -> Option<f64> {
    let [left, .., right] = line.segments.as_slice() else {
        return None;
    };
    let middle = width / 2.0;
    let gap = line.segments.windows(2).map(|w| w[1].x0 - w[0].x1).fold(0.0, f64::max);
    (left.x0 < middle && right.x1 > middle && gap > COLUMN_GAP * line.size).then(|| (left.x1 + right.x0) / 2.0)
}

fn joined(line: &Line) -> String {
    line.segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\t")
}

/// Whether `line` starts a new paragraph after `previous`: a wider gap than the lines of one
/// paragraph leave, or a first-line indent after a line that began at the margin.
fn starts_paragraph(previous: &Line, line: &Line, margin: f64, spacing: f64) -> bool {
    let size = previous.size.max(line.size);
    let (Some(first), Some(before)) = (line.segments.first(), previous.segments.first()) else {
        return false;
    };
    let gap = line.y - previous.y;
    (gap > 1.5 * size && gap > 1.25 * spacing) || (first.x0 > margin + 0.8 * size && before.x0 <= margin + 0.5 * size)
}

/// The page's usual distance between the baselines of one paragraph's lines: the median gap
/// between consecutive lines, leaving out the wide ones (tables, titles, page breaks).
fn line_spacing(lines: &[Line]) -> f64 {
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .filter(|w| w[1].y - w[0].y > 0.0 && w[1].y - w[0].y < 2.5 * w[0].size.max(w[1].size))
        .map(|w| w[1].y - w[0].y)
        .collect();
    gaps.sort_by(f64::total_cmp);
    gaps.get(gaps.len() / 2).copied().unwrap_or(0.0)
}

/// A page's number printed alone at its top or bottom.
fn is_page_number(line: &Line) -> bool {
    let text = joined(line);
    let text = text.trim();
    !text.is_empty() && text.len() <= 4 && text.chars().all(|c| c.is_ascii_digit())
}

/// Adds a line of running text: a line that ends in a hyphen glued to a word ("UBND-" before
/// "NC" on the next line: a symbol broken at the margin) is continued without a space.
fn push_running(out: &mut String, text: &str) {
    let continues = out.ends_with('-') && {
        let before = out[..out.len() - 1].chars().next_back();
        before.is_some_and(|c| c.is_alphanumeric())
    };
    if continues
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        out.push_str(text);
    } else {
        if !out.is_empty() && !out.ends_with(['\n', ' ']) {
            out.push('\n');
        }
        out.push_str(text);
    }
}

/// The lines of a table that starts at `lines[0]` (a line cut into a left and a right part):
/// how many lines it runs for, and each segment's side (`true` for left). A line belongs to it
/// while each of its segments lies left of where the right column's text begins, or right of
/// where the left column's ends.
fn table_of(lines: &[Line]) -> (usize, Vec<Vec<bool>>) {
    let first = &lines[0];
    let mut left_end = first.segments[0].x1;
    let mut right_start = first.segments[first.segments.len() - 1].x0;
    let mut sides = vec![
        (0..first.segments.len())
            .map(|k| k + 1 < first.segments.len() || first.segments.len() == 1)
            .collect::<Vec<_>>(),
    ];
    let mut count = 1;
    for line in &lines[1..] {
        let slack = 0.5 * line.size;
        let mut line_sides = Vec::new();
        for segment in &line.segments {
            if segment.x1 < right_start - slack {
                line_sides.push(true);
            } else if segment.x0 > left_end + slack {
                line_sides.push(false);
            } else {
                return (count, sides);
            }
        }
        for (segment, left) in line.segments.iter().zip(&line_sides) {
            if *left {
                left_end = left_end.max(segment.x1);
            } else {
                right_start = right_start.min(segment.x0);
            }
        }
        sides.push(line_sides);
        count += 1;
    }
    (count, sides)
}

/// One page's text in reading order.
///
/// Returns whether the page ends with a full line: its paragraph goes on at the next page.
fn page_text(width: f64, glyphs: Vec<Glyph>, out: &mut String) -> bool {
    let mut lines = lines_of(glyphs);
    if lines.last().is_some_and(is_page_number) {
        lines.pop();
    }
    if lines.first().is_some_and(is_page_number) {
        lines.remove(0);
    }
    let spacing = line_spacing(&lines);
    let margin = lines
        .iter()
        .filter_map(|l| l.segments.first().map(|s| s.x0))
        .fold(f64::INFINITY, f64::min);
    // Where full lines end: the right edge of the running text.
    let right_edge = lines
        .iter()
        .filter(|l| l.segments.len() == 1)
        .filter_map(|l| l.segments.last().map(|s| s.x1))
        .fold(0.0, f64::max);
    let mut i = 0;
    while i < lines.len() {
        if column_split(&lines[i], width).is_none() {
            let line = &lines[i];
            if i > 0 {
                let previous = &lines[i - 1];
                let full = previous.segments.len() == 1 && previous.segments[0].x1 >= right_edge - 1.5 * previous.size;
                if starts_paragraph(previous, line, margin, spacing) {
                    // One line per paragraph, as a Word document's text reads.
                    out.push('\n');
                } else if full && !out.ends_with('-') && !out.ends_with('\n') {
                    // A line that runs to the right edge wraps: its paragraph goes on.
                    out.push(' ');
                    out.push_str(&joined(line));
                    i += 1;
                    continue;
                }
            }
            push_running(out, &joined(line));
            i += 1;
            continue;
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        let (count, sides) = table_of(&lines[i..]);
        // Read as the table it was: the left cells, then the right (a Word table's order).
        for side in [true, false] {
            for (line, line_sides) in lines[i..i + count].iter().zip(&sides) {
                let cell: Vec<&str> = line
                    .segments
                    .iter()
                    .zip(line_sides)
                    .filter(|(_, left)| **left == side)
                    .map(|(s, _)| s.text.as_str())
                    .collect();
                if !cell.is_empty() {
                    out.push_str(&cell.join(" "));
                    out.push('\n');
                }
            }
        }
        out.push('\n');
        i += count;
    }
    let runs_on = lines.last().is_some_and(|last| {
        last.segments.len() == 1 && last.segments[0].x1 >= right_edge - 1.5 * last.size && !out.ends_with('\n')
    });
    if !runs_on && !out.ends_with('\n') {
        out.push('\n');
    }
    runs_on
}

/// The most bytes a PDF's compressed streams may inflate to, together: the PDF library inflates
/// a stream whole, so a small file of highly compressed zeros (a decompression bomb) is turned
/// away before it is opened.
pub const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;

/// Whether every Flate stream of the file, inflated, stays within [`MAX_INFLATED_BYTES`] in all.
/// Streams are found by their `stream` and `endstream` keywords and inflated into nothing, each
/// read only up to what is left of the budget.
fn inflates_within_bounds(bytes: &[u8]) -> bool {
    inflates_within(bytes, MAX_INFLATED_BYTES)
}

fn inflates_within(bytes: &[u8], budget: u64) -> bool {
    use std::io::Read as _;
    let mut left = budget;
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let mut start = at + found + b"stream".len();
        at = start;
        // Only the keyword followed by its line end opens a stream.
        match bytes.get(start..start + 2) {
            Some([b'\r', b'\n']) => start += 2,
            Some([b'\n', _]) | Some([b'\r', _]) => start += 1,
            _ => continue,
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e);
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[start..end]).take(left + 1);
        let mut sink = [0u8; 64 * 1024];
        let mut inflated = 0u64;
        loop {
            match decoder.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => inflated += n as u64,
            }
        }
        if inflated > left {
            return false;
        }
        left -= inflated;
        at = (end + b"endstream".len()).min(bytes.len());
    }
    true
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The text of a PDF in reading order, pages separated by a form feed.
pub fn text_of(bytes: &[u8]) -> Result<String, PdfError> {
    if !inflates_within_bounds(bytes) {
        return Err(PdfError::Corrupt);
    }
    // The extraction library panics on some malformed files: a panic is a corrupt file.
    let pages = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<(f64, Vec<Glyph>)>, PdfError> {
        let mut document = pdf_extract::Document::load_mem(bytes).map_err(|_| PdfError::Corrupt)?;
        if document.is_encrypted() {
            // An owner password alone (printing, copying) still opens with the empty password.
            document.decrypt("").map_err(|_| PdfError::Corrupt)?;
        }
        let mut collector = Collector::default();
        pdf_extract::output_doc(&document, &mut collector).map_err(|_| PdfError::Corrupt)?;
        Ok(collector.pages)
    }))
    .map_err(|_| PdfError::Corrupt)??;
    // A scan: pages without a text layer, or with only a stamp's or a footer's few words.
    let page_count = pages.len().max(1);
    let letters: usize = pages
        .iter()
        .flat_map(|(_, glyphs)| glyphs.iter())
        .map(|g| g.text.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if letters < 10 || letters < MIN_LETTERS_PER_PAGE * page_count {
        return Err(PdfError::Scan);
    }
    let mut out = String::new();
    let mut runs_on = false;
    for (index, (width, glyphs)) in pages.into_iter().enumerate() {
        if runs_on {
            // A paragraph broken by the page goes on.
            out.push(' ');
        } else if index > 0 {
            out.push('\u{0c}');
            out.push('\n');
        }
        runs_on = page_text(width, glyphs, &mut out);
    }
    Ok(out)
}

/// What a PDF's digital signature says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSignature {
    /// The signer: the signing certificate's common name, or the signature's `/Name`.
    pub signer: Option<String>,
    /// The organisation in the signing certificate, when it names one.
    pub organisation: Option<String>,
    /// When it was signed, as `dd/mm/yyyy HH:MM:SS` with its offset from UTC.
    pub signed_at: Option<String>,
    /// A document timestamp (RFC 3161) rather than a person's or an agency's signature.
    pub timestamp: bool,
    /// Whether the file holds bytes after the signed range that are not later signatures or
    /// timestamps (an update added after signing).
    pub changed_after: bool,
    /// Signatures or timestamps added after this one, each over the whole file as it then was.
    pub later_signatures: usize,
    /// Whether the digest of the signed range is the one signed (and the range is a signature's:
    /// from the file's start, around exactly its own `/Contents`); `None` when the signature
    /// carries no digest to compare or an algorithm not known here.
    pub digest_matches: Option<bool>,
    /// Whether the signature value holds with the signing certificate's key; `None` when it
    /// cannot be checked here.
    pub signature_valid: Option<bool>,
}

impl PdfSignature {
    /// Whether the signed content is known to be unchanged and signed with the certificate's
    /// key (the certificate itself not checked against any authority).
    pub fn intact(&self) -> bool {
        !self.changed_after && self.digest_matches == Some(true) && self.signature_valid == Some(true)
    }
}

/// The digital signatures of a PDF, in the file's order (empty when it has none or cannot be
/// opened).
pub fn signatures(bytes: &[u8]) -> Vec<PdfSignature> {
    catch_unwind(AssertUnwindSafe(|| signatures_inner(bytes))).unwrap_or_default()
}

fn signatures_inner(bytes: &[u8]) -> Vec<PdfSignature> {
    use pdf_extract::Object;
    if !inflates_within_bounds(bytes) {
        return Vec::new();
    }
    let Ok(document) = pdf_extract::Document::load_mem(bytes) else {
        return Vec::new();
    };
    // (where its range ends, the signature), in the order they were added.
    let mut found: Vec<(usize, PdfSignature)> = Vec::new();
    for object in document.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let (Ok(range), Ok(contents)) = (dict.get(b"ByteRange"), dict.get(b"Contents")) else {
            continue;
        };
        let Ok(range) = range.as_array() else { continue };
        let range: Vec<i64> = range.iter().filter_map(|o| o.as_i64().ok()).collect();
        let Object::String(contents, _) = contents else {
            continue;
        };
        let name = |key: &[u8]| dict.get(key).ok().and_then(|o| o.as_name().ok()).map(|n| n.to_vec());
        let timestamp =
            name(b"Type").as_deref() == Some(b"DocTimeStamp") || name(b"SubFilter").as_deref() == Some(b"ETSI.RFC3161");
        let mut signature = PdfSignature {
            signer: dict.get(b"Name").ok().and_then(pdf_string),
            organisation: None,
            signed_at: dict.get(b"M").ok().and_then(pdf_string).and_then(|m| pdf_date(&m)),
            timestamp,
            changed_after: true,
            later_signatures: 0,
            digest_matches: None,
            signature_valid: None,
        };
        let signed = signed_range(bytes, &range);
        if let Some(cms) = crate::cms::read(contents) {
            signature.signer = cms.signer.or(signature.signer);
            signature.organisation = cms.organisation;
            signature.signed_at = cms.signed_at.or(signature.signed_at);
            // A timestamp signs its token (the digest of the range sits inside it), not the range.
            if !timestamp {
                signature.signature_valid = cms.signature_valid;
                if let (Some((content, _)), Some((algorithm, digest))) = (&signed, &cms.digest) {
                    signature.digest_matches = crate::cms::digest(*algorithm, content).map(|d| &d == digest);
                }
            }
        }
        // The range must be a signature's: from the start, leaving out exactly the hex string
        // of its own `/Contents`.
        if !timestamp && !range_is_a_signatures(bytes, &range) {
            signature.digest_matches = Some(false);
        }
        let end = signed.as_ref().map_or(0, |(_, end)| *end);
        found.push((end, signature));
    }
    found.sort_by_key(|(end, _)| *end);
    let ends: Vec<usize> = found.iter().map(|(end, _)| *end).collect();
    let file_end = bytes.len() - bytes.iter().rev().take_while(|b| b.is_ascii_whitespace()).count();
    let last_end = ends.iter().copied().max().unwrap_or(0);
    found
        .into_iter()
        .map(|(end, mut signature)| {
            signature.later_signatures = ends.iter().filter(|e| **e > end).count();
            // What follows is later signatures up to the last one's end, and nothing after it
            // (a final newline is not an update).
            signature.changed_after = end == 0 || last_end < file_end;
            signature
        })
        .collect()
}

/// Whether a `/ByteRange` is laid out as a signature's: `[0 a b c]` with the gap between `a`
/// and `b` exactly one hexadecimal string (`<…>`), ending the file at `b + c`.
fn range_is_a_signatures(bytes: &[u8], range: &[i64]) -> bool {
    let [0, a, b, c] = range else { return false };
    let (Ok(a), Ok(b), Ok(c)) = (usize::try_from(*a), usize::try_from(*b), usize::try_from(*c)) else {
        return false;
    };
    b > a
        && b.checked_add(c).is_some_and(|end| end <= bytes.len())
        && bytes.get(a) == Some(&b'<')
        && bytes.get(b - 1) == Some(&b'>')
        && bytes[a + 1..b - 1]
            .iter()
            .all(|x| x.is_ascii_hexdigit() || x.is_ascii_whitespace())
}

/// The bytes a `/ByteRange` covers, and where its last range ends.
fn signed_range(bytes: &[u8], range: &[i64]) -> Option<(Vec<u8>, usize)> {
    if range.len() != 4 || range.iter().any(|n| *n < 0) {
        return None;
    }
    let [a, b, c, d] = [range[0], range[1], range[2], range[3]].map(|n| n as usize);
    let first = bytes.get(a..a.checked_add(b)?)?;
    let second = bytes.get(c..c.checked_add(d)?)?;
    let mut content = Vec::with_capacity(first.len() + second.len());
    content.extend_from_slice(first);
    content.extend_from_slice(second);
    Some((content, c + d))
}

/// A PDF text string: UTF-16 with its byte-order mark, or PDFDocEncoding (Latin-1 for what a
/// name holds).
fn pdf_string(object: &pdf_extract::Object) -> Option<String> {
    let pdf_extract::Object::String(bytes, _) = object else {
        return None;
    };
    let text = if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_owned()
    } else {
        bytes.iter().map(|b| char::from(*b)).collect()
    };
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A PDF date (`D:20250715090000+07'00'`) as `15/07/2025 09:00:00 (+07:00)`.
fn pdf_date(raw: &str) -> Option<String> {
    let digits = raw.strip_prefix("D:").unwrap_or(raw);
    let number = |range: std::ops::Range<usize>| -> Option<u32> { digits.get(range)?.parse().ok() };
    let year = number(0..4)?;
    let month = number(4..6).unwrap_or(1);
    let day = number(6..8).unwrap_or(1);
    let hour = number(8..10).unwrap_or(0);
    let minute = number(10..12).unwrap_or(0);
    let second = number(12..14).unwrap_or(0);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let zone = digits.get(14..).unwrap_or("");
    let offset = match zone.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let parts: Vec<&str> = zone[1..].split('\'').filter(|p| !p.is_empty()).collect();
            format!(
                " ({sign}{}:{})",
                parts.first().copied().unwrap_or("00"),
                parts.get(1).copied().unwrap_or("00")
            )
        }
        Some('Z') => " (UTC)".to_owned(),
        _ => String::new(),
    };
    Some(format!(
        "{day:02}/{month:02}/{year:04} {hour:02}:{minute:02}:{second:02}{offset}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(line: &str, x: f64, y: f64) -> Vec<Glyph> {
        line.chars()
            .enumerate()
            .filter(|(_, c)| *c != ' ')
            .map(|(i, c)| Glyph {
                x: x + i as f64 * 6.0,
                y,
                end: x + i as f64 * 6.0 + 5.5,
                size: 12.0,
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_two_column_header_is_read_cell_by_cell_and_the_body_line_by_line() {
        let mut page = Vec::new();
        page.extend(glyphs("UBND TỈNH", 60.0, 60.0));
        page.extend(glyphs("CỘNG HÒA XÃ HỘI", 300.0, 60.0));
        page.extend(glyphs("SỞ NỘI VỤ", 60.0, 74.0));
        page.extend(glyphs("Độc lập", 300.0, 74.0));
        page.extend(glyphs("Số: 12/SNV", 60.0, 110.0));
        page.extend(glyphs("Gia Nghĩa, ngày 1", 300.0, 110.0));
        page.extend(glyphs("V/v dân vận", 60.0, 124.0));
        page.extend(glyphs("Kính gửi: các sở, ngành của tỉnh và các huyện", 60.0, 160.0));
        let mut out = String::new();
        page_text(595.0, page, &mut out);
        let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            [
                "UBND TỈNH",
                "SỞ NỘI VỤ",
                "Số: 12/SNV",
                "V/v dân vận",
                "CỘNG HÒA XÃ HỘI",
                "Độc lập",
                "Gia Nghĩa, ngày 1",
                "Kính gửi: các sở, ngành của tỉnh và các huyện",
            ]
        );
    }

    #[test]
    fn a_glyph_drawn_twice_is_kept_once_and_a_combining_mark_stays_on_its_letter() {
        let mut page = glyphs("Sở", 60.0, 60.0);
        page.extend(glyphs("Sở", 60.2, 60.0));
        page.push(Glyph {
            x: 66.0,
            y: 60.0,
            end: 66.0,
            size: 12.0,
            text: "\u{0301}".into(),
        });
        let mut out = String::new();
        page_text(595.0, page, &mut out);
        assert_eq!(out.trim(), "Sở\u{0301}");
    }

    #[test]
    fn pdf_dates_read_with_their_offset() {
        assert_eq!(
            pdf_date("D:20250715090102+07'00'").as_deref(),
            Some("15/07/2025 09:01:02 (+07:00)")
        );
        assert_eq!(pdf_date("D:2025").as_deref(), Some("01/01/2025 00:00:00"));
        assert_eq!(pdf_date("D:20251399"), None);
    }

    #[test]
    fn a_decompression_bomb_is_turned_away_before_it_is_opened() {
        use std::io::Write as _;
        let stream = |megabytes: usize| {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&vec![0u8; megabytes << 20]).unwrap();
            let packed = encoder.finish().unwrap();
            let mut pdf = b"%PDF-1.5\n1 0 obj << /Filter /FlateDecode >>\nstream\n".to_vec();
            pdf.extend_from_slice(&packed);
            pdf.extend_from_slice(b"\nendstream\nendobj\n");
            pdf
        };
        // Within a budget of 4 MB: one stream of 3 MB passes, two do not.
        let one = stream(3);
        assert!(one.len() < 64 << 10, "zeros pack small: {}", one.len());
        assert!(inflates_within(&one, 4 << 20));
        let mut two = one.clone();
        two.extend_from_slice(&stream(3)[b"%PDF-1.5\n".len()..]);
        assert!(!inflates_within(&two, 4 << 20));
        // Text and signatures are read only from files within the real budget.
        let mut bomb = b"%PDF-1.5\n".to_vec();
        let chunk = stream(64);
        for _ in 0..5 {
            bomb.extend_from_slice(&chunk[b"%PDF-1.5\n".len()..]);
        }
        // Within the upload's 10 MB (how small depends on the deflate backend the build picks).
        assert!(bomb.len() < 10 << 20, "320 MB of zeros in {} bytes", bomb.len());
        assert_eq!(text_of(&bomb).err(), Some(PdfError::Corrupt));
        assert!(signatures(&bomb).is_empty());
    }

    #[test]
    fn garbage_is_a_corrupt_pdf_and_a_textless_one_a_scan() {
        assert_eq!(text_of(b"%PDF-1.4\nnonsense").err(), Some(PdfError::Corrupt));
        assert_eq!(signatures(b"%PDF-1.4\nnonsense"), Vec::new());
    }
}
