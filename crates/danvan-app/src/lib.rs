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
//! A use case runs inside its caller's transaction when it is given a scoped store
//! (`Store::begin_scope`): each change is then a savepoint within that transaction, and the
//! sequence commits as one with `Store::commit_scope` (the demo's load does so).
//!
//! Only this crate depends on `danvan-store`. The crates above reach the store through
//! [`store`], which has no way to make the `Actor` that every method changing official data
//! takes, so a change of official data outside a use case does not compile.

/// Runs a use case's body inside one transaction: the caller's when the store is already scoped,
/// a new one otherwise, committed when the body succeeds and rolled back when it is refused. The
/// body's checks then read the state inside the transaction that makes the change (on SQLite the
/// write lock is taken first; everywhere the audit head is locked first, as a change does).
macro_rules! within {
    ($store:ident, $body:block) => {{
        let scope = $crate::Within::begin($store).await?;
        let $store = scope.store($store);
        let out: Result<_, $crate::Refusal> = async { $body }.await;
        match out {
            Ok(value) => {
                scope.commit().await?;
                Ok(value)
            }
            Err(refusal) => {
                scope.abandon().await?;
                Err(refusal)
            }
        }
    }};
}

pub mod account;
pub mod api_token;
pub mod calendar;
pub mod directive;
pub mod document;
pub mod edxml;
pub mod evaluation;
pub mod initiative;
pub mod maintenance;
pub mod province;
pub mod records;
pub mod report;
pub mod restructure;
pub mod security;
pub mod training;
pub mod unit;

/// The store as the layers above this one see it: every module, record type and reading
/// method, but not [`danvan_store::Actor`], the audit's "who" that every method changing official
/// data requires. `danvan-web` and `danvan-cli` depend on this crate and not on `danvan-store`,
/// so only the use cases here can build an `Actor` (from a [`User`], after their checks), and a
/// handler that tries to change official data without them does not compile.
pub mod store {
    pub use danvan_store::{
        Account, AuditEntry, AuditFilter, Backend, DocumentFilter, DocumentRecord, DocumentSummary, MIGRATIONS,
        NewAccount, NewCitation, NewDocument, Result, RubricVersion, SaveOutcome, SessionRecord, Store, StoreError,
        account, api_token, backup, directive, directive_change, dissemination, document, edxml, evaluation,
        initiative, leader, oidc, outbox, queue, report, retention, rubric, session, training, unit,
    };

    /// The audit log as it is read: entries, filters, the chain's check.
    pub mod audit {
        pub use danvan_store::audit::{AuditEntry, AuditFilter, ChainCheck, DataGeneration};
        pub use danvan_store::audit_labels::{AuditActor, ObjectKey};
    }
}

use danvan_domain::Role;
use danvan_domain::role::Access;
use danvan_store::{Actor, Store, StoreError};

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

    /// The person a stored account is, acting from `ip`.
    pub fn of_account(account: &danvan_store::Account, ip: Option<String>) -> User {
        User::account(account.id, &account.username, account.role, account.unit_id, ip)
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

    /// The audit's view of this user; only the use cases hold one.
    pub(crate) fn actor(&self) -> Actor {
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

    /// Refused unless this user's role may take steps under `access`.
    pub fn require(&self, access: Access) -> Result<(), Refusal> {
        if access.allows(self.role) {
            Ok(())
        } else {
            Err(Refusal::Forbidden)
        }
    }

    /// Keeps an agency's own records (its leader, its dissemination meetings, its courses and
    /// initiatives): its officers, and those who keep every agency's records.
    pub fn keeps_records_of(&self, unit_id: i64) -> bool {
        self.role.manages_units() || (self.role == Role::Officer && self.unit_id == Some(unit_id))
    }

    /// Refused unless this user keeps the records of `unit_id`.
    pub fn require_records_of(&self, unit_id: i64) -> Result<(), Refusal> {
        if self.keeps_records_of(unit_id) {
            Ok(())
        } else {
            Err(Refusal::Forbidden)
        }
    }
}

/// The transaction a use case runs in ([`within!`]): a scope of its own, or a savepoint in its
/// caller's scope.
pub(crate) enum Within<'a> {
    Own(Store),
    Savepoint(&'a Store, String),
}

impl<'a> Within<'a> {
    pub(crate) async fn begin(store: &'a Store) -> Result<Within<'a>, Refusal> {
        match store.savepoint().await? {
            Some(name) => Ok(Within::Savepoint(store, name)),
            None => Ok(Within::Own(store.begin_scope().await?)),
        }
    }

    /// The store the body uses: its own scope, or the caller's.
    pub(crate) fn store(&'a self, caller: &'a Store) -> &'a Store {
        match self {
            Within::Own(scope) => scope,
            Within::Savepoint(..) => caller,
        }
    }

    pub(crate) async fn commit(self) -> Result<(), Refusal> {
        match self {
            Within::Own(scope) => scope.commit_scope().await?,
            Within::Savepoint(store, name) => store.release(&name).await?,
        }
        Ok(())
    }

    /// A refused step: everything it did is undone (its own scope rolls back when dropped).
    pub(crate) async fn abandon(self) -> Result<(), Refusal> {
        if let Within::Savepoint(store, name) = self {
            store.rollback_to(&name).await?;
        }
        Ok(())
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
