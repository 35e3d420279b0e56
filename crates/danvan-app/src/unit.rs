//! The list of agencies: groups, agencies, their changes and their closing with successors.
//! Kept by admins and the Department. The store checks the list's own consistency (a parent
//! alive on the dates, no cycles, unique codes) inside the transaction and answers with the
//! field at fault, which the refusal carries as [`Refusal::Store`].

use danvan_domain::identifier::Scheme;
use danvan_domain::role::Access;
use danvan_domain::unit::{NewUnit, SuccessionKind};
use danvan_store::{Store, StoreError};
use time::Date;

use crate::{Refusal, User};

/// Adds a group of agencies (for evaluation and statistics).
pub async fn create_group(store: &Store, user: &User, code: &str, name: &str, sort_order: i64) -> Result<i64, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        if code.trim().is_empty() || name.trim().is_empty() {
            return Err(Refusal::Invalid(vec!["Nhóm cần có mã và tên.".into()]));
        }
        Ok(store
            .create_group(&user.actor(), code.trim(), name.trim(), sort_order)
            .await?)
    })
}

/// Adds an agency.
pub async fn create(store: &Store, user: &User, unit: &NewUnit) -> Result<i64, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        Ok(store.create_unit(&user.actor(), unit).await?)
    })
}

/// Changes an agency's particulars.
pub async fn update(store: &Store, user: &User, id: i64, unit: &NewUnit) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        store.unit(id).await?.ok_or(Refusal::NotFound)?;
        Ok(store.update_unit(&user.actor(), id, unit).await?)
    })
}

/// Closes an agency on a day, naming its successors and how they succeed it.
pub async fn close(
    store: &Store,
    user: &User,
    id: i64,
    closed_on: Date,
    kind: SuccessionKind,
    successors: &[i64],
) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        store.unit(id).await?.ok_or(Refusal::NotFound)?;
        if successors.is_empty() {
            return Err(Refusal::Invalid(vec!["Chọn ít nhất một đơn vị kế thừa.".into()]));
        }
        Ok(store.close_unit(&user.actor(), id, closed_on, kind, successors).await?)
    })
}

/// Gives an agency an official identifier over a period (checked format; refused when another
/// agency carries it on a day of the period).
pub async fn add_identifier(
    store: &Store,
    user: &User,
    unit_id: i64,
    scheme: Scheme,
    code: &str,
    valid_from: Date,
    valid_to: Option<Date>,
) -> Result<i64, Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        store.unit(unit_id).await?.ok_or(Refusal::NotFound)?;
        let code = scheme.parse(code).map_err(StoreError::from)?;
        Ok(store
            .add_identifier(&user.actor(), unit_id, scheme, &code, valid_from, valid_to)
            .await?)
    })
}

/// Ends an identifier on its last day.
pub async fn end_identifier(store: &Store, user: &User, identifier_id: i64, last_day: Date) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        Ok(store.end_identifier(&user.actor(), identifier_id, last_day).await?)
    })
}

/// Records that an agency which already ended is succeeded by another from `effective_on` (a
/// link its closing did not make).
pub async fn link_successor(
    store: &Store,
    user: &User,
    predecessor: i64,
    successor: i64,
    kind: SuccessionKind,
    effective_on: Date,
) -> Result<(), Refusal> {
    within!(store, {
        user.require(Access::UnitManagers)?;
        Ok(store
            .link_succession(&user.actor(), predecessor, successor, kind, effective_on)
            .await?)
    })
}
