//! From bytes to a clean text: encoding, Unicode form, layout noise.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::legacy;

/// Decodes bytes as UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
/// or, when they are not valid UTF-8, as TCVN3 or VNI. Returns a warning naming a conversion.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // (Validated with SIMD: the same answer as `std::str::from_utf8`, several times faster on
    // text where most characters take more than one byte.)
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return (Cow::Borrowed(text), None);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        return (Cow::Owned(String::from_utf16_lossy(&units)), None);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return (Cow::Owned(String::from_utf16_lossy(&units)), None);
    }
    match legacy::guess(bytes) {
        legacy::Legacy::Vni => (
            Cow::Owned(legacy::decode_vni(bytes)),
            Some("converted from the VNI encoding".into()),
        ),
        legacy::Legacy::Tcvn3 => (
            Cow::Owned(legacy::decode_tcvn3(bytes)),
            Some("converted from the TCVN3 (ABC) encoding".into()),
        ),
    }
}

static SHAPE_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    // Names of drawing shapes that Word-to-HTML conversions leave in the text.
    Regex::new(r"(?i)(?:straight (?:arrow )?connector|text box|rectangle)\s*\d+").expect("valid regex")
});

static PAGE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?:=+|#\s*PAGE\s*\d+|-\s*\d+\s*-|-{2,}\s*PAGE\s*\d+\s*-{2,})\s*$").expect("valid regex")
});

/// Normalises a decoded text: NFC, one kind of line break and space, runs of spaces as one, no
/// markdown emphasis, headings or comments, no drawing-shape names, no page-break banners, no
/// spaces at a line's ends (its indentation is layout).
pub fn clean(text: &str) -> String {
    let nfc = if plainly_nfc(text) {
        Cow::Borrowed(text)
    } else {
        icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(text)
    };
    // (Before the layout's characters are mapped: a table's columns stand where its dashes
    // and pipes say, counted in characters as written.)
    let nfc = if crate::pandoc::may_hold(&nfc) {
        Cow::Owned(crate::pandoc::plain(&nfc))
    } else {
        nfc
    };
    let mut out = single_spaces(map_layout_chars(&nfc));
    if out.contains("__") {
        out = out.replace("__", "");
    }
    // Both patterns are tried only on texts that can hold what they match (most texts hold
    // neither), so that cleaning costs one pass over the text.
    if has_shape_word(&out) {
        out = SHAPE_NOISE.replace_all(&out, "").into_owned();
    }
    if any_page_mark(&out) {
        out = PAGE_MARK.replace_all(&out, "").into_owned();
    }
    // Markdown's heading marks ("### BỘ TƯ PHÁP", "#### - Như trên;") and comments ("<!-- page:
    // 2 -->") are layout.
    if out.starts_with('#')
        || memchr::memmem::find(out.as_bytes(), b"\n#").is_some()
        || memchr::memmem::find(out.as_bytes(), b"<!--").is_some()
    {
        static MARKDOWN_LAYOUT: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?m)^[ \t]*#{1,6}[ \t]+|<!--[^\n]*?-->").expect("valid regex"));
        out = MARKDOWN_LAYOUT.replace_all(&out, "").into_owned();
    }
    // Most texts hold no signature cell beside another and no page furniture: their lines lose
    // their trailing spaces in one pass, without being gathered first.
    let markdown_table = has_markdown_table(&out);
    if !may_split_cells(&out) && !may_hold_furniture(&out) && !markdown_table {
        return trim_line_ends(&out);
    }
    clean_lines(&out, markdown_table)
}

