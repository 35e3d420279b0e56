//! Addressees and the body's numbered items.

use std::sync::LazyLock;

use regex::Regex;

use crate::Item;
use crate::header::Pos;
use crate::text::{is_cell_edge, squash, trim_one_trailing_punct};

pub struct Recipients {
    pub items: Vec<String>,
    /// The line where the body begins (the line after the addressees).
    pub body_start: usize,
}

/// Sentence openers that show where an addressee written on the `Kính gửi` line ends and the
/// body, run onto the same line, begins.
const BODY_OPENERS: &[&str] = &[
    "Trong thời gian",
    "Trong những năm",
    "Thời gian qua",
    "Phúc đáp",
    "Thực hiện",
    "Căn cứ",
    "Theo đề nghị",
    "Theo báo cáo",
    "Theo quy định",
    "Nhằm ",
    "Để ",
    "Vừa qua",
    "Hiện nay",
    "Tiếp theo",
    "Sau khi",
    "Triển khai",
    "Nhận được",
    "Ngày ",
    "Qua ",
    "Xét ",
];

/// What opens the lines that identify a company written to, under its name.
const IDENTITY_LINES: &[&str] = &[
    "Mã số thuế",
    "MST:",
    "MST ",
    "Mã số doanh nghiệp",
    "Địa chỉ",
    "Dia chỉ",
    "Đ/c:",
    "ĐC:",
];

fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('-') || t.starts_with('–') || t.starts_with('+') || t.starts_with('•')
}

fn strip_bullet(line: &str) -> &str {
    line.trim_start().trim_start_matches(['-', '–', '+', '•']).trim()
}

