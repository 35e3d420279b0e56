//! Evaluation rubrics as data: a TOML file read and checked into a [`Rubric`].
//!
//! Every province has its own regulation (the 729/QĐ-UBND family, see domain.md), replaced every
//! few years, so the criteria, points, bonus and penalty, disqualifying and "not classified"
//! conditions, bands (thresholds per kind of agency, minimum shares per criterion), quotas
//! (of the group or of another band), rescaling and tie-break are a file, never code. The format
//! is documented in `rubrics/README.md`; [`file`] reads it and reports every problem with its line.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

mod export;
mod file;

pub use export::to_toml;
pub use file::{COMPUTED_RULES, Checked, NOT_UTF8, RubricError, check, parse};

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

impl ScoredBy {
    /// As the file writes it: `agency`, `higher`.
    pub fn code(self) -> &'static str {
        match self {
            ScoredBy::Agency => "agency",
            ScoredBy::Higher => "higher",
        }
    }
}

impl Mode {
    /// As the file writes it: `manual`, `yes_no`, `deduction`, `computed`.
    pub fn code(&self) -> &'static str {
        match self {
            Mode::Manual => "manual",
            Mode::YesNo => "yes_no",
            Mode::Deduction { .. } => "deduction",
            Mode::Computed { .. } => "computed",
        }
    }
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

    /// The most it can give this agency: its maximum, or less when the children that apply
    /// (and are not `skipped`) add up to less.
    pub fn effective_max(&self, kind_or_group: &[&str], skipped: &BTreeSet<String>) -> Points {
        let own = self.max_for(kind_or_group);
        if self.children.is_empty() {
            return own;
        }
        let children: Points = self
            .children
            .iter()
            .filter(|c| c.applies(kind_or_group) && !skipped.contains(&c.id))
            .map(|c| c.effective_max(kind_or_group, skipped))
            .sum();
        own.min(children)
    }

    /// Its maximum for an agency of this kind or group.
    pub fn max_for(&self, kind_or_group: &[&str]) -> Points {
        kind_or_group
            .iter()
            .find_map(|k| self.max_for.get(*k).copied())
            .unwrap_or(self.max)
    }
}

/// One line of a bonus or penalty section.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionItem {
    pub id: String,
    pub title: String,
    /// The most this line gives or takes.
    pub max: Points,
    /// Points per occurrence: the agency gives a count, the line scores count × `per`, capped
    /// at `max`. `None`: the points are entered directly.
    pub per: Option<Points>,
}

/// A bonus or penalty section: items, each with a maximum, and a cap on the section.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub cap: Points,
    pub items: Vec<SectionItem>,
}

/// A condition the appraisers record, and what it does to the band.
#[derive(Debug, Clone, PartialEq)]
pub struct Veto {
    pub id: String,
    pub title: String,
    /// The highest band an agency with this condition can have; empty when the condition
    /// leaves the agency not classified.
    pub cap_band: String,
    /// The agency is "Không đủ điều kiện xếp loại": no band at all.
    pub not_classified: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub code: String,
    pub title: String,
    pub min: Points,
    /// A different threshold for some kinds or groups of agency.
    pub min_for: BTreeMap<String, Points>,
    /// The least share (percent of its maximum) every top-level criterion must reach.
    pub min_share: Option<u32>,
    /// The least share (percent of its maximum) of named criteria.
    pub min_shares: BTreeMap<String, u32>,
    pub color: String,
}

impl Band {
    /// Its threshold for an agency of this kind or group.
    pub fn min_for(&self, kind_or_group: &[&str]) -> Points {
        kind_or_group
            .iter()
            .find_map(|k| self.min_for.get(*k).copied())
            .unwrap_or(self.min)
    }
}

/// The band code and title of an agency that cannot be classified.
pub const NOT_CLASSIFIED: &str = "khong_du_dieu_kien";
pub const NOT_CLASSIFIED_TITLE: &str = "Không đủ điều kiện xếp loại";

#[derive(Debug, Clone, PartialEq)]
pub struct Quota {
    pub band: String,
    /// At most this share, in percent, of the group (or of `of_band`).
    pub percent: u32,
    /// Counted against the agencies placed in this band or higher (before this quota) rather
    /// than the whole group: "xuất sắc at most 20 % of those rated tốt".
    pub of_band: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TieBreak {
    /// The smaller penalty first.
    LessPenalty,
    /// The higher score on this criterion first.
    Criterion(String),
}

impl TieBreak {
    /// As the file writes it: `less_penalty`, `criterion:<id>`.
    pub fn code(&self) -> String {
        match self {
            TieBreak::LessPenalty => "less_penalty".to_owned(),
            TieBreak::Criterion(id) => format!("criterion:{id}"),
        }
    }

    /// The rule a file names (whether the criterion exists is the checker's question).
    pub fn from_code(code: &str) -> Option<TieBreak> {
        match code.trim() {
            "less_penalty" => Some(TieBreak::LessPenalty),
            other => other
                .strip_prefix("criterion:")
                .map(|id| TieBreak::Criterion(id.trim().to_owned()))
                .filter(|t| !matches!(t, TieBreak::Criterion(id) if id.is_empty())),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub code: String,
    pub title: String,
    pub sample: bool,
    /// The decision that issued it, as numbered ("729/QĐ-UBND"); empty for a draft.
    pub decision: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// Main scores are brought to this scale when criteria do not apply to an agency.
    pub rescale_to: Option<Points>,
    pub criteria: Vec<Criterion>,
    pub bonus: Section,
    pub penalty: Section,
    pub vetoes: Vec<Veto>,
    /// Highest first.
    pub bands: Vec<Band>,
    /// Applied from the highest band down.
    pub quotas: Vec<Quota>,
    pub tie_break: Vec<TieBreak>,
}

impl Rubric {
    /// A draft has no decision yet: it can be edited, and no cycle may use it.
    pub fn is_draft(&self) -> bool {
        self.decision.trim().is_empty()
    }

    /// The most the main criteria give an agency of this kind or group, before any rescale.
    pub fn max_for(&self, kind_or_group: &[&str]) -> Points {
        self.max_without(kind_or_group, &BTreeSet::new())
    }

    /// The most the main criteria give this agency when the criteria in `skipped` do not apply
    /// to it (the monitor's decision).
    pub fn max_without(&self, kind_or_group: &[&str], skipped: &BTreeSet<String>) -> Points {
        self.criteria
            .iter()
            .filter(|c| c.applies(kind_or_group) && !skipped.contains(&c.id))
            .map(|c| c.effective_max(kind_or_group, skipped))
            .sum()
    }

    /// The title of a band code, [`NOT_CLASSIFIED_TITLE`] included.
    pub fn band_title(&self, code: &str) -> String {
        if code == NOT_CLASSIFIED {
            return NOT_CLASSIFIED_TITLE.to_owned();
        }
        self.bands
            .iter()
            .find(|b| b.code == code)
            .map_or_else(|| code.to_owned(), |b| b.title.clone())
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../../rubrics/mau-dan-van-chinh-quyen.toml");

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
