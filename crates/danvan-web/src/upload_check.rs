//! Uploads checked by their content, beyond their first bytes: what a file holds that an
//! official's browser or office program would run or fetch is refused, with the reason in
//! Vietnamese. PDFs are read for active content (JavaScript, launch actions, embedded files,
//! names written with `#xx` escapes, inside compressed object streams too); Office files for
//! macros, embedded objects and external links; images must be whole images with nothing
//! written behind them.

use std::io::Read;

/// Why a file is refused, or `None` when it may be stored. `content_type` is the type sniffed
/// from its first bytes.
pub fn hazard(bytes: &[u8], content_type: &str) -> Option<&'static str> {
    match content_type {
        "application/pdf" => pdf_hazard(bytes),
        "image/jpeg" => image_hazard(bytes, ends_jpeg(bytes)),
        "image/png" => image_hazard(bytes, ends_png(bytes)),
        t if t.starts_with("application/vnd.openxmlformats") => office_hazard(bytes),
        _ => None,
    }
}

const PDF_ACTIVE: &str =
    "Tệp PDF có nội dung tự chạy (JavaScript, lệnh mở chương trình hoặc tệp nhúng); hệ thống không nhận tệp này.";
const OFFICE_ACTIVE: &str = "Tệp Word/Excel có macro, đối tượng nhúng hoặc liên kết ra ngoài; hãy lưu lại thành tệp không có macro rồi gửi lại.";
const IMAGE_BROKEN: &str = "Tệp ảnh không hợp lệ hoặc có nội dung khác gắn kèm sau ảnh; hãy xuất lại ảnh rồi gửi lại.";

/// A PDF name with its `#xx` escapes decoded: `/J#61vaScript` is `/JavaScript`.
fn decode_names(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'#'
            && i + 2 < text.len()
            && let (Some(h), Some(l)) = ((text[i + 1] as char).to_digit(16), (text[i + 2] as char).to_digit(16))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

fn has_active_names(text: &[u8]) -> bool {
    let decoded = decode_names(text);
    [
        &b"/JavaScript"[..],
        b"/JS",
        b"/Launch",
        b"/EmbeddedFile",
        b"/EmbeddedFiles",
        b"/RichMedia",
        b"/XFA",
    ]
    .iter()
    .any(|name| {
        decoded.windows(name.len()).enumerate().any(|(at, w)| {
            // A whole name: not "/JSON" or "/JSomething".
            w == *name && decoded.get(at + name.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
        })
    })
}

fn pdf_hazard(bytes: &[u8]) -> Option<&'static str> {
    if has_active_names(bytes) {
        return Some(PDF_ACTIVE);
    }
    // Objects inside compressed streams (object streams): inflated, within a bound, and read.
    let mut rest = bytes;
    let mut inflated_total = 0usize;
    while let Some(at) = find(rest, b"stream") {
        let after = &rest[at + b"stream".len()..];
        let body = after
            .strip_prefix(b"\r\n")
            .or_else(|| after.strip_prefix(b"\n"))
            .unwrap_or(after);
        let end = find(body, b"endstream").unwrap_or(body.len());
        let mut inflated = Vec::new();
        let limit = (64usize << 20).saturating_sub(inflated_total) as u64;
        if flate2::read::ZlibDecoder::new(&body[..end])
            .take(limit)
            .read_to_end(&mut inflated)
            .is_ok()
        {
            inflated_total += inflated.len();
            if has_active_names(&inflated) {
                return Some(PDF_ACTIVE);
            }
        }
        rest = &body[end.min(body.len())..];
        if inflated_total >= 64 << 20 {
            break;
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn office_hazard(bytes: &[u8]) -> Option<&'static str> {
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Some(OFFICE_ACTIVE);
    };
    let risky = archive.file_names().any(|name| {
        let Ok(name) = name else { return true };
        let lower = name.to_ascii_lowercase();
        lower.ends_with("vbaproject.bin")
            || lower.contains("/embeddings/")
            || lower.contains("oleobject")
            || lower.contains("activex")
            || lower.contains("externallink")
    });
    risky.then_some(OFFICE_ACTIVE)
}

fn ends_jpeg(bytes: &[u8]) -> bool {
    bytes.ends_with(&[0xFF, 0xD9])
}

fn ends_png(bytes: &[u8]) -> bool {
    bytes.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82])
}

fn image_hazard(bytes: &[u8], whole: bool) -> Option<&'static str> {
    let lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
    let markup = [&b"<script"[..], b"<html", b"<?php", b"<svg", b"<iframe"]
        .iter()
        .any(|m| find(&lower, m).is_some());
    (!whole || markup).then_some(IMAGE_BROKEN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// The smallest whole PNG: one white pixel.
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
        8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xFF,
        0xFF, 0x3F, 0, 0x05, 0xFE, 0x02, 0xFE, 0xDC, 0xCC, 0x59, 0xE7, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
        0x60, 0x82,
    ];

    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        for name in names {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(b"x").unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn active_pdfs_are_refused_however_they_write_it() {
        assert_eq!(
            hazard(b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF", "application/pdf"),
            None
        );
        for pdf in [
            &b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj"[..],
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /J#61vaScript /J#53 (x) >> >> endobj",
            b"%PDF-1.4\n1 0 obj << /A << /S /Launch /F (cmd.exe) >> >> endobj",
            b"%PDF-1.4\n1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj",
        ] {
            assert_eq!(
                hazard(pdf, "application/pdf"),
                Some(PDF_ACTIVE),
                "{}",
                String::from_utf8_lossy(pdf)
            );
        }
        // The action inside a compressed object stream.
        let mut packed = Vec::new();
        let mut encoder = flate2::write::ZlibEncoder::new(&mut packed, flate2::Compression::default());
        encoder
            .write_all(b"3 0 obj << /S /JavaScript /JS (x) >> endobj")
            .unwrap();
        encoder.finish().unwrap();
        let mut pdf = b"%PDF-1.5\n4 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&packed);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF");
        assert_eq!(hazard(&pdf, "application/pdf"), Some(PDF_ACTIVE));
        // "/JSON" is not "/JS".
        assert_eq!(hazard(b"%PDF-1.4\n<< /JSON 1 >>", "application/pdf"), None);
    }

    #[test]
    fn office_files_with_macros_embedded_objects_or_external_links_are_refused() {
        let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        assert_eq!(hazard(&zip_of(&["word/document.xml"]), docx), None);
        for parts in [
            &["word/document.xml", "word/vbaProject.bin"][..],
            &["word/document.xml", "word/embeddings/oleObject1.bin"],
            &["xl/workbook.xml", "xl/externalLinks/externalLink1.xml"],
        ] {
            assert_eq!(hazard(&zip_of(parts), docx), Some(OFFICE_ACTIVE), "{parts:?}");
        }
    }

    #[test]
    fn images_must_be_whole_with_nothing_behind_them() {
        assert_eq!(hazard(PNG, "image/png"), None);
        let mut html = PNG.to_vec();
        html.extend_from_slice(b"<html><script>alert(1)</script></html>");
        assert_eq!(hazard(&html, "image/png"), Some(IMAGE_BROKEN));
        let jpeg_with_html = [&[0xFF, 0xD8, 0xFF, 0xE0][..], b"<html><body>x</body></html>"].concat();
        assert_eq!(hazard(&jpeg_with_html, "image/jpeg"), Some(IMAGE_BROKEN));
        let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3][..], &[0xFF, 0xD9]].concat();
        assert_eq!(hazard(&jpeg, "image/jpeg"), None);
    }
}
