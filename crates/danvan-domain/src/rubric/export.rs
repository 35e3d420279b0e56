//! The rubric written back as a file in the documented format ([`to_toml`]): what the editor
//! saves and the export gives; reading it again gives the same rubric.

use std::collections::BTreeMap;

use toml::Spanned;

use super::file::{FileBand, FileCriterion, FileHead, FileItem, FileQuota, FileRubric, FileSection, FileVeto};
use super::{Criterion, Mode, Points, Rubric, Section, TieBreak};

fn f(p: Points) -> f64 {
    p.0 as f64 / 100.0
}

fn file_criterion(c: &Criterion) -> FileCriterion {
    let (per, floor, rule, params) = match &c.mode {
        Mode::Manual | Mode::YesNo => (None, None, None, BTreeMap::new()),
        Mode::Deduction { per, floor } => (Some(f(*per)), Some(f(*floor)), None, BTreeMap::new()),
        Mode::Computed { rule, params } => (
            None,
            None,
            Some(rule.clone()),
            params.iter().map(|(k, v)| (k.clone(), param_value(v))).collect(),
        ),
    };
    FileCriterion {
        id: Spanned::new(0..0, c.id.clone()),
        title: c.title.clone(),
        guidance: c.guidance.clone(),
        max: f(c.max),
        max_for: c.max_for.iter().map(|(k, v)| (k.clone(), f(*v))).collect(),
        mode: c.mode.code().to_owned(),
        per,
        floor,
        rule,
        params,
        evidence: c.evidence_required,
        scored_by: c.scored_by.code().to_owned(),
        applies_to: c.applies_to.clone(),
        children: c.children.iter().map(file_criterion).collect(),
    }
}

/// A computed criterion's parameter back as the TOML value it was written as (kept as that
/// value's TOML text).
fn param_value(text: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_owned()))
}

fn file_section(s: &Section) -> Option<FileSection> {
    (s.cap != Points::ZERO || !s.items.is_empty()).then(|| FileSection {
        cap: f(s.cap),
        items: s
            .items
            .iter()
            .map(|i| FileItem {
                id: Spanned::new(0..0, i.id.clone()),
                title: i.title.clone(),
                max: f(i.max),
                per: i.per.map(f),
            })
            .collect(),
    })
}

/// The rubric as a file in the documented format: what the editor saves and the export gives.
pub fn to_toml(rubric: &Rubric) -> String {
    let iso = |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let file = FileRubric {
        rubric: FileHead {
            code: rubric.code.clone(),
            title: rubric.title.clone(),
            sample: rubric.sample,
            decision: rubric.decision.clone(),
            valid_from: iso(rubric.valid_from),
            valid_to: rubric.valid_to.map(iso),
            rescale_to: rubric.rescale_to.map(f),
            tie_break: rubric.tie_break.iter().map(TieBreak::code).collect(),
        },
        criteria: rubric.criteria.iter().map(file_criterion).collect(),
        bonus: file_section(&rubric.bonus),
        penalty: file_section(&rubric.penalty),
        vetoes: rubric
            .vetoes
            .iter()
            .map(|v| FileVeto {
                id: Spanned::new(0..0, v.id.clone()),
                title: v.title.clone(),
                cap_band: (!v.not_classified).then(|| Spanned::new(0..0, v.cap_band.clone())),
                not_classified: v.not_classified,
            })
            .collect(),
        bands: rubric
            .bands
            .iter()
            .map(|b| FileBand {
                code: Spanned::new(0..0, b.code.clone()),
                title: b.title.clone(),
                min: f(b.min),
                min_for: b.min_for.iter().map(|(k, v)| (k.clone(), f(*v))).collect(),
                min_share: b.min_share,
                min_shares: b.min_shares.clone(),
                color: b.color.clone(),
            })
            .collect(),
        quota: None,
        quotas: rubric
            .quotas
            .iter()
            .map(|q| FileQuota {
                band: Spanned::new(0..0, q.band.clone()),
                percent: q.percent,
                of_band: q.of_band.clone(),
            })
            .collect(),
    };
    toml::to_string(&file).unwrap_or_default()
}
