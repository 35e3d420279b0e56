//! Files as LibreOffice reads them: the Word documents danvan drafts are converted to PDF with
//! `soffice --headless` (Debian's libreoffice-writer) and their layout checked from the words'
//! positions (`pdftotext -bbox`, Debian's poppler-utils); attendance lists saved by Calc are
//! imported. `scripts/test` installs all three; a missing tool fails the test: the check is the
//! point.

use std::collections::BTreeMap;
use std::path::Path;

use danvan_domain::report::{Period, PeriodType};
use danvan_store::report::{Figure, FilingRecord, FilingState};
use danvan_web::compiled::{self, AgencyFiling, Heading};
use danvan_web::pdf_words::Word;
use danvan_web::{decision, docx};

#[allow(dead_code, reason = "each user of the helpers takes some")]
mod soffice;
use soffice::to_pdf;

const KIND: &str = include_str!("../../../reports/bao-cao-dan-van-nam.toml");

fn filing(unit_id: i64, state: FilingState) -> FilingRecord {
    let figures = [
        ("tasks_due", "5"),
        ("tasks_done", "4"),
        ("tasks_on_time", "3"),
        ("petitions_received", "40"),
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

fn pdf_words(pdf: &Path) -> Vec<Word> {
    danvan_web::pdf_words::read(pdf).words
}

const PT: f64 = 20.0; // twips per point
const PAGE_W: f64 = docx::PAGE_WIDTH as f64 / PT;
const PAGE_H: f64 = docx::PAGE_HEIGHT as f64 / PT;
const LEFT: f64 = docx::MARGIN_LEFT as f64 / PT;
const RIGHT: f64 = PAGE_W - docx::MARGIN_RIGHT as f64 / PT;
const TOP: f64 = docx::MARGIN_TOP as f64 / PT;
const BOTTOM: f64 = PAGE_H - docx::MARGIN_BOTTOM as f64 / PT;

/// The first run of consecutive words (on one page) that spells `phrase`.
fn find<'w>(words: &'w [Word], phrase: &str) -> Option<&'w [Word]> {
    let parts: Vec<&str> = phrase.split(' ').collect();
    (0..words.len().saturating_sub(parts.len() - 1)).find_map(|i| {
        let run = &words[i..i + parts.len()];
        (run.iter().zip(&parts).all(|(w, p)| w.text == *p) && run.iter().all(|w| w.page == run[0].page)).then_some(run)
    })
}

fn width(run: &[Word]) -> f64 {
    run.last().unwrap().x1 - run[0].x0
}

