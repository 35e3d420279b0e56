//! Adding a document to the library: the upload form, the review of what was read from the file
//! (every field editable, nothing typed lost), and saving the reviewed document.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::document::NewCitation;
use danvan_app::store::{NewDocument, StoreError};
use danvan_domain::date;
use danvan_domain::document::number_key;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::library::{self, ImportError, ImportOutcome, MAX_DOCUMENT_BYTES};
use crate::pages::documents::non_empty;
use crate::pages::{render, render_invalid};
use crate::view::Layout;

#[derive(Template)]
#[template(path = "documents/new.html")]
pub struct NewDocumentPage {
    layout: Layout,
    error: Option<String>,
    max_mb: usize,
}

pub async fn new_document_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    render(&NewDocumentPage {
        layout: Layout::new(&state, Some(&user), "documents"),
        error: None,
        max_mb: MAX_DOCUMENT_BYTES >> 20,
    })
}

/// The review form's fields, as text a person can correct.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    file_sha: String,
    #[serde(default)]
    file_name: String,
    #[serde(default)]
    doc_type: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    symbol: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    parent_issuer: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    signer_authority: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    tasks: String,
    #[serde(default)]
    distribution: String,
    #[serde(default)]
    citations: String,
}

const CITATION_SEPARATOR: &str = " | ";

impl ReviewForm {
    fn from_parsed(parsed: &danvan_docparse::ParsedDocument, file_sha: String, file_name: String) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ReviewForm {
            file_sha,
            file_name,
            doc_type: text(&parsed.doc_type),
            number: text(&parsed.number),
            symbol: text(&parsed.symbol),
            issuer: text(&parsed.issuer),
            parent_issuer: text(&parsed.parent_issuer),
            place: text(&parsed.place),
            issued_on: parsed
                .date
                .and_then(library::to_date)
                .map(date::format_vn)
                .unwrap_or_default(),
            subject: text(&parsed.subject),
            signer_authority: text(&parsed.signer_authority),
            signer_title: text(&parsed.signer_title),
            signer_name: text(&parsed.signer_name),
            recipients: parsed.recipients.join("\n"),
            tasks: parsed.tasks.join("\n"),
            distribution: parsed.distribution.join("\n"),
            citations: parsed
                .references
                .iter()
                .map(|r| {
                    [
                        r.doc_type.clone().unwrap_or_default(),
                        r.number.clone(),
                        r.symbol.clone(),
                        r.date
                            .and_then(library::to_date)
                            .map(date::format_vn)
                            .unwrap_or_default(),
                        r.issuer_text.clone().unwrap_or_default(),
                    ]
                    .join(CITATION_SEPARATOR)
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[derive(Template)]
#[template(path = "documents/review.html")]
pub struct ReviewPage {
    layout: Layout,
    form: ReviewForm,
    warnings: Vec<String>,
    errors: Vec<String>,
    existing: Option<i64>,
}

/// Reads an upload (a file or pasted text) and shows what was read for review.
pub async fn preview_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut file: Option<(String, Bytes)> = None;
    let mut pasted = String::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Dữ liệu tải lên không hợp lệ."))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("Tệp tải lên quá lớn hoặc bị lỗi."))?;
                if !bytes.is_empty() {
                    file = Some((name, bytes));
                }
            }
            Some("text") => {
                pasted = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest("Nội dung dán vào không hợp lệ."))?;
            }
            _ => {}
        }
    }
    let (name, bytes) = match file {
        Some((name, bytes)) => (name, bytes),
        None => ("van-ban-dan.txt".to_owned(), Bytes::from(pasted.into_bytes())),
    };
    let refuse = |error: ImportError| {
        let page = NewDocumentPage {
            layout: Layout::new(&state, Some(&user), "documents"),
            error: Some(error.message()),
            max_mb: MAX_DOCUMENT_BYTES >> 20,
        };
        render_invalid(&page)
    };
    // An edXML package carries its header as the sender gave it: kept at once, no review.
    if library::is_package(&bytes) {
        let read = {
            let bytes = bytes.clone();
            state.heavy.run(move || library::read_package(&bytes)).await?
        };
        let read = match read {
            Ok(read) => read,
            Err(error) => return refuse(error),
        };
        return match library::keep_package(&state.store, &user.acting(ip), read).await {
            Ok(ImportOutcome::Imported(id) | ImportOutcome::Completed(id)) => {
                Ok(Redirect::to(&format!("/documents/{id}")).into_response())
            }
            Ok(ImportOutcome::AlreadyPresent(_)) => refuse(ImportError::Refused(danvan_app::Refusal::State(
                "Văn bản này đã có trong thư viện.".into(),
            ))),
            Err(ImportError::Refused(danvan_app::Refusal::State(reason))) => {
                refuse(ImportError::Refused(danvan_app::Refusal::State(reason)))
            }
            Err(ImportError::Refused(other)) => Err(other.into()),
            Err(ImportError::Store(error)) => Err(error.into()),
            Err(other) => refuse(other),
        };
    }
    // Read off the request threads, a few files at once.
    let read = {
        let bytes = bytes.clone();
        state.heavy.run(move || library::read_upload(&bytes)).await?
    };
    let (format, parsed) = match read {
        Ok(read) => read,
        Err(error) => return refuse(error),
    };
    let sha = state.store.put_file(&bytes, library::content_type(format)).await?;
    // The name is kept for the download only, never used as a path.
    let safe_name: String = name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .take(120)
        .collect();
    let form = ReviewForm::from_parsed(&parsed, sha, safe_name);
    render(&ReviewPage {
        layout: Layout::new(&state, Some(&user), "documents"),
        form,
        warnings: parsed.warnings.clone(),
        errors: vec![],
        existing: None,
    })
}

