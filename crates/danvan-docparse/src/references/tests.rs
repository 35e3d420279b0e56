use super::citation::{CITATION, CITATION_AT_START, LONGEST_TYPE_WORD, TYPE_WORDS, citation_parts, citation_spans};
use super::lists::{LIST, described_item, may_list};
use super::names::{body_named, issuer_after};
use super::phrases::{
    BOUNDED_AT, BOUNDED_HAS, BOUNDED_PAREN, BOUNDED_PASSIVE, BOUNDED_VERB_AT, ISSUER_BEFORE_AT, ISSUER_BEFORE_HAS,
    ISSUER_BEFORE_PAREN, ISSUER_BEFORE_VERB_AT, MayMatch, PASSIVE_BEFORE, issuer_before,
};
use super::*;

proptest::proptest! {
    #[test]
    fn citation_spans_are_the_pattern_s_matches(text in "[0-9０-９a-zA-ZđĐốỐ./\\- \u{a0}&–\n]{0,40}") {
        let spans: Vec<_> = citation_spans(&text).collect();
        let found: Vec<_> = CITATION.find_iter(&text).map(|m| m.range()).collect();
        proptest::prop_assert_eq!(&spans, &found);
        for span in spans {
            let caps = CITATION_AT_START.captures(&text[span.clone()]).expect("a match");
            proptest::prop_assert_eq!(
                citation_parts(&text[span]),
                Some((caps.get(1).expect("number").as_str(), caps.get(3).expect("symbol").as_str()))
            );
        }
    }
}

#[test]
fn citation_spans_match_the_pattern_on_real_shapes() {
    for text in [
        "Công văn số 2071/UBND-NC ngày 15/12/2022 và 25-NQ/TW; 119- KH/TU, số 33/2009/QĐ-UBND",
        "1.2.3/UB, 12a/QĐ, ngày 01-02-2023 - Lưu: VT. 5 /CT-TTg 7 - KH. 66.17/2026/NQ-CP",
        "- a\n-\n12 12/\n/ABC 3/ 4-Đ ３/TW",
    ] {
        let spans: Vec<_> = citation_spans(text).collect();
        let found: Vec<_> = CITATION.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(spans, found, "{text}");
        assert!(!spans.is_empty());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
    /// A phrase is never skipped where its pattern matches, and its search from where its
    /// match can start finds what the whole search finds.
    #[test]
    fn every_phrase_that_matches_may_match(words in proptest::collection::vec(proptest::sample::select(vec![
        "của", "Sở Y tế", "Bộ Tài chính", "tại", "Văn bản", "Công văn", "số", "số:", "được", "có", "đã",
        "ban hành", "thông qua", "đề nghị", "báo cáo", "và", "về việc", ",", ";", ".", ":", "(", ")",
        "),", "Thủ tướng", "phê duyệt", "Quyết định", "\n", "các", "Latại", "về", "Kế hoạch hành động",
    ]), 0..14), ending in proptest::sample::select(vec![
        "", "tại Văn bản số", "tại Văn bản số:", "có Công văn số", "ban hành Quyết định số",
        "(công văn số", "phê duyệt tại Quyết định số", "tại các Chương trình hành động của Tỉnh ủy số",
        "tại các Chương trình hành động tỉnh : số :", "có Kế hoạch liên ngành Bộ Tài chính và các sở số",
        "thông qua Luật Tổ chức chính quyền địa phương số",
        "Sở Y tế có Công văn liên ngành Bộ tài chính và các sở về số :",
        "Sở Y tế tại các Chương trình hành động : số :",
    ])) {
        let near = format!("{} {ending}", words.join(" "));
        let may = MayMatch::new(&near);
        let passive = MayMatch::passive(&near);
        for (regex, may_match, from) in [
            (&*ISSUER_BEFORE_AT, may.at(), may.sentence_mark),
            (&*BOUNDED_AT, may.at(), may.sentence_mark),
            (&*ISSUER_BEFORE_HAS, may.has(), may.clause_start),
            (&*BOUNDED_HAS, may.has(), may.clause_start),
            (&*ISSUER_BEFORE_PAREN, may.paren(), may.sentence_start),
            (&*BOUNDED_PAREN, may.paren(), may.sentence_start),
            (&*ISSUER_BEFORE_VERB_AT, may.verb_at(), may.bracket_start),
            (&*BOUNDED_VERB_AT, may.verb_at(), may.bracket_start),
            (&*PASSIVE_BEFORE, passive.is_some(), passive.unwrap_or(0)),
            (&*BOUNDED_PASSIVE, passive.is_some(), passive.unwrap_or(0)),
        ] {
            let found = regex.find(&near);
            proptest::prop_assert!(found.is_none() || may_match, "{near:?}");
            if may_match {
                proptest::prop_assert_eq!(regex.find_at(&near, from), found, "{:?}", near);
            }
        }
    }
}

proptest::proptest! {
    /// A list's words are never skipped where its pattern matches.
    #[test]
    fn every_list_that_matches_may_match(words in proptest::collection::vec(proptest::sample::select(vec![
        "các", "Các", "Nghị định", "văn bản", "của", "Chính phủ", "Sở Tư pháp", " ", "\n", ":", ";", ".", "(", ")",
        "thẩm định và tham gia ý kiến", "x",
    ]), 0..12)) {
        let lead = format!("{}:", words.join(" "));
        proptest::prop_assert!(!LIST.is_match(&lead) || may_list(&lead), "{lead:?}");
    }
}

#[test]
fn a_name_too_long_from_one_start_is_read_as_the_bounded_pattern_reads_it() {
    // From "đề nghị của" the only name runs to the last "tại", over 120 characters; the
    // bounded pattern starts at the later ", của" instead and reads "Sở " (three characters
    // at least, the space kept; the caller squashes it).
    let near = format!("Xét đề nghị của Ban A{} , của Sở tại Văn bản số ", " x".repeat(70));
    let by_bounded = BOUNDED_AT
        .find(&near)
        .and_then(|found| BOUNDED_AT.captures(&near[found.start()..]))
        .and_then(|caps| caps.get(1).map(|m| m.as_str().to_owned()));
    assert_eq!(by_bounded.as_deref(), Some("Sở "));
    // (The premise: the unbounded pattern's first name is too long, so the bounded one runs.)
    let unbounded = ISSUER_BEFORE_AT
        .find(&near)
        .and_then(|found| ISSUER_BEFORE_AT.captures(&near[found.start()..]))
        .and_then(|caps| caps.get(1).map(|m| m.as_str().chars().count()));
    assert!(unbounded.is_some_and(|n| n > 120), "{unbounded:?}");
    assert_eq!(issuer_before(&near), by_bounded);
    for (regex, bounded) in [
        (&*ISSUER_BEFORE_AT, &*BOUNDED_AT),
        (&*ISSUER_BEFORE_HAS, &*BOUNDED_HAS),
        (&*ISSUER_BEFORE_PAREN, &*BOUNDED_PAREN),
        (&*ISSUER_BEFORE_VERB_AT, &*BOUNDED_VERB_AT),
        (&*PASSIVE_BEFORE, &*BOUNDED_PASSIVE),
    ] {
        assert_ne!(regex.as_str(), bounded.as_str());
    }
}

#[test]
fn a_symbol_with_cyrillic_letters_is_the_same_reference() {
    // "BТС" with a Cyrillic Т and С, then in Latin letters.
    let found = refs("Thông tư số 06/2022/TT-BТС ngày 08/02/2022; Thông tư số 06/2022/TT-BTC");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "2022/TT-BТС");
}

