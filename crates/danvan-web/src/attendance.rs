//! Reading an attendance list from a spreadsheet (.xlsx, .xls, .ods): one row per official under a header row, checked
//! whole, so that an import either goes in complete or reports every bad row.

use std::collections::HashMap;

use danvan_domain::training::{self, Attendee, RowError};

use crate::spreadsheet;

/// The largest attendance file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// Why an attendance file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file as a whole (not an .xlsx, no header, too many rows), in Vietnamese.
    File(String),
    /// Every bad cell, by row and column.
    Rows(Vec<RowError>),
}

/// The titles each column is known by in the lists offices keep, compared without marks or
/// case; the first is the one [`training::COLUMNS`] names.
const TITLES: [&[&str]; 4] = [
    &["Họ và tên", "Họ tên", "Họ, tên"],
    &[
        "Chức vụ",
        "Chức danh",
        "Chức vụ, chức danh",
        "Chức vụ/chức danh",
        "Chức vụ / chức danh",
    ],
    &[
        "Cơ quan, đơn vị",
        "Cơ quan",
        "Đơn vị",
        "Đơn vị công tác",
        "Cơ quan công tác",
        "Cơ quan/đơn vị",
        "Cơ quan / đơn vị",
        "Nơi công tác",
    ],
    &["Đối tượng", "Phân loại", "Đối tượng (CB, CC, VC)"],
];

/// How far down a list its header row is looked for (title lines above it are skipped).
const HEADER_SEARCH_ROWS: usize = 20;

/// Where each of the four columns is in a header row, if the row is one.
fn header_columns(cells: &[String]) -> Option<[usize; 4]> {
    let keys: Vec<String> = cells.iter().map(|c| training::agency_key(c)).collect();
    let mut found = [0usize; 4];
    for (slot, titles) in found.iter_mut().zip(TITLES) {
        *slot = keys
            .iter()
            .position(|k| titles.iter().any(|t| training::agency_key(t) == *k))?;
    }
    Some(found)
}

