//! danvan's application layer: the use cases through which official data changes.
//!
//! Each use case is one function taking the store, the acting [`User`] and typed input. It
//! checks, in this order, who acts (the role's capabilities), on which record (visible to and
//! owned by the actor), in which state (the domain's state machines, compared and set again
//! inside the store's transaction) and with which input (every problem at once), then makes the
//! change and its audit record in one transaction. A refusal is a [`Refusal`] and changes
//! nothing. Handlers parse, call and render; the command line and the demo call the same
//! functions.
//!
//! The layer grows workflow by workflow; `ARCHITECTURE.md` names those that have moved here.

pub mod directive;
pub mod evaluation;

use danvan_domain::Role;
use danvan_store::{Actor, StoreError};

/// Who takes a step: an account with its role and agency, or the system acting in a role (the
/// demo's loader, a command on the server), which is held to the same rules as that role.
#[derive(Debug, Clone)]
pub struct User {
    pub account_id: Option<i64>,
    pub name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub ip: Option<String>,
}

impl User {
    /// A signed-in account.
    pub fn account(account_id: i64, name: &str, role: Role, unit_id: Option<i64>, ip: Option<String>) -> User {
        User {
            account_id: Some(account_id),
            name: name.to_owned(),
            role,
            unit_id,
            ip,
        }
    }

    /// The system acting in a role, for `what` (the audit shows `system:what`).
    pub fn system(what: &str, role: Role, unit_id: Option<i64>) -> User {
        User {
            account_id: None,
            name: format!("system:{what}"),
            role,
            unit_id,
            ip: None,
        }
    }

    /// The audit's view of this user.
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.account_id,
            name: self.name.clone(),
            ip: self.ip.clone(),
        }
    }

    /// Whether this user may see the records of `unit_id`.
    pub fn sees_unit(&self, unit_id: i64) -> bool {
        self.role.sees_all() || self.unit_id == Some(unit_id)
    }
}

/// Why a use case did not run. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The actor's role may not take this step, or not on this record.
    #[error("not allowed")]
    Forbidden,
    /// No such record, or none the actor may see.
    #[error("not found")]
    NotFound,
    /// The record is not in a state that allows the step; the Vietnamese reason.
    #[error("wrong state: {0}")]
    State(String),
    /// The input has problems, each described in Vietnamese.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<String>),
    /// The store failed for a reason that is not the user's.
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl Refusal {
    /// A concurrent change moved the record on between the page and the post.
    pub(crate) fn moved_on() -> Refusal {
        Refusal::State("Trạng thái đã thay đổi trong lúc bạn thao tác; tải lại trang và làm lại.".into())
    }

    /// The store's answer to a compare-and-set, in the user's words.
    pub(crate) fn from_step(error: StoreError) -> Refusal {
        match error {
            StoreError::Conflict("state") => Refusal::moved_on(),
            StoreError::NotFound => Refusal::NotFound,
            other => Refusal::Store(other),
        }
    }
}
