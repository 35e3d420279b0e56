//! Cited documents: every document named by number and symbol, once, in order of first
//! appearance, with the first date and issuer the text states for it.

use std::sync::LazyLock;

use regex::Regex;

use crate::Reference;
use crate::date::date_after_ngay;
use crate::header::clean_symbol;
use crate::text::{fold_case, is_upper_word, squash};

/// Words that name a type of document before its number, longest first.
const TYPE_WORDS: &[&str] = &[
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
const LONGEST_TYPE_WORD: usize = 4;

/// The type words folded as `fold_case` folds a text.
static FOLDED_TYPE_WORDS: LazyLock<Vec<String>> = LazyLock::new(|| TYPE_WORDS.iter().map(|t| fold_case(t)).collect());

/// A number and symbol: `2071/UBND-NC`, `25-NQ/TW`, `33/2009/QĐ-UBND`, `119- KH/TU`; a number
/// may join two groups of digits with a dash when the second is not a year (`25-2303/PBHC-KD`,
/// `01-10/2025/CV-TKV`, as companies number their letters).
const CITATION_PATTERN: &str = r"(\d+(?:\.\d+)?(?:-(?:\d{1,3}|[03-9]\d{3}|1[0-8]\d{2}|2[1-9]\d{2}|\d{5,}))?[a-z]?)\s?([/-])\s?((?:\d{4}\s?/\s?)?\p{Lu}(?:[\p{L}\p{N}_]|\.[\p{L}\p{N}]|&\s?)*(?:\s?[-–—/]\s?[\p{L}\p{N}](?:[\p{L}\p{N}_]|\.[\p{L}\p{N}]|&\s?)*)*)";

static CITATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(CITATION_PATTERN).expect("valid regex"));

/// The same pattern, matched only where the text given to it starts.
static CITATION_AT_START: LazyLock<Regex> =
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
fn citation_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
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
fn citation_parts(span: &str) -> Option<(&str, &str)> {
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
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\[[^\[\]]*?(?:được|bị)\s+(?:đính chính|hướng dẫn|sửa đổi|bổ sung|bãi bỏ|thay thế|hủy bỏ|huỷ bỏ|đình chỉ)[^\[\]]*?(?:\]|$)",
    )
    .expect("valid regex")
});

/// What comes right before a citation: "… số", "… số:", or a type word directly.
static BEFORE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:s[ốôo]\s*:?|\p{L}+)\s*$").expect("valid regex"));

// The issuer phrases bound the length of the name they capture in code, not in the pattern: a
// bounded repetition ("{3,120}") multiplies the lazy automaton's states, and building them for
// each new text cost more than all the rest of reading the citations. Each has its bounded form
// beside it (`BOUNDED_*`), run only when the name found is too long (see `bounded_name`).

/// "Xét đề nghị của X tại Tờ trình số", "… của X tại Chương trình hành động số" (a kind of up to
/// four words) just before a citation (the name at most 120 characters); "tại" may be glued to
/// the name by a lost space ("của Tỉnh ủy Sơn Latại văn bản số").
static ISSUER_BEFORE_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:[đĐ]ề nghị|[đĐ]ề xuất|[cC]hỉ đạo|[ýÝ] kiến(?:\s+(?:thẩm định|góp ý))?|[gG]óp ý|[yY]êu cầu|[hH]ướng dẫn|[bB]áo cáo|[tT]ờ trình)\s+|[;,]\s*|(?:^|\s)và\s+)của\s+([^;.]{3}[^;.]*?)\s*tại\s+(?:các\s+)?\p{L}+(?:\s+\p{L}+){0,3}\s*:?\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// "X có Công văn số", "X ban hành Quyết định số", "X đã thông qua Luật Tổ chức chính quyền địa
/// phương số" just before a citation (the name at most 101 characters).
static ISSUER_BEFORE_HAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\p{Lu}[^,;.:]{2}[^,;.:]*?)\s+(?:có|đã có|ban hành|đã ban hành|thông qua|đã thông qua)\s+(?:[cC]ông văn|[cC]ông điện|[vV]ăn bản|[tT]ờ trình|[bB]áo cáo|[qQ]uyết định|[cC]hỉ thị|[kK]ế hoạch|[tT]hông báo|[tT]hông tư|[nN]ghị định|[hH]ướng dẫn|[nN]ghị quyết|[kK]ết luận|[cC]hương trình|[đĐ]ề án|[qQ]uy định|[qQ]uy chế|Luật)(?:\s+\p{Ll}+){0,2}(?:\s+\p{Lu}\p{Ll}*(?:\s+\p{Ll}+){0,6})?\s+[sS][ốôoỐÔO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// "của X (công văn số" just before a citation (the name at most 121 characters); "…), Y (công
/// văn số" goes on a list of such names; "đề nghị của X về việc … (công văn số": what X asked
/// for may stand between its name and the bracket.
static ISSUER_BEFORE_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:của|và|\),)\s+(\p{Lu}[^;.()]{2}[^;.()]*?)(?:\s+về\s+[^;.()]*?)?\s*\(\s*(?:[cC]ông văn|[vV]ăn bản|[tT]ờ trình|[bB]áo cáo)\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// "Sở Tài chính đã tổng hợp và đề nghị tại Văn bản số", "Bộ Y tế hướng dẫn tại Công văn số": the
/// body that asked, proposed, reported or guided in the cited document, named as its clause's
/// subject (the words at most 101 characters; the name is read from them by [`body_named`]).
static ISSUER_BEFORE_VERB_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\p{Lu}[^,;.:()]{2}[^,;.:()]*?)\s+(?:đã\s+)?(?:\p{Ll}+(?:\s+\p{Ll}+)?\s+và\s+)?(?:đề nghị|đề xuất|báo cáo|hướng dẫn|chỉ đạo|trình|thông báo|yêu cầu|có ý kiến|góp ý|thẩm định|phê duyệt)\s+tại\s+(?:các\s+)?\p{L}+(?:\s+\p{L}+){0,3}\s*:?\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// The words that open the name of a kind of Vietnamese state body or office, as a text writes
/// it in running prose: ministries, departments, committees and councils of each level, the
/// Party's and the National Assembly's bodies, their offices and heads, and the enterprises and
/// units that write to them.
const BODY_HEADS: &[&str] = &[
    "Bộ",
    "Sở",
    "Ủy ban",
    "Uỷ ban",
    "UBND",
    "HĐND",
    "UBMTTQ",
    "Chính phủ",
    "Thủ tướng",
    "Phó Thủ tướng",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Thành ủy",
    "Thành uỷ",
    "Huyện ủy",
    "Huyện uỷ",
    "Đảng ủy",
    "Đảng uỷ",
    "Ban",
    "BCĐ",
    "Hội đồng",
    "Văn phòng",
    "Cục",
    "Tổng cục",
    "Chi cục",
    "Vụ",
    "Trung tâm",
    "Phòng",
    "Công ty",
    "Tổng công ty",
    "Tập đoàn",
    "Viện",
    "Học viện",
    "Trường",
    "Đại học",
    "Bệnh viện",
    "Quốc hội",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Giám đốc",
    "Phó Giám đốc",
    "Bộ trưởng",
    "Thứ trưởng",
    "Chánh",
    "Trưởng",
    "Phó Trưởng",
    "Kho bạc",
    "Ngân hàng",
    "Tòa án",
    "Toà án",
    "Kiểm toán",
    "Thanh tra",
    "Công an",
    "Bộ Chỉ huy",
    "Bộ đội",
    "Mặt trận",
    "Liên đoàn",
    "Tổng Liên đoàn",
    "Liên minh",
    "Hội",
    "Hiệp hội",
    "Đoàn",
    "Tổ",
    "Đài",
    "Báo",
    "Bảo hiểm",
    "Cảng vụ",
    "Hải quan",
    "Cơ quan",
    "Quỹ",
    "Thường trực",
    "Ủy ban Thường vụ",
    "Tổng Bí thư",
    "Bí thư",
];

/// The name in `words` of a body that acts in a clause: from the first word that opens the name of
/// a kind of state body or office ([`BODY_HEADS`]) on, after any "được" or "của" ("Kế hoạch của
/// Bộ Y tế được Ủy ban nhân dân tỉnh …" names the committee); `None` where no such word stands,
/// as in a clause that opens "Thực hiện chỉ đạo tại …".
fn body_named(words: &str) -> Option<&str> {
    // A blank line ends a clause: "Kính gửi: Sở Y tế" / "" / "Thực hiện chỉ đạo tại …" names no
    // body (a name wrapped at a line's end goes on: "Sở" / "Tài chính đã tổng hợp …").
    let words = words.rsplit("\n\n").next().unwrap_or(words);
    let words = words.rsplit(" được ").next().unwrap_or(words);
    let words = words.rsplit(" của ").next().unwrap_or(words);
    crate::text::from_each_word(words).find(|rest| {
        BODY_HEADS.iter().any(|head| {
            rest.strip_prefix(head).is_some_and(|after| {
                !after.starts_with(|c: char| c.is_alphanumeric())
                    // A head that is also a common word opens a name only before a capitalised
                    // word: "Ban Chỉ đạo", "Phòng Nội vụ", not "Tổ chức", "Báo cáo", "Ban hành".
                    && (!COMMON_WORD_HEADS.contains(head)
                        || after.split_whitespace().next().is_some_and(|w| w.starts_with(crate::text::is_upper)))
            })
        })
    })
}

/// The heads in [`BODY_HEADS`] that are also the first syllables of common words.
const COMMON_WORD_HEADS: &[&str] = &["Ban", "Báo", "Tổ", "Hội", "Phòng", "Trường", "Vụ", "Đoàn", "Đài", "Quỹ"];

static BOUNDED_AT: LazyLock<Regex> =
    LazyLock::new(|| bounded(&ISSUER_BEFORE_AT, r"([^;.]{3}[^;.]*?)", r"([^;.]{3,120}?)"));
static BOUNDED_HAS: LazyLock<Regex> =
    LazyLock::new(|| bounded(&ISSUER_BEFORE_HAS, r"[^,;.:]{2}[^,;.:]*?)", r"[^,;.:]{2,100}?)"));
static BOUNDED_PAREN: LazyLock<Regex> =
    LazyLock::new(|| bounded(&ISSUER_BEFORE_PAREN, r"[^;.()]{2}[^;.()]*?)", r"[^;.()]{2,120}?)"));
static BOUNDED_VERB_AT: LazyLock<Regex> = LazyLock::new(|| {
    bounded(
        &ISSUER_BEFORE_VERB_AT,
        r"[^,;.:()]{2}[^,;.:()]*?)",
        r"[^,;.:()]{2,100}?)",
    )
});

/// `regex` with its unbounded name group written bounded again.
fn bounded(regex: &Regex, unbounded: &str, bounded: &str) -> Regex {
    let pattern = regex.as_str();
    assert!(pattern.contains(unbounded), "{pattern} holds {unbounded}");
    Regex::new(&pattern.replacen(unbounded, bounded, 1)).expect("valid regex")
}

/// The issuer named in the phrase that ends right before a citation, if one does. Each form is
/// tried only when its words end the text, so most citations cost no pattern at all.
fn issuer_before(near: &str) -> Option<String> {
    // Every form ends in "số" (perhaps "số:"): a citation without it costs nothing more.
    let end = near.trim_end();
    let end = end.strip_suffix(':').unwrap_or(end).trim_end();
    let mut last = end.chars().rev();
    if !(matches!(last.next(), Some('ố' | 'ô' | 'o' | 'Ố' | 'Ô' | 'O')) && matches!(last.next(), Some('s' | 'S')))
    {
        return None;
    }
    let may = MayMatch::new(near);
    let mut tries: Vec<(&Regex, &Regex, usize, usize)> = Vec::new();
    if may.at() {
        tries.push((&ISSUER_BEFORE_AT, &BOUNDED_AT, 120, may.sentence_mark));
    }
    if may.has() {
        tries.push((&ISSUER_BEFORE_HAS, &BOUNDED_HAS, 101, may.clause_start));
    }
    if may.paren() {
        tries.push((&ISSUER_BEFORE_PAREN, &BOUNDED_PAREN, 121, may.sentence_start));
    }
    tries
        .into_iter()
        .find_map(|(regex, bounded, longest, from)| bounded_name(regex, bounded, near, from, longest))
        .or_else(|| {
            let words = may
                .verb_at()
                .then(|| bounded_name(&ISSUER_BEFORE_VERB_AT, &BOUNDED_VERB_AT, near, may.bracket_start, 101))??;
            body_named(&words).map(str::to_owned)
        })
}

