use super::*;

const PDF: &[u8] = b"%PDF-1.4\n% a small document\n%%EOF\n";

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The minimal example of egov.md §1.5, with a real attachment.
fn sample(manifest_id: &str, attachment_id: &str, content: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xmlns:xsd="http://www.w3.org/2001/XMLSchema">
 <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader>
   <edXML:MessageHeader>
    <edXML:From><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:OrganName>UBND Tỉnh Nghệ An</edXML:OrganName></edXML:From>
    <edXML:To><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:To>
    <edXML:Code><edXML:CodeNumber>123</edXML:CodeNumber><edXML:CodeNotation>UBND-TH</edXML:CodeNotation></edXML:Code>
    <edXML:PromulgationInfo><edXML:Place>Nghệ An</edXML:Place><edXML:PromulgationDate>2025/07/15</edXML:PromulgationDate></edXML:PromulgationInfo>
    <edXML:DocumentType><edXML:Type>18</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
    <edXML:Subject>Báo cáo kết quả thực hiện nhiệm vụ &amp; giải pháp</edXML:Subject>
    <edXML:Content>Tóm tắt</edXML:Content>
    <edXML:SignerInfo><edXML:Competence>KT. CHỦ TỊCH</edXML:Competence><edXML:Position>Phó Chủ tịch</edXML:Position><edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>
    <edXML:DueDate>2025/07/30</edXML:DueDate>
    <edXML:ToPlaces><edXML:Place>Như trên</edXML:Place></edXML:ToPlaces>
    <edXML:OtherInfo><edXML:Priority>1</edXML:Priority><edXML:PromulgationAmount>1</edXML:PromulgationAmount></edXML:OtherInfo>
    <edXML:ResponseFor><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:Code>7816/VPCP-TTĐT</edXML:Code><edXML:PromulgationDate>2025/06/30</edXML:PromulgationDate><edXML:DocumentId>000.00.00.G22,2025/06/30,7816/VPCP-TTĐT</edXML:DocumentId></edXML:ResponseFor>
    <edXML:SteeringType>2</edXML:SteeringType>
    <edXML:DocumentId>000.00.00.H41,2025/07/15,123/UBND-TH</edXML:DocumentId>
   </edXML:MessageHeader>
   <edXML:TraceHeaderList>
    <edXML:TraceHeader><edXML:OrganId>000.00.00.H41</edXML:OrganId><edXML:Timestamp>2025/07/15 09:00:00</edXML:Timestamp></edXML:TraceHeader>
    <edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:Paper>0</edXML:Paper></edXML:Bussiness>
   </edXML:TraceHeaderList>
  </edXML:edXMLHeader>
  <edXML:edXMLBody>
   <edXML:edXMLManifest version="1.0">
    <edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="{manifest_id}" xlink:type="simple">
     <edXML:AttachmentName>123-UBND-TH.pdf</edXML:AttachmentName><edXML:ContentType>application/pdf</edXML:ContentType><edXML:ContentId>{manifest_id}</edXML:ContentId>
    </edXML:Reference>
   </edXML:edXMLManifest>
  </edXML:edXMLBody>
 </edXML:edXMLEnvelope>
 <AttachmentEncoded>
  <Attachment><ContentType>application/pdf</ContentType><ContentId>{attachment_id}</ContentId><AttachmentName>123-UBND-TH.pdf</AttachmentName><ContentTransferEncoded>{content}</ContentTransferEncoded></Attachment>
 </AttachmentEncoded>
</edXML>"#
    )
}

fn document(bytes: &[u8]) -> Package {
    match read(bytes).unwrap() {
        Incoming::Document(p) => *p,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_reference_example_reads_with_every_header_field() {
    let package = document(sample("cid:3f2c", "3f2c", &b64(PDF)).as_bytes());
    let h = &package.header;
    assert_eq!(h.from.organ_id, "000.00.00.H41");
    assert_eq!(h.from.organ_name, "UBND Tỉnh Nghệ An");
    assert_eq!(h.to[0].organ_id, "000.00.00.G22");
    assert_eq!(h.code.written(), "123/UBND-TH");
    assert_eq!(h.place, "Nghệ An");
    assert_eq!(h.promulgation_date, EdDate::parse("2025-07-15"));
    assert_eq!(h.document_type.name, "Công văn");
    assert_eq!(h.subject, "Báo cáo kết quả thực hiện nhiệm vụ & giải pháp");
    assert_eq!(h.signer.competence, "KT. CHỦ TỊCH");
    assert_eq!(h.signer.full_name, "Nguyễn Văn A");
    assert_eq!(h.due_date.map(EdDate::packaged).as_deref(), Some("2025/07/30"));
    assert_eq!(h.to_places, ["Như trên"]);
    assert_eq!(h.priority, Some(1));
    assert_eq!(h.response_for[0].code, "7816/VPCP-TTĐT");
    assert_eq!(h.steering, Steering::Directive);
    assert_eq!(h.document_id, "000.00.00.H41,2025/07/15,123/UBND-TH");
    assert_eq!(package.timestamp, "2025/07/15 09:00:00");
    assert_eq!(package.attachments.len(), 1);
    assert_eq!(package.attachments[0].content, PDF);
    assert_eq!(package.attachments[0].content_id, "3f2c");
}

#[test]
fn content_ids_match_with_or_without_cid_and_zipped_attachments_are_opened() {
    for (manifest, attachment) in [("cid:a1", "a1"), ("a1", "cid:a1"), ("cid:a1", "cid:a1"), ("a1", "a1")] {
        let package = document(sample(manifest, attachment, &b64(PDF)).as_bytes());
        assert_eq!(package.attachments[0].content_id, "a1", "{manifest} {attachment}");
    }
    let mut zipped = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut zipped));
        writer
            .start_file("123-UBND-TH.pdf", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, PDF).unwrap();
        writer.finish().unwrap();
    }
    let package = document(sample("cid:a1", "a1", &b64(&zipped)).as_bytes());
    assert_eq!(package.attachments[0].content, PDF);
}

