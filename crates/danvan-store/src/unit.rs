//! Agencies, their groups and successions.

use danvan_domain::UnitError;
use danvan_domain::audit::Action;
use danvan_domain::unit::{NewUnit, Succession, SuccessionKind, Unit, UnitGroup, UnitKind, check_closing};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::{Result, Store, StoreError, conflict_on, parse_date};

const UNIT_COLUMNS: &str = "unit_id, code, name, short_name, kind, parent_id, unit_group_id, valid_from, valid_to";

fn unit_from_row(row: &AnyRow) -> Result<Unit> {
    let kind: String = row.try_get("kind")?;
    let valid_to: Option<String> = row.try_get("valid_to")?;
    Ok(Unit {
        id: row.try_get("unit_id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        short_name: row.try_get("short_name")?,
        kind: UnitKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("unit kind {kind:?}")))?,
        parent_id: row.try_get("parent_id")?,
        group_id: row.try_get("unit_group_id")?,
        valid_from: parse_date(&row.try_get::<String, _>("valid_from")?)?,
        valid_to: valid_to.as_deref().map(parse_date).transpose()?,
    })
}

fn unit_json(unit: &Unit) -> serde_json::Value {
    json!({
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind.code(),
        "parent_id": unit.parent_id,
        "unit_group_id": unit.group_id,
        "valid_from": danvan_domain::date::format_iso(unit.valid_from),
        "valid_to": unit.valid_to.map(danvan_domain::date::format_iso),
    })
}

/// The agency as stored under `id`.
fn stored(id: i64, unit: &NewUnit) -> Unit {
    Unit {
        id,
        code: unit.code.clone(),
        name: unit.name.clone(),
        short_name: unit.short_name.clone(),
        kind: unit.kind,
        parent_id: unit.parent_id,
        group_id: unit.group_id,
        valid_from: unit.valid_from,
        valid_to: unit.valid_to,
    }
}

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

impl Store {
    #[tracing::instrument(skip(self))]
    pub async fn list_groups(&self) -> Result<Vec<UnitGroup>> {
        let rows = sqlx::query("select unit_group_id, code, name from unit_group order by sort_order, unit_group_id")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(UnitGroup {
                    id: row.try_get("unit_group_id")?,
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip(self, actor))]
    pub async fn create_group(&self, actor: &Actor, code: &str, name: &str, sort_order: i64) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        let id: i64 = sqlx::query_scalar(
            "insert into unit_group (code, name, sort_order, created_at) values ($1, $2, $3, $4) returning unit_group_id",
        )
        .bind(code)
        .bind(name)
        .bind(sort_order)
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("code"))?;
        change
            .record(
                actor,
                Action::CreateUnitGroup,
                id,
                None,
                Some(&json!({"code": code, "name": name})),
            )
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Every agency, alive or closed, unordered; callers sort for display.
    #[tracing::instrument(skip(self))]
    pub async fn list_units(&self) -> Result<Vec<Unit>> {
        Ok(self.units_shared().await?.as_ref().clone())
    }

    /// Every agency, from memory while `agency_generation` has not moved (see `AgencyCache`).
    async fn units_shared(&self) -> Result<std::sync::Arc<Vec<Unit>>> {
        let generation = self.agency_generation().await?;
        if let Some(generation) = generation
            && let Some((at, units)) = self.agencies.units.lock().expect("agency cache").as_ref()
            && *at == generation
        {
            return Ok(units.clone());
        }
        let rows = sqlx::query(&format!("select {UNIT_COLUMNS} from unit order by unit_id"))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let units = std::sync::Arc::new(rows.iter().map(unit_from_row).collect::<Result<Vec<Unit>>>()?);
        if let Some(generation) = generation {
            *self.agencies.units.lock().expect("agency cache") = Some((generation, units.clone()));
        }
        Ok(units)
    }

    #[tracing::instrument(skip(self))]
    /// Every agency's name by id, for pages that only show names.
    pub async fn unit_names(&self) -> Result<std::collections::HashMap<i64, String>> {
        Ok(self
            .units_shared()
            .await?
            .iter()
            .map(|unit| (unit.id, unit.name.clone()))
            .collect())
    }

