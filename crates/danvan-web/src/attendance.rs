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

/// Reads and checks a list. The first non-empty row is the header, whose titles must be the
/// columns of [`training::COLUMNS`] in order (compared without marks or case); every row after
/// it is an official. `agencies` maps [`training::agency_key`] of names and codes to ids.
pub fn read(bytes: &[u8], agencies: &HashMap<String, i64>) -> Result<Vec<Attendee>, ImportError> {
    let rows = spreadsheet::read_rows(bytes).map_err(|e| ImportError::File(e.0))?;
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let Some((header_row, header)) = rows.next() else {
        return Err(ImportError::File("Tệp không có dòng nào.".into()));
    };
    let expected: Vec<String> = training::COLUMNS.iter().map(|c| training::agency_key(c)).collect();
    let found: Vec<String> = header.iter().take(4).map(|c| training::agency_key(c)).collect();
    if found != expected {
        return Err(ImportError::File(format!(
            "Dòng {header_row} phải là dòng tiêu đề gồm đúng các cột: {}.",
            training::COLUMNS.join(", ")
        )));
    }
    let data: Vec<(usize, Vec<String>)> = rows.collect();
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
        assert!(matches!(read(&file(&[]), &agencies()), Err(ImportError::File(_))));
    }
}
