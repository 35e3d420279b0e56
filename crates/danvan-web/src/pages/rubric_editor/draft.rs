//! The editor's model: a rubric as the form's rows hold it (text as typed, so nothing typed is
//! lost), read from a [`Rubric`] and from a posted form, and turned back into a [`Rubric`].

use std::collections::{BTreeMap, HashMap, HashSet};

use danvan_domain::date;
use danvan_domain::rubric::{
    Band, Criterion, Mode, NOT_CLASSIFIED, Points, Quota, Rubric, ScoredBy, Section, SectionItem, TieBreak, Veto,
};
use danvan_domain::scoring::{Answer, Answers};

/// Blank rows offered under each table for new entries.
const BLANK_ROWS: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct HeadRow {
    pub(super) code: String,
    pub(super) title: String,
    pub(super) sample: bool,
    pub(super) decision: String,
    pub(super) valid_from: String,
    pub(super) valid_to: String,
    pub(super) rescale_to: String,
    pub(super) tie_break: String,
    pub(super) bonus_cap: String,
    pub(super) penalty_cap: String,
}

#[derive(Debug, Clone, Default)]
pub struct CriterionRow {
    pub(super) order: String,
    pub(super) id: String,
    pub(super) parent: String,
    pub(super) title: String,
    pub(super) guidance: String,
    pub(super) max: String,
    pub(super) max_for: String,
    pub(super) mode: String,
    pub(super) per: String,
    pub(super) floor: String,
    pub(super) rule: String,
    pub(super) params: String,
    pub(super) evidence: bool,
    pub(super) scored_by: String,
    pub(super) applies_to: String,
    pub(super) remove: bool,
    /// The made-up answer for a trial scoring.
    pub(super) trial: String,
}

#[derive(Debug, Clone, Default)]
pub struct ItemRow {
    pub(super) section: String,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) max: String,
    pub(super) per: String,
    pub(super) remove: bool,
    pub(super) trial: String,
}

#[derive(Debug, Clone, Default)]
pub struct VetoRow {
    pub(super) id: String,
    pub(super) title: String,
    /// A band code, or [`NOT_CLASSIFIED`].
    pub(super) effect: String,
    pub(super) remove: bool,
    pub(super) trial: bool,
}

#[derive(Debug, Clone, Default)]
pub struct BandRow {
    pub(super) code: String,
    pub(super) title: String,
    pub(super) min: String,
    pub(super) min_for: String,
    pub(super) min_share: String,
    pub(super) min_shares: String,
    pub(super) color: String,
    pub(super) remove: bool,
}

#[derive(Debug, Clone, Default)]
pub struct QuotaRow {
    pub(super) band: String,
    pub(super) percent: String,
    pub(super) of_band: String,
    pub(super) remove: bool,
}

/// The rubric as the editor's form holds it: text as typed, so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub(super) head: HeadRow,
    pub(super) criteria: Vec<CriterionRow>,
    pub(super) items: Vec<ItemRow>,
    pub(super) vetoes: Vec<VetoRow>,
    pub(super) bands: Vec<BandRow>,
    pub(super) quotas: Vec<QuotaRow>,
    pub(super) trial_kind: String,
    /// What the form held that could not be read (an order that is not a number).
    pub(super) problems: Vec<String>,
}

