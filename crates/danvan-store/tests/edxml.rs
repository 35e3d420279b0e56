//! Conformance of the e-office's records on both databases (issue 16): received packages, their
//! refusal, and packages in the outbox beside mail, each channel claimed by its own sender.

use danvan_store::edxml::{CHANNEL, NewPackage, ReceivedPackage};
use danvan_store::outbox::NewMail;
use danvan_store::{Actor, NewDocument, SaveOutcome, Store, StoreError, conformance};
use time::macros::date;

conformance!(
    a_received_package_is_kept_once_and_refused_once,
    packages_and_mail_share_the_outbox_but_each_sender_claims_its_own_channel,
);

async fn document(store: &Store, number: &str) -> i64 {
    let doc = NewDocument {
        number: Some(number.into()),
        symbol: Some("VPCP-V.I".into()),
        issued_on: Some(date!(2022 - 11 - 20)),
        subject: Some("Về việc tăng cường công tác dân vận".into()),
        body_text: "Toàn văn.".into(),
        ..NewDocument::default()
    };
    match store.save_document(&Actor::system("test"), &doc).await.unwrap() {
        SaveOutcome::Created(id) | SaveOutcome::Upgraded(id) => id,
    }
}

fn received(document_id: i64) -> ReceivedPackage {
    ReceivedPackage {
        document_id,
        from_organ_id: "000.00.00.G22".into(),
        from_organ_name: "Văn phòng Chính phủ".into(),
        to_organ_id: "000.00.00.H17".into(),
        to_organ_name: "UBND tỉnh Đắk Nông".into(),
        code: "7816/VPCP-V.I".into(),
        promulgation_date: Some(date!(2022 - 11 - 20)),
        package_document_id: "000.00.00.G22,2022/11/20,7816/VPCP-V.I".into(),
        steering: 2,
        due_date: Some(date!(2022 - 12 - 30)),
        received_at: 1_669_000_000,
        refused_reason: None,
    }
}

async fn a_received_package_is_kept_once_and_refused_once(store: Store) {
    let actor = Actor::system("test");
    let id = document(&store, "7816").await;
    assert_eq!(store.received_package(id).await.unwrap(), None);
    store.record_received_package(&actor, &received(id)).await.unwrap();
    assert_eq!(store.received_package(id).await.unwrap(), Some(received(id)));
    assert!(matches!(
        store.record_received_package(&actor, &received(id)).await,
        Err(StoreError::Conflict(_))
    ));
    store.refuse_received_package(&actor, id, "Gửi nhầm").await.unwrap();
    assert_eq!(
        store
            .received_package(id)
            .await
            .unwrap()
            .unwrap()
            .refused_reason
            .as_deref(),
        Some("Gửi nhầm")
    );
    assert!(matches!(
        store.refuse_received_package(&actor, id, "Lần hai").await,
        Err(StoreError::Conflict(_))
    ));
    let other = document(&store, "7817").await;
    assert!(matches!(
        store.refuse_received_package(&actor, other, "Không có gói tin").await,
        Err(StoreError::NotFound)
    ));
    // Each change is audited and the chain still verifies.
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        danvan_store::audit::ChainCheck::Intact { .. }
    ));
}

fn package(document_id: i64, code: &str) -> NewPackage {
    NewPackage {
        dedup_key: format!("edxml:{document_id}:status:{code}"),
        organ_id: "000.00.00.G22".into(),
        organ_name: "Văn phòng Chính phủ".into(),
        description: format!("Trạng thái {code}"),
        xml: format!("<edXML>{code}</edXML>"),
        package_id: format!("000.00.00.G22,2022/11/20,7816/VPCP-V.I,status,{code}"),
    }
}

async fn packages_and_mail_share_the_outbox_but_each_sender_claims_its_own_channel(store: Store) {
    let id = document(&store, "7816").await;
    assert!(store.queue_package(&package(id, "01")).await.unwrap().is_some());
    assert_eq!(
        store.queue_package(&package(id, "01")).await.unwrap(),
        None,
        "queued once"
    );
    assert!(store.queue_package(&package(id, "03")).await.unwrap().is_some());
    store
        .queue_mail(
            &NewMail {
                dedup_key: "mail-1".into(),
                recipients: vec![("a@example.vn".into(), "A".into())],
                subject: "Nhắc việc".into(),
                body: "…".into(),
            },
            "example.vn",
        )
        .await
        .unwrap();
    let now = 2_000_000_000;
    // The mail sender takes mail only; the package sender packages only, oldest first.
    let mail = store.claim_outbox(now, 600).await.unwrap().unwrap();
    assert_eq!(mail.channel, "mail");
    assert!(store.claim_outbox(now, 600).await.unwrap().is_none());
    let first = store.claim_outbox_on(CHANNEL, now, 600).await.unwrap().unwrap();
    let second = store.claim_outbox_on(CHANNEL, now, 600).await.unwrap().unwrap();
    assert!(
        store.claim_outbox_on(CHANNEL, now, 600).await.unwrap().is_none(),
        "both leased"
    );
    assert_eq!(first.body, "<edXML>01</edXML>");
    assert_eq!(second.body, "<edXML>03</edXML>");
    assert_eq!(
        first.recipients,
        [("000.00.00.G22".to_owned(), "Văn phòng Chính phủ".to_owned())]
    );
    assert_eq!(first.message_id, package(id, "01").package_id);
    assert!(store.outbox_sent(&first, now + 1).await.unwrap());
    assert!(
        store
            .outbox_failed(&second, "trục trả lời 503", now + 1)
            .await
            .unwrap()
            .is_some()
    );
    let listed = store.list_outbox_on(CHANNEL, 10).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|m| m.channel == CHANNEL));
    let for_document = store.packages_for_document(id).await.unwrap();
    assert_eq!(
        for_document.iter().map(|m| m.subject.as_str()).collect::<Vec<_>>(),
        ["Trạng thái 01", "Trạng thái 03"]
    );
    assert_eq!(for_document[1].last_error.as_deref(), Some("trục trả lời 503"));
}
