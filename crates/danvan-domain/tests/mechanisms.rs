//! The scoring engine on a rubric that uses every mechanism of the format
//! (`rubrics/examples/co-che-day-du.toml`): rescaling, maximums and thresholds per kind of
//! agency, points per occurrence with caps, "not classified", minimum shares, quotas relative to
//! a band and to the group, criteria the monitor rules out. Each mechanism that applies is named
//! in the explanation.

use std::collections::BTreeSet;

use danvan_domain::rubric::{NOT_CLASSIFIED, Points, Rubric, parse};
use danvan_domain::scoring::{Answer, Answers, Outcome, rank, score};
use proptest::prelude::*;

const MECHANISMS: &str = include_str!("../../../rubrics/examples/co-che-day-du.toml");

fn rubric() -> Rubric {
    parse(MECHANISMS).expect("the example rubric reads")
}

/// Full marks on every criterion the agency can score.
fn full() -> Answers {
    let mut answers = Answers::default();
    for (id, answer) in [
        ("A.1", Answer::Points(Points(2_000))),
        ("A.2", Answer::Points(Points(2_000))),
        ("B.1", Answer::Points(Points(1_000))),
        ("B.2", Answer::Yes(true)),
        ("B.3", Answer::Points(Points(1_000))),
        ("C.1", Answer::Occurrences(0)),
        ("C.2", Answer::Points(Points(1_500))),
    ] {
        answers.criteria.insert(id.into(), answer);
    }
    answers
}

fn with(mut answers: Answers, id: &str, answer: Answer) -> Answers {
    answers.criteria.insert(id.into(), answer);
    answers
}

fn explained(outcome: &Outcome, needle: &str) -> bool {
    outcome.explanation.iter().any(|line| line.contains(needle))
}

#[test]
fn a_commune_without_some_criteria_is_rescaled_to_100_and_told_so() {
    let r = rubric();
    let commune = score(&r, &["commune_committee"], &full());
    assert_eq!(
        (commune.main, commune.max, commune.total),
        (Points(10_000), Points(10_000), Points(10_000))
    );
    assert!(
        explained(
            &commune,
            "Quy đổi về thang 100 điểm vì tối đa của cơ quan này là 90: 90 × 100 / 90 = 100."
        ),
        "{:?}",
        commune.explanation
    );
    // 72 of 90 is 80 of 100.
    let partial = score(
        &r,
        &["commune_committee"],
        &with(full(), "C.2", Answer::Points(Points(0))),
    );
    assert_eq!(partial.main, Points(8_333));
    // A department scores on 100 already: nothing to rescale, nothing said.
    let department = score(&r, &["department"], &full());
    assert_eq!(department.total, Points(10_000));
    assert!(!explained(&department, "Quy đổi"));
}

#[test]
fn a_criterion_the_monitor_rules_out_leaves_the_maximum_and_is_named() {
    let r = rubric();
    let mut answers = with(full(), "A.2", Answer::Points(Points(0)));
    answers.not_applicable.insert("A.2".into());
    let outcome = score(&r, &["department"], &answers);
    assert!(!outcome.criteria.contains_key("A.2"));
    assert_eq!(
        outcome.criteria["A"],
        Points(2_000),
        "A's maximum is now its remaining child's"
    );
    assert_eq!(outcome.total, Points(10_000), "80 of 80, rescaled");
    assert!(explained(&outcome, "Tiêu chí A.2 không áp dụng với cơ quan này"));
    assert!(
        explained(
            &outcome,
            "Quy đổi về thang 100 điểm vì tối đa của cơ quan này là 80: 80 × 100 / 80 = 100."
        ),
        "{:?}",
        outcome.explanation
    );
}

#[test]
fn points_per_occurrence_are_capped_per_line_and_per_section_and_said() {
    let r = rubric();
    let mut answers = with(full(), "A.1", Answer::Points(Points(1_000)));
    answers.bonus_counts.insert("T1".into(), 5);
    answers.bonus.insert("T2".into(), Points(200));
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.bonus, Points(500), "3 (5 × 1 capped at 3) + 2");
    assert!(
        explained(
            &outcome,
            "Điểm cộng \"Mô hình \"Dân vận khéo\" được công nhận\": 5 lần × 1 = 5 điểm, giới hạn ở 3 điểm."
        ),
        "{:?}",
        outcome.explanation
    );
    answers.penalty_counts.insert("P1".into(), 2);
    answers.penalty.insert("P2".into(), Points(400));
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.penalty, Points(800), "2 × 2 + 4");
    assert!(explained(&outcome, "2 lần × 2 = 4 điểm."));
    answers.penalty_counts.insert("P1".into(), 9);
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.penalty, Points(1_000), "6 (capped) + 4, the section's cap");
    assert!(!explained(&outcome, "vượt mức tối đa của phần"), "exactly at the cap");
}

