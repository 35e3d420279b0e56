//! Periodic reports as data: report kinds (period, deadline, who must report, outline and data
//! table), the periods with their data cut-off windows of Nghị định 09/2019/NĐ-CP, the checks on
//! a filed report's figures, and how figures are combined across agencies.
//!
//! A kind is a TOML file (format in `reports/README.md`); `parse` reports every problem with its
//! line, as the rubric reader does.

use std::collections::BTreeMap;

use time::{Date, Month};

mod file;

pub use file::{KindError, parse, to_toml};

/// How often a kind of report is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodType {
    Month,
    Quarter,
    HalfYear,
    Year,
}

impl PeriodType {
    pub const ALL: [PeriodType; 4] = [
        PeriodType::Month,
        PeriodType::Quarter,
        PeriodType::HalfYear,
        PeriodType::Year,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PeriodType::Month => "month",
            PeriodType::Quarter => "quarter",
            PeriodType::HalfYear => "half_year",
            PeriodType::Year => "year",
        }
    }

    pub fn from_code(code: &str) -> Option<PeriodType> {
        PeriodType::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PeriodType::Month => "Tháng",
            PeriodType::Quarter => "Quý",
            PeriodType::HalfYear => "6 tháng",
            PeriodType::Year => "Năm",
        }
    }

    /// How many periods a year has.
    pub fn per_year(self) -> u8 {
        match self {
            PeriodType::Month => 12,
            PeriodType::Quarter => 4,
            PeriodType::HalfYear | PeriodType::Year => 1,
        }
    }
}

/// One period of a kind: the year, and which month or quarter (1 for half-year and year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub kind: PeriodType,
    pub year: i32,
    pub index: u8,
}

fn day(year: i32, month: u8, day: u8) -> Date {
    let month = Month::try_from(month).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

impl Period {
    /// A period, if `index` exists for the kind (month 1–12, quarter 1–4, otherwise 1).
    pub fn new(kind: PeriodType, year: i32, index: u8) -> Option<Period> {
        ((1..=kind.per_year()).contains(&index) && (2000..=2100).contains(&year)).then_some(Period {
            kind,
            year,
            index,
        })
    }

    /// The data cut-off window of Nghị định 09/2019, both ends included: from the 15th of the
    /// month before the period's first month to the 14th of its last month. Half-year: 15/12 of
    /// the previous year to 14/06; year: 15/12 of the previous year to 14/12.
    pub fn window(self) -> (Date, Date) {
        let last_month = match self.kind {
            PeriodType::Month => self.index,
            PeriodType::Quarter => self.index * 3,
            PeriodType::HalfYear => 6,
            PeriodType::Year => 12,
        };
        let months = match self.kind {
            PeriodType::Month => 1,
            PeriodType::Quarter => 3,
            PeriodType::HalfYear => 6,
            PeriodType::Year => 12,
        };
        // The month before the first month of the period, possibly December of last year.
        let first = i32::from(last_month) - months;
        let (from_year, from_month) = if first <= 0 {
            (self.year - 1, (first + 12) as u8)
        } else {
            (self.year, first as u8)
        };
        (day(from_year, from_month, 15), day(self.year, last_month, 14))
    }

    /// As officials write it: "6 tháng đầu năm 2022", "năm 2022", "quý III năm 2022",
    /// "tháng 3 năm 2022".
    pub fn label(self) -> String {
        match self.kind {
            PeriodType::Month => format!("tháng {} năm {}", self.index, self.year),
            PeriodType::Quarter => {
                let roman = ["I", "II", "III", "IV"][usize::from(self.index.clamp(1, 4)) - 1];
                format!("quý {roman} năm {}", self.year)
            }
            PeriodType::HalfYear => format!("6 tháng đầu năm {}", self.year),
            PeriodType::Year => format!("năm {}", self.year),
        }
    }

    /// A stable code: "2022-T03", "2022-Q3", "2022-6T", "2022".
    pub fn code(self) -> String {
        match self.kind {
            PeriodType::Month => format!("{}-T{:02}", self.year, self.index),
            PeriodType::Quarter => format!("{}-Q{}", self.year, self.index),
            PeriodType::HalfYear => format!("{}-6T", self.year),
            PeriodType::Year => format!("{}", self.year),
        }
    }

    /// Reads a code written by [`Period::code`] for a kind.
    pub fn parse(kind: PeriodType, code: &str) -> Option<Period> {
        let (year, rest) = code.split_once('-').unwrap_or((code, ""));
        let year: i32 = year.parse().ok()?;
        let index = match (kind, rest) {
            (PeriodType::Year, "") | (PeriodType::HalfYear, "6T") => 1,
            (PeriodType::Month, r) => r.strip_prefix('T')?.parse().ok()?,
            (PeriodType::Quarter, r) => r.strip_prefix('Q')?.parse().ok()?,
            _ => return None,
        };
        Period::new(kind, year, index)
    }
}

/// A report's title for a period: the kind's name without its period words, then the period
/// ("Báo cáo … 6 tháng đầu năm 2022").
pub fn title(kind_name: &str, period: Period) -> String {
    let name = kind_name.trim_end_matches(" 6 tháng đầu năm").trim_end_matches(" năm");
    format!("{name} {}", period.label())
}

/// What an indicator holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    Integer,
    Decimal,
    Percent,
    Text,
}

