//! The monitoring board: counts of lead assignments by status, per agency or per directive,
//! and the overdue list.
//!
//! The counts a whole province, a group or a period reads are kept by triggers (migration
//! 0027) per agency and deadline day and per directive, group and deadline day, in the same
//! transaction as every change of an assignment; [`Store::board_recount`] counts the
//! assignments themselves, for narrow filters and as the check of the kept counts.

use sqlx::Row;
use time::Date;

use crate::directive::{ASSIGNMENT_COLUMNS, AssignmentRecord, assignment_from, iso};
use crate::{Backend, Result, Store};

/// What the monitoring board counts: the lead assignments due in a period, of an agency or group.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    pub group_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub directive_id: Option<i64>,
    /// Only what agencies had received by this day (a demo on an earlier date than some of its
    /// records); `None` counts everything.
    pub received_by: Option<Date>,
}

/// Counts by status for one agency or one directive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub key: i64,
    pub not_started: i64,
    pub in_progress: i64,
    pub overdue: i64,
    pub done_on_time: i64,
    pub done_late: i64,
}

impl StatusCounts {
    pub fn total(&self) -> i64 {
        self.not_started + self.in_progress + self.overdue + self.done_on_time + self.done_late
    }

    /// The on-time rate as the domain defines it (`ON_TIME_RATE_DEFINITION`): overdue
    /// assignments count against it.
    pub fn on_time_rate(&self) -> Option<f64> {
        danvan_domain::directive::on_time_rate(self.done_on_time, self.done_late, self.overdue)
    }
}

/// Where the kept counts and a recount first differ: per directive or per agency, and the
/// directive's or agency's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardMismatch {
    pub by_directive: bool,
    pub key: Option<i64>,
}

/// One row of kept counts, or of their recount: the agency or directive, the group (0 per
/// agency), the deadline day and the four counts.
type KeptRow = (i64, i64, String, [i64; 4]);

/// A value bound to one of the board's optional conditions.
enum BoardValue {
    Text(String),
    Int(i64),
}

impl Store {
    /// The agencies of a group, as a list of ids for an `in (…)` clause (ids are integers, so the
    /// list is safe to write into the SQL).
    async fn group_members(&self, group_id: i64) -> Result<String> {
        let ids: Vec<i64> = sqlx::query_scalar("select unit_id from unit where unit_group_id = $1")
            .bind(group_id)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        Ok(if ids.is_empty() {
            "null".to_owned()
        } else {
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
        })
    }

    /// The board filter as SQL conditions on `a` and the values to bind after today ($1). Only
    /// the filters given are written, so that the planner can use the indexes that fit.
    ///
    /// With `scan_by_directive` (SQLite), the deadline conditions are written so that no index
    /// can serve them (`a.due_on || ''`): counting per directive over a period is fastest as one
    /// pass over the directive-ordered index, while SQLite's planner would otherwise pick the
    /// deadline range and then sort all it found.
    async fn board_conditions(
        &self,
        filter: &BoardFilter,
        scan_by_directive: bool,
    ) -> Result<(String, Vec<BoardValue>)> {
        let due = if scan_by_directive {
            "a.due_on || ''"
        } else {
            "a.due_on"
        };
        let mut sql = String::new();
        let mut values = Vec::new();
        let mut next = 2;
        let mut add = |condition: &str, value: BoardValue, sql: &mut String| {
            sql.push_str(&format!(" and {condition} ${next}"));
            values.push(value);
            next += 1;
        };
        if let Some(from) = filter.due_from {
            add(&format!("{due} >="), BoardValue::Text(iso(from)), &mut sql);
        }
        if let Some(to) = filter.due_to {
            add(&format!("{due} <="), BoardValue::Text(iso(to)), &mut sql);
        }
        if let Some(unit) = filter.unit_id {
            add("a.unit_id =", BoardValue::Int(unit), &mut sql);
        }
        if let Some(directive) = filter.directive_id {
            add("a.directive_id =", BoardValue::Int(directive), &mut sql);
        }
        if let Some(by) = filter.received_by {
            add("a.received_on <=", BoardValue::Text(iso(by)), &mut sql);
        }
        if let Some(group_id) = filter.group_id {
            sql.push_str(&format!(" and a.unit_id in ({})", self.group_members(group_id).await?));
        }
        Ok((sql, values))
    }

