//! The rubric file: TOML as officials' engineers write it (`rubrics/README.md`), read and checked
//! into a [`Rubric`], and written back ([`to_toml`]) so that a file exported, imported and
//! exported again is the same rubric.
//!
//! Checking is linear in the file's size: lines are found from a table of line starts, ids and
//! codes from hash sets. Every message is Vietnamese and names its line; the TOML reader's own
//! (English) messages are translated.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{Band, Criterion, Mode, Points, Quota, Rubric, ScoredBy, Section, SectionItem, TieBreak, Veto};
use crate::UnitKind;
use crate::toml_text::{Lines, translate};

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

/// A rubric that passed the check, with what is allowed but probably a slip (children whose
/// maximums do not add up to their parent's).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub rubric: Rubric,
    pub warnings: Vec<RubricError>,
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

// The file as written.

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileRubric {
    pub(super) rubric: FileHead,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) criteria: Vec<FileCriterion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) bonus: Option<FileSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) penalty: Option<FileSection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) vetoes: Vec<FileVeto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) bands: Vec<FileBand>,
    /// One quota, the older way of writing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) quota: Option<FileQuota>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) quotas: Vec<FileQuota>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileHead {
    pub(super) code: String,
    pub(super) title: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) sample: bool,
    /// Left out or empty: a draft.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) decision: String,
    pub(super) valid_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) valid_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rescale_to: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) tie_break: Vec<String>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileCriterion {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) guidance: String,
    pub(super) max: f64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) max_for: BTreeMap<String, f64>,
    #[serde(default = "manual", skip_serializing_if = "is_manual")]
    pub(super) mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) per: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) floor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rule: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) params: BTreeMap<String, toml::Value>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) evidence: bool,
    #[serde(default = "agency", skip_serializing_if = "is_agency")]
    pub(super) scored_by: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) applies_to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) children: Vec<FileCriterion>,
}

fn manual() -> String {
    "manual".into()
}

fn agency() -> String {
    "agency".into()
}

fn is_manual(mode: &str) -> bool {
    mode == "manual"
}

fn is_agency(who: &str) -> bool {
    who == "agency"
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSection {
    pub(super) cap: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) items: Vec<FileItem>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileItem {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    pub(super) max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) per: Option<f64>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileVeto {
    pub(super) id: Spanned<String>,
    pub(super) title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) cap_band: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) not_classified: bool,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileBand {
    pub(super) code: Spanned<String>,
    pub(super) title: String,
    pub(super) min: f64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) min_for: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) min_share: Option<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(super) min_shares: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) color: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileQuota {
    pub(super) band: Spanned<String>,
    pub(super) percent: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) of_band: Option<String>,
}

/// The Vietnamese for a file's bytes that are not text.
pub const NOT_UTF8: &str = "Tệp không phải văn bản UTF-8 (hãy lưu tệp TOML với mã hóa UTF-8).";

/// Reads a rubric stored by danvan (already checked when it was saved): kinds and groups are
/// taken as they are. For a file from a user, use [`check`].
pub fn parse(text: &str) -> Result<Rubric, Vec<RubricError>> {
    check_with(text, None, false).map(|checked| checked.rubric)
}

/// Reads and checks a rubric from a user: every problem with its line, warnings beside a sound
/// rubric. `groups` are the group codes a rubric may name beside the kinds of agency; `None`
/// when they are not known (a check without a database): a name that is not a kind is then a
/// warning rather than an error.
pub fn check(text: &str, groups: Option<&[&str]>) -> Result<Checked, Vec<RubricError>> {
    check_with(text, groups, groups.is_none())
}

struct Checker<'a> {
    lines: Lines<'a>,
    /// `None`: any name that is not a kind is taken for a group.
    groups: Option<HashSet<&'a str>>,
    /// Names that are not kinds, with groups unknown, are warned about.
    warn_unknown: bool,
    errors: Vec<RubricError>,
    warnings: Vec<RubricError>,
}

