//! The Word files the demo's officials download, as they download them: the province's report
//! and the draft decision name the leader the register holds for the People's Committee, and
//! the decision cites its regulation with the date and issuer the library holds (the seed cites
//! 729/QĐ-UBND of 17/5/2018).

mod common;

use common::{Browser, start_demo};
use danvan_domain::UnitKind;
use danvan_store::Store;

/// The text runs of a .docx, joined.
fn docx_text(bytes: &[u8]) -> String {
    let xml = danvan_web::docx::part(bytes, "word/document.xml").expect("a .docx");
    xml.split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .map(|part| part.split("</w:t>").next().unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_demos_word_files_name_who_signs_and_cite_in_full() {
    let data = tempfile::tempdir().unwrap();
    let demo = start_demo(data.path());
    // Who the register names for the People's Committee on the demo's day.
    let signer = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}?mode=ro", data.path().join("danvan.db").display());
        let store = Store::connect(&url, 1).await.unwrap();
        let province = store
            .list_units()
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.kind == UnitKind::ProvincialCommittee && u.parent_id.is_none())
            .unwrap();
        let leader = store
            .leader_on(province.id, time::macros::date!(2022 - 12 - 15))
            .await
            .unwrap()
            .expect("the demo names the province's leader in charge");
        store.close().await;
        leader
    });
    assert!(signer.position.starts_with("Phó Chủ tịch"), "{signer:?}");

    let mut monitor = Browser::default();
    monitor.sign_in(&demo.url, "sonoivu");
    let report = monitor.get(&demo.url, "/reports/1/report.docx");
    assert_eq!(report.status, 200);
    let text = docx_text(&report.bytes);
    for expected in [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        signer.name.as_str(),
    ] {
        assert!(text.contains(expected), "the report lacks {expected}: {text}");
    }
    let compile = monitor.get(&demo.url, "/reports/1/compile");
    assert!(compile.body.contains(&signer.name), "the compile page names who signs");

    let mut leader = Browser::default();
    leader.sign_in(&demo.url, "lanhdao");
    // The first cycle whose results are computed.
    let decision = (1..=6)
        .map(|id| leader.get(&demo.url, &format!("/evaluations/{id}/decision.docx")))
        .find(|a| a.status == 200)
        .expect("a cycle with results");
    let text = docx_text(&decision.bytes);
    assert!(
        text.contains("Căn cứ Quyết định số 729/QĐ-UBND ngày 17 tháng 5 năm 2018 của Ủy ban nhân dân tỉnh"),
        "the basis cited in full: {text}"
    );
    assert!(text.contains(&signer.name) && text.contains("KT. CHỦ TỊCH"), "{text}");
    assert!(
        text.contains("của Chủ tịch Ủy ban nhân dân tỉnh Đắk Nông)"),
        "the appendix is the Chairman's decision's"
    );
}
