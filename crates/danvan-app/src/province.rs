//! Setting up a province: its People's Committee and communes from the shipped map, and its
//! departments from a spreadsheet.
//!
//! Both are all or nothing and can be run again: what exists is found (by its administrative
//! unit code, or by its name when it was entered by hand before) and left as it is.

use std::collections::{BTreeMap, HashMap, HashSet};

use danvan_domain::admin_map::{self, LAST_DAY_BEFORE_REFORM, REFORM_DAY};
use danvan_domain::identifier::Scheme;
use danvan_domain::role::Access;
use danvan_domain::search::fold;
use danvan_domain::unit::{NewUnit, SuccessionKind, Unit, UnitInput, UnitKind};
use danvan_store::{Store, StoreError};
use time::Date;

use crate::{Refusal, User};

/// What importing a province did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvinceImport {
    /// The province's People's Committee.
    pub committee_id: i64,
    /// Agencies created (the committee and communes).
    pub created: usize,
    /// Agencies that were already there (found by code or by name).
    pub existing: usize,
    /// Successions linked from former agencies (the former provinces' committees and the
    /// districts' committees whose codes the agencies carry) to the new ones.
    pub linked: usize,
}

/// "Tỉnh Lâm Đồng" → "UBND tỉnh Lâm Đồng"; "Xã Quảng Sơn" → "UBND xã Quảng Sơn".
pub fn committee_name(unit_name: &str) -> String {
    let mut chars = unit_name.chars();
    let first: String = chars.next().map(|c| c.to_lowercase().collect()).unwrap_or_default();
    format!("UBND {first}{}", chars.as_str())
}

/// Creates a province's People's Committee and its communes (xã, phường, đặc khu) as the 2025
/// map gives them, from 01/07/2025, each with its administrative unit code, and links the
/// former agencies that carry the codes of the units they were formed from.
pub async fn import_province(store: &Store, user: &User, code: &str) -> Result<ProvinceImport, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let map = admin_map::map();
        let code = code.trim();
        let province = map.province(code).ok_or_else(|| {
            Refusal::Invalid(vec![format!(
                "Không có tỉnh, thành phố mã “{code}” trong danh mục năm 2025 (Quyết định 19/2025/QĐ-TTg)."
            )])
        })?;
        let units = store.list_units().await?;
        // Agencies alive on the reform day by kind and folded name, to find those entered by
        // hand (folded once: the import looks up every commune).
        // Keyed with the parent too: names repeat across provinces ("Xã Tân Thành" in seven).
        let by_name: HashMap<(UnitKind, Option<i64>, String), &Unit> = units
            .iter()
            .filter(|u| u.is_active_on(REFORM_DAY))
            .map(|u| ((u.kind, u.parent_id, fold(&u.name)), u))
            .collect();
        let mut outcome = ProvinceImport::default();
        let committee_id = ensure(
            store,
            user,
            &by_name,
            &mut outcome,
            Wanted {
                admin_code: province.code,
                name: committee_name(province.name),
                short_name: format!("UBND {}", province.short_name()),
                kind: UnitKind::ProvincialCommittee,
                parent_id: None,
            },
        )
        .await?;
        outcome.committee_id = committee_id;
        for old in map.old_provinces.iter().filter(|p| p.successor == province.code) {
            if let Some(predecessor) = store
                .unit_with_identifier(Scheme::Admin, old.code, LAST_DAY_BEFORE_REFORM)
                .await?
            {
                outcome.linked += link(store, user, predecessor, committee_id, SuccessionKind::Merger).await?;
            }
        }
        let mut district_units: HashMap<&str, Option<i64>> = HashMap::new();
        for commune in map.communes_of(province.code) {
            let id = ensure(
                store,
                user,
                &by_name,
                &mut outcome,
                Wanted {
                    admin_code: commune.code,
                    name: committee_name(commune.name),
                    short_name: commune.name.to_owned(),
                    kind: UnitKind::CommuneCommittee,
                    parent_id: Some(committee_id),
                },
            )
            .await?;
            let districts: HashSet<&str> = commune
                .formed_from
                .iter()
                .filter_map(|f| map.district_of(f.unit))
                .map(|d| d.code)
                .collect();
            let mut districts: Vec<&str> = districts.into_iter().collect();
            districts.sort_unstable();
            for district in districts {
                let predecessor = match district_units.get(district) {
                    Some(found) => *found,
                    None => {
                        let found = store
                            .unit_with_identifier(Scheme::Admin, district, LAST_DAY_BEFORE_REFORM)
                            .await?;
                        district_units.insert(district, found);
                        found
                    }
                };
                if let Some(predecessor) = predecessor {
                    outcome.linked += link(store, user, predecessor, id, SuccessionKind::Split).await?;
                }
            }
        }
        Ok(outcome)
    })
}

