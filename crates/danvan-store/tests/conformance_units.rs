//! The conformance suite for agencies' identifiers and successions linked after the fact (the
//! 2025 map), on SQLite and PostgreSQL.

use danvan_domain::UnitError;
use danvan_domain::identifier::Scheme;
use danvan_domain::unit::{NewUnit, SuccessionKind, UnitInput, UnitKind};
use danvan_store::{Actor, AuditFilter, Store, StoreError, conformance};
use time::macros::date;

conformance!(
    identifiers_are_unique_among_agencies_alive_on_a_day,
    an_identifier_ends_and_the_code_passes_on,
    a_succession_is_linked_after_the_closing,
    open_work_moves_to_another_agency_once,
);

fn actor() -> Actor {
    Actor::system("test")
}

async fn unit(store: &Store, code: &str, name: &str, from: &str, to: &str) -> i64 {
    let unit = NewUnit::parse(&UnitInput {
        code,
        name,
        short_name: "",
        kind: UnitKind::Department.code(),
        parent_id: None,
        group_id: None,
        valid_from: from,
        valid_to: to,
    })
    .unwrap();
    store.create_unit(&actor(), &unit).await.unwrap()
}

fn refusal(result: Result<i64, StoreError>) -> UnitError {
    match result {
        Err(StoreError::Unit(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn identifiers_are_unique_among_agencies_alive_on_a_day(store: Store) {
    let old = unit(&store, "UBND-DN", "UBND tỉnh Đắk Nông", "01/01/2004", "30/06/2025").await;
    let new = unit(&store, "UBND-LD", "UBND tỉnh Lâm Đồng", "01/07/2025", "").await;
    let other = unit(&store, "SNV", "Sở Nội vụ", "01/01/2004", "").await;
    let first = store
        .add_identifier(
            &actor(),
            old,
            Scheme::Egov,
            "H45",
            date!(2020 - 09 - 15),
            Some(date!(2025 - 06 - 30)),
        )
        .await
        .unwrap();
    // The same code from the next day on another agency is fine; on a shared day it is not.
    store
        .add_identifier(&actor(), new, Scheme::Egov, "H45", date!(2025 - 07 - 01), None)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            store
                .add_identifier(
                    &actor(),
                    other,
                    Scheme::Egov,
                    "H45",
                    date!(2025 - 06 - 30),
                    Some(date!(2025 - 06 - 30))
                )
                .await
        ),
        UnitError::IdentifierTaken
    );
    // One code of a scheme at a time per agency; the other scheme is separate.
    assert_eq!(
        refusal(
            store
                .add_identifier(&actor(), new, Scheme::Egov, "H68", date!(2026 - 01 - 01), None)
                .await
        ),
        UnitError::IdentifierOverlap
    );
    store
        .add_identifier(&actor(), new, Scheme::Admin, "68", date!(2025 - 07 - 01), None)
        .await
        .unwrap();
    assert!(matches!(
        store
            .add_identifier(&actor(), 9999, Scheme::Egov, "H01", date!(2025 - 07 - 01), None)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .unit_with_identifier(Scheme::Egov, "H45", date!(2022 - 12 - 15))
            .await
            .unwrap(),
        Some(old)
    );
    assert_eq!(
        store
            .unit_with_identifier(Scheme::Egov, "H45", date!(2025 - 07 - 01))
            .await
            .unwrap(),
        Some(new)
    );
    assert_eq!(
        store
            .unit_with_identifier(Scheme::Admin, "68", date!(2025 - 06 - 30))
            .await
            .unwrap(),
        None
    );
    let of_new: Vec<(Scheme, String)> = store
        .identifiers_of(new)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.scheme, i.code))
        .collect();
    assert_eq!(of_new, [(Scheme::Egov, "H45".into()), (Scheme::Admin, "68".into())]);
    let all = store.list_identifiers().await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].id, first);
    assert_eq!(all[0].valid_to, Some(date!(2025 - 06 - 30)));
    // Each addition is audited against its agency.
    let audited = store
        .audit_entries(&AuditFilter {
            object_type: Some("unit".into()),
            action: Some("add_identifier".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .len();
    assert_eq!(audited, 3);
}

async fn an_identifier_ends_and_the_code_passes_on(store: Store) {
    // Closing an agency ends its codes the same day: its successor carries them the next.
    let town = unit(&store, "TXGN", "UBND thị xã Gia Nghĩa", "01/01/2004", "").await;
    let city = unit(&store, "TPGN", "UBND thành phố Gia Nghĩa", "01/02/2020", "").await;
    store
        .add_identifier(&actor(), town, Scheme::Admin, "660", date!(2004 - 01 - 01), None)
        .await
        .unwrap();
    store
        .close_unit(&actor(), town, date!(2020 - 01 - 31), SuccessionKind::Rename, &[city])
        .await
        .unwrap();
    assert_eq!(
        store.identifiers_of(town).await.unwrap()[0].valid_to,
        Some(date!(2020 - 01 - 31))
    );
    store
        .add_identifier(&actor(), city, Scheme::Admin, "660", date!(2020 - 02 - 01), None)
        .await
        .unwrap();
    assert_eq!(
        store
            .unit_with_identifier(Scheme::Admin, "660", date!(2019 - 06 - 01))
            .await
            .unwrap(),
        Some(town)
    );
    let a = unit(
        &store,
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        "01/01/2004",
        "",
    )
    .await;
    let b = unit(&store, "SNV", "Sở Nội vụ", "01/01/2004", "").await;
    let id = store
        .add_identifier(&actor(), a, Scheme::Egov, "H45.20", date!(2020 - 09 - 15), None)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            store
                .add_identifier(&actor(), b, Scheme::Egov, "H45.20", date!(2025 - 03 - 01), None)
                .await
        ),
        UnitError::IdentifierTaken
    );
    assert!(matches!(
        store.end_identifier(&actor(), id, date!(2019 - 01 - 01)).await,
        Err(StoreError::Unit(UnitError::DateOrder))
    ));
    store.end_identifier(&actor(), id, date!(2025 - 02 - 28)).await.unwrap();
    assert!(matches!(
        store.end_identifier(&actor(), id, date!(2025 - 02 - 28)).await,
        Err(StoreError::Unit(UnitError::AlreadyClosed))
    ));
    store
        .add_identifier(&actor(), b, Scheme::Egov, "H45.20", date!(2025 - 03 - 01), None)
        .await
        .unwrap();
    assert_eq!(
        store.identifiers_of(a).await.unwrap()[0].valid_to,
        Some(date!(2025 - 02 - 28))
    );
}

