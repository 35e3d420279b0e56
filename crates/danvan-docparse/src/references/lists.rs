//! Lists of citations: a list's kind and issuer named before its colon or after its last
//! item, and which items a name given once belongs to.

use regex::Regex;
use std::sync::LazyLock;

use super::names::{body_named, read_name};
use crate::text::{fold_case, squash};

/// "các Nghị định của Chính phủ:", a list's kind and issuer before its colon.
pub(super) static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[Cc]ác\s+(\p{L}+\s+\p{L}+)(?:\s+[^:;.()]{1,60}?)?\s+của\s+(\p{Lu}[^:;.()]{2,120}?)\s*:")
        .expect("valid regex")
});

/// Whether [`LIST`] can match in a text: it holds "các" and "của".
pub(super) fn may_list(lead: &str) -> bool {
    (lead.contains("các") || lead.contains("Các")) && lead.contains("của")
}

/// Bodies that issued a document together, named one after another before the clause's verb:
/// "Bộ Chính trị, Ban Bí thư đã có Kết luận số …". `name` is the last, as the phrase read it; the
/// one before its comma is joined to it when it names a kind of state body.
pub(super) fn joint_issuer(near: &str, name: &str) -> Option<String> {
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
pub(super) fn described_item(between: &str) -> bool {
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
pub(super) fn issuer_of_list(before: &str, doc_type: Option<&str>, seen: &mut Option<SeenList>) -> Option<String> {
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
pub(super) fn issuer_of_bracketed_list(before: &str, doc_type: Option<&str>) -> Option<String> {
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
pub(super) fn list_goes_on(listed: &str, doc_type: &str, between: &str) -> bool {
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

/// The list of citations last read before a citation: where its words stand in the text, and
/// what they name.
pub(super) struct SeenList {
    span: (usize, usize),
    head: Option<ListHead>,
}

/// A list's kind and issuer, named before its colon ("các Nghị định của Chính phủ:").
pub(super) struct ListHead {
    /// Where the list's words end, in the text.
    end: usize,
    /// The kind listed, folded.
    listed: String,
    /// The words naming its issuer.
    name: String,
}

/// Two bodies named before a bracket that holds one citation of each, in the same order: "Xét
/// báo cáo của Bộ Công an và Bộ Ngoại giao (các văn bản số 1792/BC-BCA ngày 27/12/2021, số
/// 170/BNG-LS ngày 18/01/2022)". `before` ends at this citation, `after` starts after it.
pub(super) fn respective_issuer(before: &str, after: &str) -> Option<String> {
    static TWO_BODIES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"của\s+(\p{Lu}[^,;.()]*?)\s+và\s+(\p{Lu}[^,;.()]*?)\s*$").expect("valid regex"));
    let window = crate::text::head_from_end(before, 600);
    let open = memchr::memrchr(b'(', window.as_bytes())?;
    let inside = &window[open + 1..];
    if inside.contains(')') {
        return None;
    }
    // The bracket's citations: those before this one, this one, and those after up to its end
    // (sought in the next few hundred bytes: a bracket a scan left open ends nowhere).
    let after = crate::text::head(after, 600);
    let close = memchr::memchr2(b')', b'(', after.as_bytes())?;
    if after.as_bytes()[close] != b')' {
        return None;
    }
    let earlier = super::citation::citation_spans(inside).count();
    let later = super::citation::citation_spans(&after[..close]).count();
    if earlier + 1 + later != 2 {
        return None;
    }
    let lead = crate::text::head_from_end(&window[..open], 300);
    if !lead.contains("của") {
        return None;
    }
    let caps = TWO_BODIES.captures(lead)?;
    // Each a body's name and nothing more.
    let names: Vec<String> = [&caps[1], &caps[2]]
        .iter()
        .map(|words| {
            let words = squash(words);
            read_name(&words).filter(|name| *name == words && body_named(name) == Some(name.as_str()))
        })
        .collect::<Option<_>>()?;
    names.into_iter().nth(earlier)
}

/// Whether the text between two citations puts the second on the first's list after a
/// semicolon: "; Quyết định số", "; khoản 2 Điều 1 Quyết định số", on one line, opening no new
/// ground ("; Căn cứ Nghị định số" does).
pub(super) fn semicolon_item(between: &str) -> bool {
    let Some(rest) = between.strip_prefix(';') else {
        return false;
    };
    if rest.contains('\n') {
        return false;
    }
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    // The article cited before the document's kind: "khoản 2 Điều 1", "điểm a khoản 1 điều 1".
    while words.len() >= 2
        && matches!(
            crate::text::lower(words[0]).as_str(),
            "khoản" | "điểm" | "điều" | "mục" | "chương"
        )
    {
        words.drain(..2);
    }
    let first = words.first().map(|w| crate::text::lower(w));
    (2..=4).contains(&words.len())
        && first.is_some_and(|w| w != "căn")
        && words.last().is_some_and(|w| {
            matches!(
                crate::text::lower(w.trim_end_matches(':')).as_str(),
                "số" | "sô" | "so" | "só"
            )
        })
}