#[test]
fn a_band_needs_its_minimum_share_of_each_criterion() {
    let r = rubric();
    // 91 points with the bonus, but A at 26 of 40 (65 %): not excellent (70 % of each
    // criterion), good.
    let mut answers = with(full(), "A.1", Answer::Points(Points(600)));
    answers.bonus_counts.insert("T1".into(), 3);
    answers.bonus.insert("T2".into(), Points(200));
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.total, Points(9_100));
    assert_eq!(outcome.band, "tot");
    assert!(
        explained(
            &outcome,
            "Chưa đạt mức \"Hoàn thành xuất sắc nhiệm vụ\": tiêu chí A đạt 26/40 điểm (65%), dưới mức tối thiểu 70%."
        ),
        "{:?}",
        outcome.explanation
    );
    // At exactly its share (28 of 40), the same kind of total is excellent.
    let mut answers = with(full(), "A.1", Answer::Points(Points(800)));
    answers.bonus_counts.insert("T1".into(), 3);
    let outcome = score(&r, &["department"], &answers);
    assert_eq!((outcome.total, outcome.band.as_str()), (Points(9_100), "xuat_sac"));
    assert!(!explained(&outcome, "Chưa đạt mức"));
    // "Good" needs half of C: 80 points with C at 10 of 30 is only "completed".
    let answers = with(
        with(full(), "C.1", Answer::Occurrences(3)),
        "C.2",
        Answer::Points(Points(1_000)),
    );
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.total, Points(8_000));
    assert_eq!(outcome.band, "hoan_thanh");
    assert!(
        explained(&outcome, "tiêu chí C đạt 10/30 điểm (33%), dưới mức tối thiểu 50%"),
        "{:?}",
        outcome.explanation
    );
}

#[test]
fn a_higher_band_asks_at_least_the_shares_of_a_lower_one() {
    // Excellent from 75 without shares of its own; "good" asks half of A.
    let text = MECHANISMS
        .replace(
            "min = 90\nmin_for = { commune_committee = 85 }\nmin_share = 70\n",
            "min = 75\n",
        )
        .replace("min_shares = { \"C\" = 50 }", "min_shares = { \"A\" = 50 }");
    let r = parse(&text).unwrap();
    assert_eq!(r.bands[0].min, Points(7_500));
    let answers = with(
        with(full(), "A.1", Answer::Points(Points(1_500))),
        "A.2",
        Answer::Points(Points(0)),
    );
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.total, Points(7_500));
    assert_eq!(outcome.band, "hoan_thanh");
    assert!(
        explained(
            &outcome,
            "Chưa đạt mức \"Hoàn thành xuất sắc nhiệm vụ\": tiêu chí A đạt 15/40 điểm (37%), dưới mức tối thiểu 50%."
        ),
        "{:?}",
        outcome.explanation
    );
}

#[test]
fn thresholds_differ_by_kind_of_agency() {
    let r = rubric();
    // 87 of 100 (after rescaling for the commune): excellent for a commune (85), good for a
    // department (90).
    let shared = with(
        with(full(), "A.2", Answer::Points(Points(1_400))),
        "B.1",
        Answer::Points(Points(600)),
    );
    let commune = score(
        &r,
        &["commune_committee"],
        &with(shared.clone(), "C.2", Answer::Points(Points(1_330))),
    );
    assert_eq!(commune.total, Points(8_700));
    assert_eq!(commune.band, "xuat_sac");
    assert!(
        explained(&commune, "đạt ngưỡng 85 điểm (ngưỡng riêng cho loại cơ quan này)"),
        "{:?}",
        commune.explanation
    );
    let department = score(&r, &["department"], &with(shared, "C.2", Answer::Points(Points(1_200))));
    assert_eq!(department.total, Points(8_700));
    assert_eq!(department.band, "tot");
}

#[test]
fn a_not_classified_condition_leaves_no_band_and_says_why() {
    let r = rubric();
    let mut answers = full();
    answers.vetoes.insert("V2".into());
    let outcome = score(&r, &["department"], &answers);
    assert_eq!(outcome.band, NOT_CLASSIFIED);
    assert_eq!(r.band_title(&outcome.band), "Không đủ điều kiện xếp loại");
    assert!(explained(&outcome, "Không đủ điều kiện xếp loại"));
    answers.vetoes = BTreeSet::from(["V1".to_owned()]);
    assert_eq!(score(&r, &["department"], &answers).band, "hoan_thanh");
}

