//! API tokens and the API's paged reads (issue 19), on both databases.

use danvan_domain::directive::Deadline;
use danvan_domain::unit::{NewUnit, UnitInput, UnitKind};
use danvan_domain::{Password, Role, Username};
use danvan_store::account::INACTIVE_SECONDS;
use danvan_store::api_token::{NewApiToken, Scope};
use danvan_store::directive::{NewDirective, NewTask};
use danvan_store::test_support::RawSql;
use danvan_store::{Actor, AuditFilter, NewAccount, Store, StoreError, conformance};
use time::macros::date;

conformance!(
    tokens_are_issued_found_by_hash_touched_and_revoked_with_audit,
    a_token_in_use_keeps_its_account_from_the_unused_sweep,
    assignments_are_read_page_by_page_in_id_order,
);

fn actor() -> Actor {
    Actor::system("test")
}

async fn account(store: &Store, username: &str, role: Role, unit_id: Option<i64>) -> i64 {
    store
        .create_account(
            &actor(),
            &NewAccount {
                username: Username::parse(username).unwrap(),
                display_name: format!("Người dùng {username}"),
                role,
                unit_id,
                password_hash: Password::unchecked_for_demo("demo").hash(),
                must_change_password: false,
                email: None,
            },
        )
        .await
        .unwrap()
}

async fn unit(store: &Store, code: &str) -> i64 {
    let unit = NewUnit::parse(&UnitInput {
        code,
        name: &format!("Sở {code}"),
        short_name: "",
        kind: UnitKind::Department.code(),
        parent_id: None,
        group_id: None,
        valid_from: "01/01/2004",
        valid_to: "",
    })
    .unwrap();
    store.create_unit(&actor(), &unit).await.unwrap()
}

fn token(name: &str, hash: &str, account_id: i64, scopes: Vec<Scope>, expires_at: i64) -> NewApiToken {
    NewApiToken {
        name: name.to_owned(),
        token_hash: hash.to_owned(),
        account_id,
        scopes,
        expires_at,
    }
}

