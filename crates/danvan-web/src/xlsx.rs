//! Excel (.xlsx) files people work with, written by `rust_xlsxwriter`: one table per sheet,
//! named in Vietnamese, under a title row that says what and when; a bold header frozen in
//! place with a filter; columns as wide as their Vietnamese text; numbers, rates and dates
//! stored as numbers and dates with a display format (so they sum and sort), Times New Roman.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// A cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A count, shown `#,##0` (a Vietnamese Excel shows 1.234), or a measure with a fraction,
    /// shown `#,##0.00` (1.234,50).
    Number(f64),
    /// A share from 0 to 1, shown as a percentage with one decimal.
    Rate(f64),
    Date(time::Date),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Self {
        n.map_or(Cell::Empty, Cell::Number)
    }
}

/// One table on a sheet of its own.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters; characters Excel refuses are dropped).
    pub name: String,
    /// The line above the table: what it is and as of when. `None` for a template whose first
    /// row must be its header.
    pub title: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A line under the table (a definition, how a figure was combined).
    pub note: Option<String>,
}

impl Sheet {
    pub fn new(name: &str, title: Option<String>, header: &[&str], rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet {
            name: name.to_owned(),
            title,
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Sheet {
        self.note = Some(note.into());
        self
    }
}

const FONT: &str = "Times New Roman";

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(12)
}

/// A sheet name Excel accepts.
fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Trang 1".to_owned()
    } else {
        clean
    }
}

/// Text without control characters a cell cannot hold (line breaks kept).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The width a column's text needs, in characters, within bounds.
fn width_of(cell: &Cell) -> usize {
    match cell {
        Cell::Text(text) => text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Number(n) => format!("{n:.2}").len() + 2,
        Cell::Rate(_) => 7,
        Cell::Date(_) => 10,
        Cell::Empty => 0,
    }
}

/// A workbook of the given sheets.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let title_format = base().set_bold().set_font_size(14);
    let header_format = base().set_bold().set_text_wrap().set_align(FormatAlign::Center);
    let text_format = base().set_text_wrap().set_align(FormatAlign::Top);
    let count_format = base().set_num_format("#,##0").set_align(FormatAlign::Top);
    let number_format = base().set_num_format("#,##0.00").set_align(FormatAlign::Top);
    let rate_format = base().set_num_format("0.0%").set_align(FormatAlign::Top);
    let date_format = base().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Top);
    let note_format = base().set_italic();
    for sheet in sheets {
        let page = book.add_worksheet();
        page.set_name(sheet_name(&sheet.name))?;
        let columns = sheet.header.len().max(1) as u16;
        let mut row: u32 = 0;
        if let Some(title) = &sheet.title {
            page.write_string_with_format(0, 0, clean(title), &title_format)?;
            row = 2;
        }
        let header_row = row;
        for (c, title) in sheet.header.iter().enumerate() {
            page.write_string_with_format(row, c as u16, clean(title), &header_format)?;
        }
        let mut widths: Vec<usize> = sheet.header.iter().map(|h| h.chars().count().min(24)).collect();
        for cells in &sheet.rows {
            row += 1;
            for (c, cell) in cells.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(text) => {
                        page.write_string_with_format(row, col, clean(text), &text_format)?;
                    }
                    Cell::Number(n) if n.is_finite() => {
                        let format = if n.fract() == 0.0 {
                            &count_format
                        } else {
                            &number_format
                        };
                        page.write_number_with_format(row, col, *n, format)?;
                    }
                    Cell::Rate(r) if r.is_finite() => {
                        page.write_number_with_format(row, col, *r, &rate_format)?;
                    }
                    Cell::Date(d) => {
                        let when = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day())?;
                        page.write_datetime_with_format(row, col, &when, &date_format)?;
                    }
                    Cell::Number(_) | Cell::Rate(_) | Cell::Empty => {}
                }
                if let Some(width) = widths.get_mut(c) {
                    *width = (*width).max(width_of(cell));
                }
            }
        }
        for (c, width) in widths.iter().enumerate() {
            // Vietnamese text with its marks reads well at about 1.1 × its characters, up to a
            // wrapped column of 60.
            page.set_column_width(c as u16, ((*width as f64) * 1.1 + 2.0).clamp(6.0, 60.0))?;
        }
        page.set_freeze_panes(header_row + 1, 0)?;
        page.autofilter(header_row, 0, row.max(header_row), columns - 1)?;
        if let Some(note) = &sheet.note {
            page.write_string_with_format(row + 2, 0, clean(note), &note_format)?;
        }
    }
    if sheets.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};
    use std::io::{Cursor, Read};

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn a_sheet_has_its_title_frozen_header_filter_widths_and_typed_cells() {
        let sheet = Sheet::new(
            "Theo dõi: nhiệm vụ/2022",
            Some("Theo dõi nhiệm vụ đến ngày 15/12/2022".into()),
            &["Đơn vị", "Quá hạn", "Tỷ lệ đúng hạn", "Hạn", "Điểm"],
            vec![vec![
                "Sở A & B <x>".into(),
                Cell::from(3),
                Cell::Rate(0.85),
                Cell::Date(time::macros::date!(2022 - 12 - 30)),
                Cell::Number(83.25),
            ]],
        )
        .with_note("Tỷ lệ đúng hạn = …");
        let bytes = workbook(&[sheet]).unwrap();
        let mut book = calamine::Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(book.sheet_names(), ["Theo dõi nhiệm vụ2022"]);
        let range = book.worksheet_range("Theo dõi nhiệm vụ2022").unwrap();
        assert_eq!(
            range.get_value((0, 0)),
            Some(&Data::String("Theo dõi nhiệm vụ đến ngày 15/12/2022".into()))
        );
        assert_eq!(range.get_value((2, 0)), Some(&Data::String("Đơn vị".into())));
        assert_eq!(range.get_value((3, 0)), Some(&Data::String("Sở A & B <x>".into())));
        assert_eq!(range.get_value((3, 1)), Some(&Data::Float(3.0)));
        assert_eq!(range.get_value((3, 2)), Some(&Data::Float(0.85)));
        assert!(matches!(range.get_value((3, 3)), Some(Data::DateTime(_))));
        assert_eq!(
            range.get_value((5, 0)),
            Some(&Data::String("Tỷ lệ đúng hạn = …".into()))
        );
        let xml = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            xml.contains(r#"<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/>"#),
            "{xml}"
        );
        assert!(xml.contains(r#"<autoFilter ref="A3:E4"/>"#), "{xml}");
        assert_eq!(range.get_value((3, 4)), Some(&Data::Float(83.25)));
        assert!(xml.contains("<col min=\"1\" max=\"1\" width="), "{xml}");
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains(r#"formatCode="0.0%""#) && styles.contains(r#"formatCode="dd/mm/yyyy""#));
        // Counts without decimals (1.234), measures with two (83,25 in a Vietnamese Excel).
        assert!(styles.contains(r##"formatCode="#,##0.00""##) && styles.contains("Times New Roman"));
        assert!(
            styles.contains(r##"formatCode="#,##0"/>"##),
            "#,##0 for counts: {styles}"
        );
    }

    #[test]
    fn a_template_starts_with_its_header() {
        let bytes = workbook(&[Sheet::new("Danh sách", None, &["Họ và tên"], vec![])]).unwrap();
        let rows = crate::spreadsheet::read_rows(&bytes).unwrap();
        assert_eq!(rows[&1], ["Họ và tên"]);
    }
}