/// Turns the reviewed form into a document, or the list of what is wrong with it.
fn reviewed_document(form: &ReviewForm, parsed: &danvan_docparse::ParsedDocument) -> Result<NewDocument, Vec<String>> {
    let mut errors = Vec::new();
    let issued_on = match non_empty(&form.issued_on) {
        Some(text) => {
            let parsed = date::parse(&text);
            if parsed.is_none() {
                errors.push("Ngày ban hành không hợp lệ; nhập theo dạng ngày/tháng/năm.".to_owned());
            }
            parsed
        }
        None => None,
    };
    let number = non_empty(&form.number);
    let symbol = non_empty(&form.symbol);
    if number.is_some() != symbol.is_some() {
        errors.push("Số và ký hiệu phải cùng có hoặc cùng để trống.".to_owned());
    }
    if number
        .as_deref()
        .is_some_and(|n| !n.chars().next().is_some_and(|c| c.is_ascii_digit()))
    {
        errors.push("Số văn bản phải bắt đầu bằng chữ số.".to_owned());
    }
    let mut citations = Vec::new();
    for (i, line) in lines(&form.citations).iter().enumerate() {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let part = |k: usize| parts.get(k).copied().filter(|p| !p.is_empty());
        match (part(1), part(2)) {
            (Some(number), Some(symbol)) => {
                let cited_on = part(3).and_then(date::parse);
                if part(3).is_some() && cited_on.is_none() {
                    errors.push(format!("Viện dẫn dòng {}: ngày không hợp lệ.", i + 1));
                }
                // The relation "carried out by" comes from the text, matched by number and symbol.
                let carried_out_by = parsed
                    .references
                    .iter()
                    // (By the documents' key: a clerk may have tidied a symbol's spacing.)
                    .find(|r| number_key(&r.number, &r.symbol) == number_key(number, symbol))
                    .and_then(|r| r.carried_out_by)
                    .and_then(|p| parsed.references.get(p))
                    .and_then(|outer| {
                        let outer_key = number_key(&outer.number, &outer.symbol);
                        lines(&form.citations).iter().position(|l| {
                            let p: Vec<&str> = l.split('|').map(str::trim).collect();
                            matches!((p.get(1), p.get(2)), (Some(n), Some(s)) if number_key(n, s) == outer_key)
                        })
                    });
                citations.push(NewCitation {
                    doc_type: part(0).map(str::to_owned),
                    number: number.to_owned(),
                    symbol: symbol.to_owned(),
                    cited_on,
                    issuer_text: part(4).map(str::to_owned),
                    carried_out_by,
                });
            }
            _ => errors.push(format!(
                "Viện dẫn dòng {}: cần có số và ký hiệu (Loại | Số | Ký hiệu | Ngày | Cơ quan).",
                i + 1
            )),
        }
    }
    if non_empty(&form.subject).is_none() && number.is_none() {
        errors.push("Cần có ít nhất trích yếu hoặc số, ký hiệu của văn bản.".to_owned());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewDocument {
        doc_type: non_empty(&form.doc_type),
        number,
        symbol,
        issuer: non_empty(&form.issuer),
        parent_issuer: non_empty(&form.parent_issuer),
        place: non_empty(&form.place),
        issued_on,
        subject: non_empty(&form.subject),
        signer_name: non_empty(&form.signer_name),
        signer_title: non_empty(&form.signer_title),
        signer_authority: non_empty(&form.signer_authority),
        recipients: lines(&form.recipients),
        tasks: lines(&form.tasks),
        distribution: lines(&form.distribution),
        warnings: parsed.warnings.clone(),
        body_text: parsed.text.clone(),
        citations,
        file: Some((form.file_sha.clone(), form.file_name.clone())),
    })
}

/// Saves a reviewed document. The text is read again from the stored file, so what is saved
/// is exactly what was uploaded.
pub async fn save_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<ReviewForm>,
) -> Result<Response, AppError> {
    let page = |form: ReviewForm, errors: Vec<String>, existing: Option<i64>| ReviewPage {
        layout: Layout::new(&state, Some(&user), "documents"),
        form,
        warnings: vec![],
        errors,
        existing,
    };
    let valid_sha = form.file_sha.len() == 64 && form.file_sha.bytes().all(|b| b.is_ascii_hexdigit());
    let file = if valid_sha {
        state.store.file(&form.file_sha).await?
    } else {
        None
    };
    let Some(file) = file else {
        return render_invalid(&page(
            form,
            vec!["Không tìm thấy tệp đã tải lên; vui lòng tải lại văn bản.".into()],
            None,
        ));
    };
    let parsed = {
        let content = file.content.clone();
        state.heavy.run(move || danvan_docparse::parse_bytes(&content)).await?
    };
    let doc = match reviewed_document(&form, &parsed) {
        Ok(doc) => doc,
        Err(errors) => return render_invalid(&page(form, errors, None)),
    };
    match danvan_app::document::save(&state.store, &user.acting(ip), &doc).await {
        Ok(outcome) => Ok(Redirect::to(&format!("/documents/{}", outcome.id())).into_response()),
        Err(danvan_app::Refusal::Store(StoreError::Conflict(_))) => {
            let year = doc.issued_on.map(|d| d.year());
            let existing = match (&doc.number, &doc.symbol) {
                (Some(n), Some(s)) => state.store.document_by_number(n, s, year).await?.map(|d| d.id),
                _ => None,
            };
            render_invalid(&page(form, vec!["Văn bản này đã có trong thư viện.".into()], existing))
        }
        Err(other) => Err(other.into()),
    }
}