/// How the province's figure is made from the agencies'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Average,
    /// Not combined (a text).
    None,
}

impl ValueType {
    /// As the file writes it.
    pub fn code(self) -> &'static str {
        match self {
            ValueType::Integer => "integer",
            ValueType::Decimal => "decimal",
            ValueType::Percent => "percent",
            ValueType::Text => "text",
        }
    }
}

impl Aggregate {
    /// As the file writes it.
    pub fn code(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Average => "average",
            Aggregate::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Aggregate::Sum => "Cộng",
            Aggregate::Average => "Bình quân",
            Aggregate::None => "Không tổng hợp",
        }
    }
}

/// The figures danvan holds and can prefill, per agency and cut-off window.
pub const PREFILL_SOURCES: &[(&str, &str)] = &[
    ("tasks_due", "Nhiệm vụ đến hạn trong kỳ"),
    ("tasks_done", "Nhiệm vụ đến hạn trong kỳ đã hoàn thành"),
    ("tasks_on_time", "Nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn"),
    ("initiatives_registered", "Mô hình, điển hình đăng ký trong kỳ"),
    ("initiatives_recognised", "Mô hình, điển hình được công nhận trong kỳ"),
    (
        "training_courses",
        "Lớp tập huấn tổ chức hoặc cử người tham gia trong kỳ",
    ),
    ("people_trained", "Cán bộ, công chức, viên chức được tập huấn trong kỳ"),
    ("dissemination_meetings", "Buổi phổ biến, quán triệt văn bản trong kỳ"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub value_type: ValueType,
    pub required: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Refused when greater than this other indicator's value.
    pub not_more_than: Option<String>,
    /// A warning (to be explained) outside these bounds.
    pub warn_below: Option<f64>,
    pub warn_above: Option<f64>,
    /// One of [`PREFILL_SOURCES`].
    pub prefill: Option<String>,
    pub aggregate: Aggregate,
    /// For an average: the indicator whose value weights each agency's (a rate of petitions
    /// resolved weighted by the petitions received), so the province's rate is the share of all.
    pub weight: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub guidance: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportKind {
    pub code: String,
    pub name: String,
    pub period: PeriodType,
    /// Working days after the window's last day.
    pub deadline_working_days: u32,
    /// Unit kind codes that must report.
    pub obliged_kinds: Vec<String>,
    /// Group codes whose members must report.
    pub obliged_groups: Vec<String>,
    /// To whom: "Sở Nội vụ".
    pub recipient: String,
    pub sections: Vec<Section>,
    pub indicators: Vec<Indicator>,
}

/// Reads a number as officials type it: "1.234" or "1234" for integers; "12,5" or "12.5" for
/// decimals and percentages.
pub fn parse_number(value_type: ValueType, text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('%').trim();
    match value_type {
        ValueType::Integer => {
            let digits: String = text.chars().filter(|c| *c != '.' && *c != ' ').collect();
            let n: i64 = digits.parse().ok()?;
            Some(n as f64)
        }
        ValueType::Decimal | ValueType::Percent => text.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite()),
        ValueType::Text => None,
    }
}

/// A number as officials write it: "1.234", "12,5".
pub fn format_number(value_type: ValueType, n: f64) -> String {
    match value_type {
        ValueType::Integer => {
            let digits = format!("{}", n.round() as i64);
            let (sign, digits) = digits.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", &digits));
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push('.');
                }
                out.push(c);
            }
            format!("{sign}{out}")
        }
        _ => {
            let text = format!("{:.2}", n);
            let text = text.trim_end_matches('0').trim_end_matches('.');
            text.replace('.', ",")
        }
    }
}

