//! Uploads checked by their content, beyond their first bytes: what a file holds that an
//! official's browser or office program would run or fetch is refused, with the reason in
//! Vietnamese. PDFs are read for active content (JavaScript, launch actions, embedded files,
//! names written with `#xx` escapes, inside compressed object streams too); Office files for
//! macros, embedded objects and external links; images must be whole images with nothing
//! written behind them, and are decoded and encoded anew, which drops whatever was hidden in
//! their metadata. The checks run on the heavy-work pool (`crate::heavy`).

use std::io::{Cursor, Read};

use axum::body::Bytes;
use danvan_app::store::StoreError;
use danvan_app::store::directive::Attachment;

use crate::error::AppError;
use crate::heavy::Heavy;

/// The largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Why an uploaded file is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not a PDF, Word, Excel, JPEG or PNG file.
    UnknownType,
    /// Of an accepted type, but holding something that is refused: the reason, in Vietnamese.
    Hazard(&'static str),
}

/// Attachment types accepted, recognised from their first bytes.
pub fn attachment_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"PK\x03\x04") {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        if archive.len() > 5_000 {
            return None;
        }
        if archive.by_name("word/document.xml").is_ok() {
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        } else if archive.by_name("xl/workbook.xml").is_ok() {
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        } else {
            None
        }
    } else {
        None
    }
}

/// One file checked: its type and the bytes to keep (an image encoded anew), or why it is
/// refused. CPU-heavy for large images: call it on the heavy-work pool.
pub fn check(bytes: &Bytes) -> Result<(Bytes, &'static str), Refused> {
    let content_type = attachment_type(bytes).ok_or(Refused::UnknownType)?;
    if let Some(reason) = hazard(bytes, content_type) {
        return Err(Refused::Hazard(reason));
    }
    let kept = match content_type {
        "image/jpeg" => reencode(bytes, image::ImageFormat::Jpeg),
        "image/png" => reencode(bytes, image::ImageFormat::Png),
        _ => return Ok((bytes.clone(), content_type)),
    };
    kept.map(|image| (Bytes::from(image), content_type))
        .ok_or(Refused::Hazard(IMAGE_BROKEN))
}

/// A file accepted for storing.
#[derive(Debug)]
pub struct Checked {
    pub name: String,
    pub bytes: Bytes,
    pub content_type: &'static str,
}

/// Uploaded files checked for size, type and content on the heavy-work pool; each refused
/// file adds an error naming it.
pub async fn check_files(
    heavy: &Heavy,
    files: &[(String, Bytes)],
    errors: &mut Vec<String>,
) -> Result<Vec<Checked>, AppError> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let files = files.to_vec();
    let (checked, refused) = heavy
        .run(move || {
            let mut checked = Vec::new();
            let mut refused = Vec::new();
            for (name, bytes) in files {
                if bytes.len() > MAX_ATTACHMENT_BYTES {
                    refused.push(format!("Tệp “{name}” lớn hơn 10 MB."));
                    continue;
                }
                match check(&bytes) {
                    Ok((bytes, content_type)) => checked.push(Checked {
                        name,
                        bytes,
                        content_type,
                    }),
                    Err(Refused::Hazard(reason)) => refused.push(format!("Tệp “{name}”: {reason}")),
                    Err(Refused::UnknownType) => {
                        refused.push(format!("Tệp “{name}” không phải PDF, Word, Excel, JPG hay PNG."))
                    }
                }
            }
            (checked, refused)
        })
        .await?;
    errors.extend(refused);
    Ok(checked)
}

/// A name safe to show and to send in a download header: no control characters or path
/// separators, at most 120 characters; `fallback` when nothing is left.
pub fn safe_file_name(name: &str, fallback: &str) -> String {
    let safe: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .take(120)
        .collect();
    if safe.trim().is_empty() {
        fallback.to_owned()
    } else {
        safe
    }
}

/// Stores checked files, content-addressed, under names safe to show and to download.
pub async fn store_files(
    store: &danvan_app::store::Store,
    checked: Vec<Checked>,
) -> Result<Vec<Attachment>, StoreError> {
    let mut stored = Vec::new();
    for file in checked {
        let file_sha256 = store.put_file(&file.bytes, file.content_type).await?;
        stored.push(Attachment {
            file_sha256,
            file_name: safe_file_name(&file.name, "tep"),
            content_type: file.content_type.to_owned(),
            size_bytes: file.bytes.len() as i64,
        });
    }
    Ok(stored)
}