/// Which of the phrases before a citation can match the text before it, and from where: none
/// spans a full stop or a semicolon, and some no comma or bracket, so each needs its words after
/// the last of those marks (the words after "của", a subject's name and verb). A pattern runs
/// only where it can match, and is searched only from where its match can start (the reverse
/// search of a pattern that ends the text goes back no further).
struct MayMatch<'a> {
    /// The last 80 characters, lower case.
    tail: String,
    /// Where the last full stop or semicolon is (0 when none is): "; của X tại …" opens with it.
    sentence_mark: usize,
    /// Just after the last full stop or semicolon (0 when none is).
    sentence_start: usize,
    /// Just after the last full stop, semicolon or comma.
    clause_start: usize,
    /// Just after the last full stop, semicolon, comma or bracket.
    bracket_start: usize,
    near: &'a str,
}

impl<'a> MayMatch<'a> {
    fn new(near: &'a str) -> Self {
        // (The marks are ASCII: sought back with memchr.)
        let after = |from: usize, last: Option<usize>| last.map_or(from, |at| from + at + 1);
        let bytes = near.as_bytes();
        let sentence_start = after(0, memchr::memrchr2(b';', b'.', bytes));
        let clause_start = after(sentence_start, memchr::memrchr(b',', &bytes[sentence_start..]));
        MayMatch {
            tail: crate::text::lower(crate::text::head_from_end(near, 80)),
            sentence_mark: sentence_start.saturating_sub(1),
            sentence_start,
            clause_start,
            bracket_start: after(clause_start, memchr::memrchr2(b'(', b')', &bytes[clause_start..])),
            near,
        }
    }

    /// [`ISSUER_BEFORE_AT`]: "tại" (perhaps glued to the name before it) ends one of the last
    /// nine words (after it: "các", four words, "số" and two colons at most).
    fn at(&self) -> bool {
        self.tail.contains("tại")
            && self.near[self.sentence_start..].contains("của")
            && last_words(self.near, 9).any(|w| w.ends_with("tại"))
    }

    /// [`ISSUER_BEFORE_HAS`]: its verb's last word is one of the last fifteen (after it: the
    /// kind in two, nine more words, "số" and a colon at most).
    fn has(&self) -> bool {
        (self.tail.contains("có ") || self.tail.contains("ban hành") || self.tail.contains("thông qua"))
            && ["có", "ban hành", "thông qua"]
                .iter()
                .any(|verb| self.near[self.clause_start..].contains(verb))
            && last_words(self.near, 15).any(|w| matches!(w, "có" | "hành" | "qua"))
    }

    /// [`ISSUER_BEFORE_PAREN`].
    fn paren(&self) -> bool {
        self.tail.contains('(')
    }

    /// [`ISSUER_BEFORE_VERB_AT`]: "tại" is one of the last nine words.
    fn verb_at(&self) -> bool {
        self.tail.contains("tại")
            && self.near[self.bracket_start..].contains("tại")
            && last_words(self.near, 9).any(|w| w == "tại")
    }

    /// [`PASSIVE_BEFORE`], and where its match can start.
    fn passive(near: &str) -> Option<usize> {
        let bytes = near.as_bytes();
        let from = [
            memchr::memrchr3(b',', b';', b'.', bytes),
            memchr::memrchr2(b'(', b')', bytes),
        ]
        .into_iter()
        .flatten()
        .max()
        .map_or(0, |at| at + 1);
        let clause = &near[from..];
        (clause.contains("được") && clause.contains("tại") && last_words(near, 9).any(|w| w == "tại")).then_some(from)
    }
}

/// The last `n` words of a text, last first.
fn last_words(text: &str, n: usize) -> impl Iterator<Item = &str> {
    text.split_whitespace().rev().take(n)
}

/// The first group of `bounded`'s leftmost match in `text`, found with `regex`, the same
/// pattern with the group's length unbounded: every match of `bounded` is one of `regex`, tried
/// in the same order, so when `regex`'s first match has a group of at most `longest` characters
/// it is `bounded`'s first match too. Only when it is longer is `bounded` itself run.
///
/// No match may start before `from`: the search starts there (with what comes before it still
/// seen by the anchors).
fn bounded_name(regex: &Regex, bounded: &Regex, text: &str, from: usize, longest: usize) -> Option<String> {
    // `find` runs on the fast automaton; the groups are read on the match alone.
    let found = regex.find_at(text, from)?;
    let name = regex.captures(&text[found.start()..])?.get(1)?.as_str();
    if name.chars().count() <= longest {
        return Some(name.to_owned());
    }
    let found = bounded.find_at(text, from)?;
    let caps = bounded.captures(&text[found.start()..])?;
    caps.get(1).map(|m| m.as_str().to_owned())
}

/// "được X phê duyệt tại Quyết định số", "được X giao tại văn bản số" just before a citation
/// (the name at most 121 characters).
static PASSIVE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)được\s+(\p{Lu}[^,;.:()]{2}[^,;.:()]*?)\s+tại\s+(?:các\s+)?\p{L}+(?:\s+\p{L}+){0,3}\s*:?\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

static BOUNDED_PASSIVE: LazyLock<Regex> =
    LazyLock::new(|| bounded(&PASSIVE_BEFORE, r"[^,;.:()]{2}[^,;.:()]*?)", r"[^,;.:()]{2,120}?)"));

/// The start of a numbered or bulleted line: `I.`, `1.`, `1.1.`, `a)`, `-`, `+`.
static LIST_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[IVX]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-+•])(?:\s|$)").expect("valid regex"));

/// Words that end an issuer's name written after "của".
const ISSUER_STOPS: &[&str] = &[
    "về",
    "v/v",
    "quy định",
    "hướng dẫn",
    "phê duyệt",
    "ban hành",
    "thực hiện",
    "tại",
    "đã",
    "có",
    "để",
    "trong",
    "theo",
    "đề nghị",
    "gửi",
    "kèm",
    "ngày",
    "nhằm",
    "triển khai",
    "sửa đổi",
    "bổ sung",
    "thay thế",
    "giao",
    "yêu cầu",
    "chỉ đạo",
    "thông báo",
    "cho",
    "đối với",
    "với",
    "là",
    "được",
    "nay",
    "thì",
    "khi",
    "trên",
    "nêu",
    "tiếp tục",
    "số",
    "công bố",
    "kết luận",
];

/// The stops of two words, split once.
static STOP_PAIRS: LazyLock<Vec<(&str, &str)>> =
    LazyLock::new(|| ISSUER_STOPS.iter().filter_map(|stop| stop.split_once(' ')).collect());

/// Verbs of two words that end a name even written with a capital after a capitalised word
/// ("UBND tỉnh Quảng Bình Ban hành điều lệ …"): no body's name holds them.
const VERB_PAIRS: &[(&str, &str)] = &[
    ("ban", "hành"),
    ("quy", "định"),
    ("hướng", "dẫn"),
    ("phê", "duyệt"),
    ("sửa", "đổi"),
    ("công", "bố"),
];

/// Lower-case words that stand inside the names of state bodies and offices ("Ủy ban nhân dân
/// tỉnh", "Bộ trưởng Bộ Y tế", "Tòa án nhân dân tối cao"); any other lower-case word that does
/// not finish a capitalised word ("Giáo dục", "Chính phủ") ends a name.
const NAME_WORDS: &[&str] = &[
    "nhân",
    "dân",
    "tỉnh",
    "thành",
    "phố",
    "huyện",
    "quận",
    "thị",
    "xã",
    "trấn",
    "phường",
    "đặc",
    "khu",
    "trung",
    "ương",
    "nhà",
    "nước",
    "và",
    "trưởng",
    "tướng",
    "phó",
    "tịch",
    "đốc",
    "các",
    "cấp",
    "tối",
    "cao",
    "vực",
    "hội",
    "đồng",
    "cục",
    "ban",
    "bộ",
    "sở",
    "chính",
    "phủ",
    "thường",
    "trực",
    "vụ",
    "công",
    "ty",
    "khóa",
    "khoá",
    "tổng",
    "hàng",
    "án",
    "viện",
    "kiểm",
    "sát",
    // Syllables of ministries' and agencies' names as older texts write them in lower case: "Bộ
    // Giao thông vận tải", "Bộ tài chính", "Kiểm định chất lượng giáo dục".
    "vận",
    "tải",
    "thông",
    "tin",
    "truyền",
    "hành",
    "học",
    "nghệ",
    "binh",
    "thương",
    "nghiệp",
    "nông",
    "thôn",
    "trường",
    "nguyên",
    "tài",
    "đầu",
    "tư",
    "kế",
    "hoạch",
    "giáo",
    "dục",
    "đào",
    "tạo",
    "y",
    "tế",
    "quốc",
    "phòng",
    "ngoại",
    "giao",
    "pháp",
    "văn",
    "hóa",
    "hoá",
    "thể",
    "thao",
    "du",
    "lịch",
    "xây",
    "dựng",
    "khoa",
    "chất",
    "lượng",
    "lao",
    "động",
    // Sessions and terms: "Hội nghị lần thứ sáu Ban Chấp hành Trung ương", "kỳ họp thứ 4".
    "lần",
    "thứ",
    "nhất",
    "hai",
    "ba",
    "bốn",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "kỳ",
    "họp",
];

/// Whether `token` can go on a body's name after `previous`.
fn continues_name(previous: Option<&str>, token: &str) -> bool {
    // The first letter decides most tokens before anything is allocated.
    let Some(first) = token.chars().find(|c| crate::text::is_letter(c)) else {
        return true;
    };
    if crate::text::is_upper(first) {
        return true;
    }
    if token.starts_with('(') {
        return false;
    }
    // (Most tokens are letters only, and are read as they stand.)
    let letters: std::borrow::Cow<str> = if token.chars().all(crate::text::is_letter) {
        std::borrow::Cow::Borrowed(token)
    } else {
        std::borrow::Cow::Owned(token.chars().filter(|c| crate::text::is_letter(c)).collect())
    };
    // Two words glued by a lost space ("vàMôi", "tỉnhNghệ"): the first decides.
    if let Some(cap) = letters
        .char_indices()
        .skip(1)
        .find(|(_, c)| crate::text::is_upper(c))
        .map(|(i, _)| i)
    {
        return continues_name(previous, &letters[..cap]);
    }
    // The second syllable of a capitalised word: "Giáo dục", "Quốc hội", "Việt Nam".
    let after_title = previous.is_some_and(|p| {
        let mut chars = p.chars().filter(|c| crate::text::is_letter(c));
        chars.next().is_some_and(crate::text::is_upper) && chars.all(crate::text::is_lower)
    });
    after_title || NAME_WORDS.contains(&fold_case(&letters).as_str())
}

struct Mention {
    reference: Reference,
    key: (String, String),
    end: usize,
    issuer_from_before: bool,
}

