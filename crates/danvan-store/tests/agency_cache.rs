//! The agencies kept in memory (issue 18) stay true on both databases: after a change made
//! through the same store, through a second store on the same database (another app server, or
//! the command line beside the server), and never showing what a transaction has not committed;
//! and the data generation that pages are kept under differs between databases of different
//! histories (migration 0029).

use danvan_domain::identifier::Scheme;
use danvan_domain::unit::{NewUnit, UnitInput, UnitKind};
use danvan_store::test_support::fresh_url;
use danvan_store::{Actor, Backend, Store};
use time::macros::date;

fn unit(code: &str, name: &str) -> NewUnit {
    NewUnit::parse(&UnitInput {
        code,
        name,
        short_name: "",
        kind: UnitKind::Department.code(),
        parent_id: None,
        group_id: None,
        valid_from: "01/01/2004",
        valid_to: "",
    })
    .unwrap()
}

async fn names(store: &Store) -> Vec<String> {
    store.list_units().await.unwrap().into_iter().map(|u| u.name).collect()
}

async fn codes(store: &Store) -> Vec<String> {
    store
        .list_identifiers()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.code)
        .collect()
}

async fn agencies_in_memory_follow_every_change(backend: Backend) {
    let url = fresh_url(backend).await;
    let server = Store::connect(&url, 4).await.unwrap();
    server.migrate().await.unwrap();
    let other = Store::connect(&url, 4).await.unwrap();
    let actor = Actor::system("test");

    let a = server.create_unit(&actor, &unit("SA", "Sở A")).await.unwrap();
    assert_eq!(names(&server).await, ["Sở A"]);
    assert_eq!(names(&other).await, ["Sở A"]);
    assert!(codes(&server).await.is_empty());

    // Changed by the other server: this one reads the agencies again.
    other.update_unit(&actor, a, &unit("SA", "Sở A mới")).await.unwrap();
    assert_eq!(names(&server).await, ["Sở A mới"]);
    assert_eq!(
        server.unit_names().await.unwrap().get(&a).map(String::as_str),
        Some("Sở A mới")
    );
    other
        .add_identifier(&actor, a, Scheme::Egov, "H17.01", date!(2022 - 01 - 01), None)
        .await
        .unwrap();
    assert_eq!(codes(&server).await, ["H17.01"]);
    assert_eq!(names(&server).await, ["Sở A mới"]);

    // Changed by this server: the other reads them again too.
    server.create_unit(&actor, &unit("SB", "Sở B")).await.unwrap();
    assert_eq!(names(&other).await, ["Sở A mới", "Sở B"]);

    // A transaction sees its own change; nobody else does, before or after it is rolled back,
    // and the memory is not left holding it.
    let scope = server.begin_scope().await.unwrap();
    scope.create_unit(&actor, &unit("SC", "Sở C")).await.unwrap();
    assert_eq!(names(&scope).await, ["Sở A mới", "Sở B", "Sở C"]);
    drop(scope);
    assert_eq!(names(&server).await, ["Sở A mới", "Sở B"]);
    assert_eq!(names(&other).await, ["Sở A mới", "Sở B"]);

    // Committed, it is seen everywhere.
    let scope = server.begin_scope().await.unwrap();
    scope.create_unit(&actor, &unit("SD", "Sở D")).await.unwrap();
    scope.commit_scope().await.unwrap();
    assert_eq!(names(&server).await, ["Sở A mới", "Sở B", "Sở D"]);
    assert_eq!(names(&other).await, ["Sở A mới", "Sở B", "Sở D"]);
}

#[tokio::test]
async fn agencies_in_memory_follow_every_change_on_sqlite() {
    agencies_in_memory_follow_every_change(Backend::Sqlite).await;
}

#[tokio::test]
async fn agencies_in_memory_follow_every_change_on_postgres() {
    agencies_in_memory_follow_every_change(Backend::Postgres).await;
}

/// Migration 0029: databases migrated to 0028 with no change of data since shared one data
/// generation, whatever their histories; they now start from their own audit chains. A
/// database with a change of data since 0028 keeps its generation.
async fn databases_of_different_histories_have_different_generations(backend: Backend) {
    use danvan_domain::audit::Action;
    let actor = Actor::system("test");
    let mut stores = Vec::new();
    for sign_ins in [1, 2] {
        let store = danvan_store::test_support::store_migrated_through(backend, 28).await;
        for _ in 0..sign_ins {
            store.record_security_event(&actor, Action::Login, 1).await.unwrap();
        }
        stores.push(store);
    }
    let changed = danvan_store::test_support::store_migrated_through(backend, 28).await;
    changed.create_unit(&actor, &unit("SA", "Sở A")).await.unwrap();
    let mut before = Vec::new();
    for store in stores.iter().chain([&changed]) {
        before.push(store.data_generation().await.unwrap().unwrap());
    }
    assert_eq!(before[0], before[1], "the fault 0029 mends");
    let mut after = Vec::new();
    for store in stores.into_iter().chain([changed]) {
        store.migrate().await.unwrap();
        after.push(store.data_generation().await.unwrap().unwrap());
    }
    assert_ne!(after[0], after[1]);
    assert_eq!((after[0].records, after[1].records), (1, 2));
    assert_eq!(after[2], before[2]);
}

#[tokio::test]
async fn databases_of_different_histories_have_different_generations_on_sqlite() {
    databases_of_different_histories_have_different_generations(Backend::Sqlite).await;
}

#[tokio::test]
async fn databases_of_different_histories_have_different_generations_on_postgres() {
    databases_of_different_histories_have_different_generations(Backend::Postgres).await;
}