#[test]
fn malformed_packages_are_refused_with_their_reason() {
    let good = sample("cid:a1", "a1", &b64(PDF));
    type Expected = fn(&EdxmlError) -> bool;
    let cases: Vec<(String, Expected)> = vec![
        (
            good.replace("http://www.mic.gov.vn/TBT/QCVN_102_2016", "http://www.go.vn/eDoc"),
            |e| matches!(e, EdxmlError::WrongNamespace(_)),
        ),
        (
            good.replace(
                "<edXML:Code><edXML:CodeNumber>123</edXML:CodeNumber><edXML:CodeNotation>UBND-TH</edXML:CodeNotation></edXML:Code>",
                "",
            ),
            |e| *e == EdxmlError::Missing("MessageHeader/Code"),
        ),
        (
            sample("cid:a1", "a1", &b64(b"MZ\x90\x00 this is a program")),
            |e| matches!(e, EdxmlError::BadAttachment { .. }),
        ),
        (sample("cid:a1", "a1", "@@@ not base64 @@@"), |e| {
            matches!(e, EdxmlError::BadAttachment { .. })
        }),
        (sample("cid:zz", "a1", &b64(PDF)), |e| {
            matches!(e, EdxmlError::MissingAttachment(_))
        }),
        (good.replace("2025/07/30", "2025/02/30"), |e| {
            *e == EdxmlError::BadDate("MessageHeader/DueDate")
        }),
        (
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>{}",
                good.split_once("?>").unwrap().1.replace("Tóm tắt", "&lol2;")
            ),
            |e| *e == EdxmlError::Doctype,
        ),
        (good.replace("Tóm tắt", "&xxe;"), |e| {
            *e == EdxmlError::UnknownEntity("xxe".into())
        }),
        (
            good.replace(
                "</AttachmentEncoded>",
                &format!(
                    "{}</AttachmentEncoded>",
                    "<Attachment><ContentType>text/plain</ContentType><ContentId>x</ContentId><ContentTransferEncoded>YQ==</ContentTransferEncoded></Attachment>"
                        .repeat(MAX_ATTACHMENTS + 1)
                ),
            ),
            |e| *e == EdxmlError::TooManyAttachments,
        ),
        (good.replace("</edXML>", ""), |e| matches!(e, EdxmlError::Malformed(_))),
        (
            format!("{}{}", "<a>".repeat(40), "</a>".repeat(40)),
            |e| *e == EdxmlError::TooDeep,
        ),
    ];
    for (i, (xml, expected)) in cases.iter().enumerate() {
        let error = read(xml.as_bytes()).expect_err(&format!("case {i}"));
        assert!(expected(&error), "case {i}: {error:?}");
        assert!(!error.message().is_empty());
    }
    let huge = vec![b' '; MAX_PACKAGE_BYTES + 1];
    assert_eq!(read(&huge).unwrap_err(), EdxmlError::TooLarge);
    assert_eq!(read(b"\xff\xfe<").unwrap_err(), EdxmlError::NotUtf8);
}

