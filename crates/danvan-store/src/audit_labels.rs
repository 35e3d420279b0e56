//! What an audit record's object is called, for the log read as sentences: "Sở Nội vụ trả lại
//! báo cáo tiến độ **của Sở Y tế**". One query per kind of record on the page, whatever the
//! number of records.

use std::collections::{BTreeSet, HashMap};

use danvan_domain::report::{Period, PeriodType};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::{Result, Store};

/// A record's kind and id, as the audit log stores them.
pub type ObjectKey = (String, String);

/// Who acted: the account's name and its agency's, when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    pub display_name: String,
    pub unit_name: Option<String>,
}

/// For each kind of record: the query giving `id` and the parts of its label, with `{ids}`
/// standing for the list of ids (integers parsed here, never text from a user).
const LABEL_QUERIES: &[(&str, &str)] = &[
    (
        "unit",
        "select unit_id as id, name as a from unit where unit_id in ({ids})",
    ),
    (
        "api_token",
        "select api_token_id as id, name as a from api_token where api_token_id in ({ids})",
    ),
    (
        "unit_group",
        "select unit_group_id as id, name as a from unit_group where unit_group_id in ({ids})",
    ),
    (
        "account",
        "select account_id as id, username as a, display_name as b from account where account_id in ({ids})",
    ),
    (
        "document",
        "select document_id as id, number as a, symbol as b, subject as c from document where document_id in ({ids})",
    ),
    (
        "directive",
        "select d.directive_id as id, doc.number as a, doc.symbol as b, d.title as c from directive d \
         left join document doc on doc.document_id = d.document_id where d.directive_id in ({ids})",
    ),
    (
        "task",
        "select task_id as id, content as a from task where task_id in ({ids})",
    ),
    (
        "assignment",
        "select a.assignment_id as id, u.name as a, t.content as b from assignment a \
         join unit u on u.unit_id = a.unit_id join task t on t.task_id = a.task_id where a.assignment_id in ({ids})",
    ),
    (
        "progress_report",
        "select p.progress_report_id as id, u.name as a from progress_report p \
         join assignment a on a.assignment_id = p.assignment_id join unit u on u.unit_id = a.unit_id \
         where p.progress_report_id in ({ids})",
    ),
    (
        "assessment",
        "select s.assessment_id as id, u.name as a, c.year as n from assessment s join unit u on u.unit_id = s.unit_id \
         join evaluation_cycle c on c.evaluation_cycle_id = s.evaluation_cycle_id where s.assessment_id in ({ids})",
    ),
    (
        "evaluation_cycle",
        "select c.evaluation_cycle_id as id, g.name as a, c.year as n from evaluation_cycle c \
         join unit_group g on g.unit_group_id = c.unit_group_id where c.evaluation_cycle_id in ({ids})",
    ),
    (
        "evaluation_extension",
        "select e.evaluation_extension_id as id, u.name as a, c.year as n from evaluation_extension e \
         join evaluation_cycle c on c.evaluation_cycle_id = e.evaluation_cycle_id \
         left join unit u on u.unit_id = e.unit_id where e.evaluation_extension_id in ({ids})",
    ),
    (
        "rubric_version",
        "select rubric_version_id as id, title as a from rubric_version where rubric_version_id in ({ids})",
    ),
    (
        "report_kind",
        "select report_kind_id as id, name as a from report_kind where report_kind_id in ({ids})",
    ),
    (
        "report_round",
        "select r.report_round_id as id, k.name as a, k.period_type as b, r.period_code as c from report_round r \
         join report_kind k on k.report_kind_id = r.report_kind_id where r.report_round_id in ({ids})",
    ),
    (
        "report_filing",
        "select f.report_filing_id as id, k.name as a, k.period_type as b, r.period_code as c, u.name as d \
         from report_filing f join report_round r on r.report_round_id = f.report_round_id \
         join report_kind k on k.report_kind_id = r.report_kind_id join unit u on u.unit_id = f.unit_id \
         where f.report_filing_id in ({ids})",
    ),
    (
        "initiative",
        "select initiative_id as id, name as a from initiative where initiative_id in ({ids})",
    ),
    (
        "training_course",
        "select training_course_id as id, title as a from training_course where training_course_id in ({ids})",
    ),
    (
        "responsible_leader",
        "select l.responsible_leader_id as id, u.name as a from responsible_leader l \
         join unit u on u.unit_id = l.unit_id where l.responsible_leader_id in ({ids})",
    ),
    (
        "dissemination",
        "select d.dissemination_id as id, u.name as a, d.held_on as b from dissemination d \
         join unit u on u.unit_id = d.unit_id where d.dissemination_id in ({ids})",
    ),
];