/// Whether a text is in NFC by what its bytes show: every character is one that NFC keeps and
/// that nothing composes with. Those are ASCII and U+0080–U+02FF (the Latin letters, with the
/// precomposed marks Vietnamese uses most), U+1E00–U+1EFF (Latin Extended Additional, where
/// Vietnamese's letters with two marks are), U+2002–U+207F (spaces, dashes, quotes) and the
/// private use area U+F000–U+F8FF (the bullets of symbol fonts). Most texts hold nothing else,
/// and this is several times faster than the normaliser's own check, which runs on the others.
fn plainly_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Only a byte of 0xCC or more starts a character after U+02FF. Eight bytes at a time: the
    // high bit of each byte's `(b & 0x7F) + 0x34` is set when `b & 0x7F >= 0x4C` (no carry
    // crosses into the next byte), so with `b`'s own high bit it marks `b >= 0xCC`.
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const ADD: u64 = 0x3434_3434_3434_3434;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // (Continuation bytes are below 0xCC: every byte marked is a character's first.)
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let mut marked = word & ((word & LOW7) + ADD) & HIGH;
        while marked != 0 {
            if !kept_three_bytes(bytes, base + (marked.trailing_zeros() / 8) as usize) {
                return false;
            }
            marked &= marked - 1;
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .enumerate()
        .all(|(k, &b)| b < 0xCC || kept_three_bytes(bytes, base + k))
}

/// Whether the character starting at `at` (a lead byte of 0xCC or more in valid UTF-8) is one
/// of the three-byte characters `plainly_nfc` lets through.
#[inline]
fn kept_three_bytes(bytes: &[u8], at: usize) -> bool {
    let next = bytes.get(at + 1).copied().unwrap_or(0);
    match bytes[at] {
        // U+1E00–U+1EFF.
        0xE1 => (0xB8..=0xBB).contains(&next),
        // U+2002–U+203F (U+2000 and U+2001 are NFC's singletons), U+2040–U+207F.
        0xE2 => (next == 0x80 && bytes.get(at + 2).is_some_and(|&b| b >= 0x82)) || next == 0x81,
        // U+F000–U+F8FF.
        0xEF => (0x80..=0xA3).contains(&next),
        _ => false,
    }
}

/// Each line without its trailing spaces, a signature's cell on a line of its own, and the
/// page furniture gone.
/// `markdown_table`: whether the text holds a Markdown table (`has_markdown_table`, worked out
/// once by the caller).
fn clean_lines(text: &str, markdown_table: bool) -> String {
    let mut lines: Vec<&str> = Vec::with_capacity(text.len() / 40);
    let has_pipe = memchr::memchr(b'|', text.as_bytes()).is_some();
    for line in crate::text::lines(text) {
        if markdown_table && let Some(cells) = table_row_cells(line) {
            lines.extend(cells);
        } else if has_pipe && memchr::memchr(b'|', line.as_bytes()).is_some() {
            lines.extend(signature_cell_apart(line).into_iter().map(str::trim));
        } else {
            lines.push(line.trim());
        }
    }
    join_lines(text, &drop_page_furniture(&lines))
}

