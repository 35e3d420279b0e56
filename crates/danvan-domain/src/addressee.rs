//! Addressees (`Kính gửi`) resolved to agencies.
//!
//! Documents address agencies by collective phrases ("Các Sở, Ban, ngành", "UBND các huyện,
//! thành phố Gia Nghĩa") or by their heads ("Giám đốc Sở Y tế"). These rules turn such a line
//! into the agencies it meant on the document's date; what they cannot read is left for a
//! person to map, and the mapping is remembered by the store.

use time::Date;

use crate::search::fold;
use crate::unit::{Unit, UnitKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub unit_ids: Vec<i64>,
    /// Which rules matched, in Vietnamese, for the reviewer.
    pub rule: String,
}

/// Collective phrases (folded) and the kind of agency they address.
const COLLECTIVE: &[(&str, UnitKind, &str)] = &[
    ("so, ban, nganh", UnitKind::Department, "Các sở, ban, ngành"),
    ("so ban nganh", UnitKind::Department, "Các sở, ban, ngành"),
    ("cac so,", UnitKind::Department, "Các sở, ban, ngành"),
    ("co quan chuyen mon thuoc", UnitKind::Department, "Các sở, ban, ngành"),
    ("don vi su nghiep", UnitKind::ServiceUnit, "Các đơn vị sự nghiệp"),
    ("ubnd cac huyen", UnitKind::DistrictCommittee, "UBND cấp huyện"),
    (
        "uy ban nhan dan cac huyen",
        UnitKind::DistrictCommittee,
        "UBND cấp huyện",
    ),
    (
        "ubnd huyen, thi xa, thanh pho",
        UnitKind::DistrictCommittee,
        "UBND cấp huyện",
    ),
    ("cac quan - huyen", UnitKind::DistrictCommittee, "UBND cấp huyện"),
    ("ubnd cac xa", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("ubnd cac phuong", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("ubnd cac dac khu", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("ubnd xa, phuong", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("ubnd cap xa", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("uy ban nhan dan cac xa", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("uy ban nhan dan cac phuong", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("uy ban nhan dan xa, phuong", UnitKind::CommuneCommittee, "UBND cấp xã"),
    ("uy ban nhan dan cap xa", UnitKind::CommuneCommittee, "UBND cấp xã"),
];

/// One match in the folded line: where, and whom it names.
struct Found {
    start: usize,
    end: usize,
    unit_ids: Vec<i64>,
    rule: &'static str,
}

/// Resolves one addressee line against the agencies alive on `on`. A line may name several
/// addressees ("Sở Nội vụ, Sở GD&ĐT, các sở, ban, ngành tỉnh, UBND các xã, phường, đặc khu"):
/// every collective phrase, every agency named by its name, short name or the usual
/// abbreviation of its name ("Sở GD&ĐT", "Sở NN&PTNT") counts, the longest where two overlap;
/// communes listed after their collective phrase ("UBND các xã: Quảng Sơn, Quảng Hòa") are those
/// communes only.
pub fn resolve(text: &str, units: &[Unit], on: Date) -> Option<Resolution> {
    let folded = normalise(&fold(text));
    let alive: Vec<&Unit> = units.iter().filter(|u| u.is_active_on(on)).collect();
    let mut found = Vec::new();
    for (phrase, kind, rule) in COLLECTIVE {
        for (start, _) in folded.match_indices(phrase) {
            let end = start + phrase.len();
            let of_kind: Vec<&Unit> = alive.iter().copied().filter(|u| u.kind == *kind).collect();
            let listed = if *kind == UnitKind::CommuneCommittee {
                listed_communes(&folded[end..], &of_kind)
            } else {
                Vec::new()
            };
            let (unit_ids, end, rule) = match listed.last() {
                Some((_, listed_end)) => (
                    listed.iter().map(|(id, _)| *id).collect(),
                    end + listed_end,
                    "Tên đơn vị",
                ),
                None => (of_kind.iter().map(|u| u.id).collect::<Vec<_>>(), end, *rule),
            };
            if !unit_ids.is_empty() {
                found.push(Found {
                    start,
                    end,
                    unit_ids,
                    rule,
                });
            }
        }
    }
    for unit in &alive {
        for name in names_of(unit) {
            if name.chars().count() < 6 {
                continue;
            }
            for start in word_matches(&folded, &name) {
                found.push(Found {
                    start,
                    end: start + name.len(),
                    unit_ids: vec![unit.id],
                    rule: "Tên đơn vị",
                });
            }
        }
    }
    // The longest matches first; a match inside a longer one is dropped.
    found.sort_by_key(|f| (std::cmp::Reverse(f.end - f.start), f.start));
    let mut kept: Vec<&Found> = Vec::new();
    for candidate in &found {
        let overlaps = kept.iter().any(|k| {
            candidate.start < k.end
                && k.start < candidate.end
                && !(k.start == candidate.start && k.end == candidate.end)
        });
        if !overlaps {
            kept.push(candidate);
        }
    }
    if kept.is_empty() {
        return None;
    }
    kept.sort_by_key(|f| f.start);
    let mut unit_ids: Vec<i64> = Vec::new();
    let mut rules: Vec<&str> = Vec::new();
    for f in kept {
        for id in &f.unit_ids {
            if !unit_ids.contains(id) {
                unit_ids.push(*id);
            }
        }
        if !rules.contains(&f.rule) {
            rules.push(f.rule);
        }
    }
    Some(Resolution {
        unit_ids,
        rule: rules.join("; "),
    })
}

/// Spacing and punctuation inside abbreviations made regular: "gd & dt" and "gd&dt" alike,
/// "ld-tb&xh" and "vh,tt&dl" as "ldtb&xh" and "vhtt&dl". Only a comma or hyphen between two
/// letters before a word's last "&" is dropped ("gd&dt,so y te" keeps its comma). Linear in the
/// text.
fn normalise(folded: &str) -> String {
    let spaced = folded.replace(" & ", "&").replace("& ", "&").replace(" &", "&");
    let mut out = String::with_capacity(spaced.len());
    for (n, word) in spaced.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let Some(last_amp) = word.rfind('&') else {
            out.push_str(word);
            continue;
        };
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let between =
                k > 0 && k + 1 < chars.len() && chars[k - 1].1.is_alphanumeric() && chars[k + 1].1.is_alphanumeric();
            if (c == ',' || c == '-') && between && at < last_amp {
                continue;
            }
            out.push(c);
        }
    }
    out
}

/// The folded names a document may use for an agency: its name, its short name, and for a
/// "Sở …" or "Ban …" the abbreviation of the rest by syllable initials, "và" read as "&"
/// ("Sở Giáo dục và Đào tạo": "so gd&dt" and "so gddt").
fn names_of(unit: &Unit) -> Vec<String> {
    let mut names = vec![normalise(&fold(&unit.name)), normalise(&fold(&unit.short_name))];
    let name = fold(&unit.name);
    for head in ["so ", "ban "] {
        let Some(rest) = name.strip_prefix(head) else {
            continue;
        };
        let mut initials = String::new();
        for word in rest
            .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
            .filter(|w| !w.is_empty())
        {
            if word == "va" {
                initials.push('&');
            } else if let Some(c) = word.chars().next() {
                initials.push(c);
            }
        }
        let letters = initials.chars().filter(|c| c.is_alphanumeric()).count();
        if letters >= 3 {
            names.push(format!("{head}{initials}"));
            if initials.contains('&') {
                names.push(format!("{head}{}", initials.replace('&', "")));
            }
        }
    }
    names.dedup();
    names
}

/// Communes named after a collective phrase: the text right after it, split at commas,
/// semicolons, colons and "và", each part a commune's name with or without its kind. Returns
/// each commune found with the end of its part in `rest`; nothing when the first part is not a
/// commune ("UBND các xã, phường, đặc khu" names no commune).
fn listed_communes(rest: &str, communes: &[&Unit]) -> Vec<(i64, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for piece in rest.split_inclusive([',', ';', ':']) {
        let part_start = offset;
        offset += piece.len();
        for (sub_offset, part) in split_and(piece) {
            let trimmed = part.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.'));
            if trimmed.is_empty() {
                continue;
            }
            // The kinds after the phrase ("UBND các xã, phường, đặc khu") name no commune.
            if out.is_empty() && ["xa", "phuong", "dac khu", "thi tran"].contains(&trimmed) {
                continue;
            }
            let bare = ["xa ", "phuong ", "dac khu "]
                .iter()
                .find_map(|k| trimmed.strip_prefix(k))
                .unwrap_or(trimmed);
            let hit = communes.iter().find(|u| {
                let short = fold(&u.short_name);
                let short_bare = ["xa ", "phuong ", "dac khu "]
                    .iter()
                    .find_map(|k| short.strip_prefix(k))
                    .unwrap_or(&short)
                    .to_owned();
                short_bare == bare
            });
            match hit {
                Some(unit) => out.push((unit.id, part_start + sub_offset + part.len())),
                None => return out,
            }
        }
    }
    out
}

/// A piece of a list split at " và ", each part with its offset.
fn split_and(piece: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, _) in piece.match_indices(" va ") {
        parts.push((start, &piece[start..at]));
        start = at + 4;
    }
    parts.push((start, &piece[start..]));
    parts
}

/// Where `needle` occurs in `haystack` on word boundaries.
fn word_matches(haystack: &str, needle: &str) -> Vec<usize> {
    haystack
        .match_indices(needle)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = haystack[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = haystack[at + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            before && after
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn unit(id: i64, name: &str, kind: UnitKind) -> Unit {
        Unit {
            id,
            code: format!("U{id}"),
            name: name.into(),
            short_name: name.into(),
            kind,
            parent_id: None,
            group_id: None,
            valid_from: date!(2004 - 01 - 01),
            valid_to: None,
        }
    }

    #[test]
    fn collective_phrases_and_named_heads_resolve() {
        let units = vec![
            unit(1, "Sở Y tế", UnitKind::Department),
            unit(2, "Sở Nội vụ", UnitKind::Department),
            unit(3, "Đài Phát thanh và Truyền hình tỉnh", UnitKind::ServiceUnit),
            unit(4, "UBND huyện Cư Jút", UnitKind::DistrictCommittee),
            unit(5, "UBND thành phố Gia Nghĩa", UnitKind::DistrictCommittee),
        ];
        let on = date!(2022 - 04 - 25);
        let ids = |text: &str| resolve(text, &units, on).map(|r| r.unit_ids);
        assert_eq!(ids("Các Sở, Ban, ngành"), Some(vec![1, 2]));
        assert_eq!(ids("Các đơn vị sự nghiệp cấp tỉnh"), Some(vec![3]));
        assert_eq!(ids("UBND các huyện, thành phố Gia Nghĩa"), Some(vec![4, 5]));
        assert_eq!(ids("Giám đốc Sở Y tế"), Some(vec![1]));
        assert_eq!(ids("Bộ Nội vụ"), None);
        // "Sở Y tế" must not match inside a longer word.
        assert_eq!(ids("Sở Y tếx"), None);
    }

    fn alive(id: i64, name: &str, short: &str, kind: UnitKind, from: Date, to: Option<Date>) -> Unit {
        Unit {
            short_name: short.into(),
            valid_from: from,
            valid_to: to,
            ..unit(id, name, kind)
        }
    }

    /// Lâm Đồng after 1 July 2025, with Đắk Nông's departments of the same names closed the day
    /// before.
    fn lam_dong() -> Vec<Unit> {
        let reform = date!(2025 - 07 - 01);
        let before = Some(date!(2025 - 06 - 30));
        let old = date!(2004 - 01 - 01);
        vec![
            alive(1, "Sở Nội vụ", "Sở Nội vụ", UnitKind::Department, old, before),
            alive(2, "Sở Nội vụ", "SNV", UnitKind::Department, reform, None),
            alive(
                3,
                "Sở Giáo dục và Đào tạo",
                "Sở GDĐT",
                UnitKind::Department,
                reform,
                None,
            ),
            alive(
                4,
                "Sở Nông nghiệp và Môi trường",
                "Sở NNMT",
                UnitKind::Department,
                reform,
                None,
            ),
            alive(
                5,
                "Sở Lao động - Thương binh và Xã hội",
                "Sở LĐTBXH",
                UnitKind::Department,
                old,
                before,
            ),
            alive(
                10,
                "UBND xã Quảng Sơn",
                "Xã Quảng Sơn",
                UnitKind::CommuneCommittee,
                reform,
                None,
            ),
            alive(
                11,
                "UBND xã Quảng Hòa",
                "Xã Quảng Hòa",
                UnitKind::CommuneCommittee,
                reform,
                None,
            ),
            alive(
                12,
                "UBND phường Bắc Gia Nghĩa",
                "Phường Bắc Gia Nghĩa",
                UnitKind::CommuneCommittee,
                reform,
                None,
            ),
            alive(
                13,
                "UBND đặc khu Phú Quý",
                "Đặc khu Phú Quý",
                UnitKind::CommuneCommittee,
                reform,
                None,
            ),
            alive(
                20,
                "UBND huyện Đắk Glong",
                "Huyện Đắk Glong",
                UnitKind::DistrictCommittee,
                old,
                before,
            ),
        ]
    }

    #[test]
    fn addressees_after_2025_resolve_to_the_agencies_alive_on_the_documents_date() {
        let units = lam_dong();
        let on = date!(2025 - 08 - 05);
        let ids = |text: &str| resolve(text, &units, on).map(|r| r.unit_ids);
        // The dispatch of 05/08/2025 of the issue: every addressee on one line.
        assert_eq!(
            ids("Sở Nội vụ, Sở GD&ĐT, các sở, ban, ngành tỉnh, UBND các xã, phường, đặc khu"),
            Some(vec![2, 3, 4, 10, 11, 12, 13])
        );
        assert_eq!(ids("Các sở, ban, ngành tỉnh"), Some(vec![2, 3, 4]));
        assert_eq!(ids("UBND các xã, phường, đặc khu"), Some(vec![10, 11, 12, 13]));
        assert_eq!(ids("UBND các xã, phường"), Some(vec![10, 11, 12, 13]));
        assert_eq!(ids("Chủ tịch UBND các phường, xã"), Some(vec![10, 11, 12, 13]));
        // Named communes, alone or listed after their phrase.
        assert_eq!(ids("UBND xã Quảng Sơn"), Some(vec![10]));
        assert_eq!(ids("Chủ tịch UBND phường Bắc Gia Nghĩa"), Some(vec![12]));
        assert_eq!(ids("UBND các xã: Quảng Sơn, Quảng Hòa"), Some(vec![10, 11]));
        assert_eq!(ids("UBND các xã Quảng Sơn và Quảng Hòa"), Some(vec![10, 11]));
        assert_eq!(ids("UBND các xã, phường: Quảng Sơn, Bắc Gia Nghĩa"), Some(vec![10, 12]));
        // Abbreviations as documents write them.
        assert_eq!(ids("Sở GD & ĐT"), Some(vec![3]));
        assert_eq!(ids("Sở GD&ĐT,Sở Nội vụ"), Some(vec![3, 2]));
        assert_eq!(ids("Giám đốc Sở NN&MT"), Some(vec![4]));
        assert_eq!(
            ids("Sở Giáo dục và Đào tạo; Sở Nông nghiệp và Môi trường"),
            Some(vec![3, 4])
        );
        // What ended before the document's date is not addressed.
        assert_eq!(ids("UBND huyện Đắk Glong"), None);
        assert_eq!(ids("Sở LĐ-TB&XH"), None);
        let before = date!(2025 - 06 - 01);
        assert_eq!(
            resolve("Sở LĐ-TB&XH", &units, before).map(|r| r.unit_ids),
            Some(vec![5])
        );
        assert_eq!(resolve("Sở Nội vụ", &units, before).map(|r| r.unit_ids), Some(vec![1]));
        assert_eq!(resolve("UBND các xã", &units, before), None);
    }
}