/// What every official document must show once rendered.
fn check_layout(name: &str, words: &[Word], xml: &str, signer: &str) {
    let pages = words.iter().map(|w| w.page).max().unwrap();
    // No text crosses the margins; the page number sits in the top margin from page 2 only.
    for w in words {
        assert!(
            w.x0 >= LEFT - 0.5 && w.x1 <= RIGHT + 0.5,
            "{name}: {w:?} crosses a side margin"
        );
        assert!(w.y1 <= BOTTOM + 0.5, "{name}: {w:?} crosses the bottom margin");
        if w.y0 < TOP - 0.5 {
            assert!(
                w.page >= 2 && w.text == w.page.to_string(),
                "{name}: {w:?} in the top margin"
            );
            assert!(
                ((w.x0 + w.x1) / 2.0 - (LEFT + RIGHT) / 2.0).abs() < 3.0,
                "{name}: page number centred"
            );
        }
    }
    for page in 2..=pages {
        assert!(
            words
                .iter()
                .any(|w| w.page == page && w.y0 < TOP && w.text == page.to_string()),
            "{name}: page {page} is numbered"
        );
    }
    // The heading: the issuer on the left, the national name on one line on the right, the
    // motto under it; the number under the issuer, the date under the motto.
    let national = find(words, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").expect("national name");
    assert!(
        national.iter().all(|w| (w.y0 - national[0].y0).abs() < 1.0),
        "{name}: national name on one line"
    );
    let column = LEFT + 3402.0 / PT;
    assert!(national[0].x0 >= column, "{name}: national name in the right column");
    let motto = find(words, docx::MOTTO).expect("motto");
    assert!(motto[0].y0 > national[0].y1 - 1.0 && motto[0].page == 1);
    let issuer = find(words, "ỦY BAN NHÂN DÂN").expect("issuer");
    assert!(
        issuer.last().unwrap().x1 <= column && issuer[0].page == 1,
        "{name}: issuer in the left column"
    );
    let number = find(words, "Số:").expect("number");
    assert!(number[0].x1 <= column && number[0].y0 > issuer[0].y1);
    // The rules, as the XML draws them, against the text as rendered: the motto's rule is the
    // motto's width; the issuer's is between a third and a half of its line.
    let rules: Vec<f64> = xml
        .split("<w:ind w:left=\"")
        .skip(1)
        .take(2)
        .map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap() / PT)
        .collect();
    let issuer_rule = (3402 - 2 * docx::CELL_MARGIN) as f64 / PT - 2.0 * rules[0];
    let issuer_line = width(issuer).max(width(find(words, "TỈNH ĐẮK NÔNG").expect("province")));
    assert!(
        issuer_rule >= issuer_line / 3.0 && issuer_rule <= issuer_line / 2.0,
        "{name}: issuer rule {issuer_rule:.1} pt for a line of {issuer_line:.1} pt"
    );
    let motto_rule = ((docx::TEXT_WIDTH - 3402 - 2 * docx::CELL_MARGIN) as f64) / PT - 2.0 * rules[1];
    assert!(
        (motto_rule - width(motto)).abs() <= width(motto) * 0.06,
        "{name}: motto rule {motto_rule:.1} pt, motto {:.1} pt",
        width(motto)
    );
    // The subject's rule, a third to a half of the subject's longest line as rendered (the
    // lines between the title and what follows the subject).
    let subject_side: f64 = xml
        .split("<w:ind w:left=\"")
        .nth(3)
        .map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap() / PT)
        .unwrap();
    let subject_rule = docx::TEXT_WIDTH as f64 / PT - 2.0 * subject_side;
    let kind_words = if name.starts_with("quyet-dinh") {
        "QUYẾT ĐỊNH"
    } else {
        "BÁO CÁO"
    };
    let title_at = find(words, kind_words).unwrap()[0].y1;
    let after = if name.starts_with("quyet-dinh") {
        "CHỦ TỊCH ỦY BAN"
    } else {
        "Kính gửi:"
    };
    let after_at = find(words, after).unwrap()[0].y0;
    let mut lines: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for w in words
        .iter()
        .filter(|w| w.page == 1 && w.y0 > title_at && w.y1 < after_at)
    {
        let line = lines.entry((w.y0 * 2.0).round() as i64).or_insert((f64::MAX, 0.0));
        *line = (line.0.min(w.x0), line.1.max(w.x1));
    }
    let longest = lines.values().map(|(a, b)| b - a).fold(0.0, f64::max);
    assert!(
        subject_rule >= longest / 3.0 && subject_rule <= longest / 2.0,
        "{name}: subject rule {subject_rule:.1} pt for a line of {longest:.1} pt"
    );
    // The title, centred, once.
    let kind = if name.starts_with("quyet-dinh") {
        "QUYẾT ĐỊNH"
    } else {
        "BÁO CÁO"
    };
    let title_count = (0..words.len())
        .filter(|&i| find(&words[i..], kind).is_some_and(|run| std::ptr::eq(&run[0], &words[i])))
        .count();
    assert_eq!(title_count, 1, "{name}: one title");
    let title_run = find(words, kind).unwrap();
    let centre = (title_run[0].x0 + title_run.last().unwrap().x1) / 2.0;
    assert!((centre - (LEFT + RIGHT) / 2.0).abs() < 3.0, "{name}: the title centred");
    // The signature block: beside "Nơi nhận", on a page that also holds the body; the name
    // under the title with room for the signature and seal.
    let received = find(words, "Nơi nhận:").expect("Nơi nhận");
    let page = received[0].page;
    let title = words
        .iter()
        .find(|w| w.page == page && w.text == "CHỦ" && w.x0 > (LEFT + RIGHT) / 2.0 && w.y0 >= received[0].y0 - 40.0)
        .expect("the signer's title beside Nơi nhận");
    let signed = find(words, signer).unwrap_or_else(|| panic!("{name}: the signer's name {signer}"));
    assert_eq!(signed[0].page, page, "{name}: the name on the signature's page");
    assert!(signed[0].y0 - title.y1 >= 56.0, "{name}: room for the signature (2 cm)");
    assert!(signed[0].x0 > (LEFT + RIGHT) / 2.0, "{name}: the name on the right");
    let above: Vec<&Word> = words
        .iter()
        .filter(|w| w.page == page && w.y1 < received[0].y0 && w.y1 > TOP)
        .collect();
    assert!(
        above.len() >= 5,
        "{name}: the signature block is alone on page {page} ({} words above it)",
        above.len()
    );
}

