//! Writing packages, in the element order of the SDKs (`../shared/egov.md`, §1.2–1.5).

use base64::Engine as _;
use quick_xml::escape::escape;

use crate::{EdDate, NAMESPACE, Organ, Package, ResponseFor, Status};

/// A small writer of `edXML:`-prefixed elements.
struct Out {
    xml: String,
}

impl Out {
    fn open(&mut self, name: &str) {
        self.xml.push_str(&format!("<edXML:{name}>"));
    }

    fn close(&mut self, name: &str) {
        self.xml.push_str(&format!("</edXML:{name}>"));
    }

    fn leaf(&mut self, name: &str, text: &str) {
        self.xml
            .push_str(&format!("<edXML:{name}>{}</edXML:{name}>", escape(text)));
    }

    /// A leaf written only when it has something to say.
    fn some(&mut self, name: &str, text: &str) {
        if !text.is_empty() {
            self.leaf(name, text);
        }
    }

    fn organ(&mut self, name: &str, organ: &Organ) {
        self.open(name);
        self.leaf("OrganId", &organ.organ_id);
        self.some("OrganizationInCharge", &organ.organization_in_charge);
        self.leaf("OrganName", &organ.organ_name);
        self.some("OrganAdd", &organ.organ_add);
        self.some("Email", &organ.email);
        self.some("Telephone", &organ.telephone);
        self.some("Fax", &organ.fax);
        self.some("Website", &organ.website);
        self.close(name);
    }

    fn response_for(&mut self, r: &ResponseFor) {
        self.open("ResponseFor");
        self.leaf("OrganId", &r.organ_id);
        self.leaf("Code", &r.code);
        self.some(
            "PromulgationDate",
            &r.promulgation_date.map(EdDate::packaged).unwrap_or_default(),
        );
        self.leaf("DocumentId", &r.document_id);
        self.close("ResponseFor");
    }
}

fn start() -> Out {
    Out {
        xml: format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<edXML xmlns=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><edXML:edXMLEnvelope xmlns:edXML=\"{NAMESPACE}\">"
        ),
    }
}

/// A document package: header, trace, manifest, then the attachments in base64 outside the
/// envelope (content ids with `cid:` in the manifest, without it beside the content).
pub fn write_package(package: &Package) -> String {
    let h = &package.header;
    let mut out = start();
    out.open("edXMLHeader");
    out.open("MessageHeader");
    out.organ("From", &h.from);
    for to in &h.to {
        out.organ("To", to);
    }
    out.open("Code");
    out.leaf("CodeNumber", &h.code.number);
    out.leaf("CodeNotation", &h.code.notation);
    out.close("Code");
    out.open("PromulgationInfo");
    out.leaf("Place", &h.place);
    out.leaf(
        "PromulgationDate",
        &h.promulgation_date.map(EdDate::packaged).unwrap_or_default(),
    );
    out.close("PromulgationInfo");
    out.open("DocumentType");
    out.leaf("Type", &h.document_type.code);
    out.some("TypeDetail", &h.document_type.detail);
    out.leaf("TypeName", &h.document_type.name);
    out.close("DocumentType");
    out.leaf("Subject", &h.subject);
    out.some("Content", &h.content);
    out.open("SignerInfo");
    out.leaf("Competence", &h.signer.competence);
    out.leaf("Position", &h.signer.position);
    out.leaf("FullName", &h.signer.full_name);
    out.close("SignerInfo");
    out.some("DueDate", &h.due_date.map(EdDate::packaged).unwrap_or_default());
    if !h.to_places.is_empty() {
        out.open("ToPlaces");
        for place in &h.to_places {
            out.leaf("Place", place);
        }
        out.close("ToPlaces");
    }
    out.open("OtherInfo");
    out.leaf("Priority", &h.priority.unwrap_or(0).to_string());
    out.leaf("PromulgationAmount", "1");
    out.close("OtherInfo");
    for r in &h.response_for {
        out.response_for(r);
    }
    out.leaf("SteeringType", &h.steering.code().to_string());
    out.leaf("DocumentId", &h.document_id);
    out.close("MessageHeader");
    out.open("TraceHeaderList");
    out.open("TraceHeader");
    out.leaf("OrganId", &h.from.organ_id);
    out.leaf("Timestamp", &package.timestamp);
    out.close("TraceHeader");
    out.open("Bussiness");
    out.leaf("BussinessDocType", "0");
    out.leaf("Paper", "0");
    out.close("Bussiness");
    out.close("TraceHeaderList");
    out.close("edXMLHeader");
    out.open("edXMLBody");
    out.xml.push_str("<edXML:edXMLManifest version=\"1.0\">");
    for a in &package.attachments {
        out.xml.push_str(&format!(
            "<edXML:Reference xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"cid:{}\" xlink:type=\"simple\">",
            escape(a.content_id.as_str())
        ));
        out.some("Description", &a.description);
        out.leaf("AttachmentName", &a.name);
        out.leaf("ContentType", &a.content_type);
        out.leaf("ContentId", &format!("cid:{}", a.content_id));
        out.close("Reference");
    }
    out.close("edXMLManifest");
    out.close("edXMLBody");
    out.close("edXMLEnvelope");
    out.xml.push_str("<AttachmentEncoded>");
    for a in &package.attachments {
        let plain = |name: &str, text: &str| format!("<{name}>{}</{name}>", escape(text));
        out.xml.push_str("<Attachment>");
        out.xml.push_str(&plain("ContentType", &a.content_type));
        out.xml.push_str(&plain("ContentId", &a.content_id));
        if !a.description.is_empty() {
            out.xml.push_str(&plain("Description", &a.description));
        }
        out.xml.push_str(&plain("AttachmentName", &a.name));
        out.xml.push_str("<ContentTransferEncoded>");
        out.xml
            .push_str(&base64::engine::general_purpose::STANDARD.encode(&a.content));
        out.xml.push_str("</ContentTransferEncoded></Attachment>");
    }
    out.xml.push_str("</AttachmentEncoded></edXML>\n");
    out.xml
}

/// A status package about the document `status.response_for` names.
pub fn write_status(status: &Status) -> String {
    let mut out = start();
    out.open("edXMLHeader");
    out.open("Status");
    out.response_for(&status.response_for);
    out.organ("From", &status.from);
    out.leaf("StatusCode", status.code.code());
    out.leaf("Description", &status.description);
    out.leaf("Timestamp", &status.timestamp);
    let s = &status.staff;
    if !(s.department.is_empty() && s.staff.is_empty() && s.mobile.is_empty() && s.email.is_empty()) {
        out.open("StaffInfo");
        out.some("Department", &s.department);
        out.some("Staff", &s.staff);
        out.some("Mobile", &s.mobile);
        out.some("Email", &s.email);
        out.close("StaffInfo");
    }
    out.close("Status");
    out.close("edXMLHeader");
    out.close("edXMLEnvelope");
    out.xml.push_str("</edXML>\n");
    out.xml
}
