//! Finding citations: a number and symbol, the type word before it, the dates stated
//! around it, and the key that tells two mentions of one document apart.

use regex::Regex;
use std::sync::LazyLock;

use crate::Reference;
use crate::date::date_after_ngay;
use crate::text::fold_case;

/// Words that name a type of document before its number, longest first.
pub(super) const TYPE_WORDS: &[&str] = &[
    "Thông tư liên tịch",
    "Nghị quyết liên tịch",
    "Bộ luật",
    "Pháp lệnh",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Công văn",
    "Văn bản",
    "Kế hoạch",
    "Chương trình",
    "Tờ trình",
    "Biên bản",
    "Báo cáo",
    "Thông báo",
    "Hướng dẫn",
    "Quy chế",
    "Quy định",
    "Kết luận",
    "Đề án",
    "Phương án",
    "Công điện",
    "Giấy mời",
    "Luật",
    "Lệnh",
];

/// The most words a type word has.
pub(super) const LONGEST_TYPE_WORD: usize = 4;

/// The type words folded as `fold_case` folds a text.
pub(super) static FOLDED_TYPE_WORDS: LazyLock<Vec<String>> =
    LazyLock::new(|| TYPE_WORDS.iter().map(|t| fold_case(t)).collect());

/// A number and symbol: `2071/UBND-NC`, `25-NQ/TW`, `33/2009/QĐ-UBND`, `119- KH/TU`; a number
/// may join two groups of digits with a dash when the second is not a year (`25-2303/PBHC-KD`,
/// `01-10/2025/CV-TKV`, as companies number their letters).
pub(super) const CITATION_PATTERN: &str = r"(\d+(?:\.\d+)?(?:-(?:\d{1,3}|[03-9]\d{3}|1[0-8]\d{2}|2[1-9]\d{2}|\d{5,}))?[a-z]?)\s?([/-])\s?((?:\d{4}\s?/\s?)?\p{Lu}(?:[\p{L}\p{N}_]|\.[\p{L}\p{N}]|&\s?)*(?:\s?[-–—/]\s?[\p{L}\p{N}](?:[\p{L}\p{N}_]|\.[\p{L}\p{N}]|&\s?)*)*)";

pub(super) static CITATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(CITATION_PATTERN).expect("valid regex"));

/// The same pattern, matched only where the text given to it starts.
pub(super) static CITATION_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{CITATION_PATTERN})")).expect("valid regex"));

/// Where `CITATION` matches in `text`, in order and without overlap, as its `find_iter` would
/// give them: found from the separators ("/" or "-") with a vectorised byte search instead of an
/// automaton run over every byte (the letters' classes make that automaton slow on Vietnamese
/// text).
///
/// What can stand before a citation's first separator is digits and dots, then perhaps a
/// lower-case letter and a space (`\d+(?:\.\d+)?[a-z]?\s?`; a number's inner dash, as in
/// "25-2303/…", is that first separator): a match that starts at or after the search's position
/// starts at a digit among the characters just before the first separator after it. Those
/// starts are tried in order, anchored.
pub(super) fn citation_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            let sep = pos + memchr::memchr2(b'/', b'-', &bytes[pos..])?;
            // Back over at most one space, at most one lower-case ASCII letter, then digits and
            // dots, never before the search's position.
            let mut back = sep;
            let mut step_back = |allowed: &dyn Fn(char) -> bool, once: bool| {
                while back > pos {
                    let c = text[..back].chars().next_back().unwrap_or(' ');
                    if !allowed(c) {
                        break;
                    }
                    back -= c.len_utf8();
                    if once {
                        break;
                    }
                }
            };
            step_back(&|c| c.is_whitespace(), true);
            step_back(&|c| c.is_ascii_lowercase(), true);
            step_back(&|c| c.is_numeric() || c == '.', false);
            let mut start = back;
            while start < sep {
                let c = text[start..].chars().next().unwrap_or(' ');
                if c.is_numeric()
                    && let Some(found) = CITATION_AT_START.find(&text[start..])
                {
                    let span = start..start + found.end();
                    pos = span.end;
                    return Some(span);
                }
                start += c.len_utf8();
            }
            pos = sep + 1;
        }
        None
    })
}