/// Why a file is refused, or `None` when it may be stored. `content_type` is the type sniffed
/// from its first bytes.
fn hazard(bytes: &[u8], content_type: &str) -> Option<&'static str> {
    match content_type {
        "application/pdf" => pdf_hazard(bytes),
        "image/jpeg" => image_hazard(bytes, ends_jpeg(bytes)),
        "image/png" => image_hazard(bytes, ends_png(bytes)),
        t if t.starts_with("application/vnd.openxmlformats") => office_hazard(bytes),
        _ => None,
    }
}

/// The image decoded, within bounds on its size, turned upright as its EXIF orientation says
/// (the tag itself is not kept) and encoded anew; `None` when it does not decode.
fn reencode(bytes: &[u8], format: image::ImageFormat) -> Option<Vec<u8>> {
    use image::ImageDecoder;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    // Turning the picture upright makes a second copy that this bound does not cover.
    limits.max_alloc = Some(256 << 20);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = image::DynamicImage::from_decoder(decoder).ok()?;
    picture.apply_orientation(orientation);
    let mut out = Vec::new();
    match format {
        image::ImageFormat::Jpeg => {
            let picture = match picture {
                image::DynamicImage::ImageLuma8(_) | image::DynamicImage::ImageRgb8(_) => picture,
                other => image::DynamicImage::ImageRgb8(other.to_rgb8()),
            };
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
            picture.write_with_encoder(encoder).ok()?;
        }
        _ => picture
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .ok()?,
    }
    Some(out)
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
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
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
        let mut buffer = Cursor::new(Vec::new());
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
        // Shaped like a JPEG from end to end, but no picture: refused once decoded.
        let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3][..], &[0xFF, 0xD9]].concat();
        assert_eq!(hazard(&jpeg, "image/jpeg"), None);
        assert_eq!(check(&Bytes::from(jpeg)), Err(Refused::Hazard(IMAGE_BROKEN)));
    }

    fn picture(width: u32, height: u32) -> image::DynamicImage {
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 5) as u8, 90])
        }))
    }

    /// The CRC-32 of a PNG chunk's type and data.
    fn png_crc(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn images_are_encoded_anew_and_what_their_metadata_hid_is_dropped() {
        // A JPEG with a comment segment (FF FE) right after its start, holding a payload.
        let mut jpeg = Vec::new();
        picture(40, 30)
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80))
            .unwrap();
        let payload = b"hidden-payload-for-another-program";
        let mut segment = vec![0xFF, 0xFE, 0, (payload.len() + 2) as u8];
        segment.extend_from_slice(payload);
        jpeg.splice(2..2, segment);
        assert!(find(&jpeg, payload).is_some());
        let (kept, content_type) = check(&Bytes::from(jpeg)).unwrap();
        assert_eq!(content_type, "image/jpeg");
        assert!(find(&kept, payload).is_none(), "the comment survived re-encoding");
        let decoded = image::load_from_memory(&kept).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (40, 30));

        // A PNG with a text chunk: gone from the kept file, the pixels the same.
        let mut png = Vec::new();
        picture(12, 9)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let text = b"tEXtComment\0hidden-payload";
        let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
        chunk.extend_from_slice(text);
        chunk.extend_from_slice(&png_crc(text).to_be_bytes());
        // After the signature (8 bytes) and IHDR (25 bytes).
        png.splice(33..33, chunk);
        assert_eq!(image::load_from_memory(&png).unwrap(), picture(12, 9));
        let (kept, content_type) = check(&Bytes::from(png)).unwrap();
        assert_eq!(content_type, "image/png");
        assert!(find(&kept, b"hidden-payload").is_none());
        assert_eq!(image::load_from_memory(&kept).unwrap(), picture(12, 9));
    }

    #[test]
    fn an_image_too_large_to_decode_safely_is_refused() {
        // A PNG header claiming 100,000 × 100,000 pixels.
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\r".to_vec();
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&png_crc(&ihdr).to_be_bytes());
        png.extend_from_slice(&PNG[33..]);
        assert_eq!(check(&Bytes::from(png)), Err(Refused::Hazard(IMAGE_BROKEN)));
    }
}