struct Wanted {
    admin_code: &'static str,
    name: String,
    short_name: String,
    kind: UnitKind,
    parent_id: Option<i64>,
}

/// The agency carrying `wanted`'s code on the reform day; else the one alive then under its
/// name (entered by hand), which is given the code; else a new one.
async fn ensure(
    store: &Store,
    user: &User,
    by_name: &HashMap<(UnitKind, Option<i64>, String), &Unit>,
    outcome: &mut ProvinceImport,
    wanted: Wanted,
) -> Result<i64, Refusal> {
    if let Some(id) = store
        .unit_with_identifier(Scheme::Admin, wanted.admin_code, REFORM_DAY)
        .await?
    {
        outcome.existing += 1;
        return Ok(id);
    }
    let mut by_name = by_name
        .get(&(wanted.kind, wanted.parent_id, fold(&wanted.name)))
        .copied();
    // One entered by hand that already carries another code is another agency.
    if let Some(unit) = by_name {
        let carries_one = store
            .identifiers_of(unit.id)
            .await?
            .iter()
            .any(|i| i.scheme == Scheme::Admin && i.is_active_on(REFORM_DAY));
        if carries_one {
            by_name = None;
        }
    }
    let id = match by_name {
        Some(unit) => {
            outcome.existing += 1;
            unit.id
        }
        None => {
            let unit = NewUnit {
                code: format!("UBND-{}", wanted.admin_code),
                name: wanted.name,
                short_name: wanted.short_name,
                kind: wanted.kind,
                parent_id: wanted.parent_id,
                group_id: None,
                valid_from: REFORM_DAY,
                valid_to: None,
            };
            outcome.created += 1;
            store.create_unit(&user.actor(), &unit).await?
        }
    };
    let from = by_name.map_or(REFORM_DAY, |u| u.valid_from.max(REFORM_DAY));
    store
        .add_identifier(&user.actor(), id, Scheme::Admin, wanted.admin_code, from, None)
        .await?;
    Ok(id)
}

/// Links a former agency to its successor from the reform day, unless already linked or the
/// former agency did not end the day before. Returns 1 when it linked.
async fn link(
    store: &Store,
    user: &User,
    predecessor: i64,
    successor: i64,
    kind: SuccessionKind,
) -> Result<usize, Refusal> {
    let ended = store
        .unit(predecessor)
        .await?
        .is_some_and(|u| u.valid_to == Some(LAST_DAY_BEFORE_REFORM));
    if !ended {
        return Ok(0);
    }
    let known = store
        .successions_of(predecessor)
        .await?
        .iter()
        .any(|s| s.predecessor_id == predecessor && s.successor_id == successor);
    if known {
        return Ok(0);
    }
    store
        .link_succession(&user.actor(), predecessor, successor, kind, REFORM_DAY)
        .await?;
    Ok(1)
}