/// The number and the symbol of a citation found by `citation_spans`, as `CITATION_AT_START`'s
/// first and third groups give them. Most citations are ASCII digits, "/" and the symbol (with
/// perhaps a space before it): those are split without running the pattern's groups.
pub(super) fn citation_parts(span: &str) -> Option<(&str, &str)> {
    let digits = span.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && span.as_bytes().get(digits) == Some(&b'/') {
        // (The digits end at a character that cannot go on a number; the separator's optional
        // space goes before the symbol, which cannot open with one.)
        let rest = &span[digits + 1..];
        let symbol = match rest.chars().next() {
            Some(c) if c.is_whitespace() => &rest[c.len_utf8()..],
            _ => rest,
        };
        return Some((&span[..digits], symbol));
    }
    let caps = CITATION_AT_START.captures(span)?;
    Some((caps.get(1)?.as_str(), caps.get(3)?.as_str()))
}

/// Notes a legal website inserts into a text ("[Nội dung này được đính chính bởi …]"): not part
/// of the document, so nothing in them is a citation.
pub(super) static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\[[^\[\]]*?(?:được|bị)\s+(?:đính chính|hướng dẫn|sửa đổi|bổ sung|bãi bỏ|thay thế|hủy bỏ|huỷ bỏ|đình chỉ)[^\[\]]*?(?:\]|$)",
    )
    .expect("valid regex")
});

/// What comes right before a citation: "… số", "… số:", or a type word directly.
pub(super) static BEFORE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:s[ốôo]\s*:?|\p{L}+)\s*$").expect("valid regex"));

/// A date written right before the "số" that `before` ends in: "… văn bản đề ngày 29 tháng 10
/// năm 2025 số".
pub(super) fn date_before_number(before: &str) -> Option<crate::DocDate> {
    let near = crate::text::last_chars(before, 80);
    let at = near.rfind("ngày")?;
    let (date, len) = date_after_ngay(&near[at..])?;
    let rest = near[at + len..].trim();
    let rest = rest.strip_suffix(':').unwrap_or(rest).trim_end();
    matches!(rest, "số" | "Số").then_some(date)
}

/// A date that ends `text`, perhaps before a comma: "…, ngày 16/8/2018", "Ngày 16/7/2012,".
pub(super) fn date_ending(text: &str) -> Option<crate::DocDate> {
    let text = text.trim_end();
    let text = text.strip_suffix(',').unwrap_or(text).trim_end();
    let near = crate::text::last_chars(text, 48);
    let at = near.rfind("ngày").or_else(|| near.rfind("Ngày"))?;
    let (date, len) = date_after_ngay(&near[at..])?;
    // The date opens its clause ("…, ngày 16/8/2018 Bộ …", "Ngày 16/7/2012, …"), not a thing
    // named before it ("Kết luận của Thường trực Tỉnh ủy ngày 12/3/2024, UBND tỉnh …", "Tại cuộc
    // họp ngày 5/3/2024, Sở Y tế …").
    let head = &near[..at];
    let opens_clause = near[at..].starts_with('N')
        || head.trim_end().is_empty() && near.len() < 48
        || head.trim_end().ends_with([',', ';', '.'])
        || head.ends_with('\n');
    (opens_clause && near[at + len..].trim().is_empty()).then_some(date)
}

/// The date that opens the sentence `before` ends in ("Ngày 28 tháng 10 năm 2025, …"), when no
/// other citation stands between it and the end.
pub(super) fn date_opening_sentence(before: &str) -> Option<crate::DocDate> {
    // A sentence runs over line breaks; it starts after a full stop, a semicolon, a table's
    // pipe or a blank line.
    let sentence_start = |text: &str| {
        [
            memchr::memrchr3(b'.', b';', b'|', text.as_bytes()).map(|i| i + 1),
            memchr::memmem::rfind(text.as_bytes(), b"\n\n").map(|i| i + 2),
        ]
        .into_iter()
        .flatten()
        .max()
    };
    // The start is sought in the last kilobyte first, so that a text without full stops does
    // not cost a search back to its beginning at every citation: when none is there, the
    // sentence holds at least that kilobyte, too long to open with a date, unless it is mostly
    // spaces.
    let window_start = before.len() - crate::text::head_from_end(before, 1024).len();
    let start = match sentence_start(&before[window_start..]) {
        Some(at) => window_start + at,
        None if before[window_start..].trim_start().chars().count() > 200 => return None,
        None => sentence_start(before).unwrap_or(0),
    };
    let sentence = before[start..].trim_start();
    if !sentence.starts_with("Ngày ") || sentence.chars().count() > 200 {
        return None;
    }
    let (date, len) = date_after_ngay(sentence)?;
    let rest = &sentence[len..];
    (rest.trim_start().starts_with(',') && !CITATION.is_match(rest)).then_some(date)
}