fn text(row: &AnyRow, column: &str) -> String {
    row.try_get::<Option<String>, _>(column)
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn quoted(s: &str) -> String {
    let s = s.trim();
    let cut: String = s.chars().take(80).collect();
    if cut.len() < s.len() {
        format!("«{cut}…»")
    } else {
        format!("«{s}»")
    }
}

fn iso_to_vn(iso: &str) -> String {
    match (iso.get(0..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) if iso.len() == 10 => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

fn period(kind: &str, code: &str) -> String {
    PeriodType::from_code(kind)
        .and_then(|k| Period::parse(k, code))
        .map_or_else(|| code.to_owned(), Period::label)
}

fn number_symbol(number: &str, symbol: &str) -> Option<String> {
    match (number.trim(), symbol.trim()) {
        ("", "") => None,
        (n, "") => Some(format!("số {n}")),
        ("", s) => Some(format!("số {s}")),
        (n, s) => Some(format!("số {n}/{s}")),
    }
}

/// The label of one row of [`LABEL_QUERIES`] for its kind of record.
fn label(kind: &str, row: &AnyRow) -> String {
    let (a, b, c) = (text(row, "a"), text(row, "b"), text(row, "c"));
    let year = || row.try_get::<i64, _>("n").map(|n| n.to_string()).unwrap_or_default();
    match kind {
        "account" => format!("{a} ({b})"),
        "document" | "directive" => number_symbol(&a, &b).unwrap_or_else(|| quoted(&c)),
        "task" => quoted(&a),
        "assignment" => format!("của {a}: {}", quoted(&b)),
        "progress_report" | "responsible_leader" => format!("của {a}"),
        "assessment" => format!("của {a} (năm {})", year()),
        "evaluation_cycle" => format!("năm {} – {a}", year()),
        "evaluation_extension" if a.is_empty() => format!("cho mọi đơn vị (năm {})", year()),
        "evaluation_extension" => format!("cho {a} (năm {})", year()),
        "rubric_version" | "report_kind" | "initiative" | "training_course" => quoted(&a),
        "report_round" => format!("{} {}", quoted(&a), period(&b, &c)),
        "report_filing" => format!("của {}: {} {}", text(row, "d"), quoted(&a), period(&b, &c)),
        "dissemination" => format!("của {a} ngày {}", iso_to_vn(&b)),
        _ => a,
    }
}

impl Store {
    /// A label for the object of each entry that can be named: the records that still exist,
    /// and objects named by their id (days, counts). Keys are `(object_type, object_id)`.
    pub async fn audit_labels(&self, entries: &[AuditEntry]) -> Result<HashMap<ObjectKey, String>> {
        let mut wanted: HashMap<&str, BTreeSet<i64>> = HashMap::new();
        let mut want = |kind: &'static str, id: &str| {
            if let Ok(id) = id.parse::<i64>() {
                wanted.entry(kind).or_default().insert(id);
            }
        };
        for e in entries {
            let id = e.object_id.as_str();
            match e.object_type.as_str() {
                "assessment_item" => want("assessment", id.split('/').next().unwrap_or_default()),
                "training_plan" | "unit_headcount" => want("unit", id.split('/').next().unwrap_or_default()),
                "personal_data" => {
                    if let Some((kind, id)) = id.split_once('/')
                        && let Some((known, _)) = LABEL_QUERIES.iter().find(|(k, _)| *k == kind)
                    {
                        want(known, id);
                    }
                }
                other => {
                    if let Some((known, _)) = LABEL_QUERIES.iter().find(|(k, _)| *k == other) {
                        want(known, id);
                    }
                }
            }
        }
        let mut found: HashMap<(&str, i64), String> = HashMap::new();
        let mut conn = self.conn().await?;
        for (kind, sql) in LABEL_QUERIES {
            let Some(ids) = wanted.get(kind) else { continue };
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            for row in sqlx::query(&sql.replace("{ids}", &list)).fetch_all(&mut *conn).await? {
                found.insert((kind, row.try_get("id")?), label(kind, &row));
            }
        }
        let get = |kind: &str, id: &str| {
            id.parse::<i64>().ok().and_then(|id| {
                LABEL_QUERIES
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .and_then(|(k, _)| found.get(&(*k, id)).cloned())
            })
        };
        let mut labels = HashMap::new();
        for e in entries {
            let id = e.object_id.as_str();
            let label = match e.object_type.as_str() {
                "assessment_item" => {
                    let mut parts = id.split('/');
                    let (assessment, item) = (parts.next().unwrap_or_default(), parts.next_back().unwrap_or_default());
                    get("assessment", assessment).map(|l| format!("{item} {l}"))
                }
                "training_plan" | "unit_headcount" => {
                    let (unit, year) = id.split_once('/').unwrap_or((id, ""));
                    get("unit", unit).map(|l| format!("của {l} năm {year}"))
                }
                "personal_data" => id.split_once('/').and_then(|(kind, id)| {
                    let noun = danvan_domain::audit::object_noun(kind)?.to_lowercase();
                    Some(match get(kind, id) {
                        Some(l) => format!("của {noun} {l}"),
                        None => format!("của {noun} số {id}"),
                    })
                }),
                "calendar_adjustment" => Some(format!("ngày {}", iso_to_vn(id))),
                "addressee" => Some(quoted(id)),
                "stored_file" | "login_failure" | "training_attendance" => Some(format!("({id} bản ghi)")),
                "account" if e.action.starts_with("retention_") => Some(format!("({id} bản ghi)")),
                "board" => None,
                kind => get(kind, id),
            };
            if let Some(label) = label {
                labels.insert((e.object_type.clone(), e.object_id.clone()), label);
            }
        }
        Ok(labels)
    }

    /// The name and agency of each account that acted in `entries`.
    pub async fn audit_actors(&self, entries: &[AuditEntry]) -> Result<HashMap<i64, AuditActor>> {
        let ids: BTreeSet<i64> = entries.iter().filter_map(|e| e.account_id).collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(&format!(
            "select a.account_id, a.display_name, u.name as unit_name from account a \
             left join unit u on u.unit_id = a.unit_id where a.account_id in ({list})"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("account_id")?,
                    AuditActor {
                        display_name: row.try_get("display_name")?,
                        unit_name: row.try_get("unit_name")?,
                    },
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_and_quoted() {
        assert_eq!(quoted(" Kế hoạch "), "«Kế hoạch»");
        let long = "á".repeat(100);
        assert_eq!(quoted(&long), format!("«{}…»", "á".repeat(80)));
        assert_eq!(iso_to_vn("2022-07-15"), "15/07/2022");
        assert_eq!(number_symbol("1385", "UBND-NC").as_deref(), Some("số 1385/UBND-NC"));
        assert_eq!(number_symbol(" ", ""), None);
    }
}
