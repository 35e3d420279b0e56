//! The e-office's packages (issue 16): a document received as edXML, and the status messages
//! and reports that answer its sender as the work moves on.
//!
//! A received package is kept beside its library document ([`receive`], status 01 queued). When
//! a directive is issued from it, 03 (accepted) and 04 (assigned) are queued; when the
//! Department accepts an agency's progress report, 05 (in progress, once) and a report package
//! (SteeringType 3, `ResponseFor` the directive, the report's attachments); when every part of
//! the directive is done, 06. A refusal with its reason queues 02. Every package is queued in the
//! transaction of the step that causes it, keyed so that it is queued once, and leaves through
//! the outbox's `edxml` channel (`danvan_web::exchange`).

use danvan_domain::identifier::Scheme;
use danvan_domain::role::Access;
use danvan_edxml::{
    Attachment, Code, DocumentType, EdDate, MessageHeader, Organ, Package, ResponseFor, Signer, Staff, Status,
    StatusCode, Steering,
};
use danvan_store::document::NewDocument;
use danvan_store::edxml::{NewPackage, ReceivedPackage};
use danvan_store::{SaveOutcome, Store, StoreError};
use time::{Date, OffsetDateTime};

use crate::{Refusal, User};

/// The longest reason for a refusal.
const MAX_REASON: usize = 1000;
/// The most attachment bytes a report package carries: in base64 (4/3) with its XML, under the
/// 40 MB the exchange's reader takes (`danvan_edxml::MAX_PACKAGE_BYTES`).
const REPORT_ATTACHMENT_BYTES: usize = danvan_edxml::MAX_PACKAGE_BYTES / 2;

fn ed_date(date: Date) -> EdDate {
    EdDate {
        year: date.year(),
        month: u8::from(date.month()),
        day: date.day(),
    }
}

/// A package's date as a calendar date.
pub fn to_date(date: EdDate) -> Option<Date> {
    Date::from_calendar_date(date.year, time::Month::try_from(date.month).ok()?, date.day).ok()
}

/// Keeps a document that came as a package: the document (its header fields as the package gave
/// them), the package's header beside it, and status 01 (arrived) for the sender, in one
/// transaction. The Department and admins, as for the library. A document already in the
/// library (found by its number, notation and year) that came by another way is the one the
/// package is kept beside; `None` when it already has its package: nothing is changed.
pub async fn receive(
    store: &Store,
    user: &User,
    doc: &NewDocument,
    header: &MessageHeader,
) -> Result<Option<i64>, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let document_id = match store.save_document(&user.actor(), doc).await {
            Ok(SaveOutcome::Created(id) | SaveOutcome::Upgraded(id)) => id,
            Err(StoreError::Conflict(_)) => {
                let year = doc.issued_on.map(|d| d.year());
                let existing = match (&doc.number, &doc.symbol) {
                    (Some(n), Some(s)) => store.document_by_number(n, s, year).await?.map(|d| d.id),
                    _ => None,
                };
                match existing {
                    Some(id) if store.received_package(id).await?.is_none() => id,
                    _ => return Ok(None),
                }
            }
            Err(other) => return Err(other.into()),
        };
        let to = header.to.first().cloned().unwrap_or_default();
        let received = ReceivedPackage {
            document_id,
            from_organ_id: header.from.organ_id.clone(),
            from_organ_name: header.from.organ_name.clone(),
            to_organ_id: to.organ_id,
            to_organ_name: to.organ_name,
            code: header.code.written(),
            promulgation_date: header.promulgation_date.and_then(to_date),
            package_document_id: header.document_id.clone(),
            steering: i64::from(header.steering.code()),
            due_date: header.due_date.and_then(to_date),
            received_at: OffsetDateTime::now_utc().unix_timestamp(),
            refused_reason: None,
        };
        match store.record_received_package(&user.actor(), &received).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                return Err(Refusal::State("Gói tin của văn bản này đã được nhận.".into()));
            }
            Err(other) => return Err(other.into()),
        }
        queue_status(store, &received, StatusCode::Arrived, "Phần mềm đã nhận văn bản.").await?;
        Ok(Some(document_id))
    })
}

