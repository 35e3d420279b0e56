//! The document library: list and search, one document with its citations, and the original
//! file. Adding a document is in `document_review`, the addressees in `addressees`.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use danvan_app::store::DocumentFilter;
use danvan_app::store::document::DocumentSummary;
use danvan_domain::document::display_number;
use danvan_domain::search::{Piece, query_terms, snippet, snippet_of_start};
use danvan_domain::{collation, date};
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::pages::addressees::resolve_addressee;
use crate::pages::render;
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
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
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

pub(crate) fn non_empty(text: &str) -> Option<String> {
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