/// Lines joined by "\n", as `join` would give them, with each run of lines that stands so in
/// `text` (every line a slice of it) copied whole.
fn join_lines(text: &str, lines: &[&str]) -> String {
    let base = text.as_ptr() as usize;
    let mut out = String::with_capacity(text.len());
    // The run of `text` not yet copied, as byte offsets.
    let mut run: Option<(usize, usize)> = None;
    for line in lines {
        // (A line whose bytes lie within the text's is a slice of it.)
        let at = (line.as_ptr() as usize).wrapping_sub(base);
        let in_text = at <= text.len() && line.len() <= text.len() - at;
        match run {
            Some((start, end)) if in_text && at == end + 1 && text.as_bytes().get(end) == Some(&b'\n') => {
                run = Some((start, at + line.len()));
            }
            _ => {
                if let Some((start, end)) = run.take() {
                    out.push_str(&text[start..end]);
                    out.push('\n');
                }
                if in_text {
                    run = Some((at, at + line.len()));
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
    match run {
        Some((start, end)) => out.push_str(&text[start..end]),
        None => {
            out.pop();
        }
    }
    out
}

/// The lines of a text without their leading and trailing whitespace (a line's indentation is
/// layout, not text), joined by "\n", as `lines()`, trimmed and joined, would give them (a final
/// line break gives no empty line). Lines that begin and end in a letter or a mark are copied in
/// runs.
fn trim_line_ends(text: &str) -> String {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    // The start of the run of lines not yet copied.
    let mut run = 0;
    let mut line_start = 0;
    for line_end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        // A line's last byte tells whether it may end in whitespace: an ASCII space or control,
        // or the last byte of a multi-byte character (which may be a Unicode space).
        // (Or begin in one: a line's indentation goes too.)
        let may_trim = line_end > line_start && {
            let (first, last) = (bytes[line_start], bytes[line_end - 1]);
            first.is_ascii_whitespace() || first >= 0x80 || last.is_ascii_whitespace() || last == 0x0b || last >= 0x80
        };
        if may_trim {
            let line = &body[line_start..line_end];
            let trimmed = line.trim();
            if trimmed.len() < line.len() {
                out.push_str(&body[run..line_start]);
                out.push_str(trimmed);
                run = line_end;
            }
        }
        line_start = line_end + 1;
    }
    out.push_str(&body[run..]);
    out
}

/// Whether any line may be page furniture (`drop_page_furniture`): a running head, opening with
/// "--" or "công", or a signature stamp, opening with "ký bởi", in any case. Only such lines are
/// tried against the patterns.
fn may_hold_furniture(text: &str) -> bool {
    // (The lines as `clean_lines` gives them to `drop_page_furniture`: without trailing spaces.)
    crate::text::lines(text)
        .filter(|line| may_open_furniture(line))
        .map(str::trim_end)
        .any(|line| is_running_head(line) || opens_stamp(line))
}

/// Whether a line may be what `is_running_head` or `opens_stamp` accepts, by its first
/// character after ASCII spaces: "-", "c" or "k" in either case, or a character past ASCII (a
/// Unicode space before them, or the Kelvin sign, which folds to "k").
fn may_open_furniture(line: &str) -> bool {
    line.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r'])
        .as_bytes()
        .first()
        .is_some_and(|&b| matches!(b, b'-' | b'c' | b'C' | b'k' | b'K') || b >= 0x80)
}

/// Whether a line is a gazette's running head or a page break's banner (`RUNNING_HEAD`), tried
/// only on lines opening with "--" or "công" in any case.
fn is_running_head(line: &str) -> bool {
    let t = line.trim_start();
    // (Only "c" and "C" fold to "c".)
    (t.starts_with("--") || (t.starts_with(['c', 'C']) && crate::text::starts_with_ci(t, "công")))
        && RUNNING_HEAD.is_match(line)
}

/// Whether a line opens a signature's stamp ("Ký bởi: …"), tried only on lines opening so.
fn opens_stamp(line: &str) -> bool {
    // (Only "k", "K" and the Kelvin sign fold to "k".)
    let t = line.trim_start();
    t.starts_with(['k', 'K', '\u{212a}']) && crate::text::starts_with_ci(t, "ký bởi") && STAMP_LINE.is_match(line)
}

/// One kind of line break ("\r\n", "\r", form feed and the Unicode separators become "\n") and
/// of space; zero-width characters, soft hyphens and markdown's `*` dropped. Runs of characters
/// that need nothing are copied whole.
fn map_layout_chars(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    // Only these bytes can start a character that changes: ASCII controls and `*`, and the lead
    // bytes of U+00A0/U+00AD (C2), U+2002–U+202F (E2), U+3000 (E3) and U+FEFF (EF). None is a
    // continuation byte, so each found is a character's start; they are found with three
    // vectorised searches, merged in order.
    for i in may_change_at(bytes) {
        let c = text[i..].chars().next().unwrap_or_default();
        let replacement = match c {
            '\r' if bytes.get(i + 1) == Some(&b'\n') => Some(""),
            '\r' | '\u{0c}' | '\u{2028}' | '\u{2029}' => Some("\n"),
            '\u{a0}' | '\t' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{3000}' => Some(" "),
            '\u{200b}' | '\u{feff}' | '\u{00ad}' | '*' => Some(""),
            _ => None,
        };
        if let Some(replacement) = replacement {
            out.push_str(&text[copied..i]);
            out.push_str(replacement);
            copied = i + c.len_utf8();
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Runs of spaces as one space: a justified or laid-out text's spacing tells nothing ("Kính
/// gửi:  Sở Nội vụ", "Số:   12/UBND"). A text without two spaces running is returned as it is.
fn single_spaces(text: String) -> String {
    let bytes = text.as_bytes();
    let mut runs = memchr::memmem::find_iter(bytes, b"  ").peekable();
    if runs.peek().is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for at in runs {
        if at < copied {
            continue;
        }
        // Keep the run's first space, drop the rest of it.
        let end = at + 1 + bytes[at + 1..].iter().take_while(|&&b| b == b' ').count();
        out.push_str(&text[copied..at + 1]);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The positions, in order, of the bytes that can start a character `map_layout_chars` changes
/// (`MAY_CHANGE`).
fn may_change_at(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut ascii = memchr::memchr3_iter(b'\r', b'\t', b'*', bytes).peekable();
    let mut leads = memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes).peekable();
    let mut rare = memchr::memchr3_iter(0x0C, 0xEF, 0xEF, bytes).peekable();
    std::iter::from_fn(move || {
        let next = [ascii.peek(), leads.peek(), rare.peek()]
            .into_iter()
            .flatten()
            .min()
            .copied()?;
        for stream in [&mut ascii, &mut leads, &mut rare] {
            if stream.peek() == Some(&next) {
                stream.next();
            }
        }
        Some(next)
    })
}

/// The bytes that can start a character `map_layout_chars` changes, as a table: what
/// `may_change_at` is held to.
#[cfg(test)]
static MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    let bytes = [b'\r', b'\t', 0x0c, b'*', 0xC2, 0xE2, 0xE3, 0xEF];
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether a text holds a word that starts a drawing shape's name, in any case.
fn has_shape_word(text: &str) -> bool {
    // Searched in an ASCII-lower-cased copy with a vectorised substring search.
    let lower = text.as_bytes().to_ascii_lowercase();
    ["connector", "text box", "rectangle"]
        .iter()
        .any(|word| memchr::memmem::find(&lower, word.as_bytes()).is_some())
}

/// Whether any line of `text` may open a page mark: only the lines whose first character is
/// one a mark opens with are looked at, found with a vectorised byte search.
fn any_page_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'-', b'#', b'=', bytes).any(|at| {
        // Only a line that opens with the character (after spaces) is a candidate: the text
        // before it is read back only while it is spaces.
        let mut line_start = at;
        loop {
            match text[..line_start].chars().next_back() {
                None | Some('\n') => break,
                Some(c) if c.is_whitespace() => line_start -= c.len_utf8(),
                Some(_) => return false,
            }
        }
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        may_open_page_mark(&text[line_start..line_end])
    })
}

/// Whether a line can be (the first line of) what `PAGE_MARK` removes: after spaces, a row of
/// `=`, a `#` with the characters of "# PAGE 3", or a `-` before a number (perhaps on the next
/// line: "- 3 -"), not a rule of dashes.
fn may_open_page_mark(line: &str) -> bool {
    let trimmed = line.trim();
    let in_mark = |c: char| matches!(c, '#' | '-' | 'P' | 'A' | 'G' | 'E') || c.is_numeric() || c.is_whitespace();
    if let Some(rest) = trimmed.strip_prefix('-') {
        let rest = rest.trim_start();
        // (An OCR tool's "--- PAGE 2 ---".)
        let page = rest.trim_start_matches('-').trim_start();
        rest.is_empty()
            || (rest.starts_with(|c: char| c.is_numeric()) && rest.chars().all(in_mark))
            || (page.starts_with("PAGE") && page.chars().all(in_mark))
    } else if trimmed.starts_with('#') {
        trimmed.chars().all(in_mark)
    } else {
        trimmed.starts_with('=') && trimmed.chars().all(|c| c == '=')
    }
}

/// A table row whose later cell opens a signature ("- Lưu: VT. | TM. ỦY BAN NHÂN DÂN"), as a
/// table converted to text prints the closing: the signature cell goes on a line of its own, so
/// that the closing is read as if laid out on lines.
fn signature_cell_apart(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, _) in line.match_indices('|') {
        if opens_signature(&line[at + 1..]) && !line[start..at].trim().is_empty() {
            parts.push(&line[start..at]);
            start = at + 1;
        }
    }
    parts.push(&line[start..]);
    parts
}

/// Whether a text holds a Markdown table: a row of dashes between pipes ("|---|---|") under
/// its first row.
fn has_markdown_table(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    // Each line holding "|---" is looked at once, however many it holds.
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"|---") {
        let at = from + found;
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
        if is_separator_row(&text[line_start..line_end]) {
            return true;
        }
        from = line_end;
    }
    false
}

/// A Markdown table's row of dashes: pipes, dashes, colons and spaces only.
fn is_separator_row(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|') && line.contains("---") && line.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
}

/// A Markdown table's row, "| Số: 12/UBND-VX | Hà Nội, ngày … |", as the lines a table
/// converted to text gives it: each cell's text on a line of its own, after a pipe alone on its
/// line, as the legal websites' tables print; the row of dashes is layout and gives no line.
/// `None` when the line is not a row.
fn table_row_cells(line: &str) -> Option<Vec<&str>> {
    let trimmed = line.trim();
    if is_separator_row(trimmed) {
        return Some(Vec::new());
    }
    let inner = trimmed.strip_prefix('|')?.strip_suffix('|')?;
    // A data table's row, numbered in its first cell ("| 1. | Cấp giấy … |"), is left as it
    // stands: its number alone on a line would read as one of the letter's items.
    let first = inner.split('|').next().unwrap_or("").trim();
    let numbered = !first.is_empty()
        && first.trim_end_matches(['.', ')']).len() <= 4
        && first
            .trim_end_matches(['.', ')'])
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X' | '.'));
    if numbered {
        return None;
    }
    let mut lines = Vec::new();
    for cell in inner.split('|') {
        lines.push("|");
        let cell = cell.trim();
        if !cell.is_empty() {
            lines.push(cell);
        }
    }
    lines.push("|");
    Some(lines)
}

/// Whether a cell's text opens a signature: "TM. …", "KT. …".
fn opens_signature(cell: &str) -> bool {
    let cell = cell.trim_start();
    cell.starts_with(['T', 'K'])
        && ["TM.", "T.M.", "KT.", "K.T.", "TL.", "T.L.", "TUQ."]
            .iter()
            .any(|m| cell.strip_prefix(m).is_some_and(|rest| rest.starts_with(' ')))
}

/// Whether any pipe of the text stands before a signature's cell, which `signature_cell_apart`
/// may put on a line of its own.
fn may_split_cells(text: &str) -> bool {
    memchr::memchr_iter(b'|', text.as_bytes()).any(|at| opens_signature(&text[at + 1..]))
}

/// A gazette's running head ("CÔNG BÁO/Số 281/Ngày 21-05-2026"), a "--- PAGE BREAK ---" line.
static RUNNING_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:CÔNG\s+BÁO\s*/\s*Số(?:[^\p{L}].*)?|-{2,}\s*PAGE\s+BREAK\s*-{2,})$").expect("valid regex")
});