/// The addressees after `Kính gửi`, one per dash item or the single one written inline.
pub fn recipients(lines: &[&str], start: Pos) -> Recipients {
    let none = Recipients {
        items: vec![],
        body_start: start.line,
    };
    let last = (start.line + 20).min(lines.len());
    // "Kính gửi" as written, run together ("Kínhgửi:") or split over two lines ("Kính" /
    // "gửi:"): the line that holds "gửi", and where the text after it starts.
    let kinh_gui = |i: usize| -> Option<usize> {
        let line = lines[i];
        // Every form holds "gửi" in some case: other lines are not lower-cased at all.
        if !(line.contains("ửi") || line.contains("ỬI")) {
            return None;
        }
        let lower = line.to_lowercase();
        // Lower-casing keeps these letters' lengths, so positions carry over.
        if lower.len() != line.len() {
            return None;
        }
        let t = lower.trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '*');
        let lead = lower.len() - t.len();
        // (As a scan may read it too: "Kinh gửi", or "gửi:" opening the line with "Kính" lost.)
        for form in ["kính gửi", "kínhgửi", "kinh gửi"] {
            if let Some(rest) = t.strip_prefix(form) {
                return Some(lower.len() - rest.len());
            }
        }
        if let Some(rest) = t.strip_prefix("gửi").filter(|rest| rest.trim_start().starts_with(':')) {
            return Some(lower.len() - rest.len());
        }
        if let Some(at) = lower.find(" kính gửi") {
            return Some(at + " kính gửi".len());
        }
        let previous = i
            .checked_sub(1)
            .map(|p| lines[p].trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '*'));
        if previous.is_some_and(|p| p.to_lowercase() == "kính")
            && let Some(rest) = t.strip_prefix("gửi")
        {
            return Some(lead + t.len() - rest.len());
        }
        None
    };
    let kg = (start.line..last).find_map(|i| kinh_gui(i).map(|at| (i, at)));
    // An urgent dispatch names its addressees after "THỦ TƯỚNG CHÍNH PHỦ ĐIỆN:".
    let dien_line = || {
        (start.line.saturating_sub(3)..last).find(|&i| {
            let t = lines[i].trim_matches(|c: char| c.is_whitespace() || c == '|' || c == '*');
            t.ends_with(':') && t.split_whitespace().count() <= 8 && t.to_lowercase().ends_with("điện:")
        })
    };
    // The "… ĐIỆN:" line is read as a "Kính gửi:" line with nothing after its colon.
    let (kg_line, after) = match kg {
        Some((i, at)) => (i, &lines[i][at..]),
        None => match dien_line() {
            Some(i) => (i, ""),
            None => return none,
        },
    };
    let inline = after
        .trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == ':')
        .trim();
    let mut items = Vec::new();
    let mut next = kg_line + 1;
    if !inline.is_empty() {
        if is_bullet(inline) {
            items.extend(split_items(inline));
        } else {
            let mut cut = inline.len();
            for opener in BODY_OPENERS {
                if let Some(found) = inline.find(&format!(" {opener}")) {
                    cut = cut.min(found);
                }
            }
            items.push(trim_one_trailing_punct(&inline[..cut]));
            if cut < inline.len() {
                // The body continues on this line.
                return Recipients {
                    items,
                    body_start: kg_line,
                };
            }
        }
    }
    let mut blank_run = 0;
    // Whether the last item was written with a dash.
    let mut dashed = false;
    // Whether the last line added an address to the one addressee: its next lines may go on.
    let mut in_address = false;
    while next < lines.len() {
        // Table pipes of a rendered layout are not text.
        let t = lines[next].trim_matches(is_cell_edge);
        if t.is_empty() {
            blank_run += 1;
            in_address = false;
            if blank_run > 3 && !items.is_empty() {
                break;
            }
            next += 1;
            continue;
        }
        blank_run = 0;
        // A company written to, with its tax code and address on the lines under its name
        // ("Kính gửi: Công ty TNHH …;" / "Mã số thuế: …; Địa chỉ: …"): one addressee.
        let previous = lines[next - 1].trim_matches(is_cell_edge).trim_end();
        let identity = strip_bullet(t);
        let identity_line = IDENTITY_LINES.iter().any(|p| crate::text::starts_with_ci(identity, p));
        let address_goes_on = in_address
            && !previous.ends_with('.')
            && t.split_whitespace().count() <= 20
            && !BODY_OPENERS.iter().any(|o| t.starts_with(o))
            && !identity_line;
        if items.len() == 1 && (identity_line || address_goes_on) {
            let separator = if previous.ends_with(';') { "; " } else { " " };
            items[0] = trim_one_trailing_punct(&format!("{}{separator}{t}", items[0]));
            in_address = identity_line || address_goes_on;
            next += 1;
            continue;
        }
        in_address = false;
        // A dashed line that opens a sentence of the body is no addressee: "Kính gửi: Công an
        // huyện …" / "- Căn cứ quy định tại …".
        if is_bullet(t) && !items.is_empty() && BODY_OPENERS.iter().any(|o| strip_bullet(t).starts_with(o)) {
            break;
        }
        if is_bullet(t) {
            items.extend(split_items(t));
            dashed = true;
            next += 1;
            continue;
        }
        // An item wrapped onto the next line goes on in lower case, or in any case after a word
        // that cannot end a name ("Kính gửi: Các" / "Thuế tỉnh, thành phố.").
        let previous = lines[next - 1].trim_end();
        let needs_more = items
            .last()
            .and_then(|item| item.split_whitespace().next_back())
            .is_some_and(|w| {
                matches!(
                    crate::text::fold_case(w).as_str(),
                    "các" | "những" | "của" | "và" | "cho" | "với" | "tại" | "ty" | "tnhh"
                )
            });
        // The addressee's address in brackets under it: "(Đ/c: 43 Mạc Đĩnh" / "Chi, …)".
        // (Its first word may stand alone, wrapped in a narrow cell: "(Địa" / "chỉ: thôn …".)
        let opening = match (t, lines.get(next + 1)) {
            ("(Địa" | "(địa", Some(following)) => format!("{t} {}", following.trim_matches(is_cell_edge)),
            _ => t.to_owned(),
        };
        let address = ["(Đ/c", "(Đ/C", "(đ/c", "(Địa chỉ", "(địa chỉ", "(ĐC:", "(Trụ sở"]
            .iter()
            .any(|p| opening.starts_with(p));
        // A bracket right under an addressee not yet ended names its part of it: "Bộ Nội vụ" /
        // "(Vụ Chính quyền địa phương)"; a reply's or an attachment's note does not.
        let reply_note = ["(Phúc đáp", "(Trả lời", "(V/v", "(Kèm theo", "(Đính kèm"]
            .iter()
            .any(|p| t.starts_with(p));
        let part_of_addressee = t.starts_with('(') && !previous.ends_with(['.', ';']) && !reply_note;
        // (Under the last of dashed addressees too, when it is an address.)
        if (items.len() == 1 && (address || part_of_addressee)) || (dashed && address && !items.is_empty()) {
            let mut note = t.to_owned();
            let mut end = next;
            while !note.contains(')') && end + 1 < lines.len() && end < next + 4 {
                end += 1;
                note = format!("{note} {}", lines[end].trim_matches(is_cell_edge));
            }
            if note.contains(')') {
                let stop = if previous.ends_with('.') { "." } else { "" };
                let last = items.len() - 1;
                items[last] = squash(&format!("{}{stop} {note}", items[last]));
                next = end + 1;
                continue;
            }
        }
        // A dashed item not yet ended goes on over a line of its own that ends it with ";", or
        // that the next dash follows: "- Thuế thành phố Hải" / "Phòng" / "- Công ty …".
        let ends_dashed_item = dashed
            && t.split_whitespace().count() <= 30
            // (Not a line ending in "." alone: the body's first sentence may follow an item
            // left open; nor, before a dash, a lead-in to the body's own list: "Sở Nội vụ đề
            // nghị các đơn vị thực hiện các nội dung sau:".)
            && (t.ends_with(';')
                || (!t.ends_with(':') && t.split_whitespace().count() <= 8)
                    && lines[next + 1..]
                    .iter()
                    .map(|l| l.trim_matches(is_cell_edge))
                    .find(|l| !l.is_empty())
                    .is_some_and(is_bullet));
        // An enumeration after a colon on the `Kính gửi` line ("Kính gửi các Bộ: Công an, Ngoại
        // giao. Y tế, Quốc phòng." / "Giao thông vận tải, …") wrapped onto the lines right under
        // it, up to the blank line before the body; a scan may have read its commas as full
        // stops.
        let enumeration_goes_on = items.len() == 1
            && !dashed
            && !inline.is_empty()
            && items[0].contains(':')
            && previous.ends_with('.')
            && !previous.trim_matches(is_cell_edge).is_empty()
            && t.starts_with(crate::text::is_upper)
            && !BODY_OPENERS.iter().any(|o| t.starts_with(o))
            && !t.starts_with(|c: char| c.is_ascii_digit())
            // (Names listed by commas, each a few words: not the body's first sentence.)
            && t.contains(',')
            && t.split(',').all(|piece| piece.split_whitespace().count() <= 5)
            && (next + 1..(next + 3).min(lines.len())).any(|k| lines[k].trim_matches(is_cell_edge).is_empty())
            && next + 1 < lines.len();
        if enumeration_goes_on {
            items[0] = trim_one_trailing_punct(&format!("{}. {t}", trim_one_trailing_punct(&items[0])));
            next += 1;
            continue;
        }
        if !items.is_empty()
            && !previous.ends_with([';', '.', ':'])
            && (needs_more
                || previous.ends_with(',')
                || t.chars().next().is_some_and(crate::text::is_lower)
                || ends_dashed_item)
        {
            let last = items.len() - 1;
            // The comma the line ended with, which the addressee keeps as it goes on.
            let comma = if previous.ends_with(',') && !items[last].ends_with(',') {
                ","
            } else {
                ""
            };
            items[last] = trim_one_trailing_punct(&format!("{}{comma} {t}", items[last]));
            next += 1;
            continue;
        }
        // Addressees on the lines below `Kính gửi:` without dashes: one, or a list whose lines
        // end in ";" until the one that ends in ".".
        if inline.is_empty() && t.split_whitespace().count() <= 20 {
            let continues_list = items.is_empty()
                || (lines[next - 1].trim_end().ends_with(';') && t.chars().next().is_some_and(crate::text::is_upper));
            if continues_list {
                items.push(trim_one_trailing_punct(t));
                dashed = false;
                next += 1;
                // An enumeration after a colon not ended on its line goes on to the line that
                // ends it: "Chủ tịch Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh" / "Bình, Phú Thọ.".
                let wrapped = lines.get(next).map(|l| l.trim_matches(is_cell_edge)).filter(|n| {
                    t.contains(':')
                        && !t.ends_with([';', '.', ':', ','])
                        && n.ends_with(['.', ';'])
                        && n.split_whitespace().count() <= 20
                });
                if let Some(rest) = wrapped {
                    let last = items.len() - 1;
                    items[last] = trim_one_trailing_punct(&format!("{} {rest}", items[last]));
                    next += 1;
                    if rest.ends_with(';') {
                        continue;
                    }
                    break;
                }
                if t.ends_with(';') {
                    continue;
                }
            }
        }
        break;
    }
    Recipients {
        items: items.into_iter().filter(|i| !i.is_empty()).collect(),
        body_start: next,
    }
}

