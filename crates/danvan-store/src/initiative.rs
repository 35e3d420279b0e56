//! "Dân vận khéo" initiatives: registrations, lifecycle steps, files, the public gallery's
//! search and the monitor's statistics.

use danvan_domain::audit::Action;
use danvan_domain::initiative::{self, Field, Kind, Level, Stage, Step};
use danvan_domain::search::{fold, query_terms};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::attached::INITIATIVE_FILES;
use crate::audit::{Actor, Change};
use crate::directive::Attachment;
use crate::unit::now;
use crate::{Backend, Result, Store, StoreError, get_bool, parse_date};

/// What a registration states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInitiative {
    pub unit_id: i64,
    pub kind: Kind,
    pub field: Field,
    pub name: String,
    pub area: String,
    pub beneficiaries: String,
    /// Who leads it.
    pub led_by: String,
    /// Who takes part.
    pub members: String,
    /// The situation and the reason for it.
    pub situation: String,
    pub goals: String,
    /// The measurable criteria of the goals.
    pub criteria: String,
    /// Content and method.
    pub content: String,
    pub resources: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub outputs: String,
    /// How it can be kept up and replicated.
    pub sustainability: String,
    /// Whether the names of who leads and takes part may be shown publicly.
    pub people_public: bool,
    pub registered_on: Date,
    /// The recognised initiative this one replicates.
    pub replicated_from: Option<i64>,
}

/// A registration as stored, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeRecord {
    pub id: i64,
    pub details: NewInitiative,
    pub stage: Stage,
    pub recognised: Option<Recognition>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    pub level: Level,
    pub on: Date,
    pub decision: String,
}

/// One line of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeSummary {
    pub id: i64,
    pub unit_id: i64,
    pub kind: Kind,
    pub field: Field,
    pub name: String,
    /// The name as the public may read it: without the people's names unless the agency made
    /// them public.
    pub public_name: String,
    pub stage: Stage,
    pub registered_on: Date,
    pub recognised: Option<Recognition>,
    pub replicated_from: Option<i64>,
}

/// One lifecycle step as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeEvent {
    pub step: String,
    pub stage_after: Stage,
    pub happened_on: Date,
    pub note: String,
    pub decision: Option<String>,
    pub level: Option<Level>,
    pub created_by: String,
}

/// A step to record: its date, its results (for reviews) or its decision (recognition,
/// commendation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    pub step: Step,
    pub happened_on: Date,
    pub note: String,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitiativeFilter {
    pub unit_id: Option<i64>,
    pub field: Option<Field>,
    pub stage: Option<Stage>,
    /// The year of registration.
    pub year: Option<i32>,
}

/// The public gallery's query: recognised initiatives only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GalleryQuery {
    pub text: String,
    pub field: Option<Field>,
    pub unit_id: Option<i64>,
    /// The year of recognition.
    pub year: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

/// Counts for the monitor, per agency, field and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeStat {
    pub unit_id: i64,
    pub field: Field,
    pub year: i32,
    pub registered: i64,
    pub recognised: i64,
}

/// The gallery counts matches up to this many and one more.
pub const GALLERY_COUNT_LIMIT: i64 = 1_000;

const SUMMARY: &str = "initiative_id, unit_id, kind, field, name, stage, registered_on, recognised_level, \
                       recognised_on, recognised_decision, replicated_from, led_by, members, people_public";

const DETAILS: &str = "initiative_id, unit_id, kind, field, name, area, beneficiaries, led_by, members, situation, \
                       goals, criteria, content, resources, starts_on, ends_on, outputs, sustainability, \
                       people_public, stage, registered_on, recognised_level, recognised_on, \
                       recognised_decision, replicated_from";

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

/// The first and last day of a year.
pub(crate) fn year_window(year: i32) -> (Date, Date) {
    danvan_domain::date::year_bounds(year).unwrap_or((Date::MIN, Date::MIN))
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("bad {what} {value:?}"))
}

