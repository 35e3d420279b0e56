//! The province's compiled report for a round: the figures combined across agencies by each
//! indicator's rule, the agencies' texts gathered per section, and the two files: the report in
//! the official Word layout and the Excel annex of figures per agency.
//!
//! Pure functions over what the store returns, shared by the pages and the benchmark.

use std::collections::BTreeMap;

use danvan_app::store::report::{FilingRecord, FilingState, RoundState};
use danvan_domain::report::{
    Aggregate, Indicator, Period, ReportKind, ValueType, combine, format_number, parse_number, weighted_average,
};

use crate::docx::{self, Align, Block, Run};
use crate::xlsx::{Cell, Sheet, workbook};

/// One obliged agency's filing, with the names the files show.
#[derive(Debug, Clone)]
pub struct AgencyFiling<'a> {
    pub unit: String,
    pub group: String,
    pub filing: &'a FilingRecord,
}

impl AgencyFiling<'_> {
    /// Counted in the province's figures: submitted or accepted (a returned filing is being
    /// corrected; a draft is not a report).
    pub fn counts(&self) -> bool {
        matches!(self.filing.state, FilingState::Submitted | FilingState::Accepted)
    }
}

/// The province's figure for one indicator, and from how many agencies.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvinceFigure<'k> {
    pub indicator: &'k Indicator,
    pub value: Option<f64>,
    pub reported_by: usize,
    /// The indicator whose values weighted the average, when one did.
    pub weight: Option<&'k Indicator>,
}

impl ProvinceFigure<'_> {
    /// How the figure was made, as the report says it: "Cộng (12 đơn vị)", "Bình quân gia quyền
    /// theo đơn thư, kiến nghị nhận được (12 đơn vị)".
    pub fn method(&self) -> String {
        match self.weight {
            Some(w) => format!(
                "Bình quân gia quyền theo {} ({} đơn vị)",
                lower_first(&w.name),
                self.reported_by
            ),
            None => format!("{} ({} đơn vị)", self.indicator.aggregate.label(), self.reported_by),
        }
    }

    pub fn shown(&self) -> String {
        match (self.value, self.indicator.value_type) {
            (Some(v), ValueType::Percent) => format!("{} %", format_number(ValueType::Percent, v)),
            (Some(v), t) => format_number(t, v),
            (None, _) => "—".into(),
        }
    }
}

/// Every number indicator combined across the agencies that count.
pub fn figures<'k>(kind: &'k ReportKind, agencies: &[AgencyFiling<'_>]) -> Vec<ProvinceFigure<'k>> {
    kind.indicators
        .iter()
        .filter(|i| i.aggregate != Aggregate::None)
        .map(|i| {
            let value_of = |a: &AgencyFiling<'_>, indicator: &Indicator| {
                a.filing
                    .figures
                    .get(&indicator.id)
                    .and_then(|f| parse_number(indicator.value_type, &f.value))
            };
            let weight = i
                .weight
                .as_ref()
                .and_then(|w| kind.indicators.iter().find(|o| &o.id == w));
            let counted = agencies.iter().filter(|a| a.counts());
            match weight {
                // Each agency's value weighted by its own count of what the rate is of.
                Some(w) => {
                    let pairs: Vec<(f64, f64)> = counted
                        .filter_map(|a| Some((value_of(a, i)?, value_of(a, w)?)))
                        .collect();
                    ProvinceFigure {
                        indicator: i,
                        value: weighted_average(&pairs),
                        reported_by: pairs.len(),
                        weight: Some(w),
                    }
                }
                None => {
                    let values: Vec<f64> = counted.filter_map(|a| value_of(a, i)).collect();
                    ProvinceFigure {
                        indicator: i,
                        value: combine(i.aggregate, &values),
                        reported_by: values.len(),
                        weight: None,
                    }
                }
            }
        })
        .collect()
}

