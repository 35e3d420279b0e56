//! Single sign-on's records (issue 19), on both databases: attempts taken once and only while
//! fresh, sessions marked as opened through the provider, accounts found by e-mail, the pool's
//! state for the metrics.

use danvan_domain::{Password, Role, Username};
use danvan_store::oidc::{OidcAttempt, Purpose};
use danvan_store::{Actor, NewAccount, SessionRecord, Store, conformance};

conformance!(
    an_attempt_is_taken_once_and_only_while_fresh,
    a_session_opened_through_the_provider_is_marked_and_goes_with_it,
    an_account_is_found_by_its_email_only_when_one_has_it,
    the_pool_reports_its_connections,
);

async fn account(store: &Store, username: &str, email: Option<&str>) -> i64 {
    store
        .create_account(
            &Actor::system("test"),
            &NewAccount {
                username: Username::parse(username).unwrap(),
                display_name: format!("Người dùng {username}"),
                role: Role::Leader,
                unit_id: None,
                password_hash: Password::unchecked_for_demo("demo").hash(),
                must_change_password: false,
                email: email.map(str::to_owned),
            },
        )
        .await
        .unwrap()
}

fn attempt(state_hash: &str, created_at: i64) -> OidcAttempt {
    OidcAttempt {
        state_hash: state_hash.to_owned(),
        purpose: Purpose::Login,
        nonce: "n".into(),
        verifier: "v".into(),
        next: "/board".into(),
        account_id: None,
        session_id: None,
        created_at,
    }
}

async fn an_attempt_is_taken_once_and_only_while_fresh(store: Store) {
    let now = 1_800_000_000;
    store.create_oidc_attempt(&attempt("a", now)).await.unwrap();
    store.create_oidc_attempt(&attempt("old", now - 900)).await.unwrap();
    let taken = store.take_oidc_attempt("a", now + 5, now - 600).await.unwrap().unwrap();
    assert_eq!(taken, attempt("a", now));
    assert!(
        store
            .take_oidc_attempt("a", now + 6, now - 600)
            .await
            .unwrap()
            .is_none(),
        "once"
    );
    assert!(
        store
            .take_oidc_attempt("old", now + 6, now - 600)
            .await
            .unwrap()
            .is_none(),
        "stale"
    );
    assert!(store.take_oidc_attempt("none", now, 0).await.unwrap().is_none());
    // A new attempt clears those older than a day.
    store
        .create_oidc_attempt(&attempt("later", now + 90_000))
        .await
        .unwrap();
    assert!(store.take_oidc_attempt("old", now, 0).await.unwrap().is_none());
}

async fn a_session_opened_through_the_provider_is_marked_and_goes_with_it(store: Store) {
    let id = account(&store, "lanhdao", None).await;
    for token in ["sso", "password"] {
        store
            .create_session(&SessionRecord {
                token_hash: token.into(),
                account_id: id,
                csrf_token: "c".into(),
                ip: None,
                created_at: 1,
                last_seen_at: 1,
            })
            .await
            .unwrap();
    }
    store.mark_sso_session("sso", "sub-1").await.unwrap();
    assert!(store.session_with_sso("sso").await.unwrap().unwrap().2);
    assert!(!store.session_with_sso("password").await.unwrap().unwrap().2);
    store.delete_session("sso").await.unwrap();
    // A new session under the same token is not marked: the mark went with its session.
    store
        .create_session(&SessionRecord {
            token_hash: "sso".into(),
            account_id: id,
            csrf_token: "c".into(),
            ip: None,
            created_at: 2,
            last_seen_at: 2,
        })
        .await
        .unwrap();
    assert!(!store.session_with_sso("sso").await.unwrap().unwrap().2);
}

async fn an_account_is_found_by_its_email_only_when_one_has_it(store: Store) {
    let one = account(&store, "motnguoi", Some("Mot.Nguoi@daknong.gov.vn")).await;
    account(&store, "haia", Some("chung@daknong.gov.vn")).await;
    account(&store, "haib", Some("CHUNG@daknong.gov.vn")).await;
    let found = store
        .account_by_email(" mot.nguoi@DAKNONG.gov.vn ")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, one);
    assert!(
        store.account_by_email("chung@daknong.gov.vn").await.unwrap().is_none(),
        "two people"
    );
    assert!(store.account_by_email("khong@daknong.gov.vn").await.unwrap().is_none());
    assert_eq!(store.account(one).await.unwrap().unwrap().username, "motnguoi");
    assert!(store.account(999_999).await.unwrap().is_none());
}

async fn the_pool_reports_its_connections(store: Store) {
    assert!(store.ping().await);
    let pool = store.pool_status();
    assert!(pool.max >= 1);
    assert!(pool.open >= 1 && pool.open <= pool.max, "{pool:?}");
    assert!(pool.idle <= pool.open, "{pool:?}");
}
