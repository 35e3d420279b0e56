//! The closing: distribution list (Nơi nhận) and signature block.
//!
//! A signature block is an authority line or two (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`), the
//! signer's title (`PHÓ CHỦ TỊCH`) and name. Files lay it out on separate lines, run it onto one
//! line ("KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Thị Xuyên"), or interleave it with the distribution
//! list, which sits beside it on paper.

use std::sync::LazyLock;

use regex::Regex;

use crate::body::split_items;
use crate::text::{is_cell_edge, is_title_word, is_upper_word, squash, starts_with_ci};

#[derive(Debug, Default)]
pub struct Closing {
    /// The first line that is not body any more.
    pub body_end: usize,
    pub distribution: Vec<String>,
    pub authority: Option<String>,
    pub title: Option<String>,
    pub name: Option<String>,
}

/// Authority markers at the start of a word: `TM.`, `T.M.`, `T/M`, `KT.`, `K.T.`, `K/T`, `TL.`,
/// `T/L`, `TUQ.`.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:T\.?M\.|T/M|K\.?T\.|K/T|T\.?L\.|T/L|TUQ\.|(?:KT|TM|TL|TUQ)$)").expect("valid regex")
});

/// Titles of heads of agencies, longest first: what follows `KT.`, `TL.` or `TUQ.` on one line.
const HEAD_TITLES: &[&str] = &[
    "TỔNG CỤC TRƯỞNG",
    "TỔNG GIÁM ĐỐC",
    "CHÁNH VĂN PHÒNG",
    "CHÁNH THANH TRA",
    "TỔNG THANH TRA",
    "BỘ TRƯỞNG",
    "CHỦ TỊCH",
    "GIÁM ĐỐC",
    "CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "THỦ TRƯỞNG",
    "THỦ TƯỚNG",
    "VIỆN TRƯỞNG",
    "HIỆU TRƯỞNG",
    "CHÁNH ÁN",
    "TRƯỞNG BAN",
    "TRƯỞNG PHÒNG",
    "BÍ THƯ",
    "TỔNG BÍ THƯ",
];

/// Words that begin a signer's title inside a collective authority (`TM. ỦY BAN NHÂN DÂN CHỦ
/// TỊCH`) or after a head's title (`KT. CHỦ TỊCH PHÓ CHỦ TỊCH`).
const TITLE_STARTS: &[&str] = &["PHÓ", "CHỦ TỊCH", "TRƯỞNG BAN", "BÍ THƯ", "THỨ TRƯỞNG", "GIÁM ĐỐC"];

fn is_marker(word: &str) -> bool {
    // Every marker opens with "T" or "K": other words are not tried.
    word.starts_with(['T', 'K']) && MARKER.is_match(word)
}

/// Splits a capital run glued to a name: "TỊCHNguyễn" → "TỊCH Nguyễn", and a position glued to
/// the authority before it: "QUỐC HỘICHỦ TỊCH" → "QUỐC HỘI CHỦ TỊCH" (a Vietnamese syllable
/// holds one vowel group, so a capital word ending in a position's first syllable after another
/// vowel is two words).
fn unglue(line: &str) -> String {
    let split_position = |word: &str| -> Option<usize> {
        const HEADS: &[&str] = &["CHỦ", "PHÓ", "THỨ", "GIÁM", "TỔNG", "CHÁNH", "TRƯỞNG", "BỘ"];
        let head = HEADS.iter().find(|h| word.len() > h.len() && word.ends_with(*h))?;
        let before = &word[..word.len() - head.len()];
        let vowel = |c: char| c.to_lowercase().any(|l| LOWER_VOWELS.contains(l));
        (is_upper_word(word) && before.chars().count() >= 2 && before.chars().any(vowel)).then_some(before.len())
    };
    let line: String = if line.split_whitespace().any(|w| split_position(w).is_some()) {
        line.split(' ')
            .map(|w| match split_position(w) {
                Some(at) => format!("{} {}", &w[..at], &w[at..]),
                None => w.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        line.to_owned()
    };
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        if i >= 2
            && crate::text::is_upper(c)
            && chars.get(i + 1).is_some_and(crate::text::is_lower)
            && crate::text::is_upper(chars[i - 1])
            && crate::text::is_upper(chars[i - 2])
        {
            out.push(' ');
        }
        out.push(*c);
    }
    out
}

/// A word of the signature area, with the line it is on.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    line: usize,
}

pub fn read(lines: &[&str], body_start: usize) -> Closing {
    let mut closing = Closing {
        body_end: lines.len(),
        ..Closing::default()
    };
    let from = body_start.min(lines.len());
    // "Nơi nhận:", or "Nơi" / "nhận:" in a cell wrapped narrow (the list is read from its second
    // line).
    let noi_nhan = (from..lines.len()).find_map(|i| {
        let t = lines[i].trim_matches(is_cell_edge);
        // (A scan may lose the mark: "Noi nhận", "Noi nhan".)
        if starts_with_ci(t, "nơi nhận") || starts_with_ci(t, "noi nhận") || starts_with_ci(t, "noi nhan") {
            Some((i, i))
        } else if t.eq_ignore_ascii_case("nơi") || t == "NƠI" {
            lines
                .get(i + 1)
                .filter(|next| starts_with_ci(next.trim_matches(is_cell_edge), "nhận"))
                .map(|_| (i, i + 1))
        } else {
            None
        }
    });
    let mut marker_line = (from..lines.len()).find(|&i| {
        let t = lines[i].trim_start_matches(is_cell_edge);
        t.split_whitespace().next().is_some_and(is_marker)
    });
    // A marker far below the distribution list is an annex's (a form's "TM. TỔ CHỨC"), when an
    // unmarked signature stands right by the list: "Nơi nhận: …" / "GIÁM ĐỐC" / "Cù Ngọc Trang".
    let mut near_signature = None;
    if let (Some((n, _)), Some(m)) = (noi_nhan, marker_line)
        && m > n + FAR_BELOW_THE_LIST
    {
        let mut near = Closing::default();
        unmarked_signature(&lines[..n + FAR_BELOW_THE_LIST], n + 1, &mut near);
        if near.name.is_some() && near.title.is_some() {
            marker_line = None;
            near_signature = Some(near);
        }
    }
    if let Some((n, list_at)) = noi_nhan {
        closing.body_end = n;
        closing.distribution = distribution(lines, list_at);
    } else if let Some((n, items)) = unheaded_distribution(lines, from, marker_line) {
        closing.body_end = n;
        closing.distribution = items;
    }
    match marker_line {
        Some(m) => {
            closing.body_end = closing.body_end.min(m);
            match signature_on_lines(lines, m) {
                Some((authority, title, name)) => {
                    closing.authority = Some(authority);
                    closing.title = (!title.is_empty()).then_some(title);
                    closing.name = Some(name);
                }
                None => signature(lines, m, &mut closing),
            }
        }
        // (The signature by the list, when an annex's marker was passed over for it: the annex
        // is not searched again.)
        None if let Some(near) = near_signature => {
            closing.title = near.title;
            closing.name = near.name;
            closing.body_end = closing.body_end.min(near.body_end);
        }
        None => {
            if let Some((n, _)) = noi_nhan {
                signature_after_list(lines, n, &mut closing);
            }
            if closing.name.is_none() {
                unmarked_signature(lines, from, &mut closing);
            }
        }
    }
    if closing.title.is_none()
        && closing.authority.is_none()
        && let Some((n, list_at)) = noi_nhan
    {
        signature_beside_list(lines, n, list_at, &mut closing);
    }
    closing
}

/// How many lines below "Nơi nhận" a signature can stand: a marker further down is an annex's
/// when a signature stands nearer.
const FAR_BELOW_THE_LIST: usize = 40;

/// A signature written in the column beside the distribution list, the two columns flattened
/// into one line each: "Nơi nhận: GIÁM ĐỐC" / "- Như trên; (Đã ký và đóng dấu)" / "- Thành ủy,
/// HĐND, UBND thành phố; Lê Thị Bích Thuận". The title is what follows "Nơi nhận:" when it is a
/// position in capitals; the name, the first of the list's lines to end, after its item's ";", in
/// a person's name. When an authority follows "Nơi nhận:" instead ("Nơi nhận: KT.TONG CỤC
/// TRƯỞNG", perhaps after a scan's specks), the title is on one of the next lines, after an
/// item's ";" or on a line of its own ("- Như trên; PHÓ TỔNG CỤC TRƯỞNG"), and the name is the
/// first line under it that is a person's name.
fn signature_beside_list(lines: &[&str], noi_nhan: usize, list_at: usize, closing: &mut Closing) {
    let Some((_, beside)) = lines[noi_nhan].split_once(':') else {
        return;
    };
    // (A dash the column took from the list: "Noi nhận: - BỘ TRƯỞNG, CHỦ NHIỆM".)
    let beside = beside
        .trim_matches(is_cell_edge)
        .trim_start_matches(['-', '–'])
        .trim_start();
    if !beside.is_empty() && beside.split_whitespace().all(is_upper_word) && starts_position(beside) {
        if closing.name.is_some() {
            // The name stands on a line of its own under the list.
            closing.title = Some(squash(beside));
            strip_beside(&mut closing.distribution, beside);
            return;
        }
        let name = lines[list_at + 1..]
            .iter()
            .take(12)
            .find_map(|line| person_name(line.trim_end().rsplit_once(';')?.1.trim()));
        if let Some(name) = name {
            closing.title = Some(squash(beside));
            closing.name = Some(name);
        }
        return;
    }
    // The authority's marker, its dot perhaps read as a comma or its space lost by a scan.
    static BESIDE_MARKER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:^|[\s;])((?:TM|KT|TL|TUQ)\s*[.,]\s*\p{Lu}[^;]*)$").expect("valid regex"));
    // The marker follows "Nơi nhận:", or an item's ";" on one of the list's first lines ("- Như
    // kính gửi; KT. CỤC TRƯỞNG").
    fn marker(text: &str) -> Option<&str> {
        BESIDE_MARKER.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str())
    }
    let Some((authority, authority_at)) = marker(beside).map(|m| (m.to_owned(), list_at)).or_else(|| {
        (list_at + 1..lines.len()).take(3).find_map(|i| {
            let (_, after) = lines[i].trim_matches(is_cell_edge).rsplit_once(';')?;
            let found = marker(after)?;
            (found == after.trim()).then(|| (found.to_owned(), i))
        })
    }) else {
        return;
    };
    closing.authority = Some(squash(&authority));
    strip_beside(&mut closing.distribution, &authority);
    let title = (authority_at + 1..lines.len()).take(4).find_map(|i| {
        let line = lines[i].trim_matches(is_cell_edge);
        let after_item = line.rsplit_once(';').map(|(_, after)| after);
        let own_line = (!line.starts_with(['-', '–', '+', '~', '•'])).then_some(line);
        // (An item's end read as a full stop: "- Như trên, . PHÓ CỤC TRƯỞNG".)
        let after_stop = line.rsplit_once(". ").map(|(_, after)| after);
        after_item
            .into_iter()
            .chain(own_line)
            .chain(after_stop)
            .find_map(position_within)
            .map(|title| (i, title))
    });
    let Some((at, title)) = title else {
        return;
    };
    closing.title = Some(squash(title));
    strip_beside(&mut closing.distribution, title);
    if closing.name.is_none() {
        closing.name = lines[at + 1..].iter().take(12).find_map(|line| {
            let t = line.trim_matches(is_cell_edge);
            person_name(t).or_else(|| person_name(t.rsplit_once(';')?.1))
        });
    }
}