/// The lines of a digital signature's stamp, as PDF text layers print it.
static STAMP_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:Ký\s+bởi|Email|E-mail|Cơ\s+quan|Ngày\s+ký|Thời\s+gian\s+ký)\s*:").expect("valid regex")
});

/// Removes what a page carries that is not the document: gazette running heads with the page
/// number beside them, and signature stamps ("Ký bởi: …" with its "Cơ quan:", "Ngày ký:" lines).
/// A paragraph cut by them reads on as one.
fn drop_page_furniture<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let is_page_number = |l: &str| {
        let t = l.trim();
        !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
    };
    let mut keep = vec![true; lines.len()];
    let mut last_head: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        // A gazette's section heading under its running head.
        let section = || {
            matches!(
                line.trim(),
                "VĂN BẢN QUY PHẠM PHÁP LUẬT" | "VĂN BẢN HỢP NHẤT" | "VĂN BẢN KHÁC" | "VĂN BẢN HÀNH CHÍNH"
            )
        };
        if last_head.is_some_and(|h| i - h <= 4) && section() {
            keep[i] = false;
        } else if may_open_furniture(line) && is_running_head(line) {
            last_head = Some(i);
            keep[i] = false;
            // The page number printed beside the running head, on the line before or after.
            for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                if lines.get(j).is_some_and(|l| is_page_number(l)) {
                    keep[j] = false;
                }
            }
        } else if may_open_furniture(line) && opens_stamp(line) {
            keep[i] = false;
            let mut j = i + 1;
            while j < lines.len() && STAMP_LINE.is_match(lines[j]) {
                keep[j] = false;
                j += 1;
            }
        }
    }
    lines
        .iter()
        .zip(keep)
        .filter_map(|(line, keep)| keep.then_some(*line))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_headings_and_comments_are_layout() {
        assert_eq!(
            clean("### BỘ TƯ PHÁP\n<!-- page: 1 -->\n#### - Như trên;\nSố #12 và C# giữ nguyên"),
            "BỘ TƯ PHÁP\n\n- Như trên;\nSố #12 và C# giữ nguyên"
        );
    }

    #[test]
    fn an_ocr_tool_s_page_marker_goes() {
        assert_eq!(
            clean("CỤC THUẾ\n--- PAGE 1 ---\nSố: 12/CT\n--- PAGE BREAK ---"),
            "CỤC THUẾ\n\nSố: 12/CT"
        );
        // A dashed item is no marker.
        assert_eq!(clean("- PAGE một;\n- 12 xã"), "- PAGE một;\n- 12 xã");
    }

    #[test]
    fn runs_of_spaces_are_one_space() {
        assert_eq!(single_spaces("Kính gửi:  Sở Nội vụ".to_owned()), "Kính gửi: Sở Nội vụ");
        assert_eq!(
            single_spaces("Số:     12/UBND\n    - Như trên;".to_owned()),
            "Số: 12/UBND\n - Như trên;"
        );
        assert_eq!(single_spaces("a b".to_owned()), "a b");
        assert_eq!(clean("V/v   tăng cường  công tác"), "V/v tăng cường công tác");
    }

    #[test]
    fn gazette_heads_and_signature_stamps_go() {
        let text = "94\nCÔNG BÁO/Số 1217 + 1218/Ngày 03-11-2024\nBỘ Y TẾ\nthực hiện\nKý bởi: CÔNG BÁO\nCơ quan: VĂN PHÒNG CHÍNH PHỦ\nNgày ký: 2026-05-21\ntheo quy định";
        assert_eq!(clean(text), "BỘ Y TẾ\nthực hiện\ntheo quy định");
        // A line that merely starts with "Cơ quan:" is text when no stamp precedes it.
        assert_eq!(clean("Cơ quan: Sở Nội vụ"), "Cơ quan: Sở Nội vụ");
    }

    #[test]
    fn a_markdown_table_s_rows_give_one_line_per_cell() {
        let text = "| THỦ TƯỚNG CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n| Số: 1/TTg-KGVX | Hà Nội, ngày 3 tháng 12 năm 2009 |\n\nVăn bản | có | pipe\n|  | KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Nguyễn Sinh Hùng |\n| :--- | ---: |";
        assert_eq!(
            clean(text),
            "|\nTHỦ TƯỚNG CHÍNH PHỦ -------\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n|\nSố: 1/TTg-KGVX\n|\nHà Nội, ngày 3 tháng 12 năm 2009\n|\n\nVăn bản | có | pipe\n|\n|\nKT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Nguyễn Sinh Hùng\n|"
        );
        // A data table's numbered row stays whole: its number is no item of the letter's.
        assert_eq!(
            clean("| STT | Thủ tục |\n|---|---|\n| 1. | Cấp giấy phép |\n| 2 | Cấp lại |"),
            "|\nSTT\n|\nThủ tục\n|\n| 1. | Cấp giấy phép |\n| 2 | Cấp lại |"
        );
        // Without a row of dashes there is no Markdown table: pipes are left as they stand.
        let text = "| Số: 1/TTg-KGVX | Hà Nội, ngày 3 tháng 12 năm 2009 |\n|\nBỘ Y TẾ";
        assert_eq!(clean(text), text);
        assert!(!is_separator_row("|- Lưu: VT|"));
        assert!(is_separator_row(" |:---:|---| "));
    }

    #[test]
    fn page_marks_with_other_digits_go() {
        // `\d` in the pattern is any decimal digit; the line prefilter must not be narrower.
        for (other, ascii) in [("# PAGE ３", "# PAGE 3"), ("- ３ -", "- 3 -")] {
            let cleaned = clean(&format!("Nội dung\n{other}\ntiếp theo"));
            assert_eq!(cleaned, clean(&format!("Nội dung\n{ascii}\ntiếp theo")));
            assert!(!cleaned.contains('３'), "{cleaned}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_bytes_that_may_change_are_found_as_the_table_finds_them(text in "[a*\r\n\t\u{0c}\u{a0}\u{ad}\u{2003}\u{2013}\u{200b}\u{3000}\u{feff}ảđ–“…]{0,40}") {
            let bytes = text.as_bytes();
            let by_table: Vec<usize> = (0..bytes.len()).filter(|&i| MAY_CHANGE[usize::from(bytes[i])]).collect();
            proptest::prop_assert_eq!(may_change_at(bytes).collect::<Vec<_>>(), by_table);
        }
    }

    proptest::proptest! {
        #[test]
        fn line_ends_are_trimmed_as_lines_would_be(text in "[a-zđ \t\n\u{a0}\u{3000}|Ký bởi:CÔNG BÁO/Số1-TM.PAGEBRK]{0,60}") {
            if !may_split_cells(&text) && !may_hold_furniture(&text) {
                proptest::prop_assert_eq!(trim_line_ends(&text), clean_lines(&text, has_markdown_table(&text)));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_join_as_join_gives_them(text in "[ađ \n|TM. Lưu]{0,60}", keep in proptest::collection::vec(proptest::bool::ANY, 0..40)) {
            let mut lines: Vec<&str> = Vec::new();
            for line in crate::text::lines(&text) {
                lines.extend(signature_cell_apart(line).into_iter().map(str::trim_end));
            }
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| keep.get(*i).copied().unwrap_or(true))
                .map(|(_, l)| *l)
                .collect();
            proptest::prop_assert_eq!(join_lines(&text, &kept), kept.join("\n"));
            // Lines from elsewhere are copied as they are.
            let elsewhere = ["x", "", "y z"];
            proptest::prop_assert_eq!(join_lines(&text, &elsewhere), elsewhere.join("\n"));
        }

        #[test]
        fn furniture_opens_as_the_gate_expects(line in "[ \t\x0b\u{a0}\u{3000}\u{212a}kKcC-]{0,3}(?:công báo/Số 2|CÔNG BÁO/Số|Ký bởi: A|\u{212a}ý bởi:|-- PAGE BREAK --|Email: a)[ a]{0,2}") {
            if is_running_head(&line) || opens_stamp(&line) {
                proptest::prop_assert!(may_open_furniture(&line), "{line:?}");
            }
        }
    }

    #[test]
    fn only_the_characters_the_gates_name_fold_to_c_and_k() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            match c.to_lowercase().next() {
                Some('c') => assert!(matches!(c, 'c' | 'C'), "{c:?}"),
                Some('k') => assert!(matches!(c, 'k' | 'K' | '\u{212a}'), "{c:?}"),
                _ => {}
            }
        }
        assert!(opens_stamp("\u{212a}ý bởi: Ủy ban"));
        assert!(is_running_head("  Công báo/Số 12"));
    }

    #[test]
    fn line_ends_lose_their_spaces_only() {
        for text in ["a \nb\u{a0}\n\nc\u{2003}\n", "", "\n", "\n\n", "x", "đ  \n  ê", "a\r\n"] {
            assert_eq!(
                trim_line_ends(text),
                clean_lines(text, has_markdown_table(text)),
                "{text:?}"
            );
        }
        // A page break with a space after it is furniture all the same.
        for text in ["--PAGE BREAK-- ", "a\n--- PAGE BREAK --- \nb"] {
            assert!(may_hold_furniture(text), "{text:?}");
            assert_eq!(clean(text), clean_lines(text, has_markdown_table(text)), "{text:?}");
        }
    }

    /// Every character `plainly_nfc` lets through is kept by NFC, of combining class 0, and never
    /// the second of a canonical decomposition (so it composes with nothing before it): a text
    /// of such characters is in NFC.
    #[test]
    fn what_passes_for_plain_nfc_is_kept_by_it_and_composes_with_nothing() {
        use icu_normalizer::properties::{
            CanonicalCombiningClassMapBorrowed, CanonicalDecompositionBorrowed, Decomposed,
        };
        let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
        let classes = CanonicalCombiningClassMapBorrowed::new();
        let decompositions = CanonicalDecompositionBorrowed::new();
        let seconds: std::collections::HashSet<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter_map(|c| match decompositions.decompose(c) {
                Decomposed::Expansion(_, second) => Some(second),
                _ => None,
            })
            .collect();
        let mut passed = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            // The same across the eight-byte words the search reads (the character's bytes
            // split between two).
            assert_eq!(
                plainly_nfc(&format!("aaaaaaa{c}aaaaaaaa")),
                plainly_nfc(&alone),
                "{c:?}"
            );
            if plainly_nfc(&alone) {
                passed += 1;
                assert!(nfc.is_normalized(&alone), "{c:?}");
                assert_eq!(classes.get32_u8(u32::from(c)), 0, "{c:?}");
                assert!(!seconds.contains(&c), "{c:?}");
            }
        }
        // The ranges the doc comment names, and no more.
        assert_eq!(passed, 0x300 + 0x100 + (0x2080 - 0x2002) + 0x900);
        assert!(plainly_nfc("Đắk Nông – “Dân vận khéo” … ủy ban nhân dân tỉnh"));
        assert!(!plainly_nfc("Đa\u{0306}\u{0301}k"));
        assert!(!plainly_nfc("\u{2000}"));
        assert!(!plainly_nfc("Ωmega \u{2126}"));
    }

    proptest::proptest! {
        #[test]
        fn a_text_that_passes_for_plain_nfc_is_in_nfc(text in "[a Đđắộ\u{0300}\u{0301}\u{0306}\u{2000}\u{2013}\u{2126}\u{f0b7}\u{f900}\u{1100}\u{1161}]{0,40}") {
            let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
            if plainly_nfc(&text) {
                proptest::prop_assert!(nfc.is_normalized(&text));
            }
            proptest::prop_assert_eq!(clean(&text), clean_slowly(&text));
        }
    }

    /// What `clean` gives when every text goes through the normaliser.
    fn clean_slowly(text: &str) -> String {
        clean(&icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(text))
    }

    #[test]
    fn decomposed_text_is_composed() {
        let nfd = "Đa\u{0306}\u{0301}k No\u{0302}ng";
        assert_eq!(clean(nfd), "Đắk Nông");
    }

    #[test]
    fn emphasis_shapes_and_page_banners_go() {
        let text = "**KT. CHỦ TỊCH**\r\nstraight connector 2Số: 1\n=====\n# PAGE 2\n=====\n“*Dân vận khéo*”  ";
        assert_eq!(clean(text), "KT. CHỦ TỊCH\nSố: 1\n\n\n\n“Dân vận khéo”");
    }

    #[test]
    fn a_signature_cell_goes_on_its_own_line() {
        assert_eq!(
            clean("- Chính phủ; - Lưu: HC. | TM. ỦY BAN NHÂN DÂN\nNguyễn Văn A |\nA | B | KT. CHỦ TỊCH | C"),
            // (The cell's leading space is layout, trimmed with the line's indentation.)
            "- Chính phủ; - Lưu: HC.\nTM. ỦY BAN NHÂN DÂN\nNguyễn Văn A |\nA | B\nKT. CHỦ TỊCH | C"
        );
        // A row that opens with the signature stays whole.
        assert_eq!(clean("| TM. ỦY BAN | x"), "| TM. ỦY BAN | x");
    }

    #[test]
    fn shape_names_are_found_in_any_case() {
        assert!(
            has_shape_word("x Straight CONNECTOR 3") && has_shape_word("TeXt Box 1") && has_shape_word("rectAngle")
        );
        assert!(!has_shape_word("Ủy ban nhân dân xã Đắk Nia, kết nối") && !has_shape_word("connectr"));
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode("Đắk Nông".as_bytes()).0, "Đắk Nông");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").0, "abc");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Số".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16).0, "Số");
        let (text, warning) = decode(b"s\xB8ch");
        assert_eq!((&*text, warning.is_some()), ("sách", true));
    }
}
