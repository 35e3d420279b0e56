//! The scoring engine: from one agency's answers to its total and band, and from a group's
//! totals to a ranking with the quota applied. Pure: the store feeds it rows, the web shows
//! what it returns.
//!
//! Every figure is clamped where the rubric says (a leaf within 0..its maximum, a parent at its
//! maximum, bonus and penalty at their caps), so no input, however wrong, gives a total above what
//! the rubric allows. Every band comes with the reasons for it, in Vietnamese.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::rubric::{
    Band, Criterion, Mode, NOT_CLASSIFIED, NOT_CLASSIFIED_TITLE, Points, Quota, Rubric, Section, TieBreak,
};

/// What was given for one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A score (manual and computed criteria).
    Points(Points),
    /// Met or not (yes/no criteria).
    Yes(bool),
    /// How many times the fault occurred (deduction criteria).
    Occurrences(u32),
    /// The appraisers ruled the criterion out for this agency (the reason is the appraisal's
    /// comment): it leaves the agency's maximum.
    NotApplicable,
}

impl Answer {
    /// The answer as stored: `p:1250` (hundredths), `y:1` / `y:0`, `n:3`, `x:0` (not applicable).
    pub fn encode(self) -> String {
        match self {
            Answer::Points(p) => format!("p:{}", p.0),
            Answer::Yes(yes) => format!("y:{}", u8::from(yes)),
            Answer::Occurrences(n) => format!("n:{n}"),
            Answer::NotApplicable => "x:0".to_owned(),
        }
    }

    pub fn decode(text: &str) -> Option<Answer> {
        let (tag, value) = text.split_once(':')?;
        match tag {
            "p" => value.parse().ok().map(|p| Answer::Points(Points(p))),
            "y" => match value {
                "1" => Some(Answer::Yes(true)),
                "0" => Some(Answer::Yes(false)),
                _ => None,
            },
            "n" => value.parse().ok().map(Answer::Occurrences),
            "x" => Some(Answer::NotApplicable),
            _ => None,
        }
    }
}

/// One agency's answers: by criterion id, bonus and penalty item ids, and the vetoes that hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub criteria: BTreeMap<String, Answer>,
    pub bonus: BTreeMap<String, Points>,
    pub penalty: BTreeMap<String, Points>,
    /// Occurrences for bonus lines counted per occurrence, by item id (the agency's claim).
    pub bonus_counts: BTreeMap<String, u32>,
    /// Occurrences for penalty lines counted per occurrence, by item id (the appraisers').
    pub penalty_counts: BTreeMap<String, u32>,
    pub vetoes: BTreeSet<String>,
    /// Criteria the monitor decided do not apply to this agency (with a reason kept elsewhere).
    pub not_applicable: BTreeSet<String>,
}

/// An agency's result against a rubric.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Every applicable criterion's score, leaves and parents, by id.
    pub criteria: BTreeMap<String, Points>,
    /// The sum of the top-level criteria.
    pub main: Points,
    /// The most the main criteria give this agency (the rubric's scale when it rescales).
    pub max: Points,
    pub bonus: Points,
    pub penalty: Points,
    /// main + bonus − penalty, never below 0.
    pub total: Points,
    /// Band code from the thresholds (and the minimum shares) alone.
    pub band_by_score: String,
    /// Band code after vetoes (the quotas are applied by [`rank`]); [`NOT_CLASSIFIED`] when a
    /// condition leaves the agency without a band.
    pub band: String,
    /// Why it has its band, one sentence per reason.
    pub explanation: Vec<String>,
}

/// The score of one leaf criterion for an answer, within 0..max.
pub fn leaf_score(mode: &Mode, max: Points, answer: Option<Answer>) -> Points {
    let score = match (mode, answer) {
        (_, None) => Points::ZERO,
        (Mode::YesNo, Some(Answer::Yes(yes))) => {
            if yes {
                max
            } else {
                Points::ZERO
            }
        }
        (Mode::Deduction { per, floor }, Some(Answer::Occurrences(n))) => {
            let deducted = Points(max.0.saturating_sub(per.0.saturating_mul(i64::from(n))));
            let floor = (*floor).clamp(Points::ZERO, max);
            if deducted < floor { floor } else { deducted }
        }
        (_, Some(Answer::Points(p))) => p,
        // An answer of the wrong kind scores nothing rather than guessing.
        (_, Some(_)) => Points::ZERO,
    };
    score.clamp(Points::ZERO, max)
}

