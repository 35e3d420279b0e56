//! The rubric file's checker against real mistakes: every message in Vietnamese with its line,
//! warnings, the round trip through `to_toml`.
use super::*;
use crate::rubric::to_toml;

const SAMPLE: &str = include_str!("../../../../rubrics/mau-dan-van-chinh-quyen.toml");
const MECHANISMS: &str = include_str!("../../../../rubrics/examples/co-che-day-du.toml");

fn messages(text: &str, groups: Option<&[&str]>) -> Vec<String> {
    check(text, groups)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_mechanism_of_the_example_reads_without_a_warning() {
    let checked = check(MECHANISMS, Some(&[])).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    let r = checked.rubric;
    assert!(r.is_draft() && r.sample);
    assert_eq!(r.rescale_to, Some(Points(10_000)));
    assert_eq!(r.max_for(&["department"]), Points(10_000));
    assert_eq!(r.max_for(&["commune_committee"]), Points(9_000));
    assert_eq!(r.bonus.items[0].per, Some(Points(100)));
    assert!(r.vetoes[1].not_classified && r.vetoes[1].cap_band.is_empty());
    assert_eq!(r.bands[0].min_for(&["commune_committee"]), Points(8_500));
    assert_eq!(r.bands[0].min_share, Some(70));
    assert_eq!(r.bands[1].min_shares.get("C"), Some(&50));
    assert_eq!(
        r.quotas
            .iter()
            .map(|q| (q.band.as_str(), q.of_band.as_deref()))
            .collect::<Vec<_>>(),
        [("xuat_sac", Some("tot")), ("tot", None)]
    );
}

#[test]
fn a_file_exported_imported_and_exported_again_is_the_same_rubric() {
    for source in [SAMPLE, MECHANISMS] {
        let first = parse(source).unwrap();
        let exported = to_toml(&first);
        let again = parse(&exported).unwrap_or_else(|e| panic!("{e:?}\n{exported}"));
        assert_eq!(again, first);
        assert_eq!(to_toml(&again), exported);
    }
}

#[test]
fn unknown_kinds_and_groups_are_errors_with_their_line_and_the_known_names() {
    let misspelt = SAMPLE.replace(
        "applies_to = [\"department\", \"district_committee\"]",
        "applies_to = [\"department\", \"district_comittee\"]",
    );
    let shown = messages(&misspelt, Some(&["SBN"]));
    assert!(
        shown.iter().any(|m| m.starts_with(
            "dòng 75: tiêu chí 3.1: applies_to: \"district_comittee\" không phải loại cơ quan hay mã nhóm nào"
        ) && m.contains("district_committee")
            && m.contains("SBN")),
        "{shown:?}"
    );
    // A group of the province is accepted; without a database it is only a warning.
    let grouped = SAMPLE.replace(
        "max_for = { service_unit = 10, provincial_committee = 10, commune_committee = 10, other = 10 }",
        "max_for = { KHOI_XA = 10 }",
    );
    assert!(check(&grouped, Some(&["KHOI_XA"])).is_ok());
    assert!(!messages(&grouped, Some(&["SBN"])).is_empty());
    let offline = check(&grouped, None).unwrap();
    assert!(
        offline.warnings.iter().any(|w| w.message.contains("KHOI_XA")),
        "{:?}",
        offline.warnings
    );
    let band_kind = MECHANISMS.replace("min_for = { commune_committee = 85 }", "min_for = { comune = 85 }");
    assert!(
        messages(&band_kind, Some(&[]))
            .iter()
            .any(|m| m.contains("mức \"xuat_sac\": min_for: \"comune\""))
    );
}

#[test]
fn children_that_do_not_add_up_to_their_parent_are_warned_about() {
    // The case: a district maximum of 25 over children adding to 20.
    let text = SAMPLE.replace(
        "max_for = { service_unit = 10, provincial_committee = 10, commune_committee = 10, other = 10 }",
        "max_for = { service_unit = 10, district_committee = 30 }",
    );
    let checked = check(&text, Some(&[])).unwrap();
    assert!(
        checked.warnings.iter().any(|w| w.line == 69
            && w.message.contains(
                "tiêu chí 3 (với district_committee): các tiêu chí thành phần cộng lại 25 điểm, khác điểm tối đa 30"
            )),
        "{:?}",
        checked.warnings
    );
    let less = SAMPLE.replacen(
        "max = 20\n\n[[criteria.children]]\nid = \"1.1\"",
        "max = 25\n\n[[criteria.children]]\nid = \"1.1\"",
        1,
    );
    let checked = check(&less, Some(&[])).unwrap();
    assert!(checked.warnings.iter().any(|w| w.message.contains("tiêu chí 1: các tiêu chí thành phần cộng lại 20 điểm, khác điểm tối đa 25; tiêu chí này chỉ đạt được 20 điểm")), "{:?}", checked.warnings);
    assert!(check(SAMPLE, Some(&[])).unwrap().warnings.is_empty());
}

#[test]
fn the_toml_readers_messages_come_out_in_vietnamese_with_their_line() {
    let english = [
        "missing",
        "field",
        "expected",
        "invalid",
        "unknown",
        "string",
        "f64",
        "TOML parse",
    ];
    let cases = [
        ("# trống\n", 0usize, "thiếu khóa bắt buộc \"rubric\""),
        (
            "[rubric]\ncode = \"X\"\ntitle = \"x\"\nvalid_from = \"2025-01-01\"\nof_band = \"tot\"\n",
            5,
            "khóa \"of_band\" không có trong định dạng",
        ),
        (
            "[rubric]\ncode = \"X\"\ntitle = \"x\"\nvalid_from = \"2025-01-01\"\n[[criteria]]\nid = \"1\"\ntitle = \"a\"\nmax = \"mười\"\n",
            8,
            "cần một số",
        ),
        ("[rubric\ncode = 1\n", 1, "sai cú pháp TOML"),
        ("[rubric]\ncode = \"X\"\ncode = \"Y\"\n", 3, "khai báo hai lần"),
    ];
    for (text, line, wanted) in cases {
        let errors = check(text, Some(&[])).unwrap_err();
        let shown = errors[0].to_string();
        assert!(shown.contains(wanted), "{text:?}: {shown}");
        if line > 0 {
            assert_eq!(errors[0].line, line, "{text:?}: {shown}");
        }
        let message = &errors[0].message;
        assert!(!english.iter().any(|w| message.contains(w)), "{text:?}: {message}");
    }
}

#[test]
fn quotas_vetoes_and_shares_are_checked() {
    let bad = MECHANISMS
        .replace("of_band = \"tot\"", "of_band = \"khong_co\"")
        .replace("min_shares = { \"C\" = 50 }", "min_shares = { \"Z\" = 150 }")
        .replace("not_classified = true", "not_classified = true\ncap_band = \"tot\"");
    let shown = messages(&bad, Some(&[]));
    for wanted in [
        "of_band \"khong_co\" không có trong [[bands]]",
        "min_shares nêu tiêu chí \"Z\" không có trong tệp",
        "tỷ lệ tối thiểu phải từ 1 đến 100",
        "chọn một trong hai, cap_band hoặc not_classified = true",
    ] {
        assert!(shown.iter().any(|m| m.contains(wanted)), "{wanted}: {shown:?}");
    }
    // Empty ids, and a tie-break naming a bonus line rather than a criterion.
    let empty = MECHANISMS.replace("id = \"A.2\"", "id = \"\"").replace(
        "tie_break = [\"less_penalty\", \"criterion:A\"]",
        "tie_break = [\"criterion:T1\"]",
    );
    let shown = messages(&empty, Some(&[]));
    assert!(shown.iter().any(|m| m.contains("chưa có mã tiêu chí")), "{shown:?}");
    assert!(
        shown.iter().any(|m| m.contains("tie_break \"criterion:T1\"")),
        "{shown:?}"
    );
    let lowest = MECHANISMS.replace("code = \"xuat_sac\"", "code = \"khong_hoan_thanh\"");
    assert!(messages(&lowest, Some(&[])).iter().any(|m| m.contains("bị trùng")));
}