pub fn extract(text: &str, own_number: Option<&str>, own_symbol: Option<&str>) -> Vec<Reference> {
    // Lines are kept, so that an issuer's name cannot run into the next heading. Only a text
    // with brackets can hold an annotation.
    let flat = if text.contains('[') {
        let lines: Vec<std::borrow::Cow<str>> = crate::text::lines(text)
            .map(|l| ANNOTATION.replace_all(l, " "))
            .collect();
        std::borrow::Cow::Owned(lines.join("\n"))
    } else if text.contains('\r') {
        std::borrow::Cow::Owned(text.lines().collect::<Vec<_>>().join("\n"))
    } else {
        // Lines joined again would be the text itself, less one final line break.
        std::borrow::Cow::Borrowed(text.strip_suffix('\n').unwrap_or(text))
    };
    let flat: &str = &flat;
    let own = own_number.zip(own_symbol).map(|(n, s)| key(n, s));
    let mut found: Vec<Reference> = Vec::new();
    // The key of each found reference, computed once.
    let mut found_keys: Vec<(String, String)> = Vec::new();
    let mut previous: Option<Mention> = None;
    let mut seen_list: Option<SeenList> = None;
    // Where in `found` the citations of the list the last one stands on are, in order.
    let mut list_run: Vec<usize> = Vec::new();
    // Matches are found on the fast automaton; the groups are read only for those that can be
    // citations (not the tail of a date or of a longer number).
    for whole in citation_spans(flat) {
        let before = &flat[..whole.start];
        // What stands between the previous citation (with its date) and this one.
        let since_previous = previous
            .as_ref()
            .map(|prev| &flat[prev.end.min(whole.start)..whole.start]);
        // The digits must start a word: not the end of "15/12/2022" or of a longer number —
        // unless "số" is glued to them by a lost space ("quyết định số214-CP").
        let glued_so = before.ends_with("số") || before.ends_with("Số");
        if !glued_so
            && before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '-' || c == '.')
        {
            continue;
        }
        // A citation with no type word of its own goes on a list of citations: "các Công điện
        // số 217/CĐ-TTg, 218/CĐ-TTg và 222/CĐ-TTg" (only separators since the one before).
        // (Not over a line break after ";": "…05-CT/TW;" / "2- Tăng cường …" numbers a
        // paragraph.)
        let (doc_type, inherited) = match cited_type(before) {
            Some(doc_type) => (doc_type, false),
            None => match (&previous, since_previous) {
                (Some(prev), Some(between))
                    if matches!(between.trim(), "," | "và" | ", và" | ";")
                        && !(between.contains(';') && between.contains('\n')) =>
                {
                    (prev.reference.doc_type.clone(), true)
                }
                _ => continue,
            },
        };
        let Some((raw_number, raw_symbol)) = citation_parts(&flat[whole.clone()]) else {
            continue;
        };
        let number = crate::text::plain_number(raw_number);
        let symbol = clean_symbol(raw_symbol);
        if !symbol.chars().any(crate::text::is_letter) || symbol.len() < 2 {
            continue;
        }
        // A citation on a list without its own type word must look like one: a separator in its
        // symbol, or two capitals running ("218/CĐ-TTg", not "2/ Tổ chức"); the type its symbol
        // names comes before the list's.
        let doc_type = if inherited {
            let looks_like_symbol = symbol.contains(['-', '/', '.'])
                || symbol
                    .chars()
                    .zip(symbol.chars().skip(1))
                    .any(|(a, b)| crate::text::is_upper(a) && crate::text::is_upper(b));
            if !looks_like_symbol {
                continue;
            }
            crate::header::type_from_symbol(&symbol).map(str::to_owned).or(doc_type)
        } else {
            doc_type
        };
        let this_key = key(&number, &symbol);
        // The document itself, its symbol perhaps read further than a citation's ("VPCP-V .III").
        let is_own = own.as_ref().is_some_and(|(n, s)| {
            *n == this_key.0
                && (*s == this_key.1
                    || s.strip_prefix(this_key.1.as_str())
                        .is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric())))
        });
        if is_own {
            previous = None;
            continue;
        }
        let mut end = whole.end;
        // A word glued to the symbol ("STC-HCSNngày 28/10/2008") belongs to what follows.
        let raw_symbol = raw_symbol.trim_end();
        let glued = raw_symbol
            .len()
            .saturating_sub(raw_symbol.len() - raw_symbol.trim_end_matches(|c: char| crate::text::is_lower(c)).len());
        if symbol.len() < raw_symbol.len()
            && glued < raw_symbol.len()
            && !symbol.ends_with(|c: char| crate::text::is_lower(c))
        {
            end -= raw_symbol.len() - glued;
        }
        let rest = &flat[end..];
        let (date, used) = date_after(rest);
        end += used;
        // "Ngày 28 tháng 10 năm 2025, Bộ Nội vụ ban hành Công văn số 3280/…": a date that opens
        // the citation's sentence is its date.
        // "… nhận văn bản đề ngày 29 tháng 10 năm 2025 số 16/CV-HHTACN": a date written right
        // before the citation's "số" is its own, before one that opens the sentence.
        let date = date
            .or_else(|| date_before_number(before))
            .or_else(|| date_opening_sentence(before));
        // (A Party resolution's symbol ends in "TW": "36-NQ/TW".)
        let party_resolution = symbol.ends_with("/TW") || symbol.ends_with("-TW");
        let mut issuer = issuer_after(&flat[end..], party_resolution);
        // "Nghị quyết số 46/NQ-CP của Chính phủ ngày 08 tháng 3 năm 2025": the date after the
        // issuer's name.
        let date = match (date, &issuer) {
            (None, Some(name)) => {
                let from = flat[end..].trim_start_matches(|c: char| c.is_whitespace() || c == ',');
                after_words(from, name.split_whitespace().count() + 1)
                    // Only a date right after the name, not one after a comma that opens another
                    // clause.
                    .filter(|rest| {
                        rest.trim_start().starts_with("ngày") && !from[..from.len() - rest.len()].ends_with(',')
                    })
                    .and_then(|rest| date_after(rest).0)
            }
            (date, _) => date,
        };
        let mut issuer_from_before = false;
        // The phrases before a citation are read in the last few hundred characters only, so
        // that reading stays linear in the length of the text.
        let near = crate::text::last_chars(before, 301);
        // `find` runs on the fast automaton; the groups are read on the match alone.
        if issuer.is_none()
            && let Some(name) = issuer_before(near)
        {
            // The name nearest the citation: "đề nghị của A tại Tờ trình số … và của B tại Tờ
            // trình số" gives B.
            let name = name.as_str();
            let name = name.rsplit(" của ").next().unwrap_or(name);
            let name = name.rsplit("\ncủa ").next().unwrap_or(name);
            // "của A tại văn bản số …, B tại văn bản số": the name nearest the citation.
            let name = if name.contains(" tại ") {
                name.rsplit([',', ';']).next().unwrap_or(name).trim()
            } else {
                name
            };
            // A body's name opens with a capital, and goes on after a comma only with one ("Bộ Văn
            // hóa, Thể thao và Du lịch"): "… của Sở Y tế, các quy định tại Luật Đấu thầu số" names
            // no body.
            let nearest = match name.rsplit_once(',') {
                Some((_, after)) if after.trim_start().starts_with(crate::text::is_lower) => after,
                _ => name,
            };
            if !nearest.trim_start().starts_with(crate::text::is_lower) {
                issuer = Some(joint_issuer(near, name).unwrap_or_else(|| squash(name)));
                issuer_from_before = issuer.is_some();
            }
        }
        // "… đã được Thủ tướng Chính phủ phê duyệt tại Quyết định số …".
        if issuer.is_none()
            && let Some(from) = MayMatch::passive(near)
            && let Some(name) = bounded_name(&PASSIVE_BEFORE, &BOUNDED_PASSIVE, near, from, 121)
        {
            issuer = read_name(&name);
            issuer_from_before = issuer.is_some();
        }
        // Whether this citation goes on the list of the previous one: after "," or "và", or
        // after ";" when its own "số" follows ("Các Công điện: số 007/CĐ-UBND …, số 008/CĐ-UBND
        // và số 009/CĐ-UBND …; số 010/CĐ-UBND …"), or as the next of items described at length,
        // each opening with its own "số" ("… số 36/QĐ-TTg ngày … về việc …; số 1569/QĐ-TTg").
        let between = since_previous.map(str::trim);
        let described = between.is_some_and(described_item);
        let on_list = between.is_some_and(|between| {
            let items = between.starts_with("và ")
                || between.starts_with(',')
                || (between.starts_with(';') && between[1..].trim_start().starts_with("số"));
            (items && between.split_whitespace().count() <= 5) || described
        });
        // "… tại Tờ trình số 33/… ngày … và Tờ trình số 42/…": the second shares the first's issuer.
        if issuer.is_none()
            && let (Some(prev), Some(between)) = (&previous, between)
            && prev.issuer_from_before
            && (((between.starts_with("và ") || between.starts_with(',')) && between.split_whitespace().count() <= 4)
                || described)
        {
            issuer = prev.reference.issuer_text.clone();
            issuer_from_before = true;
        }
        // Named in the clause of the previous citation: "… ngày 04/9/2013 … về thực hiện Nghị
        // quyết số 25-NQ/TW".
        let carried_out_by = previous.as_ref().zip(since_previous).and_then(|(prev, between)| {
            let in_clause =
                between.chars().count() < 160 && !between.contains([';', '.']) && between.contains("thực hiện");
            in_clause
                .then(|| found_keys.iter().position(|k| *k == prev.key))
                .flatten()
        });
        // "Căn cứ các Nghị định của Chính phủ: Nghị định số …; Nghị định số …": the list's
        // issuer, named before its colon.
        // ("…: số 78/2025/NĐ-CP …; số 187/2025/NĐ-CP": an item without its type word is of the
        // type its symbol names.)
        let list_type = doc_type.as_deref().or_else(|| crate::header::type_from_symbol(&symbol));
        if issuer.is_none()
            && let Some(name) = issuer_of_list(before, list_type, &mut seen_list)
                .or_else(|| issuer_of_bracketed_list(before, list_type))
        {
            issuer = Some(name);
            // The list's issuer is the list's, not to be handed back to a citation before it.
            issuer_from_before = true;
        }
        // "… Thông tư số 08/… và Thông tư số 09/… của Bộ Xây dựng": one "của X" after citations
        // on one list names the issuer of each before it that names none.
        if let (Some(name), Some(prev)) = (&issuer, &previous)
            && !issuer_from_before
            && prev.reference.issuer_text.is_none()
            && on_list
        {
            // The one before takes it whatever its kind ("Chỉ thị số 31-CT/TU …, Kế hoạch số
            // 134-KH/TU … của Ban Thường vụ Tỉnh ủy"); further back, only items of the same kind
            // (or of none named): "Luật … số 31/2024/QH15, Nghị định số 102/…, Thông tư số 10/…
            // của Bộ Tài nguyên và Môi trường" leaves the law's.
            for (step, &at) in list_run.iter().rev().enumerate() {
                let same_kind = found[at].doc_type.is_none() || found[at].doc_type == doc_type;
                if found[at].issuer_text.is_some() || (step > 0 && !same_kind) {
                    break;
                }
                found[at].issuer_text = Some(name.clone());
                if !same_kind {
                    break;
                }
            }
        }
        let reference = Reference {
            doc_type: doc_type.clone(),
            number,
            symbol,
            date,
            issuer_text: issuer,
            carried_out_by,
        };
        let this_at = found_keys.iter().position(|k| *k == this_key).unwrap_or(found.len());
        if !on_list {
            list_run.clear();
        }
        list_run.push(this_at);
        match found_keys.iter().position(|k| *k == this_key).map(|at| &mut found[at]) {
            Some(existing) => {
                if existing.date.is_none() {
                    existing.date = reference.date;
                }
                if existing.issuer_text.is_none() {
                    existing.issuer_text = reference.issuer_text.clone();
                }
                if existing.doc_type.is_none() {
                    existing.doc_type = reference.doc_type.clone();
                }
                if existing.carried_out_by.is_none() {
                    existing.carried_out_by = reference.carried_out_by;
                }
            }
            None => {
                found.push(reference.clone());
                found_keys.push(this_key.clone());
            }
        }
        previous = Some(Mention {
            reference,
            key: this_key,
            end,
            issuer_from_before,
        });
    }
    found
}

/// "các Nghị định của Chính phủ:", a list's kind and issuer before its colon.
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[Cc]ác\s+(\p{L}+\s+\p{L}+)(?:\s+[^:;.()]{1,60}?)?\s+của\s+(\p{Lu}[^:;.()]{2,120}?)\s*:")
        .expect("valid regex")
});

/// Whether [`LIST`] can match in a text: it holds "các" and "của".
fn may_list(lead: &str) -> bool {
    (lead.contains("các") || lead.contains("Các")) && lead.contains("của")
}

