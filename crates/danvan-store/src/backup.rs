//! Backups: a consistent online copy of an SQLite database, and per-table digests that tell
//! whether two databases hold the same rows (a restore's check). PostgreSQL is copied with its
//! own tools (`pg_dump`, `pg_restore`), which the binary runs.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Backend, Result, Store, StoreError};

/// One table's row count and a SHA-256 over its rows in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub rows: i64,
    pub sha256: String,
}

impl Store {
    /// Writes a consistent copy of the whole SQLite database to a new file while it is in use
    /// (`vacuum into`). The file must not exist yet.
    pub async fn backup_sqlite(&self, to: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict("backend"));
        }
        if to.exists() {
            return Err(StoreError::Conflict("file"));
        }
        let path = to.to_string_lossy().replace('\'', "''");
        sqlx::raw_sql(&format!("vacuum into '{path}'"))
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    /// Moves everything in SQLite's write-ahead log into the database file and empties the
    /// log, so that the file alone holds the database (before it is moved or copied as a file).
    pub async fn checkpoint_sqlite(&self) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Conflict("backend"));
        }
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("pragma wal_checkpoint(truncate)")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        if busy != 0 {
            return Err(StoreError::Conflict("checkpoint"));
        }
        Ok(())
    }

    /// Whether this database has no danvan schema yet (no migration applied): a first start.
    pub async fn is_empty_install(&self) -> Result<bool> {
        let sql = match self.backend {
            Backend::Sqlite => "select count(*) from sqlite_master where type = 'table' and name = 'schema_migration'",
            Backend::Postgres => {
                "select count(*) from pg_tables where schemaname = current_schema() and tablename = 'schema_migration'"
            }
        };
        let found: i64 = sqlx::query_scalar(sql).fetch_one(&mut *self.conn().await?).await?;
        Ok(found == 0)
    }

    /// PostgreSQL: the schema this connection's tables live in (the first of its search path).
    pub async fn current_schema(&self) -> Result<String> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Conflict("backend"));
        }
        let schema: Option<String> = sqlx::query_scalar("select current_schema()::text")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        schema.ok_or(StoreError::Conflict("schema"))
    }

    /// PostgreSQL: drops `staging` with all it holds, if it exists, and creates it empty. Used to
    /// build a database apart from the one in use (the demo's first load).
    pub async fn recreate_schema(&self, staging: &str) -> Result<()> {
        check_schema_name(staging)?;
        sqlx::raw_sql(&format!(
            "drop schema if exists \"{staging}\" cascade; create schema \"{staging}\""
        ))
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// PostgreSQL: moves every table (with its indexes, constraints, triggers and sequences) and
    /// function of `staging` into this connection's schema and drops `staging`, all in one
    /// transaction: the whole database built there appears at once, or nothing does. The
    /// current schema must hold no danvan table.
    pub async fn adopt_schema(&self, staging: &str) -> Result<()> {
        check_schema_name(staging)?;
        let mut tx = self.pool.begin().await?;
        let target: String = sqlx::query_scalar("select current_schema()::text")
            .fetch_one(&mut *tx)
            .await?;
        let taken: i64 = sqlx::query_scalar(
            "select count(*) from pg_tables where schemaname = current_schema() and tablename = 'schema_migration'",
        )
        .fetch_one(&mut *tx)
        .await?;
        if taken > 0 {
            return Err(StoreError::Conflict("schema"));
        }
        let tables: Vec<String> = sqlx::query_scalar("select tablename::text from pg_tables where schemaname = $1")
            .bind(staging)
            .fetch_all(&mut *tx)
            .await?;
        let functions: Vec<String> = sqlx::query_scalar(
            "select p.proname::text || '(' || pg_get_function_identity_arguments(p.oid) || ')' \
             from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1",
        )
        .bind(staging)
        .fetch_all(&mut *tx)
        .await?;
        // Names come from the catalogue; quoted as identifiers. Functions move first: their
        // names were read with their arguments' types, and an argument of a table's row type
        // (`board_count_add(a assignment, …)`) is named by the schema the table is still in.
        for function in &functions {
            sqlx::raw_sql(&format!(
                "alter function \"{staging}\".{function} set schema \"{target}\""
            ))
            .execute(&mut *tx)
            .await?;
        }
        for table in &tables {
            sqlx::raw_sql(&format!(
                "alter table \"{staging}\".\"{table}\" set schema \"{target}\""
            ))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::raw_sql(&format!("drop schema \"{staging}\""))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every table of danvan's schema (full-text index tables excepted: they are rebuilt from
    /// their tables), with its row count and a digest of its rows.
    pub async fn table_digests(&self) -> Result<BTreeMap<String, TableDigest>> {
        let mut out = BTreeMap::new();
        for (table, lines) in self.table_rows(&|_| false).await? {
            let mut hasher = Sha256::new();
            for line in &lines {
                hasher.update(line.as_bytes());
                hasher.update(b"\n");
            }
            let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
            out.insert(
                table,
                TableDigest {
                    rows: lines.len() as i64,
                    sha256,
                },
            );
        }
        Ok(out)
    }

    /// Every table of danvan's schema (full-text index tables excepted) with its rows as text,
    /// sorted, leaving out the columns `skip` names (to compare two databases without their
    /// instants and hashes). The one dialect difference: how a value becomes text (`quote()`
    /// on SQLite, a cast to text on PostgreSQL).
    pub async fn table_rows(&self, skip: &dyn Fn(&str) -> bool) -> Result<BTreeMap<String, Vec<String>>> {
        let tables: Vec<String> = match self.backend {
            Backend::Sqlite => sqlx::query(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' \
                 and name not like '%_fts%' order by name",
            ),
            Backend::Postgres => sqlx::query(
                "select tablename::text as name from pg_tables where schemaname = current_schema() order by 1",
            ),
        }
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|row| row.try_get::<String, _>("name"))
        .collect::<std::result::Result<_, _>>()?;
        let mut out = BTreeMap::new();
        for table in tables {
            // Table and column names come from the catalogue, not from input.
            let columns_sql = match self.backend {
                Backend::Sqlite => format!("select name from pragma_table_info('{table}') order by cid"),
                Backend::Postgres => format!(
                    "select column_name::text as name from information_schema.columns \
                     where table_schema = current_schema() and table_name = '{table}' order by ordinal_position"
                ),
            };
            let columns: Vec<String> = sqlx::query(&columns_sql)
                .fetch_all(&mut *self.conn().await?)
                .await?
                .iter()
                .map(|row| row.try_get::<String, _>("name"))
                .collect::<std::result::Result<_, _>>()?;
            let values: Vec<String> = columns
                .iter()
                .filter(|c| !skip(c))
                .map(|c| match self.backend {
                    Backend::Sqlite => format!("quote(\"{c}\")"),
                    Backend::Postgres => format!("coalesce(quote_literal(\"{c}\"), 'NULL')"),
                })
                .collect();
            let line = if values.is_empty() {
                "''".to_owned()
            } else {
                values.join(" || ',' || ")
            };
            let sql = format!("select {line} as line from \"{table}\" order by 1");
            let mut lines = Vec::new();
            for row in sqlx::query(&sql).fetch_all(&mut *self.conn().await?).await? {
                let line: Option<String> = row.try_get("line")?;
                lines.push(line.unwrap_or_default());
            }
            out.insert(table, lines);
        }
        Ok(out)
    }
}

/// A schema name danvan makes itself: letters, digits and underscores only, so it can be
/// quoted safely.
fn check_schema_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > 63 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(StoreError::Conflict("schema"));
    }
    Ok(())
}