impl Checker<'_> {
    fn error(&mut self, line: usize, message: String) {
        self.errors.push(RubricError { line, message });
    }

    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(RubricError { line, message });
    }

    /// Checks the kinds or groups a criterion or band names.
    fn names<'n>(&mut self, line: usize, what: &str, names: impl Iterator<Item = &'n String>) {
        for name in names {
            if UnitKind::from_code(name).is_some() {
                continue;
            }
            match &self.groups {
                None if self.warn_unknown => self.warnings.push(RubricError {
                    line,
                    message: format!(
                        "{what}: \"{name}\" không phải loại cơ quan nào; chỉ dùng được nếu là mã một nhóm đơn vị"
                    ),
                }),
                Some(groups) if !groups.contains(name.as_str()) => {
                    let mut known: Vec<&str> = UnitKind::ALL.iter().map(|k| k.code()).collect();
                    known.extend(groups.iter().copied());
                    self.errors.push(RubricError {
                        line,
                        message: format!(
                            "{what}: \"{name}\" không phải loại cơ quan hay mã nhóm nào; các giá trị được nhận: {}",
                            known.join(", ")
                        ),
                    });
                }
                _ => {}
            }
        }
    }
}

fn check_with(text: &str, groups: Option<&[&str]>, warn_unknown: bool) -> Result<Checked, Vec<RubricError>> {
    let lines = Lines::new(text);
    let file: FileRubric = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| lines.at(s.start));
        vec![RubricError {
            line,
            message: translate(e.message()),
        }]
    })?;
    let mut ck = Checker {
        lines,
        groups: groups.map(|g| g.iter().copied().collect()),
        warn_unknown,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let valid_from = crate::date::parse(&file.rubric.valid_from);
    if valid_from.is_none() {
        let line = ck.lines.of("valid_from");
        ck.error(line, "valid_from không phải ngày hợp lệ (yyyy-mm-dd)".into());
    }
    let valid_to = match &file.rubric.valid_to {
        Some(text) => {
            let parsed = crate::date::parse(text);
            if parsed.is_none() {
                let line = ck.lines.of("valid_to");
                ck.error(line, "valid_to không phải ngày hợp lệ (yyyy-mm-dd)".into());
            }
            parsed
        }
        None => None,
    };
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to < from
    {
        let line = ck.lines.of("valid_to");
        ck.error(line, "valid_to trước valid_from".into());
    }
    let rescale_to = file.rubric.rescale_to.map(Points::from_f64);
    if rescale_to.is_some_and(|r| r <= Points::ZERO) {
        let line = ck.lines.of("rescale_to");
        ck.error(line, "rescale_to phải lớn hơn 0".into());
    }
    if file.rubric.code.trim().is_empty() || file.rubric.title.trim().is_empty() {
        let line = ck.lines.of("[rubric]");
        ck.error(line, "bộ tiêu chí cần mã (code) và tên (title)".into());
    }
    if file.criteria.is_empty() {
        let line = ck.lines.of("[rubric]");
        ck.error(line, "bộ tiêu chí chưa có tiêu chí nào ([[criteria]])".into());
    }
    let mut ids = HashSet::new();
    let criteria: Vec<Criterion> = file.criteria.iter().map(|c| criterion(c, &mut ck, &mut ids)).collect();
    let criterion_ids = ids.clone();
    let bands = bands(&file.bands, &mut ck, &ids);
    let band_codes: HashMap<&str, usize> = bands.iter().enumerate().map(|(i, b)| (b.code.as_str(), i)).collect();
    let bonus = section("bonus", file.bonus.as_ref(), &mut ck, &mut ids);
    let penalty = section("penalty", file.penalty.as_ref(), &mut ck, &mut ids);
    let mut vetoes = Vec::new();
    for v in &file.vetoes {
        let line = ck.lines.at(v.id.span().start);
        let id = v.id.get_ref();
        if id.trim().is_empty() {
            ck.error(line, "một điều kiện chưa có mã (id)".into());
        }
        if !ids.insert(id.clone()) {
            ck.error(
                line,
                format!("điều kiện \"{id}\": mã bị trùng với một mã khác trong tệp"),
            );
        }
        let cap_band = v.cap_band.as_ref().map(|c| c.get_ref().clone()).unwrap_or_default();
        match (v.not_classified, &v.cap_band) {
            (true, Some(_)) => ck.error(
                line,
                format!("điều kiện \"{id}\": chọn một trong hai, cap_band hoặc not_classified = true"),
            ),
            (false, None) => ck.error(
                line,
                format!("điều kiện \"{id}\": cần cap_band (mức cao nhất được xếp) hoặc not_classified = true"),
            ),
            (false, Some(band)) if !band_codes.contains_key(cap_band.as_str()) => {
                let line = ck.lines.at(band.span().start);
                ck.error(
                    line,
                    format!("điều kiện \"{id}\": mức \"{cap_band}\" không có trong [[bands]]"),
                )
            }
            _ => {}
        }
        vetoes.push(Veto {
            id: id.clone(),
            title: v.title.clone(),
            cap_band,
            not_classified: v.not_classified,
        });
    }
    let quotas = quotas(&file, &mut ck, &band_codes);
    let mut tie_break = Vec::new();
    for t in &file.rubric.tie_break {
        match TieBreak::from_code(t) {
            Some(TieBreak::LessPenalty) => tie_break.push(TieBreak::LessPenalty),
            Some(TieBreak::Criterion(id)) if criterion_ids.contains(&id) => tie_break.push(TieBreak::Criterion(id)),
            _ => {
                let line = ck.lines.of("tie_break");
                ck.error(
                    line,
                    format!("tie_break \"{t}\": chỉ nhận \"less_penalty\" hoặc \"criterion:<mã tiêu chí>\""),
                )
            }
        }
    }
    match (ck.errors.is_empty(), valid_from) {
        (true, Some(valid_from)) => Ok(Checked {
            rubric: Rubric {
                code: file.rubric.code,
                title: file.rubric.title,
                sample: file.rubric.sample,
                decision: file.rubric.decision.trim().to_owned(),
                valid_from,
                valid_to,
                rescale_to,
                criteria,
                bonus,
                penalty,
                vetoes,
                bands,
                quotas,
                tie_break,
            },
            warnings: ck.warnings,
        }),
        _ => Err(ck.errors),
    }
}