/// Bodies that issued a document together, named one after another before the clause's verb:
/// "Bộ Chính trị, Ban Bí thư đã có Kết luận số …". `name` is the last, as the phrase read it; the
/// one before its comma is joined to it when it names a kind of state body.
fn joint_issuer(near: &str, name: &str) -> Option<String> {
    let before = near[..near.rfind(name)?].trim_end().strip_suffix(',')?;
    let start = before
        .rfind(['.', ';', ':', ',', '(', ')', '“', '"'])
        .map_or(0, |at| at + before[at..].chars().next().map_or(1, char::len_utf8));
    let segment = &before[start..];
    let first = body_named(segment)?;
    // The segment is that name alone (after a footnote's mark, "[2]"), not a clause that names
    // it ("Theo báo cáo của Sở Y tế, Bộ Y tế đã có …").
    let lead = segment[..segment.len() - first.len()].trim();
    let footnote = lead
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    // ... and the name is all of what follows ("Sở Nội vụ có Văn bản số …, Sở Tài chính có …"
    // is two clauses).
    let whole = read_name(first).is_some_and(|read| read == squash(first));
    (whole && (lead.is_empty() || footnote)).then(|| squash(&format!("{first}, {name}")))
}

/// Whether the text between two citations ends one item of a list described at length and
/// opens the next with its own "số": "… ngày 11/01/2024 về việc quy hoạch …; số", "… và số".
/// Not across a sentence, a paragraph or a new legal basis.
fn described_item(between: &str) -> bool {
    let Some(before_so) = between.strip_suffix("số") else {
        return false;
    };
    let before_so = before_so.trim_end();
    (before_so.ends_with([';', ',']) || before_so.ends_with(" và"))
        && between.chars().count() <= 300
        && !between.contains(". ")
        && !between.contains(".\n")
        && !between.contains("\n\n")
        && !fold_case(between).contains("căn cứ")
}

/// The issuer a list of citations names before its colon ("các Nghị định của Chính phủ: …"),
/// when the citation of that type stands in that list: no full stop, blank line or new clause
/// ("Căn cứ", "Theo đề nghị", "Xét") between the colon and it.
fn issuer_of_list(before: &str, doc_type: Option<&str>, seen: &mut Option<SeenList>) -> Option<String> {
    // The list's colon is the last one before the citation, and "các" stands a few words
    // before it: only then is the pattern run, on those words alone.
    let window = crate::text::head_from_end(before, 2000);
    let window_start = before.len() - window.len();
    let colon = window.rfind(':')?;
    let lead = crate::text::head_from_end(&window[..colon + 1], 200);
    let lead_start = window_start + colon + 1 - lead.len();
    // The citations of one list share its words: they are read once (`seen` keeps the last).
    let span = (lead_start, lead_start + lead.len());
    let head = match seen {
        Some(list) if list.span == span => list.head.as_ref(),
        _ => {
            // ("Các Văn bản thẩm định và tham gia ý kiến của Sở Tư pháp: Số 294/…": words may
            // qualify the list's kind before "của".)
            let head = may_list(lead)
                .then(|| {
                    // (The last match found, its groups read on it alone.)
                    let last = LIST.find_iter(lead).last()?;
                    let caps = LIST.captures_at(lead, last.start())?;
                    Some(ListHead {
                        end: lead_start + caps.get(0)?.end(),
                        listed: fold_case(&caps[1]),
                        name: caps[2].trim().to_owned(),
                    })
                })
                .flatten();
            seen.insert(SeenList { span, head }).head.as_ref()
        }
    }?;
    let list_end = head.end - window_start;
    list_goes_on(&head.listed, doc_type?, &window[list_end..]).then(|| read_name(&head.name))?
}

/// The issuer a list of citations in brackets names before them: "các Nghị định của Chính phủ
/// quy định chi tiết … (Số 37/2019/NĐ-CP, số 58/2023/NĐ-CP …)", "các Quyết định của Bộ trưởng
/// Bộ Văn hóa, Thể thao và Du lịch phê duyệt … (Số 1226/QĐ-BVHTTDL …)": the bracket still open
/// at the citation, and what the issuer did, after its name, ends the name.
fn issuer_of_bracketed_list(before: &str, doc_type: Option<&str>) -> Option<String> {
    static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[Cc]ác\s+(\p{L}+\s+\p{L}+)\s+của\s+(\p{Lu}[^:;.()]*?)\s*$").expect("valid regex")
    });
    let window = crate::text::head_from_end(before, 2000);
    let open = memchr::memrchr(b'(', window.as_bytes())?;
    if window[open..].contains(')') {
        return None;
    }
    let lead = crate::text::head_from_end(&window[..open], 300);
    if !may_list(lead) {
        return None;
    }
    let doc_type = doc_type?;
    let caps = BRACKETED.captures(lead)?;
    if !list_goes_on(&fold_case(&caps[1]), doc_type, &window[open..]) {
        return None;
    }
    let name = read_name(&caps[2])?;
    // What the body did, between its name and the bracket, names no other body: "các Quyết
    // định của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh đã ban hành … (Quyết định số …)" does.
    let did = squash(&caps[2]);
    let rest = did.strip_prefix(name.as_str()).unwrap_or(&did);
    body_named(rest).is_none().then_some(name)
}

/// Whether a list of the kind `listed` holds a citation of `doc_type` with `between` between
/// the list's opening and it: the same kind ("văn bản" lists any), and no new sentence, clause
/// or paragraph between.
fn list_goes_on(listed: &str, doc_type: &str, between: &str) -> bool {
    // "các văn bản của X:" lists documents of any type.
    let same_type = listed == fold_case(doc_type) || listed == "văn bản";
    if !same_type {
        return false;
    }
    let new_clause = between.lines().skip(1).any(|line| {
        let line = line.trim_start();
        line.is_empty() || ["Căn cứ", "Theo đề nghị", "Xét"].iter().any(|o| line.starts_with(o))
    }) || {
        let folded = fold_case(between);
        ["căn cứ", "theo đề nghị", "xét đề nghị"]
            .iter()
            .any(|o| folded.contains(o))
    };
    !(new_clause || between.contains(". ") || between.contains(".\n"))
}

/// Where a name stands in a steering committee's remit (`read_name`).
#[derive(Default)]
struct Remit {
    /// The name so far ends in "Ban Chỉ đạo" and what follows it.
    open: bool,
    /// A word of the remit in lower case has been read (not its level: "tỉnh", "trung ương").
    started: bool,
    /// Its "về" has been read.
    about: bool,
    /// The words after "Ban Chỉ đạo" list subjects ("phát triển khoa học, công nghệ, …"):
    /// without "về", only such a list is a remit ("Ban Chỉ đạo tỉnh kết luận …" is not).
    enumerates: bool,
}

impl Remit {
    /// Whether the name is being read as a remit: after its "về", or through its list.
    fn reads(&self) -> bool {
        self.open && (self.about || self.enumerates)
    }

    /// Notes the word just taken into the name, as written, with the words after it.
    fn took(&mut self, words: &[&str], word: &str, ahead: &[&str]) {
        if !self.open {
            self.open = words.len() >= 3 && fold_case(&words[words.len() - 3..].join(" ")) == "ban chỉ đạo";
            self.enumerates = self.open && enumerates(ahead);
            return;
        }
        if word == "về" {
            self.about = true;
        } else if word.starts_with(crate::text::is_lower)
            && !matches!(
                word,
                "tỉnh" | "huyện" | "xã" | "thành" | "phố" | "quận" | "phường" | "trung" | "ương" | "nhà" | "nước"
            )
        {
            self.started = true;
        }
    }
}

/// Whether the words ahead list subjects in lower case ("…, công nghệ", "… và chuyển đổi số")
/// before a stop word or the end of a clause.
fn enumerates(ahead: &[&str]) -> bool {
    for (k, token) in ahead.iter().enumerate().take(14) {
        let next_lower = ahead.get(k + 1).is_some_and(|t| t.starts_with(crate::text::is_lower));
        if (token.ends_with(',') || *token == "và") && next_lower {
            return true;
        }
        let word = fold_case(token.trim_end_matches([',', ';', ':', '.']));
        if token.ends_with([';', '.', ':']) || (word != "số" && ISSUER_STOPS.contains(&word.as_str())) {
            return false;
        }
    }
    false
}

/// The list of citations last read before a citation: where its words stand in the text, and
/// what they name.
struct SeenList {
    span: (usize, usize),
    head: Option<ListHead>,
}

/// A list's kind and issuer, named before its colon ("các Nghị định của Chính phủ:").
struct ListHead {
    /// Where the list's words end, in the text.
    end: usize,
    /// The kind listed, folded.
    listed: String,
    /// The words naming its issuer.
    name: String,
}

/// A date written right before the "số" that `before` ends in: "… văn bản đề ngày 29 tháng 10
/// năm 2025 số".
fn date_before_number(before: &str) -> Option<crate::DocDate> {
    let near = crate::text::last_chars(before, 80);
    let at = near.rfind("ngày")?;
    let (date, len) = date_after_ngay(&near[at..])?;
    let rest = near[at + len..].trim();
    let rest = rest.strip_suffix(':').unwrap_or(rest).trim_end();
    matches!(rest, "số" | "Số").then_some(date)
}

