//! The map of Vietnam's administrative units, shipped in the binary.
//!
//! From 1 July 2025 Vietnam has 34 provinces and 3,321 communes (xã, phường, đặc khu) directly
//! under them, coded by Quyết định 19/2025/QĐ-TTg; before that, 63 provinces, about 700
//! districts and about 10,000 communes coded by Quyết định 124/2004/QĐ-TTg. Both maps are kept:
//! the new one to set up a province, the old one to read history, and for each new commune the
//! former communes it was formed from (the 2025 resolutions of the Standing Committee of the
//! National Assembly), so that a former district's work can be followed to its successors.
//!
//! The facts come from two MIT-licensed data sets on the Python registry, converted by
//! `scripts/admin-map.py` into `data/admin-map.tsv` (sources and licences in `data/README.md`).

use std::collections::HashMap;
use std::sync::LazyLock;

use time::Date;
use time::macros::date;

/// The first day of the two-tier map.
pub const REFORM_DAY: Date = date!(2025 - 07 - 01);
/// The last day of the three-tier map.
pub const LAST_DAY_BEFORE_REFORM: Date = date!(2025 - 06 - 30);

static TEXT: &str = include_str!("../data/admin-map.tsv");

static MAP: LazyLock<AdminMap> =
    LazyLock::new(|| AdminMap::parse(TEXT).expect("the shipped administrative map reads (pinned by tests)"));

/// The shipped map.
pub fn map() -> &'static AdminMap {
    &MAP
}

/// A province of the 2025 map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Two digits (QĐ 19/2025/QĐ-TTg).
    pub code: &'static str,
    /// "Tỉnh Lâm Đồng", "Thành phố Huế".
    pub name: &'static str,
    /// "tỉnh" or "thành phố trung ương".
    pub kind: &'static str,
}

impl Province {
    /// The name without its kind: "Lâm Đồng".
    pub fn short_name(&self) -> &'static str {
        strip_kind(self.name)
    }
}

/// A commune (xã, phường, đặc khu) of the 2025 map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    /// Five digits (QĐ 19/2025/QĐ-TTg).
    pub code: &'static str,
    pub province: &'static str,
    /// "Phường Xuân Hương - Đà Lạt".
    pub name: &'static str,
    /// "xã", "phường" or "đặc khu".
    pub kind: &'static str,
    /// The units it was formed from.
    pub formed_from: Vec<Former>,
}

impl Commune {
    /// The name without its kind: "Xuân Hương - Đà Lạt".
    pub fn short_name(&self) -> &'static str {
        strip_kind(self.name)
    }
}

/// A unit of the former map that a new commune was formed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Former {
    pub unit: FormerUnit,
    /// Only part of it went to this commune (it was divided among several).
    pub partial: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormerUnit {
    /// A former commune, by its QĐ 124/2004 code.
    Commune(&'static str),
    /// A former district that had no communes (an island district), by its code.
    District(&'static str),
}

/// A province before 1 July 2025.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldProvince {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    /// The 2025 province it became part of.
    pub successor: &'static str,
}

/// A district (huyện, quận, thị xã, thành phố thuộc tỉnh) before 1 July 2025.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldDistrict {
    pub code: &'static str,
    pub province: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
}

/// A commune before 1 July 2025.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldCommune {
    pub code: &'static str,
    pub district: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
}

/// Both maps, indexed by code.
#[derive(Debug, Default)]
pub struct AdminMap {
    pub provinces: Vec<Province>,
    pub communes: Vec<Commune>,
    pub old_provinces: Vec<OldProvince>,
    pub old_districts: Vec<OldDistrict>,
    pub old_communes: Vec<OldCommune>,
    province_at: HashMap<&'static str, usize>,
    commune_at: HashMap<&'static str, usize>,
    old_district_at: HashMap<&'static str, usize>,
    old_commune_at: HashMap<&'static str, usize>,
}

