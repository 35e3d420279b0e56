//! Restructuring agencies carries their open work to their successors, in one transaction, on
//! SQLite and PostgreSQL: a merger into a new agency, a split with a choice per item, and a
//! refused plan that changes nothing.

use std::collections::HashMap;

use danvan_app::restructure::{NEW_UNIT, Plan, apply, preview};
use danvan_app::{Refusal, User};
use danvan_domain::directive::Deadline;
use danvan_domain::report::{Period, PeriodType};
use danvan_domain::restructure::{Moved, Restructuring};
use danvan_domain::unit::{NewUnit, UnitKind};
use danvan_domain::{Password, Role, Username};
use danvan_store::directive::{NewDirective, NewTask};
use danvan_store::leader::NewLeader;
use danvan_store::test_support::official_state;
use danvan_store::{Actor, NewAccount, Store};
use time::Date;
use time::macros::date;

const REPORT_KIND: &str = include_str!("../../../reports/bao-cao-dan-van-nam.toml");

fn admin() -> User {
    User::system("test", Role::Admin, None)
}

fn unit(code: &str, name: &str, parent: Option<i64>, group: Option<i64>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        short_name: name.into(),
        kind: if parent.is_some() {
            UnitKind::Department
        } else {
            UnitKind::ProvincialCommittee
        },
        parent_id: parent,
        group_id: group,
        valid_from: date!(2004 - 01 - 01),
        valid_to: None,
    }
}

struct Province {
    province: i64,
    group: i64,
    labour: i64,
    home: i64,
    finance: i64,
    /// Tasks: both the labour and home departments have the first; the labour one alone the
    /// second.
    shared_task: i64,
    labour_only: i64,
    officer: i64,
    filing: i64,
}

async fn province(store: &Store) -> Province {
    use danvan_app::unit::{create, create_group};
    let s = store;
    let group = create_group(s, &admin(), "SBN", "Khối sở, ban, ngành", 1)
        .await
        .unwrap();
    let province = create(s, &admin(), &unit("UBND-DN", "UBND tỉnh Đắk Nông", None, None))
        .await
        .unwrap();
    let labour = create(
        s,
        &admin(),
        &unit(
            "SLDTBXH",
            "Sở Lao động - Thương binh và Xã hội",
            Some(province),
            Some(group),
        ),
    )
    .await
    .unwrap();
    let home = create(s, &admin(), &unit("SNV", "Sở Nội vụ", Some(province), Some(group)))
        .await
        .unwrap();
    let finance = create(s, &admin(), &unit("STC", "Sở Tài chính", Some(province), None))
        .await
        .unwrap();
    let actor = Actor::system("test");
    let mut calendar = s.work_calendar().await.unwrap();
    let directive = s
        .create_directive(
            &actor,
            &NewDirective {
                document_id: None,
                title: "Kế hoạch 25/KH-UBND".into(),
                document_date: date!(2025 - 01 - 10),
                tasks: vec![
                    NewTask {
                        content: "Rà soát quy chế dân chủ.".into(),
                        monitor_unit_id: None,
                        deadline: Deadline::On(date!(2025 - 06 - 30)),
                        leads: vec![labour, home],
                        supports: vec![],
                    },
                    NewTask {
                        content: "Báo cáo việc làm cho người lao động.".into(),
                        monitor_unit_id: None,
                        deadline: Deadline::On(date!(2025 - 05 - 30)),
                        leads: vec![labour],
                        supports: vec![],
                    },
                ],
            },
            &mut calendar,
            date!(2025 - 01 - 10),
        )
        .await
        .unwrap();
    let held = s.directive(directive).await.unwrap().unwrap();
    s.assign_leader(
        &actor,
        &NewLeader {
            unit_id: labour,
            name: "Nguyễn Văn Thử".into(),
            position: "Phó Giám đốc".into(),
            decision: "12/QĐ-SLĐTBXH".into(),
            valid_from: date!(2023 - 01 - 01),
        },
    )
    .await
    .unwrap();
    let officer = danvan_app::account::create(
        s,
        &admin(),
        &NewAccount {
            username: Username::parse("canbo.ldtbxh").unwrap(),
            display_name: "Cán bộ Sở LĐTBXH".into(),
            role: Role::Officer,
            unit_id: Some(labour),
            password_hash: Password::unchecked_for_demo("demo").hash(),
            must_change_password: false,
            email: None,
        },
    )
    .await
    .unwrap();
    let monitor = User::system("test", Role::Monitor, None);
    let kind = danvan_app::report::save_kind(s, &admin(), REPORT_KIND).await.unwrap().0;
    let period = Period::new(PeriodType::Year, 2024, 1).unwrap();
    let round = danvan_app::report::open_round(s, &monitor, kind, period, date!(2025 - 01 - 20), &[labour, home])
        .await
        .unwrap();
    let filing = s
        .filings(round)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.unit_id == labour)
        .unwrap()
        .id;
    Province {
        province,
        group,
        labour,
        home,
        finance,
        shared_task: held.tasks[0].id,
        labour_only: held.tasks[1].id,
        officer,
        filing,
    }
}

