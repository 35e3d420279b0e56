//! Agencies (đơn vị) and their lifetimes.
//!
//! An agency exists from `valid_from` to `valid_to` (inclusive, open when `None`). It is never
//! deleted: the 2025 reorganisation closed agencies and named their successors, and the history
//! of 2022 must stay readable under the names of the time. The tree shown for a date holds the
//! agencies alive on that date.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::collation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    ProvincialCommittee,
    Department,
    ServiceUnit,
    DistrictCommittee,
    CommuneCommittee,
    Other,
}

impl UnitKind {
    pub const ALL: [UnitKind; 6] = [
        UnitKind::ProvincialCommittee,
        UnitKind::Department,
        UnitKind::ServiceUnit,
        UnitKind::DistrictCommittee,
        UnitKind::CommuneCommittee,
        UnitKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::ProvincialCommittee => "provincial_committee",
            UnitKind::Department => "department",
            UnitKind::ServiceUnit => "service_unit",
            UnitKind::DistrictCommittee => "district_committee",
            UnitKind::CommuneCommittee => "commune_committee",
            UnitKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::ProvincialCommittee => "UBND tỉnh",
            UnitKind::Department => "Sở, ban, ngành",
            UnitKind::ServiceUnit => "Đơn vị sự nghiệp",
            UnitKind::DistrictCommittee => "UBND cấp huyện",
            UnitKind::CommuneCommittee => "UBND cấp xã",
            UnitKind::Other => "Khác",
        }
    }
}

/// A group (khối) of agencies ranked together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitGroup {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub group_id: Option<i64>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl Unit {
    pub fn is_active_on(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// What is wrong with an agency a person entered. Each variant has Vietnamese text in
/// [`crate::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    #[error("unit name is empty or longer than 200 characters")]
    Name,
    #[error("unit short name is empty or longer than 80 characters")]
    ShortName,
    #[error("unit code must be 2 to 32 characters of A-Z, 0-9, '-' or '_'")]
    Code,
    #[error("unknown unit kind")]
    Kind,
    #[error("date is not a valid dd/mm/yyyy date")]
    Date,
    #[error("valid_to is before valid_from")]
    DateOrder,
    #[error("a unit cannot be its own parent or successor")]
    SelfReference,
    #[error("the parent unit does not exist on the unit's start date")]
    ParentNotActive,
    #[error("the unit is already closed")]
    AlreadyClosed,
    #[error("a successor must start on or before the day after the closing date")]
    SuccessorNotActive,
    #[error("unknown successor kind")]
    SuccessionKind,
    #[error(
        "electronic identifier must be a letter A-Y and two digits, lower levels after dots, at most 35 characters"
    )]
    Identifier,
    #[error("administrative unit code must be 2, 3 or 5 digits")]
    AdminCode,
    #[error("the identifier is carried by another agency in the same period")]
    IdentifierTaken,
    #[error("the agency already carries an identifier of this scheme in the period")]
    IdentifierOverlap,
    #[error("the predecessor must end the day before the succession takes effect")]
    PredecessorNotEnded,
}

/// An agency as entered, checked, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub group_id: Option<i64>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

/// The fields of an agency as a person typed them.
#[derive(Debug, Clone, Default)]
pub struct UnitInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub short_name: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub group_id: Option<i64>,
    pub valid_from: &'a str,
    pub valid_to: &'a str,
}

impl NewUnit {
    /// Checks every field and returns all the problems at once, so a form can show them together.
    pub fn parse(input: &UnitInput<'_>) -> Result<NewUnit, Vec<(&'static str, UnitError)>> {
        let mut errors = Vec::new();
        let name = collapse_spaces(input.name);
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(("name", UnitError::Name));
        }
        let short_name = collapse_spaces(input.short_name);
        let short_name = if short_name.is_empty() {
            name.clone()
        } else {
            short_name
        };
        if short_name.is_empty() || short_name.chars().count() > 80 {
            errors.push(("short_name", UnitError::ShortName));
        }
        let code = input.code.trim().to_ascii_uppercase();
        if !(2..=32).contains(&code.len())
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            errors.push(("code", UnitError::Code));
        }
        let kind = UnitKind::from_code(input.kind.trim());
        if kind.is_none() {
            errors.push(("kind", UnitError::Kind));
        }
        let valid_from = crate::date::parse(input.valid_from);
        if valid_from.is_none() {
            errors.push(("valid_from", UnitError::Date));
        }
        let valid_to = if input.valid_to.trim().is_empty() {
            None
        } else {
            let parsed = crate::date::parse(input.valid_to);
            if parsed.is_none() {
                errors.push(("valid_to", UnitError::Date));
            }
            parsed
        };
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to < from
        {
            errors.push(("valid_to", UnitError::DateOrder));
        }
        match (kind, valid_from) {
            (Some(kind), Some(valid_from)) if errors.is_empty() => Ok(NewUnit {
                code,
                name,
                short_name,
                kind,
                parent_id: input.parent_id,
                group_id: input.group_id,
                valid_from,
                valid_to,
            }),
            _ => Err(errors),
        }
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SuccessionKind {
    /// The agency was merged into the successor (sáp nhập, hợp nhất).
    Merger,
    /// The agency was split; it has several successors (chia tách).
    Split,
    /// The agency continues under a new name or code (đổi tên).
    Rename,
}