/// "Đơn thư" → "đơn thư" (a name inside a sentence).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The agencies' texts per section (agencies that count, in the order given), for the
/// Department to edit into the province's text.
pub fn gathered(kind: &ReportKind, agencies: &[AgencyFiling<'_>]) -> BTreeMap<String, String> {
    kind.sections
        .iter()
        .map(|s| {
            let text = agencies
                .iter()
                .filter(|a| a.counts())
                .filter_map(|a| {
                    let t = a.filing.sections.get(&s.id)?.trim();
                    (!t.is_empty()).then(|| format!("- {}: {t}", a.unit))
                })
                .collect::<Vec<_>>()
                .join("\n");
            (s.id.clone(), text)
        })
        .collect()
}

/// What the Word report needs besides the filings.
#[derive(Debug, Clone)]
pub struct Heading {
    /// "Đắk Nông".
    pub province: String,
    pub period: Period,
    /// The day the draft is made (the year shows in the date line).
    pub year_of_issue: i32,
    /// Who signs for the People's Committee, from the leader register.
    pub signer: Option<docx::Signer>,
}

/// The province's report as a Word document in the official layout: heading, the title and its
/// subject, "Kính gửi", the Department's text per section, the combined figures, "./.", then the
/// distribution list beside the signature.
pub fn docx(
    kind: &ReportKind,
    heading: &Heading,
    text: &BTreeMap<String, String>,
    figures: &[ProvinceFigure<'_>],
    expected: usize,
    counted: usize,
) -> std::io::Result<Vec<u8>> {
    let place = &heading.province;
    let title = danvan_domain::report::title(&kind.name, heading.period);
    // The kind is the title ("BÁO CÁO"); the subject is what follows it, without repeating it.
    let subject = match title
        .strip_prefix("Báo cáo ")
        .or_else(|| title.strip_prefix("BÁO CÁO "))
    {
        Some(rest) => capitalise(rest),
        None => title.clone(),
    };
    let mut blocks = docx::heading(&docx::Heading {
        parent: None,
        issuer: format!("ỦY BAN NHÂN DÂN\nTỈNH {}", place.to_uppercase()),
        symbol: "BC-UBND".into(),
        place_and_date: format!("{place}, ngày      tháng      năm {}", heading.year_of_issue),
        kind: "BÁO CÁO".into(),
        subject,
    });
    blocks.push(Block::para(Align::Center, vec![Run::plain("Kính gửi: Bộ Nội vụ.")]));
    let (from, to) = heading.period.window();
    let mut body = vec![Block::body(vec![Run::plain(format!(
        "Thực hiện chế độ báo cáo định kỳ, trên cơ sở báo cáo của {counted}/{expected} cơ quan, đơn vị, Ủy ban nhân dân tỉnh {place} báo cáo kết quả thực hiện công tác dân vận chính quyền {} (số liệu tính từ ngày {} đến ngày {}) như sau:",
        heading.period.label(),
        danvan_domain::date::format_vn(from),
        danvan_domain::date::format_vn(to),
    ))])];
    let last = kind.sections.len().saturating_sub(1);
    for (n, section) in kind.sections.iter().enumerate() {
        body.push(
            Block::para(
                Align::Left,
                vec![Run::bold(format!("{}. {}", section.id, section.title.to_uppercase()))],
            )
            .keep_with_next(),
        );
        let text = text.get(&section.id).map(|t| t.trim()).unwrap_or("");
        let mut paragraphs = paragraphs(text);
        if paragraphs.is_empty() {
            paragraphs.push("(Chưa có nội dung.)".into());
        }
        let count = paragraphs.len();
        for (i, paragraph) in paragraphs.into_iter().enumerate() {
            // The body ends with "./." (Nghị định 30/2020).
            let closing = if n == last && i + 1 == count && figures.is_empty() {
                "./."
            } else {
                ""
            };
            body.push(Block::body(vec![Run::plain(format!("{paragraph}{closing}"))]));
        }
    }
    if !figures.is_empty() {
        body.push(
            Block::para(
                Align::Left,
                vec![Run::bold(format!(
                    "{}. SỐ LIỆU TỔNG HỢP",
                    roman(kind.sections.len() + 1)
                ))],
            )
            .keep_with_next(),
        );
        let cell = |t: String, align, bold| {
            vec![Block::para(
                align,
                vec![if bold { Run::bold(t) } else { Run::plain(t) }.sized(12)],
            )]
        };
        let mut rows = vec![vec![
            cell("STT".into(), Align::Center, true),
            cell("Chỉ tiêu".into(), Align::Center, true),
            cell("Đơn vị tính".into(), Align::Center, true),
            cell("Toàn tỉnh".into(), Align::Center, true),
            cell("Cách tổng hợp".into(), Align::Center, true),
        ]];
        for (i, f) in figures.iter().enumerate() {
            rows.push(vec![
                cell((i + 1).to_string(), Align::Center, false),
                cell(f.indicator.name.clone(), Align::Left, false),
                cell(f.indicator.unit.clone(), Align::Center, false),
                cell(f.shown(), Align::Center, false),
                cell(f.method(), Align::Center, false),
            ]);
        }
        body.push(Block::Table {
            widths: vec![600, 4000, 1300, 1300, 1871],
            borders: true,
            header_rows: 1,
            rows,
        });
        body.push(Block::body(vec![Run::italic(
            "(Số liệu chi tiết của từng cơ quan, đơn vị tại Phụ lục kèm theo)./.",
        )]));
    }
    let signature = docx::signature_block(&docx::committee_signature(
        heading.signer.as_ref(),
        true,
        &[
            "Bộ Nội vụ;",
            "Ban Dân vận Tỉnh ủy;",
            "CT, các PCT UBND tỉnh;",
            "Sở Nội vụ;",
            "Lưu: VT, NC.",
        ],
    ));
    // The last paragraph goes to the signature's page with it.
    let last = body.pop();
    blocks.extend(body);
    blocks.push(Block::Together(last.into_iter().chain([signature]).collect()));
    docx::document(&blocks)
}

/// A text typed in a form as paragraphs: a blank line, or a line that starts an item ("- ",
/// "+ ", "a) ", "1. "), begins a new paragraph; any other line break stays a break inside the
/// paragraph.
pub fn paragraphs(text: &str) -> Vec<String> {
    let starts_item = |line: &str| {
        let mut chars = line.chars();
        match (chars.next(), chars.next()) {
            (Some('-' | '+' | '•' | '*'), Some(' ')) => true,
            _ => {
                let head: String = line.chars().take_while(|c| c.is_alphanumeric()).collect();
                let rest = &line[head.len()..];
                !head.is_empty()
                    && head.chars().count() <= 3
                    && (head.chars().all(|c| c.is_ascii_digit()) || head.chars().count() == 1)
                    && (rest.starts_with(". ") || rest.starts_with(") "))
            }
        }
    };
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(last) if open && !starts_item(line) => {
                last.push('\n');
                last.push_str(line);
            }
            _ => out.push(line.to_owned()),
        }
        open = true;
    }
    out
}

