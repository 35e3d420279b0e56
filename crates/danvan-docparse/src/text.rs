//! Small text helpers shared by the passes.

use std::sync::LazyLock;

/// Whether a word is written in capitals (at least one letter, no lowercase letter).
pub fn is_upper_word(word: &str) -> bool {
    word.chars().any(is_letter) && !word.chars().any(is_lower)
}

/// A number as written, less a thousands' dot ("1.234" is 1234; "66.17" and "128.2025" are
/// numbers of a series and keep theirs).
pub fn plain_number(number: &str) -> String {
    match number.split_once('.') {
        Some((thousands, units))
            if (1..=3).contains(&thousands.len()) && units.len() == 3 && units.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{thousands}{units}")
        }
        _ => number.to_owned(),
    }
}

/// Whether `c` edges a table cell's text as renderings print it: a space or a pipe ("| TM. …|").
/// Used as a pattern: `line.trim_matches(is_cell_edge)`.
pub fn is_cell_edge(c: char) -> bool {
    c.is_whitespace() || c == '|'
}

/// Whether a word is capitalised like a name: first letter upper case, the others lower case.
/// Parts joined by an apostrophe or hyphen ("R'Lấp", "Rang-Tháp", "Vĩnh-phú") may start with a
/// capital or not.
pub fn is_title_word(word: &str) -> bool {
    let mut parts = word.split(['\'', '’', '-']).filter(|p| p.chars().any(is_letter));
    let Some(first) = parts.next() else { return false };
    let title = |part: &str| {
        let mut letters = part.chars().filter(|c| is_letter(c));
        letters.next().is_some_and(is_upper) && letters.all(is_lower)
    };
    title(first) && parts.all(|p| title(p) || p.chars().filter(|c| is_letter(c)).all(is_lower))
}

/// The bytes that can start a whitespace character other than U+1680: the ASCII ones, and the
/// lead bytes of U+0085/U+00A0 (C2), U+2000–U+205F (E2) and U+3000 (E3).
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r', 0xC2, 0xE2, 0xE3];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Collapses runs of whitespace to one space and trims.
pub fn squash(text: &str) -> String {
    static OGHAM_SPACE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("\u{1680}".as_bytes()).into_owned());
    // U+1680 shares its lead byte with every Vietnamese letter of U+1EA0–U+1EF9: a text that
    // holds it (almost none does) takes the plain way.
    if OGHAM_SPACE.find(text.as_bytes()).is_some() {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if single_spaced(text) {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    // The length of the whitespace character at `i`, 0 for any other.
    let space_len = |i: usize| {
        if !MAY_START_SPACE[usize::from(bytes[i])] {
            0
        } else if bytes[i] < 0x80 {
            1
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            if c.is_whitespace() { c.len_utf8() } else { 0 }
        }
    };
    let mut out = String::with_capacity(text.len());
    // Most texts hold single ASCII spaces between words: a run of such words is copied whole,
    // and only where spaces run together, or are of another kind, is it cut.
    let mut run_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let from = i;
        while i < bytes.len() && !MAY_START_SPACE[usize::from(bytes[i])] {
            i += 1;
        }
        if i > from {
            run_start.get_or_insert(from);
        }
        if i == bytes.len() {
            break;
        }
        let len = space_len(i);
        if len == 0 {
            run_start.get_or_insert(i);
            i += 1;
            continue;
        }
        if bytes[i] == b' ' && run_start.is_some() && i + 1 < bytes.len() && space_len(i + 1) == 0 {
            // One space between two words: the run goes on.
            i += 1;
            continue;
        }
        if let Some(start) = run_start.take() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&text[start..i]);
        }
        i += len;
    }
    if let Some(start) = run_start {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// Whether a text's only whitespace is single ASCII spaces between words (as most are): then
/// squashing leaves it as it is. Found with vectorised searches: the ASCII controls that are
/// whitespace, two spaces running, and the lead bytes of the other Unicode spaces (U+0085 and
/// U+00A0 after 0xC2, U+2000–U+205F after 0xE2, U+3000 after 0xE3), each of which is decoded.
/// (U+1680 is sought by the caller.)
fn single_spaced(text: &str) -> bool {
    static TWO_SPACES: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("  ").into_owned());
    let bytes = text.as_bytes();
    let ends_in_space = |c: Option<char>| c.is_some_and(char::is_whitespace);
    !ends_in_space(text.chars().next())
        && !ends_in_space(text.chars().next_back())
        && memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0b, 0x0c, bytes).is_none()
        && TWO_SPACES.find(bytes).is_none()
        && memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes)
            .all(|at| !text[at..].chars().next().is_some_and(char::is_whitespace))
}