impl SuccessionKind {
    pub const ALL: [SuccessionKind; 3] = [SuccessionKind::Merger, SuccessionKind::Split, SuccessionKind::Rename];

    pub fn code(self) -> &'static str {
        match self {
            SuccessionKind::Merger => "merger",
            SuccessionKind::Split => "split",
            SuccessionKind::Rename => "rename",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SuccessionKind::Merger => "Sáp nhập, hợp nhất",
            SuccessionKind::Split => "Chia tách",
            SuccessionKind::Rename => "Đổi tên",
        }
    }
}

/// A link from an agency that ended to one that carries on its work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Succession {
    pub predecessor_id: i64,
    pub successor_id: i64,
    pub kind: SuccessionKind,
    /// The first day on which the successor carries the work.
    pub effective_on: Date,
}

/// Checks a closing: the unit ends on `closed_on`, and each successor must be alive the day after.
/// The province's People's Committee in office on `day` (a restructuring replaces it): the unit
/// at the top of the tree that issues the province's documents.
pub fn province_committee<'a>(units: impl IntoIterator<Item = &'a Unit>, day: Date) -> Option<&'a Unit> {
    units
        .into_iter()
        .find(|u| u.kind == UnitKind::ProvincialCommittee && u.parent_id.is_none() && u.is_active_on(day))
}

impl Unit {
    /// The province's name as documents write it after "tỉnh": "UBND tỉnh Đắk Nông" gives "Đắk
    /// Nông".
    pub fn province_name(&self) -> String {
        self.name.trim_start_matches("UBND tỉnh").trim().to_owned()
    }
}

pub fn check_closing(unit: &Unit, closed_on: Date, successors: &[&Unit]) -> Result<(), UnitError> {
    if unit.valid_to.is_some() {
        return Err(UnitError::AlreadyClosed);
    }
    if closed_on < unit.valid_from {
        return Err(UnitError::DateOrder);
    }
    let next_day = closed_on.next_day().ok_or(UnitError::Date)?;
    for successor in successors {
        if successor.id == unit.id {
            return Err(UnitError::SelfReference);
        }
        if !successor.is_active_on(next_day) {
            return Err(UnitError::SuccessorNotActive);
        }
    }
    Ok(())
}

/// Successions indexed by their predecessor, for [`carried_by`].
pub type SuccessionIndex = HashMap<i64, Vec<Succession>>;

pub fn successions_by_predecessor(successions: impl IntoIterator<Item = Succession>) -> SuccessionIndex {
    let mut index: SuccessionIndex = HashMap::new();
    for succession in successions {
        index.entry(succession.predecessor_id).or_default().push(succession);
    }
    index
}

/// The agency alive on `day` that carries on `unit_id`'s work: itself when alive, else its one
/// successor (followed through later mergers and renamings). `None` when the work was divided
/// among several (a split) or the agency ended without a successor: its records then stay its
/// own.
pub fn carried_by(unit_id: i64, successions: &SuccessionIndex, units: &HashMap<i64, &Unit>, day: Date) -> Option<i64> {
    let mut current = unit_id;
    for _ in 0..64 {
        let unit = units.get(&current)?;
        if unit.is_active_on(day) {
            return Some(current);
        }
        let next: Vec<i64> = successions
            .get(&current)
            .into_iter()
            .flatten()
            .filter(|s| s.effective_on <= day)
            .map(|s| s.successor_id)
            .collect();
        match next.as_slice() {
            [only] => current = *only,
            _ => return None,
        }
    }
    None
}

/// One agency in the tree, with its depth for indentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow<'a> {
    pub unit: &'a Unit,
    pub depth: usize,
}

