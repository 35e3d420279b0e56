//! Training of officials: the three categories, the rows of an attendance list and their checks,
//! and coverage (the share of an agency's officials trained in a year).

use std::collections::HashMap;

use crate::search::fold;

/// Cán bộ, công chức or viên chức.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    CanBo,
    CongChuc,
    VienChuc,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::CanBo, Category::CongChuc, Category::VienChuc];

    pub fn code(self) -> &'static str {
        match self {
            Category::CanBo => "can_bo",
            Category::CongChuc => "cong_chuc",
            Category::VienChuc => "vien_chuc",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::CanBo => "Cán bộ",
            Category::CongChuc => "Công chức",
            Category::VienChuc => "Viên chức",
        }
    }

    /// Reads what an official typed: "Cán bộ", "cong chuc", "VIÊN CHỨC", or the code.
    pub fn parse(text: &str) -> Option<Category> {
        let folded = fold(text.trim()).split_whitespace().collect::<Vec<_>>().join(" ");
        match folded.as_str() {
            "can bo" | "can_bo" => Some(Category::CanBo),
            "cong chuc" | "cong_chuc" => Some(Category::CongChuc),
            "vien chuc" | "vien_chuc" => Some(Category::VienChuc),
            _ => None,
        }
    }
}

/// One official on an attendance list, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub name: String,
    pub position: String,
    pub unit_id: i64,
    pub category: Category,
}

/// Why a cell of a row is refused: the row number as the file shows it, the column's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: &'static str,
    pub why: String,
}

/// The columns of an attendance list, in order.
pub const COLUMNS: [&str; 4] = ["Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Đối tượng"];

/// Agencies by name as officials write them: folded, spaces collapsed.
pub fn agency_key(name: &str) -> String {
    fold(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks one row (`row` as numbered in the file; cells in [`COLUMNS`] order). `agencies` maps
/// [`agency_key`] of a name or code to the agency's id.
pub fn check_row(row: usize, cells: &[String], agencies: &HashMap<String, i64>) -> Result<Attendee, Vec<RowError>> {
    let cell = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or("");
    let mut errors = Vec::new();
    let mut text = |i: usize, limit: usize| {
        let value = cell(i);
        if value.is_empty() {
            errors.push(RowError {
                row,
                column: COLUMNS[i],
                why: "bỏ trống".into(),
            });
        } else if value.chars().count() > limit {
            errors.push(RowError {
                row,
                column: COLUMNS[i],
                why: format!("dài quá {limit} ký tự"),
            });
        }
        value.to_owned()
    };
    let name = text(0, 120);
    let position = text(1, 120);
    let unit_id = match cell(2) {
        "" => {
            errors.push(RowError {
                row,
                column: COLUMNS[2],
                why: "bỏ trống".into(),
            });
            None
        }
        agency => {
            let found = agencies.get(&agency_key(agency)).copied();
            if found.is_none() {
                errors.push(RowError {
                    row,
                    column: COLUMNS[2],
                    why: format!("không có cơ quan, đơn vị “{agency}” trong danh sách"),
                });
            }
            found
        }
    };
    let category = Category::parse(cell(3));
    if category.is_none() {
        errors.push(RowError {
            row,
            column: COLUMNS[3],
            why: format!(
                "“{}” không phải cán bộ, công chức hay viên chức",
                cell(3).chars().take(40).collect::<String>()
            ),
        });
    }
    match (unit_id, category, errors.is_empty()) {
        (Some(unit_id), Some(category), true) => Ok(Attendee {
            name,
            position,
            unit_id,
            category,
        }),
        _ => Err(errors),
    }
}

/// Checks every row; either all are good, or every bad cell is reported. Blank rows are skipped.
/// `first_row` is the file's number of the first data row (2 under a header).
pub fn check_rows(
    rows: &[Vec<String>],
    first_row: usize,
    agencies: &HashMap<String, i64>,
) -> Result<Vec<Attendee>, Vec<RowError>> {
    let mut good = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match check_row(first_row + i, cells, agencies) {
            Ok(a) => good.push(a),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() { Ok(good) } else { Err(errors) }
}

/// An agency's officials trained in a year against its headcount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    pub trained: u32,
    /// `None` when the agency has not recorded its headcount for the year.
    pub headcount: Option<u32>,
}

impl Coverage {
    /// The share in percent, one decimal, capped at 100; `None` without a headcount.
    pub fn percent(self) -> Option<f64> {
        match self.headcount {
            Some(0) | None => None,
            Some(h) => Some(((f64::from(self.trained) * 1000.0 / f64::from(h)).round() / 10.0).min(100.0)),
        }
    }

    /// "45/120 (37,5 %)", or "45 (chưa có biên chế)".
    pub fn shown(self) -> String {
        match (self.headcount, self.percent()) {
            (Some(h), Some(p)) => format!("{}/{} ({} %)", self.trained, h, format!("{p:.1}").replace('.', ",")),
            _ => format!("{} (chưa khai báo số biên chế)", self.trained),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agencies() -> HashMap<String, i64> {
        HashMap::from([(agency_key("Sở Nội vụ"), 1), (agency_key("UBND huyện Cư Jút"), 2)])
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn categories_are_read_however_they_are_typed() {
        assert_eq!(Category::parse("Cán bộ"), Some(Category::CanBo));
        assert_eq!(Category::parse("  CÔNG  CHỨC "), Some(Category::CongChuc));
        assert_eq!(Category::parse("vien chuc"), Some(Category::VienChuc));
        assert_eq!(Category::parse("hợp đồng"), None);
    }

    #[test]
    fn a_good_row_is_read_and_agencies_match_without_marks() {
        let a = check_row(
            2,
            &row(&["Nguyễn Văn A", "Chuyên viên", "so noi vu", "Công chức"]),
            &agencies(),
        )
        .unwrap();
        assert_eq!((a.unit_id, a.category), (1, Category::CongChuc));
    }

    #[test]
    fn every_bad_cell_of_every_row_is_reported() {
        let rows = vec![
            row(&["Nguyễn Văn A", "Chuyên viên", "Sở Nội vụ", "Công chức"]),
            row(&["", "Chuyên viên", "Sở Ngoại giao", "Công chức"]),
            row(&["", "", "", ""]),
            row(&["Trần Thị B", "", "UBND huyện Cư Jút", "nhân viên"]),
        ];
        let errors = check_rows(&rows, 2, &agencies()).unwrap_err();
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(
            found,
            vec![
                (3, "Họ và tên"),
                (3, "Cơ quan, đơn vị"),
                (5, "Chức vụ"),
                (5, "Đối tượng")
            ]
        );
        assert!(errors[1].why.contains("Sở Ngoại giao"));
    }

    #[test]
    fn coverage_needs_a_headcount_and_is_capped() {
        let c = Coverage {
            trained: 45,
            headcount: Some(120),
        };
        assert_eq!(c.percent(), Some(37.5));
        assert_eq!(c.shown(), "45/120 (37,5 %)");
        assert_eq!(
            Coverage {
                trained: 5,
                headcount: None
            }
            .percent(),
            None
        );
        assert_eq!(
            Coverage {
                trained: 9,
                headcount: Some(4)
            }
            .percent(),
            Some(100.0)
        );
    }
}