    pub async fn unit(&self, id: i64) -> Result<Option<Unit>> {
        let row = sqlx::query(&format!("select {UNIT_COLUMNS} from unit where unit_id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(unit_from_row).transpose()
    }

    #[tracing::instrument(skip(self))]
    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        let row = sqlx::query(&format!("select {UNIT_COLUMNS} from unit where code = $1"))
            .bind(code)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(unit_from_row).transpose()
    }

    async fn check_parent(change: &mut Change, unit: &NewUnit, self_id: Option<i64>) -> Result<()> {
        let Some(parent_id) = unit.parent_id else {
            return Ok(());
        };
        if Some(parent_id) == self_id {
            return Err(UnitError::SelfReference.into());
        }
        let parent = load_unit(change, parent_id).await?.ok_or(UnitError::ParentNotActive)?;
        if !parent.is_active_on(unit.valid_from) {
            return Err(UnitError::ParentNotActive.into());
        }
        Ok(())
    }

    #[tracing::instrument(skip(self, actor), fields(code = %unit.code))]
    pub async fn create_unit(&self, actor: &Actor, unit: &NewUnit) -> Result<i64> {
        let mut change = Change::begin(self).await?;
        Self::check_parent(&mut change, unit, None).await?;
        let now = now();
        let id: i64 = sqlx::query_scalar(
            "insert into unit (code, name, short_name, kind, parent_id, unit_group_id, valid_from, valid_to, \
             created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning unit_id",
        )
        .bind(&unit.code)
        .bind(&unit.name)
        .bind(&unit.short_name)
        .bind(unit.kind.code())
        .bind(unit.parent_id)
        .bind(unit.group_id)
        .bind(iso(unit.valid_from))
        .bind(unit.valid_to.map(iso))
        .bind(now)
        .fetch_one(&mut *change.tx)
        .await
        .map_err(conflict_on("code"))?;
        change
            .record(actor, Action::CreateUnit, id, None, Some(&unit_json(&stored(id, unit))))
            .await?;
        change.commit().await?;
        Ok(id)
    }

    #[tracing::instrument(skip(self, actor, unit))]
    pub async fn update_unit(&self, actor: &Actor, id: i64, unit: &NewUnit) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let before = load_unit(&mut change, id).await?.ok_or(StoreError::NotFound)?;
        Self::check_parent(&mut change, unit, Some(id)).await?;
        sqlx::query(
            "update unit set code = $1, name = $2, short_name = $3, kind = $4, parent_id = $5, unit_group_id = $6, \
             valid_from = $7, valid_to = $8, updated_at = $9 where unit_id = $10",
        )
        .bind(&unit.code)
        .bind(&unit.name)
        .bind(&unit.short_name)
        .bind(unit.kind.code())
        .bind(unit.parent_id)
        .bind(unit.group_id)
        .bind(iso(unit.valid_from))
        .bind(unit.valid_to.map(iso))
        .bind(now())
        .bind(id)
        .execute(&mut *change.tx)
        .await
        .map_err(conflict_on("code"))?;
        let after = stored(id, unit);
        change
            .record(
                actor,
                Action::UpdateUnit,
                id,
                Some(&unit_json(&before)),
                Some(&unit_json(&after)),
            )
            .await?;
        change.commit().await?;
        Ok(())
    }

    /// Closes an agency on `closed_on` (its last day) and links the agencies that carry on its
    /// work from the next day. Everything happens in one transaction, or nothing does.
    #[tracing::instrument(skip(self, actor))]
    pub async fn close_unit(
        &self,
        actor: &Actor,
        id: i64,
        closed_on: Date,
        kind: SuccessionKind,
        successor_ids: &[i64],
    ) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let unit = load_unit(&mut change, id).await?.ok_or(StoreError::NotFound)?;
        let mut successors = Vec::new();
        for successor_id in successor_ids {
            successors.push(
                load_unit(&mut change, *successor_id)
                    .await?
                    .ok_or(StoreError::NotFound)?,
            );
        }
        check_closing(&unit, closed_on, &successors.iter().collect::<Vec<_>>())?;
        let effective_on = closed_on.next_day().ok_or(UnitError::Date)?;
        let now = now();
        sqlx::query("update unit set valid_to = $1, updated_at = $2 where unit_id = $3")
            .bind(iso(closed_on))
            .bind(now)
            .bind(id)
            .execute(&mut *change.tx)
            .await?;
        // Its codes end with it, so that a successor may carry them from the next day.
        let ended_identifiers = sqlx::query(
            "update unit_identifier set valid_to = $1 where unit_id = $2 and valid_from <= $1 \
             and (valid_to is null or valid_to > $1)",
        )
        .bind(iso(closed_on))
        .bind(id)
        .execute(&mut *change.tx)
        .await?
        .rows_affected();
        for successor in &successors {
            sqlx::query(
                "insert into unit_succession (predecessor_id, successor_id, kind, effective_on, created_at) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(successor.id)
            .bind(kind.code())
            .bind(iso(effective_on))
            .bind(now)
            .execute(&mut *change.tx)
            .await
            .map_err(conflict_on("successor"))?;
        }
        let closed = Unit {
            valid_to: Some(closed_on),
            ..unit.clone()
        };
        let mut after = unit_json(&closed);
        after["successors"] = json!(successors.iter().map(|s| s.id).collect::<Vec<_>>());
        after["succession_kind"] = json!(kind.code());
        after["identifiers_ended"] = json!(ended_identifiers);
        change
            .record(actor, Action::CloseUnit, id, Some(&unit_json(&unit)), Some(&after))
            .await?;
        change.commit().await?;
        Ok(())
    }

    /// The successions in which the agency is the predecessor or the successor.
    #[tracing::instrument(skip(self))]
    pub async fn successions_of(&self, id: i64) -> Result<Vec<Succession>> {
        let rows = sqlx::query(
            "select predecessor_id, successor_id, kind, effective_on from unit_succession \
             where predecessor_id = $1 or successor_id = $1 order by effective_on, unit_succession_id",
        )
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(succession_from_row).collect()
    }

    /// Every succession, in the order they took effect.
    #[tracing::instrument(skip(self))]
    pub async fn list_successions(&self) -> Result<Vec<Succession>> {
        let rows = sqlx::query(
            "select predecessor_id, successor_id, kind, effective_on from unit_succession \
             order by effective_on, unit_succession_id",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(succession_from_row).collect()
    }
}

fn succession_from_row(row: &AnyRow) -> Result<Succession> {
    let kind: String = row.try_get("kind")?;
    Ok(Succession {
        predecessor_id: row.try_get("predecessor_id")?,
        successor_id: row.try_get("successor_id")?,
        kind: SuccessionKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("succession kind {kind:?}")))?,
        effective_on: parse_date(&row.try_get::<String, _>("effective_on")?)?,
    })
}

/// Reads an agency inside an open change, so the read sees the change's own writes.
pub(crate) async fn load_unit(change: &mut Change, id: i64) -> Result<Option<Unit>> {
    let row = sqlx::query(&format!("select {UNIT_COLUMNS} from unit where unit_id = $1"))
        .bind(id)
        .fetch_optional(&mut *change.tx)
        .await?;
    row.as_ref().map(unit_from_row).transpose()
}

pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
