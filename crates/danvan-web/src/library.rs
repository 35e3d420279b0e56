//! Taking documents into the library: from bytes to a saved document, for uploads, the
//! `danvan import` command and the demo alike.

use danvan_app::store::document::NewCitation;
use danvan_app::store::{NewDocument, SaveOutcome, Store, StoreError};
use danvan_docparse::{Format, ParsedDocument, sniff};

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("empty file")]
    Empty,
    #[error("file larger than the limit")]
    TooLarge,
    #[error("not a text or word document")]
    UnsupportedType,
    #[error("unreadable: {}", .0.reason())]
    Unreadable(danvan_docparse::Unreadable),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("refused: {0}")]
    Refused(danvan_app::Refusal),
    #[error("edxml: {0:?}")]
    Package(danvan_edxml::EdxmlError),
    /// A package none of whose attachments is a document that can be read.
    #[error("package without a readable document")]
    PackageWithoutDocument,
    /// A status package: nothing to keep in the library.
    #[error("status package")]
    StatusPackage,
}

impl ImportError {
    /// What the user reads.
    pub fn message(&self) -> String {
        match self {
            ImportError::Package(error) => error.message(),
            ImportError::PackageWithoutDocument => "Gói tin edXML không có tệp đính kèm đọc được (PDF có lớp chữ, .docx hoặc .txt); văn bản không được lưu.".to_owned(),
            ImportError::StatusPackage => "Đây là gói tin trạng thái, không phải văn bản; không có gì để lưu vào thư viện.".to_owned(),
            ImportError::Refused(danvan_app::Refusal::State(reason)) => reason.clone(),
            other => other.static_message().to_owned(),
        }
    }

    fn static_message(&self) -> &'static str {
        match self {
            ImportError::Empty => "Tệp trống hoặc không có nội dung.",
            ImportError::TooLarge => "Tệp lớn hơn 10 MB.",
            ImportError::UnsupportedType => "Chỉ nhận văn bản dạng .txt, .docx (Word) hoặc .pdf.",
            ImportError::Unreadable(why) => match why {
                danvan_docparse::Unreadable::NotADocument => "Chỉ nhận văn bản dạng .txt, .docx (Word) hoặc .pdf.",
                danvan_docparse::Unreadable::CorruptPdf => {
                    "Không mở được tệp PDF này: tệp bị hỏng hoặc được khóa bằng mật khẩu."
                }
                danvan_docparse::Unreadable::Scan => {
                    "Tệp PDF này là bản quét (ảnh chụp trang giấy), không có lớp chữ nên không đọc được nội dung; vui lòng tải lên bản PDF có chữ, bản Word (.docx) hoặc văn bản (.txt)."
                }
                danvan_docparse::Unreadable::CorruptWord => {
                    "Không mở được tệp Word này: tệp bị hỏng hoặc vượt quá giới hạn cho phép."
                }
                danvan_docparse::Unreadable::NoText => {
                    "Không đọc được chữ nào trong tệp này; văn bản không được lưu. Vui lòng kiểm tra lại tệp."
                }
            },
            ImportError::Store(_) => "Không lưu được văn bản; vui lòng thử lại.",
            ImportError::Refused(_) => "Tài khoản này không được lưu văn bản vào thư viện.",
            ImportError::Package(_) | ImportError::PackageWithoutDocument | ImportError::StatusPackage => {
                "Gói tin edXML không đọc được."
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(i64),
    /// A citation-only entry received its full text.
    Completed(i64),
    /// The library already holds this document in full.
    AlreadyPresent(Option<i64>),
}

/// The MIME type a stored file is served with, decided from its content.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Text => "text/plain; charset=utf-8",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Pdf => "application/pdf",
    }
}

/// Checks an upload and reads it: size, type from the bytes, then the parser.
pub fn read_upload(bytes: &[u8]) -> Result<(Format, ParsedDocument), ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ImportError::TooLarge);
    }
    let parsed = danvan_docparse::read_bytes(bytes).map_err(ImportError::Unreadable)?;
    let format = sniff(bytes).ok_or(ImportError::UnsupportedType)?;
    Ok((format, parsed))
}

/// A parsed document as the store saves it.
pub fn new_document(parsed: &ParsedDocument, file: Option<(String, String)>) -> NewDocument {
    NewDocument {
        doc_type: parsed.doc_type.clone(),
        number: parsed.number.clone(),
        symbol: parsed.symbol.clone(),
        issuer: parsed.issuer.clone(),
        parent_issuer: parsed.parent_issuer.clone(),
        place: parsed.place.clone(),
        issued_on: parsed.date.and_then(to_date),
        subject: parsed.subject.clone(),
        signer_name: parsed.signer_name.clone(),
        signer_title: parsed.signer_title.clone(),
        signer_authority: parsed.signer_authority.clone(),
        recipients: parsed.recipients.clone(),
        tasks: parsed.tasks.clone(),
        distribution: parsed.distribution.clone(),
        warnings: parsed.warnings.clone(),
        body_text: parsed.text.clone(),
        citations: parsed
            .references
            .iter()
            .map(|r| NewCitation {
                doc_type: r.doc_type.clone(),
                number: r.number.clone(),
                symbol: r.symbol.clone(),
                cited_on: r.date.and_then(to_date),
                issuer_text: r.issuer_text.clone(),
                carried_out_by: r.carried_out_by,
            })
            .collect(),
        file,
    }
}

pub fn to_date(date: danvan_docparse::DocDate) -> Option<time::Date> {
    time::Date::from_calendar_date(date.year, time::Month::try_from(date.month).ok()?, date.day).ok()
}

