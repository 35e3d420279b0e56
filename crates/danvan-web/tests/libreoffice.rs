//! The compiled report opens in LibreOffice: it is converted to PDF with `soffice --headless`
//! (Debian's libreoffice-writer, which `.ci/run` installs). A missing `soffice` fails the test:
//! the check is the point.

use std::collections::BTreeMap;
use std::process::Command;

use danvan_domain::report::{Period, PeriodType};
use danvan_store::report::{Figure, FilingRecord, FilingState};
use danvan_web::compiled::{self, AgencyFiling, Heading};

const KIND: &str = include_str!("../../../reports/bao-cao-dan-van-nam.toml");

fn filing(unit_id: i64, state: FilingState) -> FilingRecord {
    let figures = [
        ("tasks_due", "5"),
        ("tasks_done", "4"),
        ("tasks_on_time", "3"),
        ("petitions_resolved", "87,5"),
    ]
    .into_iter()
    .map(|(k, v)| {
        (
            k.to_owned(),
            Figure {
                value: v.into(),
                prefilled: None,
                note: String::new(),
            },
        )
    })
    .collect();
    FilingRecord {
        id: unit_id,
        round_id: 1,
        unit_id,
        state,
        sections: BTreeMap::from([(
            "I".to_owned(),
            "Đã ban hành kế hoạch; phổ biến Kết luận số 114-KL/TW.".to_owned(),
        )]),
        figures,
        warnings_note: String::new(),
        first_submitted_on: None,
        submitted_on: None,
        review_comment: None,
    }
}

#[test]
fn the_compiled_report_converts_to_pdf_with_libreoffice() {
    let kind = danvan_domain::report::parse(KIND).unwrap();
    let filings: Vec<FilingRecord> = (1..=40)
        .map(|i| {
            filing(
                i,
                if i % 5 == 0 {
                    FilingState::Draft
                } else {
                    FilingState::Accepted
                },
            )
        })
        .collect();
    let agencies: Vec<AgencyFiling> = filings
        .iter()
        .map(|f| AgencyFiling {
            unit: format!("UBND xã số {} huyện Đắk R'Lấp", f.unit_id),
            group: "Khối UBND cấp xã".into(),
            filing: f,
        })
        .collect();
    let figures = compiled::figures(&kind, &agencies);
    let text = compiled::gathered(&kind, &agencies);
    let heading = Heading {
        province: "Đắk Nông".into(),
        period: Period::new(PeriodType::Year, 2022, 1).unwrap(),
        year_of_issue: 2022,
    };
    let word = compiled::docx(&kind, &heading, &text, &figures, 40, 32).unwrap();
    let dir = std::env::temp_dir().join(format!("danvan-soffice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("bao-cao.docx");
    std::fs::write(&input, &word).unwrap();
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&input)
        .output()
        .expect("soffice (Debian's libreoffice-writer) must be installed: .ci/run installs it");
    assert!(
        output.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = std::fs::read(dir.join("bao-cao.pdf")).expect("soffice wrote the PDF");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    // The page tree's count: 32 agencies' texts in section I make the report run over pages.
    let text = String::from_utf8_lossy(&pdf);
    let pages: u32 = text
        .split("/Count ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("a page tree");
    assert!(pages >= 2, "{pages} page(s)");
    assert!(pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"), "a complete PDF");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An attendance list saved by LibreOffice Calc as .xlsx, .xls and .ods (converted here from a
/// UTF-8 text file, as an office would save it) imports the same from each.
#[test]
fn attendance_lists_saved_by_libreoffice_as_xlsx_xls_and_ods_import_alike() {
    let dir = std::env::temp_dir().join(format!("danvan-calc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = "Họ và tên,Chức vụ,\"Cơ quan, đơn vị\",Đối tượng\n\
               Nguyễn Thị Ánh,Chuyên viên,Sở Nội vụ,Công chức\n\
               Y Bhăm Ê Ban,Phó Giám đốc,Sở Nội vụ,Cán bộ\n\
               Trần Văn Đức,Viên chức,Sở Nội vụ,Viên chức\n";
    let input = dir.join("danh-sach.csv");
    std::fs::write(&input, csv).unwrap();
    let agencies = std::collections::HashMap::from([(danvan_domain::training::agency_key("Sở Nội vụ"), 7)]);
    for format in ["xlsx", "xls", "ods"] {
        let output = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
            // Comma-separated, quoted with ", UTF-8 (76), from line 1.
            .args([
                "--headless",
                "--infilter=CSV:44,34,76,1",
                "--convert-to",
                format,
                "--outdir",
            ])
            .arg(&dir)
            .arg(&input)
            .output()
            .expect("soffice (Debian's libreoffice-calc) must be installed: scripts/test installs it");
        assert!(
            output.status.success(),
            "soffice failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let bytes = std::fs::read(dir.join(format!("danh-sach.{format}"))).expect("soffice wrote the file");
        let attendees = danvan_web::attendance::read(&bytes, &agencies)
            .unwrap_or_else(|e| panic!("the .{format} file did not import: {e:?}"));
        let names: Vec<&str> = attendees.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Nguyễn Thị Ánh", "Y Bhăm Ê Ban", "Trần Văn Đức"], ".{format}");
        assert!(attendees.iter().all(|a| a.unit_id == 7), ".{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