/// The agencies alive on `date`, as a tree flattened in display order: each parent followed by
/// its children, siblings in Vietnamese order of their names. An agency whose parent is not
/// alive on that date is shown at the top level rather than lost.
pub fn tree_on(units: &[Unit], date: Date) -> Vec<TreeRow<'_>> {
    let alive: Vec<&Unit> = units.iter().filter(|u| u.is_active_on(date)).collect();
    let alive_ids: std::collections::HashSet<i64> = alive.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i64>, Vec<&Unit>> = HashMap::new();
    for unit in &alive {
        let parent = unit.parent_id.filter(|p| alive_ids.contains(p));
        children.entry(parent).or_default().push(unit);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| {
            kind_rank(a.kind)
                .cmp(&kind_rank(b.kind))
                .then_with(|| collation::compare(&a.name, &b.name))
        });
    }
    let mut rows = Vec::with_capacity(alive.len());
    let mut stack: Vec<(&Unit, usize)> = children
        .get(&None)
        .map(|l| l.iter().rev().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((unit, depth)) = stack.pop() {
        rows.push(TreeRow { unit, depth });
        if let Some(kids) = children.get(&Some(unit.id)) {
            stack.extend(kids.iter().rev().map(|u| (*u, depth + 1)));
        }
    }
    rows
}

