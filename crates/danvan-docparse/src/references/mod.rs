//! Cited documents: every document named by number and symbol, once, in order of first
//! appearance, with the first date and issuer the text states for it.

mod citation;
mod lists;
mod names;
mod phrases;
#[cfg(test)]
mod tests;

use crate::Reference;
use crate::header::clean_symbol;
use crate::text::squash;

use citation::{
    ANNOTATION, after_words, citation_parts, citation_spans, cited_type, date_after, date_before_number, date_ending,
    date_opening_sentence, key, same_document,
};
use lists::{SeenList, described_item, issuer_of_bracketed_list, issuer_of_list, joint_issuer, respective_issuer};
use names::{issuer_after, read_name};
use phrases::{BOUNDED_PASSIVE, MayMatch, PASSIVE_BEFORE, bounded_name, issuer_before, issuer_between_type_and_number};

struct Mention {
    reference: Reference,
    /// Where in the list of found references it stands.
    at: usize,
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
        // (A joint document's symbol has a kind ending in "LT", then a code for each body that
        // issued it: "…/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN", "…/TTLT-BGDĐT-BNV".)
        let joint = {
            let mut parts = symbol.split(['/', '-']).map(str::trim);
            match parts.position(|part| part.len() > 2 && part.len() <= 5 && part.ends_with("LT")) {
                Some(_) => parts.filter(|part| !part.is_empty()).count(),
                None => 0,
            }
        };
        let mut issuer = issuer_after(&flat[end..], party_resolution, joint);
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
        // A date written right before the body named before the citation ("…, ngày 16/8/2018 Bộ
        // Lao động - Thương binh và Xã hội đã có Công văn số …").
        let mut date_before_issuer = None;
        // The phrases before a citation are read in the last few hundred characters only, so
        // that reading stays linear in the length of the text.
        // (A line break inside the phrase is a space: "… ý" / "kiến của Bộ Nội vụ tại văn bản
        // số"; a blank line still ends a clause. The lines are joined only when no phrase is
        // found on them, and what follows reads the text the phrase was found in.)
        let near_lines = crate::text::last_chars(before, 301);
        let near_joined;
        let mut near = near_lines;
        let mut before_name = None;
        if issuer.is_none() {
            before_name = issuer_before(near_lines);
            // (Only where a phrase's last words can be: "tại", "có", "ban hành", "thông qua", a
            // bracket, near the end.)
            let tail = crate::text::last_chars(near_lines, 130);
            let worth_joining =
                tail.contains('\n') && ["tại", "có", "hành", "qua", "("].iter().any(|word| tail.contains(word));
            if before_name.is_none() && worth_joining {
                near_joined = joined_lines(near_lines);
                before_name = issuer_before(&near_joined);
                if before_name.is_some() {
                    near = near_joined.as_str();
                }
            }
        }
        // `find` runs on the fast automaton; the groups are read on the match alone.
        if let Some(name) = before_name {
            // The name nearest the citation: "đề nghị của A tại Tờ trình số … và của B tại Tờ
            // trình số" gives B.
            let name = name.as_str();
            // A date that opens the clause is the citation's, not part of the body's name: "Ngày
            // 12/3/2020 Tổng cục Thuế có Công văn số …".
            let (name, opening_date) = match crate::date::date_after_ngay(name) {
                Some((date, len)) => (name[len..].trim_start_matches([',', ' ']), Some(date)),
                None => (name, None),
            };
            let name = names::after_opening_adverbial(name);
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
                date_before_issuer = opening_date.or_else(|| near.rfind(name).and_then(|at| date_ending(&near[..at])));
            }
        }
        let date = date.or(date_before_issuer);
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
        // "… Quyết định số 25/… ngày …; Quyết định số 32/… ngày … của UBND tỉnh": an item after a
        // semicolon on the same line, perhaps after the article it cites ("; khoản 2 Điều 1
        // Quyết định số …"), goes on the list too, but hands its issuer back only to items of
        // its own kind.
        let semicolon_item = !on_list && between.is_some_and(lists::semicolon_item);
        let on_list = on_list || semicolon_item;
        // "Nghị định của Chính phủ số 82/2015/NĐ-CP": the issuer between the type word and "số".
        if issuer.is_none()
            && let Some(name) = issuer_between_type_and_number(near)
        {
            issuer = Some(name);
            issuer_from_before = true;
        }
        // "của Bộ Công an và Bộ Ngoại giao (các văn bản số 1792/BC-BCA …, số 170/BNG-LS …)": each
        // body issued the citation in its place.
        if issuer.is_none()
            && let Some(name) = respective_issuer(before, &flat[end..])
        {
            issuer = Some(name);
            issuer_from_before = true;
        }
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
            in_clause.then_some(prev.at)
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
            // của Bộ Tài nguyên và Môi trường" leaves the law's. After a semicolon, even the one
            // before only of the same kind: "Luật số 90/2025/QH15; Nghị định số 214/… của Chính
            // phủ" leaves the law's.
            for (step, &at) in list_run.iter().rev().enumerate() {
                let same_kind = found[at].doc_type.is_none() || found[at].doc_type == doc_type;
                if found[at].issuer_text.is_some() || ((step > 0 || semicolon_item) && !same_kind) {
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
        let existing = found_keys
            .iter()
            .zip(&found)
            .position(|found| same_document(found, (&this_key, &reference)));
        let this_at = existing.unwrap_or(found.len());
        if !on_list {
            list_run.clear();
        }
        list_run.push(this_at);
        match existing.map(|at| &mut found[at]) {
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
            at: this_at,
            end,
            issuer_from_before,
        });
    }
    found
}

/// A text with each single line break a space (a blank line kept).
fn joined_lines(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for at in memchr::memchr_iter(b'\n', bytes) {
        let lone = bytes.get(at + 1) != Some(&b'\n') && (at == 0 || bytes[at - 1] != b'\n');
        if lone {
            out.push_str(&text[copied..at]);
            out.push(' ');
            copied = at + 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}