/// Lower case with Vietnamese diacritics and đ kept, spaces squashed; for comparisons that
/// should ignore case and spacing only. `UỶ` and `ỦY` (two placements of the same tone) compare
/// equal.
pub fn fold_case(text: &str) -> String {
    // One pass: lower case, runs of whitespace squashed, and the old tone placement moved to the
    // new one ("uỷ" → "ủy", "oà" → "òa", "oá" → "óa", "uý" → "úy").
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match lower_char(ch) {
            Some(c) => push_folded(&mut out, c),
            None => ch.to_lowercase().for_each(|c| push_folded(&mut out, c)),
        }
    }
    out
}

/// Pushes a lower-case letter, with the old tone placement moved to the new one after "u" or
/// "o".
fn push_folded(out: &mut String, c: char) {
    let moved = match (out.as_bytes().last(), c) {
        (Some(b'u'), 'ỷ') => Some(('ủ', 'y')),
        (Some(b'o'), 'à') => Some(('ò', 'a')),
        (Some(b'o'), 'á') => Some(('ó', 'a')),
        (Some(b'u'), 'ý') => Some(('ú', 'y')),
        _ => None,
    };
    match moved {
        Some((first, second)) => {
            out.pop();
            out.push(first);
            out.push(second);
        }
        None => out.push(c),
    }
}

/// Whether `text` starts with `prefix`, ignoring case.
pub fn starts_with_ci(text: &str, prefix: &str) -> bool {
    // Characters whose lower case `lower_char` gives are compared one for one; at the first
    // that it does not, the tables decide.
    let mut chars = text.chars();
    for wanted in prefix.chars() {
        let Some(c) = chars.next() else {
            return false;
        };
        match (lower_char(c), lower_char(wanted)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(_), Some(_)) => return false,
            _ => return starts_with_ci_by_tables(text, prefix),
        }
    }
    true
}

/// `starts_with_ci` by the standard library's tables.
fn starts_with_ci_by_tables(text: &str, prefix: &str) -> bool {
    // Most calls are turned away by the first character, which is compared before any case is
    // folded.
    let (Some(first), Some(wanted)) = (text.chars().next(), prefix.chars().next()) else {
        return prefix.is_empty();
    };
    // Two ASCII letters compare without tables (the Kelvin sign, which folds to "k", is not
    // ASCII and takes the long way).
    if first.is_ascii() && wanted.is_ascii() && !first.eq_ignore_ascii_case(&wanted) {
        return false;
    }
    if first != wanted && !first.to_lowercase().eq(wanted.to_lowercase()) {
        return false;
    }
    let mut chars = text.chars().flat_map(char::to_lowercase);
    prefix
        .chars()
        .flat_map(char::to_lowercase)
        .all(|p| chars.next() == Some(p))
}

/// Removes one trailing `;`, `.`, `,` or `:` and the spaces around it.
pub fn trim_one_trailing_punct(text: &str) -> String {
    let trimmed = text.trim_end();
    let trimmed = trimmed.strip_suffix([';', '.', ',', ':']).unwrap_or(trimmed);
    trimmed.trim().to_owned()
}

/// At most the first `max` bytes of `text`, cut at a character boundary: anchored patterns are
/// matched on this, so that their cost does not grow with the length of the line.
pub fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The Latin capital a Cyrillic or Greek capital looks like ("Т" → "T"), or the character
/// itself: texts copied from legal websites mix them into symbols.
pub fn latin_lookalike(c: char) -> char {
    match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        _ => c,
    }
}

/// The text from the start of each of its words on, in order: "Sở Tài chính" gives "Sở Tài
/// chính", "Tài chính", "chính".
pub fn from_each_word(text: &str) -> impl Iterator<Item = &str> {
    std::iter::once(0)
        .chain(
            text.char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8()),
        )
        .map(move |at| &text[at..])
}

