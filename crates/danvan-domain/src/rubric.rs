//! Evaluation rubrics as data: a TOML file read and checked into a [`Rubric`].
//!
//! Every province has its own regulation (the 729/QĐ-UBND family, see domain.md), replaced every
//! few years, so the criteria, points, bonus and penalty, disqualifying conditions, bands, quota
//! and tie-break are a file, never code. The format is documented in `rubrics/README.md`; the
//! checker reports every problem with its line.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use time::Date;
use toml::Spanned;

/// Points in hundredths, so that 0.25 or 2.5 points add up exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    pub fn from_f64(value: f64) -> Points {
        Points((value * 100.0).round() as i64)
    }

    /// Reads points as officials type them: "8", "8,5", "8.25" (at most two decimals).
    pub fn parse_vn(text: &str) -> Option<Points> {
        let text = text.trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty() || whole.len() > 6 || fraction.len() > 2 {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let cents = format!("{fraction:0<2}");
        Some(Points(whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?))
    }

    pub fn clamp(self, low: Points, high: Points) -> Points {
        Points(self.0.max(low.0).min(high.0.max(low.0)))
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, other: Points) -> Points {
        Points(self.0 + other.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, other: Points) -> Points {
        Points(self.0 - other.0)
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).sum())
    }
}