/// Agencies read from a spreadsheet: one row each, with the columns name, short name, kind,
/// group, code and (optionally) electronic identifier. A first row naming the columns is
/// skipped. Every row is checked and every problem reported with its row number; the agencies
/// are created under `parent_id` from `valid_from` only when no row has a problem.
pub async fn import_agencies(
    store: &Store,
    user: &User,
    rows: &BTreeMap<usize, Vec<String>>,
    parent_id: i64,
    valid_from: Date,
) -> Result<Vec<i64>, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let parent = store.unit(parent_id).await?.ok_or(Refusal::NotFound)?;
        if !parent.is_active_on(valid_from) {
            return Err(Refusal::Invalid(vec![format!(
                "{} không còn hoạt động vào ngày {}.",
                parent.name,
                danvan_domain::date::format_vn(valid_from)
            )]));
        }
        let groups = store.list_groups().await?;
        let mut problems = Vec::new();
        let mut parsed = Vec::new();
        let date = danvan_domain::date::format_vn(valid_from);
        for (index, (row_number, cells)) in rows.iter().enumerate() {
            let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or_default();
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let row = *row_number;
            if index == 0 && fold(cell(0)).starts_with("ten") {
                continue;
            }
            let kind = kind_from_cell(cell(2));
            let group_id = if cell(3).is_empty() {
                None
            } else {
                let folded = fold(cell(3));
                match groups
                    .iter()
                    .find(|g| fold(&g.code) == folded || fold(&g.name) == folded)
                {
                    Some(group) => Some(group.id),
                    None => {
                        problems.push(format!("Dòng {row}: không có nhóm đơn vị “{}”.", cell(3)));
                        None
                    }
                }
            };
            let input = UnitInput {
                code: cell(4),
                name: cell(0),
                short_name: cell(1),
                kind: kind.map(UnitKind::code).unwrap_or("?"),
                parent_id: Some(parent_id),
                group_id,
                valid_from: &date,
                valid_to: "",
            };
            let egov = if cell(5).is_empty() {
                None
            } else {
                match Scheme::Egov.parse(cell(5)) {
                    Ok(code) => Some(code),
                    Err(error) => {
                        problems.push(format!("Dòng {row}: {}", danvan_domain::message::unit_error(error)));
                        None
                    }
                }
            };
            match NewUnit::parse(&input) {
                Ok(unit) => parsed.push((row, unit, egov)),
                Err(errors) => {
                    for (field, error) in errors {
                        let text = if field == "kind" {
                            format!(
                                "loại đơn vị “{}” không có; dùng một trong: {}.",
                                cell(2),
                                UnitKind::ALL.map(UnitKind::label).join("; ")
                            )
                        } else {
                            danvan_domain::message::unit_error(error).to_owned()
                        };
                        problems.push(format!("Dòng {row}: {text}"));
                    }
                }
            }
        }
        if parsed.is_empty() && problems.is_empty() {
            problems.push("Bảng tính không có dòng đơn vị nào.".to_owned());
        }
        let existing: HashSet<String> = store.list_units().await?.into_iter().map(|u| u.code).collect();
        let mut codes = HashSet::new();
        let mut identifiers = HashSet::new();
        for (row, unit, egov) in &parsed {
            if existing.contains(&unit.code) {
                problems.push(format!(
                    "Dòng {row}: mã {} đã được dùng cho một đơn vị khác.",
                    unit.code
                ));
            } else if !codes.insert(unit.code.clone()) {
                problems.push(format!("Dòng {row}: mã {} trùng với một dòng phía trên.", unit.code));
            }
            if let Some(code) = egov {
                let taken = store
                    .unit_with_identifier(Scheme::Egov, code, valid_from)
                    .await?
                    .is_some();
                if taken {
                    problems.push(format!(
                        "Dòng {row}: mã định danh {code} đang được một đơn vị khác sử dụng."
                    ));
                } else if !identifiers.insert(code.clone()) {
                    problems.push(format!("Dòng {row}: mã định danh {code} trùng với một dòng phía trên."));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Refusal::Invalid(problems));
        }
        let mut ids = Vec::with_capacity(parsed.len());
        for (row, unit, egov) in parsed {
            let id = store
                .create_unit(&user.actor(), &unit)
                .await
                .map_err(|error| match error {
                    StoreError::Conflict(_) => Refusal::Invalid(vec![format!(
                        "Dòng {row}: mã {} đã được dùng cho một đơn vị khác.",
                        unit.code
                    )]),
                    other => Refusal::Store(other),
                })?;
            if let Some(code) = egov {
                store
                    .add_identifier(&user.actor(), id, Scheme::Egov, &code, valid_from, None)
                    .await
                    .map_err(|error| match error {
                        StoreError::Unit(error) => Refusal::Invalid(vec![format!(
                            "Dòng {row}: {}",
                            danvan_domain::message::unit_error(error)
                        )]),
                        other => Refusal::Store(other),
                    })?;
            }
            ids.push(id);
        }
        Ok(ids)
    })
}

/// The columns of an agencies sheet, by the titles offices give them (compared without marks or
/// case); the first three are required.
const COLUMNS: [(&str, &[&str]); 6] = [
    (
        "name",
        &["ten don vi", "ten co quan", "ten co quan, don vi", "ten", "don vi"],
    ),
    ("kind", &["loai", "loai don vi", "loai hinh"]),
    ("code", &["ma", "ma don vi", "ky hieu"]),
    ("short_name", &["ten viet tat", "viet tat", "ten ngan"]),
    ("group", &["nhom", "khoi", "nhom don vi", "khoi thi dua"]),
    ("egov", &["ma dinh danh", "ma dinh danh dien tu"]),
];