/// Number and symbol compared without case, spaces, dash variants or look-alike letters
/// (legal websites write some of a symbol's Latin capitals in Cyrillic or Greek: "TT-BТС" with
/// a Cyrillic Т and С is "TT-BTC").
pub(super) fn key(number: &str, symbol: &str) -> (String, String) {
    let symbol: String = symbol
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '–' | '—') {
                '-'
            } else {
                crate::text::latin_lookalike(c)
            }
        })
        .collect();
    (number.trim_start_matches('0').to_owned(), symbol.to_uppercase())
}

/// Whether the text before a number introduces a citation, and the type word it names.
/// `Some(None)` is a citation without a type word ("văn bản số" counts as a type word).
pub(super) fn cited_type(before: &str) -> Option<Option<String>> {
    let window = crate::text::last_chars(before, 81);
    let tail = BEFORE_NUMBER.find(window)?;
    let lead = crate::text::lower(window[tail.start()..].trim());
    let head = &window[..tail.start()];
    // Every type word, lower case, in one automaton: the occurrence that ends last (the longer
    // of two ending together) is the one nearest the number.
    static LOWER_TYPES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(TYPE_WORDS.iter().map(|t| t.to_lowercase())).expect("valid automaton")
    });
    let type_word = |text: &str| -> Option<(String, usize)> {
        let folded = crate::text::lower(text);
        LOWER_TYPES
            .find_overlapping_iter(&folded)
            .map(|m| (TYPE_WORDS[m.pattern().as_usize()], m.start()))
            .max_by_key(|(t, at)| (*at + t.len(), t.len()))
            .map(|(t, at)| (t.to_owned(), at))
    };
    // "so", "sô", "só" are how OCR often reads "số"; they count only after a type word.
    let ocr_so =
        (lead.starts_with("so") || lead.starts_with("sô") || lead.starts_with("só")) && !lead.starts_with("số");
    if lead.starts_with("số") || ocr_so {
        // Form and field numbers are not documents: "mẫu số 03/…", "Trường số 16".
        let previous_word = crate::text::lower(head.split_whitespace().next_back().unwrap_or(""));
        if matches!(
            previous_word.as_str(),
            "mẫu" | "biểu" | "mã" | "trường" | "khoản" | "điểm" | "tài" | "hiệu"
        ) {
            return None;
        }
        // The type word, if one stands within the same clause before "số".
        let clause_start = head
            .char_indices()
            .rev()
            .find(|(_, c)| matches!(c, ';' | '.' | ':' | '(' | '“' | '"'))
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let clause = &head[clause_start..];
        let type_found = type_word(clause)
            .filter(|(_, at)| clause.len() - at < 70)
            .map(|(t, _)| t);
        if ocr_so && type_found.is_none() {
            return None;
        }
        return Some(type_found);
    }
    // A type word right before the number: "Quyết định 6556/QĐ-BYT".
    let (t, at) = type_word(window)?;
    let after_type = window[at + t.len()..].trim();
    // "công vănsố 320/…": "số" glued to the type word by a lost space.
    let glued_so = matches!(crate::text::lower(after_type).trim_end_matches(':'), "số" | "sô");
    (after_type.is_empty() || glued_so).then_some(Some(t))
}

/// A date right after a citation: ", ngày 17/12/2019", " ngày 25 tháng 10 năm 2017".
pub(super) fn date_after(rest: &str) -> (Option<crate::DocDate>, usize) {
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    // "số 22/PC-TCT đề ngày 08/01/2021": the date a letter bears.
    let trimmed = trimmed.strip_prefix("đề ").map_or(trimmed, str::trim_start);
    let skipped = rest.len() - trimmed.len();
    match date_after_ngay(trimmed) {
        Some((date, len)) => (Some(date), skipped + len),
        None => (None, 0),
    }
}