#[test]
fn an_issuer_after_a_list_over_semicolons_is_each_item_of_its_kind() {
    let found = refs(
        "thay thế các Quyết định số 25/2005/QĐ-UB ngày 03/02/2005; Quyết định số 32/2005/QĐ-UB ngày 01/4/2005; \
         Quyết định số 57/2005/QĐ-UB ngày 17/6/2005, Quyết định số 03/2009/QĐ-UBND ngày 03/3/2009 của UBND tỉnh.",
    );
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found.iter().all(|r| r.3.as_deref() == Some("UBND tỉnh")), "{found:?}");
    // After the article it cites.
    let found = refs(
        "quy định tại điểm a khoản 1 Điều 1 Quyết định số 290/2005/QĐ-TTg ngày 08 tháng 11 năm 2005; khoản 2 \
         Điều 1 Quyết định số 92/2005/QĐ-TTg ngày 29 tháng 4 năm 2005 của Thủ tướng Chính phủ thì",
    );
    assert_eq!(found[0].3.as_deref(), Some("Thủ tướng Chính phủ"), "{found:?}");
    // Not to an item of another kind, nor over a line break or a new "Căn cứ".
    for text in [
        "Luật Đấu thầu số 22/2023/QH15, Luật số 90/2025/QH15; Nghị định số 214/2025/NĐ-CP ngày 04/8/2025 của Chính phủ;",
        "Căn cứ Nghị định số 10/2020/NĐ-CP ngày 5/1/2020;\nNghị định số 11/2020/NĐ-CP ngày 6/1/2020 của Chính phủ;",
        "Căn cứ Nghị định số 10/2020/NĐ-CP ngày 5/1/2020; Căn cứ Nghị định số 11/2020/NĐ-CP ngày 6/1/2020 của Chính phủ;",
    ] {
        let found = refs(text);
        assert_eq!(found[found.len() - 2].3, None, "{text}: {found:?}");
        assert_eq!(
            found[found.len() - 1].3.as_deref(),
            Some("Chính phủ"),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn an_adverbial_opening_the_sentence_is_no_part_of_the_issuer() {
    assert_eq!(
        issuer("Ngay từ đầu năm Bộ Tài chính đã ban hành các Quyết định số 89/QĐ-BTC ngày 08/01/2019").as_deref(),
        Some("Bộ Tài chính")
    );
    assert_eq!(
        issuer("Hiện nay Sở Y tế có Công văn số 12/SYT-NV ngày 08/01/2019").as_deref(),
        Some("Sở Y tế")
    );
    // A name that opens with such a word is kept whole.
    assert_eq!(
        issuer("Trung tâm Y tế huyện có Công văn số 12/TTYT ngày 08/01/2019").as_deref(),
        Some("Trung tâm Y tế huyện")
    );
}

#[test]
fn a_phrase_and_a_name_wrapped_where_a_narrow_page_breaks_them() {
    // The phrase before the citation broken inside its words.
    assert_eq!(
        issuer("chống Pháp và chống Mỹ, ý\nkiến của Bộ Nội vụ tại văn bản số 702/BNV-CQĐP ngày 05 tháng 3 năm 2014")
            .as_deref(),
        Some("Bộ Nội vụ")
    );
    // A name cut where it cannot end goes on over the line break.
    for (text, name) in [
        (
            "Thông báo số 444/TB-UBND ngày 22/12/2021 của UBND\ntỉnh Hưng Yên về việc",
            "UBND tỉnh Hưng Yên",
        ),
        (
            "Thông báo số 347/TB-VP ngày 10/10/2025 của Văn phòng\nUBND thành phố về việc",
            "Văn phòng UBND thành phố",
        ),
        (
            "QUYẾT ĐỊNH SỐ 1899/QĐ-TTG NGÀY 04/9/2025 CỦA THỦ TƯỚNG\nCHÍNH PHỦ VỀ VIỆC",
            "THỦ TƯỚNG CHÍNH PHỦ",
        ),
        (
            "Kế hoạch số 16/KH-MTTQ-BTT ngày 23/12/2025 của Ban Thường trực Ủy ban\nMTTQ Việt Nam tỉnh Quảng Ninh về",
            "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Quảng Ninh",
        ),
    ] {
        assert_eq!(issuer(text).as_deref(), Some(name), "{text}");
    }
    // A complete name ends at a line in capitals that opens another.
    assert_eq!(
        issuer("THEO NGHỊ QUYẾT SỐ 12/NQ-HĐND CỦA HỘI ĐỒNG NHÂN DÂN TỈNH\nỦY BAN NHÂN DÂN TỈNH").as_deref(),
        Some("HỘI ĐỒNG NHÂN DÂN TỈNH")
    );
}

#[test]
fn a_name_ends_before_and_a_kind_s_abbreviation() {
    let found = refs(
        "Thực hiện QĐ số 456/QĐ-UBND ngày 12/3/2024 của UBND tỉnh và CV số 123/SNV-CCVC ngày 5/4/2024 của Sở Nội vụ;",
    );
    assert_eq!(found[0].3.as_deref(), Some("UBND tỉnh"), "{found:?}");
    assert_eq!(found[1].3.as_deref(), Some("Sở Nội vụ"), "{found:?}");
    // Bodies named together keep "và": "Bộ Văn hóa, Thể thao và Du lịch".
    assert_eq!(
        issuer("Thông tư số 04/2011/TT-BVHTTDL ngày 21/01/2011 của Bộ Văn hóa, Thể thao và Du lịch quy định")
            .as_deref(),
        Some("Bộ Văn hóa, Thể thao và Du lịch")
    );
}

#[test]
fn one_document_written_two_ways_is_one_reference() {
    for text in [
        // The first codes left out.
        "theo Quyết định số 118/TTg ngày 27/02/1996 của Thủ tướng Chính phủ; nay Quyết định số 118/QĐ-TTg ngày 27/02/1996 được",
        // Codes in another order.
        "thực hiện Kế hoạch số 16/KH-MTTQ-BTT ngày 23/12/2025. Theo Kế hoạch số 16/KH-BTT-MTTQ, các xã",
        // One code misread by a scan.
        "Thông tư số 31/2021/TT-BTC quy định … (Điều 17 Thông tư số 31/2021/TT-BTO)",
        "Thông tư số 39/2018/T1-BTC ngày 20/4/2018 … Thông tư số 39/2018/TT-BTC",
        // "Đ" read as "D", and the codes run together.
        "Quyết định số 1246/QĐ-BYT ngày 20/3/2020 … Quyết định số 1246/QD-BYT ngày 20/3/2020",
        "Chỉ thị số 27/CT-TTg ngày 15/8/2024 … Chỉ thị số 27/CT.TTg",
        // Cut short.
        "Nghị quyết liên tịch số 102/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN … Nghị quyết liên tịch số 102/2025/NQLT",
        // Any one code, when both carry the same date.
        "Thông tư số 98/2013/TT-BXD ngày 24/7/2013 … Thông tư số 98/2013/TT-BTC ngày 24/7/2013",
    ] {
        let found = refs(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
    }
}

#[test]
fn documents_alike_in_number_and_symbol_stay_apart() {
    for text in [
        // Different kinds.
        "Nghị quyết số 02/2019/NQ-CP … Nghị định số 02/2019/NĐ-CP",
        "Công văn số 123/UBND ngày 5/3/2020 … Quyết định số 123/QĐ-UBND",
        // Different years.
        "Thông tư số 01/2021/TT-BYT … Thông tư số 01/2020/TT-BYT",
        // A letter a scan does not confuse.
        "Chỉ thị số 05-CT/TW … Chỉ thị số 05-CT/TU",
        // Different dates.
        "Thông tư số 31/2021/TT-BTC ngày 17/5/2021 … Thông tư số 31/2021/TT-BTO ngày 18/6/2021",
        // Two codes misread with no date to tell.
        "Thông tư số 98/2013/TT-BXD … Thông tư số 98/2013/TT-BTC",
    ] {
        let found = refs(text);
        assert_eq!(found.len(), 2, "{text}: {found:?}");
    }
}

#[test]
fn an_issuer_before_a_kind_of_several_words_is_read_and_a_phrase_in_lower_case_is_not() {
    assert_eq!(
        issuer(
            "theo ý kiến chỉ đạo của Ủy ban nhân dân tỉnh tại Chương trình hành động\nsố 01/CTr-UBND ngày 19/01/2025;"
        )
        .as_deref(),
        Some("Ủy ban nhân dân tỉnh")
    );
    assert_eq!(
        issuer("Ý kiến chỉ đạo của Sở Y tế, các quy định tại Luật Đấu thầu số 22/2023/QH15 ngày 29/11/2024"),
        None
    );
}

#[test]
fn issuers_on_a_list_in_brackets_and_as_the_subject_of_a_clause() {
    let issuer = |text: &str| refs(text).into_iter().last().and_then(|r| r.3);
    // A list of names, each with its dispatch in brackets.
    assert_eq!(
        issuer("ý kiến của Bộ Kế hoạch và Đầu tư (công văn số 6487/BKH-LĐVX ngày 14/9/2010), Bộ Tài chính (công văn số 12163/BTC-ĐT ngày 11/9/2010)")
            .as_deref(),
        Some("Bộ Tài chính")
    );
    // What was asked for, between the name and its bracket.
    assert_eq!(
        issuer("Xét đề nghị của Ủy ban nhân dân tỉnh Khánh Hòa về việc xin phép mời khách quốc tế (công văn số 1924/UBND ngày 22/4/2011)")
            .as_deref(),
        Some("Ủy ban nhân dân tỉnh Khánh Hòa")
    );
    // A body as the subject of the clause that proposed in the document.
    assert_eq!(
        issuer("Trên cơ sở đó Sở Tài chính đã tổng hợp và đề nghị tại Văn bản số 9700/STC-ĐTTĐ ngày 08/8/2025")
            .as_deref(),
        Some("Sở Tài chính")
    );
    assert_eq!(
        issuer("Kế hoạch của Bộ Y tế được Ủy ban nhân dân tỉnh phê duyệt tại Quyết định số 12/QĐ-UBND").as_deref(),
        Some("Ủy ban nhân dân tỉnh")
    );
    // No body opens the clause: no issuer.
    assert_eq!(
        issuer("Thực hiện chỉ đạo tại Văn bản số 15/UBND-VX ngày 02/01/2025"),
        None
    );
    // Nor across a blank line: "Sở Y tế" / "" / "Thực hiện chỉ đạo tại …" is two clauses;
    // a name wrapped at a line's end goes on.
    assert_eq!(
        issuer("Trên cơ sở đó Sở\nTài chính đã tổng hợp và đề nghị tại Văn bản số 9700/STC-ĐTTĐ").as_deref(),
        Some("Sở Tài chính")
    );
    assert_eq!(
        issuer("Kính gửi: Sở Y tế\n\nThực hiện chỉ đạo tại Văn bản số 15/UBND-VX"),
        None
    );
    assert_eq!(
        issuer("Tổ chức thực hiện theo hướng dẫn tại Công văn số 12/SYT-NV"),
        None
    );
    assert_eq!(
        issuer("Ban Bí thư đã có Kết luận số 212-KL/TW ngày 18/11/2025").as_deref(),
        Some("Ban Bí thư")
    );
}

#[test]
fn an_issuer_glued_to_tai_by_a_lost_space() {
    let found = refs("Xét đề nghị của Tỉnh ủy Sơn Latại văn bản số 1011/CV-TU ngày 14 tháng 12 năm 2007 về việc");
    assert_eq!(found[0].3.as_deref(), Some("Tỉnh ủy Sơn La"));
}

#[test]
fn a_public_administration_centre_is_named_whole() {
    let found = refs(
        "Quyết định số 897/QĐ-TTPVHCC ngày 01/10/2025 của Giám đốc Trung tâm Phục vụ hành chính công thành phố Hà Nội về việc",
    );
    assert_eq!(
        found[0].3.as_deref(),
        Some("Giám đốc Trung tâm Phục vụ hành chính công thành phố Hà Nội")
    );
}

#[test]
fn a_table_s_cell_ends_a_name() {
    let found =
        refs("Thông tư số 85/2020/TT-BTC ngày\n01/10/2020 của Bộ Tài chính\n|\nSở Tài chính\n|\nCơ quan phối hợp");
    assert_eq!(found[0].3.as_deref(), Some("Bộ Tài chính"));
    let found = refs("Thông tư số 85/2020/TT-BTC của Bộ Tài chính | Sở Tài chính |");
    assert_eq!(found[0].3.as_deref(), Some("Bộ Tài chính"));
}

#[test]
fn a_body_s_name_opens_at_its_kind() {
    assert_eq!(body_named("Trên cơ sở đó Sở Tài chính"), Some("Sở Tài chính"));
    assert_eq!(
        body_named("Ngày 5 tháng 3 Bộ trưởng Bộ Y tế"),
        Some("Bộ trưởng Bộ Y tế")
    );
    // A word that merely begins like a kind is not one ("Bội", "Banh").
    assert_eq!(body_named("Bội chi Banh"), None);
    assert_eq!(body_named("Thực hiện"), None);
    assert_eq!(body_named("Tổ chức thực hiện theo"), None);
    assert_eq!(body_named("Báo cáo theo"), None);
    assert_eq!(body_named("Trên cơ sở đó Phòng Nội vụ"), Some("Phòng Nội vụ"));
}

#[test]
fn a_date_right_before_the_number_is_the_citation_s_own() {
    let found = refs(
        "Ngày 31 tháng 10 năm 2025, Văn phòng Chính phủ nhận văn bản đề ngày 29 tháng 10 năm 2025 số\n16/CV-HHTACN của Hội Chăn nuôi Việt Nam gửi Thủ tướng",
    );
    assert_eq!(found[0].2.as_deref(), Some("2025-10-29"));
    // A date followed by other words before "số" is not the citation's.
    let found = refs("từ ngày 01/01/2025 theo Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh");
    assert_eq!(found[0].2, None);
}

#[test]
fn no_type_word_is_longer_than_its_bound() {
    assert!(TYPE_WORDS.iter().all(|t| t.split(' ').count() <= LONGEST_TYPE_WORD));
}

#[test]
fn a_name_in_capitals_goes_on_over_its_line_break() {
    let name = issuer_after(
        " CỦA HỘI ĐỒNG NHÂN DÂN TỈNH THỪA\nTHIÊN HUẾ QUY ĐỊNH NGUYÊN TẮC",
        false,
        0,
    )
    .unwrap();
    assert_eq!(name, "HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ");
    let name = issuer_after(" của Ủy ban nhân dân tỉnh\nQUYẾT ĐỊNH:", false, 0).unwrap();
    assert_eq!(name, "Ủy ban nhân dân tỉnh");
}

#[test]
fn a_name_stops_before_an_item_numbered_in_other_digits() {
    let name = issuer_after(" của Ủy ban nhân dân tỉnh\n３. Giao Sở Nội vụ", false, 0).unwrap();
    assert_eq!(name, "Ủy ban nhân dân tỉnh");
}

fn refs(text: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
    extract(text, None, None)
        .into_iter()
        .map(|r| (r.number, r.symbol, r.date.map(|d| d.to_string()), r.issuer_text))
        .collect()
}

/// The issuer of the first citation in a text.
fn issuer(text: &str) -> Option<String> {
    refs(text).into_iter().next().and_then(|r| r.3)
}

#[test]
fn names_keep_former_and_second_syllables_and_end_at_verbs() {
    assert_eq!(
        issuer("Quyết định số 07/2014/QĐ-UBND ngày 25/01/2014 của UBND tỉnh Quảng Trị (cũ) về giá đất").as_deref(),
        Some("UBND tỉnh Quảng Trị (cũ)")
    );
    assert_eq!(
        issuer("Quyết định số 90/2004/QĐ-UB ngày 16/12/2004 của UBND tỉnh Quảng Bình Ban hành điều lệ").as_deref(),
        Some("UBND tỉnh Quảng Bình")
    );
    assert_eq!(
        issuer("Thông tư số 09/2025/TT-BNG ngày 30/6/2025 của Bộ trưởng Bộ Ngoại giao hướng dẫn chức năng").as_deref(),
        Some("Bộ trưởng Bộ Ngoại giao")
    );
    assert_eq!(
        issuer("Quyết định số 7886/QĐ-BCA ngày 19/9/2025 của Bộ trưởng Bộ Công an công bố danh mục").as_deref(),
        Some("Bộ trưởng Bộ Công an")
    );
    // "Giao" capitalised after a capitalised word starts a name's word, as before; "giao"
    // after a lower-case word is the verb.
    assert_eq!(
        issuer("Quyết định số 1/QĐ-BGTVT ngày 02/01/2020 của Bộ Giao thông vận tải về").as_deref(),
        Some("Bộ Giao thông vận tải")
    );
    assert_eq!(
        issuer("Công văn số 5/UBND-VX ngày 02/01/2020 của UBND tỉnh giao Sở Nội vụ").as_deref(),
        Some("UBND tỉnh")
    );
    assert_eq!(
        issuer("Công văn số 5/UBND-VX ngày 02/01/2020 của UBND tỉnh Quảng Ninh giao Sở Nội vụ chủ trì").as_deref(),
        Some("UBND tỉnh Quảng Ninh")
    );
    assert_eq!(
        issuer("Quyết định số 7/2014/QĐ-UBND ngày 25/01/2014 của UBND TỈNH QUẢNG TRỊ (CŨ) về").as_deref(),
        Some("UBND TỈNH QUẢNG TRỊ (CŨ)")
    );
}

#[test]
fn symbols_are_kept_as_written_and_numbers_may_hold_a_dot() {
    let found = refs("Thông tư số 38/2015/TT- BTC ngày 25/3/2015 được sửa đổi tại Thông tư số 38/2015/TT-BTC");
    assert_eq!(found.len(), 1, "one document, written two ways");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("38", "2015/TT- BTC"));
    let found = refs("theo Công văn số 128.2025/OL.WMCLV ngày 24/11/2025 của Công ty");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("128.2025", "OL.WMCLV"));
}

#[test]
fn an_issuer_named_before_its_verb_and_a_list_qualified_before_its_issuer() {
    let found = refs(
        "2. Ngày 16/6/2025, Quốc hội\nđã thông qua Luật Tổ chức chính quyền địa phương số 72/2025/QH15 với những quy",
    );
    assert_eq!(found[0].3.as_deref(), Some("Quốc hội"));
    let found = refs(
        "Các Văn bản thẩm định và tham gia ý kiến\ncủa Sở Tư pháp: Số 294/BC-STP ngày 12 tháng 9 năm 2025, số\n1890/STP-VB&TDTHPL ngày 24 tháng 10 năm 2025 và ý kiến",
    );
    let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
    assert_eq!(issuers, [Some("Sở Tư pháp"), Some("Sở Tư pháp")]);
}

#[test]
fn a_list_of_citations_shares_its_type_word() {
    let found =
        refs("tiếp theo các Công điện số 217/CĐ-TTg,\n218/CĐ-TTg, 219/CĐ-TTg và 222/CĐ-TTg ngày 19/11/2025, Thủ tướng");
    let numbers: Vec<&str> = found.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(numbers, ["217", "218", "219", "222"]);
    assert_eq!(found[3].2.as_deref(), Some("2025-11-19"));
    assert_eq!(found[0].2, None);
    // A paragraph numbered after a citation's ";" is not one of a list; the type a listed
    // symbol names comes first.
    let found = refs("thực hiện Chỉ thị số 05-CT/TW;\n2- Tăng cường công tác;\n3/ Tổ chức");
    assert_eq!(found.len(), 1);
    let typed: Vec<Option<String>> = extract("các Quyết định số 12/QĐ-UBND, 13/KH-UBND ngày 1/2/2020", None, None)
        .into_iter()
        .map(|r| r.doc_type)
        .collect();
    assert_eq!(typed, [Some("Quyết định".to_owned()), Some("Kế hoạch".to_owned())]);
    assert_eq!(crate::text::plain_number("1.234"), "1234");
    assert_eq!(crate::text::plain_number("66.17"), "66.17");
    // A number after a sentence is not taken for one of the list.
    let found = refs("theo Công văn số 12/UBND-VX. Năm 2024/2025 có 30/KH-X");
    assert_eq!(found.len(), 1);
}

#[test]
fn citations_with_date_and_issuer() {
    let found = refs("Thực hiện Chỉ thị số 14/CT-TU ngày 16/3/2022 của Tỉnh ủy Đắk Nông về nâng cao hiệu quả");
    assert_eq!(
        found,
        [(
            "14".into(),
            "CT-TU".into(),
            Some("2022-03-16".into()),
            Some("Tỉnh ủy Đắk Nông".into())
        )]
    );
    let found = refs(
        "Kế hoạch số 05-KH/TU ngày 09/12/2015 của Ban thường vụ Tỉnh ủy và Kế hoạch số 411-KH/UBND ngày 21/9/2015 của UBND tỉnh “về",
    );
    assert_eq!(found[0].3.as_deref(), Some("Ban thường vụ Tỉnh ủy"));
    assert_eq!(found[1].3.as_deref(), Some("UBND tỉnh"));
}

fn one(text: &str) -> (Option<String>, Option<String>) {
    let found = refs(text);
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    (found[0].2.clone(), found[0].3.clone())
}

#[test]
fn citations_as_administrative_texts_write_them() {
    let s = |x: &str| Some(x.to_owned());
    assert_eq!(
        one(
            "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII về một số vấn đề"
        ),
        (
            s("2017-10-25"),
            s("Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII")
        )
    );
    assert_eq!(
        one("Ngày 28 tháng 10 năm 2025, Bộ Nội vụ ban hành Công văn số 3280/BNV-CQĐP hướng dẫn thực hiện."),
        (s("2025-10-28"), s("Bộ Nội vụ"))
    );
    assert_eq!(
        one("Sở Tài chính có Công văn sô 10570/STC-HCSNngày 28/10/2008 đề nghị"),
        (s("2008-10-28"), s("Sở Tài chính"))
    );
    assert_eq!(
        one("Căn cứ Quyết định số 729/QĐ-UBND ngày 17/4/2017 của UBND tỉnh Đắk Nông ban hành Quy chế"),
        (s("2017-04-17"), s("UBND tỉnh Đắk Nông"))
    );
    assert_eq!(
        one("theo Công văn số 12/SNV-CCVC ngày 05-3-2021 của Sở Nội vụ tỉnh Đắk Nông về việc"),
        (s("2021-03-05"), s("Sở Nội vụ tỉnh Đắk Nông"))
    );
    assert_eq!(
        one("Thực hiện Thông tư số 10/2017/TT-BLĐTBXH ngày 20/4/2017 của Bộ Lao động - Thương binh và Xã hội quy định"),
        (s("2017-04-20"), s("Bộ Lao động - Thương binh và Xã hội"))
    );
    assert_eq!(
        one("Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị, Sở Nội vụ đề nghị"),
        (s("2021-05-18"), s("Bộ Chính trị"))
    );
}

#[test]
fn later_mentions_fill_the_date_and_issuer() {
    let found =
        refs("theo Thông tư 38/2015/TT-BTC. Sau đó Thông tư số 38/2015/TT-BTC ngày 25/3/2015 của Bộ Tài chính.");
    assert_eq!(
        found,
        [(
            "38".into(),
            "2015/TT-BTC".into(),
            Some("2015-03-25".into()),
            Some("Bộ Tài chính".into())
        )]
    );
}

#[test]
fn an_issuer_that_has_issued_a_dispatch_decree_or_circular() {
    for (text, issuer) in [
        (
            "Ngày 01/7/2025, Cục Thuế đã có công điện số 102/CĐ-CT về việc triển khai",
            "Cục Thuế",
        ),
        (
            "Bộ Tài chính đã ban hành Thông tư số 67/2025/TT-BTC hướng dẫn",
            "Bộ Tài chính",
        ),
        ("Chính phủ đã ban hành Nghị định số 175/2025/NĐ-CP sửa đổi", "Chính phủ"),
    ] {
        assert_eq!(refs(text)[0].3.as_deref(), Some(issuer), "{text}");
    }
}

#[test]
fn review_cases_of_names_lists_and_dates() {
    // A name in capitals stops before the authority printed under the title.
    let found = refs(
        "BÃI BỎ QUYẾT ĐỊNH SỐ 12/2020/QĐ-UBND NGÀY 05/3/2020 CỦA UBND TỈNH NGHỆ AN\nỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nCăn cứ",
    );
    assert_eq!(found[0].3.as_deref(), Some("UBND TỈNH NGHỆ AN"));
    // "chấp thuận" ends a name; "Ban chấp hành" does not.
    let found = refs("Văn bản số 12/UBND-KT của UBND tỉnh chấp thuận chủ trương đầu tư");
    assert_eq!(found[0].3.as_deref(), Some("UBND tỉnh"));
    let found = refs("Kế hoạch số 328/KH-TU ngày 24/4/2025 của Ban chấp hành Đảng bộ tỉnh Nghệ An về");
    assert_eq!(found[0].3.as_deref(), Some("Ban chấp hành Đảng bộ tỉnh Nghệ An"));
    // A list ends at a new clause, even in lower case.
    let found = refs(
        "các văn bản của Bộ Y tế: Công văn số 1/BYT-DP, Công văn số 2/BYT-DP; căn cứ tình hình thực tế và Kế hoạch số 15/KH-UBND, Sở",
    );
    let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
    assert_eq!(issuers, [Some("Bộ Y tế"), Some("Bộ Y tế"), None]);
    // The date after the issuer, past a comma before "của"; not a later clause's date.
    let found = refs("Nghị quyết số 46/NQ-CP, của Chính phủ ngày 08 tháng 3 năm 2025 và");
    assert_eq!(found[0].2.as_deref(), Some("2025-03-08"));
    let found = refs("Công văn số 7/BYT-KH của Bộ Y tế, ngày 10/3/2025 Sở đã họp");
    assert_eq!(found[0].2, None);
}

#[test]
fn a_list_names_its_issuer_before_its_colon() {
    let found = refs(
        "Căn cứ các Nghị định của\nChính phủ: Nghị định số 88/2024/NĐ-CP quy định về bồi thường; Nghị định số \
         151/2025/NĐ-CP ngày 12/6/2025 quy định về đất đai; Thông tư số 5/2025/TT-BTC;\nCăn cứ Nghị định số 62/2025/NĐ-CP;",
    );
    let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
    // The list's issuer goes to the decrees in it, not to a circular or to the next clause.
    assert_eq!(issuers, [Some("Chính phủ"), Some("Chính phủ"), None, None]);
}

#[test]
fn a_list_in_brackets_names_its_issuer_before_them() {
    let found = refs(
        "Căn cứ các Nghị định của Chính phủ quy định chi tiết thi hành Luật Quy hoạch (Số 37/2019/NĐ-CP ngày \
         07/5/2019, số 58/2023/NĐ-CP ngày 12/8/2023 và số\n22/2025/NĐ-CP ngày 11/02/2025);\nCăn cứ các Quyết định của \
         Bộ trưởng Bộ Văn hóa, Thể thao và Du\nlịch phê duyệt điều chỉnh Quy hoạch (Số 1226/QĐ-BVHTTDL ngày 29/4/2025 \
         và số 2657/QĐ-BVHTTDL); các Quyết định của Thủ tướng Chính phủ (Số 12/NĐ-CP) và (số 5/QĐ-TTg)",
    );
    let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
    // Every citation of the kind listed, in the bracket still open; not one of another kind,
    // nor one in a bracket opened after the list's was closed.
    let ministry = Some("Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch");
    assert_eq!(
        issuers,
        [
            Some("Chính phủ"),
            Some("Chính phủ"),
            Some("Chính phủ"),
            ministry,
            ministry,
            None,
            None
        ]
    );
}

#[test]
fn a_steering_committee_is_named_with_its_remit() {
    assert_eq!(
        issuer(
            "Thông báo số 30-TB/TGV ngày 13/6/2025 của Tổ giúp việc Ban chỉ đạo\nTrung ương về phát triển khoa \
             học, công nghệ, đổi mới sáng tạo và chuyển đổi số\nthông báo kết luận"
        )
        .as_deref(),
        Some(
            "Tổ giúp việc Ban chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
        )
    );
    assert_eq!(
        issuer(
            "Kế hoạch số 01-KH/BCĐ ngày 28/06/2025 của Ban Chỉ đạo\nphát triển khoa học, công nghệ, cải cách hành\n\
             chính và đề án 06 về Kế hoạch hành động"
        )
        .as_deref(),
        Some("Ban Chỉ đạo phát triển khoa học, công nghệ, cải cách hành chính và đề án 06")
    );
    assert_eq!(
        issuer(
            "Quyết định số 167/QĐ-BCĐNNDL ngày 29/7/2013 của Trưởng Ban Chỉ đạo Nhà nước về Du lịch ban hành Quy chế"
        )
        .as_deref(),
        Some("Trưởng Ban Chỉ đạo Nhà nước về Du lịch")
    );
    // A name after the comma, or "các …", is not the remit; nor is what the committee did.
    assert_eq!(
        issuer("Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương, Ủy ban nhân dân tỉnh").as_deref(),
        Some("Ban Chỉ đạo Trung ương")
    );
    assert_eq!(
        issuer("Công văn số 5/BCĐ ngày 2/6/2025 của Ban Chỉ đạo, các sở, ngành triển khai").as_deref(),
        Some("Ban Chỉ đạo")
    );
    assert_eq!(
        issuer("Công văn số 7/BCĐ ngày 2/6/2025 của Ban Chỉ đạo tỉnh về phòng, chống thiên tai đã yêu cầu").as_deref(),
        Some("Ban Chỉ đạo tỉnh về phòng, chống thiên tai")
    );
    // Without a committee, a lower-case word still ends a name.
    assert_eq!(
        issuer("Công văn số 8/STC ngày 2/6/2025 của Sở Tài chính, khoa học").as_deref(),
        Some("Sở Tài chính")
    );
}

#[test]
fn one_issuer_after_a_list_names_every_item_before_it() {
    let found = refs(
        "Các Công điện: số 007/CĐ-UBND ngày 17/11/2025, số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025; \
         số 010/CĐ-UBND ngày 20/11/2025 của UBND tỉnh về khẩn trương ứng phó; Công văn số 11/SNV ngày 2/6/2025; \
         số 12/SNV của Sở Nội vụ. Quyết định số 13/QĐ-UBND ngày 3/6/2025 của HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN \
         HUẾ (NAY THÀNH PHỐ HUẾ)",
    );
    let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
    let province = Some("UBND tỉnh");
    // A list's items go back to the first; a new clause starts a new list; what the body is
    // now is no part of its name.
    assert_eq!(
        issuers,
        [
            province,
            province,
            province,
            province,
            Some("Sở Nội vụ"),
            Some("Sở Nội vụ"),
            Some("HỘI ĐỒNG NHÂN DÂN TỈNH THỪA THIÊN HUẾ")
        ]
    );
}

#[test]
fn items_described_at_length_share_the_issuer_named_before_the_list() {
    let found = refs(
        "đã được Thủ tướng Chính phủ phê duyệt tại các Quyết định: số 36/QĐ-TTg ngày 11/01/2024\nvề việc \
         quy hoạch hạ tầng thông tin, tầm nhìn đến 2025; số 1569/QĐ-TTg ngày 12/12/2024 về việc phê duyệt \
         quy hoạch Thủ đô và số 1668/QĐ-TTg ngày 27/12/2024 về việc điều chỉnh. Quyết định số 9/QĐ-UBND; \
         Căn cứ Quyết định số 10/QĐ-UBND",
    );
    let issuers: Vec<Option<&str>> = found.iter().map(|r| r.3.as_deref()).collect();
    let premier = Some("Thủ tướng Chính phủ");
    // Not across the sentence's end, nor onto a new legal basis.
    assert_eq!(issuers, [premier, premier, premier, None, None]);
    assert!(described_item("về việc quy hoạch; số") && described_item("năm 2050 và số"));
    assert!(!described_item("về việc quy hoạch. Theo đó, số") && !described_item("; Căn cứ Luật số"));
}

#[test]
fn bodies_that_issued_together_are_named_together() {
    assert_eq!(
        issuer("lan truyền.\n[2] Bộ Chính trị,\nBan Bí thư đã có Kết luận số 212-KL/TW ngày 18/11/2025").as_deref(),
        Some("Bộ Chính trị, Ban Bí thư")
    );
    // A clause that names a body before the comma is no co-issuer.
    assert_eq!(
        issuer("Theo báo cáo của Sở Y tế, Bộ Y tế đã có Công văn số 12/BYT-KCB ngày 2/6/2025").as_deref(),
        Some("Bộ Y tế")
    );
    assert_eq!(
        issuer("Ngày 5/6/2025, Bộ Y tế đã có Công văn số 13/BYT-KCB").as_deref(),
        Some("Bộ Y tế")
    );
}

#[test]
fn a_party_resolution_is_issued_by_the_body_whose_conference_adopted_it() {
    assert_eq!(
        issuer(
            "theo Nghị quyết 36-NQ/TW ngày\n22/10/2018, Hội nghị lần thứ 8 của Ban Chấp hành Trung ương Đảng khóa XII \
             về\nchiến lược phát triển"
        )
        .as_deref(),
        Some("Ban Chấp hành Trung ương Đảng khóa XII")
    );
    assert_eq!(
        issuer("Nghị quyết số 18-NQ/TW ngày 25/10/2017 Hội nghị lần thứ sáu Ban Chấp hành Trung ương khóa XII về")
            .as_deref(),
        Some("Ban Chấp hành Trung ương khóa XII")
    );
    // A conference named without its body names no issuer.
    assert_eq!(
        issuer("Nghị quyết số 5/NQ-HĐND ngày 2/6/2025, hội nghị đã thống nhất"),
        None
    );
}

/// Review cases: each rule of lists, committees, co-issuers and conferences where a sentence
/// is built otherwise.
#[test]
fn review_cases_of_lists_committees_co_issuers_and_conferences() {
    let issuers = |text: &str| refs(text).into_iter().map(|r| r.3).collect::<Vec<_>>();
    let own = |name: &str| Some(name.to_owned());
    // Two clauses, each with its own subject, are not co-issuers.
    assert_eq!(
        issuers("Sở Nội vụ có Văn bản số 1/SNV ngày 2/6/2025, Sở Tài chính có Văn bản số 2/STC"),
        [own("Sở Nội vụ"), own("Sở Tài chính")]
    );
    assert_eq!(
        issuer("UBND tỉnh đã chỉ đạo quyết liệt, Sở Y tế đã có Công văn số 12/SYT ngày 2/6/2025"),
        own("Sở Y tế")
    );
    // "về việc" opens a subject; a verb ends a committee's name without a listed remit.
    assert_eq!(
        issuer("Công văn số 5/BCĐ ngày 2/6/2025 của Ban Chỉ đạo về việc triển khai"),
        own("Ban Chỉ đạo")
    );
    assert_eq!(
        issuer("Thông báo số 5/TB-BCĐ ngày 2/6/2025 của Ban Chỉ đạo tỉnh Quảng Ninh kết luận cuộc họp ngày 1/6/2025"),
        own("Ban Chỉ đạo tỉnh Quảng Ninh")
    );
    // A conference names its body only for a Party resolution, and only by the body's head.
    assert_eq!(
        issuer("Nghị quyết số 36-NQ/TW ngày 22/10/2018, Hội nghị Trung ương 8 khóa XII về Chiến lược"),
        None
    );
    assert_eq!(
        issuer("Căn cứ Thông báo số 3/TB-VP ngày 2/1/2025, Hội nghị Ban Chấp hành Đảng bộ tỉnh đã thống nhất"),
        None
    );
    assert_eq!(
        issuer("Nghị quyết số 36-NQ/TW ngày 22/10/2018, Hội nghị lần thứ 8 ban chấp hành Trung ương Đảng khóa XII"),
        None
    );
    // Another body between a list's issuer and its bracket.
    assert_eq!(
        issuer(
            "Thực hiện các Quyết định của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh đã ban hành nhiều văn bản \
             triển khai (Quyết định số 123/QĐ-UBND ngày 2/6/2025)"
        ),
        None
    );
    // Back along a list, only items of the issuer's kind beyond the one before it.
    let ministry = own("Bộ Tài nguyên và Môi trường");
    assert_eq!(
        issuers(
            "Căn cứ Luật Đất đai số 31/2024/QH15, Nghị định số 102/2024/NĐ-CP, Thông tư số 10/2024/TT-BTNMT của \
             Bộ Tài nguyên và Môi trường"
        ),
        [None, ministry.clone(), ministry]
    );
}

#[test]
fn an_office_held_with_another_and_a_stop_before_a_comma() {
    let found = refs(
        "Thông tư số 03/2025/TT-VPCP ngày 15 tháng 9 năm 2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ về việc",
    );
    assert_eq!(found[0].3.as_deref(), Some("Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"));
    let found =
        refs("QUYẾT ĐỊNH SỐ 24/2019/QĐ-UBND NGÀY 02/5/2019\nCỦA UBND THÀNH PHỐ ĐÀ NẴNG SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU");
    assert_eq!(found[0].3.as_deref(), Some("UBND THÀNH PHỐ ĐÀ NẴNG"));
    let found =
        refs("QUYẾT ĐỊNH SỐ 40/2024/QĐ-UBND NGÀY 04/10/2024 CỦA ỦY BAN NHÂN DÂN\nTỈNH\nCăn cứ Luật Tổ chức chính");
    assert_eq!(found[0].3.as_deref(), Some("ỦY BAN NHÂN DÂN TỈNH"));
}

#[test]
fn issuer_before_the_citation_and_its_chain() {
    let found = refs(
        "Xét đề nghị của Giám đốc Sở Lao động - Thương binh và Xã hội tại Tờ trình số 33/TTr-SLĐTBXH ngày 16 tháng 4 năm 2020 và Tờ trình số 42/TTr-SLĐTBXH ngày 29 tháng 4 năm 2020, QUYẾT ĐỊNH",
    );
    assert_eq!(found.len(), 2);
    assert!(
        found
            .iter()
            .all(|r| r.3.as_deref() == Some("Giám đốc Sở Lao động - Thương binh và Xã hội"))
    );
}

#[test]
fn forms_annotations_dates_and_the_document_itself_are_not_citations() {
    assert!(refs("theo mẫu số 03/KBS/GSQL ban hành").is_empty());
    assert!(refs("đến ngày 31/12/2013, toàn quốc").is_empty());
    assert!(refs("[Nội dung này được đính chính bởi Công văn 666/BYT-BH năm 2021]").is_empty());
    assert!(
        extract(
            "kèm công văn số 778/TCHQ-GSQL ngày 13/02/2017",
            Some("778"),
            Some("TCHQ-GSQL")
        )
        .is_empty()
    );
}

#[test]
fn a_citation_in_the_clause_of_another_is_what_it_carries_out() {
    let found = extract(
        "Chương trình số 26-CTr/TU ngày 04/9/2013 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2016; Chỉ thị số 33/CT-TTg",
        None,
        None,
    );
    assert_eq!(found[1].carried_out_by, Some(0));
    assert_eq!(found[2].carried_out_by, None);
}

#[test]
fn a_number_word_glued_to_the_type_word_still_cites() {
    assert_eq!(
        one("các ý kiến góp ý của Bộ Xây dựng tại công vănsố 320/BXD-KTQH ngày 06/3/2009 về việc"),
        (Some("2009-03-06".into()), Some("Bộ Xây dựng".into()))
    );
}

#[test]
fn a_citation_split_by_a_page_break_is_one() {
    let found = refs("theo Khoản 6 Điều 14 của Quy chế số\n\n18-QC/TU; nâng cao");
    assert_eq!(found[0].1, "QC/TU");
}

#[test]
fn a_date_right_before_the_body_that_issued_a_citation_is_its_date() {
    let found = refs(
        "Qua sơ kết tại 06 địa phương, ngày 16/8/2018 Bộ Lao động - Thương binh và Xã hội đã có Công văn số 3395/LĐTBXH-KHTC gửi Tổng công ty.",
    );
    assert_eq!(found[0].2.as_deref(), Some("2018-08-16"));
    assert_eq!(found[0].3.as_deref(), Some("Bộ Lao động - Thương binh và Xã hội"));
    // A date that ends another clause before the name is not the citation's.
    let found = refs("Ngày 16/8/2018 là ngày họp; Bộ Tài chính đã có Công văn số 12/BTC-CST về việc đó.");
    assert_eq!(found[0].2, None);
    // An ordinance is a kind of document a body issues.
    let found =
        refs("Ngày 16/7/2012, Ủy ban Thường vụ Quốc hội khóa 13 đã ban hành Pháp lệnh số 04/2012/UBTVQH13 sửa đổi.");
    assert_eq!(found[0].3.as_deref(), Some("Ủy ban Thường vụ Quốc hội khóa 13"));
    assert_eq!(found[0].2.as_deref(), Some("2012-07-16"));
}

#[test]
fn a_name_ends_where_a_new_sentence_or_a_part_of_a_text_begins() {
    assert_eq!(
        issuer("Căn cứ Thông tư số 117/2004/TT-BTC ngày 07/12/2004 của Bộ Tài chính Xét đề nghị của Cục Thuế")
            .as_deref(),
        Some("Bộ Tài chính")
    );
    assert_eq!(
        issuer("Trả lời công văn số 5019/CT-TTHT ngày 20/9/2012 của Cục Thuế tỉnh Đồng Nai báo cáo một số vướng mắc")
            .as_deref(),
        Some("Cục Thuế tỉnh Đồng Nai")
    );
    assert_eq!(
        issuer("Nghị định số 115/2015/NĐ-CP ngày 11/11/2015 của Chính phủ và Điều 28 Thông tư số 59/2015/TT-BLĐTBXH")
            .as_deref(),
        Some("Chính phủ")
    );
    // "và" before another body's name still joins it.
    assert_eq!(
        issuer("Thông tư liên tịch số 1/2020/TTLT-BTC-BNV của Bộ Tài chính và Bộ Nội vụ về").as_deref(),
        Some("Bộ Tài chính và Bộ Nội vụ")
    );
}

#[test]
fn an_election_committee_is_named_whole_and_ends_before_its_subject() {
    assert_eq!(
        issuer("Quyết định số 03/QĐ-UBBC ngày 05/12/2025 của Ủy ban bầu cử xã Phố Bảng Về việc thành lập các Tiểu ban")
            .as_deref(),
        Some("Ủy ban bầu cử xã Phố Bảng")
    );
}

#[test]
fn a_joint_document_s_issuers_go_on_over_commas() {
    assert_eq!(
        issuer("Nghị quyết liên tịch số 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN ngày 26/9/2025 của Ủy ban Thường vụ Quốc hội, Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam hướng dẫn").as_deref(),
        Some("Ủy ban Thường vụ Quốc hội, Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam")
    );
    // A document of one body still ends its issuer's name at the comma.
    assert_eq!(
        issuer("Nghị quyết số 101/2025/UBTVQH15 của Ủy ban Thường vụ Quốc hội, Chính phủ đã hướng dẫn").as_deref(),
        Some("Ủy ban Thường vụ Quốc hội")
    );
}

#[test]
fn two_bodies_before_a_bracket_issued_its_two_citations_in_turn() {
    let found = refs(
        "Xét báo cáo của Bộ Công an và Bộ Ngoại giao (các văn bản SỐ 1792/BC-BCA ngày 27/12/2021, só 170/BNG-LS ngày 18/01/2022) về giải quyết.",
    );
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].3.as_deref(), Some("Bộ Công an"));
    assert_eq!(found[1].3.as_deref(), Some("Bộ Ngoại giao"));
    // Three citations for two bodies: no body is given.
    let found = refs(
        "Xét báo cáo của Bộ Công an và Bộ Ngoại giao (các văn bản số 1/BC-BCA, số 2/BNG-LS, số 3/BNG-LS) về việc.",
    );
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|r| r.3.is_none()), "{found:?}");
}