fn pairs_text<V: std::fmt::Display>(map: &BTreeMap<String, V>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn iso_or_empty(d: Option<time::Date>) -> String {
    d.map(date::format_vn).unwrap_or_default()
}

/// Every field of a row left empty: one of the offered blank rows, not a row typed into.
fn all_empty(fields: &[&str]) -> bool {
    fields.iter().all(|f| f.is_empty())
}

impl CriterionRow {
    /// One of the offered empty rows, left empty (its order, mode and scorer come prefilled).
    fn is_blank(&self) -> bool {
        !self.evidence
            && all_empty(&[
                &self.id,
                &self.parent,
                &self.title,
                &self.guidance,
                &self.max,
                &self.max_for,
                &self.per,
                &self.floor,
                &self.rule,
                &self.params,
                &self.applies_to,
                &self.trial,
            ])
    }
}

impl Draft {
    pub(super) fn from_rubric(r: &Rubric) -> Draft {
        let mut criteria = Vec::new();
        fn walk(list: &[Criterion], parent: &str, out: &mut Vec<CriterionRow>) {
            for c in list {
                let (per, floor, rule, params) = match &c.mode {
                    Mode::Manual | Mode::YesNo => (String::new(), String::new(), String::new(), String::new()),
                    Mode::Deduction { per, floor } => {
                        (per.to_string(), floor.to_string(), String::new(), String::new())
                    }
                    Mode::Computed { rule, params } => (String::new(), String::new(), rule.clone(), pairs_text(params)),
                };
                out.push(CriterionRow {
                    order: (out.len() + 1).to_string(),
                    id: c.id.clone(),
                    parent: parent.to_owned(),
                    title: c.title.clone(),
                    guidance: c.guidance.clone(),
                    max: c.max.to_string(),
                    max_for: pairs_text(&c.max_for),
                    mode: c.mode.code().to_owned(),
                    per,
                    floor,
                    rule,
                    params,
                    evidence: c.evidence_required,
                    scored_by: c.scored_by.code().to_owned(),
                    applies_to: c.applies_to.join(", "),
                    remove: false,
                    trial: String::new(),
                });
                walk(&c.children, &c.id, out);
            }
        }
        walk(&r.criteria, "", &mut criteria);
        let item = |section: &str, i: &SectionItem| ItemRow {
            section: section.to_owned(),
            id: i.id.clone(),
            title: i.title.clone(),
            max: i.max.to_string(),
            per: i.per.map(|p| p.to_string()).unwrap_or_default(),
            remove: false,
            trial: String::new(),
        };
        Draft {
            head: HeadRow {
                code: r.code.clone(),
                title: r.title.clone(),
                sample: r.sample,
                decision: r.decision.clone(),
                valid_from: date::format_vn(r.valid_from),
                valid_to: iso_or_empty(r.valid_to),
                rescale_to: r.rescale_to.map(|p| p.to_string()).unwrap_or_default(),
                tie_break: r.tie_break.iter().map(TieBreak::code).collect::<Vec<_>>().join(", "),
                bonus_cap: r.bonus.cap.to_string(),
                penalty_cap: r.penalty.cap.to_string(),
            },
            criteria,
            items: r
                .bonus
                .items
                .iter()
                .map(|i| item("bonus", i))
                .chain(r.penalty.items.iter().map(|i| item("penalty", i)))
                .collect(),
            vetoes: r
                .vetoes
                .iter()
                .map(|v| VetoRow {
                    id: v.id.clone(),
                    title: v.title.clone(),
                    effect: if v.not_classified {
                        NOT_CLASSIFIED.to_owned()
                    } else {
                        v.cap_band.clone()
                    },
                    remove: false,
                    trial: false,
                })
                .collect(),
            bands: r
                .bands
                .iter()
                .map(|b| BandRow {
                    code: b.code.clone(),
                    title: b.title.clone(),
                    min: b.min.to_string(),
                    min_for: pairs_text(&b.min_for),
                    min_share: b.min_share.map(|s| s.to_string()).unwrap_or_default(),
                    min_shares: pairs_text(&b.min_shares),
                    color: b.color.clone(),
                    remove: false,
                })
                .collect(),
            quotas: r
                .quotas
                .iter()
                .map(|q| QuotaRow {
                    band: q.band.clone(),
                    percent: q.percent.to_string(),
                    of_band: q.of_band.clone().unwrap_or_default(),
                    remove: false,
                })
                .collect(),
            trial_kind: "department".to_owned(),
            problems: Vec::new(),
        }
    }

    /// Reads the posted form: `field` for the head, `c{i}_field`, `i{i}_…`, `v{i}_…`, `b{i}_…`,
    /// `q{i}_…` for the rows, `t_…` for the trial answers.
    pub(super) fn from_form(form: &[(String, String)]) -> Draft {
        let mut d = Draft::default();
        let mut criteria: BTreeMap<usize, CriterionRow> = BTreeMap::new();
        let mut items: BTreeMap<usize, ItemRow> = BTreeMap::new();
        let mut vetoes: BTreeMap<usize, VetoRow> = BTreeMap::new();
        let mut bands: BTreeMap<usize, BandRow> = BTreeMap::new();
        let mut quotas: BTreeMap<usize, QuotaRow> = BTreeMap::new();
        for (name, value) in form {
            let v = value.trim().to_owned();
            let on = value == "1" || value == "on";
            let row = |prefix: char| -> Option<(usize, &str)> {
                let rest = name.strip_prefix(prefix)?;
                let (index, field) = rest.split_once('_')?;
                Some((index.parse().ok()?, field))
            };
            match name.as_str() {
                "code" => d.head.code = v.clone(),
                "title" => d.head.title = v.clone(),
                "sample" => d.head.sample = on,
                "decision" => d.head.decision = v.clone(),
                "valid_from" => d.head.valid_from = v.clone(),
                "valid_to" => d.head.valid_to = v.clone(),
                "rescale_to" => d.head.rescale_to = v.clone(),
                "tie_break" => d.head.tie_break = v.clone(),
                "bonus_cap" => d.head.bonus_cap = v.clone(),
                "penalty_cap" => d.head.penalty_cap = v.clone(),
                "trial_kind" => d.trial_kind = v.clone(),
                _ => {}
            }
            if let Some((i, field)) = row('c') {
                let c = criteria.entry(i).or_default();
                match field {
                    "order" => c.order = v,
                    "id" => c.id = v,
                    "parent" => c.parent = v,
                    "title" => c.title = v,
                    "guidance" => c.guidance = v,
                    "max" => c.max = v,
                    "maxfor" => c.max_for = v,
                    "mode" => c.mode = v,
                    "per" => c.per = v,
                    "floor" => c.floor = v,
                    "rule" => c.rule = v,
                    "params" => c.params = v,
                    "evidence" => c.evidence = on,
                    "scoredby" => c.scored_by = v,
                    "applies" => c.applies_to = v,
                    "remove" => c.remove = on,
                    "trial" => c.trial = v,
                    _ => {}
                }
            } else if let Some((i, field)) = row('i') {
                let it = items.entry(i).or_default();
                match field {
                    "section" => it.section = v,
                    "id" => it.id = v,
                    "title" => it.title = v,
                    "max" => it.max = v,
                    "per" => it.per = v,
                    "remove" => it.remove = on,
                    "trial" => it.trial = v,
                    _ => {}
                }
            } else if let Some((i, field)) = row('v') {
                let vt = vetoes.entry(i).or_default();
                match field {
                    "id" => vt.id = v,
                    "title" => vt.title = v,
                    "effect" => vt.effect = v,
                    "remove" => vt.remove = on,
                    "trial" => vt.trial = on,
                    _ => {}
                }
            } else if let Some((i, field)) = row('b') {
                let b = bands.entry(i).or_default();
                match field {
                    "code" => b.code = v,
                    "title" => b.title = v,
                    "min" => b.min = v,
                    "minfor" => b.min_for = v,
                    "minshare" => b.min_share = v,
                    "minshares" => b.min_shares = v,
                    "color" => b.color = v,
                    "remove" => b.remove = on,
                    _ => {}
                }
            } else if let Some((i, field)) = row('q') {
                let q = quotas.entry(i).or_default();
                match field {
                    "band" => q.band = v,
                    "percent" => q.percent = v,
                    "of" => q.of_band = v,
                    "remove" => q.remove = on,
                    _ => {}
                }
            }
        }
        // Rows left blank are the offered empty rows; rows ticked for removal go.
        d.criteria = criteria.into_values().filter(|c| !(c.remove || c.is_blank())).collect();
        // Moved by their order numbers; equal numbers keep the rows' order; an unreadable one
        // is said, and the row stays where it was.
        for c in &d.criteria {
            if number(&c.order) == f64::MAX {
                d.problems
                    .push(format!("Tiêu chí {}: thứ tự \"{}\" không phải số.", c.id, c.order));
            }
        }
        if !d.problems.is_empty() {
            return d;
        }
        d.criteria.sort_by(|a, b| {
            number(&a.order)
                .partial_cmp(&number(&b.order))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for (i, c) in d.criteria.iter_mut().enumerate() {
            c.order = (i + 1).to_string();
        }
        d.items = items
            .into_values()
            .filter(|i| !(i.remove || all_empty(&[&i.id, &i.title, &i.max, &i.per, &i.trial])))
            .collect();
        d.vetoes = vetoes
            .into_values()
            .filter(|v| !(v.remove || (!v.trial && all_empty(&[&v.id, &v.title, &v.effect]))))
            .collect();
        d.bands = bands
            .into_values()
            .filter(|b| {
                !(b.remove
                    || all_empty(&[
                        &b.code,
                        &b.title,
                        &b.min,
                        &b.min_for,
                        &b.min_share,
                        &b.min_shares,
                        &b.color,
                    ]))
            })
            .collect();
        d.quotas = quotas
            .into_values()
            .filter(|q| !(q.remove || all_empty(&[&q.band, &q.percent, &q.of_band])))
            .collect();
        d
    }

    /// The rubric the rows describe, or what could not be read, each problem once.
    pub(super) fn to_rubric(&self) -> Result<Rubric, Vec<String>> {
        let mut errors = self.problems.clone();
        let head = &self.head;
        let valid_from = date::parse(&head.valid_from);
        let valid_to = date::parse(&head.valid_to);
        let rescale_to = read_points(&mut errors, "Quy đổi về thang", &head.rescale_to, false);
        let bonus_cap = read_points(&mut errors, "Điểm cộng tối đa", &head.bonus_cap, false).unwrap_or_default();
        let penalty_cap = read_points(&mut errors, "Điểm trừ tối đa", &head.penalty_cap, false).unwrap_or_default();
        let mut criteria_flat: Vec<(String, Criterion)> = Vec::new();
        for c in &self.criteria {
            let what = format!("Tiêu chí {}", if c.id.is_empty() { &c.title } else { &c.id });
            let max = read_points(&mut errors, &format!("{what}, điểm tối đa"), &c.max, true).unwrap_or_default();
            let mut max_for = BTreeMap::new();
            for (kind, value) in pairs(&c.max_for) {
                if let Some(p) = read_points(&mut errors, &format!("{what}, tối đa theo loại {kind}"), &value, true)
                {
                    max_for.insert(kind, p);
                }
            }
            let mode = match c.mode.as_str() {
                "yes_no" => Mode::YesNo,
                "deduction" => Mode::Deduction {
                    per: read_points(&mut errors, &format!("{what}, điểm trừ mỗi lần"), &c.per, true)
                        .unwrap_or_default(),
                    floor: read_points(&mut errors, &format!("{what}, điểm sàn"), &c.floor, false).unwrap_or_default(),
                },
                "computed" => Mode::Computed {
                    rule: c.rule.clone(),
                    params: pairs(&c.params).into_iter().collect(),
                },
                _ => Mode::Manual,
            };
            criteria_flat.push((
                c.parent.clone(),
                Criterion {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    guidance: c.guidance.clone(),
                    max,
                    max_for,
                    mode,
                    evidence_required: c.evidence,
                    scored_by: if c.scored_by == ScoredBy::Higher.code() {
                        ScoredBy::Higher
                    } else {
                        ScoredBy::Agency
                    },
                    applies_to: list(&c.applies_to),
                    children: Vec::new(),
                },
            ));
        }
        let criteria = tree(criteria_flat, &mut errors);
        let mut bonus = Section {
            cap: bonus_cap,
            items: Vec::new(),
        };
        let mut penalty = Section {
            cap: penalty_cap,
            items: Vec::new(),
        };
        for i in &self.items {
            let what = format!("Mục {}", i.id);
            let item = SectionItem {
                id: i.id.clone(),
                title: i.title.clone(),
                max: read_points(&mut errors, &format!("{what}, điểm tối đa"), &i.max, true).unwrap_or_default(),
                per: read_points(&mut errors, &format!("{what}, điểm mỗi lần"), &i.per, false),
            };
            if i.section == "penalty" {
                penalty.items.push(item)
            } else {
                bonus.items.push(item)
            }
        }
        let vetoes = self
            .vetoes
            .iter()
            .map(|v| Veto {
                id: v.id.clone(),
                title: v.title.clone(),
                cap_band: if v.effect == NOT_CLASSIFIED {
                    String::new()
                } else {
                    v.effect.clone()
                },
                not_classified: v.effect == NOT_CLASSIFIED,
            })
            .collect();
        let mut bands = Vec::new();
        for b in &self.bands {
            let what = format!("Mức \"{}\"", b.code);
            let mut min_for = BTreeMap::new();
            for (kind, value) in pairs(&b.min_for) {
                if let Some(p) = read_points(&mut errors, &format!("{what}, ngưỡng theo loại {kind}"), &value, true)
                {
                    min_for.insert(kind, p);
                }
            }
            let min_share = read_percent(&mut errors, &what, &b.min_share);
            let min_shares = pairs(&b.min_shares)
                .into_iter()
                .filter_map(|(id, value)| read_percent(&mut errors, &what, &value).map(|p| (id, p)))
                .collect();
            bands.push(Band {
                code: b.code.clone(),
                title: b.title.clone(),
                min: read_points(&mut errors, &format!("{what}, ngưỡng"), &b.min, true).unwrap_or_default(),
                min_for,
                min_share,
                min_shares,
                color: b.color.clone(),
            });
        }
        let mut quotas = Vec::new();
        for q in &self.quotas {
            match q.percent.trim_end_matches('%').trim().parse::<u32>() {
                Ok(percent) => quotas.push(Quota {
                    band: q.band.clone(),
                    percent,
                    of_band: (!q.of_band.is_empty()).then(|| q.of_band.clone()),
                }),
                Err(_) => errors.push(format!(
                    "Hạn mức của mức \"{}\": tỷ lệ phải là số nguyên (phần trăm).",
                    q.band
                )),
            }
        }
        let mut tie_break = Vec::new();
        for code in list(&head.tie_break) {
            match TieBreak::from_code(&code) {
                Some(rule) => tie_break.push(rule),
                None => errors.push(format!(
                    "Thứ tự xét khi bằng điểm: \"{code}\" không có; chỉ nhận less_penalty hoặc criterion:<mã tiêu chí>."
                )),
            }
        }
        if valid_from.is_none() {
            errors.push("Hiệu lực từ ngày: nhập ngày theo dạng ngày/tháng/năm.".into());
        }
        if !head.valid_to.is_empty() && valid_to.is_none() {
            errors.push("Hiệu lực đến ngày: nhập ngày theo dạng ngày/tháng/năm, hoặc để trống.".into());
        }
        match (errors.is_empty(), valid_from) {
            (true, Some(valid_from)) => Ok(Rubric {
                code: head.code.clone(),
                title: head.title.clone(),
                sample: head.sample,
                decision: head.decision.clone(),
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
            }),
            _ => Err(errors),
        }
    }

    /// The made-up answers typed in the trial column.
    pub(super) fn trial(&self, rubric: &Rubric) -> Answers {
        let mut answers = Answers::default();
        let leaves: HashMap<&str, &Criterion> = rubric.all_criteria().into_iter().map(|c| (c.id.as_str(), c)).collect();
        for row in self.criteria.iter().filter(|c| !c.trial.is_empty()) {
            let Some(c) = leaves.get(row.id.as_str()) else { continue };
            let answer = match &c.mode {
                Mode::YesNo => Some(Answer::Yes(matches!(
                    row.trial.to_lowercase().as_str(),
                    "1" | "có" | "co" | "x"
                ))),
                Mode::Deduction { .. } => row.trial.parse().ok().map(Answer::Occurrences),
                _ => Points::parse_vn(&row.trial).map(Answer::Points),
            };
            if let Some(answer) = answer {
                answers.criteria.insert(row.id.clone(), answer);
            }
        }
        for row in self.items.iter().filter(|i| !i.trial.is_empty()) {
            if !row.per.is_empty() {
                if let Ok(n) = row.trial.parse() {
                    if row.section == "penalty" {
                        answers.penalty_counts.insert(row.id.clone(), n);
                    } else {
                        answers.bonus_counts.insert(row.id.clone(), n);
                    }
                }
            } else if let Some(p) = Points::parse_vn(&row.trial) {
                if row.section == "penalty" {
                    answers.penalty.insert(row.id.clone(), p);
                } else {
                    answers.bonus.insert(row.id.clone(), p);
                }
            }
        }
        answers.vetoes = self.vetoes.iter().filter(|v| v.trial).map(|v| v.id.clone()).collect();
        answers
    }

    pub(super) fn with_blank_rows(mut self) -> Draft {
        let next = self.criteria.len();
        for i in 0..BLANK_ROWS {
            self.criteria.push(CriterionRow {
                order: (next + i + 1).to_string(),
                mode: Mode::Manual.code().into(),
                scored_by: ScoredBy::Agency.code().into(),
                ..Default::default()
            });
        }
        self.items.extend((0..BLANK_ROWS).map(|_| ItemRow {
            section: "bonus".into(),
            ..Default::default()
        }));
        self.vetoes.extend((0..BLANK_ROWS).map(|_| VetoRow::default()));
        self.bands.extend((0..BLANK_ROWS).map(|_| BandRow::default()));
        self.quotas.extend((0..BLANK_ROWS).map(|_| QuotaRow::default()));
        self
    }
}

/// Points as typed ("10", "2,5", "-1"); an empty field is none (an error when `required`).
fn read_points(errors: &mut Vec<String>, what: &str, text: &str, required: bool) -> Option<Points> {
    if text.is_empty() {
        if required {
            errors.push(format!("{what}: chưa nhập."));
        }
        return None;
    }
    let negative = text.starts_with('-');
    match Points::parse_vn(text.trim_start_matches('-')) {
        Some(p) if negative => Some(Points(-p.0)),
        Some(p) => Some(p),
        None => {
            errors.push(format!("{what}: \"{text}\" không phải số (ví dụ 10 hoặc 2,5)."));
            None
        }
    }
}

/// A percentage as typed ("70" or "70%"); an empty field is none.
fn read_percent(errors: &mut Vec<String>, what: &str, text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let read = text.trim_end_matches('%').trim().parse::<u32>().ok();
    if read.is_none() {
        errors.push(format!("{what}: tỷ lệ \"{text}\" phải là số nguyên (phần trăm)."));
    }
    read
}

fn number(text: &str) -> f64 {
    text.trim().replace(',', ".").parse().unwrap_or(f64::MAX)
}

/// `a = 1; b = 2` (or one per line) as pairs; values kept as typed.
fn pairs(text: &str) -> Vec<(String, String)> {
    text.split([';', '\n'])
        .filter_map(|part| {
            let (k, v) = part.split_once(['=', ':'])?;
            let (k, v) = (k.trim().trim_matches('"'), v.trim());
            (!k.is_empty()).then(|| (k.to_owned(), v.to_owned()))
        })
        .collect()
}

/// `a, b; c` as a list.
fn list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Builds the tree from rows naming their parent, in the rows' order.
fn tree(rows: Vec<(String, Criterion)>, errors: &mut Vec<String>) -> Vec<Criterion> {
    let ids: HashSet<String> = rows.iter().map(|(_, c)| c.id.clone()).collect();
    for (parent, c) in &rows {
        if !parent.is_empty() && !ids.contains(parent) {
            errors.push(format!("Tiêu chí {}: không có tiêu chí cấp trên \"{parent}\".", c.id));
        }
        if parent == &c.id {
            errors.push(format!("Tiêu chí {}: không thể là cấp trên của chính nó.", c.id));
        }
    }
    let mut children: HashMap<String, Vec<Criterion>> = HashMap::new();
    for (parent, c) in rows {
        children.entry(parent).or_default().push(c);
    }
    fn attach(c: &mut Criterion, children: &mut HashMap<String, Vec<Criterion>>, depth: usize) {
        if depth > 20 {
            return;
        }
        if let Some(mut kids) = children.remove(&c.id) {
            for kid in &mut kids {
                attach(kid, children, depth + 1);
            }
            c.children = kids;
        }
    }
    let mut top = children.remove("").unwrap_or_default();
    for c in &mut top {
        attach(c, &mut children, 0);
    }
    // What is left hangs on a parent that is itself below it: a loop.
    for (parent, kids) in &children {
        if ids.contains(parent) {
            for kid in kids {
                errors.push(format!(
                    "Tiêu chí {}: cấp trên \"{parent}\" tạo thành vòng lặp.",
                    kid.id
                ));
            }
        }
    }
    top
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;