/// The outcome of checking a report's figures: errors block submission; warnings need the
/// agency's explanation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Check {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Checks the figures typed for each indicator (by id; a missing id is an empty value).
pub fn check(kind: &ReportKind, values: &BTreeMap<String, String>) -> Check {
    let mut out = Check::default();
    let mut numbers: BTreeMap<&str, f64> = BTreeMap::new();
    for i in &kind.indicators {
        let text = values.get(&i.id).map(|v| v.trim()).unwrap_or("");
        if text.is_empty() {
            if i.required {
                out.errors.push(format!("{}: chưa nhập.", i.name));
            }
            continue;
        }
        if i.value_type == ValueType::Text {
            if text.chars().count() > 5_000 {
                out.errors.push(format!("{}: không quá 5.000 ký tự.", i.name));
            }
            continue;
        }
        let Some(n) = parse_number(i.value_type, text) else {
            out.errors.push(format!(
                "{}: \"{}\" không phải {}.",
                i.name,
                text.chars().take(30).collect::<String>(),
                match i.value_type {
                    ValueType::Integer => "số nguyên",
                    _ => "số",
                }
            ));
            continue;
        };
        let min = i.min.or((i.value_type == ValueType::Percent).then_some(0.0));
        let max = i.max.or((i.value_type == ValueType::Percent).then_some(100.0));
        if let Some(min) = min
            && n < min
        {
            out.errors.push(format!(
                "{}: không được nhỏ hơn {}.",
                i.name,
                format_number(i.value_type, min)
            ));
        }
        if let Some(max) = max
            && n > max
        {
            out.errors.push(format!(
                "{}: không được lớn hơn {}.",
                i.name,
                format_number(i.value_type, max)
            ));
        }
        if let Some(low) = i.warn_below
            && n < low
        {
            out.warnings.push(format!(
                "{}: {} thấp bất thường (dưới {}).",
                i.name,
                format_number(i.value_type, n),
                format_number(i.value_type, low)
            ));
        }
        if let Some(high) = i.warn_above
            && n > high
        {
            out.warnings.push(format!(
                "{}: {} cao bất thường (trên {}).",
                i.name,
                format_number(i.value_type, n),
                format_number(i.value_type, high)
            ));
        }
        numbers.insert(i.id.as_str(), n);
    }
    for i in &kind.indicators {
        if let (Some(other), Some(n)) = (&i.not_more_than, numbers.get(i.id.as_str()))
            && let Some(limit) = numbers.get(other.as_str())
            && n > limit
        {
            let other_name = kind
                .indicators
                .iter()
                .find(|o| &o.id == other)
                .map(|o| o.name.as_str())
                .unwrap_or(other);
            out.errors
                .push(format!("{}: không được lớn hơn \"{other_name}\".", i.name));
        }
    }
    out
}

