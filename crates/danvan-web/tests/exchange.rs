//! The e-office's packages end to end, on both databases: a directive received as edXML is
//! uploaded, issued with the package's deadline, reported on and accepted; the status messages
//! and the report package leave through a local endpoint started by the test (real HTTP), each
//! once although two senders run together, and read back through danvan's own edXML reader
//! with the fields they were written with. A refusal carries its reason; a malformed package
//! is refused and leaves nothing behind.

#[macro_use]
#[allow(dead_code)]
mod support;

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use danvan_domain::Role;
use danvan_domain::identifier::Scheme;
use danvan_edxml::{
    Attachment, Code, DocumentType, EdDate, Incoming, MessageHeader, Organ, Package, Signer, StatusCode as Status,
    Steering,
};
use danvan_web::exchange::{Connector, ExchangeConfig, HttpConnector, deliver_packages};
use support::TestApp;

const SEED: &str = include_str!("../../../../shared/seed/000_dc35e90df97371e2.txt");

fn directive_package(number: &str) -> Package {
    Package {
        header: MessageHeader {
            from: Organ {
                organ_id: "000.00.00.G22".into(),
                organ_name: "Văn phòng Chính phủ".into(),
                ..Organ::default()
            },
            to: vec![Organ {
                organ_id: "000.00.00.H17".into(),
                organ_name: "UBND tỉnh Đắk Nông".into(),
                ..Organ::default()
            }],
            code: Code {
                number: number.into(),
                notation: "VPCP-V.I".into(),
            },
            place: "Hà Nội".into(),
            promulgation_date: EdDate::parse("2022/11/20"),
            document_type: DocumentType {
                code: "18".into(),
                detail: String::new(),
                name: "Công văn".into(),
            },
            subject: "Về việc tăng cường công tác dân vận chính quyền".into(),
            content: String::new(),
            signer: Signer {
                competence: "KT. BỘ TRƯỞNG, CHỦ NHIỆM".into(),
                position: "PHÓ CHỦ NHIỆM".into(),
                full_name: "Nguyễn Văn A".into(),
            },
            due_date: EdDate::parse("2022/12/30"),
            to_places: vec!["Như trên".into()],
            priority: Some(1),
            response_for: vec![],
            steering: Steering::Directive,
            document_id: format!("000.00.00.G22,2022/11/20,{number}/VPCP-V.I"),
        },
        timestamp: "2022/11/20 09:00:00".into(),
        attachments: vec![Attachment {
            content_type: "text/plain".into(),
            content_id: "van-ban".into(),
            name: "cong-van.txt".into(),
            description: "Toàn văn".into(),
            content: SEED.as_bytes().to_vec(),
        }],
    }
}