/// The date that opens the sentence `before` ends in ("Ngày 28 tháng 10 năm 2025, …"), when no
/// other citation stands between it and the end.
fn date_opening_sentence(before: &str) -> Option<crate::DocDate> {
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
fn key(number: &str, symbol: &str) -> (String, String) {
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
fn cited_type(before: &str) -> Option<Option<String>> {
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
    // "so" is how OCR often reads "số"; it counts only after a type word.
    let ocr_so = (lead.starts_with("so") || lead.starts_with("sô")) && !lead.starts_with("số");
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
fn date_after(rest: &str) -> (Option<crate::DocDate>, usize) {
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let skipped = rest.len() - trimmed.len();
    match date_after_ngay(trimmed) {
        Some((date, len)) => (Some(date), skipped + len),
        None => (None, 0),
    }
}

/// What follows the first `n` words of `text`.
fn after_words(text: &str, n: usize) -> Option<&str> {
    let mut rest = text;
    for _ in 0..n {
        rest = rest.trim_start();
        let word_end = rest.find(char::is_whitespace)?;
        rest = &rest[word_end..];
    }
    Some(rest)
}

/// The issuer written right after a citation: "của X".
fn issuer_after(rest: &str, party_resolution: bool) -> Option<String> {
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    if party_resolution && let Some(name) = conference_issuer(trimmed) {
        return Some(name);
    }
    let lower = trimmed.chars().take(4).collect::<String>().to_lowercase();
    if !(lower.starts_with("của") && lower.chars().nth(3).is_some_and(char::is_whitespace)) {
        return None;
    }
    read_name(trimmed["của".len()..].trim_start())
}

/// The body whose plenary conference adopted a Party resolution, named after it: "Nghị quyết
/// số 36-NQ/TW ngày 22/10/2018, Hội nghị lần thứ 8 của Ban Chấp hành Trung ương Đảng khóa XII
/// về …", "… Hội nghị lần thứ tám Ban chấp hành Trung ương Đảng khóa XII".
fn conference_issuer(text: &str) -> Option<String> {
    if !crate::text::starts_with_ci(text, "hội nghị") {
        return None;
    }
    // ("Hội nghị" is as long in either case.)
    let mut rest = text.get("hội nghị".len()..)?.trim_start();
    if let Some(after) = rest.strip_prefix("lần thứ") {
        // The session's number, in figures or in words ("8", "tám", "mười hai"): three words at
        // most.
        const NUMBER_WORDS: &[&str] = &[
            "nhất", "một", "hai", "ba", "bốn", "tư", "năm", "lăm", "sáu", "bảy", "tám", "chín", "mười", "mươi",
        ];
        rest = after.trim_start();
        for _ in 0..3 {
            match rest.split_whitespace().next() {
                Some(word) if word.bytes().all(|b| b.is_ascii_digit()) || NUMBER_WORDS.contains(&word) => {
                    rest = rest[word.len()..].trim_start();
                }
                _ => break,
            }
        }
    }
    let rest = rest.strip_prefix("của").map_or(rest, str::trim_start);
    // A body's name, from its head ("Ban Chấp hành …"): not "Hội nghị Trung ương 8".
    read_name(rest).filter(|name| body_named(name).is_some_and(|body| body.len() == name.len()))
}

/// A body's name at the start of `after`, read as far as the words can stand in a name.
fn read_name(after: &str) -> Option<String> {
    if !after.chars().next().is_some_and(crate::text::is_upper) {
        return None;
    }
    // A name is a few dozen words at most: only that much of the text is looked at, so that
    // reading a citation does not cost the length of the rest of the document.
    let after = crate::text::head(after, 600);
    // A table's cell ends a name: "… của Bộ Tài chính" / "|" / "Sở Tài chính" is two cells.
    let after = after.split('|').next().unwrap_or(after);
    // A name continues on the next line only when that line goes on with it ("của Chính\nphủ"),
    // not when it starts a heading, an item or a new paragraph.
    let mut end = after.len();
    for (at, _) in after.match_indices('\n') {
        let next = after[at + 1..].trim_start_matches([' ', '\t']);
        let first_word = next.split_whitespace().next().unwrap_or("");
        // Only a line opening with a numeral, a bullet or a letter and its bracket can be an item.
        let mut opening = next.chars();
        let starts_item = match (opening.next(), opening.next()) {
            (Some(c), _) if c.is_numeric() || matches!(c, 'I' | 'V' | 'X' | '-' | '+' | '•') => true,
            (Some(_), Some(')')) => true,
            _ => false,
        } && LIST_MARKER.is_match(crate::text::head(next, 16));
        let blank = next.starts_with('\n') || next.is_empty();
        // A line in capitals after a name in capitals goes on with it: a title wraps its
        // issuer's name ("… CỦA HỘI ĐỒNG NHÂN DÂN TỈNH THỪA" / "THIÊN HUẾ QUY ĐỊNH …").
        // A name in capitals goes on only with a line in capitals ("… ỦY BAN NHÂN DÂN" / "TỈNH"
        // / "Căn cứ …" ends after "TỈNH").
        let name_in_capitals = is_upper_word(&after[..at]);
        // A line that opens another body's name or a position is the authority printed under a
        // title, not the rest of the name: "… CỦA UBND TỈNH NGHỆ AN" / "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN".
        let opens_authority = || {
            const HEADS: &[&str] = &[
                "ỦY BAN",
                "UỶ BAN",
                "UBND",
                "HỘI ĐỒNG",
                "HĐND",
                "CHỦ TỊCH",
                "BỘ TRƯỞNG",
                "THỦ TƯỚNG",
                "CHÍNH PHỦ",
                "QUỐC HỘI",
                "BỘ ",
                "SỞ ",
                "BAN ",
                "KHÓA ",
                "KHOÁ ",
                "KỲ HỌP",
            ];
            HEADS.iter().any(|h| next.starts_with(h))
        };
        let heading = if name_in_capitals {
            !is_upper_word(first_word) || opens_authority()
        } else {
            first_word.chars().filter(|c| crate::text::is_letter(c)).count() > 1 && is_upper_word(first_word)
        };
        if starts_item || blank || heading {
            end = at;
            break;
        }
    }
    // The first word of the line a cut name would have run on to.
    let next_line_word = after[end..].split_whitespace().next().map(fold_case);
    let after = &after[..end];
    let mut words: Vec<&str> = Vec::new();
    let tokens: Vec<&str> = after.split_whitespace().take(30).collect();
    // Each token folded once; a name stops within its first sixteen words or so.
    let mut folded_tokens: Vec<String> = Vec::with_capacity(tokens.len());
    let fold_upto = |folded_tokens: &mut Vec<String>, n: usize| {
        while folded_tokens.len() < n.min(tokens.len()) {
            folded_tokens.push(fold_case(tokens[folded_tokens.len()]));
        }
    };
    let mut i = 0;
    let mut depth = 0i32;
    // A steering committee is named with its remit, in lower case through commas and "và":
    // "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi
    // số", "Ban Chỉ đạo Nhà nước về Du lịch". Its level may come first ("Trung ương", "tỉnh"),
    // then one "về"; the remit ends at a stop word, a second "về", or a comma before a name.
    let mut remit = Remit::default();
    while i < tokens.len() && words.len() < if remit.reads() { 30 } else { 16 } {
        let token = tokens[i];
        fold_upto(&mut folded_tokens, i + 2);
        let folded = folded_tokens[i].as_str();
        let next = folded_tokens.get(i + 1).map_or("", String::as_str);
        let stop_word = |word: &str| ISSUER_STOPS.contains(&word);
        // The next word without the punctuation after it: "SỬA ĐỔI, BỔ SUNG".
        let next = next.trim_end_matches([',', ';', ':', '.']);
        let pair_is_stop = || STOP_PAIRS.contains(&(folded, next));
        // A capitalised stop word right after a capitalised word is part of a name ("Bộ Giao
        // thông vận tải"), not the start of what follows it ("Chính phủ Hướng dẫn").
        let title_case = |t: &str| {
            if t.contains('/') {
                return false;
            }
            let mut letters = t.chars().filter(|c| crate::text::is_letter(c));
            letters.next().is_some_and(crate::text::is_upper) && letters.all(crate::text::is_lower)
        };
        // A name in capitals ("CỦA CHÍNH PHỦ THỰC HIỆN …") ends at the same words.
        let lower_case = !(title_case(token) && i > 0 && title_case(tokens[i - 1]))
            || is_upper_word(token)
            || VERB_PAIRS.contains(&(folded, next));
        // "giao" after "Ngoại" is its second syllable ("Bộ Ngoại giao"); after another name it
        // is the verb ("UBND tỉnh Quảng Ninh giao Sở Nội vụ").
        let second_syllable = folded == "giao" && i > 0 && folded_tokens[i - 1] == "ngoại";
        // "HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ (NAY THÀNH PHỐ HUẾ)": what the body is now is a
        // note on the name, not part of it.
        if !words.is_empty() && depth == 0 && matches!(token, "(nay" | "(NAY" | "(Nay") {
            break;
        }
        // "UBND tỉnh Quảng Trị (cũ)": the former body, named as it was.
        if !words.is_empty() && depth == 0 && matches!(token.trim_end_matches([',', ';', ':', '.']), "(cũ)" | "(CŨ)")
        {
            words.push(token.trim_end_matches([',', ';', ':', '.']));
            break;
        }
        // "Ban chấp hành Đảng bộ tỉnh": the pair goes on a name ("chấp thuận", "thi hành" end it).
        let charter =
            (folded == "chấp" && next == "hành") || (folded == "hành" && i > 0 && folded_tokens[i - 1] == "chấp");
        // "Ban chỉ đạo", "Tổ giúp việc": a kind of body, not the verb "chỉ đạo" or the noun "việc".
        let before = |back: usize| i.checked_sub(back).map_or("", |j| folded_tokens[j].as_str());
        let kind_of_body = (folded == "chỉ" && next == "đạo" && before(1) == "ban")
            || (folded == "đạo" && before(1) == "chỉ" && before(2) == "ban")
            || (folded == "việc" && before(1) == "giúp");
        // Within a remit: its one "về", and "số" that no number follows ("chuyển đổi số").
        // ("về việc" opens a subject, not a remit.)
        let remit_word = remit.open
            && ((folded == "về" && next != "việc" && !remit.started && !remit.about)
                || (remit.reads()
                    && folded == "số"
                    && !tokens
                        .get(i + 1)
                        .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()))));
        let stop = !charter
            && !second_syllable
            && !kind_of_body
            && !remit_word
            && depth == 0
            && ((lower_case && (stop_word(folded) || pair_is_stop()))
                || (folded == "và"
                    // (Within a remit, "và" and a lower-case subject go on: "… cải cách hành
                    // chính và đề án 06".)
                    && !(remit.reads()
                        && remit.started
                        && tokens.get(i + 1).is_some_and(|t| t.starts_with(crate::text::is_lower)))
                    && ({
                        // (As many words as the longest type word has are enough.)
                        let rest = fold_case(
                            &tokens[i + 1..]
                                .iter()
                                .take(LONGEST_TYPE_WORD)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(" "),
                        );
                        FOLDED_TYPE_WORDS.iter().any(|t| rest.starts_with(t.as_str()))
                    } || tokens
                        .get(i + 1)
                        .is_none_or(|t| !t.chars().next().is_some_and(crate::text::is_upper))))
                || token.starts_with(['“', '"', '‘', '[', '”'])
                // (What the committee agreed ends its remit: "… về du lịch thống nhất …".)
                || (remit.reads() && folded == "thống" && next == "nhất")
                || (depth == 0 && !remit.reads() && !continues_name(i.checked_sub(1).map(|j| tokens[j]), token)));
        if stop {
            break;
        }
        depth += token.matches('(').count() as i32 - token.matches(')').count() as i32;
        // A parenthesis closed that the name did not open ends it: "… Môi trường)./".
        if depth < 0 {
            let clean = token[..token.find(')').unwrap_or(token.len())].trim_end_matches([',', ';', ':', '.']);
            if !clean.is_empty() {
                words.push(clean);
            }
            break;
        }
        let ends = depth <= 0 && token.ends_with([',', ';', ':', '.', '”', '"']);
        let clean = token.trim_end_matches([',', ';', ':', '.', '”', '"']);
        if !clean.is_empty() {
            words.push(clean);
        }
        remit.took(&words, clean, &tokens[i + 1..]);
        if ends {
            // "Văn hóa, Thể thao và Du lịch" keeps its comma, and so does an office held with
            // another: "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ".
            let second_office = || {
                let office = fold_case(&words[words.len().saturating_sub(2)..].join(" "));
                matches!(
                    office.as_str(),
                    "bộ trưởng" | "thứ trưởng" | "phó thủ tướng" | "thủ tướng"
                ) && tokens
                    .get(i + 1)
                    .is_some_and(|t| matches!(*t, "Chủ" | "Thủ" | "Trưởng" | "Tổng" | "Chánh"))
            };
            // A remit goes on after its comma with another lower-case subject ("khoa học, công
            // nghệ"), not with a name or "các …".
            let remit_goes_on = || {
                remit.reads()
                    && remit.started
                    && tokens.get(i + 1).is_some_and(|t| t.starts_with(crate::text::is_lower))
                    && !matches!(folded_tokens.get(i + 1).map(String::as_str), Some("các" | "những"))
            };
            let continues =
                token.ends_with(',') && (tokens.get(i + 1) == Some(&"Thể") || second_office() || remit_goes_on());
            if !continues {
                break;
            }
            let last = words.len() - 1;
            words[last] = token;
        }
        i += 1;
    }
    // A name cut at a line break may end with the first word of a phrase that follows it
    // ("CỦA CHÍNH PHỦ THỰC" / "HIỆN …"): that word is not the name's.
    if words.len() > 1
        && let Some(next) = &next_line_word
        && words.last().is_some_and(|w| {
            let folded = fold_case(w);
            STOP_PAIRS.contains(&(folded.as_str(), next.as_str()))
        })
    {
        words.pop();
    }
    let issuer = squash(&words.join(" "));
    (!issuer.is_empty()).then_some(issuer)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn citation_spans_are_the_pattern_s_matches(text in "[0-9０-９a-zA-ZđĐốỐ./\\- \u{a0}&–\n]{0,40}") {
            let spans: Vec<_> = citation_spans(&text).collect();
            let found: Vec<_> = CITATION.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(&spans, &found);
            for span in spans {
                let caps = CITATION_AT_START.captures(&text[span.clone()]).expect("a match");
                proptest::prop_assert_eq!(
                    citation_parts(&text[span]),
                    Some((caps.get(1).expect("number").as_str(), caps.get(3).expect("symbol").as_str()))
                );
            }
        }
    }

    #[test]
    fn citation_spans_match_the_pattern_on_real_shapes() {
        for text in [
            "Công văn số 2071/UBND-NC ngày 15/12/2022 và 25-NQ/TW; 119- KH/TU, số 33/2009/QĐ-UBND",
            "1.2.3/UB, 12a/QĐ, ngày 01-02-2023 - Lưu: VT. 5 /CT-TTg 7 - KH. 66.17/2026/NQ-CP",
            "- a\n-\n12 12/\n/ABC 3/ 4-Đ ３/TW",
        ] {
            let spans: Vec<_> = citation_spans(text).collect();
            let found: Vec<_> = CITATION.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(spans, found, "{text}");
            assert!(!spans.is_empty());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// A phrase is never skipped where its pattern matches, and its search from where its
        /// match can start finds what the whole search finds.
        #[test]
        fn every_phrase_that_matches_may_match(words in proptest::collection::vec(proptest::sample::select(vec![
            "của", "Sở Y tế", "Bộ Tài chính", "tại", "Văn bản", "Công văn", "số", "số:", "được", "có", "đã",
            "ban hành", "thông qua", "đề nghị", "báo cáo", "và", "về việc", ",", ";", ".", ":", "(", ")",
            "),", "Thủ tướng", "phê duyệt", "Quyết định", "\n", "các", "Latại", "về", "Kế hoạch hành động",
        ]), 0..14), ending in proptest::sample::select(vec![
            "", "tại Văn bản số", "tại Văn bản số:", "có Công văn số", "ban hành Quyết định số",
            "(công văn số", "phê duyệt tại Quyết định số", "tại các Chương trình hành động của Tỉnh ủy số",
            "tại các Chương trình hành động tỉnh : số :", "có Kế hoạch liên ngành Bộ Tài chính và các sở số",
            "thông qua Luật Tổ chức chính quyền địa phương số",
            "Sở Y tế có Công văn liên ngành Bộ tài chính và các sở về số :",
            "Sở Y tế tại các Chương trình hành động : số :",
        ])) {
            let near = format!("{} {ending}", words.join(" "));
            let may = MayMatch::new(&near);
            let passive = MayMatch::passive(&near);
            for (regex, may_match, from) in [
                (&*ISSUER_BEFORE_AT, may.at(), may.sentence_mark),
                (&*BOUNDED_AT, may.at(), may.sentence_mark),
                (&*ISSUER_BEFORE_HAS, may.has(), may.clause_start),
                (&*BOUNDED_HAS, may.has(), may.clause_start),
                (&*ISSUER_BEFORE_PAREN, may.paren(), may.sentence_start),
                (&*BOUNDED_PAREN, may.paren(), may.sentence_start),
                (&*ISSUER_BEFORE_VERB_AT, may.verb_at(), may.bracket_start),
                (&*BOUNDED_VERB_AT, may.verb_at(), may.bracket_start),
                (&*PASSIVE_BEFORE, passive.is_some(), passive.unwrap_or(0)),
                (&*BOUNDED_PASSIVE, passive.is_some(), passive.unwrap_or(0)),
            ] {
                let found = regex.find(&near);
                proptest::prop_assert!(found.is_none() || may_match, "{near:?}");
                if may_match {
                    proptest::prop_assert_eq!(regex.find_at(&near, from), found, "{:?}", near);
                }
            }
        }
    }

    proptest::proptest! {
        /// A list's words are never skipped where its pattern matches.
        #[test]
        fn every_list_that_matches_may_match(words in proptest::collection::vec(proptest::sample::select(vec![
            "các", "Các", "Nghị định", "văn bản", "của", "Chính phủ", "Sở Tư pháp", " ", "\n", ":", ";", ".", "(", ")",
            "thẩm định và tham gia ý kiến", "x",
        ]), 0..12)) {
            let lead = format!("{}:", words.join(" "));
            proptest::prop_assert!(!LIST.is_match(&lead) || may_list(&lead), "{lead:?}");
        }
    }

    #[test]
    fn a_name_too_long_from_one_start_is_read_as_the_bounded_pattern_reads_it() {
        // From "đề nghị của" the only name runs to the last "tại", over 120 characters; the
        // bounded pattern starts at the later ", của" instead and reads "Sở " (three characters
        // at least, the space kept; the caller squashes it).
        let near = format!("Xét đề nghị của Ban A{} , của Sở tại Văn bản số ", " x".repeat(70));
        let by_bounded = BOUNDED_AT
            .find(&near)
            .and_then(|found| BOUNDED_AT.captures(&near[found.start()..]))
            .and_then(|caps| caps.get(1).map(|m| m.as_str().to_owned()));
        assert_eq!(by_bounded.as_deref(), Some("Sở "));
        // (The premise: the unbounded pattern's first name is too long, so the bounded one runs.)
        let unbounded = ISSUER_BEFORE_AT
            .find(&near)
            .and_then(|found| ISSUER_BEFORE_AT.captures(&near[found.start()..]))
            .and_then(|caps| caps.get(1).map(|m| m.as_str().chars().count()));
        assert!(unbounded.is_some_and(|n| n > 120), "{unbounded:?}");
        assert_eq!(issuer_before(&near), by_bounded);
        for (regex, bounded) in [
            (&*ISSUER_BEFORE_AT, &*BOUNDED_AT),
            (&*ISSUER_BEFORE_HAS, &*BOUNDED_HAS),
            (&*ISSUER_BEFORE_PAREN, &*BOUNDED_PAREN),
            (&*ISSUER_BEFORE_VERB_AT, &*BOUNDED_VERB_AT),
            (&*PASSIVE_BEFORE, &*BOUNDED_PASSIVE),
        ] {
            assert_ne!(regex.as_str(), bounded.as_str());
        }
    }

    #[test]
    fn a_symbol_with_cyrillic_letters_is_the_same_reference() {
        // "BТС" with a Cyrillic Т and С, then in Latin letters.
        let found = refs("Thông tư số 06/2022/TT-BТС ngày 08/02/2022; Thông tư số 06/2022/TT-BTC");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "2022/TT-BТС");
    }

    #[test]
    fn an_issuer_before_a_kind_of_several_words_is_read_and_a_phrase_in_lower_case_is_not() {
        assert_eq!(
            issuer("theo ý kiến chỉ đạo của Ủy ban nhân dân tỉnh tại Chương trình hành động\nsố 01/CTr-UBND ngày 19/01/2025;")
                .as_deref(),
            Some("Ủy ban nhân dân tỉnh")
        );
        assert_eq!(
            issuer("Ý kiến chỉ đạo của Sở Y tế, các quy định tại Luật Đấu thầu số 22/2023/QH15 ngày 29/11/2024"),
            None
        );
    }

    #[test]
    fn issuers_on_a_list_in_brackets_and_as_the_subject_of_a_clause() {
        let issuer = |text: &str| refs(text).into_iter().last().and_then(|r| r.3);
        // A list of names, each with its dispatch in brackets.
        assert_eq!(
            issuer("ý kiến của Bộ Kế hoạch và Đầu tư (công văn số 6487/BKH-LĐVX ngày 14/9/2010), Bộ Tài chính (công văn số 12163/BTC-ĐT ngày 11/9/2010)")
                .as_deref(),
            Some("Bộ Tài chính")
        );
        // What was asked for, between the name and its bracket.
        assert_eq!(
            issuer("Xét đề nghị của Ủy ban nhân dân tỉnh Khánh Hòa về việc xin phép mời khách quốc tế (công văn số 1924/UBND ngày 22/4/2011)")
                .as_deref(),
            Some("Ủy ban nhân dân tỉnh Khánh Hòa")
        );
        // A body as the subject of the clause that proposed in the document.
        assert_eq!(
            issuer("Trên cơ sở đó Sở Tài chính đã tổng hợp và đề nghị tại Văn bản số 9700/STC-ĐTTĐ ngày 08/8/2025")
                .as_deref(),
            Some("Sở Tài chính")
        );
        assert_eq!(
            issuer("Kế hoạch của Bộ Y tế được Ủy ban nhân dân tỉnh phê duyệt tại Quyết định số 12/QĐ-UBND").as_deref(),
            Some("Ủy ban nhân dân tỉnh")
        );
        // No body opens the clause: no issuer.
        assert_eq!(
            issuer("Thực hiện chỉ đạo tại Văn bản số 15/UBND-VX ngày 02/01/2025"),
            None
        );
        // Nor across a blank line: "Sở Y tế" / "" / "Thực hiện chỉ đạo tại …" is two clauses;
        // a name wrapped at a line's end goes on.
        assert_eq!(
            issuer("Trên cơ sở đó Sở\nTài chính đã tổng hợp và đề nghị tại Văn bản số 9700/STC-ĐTTĐ").as_deref(),
            Some("Sở Tài chính")
        );
        assert_eq!(
            issuer("Kính gửi: Sở Y tế\n\nThực hiện chỉ đạo tại Văn bản số 15/UBND-VX"),
            None
        );
        assert_eq!(
            issuer("Tổ chức thực hiện theo hướng dẫn tại Công văn số 12/SYT-NV"),
            None
        );
        assert_eq!(
            issuer("Ban Bí thư đã có Kết luận số 212-KL/TW ngày 18/11/2025").as_deref(),
            Some("Ban Bí thư")
        );
    }

    #[test]
    fn an_issuer_glued_to_tai_by_a_lost_space() {
        let found = refs("Xét đề nghị của Tỉnh ủy Sơn Latại văn bản số 1011/CV-TU ngày 14 tháng 12 năm 2007 về việc");
        assert_eq!(found[0].3.as_deref(), Some("Tỉnh ủy Sơn La"));
    }

    #[test]
    fn a_public_administration_centre_is_named_whole() {
        let found = refs(
            "Quyết định số 897/QĐ-TTPVHCC ngày 01/10/2025 của Giám đốc Trung tâm Phục vụ hành chính công thành phố Hà Nội về việc",
        );
        assert_eq!(
            found[0].3.as_deref(),
            Some("Giám đốc Trung tâm Phục vụ hành chính công thành phố Hà Nội")
        );
    }

    #[test]
    fn a_table_s_cell_ends_a_name() {
        let found =
            refs("Thông tư số 85/2020/TT-BTC ngày\n01/10/2020 của Bộ Tài chính\n|\nSở Tài chính\n|\nCơ quan phối hợp");
        assert_eq!(found[0].3.as_deref(), Some("Bộ Tài chính"));
        let found = refs("Thông tư số 85/2020/TT-BTC của Bộ Tài chính | Sở Tài chính |");
        assert_eq!(found[0].3.as_deref(), Some("Bộ Tài chính"));
    }

    #[test]
    fn a_body_s_name_opens_at_its_kind() {
        assert_eq!(body_named("Trên cơ sở đó Sở Tài chính"), Some("Sở Tài chính"));
        assert_eq!(
            body_named("Ngày 5 tháng 3 Bộ trưởng Bộ Y tế"),
            Some("Bộ trưởng Bộ Y tế")
        );
        // A word that merely begins like a kind is not one ("Bội", "Banh").
        assert_eq!(body_named("Bội chi Banh"), None);
        assert_eq!(body_named("Thực hiện"), None);
        assert_eq!(body_named("Tổ chức thực hiện theo"), None);
        assert_eq!(body_named("Báo cáo theo"), None);
        assert_eq!(body_named("Trên cơ sở đó Phòng Nội vụ"), Some("Phòng Nội vụ"));
    }

    #[test]
    fn a_date_right_before_the_number_is_the_citation_s_own() {
        let found = refs(
            "Ngày 31 tháng 10 năm 2025, Văn phòng Chính phủ nhận văn bản đề ngày 29 tháng 10 năm 2025 số\n16/CV-HHTACN của Hội Chăn nuôi Việt Nam gửi Thủ tướng",
        );
        assert_eq!(found[0].2.as_deref(), Some("2025-10-29"));
        // A date followed by other words before "số" is not the citation's.
        let found = refs("từ ngày 01/01/2025 theo Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh");
        assert_eq!(found[0].2, None);
    }

    #[test]
    fn no_type_word_is_longer_than_its_bound() {
        assert!(TYPE_WORDS.iter().all(|t| t.split(' ').count() <= LONGEST_TYPE_WORD));
    }

    #[test]
    fn a_name_in_capitals_goes_on_over_its_line_break() {
        let name = issuer_after(" CỦA HỘI ĐỒNG NHÂN DÂN TỈNH THỪA\nTHIÊN HUẾ QUY ĐỊNH NGUYÊN TẮC", false).unwrap();
        assert_eq!(name, "HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ");
        let name = issuer_after(" của Ủy ban nhân dân tỉnh\nQUYẾT ĐỊNH:", false).unwrap();
        assert_eq!(name, "Ủy ban nhân dân tỉnh");
    }

    #[test]
    fn a_name_stops_before_an_item_numbered_in_other_digits() {
        let name = issuer_after(" của Ủy ban nhân dân tỉnh\n３. Giao Sở Nội vụ", false).unwrap();
        assert_eq!(name, "Ủy ban nhân dân tỉnh");
    }

    fn refs(text: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
        extract(text, None, None)
            .into_iter()
            .map(|r| (r.number, r.symbol, r.date.map(|d| d.to_string()), r.issuer_text))
            .collect()
    }

    /// The issuer of the first citation in a text.
    fn issuer(text: &str) -> Option<String> {
        refs(text).into_iter().next().and_then(|r| r.3)
    }

    #[test]
    fn names_keep_former_and_second_syllables_and_end_at_verbs() {
        assert_eq!(
            issuer("Quyết định số 07/2014/QĐ-UBND ngày 25/01/2014 của UBND tỉnh Quảng Trị (cũ) về giá đất").as_deref(),
            Some("UBND tỉnh Quảng Trị (cũ)")
        );
        assert_eq!(
            issuer("Quyết định số 90/2004/QĐ-UB ngày 16/12/2004 của UBND tỉnh Quảng Bình Ban hành điều lệ").as_deref(),
            Some("UBND tỉnh Quảng Bình")
        );
        assert_eq!(
            issuer("Thông tư số 09/2025/TT-BNG ngày 30/6/2025 của Bộ trưởng Bộ Ngoại giao hướng dẫn chức năng")
                .as_deref(),
            Some("Bộ trưởng Bộ Ngoại giao")
        );
        assert_eq!(
            issuer("Quyết định số 7886/QĐ-BCA ngày 19/9/2025 của Bộ trưởng Bộ Công an công bố danh mục").as_deref(),
            Some("Bộ trưởng Bộ Công an")
        );
        // "Giao" capitalised after a capitalised word starts a name's word, as before; "giao"
        // after a lower-case word is the verb.
        assert_eq!(
            issuer("Quyết định số 1/QĐ-BGTVT ngày 02/01/2020 của Bộ Giao thông vận tải về").as_deref(),
            Some("Bộ Giao thông vận tải")
        );
        assert_eq!(
            issuer("Công văn số 5/UBND-VX ngày 02/01/2020 của UBND tỉnh giao Sở Nội vụ").as_deref(),
            Some("UBND tỉnh")
        );
        assert_eq!(
            issuer("Công văn số 5/UBND-VX ngày 02/01/2020 của UBND tỉnh Quảng Ninh giao Sở Nội vụ chủ trì").as_deref(),
            Some("UBND tỉnh Quảng Ninh")
        );
        assert_eq!(
            issuer("Quyết định số 7/2014/QĐ-UBND ngày 25/01/2014 của UBND TỈNH QUẢNG TRỊ (CŨ) về").as_deref(),
            Some("UBND TỈNH QUẢNG TRỊ (CŨ)")
        );
    }

    #[test]
    fn symbols_are_kept_as_written_and_numbers_may_hold_a_dot() {
        let found = refs("Thông tư số 38/2015/TT- BTC ngày 25/3/2015 được sửa đổi tại Thông tư số 38/2015/TT-BTC");
        assert_eq!(found.len(), 1, "one document, written two ways");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("38", "2015/TT- BTC"));
        let found = refs("theo Công văn số 128.2025/OL.WMCLV ngày 24/11/2025 của Công ty");
        assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("128.2025", "OL.WMCLV"));
    }

    #[test]
    fn an_issuer_named_before_its_verb_and_a_list_qualified_before_its_issuer() {
        let found = refs(
            "2. Ngày 16/6/2025, Quốc hội\nđã thông qua Luật Tổ chức chính quyền địa phương số 72/2025/QH15 với những quy",
        );
        assert_eq!(found[0].3.as_deref(), Some("Quốc hội"));
        let found = refs(
            "Các Văn bản thẩm định và tham gia ý kiến\ncủa Sở Tư pháp: Số 294/BC-STP ngày 12 tháng 9 năm 2025, số\n1890/STP-VB&TDTHPL ngày 24 tháng 10 năm 2025 và ý kiến",
        );
        let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
        assert_eq!(issuers, [Some("Sở Tư pháp"), Some("Sở Tư pháp")]);
    }

    #[test]
    fn a_list_of_citations_shares_its_type_word() {
        let found = refs(
            "tiếp theo các Công điện số 217/CĐ-TTg,\n218/CĐ-TTg, 219/CĐ-TTg và 222/CĐ-TTg ngày 19/11/2025, Thủ tướng",
        );
        let numbers: Vec<&str> = found.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(numbers, ["217", "218", "219", "222"]);
        assert_eq!(found[3].2.as_deref(), Some("2025-11-19"));
        assert_eq!(found[0].2, None);
        // A paragraph numbered after a citation's ";" is not one of a list; the type a listed
        // symbol names comes first.
        let found = refs("thực hiện Chỉ thị số 05-CT/TW;\n2- Tăng cường công tác;\n3/ Tổ chức");
        assert_eq!(found.len(), 1);
        let typed: Vec<Option<String>> = extract("các Quyết định số 12/QĐ-UBND, 13/KH-UBND ngày 1/2/2020", None, None)
            .into_iter()
            .map(|r| r.doc_type)
            .collect();
        assert_eq!(typed, [Some("Quyết định".to_owned()), Some("Kế hoạch".to_owned())]);
        assert_eq!(crate::text::plain_number("1.234"), "1234");
        assert_eq!(crate::text::plain_number("66.17"), "66.17");
        // A number after a sentence is not taken for one of the list.
        let found = refs("theo Công văn số 12/UBND-VX. Năm 2024/2025 có 30/KH-X");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn citations_with_date_and_issuer() {
        let found = refs("Thực hiện Chỉ thị số 14/CT-TU ngày 16/3/2022 của Tỉnh ủy Đắk Nông về nâng cao hiệu quả");
        assert_eq!(
            found,
            [(
                "14".into(),
                "CT-TU".into(),
                Some("2022-03-16".into()),
                Some("Tỉnh ủy Đắk Nông".into())
            )]
        );
        let found = refs(
            "Kế hoạch số 05-KH/TU ngày 09/12/2015 của Ban thường vụ Tỉnh ủy và Kế hoạch số 411-KH/UBND ngày 21/9/2015 của UBND tỉnh “về",
        );
        assert_eq!(found[0].3.as_deref(), Some("Ban thường vụ Tỉnh ủy"));
        assert_eq!(found[1].3.as_deref(), Some("UBND tỉnh"));
    }

    fn one(text: &str) -> (Option<String>, Option<String>) {
        let found = refs(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (found[0].2.clone(), found[0].3.clone())
    }

    #[test]
    fn citations_as_administrative_texts_write_them() {
        let s = |x: &str| Some(x.to_owned());
        assert_eq!(
            one(
                "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII về một số vấn đề"
            ),
            (
                s("2017-10-25"),
                s("Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII")
            )
        );
        assert_eq!(
            one("Ngày 28 tháng 10 năm 2025, Bộ Nội vụ ban hành Công văn số 3280/BNV-CQĐP hướng dẫn thực hiện."),
            (s("2025-10-28"), s("Bộ Nội vụ"))
        );
        assert_eq!(
            one("Sở Tài chính có Công văn sô 10570/STC-HCSNngày 28/10/2008 đề nghị"),
            (s("2008-10-28"), s("Sở Tài chính"))
        );
        assert_eq!(
            one("Căn cứ Quyết định số 729/QĐ-UBND ngày 17/4/2017 của UBND tỉnh Đắk Nông ban hành Quy chế"),
            (s("2017-04-17"), s("UBND tỉnh Đắk Nông"))
        );
        assert_eq!(
            one("theo Công văn số 12/SNV-CCVC ngày 05-3-2021 của Sở Nội vụ tỉnh Đắk Nông về việc"),
            (s("2021-03-05"), s("Sở Nội vụ tỉnh Đắk Nông"))
        );
        assert_eq!(
            one(
                "Thực hiện Thông tư số 10/2017/TT-BLĐTBXH ngày 20/4/2017 của Bộ Lao động - Thương binh và Xã hội quy định"
            ),
            (s("2017-04-20"), s("Bộ Lao động - Thương binh và Xã hội"))
        );
        assert_eq!(
            one("Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị, Sở Nội vụ đề nghị"),
            (s("2021-05-18"), s("Bộ Chính trị"))
        );
    }

    #[test]
    fn later_mentions_fill_the_date_and_issuer() {
        let found =
            refs("theo Thông tư 38/2015/TT-BTC. Sau đó Thông tư số 38/2015/TT-BTC ngày 25/3/2015 của Bộ Tài chính.");
        assert_eq!(
            found,
            [(
                "38".into(),
                "2015/TT-BTC".into(),
                Some("2015-03-25".into()),
                Some("Bộ Tài chính".into())
            )]
        );
    }

    #[test]
    fn an_issuer_that_has_issued_a_dispatch_decree_or_circular() {
        for (text, issuer) in [
            (
                "Ngày 01/7/2025, Cục Thuế đã có công điện số 102/CĐ-CT về việc triển khai",
                "Cục Thuế",
            ),
            (
                "Bộ Tài chính đã ban hành Thông tư số 67/2025/TT-BTC hướng dẫn",
                "Bộ Tài chính",
            ),
            ("Chính phủ đã ban hành Nghị định số 175/2025/NĐ-CP sửa đổi", "Chính phủ"),
        ] {
            assert_eq!(refs(text)[0].3.as_deref(), Some(issuer), "{text}");
        }
    }

    #[test]
    fn review_cases_of_names_lists_and_dates() {
        // A name in capitals stops before the authority printed under the title.
        let found = refs(
            "BÃI BỎ QUYẾT ĐỊNH SỐ 12/2020/QĐ-UBND NGÀY 05/3/2020 CỦA UBND TỈNH NGHỆ AN\nỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nCăn cứ",
        );
        assert_eq!(found[0].3.as_deref(), Some("UBND TỈNH NGHỆ AN"));
        // "chấp thuận" ends a name; "Ban chấp hành" does not.
        let found = refs("Văn bản số 12/UBND-KT của UBND tỉnh chấp thuận chủ trương đầu tư");
        assert_eq!(found[0].3.as_deref(), Some("UBND tỉnh"));
        let found = refs("Kế hoạch số 328/KH-TU ngày 24/4/2025 của Ban chấp hành Đảng bộ tỉnh Nghệ An về");
        assert_eq!(found[0].3.as_deref(), Some("Ban chấp hành Đảng bộ tỉnh Nghệ An"));
        // A list ends at a new clause, even in lower case.
        let found = refs(
            "các văn bản của Bộ Y tế: Công văn số 1/BYT-DP, Công văn số 2/BYT-DP; căn cứ tình hình thực tế và Kế hoạch số 15/KH-UBND, Sở",
        );
        let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
        assert_eq!(issuers, [Some("Bộ Y tế"), Some("Bộ Y tế"), None]);
        // The date after the issuer, past a comma before "của"; not a later clause's date.
        let found = refs("Nghị quyết số 46/NQ-CP, của Chính phủ ngày 08 tháng 3 năm 2025 và");
        assert_eq!(found[0].2.as_deref(), Some("2025-03-08"));
        let found = refs("Công văn số 7/BYT-KH của Bộ Y tế, ngày 10/3/2025 Sở đã họp");
        assert_eq!(found[0].2, None);
    }

    #[test]
    fn a_list_names_its_issuer_before_its_colon() {
        let found = refs(
            "Căn cứ các Nghị định của\nChính phủ: Nghị định số 88/2024/NĐ-CP quy định về bồi thường; Nghị định số \
             151/2025/NĐ-CP ngày 12/6/2025 quy định về đất đai; Thông tư số 5/2025/TT-BTC;\nCăn cứ Nghị định số 62/2025/NĐ-CP;",
        );
        let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
        // The list's issuer goes to the decrees in it, not to a circular or to the next clause.
        assert_eq!(issuers, [Some("Chính phủ"), Some("Chính phủ"), None, None]);
    }

    #[test]
    fn a_list_in_brackets_names_its_issuer_before_them() {
        let found = refs(
            "Căn cứ các Nghị định của Chính phủ quy định chi tiết thi hành Luật Quy hoạch (Số 37/2019/NĐ-CP ngày \
             07/5/2019, số 58/2023/NĐ-CP ngày 12/8/2023 và số\n22/2025/NĐ-CP ngày 11/02/2025);\nCăn cứ các Quyết định của \
             Bộ trưởng Bộ Văn hóa, Thể thao và Du\nlịch phê duyệt điều chỉnh Quy hoạch (Số 1226/QĐ-BVHTTDL ngày 29/4/2025 \
             và số 2657/QĐ-BVHTTDL); các Quyết định của Thủ tướng Chính phủ (Số 12/NĐ-CP) và (số 5/QĐ-TTg)",
        );
        let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
        // Every citation of the kind listed, in the bracket still open; not one of another kind,
        // nor one in a bracket opened after the list's was closed.
        let ministry = Some("Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch");
        assert_eq!(
            issuers,
            [
                Some("Chính phủ"),
                Some("Chính phủ"),
                Some("Chính phủ"),
                ministry,
                ministry,
                None,
                None
            ]
        );
    }

    #[test]
    fn a_steering_committee_is_named_with_its_remit() {
        assert_eq!(
            issuer(
                "Thông báo số 30-TB/TGV ngày 13/6/2025 của Tổ giúp việc Ban chỉ đạo\nTrung ương về phát triển khoa \
                 học, công nghệ, đổi mới sáng tạo và chuyển đổi số\nthông báo kết luận"
            )
            .as_deref(),
            Some(
                "Tổ giúp việc Ban chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
            )
        );
        assert_eq!(
            issuer(
                "Kế hoạch số 01-KH/BCĐ ngày 28/06/2025 của Ban Chỉ đạo\nphát triển khoa học, công nghệ, cải cách hành\n\
                 chính và đề án 06 về Kế hoạch hành động"
            )
            .as_deref(),
            Some("Ban Chỉ đạo phát triển khoa học, công nghệ, cải cách hành chính và đề án 06")
        );
        assert_eq!(
            issuer("Quyết định số 167/QĐ-BCĐNNDL ngày 29/7/2013 của Trưởng Ban Chỉ đạo Nhà nước về Du lịch ban hành Quy chế")
                .as_deref(),
            Some("Trưởng Ban Chỉ đạo Nhà nước về Du lịch")
        );
        // A name after the comma, or "các …", is not the remit; nor is what the committee did.
        assert_eq!(
            issuer("Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương, Ủy ban nhân dân tỉnh")
                .as_deref(),
            Some("Ban Chỉ đạo Trung ương")
        );
        assert_eq!(
            issuer("Công văn số 5/BCĐ ngày 2/6/2025 của Ban Chỉ đạo, các sở, ngành triển khai").as_deref(),
            Some("Ban Chỉ đạo")
        );
        assert_eq!(
            issuer("Công văn số 7/BCĐ ngày 2/6/2025 của Ban Chỉ đạo tỉnh về phòng, chống thiên tai đã yêu cầu")
                .as_deref(),
            Some("Ban Chỉ đạo tỉnh về phòng, chống thiên tai")
        );
        // Without a committee, a lower-case word still ends a name.
        assert_eq!(
            issuer("Công văn số 8/STC ngày 2/6/2025 của Sở Tài chính, khoa học").as_deref(),
            Some("Sở Tài chính")
        );
    }

    #[test]
    fn one_issuer_after_a_list_names_every_item_before_it() {
        let found = refs(
            "Các Công điện: số 007/CĐ-UBND ngày 17/11/2025, số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025; \
             số 010/CĐ-UBND ngày 20/11/2025 của UBND tỉnh về khẩn trương ứng phó; Công văn số 11/SNV ngày 2/6/2025; \
             số 12/SNV của Sở Nội vụ. Quyết định số 13/QĐ-UBND ngày 3/6/2025 của HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN \
             HUẾ (NAY THÀNH PHỐ HUẾ)",
        );
        let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
        let province = Some("UBND tỉnh");
        // A list's items go back to the first; a new clause starts a new list; what the body is
        // now is no part of its name.
        assert_eq!(
            issuers,
            [
                province,
                province,
                province,
                province,
                Some("Sở Nội vụ"),
                Some("Sở Nội vụ"),
                Some("HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ")
            ]
        );
    }

    #[test]
    fn items_described_at_length_share_the_issuer_named_before_the_list() {
        let found = refs(
            "đã được Thủ tướng Chính phủ phê duyệt tại các Quyết định: số 36/QĐ-TTg ngày 11/01/2024\nvề việc \
             quy hoạch hạ tầng thông tin, tầm nhìn đến 2025; số 1569/QĐ-TTg ngày 12/12/2024 về việc phê duyệt \
             quy hoạch Thủ đô và số 1668/QĐ-TTg ngày 27/12/2024 về việc điều chỉnh. Quyết định số 9/QĐ-UBND; \
             Căn cứ Quyết định số 10/QĐ-UBND",
        );
        let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
        let premier = Some("Thủ tướng Chính phủ");
        // Not across the sentence's end, nor onto a new legal basis.
        assert_eq!(issuers, [premier, premier, premier, None, None]);
        assert!(described_item("về việc quy hoạch; số") && described_item("năm 2050 và số"));
        assert!(!described_item("về việc quy hoạch. Theo đó, số") && !described_item("; Căn cứ Luật số"));
    }

    #[test]
    fn bodies_that_issued_together_are_named_together() {
        assert_eq!(
            issuer("lan truyền.\n[2] Bộ Chính trị,\nBan Bí thư đã có Kết luận số 212-KL/TW ngày 18/11/2025").as_deref(),
            Some("Bộ Chính trị, Ban Bí thư")
        );
        // A clause that names a body before the comma is no co-issuer.
        assert_eq!(
            issuer("Theo báo cáo của Sở Y tế, Bộ Y tế đã có Công văn số 12/BYT-KCB ngày 2/6/2025").as_deref(),
            Some("Bộ Y tế")
        );
        assert_eq!(
            issuer("Ngày 5/6/2025, Bộ Y tế đã có Công văn số 13/BYT-KCB").as_deref(),
            Some("Bộ Y tế")
        );
    }

    #[test]
    fn a_party_resolution_is_issued_by_the_body_whose_conference_adopted_it() {
        assert_eq!(
            issuer(
                "theo Nghị quyết 36-NQ/TW ngày\n22/10/2018, Hội nghị lần thứ 8 của Ban Chấp hành Trung ương Đảng khóa XII \
                 về\nchiến lược phát triển"
            )
            .as_deref(),
            Some("Ban Chấp hành Trung ương Đảng khóa XII")
        );
        assert_eq!(
            issuer("Nghị quyết số 18-NQ/TW ngày 25/10/2017 Hội nghị lần thứ sáu Ban Chấp hành Trung ương khóa XII về")
                .as_deref(),
            Some("Ban Chấp hành Trung ương khóa XII")
        );
        // A conference named without its body names no issuer.
        assert_eq!(
            issuer("Nghị quyết số 5/NQ-HĐND ngày 2/6/2025, hội nghị đã thống nhất"),
            None
        );
    }

    /// Review cases: each rule of lists, committees, co-issuers and conferences where a sentence
    /// is built otherwise.
    #[test]
    fn review_cases_of_lists_committees_co_issuers_and_conferences() {
        let issuers = |text: &str| refs(text).into_iter().map(|r| r.3).collect::<Vec<_>>();
        let own = |name: &str| Some(name.to_owned());
        // Two clauses, each with its own subject, are not co-issuers.
        assert_eq!(
            issuers("Sở Nội vụ có Văn bản số 1/SNV ngày 2/6/2025, Sở Tài chính có Văn bản số 2/STC"),
            [own("Sở Nội vụ"), own("Sở Tài chính")]
        );
        assert_eq!(
            issuer("UBND tỉnh đã chỉ đạo quyết liệt, Sở Y tế đã có Công văn số 12/SYT ngày 2/6/2025"),
            own("Sở Y tế")
        );
        // "về việc" opens a subject; a verb ends a committee's name without a listed remit.
        assert_eq!(
            issuer("Công văn số 5/BCĐ ngày 2/6/2025 của Ban Chỉ đạo về việc triển khai"),
            own("Ban Chỉ đạo")
        );
        assert_eq!(
            issuer(
                "Thông báo số 5/TB-BCĐ ngày 2/6/2025 của Ban Chỉ đạo tỉnh Quảng Ninh kết luận cuộc họp ngày 1/6/2025"
            ),
            own("Ban Chỉ đạo tỉnh Quảng Ninh")
        );
        // A conference names its body only for a Party resolution, and only by the body's head.
        assert_eq!(
            issuer("Nghị quyết số 36-NQ/TW ngày 22/10/2018, Hội nghị Trung ương 8 khóa XII về Chiến lược"),
            None
        );
        assert_eq!(
            issuer("Căn cứ Thông báo số 3/TB-VP ngày 2/1/2025, Hội nghị Ban Chấp hành Đảng bộ tỉnh đã thống nhất"),
            None
        );
        assert_eq!(
            issuer("Nghị quyết số 36-NQ/TW ngày 22/10/2018, Hội nghị lần thứ 8 ban chấp hành Trung ương Đảng khóa XII"),
            None
        );
        // Another body between a list's issuer and its bracket.
        assert_eq!(
            issuer(
                "Thực hiện các Quyết định của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh đã ban hành nhiều văn bản \
                 triển khai (Quyết định số 123/QĐ-UBND ngày 2/6/2025)"
            ),
            None
        );
        // Back along a list, only items of the issuer's kind beyond the one before it.
        let ministry = own("Bộ Tài nguyên và Môi trường");
        assert_eq!(
            issuers(
                "Căn cứ Luật Đất đai số 31/2024/QH15, Nghị định số 102/2024/NĐ-CP, Thông tư số 10/2024/TT-BTNMT của \
                 Bộ Tài nguyên và Môi trường"
            ),
            [None, ministry.clone(), ministry]
        );
    }

    #[test]
    fn an_office_held_with_another_and_a_stop_before_a_comma() {
        let found = refs(
            "Thông tư số 03/2025/TT-VPCP ngày 15 tháng 9 năm 2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ về việc",
        );
        assert_eq!(found[0].3.as_deref(), Some("Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"));
        let found = refs(
            "QUYẾT ĐỊNH SỐ 24/2019/QĐ-UBND NGÀY 02/5/2019\nCỦA UBND THÀNH PHỐ ĐÀ NẴNG SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU",
        );
        assert_eq!(found[0].3.as_deref(), Some("UBND THÀNH PHỐ ĐÀ NẴNG"));
        let found =
            refs("QUYẾT ĐỊNH SỐ 40/2024/QĐ-UBND NGÀY 04/10/2024 CỦA ỦY BAN NHÂN DÂN\nTỈNH\nCăn cứ Luật Tổ chức chính");
        assert_eq!(found[0].3.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH"));
    }

    #[test]
    fn issuer_before_the_citation_and_its_chain() {
        let found = refs(
            "Xét đề nghị của Giám đốc Sở Lao động - Thương binh và Xã hội tại Tờ trình số 33/TTr-SLĐTBXH ngày 16 tháng 4 năm 2020 và Tờ trình số 42/TTr-SLĐTBXH ngày 29 tháng 4 năm 2020, QUYẾT ĐỊNH",
        );
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|r| r.3.as_deref() == Some("Giám đốc Sở Lao động - Thương binh và Xã hội"))
        );
    }

    #[test]
    fn forms_annotations_dates_and_the_document_itself_are_not_citations() {
        assert!(refs("theo mẫu số 03/KBS/GSQL ban hành").is_empty());
        assert!(refs("đến ngày 31/12/2013, toàn quốc").is_empty());
        assert!(refs("[Nội dung này được đính chính bởi Công văn 666/BYT-BH năm 2021]").is_empty());
        assert!(
            extract(
                "kèm công văn số 778/TCHQ-GSQL ngày 13/02/2017",
                Some("778"),
                Some("TCHQ-GSQL")
            )
            .is_empty()
        );
    }

    #[test]
    fn a_citation_in_the_clause_of_another_is_what_it_carries_out() {
        let found = extract(
            "Chương trình số 26-CTr/TU ngày 04/9/2013 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2016; Chỉ thị số 33/CT-TTg",
            None,
            None,
        );
        assert_eq!(found[1].carried_out_by, Some(0));
        assert_eq!(found[2].carried_out_by, None);
    }

    #[test]
    fn a_number_word_glued_to_the_type_word_still_cites() {
        assert_eq!(
            one("các ý kiến góp ý của Bộ Xây dựng tại công vănsố 320/BXD-KTQH ngày 06/3/2009 về việc"),
            (Some("2009-03-06".into()), Some("Bộ Xây dựng".into()))
        );
    }

    #[test]
    fn a_citation_split_by_a_page_break_is_one() {
        let found = refs("theo Khoản 6 Điều 14 của Quy chế số\n\n18-QC/TU; nâng cao");
        assert_eq!(found[0].1, "QC/TU");
    }
}