fn recognition_from(row: &AnyRow) -> Result<Option<Recognition>> {
    let level: Option<String> = row.try_get("recognised_level")?;
    let on: Option<String> = row.try_get("recognised_on")?;
    let decision: Option<String> = row.try_get("recognised_decision")?;
    match (level, on, decision) {
        (Some(level), Some(on), Some(decision)) => Ok(Some(Recognition {
            level: Level::from_code(&level).ok_or_else(|| corrupt("level", &level))?,
            on: parse_date(&on)?,
            decision,
        })),
        _ => Ok(None),
    }
}

fn summary_from(row: &AnyRow) -> Result<InitiativeSummary> {
    let kind: String = row.try_get("kind")?;
    let field: String = row.try_get("field")?;
    let stage: String = row.try_get("stage")?;
    Ok(InitiativeSummary {
        id: row.try_get("initiative_id")?,
        unit_id: row.try_get("unit_id")?,
        kind: Kind::from_code(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        field: Field::from_code(&field).ok_or_else(|| corrupt("field", &field))?,
        name: row.try_get("name")?,
        public_name: {
            let name: String = row.try_get("name")?;
            if get_bool(row, "people_public")? {
                name
            } else {
                let led_by: String = row.try_get("led_by")?;
                let members: String = row.try_get("members")?;
                initiative::without_people(&name, &initiative::people_named(&[&led_by, &members]))
            }
        },
        stage: Stage::from_code(&stage).ok_or_else(|| corrupt("stage", &stage))?,
        registered_on: parse_date(&row.try_get::<String, _>("registered_on")?)?,
        recognised: recognition_from(row)?,
        replicated_from: row.try_get("replicated_from")?,
    })
}

fn record_from(row: &AnyRow) -> Result<InitiativeRecord> {
    let summary = summary_from(row)?;
    let text = |name: &str| -> Result<String> { Ok(row.try_get(name)?) };
    Ok(InitiativeRecord {
        id: summary.id,
        stage: summary.stage,
        recognised: summary.recognised,
        details: NewInitiative {
            unit_id: summary.unit_id,
            kind: summary.kind,
            field: summary.field,
            name: summary.name,
            area: text("area")?,
            beneficiaries: text("beneficiaries")?,
            led_by: text("led_by")?,
            members: text("members")?,
            situation: text("situation")?,
            goals: text("goals")?,
            criteria: text("criteria")?,
            content: text("content")?,
            resources: text("resources")?,
            starts_on: parse_date(&text("starts_on")?)?,
            ends_on: parse_date(&text("ends_on")?)?,
            outputs: text("outputs")?,
            sustainability: text("sustainability")?,
            people_public: get_bool(row, "people_public")?,
            registered_on: summary.registered_on,
            replicated_from: summary.replicated_from,
        },
    })
}

/// The folded text the gallery searches: what the initiative is, where, and by which agency;
/// people's names only where they are public.
fn search_text(initiative: &NewInitiative, unit_name: &str) -> String {
    let mut parts = vec![
        initiative.name.as_str(),
        unit_name,
        initiative.area.as_str(),
        initiative.beneficiaries.as_str(),
        initiative.goals.as_str(),
        initiative.content.as_str(),
        initiative.outputs.as_str(),
    ];
    if initiative.people_public {
        parts.push(initiative.led_by.as_str());
        return fold(&parts.join(" \n "));
    }
    // Names written into the other fields are not searchable either.
    let people = initiative::people_named(&[&initiative.led_by, &initiative.members]);
    fold(&initiative::without_people(&parts.join(" \n "), &people))
}

impl Store {
    /// Registers an initiative (stage "registered", with its first history line). A replication
    /// must name an original that has been recognised.
    pub async fn register_initiative(&self, actor: &Actor, initiative: &NewInitiative) -> Result<i64> {
        if initiative.ends_on < initiative.starts_on {
            return Err(StoreError::Conflict("ends_on"));
        }
        let mut change = Change::begin(self).await?;
        if let Some(original) = initiative.replicated_from {
            let stage: Option<String> = sqlx::query("select stage from initiative where initiative_id = $1")
                .bind(original)
                .fetch_optional(&mut *change.tx)
                .await?
                .map(|row| row.try_get(0))
                .transpose()?;
            if !stage
                .as_deref()
                .and_then(Stage::from_code)
                .is_some_and(Stage::is_recognised)
            {
                return Err(StoreError::Conflict("replicated_from"));
            }
        }
        let unit_name: String = sqlx::query("select name from unit where unit_id = $1")
            .bind(initiative.unit_id)
            .fetch_optional(&mut *change.tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get(0)?;
        let i = initiative;
        let id: i64 = sqlx::query(
            "insert into initiative (unit_id, kind, field, name, area, beneficiaries, led_by, members, situation, \
             goals, criteria, content, resources, starts_on, ends_on, outputs, sustainability, people_public, stage, \
             registered_on, replicated_from, search_text, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'registered', $19, $20, $21, $22, $23) \
             returning initiative_id",
        )
        .bind(i.unit_id)
        .bind(i.kind.code())
        .bind(i.field.code())
        .bind(&i.name)
        .bind(&i.area)
        .bind(&i.beneficiaries)
        .bind(&i.led_by)
        .bind(&i.members)
        .bind(&i.situation)
        .bind(&i.goals)
        .bind(&i.criteria)
        .bind(&i.content)
        .bind(&i.resources)
        .bind(iso(i.starts_on))
        .bind(iso(i.ends_on))
        .bind(&i.outputs)
        .bind(&i.sustainability)
        .bind(i.people_public)
        .bind(iso(i.registered_on))
        .bind(i.replicated_from)
        .bind(search_text(i, &unit_name))
        .bind(&actor.name)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?
        .try_get(0)?;
        insert_event(
            &mut change,
            actor,
            id,
            "register",
            Stage::Registered,
            i.registered_on,
            "",
            None,
            None,
        )
        .await?;
        let after = json!({
            "unit_id": i.unit_id,
            "kind": i.kind.code(),
            "field": i.field.code(),
            "name": i.name,
            "led_by": i.led_by,
            "starts_on": iso(i.starts_on),
            "ends_on": iso(i.ends_on),
            "people_public": i.people_public,
            "replicated_from": i.replicated_from,
        });
        change
            .record(actor, Action::RegisterInitiative, id, None, Some(&after))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Records a lifecycle step. The step must be allowed from the stage the initiative is in
    /// when the transaction runs ([`StoreError::Conflict`] on `stage` otherwise, and nothing is
    /// written); a recognition or commendation needs its decision (`decision`).
    pub async fn advance_initiative(&self, actor: &Actor, id: i64, input: &StepInput) -> Result<Stage> {
        let decision = input.decision.as_deref().map(str::trim).filter(|d| !d.is_empty());
        if input.step.needs_decision() && decision.is_none() {
            return Err(StoreError::Conflict("decision"));
        }
        let mut change = Change::begin(self).await?;
        let current: String = sqlx::query("select stage from initiative where initiative_id = $1")
            .bind(id)
            .fetch_optional(&mut *change.tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get(0)?;
        let current = Stage::from_code(&current).ok_or_else(|| corrupt("stage", &current))?;
        let next = initiative::step(current, input.step).map_err(|_| StoreError::Conflict("stage"))?;
        // The stage is compared again in the update, so two steps racing cannot both apply.
        let updated = match input.step {
            Step::Recognise(level) => {
                sqlx::query(
                    "update initiative set stage = $1, recognised_level = $2, recognised_on = $3, \
                     recognised_decision = $4 where initiative_id = $5 and stage = $6",
                )
                .bind(next.code())
                .bind(level.code())
                .bind(iso(input.happened_on))
                .bind(decision)
                .bind(id)
                .bind(current.code())
                .execute(&mut *change.tx)
                .await?
            }
            _ => {
                sqlx::query("update initiative set stage = $1 where initiative_id = $2 and stage = $3")
                    .bind(next.code())
                    .bind(id)
                    .bind(current.code())
                    .execute(&mut *change.tx)
                    .await?
            }
        };
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict("stage"));
        }
        let level = match input.step {
            Step::Recognise(level) => Some(level),
            _ => None,
        };
        insert_event(
            &mut change,
            actor,
            id,
            input.step.code(),
            next,
            input.happened_on,
            input.note.trim(),
            decision,
            level,
        )
        .await?;
        let before = json!({"stage": current.code()});
        let after = json!({
            "stage": next.code(),
            "step": input.step.code(),
            "on": iso(input.happened_on),
            "note": input.note.trim(),
            "decision": decision,
            "level": level.map(Level::code),
        });
        change
            .record(actor, Action::AdvanceInitiative, id, Some(&before), Some(&after))
            .await?;
        change.commit().await?;
        Ok(next)
    }

    pub async fn initiative(&self, id: i64) -> Result<Option<InitiativeRecord>> {
        let row = sqlx::query(&format!("select {DETAILS} from initiative where initiative_id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(record_from).transpose()
    }

    /// An initiative's history, oldest first.
    pub async fn initiative_events(&self, id: i64) -> Result<Vec<InitiativeEvent>> {
        let rows = sqlx::query(
            "select step, stage_after, happened_on, note, decision, level, created_by from initiative_event \
             where initiative_id = $1 order by initiative_event_id",
        )
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let stage: String = row.try_get("stage_after")?;
                let level: Option<String> = row.try_get("level")?;
                Ok(InitiativeEvent {
                    step: row.try_get("step")?,
                    stage_after: Stage::from_code(&stage).ok_or_else(|| corrupt("stage", &stage))?,
                    happened_on: parse_date(&row.try_get::<String, _>("happened_on")?)?,
                    note: row.try_get("note")?,
                    decision: row.try_get("decision")?,
                    level: level.as_deref().and_then(Level::from_code),
                    created_by: row.try_get("created_by")?,
                })
            })
            .collect()
    }

    /// Initiatives by filter, the latest registered first (at most 500).
    pub async fn list_initiatives(&self, filter: &InitiativeFilter) -> Result<Vec<InitiativeSummary>> {
        let mut sql = format!("select {SUMMARY} from initiative where 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if filter.unit_id.is_some() {
            sql += &format!(" and unit_id = ${}", next());
        }
        if filter.field.is_some() {
            sql += &format!(" and field = ${}", next());
        }
        if filter.stage.is_some() {
            sql += &format!(" and stage = ${}", next());
        }
        if filter.year.is_some() {
            let (a, b) = (next(), next());
            sql += &format!(" and registered_on >= ${a} and registered_on <= ${b}");
        }
        sql += " order by registered_on desc, initiative_id desc limit 500";
        let mut query = sqlx::query(&sql);
        if let Some(unit_id) = filter.unit_id {
            query = query.bind(unit_id);
        }
        if let Some(field) = filter.field {
            query = query.bind(field.code());
        }
        if let Some(stage) = filter.stage {
            query = query.bind(stage.code());
        }
        if let Some(year) = filter.year {
            query = query.bind(format!("{year:04}-01-01")).bind(format!("{year:04}-12-31"));
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(summary_from).collect()
    }

    /// Where an initiative was replicated.
    pub async fn replications_of(&self, id: i64) -> Result<Vec<InitiativeSummary>> {
        let rows = sqlx::query(&format!(
            "select {SUMMARY} from initiative where replicated_from = $1 order by registered_on, initiative_id"
        ))
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(summary_from).collect()
    }

    /// Recognised initiatives matching the query, the latest registered first, and how many
    /// match in all, counted up to [`GALLERY_COUNT_LIMIT`] + 1 (a query matching more says
    /// "more than" rather than counting every match). Words match without diacritics; every word
    /// must match.
    pub async fn gallery(&self, query: &GalleryQuery) -> Result<(i64, Vec<InitiativeSummary>)> {
        let terms = query_terms(&query.text);
        // Recognised or commended: exactly the initiatives with a recognition date (a
        // recognised initiative can no longer be stopped). Written so, the planner walks the
        // primary key newest first instead of sorting every recognised initiative.
        let mut conditions = vec!["i.recognised_on is not null".to_owned()];
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        // Both databases walk the matches newest first and stop at the page: SQLite from the
        // full-text index in rowid order, PostgreSQL as its planner sees fit.
        let (from, order) = match (terms.is_empty(), self.backend) {
            (true, _) => ("initiative i", "i.initiative_id desc"),
            (false, Backend::Sqlite) => {
                conditions.push(format!("initiative_fts match ${}", next()));
                (
                    "initiative_fts f join initiative i on i.initiative_id = f.rowid",
                    "f.rowid desc",
                )
            }
            (false, Backend::Postgres) => {
                conditions.push(format!("i.search_vector @@ plainto_tsquery('simple', ${})", next()));
                ("initiative i", "i.initiative_id desc")
            }
        };
        if query.field.is_some() {
            conditions.push(format!("i.field = ${}", next()));
        }
        if query.unit_id.is_some() {
            conditions.push(format!("i.unit_id = ${}", next()));
        }
        if query.year.is_some() {
            let (a, b) = (next(), next());
            conditions.push(format!("i.recognised_on >= ${a} and i.recognised_on <= ${b}"));
        }
        let (limit, offset) = (next(), next());
        let where_clause = conditions.join(" and ");
        let columns = SUMMARY
            .split(", ")
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let page_sql = format!(
            "select {columns} from {from} where {where_clause} order by {order} limit ${limit} offset ${offset}"
        );
        let count_sql = format!(
            "select count(*) from (select 1 from {from} where {where_clause} limit {}) matches",
            GALLERY_COUNT_LIMIT + 1
        );
        fn bind<'q>(
            sql: &'q str,
            backend: Backend,
            terms: &[String],
            query: &GalleryQuery,
        ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
            let mut q = sqlx::query(sql);
            if !terms.is_empty() {
                q = match backend {
                    Backend::Sqlite => q.bind(terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" ")),
                    Backend::Postgres => q.bind(terms.join(" ")),
                };
            }
            if let Some(field) = query.field {
                q = q.bind(field.code());
            }
            if let Some(unit_id) = query.unit_id {
                q = q.bind(unit_id);
            }
            if let Some(year) = query.year {
                q = q.bind(format!("{year:04}-01-01")).bind(format!("{year:04}-12-31"));
            }
            q
        }
        let rows = bind(&page_sql, self.backend, &terms, query)
            .bind(query.limit.clamp(1, 100))
            .bind(query.offset.max(0))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let total: i64 = bind(&count_sql, self.backend, &terms, query)
            .fetch_one(&mut *self.conn().await?)
            .await?
            .try_get(0)?;
        Ok((total, rows.iter().map(summary_from).collect::<Result<_>>()?))
    }

    /// Registrations per agency, field and year of registration, with how many of them have
    /// been recognised (in any year).
    pub async fn initiative_stats(&self) -> Result<Vec<InitiativeStat>> {
        let rows = sqlx::query(
            "select unit_id, field, substr(registered_on, 1, 4) as year, count(*) as registered, \
             sum(case when stage in ('recognised', 'commended') then 1 else 0 end) as recognised \
             from initiative group by unit_id, field, substr(registered_on, 1, 4) order by unit_id, field, year",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let field: String = row.try_get("field")?;
                let year: String = row.try_get("year")?;
                Ok(InitiativeStat {
                    unit_id: row.try_get("unit_id")?,
                    field: Field::from_code(&field).ok_or_else(|| corrupt("field", &field))?,
                    year: year.parse().map_err(|_| corrupt("year", &year))?,
                    registered: row.try_get("registered")?,
                    recognised: row.try_get("recognised")?,
                })
            })
            .collect()
    }

    /// Across all agencies, per field: initiatives registered, and recognised, between two days
    /// (both included), in the order of [`Field::ALL`].
    pub async fn initiatives_by_field(&self, from: Date, to: Date) -> Result<Vec<(Field, u32, u32)>> {
        let rows = sqlx::query(
            "select field, sum(case when registered_on >= $1 and registered_on <= $2 then 1 else 0 end) as registered, \
             sum(case when recognised_on >= $1 and recognised_on <= $2 then 1 else 0 end) as recognised \
             from initiative group by field",
        )
        .bind(iso(from))
        .bind(iso(to))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out: Vec<(Field, u32, u32)> = Field::ALL.iter().map(|f| (*f, 0, 0)).collect();
        for row in &rows {
            let field: String = row.try_get("field")?;
            let count =
                |column: &str| -> Result<u32> { Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0) as u32) };
            if let Some(slot) = out.iter_mut().find(|(f, _, _)| f.code() == field) {
                slot.1 = count("registered")?;
                slot.2 = count("recognised")?;
            }
        }
        Ok(out)
    }

    /// How many of an agency's initiatives were recognised in a year: a figure the evaluation's
    /// computed criteria use.
    pub async fn initiatives_recognised(&self, unit_id: i64, year: i32) -> Result<u32> {
        let (from, to) = year_window(year);
        Ok(self.initiative_counts(unit_id, from, to).await?.1)
    }

    /// An agency's initiatives registered, and recognised, between two days (both included):
    /// figures periodic reports prefill.
    pub async fn initiative_counts(&self, unit_id: i64, from: Date, to: Date) -> Result<(u32, u32)> {
        let row = sqlx::query(
            "select sum(case when registered_on >= $2 and registered_on <= $3 then 1 else 0 end) as registered, \
             sum(case when recognised_on >= $2 and recognised_on <= $3 then 1 else 0 end) as recognised \
             from initiative where unit_id = $1",
        )
        .bind(unit_id)
        .bind(iso(from))
        .bind(iso(to))
        .fetch_one(&mut *self.conn().await?)
        .await?;
        let count = |column: &str| -> Result<u32> { Ok(row.try_get::<Option<i64>, _>(column)?.unwrap_or(0) as u32) };
        Ok((count("registered")?, count("recognised")?))
    }

    /// Attaches a stored file (see [`Store::put_file`]) to an initiative.
    pub async fn add_initiative_file(&self, actor: &Actor, id: i64, file: &Attachment) -> Result<i64> {
        self.attach_file(INITIATIVE_FILES, actor, id, file).await
    }

    /// An initiative's files, in the order added, each with its id.
    pub async fn initiative_files(&self, id: i64) -> Result<Vec<(i64, Attachment)>> {
        self.files_of(INITIATIVE_FILES, id).await
    }

    /// One file and the initiative it belongs to.
    pub async fn initiative_file(&self, file_id: i64) -> Result<Option<(i64, Attachment)>> {
        self.file_with_owner(INITIATIVE_FILES, file_id).await
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    change: &mut Change,
    actor: &Actor,
    id: i64,
    step: &str,
    stage_after: Stage,
    on: Date,
    note: &str,
    decision: Option<&str>,
    level: Option<Level>,
) -> Result<()> {
    sqlx::query(
        "insert into initiative_event (initiative_id, step, stage_after, happened_on, note, decision, level, \
         created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(step)
    .bind(stage_after.code())
    .bind(iso(on))
    .bind(note)
    .bind(decision)
    .bind(level.map(Level::code))
    .bind(&actor.name)
    .bind(now())
    .execute(&mut *change.tx)
    .await?;
    Ok(())
}
