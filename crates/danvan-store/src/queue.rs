//! What waits for whom: one query per kind of item for its count, one for its list, over the
//! states the workflows write (see `danvan_domain::queue`).

use danvan_domain::queue::WorkItem;
use sqlx::Row;
use time::Date;

use crate::{Result, Store};

/// One waiting item: where it is dealt with, what it is, whose it is, the date that matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub link: String,
    pub title: String,
    pub unit: String,
    pub date: Option<Date>,
}

/// Whose queue: the agency for an officer's lines, and the days that bound "due soon".
#[derive(Debug, Clone, Copy)]
pub struct QueueScope {
    pub unit_id: Option<i64>,
    pub today: Date,
    /// The last day of "due soon" (five working days ahead).
    pub soon: Date,
}

/// The rows of one kind of item: `link_kind` and `link_id` build the link, then title, unit
/// name and a date. `$1` is the agency, `$2` today and `$3` the last day of "due soon"; each
/// query binds all three, whether it uses them or not, so that counting and listing share it.
fn rows_sql(item: WorkItem) -> &'static str {
    match item {
        WorkItem::ProgressToReview => {
            "select 'assignments' as link_kind, a.assignment_id as link_id, t.content as title, u.name as unit, \
             p.reported_on as day from progress_report p join assignment a on a.assignment_id = p.assignment_id \
             join task t on t.task_id = a.task_id join unit u on u.unit_id = a.unit_id \
             where p.status = 'submitted' and ($1 = $1 and $2 = $2 and $3 = $3)"
        }
        WorkItem::FilingsToAccept => {
            "select 'filings' as link_kind, f.report_filing_id as link_id, k.name as title, u.name as unit, \
             f.submitted_on as day from report_filing f join report_round r on r.report_round_id = f.report_round_id \
             join report_kind k on k.report_kind_id = r.report_kind_id join unit u on u.unit_id = f.unit_id \
             where f.state = 'submitted' and ($1 = $1 and $2 = $2 and $3 = $3)"
        }
        WorkItem::AssessmentsToAppraise => {
            "select 'assessments' as link_kind, a.assessment_id as link_id, g.name as title, u.name as unit, \
             c.appraisal_deadline as day from assessment a join evaluation_cycle c on \
             c.evaluation_cycle_id = a.evaluation_cycle_id join unit_group g on g.unit_group_id = c.unit_group_id \
             join unit u on u.unit_id = a.unit_id where a.state = 'submitted' and c.state = 'open' \
             and ($1 = $1 and $2 = $2 and $3 = $3)"
        }
        WorkItem::CyclesToFinalize => {
            "select 'evaluations' as link_kind, c.evaluation_cycle_id as link_id, g.name as title, \
             cast(c.year as text) as unit, c.appraisal_deadline as day from evaluation_cycle c join unit_group g \
             on g.unit_group_id = c.unit_group_id where c.state = 'open' and not exists (select 1 from assessment a \
             where a.evaluation_cycle_id = c.evaluation_cycle_id and a.state = 'submitted') and exists (select 1 \
             from assessment a where a.evaluation_cycle_id = c.evaluation_cycle_id and a.state = 'appraised') \
             and ($1 = $1 and $2 = $2 and $3 = $3)"
        }
        WorkItem::ResultsToPublish => {
            "select 'evaluations' as link_kind, c.evaluation_cycle_id as link_id, g.name as title, \
             cast(c.year as text) as unit, c.appraisal_deadline as day from evaluation_cycle c join unit_group g \
             on g.unit_group_id = c.unit_group_id where c.state = 'finalized' and ($1 = $1 and $2 = $2 and $3 = $3)"
        }
        WorkItem::TasksDueSoon => {
            "select 'assignments' as link_kind, a.assignment_id as link_id, t.content as title, u.name as unit, \
             a.due_on as day from assignment a join task t on t.task_id = a.task_id join unit u on \
             u.unit_id = a.unit_id where a.unit_id = $1 and a.cancelled_on is null and a.completed_on is null and a.due_on >= $2 \
             and a.due_on <= $3"
        }
        WorkItem::TasksOverdue => {
            "select 'assignments' as link_kind, a.assignment_id as link_id, t.content as title, u.name as unit, \
             a.due_on as day from assignment a join task t on t.task_id = a.task_id join unit u on \
             u.unit_id = a.unit_id where a.unit_id = $1 and a.cancelled_on is null and a.completed_on is null and a.due_on < $2 and $3 = $3"
        }
        WorkItem::Returned => {
            "select 'assignments' as link_kind, a.assignment_id as link_id, t.content as title, u.name as unit, \
             p.reported_on as day from assignment a join task t on t.task_id = a.task_id join unit u on \
             u.unit_id = a.unit_id join progress_report p on p.assignment_id = a.assignment_id \
             where a.unit_id = $1 and a.cancelled_on is null and a.completed_on is null and p.status = 'returned' and p.progress_report_id = \
             (select max(q.progress_report_id) from progress_report q where q.assignment_id = a.assignment_id) \
             and ($2 = $2 and $3 = $3) \
             union all select 'filings', f.report_filing_id, k.name, u.name, f.submitted_on from report_filing f \
             join report_round r on r.report_round_id = f.report_round_id join report_kind k on \
             k.report_kind_id = r.report_kind_id join unit u on u.unit_id = f.unit_id where f.unit_id = $1 \
             and f.state = 'returned' and r.state = 'open' \
             union all select 'assessments', a.assessment_id, g.name, u.name, c.self_deadline from assessment a \
             join evaluation_cycle c on c.evaluation_cycle_id = a.evaluation_cycle_id join unit_group g on \
             g.unit_group_id = c.unit_group_id join unit u on u.unit_id = a.unit_id where a.unit_id = $1 \
             and a.state = 'returned' and c.state = 'open'"
        }
        WorkItem::SelfAssessmentDue => {
            "select 'assessments' as link_kind, a.assessment_id as link_id, g.name as title, u.name as unit, \
             c.self_deadline as day from assessment a join evaluation_cycle c on \
             c.evaluation_cycle_id = a.evaluation_cycle_id join unit_group g on g.unit_group_id = c.unit_group_id \
             join unit u on u.unit_id = a.unit_id where a.unit_id = $1 and a.state = 'drafting' \
             and c.state = 'open' and ($2 = $2 and $3 = $3)"
        }
        WorkItem::ReportsDue => {
            "select 'filings' as link_kind, f.report_filing_id as link_id, k.name as title, u.name as unit, \
             r.deadline as day from report_filing f join report_round r on r.report_round_id = f.report_round_id \
             join report_kind k on k.report_kind_id = r.report_kind_id join unit u on u.unit_id = f.unit_id \
             where f.unit_id = $1 and f.state = 'draft' and r.state = 'open' and ($2 = $2 and $3 = $3)"
        }
    }
}