/// The distribution list without what the signature's column put on its lines: an item is cut
/// at the last ";" before `beside` ("Như trên; PHÓ TỔNG CỤC TRƯỞNG" gives "Như trên"), and an
/// item left without a letter is dropped.
fn strip_beside(items: &mut Vec<String>, beside: &str) {
    let beside = squash(beside);
    items.retain_mut(|item| {
        if let Some(at) = item.find(beside.as_str()) {
            let before = &item[..at];
            let kept = before.rfind(';').map_or(before, |semi| &before[..semi]).trim();
            // (One final "." goes, as from any item: "Như trên, . PHÓ CỤC TRƯỞNG".)
            *item = kept.strip_suffix('.').unwrap_or(kept).trim_end().to_owned();
        }
        item.chars().any(crate::text::is_letter)
    });
}

/// The position that a piece of a line holds, from the word in capitals that opens it to the
/// end, whatever diacritics a scan kept: "f „ PHO pes CUC TRUONG" holds "PHO pes CUC TRUONG";
/// "Tổng cục Thuế" (an item whose dash was lost) holds none.
fn position_within(piece: &str) -> Option<&str> {
    crate::text::from_each_word(piece.trim())
        .find(|rest| rest.split_whitespace().next().is_some_and(is_upper_word) && starts_position_loose(rest))
        .map(str::trim)
}

/// Whether a line opens with a position word, its diacritics kept or lost ("PHO TONG CUC
/// TRUONG", "PHÓ TỎNG CỤC TRƯỞNG" as "PHÓ TỔNG CỤC TRƯỞNG"), in any case.
fn starts_position_loose(line: &str) -> bool {
    static BARE_POSITIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
        POSITION_WORDS
            .iter()
            .filter(|w| !w.ends_with('.'))
            .map(|w| crate::text::bare_upper(w))
            .collect()
    });
    let head: String = line.chars().take(24).collect();
    let bare = crate::text::bare_upper(&head);
    BARE_POSITIONS.iter().any(|w| {
        bare.strip_prefix(w.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',', '-']))
    })
}

/// Words that begin a signer's position: the last line of the block before the name that starts
/// with one is the title; capital lines between the authority marker and it continue the
/// authority ("TM. ỦY BAN NHÂN" / "DÂN", "KT. BỘ TRƯỞNG" / "CHỦ NHIỆM VP CHÍNH PHỦ").
const POSITION_WORDS: &[&str] = &[
    "PHÓ",
    "CHỦ",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "THỦ TƯỚNG",
    "GIÁM ĐỐC",
    "TỔNG",
    "CỤC TRƯỞNG",
    "VỤ TRƯỞNG",
    "VIỆN TRƯỞNG",
    "HIỆU TRƯỞNG",
    "TRƯỞNG",
    "CHÁNH",
    "ỦY VIÊN",
    "UỶ VIÊN",
    "THỦ TRƯỞNG",
    "BÍ THƯ",
    "Q.",
    "QUYỀN",
    "KẾ TOÁN",
    "THƯ KÝ",
    "CHI CỤC TRƯỞNG",
    "TỔNG THƯ KÝ",
    "ĐẠI SỨ",
    "TƯ LỆNH",
    "CHÍNH ỦY",
    "P.",
    "TỔNG KIỂM TOÁN",
    // Heads of teams, squads, delegations, stations.
    "TỔ TRƯỞNG",
    "ĐỘI TRƯỞNG",
    "ĐOÀN TRƯỞNG",
    "HẠT TRƯỞNG",
    "TRẠM TRƯỞNG",
    "THƯỜNG TRỰC",
];

fn starts_position(line: &str) -> bool {
    POSITION_WORDS.iter().any(|w| {
        line.strip_prefix(w)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',']) || w.ends_with('.'))
    })
}

/// Notes printed where the signature is: "(Đã ký)", "Đã ký", "(Ký tên, đóng dấu)", "[daky]".
fn signed_note(line: &str) -> bool {
    // The notes are a few words: a longer line is not one, and is not lower-cased.
    if line.len() > 80 {
        return false;
    }
    let bare = line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | '.'));
    // Every note opens with "đ", "d", "k" or "c" ("đã ký", "daky", "ký tên", "chữ ký"): other
    // lines are not lower-cased.
    if !bare
        .chars()
        .next()
        .and_then(|c| c.to_lowercase().next())
        .is_some_and(|c| matches!(c, 'đ' | 'd' | 'k' | 'c'))
    {
        return false;
    }
    let folded = bare.to_lowercase();
    matches!(
        folded.as_str(),
        "đã ký" | "daky" | "đã ký và đóng dấu" | "ký tên, đóng dấu" | "ký, đóng dấu" | "ký tên"
    ) || (line.trim().starts_with('(')
        && line.trim().ends_with(')')
        && (folded.starts_with("đã k") || folded.starts_with("ký") || folded.starts_with("chữ ký")))
}

/// A word of a person's name: capitalised ("Nguyễn", "K'Ré"), or opening with a consonant
/// cluster in capitals as names of the Central Highlands' peoples write it ("BKrông", "MLô"): two
/// capitals, then two lower-case letters at least ("TTg", an abbreviation, is not a name).
fn is_name_word(word: &str) -> bool {
    // A roman numeral's letter alone is no name's word: "Phần I", a heading's numeral. (The Ê Đê
    // write "Y" alone before a man's name: "Y Quang BKrông".)
    if is_title_word(word) {
        return !matches!(word, "I" | "V" | "X" | "L" | "C" | "D" | "M");
    }
    let chars: Vec<char> = word.chars().collect();
    chars.len() >= 4
        && crate::text::is_upper(chars[0])
        && crate::text::is_upper(chars[1])
        && chars[2..].iter().all(crate::text::is_lower)
        && chars[2..].iter().any(|c| LOWER_VOWELS.contains(*c))
}

/// Vietnamese vowels in lower case, with every tone.
const LOWER_VOWELS: &str = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ";

