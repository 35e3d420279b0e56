//! danvan's storage boundary: one API over SQLite and PostgreSQL.
//!
//! [`Store`] is chosen once at start-up from the database URL: `sqlite://…` (the embedded
//! default) or `postgres://…`. Its methods speak the domain's words (`create_unit`,
//! `close_unit`, `create_session`); callers never see SQL.
//!
//! # One SQL for two databases
//! Queries go through sqlx's `Any` driver and are written once, in the subset both databases
//! share: `$1` placeholders (SQLite reads them as numbered parameters), `returning`, `on
//! conflict`, instants as `bigint` seconds and dates as ISO `text`. The real dialect
//! differences live in two places only: the migrations (one folder per backend, same numbers)
//! and [`Backend`]-specific branches, each named for what differs.
//!
//! # Audit
//! Every method that changes official data takes an [`Actor`] and writes an audit record in the
//! same transaction as the change (see [`audit`]). Such a transaction begins by locking the
//! audit chain's head, which also serialises writers on SQLite before they read anything.
//!
//! # Errors
//! [`StoreError`] is this crate's `thiserror` enum. Unique-constraint violations that a person
//! can cause become [`StoreError::Conflict`] with the field at fault, so the web layer can turn
//! them into form errors; everything else from the database is [`StoreError::Database`].

pub mod account;
pub mod api_token;
mod attached;
pub mod audit;
pub mod audit_labels;
pub mod backup;
pub mod board;
pub mod directive;
pub mod directive_change;
pub mod dissemination;
pub mod document;
pub mod edxml;
pub mod evaluation;
pub mod identifier;
pub mod initiative;
pub mod leader;
mod migrate;
pub mod oidc;
pub mod outbox;
pub mod queue;
pub mod report;
pub mod restructure;
pub mod retention;
pub mod rubric;
pub mod session;
pub mod test_support;
pub mod training;
pub mod unit;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};

pub use account::{Account, NewAccount};
pub use audit::{Actor, AuditEntry, AuditFilter};
pub use document::{DocumentFilter, DocumentRecord, DocumentSummary, NewCitation, NewDocument, SaveOutcome, TextStart};
pub use migrate::MIGRATIONS;
pub use rubric::RubricVersion;
pub use session::SessionRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database url is not sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error("migration {version} was changed after it was applied")]
    MigrationChanged { version: i64 },
    #[error("value already used: {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    #[error("invalid unit: {0}")]
    Unit(#[from] danvan_domain::UnitError),
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// A step that needs every listed item filled in found these empty (criterion ids).
    #[error("items not filled in: {0:?}")]
    Incomplete(Vec<String>),
    /// A step that needs every listed record settled found these still waiting (their ids).
    #[error("records still pending: {0:?}")]
    Pending(Vec<i64>),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Set on a store that runs inside one caller's transaction ([`Store::begin_scope`]): every
    /// statement goes through its connection, every change is a savepoint within it.
    scope: Option<std::sync::Arc<tokio::sync::Mutex<Scope>>>,
    /// The agencies and their identifiers as last read, with the `agency_generation` they were
    /// read at; shared by every clone of the store.
    agencies: std::sync::Arc<AgencyCache>,
}

/// The connection pool's state, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// What the pages read whole on nearly every request and what changes a few times a year: kept
/// in memory and read again when the database's `agency_generation` has moved (triggers move it
/// in the same transaction as any change of an agency, identifier, succession or group), so
/// that it stays true with several app servers on one database and with the command line
/// writing beside the server.
#[derive(Default)]
pub(crate) struct AgencyCache {
    pub(crate) units: std::sync::Mutex<Option<(i64, std::sync::Arc<Vec<danvan_domain::unit::Unit>>)>>,
    pub(crate) identifiers: std::sync::Mutex<Option<(i64, std::sync::Arc<Vec<danvan_domain::identifier::Identifier>>)>>,
}

/// The caller's transaction a scoped store runs inside.
pub(crate) struct Scope {
    /// The transaction itself: rolled back by sqlx when dropped uncommitted, and its connection
    /// returned to the pool.
    pub(crate) conn: sqlx::Transaction<'static, sqlx::Any>,
    /// Savepoints taken so far, to name the next one.
    pub(crate) savepoints: u64,
    /// A change that ended without committing: its savepoint is rolled back before the next
    /// statement (a change cannot roll back when it is dropped, which is not async).
    pub(crate) undo: Option<String>,
}