#[test]
fn an_issuer_between_the_type_word_and_the_number() {
    assert_eq!(
        issuer("theo Nghị định của Chính phủ số 82/2015/NĐ-CP ngày 24 tháng 9 năm 2015").as_deref(),
        Some("Chính phủ")
    );
    // A clause's "của" before "số" that follows no type word names no issuer.
    assert_eq!(issuer("kết quả của Sở Y tế số 12/BC-SYT ngày 1/2/2020"), None);
}

#[test]
fn the_review_s_cases_of_names_and_dates_before_citations() {
    // A joint circular of two bodies: its issuers end at the comma after the second.
    assert_eq!(
        issuer("Thực hiện Thông tư liên tịch số 50/2015/TTLT-BGDĐT-BNV của Bộ Giáo dục và Đào tạo và Bộ Nội vụ, Sở Giáo dục và Đào tạo hướng dẫn như sau:").as_deref(),
        Some("Bộ Giáo dục và Đào tạo và Bộ Nội vụ")
    );
    // A date that belongs to a thing named before the body is not the citation's.
    let found = refs(
        "Thực hiện Kết luận của Thường trực Tỉnh ủy ngày 12/3/2024, UBND tỉnh đã ban hành Kế hoạch số 45/KH-UBND triển khai.",
    );
    assert_eq!(found[0].2, None);
    let found = refs("Tại cuộc họp ngày 5/3/2024, Sở Y tế đã có Công văn số 45/SYT-NVY về việc đó.");
    assert_eq!(found[0].2, None);
    // "bầu" and "cử" go on a name only together.
    assert_eq!(
        issuer(
            "Nghị quyết số 01/NQ-HĐND ngày 28/6/2021 của Hội đồng nhân dân huyện bầu Chủ tịch Ủy ban nhân dân huyện"
        )
        .as_deref(),
        Some("Hội đồng nhân dân huyện")
    );
    // "Hội đồng Xét tuyển" is a council's name: "Xét" does not end it.
    assert_eq!(
        issuer("Quyết định số 15/QĐ-HĐXT của Hội đồng Xét tuyển về việc công nhận").as_deref(),
        Some("Hội đồng Xét tuyển")
    );
}

