//! The report kind editor's model: a kind as the form's rows hold it (text as typed), read from
//! a [`ReportKind`] and from a posted form, and turned back into a [`ReportKind`].

use std::collections::BTreeMap;

use danvan_domain::UnitKind;
use danvan_domain::report::{Aggregate, Indicator, PeriodType, ReportKind, Section, ValueType};

/// Blank rows offered under each table for new entries.
const BLANK_ROWS: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct HeadRow {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) period: String,
    pub(super) deadline: String,
    /// Kind codes ticked.
    pub(super) obliged_kinds: Vec<String>,
    pub(super) obliged_groups: String,
    pub(super) recipient: String,
}

#[derive(Debug, Clone, Default)]
pub struct SectionRow {
    pub(super) order: String,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) guidance: String,
    pub(super) remove: bool,
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorRow {
    pub(super) order: String,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) unit: String,
    pub(super) value_type: String,
    pub(super) required: bool,
    pub(super) min: String,
    pub(super) max: String,
    pub(super) not_more_than: String,
    pub(super) warn_below: String,
    pub(super) warn_above: String,
    pub(super) prefill: String,
    pub(super) aggregate: String,
    pub(super) weight: String,
    pub(super) remove: bool,
}

/// The kind as the editor's form holds it.
#[derive(Debug, Clone, Default)]
pub struct KindDraft {
    pub(super) head: HeadRow,
    pub(super) sections: Vec<SectionRow>,
    pub(super) indicators: Vec<IndicatorRow>,
    /// What the form held that could not be read (an order that is not a number).
    pub(super) problems: Vec<String>,
}

/// A number as the file keeps it, written back the way officials type it.
fn shown(n: Option<f64>) -> String {
    n.map(|n| n.to_string().replace('.', ",")).unwrap_or_default()
}

fn number(text: &str) -> f64 {
    text.trim().replace(',', ".").parse().unwrap_or(f64::MAX)
}