#[test]
fn two_quotas_one_counted_against_another_band() {
    let r = rubric();
    // Ten departments: four excellent (98, 96, 94, 92), three good (84, 82, 80), three at 60.
    let at = |total: i64| {
        // Take points from C.2 (15) then A.2 (20): shares stay above the bands' minimums.
        let deficit = (100 - total) * 100;
        let from_c = deficit.min(500);
        let from_a = (deficit - from_c).min(2_000);
        let from_b = deficit - from_c - from_a;
        let answers = with(full(), "C.2", Answer::Points(Points(1_500 - from_c)));
        let answers = with(answers, "A.2", Answer::Points(Points(2_000 - from_a)));
        with(answers, "B.1", Answer::Points(Points(1_000 - from_b)))
    };
    let mut group = Vec::new();
    for (key, total) in [
        (1, 98),
        (2, 96),
        (3, 94),
        (4, 92),
        (5, 84),
        (6, 82),
        (7, 80),
        (8, 71),
        (9, 71),
        (10, 71),
    ] {
        let outcome = score(&r, &["department"], &at(total));
        assert_eq!(outcome.total, Points(total * 100), "{total}: {:?}", outcome.explanation);
        group.push((key, outcome));
    }
    let bands_before: Vec<String> = group.iter().map(|(_, o)| o.band.clone()).collect();
    assert_eq!(bands_before.iter().filter(|b| *b == "xuat_sac").count(), 4);
    let ranked = rank(&r, group);
    let bands: Vec<(i32, &str)> = ranked.iter().map(|x| (x.key, x.outcome.band.as_str())).collect();
    // Excellent: at most 20 % of the 10 rated good or better → 2; then good: at most 50 % of
    // the group → 5, so the two lowest "good" go down.
    assert_eq!(
        bands,
        [
            (1, "xuat_sac"),
            (2, "xuat_sac"),
            (3, "tot"),
            (4, "tot"),
            (5, "tot"),
            (6, "tot"),
            (7, "tot"),
            (8, "hoan_thanh"),
            (9, "hoan_thanh"),
            (10, "hoan_thanh")
        ]
    );
    assert!(
        ranked[2]
            .outcome
            .explanation
            .iter()
            .any(|l| l.contains("tối đa 20% số cơ quan được xếp từ mức \"Hoàn thành tốt nhiệm vụ\" trở lên (2/10)")),
        "{:?}",
        ranked[2].outcome.explanation
    );
    assert!(
        ranked[7]
            .outcome
            .explanation
            .iter()
            .any(|l| l.contains("tối đa 50% số cơ quan trong nhóm (5/10)")),
        "{:?}",
        ranked[7].outcome.explanation
    );
}

fn answers() -> impl Strategy<Value = (Answers, &'static str)> {
    let ids = ["A.1", "A.2", "B.1", "B.2", "B.3", "C.1", "C.2"];
    (
        // Mostly high scores (clamped at each maximum), so that quotas bite.
        proptest::collection::vec(
            (
                -500i64..8_000,
                proptest::bool::weighted(0.8),
                0u32..3,
                proptest::bool::weighted(0.95),
            ),
            ids.len(),
        ),
        (0u32..10, 0u32..10, -100i64..600, -100i64..600),
        proptest::collection::vec(proptest::bool::weighted(0.1), 2),
        proptest::collection::vec(proptest::bool::weighted(0.1), ids.len()),
        prop_oneof![
            Just("department"),
            Just("commune_committee"),
            Just("district_committee")
        ],
    )
        .prop_map(move |(raw, (t1, p1, t2, p2), vetoes, ruled_out, kind)| {
            let mut a = Answers::default();
            for ((id, (points, yes, times, present)), out) in ids.iter().zip(raw).zip(ruled_out) {
                if present {
                    let answer = match *id {
                        "B.2" => Answer::Yes(yes),
                        "C.1" => Answer::Occurrences(times),
                        _ => Answer::Points(Points(points)),
                    };
                    a.criteria.insert((*id).into(), answer);
                }
                if out && times == 0 {
                    a.not_applicable.insert((*id).into());
                }
            }
            a.bonus_counts.insert("T1".into(), t1);
            a.penalty_counts.insert("P1".into(), p1);
            a.bonus.insert("T2".into(), Points(t2));
            a.penalty.insert("P2".into(), Points(p2));
            for (id, on) in ["V1", "V2"].iter().zip(vetoes) {
                if on {
                    a.vetoes.insert((*id).into());
                }
            }
            (a, kind)
        })
}