/// Dash items on one line: "- Phòng VX;- Lưu VT" gives two.
pub fn split_items(line: &str) -> Vec<String> {
    static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r";\s*[-–+•]\s").expect("valid regex"));
    let text = strip_bullet(line);
    let mut out = Vec::new();
    let mut last = 0;
    for found in SEPARATOR.find_iter(text) {
        out.push(trim_one_trailing_punct(&text[last..found.start() + 1]));
        last = found.end();
    }
    out.push(trim_one_trailing_punct(&text[last..]));
    out.into_iter().map(|s| squash(&s)).filter(|s| !s.is_empty()).collect()
}

/// A numbering marker at the start of a line, with its level and the text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    Roman(u32),
    Arabic(u32),
    Nested,
    Letter,
    Bullet,
}

static ROMAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(X{0,3}(?:IX|IV|V?I{0,3}))[.)]\s*").expect("valid regex"));
static ARABIC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,2})[.)](?:\s+|$)").expect("valid regex"));
static NESTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}\.\d{1,2}\.?(?:\d{1,2}\.?)*\s").expect("valid regex"));
static LETTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[a-zđ]\)\s*").expect("valid regex"));

/// Numbering written in words, as older directives do: "Một là, …", "Thứ hai, …".
fn word_number(t: &str) -> Option<(u32, usize)> {
    const ONES: [&str; 10] = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"];
    const ORDINALS: [&str; 10] = ["nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười"];
    let head = crate::text::head(t, 24);
    // Markers are rare: most lines are turned away here, before any allocation.
    if !(head.contains(" là") || head.starts_with("Thứ ") || head.starts_with("thứ ")) {
        return None;
    }
    let head = head.to_lowercase();
    // "<word> là" or "thứ <word>", then ",", ":" or ".": the marker's length in characters.
    let separated = |rest: Option<&str>| rest.is_some_and(|r| r.starts_with([',', ':', '.']));
    let found = ONES
        .iter()
        .position(|word| separated(head.strip_prefix(word).and_then(|r| r.strip_prefix(" là"))))
        .map(|n| (n, ONES[n].chars().count() + " là".chars().count() + 1))
        .or_else(|| {
            ORDINALS
                .iter()
                .position(|word| separated(head.strip_prefix("thứ ").and_then(|r| r.strip_prefix(word))))
                .map(|n| (n, "thứ ".chars().count() + ORDINALS[n].chars().count() + 1))
        });
    found.map(|(n, chars)| (n as u32 + 1, t.char_indices().nth(chars).map_or(t.len(), |(i, _)| i)))
}

fn marker(line: &str) -> Option<(Marker, usize)> {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    if let Some((n, len)) = word_number(t) {
        return Some((Marker::Arabic(n), indent + len));
    }
    // A marker is a few characters at the start of the line; its first character says which
    // patterns can match, so that most lines try none.
    let t = crate::text::head(t, 32);
    let mut chars = t.chars();
    let first = chars.next();
    if first.is_some_and(|c| c.is_numeric()) {
        if let Some(m) = NESTED.find(t) {
            return Some((Marker::Nested, indent + m.end()));
        }
        if let Some(c) = ARABIC.captures(t) {
            let n: u32 = c[1].parse().ok()?;
            return Some((Marker::Arabic(n), indent + c.get(0)?.end()));
        }
    }
    if matches!(first, Some('I' | 'V' | 'X'))
        && let Some(c) = ROMAN.captures(t)
        && !c[1].is_empty()
    {
        return Some((Marker::Roman(roman_value(&c[1])), indent + c.get(0)?.end()));
    }
    if chars.next() == Some(')')
        && let Some(m) = LETTER.find(t)
    {
        return Some((Marker::Letter, indent + m.end()));
    }
    if is_bullet(t) {
        // (The bullet's bytes: "•" and "–" take three.)
        return Some((Marker::Bullet, indent + t.chars().next().map_or(1, char::len_utf8)));
    }
    None
}

fn roman_value(numeral: &str) -> u32 {
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        _ => 0,
    };
    let chars: Vec<u32> = numeral.chars().map(value).collect();
    let mut total = 0i64;
    for (i, v) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|next| next > v) {
            total -= i64::from(*v);
        } else {
            total += i64::from(*v);
        }
    }
    total.max(0) as u32
}

fn ends_paragraph(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '”' | '"' | ')' | '’'));
    t.ends_with(['.', ':', ';', '!', '?'])
}

/// Whether a text ends a clause rather than a sentence: ";", ":" or an ellipsis.
fn ends_clause(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '”' | '"' | ')' | '’'));
    t.ends_with([';', ':', '…']) || t.ends_with("...")
}

/// Whether a line opens with a lower-case letter (not an item's marker, "a)").
fn opens_lower(line: &str) -> bool {
    line.trim_start().chars().next().is_some_and(crate::text::is_lower) && marker(line).is_none()
}