/// Order of kinds among siblings: departments before service units before district committees.
fn kind_rank(kind: UnitKind) -> u8 {
    match kind {
        UnitKind::ProvincialCommittee => 0,
        UnitKind::Department => 1,
        UnitKind::ServiceUnit => 2,
        UnitKind::DistrictCommittee => 3,
        UnitKind::CommuneCommittee => 4,
        UnitKind::Other => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn unit(id: i64, name: &str, kind: UnitKind, parent: Option<i64>, from: Date, to: Option<Date>) -> Unit {
        Unit {
            id,
            code: format!("U{id}"),
            name: name.into(),
            short_name: name.into(),
            kind,
            parent_id: parent,
            group_id: None,
            valid_from: from,
            valid_to: to,
        }
    }

    #[test]
    fn the_province_committee_is_the_one_in_office_on_the_day() {
        let units = vec![
            unit(
                1,
                "UBND tỉnh Đắk Nông",
                UnitKind::ProvincialCommittee,
                None,
                date!(2004 - 01 - 01),
                Some(date!(2025 - 06 - 30)),
            ),
            unit(
                2,
                "Sở Nội vụ",
                UnitKind::Department,
                Some(1),
                date!(2004 - 01 - 01),
                None,
            ),
            unit(
                3,
                "UBND tỉnh Lâm Đồng",
                UnitKind::ProvincialCommittee,
                None,
                date!(2025 - 07 - 01),
                None,
            ),
        ];
        let on = |day| province_committee(&units, day).map(Unit::province_name);
        assert_eq!(on(date!(2022 - 12 - 15)).as_deref(), Some("Đắk Nông"));
        assert_eq!(on(date!(2025 - 07 - 01)).as_deref(), Some("Lâm Đồng"));
        assert_eq!(on(date!(2000 - 01 - 01)), None);
    }

    #[test]
    fn tree_shows_the_agencies_alive_on_the_date_in_vietnamese_order() {
        let start = date!(2004 - 01 - 01);
        let units = vec![
            unit(
                1,
                "UBND tỉnh Đắk Nông",
                UnitKind::ProvincialCommittee,
                None,
                start,
                Some(date!(2025 - 06 - 30)),
            ),
            unit(
                2,
                "UBND thành phố Gia Nghĩa",
                UnitKind::DistrictCommittee,
                Some(1),
                start,
                Some(date!(2025 - 06 - 30)),
            ),
            unit(
                3,
                "UBND huyện Đắk Mil",
                UnitKind::DistrictCommittee,
                Some(1),
                start,
                Some(date!(2025 - 06 - 30)),
            ),
            unit(
                4,
                "UBND huyện Cư Jút",
                UnitKind::DistrictCommittee,
                Some(1),
                start,
                Some(date!(2025 - 06 - 30)),
            ),
            unit(5, "Sở Y tế", UnitKind::Department, Some(1), start, None),
            unit(
                6,
                "Sở Lao động - Thương binh và Xã hội",
                UnitKind::Department,
                Some(1),
                start,
                Some(date!(2025 - 02 - 28)),
            ),
        ];
        let names = |d| {
            tree_on(&units, d)
                .iter()
                .map(|r| (r.unit.name.clone(), r.depth))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(date!(2022 - 12 - 15)),
            [
                ("UBND tỉnh Đắk Nông".to_string(), 0),
                ("Sở Lao động - Thương binh và Xã hội".to_string(), 1),
                ("Sở Y tế".to_string(), 1),
                ("UBND huyện Cư Jút".to_string(), 1),
                ("UBND huyện Đắk Mil".to_string(), 1),
                ("UBND thành phố Gia Nghĩa".to_string(), 1),
            ]
        );
        // After the reorganisation the department outlives its old parent and rises to the top.
        assert_eq!(names(date!(2025 - 07 - 01)), [("Sở Y tế".to_string(), 0)]);
    }

    #[test]
    fn work_is_carried_by_the_one_successor_alive_on_the_day() {
        let old = date!(2004 - 01 - 01);
        let march = date!(2025 - 03 - 01);
        let july = date!(2025 - 07 - 01);
        let units = [
            unit(
                1,
                "Sở LĐTBXH",
                UnitKind::Department,
                None,
                old,
                Some(date!(2025 - 02 - 28)),
            ),
            unit(
                2,
                "Sở Nội vụ",
                UnitKind::Department,
                None,
                old,
                Some(date!(2025 - 06 - 30)),
            ),
            unit(3, "Sở Nội vụ (Lâm Đồng)", UnitKind::Department, None, july, None),
            unit(
                4,
                "UBND huyện",
                UnitKind::DistrictCommittee,
                None,
                old,
                Some(date!(2025 - 06 - 30)),
            ),
            unit(5, "UBND xã A", UnitKind::CommuneCommittee, None, july, None),
            unit(6, "UBND xã B", UnitKind::CommuneCommittee, None, july, None),
        ];
        let by_id: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        let link = |p, s, on| Succession {
            predecessor_id: p,
            successor_id: s,
            kind: SuccessionKind::Merger,
            effective_on: on,
        };
        let successions =
            successions_by_predecessor([link(1, 2, march), link(2, 3, july), link(4, 5, july), link(4, 6, july)]);
        let carried = |id, day| carried_by(id, &successions, &by_id, day);
        assert_eq!(carried(1, date!(2022 - 12 - 31)), Some(1));
        assert_eq!(carried(1, date!(2025 - 04 - 30)), Some(2));
        assert_eq!(carried(1, date!(2025 - 12 - 31)), Some(3));
        // Divided among several: the records stay the old agency's.
        assert_eq!(carried(4, date!(2025 - 12 - 31)), None);
        assert_eq!(carried(99, date!(2025 - 12 - 31)), None);
    }

    #[test]
    fn new_unit_reports_every_bad_field() {
        let input = UnitInput {
            code: "x",
            name: " ",
            kind: "nonsense",
            valid_from: "31/02/2022",
            ..Default::default()
        };
        let errors = NewUnit::parse(&input).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "short_name", "code", "kind", "valid_from"]);
    }

    #[test]
    fn new_unit_normalises_spaces_and_code_case() {
        let input = UnitInput {
            code: " snv ",
            name: "Sở  Nội   vụ",
            short_name: "",
            kind: "department",
            valid_from: "01/01/2004",
            valid_to: "",
            ..Default::default()
        };
        let unit = NewUnit::parse(&input).unwrap();
        assert_eq!(
            (unit.code.as_str(), unit.name.as_str(), unit.short_name.as_str()),
            ("SNV", "Sở Nội vụ", "Sở Nội vụ")
        );
        let bad_order = UnitInput {
            valid_to: "31/12/2003",
            ..input
        };
        assert_eq!(
            NewUnit::parse(&bad_order).unwrap_err(),
            [("valid_to", UnitError::DateOrder)]
        );
    }

    #[test]
    fn closing_requires_successors_alive_the_next_day() {
        let ldtbxh = unit(6, "Sở LĐTBXH", UnitKind::Department, None, date!(2004 - 01 - 01), None);
        let snv = unit(7, "Sở Nội vụ", UnitKind::Department, None, date!(2004 - 01 - 01), None);
        let later = unit(8, "Sở mới", UnitKind::Department, None, date!(2025 - 04 - 01), None);
        assert_eq!(check_closing(&ldtbxh, date!(2025 - 02 - 28), &[&snv]), Ok(()));
        assert_eq!(
            check_closing(&ldtbxh, date!(2025 - 02 - 28), &[&later]),
            Err(UnitError::SuccessorNotActive)
        );
        assert_eq!(
            check_closing(&ldtbxh, date!(2025 - 02 - 28), &[&ldtbxh]),
            Err(UnitError::SelfReference)
        );
        let closed = Unit {
            valid_to: Some(date!(2025 - 02 - 28)),
            ..ldtbxh
        };
        assert_eq!(
            check_closing(&closed, date!(2025 - 03 - 28), &[&snv]),
            Err(UnitError::AlreadyClosed)
        );
    }
}
