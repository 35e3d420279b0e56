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
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every table of danvan's schema (full-text index tables excepted: they are rebuilt from
    /// their tables), with its row count and a digest of its rows. The one dialect difference:
    /// how a row becomes text (`quote()` per column on SQLite, the row's text on PostgreSQL).
    pub async fn table_digests(&self) -> Result<BTreeMap<String, TableDigest>> {
        let tables: Vec<String> = match self.backend {
            Backend::Sqlite => sqlx::query(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' \
                 and name not like '%_fts%' order by name",
            ),
            Backend::Postgres => sqlx::query(
                "select tablename::text as name from pg_tables where schemaname = current_schema() order by 1",
            ),
        }
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| row.try_get::<String, _>("name"))
        .collect::<std::result::Result<_, _>>()?;
        let mut out = BTreeMap::new();
        for table in tables {
            // Table names come from the catalogue, not from input.
            let sql = match self.backend {
                Backend::Sqlite => {
                    let columns: Vec<String> = sqlx::query(&format!("select name from pragma_table_info('{table}')"))
                        .fetch_all(&self.pool)
                        .await?
                        .iter()
                        .map(|row| row.try_get::<String, _>("name"))
                        .collect::<std::result::Result<_, _>>()?;
                    let quoted: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
                    format!(
                        "select {} as line from \"{table}\" order by 1",
                        quoted.join(" || ',' || ")
                    )
                }
                Backend::Postgres => format!("select t::text as line from \"{table}\" t order by 1"),
            };
            let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
            let mut hasher = Sha256::new();
            for row in &rows {
                let line: Option<String> = row.try_get("line")?;
                hasher.update(line.unwrap_or_default().as_bytes());
                hasher.update(b"\n");
            }
            let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
            out.insert(
                table,
                TableDigest {
                    rows: rows.len() as i64,
                    sha256,
                },
            );
        }
        Ok(out)
    }
}