/// The last `n` characters of `text` (all of it when shorter), found by counting the bytes that
/// start a character rather than decoding them, a run of bytes at a time: `k` bytes hold at most
/// `k` starts, so a run as long as the characters still wanted never goes past the one sought.
pub fn last_chars(text: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    let bytes = text.as_bytes();
    let mut start = bytes.len();
    let mut wanted = n;
    while wanted > 0 {
        if start == 0 {
            return text;
        }
        let run = wanted.min(start);
        // (Counted without branches, so that the loop is vectorised.)
        let starts = bytes[start - run..start]
            .iter()
            .map(|&b| usize::from(b & 0xC0 != 0x80))
            .sum::<usize>();
        wanted -= starts;
        start -= run;
    }
    // The run's first start is the character sought.
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The lines of a text as `str::lines` gives them (a final line break opens no empty line, and a
/// line loses a "\r" before its break), found with the vectorised `memchr` rather than the
/// standard library's byte search: a document's lines are short, and the search starts once per
/// line.
pub fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut breaks = memchr::memchr_iter(b'\n', bytes);
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = breaks.next().unwrap_or(bytes.len());
        let line = &text[start..end];
        start = end + 1;
        Some(if end < bytes.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        })
    })
}

/// A text in capitals without its tone and vowel marks, đ as D ("Phó Tổng" gives "PHO TONG").
pub fn bare_upper(text: &str) -> String {
    icu_normalizer::DecomposingNormalizerBorrowed::new_nfd()
        .normalize(text)
        .chars()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .map(|c| if c == 'đ' || c == 'Đ' { 'D' } else { c })
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether the lines are double spaced (a PDF's or a converter's spacing): at least a dozen
/// lines of text, nearly every two of them (19 in 20) apart, and sentences running on over the
/// blank lines (one gap in seven or more between a line that ends in a word or a comma and one
/// that goes on in lower case). A text whose paragraphs are each one line, apart, has its
/// sentences end at its blank lines, and is not double spaced.
pub fn double_spaced(lines: &[&str]) -> bool {
    let mut gaps = 0usize;
    let mut apart = 0usize;
    let mut running_on = 0usize;
    let mut blank_run: Option<usize> = None;
    let mut previous = "";
    for line in lines {
        // (Lines come without their edges' whitespace: `normalize::clean` trims them.)
        if line.is_empty() {
            if let Some(run) = blank_run.as_mut() {
                *run += 1;
            }
            continue;
        }
        if let Some(run) = blank_run {
            gaps += 1;
            if run >= 1 {
                apart += 1;
                let open = previous.ends_with(|c: char| c == ',' || is_letter(c));
                running_on += usize::from(open && line.starts_with(|c: char| is_lower(c)));
            }
        }
        blank_run = Some(0);
        previous = line;
    }
    gaps >= 11 && apart * 20 >= gaps * 19 && running_on * 7 >= gaps
}

/// The lines that are a page's number alone ("2", "14"), between lines of text: the nearest
/// line with something on it, before and after, holds a letter. (Numbers in a table's cells,
/// each on its line between the cells' edges, stand between lines without letters.)
pub fn page_numbers(lines: &[&str]) -> Vec<usize> {
    // (Lines come trimmed: `normalize::clean` trims them.)
    let is_number = |l: &str| (1..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_digit());
    let has_letter = |l: &str| l.chars().any(is_letter);
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_number(line) || i == 0 {
            continue;
        }
        let before = lines[..i].iter().rev().map(|l| l.trim()).find(|l| !l.is_empty());
        let after = lines[i + 1..].iter().map(|l| l.trim()).find(|l| !l.is_empty());
        // (Not a value its neighbours introduce or go on from: "Số:" / "12" / "/UBND-VX".)
        // (Nor a day wrapped onto its own line: "Hà Nội, ngày" / "16" / "tháng 6 năm 2025".)
        let introduced = before.is_some_and(|b| {
            let last = b.split_whitespace().next_back().unwrap_or("").to_lowercase();
            last == "số:"
        });
        let goes_on = after.is_some_and(|a| {
            let first = a.split_whitespace().next().unwrap_or("").to_lowercase();
            // (The day: "ngày" / "16" / "tháng 6 …"; not when the day follows the number.)
            a.starts_with('/') || (first == "tháng" && before.is_some_and(|b| b.to_lowercase().ends_with("ngày")))
        });
        if before.is_some_and(has_letter) && after.is_some_and(has_letter) && !introduced && !goes_on {
            found.push(i);
        }
    }
    found
}