/// Refuses a received document (status 02) with its reason; the Department and admins, once.
pub async fn refuse(store: &Store, user: &User, document_id: i64, reason: &str) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(Refusal::Invalid(vec![format!(
                "Cần ghi lý do từ chối (không quá {MAX_REASON} ký tự)."
            )]));
        }
        let received = store.received_package(document_id).await?.ok_or(Refusal::NotFound)?;
        if received.refused_reason.is_some() {
            return Err(Refusal::State("Văn bản này đã bị từ chối tiếp nhận.".into()));
        }
        if store
            .list_directives()
            .await?
            .iter()
            .any(|d| d.document_id == Some(document_id))
        {
            return Err(Refusal::State(
                "Đã giao nhiệm vụ từ văn bản này; không thể từ chối tiếp nhận nữa.".into(),
            ));
        }
        store
            .refuse_received_package(&user.actor(), document_id, reason)
            .await?;
        queue_status(store, &received, StatusCode::Refused, reason).await?;
        Ok(())
    })
}

/// The status package `code` about a received document, from the body it was addressed to.
pub fn status_package(received: &ReceivedPackage, code: StatusCode, description: &str) -> NewPackage {
    let status = Status {
        response_for: response_for(received),
        from: Organ {
            organ_id: received.to_organ_id.clone(),
            organ_name: received.to_organ_name.clone(),
            ..Organ::default()
        },
        code,
        description: description.to_owned(),
        // Stamped when sent, with the moment it was queued (`danvan_edxml::stamp`): the
        // outbox keeps instants in its own columns.
        timestamp: String::new(),
        staff: Staff::default(),
    };
    NewPackage {
        dedup_key: format!("edxml:{}:status:{}", received.document_id, code.code()),
        organ_id: received.from_organ_id.clone(),
        organ_name: received.from_organ_name.clone(),
        description: format!("Trạng thái {} {} — {}", code.code(), code.label(), received.code),
        xml: danvan_edxml::write_status(&status),
        package_id: format!("{},status,{}", received.package_document_id, code.code()),
    }
}

fn response_for(received: &ReceivedPackage) -> ResponseFor {
    ResponseFor {
        organ_id: received.from_organ_id.clone(),
        code: received.code.clone(),
        promulgation_date: received.promulgation_date.map(ed_date),
        document_id: received.package_document_id.clone(),
    }
}

async fn queue_status(
    store: &Store,
    received: &ReceivedPackage,
    code: StatusCode,
    description: &str,
) -> Result<(), Refusal> {
    store
        .queue_package(&status_package(received, code, description))
        .await?;
    Ok(())
}

/// The package a directive answers, when it was issued from a document received as one and not
/// refused.
async fn package_of_directive(store: &Store, directive_id: i64) -> Result<Option<ReceivedPackage>, Refusal> {
    let Some(directive) = store.directive(directive_id).await? else {
        return Ok(None);
    };
    let Some(document_id) = directive.document_id else {
        return Ok(None);
    };
    Ok(store
        .received_package(document_id)
        .await?
        .filter(|p| p.refused_reason.is_none()))
}

/// After a directive is issued (inside its use case): 03 and 04 for the sender.
pub(crate) async fn directive_issued(store: &Store, directive_id: i64) -> Result<(), Refusal> {
    let Some(received) = package_of_directive(store, directive_id).await? else {
        return Ok(());
    };
    let directive = store.directive(directive_id).await?.ok_or(Refusal::NotFound)?;
    let mut agencies: Vec<i64> = directive
        .tasks
        .iter()
        .flat_map(|t| t.assignments.iter().map(|a| a.unit_id))
        .collect();
    agencies.sort_unstable();
    agencies.dedup();
    queue_status(store, &received, StatusCode::Accepted, "Đã tiếp nhận văn bản.").await?;
    queue_status(
        store,
        &received,
        StatusCode::Assigned,
        &format!(
            "Đã giao {} nhiệm vụ cho {} cơ quan, đơn vị thực hiện.",
            directive.tasks.len(),
            agencies.len()
        ),
    )
    .await
}