async fn tokens_are_issued_found_by_hash_touched_and_revoked_with_audit(store: Store) {
    let unit_id = unit(&store, "SNV").await;
    let officer = account(&store, "canbo", Role::Officer, Some(unit_id)).await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let id = store
        .create_api_token(
            &actor(),
            &token(
                "LGSP",
                "hash-1",
                officer,
                vec![Scope::Report, Scope::Read],
                now + 86_400,
            ),
        )
        .await
        .unwrap();
    // A second token of the same name is refused; one for an account that does not exist too.
    let again = store
        .create_api_token(
            &actor(),
            &token("LGSP", "hash-2", officer, vec![Scope::Read], now + 86_400),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict("name"))), "{again:?}");
    let nobody = store
        .create_api_token(
            &actor(),
            &token("Khác", "hash-3", 999_999, vec![Scope::Read], now + 86_400),
        )
        .await;
    assert!(matches!(nobody, Err(StoreError::NotFound)), "{nobody:?}");

    let grant = store.api_token_by_hash("hash-1").await.unwrap().unwrap();
    assert_eq!(grant.token.id, id);
    assert_eq!(grant.token.role, Role::Officer);
    assert_eq!(grant.token.unit_id, Some(unit_id));
    assert_eq!(grant.token.scopes, [Scope::Read, Scope::Report]);
    assert!(grant.token.is_live(now));
    assert!(!grant.account_disabled);
    assert!(store.api_token_by_hash("hash-9").await.unwrap().is_none());

    // The last use is written at most once a minute.
    store.touch_api_token(id, now).await.unwrap();
    store.touch_api_token(id, now + 30).await.unwrap();
    assert_eq!(store.list_api_tokens().await.unwrap()[0].last_used_at, Some(now));
    store.touch_api_token(id, now + 61).await.unwrap();
    assert_eq!(store.list_api_tokens().await.unwrap()[0].last_used_at, Some(now + 61));

    store
        .record_api_call(
            &Actor::account(officer, "api:LGSP", None),
            id,
            "GET",
            "/api/v1/units",
            200,
        )
        .await
        .unwrap();
    assert!(store.revoke_api_token(&actor(), id).await.unwrap());
    assert!(!store.revoke_api_token(&actor(), id).await.unwrap(), "revoked once");
    assert!(matches!(
        store.revoke_api_token(&actor(), 999_999).await,
        Err(StoreError::NotFound)
    ));
    let revoked = store.api_token_by_hash("hash-1").await.unwrap().unwrap();
    assert!(revoked.token.revoked_at.is_some());
    assert!(!revoked.token.is_live(now));
    for (action, count) in [("issue", 1), ("revoke", 1), ("call", 1)] {
        let entries = store
            .audit_entries(&AuditFilter {
                action: Some(action.into()),
                object_type: Some("api_token".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(entries.len(), count, "{action}");
    }
}

async fn a_token_in_use_keeps_its_account_from_the_unused_sweep(store: Store) {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let day = 86_400;
    let system = account(&store, "hethong", Role::Leader, None).await;
    let idle = account(&store, "nhanroi", Role::Leader, None).await;
    let revoked = account(&store, "dathuhoi", Role::Leader, None).await;
    for id in [system, idle, revoked] {
        store
            .execute_raw_for_tests(&format!(
                "update account set last_login_at = null, updated_at = {} where account_id = {id}",
                now - 60 * day
            ))
            .await
            .unwrap();
    }
    for (name, hash, id) in [
        ("Đang gọi", "h1", system),
        ("Không gọi", "h2", idle),
        ("Thu hồi", "h3", revoked),
    ] {
        let token_id = store
            .create_api_token(&actor(), &token(name, hash, id, vec![Scope::Read], now + 30 * day))
            .await
            .unwrap();
        // Issued long ago; only the first is still called.
        let used = if id == system { now - day } else { now - 50 * day };
        store
            .execute_raw_for_tests(&format!(
                "update api_token set created_at = {}, last_used_at = {used} where api_token_id = {token_id}",
                now - 60 * day
            ))
            .await
            .unwrap();
        if id == revoked {
            store.revoke_api_token(&actor(), token_id).await.unwrap();
            store
                .execute_raw_for_tests(&format!(
                    "update api_token set last_used_at = {} where api_token_id = {token_id}",
                    now - day
                ))
                .await
                .unwrap();
        }
    }
    let found = store.inactive_accounts(now - INACTIVE_SECONDS).await.unwrap();
    let names: Vec<&str> = found.iter().map(|(_, name)| name.as_str()).collect();
    assert_eq!(names, ["nhanroi", "dathuhoi"]);
}

async fn assignments_are_read_page_by_page_in_id_order(store: Store) {
    let a = unit(&store, "SA").await;
    let b = unit(&store, "SB").await;
    let mut calendar = store.work_calendar().await.unwrap();
    let directive = NewDirective {
        document_id: None,
        title: "Kế hoạch thử".into(),
        document_date: date!(2022 - 04 - 25),
        tasks: (0..5)
            .map(|n| NewTask {
                content: format!("Nhiệm vụ {n}"),
                monitor_unit_id: None,
                deadline: Deadline::On(date!(2022 - 06 - 30)),
                leads: vec![a],
                supports: vec![b],
            })
            .collect(),
    };
    store
        .create_directive(&actor(), &directive, &mut calendar, date!(2022 - 04 - 26))
        .await
        .unwrap();
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = store.assignments_page(after, None, 3).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 3);
        after = page.last().unwrap().id;
        seen.extend(page.into_iter().map(|p| p.id));
    }
    assert_eq!(seen.len(), 10);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    let of_a = store.assignments_page(0, Some(a), 100).await.unwrap();
    assert_eq!(of_a.len(), 5);
    assert!(of_a.iter().all(|x| x.unit_id == a && x.lead));
}
