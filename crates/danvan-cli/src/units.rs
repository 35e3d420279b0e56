//! `danvan units`: setting up a province's agencies from the command line, through the same use
//! cases as the admin pages.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use danvan_app::store::Store;
use danvan_domain::Role;

use crate::cli::StorageArgs;

#[derive(Debug, Subcommand)]
pub enum UnitsCommand {
    /// Create a province's People's Committee and its communes (xã, phường, đặc khu) from the
    /// 2025 map shipped in danvan (Quyết định 19/2025/QĐ-TTg), or agencies from a spreadsheet
    /// (columns: name, kind, code; short name, group and electronic identifier optional). What
    /// exists is left as it is; a spreadsheet with any bad row creates nothing.
    Import {
        /// The province's two-digit code (68 for Lâm Đồng).
        #[arg(long, conflicts_with = "sheet", required_unless_present = "sheet")]
        province: Option<String>,
        /// A spreadsheet of agencies (.xlsx, .xls, .ods).
        #[arg(long, value_name = "FILE", requires = "parent")]
        sheet: Option<PathBuf>,
        /// The code in danvan of the agency the spreadsheet's agencies belong to (UBND-68).
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// The spreadsheet's agencies start on this day (dd/mm/yyyy); default today.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

impl UnitsCommand {
    pub fn storage(&self) -> &StorageArgs {
        match self {
            UnitsCommand::Import { storage, .. } => storage,
        }
    }
}

pub async fn run(store: &Store, command: UnitsCommand) -> anyhow::Result<()> {
    let admin = danvan_app::User::system("cli", Role::Admin, None);
    match command {
        UnitsCommand::Import {
            province: Some(code), ..
        } => {
            let done = danvan_app::province::import_province(store, &admin, &code)
                .await
                .map_err(refusal)?;
            let name = danvan_domain::admin_map::map()
                .province(code.trim())
                .map_or(code.as_str(), |p| p.name);
            println!(
                "{name}: tạo mới {} đơn vị, {} đơn vị đã có, ghi nhận {} quan hệ kế thừa.",
                done.created, done.existing, done.linked
            );
            Ok(())
        }
        UnitsCommand::Import {
            sheet: Some(file),
            parent: Some(parent),
            from,
            ..
        } => {
            let parent = store
                .unit_by_code(&parent.trim().to_ascii_uppercase())
                .await?
                .with_context(|| format!("no agency with code {parent}"))?;
            let from = match from {
                Some(text) => {
                    danvan_domain::date::parse(&text).with_context(|| format!("{text:?} is not a dd/mm/yyyy date"))?
                }
                None => danvan_domain::clock::Clock::system().today(),
            };
            let bytes = crate::read_input(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let rows = danvan_web::spreadsheet::read_rows(&bytes).map_err(|e| anyhow::anyhow!("{}", e.0))?;
            let rows = danvan_app::province::agency_rows(rows);
            let ids = danvan_app::province::import_agencies(store, &admin, &rows, parent.id, from)
                .await
                .map_err(refusal)?;
            println!("Đã tạo {} đơn vị thuộc {}.", ids.len(), parent.name);
            Ok(())
        }
        UnitsCommand::Import { .. } => bail!("give --province CODE, or --sheet FILE with --parent CODE"),
    }
}

/// A refusal as the operator reads it: every problem on its own line.
fn refusal(refusal: danvan_app::Refusal) -> anyhow::Error {
    match refusal {
        danvan_app::Refusal::Invalid(lines) => anyhow::anyhow!("\n{}", lines.join("\n")),
        other => anyhow::anyhow!("{other}"),
    }
}
