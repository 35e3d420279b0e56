//! The editor's rows against the rubrics they hold: shown and posted back unchanged, moved,
//! added, removed, and scored on made-up answers.
use super::*;
use danvan_domain::rubric;
use danvan_domain::scoring;

const SAMPLE: &str = include_str!("../../../../../rubrics/mau-dan-van-chinh-quyen.toml");
const MECHANISMS: &str = include_str!("../../../../../rubrics/examples/co-che-day-du.toml");

/// The form a browser would post for a draft, every row filled as shown.
fn posted(d: &Draft) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: &str| f.push((k, v.to_owned()));
    let h = &d.head;
    for (k, v) in [
        ("code", &h.code),
        ("title", &h.title),
        ("decision", &h.decision),
        ("valid_from", &h.valid_from),
        ("valid_to", &h.valid_to),
        ("rescale_to", &h.rescale_to),
        ("tie_break", &h.tie_break),
        ("bonus_cap", &h.bonus_cap),
        ("penalty_cap", &h.penalty_cap),
    ] {
        put(k.into(), v);
    }
    if h.sample {
        put("sample".into(), "1");
    }
    for (i, c) in d.criteria.iter().enumerate() {
        for (k, v) in [
            ("order", &c.order),
            ("id", &c.id),
            ("parent", &c.parent),
            ("title", &c.title),
            ("guidance", &c.guidance),
            ("max", &c.max),
            ("maxfor", &c.max_for),
            ("mode", &c.mode),
            ("per", &c.per),
            ("floor", &c.floor),
            ("rule", &c.rule),
            ("params", &c.params),
            ("scoredby", &c.scored_by),
            ("applies", &c.applies_to),
        ] {
            put(format!("c{i}_{k}"), v);
        }
        if c.evidence {
            put(format!("c{i}_evidence"), "1");
        }
    }
    for (i, it) in d.items.iter().enumerate() {
        for (k, v) in [
            ("section", &it.section),
            ("id", &it.id),
            ("title", &it.title),
            ("max", &it.max),
            ("per", &it.per),
        ] {
            put(format!("i{i}_{k}"), v);
        }
    }
    for (i, v) in d.vetoes.iter().enumerate() {
        for (k, val) in [("id", &v.id), ("title", &v.title), ("effect", &v.effect)] {
            put(format!("v{i}_{k}"), val);
        }
    }
    for (i, b) in d.bands.iter().enumerate() {
        for (k, v) in [
            ("code", &b.code),
            ("title", &b.title),
            ("min", &b.min),
            ("minfor", &b.min_for),
            ("minshare", &b.min_share),
            ("minshares", &b.min_shares),
            ("color", &b.color),
        ] {
            put(format!("b{i}_{k}"), v);
        }
    }
    for (i, q) in d.quotas.iter().enumerate() {
        for (k, v) in [("band", &q.band), ("percent", &q.percent), ("of", &q.of_band)] {
            put(format!("q{i}_{k}"), v);
        }
    }
    f
}

#[test]
fn a_rubric_shown_in_the_editor_and_posted_back_unchanged_is_the_same_rubric() {
    for source in [SAMPLE, MECHANISMS] {
        let rubric = rubric::parse(source).unwrap();
        let draft = Draft::from_rubric(&rubric).with_blank_rows();
        let back = Draft::from_form(&posted(&draft))
            .to_rubric()
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back, rubric);
    }
}

