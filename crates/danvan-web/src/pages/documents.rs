//! The document library: list and search, upload with review, one document with its
//! citations, the original file, and the addressees that still need a person to map them.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_app::store::document::{DocumentSummary, NewCitation};
use danvan_app::store::{DocumentFilter, NewDocument, StoreError};
use danvan_domain::document::{display_number, number_key};
use danvan_domain::search::{Piece, query_terms, snippet, snippet_of_start};
use danvan_domain::unit::Unit;
use danvan_domain::{addressee, collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::library::{self, ImportError, ImportOutcome, MAX_DOCUMENT_BYTES};
use crate::pages::{render, render_invalid};
use crate::view::Layout;

/// One document in a list.
#[derive(Clone)]
pub struct DocumentRow {
    id: i64,
    title: String,
    issuer: String,
    date: String,
    subject: String,
    full_text: bool,
}

fn title_of(doc: &DocumentSummary) -> String {
    let kind = doc.doc_type.clone().unwrap_or_else(|| "Văn bản".to_owned());
    match (&doc.number, &doc.symbol) {
        (Some(n), Some(s)) => format!("{kind} số {}", display_number(n, s)),
        _ => kind,
    }
}

fn row(doc: &DocumentSummary) -> DocumentRow {
    DocumentRow {
        id: doc.id,
        title: title_of(doc),
        issuer: doc.issuer.clone().unwrap_or_default(),
        date: doc.issued_on.map(date::format_vn).unwrap_or_default(),
        subject: doc.subject.clone().unwrap_or_default(),
        full_text: doc.has_full_text,
    }
}

#[derive(Clone)]
pub struct SearchHit {
    document: DocumentRow,
    pieces: Vec<Piece>,
}

pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "documents/list.html")]
pub struct DocumentListPage {
    layout: Layout,
    query: String,
    searched: bool,
    hits: Vec<SearchHit>,
    rows: Vec<DocumentRow>,
    types: Vec<Choice>,
    issuers: Vec<Choice>,
    years: Vec<Choice>,
    can_add: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    doc_type: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    year: String,
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// How many characters a search result's snippet shows.
const SNIPPET_WIDTH: usize = 240;

/// The snippet decided by the first 2,048 characters of `text`, when they decide it (folding is
/// most of a snippet's cost, and the terms are usually near the start); `None` for a shorter
/// text, or one whose start does not decide it.
fn snippet_of_first(text: &str, terms: &[String]) -> Option<Vec<Piece>> {
    const FIRST: usize = 2_048;
    let (cut, _) = text.char_indices().nth(FIRST)?;
    snippet_of_start(&text[..cut], terms, SNIPPET_WIDTH)
}

/// The documents matching `query`, best first, each with its snippet.
async fn search_hits(state: &AppState, query: &str, terms: Vec<String>) -> Result<Vec<SearchHit>, AppError> {
    let mut hits = Vec::new();
    for (summary, start) in state.store.search_documents(query, 50).await? {
        let pieces = if start.text.is_empty() {
            snippet(summary.subject.as_deref().unwrap_or_default(), &terms, SNIPPET_WIDTH)
        } else if start.whole {
            // The whole text is at hand: folded once more at most.
            snippet_of_first(&start.text, &terms).unwrap_or_else(|| snippet(&start.text, &terms, SNIPPET_WIDTH))
        } else if let Some(pieces) =
            snippet_of_first(&start.text, &terms).or_else(|| snippet_of_start(&start.text, &terms, SNIPPET_WIDTH))
        {
            pieces
        } else {
            // The start does not decide it: the whole text, read for this document only.
            let whole = state
                .store
                .document(summary.id)
                .await?
                .map(|d| d.body_text)
                .unwrap_or_default();
            snippet(&whole, &terms, SNIPPET_WIDTH)
        };
        hits.push(SearchHit {
            document: row(&summary),
            pieces,
        });
    }
    Ok(hits)
}

pub async fn list_documents(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let searched = !query.q.trim().is_empty();
    let kept = state.kept_now().await?;
    let mut hits = Vec::new();
    let mut rows = Vec::new();
    if searched {
        // What a search finds, with its snippets, is the same for every viewer and depends on
        // the query's folded words alone: kept per words while the library has not changed, so
        // the texts behind a query asked again are not read and folded again.
        let terms = query_terms(&query.q);
        let key = format!("search:{}", terms.join(" "));
        hits = kept
            .get(key, |_| search_hits(&state, &query.q, terms))
            .await?
            .as_ref()
            .clone();
    } else {
        let filter = DocumentFilter {
            doc_type: non_empty(&query.doc_type),
            issuer: non_empty(&query.issuer),
            year: query.year.trim().parse().ok(),
            limit: 200,
            offset: 0,
        };
        rows = state.store.list_documents(&filter).await?.iter().map(row).collect();
    }
    // The filters' choices, in Vietnamese order: kept while the data has not moved.
    let facets = kept
        .get("document-facets".into(), |_| async {
            let (mut types, mut issuers, years) = state.store.document_facets().await?;
            collation::sort_by_key(&mut types, |t| t);
            collation::sort_by_key(&mut issuers, |t| t);
            Ok((types, issuers, years))
        })
        .await?;
    let (types, issuers, years) = facets.as_ref().clone();
    let choices = |values: Vec<String>, current: &str| {
        values
            .into_iter()
            .map(|v| Choice {
                selected: v == current,
                label: v.clone(),
                value: v,
            })
            .collect()
    };
    render(&DocumentListPage {
        layout: Layout::new(&state, Some(&user), "documents"),
        searched,
        hits,
        rows,
        types: choices(types, &query.doc_type),
        issuers: choices(issuers, &query.issuer),
        years: choices(years.iter().map(|y| y.to_string()).collect(), &query.year),
        query: query.q,
        can_add: user.role.manages_units(),
    })
}

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

pub struct CitationView {
    label: String,
    date: String,
    issuer: String,
    target: Option<(i64, bool)>,
}

pub struct AddresseeView {
    text: String,
    resolved: Vec<(i64, String)>,
    how: String,
}

#[derive(Template)]
#[template(path = "documents/show.html")]
pub struct DocumentPage {
    layout: Layout,
    title: String,
    doc: DocumentRow,
    parent_issuer: String,
    place: String,
    signer: String,
    addressees: Vec<AddresseeView>,
    tasks: Vec<String>,
    distribution: Vec<String>,
    citations: Vec<CitationView>,
    unresolved: usize,
    cited_by: Vec<DocumentRow>,
    date_warnings: Vec<String>,
    warnings: Vec<String>,
    has_file: bool,
    /// The digital signatures of a PDF original, in words.
    signatures: Vec<String>,
    /// What the edXML package it came in said, in words (label, value).
    package: Vec<(&'static str, String)>,
    /// The packages sent or waiting to answer its sender (the Department and admins).
    package_rows: Vec<crate::pages::exchange::OutboxRow>,
    /// The refusal (status 02) may still be given.
    can_refuse: bool,
    body: String,
    /// May map an addressee to agencies (the link to that page is shown only then).
    can_map: bool,
    /// May issue a directive from the document (the Department, admins).
    can_direct: bool,
}

fn citation_label(doc_type: &Option<String>, number: &str, symbol: &str) -> String {
    format!(
        "{} số {}",
        doc_type.as_deref().unwrap_or("Văn bản"),
        display_number(number, symbol)
    )
}

/// Resolves an addressee line: a remembered mapping first, then the rules.
pub async fn resolve_addressee(
    state: &AppState,
    text: &str,
    units: &[Unit],
    on: time::Date,
) -> Result<(Vec<i64>, String), AppError> {
    if let Some(mapping) = state.store.addressee_mapping(text).await? {
        if let Some(unit_id) = mapping.unit_id {
            return Ok((vec![unit_id], "Đã ghi nhớ".into()));
        }
        if let Some(group_id) = mapping.unit_group_id {
            let ids = units
                .iter()
                .filter(|u| u.group_id == Some(group_id) && u.is_active_on(on))
                .map(|u| u.id)
                .collect();
            return Ok((ids, "Đã ghi nhớ (khối)".into()));
        }
    }
    Ok(match addressee::resolve(text, units, on) {
        Some(resolution) => (resolution.unit_ids, format!("Tự động: {}", resolution.rule)),
        None => (vec![], String::new()),
    })
}

pub async fn show_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let record = state.store.document(id).await?.ok_or(AppError::NotFound)?;
    let units = state.store.list_units().await?;
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.short_name.clone())).collect();
    let on = record.summary.issued_on.unwrap_or_else(|| state.clock.today());
    let mut addressees = Vec::new();
    for text in &record.recipients {
        let (ids, how) = resolve_addressee(&state, text, &units, on).await?;
        let mut resolved: Vec<(i64, String)> = ids
            .iter()
            .map(|id| (*id, names.get(id).cloned().unwrap_or_default()))
            .collect();
        collation::sort_by_key(&mut resolved, |r| &r.1);
        addressees.push(AddresseeView {
            text: text.clone(),
            resolved,
            how,
        });
    }
    let citations = state.store.citations_of(id).await?;
    let mut date_warnings = Vec::new();
    let own_date = record.summary.issued_on;
    for citation in &citations {
        let label = citation_label(&citation.doc_type, &citation.number, &citation.symbol);
        if let (Some(cited), Some(own)) = (citation.cited_on, own_date)
            && cited > own
        {
            date_warnings.push(format!(
                "{label} ngày {} được viện dẫn nhưng ban hành sau văn bản này ({}).",
                date::format_vn(cited),
                date::format_vn(own)
            ));
        }
        if let Some(outer) = citation.carried_out_by.and_then(|p| citations.get(p))
            && let (Some(inner_date), Some(outer_date)) = (citation.cited_on, outer.cited_on)
            && inner_date > outer_date
        {
            date_warnings.push(format!(
                "{} ngày {} được ghi là thực hiện {label} ngày {}, văn bản ban hành sau nó; cần kiểm tra lại số hoặc ngày.",
                citation_label(&outer.doc_type, &outer.number, &outer.symbol),
                date::format_vn(outer_date),
                date::format_vn(inner_date)
            ));
        }
    }
    let unresolved = citations
        .iter()
        .filter(|c| c.target.as_ref().is_none_or(|t| !t.has_full_text))
        .count();
    let citation_views = citations
        .iter()
        .map(|c| CitationView {
            label: citation_label(&c.doc_type, &c.number, &c.symbol),
            date: c.cited_on.map(date::format_vn).unwrap_or_default(),
            issuer: c.issuer_text.clone().unwrap_or_default(),
            target: c.target.as_ref().map(|t| (t.id, t.has_full_text)),
        })
        .collect();
    let cited_by = state.store.cited_by(id).await?.iter().map(row).collect();
    let signer = [&record.signer_authority, &record.signer_title, &record.signer_name]
        .iter()
        .filter_map(|v| v.as_deref())
        .collect::<Vec<_>>()
        .join(" · ");
    let signatures = match &record.file_sha256 {
        Some(sha) => match state.store.file(sha).await? {
            Some(file) if file.content_type == "application/pdf" => {
                state
                    .heavy
                    .run(move || danvan_docparse::pdf::signatures(&file.content))
                    .await?
            }
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    let received = state.store.received_package(id).await?;
    let manager = danvan_domain::role::Access::UnitManagers.allows(user.role);
    let mut package = Vec::new();
    let mut package_rows = Vec::new();
    let mut can_refuse = false;
    if let Some(p) = &received {
        package.push(("Nơi gửi", format!("{} ({})", p.from_organ_name, p.from_organ_id)));
        package.push(("Số, ký hiệu", p.code.clone()));
        package.push((
            "Loại",
            match p.steering {
                2 => "Văn bản chỉ đạo".to_owned(),
                3 => "Báo cáo chỉ đạo".to_owned(),
                _ => "Không phải văn bản chỉ đạo".to_owned(),
            },
        ));
        if let Some(due) = p.due_date {
            package.push(("Hạn xử lý", date::format_vn(due)));
        }
        package.push(("Mã văn bản trên trục", p.package_document_id.clone()));
        if let Some(reason) = &p.refused_reason {
            package.push(("Đã từ chối tiếp nhận", reason.clone()));
        }
        if manager {
            package_rows = state
                .store
                .packages_for_document(id)
                .await?
                .into_iter()
                .map(crate::pages::exchange::OutboxRow::package)
                .collect();
            can_refuse = p.refused_reason.is_none()
                && !state
                    .store
                    .list_directives()
                    .await?
                    .iter()
                    .any(|d| d.document_id == Some(id));
        }
    }
    render(&DocumentPage {
        package,
        package_rows,
        can_refuse,
        signatures: signatures.iter().map(signature_words).collect(),
        layout: Layout::new(&state, Some(&user), "documents"),
        can_map: user.role.manages_units(),
        can_direct: danvan_domain::role::Access::UnitManagers.allows(user.role),
        title: title_of(&record.summary),
        doc: row(&record.summary),
        parent_issuer: record.parent_issuer.clone().unwrap_or_default(),
        place: record.place.clone().unwrap_or_default(),
        signer,
        addressees,
        tasks: record.tasks.clone(),
        distribution: record.distribution.clone(),
        citations: citation_views,
        unresolved,
        cited_by,
        date_warnings,
        warnings: record.warnings.clone(),
        has_file: record.file_sha256.is_some(),
        body: record.body_text.clone(),
    })
}

/// A PDF signature as the reader sees it: who, when, and whether the file changed since.
pub fn signature_words(s: &danvan_docparse::pdf::PdfSignature) -> String {
    let who = match (&s.signer, &s.organisation) {
        (Some(signer), Some(org)) if signer != org => format!("{signer} ({org})"),
        (Some(signer), _) => signer.clone(),
        (None, Some(org)) => org.clone(),
        (None, None) => "không rõ người ký".to_owned(),
    };
    let when = s.signed_at.as_ref().map(|t| format!(", lúc {t}")).unwrap_or_default();
    if s.timestamp {
        return format!("Dấu thời gian của {who}{when}.");
    }
    let state = if s.changed_after {
        "tệp đã bị thêm nội dung sau khi ký"
    } else if s.digest_matches == Some(false) {
        "nội dung đã bị thay đổi sau khi ký"
    } else if s.signature_valid == Some(false) {
        "chữ ký không khớp với khóa của chứng thư"
    } else if s.intact() {
        "nội dung không thay đổi từ khi ký"
    } else {
        "không kiểm tra được nội dung đã ký"
    };
    let later = match s.later_signatures {
        0 => String::new(),
        n => format!("; sau đó có thêm {n} chữ ký hoặc dấu thời gian"),
    };
    format!("Chữ ký số của {who}{when}: {state}{later} (chưa kiểm tra chuỗi chứng thư).")
}

/// The original file, checked against its digest before it is sent.
pub async fn download_document_file(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let record = state.store.document(id).await?.ok_or(AppError::NotFound)?;
    let sha = record.file_sha256.ok_or(AppError::NotFound)?;
    let file = state.store.file(&sha).await?.ok_or(AppError::NotFound)?;
    let name = record.file_name.unwrap_or_else(|| format!("van-ban-{id}"));
    let ascii: String = danvan_domain::search::fold(&name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    Ok((
        StatusCode::OK,
        [
            (CONTENT_TYPE, file.content_type.clone()),
            (CONTENT_DISPOSITION, disposition),
        ],
        file.content,
    )
        .into_response())
}

pub struct AddresseeLine {
    text: String,
    resolved: String,
    how: String,
}

#[derive(Template)]
#[template(path = "documents/addressees.html")]
pub struct AddresseesPage {
    layout: Layout,
    unresolved: Vec<String>,
    resolved: Vec<AddresseeLine>,
    targets: Vec<Choice>,
}

pub async fn list_addressees(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let units = state.store.list_units().await?;
    let names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.short_name.clone())).collect();
    let mut unresolved = Vec::new();
    let mut resolved = Vec::new();
    for (text, issued_on) in state.store.addressee_lines().await? {
        let on = issued_on.unwrap_or_else(|| state.clock.today());
        let (ids, how) = resolve_addressee(&state, &text, &units, on).await?;
        if ids.is_empty() {
            unresolved.push(text);
        } else {
            let mut list: Vec<String> = ids.iter().filter_map(|id| names.get(id).cloned()).collect();
            collation::sort_by_key(&mut list, |n| n);
            resolved.push(AddresseeLine {
                text,
                resolved: list.join(", "),
                how,
            });
        }
    }
    collation::sort_by_key(&mut unresolved, |t| t);
    let mut targets: Vec<Choice> = state
        .store
        .list_groups()
        .await?
        .into_iter()
        .map(|g| Choice {
            value: format!("group:{}", g.id),
            label: format!("Khối: {}", g.name),
            selected: false,
        })
        .collect();
    let mut unit_choices: Vec<Choice> = units
        .iter()
        .filter(|u| u.is_active_on(state.clock.today()))
        .map(|u| Choice {
            value: format!("unit:{}", u.id),
            label: u.name.clone(),
            selected: false,
        })
        .collect();
    collation::sort_by_key(&mut unit_choices, |c| &c.label);
    targets.extend(unit_choices);
    render(&AddresseesPage {
        layout: Layout::new(&state, Some(&user), "documents"),
        unresolved,
        resolved,
        targets,
    })
}

