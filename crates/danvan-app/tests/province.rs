//! Setting up a province from the shipped map and agencies from a spreadsheet, through the use
//! cases, on SQLite and PostgreSQL: all or nothing, and nothing twice.

use std::collections::BTreeMap;

use danvan_app::province::{import_agencies, import_province};
use danvan_app::unit::{add_identifier, create};
use danvan_app::{Refusal, User};
use danvan_domain::Role;
use danvan_domain::identifier::Scheme;
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_store::Store;
use danvan_store::test_support::official_state;
use time::Date;
use time::macros::date;

fn admin() -> User {
    User::system("test", Role::Admin, None)
}

fn unit(code: &str, name: &str, kind: UnitKind, parent: Option<i64>, from: Date, to: Option<Date>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        short_name: name.into(),
        kind,
        parent_id: parent,
        group_id: None,
        valid_from: from,
        valid_to: to,
    }
}

/// Đắk Nông with two of its districts, carrying their 2004 codes until 30/06/2025.
async fn dak_nong(store: &Store) -> (i64, i64, i64) {
    let end = Some(date!(2025 - 06 - 30));
    let start = date!(2004 - 01 - 01);
    let province = create(
        store,
        &admin(),
        &unit(
            "UBND-DN",
            "UBND tỉnh Đắk Nông",
            UnitKind::ProvincialCommittee,
            None,
            start,
            end,
        ),
    )
    .await
    .unwrap();
    let gia_nghia = create(
        store,
        &admin(),
        &unit(
            "TPGN",
            "UBND thành phố Gia Nghĩa",
            UnitKind::DistrictCommittee,
            Some(province),
            start,
            end,
        ),
    )
    .await
    .unwrap();
    let dak_glong = create(
        store,
        &admin(),
        &unit(
            "DGL",
            "UBND huyện Đắk Glong",
            UnitKind::DistrictCommittee,
            Some(province),
            start,
            end,
        ),
    )
    .await
    .unwrap();
    for (id, code) in [(province, "67"), (gia_nghia, "660"), (dak_glong, "661")] {
        add_identifier(store, &admin(), id, Scheme::Admin, code, start, end)
            .await
            .unwrap();
    }
    (province, gia_nghia, dak_glong)
}

async fn a_province_is_set_up_from_the_map_once(store: Store) {
    let (dak_nong, gia_nghia, dak_glong) = dak_nong(&store).await;
    // Lâm Đồng's committee was entered by hand before: it is found by its name, not doubled.
    let by_hand = create(
        &store,
        &admin(),
        &unit(
            "UBND-LD",
            "UBND tỉnh Lâm Đồng",
            UnitKind::ProvincialCommittee,
            None,
            date!(2025 - 07 - 01),
            None,
        ),
    )
    .await
    .unwrap();
    let first = import_province(&store, &admin(), "68").await.unwrap();
    assert_eq!(first.committee_id, by_hand);
    assert_eq!((first.created, first.existing), (124, 1));
    let units = store.list_units().await.unwrap();
    let communes: Vec<_> = units
        .iter()
        .filter(|u| u.kind == UnitKind::CommuneCommittee && u.parent_id == Some(by_hand))
        .collect();
    assert_eq!(communes.len(), 124);
    let xuan_huong = units.iter().find(|u| u.code == "UBND-24781").unwrap();
    assert_eq!(
        (
            xuan_huong.name.as_str(),
            xuan_huong.short_name.as_str(),
            xuan_huong.valid_from
        ),
        (
            "UBND phường Xuân Hương - Đà Lạt",
            "Phường Xuân Hương - Đà Lạt",
            date!(2025 - 07 - 01)
        )
    );
    assert_eq!(
        store
            .unit_with_identifier(Scheme::Admin, "24781", date!(2026 - 01 - 01))
            .await
            .unwrap(),
        Some(xuan_huong.id)
    );
    // Đắk Nông's committee passes to Lâm Đồng's; Gia Nghĩa's to the wards formed from its
    // communes; Bắc Gia Nghĩa took one commune of Đắk Glong too.
    let successors_of = async |id| -> Vec<i64> {
        store
            .successions_of(id)
            .await
            .unwrap()
            .iter()
            .filter(|s| s.predecessor_id == id)
            .map(|s| s.successor_id)
            .collect()
    };
    assert_eq!(successors_of(dak_nong).await, [by_hand]);
    let bac_gia_nghia = units.iter().find(|u| u.code == "UBND-24611").unwrap().id;
    let predecessors: Vec<i64> = store
        .successions_of(bac_gia_nghia)
        .await
        .unwrap()
        .iter()
        .map(|s| s.predecessor_id)
        .collect();
    assert_eq!(predecessors.len(), 2);
    assert!(predecessors.contains(&gia_nghia) && predecessors.contains(&dak_glong));
    assert_eq!(successors_of(gia_nghia).await.len(), 3, "Bắc, Nam and Đông Gia Nghĩa");
    assert!(first.linked >= 6, "{first:?}");
    // Again: nothing is created or linked twice, and no table changes.
    let before = official_state(&store).await;
    let again = import_province(&store, &admin(), "68").await.unwrap();
    assert_eq!((again.created, again.existing, again.linked), (0, 125, 0));
    let mut after = official_state(&store).await;
    // Only reading happened: the audit log is the same too.
    after.retain(|table, _| before.contains_key(table));
    assert_eq!(before, after);
    // Another province whose communes share names with Lâm Đồng's gets its own.
    let dak_lak = import_province(&store, &admin(), "66").await.unwrap();
    let map = danvan_domain::admin_map::map();
    assert_eq!(
        (dak_lak.created, dak_lak.existing),
        (1 + map.communes_of("66").count(), 0)
    );
    // Unknown codes and roles that may not keep the list are refused.
    assert!(matches!(
        import_province(&store, &admin(), "67").await,
        Err(Refusal::Invalid(_))
    ));
    let officer = User::system("test", Role::Officer, Some(gia_nghia));
    assert!(matches!(
        import_province(&store, &officer, "66").await,
        Err(Refusal::Forbidden)
    ));
}