/// The first paragraph starting at `line` (after `skip` bytes): the rest of the line, joined
/// with the lines that continue it (a paragraph cut by a line or page break).
fn first_paragraph(lines: &[&str], line: usize, skip: usize) -> (String, usize) {
    // The paragraph's lines, trimmed, as they are joined by a space at the end (no text is
    // copied before then).
    let mut first = lines[line].get(skip..).unwrap_or("").trim();
    let mut i = line + 1;
    if first.is_empty() {
        // "4." alone on its line: the text is on the next one.
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if i < lines.len() && marker(lines[i]).is_none() {
            first = lines[i].trim();
            i += 1;
        }
    }
    let mut pieces: Vec<&str> = vec![first];
    let mut has_lower = first.chars().any(crate::text::is_lower);
    // Words of two letters or more so far: a heading needs two (kept as lines join, so that the
    // test does not rescan a growing text). Only counted while no lower-case letter has been
    // seen: a text with one is no heading, whatever its words.
    let long_words_of = |line: &str| {
        line.split_whitespace()
            .filter(|w| w.chars().filter(|c| crate::text::is_letter(c)).count() > 1)
            .count()
    };
    let mut long_words = if has_lower { 0 } else { long_words_of(first) };
    loop {
        // (The joined text ends as its last piece does.)
        let text = pieces.last().copied().unwrap_or("");
        // A clause ended by ";", ":" or an ellipsis goes on when its line is wrapped: the next line,
        // right under it, opens in lower case ("… hoặc giấy phép bị mất;" / "giấy phép bị hư
        // hỏng …"), as no paragraph or item does.
        if ends_paragraph(text) && !(ends_clause(text) && lines.get(i).is_some_and(|next| opens_lower(next))) {
            break;
        }
        let mut j = i;
        while j < lines.len() && lines[j].trim().is_empty() {
            j += 1;
        }
        if j >= lines.len() || marker(lines[j]).is_some() {
            break;
        }
        let next = lines[j].trim();
        // A heading in capitals is a paragraph of its own: the sentence under it is not part of
        // it ("I. ĐÁNH GIÁ CHUNG" / "Thay mặt Thủ tướng Chính phủ, …").
        // (A text with a lower-case letter is no heading: most paragraphs are turned away on
        // their first line, and the check does not grow with the paragraph.)
        if !has_lower && long_words >= 2 && next.chars().any(crate::text::is_lower) {
            break;
        }
        // A short heading line over a long paragraph that opens a new sentence: the heading is
        // the item's first line ("2. Về thực hiện các biện pháp phòng, chống dịch" / "Thủ
        // trưởng các đơn vị, trường học có trách nhiệm …"), when the text keeps a paragraph to
        // a line (the next line is far longer than a wrapped line's width would allow).
        let first_line = i == line + 1;
        let next_len = next.chars().count();
        if first_line
            && next_len > 160
            // (On the first line the text is its first piece.)
            && first.chars().count() * 2 < next_len
            && next.chars().next().is_some_and(crate::text::is_upper)
        {
            break;
        }
        let continues = j == i
            || next
                .chars()
                .next()
                .is_some_and(|c| crate::text::is_lower(c) || c.is_ascii_digit());
        if !continues {
            break;
        }
        pieces.push(next);
        has_lower = has_lower || next.chars().any(crate::text::is_lower);
        if !has_lower {
            long_words += long_words_of(next);
        }
        i = j + 1;
    }
    let text = match pieces.as_slice() {
        [one] => squash(one),
        _ => squash(&pieces.join(" ")),
    };
    (text, i)
}

/// The lines of each quotation that opens a line: from a line that opens with a quotation
/// mark to the first line that ends with one (perhaps before a full stop or a semicolon), when
/// that is within [`LONGEST_QUOTATION`] lines and before another quotation opens; else the
/// opening line alone.
fn quotations(lines: &[&str]) -> Vec<std::ops::Range<usize>> {
    let closes = |t: &str| {
        t.trim_end_matches(['.', ';', ',', ':', '/'])
            .trim_end()
            .ends_with(['”', '"'])
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        // (A line whose marks are balanced quotes within itself: "“Chương trình …” được triển
        // khai như sau:" opens no quotation.)
        // (Counted only on a line that opens with a mark.)
        let balanced = || t.matches('“').count() == t.matches('”').count() && t.matches('"').count().is_multiple_of(2);
        if !t.starts_with(['“', '"']) || (balanced() && !closes(t)) {
            i += 1;
            continue;
        }
        // (The opening line closes the quotation only when it holds more than its mark; another
        // quotation opening first shows this one was never closed.)
        let end = (i..lines.len().min(i + LONGEST_QUOTATION))
            .take_while(|&k| k == i || !lines[k].trim().starts_with(['“', '"']))
            .find(|&k| {
                let t = lines[k].trim();
                closes(t) && (k > i || t.chars().count() > 1)
            })
            .map_or(i + 1, |k| k + 1);
        found.push(i..end);
        i = end;
    }
    found
}

/// The most lines a quotation in a letter runs over (a law's article quoted whole).
const LONGEST_QUOTATION: usize = 60;