    /// Counts of lead assignments by status, per agency (`by_directive` false) or per directive.
    ///
    /// A board of the whole province, a group or a period reads the counts kept per agency and
    /// deadline day, or per directive, group and deadline day (migration 0027's triggers keep
    /// them in the same transaction as every change of an assignment): a few rows per agency or
    /// directive instead of every assignment. A board narrowed to one agency or one directive,
    /// or to what had been received by a day, counts the assignments themselves
    /// ([`Store::board_recount`]); there are few of them.
    #[tracing::instrument(skip(self))]
    pub async fn board_counts(
        &self,
        filter: &BoardFilter,
        today: Date,
        by_directive: bool,
    ) -> Result<Vec<StatusCounts>> {
        // A group id that is not a group's (the kept counts file agencies in no group under 0)
        // is recounted too: it holds no agency.
        if filter.unit_id.is_some()
            || filter.directive_id.is_some()
            || filter.received_by.is_some()
            || filter.group_id.is_some_and(|g| g <= 0)
        {
            return self.board_recount(filter, today, by_directive).await;
        }
        let (table, key) = if by_directive {
            ("board_directive_day", "directive_id")
        } else {
            ("board_unit_day", "unit_id")
        };
        let mut conditions = String::new();
        let mut days = Vec::new();
        if let Some(from) = filter.due_from {
            days.push(iso(from));
            conditions.push_str(&format!(" and due_on >= ${}", days.len() + 1));
        }
        if let Some(to) = filter.due_to {
            days.push(iso(to));
            conditions.push_str(&format!(" and due_on <= ${}", days.len() + 1));
        }
        if let Some(group_id) = filter.group_id {
            if by_directive {
                // Group ids are integers: safe to write into the SQL.
                conditions.push_str(&format!(" and unit_group_id = {group_id}"));
            } else {
                conditions.push_str(&format!(" and unit_id in ({})", self.group_members(group_id).await?));
            }
        }
        let sql = format!(
            "select {key} as board_key, \
             cast(sum(case when due_on < $1 then 0 else open_new end) as bigint) as not_started, \
             cast(sum(case when due_on < $1 then 0 else open_reported end) as bigint) as in_progress, \
             cast(sum(case when due_on < $1 then open_new + open_reported else 0 end) as bigint) as overdue, \
             cast(sum(done_on_time) as bigint) as done_on_time, cast(sum(done_late) as bigint) as done_late \
             from {table} where true{conditions} group by {key} \
             having sum(open_new + open_reported + done_on_time + done_late) > 0 order by {key}"
        );
        let mut query = sqlx::query(&sql).bind(iso(today));
        for day in days {
            query = query.bind(day);
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        rows.iter()
            .map(|row| {
                Ok(StatusCounts {
                    key: row.try_get("board_key")?,
                    not_started: row.try_get("not_started")?,
                    in_progress: row.try_get("in_progress")?,
                    overdue: row.try_get("overdue")?,
                    done_on_time: row.try_get("done_on_time")?,
                    done_late: row.try_get("done_late")?,
                })
            })
            .collect()
    }

    /// The board's counts recounted from the assignments themselves: what [`Store::board_counts`]
    /// reads for a narrow filter, and what the conformance suite holds the kept counts to.
    /// Reads only a covering index, in the order it groups by: no join, no sort.
    pub async fn board_recount(
        &self,
        filter: &BoardFilter,
        today: Date,
        by_directive: bool,
    ) -> Result<Vec<StatusCounts>> {
        let key = if by_directive { "a.directive_id" } else { "a.unit_id" };
        // A whole-province count per directive reads every lead assignment in directive order;
        // it is split into two halves of the directives, counted at once on two connections, so
        // that both cores work on it. (Per agency, the index lets a group or a period skip most
        // rows, and splitting measured slower.) A count narrowed to one agency or directive is
        // small and runs as one query.
        // PostgreSQL runs a large count on parallel workers of its own; splitting it only adds
        // contention there.
        let narrow = self.backend == Backend::Postgres
            || !by_directive
            || filter.unit_id.is_some()
            || filter.directive_id.is_some();
        let bounds: Option<(i64, i64)> = if narrow {
            None
        } else {
            let table_key = if by_directive { "directive_id" } else { "unit_id" };
            let row = sqlx::query(&format!(
                "select min({table_key}) as low, max({table_key}) as high from assignment \
                 where role = 'lead' and cancelled_on is null"
            ))
            .fetch_one(&mut *self.conn().await?)
            .await?;
            let low: Option<i64> = row.try_get("low")?;
            let high: Option<i64> = row.try_get("high")?;
            low.zip(high).filter(|(l, h)| h > l)
        };
        let Some((low, high)) = bounds else {
            return self.board_counts_between(filter, today, key, None).await;
        };
        let middle = low + (high - low) / 2;
        let (first, second) = tokio::join!(
            self.board_counts_between(filter, today, key, Some((low, middle))),
            self.board_counts_between(filter, today, key, Some((middle + 1, high))),
        );
        let mut counts = first?;
        counts.extend(second?);
        Ok(counts)
    }

    /// The board's counts for keys in `range` (inclusive), or all keys.
    async fn board_counts_between(
        &self,
        filter: &BoardFilter,
        today: Date,
        key: &str,
        range: Option<(i64, i64)>,
    ) -> Result<Vec<StatusCounts>> {
        let by_directive = key == "a.directive_id";
        let scan_by_directive = by_directive && self.backend == Backend::Sqlite;
        let (mut conditions, mut values) = self.board_conditions(filter, scan_by_directive).await?;
        if let Some((from, to)) = range {
            let first = values.len() + 2;
            conditions.push_str(&format!(" and {key} >= ${first} and {key} <= ${}", first + 1));
            values.push(BoardValue::Int(from));
            values.push(BoardValue::Int(to));
        }
        let sql = format!(
            "select {key} as board_key, count(*) as total, count(a.completed_on) as done, \
             count(*) filter (where a.completed_on <= a.due_on) as done_on_time, \
             count(*) filter (where a.completed_on is null and a.due_on < $1) as overdue, \
             count(*) filter (where a.completed_on is null and a.due_on >= $1 and a.first_report_on is not null) \
             as in_progress \
             from assignment a where a.role = 'lead' and a.cancelled_on is null{conditions} group by {key} order by {key}"
        );
        let mut query = sqlx::query(&sql).bind(iso(today));
        for value in values {
            query = match value {
                BoardValue::Text(text) => query.bind(text),
                BoardValue::Int(n) => query.bind(n),
            };
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        rows.iter()
            .map(|row| {
                // Three conditions per row instead of five: the other two counts follow.
                let total: i64 = row.try_get("total")?;
                let done: i64 = row.try_get("done")?;
                let done_on_time: i64 = row.try_get("done_on_time")?;
                let overdue: i64 = row.try_get("overdue")?;
                let in_progress: i64 = row.try_get("in_progress")?;
                Ok(StatusCounts {
                    key: row.try_get("board_key")?,
                    not_started: total - done - overdue - in_progress,
                    in_progress,
                    overdue,
                    done_on_time,
                    done_late: done - done_on_time,
                })
            })
            .collect()
    }

    /// How many assignments there are (the floor the board's benchmark compares against).
    pub async fn assignment_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("select count(*) from assignment")
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    /// Overdue lead assignments, the most overdue first; read in deadline order from the index of
    /// open assignments.
    pub async fn overdue_assignments(
        &self,
        filter: &BoardFilter,
        today: Date,
        limit: i64,
    ) -> Result<Vec<AssignmentRecord>> {
        let (conditions, values) = self.board_conditions(filter, false).await?;
        let limit_param = values.len() + 2;
        let sql = format!(
            "select {ASSIGNMENT_COLUMNS} from assignment a join task t on t.task_id = a.task_id \
             join directive d on d.directive_id = a.directive_id \
             where a.role = 'lead' and a.cancelled_on is null and a.completed_on is null and a.due_on < $1{conditions} \
             order by a.due_on limit ${limit_param}"
        );
        let mut query = sqlx::query(&sql).bind(iso(today));
        for value in values {
            query = match value {
                BoardValue::Text(text) => query.bind(text),
                BoardValue::Int(n) => query.bind(n),
            };
        }
        let rows = query.bind(limit).fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(assignment_from).collect()
    }

    /// Holds the kept counts, row by row (agency and deadline day; directive, group and
    /// deadline day), to a recount of the assignments, both read in one snapshot. Returns the
    /// first agency or directive whose counts differ, or `None` when all agree (the admins'
    /// self-check shows it).
    pub async fn check_board_counts(&self) -> Result<Option<BoardMismatch>> {
        const BUCKETS: &str = "count(*) filter (where a.completed_on is null and a.first_report_on is null) as n1, \
             count(*) filter (where a.completed_on is null and a.first_report_on is not null) as n2, \
             count(*) filter (where a.completed_on <= a.due_on) as n3, \
             count(*) filter (where a.completed_on > a.due_on) as n4";
        const KEPT: &str = "due_on, open_new as n1, open_reported as n2, done_on_time as n3, done_late as n4";
        const NOT_ZERO: &str = "open_new <> 0 or open_reported <> 0 or done_on_time <> 0 or done_late <> 0";
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("set transaction isolation level repeatable read")
                .execute(&mut *tx)
                .await?;
        }
        for by_directive in [false, true] {
            let (kept, recount) = if by_directive {
                (
                    format!(
                        "select directive_id as k, unit_group_id as g, {KEPT} from board_directive_day \
                         where {NOT_ZERO} order by k, g, due_on"
                    ),
                    format!(
                        "select a.directive_id as k, coalesce(u.unit_group_id, 0) as g, a.due_on, {BUCKETS} \
                         from assignment a left join unit u on u.unit_id = a.unit_id \
                         where a.role = 'lead' and a.cancelled_on is null \
                         group by a.directive_id, coalesce(u.unit_group_id, 0), a.due_on order by k, g, a.due_on"
                    ),
                )
            } else {
                (
                    format!(
                        "select unit_id as k, cast(0 as bigint) as g, {KEPT} from board_unit_day \
                         where {NOT_ZERO} order by k, due_on"
                    ),
                    format!(
                        "select a.unit_id as k, cast(0 as bigint) as g, a.due_on, {BUCKETS} from assignment a \
                         where a.role = 'lead' and a.cancelled_on is null group by a.unit_id, a.due_on \
                         order by k, a.due_on"
                    ),
                )
            };
            let read = |rows: Vec<sqlx::any::AnyRow>| -> Result<Vec<KeptRow>> {
                rows.iter()
                    .map(|row| {
                        Ok((
                            row.try_get("k")?,
                            row.try_get("g")?,
                            row.try_get("due_on")?,
                            [
                                row.try_get("n1")?,
                                row.try_get("n2")?,
                                row.try_get("n3")?,
                                row.try_get("n4")?,
                            ],
                        ))
                    })
                    .collect()
            };
            let kept = read(sqlx::query(&kept).fetch_all(&mut *tx).await?)?;
            let recounted = read(sqlx::query(&recount).fetch_all(&mut *tx).await?)?;
            if kept == recounted {
                continue;
            }
            let key = kept
                .iter()
                .zip(&recounted)
                .find(|(k, r)| k != r)
                .map(|(k, r)| k.0.min(r.0))
                .or_else(|| kept.get(recounted.len()).or(recounted.get(kept.len())).map(|c| c.0));
            return Ok(Some(BoardMismatch { by_directive, key }));
        }
        Ok(None)
    }
}
