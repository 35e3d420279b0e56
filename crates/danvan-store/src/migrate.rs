//! The embedded migrations and the runner that applies them.

use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::{Backend, Result, StoreError};

/// One migration: its version, its name, and its SQL for each backend.
#[derive(Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, in order. Append only.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_documents"),
    migration!(3, "0003_directives"),
    migration!(4, "0004_account_email"),
    migration!(5, "0005_rubrics"),
    migration!(6, "0006_evaluations"),
    migration!(7, "0007_leaders"),
    migration!(8, "0008_dissemination"),
    migration!(9, "0009_initiatives_training"),
    migration!(10, "0010_reports"),
    migration!(11, "0011_totp"),
    migration!(12, "0012_session_confirmation"),
    migration!(13, "0013_work_queue"),
    migration!(14, "0014_evaluation_extensions"),
    migration!(15, "0015_not_submitted"),
    migration!(16, "0016_kept_form"),
    migration!(17, "0017_outbox"),
    migration!(18, "0018_directive_changes"),
    migration!(19, "0019_recomputed_deadlines"),
    migration!(20, "0020_unit_identifiers"),
    migration!(21, "0021_edxml"),
    migration!(22, "0022_agency_generation"),
    migration!(23, "0023_api_token"),
    migration!(24, "0024_oidc"),
    migration!(25, "0025_sso_link"),
    migration!(26, "0026_drop_assignment_unit_index"),
    migration!(27, "0027_board_counts"),
    migration!(28, "0028_data_generation"),
    migration!(29, "0029_data_generation_start"),
    migration!(30, "0030_full_text_search_speed"),
];

fn checksum(sql: &str) -> String {
    let digest = Sha256::digest(sql.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<Vec<String>> {
    run_through(pool, backend, i64::MAX).await
}

/// Applies the migrations up to `last` (a version number) that the database has not seen.
pub(crate) async fn run_through(pool: &AnyPool, backend: Backend, last: i64) -> Result<Vec<String>> {
    sqlx::raw_sql(
        "create table if not exists schema_migration (\
            version bigint primary key, name text not null, checksum text not null, \
            applied_at bigint not null)",
    )
    .execute(pool)
    .await?;
    let mut applied_now = Vec::new();
    for migration in MIGRATIONS.iter().filter(|m| m.version <= last) {
        if apply(pool, backend, migration).await? {
            applied_now.push(migration.name.to_owned());
        }
    }
    Ok(applied_now)
}

/// Applies one migration unless the database has seen it; whether it was applied now.
pub(crate) async fn apply(pool: &AnyPool, backend: Backend, migration: &Migration) -> Result<bool> {
    let sql = match backend {
        Backend::Sqlite => migration.sqlite,
        Backend::Postgres => migration.postgres,
    };
    let sum = checksum(sql);
    let mut tx = pool.begin().await?;
    let existing = sqlx::query_scalar::<_, String>("select checksum from schema_migration where version = $1")
        .bind(migration.version)
        .fetch_optional(&mut *tx)
        .await?;
    match existing {
        Some(existing) if existing == sum => return Ok(false),
        Some(_) => {
            return Err(StoreError::MigrationChanged {
                version: migration.version,
            });
        }
        None => {}
    }
    sqlx::raw_sql(sql).execute(&mut *tx).await?;
    // Two servers starting at once both try to apply; the primary key makes the loser's
    // transaction fail here and roll back whole.
    sqlx::query("insert into schema_migration (version, name, checksum, applied_at) values ($1, $2, $3, $4)")
        .bind(migration.version)
        .bind(migration.name)
        .bind(sum)
        .bind(time::OffsetDateTime::now_utc().unix_timestamp())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(version = migration.version, name = migration.name, "applied migration");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_without_gaps() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1);
            assert!(migration.name.starts_with(&format!("{:04}_", migration.version)));
        }
    }
}
