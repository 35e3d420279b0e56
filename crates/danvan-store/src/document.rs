//! The document library: documents, their files, citations and addressees, and search.
//!
//! Search is the one place where the two databases differ in SQL (FTS5 on SQLite, a
//! `tsvector` on PostgreSQL); both search the same folded text and return ids in rank order,
//! and everything a user sees (snippets, highlighting) is made from the results in Rust, so the
//! behaviour is the same on both.

use danvan_domain::audit::Action;
use danvan_domain::document::{number_key, year_of};
use danvan_domain::search::{fold, query_terms};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Backend, Result, Store, StoreError, get_bool, parse_date};

/// A file as uploaded.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl std::fmt::Debug for StoredFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredFile")
            .field("sha256", &self.sha256)
            .field("bytes", &self.content.len())
            .finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCitation {
    pub doc_type: Option<String>,
    pub number: String,
    pub symbol: String,
    pub cited_on: Option<Date>,
    pub issuer_text: Option<String>,
    /// The position (in the same list) of the citation that this one is carried out by.
    pub carried_out_by: Option<usize>,
}

/// A document as reviewed and ready to save.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDocument {
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub issuer: Option<String>,
    pub parent_issuer: Option<String>,
    pub place: Option<String>,
    pub issued_on: Option<Date>,
    pub subject: Option<String>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub recipients: Vec<String>,
    pub tasks: Vec<String>,
    pub distribution: Vec<String>,
    pub warnings: Vec<String>,
    pub body_text: String,
    pub citations: Vec<NewCitation>,
    /// The original file: its SHA-256 (already stored) and name as uploaded.
    pub file: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    pub id: i64,
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub symbol: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<Date>,
    pub subject: Option<String>,
    pub has_full_text: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub summary: DocumentSummary,
    pub parent_issuer: Option<String>,
    pub place: Option<String>,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub recipients: Vec<String>,
    pub tasks: Vec<String>,
    pub distribution: Vec<String>,
    pub warnings: Vec<String>,
    pub body_text: String,
    pub file_sha256: Option<String>,
    pub file_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationRecord {
    pub doc_type: Option<String>,
    pub number: String,
    pub symbol: String,
    pub cited_on: Option<Date>,
    pub issuer_text: Option<String>,
    pub carried_out_by: Option<usize>,
    /// The library's document this citation names, if it has one.
    pub target: Option<DocumentSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Created(i64),
    /// A citation-only entry received its full text.
    Upgraded(i64),
}

impl SaveOutcome {
    pub fn id(self) -> i64 {
        match self {
            SaveOutcome::Created(id) | SaveOutcome::Upgraded(id) => id,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub year: Option<i32>,
    pub limit: i64,
    pub offset: i64,
}

/// An addressee line with what it was mapped to by a person, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddresseeMapping {
    pub text: String,
    pub unit_id: Option<i64>,
    pub unit_group_id: Option<i64>,
}

/// How many characters of each result's text a search reads for its snippet.
pub const TEXT_START_CHARS: usize = 16_384;

/// The start of a document's text as a search reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextStart {
    pub text: String,
    /// The start is the whole text.
    pub whole: bool,
}

/// How many of the most recently added matches a search ranks by relevance.
const SEARCH_WINDOW: usize = 500;

const SUMMARY_COLUMNS: &str = "document_id, doc_type, number, symbol, issuer, issued_on, subject, has_full_text";

/// A stored file that no record refers to.
const ORPHAN: &str = "not exists (select 1 from document d where d.file_sha256 = f.sha256) \
     and not exists (select 1 from report_attachment a where a.file_sha256 = f.sha256) \
     and not exists (select 1 from assessment_item i where i.evidence_sha256 = f.sha256) \
     and not exists (select 1 from initiative_file n where n.file_sha256 = f.sha256) \
     and not exists (select 1 from report_filing_file r where r.file_sha256 = f.sha256)";

