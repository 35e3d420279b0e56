//! Queries per page (issue 18): the statements a page sends to the database do not grow with the
//! rows it shows. Each page is opened three times: on the fixture's small province with one
//! directive, after ten more agencies and ten more directives (each assigned to every agency),
//! and after ten more of each again. The last two counts must be equal: a query run per row
//! would add at least ten. (The first step may add one or two: it changes what the data holds,
//! not only how much; the board, for one, reads the working-day calendar of each year its
//! deadlines fall in.)
//!
//! Statements are counted from sqlx's statement log (target `sqlx::query`, at debug level, which
//! the store turns on for every connection), by a subscriber installed for this test binary.

#[macro_use]
#[allow(dead_code)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, Once};

use danvan_domain::Role;
use danvan_domain::directive::Deadline;
use danvan_domain::unit::{NewUnit, UnitInput, UnitKind};
use danvan_store::Actor;
use danvan_store::directive::{NewDirective, NewTask};
use support::TestApp;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Counts the events sqlx logs for each statement it runs.
struct CountStatements;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn count_statements() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let only_statements =
            tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::DEBUG);
        tracing_subscriber::registry()
            .with(tracing_subscriber::Layer::with_filter(CountStatements, only_statements))
            .init();
    });
}

/// The two backends' tests share the counter: under `cargo test` they take turns.
static ONE_AT_A_TIME: LazyLock<tokio::sync::Mutex<()>> = LazyLock::new(|| tokio::sync::Mutex::new(()));

/// The pages measured, as (who, path) once the directive to open is known.
fn pages(directive: i64) -> Vec<(Role, String)> {
    let mut pages: Vec<(Role, String)> = [
        "/",
        "/units",
        "/directives",
        "/board",
        "/inbox",
        "/evaluations",
        "/initiatives",
        "/reports",
        "/documents?q=dan+van",
        "/leaders",
        "/dissemination",
    ]
    .into_iter()
    .map(|p| (Role::Monitor, p.to_owned()))
    .collect();
    pages.push((Role::Monitor, format!("/directives/{directive}")));
    pages.extend(["/", "/directives", "/board"].map(|p| (Role::Leader, p.to_owned())));
    pages.extend(["/", "/directives", "/inbox", "/evaluations"].map(|p| (Role::Officer, p.to_owned())));
    pages.push((Role::Officer, format!("/directives/{directive}")));
    pages
}

/// Statements each page runs, in the order of `pages`.
async fn statements_per_page(app: &TestApp, pages: &[(Role, String)]) -> Vec<usize> {
    let mut counts = Vec::new();
    for role in [Role::Monitor, Role::Leader, Role::Officer] {
        let client = app.login_as(role).await;
        for (_, path) in pages.iter().filter(|(r, _)| *r == role) {
            let before = STATEMENTS.load(Ordering::SeqCst);
            let response = client.get(path).await;
            assert_eq!(response.status, axum::http::StatusCode::OK, "{path}: {}", response.body);
            counts.push(STATEMENTS.load(Ordering::SeqCst) - before);
        }
    }
    counts
}

async fn add_directive(app: &TestApp, units: &[i64], n: usize) -> i64 {
    let mut calendar = app.store.work_calendar().await.unwrap();
    let day = time::macros::date!(2022 - 10 - 03);
    app.store
        .create_directive(
            &Actor::system("test"),
            &NewDirective {
                document_id: None,
                title: format!("Kế hoạch {}/KH-UBND", 100 + n),
                document_date: day,
                tasks: vec![
                    NewTask {
                        content: "Báo cáo kết quả thực hiện công tác dân vận chính quyền.".into(),
                        monitor_unit_id: None,
                        deadline: Deadline::On(time::macros::date!(2022 - 12 - 01)),
                        leads: units.to_vec(),
                        supports: vec![],
                    },
                    NewTask {
                        content: "Tổ chức hội nghị quán triệt.".into(),
                        monitor_unit_id: None,
                        deadline: Deadline::On(time::macros::date!(2023 - 01 - 30)),
                        leads: units[..1].to_vec(),
                        supports: units[1..].to_vec(),
                    },
                ],
            },
            &mut calendar,
            day,
        )
        .await
        .unwrap()
}

/// Ten more agencies, then ten more directives assigned to every agency.
async fn grow(app: &TestApp, units: &mut Vec<i64>, from: usize) {
    for n in from..from + 10 {
        let unit = NewUnit::parse(&UnitInput {
            code: &format!("SX{n}"),
            name: &format!("Sở thêm số {n}"),
            short_name: "",
            kind: UnitKind::Department.code(),
            parent_id: Some(app.fixture.province),
            group_id: Some(app.fixture.group),
            valid_from: "01/01/2004",
            valid_to: "",
        })
        .unwrap();
        units.push(app.store.create_unit(&Actor::system("test"), &unit).await.unwrap());
    }
    for n in from + 1..=from + 10 {
        add_directive(app, units, n).await;
    }
}

async fn no_page_runs_a_query_per_row(app: TestApp) {
    count_statements();
    let mut units = vec![app.fixture.unit_a, app.fixture.unit_b];
    let directive = add_directive(&app, &units, 0).await;
    let pages = pages(directive);
    let small = statements_per_page(&app, &pages).await;

    grow(&app, &mut units, 0).await;
    let large = statements_per_page(&app, &pages).await;
    grow(&app, &mut units, 10).await;
    let larger = statements_per_page(&app, &pages).await;

    let report: Vec<String> = (0..pages.len())
        .map(|i| {
            let (role, path) = &pages[i];
            format!("{role:?} {path}: {} → {} → {}", small[i], large[i], larger[i])
        })
        .collect();
    eprintln!("statements per page, as the province grows:\n{}", report.join("\n"));
    let grown: Vec<&String> = report
        .iter()
        .enumerate()
        .filter(|(i, _)| larger[*i] != large[*i])
        .map(|(_, line)| line)
        .collect();
    assert!(
        grown.is_empty(),
        "pages whose statements grow with their rows: {grown:#?}"
    );
    // The statement log is really counted: every page reads its session at least.
    assert!(small.iter().all(|&c| c > 0), "{report:#?}");
}

// The lock is taken before the app is built: building one adds statements of its own, and under
// `cargo test` both backends' tests share this process and its counter.
#[tokio::test]
async fn no_page_runs_a_query_per_row_on_sqlite() {
    let _turn = ONE_AT_A_TIME.lock().await;
    no_page_runs_a_query_per_row(TestApp::new(danvan_store::Backend::Sqlite).await).await;
}

#[tokio::test]
async fn no_page_runs_a_query_per_row_on_postgres() {
    let _turn = ONE_AT_A_TIME.lock().await;
    no_page_runs_a_query_per_row(TestApp::new(danvan_store::Backend::Postgres).await).await;
}