/// How far down a sheet its header row is looked for.
const HEADER_SEARCH_ROWS: usize = 20;

/// The sheet's rows in the order the use case reads (name, short name, kind, group, code,
/// electronic identifier), keyed by their row in the file. A sheet whose header is not found
/// in its first rows is read in that order as it is.
pub fn agency_rows(rows: BTreeMap<usize, Vec<String>>) -> BTreeMap<usize, Vec<String>> {
    let header = rows.iter().take(HEADER_SEARCH_ROWS).find_map(|(at, cells)| {
        let folded: Vec<String> = cells.iter().map(|c| fold(c.trim().trim_end_matches(':'))).collect();
        let find = |titles: &[&str]| folded.iter().position(|c| titles.contains(&c.as_str()));
        let required: Option<Vec<usize>> = COLUMNS[..3].iter().map(|(_, titles)| find(titles)).collect();
        required.map(|_| (*at, COLUMNS.map(|(_, titles)| find(titles))))
    });
    let Some((at, columns)) = header else {
        return rows;
    };
    // Order: name, short name, kind, group, code, electronic identifier.
    let order = [columns[0], columns[3], columns[1], columns[4], columns[2], columns[5]];
    rows.into_iter()
        .filter(|(number, _)| *number > at)
        .map(|(number, cells)| {
            let picked = order
                .iter()
                .map(|column| column.and_then(|c| cells.get(c).cloned()).unwrap_or_default())
                .collect();
            (number, picked)
        })
        .collect()
}

/// A kind as a spreadsheet writes it: its Vietnamese label, its code, or a common word.
fn kind_from_cell(text: &str) -> Option<UnitKind> {
    let folded = fold(text);
    UnitKind::ALL
        .into_iter()
        .find(|k| fold(k.label()) == folded || k.code() == text.trim())
        .or(match folded.as_str() {
            "so" | "ban" | "nganh" | "so, ban, nganh" | "co quan chuyen mon" => Some(UnitKind::Department),
            "don vi su nghiep" | "su nghiep" => Some(UnitKind::ServiceUnit),
            "ubnd xa" | "xa" | "phuong" | "dac khu" => Some(UnitKind::CommuneCommittee),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committees_are_named_as_documents_name_them() {
        assert_eq!(committee_name("Tỉnh Lâm Đồng"), "UBND tỉnh Lâm Đồng");
        assert_eq!(committee_name("Thành phố Huế"), "UBND thành phố Huế");
        assert_eq!(committee_name("Đặc khu Phú Quý"), "UBND đặc khu Phú Quý");
    }

    #[test]
    fn kinds_read_from_labels_codes_and_common_words() {
        assert_eq!(kind_from_cell("Sở, ban, ngành"), Some(UnitKind::Department));
        assert_eq!(kind_from_cell("sở"), Some(UnitKind::Department));
        assert_eq!(kind_from_cell("service_unit"), Some(UnitKind::ServiceUnit));
        assert_eq!(kind_from_cell("Đơn vị sự nghiệp"), Some(UnitKind::ServiceUnit));
        assert_eq!(kind_from_cell("bộ"), None);
    }

    fn sheet(lines: &[&[&str]]) -> BTreeMap<usize, Vec<String>> {
        lines
            .iter()
            .enumerate()
            .map(|(i, cells)| (i, cells.iter().map(|c| (*c).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn columns_are_found_by_their_titles_below_a_title_line() {
        let rows = agency_rows(sheet(&[
            &["DANH SÁCH CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH"],
            &[],
            &[
                "STT",
                "Mã",
                "Tên cơ quan",
                "Loại",
                "Khối",
                "Mã định danh",
                "Tên viết tắt",
            ],
            &["1", "LD-SNV", "Sở Nội vụ", "Sở, ban, ngành", "SBN", "H36.11", "SNV"],
        ]));
        assert_eq!(
            rows.into_iter().collect::<Vec<_>>(),
            [(
                3,
                ["Sở Nội vụ", "SNV", "Sở, ban, ngành", "SBN", "LD-SNV", "H36.11"]
                    .map(String::from)
                    .to_vec()
            )]
        );
    }

    #[test]
    fn a_sheet_without_a_header_is_read_in_the_documented_order() {
        let lines: &[&[&str]] = &[&["Sở Nội vụ", "SNV", "Sở, ban, ngành", "", "LD-SNV"]];
        assert_eq!(agency_rows(sheet(lines)), sheet(lines));
    }
}
