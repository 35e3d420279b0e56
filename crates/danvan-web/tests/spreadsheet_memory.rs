//! Hostile spreadsheets are refused while what the reader allocates stays under a bound: the
//! test's global allocator refuses (and so aborts the test) past the bound, set afresh for each
//! file once it has been built.

use std::alloc::System;

use cap::Cap;
use danvan_web::spreadsheet::fixtures::{MAIN, ods, record, xls, xlsx};
use danvan_web::spreadsheet::{MAX_CELL_CHARS, read_rows};
use zip::CompressionMethod::{Deflated, Stored};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// What reading one upload may allocate at most.
const BOUND: usize = 256 << 20;

fn sheet_of(rows: impl Iterator<Item = String>) -> String {
    let mut sheet = format!(r#"<worksheet xmlns="{MAIN}"><sheetData>"#);
    sheet.extend(rows);
    sheet.push_str("</sheetData></worksheet>");
    sheet
}

#[test]
fn hostile_spreadsheets_are_refused_within_a_memory_bound() {
    let mut files: Vec<(&str, Vec<u8>, &str)> = Vec::new();
    // 2.7 million empty-celled rows (a few hundred KB once compressed; stored here, quicker to
    // build, the same to the reader, which inflates every part into a counter first).
    let sheet = sheet_of((1..=2_700_000u32).map(|r| format!(r#"<row r="{r}"><c r="A{r}" s="1"/></row>"#)));
    files.push(("empty rows", xlsx("sheet1.xml", &sheet, None, Stored), "khi giải nén"));
    drop(sheet);
    // More cells than the reader goes through, within the inflated size.
    let sheet = sheet_of((1..=35_000u32).map(|r| {
        let cells: String = (0..60)
            .map(|i| format!(r#"<c r="{}{r}"/>"#, (b'A' + (i % 10) as u8) as char))
            .collect();
        format!(r#"<row r="{r}">{cells}</row>"#)
    }));
    files.push(("cells", xlsx("sheet1.xml", &sheet, None, Stored), "ô; hệ thống"));
    drop(sheet);
    // One 40 MB shared string used by 100,000 cells.
    let shared = format!(
        r#"<sst xmlns="{MAIN}" count="100000" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "x".repeat(40 << 20)
    );
    let sheet = sheet_of((1..=100_000u32).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)));
    files.push((
        "long shared string",
        xlsx("sheet1.xml", &sheet, Some(&shared), Stored),
        "có hơn",
    ));
    drop((shared, sheet));
    // A shared-string table announcing trillions of strings.
    let shared = format!(r#"<sst xmlns="{MAIN}" uniqueCount="9000000000000"><si><t>a</t></si></sst>"#);
    files.push((
        "announced count",
        xlsx("sheet1.xml", &sheet_of(std::iter::empty()), Some(&shared), Deflated),
        "bị lỗi",
    ));
    // A text longer than a cell may hold.
    let sheet = sheet_of(std::iter::once(format!(
        r#"<row r="1"><c r="B1" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "y".repeat(MAX_CELL_CHARS + 1)
    )));
    files.push(("long inline text", xlsx("sheet1.xml", &sheet, None, Deflated), "Ô B1"));

    // A short shared string in two million cells: within the cell count, but copied into each.
    let shared = format!(
        r#"<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "z".repeat(3_000)
    );
    let sheet = sheet_of((1..=40_000u32).map(|r| {
        let cells: String = (0..40).map(|_| r#"<c t="s"><v>0</v></c>"#).collect();
        format!(r#"<row r="{r}">{cells}</row>"#)
    }));
    files.push((
        "shared string copies",
        xlsx("sheet1.xml", &sheet, Some(&shared), Deflated),
        "MB chữ",
    ));
    drop((shared, sheet));
    // .xls: two cells far apart (the grid between them), and a long shared string in 5,000
    // cells; .ods: a long text repeated over two million cells.
    let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let eof = record(0x000A, &[]);
    let number = |row: u16, column: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&column.to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(&1.0f64.to_le_bytes());
        record(0x0203, &d)
    };
    files.push((
        "xls cells apart",
        xls(&[bof.clone(), number(0, 0), number(65_535, 255), eof.clone()]),
        "ô; hệ thống",
    ));
    let mut sst = 1u32.to_le_bytes().to_vec();
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&8_000u16.to_le_bytes());
    sst.push(0);
    sst.extend_from_slice(&[b'x'; 8_000]);
    let mut records = vec![bof.clone(), record(0x00FC, &sst), eof.clone(), bof.clone()];
    records.extend((0..20_000u16).map(|row| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, 0, 0]);
        d.extend_from_slice(&0u32.to_le_bytes());
        record(0x00FD, &d)
    }));
    records.push(eof.clone());
    files.push(("xls shared string copies", xls(&records), "MB chữ"));
    files.push((
        "ods repeated text",
        ods(&format!(
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="A"><table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
            "y".repeat(1_000)
        )),
        "MB chữ",
    ));

    for (name, bytes, expected) in files {
        let base = ALLOCATOR.allocated();
        ALLOCATOR.set_limit(base + BOUND).unwrap();
        let result = read_rows(&bytes);
        ALLOCATOR.set_limit(usize::MAX).unwrap();
        let error = result.expect_err(name);
        assert!(error.0.contains(expected), "{name}: {error:?}");
    }
}
