//! The audit log, for admins: each record as a sentence ("Sở Nội vụ trả lại báo cáo tiến độ của
//! Sở Y tế"), its changed fields before → after, filters by agency, person, kind of action and
//! period, an export, and the raw record one click away.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use danvan_app::store::AuditEntry;
use danvan_app::store::AuditFilter;
use danvan_app::store::audit::{AuditActor, ObjectKey};
use danvan_domain::audit::{Action, FieldChange, changed_fields, object_noun};
use danvan_domain::clock::VN_OFFSET;
use danvan_domain::{collation, date};
use serde::Deserialize;
use serde_json::Value;
use time::{OffsetDateTime, Time};

use crate::AppState;
use crate::auth::{ClientIp, CurrentUser};
use crate::error::AppError;
use crate::pages::render;
use crate::view::{Layout, format_instant};
use crate::xlsx::{self, Cell};

/// Records on one page of the log; older ones are a link away.
const PAGE: i64 = 100;
/// Records in one export.
const EXPORT_LIMIT: i64 = 10_000;

#[derive(Debug, Default, Deserialize, Clone)]
pub struct AuditQuery {
    /// The actor's agency (unit id).
    #[serde(default)]
    unit: String,
    /// The actor (account id).
    #[serde(default)]
    person: String,
    /// The kind of action ([`Action::key`]).
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// One record's history, from a link on its page.
    #[serde(default)]
    object_type: String,
    #[serde(default)]
    object_id: String,
    /// The page's cursor: records older than this id.
    #[serde(default)]
    before: String,
}

impl AuditQuery {
    /// The query string of these filters, without the cursor, for the export and the next page.
    fn filters(&self) -> String {
        let pairs = [
            ("unit", &self.unit),
            ("person", &self.person),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
            ("object_type", &self.object_type),
            ("object_id", &self.object_id),
        ];
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            if !value.trim().is_empty() {
                out.append_pair(key, value.trim());
            }
        }
        out.finish()
    }
}

pub struct AuditRow {
    id: i64,
    at: String,
    sentence: String,
    person: String,
    ip: String,
    changes: Vec<FieldChange>,
}

pub struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    units: Vec<Choice>,
    people: Vec<Choice>,
    kinds: Vec<Choice>,
    rows: Vec<AuditRow>,
    errors: Vec<&'static str>,
    filters: String,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "audit/record.html")]