impl KindDraft {
    pub(super) fn from_kind(k: &ReportKind) -> KindDraft {
        KindDraft {
            head: HeadRow {
                code: k.code.clone(),
                name: k.name.clone(),
                period: k.period.code().to_owned(),
                deadline: k.deadline_working_days.to_string(),
                obliged_kinds: k.obliged_kinds.clone(),
                obliged_groups: k.obliged_groups.join(", "),
                recipient: k.recipient.clone(),
            },
            sections: k
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| SectionRow {
                    order: (i + 1).to_string(),
                    id: s.id.clone(),
                    title: s.title.clone(),
                    guidance: s.guidance.clone(),
                    remove: false,
                })
                .collect(),
            indicators: k
                .indicators
                .iter()
                .enumerate()
                .map(|(n, i)| IndicatorRow {
                    order: (n + 1).to_string(),
                    id: i.id.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    value_type: i.value_type.code().to_owned(),
                    required: i.required,
                    min: shown(i.min),
                    max: shown(i.max),
                    not_more_than: i.not_more_than.clone().unwrap_or_default(),
                    warn_below: shown(i.warn_below),
                    warn_above: shown(i.warn_above),
                    prefill: i.prefill.clone().unwrap_or_default(),
                    aggregate: i.aggregate.code().to_owned(),
                    weight: i.weight.clone().unwrap_or_default(),
                    remove: false,
                })
                .collect(),
            problems: Vec::new(),
        }
    }

    /// Reads the posted form: head fields by name, `s{i}_…` and `n{i}_…` for the rows,
    /// `kind_<code>` for each kind of agency ticked.
    pub(super) fn from_form(form: &[(String, String)]) -> KindDraft {
        let mut d = KindDraft::default();
        let mut sections: BTreeMap<usize, SectionRow> = BTreeMap::new();
        let mut indicators: BTreeMap<usize, IndicatorRow> = BTreeMap::new();
        for (name, value) in form {
            let v = value.trim().to_owned();
            let on = value == "1" || value == "on";
            let row = |prefix: char| -> Option<(usize, &str)> {
                let (index, field) = name.strip_prefix(prefix)?.split_once('_')?;
                Some((index.parse().ok()?, field))
            };
            match name.as_str() {
                "code" => d.head.code = v.clone(),
                "name" => d.head.name = v.clone(),
                "period" => d.head.period = v.clone(),
                "deadline" => d.head.deadline = v.clone(),
                "groups" => d.head.obliged_groups = v.clone(),
                "recipient" => d.head.recipient = v.clone(),
                _ => {}
            }
            if let Some(kind) = name.strip_prefix("kind_")
                && on
            {
                d.head.obliged_kinds.push(kind.to_owned());
            } else if let Some((i, field)) = row('s') {
                let s = sections.entry(i).or_default();
                match field {
                    "order" => s.order = v,
                    "id" => s.id = v,
                    "title" => s.title = v,
                    "guidance" => s.guidance = v,
                    "remove" => s.remove = on,
                    _ => {}
                }
            } else if let Some((i, field)) = row('n') {
                let n = indicators.entry(i).or_default();
                match field {
                    "order" => n.order = v,
                    "id" => n.id = v,
                    "name" => n.name = v,
                    "unit" => n.unit = v,
                    "type" => n.value_type = v,
                    "required" => n.required = on,
                    "min" => n.min = v,
                    "max" => n.max = v,
                    "notmore" => n.not_more_than = v,
                    "warnbelow" => n.warn_below = v,
                    "warnabove" => n.warn_above = v,
                    "prefill" => n.prefill = v,
                    "aggregate" => n.aggregate = v,
                    "weight" => n.weight = v,
                    "remove" => n.remove = on,
                    _ => {}
                }
            }
        }
        let by_order = |a: &str, b: &str| number(a).partial_cmp(&number(b)).unwrap_or(std::cmp::Ordering::Equal);
        d.sections = sections
            .into_values()
            .filter(|s| !(s.remove || [&s.id, &s.title, &s.guidance].iter().all(|f| f.is_empty())))
            .collect();
        let unreadable = d
            .sections
            .iter()
            .map(|s| (&s.id, &s.order))
            .chain(d.indicators.iter().map(|n| (&n.id, &n.order)))
            .filter(|(_, order)| number(order) == f64::MAX)
            .map(|(id, order)| format!("Dòng {id}: thứ tự \"{order}\" không phải số."))
            .collect::<Vec<_>>();
        if !unreadable.is_empty() {
            d.problems = unreadable;
            return d;
        }
        d.sections.sort_by(|a, b| by_order(&a.order, &b.order));
        d.indicators = indicators
            .into_values()
            .filter(|n| {
                let fields = [
                    &n.id,
                    &n.name,
                    &n.unit,
                    &n.min,
                    &n.max,
                    &n.not_more_than,
                    &n.warn_below,
                    &n.warn_above,
                    &n.prefill,
                    &n.weight,
                ];
                !(n.remove || (!n.required && fields.iter().all(|f| f.is_empty())))
            })
            .collect();
        d.indicators.sort_by(|a, b| by_order(&a.order, &b.order));
        for (i, s) in d.sections.iter_mut().enumerate() {
            s.order = (i + 1).to_string();
        }
        for (i, n) in d.indicators.iter_mut().enumerate() {
            n.order = (i + 1).to_string();
        }
        d
    }

    /// The kind the rows describe, or what could not be read.
    pub(super) fn to_kind(&self) -> Result<ReportKind, Vec<String>> {
        let mut errors = self.problems.clone();
        let period = PeriodType::from_code(&self.head.period);
        if period.is_none() {
            errors.push("Kỳ báo cáo: chọn tháng, quý, 6 tháng hoặc năm.".to_owned());
        }
        let deadline = self.head.deadline.parse::<u32>().ok();
        if deadline.is_none() {
            errors.push(format!(
                "Hạn nộp: \"{}\" phải là số ngày làm việc (số nguyên).",
                self.head.deadline
            ));
        }
        let mut indicators = Vec::new();
        for n in &self.indicators {
            let what = format!("Chỉ tiêu {}", n.id);
            let mut read = |label: &str, text: &str| -> Option<f64> {
                if text.is_empty() {
                    return None;
                }
                let value = text.replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite());
                if value.is_none() {
                    errors.push(format!("{what}, {label}: \"{text}\" không phải số."));
                }
                value
            };
            let (min, max) = (read("nhỏ nhất", &n.min), read("lớn nhất", &n.max));
            let (warn_below, warn_above) = (
                read("cảnh báo dưới", &n.warn_below),
                read("cảnh báo trên", &n.warn_above),
            );
            let value_type = match n.value_type.as_str() {
                "decimal" => ValueType::Decimal,
                "percent" => ValueType::Percent,
                "text" => ValueType::Text,
                _ => ValueType::Integer,
            };
            let aggregate = match n.aggregate.as_str() {
                "average" => Aggregate::Average,
                "none" => Aggregate::None,
                _ if value_type == ValueType::Text => Aggregate::None,
                _ => Aggregate::Sum,
            };
            let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
            indicators.push(Indicator {
                id: n.id.clone(),
                name: n.name.clone(),
                unit: n.unit.clone(),
                value_type,
                required: n.required,
                min,
                max,
                not_more_than: optional(&n.not_more_than),
                warn_below,
                warn_above,
                prefill: optional(&n.prefill),
                aggregate,
                weight: optional(&n.weight),
            });
        }
        match (period, deadline, errors.is_empty()) {
            (Some(period), Some(deadline), true) => Ok(ReportKind {
                code: self.head.code.clone(),
                name: self.head.name.clone(),
                period,
                deadline_working_days: deadline,
                obliged_kinds: UnitKind::ALL
                    .iter()
                    .map(|k| k.code().to_owned())
                    .filter(|k| self.head.obliged_kinds.contains(k))
                    .collect(),
                obliged_groups: self
                    .head
                    .obliged_groups
                    .split([',', ';'])
                    .map(str::trim)
                    .filter(|g| !g.is_empty())
                    .map(str::to_owned)
                    .collect(),
                recipient: self.head.recipient.clone(),
                sections: self
                    .sections
                    .iter()
                    .map(|s| Section {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        guidance: s.guidance.clone(),
                    })
                    .collect(),
                indicators,
            }),
            _ => Err(errors),
        }
    }

    pub(super) fn with_blank_rows(mut self) -> KindDraft {
        let (s, n) = (self.sections.len(), self.indicators.len());
        self.sections.extend((0..BLANK_ROWS).map(|i| SectionRow {
            order: (s + i + 1).to_string(),
            ..Default::default()
        }));
        self.indicators.extend((0..BLANK_ROWS).map(|i| IndicatorRow {
            order: (n + i + 1).to_string(),
            value_type: "integer".into(),
            aggregate: "sum".into(),
            ..Default::default()
        }));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form a browser posts for a draft shown with its blank rows.
    fn posted(d: &KindDraft) -> Vec<(String, String)> {
        let mut f: Vec<(String, String)> = Vec::new();
        let h = &d.head;
        for (k, v) in [
            ("code", &h.code),
            ("name", &h.name),
            ("period", &h.period),
            ("deadline", &h.deadline),
            ("groups", &h.obliged_groups),
            ("recipient", &h.recipient),
        ] {
            f.push((k.into(), v.clone()));
        }
        for kind in &h.obliged_kinds {
            f.push((format!("kind_{kind}"), "1".into()));
        }
        for (i, s) in d.sections.iter().enumerate() {
            for (k, v) in [
                ("order", &s.order),
                ("id", &s.id),
                ("title", &s.title),
                ("guidance", &s.guidance),
            ] {
                f.push((format!("s{i}_{k}"), v.clone()));
            }
        }
        for (i, n) in d.indicators.iter().enumerate() {
            for (k, v) in [
                ("order", &n.order),
                ("id", &n.id),
                ("name", &n.name),
                ("unit", &n.unit),
                ("type", &n.value_type),
                ("min", &n.min),
                ("max", &n.max),
                ("notmore", &n.not_more_than),
                ("warnbelow", &n.warn_below),
                ("warnabove", &n.warn_above),
                ("prefill", &n.prefill),
                ("aggregate", &n.aggregate),
                ("weight", &n.weight),
            ] {
                f.push((format!("n{i}_{k}"), v.clone()));
            }
            if n.required {
                f.push((format!("n{i}_required"), "1".into()));
            }
        }
        f
    }

    #[test]
    fn a_kind_shown_in_the_editor_and_posted_back_unchanged_is_the_same_kind() {
        for source in [
            include_str!("../../../../../reports/bao-cao-dan-van-6-thang.toml"),
            include_str!("../../../../../reports/bao-cao-dan-van-nam.toml"),
        ] {
            let kind = danvan_domain::report::parse(source).unwrap();
            let draft = KindDraft::from_kind(&kind).with_blank_rows();
            let back = KindDraft::from_form(&posted(&draft))
                .to_kind()
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(back, kind);
        }
    }

    #[test]
    fn rows_move_by_order_and_go_with_their_box() {
        let kind =
            danvan_domain::report::parse(include_str!("../../../../../reports/bao-cao-dan-van-nam.toml")).unwrap();
        let draft = KindDraft::from_kind(&kind).with_blank_rows();
        let mut form = posted(&draft);
        for (k, v) in form.iter_mut() {
            if k == "s3_order" {
                *v = "0".into();
            }
        }
        form.push(("s0_remove".into(), "1".into()));
        let back = KindDraft::from_form(&form).to_kind().unwrap();
        assert_eq!(back.sections.len(), kind.sections.len() - 1);
        assert_eq!(back.sections[0].id, kind.sections[3].id);
        for (k, v) in form.iter_mut() {
            if k == "n0_min" {
                *v = "không".into();
            }
        }
        let errors = KindDraft::from_form(&form).to_kind().unwrap_err();
        assert!(
            errors.iter().any(|e| e.contains("nhỏ nhất: \"không\" không phải số")),
            "{errors:?}"
        );
    }
}