/// A person's name as signatures print it: two to six capitalised words, perhaps after a
/// military rank or academic degrees ("Thượng tướng Võ Minh Lương", "PGS.TS. Trần Văn A"),
/// which are printed as part of it, and perhaps followed by "(Đã ký)".
fn person_name(line: &str) -> Option<String> {
    let line = line.trim_matches(is_cell_edge).trim_end_matches([';', ',', '.']);
    let line = ["(Đã ký)", "(đã ký)", "(Đã ký)"]
        .iter()
        .find_map(|note| line.strip_suffix(note))
        .unwrap_or(line)
        .trim();
    let name = strip_name_prefix(line);
    // A comma inside is a list's, never a name's: "Thọ, Tuyên Quang;". (The words are counted
    // only as far as a name's can go before anything is gathered.)
    let count = name.split_whitespace().take(7).count();
    ((2..=6).contains(&count) && !name.contains(',') && name.split_whitespace().all(is_name_word))
        .then(|| line.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Military ranks, printed before an officer's name in a signature.
const RANKS: &[&str] = &[
    "Đại tướng",
    "Thượng tướng",
    "Trung tướng",
    "Thiếu tướng",
    "Đại tá",
    "Thượng tá",
    "Trung tá",
    "Thiếu tá",
    "Đại úy",
    "Đại uý",
    "Thượng úy",
    "Thượng uý",
    "Trung úy",
    "Trung uý",
    "Thiếu úy",
    "Thiếu uý",
];

/// Academic degrees and honorary titles printed before a name, each ending in a full stop and
/// perhaps run together ("GS.TS.", "PGS. TS.", "ThS.BS.", "NGƯT.").
const DEGREES: &[&str] = &[
    "GS", "PGS", "TS", "TSKH", "ThS", "Ths", "BS", "BSCKI", "BSCKII", "CKI", "CKII", "DS", "KS", "NGND", "NGƯT",
    "TTND", "TTƯT", "LS",
];

/// `line` without a rank or degrees before the name.
fn strip_name_prefix(line: &str) -> &str {
    if let Some(rest) = RANKS.iter().find_map(|rank| line.strip_prefix(rank)) {
        return if rest.starts_with(char::is_whitespace) {
            rest.trim_start()
        } else {
            line
        };
    }
    let mut rest = line;
    // Degrees, one word each or run together: every piece before a full stop is a degree.
    while let Some((word, after)) = rest.split_once(char::is_whitespace).or(Some((rest, ""))) {
        let degrees = word
            .strip_suffix('.')
            .is_some_and(|w| w.split('.').all(|piece| DEGREES.contains(&piece)));
        if !degrees {
            break;
        }
        rest = after.trim_start();
    }
    rest
}

/// A signature block laid out on lines: the authority's line(s), the title's, then the name on a
/// line of its own. `None` when the block is not laid out so (one line, a name in capitals, a
/// name glued to the title), which the word reader handles.
fn signature_on_lines(lines: &[&str], at: usize) -> Option<(String, String, String)> {
    let mut caps: Vec<String> = Vec::new();
    for (k, line) in lines.iter().enumerate().skip(at).take(30) {
        let t = unglue(line.trim_matches(is_cell_edge));
        let t = t.as_str();
        if t.is_empty() || signed_note(t) || t.starts_with(['-', '–', '+', '•']) || starts_with_ci(t, "nơi nhận")
        {
            continue;
        }
        // The title and the name on one line: "CHÁNH VĂN PHÒNG Thái Hữu Phép".
        let whole = |(title, name): &(String, String)| {
            title.split_whitespace().count() + name.split_whitespace().count() == t.split_whitespace().count()
        };
        // After a marker alone on its line ("TL." / "BỘ TRƯỞNG CHÁNH VĂN PHÒNG …") the line holds the
        // authority's head too: the word reader splits it.
        let bare_marker = caps.last().is_some_and(|l| l.split_whitespace().count() == 1);
        if !caps.is_empty()
            && !bare_marker
            && let Some((title, name)) = title_then_name(t).filter(whole)
        {
            return Some((squash(&caps.join(" ")), title, name));
        }
        // A name wrapped after its first word: "Mai" / "Sơn".
        let (found, rest_from) = match person_name(t) {
            Some(name) => (Some(name), k + 1),
            None => match first_word_wrapped(t, &lines[k + 1..]) {
                Some((name, used)) => (Some(name), k + 1 + used),
                None => (None, k + 1),
            },
        };
        if let Some(mut name) = found {
            if caps.len() < 2 {
                return None;
            }
            name = with_wrapped_last_word(name, &lines[rest_from..]);
            let last_marker = caps
                .iter()
                .rposition(|l| l.split_whitespace().any(is_marker))
                .unwrap_or(0);
            let position_at = (last_marker + 1..caps.len()).rev().find(|&i| starts_position(&caps[i]));
            // "T/M BỘ CHÍNH" / "TRỊ" / the name: the authority wrapped, and no title printed (a
            // word or two that name no position end the authority's name).
            let last = &caps[caps.len() - 1];
            // (A title of a word or two names a position by one of its words: "TỔ TRƯỞNG",
            // "ĐỘI TRƯỞNG", "UỶ VIÊN".)
            let names_position = last.split_whitespace().any(|w| {
                matches!(
                    w,
                    "TRƯỞNG" | "PHÓ" | "CHỦ" | "THƯ" | "VIÊN" | "NHIỆM" | "GIÁM" | "ĐỐC" | "LỆNH"
                )
            });
            if position_at.is_none()
                && caps.len() - 1 > last_marker
                && last.split_whitespace().count() <= 2
                && !names_position
                && !HEAD_TITLES.iter().any(|t| last.starts_with(t))
                && !TITLE_STARTS.iter().any(|t| last.starts_with(t))
            {
                return Some((squash(&caps.join(" ")), String::new(), name));
            }
            let title_at = position_at.unwrap_or(caps.len() - 1);
            let mut authority = squash(&caps[..title_at].join(" "));
            let mut title = squash(&caps[title_at..].join(" "));
            // The title's line may end the authority wrapped onto it: "… GIÁM SÁT QUẢN LÝ" /
            // "VỀ HQ PHÓ TRƯỞNG BAN".
            if title_at == caps.len() - 1 && !starts_position(&title) {
                let words: Vec<&str> = title.split_whitespace().collect();
                if let Some(k) = (1..words.len()).find(|&k| starts_position(&words[k..].join(" "))) {
                    authority = squash(&format!("{authority} {}", words[..k].join(" ")));
                    title = words[k..].join(" ");
                }
            }
            return Some((authority, title, name));
        }
        if !t
            .split_whitespace()
            .all(|w| is_upper_word(w) || w.chars().all(|c| !c.is_alphanumeric()))
        {
            return None;
        }
        caps.push(t.to_owned());
        if caps.len() > 6 {
            return None;
        }
    }
    None
}

/// The comma or colon a distribution line ends with, kept when its item goes on.
fn ending_kept(line: &str) -> &'static str {
    if line.ends_with(',') {
        ","
    } else if line.ends_with(':') {
        ":"
    } else {
        ""
    }
}

fn distribution(lines: &[&str], at: usize) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let first = lines[at].trim_start();
    let after = first
        .split_once(':')
        .map(|(_, rest)| rest.trim_matches(is_cell_edge))
        .unwrap_or("");
    // What follows "Nơi nhận:" on its line, unless it is the signature's column beside it.
    let beside_signature =
        after.split_whitespace().all(is_upper_word) || after.split_whitespace().next().is_some_and(is_marker);
    if !after.is_empty() && !beside_signature {
        items.extend(split_items(after));
    }
    // Whether the last item's line ended without ";" or ".": the next line may carry it on.
    let mut open = false;
    // The comma or colon that line ended with, which the item keeps when it goes on ("- Lưu:" /
    // "VT, Vụ TCCB.").
    let mut carried = "";
    // Items written one per line without dashes, each ending in ";".
    let mut undashed = false;
    let mut previous_blank = false;
    let mut dash_alone = false;
    // Whether the last line read ended with ";".
    let mut previous_semicolon = false;
    // A dashed item ending with ":", as written so far: "+" lines under it are its own.
    let mut parent: Option<String> = None;
    for line in &lines[at + 1..] {
        let t = line.trim_matches(is_cell_edge);
        if t.is_empty() {
            previous_blank = true;
            continue;
        }
        // A scan may read an item's dash as "~": "~ Như trên;".
        let undashed_tilde;
        let t = match t.strip_prefix("~ ") {
            Some(rest) => {
                undashed_tilde = format!("- {rest}");
                undashed_tilde.as_str()
            }
            None => t,
        };
        // An annex's heading ends the list, however the item before it was left: ". Phụ lục
        // GIỚI THIỆU …".
        if starts_with_ci(
            t.trim_start_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace()),
            "phụ lục",
        ) {
            break;
        }
        let blank_before = std::mem::replace(&mut previous_blank, false);
        let last_ended_semicolon = std::mem::replace(&mut previous_semicolon, t.ends_with(';'));
        // A dash alone on its line: its item is on the next.
        if matches!(t, "-" | "–" | "+" | "•") {
            dash_alone = true;
            open = false;
            continue;
        }
        let t_dashed;
        let t = if std::mem::take(&mut dash_alone) {
            t_dashed = format!("- {t}");
            t_dashed.as_str()
        } else {
            t
        };
        // "- VP UBND tỉnh:" / "+ LĐVP, KGVX;" / "+ Lưu: VT.": the sub-items are the item's.
        if t.starts_with('+')
            && let Some(raw) = parent.as_mut()
            && !items.is_empty()
        {
            raw.push(' ');
            raw.push_str(t);
            let last = items.len() - 1;
            items[last] = crate::text::trim_one_trailing_punct(raw);
            open = !t.ends_with([';', '.']);
            carried = ending_kept(t);
            continue;
        }
        if t.starts_with(['-', '–', '+', '•']) {
            if undashed {
                break;
            }
            parent = (t.ends_with(':') && !t.starts_with('+'))
                .then(|| t.trim_start_matches(['-', '–', '•']).trim().to_owned());
            items.extend(split_items(t));
            open = !t.ends_with([';', '.']);
            carried = ending_kept(t);
            continue;
        }
        // The signature's lines may sit among the items, beside them on paper; a capital line
        // ending an open item with ";" is the item's end ("- Đảng ủy" / "KTNN;").
        let signature_line = t.split_whitespace().next().is_some_and(is_marker)
            || (t.split_whitespace().all(is_upper_word) && !(open && t.ends_with(';')));
        if signature_line {
            open = false;
            continue;
        }
        // (Over a blank line too when the item plainly goes on: it ended with a comma, or its
        // next line opens in lower case and ends the item, as lists spaced by blank lines wrap:
        // "- Ủy ban Kiểm tra, Ban xây dựng Đảng," / "" / "VP Đảng ủy;", "- Ban công" / "" / "tác MT
        // thôn;".)
        let goes_on_over_blank = carried == "," || (t.starts_with(crate::text::is_lower) && t.ends_with([';', '.']));
        if open
            && (!blank_before || goes_on_over_blank)
            && !items.is_empty()
            // (A signer's name ends with no ";": "- Ủy ban TW Mặt trận Tổ quốc" / "Việt Nam;".)
            && (!carried.is_empty() || person_name(t).is_none() || t.ends_with(';'))
        {
            // An item wrapped onto the next line: "- VPCP: BTCN, các PCN," / "các Vụ: KTN, …;".
            let last = items.len() - 1;
            let joined = format!("{}{carried} {}", items[last], t);
            items[last] = split_items(&format!("- {joined}")).into_iter().next().unwrap_or(joined);
            open = !t.ends_with([';', '.']);
            carried = ending_kept(t);
            continue;
        }
        // A dashed item goes on after its ";" on a line in lower case (a new item would have its
        // dash): "- VPCP: …, TGĐ Cổng TTĐT;" / "các Vụ: KTTH, QHĐP, TH;".
        // The file copy is an item of its own even when its dash was lost ("- UBND các huyện;" /
        // "Lưu: VT, NC.").
        if !undashed && !blank_before && last_ended_semicolon && !items.is_empty() && starts_with_ci(t, "lưu") {
            items.push(crate::text::trim_one_trailing_punct(t));
            open = !t.ends_with([';', '.']);
            carried = ending_kept(t);
            continue;
        }
        // So does a line that ends with ";" or "." itself ("- VPCP: BTCN;" / "Vụ TH; Cổng TTĐT;"):
        // a line of a dashed list without its dash is part of the item above.
        if !undashed
            && !blank_before
            && last_ended_semicolon
            && !items.is_empty()
            && (t.chars().next().is_some_and(crate::text::is_lower)
                || (t.ends_with([';', '.']) && person_name(t).is_none() && !signed_note(t)))
        {
            let last = items.len() - 1;
            items[last] = crate::text::trim_one_trailing_punct(&format!("{}; {t}", items[last]));
            open = !t.ends_with([';', '.']);
            carried = ending_kept(t);
            continue;
        }
        let words = t.split_whitespace().count();
        let starts_list = items.is_empty() && !undashed && t.contains(';');
        if (undashed || starts_list) && words <= 30 && person_name(t).is_none() {
            // One item a line up to its ";": what follows on the line is the signature's column
            // ("Như trên; (Đã ký và đóng dấu)").
            undashed = true;
            let item = t.split_once(';').map(|(item, _)| item).unwrap_or(t);
            let item = item.trim().trim_end_matches('.').trim();
            if !item.is_empty() {
                items.push(item.to_owned());
            }
            if !t.contains(';') {
                break;
            }
            continue;
        }
        break;
    }
    items
}

