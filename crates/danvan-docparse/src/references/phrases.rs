//! The phrases that name a cited document's issuer before the citation: "Xét đề nghị của X
//! tại Tờ trình số", "X có Công văn số", "được X phê duyệt tại Quyết định số".

use regex::Regex;
use std::sync::LazyLock;

use super::citation::FOLDED_TYPE_WORDS;
use super::names::{body_named, read_name};
use crate::text::{fold_case, squash};

// The issuer phrases bound the length of the name they capture in code, not in the pattern: a
// bounded repetition ("{3,120}") multiplies the lazy automaton's states, and building them for
// each new text cost more than all the rest of reading the citations. Each has its bounded form
// beside it (`BOUNDED_*`), run only when the name found is too long (see `bounded_name`).

/// "Xét đề nghị của X tại Tờ trình số", "… của X tại Chương trình hành động số" (a kind of up to
/// four words) just before a citation (the name at most 120 characters); "tại" may be glued to
/// the name by a lost space ("của Tỉnh ủy Sơn Latại văn bản số").
pub(super) static ISSUER_BEFORE_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:[đĐ]ề nghị|[đĐ]ề xuất|[cC]hỉ đạo|[ýÝ] kiến(?:\s+(?:thẩm định|góp ý))?|[gG]óp ý|[yY]êu cầu|[hH]ướng dẫn|[bB]áo cáo|[tT]ờ trình)\s+|[;,]\s*|(?:^|\s)và\s+)của\s+([^;.]{3}[^;.]*?)\s*tại\s+(?:các\s+)?\p{L}+(?:\s+\p{L}+){0,3}\s*:?\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// "X có Công văn số", "X ban hành Quyết định số", "X đã thông qua Luật Tổ chức chính quyền địa
/// phương số" just before a citation (the name at most 101 characters).
pub(super) static ISSUER_BEFORE_HAS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\p{Lu}[^,;.:]{2}[^,;.:]*?)\s+(?:có|đã có|ban hành|đã ban hành|thông qua|đã thông qua)\s+(?:các\s+)?(?:[cC]ông văn|[cC]ông điện|[vV]ăn bản|[tT]ờ trình|[bB]áo cáo|[qQ]uyết định|[cC]hỉ thị|[kK]ế hoạch|[tT]hông báo|[tT]hông tư|[nN]ghị định|[hH]ướng dẫn|[nN]ghị quyết|[kK]ết luận|[cC]hương trình|[đĐ]ề án|[qQ]uy định|[qQ]uy chế|[pP]háp lệnh|[sS]ắc lệnh|[tT]hông tri|Luật)(?:\s+\p{Ll}+){0,2}(?:\s+\p{Lu}\p{Ll}*(?:\s+\p{Ll}+){0,6})?\s+[sS][ốôoỐÔO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// "của X (công văn số" just before a citation (the name at most 121 characters); "…), Y (công
/// văn số" goes on a list of such names; "đề nghị của X về việc … (công văn số": what X asked
/// for may stand between its name and the bracket.
pub(super) static ISSUER_BEFORE_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:của|và|\),)\s+(\p{Lu}[^;.()]{2}[^;.()]*?)(?:\s+về\s+[^;.()]*?)?\s*\(\s*(?:[cC]ông văn|[vV]ăn bản|[tT]ờ trình|[bB]áo cáo)\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

/// "Sở Tài chính đã tổng hợp và đề nghị tại Văn bản số", "Bộ Y tế hướng dẫn tại Công văn số": the
/// body that asked, proposed, reported or guided in the cited document, named as its clause's
/// subject (the words at most 101 characters; the name is read from them by [`body_named`]).
pub(super) static ISSUER_BEFORE_VERB_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\p{Lu}[^,;.:()]{2}[^,;.:()]*?)\s+(?:đã\s+)?(?:\p{Ll}+(?:\s+\p{Ll}+)?\s+và\s+)?(?:đề nghị|đề xuất|báo cáo|hướng dẫn|chỉ đạo|trình|thông báo|yêu cầu|có ý kiến|góp ý|thẩm định|phê duyệt)\s+tại\s+(?:các\s+)?\p{L}+(?:\s+\p{L}+){0,3}\s*:?\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

pub(super) static BOUNDED_AT: LazyLock<Regex> =
    LazyLock::new(|| bounded(&ISSUER_BEFORE_AT, r"([^;.]{3}[^;.]*?)", r"([^;.]{3,120}?)"));
pub(super) static BOUNDED_HAS: LazyLock<Regex> =
    LazyLock::new(|| bounded(&ISSUER_BEFORE_HAS, r"[^,;.:]{2}[^,;.:]*?)", r"[^,;.:]{2,100}?)"));
pub(super) static BOUNDED_PAREN: LazyLock<Regex> =
    LazyLock::new(|| bounded(&ISSUER_BEFORE_PAREN, r"[^;.()]{2}[^;.()]*?)", r"[^;.()]{2,120}?)"));
pub(super) static BOUNDED_VERB_AT: LazyLock<Regex> = LazyLock::new(|| {
    bounded(
        &ISSUER_BEFORE_VERB_AT,
        r"[^,;.:()]{2}[^,;.:()]*?)",
        r"[^,;.:()]{2,100}?)",
    )
});

