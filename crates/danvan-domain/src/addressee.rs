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
    /// Which rule matched, in Vietnamese, for the reviewer.
    pub rule: &'static str,
}

/// Collective phrases (folded) and the kind of agency they address.
const COLLECTIVE: &[(&str, UnitKind, &str)] = &[
    ("so, ban, nganh", UnitKind::Department, "Các sở, ban, ngành"),
    ("so ban nganh", UnitKind::Department, "Các sở, ban, ngành"),
    ("cac so,", UnitKind::Department, "Các sở, ban, ngành"),
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
    ("uy ban nhan dan cac xa", UnitKind::CommuneCommittee, "UBND cấp xã"),
];

/// Resolves one addressee line against the agencies alive on `on`.
pub fn resolve(text: &str, units: &[Unit], on: Date) -> Option<Resolution> {
    let folded = fold(text);
    let alive: Vec<&Unit> = units.iter().filter(|u| u.is_active_on(on)).collect();
    for (phrase, kind, rule) in COLLECTIVE {
        if folded.contains(phrase) {
            let unit_ids: Vec<i64> = alive.iter().filter(|u| u.kind == *kind).map(|u| u.id).collect();
            if !unit_ids.is_empty() {
                return Some(Resolution { unit_ids, rule });
            }
        }
    }
    // A single agency named in the line ("Giám đốc Sở Y tế"): the longest name it contains.
    let named = alive
        .iter()
        .flat_map(|u| [(u, fold(&u.name)), (u, fold(&u.short_name))])
        .filter(|(_, name)| name.chars().count() >= 6 && contains_words(&folded, name))
        .max_by_key(|(_, name)| name.len());
    named.map(|(unit, _)| Resolution {
        unit_ids: vec![unit.id],
        rule: "Tên đơn vị",
    })
}

/// Whether `needle` occurs in `haystack` on word boundaries.
fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = haystack[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
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
}
