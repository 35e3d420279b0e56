//! edXML: the packages Vietnamese e-offices exchange (QCVN 102:2016/BTTTT, amended by Sửa đổi
//! 1:2022), read and written.
//!
//! A package is an `edXML` root in the namespace [`NAMESPACE`]: an envelope whose header holds
//! the document's `MessageHeader` (or a `Status`), a body whose manifest lists the attachments,
//! and, outside the envelope, the attachments themselves in base64 (zipped or not). Element names
//! and their order follow the reconstruction in `../shared/egov.md` (from the public SDKs; no
//! official schema was available): the status node is written `Status`, a name the SDKs' code
//! suggests but that was not confirmed.
//!
//! Reading is strict where a mistake would mislead (the namespace, the document's number, dates,
//! what an attachment really is) and refuses anything that could make a parser work without
//! bound: a document type declaration (entity expansion), more than [`MAX_DEPTH`] levels, a
//! package over [`MAX_PACKAGE_BYTES`], an attachment over [`MAX_ATTACHMENT_BYTES`] once decoded
//! and unzipped. Every refusal has its reason in Vietnamese ([`EdxmlError::message`]). This crate
//! depends on no other part of danvan and does no I/O.

mod read;
mod write;

pub use read::read;
pub use write::{write_package, write_status};

/// The namespace of QCVN 102:2016 packages.
pub const NAMESPACE: &str = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
/// The largest package read, in bytes (attachments in base64 included).
pub const MAX_PACKAGE_BYTES: usize = 40 * 1024 * 1024;
/// The largest attachment, decoded and unzipped.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// The most attachments one package may carry.
pub const MAX_ATTACHMENTS: usize = 50;
/// The deepest nesting of elements read.
pub const MAX_DEPTH: usize = 24;

/// `xml` (a package this crate wrote with an empty `Timestamp`) with its timestamps filled:
/// packages are queued unstamped and stamped as they leave, with the moment they were queued.
pub fn stamp(xml: &str, timestamp: &str) -> String {
    xml.replace(
        "<edXML:Timestamp></edXML:Timestamp>",
        &format!(
            "<edXML:Timestamp>{}</edXML:Timestamp>",
            quick_xml::escape::escape(timestamp)
        ),
    )
}

/// `yyyy/MM/dd HH:mm:ss` in Vietnam's time (UTC+7) of a Unix instant, as packages stamp times.
pub fn timestamp_of(unix_seconds: i64) -> String {
    let local = unix_seconds + 7 * 3600;
    let days = local.div_euclid(86_400);
    let seconds = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}/{month:02}/{day:02} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// A date as packages write it (`2025/07/15`; ISO `2025-07-15` is read too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl EdDate {
    pub fn parse(text: &str) -> Option<EdDate> {
        let text = text.trim();
        let date = text.split(['T', ' ']).next()?;
        let mut parts = date.split(['/', '-']);
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let days = match month {
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (1..=days).contains(&day).then_some(EdDate { year, month, day })
    }

    /// `2025/07/15`.
    pub fn packaged(self) -> String {
        format!("{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

/// A body that sends or receives (`From`, `To`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organ {
    /// Its identifier in the QCVN 102 form (`000.00.00.H41`).
    pub organ_id: String,
    pub organization_in_charge: String,
    pub organ_name: String,
    pub organ_add: String,
    pub email: String,
    pub telephone: String,
    pub fax: String,
    pub website: String,
}

/// Number and notation: "7816/VPCP-TTĐT" is `7816` and `VPCP-TTĐT`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Code {
    pub number: String,
    pub notation: String,
}

impl Code {
    /// `7816/VPCP-TTĐT`.
    pub fn written(&self) -> String {
        if self.notation.is_empty() {
            self.number.clone()
        } else {
            format!("{}/{}", self.number, self.notation)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentType {
    pub code: String,
    pub detail: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signer {
    /// TM., KT., TL. and the body or office.
    pub competence: String,
    pub position: String,
    pub full_name: String,
}

/// The document a package answers or a status is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseFor {
    pub organ_id: String,
    /// As written: `7816/VPCP-TTĐT`.
    pub code: String,
    pub promulgation_date: Option<EdDate>,
    pub document_id: String,
}

/// Kinds of steering (`SteeringType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steering {
    /// 1 (0 in some builders): not a directive.
    None,
    /// 2: a directive (chỉ đạo).
    Directive,
    /// 3: a report on a directive (báo cáo chỉ đạo).
    Report,
}

impl Steering {
    pub fn code(self) -> u8 {
        match self {
            Steering::None => 1,
            Steering::Directive => 2,
            Steering::Report => 3,
        }
    }

    fn from_code(code: &str) -> Option<Steering> {
        match code.trim() {
            "0" | "1" => Some(Steering::None),
            "2" => Some(Steering::Directive),
            "3" => Some(Steering::Report),
            _ => None,
        }
    }
}

/// The metadata of a document package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageHeader {
    pub from: Organ,
    pub to: Vec<Organ>,
    pub code: Code,
    pub place: String,
    pub promulgation_date: Option<EdDate>,
    pub document_type: DocumentType,
    pub subject: String,
    pub content: String,
    pub signer: Signer,
    /// Hạn xử lý.
    pub due_date: Option<EdDate>,
    pub to_places: Vec<String>,
    /// 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ.
    pub priority: Option<u8>,
    pub response_for: Vec<ResponseFor>,
    pub steering: Steering,
    /// `<sender>,<YYYY/MM/DD>,<number>/<notation>`.
    pub document_id: String,
}

/// An attached file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub content_type: String,
    /// Without the `cid:` prefix.
    pub content_id: String,
    pub name: String,
    pub description: String,
    pub content: Vec<u8>,
}

/// A document package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub header: MessageHeader,
    /// When the sender's system stamped it (`TraceHeader/Timestamp`), as written.
    pub timestamp: String,
    pub attachments: Vec<Attachment>,
}