/// The body's numbered items: roman numerals are the top level when present, arabic numbers
/// otherwise, numbered in sequence from 1 (so that a stray "2." inside a paragraph is not taken
/// for an item).
pub fn items(lines: &[&str]) -> Vec<Item> {
    // Each line's marker, read once; none inside a quotation (a letter quoting a law's article:
    // "“Điều 4. Giá tính thuế" / "1. Đối với hàng hóa …" numbers the law's clauses, not the
    // letter's items).
    let mut markers: Vec<Option<(Marker, usize)>> = lines.iter().map(|l| marker(l)).collect();
    for range in quotations(lines) {
        markers[range].fill(None);
    }
    // Roman numerals count from I, or from the first of two in sequence when the text lost its
    // "I." ("II. MỤC ĐÍCH" then "III. …").
    let romans: Vec<u32> = markers
        .iter()
        .filter_map(|m| match m {
            Some((Marker::Roman(n), _)) => Some(*n),
            _ => None,
        })
        .collect();
    // (The pair must be the body's first roman markers, with no arabic "1." before them: a
    // dispatch's item quoting "III. NHIỆM VỤ" / "IV. …" keeps its arabic items.)
    let first_roman_line = markers.iter().position(|m| matches!(m, Some((Marker::Roman(_), _))));
    let arabic_one_before =
        first_roman_line.is_some_and(|r| markers[..r].iter().any(|m| matches!(m, Some((Marker::Arabic(1), _)))));
    let roman_start = if romans.contains(&1) {
        Some(1)
    } else if romans.len() >= 2 && romans[1] == romans[0] + 1 && !arabic_one_before {
        Some(romans[0])
    } else {
        None
    };
    let has_roman = roman_start.is_some();
    let mut top: Vec<(usize, usize, String)> = Vec::new();
    let mut expected = roman_start.unwrap_or(1);
    // A heading in capitals after its marker, on its line or the next: "IV. TỔ" / "IV." /
    // "PHÂN CÔNG NHIỆM VỤ".
    let capital_heading = |i: usize, skip: usize| {
        let rest = lines[i].get(skip..).unwrap_or("").trim();
        let words = if rest.is_empty() {
            lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.is_empty())
                .unwrap_or("")
        } else {
            rest
        };
        words.split_whitespace().next().is_some_and(|w| {
            w.chars().filter(|c| crate::text::is_letter(c)).count() > 1 && crate::text::is_upper_word(w)
        })
    };
    for (i, line) in lines.iter().enumerate() {
        match markers[i].clone() {
            // A heading numbered again by mistake ("IV. PHÂN CÔNG …" then "IV. TỔ CHỨC …") is the
            // next one.
            Some((Marker::Roman(n), skip))
                if has_roman
                    && (n == expected || (n + 1 == expected && !top.is_empty() && capital_heading(i, skip))) =>
            {
                top.push((
                    i,
                    skip,
                    line.trim_start()[..skip - (line.len() - line.trim_start().len())]
                        .trim()
                        .to_owned(),
                ));
                expected += 1;
            }
            Some((Marker::Arabic(n), skip)) if !has_roman && n == expected => {
                top.push((i, skip, format!("{n}.")));
                expected += 1;
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (index, (line, skip, marker_text)) in top.iter().enumerate() {
        let end = top.get(index + 1).map(|t| t.0).unwrap_or(lines.len());
        let (text, after) = first_paragraph(lines, *line, *skip);
        // The sub-items, nested by level: arabic under roman, 1.1. under 1., a) under those,
        // dashes and pluses under everything.
        let mut children: Vec<(u8, Item)> = Vec::new();
        let mut i = after;
        while i < end {
            if let Some((kind, skip)) = markers[i].clone() {
                let level = match kind {
                    Marker::Roman(_) => 0,
                    Marker::Arabic(_) => 1,
                    Marker::Nested => 2,
                    Marker::Letter => 3,
                    Marker::Bullet => 4,
                };
                let (child, next) = first_paragraph(lines, i, skip);
                let trimmed = lines[i].trim_start();
                let written = trimmed[..skip.saturating_sub(lines[i].len() - trimmed.len()).min(trimmed.len())].trim();
                children.push((
                    level,
                    Item {
                        marker: written.to_owned(),
                        text: child,
                        children: vec![],
                    },
                ));
                i = next.max(i + 1);
            } else {
                i += 1;
            }
        }
        out.push(Item {
            marker: marker_text.clone(),
            text,
            children: nest(children),
        });
    }
    out
}

/// Builds a tree from items in reading order with their levels: each item goes under the
/// nearest earlier item of a smaller level.
fn nest(flat: Vec<(u8, Item)>) -> Vec<Item> {
    let mut roots: Vec<Item> = Vec::new();
    let mut stack: Vec<(u8, Item)> = Vec::new();
    let close = |stack: &mut Vec<(u8, Item)>, roots: &mut Vec<Item>, level: u8| {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            let (_, done) = stack.pop().expect("non-empty");
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    };
    for (level, item) in flat {
        close(&mut stack, &mut roots, level);
        stack.push((level, item));
    }
    close(&mut stack, &mut roots, 0);
    roots
}

/// Whether the body's numbered items are the document's tasks: dispatches and directives, not
/// documents made of articles (Điều 1, Điều 2 …) such as decisions and resolutions.
pub fn takes_tasks(doc_type: Option<&str>, body: &[&str]) -> bool {
    // The corpus's convention: bodies that are a numbered list of things to do: dispatches,
    // directives (and urgent dispatches), plans and programmes, notices of conclusions and the
    // Party's conclusions ("Kết luận": "1. … 2. Yêu cầu … 3. Giao …"); decisions, resolutions and
    // the like have articles, not tasks.
    if !matches!(
        doc_type,
        None | Some(
            "Công văn" | "Chỉ thị" | "Công điện" | "Kế hoạch" | "Chương trình" | "Thông báo" | "Hướng dẫn" | "Kết luận"
        )
    ) {
        return false;
    }
    !body.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("Điều 1.") || t.starts_with("Điều 1:") || t == "Điều 1"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_words_and_their_lengths() {
        assert_eq!(word_number("Một là, các Bộ"), Some((1, "Một là,".len())));
        assert_eq!(word_number("Bảy là: rà soát"), Some((7, "Bảy là:".len())));
        assert_eq!(word_number("Thứ nhất. Tăng cường"), Some((1, "Thứ nhất.".len())));
        assert_eq!(word_number("thứ tư, các sở"), Some((4, "thứ tư,".len())));
        assert_eq!(word_number("Ba là"), None);
        assert_eq!(word_number("Bảy lá, x"), None);
        assert_eq!(word_number("Thứ hai"), None);
        assert_eq!(word_number("Đây là, một"), None);
    }

    #[test]
    fn a_party_conclusion_s_numbered_points_are_tasks() {
        let body = ["1. Cơ bản thống nhất với Báo cáo.", "2. Yêu cầu các cấp uỷ triển khai."];
        assert!(takes_tasks(Some("Kết luận"), &body));
        assert!(!takes_tasks(Some("Quyết định"), &body));
    }

    #[test]
    fn a_short_heading_over_a_paragraph_kept_to_one_line_is_the_item() {
        let long = "Thủ trưởng các đơn vị, trường học có trách nhiệm quán triệt, triển khai thực hiện nghiêm túc Chỉ thị số 19/CT-TTg ngày 24/4/2020 của Thủ tướng Chính phủ về tiếp tục thực hiện các biện pháp.";
        let lines = [
            "1. Về thực hiện các biện pháp phòng, chống dịch COVID-19",
            long,
            "2. Công tác theo dõi, báo cáo",
            long,
        ];
        let texts: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "Về thực hiện các biện pháp phòng, chống dịch COVID-19",
                "Công tác theo dõi, báo cáo"
            ]
        );
        // Wrapped at a line's width, a paragraph goes on over a capital.
        let lines = [
            "1. Giao Sở Nội vụ chủ trì, phối hợp với",
            "Ủy ban nhân dân các huyện triển khai.",
            "2. Việc khác.",
        ];
        assert_eq!(
            items(&lines)[0].text,
            "Giao Sở Nội vụ chủ trì, phối hợp với Ủy ban nhân dân các huyện triển khai."
        );
    }

    #[test]
    fn roman_headings_count_from_the_first_of_a_sequence_when_i_is_lost() {
        let lines = [
            "Để kịp thời khắc phục, UBND tỉnh ban hành kế hoạch như sau:",
            "II. MỤC",
            "ĐÍCH, YÊU CẦU",
            "",
            "1. Mục đích",
            "III. NỘI DUNG",
            "Thay mặt Ủy ban, giao các sở:",
            "1. Sở Y tế",
        ];
        let texts: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(texts, ["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG"]);
    }

    #[test]
    fn a_roman_heading_numbered_again_by_mistake_is_the_next_heading() {
        let lines = [
            "I. MỤC ĐÍCH",
            "1. Mục đích",
            "II. NỘI DUNG",
            "III.",
            "PHÂN CÔNG NHIỆM VỤ",
            "1. Sở Y tế",
            "III. TỔ",
            "CHỨC THỰC HIỆN",
            "Các sở triển khai; xem mục III. trên.",
            "IV. KINH PHÍ",
        ];
        let texts: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "MỤC ĐÍCH",
                "NỘI DUNG",
                "PHÂN CÔNG NHIỆM VỤ",
                "TỔ CHỨC THỰC HIỆN",
                "KINH PHÍ"
            ]
        );
        // A numeral repeated before lower-case text is not a heading.
        let lines = ["I. MỤC ĐÍCH", "II. NỘI DUNG", "II. các nội dung trên", "III. KINH PHÍ"];
        let texts: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(texts, ["MỤC ĐÍCH", "NỘI DUNG", "KINH PHÍ"]);
    }

    #[test]
    fn roman_headings_quoted_inside_an_arabic_item_are_not_the_top_level() {
        let lines = [
            "1. Việc thứ nhất.",
            "2. Sửa mục sau của Kế hoạch:",
            "III. NHIỆM VỤ",
            "IV. TỔ CHỨC THỰC HIỆN",
            "3. Việc thứ ba.",
        ];
        let texts: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(texts, ["Việc thứ nhất.", "Sửa mục sau của Kế hoạch:", "Việc thứ ba."]);
    }

    #[test]
    fn a_guideline_takes_its_numbered_items_as_tasks() {
        let body = ["I. MỤC ĐÍCH, YÊU CẦU", "II. TỔ CHỨC THỰC HIỆN"];
        assert!(takes_tasks(Some("Hướng dẫn"), &body));
        assert!(!takes_tasks(Some("Quyết định"), &body));
    }

    #[test]
    fn markers_with_other_digits_are_markers() {
        // The patterns' `\d` is any decimal digit; the first-character prefilter must agree.
        assert!(matches!(marker("１.２ Nội dung"), Some((Marker::Nested, _))));
    }

    #[test]
    fn numbering_in_words_makes_items() {
        let lines = [
            "Để tăng cường công tác dân vận, Thủ tướng yêu cầu:",
            "Một là, các Bộ, ngành rà soát quy chế dân chủ.",
            "Hai là, Ủy ban nhân dân các tỉnh tổ chức đối thoại.",
            "Thứ ba, tăng cường kiểm tra, giám sát.",
        ];
        let items = items(&lines);
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "các Bộ, ngành rà soát quy chế dân chủ.",
                "Ủy ban nhân dân các tỉnh tổ chức đối thoại.",
                "tăng cường kiểm tra, giám sát."
            ]
        );
    }

    #[test]
    fn bullets_of_several_bytes_mark_sub_items() {
        let lines = [
            "1. Nhiệm vụ thứ nhất:",
            "• nghề nghiệp, tổ chức kinh tế;",
            "– đơn vị sự nghiệp.",
            "2. Nhiệm vụ thứ hai.",
        ];
        let found = items(&lines);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].children.iter().map(|c| c.marker.as_str()).collect::<Vec<_>>(),
            ["•", "–"]
        );
        assert_eq!(found[0].children[0].text, "nghề nghiệp, tổ chức kinh tế;");
    }

    #[test]
    fn dash_items_on_one_line_are_split() {
        assert_eq!(
            split_items("- Phòng VX;- Lưu VT, (VX/P) T."),
            ["Phòng VX", "Lưu VT, (VX/P) T"]
        );
        assert_eq!(
            split_items("- Thường trực Tỉnh uỷ; (Báo cáo)"),
            ["Thường trực Tỉnh uỷ; (Báo cáo)"]
        );
    }

    #[test]
    fn an_address_under_an_empty_dashed_item_is_no_panic() {
        let found = recipients(&["Kính gửi:", "- ;", "(Địa chỉ: 12 Lê Lợi)"], Pos::default());
        assert!(found.items.len() <= 1, "{:?}", found.items);
    }

    #[test]
    fn a_dashed_line_opening_the_body_is_no_addressee() {
        let lines = [
            "Kính gửi: Công an thị trấn Ngô Mây - Công an tỉnh Bình Định",
            "",
            "- Căn cứ quy định tại khoản 3 Điều 106 Bộ luật Dân sự năm 2015;",
            "- Căn cứ Nghị định số 21/2021/NĐ-CP;",
        ];
        let found = recipients(&lines, Pos::default());
        assert_eq!(found.items, ["Công an thị trấn Ngô Mây - Công an tỉnh Bình Định"]);
        assert_eq!(found.body_start, 2);
    }

    #[test]
    fn the_last_of_dashed_addressees_keeps_its_address_even_wrapped_narrow() {
        let lines = [
            "Kính gửi:",
            "- Thuế thành phố Hải Phòng;",
            "- Công ty BOT TNHH Điện lực Jaks Hải Dương.",
            "(Địa",
            "chỉ: thôn Thái Mông, xã Nam An Phụ, thành phố Hải Phòng)",
            "",
            "Trả lời công văn số 01/CV ngày 01/10/2025 của Công ty,",
        ];
        let found = recipients(&lines, Pos::default());
        assert_eq!(
            found.items,
            [
                "Thuế thành phố Hải Phòng",
                "Công ty BOT TNHH Điện lực Jaks Hải Dương. (Địa chỉ: thôn Thái Mông, xã Nam An Phụ, thành phố Hải Phòng)"
            ]
        );
        // A note in brackets that is no address stays out of a dashed list.
        let lines = [
            "Kính gửi:",
            "- Sở Y tế;",
            "- Sở Tài chính.",
            "(Kèm theo danh sách)",
            "",
            "Thực hiện …",
        ];
        assert_eq!(recipients(&lines, Pos::default()).items, ["Sở Y tế", "Sở Tài chính"]);
    }

    #[test]
    fn an_addressee_wrapped_after_a_company_form_keeps_its_address() {
        let lines = [
            "Kính gửi: Công ty TNHH",
            "Tokokosen.",
            "(Địa chỉ: Phòng 11.05, 562 Nguyễn Văn Cừ, phường Bồ",
            "Đề, thành phố Hà Nội)",
            "Trả lời công văn số 01/CV ngày 01/10/2025 của Công ty,",
        ];
        let found = recipients(&lines, Pos::default());
        assert_eq!(
            found.items,
            ["Công ty TNHH Tokokosen. (Địa chỉ: Phòng 11.05, 562 Nguyễn Văn Cừ, phường Bồ Đề, thành phố Hà Nội)"]
        );
        let lines = [
            "Kính gửi: Các",
            "Thuế tỉnh, thành phố.",
            "Ngày 30/6/2025, Chính phủ ban hành",
        ];
        assert_eq!(recipients(&lines, Pos::default()).items, ["Các Thuế tỉnh, thành phố"]);
        // A sub-unit in brackets, and a line ending in a comma, go on with the addressee; a
        // reply's note does not.
        let lines = [
            "Kính gửi: Bộ Nội vụ",
            "(Vụ Chính quyền địa phương)",
            "Thực hiện chỉ đạo",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["Bộ Nội vụ (Vụ Chính quyền địa phương)"]
        );
        let lines = [
            "Kính gửi: Ban Thường vụ Tỉnh ủy,",
            "Thường trực HĐND tỉnh.",
            "Thực hiện chỉ đạo",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["Ban Thường vụ Tỉnh ủy, Thường trực HĐND tỉnh"]
        );
        let lines = [
            "Kính gửi: Sở Y tế",
            "(Phúc đáp Công văn số 12/SYT ngày 01/3/2024)",
            "Thực hiện",
        ];
        assert_eq!(recipients(&lines, Pos::default()).items, ["Sở Y tế"]);
    }

    #[test]
    fn a_dashed_addressee_wrapped_in_a_narrow_cell_goes_on_to_its_end() {
        let lines = [
            "Kính gửi:",
            "- Thuế thành phố Hải",
            "Phòng",
            "- Các Bộ: Quốc phòng, Công an, Xây dựng, Công",
            "Thương, Y tế, Tài chính;",
            "- Ủy ban nhân dân các tỉnh",
            "Lũ trên các sông đang ở mức rất cao.",
        ];
        let found = recipients(&lines, Pos::default());
        assert_eq!(
            found.items,
            [
                "Thuế thành phố Hải Phòng",
                "Các Bộ: Quốc phòng, Công an, Xây dựng, Công Thương, Y tế, Tài chính",
                "Ủy ban nhân dân các tỉnh"
            ]
        );
        assert_eq!(found.body_start, 6);
        // An addressee left open does not take the body's lead-in to its own list.
        let lines = [
            "Kính gửi:",
            "- Sở Y tế",
            "- Sở Tài chính",
            "Sở Nội vụ đề nghị các đơn vị thực hiện các nội dung sau:",
            "- Rà soát;",
            "- Báo cáo.",
        ];
        let found = recipients(&lines, Pos::default());
        assert_eq!(found.items, ["Sở Y tế", "Sở Tài chính"]);
        assert_eq!(found.body_start, 3);
        // One addressee whose enumeration after a colon wraps onto the next line.
        let lines = [
            "Kính gửi:",
            "|",
            "Chủ tịch Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh",
            "Bình, Bắc Ninh, Phú Thọ, Tuyên Quang.",
            "|",
            "Xét báo cáo và đề xuất của Ủy ban nhân dân tỉnh",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["Chủ tịch Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh Bình, Bắc Ninh, Phú Thọ, Tuyên Quang"]
        );
        // Without a colon, a single addressee does not take the body's first sentence.
        let lines = ["Kính gửi:", "Sở Nội vụ", "Đề nghị Sở xem xét.", ""];
        assert_eq!(recipients(&lines, Pos::default()).items, ["Sở Nội vụ"]);
    }

    #[test]
    fn an_inline_addressee_ends_where_the_body_begins() {
        let lines = ["Kính gửi: Đ/c Chủ tịch UBND các tỉnh Trong thời gian qua, các tỉnh đã"];
        let found = recipients(&lines, Pos::default());
        assert_eq!(found.items, ["Đ/c Chủ tịch UBND các tỉnh"]);
    }

    #[test]
    fn a_wrapped_clause_goes_on_under_its_semicolon_colon_or_ellipsis() {
        let lines = [
            "1. Doanh nghiệp báo cáo khi giấy phép bị mất;",
            "giấy phép bị hư hỏng thì đề nghị cấp lại.",
            "2. Gửi báo cáo, trong đó thống kê các dự án:",
            "tên, quy mô, vốn tư nhân...",
            "3. Làm thêm ngày nghỉ, ngày tết”...",
            "để hoàn thành các dự án.",
            "4. Việc bốn;",
            "a) ý nhỏ.",
            "5. Việc năm:",
            "Sở Nội vụ theo dõi.",
        ];
        let found = items(&lines);
        let texts: Vec<&str> = found.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Doanh nghiệp báo cáo khi giấy phép bị mất; giấy phép bị hư hỏng thì đề nghị cấp lại.",
                "Gửi báo cáo, trong đó thống kê các dự án: tên, quy mô, vốn tư nhân...",
                "Làm thêm ngày nghỉ, ngày tết”... để hoàn thành các dự án.",
                "Việc bốn;",
                "Việc năm:",
            ]
        );
    }

    #[test]
    fn items_follow_the_numbering_and_join_paragraphs_cut_by_a_page_break() {
        let lines = [
            "Mở đầu có số 2. ở giữa câu.",
            "1. Việc thứ nhất.",
            "a) ý nhỏ;",
            "2. Việc thứ hai theo Quy chế số",
            "",
            "18-QC/TU; tiếp tục.",
            "3.",
            "Việc thứ ba.",
        ];
        let found = items(&lines);
        let texts: Vec<&str> = found.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Việc thứ nhất.",
                "Việc thứ hai theo Quy chế số 18-QC/TU; tiếp tục.",
                "Việc thứ ba."
            ]
        );
        assert_eq!(found[0].children[0].marker, "a)");
        let deep = items(&[
            "1. Một",
            "1.1. Một một",
            "a) ý a",
            "- gạch",
            "b) ý b",
            "1.2. Một hai",
            "2. Hai",
        ]);
        assert_eq!(deep.len(), 2);
        let first = &deep[0];
        assert_eq!(
            first.children.iter().map(|c| c.marker.as_str()).collect::<Vec<_>>(),
            ["1.1.", "1.2."]
        );
        assert_eq!(
            first.children[0]
                .children
                .iter()
                .map(|c| c.marker.as_str())
                .collect::<Vec<_>>(),
            ["a)", "b)"]
        );
        assert_eq!(first.children[0].children[0].children[0].text, "gạch");
    }

    #[test]
    fn roman_numerals_are_the_top_level_when_present() {
        let lines = ["I. Phần một", "1. Mục", "II. Phần hai", "1. Mục"];
        let found = items(&lines);
        assert_eq!(
            found.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(),
            ["Phần một", "Phần hai"]
        );
        assert_eq!(roman_value("IV"), 4);
    }

    #[test]
    fn an_enumeration_of_addressees_wrapped_under_the_line_goes_on() {
        let lines = [
            "Kính gửi các Bộ: Công an, Ngoại giao. Y tế, Quốc phòng.",
            "Giao thông vận tải, Văn hóa, Thể thao và Du",
            "lịch.",
            "",
            "Xét báo cáo của Bộ Công an, Phó Thủ tướng có ý kiến như sau:",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["các Bộ: Công an, Ngoại giao. Y tế, Quốc phòng. Giao thông vận tải, Văn hóa, Thể thao và Du lịch"]
        );
        // The body's first sentence right under the line is not the addressee's.
        let lines = [
            "Kính gửi các Bộ: Công an, Ngoại giao.",
            "Thực hiện chỉ đạo của Thủ tướng,",
            "",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["các Bộ: Công an, Ngoại giao"]
        );
        // Nor a sentence that names a body and a citation (the review's case).
        let lines = [
            "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố: Hà Nội, Hải Phòng.",
            "Bộ Y tế nhận được Công văn số 123/UBND-VX ngày 10/5/2024 của UBND thành phố Hà Nội.",
            "",
            "Về vấn đề này, Bộ Y tế có ý kiến như sau:",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["Ủy ban nhân dân các tỉnh, thành phố: Hà Nội, Hải Phòng"]
        );
    }

    #[test]
    fn the_clauses_of_a_quoted_article_are_not_the_letter_s_items() {
        let lines = [
            "Tại khoản 1 Điều 9 Luật thuế số 14/2008/QH12 quy định:",
            "\"Điều 9. Các khoản chi được trừ.",
            "1. Trừ các khoản chi quy định tại khoản 2 Điều này;",
            "2. Các khoản chi không được trừ.\"",
            "Tổng cục Thuế trả lời để Công ty biết.",
        ];
        assert!(items(&lines).is_empty());
        // An unclosed quotation is its opening line alone: the letter's own items after it stay.
        let lines = [
            "“3. Tổ chức thực hiện nhiều hành vi thì bị xử phạt;",
            "",
            "Quy định nêu trên áp dụng như sau:",
            "1. Về thời điểm nộp hồ sơ",
            "2. Về hành vi chậm nộp",
            "",
            "“Một hành vi chỉ bị xử phạt một lần”",
        ];
        let found: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(found, ["Về thời điểm nộp hồ sơ", "Về hành vi chậm nộp"]);
        // A line that quotes a name within itself opens no quotation (the review's case).
        let lines = [
            "“Chương trình mục tiêu quốc gia xây dựng nông thôn mới” được triển khai như sau:",
            "1. Rà soát các tiêu chí;",
            "",
            "2. Báo cáo theo mẫu “Báo cáo tiến độ”.",
        ];
        let found: Vec<String> = items(&lines).into_iter().map(|i| i.text).collect();
        assert_eq!(found, ["Rà soát các tiêu chí;", "Báo cáo theo mẫu “Báo cáo tiến độ”."]);
    }

    #[test]
    fn a_company_s_tax_code_and_address_under_its_name_are_one_addressee() {
        let lines = [
            "Kính gửi: Công ty TNHH Nissin Manufacturing Việt Nam;",
            "Mã số thuế: 5400416202; Địa chỉ: Khu công nghiệp Lương",
            "Sơn, xã Hòa Sơn, huyện Lương Sơn, tỉnh Hòa Bình.",
            "Cục Thuế Hòa Bình nhận được Công văn số 011221/CV-NMV của Công ty.",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            [
                "Công ty TNHH Nissin Manufacturing Việt Nam; Mã số thuế: 5400416202; Địa chỉ: Khu công nghiệp Lương Sơn, xã Hòa Sơn, huyện Lương Sơn, tỉnh Hòa Bình"
            ]
        );
        let lines = [
            "Kính gửi: Công ty TNHH Universal Scientific Industrial Việt Nam",
            "",
            "- Mã số thuế: 0202030568",
            "Dia chỉ: Lô CN4.1H, Khu công nghiệp Đình Vũ, TP Hải Phòng",
            "",
            "Cục Thuế nhận được công văn của Công ty.",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            [
                "Công ty TNHH Universal Scientific Industrial Việt Nam - Mã số thuế: 0202030568 Dia chỉ: Lô CN4.1H, Khu công nghiệp Đình Vũ, TP Hải Phòng"
            ]
        );
        // Several addressees keep their own lines.
        let lines = [
            "Kính gửi:",
            "- Sở Tài chính;",
            "- Sở Nội vụ.",
            "Địa chỉ liên hệ của Sở như sau:",
        ];
        assert_eq!(recipients(&lines, Pos::default()).items, ["Sở Tài chính", "Sở Nội vụ"]);
    }

    #[test]
    fn kinh_gui_as_a_scan_reads_it() {
        let lines = [
            "Kinh gửi: Người nộp thuế trên địa bàn Thành phố Hồ Chí Minh",
            "",
            "Cục Thuế nhận được vướng mắc.",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["Người nộp thuế trên địa bàn Thành phố Hồ Chí Minh"]
        );
        let lines = [
            "gửi: Đồng chí Cục trưởng Cục Thuế các tỉnh, thành phố trực",
            "thuộc Trung ương.",
            "",
            "Thực hiện Thông báo số 439/TB-TCT,",
        ];
        assert_eq!(
            recipients(&lines, Pos::default()).items,
            ["Đồng chí Cục trưởng Cục Thuế các tỉnh, thành phố trực thuộc Trung ương"]
        );
        // "gửi" in a sentence is no addressee's mark.
        let lines = ["gửi kèm theo văn bản này danh sách các đơn vị."];
        assert!(recipients(&lines, Pos::default()).items.is_empty());
    }
}