/// After the Department accepts a progress report (inside its use case): 05 once, the report
/// package, and 06 when every part of the directive is done.
pub(crate) async fn report_accepted(store: &Store, report_id: i64, assignment_id: i64) -> Result<(), Refusal> {
    let assignment = store.assignment(assignment_id).await?.ok_or(Refusal::NotFound)?;
    let Some(received) = package_of_directive(store, assignment.directive_id).await? else {
        return Ok(());
    };
    queue_status(
        store,
        &received,
        StatusCode::InProgress,
        "Các cơ quan, đơn vị đang thực hiện.",
    )
    .await?;
    let report = store
        .reports_of(assignment_id)
        .await?
        .into_iter()
        .find(|r| r.id == report_id)
        .ok_or(Refusal::NotFound)?;
    let unit = store.unit(assignment.unit_id).await?.ok_or(Refusal::NotFound)?;
    let on = report.reported_on;
    // The agency's own identifier in the exchange's form, or the province's as addressed.
    let identifier = store
        .identifiers_of(unit.id)
        .await?
        .into_iter()
        .find(|i| i.scheme == Scheme::Egov && i.is_active_on(on))
        .and_then(|i| i.qcvn102());
    let from = Organ {
        organ_id: identifier.unwrap_or_else(|| received.to_organ_id.clone()),
        organ_name: unit.name.clone(),
        ..Organ::default()
    };
    let code = Code {
        number: report.id.to_string(),
        notation: "BC-TĐ".to_owned(),
    };
    // Attachments within a budget that keeps the package under the exchange's cap once in
    // base64; those beyond it are named in the content, to be fetched another way.
    let mut attachments = Vec::new();
    let mut left_out = Vec::new();
    let mut budget = REPORT_ATTACHMENT_BYTES;
    for (i, (_, file)) in report.attachments.iter().enumerate() {
        let size = usize::try_from(file.size_bytes).unwrap_or(usize::MAX);
        if size > budget {
            left_out.push(file.file_name.clone());
            continue;
        }
        budget -= size;
        let stored = store.file(&file.file_sha256).await?.ok_or(Refusal::NotFound)?;
        attachments.push(Attachment {
            content_type: file.content_type.clone(),
            content_id: format!("bao-cao-{}-{}", report.id, i + 1),
            name: file.file_name.clone(),
            description: String::new(),
            content: stored.content,
        });
    }
    let package = Package {
        header: MessageHeader {
            document_id: format!("{},{},{}", from.organ_id, ed_date(on).packaged(), code.written()),
            from,
            to: vec![Organ {
                organ_id: received.from_organ_id.clone(),
                organ_name: received.from_organ_name.clone(),
                ..Organ::default()
            }],
            code,
            place: String::new(),
            promulgation_date: Some(ed_date(on)),
            document_type: DocumentType {
                code: "18".to_owned(),
                detail: String::new(),
                name: "Báo cáo".to_owned(),
            },
            subject: format!(
                "Báo cáo tiến độ thực hiện {}: {}",
                received.code, assignment.task_content
            ),
            content: if left_out.is_empty() {
                format!("Hoàn thành {} %. {}", report.percent, report.content)
            } else {
                format!(
                    "Hoàn thành {} %. {} (Tệp không gửi kèm vì quá dung lượng gói tin: {}.)",
                    report.percent,
                    report.content,
                    left_out.join(", ")
                )
            },
            signer: Signer::default(),
            due_date: None,
            to_places: vec![],
            priority: Some(0),
            response_for: vec![response_for(&received)],
            steering: Steering::Report,
        },
        timestamp: String::new(),
        attachments,
    };
    store
        .queue_package(&NewPackage {
            dedup_key: format!("edxml:{}:report:{}", received.document_id, report.id),
            organ_id: received.from_organ_id.clone(),
            organ_name: received.from_organ_name.clone(),
            description: format!("Báo cáo của {} — {}", unit.name, received.code),
            xml: danvan_edxml::write_package(&package),
            package_id: package.header.document_id.clone(),
        })
        .await?;
    let directive = store
        .directive(assignment.directive_id)
        .await?
        .ok_or(Refusal::NotFound)?;
    let parts: Vec<_> = directive
        .tasks
        .iter()
        .filter(|t| t.cancelled.is_none())
        .flat_map(|t| t.assignments.iter())
        .filter(|a| a.cancelled.is_none())
        .collect();
    if !parts.is_empty() && parts.iter().all(|a| a.completed_on.is_some()) {
        queue_status(store, &received, StatusCode::Done, "Các cơ quan, đơn vị đã hoàn thành.").await?;
    }
    Ok(())
}
