//! Agencies' official identifiers over time, and successions recorded after the fact.

use danvan_domain::UnitError;
use danvan_domain::audit::Action;
use danvan_domain::identifier::{Identifier, Scheme};
use danvan_domain::unit::SuccessionKind;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Actor, Change};
use crate::unit::{load_unit, now};
use crate::{Result, Store, StoreError, conflict_on, parse_date};

const COLUMNS: &str = "unit_identifier_id, unit_id, scheme, code, valid_from, valid_to";

fn from_row(row: &AnyRow) -> Result<Identifier> {
    let scheme: String = row.try_get("scheme")?;
    let valid_to: Option<String> = row.try_get("valid_to")?;
    Ok(Identifier {
        id: row.try_get("unit_identifier_id")?,
        unit_id: row.try_get("unit_id")?,
        scheme: Scheme::from_code(&scheme).ok_or_else(|| StoreError::Corrupt(format!("scheme {scheme:?}")))?,
        code: row.try_get("code")?,
        valid_from: parse_date(&row.try_get::<String, _>("valid_from")?)?,
        valid_to: valid_to.as_deref().map(parse_date).transpose()?,
    })
}

fn iso(date: Date) -> String {
    danvan_domain::date::format_iso(date)
}

fn identifier_json(identifier: &Identifier) -> serde_json::Value {
    json!({
        "scheme": identifier.scheme.code(),
        "code": identifier.code,
        "valid_from": iso(identifier.valid_from),
        "valid_to": identifier.valid_to.map(iso),
    })
}

impl Store {
    /// Gives an agency an identifier of a scheme from `valid_from` to `valid_to` (open when
    /// `None`). Refused when another agency carries the same code on a day of the period, or the
    /// agency already carries a code of the scheme then. `code` is already checked by
    /// [`Scheme::parse`].
    #[tracing::instrument(skip(self, actor))]
    pub async fn add_identifier(
        &self,
        actor: &Actor,
        unit_id: i64,
        scheme: Scheme,
        code: &str,
        valid_from: Date,
        valid_to: Option<Date>,
    ) -> Result<i64> {
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(UnitError::DateOrder.into());
        }
        let mut change = Change::begin(self).await?;
        sqlx::query("select unit_id from unit where unit_id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *change.tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Two lookups, each on its index (an `or` of the two would read the whole table).
        let mut rows = sqlx::query(&format!(
            "select {COLUMNS} from unit_identifier where scheme = $1 and code = $2"
        ))
        .bind(scheme.code())
        .bind(code)
        .fetch_all(&mut *change.tx)
        .await?;
        rows.extend(
            sqlx::query(&format!(
                "select {COLUMNS} from unit_identifier where unit_id = $1 and scheme = $2"
            ))
            .bind(unit_id)
            .bind(scheme.code())
            .fetch_all(&mut *change.tx)
            .await?,
        );
        for row in &rows {
            let other = from_row(row)?;
            if other.overlaps(valid_from, valid_to) {
                return Err(if other.unit_id == unit_id {
                    UnitError::IdentifierOverlap
                } else {
                    UnitError::IdentifierTaken
                }
                .into());
            }
        }
        let id: i64 = sqlx::query_scalar(
            "insert into unit_identifier (unit_id, scheme, code, valid_from, valid_to, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning unit_identifier_id",
        )
        .bind(unit_id)
        .bind(scheme.code())
        .bind(code)
        .bind(iso(valid_from))
        .bind(valid_to.map(iso))
        .bind(now())
        .fetch_one(&mut *change.tx)
        .await?;
        let added = Identifier {
            id,
            unit_id,
            scheme,
            code: code.to_owned(),
            valid_from,
            valid_to,
        };
        change
            .record(
                actor,
                Action::AddUnitIdentifier,
                unit_id,
                None,
                Some(&identifier_json(&added)),
            )
            .await?;
        change.commit().await?;
        Ok(id)
    }