fn criterion(c: &FileCriterion, ck: &mut Checker<'_>, ids: &mut HashSet<String>) -> Criterion {
    let line = ck.lines.at(c.id.span().start);
    let id = c.id.get_ref();
    let mut errors = Vec::new();
    if id.trim().is_empty() {
        errors.push("chưa có mã tiêu chí (id)".to_owned());
    }
    if !ids.insert(id.clone()) {
        errors.push("mã tiêu chí bị trùng".to_owned());
    }
    if c.max <= 0.0 {
        errors.push("điểm tối đa phải lớn hơn 0".into());
    }
    if c.max_for.values().any(|m| *m < 0.0) {
        errors.push("max_for: điểm tối đa không được âm".into());
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
                errors.push("cách chấm \"deduction\" cần per > 0 (điểm trừ mỗi lần)".into());
                Mode::Manual
            }
        },
        "computed" => match &c.rule {
            Some(rule) if COMPUTED_RULES.iter().any(|(r, _)| r == rule) => Mode::Computed {
                rule: rule.clone(),
                params: c.params.iter().map(|(k, v)| (k.clone(), v.to_string())).collect(),
            },
            Some(rule) => {
                errors.push(format!(
                    "quy tắc tính \"{rule}\" không có; các quy tắc: {}",
                    COMPUTED_RULES.iter().map(|(r, _)| *r).collect::<Vec<_>>().join(", ")
                ));
                Mode::Manual
            }
            None => {
                errors.push("cách chấm \"computed\" cần rule".into());
                Mode::Manual
            }
        },
        other => {
            errors.push(format!(
                "cách chấm \"{other}\" không có (manual, yes_no, deduction, computed)"
            ));
            Mode::Manual
        }
    };
    let scored_by = match c.scored_by.as_str() {
        "agency" => ScoredBy::Agency,
        "higher" => ScoredBy::Higher,
        other => {
            errors.push(format!("scored_by \"{other}\" không có (agency, higher)"));
            ScoredBy::Agency
        }
    };
    if !c.children.is_empty() && !matches!(mode, Mode::Manual) {
        errors.push("tiêu chí có tiêu chí thành phần được tính bằng tổng các thành phần; bỏ mode".into());
    }
    for message in errors {
        ck.error(line, format!("tiêu chí {id}: {message}"));
    }
    ck.names(line, &format!("tiêu chí {id}: applies_to"), c.applies_to.iter());
    ck.names(line, &format!("tiêu chí {id}: max_for"), c.max_for.keys());
    let children: Vec<Criterion> = c.children.iter().map(|child| criterion(child, ck, ids)).collect();
    let criterion = Criterion {
        id: id.clone(),
        title: c.title.clone(),
        guidance: c.guidance.clone(),
        max: Points::from_f64(c.max),
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
    };
    sum_warnings(&criterion, line, ck);
    criterion
}