/// A local endpoint that takes packages: each request's headers and body, in arrival order.
async fn endpoint() -> (String, Arc<Mutex<Vec<(HeaderMap, String)>>>) {
    let received: Arc<Mutex<Vec<(HeaderMap, String)>>> = Arc::default();
    let kept = received.clone();
    let app = axum::Router::new().route(
        "/edoc",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push((headers, body));
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/edoc"), received)
}

/// The elements of `xml` appear in `order`, each after the one before (egov.md §1.2–1.5).
fn assert_in_order(xml: &str, order: &[&str]) {
    let mut at = 0;
    for tag in order {
        at += xml[at..]
            .find(tag)
            .unwrap_or_else(|| panic!("{tag} missing or out of order in {xml}"));
    }
}

const STATUS_ORDER: &[&str] = &[
    "<edXML:edXMLEnvelope",
    "<edXML:edXMLHeader>",
    "<edXML:Status>",
    "<edXML:ResponseFor>",
    "<edXML:OrganId>",
    "<edXML:Code>",
    "<edXML:PromulgationDate>",
    "<edXML:DocumentId>",
    "</edXML:ResponseFor>",
    "<edXML:From>",
    "<edXML:StatusCode>",
    "<edXML:Description>",
    "<edXML:Timestamp>",
    "</edXML:Status>",
];

const PACKAGE_ORDER: &[&str] = &[
    "<edXML:edXMLEnvelope",
    "<edXML:edXMLHeader>",
    "<edXML:MessageHeader>",
    "<edXML:From>",
    "<edXML:To>",
    "<edXML:Code>",
    "<edXML:CodeNumber>",
    "<edXML:CodeNotation>",
    "<edXML:PromulgationInfo>",
    "<edXML:Place>",
    "<edXML:PromulgationDate>",
    "<edXML:DocumentType>",
    "<edXML:Subject>",
    "<edXML:Content>",
    "<edXML:SignerInfo>",
    "<edXML:OtherInfo>",
    "<edXML:ResponseFor>",
    "<edXML:SteeringType>",
    "<edXML:DocumentId>",
    "</edXML:MessageHeader>",
    "<edXML:TraceHeaderList>",
    "<edXML:TraceHeader>",
    "<edXML:Timestamp>",
    "<edXML:Bussiness>",
    "</edXML:edXMLHeader>",
    "<edXML:edXMLBody>",
    "<edXML:edXMLManifest version=\"1.0\">",
    "<edXML:Reference",
    "<edXML:AttachmentName>",
    "<edXML:ContentType>",
    "<edXML:ContentId>cid:",
    "</edXML:edXMLEnvelope>",
    "<AttachmentEncoded>",
    "<Attachment>",
    "<ContentType>",
    "<ContentId>",
    "<AttachmentName>",
    "<ContentTransferEncoded>",
];

async fn upload(client: &support::Client, xml: &str) -> support::TestResponse {
    client
        .post_multipart(
            "/documents/preview",
            true,
            &[("file", Some("goi-tin.xml"), xml.as_bytes())],
        )
        .await
}

async fn a_directive_received_as_edxml_is_answered_through_the_platform(app: TestApp) {
    let actor = danvan_store::Actor::system("test");
    app.store
        .add_identifier(
            &actor,
            app.fixture.unit_a,
            Scheme::Egov,
            "H17.05",
            time::macros::date!(2020 - 01 - 01),
            None,
        )
        .await
        .unwrap();
    let monitor = app.login_as(Role::Monitor).await;
    let package = directive_package("7816");
    let saved = upload(&monitor, &danvan_edxml::write_package(&package)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let document_id: i64 = saved.location().rsplit('/').next().unwrap().parse().unwrap();
    let record = app.store.document(document_id).await.unwrap().unwrap();
    // The header's fields as the package gave them; tasks from the attached text.
    assert_eq!(record.summary.number.as_deref(), Some("7816"));
    assert_eq!(record.summary.symbol.as_deref(), Some("VPCP-V.I"));
    // The issuing body is the document's own (the package names only its sender).
    assert_eq!(
        record.summary.issuer,
        danvan_docparse::read_bytes(SEED.as_bytes()).unwrap().issuer
    );
    assert_eq!(
        record.summary.subject.as_deref(),
        Some("Về việc tăng cường công tác dân vận chính quyền")
    );
    assert_eq!(record.signer_name.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(record.tasks.len(), 5);
    let page = monitor.get(&format!("/documents/{document_id}")).await;
    assert!(page.body.contains("Nhận qua trục liên thông") && page.body.contains("000.00.00.G22"));
    assert!(page.body.contains("Trạng thái 01 Đã đến"), "{}", page.body);
    // The same package again is refused as already received.
    let again = upload(&monitor, &danvan_edxml::write_package(&package)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

    // SteeringType 2 with a DueDate: the directive form carries that deadline.
    let form = monitor.get(&format!("/directives/new?document={document_id}")).await;
    assert!(form.body.contains("value=\"30/12/2022\""), "{}", form.body);
    let issued = monitor
        .post(
            "/directives",
            &[
                ("document_id", &document_id.to_string()),
                ("title", "Công văn số 7816/VPCP-V.I"),
                ("document_date", "20/11/2022"),
                ("content_0", "Tăng cường công tác dân vận chính quyền."),
                ("deadline_kind_0", "date"),
                ("deadline_date_0", "30/12/2022"),
                ("lead_0", &app.fixture.unit_a.to_string()),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    let directive = app.store.list_directives().await.unwrap()[0].id;
    let own = app.store.directive(directive).await.unwrap().unwrap().tasks[0].assignments[0].id;

    let officer = app.login_as(Role::Officer).await;
    let pdf = b"%PDF-1.4 bien ban trien khai";
    let sent = officer
        .post_multipart(
            &format!("/assignments/{own}/reports"),
            true,
            &[
                ("percent", None, b"100"),
                ("content", None, "Đã tổ chức hội nghị triển khai".as_bytes()),
                ("attachment", Some("bien-ban.pdf"), pdf),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let report = app.store.reports_of(own).await.unwrap()[0].clone();
    let accepted = monitor
        .post(
            &format!("/reports/{}/review", report.id),
            &[("decision", "accept"), ("comment", "Đạt")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);

    // Two senders at once (two servers on one database): each package arrives once.
    let (url, received) = endpoint().await;
    let connector: Arc<dyn Connector> = Arc::new(
        HttpConnector::new(ExchangeConfig {
            endpoint: url,
            headers: vec![
                ("X-SystemId".into(), "000.00.00.H17".into()),
                ("X-SecretKey".into(), "khoa".into()),
            ],
            timeout: std::time::Duration::from_secs(10),
        })
        .unwrap(),
    );
    let now = || time::OffsetDateTime::now_utc().unix_timestamp();
    let (first, second) = tokio::join!(
        deliver_packages(&app.store, connector.clone(), &now, 100),
        deliver_packages(&app.store, connector.clone(), &now, 100)
    );
    assert_eq!(first.unwrap().sent + second.unwrap().sent, 6);
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 6, "01, 03, 04, 05, the report, 06");
    let mut codes = Vec::new();
    let mut reports = Vec::new();
    for (headers, body) in &received {
        assert_eq!(headers.get("X-SecretKey").unwrap(), "khoa");
        match danvan_edxml::read(body.as_bytes()).unwrap() {
            Incoming::Status(status) => {
                assert_eq!(headers.get("messagetype").unwrap(), "status");
                assert_in_order(body, STATUS_ORDER);
                assert_eq!(status.response_for.document_id, package.header.document_id);
                assert_eq!(status.response_for.code, "7816/VPCP-V.I");
                assert_eq!(status.response_for.organ_id, "000.00.00.G22");
                assert_eq!(status.from.organ_id, "000.00.00.H17");
                assert_eq!(
                    status.timestamp.len(),
                    "2022/12/15 08:00:00".len(),
                    "stamped as it left"
                );
                codes.push(status.code);
            }
            Incoming::Document(report) => {
                assert_eq!(headers.get("messagetype").unwrap(), "edoc");
                assert_in_order(body, PACKAGE_ORDER);
                reports.push(*report);
            }
        }
    }
    codes.sort();
    assert_eq!(
        codes,
        [
            Status::Arrived,
            Status::Accepted,
            Status::Assigned,
            Status::InProgress,
            Status::Done
        ]
    );
    let [report_package] = reports.as_slice() else {
        panic!("one report package: {reports:?}")
    };
    let h = &report_package.header;
    assert_eq!(h.steering, Steering::Report);
    assert_eq!(
        h.from.organ_id, "000.00.05.H17",
        "the agency's own identifier, QCVN 102 form"
    );
    assert_eq!(h.to[0].organ_id, "000.00.00.G22");
    assert_eq!(h.response_for[0].document_id, package.header.document_id);
    assert_eq!(h.response_for[0].promulgation_date, package.header.promulgation_date);
    assert!(h.content.contains("Đã tổ chức hội nghị triển khai"));
    assert_eq!(report_package.attachments.len(), 1);
    assert_eq!(report_package.attachments[0].name, "bien-ban.pdf");
    assert_eq!(report_package.attachments[0].content, pdf);
    // Nothing is sent twice: a later pass finds nothing due.
    let later = deliver_packages(&app.store, connector, &now, 100).await.unwrap();
    assert_eq!(later.sent, 0);
    let outbox = monitor.get("/documents/exchange").await;
    assert!(outbox.body.contains("Trạng thái 06 Hoàn thành") && outbox.body.contains("Đã gửi"));
    // Officers do not see the exchange.
    assert_eq!(officer.get("/documents/exchange").await.status, StatusCode::FORBIDDEN);
}

async fn a_received_document_is_refused_with_its_reason_and_malformed_packages_are_refused(app: TestApp) {
    let monitor = app.login_as(Role::Monitor).await;
    let saved = upload(&monitor, &danvan_edxml::write_package(&directive_package("9001"))).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let id: i64 = saved.location().rsplit('/').next().unwrap().parse().unwrap();
    let page = monitor.get(&format!("/documents/{id}")).await;
    assert!(page.body.contains("Từ chối tiếp nhận"));
    let without = monitor
        .post(&format!("/documents/{id}/refuse"), &[("reason", " ")])
        .await;
    assert!(without.status.is_client_error(), "{}", without.status);
    let officer = app.login_as(Role::Officer).await;
    let forbidden = officer
        .post(
            &format!("/documents/{id}/refuse"),
            &[("reason", "Không đúng thẩm quyền")],
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let refused = monitor
        .post(
            &format!("/documents/{id}/refuse"),
            &[("reason", "Gửi nhầm cơ quan nhận")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    let again = monitor
        .post(&format!("/documents/{id}/refuse"), &[("reason", "Lần hai")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let queued = app.store.packages_for_document(id).await.unwrap();
    let refusal = queued
        .iter()
        .find(|m| m.dedup_key.ends_with(":status:02"))
        .expect("status 02");
    // The list leaves bodies out; the message itself holds the package.
    assert!(refusal.body.is_empty());
    let refusal = app.store.outbox_message(refusal.id).await.unwrap().unwrap();
    match danvan_edxml::read(refusal.body.as_bytes()).unwrap() {
        Incoming::Status(status) => {
            assert_eq!(status.code, Status::Refused);
            assert_eq!(status.description, "Gửi nhầm cơ quan nhận");
        }
        other => panic!("{other:?}"),
    }

    // Malformed packages: the reason, and nothing stored.
    let documents = app.store.list_documents(&Default::default()).await.unwrap().len();
    let good = danvan_edxml::write_package(&directive_package("9002"));
    for (xml, reason) in [
        (
            good.replace("http://www.mic.gov.vn/TBT/QCVN_102_2016", "http://www.go.vn/eDoc"),
            "không theo QCVN 102:2016",
        ),
        (
            good.replace(
                "<edXML:CodeNumber>9002</edXML:CodeNumber><edXML:CodeNotation>VPCP-V.I</edXML:CodeNotation>",
                "",
            ),
            "thiếu thông tin bắt buộc: MessageHeader/Code",
        ),
        (
            good.replace(
                "<ContentType>text/plain</ContentType>",
                "<ContentType>application/pdf</ContentType>",
            ),
            "nội dung không đúng loại tệp đã khai",
        ),
        (
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
                good.split_once("?>").unwrap().1
            ),
            "DOCTYPE",
        ),
    ] {
        let response = upload(&monitor, &xml).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{reason}");
        assert!(response.body.contains(reason), "{reason}: {}", response.body);
    }
    assert_eq!(
        app.store.list_documents(&Default::default()).await.unwrap().len(),
        documents
    );
}

on_both_backends!(
    a_directive_received_as_edxml_is_answered_through_the_platform,
    a_received_document_is_refused_with_its_reason_and_malformed_packages_are_refused,
);
