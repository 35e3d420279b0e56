//! The leader each agency assigns to its mobilization work, with history.

use danvan_domain::audit::Action;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::now;
use crate::{Result, Store, StoreError, parse_date};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLeader {
    pub unit_id: i64,
    pub name: String,
    pub position: String,
    /// The assigning decision, as numbered ("15/QĐ-SNV").
    pub decision: String,
    pub valid_from: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderRecord {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub position: String,
    pub decision: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

const COLUMNS: &str = "responsible_leader_id, unit_id, name, position, decision, valid_from, valid_to";

fn from_row(row: &AnyRow) -> Result<LeaderRecord> {
    let valid_to: Option<String> = row.try_get("valid_to")?;
    Ok(LeaderRecord {
        id: row.try_get("responsible_leader_id")?,
        unit_id: row.try_get("unit_id")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        decision: row.try_get("decision")?,
        valid_from: parse_date(&row.try_get::<String, _>("valid_from")?)?,
        valid_to: valid_to.as_deref().map(parse_date).transpose()?,
    })
}

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

impl Store {
    /// Records a new assignment; the one in force ends the day before, in the same transaction.
    /// An assignment starting on or before the current one's start is refused
    /// ([`StoreError::Conflict`] on `valid_from`): history is corrected by a later assignment,
    /// never rewritten.
    pub async fn assign_leader(&self, actor: &Actor, leader: &NewLeader) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let current = sqlx::query(&format!(
            "select {COLUMNS} from responsible_leader where unit_id = $1 and valid_to is null"
        ))
        .bind(leader.unit_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()?;
        if let Some(current) = &current {
            if leader.valid_from <= current.valid_from {
                return Err(StoreError::Conflict("valid_from"));
            }
            let end = leader
                .valid_from
                .previous_day()
                .ok_or(StoreError::Conflict("valid_from"))?;
            sqlx::query("update responsible_leader set valid_to = $1 where responsible_leader_id = $2")
                .bind(iso(end))
                .bind(current.id)
                .execute(&mut *change.tx)
                .await?;
        }
        let id: i64 = sqlx::query(
            "insert into responsible_leader (unit_id, name, position, decision, valid_from, created_by, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning responsible_leader_id",
        )
        .bind(leader.unit_id)
        .bind(&leader.name)
        .bind(&leader.position)
        .bind(&leader.decision)
        .bind(iso(leader.valid_from))
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?
        .try_get(0)?;
        let before = current.map(|c| json!({"id": c.id, "name": c.name, "valid_from": iso(c.valid_from)}));
        let after = json!({
            "unit_id": leader.unit_id,
            "name": leader.name,
            "position": leader.position,
            "decision": leader.decision,
            "valid_from": iso(leader.valid_from),
        });
        change
            .record(actor, Action::AssignLeader, id, before.as_ref(), Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// An agency's leaders, the latest first.
    pub async fn leaders_of(&self, unit_id: i64) -> Result<Vec<LeaderRecord>> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from responsible_leader where unit_id = $1 order by valid_from desc"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The leader in charge on a day, if any.
    pub async fn leader_on(&self, unit_id: i64, day: Date) -> Result<Option<LeaderRecord>> {
        let row = sqlx::query(&format!(
            "select {COLUMNS} from responsible_leader where unit_id = $1 and valid_from <= $2 \
             and (valid_to is null or valid_to >= $2) order by valid_from desc limit 1"
        ))
        .bind(unit_id)
        .bind(iso(day))
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The agencies alive on a day (other than the provincial committee itself) with no leader in
    /// charge of mobilization work on that day, by id.
    pub async fn units_without_leader(&self, day: Date) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "select u.unit_id from unit u where u.kind <> 'provincial_committee' and u.valid_from <= $1 \
             and (u.valid_to is null or u.valid_to >= $1) and not exists (select 1 from responsible_leader l \
             where l.unit_id = u.unit_id and l.valid_from <= $1 and (l.valid_to is null or l.valid_to >= $1)) \
             order by u.unit_id",
        )
        .bind(iso(day))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(|row| Ok(row.try_get("unit_id")?)).collect()
    }
}

impl Store {
    /// Every leader assignment of a person, found by name (marks and case ignored), for a
    /// person's request to see what is held about them (security.md 29).
    pub async fn leaders_named(&self, name: &str) -> Result<Vec<LeaderRecord>> {
        let wanted = danvan_domain::search::fold(name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if wanted.is_empty() {
            return Ok(vec![]);
        }
        let rows = sqlx::query(&format!("select {COLUMNS} from responsible_leader order by valid_from"))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let all: Vec<LeaderRecord> = rows.iter().map(from_row).collect::<Result<_>>()?;
        Ok(all
            .into_iter()
            .filter(|l| {
                danvan_domain::search::fold(&l.name)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    == wanted
            })
            .collect())
    }
}