/// Reads and checks a list. The header row is the first of the first [`HEADER_SEARCH_ROWS`]
/// non-empty rows that names the four columns of [`training::COLUMNS`] (by the titles offices
/// use, without marks or case, in any order; other columns, such as "STT", are left aside), so
/// a title and a date above the table do no harm; every non-empty row after it is an official.
/// `agencies` maps [`training::agency_key`] of names and codes to ids.
pub fn read(bytes: &[u8], agencies: &HashMap<String, i64>) -> Result<Vec<Attendee>, ImportError> {
    let rows = spreadsheet::read_rows(bytes).map_err(|e| ImportError::File(e.0))?;
    let rows: Vec<(usize, Vec<String>)> = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(ImportError::File("Tệp không có dòng nào.".into()));
    }
    let Some((at, columns)) = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(i, (_, cells))| header_columns(cells).map(|c| (i, c)))
    else {
        return Err(ImportError::File(format!(
            "Không tìm thấy dòng tiêu đề trong {HEADER_SEARCH_ROWS} dòng đầu: bảng cần có các cột {}.",
            training::COLUMNS.join(", ")
        )));
    };
    // Each official's cells in the order of the columns, whatever the file's order.
    let data: Vec<(usize, Vec<String>)> = rows[at + 1..]
        .iter()
        .map(|(number, cells)| {
            let pick = |i: usize| cells.get(i).cloned().unwrap_or_default();
            (*number, columns.iter().map(|&c| pick(c)).collect::<Vec<_>>())
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if data.is_empty() {
        return Err(ImportError::File(
            "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.".into(),
        ));
    }
    if data.len() > MAX_ROWS {
        return Err(ImportError::File(format!(
            "Tệp có {} dòng, nhiều hơn {MAX_ROWS} dòng cho phép mỗi lần nhập.",
            data.len()
        )));
    }
    let mut good = Vec::with_capacity(data.len());
    let mut errors = Vec::new();
    for (number, cells) in &data {
        match training::check_row(*number, cells, agencies) {
            Ok(attendee) => good.push(attendee),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(good)
    } else {
        Err(ImportError::Rows(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::{Cell, Sheet, workbook};

    fn agencies() -> HashMap<String, i64> {
        HashMap::from([(training::agency_key("Sở Nội vụ"), 7)])
    }

    fn file(rows: &[[&str; 4]]) -> Vec<u8> {
        let rows: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| r.iter().map(|c| Cell::from(*c)).collect())
            .collect();
        workbook(&[Sheet::new("Danh sách", None, &training::COLUMNS, rows)]).unwrap()
    }

    #[test]
    fn a_good_list_reads_whole() {
        let bytes = file(&[
            ["Nguyễn Văn An", "Chuyên viên", "Sở Nội vụ", "Công chức"],
            ["Trần Thị Bình", "Phó Giám đốc", "SỞ NỘI VỤ", "cán bộ"],
        ]);
        let read = read(&bytes, &agencies()).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].unit_id, 7);
    }

    #[test]
    fn a_list_as_offices_lay_it_out_reads_title_lines_and_numbering_aside() {
        // A title and a line under it, then the table with an STT column, the columns in another
        // order and titled as offices title them, and a row left empty.
        let rows: Vec<Vec<Cell>> = vec![
            vec!["DANH SÁCH HỌC VIÊN LỚP TẬP HUẤN CÔNG TÁC DÂN VẬN".into()],
            vec!["(Kèm theo Công văn số 15/SNV ngày 05/5/2022)".into()],
            vec![Cell::Empty],
            vec![
                "STT".into(),
                "Họ tên".into(),
                "Đơn vị công tác".into(),
                "Chức danh".into(),
                "Đối tượng".into(),
            ],
            vec![
                Cell::from(1i64),
                "Nguyễn Văn An".into(),
                "Sở Nội vụ".into(),
                "Chuyên viên".into(),
                "Công chức".into(),
            ],
            vec![Cell::Empty],
            vec![
                Cell::from(2i64),
                "Trần Thị Bình".into(),
                "SỞ NỘI VỤ".into(),
                "Phó Giám đốc".into(),
                "Cán bộ".into(),
            ],
        ];
        let bytes = workbook(&[Sheet::new("Danh sách", None, &["", "", "", "", ""], rows)]).unwrap();
        let read = read(&bytes, &agencies()).unwrap();
        let people: Vec<(&str, &str)> = read.iter().map(|a| (a.name.as_str(), a.position.as_str())).collect();
        assert_eq!(
            people,
            [("Nguyễn Văn An", "Chuyên viên"), ("Trần Thị Bình", "Phó Giám đốc")]
        );
        assert!(read.iter().all(|a| a.unit_id == 7));
    }

    #[test]
    fn bad_rows_are_reported_with_the_row_numbers_excel_shows() {
        let bytes = file(&[
            ["Nguyễn Văn An", "Chuyên viên", "Sở Nội vụ", "Công chức"],
            ["Trần Thị Bình", "", "Sở Ngoại vụ", "Công chức"],
            ["Lê Văn Cường", "Chuyên viên", "Sở Nội vụ", "hợp đồng"],
        ]);
        let Err(ImportError::Rows(errors)) = read(&bytes, &agencies()) else {
            panic!("bad rows must be refused")
        };
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(found, [(3, "Chức vụ"), (3, "Cơ quan, đơn vị"), (4, "Đối tượng")]);
    }

    #[test]
    fn a_wrong_header_or_an_empty_list_is_refused() {
        let wrong = workbook(&[Sheet::new("x", None, &["Tên", "Chức vụ", "Đơn vị", "Loại"], vec![])]).unwrap();
        assert!(matches!(read(&wrong, &agencies()), Err(ImportError::File(m)) if m.contains("Họ và tên")));
        // A heading row that names only some of the columns is not the header.
        let partial = workbook(&[Sheet::new("x", None, &["Họ và tên", "Chức vụ"], vec![])]).unwrap();
        assert!(matches!(read(&partial, &agencies()), Err(ImportError::File(_))));
        assert!(matches!(read(&file(&[]), &agencies()), Err(ImportError::File(_))));
    }
}