fn summary_from(row: &AnyRow) -> Result<DocumentSummary> {
    let issued_on: Option<String> = row.try_get("issued_on")?;
    Ok(DocumentSummary {
        id: row.try_get("document_id")?,
        doc_type: row.try_get("doc_type")?,
        number: row.try_get("number")?,
        symbol: row.try_get("symbol")?,
        issuer: row.try_get("issuer")?,
        issued_on: issued_on.as_deref().map(parse_date).transpose()?,
        subject: row.try_get("subject")?,
        has_full_text: get_bool(row, "has_full_text")?,
    })
}

fn json_list(row: &AnyRow, column: &str) -> Result<Vec<String>> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

fn iso(date: Option<Date>) -> Option<String> {
    date.map(danvan_domain::date::format_iso)
}

/// The columns a saved document writes, in the order `bind_fields` binds them; `updated_at`
/// last, so that an insert can use its number for `created_at` too.
const DOCUMENT_FIELDS: &[&str] = &[
    "doc_type",
    "number",
    "symbol",
    "number_key",
    "year",
    "issuer",
    "parent_issuer",
    "place",
    "issued_on",
    "subject",
    "signer_name",
    "signer_title",
    "signer_authority",
    "recipients_json",
    "tasks_json",
    "distribution_json",
    "warnings_json",
    "body_text",
    "has_full_text",
    "file_sha256",
    "file_name",
    "search_text",
    "updated_at",
];

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds a full document's values in the order of `DOCUMENT_FIELDS`.
fn bind_fields<'q>(
    query: AnyQuery<'q>,
    doc: &'q NewDocument,
    key: &'q Option<String>,
    year: Option<i32>,
    now: i64,
) -> AnyQuery<'q> {
    query
        .bind(&doc.doc_type)
        .bind(&doc.number)
        .bind(&doc.symbol)
        .bind(key)
        .bind(year.map(i64::from))
        .bind(&doc.issuer)
        .bind(&doc.parent_issuer)
        .bind(&doc.place)
        .bind(iso(doc.issued_on))
        .bind(&doc.subject)
        .bind(&doc.signer_name)
        .bind(&doc.signer_title)
        .bind(&doc.signer_authority)
        .bind(json!(doc.recipients).to_string())
        .bind(json!(doc.tasks).to_string())
        .bind(json!(doc.distribution).to_string())
        .bind(json!(doc.warnings).to_string())
        .bind(&doc.body_text)
        .bind(true)
        .bind(doc.file.as_ref().map(|f| f.0.clone()))
        .bind(doc.file.as_ref().map(|f| f.1.clone()))
        .bind(search_text(doc))
        .bind(now)
}

/// The text that search runs over: the fields a person looks for, folded.
fn search_text(doc: &NewDocument) -> String {
    let number = match (&doc.number, &doc.symbol) {
        (Some(n), Some(s)) => format!("{n}/{s} {n} {s}"),
        _ => String::new(),
    };
    let fields = [
        doc.doc_type.as_deref().unwrap_or(""),
        &number,
        doc.issuer.as_deref().unwrap_or(""),
        doc.subject.as_deref().unwrap_or(""),
        &doc.body_text,
    ];
    fold(&fields.join("\n"))
}