const MARCH: Date = date!(2025 - 03 - 01);

async fn a_merger_into_a_new_agency_carries_the_open_work_over(store: Store) {
    let p = province(&store).await;
    let plan = Plan {
        kind: Restructuring::Merge,
        sources: vec![p.labour, p.home],
        successors: vec![],
        new_unit: Some(NewUnit {
            code: "SNV-2025".into(),
            name: "Sở Nội vụ".into(),
            short_name: "Sở Nội vụ".into(),
            kind: UnitKind::Department,
            parent_id: Some(p.province),
            group_id: None,
            valid_from: MARCH,
            valid_to: None,
        }),
        effective_on: MARCH,
        choices: HashMap::new(),
    };
    let seen = preview(&store, &admin(), &plan).await.unwrap();
    let kinds = |what| seen.items.iter().filter(|i| i.what == what).count();
    // Three open assignments (two of the shared task), one leader, one filing, two group
    // memberships, one account; everything to the new agency.
    assert_eq!(
        [
            Moved::Assignment,
            Moved::Leader,
            Moved::Filing,
            Moved::Group,
            Moved::Account
        ]
        .map(kinds),
        [3, 1, 2, 2, 1]
    );
    // Everything to the new agency but the second department's report of the same round, which
    // the new agency already receives from the first: it stays, as the preview says.
    let kept: Vec<_> = seen.items.iter().filter(|i| i.to != Some(NEW_UNIT)).collect();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].what, kept[0].from_unit), (Moved::Filing, p.home));
    assert!(kept[0].note.as_deref().unwrap().contains("đã có báo cáo của đợt này"));
    let successors = apply(&store, &admin(), &plan).await.unwrap();
    let new = successors[0];
    let moved = store.assignments_of_unit(new).await.unwrap();
    // One part per task: the labour department's part of the shared task moved first, the
    // home department's part of it was withdrawn with its reason, as the preview said.
    let noted: Vec<_> = seen
        .items
        .iter()
        .filter(|i| i.note.is_some() && i.what == Moved::Assignment)
        .collect();
    assert_eq!(noted.len(), 1);
    assert_eq!(noted[0].from_unit, p.home);
    let mut tasks: Vec<i64> = moved.iter().map(|a| a.task_id).collect();
    tasks.sort_unstable();
    assert_eq!(tasks, [p.shared_task, p.labour_only]);
    let withdrawn: Vec<_> = store
        .assignments_of_unit(p.home)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.cancelled.is_some())
        .collect();
    assert_eq!(withdrawn.len(), 1);
    assert!(
        withdrawn[0]
            .cancelled
            .as_ref()
            .unwrap()
            .reason
            .contains("Sở Nội vụ tiếp nhận")
    );
    assert_eq!(
        store.leader_on(new, MARCH).await.unwrap().unwrap().name,
        "Nguyễn Văn Thử"
    );
    assert_eq!(
        store
            .leader_on(p.labour, date!(2025 - 02 - 28))
            .await
            .unwrap()
            .unwrap()
            .valid_to,
        Some(date!(2025 - 02 - 28))
    );
    assert_eq!(store.filing(p.filing).await.unwrap().unwrap().unit_id, new);
    let new_unit = store.unit(new).await.unwrap().unwrap();
    assert_eq!((new_unit.group_id, new_unit.valid_from), (Some(p.group), MARCH));
    let account = store
        .list_accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == p.officer)
        .unwrap();
    assert_eq!(account.unit_id, Some(new));
    for old in [p.labour, p.home] {
        let closed = store.unit(old).await.unwrap().unwrap();
        assert_eq!(closed.valid_to, Some(date!(2025 - 02 - 28)));
        let links = store.successions_of(old).await.unwrap();
        assert!(links.iter().any(|s| s.successor_id == new && s.effective_on == MARCH));
    }
    // Both ways: the new agency names its predecessors.
    assert_eq!(store.successions_of(new).await.unwrap().len(), 2);
}