/// A count that needs none of the list's joins, where that is so.
fn count_sql(item: WorkItem) -> Option<&'static str> {
    match item {
        WorkItem::ProgressToReview => Some(
            "select count(*) from progress_report where status = 'submitted' and ($1 = $1 and $2 = $2 and $3 = $3)",
        ),
        WorkItem::FilingsToAccept => {
            Some("select count(*) from report_filing where state = 'submitted' and ($1 = $1 and $2 = $2 and $3 = $3)")
        }
        _ => None,
    }
}

impl Store {
    /// How many items of a kind wait, in one query.
    pub async fn queue_count(&self, item: WorkItem, scope: QueueScope) -> Result<i64> {
        let sql = match count_sql(item) {
            Some(sql) => sql.to_owned(),
            None => format!("select count(*) from ({}) waiting", rows_sql(item)),
        };
        let count: i64 = sqlx::query(&sql)
            .bind(scope.unit_id.unwrap_or(-1))
            .bind(danvan_domain::date::format_iso(scope.today))
            .bind(danvan_domain::date::format_iso(scope.soon))
            .fetch_one(&mut *self.conn().await?)
            .await?
            .try_get(0)?;
        Ok(count)
    }

    /// The items of a kind, oldest date first, at most `limit`.
    pub async fn queue_rows(&self, item: WorkItem, scope: QueueScope, limit: i64) -> Result<Vec<QueueRow>> {
        let sql = format!(
            "select link_kind, link_id, title, unit, day from ({}) waiting order by day, link_id limit {}",
            rows_sql(item),
            limit.clamp(1, 1000)
        );
        let rows = sqlx::query(&sql)
            .bind(scope.unit_id.unwrap_or(-1))
            .bind(danvan_domain::date::format_iso(scope.today))
            .bind(danvan_domain::date::format_iso(scope.soon))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get(0)?;
                let id: i64 = row.try_get(1)?;
                let day: Option<String> = row.try_get(4)?;
                Ok(QueueRow {
                    link: format!("/{kind}/{id}"),
                    title: row.try_get(2)?,
                    unit: row.try_get(3)?,
                    date: day.as_deref().and_then(danvan_domain::date::parse),
                })
            })
            .collect()
    }
}