impl AdminMap {
    fn parse(text: &'static str) -> Result<AdminMap, String> {
        let mut map = AdminMap::default();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&'static str> = line.split('\t').collect();
            let bad = || format!("line {}: {line:?}", number + 1);
            match (fields[0], fields.len()) {
                ("P", 4) => map.provinces.push(Province {
                    code: fields[1],
                    name: fields[2],
                    kind: fields[3],
                }),
                ("W", 6) => {
                    let formed_from = fields[5]
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            let (s, partial) = match s.strip_suffix('*') {
                                Some(s) => (s, true),
                                None => (s, false),
                            };
                            let unit = match s.strip_prefix('D') {
                                Some(district) => FormerUnit::District(district),
                                None => FormerUnit::Commune(s),
                            };
                            Former { unit, partial }
                        })
                        .collect();
                    map.communes.push(Commune {
                        code: fields[1],
                        province: fields[2],
                        name: fields[3],
                        kind: fields[4],
                        formed_from,
                    })
                }
                ("p", 5) => map.old_provinces.push(OldProvince {
                    code: fields[1],
                    name: fields[2],
                    kind: fields[3],
                    successor: fields[4],
                }),
                ("d", 5) => map.old_districts.push(OldDistrict {
                    code: fields[1],
                    province: fields[2],
                    name: fields[3],
                    kind: fields[4],
                }),
                ("w", 5) => map.old_communes.push(OldCommune {
                    code: fields[1],
                    district: fields[2],
                    name: fields[3],
                    kind: fields[4],
                }),
                _ => return Err(bad()),
            }
        }
        map.province_at = map.provinces.iter().enumerate().map(|(i, p)| (p.code, i)).collect();
        map.commune_at = map.communes.iter().enumerate().map(|(i, c)| (c.code, i)).collect();
        map.old_district_at = map.old_districts.iter().enumerate().map(|(i, d)| (d.code, i)).collect();
        map.old_commune_at = map.old_communes.iter().enumerate().map(|(i, c)| (c.code, i)).collect();
        Ok(map)
    }

    pub fn province(&self, code: &str) -> Option<&Province> {
        self.province_at.get(code).map(|&i| &self.provinces[i])
    }

    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.commune_at.get(code).map(|&i| &self.communes[i])
    }

    pub fn old_district(&self, code: &str) -> Option<&OldDistrict> {
        self.old_district_at.get(code).map(|&i| &self.old_districts[i])
    }

    pub fn old_commune(&self, code: &str) -> Option<&OldCommune> {
        self.old_commune_at.get(code).map(|&i| &self.old_communes[i])
    }

    /// A province's communes, in the order of their codes.
    pub fn communes_of<'a>(&'a self, province: &'a str) -> impl Iterator<Item = &'a Commune> + 'a {
        self.communes.iter().filter(move |c| c.province == province)
    }

    /// The district a former unit belonged to (a district without communes is its own).
    pub fn district_of(&self, former: FormerUnit) -> Option<&OldDistrict> {
        match former {
            FormerUnit::Commune(code) => self.old_district(self.old_commune(code)?.district),
            FormerUnit::District(code) => self.old_district(code),
        }
    }

    /// The name of a former unit with its district: "Xã Đắk Ha (Huyện Đăk Glong)".
    pub fn describe(&self, former: FormerUnit) -> String {
        match former {
            FormerUnit::Commune(code) => match self.old_commune(code) {
                Some(commune) => match self.old_district(commune.district) {
                    Some(district) => format!("{} ({})", commune.name, district.name),
                    None => commune.name.to_owned(),
                },
                None => code.to_owned(),
            },
            FormerUnit::District(code) => self.old_district(code).map_or(code.to_owned(), |d| d.name.to_owned()),
        }
    }

    /// The 2025 communes formed wholly or partly from a former district's communes.
    pub fn successors_of_district(&self, district: &str) -> Vec<&Commune> {
        self.communes
            .iter()
            .filter(|c| {
                c.formed_from
                    .iter()
                    .any(|f| self.district_of(f.unit).is_some_and(|d| d.code == district))
            })
            .collect()
    }
}