impl Store {
    /// Stored files that no record refers to (a preview abandoned, an import of a file already
    /// present), older than `before` (Unix seconds): how many and how many bytes.
    pub async fn orphaned_files(&self, before: i64) -> Result<(i64, i64)> {
        let row = sqlx::query(&format!(
            "select count(*), cast(coalesce(sum(size_bytes), 0) as bigint) from stored_file f where {ORPHAN} and f.created_at < $1"
        ))
        .bind(before)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// Deletes the stored files no record refers to that are older than `before`, with one
    /// audit record naming how many and their digests. Returns how many went.
    pub async fn delete_orphaned_files(&self, actor: &Actor, before: i64) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let gone: Vec<String> = sqlx::query_scalar(&format!(
            "delete from stored_file as f where {ORPHAN} and f.created_at < $1 returning sha256"
        ))
        .bind(before)
        .fetch_all(&mut *change.tx)
        .await?;
        if gone.is_empty() {
            return Ok(0);
        }
        let after = json!({"deleted": gone.len(), "sha256": gone});
        change
            .record(actor, Action::DeleteOrphanedFiles, gone.len(), None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(gone.len() as i64)
    }

    /// Stores a file under its SHA-256 (once, however often it is uploaded) and returns the digest.
    #[tracing::instrument(skip(self, content), fields(bytes = content.len()))]
    pub async fn put_file(&self, content: &[u8], content_type: &str) -> Result<String> {
        let sha256: String = Sha256::digest(content).iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query(
            "insert into stored_file (sha256, size_bytes, content_type, content, created_at) values ($1, $2, $3, $4, $5) \
             on conflict (sha256) do nothing",
        )
        .bind(&sha256)
        .bind(content.len() as i64)
        .bind(content_type)
        .bind(content.to_vec())
        .bind(now())
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(sha256)
    }

    /// A stored file; its content is checked against its digest, and a file that no longer
    /// matches is reported as corrupt rather than served.
    pub async fn file(&self, sha256: &str) -> Result<Option<StoredFile>> {
        let row = sqlx::query("select sha256, content_type, content from stored_file where sha256 = $1")
            .bind(sha256)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let file = StoredFile {
            sha256: row.try_get("sha256")?,
            content_type: row.try_get("content_type")?,
            content: row.try_get("content")?,
        };
        let actual: String = Sha256::digest(&file.content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if actual != file.sha256 {
            return Err(StoreError::Corrupt(format!(
                "stored file {sha256} does not match its digest"
            )));
        }
        Ok(Some(file))
    }

    /// Saves a document with its citations and addressees in one transaction. A citation-only
    /// entry with the same number, symbol and year is upgraded in place, so links to it hold;
    /// a full document already present is a conflict. Every cited document the library does not
    /// hold gets a citation-only entry.
    #[tracing::instrument(skip(self, actor, doc), fields(number = ?doc.number, symbol = ?doc.symbol))]
    pub async fn save_document(&self, actor: &Actor, doc: &NewDocument) -> Result<SaveOutcome> {
        let mut change = Change::begin(self).await?;
        let key = doc
            .number
            .as_deref()
            .zip(doc.symbol.as_deref())
            .map(|(n, s)| number_key(n, s));
        let year = year_of(doc.issued_on.map(|d| d.year()), doc.symbol.as_deref().unwrap_or(""));
        // The same file saved before is the same document, numbered or not.
        if let Some((sha, _)) = &doc.file {
            let same_file: Option<i64> =
                sqlx::query_scalar("select document_id from document where file_sha256 = $1 limit 1")
                    .bind(sha)
                    .fetch_optional(&mut *change.tx)
                    .await?;
            if same_file.is_some() {
                return Err(StoreError::Conflict("document"));
            }
        }
        let existing = match &key {
            Some(key) => find_by_key(&mut change, key, year).await?,
            None => None,
        };
        let now = now();
        let outcome = match existing {
            Some((_, true)) => return Err(StoreError::Conflict("document")),
            Some((id, false)) => {
                let assignments = DOCUMENT_FIELDS
                    .iter()
                    .enumerate()
                    .map(|(i, f)| format!("{f} = ${}", i + 1))
                    .collect::<Vec<_>>();
                let sql = format!(
                    "update document set {} where document_id = ${}",
                    assignments.join(", "),
                    DOCUMENT_FIELDS.len() + 1
                );
                bind_fields(sqlx::query(&sql), doc, &key, year, now)
                    .bind(id)
                    .execute(&mut *change.tx)
                    .await?;
                SaveOutcome::Upgraded(id)
            }
            None => {
                let placeholders = (1..=DOCUMENT_FIELDS.len()).map(|i| format!("${i}")).collect::<Vec<_>>();
                let sql = format!(
                    "insert into document ({}, created_at) values ({}, ${}) returning document_id",
                    DOCUMENT_FIELDS.join(", "),
                    placeholders.join(", "),
                    DOCUMENT_FIELDS.len()
                );
                let row = bind_fields(sqlx::query(&sql), doc, &key, year, now)
                    .fetch_one(&mut *change.tx)
                    .await
                    .map_err(crate::conflict_on("document"))?;
                SaveOutcome::Created(row.try_get("document_id")?)
            }
        };
        let id = outcome.id();
        for (position, citation) in doc.citations.iter().enumerate() {
            let cited_key = number_key(&citation.number, &citation.symbol);
            let cited_year = year_of(citation.cited_on.map(|d| d.year()), &citation.symbol);
            sqlx::query(
                "insert into citation (document_id, position, doc_type, number, symbol, number_key, cited_on, cited_year, \
                 issuer_text, carried_out_by_position) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&citation.doc_type)
            .bind(&citation.number)
            .bind(&citation.symbol)
            .bind(&cited_key)
            .bind(iso(citation.cited_on))
            .bind(cited_year.map(i64::from))
            .bind(&citation.issuer_text)
            .bind(citation.carried_out_by.map(|p| p as i64))
            .execute(&mut *change.tx)
            .await?;
            if find_by_key(&mut change, &cited_key, cited_year).await?.is_none() {
                let entry = NewDocument {
                    doc_type: citation.doc_type.clone(),
                    number: Some(citation.number.clone()),
                    symbol: Some(citation.symbol.clone()),
                    issuer: citation.issuer_text.clone(),
                    issued_on: citation.cited_on,
                    ..NewDocument::default()
                };
                sqlx::query(
                    "insert into document (doc_type, number, symbol, number_key, year, issuer, issued_on, has_full_text, \
                     search_text, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                )
                .bind(&entry.doc_type)
                .bind(&entry.number)
                .bind(&entry.symbol)
                .bind(&cited_key)
                .bind(cited_year.map(i64::from))
                .bind(&entry.issuer)
                .bind(iso(entry.issued_on))
                .bind(false)
                .bind(search_text(&entry))
                .bind(now)
                .execute(&mut *change.tx)
                .await?;
            }
        }
        for (position, text) in doc.recipients.iter().enumerate() {
            sqlx::query("insert into addressee (document_id, position, text, text_key) values ($1, $2, $3, $4)")
                .bind(id)
                .bind(position as i64)
                .bind(text)
                .bind(fold(text))
                .execute(&mut *change.tx)
                .await?;
        }
        let action = match outcome {
            SaveOutcome::Created(_) => Action::CreateDocument,
            SaveOutcome::Upgraded(_) => Action::UpgradeDocument,
        };
        let after = json!({
            "doc_type": doc.doc_type, "number": doc.number, "symbol": doc.symbol, "issuer": doc.issuer,
            "issued_on": iso(doc.issued_on), "subject": doc.subject, "file_sha256": doc.file.as_ref().map(|f| &f.0),
            "citations": doc.citations.len(),
        });
        change.record(actor, action, id, None, Some(&after)).await?;
        change.commit().await?;
        Ok(outcome)
    }

    pub async fn document(&self, id: i64) -> Result<Option<DocumentRecord>> {
        let row = sqlx::query(&format!(
            "select {SUMMARY_COLUMNS}, parent_issuer, place, signer_name, signer_title, signer_authority, recipients_json, \
             tasks_json, distribution_json, warnings_json, body_text, file_sha256, file_name from document where document_id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(DocumentRecord {
            summary: summary_from(&row)?,
            parent_issuer: row.try_get("parent_issuer")?,
            place: row.try_get("place")?,
            signer_name: row.try_get("signer_name")?,
            signer_title: row.try_get("signer_title")?,
            signer_authority: row.try_get("signer_authority")?,
            recipients: json_list(&row, "recipients_json")?,
            tasks: json_list(&row, "tasks_json")?,
            distribution: json_list(&row, "distribution_json")?,
            warnings: json_list(&row, "warnings_json")?,
            body_text: row.try_get("body_text")?,
            file_sha256: row.try_get("file_sha256")?,
            file_name: row.try_get("file_name")?,
        }))
    }

    /// The document saved from this file, if any.
    pub async fn document_by_file(&self, sha256: &str) -> Result<Option<i64>> {
        let id = sqlx::query_scalar("select document_id from document where file_sha256 = $1 limit 1")
            .bind(sha256)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        Ok(id)
    }

    /// The document with this number and symbol (and year, when known).
    pub async fn document_by_number(
        &self,
        number: &str,
        symbol: &str,
        year: Option<i32>,
    ) -> Result<Option<DocumentSummary>> {
        let key = number_key(number, symbol);
        let year = year_of(year, symbol);
        let row = sqlx::query(&format!(
            "select {SUMMARY_COLUMNS} from document where number_key = $1 and ($2 is null or year is null or year = $2) \
             order by has_full_text desc, document_id limit 1"
        ))
        .bind(&key)
        .bind(year.map(i64::from))
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(summary_from).transpose()
    }

    pub async fn list_documents(&self, filter: &DocumentFilter) -> Result<Vec<DocumentSummary>> {
        let limit = if filter.limit <= 0 { 100 } else { filter.limit.min(500) };
        let rows = sqlx::query(&format!(
            "select {SUMMARY_COLUMNS} from document where ($1 is null or doc_type = $1) and ($2 is null or issuer = $2) \
             and ($3 is null or year = $3) order by issued_on desc, document_id desc limit $4 offset $5"
        ))
        .bind(&filter.doc_type)
        .bind(&filter.issuer)
        .bind(filter.year.map(i64::from))
        .bind(limit)
        .bind(filter.offset.max(0))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(summary_from).collect()
    }

    /// The distinct types, issuers and years in the library, for the list's filters.
    pub async fn document_facets(&self) -> Result<(Vec<String>, Vec<String>, Vec<i32>)> {
        let types =
            sqlx::query_scalar::<_, String>("select distinct doc_type from document where doc_type is not null")
                .fetch_all(&mut *self.conn().await?)
                .await?;
        let issuers = sqlx::query_scalar::<_, String>("select distinct issuer from document where issuer is not null")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let years = sqlx::query_scalar::<_, i64>(
            "select distinct year from document where year is not null order by year desc",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok((
            types,
            issuers,
            years.into_iter().filter_map(|y| i32::try_from(y).ok()).collect(),
        ))
    }

    /// Documents matching every word of the query, best first, with the start of their text for
    /// snippets (at most [`TEXT_START_CHARS`] characters, marked whole when it is all of it):
    /// a snippet is nearly always decided by the start, and reading and decoding each result's
    /// whole text per request was half of a search's cost.
    ///
    /// When fewer than [`SEARCH_WINDOW`] documents match, "best" is relevance over all of them
    /// (bm25 on SQLite, `ts_rank` on PostgreSQL). When more match, the query says little about
    /// what is wanted and ranking them would cost a pass over each word's every occurrence in
    /// the library: the most recently added come first.
    #[tracing::instrument(skip(self))]
    pub async fn search_documents(&self, query: &str, limit: i64) -> Result<Vec<(DocumentSummary, TextStart)>> {
        let terms = query_terms(query);
        if terms.is_empty() {
            return Ok(vec![]);
        }
        let limit = limit.clamp(1, 200);
        // The one dialect difference in search: how each database matches and ranks.
        let (bound, recent_sql, ranked_sql) = match self.backend {
            Backend::Sqlite => (
                terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" "),
                format!(
                    "select rowid from document_fts where document_fts match $1 order by rowid desc limit {SEARCH_WINDOW}"
                ),
                "select rowid from document_fts where document_fts match $1 order by bm25(document_fts), rowid limit $2",
            ),
            Backend::Postgres => (
                terms.join(" "),
                format!(
                    "select document_id from document where search_vector @@ plainto_tsquery('simple', $1) \
                     order by document_id desc limit {SEARCH_WINDOW}"
                ),
                "select document_id from document, plainto_tsquery('simple', $1) q where search_vector @@ q \
                 order by ts_rank(search_vector, q) desc, document_id limit $2",
            ),
        };
        // The most recent matches stop at the window; the index gives them newest first.
        let recent: Vec<i64> = sqlx::query_scalar(&recent_sql)
            .bind(&bound)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let ids: Vec<i64> = if recent.len() < SEARCH_WINDOW {
            sqlx::query_scalar(ranked_sql)
                .bind(&bound)
                .bind(limit)
                .fetch_all(&mut *self.conn().await?)
                .await?
        } else {
            recent.into_iter().take(limit as usize).collect()
        };
        if ids.is_empty() {
            return Ok(vec![]);
        }
        // Only the page's documents are read (their texts are what the snippets need). Ids are
        // integers: safe to write into the SQL.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        // One character more than kept tells whether the text goes on (substr counts characters
        // on both databases).
        let rows = sqlx::query(&format!(
            "select {SUMMARY_COLUMNS}, substr(body_text, 1, {}) as body_start from document \
             where document_id in ({list})",
            TEXT_START_CHARS + 1
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut found: std::collections::HashMap<i64, (DocumentSummary, TextStart)> = rows
            .iter()
            .map(|row| {
                let summary = summary_from(row)?;
                let mut text: String = row.try_get("body_start")?;
                let whole = match text.char_indices().nth(TEXT_START_CHARS) {
                    Some((cut, _)) => {
                        text.truncate(cut);
                        false
                    }
                    None => true,
                };
                Ok((summary.id, (summary, TextStart { text, whole })))
            })
            .collect::<Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The oracle of search's relevance: how many documents match `query`, and the ids of the
    /// first `limit` of a ranking over every match (bm25 on SQLite, `ts_rank` on PostgreSQL),
    /// not only the most recent [`SEARCH_WINDOW`]. When fewer than that match,
    /// `search_documents` must give the same first documents; the conformance suite and the
    /// search benchmark hold it to this.
    pub async fn search_fully_ranked(&self, query: &str, limit: i64) -> Result<(i64, Vec<i64>)> {
        let terms = query_terms(query);
        if terms.is_empty() {
            return Ok((0, vec![]));
        }
        let (count_sql, rank_sql, bound) = match self.backend {
            Backend::Sqlite => (
                "select count(*) from document_fts where document_fts match $1",
                "select rowid as id from document_fts where document_fts match $1 \
                 order by bm25(document_fts), rowid limit $2",
                terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" "),
            ),
            Backend::Postgres => (
                "select count(*) from document where search_vector @@ plainto_tsquery('simple', $1)",
                "select document_id as id from document, plainto_tsquery('simple', $1) q \
                 where search_vector @@ q order by ts_rank(search_vector, q) desc, document_id limit $2",
                terms.join(" "),
            ),
        };
        let count: i64 = sqlx::query_scalar(count_sql)
            .bind(&bound)
            .fetch_one(&mut *self.conn().await?)
            .await?;
        let ids = sqlx::query_scalar(rank_sql)
            .bind(&bound)
            .bind(limit)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        Ok((count, ids))
    }

    /// What a document cites, in order, each with the library's document when it has one.
    pub async fn citations_of(&self, document_id: i64) -> Result<Vec<CitationRecord>> {
        let rows = sqlx::query(
            "select doc_type, number, symbol, cited_on, cited_year, issuer_text, carried_out_by_position from citation \
             where document_id = $1 order by position",
        )
        .bind(document_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let number: String = row.try_get("number")?;
            let symbol: String = row.try_get("symbol")?;
            let cited_on: Option<String> = row.try_get("cited_on")?;
            let cited_year: Option<i64> = row.try_get("cited_year")?;
            let carried_out_by: Option<i64> = row.try_get("carried_out_by_position")?;
            let target = self
                .document_by_number(&number, &symbol, cited_year.and_then(|y| i32::try_from(y).ok()))
                .await?;
            out.push(CitationRecord {
                doc_type: row.try_get("doc_type")?,
                number,
                symbol,
                cited_on: cited_on.as_deref().map(parse_date).transpose()?,
                issuer_text: row.try_get("issuer_text")?,
                carried_out_by: carried_out_by.and_then(|p| usize::try_from(p).ok()),
                target,
            });
        }
        Ok(out)
    }

    /// The documents that cite this one.
    pub async fn cited_by(&self, document_id: i64) -> Result<Vec<DocumentSummary>> {
        let rows = sqlx::query(&format!(
            "select distinct {} from citation c join document t on t.document_id = $1 \
             join document d on d.document_id = c.document_id \
             where c.number_key = t.number_key and (c.cited_year is null or t.year is null or c.cited_year = t.year) \
             order by d.issued_on, d.document_id",
            SUMMARY_COLUMNS
                .split(", ")
                .map(|c| format!("d.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .bind(document_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(summary_from).collect()
    }

    /// Remembers what an addressee line means.
    pub async fn set_addressee_mapping(
        &self,
        actor: &Actor,
        text: &str,
        unit_id: Option<i64>,
        unit_group_id: Option<i64>,
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let key = fold(text);
        sqlx::query(
            "insert into addressee_mapping (text_key, text, unit_id, unit_group_id, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6) on conflict (text_key) do update set unit_id = excluded.unit_id, \
             unit_group_id = excluded.unit_group_id, created_by = excluded.created_by, created_at = excluded.created_at",
        )
        .bind(&key)
        .bind(text)
        .bind(unit_id)
        .bind(unit_group_id)
        .bind(&actor.name)
        .bind(now())
        .execute(&mut *change.tx)
        .await?;
        let after = json!({"text": text, "unit_id": unit_id, "unit_group_id": unit_group_id});
        change
            .record(actor, Action::MapAddressee, &key, None, Some(&after))
            .await?;
        change.commit().await
    }

    /// The remembered meaning of an addressee line.
    pub async fn addressee_mapping(&self, text: &str) -> Result<Option<AddresseeMapping>> {
        let row = sqlx::query("select text, unit_id, unit_group_id from addressee_mapping where text_key = $1")
            .bind(fold(text))
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.map(|row| {
            Ok(AddresseeMapping {
                text: row.try_get("text")?,
                unit_id: row.try_get("unit_id")?,
                unit_group_id: row.try_get("unit_group_id")?,
            })
        })
        .transpose()
    }

    /// Every distinct addressee line in the library, with the documents' dates (the latest).
    pub async fn addressee_lines(&self) -> Result<Vec<(String, Option<Date>)>> {
        let rows = sqlx::query(
            "select a.text_key, min(a.text) as text, max(d.issued_on) as issued_on from addressee a \
             join document d on d.document_id = a.document_id group by a.text_key order by a.text_key",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let issued_on: Option<String> = row.try_get("issued_on")?;
                Ok((row.try_get("text")?, issued_on.as_deref().map(parse_date).transpose()?))
            })
            .collect()
    }
}

/// The document with this key whose year agrees, and whether it has its full text.
async fn find_by_key(change: &mut Change, key: &str, year: Option<i32>) -> Result<Option<(i64, bool)>> {
    let row = sqlx::query(
        "select document_id, has_full_text from document where number_key = $1 \
         and ($2 is null or year is null or year = $2) order by has_full_text desc, document_id limit 1",
    )
    .bind(key)
    .bind(year.map(i64::from))
    .fetch_optional(&mut *change.tx)
    .await?;
    row.map(|row| Ok((row.try_get("document_id")?, get_bool(&row, "has_full_text")?)))
        .transpose()
}