/// A criterion's score and its maximum for this agency (a parent's is capped by what its
/// applicable children allow), computed bottom-up in one pass.
fn score_criterion(
    c: &Criterion,
    kinds: &[&str],
    answers: &Answers,
    out: &mut BTreeMap<String, Points>,
    maxima: Option<&mut BTreeMap<String, Points>>,
) -> (Points, Points) {
    let mut maxima = maxima;
    let own = c.max_for(kinds);
    let (score, max) = if c.children.is_empty() {
        (leaf_score(&c.mode, own, answers.criteria.get(&c.id).copied()), own)
    } else {
        let (mut sum, mut children_max) = (Points::ZERO, Points::ZERO);
        for child in c
            .children
            .iter()
            .filter(|child| child.applies(kinds) && !answers.not_applicable.contains(&child.id))
        {
            let (score, max) = score_criterion(child, kinds, answers, out, maxima.as_deref_mut());
            sum = sum + score;
            children_max = children_max + max;
        }
        let max = own.min(children_max);
        (sum.clamp(Points::ZERO, max), max)
    };
    out.insert(c.id.clone(), score);
    if let Some(maxima) = maxima {
        maxima.insert(c.id.clone(), max);
    }
    (score, max)
}

/// A bonus or penalty section's total, with a sentence for each line counted per occurrence or
/// capped, and for the section's cap.
fn section_total(
    name: &str,
    section: &Section,
    given: &BTreeMap<String, Points>,
    counts: &BTreeMap<String, u32>,
    explanation: &mut Vec<String>,
) -> Points {
    let mut sum = Points::ZERO;
    for item in &section.items {
        let value = match item.per {
            Some(per) => {
                let n = counts.get(&item.id).copied().unwrap_or_default();
                let raw = Points(per.0.saturating_mul(i64::from(n)));
                if n > 0 {
                    let capped = if raw > item.max {
                        format!(", giới hạn ở {} điểm", item.max)
                    } else {
                        String::new()
                    };
                    explanation.push(format!(
                        "{name} \"{}\": {n} lần × {per} = {raw} điểm{capped}.",
                        item.title
                    ));
                }
                raw
            }
            None => given.get(&item.id).copied().unwrap_or_default(),
        };
        sum = sum + value.clamp(Points::ZERO, item.max);
    }
    if sum > section.cap {
        explanation.push(format!(
            "{name}: tổng {sum} điểm vượt mức tối đa của phần, chỉ tính {} điểm.",
            section.cap
        ));
    }
    sum.clamp(Points::ZERO, section.cap)
}

/// The first share requirement of `band` the agency does not meet, as a sentence.
fn share_unmet(
    rubric: &Rubric,
    sought: &str,
    band: &Band,
    kinds: &[&str],
    answers: &Answers,
    criteria: &BTreeMap<String, Points>,
    maxima: &BTreeMap<String, Points>,
) -> Option<String> {
    let top_level = band.min_share.into_iter().flat_map(|share| {
        rubric
            .criteria
            .iter()
            .filter(|c| c.applies(kinds) && !answers.not_applicable.contains(&c.id))
            .map(move |c| (c.id.as_str(), share))
    });
    let named = band.min_shares.iter().map(|(id, share)| (id.as_str(), *share));
    for (id, share) in top_level.chain(named) {
        // A criterion that does not apply to this agency sets no requirement.
        let (Some(score), Some(max)) = (criteria.get(id), maxima.get(id)) else {
            continue;
        };
        if max.0 <= 0 {
            continue;
        }
        // score / max ≥ share %, in whole numbers.
        if score.0 * 100 < max.0 * i64::from(share) {
            let got = score.0 * 100 / max.0;
            return Some(format!(
                "Chưa đạt mức \"{sought}\": tiêu chí {id} đạt {score}/{max} điểm ({got}%), dưới mức tối thiểu {share}%."
            ));
        }
    }
    None
}