fn strip_kind(name: &str) -> &str {
    for prefix in ["Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            return rest;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2025_map_has_34_provinces_and_3321_communes() {
        let map = map();
        assert_eq!(map.provinces.len(), 34);
        assert_eq!(map.communes.len(), 3321);
        let kinds = |kind: &str| map.communes.iter().filter(|c| c.kind == kind).count();
        assert_eq!((kinds("xã"), kinds("phường"), kinds("đặc khu")), (2621, 687, 13));
        let lam_dong = map.province("68").unwrap();
        assert_eq!((lam_dong.name, lam_dong.short_name()), ("Tỉnh Lâm Đồng", "Lâm Đồng"));
        assert_eq!(map.communes_of("68").count(), 124);
        let xuan_huong = map.commune("24781").unwrap();
        assert_eq!(
            (xuan_huong.name, xuan_huong.province),
            ("Phường Xuân Hương - Đà Lạt", "68")
        );
        assert_eq!(map.province("01").unwrap().name, "Thành phố Hà Nội");
        assert_eq!(map.province("46").unwrap().name, "Thành phố Huế");
        // Every province of Quyết định 19/2025 (domain.md), and no other.
        let mut codes: Vec<&str> = map.provinces.iter().map(|p| p.code).collect();
        codes.sort_unstable();
        assert_eq!(
            codes.join(" "),
            "01 04 08 11 12 14 15 19 20 22 24 25 31 33 37 38 40 42 44 46 48 51 52 56 66 68 75 79 80 82 86 91 92 96"
        );
        // Every commune is in a province of the map, under a code of five digits, formed from
        // units of the former map.
        for commune in &map.communes {
            assert!(map.province(commune.province).is_some(), "{}", commune.name);
            assert!(commune.code.len() == 5 && commune.code.bytes().all(|b| b.is_ascii_digit()));
            assert!(!commune.formed_from.is_empty(), "{}", commune.name);
            for former in &commune.formed_from {
                assert!(map.district_of(former.unit).is_some(), "{}", commune.name);
            }
        }
    }

    #[test]
    fn the_former_map_is_kept_for_history() {
        let map = map();
        assert_eq!(map.old_provinces.len(), 63);
        assert_eq!(map.old_districts.len(), 696);
        let dak_nong = map.old_provinces.iter().find(|p| p.code == "67").unwrap();
        assert_eq!((dak_nong.name, dak_nong.successor), ("Tỉnh Đắk Nông", "68"));
        let districts: Vec<&str> = map
            .old_districts
            .iter()
            .filter(|d| d.province == "67")
            .map(|d| d.name)
            .collect();
        assert_eq!(districts.len(), 8, "{districts:?}");
        assert!(districts.contains(&"Thành phố Gia Nghĩa"));
        let communes = map
            .old_communes
            .iter()
            .filter(|c| map.old_district(c.district).is_some_and(|d| d.province == "67"))
            .count();
        assert_eq!(communes, 71);
    }

    #[test]
    fn new_communes_of_the_former_dak_nong_name_what_they_were_formed_from() {
        let map = map();
        let formed = |code: &str| {
            let mut names: Vec<String> = map
                .commune(code)
                .unwrap()
                .formed_from
                .iter()
                .map(|f| map.describe(f.unit))
                .collect();
            names.sort();
            names
        };
        assert_eq!(
            formed("24611"),
            [
                "Phường Nghĩa Thành (Thành phố Gia Nghĩa)",
                "Phường Nghĩa Đức (Thành phố Gia Nghĩa)",
                "Phường Quảng Thành (Thành phố Gia Nghĩa)",
                "Xã Đắk Ha (Huyện Đăk Glong)",
            ]
        );
        assert_eq!(map.commune("24611").unwrap().name, "Phường Bắc Gia Nghĩa");
        assert_eq!(
            formed("24670"),
            [
                "Xã Đắk Gằn (Huyện Đắk Mil)",
                "Xã Đắk N'Drót (Huyện Đắk Mil)",
                "Xã Đắk R'La (Huyện Đắk Mil)",
            ]
        );
        // Checked by hand against Nghị quyết 1671/NQ-UBTVQH15 of 16/6/2025 (Lâm Đồng's communes),
        // clauses 78, 79, 81, 83, 85, 116–118 and 121, whose spelling of some names differs
        // from the 2004 list's ("Cư K'nia" there, "Cư Knia" here).
        let names = |code: &str| {
            let mut names: Vec<&str> = map
                .commune(code)
                .unwrap()
                .formed_from
                .iter()
                .map(|f| match f.unit {
                    FormerUnit::Commune(c) => map.old_commune(c).unwrap().name,
                    FormerUnit::District(d) => map.old_district(d).unwrap().name,
                })
                .collect();
            names.sort_unstable();
            names
        };
        assert_eq!(
            names("24615"),
            ["Phường Nghĩa Phú", "Phường Nghĩa Tân", "Xã Đắk R'Moan"]
        );
        assert_eq!(names("24617"), ["Phường Nghĩa Trung", "Xã Đắk Nia"]);
        assert_eq!(names("24649"), ["Xã Nam Dong", "Xã Đắk D'rông"]);
        assert_eq!(
            names("24640"),
            ["Thị trấn Ea T'Ling", "Xã Cư Knia", "Xã Trúc Sơn", "Xã Tâm Thắng"]
        );
        assert_eq!(names("24664"), ["Thị trấn Đắk Mil", "Xã Đức Minh", "Xã Đức Mạnh"]);
        assert_eq!(names("24688"), ["Thị trấn Đắk Mâm", "Xã Tân Thành", "Xã Đắk Drô"]);
        // Across former districts: Nam Xuân was Krông Nô's, the others Đắk Mil's.
        assert_eq!(
            formed("24678"),
            [
                "Xã Long Sơn (Huyện Đắk Mil)",
                "Xã Nam Xuân (Huyện Krông Nô)",
                "Xã Đắk Sắk (Huyện Đắk Mil)",
            ]
        );
        // Clause 121: Quảng Sơn was not rearranged; it continues alone.
        let quang_son = map.commune("24616").unwrap();
        assert_eq!(quang_son.name, "Xã Quảng Sơn");
        assert_eq!(formed("24616"), ["Xã Quảng Sơn (Huyện Đăk Glong)"]);
        // The former province's 71 communes became 28 (Báo Đắk Nông, the provincial plan).
        let from_dak_nong = map
            .communes
            .iter()
            .filter(|c| {
                c.formed_from
                    .iter()
                    .any(|f| map.district_of(f.unit).is_some_and(|d| d.province == "67"))
            })
            .count();
        assert_eq!(from_dak_nong, 28);
        // Gia Nghĩa's eight communes went to three wards (and one to a commune of Đắk Glong's).
        let successors: Vec<&str> = map.successors_of_district("660").iter().map(|c| c.name).collect();
        assert!(successors.contains(&"Phường Nam Gia Nghĩa"), "{successors:?}");
        assert!(successors.contains(&"Phường Đông Gia Nghĩa"), "{successors:?}");
    }
}
