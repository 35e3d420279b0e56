//! The report kind's file: TOML (`reports/README.md`) read and checked into a [`ReportKind`],
//! every problem with its line in Vietnamese, and written back ([`to_toml`]) so that a kind
//! exported, imported and exported again is the same kind.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{Aggregate, Indicator, PREFILL_SOURCES, PeriodType, ReportKind, Section, ValueType};
use crate::toml_text::{Lines, translate};

/// A problem in a report kind's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for KindError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}: {}", self.line, self.message)
    }
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileKind {
    report: FileHead,
    #[serde(default)]
    sections: Vec<FileSection>,
    #[serde(default)]
    indicators: Vec<FileIndicator>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileHead {
    code: String,
    name: String,
    period: String,
    deadline_working_days: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    obliged_kinds: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    obliged_groups: Vec<String>,
    recipient: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileSection {
    id: Spanned<String>,
    title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    guidance: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileIndicator {
    id: Spanned<String>,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    unit: String,
    #[serde(rename = "type")]
    value_type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_more_than: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warn_below: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warn_above: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefill: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aggregate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<String>,
}

const UNIT_KINDS: &[&str] = &["department", "service_unit", "district_committee", "commune_committee"];

/// Reads and checks a report kind; every problem is reported, each with its line.
pub fn parse(text: &str) -> Result<ReportKind, Vec<KindError>> {
    let lines = Lines::new(text);
    let file: FileKind = toml::from_str(text).map_err(|e| {
        vec![KindError {
            line: e.span().map_or(0, |s| lines.at(s.start)),
            message: translate(e.message()),
        }]
    })?;
    let mut errors = Vec::new();
    let mut error = |line: usize, message: String| errors.push(KindError { line, message });
    let period = PeriodType::from_code(&file.report.period);
    if period.is_none() {
        error(
            lines.of("period"),
            format!(
                "period \"{}\" không có; dùng month, quarter, half_year hoặc year",
                file.report.period
            ),
        );
    }
    if file.report.code.trim().is_empty() || file.report.name.trim().is_empty() {
        error(lines.of("[report]"), "báo cáo cần code và name".into());
    }
    if file.report.deadline_working_days == 0 || file.report.deadline_working_days > 60 {
        error(
            lines.of("deadline_working_days"),
            "deadline_working_days phải từ 1 đến 60 ngày làm việc".into(),
        );
    }
    for kind in &file.report.obliged_kinds {
        if !UNIT_KINDS.contains(&kind.as_str()) {
            error(lines.of(kind), format!("loại đơn vị \"{kind}\" không có"));
        }
    }
    if file.report.obliged_kinds.is_empty() && file.report.obliged_groups.is_empty() {
        error(
            lines.of("[report]"),
            "cần obliged_kinds hoặc obliged_groups: ai phải báo cáo".into(),
        );
    }
    if file.sections.is_empty() {
        error(
            lines.of("[report]"),
            "đề cương cần ít nhất một phần ([[sections]])".into(),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in &file.sections {
        let id = s.id.get_ref();
        if !seen.insert(format!("s:{id}")) {
            error(lines.at(s.id.span().start), format!("phần \"{id}\" trùng mã"));
        }
    }
    let mut indicators = Vec::new();
    let mut id_lines = std::collections::HashMap::new();
    for i in &file.indicators {
        // Each message on the indicator's own line, found from where its id is written.
        let at = lines.at(i.id.span().start);
        let id = i.id.get_ref();
        id_lines.insert(id.clone(), at);
        if !seen.insert(format!("i:{id}")) {
            error(at, format!("chỉ tiêu \"{id}\" trùng mã"));
        }
        let value_type = match i.value_type.as_str() {
            "integer" => Some(ValueType::Integer),
            "decimal" => Some(ValueType::Decimal),
            "percent" => Some(ValueType::Percent),
            "text" => Some(ValueType::Text),
            other => {
                error(
                    at,
                    format!(
                        "chỉ tiêu \"{}\": kiểu \"{other}\" không có (integer, decimal, percent, text)",
                        id
                    ),
                );
                None
            }
        };
        let aggregate = match (i.aggregate.as_deref(), value_type) {
            (None, Some(ValueType::Text)) | (Some("none"), _) => Aggregate::None,
            (None | Some("sum"), _) => Aggregate::Sum,
            (Some("average"), _) => Aggregate::Average,
            (Some(other), _) => {
                error(
                    at,
                    format!(
                        "chỉ tiêu \"{}\": cách tổng hợp \"{other}\" không có (sum, average, none)",
                        id
                    ),
                );
                Aggregate::None
            }
        };
        if value_type == Some(ValueType::Text) && aggregate != Aggregate::None {
            error(at, format!("chỉ tiêu \"{}\" là văn bản, không cộng được", id));
        }
        if let Some(source) = &i.prefill
            && !PREFILL_SOURCES.iter().any(|(s, _)| s == source)
        {
            error(at, format!("chỉ tiêu \"{}\": nguồn điền sẵn \"{source}\" không có", id));
        }
        if let (Some(min), Some(max)) = (i.min, i.max)
            && min > max
        {
            error(at, format!("chỉ tiêu \"{}\": min lớn hơn max", id));
        }
        if let Some(value_type) = value_type {
            indicators.push(Indicator {
                id: id.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                value_type,
                required: i.required,
                min: i.min,
                max: i.max,
                not_more_than: i.not_more_than.clone(),
                warn_below: i.warn_below,
                warn_above: i.warn_above,
                prefill: i.prefill.clone(),
                aggregate,
                weight: i.weight.clone(),
            });
        }
    }
    for i in &indicators {
        if let Some(weight) = &i.weight {
            let numeric = indicators
                .iter()
                .any(|o| &o.id == weight && o.id != i.id && o.value_type != ValueType::Text);
            if i.aggregate != Aggregate::Average || !numeric {
                errors.push(KindError {
                    line: id_lines.get(&i.id).copied().unwrap_or(0),
                    message: format!(
                        "chỉ tiêu \"{}\": weight chỉ dùng với aggregate = \"average\" và phải chỉ tới một chỉ tiêu số khác có trong báo cáo",
                        i.id
                    ),
                });
            }
        }
        if let Some(other) = &i.not_more_than
            && !indicators
                .iter()
                .any(|o| &o.id == other && o.value_type != ValueType::Text)
        {
            errors.push(KindError {
                line: id_lines.get(&i.id).copied().unwrap_or(0),
                message: format!(
                    "chỉ tiêu \"{}\": not_more_than chỉ tới chỉ tiêu số \"{other}\" không có",
                    i.id
                ),
            });
        }
    }
    match (period, errors.is_empty()) {
        (Some(period), true) => Ok(ReportKind {
            code: file.report.code,
            name: file.report.name,
            period,
            deadline_working_days: file.report.deadline_working_days,
            obliged_kinds: file.report.obliged_kinds,
            obliged_groups: file.report.obliged_groups,
            recipient: file.report.recipient,
            sections: file
                .sections
                .into_iter()
                .map(|s| Section {
                    id: s.id.into_inner(),
                    title: s.title,
                    guidance: s.guidance,
                })
                .collect(),
            indicators,
        }),
        _ => Err(errors),
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The kind as a file in the documented format: what the editor saves and the export gives.
pub fn to_toml(kind: &ReportKind) -> String {
    let file = FileKind {
        report: FileHead {
            code: kind.code.clone(),
            name: kind.name.clone(),
            period: kind.period.code().to_owned(),
            deadline_working_days: kind.deadline_working_days,
            obliged_kinds: kind.obliged_kinds.clone(),
            obliged_groups: kind.obliged_groups.clone(),
            recipient: kind.recipient.clone(),
        },
        sections: kind
            .sections
            .iter()
            .map(|s| FileSection {
                id: Spanned::new(0..0, s.id.clone()),
                title: s.title.clone(),
                guidance: s.guidance.clone(),
            })
            .collect(),
        indicators: kind
            .indicators
            .iter()
            .map(|i| FileIndicator {
                id: Spanned::new(0..0, i.id.clone()),
                name: i.name.clone(),
                unit: i.unit.clone(),
                value_type: i.value_type.code().to_owned(),
                required: i.required,
                min: i.min,
                max: i.max,
                not_more_than: i.not_more_than.clone(),
                warn_below: i.warn_below,
                warn_above: i.warn_above,
                prefill: i.prefill.clone(),
                aggregate: Some(i.aggregate.code().to_owned()),
                weight: i.weight.clone(),
            })
            .collect(),
    };
    toml::to_string(&file).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_exported_imported_and_exported_again_is_the_same_kind() {
        for source in [
            include_str!("../../../../reports/bao-cao-dan-van-6-thang.toml"),
            include_str!("../../../../reports/bao-cao-dan-van-nam.toml"),
        ] {
            let first = parse(source).unwrap();
            let exported = to_toml(&first);
            let again = parse(&exported).unwrap_or_else(|e| panic!("{e:?}\n{exported}"));
            assert_eq!(again, first);
            assert_eq!(to_toml(&again), exported);
        }
    }

    #[test]
    fn the_readers_messages_are_vietnamese_with_their_line() {
        let errors =
            parse("[report]\ncode = \"X\"\nname = \"Y\"\nperiod = \"year\"\ndeadline_working_days = \"năm\"\n")
                .unwrap_err();
        assert_eq!(errors[0].line, 5, "{errors:?}");
        assert!(
            errors[0].message.contains("cần một số nguyên không âm") || errors[0].message.contains("cần một số"),
            "{errors:?}"
        );
        let missing = parse("# trống\n").unwrap_err();
        assert!(
            missing[0].message.contains("thiếu khóa bắt buộc \"report\""),
            "{missing:?}"
        );
    }
}