pub struct RecordPage {
    layout: Layout,
    row: AuditRow,
    fields: Vec<(&'static str, String)>,
    before: String,
    after: String,
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The first instant of a Vietnamese calendar day, as Unix seconds.
fn day_start(day: time::Date) -> i64 {
    OffsetDateTime::new_in_offset(day, Time::MIDNIGHT, VN_OFFSET).unix_timestamp()
}

/// The store's filter for a query, with the messages of the fields that could not be read.
fn filter_of(query: &AuditQuery, limit: i64) -> (AuditFilter, Vec<&'static str>) {
    let mut errors = Vec::new();
    let mut bound = |text: &str, next_day: bool| {
        non_empty(text).and_then(|t| match date::parse(&t) {
            Some(day) => Some(day_start(if next_day { day.next_day().unwrap_or(day) } else { day })),
            None => {
                errors.push("Ngày lọc không hợp lệ; nhập theo dạng ngày/tháng/năm.");
                None
            }
        })
    };
    let from = bound(&query.from, false);
    let to = bound(&query.to, true);
    let id = |text: &str| non_empty(text).and_then(|t| t.parse::<i64>().ok());
    let kind = non_empty(&query.kind).and_then(|k| Action::from_key(&k));
    if non_empty(&query.kind).is_some() && kind.is_none() {
        errors.push("Loại thao tác không có trong danh sách.");
    }
    let filter = AuditFilter {
        actor: None,
        object_type: kind
            .map(|k| k.object_type().to_owned())
            .or_else(|| non_empty(&query.object_type)),
        object_id: non_empty(&query.object_id),
        action: kind.map(|k| k.code().to_owned()),
        from,
        to,
        account_id: id(&query.person),
        unit_id: id(&query.unit),
        before_id: id(&query.before),
        limit,
    };
    (filter, errors)
}

/// The log's entries as an official reads them.
async fn rows_of(state: &AppState, entries: &[AuditEntry]) -> Result<Vec<AuditRow>, AppError> {
    let labels = state.store.audit_labels(entries).await?;
    let actors = state.store.audit_actors(entries).await?;
    Ok(entries.iter().map(|e| row_of(e, &labels, &actors)).collect())
}

fn parse_json(text: Option<&str>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str(t).ok())
}

fn row_of(e: &AuditEntry, labels: &HashMap<ObjectKey, String>, actors: &HashMap<i64, AuditActor>) -> AuditRow {
    let actor = e.account_id.and_then(|id| actors.get(&id));
    let who = match actor {
        Some(AuditActor {
            unit_name: Some(unit), ..
        }) => unit.clone(),
        Some(a) => a.display_name.clone(),
        None if e.actor.starts_with("system:") => "Hệ thống".to_owned(),
        None => e.actor.clone(),
    };
    let person = match actor {
        Some(a) => format!("{} ({})", a.display_name, e.actor),
        None if e.actor.starts_with("system:") => format!("Hệ thống ({})", e.actor.trim_start_matches("system:")),
        None => e.actor.clone(),
    };
    // A step on one's own account (signing in, out) needs no name after the verb.
    let own = e.object_type == "account" && e.account_id.is_some_and(|id| id.to_string() == e.object_id);
    let label = labels
        .get(&(e.object_type.clone(), e.object_id.clone()))
        .filter(|_| !own);
    let what = match Action::from_codes(&e.action, &e.object_type) {
        Some(action) => action.vi().to_owned(),
        // Written by an older version: its codes as they are, the kind of record in words.
        None => format!(
            "thực hiện “{}” trên {}",
            e.action,
            object_noun(&e.object_type).map_or_else(|| e.object_type.clone(), str::to_lowercase)
        ),
    };
    let sentence = match label {
        Some(label) => format!("{who} {what} {label}"),
        None if own || e.object_type == "board" || e.object_id == "0" => format!("{who} {what}"),
        None => format!("{who} {what} (số {})", e.object_id),
    };
    let before = parse_json(e.before.as_deref());
    let after = parse_json(e.after.as_deref());
    AuditRow {
        id: e.id,
        at: format_instant(e.created_at),
        sentence,
        person,
        ip: e.ip.clone().unwrap_or_default(),
        changes: changed_fields(before.as_ref(), after.as_ref()),
    }
}

/// The agencies and people to filter by, in Vietnamese order, and the kinds of action.
async fn choices(state: &AppState) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), AppError> {
    let mut units: Vec<Choice> = state
        .store
        .list_units()
        .await?
        .into_iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.name,
        })
        .collect();
    collation::sort_by_key(&mut units, |c| &c.label);
    let mut people: Vec<Choice> = state
        .store
        .list_accounts()
        .await?
        .into_iter()
        .map(|a| Choice {
            value: a.id.to_string(),
            label: format!("{} ({})", a.display_name, a.username),
        })
        .collect();
    collation::sort_by_key(&mut people, |c| &c.label);
    let kinds = Action::ALL
        .iter()
        .map(|a| Choice {
            value: a.key(),
            label: capitalised(a.vi()),
        })
        .collect();
    Ok((units, people, kinds))
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub async fn list_audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let (filter, errors) = filter_of(&query, PAGE);
    let entries = state.store.audit_entries(&filter).await?;
    let next = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|last| {
            let filters = query.filters();
            if filters.is_empty() {
                format!("before={last}")
            } else {
                format!("{filters}&before={last}")
            }
        });
    let rows = rows_of(&state, &entries).await?;
    let (units, people, kinds) = choices(&state).await?;
    render(&AuditPage {
        layout: Layout::new(&state, Some(&user), "audit"),
        filters: query.filters(),
        query,
        units,
        people,
        kinds,
        rows,
        errors,
        next,
    })
}