/// Scores one agency of the given kinds or groups.
pub fn score(rubric: &Rubric, kinds: &[&str], answers: &Answers) -> Outcome {
    let mut criteria = BTreeMap::new();
    // Each criterion's maximum for this agency, kept only when a band asks for shares.
    let shares = rubric
        .bands
        .iter()
        .any(|b| b.min_share.is_some() || !b.min_shares.is_empty());
    let mut maxima = BTreeMap::new();
    let mut explanation = Vec::new();
    let (mut raw_main, mut raw_max) = (Points::ZERO, Points::ZERO);
    for c in rubric
        .criteria
        .iter()
        .filter(|c| c.applies(kinds) && !answers.not_applicable.contains(&c.id))
    {
        let (score, max) = score_criterion(c, kinds, answers, &mut criteria, shares.then_some(&mut maxima));
        raw_main = raw_main + score;
        raw_max = raw_max + max;
    }
    let all = if answers.not_applicable.is_empty() {
        Vec::new()
    } else {
        rubric.all_criteria()
    };
    for id in answers
        .not_applicable
        .iter()
        .filter(|id| all.iter().any(|c| &c.id == *id))
    {
        explanation.push(format!(
            "Tiêu chí {id} không áp dụng với cơ quan này (theo quyết định của cơ quan theo dõi); không tính vào điểm tối đa."
        ));
    }
    let (main, max) = match rubric.rescale_to {
        Some(scale) if raw_max > Points::ZERO && raw_max != scale => {
            let scaled =
                Points(((raw_main.0 as i128 * scale.0 as i128 + raw_max.0 as i128 / 2) / raw_max.0 as i128) as i64);
            explanation.push(format!(
                "Quy đổi về thang {scale} điểm vì tối đa của cơ quan này là {raw_max}: {raw_main} × {scale} / {raw_max} = {scaled}.",
            ));
            (scaled.clamp(Points::ZERO, scale), scale)
        }
        _ => (raw_main, raw_max),
    };
    let bonus = section_total(
        "Điểm cộng",
        &rubric.bonus,
        &answers.bonus,
        &answers.bonus_counts,
        &mut explanation,
    );
    let penalty = section_total(
        "Điểm trừ",
        &rubric.penalty,
        &answers.penalty,
        &answers.penalty_counts,
        &mut explanation,
    );
    let total = (main + bonus - penalty).clamp(Points::ZERO, max + rubric.bonus.cap);
    // The highest band whose threshold (for this kind) is reached and whose shares are met,
    // with those of every band below it: a higher band asks at least what a lower one does.
    let mut by_score = rubric.bands.len().saturating_sub(1);
    for (i, band) in rubric.bands.iter().enumerate() {
        if total < band.min_for(kinds) {
            continue;
        }
        let unmet = rubric.bands[i..]
            .iter()
            .find_map(|below| share_unmet(rubric, &band.title, below, kinds, answers, &criteria, &maxima));
        match unmet {
            Some(reason) => explanation.push(reason),
            None => {
                by_score = i;
                break;
            }
        }
    }
    let Some(reached) = rubric.bands.get(by_score) else {
        return Outcome {
            criteria,
            main,
            max,
            bonus,
            penalty,
            total,
            band_by_score: String::new(),
            band: String::new(),
            explanation,
        };
    };
    let threshold = reached.min_for(kinds);
    let per_kind = if threshold != reached.min {
        " (ngưỡng riêng cho loại cơ quan này)"
    } else {
        ""
    };
    explanation.insert(
        0,
        format!(
            "Tổng điểm {total}/{max} (tiêu chí {main}, cộng {bonus}, trừ {penalty}) đạt ngưỡng {threshold} điểm{per_kind} của mức \"{}\".",
            reached.title
        ),
    );
    let mut band = by_score;
    let mut not_classified = false;
    for veto in rubric.vetoes.iter().filter(|v| answers.vetoes.contains(&v.id)) {
        if veto.not_classified {
            not_classified = true;
            explanation.push(format!("Vướng điều kiện \"{}\": {NOT_CLASSIFIED_TITLE}.", veto.title));
            continue;
        }
        let Some(cap) = rubric.bands.iter().position(|b| b.code == veto.cap_band) else {
            continue;
        };
        if cap > band {
            band = cap;
        }
        explanation.push(format!(
            "Vướng điều kiện \"{}\": xếp loại không cao hơn mức \"{}\".",
            veto.title, rubric.bands[cap].title
        ));
    }
    Outcome {
        criteria,
        main,
        max,
        bonus,
        penalty,
        total,
        band_by_score: reached.code.clone(),
        band: if not_classified {
            NOT_CLASSIFIED.to_owned()
        } else {
            rubric.bands[band].code.clone()
        },
        explanation,
    }
}

