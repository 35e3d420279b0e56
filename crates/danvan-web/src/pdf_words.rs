//! For tests (here and in other crates): the words of a PDF with their boxes and pages, read with
//! poppler's `pdftotext -bbox` (Debian's poppler-utils, which `scripts/test` installs). The
//! server never calls it.

use std::path::Path;
use std::process::Command;

/// A word of a PDF page, in points from the page's top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub page: usize,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

/// A PDF's pages (width, height in points) and words.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    pub pages: Vec<(f64, f64)>,
    pub words: Vec<Word>,
}

fn attribute(tag: &str, name: &str) -> Option<f64> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    tag[start..start + tag[start..].find('"')?].parse().ok()
}

fn unescape(text: &str) -> String {
    text.replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Reads a PDF's words; pieces of one word that `pdftotext` cut where a glyph's font or
/// position changes (they touch) are joined again. Panics when `pdftotext` is missing: the
/// tests that use it are the check.
pub fn read(pdf: &Path) -> PdfText {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) must be installed: scripts/test installs it");
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    parse(&String::from_utf8_lossy(&output.stdout))
}

/// The words of `pdftotext -bbox` output.
pub fn parse(html: &str) -> PdfText {
    let mut text = PdfText::default();
    for (page, content) in html.split("<page ").skip(1).enumerate() {
        let head = &content[..content.find('>').unwrap_or(0)];
        text.pages.push((
            attribute(head, "width").unwrap_or(0.0),
            attribute(head, "height").unwrap_or(0.0),
        ));
        for tag in content.split("<word ").skip(1) {
            let Some((head, body)) = tag[..tag.find("</word>").unwrap_or(tag.len())].split_once('>') else {
                continue;
            };
            let coordinate = |name| attribute(head, name).unwrap_or(0.0);
            let word = Word {
                page: page + 1,
                x0: coordinate("xMin"),
                y0: coordinate("yMin"),
                x1: coordinate("xMax"),
                y1: coordinate("yMax"),
                text: unescape(body),
            };
            match text.words.last_mut() {
                Some(last)
                    if last.page == word.page && (last.y0 - word.y0).abs() < 0.5 && (word.x0 - last.x1).abs() < 0.6 =>
                {
                    last.x1 = word.x1;
                    last.text.push_str(&word.text);
                }
                _ => text.words.push(word),
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_pages_are_read_and_cut_words_joined() {
        let html = r#"<page width="595.3" height="841.9"><word xMin="10" yMin="20" xMax="15" yMax="30">Ủ</word><word xMin="15.2" yMin="20" xMax="25" yMax="30">Y</word><word xMin="30" yMin="20" xMax="40" yMax="30">R&apos;Lấp</word></page><page width="595.3" height="841.9"></page>"#;
        let text = parse(html);
        assert_eq!(text.pages.len(), 2);
        let words: Vec<&str> = text.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["ỦY", "R'Lấp"]);
        assert_eq!((text.words[0].x0, text.words[0].x1), (10.0, 25.0));
    }
}