/// What follows the first `n` words of `text`.
pub(super) fn after_words(text: &str, n: usize) -> Option<&str> {
    let mut rest = text;
    for _ in 0..n {
        rest = rest.trim_start();
        let word_end = rest.find(char::is_whitespace)?;
        rest = &rest[word_end..];
    }
    Some(rest)
}

/// Whether a citation is one already found, written another way: the same number with its
/// symbol's codes run together or "Đ" read as "D" ("CTTg", "CT-TTg"; "QD-BYT", "QĐ-BYT"),
/// codes in another order ("KH-MTTQ-BTT", "KH-BTT-MTTQ"), the symbol cut short or without its
/// first code ("2025/NQLT" for "2025/NQLT/UBTVQH15-CP", "TTg" for "QĐ-TTg"), or one code
/// misread by a scan ("2021/TT-BTO", "2018/T1-BTC"; any code, when both carry the same date).
/// Never when the two are of different kinds, dated differently, or differ in a year.
pub(super) fn same_document(found: (&(String, String), &Reference), this: (&(String, String), &Reference)) -> bool {
    let ((found_number, found_symbol), found_ref) = found;
    let ((number, symbol), this_ref) = this;
    if found_number != number {
        return false;
    }
    if found_symbol == symbol {
        return true;
    }
    let codes = |symbol: &str| -> Vec<String> {
        symbol
            .split(['-', '/', '.', '–', '—'])
            .filter(|code| !code.is_empty())
            .map(|code| code.replace('Đ', "D"))
            .collect()
    };
    let (found_codes, these_codes) = (codes(found_symbol), codes(symbol));
    if found_codes.concat() == these_codes.concat() {
        return true;
    }
    let kinds_agree = match (&found_ref.doc_type, &this_ref.doc_type) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    let same_date = match (found_ref.date, this_ref.date) {
        (Some(a), Some(b)) if a != b => return false,
        (Some(_), Some(_)) => true,
        _ => false,
    };
    if !kinds_agree {
        return false;
    }
    let mut sorted = (found_codes.clone(), these_codes.clone());
    sorted.0.sort();
    sorted.1.sort();
    if sorted.0 == sorted.1 {
        return true;
    }
    let (shorter, longer) = if found_codes.concat().len() <= these_codes.concat().len() {
        (&found_codes, &these_codes)
    } else {
        (&these_codes, &found_codes)
    };
    let shorter_compact = shorter.concat();
    let has_letter = shorter_compact.chars().any(crate::text::is_letter);
    if has_letter && shorter_compact.chars().count() >= 3 {
        // Cut short: "CT-T" for "CT-TTg", "2025/NQLT" for "2025/NQLT/UBTVQH15-CP".
        if longer.concat().starts_with(&shorter_compact) {
            return true;
        }
        // The first codes left out: "TTg" for "QĐ-TTg".
        if longer.ends_with(shorter) {
            return true;
        }
    }
    if found_codes.len() != these_codes.len() {
        return false;
    }
    let mut differing = found_codes.iter().zip(&these_codes).filter(|(a, b)| a != b);
    let (Some((a, b)), None) = (differing.next(), differing.next()) else {
        return false;
    };
    // A year is never misread into another.
    if !a.chars().any(crate::text::is_letter) || !b.chars().any(crate::text::is_letter) {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let misread: Vec<(char, char)> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (*x, *y))
        .collect();
    if same_date {
        return misread.len() <= 2;
    }
    // Only letters a scan confuses, one of them: "O" and "C", "1" and "T".
    const CONFUSED: &[&[char]] = &[
        &['O', 'C', '0', 'Q', 'D'],
        &['1', 'I', 'L', 'T'],
        &['5', 'S'],
        &['8', 'B'],
        &['6', 'G'],
        &['2', 'Z'],
    ];
    misread.len() == 1
        && CONFUSED
            .iter()
            .any(|set| set.contains(&misread[0].0) && set.contains(&misread[0].1))
}