/// One agency's place in its group.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<K> {
    pub key: K,
    /// 1-based; agencies equal on every ranking key share a rank ("1, 1, 3").
    pub rank: usize,
    pub outcome: Outcome,
}

/// Compares two outcomes for ranking: higher total first, then the rubric's tie-break.
pub fn compare(rubric: &Rubric, a: &Outcome, b: &Outcome) -> Ordering {
    b.total
        .cmp(&a.total)
        .then_with(|| deciding_rule(rubric, a, b).map_or(Ordering::Equal, |rule| rule_order(rule, a, b)))
}

/// How one tie-break rule orders two outcomes (`Less`: `a` first).
fn rule_order(rule: &TieBreak, a: &Outcome, b: &Outcome) -> Ordering {
    match rule {
        TieBreak::LessPenalty => a.penalty.cmp(&b.penalty),
        TieBreak::Criterion(id) => {
            let get = |o: &Outcome| o.criteria.get(id).copied().unwrap_or_default();
            get(b).cmp(&get(a))
        }
    }
}

/// How the note on a total separated from an equal one by the tie-break begins.
pub const TIE_NOTE: &str = "Bằng tổng điểm (";

/// The tie-break rule that orders two outcomes of equal total, if one does.
pub fn deciding_rule<'r>(rubric: &'r Rubric, a: &Outcome, b: &Outcome) -> Option<&'r TieBreak> {
    rubric
        .tie_break
        .iter()
        .find(|rule| rule_order(rule, a, b) != Ordering::Equal)
}

/// Ranks a group and applies the rubric's quota on the top band.
///
/// The order is total: equal agencies are listed by key so the table is the same every time,
/// but share a rank. The quota keeps at most `percent` of the group (rounded down) in its band;
/// the rest of those who reached it, and everyone tied at the cut, go to the next band down.
pub fn rank<K: Ord + Clone>(rubric: &Rubric, group: Vec<(K, Outcome)>) -> Vec<Ranked<K>> {
    let mut group = group;
    group.sort_by(|(ka, a), (kb, b)| compare(rubric, a, b).then_with(|| ka.cmp(kb)));
    let mut ranked: Vec<Ranked<K>> = Vec::with_capacity(group.len());
    for (i, (key, outcome)) in group.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some(previous) if compare(rubric, &previous.outcome, &outcome) == Ordering::Equal => previous.rank,
            _ => i + 1,
        };
        ranked.push(Ranked { key, rank, outcome });
    }
    // Equal totals that the tie-break separated: each says which rule placed it.
    for i in 1..ranked.len() {
        let (upper, lower) = (&ranked[i - 1], &ranked[i]);
        if upper.outcome.total != lower.outcome.total || upper.rank == lower.rank {
            continue;
        }
        let Some(rule) = deciding_rule(rubric, &upper.outcome, &lower.outcome) else {
            continue;
        };
        let total = upper.outcome.total;
        let (upper_rank, lower_rank) = (upper.rank, lower.rank);
        let (above, below) = match rule {
            TieBreak::LessPenalty => ("bị trừ ít điểm hơn".to_owned(), "bị trừ nhiều điểm hơn".to_owned()),
            TieBreak::Criterion(id) => (
                format!("điểm tiêu chí {id} cao hơn"),
                format!("điểm tiêu chí {id} thấp hơn"),
            ),
        };
        ranked[i - 1].outcome.explanation.push(format!(
            "{TIE_NOTE}{total} điểm) với cơ quan xếp thứ {lower_rank}; xếp trên vì {above}."
        ));
        ranked[i].outcome.explanation.push(format!(
            "{TIE_NOTE}{total} điểm) với cơ quan xếp thứ {upper_rank}; xếp dưới vì {below}."
        ));
    }
    for quota in &rubric.quotas {
        apply_quota(rubric, quota, &mut ranked);
    }
    ranked
}