#[test]
fn what_a_body_did_ends_its_name_and_a_letter_s_date_follows_de() {
    assert_eq!(
        issuer("công văn số 1840/CT-NVDTPC ngày 04/6/2021 của Cục Thuế tỉnh Hà Nam vướng mắc về xử phạt").as_deref(),
        Some("Cục Thuế tỉnh Hà Nam")
    );
    let found =
        refs("nhận được Phiếu chuyển số 22/PC-TCT đề ngày 08/01/2021 của Tổng cục Thuế chuyển công văn của Công ty");
    assert_eq!(found[0].2.as_deref(), Some("2021-01-08"));
    assert_eq!(found[0].3.as_deref(), Some("Tổng cục Thuế"));
    // A date that opens the clause is the citation's, not a word of the body's name.
    let found = refs("Ngày 12/3/2020 Tổng cục Thuế đã ban hành Công văn số 1046/TCT-TTKT về việc thanh tra.");
    assert_eq!(found[0].2.as_deref(), Some("2020-03-12"));
    assert_eq!(found[0].3.as_deref(), Some("Tổng cục Thuế"));
    // "đã ban hành các Quyết định số …".
    assert_eq!(
        issuer("Bộ Tài chính đã ban hành các Quyết định số 89/QĐ-BTC ngày 08/01/2019 triển khai").as_deref(),
        Some("Bộ Tài chính")
    );
}