/// `char::is_alphabetic`, with the letters Vietnamese writes decided without the tables.
#[inline]
pub fn is_letter(c: impl std::borrow::Borrow<char>) -> bool {
    let c = *c.borrow();
    match u32::from(c) {
        0..=0x7F => c.is_ascii_alphabetic(),
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x17F | 0x1A0 | 0x1A1 | 0x1AF | 0x1B0 | 0x1EA0..=0x1EFF => true,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_uppercase`, with the letters Vietnamese writes decided without the tables.
#[inline]
pub fn is_upper(c: impl std::borrow::Borrow<char>) -> bool {
    let c = *c.borrow();
    case_of(c).map_or_else(|| c.is_uppercase(), |case| case == Case::Upper)
}

/// `char::is_lowercase`, with the letters Vietnamese writes decided without the tables.
#[inline]
pub fn is_lower(c: impl std::borrow::Borrow<char>) -> bool {
    let c = *c.borrow();
    case_of(c).map_or_else(|| c.is_lowercase(), |case| case == Case::Lower)
}

#[derive(PartialEq)]
enum Case {
    Upper,
    Lower,
    Neither,
}

/// The case of ASCII, Latin-1 and the Vietnamese letters of U+0100–U+012F, the horned letters
/// and U+1EA0–U+1EFF (upper case is the even code point there); `None` for other characters.
#[inline]
fn case_of(c: char) -> Option<Case> {
    let code = u32::from(c);
    Some(match code {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x1A0 | 0x1AF => Case::Upper,
        0x61..=0x7A | 0xDF..=0xF6 | 0xF8..=0xFF | 0x1A1 | 0x1B0 => Case::Lower,
        0..=0x7F | 0xF7 => Case::Neither,
        0x100..=0x12F | 0x1EA0..=0x1EFF if code & 1 == 0 => Case::Upper,
        0x100..=0x12F | 0x1EA0..=0x1EFF => Case::Lower,
        _ => return None,
    })
}

/// Lower case as `str::to_lowercase` gives it, faster on Vietnamese: ASCII, Latin-1, U+0100–U+012F,
/// the horned letters and U+1EA0–U+1EFF (where upper case is the even code point) are mapped
/// without the tables.
pub fn lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match lower_char(c) {
            Some(lowered) => out.push(lowered),
            // A final sigma depends on the letters around it: the whole text the long way.
            None if c == 'Σ' => return text.to_lowercase(),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The lower case of a character whose lower case is one character that is found without the
/// tables (`char::to_lowercase` gives it): ASCII, Latin-1, U+0100–U+012F, the horned letters and
/// U+1EA0–U+1EFF. `None` for any other.
#[inline]
pub fn lower_char(c: char) -> Option<char> {
    let code = u32::from(c);
    let lowered = match code {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => code + 0x20,
        0..=0x7F | 0xDF..=0xFF | 0x1A1 | 0x1B0 => code,
        0x100..=0x12F | 0x1EA0..=0x1EFF => code | 1,
        0x1A0 | 0x1AF => code + 1,
        _ => return None,
    };
    char::from_u32(lowered)
}

/// At most the last `max` bytes of `text`, cut at a character boundary.
pub fn head_from_end(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_number_alone_between_lines_of_text_is_found() {
        let lines = [
            "công tác dân vận",
            "2",
            "chính quyền năm 2022",
            "|",
            "12",
            "|",
            "Số:",
            "12",
            "/UBND-VX",
        ];
        assert_eq!(page_numbers(&lines), [1]);
        // A day wrapped onto its line is no page's number; one before the day is.
        assert!(page_numbers(&["Hà Nội, ngày", "16", "tháng 6 năm 2025"]).is_empty());
        assert_eq!(page_numbers(&["Hà Nội, ngày", "2", "16 tháng 6 năm 2025"]), [1]);
    }

    proptest::proptest! {
        #[test]
        fn lines_are_the_standard_library_s(text in "[aĐ \r\n]{0,30}") {
            proptest::prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
        }
    }

    proptest::proptest! {
        #[test]
        fn case_is_ignored_as_the_tables_ignore_it(text in "[aAgGàÀyYİiΣσ\u{212a}kK ]{0,6}", prefix in "[aAgGàÀyYİiΣσ\u{212a}kK ]{0,4}") {
            proptest::prop_assert_eq!(starts_with_ci(&text, &prefix), starts_with_ci_by_tables(&text, &prefix));
        }
    }

    #[test]
    fn lower_case_is_the_standard_library_s() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(lower(&alone), alone.to_lowercase(), "{c:?}");
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_lower(c), c.is_lowercase(), "{c:?}");
            if let Some(lowered) = lower_char(c) {
                assert!(c.to_lowercase().eq([lowered]), "{c:?}");
                // (What the date reader relies on.)
                assert!(!c.is_numeric() || c.is_ascii_digit(), "{c:?}");
            }
        }
        for text in [
            "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG",
            "ΟΔΟΣ ΣΑ",
            "İstanbul Ơn Ưu",
            "Quyết định SỐ",
        ] {
            assert_eq!(lower(text), text.to_lowercase());
        }
    }

    proptest::proptest! {
        #[test]
        fn the_last_characters_are_counted_as_one_by_one(text in "[aĐắ𝐀 \n]{0,40}", n in 0usize..45) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let expected = match n {
                0 => "",
                n if n >= chars.len() => text.as_str(),
                n => &text[chars[chars.len() - n].0..],
            };
            proptest::prop_assert_eq!(last_chars(&text, n), expected);
        }
    }

    #[test]
    fn last_characters() {
        assert_eq!(last_chars("Đắk Nông", 4), "Nông");
        assert_eq!(last_chars("Đắk", 9), "Đắk");
        assert_eq!(last_chars("Đắk", 0), "");
        for n in 0..12 {
            let text = "Sở Nội vụ";
            let chars: Vec<char> = text.chars().collect();
            let expected: String = chars[chars.len().saturating_sub(n)..].iter().collect();
            assert_eq!(last_chars(text, n), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn squashed_as_split_words_joined(text in "[aĐ ,\t\n\r\u{0b}\u{0c}\u{85}\u{a0}\u{a9}\u{1680}\u{2003}\u{201c}\u{2028}\u{3000}\u{3001}ạ]{0,24}") {
            proptest::prop_assert_eq!(squash(&text), text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn word_shapes() {
        assert!(is_upper_word("ĐẮK") && is_upper_word("QĐ-UBND") && !is_upper_word("Đắk") && !is_upper_word("123"));
        assert!(is_title_word("Đắk") && is_title_word("R'Lấp") && !is_title_word("NÔNG") && !is_title_word("phố"));
        assert_eq!(fold_case("UỶ BAN  Nhân dân"), "ủy ban nhân dân");
        assert_eq!(fold_case(" HOÀ\u{a0}Bình, Thuý  khoá\n"), "hòa bình, thúy khóa");
        assert!(starts_with_ci("Ký bởi", "KÝ BỞI") && !starts_with_ci("Kí bởi", "ký") && starts_with_ci("x", ""));
        assert_eq!(squash(" \u{a0}Ủy\u{2003}ban\r\n nhân\u{3000}dân\t"), "Ủy ban nhân dân");
        assert_eq!(squash("ẻ ề"), "ẻ ề");
        assert_eq!(squash("  "), "");
        assert_eq!(squash("a  b c\u{a0}d  "), "a b c d");
        assert_eq!(squash("a\u{1680}b\u{85}c"), "a b c");
        assert!(starts_with_ci("KÍNH GỬI: x", "kính gửi"));
        assert_eq!(trim_one_trailing_punct("Lưu VT ( H1.25 ) ."), "Lưu VT ( H1.25 )");
        assert_eq!(trim_one_trailing_punct("Như trên;;"), "Như trên;");
    }
}