/// Keeps at most `quota.percent` of the base (the classified agencies of the group, or those
/// placed in `of_band` or higher) in the quota's band; the rest of those who reached it, and
/// everyone tied at the cut, go to the next band down, and their explanation says so.
fn apply_quota<K>(rubric: &Rubric, quota: &Quota, ranked: &mut [Ranked<K>]) {
    let index = |code: &str| rubric.bands.iter().position(|b| b.code == code);
    let Some(quota_band) = index(&quota.band) else { return };
    let Some(next) = rubric.bands.get(quota_band + 1) else {
        return;
    };
    let classified = ranked.iter().filter(|r| r.outcome.band != NOT_CLASSIFIED).count();
    let (base, of_whom) = match quota.of_band.as_deref().and_then(index) {
        Some(of_index) => (
            ranked
                .iter()
                .filter(|r| index(&r.outcome.band).is_some_and(|i| i <= of_index))
                .count(),
            format!(
                "số cơ quan được xếp từ mức \"{}\" trở lên",
                rubric.bands[of_index].title
            ),
        ),
        None => (classified, "số cơ quan trong nhóm".to_owned()),
    };
    let allowed = base * quota.percent as usize / 100;
    let holders: Vec<usize> = (0..ranked.len())
        .filter(|&i| ranked[i].outcome.band == quota.band)
        .collect();
    if holders.len() <= allowed {
        return;
    }
    // Keep the first `allowed` holders, unless the last kept ties with the first dropped: then
    // the whole tie goes down, so the quota is never exceeded and ties stay equal.
    let mut keep = allowed;
    while keep > 0 && ranked[holders[keep - 1]].rank == ranked[holders[keep]].rank {
        keep -= 1;
    }
    let title = rubric.bands[quota_band].title.clone();
    for &i in &holders[keep..] {
        let place = ranked[i].rank;
        let outcome = &mut ranked[i].outcome;
        outcome.band = next.code.clone();
        outcome.explanation.push(format!(
            "Mức \"{title}\" chỉ dành cho tối đa {}% {of_whom} ({allowed}/{base}); xếp thứ {place} nên chuyển xuống mức \"{}\".",
            quota.percent, next.title
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::parse;
    use proptest::prelude::*;

    fn sample() -> Rubric {
        parse(include_str!("../../../rubrics/mau-dan-van-chinh-quyen.toml")).expect("sample rubric")
    }

    fn full_marks(rubric: &Rubric) -> Answers {
        let mut answers = Answers::default();
        for c in rubric.all_criteria() {
            let answer = match c.mode {
                Mode::YesNo => Answer::Yes(true),
                Mode::Deduction { .. } => Answer::Occurrences(0),
                _ => Answer::Points(c.max),
            };
            answers.criteria.insert(c.id.clone(), answer);
        }
        answers
    }

    /// Full marks less what it takes to reach `total` (from 60 to 100), taken from 5, 1.3 and 2.1.
    fn at_total(rubric: &Rubric, total: i64) -> Answers {
        let mut answers = full_marks(rubric);
        let mut deficit = (100 - total) * 100;
        for (id, max) in [("5", 1_000), ("1.3", 1_000), ("2.1", 2_000)] {
            let taken = deficit.min(max);
            answers.criteria.insert(id.into(), Answer::Points(Points(max - taken)));
            deficit -= taken;
        }
        answers
    }

    #[test]
    fn answers_are_stored_as_text_and_read_back() {
        for answer in [
            Answer::Points(Points(1_250)),
            Answer::Yes(true),
            Answer::Yes(false),
            Answer::Occurrences(3),
            Answer::NotApplicable,
        ] {
            assert_eq!(Answer::decode(&answer.encode()), Some(answer));
        }
        assert_eq!(Answer::decode("p:abc"), None);
        assert_eq!(Answer::decode("y:2"), None);
        assert_eq!(Answer::decode("1250"), None);
    }

    #[test]
    fn full_marks_are_the_maximum_and_excellent() {
        let rubric = sample();
        let outcome = score(&rubric, &["department"], &full_marks(&rubric));
        assert_eq!(outcome.total, Points(10_000));
        assert_eq!(outcome.band, "xuat_sac");
        assert!(outcome.explanation[0].contains("100/100"), "{:?}", outcome.explanation);
        let service = score(&rubric, &["service_unit"], &full_marks(&rubric));
        assert_eq!(service.total, Points(8_500));
        assert!(
            !service.criteria.contains_key("3.1"),
            "PAR index does not apply to service units"
        );
        assert_eq!(service.criteria["3"], Points(1_000));
    }

    #[test]
    fn deductions_floor_caps_and_vetoes() {
        let rubric = sample();
        let mut answers = full_marks(&rubric);
        answers.criteria.insert("3.2".into(), Answer::Occurrences(2));
        answers.bonus.insert("T1".into(), Points(300));
        answers.bonus.insert("T2".into(), Points(200));
        answers.bonus.insert("T3".into(), Points(900));
        let outcome = score(&rubric, &["department"], &answers);
        assert_eq!(outcome.criteria["3.2"], Points(600));
        assert_eq!(
            outcome.bonus,
            Points(500),
            "bonus capped at 5 and each item at its maximum"
        );
        assert_eq!(outcome.total, Points(10_100));
        answers.criteria.insert("3.2".into(), Answer::Occurrences(40));
        assert_eq!(score(&rubric, &["department"], &answers).criteria["3.2"], Points::ZERO);
        answers.vetoes.insert("KL1".into());
        let vetoed = score(&rubric, &["department"], &answers);
        assert_eq!(vetoed.band_by_score, "xuat_sac");
        assert_eq!(vetoed.band, "hoan_thanh");
        assert!(
            vetoed
                .explanation
                .iter()
                .any(|e| e.contains("Người đứng đầu bị kỷ luật")),
            "{:?}",
            vetoed.explanation
        );
    }

    #[test]
    fn the_quota_moves_the_excess_and_whole_ties_down() {
        let rubric = sample();
        let mut group = Vec::new();
        // Ten agencies: five at 95, 95, 93, 93, 91 and five at 60; the quota allows two.
        for (key, total) in [
            (1, 95),
            (2, 95),
            (3, 93),
            (4, 93),
            (5, 91),
            (6, 60),
            (7, 60),
            (8, 60),
            (9, 60),
            (10, 60),
        ] {
            let outcome = score(&rubric, &["department"], &at_total(&rubric, total));
            assert_eq!(outcome.total, Points(total * 100));
            group.push((key, outcome));
        }
        let ranked = rank(&rubric, group);
        let bands: Vec<(i32, usize, &str)> = ranked
            .iter()
            .map(|r| (r.key, r.rank, r.outcome.band.as_str()))
            .collect();
        assert_eq!(
            &bands[..5],
            &[
                (1, 1, "xuat_sac"),
                (2, 1, "xuat_sac"),
                (3, 3, "tot"),
                (4, 3, "tot"),
                (5, 5, "tot")
            ]
        );
        assert!(ranked[2].outcome.explanation.last().unwrap().contains("tối đa 20%"));
        assert_eq!(ranked[5].rank, 6);
        assert_eq!(ranked[9].rank, 6);
    }

    #[test]
    fn a_tie_at_the_quota_cut_goes_down_whole() {
        let rubric = sample();
        let low = score(&rubric, &["department"], &at_total(&rubric, 75));
        let top = score(&rubric, &["department"], &full_marks(&rubric));
        // Five agencies, quota one: two tie at the top, so neither can keep it.
        let group = vec![(1, top.clone()), (2, top), (3, low.clone()), (4, low.clone()), (5, low)];
        let ranked = rank(&rubric, group);
        assert_eq!(ranked[0].outcome.band, "tot");
        assert_eq!(ranked[1].outcome.band, "tot");
        assert!(ranked[2..].iter().all(|r| r.outcome.band == "tot" && r.rank == 3));
    }

    #[test]
    fn tie_break_prefers_the_smaller_penalty() {
        let rubric = sample();
        let mut a = full_marks(&rubric);
        a.criteria.insert("5".into(), Answer::Points(Points(500)));
        let mut b = full_marks(&rubric);
        b.penalty.insert("TR1".into(), Points(500));
        let (a, b) = (score(&rubric, &["department"], &a), score(&rubric, &["department"], &b));
        assert_eq!(a.total, b.total);
        let ranked = rank(&rubric, vec![("b", b), ("a", a)]);
        assert_eq!((ranked[0].key, ranked[0].rank, ranked[1].rank), ("a", 1, 2));
        // Both say which rule separated them.
        let note = |i: usize| {
            ranked[i]
                .outcome
                .explanation
                .iter()
                .find(|l| l.starts_with(TIE_NOTE))
                .cloned()
                .unwrap_or_default()
        };
        assert!(
            note(0).contains("xếp trên vì bị trừ ít điểm hơn"),
            "{:?}",
            ranked[0].outcome.explanation
        );
        assert!(
            note(1).contains("(95 điểm) với cơ quan xếp thứ 1; xếp dưới vì bị trừ nhiều điểm hơn"),
            "{}",
            note(1)
        );
    }

    fn answers_strategy() -> impl Strategy<Value = Answers> {
        let rubric = sample();
        let ids: Vec<(String, Mode)> = rubric
            .all_criteria()
            .iter()
            .map(|c| (c.id.clone(), c.mode.clone()))
            .collect();
        let n = ids.len();
        (
            proptest::collection::vec((-5_000i64..15_000, any::<bool>(), 0u32..20, any::<bool>()), n),
            proptest::collection::vec(-500i64..2_000, 3),
            proptest::collection::vec(-500i64..2_000, 2),
            proptest::collection::vec(any::<bool>(), 2),
        )
            .prop_map(move |(raw, bonus, penalty, vetoes)| {
                let mut answers = Answers::default();
                for ((id, mode), (points, yes, times, present)) in ids.iter().zip(raw) {
                    if !present {
                        continue;
                    }
                    let answer = match mode {
                        Mode::YesNo => Answer::Yes(yes),
                        Mode::Deduction { .. } => Answer::Occurrences(times),
                        _ => Answer::Points(Points(points)),
                    };
                    answers.criteria.insert(id.clone(), answer);
                }
                for (id, p) in ["T1", "T2", "T3"].iter().zip(bonus) {
                    answers.bonus.insert((*id).into(), Points(p));
                }
                for (id, p) in ["TR1", "TR2"].iter().zip(penalty) {
                    answers.penalty.insert((*id).into(), Points(p));
                }
                for (id, on) in ["KL1", "KL2"].iter().zip(vetoes) {
                    if on {
                        answers.vetoes.insert((*id).into());
                    }
                }
                answers
            })
    }

    fn kinds() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("department"), Just("service_unit"), Just("district_committee")]
    }

    proptest! {
        #[test]
        fn no_score_outside_its_bounds(answers in answers_strategy(), kind in kinds()) {
            let rubric = sample();
            let outcome = score(&rubric, &[kind], &answers);
            for c in rubric.all_criteria() {
                if let Some(s) = outcome.criteria.get(&c.id) {
                    prop_assert!(*s >= Points::ZERO && *s <= c.max_for(&[kind]), "{} = {}", c.id, s);
                }
            }
            prop_assert!(outcome.main <= outcome.max);
            prop_assert!(outcome.total >= Points::ZERO);
            prop_assert!(outcome.total <= outcome.max + rubric.bonus.cap);
            prop_assert!(outcome.bonus <= rubric.bonus.cap && outcome.penalty <= rubric.penalty.cap);
        }

        #[test]
        fn band_is_monotone_in_score_without_vetoes(mut a in answers_strategy(), mut b in answers_strategy()) {
            let rubric = sample();
            a.vetoes.clear();
            b.vetoes.clear();
            let (a, b) = (score(&rubric, &["department"], &a), score(&rubric, &["department"], &b));
            let index = |o: &Outcome| rubric.bands.iter().position(|x| x.code == o.band).unwrap();
            if a.total >= b.total {
                prop_assert!(index(&a) <= index(&b));
            } else {
                prop_assert!(index(&a) >= index(&b));
            }
        }

        #[test]
        fn ranking_is_a_total_order_consistent_with_scores(group in proptest::collection::vec(answers_strategy(), 1..25)) {
            let rubric = sample();
            let outcomes: Vec<(usize, Outcome)> = group.iter().enumerate().map(|(i, a)| (i, score(&rubric, &["department"], a))).collect();
            let ranked = rank(&rubric, outcomes);
            prop_assert_eq!(ranked.len(), group.len());
            let top = ranked.iter().filter(|r| r.outcome.band == "xuat_sac").count();
            prop_assert!(top <= group.len() * 20 / 100, "quota exceeded: {} of {}", top, group.len());
            for pair in ranked.windows(2) {
                let order = compare(&rubric, &pair[0].outcome, &pair[1].outcome);
                prop_assert!(order != Ordering::Greater, "out of order");
                prop_assert!(pair[0].outcome.total >= pair[1].outcome.total);
                if order == Ordering::Equal {
                    prop_assert_eq!(pair[0].rank, pair[1].rank);
                    prop_assert!(pair[0].key < pair[1].key);
                } else {
                    prop_assert!(pair[0].rank < pair[1].rank);
                }
            }
            let mut keys: Vec<usize> = ranked.iter().map(|r| r.key).collect();
            keys.sort_unstable();
            keys.dedup();
            prop_assert_eq!(keys.len(), group.len(), "every agency once");
        }
    }
}