/// The province's figure from the agencies' (those that reported a number).
/// The average of values weighted by their weights (negative weights count as none); `None`
/// when the weights add up to nothing.
pub fn weighted_average(pairs: &[(f64, f64)]) -> Option<f64> {
    let total: f64 = pairs.iter().map(|(_, w)| w.max(0.0)).sum();
    (total > 0.0).then(|| pairs.iter().map(|(v, w)| v * w.max(0.0)).sum::<f64>() / total)
}

pub fn combine(aggregate: Aggregate, values: &[f64]) -> Option<f64> {
    match aggregate {
        Aggregate::None => None,
        _ if values.is_empty() => None,
        Aggregate::Sum => Some(values.iter().sum()),
        Aggregate::Average => Some(values.iter().sum::<f64>() / values.len() as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn windows_follow_decree_09_2019() {
        let p = |kind, index| Period::new(kind, 2022, index).unwrap().window();
        assert_eq!(
            p(PeriodType::HalfYear, 1),
            (date!(2021 - 12 - 15), date!(2022 - 06 - 14))
        );
        assert_eq!(p(PeriodType::Year, 1), (date!(2021 - 12 - 15), date!(2022 - 12 - 14)));
        assert_eq!(
            p(PeriodType::Quarter, 1),
            (date!(2021 - 12 - 15), date!(2022 - 03 - 14))
        );
        assert_eq!(
            p(PeriodType::Quarter, 3),
            (date!(2022 - 06 - 15), date!(2022 - 09 - 14))
        );
        assert_eq!(p(PeriodType::Month, 1), (date!(2021 - 12 - 15), date!(2022 - 01 - 14)));
        assert_eq!(p(PeriodType::Month, 3), (date!(2022 - 02 - 15), date!(2022 - 03 - 14)));
        assert!(Period::new(PeriodType::Quarter, 2022, 5).is_none());
    }

    #[test]
    fn periods_have_labels_and_codes_that_round_trip() {
        for kind in PeriodType::ALL {
            for index in 1..=kind.per_year() {
                let period = Period::new(kind, 2022, index).unwrap();
                assert_eq!(Period::parse(kind, &period.code()), Some(period));
            }
        }
        assert_eq!(
            Period::new(PeriodType::Quarter, 2022, 3).unwrap().label(),
            "quý III năm 2022"
        );
        assert_eq!(
            Period::new(PeriodType::HalfYear, 2022, 1).unwrap().label(),
            "6 tháng đầu năm 2022"
        );
        assert_eq!(Period::parse(PeriodType::Year, "2022-6T"), None);
        let half = Period::new(PeriodType::HalfYear, 2022, 1).unwrap();
        assert_eq!(
            title("Báo cáo công tác dân vận 6 tháng đầu năm", half),
            "Báo cáo công tác dân vận 6 tháng đầu năm 2022"
        );
        let year = Period::new(PeriodType::Year, 2022, 1).unwrap();
        assert_eq!(
            title("Báo cáo công tác dân vận năm", year),
            "Báo cáo công tác dân vận năm 2022"
        );
    }

    const KIND: &str = r#"
[report]
code = "BC-TEST"
name = "Báo cáo thử"
period = "half_year"
deadline_working_days = 5
obliged_kinds = ["department"]
recipient = "Sở Nội vụ"

[[sections]]
id = "I"
title = "Kết quả"

[[indicators]]
id = "due"
name = "Nhiệm vụ đến hạn"
type = "integer"
required = true
min = 0
prefill = "tasks_due"

[[indicators]]
id = "done"
name = "Nhiệm vụ hoàn thành"
type = "integer"
min = 0
not_more_than = "due"
warn_below = 1

[[indicators]]
id = "rate"
name = "Tỷ lệ hài lòng"
type = "percent"
aggregate = "average"
"#;

    #[test]
    fn a_kind_reads_and_its_figures_are_checked() {
        let kind = parse(KIND).unwrap();
        assert_eq!(kind.period, PeriodType::HalfYear);
        let values = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>()
        };
        assert_eq!(
            check(&kind, &values(&[("due", "4"), ("done", "3"), ("rate", "92,5")])),
            Check::default()
        );
        let bad = check(&kind, &values(&[("done", "5"), ("rate", "120")]));
        assert_eq!(
            bad.errors,
            [
                "Nhiệm vụ đến hạn: chưa nhập.",
                "Tỷ lệ hài lòng: không được lớn hơn 100."
            ]
        );
        let over = check(&kind, &values(&[("due", "2"), ("done", "3")]));
        assert_eq!(
            over.errors,
            ["Nhiệm vụ hoàn thành: không được lớn hơn \"Nhiệm vụ đến hạn\"."]
        );
        let low = check(&kind, &values(&[("due", "2"), ("done", "0")]));
        assert_eq!(low.warnings, ["Nhiệm vụ hoàn thành: 0 thấp bất thường (dưới 1)."]);
        assert!(check(&kind, &values(&[("due", "hai")])).errors[0].contains("không phải số nguyên"));
    }

    #[test]
    fn a_broken_kind_reports_every_problem_with_its_line() {
        let broken = KIND
            .replace("period = \"half_year\"", "period = \"weekly\"")
            .replace("prefill = \"tasks_due\"", "prefill = \"nothing\"")
            .replace("not_more_than = \"due\"", "not_more_than = \"missing\"");
        let errors = parse(&broken).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(lines.iter().all(|l| *l > 0), "{errors:?}");
        assert!(errors[0].message.contains("weekly"));
    }

    #[test]
    fn the_shipped_kinds_read() {
        for text in [
            include_str!("../../../../reports/bao-cao-dan-van-6-thang.toml"),
            include_str!("../../../../reports/bao-cao-dan-van-nam.toml"),
        ] {
            let kind = parse(text).unwrap();
            assert_eq!(kind.sections.len(), 4);
            // The rate of petitions resolved is weighted by the petitions received.
            let rate = kind.indicators.iter().find(|i| i.id == "petitions_resolved").unwrap();
            assert_eq!(rate.weight.as_deref(), Some("petitions_received"));
            assert!(kind.indicators.iter().filter(|i| i.prefill.is_some()).count() >= 8);
        }
    }

    #[test]
    fn numbers_read_and_write_the_vietnamese_way() {
        assert_eq!(parse_number(ValueType::Integer, "1.234"), Some(1234.0));
        assert_eq!(parse_number(ValueType::Decimal, "12,5"), Some(12.5));
        assert_eq!(parse_number(ValueType::Percent, "87,5 %"), Some(87.5));
        assert_eq!(format_number(ValueType::Integer, 1_234_567.0), "1.234.567");
        assert_eq!(format_number(ValueType::Decimal, 12.5), "12,5");
        assert_eq!(format_number(ValueType::Percent, 100.0), "100");
        assert_eq!(combine(Aggregate::Average, &[80.0, 90.0]), Some(85.0));
        assert_eq!(combine(Aggregate::Sum, &[]), None);
        // 90 % of 10 petitions and 50 % of 90: 54 % of the 100, not 70 %.
        assert_eq!(weighted_average(&[(90.0, 10.0), (50.0, 90.0)]), Some(54.0));
        assert_eq!(weighted_average(&[(90.0, 0.0)]), None);
    }

    #[test]
    fn a_weight_must_be_another_number_of_an_average() {
        let weighted = KIND.replace(
            "aggregate = \"average\"\n",
            "aggregate = \"average\"\nweight = \"due\"\n",
        );
        assert_eq!(parse(&weighted).unwrap().indicators[2].weight.as_deref(), Some("due"));
        for wrong in [
            weighted.replace("weight = \"due\"", "weight = \"rate\""),
            weighted.replace("weight = \"due\"", "weight = \"nothing\""),
            weighted.replace("aggregate = \"average\"\n", "aggregate = \"sum\"\n"),
        ] {
            let errors = parse(&wrong).unwrap_err();
            assert!(errors[0].message.contains("weight") && errors[0].line > 0, "{errors:?}");
        }
    }
}