/// Status codes of QCVN 102:2016 (`StatusCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusCode {
    /// 01 Đã đến.
    Arrived,
    /// 02 Từ chối tiếp nhận (with a reason).
    Refused,
    /// 03 Đã tiếp nhận.
    Accepted,
    /// 04 Phân công.
    Assigned,
    /// 05 Đang xử lý.
    InProgress,
    /// 06 Hoàn thành.
    Done,
}

impl StatusCode {
    pub const ALL: [StatusCode; 6] = [
        StatusCode::Arrived,
        StatusCode::Refused,
        StatusCode::Accepted,
        StatusCode::Assigned,
        StatusCode::InProgress,
        StatusCode::Done,
    ];

    /// `01` … `06`.
    pub fn code(self) -> &'static str {
        match self {
            StatusCode::Arrived => "01",
            StatusCode::Refused => "02",
            StatusCode::Accepted => "03",
            StatusCode::Assigned => "04",
            StatusCode::InProgress => "05",
            StatusCode::Done => "06",
        }
    }

    /// What the code means, in Vietnamese.
    pub fn label(self) -> &'static str {
        match self {
            StatusCode::Arrived => "Đã đến",
            StatusCode::Refused => "Từ chối tiếp nhận",
            StatusCode::Accepted => "Đã tiếp nhận",
            StatusCode::Assigned => "Phân công",
            StatusCode::InProgress => "Đang xử lý",
            StatusCode::Done => "Hoàn thành",
        }
    }

    pub fn from_code(code: &str) -> Option<StatusCode> {
        let code = code.trim();
        StatusCode::ALL
            .into_iter()
            .find(|s| s.code() == code || s.code().trim_start_matches('0') == code)
    }
}

/// Who handled it (`StaffInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staff {
    pub department: String,
    pub staff: String,
    pub mobile: String,
    pub email: String,
}

/// A status package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub response_for: ResponseFor,
    pub from: Organ,
    pub code: StatusCode,
    pub description: String,
    /// `yyyy/MM/dd HH:mm:ss`.
    pub timestamp: String,
    pub staff: Staff,
}

/// What a package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Document(Box<Package>),
    Status(Box<Status>),
}

/// Why a package was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdxmlError {
    TooLarge,
    NotUtf8,
    /// Not well-formed XML (with the parser's words, for the log).
    Malformed(String),
    /// A document type declaration: entities are never expanded.
    Doctype,
    /// A reference to an entity XML does not predefine (`&xxe;`).
    UnknownEntity(String),
    /// More attachments than [`MAX_ATTACHMENTS`], or more bytes decoded than the package cap.
    TooManyAttachments,
    TooDeep,
    /// The root is not `edXML` in the QCVN 102 namespace; what was found.
    WrongNamespace(String),
    /// A required element is missing or empty (its path).
    Missing(&'static str),
    /// A date that is not a date (which element).
    BadDate(&'static str),
    /// An attachment that cannot be decoded, is too large, or is not what its type says.
    BadAttachment {
        name: String,
        reason: &'static str,
    },
    /// The manifest names an attachment the package does not carry.
    MissingAttachment(String),
}

impl EdxmlError {
    /// What the user reads.
    pub fn message(&self) -> String {
        match self {
            EdxmlError::TooLarge => format!("Gói tin lớn hơn {} MB.", MAX_PACKAGE_BYTES >> 20),
            EdxmlError::NotUtf8 => "Gói tin không ở bảng mã UTF-8.".to_owned(),
            EdxmlError::Malformed(_) => "Gói tin không phải XML hợp lệ.".to_owned(),
            EdxmlError::Doctype => {
                "Gói tin có khai báo DOCTYPE (có thể chứa thực thể tự mở rộng); hệ thống không đọc gói tin này."
                    .to_owned()
            }
            EdxmlError::TooDeep => "Gói tin lồng quá nhiều tầng phần tử.".to_owned(),
            EdxmlError::UnknownEntity(name) => {
                format!("Gói tin dùng thực thể “&{name};” không được phép; hệ thống không đọc gói tin này.")
            }
            EdxmlError::TooManyAttachments => format!(
                "Gói tin mang quá nhiều tệp đính kèm (tối đa {MAX_ATTACHMENTS} tệp, {} MB khi giải mã).",
                MAX_PACKAGE_BYTES >> 20
            ),
            EdxmlError::WrongNamespace(found) => format!(
                "Gói tin không theo QCVN 102:2016 (cần phần tử edXML trong không gian tên {NAMESPACE}; gặp “{found}”)."
            ),
            EdxmlError::Missing(path) => format!("Gói tin thiếu thông tin bắt buộc: {path}."),
            EdxmlError::BadDate(path) => format!("Ngày trong {path} không đúng dạng năm/tháng/ngày."),
            EdxmlError::BadAttachment { name, reason } => format!("Tệp đính kèm “{name}”: {reason}."),
            EdxmlError::MissingAttachment(id) => {
                format!("Danh mục của gói tin nêu tệp đính kèm “{id}” nhưng gói tin không mang tệp đó.")
            }
        }
    }
}

impl std::fmt::Display for EdxmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for EdxmlError {}

#[cfg(test)]
mod tests;