/// Warns when a parent's children add up to more or less than its maximum: in general when no
/// kind or group is named, otherwise for every kind of agency and each group named.
fn sum_warnings(c: &Criterion, line: usize, ck: &mut Checker<'_>) {
    if c.children.is_empty() {
        return;
    }
    let mut kinds: Vec<&str> = c.max_for.keys().map(String::as_str).collect();
    for child in &c.children {
        kinds.extend(child.applies_to.iter().map(String::as_str));
        kinds.extend(child.max_for.keys().map(String::as_str));
    }
    let mut cases: Vec<(Option<&str>, Points, Points)> = Vec::new();
    if kinds.is_empty() {
        // The same for every agency: one comparison.
        cases.push((None, c.max, c.children.iter().map(|ch| ch.max).sum()));
    } else {
        // Some kinds differ: every kind of agency is compared, and the groups named.
        kinds.extend(UnitKind::ALL.iter().map(|k| k.code()));
    }
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let k = [kind];
        if !c.applies(&k) {
            continue;
        }
        let sum = c
            .children
            .iter()
            .filter(|ch| ch.applies(&k))
            .map(|ch| ch.max_for(&k))
            .sum();
        cases.push((Some(kind), c.max_for(&k), sum));
    }
    for (kind, max, sum) in cases {
        if sum == max {
            continue;
        }
        let whom = kind.map_or_else(String::new, |k| format!(" (với {k})"));
        let effect = if sum < max {
            format!("tiêu chí này chỉ đạt được {sum} điểm")
        } else {
            format!("điểm của tiêu chí này bị giới hạn ở {max}")
        };
        ck.warn(
            line,
            format!(
                "tiêu chí {}{whom}: các tiêu chí thành phần cộng lại {sum} điểm, khác điểm tối đa {max}; {effect}",
                c.id
            ),
        );
    }
}

fn section(name: &str, s: Option<&FileSection>, ck: &mut Checker<'_>, ids: &mut HashSet<String>) -> Section {
    let Some(s) = s else { return Section::default() };
    if s.cap < 0.0 {
        let line = ck.lines.of(&format!("[{name}]"));
        ck.error(line, format!("[{name}]: cap không được âm"));
    }
    let mut items = Vec::new();
    for item in &s.items {
        let line = ck.lines.at(item.id.span().start);
        let id = item.id.get_ref();
        if id.trim().is_empty() {
            ck.error(line, format!("[{name}]: một mục chưa có mã (id)"));
        }
        if !ids.insert(id.clone()) {
            ck.error(
                line,
                format!("[{name}] mục {id}: mã bị trùng với một mã khác trong tệp"),
            );
        }
        if item.max <= 0.0 {
            ck.error(line, format!("[{name}] mục {id}: điểm tối đa phải lớn hơn 0"));
        }
        if item.per.is_some_and(|p| p <= 0.0) {
            ck.error(line, format!("[{name}] mục {id}: per (điểm mỗi lần) phải lớn hơn 0"));
        }
        items.push(SectionItem {
            id: id.clone(),
            title: item.title.clone(),
            max: Points::from_f64(item.max),
            per: item.per.map(Points::from_f64),
        });
    }
    Section {
        cap: Points::from_f64(s.cap),
        items,
    }
}