proptest! {
    #[test]
    fn no_figure_leaves_its_bounds_whatever_the_answers((answers, kind) in answers()) {
        let r = rubric();
        let outcome = score(&r, &[kind], &answers);
        let scale = r.rescale_to.unwrap();
        prop_assert!(outcome.main >= Points::ZERO && outcome.main <= outcome.max);
        if r.max_without(&[kind], &answers.not_applicable) > Points::ZERO {
            prop_assert_eq!(outcome.max, scale);
        }
        prop_assert!(outcome.bonus >= Points::ZERO && outcome.bonus <= r.bonus.cap);
        prop_assert!(outcome.penalty >= Points::ZERO && outcome.penalty <= r.penalty.cap);
        prop_assert!(outcome.total >= Points::ZERO && outcome.total <= outcome.max + r.bonus.cap);
        for c in r.all_criteria() {
            if let Some(s) = outcome.criteria.get(&c.id) {
                prop_assert!(*s >= Points::ZERO && *s <= c.effective_max(&[kind], &answers.not_applicable));
                prop_assert!(!answers.not_applicable.contains(&c.id), "ruled out but scored: {}", c.id);
            }
        }
    }

    #[test]
    fn the_band_is_the_highest_whose_threshold_and_shares_hold((answers, kind) in answers()) {
        let r = rubric();
        let outcome = score(&r, &[kind], &answers);
        if answers.vetoes.contains("V2") {
            prop_assert_eq!(outcome.band.as_str(), NOT_CLASSIFIED);
            return Ok(());
        }
        prop_assert_ne!(outcome.band.as_str(), NOT_CLASSIFIED);
        let reached = r.bands.iter().position(|b| b.code == outcome.band_by_score).unwrap();
        let band = &r.bands[reached];
        prop_assert!(outcome.total >= band.min_for(&[kind]));
        // No higher band had both its threshold and its shares: each one passed over is either
        // out of reach or named in the explanation.
        for higher in &r.bands[..reached] {
            prop_assert!(
                outcome.total < higher.min_for(&[kind])
                    || outcome.explanation.iter().any(|l| l.contains(&format!("Chưa đạt mức \"{}\"", higher.title))),
                "{:?}", outcome.explanation
            );
        }
        // The band reached meets its shares and those of every band below it.
        let all = r.all_criteria();
        for below in &r.bands[reached..] {
            let top_level: Vec<(String, u32)> = below
                .min_share
                .map(|share| r.criteria.iter().map(|c| (c.id.clone(), share)).collect())
                .unwrap_or_default();
            for (id, share) in top_level.into_iter().chain(below.min_shares.clone()) {
                let (Some(score), Some(c)) = (outcome.criteria.get(&id), all.iter().find(|c| c.id == id)) else { continue };
                let max = c.effective_max(&[kind], &answers.not_applicable);
                prop_assert!(max.0 <= 0 || score.0 * 100 >= max.0 * i64::from(share), "{} short of {}% for {}", id, share, below.code);
            }
        }
        let placed = r.bands.iter().position(|b| b.code == outcome.band).unwrap();
        prop_assert!(placed >= reached, "a condition never raises the band");
        if answers.vetoes.contains("V1") {
            prop_assert!(placed >= r.bands.iter().position(|b| b.code == "hoan_thanh").unwrap());
        }
    }

    #[test]
    fn quotas_are_never_exceeded(group in proptest::collection::vec(answers(), 1..30)) {
        let r = rubric();
        let outcomes: Vec<(usize, Outcome)> =
            group.iter().enumerate().map(|(i, (a, kind))| (i, score(&r, &[*kind], a))).collect();
        let ranked = rank(&r, outcomes);
        let count = |band: &str| ranked.iter().filter(|x| x.outcome.band == band).count();
        let classified = ranked.iter().filter(|x| x.outcome.band != NOT_CLASSIFIED).count();
        prop_assert!(count("tot") <= classified * 50 / 100);
        // The base of the first quota: those rated good or better before the second moved some.
        let moved_from_good = ranked
            .iter()
            .filter(|x| x.outcome.explanation.iter().any(|l| l.starts_with("Mức \"Hoàn thành tốt nhiệm vụ\" chỉ dành")))
            .count();
        prop_assert!(count("xuat_sac") <= (count("xuat_sac") + count("tot") + moved_from_good) * 20 / 100);
        prop_assert_eq!(ranked.iter().filter(|x| x.outcome.band == NOT_CLASSIFIED).count(),
            group.iter().filter(|(a, _)| a.vetoes.contains("V2")).count());
    }
}