impl std::fmt::Display for Points {
    /// Vietnamese writing: a decimal comma, no needless zeros ("92,5", "90").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let whole = self.0 / 100;
        let cents = (self.0 % 100).abs();
        let sign = if self.0 < 0 && whole == 0 { "-" } else { "" };
        match cents {
            0 => write!(f, "{sign}{whole}"),
            c if c % 10 == 0 => write!(f, "{sign}{whole},{}", c / 10),
            c => write!(f, "{sign}{whole},{c:02}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// Any score from 0 to the maximum.
    Manual,
    /// The maximum or nothing.
    YesNo,
    /// The maximum less `per` for each occurrence, never below `floor`.
    Deduction { per: Points, floor: Points },
    /// Taken from data the system holds, by a named rule with parameters.
    Computed {
        rule: String,
        params: BTreeMap<String, String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoredBy {
    /// The agency scores itself; the appraisers may change it.
    Agency,
    /// Only the higher level scores it.
    Higher,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub guidance: String,
    pub max: Points,
    /// A different maximum for some kinds or groups of agency ("service_unit" → 85).
    pub max_for: BTreeMap<String, Points>,
    pub mode: Mode,
    pub evidence_required: bool,
    pub scored_by: ScoredBy,
    /// Kinds or groups of agency it applies to; empty: all.
    pub applies_to: Vec<String>,
    pub children: Vec<Criterion>,
}

impl Criterion {
    /// Whether it applies to an agency of this kind or group.
    pub fn applies(&self, kind_or_group: &[&str]) -> bool {
        self.applies_to.is_empty() || self.applies_to.iter().any(|a| kind_or_group.contains(&a.as_str()))
    }

    /// Whether the agency enters it itself: scored by the agency and not computed by the system.
    pub fn self_scored(&self) -> bool {
        self.scored_by == ScoredBy::Agency && !matches!(self.mode, Mode::Computed { .. })
    }

    /// Its maximum for an agency of this kind or group.
    pub fn max_for(&self, kind_or_group: &[&str]) -> Points {
        kind_or_group
            .iter()
            .find_map(|k| self.max_for.get(*k).copied())
            .unwrap_or(self.max)
    }
}

/// A bonus or penalty section: items, each with a maximum, and a cap on the section.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub cap: Points,
    pub items: Vec<(String, String, Points)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Veto {
    pub id: String,
    pub title: String,
    /// The highest band an agency with this condition can have.
    pub cap_band: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub code: String,
    pub title: String,
    pub min: Points,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub band: String,
    /// At most this share of the group, in percent.
    pub percent: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TieBreak {
    /// The smaller penalty first.
    LessPenalty,
    /// The higher score on this criterion first.
    Criterion(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub code: String,
    pub title: String,
    pub sample: bool,
    /// The decision that issued it, as numbered ("729/QĐ-UBND").
    pub decision: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub criteria: Vec<Criterion>,
    pub bonus: Section,
    pub penalty: Section,
    pub vetoes: Vec<Veto>,
    /// Highest first.
    pub bands: Vec<Band>,
    pub quota: Option<Quota>,
    pub tie_break: Vec<TieBreak>,
}

impl Rubric {
    /// The most the main criteria give an agency of this kind or group.
    pub fn max_for(&self, kind_or_group: &[&str]) -> Points {
        self.criteria
            .iter()
            .filter(|c| c.applies(kind_or_group))
            .map(|c| c.max_for(kind_or_group))
            .sum()
    }

    /// Every criterion, depth first.
    pub fn all_criteria(&self) -> Vec<&Criterion> {
        fn walk<'a>(list: &'a [Criterion], out: &mut Vec<&'a Criterion>) {
            for c in list {
                out.push(c);
                walk(&c.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.criteria, &mut out);
        out
    }
}

/// A problem in a rubric file, with the line it is on (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RubricError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}: {}", self.line, self.message)
    }
}

// The file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRubric {
    rubric: FileHead,
    #[serde(default)]
    criteria: Vec<FileCriterion>,
    #[serde(default)]
    bonus: Option<FileSection>,
    #[serde(default)]
    penalty: Option<FileSection>,
    #[serde(default)]
    vetoes: Vec<FileVeto>,
    #[serde(default)]
    bands: Vec<FileBand>,
    #[serde(default)]
    quota: Option<FileQuota>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHead {
    code: String,
    title: String,
    #[serde(default)]
    sample: bool,
    decision: String,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
    #[serde(default)]
    tie_break: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCriterion {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    guidance: String,
    max: f64,
    #[serde(default)]
    max_for: BTreeMap<String, f64>,
    #[serde(default = "manual")]
    mode: String,
    #[serde(default)]
    per: Option<f64>,
    #[serde(default)]
    floor: Option<f64>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
    #[serde(default)]
    evidence: bool,
    #[serde(default = "agency")]
    scored_by: String,
    #[serde(default)]
    applies_to: Vec<String>,
    #[serde(default)]
    children: Vec<FileCriterion>,
}

fn manual() -> String {
    "manual".into()
}

fn agency() -> String {
    "agency".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSection {
    cap: f64,
    #[serde(default)]
    items: Vec<FileItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileItem {
    id: String,
    title: String,
    max: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileVeto {
    id: String,
    title: String,
    cap_band: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileBand {
    code: Spanned<String>,
    title: String,
    min: f64,
    #[serde(default)]
    color: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileQuota {
    band: String,
    percent: u32,
}

/// The rules a computed criterion may name, with what each needs.
pub const COMPUTED_RULES: &[(&str, &str)] = &[
    (
        "tasks_on_time",
        "Tỷ lệ nhiệm vụ được giao trong năm hoàn thành đúng hạn",
    ),
    ("leader_assigned", "Đã phân công lãnh đạo phụ trách công tác dân vận"),
    ("training_courses", "Số lớp tập huấn, bồi dưỡng đã tổ chức"),
    (
        "initiatives_recognised",
        "Số mô hình, điển hình \"Dân vận khéo\" được công nhận",
    ),
    ("reports_on_time", "Tỷ lệ báo cáo định kỳ nộp đúng hạn"),
];

/// The line a span of the file starts on.
fn line_at(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// The line of the first occurrence of `needle` in `text`, 0 when absent.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map(|at| text[..at].matches('\n').count() + 1)
        .unwrap_or(0)
}

/// Reads and checks a rubric; every problem is reported, each with its line.
pub fn parse(text: &str) -> Result<Rubric, Vec<RubricError>> {
    let file: FileRubric = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(0);
        vec![RubricError {
            line,
            message: format!("không đọc được tệp: {}", e.message()),
        }]
    })?;
    let mut errors = Vec::new();
    let mut error = |needle: &str, message: String| {
        errors.push(RubricError {
            line: line_of(text, needle),
            message,
        })
    };
    let valid_from = crate::date::parse(&file.rubric.valid_from);
    if valid_from.is_none() {
        error("valid_from", "valid_from không phải ngày hợp lệ (yyyy-mm-dd)".into());
    }
    let valid_to = match &file.rubric.valid_to {
        Some(text) => {
            let parsed = crate::date::parse(text);
            if parsed.is_none() {
                error("valid_to", "valid_to không phải ngày hợp lệ (yyyy-mm-dd)".into());
            }
            parsed
        }
        None => None,
    };
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to < from
    {
        error("valid_to", "valid_to trước valid_from".into());
    }
    if file.criteria.is_empty() {
        error("[rubric]", "bộ tiêu chí chưa có tiêu chí nào ([[criteria]])".into());
    }
    let mut ids = HashSet::new();
    let mut criteria = Vec::new();
    for c in &file.criteria {
        criteria.push(criterion(c, text, &mut ids, &mut errors));
    }
    let mut band_codes = HashSet::new();
    let mut bands: Vec<Band> = Vec::new();
    for b in &file.bands {
        let code = b.code.get_ref();
        if !band_codes.insert(code.clone()) {
            errors.push(RubricError {
                line: line_at(text, b.code.span().start),
                message: format!("mức xếp loại \"{code}\" bị trùng"),
            });
        }
        let is_hex =
            b.color.len() == 7 && b.color.starts_with('#') && b.color[1..].bytes().all(|c| c.is_ascii_hexdigit());
        if !b.color.is_empty() && !is_hex {
            errors.push(RubricError {
                line: line_at(text, b.code.span().start),
                message: format!("mức \"{code}\": color phải có dạng #rrggbb"),
            });
        }
        bands.push(Band {
            code: code.clone(),
            title: b.title.clone(),
            min: Points::from_f64(b.min),
            color: b.color.clone(),
        });
    }
    if bands.is_empty() {
        errors.push(RubricError {
            line: 0,
            message: "chưa có mức xếp loại nào ([[bands]])".into(),
        });
    }
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    if let Some(lowest) = bands.last()
        && lowest.min != Points::ZERO
    {
        errors.push(RubricError {
            line: line_of(text, &format!("code = \"{}\"", lowest.code)),
            message: format!(
                "mức thấp nhất \"{}\" phải có min = 0 để mọi cơ quan đều được xếp loại",
                lowest.code
            ),
        });
    }
    for pair in bands.windows(2) {
        if pair[0].min == pair[1].min {
            errors.push(RubricError {
                line: line_of(text, &format!("code = \"{}\"", pair[1].code)),
                message: format!(
                    "hai mức \"{}\" và \"{}\" có cùng ngưỡng {}",
                    pair[0].code, pair[1].code, pair[1].min
                ),
            });
        }
    }
    for (name, section) in [("bonus", &file.bonus), ("penalty", &file.penalty)] {
        let Some(section) = section else { continue };
        if section.cap < 0.0 {
            errors.push(RubricError {
                line: line_of(text, &format!("[{name}]")),
                message: format!("[{name}]: cap không được âm"),
            });
        }
        for item in &section.items {
            if item.max <= 0.0 {
                errors.push(RubricError {
                    line: line_of(text, &format!("id = \"{}\"", item.id)),
                    message: format!("[{name}] mục {}: điểm tối đa phải lớn hơn 0", item.id),
                });
            }
        }
    }
    let vetoes: Vec<Veto> = file
        .vetoes
        .iter()
        .map(|v| {
            let cap_band = v.cap_band.get_ref();
            if !band_codes.contains(cap_band) {
                errors.push(RubricError {
                    line: line_at(text, v.cap_band.span().start),
                    message: format!("điều kiện \"{}\": mức \"{cap_band}\" không có trong [[bands]]", v.id),
                });
            }
            Veto {
                id: v.id.clone(),
                title: v.title.clone(),
                cap_band: cap_band.clone(),
            }
        })
        .collect();
    let quota = file.quota.as_ref().map(|q| {
        if !band_codes.contains(&q.band) {
            errors.push(RubricError {
                line: line_of(text, "[quota]"),
                message: format!("quota: mức \"{}\" không có trong [[bands]]", q.band),
            });
        }
        if !(1..=100).contains(&q.percent) {
            errors.push(RubricError {
                line: line_of(text, "percent"),
                message: "quota: percent phải từ 1 đến 100".into(),
            });
        }
        Quota {
            band: q.band.clone(),
            percent: q.percent,
        }
    });
    let mut tie_break = Vec::new();
    for t in &file.rubric.tie_break {
        match t.as_str() {
            "less_penalty" => tie_break.push(TieBreak::LessPenalty),
            other => match other.strip_prefix("criterion:") {
                Some(id) if ids.contains(id) => tie_break.push(TieBreak::Criterion(id.to_owned())),
                _ => errors.push(RubricError {
                    line: line_of(text, "tie_break"),
                    message: format!(
                        "tie_break \"{other}\": chỉ nhận \"less_penalty\" hoặc \"criterion:<mã tiêu chí>\""
                    ),
                }),
            },
        }
    }
    let section = |s: &Option<FileSection>| {
        s.as_ref()
            .map(|s| Section {
                cap: Points::from_f64(s.cap),
                items: s
                    .items
                    .iter()
                    .map(|i| (i.id.clone(), i.title.clone(), Points::from_f64(i.max)))
                    .collect(),
            })
            .unwrap_or_default()
    };
    match (errors.is_empty(), valid_from) {
        (true, Some(valid_from)) => Ok(Rubric {
            code: file.rubric.code,
            title: file.rubric.title,
            sample: file.rubric.sample,
            decision: file.rubric.decision,
            valid_from,
            valid_to,
            criteria,
            bonus: section(&file.bonus),
            penalty: section(&file.penalty),
            vetoes,
            bands,
            quota,
            tie_break,
        }),
        _ => Err(errors),
    }
}

fn criterion(c: &FileCriterion, text: &str, ids: &mut HashSet<String>, errors: &mut Vec<RubricError>) -> Criterion {
    let line = line_at(text, c.id.span().start);
    let id = c.id.get_ref();
    let mut error = |message: String| {
        errors.push(RubricError {
            line,
            message: format!("tiêu chí {id}: {message}"),
        })
    };
    if !ids.insert(id.clone()) {
        error("mã tiêu chí bị trùng".into());
    }
    if c.max <= 0.0 {
        error("điểm tối đa phải lớn hơn 0".into());
    }
    let mode = match c.mode.as_str() {
        "manual" => Mode::Manual,
        "yes_no" => Mode::YesNo,
        "deduction" => match c.per {
            Some(per) if per > 0.0 => Mode::Deduction {
                per: Points::from_f64(per),
                floor: Points::from_f64(c.floor.unwrap_or(0.0)),
            },
            _ => {
                error("cách chấm \"deduction\" cần per > 0 (điểm trừ mỗi lần)".into());
                Mode::Manual
            }
        },
        "computed" => match &c.rule {
            Some(rule) if COMPUTED_RULES.iter().any(|(r, _)| r == rule) => Mode::Computed {
                rule: rule.clone(),
                params: c.params.iter().map(|(k, v)| (k.clone(), v.to_string())).collect(),
            },
            Some(rule) => {
                error(format!(
                    "quy tắc tính \"{rule}\" không có; các quy tắc: {}",
                    COMPUTED_RULES.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
                ));
                Mode::Manual
            }
            None => {
                error("cách chấm \"computed\" cần rule".into());
                Mode::Manual
            }
        },
        other => {
            error(format!(
                "cách chấm \"{other}\" không có (manual, yes_no, deduction, computed)"
            ));
            Mode::Manual
        }
    };
    let scored_by = match c.scored_by.as_str() {
        "agency" => ScoredBy::Agency,
        "higher" => ScoredBy::Higher,
        other => {
            error(format!("scored_by \"{other}\" không có (agency, higher)"));
            ScoredBy::Agency
        }
    };
    if !c.children.is_empty() && !matches!(mode, Mode::Manual) {
        error("tiêu chí có tiêu chí thành phần được tính bằng tổng các thành phần; bỏ mode".into());
    }
    let children: Vec<Criterion> = c
        .children
        .iter()
        .map(|child| criterion(child, text, ids, errors))
        .collect();
    let max = Points::from_f64(c.max);
    let children_max: Points = children.iter().map(|ch| ch.max).sum();
    if !children.is_empty() && children_max < max {
        errors.push(RubricError {
            line,
            message: format!(
                "tiêu chí {id}: các tiêu chí thành phần chỉ cộng được {children_max} điểm, ít hơn tối đa {max}"
            ),
        });
    }
    Criterion {
        id: id.clone(),
        title: c.title.clone(),
        guidance: c.guidance.clone(),
        max,
        max_for: c
            .max_for
            .iter()
            .map(|(k, v)| (k.clone(), Points::from_f64(*v)))
            .collect(),
        mode,
        evidence_required: c.evidence,
        scored_by,
        applies_to: c.applies_to.clone(),
        children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml");

    #[test]
    fn the_sample_rubric_is_valid_and_totals_100() {
        let rubric = parse(SAMPLE).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(rubric.sample);
        assert_eq!(rubric.max_for(&["department"]), Points(10_000));
        assert_eq!(
            rubric.max_for(&["service_unit"]),
            Points(8_500),
            "service units sit outside the PAR index"
        );
        assert_eq!(
            rubric.bands.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(),
            ["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]
        );
        assert!(
            rubric
                .all_criteria()
                .iter()
                .any(|c| matches!(c.mode, Mode::Computed { .. }))
        );
    }

    #[test]
    fn errors_name_their_line() {
        let bad = "[rubric]\ncode = \"X\"\ntitle = \"x\"\ndecision = \"1/QĐ-UBND\"\nvalid_from = \"2022-13-01\"\n\n[[criteria]]\nid = \"1\"\ntitle = \"a\"\nmax = 10\nmode = \"guess\"\n\n[[criteria]]\nid = \"1\"\ntitle = \"b\"\nmax = 0\n\n[[bands]]\ncode = \"a\"\ntitle = \"A\"\nmin = 50\n\n[[vetoes]]\nid = \"v\"\ntitle = \"v\"\ncap_band = \"zzz\"\n";
        let errors = parse(bad).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(shown.iter().any(|e| e.starts_with("dòng 5: valid_from")), "{shown:?}");
        assert!(
            shown
                .iter()
                .any(|e| e.starts_with("dòng 8: tiêu chí 1: cách chấm \"guess\"")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|e| e.starts_with("dòng 14: tiêu chí 1: mã tiêu chí bị trùng")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|e| e.contains("điểm tối đa phải lớn hơn 0")),
            "{shown:?}"
        );
        assert!(
            shown.iter().any(|e| e.starts_with("dòng 26:") && e.contains("zzz")),
            "{shown:?}"
        );
        let colour = bad.replace("min = 50\n", "min = 0\ncolor = \"red;x\"\n");
        let shown: Vec<String> = parse(&colour).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(
            shown
                .iter()
                .any(|e| e == "dòng 19: mức \"a\": color phải có dạng #rrggbb"),
            "{shown:?}"
        );
        let unreadable = parse("[rubric\ncode = 1").unwrap_err();
        assert_eq!(unreadable[0].line, 1);
    }

    #[test]
    fn points_are_read_as_typed() {
        assert_eq!(Points::parse_vn("8"), Some(Points(800)));
        assert_eq!(Points::parse_vn(" 8,5 "), Some(Points(850)));
        assert_eq!(Points::parse_vn("0.25"), Some(Points(25)));
        for bad in ["", "-1", "8,555", "tám", "1e3", ",5", "8,"] {
            if bad == "8," {
                assert_eq!(Points::parse_vn(bad), Some(Points(800)));
                continue;
            }
            assert_eq!(Points::parse_vn(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn points_are_written_the_vietnamese_way() {
        assert_eq!(Points(9250).to_string(), "92,5");
        assert_eq!(Points(9000).to_string(), "90");
        assert_eq!(Points(25).to_string(), "0,25");
    }
}