fn agencies_text(n: usize) -> BTreeMap<String, String> {
    let item = |i: usize| {
        format!(
            "- UBND xã số {i}: đã ban hành kế hoạch thực hiện công tác dân vận chính quyền, tổ chức hội nghị quán triệt Kết luận số 114-KL/TW cho cán bộ, công chức; tiếp {i} lượt công dân, giải quyết dứt điểm các kiến nghị thuộc thẩm quyền."
        )
    };
    BTreeMap::from([
        ("I".to_owned(), (1..=n).map(item).collect::<Vec<_>>().join("\n")),
        (
            "II".to_owned(),
            "Kết quả thực hiện nhiệm vụ được giao đạt yêu cầu.\nDòng thứ hai của cùng đoạn.".to_owned(),
        ),
    ])
}

/// The compiled report and the draft decision, rendered by LibreOffice, are laid out as Nghị
/// định 30/2020 asks, whatever length pushes the signature block across a page.
#[test]
fn official_documents_render_in_the_official_layout() {
    let kind = danvan_domain::report::parse(KIND).unwrap();
    let filings: Vec<FilingRecord> = (1..=12).map(|i| filing(i, FilingState::Accepted)).collect();
    let agencies: Vec<AgencyFiling> = filings
        .iter()
        .map(|f| AgencyFiling {
            unit: format!("UBND xã số {} huyện Đắk R'Lấp", f.unit_id),
            group: "Khối UBND cấp xã".into(),
            filing: f,
        })
        .collect();
    let figures = compiled::figures(&kind, &agencies);
    let signer = docx::Signer {
        name: "Tôn Thị Ngọc Hạnh".into(),
        position: "Phó Chủ tịch Ủy ban nhân dân tỉnh".into(),
    };
    let mut files = Vec::new();
    // Lengths chosen so that the end of the body falls at different heights of a page.
    for n in [1, 4, 7, 9, 11, 14, 18, 24] {
        let heading = Heading {
            province: "Đắk Nông".into(),
            period: Period::new(PeriodType::Year, 2022, 1).unwrap(),
            year_of_issue: 2022,
            signer: Some(signer.clone()),
        };
        let word = compiled::docx(&kind, &heading, &agencies_text(n), &figures, 12, 12).unwrap();
        files.push((format!("bao-cao-{n}"), word));
    }
    for n in [3, 45] {
        let lines = (1..=n)
            .map(|i| decision::ResultLine {
                unit: format!("Sở, ban, ngành số {i} của tỉnh Đắk Nông"),
                self_total: "90".into(),
                total: if i == 3 || i == 4 {
                    "83,25".into()
                } else {
                    format!("{}", 95 - i)
                },
                band: "Hoàn thành tốt nhiệm vụ".into(),
                rank: i as i64,
                note: if i == 3 {
                    "Bằng tổng điểm (83,25 điểm) với cơ quan xếp thứ 4; xếp trên vì bị trừ ít điểm hơn.".into()
                } else {
                    String::new()
                },
            })
            .collect();
        let draft = decision::Decision {
            province: "Đắk Nông".into(),
            group: "Khối sở, ban, ngành".into(),
            year: 2022,
            year_of_issue: 2023,
            issued_on: time::macros::date!(2023 - 01 - 10),
            basis: decision::citation(
                "Quyết định",
                "729/QĐ-UBND",
                Some(time::macros::date!(2018 - 05 - 17)),
                Some("UBND tỉnh Đắk Nông"),
                "về việc ban hành Quy định về tiêu chí, thang điểm đánh giá, xếp loại kết quả thực hiện công tác dân vận",
            ),
            lines,
            tie_break: vec!["bị trừ ít điểm hơn".into(), "điểm tiêu chí 2 cao hơn".into()],
            signer: Some(docx::Signer {
                name: "Hồ Văn Mười".into(),
                position: "Chủ tịch Ủy ban nhân dân tỉnh".into(),
            }),
        };
        files.push((format!("quyet-dinh-{n}"), decision::docx(&draft).unwrap()));
    }
    let dir = std::env::temp_dir().join(format!("danvan-soffice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdfs = to_pdf(&dir, &files);
    let mut page_counts = Vec::new();
    for ((name, bytes), pdf) in files.iter().zip(&pdfs) {
        let words = pdf_words(pdf);
        let xml = docx::part(bytes, "word/document.xml").unwrap();
        let signer = if name.starts_with("quyet-dinh") {
            "Hồ Văn Mười"
        } else {
            "Tôn Thị Ngọc Hạnh"
        };
        check_layout(name, &words, &xml, signer);
        page_counts.push(words.iter().map(|w| w.page).max().unwrap());
        if name.starts_with("quyet-dinh") {
            let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            let text = text.join(" ");
            assert!(
                text.contains("729/QĐ-UBND ngày 17 tháng 5 năm 2018 của Ủy ban nhân dân tỉnh Đắk Nông"),
                "{text}"
            );
            assert!(
                text.contains("của Chủ tịch Ủy ban nhân dân tỉnh Đắk Nông)"),
                "the Chairman decides"
            );
            assert!(
                text.contains("xếp trên vì bị trừ ít điểm hơn"),
                "the tie-break beside the rank"
            );
            // The appendix's header row repeats on each of its pages.
            let appendix_pages: std::collections::BTreeSet<usize> = words
                .iter()
                .filter(|w| w.text.starts_with("Sở,"))
                .map(|w| w.page)
                .collect();
            for page in &appendix_pages {
                assert!(
                    words.iter().any(|w| w.page == *page && w.text == "STT"),
                    "{name}: the header row on page {page}"
                );
            }
            if name == "quyet-dinh-45" {
                assert!(appendix_pages.len() >= 2, "the long appendix runs over pages");
            }
        }
    }
    assert!(
        page_counts.iter().any(|&p| p >= 3),
        "some documents run over pages: {page_counts:?}"
    );
    // DANVAN_KEEP_RENDERED=1 leaves the files for a person to look at.
    if std::env::var_os("DANVAN_KEEP_RENDERED").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("rendered files kept in {}", dir.display());
    }
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
        soffice::run(|command| {
            command
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
                .arg(&input);
        });
        let bytes = std::fs::read(dir.join(format!("danh-sach.{format}"))).expect("soffice wrote the file");
        let attendees = danvan_web::attendance::read(&bytes, &agencies)
            .unwrap_or_else(|e| panic!("the .{format} file did not import: {e:?}"));
        let names: Vec<&str> = attendees.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Nguyễn Thị Ánh", "Y Bhăm Ê Ban", "Trần Văn Đức"], ".{format}");
        assert!(attendees.iter().all(|a| a.unit_id == 7), ".{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