#[test]
fn rows_are_moved_by_their_order_added_in_blank_rows_and_removed_with_their_box() {
    let rubric = rubric::parse(SAMPLE).unwrap();
    let draft = Draft::from_rubric(&rubric).with_blank_rows();
    let mut form = posted(&draft);
    let set = |form: &mut Vec<(String, String)>, key: &str, value: &str| {
        for (k, v) in form.iter_mut() {
            if k == key {
                *v = value.to_owned();
            }
        }
    };
    // Criterion 5 (the 12th row, index 11) moves first; 1.3 (index 3) is removed; a new
    // criterion 6 goes in the first blank row.
    let five = draft.criteria.iter().position(|c| c.id == "5").unwrap();
    set(&mut form, &format!("c{five}_order"), "0");
    let thirteen = draft.criteria.iter().position(|c| c.id == "1.3").unwrap();
    form.push((format!("c{thirteen}_remove"), "1".into()));
    let blank = draft.criteria.iter().position(|c| c.id.is_empty()).unwrap();
    set(&mut form, &format!("c{blank}_id"), "6");
    set(&mut form, &format!("c{blank}_title"), "Tiêu chí mới");
    set(&mut form, &format!("c{blank}_max"), "5");
    let back = Draft::from_form(&form).to_rubric().unwrap();
    let top: Vec<&str> = back.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(top, ["5", "1", "2", "3", "4", "6"]);
    assert!(back.all_criteria().iter().all(|c| c.id != "1.3"));
    // A parent that does not exist, and unreadable numbers, are named.
    set(&mut form, &format!("c{blank}_parent"), "9");
    set(&mut form, &format!("c{blank}_max"), "năm");
    let errors = Draft::from_form(&form).to_rubric().unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Tiêu chí 6, điểm tối đa: \"năm\" không phải số")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Tiêu chí 6: không có tiêu chí cấp trên \"9\"")),
        "{errors:?}"
    );
}

#[test]
fn a_trial_scores_the_made_up_answers() {
    let rubric = rubric::parse(MECHANISMS).unwrap();
    let mut draft = Draft::from_rubric(&rubric);
    for c in &mut draft.criteria {
        c.trial = match c.id.as_str() {
            "A.1" | "A.2" => "20".into(),
            "B.1" | "B.3" => "10".into(),
            "B.2" => "có".into(),
            "C.1" => "1".into(),
            "C.2" => "15".into(),
            _ => String::new(),
        };
    }
    draft.items[0].trial = "5".into();
    let outcome = scoring::score(&rubric, &["department"], &draft.trial(&rubric));
    assert_eq!(outcome.total, Points(9_800));
    assert_eq!(outcome.bonus, Points(300));
}

#[test]
fn nothing_typed_is_dropped_and_an_unreadable_order_is_said() {
    let rubric = rubric::parse(SAMPLE).unwrap();
    let draft = Draft::from_rubric(&rubric).with_blank_rows();
    let blank = draft.criteria.iter().position(|c| c.id.is_empty()).unwrap();
    // Only a parent typed in a blank row: the row is kept, and what it lacks is named.
    let mut form = posted(&draft);
    for (k, v) in form.iter_mut() {
        if *k == format!("c{blank}_parent") {
            *v = "1".into();
        }
    }
    let errors = Draft::from_form(&form).to_rubric().unwrap_err();
    assert!(
        errors.iter().any(|e| e.contains("điểm tối đa: chưa nhập")),
        "{errors:?}"
    );
    // An order that is not a number.
    let mut form = posted(&draft);
    for (k, v) in form.iter_mut() {
        if k == "c0_order" {
            *v = "đầu".into();
        }
    }
    let errors = Draft::from_form(&form).to_rubric().unwrap_err();
    assert!(
        errors.iter().any(|e| e.contains("thứ tự \"đầu\" không phải số")),
        "{errors:?}"
    );
    // A quota with a percent but no band is not dropped either.
    let mut form = posted(&draft);
    let q = draft.quotas.len() - 1;
    for (k, v) in form.iter_mut() {
        if *k == format!("q{q}_percent") {
            *v = "30".into();
        }
    }
    let kept = Draft::from_form(&form).to_rubric().unwrap();
    assert_eq!(kept.quotas.len(), rubric.quotas.len() + 1);
    assert!(
        rubric::check(&rubric::to_toml(&kept), Some(&[])).is_err(),
        "then named by the checker"
    );
}