async fn a_split_sends_each_item_where_it_was_chosen(store: Store) {
    let p = province(&store).await;
    let labour_only = store
        .assignments_of_unit(p.labour)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.task_id == p.labour_only)
        .unwrap()
        .id;
    let mut choices = HashMap::new();
    choices.insert((Moved::Assignment, labour_only), Some(p.finance));
    choices.insert((Moved::Account, p.officer), Some(p.home));
    let plan = Plan {
        kind: Restructuring::Split,
        sources: vec![p.labour],
        successors: vec![p.home, p.finance],
        new_unit: None,
        effective_on: MARCH,
        choices,
    };
    let seen = preview(&store, &admin(), &plan).await.unwrap();
    // Several successors: what nobody chose stays where it was.
    let shared = seen
        .items
        .iter()
        .find(|i| i.what == Moved::Assignment && i.record_id != labour_only)
        .unwrap();
    assert_eq!(shared.to, None);
    apply(&store, &admin(), &plan).await.unwrap();
    assert_eq!(store.assignment(labour_only).await.unwrap().unwrap().unit_id, p.finance);
    let account = store
        .list_accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == p.officer)
        .unwrap();
    assert_eq!(account.unit_id, Some(p.home));
    // The finance department had no group: it did not get one it was not given.
    assert_eq!(store.unit(p.finance).await.unwrap().unwrap().group_id, None);
}

async fn a_refused_restructuring_changes_nothing(store: Store) {
    let p = province(&store).await;
    let before = official_state(&store).await;
    let mut choices = HashMap::new();
    choices.insert((Moved::Account, p.officer), Some(p.province));
    let refused = [
        // A split into one agency.
        Plan {
            kind: Restructuring::Split,
            sources: vec![p.labour],
            successors: vec![p.home],
            new_unit: None,
            effective_on: MARCH,
            choices: HashMap::new(),
        },
        // An item sent to an agency that is not a successor.
        Plan {
            kind: Restructuring::Merge,
            sources: vec![p.labour],
            successors: vec![p.home],
            new_unit: None,
            effective_on: MARCH,
            choices,
        },
        // Before the agency existed.
        Plan {
            kind: Restructuring::Dissolve,
            sources: vec![p.labour],
            successors: vec![],
            new_unit: None,
            effective_on: date!(2000 - 01 - 01),
            choices: HashMap::new(),
        },
    ];
    for plan in &refused {
        assert!(
            matches!(apply(&store, &admin(), plan).await, Err(Refusal::Invalid(_))),
            "{plan:?}"
        );
        assert_eq!(before, official_state(&store).await, "{plan:?}");
    }
    // A code already used by the new agency fails inside the transaction: nothing stays.
    let taken = Plan {
        kind: Restructuring::Rename,
        sources: vec![p.labour],
        successors: vec![],
        new_unit: Some(unit("SNV", "Sở Lao động", Some(p.province), None)),
        effective_on: MARCH,
        choices: HashMap::new(),
    };
    assert!(apply(&store, &admin(), &taken).await.is_err());
    assert_eq!(before, official_state(&store).await);
    // The province's committee still has its departments under it.
    let with_children = Plan {
        kind: Restructuring::Dissolve,
        sources: vec![p.province],
        successors: vec![],
        new_unit: None,
        effective_on: MARCH,
        choices: HashMap::new(),
    };
    match apply(&store, &admin(), &with_children).await {
        Err(Refusal::Invalid(lines)) => assert!(lines[0].contains("còn đơn vị trực thuộc đang hoạt động"), "{lines:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(before, official_state(&store).await);
    // The Department restructures, but only an admin moves accounts: they stay.
    let monitor = User::system("test", Role::Monitor, None);
    let merge = Plan {
        kind: Restructuring::Merge,
        sources: vec![p.labour],
        successors: vec![p.home],
        new_unit: None,
        effective_on: MARCH,
        choices: HashMap::new(),
    };
    let seen = preview(&store, &monitor, &merge).await.unwrap();
    let account = seen.items.iter().find(|i| i.what == Moved::Account).unwrap();
    assert_eq!(account.to, None);
    let officer = User::system("test", Role::Officer, Some(p.labour));
    assert!(matches!(
        apply(&store, &officer, &refused[0]).await,
        Err(Refusal::Forbidden)
    ));
}

danvan_store::conformance!(
    a_merger_into_a_new_agency_carries_the_open_work_over,
    a_split_sends_each_item_where_it_was_chosen,
    a_refused_restructuring_changes_nothing,
);
