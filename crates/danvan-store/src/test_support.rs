//! Fresh, migrated databases for tests: one per test, on either backend.
//!
//! SQLite tests get a file of their own in the temporary directory. PostgreSQL tests get a
//! schema of their own in the database that `DANVAN_TEST_POSTGRES_URL` names (default: the local
//! `test` database as user `postgres`), selected through the connection's `search_path`, which
//! is much faster than creating a database per test.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Backend, Store};

/// The PostgreSQL server tests use.
pub fn postgres_base_url() -> String {
    std::env::var("DANVAN_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// A benchmark's store on PostgreSQL: its own schema in the tests' database (created when
/// missing and kept between runs, so that a benchmark builds its data once), migrated, with four
/// connections.
pub async fn postgres_bench_store(schema: &str) -> Store {
    let base = postgres_base_url();
    let admin = Store::connect(&base, 1).await.expect("PostgreSQL for the benchmark");
    admin
        .execute_raw_for_tests(&format!("create schema if not exists {schema}"))
        .await
        .expect("the benchmark's schema");
    admin.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    let store = Store::connect(&format!("{base}{separator}options=-c%20search_path%3D{schema}"), 4)
        .await
        .expect("the benchmark's store");
    store.migrate().await.expect("migrate the benchmark's schema");
    store
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).expect("random bytes");
    let random: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "t{}_{}_{random}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A database URL for a new, empty database of the given backend.
pub async fn fresh_url(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("danvan-{}.db", unique_name()));
            format!("sqlite://{}?mode=rwc", path.display())
        }
        Backend::Postgres => {
            let base = postgres_base_url();
            let schema = unique_name();
            let admin = Store::connect(&base, 1)
                .await
                .expect("PostgreSQL for tests is running (see README)");
            sqlx::raw_sql(&format!("create schema {schema}"))
                .execute(&admin.pool)
                .await
                .expect("create test schema");
            admin.close().await;
            let separator = if base.contains('?') { '&' } else { '?' };
            format!("{base}{separator}options=-c%20search_path%3D{schema}")
        }
    }
}

/// A new store of the given backend migrated only up to version `last`: what an installation
/// held before a later migration, to test that migration on data (a backfill).
pub async fn store_migrated_through(backend: Backend, last: i64) -> Store {
    let url = fresh_url(backend).await;
    let store = Store::connect(&url, 4).await.expect("connect to test database");
    crate::migrate::run_through(&store.pool, backend, last)
        .await
        .expect("migrate test database");
    store
}

/// A store migrated through `last`, and then through the later migrations `also` alone: for a
/// test of one migration over work written by this version's code, which needs later columns
/// than the migration under test (the audit head's data generation, 0028, for 0027's counts).
pub async fn store_migrated_through_and(backend: Backend, last: i64, also: &[i64]) -> Store {
    let store = store_migrated_through(backend, last).await;
    for version in also {
        let migration = crate::migrate::MIGRATIONS
            .iter()
            .find(|m| m.version == *version)
            .expect("a migration of this version");
        crate::migrate::apply(&store.pool, backend, migration)
            .await
            .expect("apply a later migration");
    }
    store
}

/// A new, migrated store of the given backend.
pub async fn fresh_store(backend: Backend) -> Store {
    let url = fresh_url(backend).await;
    let store = Store::connect(&url, 4).await.expect("connect to test database");
    store.migrate().await.expect("migrate test database");
    store
}

/// Tables a refused step may change: the security log, the throttle counters and session
/// activity (and what a user typed into a form posted after their session ended, kept to give
/// back). Everything else is official data, which a refused step must leave as it was.
pub const NOT_OFFICIAL: &[&str] = &[
    "session",
    "login_failure",
    "session_confirmation",
    "kept_form",
    "oidc_attempt",
    "sso_session",
];

/// Every table of official data with its row count and digest, to compare before and after a
/// step that must be refused (see [`NOT_OFFICIAL`]).
pub async fn official_state(store: &Store) -> std::collections::BTreeMap<String, crate::backup::TableDigest> {
    let mut digests = store.table_digests().await.expect("table digests");
    digests.retain(|table, _| !NOT_OFFICIAL.contains(&table.as_str()));
    digests
}