fn signature(lines: &[&str], at: usize, closing: &mut Closing) {
    // The words of the signature area, skipping the distribution items that may be interleaved.
    let mut words: Vec<Word> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(at).take(40) {
        let t = line.trim_matches(is_cell_edge);
        // (A scan may read an item's dash as "~".)
        if t.starts_with(['-', '–', '+', '•', '~']) || starts_with_ci(t, "nơi nhận") || signed_note(t) {
            continue;
        }
        for word in unglue(t).split_whitespace() {
            words.push(Word {
                text: word.to_owned(),
                line: i,
            });
        }
    }
    let mut i = 0;
    let mut authority: Vec<String> = Vec::new();
    while i < words.len() && is_marker(&words[i].text) {
        let start = i;
        let marker = &words[i].text;
        let collective = marker.starts_with('T') && marker.contains('M');
        // "T/M", "K/T" and "T/L" are whole words that the regex took for the marker.
        // A marker glued to its title: "KT.CHỦ".
        let glued = MARKER.find(marker).is_some_and(|m| m.end() < marker.len());
        i += 1;
        let mut run_end = i;
        while run_end < words.len() && is_upper_word(&words[run_end].text) && !is_marker(&words[run_end].text) {
            run_end += 1;
        }
        // The run after the marker, on the marker's line or the next one (a marker alone).
        let first_line = words.get(start).map(|w| w.line);
        let run: Vec<&Word> = words[i..run_end].iter().collect();
        let line_of_run = run.first().map(|w| w.line).or(first_line);
        let same_line: usize = run.iter().take_while(|w| Some(w.line) == line_of_run).count();
        let rest_of_line_is_run = words.get(i + same_line).is_none_or(|w| Some(w.line) != line_of_run);
        let take = if rest_of_line_is_run && same_line > 0 {
            // Laid out on lines: the authority is the whole line, less a position that ends a
            // collective body's line ("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI CHỦ TỊCH": a body's name
            // holds no position).
            // Only when no title line follows: "TM. ĐOÀN CHỦ TỊCH" / "CHỦ TỊCH" keeps its line.
            let title_follows = words
                .get(i + same_line)
                .is_some_and(|w| is_upper_word(&w.text) && !is_marker(&w.text));
            let position_at = (1..same_line).find(|&n| starts_position(&joined_from(&run[n..same_line])));
            match position_at {
                Some(n) if collective && !title_follows => n,
                _ => same_line,
            }
        } else if collective {
            let mut n = 0;
            while n < run.len() && !starts_title(&run[n..]) && !starts_position(&joined_from(&run[n..])) {
                n += 1;
            }
            n.max(1).min(run.len())
        } else if glued {
            // The marker word carries the title's first word: "KT.CHỦ" + "TỊCH".
            let first = &marker[MARKER.find(marker).map(|m| m.end()).unwrap_or(0)..];
            let mut joined: Vec<&str> = vec![first];
            joined.extend(run.iter().map(|w| w.text.as_str()));
            head_title_len(&joined).map(|n| n - 1).unwrap_or(0).min(run.len())
        } else {
            let joined: Vec<&str> = run.iter().map(|w| w.text.as_str()).collect();
            head_title_len(&joined).unwrap_or(1).min(run.len())
        };
        let mut text: Vec<&str> = words[start..i].iter().map(|w| w.text.as_str()).collect();
        text.extend(run.iter().take(take).map(|w| w.text.as_str()));
        authority.push(text.join(" "));
        i += take;
    }
    if !authority.is_empty() {
        closing.authority = Some(squash(&authority.join(" ")));
    }
    // The title: the next words in capitals, or a line such as "Chủ tịch".
    let title_start = i;
    let title_line = words.get(i).map(|w| w.line);
    while i < words.len() && is_upper_word(&words[i].text) && !is_marker(&words[i].text) {
        // An all-capital name on its own line after the title ("NÔNG / ĐỨC MẠNH").
        if i > title_start && Some(words[i].line) != title_line {
            break;
        }
        i += 1;
    }
    if i == title_start {
        // A title not in capitals: the rest of its line when that line is not a name.
        if let Some(line) = title_line {
            let on_line: Vec<&Word> = words[i..].iter().take_while(|w| w.line == line).collect();
            let is_name = on_line.len() >= 2 && on_line.iter().all(|w| is_name_word(&w.text));
            if !on_line.is_empty() && !is_name {
                i += on_line.len();
            }
        }
    }
    if i > title_start {
        closing.title = Some(
            words[title_start..i]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    closing.name = name_at(&words[i..]);
}

fn joined_from(words: &[&Word]) -> String {
    words
        .iter()
        .take(4)
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the words begin a signer's title.
fn starts_title(words: &[&Word]) -> bool {
    let text: Vec<&str> = words.iter().take(3).map(|w| w.text.as_str()).collect();
    let text = text.join(" ");
    TITLE_STARTS
        .iter()
        .any(|t| text == *t || text.starts_with(&format!("{t} ")))
}

/// How many words of `run` form a head's title (longest match).
fn head_title_len(run: &[&str]) -> Option<usize> {
    // (A comma after the head's title is not part of it.)
    let text = run
        .iter()
        .map(|w| w.trim_end_matches(','))
        .collect::<Vec<_>>()
        .join(" ");
    let n = HEAD_TITLES
        .iter()
        .filter(|t| text == **t || text.starts_with(&format!("{t} ")))
        .map(|t| t.split(' ').count())
        .max()?;
    // Two offices held together, the second after a comma ("KT. BỘ TRƯỞNG, CHỦ NHIỆM" / "PHÓ
    // CHỦ NHIỆM"): the head's title runs on to the signer's own.
    if run[n - 1].ends_with(',') {
        let own = (n..run.len()).find(|&k| {
            let rest = run[k..].join(" ");
            TITLE_STARTS
                .iter()
                .any(|t| rest == *t || rest.starts_with(&format!("{t} ")))
        });
        if let Some(k) = own {
            return Some(k);
        }
    }
    Some(n)
}

/// The signer's name at the start of `words`: two to five words capitalised alike, ending at
/// its line once it has two words.
fn name_at(words: &[Word]) -> Option<String> {
    let first = words.first()?;
    let all_caps = is_upper_word(&first.text);
    let fits = |w: &str| {
        let w = w.trim_end_matches([';', ',', '.']);
        if all_caps { is_upper_word(w) } else { is_name_word(w) }
    };
    let mut name: Vec<&str> = Vec::new();
    let mut line = first.line;
    for word in words {
        if !fits(&word.text) || name.len() >= 5 {
            break;
        }
        if word.line != line && name.len() >= 2 {
            break;
        }
        line = word.line;
        name.push(word.text.trim_end_matches([';', ',', '.']));
    }
    (!name.is_empty()).then(|| name.join(" "))
}

/// A signature without an authority marker: a name on its own line under its title in capitals
/// (the body's name may stand above the title: "CHÍNH PHỦ" / "PHÓ THỦ TƯỚNG"), the last such
/// pair in the closing; else the name among the last lines.
fn unmarked_signature(lines: &[&str], from: usize, closing: &mut Closing) {
    // Lines of punctuation alone (a stamp's bracket, a table's pipe) stand between nothing.
    let non_empty: Vec<usize> = (from..lines.len())
        .filter(|&i| lines[i].chars().any(char::is_alphanumeric) && !signed_note(lines[i].trim()))
        .collect();
    for (k, &i) in non_empty.iter().enumerate().rev() {
        // A name on its line, or wrapped in a narrow cell after its first word ("Ngô" / "Văn
        // Tuấn"); `k` then moves to its first line.
        let wrapped = k
            .checked_sub(1)
            .map(|k| lines[non_empty[k]].trim_matches(is_cell_edge))
            .filter(|first| {
                let mut chars = first.chars();
                chars.next().is_some_and(crate::text::is_upper)
                    && chars.all(crate::text::is_lower)
                    && is_name_word(first)
            })
            .and_then(|first| person_name(&format!("{first} {}", lines[i].trim_matches(is_cell_edge))));
        let (name, k) = match (wrapped, person_name(lines[i])) {
            (Some(name), _) => (name, k - 1),
            (None, Some(name)) => (name, k),
            (None, None) => continue,
        };
        let Some(&j) = k.checked_sub(1).and_then(|k| non_empty.get(k)) else {
            continue;
        };
        let mut above = std::borrow::Cow::Borrowed(lines[j].trim_matches(is_cell_edge));
        let mut j = j;
        let mut k = k;
        // A title wrapped in a narrow cell: its last words on a line of their own under the
        // line that opens it ("TỔNG KIỂM TOÁN NHÀ" / "NƯỚC").
        if above.split_whitespace().all(is_upper_word)
            && !starts_position(&above)
            && let Some(&h) = k.checked_sub(2).and_then(|k| non_empty.get(k))
        {
            let opening = lines[h].trim_matches(is_cell_edge);
            if h + 2 >= j && opening.split_whitespace().all(is_upper_word) && starts_position(opening) {
                above = std::borrow::Cow::Owned(format!("{opening} {above}"));
                j = h;
                k -= 1;
            }
        }
        let above: &str = &above;
        // The title in capitals, or written as a phrase ("Chủ tịch") on a short line.
        let capitals = above.split_whitespace().all(is_upper_word) && starts_position(above);
        let phrase = above.split_whitespace().count() <= 6
            && above.chars().next().is_some_and(crate::text::is_upper)
            && !above.ends_with(['.', ';', ','])
            && starts_position(&above.to_uppercase());
        if capitals || phrase {
            // A title held over two capital lines, each a position: "BỘ TRƯỞNG" / "CHỦ NHIỆM VĂN
            // PHÒNG PHỦ THỦ TƯỚNG".
            let higher = k
                .checked_sub(2)
                .and_then(|k| non_empty.get(k))
                .map(|&h| (h, lines[h].trim_matches(is_cell_edge)))
                .filter(|(h, t)| {
                    capitals
                        && *h + 1 >= j.saturating_sub(1)
                        && t.split_whitespace().all(is_upper_word)
                        && starts_position(t)
                });
            closing.name = Some(with_wrapped_last_word(name, &lines[i + 1..]));
            match higher {
                Some((h, t)) => {
                    closing.title = Some(squash(&format!("{t} {above}")));
                    closing.body_end = closing.body_end.min(h);
                }
                None => {
                    closing.title = Some(squash(above));
                    closing.body_end = closing.body_end.min(j);
                }
            }
            return;
        }
    }
    unmarked_last_lines(lines, from, closing);
}

/// A distribution list whose "Nơi nhận:" was lost, written as dashed items on one line beside or
/// above the signature ("- Chính phủ; - Ban Tổ chức Trung ương; … - Lưu: HC, PLTP. | TM. …"):
/// the line's items when the last is the file copy ("Lưu"), which closes every such list.
fn unheaded_distribution(lines: &[&str], from: usize, marker: Option<usize>) -> Option<(usize, Vec<String>)> {
    let end = marker.map_or(lines.len(), |m| (m + 1).min(lines.len()));
    (from.min(end)..end).rev().take(6).find_map(|i| {
        let line = lines[i].trim_matches(is_cell_edge);
        if !line.starts_with(['-', '–']) {
            return None;
        }
        // What follows a cell's pipe is the signature beside the list.
        let list = line.split('|').next().unwrap_or(line);
        let items = split_items(list);
        (items.len() >= 2 && items.last().is_some_and(|item| starts_with_ci(item, "lưu"))).then_some((i, items))
    })
}

/// A name whose first word stands alone on its line, the rest on the next ("Mai" / "Sơn", a
/// signature cell wrapped narrow): the name, and how many lines after `line` it took.
fn first_word_wrapped(line: &str, after: &[&str]) -> Option<(String, usize)> {
    let word = line.trim();
    if word.split_whitespace().count() != 1 || !is_title_word(word) {
        return None;
    }
    let (used, next) = after
        .iter()
        .map(|l| l.trim_matches(is_cell_edge))
        .enumerate()
        .find(|(_, l)| !l.is_empty())?;
    person_name(&format!("{word} {next}")).map(|name| (name, used + 1))
}

/// A two-word name whose last word wrapped onto the next line: "Lê Tấn" / "Cận".
fn with_wrapped_last_word(name: String, after: &[&str]) -> String {
    if name.split_whitespace().count() == 2
        && let Some(next) = after
            .iter()
            .map(|l| l.trim_matches(is_cell_edge))
            .find(|l| !l.is_empty())
        && next.split_whitespace().count() == 1
        && is_name_word(next.trim_end_matches(['.', ',', ';']))
    {
        return format!("{name} {}", next.trim_end_matches(['.', ',', ';']));
    }
    name
}

/// A signature without an authority marker in the cell beside the distribution list, printed
/// after it when a table is flattened ("| Nơi nhận: - …; - Lưu: VT. | CHỦ TỊCH Nguyễn Văn Sơn |"):
/// among the lines that follow "Nơi nhận", the first that is a position in capitals and a name
/// and nothing more. (A position over a name on lines of their own is read by
/// [`unmarked_signature`], with titles and names wrapped.) Annexes after the signature are not
/// looked at.
fn signature_after_list(lines: &[&str], noi_nhan: usize, closing: &mut Closing) {
    let after: Vec<&str> = lines[noi_nhan + 1..]
        .iter()
        .map(|l| l.trim_matches(is_cell_edge))
        .filter(|l| !l.is_empty() && !signed_note(l))
        .take(30)
        .collect();
    for line in after {
        if line.starts_with(['-', '–', '+', '•']) {
            continue;
        }
        let whole = |(title, name): &(String, String)| {
            title.split_whitespace().count() + name.split_whitespace().count() == line.split_whitespace().count()
        };
        if let Some((title, name)) = title_then_name(line).filter(whole) {
            closing.title = Some(title);
            closing.name = Some(name);
            return;
        }
    }
}

/// The name among the last lines, its title on the line above it.
fn unmarked_last_lines(lines: &[&str], from: usize, closing: &mut Closing) {
    let non_empty: Vec<usize> = (from..lines.len()).filter(|&i| !lines[i].trim().is_empty()).collect();
    for &i in non_empty.iter().rev().take(4) {
        if let Some(name) = person_name(lines[i]) {
            closing.name = Some(name);
            let above = non_empty.iter().rev().find(|&&j| j < i);
            if let Some(&j) = above {
                let t = lines[j].trim();
                if t.split_whitespace().all(is_upper_word) {
                    closing.title = Some(squash(t));
                    closing.body_end = closing.body_end.min(j);
                }
            }
            return;
        }
        // A flattened block after the distribution list: "BỘ TRƯỞNG Đặng Quốc Khánh …".
        if let Some((title, name)) = title_then_name(lines[i]) {
            closing.title = Some(title);
            closing.name = Some(name);
            return;
        }
    }
}

/// A line that starts with a position in capitals followed by a name: "BỘ TRƯỞNG Đặng Quốc
/// Khánh" (whatever follows the name on the line is not part of it).
fn title_then_name(line: &str) -> Option<(String, String)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let caps = words.iter().take_while(|w| is_upper_word(w)).count();
    if caps == 0 || caps > 8 || !starts_position(&words[..caps].join(" ")) {
        return None;
    }
    let name: Vec<&str> = words[caps..]
        .iter()
        .take_while(|w| is_name_word(w.trim_end_matches([';', ',', '.'])))
        .take(5)
        .map(|w| w.trim_end_matches([';', ',', '.']))
        .collect();
    (name.len() >= 2).then(|| (words[..caps].join(" "), name.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str) -> Closing {
        let lines: Vec<&str> = text.lines().collect();
        read(&lines, 0)
    }

    #[test]
    fn signature_blocks_of_many_shapes() {
        // (block, authority, title, name)
        let cases: &[(&str, Option<&str>, &str, &str)] = &[
            (
                "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nNguyễn Văn An",
                Some("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
                "PHÓ CHỦ TỊCH",
                "Nguyễn Văn An",
            ),
            (
                "TL. CHỦ TỊCH ỦY\nBAN NHÂN DÂN TỈNH\nCHÁNH VĂN PHÒNG\n\nTrần Thị Bình",
                Some("TL. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"),
                "CHÁNH VĂN PHÒNG",
                "Trần Thị Bình",
            ),
            (
                "KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n\nNguyễn Sỹ Hiệp",
                Some("KT. BỘ TRƯỞNG, CHỦ NHIỆM"),
                "PHÓ CHỦ NHIỆM",
                "Nguyễn Sỹ Hiệp",
            ),
            (
                "CHÍNH PHỦ\nPHÓ THỦ TƯỚNG\n\n\nTrần Hồng Hà",
                None,
                "PHÓ THỦ TƯỚNG",
                "Trần Hồng Hà",
            ),
            (
                "TL. BỘ TRƯỞNG\nVỤ TRƯỞNG VỤ PHÁP CHẾ\n\nNguyễn Văn Khoa",
                Some("TL. BỘ TRƯỞNG"),
                "VỤ TRƯỞNG VỤ PHÁP CHẾ",
                "Nguyễn Văn Khoa",
            ),
            // Names of the Central Highlands' peoples.
            (
                "TM. BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nY Quang BKrông",
                Some("TM. BAN THƯỜNG VỤ"),
                "PHÓ BÍ THƯ",
                "Y Quang BKrông",
            ),
            (
                "TM. UBND XÃ\nCHỦ TỊCH\n\nH' Lan Niê",
                Some("TM. UBND XÃ"),
                "CHỦ TỊCH",
                "H' Lan Niê",
            ),
            // The Party's authority wrapped, and no title printed.
            (
                "T/M BỘ CHÍNH\nTRỊ\nTrần Cẩm Tú\n|",
                Some("T/M BỘ CHÍNH TRỊ"),
                "",
                "Trần Cẩm Tú",
            ),
            // A title of two words naming a position by one of them.
            (
                "TM. TỔ CÔNG TÁC\nTỔ TRƯỞNG\nNguyễn Văn An",
                Some("TM. TỔ CÔNG TÁC"),
                "TỔ TRƯỞNG",
                "Nguyễn Văn An",
            ),
            // Cells wrapped narrow: the authority, and the name after its first word.
            (
                "TM. ỦY BAN NHÂN\nDÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nMai\nSơn\n|",
                Some("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
                "PHÓ CHỦ TỊCH",
                "Mai Sơn",
            ),
            (
                "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê\nThị Hồng Vân",
                Some("TM. ỦY BAN NHÂN DÂN"),
                "CHỦ TỊCH",
                "Lê Thị Hồng Vân",
            ),
        ];
        for (block, authority, title, name) in cases {
            let c = read_all(&format!("2. Việc hai./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n{block}"));
            assert_eq!(
                (c.authority.as_deref(), c.title.as_deref(), c.name.as_deref()),
                (*authority, Some(*title).filter(|t| !t.is_empty()), Some(*name)),
                "{block}"
            );
        }
        assert!(is_name_word("BKrông") && !is_name_word("TTg") && !is_name_word("UBND"));
    }

    #[test]
    fn a_name_in_a_table_cell_with_its_signed_note_is_the_signer() {
        let c = read_all("Điều 2- Ông Bộ trưởng chịu trách nhiệm thi hành sắc lệnh này.\n| Hồ Chí Minh (Đã ký)\n|");
        assert_eq!(c.name.as_deref(), Some("Hồ Chí Minh"));
    }

    #[test]
    fn a_distribution_list_whose_heading_was_lost_is_known_by_its_file_copy() {
        let c = read_all(
            "3. Các cơ quan giám sát việc thực hiện.\n- Chính phủ; - Ban Tổ chức Trung ương; - Lưu: HC, PLTP. | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\nTrần Thanh Mẫn",
        );
        assert_eq!(c.distribution, ["Chính phủ", "Ban Tổ chức Trung ương", "Lưu: HC, PLTP"]);
        assert_eq!(c.body_end, 1);
        // Dashed items of the body are not a distribution list.
        let c =
            read_all("Giao các cơ quan:\n- Sở Nội vụ; - Sở Tài chính.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn An");
        assert!(c.distribution.is_empty());
    }

    #[test]
    fn a_title_of_two_offices_with_a_comma_is_a_title() {
        let c = read_all(
            "Thông báo để biết./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nBỘ TRƯỞNG, CHỦ NHIỆM\n(Đã ký)\nNguyễn Xuân Phúc",
        );
        assert_eq!(
            (c.authority.as_deref(), c.title.as_deref(), c.name.as_deref()),
            (None, Some("BỘ TRƯỞNG, CHỦ NHIỆM"), Some("Nguyễn Xuân Phúc"))
        );
        assert!(starts_position("BỘ TRƯỞNG, CHỦ NHIỆM") && !starts_position("BỘ TRƯỞNGX"));
    }

    #[test]
    fn a_distribution_in_a_narrow_cell_with_lines_and_sub_items_of_its_own() {
        let c = read_all(
            "Việc ba./.\n|\nNơi\nnhận:\n- Như trên;\n- VPCP: BTCN;\nVụ TH; Cổng TTĐT;\n- VP UBND tỉnh:\n+ LĐVP, KGVX;\n+ Lưu: VT.\n|\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An",
        );
        assert_eq!(
            c.distribution,
            [
                "Như trên",
                "VPCP: BTCN; Vụ TH; Cổng TTĐT",
                "VP UBND tỉnh: + LĐVP, KGVX; + Lưu: VT"
            ]
        );
        assert_eq!(c.body_end, 2);
        // A line of places with commas goes on its item; it is no one's name.
        let c = read_all(
            "Việc năm./.\nNơi nhận:\n- UBND các tỉnh: Hưng Yên, Phú\nThọ, Tuyên Quang;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn An",
        );
        assert_eq!(
            c.distribution,
            ["UBND các tỉnh: Hưng Yên, Phú Thọ, Tuyên Quang", "Lưu: VT"]
        );
        assert_eq!(person_name("Thọ, Tuyên Quang;"), None);
        // The file copy whose dash was lost is an item of its own.
        let c = read_all(
            "Việc sáu./.\nNơi nhận:\n- Như trên;\n- UBND các huyện;\nLưu: VT, NC.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An",
        );
        assert_eq!(c.distribution, ["Như trên", "UBND các huyện", "Lưu: VT, NC"]);
        // A name under the list is not an item of it.
        let c = read_all("Việc bốn./.\nNơi nhận:\n- Như trên;\n- Lưu: VT;\nGIÁM ĐỐC\nTrần Văn Bình");
        assert_eq!(c.distribution, ["Như trên", "Lưu: VT"]);
    }

    #[test]
    fn a_collective_body_named_with_a_position_word_keeps_it_when_a_title_follows() {
        let c = read_all("Nội dung./.\nTM. ĐOÀN CHỦ TỊCH\nCHỦ TỊCH\nNGUYỄN VĂN A");
        assert_eq!(c.authority.as_deref(), Some("TM. ĐOÀN CHỦ TỊCH"));
        // A lower-case line joins a distribution item only after its ";".
        let c = read_all(
            "Nội dung./.\nNơi nhận:\n- Như trên;\n- Lưu: VT, TH.\nghi chú cuối trang\nGIÁM ĐỐC\n\nNguyễn Văn B",
        );
        assert_eq!(c.distribution, ["Như trên", "Lưu: VT, TH"]);
    }

    #[test]
    fn a_position_glued_to_a_collective_body_is_its_title() {
        let c = read_all("Nghị quyết này./.\nTM. ỦY BAN THƯỜNG VỤ QUỐC HỘICHỦ TỊCH\nTrần Thanh Mẫn");
        assert_eq!(c.authority.as_deref(), Some("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI"));
        assert_eq!(c.title.as_deref(), Some("CHỦ TỊCH"));
        assert_eq!(c.name.as_deref(), Some("Trần Thanh Mẫn"));
        // A word of one vowel group is not split: "KT. BỘ TRƯỞNG" stays.
        assert_eq!(unglue("KT. BỘ TRƯỞNG"), "KT. BỘ TRƯỞNG");
    }

    #[test]
    fn a_dashed_item_goes_on_after_its_semicolon_in_lower_case() {
        let c = read_all(
            "Nội dung./.\nNơi nhận:\n- Bộ Xây dựng;\n- VPCP: BTCN, PCN Phạm Mạnh Cường,\nTrợ lý TTg, TGĐ Cổng TTĐT;\n\
             các Vụ: KTTH, QHĐP, TH;\n- Lưu: VT, CN (2).\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn A",
        );
        assert_eq!(
            c.distribution,
            [
                "Bộ Xây dựng",
                "VPCP: BTCN, PCN Phạm Mạnh Cường, Trợ lý TTg, TGĐ Cổng TTĐT; các Vụ: KTTH, QHĐP, TH",
                "Lưu: VT, CN (2)"
            ]
        );
    }

    #[test]
    fn a_name_wrapped_under_a_title_without_authority_is_whole() {
        let c =
            read_all("thi hành Quyết định này./.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n|\nCHỦ TỊCH\nLê Hải\nHòa\n|");
        assert_eq!(c.title.as_deref(), Some("CHỦ TỊCH"));
        assert_eq!(c.name.as_deref(), Some("Lê Hải Hòa"));
    }

    #[test]
    fn signature_on_one_line_is_split_into_authority_title_and_name() {
        let c = read_all("Nội dung./.\nKT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Thị Xuyên");
        assert_eq!(c.authority.as_deref(), Some("KT. BỘ TRƯỞNG"));
        assert_eq!(c.title.as_deref(), Some("THỨ TRƯỞNG"));
        assert_eq!(c.name.as_deref(), Some("Nguyễn Thị Xuyên"));
        let c = read_all("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Hữu Tháp CHƯƠNG TRÌNH");
        assert_eq!(c.authority.as_deref(), Some("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"));
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("PHÓ CHỦ TỊCH"), Some("Nguyễn Hữu Tháp"))
        );
    }

    #[test]
    fn signature_on_lines_keeps_each_line() {
        let c = read_all("K.T. HỘI ĐỒNG CHÍNH PHỦ\n\nK.T. THỦ TƯỚNG CHÍNH PHỦ\n\nPHÓ THỦ TƯỚNG\n\n\nTrần Hữu Dực");
        assert_eq!(
            c.authority.as_deref(),
            Some("K.T. HỘI ĐỒNG CHÍNH PHỦ K.T. THỦ TƯỚNG CHÍNH PHỦ")
        );
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("PHÓ THỦ TƯỚNG"), Some("Trần Hữu Dực"))
        );
        let c = read_all("TM.\nỦY BAN THƯỜNG VỤ QUỐC HỘI\nChủ tịch\nNÔNG\nĐỨC MẠNH\nLưu tại Trung tâm");
        assert_eq!(c.authority.as_deref(), Some("TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI"));
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("Chủ tịch"), Some("NÔNG ĐỨC MẠNH"))
        );
    }

    #[test]
    fn distribution_interleaved_with_the_signature() {
        let c = read_all("Nơi nhận:\nKT. CHỦ TỊCH\n\n- Như trên;\n\n- Phòng VX;- Lưu VT.\nPHÓ CHỦ TỊCHNguyễn Thị Thu");
        assert_eq!(c.distribution, ["Như trên", "Phòng VX", "Lưu VT"]);
        assert_eq!(c.authority.as_deref(), Some("KT. CHỦ TỊCH"));
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("PHÓ CHỦ TỊCH"), Some("Nguyễn Thị Thu"))
        );
    }

    #[test]
    fn distribution_items_wrapped_over_lines_keep_their_words() {
        let c = read_all(
            "Nơi nhận:\n-\nNhư Điều 3;\n- Đảng ủy\nKTNN;\n- Lưu:\nVT, Vụ TCCB.\n|\nTỔNG KIỂM TOÁN NHÀ NƯỚC\nNgô Văn Tuấn",
        );
        assert_eq!(c.distribution, ["Như Điều 3", "Đảng ủy KTNN", "Lưu: VT, Vụ TCCB"]);
    }

    /// (authority, title, name) as read from a closing.
    fn block(text: &str) -> (Option<String>, Option<String>, Option<String>) {
        let c = read_all(text);
        (c.authority, c.title, c.name)
    }

    fn some(a: Option<&str>, t: &str, n: &str) -> (Option<String>, Option<String>, Option<String>) {
        (a.map(str::to_owned), Some(t.to_owned()), Some(n.to_owned()))
    }

    #[test]
    fn signature_blocks_as_the_language_writes_them() {
        // An authority wrapped over two lines; the line after it is the title.
        assert_eq!(
            block("Nội dung./.\nTL. CHỦ TỊCH ỦY\nBAN NHÂN DÂN TỈNH\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn Hải"),
            some(
                Some("TL. CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"),
                "CHÁNH VĂN PHÒNG",
                "Nguyễn Văn Hải"
            )
        );
        // Two offices in one title, with and without an authority.
        assert_eq!(
            block("Nội dung./.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n\nNguyễn Văn Hải"),
            some(Some("KT. BỘ TRƯỞNG, CHỦ NHIỆM"), "PHÓ CHỦ NHIỆM", "Nguyễn Văn Hải")
        );
        assert_eq!(
            block("Nội dung./.\n\nBỘ TRƯỞNG, CHỦ NHIỆM\n\nMai Tiến Dũng"),
            some(None, "BỘ TRƯỞNG, CHỦ NHIỆM", "Mai Tiến Dũng")
        );
        // The body's name stacked above the title, no authority marker.
        assert_eq!(
            block("Nội dung./.\n\nCHÍNH PHỦ\nPHÓ THỦ TƯỚNG\n\nTrần Hồng Hà\n\nNơi nhận:\n- Như trên;\n- Lưu: VT."),
            some(None, "PHÓ THỦ TƯỚNG", "Trần Hồng Hà")
        );
        // A title over two capital lines, each a position.
        assert_eq!(
            block("Nội dung./.\n\nBỘ TRƯỞNG\nCHỦ NHIỆM VĂN PHÒNG PHỦ THỦ TƯỚNG\n\n\nPhan Mỹ"),
            some(None, "BỘ TRƯỞNG CHỦ NHIỆM VĂN PHÒNG PHỦ THỦ TƯỚNG", "Phan Mỹ")
        );
        // A note between the title and the name.
        assert_eq!(
            block("Nội dung./.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nLê Văn Bình"),
            some(Some("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH", "Lê Văn Bình")
        );
        // A title wrapped over two lines.
        assert_eq!(
            block("Nội dung./.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG\nTRỰC\nLê Văn Bình"),
            some(Some("KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Lê Văn Bình")
        );
        // Flattened onto one line, a collective authority then the title.
        assert_eq!(
            block("Nội dung./.\nTM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG Trần Hồng Hà"),
            some(Some("TM. CHÍNH PHỦ KT. THỦ TƯỚNG"), "PHÓ THỦ TƯỚNG", "Trần Hồng Hà")
        );
        assert_eq!(
            block("Nội dung./.\nTM. HỘI ĐỒNG THẨM PHÁN CHÁNH ÁN Nguyễn Hòa Bình"),
            some(Some("TM. HỘI ĐỒNG THẨM PHÁN"), "CHÁNH ÁN", "Nguyễn Hòa Bình")
        );
    }

    #[test]
    fn unmarked_signature_uses_the_last_lines() {
        let c = read_all("Xin trân trọng cảm ơn!\n\nKÍNH THƯ\n\nPHÓ CHỦ TỊCH UBND HUYỆN\n\nPhạm Văn Hoàn");
        assert_eq!(c.authority, None);
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("PHÓ CHỦ TỊCH UBND HUYỆN"), Some("Phạm Văn Hoàn"))
        );
    }

    #[test]
    fn a_signature_in_the_column_beside_the_list_flattened_into_its_lines() {
        let c = read_all(
            "Đề nghị thực hiện./.\nNơi nhận: GIÁM ĐỐC\nNhư trên; (Đã ký và đóng dấu)\nBộ Giáo dục và Đào tạo;\nThành ủy, HĐND, UBND thành phố; Lê Thị Bích Thuận\nLưu: VT, CTrTT.",
        );
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("GIÁM ĐỐC"), Some("Lê Thị Bích Thuận"))
        );
        assert!(
            c.distribution.iter().all(|item| !item.contains("Thuận")),
            "{:?}",
            c.distribution
        );
        // A list beside no title: nothing is taken from it.
        let c = read_all("Đề nghị thực hiện./.\nNơi nhận:\nNhư trên;\nUBND thành phố; Lê Thị Bích Thuận\nLưu: VT.");
        assert_eq!((c.title, c.name), (None, None));
    }

    #[test]
    fn a_title_and_a_name_wrapped_in_a_narrow_cell() {
        let c = read_all(
            "thi hành Quyết định này./.\n|\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n|\nTỔNG KIỂM TOÁN NHÀ\nNƯỚC\nNgô\nVăn Tuấn\n|\n\nQUY ĐỊNH\nVỀ MẪU THẺ\nChương I\nQUY ĐỊNH CHUNG",
        );
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("TỔNG KIỂM TOÁN NHÀ NƯỚC"), Some("Ngô Văn Tuấn"))
        );
    }

    #[test]
    fn an_authority_beside_the_list_as_a_scan_reads_it() {
        let c = read_all(
            "Tổng cục Thuế thông báo để thực hiện./.\nNoi nhận:}„ KT.TONG CUC TRƯỞNG\n\n-Nhutrén;f „ PHO pes CUC TRUONG\n- Tông cục Trưởng (dé b/c)\n- Luu: VT, TTKT(2b).\n\nDang Ngoc Minh",
        );
        assert_eq!(
            (c.authority.as_deref(), c.title.as_deref(), c.name.as_deref()),
            (
                Some("KT.TONG CUC TRƯỞNG"),
                Some("PHO pes CUC TRUONG"),
                Some("Dang Ngoc Minh")
            )
        );
        assert_eq!(
            c.distribution,
            ["Nhutrén", "Tông cục Trưởng (dé b/c)", "Luu: VT, TTKT(2b)"]
        );
        let c = read_all(
            "Nội dung./.\nNơi nhận: KT. CỤC TRƯỞNG\n- Như trên;\nPHÓ CỤC TRƯỞNG\n- Phòng TTKT1;\n- Lưu: VT, TTHT.",
        );
        assert_eq!(
            (c.authority.as_deref(), c.title.as_deref(), c.name),
            (Some("KT. CỤC TRƯỞNG"), Some("PHÓ CỤC TRƯỞNG"), None)
        );
        // A list item that names a deputy is no title: only what stands after an item's ";" or
        // on a line of its own.
        let c = read_all("Nội dung./.\nNơi nhận: TL. BỘ TRƯỞNG\n- Phó Chủ tịch UBND tỉnh;\n- Lưu: VT.");
        assert_eq!((c.authority.as_deref(), c.title), (Some("TL. BỘ TRƯỞNG"), None));
    }

    #[test]
    fn an_authority_beside_an_item_and_a_title_beside_the_list_or_after_a_stop() {
        // The authority after the first item's ";", the title after the next one's.
        let c = read_all(
            "Nội dung./.\nNơi nhận: : 2\n\n- Như kính gửi; KT. CỤC TRƯỞNG\n- Lãnh đạo Cục; PHO CUC TRUONG\n- Phòng KTr3, CNTK;\n\n- Lưu: VT, TTHT.\n\nNguyễn Văn An",
        );
        assert_eq!(
            (c.authority.as_deref(), c.title.as_deref()),
            (Some("KT. CỤC TRƯỞNG"), Some("PHO CUC TRUONG"))
        );
        assert_eq!(
            c.distribution[c.distribution.len() - 4..],
            ["Như kính gửi", "Lãnh đạo Cục", "Phòng KTr3, CNTK", "Lưu: VT, TTHT"]
        );
        // The title after an item's end read as a full stop.
        let c = read_all(
            "Nội dung./.\nNơi nhận: KT, TONG CỤC TRƯỞNG\n- Như trên, . PHO-FANG CỤC TRƯỞNG\n- Vụ CS, DT;\n- Luu: VT, QLN.\n\nNguyễn Văn An",
        );
        assert_eq!(c.title.as_deref(), Some("PHO-FANG CỤC TRƯỞNG"));
        assert_eq!(c.distribution, ["Như trên,", "Vụ CS, DT", "Luu: VT, QLN"]);
        // A title beside "Nơi nhận:" after a dash, its name on a line of its own under the list.
        let c = read_all(
            "Nội dung./.\nNoi nhận: - BỘ TRƯỞNG, CHỦ NHIỆM\n~ TTgCP, các PTTgCP (để b/c);\n- Lưu: VT, KSTT.\n\nTrần Văn Sơn",
        );
        assert_eq!(
            (c.title.as_deref(), c.name.as_deref()),
            (Some("BỘ TRƯỞNG, CHỦ NHIỆM"), Some("Trần Văn Sơn"))
        );
        assert_eq!(c.distribution, ["TTgCP, các PTTgCP (để b/c)", "Lưu: VT, KSTT"]);
        // An item's ";" followed by words that are no marker is left alone.
        let c = read_all("Nội dung./.\nNơi nhận:\n- Như trên; Sở Tài chính;\n- Lưu: VT.\n\nNguyễn Văn An");
        assert_eq!((c.authority, c.title), (None, None));
    }

    #[test]
    fn an_item_wrapped_onto_a_line_that_looks_like_a_name_goes_on_when_it_ends_with_a_semicolon() {
        let c = read_all(
            "Nội dung./.\nNơi nhận:\n- Chính phủ;\n- Ủy ban TW Mặt trận Tổ quốc\nViệt Nam;\n- Lưu: HC, PLTP.\n\nTM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\n\nTrần Thanh Mẫn",
        );
        assert_eq!(
            c.distribution,
            ["Chính phủ", "Ủy ban TW Mặt trận Tổ quốc Việt Nam", "Lưu: HC, PLTP"]
        );
        assert_eq!(c.name.as_deref(), Some("Trần Thanh Mẫn"));
    }

    #[test]
    fn an_item_dashed_with_a_tilde_is_no_part_of_the_signature() {
        let c = read_all(
            "Nội dung./.\nKT. CỤC TRƯỞNG\n\nNơi nhận:\n~ Như trên;\n- Lưu: VT.\nPHÓ CỤC TRƯỞNG\n\nNguyễn Văn An",
        );
        assert_eq!(c.title.as_deref(), Some("PHÓ CỤC TRƯỞNG"));
    }

    #[test]
    fn an_annex_heading_ends_the_distribution_list() {
        let c = read_all(
            "Nội dung./.\nNơi nhận:\n- Như trên;\n- Lưu: VT QLRR. AY,»\n. Phụ lục\nGIỚI THIỆU MỘT SỐ NỘI DUNG",
        );
        assert_eq!(c.distribution, ["Như trên", "Lưu: VT QLRR. AY,»"]);
    }

    #[test]
    fn a_position_is_read_whatever_marks_a_scan_kept() {
        assert!(starts_position_loose("PHO TONG CUC TRUONG"));
        assert!(starts_position_loose("PHÓ TỎNG CỤC TRƯỞNG"));
        assert!(starts_position_loose("Giam doc"));
        assert!(!starts_position_loose("PHONG TTKT1"));
        assert_eq!(position_within("f „ PHO pes CUC TRUONG"), Some("PHO pes CUC TRUONG"));
        assert_eq!(position_within("Phòng TTKT1"), None);
        assert_eq!(position_within("Tổng cục Thuế;"), None);
    }

    #[test]
    fn a_title_and_name_in_the_cell_beside_the_list_sign_before_an_annex() {
        // A flattened table's row: the list, then the signature's cell; an annex follows.
        let c = read_all(
            "Việc tám./.\nNơi nhận: - Như Điều 2; - Lưu: VT, PVHCC.\n|\nCHỦ TỊCH Nguyễn Văn Sơn\n|\n\nPHỤ LỤC\nPhần I\n",
        );
        assert_eq!(c.title.as_deref(), Some("CHỦ TỊCH"));
        assert_eq!(c.name.as_deref(), Some("Nguyễn Văn Sơn"));
        // A heading's numeral is no name's word.
        assert_eq!(person_name("Phần I"), None);
        assert_eq!(person_name("Phụ lục V"), None);
        assert_eq!(person_name("Y Quang BKrông").as_deref(), Some("Y Quang BKrông"));
    }

    #[test]
    fn a_head_holding_two_offices_keeps_both_in_the_authority() {
        let c = read_all(
            "Việc chín./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM Nguyễn Văn Tùng\n",
        );
        assert_eq!(c.authority.as_deref(), Some("KT. BỘ TRƯỞNG, CHỦ NHIỆM"));
        assert_eq!(c.title.as_deref(), Some("PHÓ CHỦ NHIỆM"));
        assert_eq!(c.name.as_deref(), Some("Nguyễn Văn Tùng"));
        assert_eq!(
            head_title_len(&["BỘ", "TRƯỞNG,", "CHỦ", "NHIỆM", "PHÓ", "CHỦ", "NHIỆM"]),
            Some(4)
        );
        assert_eq!(head_title_len(&["BỘ", "TRƯỞNG", "THỨ", "TRƯỞNG"]), Some(2));
    }

    #[test]
    fn an_item_of_a_list_spaced_by_blank_lines_goes_on_over_them() {
        let c = read_all(
            "Việc mười./.\nNơi nhận:\n\n- BTT Ủy ban MTTQ tỉnh;\n\n- Ủy ban Kiểm tra Đảng ủy, Ban xây dựng Đảng,\n\nVP Đảng ủy;\n\n- Bí thư Chi bộ, Ban công\n\ntác MT thôn;\n\n- Lưu: MTTQ.\n\nTM. BAN THƯỜNG TRỰC\nCHỦ TỊCH\nNguyễn Văn An",
        );
        assert_eq!(
            c.distribution,
            [
                "BTT Ủy ban MTTQ tỉnh",
                "Ủy ban Kiểm tra Đảng ủy, Ban xây dựng Đảng, VP Đảng ủy",
                "Bí thư Chi bộ, Ban công tác MT thôn",
                "Lưu: MTTQ"
            ]
        );
        // A line in lower case that ends no item (a scan's speck, an annex's first line) is not
        // taken over a blank line.
        let c = read_all("Việc mười một./.\nNơi nhận:\n- Như trên;\n- Lưu: HC, LS\n\nl Mẫu Giấy xác nhận\n");
        assert_eq!(c.distribution, ["Như trên", "Lưu: HC, LS"]);
    }

    #[test]
    fn a_marker_in_an_annex_far_below_does_not_take_the_signature() {
        let mut text = String::from(
            "Việc mười hai./.\nNơi nhận:\n- Như Điều 4;\n- Lưu: VT.\n|\nGIÁM ĐỐC\nCù Ngọc Trang\n|\nPHỤ LỤC\n",
        );
        for k in 0..45 {
            text.push_str(&format!("Bước {k} của quy trình nội bộ.\n"));
        }
        text.push_str("TM. TỔ CHỨC (3)\n");
        let c = read_all(&text);
        assert_eq!(c.title.as_deref(), Some("GIÁM ĐỐC"));
        assert_eq!(c.name.as_deref(), Some("Cù Ngọc Trang"));
        assert_eq!(c.authority, None);
        // A filled-in form in the annex, with a title over a name, does not take it either (the
        // review's case).
        let text = text.replace("TM. TỔ CHỨC (3)\n", "GIÁM ĐỐC\nNguyễn Văn Bình\nTM. TỔ CHỨC (3)\n");
        let c = read_all(&text);
        assert_eq!(c.name.as_deref(), Some("Cù Ngọc Trang"));
    }

    #[test]
    fn a_dash_a_scan_read_as_a_tilde_opens_an_item() {
        let c = read_all(
            "Việc mười ba./.\nNơi nhận:\n~ Như trên;\n~ Tổng cục Thuế (thay báo cáo);\n~ Ban lãnh đạo cục;\n- Lưu: VT, TTHT.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\nVũ Huy Khuê",
        );
        assert_eq!(
            c.distribution,
            [
                "Như trên",
                "Tổng cục Thuế (thay báo cáo)",
                "Ban lãnh đạo cục",
                "Lưu: VT, TTHT"
            ]
        );
    }

    #[test]
    fn a_rank_or_degrees_before_a_name_are_printed_with_it() {
        assert_eq!(
            person_name("Thượng tướng Võ Minh Lương").as_deref(),
            Some("Thượng tướng Võ Minh Lương")
        );
        assert_eq!(
            person_name("PGS.TS. Trần Văn An").as_deref(),
            Some("PGS.TS. Trần Văn An")
        );
        assert_eq!(
            person_name("GS. TS. Trần Văn An;").as_deref(),
            Some("GS. TS. Trần Văn An")
        );
        // A rank or degrees alone, or before one word, name no one.
        assert_eq!(person_name("Thượng tướng"), None);
        assert_eq!(person_name("TS. An"), None);
        // A word that only opens like a rank is part of the name.
        assert_eq!(person_name("Trung tướngVõ Lương"), None);
        for (block, name) in [
            (
                "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nThượng tướng Võ Minh Lương",
                "Thượng tướng Võ Minh Lương",
            ),
            // The rank wrapped after its first word, as a narrow signature cell prints it.
            (
                "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nĐại\ntướng Nguyễn Tân Cương",
                "Đại tướng Nguyễn Tân Cương",
            ),
        ] {
            let c = read_all(&format!("Việc bảy./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n{block}\n"));
            assert_eq!(c.name.as_deref(), Some(name), "{block}");
            assert_eq!(c.title.as_deref(), Some("THỨ TRƯỞNG"), "{block}");
            assert_eq!(c.authority.as_deref(), Some("KT. BỘ TRƯỞNG"), "{block}");
        }
    }
}