/// Whether the bytes are an XML file naming edXML near its start (a package, to be read as one).
pub fn is_package(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start();
    text.starts_with('<') && text.contains("edXML")
}

/// Reads a package, and the document among its attachments: the first PDF, Word or text file
/// that reads. Returns the package, the attachment's index and what was read of it.
pub fn read_package(bytes: &[u8]) -> Result<ReadPackage, ImportError> {
    let package = match danvan_edxml::read(bytes).map_err(ImportError::Package)? {
        danvan_edxml::Incoming::Document(package) => *package,
        danvan_edxml::Incoming::Status(_) => return Err(ImportError::StatusPackage),
    };
    for (index, attachment) in package.attachments.iter().enumerate() {
        if let (Ok(parsed), Some(format)) = (
            danvan_docparse::read_bytes(&attachment.content),
            sniff(&attachment.content),
        ) {
            return Ok((package, index, format, parsed));
        }
    }
    Err(ImportError::PackageWithoutDocument)
}

/// The library document of a package: the header's fields as the sender gave them (number,
/// notation, place, date, subject, type, signer), the rest (issuing body, tasks, citations,
/// addressees, distribution) read from the attached document.
pub fn package_document(
    package: &danvan_edxml::Package,
    parsed: &ParsedDocument,
    file: (String, String),
) -> NewDocument {
    let h = &package.header;
    let mut doc = new_document(parsed, Some(file));
    let given = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
    doc.number = given(&h.code.number).or(doc.number);
    doc.symbol = given(&h.code.notation).or(doc.symbol);
    // The package names its sender, not the issuing body (a decision of the Prime Minister is
    // sent by the Government Office): the issuer is the document's own, the sender when the
    // document does not say.
    doc.issuer = doc.issuer.or_else(|| given(&h.from.organ_name));
    doc.place = given(&h.place).or(doc.place);
    doc.issued_on = h
        .promulgation_date
        .and_then(danvan_app::edxml::to_date)
        .or(doc.issued_on);
    doc.subject = given(&h.subject).or(doc.subject);
    doc.doc_type = given(&h.document_type.name).or(doc.doc_type);
    doc.signer_authority = given(&h.signer.competence).or(doc.signer_authority);
    doc.signer_title = given(&h.signer.position).or(doc.signer_title);
    doc.signer_name = given(&h.signer.full_name).or(doc.signer_name);
    doc
}

/// Takes a package into the library (`danvan_app::edxml::receive`: the document, the package's
/// header, status 01), the attached document stored as the file.
pub async fn import_package(
    store: &Store,
    user: &danvan_app::User,
    bytes: &[u8],
) -> Result<ImportOutcome, ImportError> {
    keep_package(store, user, read_package(bytes)?).await
}

/// A package as [`read_package`] gives it: the package, its document's attachment, its format
/// and what was read of it.
pub type ReadPackage = (danvan_edxml::Package, usize, Format, ParsedDocument);

/// Keeps a package already read (off the request threads, for the upload): the attachment
/// stored, then `danvan_app::edxml::receive`.
pub async fn keep_package(
    store: &Store,
    user: &danvan_app::User,
    (package, index, format, parsed): ReadPackage,
) -> Result<ImportOutcome, ImportError> {
    let attachment = &package.attachments[index];
    let sha256 = store.put_file(&attachment.content, content_type(format)).await?;
    let doc = package_document(&package, &parsed, (sha256, attachment.name.clone()));
    match danvan_app::edxml::receive(store, user, &doc, &package.header).await {
        Ok(Some(id)) => Ok(ImportOutcome::Imported(id)),
        Ok(None) => {
            let year = doc.issued_on.map(|d| d.year());
            let existing = match (&doc.number, &doc.symbol) {
                (Some(n), Some(s)) => store.document_by_number(n, s, year).await?.map(|d| d.id),
                _ => None,
            };
            Ok(ImportOutcome::AlreadyPresent(existing))
        }
        Err(danvan_app::Refusal::Store(error)) => Err(ImportError::Store(error)),
        Err(other) => Err(ImportError::Refused(other)),
    }
}

/// Reads, stores and saves one document: all of it or nothing.
pub async fn import_bytes(
    store: &Store,
    user: &danvan_app::User,
    bytes: &[u8],
    file_name: &str,
) -> Result<ImportOutcome, ImportError> {
    if is_package(bytes) {
        return import_package(store, user, bytes).await;
    }
    let (format, parsed) = read_upload(bytes)?;
    let sha256 = store.put_file(bytes, content_type(format)).await?;
    let doc = new_document(&parsed, Some((sha256, file_name.to_owned())));
    match danvan_app::document::save(store, user, &doc).await {
        Ok(SaveOutcome::Created(id)) => Ok(ImportOutcome::Imported(id)),
        Ok(SaveOutcome::Upgraded(id)) => Ok(ImportOutcome::Completed(id)),
        Err(danvan_app::Refusal::Store(StoreError::Conflict("document"))) => {
            let year = doc.issued_on.map(|d| d.year());
            let existing = match (&doc.number, &doc.symbol) {
                (Some(n), Some(s)) => store.document_by_number(n, s, year).await?.map(|d| d.id),
                _ => None,
            };
            let existing = match existing {
                Some(id) => Some(id),
                None => match &doc.file {
                    Some((sha, _)) => store.document_by_file(sha).await?,
                    None => None,
                },
            };
            Ok(ImportOutcome::AlreadyPresent(existing))
        }
        Err(danvan_app::Refusal::Store(other)) => Err(other.into()),
        Err(refusal) => Err(ImportError::Refused(refusal)),
    }
}