/// Raw SQL, for tests and benchmarks only: to prove what the database itself refuses (changing
/// the audit log) and to bulk-load what a benchmark measures. A trait in this module, which
/// `danvan_app::store` does not re-export, so the crates above cannot reach it.
pub trait RawSql {
    fn execute_raw_for_tests(&self, sql: &str) -> impl Future<Output = crate::Result<()>> + Send;
}

impl RawSql for Store {
    async fn execute_raw_for_tests(&self, sql: &str) -> crate::Result<()> {
        sqlx::raw_sql(sql).execute(&self.pool).await?;
        Ok(())
    }
}

/// Runs each named `async fn(Store)` once per backend, on a fresh database each: a behaviour that
/// differs between SQLite and PostgreSQL shows as a failure on one side.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::test_support::fresh_store($crate::Backend::Sqlite).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::test_support::fresh_store($crate::Backend::Postgres).await).await;
                }
            )*
        }
    };
}

/// The board as the status rule gives it (`AssignmentRecord::status`), counted in Rust from
/// assignments read back one by one: what the board's counts are held to. Only lead parts still
/// in force count; `key` picks the agency or the directive.
pub fn board_by_status_rule<'a>(
    assignments: impl IntoIterator<Item = &'a crate::directive::AssignmentRecord>,
    today: time::Date,
    key: impl Fn(&crate::directive::AssignmentRecord) -> i64,
) -> Vec<crate::board::StatusCounts> {
    use danvan_domain::directive::TaskStatus;
    let mut counts: std::collections::BTreeMap<i64, crate::board::StatusCounts> = std::collections::BTreeMap::new();
    for x in assignments.into_iter().filter(|x| x.lead && x.cancelled.is_none()) {
        let entry = counts.entry(key(x)).or_insert_with(|| crate::board::StatusCounts {
            key: key(x),
            ..Default::default()
        });
        match x.status(today) {
            TaskStatus::NotStarted => entry.not_started += 1,
            TaskStatus::InProgress => entry.in_progress += 1,
            TaskStatus::Overdue => entry.overdue += 1,
            TaskStatus::DoneOnTime => entry.done_on_time += 1,
            TaskStatus::DoneLate => entry.done_late += 1,
        }
    }
    counts.into_values().collect()
}

/// A monitor's account with the password `demo`, for tests and the benchmarks' HTTP scripts;
/// returns its id.
pub async fn monitor_account(store: &Store, username: &str, display_name: &str) -> i64 {
    store
        .create_account(
            &crate::Actor::system("test"),
            &crate::NewAccount {
                username: danvan_domain::Username::parse(username).expect("a valid username"),
                display_name: display_name.to_owned(),
                role: danvan_domain::Role::Monitor,
                unit_id: None,
                password_hash: danvan_domain::Password::unchecked_for_demo("demo").hash(),
                must_change_password: false,
                email: None,
            },
        )
        .await
        .expect("create the monitor's account")
}

/// A rubric of `sections` sections × `leaves` criteria worth 2 points each (sections capped at
/// 20), a penalty section, four bands and a 20 % quota: the benchmarks' evaluation rubric.
pub fn bench_rubric(sections: usize, leaves: usize) -> String {
    let mut text = String::from(
        "[rubric]\ncode = \"BENCH\"\ntitle = \"Bộ tiêu chí đo hiệu năng\"\ndecision = \"1/QĐ-UBND\"\n\
         valid_from = \"2022-01-01\"\ntie_break = [\"less_penalty\", \"criterion:1\"]\n\n",
    );
    for s in 1..=sections {
        text.push_str(&format!(
            "[[criteria]]\nid = \"{s}\"\ntitle = \"Phần {s}\"\nmax = 20\n\n"
        ));
        for l in 1..=leaves {
            text.push_str(&format!(
                "[[criteria.children]]\nid = \"{s}.{l}\"\ntitle = \"Tiêu chí {s}.{l}\"\nmax = 2\n\n"
            ));
        }
    }
    text.push_str("[penalty]\ncap = 10\n\n[[penalty.items]]\nid = \"TR1\"\ntitle = \"Trừ\"\nmax = 5\n\n");
    for (code, min) in [
        ("xuat_sac", 90),
        ("tot", 70),
        ("hoan_thanh", 50),
        ("khong_hoan_thanh", 0),
    ] {
        text.push_str(&format!(
            "[[bands]]\ncode = \"{code}\"\ntitle = \"{code}\"\nmin = {min}\n\n"
        ));
    }
    text.push_str("[quota]\nband = \"xuat_sac\"\npercent = 20\n");
    text
}