/// The filtered log as a spreadsheet (at most [`EXPORT_LIMIT`] records, newest first).
pub async fn export_audit(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Query(mut query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    query.before.clear();
    let (filter, errors) = filter_of(&query, EXPORT_LIMIT);
    if let Some(error) = errors.first() {
        return Err(AppError::BadRequest(error));
    }
    let entries = state.store.audit_entries(&filter).await?;
    let rows: Vec<Vec<Cell>> = rows_of(&state, &entries)
        .await?
        .into_iter()
        .map(|r| {
            let changes = r
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
                .collect::<Vec<_>>()
                .join("\n");
            vec![
                r.id.into(),
                r.at.into(),
                r.sentence.into(),
                r.person.into(),
                r.ip.into(),
                changes.into(),
            ]
        })
        .collect();
    let today = date::format_vn(state.clock.today());
    let sheets = vec![xlsx::Sheet::new(
        "Nhật ký thay đổi",
        Some(format!("Nhật ký thay đổi dữ liệu, xuất ngày {today}")),
        &["Số", "Thời điểm", "Nội dung", "Người thực hiện", "Địa chỉ", "Thay đổi"],
        rows,
    )];
    crate::pages::export_xlsx(
        &state,
        &user,
        ip,
        sheets,
        (Action::ExportAudit, 0),
        "nhat-ky-thay-doi.xlsx",
    )
    .await
}

/// One record as it is stored: codes, the values before and after, the address.
pub async fn show_record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let filter = AuditFilter {
        before_id: id.checked_add(1),
        limit: 1,
        ..Default::default()
    };
    let entry = state
        .store
        .audit_entries(&filter)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)?;
    let pretty = |text: Option<&str>| match parse_json(text) {
        Some(value) => serde_json::to_string_pretty(&value).unwrap_or_default(),
        None => text.unwrap_or_default().to_owned(),
    };
    let before = pretty(entry.before.as_deref());
    let after = pretty(entry.after.as_deref());
    let fields = vec![
        ("Thao tác (mã)", entry.action.clone()),
        ("Loại đối tượng (mã)", entry.object_type.clone()),
        ("Mã đối tượng", entry.object_id.clone()),
        ("Tài khoản", entry.actor.clone()),
        (
            "Mã tài khoản",
            entry.account_id.map(|id| id.to_string()).unwrap_or_default(),
        ),
        ("Thời điểm (giây Unix)", entry.created_at.to_string()),
    ];
    let row = rows_of(&state, std::slice::from_ref(&entry))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    render(&RecordPage {
        layout: Layout::new(&state, Some(&user), "audit"),
        row,
        fields,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, object_type: &str, account_id: Option<i64>, actor: &str) -> AuditEntry {
        AuditEntry {
            id: 7,
            created_at: 1_671_039_000,
            account_id,
            actor: actor.to_owned(),
            ip: None,
            action: action.to_owned(),
            object_type: object_type.to_owned(),
            object_id: "12".to_owned(),
            before: Some(r#"{"status":"submitted"}"#.to_owned()),
            after: Some(r#"{"status":"returned","comment":"Bổ sung số liệu"}"#.to_owned()),
        }
    }

    #[test]
    fn a_record_reads_as_a_sentence_naming_the_agencies() {
        let labels = HashMap::from([(
            ("progress_report".to_owned(), "12".to_owned()),
            "của Sở Y tế".to_owned(),
        )]);
        let actors = HashMap::from([(
            3,
            AuditActor {
                display_name: "Nguyễn Văn An".to_owned(),
                unit_name: Some("Sở Nội vụ".to_owned()),
            },
        )]);
        let row = row_of(
            &entry("return", "progress_report", Some(3), "sonoivu"),
            &labels,
            &actors,
        );
        assert_eq!(row.sentence, "Sở Nội vụ trả lại báo cáo tiến độ của Sở Y tế");
        assert_eq!(row.person, "Nguyễn Văn An (sonoivu)");
        assert_eq!(row.changes.len(), 2);
        assert_eq!(row.changes[0].field, "Nhận xét");
        assert_eq!(row.changes[1].after, "Bị trả lại");
        let old = row_of(&entry("frobnicate", "unit", None, "system:demo"), &labels, &actors);
        assert_eq!(old.sentence, "Hệ thống thực hiện “frobnicate” trên đơn vị (số 12)");
    }
}