impl Scope {
    /// Rolls back the savepoint of a change that was dropped without committing.
    pub(crate) async fn settle(&mut self) -> Result<()> {
        if let Some(savepoint) = self.undo.take() {
            sqlx::Executor::execute(&mut *self.conn, format!("rollback to savepoint {savepoint}").as_str()).await?;
            sqlx::Executor::execute(&mut *self.conn, format!("release savepoint {savepoint}").as_str()).await?;
        }
        Ok(())
    }
}

/// The connection one statement runs on: one from the pool, or the caller's transaction.
pub(crate) enum Conn<'a> {
    Pooled(sqlx::pool::PoolConnection<sqlx::Any>),
    Scoped(tokio::sync::MutexGuard<'a, Scope>),
}

impl std::ops::Deref for Conn<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        match self {
            Conn::Pooled(conn) => conn,
            Conn::Scoped(scope) => &scope.conn,
        }
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Conn::Pooled(conn) => conn,
            Conn::Scoped(scope) => &mut scope.conn,
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password, so it is never part of the debug output.
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Connects to the database the URL names, without migrating.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(url)?.log_statements(tracing::log::LevelFilter::Debug);
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed while one writer writes; the busy timeout makes
                        // a second writer wait rather than fail; foreign keys are off by default
                        // in SQLite and must be turned on for each connection.
                        for pragma in [
                            "pragma journal_mode = wal",
                            "pragma foreign_keys = on",
                            "pragma busy_timeout = 5000",
                            // Durable when acknowledged: in WAL mode `full` syncs the log at
                            // every commit, so a write the user saw succeed survives a power
                            // cut, not only a killed process (cost in BENCHMARKS.md).
                            "pragma synchronous = full",
                            // Large scans (the board) read from memory: a page cache of 32 MiB
                            // per connection, and the file mapped rather than read.
                            "pragma cache_size = -32768",
                            "pragma mmap_size = 268435456",
                        ] {
                            sqlx::Executor::execute(&mut *conn, pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            scope: None,
            agencies: Default::default(),
        })
    }

    /// The database's `agency_generation`, or `None` on a scoped store: inside a caller's
    /// transaction the agencies are always read from it, as the transaction sees them.
    pub(crate) async fn agency_generation(&self) -> Result<Option<i64>> {
        if self.scope.is_some() {
            return Ok(None);
        }
        let generation: i64 = sqlx::query_scalar("select generation from agency_generation")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(Some(generation))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection for the next statement: the caller's transaction on a scoped store, one
    /// from the pool otherwise. On a scoped store a statement cannot run while a change holds the
    /// transaction (that would be a read outside the change that the change could not see): it
    /// is an error, never a wait.
    pub(crate) async fn conn(&self) -> Result<Conn<'_>> {
        match &self.scope {
            None => Ok(Conn::Pooled(self.pool.acquire().await?)),
            Some(scope) => {
                let mut scope = scope.try_lock().map_err(|_| {
                    StoreError::Corrupt("a statement outside the change that holds the transaction".into())
                })?;
                scope.settle().await?;
                Ok(Conn::Scoped(scope))
            }
        }
    }

    /// A store whose every change runs inside one transaction, committed by
    /// [`Store::commit_scope`] as one: a sequence of use cases (the demo's load, a
    /// restructuring) is kept whole or not at all. Each change within is a savepoint, so one that
    /// fails is undone alone and the sequence may go on. Dropping the scoped store without
    /// committing rolls everything back. Statements that are not official data (sessions, the
    /// outbox, backups) still use the pool.
    pub async fn begin_scope(&self) -> Result<Store> {
        if self.scope.is_some() {
            return Err(StoreError::Corrupt("a scope inside a scope".into()));
        }
        let mut conn = self.pool.begin().await?;
        // The audit head's lock first, as a change takes it: writers are serialised in commit
        // order, and SQLite never has to upgrade a read lock to a write lock.
        sqlx::query("update audit_head set record_count = record_count where audit_head_id = 1")
            .execute(&mut *conn)
            .await?;
        Ok(Store {
            pool: self.pool.clone(),
            backend: self.backend,
            agencies: self.agencies.clone(),
            scope: Some(std::sync::Arc::new(tokio::sync::Mutex::new(Scope {
                conn,
                savepoints: 0,
                undo: None,
            }))),
        })
    }

    /// Commits a scoped store's transaction: every change made through it, at once.
    pub async fn commit_scope(self) -> Result<()> {
        let scope = self
            .scope
            .ok_or_else(|| StoreError::Corrupt("not a scoped store".into()))?;
        let mut scope = std::sync::Arc::into_inner(scope)
            .ok_or_else(|| StoreError::Corrupt("a copy of the scoped store is still in use".into()))?
            .into_inner();
        scope.settle().await?;
        scope.conn.commit().await?;
        Ok(())
    }

    /// Marks a point in a scoped store's transaction that [`Store::rollback_to`] returns to: a
    /// sequence's step that fails after changing something is undone alone. `None` on a store
    /// that is not scoped (each change is its own transaction there).
    pub async fn savepoint(&self) -> Result<Option<String>> {
        let Some(scope) = &self.scope else {
            return Ok(None);
        };
        let mut scope = scope
            .try_lock()
            .map_err(|_| StoreError::Corrupt("a savepoint inside a change".into()))?;
        scope.settle().await?;
        scope.savepoints += 1;
        let name = format!("danvan_step_{}", scope.savepoints);
        sqlx::Executor::execute(&mut *scope.conn, format!("savepoint {name}").as_str()).await?;
        Ok(Some(name))
    }

    /// Keeps what was done since the savepoint, within the scope's transaction.
    pub async fn release(&self, savepoint: &str) -> Result<()> {
        self.at_savepoint(&format!("release savepoint {savepoint}")).await
    }

    /// Undoes what was done since the savepoint, and forgets it.
    pub async fn rollback_to(&self, savepoint: &str) -> Result<()> {
        self.at_savepoint(&format!("rollback to savepoint {savepoint}")).await?;
        self.at_savepoint(&format!("release savepoint {savepoint}")).await
    }

    async fn at_savepoint(&self, sql: &str) -> Result<()> {
        let scope = self
            .scope
            .as_ref()
            .ok_or_else(|| StoreError::Corrupt("not a scoped store".into()))?;
        let mut scope = scope
            .try_lock()
            .map_err(|_| StoreError::Corrupt("a savepoint inside a change".into()))?;
        scope.settle().await?;
        sqlx::Executor::execute(&mut *scope.conn, sql).await?;
        Ok(())
    }

    /// Whether this store runs inside a caller's transaction.
    pub fn is_scoped(&self) -> bool {
        self.scope.is_some()
    }

    /// Applies the embedded migrations that this database has not seen yet; returns their names.
    pub async fn migrate(&self) -> Result<Vec<String>> {
        migrate::run(&self.pool, self.backend).await
    }

    /// The connection pool as it stands: connections open, of them idle, and the most allowed.
    pub fn pool_status(&self) -> PoolStatus {
        PoolStatus {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("select 1").execute(&self.pool).await.is_ok()
    }

    /// Refreshes the query planner's statistics, so that it picks the indexes that fit (the
    /// overdue list reads the partial index of open assignments only once the planner knows how
    /// few rows it holds). PostgreSQL also analyses on its own; here it only happens sooner.
    pub async fn optimize(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match self.backend {
            Backend::Sqlite => {
                // ANALYZE samples (at most 20,000 rows per index; fewer misjudge the rare values the partial indexes rely on) rather than reading whole
                // tables, so it takes milliseconds whatever the size of the database.
                sqlx::Executor::execute(&mut *conn, "pragma analysis_limit = 20000").await?;
                sqlx::Executor::execute(&mut *conn, "analyze").await?;
            }
            Backend::Postgres => {
                sqlx::Executor::execute(&mut *conn, "analyze").await?;
                // The board's kept counts take an update per change of an assignment; clearing
                // their old row versions often keeps the board's read near the live rows.
                sqlx::Executor::execute(&mut *conn, "vacuum board_unit_day, board_directive_day").await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A value from the installation's key/value table (demo marker, schema facts).
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let value = sqlx::query_scalar::<_, String>("select value from install_meta where key = $1")
            .bind(key)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        Ok(value)
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "insert into install_meta (key, value) values ($1, $2) \
             on conflict (key) do update set value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`] naming `field`.
pub(crate) fn conflict_on(field: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(field),
        _ => StoreError::Database(error),
    }
}

/// Reads a boolean column: `boolean` on PostgreSQL, `integer` 0/1 on SQLite.
pub(crate) fn get_bool(row: &sqlx::any::AnyRow, column: &str) -> Result<bool> {
    use sqlx::Row;
    match row.try_get::<bool, _>(column) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row.try_get::<i64, _>(column)? != 0),
    }
}

pub(crate) fn parse_date(text: &str) -> Result<time::Date> {
    danvan_domain::date::parse(text).ok_or_else(|| StoreError::Corrupt(format!("bad date {text:?}")))
}

impl Store {
    /// SQLite's setting of how writes reach the disk, as a connection of the pool has it (0 off,
    /// 1 normal, 2 full, 3 extra); `None` on PostgreSQL, which syncs at commit by default.
    pub async fn sqlite_synchronous(&self) -> Result<Option<i64>> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let level: i64 = sqlx::query_scalar("pragma synchronous")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(Some(level))
    }
}