#[derive(Debug, Deserialize)]
pub struct MappingForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    target: String,
}

pub async fn map_addressee(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    axum::Form(form): axum::Form<MappingForm>,
) -> Result<Response, AppError> {
    let text = form.text.trim();
    if text.is_empty() || text.chars().count() > 500 {
        return Err(AppError::BadRequest("Nơi nhận không hợp lệ."));
    }
    let (unit_id, group_id) = match form.target.split_once(':') {
        Some(("unit", id)) => (
            Some(id.parse().map_err(|_| AppError::BadRequest("Đơn vị không hợp lệ."))?),
            None,
        ),
        Some(("group", id)) => (
            None,
            Some(id.parse().map_err(|_| AppError::BadRequest("Khối không hợp lệ."))?),
        ),
        _ => return Err(AppError::BadRequest("Chọn đơn vị hoặc khối cho nơi nhận.")),
    };
    if let Some(id) = unit_id
        && state.store.unit(id).await?.is_none()
    {
        return Err(AppError::BadRequest("Đơn vị không tồn tại."));
    }
    if let Some(id) = group_id
        && !state.store.list_groups().await?.iter().any(|g| g.id == id)
    {
        return Err(AppError::BadRequest("Khối không tồn tại."));
    }
    danvan_app::document::map_addressee(&state.store, &user.acting(ip), text, unit_id, group_id).await?;
    Ok(Redirect::to("/addressees").into_response())
}