/// `regex` with its unbounded name group written bounded again.
pub(super) fn bounded(regex: &Regex, unbounded: &str, bounded: &str) -> Regex {
    let pattern = regex.as_str();
    assert!(pattern.contains(unbounded), "{pattern} holds {unbounded}");
    Regex::new(&pattern.replacen(unbounded, bounded, 1)).expect("valid regex")
}

/// The issuer named in the phrase that ends right before a citation, if one does. Each form is
/// tried only when its words end the text, so most citations cost no pattern at all.
pub(super) fn issuer_before(near: &str) -> Option<String> {
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
pub(super) struct MayMatch<'a> {
    /// The last 80 characters, lower case.
    tail: String,
    /// Where the last full stop or semicolon is (0 when none is): "; của X tại …" opens with it.
    pub(super) sentence_mark: usize,
    /// Just after the last full stop or semicolon (0 when none is).
    pub(super) sentence_start: usize,
    /// Just after the last full stop, semicolon or comma.
    pub(super) clause_start: usize,
    /// Just after the last full stop, semicolon, comma or bracket.
    pub(super) bracket_start: usize,
    near: &'a str,
}

impl<'a> MayMatch<'a> {
    pub(super) fn new(near: &'a str) -> Self {
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
    pub(super) fn at(&self) -> bool {
        self.tail.contains("tại")
            && self.near[self.sentence_start..].contains("của")
            && last_words(self.near, 9).any(|w| w.ends_with("tại"))
    }

    /// [`ISSUER_BEFORE_HAS`]: its verb's last word is one of the last fifteen (after it: the
    /// kind in two, nine more words, "số" and a colon at most).
    pub(super) fn has(&self) -> bool {
        (self.tail.contains("có ") || self.tail.contains("ban hành") || self.tail.contains("thông qua"))
            && ["có", "ban hành", "thông qua"]
                .iter()
                .any(|verb| self.near[self.clause_start..].contains(verb))
            && last_words(self.near, 15).any(|w| matches!(w, "có" | "hành" | "qua"))
    }

    /// [`ISSUER_BEFORE_PAREN`].
    pub(super) fn paren(&self) -> bool {
        self.tail.contains('(')
    }

    /// [`ISSUER_BEFORE_VERB_AT`]: "tại" is one of the last nine words.
    pub(super) fn verb_at(&self) -> bool {
        self.tail.contains("tại")
            && self.near[self.bracket_start..].contains("tại")
            && last_words(self.near, 9).any(|w| w == "tại")
    }

    /// [`PASSIVE_BEFORE`], and where its match can start.
    pub(super) fn passive(near: &str) -> Option<usize> {
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
pub(super) fn last_words(text: &str, n: usize) -> impl Iterator<Item = &str> {
    text.split_whitespace().rev().take(n)
}

/// The first group of `bounded`'s leftmost match in `text`, found with `regex`, the same
/// pattern with the group's length unbounded: every match of `bounded` is one of `regex`, tried
/// in the same order, so when `regex`'s first match has a group of at most `longest` characters
/// it is `bounded`'s first match too. Only when it is longer is `bounded` itself run.
///
/// No match may start before `from`: the search starts there (with what comes before it still
/// seen by the anchors).
pub(super) fn bounded_name(regex: &Regex, bounded: &Regex, text: &str, from: usize, longest: usize) -> Option<String> {
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
pub(super) static PASSIVE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)được\s+(\p{Lu}[^,;.:()]{2}[^,;.:()]*?)\s+tại\s+(?:các\s+)?\p{L}+(?:\s+\p{L}+){0,3}\s*:?\s*[sS][ốoỐO]\s*:?\s*$",
    )
    .expect("valid regex")
});

pub(super) static BOUNDED_PASSIVE: LazyLock<Regex> =
    LazyLock::new(|| bounded(&PASSIVE_BEFORE, r"[^,;.:()]{2}[^,;.:()]*?)", r"[^,;.:()]{2,120}?)"));

/// The issuer named between a citation's type word and its "số": "Nghị định của Chính phủ số
/// 82/2015/NĐ-CP", "Quyết định của Thủ tướng Chính phủ số 123/QĐ-TTg".
pub(super) fn issuer_between_type_and_number(near: &str) -> Option<String> {
    let end = near.trim_end();
    let end = end.strip_suffix(':').unwrap_or(end).trim_end();
    // "số" as written or as a scan reads it.
    let without_so = ["số", "Số", "SỐ", "sô", "só", "so"]
        .iter()
        .find_map(|so| end.strip_suffix(so))?;
    if !without_so.ends_with(char::is_whitespace) {
        return None;
    }
    let words = without_so.trim_end();
    // The name after the last "của" of the clause, and a type word right before that "của".
    let at = words.rfind("của ")?;
    let (head, name) = (&words[..at], &words[at + "của ".len()..]);
    if name.contains([',', ';', '.', ':', '(', ')']) {
        return None;
    }
    // (The longest type word is a few dozen bytes: only that much is folded.)
    let head = fold_case(crate::text::last_chars(head.trim_end(), 32));
    if !FOLDED_TYPE_WORDS.iter().any(|t| head.ends_with(t.as_str())) {
        return None;
    }
    let name = squash(name);
    read_name(&name).filter(|read| *read == name && body_named(read) == Some(read.as_str()))
}