fn bands(file: &[FileBand], ck: &mut Checker<'_>, criteria: &HashSet<String>) -> Vec<Band> {
    let mut codes = HashSet::new();
    let mut bands: Vec<(usize, Band)> = Vec::new();
    for b in file {
        let line = ck.lines.at(b.code.span().start);
        let code = b.code.get_ref();
        if code.trim().is_empty() {
            ck.error(line, "một mức xếp loại chưa có mã (code)".into());
        }
        if code == super::NOT_CLASSIFIED {
            ck.error(
                line,
                format!("mã \"{code}\" dành cho kết quả không đủ điều kiện xếp loại"),
            );
        }
        if !codes.insert(code.clone()) {
            ck.error(line, format!("mức xếp loại \"{code}\" bị trùng"));
        }
        let is_hex =
            b.color.len() == 7 && b.color.starts_with('#') && b.color[1..].bytes().all(|c| c.is_ascii_hexdigit());
        if !b.color.is_empty() && !is_hex {
            ck.error(line, format!("mức \"{code}\": color phải có dạng #rrggbb"));
        }
        if b.min < 0.0 || b.min_for.values().any(|m| *m < 0.0) {
            ck.error(line, format!("mức \"{code}\": ngưỡng điểm không được âm"));
        }
        for (id, share) in b
            .min_share
            .iter()
            .map(|s| (None, s))
            .chain(b.min_shares.iter().map(|(id, s)| (Some(id), s)))
        {
            if !(1..=100).contains(share) {
                ck.error(line, format!("mức \"{code}\": tỷ lệ tối thiểu phải từ 1 đến 100 (%)"));
            }
            if let Some(id) = id
                && !criteria.contains(id)
            {
                ck.error(
                    line,
                    format!("mức \"{code}\": min_shares nêu tiêu chí \"{id}\" không có trong tệp"),
                );
            }
        }
        ck.names(line, &format!("mức \"{code}\": min_for"), b.min_for.keys());
        bands.push((
            line,
            Band {
                code: code.clone(),
                title: b.title.clone(),
                min: Points::from_f64(b.min),
                min_for: b
                    .min_for
                    .iter()
                    .map(|(k, v)| (k.clone(), Points::from_f64(*v)))
                    .collect(),
                min_share: b.min_share,
                min_shares: b.min_shares.clone(),
                color: b.color.clone(),
            },
        ));
    }
    if bands.is_empty() {
        ck.error(0, "chưa có mức xếp loại nào ([[bands]])".into());
        return Vec::new();
    }
    bands.sort_by_key(|(_, b)| std::cmp::Reverse(b.min));
    if let Some((line, lowest)) = bands.last() {
        if lowest.min != Points::ZERO || lowest.min_for.values().any(|m| *m != Points::ZERO) {
            ck.error(
                *line,
                format!(
                    "mức thấp nhất \"{}\" phải có ngưỡng 0 (cả trong min_for) để mọi cơ quan đều được xếp loại",
                    lowest.code
                ),
            );
        }
        if lowest.min_share.is_some() || !lowest.min_shares.is_empty() {
            ck.error(
                *line,
                format!("mức thấp nhất \"{}\" không được đặt tỷ lệ tối thiểu", lowest.code),
            );
        }
    }
    for pair in bands.windows(2) {
        if pair[0].1.min == pair[1].1.min {
            ck.error(
                pair[1].0,
                format!(
                    "hai mức \"{}\" và \"{}\" có cùng ngưỡng {}",
                    pair[0].1.code, pair[1].1.code, pair[1].1.min
                ),
            );
        }
    }
    // Thresholds per kind keep the order of the bands.
    let kinds: HashSet<&String> = bands.iter().flat_map(|(_, b)| b.min_for.keys()).collect();
    for kind in kinds {
        let k = [kind.as_str()];
        for pair in bands.windows(2) {
            if pair[0].1.min_for(&k) <= pair[1].1.min_for(&k) {
                ck.error(
                    pair[0].0,
                    format!(
                        "mức \"{}\" (với {kind}) phải có ngưỡng cao hơn mức \"{}\"",
                        pair[0].1.code, pair[1].1.code
                    ),
                );
            }
        }
    }
    bands.into_iter().map(|(_, b)| b).collect()
}

fn quotas(file: &FileRubric, ck: &mut Checker<'_>, bands: &HashMap<&str, usize>) -> Vec<Quota> {
    let mut quotas = Vec::new();
    let written: Vec<(&FileQuota, String)> = file
        .quota
        .iter()
        .map(|q| (q, "[quota]".to_owned()))
        .chain(file.quotas.iter().map(|q| (q, "[[quotas]]".to_owned())))
        .collect();
    let mut seen = HashSet::new();
    for (q, heading) in written {
        // The quota's own line, from where its band is written.
        let line = ck.lines.at(q.band.span().start);
        let band = q.band.get_ref();
        let Some(&index) = bands.get(band.as_str()) else {
            ck.error(line, format!("{heading}: mức \"{band}\" không có trong [[bands]]"));
            continue;
        };
        if index + 1 >= bands.len() {
            ck.error(
                line,
                format!("{heading}: mức \"{}\" là mức thấp nhất, không thể giới hạn", band),
            );
        }
        if !seen.insert(band.clone()) {
            ck.error(line, format!("{heading}: mức \"{}\" có hai giới hạn tỷ lệ", band));
        }
        if !(1..=100).contains(&q.percent) {
            ck.error(line, format!("{heading}: percent phải từ 1 đến 100"));
        }
        if let Some(of) = &q.of_band {
            match bands.get(of.as_str()) {
                None => ck.error(line, format!("{heading}: of_band \"{of}\" không có trong [[bands]]")),
                Some(&of_index) if of_index < index => ck.error(
                    line,
                    format!("{heading}: of_band \"{of}\" phải là mức \"{}\" hoặc thấp hơn", band),
                ),
                _ => {}
            }
        }
        quotas.push((
            index,
            Quota {
                band: band.clone(),
                percent: q.percent,
                of_band: q.of_band.clone(),
            },
        ));
    }
    quotas.sort_by_key(|(index, _)| *index);
    quotas.into_iter().map(|(_, q)| q).collect()
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
