//! `danvan backup` and `danvan restore`: a consistent copy of the whole database while the
//! server runs, and bringing one back (security.md 27).
//!
//! SQLite is copied online with `vacuum into`; restoring checks the copy (migrations, audit
//! chain), keeps the current file beside it and puts the copy in its place, with the server
//! stopped. PostgreSQL is copied with `pg_dump --format=custom` (the schema the URL selects, if
//! any) and restored with `pg_restore --clean`, in one transaction.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use danvan_app::store::Store;
use danvan_app::store::audit::ChainCheck;

/// Tables and rows of a database, for the operator's summary.
pub async fn summary(store: &Store) -> anyhow::Result<(usize, i64)> {
    let digests = store.table_digests().await?;
    Ok((digests.len(), digests.values().map(|d| d.rows).sum()))
}

/// The file an SQLite URL names.
pub(crate) fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("not an SQLite URL")?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        bail!("an in-memory SQLite database has no file to back up or restore");
    }
    Ok(PathBuf::from(path))
}

/// The schema a PostgreSQL URL selects through `options=-c search_path=…`, if any.
fn postgres_schema(url: &str) -> Option<String> {
    let decoded = url.replace("%20", " ").replace("%3D", "=").replace("%3d", "=");
    let at = decoded.find("search_path=")? + "search_path=".len();
    let schema: String = decoded[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!schema.is_empty()).then_some(schema)
}

fn run(command: &mut Command, what: &str) -> anyhow::Result<()> {
    let output = command
        .output()
        .with_context(|| format!("running {what} (PostgreSQL's client tools must be installed)"))?;
    if !output.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

/// The name a file is written under until it is whole: `<file>.partial`, in the same folder so
/// that the final rename is atomic.
pub(crate) fn partial(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", file.display()))
}

/// Removes what an interrupted copy to `file` left behind: its partial file and SQLite's
/// journal beside it.
pub(crate) fn remove_leftovers(file: &Path) {
    let partial = partial(file);
    for leftover in [
        partial.clone(),
        PathBuf::from(format!("{}-journal", partial.display())),
        PathBuf::from(format!("{}-wal", partial.display())),
        PathBuf::from(format!("{}-shm", partial.display())),
    ] {
        let _ = std::fs::remove_file(leftover);
    }
}

/// Copies the database the URL names into `file` (which must not exist). The copy is written
/// under a temporary name and renamed when complete, so a backup either exists whole or not at
/// all; what an interrupted one left is cleared first.
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        bail!("{} already exists; a backup never overwrites a file", file.display());
    }
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    remove_leftovers(file);
    let partial = partial(file);
    if url.starts_with("sqlite:") {
        let store = Store::connect(url, 1).await?;
        let result = store.backup_sqlite(&partial).await;
        store.close().await;
        result.context("copying the SQLite database")?;
    } else {
        let mut command = Command::new("pg_dump");
        command.args(["--format=custom", "--no-owner", "--file"]).arg(&partial);
        if let Some(schema) = postgres_schema(url) {
            command.arg(format!("--schema={schema}"));
        }
        run(command.arg(url), "pg_dump")?;
    }
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, file).with_context(|| format!("naming the backup {}", file.display()))?;
    Ok(())
}

/// Replaces the database the URL names with the copy in `file`. For SQLite the server must be
/// stopped; the current file is kept as `<file>.before-restore`.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<()> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    if url.starts_with("sqlite:") {
        // Check the copy before touching anything.
        let copy = Store::connect(&format!("sqlite://{}", file.display()), 1)
            .await
            .context("opening the backup")?;
        let chain = copy.verify_audit_chain().await.context("reading the backup")?;
        copy.close().await;
        if let ChainCheck::Broken { audit_log_id, reason } = chain {
            bail!("the backup's audit chain is broken at record {audit_log_id}: {reason}");
        }
        let target = sqlite_path(url)?;
        if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        }
        // Copied beside the target under a temporary name first, then renamed: the database
        // file is never half-written.
        let incoming = partial(&target);
        remove_leftovers(&target);
        std::fs::copy(file, &incoming).with_context(|| format!("writing {}", incoming.display()))?;
        std::fs::File::open(&incoming)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("writing {}", incoming.display()))?;
        if target.exists() {
            let kept = PathBuf::from(format!("{}.before-restore", target.display()));
            std::fs::rename(&target, &kept)
                .with_context(|| format!("keeping the current database as {}", kept.display()))?;
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        std::fs::rename(&incoming, &target).with_context(|| format!("writing {}", target.display()))?;
    } else {
        let mut command = Command::new("pg_restore");
        command.args([
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            url,
        ]);
        run(command.arg(file), "pg_restore")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_file_or_schema() {
        assert_eq!(
            sqlite_path("sqlite:///var/lib/danvan/danvan.db?mode=rwc").unwrap(),
            PathBuf::from("/var/lib/danvan/danvan.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
        assert_eq!(
            postgres_schema("postgres://u@h/test?options=-c%20search_path%3Dt12_3_ab").as_deref(),
            Some("t12_3_ab")
        );
        assert_eq!(postgres_schema("postgres://u@h/danvan"), None);
    }
}