async fn a_succession_is_linked_after_the_closing(store: Store) {
    let district = unit(&store, "TPGN", "UBND thành phố Gia Nghĩa", "01/01/2004", "30/06/2025").await;
    let ward = unit(&store, "UBND-24611", "UBND phường Bắc Gia Nghĩa", "01/07/2025", "").await;
    let later = unit(&store, "LATER", "UBND xã Mới", "01/08/2025", "").await;
    let alive = unit(&store, "SNV", "Sở Nội vụ", "01/01/2004", "").await;
    let system = actor();
    let link = |p, s| store.link_succession(&system, p, s, SuccessionKind::Split, date!(2025 - 07 - 01));
    assert!(matches!(
        link(alive, ward).await,
        Err(StoreError::Unit(UnitError::PredecessorNotEnded))
    ));
    assert!(matches!(
        link(district, later).await,
        Err(StoreError::Unit(UnitError::SuccessorNotActive))
    ));
    assert!(matches!(
        link(district, district).await,
        Err(StoreError::Unit(UnitError::SelfReference))
    ));
    link(district, ward).await.unwrap();
    assert!(matches!(link(district, ward).await, Err(StoreError::Conflict(_))));
    let all = store.list_successions().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].predecessor_id, all[0].successor_id), (district, ward));
    let successions = store.successions_of(ward).await.unwrap();
    assert_eq!(successions.len(), 1);
    assert_eq!(
        (
            successions[0].predecessor_id,
            successions[0].kind,
            successions[0].effective_on
        ),
        (district, SuccessionKind::Split, date!(2025 - 07 - 01))
    );
}

async fn open_work_moves_to_another_agency_once(store: Store) {
    use danvan_domain::directive::Deadline;
    use danvan_store::directive::{NewDirective, NewTask};
    use danvan_store::leader::NewLeader;
    use danvan_store::test_support::RawSql;
    let a = unit(&store, "SA", "Sở A", "01/01/2004", "").await;
    let b = unit(&store, "SB", "Sở B", "01/01/2004", "").await;
    let c = unit(&store, "SC", "Sở C", "01/01/2004", "").await;
    let mut calendar = store.work_calendar().await.unwrap();
    let task = |content: &str, leads: Vec<i64>| NewTask {
        content: content.into(),
        monitor_unit_id: None,
        deadline: Deadline::On(date!(2025 - 06 - 30)),
        leads,
        supports: vec![],
    };
    let directive = store
        .create_directive(
            &actor(),
            &NewDirective {
                document_id: None,
                title: "Kế hoạch 1/KH-UBND".into(),
                document_date: date!(2025 - 01 - 06),
                tasks: vec![task("Một.", vec![a, b]), task("Hai.", vec![a]), task("Ba.", vec![a])],
            },
            &mut calendar,
            date!(2025 - 01 - 06),
        )
        .await
        .unwrap();
    let held = store.directive(directive).await.unwrap().unwrap();
    let part = |t: usize, unit: i64| held.tasks[t].assignments.iter().find(|x| x.unit_id == unit).unwrap().id;
    let (shared, open, done) = (part(0, a), part(1, a), part(2, a));
    store
        .execute_raw_for_tests(&format!(
            "update assignment set completed_on = '2025-02-01' where assignment_id = {done}"
        ))
        .await
        .unwrap();
    // B already has a part in the first task; a finished part does not move.
    assert!(matches!(
        store.move_assignment(&actor(), shared, b).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.move_assignment(&actor(), done, c).await,
        Err(StoreError::Conflict("state"))
    ));
    store.move_assignment(&actor(), open, c).await.unwrap();
    assert_eq!(store.assignment(open).await.unwrap().unwrap().unit_id, c);
    let moves = store
        .audit_entries(&AuditFilter {
            object_type: Some("assignment".into()),
            action: Some("move".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(moves.len(), 1);
    // A leader's assignment ends once, not before it began.
    let leader = store
        .assign_leader(
            &actor(),
            &NewLeader {
                unit_id: a,
                name: "Trần Văn Thử".into(),
                position: "Phó Giám đốc".into(),
                decision: "1/QĐ".into(),
                valid_from: date!(2024 - 01 - 01),
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        store.end_leader(&actor(), leader, date!(2023 - 12 - 31)).await,
        Err(StoreError::Conflict("valid_to"))
    ));
    store.end_leader(&actor(), leader, date!(2025 - 02 - 28)).await.unwrap();
    assert!(matches!(
        store.end_leader(&actor(), leader, date!(2025 - 02 - 28)).await,
        Err(StoreError::Conflict("state"))
    ));
    assert_eq!(store.leader_on(a, date!(2025 - 03 - 01)).await.unwrap(), None);
    // A filing that was not submitted moves; one unknown is refused.
    assert!(matches!(
        store.move_filing(&actor(), 9999, c).await,
        Err(StoreError::Conflict("state"))
    ));
}
