//! Reading a package: the XML into a small tree (namespaces resolved), then the fields.

use std::io::Read as _;

use base64::Engine as _;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use crate::{
    Attachment, Code, DocumentType, EdDate, EdxmlError, Incoming, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_DEPTH,
    MAX_PACKAGE_BYTES, MessageHeader, NAMESPACE, Organ, Package, ResponseFor, Signer, Staff, Status, StatusCode,
    Steering,
};

/// An element: its namespace, local name, attributes (local names) and children or text.
#[derive(Debug, Default)]
struct Node {
    namespace: Option<String>,
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    /// The first child called `name` (any namespace: attachments are written without one).
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the child `name`, or empty.
    fn text_of(&self, name: &str) -> String {
        self.child(name).map(|c| c.text.trim().to_owned()).unwrap_or_default()
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn malformed(error: impl std::fmt::Display) -> EdxmlError {
    EdxmlError::Malformed(error.to_string())
}

/// The predefined entities of XML; any other named reference is refused.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

fn tree(xml: &str) -> Result<Node, EdxmlError> {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    let start = |namespace: ResolveResult<'_>, e: &quick_xml::events::BytesStart<'_>| -> Result<Node, EdxmlError> {
        let mut node = Node {
            namespace: match namespace {
                ResolveResult::Bound(ns) => Some(ns.0.to_owned()),
                _ => None,
            },
            name: e.local_name().as_ref().to_owned(),
            ..Node::default()
        };
        for attribute in e.attributes() {
            let attribute = attribute.map_err(malformed)?;
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(malformed)?
                .into_owned();
            node.attributes
                .push((attribute.key.local_name().as_ref().to_owned(), value));
        }
        Ok(node)
    };
    loop {
        let (namespace, event) = reader.read_resolved_event().map_err(malformed)?;
        match event {
            Event::DocType(_) => return Err(EdxmlError::Doctype),
            Event::Start(e) => {
                let node = start(namespace, &e)?;
                if stack.len() > MAX_DEPTH {
                    return Err(EdxmlError::TooDeep);
                }
                stack.push(node);
            }
            Event::Empty(e) => {
                let node = start(namespace, &e)?;
                stack.last_mut().expect("the root holder").children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().expect("balanced by the reader");
                let Some(parent) = stack.last_mut() else {
                    return Err(malformed("unbalanced end"));
                };
                parent.children.push(node);
            }
            Event::Text(t) => stack
                .last_mut()
                .expect("the root holder")
                .text
                .push_str(&t.xml10_content()),
            Event::CData(t) => stack
                .last_mut()
                .expect("the root holder")
                .text
                .push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(malformed)?
                        .ok_or_else(|| malformed("bad character reference"))?
                } else {
                    let name = r.xml10_content();
                    entity(&name).ok_or_else(|| EdxmlError::UnknownEntity(name.into_owned()))?
                };
                stack.last_mut().expect("the root holder").text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(malformed("unclosed element"));
    }
    let mut holder = stack.pop().expect("the root holder");
    if holder.children.len() != 1 {
        return Err(malformed("not one root element"));
    }
    Ok(holder.children.remove(0))
}

fn organ(node: Option<&Node>) -> Organ {
    let Some(node) = node else { return Organ::default() };
    Organ {
        organ_id: node.text_of("OrganId"),
        organization_in_charge: node.text_of("OrganizationInCharge"),
        organ_name: node.text_of("OrganName"),
        organ_add: node.text_of("OrganAdd"),
        email: node.text_of("Email"),
        telephone: node.text_of("Telephone"),
        fax: node.text_of("Fax"),
        website: node.text_of("Website"),
    }
}

fn date(node: &Node, name: &str, path: &'static str) -> Result<Option<EdDate>, EdxmlError> {
    let text = node.text_of(name);
    if text.is_empty() {
        return Ok(None);
    }
    EdDate::parse(&text).map(Some).ok_or(EdxmlError::BadDate(path))
}

fn response_for(node: &Node) -> Result<ResponseFor, EdxmlError> {
    Ok(ResponseFor {
        organ_id: node.text_of("OrganId"),
        code: node.text_of("Code"),
        promulgation_date: date(node, "PromulgationDate", "ResponseFor/PromulgationDate")?,
        document_id: node.text_of("DocumentId"),
    })
}

fn message_header(node: &Node) -> Result<MessageHeader, EdxmlError> {
    let code = node.child("Code").ok_or(EdxmlError::Missing("MessageHeader/Code"))?;
    let code = Code {
        number: code.text_of("CodeNumber"),
        notation: code.text_of("CodeNotation"),
    };
    if code.number.is_empty() && code.notation.is_empty() {
        return Err(EdxmlError::Missing("MessageHeader/Code"));
    }
    let from = organ(node.child("From"));
    if from.organ_id.is_empty() {
        return Err(EdxmlError::Missing("MessageHeader/From/OrganId"));
    }
    let promulgation = node.child("PromulgationInfo");
    let document_type = node.child("DocumentType");
    let signer = node.child("SignerInfo");
    let other = node.child("OtherInfo");
    let subject = node.text_of("Subject");
    if subject.is_empty() {
        return Err(EdxmlError::Missing("MessageHeader/Subject"));
    }
    Ok(MessageHeader {
        from,
        to: node.all("To").map(|t| organ(Some(t))).collect(),
        code,
        place: promulgation.map(|p| p.text_of("Place")).unwrap_or_default(),
        promulgation_date: match promulgation {
            Some(p) => date(p, "PromulgationDate", "PromulgationInfo/PromulgationDate")?,
            None => None,
        },
        document_type: DocumentType {
            code: document_type.map(|d| d.text_of("Type")).unwrap_or_default(),
            detail: document_type.map(|d| d.text_of("TypeDetail")).unwrap_or_default(),
            name: document_type.map(|d| d.text_of("TypeName")).unwrap_or_default(),
        },
        subject,
        content: node.text_of("Content"),
        signer: Signer {
            competence: signer.map(|s| s.text_of("Competence")).unwrap_or_default(),
            position: signer.map(|s| s.text_of("Position")).unwrap_or_default(),
            full_name: signer.map(|s| s.text_of("FullName")).unwrap_or_default(),
        },
        due_date: date(node, "DueDate", "MessageHeader/DueDate")?,
        to_places: node
            .child("ToPlaces")
            .map(|p| {
                p.all("Place")
                    .map(|p| p.text.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        priority: other.and_then(|o| o.text_of("Priority").parse().ok()),
        response_for: node.all("ResponseFor").map(response_for).collect::<Result<_, _>>()?,
        steering: Steering::from_code(&node.text_of("SteeringType")).unwrap_or(Steering::None),
        document_id: node.text_of("DocumentId"),
    })
}

/// Whether `bytes` are what `content_type` says (PDF, Word, plain text; other types are taken
/// as they come).
fn is_what_it_says(content_type: &str, bytes: &[u8]) -> bool {
    let kind = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match kind.as_str() {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            is_zip(bytes) && zip_has(bytes, "word/document.xml")
        }
        "application/msword" => bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
        "text/plain" | "text/xml" | "application/xml" => std::str::from_utf8(bytes).is_ok(),
        _ => true,
    }
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn zip_has(bytes: &[u8], name: &str) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|archive| archive.index_for_name(name).is_some())
}

/// A zipped attachment's single file, read within the size cap.
fn unzip_one(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| "tệp nén bị hỏng")?;
    let files: Vec<usize> = (0..archive.len())
        .filter(|i| archive.by_index(*i).is_ok_and(|f| f.is_file()))
        .collect();
    let [only] = files.as_slice() else {
        return Err("tệp nén phải chứa đúng một tệp");
    };
    let file = archive.by_index(*only).map_err(|_| "tệp nén bị hỏng")?;
    let mut content = Vec::new();
    file.take(MAX_ATTACHMENT_BYTES as u64 + 1)
        .read_to_end(&mut content)
        .map_err(|_| "tệp nén bị hỏng")?;
    if content.len() > MAX_ATTACHMENT_BYTES {
        return Err("lớn hơn 10 MB khi giải nén");
    }
    Ok(content)
}

fn attachment(node: &Node) -> Result<Attachment, EdxmlError> {
    let name = node.text_of("AttachmentName");
    let content_type = node.text_of("ContentType");
    let bad = |reason: &'static str| EdxmlError::BadAttachment {
        name: if name.is_empty() {
            node.text_of("ContentId")
        } else {
            name.clone()
        },
        reason,
    };
    let encoded: String = node
        .text_of("ContentTransferEncoded")
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if encoded.is_empty() {
        return Err(bad("không có nội dung"));
    }
    if encoded.len() / 4 * 3 > MAX_PACKAGE_BYTES {
        return Err(bad("quá lớn"));
    }
    let mut content = base64::engine::general_purpose::STANDARD
        .decode(&encoded)
        .map_err(|_| bad("nội dung không phải base64 hợp lệ"))?;
    // Zipped before base64 (some exchange software does so): unzipped unless the type itself is
    // a zip (a Word file is one).
    if is_zip(&content) && !is_what_it_says(&content_type, &content) {
        content = unzip_one(&content).map_err(bad)?;
    }
    if content.len() > MAX_ATTACHMENT_BYTES {
        return Err(bad("lớn hơn 10 MB"));
    }
    if !is_what_it_says(&content_type, &content) {
        return Err(bad("nội dung không đúng loại tệp đã khai"));
    }
    Ok(Attachment {
        content_type,
        content_id: strip_cid(&node.text_of("ContentId")).to_owned(),
        name,
        description: node.text_of("Description"),
        content,
    })
}

fn strip_cid(id: &str) -> &str {
    let id = id.trim();
    id.strip_prefix("cid:").unwrap_or(id).trim_matches(['<', '>'])
}

/// Reads a package: a document with its attachments, or a status.
pub fn read(bytes: &[u8]) -> Result<Incoming, EdxmlError> {
    if bytes.len() > MAX_PACKAGE_BYTES {
        return Err(EdxmlError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let xml = std::str::from_utf8(bytes).map_err(|_| EdxmlError::NotUtf8)?;
    let root = tree(xml)?;
    if root.name != "edXML" || root.namespace.as_deref() != Some(NAMESPACE) {
        let found = match &root.namespace {
            Some(ns) => format!("{} ({ns})", root.name),
            None => root.name.clone(),
        };
        return Err(EdxmlError::WrongNamespace(found));
    }
    let envelope = root
        .child("edXMLEnvelope")
        .ok_or(EdxmlError::Missing("edXMLEnvelope"))?;
    if envelope.namespace.as_deref() != Some(NAMESPACE) {
        return Err(EdxmlError::WrongNamespace(format!(
            "edXMLEnvelope ({})",
            envelope.namespace.as_deref().unwrap_or("")
        )));
    }
    let header = envelope
        .child("edXMLHeader")
        .ok_or(EdxmlError::Missing("edXMLHeader"))?;
    if let Some(status) = header.child("Status") {
        let code =
            StatusCode::from_code(&status.text_of("StatusCode")).ok_or(EdxmlError::Missing("Status/StatusCode"))?;
        let description = status.text_of("Description");
        if code == StatusCode::Refused && description.is_empty() {
            return Err(EdxmlError::Missing("Status/Description (lý do từ chối)"));
        }
        let staff = status.child("StaffInfo");
        return Ok(Incoming::Status(Box::new(Status {
            response_for: response_for(
                status
                    .child("ResponseFor")
                    .ok_or(EdxmlError::Missing("Status/ResponseFor"))?,
            )?,
            from: organ(status.child("From")),
            code,
            description,
            timestamp: status.text_of("Timestamp"),
            staff: Staff {
                department: staff.map(|s| s.text_of("Department")).unwrap_or_default(),
                staff: staff.map(|s| s.text_of("Staff")).unwrap_or_default(),
                mobile: staff.map(|s| s.text_of("Mobile")).unwrap_or_default(),
                email: staff.map(|s| s.text_of("Email")).unwrap_or_default(),
            },
        })));
    }
    let message = header
        .child("MessageHeader")
        .ok_or(EdxmlError::Missing("MessageHeader"))?;
    let header_fields = message_header(message)?;
    let timestamp = header
        .child("TraceHeaderList")
        .and_then(|t| t.all("TraceHeader").last())
        .map(|t| t.text_of("Timestamp"))
        .unwrap_or_default();
    let encoded: Vec<&Node> = root
        .child("AttachmentEncoded")
        .map(|a| a.all("Attachment").collect())
        .unwrap_or_default();
    if encoded.len() > MAX_ATTACHMENTS {
        return Err(EdxmlError::TooManyAttachments);
    }
    // Each attachment within its own cap, and all of them, decoded and unzipped, within the
    // package's: a package of small zip bombs stops at the cap.
    let mut attachments: Vec<Attachment> = Vec::with_capacity(encoded.len());
    let mut total = 0usize;
    for node in encoded {
        let read = attachment(node)?;
        total += read.content.len();
        if total > MAX_PACKAGE_BYTES {
            return Err(EdxmlError::TooManyAttachments);
        }
        attachments.push(read);
    }
    // The manifest's references, matched on the content id with or without `cid:`.
    if let Some(manifest) = envelope.child("edXMLBody").and_then(|b| b.child("edXMLManifest")) {
        for reference in manifest.all("Reference") {
            let id = reference
                .attribute("href")
                .map(strip_cid)
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| strip_cid(&reference.text).trim());
            let id = if id.is_empty() {
                reference.text_of("ContentId")
            } else {
                id.to_owned()
            };
            let id = strip_cid(&id).to_owned();
            if id.is_empty() {
                continue;
            }
            let Some(found) = attachments.iter_mut().find(|a| a.content_id == id) else {
                return Err(EdxmlError::MissingAttachment(id));
            };
            if found.name.is_empty() {
                found.name = reference.text_of("AttachmentName");
            }
            if found.description.is_empty() {
                found.description = reference.text_of("Description");
            }
        }
    }
    Ok(Incoming::Document(Box::new(Package {
        header: header_fields,
        timestamp,
        attachments,
    })))
}