    /// Ends an identifier on `last_day` (a code closed by a merger or replaced).
    #[tracing::instrument(skip(self, actor))]
    pub async fn end_identifier(&self, actor: &Actor, identifier_id: i64, last_day: Date) -> Result<()> {
        let mut change = Change::begin(self).await?;
        let row = sqlx::query(&format!(
            "select {COLUMNS} from unit_identifier where unit_identifier_id = $1"
        ))
        .bind(identifier_id)
        .fetch_optional(&mut *change.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let before = from_row(&row)?;
        if before.valid_to.is_some() {
            return Err(UnitError::AlreadyClosed.into());
        }
        if last_day < before.valid_from {
            return Err(UnitError::DateOrder.into());
        }
        sqlx::query("update unit_identifier set valid_to = $1 where unit_identifier_id = $2")
            .bind(iso(last_day))
            .bind(identifier_id)
            .execute(&mut *change.tx)
            .await?;
        let after = Identifier {
            valid_to: Some(last_day),
            ..before.clone()
        };
        change
            .record(
                actor,
                Action::EndUnitIdentifier,
                before.unit_id,
                Some(&identifier_json(&before)),
                Some(&identifier_json(&after)),
            )
            .await?;
        change.commit().await?;
        Ok(())
    }

    /// Every identifier of every agency, oldest first.
    #[tracing::instrument(skip(self))]
    pub async fn list_identifiers(&self) -> Result<Vec<Identifier>> {
        let generation = self.agency_generation().await?;
        if let Some(generation) = generation
            && let Some((at, identifiers)) = self.agencies.identifiers.lock().expect("agency cache").as_ref()
            && *at == generation
        {
            return Ok(identifiers.as_ref().clone());
        }
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from unit_identifier order by unit_id, valid_from, unit_identifier_id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let identifiers: Vec<Identifier> = rows.iter().map(from_row).collect::<Result<_>>()?;
        if let Some(generation) = generation {
            *self.agencies.identifiers.lock().expect("agency cache") =
                Some((generation, std::sync::Arc::new(identifiers.clone())));
        }
        Ok(identifiers)
    }

    /// An agency's identifiers, oldest first.
    #[tracing::instrument(skip(self))]
    pub async fn identifiers_of(&self, unit_id: i64) -> Result<Vec<Identifier>> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from unit_identifier where unit_id = $1 order by valid_from, unit_identifier_id"
        ))
        .bind(unit_id)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The agency alive on a day that carries a code of a scheme then.
    #[tracing::instrument(skip(self))]
    pub async fn unit_with_identifier(&self, scheme: Scheme, code: &str, day: Date) -> Result<Option<i64>> {
        let rows = sqlx::query(&format!(
            "select {COLUMNS} from unit_identifier where scheme = $1 and code = $2"
        ))
        .bind(scheme.code())
        .bind(code)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        for row in &rows {
            let identifier = from_row(row)?;
            if identifier.is_active_on(day)
                && self
                    .unit(identifier.unit_id)
                    .await?
                    .is_some_and(|u| u.is_active_on(day))
            {
                return Ok(Some(identifier.unit_id));
            }
        }
        Ok(None)
    }

    /// Records that an agency which already ended is succeeded by another from `effective_on`
    /// (a link the closing did not make, such as a district's work passing to the communes
    /// formed from its territory). The predecessor must have ended the day before and the
    /// successor be alive that day.
    #[tracing::instrument(skip(self, actor))]
    pub async fn link_succession(
        &self,
        actor: &Actor,
        predecessor_id: i64,
        successor_id: i64,
        kind: SuccessionKind,
        effective_on: Date,
    ) -> Result<()> {
        if predecessor_id == successor_id {
            return Err(UnitError::SelfReference.into());
        }
        let mut change = Change::begin(self).await?;
        let predecessor = load_unit(&mut change, predecessor_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let successor = load_unit(&mut change, successor_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if predecessor.valid_to.and_then(Date::next_day) != Some(effective_on) {
            return Err(UnitError::PredecessorNotEnded.into());
        }
        if !successor.is_active_on(effective_on) {
            return Err(UnitError::SuccessorNotActive.into());
        }
        sqlx::query(
            "insert into unit_succession (predecessor_id, successor_id, kind, effective_on, created_at) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(predecessor_id)
        .bind(successor_id)
        .bind(kind.code())
        .bind(iso(effective_on))
        .bind(now())
        .execute(&mut *change.tx)
        .await
        .map_err(conflict_on("successor"))?;
        change
            .record(
                actor,
                Action::LinkSuccession,
                predecessor_id,
                None,
                Some(&json!({
                    "successor_id": successor_id,
                    "kind": kind.code(),
                    "effective_on": iso(effective_on),
                })),
            )
            .await?;
        change.commit().await?;
        Ok(())
    }
}
