//! Spreadsheets saved by Microsoft Excel and by WPS Office, the programs offices use, read as
//! those programs show them. The files are real ones from public repositories' test data (their
//! origin, commit and licence in `fixtures/spreadsheets/SOURCES.md`); each test also checks the
//! producer the file names, so a fixture is what it claims to be.

use std::io::Read;
use std::path::PathBuf;

use danvan_web::spreadsheet::read_rows;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spreadsheets")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The program an .xlsx file says saved it (`docProps/app.xml`), and whether WPS's build
/// property is there (`docProps/custom.xml`).
fn producer_xlsx(bytes: &[u8]) -> (String, bool) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut app = String::new();
    archive
        .by_name("docProps/app.xml")
        .unwrap()
        .read_to_string(&mut app)
        .unwrap();
    let application = app
        .split("<Application>")
        .nth(1)
        .and_then(|rest| rest.split("</Application>").next())
        .unwrap_or("")
        .to_owned();
    let mut custom = String::new();
    if let Ok(mut part) = archive.by_name("docProps/custom.xml") {
        part.read_to_string(&mut custom).unwrap();
    }
    (application, custom.contains("KSOProductBuildVer"))
}

/// The program an .xls file says saved it: its summary stream holds the name in UTF-16 or in
/// the file's code page; both are looked for.
fn xls_names(bytes: &[u8], program: &str) -> bool {
    let utf16: Vec<u8> = program.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let plain = program.as_bytes();
    bytes.windows(utf16.len()).any(|w| w == utf16.as_slice()) || bytes.windows(plain.len()).any(|w| w == plain)
}

fn row(rows: &std::collections::BTreeMap<usize, Vec<String>>, n: usize) -> Vec<&str> {
    rows[&n].iter().map(String::as_str).collect()
}

#[test]
fn excel_files_read_as_excel_shows_them() {
    let table = fixture("excel_calamine_inventory-table.xlsx");
    assert_eq!(producer_xlsx(&table), ("Microsoft Excel".to_owned(), false));
    let rows = read_rows(&table).unwrap();
    assert_eq!(row(&rows, 1), ["Item", "Type", "Quantity"]);
    assert_eq!(row(&rows, 5), ["4", "Pear", "100"]);

    // A hundred people, birth dates as dates, booleans, e-mails; a header without values.
    let people = fixture("excel_miniexcel_TestTypeMapping.xlsx");
    assert_eq!(producer_xlsx(&people).0, "Microsoft Excel");
    let rows = read_rows(&people).unwrap();
    assert_eq!(rows.len(), 101);
    assert_eq!(row(&rows, 1)[..3], ["ID", "Name", "BoD"]);
    assert_eq!(
        row(&rows, 2),
        [
            "78DE23D2-DCB6-BD3D-EC67-C112BBC322A2",
            "Wade",
            "27/09/2020",
            "36",
            "FALSE",
            "tellus.Suspendisse@congue.edu",
            "5019.12"
        ]
    );

    // The same table saved as .xlsx and as .xls: formulas' results, dates and times, Cyrillic.
    let new = fixture("excel_edr_Test_Encoding_Formula_Date_1520.xlsx");
    let old = fixture("excel_edr_Test_Encoding_Formula_Date_1520.xls");
    assert_eq!(producer_xlsx(&new).0, "Microsoft Excel");
    assert!(xls_names(&old, "Microsoft Excel"));
    for bytes in [&new, &old] {
        let rows = read_rows(bytes).unwrap();
        assert_eq!(row(&rows, 1), ["Name", "Date", "Value", "Int", "Time"]);
        assert_eq!(
            row(&rows, 2)[..2],
            ["John test", "01/05/2009"],
            "a formula's text result and a date"
        );
        assert_eq!(row(&rows, 3), ["Simon Hodgetts", "01/02/1999", "1.2313", "12", "11:00"]);
        assert_eq!(row(&rows, 5)[3], "179.025", "a computed number as Excel shows it");
        assert_eq!(row(&rows, 6)[0], "Изображение дня");
    }
}

#[test]
fn wps_files_read_as_wps_shows_them() {
    // Pupils by school and grade, the first two columns merged down: a merged cell's value is in
    // its first row, the rows it covers are empty there.
    let new = fixture("wps_myexcel_multi.xlsx");
    let old = fixture("wps_myexcel_multi.xls");
    assert_eq!(producer_xlsx(&new), ("WPS 表格".to_owned(), true));
    assert!(xls_names(&old, "WPS 表格"));
    for bytes in [&new, &old] {
        let rows = read_rows(bytes).unwrap();
        assert_eq!(rows.len(), 21);
        assert_eq!(row(&rows, 1), ["学校", "年级", "姓名", "年龄"]);
        assert_eq!(row(&rows, 2), ["大宇中学", "一年级", "凹凸曼", "1"]);
        assert_eq!(row(&rows, 3), ["", "", "迪迦", "2"]);
        assert_eq!(row(&rows, 21), ["", "", "送美食", "20"]);
    }

    // Dates in a custom format, and styled empty cells out to column BZ.
    let dates = fixture("wps_miniexcel_TestIssue256.xlsx");
    assert_eq!(producer_xlsx(&dates), ("WPS 表格".to_owned(), true));
    let rows = read_rows(&dates).unwrap();
    assert_eq!(row(&rows, 1), ["日期", "下次日"]);
    assert_eq!(row(&rows, 2), ["16/04/2003", "16/04/2004"]);
    assert_eq!(rows.len(), 10);

    // A payroll: a hidden, merged, empty title row, the header on row 3, a totals row.
    let payroll = fixture("wps_phpspreadsheet_issue.3613.xlsx");
    assert_eq!(producer_xlsx(&payroll), ("WPS Office".to_owned(), true));
    let rows = read_rows(&payroll).unwrap();
    assert!(!rows.contains_key(&1), "the empty title row");
    assert_eq!(row(&rows, 3)[..4], ["员工姓名", "身份证号码", "银行账号", "性别"]);
    assert_eq!(row(&rows, 4)[..5], ["AAA", "123456", "789456", "男", "27/08/2020"]);
    assert_eq!(row(&rows, 5)[0], "合计");

    // Re-saved by WPS from Excel (it keeps Excel's name but adds its own build): the first
    // sheet is empty, the list is on the second, which is the one read.
    let resaved = fixture("wpsedited_easyexcel_simple07.xlsx");
    assert_eq!(producer_xlsx(&resaved), ("Microsoft Excel".to_owned(), true));
    let rows = read_rows(&resaved).unwrap();
    assert_eq!(row(&rows, 1), ["姓名"]);
    assert_eq!(row(&rows, 2), ["张三"]);
}