fn report() -> Package {
    Package {
        header: MessageHeader {
            from: Organ {
                organ_id: "000.00.12.H17".into(),
                organ_name: "Sở Nội vụ tỉnh Đắk Nông".into(),
                ..Organ::default()
            },
            to: vec![Organ {
                organ_id: "000.00.00.G09".into(),
                organ_name: "Bộ Nội vụ".into(),
                ..Organ::default()
            }],
            code: Code {
                number: "45".into(),
                notation: "BC-SNV".into(),
            },
            place: "Đắk Nông".into(),
            promulgation_date: EdDate::parse("2022/05/20"),
            document_type: DocumentType {
                code: "18".into(),
                detail: String::new(),
                name: "Báo cáo".into(),
            },
            subject: "Báo cáo tiến độ <thực hiện> nhiệm vụ".into(),
            content: String::new(),
            signer: Signer::default(),
            due_date: None,
            to_places: vec![],
            priority: Some(0),
            response_for: vec![ResponseFor {
                organ_id: "000.00.00.G09".into(),
                code: "2071/UBND-NC".into(),
                promulgation_date: EdDate::parse("2022/04/25"),
                document_id: "000.00.00.G09,2022/04/25,2071/UBND-NC".into(),
            }],
            steering: Steering::Report,
            document_id: "000.00.12.H17,2022/05/20,45/BC-SNV".into(),
        },
        timestamp: "2022/05/20 10:00:00".into(),
        attachments: vec![
            Attachment {
                content_type: "application/pdf".into(),
                content_id: "r1".into(),
                name: "bao-cao.pdf".into(),
                description: "Báo cáo".into(),
                content: PDF.to_vec(),
            },
            Attachment {
                content_type: "image/png".into(),
                content_id: "r2".into(),
                name: "anh.png".into(),
                description: String::new(),
                content: vec![0x89, b'P', b'N', b'G', 0, 1, 2],
            },
        ],
    }
}

#[test]
fn a_written_package_reads_back_the_same_and_keeps_the_reference_order() {
    let package = report();
    let xml = write_package(&package);
    assert_eq!(document(xml.as_bytes()), package);
    // The element order of the reference (egov.md §1.5).
    let order = [
        "<edXML:From>",
        "<edXML:To>",
        "<edXML:Code>",
        "<edXML:PromulgationInfo>",
        "<edXML:DocumentType>",
        "<edXML:Subject>",
        "<edXML:SignerInfo>",
        "<edXML:OtherInfo>",
        "<edXML:ResponseFor>",
        "<edXML:SteeringType>",
        "<edXML:DocumentId>",
        "<edXML:TraceHeaderList>",
        "<edXML:edXMLBody>",
        "<AttachmentEncoded>",
    ];
    // Each in turn, after the one before (the document's own DocumentId after ResponseFor's).
    let mut at = 0;
    for tag in order {
        at += xml[at..]
            .find(tag)
            .unwrap_or_else(|| panic!("{tag} missing or out of order"));
    }
    assert!(xml.find("<edXML:SteeringType>") < xml.rfind("<edXML:DocumentId>"));
    assert!(xml.contains("xlink:href=\"cid:r1\""));
    assert!(xml.contains("<ContentId>r1</ContentId>"));
}

#[test]
fn a_status_reads_back_and_a_refusal_needs_its_reason() {
    let status = Status {
        response_for: report().header.response_for[0].clone(),
        from: report().header.from,
        code: StatusCode::Assigned,
        description: "Đã giao 33 cơ quan".into(),
        timestamp: "2022/04/26 08:00:00".into(),
        staff: Staff {
            department: "Sở Nội vụ".into(),
            staff: "Văn thư".into(),
            ..Staff::default()
        },
    };
    let xml = write_status(&status);
    assert_eq!(
        read(xml.as_bytes()).unwrap(),
        Incoming::Status(Box::new(status.clone()))
    );
    let refused = write_status(&Status {
        code: StatusCode::Refused,
        description: String::new(),
        ..status
    });
    assert!(matches!(read(refused.as_bytes()), Err(EdxmlError::Missing(_))));
    for code in StatusCode::ALL {
        assert_eq!(StatusCode::from_code(code.code()), Some(code));
    }
}

#[test]
fn packages_are_stamped_as_they_leave_in_vietnam_time() {
    assert_eq!(timestamp_of(0), "1970/01/01 07:00:00");
    assert_eq!(timestamp_of(1_669_000_000), "2022/11/21 10:06:40");
    assert_eq!(timestamp_of(951_782_400), "2000/02/29 07:00:00");
    let unstamped = write_status(&Status {
        response_for: report().header.response_for[0].clone(),
        from: report().header.from,
        code: StatusCode::Arrived,
        description: "Đã đến".into(),
        timestamp: String::new(),
        staff: Staff::default(),
    });
    let stamped = stamp(&unstamped, &timestamp_of(1_669_000_000));
    match read(stamped.as_bytes()).unwrap() {
        Incoming::Status(status) => assert_eq!(status.timestamp, "2022/11/21 10:06:40"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn zipped_attachments_stop_at_the_package_cap_however_many_are_small() {
    // Five zips of 9 MB of text each: small in the package, 45 MB once opened.
    let mut zipped = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut zipped));
        writer
            .start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, &vec![b'a'; 9 * 1024 * 1024]).unwrap();
        writer.finish().unwrap();
    }
    assert!(zipped.len() < 100_000);
    let one = format!(
        "<Attachment><ContentType>text/plain</ContentType><ContentId>z</ContentId><ContentTransferEncoded>{}</ContentTransferEncoded></Attachment>",
        b64(&zipped)
    );
    let xml = sample("cid:a1", "a1", &b64(PDF)).replace(
        "</AttachmentEncoded>",
        &format!("{}</AttachmentEncoded>", one.repeat(5)),
    );
    assert_eq!(read(xml.as_bytes()).unwrap_err(), EdxmlError::TooManyAttachments);
}
