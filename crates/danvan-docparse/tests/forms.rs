//! Layouts the shared corpus does not show: a Party directive (`Số 14-CT/TU` without a colon,
//! `ĐẢNG BỘ … / TỈNH ỦY`, `T/M`), a district's plan (its roman sections are its tasks; a dated
//! citation at a line's end), a department's dispatch under its committee (`UBND TỈNH … / SỞ NỘI VỤ`).

use danvan_docparse::{ParsedDocument, parse_bytes};

fn parse(name: &str) -> ParsedDocument {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/forms")
        .join(name);
    parse_bytes(&std::fs::read(path).expect("test document"))
}

#[test]
fn a_party_directive() {
    let doc = parse("party.txt");
    assert_eq!(doc.issuer.as_deref(), Some("TỈNH ỦY"));
    assert_eq!(doc.parent_issuer.as_deref(), Some("ĐẢNG BỘ TỈNH ĐẮK NÔNG"));
    assert_eq!(
        (doc.number.as_deref(), doc.symbol.as_deref()),
        (Some("14"), Some("CT/TU"))
    );
    assert_eq!(doc.doc_type.as_deref(), Some("Chỉ thị"));
    assert_eq!(doc.date.map(|d| d.to_string()).as_deref(), Some("2022-03-16"));
    assert_eq!(doc.tasks.len(), 3);
    // The directive does not cite itself.
    assert_eq!(
        doc.references.iter().map(|r| r.symbol.as_str()).collect::<Vec<_>>(),
        ["KL/TW"]
    );
    assert_eq!(doc.signer_authority.as_deref(), Some("T/M BAN THƯỜNG VỤ"));
    assert_eq!(doc.signer_title.as_deref(), Some("PHÓ BÍ THƯ THƯỜNG TRỰC"));
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn a_district_plan() {
    let doc = parse("plan.txt");
    assert_eq!(doc.issuer.as_deref(), Some("ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ"));
    assert_eq!(doc.doc_type.as_deref(), Some("Kế hoạch"));
    assert_eq!(doc.date.map(|d| d.to_string()).as_deref(), Some("2022-05-05"));
    // The corpus's convention (shared/corpus/README.md, "Kế hoạch and Chương trình"): a plan's
    // top-level items, roman when present, are its tasks.
    assert_eq!(doc.tasks, ["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG"]);
    assert_eq!(doc.items.len(), 2);
    // The citation's issuer stops at the end of its line, not at the heading below.
    assert_eq!(doc.references[0].issuer_text.as_deref(), Some("UBND tỉnh"));
    assert_eq!(doc.signer_authority.as_deref(), Some("TM. ỦY BAN NHÂN DÂN"));
    assert_eq!(doc.signer_title.as_deref(), Some("CHỦ TỊCH"));
}

#[test]
fn a_department_dispatch() {
    let doc = parse("cv.txt");
    assert_eq!(
        (doc.parent_issuer.as_deref(), doc.issuer.as_deref()),
        (Some("UBND TỈNH ĐẮK NÔNG"), Some("SỞ NỘI VỤ"))
    );
    assert_eq!(
        doc.subject.as_deref(),
        Some("báo cáo kết quả thực hiện công tác dân vận chính quyền năm 2022")
    );
    assert_eq!(doc.recipients, ["Ủy ban nhân dân các huyện, thành phố"]);
    assert_eq!(doc.tasks.len(), 2);
    assert_eq!(doc.signer_authority.as_deref(), Some("KT. GIÁM ĐỐC"));
    assert_eq!(doc.signer_name.as_deref(), Some("Phạm Thị Dung"));
}

#[test]
fn a_subject_marker_with_a_colon() {
    let text = "SỞ NỘI VỤ\nSố: 5/SNV-VP\nV/v: cử cán bộ dự tập huấn\nĐắk Nông, ngày 02 tháng 3 năm 2023\nKính gửi: Các phòng thuộc Sở.\n";
    let doc = danvan_docparse::parse_text(text);
    assert_eq!(doc.subject.as_deref(), Some("cử cán bộ dự tập huấn"));
    assert_eq!(doc.recipients, ["Các phòng thuộc Sở"]);
}