fn rows(lines: &[&[&str]]) -> BTreeMap<usize, Vec<String>> {
    lines
        .iter()
        .enumerate()
        .map(|(i, cells)| (i + 1, cells.iter().map(|c| (*c).to_owned()).collect()))
        .collect()
}

async fn agencies_come_from_a_spreadsheet_all_or_nothing(store: Store) {
    let province = import_province(&store, &admin(), "68").await.unwrap().committee_id;
    let group = danvan_app::unit::create_group(&store, &admin(), "SBN", "Sở, ban, ngành", 1)
        .await
        .unwrap();
    let from = date!(2025 - 07 - 01);
    let header: &[&str] = &["Tên đơn vị", "Tên viết tắt", "Loại", "Nhóm", "Mã", "Mã định danh"];
    let bad = rows(&[
        header,
        &["Sở Nội vụ", "SNV", "Sở, ban, ngành", "SBN", "LD-SNV", "H36.11"],
        &["", "", "bộ", "Khối lạ", "x", "Z1"],
        &["Sở Tài chính", "STC", "sở", "", "LD-SNV", ""],
    ]);
    let before = official_state(&store).await;
    let Err(Refusal::Invalid(problems)) = import_agencies(&store, &admin(), &bad, province, from).await else {
        panic!("a sheet with bad rows must be refused");
    };
    assert_eq!(
        before,
        official_state(&store).await,
        "nothing of a refused sheet is kept"
    );
    let text = problems.join("\n");
    for expected in [
        "Dòng 3: không có nhóm đơn vị “Khối lạ”.",
        "Dòng 3: Mã định danh điện tử gồm",
        "Dòng 3: Tên đơn vị không được để trống",
        "Dòng 3: loại đơn vị “bộ” không có",
        "Dòng 3: Mã đơn vị gồm",
        "Dòng 4: mã LD-SNV trùng với một dòng phía trên.",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let good = rows(&[
        header,
        &["Sở Nội vụ", "SNV", "Sở, ban, ngành", "SBN", "LD-SNV", "H36.11"],
        &["Sở Tài chính", "STC", "sở", "Sở, ban, ngành", "LD-STC", ""],
        &["", "", "", "", "", ""],
        &[
            "Đài Phát thanh và Truyền hình",
            "PTTH",
            "Đơn vị sự nghiệp",
            "",
            "LD-PTTH",
            "",
        ],
    ]);
    let ids = import_agencies(&store, &admin(), &good, province, from).await.unwrap();
    assert_eq!(ids.len(), 3);
    let snv = store.unit(ids[0]).await.unwrap().unwrap();
    assert_eq!(
        (snv.name.as_str(), snv.kind, snv.group_id, snv.parent_id, snv.valid_from),
        ("Sở Nội vụ", UnitKind::Department, Some(group), Some(province), from)
    );
    assert_eq!(
        store.unit_with_identifier(Scheme::Egov, "H36.11", from).await.unwrap(),
        Some(ids[0])
    );
    // The same sheet again: the codes exist, so nothing is created.
    let before = official_state(&store).await;
    let Err(Refusal::Invalid(problems)) = import_agencies(&store, &admin(), &good, province, from).await else {
        panic!("a sheet of existing codes must be refused");
    };
    // Every clash is named at once, before anything is created.
    assert_eq!(
        problems,
        [
            "Dòng 2: mã LD-SNV đã được dùng cho một đơn vị khác.",
            "Dòng 2: mã định danh H36.11 đang được một đơn vị khác sử dụng.",
            "Dòng 3: mã LD-STC đã được dùng cho một đơn vị khác.",
            "Dòng 5: mã LD-PTTH đã được dùng cho một đơn vị khác.",
        ]
    );
    assert_eq!(before, official_state(&store).await);
}

danvan_store::conformance!(
    a_province_is_set_up_from_the_map_once,
    agencies_come_from_a_spreadsheet_all_or_nothing
);
