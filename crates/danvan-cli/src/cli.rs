//! The command line: one module-level function per subcommand.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use danvan_app::store::audit::ChainCheck;
use danvan_app::store::{NewAccount, Store};
use danvan_domain::{Clock, Role, Username, date};
use danvan_web::metrics::{Job, Metrics};
use danvan_web::{AppState, WebConfig};
use tracing_subscriber::EnvFilter;

use crate::demo;
use crate::settings::{EXAMPLE, Overrides, Settings};

/// danvan: công tác dân vận chính quyền. Directives, tasks, evaluation and reporting for a
/// province's government mass-mobilization work.
#[derive(Debug, Parser)]
#[command(name = "danvan", version, about, long_about = None)]
pub struct Cli {
    /// Settings file (TOML); see `danvan config example`.
    #[arg(long, global = true, env = "DANVAN_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the server with the demo province (Đắk Nông, 2022) on the embedded SQLite database,
    /// creating it on first run; prints the URL and the demo logins.
    Demo(DemoArgs),
    /// Start the server on the configured database, using the real date.
    Serve(ServerArgs),
    /// Apply the database migrations that have not been applied yet, then exit.
    Migrate(StorageArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit log's hash chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Settings.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Import every document in a folder into the library (each all or nothing; nothing twice).
    Import {
        /// The folder to read (recursively).
        dir: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Read administrative documents (.txt in UTF-8, UTF-16, TCVN3 or VNI; .docx) and print
    /// their structure.
    Parse(ParseArgs),
    /// Copy the whole database into a new file while the server runs (SQLite: an online copy;
    /// PostgreSQL: pg_dump).
    Backup {
        /// The file to write; it must not exist.
        file: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Replace the database with a backup (stop the server first when on SQLite; the current
    /// file is kept as <file>.before-restore). Asks for --yes.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Confirm: the current data is replaced.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Report the security settings and states of this installation (TLS, second factor,
    /// backups, audit chain, unused accounts, admins), as the admins' self-check page does.
    SelfCheck(StorageArgs),
    /// Evaluation rubrics.
    #[command(subcommand)]
    Rubric(RubricCommand),
    /// Agencies: set up a province from the 2025 map or a spreadsheet.
    #[command(subcommand)]
    Units(crate::units::UnitsCommand),
}

#[derive(Debug, Subcommand)]
enum RubricCommand {
    /// Check a rubric file (format: rubrics/README.md): print every problem with its line, or
    /// the tree of criteria and the bands when it is sound.
    Check {
        /// The rubric file (TOML).
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
struct ParseArgs {
    /// Files to read.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Print one JSON object per file, one per line, with the corpus's fields and `warnings`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Data folder for the embedded SQLite database.
    #[arg(long = "data", env = "DANVAN_DATA", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://… (default: SQLite in the data folder).
    #[arg(long, env = "DANVAN_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    database_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
struct ServerArgs {
    #[command(flatten)]
    storage: StorageArgs,
    /// Address to listen on.
    #[arg(long, env = "DANVAN_ADDR", value_name = "IP:PORT")]
    addr: Option<SocketAddr>,
}

#[derive(Debug, Clone, Args)]
struct DemoArgs {
    #[command(flatten)]
    server: ServerArgs,
    /// The demo's "today", as dd/mm/yyyy or yyyy-mm-dd.
    #[arg(long, default_value = "15/12/2022", value_name = "DATE")]
    today: String,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account; prints a random first password that must be changed at first login.
    Add {
        username: String,
        /// admin, monitor, leader, officer or appraiser (appraisal council).
        #[arg(long)]
        role: String,
        /// The agency's code (required for an officer).
        #[arg(long)]
        unit: Option<String>,
        /// The name shown in the application.
        #[arg(long)]
        name: Option<String>,
        /// An e-mail address for reminders.
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List accounts.
    List {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Give an account a new random password that must be changed at next login; ends its sessions.
    SetPassword {
        username: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Disable an account and end its sessions.
    Disable {
        username: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Enable a disabled account (one disabled after 45 days unused gets another 45 days).
    Enable {
        username: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every record's hash and report where the chain breaks, if it does.
    Verify {
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a commented example settings file.
    Example,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn overrides(storage: &StorageArgs, addr: Option<SocketAddr>) -> Overrides {
    Overrides {
        data_dir: storage.data_dir.clone(),
        database_url: storage.database_url.clone(),
        addr,
        secure_cookies: env_bool("DANVAN_SECURE_COOKIES"),
        trust_proxy: env_bool("DANVAN_TRUST_PROXY"),
        log: std::env::var("DANVAN_LOG").ok(),
        smtp_host: std::env::var("DANVAN_SMTP_HOST").ok().filter(|h| !h.is_empty()),
        smtp_port: std::env::var("DANVAN_SMTP_PORT").ok().and_then(|p| p.parse().ok()),
        smtp_from: std::env::var("DANVAN_SMTP_FROM").ok(),
        metrics_peers: std::env::var("DANVAN_METRICS_PEERS").ok(),
    }
}

fn env_bool(name: &str) -> Option<bool> {
    std::env::var(name)
        .ok()
        .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on"))
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let load = |storage: &StorageArgs, addr| Settings::load(cli.config.as_deref(), &overrides(storage, addr));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    match cli.command {
        Command::Parse(args) => parse_files(&args),
        Command::Rubric(RubricCommand::Check { file }) => check_rubric(&file),
        Command::Import { dir, storage } => {
            let settings = load(&storage, None)?;
            runtime.block_on(async {
                let store = open_store(&settings).await?;
                import_dir(&store, &dir).await
            })
        }
        Command::Config(ConfigCommand::Example) => {
            print!("{EXAMPLE}");
            Ok(())
        }
        Command::Demo(args) => {
            let settings = load(&args.server.storage, args.server.addr)?;
            let today = date::parse(&args.today).with_context(|| format!("--today {:?} is not a date", args.today))?;
            init_logging(&settings);
            runtime.block_on(run_demo(settings, today))
        }
        Command::Serve(args) => {
            let settings = load(&args.storage, args.addr)?;
            init_logging(&settings);
            runtime.block_on(async {
                let store = open_store(&settings).await?;
                let listener = bind(&settings).await?;
                serve(settings, store, Clock::system(), listener).await
            })
        }
        Command::Backup { file, storage } => {
            let settings = load(&storage, None)?;
            runtime.block_on(async {
                let store = open_store(&settings).await?;
                let (tables, rows) = crate::backup::summary(&store).await?;
                store.close().await;
                crate::backup::backup(settings.database_url().expose(), &file).await?;
                let store = connect(&settings).await?;
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                store
                    .set_meta(danvan_web::selfcheck::LAST_BACKUP_KEY, &now.to_string())
                    .await?;
                store.close().await;
                println!("Đã sao lưu {tables} bảng, {rows} dòng vào {}.", file.display());
                Ok(())
            })
        }
        Command::Restore { file, yes, storage } => {
            let settings = load(&storage, None)?;
            if !yes {
                bail!("restoring replaces the current data: run again with --yes");
            }
            runtime.block_on(async {
                crate::backup::restore(settings.database_url().expose(), &file).await?;
                let store = open_store(&settings).await?;
                let (tables, rows) = crate::backup::summary(&store).await?;
                let chain = store.verify_audit_chain().await?;
                store.close().await;
                println!(
                    "Đã khôi phục {tables} bảng, {rows} dòng từ {}; chuỗi nhật ký {}.",
                    file.display(),
                    if matches!(chain, ChainCheck::Intact { .. }) {
                        "toàn vẹn"
                    } else {
                        "BỊ PHÁ VỠ"
                    }
                );
                Ok(())
            })
        }
        Command::SelfCheck(storage) => {
            let settings = load(&storage, None)?;
            runtime.block_on(async {
                let store = open_store(&settings).await?;
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                let this_year = time::OffsetDateTime::now_utc().year();
                let items = danvan_web::selfcheck::check(
                    &store,
                    &settings.retention,
                    this_year,
                    settings.secure_cookies,
                    true,
                    now,
                )
                .await?;
                store.close().await;
                for item in &items {
                    println!("[{}] {}: {}", item.standing.label(), item.name, item.detail);
                }
                Ok(())
            })
        }
        Command::Migrate(storage) => {
            let settings = load(&storage, None)?;
            init_logging(&settings);
            runtime.block_on(async {
                let store = connect(&settings).await?;
                let applied = store.migrate().await.context("applying migrations")?;
                if applied.is_empty() {
                    println!("Cơ sở dữ liệu đã ở phiên bản mới nhất.");
                } else {
                    println!("Đã áp dụng: {}", applied.join(", "));
                }
                Ok(())
            })
        }
        Command::User(command) => runtime.block_on(user(command, |s| load(s, None))),
        Command::Units(command) => {
            let settings = load(command.storage(), None)?;
            runtime.block_on(async {
                let store = open_store(&settings).await?;
                crate::units::run(&store, command).await
            })
        }
        Command::Audit(AuditCommand::Verify { storage }) => {
            let settings = load(&storage, None)?;
            runtime.block_on(async {
                let store = open_store(&settings).await?;
                match store.verify_audit_chain().await? {
                    ChainCheck::Intact { records } => {
                        println!("Chuỗi nhật ký toàn vẹn: {records} bản ghi.");
                        Ok(())
                    }
                    ChainCheck::Broken { audit_log_id, reason } => {
                        bail!("audit chain broken at record {audit_log_id}: {reason}")
                    }
                }
            })
        }
    }
}

fn init_logging(settings: &Settings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.log));
    // A second initialisation (tests calling `run` twice) is harmless and ignored.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    if settings.uses_sqlite() && settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
    }
    let url = settings.database_url();
    Store::connect(url.expose(), settings.max_connections)
        .await
        .with_context(|| format!("connecting to {}", url.redacted()))
}

/// Connects, applies pending migrations and installs the report kinds danvan ships that the
/// database lacks: every command that uses the database starts so.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let store = connect(settings).await?;
    prepare(&store).await?;
    Ok(store)
}

/// Applies pending migrations and installs the shipped report kinds the database lacks.
async fn prepare(store: &Store) -> anyhow::Result<()> {
    store.migrate().await.context("applying migrations")?;
    danvan_web::install_report_kinds(store)
        .await
        .context("installing the report kinds")?;
    Ok(())
}

/// Opens the store with the demo province loaded. A first load is built apart and moved into
/// place only when complete (on the embedded SQLite database, in a file beside it then renamed;
/// on PostgreSQL, in a schema of its own whose tables are then moved in one transaction), so a
/// load interrupted at any point leaves nothing and the next start loads afresh, exactly as a
/// clean load would. An existing database is completed in place: every step of `demo::load`
/// creates only what is missing.
async fn open_demo(settings: &Settings) -> anyhow::Result<(Store, demo::DemoSummary)> {
    if settings.uses_sqlite() && settings.database_url.is_none() {
        let file = crate::backup::sqlite_path(settings.database_url().expose())?;
        if !file.exists() {
            std::fs::create_dir_all(&settings.data_dir)
                .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
            crate::backup::remove_leftovers(&file);
            let building = crate::backup::partial(&file);
            let url = format!("sqlite://{}?mode=rwc", building.display());
            let store = Store::connect(&url, settings.max_connections)
                .await
                .with_context(|| format!("creating {}", building.display()))?;
            prepare(&store).await?;
            let summary = demo::load(&store).await.context("loading the demo province")?;
            store.checkpoint_sqlite().await.context("writing the demo database")?;
            store.close().await;
            std::fs::File::open(&building)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("writing {}", building.display()))?;
            std::fs::rename(&building, &file).with_context(|| format!("naming {}", file.display()))?;
            if let Ok(folder) = std::fs::File::open(&settings.data_dir) {
                let _ = folder.sync_all();
            }
            crate::backup::remove_leftovers(&file);
            return Ok((open_store(settings).await?, summary));
        }
    }
    if !settings.uses_sqlite() {
        let target = connect(settings).await?;
        if target.is_empty_install().await? {
            // PostgreSQL: the first load is built in a schema of its own, whose tables are
            // moved into place in one transaction when it is complete; a leftover of an
            // interrupted load is dropped first.
            let schema = target.current_schema().await?;
            let staging: String = format!("{schema}_demo_loading")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .take(63)
                .collect();
            target
                .recreate_schema(&staging)
                .await
                .context("preparing the demo's schema")?;
            let url = with_search_path(settings.database_url().expose(), &staging);
            let store = Store::connect(&url, settings.max_connections).await?;
            prepare(&store).await?;
            let summary = demo::load(&store).await.context("loading the demo province")?;
            store.close().await;
            target
                .adopt_schema(&staging)
                .await
                .context("moving the demo into place")?;
            target.close().await;
            return Ok((open_store(settings).await?, summary));
        }
        target.close().await;
    }
    let store = open_store(settings).await?;
    let summary = demo::load(&store).await.context("loading the demo province")?;
    Ok((store, summary))
}

/// A PostgreSQL URL whose connections use `schema` (any `options` it had replaced).
fn with_search_path(url: &str, schema: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let option = format!("options=-c%20search_path%3D{schema}");
    let params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("options="))
        .chain([option.as_str()])
        .collect();
    format!("{base}?{}", params.join("&"))
}

async fn run_demo(settings: Settings, today: time::Date) -> anyhow::Result<()> {
    let (store, summary) = open_demo(&settings).await?;
    // Before anything is announced: a demo that says it is ready holds all it promises (a start
    // stopped once the address is printed never leaves the token to the next start).
    demo_api_token(&store).await?;
    let listener = bind(&settings).await?;
    let url = format!("http://{}", listener.local_addr().context("reading the bound address")?);
    println!();
    let units = store.list_units().await?;
    let province = danvan_domain::unit::province_committee(&units, today)
        .map_or_else(|| "Đắk Nông".to_owned(), |u| u.province_name());
    println!("danvan demo: {province}, ngày giả định {}", date::format_vn(today));
    println!(
        "Dữ liệu: {} ({} đơn vị, {} tài khoản, {} văn bản mới tạo)",
        settings.database_url().redacted(),
        summary.created_units,
        summary.created_accounts,
        summary.imported_documents
    );
    println!(
        "Mở {url}/login và đăng nhập (mật khẩu của mọi tài khoản demo: {}):",
        demo::DEMO_PASSWORD
    );
    for (username, name, _) in demo::PROVINCE_LOGINS {
        println!("  {username:<10} {name}");
    }
    let officers: Vec<&str> = demo::UNITS_2022.iter().filter_map(|u| u.officer).collect();
    println!("  Cán bộ từng đơn vị: {}", officers.join(", "));
    let communes: Vec<&str> = crate::demo_2025::COMMUNE_LOGINS.iter().map(|(u, _)| *u).collect();
    println!(
        "  Cán bộ UBND xã, phường của tỉnh Lâm Đồng (chạy với --today 15/12/2025): {}",
        communes.join(", ")
    );
    println!("Thư viện mô hình \"Dân vận khéo\" công khai (không cần đăng nhập): {url}/gallery");
    println!(
        "API (khóa demo của cán bộ {DEMO_API_ACCOUNT}, quyền đọc và báo cáo tiến độ; tài liệu: {url}/api-docs):\n  \
         curl -H 'Authorization: Bearer {DEMO_API_TOKEN}' {url}/api/v1/assignments"
    );
    println!();
    serve(settings, store, Clock::fixed(today), listener).await
}

/// The demo's API token: known, like the demo's password, so that the API can be tried at once.
const DEMO_API_TOKEN: &str = "dvk_demo_snv";
const DEMO_API_ACCOUNT: &str = "snv";
const DEMO_API_TOKEN_NAME: &str = "Demo: hệ thống báo cáo của Sở Nội vụ";

/// Issues the demo's API token through the use case, once per demo database.
async fn demo_api_token(store: &Store) -> anyhow::Result<()> {
    if store
        .list_api_tokens()
        .await?
        .iter()
        .any(|t| t.name == DEMO_API_TOKEN_NAME && t.revoked_at.is_none())
    {
        return Ok(());
    }
    let Some(account) = store.account_by_username(DEMO_API_ACCOUNT).await? else {
        return Ok(());
    };
    let now = time::OffsetDateTime::now_utc();
    // Valid until the first day of the month eleven months on (a token lives a year at most):
    // the same for every start of one demo load, so a load stopped and resumed records the same
    // token as a whole one.
    let months = now.year() * 12 + i32::from(u8::from(now.month())) - 1 + 11;
    let month = time::Month::try_from((months % 12 + 1) as u8)?;
    let expires_at = time::Date::from_calendar_date(months / 12, month, 1)?
        .midnight()
        .assume_utc()
        .unix_timestamp();
    let now = now.unix_timestamp();
    let token = danvan_app::store::api_token::NewApiToken {
        name: DEMO_API_TOKEN_NAME.to_owned(),
        token_hash: danvan_web::auth::hash_token(DEMO_API_TOKEN),
        account_id: account.id,
        scopes: danvan_app::store::api_token::Scope::ALL.to_vec(),
        expires_at,
    };
    let system = danvan_app::User::system("demo", Role::Admin, None);
    danvan_app::api_token::issue(store, &system, &token, now)
        .await
        .map_err(|refusal| anyhow::anyhow!("demo API token: {refusal}"))?;
    Ok(())
}

async fn bind(settings: &Settings) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("listening on {}", settings.addr))
}

async fn serve(
    settings: Settings,
    store: Store,
    clock: Clock,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<()> {
    let config = WebConfig {
        secure_cookies: settings.secure_cookies,
        trust_proxy: settings.trust_proxy,
        // Admins enrol a second factor in production; the demo's admin signs in with `demo`.
        require_admin_totp: clock.fixed_date().is_none(),
        retention: settings.retention,
        mail_configured: settings.smtp_host.is_some(),
        exchange_configured: settings.exchange_endpoint.is_some(),
        metrics_peers: settings.metrics_peers.clone(),
        api_calls_per_minute: settings.api_calls_per_minute,
        sso: match settings
            .oidc(std::env::var("DANVAN_OIDC_CLIENT_SECRET").ok())
            .context("single sign-on settings")?
        {
            Some(config) => Some(Arc::new(
                danvan_web::oidc::Provider::new(config).map_err(anyhow::Error::msg)?,
            )),
            None => None,
        },
        local_passwords: settings.local_passwords,
        break_glass_admin: settings.break_glass_admin.clone(),
        ..WebConfig::default()
    };
    let state = AppState::new(store.clone(), clock, config);
    tracing::info!(addr = %listener.local_addr()?, backend = store.backend().name(), "danvan listening");
    // The demo (a fixed date) keeps its accounts however long it sat unused.
    let disable_unused = clock.fixed_date().is_none();
    tokio::spawn(sweep_sessions(
        store.clone(),
        state.config.session_max_seconds,
        disable_unused,
        (settings.retention, clock),
        state.metrics.clone(),
    ));
    let mailer = match settings.mail(std::env::var("DANVAN_SMTP_PASSWORD").ok()) {
        Some(config) => Some(danvan_web::mail::Mailer::new(&config).context("mail settings")?),
        None => None,
    };
    let mail_domain = mailer.as_ref().map(|_| {
        settings
            .smtp_from
            .rsplit_once('@')
            .map_or("localhost", |(_, domain)| domain.trim())
            .to_owned()
    });
    tokio::spawn(remind(store.clone(), clock, mail_domain, state.metrics.clone()));
    if let Some(mailer) = mailer {
        tokio::spawn(send_mail(store.clone(), mailer, state.metrics.clone()));
    }
    if let Some(config) = settings.exchange().context("exchange settings")? {
        let connector = danvan_web::exchange::HttpConnector::new(config).map_err(anyhow::Error::msg)?;
        tokio::spawn(send_packages(store.clone(), Arc::new(connector), state.metrics.clone()));
    }
    danvan_web::serve(state, listener, shutdown_signal())
        .await
        .context("serving")?;
    store.close().await;
    Ok(())
}

/// Runs the reminder job every ten minutes; it does its work once a day (see `jobs`).
async fn remind(store: Store, clock: Clock, mail_domain: Option<String>, metrics: Arc<Metrics>) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        interval.tick().await;
        let outcome = danvan_web::jobs::run_reminders(&store, clock.today(), mail_domain.as_deref()).await;
        if let Err(error) = &outcome {
            tracing::warn!(%error, "reminder job failed; it will be tried again");
        }
        metrics.job_ran(Job::Reminders, outcome.is_ok(), unix_now());
    }
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Empties the outbox every thirty seconds (every server does; a claim keeps each message to
/// one sender).
async fn send_mail(store: Store, mailer: danvan_web::mail::Mailer, metrics: Arc<Metrics>) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(30));
    loop {
        interval.tick().await;
        let outcome = danvan_web::mail::deliver_outbox(&store, &mailer, &unix_now, 100).await;
        if let Ok(delivery) = &outcome {
            metrics.mail_delivered(delivery);
        }
        metrics.job_ran(Job::Mail, outcome.is_ok(), unix_now());
        match outcome {
            Ok(delivery) if delivery != danvan_web::mail::Delivery::default() => {
                tracing::info!(
                    sent = delivery.sent,
                    retried = delivery.retried,
                    failed = delivery.failed,
                    "outbox"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "outbox pass failed; it will be tried again"),
        }
    }
}

/// Sends the e-office's packages every thirty seconds (every server does; a claim keeps each
/// package to one sender).
async fn send_packages(store: Store, connector: Arc<dyn danvan_web::exchange::Connector>, metrics: Arc<Metrics>) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(30));
    loop {
        interval.tick().await;
        let outcome = danvan_web::exchange::deliver_packages(&store, connector.clone(), &unix_now, 100).await;
        if let Ok(delivery) = &outcome {
            metrics.packages_delivered(delivery);
        }
        metrics.job_ran(Job::Packages, outcome.is_ok(), unix_now());
        match outcome {
            Ok(delivery) if delivery != danvan_web::mail::Delivery::default() => {
                tracing::info!(
                    sent = delivery.sent,
                    retried = delivery.retried,
                    failed = delivery.failed,
                    "edxml outbox"
                );
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "edxml outbox pass failed; it will be tried again"),
        }
    }
}

/// Deletes expired sessions, refreshes the planner's statistics, deletes or anonymises records
/// past their retention period and (outside the demo) disables accounts unused for 45 days,
/// every ten minutes; a failure is logged and retried next time.
async fn sweep_sessions(
    store: Store,
    max_seconds: i64,
    disable_unused: bool,
    (retention, clock): (danvan_domain::retention::Retention, Clock),
    metrics: Arc<Metrics>,
) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        interval.tick().await;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut ok = true;
        // The longest idle timeout of any role; shorter ones are enforced on each request.
        let idle = Role::ALL.iter().map(|r| r.idle_timeout_minutes()).max().unwrap_or(15) * 60;
        // Ended sessions stay a while, unusable, so that a form posted with one can be kept.
        let grace = danvan_web::kept::ENDED_SESSION_GRACE_SECONDS;
        match store
            .delete_expired_sessions(now - idle - grace, now - max_seconds - grace)
            .await
        {
            Ok(n) if n > 0 => tracing::info!(deleted = n, "expired sessions removed"),
            Ok(_) => {}
            Err(error) => {
                ok = false;
                tracing::warn!(%error, "session sweep failed");
            }
        }
        if let Err(error) = store
            .delete_kept_forms_before(now - danvan_web::kept::MAX_AGE_SECONDS)
            .await
        {
            ok = false;
            tracing::warn!(%error, "deleting kept forms past their day failed");
        }
        if let Err(error) = store
            .delete_finished_outbox_before(now - danvan_web::mail::KEEP_SENT_SECONDS)
            .await
        {
            ok = false;
            tracing::warn!(%error, "deleting old outbox messages failed");
        }
        if let Err(error) = store.optimize().await {
            ok = false;
            tracing::warn!(%error, "refreshing planner statistics failed");
        }
        // Bytes stored for a preview that was never saved, or for an import of a file already
        // held, go after a day's grace, with an audit record.
        let orphans_before = now - danvan_web::selfcheck::ORPHAN_GRACE_SECONDS;
        let housekeeper = danvan_app::User::system("danvan", Role::Admin, None);
        match danvan_app::maintenance::delete_orphaned_files(&store, &housekeeper, orphans_before).await {
            Ok(n) if n > 0 => tracing::info!(deleted = n, "stored files no record refers to removed"),
            Ok(_) => {}
            Err(error) => {
                ok = false;
                tracing::warn!(%error, "removing orphaned stored files failed");
            }
        }
        // Records past their retention period (security.md 30), each kind with an audit record.
        match danvan_app::maintenance::apply_retention(&store, &housekeeper, &retention, now, clock.today().year())
            .await
        {
            Ok(done) => {
                for (kind, n) in done.into_iter().filter(|(_, n)| *n > 0) {
                    tracing::info!(
                        kind = kind.code(),
                        records = n,
                        "records past their retention period handled"
                    );
                }
            }
            Err(error) => {
                ok = false;
                tracing::warn!(%error, "applying retention periods failed");
            }
        }
        let unused_since = now - danvan_app::store::account::INACTIVE_SECONDS;
        let disabled = if disable_unused {
            danvan_app::account::disable_unused(&store, &housekeeper, unused_since).await
        } else {
            Ok(Vec::new())
        };
        match disabled {
            Ok(names) if !names.is_empty() => tracing::info!(accounts = ?names, "unused accounts disabled"),
            Ok(_) => {}
            Err(error) => {
                ok = false;
                tracing::warn!(%error, "disabling unused accounts failed");
            }
        }
        metrics.job_ran(Job::Sweep, ok, now);
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

async fn user(command: UserCommand, load: impl Fn(&StorageArgs) -> anyhow::Result<Settings>) -> anyhow::Result<()> {
    let admin = danvan_app::User::system("cli", Role::Admin, None);
    match command {
        UserCommand::Add {
            username,
            role,
            unit,
            name,
            email,
            storage,
        } => {
            if let Some(email) = &email
                && (!email.contains('@') || email.len() > 200 || email.contains(char::is_whitespace))
            {
                bail!("{email:?} is not an e-mail address");
            }
            let store = open_store(&load(&storage)?).await?;
            let username = Username::parse(&username).map_err(|e| anyhow::anyhow!("{e}"))?;
            let role = Role::from_code(&role)
                .with_context(|| format!("unknown role {role:?}: admin, monitor, leader, officer or appraiser"))?;
            let unit_id = match unit {
                Some(code) => Some(
                    store
                        .unit_by_code(&code.to_ascii_uppercase())
                        .await?
                        .with_context(|| format!("no agency with code {code}"))?
                        .id,
                ),
                None => None,
            };
            if role.requires_unit() && unit_id.is_none() {
                bail!("an officer needs --unit CODE");
            }
            let password = danvan_web::auth::random_password();
            let account = NewAccount {
                display_name: name.unwrap_or_else(|| username.as_str().to_owned()),
                username: username.clone(),
                role,
                unit_id,
                password_hash: password.hash(),
                must_change_password: true,
                email,
            };
            danvan_app::account::create(&store, &admin, &account)
                .await
                .with_context(|| format!("creating {}", username.as_str()))?;
            println!("Đã tạo tài khoản {} ({}).", username.as_str(), role.label());
            println!(
                "Mật khẩu dùng một lần (phải đổi khi đăng nhập lần đầu): {}",
                password.expose()
            );
        }
        UserCommand::List { storage } => {
            let store = open_store(&load(&storage)?).await?;
            let units = store.list_units().await?;
            println!(
                "{:<16} {:<10} {:<9} {:<12} Tên",
                "Tài khoản", "Vai trò", "Trạng thái", "Đơn vị"
            );
            for account in store.list_accounts().await? {
                let unit = account
                    .unit_id
                    .and_then(|id| units.iter().find(|u| u.id == id))
                    .map(|u| u.code.as_str())
                    .unwrap_or("-");
                let status = if account.disabled { "khóa" } else { "hoạt động" };
                println!(
                    "{:<16} {:<10} {:<9} {:<12} {}",
                    account.username,
                    account.role.code(),
                    status,
                    unit,
                    account.display_name
                );
            }
        }
        UserCommand::SetPassword { username, storage } => {
            let store = open_store(&load(&storage)?).await?;
            let account = store
                .account_by_username(&username)
                .await?
                .with_context(|| format!("no account {username}"))?;
            let password = danvan_web::auth::random_password();
            danvan_app::account::reset_password(&store, &admin, account.id, &password.hash()).await?;
            println!(
                "Mật khẩu mới dùng một lần cho {}: {}",
                account.username,
                password.expose()
            );
        }
        UserCommand::Disable { username, storage } => {
            let store = open_store(&load(&storage)?).await?;
            let account = store
                .account_by_username(&username)
                .await?
                .with_context(|| format!("no account {username}"))?;
            danvan_app::account::set_disabled(&store, &admin, account.id, true).await?;
            println!(
                "Đã khóa tài khoản {} và kết thúc mọi phiên đăng nhập.",
                account.username
            );
        }
        UserCommand::Enable { username, storage } => {
            let store = open_store(&load(&storage)?).await?;
            let account = store
                .account_by_username(&username)
                .await?
                .with_context(|| format!("no account {username}"))?;
            danvan_app::account::set_disabled(&store, &admin, account.id, false).await?;
            println!("Đã mở lại tài khoản {}.", account.username);
        }
    }
    Ok(())
}

/// The files under `dir`, sorted, skipping hidden ones.
fn files_under(dir: &std::path::Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).with_context(|| format!("reading folder {}", current.display()))? {
            let path = entry?.path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

async fn import_dir(store: &Store, dir: &std::path::Path) -> anyhow::Result<()> {
    use danvan_web::library::{ImportOutcome, import_bytes};
    use std::io::{IsTerminal, Write};
    let files = files_under(dir)?;
    let importer = danvan_app::User::system("import", Role::Monitor, None);
    let (mut imported, mut present, mut failed) = (0usize, 0usize, Vec::new());
    let interactive = std::io::stderr().is_terminal();
    for (index, path) in files.iter().enumerate() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if interactive {
            let done = (index + 1) * 30 / files.len().max(1);
            eprint!(
                "\r[{}{}] {}/{} {:<40}",
                "#".repeat(done),
                " ".repeat(30 - done),
                index + 1,
                files.len(),
                name.chars().take(40).collect::<String>()
            );
            let _ = std::io::stderr().flush();
        }
        let outcome = match crate::read_input_within(path, danvan_edxml::MAX_PACKAGE_BYTES as u64) {
            Ok(bytes) => import_bytes(store, &importer, &bytes, &name)
                .await
                .map_err(|e| e.message().to_owned()),
            Err(reason) => Err(reason),
        };
        match outcome {
            Ok(ImportOutcome::Imported(_) | ImportOutcome::Completed(_)) => imported += 1,
            Ok(ImportOutcome::AlreadyPresent(_)) => present += 1,
            Err(reason) => failed.push((path.display().to_string(), reason)),
        }
        if !interactive {
            eprintln!("{}/{} {}", index + 1, files.len(), path.display());
        }
    }
    if interactive {
        eprintln!();
    }
    println!("Đã nhập: {imported}; đã có sẵn: {present}; lỗi: {}.", failed.len());
    for (path, reason) in &failed {
        println!("  {path}: {reason}");
    }
    Ok(())
}

fn parse_files(args: &ParseArgs) -> anyhow::Result<()> {
    let mut failed = 0;
    for path in &args.files {
        let bytes = match crate::read_input(path) {
            Ok(bytes) => bytes,
            Err(reason) => {
                eprintln!("{}: {reason}", path.display());
                failed += 1;
                continue;
            }
        };
        let parsed = match danvan_docparse::read_bytes(&bytes) {
            Ok(parsed) => parsed,
            Err(why) => {
                eprintln!("{}: {}", path.display(), why.reason());
                failed += 1;
                continue;
            }
        };
        if args.json {
            println!("{}", serde_json::to_string(&parsed).context("serialising")?);
        } else {
            print_parsed(path, &parsed);
        }
    }
    if failed > 0 {
        bail!("{failed} file(s) could not be read");
    }
    Ok(())
}

fn print_parsed(path: &std::path::Path, doc: &danvan_docparse::ParsedDocument) {
    let show = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    println!("== {}", path.display());
    println!("Cơ quan ban hành: {}", show(&doc.issuer));
    if doc.parent_issuer.is_some() {
        println!("Cơ quan chủ quản: {}", show(&doc.parent_issuer));
    }
    let number = match (&doc.number, &doc.symbol) {
        (Some(n), Some(s)) => format!("{n}/{s}"),
        _ => "—".to_owned(),
    };
    println!("Loại văn bản: {}  Số: {number}", show(&doc.doc_type));
    let date = doc
        .date
        .map(|d| format!("{:02}/{:02}/{}", d.day, d.month, d.year))
        .unwrap_or_else(|| "—".into());
    println!("Nơi ban hành, ngày: {}, {date}", show(&doc.place));
    println!("Trích yếu: {}", show(&doc.subject));
    for recipient in &doc.recipients {
        println!("Kính gửi: {recipient}");
    }
    for (i, task) in doc.tasks.iter().enumerate() {
        println!("Nhiệm vụ {}: {task}", i + 1);
    }
    for r in &doc.references {
        let date = r
            .date
            .map(|d| format!(" ngày {:02}/{:02}/{}", d.day, d.month, d.year))
            .unwrap_or_default();
        let issuer = r.issuer_text.as_ref().map(|i| format!(" của {i}")).unwrap_or_default();
        println!(
            "Viện dẫn: {} số {}/{}{date}{issuer}",
            r.doc_type.as_deref().unwrap_or("văn bản"),
            r.number,
            r.symbol
        );
    }
    println!(
        "Ký: {} {} {}",
        show(&doc.signer_authority),
        show(&doc.signer_title),
        show(&doc.signer_name)
    );
    for item in &doc.distribution {
        println!("Nơi nhận: {item}");
    }
    for warning in &doc.warnings {
        println!("Cảnh báo: {warning}");
    }
}

fn check_rubric(path: &std::path::Path) -> anyhow::Result<()> {
    use danvan_domain::rubric::{self, Criterion, Mode, ScoredBy};
    let bytes = crate::read_input(path).map_err(|reason| anyhow::anyhow!("{}: {reason}", path.display()))?;
    // The decoder's own (English) words are left out: the Vietnamese says it all.
    let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{}: {}", path.display(), rubric::NOT_UTF8))?;
    // Without a database the group codes are not known: a name that is not a kind is warned about.
    let rubric = match rubric::check(&text, None) {
        Ok(checked) => {
            for warning in &checked.warnings {
                eprintln!("{}:{}: cảnh báo: {}", path.display(), warning.line, warning.message);
            }
            checked.rubric
        }
        Err(errors) => {
            for error in &errors {
                eprintln!("{}:{}: {}", path.display(), error.line, error.message);
            }
            bail!("{}: {} lỗi, bộ tiêu chí chưa dùng được", path.display(), errors.len());
        }
    };
    fn show(c: &Criterion, depth: usize) {
        let mode = match &c.mode {
            Mode::Manual => "chấm điểm".to_owned(),
            Mode::YesNo => "có/không".to_owned(),
            Mode::Deduction { per, floor } => format!("trừ {per} mỗi lần, thấp nhất {floor}"),
            Mode::Computed { rule, .. } => format!("tự tính: {rule}"),
        };
        let mut notes = vec![mode];
        if c.scored_by == ScoredBy::Higher {
            notes.push("cấp trên chấm".into());
        }
        if c.evidence_required {
            notes.push("cần minh chứng".into());
        }
        if !c.applies_to.is_empty() {
            notes.push(format!("áp dụng: {}", c.applies_to.join(", ")));
        }
        for (kind, max) in &c.max_for {
            notes.push(format!("{kind}: tối đa {max}"));
        }
        println!(
            "{}{} {} — {} điểm ({})",
            "  ".repeat(depth),
            c.id,
            c.title,
            c.max,
            notes.join("; ")
        );
        for child in &c.children {
            show(child, depth + 1);
        }
    }
    let sample = if rubric.sample { " [MẪU]" } else { "" };
    println!("{}{sample}: {}", rubric.code, rubric.title);
    let to = rubric.valid_to.map(date::format_vn).unwrap_or_else(|| "nay".into());
    let issued = if rubric.is_draft() {
        "Dự thảo (chưa có số quyết định)".to_owned()
    } else {
        format!("Ban hành theo {}", rubric.decision)
    };
    println!("{issued}; hiệu lực {} – {to}", date::format_vn(rubric.valid_from));
    for c in &rubric.criteria {
        show(c, 1);
    }
    for kind in danvan_domain::UnitKind::ALL {
        println!("Tối đa cho {}: {} điểm", kind.code(), rubric.max_for(&[kind.code()]));
    }
    println!(
        "Điểm cộng: tối đa {}; điểm trừ: tối đa {}",
        rubric.bonus.cap, rubric.penalty.cap
    );
    if let Some(scale) = rubric.rescale_to {
        println!("Quy đổi về thang {scale} điểm khi có tiêu chí không áp dụng");
    }
    for item in rubric.bonus.items.iter().chain(&rubric.penalty.items) {
        if let Some(per) = item.per {
            println!("Mục {}: {per} điểm mỗi lần, tối đa {}", item.id, item.max);
        }
    }
    for veto in &rubric.vetoes {
        let effect = if veto.not_classified {
            rubric::NOT_CLASSIFIED_TITLE.to_owned()
        } else {
            format!("không cao hơn {}", veto.cap_band)
        };
        println!("Điều kiện {}: {} → {effect}", veto.id, veto.title);
    }
    for band in &rubric.bands {
        let mut notes: Vec<String> = band.min_for.iter().map(|(k, m)| format!("{k}: từ {m}")).collect();
        notes.extend(band.min_share.map(|s| format!("mỗi tiêu chí ≥ {s}%")));
        notes.extend(band.min_shares.iter().map(|(id, s)| format!("tiêu chí {id} ≥ {s}%")));
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        println!("Mức {} ({}): từ {} điểm{notes}", band.title, band.code, band.min);
    }
    for quota in &rubric.quotas {
        let of = quota.of_band.as_ref().map_or_else(
            || "số cơ quan trong nhóm".to_owned(),
            |b| format!("số cơ quan từ mức {b} trở lên"),
        );
        println!("Hạn mức: {} tối đa {}% {of}", quota.band, quota.percent);
    }
    Ok(())
}