/// The first letter in capitals ("kết quả" → "Kết quả").
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn roman(n: usize) -> &'static str {
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
        .get(n.saturating_sub(1))
        .copied()
        .unwrap_or("X")
}

/// The annex: one row per obliged agency (its group, its state, then every number indicator as
/// it reported it), and the province's row.
pub fn xlsx(
    kind: &ReportKind,
    round: RoundState,
    agencies: &[AgencyFiling<'_>],
    figures: &[ProvinceFigure<'_>],
) -> std::io::Result<Vec<u8>> {
    let numeric: Vec<&Indicator> = figures.iter().map(|f| f.indicator).collect();
    let mut header: Vec<String> = vec![
        "STT".into(),
        "Cơ quan, đơn vị".into(),
        "Khối".into(),
        "Tình trạng".into(),
    ];
    header.extend(numeric.iter().map(|i| {
        if i.unit.is_empty() {
            i.name.clone()
        } else {
            format!("{} ({})", i.name, i.unit)
        }
    }));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(agencies.len() + 1);
    for (n, a) in agencies.iter().enumerate() {
        let mut row: Vec<Cell> = vec![
            Cell::from((n + 1) as i64),
            a.unit.clone().into(),
            a.group.clone().into(),
            a.filing.state.label_in(round).into(),
        ];
        for i in &numeric {
            let value = a
                .counts()
                .then(|| a.filing.figures.get(&i.id))
                .flatten()
                .and_then(|f| parse_number(i.value_type, &f.value));
            row.push(typed(i, value));
        }
        rows.push(row);
    }
    let mut total: Vec<Cell> = vec![
        Cell::Empty,
        "Toàn tỉnh".into(),
        "".into(),
        format!("{} báo cáo", agencies.iter().filter(|a| a.counts()).count()).into(),
    ];
    total.extend(
        figures
            .iter()
            .map(|f| typed(f.indicator, f.value.map(|v| (v * 100.0).round() / 100.0))),
    );
    rows.push(total);
    // How each combined figure was made, the weights of weighted averages named.
    let weighted: Vec<String> = figures
        .iter()
        .filter(|f| f.weight.is_some())
        .map(|f| format!("“{}”: {}", f.indicator.name, lower_first(&f.method())))
        .collect();
    let mut note = "Dòng “Toàn tỉnh” tính theo quy tắc của từng chỉ tiêu, chỉ từ các báo cáo đã gửi.".to_owned();
    if !weighted.is_empty() {
        note.push_str(&format!(
            " Tỷ lệ tính bình quân gia quyền (mỗi đơn vị theo quy mô của mình): {}.",
            weighted.join("; ")
        ));
    }
    let sheet = Sheet::new(
        "Phụ lục số liệu",
        Some(format!("Phụ lục số liệu: {}", kind.name)),
        &header_refs,
        rows,
    )
    .with_note(note);
    workbook(&[sheet]).map_err(std::io::Error::other)
}

/// A figure as a typed cell: a percentage as a rate (87,5 % stored as 0.875), others as numbers.
fn typed(indicator: &Indicator, value: Option<f64>) -> Cell {
    match (value, indicator.value_type) {
        (Some(v), ValueType::Percent) => Cell::Rate(v / 100.0),
        (value, _) => value.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use danvan_app::store::report::Figure;
    use danvan_domain::report::PeriodType;

    const KIND: &str = include_str!("../../../reports/bao-cao-dan-van-6-thang.toml");

    fn filing(unit_id: i64, state: FilingState, due: &str, rate: &str, text: &str) -> FilingRecord {
        let figure = |v: &str| Figure {
            value: v.into(),
            prefilled: None,
            note: String::new(),
        };
        FilingRecord {
            id: unit_id,
            round_id: 1,
            unit_id,
            state,
            sections: BTreeMap::from([("I".to_owned(), text.to_owned())]),
            figures: BTreeMap::from([
                ("tasks_due".to_owned(), figure(due)),
                ("petitions_resolved".to_owned(), figure(rate)),
                // Ten petitions per task due: 40 and 60 for the two agencies that count.
                (
                    "petitions_received".to_owned(),
                    figure(&(due.parse::<i64>().unwrap() * 10).to_string()),
                ),
            ]),
            warnings_note: String::new(),
            first_submitted_on: None,
            submitted_on: None,
            review_comment: None,
        }
    }

    #[test]
    fn typed_text_keeps_its_paragraphs_and_its_line_breaks() {
        assert_eq!(
            paragraphs("Mở đầu\nvẫn đoạn một\n\nĐoạn hai\n- Sở A: một\n- Sở B: hai\ntiếp\na) ý a\n12. mục"),
            [
                "Mở đầu\nvẫn đoạn một",
                "Đoạn hai",
                "- Sở A: một",
                "- Sở B: hai\ntiếp",
                "a) ý a",
                "12. mục"
            ]
        );
        assert!(paragraphs(" \n\n").is_empty());
    }

    #[test]
    fn sums_and_averages_count_only_reports_that_were_sent() {
        let kind = danvan_domain::report::parse(KIND).unwrap();
        let filings = [
            filing(1, FilingState::Accepted, "4", "90", "Đã ban hành kế hoạch."),
            filing(2, FilingState::Submitted, "6", "80", "Đã phổ biến Kết luận 114."),
            filing(3, FilingState::Draft, "100", "0", "Bản nháp"),
        ];
        let agencies: Vec<AgencyFiling> = filings
            .iter()
            .map(|f| AgencyFiling {
                unit: format!("Sở {}", f.unit_id),
                group: "Khối sở, ban, ngành".into(),
                filing: f,
            })
            .collect();
        let figures = figures(&kind, &agencies);
        let due = figures.iter().find(|f| f.indicator.id == "tasks_due").unwrap();
        assert_eq!(
            (due.value, due.reported_by, due.shown()),
            (Some(10.0), 2, "10".to_owned())
        );
        let rate = figures.iter().find(|f| f.indicator.id == "petitions_resolved").unwrap();
        // 90 % of 40 petitions and 80 % of 60: 84 % of the 100, not the plain average 85 %.
        assert_eq!(rate.shown(), "84 %");
        assert_eq!(
            rate.method(),
            "Bình quân gia quyền theo đơn thư, kiến nghị nhận được (2 đơn vị)"
        );
        let text = gathered(&kind, &agencies);
        assert_eq!(
            text["I"],
            "- Sở 1: Đã ban hành kế hoạch.\n- Sở 2: Đã phổ biến Kết luận 114."
        );
        let heading = Heading {
            province: "Đắk Nông".into(),
            period: Period::new(PeriodType::HalfYear, 2022, 1).unwrap(),
            year_of_issue: 2022,
            signer: None,
        };
        let word = docx(&kind, &heading, &text, &figures, 3, 2).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip::ZipArchive::new(std::io::Cursor::new(word))
                .unwrap()
                .by_name("word/document.xml")
                .unwrap(),
            &mut xml,
        )
        .unwrap();
        let text = danvan_docparse::xml_unescape(&xml);
        for expected in [
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số:       /BC-UBND",
            "Đắk Nông, ngày      tháng      năm 2022",
            "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2022",
            "trên cơ sở báo cáo của 2/3 cơ quan",
            "từ ngày 15/12/2021 đến ngày 14/06/2022",
            "- Sở 1: Đã ban hành kế hoạch.",
            "V. SỐ LIỆU TỔNG HỢP",
            "kèm theo)./.",
            "TM. ỦY BAN NHÂN DÂN",
            "Lưu: VT, NC.",
        ] {
            assert!(text.contains(expected), "{expected} missing");
        }
        // The annex: a draft reads "Đang soạn" while the round is open, "Không nộp" once closed.
        for (round, draft) in [(RoundState::Open, "Đang soạn"), (RoundState::Closed, "Không nộp")] {
            let excel = xlsx(&kind, round, &agencies, &figures).unwrap();
            let rows = crate::spreadsheet::read_rows(&excel).unwrap();
            let states: Vec<&str> = rows.values().filter_map(|r| r.get(3)).map(String::as_str).collect();
            assert!(states.contains(&draft), "{round:?}: {states:?}");
            assert!(states.contains(&"Đã tiếp nhận"), "{states:?}");
        }
        // The province's rate in the annex: a number (0.84 shown as a percentage), the weights
        // named in the note under the table.
        let excel = xlsx(&kind, RoundState::Closed, &agencies, &figures).unwrap();
        let rows = crate::spreadsheet::read_rows(&excel).unwrap();
        let header = rows
            .values()
            .find(|r| r.iter().any(|c| c.starts_with("Tỷ lệ đơn thư")))
            .unwrap();
        let column = header.iter().position(|c| c.starts_with("Tỷ lệ đơn thư")).unwrap();
        let province = rows
            .values()
            .find(|r| r.get(1).is_some_and(|c| c == "Toàn tỉnh"))
            .unwrap();
        assert_eq!(province[column], "0.84");
        assert!(
            rows.values().any(|r| r
                .iter()
                .any(|c| c.contains("bình quân gia quyền theo đơn thư, kiến nghị nhận được"))),
            "the weights named in the note"
        );
    }
}
